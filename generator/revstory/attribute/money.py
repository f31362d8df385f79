"""Money in integer minor units, split without losing a cent."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def allocate(
    group: npt.NDArray[np.int64],
    amount: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    tiebreak: npt.NDArray[np.int64],
    key_base: npt.NDArray[np.int64] | None = None,
) -> npt.NDArray[np.int64]:
    """Split each group's amount over its rows by weight, by largest remainder.

    ``group`` gives each row's group (e.g. a deal), ``amount`` is indexed by group (minor
    units), ``weights`` sum to 1 per group. Returns integer minor units per row that add up
    to the group's amount exactly. Leftover cents go to the largest fractional parts; ties
    (fractions within about ``n_groups × 1e-16`` of a cent of each other) go to the smaller
    ``tiebreak`` (e.g. content index), so the split is deterministic. ``key_base`` (indexed
    by group) numbers the groups as in a larger run, so a slice of that run's groups (a Spark
    partition) resolves near-ties exactly as the whole run does.
    """
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    raw = amount[group].astype(np.float64) * weights
    floor = np.floor(raw).astype(np.int64)
    frac = raw - floor
    n_groups = len(amount)
    short = amount - np.bincount(group, weights=floor, minlength=n_groups).astype(np.int64)
    short = np.clip(short, 0, None)
    # One stable sort on (group, larger fraction first); rows arrive ordered by tiebreak
    # within each group (see below), so equal fractions keep that order.
    pre = np.lexsort((tiebreak, group)) if not _grouped_in_order(group, tiebreak) else None
    g = group if pre is None else group[pre]
    f = frac if pre is None else frac[pre]
    base = g if key_base is None else key_base[g]
    order = np.argsort(base.astype(np.float64) + (1.0 - f) * 0.5, kind="stable")
    if pre is not None:
        order = pre[order]
    sorted_group = group[order]
    counts = np.bincount(sorted_group, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.arange(len(group)) - starts[sorted_group]
    bonus = np.zeros(len(group), dtype=np.int64)
    bonus[order] = (rank < short[sorted_group]).astype(np.int64)
    return floor + bonus


def _grouped_in_order(group: npt.NDArray[np.int64], tiebreak: npt.NDArray[np.int64]) -> bool:
    """Tell whether rows are sorted by (group, tiebreak) already (the pipeline's layout)."""
    if len(group) < 2:
        return True
    same = group[1:] == group[:-1]
    return bool(
        np.all(group[1:] >= group[:-1]) and np.all(tiebreak[1:][same] > tiebreak[:-1][same])
    )
