# ruff: noqa: S608 - SQL built from the contracts' own column names and check conditions
"""A check's ``passes`` condition (the touches' one-test fast path) never lets a bad row through.

file_table skips a touch's checks one by one when every check's ``passes`` holds, so each
``passes`` must imply that its check's condition is false, on every kind of awkward cell.
"""

from __future__ import annotations

import itertools
from importlib import resources

import duckdb
import pytest
from revstory.contracts import NATIVE_TABLES, TableSpec
from revstory.validate.checks import _typed, column_checks, placeholder_macro, slug_macros

#: Awkward cells of exports: blanks, padding, placeholders, emails, case, sentinels, NaN.
CELLS = (
    None,
    "",
    " ",
    "   ",
    "\t",
    " view ",
    "View",
    "view",
    "sales_share",
    "null",
    "N/A",
    "-",
    "000000000000000AAA",
    "jan.kowalski@example.com",
    "https://example.com/blog/post?email=a@b.example",
    "post-1",
    " post-1",
    "2026-07-01",
    "2026-07-01T14:30:00Z",
    "9999-12-31",
    "1969-12-31",
    "infinity",
    "12500.50",
    "1e15",
    "NaN",
    "-3",
    "true",
    " yes ",
    "maybe",
)


#: A valid cell of each kind of column (text columns take an allowed value or an id).
GOOD = {
    "timestamp": "2026-07-01",
    "date": "2026-07-01",
    "int": "3",
    "number": "12.5",
    "bool": "true",
}


def _con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    con.execute(placeholder_macro())
    for macro in slug_macros():
        con.execute(macro)
    return con


@pytest.mark.parametrize("spec", NATIVE_TABLES, ids=lambda s: s.name)
def test_passes_implies_the_check_does_not_fire(spec: TableSpec) -> None:
    con = _con()
    names = [c.name for c in spec.columns]
    # Every column takes every awkward cell, one column at a time, the others a valid value;
    # plus rows where two columns are blank together (the one-of groups).
    good = {c.name: GOOD.get(c.kind, c.allowed[0] if c.allowed else "post-1") for c in spec.columns}
    rows = []
    for name in names:
        for cell in CELLS:
            rows.append({n: (cell if n == name else good[n]) for n in names})
    for a, b in itertools.combinations(names, 2):
        for cell in (None, "", " "):
            rows.append({n: (cell if n in (a, b) else good[n]) for n in names})
    cols = ", ".join(f'"{n}" VARCHAR' for n in names)
    con.execute(f"CREATE TABLE raw ({cols})")
    con.executemany(
        f"INSERT INTO raw VALUES ({', '.join('?' for _ in names)})",
        [[r[n] for n in names] for r in rows],
    )
    typed = ", ".join(f"{_typed(c)} AS t_{c.name}" for c in spec.columns)
    con.execute(f"CREATE TABLE typed AS SELECT *, {typed} FROM raw")
    checks = [ch for ch in column_checks(spec, set(names), False) if ch.passes]
    assert checks, f"{spec.name}: no check has a fast condition"
    for ch in checks:
        bad = con.execute(
            f"SELECT count(*) FROM typed WHERE coalesce({ch.passes}, false) "
            f"AND coalesce({ch.condition}, false)"
        ).fetchone()
        assert bad == (0,), f"{spec.name}.{ch.column}: {ch.message} passes {ch.passes}"
    if spec.name == "touches":
        fast = " AND ".join(f"({ch.passes})" for ch in column_checks(spec, set(names), False))
        # canonical.touch_select keeps a fast row's touch type as written: it must be allowed.
        allowed = ", ".join(f"'{t}'" for t in spec.column("touch_type").allowed)
        assert con.execute(
            f"SELECT list(DISTINCT touch_type ORDER BY touch_type) FROM typed WHERE {fast}"
        ).fetchone() == ([t for t in sorted(spec.column("touch_type").allowed) if t in CELLS],)
        assert con.execute(
            f"SELECT count(*) FROM typed WHERE {fast} AND touch_type NOT IN ({allowed})"
        ).fetchone() == (0,)
        # And the fast path is taken for a well-formed touch.
        good = con.execute(
            "SELECT count(*) FROM (SELECT TIMESTAMPTZ '2026-07-01' AS t_occurred_at, "
            "'jan@example.com' AS t_person_id, 'acc-1' AS t_account_id, 'post-1' AS "
            "t_content_id, NULL AS t_url, 'view' AS touch_type, 'view' AS t_touch_type, "
            "NULL AS t_channel, TIMESTAMPTZ '2026-07-01' AS occurred_at) "
            f"WHERE {fast}"
        ).fetchone()
        assert good == (1,)
