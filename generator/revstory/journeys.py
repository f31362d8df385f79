"""Journeys stage: validated drop → every touch that belongs to a deal, in time order.

A touch belongs to a deal when its person is one of the deal's contacts (or, in account
mode, its account is the deal's account) and it happened between ``created_at − lookback``
and the close (``sql/journeys.sql`` states the rule exactly).

The stage owns its DuckDB connection: a cursor over the drop's database, in which the
``journeys`` table is a TEMP table. The frozen :class:`~revstory.validate.stage.Drop` and
its connection get no new table; the attribute stage reads the journeys (and the drop's
canonical tables) through :attr:`Journeys.con`.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd

from revstory.config import AttributionConfig
from revstory.validate.stage import Drop


def sql(name: str) -> str:
    """The text of ``revstory/sql/<name>`` (static SQL; values are passed as parameters)."""
    return resources.files("revstory.sql").joinpath(name).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Journeys:
    """The journeys of every reported deal, held in this stage's own connection."""

    con: duckdb.DuckDBPyConnection
    """A cursor over the drop's database holding the TEMP table ``journeys``: deal_id,
    occurred_at, content_id, touch_type, channel, person_key (won, lost and open deals)."""
    quarters: tuple[str, ...]
    """The quarters reported (the drop's)."""
    config: AttributionConfig
    """The settings the journeys were built with (lookback, journey mode)."""


def build_journeys(drop: Drop, config: AttributionConfig) -> Journeys:
    """Build the journeys of ``drop``'s deals (see ``sql/journeys.sql``)."""
    con = drop.con.cursor()
    con.execute(
        sql("journeys.sql"),
        {"lookback_days": config.lookback_days, "account_mode": config.journey_mode == "account"},
    )
    return Journeys(con=con, quarters=drop.quarters, config=config)


def journey_detail(journeys: Journeys) -> pd.DataFrame:
    """Won and lost deals' touches in order, readers numbered per deal (no person key).

    Returns quarter, deal_id, occurred_at, content_id, touch_type, channel, reader (1, 2, …
    in the order the deal's readers first appear), sorted by quarter, deal and time.
    """
    return journeys.con.execute(sql("journey_detail.sql")).df()
