"""attribution sums deal_credit per (quarter, piece, model) and sorts by the names."""

from __future__ import annotations

import numpy as np
import pandas as pd
from revstory.attribute.pairs import CreditPairs, per_piece
from revstory.attribute.stage import _per_piece


def _cat(values: list[str], categories: list[str]) -> pd.Categorical:
    return pd.Categorical(values, categories=categories)


def test_sums_per_piece_sorted_by_name_not_by_code() -> None:
    # Models in the configured order (not alphabetical), as credit_frame lays them out.
    models = ["z_model", "a_model"]
    deal_credit = pd.DataFrame(
        {
            "quarter": _cat(["2026-Q2"] * 4 + ["2026-Q1"] * 2, ["2026-Q1", "2026-Q2"]),
            "deal_id": _cat(["D2", "D2", "D3", "D3", "D1", "D1"], ["D1", "D2", "D3"]),
            "content_id": _cat(["b", "b", "b", "b", "a", "a"], ["a", "b"]),
            "model": _cat(models * 3, models),
            "credit": [0.25, 0.5, 0.125, 1.0, 1.0, 1.0],
            "revenue_minor": [100, 200, 50, 400, 700, 700],
        }
    )
    out = _per_piece(deal_credit)
    assert out.to_dict("list") == {
        "quarter": ["2026-Q1", "2026-Q1", "2026-Q2", "2026-Q2"],
        "content_id": ["a", "a", "b", "b"],
        "model": ["a_model", "z_model", "a_model", "z_model"],
        "revenue_minor": [700, 700, 600, 150],
        "credit": [1.0, 1.0, 1.5, 0.375],
        "deals_influenced": [1, 1, 2, 2],
    }


def _pairs(seed: int) -> CreditPairs:
    """Random pair credit: three quarters, deals in order, pairs in (deal, content) order."""
    rng = np.random.default_rng(seed)
    n_deals, n_pieces = 60, 7
    deal_quarter = np.sort(rng.integers(0, 3, n_deals))
    # Each deal reads a random non-empty set of pieces; pairs come in (deal, content) order.
    reads = rng.random((n_deals, n_pieces)) < 0.4
    reads[np.arange(n_deals), rng.integers(0, n_pieces, n_deals)] = True
    pair_deal, pair_content = np.nonzero(reads)
    models = ["w_shaped", "linear", "first_touch"]
    return CreditPairs(
        pair_deal=pair_deal.astype(np.int64),
        pair_content=pair_content.astype(np.int64),
        deal_quarter=deal_quarter.astype(np.int64),
        quarters=pd.Index(["2026-Q1", "2026-Q2", "2026-Q3"]),
        deal_ids=pd.Index([f"D{d:03d}" for d in range(n_deals)]),
        # Code order is not name order: the output must still be sorted by name.
        pieces=pd.Index(["p3", "p1", "p0", "p6", "p2", "p5", "p4"]),
        models=pd.Index(models),
        # Thirds and tenths: sums whose bits depend on the order they are added in.
        credit=rng.integers(1, 30, (len(pair_deal), len(models))) / rng.choice([3.0, 10.0]),
        revenue=rng.integers(0, 10**9, (len(pair_deal), len(models))),
    )


def test_sums_from_the_pairs_are_the_long_frames_bit_for_bit() -> None:
    for seed in range(5):
        pairs = _pairs(seed)
        out, long = per_piece(pairs), _per_piece(pairs.frame())
        assert list(out.columns) == list(long.columns)
        for col in out.columns:
            assert out[col].dtype == long[col].dtype, col
            assert out[col].tolist() == long[col].tolist(), col
        assert out["deals_influenced"].sum() == len(pairs.pair_deal) * len(pairs.models)


def test_sums_from_pairs_of_a_sorted_book_need_no_sort_and_match() -> None:
    # The inventory's book is sorted by content_id (the run's case): the rows come out in
    # name order without sorting, the models still by name, the same figures to the bit.
    for seed in range(5):
        pairs = _pairs(seed)
        pairs = CreditPairs(**{**pairs.__dict__, "pieces": pd.Index(sorted(pairs.pieces))})
        out, long = per_piece(pairs), _per_piece(pairs.frame())
        assert out["model"].tolist()[:3] == ["first_touch", "linear", "w_shaped"]
        for col in out.columns:
            assert out[col].dtype == long[col].dtype, col
            assert out[col].tolist() == long[col].tolist(), col
