"""The first screen: records of the hand-checked minimal drop, and their words (en/fr/pl)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from revstory.attribute.stage import Results
from revstory.site.first_screen import bullets, card_view, explanation, title_line
from revstory.site.fmt import Formatter
from revstory.site.i18n import translator
from revstory.site.settings import site_settings
from revstory.story.first_screen import (
    Card,
    Decomposition,
    FirstScreen,
    NextStep,
    Part,
    decompose,
    piece_range,
)
from revstory.story.records import DealTypeFigures, Gem, QuarterFigures, RetreatCandidate, TopPiece
from revstory.story.tell import Story, tell


def money(minor: float | int | None) -> Decimal:
    return Decimal(int(minor or 0)).scaleb(-2)


@pytest.fixture(scope="module")
def results(minimal_results: Results) -> Results:
    return minimal_results


@pytest.fixture(scope="module")
def story(results: Results) -> Story:
    return tell(results, site_settings({}))


def test_piece_range_is_one_piece_over_the_models(results: Results) -> None:
    """D1 (12,000 EUR) is the only touched won deal: e is its closing touch, b a middle one."""
    q = "2026-Q3"
    assert piece_range(results, q, ["first_touch", "last_touch"], "e") == (0, 1_200_000)
    # linear: 1/5 of D1 each; the same under one model.
    assert piece_range(results, q, ["linear"], "b") == (240_000, 240_000)
    # A piece no model credits (zzz was read by an open deal's buyer only) gets 0 from each.
    assert piece_range(results, q, ["linear", "markov"], "zzz") == (0, 0)
    assert piece_range(results, q, ["linear"], None) is None


def test_first_screen_of_the_minimal_drop(story: Story) -> None:
    fs = story.first_screens["2026-Q3"]
    # One quarter: nothing to compare with, so no change, no decomposition.
    assert (fs.quarter, fs.previous, fs.decomposition) == ("2026-Q3", None, None)
    # D3 closed on 1 Sep 2026, the latest date of the drop (D1's last touch, 9 Aug, is after
    # its close and out of every journey).
    assert fs.data_as_of == dt.date(2026, 9, 1)
    won, share, attributed, win_rate, cycle = fs.cards
    assert (won.value, won.previous, won.trend) == (1_470_000, None, (1_470_000,))
    assert share.value == 1_200_000 / 1_470_000
    # The touched won deal D1 (12,000 EUR) carries all credit: resampling the two won deals
    # gives 0, 12,000 or 24,000 of credit, so the 90 % interval is 0-24,000. Every model
    # hands out the same 12,000 in total, so the card's range is the top piece's: a (first of
    # a, e at 4,800 under position_based) gets all of D1 under first_touch (its first touch)
    # and nothing under last_touch (e is D1's closing touch): 0 - 12,000.
    assert (attributed.value, attributed.interval) == (1_200_000, (0, 2_400_000))
    assert (attributed.top_piece, attributed.model_count) == ((0, 1_200_000), 12)
    assert (win_rate.value, win_rate.other) == (0.5, 1.0)
    assert (cycle.value, cycle.other, cycle.higher_is_better) == (19.0, 60.0, False)
    # position_based: a and e 40 % of 12,000 each (a first: ties go by content_id). Each
    # rests on the one won deal D1: under min_group_size 3 the count is withheld (None), so
    # "What worked" cannot say "from 1 won deal" next to a credit that is D1's 40 %.
    assert fs.worked == (TopPiece("a", 480_000, None), TopPiece("e", 480_000, None))
    assert fs.retire == () and fs.retire_too_early
    # b's influenced revenue is D1's alone: withheld under min_group_size 3, so b is no gem
    # and the next step promotes none; with min_group_size 1 it is promoted.
    assert fs.next_step.kind == "wait"
    results = story.ix.results
    shown = tell(results, site_settings({"min_group_size": 1})).first_screens["2026-Q3"]
    assert shown.next_step.kind == "promote_gem" and shown.next_step.gem is not None
    assert shown.next_step.gem.content_id == "b"


def _figures(won: int, touched: int) -> QuarterFigures:
    return QuarterFigures(won, 3, touched, touched / won, touched, 0, None, None, None, None)


def test_decompose_splits_by_touch_and_deal_type() -> None:
    d = decompose(
        _figures(413_000_000, 380_000_000),
        _figures(538_000_000, 405_000_000),
        [
            DealTypeFigures("new", 2, 313_000_000, 0, 0, 0),
            DealTypeFigures("renewal", 1, 100_000_000, 0, 0, 0),
        ],
        [
            DealTypeFigures("expansion", 1, 0, 0, 0, 0),
            DealTypeFigures("new", 2, 358_000_000, 0, 0, 0),
            DealTypeFigures("renewal", 1, 180_000_000, 0, 0, 0),
        ],
    )
    assert d == DROP
    # Other deals fell 1,000,000, touched ones 250,000: the other deals drove the fall.
    assert d.driver.key == "other"


def test_a_deal_type_hidden_by_min_group_size_is_not_named_in_the_change() -> None:
    """Renewal is one deal in each quarter: below min_group_size its change (−800,000)
    would publish both deals' amounts, so the sentence names new deals' change instead."""
    d = decompose(
        _figures(413_000_000, 380_000_000),
        _figures(538_000_000, 405_000_000),
        [
            DealTypeFigures("new", 2, 313_000_000, 0, 0, 0),
            DealTypeFigures("renewal", 1, 100_000_000, 0, 0, 0, hidden=("won_revenue",)),
        ],
        [
            DealTypeFigures("new", 2, 358_000_000, 0, 0, 0),
            DealTypeFigures("renewal", 1, 180_000_000, 0, 0, 0, hidden=("won_revenue",)),
        ],
    )
    assert d.by_type == (Part("new", 313_000_000, 358_000_000),)
    assert d.by_touch == DROP.by_touch


# Won revenue 5,380,000 → 4,130,000 (minor units ×100): the other deals fell 1,000,000,
# the content-touched ones 250,000; renewals moved most.
DROP = Decomposition(
    total=Part("total", 413_000_000, 538_000_000),
    by_touch=(Part("touched", 380_000_000, 405_000_000), Part("other", 33_000_000, 133_000_000)),
    by_type=(Part("renewal", 100_000_000, 180_000_000), Part("new", 313_000_000, 358_000_000)),
)


@pytest.mark.parametrize(
    ("locale", "sentence"),
    [
        (
            "en",
            "Won revenue fell 23% (−€1.2M) from Q2 2026: deals without content interactions "
            "fell 75% (−€1M), while deals with content interactions fell 6% (−€250K); the "
            "largest change by deal type is in renewals (−€800K).",
        ),
        (
            "fr",
            "Le chiffre d’affaires signé a baissé de 23\xa0% (−1,2\xa0M\xa0€) par rapport au "
            "T2 2026\xa0: celui des affaires sans interaction avec nos contenus a baissé de "
            "75\xa0% (−1\xa0M\xa0€), tandis que celui des affaires ayant eu une interaction "
            "avec nos contenus a baissé de 6\xa0% (−250\xa0k\xa0€)\u202f; par type d’affaire, "
            "l’écart le plus fort vient des renouvellements (−800\xa0k\xa0€).",
        ),
        (
            "pl",
            "Wygrany przychód spadł o 23% (−1,2\xa0mln\xa0€) wobec II kw. 2026: przychód z "
            "transakcji bez interakcji z treściami spadł o 75% (−1\xa0mln\xa0€), podczas gdy "
            "przychód z transakcji z interakcją z treściami spadł o 6% (−250\xa0tys.\xa0€); "
            "według rodzaju transakcji największa zmiana przypadła na odnowienia "
            "(−800\xa0tys.\xa0€).",
        ),
    ],
)
def test_the_sentence_names_what_moved_won_revenue(locale: str, sentence: str) -> None:
    t = translator(locale)
    f = Formatter(locale, "EUR")
    assert explanation(DROP, t.quarter("2026-Q2"), t, f, money, "fallback") == sentence


def test_first_quarter_falls_back_to_the_headline_sentence() -> None:
    t = translator("en")
    assert explanation(None, None, t, Formatter("en", "EUR"), money, "In Q3 …") == "In Q3 …"


def test_changes_are_coloured_by_good_news_not_by_sign() -> None:
    t, f = translator("en"), Formatter("en", "EUR")
    shorter = Card("cycle", "days", 50.0, 60.0, (60.0, 50.0), False, other=76.0)
    view = card_view(shorter, t, f, money, "linear", "Q2 2026")
    assert (view.change, view.tone, view.detail) == (
        "▼ −10 d vs Q2 2026",
        "good",
        "vs 76 without content",
    )
    assert view.spark.startswith('<svg class="rs-spark"')
    fell = Card("won_revenue", "money", 413_000_000, 538_000_000, (538e6, 413e6), True)
    assert card_view(fell, t, f, money, "linear", "Q2 2026").tone == "bad"
    # A change that rounds to nothing is neither: no arrow, no colour.
    flat = Card("win_rate", "percent", 0.5141, 0.5139, (0.5139, 0.5141), True, other=0.2)
    v = card_view(flat, t, f, money, "linear", "Q2 2026")
    assert (v.change, v.tone) == ("= ±0 pts vs Q2 2026", "flat")
    first = card_view(
        Card("won_revenue", "money", 1.0, None, (1.0,), True), t, f, money, "linear", None
    )
    assert (first.change, first.spark) == ("first quarter: no comparison yet", "")


def test_attributed_card_states_interval_and_model_range() -> None:
    t, f = translator("en"), Formatter("en", "EUR")
    card = Card(
        "attributed",
        "money",
        378_896_900,
        None,
        (378_896_900,),
        True,
        interval=(290_000_000, 460_000_000),
        top_piece=(41_000_000, 41_000_000),
        model_count=12,
    )
    assert card_view(card, t, f, money, "position-based", None).detail == (
        "90 % interval €2.9M – €4.6M · top piece: the same under all 12 models"
    )
    spread = Card(
        "attributed",
        "money",
        10_000_00,
        None,
        (1.0,),
        True,
        top_piece=(5_000_00, 20_000_00),
        model_count=3,
    )
    assert card_view(spread, t, f, money, "linear", None).detail == (
        "top piece: €5K – €20K across 3 models"
    )


def _screen(**kw: object) -> FirstScreen:
    base: dict[str, object] = {
        "quarter": "2026-Q3",
        "previous": "2026-Q2",
        "data_as_of": dt.date(2026, 9, 28),
        "cards": (),
        "decomposition": None,
        "worked": (),
        "retire": (),
        "retire_too_early": False,
        "next_step": NextStep("wait"),
    }
    return FirstScreen(**{**base, **kw})  # type: ignore[arg-type]


def test_title_line_names_the_quarter_its_dates_and_who_prepared_it() -> None:
    t, f = translator("en"), Formatter("en", "EUR")
    assert title_line(_screen(), t, f, dt.date(2026, 10, 2), "Marketing operations") == (
        "Q3 2026 · Jul 1, 2026 – Sep 30, 2026",
        "data as of Sep 28, 2026",
        "built on Oct 2, 2026",
        "prepared by Marketing operations",
    )
    t, f = translator("fr"), Formatter("fr", "EUR")
    assert title_line(_screen(data_as_of=None), t, f, dt.date(2026, 10, 2), None) == (
        "T3 2026 · du 1 juil. 2026 au 30 sept. 2026",
        "généré le 2 oct. 2026",
    )


def test_three_bullets_from_the_figures() -> None:
    t, f = translator("en"), Formatter("en", "EUR")
    titles = {"a": "Pricing guide", "b": "ROI demo", "c": "Old webinar", "g": "Case study"}
    gem = Gem("g", 109, 4, 80_800_000, Decimal("7412.84"), Decimal("8.14"))
    fs = _screen(
        worked=(TopPiece("a", 103_600_000, 68), TopPiece("b", 50_800_000, 61)),
        retire=(
            RetreatCandidate("c", 2, 18_293, 4, None),
            RetreatCandidate("d", 2, 6_337, 0, None),
        ),
        next_step=NextStep("promote_gem", gem=gem),
    )
    assert bullets(fs, t, f, money, titles, "linear", 2) == (
        (
            "What worked",
            "“Pricing guide”: €1M from 68 won deals (linear), then “ROI demo” (€508K)",
        ),
        (
            "Retire or rework",
            "“Old webinar”: 18,293 views and no revenue for 2 quarters in a row (and 1 more below)",
        ),
        (
            "Next step",
            "promote “Case study”: €808K of influenced revenue from only 109 views (8.1 × the "
            "average per view)",
        ),
    )
    early = bullets(
        _screen(retire_too_early=True, next_step=NextStep("pipeline", win_rates=(0.5, 0.2))),
        t,
        f,
        money,
        titles,
        "linear",
        2,
    )
    assert [text for _, text in early] == [
        "no piece earned credit this quarter",
        "too early to tell: a piece needs 2 quarters of traffic without revenue",
        "put content in front of the open pipeline: deals with content interactions win "
        "50.0% of the time, the others 20.0%",
    ]
    withheld = bullets(
        _screen(worked=(TopPiece("a", 480_000, None),)), t, f, money, titles, "linear", 2
    )
    assert withheld[0] == ("What worked", "“Pricing guide”: €4.8K (linear)")
    calm = bullets(_screen(), t, f, money, titles, "linear", 2)
    assert [text for _, text in calm][1:] == [
        "nothing: every piece read this quarter was in a won deal’s journey within 2 quarters",
        "keep the exports coming: the next quarter brings the first comparisons",
    ]
