"""Put the first screen in words.

:class:`~revstory.story.first_screen.FirstScreen` → :class:`FirstScreenView` in the site's
language, and the decision-robustness line of a top piece
(:class:`~revstory.uncertainty.robustness.Robustness`).

Every word comes from the catalog (:mod:`revstory.site.i18n`); numbers from
:mod:`revstory.site.fmt`. Nothing is computed here beyond choosing words for signs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from revstory.quarter import Quarter
from revstory.site.charts import sparkline
from revstory.site.fmt import Formatter
from revstory.site.i18n import N_, NP_, Translator
from revstory.story.first_screen import Card, Decomposition, FirstScreen, Part
from revstory.uncertainty.robustness import Robustness

Money = Callable[[float | int | None], Decimal]


def doc(text: str, **kwargs: Any) -> Any:
    """Declare a dataclass field with its documentation (read by the contract test)."""
    return field(metadata={"doc": text}, **kwargs)


@dataclass(frozen=True)
class CardView:
    """One headline card of the first screen, in the site's language."""

    label: str = doc("What the figure is ('Won revenue').")
    value: str = doc("The figure, formatted ('€4,129,871').")
    detail: str = doc(
        "Context under the figure: the untouched deals' value, or the 90 % interval and the "
        "top piece's range of credit across models ('' for none)."
    )
    change: str = doc("'▲ +17 pts vs Q2 2026', or why there is no change.")
    tone: Literal["good", "bad", "flat"] = doc(
        "Whether the change is good news (a shorter cycle is), bad news, or neither."
    )
    spark: str = doc(
        "Inline SVG trend (trusted markup from charts.sparkline; '' before two quarters)."
    )


@dataclass(frozen=True)
class FirstScreenView:
    """What a reader sees without scrolling.

    The title line, five cards, the sentence that explains the main change, and three
    bullets.
    """

    title_line: tuple[str, ...] = doc(
        "Quarter with its dates, data as of, built on, prepared by (when set)."
    )
    cards: tuple[CardView, ...] = doc(
        "Won revenue, share touched by content, attributed revenue, win rate and median cycle "
        "(touched vs not)."
    )
    explanation: str = doc(
        "One sentence decomposing the change in won revenue (touched vs other deals, deal "
        "types), or the quarter's headline in a first quarter."
    )
    bullets: tuple[tuple[str, str], ...] = doc(
        "(label, sentence): what worked, what to retire or rework, one next step."
    )


CARD_LABELS = {
    "won_revenue": N_("Won revenue"),
    "touched_share": N_("Won revenue touched by content"),
    "attributed": N_("Attributed to content (%(model)s)"),
    "win_rate": N_("Win rate with content"),
    "cycle": N_("Median sales cycle with content (days)"),
}
#: How won revenue moved (singular subject) and how a group of deals moved (plural subject):
#: French and Polish conjugate the verb differently, hence the contexts.
MOVE_CONTEXT = {"total": "won revenue", "group": "deal group"}
MOVES = {
    "total": {
        "up": NP_("won revenue", "rose %(pct)s (%(amount)s)"),
        "down": NP_("won revenue", "fell %(pct)s (%(amount)s)"),
        "up_new": NP_("won revenue", "rose by %(amount)s"),
        "down_new": NP_("won revenue", "fell by %(amount)s"),
        "flat": NP_("won revenue", "did not change"),
    },
    "group": {
        "up": NP_("deal group", "rose %(pct)s (%(amount)s)"),
        "down": NP_("deal group", "fell %(pct)s (%(amount)s)"),
        "up_new": NP_("deal group", "added %(amount)s"),
        "down_new": NP_("deal group", "fell by %(amount)s"),
        "flat": NP_("deal group", "held steady"),
    },
}
GROUPS = {
    "touched": N_("deals with content interactions %(moved)s"),
    "other": N_("deals without content interactions %(moved)s"),
}
DEAL_TYPES_PLURAL = {
    "new": NP_("deal types, plural", "new business"),
    "renewal": NP_("deal types, plural", "renewals"),
    "expansion": NP_("deal types, plural", "expansions"),
}


def title_line(
    fs: FirstScreen, t: Translator, f: Formatter, built_on: dt.date, prepared_by: str | None
) -> tuple[str, ...]:
    """'Q3 2026 · 1 Jul – 30 Sep 2026', 'data as of …', 'built on …', 'prepared by …'."""
    q = Quarter.parse(fs.quarter)
    parts = [
        t(
            "%(quarter)s · %(start)s – %(end)s",
            quarter=t.quarter(fs.quarter),
            start=f.date(q.start),
            end=f.date(q.end),
        )
    ]
    if fs.data_as_of:
        parts.append(t("data as of %(date)s", date=f.date(fs.data_as_of)))
    parts.append(t("built on %(date)s", date=f.date(built_on)))
    if prepared_by:
        parts.append(t("prepared by %(who)s", who=prepared_by))
    return tuple(parts)


def _value(card: Card, value: float | None, f: Formatter, money: Money) -> str:
    if card.kind == "money":
        return f.money(money(value) if value is not None else None)
    if card.kind == "percent":
        return f.percent(value, 1)
    return f.number(value) if value is None else f.number(round(value))


def _change(card: Card, previous_label: str | None, t: Translator, f: Formatter) -> str:
    if previous_label is None:
        return t("first quarter: no comparison yet")
    if card.previous is None or card.value is None:
        return t("no comparable figure last quarter")
    kind = {"money": "relative", "percent": "points", "days": "days"}[card.kind]
    delta = f.delta(card.value, card.previous, kind)
    c = card.change or 0
    # A change that rounds to nothing ("±0 pts") gets no arrow: it is not a fall.
    arrow = "=" if delta.startswith("±") else "▲" if c > 0 else "▼"
    return t("%(arrow)s %(delta)s vs %(quarter)s", arrow=arrow, delta=delta, quarter=previous_label)


def _attributed_detail(card: Card, t: Translator, f: Formatter, money: Money) -> str:
    bits = []
    if card.interval:
        bits.append(
            t(
                "90 %% interval %(low)s – %(high)s",
                low=f.compact_money(money(card.interval[0])),
                high=f.compact_money(money(card.interval[1])),
            )
        )
    if card.top_piece and card.model_count:
        lo, hi = card.top_piece
        bits.append(
            t("top piece: the same under all %(n)s models", n=card.model_count)
            if lo == hi
            else t(
                "top piece: %(low)s – %(high)s across %(n)s models",
                n=card.model_count,
                low=f.compact_money(money(lo)),
                high=f.compact_money(money(hi)),
            )
        )
    return " · ".join(bits)


def card_view(
    card: Card, t: Translator, f: Formatter, money: Money, model: str, previous_label: str | None
) -> CardView:
    """One card in words; ``previous_label`` is last quarter as readers write it (or None)."""
    detail = ""
    if card.key in ("win_rate", "cycle"):
        detail = t("vs %(value)s without content", value=_value(card, card.other, f, money))
    elif card.key == "attributed":
        detail = _attributed_detail(card, t, f, money)
    change = _change(card, previous_label, t, f)
    good = None if change.startswith("=") else card.good
    return CardView(
        label=t(CARD_LABELS[card.key], model=model),
        value=_value(card, card.value, f, money),
        detail=detail,
        change=change,
        tone="flat" if good is None else "good" if good else "bad",
        spark=str(sparkline(card.trend)) if previous_label else "",
    )


def _signed_money(part: Part, f: Formatter, money: Money) -> str:
    text = f.compact_money(money(abs(part.change)))
    return ("+" if part.change > 0 else "−" if part.change < 0 else "±") + text


def _moved(part: Part, t: Translator, f: Formatter, money: Money, key: str) -> str:
    """'fell 86 % (−€1.1M)' for ``key`` = group or total."""
    amount = _signed_money(part, f, money)
    if part.change == 0:
        return t.p(MOVE_CONTEXT[key], MOVES[key]["flat"], amount=amount)
    way = "up" if part.change > 0 else "down"
    if part.before:
        pct = f.percent(abs(part.change) / part.before)
        return t.p(MOVE_CONTEXT[key], MOVES[key][way], pct=pct, amount=amount)
    return t.p(MOVE_CONTEXT[key], MOVES[key][f"{way}_new"], amount=amount)


def explanation(
    d: Decomposition | None,
    previous_label: str | None,
    t: Translator,
    f: Formatter,
    money: Money,
    fallback: str,
) -> str:
    """Say in one sentence what moved won revenue (``fallback`` in a first quarter)."""
    if d is None or previous_label is None:
        return fallback
    driver = d.driver
    rest = d.by_touch[0] if driver.key == "other" else d.by_touch[1]
    lead = t(
        "Won revenue %(total)s from %(previous)s: %(driver)s, while %(rest)s",
        total=_moved(d.total, t, f, money, "total"),
        previous=previous_label,
        driver=t(GROUPS[driver.key], moved=_moved(driver, t, f, money, "group")),
        rest=t(GROUPS[rest.key], moved=_moved(rest, t, f, money, "group")),
    )
    if d.by_type and d.by_type[0].change and d.by_type[0].key in DEAL_TYPES_PLURAL:
        top = d.by_type[0]
        lead += t(
            "; the largest change by deal type is in %(type)s (%(amount)s)",
            type=t.p("deal types, plural", DEAL_TYPES_PLURAL[top.key]),
            amount=_signed_money(top, f, money),
        )
    return lead + "."


def bullets(
    fs: FirstScreen,
    t: Translator,
    f: Formatter,
    money: Money,
    titles: Mapping[str, str],
    model: str,
    retreat_after: int,
) -> tuple[tuple[str, str], ...]:
    """Word what worked, what to retire or rework, one next step: (label, sentence) each."""

    def title(cid: str) -> str:
        return titles.get(cid, cid)

    if fs.worked:
        top = fs.worked[0]
        # A count of fewer won deals than min_group_size is withheld (None): the credit, a
        # model's share, is told without it.
        worked = (
            t(
                "“%(title)s”: %(amount)s (%(model)s)",
                title=title(top.content_id),
                amount=f.compact_money(money(top.revenue)),
                model=model,
            )
            if top.won_deals is None
            else t(
                "“%(title)s”: %(amount)s from %(deals)s (%(model)s)",
                title=title(top.content_id),
                amount=f.compact_money(money(top.revenue)),
                deals=t.n("%(num)s won deal", "%(num)s won deals", top.won_deals),
                model=model,
            )
        )
        if len(fs.worked) > 1:
            worked += t(
                ", then “%(title)s” (%(amount)s)",
                title=title(fs.worked[1].content_id),
                amount=f.compact_money(money(fs.worked[1].revenue)),
            )
    else:
        worked = t("no piece earned credit this quarter")
    if fs.retire:
        c = fs.retire[0]
        retire = t(
            "“%(title)s”: %(views)s and no revenue for %(quarters)s",
            title=title(c.content_id),
            views=t.n("%(num)s view", "%(num)s views", c.views),
            quarters=t.n("%(num)s quarter", "%(num)s quarters in a row", c.streak),
        )
        if len(fs.retire) > 1:
            retire += " " + t.n(
                "(and %(num)s more below)", "(and %(num)s more below)", len(fs.retire) - 1
            )
    elif fs.retire_too_early:
        retire = t.n(
            "too early to tell: a piece needs %(num)s quarter of traffic without revenue",
            "too early to tell: a piece needs %(num)s quarters of traffic without revenue",
            retreat_after,
        )
    else:
        retire = t.n(
            "nothing: every piece read this quarter was in a won deal’s journey within %(num)s "
            "quarter",
            "nothing: every piece read this quarter was in a won deal’s journey within %(num)s "
            "quarters",
            retreat_after,
        )
    step_ = fs.next_step
    if step_.gem is not None:
        gem = step_.gem
        step = t(
            "promote “%(title)s”: %(amount)s of influenced revenue from only %(views)s",
            title=title(gem.content_id),
            amount=f.compact_money(money(gem.influenced)),
            views=t.n("%(num)s view", "%(num)s views", gem.views),
        )
        if gem.times_average:
            step += " " + t(
                "(%(times)s × the average per view)", times=f.number(gem.times_average, 1)
            )
    elif step_.win_rates is not None:
        step = t(
            "put content in front of the open pipeline: deals with content interactions win "
            "%(wr_t)s of the time, the others %(wr_u)s",
            wr_t=f.percent(step_.win_rates[0], 1),
            wr_u=f.percent(step_.win_rates[1], 1),
        )
    else:
        step = t("keep the exports coming: the next quarter brings the first comparisons")
    return ((t("What worked"), worked), (t("Retire or rework"), retire), (t("Next step"), step))


def first_screen_view(
    fs: FirstScreen,
    t: Translator,
    f: Formatter,
    money: Money,
    titles: Mapping[str, str],
    model: str,
    built_on: dt.date,
    prepared_by: str | None,
    retreat_after: int,
    fallback: str,
) -> FirstScreenView:
    """Put the first screen in words; ``model`` is the default model's name in the language."""
    previous = t.quarter(fs.previous) if fs.previous else None
    return FirstScreenView(
        title_line=title_line(fs, t, f, built_on, prepared_by),
        cards=tuple(card_view(c, t, f, money, model, previous) for c in fs.cards),
        explanation=explanation(fs.decomposition, previous, t, f, money, fallback),
        bullets=bullets(fs, t, f, money, titles, model, retreat_after),
    )


def robustness_line(r: Robustness | None, t: Translator, f: Formatter) -> str:
    """'top 10 in 94 % of resamples and 10 of 12 models', or '' without a figure."""
    if r is None or not r.samples:
        return ""
    return t(
        "top %(n)s in %(share)s of resamples and %(models)s of %(all)s models",
        n=r.top_n,
        share=f.percent(r.resample_share),
        models=r.models_in_top,
        all=r.models,
    )


def article_robustness(r: Robustness | None, quarter: str, t: Translator, f: Formatter) -> str:
    """'In Q3 2026: top 10 in 94 % of resamples and 10 of 12 models', or ''."""
    line = robustness_line(r, t, f)
    return t("In %(quarter)s: %(line)s.", quarter=t.quarter(quarter), line=line) if line else ""
