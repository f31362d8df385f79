"""Hostile values at the validate stage (issue 14): out-of-range money and dates, conflicting
copies of a deal or a rate, NUL bytes, duplicate columns, unsafe ids. Every input is
generated here; the exact messages are asserted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main

from tests.conftest import NATIVE

DEALS_HEADER = "deal_id,account_id,name,amount,currency,created_at,closed_at,status,deal_type"
D2 = "D-2,ACC-2,Cyberdyne,22800,EUR,2026-04-15T13:17:23Z,2026-09-09,lost,expansion\n"


def _drop(tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "2026-Q3"
    folder.mkdir(parents=True)
    for f in NATIVE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    return folder


def _validate(folder: Path, *extra: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["validate", str(folder.parent), *extra], catch_exceptions=False
    )
    assert "Traceback" not in result.output
    lines = [
        ln.replace(f"{folder}/", "")
        for ln in result.output.splitlines()
        if ln.startswith(("warning: ", "error: "))
    ]
    return result.exit_code, lines


RANGE = (
    "is out of range: numbers must be finite and below 100,000,000,000,000 (10^14) — money "
    "is held in minor units in 64-bit integers (at most 9,223,372,036,854,775,807) — check "
    "the cell: NaN, inf and values this large are not amounts"
)


@pytest.mark.parametrize("amount", ["NaN", "inf", "Infinity", "1e309", "1e20", "100000000000000"])
def test_amounts_out_of_range_are_errors(tmp_path: Path, amount: str):
    folder = _drop(tmp_path)
    (folder / "deals.csv").write_text(
        f"{DEALS_HEADER}\nD-1,ACC-1,Aperture,{amount},EUR,2026-04-12,2026-08-13,won,new\n{D2}"
    )
    code, lines = _validate(folder)
    assert code == 1
    assert lines == [f'error: deals.csv, row 2, column amount: "{amount}" {RANGE}']


def test_fx_rate_nan_is_an_error(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "fx_rates.csv").write_text("currency,date,rate\nUSD,2026-01-01,NaN\n")
    code, lines = _validate(folder)
    assert code == 1
    assert lines == [f'error: fx_rates.csv, row 2, column rate: "NaN" {RANGE}']


@pytest.mark.parametrize("closed", ["infinity", "9999-12-31", "1900-01-01"])
def test_infinite_and_sentinel_dates_are_errors(tmp_path: Path, closed: str):
    folder = _drop(tmp_path)
    (folder / "deals.csv").write_text(
        f"{DEALS_HEADER}\nD-1,ACC-1,Aperture,15350,EUR,2026-04-12,{closed},won,new\n{D2}"
    )
    code, lines = _validate(folder, "--strict")
    assert code == 1
    assert lines == [
        f'error: deals.csv, row 2, column closed_at: "{closed}" is out of range: dates must '
        "fall between 1970 and 2100 (infinity and sentinels such as 9999-12-31 are not dates) — "
        "leave the cell empty when there is no date, or write the real one"
    ]


def test_a_date_only_close_on_the_creation_day_is_not_before_it(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "deals.csv").write_text(
        f"{DEALS_HEADER}\nD-1,ACC-1,Aperture,15350,EUR,2026-07-20T09:00:00Z,2026-07-20,won,new\n"
        "D-2,ACC-2,Cyberdyne,22800,EUR,2026-04-15T13:17:23Z,2026-09-09,lost,expansion\n"
    )
    code, lines = _validate(folder, "--strict")
    assert (code, lines) == (0, [])


def test_the_same_deal_in_two_deals_files_with_other_values_is_a_warning(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "deals_update.csv").write_text(
        f"{DEALS_HEADER}\nD-1,ACC-1,Aperture,15350,EUR,2026-04-12T17:52:41Z,2026-08-13,lost,new\n"
    )
    code, lines = _validate(folder)
    assert code == 0
    assert lines == [
        "warning: deals_update.csv: deal D-1 is in 2 deals files of 2026-Q3 with different "
        "values: deals_update.csv (lost) vs deals.csv (won); the first is used (no last-modified "
        "column: the later file) — keep one export per deal and quarter, or export the Last "
        "Modified Date column"
    ]
    assert _validate(folder, "--strict")[0] == 1


def test_of_two_copies_the_latest_last_modified_wins(tmp_path: Path):
    folder = _drop(tmp_path)
    header = DEALS_HEADER + ",last_modified"
    (folder / "deals.csv").write_text(
        f"{header}\nD-1,ACC-1,Aperture,15350,EUR,2026-04-12,2026-08-13,won,new,2026-09-01\n"
        "D-2,ACC-2,Cyberdyne,22800,EUR,2026-04-15,2026-09-09,lost,expansion,2026-09-01\n"
    )
    (folder / "deals_update.csv").write_text(
        f"{header}\nD-1,ACC-1,Aperture,12000,EUR,2026-04-12,2026-08-13,lost,new,2026-08-01\n"
    )
    _code, lines = _validate(folder)
    assert lines == [
        "warning: deals.csv: deal D-1 is in 2 deals files of 2026-Q3 with different values: "
        "deals.csv (won) vs deals_update.csv (lost); the first is used (the latest last-modified "
        "date) — keep one export per deal and quarter, or export the Last Modified Date column"
    ]


def test_two_fx_rates_for_one_currency_and_day_is_a_warning(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "fx_more.csv").write_text("currency,date,rate\nUSD,2026-01-01,0.93\n")
    code, lines = _validate(folder)
    assert code == 0
    assert lines == [
        "warning: fx_rates.csv: 1 currency-day(s) have two or more different rates (USD on "
        "2026-01-01); the rate used is the one in the latest drop, then the later file, then the "
        "later row — this file's — keep one rate per currency and day"
    ]


def test_nul_in_a_title_and_a_duplicate_column_are_warnings(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "content.csv").write_bytes(
        b"content_id,url,title,content_type,title\n"
        b"how-to-fix-abm,https://www.example.com/blog/how-to-fix-abm/,How to\x00 fix ABM,"
        b"article,Other title\n"
    )
    _code, lines = _validate(folder)
    assert lines[:2] == [
        "warning: content.csv: holds 1 NUL byte(s) inside its values (Salesforce Data Export "
        "writes them in rich-text fields); they were removed",
        "warning: content.csv: has the column 'title' twice; the first one is read, the other is "
        "ignored — remove or rename the duplicate in the export",
    ]
    from revstory.config import make_config
    from revstory.pipeline import check

    drop = check([folder.parent], make_config({}))
    assert drop.con.execute("SELECT title FROM content").fetchall() == [("How to fix ABM",)]


def test_an_unclosed_quote_is_a_row_warning(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "content.csv").write_text(
        "content_id,url,title,content_type\n"
        'how-to-fix-abm,https://www.example.com/blog/how-to-fix-abm/,"How to fix ABM,article\n'
    )
    _code, lines = _validate(folder)
    assert lines[0:1] == [
        "warning: content.csv, row 2, column title: '\"How to fix ABM' starts with a quote that "
        "is never closed; the value is read as written — close the quote (or remove it) on that "
        "line"
    ]
    assert _validate(folder, "--strict")[0] == 1
