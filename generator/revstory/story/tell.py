"""Tell every quarter: the result frames → one :class:`Story` of frozen records.

The story is the last computing stage: after it, the site only words, formats and draws.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import pandas as pd

from revstory.attribute.stage import Results
from revstory.config import Settings
from revstory.story import figures as fig
from revstory.story import pieces as pc
from revstory.story.anecdotes import anecdotes
from revstory.story.first_screen import (
    FirstScreen,
    data_as_of,
    first_screen,
    piece_range,
    top_piece,
)
from revstory.story.index import Indexed, index
from revstory.story.records import PieceFigures, QuarterStory, TopPiece
from revstory.uncertainty.intervals import EnrichedFrames
from revstory.uncertainty.robustness import (
    Robustness,
    resampled_totals,
    top_robustness,
    total_interval,
)


@dataclass(frozen=True)
class Story:
    """Every quarter's story, and the indexed frames the per-piece pages read."""

    ix: Indexed
    quarters: Mapping[str, QuarterStory]
    """quarter → its story, for every quarter of the results."""
    totals: tuple[PieceFigures, ...]
    """Every piece of the inventory, summed over all quarters (default model)."""
    first_screens: Mapping[str, FirstScreen]
    """quarter → its first screen (cards, what moved won revenue, three bullets)."""
    robustness: Mapping[str, Mapping[str, Robustness]]
    """quarter → content_id → how often the piece is in the top list across bootstrap
    resamples and models (every piece with credit under the default model)."""

    @property
    def results(self) -> Results:
        """The result frames the story was told from."""
        return self.ix.results


def tell_quarter(
    ix: Indexed,
    quarter: str,
    settings: Settings,
    comparable: frozenset[str] | None = None,
    deal_type_frame: pd.DataFrame | None = None,
    compare: bool = True,
) -> QuarterStory:
    """Tell the story of ``quarter``.

    ``comparable``: quarters whose figures may be compared with one another (None: all); the
    previous quarter is not compared with when either is outside it. With ``compare=False``
    the touched-vs-untouched comparisons are left empty (:func:`tell` adds them last).
    """
    quarters = ix.results.quarters
    pos = quarters.index(quarter)
    previous = quarters[pos - 1] if pos > 0 else None
    if (
        previous
        and comparable is not None
        and (previous not in comparable or quarter not in comparable)
    ):
        previous = None  # computed under other settings: no change shown
    model = settings.default_model
    rows = pc.quarter_pieces(ix, quarter, model, settings.min_group_size)
    top = pc.top_piece(rows)
    frame = deal_type_frame if deal_type_frame is not None else fig.deal_type_frame(ix.results)
    return QuarterStory(
        quarter=quarter,
        previous=previous,
        figures=fig.quarter_figures(ix.results, quarter, model),
        before=fig.quarter_figures(ix.results, previous, model) if previous else None,
        history=tuple((q, fig.quarter_figures(ix.results, q, model)) for q in quarters[: pos + 1]),
        pieces=rows,
        top=pc.rank(rows),
        top_piece=TopPiece(
            top.content_id, top.revenue, None if "won_deals" in top.hidden else top.won_deals
        )
        if top
        else None,
        retreat=pc.retreat(ix, quarter, settings.retreat_after_quarters, settings.min_group_size),
        retreat_history_short=len(quarters[: pos + 1]) < settings.retreat_after_quarters,
        gems=pc.gems(
            ix,
            rows,
            settings.gem_max_views_share,
            settings.gem_min_deals,
            quarter,
            settings.min_group_size,
        ),
        economics=pc.economics(ix, quarter, model, settings.min_group_size),
        age=pc.age_buckets(ix, quarter, model),
        model_comparison=pc.model_comparison(ix, quarter, settings.models, settings.default_model),
        deal_types=fig.deal_types(frame, quarter, settings.min_group_size),
        comparisons=fig.comparisons(ix.enriched, quarter, settings.min_group_size)
        if compare
        else (),
        anecdotes=anecdotes(ix, quarter, settings),
    )


def tell(
    results: Results,
    settings: Settings,
    comparable: frozenset[str] | None = None,
    enriched: EnrichedFrames | None = None,
) -> Story:
    """Tell every quarter's story (see :func:`tell_quarter`).

    ``enriched`` is computed when not given.
    """
    ix = index(results, enriched)
    try:
        return _tell(ix, settings, comparable)
    finally:
        ix.enriching.close()  # its workers, if the story stopped before their rows were in


def _tell(ix: Indexed, settings: Settings, comparable: frozenset[str] | None) -> Story:
    results = ix.results
    deal_type_frame = fig.deal_type_frame(results)
    # The comparisons last: on a big site worker processes compute them meanwhile.
    told = {
        q: tell_quarter(ix, q, settings, comparable, deal_type_frame, compare=False)
        for q in results.quarters
    }
    totals = pc.total_pieces(
        [s.pieces for s in told.values()], list(ix.titles), settings.min_group_size
    )
    model = settings.default_model
    samples, seed, level = ix.enriching.samples, ix.enriching.seed, ix.enriching.level
    resampled = {q: resampled_totals(results, q, model, samples, seed) for q in told}
    robust = {
        q: top_robustness(results, q, settings.models, settings.top_articles, resampled[q])
        for q in told
    }
    told = {
        q: replace(qs, comparisons=fig.comparisons(ix.enriched, q, settings.min_group_size))
        for q, qs in told.items()
    }
    screens = {
        q: first_screen(
            qs,
            fig.deal_types(deal_type_frame, qs.previous) if qs.previous else (),
            total_interval(results, q, model, resampled[q][1], level),
            piece_range(results, q, settings.models, top_piece(qs)),
            len(settings.models),
            data_as_of(results, q),
        )
        for q, qs in told.items()
    }
    return Story(ix=ix, quarters=told, totals=totals, first_screens=screens, robustness=robust)
