"""The closed journeys as integer codes (revstory/attribute/coded.py) give the string journey
frame's figures to the last bit: removal effects, shares, Shapley values and won deals."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from revstory.attribute.coded import CodedJourneys, Dimension
from revstory.attribute.data_driven import JourneyFrame, journey_frame
from revstory.config import make_config
from revstory.export import EFFECT_DIMENSIONS, effects_frame
from revstory.journeys import build_journeys
from revstory.pipeline import check


def _tables(con: duckdb.DuckDBPyConnection) -> None:
    # Pieces named against their insertion order (b before a), a channel missing, a deal in
    # a second quarter, an open deal (not closed: left out) and a tie in time broken by the
    # piece: D1 (won, Q3) reads b at 10:00 then a and c at 11:00 (a sorts first), D2 (lost,
    # Q3) reads a, D3 (won, Q4) reads c, D4 (open) reads b.
    con.execute(
        "CREATE TABLE content AS SELECT * FROM (VALUES ('b', 'ebook'), ('a', 'article'), "
        "('c', NULL)) t(content_id, content_type)"
    )
    con.execute(
        "CREATE TABLE deals AS SELECT * FROM (VALUES ('D1', '2026-Q3', 'won'), "
        "('D2', '2026-Q3', 'lost'), ('D3', '2026-Q4', 'won'), ('D4', '2026-Q3', 'open')) "
        "t(deal_id, quarter, status)"
    )
    con.execute(
        "CREATE TABLE journeys AS SELECT deal_id, CAST(occurred_at AS TIMESTAMP) AS "
        "occurred_at, content_id, touch_type, channel, CAST(person_key AS UBIGINT) AS "
        "person_key FROM (VALUES "
        "('D1', '2026-07-01 11:00', 'c', 'view', 'email', 1), "
        "('D1', '2026-07-01 10:00', 'b', 'view', NULL, 1), "
        "('D1', '2026-07-01 11:00', 'a', 'view', 'web', 1), "
        "('D2', '2026-07-02 09:00', 'a', 'view', 'web', 2), "
        "('D4', '2026-07-02 09:00', 'b', 'view', 'web', 3), "
        "('D3', '2026-10-02 09:00', 'c', 'form', 'web', 4)) "
        "t(deal_id, occurred_at, content_id, touch_type, channel, person_key)"
    )
    # Deal numbers for deal_windows and the journeys (sql/journeys.sql gives them in no
    # particular order): against the deals' order, which no code may depend on.
    con.execute(
        "CREATE TEMP TABLE deal_windows AS SELECT deal_id, CAST(row_number() OVER "
        "(ORDER BY quarter DESC, deal_id DESC) - 1 AS INTEGER) AS deal_code FROM deals"
    )
    con.execute(
        "CREATE OR REPLACE TABLE journeys AS SELECT j.*, w.deal_code FROM journeys j "
        "JOIN deal_windows w USING (deal_id)"
    )


def test_hand_checked_codes() -> None:
    con = duckdb.connect()
    _tables(con)
    coded = CodedJourneys.read(con)
    # Journey order: D1 b, a, c; D2 a; D3 c. Pieces a, b, c are codes 0, 1, 2.
    assert coded.deal.tolist() == [0, 0, 0, 1, 2]
    assert coded.won.tolist() == [True, True, True, False, True]
    assert coded.quarters.tolist() == ["2026-Q3", "2026-Q4"]
    assert coded.quarter.tolist() == [0, 0, 0, 0, 1]
    pieces = coded.dimensions["content_id"]
    assert pieces.codes.tolist() == [1, 0, 2, 0, 2]
    assert pieces.names.tolist() == ["a", "b", "c"]
    types = coded.dimensions["content_type"]
    assert types.names.tolist() == ["(unknown)", "article", "ebook"]
    assert types.codes.tolist() == [2, 1, 0, 1, 0]
    channels = coded.dimensions["channel"]
    assert channels.names.tolist() == ["(none)", "email", "web"]
    assert channels.codes.tolist() == [0, 2, 1, 2, 2]
    # Q3's chain: START → b and START → a once each; b → a; a → c and a → NULL; c → CONV.
    # P(conv) = 1/2 (every walk passes a, which converts half the time). Without a or c no
    # walk converts (effect 1); without b only START → a → c is left: 1/4, effect 1/2.
    # Q4: START → c → CONV, effect 1.
    q3 = coded.markov("content_id", 1)
    assert q3["quarter"].tolist() == ["2026-Q3"] * 3 + ["2026-Q4"]
    assert q3["content_id"].tolist() == ["a", "b", "c", "c"]
    assert q3["removal_effect"].tolist() == [1.0, 0.5, 1.0, 1.0]
    assert q3["share"].tolist() == [0.4, 0.2, 0.4, 1.0]
    assert q3["conversion_probability"].tolist() == [0.5, 0.5, 0.5, 1.0]
    assert coded.won_deals().to_dict() == {"2026-Q3": 1, "2026-Q4": 1}
    frame = JourneyFrame(journey_frame(con))
    assert effects_frame(coded).equals(effects_frame(frame))


def test_no_closed_touch_gives_empty_figures() -> None:
    # Only the open deal D4 has a touch: no quarter has a closed journey.
    con = duckdb.connect()
    _tables(con)
    con.execute("DELETE FROM journeys WHERE deal_id <> 'D4'")
    coded = CodedJourneys.read(con)
    assert len(coded.deal) == 0
    frame = JourneyFrame(journey_frame(con))
    assert coded.markov("content_id", 1).empty and coded.shapley("content_type").empty
    assert coded.won_deals().empty
    assert effects_frame(coded).equals(effects_frame(frame))


@pytest.mark.parametrize(
    "mode", ["contact", "account", pytest.param("sample", marks=pytest.mark.slow)]
)
def test_codes_equal_the_journey_frame(repo: Path, fixtures: Path, mode: str) -> None:
    config = make_config({"journey_mode": "contact" if mode == "sample" else mode})
    drop = repo / "content" if mode == "sample" else fixtures / "drops" / "minimal"
    journeys = build_journeys(check([drop], config), config)
    coded = CodedJourneys.read(journeys.con)
    frame = JourneyFrame(journey_frame(journeys.con))
    assert len(coded.deal) == len(frame.frame) > (1000 if mode == "sample" else 5)
    for order in (1, 2):
        for by in EFFECT_DIMENSIONS:
            pd.testing.assert_frame_equal(
                coded.markov(by, order), frame.markov(by, order), check_exact=True
            )
    for by in ("content_type", "channel"):
        pd.testing.assert_frame_equal(coded.shapley(by), frame.shapley(by), check_exact=True)
    pd.testing.assert_series_equal(coded.won_deals(), frame.won_deals())


@pytest.mark.slow  # two exact solves over 2**20 coalitions
def test_more_types_than_players_from_codes() -> None:
    """Past 20 content types the least used are grouped as (other) from codes as from
    strings: 22 types, deal i reads types 0..i."""
    rows = [
        ("2026-Q3", f"D{deal:02d}", deal % 3 != 0, f"t{t:02d}")
        for deal in range(22)
        for t in range(deal + 1)
    ]
    frame = pd.DataFrame(rows, columns=["quarter", "deal_id", "won", "content_type"])
    deal = pd.factorize(frame["deal_id"])[0].astype(np.int32)
    codes, names = pd.factorize(frame["content_type"], sort=True)
    coded = CodedJourneys(
        deal=deal,
        won=frame["won"].to_numpy(),
        quarter=np.zeros(len(frame), dtype=np.int64),
        quarters=np.array(["2026-Q3"], dtype=object),
        dimensions={"content_type": Dimension(codes, np.asarray(names, dtype=object))},
    )
    fx = coded.shapley("content_type")
    assert "(other)" in set(fx["content_type"]) and len(fx) == 20
    pd.testing.assert_frame_equal(fx, JourneyFrame(frame).shapley("content_type"), check_exact=True)


def test_the_fit_behind_gives_the_same_figures_and_its_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Journeys.fit_behind reads the codes on the caller's thread and fits in another one:
    closed() then returns the same figures as the fit on the caller's thread, and an error
    of the fit (here a chain too large to solve) reaches the caller from closed()."""
    from revstory.attribute import data_driven
    from revstory.journeys import Journeys

    con = duckdb.connect()
    _tables(con)
    journeys = Journeys(con=con, quarters=("2026-Q3", "2026-Q4"), config=make_config({}))
    journeys.fit_behind()
    journeys.fit_behind()  # once: the second call changes nothing
    fitted = journeys.closed()
    assert effects_frame(fitted).equals(effects_frame(CodedJourneys.read(con)))
    assert journeys.closed() is fitted

    def too_large(*_: object) -> None:
        raise ValueError("the order-3 chain has 9000 states")

    late = Journeys(con=con, quarters=("2026-Q3", "2026-Q4"), config=make_config({}))
    monkeypatch.setattr(data_driven.FittedJourneys, "fit", too_large)
    late.fit_behind()
    with pytest.raises(ValueError, match="the order-3 chain has 9000 states"):
        late.closed()
