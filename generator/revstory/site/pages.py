"""Every page of the site as (path, template, context), built from the results.

Input: :class:`~revstory.attribute.stage.Results`, the site settings, the editors' notes per
quarter and the run's warnings. Output: a list of :class:`~revstory.site.context.Page`,
sorted by path. Article pages live at ``articles/<content_id>.md`` — a stable URL; they are
built by :mod:`revstory.site.article_pages` (:func:`plan_pages` leaves them pending, for the
renderer to build where it renders them).
"""

from __future__ import annotations

from collections.abc import Sequence

from revstory.attribute.stage import Results
from revstory.errors import BuildError
from revstory.history import QuarterSource
from revstory.site.article_pages import PendingPage, article_job, safe_slug
from revstory.site.context import (
    Cell,
    DataQualityContext,
    HomeContext,
    Link,
    MethodologyContext,
    ModelRule,
    Page,
    QuarterContext,
    TypeContext,
    TypesIndexContext,
    table,
)
from revstory.site.fmt import Formatter
from revstory.site.i18n import N_, Translator, translator
from revstory.site.settings import SiteSettings
from revstory.site.story import (
    build_story,
    model_label,
    pieces_table,
    shown,
    type_name,
    with_note,
    withheld_note,
)
from revstory.story.index import money
from revstory.story.pieces import type_influenced
from revstory.story.quality import unpriced_open, verdict
from revstory.story.tell import Story, tell

#: Each model's rule, as the methodology page states it.
RULES = {
    "first_touch": N_("100 %% to the first touch."),
    "last_touch": N_("100 %% to the last touch before the close."),
    "linear": N_("Equal credit to every touch."),
    "position_based": N_(
        "40 %% to the first touch, 40 %% to the last, 20 %% spread over the touches between."
    ),
    "u_shaped": N_("40 %% to the first touch, 40 %% to lead creation, 20 %% spread over the rest."),
    "w_shaped": N_(
        "30 %% each to first touch, lead creation and opportunity creation, 10 %% over the rest."
    ),
    "full_path": N_(
        "22.5 %% each to first touch, lead creation, opportunity creation and the "
        "last touch before the close, 10 %% over the rest."
    ),
    "j_shaped": N_("20 %% to the first touch, 60 %% to the last, 20 %% spread over the rest."),
    "inverse_j": N_("60 %% to the first touch, 20 %% to the last, 20 %% spread over the rest."),
    "time_decay": N_(
        "Each touch weighs 2^(−days before the close ÷ half-life), normalised per "
        "deal. Half-life: %(half_life)s."
    ),
    "markov": N_(
        "Order-1 Markov chain over content pieces, solved exactly: each won deal is "
        "split over its pieces in proportion to their removal effects (how much less "
        "often deals are won when the piece is taken out of every journey, lost deals "
        "included)."
    ),
    "shapley": N_(
        "Exact Shapley values of content types from the win rates of the type "
        "combinations journeys used; each won deal is split over its types by Shapley "
        "value, then over a type's pieces by their number of touches."
    ),
}


def _types(story: Story, settings: SiteSettings) -> list[Page]:
    t = translator(settings.locale)
    ix = story.ix
    revenue_col = t("Revenue (%(model)s)", model=model_label(settings.default_model, t))
    rows = story.totals
    types = sorted(set(ix.types.values()))
    pages = [
        Page(
            "types/index.md",
            "types_index.md.j2",
            TypesIndexContext(
                title=t("Content"),
                types=table(
                    [
                        ("content_type", t("Type"), "link"),
                        ("pieces", t("Pieces"), "int"),
                        ("views", t("Views, to date"), "int"),
                        (
                            "attributed_revenue",
                            t("%(revenue)s, to date", revenue=revenue_col),
                            "money",
                        ),
                    ],
                    [
                        (
                            Link(type_name(ix, ty, t), f"{safe_slug(ty, 'content_type')}.md"),
                            sum(1 for r in rows if ix.types.get(r.content_id) == ty),
                            sum(r.views for r in rows if ix.types.get(r.content_id) == ty),
                            ix.money(
                                sum(r.revenue for r in rows if ix.types.get(r.content_id) == ty)
                            ),
                        )
                        for ty in types
                    ],
                    "types/index-types.csv",
                ),
                pieces=pieces_table(ix, rows, settings, "../", "types/index-pieces.csv"),
            ),
        )
    ]
    influenced = type_influenced(ix, settings.min_group_size)
    for ty in types:
        slug = safe_slug(ty, "content_type")
        mine = [r for r in rows if ix.types.get(r.content_id) == ty]
        ids = {r.content_id for r in mine}
        totals: list[tuple[Cell, ...]] = []
        for q in ix.results.quarters:
            qrows = [x for x in story.quarters[q].pieces if x.content_id in ids]
            totals.append(
                (
                    q,
                    len(qrows),
                    sum(x.views for x in qrows),
                    ix.money(sum(x.revenue for x in qrows)),
                    shown(ix, influenced.get((q, ty), 0)),
                )
            )
        any_withheld = any(influenced.get((q, ty), 0) is None for q in ix.results.quarters)
        pages.append(
            Page(
                f"types/{slug}.md",
                "type.md.j2",
                TypeContext(
                    title=t("Content type: %(type)s", type=type_name(ix, ty, t)),
                    content_type=ty,
                    label=type_name(ix, ty, t),
                    totals=table(
                        [
                            ("quarter", t("Quarter"), "quarter"),
                            ("pieces", t("Pieces active"), "int"),
                            ("views", t("Views"), "int"),
                            ("attributed_revenue", revenue_col, "money"),
                            ("influenced_revenue", t("Influenced revenue"), "money"),
                        ],
                        totals,
                        f"types/{slug}-quarters.csv",
                        caption=with_note(
                            t(
                                "One row per quarter. Influenced revenue counts each won deal "
                                "whose buyers read any piece of this type once, in full: it is "
                                "not additive across types."
                            ),
                            withheld_note(t, settings.min_group_size),
                            any_withheld,
                        ),
                    ),
                    pieces=pieces_table(ix, mine, settings, "../", f"types/{slug}-pieces.csv"),
                ),
            )
        )
    return pages


#: The ledger's reasons (revstory.validate) as the data-quality page says them: whole reasons,
#: and the problems a row check reports after the column's name ("amount is negative").
REASONS = {
    "same key in a later drop or row": N_("same key in a later drop or row"),
    "unreadable row": N_("unreadable row"),
    "missing column": N_("missing column"),
    "unrecognised": N_("not recognised as any known export"),
}
#: Whole reasons the validate stage and the source adapters give (revstory.load.adapters),
#: said as they are written there; a reason worded from the data (a Marketo activity type, a
#: WordPress post type) stays as written.
REASONS.update(
    (r, r)
    for r in (
        N_("deal updated in a later drop or file"),
        N_("same contact on the same deal"),
        N_("same person on the same deal under another id"),
        N_("same page and period in a later report"),
        N_("same page as an earlier row after URL normalisation"),
        N_("no exchange rate"),
        N_("amount out of range"),
        N_("closed outside the quarters given"),
        N_("unknown deal"),
        N_("unknown content"),
        N_("blank line"),
        N_("wrong number of fields"),
        N_("preamble (comment and blank lines before the header)"),
        N_("report footer (totals, confidentiality and copyright lines)"),
        N_("footer ('Showing top N results', totals)"),
        N_("Total row"),
        N_("(not set) page"),
        N_("empty page path"),
        N_("another join by the same attendee"),
        N_("another join by the same participant"),
        N_("campaign member who did not respond"),
        N_("contact without a first page seen"),
        N_("contact without an email (no alias to link)"),
        N_("contact without an email or a job title (nothing to link or keep)"),
        N_("host (not a buyer)"),
        N_("lead without an email or a Salesforce id"),
        N_("meeting header, its values and blank lines"),
        N_("not a page_view event"),
        N_("page_view without user_id (anonymous reader)"),
        N_("participant without an email (joined without signing in)"),
        N_("person without an email or a converted contact id"),
        N_("registered but did not attend"),
        N_("section title or header line"),
        N_("touchpoint without a landing page or form URL (offline or ad)"),
    )
)
PROBLEMS = {
    "is empty": N_("is empty"),
    "is empty for a closed deal": N_("is empty for a closed deal"),
    "is negative": N_("is negative"),
    "is not positive": N_("is not positive"),
    "is before created_at": N_("is before created_at"),
    "is not a known currency": N_("is not a known currency"),
    "is not a valid slug": N_("is not a valid slug"),
    "is not an allowed value": N_("is not an allowed value"),
    "appears more than once in this file": N_("appears more than once in this file"),
    "is an email address, not a content id": N_("is an email address, not a content id"),
}


def reason_label(reason: str, t: Translator) -> str:
    """Translate a ledger reason; one the catalog does not know stays as is."""
    if reason in REASONS:
        return t(REASONS[reason])
    column, _, problem = reason.partition(" ")
    if problem in PROBLEMS:
        return t("%(column)s %(problem)s", column=column, problem=t(PROBLEMS[problem]))
    return reason


#: The verdict names this many reasons for dropped rows; the ledger below lists them all.
MAX_REASONS = 5


def _verdict(results: Results, settings: SiteSettings) -> tuple[str, ...]:
    """Write the data-quality page's opening sentences (figures from ``story.quality``)."""
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    v = verdict(results)
    digits = results.currency_digits
    out = []
    if v.deal_rows:
        out.append(
            t.n(
                "%(loaded)s of %(num)s deal row loaded (%(share)s).",
                "%(loaded)s of %(num)s deal rows loaded (%(share)s).",
                v.deal_rows,
                loaded=t.number(v.deal_rows_loaded),
                share=f.percent(v.deal_share, 1),
            )
        )
    if v.won_revenue:
        out.append(
            t.n(
                "%(share)s of won revenue (%(linked)s of %(won)s) comes from deals with at "
                "least one reader of content: %(linked_deals)s of %(num)s won deal.",
                "%(share)s of won revenue (%(linked)s of %(won)s) comes from deals with at "
                "least one reader of content: %(linked_deals)s of %(num)s won deals.",
                v.won_deals,
                share=f.percent(v.linked_share, 1),
                linked=f.money(money(v.linked_revenue, digits)),
                won=f.money(money(v.won_revenue, digits)),
                linked_deals=t.number(v.linked_deals),
            )
        )
    elif v.won_deals:
        out.append(t("No won deal has an amount, so no revenue can be linked to content."))
    else:
        out.append(t("No deal was won in the quarters of this report."))
    if v.dropped:
        shown = "; ".join(
            t("%(reason)s: %(rows)s", reason=reason_label(d.reason, t), rows=t.number(d.rows))
            for d in v.dropped[:MAX_REASONS]
        )
        more = len(v.dropped) - MAX_REASONS
        out.append(
            t.n(
                "%(num)s of %(read)s rows read was dropped — %(reasons)s.",
                "%(num)s of %(read)s rows read were dropped — %(reasons)s.",
                v.rows_dropped,
                read=t.number(v.rows_read),
                reasons=shown,
            )
            + (
                " "
                + t.n(
                    "%(num)s more reason is in the table below.",
                    "%(num)s more reasons are in the table below.",
                    more,
                )
                if more > 0
                else ""
            )
        )
    else:
        out.append(
            t.n(
                "No row was dropped: %(num)s row read.",
                "No row was dropped: %(num)s rows read.",
                v.rows_read,
            )
        )
    if v.unpriced_open:
        out.append(_unpriced(v.unpriced_open, t))
    return tuple(out)


def _unpriced(n: int, t: Translator) -> str:
    return t.n(
        "%(num)s open deal without an amount is not in the pipeline value: its value is "
        "unknown, not zero.",
        "%(num)s open deals without an amount are not in the pipeline value: their value is "
        "unknown, not zero.",
        n,
    )


def _data_quality(results: Results, warnings: tuple[str, ...], settings: SiteSettings) -> Page:
    t = translator(settings.locale)
    ledger = results.ledger
    files: list[tuple[Cell, ...]] = []
    for f, g in ledger.groupby("file", sort=True):
        by = {str(k): int(v) for k, v in g.groupby("outcome")["rows"].sum().items()}
        files.append(
            (
                str(f),
                str(g["table_name"].iloc[0]),
                int(g["rows"].sum()),
                by.get("kept", 0),
                by.get("merged", 0),
                sum(v for k, v in by.items() if k not in ("kept", "merged")),
            )
        )
    reasons: list[tuple[Cell, ...]] = [
        (
            r["file"],
            t.label("ledger outcome", str(r["outcome"])),
            reason_label(str(r["reason"]), t),
            int(r["rows"]),
        )
        for r in ledger[ledger["outcome"] != "kept"].to_dict("records")
    ]
    return Page(
        "data-quality.md",
        "data_quality.md.j2",
        DataQualityContext(
            title=t("Data quality"),
            verdict=_verdict(results, settings),
            files=table(
                [
                    ("file", t("File"), "code"),
                    ("table", t("Table"), "code"),
                    ("rows_read", t("Rows read"), "int"),
                    ("kept", t("Kept"), "int"),
                    ("merged", t("Merged"), "int"),
                    ("dropped", t("Dropped"), "int"),
                ],
                files,
                "data-quality-files.csv",
            ),
            reasons=table(
                [
                    ("file", t("File"), "code"),
                    ("outcome", t("Outcome"), "text"),
                    ("reason", t("Reason"), "text"),
                    ("rows", t("Rows"), "int"),
                ],
                reasons,
                "data-quality-reasons.csv",
            ),
            warnings=warnings,
        ),
    )


def _notices(
    results: Results, sources: tuple[QuarterSource, ...], quarter: str, settings: SiteSettings
) -> tuple[str, ...]:
    """Say what a reader must know before the quarter's figures.

    That is a restored quarter, other settings, open deals whose value is unknown.
    """
    t = translator(settings.locale)
    out = []
    for src in sources:
        if src.quarter != quarter or not src.restored:
            continue
        out.append(
            t(
                "%(quarter)s is shown from its saved snapshot: its raw exports were deleted, "
                "so its figures are as computed when it was last built.",
                quarter=t.quarter(quarter),
            )
        )
        if src.differences:
            out.append(
                t(
                    "%(quarter)s was computed with other settings (%(settings)s); its "
                    "figures are not compared with other quarters.",
                    quarter=t.quarter(quarter),
                    settings="; ".join(f"{k} {a} → {b}" for k, a, b in src.differences),
                )
            )
    unpriced = unpriced_open(results, quarter)
    if unpriced:
        out.append(_unpriced(unpriced, t))
    return tuple(out)


def nav_labels(pages: Sequence[Page | PendingPage]) -> dict[str, str]:
    """Map every page's path to its navigation label: a type page's label, else ""."""
    return {
        p.path: p.context.label
        if isinstance(p, Page) and isinstance(p.context, TypeContext)
        else ""
        for p in pages
    }


def build_pages(
    results: Results,
    settings: SiteSettings,
    notes: dict[str, str],
    warnings: tuple[str, ...] = (),
    sources: tuple[QuarterSource, ...] = (),
) -> list[Page]:
    """Build every page of the site, sorted by path.

    ``sources`` says which quarters were restored from snapshots (and under which settings).
    """
    return [
        p.build() if isinstance(p, PendingPage) else p
        for p in plan_pages(results, settings, notes, warnings, sources)
    ]


def plan_pages(
    results: Results,
    settings: SiteSettings,
    notes: dict[str, str],
    warnings: tuple[str, ...] = (),
    sources: tuple[QuarterSource, ...] = (),
) -> list[Page | PendingPage]:
    """List every page of the site, sorted by path, the article pages still to build.

    As :func:`build_pages`, except that each article page is a :class:`PendingPage`: the
    renderer builds its context where it renders it (in a worker process on big sites).
    """
    if not results.quarters:
        raise BuildError(
            f"no quarter folder with data under '{settings.data_dir}' — add one "
            "folder per quarter, e.g. content/2026-Q3/"
        )
    t = translator(settings.locale)
    quarters = results.quarters
    for q in quarters:
        safe_slug(q, "quarter")
    comparable = frozenset(
        q for q in quarters if not any(s.quarter == q and s.differences for s in sources)
    )
    story = tell(results, settings, comparable)
    ix = story.ix
    latest = quarters[-1]
    pages = [
        Page(
            "index.md",
            "home.md.j2",
            HomeContext(
                title=t("The story of marketing value — %(quarter)s", quarter=t.quarter(latest)),
                story=build_story(
                    story,
                    latest,
                    settings,
                    notes.get(latest),
                    "index.md",
                    _notices(results, sources, latest, settings),
                ),
                # Earlier quarters only: the latest is this page.
                quarters=tuple(
                    Link(t.quarter(q), f"quarters/{q}.md") for q in reversed(quarters[:-1])
                ),
            ),
        )
    ]
    for q in quarters:
        path = f"quarters/{q}.md"
        pages.append(
            Page(
                path,
                "quarter.md.j2",
                QuarterContext(
                    title=t("%(quarter)s", quarter=t.quarter(q)),
                    story=build_story(
                        story,
                        q,
                        settings,
                        notes.get(q),
                        path,
                        _notices(results, sources, q, settings),
                    ),
                    pieces=pieces_table(
                        ix,
                        story.quarters[q].pieces,
                        settings,
                        "../",
                        f"quarters/{q}-pieces.csv",
                        period=t.quarter(q),
                    ),
                ),
            )
        )
    pages += _types(story, settings)
    planned: list[Page | PendingPage] = [*pages]
    planned += article_job(ix, settings, story.robustness.get(latest, {}), latest)[1]
    half_life = t.n("%(num)s day", "%(num)s days", settings.half_life_days)
    planned.append(
        Page(
            "methodology.md",
            "methodology.md.j2",
            MethodologyContext(
                title=t("Methodology"),
                models=tuple(
                    ModelRule(
                        model_label(m, t),
                        t(RULES[m], half_life=half_life),
                        m == settings.default_model,
                    )
                    for m in settings.models
                ),
                data_driven=bool({"markov", "shapley"} & set(settings.models)),
                lookback_days=settings.lookback_days,
                journey_mode=settings.journey_mode,
                half_life_days=settings.half_life_days,
                reporting_currency=settings.reporting_currency,
                min_deals=settings.min_deals,
                redact_accounts=settings.redact_accounts,
                min_group_size=settings.min_group_size,
                retreat_after_quarters=settings.retreat_after_quarters,
                quarters=quarters,
                restored=tuple(s.quarter for s in sources if s.restored),
            ),
        )
    )
    planned.append(_data_quality(results, warnings, settings))
    return sorted(planned, key=lambda p: p.path)
