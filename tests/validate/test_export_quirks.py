"""The smaller promises of the real-exports issue, each on a drop a CRM really writes: a
date-only close written as a midnight datetime, HubSpot's company-currency amount preferred
to the deal's own, deals closed before creation kept out of cycle times, every placeholder id
read as empty, and an export with its columns swapped or ids that are emails quoting no
person. Values are invented; figures are checked by hand in the comments."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main

from tests.conftest import EXPORTS, TESTS

MINIMAL = TESTS / "fixtures" / "drops" / "minimal"


def _minimal(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(MINIMAL, root)
    return root


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _linear(out: Path) -> dict[str, str]:
    with open(out / "attribution.csv", newline="") as fh:
        return {r["content_id"]: r["revenue"] for r in csv.DictReader(fh) if r["model"] == "linear"}


def test_a_midnight_close_is_the_whole_day_like_a_date(tmp_path: Path) -> None:
    """D1 closes on 2026-08-08; alice shared piece e at 15:00 that day. Written as the date
    or as Salesforce's `2026-08-08 00:00:00`, the close covers the whole day: e keeps its
    share of D1's 12,000 (five pieces a–e, 2,400 each) and the files are the same."""
    plain = _minimal(tmp_path / "plain")
    midnight = _minimal(tmp_path / "midnight")
    _edit(midnight / "2026-Q3" / "deals.csv", ",2026-08-08,won,", ",2026-08-08 00:00:00,won,")
    _run("attribute", str(plain), "--out", str(tmp_path / "o1"))
    _run("attribute", str(midnight), "--out", str(tmp_path / "o2"))
    assert _linear(tmp_path / "o1")["e"] == "2400.00"
    for name in ("attribution.csv", "influence.csv", "summary.json"):
        assert (tmp_path / "o2" / name).read_bytes() == (tmp_path / "o1" / name).read_bytes()


def test_a_real_time_of_day_is_a_time(tmp_path: Path) -> None:
    """Closed at 09:00 on 2026-08-08: the 15:00 share of piece e comes after the close and
    does not count; a–d share D1's 12,000 (3,000 each)."""
    root = _minimal(tmp_path)
    _edit(root / "2026-Q3" / "deals.csv", ",2026-08-08,won,", ",2026-08-08 09:00:00,won,")
    _run("attribute", str(root), "--out", str(tmp_path / "out"))
    linear = _linear(tmp_path / "out")
    assert "e" not in linear or linear["e"] == "0.00"
    assert linear["a"] == "3000.00"


def test_hubspot_amount_in_company_currency_is_preferred(tmp_path: Path) -> None:
    """310001's own Amount stays 45,000 but its company-currency amount is 46,000: the won
    revenue is 1,000 above the fixture's 60,500.50 EUR."""
    folder = tmp_path / "content" / "2026-Q3"
    shutil.copytree(EXPORTS / "e2e" / "hubspot", folder)
    export = folder / "hubspot-crm-exports-all-deals-2026-09-30.csv"
    _edit(
        export,
        '"310001","Northwind - platform","#09 WON","Enterprise pipeline","45000","45000.0"',
        '"310001","Northwind - platform","#09 WON","Enterprise pipeline","45000","46000.0"',
    )
    output = _run("attribute", str(folder.parent), "--out", str(tmp_path / "out"))
    assert "2026-Q3: won 61,500.50 EUR in 4 deals" in output


def test_deals_closed_before_creation_are_left_out_of_cycle_times(tmp_path: Path) -> None:
    """D3 created 2026-07-03, closed 2026-09-01 (60 days); D1 created 2026-07-20 09:00, closed
    on 2026-08-08 (19 days). Move D1's creation after its close: D1 stays a won deal with its
    revenue, but only D3's cycle is measured."""
    from revstory.config import AttributionConfig
    from revstory.pipeline import run

    root = _minimal(tmp_path)
    _edit(
        root / "2026-Q3" / "deals.csv",
        "2026-07-20T09:00:00Z,2026-08-08",
        "2026-08-20T09:00:00Z,2026-08-08",
    )
    results, _ = run([root], AttributionConfig())
    deals = results.deals.set_index("deal_id")
    assert bool(deals.loc["D1", "touched"])
    assert deals["cycle_days"].isna().tolist() == [True, False, False, True]  # D1, D2, D3, D4
    assert int(deals.loc["D3", "cycle_days"]) == 60


@pytest.mark.parametrize(
    "placeholder", ["NULL", "None", "#N/A", "-", "N/A", "null", "000000000000000AAA"]
)
def test_a_placeholder_id_is_no_one(tmp_path: Path, placeholder: str) -> None:
    """Two people exported with the same placeholder instead of an id are not one reader:
    D4's only contact is the placeholder, and the placeholder's touches (read by someone
    else) do not become D4's journey."""
    root = _minimal(tmp_path)
    q3 = root / "2026-Q3"
    _edit(q3 / "deal_contacts.csv", "D4,carol@umbrella.example", f"D4,{placeholder}")
    with open(q3 / "touches.csv", "a", encoding="utf-8") as fh:
        fh.write(f"2026-08-05T10:00:00Z,{placeholder},ACC9,a,view,organic_search\n")
    from revstory.config import AttributionConfig
    from revstory.pipeline import run

    results, _ = run([root], AttributionConfig())
    deals = results.deals.set_index("deal_id")
    assert int(deals.loc["D4", "touches"]) == 0


def test_swapped_columns_and_email_ids_quote_no_person(tmp_path: Path) -> None:
    """A deal-contacts export with deal_id and person_id swapped, and a touches file whose
    content_id column holds the readers' emails: validate names rows and columns, never an
    email."""
    root = _minimal(tmp_path)
    q3 = root / "2026-Q3"
    _edit(q3 / "deal_contacts.csv", "deal_id,person_id,", "person_id,deal_id,")
    lines = (q3 / "touches.csv").read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [
        ",".join([p[0], p[1], p[2], p[1], p[4], p[5]])
        for p in (line.split(",") for line in lines[1:])
    ]
    (q3 / "touches.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(root)], catch_exceptions=False)
    assert "@" not in result.output
    assert (
        f'warning: {q3 / "deal_contacts.csv"}, row 2, column deal_id: "<email>" is a deal_id '
        "not found in any deals file — check the deal export covers the same deals"
    ) in result.output.splitlines()
