"""The first screen of a quarter's story.

Five headline cards, what moved won revenue, and three bullets (what worked, what to retire
or rework, one next step).

Input: a told :class:`~revstory.story.records.QuarterStory` (and the previous quarter's deal
types, the default model's interval and the top piece's spread across models). Output: a
:class:`FirstScreen` of locale-free values (money in minor units, ratios 0–1, days, content
ids, quarters as ``2026-Q3``); the site words it (:mod:`revstory.site.first_screen`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from revstory.attribute.stage import Results
from revstory.quarter import Quarter
from revstory.story.records import (
    DealTypeFigures,
    Gem,
    QuarterFigures,
    QuarterStory,
    RetreatCandidate,
    TopPiece,
)

CardKey = Literal["won_revenue", "touched_share", "attributed", "win_rate", "cycle"]
#: The first screen names at most this many pieces that worked.
MAX_WORKED = 2


@dataclass(frozen=True)
class Card:
    """One headline figure with its change and its trend."""

    key: CardKey
    kind: Literal["money", "percent", "days"]
    value: float | None
    """This quarter (money in minor units; ratios 0–1; days)."""
    previous: float | None
    """Last quarter's value (None: first quarter, or not comparable)."""
    trend: tuple[float | None, ...]
    """The value quarter by quarter up to this one (a sparkline from two quarters on)."""
    higher_is_better: bool
    """Whether a rise is good news (a longer sales cycle is not)."""
    other: float | None = None
    """The untouched deals' value, for the touched-vs-untouched cards."""
    interval: tuple[int, int] | None = None
    """The 90 % interval of the value (attributed revenue), minor units."""
    top_piece: tuple[int, int] | None = None
    """Lowest and highest credit of the quarter's top piece over the models shown, minor units
    (attributed revenue). Not the total's own range: every model shares out the same won
    revenue of touched deals, so the total is the same under all of them; the top piece's
    credit is what the choice of model moves."""
    model_count: int = 0

    @property
    def change(self) -> float | None:
        """The value minus the previous quarter's (None when either is missing)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def good(self) -> bool | None:
        """True when the change is good news, False when bad, None when flat or unknown."""
        c = self.change
        if c is None or c == 0:
            return None
        return (c > 0) == self.higher_is_better


@dataclass(frozen=True)
class Part:
    """One part of won revenue this quarter against last (minor units)."""

    key: str
    """``total``, ``touched`` / ``other``, or a deal type (new, renewal, expansion)."""
    now: int
    before: int

    @property
    def change(self) -> int:
        """The amount now minus the amount before."""
        return self.now - self.before


@dataclass(frozen=True)
class Decomposition:
    """What moved won revenue: content-touched vs other deals, and per deal type."""

    total: Part
    by_touch: tuple[Part, Part]
    """(touched, other)."""
    by_type: tuple[Part, ...]
    """Deal types, the largest change (up or down) first."""

    @property
    def driver(self) -> Part:
        """The touch group whose change explains most of the total change (ties: other)."""
        return max(self.by_touch, key=lambda p: (abs(p.change), p.key == "other"))


@dataclass(frozen=True)
class NextStep:
    """The one step the figures suggest."""

    kind: Literal["promote_gem", "pipeline", "wait"]
    """promote the best hidden gem; put content in front of the open pipeline (touched deals
    win more often); or wait for the next quarter's comparisons."""
    gem: Gem | None = None
    win_rates: tuple[float, float] | None = None
    """(touched, untouched) for ``pipeline``."""


@dataclass(frozen=True)
class FirstScreen:
    """Everything above the fold for one quarter."""

    quarter: str
    previous: str | None
    data_as_of: dt.date | None
    """The latest date in the drop up to the quarter's end (touch, deal creation or close)."""
    cards: tuple[Card, ...]
    decomposition: Decomposition | None
    """None in a first quarter (nothing to compare with)."""
    worked: tuple[TopPiece, ...]
    """Up to :data:`MAX_WORKED` pieces with the most credit (default model)."""
    retire: tuple[RetreatCandidate, ...]
    """Every retreat candidate, most read first."""
    retire_too_early: bool
    """True when the history is still shorter than the retreat rule needs."""
    next_step: NextStep


def _num(v: float | int | None) -> float | None:
    return None if v is None or v != v else float(v)


def decompose(
    now: QuarterFigures,
    before: QuarterFigures,
    types_now: Sequence[DealTypeFigures],
    types_before: Sequence[DealTypeFigures],
) -> Decomposition:
    """Won revenue's change split by touch (touched vs other deals) and by deal type.

    A deal type whose won revenue is hidden in either quarter (fewer deals than
    ``min_group_size``) is left out of ``by_type``: its change would give the amount away.
    """
    hidden = {d.deal_type for d in (*types_now, *types_before) if "won_revenue" in d.hidden}
    by_now = {d.deal_type: d.won_revenue for d in types_now}
    by_before = {d.deal_type: d.won_revenue for d in types_before}
    types = sorted(
        (
            Part(t, by_now.get(t, 0), by_before.get(t, 0))
            for t in sorted((set(by_now) | set(by_before)) - hidden)
            if by_now.get(t, 0) or by_before.get(t, 0)
        ),
        key=lambda p: (-abs(p.change), p.key),
    )
    return Decomposition(
        total=Part("total", now.won_revenue, before.won_revenue),
        by_touch=(
            Part("touched", now.touched_revenue, before.touched_revenue),
            Part(
                "other",
                now.won_revenue - now.touched_revenue,
                before.won_revenue - before.touched_revenue,
            ),
        ),
        by_type=tuple(types),
    )


def data_as_of(results: Results, quarter: str) -> dt.date | None:
    """Find the latest date the drop holds up to the end of ``quarter``: how fresh it is.

    Dates are deal closes and creations, and touches in journeys.
    """
    end = pd.Timestamp(Quarter.parse(quarter).end) + pd.Timedelta(days=1)
    found = []
    for frame, col in (
        (results.deals, "closed_at"),
        (results.deals, "created_at"),
        (results.journeys, "occurred_at"),
    ):
        if col in frame.columns and len(frame):
            s = pd.to_datetime(frame[col], utc=True).dt.tz_localize(None)
            s = s[s < end]
            if len(s) and pd.notna(s.max()):
                found.append(s.max().date())
    return max(found) if found else None


def top_piece(qs: QuarterStory) -> str | None:
    """Return the content id of the quarter's top piece (most credit, default model), if any."""
    return next((p.content_id for p in qs.top if p.revenue > 0), None)


def piece_range(
    results: Results, quarter: str, models: Sequence[str], content_id: str | None
) -> tuple[int, int] | None:
    """Return the lowest and highest credit of ``content_id`` in ``quarter`` over ``models``.

    A model that gives the piece no row gives it nothing (0). None without a piece.
    """
    if content_id is None or not models:
        return None
    a = results.attribution
    rows = a[(a["quarter"] == quarter) & (a["content_id"].astype(str) == content_id)]
    by_model = rows.groupby(rows["model"].astype(str))["revenue_minor"].sum()
    per = by_model.reindex(list(models), fill_value=0)
    return int(per.min()), int(per.max())


def next_step(qs: QuarterStory) -> NextStep:
    """Choose the one next step of the quarter.

    The best hidden gem to promote; else, when touched deals win more often, content for the
    open pipeline; else wait for the comparisons of the next quarter.
    """
    if qs.gems.gems:
        return NextStep("promote_gem", gem=qs.gems.gems[0])
    wt, wu = qs.figures.win_rate_touched, qs.figures.win_rate_untouched
    if wt is not None and wu is not None and wt > wu:
        return NextStep("pipeline", win_rates=(wt, wu))
    return NextStep("wait")


def first_screen(
    qs: QuarterStory,
    types_before: Sequence[DealTypeFigures],
    interval: tuple[int, int] | None,
    top_models: tuple[int, int] | None,
    model_count: int,
    as_of: dt.date | None,
) -> FirstScreen:
    """Build the first screen of the quarter ``qs`` tells.

    ``types_before``: the previous quarter's deal types (when ``qs.previous`` is set);
    ``interval``: the default model's 90 % interval of the quarter's attributed revenue;
    ``top_models``: the lowest and highest credit of the top piece (:func:`top_piece`) over
    the ``model_count`` models shown (:func:`piece_range`).
    """
    history = [h for _, h in qs.history]
    before = qs.before if qs.previous else None

    def card(attr: str) -> tuple[float | None, float | None, tuple[float | None, ...]]:
        prev = _num(getattr(before, attr)) if before is not None else None
        return _num(getattr(qs.figures, attr)), prev, tuple(_num(getattr(h, attr)) for h in history)

    f = qs.figures
    cards = (
        Card("won_revenue", "money", *card("won_revenue"), True),
        Card("touched_share", "percent", *card("touched_share"), True),
        Card(
            "attributed",
            "money",
            *card("attributed"),
            True,
            interval=interval,
            top_piece=top_models,
            model_count=model_count,
        ),
        Card(
            "win_rate",
            "percent",
            *card("win_rate_touched"),
            True,
            other=_num(f.win_rate_untouched),
        ),
        Card("cycle", "days", *card("cycle_touched"), False, other=_num(f.cycle_untouched)),
    )
    worked = tuple(
        TopPiece(p.content_id, p.revenue, None if "won_deals" in p.hidden else p.won_deals)
        for p in qs.top
        if p.revenue > 0
    )[:MAX_WORKED]
    return FirstScreen(
        quarter=qs.quarter,
        previous=qs.previous if before is not None else None,
        data_as_of=as_of,
        cards=cards,
        decomposition=decompose(f, before, qs.deal_types, types_before)
        if before is not None
        else None,
        worked=worked,
        retire=qs.retreat,
        retire_too_early=qs.retreat_history_short,
        next_step=next_step(qs),
    )
