"""Publishing under faults: a build killed at several points (rendering, MkDocs, between the
two renames of the swap, after them) never leaves the project without a site once the next
build starts, and leaves nothing behind; two builds at once are refused with the first one's
pid; file-system faults are one line naming the path and the fix."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.site.publish import CACHE, build_lock, recover
from story_vectors import MKDOCS, TESTS

pytestmark = pytest.mark.slow

#: Run in a child process: build the site, SIGKILL itself at the point named by argv[2].
KILLER = r"""
import os, signal, sys
from pathlib import Path
import revstory.site.publish as pub

config, point = Path(sys.argv[1]), sys.argv[2]
target = config.parent / "site"

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

real_replace = os.replace

def replace(src, dst):
    real_replace(src, dst)
    if point == "swap-between" and str(dst).endswith(".site.revstory-old"):
        die()
    if point == "swap-after" and Path(dst) == target:
        die()

if point == "render":
    real_render = pub.render_docs
    def render(settings, root, docs, *a, **k):
        real_render(settings, root, docs, *a, **k)
        die()
    pub.render_docs = render
elif point == "mkdocs":
    import mkdocs.commands.build as mb
    def build(cfg, **k):
        Path(cfg.site_dir).mkdir(parents=True, exist_ok=True)
        (Path(cfg.site_dir) / "index.html").write_text("half a site")
        die()
    mb.build = build
else:
    os.replace = replace
pub.build_site(config)
"""


def _project(root: Path) -> Path:
    import shutil

    shutil.copytree(TESTS / "fixtures" / "drops" / "minimal", root / "content")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root / "mkdocs.yml"


def _hashes(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def _build(config: Path) -> list[str]:
    result = CliRunner().invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 0, result.output
    return [
        line.removeprefix("revstory: ")
        for line in result.output.splitlines()
        if "…" not in line and " done in " not in line
    ]


def _leftovers(root: Path) -> list[str]:
    found = [p.name for p in root.iterdir() if p.name.startswith(".site.")]
    cache = root / CACHE
    found += [p.name for p in cache.iterdir() if p.name != "build.lock"] if cache.is_dir() else []
    return sorted(found)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    config = _project(tmp_path_factory.mktemp("killed"))
    _build(config)
    return config, _hashes(config.parent / "site")


@pytest.mark.parametrize("point", ["render", "mkdocs", "swap-between", "swap-after"])
def test_a_build_killed_at_any_point_leaves_a_whole_site(point, project):
    config, before = project
    root, site = config.parent, config.parent / "site"
    child = subprocess.run(  # noqa: S603 - fixed argv: this Python and our script
        [sys.executable, "-c", KILLER, str(config), point],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    if point == "swap-between":
        assert not site.exists()  # the moment the old code stranded the site
        assert _leftovers(root) == [
            ".site.revstory-new",
            ".site.revstory-old",
            next(p.name for p in (root / CACHE).glob("build-*")),
        ]
    else:
        assert _hashes(site) == before  # the same inputs give the same bytes
        assert _leftovers(root) != []
    with build_lock(root / CACHE):
        done = recover(site, root / CACHE)
    assert _hashes(site) == before
    assert _leftovers(root) == []
    restored = [
        f"restored the previous site to {site} (an earlier build was interrupted while publishing)"
    ]
    assert done[:1] == (restored if point == "swap-between" else done[:1])
    assert done[-1] == f"removed 1 folder(s) of interrupted builds from {root / CACHE}"


def test_the_next_build_cleans_up_and_restores(project):
    config, before = project
    root, site = config.parent, config.parent / "site"
    (root / CACHE / "build-old1" / "previous-site").mkdir(parents=True)  # an older version's
    (root / CACHE / "build-old2").mkdir()
    site.rename(root / ".site.revstory-old")
    lines = _build(config)
    assert lines[:2] == [
        f"restored the previous site to {site} (an earlier build was interrupted while publishing)",
        f"removed 2 folder(s) of interrupted builds from {root / CACHE}",
    ]
    assert _hashes(site) == before
    assert _leftovers(root) == []


def test_a_second_build_is_refused_with_the_first_ones_pid(project):
    config, _ = project
    cache = config.parent / CACHE
    with build_lock(cache):
        assert (cache / "build.lock").read_text() == str(os.getpid())
        result = CliRunner().invoke(main, ["build", "-f", str(config)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: another build is running (pid {os.getpid()}) in "
        f"{config.parent} — wait for it to finish, then build again\n"
    )
    assert (cache / "build.lock").read_text() == ""


def _mount_tmpfs(where: Path) -> None:
    where.mkdir()
    argv = ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(where)]
    done = subprocess.run(argv, capture_output=True)  # noqa: S603 - fixed argv, mount from PATH
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")


def _umount(where: Path) -> None:
    subprocess.run(["umount", str(where)], check=True)  # noqa: S603, S607 - fixed argv


def test_site_dir_on_another_file_system(tmp_path):
    config = _project(tmp_path / "project")
    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt)
    try:
        config.write_text(config.read_text() + f"site_dir: {mnt / 'site'}\n")
        _build(config)
        _build(config)  # replaces a site across the file-system boundary
        assert (mnt / "site" / "index.html").is_file()
        assert sorted(p.name for p in mnt.iterdir()) == ["site"]
    finally:
        _umount(mnt)


def test_read_only_site_folder_is_one_line_and_keeps_the_old_site(tmp_path):
    config = _project(tmp_path / "project")
    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt)
    try:
        config.write_text(config.read_text() + f"site_dir: {mnt / 'site'}\n")
        _build(config)
        before = _hashes(mnt / "site")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)  # noqa: S603, S607
        result = CliRunner().invoke(main, ["build", "-f", str(config)])
        assert result.exit_code == 1
        assert result.output.splitlines()[-2:] == [
            f"Error: {mnt / '.site.revstory-new'}: Read-only file system — the file system is "
            "mounted read-only: choose a folder on a writable one",
            f"The previous site in {mnt / 'site'} was left untouched.",
        ]
        assert _hashes(mnt / "site") == before
    finally:
        _umount(mnt)


def test_unwritable_out_is_one_line(tmp_path):
    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt)
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)  # noqa: S603, S607
        drop = TESTS / "fixtures" / "drops" / "minimal"
        for args in (
            ["attribute", str(drop), "--out", str(mnt / "out")],
            ["validate", str(drop), "--ledger", str(mnt / "ledger.csv")],
            ["sample", "--out", str(mnt / "sample"), "--scale", "0.1"],
        ):
            result = CliRunner().invoke(main, args)
            assert result.exit_code == 1, result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
            last = result.output.splitlines()[-1]
            assert last.startswith(f"Error: {mnt}/"), last
            assert last.endswith(
                ": Read-only file system — the file system is mounted "
                "read-only: choose a folder on a writable one"
            ), last
    finally:
        _umount(mnt)


def test_a_read_only_data_folder_still_builds_and_says_what_is_not_saved(tmp_path):
    """The exports sit on a read-only share: the report is built all the same, and the
    terminal says, per quarter, that its snapshot was not saved and what that costs."""
    import shutil

    root = tmp_path / "project"
    config = _project(root)
    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt)
    try:
        shutil.move(root / "content", mnt / "content")
        config.write_text(
            config.read_text().replace("data_dir: content", f"data_dir: {mnt / 'content'}"),
            encoding="utf-8",
        )
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)  # noqa: S603, S607
        lines = _build(config)
        assert (root / "site" / "index.html").is_file()
        warned = [line for line in lines if line.startswith("warning: 2026-Q3: snapshot")]
        snap = mnt / "content" / "2026-Q3" / ".revstory"
        assert warned == [
            f"warning: 2026-Q3: snapshot not saved ({snap}: Read-only file system) — the "
            "quarter will not stay on the site once its exports are deleted; make "
            f"{mnt / 'content' / '2026-Q3'} writable, or set write_snapshots: false to stop "
            "saving snapshots"
        ]
    finally:
        _umount(mnt)


def test_a_read_only_project_folder_is_one_line_and_writes_nothing(tmp_path):
    """The report repository itself is read-only (a checkout on a read-only mount): the first
    build fails with one line naming the folder it could not create, and says that no site
    was written (there was none to keep)."""
    import shutil

    mnt = tmp_path / "mnt"
    _mount_tmpfs(mnt)
    try:
        config = _project(tmp_path / "project")
        shutil.copytree(config.parent, mnt / "project")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)  # noqa: S603, S607
        result = CliRunner().invoke(main, ["build", "-f", str(mnt / "project" / "mkdocs.yml")])
        assert result.exit_code == 1
        assert result.output.splitlines()[-2:] == [
            f"Error: {mnt / 'project' / '.cache'}: Read-only file system — the file system is "
            "mounted read-only: choose a folder on a writable one",
            f"No site was written to {mnt / 'project' / 'site'}.",
        ]
    finally:
        _umount(mnt)
