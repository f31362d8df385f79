"""revstory pdf without a browser: clear messages when Playwright or Chromium is missing."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.errors import BuildError
from revstory.site import pdf


def test_missing_chromium_names_the_install_step(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("REVSTORY_CHROMIUM", str(tmp_path / "no-chromium"))
    result = CliRunner().invoke(main, ["pdf", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: Chromium not found at {tmp_path / 'no-chromium'} — install it (Debian/Ubuntu: "
        "apt-get install chromium) or set REVSTORY_CHROMIUM to its path\n"
    )


def test_missing_playwright_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    page = tmp_path / "index.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        pdf.write_pdf(page, tmp_path / "out.pdf")
    assert str(err.value) == (
        "revstory pdf needs Playwright — install the extra: pip install 'revstory[pdf]'"
    )
    assert not (tmp_path / "out.pdf").exists()


def test_unknown_quarter_lists_the_pages(tmp_path: Path) -> None:
    (tmp_path / "quarters").mkdir()
    (tmp_path / "quarters" / "2026-Q2.html").write_text("", encoding="utf-8")
    (tmp_path / "quarters" / "2026-Q3.html").write_text("", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        pdf.page_for(tmp_path, "2025-Q1")
    assert str(err.value) == (
        f"no page for quarter '2025-Q1' in {tmp_path} — the site has: 2026-Q2, 2026-Q3"
    )
    assert pdf.page_for(tmp_path, "2026-Q3") == tmp_path / "quarters" / "2026-Q3.html"


def test_count_pages_reads_page_objects_not_the_page_tree() -> None:
    body = (
        b"1 0 obj <</Type /Pages /Kids [2 0 R 3 0 R]>> 2 0 obj <</Type /Page>> "
        b"3 0 obj <</Type/Page/Parent 1 0 R>>"
    )
    assert pdf.count_pages(body) == 2


def test_packs_are_the_home_page_and_each_quarter_page(tmp_path: Path) -> None:
    (tmp_path / "quarters").mkdir()
    for name in ("index.html", "quarters/2026-Q3.html", "quarters/2026-Q2.html"):
        (tmp_path / name).write_text("", encoding="utf-8")
    (tmp_path / "quarters" / "2026-Q3-summary.csv").write_text("", encoding="utf-8")
    assert pdf.packs(tmp_path) == [
        (tmp_path / "index.html", tmp_path / "board-pack.pdf"),
        (tmp_path / "quarters" / "2026-Q2.html", tmp_path / "quarters" / "board-pack-2026-Q2.pdf"),
        (tmp_path / "quarters" / "2026-Q3.html", tmp_path / "quarters" / "board-pack-2026-Q3.pdf"),
    ]
    # Each story page links its own pack, beside it.
    assert pdf.pack_href("index.md", "2026-Q3") == "board-pack.pdf"
    assert pdf.pack_href("quarters/2026-Q2.md", "2026-Q2") == "board-pack-2026-Q2.pdf"
