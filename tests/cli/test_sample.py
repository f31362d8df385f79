"""revstory sample: the latest quarter in any folder form; a clear message otherwise."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from revstory.cli import main


def test_last_quarter_in_folder_form(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "sample",
            "--out",
            str(tmp_path),
            "--scale",
            "0.05",
            "--quarters",
            "2",
            "--last-quarter",
            "2026_Q1",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2025-Q4", "2026-Q1"]


def test_last_quarter_that_is_no_quarter(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["sample", "--out", str(tmp_path), "--last-quarter", "Q3-2026"],
        catch_exceptions=False,
    )
    assert result.exit_code == 2
    assert (
        "Invalid value for --last-quarter: 'Q3-2026' is not a quarter — write it as "
        "2026-Q3 (year, dash, Q and the quarter number 1 to 4)"
    ) in result.output
    assert not any(tmp_path.iterdir())
