"""The quarter's story: headline figures, generated sentences, anecdotes, top and retreat lists.

Input: the indexed results (``frames.Indexed``) and the site settings. Output: a
:class:`~generator.site.context.StoryContext` for one quarter. Sentences exist in en, fr and pl.
"""

from __future__ import annotations

from generator.site.charts import bar_chart
from generator.site.context import Anecdote, Figure, Link, StoryContext, Table, table
from generator.site.fmt import Formatter
from generator.site.frames import Indexed, quarter_figures
from generator.site.settings import SiteSettings

#: An anecdote lists this many touches, then says how many more there were.
MAX_STEPS = 8

SENTENCES: dict[str, dict[str, str]] = {
    "en": {
        "won": "In {quarter} we won {won} across {deals} deals; {share} of it came from deals "
               "whose buyers read our content before signing.",
        "change": "Won revenue changed by {delta} from {previous}.",
        "rates": "Deals touched by content won {wr_t} of the time, against {wr_u} for the "
                 "others.",
        "cycle": "At the median, touched deals closed in {c_t} days, untouched ones in {c_u}.",
        "top": "The piece with the most credit under {model} is “{title}”: {amount} from "
               "{deals} won deals.",
        "retreat": "{n} pieces drew traffic but no revenue; see “What is not working”.",
        "reader": "reader {n}",
        "redacted": "a {segment} customer",
    },
    "fr": {
        "won": "Au {quarter}, nous avons signé {won} sur {deals} affaires ; {share} provient "
               "d’affaires dont les acheteurs ont lu nos contenus avant de signer.",
        "change": "Le chiffre signé a varié de {delta} par rapport au {previous}.",
        "rates": "Les affaires touchées par nos contenus ont été gagnées dans {wr_t} des cas, "
                 "contre {wr_u} pour les autres.",
        "cycle": "En médiane, elles se sont conclues en {c_t} jours, contre {c_u} sans contenu.",
        "top": "Le contenu le plus crédité selon {model} est « {title} » : {amount} sur "
               "{deals} affaires gagnées.",
        "retreat": "{n} contenus ont du trafic mais aucun revenu ; voir « Ce qui ne marche "
                   "pas ».",
        "reader": "lecteur {n}",
        "redacted": "un client {segment}",
    },
    "pl": {
        "won": "W {quarter} wygraliśmy {won} w {deals} transakcjach; {share} z tego pochodzi "
               "z transakcji, których kupujący czytali nasze treści przed podpisaniem.",
        "change": "Wygrany przychód zmienił się o {delta} względem {previous}.",
        "rates": "Transakcje z kontaktem z treściami wygrywaliśmy w {wr_t} przypadków, "
                 "pozostałe w {wr_u}.",
        "cycle": "Mediana cyklu: {c_t} dni z treściami, {c_u} dni bez nich.",
        "top": "Najwięcej zasługi według {model} ma „{title}”: {amount} z {deals} wygranych "
               "transakcji.",
        "retreat": "{n} treści ma ruch, ale brak przychodu; zobacz „Co nie działa”.",
        "reader": "czytelnik {n}",
        "redacted": "klient {segment}",
    },
}


def account_label(name: object, segment: object, settings: SiteSettings) -> str:
    """The account's name, or its segment when accounts are redacted."""
    words = SENTENCES[settings.locale]
    if settings.redact_accounts or not isinstance(name, str) or not name:
        seg = segment if isinstance(segment, str) and segment else "B2B"
        return words["redacted"].format(segment=seg)
    return name


def article_link(ix: Indexed, content_id: str, prefix: str) -> Link:
    return Link(ix.titles.get(content_id, content_id), f"{prefix}articles/{content_id}.md")


def _figures(ix: Indexed, quarter: str, previous: str | None, model: str) -> tuple[Figure, ...]:
    now = quarter_figures(ix.results, quarter, model)
    before = quarter_figures(ix.results, previous, model) if previous else None

    def fig(label: str, kind: str, attr: str, delta: str) -> Figure:
        value = getattr(now, attr)
        prev = getattr(before, attr) if before else None
        if kind == "money":
            value = ix.money(value)
            prev = ix.money(prev) if before else None
        return Figure(label, kind, value, prev, delta)  # type: ignore[arg-type]

    return (
        fig("Won revenue", "money", "won_revenue", "relative"),
        fig("Share of won revenue touched by content", "percent", "touched_share", "points"),
        fig(f"Content-attributed revenue ({model})", "money", "attributed", "relative"),
        fig("Influenced open pipeline", "money", "pipeline", "relative"),
        fig("Win rate, content-touched deals", "percent", "win_rate_touched", "points"),
        fig("Win rate, untouched deals", "percent", "win_rate_untouched", "points"),
        fig("Median sales cycle, content-touched (days)", "days", "cycle_touched", "days"),
        fig("Median sales cycle, untouched (days)", "days", "cycle_untouched", "days"),
    )


def _anecdotes(ix: Indexed, quarter: str, settings: SiteSettings, prefix: str
               ) -> tuple[Anecdote, ...]:
    deals = ix.results.deals
    won = deals[(deals["quarter"] == quarter) & (deals["status"] == "won") & deals["touched"]]
    won = won.sort_values(["amount_minor", "deal_id"], ascending=[False, True])
    won = won.head(settings.anecdotes)
    journeys = ix.won_journeys[ix.won_journeys["deal_id"].isin(won["deal_id"])]
    by_deal = dict(tuple(journeys.groupby("deal_id", sort=True)))
    reader = SENTENCES[settings.locale]["reader"]
    out = []
    for d in won.itertuples():
        j = by_deal.get(d.deal_id)
        if j is None:
            continue
        steps: list[tuple[str, Link]] = []
        last: tuple[int, str] | None = None
        for r in j.itertuples():
            if (int(r.reader), r.content_id) != last:
                steps.append((reader.format(n=int(r.reader)),
                              article_link(ix, r.content_id, prefix)))
            last = (int(r.reader), r.content_id)
        first = j["occurred_at"].min()
        out.append(Anecdote(
            account=account_label(d.name, d.segment, settings),
            deal_type=str(d.deal_type),
            amount=ix.money(d.amount_minor),
            closed_on=d.closed_at.date(),
            readers=int(d.readers),
            days_to_close=int((d.closed_at.normalize() - first.normalize()).days),
            steps=tuple(steps[:MAX_STEPS]),
            more_steps=max(len(steps) - MAX_STEPS, 0),
        ))
    return tuple(out)


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
            "revenue": int(a["revenue_minor"]) if a else 0,
            "won_deals": int(a["deals_influenced"]) if a else 0,
        })
    ix.cache[key] = rows
    return rows


def pieces_table(ix: Indexed, rows: list[dict[str, object]], settings: SiteSettings,
                 prefix: str, csv_path: str, limit: int | None = None) -> Table:
    ranked = sorted(rows, key=lambda r: (-int(r["revenue"]), -int(r["influenced"]),  # type: ignore[call-overload]
                                         str(r["content_id"])))
    ranked = ranked[:limit] if limit else ranked
    return table(
        [("piece", "Piece", "link"), ("content_type", "Type", "text"),
         ("attributed_revenue", f"Revenue ({settings.default_model})", "money"),
         ("won_deals", "Won deals", "int"), ("influenced_revenue", "Influenced revenue", "money"),
         ("views", "Views", "int"), ("thin", "Thin evidence", "flag")],
        [(article_link(ix, str(r["content_id"]), prefix), ix.types.get(str(r["content_id"])),
          ix.money(r["revenue"]), r["won_deals"],  # type: ignore[arg-type]
          ix.money(r["influenced"]), r["views"],  # type: ignore[arg-type]
          "thin" if int(r["won_deals"]) < settings.min_deals else "")  # type: ignore[call-overload]
         for r in ranked],
        csv_path,
    )


def _not_working(ix: Indexed, quarter: str, rows: list[dict[str, object]],
                 settings: SiteSettings, prefix: str, csv_path: str) -> Table:
    with_views = [r for r in rows if int(r["views"]) > 0]  # type: ignore[call-overload]
    views = sorted(int(r["views"]) for r in with_views)  # type: ignore[call-overload]
    median = views[len(views) // 2] if views else 0
    quiet = [r for r in with_views
             if int(r["influenced"]) == 0 and int(r["views"]) >= median]  # type: ignore[call-overload]
    quiet.sort(key=lambda r: (-int(r["views"]), str(r["content_id"])))  # type: ignore[call-overload]
    past = [q for q in ix.results.quarters if q <= quarter]
    out = []
    for r in quiet[: settings.top_articles]:
        cid = str(r["content_id"])
        silent = sum(
            1 for q in past
            if ix.views.get((q, cid), {}).get("views", 0) > 0
            and ix.influence.get((q, cid), {}).get("influenced_revenue_minor", 0) <= 0)
        out.append((article_link(ix, cid, prefix), ix.types.get(cid), r["views"],
                    r["deals_touched"], silent))
    return table(
        [("piece", "Piece", "link"), ("content_type", "Type", "text"), ("views", "Views", "int"),
         ("deals_touched", "Deals touched", "int"),
         ("quarters_without_revenue", "Quarters with traffic and no revenue", "int")],
        out,  # type: ignore[arg-type]
        csv_path,
    )


def _model_comparison(ix: Indexed, quarter: str, settings: SiteSettings, stem: str,
                      csv_path: str) -> tuple[Table, object]:
    a = ix.results.attribution
    a = a[a["quarter"] == quarter]
    types = sorted({ix.types.get(c, "other") for c in a["content_id"]})
    totals = {(t, m): 0 for t in types for m in settings.models}
    for cid, model, minor in zip(a["content_id"], a["model"], a["revenue_minor"], strict=True):
        if model in settings.models:
            totals[(ix.types.get(cid, "other"), model)] += int(minor)
    rows = [(m, *(ix.money(totals[(t, m)]) for t in types)) for m in settings.models]
    tbl = table([("model", "Model", "text"), *((t, t, "money") for t in types)],
                rows, csv_path)  # type: ignore[arg-type]
    chart = bar_chart("models", list(settings.models),
                      {t: [float(ix.money(totals[(t, m)])) for m in settings.models]
                       for t in types}, stack=True, y_name=settings.reporting_currency)
    return tbl, chart


def build_story(ix: Indexed, quarter: str, settings: SiteSettings, editor_note: str | None,
                page_path: str) -> StoryContext:
    """The story of ``quarter`` for the page at ``page_path`` (docs-relative)."""
    quarters = ix.results.quarters
    pos = quarters.index(quarter)
    previous = quarters[pos - 1] if pos > 0 else None
    model = settings.default_model
    prefix = "../" * page_path.count("/")
    stem = page_path.rsplit(".", 1)[0]
    short = stem.rsplit("/", 1)[-1].lower()
    rows = _quarter_rows(ix, quarter, model)
    top = pieces_table(ix, rows, settings, prefix, f"{stem}-top.csv", settings.top_articles)
    not_working = _not_working(ix, quarter, rows, settings, prefix, f"{stem}-not-working.csv")
    comparison, chart = _model_comparison(ix, quarter, settings, short,
                                          f"{stem}-models.csv")
    figures = _figures(ix, quarter, previous, model)
    return StoryContext(
        quarter=quarter,
        previous_quarter=previous,
        default_model=model,
        figures=figures,
        narrative=narrative(ix, quarter, previous, settings, figures, rows,
                            len(not_working.rows)),
        editor_note=editor_note,
        anecdotes=_anecdotes(ix, quarter, settings, prefix),
        top_articles=top,
        not_working=not_working,
        model_comparison=comparison,
        model_chart=chart,  # type: ignore[arg-type]
        link_prefix=prefix,
    )


def narrative(ix: Indexed, quarter: str, previous: str | None, settings: SiteSettings,
              figures: tuple[Figure, ...], rows: list[dict[str, object]],
              n_quiet: int) -> tuple[str, ...]:
    """Sentences built from the figures, in the site's language."""
    f = Formatter(settings.locale, settings.reporting_currency)
    words = SENTENCES[settings.locale]
    won, share, _, _, wr_t, wr_u, c_t, c_u = figures
    deals = quarter_figures(ix.results, quarter, settings.default_model).won_deals
    out = [words["won"].format(quarter=quarter, won=f.money(won.value), deals=deals,
                               share=f.percent(share.value))]
    if previous and won.previous:
        out.append(words["change"].format(
            delta=f.delta(won.value, won.previous, "relative"), previous=previous))
    if wr_t.value is not None and wr_u.value is not None:
        out.append(words["rates"].format(wr_t=f.percent(wr_t.value), wr_u=f.percent(wr_u.value)))
    if c_t.value is not None and c_u.value is not None:
        out.append(words["cycle"].format(c_t=f.days(c_t.value), c_u=f.days(c_u.value)))
    best = sorted(rows, key=lambda r: (-int(r["revenue"]), str(r["content_id"])))  # type: ignore[call-overload]
    if best and int(best[0]["revenue"]) > 0:  # type: ignore[call-overload]
        cid = str(best[0]["content_id"])
        out.append(words["top"].format(model=settings.default_model,
                                       title=ix.titles.get(cid, cid),
                                       amount=f.money(ix.money(best[0]["revenue"])),  # type: ignore[arg-type]
                                       deals=best[0]["won_deals"]))
    if n_quiet:
        out.append(words["retreat"].format(n=n_quiet))
    return tuple(out)
