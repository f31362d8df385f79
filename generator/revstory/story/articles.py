"""Per-piece facts for the article pages.

Engagement next to revenue, credit under every model, the deals it helped, its place in
journeys, co-read pieces and how sure the figures are.

Input: an :class:`~revstory.story.index.Indexed` and the settings (default model, models,
``min_group_size``, redaction). Output: one :class:`ArticleStory` per piece of the inventory,
money in minor units, privacy rules applied (deal lists of fewer than ``min_group_size`` deals
are not carried).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from revstory.config import Settings
from revstory.story.anecdotes import account
from revstory.story.figures import small
from revstory.story.index import Indexed
from revstory.story.pieces import silent_streak
from revstory.story.records import Account

#: The co-read list holds at most this many pieces.
CO_READ = 8
#: Journey positions, in the order the page lists them.
POSITIONS = ("first", "middle", "last")


@dataclass(frozen=True)
class Engagement:
    """One quarter of a piece: traffic next to revenue."""

    quarter: str
    views: int
    users: int
    seconds_per_view: float | None
    """Engagement seconds per view, rounded to 0.1 (None: no analytics row)."""
    attributed: int
    """Attributed revenue under the default model (minor units)."""
    influenced: int | None
    """Influenced won revenue (minor units); None, like ``won_deals``, when fewer than
    ``min_group_size`` won deals back it (withheld)."""
    won_deals: int | None
    """Won deals whose journey holds the piece."""


@dataclass(frozen=True)
class ArticleDeal:
    """A won deal whose journey holds the piece (default model)."""

    quarter: str
    account: Account
    deal_type: str
    closed_on: dt.date
    amount: int
    credit: float
    """The piece's share of the deal, rounded to 4 decimals."""
    revenue: int
    """The piece's revenue from the deal (minor units)."""


@dataclass(frozen=True)
class Interval:
    """Attributed revenue of one model with its 90 % bootstrap interval."""

    model: str
    revenue: int
    low: int
    high: int
    won_deals: int | None
    """Won deals behind the revenue; None when fewer than ``min_group_size`` (withheld)."""
    thin: bool


@dataclass(frozen=True)
class Certainty:
    """How sure the figures are, for the latest quarter in which the piece earned revenue."""

    quarter: str
    intervals: tuple[Interval, ...]
    models_min: int | None
    """Lowest attributed revenue over the models (None: no spread row)."""
    models_max: int | None
    model_dependent: bool
    win_rates: dict[str, float] | None
    """touched, touched_low, touched_high, untouched, untouched_low, untouched_high when
    enough touched and untouched deals back the comparison, else None."""


@dataclass(frozen=True)
class ArticleStory:
    """Everything an article page says about one piece, across every quarter."""

    content_id: str
    engagement: tuple[Engagement, ...]
    """One row per quarter of the results, oldest first."""
    silent_streak: int
    """Quarters in a row, ending with the latest, with views and no influenced revenue."""
    credit: tuple[tuple[int, ...], ...]
    """Per model shown: attributed revenue per quarter (minor units), quarters in order."""
    won_deals: dict[str, int]
    """Per model shown: won deals behind its revenue, over all quarters."""
    deals: tuple[ArticleDeal, ...]
    """Latest quarter first, then largest revenue; empty when hidden."""
    deals_hidden: bool
    """True when fewer than ``min_group_size`` deals would be listed."""
    positions: dict[str, int]
    """first, middle, last → touches of won journeys in that position."""
    co_read: tuple[tuple[str, int | None], ...]
    """(content_id, won deals reading both), most shared first (at most :data:`CO_READ`); the
    count is None when fewer than ``min_group_size`` (withheld)."""
    certainty: Certainty | None
    """None when the piece never earned revenue under any model shown."""


Record = dict[Hashable, Any]


def _certainty(
    ix: Indexed,
    lookup: dict[str, dict[tuple[str, ...], Record]],
    cid: str,
    per: dict[tuple[str, str], int],
    models: Sequence[str],
    min_group_size: int,
) -> Certainty | None:
    earning = [q for q in ix.results.quarters if any(per.get((q, m), 0) for m in models)]
    if not earning:
        return None
    q = earning[-1]
    intervals = []
    for m in models:
        iv = lookup["intervals"].get((q, cid, m))
        if iv is not None:
            n = int(iv["won_deals"])
            intervals.append(
                Interval(
                    m,
                    int(iv["revenue_minor"]),
                    int(iv["revenue_low_minor"]),
                    int(iv["revenue_high_minor"]),
                    None if small(n, min_group_size) else n,
                    bool(iv["thin_evidence"]),
                )
            )
    sp = lookup["spread"].get((q, cid))
    cmp_ = lookup["compare"].get((q, cid))
    rates = None
    # Win rates of a side backed by fewer closed deals than min_group_size would say how
    # that deal ended: none are told then.
    if (
        cmp_ is not None
        and pd.notna(cmp_["win_rate_touched"])
        and not small(int(cmp_["touched_deals"]), min_group_size)
        and not small(int(cmp_["untouched_deals"]), min_group_size)
    ):
        rates = {
            k: float(cmp_[f"win_rate_{k}"])
            for k in (
                "touched",
                "touched_low",
                "touched_high",
                "untouched",
                "untouched_low",
                "untouched_high",
            )
        }
    return Certainty(
        quarter=q,
        intervals=tuple(intervals),
        models_min=int(sp["models_min_minor"]) if sp is not None else None,
        models_max=int(sp["models_max_minor"]) if sp is not None else None,
        model_dependent=bool(sp["model_dependent"]) if sp is not None else False,
        win_rates=rates,
    )


def _lookup(ix: Indexed) -> dict[str, dict[tuple[str, ...], Record]]:
    """Intervals, model spread and per-article comparisons (revstory.uncertainty), keyed."""
    e = ix.enriched
    comp = e.comparisons[e.comparisons["scope"] == "article"]
    return {
        "intervals": {
            (str(x["quarter"]), str(x["content_id"]), str(x["model"])): x
            for x in e.intervals.to_dict("records")
        },
        "spread": {
            (str(x["quarter"]), str(x["content_id"])): x for x in e.spread.to_dict("records")
        },
        "compare": {(str(x["quarter"]), str(x["key"])): x for x in comp.to_dict("records")},
    }


def articles(ix: Indexed, settings: Settings) -> Iterator[ArticleStory]:
    """One :class:`ArticleStory` per piece of the inventory, in the inventory's order."""
    r = ix.results
    models = settings.models
    model = settings.default_model
    has_industry = "industry" in r.deals.columns
    credit_by = dict(tuple(r.attribution.groupby("content_id", sort=True)))
    dc = r.deal_credit[r.deal_credit["model"] == model]
    deals = r.deals.set_index("deal_id")
    dc = dc.join(
        deals[
            [
                "name",
                "segment",
                "deal_type",
                "closed_at",
                "amount_minor",
                *(["industry"] if has_industry else []),
            ]
        ],
        on="deal_id",
    )
    deals_by = dict(tuple(dc.groupby("content_id", sort=True)))
    pos_by = (
        ix.won_journeys.groupby(["content_id", "position"])
        .size()
        .unstack(fill_value=0)
        .to_dict("index")
    )
    pairs = ix.pairs
    co = pairs.merge(pairs, on=["quarter", "deal_id"])
    co = co[co["content_id_x"] != co["content_id_y"]]
    co_counts = co.groupby(["content_id_x", "content_id_y"]).size().rename("deals").reset_index()
    co_counts = co_counts.sort_values(
        ["content_id_x", "deals", "content_id_y"], ascending=[True, False, True]
    )
    co_by = dict(tuple(co_counts.groupby("content_id_x", sort=True)))
    lookup = _lookup(ix)
    for cid in (str(c) for c in r.content["content_id"]):
        engagement = []
        for q in r.quarters:
            v = ix.views.get((q, cid))
            i = ix.influence.get((q, cid))
            a = ix.attribution.get((q, cid, model))
            won = int(i["won_deals"]) if i else 0
            hide = small(won, settings.min_group_size)
            engagement.append(
                Engagement(
                    q,
                    int(v["views"]) if v else 0,
                    int(v["users"]) if v else 0,
                    round(float(v["engagement_seconds"]) / max(int(v["views"]), 1), 1)
                    if v
                    else None,
                    int(a["revenue_minor"]) if a else 0,
                    None if hide else (int(i["influenced_revenue_minor"]) if i else 0),
                    None if hide else won,
                )
            )
        streak, _ = silent_streak(ix, cid, r.quarters)
        credit = credit_by.get(cid)
        per: dict[tuple[str, str], int] = {(q, m): 0 for q in r.quarters for m in models}
        n_deals: dict[str, int] = dict.fromkeys(models, 0)
        if credit is not None:
            for q, m, minor, nd in zip(
                credit["quarter"],
                credit["model"],
                credit["revenue_minor"],
                credit["deals_influenced"],
                strict=True,
            ):
                if m in n_deals:
                    per[(q, m)] = int(minor)
                    n_deals[m] += int(nd)
        helped = deals_by.get(cid)
        deal_rows: list[ArticleDeal] = []
        if helped is not None:
            helped = helped.sort_values(
                ["quarter", "revenue_minor", "deal_id"], ascending=[False, False, True]
            )
            for x in helped.to_dict("records"):
                deal_rows.append(
                    ArticleDeal(
                        str(x["quarter"]),
                        account(
                            x["name"],
                            x["segment"],
                            x["industry"] if has_industry else None,
                            settings.redact_accounts,
                        ),
                        str(x["deal_type"]),
                        x["closed_at"].date(),
                        int(x["amount_minor"]),
                        round(float(x["credit"]), 4),
                        int(x["revenue_minor"]),
                    )
                )
        # Privacy: a list of fewer deals than min_group_size is not shown (nor offered as CSV).
        hidden = 0 < len(deal_rows) < settings.min_group_size
        pos = pos_by.get(cid, {})
        cr = co_by.get(cid)
        co_read = (
            ()
            if cr is None
            else tuple(
                (str(other), None if small(int(n), settings.min_group_size) else int(n))
                for other, n in zip(
                    cr["content_id_y"].head(CO_READ), cr["deals"].head(CO_READ), strict=True
                )
            )
        )
        yield ArticleStory(
            content_id=cid,
            engagement=tuple(engagement),
            silent_streak=streak,
            credit=tuple(tuple(per[(q, m)] for q in r.quarters) for m in models),
            won_deals=n_deals,
            deals=() if hidden else tuple(deal_rows),
            deals_hidden=hidden,
            positions={p: int(pos.get(p, 0)) for p in POSITIONS},
            co_read=co_read,
            certainty=_certainty(ix, lookup, cid, per, models, settings.min_group_size),
        )
