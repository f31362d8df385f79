"""Exact Shapley values: the DP6 README example and the journey conventions.

The published example's expected values must not be updated to make a failing test pass.
The Snowplow/fractribution "Shapley" figures (attribution-anchors.md §(d)1) are a per-path
leave-one-out, not Shapley values, so they are deliberately not asserted here.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from revstory.attribute.shapley import coalition_values, shapley_values, subset_sums

O, F, D = 1, 2, 4  # noqa: E741 - the example's own player names


def test_dp6_published_example() -> None:
    v = np.zeros(8)
    v[O], v[F], v[D] = 7, 6, 4
    v[O | F], v[O | D], v[F | D] = 15, 7, 9
    v[O | F | D] = 19
    phi = shapley_values(v, 3)
    assert phi == pytest.approx([7.667, 8.167, 3.167], abs=5e-4)
    assert phi.sum() == pytest.approx(19.0)


def _naive(v: np.ndarray, n: int) -> list[float]:
    """Average marginal contribution over all n! orders."""
    out = [0.0] * n
    perms = list(itertools.permutations(range(n)))
    for perm in perms:
        mask = 0
        for p in perm:
            out[p] += v[mask | (1 << p)] - v[mask]
            mask |= 1 << p
    return [x / len(perms) for x in out]


@pytest.mark.parametrize("seed", range(4))
def test_matches_permutation_average(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 6))
    v = rng.random(1 << n)
    v[0] = 0.0
    assert shapley_values(v, n) == pytest.approx(_naive(v, n), abs=1e-12)


def test_conversions_measure_splits_each_won_journey_equally() -> None:
    # Journeys: {O} won, {O,F} won twice, {F,D} won, {D} lost.
    sets = [O, O | F, F | D, D]
    v = coalition_values(
        sets, won=[1, 2, 1, 0], lost=[0, 0, 0, 1], n_players=3, measure="conversions"
    )
    assert v[O | F | D] == 4
    assert shapley_values(v, 3) == pytest.approx([1 + 1, 1 + 0.5, 0.5])


def test_conversion_rate_measure() -> None:
    # {O}: 1 won of 4; {O,F}: 1 of 2; {F}: 0 of 3.
    v = coalition_values([O, O | F, F], won=[1, 1, 0], lost=[3, 1, 3], n_players=2)
    assert v.tolist() == pytest.approx([0.0, 0.25, 0.0, 0.75])
    assert shapley_values(v, 2) == pytest.approx([0.5, 0.25])


def test_subset_sums_and_errors() -> None:
    w = np.arange(8, dtype=float)
    v = subset_sums(w, 3)
    for s in range(8):
        assert v[s] == sum(w[t] for t in range(8) if t & s == t)
    with pytest.raises(ValueError, match="exact Shapley needs 1 to 20 players, not 21"):
        shapley_values(np.zeros(2), 21)
    with pytest.raises(ValueError, match="expected 4 coalition values, got 3"):
        shapley_values(np.zeros(3), 2)
