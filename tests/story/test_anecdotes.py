"""Anecdotes told as a reader would: the buying group by role, the last touches first.

The minimal drop's won deal D1 (12,000 EUR, closed 2026-08-08, date only) gets two more contacts
in this test: the CFO as "Economic Buyer" (webinar d on 2026-08-05) and a contact the CRM gives
no role (piece a, read on 2026-07-20 and again on 2026-07-21: one step). alice, the Champion,
read a (07-01), b (07-06), downloaded c (07-13), attended d (07-31) and was sent e by sales on
the day of signing (her read of a on 08-09 is after the close and does not count).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from revstory.pipeline import run
from revstory.site.pages import build_pages
from revstory.site.settings import site_settings
from revstory.story.records import Reader, Step
from revstory.story.tell import tell

DROP = Path(__file__).parents[1] / "fixtures" / "drops" / "minimal"


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("anecdotes") / "content"
    shutil.copytree(DROP, root)
    q = root / "2026-Q3"
    with (q / "deal_contacts.csv").open("a", encoding="utf-8") as fh:
        fh.write("D1,cfo@acme.example,Economic Buyer,false\nD1,x@acme.example,,false\n")
    with (q / "touches.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "2026-08-05T10:00:00Z,cfo@acme.example,ACC1,d,webinar_attended,email\n"
            "2026-07-20T10:00:00Z,x@acme.example,ACC1,a,view,email\n"
            "2026-07-21T10:00:00Z,x@acme.example,ACC1,a,view,email\n"
        )
    return root


def test_buying_group_by_role_latest_first(drop: Path) -> None:
    settings = site_settings({"min_group_size": 1})
    results, _ = run([drop], settings.attribution())
    (d1,) = tell(results, settings).quarters["2026-Q3"].anecdotes.deals
    assert d1.readers == 3 and d1.days_to_close == 38
    assert d1.people == (
        Reader(
            1,
            "Champion",
            (
                Step(0, "e", "sales_share"),
                Step(8, "d", "webinar_attended"),
                Step(26, "c", "download"),
                Step(33, "b", "view"),
                Step(38, "a", "view"),
            ),
        ),
        Reader(3, "Economic Buyer", (Step(3, "d", "webinar_attended"),)),
        Reader(2, None, (Step(19, "a", "view"),)),
    )


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "en",
            [
                ("Champion", "received from sales", "e", "on the day of signing"),
                ("Champion", "attended", "d", "8 days before signing"),
                ("Champion", "downloaded", "c", "26 days before signing"),
                ("Champion", "read", "b", "33 days before signing"),
                ("Champion", "read", "a", "38 days before signing"),
                ("Economic Buyer", "attended", "d", "3 days before signing"),
                ("A buyer with no role in the CRM", "read", "a", "19 days before signing"),
            ],
        ),
        (
            "fr",
            [
                ("Champion", "a reçu de l’équipe commerciale", "e", "le jour de la signature"),
                ("Champion", "a assisté à", "d", "8 jours avant la signature"),
                ("Champion", "a téléchargé", "c", "26 jours avant la signature"),
                ("Champion", "a lu", "b", "33 jours avant la signature"),
                ("Champion", "a lu", "a", "38 jours avant la signature"),
                ("Acheteur économique", "a assisté à", "d", "3 jours avant la signature"),
                ("Un acheteur sans rôle dans le CRM", "a lu", "a", "19 jours avant la signature"),
            ],
        ),
        (
            "pl",
            [
                ("Orędownik", "otrzymanie od handlowca", "e", "w dniu podpisania"),
                ("Orędownik", "udział w", "d", "8 dni przed podpisaniem"),
                ("Orędownik", "pobranie", "c", "26 dni przed podpisaniem"),
                ("Orędownik", "lektura", "b", "33 dni przed podpisaniem"),
                ("Orędownik", "lektura", "a", "38 dni przed podpisaniem"),
                ("Nabywca ekonomiczny", "udział w", "d", "3 dni przed podpisaniem"),
                ("Osoba kupująca bez roli w CRM", "lektura", "a", "19 dni przed podpisaniem"),
            ],
        ),
    ],
)
def test_told_by_role_never_by_number(drop: Path, locale: str, expected: list[tuple]) -> None:  # type: ignore[type-arg]
    settings = site_settings({"min_group_size": 1, "locale": locale})
    results, _ = run([drop], settings.attribution())
    home = next(p for p in build_pages(results, settings, {}) if p.path == "index.md")
    (a,) = home.context.story.anecdotes  # type: ignore[attr-defined]
    told = [
        (r.label, action, link.href.removeprefix("articles/").removesuffix(".md"), when)
        for r in a.people
        for action, link, when in r.steps
    ]
    assert told == expected
    # Seven touches fit the eight shown: nothing more to say.
    assert a.more == ""


def test_budget_is_shared_by_the_whole_group(drop: Path) -> None:
    """With room for three touches, each reader's latest comes first: nobody is left out."""
    from revstory.site import story as site_story

    settings = site_settings({"min_group_size": 1})
    results, _ = run([drop], settings.attribution())
    mp = pytest.MonkeyPatch()
    mp.setattr(site_story, "MAX_STEPS", 3)
    try:
        home = next(p for p in build_pages(results, settings, {}) if p.path == "index.md")
    finally:
        mp.undo()
    (a,) = home.context.story.anecdotes  # type: ignore[attr-defined]
    assert [(r.label, len(r.steps)) for r in a.people] == [
        ("Champion", 1),
        ("Economic Buyer", 1),
        ("A buyer with no role in the CRM", 1),
    ]
    assert a.more == "…and 4 earlier touches."
