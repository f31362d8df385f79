"""The result frames indexed once for the story: plain dicts keyed by quarter and piece.

Input: :class:`~revstory.attribute.stage.Results` and the uncertainty frames
(:func:`revstory.uncertainty.intervals.enrich`). Output: an :class:`Indexed`, so telling 2,000
articles never rescans the frames. Money stays in minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import pandas as pd

from revstory.attribute.stage import Results
from revstory.uncertainty.intervals import EnrichedFrames


def money(minor: float | int | None, digits: int) -> Decimal:
    """Minor units as a ``Decimal`` in the reporting currency (``1234, 2 → 12.34``)."""
    return Decimal(int(minor or 0)).scaleb(-digits)


@dataclass(frozen=True)
class Indexed:
    """Frames of :class:`Results` reshaped for the story (all sorted, deterministic)."""

    results: Results
    enriched: EnrichedFrames
    """Intervals, model spread and touched-vs-untouched comparisons, computed once."""
    titles: dict[str, str]
    types: dict[str, str]
    """content_id → content type slug (the key of file names and groupings)."""
    type_labels: dict[str, str]
    """Content type slug → the type as the inventory wrote it (``e-book/guide``); the most
    used spelling when pieces write one type two ways, ties to the first in sort order."""
    views: dict[tuple[str, str], dict[str, float]]
    """(quarter, content_id) → {views, users, engagement_seconds}"""
    influence: dict[tuple[str, str], dict[str, float]]
    """(quarter, content_id) → {influenced_revenue_minor, won_deals, lost_deals, open_deals, …}"""
    attribution: dict[tuple[str, str, str], dict[str, float]]
    """(quarter, content_id, model) → {revenue_minor, credit, deals_influenced}"""
    won_journeys: pd.DataFrame
    """Journeys of won deals with their position (first/middle/last)."""
    pairs: pd.DataFrame
    """Distinct (quarter, deal_id, content_id) of won deals."""

    def money(self, minor: float | int | None) -> Decimal:
        """Minor units as a ``Decimal`` in the reporting currency."""
        return money(minor, self.results.currency_digits)


def type_labels(content: pd.DataFrame) -> dict[str, str]:
    """Map each content type slug to its label as written (see :attr:`Indexed.type_labels`).

    In: the content frame (``content_type``; ``content_type_label`` when the snapshot has
    it). A type without a written label (analytics-only pages, older snapshots) is absent.
    """
    if "content_type_label" not in content.columns:
        return {}
    written = content[["content_type", "content_type_label"]].dropna()
    counts = written.value_counts().reset_index(name="n")
    counts = counts.sort_values(
        ["content_type", "n", "content_type_label"], ascending=[True, False, True]
    )
    first = counts.drop_duplicates("content_type")
    return {
        str(k): str(v)
        for k, v in zip(first["content_type"], first["content_type_label"], strict=True)
        if str(v)
    }


def index(results: Results, enriched: EnrichedFrames | None = None) -> Indexed:
    """Reshape the result frames once (``enriched`` is computed when not given)."""
    if enriched is None:
        from revstory.uncertainty.intervals import enrich

        enriched = enrich(results)
    content = results.content
    perf = results.performance
    # Plain dicts: 2,000 article pages make tens of thousands of lookups.
    views = (
        perf.groupby(["quarter", "content_id"], sort=True)[["views", "users", "engagement_seconds"]]
        .sum()
        .to_dict("index")
    )
    influence = results.influence.set_index(["quarter", "content_id"]).to_dict("index")
    attribution = results.attribution.set_index(["quarter", "content_id", "model"]).to_dict("index")

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
        enriched=enriched,
        titles=dict(zip(content["content_id"], content["title"], strict=True)),
        types=dict(zip(content["content_id"], content["content_type"], strict=True)),
        type_labels=type_labels(content),
        views=cast(dict[tuple[str, str], dict[str, float]], views),
        influence=cast(dict[tuple[str, str], dict[str, float]], influence),
        attribution=cast(dict[tuple[str, str, str], dict[str, float]], attribution),
        won_journeys=j,
        pairs=pairs,
    )
