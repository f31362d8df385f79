"""The DuckDB attribution stage's reads of the journeys, on integer codes.

The journeys hold strings (deal and piece ids); the stage's queries over them — the deals'
touch figures (``sql/deal_journeys.sql``), the won deals' touches for the models and the
per-piece influence — used to hash, join and sort those strings each time (at 10M touches,
2.5M journey rows; about 4 CPU s). :class:`JourneyCodes` codes each journey row once
(``sql/journey_codes.sql``: the deal's position in (quarter, deal_id) order, the piece's in
content_id order) and runs the queries on the codes: the same rows, columns and types (the
strings are read back through the code books, which sort as the strings do), proven against
the string queries in ``tests/attribute/test_journey_codes.py``.

The Spark engine keeps the string queries (``revstory/engines/spark.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from revstory.contracts import CONVERSION_TOUCH_TYPES
from revstory.engines.dialect import shared_sql
from revstory.journeys import journey_rows, sql

#: The TEMP tables ``sql/journey_codes.sql`` makes, dropped by :meth:`JourneyCodes.close`.
DEAL_TABLES = ("won_codes", "deal_codes")
#: The TEMP tables of ``sql/journey_rows.sql``: the journeys stage's (the journeys view reads
#: them), or made and dropped here for a ``journeys`` table made otherwise.
ROW_TABLES = ("journey_codes", "content_codes")
TABLES = DEAL_TABLES + ROW_TABLES


@dataclass(frozen=True)
class JourneyCodes:
    """The coded journeys in a connection (TEMP tables; :meth:`close` drops those it made)."""

    con: duckdb.DuckDBPyConnection
    made: tuple[str, ...] = DEAL_TABLES
    """The tables :meth:`build` made, which :meth:`close` drops."""

    @classmethod
    def rows(cls, con: duckdb.DuckDBPyConnection) -> JourneyCodes:
        """Make sure ``con`` holds the journeys' coded rows (``sql/journey_rows.sql``).

        The journeys stage holds them already; a ``journeys`` table made otherwise is
        coded here (:meth:`close` then drops its codes).
        """
        ((coded,),) = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
            ["journey_codes"],
        ).fetchall()
        if coded:
            return cls(con, ())
        con.execute("SET preserve_insertion_order = false")  # unordered: the queries sort
        try:
            con.execute(journey_rows(con, "journeys"))
        finally:
            con.execute("SET preserve_insertion_order = true")
        return cls(con, ROW_TABLES)

    @classmethod
    def build(cls, con: duckdb.DuckDBPyConnection) -> JourneyCodes:
        """Code the journeys of ``con`` (``sql/journey_codes.sql``, after :meth:`rows`)."""
        made = cls.rows(con).made
        # Unordered: every query below sorts what it returns.
        con.execute("SET preserve_insertion_order = false")
        try:
            con.execute(sql("journey_codes.sql"))
        finally:
            con.execute("SET preserve_insertion_order = true")
        return cls(con, DEAL_TABLES + made)

    def close(self) -> None:
        """Drop the tables :meth:`build` made (coded journeys of 10M touches: ~100 MiB)."""
        for table in self.made:
            self.con.execute(f"DROP TABLE IF EXISTS {table}")

    def deals(self) -> pd.DataFrame:
        """Return ``sql/deal_journeys.sql``'s frame: every deal, its journey's figures."""
        stats = f"({sql('deal_touch_codes.sql')})"
        return fetch_frame(self.con, shared_sql("deal_journeys", "duckdb", touch_stats=stats))

    def won_touches(self) -> dict[str, Any]:
        """Return the won deals' touches as ``sql/won_touches.sql`` gives them (numpy).

        deal_idx, content_idx, is_conversion, before_created and days_before_close, in the
        journey key's order (deal_idx, occurred_at, content_idx, touch_type, person_key).
        """
        conv = ", ".join(f"'{t}'" for t in CONVERSION_TOUCH_TYPES)
        query = shared_sql("won_touch_codes", "duckdb", conversion_types=conv)
        return dict(self.con.execute(query).fetchnumpy())

    def influence(self) -> pd.DataFrame:
        """Return ``sql/influence.sql``'s frame: per (quarter, piece) the deals it touched.

        On the codes when every journey touch's piece is in the content inventory (always,
        for a validated drop: unknown pieces are dropped); otherwise the string query.
        """
        row = self.con.execute(
            "SELECT count(*) FROM journey_codes WHERE content_idx IS NULL"
        ).fetchone()
        if row is not None and row[0]:
            return self.con.execute(sql("influence.sql")).df()
        return self.con.execute(sql("influence_codes.sql")).df()


def fetch_frame(con: duckdb.DuckDBPyConnection, query: str) -> pd.DataFrame:
    """Return ``con.execute(query).df()``, the same frame, its text columns through Arrow.

    DuckDB's ``.df()`` makes a Python string of every text value before pandas stores it
    (200k deals × nine text columns: half a CPU second); Arrow hands pandas the text as it
    is, in the same ``str`` dtype. The other columns, and a text column with no value (which
    ``.df()`` gives as ``object``), go through DuckDB's ``.df()`` from the Arrow table, so
    they keep its types: nullable integers and booleans where NULLs are, and so on.
    """
    table = con.sql(query).to_arrow_table()
    text = [
        f.name
        for f in table.schema
        if pa.types.is_string(f.type) and table.column(f.name).null_count < len(table)
    ]
    strings = table.select(text).to_pandas()
    rest = con.from_arrow(table.drop_columns(text)).df()
    return pd.DataFrame({n: strings[n] if n in text else rest[n] for n in table.column_names})


def won_deals(deals: pd.DataFrame) -> dict[str, np.ndarray]:
    """Return ``sql/won_deals.sql``'s columns from :meth:`JourneyCodes.deals`'s frame.

    The won deals with a journey (``touched``: the deal has a journey row), in (quarter,
    deal_id) order, which the frame has already.
    """
    won = deals[(deals["status"] == "won").to_numpy(dtype=bool) & deals["touched"].to_numpy(bool)]
    return {
        "deal_id": won["deal_id"].to_numpy(dtype=object),
        "quarter": won["quarter"].to_numpy(dtype=object),
        "amount_minor": won["amount_minor"].to_numpy(dtype=np.int64),
    }
