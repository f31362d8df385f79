"""The data-driven models from counts alone, as an engine that holds the journeys hands them.

The Markov chain's transition counts and the Shapley coalition counts
(``sql/markov_transitions.sql``, ``sql/shapley_coalitions.sql``), as an engine that holds
the journeys (Spark) hands them back to the driver.

The counts are whole numbers, so the matrices built here are the very ones
:func:`revstory.attribute.markov.removal_effects` and
:func:`revstory.attribute.shapley.coalition_values` build from the journey frame, and the
removal effects and Shapley values are the same to the last bit (tests/engines/). Order-1
chains only: a higher order's tuple states are counted from the journeys themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from revstory.attribute.data_driven import OTHER, By
from revstory.attribute.markov import chain_effects
from revstory.attribute.shapley import MAX_PLAYERS, coalition_values, shapley_values


def markov_from_transitions(transitions: pd.DataFrame, by: By) -> pd.DataFrame:
    """Compute :func:`~revstory.attribute.data_driven.markov_effects` (order 1) from counts.

    The rows are ``sql/markov_transitions.sql``'s: quarter, from_state, to_state, won,
    transitions.
    """
    rows = []
    for quarter, sub in transitions.groupby("quarter", sort=True, observed=True):
        names = sorted(set(sub["to_state"].dropna().tolist()))
        m = len(names)
        code = {n: i for i, n in enumerate(names)}
        start, conv, null = m, m + 1, m + 2
        frm = sub["from_state"].map(code).fillna(start).to_numpy(dtype=np.int64)
        end = np.where(sub["won"].to_numpy(dtype=bool), conv, null)
        to = sub["to_state"].map(code).to_numpy(dtype=np.float64)
        to = np.where(np.isnan(to), end, to).astype(np.int64)
        counts = np.asarray(
            np.bincount(
                frm * (m + 3) + to,
                weights=sub["transitions"].to_numpy(dtype=np.float64),
                minlength=(m + 1) * (m + 3),
            ),
            dtype=np.float64,
        ).reshape(m + 1, m + 3)
        res = chain_effects(counts, np.arange(m, dtype=np.int64), m)
        rows.append(
            pd.DataFrame(
                {
                    "quarter": quarter,
                    by: np.asarray(names, dtype=object),
                    "removal_effect": res.removal_effects,
                    "share": res.shares(),
                    "conversion_probability": res.conversion_probability,
                }
            )
        )
    if not rows:
        return pd.DataFrame(
            columns=["quarter", by, "removal_effect", "share", "conversion_probability"]
        )
    return pd.concat(rows, ignore_index=True)


def shapley_from_coalitions(coalitions: pd.DataFrame, by: By) -> pd.DataFrame:
    """Compute :func:`~revstory.attribute.data_driven.shapley_effects` from coalition counts.

    The rows are ``sql/shapley_coalitions.sql``'s: quarter, players (sorted list), won_deals,
    lost_deals.
    """
    rows = []
    for quarter, sub in coalitions.groupby("quarter", sort=True, observed=True):
        sets = [tuple(p) for p in sub["players"].tolist()]
        won = sub["won_deals"].to_numpy(dtype=np.float64)
        lost = sub["lost_deals"].to_numpy(dtype=np.float64)
        names = sorted({p for s in sets for p in s})
        if len(names) > MAX_PLAYERS:
            deals_per = {n: 0 for n in names}
            for s, n_deals in zip(sets, (won + lost).tolist(), strict=True):
                for p in s:
                    deals_per[p] += int(n_deals)
            ranked = sorted(names, key=lambda n: (-deals_per[n], n))
            keep = set(ranked[: MAX_PLAYERS - 1])
            sets = [tuple(p if p in keep else OTHER for p in s) for s in sets]
            names = sorted({p for s in sets for p in s})
        code = {n: i for i, n in enumerate(names)}
        masks = np.array([sum({1 << code[p] for p in s}) for s in sets], dtype=np.int64)
        v = coalition_values(masks, won, lost, len(names), "conversion_rate")
        phi = shapley_values(v, len(names))
        total = phi.sum()
        rows.append(
            pd.DataFrame(
                {
                    "quarter": quarter,
                    by: names,
                    "shapley_value": phi,
                    "share": phi / total if total > 0 else np.zeros_like(phi),
                }
            )
        )
    if not rows:
        return pd.DataFrame(columns=["quarter", by, "shapley_value", "share"])
    return pd.concat(rows, ignore_index=True)


@dataclass(frozen=True)
class CountedJourneys:
    """Closed journeys as an engine's counts (a ``ClosedJourneys``).

    ``transitions`` per Markov dimension, ``coalitions`` over content types.
    """

    transitions: Mapping[str, pd.DataFrame]
    coalitions: pd.DataFrame
    #: Removal effects solved so far, by dimension: the ``markov`` model and effects.csv read
    #: the same pieces' chain, solved once.
    _solved: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)

    def markov(self, by: By, order: int) -> pd.DataFrame:
        """Compute the removal effects over ``by`` (order 1 only: the counts are order 1)."""
        if order != 1:
            raise ValueError(f"counted journeys hold order-1 transitions, not order {order}")
        if by not in self._solved:
            self._solved[by] = markov_from_transitions(self.transitions[by], by)
        return self._solved[by].copy()

    def shapley(self, by: By) -> pd.DataFrame:
        """Compute the Shapley values over content types (the only counted players)."""
        if by != "content_type":
            raise ValueError(f"counted journeys hold coalitions of content types, not {by}")
        return shapley_from_coalitions(self.coalitions, by)

    def won_deals(self) -> pd.Series:
        """Count the won deals per quarter."""
        return self.coalitions.groupby("quarter", sort=True, observed=True)["won_deals"].sum()
