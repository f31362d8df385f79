"""The built site in a real browser (Debian's headless Chromium through Playwright).

Every test runs with the network cut off except 127.0.0.1 and ends with
``watch.assert_clean()``: no request left the machine or failed, no console error, no
uncaught exception, no dialog. Screenshots of home and an article land in tests/artifacts/.
"""

from __future__ import annotations

import html.parser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
# Fixture types live in conftest.py (SiteUnderTest, Watch); tests see them as Any.
SiteUnderTest = Watch = Any

TIMEOUT_MS = 15_000
XSS_TITLE = "<script>alert(1)</script>"

# Every placeholder holds a canvas or svg drawn by ECharts; visible ones have a real size
# (a chart in a hidden tab is drawn at zero width and resized when shown).
CHART = "div.echart[data-option-id], div.echart[data-option]"
CHARTS_DRAWN = """() => {
  const els = [...document.querySelectorAll('%s')];
  return els.length > 0 && els.every(el => {
    const r = el.querySelector('canvas, svg');
    if (!r || !window.echarts || !echarts.getInstanceByDom(el)) return false;
    if (el.getClientRects().length === 0) return true;
    const box = r.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  });
}""".replace("%s", CHART)
CHART_IDS = (
    f"() => [...document.querySelectorAll('{CHART}')]"
    + ".map(el => echarts.getInstanceByDom(el).id)"
)


def wait_for_charts(page: Any) -> int:
    page.wait_for_function(CHARTS_DRAWN, timeout=TIMEOUT_MS)
    count: int = page.locator(CHART).count()
    return count


def open_page(page: Any, url: str) -> None:
    page.goto(url, wait_until="load", timeout=TIMEOUT_MS)


def chart_pages(site: SiteUnderTest, limit: int = 25) -> list[str]:
    """Pages that hold charts, the article and the navigation target first."""
    found = sorted(
        p.relative_to(site.root).as_posix()
        for p in site.root.rglob("*.html")
        if 'class="echart"' in p.read_text(encoding="utf-8")
    )
    first = [site.nav_target, site.article]
    return (first + [p for p in found if p not in first])[:limit]


def test_home_and_article_load_without_errors(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    ARTIFACTS.mkdir(exist_ok=True)
    for rel, shot in (("index.html", "home.png"), (built_site.article, "article.png")):
        open_page(page, base_url + rel)
        wait_for_charts(page)
        page.wait_for_timeout(600)  # let the ECharts entry animation finish for the shot
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
    assert page.locator("h1").first.inner_text().strip() == built_site.article_title
    watch.assert_clean()


def one_per_folder(pages: list[str]) -> list[str]:
    """The first page of each folder (home, a quarter, an article): every kind of chart page."""
    seen: dict[str, str] = {}
    for rel in pages:
        seen.setdefault(rel.rpartition("/")[0], rel)
    return list(seen.values())


def test_each_kind_of_chart_page_holds_rendered_charts(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    """The default run's share of the sweep below: one page of each folder."""
    page, watch = page_and_watch
    pages = one_per_folder(chart_pages(built_site, limit=10_000))
    assert {rel.rpartition("/")[0] for rel in pages} == {"", "articles", "quarters"}
    for rel in pages:
        open_page(page, base_url + rel)
        assert wait_for_charts(page) >= 1, rel
    watch.assert_clean()


@pytest.mark.slow  # 25 pages; test_each_kind_of_chart_page_holds_rendered_charts runs by default
def test_every_chart_container_holds_a_rendered_chart(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    pages = chart_pages(built_site)
    for rel in pages:
        open_page(page, base_url + rel)
        assert wait_for_charts(page) >= 1, rel
    watch.assert_clean()


MARK_CONTENT = "() => { window.__oldContent = document.querySelector('div.md-content'); }"
CONTENT_SWAPPED = "() => document.querySelector('div.md-content') !== window.__oldContent"


def _charts_after_instant_navigation(page: Any, watch: Watch) -> None:
    """Wait for the new page's content (pushState changes the URL before the fetch, while
    the old charts are still shown), then for its charts."""
    try:
        page.wait_for_function(CONTENT_SWAPPED, timeout=TIMEOUT_MS)
        wait_for_charts(page)
        problem = ""
    except PlaywrightTimeout:
        problem = "charts not drawn after instant navigation"
    if any("Unexpected token" in e for e in watch.page_errors):
        problem = problem or "instant navigation threw"
        problem += (
            " — Material's instant navigation re-inserts every <script> of the content "
            'without its attributes, so a <script type="application/json"> option '
            "runs as JavaScript and breaks navigation; emit the option in the chart "
            "div's data-option attribute instead (see charts.js)"
        )
    assert not problem, f"{problem}; uncaught: {watch.page_errors}"


def test_instant_navigation_renders_the_next_pages_charts(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    open_page(page, base_url + "index.html")
    wait_for_charts(page)
    page.evaluate("() => { window.__sameDocument = true; }")
    page.evaluate(MARK_CONTENT)
    target = base_url + built_site.nav_target
    link = page.evaluate_handle(
        """(target) => [...document.querySelectorAll('a[href]')]
             .find(a => a.href === target && a.getClientRects().length > 0)""",
        target,
    ).as_element()
    assert link is not None, f"no visible link to {built_site.nav_target} on the home page"
    link.click()
    page.wait_for_url(target, timeout=TIMEOUT_MS)
    _charts_after_instant_navigation(page, watch)
    assert page.evaluate("() => window.__sameDocument === true"), (
        "the click reloaded the page: navigation.instant is off"
    )
    # Back again: the home page's charts are drawn anew, the previous page's disposed.
    page.evaluate(MARK_CONTENT)
    page.go_back()
    page.wait_for_url(base_url + "index.html", timeout=TIMEOUT_MS)
    _charts_after_instant_navigation(page, watch)
    watch.assert_clean()


def test_charts_follow_the_palette(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    open_page(page, base_url + built_site.article)
    wait_for_charts(page)
    before = page.evaluate(CHART_IDS)
    scheme = page.evaluate("() => document.body.getAttribute('data-md-color-scheme')")
    toggle = page.locator("form[data-md-component=palette] label:visible").first
    if toggle.count() == 0:
        pytest.skip("the site has no palette toggle")
    toggle.click()
    page.wait_for_function(
        "(s) => document.body.getAttribute('data-md-color-scheme') !== s",
        arg=scheme,
        timeout=TIMEOUT_MS,
    )
    page.wait_for_function(
        "([ids, q]) => { const now = (new Function('return ' + q))()(); "
        "return now.length === ids.length && now.every((id, i) => id !== ids[i]); }",
        arg=[before, CHART_IDS],
        timeout=TIMEOUT_MS,
    )
    wait_for_charts(page)
    watch.assert_clean()


def search(page: Any, query: str) -> Any:
    """Type ``query`` into the site's search; the locator of the result items."""
    button = page.locator("button.md-search__button")
    if button.count():  # Zensical: a search dialog in a shadow root (locators pierce it)
        button.click()
        page.locator("dialog[aria-label=Search] input").first.press_sequentially(query)
        return page.locator("dialog[aria-label=Search] li")
    box = page.locator("input.md-search__input")
    if not box.is_visible():  # narrow screens: the search box hides behind a header button
        page.locator("label.md-header__button[for=__search]").click()
    box.click()
    box.press_sequentially(query)  # Material searches on key events, not on fill()
    return page.locator(".md-search-result__item")


def test_search_finds_an_article_by_title(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    open_page(page, base_url + "index.html")
    results = search(page, built_site.article_title)
    hit = results.filter(has_text=built_site.article_title).first
    hit.wait_for(timeout=TIMEOUT_MS)
    href = hit.locator("a").first.get_attribute("href") or ""
    assert href.split("#")[0].split("?")[0].endswith(built_site.article)
    watch.assert_clean()


def test_a_script_tag_in_a_title_renders_as_text(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    open_page(page, base_url + built_site.xss_page)
    assert page.locator("h1").first.inner_text().strip() == XSS_TITLE
    assert XSS_TITLE in page.title()
    page.wait_for_timeout(300)
    watch.assert_clean()  # includes: no dialog fired


def test_search_finds_a_hostile_title_and_shows_it_as_text(
    built_site: SiteUnderTest, base_url: str, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    open_page(page, base_url + "index.html")
    results = search(page, "alert")
    hit = results.filter(has_text=XSS_TITLE).first
    try:
        hit.wait_for(timeout=TIMEOUT_MS)
    except PlaywrightTimeout:
        raise AssertionError(
            "search for 'alert' did not find the title <script>alert(1)</script>: the search "
            "index splits words at spaces and hyphens only; set Material's recommended "
            "plugins: - search: separator: '[\\s\\-,:!=\\[\\]()\"/]+|(?!\\b)(?=[A-Z][a-z])|"
            "\\.(?!\\d)|&[lg]t;' in mkdocs.yml (also finds titles with punctuation)"
        ) from None
    page.wait_for_timeout(300)
    watch.assert_clean()  # includes: no dialog fired


def test_the_site_works_from_file_urls(
    built_site: SiteUnderTest, page_and_watch: tuple[Any, Watch]
) -> None:
    page, watch = page_and_watch
    home = (built_site.root / "index.html").as_uri()
    open_page(page, home)
    wait_for_charts(page)
    open_page(page, (built_site.root / built_site.article).as_uri())
    wait_for_charts(page)
    # Search from file:// needs the vendored iframe-worker shim and the inlined index.
    results = search(page, built_site.article_title)
    results.filter(has_text=built_site.article_title).first.wait_for(timeout=TIMEOUT_MS)
    watch.assert_clean()


class _ResourceRefs(html.parser.HTMLParser):
    """Collects the URLs a page loads by itself (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "video", "audio") and a.get("src"):
            self.urls.append(a["src"] or "")
        if tag == "link" and a.get("rel") not in (None, "canonical", "alternate", "sitemap"):
            self.urls.append(a.get("href") or "")


def test_no_page_loads_anything_from_another_host(built_site: SiteUnderTest) -> None:
    external = []
    for path in sorted(built_site.root.rglob("*.html")):
        refs = _ResourceRefs()
        refs.feed(path.read_text(encoding="utf-8"))
        external += [
            f"{path.relative_to(built_site.root)}: {u}"
            for u in refs.urls
            if u.startswith(("http:", "https:", "//"))
        ]
    assert external == []
    shim = built_site.root / "assets" / "javascripts" / "iframe-worker-shim.js"
    assert shim.is_file() and Path(shim.with_name("echarts.min.js")).is_file()
