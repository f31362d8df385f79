"""Exact Markov removal effects: published toy, brute force on random chains, determinism.

The expected values of the toy come from ChannelAttribution's white paper; do not update
them to make a failing test pass.
"""

from __future__ import annotations

import numpy as np
import pytest
from revstory.attribute.markov import pair_credit, removal_effects


def _arrays(
    paths: list[str], converted: list[bool]
) -> tuple[list[int], list[int], list[bool], list[str]]:
    names = sorted({c for p in paths for c in p.split(">")})
    code = {n: i for i, n in enumerate(names)}
    j, s, c = [], [], []
    for i, (p, conv) in enumerate(zip(paths, converted, strict=True)):
        for item in p.split(">"):
            j.append(i)
            s.append(code[item])
            c.append(conv)
    return j, s, c, names


def test_white_paper_toy() -> None:
    j, s, c, names = _arrays(["A>B>A>B>B>A", "A>B>B>A>A", "A>A"], [True] * 3)
    res = removal_effects(j, s, c, len(names))
    assert names == ["A", "B"]
    assert res.removal_effects == pytest.approx([1.0, 0.5], abs=1e-12)
    assert res.conversion_probability == pytest.approx(1.0)
    # 3 conversions split by normalised removal effects: A 2, B 1.
    assert 3 * res.shares() == pytest.approx([2.0, 1.0], abs=1e-12)


def _brute(
    paths: list[list[int]], conv: list[bool], weights: list[float], order: int, n_pieces: int
) -> list[float]:
    """Build the chain with plain Python and remove each piece by a direct solve."""
    states: dict[tuple[int, ...], int] = {}
    trans: dict[tuple[object, object], float] = {}
    for path, cv, w in zip(paths, conv, weights, strict=True):
        col = [p for i, p in enumerate(path) if i == 0 or path[i - 1] != p]
        seq = [tuple(col[max(0, i - order + 1) : i + 1]) for i in range(len(col))]
        prev: object = "S"
        for st in seq:
            states.setdefault(st, len(states))
            trans[(prev, st)] = trans.get((prev, st), 0.0) + w
            prev = st
        end = "C" if cv else "N"
        trans[(prev, end)] = trans.get((prev, end), 0.0) + w
    m = len(states)
    idx = {**{st: i for st, i in states.items()}, "S": m}
    q = np.zeros((m + 1, m + 1))
    r = np.zeros(m + 1)
    for (a, b), w in trans.items():
        if b == "C":
            r[idx[a]] += w
        elif b != "N":
            q[idx[a], idx[b]] += w
    out = (
        q.sum(1)
        + r
        + np.array(
            [
                sum(w for (a, b), w in trans.items() if b == "N" and idx[a] == i)
                for i in range(m + 1)
            ]
        )
    )
    q /= out[:, None]
    r /= out

    def p_conv(removed: set[int]) -> float:
        qq, rr = q.copy(), r.copy()
        for i in removed:
            qq[i, :] = 0.0
            rr[i] = 0.0
        return float(np.linalg.solve(np.eye(m + 1) - qq, rr)[m])

    base = p_conv(set())
    return [1 - p_conv({i for st, i in states.items() if k in st}) / base for k in range(n_pieces)]


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_removal(order: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_pieces = int(rng.integers(2, 7))
    paths = [list(rng.integers(0, n_pieces, size=rng.integers(1, 7))) for _ in range(40)]
    conv = [bool(x) for x in rng.random(40) < 0.4]
    conv[0] = True
    weights = list(rng.integers(1, 4, size=40).astype(float))
    j = [i for i, p in enumerate(paths) for _ in p]
    s = [x for p in paths for x in p]
    c = [conv[i] for i, p in enumerate(paths) for _ in p]
    w = [weights[i] for i, p in enumerate(paths) for _ in p]
    res = removal_effects(j, s, c, n_pieces, order=order, weight=w)
    expected = _brute(paths, conv, weights, order, n_pieces)
    assert res.removal_effects == pytest.approx(expected, abs=1e-10)


def test_deterministic_and_row_weight_equivalence() -> None:
    rng = np.random.default_rng(7)
    j = np.repeat(np.arange(300), 3)
    s = rng.integers(0, 20, size=900)
    c = np.repeat(rng.random(300) < 0.3, 3)
    a = removal_effects(j, s, c, 20)
    b = removal_effects(j, s, c, 20)
    assert np.array_equal(a.removal_effects, b.removal_effects)
    # Two copies of every journey = weight 2: same chain, same effects.
    j2 = np.concatenate([j, j + 300])
    twice = removal_effects(j2, np.tile(s, 2), np.tile(c, 2), 20)
    weighted = removal_effects(j, s, c, 20, weight=np.full(900, 2.0))
    assert twice.removal_effects == pytest.approx(a.removal_effects, abs=1e-12)
    assert weighted.removal_effects == pytest.approx(a.removal_effects, abs=1e-12)


def test_value_effects_equal_count_effects_for_constant_value() -> None:
    j, s, c, names = _arrays(["A>B", "B>C", "A>C>B", "C"], [True, False, True, True])
    res = removal_effects(j, s, c, len(names), value=[5.0] * len(j))
    assert res.value_removal_effects is not None
    assert res.value_removal_effects == pytest.approx(res.removal_effects, abs=1e-12)


def test_no_conversion_gives_zero_effects_and_bad_input_is_refused() -> None:
    res = removal_effects([0, 0, 1], [0, 1, 1], [False, False, False], 2)
    assert res.removal_effects.tolist() == [0.0, 0.0]
    with pytest.raises(ValueError, match="order must be 1, 2 or 3"):
        removal_effects([0], [0], [True], 1, order=4)
    with pytest.raises(ValueError, match=r"state codes must lie in \[0, 1\)"):
        removal_effects([0], [3], [True], 1)


def test_pair_credit_sums_to_one_per_deal_with_fallback() -> None:
    pair_deal = np.array([0, 0, 1, 1])
    pair_state = np.array([0, 1, 2, 3])
    effects = np.array([0.2, 0.6, 0.0, 0.0])
    fallback = np.array([0.5, 0.5, 0.25, 0.75])
    credit = pair_credit(pair_deal, pair_state, effects, 2, fallback)
    assert credit.tolist() == pytest.approx([0.25, 0.75, 0.25, 0.75])


def test_the_solve_holds_one_matrix_at_a_time() -> None:
    """An order-1 solve over m states keeps one (m + 3)² float matrix alive (the counts,
    laid out as LAPACK reads them, factorised and both triangles inverted in place) plus
    slices of it for the diagonal of the inverse, so 5,000 pieces stay within about 250 MB.
    Traced by tracemalloc, which sees numpy's allocations."""
    import tracemalloc

    rng = np.random.default_rng(7)
    m = 600
    journey = np.sort(rng.integers(0, 1000, 6_000))
    state = rng.integers(0, m, len(journey))
    won = journey % 3 == 0
    matrix = 8 * (m + 3) ** 2
    removal_effects(journey, state, won, m)  # SciPy's first import allocates too
    tracemalloc.start()
    try:
        res = removal_effects(journey, state, won, m)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.removal_effects.shape == (m,) and res.removal_effects.max() > 0
    # The code before: 2.9 (two triangles and a gathered copy), and 5.2 before that.
    assert matrix < peak < 1.8 * matrix, peak / matrix


@pytest.mark.parametrize("n", [5, 64, 130])
def test_diagonal_row_and_solves_of_the_inverse(n: int) -> None:
    """The in-place solve gives diag(A⁻¹), the START row of A⁻¹ and A⁻¹x, whatever the size
    against the blocks of the diagonal (smaller than one, exactly one, two and a part)."""
    from revstory.attribute.markov import _diag_row_solve

    rng = np.random.default_rng(n)
    q = rng.random((n, n)) * (rng.random((n, n)) < 0.3)
    q /= q.sum(axis=1, keepdims=True) * 1.25  # substochastic: I − Q is invertible
    a = np.eye(n) - q
    x = rng.random(n)
    inv = np.linalg.inv(a)
    diag, row, (solved,) = _diag_row_solve([np.asfortranarray(a)], n - 1, [x])
    assert diag == pytest.approx(np.diagonal(inv), rel=1e-12)
    assert row == pytest.approx(inv[n - 1], rel=1e-12, abs=1e-15)
    assert solved == pytest.approx(inv @ x, rel=1e-12)
