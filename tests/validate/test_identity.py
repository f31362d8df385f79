"""Identity resolution: a person's ids across tools (CRM record ids, lead ids, emails) are one
reader, so touches keyed by email meet deal contacts keyed by CRM ids.

The mixed drop (tests/fixtures/exports/identity/) is small enough to check by hand:

- HubSpot deals: 9001 won, 12,000 EUR, created 2026-07-01, closed 2026-08-31, contacts 111
  and 222; 9002 lost, contact 333.
- HubSpot contacts: 111 ↔ jo@globex.example, 222 ↔ "Ann@Globex.example " (case, padding),
  333 ↔ pat@initech.example, 444 without email.
- GA4 BigQuery page views by user_id (emails): Jo how-to-fix-abm 07-05, Ann
  how-to-fix-revenue-attribution 07-10, Pat how-to-fix-abm 07-20.
- Native touches by email: Jo downloads pipeline-reviews-in-ten-minutes 08-01, Ann views
  how-to-fix-abm 08-10, Jo views how-to-fix-abm 09-15 (after the close: never counts).

Deal 9001's journey: four touches. Linear: 3,000 EUR each, so how-to-fix-abm 6,000,
how-to-fix-revenue-attribution 3,000, pipeline-reviews-in-ten-minutes 3,000. First touch:
how-to-fix-abm (Jo, 07-05) gets all 12,000. Do not update these figures lightly.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.config import make_config
from revstory.load.adapters import marketo, salesforce
from revstory.pipeline import run
from revstory.validate.identity import components

from tests.conftest import EXPORTS, read_export

MIXED = (
    "native/content.csv",
    "identity/hubspot-crm-exports-all-deals-2026-09-30.csv",
    "identity/hubspot-crm-exports-all-contacts-2026-09-30.csv",
    "identity/bq-results-20261001-120000.csv",
    "identity/touches.csv",
)
EMAILS = ("jo@globex", "ann@globex", "pat@initech", "@")


def _attribute(root: Path, out: Path, models: str = "linear,first_touch"):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        main,
        ["attribute", str(root), "--out", str(out), "--models", models],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result


def _revenue(out: Path) -> dict[tuple[str, str], str]:
    with (out / "attribution.csv").open() as fh:
        return {(r["model"], r["content_id"]): r["revenue"] for r in csv.DictReader(fh)}


def test_mixed_drop_joins_emails_to_crm_contacts_with_exact_figures(drop, tmp_path):
    root = drop(*MIXED)
    out = tmp_path / "out"
    _attribute(root, out)
    assert _revenue(out) == {
        ("linear", "how-to-fix-abm"): "6000.00",
        ("linear", "how-to-fix-revenue-attribution"): "3000.00",
        ("linear", "pipeline-reviews-in-ten-minutes"): "3000.00",
        ("first_touch", "how-to-fix-abm"): "12000.00",
        ("first_touch", "how-to-fix-revenue-attribution"): "0.00",
        ("first_touch", "pipeline-reviews-in-ten-minutes"): "0.00",
    }
    summary = json.loads((out / "summary.json").read_text())["quarters"]["2026-Q3"]["linear"]
    assert (
        summary["won_revenue"],
        summary["content_touched_won_revenue"],
        summary["attributed"],
        summary["unattributed"],
    ) == (12000.0, 12000.0, 12000.0, 0.0)


def test_without_the_contacts_export_emails_meet_no_contact(drop, tmp_path):
    # The gap identity resolution closes: CRM record ids and emails never match on their own.
    root = drop(*(m for m in MIXED if "contacts" not in m))
    out = tmp_path / "out"
    _attribute(root, out)
    summary = json.loads((out / "summary.json").read_text())["quarters"]["2026-Q3"]["linear"]
    assert summary["content_touched_won_revenue"] == 0.0


def test_a_person_under_three_ids_in_three_files_is_one_reader(drop):
    # Jo: 111 (deal contact, HubSpot), jo@globex.example (HubSpot contacts, GA4 user_id),
    # 5001 (Marketo lead export: JO@globex.example; Marketo activity keyed by leadId).
    root = drop(
        "native/content.csv",
        "identity/hubspot-crm-exports-all-deals-2026-09-30.csv",
        "identity/hubspot-crm-exports-all-contacts-2026-09-30.csv",
        "identity/bq-results-20261001-120000.csv",
        "identity/leads (1).csv",
        "identity/activities (2).csv",
    )
    results, drop_ = run([root], make_config({}), detail=True)
    j = results.journeys[results.journeys["deal_id"] == "9001"]
    jo = j[j["content_id"] == "how-to-fix-abm"]
    # Jo's GA4 view (by email) and Marketo form fill (by lead id), one reader.
    assert list(zip(jo["touch_type"], jo["reader"], strict=True)) == [
        ("view", 1),
        ("form_submit", 1),
    ]
    assert sorted(set(j["reader"])) == [1, 2]  # Jo and Ann
    deal = results.deals.set_index("deal_id").loc["9001"]
    assert (deal["touches"], deal["readers"]) == (3, 2)
    keys = drop_.con.execute(
        "SELECT count(DISTINCT person_key) FROM identities WHERE alias_key IN "
        "(person_key('111'), person_key('jo@globex.example'), person_key('5001'))"
    ).fetchone()
    assert keys == (1,)


def test_no_email_is_written_to_any_output(drop, tmp_path):
    root = drop(*MIXED)
    out = tmp_path / "out"
    _attribute(root, out, "linear")
    assert sorted(p.name for p in out.iterdir()) == [
        "attribution.csv",
        "influence.csv",
        "ledger.csv",
        "summary.json",
    ]
    text = "".join(p.read_text() for p in out.iterdir()).lower()
    for email in EMAILS:
        assert email not in text


def test_attribute_ledger_lists_unrecognised_files_and_merged_contacts(drop, tmp_path):
    # Deal 9001 lists Jo twice: as 111 (HubSpot) and as jo@globex.example (a native file).
    root = drop(*MIXED, "mapped/posts export.csv")
    extra = root / "2026-Q3" / "deal_contacts.csv"
    extra.write_text("deal_id,person_id,role,is_primary\n9001,JO@globex.example,Champion,true\n")
    out = tmp_path / "out"
    _attribute(root, out, "linear")
    with (out / "ledger.csv").open() as fh:
        rows = {r["file"].rsplit("/", 1)[-1]: r for r in csv.DictReader(fh)}
    posts = rows["posts export.csv"]
    assert (
        posts["source"],
        posts["table_name"],
        posts["rows_read"],
        posts["kept"],
        posts["dropped"],
        posts["dropped_reasons"],
    ) == ("unrecognised", "", "1", "0", "1", "unrecognised layout: 1")
    contacts = rows["hubspot-crm-exports-all-contacts-2026-09-30.csv"]
    assert (
        contacts["table_name"],
        contacts["rows_read"],
        contacts["kept"],
        contacts["dropped_reasons"],
    ) == ("identities", "4", "3", "contact without an email (no alias to link): 1")
    merged = [r for r in rows.values() if r["merged"] != "0"]
    assert [(r["file"].rsplit("/", 1)[-1], r["merged"]) for r in merged] == [
        ("hubspot-crm-exports-all-deals-2026-09-30.csv [deal_contacts]", "1")
    ]
    for r in rows.values():
        assert int(r["rows_read"]) == int(r["kept"]) + int(r["merged"]) + int(r["dropped"])
    # The same person twice on the deal still splits the deal among the same four touches.
    assert _revenue(out)[("linear", "how-to-fix-abm")] == "6000.00"


def test_native_identities_file_links_ids_and_drops_rows_without_alias(drop):
    # crm-7 ↔ 5001 (native), 5001 ↔ jo@globex.example (Marketo leads): a chain of files.
    root = drop(
        "native/content.csv",
        "identity/hubspot-crm-exports-all-deals-2026-09-30.csv",
        "identity/leads (1).csv",
        "identity/identities.csv",
        "identity/bq-results-20261001-120000.csv",
    )
    d = CliRunner().invoke(main, ["validate", str(root)], catch_exceptions=False)
    lines = d.output.splitlines()
    ids = root / "2026-Q3" / "identities.csv"
    assert f"{ids}: identities (native), 2 rows" in lines
    assert (
        f"warning: {ids}, row 3: has no alias, email or seniority — fill alias, email or seniority"
        in lines
    )
    _, drop_ = run([root], make_config({}))
    linked = drop_.con.execute(
        "SELECT count(DISTINCT person_key) FROM identities WHERE alias_key IN "
        "(person_key('crm-7'), person_key('5001'), person_key('jo@globex.example'))"
    ).fetchone()
    assert linked == (1,)


def test_without_alias_rows_nothing_is_rewritten(drop):
    root = drop(native=True)
    _, drop_ = run([root], make_config({}))
    assert drop_.con.execute("SELECT count(*) FROM identities").fetchone() == (0,)


def test_salesforce_contact_and_lead_exports_give_aliases():
    (contacts,) = read_export(salesforce, EXPORTS / "identity/contacts (3).csv").frames
    assert contacts.table == "identities" and not contacts.derived
    assert contacts.rows == (
        {"person_id": "0033000000PpPpPAAV", "alias": None, "email": "jo@globex.example"},
    )
    (leads,) = read_export(salesforce, EXPORTS / "identity/leads_api.csv").frames
    assert [(r["person_id"], r["alias"], r["email"]) for r in leads.rows] == [
        ("00Q3000000LlLlLEAV", "0033000000RrRrRAAV", "kim@hooli.example")
    ]


def test_marketo_lead_export_gives_aliases():
    out = read_export(marketo, EXPORTS / "identity/leads (1).csv")
    (leads,) = out.frames
    assert leads.rows == ({"person_id": "5001", "alias": None, "email": "JO@globex.example"},)
    assert dict(out.skipped) == {("dropped", "lead without an email or a Salesforce id"): 1}


@pytest.mark.parametrize("order", [0, 1])
def test_components_are_chains_and_independent_of_pair_order(order):
    a = np.array([5, 3, 9, 8], dtype=np.uint64)
    b = np.array([3, 7, 8, 1], dtype=np.uint64)
    if order:
        a, b = b[::-1].copy(), a[::-1].copy()
    keys, person = components(a, b)
    assert dict(zip(keys.tolist(), person.tolist(), strict=True)) == {
        1: 1,
        3: 3,
        5: 3,
        7: 3,
        8: 1,
        9: 1,
    }


#: The HubSpot drop of tests/validate/test_e2e_crm.py and a contacts export with Job Titles.
TITLED = (
    "e2e/hubspot/content.csv",
    "e2e/hubspot/hubspot-crm-exports-all-deals-2026-09-30.csv",
    "e2e/hubspot/touches.csv",
    "hubspot/hubspot-crm-exports-all-contacts-2026-10-01.csv",
)


def _levels(drop_) -> dict[tuple[str, str], str | None]:  # type: ignore[no-untyped-def]
    """(deal, Record ID) → the deal contact's seniority, through the resolved person keys."""
    rows = drop_.con.execute(
        "SELECT dc.deal_id, x.id, dc.seniority FROM deal_contacts dc JOIN "
        "(SELECT DISTINCT unnest(string_split(?, ',')) AS id) x ON dc.person_key = "
        "coalesce((SELECT person_key FROM identities WHERE alias_key = person_key(x.id)), "
        "person_key(x.id)) ORDER BY 1, 2",
        ["501,502,503,504,505,506,507"],
    ).fetchall()
    return {(d, i): level for d, i, level in rows}


def test_hubspot_job_titles_reach_every_deal_the_contact_is_on(drop):
    # The deals export names contacts by Record ID and carries no title; the contacts export
    # gives 501 director, 502 cfo, 503 director (French title), 504 director (no email),
    # 505 none, 506 other (an assistant), 507 neither (not in the file's identities).
    _, drop_ = run([drop(*TITLED)], make_config({}))
    assert _levels(drop_) == {
        ("310001", "501"): "director",
        ("310001", "502"): "cfo",
        ("310002", "503"): "director",
        ("310003", "504"): "director",
        ("310004", "505"): None,
        ("310006", "506"): "other",
        ("310007", "507"): None,
    }


def test_a_deal_contacts_own_seniority_wins_over_the_persons(drop):
    root = drop(*TITLED)
    (root / "2026-Q3" / "deal_contacts.csv").write_text(
        "deal_id,person_id,role,is_primary,seniority\n310001,501,Champion,true,VP\n"
        "310006,506,,false,\n"
    )
    _, drop_ = run([root], make_config({}))
    levels = _levels(drop_)
    # 501 is VP on this deal (the native file says so; the HubSpot copy of the same contact,
    # kept as the later file, had no level), director as a person; 506 gives none of their own.
    assert (levels[("310001", "501")], levels[("310006", "506")]) == ("vp", "other")
    assert levels[("310001", "502")] == "cfo"


def test_of_two_levels_for_one_person_the_later_files_is_kept(drop):
    # A native identities file (after the HubSpot export in file order) gives 502 in words.
    root = drop(*TITLED)
    (root / "2026-Q3" / "identities.csv").write_text(
        "person_id,alias,email,seniority\n502,,kim@northwind.example,Director of Finance\n"
    )
    _, drop_ = run([root], make_config({}))
    assert _levels(drop_)[("310001", "502")] == "director"


def test_a_native_identities_file_gives_levels_from_job_titles(drop, tmp_path):
    # No HubSpot contacts export: a native file gives 502 a title with an email, 501 a title
    # alone (a row kept for its level). The titles are read for their level, never kept.
    root = drop(*TITLED[:3])
    (root / "2026-Q3" / "identities.csv").write_text(
        "person_id,email,title\n502,kim@northwind.example,Head of Finance\n501,,VP Sales\n"
    )
    _, drop_ = run([root], make_config({}))
    levels = _levels(drop_)
    assert (levels[("310001", "501")], levels[("310001", "502")]) == ("vp", "director")
    out = tmp_path / "out"
    _attribute(root, out, "linear")
    text = "".join(p.read_text() for p in out.iterdir())
    assert "Head of Finance" not in text and "VP Sales" not in text
