"""Column headers of the article and type pages say their period, influenced revenue says it
is not additive, and a type's influenced revenue counts each deal once (issue 12, "Tables a CFO
can read"; the home page's tables are tests/site/test_story_headers.py's).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from revstory.attribute.stage import Results
from revstory.pipeline import run
from revstory.site.assets import PACKAGED_TEMPLATES
from revstory.site.context import Page, Table
from revstory.site.pages import build_pages
from revstory.site.render import make_env, render_page
from revstory.site.settings import site_settings

SAMPLE = Path(__file__).parents[2] / "content"
DROP = Path(__file__).parents[1] / "fixtures" / "drops" / "minimal"


@pytest.fixture(scope="module")
def sample() -> dict[str, Page]:
    settings = site_settings({})
    results, _ = run([SAMPLE], settings.attribution())
    return {p.path: p for p in build_pages(results, settings, {})}


def _header_cells(page: Page, t: Table) -> tuple[list[str], list[str]]:
    """The rendered header row and first body row of ``t`` on ``page``."""
    text = render_page(make_env([PACKAGED_TEMPLATES], "en", "EUR"), page)
    block = text[text.index(f'id="{t.anchor}"') :]
    head = block[block.index("<thead>") : block.index("</thead>")]
    row = block[block.index("<tbody>") : block.index("</tr>", block.index("<tbody>"))]

    def cells(html: str, tag: str) -> list[str]:
        return re.findall(rf"<{tag}(?: [^>]*)?>(.*?)</{tag}>", html)

    return cells(head, "th"), cells(row, "td")


def test_influenced_revenue_says_it_is_not_additive(sample: dict[str, Page]) -> None:
    story = sample["index.md"].context.story  # type: ignore[attr-defined]
    note = "it is not additive across pieces."
    assert story.economics.caption.endswith(note) and story.gems.caption.endswith(note)
    article = sample["articles/how-to-fix-lead-scoring.md"].context  # type: ignore[attr-defined]
    assert article.engagement.caption == (
        "One row per quarter. Influenced revenue counts each won deal in full for every piece "
        "its buyers read: it is not additive across pieces."
    )


def test_article_headers_say_their_period(sample: dict[str, Page]) -> None:
    page = sample["articles/how-to-fix-lead-scoring.md"]
    head, _ = _header_cells(page, page.context.credit)  # type: ignore[attr-defined]
    assert head == ["Model", "Q2 2026", "Q3 2026", "Total to date"]
    head, _ = _header_cells(page, page.context.positions)  # type: ignore[attr-defined]
    assert head[1] == "Touches, to date"


def test_type_influenced_counts_each_deal_once(minimal_results: Results) -> None:
    """Pieces a and b (both articles) were read by D1's buyer: the article type influenced
    12,000 EUR in Q3 2026, not 24,000 (the sum of its pieces). (One deal: min_group_size 1
    shows it.)"""
    settings = site_settings({"min_group_size": 1})
    page = next(
        p for p in build_pages(minimal_results, settings, {}) if p.path == "types/article.md"
    )
    totals = page.context.totals  # type: ignore[attr-defined]
    assert [c.label for c in totals.columns][-1] == "Influenced revenue"
    assert totals.rows[0][-1] == 12000
    assert "not additive across types" in totals.caption
