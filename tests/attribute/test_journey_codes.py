"""The attribution stage's queries on the journeys' integer codes
(revstory/attribute/journey_codes.py) give the string queries' frames and arrays exactly:
the same rows in the same order, the same columns and dtypes, on hand-made tables, the
sample drop and generated drops in both journey modes."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from revstory import sample as smp
from revstory.attribute.journey_codes import (
    DEAL_TABLES,
    ROW_TABLES,
    TABLES,
    JourneyCodes,
    fetch_frame,
    won_deals,
)
from revstory.attribute.stage import won_touches_sql
from revstory.config import make_config
from revstory.engines.dialect import shared_sql
from revstory.journeys import build_journeys, sql
from revstory.pipeline import check

REPO = Path(__file__).resolve().parents[2]

TOUCH_ORDER = "ORDER BY deal_idx, occurred_at, content_idx, touch_type, person_key"


def string_queries(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The frames and arrays the stage read before the codes (the Spark engine's queries)."""
    stats = f"({sql('deal_touch_stats.sql')})"
    columns = "deal_idx, content_idx, is_conversion, before_created, days_before_close"
    return {
        "deals": con.execute(shared_sql("deal_journeys", "duckdb", touch_stats=stats)).df(),
        "won": con.execute(sql("won_deals.sql")).fetchnumpy(),
        "touches": con.execute(
            f"SELECT {columns} FROM ({won_touches_sql('duckdb')}) {TOUCH_ORDER}"  # noqa: S608
        ).fetchnumpy(),
        "influence": con.execute(sql("influence.sql")).df(),
    }


def coded_queries(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """The same through :class:`JourneyCodes` (and the tables dropped afterwards)."""
    codes = JourneyCodes.build(con)
    try:
        deals = codes.deals()
        out = {
            "deals": deals,
            "won": won_deals(deals),
            "touches": codes.won_touches(),
            "influence": codes.influence(),
        }
    finally:
        codes.close()
    left = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert not left & set(codes.made)
    # The journeys stage's coded rows stay (its journeys view reads them); a journeys table
    # made otherwise is coded, and its codes dropped, here.
    staged = set(ROW_TABLES) <= left
    assert codes.made == (DEAL_TABLES if staged else TABLES)
    return out


def assert_same(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    """Assert both ways give the same figures; return the coded ones."""
    old, new = string_queries(con), coded_queries(con)
    for name in ("deals", "influence"):
        pd.testing.assert_frame_equal(new[name], old[name], check_exact=True)  # type: ignore[arg-type]
    for name in ("won", "touches"):
        a, b = new[name], old[name]
        assert list(a) == list(b), name  # type: ignore[call-overload]
        for col in b:  # type: ignore[attr-defined]
            x, y = np.asarray(a[col]), np.asarray(b[col])  # type: ignore[index]
            # Codes of either integer width (the stage widens them to int64).
            assert x.dtype == y.dtype or x.dtype.kind == y.dtype.kind == "i", (name, col)
            assert x.tolist() == y.tolist(), (name, col)
    return new


def _hand_tables(con: duckdb.DuckDBPyConnection) -> None:
    # D1 (won, Q3) reads b, then a and c at the same instant (ties in time: a sorts first)
    # and b again; D2 (lost, Q3) reads a; D3 (won, Q4) reads c by two people; D4 (open)
    # reads b; D5 (won) reads nothing. Deal ids sort against their quarters (D3 is Q2).
    con.execute(
        "CREATE TABLE content AS SELECT * FROM (VALUES ('b', 'ebook'), ('a', 'article'), "
        "('c', NULL)) t(content_id, content_type)"
    )
    con.execute(
        "CREATE TABLE deals AS SELECT deal_id, 'Acct ' || deal_id AS account_id, "
        "'Name' AS name, nullif(deal_id, 'D2') AS segment, CAST(NULL AS VARCHAR) AS industry, "
        "status, 'new' AS deal_type, "
        "'EUR' AS currency, amount_minor / 100.0 AS amount, amount_minor, "
        "CAST(created_at AS TIMESTAMP) AS created_at, CAST(closed_at AS TIMESTAMP) AS closed_at, "
        "close_date_only, quarter FROM (VALUES "
        "('D1', '2026-Q3', 'won', 1000, '2026-07-01 09:00', '2026-08-01 00:00', true), "
        "('D2', '2026-Q3', 'lost', 2000, '2026-07-01 09:00', '2026-08-02 10:00', false), "
        "('D3', '2026-Q2', 'won', 3000, '2026-05-01 09:00', '2026-05-20 10:30', false), "
        "('D4', '2026-Q3', 'open', 4000, '2026-07-03 09:00', NULL, false), "
        "('D5', '2026-Q3', 'won', 5000, '2026-07-03 09:00', '2026-07-30 00:00', true)) "
        "t(deal_id, quarter, status, amount_minor, created_at, closed_at, close_date_only)"
    )
    con.execute(
        "CREATE TEMP TABLE journeys AS SELECT deal_id, CAST(occurred_at AS TIMESTAMP) AS "
        "occurred_at, content_id, touch_type, channel, CAST(person_key AS UBIGINT) AS "
        "person_key, CAST(NULL AS INTEGER) AS deal_code FROM (VALUES "
        "('D1', '2026-07-01 11:00', 'c', 'view', 'email', 1), "
        "('D1', '2026-07-01 10:00', 'b', 'view', NULL, 1), "
        "('D1', '2026-07-01 11:00', 'a', 'form_submit', 'web', 1), "
        "('D1', '2026-07-02 11:00', 'b', 'download', 'web', 2), "
        "('D2', '2026-07-02 09:00', 'a', 'view', 'web', 2), "
        "('D4', '2026-07-02 09:00', 'b', 'view', 'web', 3), "
        "('D3', '2026-05-02 09:00', 'c', 'view', 'web', 4), "
        "('D3', '2026-05-02 09:00', 'c', 'view', 'web', 5)) "
        "t(deal_id, occurred_at, content_id, touch_type, channel, person_key)"
    )
    _number_deals(con)


def _number_deals(con: duckdb.DuckDBPyConnection) -> None:
    # Deal numbers for deal_windows and the journeys (sql/journeys.sql gives them in no
    # particular order): against the deals' order, which no code may depend on.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE deal_windows AS SELECT deal_id, CAST(row_number() OVER "
        "(ORDER BY quarter DESC, deal_id DESC) - 1 AS INTEGER) AS deal_code FROM deals"
    )
    con.execute(
        "UPDATE journeys SET deal_code = w.deal_code FROM deal_windows w "
        "WHERE journeys.deal_id = w.deal_id"
    )


def test_hand_checked_codes() -> None:
    con = duckdb.connect()
    _hand_tables(con)
    new = assert_same(con)
    # Won deals with a journey in (quarter, deal_id) order: D3 (Q2), then D1 (Q3); D5 has none.
    won = new["won"]
    assert won["deal_id"].tolist() == ["D3", "D1"]  # type: ignore[index]
    assert won["amount_minor"].tolist() == [3000, 1000]  # type: ignore[index]
    touches = new["touches"]
    # D3's two touches, then D1's: b at 10:00, a and c at 11:00 (a first), b the next day.
    assert touches["deal_idx"].tolist() == [0, 0, 1, 1, 1, 1]  # type: ignore[index]
    assert touches["content_idx"].tolist() == [2, 2, 1, 0, 2, 1]  # type: ignore[index]
    assert touches["is_conversion"].tolist() == [False] * 3 + [True, False, True]  # type: ignore[index]
    deals = new["deals"]
    assert deals["deal_id"].tolist() == ["D3", "D1", "D2", "D4", "D5"]  # type: ignore[index]
    assert deals["touches"].tolist() == [2, 4, 1, 1, 0]  # type: ignore[index]
    assert deals["readers"].tolist() == [2, 2, 1, 1, 0]  # type: ignore[index]
    influence = new["influence"]
    # Q3: a (D1 won, D2 lost), b (D1 won, D4 open), c (D1 won); Q2: c (D3 won, twice read).
    assert influence.values.tolist() == [  # type: ignore[attr-defined]
        ["2026-Q2", "c", 3000, 0, 1, 0, 0],
        ["2026-Q3", "a", 1000, 0, 1, 1, 0],
        ["2026-Q3", "b", 1000, 4000, 1, 0, 1],
        ["2026-Q3", "c", 1000, 0, 1, 0, 0],
    ]


def test_a_piece_outside_the_inventory_takes_the_string_query() -> None:
    # Not possible from a validated drop (touches of unknown pieces are dropped), but the
    # codes would merge such pieces: influence counts it by its id, the models skip it.
    con = duckdb.connect()
    _hand_tables(con)
    con.execute(
        "INSERT INTO journeys (deal_id, occurred_at, content_id, touch_type, channel, "
        "person_key) VALUES ('D1', TIMESTAMP '2026-07-03 09:00', 'zz', 'view', 'web', 1), "
        "('D2', TIMESTAMP '2026-07-03 09:00', 'yy', 'view', 'web', 2)"
    )
    _number_deals(con)
    new = assert_same(con)
    influence = new["influence"]
    assert influence["content_id"].tolist() == ["c", "a", "b", "c", "yy", "zz"]  # type: ignore[index]
    # The models read only pieces of the inventory: D1's touch of zz is not among them.
    assert len(new["touches"]["deal_idx"]) == 6  # type: ignore[index]


def test_a_touch_without_a_reader_counts_as_a_touch_not_a_reader() -> None:
    # The readers are counted per (deal, reader) group, then per deal: a NULL reader's group
    # must not count, as count(DISTINCT person_key) does not count it.
    con = duckdb.connect()
    _hand_tables(con)
    con.execute(
        "INSERT INTO journeys (deal_id, occurred_at, content_id, touch_type, channel, "
        "person_key) VALUES ('D4', TIMESTAMP '2026-07-03 09:00', 'a', 'view', 'web', NULL), "
        "('D4', TIMESTAMP '2026-07-04 09:00', 'a', 'view', 'web', NULL)"
    )
    _number_deals(con)
    deals = assert_same(con)["deals"]
    d4 = deals[deals["deal_id"] == "D4"]  # type: ignore[index]
    assert d4[["touches", "readers"]].values.tolist() == [[3, 1]]


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_the_sample_drop(mode: str) -> None:
    config = make_config({"journey_mode": mode})
    journeys = build_journeys(check([REPO / "content"], config), config)
    new = assert_same(journeys.con)
    assert len(new["touches"]["deal_idx"]) > 1000  # type: ignore[index]


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_generated_drops(tmp_path: Path, mode: str) -> None:
    # Three quarters, several hundred deals, ties in time and pieces read by many people.
    smp.write_drops(smp.generate(smp.sizes_for(0.5, quarters=3), 11), tmp_path)
    config = make_config({"journey_mode": mode, "lookback_days": 120})
    journeys = build_journeys(check(sorted(tmp_path.iterdir()), config), config)
    new = assert_same(journeys.con)
    assert len(new["influence"]) > 50  # type: ignore[arg-type]


TYPED = (
    "SELECT * FROM (VALUES (1::BIGINT, NULL::BIGINT, TRUE, NULL::BOOLEAN, 'a', NULL::VARCHAR, "
    "TIMESTAMP '2020-01-01', NULL::TIMESTAMP, 1.5::DOUBLE, NULL::DOUBLE, 3::INTEGER, "
    "4::HUGEINT, DATE '2020-01-01', 1::UBIGINT, NULL::VARCHAR, 'é, \"q\"'), "
    "(2, 5, FALSE, TRUE, 'b', 'x', NULL, TIMESTAMP '2021-01-01', NULL, 2.0, NULL, 5, NULL, "
    "NULL, NULL, '')) t(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p)"
)


@pytest.mark.parametrize("where", ["", " WHERE a = 1", " WHERE false"])
def test_fetch_frame_is_the_frame_df_gives(where: str) -> None:
    # Nullable integers and booleans, text with and without NULLs, a text column of NULLs
    # only (object, not str), no rows at all (every column as numpy gives it).
    con = duckdb.connect()
    query = TYPED + where
    expected = con.execute(query).df()
    got = fetch_frame(con, query)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got["o"].dtype == object
    if where != " WHERE false":
        assert str(got["b"].dtype) == "Int64" and got["e"].dtype == expected["e"].dtype
