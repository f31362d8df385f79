"""Exact Shapley values over a few players (content types or channels).

A coalition value ``v`` is an array indexed by bitmask (bit ``i`` = player ``i``), with
``v[0] = 0``. The Shapley value of player ``i`` is the exact weighted average of its marginal
contributions over all coalitions without it::

    φ_i = Σ_{S ⊆ N∖{i}} |S|! (n − |S| − 1)! / n! · (v(S ∪ {i}) − v(S))

computed for every coalition at once (``n · 2ⁿ`` work), so up to :data:`MAX_PLAYERS` players.

Coalition values from journeys (the ChannelAttribution / DP6 convention, made explicit):
``w(T)`` is the figure of the journeys whose set of players is exactly ``T``, and
``v(S) = Σ_{T ⊆ S} w(T)``: a coalition is worth what the journeys using only its players
achieved. Two measures of ``w``:

- ``"conversions"``: won deals among those journeys (DP6's ``values_col='conversions'``).
  Then the Shapley value equals each won journey split equally over its distinct players,
  because ``v`` is a sum of unanimity games.
- ``"conversion_rate"`` (revstory's default): won ÷ (won + lost) of those journeys (DP6's
  ``'conv_rate'``). A player is credited for the conversion rates of the combinations it
  appears in, not for how often they occur, so a popular type does not win by volume alone.

Not the same thing as google/fractribution's (and the Snowplow dbt port's) "Shapley", which
is a per-path leave-one-out difference of conversion probabilities; its published figures are
therefore not reproduced here (see tests/models/test_shapley.py).
"""

from __future__ import annotations

from math import factorial
from typing import Literal

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

MAX_PLAYERS = 20
Measure = Literal["conversions", "conversion_rate"]


def shapley_values(v: npt.ArrayLike, n_players: int) -> Floats:
    """Exact Shapley values from the coalition values ``v`` (length ``2**n_players``)."""
    if not 0 < n_players <= MAX_PLAYERS:
        raise ValueError(f"exact Shapley needs 1 to {MAX_PLAYERS} players, not {n_players}")
    val = np.asarray(v, dtype=np.float64)
    if val.shape != (1 << n_players,):
        raise ValueError(f"expected {1 << n_players} coalition values, got {val.shape[0]}")
    masks = np.arange(1 << n_players, dtype=np.int64)
    size = np.zeros(len(masks), dtype=np.int64)
    for i in range(n_players):
        size += (masks >> i) & 1
    weight_by_size = np.array(
        [factorial(k) * factorial(n_players - k - 1) for k in range(n_players)], dtype=np.float64
    )
    weight_by_size /= factorial(n_players)
    phi = np.zeros(n_players)
    for i in range(n_players):
        without = masks[((masks >> i) & 1) == 0]
        gain = val[without | (1 << i)] - val[without]
        phi[i] = float(np.dot(weight_by_size[size[without]], gain))
    return phi


def subset_sums(w: Floats, n_players: int) -> Floats:
    """``v(S) = Σ_{T ⊆ S} w(T)`` for every ``S`` (the zeta transform, ``n · 2ⁿ``)."""
    v = np.array(w, dtype=np.float64)
    for i in range(n_players):
        bit = 1 << i
        has = (np.arange(len(v)) & bit) != 0
        v[has] += v[np.flatnonzero(has) ^ bit]
    return v


def coalition_values(
    player_sets: npt.ArrayLike,
    won: npt.ArrayLike,
    lost: npt.ArrayLike,
    n_players: int,
    measure: Measure = "conversion_rate",
) -> Floats:
    """Coalition values from journeys (see the module docstring for the convention).

    ``player_sets``: one bitmask per journey (or per group of journeys) of the players it
    touched; ``won`` / ``lost``: its won and lost deal counts. Returns ``v`` of length
    ``2**n_players`` with ``v[0] = 0``.
    """
    if not 0 < n_players <= MAX_PLAYERS:
        raise ValueError(f"exact Shapley needs 1 to {MAX_PLAYERS} players, not {n_players}")
    sets = np.asarray(player_sets, dtype=np.int64)
    size = 1 << n_players
    won_t = np.bincount(sets, weights=np.asarray(won, dtype=np.float64), minlength=size)
    lost_t = np.bincount(sets, weights=np.asarray(lost, dtype=np.float64), minlength=size)
    if measure == "conversions":
        w = won_t
    elif measure == "conversion_rate":
        total = won_t + lost_t
        w = np.divide(won_t, total, out=np.zeros(size), where=total > 0)
    else:
        raise ValueError(f"measure must be 'conversions' or 'conversion_rate', not {measure!r}")
    w[0] = 0.0  # journeys without any player earn nothing for anyone
    return subset_sums(np.asarray(w, dtype=np.float64), n_players)
