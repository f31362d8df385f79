"""`revstory sample` refuses sizes that are not numbers, not positive, or past the machine."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main

SCALE = "use a number above 0 and at most 500 (1 = 40 pieces, 600 deals, 30,000 touches)"
CASES = {
    ("--scale", "nan"): f"--scale: nan is not a size: {SCALE}",
    ("--scale", "inf"): f"--scale: inf is not a size: {SCALE}",
    ("--scale", "-inf"): f"--scale: -inf is not a size: {SCALE}",
    ("--scale", "0"): f"--scale: 0.0 is not a size: {SCALE}",
    ("--scale", "-1"): f"--scale: -1.0 is not a size: {SCALE}",
    ("--scale", "1e6"): f"--scale: 1000000.0 is not a size: {SCALE}",
    ("--deals", "0"): "--deals: 0 is out of range: use 1 to 1,000,000",
    ("--deals", "-3"): "--deals: -3 is out of range: use 1 to 1,000,000",
    ("--touches", "0"): "--touches: 0 is out of range: use 1 to 50,000,000",
    ("--touches", "100000000"): "--touches: 100000000 is out of range: use 1 to 50,000,000",
    ("--articles", "0"): "--articles: 0 is out of range: use 1 to 50,000",
    ("--quarters", "0"): "--quarters: 0 is out of range: use 1 to 20",
    ("--quarters", "-2"): "--quarters: -2 is out of range: use 1 to 20",
    ("--quarters", "500"): "--quarters: 500 is out of range: use 1 to 20",
}


@pytest.mark.parametrize("args", sorted(CASES))
def test_out_of_range_options_are_refused(args: tuple[str, str], tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["sample", "--out", str(tmp_path / "s"), *args])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: Invalid value for {CASES[args]}"
    assert not (tmp_path / "s").exists()


def test_smallest_sizes_are_honoured(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "sample",
            "--out",
            str(tmp_path / "s"),
            "--articles",
            "1",
            "--deals",
            "1",
            "--touches",
            "1",
            "--quarters",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        f"wrote 1 quarter(s) to {tmp_path / 's'}: 1 pieces, 1 deals, 1 touches"
    )
