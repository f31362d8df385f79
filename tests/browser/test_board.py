"""Done-when checks of the board-ready story, in a real browser (Debian's headless Chromium).

- At 1440 × 900 the home page shows the title line, the five cards and the explaining
  sentence without scrolling, in en (default run), fr and pl (slow: one build each).
- The board pack PDF (slow) has two pages before the appendix — page 1 the first screen with
  every headline figure, page 2 from "Deals content helped close", the appendix heading first
  on page 3 — and a running header and page number on every page.
Screenshots (the home page's first screen, fr and pl, and the PDF's first page) go to
tests/artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import concurrent.futures
import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
ARTIFACTS = TESTS / "artifacts"
TIMEOUT_MS = 15_000
SiteUnderTest = Any

CHARTS_DRAWN = """() => [...document.querySelectorAll('div.echart')].every(el =>
  window.echarts && echarts.getInstanceByDom(el) && el.querySelector('canvas, svg'))"""

ABOVE_FOLD = """() => {
  const bottom = sel => Math.max(...[...document.querySelectorAll(sel)]
    .map(e => e.getBoundingClientRect().bottom));
  return {title: bottom('.md-content h1'), line: bottom('.rs-titleline'),
          cards: document.querySelectorAll('.rs-card').length, cardsBottom: bottom('.rs-card'),
          sentence: bottom('.rs-explain'), bullets: bottom('.rs-bullets'),
          height: window.innerHeight};
}"""


def _build(project: Path, locale: str) -> Path:
    from click.testing import CliRunner
    from revstory.cli import main

    shutil.copytree(REPO / "content", project / "content")
    templates = (REPO / "site_templates").as_posix()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace("site_templates: site_templates", f"site_templates: {templates}")
    text, n = re.subn(r"(?m)^(\s+)locale: en$", rf"\1locale: {locale}", text)
    assert n == 1, "mkdocs.yml has no 'locale: en' line to change"
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    return project / "site"


@pytest.fixture
def tab(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, service_workers="block")
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def _open(page: Any, url: str) -> None:
    page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)


def _assert_first_screen(page: Any, where: str) -> dict[str, float]:
    m: dict[str, float] = page.evaluate(ABOVE_FOLD)
    assert m["cards"] == 5, (where, m)
    for part in ("title", "line", "cardsBottom", "sentence"):
        assert 0 < m[part] <= m["height"], f"{where}: {part} ends at {m[part]} px, below the fold"
    return m


def test_first_screen_above_the_fold_in_english(
    built_site: SiteUnderTest, base_url: str, tab: Any
) -> None:
    _open(tab, base_url + "index.html")
    m = _assert_first_screen(tab, "en")
    assert m["bullets"] <= m["height"], m
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / "home-1440-first-screen.png"))


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["fr", "pl"])
def test_first_screen_above_the_fold_in_french_and_polish(
    tmp_path_factory: pytest.TempPathFactory, tab: Any, locale: str
) -> None:
    site = _build(tmp_path_factory.mktemp(f"board-{locale}"), locale)
    _open(tab, (site / "index.html").as_uri())
    _assert_first_screen(tab, locale)
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"home-1440-{locale}.png"))


@pytest.mark.slow
def test_board_pack_pdf(built_site: SiteUnderTest, base_url: str, tab: Any, tmp_path: Path) -> None:
    import pypdf
    import pypdfium2
    from revstory.site.pdf import page_for, write_pdf

    _open(tab, base_url + "index.html")
    values = [v.strip() for v in tab.locator(".rs-card__value").all_inner_texts()]
    explain = " ".join(tab.locator(".rs-explain").inner_text().split())
    appendix = tab.locator("h2.rs-appendix").first.inner_text().strip()
    page2 = tab.locator("h2.rs-page2").first.inner_text().strip()
    title = tab.locator(".md-content h1").first.inner_text().strip()
    out = tmp_path / "board-pack.pdf"
    # Playwright's sync API runs one session per thread: the test's browser holds this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pages = pool.submit(write_pdf, page_for(built_site.root, None), out).result()
    reader = pypdf.PdfReader(out)
    assert pages == len(reader.pages) >= 3
    text = [" ".join(p.extract_text().split()) for p in reader.pages]
    # Page 1: the first screen, every headline figure and the sentence that explains them.
    assert len(values) == 5 and all(v in text[0] for v in values), (values, text[0][:400])
    assert explain[:60] in text[0]
    # Page 2 starts with the anecdotes; the appendix heading first appears on page 3.
    assert page2 not in text[0] and page2 in text[1]
    assert appendix not in text[0] + text[1] and appendix in text[2]
    # Running header (report title with the quarter) and page numbers on every page.
    for i, page_text in enumerate(text, start=1):
        assert title in page_text and f"{i} / {pages}" in page_text, i
    ARTIFACTS.mkdir(exist_ok=True)
    bitmap = pypdfium2.PdfDocument(out)[0].render(scale=1.5, rev_byteorder=True)
    _write_png(ARTIFACTS / "pdf-page-1.png", bitmap.to_numpy()[:, :, :3].copy())


def _write_png(path: Path, rgb: Any) -> None:
    """A PNG from an (h, w, 3) uint8 array, without an imaging library."""
    h, w, _ = rgb.shape
    raw = b"".join(b"\x00" + rgb[y].tobytes() for y in range(h))

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )


@pytest.mark.slow
def test_build_writes_the_board_pack_into_the_site(
    browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pypdf
    from revstory.scaffold import init_report
    from revstory.site.publish import build_site

    monkeypatch.delenv("REVSTORY_CHROMIUM", raising=False)
    init_report(tmp_path)
    shutil.rmtree(tmp_path / "content")
    shutil.copytree(TESTS / "fixtures" / "drops" / "minimal", tmp_path / "content")
    config = tmp_path / "mkdocs.yml"
    text, n = re.subn(
        r"(?m)^(\s+)# board_pack: false.*$", r"\1board_pack: true", config.read_text("utf-8")
    )
    assert n == 1
    config.write_text(text, encoding="utf-8")
    # Playwright's sync API runs one session per thread: the test's browser holds this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(build_site, config).result()
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="board-pack.pdf"' in home
    reader = pypdf.PdfReader(tmp_path / "site" / "board-pack.pdf")
    first = " ".join(reader.pages[0].extract_text().split())
    # The minimal drop's won revenue and the sentence of its first quarter.
    assert "€14,700" in first and "In Q3 2026 we won €14,700 across 2 deals" in first
    # The quarter page offers its own quarter's pack, printed from that page (its running
    # header is the quarter page's title, not the home page's).
    quarter = (tmp_path / "site" / "quarters" / "2026-Q3.html").read_text(encoding="utf-8")
    assert 'href="board-pack-2026-Q3.pdf"' in quarter and 'href="board-pack.pdf"' not in quarter
    own = pypdf.PdfReader(tmp_path / "site" / "quarters" / "board-pack-2026-Q3.pdf")
    texts = [" ".join(p.extract_text().split()) for p in own.pages]
    assert "In Q3 2026 we won €14,700 across 2 deals" in texts[0]
    assert all(f"{i} / {len(texts)}" in t for i, t in enumerate(texts, start=1))
    assert "The story of marketing value" in first
    assert not any("The story of marketing value" in t for t in texts)
    assert sorted(p.name for p in (tmp_path / "site").rglob("*.pdf")) == [
        "board-pack-2026-Q3.pdf",
        "board-pack.pdf",
    ]
