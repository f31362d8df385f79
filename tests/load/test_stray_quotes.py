"""A small native file without any double quote skips the stray quotes' query (discover.py).

The query looks for values starting with a quote; a file holding no quote byte has none, and
one holding a quote anywhere, even past the first chunk read, is still queried.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from revstory.load.discover import _holds_quote


def test_a_quote_is_found_wherever_it_is(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"deal_id,name\n" + b"D1,Acme \xc5\x81\xc3\xb3d\xc5\xba\n" * 80_000)
    late = tmp_path / "late.csv"
    late.write_bytes(plain.read_bytes() + b'D2,"Globex\n')
    assert plain.stat().st_size > 1 << 20
    assert not _holds_quote(plain)
    assert _holds_quote(late)


def test_three_quotes_are_found_across_the_chunks(tmp_path: Path) -> None:
    late = tmp_path / "late.csv"
    body = b"deal_id,name\n" + b'D1,"Acme, Inc."\n' * 70_000
    # The three quotes straddle the end of the first chunk read (1 MiB).
    late.write_bytes(body[: (1 << 20) - 1] + b'"""' + body[(1 << 20) - 1 :])
    assert late.stat().st_size > 1 << 20
    assert _holds_quote(late, b'"""')
    assert not _holds_quote(_write(tmp_path, body), b'"""')
    assert _holds_quote(_write(tmp_path, body), b'"')


def _write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "quoted.csv"
    path.write_bytes(data)
    return path


def test_a_quoted_file_is_queried_only_when_a_value_can_start_with_a_quote(
    tmp_path: Path,
) -> None:
    """Quoted fields and doubled quotes inside them: no value starts with a quote, no query."""
    from revstory.contracts import DEALS
    from revstory.load.discover import _sniff_native, _stray_quotes

    class NoQuery:
        def execute(self, *args: object) -> None:
            raise AssertionError("the stray quotes' query ran")

    quoted = _write(tmp_path, b'deal_id,name\nD1,"Acme, Inc."\nD2,"Say ""hi"" there"\n')
    con = duckdb.connect()
    header, source = _sniff_native(con, quoted)
    assert source is not None and "quote='\"', escape='\"'" in source
    assert _stray_quotes(NoQuery(), quoted, DEALS, header, "stage_1", source) == ()  # type: ignore[arg-type]
    # A field opening with a doubled quote is a value starting with one: it is queried.
    (tmp_path / "q").mkdir()
    opening = tmp_path / "q" / "deals.csv"
    opening.write_bytes(b'deal_id,name\nD1,"Acme, Inc."\nD2,"""Hi"" Corp"\n')
    header, source = _sniff_native(con, opening)
    con.execute(
        f"CREATE TABLE stage_2 AS SELECT *, 1 + row_number() OVER () AS _row FROM {source}"  # noqa: S608 - DuckDB's own sniffed call
    )
    (issue,) = _stray_quotes(con, opening, DEALS, header, "stage_2", source)
    assert (issue.row, issue.column) == (3, "name")
    assert issue.message.startswith("'\"Hi\" Corp' starts with a quote")
