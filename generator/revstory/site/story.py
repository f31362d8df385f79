"""The quarter's story: headline figures, sentences, anecdotes, what works and what does not.

Input: the indexed results (``frames.Indexed``), the site settings and where each quarter came
from (live or restored from its snapshot). Output: a
:class:`~revstory.site.context.StoryContext` for one quarter. Every word comes from the
catalog in :mod:`revstory.site.i18n` (en, fr, pl); numbers are formatted by
:mod:`revstory.site.fmt`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from revstory.site.charts import Chart, bar_chart, line_chart
from revstory.site.context import Anecdote, Figure, Link, StoryContext, Table, table
from revstory.site.fmt import Formatter
from revstory.site.frames import Indexed, quarter_figures
from revstory.site.i18n import N_, Translator, translator
from revstory.site.settings import SiteSettings

#: An anecdote lists this many touches, then says how many more there were.
MAX_STEPS = 8
#: Hidden gems and economics list at most this many pieces.
MAX_GEMS = 5
#: Content age buckets at the deal's close, in days (upper bounds, exclusive), and their
#: labels (one more: older than the last bound).
AGE_BUCKETS = (91, 182, 365, 730)
AGE_LABELS = (N_("under 3 months"), N_("3–6 months"), N_("6–12 months"),
              N_("1–2 years"), N_("over 2 years"))
#: How an anecdote says the deal was signed, per deal type (other types read as new).
SIGNED = {
    "new": N_("signed a new %(amount)s deal on %(date)s"),
    "renewal": N_("renewed for %(amount)s on %(date)s"),
    "expansion": N_("expanded by %(amount)s on %(date)s"),
}


def account_label(name: object, segment: object, settings: SiteSettings,
                  industry: object = None) -> str:
    """The account's name, or its segment (and industry, when known) when redacted."""
    t = translator(settings.locale)
    if settings.redact_accounts or not isinstance(name, str) or not name:
        if not isinstance(segment, str) or not segment:
            return t("A customer")
        if isinstance(industry, str) and industry:
            return t("A %(segment)s company in %(industry)s", segment=segment, industry=industry)
        return t("A %(segment)s company", segment=segment)
    return name


def article_link(ix: Indexed, content_id: str, prefix: str) -> Link:
    return Link(ix.titles.get(content_id, content_id), f"{prefix}articles/{content_id}.md")


def model_label(model: str, t: Translator) -> str:
    return t.model(model)


FIGURES = (  # (label, kind, QuarterFigures attribute and CSV id, how the change is shown)
    (N_("Won revenue"), "money", "won_revenue", "relative"),
    (N_("Won deals"), "int", "won_deals", "relative"),
    (N_("Share of won revenue touched by content"), "percent", "touched_share", "points"),
    (N_("Content-attributed revenue (%(model)s)"), "money", "attributed", "relative"),
    (N_("Influenced open pipeline"), "money", "pipeline", "relative"),
    (N_("Win rate, content-touched deals"), "percent", "win_rate_touched", "points"),
    (N_("Win rate, untouched deals"), "percent", "win_rate_untouched", "points"),
    (N_("Median sales cycle, content-touched (days)"), "days", "cycle_touched", "days"),
    (N_("Median sales cycle, untouched (days)"), "days", "cycle_untouched", "days"),)


def _figures(ix: Indexed, quarter: str, previous: str | None, model: str, t: Translator
             ) -> tuple[Figure, ...]:
    now = quarter_figures(ix.results, quarter, model)
    before = quarter_figures(ix.results, previous, model) if previous else None
    out = []
    for label, kind, attr, delta in FIGURES:
        value = getattr(now, attr)
        prev = getattr(before, attr) if before else None
        if kind == "money":
            value = ix.money(value)
            prev = ix.money(prev) if before else None
        out.append(Figure(t(label, model=model_label(model, t)), kind, value, prev, delta))  # type: ignore[arg-type]
    return tuple(out)


def _summary_table(figures: tuple[Figure, ...], settings: SiteSettings, csv_path: str
                   ) -> Table:
    """The headline figures as a one-page CSV for decks (raw values, no locale)."""
    f = Formatter(settings.locale, settings.reporting_currency)
    units = {"money": settings.reporting_currency, "percent": "ratio", "days": "days",
             "int": "count"}
    rows = []
    for (_, _, attr, _), fig in zip(FIGURES, figures, strict=True):
        rows.append((attr, fig.label, fig.value, fig.previous,
                     f.delta(fig.value, fig.previous, fig.delta_kind), units[fig.kind]))
    t = translator(settings.locale)
    return table([("figure", t("Figure"), "text"), ("label", t("Figure"), "text"),
                  ("value", t("Value"), "number"), ("previous", t("Previous quarter"), "number"),
                  ("change", t("Change"), "text"), ("unit", t("Unit"), "text")],
                 rows, csv_path)  # type: ignore[arg-type]


def _quarter_deals(ix: Indexed, quarter: str) -> pd.DataFrame:
    deals = ix.results.deals
    won = deals[(deals["quarter"] == quarter) & (deals["status"] == "won") & deals["touched"]]
    return won.sort_values(["amount_minor", "deal_id"], ascending=[False, True])


def _anecdotes(ix: Indexed, quarter: str, settings: SiteSettings, prefix: str
               ) -> tuple[tuple[Anecdote, ...], str | None]:
    """The largest content-touched won deals told in order, or a note saying why hidden."""
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    won = _quarter_deals(ix, quarter)
    if 0 < len(won) < settings.min_group_size:
        return (), t.n("hidden: fewer than %(num)s deal",
                       "hidden: fewer than %(num)s deals", settings.min_group_size)
    won = won.head(settings.anecdotes)
    journeys = ix.won_journeys[ix.won_journeys["deal_id"].isin(won["deal_id"])]
    by_deal = dict(tuple(journeys.groupby("deal_id", sort=True)))
    has_industry = "industry" in won.columns
    out = []
    for d in won.itertuples():
        j = by_deal.get(d.deal_id)
        if j is None:
            continue
        first = j["occurred_at"].min().normalize()
        steps: list[tuple[str, Link]] = []
        last: tuple[int, str] | None = None
        for r in j.itertuples():
            if (int(r.reader), r.content_id) != last:
                day = int((r.occurred_at.normalize() - first).days)
                steps.append((t("day %(day)s: reader %(reader)s read",
                                day=t.number(day), reader=int(r.reader)),
                              article_link(ix, r.content_id, prefix)))
            last = (int(r.reader), r.content_id)
        days = int((d.closed_at.normalize() - first).days)
        deal_type = str(d.deal_type)
        signed = t(SIGNED.get(deal_type, SIGNED["new"]), amount=f.money(ix.money(d.amount_minor)),
                   date=f.date(d.closed_at.date(), "long"))
        after = t.n("%(num)s day after the first touch", "%(num)s days after the first touch",
                    days)
        summary = t("%(signed)s, %(after)s; %(readers)s:", signed=signed, after=after,
                    readers=t.n("%(num)s person read content on the way",
                                "%(num)s people read content on the way", int(d.readers)))
        out.append(Anecdote(
            account=account_label(d.name, d.segment, settings,
                                  d.industry if has_industry else None),
            summary=summary,
            deal_type=t.deal_type(deal_type),
            amount=ix.money(d.amount_minor),
            closed_on=d.closed_at.date(),
            readers=int(d.readers),
            days_to_close=days,
            steps=tuple(steps[:MAX_STEPS]),
            more_steps=max(len(steps) - MAX_STEPS, 0),
            more=t.n("…and %(num)s more touch before signing.",
                     "…and %(num)s more touches before signing.",
                     len(steps) - MAX_STEPS) if len(steps) > MAX_STEPS else "",
        ))
    return tuple(out), None


def _quarter_rows(ix: Indexed, quarter: str, model: str) -> list[dict[str, object]]:
    """One row per piece with any traffic, influence or credit in the quarter."""
    key = (quarter, model)
    if key in ix.cache:
        return ix.cache[key]
    ids = {c for q, c in ix.views if q == quarter}
    ids.update(c for q, c in ix.influence if q == quarter)
    ids.update(c for q, c, m in ix.attribution if q == quarter and m == model)
    rows = []
    for cid in sorted(ids):
        v = ix.views.get((quarter, cid))
        i = ix.influence.get((quarter, cid))
        a = ix.attribution.get((quarter, cid, model))
        rows.append({
            "content_id": cid,
            "views": int(v["views"]) if v else 0,
            "influenced": int(i["influenced_revenue_minor"]) if i else 0,
            "deals_touched": int(i["won_deals"] + i["lost_deals"] + i["open_deals"])
            if i else 0,
            "influenced_won": int(i["won_deals"]) if i else 0,
            "revenue": int(a["revenue_minor"]) if a else 0,
            "won_deals": int(a["deals_influenced"]) if a else 0,
        })
    ix.cache[key] = rows
    return rows


def type_label(ix: Indexed, content_id: str, t: Translator) -> str | None:
    ctype = ix.types.get(content_id)
    return None if ctype is None else t.content_type(ctype)


def pieces_table(ix: Indexed, rows: list[dict[str, object]], settings: SiteSettings,
                 prefix: str, csv_path: str, limit: int | None = None) -> Table:
    t = translator(settings.locale)
    ranked = sorted(rows, key=lambda r: (-int(r["revenue"]), -int(r["influenced"]),  # type: ignore[call-overload]
                                         str(r["content_id"])))
    ranked = ranked[:limit] if limit else ranked
    thin = t("thin")
    return table(
        [("piece", t("Piece"), "link"), ("content_type", t("Type"), "text"),
         ("attributed_revenue",
          t("Revenue (%(model)s)", model=model_label(settings.default_model, t)), "money"),
         ("won_deals", t("Won deals"), "int"),
         ("influenced_revenue", t("Influenced revenue"), "money"),
         ("views", t("Views"), "int"), ("thin", t("Thin evidence"), "flag")],
        [(article_link(ix, str(r["content_id"]), prefix), type_label(ix, str(r["content_id"]), t),
          ix.money(r["revenue"]), r["won_deals"],  # type: ignore[arg-type]
          ix.money(r["influenced"]), r["views"],  # type: ignore[arg-type]
          thin if int(r["won_deals"]) < settings.min_deals else "")  # type: ignore[call-overload, misc]
         for r in ranked],
        csv_path,
    )


def silent_streak(ix: Indexed, content_id: str, quarters: Sequence[str]) -> tuple[int, int]:
    """Quarters in a row, ending with the last of ``quarters``, in which the piece had views
    but no influenced revenue; and its views over those quarters."""
    streak = views = 0
    for q in reversed(quarters):
        v = int(ix.views.get((q, content_id), {}).get("views", 0))
        rev = int(ix.influence.get((q, content_id), {}).get("influenced_revenue_minor", 0))
        if v <= 0 or rev > 0:
            break
        streak += 1
        views += v
    return streak, views


def retreat_candidates(ix: Indexed, quarter: str, settings: SiteSettings
                       ) -> list[tuple[str, int, int]]:
    """(content_id, streak, views in the streak) of the pieces to retire or rework, most
    read first."""
    past = [q for q in ix.results.quarters if q <= quarter]
    if len(past) < settings.retreat_after_quarters:
        return []
    out = []
    for cid in sorted({c for q, c in ix.views if q == quarter}):
        streak, views = silent_streak(ix, cid, past)
        if streak >= settings.retreat_after_quarters:
            out.append((cid, streak, views))
    return sorted(out, key=lambda r: (-r[2], r[0]))


def _retreat(ix: Indexed, quarter: str, settings: SiteSettings, prefix: str, csv_path: str
             ) -> tuple[Table, str]:
    t = translator(settings.locale)
    past = [q for q in ix.results.quarters if q <= quarter]
    rows = []
    for cid, streak, views in retreat_candidates(ix, quarter, settings)[:settings.top_articles]:
        earned = [q for q in past
                  if ix.influence.get((q, cid), {}).get("influenced_revenue_minor", 0) > 0]
        i = ix.influence.get((quarter, cid), {})
        touched = int(i.get("lost_deals", 0) + i.get("open_deals", 0)) if i else 0
        rows.append((article_link(ix, cid, prefix), type_label(ix, cid, t), streak, views,
                     touched, earned[-1] if earned else t("never")))
    n = settings.retreat_after_quarters
    intro = (t.n("Pieces with traffic but no influenced revenue in each of the last %(num)s "
                 "quarter: candidates to retire or rework.",
                 "Pieces with traffic but no influenced revenue in each of the last %(num)s "
                 "quarters: candidates to retire or rework.", n) if len(past) >= n
             else t.n("Not enough history yet: the retreat list needs %(num)s quarter of data.",
                      "Not enough history yet: the retreat list needs %(num)s quarters of data.",
                      n))
    return table(
        [("piece", t("Piece"), "link"), ("content_type", t("Type"), "text"),
         ("quarters_without_revenue", t("Quarters in a row without revenue"), "int"),
         ("views", t("Views in those quarters"), "int"),
         ("deals_touched", t("Deals touched"), "int"),
         ("last_quarter_with_revenue", t("Last quarter with revenue"), "text")],
        rows, csv_path), intro  # type: ignore[arg-type]


def _gems(ix: Indexed, rows: list[dict[str, object]], settings: SiteSettings, prefix: str,
          csv_path: str) -> tuple[Table, str, tuple[str, int, int] | None]:
    """Low-traffic pieces with high influenced revenue per view."""
    t = translator(settings.locale)
    f = Formatter(settings.locale, settings.reporting_currency)
    read = [r for r in rows if int(r["views"]) > 0]  # type: ignore[call-overload]
    views = sorted(int(r["views"]) for r in read)  # type: ignore[call-overload]
    total_views = sum(views)
    total_rev = sum(int(r["influenced"]) for r in read)  # type: ignore[call-overload]
    average = ix.money(total_rev) / total_views if total_views else None
    cut = views[max(int(len(views) * settings.gem_max_views_share) - 1, 0)] if views else 0
    gems = [r for r in read if int(r["views"]) <= cut  # type: ignore[call-overload]
            and int(r["influenced_won"]) >= settings.gem_min_deals  # type: ignore[call-overload]
            and int(r["influenced"]) > 0]  # type: ignore[call-overload]
    gems.sort(key=lambda r: (-int(r["influenced"]) / int(r["views"]), str(r["content_id"])))  # type: ignore[call-overload]
    out = []
    for r in gems[:MAX_GEMS]:
        cid, v = str(r["content_id"]), int(r["views"])  # type: ignore[call-overload]
        per_view = ix.money(r["influenced"]) / v  # type: ignore[arg-type]
        out.append((article_link(ix, cid, prefix), type_label(ix, cid, t), v,
                    r["influenced_won"], ix.money(r["influenced"]),  # type: ignore[arg-type]
                    round(float(per_view), 2),
                    round(float(per_view / average), 1) if average else None))
    intro = t("Little-read pieces (views in the lower %(share)s of the quarter) that were in the "
              "journey of won deals, ranked by influenced revenue per view. The quarter’s average "
              "is %(average)s per view.", share=f.percent(settings.gem_max_views_share),
              average=f.money(average, 2))
    best = ((str(gems[0]["content_id"]), int(gems[0]["views"]), int(gems[0]["influenced"]))  # type: ignore[call-overload]
            if gems else None)
    return table(
        [("piece", t("Piece"), "link"), ("content_type", t("Type"), "text"),
         ("views", t("Views"), "int"), ("won_deals", t("Won deals"), "int"),
         ("influenced_revenue", t("Influenced revenue"), "money"),
         ("revenue_per_view", t("Influenced revenue per view"), "number"),
         ("times_average", t("× quarter average"), "number")],
        out, csv_path), intro, best  # type: ignore[arg-type]


def _economics(ix: Indexed, quarter: str, settings: SiteSettings, prefix: str, stem: str
               ) -> tuple[Table | None, Table, object]:
    """Revenue per unit of cost and time to first won deal (to date), and revenue by age."""
    t = translator(settings.locale)
    r = ix.results
    past = [q for q in r.quarters if q <= quarter]
    content = r.content
    costs = {cid: float(c) for cid, c in zip(content["content_id"], content["cost"], strict=True)
             if pd.notna(c) and float(c) > 0} if "cost" in content.columns else {}
    published = {cid: p.date() for cid, p in zip(content["content_id"], content["published_at"],
                                                  strict=True) if pd.notna(p)}
    closed = dict(zip(r.deals["deal_id"], r.deals["closed_at"], strict=True))
    pairs = ix.pairs[ix.pairs["quarter"].isin(past)]
    first_deal: dict[str, dt.date] = {}
    for cid, deal in zip(pairs["content_id"], pairs["deal_id"], strict=True):
        c = closed.get(deal)
        if c is not None and pd.notna(c):
            day = c.date()
            if cid not in first_deal or day < first_deal[cid]:
                first_deal[cid] = day
    economics = None
    if costs:
        rows = []
        for cid in sorted(costs):
            infl = sum(int(ix.influence.get((q, cid), {}).get("influenced_revenue_minor", 0))
                       for q in past)
            attr = sum(int(ix.attribution.get((q, cid, settings.default_model), {})
                           .get("revenue_minor", 0)) for q in past)
            cost = costs[cid]
            first = first_deal.get(cid)
            pub = published.get(cid)
            rows.append((article_link(ix, cid, prefix), type_label(ix, cid, t),
                         ix.money(round(cost * 10 ** r.currency_digits)),
                         ix.money(infl), round(float(ix.money(infl)) / cost, 2),
                         round(float(ix.money(attr)) / cost, 2), pub, first,
                         (first - pub).days if first and pub and first >= pub else None))
        rows.sort(key=lambda x: (-x[5], x[0].text))  # type: ignore[operator]
        economics = table(
            [("piece", t("Piece"), "link"), ("content_type", t("Type"), "text"),
             ("cost", t("Production cost"), "money"), ("influenced_revenue",
                        t("Influenced revenue"), "money"),
             ("influenced_per_cost", t("Influenced revenue per unit of cost"), "number"),
             ("attributed_per_cost", t("Attributed revenue per unit of cost"), "number"),
             ("published", t("Published"), "date"),
             ("first_won_deal", t("First won deal"), "date"),
             ("days_to_first_won_deal", t("Days from publication to first won deal"), "days")],
            rows, f"{stem}-economics.csv")  # type: ignore[arg-type]
    # Revenue by content age at the deal's close, this quarter, default model.
    dc = r.deal_credit
    dc = dc[(dc["quarter"] == quarter) & (dc["model"] == settings.default_model)]
    labels = [t(label) for label in AGE_LABELS] + [t("unknown")]
    totals = [0] * len(labels)
    for cid, deal, minor in zip(dc["content_id"], dc["deal_id"], dc["revenue_minor"],
                                strict=True):
        pub, c = published.get(str(cid)), closed.get(str(deal))
        if pub is None or c is None or pd.isna(c):
            totals[-1] += int(minor)
            continue
        age = (c.date() - pub).days
        totals[sum(1 for b in AGE_BUCKETS if age >= b)] += int(minor)
    keep = [i for i in range(len(labels)) if i < len(labels) - 1 or totals[i]]
    age_table = table([("age", t("Age of the piece at close"), "text"),
                       ("attributed_revenue", t("Revenue (%(model)s)",
                                                model=model_label(settings.default_model, t)),
                        "money")],
                      [(labels[i], ix.money(totals[i])) for i in keep], f"{stem}-age.csv")
    age_chart = bar_chart("content-age", [labels[i] for i in keep],
                          {t("Revenue"): [float(ix.money(totals[i])) for i in keep]},
                          y_name=settings.reporting_currency, height=280)
    return economics, age_table, age_chart


def _model_comparison(ix: Indexed, quarter: str, settings: SiteSettings, csv_path: str
                      ) -> tuple[Table, object]:
    t = translator(settings.locale)
    a = ix.results.attribution
    a = a[a["quarter"] == quarter]
    types = sorted({ix.types.get(c, "other") for c in a["content_id"]})
    totals = {(ty, m): 0 for ty in types for m in settings.models}
    for cid, model, minor in zip(a["content_id"], a["model"], a["revenue_minor"], strict=True):
        if model in settings.models:
            totals[(ix.types.get(cid, "other"), model)] += int(minor)
    rows = [(model_label(m, t), *(ix.money(totals[(ty, m)]) for ty in types))
            for m in settings.models]
    names = {ty: t.content_type(ty) for ty in types}
    tbl = table([("model", t("Model"), "text"), *((ty, names[ty], "money") for ty in types)],
                rows, csv_path)  # type: ignore[arg-type]
    chart = bar_chart("models", [model_label(m, t) for m in settings.models],
                      {names[ty]: [float(ix.money(totals[(ty, m)])) for m in settings.models]
                       for ty in types}, stack=True, y_name=settings.reporting_currency)
    return tbl, chart


def _deal_types(ix: Indexed, quarter: str, settings: SiteSettings, csv_path: str) -> Table:
    """Won and content-influenced revenue per deal type: new business apart from renewals
    and expansion (marketing owns the whole lifecycle)."""
    t = translator(settings.locale)
    dt_ = ix.enriched().deal_types
    rows = []
    for r in dt_[dt_["quarter"] == quarter].to_dict("records"):
        won = int(r["won_revenue_minor"])
        rows.append((t.deal_type(str(r["deal_type"])),
                     int(r["won_deals"]), ix.money(won), int(r["influenced_deals"]),
                     ix.money(int(r["influenced_revenue_minor"])),
                     int(r["influenced_revenue_minor"]) / won if won else None,
                     ix.money(int(r["influenced_pipeline_minor"]))))
    return table([("deal_type", t("Deal type"), "text"),
                  ("won_deals", t("Won deals"), "int"),
                  ("won_revenue", t("Won revenue"), "money"),
                  ("influenced_deals", t("Won deals touched"), "int"),
                  ("influenced_revenue", t("Influenced revenue"), "money"),
                  ("influenced_share", t("Share"), "percent"),
                  ("influenced_pipeline", t("Influenced open pipeline"), "money")], rows, csv_path)


def _comparisons(ix: Indexed, quarter: str, settings: SiteSettings, csv_path: str
                 ) -> tuple[Table, Chart]:
    """Content-touched vs other closed deals, overall and per content type, with intervals."""
    t = translator(settings.locale)
    c = ix.enriched().comparisons
    c = c[(c["quarter"] == quarter) & c["scope"].isin(["all_content", "content_type"])]

    def span(r: dict[str, object], key: str, scale: float = 1.0) -> str:
        lo, hi = r[f"{key}_low"], r[f"{key}_high"]
        if lo is None or hi is None or pd.isna(lo) or pd.isna(hi):  # type: ignore[call-overload]
            return "–"
        if scale == 100.0:
            return f"{round(float(lo) * 100)}–{round(float(hi) * 100)} %"  # type: ignore[arg-type]
        return f"{round(float(lo))}–{round(float(hi))}"  # type: ignore[arg-type]

    def num(v: object) -> float | None:
        return None if v is None or pd.isna(v) else float(v)  # type: ignore[call-overload, arg-type]

    rows = []
    for r in c.to_dict("records"):
        scope = (t("All content") if r["scope"] == "all_content"
                 else t.content_type(str(r["key"])))
        rows.append((scope, int(r["touched_deals"]), int(r["untouched_deals"]),
                     num(r["win_rate_touched"]), span(r, "win_rate_touched", 100.0),
                     num(r["win_rate_untouched"]), span(r, "win_rate_untouched", 100.0),
                     num(r["cycle_days_touched"]), num(r["cycle_days_untouched"])))
    chart = bar_chart(
        "touched-vs-other", [str(r[0]) for r in rows],
        {t("Win rate, touched"): [round(100 * (r[3] or 0), 1) for r in rows],  # type: ignore[operator]
         t("Win rate, others"): [round(100 * (r[5] or 0), 1) for r in rows]},  # type: ignore[operator]
        y_name="%")
    return table([("scope", t("Content"), "text"),
                  ("touched_deals", t("Touched closed deals"), "int"),
                  ("other_deals", t("Other closed deals"), "int"),
                  ("win_rate_touched", t("Win rate, touched"), "percent"),
                  ("win_rate_touched_90", t("90 %% interval"), "text"),
                  ("win_rate_other", t("Win rate, others"), "percent"),
                  ("win_rate_other_90", t("90 %% interval"), "text"),
                  ("cycle_days_touched", t("Median cycle, touched (days)"), "number"),
                  ("cycle_days_other",
                   t("Median cycle, others (days)"), "number")], rows, csv_path), chart


def build_story(ix: Indexed, quarter: str, settings: SiteSettings, editor_note: str | None,
                page_path: str, notices: tuple[str, ...] = (),
                comparable: frozenset[str] | None = None) -> StoryContext:
    """The story of ``quarter`` for the page at ``page_path`` (docs-relative).

    ``comparable``: quarters whose figures may be compared with this one (None: all);
    ``notices``: sentences shown first (restored snapshot, settings changed).
    """
    t = translator(settings.locale)
    quarters = ix.results.quarters
    pos = quarters.index(quarter)
    previous = quarters[pos - 1] if pos > 0 else None
    if previous and comparable is not None and (
            previous not in comparable or quarter not in comparable):
        previous = None  # computed under other settings: no change shown
    model = settings.default_model
    prefix = "../" * page_path.count("/")
    stem = page_path.rsplit(".", 1)[0]
    rows = _quarter_rows(ix, quarter, model)
    top = pieces_table(ix, rows, settings, prefix, f"{stem}-top.csv", settings.top_articles)
    retreat, retreat_intro = _retreat(ix, quarter, settings, prefix, f"{stem}-not-working.csv")
    gems, gems_intro, best_gem = _gems(ix, rows, settings, prefix, f"{stem}-gems.csv")
    economics, age_table, age_chart = _economics(ix, quarter, settings, prefix, stem)
    comparison, chart = _model_comparison(ix, quarter, settings, f"{stem}-models.csv")
    figures = _figures(ix, quarter, previous, model, t)
    anecdotes, hidden = _anecdotes(ix, quarter, settings, prefix)
    summary_csv = "summary.csv" if page_path == "index.md" else f"{stem}-summary.csv"
    comparisons, comparisons_chart = _comparisons(ix, quarter, settings,
                                                  f"{stem}-touched-vs-other.csv")
    history = [quarter_figures(ix.results, q, model) for q in quarters[:pos + 1]]
    figures_chart = line_chart(
        "figures", [t.quarter(q) for q in quarters[:pos + 1]],
        {t("Won revenue, content-touched deals"): [float(ix.money(h.touched_revenue))
                                                   for h in history],
         t("Won revenue, other deals"): [float(ix.money(h.won_revenue - h.touched_revenue))
                                    for h in history]},
        {t("Win rate, content-touched deals (%%)"): [round(100 * (h.win_rate_touched or 0), 1)
                                                    for h in history],
         t("Win rate, other deals (%%)"): [round(100 * (h.win_rate_untouched or 0), 1)
                                    for h in history]},
        left_unit=settings.reporting_currency, right_unit="%")
    return StoryContext(
        quarter=quarter,
        previous_quarter=t.quarter(previous) if previous else None,
        default_model=model_label(model, t),
        notices=notices,
        figures=figures,
        summary=_summary_table(figures, settings, summary_csv),
        figures_chart=figures_chart,
        narrative=narrative(ix, quarter, previous, settings, figures, rows,
                            retreat_candidates(ix, quarter, settings), best_gem),
        editor_note=editor_note,
        anecdotes=anecdotes,
        anecdotes_hidden=hidden,
        top_articles=top,
        not_working=retreat,
        not_working_intro=retreat_intro,
        gems=gems,
        gems_intro=gems_intro,
        economics=economics,
        age=age_table,
        age_chart=age_chart,  # type: ignore[arg-type]
        deal_types=_deal_types(ix, quarter, settings, f"{stem}-deal-types.csv"),
        comparisons=comparisons,
        comparisons_chart=comparisons_chart,
        model_comparison=comparison,
        model_chart=chart,  # type: ignore[arg-type]
        link_prefix=prefix,
    )


def narrative(ix: Indexed, quarter: str, previous: str | None, settings: SiteSettings,
              figures: tuple[Figure, ...], rows: list[dict[str, object]],
              retreat: list[tuple[str, int, int]],
              best_gem: tuple[str, int, int] | None = None) -> tuple[str, ...]:
    """Sentences built from the figures, in the site's language."""
    f = Formatter(settings.locale, settings.reporting_currency)
    t = translator(settings.locale)
    won, n_won, share, _, _, wr_t, wr_u, c_t, c_u = figures
    out = [t("In %(quarter)s we won %(won)s across %(deals)s; %(share)s of it came from deals "
             "whose buyers read our content before signing.",
             quarter=t.quarter(quarter), won=f.money(won.value),
             deals=t.n("%(num)s deal",
                       "%(num)s deals", int(n_won.value or 0)), share=f.percent(share.value))]
    if previous and won.previous:
        out.append(t("Won revenue changed by %(delta)s from %(previous)s.",
                     delta=f.delta(won.value, won.previous, "relative"),
                     previous=t.quarter(previous)))
    if wr_t.value is not None and wr_u.value is not None:
        out.append(t("Deals touched by content won %(wr_t)s of the time, against %(wr_u)s for the "
                     "others.", wr_t=f.percent(wr_t.value), wr_u=f.percent(wr_u.value)))
    if c_t.value is not None and c_u.value is not None:
        out.append(t("At the median, touched deals closed in %(c_t)s, untouched ones in %(c_u)s.",
                     c_t=t.n("%(num)s day", "%(num)s days", round(float(c_t.value))),
                     c_u=t.n("%(num)s day", "%(num)s days", round(float(c_u.value)))))
    best = sorted(rows, key=lambda r: (-int(r["revenue"]), str(r["content_id"])))  # type: ignore[call-overload]
    if best and int(best[0]["revenue"]) > 0:  # type: ignore[call-overload]
        cid = str(best[0]["content_id"])
        out.append(t("The piece with the most credit under %(model)s is “%(title)s”: %(amount)s "
                     "from %(deals)s.", model=model_label(settings.default_model, t),
                     title=ix.titles.get(cid, cid),
                     amount=f.money(ix.money(best[0]["revenue"])),  # type: ignore[arg-type]
                     deals=t.n("%(num)s won deal",
                               "%(num)s won deals",
                               int(best[0]["won_deals"]))))  # type: ignore[call-overload]
    if best_gem:
        cid, views, minor = best_gem
        out.append(t("The best hidden gem is “%(title)s”: %(amount)s of influenced revenue from "
                     "only %(views)s.", title=ix.titles.get(cid, cid),
                     views=t.n("%(num)s view", "%(num)s views", views),
                     amount=f.money(ix.money(minor))))
    if retreat:
        shortest = min(s for _, s, _ in retreat)
        out.append(t.n("%(num)s piece has drawn traffic but no revenue for %(q)s; see “What is "
                       "not working”.",
                       "%(num)s pieces have drawn traffic but no revenue for %(q)s; see “What is "
                       "not working”.", len(retreat), q=t.n("%(num)s quarter",
                                                            "%(num)s quarters in a row", shortest)))
    return tuple(out)
