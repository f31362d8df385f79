"""Terminal output goes through logging: -v says more, -q errors only; progress bars only on
a terminal."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory import terminal
from revstory.cli import main

SAMPLE = ["sample", "--scale", "0.05", "--quarters", "1", "--last-quarter", "2026-Q3"]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_default_output_summary_and_no_bar_off_a_terminal(tmp_path: Path) -> None:
    code, out, err = _run(*SAMPLE, "--out", str(tmp_path))
    assert code == 0
    assert out == (f"wrote 1 quarter(s) to {tmp_path}: 3 pieces, 30 deals, 1500 touches\n")
    assert err == ""  # no bar when standard error is not a terminal, no debug line


def test_verbose_adds_debug_lines(tmp_path: Path) -> None:
    code, _, err = _run("-v", *SAMPLE, "--out", str(tmp_path))
    assert code == 0
    assert err == "revstory: seed 7: 3 pieces, 30 deals, 1500 touches over 2026-Q3\n"


def test_quiet_shows_errors_only(tmp_path: Path, fixtures: Path) -> None:
    code, out, err = _run("-q", *SAMPLE, "--out", str(tmp_path / "s"))
    assert (code, out, err) == (0, "", "")
    drop = tmp_path / "content" / "2026-Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", drop)
    deals = drop / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("amount")] = "12.5k"
    deals.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    code, out, err = _run("-q", "validate", str(tmp_path / "content"))
    assert code == 1
    assert err == ""
    assert out.startswith(f'error: {deals}, row 2, column amount: "12.5k" is not a number')
    assert out.count("\n") == 1  # no file list, no warning, no progress, no summary
    code, out, err = _run("validate", str(tmp_path / "content"))
    assert code == 1
    assert "revstory: load …\n" in err and "revstory: validate done in" in err
    assert "\nwarning: " in out
    assert out.endswith("6 file(s), 1 error(s), 1 warning(s)\n")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_show_on_a_terminal_unless_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    for verbosity, shown in ((0, True), (-1, False)):
        terminal.configure(verbosity)
        fake = _Terminal()
        monkeypatch.setattr("sys.stderr", fake)
        with terminal.bar(3, "rendering pages", unit="page") as b:
            b.update(3)
        assert ("rendering pages" in fake.getvalue()) is shown
    terminal.configure(0)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with terminal.bar(3, "rendering pages") as b:
        b.update(3)
    assert b.disable
