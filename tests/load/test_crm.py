"""HubSpot and Salesforce exports."""

from __future__ import annotations

from revstory.load.adapters import hubspot, salesforce

from tests.conftest import EXPORTS, read_export


def test_hubspot_deals_and_associations():
    out = read_export(
        hubspot,
        EXPORTS / "hubspot/hubspot-crm-exports-all-deals-2026-09-30 (1).csv",
        default_currency="USD",
    )
    deals, contacts = out.frames
    assert deals.rows[0] == {
        "deal_id": "189164774900",
        "account_id": "9001",
        "name": "Globex - platform",
        "amount": "45362.12",
        "currency": "USD",
        "created_at": "2026-05-02T10:15:00",
        "closed_at": "2026-08-14",
        "status": "won",
        "deal_type": "new",
        "segment": "Sales Pipeline",
        "last_modified": None,
    }
    assert [r["status"] for r in deals.rows] == ["won", "lost", "open"]
    assert deals.rows[2]["closed_at"] is None  # an open deal's close date is a forecast
    assert [r["deal_type"] for r in deals.rows] == ["new", "renewal", "expansion"]
    assert contacts.derived and [(r["deal_id"], r["person_id"]) for r in contacts.rows] == [
        ("189164774900", "111"),
        ("189164774900", "222"),
        ("189164774901", "333"),
    ]
    assert contacts.lines == (2, 2, 3)


def test_hubspot_french_cp1252_semicolons_and_custom_stage():
    out = read_export(hubspot, EXPORTS / "hubspot/export_fr.csv")
    deals = out.frames[0]
    assert deals.rows[0]["amount"] == "12500.50"
    # A custom stage that says WON is read as won, and the reading is printed.
    assert deals.rows[0]["status"] == "won" and deals.rows[1]["status"] == "lost"
    assert out.warnings == (
        "custom deal stages read from their labels: '#09 WON' as won (1) — to read a stage "
        "otherwise, list it under won or lost in load: deal_stages in the revstory block of "
        "mkdocs.yml (or --config-file)",
    )
    # deal_stages overrides the reading.
    lost = read_export(
        hubspot, EXPORTS / "hubspot/export_fr.csv", deal_stages={"lost": ["#09 won"]}
    )
    assert lost.frames[0].rows[0]["status"] == "lost" and lost.warnings == ()
    assert ("Date de création", "created_at") in deals.mapping


def test_hubspot_contacts_become_touches():
    out = read_export(hubspot, EXPORTS / "hubspot/hubspot-crm-exports-all-contacts-2026-09-30.csv")
    touches, aliases = out.frames
    assert [(r["person_id"], r["touch_type"], r["occurred_at"]) for r in touches.rows] == [
        ("111", "view", "2026-04-01T09:00:00"),
        ("111", "form_submit", "2026-04-03T10:00:00"),
    ]
    # Record ID ↔ Email links the deals' contacts to touches keyed by email.
    assert aliases.table == "identities" and aliases.derived
    assert [(r["person_id"], r["email"]) for r in aliases.rows] == [
        ("111", "jo@globex.example"),
        ("222", "ann@globex.example"),
    ]
    assert out.skipped[("dropped", "contact without a first page seen")] == 1


def test_hubspot_contacts_give_each_contact_their_seniority_never_their_title():
    """The Job Title is on the contacts export, not on the deals' associations: read there.

    501 Marketing Director, 502 Chief Financial Officer, 503 Directrice des achats, 504 Head
    of IT (no email: kept for the level alone), 505 no title, 506 Asystentka zarządu (an
    assistant), 507 neither email nor title (nothing to keep).
    """
    out = read_export(hubspot, EXPORTS / "hubspot/hubspot-crm-exports-all-contacts-2026-10-01.csv")
    (people,) = out.frames
    assert people.table == "identities" and not people.derived
    assert people.columns == ("person_id", "email", "seniority")
    assert [tuple(r.values()) for r in people.rows] == [
        ("501", "robin@northwind.example", "director"),
        ("502", "kim@northwind.example", "cfo"),
        ("503", "alex@contoso.example", "director"),
        ("504", None, "director"),
        ("505", "pat@tailspin.example", None),
        ("506", "dana@adatum.example", "other"),
    ]
    assert people.lines == (2, 3, 4, 5, 6, 7)
    assert ("Job Title (its level only)", "seniority") in people.mapping
    assert dict(out.skipped) == {
        ("dropped", "contact without an email or a job title (nothing to link or keep)"): 1
    }
    # Names, phone numbers and titles stay in the export: no frame value holds them.
    held = " ".join(str(v) for r in people.rows for v in r.values())
    for personal in ("Robin", "Sample", "+44", "Marketing Director", "Directrice", "Asystentka"):
        assert personal not in held


def test_salesforce_report_footer_locale_dates_currency_and_ids():
    out = read_export(salesforce, EXPORTS / "salesforce/report1712345678901 (1).csv")
    (deals,) = out.frames
    assert deals.rows[0] == {
        "deal_id": "0063000000ABCdEAAX",
        "account_id": "001A0000006Vm9rIAC",
        "name": "Globex Manufacturing",
        "amount": "12500.00",
        "currency": "USD",
        "created_at": "2026-03-02T09:30:00",
        "closed_at": "2026-07-15",
        "status": "won",
        "deal_type": "renewal",
        "segment": None,
        "last_modified": None,
    }
    assert [r["status"] for r in deals.rows] == ["won", "lost", "open"]
    assert dict(out.skipped) == {
        ("dropped", "report footer (totals, confidentiality and copyright lines)"): 4
    }


def test_salesforce_dotted_dates_and_decimal_comma_amounts():
    deals = read_export(salesforce, EXPORTS / "salesforce/report_de.csv").frames[0]
    assert [(r["amount"], r["currency"], r["closed_at"]) for r in deals.rows] == [
        ("8000.00", "EUR", "2026-08-31"),
        ("1500.50", "EUR", "2026-07-15"),
    ]


def test_salesforce_ambiguous_dates_are_not_guessed():
    out = read_export(salesforce, EXPORTS / "malformed/ambiguous dates.csv")
    assert out.errors[0][:3] == (
        2,
        "Created Date",
        '"02/01/2026" is ambiguous: day and month could be either way '
        "round, and no date in the column is past the 12th",
    )
    # The column is reported once, as a whole: its cells are left unread, so validation does
    # not add a second "not a date" error per cell.
    assert out.frames[0].rows[0]["created_at"] is None and "created_at" in out.unread
    dmy = read_export(salesforce, EXPORTS / "malformed/ambiguous dates.csv", date_order="dmy")
    assert dmy.errors == () and dmy.frames[0].rows[0]["closed_at"] == "2026-04-03"


def test_contact_roles_join_15_and_18_character_ids():
    (roles,) = read_export(salesforce, EXPORTS / "salesforce/export (1).csv").frames
    assert roles.rows[0]["deal_id"] == roles.rows[1]["deal_id"] == "0063000000ABCdEAAX"
    assert roles.rows[0] == {
        "deal_id": "0063000000ABCdEAAX",
        "person_id": "0033000000PpPpPAAV",
        "role": "Decision Maker",
        "is_primary": "true",
    }


def test_campaign_members_who_responded_become_touches():
    out = read_export(
        salesforce,
        EXPORTS / "salesforce/export (2).csv",
        asset_content={"7013000000WbNr1AAF": "how-to-fix-abm"},
    )
    (touches,) = out.frames
    assert [
        (r["person_id"], r["touch_type"], r["occurred_at"], r["content_id"]) for r in touches.rows
    ] == [
        ("0033000000PpPpPAAV", "webinar_attended", "2026-06-10", "how-to-fix-abm"),
        ("00Q3000000LlLlLEAV", "form_submit", "2026-06-12", "how-to-fix-abm"),
    ]
    assert out.skipped[("dropped", "campaign member who did not respond")] == 1
