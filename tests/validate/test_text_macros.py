"""clean_text and person_key: a value pays for the padding tests only when it holds a space.

The macros were rewritten for speed (one contains() before starts_with/ends_with); these pin
them to the rule they had before, on the values where a shortcut could go wrong: padding with
ASCII and Unicode spaces, blanks, NULL, spaces inside a value.
"""

from importlib import resources

import duckdb
import pytest

#: The rule as it was written before the shortcut: the specification the macros must keep.
CLEAN_RULE = (
    "CASE WHEN x = '' THEN NULL "
    "WHEN starts_with(x, ' ') OR ends_with(x, ' ') THEN NULLIF(trim(x), '') ELSE x END"
)
PERSON_RULE = (
    "hash(lower(CASE WHEN starts_with(x, ' ') OR ends_with(x, ' ') THEN trim(x) ELSE x END))"
)

VALUES = [
    None,
    "",
    " ",
    "   ",
    "view",
    " view",
    "view ",
    "  view  ",
    "organic search",
    " organic search ",
    "a\u00a0b",  # no-break space inside: no ASCII space, kept as written
    "ab\u00a0",  # trailing no-break space, no ASCII space: kept (trim would take it)
    "a b\u00a0",  # a space inside and a trailing no-break space: kept as written
    "\u00a0a b",
    " a b\u00a0",  # ASCII-padded: trimmed, the no-break space with it
    "\u3000 a",
    "a\tb ",
    "\t",
    "Jo.Doe@Globex.Example",
    " Jo.Doe@Globex.Example ",
]


@pytest.fixture(scope="module")
def con() -> duckdb.DuckDBPyConnection:
    c = duckdb.connect()
    c.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    c.execute("CREATE TABLE v (i INTEGER, x VARCHAR)")
    c.executemany("INSERT INTO v VALUES (?, ?)", list(enumerate(VALUES)))
    return c


def test_clean_text_keeps_its_rule(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(f"SELECT i, clean_text(x), {CLEAN_RULE} FROM v ORDER BY i").fetchall()  # noqa: S608 - the module's own constant
    assert [r[1] for r in rows] == [r[2] for r in rows]
    got = dict((i, v) for i, v, _ in rows)
    assert got[VALUES.index("")] is None
    assert got[VALUES.index("   ")] is None
    assert got[VALUES.index("  view  ")] == "view"
    assert got[VALUES.index("organic search")] == "organic search"
    assert got[VALUES.index("ab\u00a0")] == "ab\u00a0"
    assert got[VALUES.index(" a b\u00a0")] == "a b"


def test_person_key_keeps_its_rule(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute(f"SELECT person_key(x), {PERSON_RULE} FROM v ORDER BY i").fetchall()  # noqa: S608 - the module's own constant
    assert [r[0] for r in rows] == [r[1] for r in rows]
    ((same,),) = con.execute(
        "SELECT person_key(' Jo.Doe@Globex.Example ') = person_key('jo.doe@globex.example')"
    ).fetchall()
    assert same
