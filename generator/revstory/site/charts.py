"""Charts: plain values → pyecharts → compact ECharts option JSON.

The site never runs inline chart code. Each chart is a ``<div class="echart"
data-option-id=ID data-option=JSON>`` placeholder holding its option in an attribute; one
site-wide ``charts.js`` initialises every placeholder (and survives Material's instant
navigation). Inputs must be plain Python numbers (numpy integers become ``null`` in
pyecharts), ids are stable slugs so builds are byte-identical, and no ``JsCode`` is used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup
from pyecharts import options as opts
from pyecharts.charts import Bar
from pyecharts.globals import CurrentConfig

CurrentConfig.LOCALE = "EN"
_ID = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Chart:
    """A chart ready for a page."""

    chart_id: str = field(metadata={"doc": "Stable slug, unique on its page; the JSON's id."})
    option_json: str = field(metadata={"doc": "Compact ECharts option, safe inside <script>."})
    height: int = field(default=360, metadata={"doc": "Height of the chart in pixels."})

    def markup(self) -> Markup:
        """The placeholder carrying its option, as the site-wide charts.js expects it.

        The option lives in an attribute, not a ``<script type="application/json">``:
        Material's instant navigation re-inserts content scripts without their ``type`` and
        would run the JSON as code.
        """
        # Single-quoted so the JSON's many double quotes need no entities (search indexing
        # unescapes every entity of every page: thousands per chart). ``to_json`` already
        # writes <, > and & as \\u escapes, so an apostrophe is the only character left.
        value = self.option_json.replace("'", "&#39;")
        return Markup(
            f'<div class="echart" data-option-id="{self.chart_id}" '
            f"data-option='{value}' style=\"height:{self.height}px\"></div>"
        )


def _finish(chart_id: str, option: dict[str, object], height: int, top: int = 40) -> Chart:
    """Shared layout: transparent background (follows the light/dark palette), labels inside
    the grid, room above for the legend."""
    option["backgroundColor"] = "transparent"
    option["grid"] = {"containLabel": True, "left": 8, "right": 16, "top": top, "bottom": 8}
    return Chart(chart_id=chart_id, option_json=to_json(option), height=height)


def _plain(values: Sequence[float | int]) -> list[float | int]:
    out: list[float | int] = []
    for v in values:
        f = float(v)
        out.append(int(f) if f.is_integer() and abs(f) < 2**53 else round(f, 2))
    return out


def to_json(option: dict[str, object]) -> str:
    """Compact, key-sorted JSON that cannot close its ``<script>`` element."""
    text = json.dumps(option, separators=(",", ":"), ensure_ascii=False, sort_keys=True,
                      allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def bar_chart(chart_id: str, categories: Sequence[str], series: dict[str, Sequence[float]],
              *, horizontal: bool = False, stack: bool = False, y_name: str = "",
              height: int = 360) -> Chart:
    """A bar chart: one bar group per category, one series per key of ``series``."""
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a lowercase slug")
    bar = Bar(init_opts=opts.InitOpts(chart_id=chart_id, width="100%", height=f"{height}px"))
    bar.add_xaxis([str(c) for c in categories])
    for name, values in series.items():
        bar.add_yaxis(str(name), _plain(values), stack="all" if stack else None,
                      label_opts=opts.LabelOpts(is_show=False))
    bar.set_global_opts(
        legend_opts=opts.LegendOpts(type_="scroll", pos_top="0"),
        tooltip_opts=opts.TooltipOpts(trigger="axis"),
        yaxis_opts=opts.AxisOpts(name=y_name),
        xaxis_opts=opts.AxisOpts(axislabel_opts=opts.LabelOpts(interval=0, rotate=0)),
    )
    if horizontal:
        bar.reversal_axis()
    return _finish(chart_id, json.loads(bar.dump_options()), height)


def dual_bar_chart(chart_id: str, categories: Sequence[str], left_name: str,
                   left: Sequence[float], right_name: str, right: Sequence[float],
                   right_unit: str, height: int = 320) -> Chart:
    """Two series on two value axes (e.g. views next to revenue), one bar group per category."""
    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a lowercase slug")
    bar = Bar(init_opts=opts.InitOpts(chart_id=chart_id, width="100%", height=f"{height}px"))
    bar.add_xaxis([str(c) for c in categories])
    bar.extend_axis(yaxis=opts.AxisOpts(name=right_unit, position="right"))
    bar.add_yaxis(left_name, _plain(left), yaxis_index=0,
                  label_opts=opts.LabelOpts(is_show=False))
    bar.add_yaxis(right_name, _plain(right), yaxis_index=1,
                  label_opts=opts.LabelOpts(is_show=False))
    bar.set_global_opts(legend_opts=opts.LegendOpts(pos_top="0"),
                        tooltip_opts=opts.TooltipOpts(trigger="axis"),
                        yaxis_opts=opts.AxisOpts(name=left_name))
    return _finish(chart_id, json.loads(bar.dump_options()), height)


def line_chart(chart_id: str, categories: Sequence[str], left: dict[str, Sequence[float]],
               right: dict[str, Sequence[float]], left_unit: str = "", right_unit: str = "",
               height: int = 300) -> Chart:
    """Trend lines over ``categories`` (quarters): ``left`` series on the left value axis,
    ``right`` series (e.g. revenue) on a second axis."""
    from pyecharts.charts import Line

    if not _ID.fullmatch(chart_id):
        raise ValueError(f"chart id {chart_id!r} must be a lowercase slug")
    line = Line(init_opts=opts.InitOpts(chart_id=chart_id, width="100%", height=f"{height}px"))
    line.add_xaxis([str(c) for c in categories])
    if right:
        line.extend_axis(yaxis=opts.AxisOpts(name=right_unit, position="right"))
    for index, series in ((0, left), (1, right)):
        for name, values in series.items():
            line.add_yaxis(str(name), _plain(values), yaxis_index=index, is_symbol_show=True,
                           label_opts=opts.LabelOpts(is_show=False))
    line.set_global_opts(legend_opts=opts.LegendOpts(pos_top="0"),
                         tooltip_opts=opts.TooltipOpts(trigger="axis"),
                         yaxis_opts=opts.AxisOpts(name=left_unit))
    # Room for a legend that wraps to two lines above the axis names.
    return _finish(chart_id, json.loads(line.dump_options()), height, top=72)
