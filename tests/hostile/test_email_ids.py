"""A content_id column that holds email addresses (issue 14): the id was read as the slug
``home`` and the warning said '"home" is not in the content inventory'. It now quotes what the
user wrote without the address and says which column looks swapped; the Python slug and its
SQL twin agree."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.load.urls import slug
from revstory.validate.checks import slug_macros

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "drops" / "minimal"
SWAPPED = "the content_id column looks swapped with person_id; check the export's header"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("alice@acme.example", "<email>"),
        (" Bob.Builder+q3@globex.example ", "<email>"),
        ("alice%40acme.example", "<email>"),
        ("/", "home"),
        ("mailto:bob@globex.example", "mailto"),
        ("/lp/bob@globex.example/offer", "lp-offer"),
        ("a..b", "a.b"),
    ],
)
def test_an_email_id_is_the_placeholder_in_python_and_sql(text: str, expected: str) -> None:
    con = duckdb.connect()
    for macro in slug_macros():
        con.execute(macro)
    row = con.execute("SELECT content_slug(?)", [text]).fetchone()
    assert row is not None
    assert (slug(text), row[0]) == (expected, expected)


def _drop(tmp_path: Path) -> Path:
    shutil.copytree(MINIMAL, tmp_path / "content")
    return tmp_path / "content" / "2026-Q3"


def _validate(folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", str(folder.parent)], catch_exceptions=False)
    assert "Traceback" not in result.output
    assert "@" not in result.output
    return result.exit_code, [
        ln.replace(f"{folder}/", "")
        for ln in result.output.splitlines()
        if ln.startswith(("warning: ", "error: "))
    ]


def test_touches_with_emails_as_content_ids_name_the_swapped_column(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    lines = (folder / "touches.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0], *lines[1:]]
    # Row 2 (the first data row) and row 4 hold the reader's email in content_id.
    for i in (1, 3):
        p = rows[i].split(",")
        rows[i] = ",".join([p[0], p[1], p[2], p[1], p[4], p[5]])
    (folder / "touches.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, out = _validate(folder)
    assert code == 0
    assert out == [
        f'warning: touches.csv, row {row}, column content_id: "<email>" is an email address, '
        f"not a content id — {SWAPPED}"
        for row in (2, 4)
    ] + [
        # The drop's own unknown piece, for comparison: a real id is quoted as written.
        'warning: touches.csv, row 10, column content_id: "zzz" is not in the content '
        "inventory — add the pieces to the content file, or check the ids/URLs match"
    ]


def test_an_inventory_keyed_by_emails_is_an_error(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    text = (folder / "content.csv").read_text(encoding="utf-8")
    (folder / "content.csv").write_text(
        text.replace("\ne,https://www.example.com/blog/e/", "\ncarol@initech.example,https://x/"),
        encoding="utf-8",
    )
    code, out = _validate(folder)
    assert code == 1
    assert (
        'error: content.csv, row 6, column content_id: "<email>" is an email address, not a '
        "content id — the content_id column looks swapped with a column of people's emails; "
        "check the export's header"
    ) in out
    assert not any('"home"' in line for line in out)


def test_an_email_as_a_page_url_is_no_page(tmp_path: Path) -> None:
    folder = _drop(tmp_path)
    (folder / "performance_pages.csv").write_text(
        "url,period_start,period_end,views,users,engagement_seconds,shares,clicks\n"
        "dave@umbrella.example,2026-07-01,2026-09-30,7,7,70,0,0\n",
        encoding="utf-8",
    )
    code, out = _validate(folder)
    assert code == 0
    assert [line for line in out if "performance_pages.csv" in line] == [
        'warning: performance_pages.csv, row 2, column content_id: "<email>" is not in the '
        "content inventory — add the piece to the content file"
    ]
