"""Native touch files off the fast CSV path (Parquet, UTF-16, `;`, tab, a `#` line first,
rows with the wrong number of fields) read like any other file: same figures as the plain
CSV, row errors with their row number, never a traceback. Every input is made here."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from revstory.cli import main


def _run(*args: str):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("plain") / "content"
    assert _run("sample", "--out", str(root), "--scale", "0.1").exit_code == 0
    return root


@pytest.fixture(scope="module")
def plain_summary(plain: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("plain_out")
    assert _run("attribute", str(plain), "--out", str(out)).exit_code == 0
    return (out / "summary.json").read_text()


def _variant(plain: Path, tmp: Path, change: Callable[[Path], None]) -> Path:
    root = tmp / "content"
    shutil.copytree(plain, root)
    for q in sorted(root.iterdir()):
        change(q / "touches.csv")
    return root


def _to_parquet(t: Path) -> None:
    duckdb.sql(
        f"COPY (SELECT * FROM read_csv('{t}', all_varchar = true)) "  # noqa: S608 - our own tmp_path
        f"TO '{t.with_suffix('.parquet')}' (FORMAT parquet)"
    )
    t.unlink()


CHANGES: dict[str, Callable[[Path], None]] = {
    "utf-16 with BOM": lambda t: t.write_bytes(t.read_text().encode("utf-16")),
    "semicolon": lambda t: t.write_text(t.read_text().replace(",", ";")),
    "tab": lambda t: t.write_text(t.read_text().replace(",", "\t")),
    "comment line first": lambda t: t.write_text("# exported 2026-10-01\n" + t.read_text()),
    "crlf": lambda t: t.write_bytes(t.read_text().replace("\n", "\r\n").encode()),
    "parquet": _to_parquet,
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_touch_file_layouts_give_the_plain_csv_figures(name, plain, plain_summary, tmp_path):
    root = _variant(plain, tmp_path, CHANGES[name])
    out = tmp_path / "out"
    # --strict: any error or warning of loading and validation fails the run (one pipeline
    # run instead of validate's and attribute's).
    result = _run("attribute", str(root), "--out", str(out), "--strict")
    assert result.exit_code == 0, result.output
    assert (out / "summary.json").read_text() == plain_summary


def test_sample_parquet_output_validates_and_attributes(tmp_path, plain_summary):
    root = tmp_path / "content"
    assert (
        _run("sample", "--out", str(root), "--scale", "0.1", "--format", "parquet").exit_code == 0
    )
    assert sorted(p.name for p in (root / "2026-Q3").iterdir())[-1] == "touches.parquet"
    checked = _run("validate", str(root))
    assert checked.exit_code == 0, checked.output
    assert checked.output.splitlines()[-1] == "12 file(s), 0 error(s), 0 warning(s)"
    out = tmp_path / "out"
    assert _run("attribute", str(root), "--out", str(out)).exit_code == 0
    assert json.loads((out / "summary.json").read_text()) == json.loads(plain_summary)


def _bad_rows(sep: str) -> Callable[[Path], None]:
    def change(t: Path) -> None:
        lines = t.read_text().splitlines()
        lines[2] += ",x,y,z,a,b,c"  # row 3: 12 fields
        lines[3] = lines[3].split(",")[0]  # row 4: 1 field
        lines[5] = "yesterday" + lines[5][lines[5].index(",") :]  # row 6: no timestamp
        t.write_text("\n".join(lines).replace(",", sep) + "\n")

    return change


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_wrong_rows_are_named_by_row(sep, plain, tmp_path):
    root = _variant(plain, tmp_path, _bad_rows(sep))
    result = _run("validate", str(root))
    assert result.exit_code == 1
    for q in ("2026-Q2", "2026-Q3"):
        f = root / q / "touches.csv"
        assert [line for line in result.output.splitlines() if line.startswith(f"error: {f}")] == [
            f"error: {f}, row 3: has 12 fields, the header has 6; the row is dropped — every "
            "line needs as many fields as the header",
            f"error: {f}, row 4: has 1 fields, the header has 6; the row is dropped — every "
            "line needs as many fields as the header",
            f"error: {f}, row 6, column occurred_at: row cannot be read: 'yesterday' — "
            "occurred_at is not a date or timestamp — use ISO 8601, e.g. 2026-07-01 or "
            "2026-07-01T14:30:00Z",
        ]
    assert "@" not in result.output  # the rows' person ids are not quoted


def test_parquet_touch_with_a_bad_timestamp_names_its_row(plain, tmp_path):
    def change(t: Path) -> None:
        lines = t.read_text().splitlines()
        lines[1] = "2026-13-45" + lines[1][lines[1].index(",") :]
        t.write_text("\n".join(lines) + "\n")
        _to_parquet(t)

    root = _variant(plain, tmp_path, change)
    result = _run("validate", str(root))
    assert result.exit_code == 1
    f = root / "2026-Q3" / "touches.parquet"
    assert (
        f"error: {f}, row 1, column occurred_at: row cannot be read: '2026-13-45' — "
        "occurred_at is not a date or timestamp — use ISO 8601, e.g. 2026-07-01 or "
        "2026-07-01T14:30:00Z"
    ) in result.output.splitlines()


def test_bad_lines_past_the_sniffed_sample_are_named(tmp_path):
    """A clean start and two bad lines after DuckDB's 20,480-line sniff sample."""
    root = tmp_path / "content"
    assert (
        _run(
            "sample",
            "--out",
            str(root),
            "--quarters",
            "1",
            "--articles",
            "3",
            "--deals",
            "20",
            "--touches",
            "25000",
        ).exit_code
        == 0
    )
    t = root / "2026-Q3" / "touches.csv"
    lines = t.read_text().splitlines()
    assert len(lines) == 25001
    lines[-5] += ",extra"
    lines[-9] = lines[-9].rsplit(",", 2)[0]
    t.write_text("\n".join(lines) + "\n")
    result = _run("validate", str(root))
    assert result.exit_code == 1
    assert [x for x in result.output.splitlines() if x.startswith("error:")] == [
        f"error: {t}, row 24993: has 4 fields, the header has 6; the row is dropped — every "
        "line needs as many fields as the header",
        f"error: {t}, row 24997: has 7 fields, the header has 6; the row is dropped — every "
        "line needs as many fields as the header",
    ]
