"""The large quarters' bootstrap weights: independent Poisson(1) counts, drawn by inverse CDF
on 32-bit integers (intervals.poisson_weights)."""

from __future__ import annotations

import numpy as np
from revstory.uncertainty.intervals import _POISSON_STEPS, poisson_weights
from scipy import stats


def test_the_steps_are_poisson_1s_cdf_on_the_32_bit_grid() -> None:
    cdf = stats.poisson.cdf(np.arange(len(_POISSON_STEPS)), 1.0)
    assert np.array_equal(_POISSON_STEPS, np.round(cdf * 2**32).astype(np.uint64))
    # The next step would be 2**32 itself: no 32-bit integer reaches it.
    assert round(stats.poisson.cdf(len(_POISSON_STEPS), 1.0) * 2**32) == 2**32
    assert len(_POISSON_STEPS) == 12


def test_the_weights_are_poisson_1_counts_deals_by_samples() -> None:
    w = poisson_weights(np.random.default_rng(11), 50_000, 40)
    assert w.shape == (50_000, 40) and w.dtype == np.float64 and w.flags.c_contiguous
    assert np.array_equal(w, np.round(w)) and w.min() == 0
    # Two million draws: each count's share within 4 standard errors of its probability.
    n = w.size
    for k in range(6):
        p = stats.poisson.pmf(k, 1.0)
        assert abs((w == k).mean() - p) < 4 * np.sqrt(p * (1 - p) / n), k
    assert abs(w.mean() - 1) < 4 / np.sqrt(n) and abs(w.var() - 1) < 0.01
    # Deals are independent of one another and of the samples: no correlation between
    # neighbouring cells either way.
    assert abs(np.corrcoef(w[:-1].ravel(), w[1:].ravel())[0, 1]) < 0.005
    assert abs(np.corrcoef(w[:, :-1].ravel(), w[:, 1:].ravel())[0, 1]) < 0.005


def test_the_weights_follow_the_seed() -> None:
    a = poisson_weights(np.random.default_rng(3), 1_000, 20)
    assert np.array_equal(a, poisson_weights(np.random.default_rng(3), 1_000, 20))
    assert not np.array_equal(a, poisson_weights(np.random.default_rng(4), 1_000, 20))
