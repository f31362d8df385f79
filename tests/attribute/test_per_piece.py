"""attribution sums deal_credit per (quarter, piece, model) and sorts by the names."""

from __future__ import annotations

import pandas as pd
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
