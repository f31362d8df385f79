"""Deal-level facts of a quarter: headline figures, deal types, touched-vs-other comparisons.

Input: :class:`~revstory.attribute.stage.Results` (and the uncertainty frames for the
comparisons). Output: the records of :mod:`revstory.story.records`, money in minor units.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd

from revstory.attribute.stage import Results
from revstory.story.records import Comparison, DealTypeFigures, QuarterFigures
from revstory.uncertainty.intervals import EnrichedFrames


def _rate(won: int, closed: int) -> float | None:
    return won / closed if closed else None


def _median(s: pd.Series) -> float | None:
    s = s.dropna()
    return float(s.astype("float64").median()) if len(s) else None


def quarter_figures(results: Results, quarter: str, model: str) -> QuarterFigures:
    """Compute the headline figures of ``quarter`` under ``model``.

    Win rates are won ÷ closed (won and lost) deals, content-touched or not; cycles are the
    median days from creation to close of won deals; pipeline is open touched deals.
    """
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


def deal_type_frame(results: Results) -> pd.DataFrame:
    """Won and content-influenced revenue per deal type (new / renewal / expansion).

    Returns one row per (quarter, deal_type), sorted: won_deals, won_revenue_minor,
    influenced_deals, influenced_revenue_minor, influenced_pipeline_minor,
    influenced_open_deals (a deal is influenced when any touch of its journey is a piece of
    content).
    """
    d = results.deals.assign(quarter=results.deals["quarter"].astype(str))
    won = d["status"] == "won"
    amount = d["amount_minor"].astype(np.int64)
    return (
        pd.DataFrame(
            {
                "quarter": d["quarter"],
                "deal_type": d["deal_type"].astype(str),
                "won_deals": won.astype(np.int64),
                "won_revenue_minor": amount.where(won, 0),
                "influenced_deals": (won & d["touched"]).astype(np.int64),
                "influenced_revenue_minor": amount.where(won & d["touched"], 0),
                "influenced_pipeline_minor": amount.where(
                    (d["status"] == "open") & d["touched"], 0
                ),
                "influenced_open_deals": ((d["status"] == "open") & d["touched"]).astype(np.int64),
            }
        )
        .groupby(["quarter", "deal_type"], sort=True)
        .sum()
        .reset_index()
    )


def small(deals: int, min_group_size: int) -> bool:
    """Tell whether a group of ``deals`` deals is too small to publish.

    One deal or more, fewer than ``min_group_size``: its figures would single out a deal.
    """
    return 0 < deals < min_group_size


def deal_types(
    frame: pd.DataFrame, quarter: str, min_group_size: int = 1
) -> tuple[DealTypeFigures, ...]:
    """Return the rows of :func:`deal_type_frame` for ``quarter``, by deal type.

    An amount backed by fewer than ``min_group_size`` deals is named in ``hidden``.
    """
    out = []
    for r in frame[frame["quarter"] == quarter].to_dict("records"):
        won, influenced = int(r["won_deals"]), int(r["influenced_deals"])
        hidden = []
        if small(won, min_group_size):
            # The influenced part of a hidden total would give the total away.
            hidden += ["won_revenue", "influenced_revenue"]
        elif small(influenced, min_group_size):
            hidden.append("influenced_revenue")
        if small(int(r["influenced_open_deals"]), min_group_size):
            hidden.append("influenced_pipeline")
        out.append(
            DealTypeFigures(
                deal_type=str(r["deal_type"]),
                won_deals=won,
                won_revenue=int(r["won_revenue_minor"]),
                influenced_deals=influenced,
                influenced_revenue=int(r["influenced_revenue_minor"]),
                influenced_pipeline=int(r["influenced_pipeline_minor"]),
                hidden=tuple(hidden),
            )
        )
    return tuple(out)


def _num(v: object) -> float | None:
    """Return ``v`` as a float, or None for a missing value (None or NaN)."""
    if isinstance(v, numbers.Real) and not math.isnan(v):
        return float(v)
    return None


#: A comparison's figures per side (touched, untouched).
SIDES = {
    "touched": (
        "win_rate_touched",
        "win_rate_touched_low",
        "win_rate_touched_high",
        "cycle_days_touched",
    ),
    "untouched": (
        "win_rate_untouched",
        "win_rate_untouched_low",
        "win_rate_untouched_high",
        "cycle_days_untouched",
    ),
}


def comparisons(
    enriched: EnrichedFrames, quarter: str, min_group_size: int = 1
) -> tuple[Comparison, ...]:
    """Compare content-touched with other closed deals of ``quarter``.

    Overall, then per content type (the article-level comparisons stay with the articles). A
    content type's side backed by fewer than ``min_group_size`` closed deals is hidden
    (None); the overall row is the quarter's own headline (its win rates are headline
    figures) and always shown.
    """
    c = enriched.comparisons
    c = c[(c["quarter"] == quarter) & c["scope"].isin(["all_content", "content_type"])]
    out = []
    for r in c.to_dict("records"):
        values = {name: _num(r[name]) for names in SIDES.values() for name in names}
        if r["scope"] == "content_type":
            for side, names in SIDES.items():
                if small(int(r[f"{side}_deals"]), min_group_size):
                    values.update(dict.fromkeys(names))
        out.append(
            Comparison(
                scope=str(r["scope"]),
                key=str(r["key"]),
                touched_deals=int(r["touched_deals"]),
                untouched_deals=int(r["untouched_deals"]),
                **values,
            )
        )
    return tuple(out)
