"""Browser-test fixtures: the shared sample site (served on 127.0.0.1), Debian's Chromium.

Every page runs in a context that aborts any request not aimed at 127.0.0.1 (or file://),
so the whole suite proves the site works offline; the ``Watch`` of each page records console
errors, uncaught exceptions, dialogs and every blocked or failed request.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from revstory.site.generators import GENERATORS, available

if TYPE_CHECKING:
    from conftest import SampleSite

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


#: The default run drives the MkDocs site only (the session's shared sample); the successors'
#: sites are built only when slow tests run (scripts/test.sh runs them, with the extras).
GENERATOR_PARAMS = [
    "mkdocs",
    *(pytest.param(name, marks=pytest.mark.slow) for name in GENERATORS if name != "mkdocs"),
]


@pytest.fixture(scope="session", params=GENERATOR_PARAMS)
def built_site(request: pytest.FixtureRequest) -> Iterator[SampleSite]:
    """The sample site as each installed site generator builds it: MkDocs' is the shared
    sample (tests/conftest.py); ProperDocs' and Zensical's are built here, once each."""
    name = str(request.param)
    if name == "mkdocs":
        yield request.getfixturevalue("sample_site")
        return
    if not available(name):
        pytest.skip(f"site generator {name} is not installed (pip install 'revstory[{name}]')")
    factory: pytest.TempPathFactory = request.getfixturevalue("tmp_path_factory")
    serve = request.getfixturevalue("serve_sample")
    with serve(factory.mktemp(f"sample-{name}"), name) as site:
        yield site


@pytest.fixture(scope="session")
def base_url(built_site: SampleSite) -> str:
    return built_site.url


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
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")

    def guard(route: Any) -> None:
        if _local(route.request.url):
            route.continue_()
        else:  # recorded by the "request" listener below
            route.abort("internetdisconnected")

    context.route("**/*", guard)
    # Requests the router may not see (workers, file:// pages) are still reported here.
    context.on("request", lambda r: None if _local(r.url) else watch.blocked.append(r.url))
    # ERR_ABORTED is a fetch cut short by leaving the page, not a failure of the site.
    context.on(
        "requestfailed",
        lambda r: (
            watch.failed.append(f"{r.url}: {r.failure}")
            if _local(r.url) and "ERR_ABORTED" not in (r.failure or "")
            else None
        ),
    )
    context.on(
        "response",
        lambda r: watch.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None,
    )
    page = context.new_page()
    page.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: watch.page_errors.append(str(e)))

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    try:
        yield page, watch
    finally:
        context.close()
