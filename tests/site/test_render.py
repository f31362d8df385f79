"""Filters, escaping and charts: locale-aware formatting, Markdown-safe text, JSON charts."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal

import numpy as np
import pytest
from revstory.errors import BuildError, ConfigError
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.charts import bar_chart
from revstory.site.context import Link, table
from revstory.site.fmt import Formatter
from revstory.site.pages import safe_slug
from revstory.site.render import make_env, md_escape, table_csv
from revstory.site.settings import site_settings

TEMPLATES = PACKAGED_TEMPLATES


@pytest.mark.parametrize(
    ("locale", "money", "percent", "date"),
    [
        ("en", "€1,234,568", "45.7%", "Sep 30, 2026"),
        ("fr", "1\u202f234\u202f568\u00a0€", "45,7\u00a0%", "30 sept. 2026"),
        ("pl", "1\u00a0234\u00a0568\u00a0€", "45,7%", "30 wrz 2026"),
    ],
)
def test_formats_follow_the_locale(locale: str, money: str, percent: str, date: str) -> None:
    f = Formatter(locale, "EUR")
    assert f.money(Decimal("1234567.89")) == money
    assert f.percent(0.4567, 1) == percent
    assert f.date(dt.date(2026, 9, 30)) == date


def test_delta_kinds() -> None:
    f = Formatter("en", "EUR")
    assert f.delta(110, 100, "relative") == "+10%"
    assert f.delta(0.40, 0.45, "points") == "−5 pts"
    assert f.delta(30, 34, "days") == "−4 d"
    assert f.delta(0.451, 0.452, "points") == "±0 pts"
    assert f.delta(1, None, "relative") == "–"


def test_markdown_and_html_are_escaped() -> None:
    assert md_escape("<b>*x*</b> | [y](z)") == (
        "&lt;b&gt;&#42;x&#42;&lt;/b&gt; &#124; &#91;y&#93;&#40;z&#41;"
    )
    env = make_env([TEMPLATES], "en", "EUR")
    out = env.from_string("{{ t }} {{ l | link }}").render(
        t="<script>alert(1)</script>", l=Link("<i>T</i>", "articles/a.md")
    )
    assert out == (
        "&lt;script&gt;alert&#40;1&#41;&lt;/script&gt; [&lt;i&gt;T&lt;/i&gt;](articles/a.md)"
    )


def test_chart_json_is_plain_and_cannot_close_its_script() -> None:
    f = Formatter("en", "EUR")
    c = bar_chart(
        "credit",
        f,
        ["</script><b>", "b"],
        {"s": np.array([3, 4]).tolist()},
        "money",
        name="Credit <per> model",
    )
    assert "</script>" not in c.option_json and "<b>" not in c.option_json
    option = json.loads(c.option_json)
    assert option["series"][0]["data"] == [3, 4]
    assert option["yAxis"]["data"] == ["</script><b>", "b"]
    markup = str(c.markup())
    assert markup.startswith(
        '<figure class="rs-chart" data-search-exclude><div class="echart" '
        'data-option-id="credit" role="img" '
        'aria-label="Credit &lt;per&gt; model" data-option=\'{'
    )
    # No script element: Material's instant navigation would run it as code.
    assert "<script" not in markup
    attr = markup.split("data-option='")[1].split("' style=")[0]
    assert json.loads(html.unescape(attr)) == option
    # An apostrophe in the data cannot end the attribute.
    quoted = str(bar_chart("q", f, ["it's"], {"s": [1]}, "count", name="n").markup())
    assert "it&#39;s" in quoted and json.loads(
        html.unescape(quoted.split("data-option='")[1].split("' style=")[0])
    )["yAxis"]["data"] == ["it's"]


def test_csv_is_raw_and_safe_from_formulas() -> None:
    t = table(
        [("piece", "Piece", "link"), ("revenue", "Revenue", "money")],
        [(Link("=HYPERLINK(1)", "a.md"), Decimal("12.50"))],
        "x/a.csv",
    )
    assert table_csv(t) == "piece,revenue\n'=HYPERLINK(1),12.50\n"
    assert t.csv_href == "a.csv"


@pytest.mark.parametrize("bad", ["../etc", "a/b", "..", ".hidden", ""])
def test_ids_never_become_paths(bad: str) -> None:
    with pytest.raises(BuildError, match="cannot be used as a file name"):
        safe_slug(bad, "content_id")


def test_settings_errors_hint() -> None:
    with pytest.raises(ConfigError) as err:
        site_settings({"redact_acounts": True, "locale": "de"}, "mkdocs.yml")
    text = str(err.value)
    assert "unknown setting 'redact_acounts'. Did you mean 'redact_accounts'?" in text
    assert "Input should be 'en', 'fr' or 'pl' (at locale)" in text


def test_table_cells_remembered_across_tables_keep_their_kind_and_type() -> None:
    # md_table remembers finished cells per kind: the same value prints per its column, a
    # text column keeps Decimal("5") apart from Decimal("5.0") (equal, written differently),
    # and an unhashable value is still written (each time).
    env = make_env([TEMPLATES], "en", "EUR")
    md_table = env.filters["md_table"]
    cols = [
        ("money", "Money", "money"),
        ("int", "Count", "int"),
        ("text", "Text", "text"),
        ("share", "Share", "percent"),
    ]
    rows = [
        (1234, 1234, Decimal("5"), 0.25),
        (Decimal("1234.0"), 1234.0, Decimal("5.0"), 0.25),
        (Decimal("0"), 0, ["a", "b"], None),
        (1234, 1234, "5", 0.25),
    ]
    for _ in range(2):  # the second table is written from what the first one remembered
        out = str(md_table(table(cols, rows, "x/t.csv")))
        body = out.split("<tbody>\n")[1].split("\n</tbody>")[0].splitlines()
        r = '<td style="text-align: right">'
        assert body == [
            f"<tr>{r}€1,234</td>{r}1,234</td><td>5</td>{r}25.0%</td></tr>",
            f"<tr>{r}€1,234</td>{r}1,234</td><td>5.0</td>{r}25.0%</td></tr>",
            f"<tr>{r}€0</td>{r}0</td><td>&#91;&#39;a&#39;, &#39;b&#39;&#93;</td>{r}–</td></tr>",
            f"<tr>{r}€1,234</td>{r}1,234</td><td>5</td>{r}25.0%</td></tr>",
        ]


def test_csv_money_is_its_decimal_text_and_a_text_cell_is_still_checked() -> None:
    t = table(
        [("note", "Note", "text"), ("revenue", "Revenue", "money"), ("deals", "Deals", "int")],
        [(Decimal("-1E+3"), Decimal("-1E+3"), -3), ("=1+1", Decimal("0.50"), 0)],
        "x/a.csv",
    )
    assert table_csv(t) == "note,revenue,deals\n'-1E+3,-1E+3,-3\n'=1+1,0.50,0\n"
