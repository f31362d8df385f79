"""The result frames indexed once for the story: plain dicts keyed by quarter and piece.

Input: :class:`~revstory.attribute.stage.Results` and the uncertainty frames
(:func:`revstory.uncertainty.intervals.enrich`). Output: an :class:`Indexed`, so telling 2,000
articles never rescans the frames. Money stays in minor units.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, cast

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
    enriching: Enriching
    """Intervals, model spread and touched-vs-untouched comparisons, computed once (see
    :attr:`enriched`)."""
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

    @property
    def enriched(self) -> EnrichedFrames:
        """Intervals, model spread and comparisons (waits for the workers computing them)."""
        return self.enriching.get()

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


#: From this many pieces on, the touched-vs-untouched comparisons (a bootstrap per piece and
#: quarter, most of the story's time on a big site) run one quarter per worker process.
PARALLEL_PIECES = 400
WORKERS = 2
#: The results a forked worker reads: set just before the fork, so nothing is pickled in.
_RESULTS: Results | None = None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _quarter_comparisons(quarter: str) -> pd.DataFrame:
    """Compute the comparisons of one quarter of :data:`_RESULTS` (in a worker)."""
    from revstory.uncertainty.intervals import influence_comparisons

    if _RESULTS is None:
        raise RuntimeError("_quarter_comparisons runs inside enrich_frames only")
    return influence_comparisons(replace(_RESULTS, quarters=(quarter,)))


class Enriching:
    """:func:`~revstory.uncertainty.intervals.enrich`'s frames, on their way: :meth:`get`.

    On a big site (:data:`PARALLEL_PIECES`, or whenever ``workers`` is given) the
    comparisons start at once, one quarter per forked worker, and the story goes on with
    what does not need them; :meth:`get` computes the intervals and the model spread here,
    then waits for the quarters. Each quarter's bootstrap draws from a random stream of its
    own, so the quarters' rows, put back in quarter order, are the rows one call gives.
    Elsewhere :meth:`get` calls ``enrich`` itself.
    """

    def __init__(
        self,
        results: Results,
        workers: int | None = None,
        enriched: EnrichedFrames | None = None,
    ) -> None:
        import multiprocessing

        from revstory.uncertainty.intervals import DEFAULT_SAMPLES, DEFAULT_SEED, LEVEL

        global _RESULTS
        self.results = results
        self._frames = enriched
        #: The bootstrap's settings, known before the frames are.
        self.samples = enriched.samples if enriched else DEFAULT_SAMPLES
        self.seed = enriched.seed if enriched else DEFAULT_SEED
        self.level = enriched.level if enriched else LEVEL
        self._pool: Any = None
        self._pending: Any = None
        n = min(workers or _cores(), WORKERS, len(results.quarters))
        big = workers is not None or len(results.content) >= PARALLEL_PIECES
        if enriched or n < 2 or not big or "fork" not in multiprocessing.get_all_start_methods():
            return
        _RESULTS = results
        try:  # the workers are forked here, holding the results; none is forked later
            self._pool = multiprocessing.get_context("fork").Pool(n)
        finally:
            _RESULTS = None
        self._pending = self._pool.map_async(_quarter_comparisons, results.quarters)

    def get(self) -> EnrichedFrames:
        """Return the frames, computing or waiting for them the first time."""
        if self._frames is None:
            self._frames = self._compute()
        return self._frames

    def _compute(self) -> EnrichedFrames:
        from revstory.uncertainty.intervals import attribution_intervals, enrich, model_spread

        if self._pool is None:
            return enrich(self.results)
        try:
            intervals = attribution_intervals(self.results)
            spread = model_spread(self.results)
            parts = [p for p in self._pending.get() if len(p)]
        finally:
            self.close()
        if not parts:  # no closed deal in any quarter: the one call's empty frame, as it types it
            return enrich(self.results)
        return EnrichedFrames(
            intervals=intervals,
            spread=spread,
            comparisons=pd.concat(parts, ignore_index=True),
            samples=self.samples,
            seed=self.seed,
            level=self.level,
        )

    def close(self) -> None:
        """Stop the workers (when the story stops early, or once their rows are in)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def enrich_frames(results: Results, workers: int | None = None) -> EnrichedFrames:
    """Compute :func:`~revstory.uncertainty.intervals.enrich`'s frames (see :class:`Enriching`)."""
    return Enriching(results, workers).get()


def index(results: Results, enriched: EnrichedFrames | None = None) -> Indexed:
    """Reshape the result frames once (``enriched`` is computed when not given).

    On a big site ``enriched``'s comparisons are computed in worker processes meanwhile
    (:class:`Enriching`); :attr:`Indexed.enriched` waits for them.
    """
    enriching = Enriching(results, enriched=enriched)
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
        enriching=enriching,
        titles=dict(zip(content["content_id"], content["title"], strict=True)),
        types=dict(zip(content["content_id"], content["content_type"], strict=True)),
        type_labels=type_labels(content),
        views=cast(dict[tuple[str, str], dict[str, float]], views),
        influence=cast(dict[tuple[str, str], dict[str, float]], influence),
        attribution=cast(dict[tuple[str, str, str], dict[str, float]], attribution),
        won_journeys=j,
        pairs=pairs,
    )
