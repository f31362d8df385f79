"""The story's records: frozen values the site presents, never recomputes.

Everything here is locale-free: money in integer minor units of the reporting currency,
content and deal ids, quarters as ``2026-Q3``, dates, counts and ratios. Words, number formats
and charts are the site's job (:mod:`revstory.site`). Privacy rules (redacted accounts, groups
smaller than ``min_group_size``) are already applied: a record never carries what may not be
shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal


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


@dataclass(frozen=True)
class PieceFigures:
    """One piece's figures in one quarter (or summed over quarters), default model."""

    content_id: str
    views: int
    influenced: int
    """Won revenue of deals whose journey holds the piece (minor units)."""
    deals_touched: int
    """Won, lost and open deals whose journey holds the piece."""
    influenced_won: int
    """Won deals whose journey holds the piece."""
    revenue: int
    """Revenue attributed under the default model (minor units)."""
    won_deals: int
    """Won deals behind the attributed revenue."""
    hidden: tuple[str, ...] = ()
    """The deal-level figures backed by fewer deals than ``min_group_size`` (but at least
    one), by field name (``influenced``, ``influenced_won``, ``deals_touched``,
    ``won_deals``): the site shows a dash. The attributed revenue (a model's share) is
    always shown; a sum over quarters is hidden when any quarter's is."""


@dataclass(frozen=True)
class RetreatCandidate:
    """A piece with traffic but no influenced revenue, quarter after quarter."""

    content_id: str
    streak: int
    """Quarters in a row, ending with the one told, with views and no influenced revenue."""
    views: int
    """Views over those quarters."""
    deals_touched: int | None
    """Lost and open deals of the quarter whose journey holds the piece (None: fewer than
    ``min_group_size``, withheld)."""
    last_earned: str | None
    """The last quarter (up to the one told) with influenced revenue; None: never."""


@dataclass(frozen=True)
class Gem:
    """A little-read piece with high influenced revenue per view."""

    content_id: str
    views: int
    won_deals: int
    influenced: int
    """Influenced won revenue (minor units)."""
    per_view: Decimal
    """Influenced revenue per view, in the reporting currency."""
    times_average: Decimal | None
    """``per_view`` over the quarter's average revenue per view (None: no views at all)."""


@dataclass(frozen=True)
class Gems:
    """The quarter's hidden gems, best first."""

    average_per_view: Decimal | None
    """The quarter's influenced revenue per view over every read piece; None when no piece
    was read, or when fewer than ``min_group_size`` won deals make it (withheld)."""
    gems: tuple[Gem, ...]
    """Every gem, best first (the site lists the first :data:`MAX_GEMS`)."""


@dataclass(frozen=True)
class Economics:
    """Revenue per unit of production cost and time to the first won deal, to date."""

    content_id: str
    cost: int
    """Production cost (minor units)."""
    influenced: int | None
    """Influenced won revenue over the quarters up to the one told (minor units); None, like
    ``influenced_per_cost`` and ``first_won_deal``, when fewer than ``min_group_size`` won
    deals back it."""
    influenced_per_cost: float | None
    """Influenced revenue per unit of cost, rounded to 2 decimals."""
    attributed_per_cost: float
    """Attributed revenue (default model) per unit of cost, rounded to 2 decimals."""
    published: dt.date | None
    first_won_deal: dt.date | None
    days_to_first_won_deal: int | None


@dataclass(frozen=True)
class AgeBucket:
    """Revenue attributed in the quarter by the piece's age at the deal's close."""

    bucket: int | None
    """Index into :data:`~revstory.story.quarter.AGE_BUCKETS` bounds (0: youngest);
    None: age unknown (no publication date)."""
    revenue: int
    """Attributed revenue under the default model (minor units)."""


@dataclass(frozen=True)
class ModelComparison:
    """Attributed revenue per content type under every model shown."""

    content_types: tuple[str, ...]
    models: tuple[str, ...]
    revenue: tuple[tuple[int, ...], ...]
    """One row per model, one minor-unit total per content type."""
    intervals: tuple[tuple[int, int] | None, ...] = ()
    """Per content type, the default model's 90 % interval (minor units), None without
    credit; empty when no default model was given."""


@dataclass(frozen=True)
class DealTypeFigures:
    """Won and content-influenced revenue of one deal type (new, renewal, expansion)."""

    deal_type: str
    won_deals: int
    won_revenue: int
    influenced_deals: int
    influenced_revenue: int
    influenced_pipeline: int
    hidden: tuple[str, ...] = ()
    """The amounts backed by fewer deals than ``min_group_size`` (but at least one), by field
    name: a one-deal group would publish that deal's amount, so the site shows a dash."""

    @property
    def influenced_share(self) -> float | None:
        """Share of the won revenue that content influenced (None: nothing won, or hidden)."""
        if not self.won_revenue or {"won_revenue", "influenced_revenue"} & set(self.hidden):
            return None
        return self.influenced_revenue / self.won_revenue


@dataclass(frozen=True)
class Comparison:
    """Content-touched vs other closed deals, with 90 % bootstrap intervals."""

    scope: str
    """``all_content`` or ``content_type``."""
    key: str
    """``all`` or the content type. A content type's side backed by fewer closed deals than
    ``min_group_size`` (but at least one) has its rates and cycle None (hidden)."""
    touched_deals: int
    untouched_deals: int
    win_rate_touched: float | None
    win_rate_touched_low: float | None
    win_rate_touched_high: float | None
    win_rate_untouched: float | None
    win_rate_untouched_low: float | None
    win_rate_untouched_high: float | None
    cycle_days_touched: float | None
    cycle_days_untouched: float | None


@dataclass(frozen=True)
class Step:
    """One touch of an anecdote (consecutive touches of one piece by one reader merged)."""

    days_before_close: int
    """Whole days from the touch to the signature (0: on the day)."""
    content_id: str
    touch_type: str
    """view, download, webinar_attended, … (the first of the merged touches)."""


@dataclass(frozen=True)
class Reader:
    """One person of a deal's buying group, as the CRM describes them: no identifier."""

    reader: int
    """The deal's reader number (1, 2, … in the order they first read); no person key."""
    role: str | None
    """Their role on the deal as the CRM gives it ("Economic Buyer"), or None."""
    steps: tuple[Step, ...]
    """Their touches, the last before the signature first."""
    seniority: str | None = None
    """Their level, a :data:`revstory.load.seniority.BUCKETS` code ("cfo", "director"), or
    None when the CRM gave no job title. Never the title itself."""


@dataclass(frozen=True)
class Account:
    """Who bought, as far as the privacy settings allow."""

    name: str | None
    """The account name; None when accounts are redacted or the name is unknown."""
    segment: str | None
    industry: str | None


@dataclass(frozen=True)
class Anecdote:
    """A large content-touched won deal told as its journey."""

    account: Account
    deal_type: str
    amount: int
    """Deal amount (minor units)."""
    closed_on: dt.date
    readers: int
    days_to_close: int
    """Days from the first touch to the signature."""
    people: tuple[Reader, ...]
    """The readers, the one who read last before the signature first."""


@dataclass(frozen=True)
class Anecdotes:
    """The quarter's anecdotes, or that they are hidden."""

    hidden: bool
    """True when fewer won deals than ``min_group_size`` could be told."""
    deals: tuple[Anecdote, ...]


@dataclass(frozen=True)
class TopPiece:
    """The piece with the most attributed revenue in the quarter (narrative fact)."""

    content_id: str
    revenue: int
    #: None when fewer than ``min_group_size`` won deals back it (the count is withheld).
    won_deals: int | None


@dataclass(frozen=True)
class QuarterStory:
    """Everything the story of one quarter says, as values."""

    quarter: str
    previous: str | None
    """The quarter the changes compare with; None when there is none or it is not comparable."""
    figures: QuarterFigures
    before: QuarterFigures | None
    """The previous quarter's figures, when ``previous`` is set."""
    history: tuple[tuple[str, QuarterFigures], ...]
    """Every quarter's figures up to this one, oldest first (the trend)."""
    pieces: tuple[PieceFigures, ...]
    """Every piece with traffic, influence or credit in the quarter, by content_id."""
    top: tuple[PieceFigures, ...]
    """``pieces`` ranked by attributed, then influenced revenue."""
    top_piece: TopPiece | None
    retreat: tuple[RetreatCandidate, ...]
    """Every retreat candidate, most read first."""
    retreat_history_short: bool
    """True when fewer quarters than ``retreat_after_quarters`` exist yet."""
    gems: Gems
    economics: tuple[Economics, ...] | None
    """None when no piece has a cost."""
    age: tuple[AgeBucket, ...]
    model_comparison: ModelComparison
    deal_types: tuple[DealTypeFigures, ...]
    comparisons: tuple[Comparison, ...]
    anecdotes: Anecdotes
