"""The data-quality page's verdict and the notices it shares with the story (issues 9, 12).

The minimal drop (tests/fixtures/drops/minimal) is hand-checked: 25 rows in six files, one
touch dropped for unknown content (zzz); four deals, all loaded; won D1 12,000 EUR (alice read
five pieces) and D3 3,000 USD × 0.9 = 2,700 EUR (dan read nothing).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revstory.attribute.stage import Results
from revstory.pipeline import run
from revstory.site.pages import build_pages
from revstory.site.settings import site_settings
from revstory.story.quality import Dropped, Verdict, verdict

DROP = Path(__file__).parents[1] / "fixtures" / "drops" / "minimal"
SAMPLE = Path(__file__).parents[2] / "content"


def _pages(drop: Path, locale: str = "en", results: Results | None = None) -> dict[str, object]:
    settings = site_settings({"locale": locale})
    if results is None:
        results, _ = run([drop], settings.attribution())
    return {p.path: p.context for p in build_pages(results, settings, {})}


def test_verdict_figures(minimal_results: Results) -> None:
    v = verdict(minimal_results)
    assert v == Verdict(
        deal_rows=4,
        deal_rows_loaded=4,
        won_revenue=1_470_000,
        linked_revenue=1_200_000,
        won_deals=2,
        linked_deals=1,
        rows_read=25,
        dropped=(Dropped("unknown content", 1),),
        unpriced_open=0,
    )
    assert v.deal_share == 1.0 and v.linked_share == pytest.approx(0.8163265)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            (
                "4 of 4 deal rows loaded (100.0%).",
                "81.6% of won revenue (€12,000 of €14,700) comes from deals with at least one "
                "reader of content: 1 of 2 won deals.",
                "1 of 25 rows read was dropped — unknown content: 1.",
            ),
        ),
        (
            "fr",
            (
                "Lignes d’affaires chargées\xa0: 4 sur 4 (100,0\xa0%).",
                "81,6\xa0% du chiffre d’affaires signé (12\u202f000\xa0€ sur 14\u202f700\xa0€) "
                "provient d’affaires dont au moins un acheteur a lu nos contenus\xa0: 1 sur 2 "
                "affaires gagnées.",
                "1 ligne lue sur 25 a été écartée — contenu inconnu\xa0: 1.",
            ),
        ),
        (
            "pl",
            (
                "Wczytano 4 z 4 wierszy transakcji (100,0%).",
                "81,6% wygranego przychodu (12\xa0000\xa0€ z 14\xa0700\xa0€) pochodzi z "
                "transakcji, w których co najmniej jedna osoba czytała nasze treści: 1 z 2 "
                "wygranych transakcji.",
                "Odrzucono 1 z 25 wczytanych wierszy — nieznana treść: 1.",
            ),
        ),
    ],
)
def test_page_opens_with_the_verdict(
    locale: str, expected: tuple[str, ...], minimal_results: Results
) -> None:
    ctx = _pages(DROP, locale, minimal_results)["data-quality.md"]
    assert ctx.verdict == expected  # type: ignore[attr-defined]


def test_open_deal_without_amount_is_unknown_not_zero(tmp_path: Path) -> None:
    """Issue 9: D4 (open, touched by carol) without an amount is stored as 0; the pipeline
    leaves it out and both the story and the data-quality page say so.
    """
    drop = tmp_path / "content"
    shutil.copytree(DROP, drop)
    deals = drop / "2026-Q3" / "deals.csv"
    deals.write_text(
        deals.read_text(encoding="utf-8").replace(",8000,EUR,", ",,EUR,"), encoding="utf-8"
    )
    pages = _pages(drop)
    said = (
        "1 open deal without an amount is not in the pipeline value: its value is unknown, "
        "not zero."
    )
    assert said in pages["data-quality.md"].verdict  # type: ignore[attr-defined]
    story = pages["index.md"].story  # type: ignore[attr-defined]
    assert said in story.notices
    pipeline = next(f for f in story.figures if f.label == "Influenced open pipeline")
    assert pipeline.value == 0
    assert said not in _pages(DROP)["index.md"].story.notices  # type: ignore[attr-defined]


def test_home_lists_earlier_quarters_only() -> None:
    # One quarter: no "earlier quarters" at all (the home page is that quarter).
    assert _pages(DROP)["index.md"].quarters == ()  # type: ignore[attr-defined]
    # The sample (2026-Q2, 2026-Q3): the home page tells Q3 and lists Q2 only.
    quarters = _pages(SAMPLE)["index.md"].quarters  # type: ignore[attr-defined]
    assert [(q.text, q.href) for q in quarters] == [("Q2 2026", "quarters/2026-Q2.md")]
