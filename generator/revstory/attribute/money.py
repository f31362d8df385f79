"""Money in integer minor units, split without losing a cent."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]


def allocate(
    group: Ints,
    amount: Ints,
    weights: npt.NDArray[np.float64],
    tiebreak: Ints,
    key_base: Ints | None = None,
) -> Ints:
    """Split each group's amount over its rows by weight, by largest remainder.

    ``group`` gives each row's group (e.g. a deal), ``amount`` is indexed by group (minor
    units), ``weights`` sum to 1 per group. Returns integer minor units per row that add up
    to the group's amount exactly. Leftover cents go to the largest fractional parts; ties
    (fractions within about ``n_groups × 1e-16`` of a cent of each other) go to the smaller
    ``tiebreak`` (e.g. content index), so the split is deterministic. ``key_base`` (indexed
    by group) numbers the groups as in a larger run, so a slice of that run's groups (a Spark
    partition) resolves near-ties exactly as the whole run does.
    """
    return Allocator(group, amount, tiebreak, key_base).split(weights)


class Allocator:
    """:func:`allocate` for one set of rows and groups, split by many weightings.

    What depends on the groups alone (their order, each row's amount, the sort key's base and,
    in the pipeline's layout, each row's rank within its group) is computed once; each model's
    :meth:`split` then does only its own work, with the same arithmetic as :func:`allocate`.
    """

    def __init__(
        self, group: Ints, amount: Ints, tiebreak: Ints, key_base: Ints | None = None
    ) -> None:
        self.group, self.amount, self.n_groups = group, amount, len(amount)
        self.rows = amount[group].astype(np.float64) if len(group) else np.zeros(0)
        self.counts = np.bincount(group, minlength=self.n_groups)
        # One stable sort on (group, larger fraction first); rows arrive ordered by tiebreak
        # within each group (see below), so equal fractions keep that order.
        self.pre = np.lexsort((tiebreak, group)) if not _grouped_in_order(group, tiebreak) else None
        g = group if self.pre is None else group[self.pre]
        self.base = (g if key_base is None else key_base[g]).astype(np.float64)
        # Rows grouped in order, keys on the group's own number: a key base + (1 − f) / 2 lies
        # in [g, g + ½], so sorting the keys keeps every row in its group's run, and a row's
        # rank within its group depends on the groups alone.
        self.rank = None
        if self.pre is None and key_base is None:
            self.rank = np.arange(len(group)) - self._starts(group)[group]

    def _starts(self, sorted_group: Ints) -> Ints:
        counts = np.bincount(sorted_group, minlength=self.n_groups)
        return np.concatenate(([0], np.cumsum(counts)[:-1]))

    def split(self, weights: npt.NDArray[np.float64]) -> Ints:
        """Split the amounts by ``weights`` (one per row, summing to 1 per group)."""
        group = self.group
        if len(group) == 0:
            return np.zeros(0, dtype=np.int64)
        raw = self.rows * weights
        floor = np.floor(raw).astype(np.int64)
        frac = raw - floor
        short = self.amount - np.bincount(group, weights=floor, minlength=self.n_groups).astype(
            np.int64
        )
        short = np.clip(short, 0, None)
        if not np.any((short > 0) & (short < self.counts)):
            # No group hands out fewer cents than it has rows, but more than none (the first
            # and last touch models: whole weights, no cent left): every row of a group gets
            # one cent or none whatever the order, so no sort is needed to rank them.
            return floor + (short > 0)[group].astype(np.int64)
        f = frac if self.pre is None else frac[self.pre]
        order = np.argsort(self.base + (1.0 - f) * 0.5, kind="stable")
        bonus = np.zeros(len(group), dtype=np.int64)
        if self.rank is not None:  # the sorted rows' groups are the rows' groups
            bonus[order] = (self.rank < short[group]).astype(np.int64)
            return floor + bonus
        if self.pre is not None:
            order = self.pre[order]
        sorted_group = group[order]
        rank = np.arange(len(group)) - self._starts(sorted_group)[sorted_group]
        bonus[order] = (rank < short[sorted_group]).astype(np.int64)
        return floor + bonus


def _grouped_in_order(group: Ints, tiebreak: Ints) -> bool:
    """Tell whether rows are sorted by (group, tiebreak) already (the pipeline's layout)."""
    if len(group) < 2:
        return True
    same = group[1:] == group[:-1]
    return bool(
        np.all(group[1:] >= group[:-1]) and np.all(tiebreak[1:][same] > tiebreak[:-1][same])
    )
