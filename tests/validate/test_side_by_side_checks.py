"""The small tables' checked copies are made two at a time, each on a cursor (validate.stage).

They must be the copies made one by one on the connection: the same tables, problems and
ledger, and timestamps read in the connection's time zone, a setting of the session that a
cursor does not inherit.
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from revstory.config import AttributionConfig
from revstory.load.discover import connect, load_drops
from revstory.validate import stage
from revstory.validate.checks import Check
from revstory.validate.stage import Drop, validate

Job = tuple[object, object, list[Check]]


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

    def alone(con: duckdb.DuckDBPyConnection, jobs: dict[int, Job]) -> dict[int, str]:
        batches.append(len(jobs))
        return {i: t for i, job in jobs.items() for t in together(con, {i: job}).values()}  # type: ignore[dict-item]

    monkeypatch.setattr(stage, "_checked_copies", alone)
    return batches


def _run(root: Path, zone: str = "UTC") -> Drop:
    con = connect()
    con.execute(f"SET TimeZone = '{zone}'")
    return validate(load_drops([root], con=con), AttributionConfig())


def _snapshot(drop: Drop) -> tuple[object, ...]:
    con = drop.con
    return (
        *(
            con.execute(f"SELECT * FROM {t}").fetchall()  # noqa: S608 - our own table names
            for t in ("content", "deals", "deal_contacts", "performance", "ledger")
        ),
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
