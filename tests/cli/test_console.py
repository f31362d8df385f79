"""The console script (`revstory`, :func:`revstory.cli.run`): exit codes, complete output and
the quick exit that skips freeing memory, which is not taken while DuckDB has spill files."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from revstory import cli

RUN = "from revstory.cli import run; run()"


def console(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the console script's function in a fresh interpreter, as the installed script does."""
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code, arguments from the test
        [sys.executable, "-c", RUN, *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_installed_script_is_run() -> None:
    (script,) = (e for e in entry_points(group="console_scripts") if e.name == "revstory")
    assert script.value == "revstory.cli:run"


def test_success_writes_everything_and_exits_0(fixtures: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = console("attribute", str(fixtures / "drops" / "minimal"), "--out", str(out))
    assert done.returncode == 0, done.stderr
    # The last line printed and the last byte of every file are there after the quick exit.
    assert done.stdout.splitlines()[-1].startswith("wrote ")
    with open(out / "attribution.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["model"] for r in rows} >= {"linear", "first_touch"}
    assert (out / "ledger.csv").read_text().endswith("\n")


def test_bad_input_exits_1_with_the_message(tmp_path: Path) -> None:
    done = console("attribute", str(tmp_path / "nowhere"), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    assert f"{tmp_path / 'nowhere'}: no such file or folder — check the path" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_usage_error_exits_2() -> None:
    done = console("attribute")
    assert done.returncode == 2
    assert "Missing argument 'PATHS...'" in done.stderr


class Ended(Exception):
    """os._exit stand-in: records how the process would have ended."""


@pytest.fixture
def ends(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    codes: list[int] = []

    def hard_exit(code: int) -> None:
        codes.append(code)
        raise Ended

    monkeypatch.setattr(os, "_exit", hard_exit)
    monkeypatch.chdir(tmp_path)
    return codes


def test_quick_exit_carries_the_exit_code(ends: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["revstory", "--version"])
    with pytest.raises(Ended):
        cli.run()
    monkeypatch.setattr(sys, "argv", ["revstory", "no-such-command"])
    with pytest.raises(Ended):
        cli.run()
    assert ends == [0, 2]


def test_spill_files_end_the_interpreter_normally(
    ends: list[int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spill = tmp_path / ".tmp"
    spill.mkdir()
    (spill / "unrelated.txt").write_text("")
    assert not cli._spilled()
    (spill / "duckdb_temp_storage_DEFAULT-0.tmp").write_bytes(b"")
    assert cli._spilled()
    monkeypatch.setattr(sys, "argv", ["revstory", "no-such-command"])
    with pytest.raises(SystemExit) as exit_:
        cli.run()
    assert exit_.value.code == 2
    assert ends == []  # DuckDB's closing, at the interpreter's end, deletes its files


@pytest.mark.parametrize(("given", "seen"), [(None, "4"), ("28", "28")])
def test_openblas_idle_threads_sleep_unless_the_user_chose(given: str | None, seen: str) -> None:
    """The console script sets OpenBLAS's spin before numpy loads it; a user's value stands."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    if given is not None:
        env["OPENBLAS_THREAD_TIMEOUT"] = given
    code = (
        "import sys; from revstory import cli; cli.quiet_blas(); "
        "assert 'numpy' not in sys.modules; import os, numpy; "
        "print(os.environ['OPENBLAS_THREAD_TIMEOUT'])"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == seen
