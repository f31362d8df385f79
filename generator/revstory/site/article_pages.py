"""The article pages: one per piece of the inventory, at ``articles/<content_id>.md``.

Input: the story's :class:`~revstory.story.index.Indexed`, the site settings and the latest
quarter's robustness. Output: a :class:`PendingPage` per piece, which builds its
:class:`~revstory.site.context.ArticleContext` when asked: the renderer asks in its worker
processes on big sites, so the contexts are built on every core. The facts every page reads
are gathered once for all pieces (:func:`~revstory.story.articles.article_facts`).
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from revstory.errors import BuildError
from revstory.site.charts import Chart, RangeRow, RangeText, bar_chart, line_chart, range_chart
from revstory.site.context import ArticleContext, Cell, Link, Page, table, table_anchor
from revstory.site.first_screen import article_robustness
from revstory.site.fmt import Formatter
from revstory.site.i18n import Translator, translator
from revstory.site.settings import SiteSettings
from revstory.site.story import (
    account_label,
    article_link,
    model_label,
    not_additive,
    shown,
    type_label,
    type_name,
    with_note,
    withheld_note,
)
from revstory.story.articles import (
    ArticleFacts,
    ArticleStory,
    Certainty,
    article_facts,
    article_story,
)
from revstory.story.index import Indexed
from revstory.uncertainty.robustness import Robustness

#: Ids validate made safe (revstory.load.urls.slug): letters of any script, digits, . _ -
SLUG = re.compile(r"[^\W_][\w.-]*")


def safe_slug(value: str, what: str) -> str:
    """Guard file names taken from the data: a slug, never a path."""
    if not SLUG.fullmatch(value) or ".." in value:
        raise BuildError(
            f"{what} {value!r} cannot be used as a file name — ids must match "
            "letters or digits of any script, '.', '_' and '-' (no slashes, no '..')"
        )
    return value


@dataclass(frozen=True)
class ArticleJob:
    """The article pages of a site, built one by one from facts gathered once.

    Big sites build them in the render workers (:class:`PendingPage`): the job is shared by
    the fork, so both cores build contexts as well as render them.
    """

    ix: Indexed
    settings: SiteSettings
    robust: Mapping[str, Robustness]
    latest: str
    facts: ArticleFacts
    records: list[dict[Hashable, Any]]
    """The inventory's rows (``r.content``), in its order."""
    t: Translator
    f: Formatter
    revenue_col: str

    def page(self, i: int) -> Page:
        """Build the page of the inventory's ``i``-th piece."""
        c = self.records[i]
        return _article_page(self, c, article_story(self.facts, str(c["content_id"])))


@dataclass(frozen=True)
class PendingPage:
    """A page whose context is built when it is rendered (see :class:`ArticleJob`)."""

    path: str
    template: str
    job: ArticleJob
    index: int

    def build(self) -> Page:
        """Build the page: its context, from the job's facts."""
        return self.job.page(self.index)


def article_job(
    ix: Indexed, settings: SiteSettings, robust: Mapping[str, Robustness], latest: str
) -> tuple[ArticleJob, list[PendingPage]]:
    """Gather the article pages' facts and name their pages (ids checked as file names)."""
    t = translator(settings.locale)
    job = ArticleJob(
        ix,
        settings,
        robust,
        latest,
        article_facts(ix, settings),
        ix.results.content.to_dict("records"),
        t,
        Formatter(settings.locale, settings.reporting_currency),
        t("Revenue (%(model)s)", model=model_label(settings.default_model, t)),
    )
    pending = [
        PendingPage(
            f"articles/{safe_slug(str(c['content_id']), 'content_id')}.md", "article.md.j2", job, i
        )
        for i, c in enumerate(job.records)
    ]
    return job, pending


def _article_page(job: ArticleJob, c: dict[Hashable, Any], art: ArticleStory) -> Page:
    """Build one article page from its inventory row ``c`` and its story ``art``."""
    ix, settings, robust, latest = job.ix, job.settings, job.robust, job.latest
    r = ix.results
    models = settings.models
    t, f, revenue_col = job.t, job.f, job.revenue_col
    cid = safe_slug(art.content_id, "content_id")
    path = f"articles/{cid}.md"
    stem = f"articles/{cid}"
    eng_rows: list[tuple[Cell, ...]] = [
        (
            e.quarter,
            e.views,
            e.users,
            e.seconds_per_view,
            ix.money(e.attributed),
            shown(ix, e.influenced),
            e.won_deals,
        )
        for e in art.engagement
    ]
    withheld = withheld_note(t, settings.min_group_size)
    engagement = table(
        [
            ("quarter", t("Quarter"), "quarter"),
            ("views", t("Views"), "int"),
            ("users", t("Users"), "int"),
            ("seconds_per_view", t("Seconds per view"), "number"),
            ("attributed_revenue", revenue_col, "money"),
            ("influenced_revenue", t("Influenced revenue"), "money"),
            ("won_deals", t("Won deals touched"), "int"),
        ],
        eng_rows,
        f"{stem}-engagement.csv",
        caption=with_note(
            t("One row per quarter.") + " " + not_additive(t),
            withheld,
            any(e.influenced is None for e in art.engagement),
        ),
    )
    # One unit per chart, and no trend before two quarters (restored quarters included).
    quarters = [t.quarter(e.quarter) for e in art.engagement]
    attributed = [float(ix.money(e.attributed)) for e in art.engagement]
    # A withheld quarter is a gap in the line, not a zero.
    influenced = [
        None if e.influenced is None else float(ix.money(e.influenced)) for e in art.engagement
    ]
    several = len(quarters) >= 2
    earned = any(attributed) or any(influenced)
    eng_link = (
        t("The numbers behind this chart"),
        "#" + table_anchor(f"{stem}-engagement.csv"),
    )
    eng_chart = (
        bar_chart(
            "engagement",
            f,
            quarters,
            {t("Views"): [e.views for e in art.engagement]},
            "count",
            horizontal=False,
            name=t("Views of this piece per quarter"),
            table_link=eng_link,
            height=240,
        )
        if several
        else None
    )
    trend_chart = (
        line_chart(
            "trend",
            f,
            quarters,
            {revenue_col: attributed, t("Influenced revenue"): influenced},
            "money",
            name=t("Revenue of this piece per quarter"),
            table_link=eng_link,
        )
        if several and earned
        else None
    )
    charts_note = (
        ""
        if earned
        else t(
            "This piece has not yet been in the journey of a won "
            "deal, so there is no revenue to chart; its views are "
            "in the table below."
        )
    ) + (
        ""
        if several
        else (" " if not earned else "")
        + t("One quarter of data so far: the trend appears from the second quarter on.")
    )
    retreat = (
        t(
            "Candidate to retire or rework: traffic but no influenced revenue for %(q)s.",
            q=t.n("%(num)s quarter", "%(num)s quarters in a row", art.silent_streak),
        )
        if art.silent_streak >= settings.retreat_after_quarters
        else None
    )
    # Credit under every model.
    credit_rows: list[tuple[Cell, ...]] = [
        (model_label(m, t), *(ix.money(v) for v in per_q), ix.money(sum(per_q)))
        for m, per_q in zip(models, art.credit, strict=True)
    ]
    credit = table(
        [
            ("model", t("Model"), "text"),
            *((q, t.quarter(q), "money") for q in r.quarters),
            ("total", t("Total to date"), "money"),
        ],
        credit_rows,
        f"{stem}-credit.csv",
    )
    credit_chart = _credit_range(ix, art, models, settings, t, f, f"{stem}-credit.csv")
    # Deals influenced (won deals whose journey holds the piece), unless too few.
    deal_table = table(
        [
            ("quarter", t("Quarter"), "quarter"),
            ("account", t("Account"), "text"),
            ("deal_type", t("Deal type"), "text"),
            ("closed_on", t("Closed"), "date"),
            ("amount", t("Amount"), "money"),
            ("credit", t("Share of the deal"), "percent"),
            ("revenue", revenue_col, "money"),
        ],
        [
            (
                d.quarter,
                account_label(d.account, t),
                t.deal_type(d.deal_type),
                d.closed_on,
                ix.money(d.amount),
                d.credit,
                ix.money(d.revenue),
            )
            for d in art.deals
        ],
        f"{stem}-deals.csv",
    )
    # Journey position and co-read pieces.
    total = sum(art.positions.values()) or 1
    positions = table(
        [
            ("position", t("Position in the journey"), "text"),
            ("touches", t("Touches, to date"), "int"),
            ("share", t("Share"), "percent"),
        ],
        [(t.position(p), n, n / total) for p, n in art.positions.items()],
        f"{stem}-positions.csv",
    )
    co_read = table(
        [
            ("piece", t("Piece"), "link"),
            ("content_type", t("Type"), "text"),
            ("won_deals", t("Won deals reading both, to date"), "int"),
        ],
        [(article_link(ix, other, "../"), type_label(ix, other, t), n) for other, n in art.co_read],
        f"{stem}-co-read.csv",
        caption=with_note("", withheld, any(n is None for _, n in art.co_read)),
    )
    cert_intro, cert_rows, cert_notes = _certainty(ix, art.certainty, t, f)
    sure_q = t.quarter(art.certainty.quarter) if art.certainty else ""
    certainty = table(
        [
            ("model", t("Model"), "text"),
            ("revenue", t("Attributed revenue, %(quarter)s", quarter=sure_q), "money"),
            ("low90", t("90 %% low"), "money"),
            ("high90", t("90 %% high"), "money"),
            ("won_deals", t("Won deals touched, %(quarter)s", quarter=sure_q), "int"),
            ("thin", t("Thin evidence"), "text"),
        ],
        cert_rows,
        f"{stem}-certainty.csv",
        caption=with_note(
            "",
            withheld,
            art.certainty is not None
            and any(iv.won_deals is None for iv in art.certainty.intervals),
        ),
    )
    ctx = ArticleContext(
        title=str(c["title"]),
        content_id=cid,
        content_type=Link(
            type_name(ix, str(c["content_type"]), t), f"../types/{c['content_type']}.md"
        ),
        url=str(c["url"]) if isinstance(c["url"], str) else "",
        published_at=c["published_at"].date() if pd.notna(c["published_at"]) else None,
        author=str(c["author"]) if isinstance(c["author"], str) and c["author"] else None,
        default_model=model_label(settings.default_model, t),
        thin=art.won_deals.get(settings.default_model, 0) < settings.min_deals,
        min_deals=settings.min_deals,
        engagement=engagement,
        engagement_chart=eng_chart,
        trend_chart=trend_chart,
        charts_note=charts_note.strip(),
        retreat=retreat,
        deals_hidden=t.n(
            "hidden: fewer than %(num)s deal",
            "hidden: fewer than %(num)s deals",
            settings.min_group_size,
        )
        if art.deals_hidden
        else None,
        credit=credit,
        credit_chart=credit_chart,
        deals=deal_table,
        positions=positions,
        co_read=co_read,
        certainty_intro=cert_intro,
        certainty=certainty,
        certainty_notes=cert_notes,
        robustness=article_robustness(robust.get(art.content_id), latest, t, f),
    )
    return Page(path, "article.md.j2", ctx)


def _credit_range(
    ix: Indexed,
    art: ArticleStory,
    models: Sequence[str],
    settings: SiteSettings,
    tr: Translator,
    f: Formatter,
    csv_path: str,
) -> Chart | None:
    """Chart the piece's credit per quarter with revenue, newest first.

    Each quarter shows the credit across models (min–max), the default model's 90 % interval
    (in the quarter the certainty section covers) and its value.
    """
    model = settings.default_model
    d = list(models).index(model) if model in models else None
    sure = art.certainty
    iv = next((i for i in sure.intervals if i.model == model), None) if sure else None
    rows = []
    for j, q in enumerate(ix.results.quarters):
        credit = [per_q[j] for per_q in art.credit]
        if not any(credit):
            continue
        interval = (
            (float(ix.money(iv.low)), float(ix.money(iv.high)))
            if iv is not None and sure is not None and sure.quarter == q
            else None
        )
        rows.append(
            RangeRow(
                tr.quarter(q),
                float(ix.money(min(credit))),
                float(ix.money(max(credit))),
                float(ix.money(art.credit[d][j] if d is not None else 0)),
                interval,
            )
        )
    if not rows:
        return None
    name = model_label(model, tr)
    n = len(models)
    return range_chart(
        "credit",
        f,
        rows[::-1],
        RangeText(
            tr("Range across the %(n)s models", n=n),
            tr("90 %% interval (%(model)s)", model=name),
            tr("Default model (%(model)s)", model=name),
        ),
        name=tr("Credit to this piece per quarter: how much it depends on the model"),
        description=tr(
            "For each row the light band runs from the lowest to the highest credit "
            "over %(n)s models, the dark bar is the 90 %% interval of the %(model)s "
            "model and the diamond its value.",
            n=n,
            model=name,
        ),
        table_link=(tr("The numbers behind this chart"), "#" + table_anchor(csv_path)),
    )


def _certainty(
    ix: Indexed, sure: Certainty | None, tr: Translator, f: Formatter
) -> tuple[str, list[tuple[Cell, ...]], tuple[str, ...]]:
    """Build the article's "how sure" section for the latest quarter it earned revenue in."""
    if sure is None:
        return "", [], ()
    label = tr.quarter(sure.quarter)
    rows: list[tuple[Cell, ...]] = [
        (
            model_label(iv.model, tr),
            ix.money(iv.revenue),
            ix.money(iv.low),
            ix.money(iv.high),
            iv.won_deals,
            tr("yes") if iv.thin else tr("no"),
        )
        for iv in sure.intervals
    ]
    notes = []
    if sure.models_min is not None and sure.models_max is not None:
        notes.append(
            tr(
                "Across the models this piece earns between %(low)s and %(high)s in %(quarter)s.",
                low=f.money(ix.money(sure.models_min)),
                high=f.money(ix.money(sure.models_max)),
                quarter=label,
            )
        )
        if sure.model_dependent:
            notes.append(
                tr(
                    "Its rank depends on the model chosen: read the model comparison "
                    "before acting on it."
                )
            )
    if sure.win_rates is not None:
        notes.append(
            tr(
                "Closed deals whose buyers read it were won %(touched)s of the time (90 "
                "%%: %(touched_low)s–%(touched_high)s), deals that did not %(untouched)s "
                "(%(untouched_low)s–%(untouched_high)s). This is an association, not "
                "proof of cause.",
                **{k: f.percent(v) for k, v in sure.win_rates.items()},
            )
        )
    return (
        tr(
            "%(quarter)s: revenue credited under every model, with a 90 %% interval from "
            "resampling the quarter's won deals (bootstrap). A wide interval means a few deals "
            "carry the figure.",
            quarter=label,
        ),
        rows,
        tuple(notes),
    )
