"""Deals and contacts are one copy each when nothing is merged or dropped (canonical.py).

When every ranked deal is kept, ``deals_fx`` becomes the ``deals`` table itself (the columns
only the notes read are dropped), and when no contact is twice on one deal the contacts of
those deals, keyed and sorted, are ``deal_contacts`` already. A drop on that path runs
again with every deal taken as possibly dropped, which takes the general path (the copies
and the ranking): the tables, the problems and the ledger must be the same. A drop that
drops a deal takes the general path by itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from revstory.config import AttributionConfig
from revstory.pipeline import check
from revstory.validate import canonical, identity
from revstory.validate.stage import Drop

Snapshot = tuple[object, ...]


@pytest.fixture
def q3(tmp_path: Path, fixtures: Path) -> Path:
    target = tmp_path / "2026-Q3"
    shutil.copytree(fixtures / "drops" / "minimal" / "2026-Q3", target)
    return target


def _objects(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(
        con.execute(
            "SELECT view_name, 'view' FROM duckdb_views() WHERE NOT internal UNION ALL "
            "SELECT table_name, 'table' FROM duckdb_tables()"
        ).fetchall()
    )


def _snapshot(drop: Drop) -> Snapshot:
    con = drop.con
    # deals and deal_contacts are stored sorted (their order is theirs); the ledger's rows
    # are inserted by the threads that rank the deals and the content side by side, in
    # either order, and every reader of the ledger orders it (ledger.summary, Results).
    order = {"deals": "", "deal_contacts": "", "ledger": " ORDER BY ALL"}
    tables = tuple(
        (
            name,
            con.execute(f"DESCRIBE {name}").fetchall(),
            con.execute(f"SELECT * FROM {name}{order[name]}").fetchall(),  # noqa: S608 - our own table names
        )
        for name in order
    )
    return (*tables, drop.issues)


def _deal_objects(m: pytest.MonkeyPatch) -> dict[str, str]:
    """Collect the tables and views of the cursor the deals are built on (its temporary
    ones are its own and go with it), as they are when its last step begins."""
    found: dict[str, str] = {}
    resolve = identity.resolve_people

    def spy(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
        found.update(_objects(con))
        return resolve(con)

    m.setattr(identity, "resolve_people", spy)
    return found


def _validate(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Drop, bool, dict[str, str]]:
    """Validate ``root``: the drop, whether its deals were all kept (the single copy), and the
    names and kinds of its tables and views (the deals' cursor's too)."""
    seen: list[bool] = []
    all_kept = canonical._all_kept

    def spy(con: duckdb.DuckDBPyConnection, kept: str) -> bool:
        seen.append(all_kept(con, kept))
        return seen[-1]

    with monkeypatch.context() as m:
        m.setattr(canonical, "_all_kept", spy)
        objects = _deal_objects(m)
        drop = check([root], AttributionConfig())
    assert len(seen) == 1
    assert objects, "the deals' cursor was not seen"
    return drop, seen[0], {**objects, **_objects(drop.con)}


def _general(root: Path, monkeypatch: pytest.MonkeyPatch) -> Snapshot:
    """Validate ``root`` forced onto the general path (every deal taken as possibly dropped)."""
    with monkeypatch.context() as m:
        m.setattr(canonical, "_all_kept", lambda con, kept: False)
        objects = _deal_objects(m)
        general = check([root], AttributionConfig())
    assert "dc_ranked" in {**objects, **_objects(general.con)}
    return _snapshot(general)


def test_clean_drop_takes_one_copy_and_matches_the_general_path(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop, single, objects = _validate(q3, monkeypatch)
    assert single
    assert objects["deals_ranked"] == "view"
    assert "dc_ranked" not in objects
    assert "deals_fx" not in objects
    assert _snapshot(drop) == _general(q3, monkeypatch)
    assert drop.con.execute("SELECT deal_id, amount_minor FROM deals").fetchall() == [
        ("D1", 1200000),
        ("D2", 500000),
        ("D3", 270000),
        ("D4", 800000),
    ]


def test_contact_in_two_drops_is_ranked_from_the_one_copy(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # D4, open in Q2 with carol as Evaluator, is in Q3's drop again (carol now Champion):
    # the later drop's deal and contact are kept, the earlier copies merged.
    q2 = q3.parent / "2026-Q2"
    q2.mkdir()
    for name in ("content.csv", "touches.csv", "fx_rates.csv"):
        shutil.copy(q3 / name, q2 / name)
    (q2 / "deals.csv").write_text(
        "deal_id,account_id,name,amount,currency,created_at,closed_at,status,deal_type,segment\n"
        "D4,ACC4,Umbrella Energy,7000,EUR,2026-05-01T09:00:00Z,,open,expansion,Mid-market\n"
    )
    (q2 / "deal_contacts.csv").write_text(
        "deal_id,person_id,role,is_primary\nD4,carol@umbrella.example,Evaluator,\n"
    )
    drop, single, objects = _validate(q3.parent, monkeypatch)
    assert single
    assert objects["deals_ranked"] == "table"
    assert "dc_ranked" in objects
    assert _snapshot(drop) == _general(q3.parent, monkeypatch)
    con = drop.con
    assert con.execute(
        "SELECT deal_id, role, is_primary, _file FROM deal_contacts WHERE deal_id = 'D4'"
    ).fetchall() == [("D4", "Champion", True, f"{q3}/deal_contacts.csv")]
    assert con.execute(
        "SELECT file, reason, rows FROM ledger WHERE outcome = 'merged' "
        "AND table_name IN ('deals', 'deal_contacts') ORDER BY 1"
    ).fetchall() == [
        (f"{q2}/deal_contacts.csv", "same contact on the same deal", 1),
        (f"{q2}/deals.csv", "deal updated in a later drop or file", 1),
    ]


def test_a_dropped_deal_takes_the_general_path(q3: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # D2 in GBP has no rate: it is dropped, and its contact with it.
    deals = q3 / "deals.csv"
    deals.write_text(deals.read_text().replace(",5000,EUR,", ",5000,GBP,"))
    drop, single, objects = _validate(q3, monkeypatch)
    assert not single
    assert "dc_ranked" in objects
    con = drop.con
    assert [d for (d,) in con.execute("SELECT deal_id FROM deals").fetchall()] == [
        "D1",
        "D3",
        "D4",
    ]
    assert [
        d
        for (d,) in con.execute("SELECT DISTINCT deal_id FROM deal_contacts ORDER BY 1").fetchall()
    ] == [
        "D1",
        "D3",
        "D4",
    ]
    assert [i.message for i in drop.errors] == ['"GBP" has no exchange rate to EUR']


def test_an_amount_out_of_range_once_converted_is_an_error_not_an_overflow(
    q3: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 90,000,000,000,000 units at a rate of a million: 9 × 10^21 minor units would overflow
    # the 64-bit integers (and the DECIMAL product) if deals_fx computed them for this deal.
    deals = q3 / "deals.csv"
    deals.write_text(deals.read_text().replace(",3000,USD,", ",90000000000000,USD,"))
    (q3 / "fx_rates.csv").write_text("currency,date,rate\nUSD,2026-07-01,1000000\n")
    drop, single, _ = _validate(q3, monkeypatch)
    assert not single
    assert [(str(i.row), i.column, i.message) for i in drop.errors] == [
        (
            "4",
            "amount",
            '"90000000000000.0 USD" is out of range once converted to EUR: money must stay '
            "below 100,000,000,000,000 (minor units are 64-bit integers)",
        )
    ]
