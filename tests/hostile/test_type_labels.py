"""Content types a report writes its own way (issue 14): ``e-book/guide``, ``white paper`` and
``wébinar`` get a safe slug for file names but read as written on every page, in the
navigation, the tables and the CSVs, in every locale; ``Case Study`` is the known type
``case_study``: it reads as written in English and as the catalog translates it in French."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from revstory.site.plugin import navigation
from revstory.site.publish import render_docs
from revstory.site.settings import SiteSettings

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"
#: Piece → its type as the inventory writes it.
WRITTEN = {"b": "e-book/guide", "c": "Case Study", "d": "white paper", "e": "wébinar"}
#: Slug → label per locale.
LABELS = {
    "en": {
        "e_book_guide": "e-book/guide",
        "case_study": "Case Study",
        "white_paper": "white paper",
        "wébinar": "wébinar",
    },
    "fr": {
        "e_book_guide": "e-book/guide",
        "case_study": "étude de cas",
        "white_paper": "white paper",
        "wébinar": "wébinar",
    },
}
TITLE = {"en": "Content type: %s", "fr": "Type de contenu\u00a0: %s"}  # French no-break space


@pytest.fixture(scope="module")
def drop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("types")
    shutil.copytree(MINIMAL, root / "content")
    path = root / "content" / "2026-Q3" / "content.csv"
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["content_type"] = WRITTEN.get(r["content_id"], r["content_type"])
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root


@pytest.mark.parametrize("locale", ["en", "fr"])
def test_types_read_as_written(drop: Path, locale: str) -> None:
    docs = drop / f"docs-{locale}"
    settings = SiteSettings(min_deals=1, write_snapshots=False, locale=locale)
    pages = render_docs(settings, drop, docs)
    labels = LABELS[locale]
    # Navigation: one entry per type, labelled as its pages show it.
    content = navigation(pages, locale)[2]
    entries = next(iter(content.values()))[1:]
    assert {v: k for e in entries for k, v in e.items()} == {
        "types/article.md": "article",
        **{f"types/{slug}.md": label for slug, label in labels.items()},
    }
    for slug, label in labels.items():
        # Page title, in the front matter and the heading.
        text = (docs / "types" / f"{slug}.md").read_text(encoding="utf-8")
        assert f'title: "{TITLE[locale] % label}"' in text
        assert f"\n# {TITLE[locale] % label}\n" in text
        # The types table links each label to the type's page.
        index = (docs / "types" / "index.md").read_text(encoding="utf-8")
        assert f'<a href="{quote(slug)}.html">{label}</a>' in index
    with (docs / "types" / "index-types.csv").open(newline="", encoding="utf-8") as fh:
        assert [r["content_type"] for r in csv.DictReader(fh)] == [
            "article",
            *(labels[s] for s in ("case_study", "e_book_guide", "white_paper", "wébinar")),
        ]
    with (docs / "types" / "index-pieces.csv").open(newline="", encoding="utf-8") as fh:
        by_piece = {r["piece"]: r["content_type"] for r in csv.DictReader(fh)}
    assert by_piece == {
        "Piece A": "article",
        "Piece B": labels["e_book_guide"],
        "Piece C": labels["case_study"],
        "Piece D": labels["white_paper"],
        "Piece E": labels["wébinar"],
    }
    # The article page's type link, and no label spelt from the slug anywhere.
    article = (docs / "articles" / "b.md").read_text(encoding="utf-8")
    assert "[e-book/guide](../types/e_book_guide.md)" in article
    for f in docs.rglob("*"):
        if f.suffix in (".md", ".csv"):
            assert "e book guide" not in f.read_text(encoding="utf-8"), f
