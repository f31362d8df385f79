"""The quarter's story as a page context: the story's records in words, tables and charts.

Input: a :class:`~revstory.story.tell.Story` (every figure already computed) and the site
settings. Output: a :class:`~revstory.site.context.StoryContext` for one quarter. Every word
comes from the catalog in :mod:`revstory.site.i18n` (en, fr, pl); numbers are formatted by
:mod:`revstory.site.fmt`. Nothing here computes a figure.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal

from babel.numbers import get_currency_symbol

from revstory.site.anecdotes import buying_group
from revstory.site.charts import Chart, RangeRow, RangeText, bar_chart, range_chart
from revstory.site.context import (
    Anecdote,
    Cell,
    Figure,
    Kind,
    Link,
    StoryContext,
    Table,
    table,
    table_anchor,
)
from revstory.site.first_screen import first_screen_view, robustness_line
from revstory.site.fmt import Formatter
from revstory.site.i18n import N_, Translator, translator
from revstory.site.pdf import pack_href
from revstory.site.settings import SiteSettings
from revstory.story.index import Indexed
from revstory.story.pieces import rank
from revstory.story.records import (
    Account,
    Comparison,
    DealTypeFigures,
    PieceFigures,
    QuarterFigures,
    QuarterStory,
)
from revstory.story.tell import Story
from revstory.uncertainty.robustness import Robustness

#: An anecdote lists this many touches (the latest), then says how many earlier ones there were.
MAX_STEPS = 8
#: Hidden gems list at most this many pieces.
MAX_GEMS = 5
#: Labels of the content age buckets (story.pieces.AGE_BUCKETS; one more: older than the
#: last bound).
AGE_LABELS = (
    N_("under 3 months"),
    N_("3–6 months"),
    N_("6–12 months"),
    N_("1–2 years"),
    N_("over 2 years"),
)
#: How an anecdote says the deal was signed, per deal type (other types read as new).
SIGNED = {
    "new": N_("signed a new %(amount)s deal on %(date)s"),
    "renewal": N_("renewed for %(amount)s on %(date)s"),
    "expansion": N_("expanded by %(amount)s on %(date)s"),
}


def account_label(account: Account, t: Translator) -> str:
    """Name the account, or its segment (and industry, when known) when redacted."""
    if account.name:
        return account.name
    if not account.segment:
        return t("A customer")
    if account.industry:
        return t(
            "A company in the %(segment)s segment, in %(industry)s",
            segment=account.segment,
            industry=account.industry,
        )
    return t("A company in the %(segment)s segment", segment=account.segment)


def not_additive(t: Translator) -> str:
    """Caption a table of influenced revenue: say why its rows must not be added."""
    return t(
        "Influenced revenue counts each won deal in full for every piece its buyers read: "
        "it is not additive across pieces."
    )


def hidden_caption(min_group_size: int, t: Translator) -> str:
    """Says why some cells of a table are empty: too few deals back them."""
    return t.n(
        "A dash marks a figure backed by fewer than %(num)s deal: it is hidden so that no "
        "deal can be singled out.",
        "A dash marks a figure backed by fewer than %(num)s deals: it is hidden so that no "
        "deal can be singled out.",
        min_group_size,
    )


def withheld_note(t: Translator, min_group_size: int) -> str:
    """Say why a table shows dashes: figures too few deals back are withheld."""
    return t.n(
        "Figures backed by fewer than %(num)s deal are withheld (a dash, or no column when all "
        "are): they would give a deal away.",
        "Figures backed by fewer than %(num)s deals are withheld (a dash, or no column when all "
        "are): they would give a deal away.",
        min_group_size,
    )


def with_note(caption: str, note: str, needed: bool) -> str:
    """Append ``note`` to a table's ``caption`` when ``needed``."""
    if not needed:
        return caption
    return f"{caption} {note}" if caption else note


def shown(ix: Indexed, minor: int | None) -> Decimal | None:
    """Money of a figure that may be withheld (None stays None: a dash, an empty CSV cell)."""
    return None if minor is None else ix.money(minor)


def article_link(ix: Indexed, content_id: str, prefix: str) -> Link:
    """Link to a piece's article page, titled, from a page ``prefix`` deep."""
    return Link(ix.titles.get(content_id, content_id), f"{prefix}articles/{content_id}.md")


def model_label(model: str, t: Translator) -> str:
    """Name an attribution model in the site's language."""
    return t.model(model)


def type_name(ix: Indexed, ctype: str, t: Translator) -> str:
    """Name a content type for readers: the catalog's word for a known one, else as written."""
    return t.content_type(ctype, ix.type_labels.get(ctype))


def type_label(ix: Indexed, content_id: str, t: Translator) -> str | None:
    """Name a piece's content type for readers, or None when the piece is unknown."""
    ctype = ix.types.get(content_id)
    return None if ctype is None else type_name(ix, ctype, t)


#: (label, kind, QuarterFigures attribute and CSV id, how the change is shown)
FIGURES: tuple[tuple[str, Kind, str, Literal["relative", "points", "days"]], ...] = (
    (N_("Won revenue"), "money", "won_revenue", "relative"),
    (N_("Won deals"), "int", "won_deals", "relative"),
    (N_("Share of won revenue touched by content"), "percent", "touched_share", "points"),
    (N_("Content-attributed revenue (%(model)s)"), "money", "attributed", "relative"),
    (N_("Influenced open pipeline"), "money", "pipeline", "relative"),
    (N_("Win rate, content-touched deals"), "percent", "win_rate_touched", "points"),
    (N_("Win rate, untouched deals"), "percent", "win_rate_untouched", "points"),
    (N_("Median sales cycle, content-touched (days)"), "days", "cycle_touched", "days"),
    (N_("Median sales cycle, untouched (days)"), "days", "cycle_untouched", "days"),
)


def _figures(ix: Indexed, qs: QuarterStory, model: str, t: Translator) -> tuple[Figure, ...]:
    out = []
    for label, kind, attr, delta in FIGURES:
        value = getattr(qs.figures, attr)
        prev = getattr(qs.before, attr) if qs.before else None
        if kind == "money":
            value = ix.money(value)
            prev = ix.money(prev) if qs.before else None
        out.append(Figure(t(label, model=model_label(model, t)), kind, value, prev, delta))
    return tuple(out)


def _summary_table(figures: tuple[Figure, ...], settings: SiteSettings, csv_path: str) -> Table:
    """Tabulate the headline figures as a one-page CSV for decks (raw values, no locale)."""
    f = Formatter(settings.locale, settings.reporting_currency)
    units = {
        "money": settings.reporting_currency,
        "percent": "ratio",
        "days": "days",
        "int": "count",
    }
    rows: list[tuple[Cell, ...]] = []
    for (_, _, attr, _), fig in zip(FIGURES, figures, strict=True):
        rows.append(
            (
                attr,
                fig.label,
                fig.value,
                fig.previous,
                f.delta(fig.value, fig.previous, fig.delta_kind),
                units[fig.kind],
            )
        )
    t = translator(settings.locale)
    return table(
        [
            ("figure", t("Figure"), "text"),
            ("label", t("Figure"), "text"),
            ("value", t("Value"), "number"),
            ("previous", t("Previous quarter"), "number"),
            ("change", t("Change"), "text"),
            ("unit", t("Unit"), "text"),
        ],
        rows,
        csv_path,
    )


def _anecdotes(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, prefix: str
) -> tuple[tuple[Anecdote, ...], str | None]:
    """Tell the anecdotes in words, or say why they are hidden."""
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    if qs.anecdotes.hidden:
        return (), t.n(
            "hidden: fewer than %(num)s deal",
            "hidden: fewer than %(num)s deals",
            settings.min_group_size,
        )
    out = []
    for d in qs.anecdotes.deals:
        people, shown = buying_group(ix, d.people, t, prefix, MAX_STEPS)
        total = sum(len(p.steps) for p in d.people)
        signed = t(
            SIGNED.get(d.deal_type, SIGNED["new"]),
            amount=f.money(ix.money(d.amount)),
            date=f.date(d.closed_on, "long"),
        )
        after = t.n(
            "%(num)s day after the first touch",
            "%(num)s days after the first touch",
            d.days_to_close,
        )
        summary = t(
            "%(signed)s, %(after)s; %(readers)s:",
            signed=signed,
            after=after,
            readers=t.n(
                "%(num)s person read content on the way",
                "%(num)s people read content on the way",
                d.readers,
            ),
        )
        out.append(
            Anecdote(
                account=account_label(d.account, t),
                summary=summary,
                deal_type=t.deal_type(d.deal_type),
                amount=ix.money(d.amount),
                closed_on=d.closed_on,
                readers=d.readers,
                days_to_close=d.days_to_close,
                people=people,
                more_steps=total - shown,
                more=t.n(
                    "…and %(num)s earlier touch.", "…and %(num)s earlier touches.", total - shown
                )
                if total > shown
                else "",
            )
        )
    return tuple(out), None


def pieces_table(
    ix: Indexed,
    rows: Sequence[PieceFigures],
    settings: SiteSettings,
    prefix: str,
    csv_path: str,
    limit: int | None = None,
    robustness: Mapping[str, Robustness] | None = None,
    period: str | None = None,
) -> Table:
    """Rank pieces by attributed, then influenced revenue (the first ``limit`` only).

    With ``robustness``, a column says how often each stays in the top list across bootstrap
    resamples and models; with ``period`` ("Q3 2026"), the figures' headers say it.
    """
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    ranked = rank(rows)
    ranked = ranked[:limit] if limit else ranked
    hidden = any(r.hidden for r in ranked)
    thin = t("thin")
    robust: list[tuple[str, str, Kind]] = (
        [("robustness", t("How robust the ranking is"), "text")] if robustness is not None else []
    )
    return table(
        [
            ("piece", t("Piece"), "link"),
            ("content_type", t("Type"), "text"),
            (
                "attributed_revenue",
                during(
                    t("Revenue (%(model)s)", model=model_label(settings.default_model, t)),
                    period,
                    t,
                ),
                "money",
            ),
            ("won_deals", during(t("Won deals"), period, t), "int"),
            ("influenced_revenue", during(t("Influenced revenue"), period, t), "money"),
            ("views", during(t("Views"), period, t), "int"),
            ("thin", t("Thin evidence"), "flag"),
            *robust,
        ],
        [
            (
                article_link(ix, r.content_id, prefix),
                type_label(ix, r.content_id, t),
                ix.money(r.revenue),
                None if "won_deals" in r.hidden else r.won_deals,
                None if "influenced" in r.hidden else ix.money(r.influenced),
                r.views,
                thin if r.won_deals < settings.min_deals else "",
                *(
                    [robustness_line(robustness.get(r.content_id), t, f)]
                    if robustness is not None
                    else []
                ),
            )
            for r in ranked
        ],
        csv_path,
        caption=with_note("", withheld_note(t, settings.min_group_size), hidden),
    )


def _retreat(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, prefix: str, csv_path: str
) -> tuple[Table, str]:
    t = translator(settings.locale)
    rows: list[tuple[Cell, ...]] = [
        (
            article_link(ix, c.content_id, prefix),
            type_label(ix, c.content_id, t),
            c.streak,
            c.views,
            c.deals_touched,
            c.last_earned or t("never"),
        )
        for c in qs.retreat[: settings.top_articles]
    ]
    n = settings.retreat_after_quarters
    intro = (
        t.n(
            "Not enough history yet: the retreat list needs %(num)s quarter of data.",
            "Not enough history yet: the retreat list needs %(num)s quarters of data.",
            n,
        )
        if qs.retreat_history_short
        else t.n(
            "Pieces with traffic but no influenced revenue in each of the last %(num)s "
            "quarter: candidates to retire or rework.",
            "Pieces with traffic but no influenced revenue in each of the last %(num)s "
            "quarters: candidates to retire or rework.",
            n,
        )
    )
    return table(
        [
            ("piece", t("Piece"), "link"),
            ("content_type", t("Type"), "text"),
            ("quarters_without_revenue", t("Quarters in a row without revenue"), "int"),
            ("views", t("Views in those quarters"), "int"),
            ("deals_touched", during(t("Deals touched"), t.quarter(qs.quarter), t), "int"),
            ("last_quarter_with_revenue", t("Last quarter with revenue"), "quarter"),
        ],
        rows,
        csv_path,
        caption=with_note(
            "",
            withheld_note(t, settings.min_group_size),
            any(c.deals_touched is None for c in qs.retreat[: settings.top_articles]),
        ),
    ), intro


def _gems(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, prefix: str, csv_path: str
) -> tuple[Table, str]:
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    rows: list[tuple[Cell, ...]] = [
        (
            article_link(ix, g.content_id, prefix),
            type_label(ix, g.content_id, t),
            g.views,
            g.won_deals,
            ix.money(g.influenced),
            round(float(g.per_view), 2),
            round(float(g.times_average), 1) if g.times_average is not None else None,
        )
        for g in qs.gems.gems[:MAX_GEMS]
    ]
    period = t.quarter(qs.quarter)
    unit = get_currency_symbol(settings.reporting_currency, locale=settings.locale)
    share = f.percent(settings.gem_max_views_share)
    intro = (
        t(
            "Little-read pieces (views in the lower %(share)s of the quarter) that were in the "
            "journey of won deals, ranked by influenced revenue per view.",
            share=share,
        )
        if qs.gems.average_per_view is None
        else t(
            "Little-read pieces (views in the lower %(share)s of the quarter) that were in the "
            "journey of won deals, ranked by influenced revenue per view. The quarter’s average "
            "is %(average)s per view.",
            share=share,
            average=f.money(qs.gems.average_per_view, 2),
        )
    )
    return table(
        [
            ("piece", t("Piece"), "link"),
            ("content_type", t("Type"), "text"),
            ("views", during(t("Views"), period, t), "int"),
            ("won_deals", during(t("Won deals"), period, t), "int"),
            ("influenced_revenue", during(t("Influenced revenue"), period, t), "money"),
            (
                "revenue_per_view",
                during(t("Influenced revenue per view (%(unit)s)", unit=unit), period, t),
                "number",
            ),
            ("times_average", t("Times the quarter’s average per view"), "number"),
        ],
        rows,
        csv_path,
        caption=not_additive(t),
    ), intro


def _economics(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, prefix: str, stem: str
) -> tuple[Table | None, Table, Chart | None]:
    """Revenue per unit of cost and time to first won deal (to date), and revenue by age."""
    t = translator(settings.locale)
    economics = None
    to_date = t("to date")
    one = Formatter(settings.locale, settings.reporting_currency).money(1)
    if qs.economics is not None:
        rows: list[tuple[Cell, ...]] = [
            (
                article_link(ix, e.content_id, prefix),
                type_label(ix, e.content_id, t),
                ix.money(e.cost),
                shown(ix, e.influenced),
                e.influenced_per_cost,
                e.attributed_per_cost,
                e.published,
                e.first_won_deal,
                e.days_to_first_won_deal,
            )
            for e in qs.economics
        ]
        economics = table(
            [
                ("piece", t("Piece"), "link"),
                ("content_type", t("Type"), "text"),
                ("cost", t("Production cost"), "money"),
                ("influenced_revenue", during(t("Influenced revenue"), to_date, t), "money"),
                (
                    "influenced_per_cost",
                    during(t("Influenced revenue per %(unit)s of cost", unit=one), to_date, t),
                    "number",
                ),
                (
                    "attributed_per_cost",
                    during(t("Attributed revenue per %(unit)s of cost", unit=one), to_date, t),
                    "number",
                ),
                ("published", t("Published"), "date"),
                ("first_won_deal", t("First won deal"), "date"),
                ("days_to_first_won_deal", t("Days from publication to first won deal"), "days"),
            ],
            rows,
            f"{stem}-economics.csv",
            caption=with_note(
                not_additive(t),
                withheld_note(t, settings.min_group_size),
                any(e.influenced is None for e in qs.economics),
            ),
        )
    labels = [t(AGE_LABELS[b.bucket]) if b.bucket is not None else t("unknown") for b in qs.age]
    age_table = table(
        [
            ("age", t("Age of the piece at close"), "text"),
            (
                "attributed_revenue",
                during(
                    t("Revenue (%(model)s)", model=model_label(settings.default_model, t)),
                    t.quarter(qs.quarter),
                    t,
                ),
                "money",
            ),
        ],
        [(label, ix.money(b.revenue)) for label, b in zip(labels, qs.age, strict=True)],
        f"{stem}-age.csv",
    )
    totals = [float(ix.money(b.revenue)) for b in qs.age]
    age_chart = (
        bar_chart(
            "content-age",
            Formatter(settings.locale, settings.reporting_currency),
            labels,
            {t("Revenue"): totals},
            "money",
            name=t(
                "Revenue attributed in %(quarter)s (%(model)s) by the content's age at signature",
                quarter=t.quarter(qs.quarter),
                model=model_label(settings.default_model, t),
            ),
            table_link=(t("The numbers behind this chart"), "#" + table_anchor(f"{stem}-age.csv")),
        )
        if any(totals)
        else None
    )
    return economics, age_table, age_chart


def _model_comparison(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, csv_path: str
) -> tuple[Table, Chart | None]:
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    mc = qs.model_comparison
    names = {ty: type_name(ix, ty, t) for ty in mc.content_types}
    rows: list[tuple[Cell, ...]] = [
        (model_label(m, t), *(ix.money(v) for v in totals))
        for m, totals in zip(mc.models, mc.revenue, strict=True)
    ]
    tbl = table(
        [("model", t("Model"), "text"), *((ty, names[ty], "money") for ty in mc.content_types)],
        rows,
        csv_path,
    )
    default = settings.default_model
    label = model_label(default, t)
    d = mc.models.index(default) if default in mc.models else None
    ranged = []
    for i, ty in enumerate(mc.content_types):
        credit = [totals[i] for totals in mc.revenue]
        iv = mc.intervals[i] if mc.intervals else None
        value = mc.revenue[d][i] if d is not None else 0
        ranged.append(
            RangeRow(
                names[ty],
                float(ix.money(min(credit))),
                float(ix.money(max(credit))),
                float(ix.money(value)),
                (float(ix.money(iv[0])), float(ix.money(iv[1]))) if iv else None,
            )
        )
    ranged.sort(key=lambda r: (-r.value, r.label))
    n = len(mc.models)
    chart = (
        range_chart(
            "models",
            f,
            ranged,
            RangeText(
                t("Range across the %(n)s models", n=n),
                t("90 %% interval (%(model)s)", model=label),
                t("Default model (%(model)s)", model=label),
            ),
            name=t(
                "Revenue attributed per content type in %(quarter)s: how much it depends on the "
                "model",
                quarter=t.quarter(qs.quarter),
            ),
            description=t(
                "For each row the light band runs from the lowest to the highest credit "
                "over %(n)s models, the dark bar is the 90 %% interval of the %(model)s "
                "model and the diamond its value.",
                n=n,
                model=label,
            ),
            table_link=(t("The numbers behind this chart"), "#" + table_anchor(csv_path)),
        )
        if any(r.high > 0 for r in ranged)
        else None
    )
    return tbl, chart


def _deal_types(ix: Indexed, qs: QuarterStory, settings: SiteSettings, csv_path: str) -> Table:
    """Tabulate won and content-influenced revenue per deal type.

    New business stands apart from renewals and expansion (marketing owns the whole lifecycle).
    """
    t = translator(settings.locale)
    period = t.quarter(qs.quarter)

    def money(d: DealTypeFigures, field: str) -> Cell:
        # A dash for an amount too few deals back (story.figures.deal_types).
        return None if field in d.hidden else ix.money(getattr(d, field))

    rows: list[tuple[Cell, ...]] = [
        (
            t.deal_type(d.deal_type),
            d.won_deals,
            money(d, "won_revenue"),
            d.influenced_deals,
            money(d, "influenced_revenue"),
            d.influenced_share,
            money(d, "influenced_pipeline"),
        )
        for d in qs.deal_types
    ]
    hidden = any(d.hidden for d in qs.deal_types)
    return table(
        [
            ("deal_type", t("Deal type"), "text"),
            ("won_deals", during(t("Won deals"), period, t), "int"),
            ("won_revenue", during(t("Won revenue"), period, t), "money"),
            ("influenced_deals", during(t("Won deals touched"), period, t), "int"),
            ("influenced_revenue", during(t("Influenced revenue"), period, t), "money"),
            ("influenced_share", t("Share of won revenue influenced"), "percent"),
            ("influenced_pipeline", t("Influenced open pipeline, now"), "money"),
        ],
        rows,
        csv_path,
        caption=hidden_caption(settings.min_group_size, t) if hidden else "",
    )


def _span(low: float | None, high: float | None, f: Formatter, percent: bool = False) -> str:
    if low is None or high is None:
        return "–"
    if percent:
        # "12–40 %" in French, "12–40%" in Polish: the percent sign as Babel places it.
        return f"{f.number(round(low * 100))}–{f.percent(high)}"
    return f"{round(low)}–{round(high)}"


def _comparisons(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, csv_path: str
) -> tuple[Table, Chart]:
    """Content-touched vs other closed deals, overall and per content type, with intervals."""
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)

    def scope(c: Comparison) -> str:
        return t("All content") if c.scope == "all_content" else type_name(ix, c.key, t)

    rows: list[tuple[Cell, ...]] = [
        (
            scope(c),
            c.touched_deals,
            c.untouched_deals,
            c.win_rate_touched,
            _span(c.win_rate_touched_low, c.win_rate_touched_high, f, True),
            c.win_rate_untouched,
            _span(c.win_rate_untouched_low, c.win_rate_untouched_high, f, True),
            c.cycle_days_touched,
            c.cycle_days_untouched,
        )
        for c in qs.comparisons
    ]

    def pct(v: float | None) -> float | None:
        return None if v is None else round(100 * v, 1)

    chart = bar_chart(
        "touched-vs-other",
        f,
        [scope(c) for c in qs.comparisons],
        {
            t("Win rate, touched"): [pct(c.win_rate_touched) for c in qs.comparisons],
            t("Win rate, others"): [pct(c.win_rate_untouched) for c in qs.comparisons],
        },
        "percent",
        name=t(
            "Win rate in %(quarter)s: deals with content interactions against the others",
            quarter=t.quarter(qs.quarter),
        ),
        table_link=(t("The numbers behind this chart"), "#" + table_anchor(csv_path)),
    )
    return table(
        [
            ("scope", t("Content"), "text"),
            ("touched_deals", t("Touched closed deals"), "int"),
            ("other_deals", t("Other closed deals"), "int"),
            ("win_rate_touched", t("Win rate, touched"), "percent"),
            ("win_rate_touched_90", t("90 %% interval"), "text"),
            ("win_rate_other", t("Win rate, others"), "percent"),
            ("win_rate_other_90", t("90 %% interval"), "text"),
            ("cycle_days_touched", t("Median cycle, touched (days)"), "number"),
            ("cycle_days_other", t("Median cycle, others (days)"), "number"),
        ],
        rows,
        csv_path,
        caption=hidden_caption(settings.min_group_size, t)
        if any(c.win_rate_touched is None and c.touched_deals for c in qs.comparisons)
        or any(c.win_rate_untouched is None and c.untouched_deals for c in qs.comparisons)
        else "",
    ), chart


def _figures_chart(
    ix: Indexed, history: Sequence[tuple[str, QuarterFigures]], settings: SiteSettings
) -> Chart | None:
    """Chart won revenue of touched vs other deals per quarter.

    No trend in one quarter, and one unit per chart (the win rates are in the figures above).
    """
    if len(history) < 2:
        return None
    t = translator(settings.locale)
    figs = [h for _, h in history]
    return bar_chart(
        "figures",
        Formatter(settings.locale, settings.reporting_currency),
        [t.quarter(q) for q, _ in history],
        {
            t("Won revenue, content-touched deals"): [
                float(ix.money(h.touched_revenue)) for h in figs
            ],
            t("Won revenue, other deals"): [
                float(ix.money(h.won_revenue - h.touched_revenue)) for h in figs
            ],
        },
        "money",
        stack=True,
        horizontal=False,
        name=t("Won revenue per quarter: deals with content interactions and the others"),
    )


def build_story(
    story: Story,
    quarter: str,
    settings: SiteSettings,
    editor_note: str | None,
    page_path: str,
    notices: tuple[str, ...] = (),
) -> StoryContext:
    """Build the story of ``quarter`` for the page at ``page_path`` (docs-relative).

    ``notices``: sentences shown first (restored snapshot, settings changed).
    """
    t = translator(settings.locale)
    ix = story.ix
    qs = story.quarters[quarter]
    model = settings.default_model
    prefix = "../" * page_path.count("/")
    stem = page_path.rsplit(".", 1)[0]
    figures = _figures(ix, qs, model, t)
    not_working, not_working_intro = _retreat(ix, qs, settings, prefix, f"{stem}-not-working.csv")
    gems, gems_intro = _gems(ix, qs, settings, prefix, f"{stem}-gems.csv")
    economics, age_table, age_chart = _economics(ix, qs, settings, prefix, stem)
    comparison, chart = _model_comparison(ix, qs, settings, f"{stem}-models.csv")
    anecdotes, hidden = _anecdotes(ix, qs, settings, prefix)
    summary_csv = "summary.csv" if page_path == "index.md" else f"{stem}-summary.csv"
    comparisons, comparisons_chart = _comparisons(ix, qs, settings, f"{stem}-touched-vs-other.csv")
    sentences = narrative(ix, qs, settings, figures)
    first = first_screen_view(
        story.first_screens[quarter],
        t,
        Formatter(settings.locale, settings.reporting_currency),
        ix.money,
        ix.titles,
        model_label(model, t),
        built_on(),
        settings.prepared_by,
        settings.retreat_after_quarters,
        sentences[0],
    )
    return StoryContext(
        quarter=quarter,
        first=first,
        previous_quarter=t.quarter(qs.previous) if qs.previous else None,
        default_model=model_label(model, t),
        notices=notices,
        figures=figures,
        summary=_summary_table(figures, settings, summary_csv),
        board_pack_href=pack_href(page_path, quarter) if settings.board_pack else None,
        figures_chart=_figures_chart(ix, qs.history, settings),
        narrative=sentences,
        editor_note=editor_note,
        anecdotes=anecdotes,
        anecdotes_hidden=hidden,
        top_articles=pieces_table(
            ix,
            qs.top,
            settings,
            prefix,
            f"{stem}-top.csv",
            settings.top_articles,
            story.robustness.get(quarter, {}),
            t.quarter(quarter),
        ),
        not_working=not_working,
        not_working_intro=not_working_intro,
        gems=gems,
        gems_intro=gems_intro,
        economics=economics,
        age=age_table,
        age_chart=age_chart,
        deal_types=_deal_types(ix, qs, settings, f"{stem}-deal-types.csv"),
        comparisons=comparisons,
        comparisons_chart=comparisons_chart,
        model_comparison=comparison,
        model_chart=chart,
        link_prefix=prefix,
    )


def during(label: str, period: str | None, t: Translator) -> str:
    """Head a column with its period: 'Views, Q3 2026', 'Influenced revenue, to date'."""
    return label if period is None else t("%(column)s, %(period)s", column=label, period=period)


def built_on() -> dt.date:
    """Date the build: SOURCE_DATE_EPOCH, else today.

    The build sets SOURCE_DATE_EPOCH from the data when unset, so the same inputs give the
    same bytes.
    """
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "")
    if stamp.isdigit():
        return dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
    return dt.date.today()


def _change_sentence(
    value: float, previous: float, f: Formatter, t: Translator, quarter: str
) -> str:
    """Say how won revenue moved, as a business reader says it.

    "fell by 23 %", not "changed by −23 %" (French "a baissé de 23 %", Polish "spadł o 23%").
    """
    change = (value - previous) / abs(previous)
    size = f.percent(abs(change))
    if not any(ch in "123456789" for ch in size):
        return t("Won revenue was unchanged from %(previous)s.", previous=quarter)
    if change > 0:
        return t("Won revenue rose by %(change)s from %(previous)s.", change=size, previous=quarter)
    return t("Won revenue fell by %(change)s from %(previous)s.", change=size, previous=quarter)


def narrative(
    ix: Indexed, qs: QuarterStory, settings: SiteSettings, figures: tuple[Figure, ...]
) -> tuple[str, ...]:
    """Sentences built from the story's facts, in the site's language."""
    f = Formatter(settings.locale, settings.reporting_currency)
    t = translator(settings.locale)
    won, n_won, share, _, _, wr_t, wr_u, c_t, c_u = figures
    out = [
        t(
            "In %(quarter)s we won %(won)s across %(deals)s; %(share)s of it came from deals "
            "whose buyers read our content before signing.",
            quarter=t.quarter(qs.quarter),
            won=f.money(won.value),
            deals=t.n("%(num)s deal", "%(num)s deals", int(n_won.value or 0)),
            share=f.percent(share.value, 1),
        )
    ]
    if qs.previous and won.previous:
        out.append(
            _change_sentence(
                float(won.value or 0), float(won.previous), f, t, t.quarter(qs.previous)
            )
        )
    if wr_t.value is not None and wr_u.value is not None:
        out.append(
            t(
                "Deals touched by content won %(wr_t)s of the time, against %(wr_u)s for the "
                "others.",
                wr_t=f.percent(wr_t.value, 1),
                wr_u=f.percent(wr_u.value, 1),
            )
        )
    if c_t.value is not None and c_u.value is not None:
        out.append(
            t(
                "At the median, touched deals closed in %(c_t)s, untouched ones in %(c_u)s.",
                c_t=t.n("%(num)s day", "%(num)s days", round(float(c_t.value))),
                c_u=t.n("%(num)s day", "%(num)s days", round(float(c_u.value))),
            )
        )
    if qs.top_piece is not None:
        top = qs.top_piece
        values = {
            "model": model_label(settings.default_model, t),
            "title": ix.titles.get(top.content_id, top.content_id),
            "amount": f.money(ix.money(top.revenue)),
        }
        # Its credit is a model's share and is told; a count of fewer deals than
        # min_group_size is not (PieceFigures.hidden).
        out.append(
            t(
                "The piece with the most credit under %(model)s is “%(title)s”: %(amount)s.",
                **values,
            )
            if top.won_deals is None
            else t(
                "The piece with the most credit under %(model)s is “%(title)s”: %(amount)s "
                "from %(deals)s.",
                deals=t.n("%(num)s won deal", "%(num)s won deals", top.won_deals),
                **values,
            )
        )
    if qs.gems.gems:
        best = qs.gems.gems[0]
        out.append(
            t(
                "The best hidden gem is “%(title)s”: %(amount)s of influenced revenue from "
                "only %(views)s.",
                title=ix.titles.get(best.content_id, best.content_id),
                views=t.n("%(num)s view", "%(num)s views", best.views),
                amount=f.money(ix.money(best.influenced)),
            )
        )
    if qs.retreat:
        shortest = min(c.streak for c in qs.retreat)
        out.append(
            t.n(
                "%(num)s piece has drawn traffic but no revenue for %(q)s; see “What is "
                "not working”.",
                "%(num)s pieces have drawn traffic but no revenue for %(q)s; see “What is "
                "not working”.",
                len(qs.retreat),
                q=t.n("%(num)s quarter", "%(num)s quarters in a row", shortest),
            )
        )
    return tuple(out)
