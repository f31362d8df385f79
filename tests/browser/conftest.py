"""Browser-test fixtures: build the site once, serve it on 127.0.0.1, drive Debian's Chromium.

Every page runs in a context that aborts any request not aimed at 127.0.0.1 (or file://),
so the whole suite proves the site works offline; the ``Watch`` of each page records console
errors, uncaught exceptions, dialogs and every blocked or failed request.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
ARTIFACTS = TESTS / "artifacts"


@dataclass(frozen=True)
class SiteUnderTest:
    """The built site and the pages the tests visit (paths relative to its root)."""

    root: Path
    article: str
    article_title: str
    nav_target: str
    xss_page: str


@dataclass
class Watch:
    """What went wrong on one page, for assertions at the end of a test."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.blocked == [], f"requests left the machine: {self.blocked}"
        assert self.failed == [], f"requests failed: {self.failed}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.page_errors == [], f"uncaught exceptions: {self.page_errors}"
        assert self.dialogs == [], f"dialogs fired: {self.dialogs}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def _server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A server bound before the build: Material's instant navigation only follows links
    that match sitemap.xml, whose URLs keep site_url's path and port, so the site is built
    with site_url set to this server's address."""
    root = tmp_path_factory.mktemp("served") / "site"
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


XSS_ROW = {"content_id": "xss-probe", "url": "https://www.example.com/blog/xss-probe/",
           "title": "<script>alert(1)</script>", "content_type": "article"}


def _build_sample(project: Path, site: Path, site_url: str) -> SiteUnderTest:
    """The repository's sample drop plus one hostile title, built with ``revstory build``."""
    import csv
    import re

    from click.testing import CliRunner
    from revstory.cli import main

    shutil.copytree(REPO / "content", project / "content")
    quarters = sorted(p.name for p in (project / "content").iterdir() if p.is_dir())
    table = project / "content" / quarters[-1] / "content.csv"
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with table.open("a", newline="", encoding="utf-8") as fh:
        csv.DictWriter(fh, fieldnames=list(rows[0])).writerow(
            {k: XSS_ROW.get(k, "") for k in rows[0]})
    templates = (REPO / "site_templates").as_posix()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace("site_templates: site_templates", f"site_templates: {templates}")
    text = re.sub(r"(?m)^site_url:.*$", f"site_url: {site_url}", text)
    text = re.sub(r"(?m)^site_dir:.*$", f"site_dir: {site.as_posix()}", text)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    first = rows[0]
    return SiteUnderTest(
        root=site,
        article=f"articles/{first['content_id']}.html",
        article_title=first["title"],
        nav_target=f"quarters/{quarters[-1]}.html",
        xss_page=f"articles/{XSS_ROW['content_id']}.html",
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory,
               _server: tuple[Path, str]) -> SiteUnderTest:
    """The sample site built by ``revstory build``."""
    root, url = _server
    return _build_sample(tmp_path_factory.mktemp("project"), root, url)


@pytest.fixture(scope="session")
def base_url(built_site: SiteUnderTest, _server: tuple[Path, str]) -> str:
    return _server[1]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(reason + " — CI must run the browser tests (.ci/run installs it)")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("file", "data", "blob", "about") or parts.hostname == "127.0.0.1"


@pytest.fixture
def page_and_watch(browser: Any) -> Iterator[tuple[Any, Watch]]:
    watch = Watch()
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  service_workers="block")

    def guard(route: Any) -> None:
        if _local(route.request.url):
            route.continue_()
        else:  # recorded by the "request" listener below
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    # Requests the router may not see (workers, file:// pages) are still reported here.
    context.on("request", lambda r: None if _local(r.url) else watch.blocked.append(r.url))
    # ERR_ABORTED is a fetch cut short by leaving the page, not a failure of the site.
    context.on("requestfailed", lambda r: watch.failed.append(f"{r.url}: {r.failure}")
               if _local(r.url) and "ERR_ABORTED" not in (r.failure or "") else None)
    context.on("response", lambda r: watch.failed.append(f"{r.url}: HTTP {r.status}")
               if r.status >= 400 else None)
    page = context.new_page()
    page.on("console", lambda m: watch.console_errors.append(m.text)
            if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page, watch
    finally:
        context.close()
