"""The checked touches name their piece and touch type by ENUMs (validate/canonical.py's
code_types) that sort as their text does, so every query ordering by them (journey order,
ties broken by piece and touch type) gives the order it gave on text."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb
from revstory.config import make_config
from revstory.contracts import TOUCHES
from revstory.pipeline import check
from revstory.validate.canonical import code_types
from revstory.validate.checks import fill_content_slugs, placeholder_macro, slug_macros

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


def _minimal_with(tmp_path: Path, fixtures: Path, touch_rows: str) -> Path:
    """A copy of the minimal drop's quarter with ``touch_rows`` added to its touches."""
    drop = tmp_path / "2026-Q3"
    drop.mkdir()
    for f in (fixtures / "drops" / "minimal" / "2026-Q3").iterdir():
        (drop / f.name).write_bytes(f.read_bytes())
    touches = drop / "touches.csv"
    touches.write_text(touches.read_text() + touch_rows)
    return drop


def test_a_failed_rows_touch_type_is_left_out(tmp_path: Path, fixtures: Path) -> None:
    """A touch type no ENUM holds fails its check; the row is counted, not cast."""
    drop = _minimal_with(
        tmp_path, fixtures, "2026-07-07T10:00:00Z,alice@acme.example,ACC1,a,clicked,email\n"
    )
    checked = check([drop], make_config({}))
    rows = checked.con.execute(
        "SELECT _reason, touch_type FROM touches_checked WHERE _reason IS NOT NULL"
    ).fetchall()
    assert rows == [(6, None)]


def test_a_touch_finds_its_piece_by_the_id_as_written_and_by_its_slug(
    tmp_path: Path, fixtures: Path
) -> None:
    """Ids as the inventory writes them are found through the pieces' ENUM; an id written
    otherwise (padded) goes through its slug to the same piece; an id of no piece is unknown."""
    drop = _minimal_with(
        tmp_path,
        fixtures,
        '2026-07-07T10:00:00Z,alice@acme.example,ACC1," b ",view,email\n'
        "2026-07-08T10:00:00Z,alice@acme.example,ACC1,zz,view,email\n",
    )
    checked = check([drop], make_config({}))
    rows = checked.con.execute(
        "SELECT CAST(occurred_at AS DATE)::VARCHAR, content_id::VARCHAR, _unknown "
        "FROM touches_checked WHERE occurred_at >= '2026-07-06' AND occurred_at < '2026-07-09' "
        "ORDER BY occurred_at"
    ).fetchall()
    assert rows == [
        ("2026-07-06", "b", None),
        ("2026-07-07", "b", None),
        ("2026-07-08", None, "zz"),
    ]


def _inventory(ids: list[str]) -> duckdb.DuckDBPyConnection:
    """A connection with the validate stage's macros, ``content`` of ``ids`` and its ENUM."""
    con = duckdb.connect()
    con.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    con.execute(placeholder_macro())
    for macro in slug_macros():
        con.execute(macro)
    con.execute("CREATE TABLE content (content_id VARCHAR)")
    con.executemany("INSERT INTO content VALUES (?)", [[i] for i in ids])
    code_types(con)
    con.execute("CREATE TEMP TABLE s_cid (raw VARCHAR, slug VARCHAR, matched VARCHAR)")
    return con


def test_the_map_of_ids_is_skipped_only_when_every_piece_is_its_own_slug() -> None:
    """fill_content_slugs: an inventory of slugs needs no map (the ENUM finds each id); one
    whose ids are not their own slugs keeps the map, and the ENUM finds nothing by itself."""
    own = _inventory(["a", "b-2", "Guide.v2"])
    fill_content_slugs(own, "s")
    assert own.execute("SELECT count(*) FROM s_cid").fetchone() == (0,)
    assert own.execute("SELECT s_piece('b-2')::VARCHAR, s_piece('B-2')").fetchone() == (
        "b-2",
        None,
    )
    other = _inventory(["a", "Blog Post"])  # not a slug: its touches' ids go through the map
    fill_content_slugs(other, "s")
    assert other.execute(
        "SELECT raw, slug, matched::VARCHAR FROM s_cid ORDER BY raw"
    ).fetchall() == [("Blog Post", "blog-post", None), ("a", "a", "a")]
    assert other.execute("SELECT s_piece('a')").fetchone() == (None,)


def test_person_journeys_store_no_account_ids_account_journeys_do() -> None:
    """The checked touches keep the account ids only for account journeys; the touches view
    has the column either way (NULL for person journeys)."""
    person = check([REPO / "content"], make_config({})).con
    stored = "SELECT column_name FROM duckdb_columns() WHERE table_name = 'touches_checked'"
    assert "account_id" not in {c for (c,) in person.execute(stored).fetchall()}
    assert person.execute("SELECT count(*), count(account_id) FROM touches").fetchone() == (
        person.execute("SELECT count(*) FROM touches").fetchone()[0],
        0,
    )  # type: ignore[index]
    accounts = check([REPO / "content"], make_config({"journey_mode": "account"})).con
    assert "account_id" in {c for (c,) in accounts.execute(stored).fetchall()}
    ((named,),) = accounts.execute("SELECT count(account_id) FROM touches").fetchall()
    assert named > 1000
