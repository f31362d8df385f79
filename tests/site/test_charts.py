"""Charts that support a decision: one unit, locale labels, safe colours, no false trends."""

from __future__ import annotations

import json

import pytest
from revstory.site.charts import (
    BACKGROUNDS,
    PALETTES,
    RangeRow,
    RangeText,
    bar_chart,
    line_chart,
    nice_ticks,
    range_chart,
    sparkline,
)
from revstory.site.fmt import Formatter


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    n = int(hex_colour[1:], 16)
    r, g, b = (n >> 16) & 255, (n >> 8) & 255, n & 255
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_mark_colour_has_3_to_1_contrast_with_the_page(scheme: str) -> None:
    ratios = {c: round(contrast(c, BACKGROUNDS[scheme]), 2) for c in PALETTES[scheme]}
    assert all(r >= 3.0 for r in ratios.values()), ratios


def test_wcag_contrast_of_known_pairs() -> None:
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("locale", "currency", "labels"),
    [
        ("en", "EUR", {"0": "€0", "2000000": "€2M", "4000000": "€4M", "6000000": "€6M"}),
        (
            "fr",
            "EUR",
            {
                "0": "0\xa0€",
                "2000000": "2\xa0M\xa0€",
                "4000000": "4\xa0M\xa0€",
                "6000000": "6\xa0M\xa0€",
            },
        ),
        (
            "pl",
            "PLN",
            {
                "0": "0\xa0zł",
                "2000000": "2\xa0mln\xa0zł",
                "4000000": "4\xa0mln\xa0zł",
                "6000000": "6\xa0mln\xa0zł",
            },
        ),
    ],
)
def test_axis_ticks_and_tooltips_are_formatted_like_the_tables(
    locale: str, currency: str, labels: dict[str, str]
) -> None:
    f = Formatter(locale, currency)
    c = bar_chart(
        "won",
        f,
        ["Q2", "Q3"],
        {"Won": [5_380_000, 4_129_871]},
        "money",
        name="Won revenue",
        horizontal=False,
    )
    option = json.loads(c.option_json)
    assert option["revstory"]["ticks"] == labels
    assert option["yAxis"]["min"] == 0 and option["yAxis"]["interval"] == 2_000_000
    colon = {"fr": "\xa0:"}.get(locale, ":")  # French sets a no-break space before a colon
    assert option["revstory"]["tips"][1] == ["Q3", f"Won{colon} {f.money(4_129_871)}"]
    assert option["revstory"]["labels"] == [
        [f.compact_money(5_380_000), f.compact_money(4_129_871)]
    ]
    assert (
        f.compact_money(4_129_871)
        == {"en": "€4.1M", "fr": "4,1\xa0M\xa0€", "pl": "4,1\xa0mln\xa0zł"}[locale]
    )


def test_percent_axis_uses_the_locale_spacing() -> None:
    fr = json.loads(
        bar_chart(
            "w", Formatter("fr", "EUR"), ["a"], {"x": [51.4], "y": [20.8]}, "percent", name="w"
        ).option_json
    )
    assert fr["revstory"]["ticks"]["60"] == "60\xa0%"
    assert fr["revstory"]["tips"][0] == ["a", "x\xa0: 51,4\xa0%", "y\xa0: 20,8\xa0%"]
    pl = json.loads(
        bar_chart(
            "w", Formatter("pl", "PLN"), ["a"], {"x": [51.4]}, "percent", name="w"
        ).option_json
    )
    assert pl["revstory"]["tips"][0] == ["a", "x: 51,4%"]


def test_one_value_axis_no_paged_legend_and_an_aria_description() -> None:
    c = bar_chart(
        "w",
        Formatter("en", "EUR"),
        ["a", "b"],
        {"x": [1, 2], "y": [3, None]},
        "count",
        name="Views",
        description="Two series.",
    )
    option = json.loads(c.option_json)
    assert isinstance(option["xAxis"], dict) and option["xAxis"]["type"] == "value"
    assert option["legend"] == {"show": False}
    assert option["aria"] == {"enabled": True, "label": {"description": "Views. Two series."}}
    assert option["series"][1]["data"] == [3, None]  # unknown stays unknown, not zero
    # The second series is hatched, so it is told apart without colour.
    assert "decal" not in option["series"][0].get("itemStyle", {})
    assert option["series"][1]["itemStyle"]["decal"]["rotation"] == 0.785
    markup = str(c.markup())
    assert "rs-mark--solid" in markup and "rs-mark--hatch" in markup


def test_no_trend_before_two_quarters() -> None:
    with pytest.raises(ValueError, match="a trend needs two quarters or more"):
        line_chart("t", Formatter("en", "EUR"), ["Q3 2026"], {"x": [1]}, "money", name="t")
    assert str(sparkline([5.0])) == "" and str(sparkline([None, 3.0])) == ""
    assert "<polyline" in str(sparkline([1.0, 2.0]))


def test_range_chart_carries_band_interval_and_default() -> None:
    f = Formatter("en", "EUR")
    c = range_chart(
        "models",
        f,
        [RangeRow("ebook", 10.0, 300.0, 80.0, (20.0, 120.0))],
        RangeText("Range", "90 % interval", "Default"),
        name="Models",
        table_link=("Numbers", "#table-models"),
    )
    option = json.loads(c.option_json)
    assert option["series"][0]["renderItem"] == "rs-range"
    assert option["series"][0]["data"] == [[0, 10, 300, 20, 120, 80]]
    assert option["revstory"]["tips"][0] == [
        "ebook",
        "Default: €80",
        "Range: €10 – €300",
        "90 % interval: €20 – €120",
    ]
    assert 'href="#table-models"' in str(c.markup())


@pytest.mark.parametrize(
    ("high", "ticks"),
    [
        (4_129_871, [0, 2_000_000, 4_000_000, 6_000_000]),
        (3_900_000, [0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]),
        (51.4, [0, 20, 40, 60]),
        (0.0, [0, 0.25, 0.5, 0.75, 1]),
    ],
)
def test_nice_ticks(high: float, ticks: list[float]) -> None:
    assert nice_ticks(high) == ticks
