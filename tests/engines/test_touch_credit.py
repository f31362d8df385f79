"""A Spark partition's rule-based credit equals the whole run's, bit for bit: the partition
passes the global deal numbers (largest-remainder near-ties) and the global time-decay shift."""

from __future__ import annotations

import numpy as np
import pytest
from revstory.attribute.heuristic import Touches
from revstory.attribute.money import allocate
from revstory.attribute.touch_credit import decay_underflows, pair_credit
from revstory.config import HEURISTIC_MODELS


def table(rng: np.random.Generator, n_deals: int, far: bool) -> tuple[Touches, np.ndarray]:
    counts = rng.integers(1, 9, n_deals)
    deal = np.repeat(np.arange(n_deals), counts)
    days = np.concatenate([np.sort(rng.uniform(0, 400, c))[::-1] for c in counts])
    if far:  # one deal whose every touch is ~20,000 days before the close
        days[deal == 3] += 20_000
    content = rng.integers(0, 6, len(deal))
    return Touches(
        deal=deal,
        n_deals=n_deals,
        days_before_close=days,
        is_conversion=rng.random(len(deal)) < 0.3,
        before_created=rng.random(len(deal)) < 0.5,
    ), content


@pytest.mark.parametrize("far", [False, True])
def test_partitions_equal_the_whole_run(far: bool) -> None:
    rng = np.random.default_rng(5)
    t, content = table(rng, 40_000, far)
    amount = rng.integers(1, 10_000_000, t.n_deals)
    # Thirds: equal fractions whose float keys tie at large deal numbers.
    amount[::7] = 100
    models = HEURISTIC_MODELS
    whole = pair_credit(t, content, 6, amount, models, models, 7.0)
    min_days = np.full(t.n_deals, np.inf)
    np.minimum.at(min_days, t.deal, t.days_before_close)
    shift = decay_underflows(float(min_days.max()), 7.0)
    assert shift is far
    parts = []
    for lo, hi in ((0, 9_000), (9_000, 9_001), (9_001, 40_000)):
        sel = (t.deal >= lo) & (t.deal < hi)
        ids, local = np.unique(t.deal[sel], return_inverse=True)
        part = Touches(
            deal=local,
            n_deals=len(ids),
            days_before_close=t.days_before_close[sel],
            is_conversion=t.is_conversion[sel],
            before_created=t.before_created[sel],
        )
        parts.append(
            (
                ids,
                pair_credit(
                    part,
                    content[sel],
                    6,
                    amount[ids],
                    models,
                    models,
                    7.0,
                    key_base=ids,
                    decay_shift=shift,
                ),
            )
        )
    assert np.array_equal(np.concatenate([ids[p.pair_deal] for ids, p in parts]), whole.pair_deal)
    assert np.array_equal(np.concatenate([p.credit for _, p in parts]), whole.credit)
    assert np.array_equal(np.concatenate([p.revenue for _, p in parts]), whole.revenue)


def test_key_base_decides_near_ties_as_the_whole_run() -> None:
    # Deal 30,000 splits 1 cent over two rows whose fractions differ by 1e-13: at that deal
    # number the float sort key cannot tell them apart, so the smaller tiebreak wins.
    group = np.array([0, 0])
    weights = np.array([0.5 - 1e-13, 0.5 + 1e-13])
    amount = np.array([1])
    tiebreak = np.array([0, 1])
    assert allocate(group, amount, weights, tiebreak).tolist() == [0, 1]
    assert allocate(group, amount, weights, tiebreak, np.array([30_000])).tolist() == [1, 0]


@pytest.mark.parametrize("threads", [2, 3, 16])
def test_models_on_threads_give_the_serial_bits(threads: int) -> None:
    # The attribute stage computes the models on as many threads as there are CPUs; each
    # must fill its own columns with the serial figures, whatever the order they finish in.
    rng = np.random.default_rng(11)
    t, content = table(rng, 30_000, far=True)
    amount = rng.integers(1, 10_000_000, t.n_deals)
    amount[::5] = 100
    models = ("markov", *HEURISTIC_MODELS, "shapley")  # the data-driven ones stay zero
    serial = pair_credit(t, content, 6, amount, models, HEURISTIC_MODELS, 7.0, decay_shift=True)
    threaded = pair_credit(
        t, content, 6, amount, models, HEURISTIC_MODELS, 7.0, decay_shift=True, threads=threads
    )
    for name in ("pair_deal", "pair_content", "credit", "revenue", "linear"):
        a, b = getattr(serial, name), getattr(threaded, name)
        assert a.dtype == b.dtype and a.shape == b.shape, name
        assert np.array_equal(a, b), name
    assert not threaded.credit[:, [0, -1]].any() and not threaded.revenue[:, [0, -1]].any()
    # Every rule-based model's cents add up to each deal's amount (all deals have touches).
    per_deal = np.zeros((t.n_deals, len(models)), dtype=np.int64)
    np.add.at(per_deal, threaded.pair_deal, threaded.revenue)
    assert (per_deal[:, 1:-1] == amount[:, None]).all()
