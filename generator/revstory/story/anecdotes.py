"""Anecdotes: the quarter's largest content-touched won deals, told as their journeys.

Input: an :class:`~revstory.story.index.Indexed` and the privacy settings. Output:
:class:`~revstory.story.records.Anecdotes` — hidden when fewer deals than ``min_group_size``
could be told, account names dropped when accounts are redacted. No person identifier: each
reader of a deal is told by their role on the deal as the CRM gives it (emails or phone
numbers a role might hold redacted) and their seniority (a bucket chosen at load from their
job title), their touches grouped, the last before the signature first.
"""

from __future__ import annotations

import pandas as pd

from revstory.config import Settings
from revstory.load.seniority import BUCKETS
from revstory.redact import redact
from revstory.story.index import Indexed
from revstory.story.records import Account, Anecdote, Anecdotes, Reader, Step


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def account(name: object, segment: object, industry: object, redact: bool) -> Account:
    """Describe the account as far as ``redact`` allows (the name never, when redacted)."""
    return Account(None if redact else _text(name), _text(segment), _text(industry))


def touched_won_deals(ix: Indexed, quarter: str) -> pd.DataFrame:
    """Select the quarter's content-touched won deals, largest first (ties by deal_id)."""
    deals = ix.results.deals
    won = deals[(deals["quarter"] == quarter) & (deals["status"] == "won") & deals["touched"]]
    return won.sort_values(["amount_minor", "deal_id"], ascending=[False, True])


def anecdotes(ix: Indexed, quarter: str, settings: Settings) -> Anecdotes:
    """Up to ``settings.anecdotes`` of the largest touched won deals, each with its steps."""
    won = touched_won_deals(ix, quarter)
    if 0 < len(won) < settings.min_group_size:
        return Anecdotes(hidden=True, deals=())
    won = won.head(settings.anecdotes)
    journeys = ix.won_journeys[ix.won_journeys["deal_id"].isin(won["deal_id"])]
    by_deal = dict(tuple(journeys.groupby("deal_id", sort=True)))
    has_industry = "industry" in won.columns
    out = []
    for d in won.to_dict("records"):
        j = by_deal.get(d["deal_id"])
        if j is None:
            continue
        closed = d["closed_at"].normalize()
        first = j["occurred_at"].min().normalize()
        out.append(
            Anecdote(
                account=account(
                    d["name"],
                    d["segment"],
                    d["industry"] if has_industry else None,
                    settings.redact_accounts,
                ),
                deal_type=str(d["deal_type"]),
                amount=int(d["amount_minor"]),
                closed_on=d["closed_at"].date(),
                readers=int(d["readers"]),
                days_to_close=int((closed - first).days),
                people=_people(j, closed),
            )
        )
    return Anecdotes(hidden=False, deals=tuple(out))


def _people(journey: pd.DataFrame, closed: pd.Timestamp) -> tuple[Reader, ...]:
    """Group the deal's touches by reader.

    The reader whose last touch came latest is first (ties: who read first), each with their
    touches newest first; consecutive touches of one piece in one way merge.
    """
    people = []
    missing = pd.Series(None, index=journey.index, dtype=object)
    roles = journey["role"] if "role" in journey.columns else missing
    levels = journey["seniority"] if "seniority" in journey.columns else missing
    for reader, g in journey.assign(role=roles, seniority=levels).groupby("reader", sort=True):
        steps: list[Step] = []
        last: tuple[str, str] | None = None
        for r in g.to_dict("records"):
            key = (str(r["content_id"]), str(r["touch_type"]))
            if key != last:
                steps.append(
                    Step(int((closed - r["occurred_at"].normalize()).days), key[0], key[1])
                )
            last = key
        role = next((x for x in g["role"] if isinstance(x, str) and x.strip()), None)
        level = next((x for x in g["seniority"] if isinstance(x, str) and x in BUCKETS), None)
        people.append(
            Reader(
                int(str(reader)),
                redact(role.strip()) if role else None,
                tuple(steps[::-1]),
                level,
            )
        )
    people.sort(key=lambda p: (p.steps[0].days_before_close, p.reader))
    return tuple(people)
