"""The data-driven models (``markov``, ``shapley``) over revstory's journeys.

Both are fitted per quarter on the journeys of that quarter's closed deals: won deals are
converting journeys, lost deals non-converting ones (open deals are not used). A quarter's
figures therefore do not change when another quarter is loaded beside it.

Turning the fitted model into money, deal by deal (so every attributed cent still belongs to
a deal, and per deal and quarter ``attributed = won revenue`` through
:func:`revstory.attribute.money.allocate`):

- ``markov``: each won deal's amount is split over the pieces in its journey in proportion
  to their removal effects. Summed over deals this is DESIGN's "touched won revenue × removal
  effect ÷ sum of removal effects", restricted to the pieces each deal actually touched; the
  global, ChannelAttribution-style split is :func:`markov_effects`' ``share`` column.
- ``shapley``: Shapley values over content types (conversion-rate coalitions, see
  :mod:`revstory.attribute.shapley`); each won deal's amount is split over the types in its
  journey in proportion to their Shapley values, then over the pieces of a type in
  proportion to their linear credit (touch count) in that deal.

A deal whose pieces (or types) all have a zero effect keeps its linear credit, so no
revenue is ever lost.

Journey frame (in): quarter, deal_id, won (bool), content_id, content_type, channel; won and
lost deals only, touches of a deal contiguous and in time order (:func:`journey_frame`). The
models read it through :class:`ClosedJourneys`: :class:`JourneyFrame` holds the frame itself
(DuckDB), :class:`revstory.attribute.counts.CountedJourneys` only the transition and
coalition counts an engine computed (Spark), which give the same figures bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal, Protocol

import duckdb
import numpy as np
import numpy.typing as npt
import pandas as pd

from revstory.attribute.markov import pair_credit, removal_effects
from revstory.attribute.shapley import MAX_PLAYERS, Measure, coalition_values, shapley_values

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

DATA_DRIVEN_MODELS: tuple[str, ...] = ("markov", "shapley")
By = Literal["content_id", "content_type", "channel"]
OTHER = "(other)"

#: The journey frame: ``sql/closed_journeys.sql`` in journey order (both engines run it).
JOURNEY_QUERY = """
SELECT quarter, deal_id, won, content_id, content_type, channel FROM ({closed}) closed
ORDER BY quarter, deal_id, occurred_at, content_id, touch_type, person_key
"""


def journey_query() -> str:
    """Return the SQL of :func:`journey_frame`, which both engines run as is."""
    closed = resources.files("revstory.sql").joinpath("closed_journeys.sql").read_text("utf-8")
    return JOURNEY_QUERY.format(closed=closed)


def journey_frame(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Won and lost deals' touches from the ``journeys`` table (see the module docstring)."""
    return con.execute(journey_query()).df()


class ClosedJourneys(Protocol):
    """What the data-driven models and effects.csv read of the closed deals' journeys."""

    def markov(self, by: By, order: int) -> pd.DataFrame:
        """:func:`markov_effects` over these journeys."""
        ...

    def shapley(self, by: By) -> pd.DataFrame:
        """:func:`shapley_effects` over these journeys."""
        ...

    def won_deals(self) -> pd.Series:
        """Won deals with a journey, per quarter."""
        ...


@dataclass(frozen=True)
class JourneyFrame:
    """:class:`ClosedJourneys` from the journey frame itself (see the module docstring)."""

    frame: pd.DataFrame

    def markov(self, by: By, order: int) -> pd.DataFrame:
        """Compute the removal effects over ``by`` of the given chain ``order``."""
        return markov_effects(self.frame, by, order=order)

    def shapley(self, by: By) -> pd.DataFrame:
        """Compute the Shapley values over ``by``."""
        return shapley_effects(self.frame, by)

    def won_deals(self) -> pd.Series:
        """Count the won deals per quarter."""
        firsts = self.frame.drop_duplicates(["quarter", "deal_id"])
        return firsts.groupby("quarter", observed=True)["won"].sum()


@dataclass(frozen=True)
class FittedJourneys:
    """:class:`ClosedJourneys` whose figures were all computed once, the journeys let go.

    The ``markov`` model and effects.csv read the same removal effects over pieces (at 5,000
    pieces an exact solve of 8 CPU seconds per quarter), and both read Shapley values over
    content types: :meth:`fit` computes each once, from whichever journeys it is given, and
    keeps only these small frames, so the journeys themselves (millions of rows on the
    DuckDB engine) are freed before the results are written. The figures are the very frames
    the journeys give.
    """

    order: int
    markov_effects: Mapping[str, pd.DataFrame]
    shapley_effects: pd.DataFrame
    won: pd.Series

    @classmethod
    def fit(cls, closed: ClosedJourneys, dimensions: Sequence[By], order: int) -> FittedJourneys:
        """Compute the removal effects over each of ``dimensions`` and the Shapley values."""
        return cls(
            order,
            {by: closed.markov(by, order) for by in dimensions},
            closed.shapley("content_type"),
            closed.won_deals(),
        )

    @classmethod
    def fit_behind(
        cls, closed: ClosedJourneys, dimensions: Sequence[By], order: int
    ) -> Future[FittedJourneys]:
        """:meth:`fit` in a thread of its own; the future holds the figures (or the error).

        The fit is numpy and LAPACK, which release the GIL, over journeys already read (it
        must not query DuckDB: the caller's connection stays the caller's), so the caller
        goes on with the rule-based models meanwhile and both cores are kept busy.
        """
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="revstory-fit")
        try:
            return pool.submit(cls.fit, closed, dimensions, order)
        finally:
            pool.shutdown(wait=False)  # the thread ends with its one fit

    def markov(self, by: By, order: int) -> pd.DataFrame:
        """Return the removal effects over ``by`` (fitted for one order and these dimensions)."""
        if order != self.order or by not in self.markov_effects:
            raise ValueError(
                f"the journeys were fitted for order {self.order} over "
                f"{', '.join(self.markov_effects)}, not order {order} over {by}"
            )
        return self.markov_effects[by].copy()

    def shapley(self, by: By) -> pd.DataFrame:
        """Return the Shapley values over content types (the only players fitted)."""
        if by != "content_type":
            raise ValueError(f"the journeys were fitted with content types as players, not {by}")
        return self.shapley_effects.copy()

    def won_deals(self) -> pd.Series:
        """Count the won deals per quarter."""
        return self.won.copy()


def _journey_codes(deal_id: pd.Series) -> Ints:
    values = deal_id.to_numpy()
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    return np.cumsum(new) - 1


def markov_effects(journeys: pd.DataFrame, by: By = "content_id", order: int = 1) -> pd.DataFrame:
    """Per quarter and state (piece, type or channel): removal effect and normalised share.

    Out: quarter, ``by``, removal_effect, share, conversion_probability; sorted.
    """
    rows = []
    for quarter, sub in journeys.groupby("quarter", sort=True, observed=True):
        states, names = pd.factorize(sub[by], sort=True)
        journey = _journey_codes(sub["deal_id"])
        won = sub["won"].to_numpy()
        rows.append(markov_quarter(quarter, by, journey, states, names, won, order))
    return _effects(rows, ["quarter", by, "removal_effect", "share", "conversion_probability"])


def markov_quarter(
    quarter: object,
    by: By,
    journey: npt.NDArray[np.integer[Any]],
    codes: npt.NDArray[np.integer[Any]],
    names: npt.ArrayLike,
    won: npt.NDArray[np.bool_],
    order: int,
) -> pd.DataFrame:
    """One quarter's rows of :func:`markov_effects`.

    ``codes`` index ``names`` (ascending); only the states present are solved and reported.
    """
    if len(codes) and codes.min() < 0:  # a missing state (factorize's -1)
        raise ValueError(f"state codes must lie in [0, {len(np.asarray(names))})")
    present, states = _present(codes)
    res = removal_effects(journey, states, won, len(present), order=order)
    return pd.DataFrame(
        {
            "quarter": quarter,
            by: np.asarray(names, dtype=object)[present],
            "removal_effect": res.removal_effects,
            "share": res.shares(),
            "conversion_probability": res.conversion_probability,
        }
    )


def _present(codes: npt.NDArray[np.integer[Any]]) -> tuple[Ints, Ints]:
    """Return the codes present (ascending) and each entry's rank among them.

    ``np.unique(codes, return_inverse=True)`` for small non-negative codes, by counting
    instead of sorting (10M drop: a million touches a quarter and dimension).
    """
    if len(codes) == 0 or codes.min() < 0:
        present, inverse = np.unique(codes, return_inverse=True)
        return present.astype(np.int64), inverse.astype(np.int64)
    seen = np.bincount(codes) > 0
    rank = np.cumsum(seen) - 1
    return np.flatnonzero(seen).astype(np.int64), rank[codes].astype(np.int64)


def _effects(rows: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)


def shapley_effects(
    journeys: pd.DataFrame, by: By = "content_type", measure: Measure = "conversion_rate"
) -> pd.DataFrame:
    """Per quarter and player (content type or channel): exact Shapley value and share.

    More than :data:`~revstory.attribute.shapley.MAX_PLAYERS` players: the least used (by
    deals) are grouped as ``(other)``. Out: quarter, ``by``, shapley_value, share; sorted.
    """
    rows = []
    for quarter, sub in journeys.groupby("quarter", sort=True, observed=True):
        codes, names = pd.factorize(sub[by].astype(object), sort=True)
        deal = _journey_codes(sub["deal_id"])
        rows.append(
            shapley_quarter(quarter, by, deal, codes, names, sub["won"].to_numpy(), measure)
        )
    return _effects(rows, ["quarter", by, "shapley_value", "share"])


def shapley_quarter(
    quarter: object,
    by: By,
    deal: npt.NDArray[np.integer[Any]],
    codes: npt.NDArray[np.integer[Any]],
    names: npt.ArrayLike,
    won_touch: npt.NDArray[np.bool_],
    measure: Measure = "conversion_rate",
) -> pd.DataFrame:
    """One quarter's rows of :func:`shapley_effects`.

    ``deal``: journey codes (touches of a deal contiguous); ``codes`` index ``names``
    (ascending).
    """
    present, local = _present(codes)
    labels = [str(n) for n in np.asarray(names, dtype=object)[present].tolist()]
    if len(labels) > MAX_PLAYERS:
        pairs = np.unique(deal.astype(np.int64) * len(labels) + local)
        deals_per = np.bincount(pairs % len(labels), minlength=len(labels)).tolist()
        ranked = sorted(range(len(labels)), key=lambda i: (-deals_per[i], labels[i]))
        keep = set(ranked[: MAX_PLAYERS - 1])
        grouped = [n if i in keep else OTHER for i, n in enumerate(labels)]
        labels = sorted(set(grouped))
        position = {n: i for i, n in enumerate(labels)}
        local = np.array([position[n] for n in grouped], dtype=np.int64)[local]
    bits = np.left_shift(np.int64(1), local.astype(np.int64))
    starts = np.flatnonzero(np.r_[True, deal[1:] != deal[:-1]])
    masks = np.bitwise_or.reduceat(bits, starts)
    won = won_touch[starts].astype(np.float64)
    v = coalition_values(masks, won, 1.0 - won, len(labels), measure)
    phi = shapley_values(v, len(labels))
    total = phi.sum()
    return pd.DataFrame(
        {
            "quarter": quarter,
            by: labels,
            "shapley_value": phi,
            "share": phi / total if total > 0 else np.zeros_like(phi),
        }
    )


def _table(fx: pd.DataFrame, key: str, value: str, quarters: pd.Index, keys: pd.Index) -> Floats:
    """``fx``'s ``value`` per (quarter, key) as a dense table over ``quarters`` × ``keys``.

    A (quarter, key) that ``fx`` does not hold is 0 (a piece no closed journey of that
    quarter touched).
    """
    out = np.zeros((len(quarters), len(keys)))
    q = quarters.get_indexer(pd.Index(fx["quarter"]))
    k = keys.get_indexer(pd.Index(fx[key]))
    ok = (q >= 0) & (k >= 0)
    out[q[ok], k[ok]] = fx[value].to_numpy(dtype=np.float64)[ok]
    return out


def _first_seen_codes(codes: Ints, n_codes: int) -> tuple[Ints, int]:
    """Renumber ``codes`` in order of first appearance (``pd.factorize``'s numbering)."""
    first = np.full(n_codes, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes), dtype=np.int64))
    seen = np.flatnonzero(first < len(codes))
    rank = np.zeros(n_codes, dtype=np.int64)
    rank[seen[np.argsort(first[seen], kind="stable")]] = np.arange(len(seen))
    return rank[codes], len(seen)


def data_driven_credit(
    model: str,
    journeys: ClosedJourneys,
    pair_deal: Ints,
    pair_content: Ints,
    deal_quarter: npt.NDArray[np.object_],
    content_codes: npt.NDArray[np.object_],
    content_types: npt.NDArray[np.object_],
    linear: Floats,
    markov_order: int = 1,
) -> Floats:
    """Credit per won (deal, content) pair for ``markov`` or ``shapley``; sums to 1 per deal.

    ``pair_deal`` / ``pair_content`` index ``deal_quarter`` / ``content_codes``;
    ``content_types`` are the pieces' types (as ``content_codes``, ``(unknown)`` for none);
    ``linear`` is the pairs' linear credit (the fallback, and shapley's split within a type).
    """
    n_deals = len(deal_quarter)
    linear = np.asarray(linear, dtype=np.float64)
    if len(pair_deal) == 0:
        return linear
    # Integer codes throughout: the small tables are looked up by (quarter, piece or type)
    # code, not by a million pairs' strings.
    q_code, q_names = pd.factorize(pd.Series(deal_quarter, dtype=object), sort=True)
    quarters = pd.Index(q_names, dtype=object)
    pair_quarter = q_code[pair_deal]
    if model == "markov":
        fx = journeys.markov("content_id", markov_order)
        pieces = pd.Index(np.asarray(content_codes, dtype=object))
        effects = _table(fx, "content_id", "removal_effect", quarters, pieces)
        return pair_credit(
            pair_deal,
            np.arange(len(pair_deal)),
            effects[pair_quarter, pair_content],
            n_deals,
            linear,
        )
    if model != "shapley":
        raise ValueError(f"unknown data-driven model {model!r}")
    fx = journeys.shapley("content_type")
    piece_types = np.asarray(content_types, dtype=object)
    piece_types = np.where(np.isin(piece_types, list(set(fx["content_type"]))), piece_types, OTHER)
    piece_type, type_names = pd.factorize(piece_types)
    phi_table = _table(fx, "content_type", "shapley_value", quarters, pd.Index(type_names))
    pair_type = piece_type.astype(np.int64)[pair_content]
    phi = phi_table[pair_quarter, pair_type]
    # Within a deal: type share by Shapley value, piece share within the type by linear credit.
    # Groups are (deal, type) numbered in (deal, type) order, types numbered as they first
    # appear among the pairs, so each deal adds its types' values in that order.
    type_code, n_types = _first_seen_codes(pair_type, len(type_names))
    key = pair_deal * max(n_types, 1) + type_code
    present, group = _present(key)
    group_linear = np.bincount(group, weights=linear)
    group_phi = np.zeros(len(present))
    group_phi[group] = phi  # one value per group: its deal's quarter and its type
    group_deal = present // max(n_types, 1)
    deal_phi = np.bincount(group_deal, weights=group_phi, minlength=n_deals)
    within = np.divide(
        linear, group_linear[group], out=np.zeros_like(linear), where=group_linear[group] > 0
    )
    ok = deal_phi[pair_deal] > 0
    share = np.divide(phi, deal_phi[pair_deal], out=np.zeros_like(phi), where=ok) * within
    return np.where(ok, share, linear)
