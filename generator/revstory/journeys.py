"""Journeys stage: validated drop → every touch that belongs to a deal, in time order.

A touch belongs to a deal when its person is one of the deal's contacts (or, in account
mode, its account is the deal's account) and it happened between ``created_at − lookback``
and the close (``sql/journeys.sql`` builds each deal's window, ``sql/journeys_match.sql``,
which the Spark engine runs too, matches the touches to it).

The stage owns its DuckDB connection: a cursor over the drop's database, in which the
``journeys`` table is a TEMP table. The frozen :class:`~revstory.validate.stage.Drop` and
its connection get no new table; the attribute stage reads the journeys (and the drop's
canonical tables) through :attr:`Journeys.con`.

Touches of quarters whose exports were deleted can be carried in from their snapshots
(:class:`CarriedTouches`, pseudonymised): later deals that look back into those quarters keep
them, so deleting old exports does not move a live quarter's figures.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from revstory.config import AttributionConfig
from revstory.engines.dialect import shared_sql
from revstory.validate.stage import Drop

if TYPE_CHECKING:
    from revstory.attribute.data_driven import ClosedJourneys, FittedJourneys


def sql(name: str) -> str:
    """Read ``revstory/sql/<name>`` (static SQL; values are passed as parameters)."""
    return resources.files("revstory.sql").joinpath(name).read_text(encoding="utf-8")


def journey_rows(con: duckdb.DuckDBPyConnection, journeys: str) -> str:
    """Return ``sql/journey_rows.sql`` over ``journeys`` (a table, or a subquery in brackets).

    A piece named by the ENUM ``piece_id`` (the validated touches) is coded by the ENUM's
    number when every piece of the inventory is a value of it: the ENUM was made of the
    inventory's ids in content_id order, as content_codes numbers them. Pages the
    analytics added to the inventory later (validate/inventory.py) are not values of it:
    then, and for pieces named by text, the ids are joined to content_codes. The number
    spares the join of 2.5M ids' text at 10M touches (0.67-0.76 s -> 0.44-0.62 s).
    """
    text = sql("journey_rows.sql").replace("{journeys}", journeys)
    (_, kind, *_), *_ = con.execute(f"SELECT content_id FROM {journeys} LIMIT 0").description  # noqa: S608 - our own table or query
    # The inventory's ids and the ENUM's values: the same set (and no NULL id)?
    same = (
        "SELECT count(*) FROM content c FULL JOIN (SELECT CAST(unnest(enum_range("
        "NULL::piece_id)) AS VARCHAR) AS v) e ON c.content_id = e.v "
        "WHERE c.content_id IS NULL OR e.v IS NULL"
    )
    numbered = str(kind.id) == "enum" and not con.execute(same).fetchall()[0][0]
    if numbered:
        return text.replace("{content_idx}", "CAST(enum_code(j.content_id) AS INTEGER)").replace(
            "{content_join}", ""
        )
    return text.replace("{content_idx}", "c.content_idx").replace(
        "{content_join}", "LEFT JOIN content_codes c USING (content_id)"
    )


@dataclass(frozen=True)
class Journeys:
    """The journeys of every reported deal, held in this stage's own connection."""

    con: duckdb.DuckDBPyConnection
    """A cursor over the drop's database holding the TEMP view ``journeys``: deal_id,
    occurred_at, content_id, touch_type, channel, person_key (won, lost and open deals) and
    deal_code (the deal's number in ``deal_windows``, unique, in no particular order). It
    reads the TEMP tables ``journey_codes`` and ``content_codes`` (``sql/journey_rows.sql``),
    which the attribution stage's queries read directly."""
    quarters: tuple[str, ...]
    """The quarters reported (the drop's)."""
    config: AttributionConfig
    """The settings the journeys were built with (lookback, journey mode)."""

    def closed(self) -> ClosedJourneys:
        """Return the won and lost deals' journeys as the data-driven models read them.

        Fitted once per stage (:class:`~revstory.attribute.data_driven.FittedJourneys`): the
        models and effects.csv share one read of the journeys and one solve of each chain.
        """
        return self._fitting.result()

    def fit_behind(self) -> None:
        """Read the closed journeys now and fit them in a thread; :meth:`closed` waits for it.

        The data-driven fit (5,000 pieces: dense solves of seconds) then overlaps the
        caller's next steps; without this call :meth:`closed` reads and fits on first use.
        """
        self._fitting  # noqa: B018 - starts the fit once

    @cached_property
    def _fitting(self) -> Future[FittedJourneys]:
        from revstory.attribute.coded import CodedJourneys
        from revstory.attribute.data_driven import FittedJourneys
        from revstory.export import EFFECT_DIMENSIONS

        # Integer codes, not the string journey frame: the same figures (tests/attribute/).
        # Read here, on the caller's thread: the connection is never shared with the fit.
        closed = CodedJourneys.read(self.con)
        return FittedJourneys.fit_behind(closed, EFFECT_DIMENSIONS, self.config.markov_order)


@dataclass(frozen=True)
class CarriedTouches:
    """Touches kept in snapshots of quarters whose exports were deleted (no id in clear)."""

    touches: pd.DataFrame
    """occurred_at, person_key (the hashed key of the run that wrote the snapshot),
    account_id, content_id, touch_type, channel."""
    identities: pd.DataFrame
    """alias_key, person_key: the hashed ids each carried reader had in that run."""


def build_journeys(
    drop: Drop, config: AttributionConfig, carried: CarriedTouches | None = None
) -> Journeys:
    """Build the journeys of ``drop``'s deals in the stage's own cursor.

    The ``carried`` touches of deleted quarters count as the drop's own. Makes the TEMP
    tables ``deal_windows`` (``sql/journeys.sql``), ``content_codes`` and ``journey_codes``
    (``sql/journey_rows.sql`` over ``sql/journeys_match.sql``, in no order: each query sorts
    what it reads) and the TEMP view ``journeys`` over them (``sql/journeys_view.sql``).
    """
    con = drop.con.cursor()
    deal_windows(con, config, carried)
    match = shared_sql("journeys_match", "duckdb", account_mode=config.journey_mode == "account")
    # Unsorted: every query over the journeys sorts them itself (by deal, time, piece, touch
    # type, person), so sorting millions of rows here as well only cost time and memory.
    con.execute("SET preserve_insertion_order = false")
    try:
        # Held as codes (deal, piece), read as strings through the journeys view: a string
        # table of the journeys and then its coded copy cost 0.70-0.94 s at 10M touches,
        # the coded rows alone 0.43-0.66 s (tests/journeys/ compare the two).
        con.execute(journey_rows(con, f"({match})"))
        con.execute(sql("journeys_view.sql"))
    finally:
        con.execute("SET preserve_insertion_order = true")
    return Journeys(con=con, quarters=drop.quarters, config=config)


def deal_windows(
    con: duckdb.DuckDBPyConnection, config: AttributionConfig, carried: CarriedTouches | None
) -> None:
    """Create in ``con`` what ``sql/journeys_match.sql`` joins, on either engine.

    The TEMP view ``journey_touches`` (the drop's touches and the ``carried`` ones,
    ``sql/carried_touches.sql``) and the TEMP table ``deal_windows``.
    """
    if carried is None or carried.touches.empty:
        con.execute("CREATE OR REPLACE TEMP VIEW journey_touches AS SELECT * FROM touches")
    else:
        con.register("carried_raw_frame", carried.touches)
        con.register("carried_ids_frame", carried.identities)
        try:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE carried_raw AS SELECT "
                "CAST(occurred_at AS TIMESTAMP) AS occurred_at, "
                "CAST(person_key AS UBIGINT) AS person_key, CAST(account_id AS VARCHAR) AS "
                "account_id, CAST(content_id AS VARCHAR) AS content_id, CAST(touch_type AS "
                "VARCHAR) AS touch_type, CAST(channel AS VARCHAR) AS channel "
                "FROM carried_raw_frame"
            )
            con.execute(
                "CREATE OR REPLACE TEMP TABLE carried_ids AS SELECT CAST(alias_key AS UBIGINT) "
                "AS alias_key, CAST(person_key AS UBIGINT) AS person_key FROM carried_ids_frame"
            )
        finally:
            con.unregister("carried_raw_frame")
            con.unregister("carried_ids_frame")
        con.execute(sql("carried_touches.sql"))
    con.execute(sql("journeys.sql"), {"lookback_days": config.lookback_days})


def journey_detail(journeys: Journeys) -> pd.DataFrame:
    """Won and lost deals' touches in order, readers numbered per deal (no person key).

    Returns quarter, deal_id, occurred_at, content_id, touch_type, channel, reader (1, 2, …
    in the order the deal's readers first appear) and role (the reader's role on the deal in
    the CRM, or None), sorted by quarter, deal and time.
    """
    return journeys.con.execute(sql("journey_detail.sql")).df()
