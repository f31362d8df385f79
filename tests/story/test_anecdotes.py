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


#: Job titles the CRM gives the three readers of D1 (a title column in deal_contacts.csv).
TITLES = {
    "alice@acme.example": "Marketing Director",
    "cfo@acme.example": "Chief Financial Officer",
    "x@acme.example": "Head of IT",
}


@pytest.fixture(scope="module")
def titled(drop: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drop above with each contact's job title in a ``title`` column."""
    root = tmp_path_factory.mktemp("titled") / "content"
    shutil.copytree(drop, root)
    dc = root / "2026-Q3" / "deal_contacts.csv"
    head, *rows = dc.read_text(encoding="utf-8").splitlines()
    lines = [f"{head},title"] + [f"{r},{TITLES.get(r.split(',')[1], '')}" for r in rows]
    dc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_seniority_from_the_job_title(titled: Path) -> None:
    settings = site_settings({"min_group_size": 1})
    results, _ = run([titled], settings.attribution())
    (d1,) = tell(results, settings).quarters["2026-Q3"].anecdotes.deals
    assert [(p.reader, p.role, p.seniority) for p in d1.people] == [
        (1, "Champion", "director"),
        (3, "Economic Buyer", "cfo"),
        (2, None, "director"),
    ]
    # The title is read for its level only: no frame of the results holds it.
    frames = [v for v in vars(results).values() if hasattr(v, "to_csv")]
    text = "".join(f.to_csv() for f in frames)
    assert not any(title in text for title in TITLES.values())
    assert "director" in text  # the check reads the frames that carry the level


@pytest.mark.parametrize(
    ("locale", "labels"),
    [
        ("en", ["Director · Champion", "CFO · Economic Buyer", "Director"]),
        ("fr", ["Directeur · Champion", "DAF · Acheteur économique", "Directeur"]),
        ("pl", ["Dyrektor · Orędownik", "CFO · Nabywca ekonomiczny", "Dyrektor"]),
    ],
)
def test_told_by_seniority_and_role(titled: Path, locale: str, labels: list[str]) -> None:
    settings = site_settings({"min_group_size": 1, "locale": locale})
    results, _ = run([titled], settings.attribution())
    home = next(p for p in build_pages(results, settings, {}) if p.path == "index.md")
    (a,) = home.context.story.anecdotes  # type: ignore[attr-defined]
    assert [r.label for r in a.people] == labels


def test_no_page_shows_a_job_title(titled: Path, tmp_path: Path) -> None:
    """Every page and CSV download of the site: the levels are there, the titles are not."""
    from revstory.site import publish

    shutil.copytree(titled, tmp_path / "content")
    mp = pytest.MonkeyPatch()
    mp.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    settings = {"data_dir": "content", "write_snapshots": False, "min_group_size": 1}
    try:
        publish.render_docs(site_settings(settings), tmp_path, tmp_path / "docs")
    finally:
        mp.undo()
    docs = "".join(f.read_text(encoding="utf-8") for f in (tmp_path / "docs").rglob("*.*"))
    assert "CFO · Economic Buyer" in docs
    assert not any(title in docs for title in TITLES.values())


EXPORTS = Path(__file__).parents[1] / "fixtures" / "exports"
#: Invented people of the HubSpot contacts export, as they appear there (names, email, titles).
HUBSPOT_PEOPLE = (
    "Robin",
    "Kim",
    "Sample",
    "northwind.example",
    "Marketing Director",
    "Chief Financial Officer",
    "Directrice des achats",
    "Head of IT",
    "Asystentka",
)


def _hubspot_site(tmp_path: Path, locale: str) -> str:
    """Render the HubSpot drop (deals, touches by Record ID, contacts with Job Titles)."""
    from revstory.site import publish

    q = tmp_path / "content" / "2026-Q3"
    shutil.copytree(EXPORTS / "e2e" / "hubspot", q)
    shutil.copy(EXPORTS / "hubspot" / "hubspot-crm-exports-all-contacts-2026-10-01.csv", q)
    mp = pytest.MonkeyPatch()
    mp.setattr(publish, "install_assets", lambda docs_dir, templates: None)
    settings = {"data_dir": "content", "write_snapshots": False, "min_group_size": 1}
    try:
        publish.render_docs(
            site_settings({**settings, "locale": locale}), tmp_path, tmp_path / "docs"
        )
    finally:
        mp.undo()
    return "".join(f.read_text(encoding="utf-8") for f in sorted((tmp_path / "docs").rglob("*.*")))


def test_hubspot_drop_tells_the_cfo_and_the_director(tmp_path: Path) -> None:
    """HubSpot's Job Title is on the contacts export; the anecdote still says who read what.

    Deal 310001 (Northwind, 45,000 EUR, closed 2026-08-14): Kim, Chief Financial Officer,
    downloaded Guide B on 07-10 (35 days before); Robin, Marketing Director, read Guide A on
    06-01 (74 days before; his read of Guide B on 08-20 is after the close).
    """
    docs = _hubspot_site(tmp_path, "en")
    assert (
        "**A company in the Enterprise pipeline segment** signed a new €45,000 deal on August 14, "
        "2026, 74 days after the first touch; 2 people read content on the way:\n\n"
        "- **CFO**\n"
        "    - downloaded [Guide B](articles/guide-b.md) 35 days before signing\n"
        "- **Director**\n"
        "    - read [Guide A](articles/guide-a.md) 74 days before signing\n"
    ) in docs
    # Only the bucket reaches the site: no name, email or title of the export.
    assert not [p for p in HUBSPOT_PEOPLE if p in docs]


@pytest.mark.parametrize(
    ("locale", "labels"),
    [("fr", ["DAF", "Directeur", "Directeur"]), ("pl", ["CFO", "Dyrektor", "Dyrektor"])],
)
def test_hubspot_drop_tells_seniority_in_each_language(
    tmp_path: Path, locale: str, labels: list[str]
) -> None:
    docs = _hubspot_site(tmp_path, locale)
    section = docs.split("{ .rs-page2 }", 1)[1].split("\n## ", 1)[0]
    told = [line[4:-2] for line in section.splitlines() if line.startswith("- **")]
    assert told[:3] == labels
    assert not [p for p in HUBSPOT_PEOPLE if p in docs]
