"""Column headers of the story's tables say their period and ratios say their unit."""

from __future__ import annotations

import csv
import html
import re
import shutil
from pathlib import Path

import pytest
from revstory.site import publish
from revstory.site.settings import site_settings

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"


def _headers(page: str, table: str) -> list[str]:
    block = page[page.index(f'id="table-{table}"') :]
    head = block[: block.index("</thead>")]
    return [html.unescape(h) for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', head)]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            [
                "Piece",
                "Type",
                "Production cost",
                "Influenced revenue, to date",
                "Influenced revenue per €1 of cost, to date",
                "Attributed revenue per €1 of cost, to date",
                "Published",
                "First won deal",
                "Days from publication to first won deal",
            ],
        ),
        (
            "fr",
            [
                "Contenu",
                "Type",
                "Coût de production",
                "CA influencé, cumulé à ce jour",
                "CA influencé pour 1\xa0€ de coût, cumulé à ce jour",
                "CA attribué pour 1\xa0€ de coût, cumulé à ce jour",
            ],
        ),
    ],
)
def test_economics_headers_say_to_date_and_per_unit_of_cost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str, expected: list[str]
) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    table = tmp_path / "content" / "2026-Q3" / "content.csv"
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with table.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], "cost"])
        w.writeheader()
        w.writerows({**r, "cost": "500"} for r in rows)
    monkeypatch.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    # min_group_size 1: the drop's one won deal would otherwise withhold (and leave out) the
    # influenced columns.
    settings = site_settings(
        {"data_dir": "content", "write_snapshots": False, "locale": locale, "min_group_size": 1}
    )
    publish.render_docs(settings, tmp_path, tmp_path / "docs")
    page = (tmp_path / "docs" / "index.md").read_text(encoding="utf-8")
    assert _headers(page, "index-economics")[: len(expected)] == expected
