"""Bad input: a clear message naming file, row, column and the fix, exit 1, no traceback.
The messages are part of the user interface: assert them exactly."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from revstory.cli import main


@pytest.fixture
def drop(tmp_path: Path, fixtures: Path) -> Path:
    target = tmp_path / "2026-Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", target)
    return target


def edit(path: Path, fn: Callable[[list[str]], list[str]]) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(fn(lines)) + "\n")


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def problems(result: Result) -> list[str]:
    return [ln for ln in result.output.splitlines() if ln.startswith(("error:", "warning:"))]


def test_clean_drop_has_one_warning(drop: Path) -> None:
    result = run("validate", str(drop))
    assert result.exit_code == 0, result.output
    assert problems(result) == [
        f'warning: {drop}/touches.csv, row 10, column content_id: "zzz" is not in the content '
        "inventory — add the pieces to the content file, or check the ids/URLs match"
    ]
    assert "6 file(s), 0 error(s), 1 warning(s)" in result.output


def test_strict_fails_on_warnings(drop: Path) -> None:
    assert run("validate", "--strict", str(drop)).exit_code == 1


def test_missing_folder(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope"))
    assert result.exit_code == 1
    assert problems(result) == [f"error: {tmp_path}/nope: no such file or folder — check the path"]


def test_missing_file(drop: Path) -> None:
    (drop / "deals.csv").unlink()
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert (
        "error: 2026-Q3 drop: no deals file was recognised (missing: deals), so there is "
        "nothing to report — add the CRM's deals export (HubSpot deals, Salesforce "
        "opportunities) or a native deals file (deal_id, amount, created_at, status, "
        "deal_type); `revstory validate` lists the files it read"
    ) in problems(result)


def test_missing_column(drop: Path) -> None:
    edit(
        drop / "deals.csv",
        lambda ls: [",".join(x for i, x in enumerate(ln.split(",")) if i != 3) for ln in ls],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result)[0] == (
        f"error: {drop}/deals.csv, column amount: has no column amount (found: deal_id, "
        "account_id, name, currency, created_at, closed_at, status, deal_type, segment) — add "
        "it; deals files need deal_id, amount, created_at, status, deal_type"
    )


def test_unparseable_amount_and_date(drop: Path) -> None:
    edit(
        drop / "deals.csv",
        lambda ls: [
            ls[0],
            ls[1].replace(",12000,", ',"12,5k",'),
            ls[2].replace("2026-08-20", "20/08/2026"),
            *ls[3:],
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result)[:2] == [
        f'error: {drop}/deals.csv, row 2, column amount: "12,5k" is not a number — write plain '
        "numbers with a dot as decimal separator and no currency sign, e.g. 12500.50",
        f'error: {drop}/deals.csv, row 3, column closed_at: "20/08/2026" is not a date or '
        "timestamp — use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z",
    ]


def test_unparseable_touch_timestamp(drop: Path) -> None:
    edit(
        drop / "touches.csv",
        lambda ls: [ls[0], ls[1].replace("2026-07-01T10:00:00Z", "soon"), *ls[2:]],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result)[0] == (
        f"error: {drop}/touches.csv, row 2, column occurred_at: row cannot be read: "
        "'soon' — occurred_at is not a date or "
        "timestamp — use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z"
    )


def test_duplicate_deal(drop: Path) -> None:
    edit(drop / "deals.csv", lambda ls: [*ls, ls[2]])
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result)[:2] == [
        f'error: {drop}/deals.csv, row 3, column deal_id: "D2" appears more than once in this '
        "file — each deal must appear once per drop; remove the duplicate rows",
        f'error: {drop}/deals.csv, row 6, column deal_id: "D2" appears more than once in this '
        "file — each deal must appear once per drop; remove the duplicate rows",
    ]


def test_closed_before_created_and_negative_amount(drop: Path) -> None:
    edit(
        drop / "deals.csv",
        lambda ls: [
            ls[0],
            ls[1].replace("2026-08-08", "2026-06-30"),
            ls[2].replace(",5000,", ",-5000,"),
            *ls[3:],
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    # A close before the creation is kept with a warning (deals imported from an older
    # system); a negative amount stays an error.
    assert problems(result)[:2] == [
        f'error: {drop}/deals.csv, row 3, column amount: "-5000" is negative — amounts are deal '
        "values; record refunds or churn as lost deals, not negative amounts",
        f"warning: {drop}/deals.csv: 1 deal(s) closed before they were created (often deals "
        "imported from an older system): they are kept, their journeys run back from the close "
        "date, and they are left out of cycle-time figures: D1 — fix the dates in the CRM if "
        "they are wrong, or ignore",
    ]


def test_unknown_currency_and_missing_rate(drop: Path) -> None:
    edit(
        drop / "deals.csv",
        lambda ls: [
            ls[0],
            ls[1].replace(",EUR,", ",EUX,"),
            ls[2].replace(",EUR,", ",GBP,"),
            *ls[3:],
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result)[:2] == [
        f'error: {drop}/deals.csv, row 2, column currency: "EUX" is not a known currency — use '
        "an ISO 4217 code such as EUR, USD or PLN",
        f'error: {drop}/deals.csv, row 3, column currency: "GBP" has no exchange rate to EUR — '
        "add an fx_rates file (currency, date, rate) with a rate for this currency on or before "
        "the deal's date, or set reporting_currency",
    ]


def test_empty_drop(tmp_path: Path) -> None:
    (tmp_path / "2026-Q3").mkdir()
    result = run("validate", str(tmp_path / "2026-Q3"))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {tmp_path}/2026-Q3: the drop holds no data files — add the quarter's exports "
        "as .csv or .parquet files"
    ]


def test_not_a_quarter_folder(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {tmp_path}: is not a quarter folder and holds none — name quarter folders like "
        "2026-Q3 (year, dash, Q and the quarter number)"
    ]


def test_attribute_refuses_bad_drop_and_writes_nothing(drop: Path, tmp_path: Path) -> None:
    edit(drop / "deals.csv", lambda ls: [ls[0], ls[1].replace(",12000,", ",-1,"), *ls[2:]])
    out = tmp_path / "out"
    result = run("attribute", str(drop), "--out", str(out))
    assert result.exit_code == 1
    assert "Error: 1 error(s), 1 warning(s); nothing was written" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_bad_option_value(drop: Path, tmp_path: Path) -> None:
    result = run("attribute", str(drop), "--out", str(tmp_path), "--currency", "euro")
    assert result.exit_code == 1
    # The folder's mkdocs.yml is read too (the tests run in the repository).
    assert (
        "invalid settings in mkdocs.yml, plugin 'revstory' and the command-line options:"
        in result.output
    )
    assert "String should match pattern '^[A-Z]{3}$' (at reporting_currency)" in result.output
