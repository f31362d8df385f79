"""Charts: plain values → compact ECharts option JSON, one unit per chart.

The site never runs inline chart code. Each chart is a ``<figure>`` holding a ``<div
class="echart" data-option-id=ID data-option=JSON>`` placeholder, an HTML legend and a link to
the table with its numbers; one site-wide ``charts.js`` initialises every placeholder (and
survives Material's instant navigation). Inputs must be plain Python numbers (numpy integers
become ``null`` in pyecharts), ids are stable slugs so builds are byte-identical, and no
``JsCode`` is used: every label a reader sees (axis ticks, tooltips, value labels) is formatted
here by :mod:`revstory.site.fmt`, exactly as the tables are, and carried in the option's
``revstory`` entry, which charts.js reads and removes before drawing.

Rules every chart follows: one unit (money, percent, count or days) and one value axis; a
colour-blind-safe palette for light and dark schemes (:data:`PALETTES`, at least 3:1 against
the page in both); series told apart by shape or pattern as well as colour; an ECharts
``aria`` description; a legend in HTML (it wraps on a phone instead of paging).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from markupsafe import Markup, escape

from revstory.site.fmt import Formatter
from revstory.site.i18n import translator

_ID = re.compile(r"[a-z][a-z0-9-]*")
Unit = Literal["money", "percent", "count", "days"]

#: Okabe–Ito hues, darkened for white paper and lightened for Material's slate scheme, so
#: every mark keeps at least 3:1 contrast against the page (tests/site/test_charts.py).
PALETTES: dict[str, tuple[str, ...]] = {
    "light": ("#0072B2", "#C25400", "#007A5E", "#AA3377", "#5C5C5C"),
    "dark": ("#56B4E9", "#E69F00", "#2BC29A", "#E38BC0", "#BDBDBD"),
}
#: The page backgrounds the palettes are checked against (Material default / slate).
BACKGROUNDS = {"light": "#FFFFFF", "dark": "#1E2029"}
#: Per series, after its colour: what tells it apart in grey print and for colour-blind
#: readers. Bars: solid, hatched, dotted; lines: circle + solid, triangle + dashed, ...
PATTERNS = ("solid", "hatch", "dots", "solid", "hatch")
SYMBOLS = ("circle", "triangle", "diamond", "rect", "roundRect")
LINES = ("solid", "dashed", "dotted", "solid", "dashed")
_DECALS: dict[str, dict[str, object] | None] = {
    "solid": None,
    "hatch": {
        "symbol": "rect",
        "dashArrayX": [1, 0],
        "dashArrayY": [2, 4],
        "rotation": 0.785,
        "color": "rgba(255,255,255,0.55)",
    },
    "dots": {
        "symbol": "circle",
        "symbolSize": 0.6,
        "dashArrayX": [4, 4],
        "dashArrayY": [4, 4],
        "color": "rgba(255,255,255,0.6)",
    },
}


@dataclass(frozen=True)
class LegendItem:
    """One entry of a chart's HTML legend."""

    label: str = field(metadata={"doc": "Series name, in the site's language."})
    color: int = field(metadata={"doc": "Index into PALETTES."})
    mark: str = field(
        metadata={
            "doc": "solid, hatch, dots, line-solid, line-dashed, "
            "line-dotted, band, interval or diamond."
        }
    )


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page."""

    chart_id: str = field(metadata={"doc": "Stable slug, unique on its page."})
    option_json: str = field(metadata={"doc": "Compact ECharts option, safe in an attribute."})
    height: int = field(default=360, metadata={"doc": "Height of the chart in pixels."})
    name: str = field(default="", metadata={"doc": "Accessible name (what the chart shows)."})
    legend: tuple[LegendItem, ...] = field(default=(), metadata={"doc": "Legend entries."})
    table_link: tuple[str, str] | None = field(
        default=None, metadata={"doc": "(text, '#table-id') of the table with its numbers."}
    )

    def markup(self) -> Markup:
        """Write the placeholder with its option, legend and table link, as charts.js expects it.

        The option lives in an attribute, not a ``<script type="application/json">``:
        Material's instant navigation re-inserts content scripts without their ``type`` and
        would run the JSON as code.
        """
        # Single-quoted so the JSON's many double quotes need no entities (search indexing
        # unescapes every entity of every page: thousands per chart). ``to_json`` already
        # writes <, > and & as \\u escapes, so an apostrophe is the only character left.
        value = self.option_json.replace("'", "&#39;")
        name = f' role="img" aria-label="{escape(self.name)}"' if self.name else ""
        div = (
            f'<div class="echart" data-option-id="{self.chart_id}"{name} '
            f"data-option='{value}' style=\"height:{self.height}px\"></div>"
        )
        keys = "".join(
            f'<span class="rs-key__item"><i class="rs-mark rs-mark--{item.mark}" '
            f'style="--rs-light:{PALETTES["light"][item.color]};'
            f'--rs-dark:{PALETTES["dark"][item.color]}"></i>{escape(item.label)}</span>'
            for item in self.legend
        )
        link = ""
        if self.table_link:
            text, href = self.table_link
            link = f'<a class="rs-chart__table" href="{escape(href)}">{escape(text)}</a>'
        caption = (
            f'<figcaption><span class="rs-key">{keys}</span>{link}</figcaption>'
            if keys or link
            else ""
        )
        figure = f'<figure class="rs-chart" data-search-exclude>{div}{caption}</figure>'
        return Markup(figure)  # noqa: S704 - every text part is escaped above


def to_json(option: dict[str, object]) -> str:
    """Compact, key-sorted JSON that cannot close its ``<script>`` element."""
    text = json.dumps(
        option, separators=(",", ":"), ensure_ascii=False, sort_keys=True, allow_nan=False
    )
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plain(v: float | int | None) -> float | int | None:
    if v is None:
        return None
    f = float(v)
    return int(f) if f.is_integer() and abs(f) < 2**53 else round(f, 4)


def nice_ticks(high: float, low: float = 0.0, count: int = 4) -> list[float | int]:
    """Round axis ticks from ``low`` (or below) to ``high`` (or above), about ``count`` steps."""
    low = min(low, 0.0)
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    ticks: list[float | int] = []
    k = 0
    while True:
        v = first + k * step
        ticks.append(_plain(round(v, 10)) or 0)
        if v >= high * (1 - 1e-9):
            return ticks
        k += 1


def unit_label(f: Formatter, unit: Unit, value: float | None, exact: bool = False) -> str:
    """Write a value as the tables do (``exact``) or as a compact axis label."""
    if value is None:
        return f.number(None)
    if unit == "money":
        return f.money(value) if exact else f.compact_money(value)
    if unit == "percent":  # values are 0–100 on the axis
        return f.percent(value / 100, 1 if exact else 0)
    if unit == "days":
        return f.number(value)
    return f.number(value) if exact else f.compact_number(value)


def _axis(
    f: Formatter, unit: Unit, values: Sequence[float | None]
) -> tuple[dict[str, object], dict[str, str]]:
    finite = [float(v) for v in values if v is not None]
    hi = max(finite, default=0.0)
    lo = min(finite, default=0.0)
    if unit == "percent":
        hi = min(max(hi, 1.0), 100.0) if hi <= 100 else hi
    ticks = nice_ticks(hi, lo)
    labels = {_key(t): unit_label(f, unit, t) for t in ticks}
    axis: dict[str, object] = {
        "type": "value",
        "min": ticks[0],
        "max": ticks[-1],
        "interval": _plain(ticks[1] - ticks[0]) if len(ticks) > 1 else 1,
        "axisLabel": {"hideOverlap": True},
        "splitLine": {"show": True},
    }
    return axis, labels


def _tip(f: Formatter, label: str, value: str) -> str:
    """Write a tooltip line "label: value" as the locale punctuates it ("label : value")."""
    t = translator(f.locale)
    return f"{t('%(label)s:', label=label)} {value}"


def _key(v: float | int) -> str:
    """Write a tick as JavaScript's String(v) does (the lookup key in charts.js)."""
    p = _plain(v)
    return str(p)


def _check_id(chart_id: str) -> None:
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a lowercase slug")


def _finish(
    chart_id: str,
    option: dict[str, object],
    meta: dict[str, object],
    *,
    name: str,
    description: str,
    height: int,
    legend: tuple[LegendItem, ...],
    table_link: tuple[str, str] | None,
) -> Chart:
    option["backgroundColor"] = "transparent"
    option["animation"] = False  # drawn at once: screenshots, print and PDF see the chart
    option["aria"] = {
        "enabled": True,
        "label": {"description": f"{name}. {description}" if description else name},
    }
    option["legend"] = {"show": False}
    meta["palettes"] = PALETTES
    option["revstory"] = meta
    return Chart(
        chart_id=chart_id,
        option_json=to_json(option),
        height=height,
        name=name,
        legend=legend,
        table_link=table_link,
    )


def _rows_height(n: int, per: int = 34) -> int:
    return max(140, 56 + per * max(n, 1))


def bar_chart(
    chart_id: str,
    f: Formatter,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    unit: Unit,
    *,
    name: str,
    description: str = "",
    horizontal: bool = True,
    stack: bool = False,
    table_link: tuple[str, str] | None = None,
    height: int | None = None,
) -> Chart:
    """Bars of one unit: one group per category, one series per key of ``series``.

    Horizontal by default (category labels are titles and model names: they need the room);
    a single series carries its value at the end of each bar.
    """
    _check_id(chart_id)
    names = list(series)
    cats = [str(c) for c in categories]
    values = [[_plain(v) for v in series[s]] for s in names]
    totals = (
        [sum(float(v or 0) for v in col) for col in zip(*values, strict=True)]
        if stack
        else [float(v) for vs in values for v in vs if v is not None]
    )
    value_axis, ticks = _axis(f, unit, totals)
    category_axis: dict[str, object] = {
        "type": "category",
        "data": cats,
        "axisLabel": {"interval": 0},
    }
    if horizontal:
        category_axis["inverse"] = True  # first category on top, as in the table
    single = len(names) == 1
    out_series = []
    labels = []
    for i, (s, vs) in enumerate(zip(names, values, strict=True)):
        item: dict[str, object] = {"type": "bar", "name": s, "data": vs, "barMaxWidth": 28}
        if stack:
            item["stack"] = "all"
        decal = _DECALS[PATTERNS[i % len(PATTERNS)]]
        if decal:
            item["itemStyle"] = {"decal": decal}
        if single:
            item["label"] = {"show": True, "position": "right" if horizontal else "top"}
        out_series.append(item)
        labels.append([unit_label(f, unit, v) for v in vs])
    tips = [
        [
            c,
            *(
                _tip(f, s, unit_label(f, unit, vs[j], exact=True))
                for s, vs in zip(names, values, strict=True)
            ),
        ]
        for j, c in enumerate(cats)
    ]
    option: dict[str, object] = {
        "xAxis": value_axis if horizontal else category_axis,
        "yAxis": category_axis if horizontal else value_axis,
        "series": out_series,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {
            "containLabel": True,
            "left": 8,
            "right": 56 if single else 24,
            "top": 8,
            "bottom": 8,
        },
    }
    meta = {
        "ticks": ticks,
        "tips": tips,
        "labels": labels if single else [],
        "horizontal": horizontal,
        "colors": list(range(len(names))),
    }
    legend = (
        ()
        if single
        else tuple(LegendItem(s, i, PATTERNS[i % len(PATTERNS)]) for i, s in enumerate(names))
    )
    rows = len(cats) * (1 if stack or single else len(names))
    h = height or (_rows_height(rows, 34 if stack or single else 22) if horizontal else 300)
    return _finish(
        chart_id,
        option,
        meta,
        name=name,
        description=description,
        height=h,
        legend=legend,
        table_link=table_link,
    )


def line_chart(
    chart_id: str,
    f: Formatter,
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    unit: Unit,
    *,
    name: str,
    description: str = "",
    table_link: tuple[str, str] | None = None,
    height: int = 260,
) -> Chart:
    """Chart a trend over ``categories`` (quarters), one unit; callers show it from two quarters."""
    _check_id(chart_id)
    if len(categories) < 2:
        raise ValueError(f"chart {chart_id!r}: a trend needs two quarters or more")
    names = list(series)
    cats = [str(c) for c in categories]
    values = [[_plain(v) for v in series[s]] for s in names]
    value_axis, ticks = _axis(f, unit, [float(v) for vs in values for v in vs if v is not None])
    out_series = [
        {
            "type": "line",
            "name": s,
            "data": vs,
            "symbol": SYMBOLS[i % 5],
            "symbolSize": 9,
            "lineStyle": {"type": LINES[i % 5], "width": 2.5},
        }
        for i, (s, vs) in enumerate(zip(names, values, strict=True))
    ]
    tips = [
        [
            c,
            *(
                _tip(f, s, unit_label(f, unit, vs[j], exact=True))
                for s, vs in zip(names, values, strict=True)
            ),
        ]
        for j, c in enumerate(cats)
    ]
    option: dict[str, object] = {
        "xAxis": {"type": "category", "data": cats, "axisLabel": {"hideOverlap": True}},
        "yAxis": value_axis,
        "series": out_series,
        "tooltip": {"trigger": "axis"},
        "grid": {"containLabel": True, "left": 8, "right": 24, "top": 16, "bottom": 8},
    }
    meta = {
        "ticks": ticks,
        "tips": tips,
        "labels": [],
        "horizontal": False,
        "colors": list(range(len(names))),
    }
    legend = tuple(LegendItem(s, i, f"line-{LINES[i % 5]}") for i, s in enumerate(names))
    return _finish(
        chart_id,
        option,
        meta,
        name=name,
        description=description,
        height=height,
        legend=legend,
        table_link=table_link,
    )


@dataclass(frozen=True)
class RangeRow:
    """One row of a model-range chart: a piece, a content type or a quarter."""

    label: str
    low: float  # lowest credit over the models
    high: float  # highest credit over the models
    value: float  # the default model's credit
    interval: tuple[float, float] | None  # the default model's 90 % interval, if known


@dataclass(frozen=True)
class RangeText:
    """Words of a range chart's legend and tooltips, in the site's language."""

    models: str  # "Range across the 12 models"
    interval: str  # "90 % interval, position-based"
    default: str  # "Position-based (default model)"


def range_chart(
    chart_id: str,
    f: Formatter,
    rows: Sequence[RangeRow],
    text: RangeText,
    *,
    name: str,
    description: str = "",
    table_link: tuple[str, str] | None = None,
) -> Chart:
    """Chart how much a figure depends on the model.

    Per row the min–max band across models, the default model's 90 % interval as a bar
    inside it and the default model as a diamond.

    Drawn by charts.js's ``rs-range`` custom series (data: [row, low, high, interval low,
    interval high, value]).
    """
    _check_id(chart_id)
    cats = [r.label for r in rows]
    data = []
    tips = []
    for j, r in enumerate(rows):
        lo_i, hi_i = r.interval if r.interval else (r.value, r.value)
        data.append([j, _plain(r.low), _plain(r.high), _plain(lo_i), _plain(hi_i), _plain(r.value)])
        tip = [
            r.label,
            _tip(f, text.default, f.money(r.value)),
            _tip(f, text.models, f"{f.money(r.low)} – {f.money(r.high)}"),
        ]
        if r.interval:
            tip.append(_tip(f, text.interval, f"{f.money(lo_i)} – {f.money(hi_i)}"))
        tips.append(tip)
    highs = [max(r.high, r.interval[1] if r.interval else 0.0) for r in rows]
    value_axis, ticks = _axis(f, "money", highs)
    option: dict[str, object] = {
        "xAxis": value_axis,
        "yAxis": {"type": "category", "data": cats, "inverse": True, "axisLabel": {"interval": 0}},
        "series": [
            {
                "type": "custom",
                "name": text.default,
                "renderItem": "rs-range",
                "data": data,
                "encode": {"x": [1, 2, 3, 4, 5], "y": 0},
            }
        ],
        "tooltip": {"trigger": "item"},
        "grid": {"containLabel": True, "left": 8, "right": 24, "top": 8, "bottom": 8},
    }
    meta = {
        "ticks": ticks,
        "tips": tips,
        "labels": [],
        "horizontal": True,
        "colors": [0],
        "range": {"band": 4, "interval": 0, "marker": 1},
    }
    legend = (
        LegendItem(text.models, 4, "band"),
        LegendItem(text.interval, 0, "interval"),
        LegendItem(text.default, 1, "diamond"),
    )
    return _finish(
        chart_id,
        option,
        meta,
        name=name,
        description=description,
        height=_rows_height(len(rows), 40),
        legend=legend,
        table_link=table_link,
    )


def sparkline(values: Sequence[float | None], width: int = 96, height: int = 24) -> Markup:
    """Draw a tiny inline SVG trend for a headline card (decorative: the card states the figures).

    Empty below two known values: there is no trend in one quarter.
    """
    known = [(i, float(v)) for i, v in enumerate(values) if v is not None]
    if len(known) < 2:
        return Markup("")
    lo = min(v for _, v in known)
    hi = max(v for _, v in known)
    span = hi - lo or 1.0
    n = max(len(values) - 1, 1)
    pts = " ".join(
        f"{2 + i * (width - 4) / n:.1f},{height - 3 - (v - lo) / span * (height - 6):.1f}"
        for i, v in known
    )
    last_x, last_y = pts.rsplit(" ", 1)[-1].split(",")
    return Markup(  # noqa: S704 - only numbers formatted here go into the SVG
        f'<svg class="rs-spark" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-hidden="true" focusable="false"><polyline points="{pts}"/>'
        f'<circle cx="{last_x}" cy="{last_y}" r="2.5"/></svg>'
    )
