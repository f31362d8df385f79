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
from revstory.site.i18n import Translator, translator
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

SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
CO_READ = 8


def safe_slug(value: str, what: str) -> str:
    """Guard file names taken from the data: a slug, never a path."""
    if not SLUG.fullmatch(value) or ".." in value:
        raise BuildError(f"{what} {value!r} cannot be used as a file name — ids must match "
                         "[A-Za-z0-9][A-Za-z0-9._-]* (no slashes, no '..')")
    return value


def _articles(ix: Indexed, settings: SiteSettings) -> list[Page]:
    r = ix.results
    models = settings.models
    t = translator(settings.locale)
    revenue_col = t("col.revenue_model", model=model_label(settings.default_model, t))
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
            [("quarter", t("col.quarter"), "text"), ("views", t("col.views"), "int"),
             ("users", t("col.users"), "int"),
             ("seconds_per_view", t("col.seconds_per_view"), "number"),
             ("attributed_revenue", revenue_col, "money"),
             ("influenced_revenue", t("col.influenced"), "money"),
             ("won_deals", t("col.won_deals_touched"), "int")],
            eng_rows, f"{stem}-engagement.csv")
        eng_chart = dual_bar_chart(
            "engagement", [row[0] for row in eng_rows], t("chart.views"),
            [row[1] for row in eng_rows], revenue_col, [float(row[4]) for row in eng_rows],
            settings.reporting_currency)
        # The trend across quarters (restored quarters included).
        trend_chart = line_chart(
            "trend", [row[0] for row in eng_rows], {t("chart.views"): [row[1] for row in eng_rows]},
            {t("chart.influenced"): [float(row[5]) for row in eng_rows],
             revenue_col: [float(row[4]) for row in eng_rows]},
            right_unit=settings.reporting_currency)
        streak, _ = silent_streak(ix, cid, r.quarters)
        retreat = (t("art.retreat", q=t.n("nar.quarters", streak))
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
        credit = table([("model", t("col.model"), "text"),
                        *((q, q, "money") for q in r.quarters),
                        ("total", t("col.total"), "money")], credit_rows,  # type: ignore[arg-type]
                       f"{stem}-credit.csv")
        credit_chart = bar_chart("credit", [model_label(m, t) for m in models],
                                 {t("chart.revenue"): [float(row[-1]) for row in credit_rows]},  # type: ignore[arg-type]
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
                                  t.maybe(f"deal.{x.deal_type}", str(x.deal_type)),
                                  x.closed_at.date(), ix.money(x.amount_minor),
                                  round(float(x.credit), 4), ix.money(x.revenue_minor)))
        # Privacy: a list of fewer deals than min_group_size is not shown (nor offered as CSV).
        deals_hidden = None
        if 0 < len(deal_rows) < settings.min_group_size:
            deal_rows = []
            deals_hidden = t.n("hidden.deals", settings.min_group_size)
        deal_table = table(
            [("quarter", t("col.quarter"), "text"), ("account", t("col.account"), "text"),
             ("deal_type", t("col.deal_type"), "text"), ("closed_on", t("col.closed"), "date"),
             ("amount", t("col.amount"), "money"),
             ("credit", t("col.share_of_deal"), "percent"),
             ("revenue", revenue_col, "money")],
            deal_rows, f"{stem}-deals.csv")
        # Journey position and co-read pieces.
        pos = pos_by.get(cid, {})
        total = sum(pos.values()) or 1
        positions = table(
            [("position", t("col.position"), "text"), ("touches", t("col.touches"), "int"),
             ("share", t("col.share"), "percent")],
            [(t(f"pos.{p}"), int(pos.get(p, 0)), pos.get(p, 0) / total)
             for p in ("first", "middle", "last")],
            f"{stem}-positions.csv")
        co_rows = []
        cr = co_by.get(cid)
        if cr is not None:
            for other, n in zip(cr["content_id_y"].head(CO_READ), cr["deals"].head(CO_READ),
                                strict=True):
                co_rows.append((article_link(ix, other, "../"), type_label(ix, other, t),
                                int(n)))
        co_read = table([("piece", t("col.piece"), "link"), ("content_type", t("col.type"), "text"),
                         ("won_deals", t("col.read_both"), "int")],
                        co_rows, f"{stem}-co-read.csv")  # type: ignore[arg-type]
        won_deals = n_deals.get(settings.default_model, 0)
        cert_intro, cert_rows, cert_notes = _certainty(ix, sure, str(c.content_id), per,
                                                       settings, t, f)
        certainty = table(
            [("model", t("col.model"), "text"), ("revenue", t("col.attributed"), "money"),
             ("low90", t("col.low90"), "money"), ("high90", t("col.high90"), "money"),
             ("won_deals", t("col.won_deals_touched"), "int"),
             ("thin", t("col.thin"), "text")],
            cert_rows, f"{stem}-certainty.csv")
        ctx = ArticleContext(
            title=str(c.title), content_id=cid,
            content_type=Link(t.maybe(f"ctype.{c.content_type}",
                                      str(c.content_type).replace("_", " ")),
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
                     tr("word.yes") if iv["thin_evidence"] else tr("word.no")))
    notes = []
    sp = sure["spread"].get((q, cid))
    if sp is not None:
        notes.append(tr("art.spread", low=f.money(ix.money(int(sp["models_min_minor"]))),
                        high=f.money(ix.money(int(sp["models_max_minor"]))), quarter=label))
        if sp["model_dependent"]:
            notes.append(tr("art.model_dependent"))
    cmp_ = sure["compare"].get((q, cid))
    if cmp_ is not None and pd.notna(cmp_["win_rate_touched"]):
        notes.append(tr("art.compare", **{
            k: f.percent(float(cmp_[f"win_rate_{k}"]))
            for k in ("touched", "touched_low", "touched_high", "untouched", "untouched_low",
                      "untouched_high")}))
    return tr("art.certainty_intro", quarter=label), rows, tuple(notes)


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
    revenue_col = t("col.revenue_model", model=model_label(settings.default_model, t))
    rows = _all_rows(ix, settings)
    types = sorted(set(ix.types.values()))
    pages = [Page("types/index.md", "types_index.md.j2", TypesIndexContext(
        title=t("title.content"),
        types=table(
            [("content_type", t("col.type"), "link"), ("pieces", t("col.pieces"), "int"),
             ("views", t("col.views"), "int"), ("attributed_revenue", revenue_col, "money")],
            [(Link(t.maybe(f"ctype.{ty}", ty.replace("_", " ")),
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
            title=t("title.type", type=t.maybe(f"ctype.{ty}", ty.replace("_", " "))),
            content_type=ty,
            totals=table([("quarter", t("col.quarter"), "text"),
                          ("pieces", t("col.pieces_active"), "int"),
                          ("views", t("col.views"), "int"),
                          ("attributed_revenue", revenue_col, "money"),
                          ("influenced_revenue", t("col.influenced"), "money")],
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
        title=t("title.data_quality"),
        files=table([("file", t("col.file"), "text"), ("table", t("col.table"), "text"),
                     ("rows_read", t("col.rows_read"), "int"), ("kept", t("col.kept"), "int"),
                     ("merged", t("col.merged"), "int"), ("dropped", t("col.dropped"), "int")],
                    files, "data-quality-files.csv"),  # type: ignore[arg-type]
        reasons=table([("file", t("col.file"), "text"), ("outcome", t("col.outcome"), "text"),
                       ("reason", t("col.reason"), "text"), ("rows", t("col.rows"), "int")],
                      reasons, "data-quality-reasons.csv"),  # type: ignore[arg-type]
        warnings=warnings))


def _notices(sources: tuple[QuarterSource, ...], quarter: str, settings: SiteSettings
             ) -> tuple[str, ...]:
    t = translator(settings.locale)
    out = []
    for src in sources:
        if src.quarter != quarter or not src.restored:
            continue
        out.append(t("story.restored", quarter=t.quarter(quarter)))
        if src.differences:
            out.append(t("story.mismatch", quarter=t.quarter(quarter), settings="; ".join(
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
        title=t("title.home", quarter=t.quarter(latest)),
        story=build_story(ix, latest, settings, notes.get(latest), "index.md",
                          _notices(sources, latest, settings), comparable),
        quarters=tuple(Link(t.quarter(q), f"quarters/{q}.md") for q in reversed(quarters))))]
    for q in quarters:
        path = f"quarters/{q}.md"
        pages.append(Page(path, "quarter.md.j2", QuarterContext(
            title=t("title.quarter", quarter=t.quarter(q)),
            story=build_story(ix, q, settings, notes.get(q), path,
                              _notices(sources, q, settings), comparable),
            pieces=pieces_table(ix, _quarter_rows(ix, q, settings.default_model), settings,
                                "../", f"quarters/{q}-pieces.csv"))))
    pages += _types(ix, settings)
    pages += _articles(ix, settings)
    half_life = t.n("nar.days", settings.half_life_days)
    pages.append(Page("methodology.md", "methodology.md.j2", MethodologyContext(
        title=t("title.methodology"),
        models=tuple(ModelRule(model_label(m, t), t(f"rule.{m}", half_life=half_life),
                               m == settings.default_model) for m in settings.models),
        lookback_days=settings.lookback_days, journey_mode=settings.journey_mode,
        half_life_days=settings.half_life_days, reporting_currency=settings.reporting_currency,
        min_deals=settings.min_deals, redact_accounts=settings.redact_accounts,
        min_group_size=settings.min_group_size,
        retreat_after_quarters=settings.retreat_after_quarters,
        quarters=quarters, restored=tuple(s.quarter for s in sources if s.restored))))
    pages.append(_data_quality(results, warnings, settings))
    return sorted(pages, key=lambda p: p.path)
