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
