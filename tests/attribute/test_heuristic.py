"""Hand-checked journeys with exact expected figures, including the public examples
(HockeyStack / coreyhaines31 marketingskills: a 12,000 deal touched 38, 33, 26, 8 and 0 days
before close). Do not change an expected value unless the model definition changed."""

from __future__ import annotations

import numpy as np
import pytest
from revstory.attribute.heuristic import Touches, role_flags, weights_for
from revstory.attribute.money import Allocator, allocate


def journey(
    days: list[float], conv: list[bool] | None = None, pre: list[bool] | None = None
) -> Touches:
    n = len(days)
    return Touches(
        deal=np.zeros(n, dtype=np.int64),
        n_deals=1,
        days_before_close=np.array(days, dtype=float),
        is_conversion=np.array(conv or [False] * n),
        before_created=np.array(pre or [False] * n),
    )


def split(model: str, t: Touches, amount: int = 1_200_000, half_life: float = 7.0) -> list[int]:
    w = weights_for(model, t, role_flags(t), half_life)
    cents = allocate(t.deal, np.array([amount]), w, np.arange(len(w)))
    return cents.tolist()


PUBLIC = [38, 33, 26, 8, 0]


def test_linear_public_example() -> None:
    assert split("linear", journey(PUBLIC)) == [240_000] * 5


def test_position_based_public_example() -> None:
    assert split("position_based", journey(PUBLIC)) == [480_000, 80_000, 80_000, 80_000, 480_000]


def test_time_decay_public_example() -> None:
    got = [c / 100 for c in split("time_decay", journey(PUBLIC))]
    assert got == pytest.approx([175.2, 287.4, 574.9, 3417.0, 7545.4], abs=0.06)
    assert sum(split("time_decay", journey(PUBLIC))) == 1_200_000


def test_first_and_last_touch() -> None:
    assert split("first_touch", journey(PUBLIC)) == [1_200_000, 0, 0, 0, 0]
    assert split("last_touch", journey(PUBLIC)) == [0, 0, 0, 0, 1_200_000]


def test_j_shapes() -> None:
    # 20 % first, 60 % last, 20 % over the 3 middle touches.
    assert split("j_shaped", journey(PUBLIC)) == [240_000, 80_000, 80_000, 80_000, 720_000]
    assert split("inverse_j", journey(PUBLIC)) == [720_000, 80_000, 80_000, 80_000, 240_000]


def test_w_shaped_with_all_roles() -> None:
    # FT = touch 0, LC = touch 1 (first form fill), OC = touch 2 (last before creation).
    t = journey(
        PUBLIC, conv=[False, True, False, True, False], pre=[True, True, True, False, False]
    )
    # 30 % each to FT, LC, OC; 10 % split over touches 3 and 4.
    assert split("w_shaped", t, 10_000) == [3000, 3000, 3000, 500, 500]
    # Full path: 22.5 % FT, LC, OC, CW; 10 % to the one middle touch.
    assert split("full_path", t, 10_000) == [2250, 2250, 2250, 1000, 2250]
    # U-shaped: 40 % FT, 40 % LC, 20 % over the other three.
    assert split("u_shaped", t, 9_000) == [3600, 3600, 600, 600, 600]


def test_missing_role_shares_weight_among_present_roles() -> None:
    # No conversion touch: LC is missing; u_shaped gives its 40 % to FT (the only role left).
    t = journey([10, 5, 1])
    assert split("u_shaped", t, 10_000) == [8000, 1000, 1000]
    # w_shaped without LC and OC: FT takes 90 %, the rest share 10 %.
    assert split("w_shaped", t, 10_000) == [9000, 500, 500]


def test_coinciding_roles_add_up() -> None:
    # The first touch is also the lead creation and the last before creation.
    t = journey([10, 5, 1], conv=[True, False, False], pre=[True, False, False])
    assert split("w_shaped", t, 10_000) == [9000, 500, 500]
    assert split("full_path", t, 10_000) == [6750, 1000, 2250]


@pytest.mark.parametrize(
    "model",
    [
        "position_based",
        "u_shaped",
        "w_shaped",
        "full_path",
        "j_shaped",
        "inverse_j",
        "first_touch",
        "last_touch",
        "linear",
        "time_decay",
    ],
)
def test_short_journeys(model: str) -> None:
    assert split(model, journey([3]), 10_001) == [10_001]
    two = split(model, journey([3, 1]), 10_001)
    assert sum(two) == 10_001 and min(two) >= 0


def test_two_touch_position_based_is_half_half() -> None:
    assert split("position_based", journey([3, 1]), 10_000) == [5000, 5000]


def test_largest_remainder_is_deterministic_and_exact() -> None:
    # 100 cents over three equal shares: 34/33/33, the extra cent to the first by tiebreak.
    cents = allocate(np.zeros(3, dtype=np.int64), np.array([100]), np.full(3, 1 / 3), np.arange(3))
    assert cents.tolist() == [34, 33, 33]


def test_many_deals_vectorised() -> None:
    t = Touches(
        deal=np.array([0, 0, 1, 1, 1, 2]),
        n_deals=3,
        days_before_close=np.array([5, 0, 9, 4, 0, 1.0]),
        is_conversion=np.zeros(6, dtype=bool),
        before_created=np.zeros(6, dtype=bool),
    )
    w = weights_for("position_based", t, role_flags(t), 7.0)
    assert w.tolist() == pytest.approx([0.5, 0.5, 0.4, 0.2, 0.4, 1.0])


def test_one_allocator_splits_as_allocate_does_in_either_layout() -> None:
    rng = np.random.default_rng(11)
    n_groups = 400
    group = np.sort(rng.integers(0, n_groups, 5_000))
    tiebreak = np.zeros_like(group)
    for g in np.unique(group):  # distinct tiebreaks within each group, increasing
        tiebreak[group == g] = np.arange((group == g).sum())
    amount = rng.integers(1, 10**7, n_groups)
    # Thirds, sevenths and equal shares: many fractions tie, so the tiebreak decides.
    raw = rng.choice([1.0, 2.0, 3.0], size=len(group)) / rng.choice([3.0, 7.0])
    weights = raw / np.bincount(group, weights=raw, minlength=n_groups)[group]
    ordered = Allocator(group, amount, tiebreak)
    assert ordered.rank is not None  # the pipeline's layout: ranks computed once
    shuffled = rng.permutation(len(group))
    unordered = Allocator(group[shuffled], amount, tiebreak[shuffled])
    # A key base numbering the groups as they are: the general path, the same keys.
    based = Allocator(group, amount, tiebreak, np.arange(n_groups))
    assert unordered.rank is None and based.rank is None
    for _ in range(3):
        cents = ordered.split(weights)
        assert np.bincount(group, weights=cents, minlength=n_groups).tolist() == amount.tolist()
        assert cents.tolist() == allocate(group, amount, weights, tiebreak).tolist()
        assert cents.tolist() == based.split(weights).tolist()
        assert cents[shuffled].tolist() == unordered.split(weights[shuffled]).tolist()
        weights = np.roll(weights, 1)
        weights /= np.bincount(group, weights=weights, minlength=n_groups)[group]


def test_whole_weights_need_no_ranking() -> None:
    # First touch in deal 0, last touch in deal 1, one touch in deal 2: every cent is whole,
    # so split hands them out without ranking the fractions; the same cents as with a deal
    # that needs the ranking (thirds of 100 in deal 0: the extra cent by tiebreak).
    group = np.array([0, 0, 0, 1, 1, 2])
    money = Allocator(group, np.array([100, 7, 5]), np.array([0, 1, 2, 0, 1, 0]))
    whole = np.array([1.0, 0.0, 0.0, 0.0, 1.0, 1.0])
    assert money.split(whole).tolist() == [100, 0, 0, 0, 7, 5]
    thirds = np.array([1 / 3, 1 / 3, 1 / 3, 0.0, 1.0, 1.0])
    assert money.split(thirds).tolist() == [34, 33, 33, 0, 7, 5]
    # Weights summing to less than one leave cents for every row of a group: one each.
    assert money.split(np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0])).tolist() == [1, 1, 1, 1, 1, 1]
