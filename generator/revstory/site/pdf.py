"""A quarter's story page printed to PDF by headless Chromium.

The page's own print stylesheet (revstory.css) lays it out. Chromium is driven through
Playwright (the optional extra ``revstory[pdf]``) and is the system's own build (Debian:
``apt-get install chromium``), launched from ``executable_path``: nothing is downloaded.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from revstory.errors import BuildError

#: Debian's Chromium; REVSTORY_CHROMIUM points elsewhere.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
TIMEOUT_MS = 30_000
#: The board pack inside the site (setting board_pack): the home page links to it; each quarter
#: page links its own, ``quarters/board-pack-<quarter>.pdf`` beside the page.
BOARD_PACK = "board-pack.pdf"
# Every chart placeholder holds a drawn canvas (charts.js ran), or the page has none.
_CHARTS_DRAWN = """() => [...document.querySelectorAll('div.echart')].every(el =>
  window.echarts && echarts.getInstanceByDom(el) && el.querySelector('canvas, svg'))"""


def chromium_path() -> Path:
    """Find the Chromium binary (``REVSTORY_CHROMIUM`` or Debian's), or say how to install it."""
    path = Path(os.environ.get("REVSTORY_CHROMIUM", str(CHROMIUM)))
    if not path.is_file():
        raise BuildError(
            f"Chromium not found at {path} — install it (Debian/Ubuntu: "
            "apt-get install chromium) or set REVSTORY_CHROMIUM to its path"
        )
    return path


def page_for(site_dir: Path, quarter: str | None) -> Path:
    """Find the built page of ``quarter`` (its quarter page), or the home page (latest quarter)."""
    page = site_dir / ("index.html" if quarter is None else f"quarters/{quarter}.html")
    if not page.is_file():
        known = sorted(p.stem for p in (site_dir / "quarters").glob("*.html"))
        raise BuildError(
            f"no page for quarter {quarter!r} in {site_dir} — the site has: "
            + (", ".join(known) or "no quarter pages")
        )
    return page


def pack_name(quarter: str | None) -> str:
    """Name a board pack: the home page's (``None``) or a quarter's (``board-pack-2026-Q3.pdf``)."""
    return BOARD_PACK if quarter is None else f"board-pack-{quarter}.pdf"


def pack_href(page_path: str, quarter: str) -> str:
    """Link from a story page (``index.md`` or ``quarters/<q>.md``) to its board pack.

    The home page's pack is ``board-pack.pdf`` beside it; a quarter page's is its quarter's,
    beside it in ``quarters/``.
    """
    return pack_name(None if page_path == "index.md" else quarter)


def packs(site_dir: Path) -> list[tuple[Path, Path]]:
    """List every (page, PDF) the build prints: the home page, then each quarter page."""
    pairs = [(site_dir / "index.html", site_dir / BOARD_PACK)]
    for page in sorted((site_dir / "quarters").glob("*.html")):
        pairs.append((page, page.with_name(pack_name(page.stem))))
    return pairs


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (one ``/Type /Page`` object each)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def write_pdf(page: Path, out: Path) -> int:
    """Print ``page`` (a built HTML page) to ``out`` as A4; returns the number of pages."""
    return write_pdfs([(page, out)])[0]


def write_pdfs(pairs: Sequence[tuple[Path, Path]]) -> list[int]:
    """Print each (page, out) pair as :func:`write_pdf` does, in one browser session.

    Returns the number of pages of each PDF, in order.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError(
            "revstory pdf needs Playwright — install the extra: pip install 'revstory[pdf]'"
        ) from None
    executable = chromium_path()
    counts = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
            try:
                for page, out in pairs:
                    counts.append(_print(browser, page, out, PlaywrightError))
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BuildError(f"Chromium ({executable}) could not start: {_first_line(exc)}") from None
    return counts


def _first_line(exc: Exception) -> str:
    return (getattr(exc, "message", None) or str(exc)).splitlines()[0]


def _print(browser: Any, page: Path, out: Path, error: type[Exception]) -> int:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        tab = browser.new_page(viewport={"width": 1240, "height": 1754})
        try:
            tab.goto(page.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_MS)
            tab.wait_for_function(_CHARTS_DRAWN, timeout=TIMEOUT_MS)
            tab.emulate_media(media="print")
            tab.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
        finally:
            tab.close()
    except error as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"Chromium could not print {page}: {_first_line(exc)}") from None
    tmp.replace(out)  # never a half-written PDF under the chosen name
    return count_pages(out.read_bytes())
