"""Values quoted in messages carry no personal data: emails, phone numbers and URL query
strings are taken out wherever a message goes (terminal, data-quality page, its CSV, the
search index), and a message about a person column quotes no value at all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.errors import Issue
from revstory.redact import redact
from story_vectors import MKDOCS, TESTS

MINIMAL = TESTS / "fixtures" / "drops" / "minimal"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("reader406@mail.example is not a content id", "<email> is not a content id"),
        ("Bob.Builder+q3@globex.example", "<email>"),
        (
            "call +48 601 234 567 or (030) 1234 5678 or 06 12 34 56 78",
            "call <phone> or <phone> or <phone>",
        ),
        (
            "https://www.example.com/blog/x/?utm_source=mail&e=bob%40x.example#top is unknown",
            "https://www.example.com/blog/x/#top is unknown",
        ),
        # Figures, dates and ids stay.
        (
            "2026-07-01T01:53:06Z, D-0000028, ACC-000007, 12 000 000 €, +17 pts, 0.816327",
            "2026-07-01T01:53:06Z, D-0000028, ACC-000007, 12 000 000 €, +17 pts, 0.816327",
        ),
    ],
)
def test_redact(text: str, shown: str) -> None:
    assert redact(text) == shown


def test_a_person_column_message_quotes_no_value() -> None:
    issue = Issue(
        "error", "touches.csv", '"4711" is missing from deal contacts', "add it", 12, "person_id"
    )
    assert str(issue) == (
        "touches.csv, row 12, column person_id: the value is missing from deal contacts — add it"
    )
    other = Issue("error", "touches.csv", '"clicked" is not an allowed value', "", 3, "touch_type")
    assert str(other) == 'touches.csv, row 3, column touch_type: "clicked" is not an allowed value'


def _people() -> set[str]:
    import csv

    people = set()
    for name in ("touches.csv", "deal_contacts.csv"):
        with (MINIMAL / "2026-Q3" / name).open(newline="", encoding="utf-8") as fh:
            people |= {r["person_id"] for r in csv.DictReader(fh)}
    return people


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The minimal drop plus a headerless copy of its touches (its first row, an email
    among it, is taken for a header and quoted in the warning)."""
    root = tmp_path_factory.mktemp("pii")
    q = root / "content" / "2026-Q3"
    shutil.copytree(MINIMAL, root / "content")
    lines = (q / "touches.csv").read_text(encoding="utf-8").splitlines()
    (q / "touches_noheader.csv").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    return root


def test_validate_output_has_no_person(hostile_project: Path) -> None:
    result = CliRunner().invoke(main, ["validate", str(hostile_project / "content")])
    assert "@" not in result.output
    assert (
        "unrecognised columns (2026-07-01T10:00:00Z, <email>, ACC1, a, view, "
        "organic_search); the file is ignored" in result.output
    )


def test_no_person_reaches_the_site(hostile_project: Path) -> None:
    result = CliRunner().invoke(main, ["build", "-f", str(hostile_project / "mkdocs.yml")])
    assert result.exit_code == 0, result.output
    site = hostile_project / "site"
    quality = (site / "data-quality.html").read_text(encoding="utf-8")
    assert "unrecognised columns &#40;2026-07-01T10:00:00Z, &lt;email&gt;, ACC1, a" in quality
    people = _people()
    assert len(people) >= 2
    for f in sorted(site.rglob("*")):
        if f.is_file() and f.suffix in (".html", ".json", ".csv", ".xml", ".md", ".txt"):
            text = f.read_text(encoding="utf-8", errors="replace").lower()
            found = [p for p in people if p.lower() in text]
            assert found == [], f"{f.relative_to(site)} holds {found}"


def test_a_url_with_query_in_the_content_id_column_is_redacted(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "content")
    q = tmp_path / "content" / "2026-Q3"
    (q / "performance.csv").write_text(
        (q / "performance.csv").read_text(encoding="utf-8")
        + "https://www.example.com/lp/?email=carol@initech.example,2026-07-01,2026-09-30,"
        "7,7,70,0,0\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "content")])
    assert "carol" not in result.output


def test_a_page_url_with_query_string_publishes_no_email(tmp_path: Path) -> None:
    from revstory.site.publish import render_docs
    from revstory.site.settings import SiteSettings

    shutil.copytree(MINIMAL, tmp_path / "content")
    (tmp_path / "content" / "2026-Q3" / "performance_pages.csv").write_text(
        "url,period_start,period_end,views,users,engagement_seconds,shares,clicks\n"
        "https://www.example.com/lp/?email=carol@initech.example,2026-07-01,2026-09-30,"
        "7,7,70,0,0\n",
        encoding="utf-8",
    )
    render_docs(SiteSettings(min_deals=1, write_snapshots=False), tmp_path, tmp_path / "docs")
    docs = tmp_path / "docs"
    assert not [
        f
        for f in docs.rglob("*")
        if f.is_file() and "carol" in f.name + f.read_text(encoding="utf-8", errors="replace")
    ]
