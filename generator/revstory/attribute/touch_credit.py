"""Rule-based credit per (deal, piece) from a touch table, the same bits on any slice of deals.

One function gives the same bits on any slice of whole deals as on the whole run: the
building block for running the models over partitions (the Spark engine of issue 13, branch
``issue-13-spark-full``). The DuckDB stage makes the same calls inline
(revstory/attribute/stage.py).

In: :class:`~revstory.attribute.heuristic.Touches` sorted by deal then time, each touch's
content index, the deals' amounts (minor units). Out: :class:`PairCredit`, one row per
(deal, piece) pair in (deal, content) order, with every rule-based model's credit and cents.

Two global facts make a partition's figures equal to the whole run's, bit for bit:

- ``key_base``: the deals' numbers in the whole run; largest-remainder ties are decided on a
  float key built on the deal number (see :func:`revstory.attribute.money.allocate`).
- ``decay_shift``: whether any deal of the whole run underflows the time-decay weights, in
  which case every deal's weights are computed relative to its latest touch.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from revstory.attribute.heuristic import Touches, role_flags, role_presence, weights_for
from revstory.attribute.money import Allocator

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PairCredit:
    """Credit and revenue per (deal, piece) pair, one column per model asked for.

    Models this module does not compute get zeros; ``linear`` is always filled (it is the
    data-driven models' fallback and shapley's split within a type).
    """

    pair_deal: Ints
    pair_content: Ints
    credit: Floats
    revenue: npt.NDArray[np.int64]
    linear: Floats


#: The order the models are computed in, dearest first (unlisted: the position models,
#: 1): time decay's exponentials and per-deal maxima, then the position models' weights
#: and sorted split; first and last touch split without a sort, linear's weights are made
#: before. Any order gives the same figures: each model fills only its own columns.
_RUN_ORDER = {"time_decay": 0, "first_touch": 2, "last_touch": 2, "linear": 3}


def decay_underflows(min_days_before_close: float, half_life_days: float) -> bool:
    """Tell whether time-decay weights underflow to zero this many days before the close.

    A deal whose latest touch is that far from its close would get only zero weights
    (2^(−days/half-life) underflows), so weights are then taken relative.
    """
    return bool(np.exp2(-min_days_before_close / half_life_days) == 0.0)


def _shifted(t: Touches) -> Touches:
    shift = np.full(t.n_deals, np.inf)
    np.minimum.at(shift, t.deal, t.days_before_close)
    return replace(t, days_before_close=t.days_before_close - shift[t.deal])


def pair_credit(
    touches: Touches,
    content_idx: Ints,
    n_content: int,
    amount: Ints,
    models: Sequence[str],
    rule_models: Sequence[str],
    half_life_days: float,
    key_base: Ints | None = None,
    decay_shift: bool | None = None,
    threads: int = 1,
) -> PairCredit:
    """Credit and cents of ``rule_models`` (a subset of ``models``) per (deal, piece).

    ``threads`` > 1 computes the models on that many threads: each model's weights, sums and
    split are its own arithmetic on shared inputs (numpy's sorts and element-wise work
    release the GIL), so any number of threads gives the same bits.
    """
    n_content = max(n_content, 1)
    flags = role_flags(touches)
    presence = role_presence(touches, flags)
    # Touches are sorted by deal, so (deal, content) keys come grouped by deal already.
    pairs, pair_of_touch = np.unique(touches.deal * n_content + content_idx, return_inverse=True)
    pair_deal = (pairs // n_content).astype(np.int64)
    pair_content = (pairs % n_content).astype(np.int64)
    n_pairs = len(pairs)

    def summed(model: str) -> Floats:
        t = touches
        if model == "time_decay" and decay_shift:
            t = _shifted(touches)
        w = weights_for(model, t, flags, half_life_days, presence)
        return np.asarray(
            np.bincount(pair_of_touch, weights=w, minlength=n_pairs), dtype=np.float64
        )

    linear = summed("linear")
    money = Allocator(pair_deal, amount, pair_content, key_base)  # one for every model
    # One column a model, each contiguous (column-major): the models fill their own columns,
    # side by side when threaded, without sharing a cache line's worth of rows.
    credit = np.zeros((n_pairs, len(models)), order="F")
    revenue = np.zeros((n_pairs, len(models)), dtype=np.int64, order="F")

    def one(m: int) -> None:
        weights = linear if models[m] == "linear" else summed(models[m])
        credit[:, m] = weights
        revenue[:, m] = money.split(weights)

    # The dearest models first, so that the threads run out of work at about the same time.
    todo = sorted(
        (m for m, model in enumerate(models) if model in rule_models),
        key=lambda m: _RUN_ORDER.get(models[m], 1),
    )
    if threads > 1 and len(todo) > 1:
        with ThreadPoolExecutor(
            max_workers=min(threads, len(todo)), thread_name_prefix="revstory-credit"
        ) as pool:
            list(pool.map(one, todo))  # list(): a model's exception is raised here
    else:
        for m in todo:
            one(m)
    return PairCredit(pair_deal, pair_content, credit, revenue, linear)
