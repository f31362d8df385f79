"""Search results show readable titles and prose, not table cells run together (issue 12).

Material's search indexes each section's text; a table's cells came out as one run of words
and numbers ("Figure Value Change vs Q2 2026 Won revenue €4,129,871 −23% …") and every table
left a "Download this table as CSV" result. The plugin marks every table and CSV link
``data-search-exclude``; the prose stays searchable.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from revstory.site.plugin import search_excluded

if TYPE_CHECKING:
    from conftest import SampleSite

#: The elements Material keeps in a result's text (material/plugins/search/plugin.py).
PROSE = re.compile(r"^<(p|ul|ol|li|pre|code)>")


def _docs(site: SampleSite) -> list[dict[str, str]]:
    index = json.loads((site.root / "search" / "search_index.json").read_text("utf-8"))
    return index["docs"]


def test_index_holds_prose_not_table_cells(sample_site: SampleSite) -> None:
    docs = _docs(sample_site)
    raw = [d["location"] for d in docs if d["text"] and not PROSE.match(d["text"])]
    assert raw == []
    assert not [d["location"] for d in docs if "as CSV" in d["text"] or "<table" in d["text"]]
    # No figure of a table either: the headline table's first row and the deal-types header.
    text = " ".join(d["text"] for d in docs)
    assert "Figure Value" not in text and "Won deals touched" not in text


def test_results_read_as_sentences(sample_site: SampleSite) -> None:
    docs = {d["location"]: d for d in _docs(sample_site)}
    quality = docs["data-quality.html"]
    assert quality["title"] == "Data quality"
    assert quality["text"].startswith("<ul> <li>600 of 600 deal rows loaded (100.0%).</li>")
    deals = docs["index.html#deals-content-helped-close"]["text"]
    assert "days before signing" in deals and "reader 1" not in deals
    # Article pages are found by their title.
    assert docs[sample_site.article]["title"] == sample_site.article_title


def test_marks_every_table_and_csv_link_once() -> None:
    html = (
        '<table><tr><td>1</td></tr></table><div class="rs-table" data-search-exclude>'
        '<table data-search-exclude></table></div><p><a href="index-top.csv">Download</a> '
        '<a href="articles/a.html">a</a></p>'
    )
    assert search_excluded(html) == (
        '<table data-search-exclude><tr><td>1</td></tr></table><div class="rs-table" '
        "data-search-exclude><table data-search-exclude></table></div><p><a "
        'data-search-exclude href="index-top.csv">Download</a> <a href="articles/a.html">a</a>'
        "</p>"
    )


def test_nested_divs_stay_excluded() -> None:
    """Material compares elements by tag only, so an excluded <div> ends at the first nested
    </div>: from the first nested div on, every element inside carries the mark too, and the
    cards' figures stay out."""
    html = (
        '<div class="rs-first" data-search-exclude><p><span>Q3 2026</span></p><div '
        'class="rs-card"><div>Won revenue</div><span>€4,129,871</span><svg><polyline '
        'points="2,3"/></svg></div><br></div><p>Prose <em>stays</em>.</p>'
    )
    assert search_excluded(html) == (
        '<div class="rs-first" data-search-exclude><p><span>Q3 2026</span></p><div '
        'data-search-exclude class="rs-card"><div data-search-exclude>Won revenue</div><span '
        "data-search-exclude>€4,129,871</span><svg data-search-exclude><polyline "
        'data-search-exclude points="2,3"/></svg></div><br data-search-exclude></div><p>Prose '
        "<em>stays</em>.</p>"
    )
