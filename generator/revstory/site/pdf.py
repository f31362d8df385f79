"""A quarter's story page printed to PDF by headless Chromium.

The page's own print stylesheet (revstory.css) lays it out. Chromium is driven through
Playwright (the optional extra ``revstory[pdf]``) and is the system's own build (Debian:
``apt-get install chromium``), launched from ``executable_path``: nothing is downloaded.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

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
#: The board pack inside the site (setting board_pack): the home page links to it.
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


def count_pages(pdf: bytes) -> int:
    """Pages of a PDF Chromium wrote (one ``/Type /Page`` object each)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def write_pdf(page: Path, out: Path) -> int:
    """Print ``page`` (a built HTML page) to ``out`` as A4; returns the number of pages."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BuildError(
            "revstory pdf needs Playwright — install the extra: pip install 'revstory[pdf]'"
        ) from None
    executable = chromium_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(executable), args=list(CHROMIUM_ARGS))
            try:
                tab = browser.new_page(viewport={"width": 1240, "height": 1754})
                tab.goto(page.resolve().as_uri(), wait_until="load", timeout=TIMEOUT_MS)
                tab.wait_for_function(_CHARTS_DRAWN, timeout=TIMEOUT_MS)
                tab.emulate_media(media="print")
                tab.pdf(path=str(tmp), prefer_css_page_size=True, print_background=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(
            f"Chromium could not print {page}: {exc.message.splitlines()[0]}"
        ) from None
    tmp.replace(out)  # never a half-written PDF under the chosen name
    return count_pages(out.read_bytes())
