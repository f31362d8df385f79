"""``min_group_size`` holds for every published aggregate, not only deal lists (issue 14).

The minimal drop has one-deal groups: one won new deal (D1, 12,000 EUR), one won renewal (D3,
2,700 EUR), one open expansion (D4, 8,000 EUR); each content type but article is read by one
closed deal. With the default ``min_group_size`` 3 none of those amounts or rates may reach a
table, its CSV or a chart; with 1 they all do.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from revstory.site.context import Table
from revstory.site.pages import build_pages
from revstory.site.render import table_csv
from revstory.site.settings import site_settings

DROP = Path(__file__).parents[1] / "fixtures" / "drops" / "minimal"


@pytest.fixture(scope="module")
def results(minimal_results):  # type: ignore[no-untyped-def]
    return minimal_results


def _pages(results, min_group_size: int) -> dict[str, object]:  # type: ignore[no-untyped-def]
    settings = site_settings({"min_group_size": min_group_size})
    return {p.path: p.context for p in build_pages(results, settings, {})}


def test_deal_types_hide_one_deal_groups(results) -> None:  # type: ignore[no-untyped-def]
    story = _pages(results, 3)["index.md"].story  # type: ignore[attr-defined]
    t: Table = story.deal_types
    assert table_csv(t).splitlines() == [
        "deal_type,won_deals,won_revenue,influenced_deals,influenced_revenue,"
        "influenced_share,influenced_pipeline",
        "expansion,0,0.00,0,0.00,,",
        "new,1,,1,,,0.00",
        "renewal,1,,0,,,0.00",
    ]
    assert t.caption == (
        "A dash marks a figure backed by fewer than 3 deals: it is hidden so that no deal can "
        "be singled out."
    )
    shown = _pages(results, 1)["index.md"].story.deal_types  # type: ignore[attr-defined]
    assert table_csv(shown).splitlines()[1:] == [
        "expansion,0,0.00,0,0.00,,8000.00",
        "new,1,12000.00,1,12000.00,1.000000,0.00",
        "renewal,1,2700.00,0,0.00,0.000000,0.00",
    ]
    assert shown.caption == ""


def test_comparisons_per_content_type_hide_small_sides(results) -> None:  # type: ignore[no-untyped-def]
    story = _pages(results, 3)["index.md"].story  # type: ignore[attr-defined]
    rows = {r[0]: r for r in story.comparisons.rows}
    # The overall row is the quarter's headline win rates (shown there too): kept.
    assert rows["All content"][3:6:2] == (0.5, 1.0)
    # ebook: 1 touched closed deal (D1), 2 others — both sides under 3: hidden.
    assert rows["ebook"][1:] == (1, 2, None, "–", None, "–", None, None)
    # Nor does the chart draw them.
    option = json.loads(html.unescape(story.comparisons_chart.option_json))
    assert [s["data"][1:] for s in option["series"]] == [[None] * 4, [None] * 4]
    shown = {r[0]: r for r in _pages(results, 1)["index.md"].story.comparisons.rows}  # type: ignore[attr-defined]
    assert shown["ebook"][3] == 1.0
