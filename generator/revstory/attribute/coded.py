"""The closed journeys as integer codes: the DuckDB engine's journey frame without strings.

The same journeys as :func:`revstory.attribute.data_driven.journey_frame` (won and lost
deals' touches in journey order), brought from DuckDB as three integer columns
(``sql/closed_journey_codes.sql``: deal, piece and channel codes) and small code books; a
piece's content type is looked up through its code. At 10M touches the string frame was
millions of Python-visible strings (the all-model run's peak memory and several CPU seconds
to build and factorise); the codes give the very same figures, because each quarter's states
and players are ranked exactly as the string frame ranks them (code books in the strings'
sort order, the same per-quarter cores of :mod:`revstory.attribute.data_driven`).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from revstory.attribute.data_driven import By, markov_quarter, shapley_quarter

#: The code books of ``sql/closed_journey_codes.sql``, each in its codes' order.
CLOSED_DEALS = (
    "SELECT quarter, status = 'won' AS won FROM deals WHERE status IN ('won', 'lost') "
    "ORDER BY quarter, deal_id"
)
PIECES = (
    "SELECT p.content_id, coalesce(c.content_type, '(unknown)') AS content_type "
    "FROM (SELECT content_id FROM content UNION SELECT content_other FROM journey_codes "
    "WHERE content_other IS NOT NULL) p LEFT JOIN content c USING (content_id) "
    "ORDER BY p.content_id"
)
CHANNELS = "SELECT DISTINCT coalesce(channel, '(none)') AS channel FROM journey_codes ORDER BY 1"


@dataclass(frozen=True)
class Dimension:
    """One dimension's code per touch and its names (ascending, as the strings sort)."""

    codes: npt.NDArray[np.integer[Any]]
    names: npt.NDArray[np.object_]


@dataclass(frozen=True)
class CodedJourneys:
    """A :class:`~revstory.attribute.data_driven.ClosedJourneys` over integer codes.

    One entry per touch of a won or lost deal, in journey order: ``deal`` (the closed deals'
    code, non-decreasing), ``won``, ``quarter`` (codes into ``quarters``, ascending) and a
    :class:`Dimension` per Markov dimension.
    """

    deal: npt.NDArray[np.int32]
    won: npt.NDArray[np.bool_]
    quarter: npt.NDArray[np.integer[Any]]
    quarters: npt.NDArray[np.object_]
    dimensions: dict[str, Dimension]

    @classmethod
    def read(cls, con: duckdb.DuckDBPyConnection) -> CodedJourneys:
        """Read the closed journeys of ``con`` as codes.

        From the journeys stage's coded rows (``journey_codes``); a ``journeys`` table made
        otherwise is coded first, as :class:`~revstory.attribute.journey_codes.JourneyCodes`
        codes it, and its codes dropped afterwards.
        """
        from revstory.attribute.journey_codes import JourneyCodes

        codes = JourneyCodes.rows(con)
        try:
            deals = con.execute(CLOSED_DEALS).fetchnumpy()
            pieces = con.execute(PIECES).fetchnumpy()
            channels = con.execute(CHANNELS).fetchnumpy()
            query = resources.files("revstory.sql").joinpath("closed_journey_codes.sql")
            rows = con.execute(query.read_text(encoding="utf-8")).fetchnumpy()
        finally:
            codes.close()
        deal = np.asarray(rows["deal_idx"], dtype=np.int32)
        content = np.asarray(rows["content_idx"], dtype=np.int32)
        q_codes, q_names = pd.factorize(np.asarray(deals["quarter"], dtype=object), sort=True)
        piece_types = np.asarray(pieces["content_type"], dtype=object)
        t_codes, t_names = pd.factorize(piece_types, sort=True)
        return cls(
            deal=deal,
            won=np.asarray(deals["won"], dtype=bool)[deal],
            quarter=q_codes[deal],
            quarters=np.asarray(q_names, dtype=object),
            dimensions={
                "content_id": Dimension(content, np.asarray(pieces["content_id"], dtype=object)),
                "content_type": Dimension(
                    t_codes.astype(np.int32)[content], np.asarray(t_names, dtype=object)
                ),
                "channel": Dimension(
                    np.asarray(rows["channel_idx"], dtype=np.int32),
                    np.asarray(channels["channel"], dtype=object),
                ),
            },
        )

    def _quarters(self) -> list[tuple[str, slice]]:
        """Each quarter present and its rows (touches come sorted by quarter)."""
        if len(self.quarter) == 0:  # no closed deal has a touch
            return []
        bounds = np.flatnonzero(np.r_[True, self.quarter[1:] != self.quarter[:-1], True])
        return [
            (str(self.quarters[self.quarter[lo]]), slice(int(lo), int(hi)))
            for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True)
        ]

    def markov(self, by: By, order: int) -> pd.DataFrame:
        """Compute the removal effects over ``by`` of the given chain ``order``."""
        dim = self.dimensions[by]
        rows = [
            markov_quarter(q, by, self.deal[s], dim.codes[s], dim.names, self.won[s], order)
            for q, s in self._quarters()
        ]
        columns = ["quarter", by, "removal_effect", "share", "conversion_probability"]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)

    def shapley(self, by: By) -> pd.DataFrame:
        """Compute the Shapley values over ``by``."""
        dim = self.dimensions[by]
        rows = [
            shapley_quarter(q, by, self.deal[s], dim.codes[s], dim.names, self.won[s])
            for q, s in self._quarters()
        ]
        columns = ["quarter", by, "shapley_value", "share"]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)

    def won_deals(self) -> pd.Series:
        """Count the won deals per quarter."""
        parts = self._quarters()
        counts = []
        for _, s in parts:
            deal, won = self.deal[s], self.won[s]
            first = np.r_[True, deal[1:] != deal[:-1]]
            counts.append(int(won[first].sum()))
        index = pd.Index([q for q, _ in parts], name="quarter")
        return pd.Series(counts, index=index, name="won", dtype=np.int64)
