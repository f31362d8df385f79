"""The data-driven models from counts alone (what Spark hands back) equal the models on the
journey frame to the last bit; the counts here come from the same shared SQL run on DuckDB,
so these tests need no Spark. tests/engines/test_queries.py proves Spark's counts equal."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from revstory.attribute.counts import (
    CountedJourneys,
    markov_from_transitions,
    shapley_from_coalitions,
)
from revstory.attribute.data_driven import JourneyFrame, journey_frame
from revstory.config import make_config
from revstory.engines.dialect import shared_sql
from revstory.export import EFFECT_DIMENSIONS, effects_frame
from revstory.journeys import Journeys, build_journeys, sql
from revstory.pipeline import check


def counted(journeys: Journeys) -> CountedJourneys:
    closed = sql("closed_journeys.sql")
    transitions: dict[str, pd.DataFrame] = {
        by: journeys.con.execute(
            shared_sql("markov_transitions", "duckdb", closed=closed, state=by)
        ).df()
        for by in EFFECT_DIMENSIONS
    }
    coalitions = journeys.con.execute(
        shared_sql("shapley_coalitions", "duckdb", closed=closed, player="content_type")
    ).df()
    return CountedJourneys(transitions, coalitions)


def test_hand_checked_counts() -> None:
    # D1 (won) reads a, a, b; D2 (lost) reads a. START → a twice; a → b once, b → CONVERSION
    # once, a → NULL once. P(conv) = 1/2; removing a or b leaves no walk to CONVERSION, so
    # both removal effects are 1 and the shares 1/2.
    transitions = pd.DataFrame(
        {
            "quarter": ["2026-Q3"] * 5,
            "from_state": [None, None, "a", "b", "a"],
            "to_state": ["a", "a", "b", None, None],
            "won": [True, False, True, True, False],
            "transitions": [1, 1, 1, 1, 1],
        }
    )
    fx = markov_from_transitions(transitions, "content_id")
    assert fx.to_dict("records") == [
        {
            "quarter": "2026-Q3",
            "content_id": "a",
            "removal_effect": 1.0,
            "share": 0.5,
            "conversion_probability": 0.5,
        },
        {
            "quarter": "2026-Q3",
            "content_id": "b",
            "removal_effect": 1.0,
            "share": 0.5,
            "conversion_probability": 0.5,
        },
    ]
    # Types: {article} won 1 of 2 deals, {article, ebook} won 2 of 2. v({article}) = 1/2,
    # v({ebook}) = 0, v(both) = 1/2 + 1 = 3/2: φ_article = (1/2 + 3/2 − 0) / 2 = 1,
    # φ_ebook = (0 + 3/2 − 1/2) / 2 = 1/2.
    coalitions = pd.DataFrame(
        {
            "quarter": ["2026-Q3", "2026-Q3"],
            "players": [["article"], ["article", "ebook"]],
            "won_deals": [1, 2],
            "lost_deals": [1, 0],
        }
    )
    sh = shapley_from_coalitions(coalitions, "content_type")
    assert sh["content_type"].tolist() == ["article", "ebook"]
    assert sh["shapley_value"].tolist() == [1.0, 0.5]
    assert sh["share"].tolist() == [2 / 3, 1 / 3]


@pytest.mark.parametrize(
    "mode", ["contact", "account", pytest.param("sample", marks=pytest.mark.slow)]
)
def test_counts_equal_the_journey_frame(repo: Path, edge_drop: Path, mode: str) -> None:
    config = make_config({"journey_mode": "contact" if mode == "sample" else mode})
    drop = repo / "content" if mode == "sample" else edge_drop
    journeys = build_journeys(check([drop], config), config)
    frame = JourneyFrame(journey_frame(journeys.con))
    counts = counted(journeys)
    assert len(frame.frame) > (1000 if mode == "sample" else 10)
    # Bit for bit: every removal effect, share, Shapley value and conversion count.
    pd.testing.assert_frame_equal(effects_frame(counts), effects_frame(frame), check_exact=True)
    pd.testing.assert_series_equal(counts.won_deals(), frame.won_deals(), check_names=False)


@pytest.mark.slow  # two exact solves over 2**20 coalitions
def test_more_types_than_players() -> None:
    """Past 20 content types the least used are grouped as (other), from counts as from
    journeys: 22 types, deal i reads types 0..i."""
    from revstory.attribute.data_driven import shapley_effects

    rows = []
    for deal in range(22):
        for t in range(deal + 1):
            rows.append(("2026-Q3", f"D{deal:02d}", deal % 3 != 0, f"t{t:02d}"))
    frame = pd.DataFrame(rows, columns=["quarter", "deal_id", "won", "content_type"])
    per_deal = (
        frame.groupby(["quarter", "deal_id", "won"])["content_type"]
        .agg(lambda s: sorted(set(s)))
        .reset_index()
    )
    per_deal["key"] = per_deal["content_type"].map(tuple)
    coalitions = (
        per_deal.groupby(["quarter", "key"])
        .agg(won_deals=("won", "sum"), lost_deals=("won", lambda w: int((~w).sum())))
        .reset_index()
        .rename(columns={"key": "players"})
    )
    coalitions["players"] = coalitions["players"].map(list)
    from_counts = shapley_from_coalitions(coalitions, "content_type")
    assert "(other)" in set(from_counts["content_type"]) and len(from_counts) == 20
    pd.testing.assert_frame_equal(
        from_counts, shapley_effects(frame, "content_type"), check_exact=True
    )
