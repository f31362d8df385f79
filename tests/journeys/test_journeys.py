"""The journeys stage works in its own connection: the frozen drop's gets no new table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from revstory.config import make_config
from revstory.engines.dialect import shared_sql
from revstory.journeys import CarriedTouches, build_journeys, journey_detail
from revstory.pipeline import check

REPO = Path(__file__).resolve().parents[2]


def _tables(con: object) -> set[str]:
    """The tables and views of ``con``."""
    query = "SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()"
    return {r[0] for r in con.execute(query).fetchall()}  # type: ignore[attr-defined]


def test_journeys_live_in_the_stages_own_cursor(fixtures: Path) -> None:
    config = make_config({})
    drop = check([fixtures / "drops" / "minimal"], config)
    before = _tables(drop.con)
    journeys = build_journeys(drop, config)
    assert _tables(drop.con) == before and "journeys" not in before
    assert "journeys" in _tables(journeys.con)
    detail = journey_detail(journeys)
    # D1's five touches in its window (the touch after the close does not count) and D2's
    # one (lost); D4 is open and D3 untouched.
    assert detail[["deal_id", "content_id", "reader"]].values.tolist() == [
        ["D1", "a", 1],
        ["D1", "b", 1],
        ["D1", "c", 1],
        ["D1", "d", 1],
        ["D1", "e", 1],
        ["D2", "a", 1],
    ]
    assert "person_key" not in detail.columns


@pytest.mark.parametrize(
    ("mode", "page_added"), [("contact", False), ("account", False), ("contact", True)]
)
def test_the_coded_journeys_read_as_the_matched_rows(mode: str, page_added: bool) -> None:
    """The journeys are held as codes; their view gives sql/journeys_match.sql's rows.

    On the sample drop, with a touch carried from a deleted quarter (its reader one of a
    deal's contacts, inside the deal's window). ``page_added``: a page the analytics added
    to the inventory after the touches were coded, its id first in content_id order, so the
    touches' ENUM numbers are no longer the inventory's (the pieces are then joined by id).
    """
    config = make_config({"journey_mode": mode})
    drop = check([REPO / "content"], config)
    row = drop.con.execute(
        "SELECT d.account_id, c.person_key, d.created_at, "
        "(SELECT min(content_id) FROM content) FROM deals d "
        "JOIN deal_contacts c USING (deal_id) WHERE d.closed_at > d.created_at "
        "ORDER BY d.deal_id, c.person_key LIMIT 1"
    ).fetchone()
    assert row is not None
    account, key, created, piece = row
    if page_added:
        drop.con.execute(
            "INSERT INTO content (content_id, url, url_key, title, content_type) "
            "VALUES ('0-first-page', '/0-first-page', '/0-first-page', 'A page', 'page')"
        )
    carried = CarriedTouches(
        touches=pd.DataFrame(
            {
                "occurred_at": [pd.Timestamp(created)],
                "person_key": [key],
                "account_id": [account],
                "content_id": [piece],
                "touch_type": ["view"],
                "channel": ["from-a-snapshot"],
            }
        ),
        identities=pd.DataFrame({"alias_key": [key], "person_key": [key]}),
    )
    journeys = build_journeys(drop, config, carried)
    columns = "deal_id, occurred_at, content_id, touch_type, channel, person_key, deal_code"
    match = shared_sql("journeys_match", "duckdb", account_mode=mode == "account")
    viewed = journeys.con.execute(f"SELECT {columns} FROM journeys ORDER BY ALL").fetchall()  # noqa: S608 - our own columns
    matched = journeys.con.execute(f"SELECT {columns} FROM ({match}) ORDER BY ALL").fetchall()  # noqa: S608 - our own query
    assert viewed == matched
    assert len(viewed) > 1000
    assert sum(r[4] == "from-a-snapshot" and r[2] == piece for r in viewed) >= 1
