"""Quarter folders as people make them (issue 14): an empty ``2026-Q4`` made ahead of its
exports, a folder named ``2026q3``, a symlinked quarter. ``validate`` and ``build`` agree on
each (the same message, the same exit), and the site's date is the latest reported quarter's
end, never the day of the build nor an empty folder's quarter."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from revstory.cli import main
from revstory.scaffold import init_report

REPO = Path(__file__).resolve().parents[2]
MINIMAL = REPO / "tests" / "fixtures" / "drops" / "minimal" / "2026-Q3"
ZZZ = (
    'column content_id: "zzz" is not in the content inventory — add the pieces to the '
    "content file, or check the ids/URLs match"
)
EMPTY = (
    "content/2026-Q4: holds no data files, so 2026-Q4 is left out of the report — add the "
    "quarter's exports as .csv or .parquet files, or remove the folder until they arrive"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def problems(result: Result) -> list[str]:
    return [ln for ln in result.output.splitlines() if ln.startswith(("error:", "warning:"))]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template")
    init_report(root)
    shutil.rmtree(root / "content")
    (root / "content").mkdir()
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        fh.write("site_url: https://reports.example.internal/marketing/\n")  # for a sitemap
    return root


def _empty_q4(content: Path) -> None:
    shutil.copytree(MINIMAL, content / "2026-Q3")
    (content / "2026-Q4").mkdir()


def _lower_case_name(content: Path) -> None:
    shutil.copytree(MINIMAL, content / "2026q3")


def _symlinked(content: Path) -> None:
    elsewhere = content.parent / "exports" / "third-quarter"
    shutil.copytree(MINIMAL, elsewhere)
    (content / "2026-Q3").symlink_to(elsewhere, target_is_directory=True)


LAYOUTS: dict[str, tuple[Callable[[Path], None], str]] = {
    "empty 2026-Q4": (_empty_q4, "2026-Q3"),
    "2026q3": (_lower_case_name, "2026q3"),
    "symlinked 2026-Q3": (_symlinked, "2026-Q3"),
}


@pytest.fixture
def project(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Path:
    root = tmp_path / "report"
    shutil.copytree(template, root)
    LAYOUTS[request.param][0](root / "content")
    monkeypatch.chdir(root)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return root


def _expected(name: str) -> list[str]:
    folder = LAYOUTS[name][1]
    found = [f"warning: content/{folder}/touches.csv, row 10, {ZZZ}"]
    return [f"warning: {EMPTY}", *found] if name == "empty 2026-Q4" else found


@pytest.mark.parametrize("project", sorted(LAYOUTS), indirect=True)
def test_validate_and_build_agree(project: Path, request: pytest.FixtureRequest) -> None:
    name = request.node.callspec.params["project"]
    checked = run("validate", "content")
    assert checked.exit_code == 0, checked.output
    assert problems(checked) == _expected(name)
    assert checked.output.splitlines()[-1] == "6 file(s), 0 error(s), 1 warning(s)".replace(
        "1 warning", f"{len(_expected(name))} warning"
    )

    built = run("build")
    assert built.exit_code == 0, built.output
    site = project / "site"
    assert (site / "quarters" / "2026-Q3.html").is_file()
    assert not (site / "quarters" / "2026-Q4.html").exists()
    quality = html.unescape((site / "data-quality.html").read_text(encoding="utf-8"))
    for line in _expected(name):
        assert line.removeprefix("warning: ") in re.sub(r"<[^>]+>", "", quality), line
    # Dated by the data (the minimal drop is 2026-Q3), not by today nor by the empty 2026-Q4.
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap)) == {"2026-09-30"}
    assert dt.date.today().isoformat() != "2026-09-30"


@pytest.mark.parametrize("project", ["empty 2026-Q4"], indirect=True)
def test_strict_fails_both_on_an_empty_quarter(project: Path) -> None:
    checked = run("validate", "--strict", "content")
    assert checked.exit_code == 1
    assert f"warning: {EMPTY}" in problems(checked)

    (project / "mkdocs.yml").write_text(
        (project / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("  - revstory:\n", "  - revstory:\n      strict: true\n", 1),
        encoding="utf-8",
    )
    built = run("build")
    assert built.exit_code == 1
    # The build names the data folder from mkdocs.yml's folder (an absolute path).
    assert f"warning: {project.resolve()}/{EMPTY}" in built.output.splitlines()
    assert built.output.splitlines()[-1] == "Error: 0 error(s), 2 warning(s); nothing was written"
    assert not (project / "site").exists()


def test_only_empty_quarters_are_an_error_for_both(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "report"
    shutil.copytree(template, root)
    (root / "content" / "2026-Q3").mkdir()
    monkeypatch.chdir(root)
    message = (
        "error: content/2026-Q3: the drop holds no data files — add the quarter's exports as "
        ".csv or .parquet files"
    )
    checked = run("validate", "content")
    assert checked.exit_code == 1
    assert problems(checked) == [message]
    built = run("build")
    assert built.exit_code == 1
    assert message.replace("content/", f"{root.resolve()}/content/") in built.output.splitlines()


def test_two_folders_of_one_quarter_are_one_error_for_both(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "report"
    shutil.copytree(template, root)
    shutil.copytree(MINIMAL, root / "content" / "2026-Q3")
    shutil.copytree(MINIMAL, root / "content" / "2026_Q3")
    monkeypatch.chdir(root)
    both = (
        "content/2026-Q3 and content/2026_Q3 are both quarter 2026-Q3 — merge them into one folder"
    )
    checked = run("validate", "content")
    assert checked.exit_code == 1
    assert problems(checked) == [f"error: content: {both}"]
    built = run("build")
    assert built.exit_code == 1
    assert built.output.splitlines()[-1] == "Error: " + both.replace(
        "content/", f"{root.resolve()}/content/"
    )
