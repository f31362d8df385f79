"""Money in integer minor units, split without losing a cent."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def allocate(
    group: npt.NDArray[np.int64],
    amount: npt.NDArray[np.int64],
    weights: npt.NDArray[np.float64],
    tiebreak: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Split each group's amount over its rows by weight, by largest remainder.

    ``group`` gives each row's group (e.g. a deal), ``amount`` is indexed by group (minor
    units), ``weights`` sum to 1 per group. Returns integer minor units per row that add up
    to the group's amount exactly. Leftover cents go to the largest fractional parts; ties go
    to the smaller ``tiebreak`` (e.g. content index) so the split is deterministic.
    """
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    raw = amount[group].astype(np.float64) * weights
    floor = np.floor(raw).astype(np.int64)
    frac = raw - floor
    n_groups = len(amount)
    short = amount - np.bincount(group, weights=floor, minlength=n_groups).astype(np.int64)
    short = np.clip(short, 0, None)
    order = np.lexsort((tiebreak, -frac, group))
    sorted_group = group[order]
    counts = np.bincount(sorted_group, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    rank = np.arange(len(group)) - starts[sorted_group]
    bonus = np.zeros(len(group), dtype=np.int64)
    bonus[order] = (rank < short[sorted_group]).astype(np.int64)
    return floor + bonus


def to_major(minor: int | float, digits: int = 2) -> float:
    return float(minor) / 10**digits
