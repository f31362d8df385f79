"""Shared fixtures; paths are relative to this file, never the working directory."""

from __future__ import annotations

import csv
import functools
import http.server
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from revstory.load.adapters.base import AdapterOutput, ReadContext
from revstory.load.options import LoadOptions
from revstory.load.sniff import sniff

TESTS = Path(__file__).parent
REPO = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/ from the current output (read "
        "tests/golden/README.md first; say why in the commit).",
    )


#: Tests of the slow set (CI runs ``pytest -m slow`` after the default run), marked here rather
#: than beside each test so the default run's budget (90 s for the README's test command on
#: 2 cores) is kept in one place. Each entry names the test (or one parametrisation) and the
#: faster default-run test that still covers its behaviour. Keys are node ids without the
#: parameters, or with them (``name[param]``) to move only some of a parametrised test.
MOVED_TO_SLOW: dict[str, str] = {
    # Browser tests beyond the smoke test of the first screen (test_board.py, English: the
    # home page loads in Chromium with its charts drawn and the first screen above the fold).
    "tests/browser/test_site.py::test_home_and_article_load_without_errors": "browser smoke",
    "tests/browser/test_site.py::test_each_kind_of_chart_page_holds_rendered_charts": (
        "browser smoke (home charts); tests/site/test_charts.py (every chart's option)"
    ),
    "tests/browser/test_site.py::test_instant_navigation_renders_the_next_pages_charts": (
        "browser smoke"
    ),
    "tests/browser/test_site.py::test_charts_follow_the_palette": "tests/site/test_charts.py",
    "tests/browser/test_site.py::test_search_finds_an_article_by_title": (
        "tests/site/test_search.py (the search index)"
    ),
    "tests/browser/test_site.py::test_a_script_tag_in_a_title_renders_as_text": (
        "tests/site/test_build.py::test_xss_title_is_text"
    ),
    "tests/browser/test_site.py::test_search_finds_a_hostile_title_and_shows_it_as_text": (
        "tests/site/test_search.py, tests/site/test_build.py::test_xss_title_is_text"
    ),
    "tests/browser/test_site.py::test_the_site_works_from_file_urls": (
        "tests/browser/test_site.py::test_no_page_loads_anything_from_another_host"
    ),
    "tests/browser/test_charts_browser.py::test_chart_labels_never_overlap": (
        "tests/site/test_charts.py (label options)"
    ),
    "tests/hostile/test_story_browser.py::test_no_dialog_on_hover_or_click": (
        "tests/hostile/test_story_injection.py (the note's HTML holds no handler or script)"
    ),
    # Full sample rebuild: the golden test compares every result file and page of the minimal
    # drop byte for byte, so a build that is not deterministic fails there first.
    "tests/site/test_build.py::test_rebuild_is_byte_identical": "tests/golden/test_golden.py",
    # Parametrised end-to-end runs: one or two parameters stay in the default run.
    **{
        f"tests/validate/test_export_quirks.py::test_a_placeholder_id_is_no_one[{p}]": (
            "the same test with NULL and 000000000000000AAA"
        )
        for p in ("None", "#N/A", "-", "N/A", "null")
    },
    **{
        f"tests/hostile/test_touch_files.py::test_touch_file_layouts_give_the_plain_csv_figures"
        f"[{p}]": "the same test with utf-16 with BOM and parquet"
        for p in ("semicolon", "tab", "comment line first", "crlf")
    },
    **{
        f"tests/hostile/test_touch_files.py::test_wrong_rows_are_named_by_row[{p}]": (
            "the same test with a comma"
        )
        for p in (";", "\\t")
    },
    **{
        f"tests/hostile/test_validate_values.py::test_amounts_out_of_range_are_errors[{p}]": (
            "the same test with NaN and 1e20"
        )
        for p in ("inf", "Infinity", "1e309", "100000000000000")
    },
    **{
        "tests/hostile/test_validate_values.py::test_infinite_and_sentinel_dates_are_errors"
        f"[{p}]": "the same test with infinity"
        for p in ("9999-12-31", "1900-01-01")
    },
    **{
        f"tests/hostile/test_quarter_folders.py::test_validate_and_build_agree[{p}]": (
            "the same test with an empty 2026-Q4"
        )
        for p in ("2026q3", "symlinked 2026-Q3")
    },
    **{
        f"tests/site/test_data_quality.py::test_page_opens_with_the_verdict[{p}]": (
            "the same test in English; tests/site/test_i18n.py (catalogs complete)"
        )
        for p in ("fr-expected1", "pl-expected2")
    },
    **{
        f"tests/story/test_anecdotes.py::test_told_by_role_never_by_number[{p}]": (
            "the same test in English; tests/site/test_i18n.py (catalogs complete)"
        )
        for p in ("fr-expected1", "pl-expected2")
    },
    "tests/site/test_story_headers.py::test_economics_headers_say_to_date_and_per_unit_of_cost"
    "[fr-expected1]": "the same test in English; tests/site/test_i18n.py (catalogs complete)",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the tests of :data:`MOVED_TO_SLOW` slow, before ``-m`` selects.

    A whole run (no paths given) refuses an entry that names no test, so a renamed test
    cannot silently come back into the default run.
    """
    found: set[str] = set()
    for item in items:
        for key in (item.nodeid, item.nodeid.split("[")[0]):
            if key in MOVED_TO_SLOW:
                item.add_marker(pytest.mark.slow)
                found.add(key)
    if config.args_source == pytest.Config.ArgsSource.TESTPATHS and (
        stale := sorted(set(MOVED_TO_SLOW) - found)
    ):
        raise pytest.UsageError(f"tests/conftest.py MOVED_TO_SLOW names no test: {stale}")


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return TESTS / "fixtures"


EXPORTS = TESTS / "fixtures" / "exports"
NATIVE = EXPORTS / "native"  # a small native drop the exports are mixed into


def read_export(adapter, path: Path, **options) -> AdapterOutput:  # type: ignore[no-untyped-def]
    head = sniff(path)
    return adapter.read(path, head, ReadContext("2026-Q3", LoadOptions(**options)))


@pytest.fixture
def drop(tmp_path: Path) -> Callable[..., Path]:
    """``drop("ga4_ui/data-export.csv", native=True)`` → a 2026-Q3 folder holding those files."""

    def make(*names: str, native: bool = False) -> Path:
        folder = tmp_path / "content" / "2026-Q3"
        folder.mkdir(parents=True, exist_ok=True)
        if native:
            for f in NATIVE.glob("*.csv"):
                shutil.copy(f, folder / f.name)
        for n in names:
            shutil.copy(EXPORTS / n, folder / Path(n).name)
        return folder.parent

    return make


# --- One sample site for every test that only reads a built site (tests/site, tests/browser)


@dataclass(frozen=True)
class SampleSite:
    """The repository's sample drop with two hostile titles, built once by ``revstory build``
    with ``site_url`` set to the local server that serves it (Material's instant navigation
    follows only links matching sitemap.xml). Tests must not change it."""

    project: Path  # holds mkdocs.yml and content/; the site is project / "site"
    url: str  # where the site is served on 127.0.0.1
    article: str  # the first piece's page, relative to the site
    article_title: str
    nav_target: str  # the latest quarter's page
    xss_page: str  # the page of the added piece titled with a script tag
    probe: str  # content_id of the piece whose title was replaced by XSS_TITLE

    @property
    def root(self) -> Path:
        """The built site."""
        return self.project / "site"


XSS_TITLE = "<script>alert(1)</script> *bold* | pipe"
XSS_PROBE = "how-to-fix-lead-scoring"
XSS_ROW = {
    "content_id": "xss-probe",
    "url": "https://www.example.com/blog/xss-probe/",
    "title": "<script>alert(1)</script>",
    "content_type": "article",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def sample_project(project: Path, site_url: str | None = None) -> Path:
    """Copy the sample drop (hostile titles added) and a mkdocs.yml into ``project``."""
    shutil.copytree(
        REPO / "content", project / "content", ignore=shutil.ignore_patterns(".revstory")
    )
    quarters = sorted(p.name for p in (project / "content").iterdir() if p.is_dir())
    table = project / "content" / quarters[-1] / "content.csv"
    with table.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["content_id"] == XSS_PROBE:
            row["title"] = XSS_TITLE
    rows.append({k: XSS_ROW.get(k, "") for k in rows[0]})
    with table.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    templates = (REPO / "site_templates").as_posix()
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: site_templates", f"docs_dir: {templates}")
    text = text.replace("site_templates: site_templates", f"site_templates: {templates}")
    if site_url:
        text = re.sub(r"(?m)^site_url:.*$", f"site_url: {site_url}", text)
    (project / "mkdocs.yml").write_text(text, encoding="utf-8")
    return project / "mkdocs.yml"


@contextmanager
def served_sample(project: Path, generator: str = "mkdocs") -> Iterator[SampleSite]:
    """The sample site built into ``project`` by ``revstory build --generator <generator>``
    and served on 127.0.0.1 while the context lasts."""
    from click.testing import CliRunner
    from revstory.cli import main

    handler = functools.partial(_QuietHandler, directory=str(project / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        config = sample_project(project, url)
        args = ["build", "-f", str(config), "--generator", generator]
        result = CliRunner().invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        with (project / "content" / "2026-Q3" / "content.csv").open(
            newline="", encoding="utf-8"
        ) as fh:
            first = next(csv.DictReader(fh))
        quarters = sorted(p.name for p in (project / "content").iterdir() if p.is_dir())
        yield SampleSite(
            project=project,
            url=url,
            article=f"articles/{first['content_id']}.html",
            article_title=first["title"],
            nav_target=f"quarters/{quarters[-1]}.html",
            xss_page=f"articles/{XSS_ROW['content_id']}.html",
            probe=XSS_PROBE,
        )
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve_sample() -> Callable[..., AbstractContextManager[SampleSite]]:
    """:func:`served_sample`, for conftest files below (a module of theirs named conftest
    shadows this one)."""
    return served_sample


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SampleSite]:
    """The sample site built with MkDocs, once per session, served on 127.0.0.1."""
    with served_sample(tmp_path_factory.mktemp("sample")) as site:
        yield site
