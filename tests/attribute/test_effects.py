"""effects.csv: the global removal effects and Shapley values, on ChannelAttribution's own
example data, recomputed independently, and written by ``revstory attribute --out``.

The reference figures below come from perf-baselines.md §2 (exact absorbing-chain removal
effects under ChannelAttribution's conventions, checked there against brute force and
against DP6 ``mam``). Do not update them to make a failing test pass.
"""

from __future__ import annotations

import csv
import gzip
from itertools import pairwise
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.export import EFFECT_COLUMNS, effects_frame

DATA = Path(__file__).parents[1] / "fixtures" / "channelattribution" / "data.csv.gz"

#: Exact conversions per channel, order 1 with the non-converting paths (CA's ``var_null``),
#: rounded to 4 decimals (perf-baselines.md §2, ``exact_markov_numpy.order1_with_null``).
EXACT_WITH_NULL = {
    "eta": 3340.8474,
    "iota": 3884.6147,
    "alpha": 5344.9477,
    "beta": 2527.3522,
    "theta": 1971.9129,
    "lambda": 1282.8472,
    "kappa": 274.3633,
    "zeta": 381.0626,
    "epsilon": 599.5707,
    "gamma": 171.1454,
    "delta": 4.6136,
    "mi": 1.7224,
}


def _paths() -> list[tuple[list[str], int, int]]:
    with gzip.open(DATA, "rt", encoding="utf-8", newline="") as fh:
        return [
            (
                [c.strip() for c in r["path"].split(">")],
                int(r["total_conversions"]),
                int(r["total_null"]),
            )
            for r in csv.DictReader(fh)
        ]


@pytest.fixture(scope="module")
def paths() -> list[tuple[list[str], int, int]]:
    return _paths()


@pytest.fixture(scope="module")
def effects(paths: list[tuple[list[str], int, int]]) -> pd.DataFrame:
    """effects_frame over one revstory journey per conversion (won) and per null (lost)."""
    touches, deal, won = [], [], []
    n = 0
    for path, conv, null in paths:
        for converted, count in ((True, conv), (False, null)):
            for _ in range(count):
                touches.extend(path)
                deal.extend([n] * len(path))
                won.extend([converted] * len(path))
                n += 1
    journeys = pd.DataFrame(
        {
            "quarter": "2026-Q3",
            "deal_id": np.asarray(deal),
            "won": np.asarray(won),
            "content_id": touches,
            "content_type": touches,
            "channel": "web",
        }
    )
    return effects_frame(journeys)


def _brute_force_removal(paths: list[tuple[list[str], int, int]]) -> dict[str, float]:
    """1 − P(conv | k removed) / P(conv), one linear solve per removed channel."""
    names = sorted({c for p, _, _ in paths for c in p})
    idx = {c: i + 1 for i, c in enumerate(names)}  # 0 = START
    m = len(names) + 1
    q = np.zeros((m, m))
    to_conv = np.zeros(m)
    to_null = np.zeros(m)
    for path, conv, null in paths:
        collapsed = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        w = conv + null
        q[0, idx[collapsed[0]]] += w
        for a, b in pairwise(collapsed):
            q[idx[a], idx[b]] += w
        to_conv[idx[collapsed[-1]]] += conv
        to_null[idx[collapsed[-1]]] += null
    out = q.sum(axis=1) + to_conv + to_null
    q /= out[:, None]
    r = to_conv / out

    def p_conv(removed: int | None) -> float:
        qq, rr = q.copy(), r.copy()
        if removed is not None:
            qq[removed] = 0.0
            rr[removed] = 0.0
        return float(np.linalg.solve(np.eye(m) - qq, rr)[0])

    base = p_conv(None)
    return {c: 1.0 - p_conv(idx[c]) / base for c in names}


def _brute_force_shapley(paths: list[tuple[list[str], int, int]]) -> dict[str, float]:
    """Shapley values over conversion-rate coalitions, straight from the definition."""
    names = sorted({c for p, _, _ in paths for c in p})
    bit = {c: 1 << i for i, c in enumerate(names)}
    won: dict[int, int] = {}
    total: dict[int, int] = {}
    for path, conv, null in paths:
        mask = 0
        for c in path:
            mask |= bit[c]
        won[mask] = won.get(mask, 0) + conv
        total[mask] = total.get(mask, 0) + conv + null
    sets = np.array(list(total), dtype=np.int64)
    rate = np.array([won[t] / total[t] for t in total.keys()])
    n = len(names)
    v = np.array([rate[(sets & ~s) == 0].sum() for s in range(1 << n)])
    phi = {}
    for i, c in enumerate(names):
        acc = 0.0
        for s in range(1 << n):
            if s & (1 << i):
                continue
            k = bin(s).count("1")
            acc += factorial(k) * factorial(n - k - 1) / factorial(n) * (v[s | 1 << i] - v[s])
        phi[c] = acc
    return phi


def test_removal_effects_equal_the_exact_absorbing_chain(
    paths: list[tuple[list[str], int, int]], effects: pd.DataFrame
) -> None:
    pieces = effects[effects["dimension"] == "content_id"].set_index("state")
    expected = _brute_force_removal(paths)
    assert sorted(pieces.index) == sorted(expected)
    for channel, re in expected.items():
        assert pieces.at[channel, "removal_effect"] == pytest.approx(re, abs=1e-6)
    shares = pieces["removal_effect"] / pieces["removal_effect"].sum()
    assert (pieces["share"] - shares).abs().max() < 1e-12
    # ChannelAttribution reports total_conversions = share × conversions (19,785).
    for channel, conv in EXACT_WITH_NULL.items():
        assert pieces.at[channel, "conversions"] == pytest.approx(conv, abs=6e-5)
    assert pieces["conversions"].sum() == pytest.approx(19_785)
    # P(conv) from START is the conversion share of all journeys: 19,785 / 88,387.
    assert pieces["conversion_probability"].iloc[0] == pytest.approx(19_785 / 88_387, abs=1e-12)


def test_shapley_values_equal_the_definition(
    paths: list[tuple[list[str], int, int]], effects: pd.DataFrame
) -> None:
    types = effects[effects["dimension"] == "content_type"].set_index("state")
    expected = _brute_force_shapley(paths)
    for channel, phi in expected.items():
        assert types.at[channel, "shapley_value"] == pytest.approx(phi, abs=1e-9)
    assert types["shapley_share"].sum() == pytest.approx(1.0)
    # Shapley values only for content types; one channel ("web") removes to 1.
    other = effects[effects["dimension"] != "content_type"]
    assert other["shapley_value"].isna().all()
    web = effects[effects["dimension"] == "channel"]
    assert web[["state", "removal_effect", "share"]].values.tolist() == [["web", 1.0, 1.0]]


def test_attribute_writes_effects_csv(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["attribute", str(fixtures / "drops" / "minimal"), "--out", str(tmp_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert str(tmp_path / "effects.csv") in result.output
    with open(tmp_path / "effects.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == EFFECT_COLUMNS
    # Won D1 read a > b > c > d > e; lost D2 read a; D3 has no touch. P(conv) = 1/2 (a goes on
    # to b half the time) and removing any piece of D1's path leaves no conversion: every
    # removal effect is 1, shared equally. Types: only the four types of D1 together
    # convert (a unanimity game), so each gets a Shapley value of 1/4.
    pieces = [
        (r["state"], r["removal_effect"], r["share"], r["conversion_probability"])
        for r in rows
        if r["dimension"] == "content_id"
    ]
    assert pieces == [(c, "1.0000000000", "0.2000000000", "0.5000000000") for c in "abcde"]
    types = {r["state"]: r["shapley_value"] for r in rows if r["dimension"] == "content_type"}
    assert types == dict.fromkeys(["article", "case_study", "ebook", "webinar"], "0.2500000000")
    channels = {r["state"]: r["share"] for r in rows if r["dimension"] == "channel"}
    assert channels == dict.fromkeys(["email", "organic_search", "sales"], "0.3333333333")


def test_no_effects_csv_without_a_data_driven_model(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "attribute",
            str(fixtures / "drops" / "minimal"),
            "--out",
            str(tmp_path),
            "--models",
            "linear",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "effects.csv").exists()


def test_the_journeys_are_fitted_once_with_the_frames_own_figures(fixtures: Path) -> None:
    from revstory.attribute.data_driven import FittedJourneys, JourneyFrame, journey_frame
    from revstory.config import AttributionConfig
    from revstory.export import EFFECT_DIMENSIONS
    from revstory.journeys import build_journeys
    from revstory.pipeline import check

    config = AttributionConfig()
    journeys = build_journeys(check([fixtures / "drops" / "minimal"], config), config)
    fitted = journeys.closed()
    # The model and effects.csv read the one fit: the journeys are read and solved once.
    assert isinstance(fitted, FittedJourneys) and journeys.closed() is fitted
    frame = JourneyFrame(journey_frame(journeys.con))
    for by in EFFECT_DIMENSIONS:
        pd.testing.assert_frame_equal(fitted.markov(by, 1), frame.markov(by, 1), check_exact=True)
    pd.testing.assert_frame_equal(
        fitted.shapley("content_type"), frame.shapley("content_type"), check_exact=True
    )
    pd.testing.assert_series_equal(fitted.won_deals(), frame.won_deals())
    assert effects_frame(fitted).equals(effects_frame(frame))
    # A copy each time: a caller that changes its frame cannot change the next caller's.
    changed = fitted.markov("content_id", 1)
    changed.loc[0, "share"] = 9.0
    assert fitted.markov("content_id", 1)["share"].tolist() == [0.2] * 5
    with pytest.raises(ValueError, match="fitted for order 1 over content_id, content_type"):
        fitted.markov("content_id", 2)
    with pytest.raises(ValueError, match="content types as players, not channel"):
        fitted.shapley("channel")


@pytest.mark.parametrize("seed", range(4))
def test_counted_codes_equal_sorted_ones(seed: int) -> None:
    """The data-driven models number states by counting, not sorting: the same present codes
    and ranks as np.unique, and the same first-seen numbering as pd.factorize."""
    from revstory.attribute.data_driven import _first_seen_codes, _present

    rng = np.random.default_rng(seed)
    codes = rng.choice(rng.permutation(50)[:12], size=int(rng.integers(1, 300)))
    present, rank = _present(codes)
    expected, inverse = np.unique(codes, return_inverse=True)
    assert present.tolist() == expected.tolist() and rank.tolist() == inverse.tolist()
    renumbered, n = _first_seen_codes(codes, 50)
    factorized, uniques = pd.factorize(codes)
    assert renumbered.tolist() == factorized.tolist() and n == len(uniques)
    assert [a.tolist() for a in _present(np.array([], dtype=np.int64))] == [[], []]
    assert [a.tolist() for a in _present(np.array([2, -1, 2]))] == [[-1, 2], [1, 0, 1]]
