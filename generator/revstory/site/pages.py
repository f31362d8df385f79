"""Every page of the site as (path, template, context), built from the results.

Input: :class:`~revstory.attribute.stage.Results`, the site settings, the editors' notes per
quarter and the run's warnings. Output: a list of :class:`~revstory.site.context.Page`,
sorted by path. Article pages live at ``articles/<content_id>.md`` — a stable URL.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import pandas as pd

from revstory.attribute.stage import Results
from revstory.errors import BuildError
from revstory.history import QuarterSource
from revstory.site.charts import bar_chart, dual_bar_chart, line_chart
from revstory.site.context import (
    ArticleContext,
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
from revstory.site.frames import Indexed, index
from revstory.site.i18n import N_, Translator, translator
from revstory.site.settings import SiteSettings
from revstory.site.story import (
    _quarter_rows,
    account_label,
    article_link,
    build_story,
    model_label,
    pieces_table,
    silent_streak,
    type_label,
)

#: Each model's rule, as the methodology page states it.
RULES = {
    "first_touch": N_("100 %% to the first touch."),
    "last_touch": N_("100 %% to the last touch before the close."),
    "linear": N_("Equal credit to every touch."),
    "position_based": N_("40 %% to the first touch, 40 %% to the last, 20 %% spread over the "
                         "touches between."),
    "u_shaped": N_("40 %% to the first touch, 40 %% to lead creation, 20 %% spread over the "
                   "rest."),
    "w_shaped": N_("30 %% each to first touch, lead creation and opportunity creation, 10 %% "
                   "over the rest."),
    "full_path": N_("22.5 %% each to first touch, lead creation, opportunity creation and the "
                    "last touch before the close, 10 %% over the rest."),
    "j_shaped": N_("20 %% to the first touch, 60 %% to the last, 20 %% spread over the rest."),
    "inverse_j": N_("60 %% to the first touch, 20 %% to the last, 20 %% spread over the rest."),
    "time_decay": N_("Each touch weighs 2^(−days before the close ÷ half-life), normalised per "
                     "deal. Half-life: %(half_life)s."),
    "markov": N_("Order-1 Markov chain over content pieces, solved exactly: each won deal is "
                 "split over its pieces in proportion to their removal effects (how much less "
                 "often deals are won when the piece is taken out of every journey, lost deals "
                 "included)."),
    "shapley": N_("Exact Shapley values of content types from the win rates of the type "
                  "combinations journeys used; each won deal is split over its types by Shapley "
                  "value, then over a type's pieces by their number of touches."),
}

#: Ids validate made safe (revstory.load.urls.slug): letters of any script, digits, . _ -
SLUG = re.compile(r"[^\W_][\w.-]*")
CO_READ = 8


def safe_slug(value: str, what: str) -> str:
    """Guard file names taken from the data: a slug, never a path."""
    if not SLUG.fullmatch(value) or ".." in value:
        raise BuildError(f"{what} {value!r} cannot be used as a file name — ids must match "
                         "letters or digits of any script, '.', '_' and '-' (no slashes, no '..')")
    return value


def _articles(ix: Indexed, settings: SiteSettings) -> list[Page]:
    r = ix.results
    models = settings.models
    t = translator(settings.locale)
    revenue_col = t("Revenue (%(model)s)", model=model_label(settings.default_model, t))
    has_industry = "industry" in r.deals.columns
    credit_by = dict(tuple(r.attribution.groupby("content_id", sort=True)))
    dc = r.deal_credit[r.deal_credit["model"] == settings.default_model]
    deals = r.deals.set_index("deal_id")
    dc = dc.join(deals[["name", "segment", "deal_type", "closed_at", "amount_minor",
                        *(["industry"] if has_industry else [])]], on="deal_id")
    deals_by = dict(tuple(dc.groupby("content_id", sort=True)))
    pos_by = (ix.won_journeys.groupby(["content_id", "position"]).size()
              .unstack(fill_value=0).to_dict("index"))
    pairs = ix.pairs
    co = pairs.merge(pairs, on=["quarter", "deal_id"])
    co = co[co["content_id_x"] != co["content_id_y"]]
    co_counts = co.groupby(["content_id_x", "content_id_y"]).size().rename("deals").reset_index()
    co_counts = co_counts.sort_values(["content_id_x", "deals", "content_id_y"],
                                      ascending=[True, False, True])
    co_by = dict(tuple(co_counts.groupby("content_id_x", sort=True)))
    sure = _certainty_lookup(ix)
    f = Formatter(settings.locale, settings.reporting_currency)
    pages = []
    for c in r.content.itertuples():
        cid = safe_slug(str(c.content_id), "content_id")
        path = f"articles/{cid}.md"
        stem = f"articles/{cid}"
        # Engagement next to revenue, per quarter.
        eng_rows = []
        for q in r.quarters:
            v = ix.views.get((q, cid))
            i = ix.influence.get((q, cid))
            a = ix.attribution.get((q, cid, settings.default_model))
            eng_rows.append((
                q, int(v["views"]) if v else 0,
                int(v["users"]) if v else 0,
                round(float(v["engagement_seconds"]) / max(int(v["views"]), 1), 1)
                if v else None,
                ix.money(a["revenue_minor"] if a else 0),
                ix.money(i["influenced_revenue_minor"] if i else 0),
                int(i["won_deals"]) if i else 0,
            ))
        engagement = table(
            [("quarter", t("Quarter"), "text"), ("views", t("Views"), "int"),
             ("users", t("Users"), "int"),
             ("seconds_per_view", t("Seconds per view"), "number"),
             ("attributed_revenue", revenue_col, "money"),
             ("influenced_revenue", t("Influenced revenue"), "money"),
             ("won_deals", t("Won deals touched"), "int")],
            eng_rows, f"{stem}-engagement.csv")
        eng_chart = dual_bar_chart(
            "engagement", [row[0] for row in eng_rows], t("Views"),
            [row[1] for row in eng_rows], revenue_col, [float(row[4]) for row in eng_rows],
            settings.reporting_currency)
        # The trend across quarters (restored quarters included).
        trend_chart = line_chart(
            "trend", [row[0] for row in eng_rows], {t("Views"): [row[1] for row in eng_rows]},
            {t("Influenced revenue"): [float(row[5]) for row in eng_rows],
             revenue_col: [float(row[4]) for row in eng_rows]},
            right_unit=settings.reporting_currency)
        streak, _ = silent_streak(ix, cid, r.quarters)
        retreat = (t("Candidate to retire or rework: traffic but no influenced revenue for %(q)s.",
                     q=t.n("%(num)s quarter", "%(num)s quarters in a row", streak))
                   if streak >= settings.retreat_after_quarters else None)
        # Credit under every model.
        a = credit_by.get(cid)
        per = {(q, m): 0 for q in r.quarters for m in models}
        n_deals = {m: 0 for m in models}
        if a is not None:
            for q, m, minor, nd in zip(a["quarter"], a["model"], a["revenue_minor"],
                                       a["deals_influenced"], strict=True):
                if m in n_deals:
                    per[(q, m)] = int(minor)
                    n_deals[m] += int(nd)
        credit_rows = [(model_label(m, t), *(ix.money(per[(q, m)]) for q in r.quarters),
                        ix.money(sum(per[(q, m)] for q in r.quarters))) for m in models]
        credit = table([("model", t("Model"), "text"),
                        *((q, q, "money") for q in r.quarters),
                        ("total", t("Total"), "money")], credit_rows,  # type: ignore[arg-type]
                       f"{stem}-credit.csv")
        credit_chart = bar_chart("credit", [model_label(m, t) for m in models],
                                 {t("Revenue"): [float(row[-1]) for row in credit_rows]},  # type: ignore[arg-type]
                                 y_name=settings.reporting_currency)
        # Deals influenced (won deals whose journey holds the piece).
        d = deals_by.get(cid)
        deal_rows = []
        if d is not None:
            d = d.sort_values(["quarter", "revenue_minor", "deal_id"],
                              ascending=[False, False, True])
            for x in d.itertuples():
                deal_rows.append((x.quarter, account_label(
                                      x.name, x.segment, settings,
                                      x.industry if has_industry else None),
                                  t.deal_type(str(x.deal_type)),
                                  x.closed_at.date(), ix.money(x.amount_minor),
                                  round(float(x.credit), 4), ix.money(x.revenue_minor)))
        # Privacy: a list of fewer deals than min_group_size is not shown (nor offered as CSV).
        deals_hidden = None
        if 0 < len(deal_rows) < settings.min_group_size:
            deal_rows = []
            deals_hidden = t.n("hidden: fewer than %(num)s deal",
                               "hidden: fewer than %(num)s deals", settings.min_group_size)
        deal_table = table(
            [("quarter", t("Quarter"), "text"), ("account", t("Account"), "text"),
             ("deal_type", t("Deal type"), "text"), ("closed_on", t("Closed"), "date"),
             ("amount", t("Amount"), "money"),
             ("credit", t("Share of the deal"), "percent"),
             ("revenue", revenue_col, "money")],
            deal_rows, f"{stem}-deals.csv")
        # Journey position and co-read pieces.
        pos = pos_by.get(cid, {})
        total = sum(pos.values()) or 1
        positions = table(
            [("position", t("Position in the journey"), "text"), ("touches", t("Touches"), "int"),
             ("share", t("Share"), "percent")],
            [(t.position(p), int(pos.get(p, 0)), pos.get(p, 0) / total)
             for p in ("first", "middle", "last")],
            f"{stem}-positions.csv")
        co_rows = []
        cr = co_by.get(cid)
        if cr is not None:
            for other, n in zip(cr["content_id_y"].head(CO_READ), cr["deals"].head(CO_READ),
                                strict=True):
                co_rows.append((article_link(ix, other, "../"), type_label(ix, other, t),
                                int(n)))
        co_read = table([("piece", t("Piece"), "link"), ("content_type", t("Type"), "text"),
                         ("won_deals", t("Won deals reading both"), "int")],
                        co_rows, f"{stem}-co-read.csv")  # type: ignore[arg-type]
        won_deals = n_deals.get(settings.default_model, 0)
        cert_intro, cert_rows, cert_notes = _certainty(ix, sure, str(c.content_id), per,
                                                       settings, t, f)
        certainty = table(
            [("model", t("Model"), "text"), ("revenue", t("Attributed revenue"), "money"),
             ("low90", t("90 %% low"), "money"), ("high90", t("90 %% high"), "money"),
             ("won_deals", t("Won deals touched"), "int"),
             ("thin", t("Thin evidence"), "text")],
            cert_rows, f"{stem}-certainty.csv")
        ctx = ArticleContext(
            title=str(c.title), content_id=cid,
            content_type=Link(t.content_type(str(c.content_type)),
                              f"../types/{c.content_type}.md"),
            url=str(c.url) if isinstance(c.url, str) else "",
            published_at=c.published_at.date() if pd.notna(c.published_at) else None,
            author=str(c.author) if isinstance(c.author, str) and c.author else None,
            default_model=model_label(settings.default_model, t),
            thin=won_deals < settings.min_deals,
            min_deals=settings.min_deals, engagement=engagement, engagement_chart=eng_chart,
            trend_chart=trend_chart, retreat=retreat, deals_hidden=deals_hidden,
            credit=credit, credit_chart=credit_chart, deals=deal_table, positions=positions,
            co_read=co_read, certainty_intro=cert_intro, certainty=certainty,
            certainty_notes=cert_notes)
        pages.append(Page(path, "article.md.j2", ctx))
    return pages


Record = dict[str, Any]


def _certainty_lookup(ix: Indexed) -> dict[str, dict[tuple[str, ...], Record]]:
    """Intervals, model spread and per-article comparisons (revstory.uncertainty), keyed."""
    e = ix.enriched()
    comp = e.comparisons[e.comparisons["scope"] == "article"]
    return {
        "intervals": {(str(x["quarter"]), str(x["content_id"]), str(x["model"])): x
                      for x in e.intervals.to_dict("records")},
        "spread": {(str(x["quarter"]), str(x["content_id"])): x
                   for x in e.spread.to_dict("records")},
        "compare": {(str(x["quarter"]), str(x["key"])): x for x in comp.to_dict("records")},
    }


def _certainty(ix: Indexed, sure: dict[str, dict[tuple[str, ...], Record]], cid: str,
               per: Mapping[tuple[str, Any], int], settings: SiteSettings, tr: Translator,
               f: Formatter) -> tuple[str, list[tuple[Cell, ...]], tuple[str, ...]]:
    """The article's "how sure" section for the latest quarter in which it earned revenue."""
    earning = [q for q in ix.results.quarters
               if any(per.get((q, m), 0) for m in settings.models)]
    if not earning:
        return "", [], ()
    q = earning[-1]
    label = tr.quarter(q)
    rows: list[tuple[Cell, ...]] = []
    for m in settings.models:
        iv = sure["intervals"].get((q, cid, m))
        if iv is None:
            continue
        rows.append((model_label(m, tr), ix.money(int(iv["revenue_minor"])),
                     ix.money(int(iv["revenue_low_minor"])),
                     ix.money(int(iv["revenue_high_minor"])), int(iv["won_deals"]),
                     tr("yes") if iv["thin_evidence"] else tr("no")))
    notes = []
    sp = sure["spread"].get((q, cid))
    if sp is not None:
        notes.append(tr("Across the models this piece earns between %(low)s and %(high)s in "
                        "%(quarter)s.", low=f.money(ix.money(int(sp["models_min_minor"]))),
                        high=f.money(ix.money(int(sp["models_max_minor"]))), quarter=label))
        if sp["model_dependent"]:
            notes.append(tr("Its rank depends on the model chosen: read the model comparison "
                            "before acting on it."))
    cmp_ = sure["compare"].get((q, cid))
    if cmp_ is not None and pd.notna(cmp_["win_rate_touched"]):
        notes.append(tr("Closed deals whose buyers read it were won %(touched)s of the time (90 "
                        "%%: %(touched_low)s–%(touched_high)s), deals that did not %(untouched)s "
                        "(%(untouched_low)s–%(untouched_high)s). This is an association, not "
                        "proof of cause.", **{
            k: f.percent(float(cmp_[f"win_rate_{k}"]))
            for k in ("touched", "touched_low", "touched_high", "untouched", "untouched_low",
                      "untouched_high")}))
    return tr("%(quarter)s: revenue credited under every model, with a 90 %% interval from "
              "resampling the quarter's won deals (bootstrap). A wide interval means a few deals "
              "carry the figure.", quarter=label), rows, tuple(notes)


def _all_rows(ix: Indexed, settings: SiteSettings) -> list[dict[str, object]]:
    """Per piece, summed over quarters."""
    total: dict[str, Counter[str]] = {}
    for q in ix.results.quarters:
        for row in _quarter_rows(ix, q, settings.default_model):
            acc = total.setdefault(str(row["content_id"]), Counter())
            for k in ("views", "influenced", "deals_touched", "revenue", "won_deals"):
                acc[k] += int(row[k])  # type: ignore[call-overload]
    for cid in ix.titles:
        total.setdefault(cid, Counter())
    return [{"content_id": cid, **{k: acc[k] for k in ("views", "influenced", "deals_touched",
                                                        "revenue", "won_deals")}}
            for cid, acc in sorted(total.items())]


def _types(ix: Indexed, settings: SiteSettings) -> list[Page]:
    t = translator(settings.locale)
    revenue_col = t("Revenue (%(model)s)", model=model_label(settings.default_model, t))
    rows = _all_rows(ix, settings)
    types = sorted(set(ix.types.values()))
    pages = [Page("types/index.md", "types_index.md.j2", TypesIndexContext(
        title=t("Content"),
        types=table(
            [("content_type", t("Type"), "link"), ("pieces", t("Pieces"), "int"),
             ("views", t("Views"), "int"), ("attributed_revenue", revenue_col, "money")],
            [(Link(t.content_type(ty),
                   f"{safe_slug(ty, 'content_type')}.md"),
              sum(1 for r in rows if ix.types.get(str(r["content_id"])) == ty),
              sum(int(r["views"]) for r in rows if ix.types.get(str(r["content_id"])) == ty),  # type: ignore[call-overload]
              ix.money(sum(int(r["revenue"]) for r in rows  # type: ignore[call-overload]
                           if ix.types.get(str(r["content_id"])) == ty)))
             for ty in types],
            "types/index-types.csv"),
        pieces=pieces_table(ix, rows, settings, "../", "types/index-pieces.csv")))]
    for ty in types:
        slug = safe_slug(ty, "content_type")
        mine = [r for r in rows if ix.types.get(str(r["content_id"])) == ty]
        ids = {str(r["content_id"]) for r in mine}
        totals = []
        for q in ix.results.quarters:
            qrows = [x for x in _quarter_rows(ix, q, settings.default_model)
                     if x["content_id"] in ids]
            totals.append((q, len(qrows), sum(int(x["views"]) for x in qrows),  # type: ignore[call-overload]
                           ix.money(sum(int(x["revenue"]) for x in qrows)),  # type: ignore[call-overload]
                           ix.money(sum(int(x["influenced"]) for x in qrows))))  # type: ignore[call-overload]
        pages.append(Page(f"types/{slug}.md", "type.md.j2", TypeContext(
            title=t("Content type: %(type)s", type=t.content_type(ty)),
            content_type=ty,
            totals=table([("quarter", t("Quarter"), "text"),
                          ("pieces", t("Pieces active"), "int"),
                          ("views", t("Views"), "int"),
                          ("attributed_revenue", revenue_col, "money"),
                          ("influenced_revenue", t("Influenced revenue"), "money")],
                         totals, f"types/{slug}-quarters.csv"),  # type: ignore[arg-type]
            pieces=pieces_table(ix, mine, settings, "../", f"types/{slug}-pieces.csv"))))
    return pages


def _data_quality(results: Results, warnings: tuple[str, ...], settings: SiteSettings) -> Page:
    t = translator(settings.locale)
    ledger = results.ledger
    files = []
    for f, g in ledger.groupby("file", sort=True):
        by = g.groupby("outcome")["rows"].sum().to_dict()
        files.append((f, str(g["table_name"].iloc[0]), int(g["rows"].sum()),
                      int(by.get("kept", 0)), int(by.get("merged", 0)),
                      int(sum(v for k, v in by.items() if k not in ("kept", "merged")))))
    reasons = [(r.file, r.outcome, r.reason, int(r.rows))
               for r in ledger[ledger["outcome"] != "kept"].itertuples()]
    return Page("data-quality.md", "data_quality.md.j2", DataQualityContext(
        title=t("Data quality"),
        files=table([("file", t("File"), "text"), ("table", t("Table"), "text"),
                     ("rows_read", t("Rows read"), "int"), ("kept", t("Kept"), "int"),
                     ("merged", t("Merged"), "int"), ("dropped", t("Dropped"), "int")],
                    files, "data-quality-files.csv"),  # type: ignore[arg-type]
        reasons=table([("file", t("File"), "text"), ("outcome", t("Outcome"), "text"),
                       ("reason", t("Reason"), "text"), ("rows", t("Rows"), "int")],
                      reasons, "data-quality-reasons.csv"),  # type: ignore[arg-type]
        warnings=warnings))


def _notices(sources: tuple[QuarterSource, ...], quarter: str, settings: SiteSettings
             ) -> tuple[str, ...]:
    t = translator(settings.locale)
    out = []
    for src in sources:
        if src.quarter != quarter or not src.restored:
            continue
        out.append(t("%(quarter)s is shown from its saved snapshot: its raw exports were deleted, "
                     "so its figures are as computed when it was last built.",
                     quarter=t.quarter(quarter)))
        if src.differences:
            out.append(t("%(quarter)s was computed with other settings (%(settings)s); its "
                         "figures are not compared with other quarters.",
                         quarter=t.quarter(quarter), settings="; ".join(
                f"{k} {a} → {b}" for k, a, b in src.differences)))
    return tuple(out)


def build_pages(results: Results, settings: SiteSettings, notes: dict[str, str],
                warnings: tuple[str, ...] = (),
                sources: tuple[QuarterSource, ...] = ()) -> list[Page]:
    """Every page of the site, sorted by path. ``sources`` says which quarters were restored
    from snapshots (and under which settings)."""
    if not results.quarters:
        raise BuildError(f"no quarter folder with data under '{settings.data_dir}' — add one "
                         "folder per quarter, e.g. content/2026-Q3/")
    t = translator(settings.locale)
    ix = index(results)
    quarters = results.quarters
    for q in quarters:
        safe_slug(q, "quarter")
    comparable = frozenset(q for q in quarters
                           if not any(s.quarter == q and s.differences for s in sources))
    latest = quarters[-1]
    pages = [Page("index.md", "home.md.j2", HomeContext(
        title=t("The story of marketing value — %(quarter)s", quarter=t.quarter(latest)),
        story=build_story(ix, latest, settings, notes.get(latest), "index.md",
                          _notices(sources, latest, settings), comparable),
        quarters=tuple(Link(t.quarter(q), f"quarters/{q}.md") for q in reversed(quarters))))]
    for q in quarters:
        path = f"quarters/{q}.md"
        pages.append(Page(path, "quarter.md.j2", QuarterContext(
            title=t("%(quarter)s", quarter=t.quarter(q)),
            story=build_story(ix, q, settings, notes.get(q), path,
                              _notices(sources, q, settings), comparable),
            pieces=pieces_table(ix, _quarter_rows(ix, q, settings.default_model), settings,
                                "../", f"quarters/{q}-pieces.csv"))))
    pages += _types(ix, settings)
    pages += _articles(ix, settings)
    half_life = t.n("%(num)s day", "%(num)s days", settings.half_life_days)
    pages.append(Page("methodology.md", "methodology.md.j2", MethodologyContext(
        title=t("Methodology"),
        models=tuple(ModelRule(model_label(m, t), t(RULES[m], half_life=half_life),
                               m == settings.default_model) for m in settings.models),
        lookback_days=settings.lookback_days, journey_mode=settings.journey_mode,
        half_life_days=settings.half_life_days, reporting_currency=settings.reporting_currency,
        min_deals=settings.min_deals, redact_accounts=settings.redact_accounts,
        min_group_size=settings.min_group_size,
        retreat_after_quarters=settings.retreat_after_quarters,
        quarters=quarters, restored=tuple(s.quarter for s in sources if s.restored))))
    pages.append(_data_quality(results, warnings, settings))
    return sorted(pages, key=lambda p: p.path)
