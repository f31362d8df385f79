"""Defaults that carry an ordinary export, as `revstory validate` reports them: each a warning
naming the file, the count and the setting that changes it; exact messages."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from click.testing import CliRunner
from revstory.cli import main

from tests.conftest import EXPORTS, NATIVE


def _drop(tmp_path: Path, *exports: str, copies: dict[str, str] | None = None) -> Path:
    folder = tmp_path / "content" / "2026-Q3"
    folder.mkdir(parents=True)
    for f in NATIVE.glob("*.csv"):
        shutil.copy(f, folder / f.name)
    for name in exports:
        shutil.copy(EXPORTS / name, folder / Path(name).name)
    for name, as_name in (copies or {}).items():
        shutil.copy(EXPORTS / name, folder / as_name)
    return folder


def _validate(folder: Path, *extra: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        main, ["validate", str(folder.parent), *extra], catch_exceptions=False
    )
    prefix = f"{folder}/"
    lines = [
        ln.replace(prefix, "")
        for ln in result.output.splitlines()
        if ln.startswith(("warning: ", "error: "))
    ]
    return result.exit_code, lines


PAGES = "ga4_ui/Pages_and_screens_Page_path_and_screen_class (2).csv"
FIX_PAGE = (
    "add the piece to the content file with its title and type if it is content; until "
    "then it is reported as a page with traffic and no revenue"
)


def test_ga4_report_of_another_period_and_the_same_report_twice(tmp_path: Path):
    folder = _drop(
        tmp_path, PAGES, copies={PAGES: "Pages_and_screens_Page_path_and_screen_class (3).csv"}
    )
    code, lines = _validate(folder, "--ledger", str(tmp_path / "ledger.csv"))
    assert code == 0
    first, second = (f"Pages_and_screens_Page_path_and_screen_class ({n}).csv" for n in (2, 3))
    period = (
        "covers 2026-01-01 to 2026-10-30, not the folder's quarter 2026-Q3 (2026-07-01 to "
        "2026-09-30); its figures are shown as they are — export the report for that "
        "quarter's dates, or move it to the quarter folder it belongs to"
    )
    assert f"warning: {first}: {period}" in lines and f"warning: {second}: {period}" in lines
    # A path in any script keeps a readable id; / is the home page.
    assert (
        f'warning: {second}, row 11, column url: "/变身小说/" is not in the content '
        f"inventory; it is added as page 变身小说 — {FIX_PAGE}"
    ) in lines
    assert (
        f'warning: {second}, row 12, column url: "/" is not in the content inventory; it '
        f"is added as page home — {FIX_PAGE}"
    ) in lines
    assert (
        f"warning: {first}: 2 row(s) repeat pages and periods of a later report; they are "
        "counted once, from the later file — keep one export per report and period"
    ) in lines
    with open(tmp_path / "ledger.csv", newline="") as fh:
        ledger = {Path(r["file"]).name: r for r in csv.DictReader(fh)}
    assert (ledger[first]["kept"], ledger[first]["merged"]) == ("0", "2")
    assert (ledger[second]["kept"], ledger[second]["merged"]) == ("2", "0")


def test_touch_file_whose_every_row_is_dropped_is_a_warning(tmp_path: Path):
    folder = _drop(tmp_path, "marketo/activities (3).csv")
    code, lines = _validate(folder)
    assert code == 0
    assert lines == [
        "warning: activities (3).csv: every row was left out (activity type 10 (Open Email): 2; "
        "activity type 104 (Change Status in Progression): 1); nothing from this file is used — "
        "check that the export holds the activities, pages or deals expected (its filters, date "
        "range and activity types)"
    ]


def test_a_drop_without_any_deals_file_is_an_error_for_validate_and_attribute(tmp_path: Path):
    folder = _drop(tmp_path)
    (folder / "deals.csv").unlink()
    (folder / "deal_contacts.csv").unlink()
    code, lines = _validate(folder)
    assert code == 1
    assert lines[0] == (
        "error: 2026-Q3 drop: no deals file was recognised (missing: deals, deal_contacts), so "
        "there is nothing to report — add the CRM's deals export (HubSpot deals, Salesforce "
        "opportunities) or a native deals file (deal_id, amount, created_at, status, deal_type); "
        "`revstory validate` lists the files it read"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["attribute", str(folder.parent), "--out", str(out)])
    assert result.exit_code == 1 and not out.exists()
    assert "Traceback" not in result.output


def test_unsafe_content_ids_and_types_are_read_as_safe_names(tmp_path: Path):
    folder = _drop(tmp_path)
    long_id = "x" * 300
    (folder / "content.csv").write_text(
        "content_id,url,title,content_type\n"
        "how-to-fix-abm,https://www.example.com/blog/how-to-fix-abm/,How to fix ABM,Case Study\n"
        "a..b,https://www.example.com/a-b/,A to B,white paper\n"
        f"{long_id},https://www.example.com/long/,Long,e-book/guide\n"
    )
    code, lines = _validate(folder)
    fix = "use letters, digits, '-', '_' and single dots in content ids (at most 120 characters)"
    assert (
        'warning: content.csv, row 3, column content_id: "a..b" cannot be a page\'s file '
        f'name; it is read as "a.b" — {fix}'
    ) in lines
    assert (
        f'warning: content.csv, row 4, column content_id: "{"x" * 57}…" cannot be a '
        f'page\'s file name; it is read as "{"x" * 113}-8a4876" — {fix}'
    ) in lines
    assert code == 0
    from revstory.config import make_config
    from revstory.pipeline import check

    drop = check([folder.parent], make_config({}))
    assert drop.con.execute(
        "SELECT content_id, content_type FROM content ORDER BY 1"
    ).fetchall() == [
        ("a.b", "white_paper"),
        ("how-to-fix-abm", "case_study"),
        ("x" * 113 + "-8a4876", "e_book_guide"),
    ]


def test_touches_name_a_piece_as_the_inventory_wrote_it(tmp_path: Path):
    # A touch file's content ids are made safe once per distinct id and joined back: each
    # spelling of a..b (as written, padded, capitalised, the safe name itself) reaches a.b, a
    # bare email is the swapped-column warning, an empty id an error.
    folder = _drop(tmp_path)
    (folder / "content.csv").write_text(
        "content_id,url,title,content_type\n"
        "how-to-fix-abm,https://www.example.com/blog/how-to-fix-abm/,How to fix ABM,Case Study\n"
        "a..b,https://www.example.com/a-b/,A to B,white paper\n"
    )
    rows = ["a..b", " a..b ", "A..B", "a.b", "a.b", "how-to-fix-abm", "jo@aperture.example", ""]
    (folder / "touches.csv").write_text(
        "occurred_at,person_id,account_id,content_id,touch_type,channel\n"
        + "".join(
            f"2026-05-0{i + 1}T10:00:00Z,jo@aperture.example,ACC-1,{cid},view,email\n"
            for i, cid in enumerate(rows)
        )
    )
    code, lines = _validate(folder)
    touch_lines = [ln for ln in lines if ln.split(":")[1].strip().startswith("touches.csv")]
    assert touch_lines == [
        'warning: touches.csv, row 8, column content_id: "<email>" is an email address, not a '
        "content id — the content_id column looks swapped with person_id; check the export's "
        "header",
        "error: touches.csv, row 9: has no content_id or url — fill content_id or url",
    ]
    assert code == 1
    from revstory.config import make_config
    from revstory.pipeline import check

    drop = check([folder.parent], make_config({}))
    assert drop.con.execute(
        "SELECT content_id, count(*) FROM touches GROUP BY 1 ORDER BY 1"
    ).fetchall() == [("a.b", 5), ("how-to-fix-abm", 1)]
