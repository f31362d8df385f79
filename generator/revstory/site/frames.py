"""Per-quarter and per-piece figures computed once from :class:`Results` frames.

Everything the page builders need is indexed here (dicts keyed by quarter or content_id), so
building 2,000 article pages never rescans the frames. Money stays in minor units here; the
builders turn it into ``Decimal`` for the templates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from revstory.attribute.stage import Results
from revstory.uncertainty.intervals import EnrichedFrames


@dataclass(frozen=True)
class Indexed:
    """Frames of :class:`Results` reshaped for page building (all sorted, deterministic)."""

    results: Results
    titles: dict[str, str]
    types: dict[str, str]
    #: (quarter, content_id) → {views, users, engagement_seconds}
    views: dict[tuple[str, str], dict[str, float]]
    #: (quarter, content_id) → {influenced_revenue_minor, won_deals, lost_deals, open_deals, …}
    influence: dict[tuple[str, str], dict[str, float]]
    #: (quarter, content_id, model) → {revenue_minor, credit, deals_influenced}
    attribution: dict[tuple[str, str, str], dict[str, float]]
    won_journeys: pd.DataFrame  # journeys of won deals with position (first/middle/last)
    pairs: pd.DataFrame  # distinct (quarter, deal_id, content_id) of won deals
    #: memo of per-quarter rows, filled by the story builder
    cache: dict[tuple[str, str], list[dict[str, object]]] = field(default_factory=dict)
    #: the uncertainty frames, computed once on first use (see :meth:`enriched`)
    memo: list[EnrichedFrames] = field(default_factory=list)

    def enriched(self) -> EnrichedFrames:
        """Intervals, model spread, touched-vs-untouched comparisons and deal-type influence
        (:func:`revstory.uncertainty.intervals.enrich`), computed once per build."""
        if not self.memo:
            from revstory.uncertainty.intervals import enrich

            self.memo.append(enrich(self.results))
        return self.memo[0]

    def money(self, minor: float | int | None) -> Decimal:
        return Decimal(int(minor or 0)).scaleb(-self.results.currency_digits)


def index(results: Results) -> Indexed:
    """Reshape the result frames once."""
    content = results.content
    perf = results.performance
    # Plain dicts: 2,000 article pages make tens of thousands of lookups.
    views = (perf.groupby(["quarter", "content_id"], sort=True)
             [["views", "users", "engagement_seconds"]].sum().to_dict("index"))
    influence = results.influence.set_index(["quarter", "content_id"]).to_dict("index")
    attribution = (results.attribution.set_index(["quarter", "content_id", "model"])
                   .to_dict("index"))

    won_ids = results.deals.loc[results.deals["status"] == "won", "deal_id"]
    j = results.journeys[results.journeys["deal_id"].isin(won_ids)].reset_index(drop=True)
    # Journeys are sorted by deal then time, so the order within a deal is the journey order.
    step = j.groupby("deal_id", sort=False).cumcount()
    size = j.groupby("deal_id", sort=False)["content_id"].transform("size")
    position = pd.Series("middle", index=j.index)
    position[step == size - 1] = "last"
    position[step == 0] = "first"
    j = j.assign(position=position)
    pairs = j[["quarter", "deal_id", "content_id"]].drop_duplicates().reset_index(drop=True)
    return Indexed(
        results=results,
        titles=dict(zip(content["content_id"], content["title"], strict=True)),
        types=dict(zip(content["content_id"], content["content_type"], strict=True)),
        views=views,
        influence=influence,
        attribution=attribution,
        won_journeys=j,
        pairs=pairs,
    )


@dataclass(frozen=True)
class QuarterFigures:
    """The headline figures of one quarter (money in minor units)."""

    won_revenue: int
    won_deals: int
    touched_revenue: int
    touched_share: float | None
    attributed: int
    pipeline: int
    win_rate_touched: float | None
    win_rate_untouched: float | None
    cycle_touched: float | None
    cycle_untouched: float | None


def _rate(won: int, closed: int) -> float | None:
    return won / closed if closed else None


def _median(s: pd.Series) -> float | None:
    s = s.dropna()
    return float(s.astype("float64").median()) if len(s) else None


def quarter_figures(results: Results, quarter: str, model: str) -> QuarterFigures:
    d = results.deals[results.deals["quarter"] == quarter]
    won = d[d["status"] == "won"]
    closed = d[d["status"].isin(["won", "lost"])]
    touched = closed[closed["touched"]]
    untouched = closed[~closed["touched"]]
    won_rev = int(won["amount_minor"].sum())
    touched_rev = int(won.loc[won["touched"], "amount_minor"].sum())
    s = results.summary
    row = s[(s["quarter"] == quarter) & (s["model"] == model)]
    return QuarterFigures(
        won_revenue=won_rev,
        won_deals=len(won),
        touched_revenue=touched_rev,
        touched_share=touched_rev / won_rev if won_rev else None,
        attributed=int(row["attributed_minor"].sum()),
        pipeline=int(d.loc[(d["status"] == "open") & d["touched"], "amount_minor"].sum()),
        win_rate_touched=_rate(int((touched["status"] == "won").sum()), len(touched)),
        win_rate_untouched=_rate(int((untouched["status"] == "won").sum()), len(untouched)),
        cycle_touched=_median(won.loc[won["touched"], "cycle_days"]),
        cycle_untouched=_median(won.loc[~won["touched"], "cycle_days"]),
    )
