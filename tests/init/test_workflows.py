"""The generated CI workflows, run by hand: every ``run:`` (GitHub Actions) and ``script:``
(GitLab CI) command in order, in a repository written by ``revstory init --sample``.

The install step (``pip install "$REVSTORY_SPEC"``) is replaced by a check that the revstory
under test is the one on PATH; everything else runs as written.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from revstory.scaffold import init_report

pytestmark = pytest.mark.slow
INSTALL = 'python -m pip install "$REVSTORY_SPEC"'


def github_commands(repo: Path) -> list[str]:
    data = yaml.safe_load((repo / ".github/workflows/report.yml").read_text(encoding="utf-8"))
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def gitlab_commands(repo: Path) -> list[str]:
    data = yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    jobs = [
        (name, job)
        for name, job in data.items()
        if isinstance(job, dict) and "script" in job and not name.startswith(".")
    ]
    ordered = sorted(jobs, key=lambda j: data["stages"].index(j[1]["stage"]))
    return [cmd for _, job in ordered for cmd in job["script"]]


def run(repo: Path, commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "REVSTORY_SPEC": "revstory",
    }
    env.pop("SOURCE_DATE_EPOCH", None)
    done = []
    for cmd in commands:
        if cmd == INSTALL:
            cmd = "revstory --version"  # the current environment stands in for the install
        proc = subprocess.run(  # noqa: S603 - the workflow's own run lines, as CI runs them
            ["bash", "-euo", "pipefail", "-c", cmd],  # noqa: S607 - bash from PATH
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        done.append(proc)
        if proc.returncode:
            break
    return done


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    init_report(root, sample=True)
    return root


@pytest.mark.parametrize("commands", [github_commands, gitlab_commands])
def test_every_command_runs_and_leaves_the_site(repo: Path, commands) -> None:  # type: ignore[no-untyped-def]
    cmds = commands(repo)
    assert cmds[0] == INSTALL
    assert any(c.startswith("revstory validate content/") for c in cmds)
    assert "revstory build" in cmds
    shutil.rmtree(repo / "site", ignore_errors=True)
    done = run(repo, cmds)
    for cmd, proc in zip(cmds, done, strict=False):
        assert proc.returncode == 0, f"{cmd}: {proc.stdout}{proc.stderr}"
    assert len(done) == len(cmds)
    assert (repo / "site" / "index.html").is_file()
    assert (repo / "out" / "ledger.csv").is_file()
    if commands is gitlab_commands:
        assert (repo / "public" / "index.html").is_file()


def test_a_bad_drop_fails_the_validate_step_with_the_message_in_the_log(tmp_path: Path) -> None:
    init_report(tmp_path, sample=True)
    deals = tmp_path / "content" / "2026-Q3" / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("amount")] = "12.5k"
    lines[1] = ",".join(cells)
    deals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text("previous", encoding="utf-8")
    done = run(tmp_path, github_commands(tmp_path))
    assert [p.returncode for p in done] == [0, 1]  # install, validate fails; nothing after
    log = done[-1].stdout + done[-1].stderr
    assert 'error: content/2026-Q3/deals.csv, row 2, column amount: "12.5k" is not a number' in log
    assert (tmp_path / "site" / "index.html").read_text(encoding="utf-8") == "previous"
