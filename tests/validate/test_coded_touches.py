"""The checked touches name their piece and touch type by ENUMs (validate/canonical.py's
code_types) that sort as their text does, so every query ordering by them (journey order,
ties broken by piece and touch type) gives the order it gave on text."""

from __future__ import annotations

from pathlib import Path

from revstory.config import make_config
from revstory.contracts import TOUCHES
from revstory.pipeline import check

REPO = Path(__file__).resolve().parents[2]


def test_the_pieces_and_touch_types_are_enums_in_text_order() -> None:
    drop = check([REPO / "content"], make_config({}))
    con = drop.con
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE touches)").fetchall())
    assert types["content_id"].startswith("ENUM(")
    assert types["touch_type"].startswith("ENUM(")
    assert types["channel"] == "VARCHAR"
    pieces = [r[0] for r in con.execute("SELECT content_id FROM content").fetchall()]
    ((book,),) = con.execute("SELECT enum_range(NULL::piece_id)").fetchall()
    assert book == sorted(pieces) and len(book) == 40
    ((kinds,),) = con.execute("SELECT enum_range(NULL::touch_kind)").fetchall()
    assert kinds == sorted(TOUCHES.column("touch_type").allowed)
    # Sorted by the ENUMs, the touches come in the order their text gives.
    coded, text = con.execute(
        "SELECT list(content_id::VARCHAR || touch_type::VARCHAR ORDER BY content_id, "
        "touch_type, occurred_at, person_key), list(content_id::VARCHAR || "
        "touch_type::VARCHAR ORDER BY content_id::VARCHAR, touch_type::VARCHAR, occurred_at, "
        "person_key) FROM touches"
    ).fetchone()  # type: ignore[misc]
    assert coded == text and len(coded) > 1000


def test_a_failed_rows_touch_type_is_left_out(tmp_path: Path, fixtures: Path) -> None:
    """A touch type no ENUM holds fails its check; the row is counted, not cast."""
    drop = tmp_path / "2026-Q3"
    drop.mkdir()
    for f in (fixtures / "drops" / "minimal" / "2026-Q3").iterdir():
        (drop / f.name).write_bytes(f.read_bytes())
    touches = drop / "touches.csv"
    touches.write_text(
        touches.read_text() + "2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,clicked,email\n"
    )
    checked = check([drop], make_config({}))
    rows = checked.con.execute(
        "SELECT _reason, touch_type FROM touches_checked WHERE _reason IS NOT NULL"
    ).fetchall()
    assert rows == [(6, None)]
