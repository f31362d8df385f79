"""End to end per CRM, through `revstory attribute` with nothing but defaults: an ordinary
HubSpot all-properties deals export (custom stages, no currency column) and a Salesforce Data
Export (four currencies, NUL bytes in a description, placeholder ids), each joined with
touches. Values are invented; the won revenue and each piece's linear credit are checked by
hand in the comments."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from revstory.cli import main

from tests.conftest import EXPORTS

E2E = EXPORTS / "e2e"


def _drop(name: str, tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "2026-Q3"
    shutil.copytree(E2E / name, folder)
    return folder.parent


def _attribute(root: Path, out: Path) -> tuple[str, dict[str, str], dict]:
    result = CliRunner().invoke(
        main, ["attribute", str(root), "--out", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    with open(out / "attribution.csv", newline="") as fh:
        linear = {
            r["content_id"]: r["revenue"] for r in csv.DictReader(fh) if r["model"] == "linear"
        }
    summary = json.loads((out / "summary.json").read_text())
    return result.output, linear, summary


def _warnings(output: str, root: Path) -> list[str]:
    """Warning lines, with the drop folder left out of the file names."""
    prefix = f"warning: {root}/2026-Q3/"
    return [
        line.removeprefix(prefix) for line in output.splitlines() if line.startswith("warning: ")
    ]


def test_hubspot_all_properties_export_with_custom_stages_and_no_currency(tmp_path: Path):
    root = _drop("hubspot", tmp_path)
    output, linear, _ = _attribute(root, tmp_path / "out")
    # Won ('#09 WON'): 310001 45,000 (Amount in company currency), 310002 12,500.50 (only the
    # company-currency amount is filled), 310005 no amount (won, no revenue), 310006 3,000
    # (closed before it was created): 60,500.50 EUR in 4 deals, 3 of them touched.
    assert (
        "2026-Q3: won 60,500.50 EUR in 4 deals; content-touched 60,500.50 EUR (3 deals)" in output
    )
    # 310001: contacts 501 (guide-a) and 502 (guide-b), 22,500 each (501's read after the
    # close does not count); 310002: 503 read guide-b, 12,500.50; 310006: 506 read guide-a
    # 15 days before the close, 3,000 — its window runs back from the close, not the creation.
    assert linear == {"guide-a": "25500.00", "guide-b": "35000.50"}
    file = "hubspot-crm-exports-all-deals-2026-09-30.csv"
    assert _warnings(output, root) == [
        f"{file}: custom deal stages read from their labels: '#09 WON' as won (4), "
        "'Closed: lost' as lost (1) — to read a stage otherwise, list it under won or lost in "
        "load: deal_stages in the revstory block of mkdocs.yml (or --config-file)",
        f"{file}: deal stages taken as open: 'Demo booked' (1), 'Proposal sent' (1) — if any of "
        "them means won or lost, list it under won or lost in load: deal_stages in the revstory "
        "block of mkdocs.yml (or --config-file), or export the 'Is Closed Won' column",
        f"{file}: 7 deal(s) have no currency (single-currency CRMs export none): their amounts "
        "are taken as EUR, the reporting currency — set load: default_currency in the revstory "
        "block of mkdocs.yml (or --config-file) to the CRM's currency if it is another one",
        f"{file}: 2 deal(s) have no company or account: each stands as its own account (contact "
        "mode is unaffected; with journey_mode: account no touch can match them) — export the "
        "deals with their company (HubSpot Associated Company IDs) or Account ID (Salesforce) to "
        "match touches by account",
        f"{file}: 1 deal(s) are won and have no amount: they stay won deals, with no revenue: "
        "310005 — fill the amount in the CRM and export again",
        f"{file}: 1 deal(s) are open or lost and have no amount: they are kept, and pipeline "
        "counts their value as unknown, not zero — fill the amount in the CRM if it is known",
        f"{file}: 1 deal(s) closed before they were created (often deals imported from an older "
        "system): they are kept, their journeys run back from the close date, and they are left "
        "out of cycle-time figures: 310006 — fix the dates in the CRM if they are wrong, or "
        "ignore",
    ]


def test_salesforce_data_export_with_four_currencies_nul_bytes_and_placeholder_ids(tmp_path: Path):
    root = _drop("salesforce", tmp_path)
    output, linear, _ = _attribute(root, tmp_path / "out")
    # Won: 20,000 EUR + 10,000 USD × 0.92 + 5,000 GBP × 1.17 + 40,000 PLN × 0.23
    #    = 20,000 + 9,200 + 5,850 + 9,200 = 44,250.00 EUR.
    assert (
        "2026-Q3: won 44,250.00 EUR in 4 deals; content-touched 44,250.00 EUR (4 deals)" in output
    )
    # Opp001: Robin read guide-a and guide-b (10,000 each); Opp002: Alex read guide-b (9,200);
    # Opp003: Kim attended guide-c (5,850); Opp004: Ola read guide-a (9,200). Ola and Jan both
    # have the placeholder email N/A: they stay two people, so Jan's guide-c read (his deal
    # was lost) never reaches Ola's deal.
    assert linear == {"guide-a": "19200.00", "guide-b": "19200.00", "guide-c": "5850.00"}
    warnings = _warnings(output, root)
    assert warnings[0] == (
        "Opportunity.csv: holds 3 NUL byte(s) inside its values (Salesforce Data Export writes "
        "them in rich-text fields); they were removed"
    )
    # A message about a person column quotes no value (revstory.redact).
    assert (
        "OpportunityContactRole.csv, row 6, column person_id: the value is a "
        "placeholder id (such as 000000000000000AAA, null, N/A or -), not a real one; the "
        "row is left out — fill the real person_id in the export, or ignore"
    ) in warnings
    assert (
        "Opportunity.csv: 1 deal(s) have no company or account: each stands as its own "
        "account (contact mode is unaffected; with journey_mode: account no touch can match "
        "them) — export the deals with their company (HubSpot Associated Company IDs) or "
        "Account ID (Salesforce) to match touches by account"
    ) in warnings
    # The two contacts whose email is a placeholder link nothing (left out of identities).
    with open(tmp_path / "out" / "ledger.csv", newline="") as fh:
        contacts = next(r for r in csv.DictReader(fh) if r["file"].endswith("Contact.csv"))
    assert (contacts["kept"], contacts["dropped"]) == ("3", "2")
    for written in (tmp_path / "out").iterdir():
        assert b"\x00" not in written.read_bytes()
