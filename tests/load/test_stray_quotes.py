"""A small native file without any double quote skips the stray quotes' query (discover.py).

The query looks for values starting with a quote; a file holding no quote byte has none, and
one holding a quote anywhere, even past the first chunk read, is still queried.
"""

from __future__ import annotations

from pathlib import Path

from revstory.load.discover import _holds_quote


def test_a_quote_is_found_wherever_it_is(tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"deal_id,name\n" + b"D1,Acme \xc5\x81\xc3\xb3d\xc5\xba\n" * 80_000)
    late = tmp_path / "late.csv"
    late.write_bytes(plain.read_bytes() + b'D2,"Globex\n')
    assert plain.stat().st_size > 1 << 20
    assert not _holds_quote(plain)
    assert _holds_quote(late)
