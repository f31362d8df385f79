"""Invariants of the pure model functions, on hundreds of generated journeys in memory.

- role flags: one first and one closing touch per journey; lead creation is the first
  conversion, opportunity creation the last touch at or before the deal's creation;
- every rule-based model: weights never negative and summing to 1 per journey, unchanged
  when other journeys are added beside it;
- ``allocate``: the cents add up to each deal's amount exactly, never negative, each within
  one cent of its exact share;
- Markov removal effects in [0, 1] and credit summing to 1 per deal; Shapley values summing
  to the grand coalition's value (efficiency), symmetric players getting equal values.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from revstory.attribute.heuristic import POSITION_RULES, Touches, role_flags, weights_for
from revstory.attribute.markov import pair_credit, removal_effects
from revstory.attribute.money import allocate
from revstory.attribute.shapley import coalition_values, shapley_values

MODELS = (*POSITION_RULES, "linear", "time_decay")
MANY = settings(max_examples=200, deadline=None)


@st.composite
def journey(draw: st.DrawFn) -> tuple[list[float], list[bool], list[bool]]:
    """One journey in time order: days before the close (non-increasing), conversion flags,
    before-creation flags (a prefix: touches before the deal was created come first)."""
    n = draw(st.integers(1, 12))
    gaps = draw(st.lists(st.floats(0, 40, allow_nan=False), min_size=n, max_size=n))
    days = list(np.cumsum(gaps[::-1])[::-1] - gaps[-1])
    conv = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    created = draw(st.integers(0, n))
    return days, conv, [i < created for i in range(n)]


def touches(journeys: list[tuple[list[float], list[bool], list[bool]]]) -> Touches:
    return Touches(
        deal=np.concatenate(
            [np.full(len(d), i, dtype=np.int64) for i, (d, _, _) in enumerate(journeys)]
        ),
        n_deals=len(journeys),
        days_before_close=np.concatenate([np.asarray(d, dtype=np.float64) for d, _, _ in journeys]),
        is_conversion=np.concatenate([np.asarray(c, dtype=bool) for _, c, _ in journeys]),
        before_created=np.concatenate([np.asarray(b, dtype=bool) for _, _, b in journeys]),
    )


journeys = st.lists(journey(), min_size=1, max_size=6)


@MANY
@given(journeys)
def test_role_flags(js: list[tuple[list[float], list[bool], list[bool]]]) -> None:
    t = touches(js)
    flags = role_flags(t)
    start = 0
    for days, conv, pre in js:
        sl = slice(start, start + len(days))
        start += len(days)
        ft, cw = flags["FT"][sl], flags["CW"][sl]
        assert ft.tolist() == [i == 0 for i in range(len(days))]
        assert cw.tolist() == [i == len(days) - 1 for i in range(len(days))]
        lc = flags["LC"][sl].tolist()
        first_conv = conv.index(True) if True in conv else None
        assert lc == [i == first_conv for i in range(len(days))]
        oc = flags["OC"][sl].tolist()
        last_pre = max((i for i, b in enumerate(pre) if b), default=None)
        assert oc == [i == last_pre for i in range(len(days))]


@MANY
@given(journeys, st.sampled_from(MODELS), st.floats(0.5, 60))
def test_weights_sum_to_one_and_are_local(
    js: list[tuple[list[float], list[bool], list[bool]]], model: str, half_life: float
) -> None:
    t = touches(js)
    w = weights_for(model, t, role_flags(t), half_life)
    assert (w >= 0).all()
    np.testing.assert_allclose(np.bincount(t.deal, weights=w), 1.0, rtol=0, atol=1e-9)
    # A journey's weights do not depend on the journeys beside it.
    alone = touches(js[:1])
    w1 = weights_for(model, alone, role_flags(alone), half_life)
    np.testing.assert_allclose(w[: len(w1)], w1, rtol=0, atol=1e-12)


@MANY
@given(
    st.lists(
        st.tuples(st.integers(0, 10**9), st.lists(st.floats(0, 1), min_size=1, max_size=10)),
        min_size=1,
        max_size=8,
    )
)
def test_allocate_adds_up_to_the_cent(deals: list[tuple[int, list[float]]]) -> None:
    group, weights, amount = [], [], []
    for g, (cents, raw) in enumerate(deals):
        total = sum(raw)
        w = [x / total for x in raw] if total > 0 else [1.0 / len(raw)] * len(raw)
        group += [g] * len(w)
        weights += w
        amount.append(cents)
    grp = np.asarray(group, dtype=np.int64)
    wts = np.asarray(weights, dtype=np.float64)
    amt = np.asarray(amount, dtype=np.int64)
    out = allocate(grp, amt, wts, np.arange(len(grp), dtype=np.int64))
    assert (out >= 0).all()
    assert np.bincount(grp, weights=out, minlength=len(amt)).astype(np.int64).tolist() == amount
    assert (np.abs(out - amt[grp] * wts) < 1 + 1e-6).all()


@MANY
@given(
    st.lists(
        st.tuples(st.lists(st.integers(0, 4), min_size=1, max_size=6), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_markov_effects_and_credit(paths: list[tuple[list[int], bool]]) -> None:
    journey_ids = np.concatenate([np.full(len(p), i) for i, (p, _) in enumerate(paths)])
    states = np.concatenate([np.asarray(p) for p, _ in paths])
    converted = np.concatenate([np.full(len(p), won) for p, won in paths])
    fx = removal_effects(journey_ids, states, converted, 5)
    assert ((fx.removal_effects >= -1e-12) & (fx.removal_effects <= 1 + 1e-12)).all()
    # A piece no journey holds has no effect.
    unused = sorted(set(range(5)) - set(states.tolist()))
    assert (fx.removal_effects[unused] == 0).all()
    pair_deal = np.concatenate([np.full(len(set(p)), i) for i, (p, _) in enumerate(paths)])
    pair_state = np.concatenate([np.asarray(sorted(set(p))) for p, _ in paths])
    fallback = np.concatenate([np.full(len(set(p)), 1 / len(set(p))) for p, _ in paths])
    credit = pair_credit(pair_deal, pair_state, fx.removal_effects, len(paths), fallback)
    assert (credit >= 0).all()
    np.testing.assert_allclose(np.bincount(pair_deal, weights=credit), 1.0, atol=1e-9)


@MANY
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(1, 2**n - 1), st.integers(0, 5), st.integers(0, 5)),
                min_size=1,
                max_size=20,
            ),
        )
    )
)
def test_shapley_efficiency(case: tuple[int, list[tuple[int, int, int]]]) -> None:
    n, rows = case
    sets = [s for s, _, _ in rows]
    v = coalition_values(sets, [w for _, w, _ in rows], [lo for _, _, lo in rows], n)
    phi = shapley_values(v, n)
    np.testing.assert_allclose(phi.sum(), v[-1], atol=1e-9)


@MANY
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=4))
def test_shapley_symmetric_players_share_equally(rows: list[tuple[int, int]]) -> None:
    # Players 0 and 1 always appear together, so they are symmetric.
    sets = [0b11] * len(rows) + [0b111]
    won = [w for w, _ in rows] + [1]
    lost = [lo for _, lo in rows] + [1]
    phi = shapley_values(coalition_values(sets, won, lost, 3), 3)
    assert abs(phi[0] - phi[1]) < 1e-12
