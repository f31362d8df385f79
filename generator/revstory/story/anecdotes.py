"""Anecdotes: the quarter's largest content-touched won deals, told as their journeys.

Input: an :class:`~revstory.story.index.Indexed` and the privacy settings. Output:
:class:`~revstory.story.records.Anecdotes` — hidden when fewer deals than ``min_group_size``
could be told, account names dropped when accounts are redacted. No person identifier: readers
are numbered per deal.
"""

from __future__ import annotations

import pandas as pd

from revstory.config import Settings
from revstory.story.index import Indexed
from revstory.story.records import Account, Anecdote, Anecdotes, Step


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
        first = j["occurred_at"].min().normalize()
        steps: list[Step] = []
        last: tuple[int, str] | None = None
        for r in j.to_dict("records"):
            if (int(r["reader"]), r["content_id"]) != last:
                steps.append(
                    Step(
                        int((r["occurred_at"].normalize() - first).days),
                        int(r["reader"]),
                        str(r["content_id"]),
                    )
                )
            last = (int(r["reader"]), str(r["content_id"]))
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
                days_to_close=int((d["closed_at"].normalize() - first).days),
                steps=tuple(steps),
            )
        )
    return Anecdotes(hidden=False, deals=tuple(out))
