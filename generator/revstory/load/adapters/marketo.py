"""Marketo bulk activity extracts → ``touches``.

Header ``marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,
primaryAttributeValue,attributes``; ``activityDate`` is UTC and ``attributes`` is JSON in a
quoted cell (quotes doubled). Activity types (Marketo's standard ids; custom ones are
dropped with their id): 1 Visit Webpage → view, 2 Fill Out Form → form_submit, 11 Click Email
→ email_click, 3 Click Link → view. The page comes from ``Webpage URL``, ``Referrer URL`` or
``Link`` in the attributes, else the primary attribute value. The person is the Marketo lead
id (``leadId``), so Marketo touches join deals whose contacts use the same id, or whose
contacts' ids the lead id is linked to: a lead export (``id``, ``email``, ``sfdcContactId``, …)
gives ``identities`` rows for that.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from revstory.load.adapters.base import (
    AdapterOutput,
    Columns,
    Frame,
    Notes,
    ReadContext,
    Row,
    cell,
    data_records,
    fix_dates,
    require_rows,
)
from revstory.load.adapters.crm import sfid18
from revstory.load.sniff import Record, SniffedFile

NAME = "marketo"
TYPES = {
    "1": ("view", "web"),
    "2": ("form_submit", "web"),
    "3": ("view", "web"),
    "11": ("email_click", "email"),
}
NAMES = {
    "10": "Open Email",
    "12": "New Lead",
    "13": "Change Data Value",
    "104": "Change Status in Progression",
}
URL_KEYS = ("Webpage URL", "Referrer URL", "Link", "URL", "Query Parameters")
LEAD_EMAIL = ("email", "Email Address")
#: Columns only Marketo lead exports have (bulk extract field names), beside id and email.
LEAD_MARKERS = (
    "createdAt",
    "updatedAt",
    "sfdcLeadId",
    "sfdcContactId",
    "sfdcAccountId",
    "sfdcType",
    "leadStatus",
    "leadScore",
    "leadPartitionId",
    "Email Address",
)
SFDC_IDS = ("sfdcContactId", "sfdcLeadId")


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a Marketo activity extract or lead export."""
    if head.kind != "text":
        return 0.0
    cols = Columns(head.header)
    if cols.has("marketoGUID") and cols.has("activityTypeId"):
        return 0.95
    if cols.has("id") and cols.has(*LEAD_EMAIL) and cols.has(*LEAD_MARKERS):
        return 0.9
    return 0.0


def _url(attrs_cell: str | None, primary: str | None) -> str | None:
    try:
        attrs = json.loads(attrs_cell) if attrs_cell else {}
    except ValueError:
        attrs = {}
    if isinstance(attrs, list):  # REST form: [{"name": …, "value": …}]
        attrs = {a.get("name"): a.get("value") for a in attrs if isinstance(a, dict)}
    for k in URL_KEYS[:3]:
        v = attrs.get(k) if isinstance(attrs, dict) else None
        if isinstance(v, str) and v.strip():
            return v.strip()
    return primary


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read content activities into ``touches``, a lead export into ``identities``."""
    header, rows, notes = data_records(sniffed)
    require_rows(rows)
    cols = Columns(header)
    if not cols.has("marketoGUID"):
        return _leads(cols, rows, notes)
    i = {
        k: cols.find(k)
        for k in ("leadId", "activityDate", "activityTypeId", "primaryAttributeValue", "attributes")
    }
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        type_id = cell(r, i["activityTypeId"]) or ""
        if type_id not in TYPES:
            dropped[f"activity type {type_id} ({NAMES.get(type_id, 'not a content touch')})"] += 1
            continue
        touch, channel = TYPES[type_id]
        url = _url(cell(r, i["attributes"]), cell(r, i["primaryAttributeValue"]))
        read_rows.append(
            (
                r.line,
                {
                    "occurred_at": cell(r, i["activityDate"]),
                    "person_id": cell(r, i["leadId"]),
                    "url": url,
                    "touch_type": touch,
                    "channel": channel,
                },
            )
        )
    frame = Frame.of(
        "touches",
        ("occurred_at", "person_id", "url", "touch_type", "channel"),
        read_rows,
        [
            ("activityDate", "occurred_at"),
            ("leadId", "person_id"),
            ("attributes' Webpage URL / Referrer URL / Link, else primaryAttributeValue", "url"),
            (
                "activityTypeId (1, 3 → view, 2 → form_submit, 11 → email_click)",
                "touch_type, channel",
            ),
        ],
    )
    frame, dates = fix_dates(
        frame, {"occurred_at": "timestamp"}, ctx, {"occurred_at": "activityDate"}
    )
    return AdapterOutput.build([frame], notes, Notes.of(dropped), dates)


def _leads(cols: Columns, rows: list[Record], notes: Notes) -> AdapterOutput:
    """Read a lead export into ``identities``.

    Lead id ↔ email, and ↔ the Salesforce contact (or lead) id the lead is synced with, so
    activities keyed by leadId join CRM deal contacts.
    """
    i_id, i_email = cols.find("id"), cols.find(*LEAD_EMAIL)
    i_sfdc = [i for n in SFDC_IDS if (i := cols.find(n)) is not None]
    mapping = [("id", "person_id"), (cols.label(i_email or 0), "email")]
    mapping += [(cols.label(i) + " (18 characters)", "alias") for i in i_sfdc]
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        lead, email = cell(r, i_id), cell(r, i_email)
        sfdc = [x for i in i_sfdc if (x := sfid18(cell(r, i)))]
        if not lead or not (email or sfdc):
            dropped["lead without an email or a Salesforce id"] += 1
            continue
        read_rows.append(
            (r.line, {"person_id": lead, "alias": sfdc[0] if sfdc else None, "email": email})
        )
    frame = Frame.of("identities", ("person_id", "alias", "email"), read_rows, mapping)
    return AdapterOutput.build([frame], notes, Notes.of(dropped))
