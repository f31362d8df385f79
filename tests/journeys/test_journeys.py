"""The journeys stage works in its own connection: the frozen drop's gets no new table."""

from __future__ import annotations

from pathlib import Path

from revstory.config import make_config
from revstory.journeys import build_journeys, journey_detail
from revstory.pipeline import check


def _tables(con: object) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}  # type: ignore[attr-defined]


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
