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


@dataclass(frozen=True)
class ArticleFacts:
    """What every article story reads, gathered once for all pieces.

    Plain dicts and lists keyed by ``content_id``: each of 2,000 pieces then costs a few
    lookups, not a pandas sort and conversion of its own.
    """

    ix: Indexed
    settings: Settings
    credit: dict[Any, list[tuple[Any, Any, int, int]]]
    """content_id → (quarter, model, revenue_minor, deals_influenced) rows of attribution."""
    deals: dict[Any, list[Record]]
    """content_id → the won deals it helped (default model), latest quarter and largest
    revenue first, ties by deal_id."""
    positions: dict[Any, dict[Hashable, Any]]
    """content_id → journey position → touches of won journeys."""
    co_read: dict[Any, list[tuple[Any, int]]]
    """content_id → (other piece, won deals reading both), most shared first (at most
    :data:`CO_READ`)."""
    lookup: dict[str, dict[tuple[str, ...], Record]]
    """Intervals, model spread and per-article comparisons, keyed (see :func:`_lookup`)."""


def article_facts(ix: Indexed, settings: Settings) -> ArticleFacts:
    """Gather, with one pass over each frame, what :func:`article_story` reads."""
    r = ix.results
    model = settings.default_model
    has_industry = "industry" in r.deals.columns
    a = r.attribution
    credit: dict[Any, list[tuple[Any, Any, int, int]]] = {}
    for row in zip(
        a["content_id"].tolist(),
        a["quarter"].tolist(),
        a["model"].tolist(),
        a["revenue_minor"].tolist(),
        a["deals_influenced"].tolist(),
        strict=True,
    ):
        credit.setdefault(row[0], []).append(row[1:])
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
    # One stable sort for all pieces: each piece's deals keep the order a sort of its own
    # rows gave (latest quarter, largest revenue, then deal_id).
    dc = dc.sort_values(["quarter", "revenue_minor", "deal_id"], ascending=[False, False, True])
    by_piece: dict[Any, list[Record]] = {}
    for x in dc.to_dict("records"):
        by_piece.setdefault(x["content_id"], []).append(x)
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
    co_by: dict[Any, list[tuple[Any, int]]] = {}
    for x, y, n in zip(
        co_counts["content_id_x"].tolist(),
        co_counts["content_id_y"].tolist(),
        co_counts["deals"].tolist(),
        strict=True,
    ):
        mine = co_by.setdefault(x, [])
        if len(mine) < CO_READ:
            mine.append((y, n))
    return ArticleFacts(ix, settings, credit, by_piece, pos_by, co_by, _lookup(ix))


def article_story(facts: ArticleFacts, cid: str) -> ArticleStory:
    """Tell one piece's :class:`ArticleStory` from the gathered ``facts``."""
    ix, settings = facts.ix, facts.settings
    r = ix.results
    models = settings.models
    model = settings.default_model
    has_industry = "industry" in r.deals.columns
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
                round(float(v["engagement_seconds"]) / max(int(v["views"]), 1), 1) if v else None,
                int(a["revenue_minor"]) if a else 0,
                None if hide else (int(i["influenced_revenue_minor"]) if i else 0),
                None if hide else won,
            )
        )
    streak, _ = silent_streak(ix, cid, r.quarters)
    per: dict[tuple[str, str], int] = {(q, m): 0 for q in r.quarters for m in models}
    n_deals: dict[str, int] = dict.fromkeys(models, 0)
    for q, m, minor, nd in facts.credit.get(cid, ()):
        if m in n_deals:
            per[(q, m)] = int(minor)
            n_deals[m] += int(nd)
    deal_rows = [
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
        for x in facts.deals.get(cid, ())
    ]
    # Privacy: a list of fewer deals than min_group_size is not shown (nor offered as CSV).
    hidden = 0 < len(deal_rows) < settings.min_group_size
    pos = facts.positions.get(cid, {})
    co_read = tuple(
        (str(other), None if small(int(n), settings.min_group_size) else int(n))
        for other, n in facts.co_read.get(cid, ())
    )
    return ArticleStory(
        content_id=cid,
        engagement=tuple(engagement),
        silent_streak=streak,
        credit=tuple(tuple(per[(q, m)] for q in r.quarters) for m in models),
        won_deals=n_deals,
        deals=() if hidden else tuple(deal_rows),
        deals_hidden=hidden,
        positions={p: int(pos.get(p, 0)) for p in POSITIONS},
        co_read=co_read,
        certainty=_certainty(ix, facts.lookup, cid, per, models, settings.min_group_size),
    )


def articles(ix: Indexed, settings: Settings) -> Iterator[ArticleStory]:
    """One :class:`ArticleStory` per piece of the inventory, in the inventory's order."""
    facts = article_facts(ix, settings)
    for cid in ix.results.content["content_id"].tolist():
        yield article_story(facts, str(cid))
