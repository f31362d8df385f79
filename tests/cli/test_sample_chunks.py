"""`revstory sample` writes the touches a chunk of rows at a time: the same files either way.

The touches stay numbers until they are written (so 50M fit in memory); the text of each
chunk is the text one frame of all of them gives, and the CSV bytes do not depend on the
chunk size.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from revstory import sample as smp
from revstory.cli import main


def _write(tmp_path: Path, name: str, fmt: str) -> dict[str, bytes]:
    sizes = smp.sizes_for(0.2, quarters=3)
    out = tmp_path / name
    smp.write_drops(smp.generate(sizes, 7), out, fmt)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.*"))}


def test_chunks_write_the_same_csv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = _write(tmp_path, "whole", "csv")
    monkeypatch.setattr(smp, "CHUNK_ROWS", 997)  # many chunks, none a row group's multiple
    chunked = _write(tmp_path, "chunked", "csv")
    assert chunked == whole
    touches = [name for name in whole if name.endswith("touches.csv")]
    assert len(touches) == 3
    assert sum(whole[name].count(b"\n") - 1 for name in touches) > 997 * 3


def test_chunks_write_the_same_parquet_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(tmp_path, "whole", "parquet")
    monkeypatch.setattr(smp, "CHUNK_ROWS", 500)
    _write(tmp_path, "chunked", "parquet")
    for q in ("2026-Q1", "2026-Q2", "2026-Q3"):
        a = pd.read_parquet(tmp_path / "whole" / q / "touches.parquet")
        b = pd.read_parquet(tmp_path / "chunked" / q / "touches.parquet")
        assert list(b.columns) == list(smp.TOUCH_COLUMNS)
        pd.testing.assert_frame_equal(b, a)


def test_quarters_split_by_time(tmp_path: Path) -> None:
    drops = smp.generate(smp.sizes_for(0.1, quarters=2), 7)
    for q, tables in drops.items():
        start, stop = smp.quarter_bounds(q)
        frame = pd.concat(tables["touches"].frames(), ignore_index=True)  # type: ignore[union-attr]
        times = pd.to_datetime(frame["occurred_at"]).dt.tz_localize(None)
        assert times.is_monotonic_increasing
        assert (times < stop).all()
        if q == "2026-Q3":
            assert (times >= start).all()
    assert sum(len(t["touches"]) for t in drops.values()) == 3000


def test_touches_limit_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["sample", "--out", str(tmp_path), "--touches", "50000001"], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert "--touches: 50000001 is out of range: use 1 to 50,000,000" in result.output
    assert not any(tmp_path.iterdir())
