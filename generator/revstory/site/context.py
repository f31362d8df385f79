"""Page contexts: one frozen dataclass per page type, every field documented.

Templates receive the fields of a page's context as their top-level names (see
``render.render_page``); ``tests/site/test_contract.py`` fails when a template uses a name its
context does not document. Values are plain: strings, numbers (money as ``Decimal`` in the
reporting currency), dates, and the small records below — never data frames. Strings from the
data are escaped by the renderer, never trusted.
"""

# doc() is dataclasses.field() with metadata, not a shared mutable default.
# ruff: noqa: RUF009

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from revstory.site.charts import Chart

# CardView: the cards of FirstScreenView, checked with the other contexts (test_contract).
from revstory.site.first_screen import CardView, FirstScreenView  # noqa: F401

Kind = Literal[
    "text",
    "link",
    "money",
    "percent",
    "number",
    "int",
    "date",
    "days",
    "flag",
    "quarter",
    "code",
]


def doc(text: str, **kwargs: Any) -> Any:
    """Declare a dataclass field with its documentation (read by the contract test)."""
    return field(metadata={"doc": text}, **kwargs)


@dataclass(frozen=True)
class Link:
    """A link to another page of the site."""

    text: str = doc("Shown text (escaped).")
    href: str = doc("Relative URL from the page holding the link.")


Cell = str | int | float | Decimal | dt.date | Link | None


@dataclass(frozen=True)
class Column:
    """One column of a table."""

    key: str = doc("Column name in the CSV download.")
    label: str = doc("Header shown on the page.")
    kind: Kind = doc(
        "How cells are formatted: text, link, money, percent, number, int, "
        "date, days, flag, quarter (2026-Q3 shown as T3 2026) or code "
        "(an identifier such as a file name)."
    )


@dataclass(frozen=True)
class Table:
    """A table shown on a page and offered as a CSV file next to it."""

    columns: tuple[Column, ...] = doc("The columns, in order.")
    rows: tuple[tuple[Cell, ...], ...] = doc("The rows, already sorted; one cell per column.")
    csv_path: str = doc("Where the CSV is written, relative to the docs folder.")
    csv_href: str = doc("Link to the CSV from the page.")
    caption: str = doc("What the table holds, shown above it ('' for none).", default="")

    @property
    def anchor(self) -> str:
        """The table's id on its page (charts link to it)."""
        return table_anchor(self.csv_path)


@dataclass(frozen=True)
class Figure:
    """A headline figure with its change from the previous quarter."""

    label: str = doc("What the figure is ('Won revenue').")
    kind: Kind = doc("Format of value: money, percent, days or int.")
    value: Decimal | float | int | None = doc("This quarter's value; None when undefined.")
    previous: Decimal | float | int | None = doc("Previous quarter's value, if any.")
    delta_kind: Literal["relative", "points", "days"] = doc(
        "How the change is shown: relative %, percentage points, or days."
    )


@dataclass(frozen=True)
class AnecdoteReader:
    """One person of a won deal's buying group: their role, never their name."""

    label: str = doc(
        "Their seniority and their role on the deal as the CRM gives it ('CFO · Economic "
        "Buyer'; a standard role translated), either alone, or 'A buyer with no role in the "
        "CRM'; '(2)' after a label two readers share. Never a name or a job title."
    )
    steps: tuple[tuple[str, Link, str], ...] = doc(
        "Their touches, the last before the signature first: (what they did, link to the "
        "piece, when: '3 days before signing'); consecutive repeats merged."
    )


@dataclass(frozen=True)
class Anecdote:
    """A won deal told as a story: who read what, in order, before signing."""

    account: str = doc("Account name, or its segment when accounts are redacted.")
    summary: str = doc(
        "The rest of the sentence, in the site's language: what was signed, "
        "when, days from the first touch, how many people read content."
    )
    deal_type: str = doc("new, renewal or expansion, in the site's language.")
    amount: Decimal = doc("Deal amount in the reporting currency.")
    closed_on: dt.date = doc("Date the deal was signed.")
    readers: int = doc("How many of the deal's contacts read content.")
    days_to_close: int = doc("Days from the first touch to the signature.")
    people: tuple[AnecdoteReader, ...] = doc(
        "The buying group, the person who read last before the signature first."
    )
    more_steps: int = doc("Further touches not listed (the story shows the latest ones).")
    more: str = doc("'…and 3 earlier touches.' in the site's language, or ''.")


@dataclass(frozen=True)
class StoryContext:
    """One quarter's story: shown on the home page (latest quarter) and its quarter page."""

    quarter: str = doc("The quarter told, e.g. 2026-Q3.")
    previous_quarter: str | None = doc(
        "The quarter the changes compare with, as readers "
        "write it (Q2 2026, T2 2026, II kw. 2026), if any."
    )
    default_model: str = doc(
        "Model behind the attributed figures and rankings (its name in the site's language)."
    )
    notices: tuple[str, ...] = doc(
        "Shown first: the quarter was restored from its snapshot, or computed under other settings."
    )
    first: FirstScreenView = doc("The first screen: title line, cards, sentence, bullets.")
    figures: tuple[Figure, ...] = doc(
        "Headline figures with quarter-over-quarter change "
        "(no change when the quarters are not comparable)."
    )
    summary: Table = doc("The headline figures as the one-page summary CSV for decks.")
    board_pack_href: str | None = doc(
        "Link to the page's board-pack PDF beside the summary CSV (setting board_pack): the "
        "home page's, or the quarter page's own quarter; None without the setting."
    )
    figures_chart: Chart | None = doc(
        "Won revenue of content-touched vs other deals, quarter "
        "by quarter up to this one (None before two quarters)."
    )
    narrative: tuple[str, ...] = doc("Generated sentences, in the site's language.")
    editor_note: str | None = doc("The editor's story.md as sanitised HTML (site.sanitise).")
    anecdotes: tuple[Anecdote, ...] = doc("3–5 of the largest content-touched won deals.")
    anecdotes_hidden: str | None = doc(
        "Why anecdotes are hidden ('hidden: fewer than 3 deals'), or None."
    )
    top_articles: Table = doc("Pieces ranked by revenue under the default model.")
    not_working: Table = doc(
        "Traffic but no influenced revenue for retreat_after_quarters "
        "quarters in a row: candidates to retire or rework."
    )
    not_working_intro: str = doc("What the retreat list means (or why it is still empty).")
    gems: Table = doc("Hidden gems: little-read pieces with high influenced revenue per view.")
    gems_intro: str = doc("How gems are chosen, with the quarter's average revenue per view.")
    economics: Table | None = doc(
        "Revenue per unit of production cost and time to the first "
        "won deal, per piece with a cost; None when no piece has one."
    )
    age: Table = doc("Revenue attributed this quarter by the piece's age at the deal's close.")
    age_chart: Chart | None = doc("Revenue by content age as a chart (None without revenue).")
    deal_types: Table = doc(
        "New business, renewals and expansion: won and content-influenced "
        "revenue and pipeline per deal type."
    )
    comparisons: Table = doc(
        "Win rate and median sales cycle of content-touched vs other "
        "closed deals, overall and per content type, with 90 % intervals."
    )
    comparisons_chart: Chart = doc("The win rates of the comparison table as a chart.")
    model_comparison: Table = doc("Attributed revenue per content type under every model.")
    model_chart: Chart | None = doc(
        "Per content type, the range of attributed revenue across "
        "models, the default model's 90 % interval and its value "
        "(None without revenue)."
    )
    link_prefix: str = doc("Prefix from the page to the docs root ('' or '../').")


@dataclass(frozen=True)
class HomeContext:
    """index.md: the latest quarter's story."""

    title: str = doc("Page title.")
    story: StoryContext = doc("The latest quarter's story.")
    quarters: tuple[Link, ...] = doc(
        "The earlier quarters' pages (not the one told), newest first."
    )


@dataclass(frozen=True)
class QuarterContext:
    """quarters/<quarter>.md: the quarter's story plus every piece's figures."""

    title: str = doc("Page title.")
    story: StoryContext = doc("The quarter's story.")
    pieces: Table = doc("Every piece with traffic, influence and attributed revenue.")


@dataclass(frozen=True)
class ArticleContext:
    """articles/<content_id>.md: one piece of content, across every quarter."""

    title: str = doc("The piece's title (escaped when rendered).")
    content_id: str = doc("Stable slug; the page's file name.")
    content_type: Link = doc("Link to the piece's content type page.")
    url: str = doc("The piece's public URL.")
    published_at: dt.date | None = doc("Publication date, if known.")
    author: str | None = doc("Author or team, if known.")
    default_model: str = doc("Model behind the headline revenue.")
    thin: bool = doc("True when fewer won deals than min_deals back the figures.")
    min_deals: int = doc("The thin-evidence threshold.")
    engagement: Table = doc("Per quarter: views, users, engagement, influenced revenue.")
    engagement_chart: Chart | None = doc("Views per quarter (None before two quarters).")
    trend_chart: Chart | None = doc(
        "Influenced and attributed revenue per quarter (None "
        "before two quarters or without revenue)."
    )
    charts_note: str = doc("Why revenue charts are left out (no revenue yet), or ''.")
    retreat: str | None = doc("Why the piece is a candidate to retire or rework, or None.")
    deals_hidden: str | None = doc(
        "'hidden: fewer than 3 deals' when the deal list is hidden (min_group_size), else None."
    )
    credit: Table = doc("Attributed revenue under every model, per quarter and in total.")
    credit_chart: Chart | None = doc(
        "Per quarter with revenue: the range of the piece's credit "
        "across models, the default model's 90 % interval and "
        "value (None when it never earned any)."
    )
    deals: Table = doc("Won deals whose journey holds the piece (accounts per redaction).")
    positions: Table = doc("How often the piece is a journey's first, middle or last touch.")
    co_read: Table = doc("Pieces most often read in the same won deals.")
    certainty_intro: str = doc(
        "What the interval table shows, for the latest quarter with "
        "revenue ('' when the piece never earned any)."
    )
    certainty: Table = doc(
        "Per model: revenue, its 90 % bootstrap interval, won deals, "
        "thin-evidence flag (latest quarter with revenue)."
    )
    certainty_notes: tuple[str, ...] = doc(
        "Sentences on the spread across models and on "
        "win rates of touched vs untouched deals, with the "
        "association-not-cause caveat."
    )
    robustness: str = doc(
        "How often the piece is in the top list of the latest quarter across bootstrap "
        "resamples and models ('' when it earned no credit then).",
        default="",
    )


@dataclass(frozen=True)
class TypeContext:
    """types/<content_type>.md: every piece of one content type."""

    title: str = doc("Page title.")
    content_type: str = doc("The content type.")
    label: str = doc(
        "The content type as readers see it: the catalog's word for a known type, else as "
        "the inventory wrote it ('e-book/guide'); the navigation's entry."
    )
    totals: Table = doc("Per quarter: pieces, views, attributed and influenced revenue.")
    pieces: Table = doc("Every piece of the type, linked to its page.")


@dataclass(frozen=True)
class TypesIndexContext:
    """types/index.md: every content type and every piece (the article index)."""

    title: str = doc("Page title.")
    types: Table = doc("Content types with their pieces and revenue.")
    pieces: Table = doc("Every piece of content, linked to its page.")


@dataclass(frozen=True)
class ModelRule:
    """One attribution model as the methodology page states it."""

    name: str = doc("Model name.")
    rule: str = doc("The model's rule in one sentence.")
    is_default: bool = doc("True for the model behind headline figures.")


@dataclass(frozen=True)
class MethodologyContext:
    """methodology.md: every model's rule, the window and the settings."""

    title: str = doc("Page title.")
    models: tuple[ModelRule, ...] = doc("Every model shown on the site.")
    data_driven: bool = doc(
        "True when markov or shapley is shown: the page says how their "
        "per-deal split relates to the global shares of effects.csv."
    )
    lookback_days: int = doc("Touches count from this many days before a deal's creation.")
    journey_mode: str = doc("contact or account matching.")
    half_life_days: float = doc("Half-life of time_decay in days.")
    reporting_currency: str = doc("ISO code all revenue is shown in.")
    min_deals: int = doc("Below this many won deals a piece's figures are flagged thin.")
    redact_accounts: bool = doc("Whether account names are hidden.")
    min_group_size: int = doc(
        "Deal lists, anecdotes and per deal type or content type figures backed by fewer "
        "deals are hidden."
    )
    retreat_after_quarters: int = doc(
        "Quarters in a row without revenue before a piece is a retreat candidate."
    )
    quarters: tuple[str, ...] = doc("The quarters reported.")
    restored: tuple[str, ...] = doc("Quarters read back from their snapshots.")


@dataclass(frozen=True)
class DataQualityContext:
    """data-quality.md: every input file and every row accounted for."""

    title: str = doc("Page title.")
    verdict: tuple[str, ...] = doc(
        "The verdict the page opens with, one sentence each: deal rows loaded, won revenue "
        "linked to a reader of content, rows dropped and why (escaped when rendered)."
    )
    files: Table = doc("Per file: rows read, kept, merged, dropped.")
    reasons: Table = doc("Per file: rows merged or dropped, with the reason.")
    warnings: tuple[str, ...] = doc("Data warnings of the run (escaped when rendered).")


@dataclass(frozen=True)
class Page:
    """A page to render: where it goes, with which template and context."""

    path: str = doc("Path of the Markdown file, relative to the docs folder.")
    template: str = doc("Template name under site_templates/pages/.")
    context: Any = doc("The page's context dataclass.")


#: Which context each page template renders (checked by the contract test).
TEMPLATE_CONTEXTS: dict[str, type] = {
    "home.md.j2": HomeContext,
    "quarter.md.j2": QuarterContext,
    "article.md.j2": ArticleContext,
    "type.md.j2": TypeContext,
    "types_index.md.j2": TypesIndexContext,
    "methodology.md.j2": MethodologyContext,
    "data_quality.md.j2": DataQualityContext,
}


def table(
    columns: Sequence[tuple[str, str, Kind]],
    rows: Sequence[tuple[Cell, ...]],
    csv_path: str,
    caption: str = "",
) -> Table:
    """Build a :class:`Table` whose CSV sits next to its page (``csv_path`` is docs-relative)."""
    return Table(
        columns=tuple(Column(key, label, kind) for key, label, kind in columns),
        rows=tuple(rows),
        csv_path=csv_path,
        csv_href=csv_path.rsplit("/", 1)[-1],
        caption=caption,
    )


def table_anchor(csv_path: str) -> str:
    """``index-models.csv`` → ``table-index-models``: the id a chart's table link targets."""
    return "table-" + csv_path.rsplit("/", 1)[-1].removesuffix(".csv")
