"""Every row-level problem of a native touches file names its row, like the deals file's
(issue 9): the fast CSV path keeps no row numbers, so a file with a problem row is read
again in file order, and only then. Lines are DuckDB's: the record's line, header = 1."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from revstory.cli import main

ALLOWED = "use one of view, form_submit, download, email_click, webinar_attended, video_view, "
ALLOWED += "sales_share"
UNKNOWN = "is not in the content inventory — add the pieces to the content file, or check the "
UNKNOWN += "ids/URLs match"
UNREADABLE = (
    "occurred_at is not a date or timestamp — use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z"
)


@pytest.fixture
def drop(tmp_path: Path, fixtures: Path) -> Path:
    target = tmp_path / "2026-Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", target)
    return target


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def problems(result: Result) -> list[str]:
    return [ln for ln in result.output.splitlines() if ln.startswith(("error:", "warning:"))]


def add_rows(drop: Path, rows: list[str]) -> Path:
    touches = drop / "touches.csv"
    touches.write_text(touches.read_text() + "".join(r + "\n" for r in rows))
    return touches


def test_values_and_unknown_content_name_their_rows(drop: Path) -> None:
    # The minimal touches file has 9 data rows (lines 2-10; line 10 names the unknown "zzz").
    t = add_rows(
        drop,
        [
            "2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,clicked,email",  # line 11
            "2026-07-08T10:00:00Z,alice@acme.example,ACC1,zzz,view,email",  # line 12
            "2026-07-09T10:00:00Z,alice@acme.example,ACC1,b,Clicked,email",  # line 13
            "2026-07-10T10:00:00Z,alice@acme.example,ACC1,nope,view,email",  # line 14
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result) == [
        f'error: {t}, row 11, column touch_type: "clicked" is not an allowed value — {ALLOWED}',
        f'error: {t}, row 13, column touch_type: "Clicked" is not an allowed value — {ALLOWED}',
        f'warning: {t}, row 10, column content_id: "zzz" {UNKNOWN}',
        f'warning: {t}, row 12, column content_id: "zzz" {UNKNOWN}',
        f'warning: {t}, row 14, column content_id: "nope" {UNKNOWN}',
    ]
    assert result.output.splitlines()[-1] == "6 file(s), 2 error(s), 3 warning(s)"


def test_rows_after_unreadable_lines_keep_their_line(drop: Path) -> None:
    """DuckDB leaves unreadable lines out of the table it reads: the rows after them are
    numbered past them (two in a row here), not shifted up."""
    t = add_rows(
        drop,
        [
            "yesterday,alice@acme.example,ACC1,a,view,email",  # line 11
            "2026-13-01,alice@acme.example,ACC1,a,view,email",  # line 12
            "2026-13-02,alice@acme.example,ACC1,a,view,email",  # line 13
            "2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,clicked,email",  # line 14
            "2026-07-12T10:00:00Z,alice@acme.example,ACC1,nope,view,email",  # line 15
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {t}, row 11, column occurred_at: row cannot be read: 'yesterday' — {UNREADABLE}",
        f"error: {t}, row 12, column occurred_at: row cannot be read: '2026-13-01' — {UNREADABLE}",
        f"error: {t}, row 13, column occurred_at: row cannot be read: '2026-13-02' — {UNREADABLE}",
        f'error: {t}, row 14, column touch_type: "clicked" is not an allowed value — {ALLOWED}',
        f'warning: {t}, row 10, column content_id: "zzz" {UNKNOWN}',
        f'warning: {t}, row 15, column content_id: "nope" {UNKNOWN}',
    ]


def test_figures_are_those_of_the_file_read_once(drop: Path, tmp_path: Path) -> None:
    """Reading a file again for its row numbers keeps each touch once: the touches that
    remain give the same attribution as the clean file."""
    clean = tmp_path / "clean"
    assert run("attribute", str(drop), "--out", str(clean)).exit_code == 0
    add_rows(drop, ["2026-07-07T10:00:00Z,alice@acme.example,ACC1,nope,view,email"])
    again = tmp_path / "again"
    assert run("attribute", str(drop), "--out", str(again)).exit_code == 0
    for name in ("attribution.csv", "influence.csv", "summary.json"):
        assert (again / name).read_bytes() == (clean / name).read_bytes(), name
    ledger = (again / "ledger.csv").read_text().splitlines()
    assert [r for r in ledger if "touches.csv" in r] == [
        f"{drop}/touches.csv,native,touches,2026-Q3,10,8,0,2,unknown content: 2"
    ]


def test_a_clean_file_is_read_once(drop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second reading is for files with a problem row only: a clean run never pays it."""
    import revstory.validate.canonical as canonical

    def refuse(*_: object) -> None:
        raise AssertionError("a clean touches file was read a second time")

    monkeypatch.setattr(canonical, "number_touch_rows", refuse)
    lines = (drop / "touches.csv").read_text().splitlines()
    (drop / "touches.csv").write_text("\n".join(ln for ln in lines if ",zzz," not in ln) + "\n")
    result = run("validate", str(drop))
    assert result.exit_code == 0, result.output
    assert problems(result) == []


def test_the_numbered_copy_is_freed_after_validation(drop: Path) -> None:
    from revstory.config import AttributionConfig
    from revstory.pipeline import check

    add_rows(drop, ["2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,clicked,email"])
    checked = check([drop], AttributionConfig())
    assert [i.row for i in checked.issues if i.file.endswith("touches.csv")] == [11, 10]
    names = checked.con.execute(
        "SELECT table_name FROM duckdb_tables() UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE NOT internal"
    ).fetchall()
    assert sorted(n for (n,) in names if n.startswith("stage_")) == ["stage_6_rejects"]


def test_many_unknown_pieces_are_summed_up_without_a_second_reading(
    drop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More unknown pieces than are listed one by one (10) are one warning without rows:
    a real export's many unknown pages do not make every run read its touches twice."""
    import revstory.validate.canonical as canonical

    def refuse(*_: object) -> None:
        raise AssertionError("the touches file was read a second time")

    monkeypatch.setattr(canonical, "number_touch_rows", refuse)
    t = add_rows(
        drop,
        [f"2026-07-07T10:00:00Z,alice@acme.example,ACC1,gone-{i},view,email" for i in range(11)],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 0, result.output
    assert problems(result) == [
        f"warning: {t}, column content_id: 12 rows dropped: their content_id is not in the "
        "content inventory (e.g. 'gone-0', 'gone-1', 'gone-10', 'gone-2', 'gone-3') — add the "
        "pieces to the content file, or check the ids/URLs match"
    ]


def test_blank_padded_and_placeholder_cells_are_told_apart(drop: Path) -> None:
    # The emptiness test is a CASE (only cells starting with a blank pay for trim()); these
    # are the cells its three branches see: missing, blanks only, padded, placeholder.
    t = add_rows(
        drop,
        [
            "2026-07-07T10:00:00Z,,ACC1,a,view,email",  # line 11: missing
            "2026-07-07T11:00:00Z,   ,ACC1,a,view,email",  # line 12: blanks only
            "2026-07-07T12:00:00Z, alice@acme.example ,ACC1,a,view,email",  # 13: padded, kept
            "2026-07-07T13:00:00Z,N/A,ACC1,a,view,email",  # line 14: placeholder
            "2026-07-07T14:00:00Z,bob@acme.example,ACC1,a,  ,email",  # line 15
            "2026-07-07T15:00:00Z,bob@acme.example,ACC1, ,view,email",  # line 16
        ],
    )
    result = run("validate", str(drop))
    assert result.exit_code == 1
    person = "every row needs a person_id (pseudonymised at load; emails are fine)"
    assert problems(result) == [
        f"warning: {t}, row 14, column person_id: the value is a placeholder id (such as "
        "000000000000000AAA, null, N/A or -), not a real one; the row is left out — fill the "
        "real person_id in the export, or ignore",
        f"error: {t}, row 11, column person_id: is empty — {person}",
        f"error: {t}, row 12, column person_id: the value is empty — {person}",
        f'error: {t}, row 15, column touch_type: "  " is empty — every row needs a touch_type',
        f"error: {t}, row 16: has no content_id or url — fill content_id or url",
        f'warning: {t}, row 10, column content_id: "zzz" {UNKNOWN}',
    ]


def test_a_native_touch_file_is_read_once_by_validation(drop: Path) -> None:
    """The load stage only looks at a native touches CSV (header, one row); validation reads
    it straight into its checked copy, and the ledger's rows read come from that reading."""
    from revstory.config import AttributionConfig
    from revstory.load.discover import load_drops
    from revstory.validate.stage import validate

    staged = load_drops([drop])
    (touches,) = [f for f in staged.files if f.table == "touches"]
    assert (touches.deferred, touches.rows_read) == (True, 0)
    tables = {n for (n,) in staged.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not {n for n in tables if n.startswith(touches.stage)}, "a staged copy was made"
    checked = validate(staged, AttributionConfig())
    (touches,) = [f for f in checked.files if f.table == "touches"]
    assert touches.rows_read == 9
    rows = checked.con.execute(
        "SELECT outcome, reason, rows FROM ledger WHERE file = ? ORDER BY outcome", [touches.path]
    ).fetchall()
    assert rows == [("dropped", "unknown content", 1), ("kept", "", 8)]


def test_a_header_without_rows_is_the_load_stages_error(drop: Path) -> None:
    t = drop / "touches.csv"
    t.write_text(t.read_text().splitlines()[0] + "\n")
    result = run("validate", str(drop))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {t}: has a header but no data rows — the export is empty: check the report's "
        "filters and date range, then export it again",
        "error: 2026-Q3 drop: no touches file found — add a CSV or Parquet file with the "
        "columns occurred_at, person_id, touch_type",
    ]


def test_a_file_of_unreadable_rows_only_names_each_row(drop: Path) -> None:
    """No row DuckDB can read: the load stage stages the file itself, as before."""
    t = drop / "touches.csv"
    header = t.read_text().splitlines()[0]
    t.write_text(header + "\nsoon,alice@acme.example,ACC1,a,view,email\nlater,bob,ACC2,a,view,\n")
    result = run("validate", str(drop), "--ledger", str(drop.parent / "ledger.csv"))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {t}, row 2, column occurred_at: row cannot be read: 'soon' — {UNREADABLE}",
        f"error: {t}, row 3, column occurred_at: row cannot be read: 'later' — {UNREADABLE}",
    ]
    ledger = (drop.parent / "ledger.csv").read_text().splitlines()
    assert [r for r in ledger if "touches.csv" in r] == [
        f"{t},native,touches,2026-Q3,2,0,0,2,unreadable row: 2"
    ]


def test_a_short_line_past_the_first_block_names_its_row(drop: Path) -> None:
    """Past the rows DuckDB samples for the layout (20,480) a short line fails the strict
    reading: the file is read again with DuckDB's reject tables, and the rows around the
    line keep their figures and their lines."""
    good = "2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,view,email"
    t = add_rows(drop, [good] * 25000 + ["2026-07-07T10:00:00Z,alice@acme.example,ACC1", UNSEEN])
    result = run("validate", str(drop), "--ledger", str(drop.parent / "ledger.csv"))
    assert result.exit_code == 1
    assert problems(result) == [
        f"error: {t}, row 25011: has 3 fields, the header has 6; the row is dropped — every line "
        "needs as many fields as the header",
        f'warning: {t}, row 10, column content_id: "zzz" {UNKNOWN}',
        f'warning: {t}, row 25012, column content_id: "nope" {UNKNOWN}',
    ]
    ledger = (drop.parent / "ledger.csv").read_text().splitlines()
    assert [r for r in ledger if "touches.csv" in r] == [
        f"{t},native,touches,2026-Q3,25011,25008,0,3,unknown content: 2; unreadable row: 1"
    ]


UNSEEN = "2026-07-12T10:00:00Z,alice@acme.example,ACC1,nope,view,email"


def test_rows_read_of_touches_by_a_url_two_pieces_share(drop: Path) -> None:
    """Two pieces with one URL: a touch naming that URL matches both, yet the ledger counts
    the file's rows, not the rows the match made."""
    content = drop / "content.csv"
    content.write_text(
        content.read_text()
        + "a2,https://www.example.com/blog/a/,Piece A again,article,2026-01-11\n"
    )
    t = drop / "touches.csv"
    lines = t.read_text().splitlines()
    urls = {"a": "https://example.com/blog/a", "b": "https://example.com/blog/b/"}
    rows = [ln.split(",") for ln in lines[1:]]
    body = [",".join([*r[:3], urls.get(r[3], r[3]), *r[4:]]) for r in rows]
    t.write_text(
        "\n".join(["occurred_at,person_id,account_id,url,touch_type,channel", *body]) + "\n"
    )
    result = run("validate", str(drop), "--ledger", str(drop.parent / "ledger.csv"))
    ledger = (drop.parent / "ledger.csv").read_text().splitlines()
    assert [r for r in ledger if "touches.csv" in r] == [
        f"{t},native,touches,2026-Q3,9,5,0,4,unknown content: 4"
    ], result.output
