"""The small tables' checked copies are made two at a time, each on a cursor (validate.stage).

They must be the copies made one by one on the connection: the same tables, problems and
ledger, and timestamps read in the connection's time zone, a setting of the session that a
cursor does not inherit.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from revstory.config import AttributionConfig
from revstory.contracts import TOUCHES, TableSpec
from revstory.load.discover import StagedFile, connect, load_drops
from revstory.validate import stage
from revstory.validate.checks import Check
from revstory.validate.stage import Drop, validate

Job = tuple[object, object, list[Check]]
Tables = dict[int, str]


@pytest.fixture
def q3(tmp_path: Path, fixtures: Path) -> Path:
    target = tmp_path / "2026-Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", target)
    deals = target / "deals.csv"
    # A negative amount and an unknown currency (errors quoting their cells), a naive time.
    deals.write_text(
        deals.read_text()
        .replace(",5000,EUR,", ",-5000,EUR,")
        .replace(",3000,USD,", ",3000,EUX,")
        .replace("2026-07-20T09:00:00Z", "2026-07-20 09:00:00")
    )
    contacts = target / "deal_contacts.csv"
    contacts.write_text(
        contacts.read_text() + "D1,,Champion,true\nD2,zoe@globex.example,Evaluator,maybe\n"
    )
    return target


def _one_by_one(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make stage make each copy alone, on the connection; returns the sizes of the batches."""
    together = stage._checked_copies
    batches: list[int] = []

    def alone(
        con: duckdb.DuckDBPyConnection, jobs: dict[int, Job], meanwhile: Callable[[], Tables]
    ) -> Tables:
        batches.append(len(jobs))
        one = {i: t for i, job in jobs.items() for t in together(con, {i: job}, dict).values()}  # type: ignore[dict-item]
        return one | meanwhile()

    monkeypatch.setattr(stage, "_checked_copies", alone)
    return batches


def _run(root: Path, zone: str = "UTC") -> Drop:
    con = connect()
    con.execute(f"SET TimeZone = '{zone}'")
    return validate(load_drops([root], con=con), AttributionConfig())


def _snapshot(drop: Drop) -> tuple[object, ...]:
    con = drop.con
    # The ledger's rows may be inserted by two threads in either order (the deals' and the
    # content's rankings run side by side); every reader of the ledger orders it.
    return (
        *(
            con.execute(f"SELECT * FROM {t}").fetchall()  # noqa: S608 - our own table names
            for t in ("content", "deals", "deal_contacts", "performance")
        ),
        con.execute("SELECT * FROM ledger ORDER BY ALL").fetchall(),
        drop.issues,
    )


def test_side_by_side_copies_equal_the_copies_one_by_one(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    side_by_side = _run(q3)
    batches = _one_by_one(monkeypatch)
    assert _snapshot(side_by_side) == _snapshot(_run(q3))
    assert batches == [5]  # content, contacts, deals, fx rates, performance; not the touches
    assert [(i.row, i.column, i.message) for i in side_by_side.errors] == [
        (6, "person_id", "is empty"),
        (7, "is_primary", '"maybe" is not true or false'),
        (3, "amount", '"-5000" is negative'),
        (4, "currency", '"EUX" is not a known currency'),
    ]


def test_side_by_side_copies_read_times_in_the_connections_zone(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 09:00 in New York is 13:00 UTC; a cursor left in the machine's zone would read it so
    # only where that zone is New York's.
    created = "SELECT created_at FROM deals WHERE deal_id = 'D1'"
    side_by_side = _run(q3, "America/New_York").con.execute(created).fetchall()
    _one_by_one(monkeypatch)
    assert side_by_side == _run(q3, "America/New_York").con.execute(created).fetchall()
    assert side_by_side == [(datetime(2026, 7, 20, 13, 0),)]


def test_the_touch_files_views_are_made_while_the_copies_are(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The touches' checked views are the connection's, made while the cursors copy."""
    events: list[str] = []
    copies, table = stage._checked_copies, stage.file_table

    def watched_copies(
        con: duckdb.DuckDBPyConnection, jobs: dict[int, Job], meanwhile: Callable[[], Tables]
    ) -> Tables:
        events.append("copies start")
        made = copies(con, jobs, meanwhile)  # type: ignore[arg-type]
        events.append("copies end")
        return made

    def watched_table(
        con: duckdb.DuckDBPyConnection, f: StagedFile, spec: TableSpec, *rest: Any, **kw: Any
    ) -> str:
        if spec is TOUCHES:
            events.append("touches view")
        return table(con, f, spec, *rest, **kw)

    monkeypatch.setattr(stage, "_checked_copies", watched_copies)
    monkeypatch.setattr(stage, "file_table", watched_table)
    drop = _run(q3)
    assert events == ["copies start", "touches view", "copies end"]
    temporary = drop.con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND view_name LIKE 'stage_%_t'"
    ).fetchall()
    assert temporary == []  # dropped with the staged copies once the touches are built
    assert drop.con.execute("SELECT count(*) FROM touches").fetchone()[0] > 0  # type: ignore[index]


def test_a_small_tables_staged_copy_is_dropped_once_checked(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the checked copies are left when the canonical tables are built (the touches')."""
    from revstory.validate import canonical

    seen: dict[str, set[str]] = {}
    build = canonical.build_canonical

    def watched(con: duckdb.DuckDBPyConnection, *rest: Any, **kw: Any) -> Any:
        seen["tables"] = {
            n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        }
        seen["views"] = {
            n for (n,) in con.execute("SELECT view_name FROM duckdb_views()").fetchall()
        }
        return build(con, *rest, **kw)

    monkeypatch.setattr(stage, "build_canonical", watched)
    staged = load_drops([q3])
    small = [f.stage for f in staged.files if f.table != "touches"]
    assert len(small) == 5
    validate(staged, AttributionConfig())
    assert not seen["tables"] & set(small), "a staged copy outlived its checked copy"
    assert not seen["views"] & {f"{s}_p" for s in small}
    assert {f"{s}_t" for s in small} <= seen["tables"]
