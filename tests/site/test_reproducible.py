"""`revstory build` and `mkdocs build` on one report repository give the same bytes, dated by
the data (or SOURCE_DATE_EPOCH), and no published file names a path of the build machine."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from revstory.scaffold import init_report
from revstory.site.publish import build_site

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]


def _hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _mkdocs_build(root: Path, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    init_report(root)
    shutil.rmtree(root / "content")
    shutil.copytree(REPO / "tests" / "fixtures" / "drops" / "minimal", root / "content")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as fh:
        # A sitemap needs site_url; it carries the build date that used to differ.
        fh.write("site_url: https://reports.example.internal/marketing/\n")
    return root


@pytest.mark.parametrize("epoch", [None, "1767225600"])
def test_revstory_build_and_mkdocs_build_give_the_same_bytes(
    report: Path, epoch: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    else:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    build_site(report / "mkdocs.yml")
    ours = _hashes(report / "site")
    shutil.rmtree(report / "site")
    _mkdocs_build(report, env)
    theirs = _hashes(report / "site")
    assert sorted(ours) == sorted(theirs)
    assert [n for n in ours if ours[n] != theirs[n]] == []
    sitemap = (report / "site" / "sitemap.xml").read_text(encoding="utf-8")
    date = "2026-01-01" if epoch else "2026-09-30"  # the minimal drop is 2026-Q3
    assert f"<lastmod>{date}</lastmod>" in sitemap
    assert "SOURCE_DATE_EPOCH" not in os.environ or epoch


def test_no_published_file_names_a_path_of_the_build_machine(report: Path) -> None:
    build_site(report / "mkdocs.yml")
    site = report / "site"
    machine = {str(report), str(REPO), str(Path.home()), "/tmp/"}  # noqa: S108 - probes, not temp files
    leaks = []
    for f in sorted(site.rglob("*")):
        if f.is_file() and f.suffix in (".html", ".csv", ".json", ".xml", ".js", ".md"):
            text = f.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{f.relative_to(site)}: {m}" for m in machine if m in text]
    assert leaks == []
    quality = (site / "data-quality.html").read_text(encoding="utf-8")
    assert "content/2026-Q3/deals.csv" in quality
