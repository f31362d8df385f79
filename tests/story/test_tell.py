"""The story of the hand-checked minimal drop, as records (no words, no formats)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from revstory.attribute.stage import Results
from revstory.site.settings import site_settings
from revstory.story.records import Account, AgeBucket, Gem, QuarterFigures, TopPiece
from revstory.story.tell import Story, tell


@pytest.fixture(scope="module")
def story(minimal_results: Results) -> Story:
    return tell(minimal_results, site_settings({}))


def test_headline_figures(story: Story) -> None:
    qs = story.quarters["2026-Q3"]
    # D1 12,000 EUR (touched) and D3 3,000 USD × 0.9 = 2,700 EUR (untouched) won; D2 lost
    # (touched), D4 open (touched, 8,000 EUR).
    assert qs.figures == QuarterFigures(
        won_revenue=1_470_000,
        won_deals=2,
        touched_revenue=1_200_000,
        touched_share=1_200_000 / 1_470_000,
        attributed=1_200_000,
        pipeline=800_000,
        win_rate_touched=0.5,
        win_rate_untouched=1.0,
        cycle_touched=19.0,
        cycle_untouched=60.0,
    )
    assert qs.previous is None and qs.before is None
    assert qs.history == (("2026-Q3", qs.figures),)


def test_pieces_gems_and_top(story: Story) -> None:
    qs = story.quarters["2026-Q3"]
    # position_based: a and e 40 % of 12,000, b, c, d 800 each.
    assert [(p.content_id, p.revenue) for p in qs.top] == [
        ("a", 480_000),
        ("e", 480_000),
        ("b", 80_000),
        ("c", 80_000),
        ("d", 80_000),
    ]
    # a's credit is told, its one won deal is not: under min_group_size 3 the count is None.
    assert qs.top_piece == TopPiece("a", 480_000, None)
    # One won deal (D1) is behind every piece's influenced revenue: with min_group_size 3
    # those figures are withheld, so no gem is picked and the average per view (it times
    # the views would give D1's amount) is withheld too.
    assert (qs.gems.average_per_view, qs.gems.gems) == (None, ())
    assert {p.content_id: p.hidden for p in qs.pieces} == dict.fromkeys(
        "abcde", ("influenced", "influenced_won", "deals_touched", "won_deals")
    )
    settings = site_settings({"min_group_size": 1})
    qs = tell(story.ix.results, settings).quarters["2026-Q3"]
    assert qs.top_piece == TopPiece("a", 480_000, 1)
    # Only a (1,000 views) and b (500) were read; b is in the less-read half.
    assert qs.gems.average_per_view == Decimal("24000.00") / 1500
    assert qs.gems.gems == (
        Gem(
            "b",
            500,
            1,
            1_200_000,
            Decimal("24.00"),
            Decimal("24.00") / (Decimal("24000.00") / 1500),
        ),
    )
    assert qs.retreat == () and qs.retreat_history_short
    assert qs.economics is None  # no piece has a cost


def test_age_and_privacy(story: Story) -> None:
    qs = story.quarters["2026-Q3"]
    # D1 closed 2026-08-08: a was 210 days old (182–364: 4,800), b, c, d, e 179, 151, 141
    # and 129 days (91–181: 800 × 3 + 4,800).
    assert qs.age == (
        AgeBucket(0, 0),
        AgeBucket(1, 720_000),
        AgeBucket(2, 480_000),
        AgeBucket(3, 0),
        AgeBucket(4, 0),
    )
    # One touched won deal < min_group_size 3: hidden, nothing carried.
    assert qs.anecdotes.hidden and qs.anecdotes.deals == ()


def test_records_are_frozen(story: Story) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        story.quarters["2026-Q3"].figures.won_deals = 3  # type: ignore[misc]
    assert Account(None, "SMB", None) == Account(None, "SMB", None)


def test_totals_sum_the_quarters_and_keep_any_quarter_s_hidden_figures() -> None:
    from revstory.story.pieces import total_pieces
    from revstory.story.records import PieceFigures

    q2 = [PieceFigures("b", 10, 500, 3, 2, 300, 2), PieceFigures("a", 4, 0, 1, 0, 0, 0)]
    q3 = [PieceFigures("b", 5, 700, 1, 1, 200, 1, hidden=("won_deals",))]
    # c has no row in either quarter: all zeros. With groups of 2, a's single touched deal
    # is withheld; b's sums are backed by 3 won deals and 4 touched ones, but its won deals
    # stay hidden (Q3's was: the total less Q2 would give it away).
    assert total_pieces([q2, q3], ["a", "b", "c"], min_group_size=2) == (
        PieceFigures("a", 4, 0, 1, 0, 0, 0, hidden=("deals_touched",)),
        PieceFigures("b", 15, 1200, 4, 3, 500, 3, hidden=("won_deals",)),
        PieceFigures("c", 0, 0, 0, 0, 0, 0),
    )
