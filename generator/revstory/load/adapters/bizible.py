"""Marketo Measure (Bizible) touchpoints → ``touches``.

BT or BAT objects, exported through Salesforce. Matched on API names (report labels are
configurable per org), with or without the
``bizible2__`` prefix. The page is the landing page, else the form URL; the person the
Contact (else Lead) id, normalised to 18 characters; the touch type comes from the
touchpoint type (Web Form → form_submit, Web Visit/Web Chat → view, others → view).
Bizible's own attribution percentages have no native column and are not used. The
Salesforce report footer is dropped as in the Salesforce adapter.
"""

from __future__ import annotations

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
from revstory.load.adapters.salesforce import _is_footer
from revstory.load.sniff import SniffedFile

NAME = "bizible"


def _n(name: str) -> tuple[str, str]:
    return (f"bizible2__{name}__c", f"{name}__c")


DATE, TYPE, CHANNEL = _n("Touchpoint_Date"), _n("Touchpoint_Type"), _n("Marketing_Channel")
LANDING = (*_n("Landing_Page"), *_n("Landing_Page_Raw"))
FORM = (*_n("Form_URL"), *_n("Form_URL_Raw"))
CONTACT, LEAD, ACCOUNT = _n("Contact"), _n("Lead"), _n("Account")


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a Bizible touchpoint export: a touchpoint date and a page or type."""
    if head.kind != "text":
        return 0.0
    cols = Columns(head.header)
    return 0.95 if cols.has(*DATE) and (cols.has(*LANDING) or cols.has(*TYPE)) else 0.0


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read touchpoints into ``touches``; those without a page are dropped with that reason."""
    header, rows, notes = data_records(
        sniffed,
        footer=("report footer (totals, confidentiality and copyright lines)", _is_footer),
    )
    require_rows(rows)
    cols = Columns(header)
    f = {
        k: cols.find(*n)
        for k, n in {
            "date": DATE,
            "type": TYPE,
            "channel": CHANNEL,
            "landing": LANDING,
            "form": FORM,
            "contact": CONTACT,
            "lead": LEAD,
            "account": ACCOUNT,
        }.items()
    }
    lab = {k: cols.label(i) for k, i in f.items() if i is not None}
    mapping = [
        (lab["date"], "occurred_at"),
        (f"{lab.get('contact', '?')}, else {lab.get('lead', '?')}", "person_id"),
        (lab.get("account", "(none)"), "account_id"),
        (f"{lab.get('landing', '?')}, else {lab.get('form', '?')}", "url"),
        (lab.get("type", "(none)") + " (Web Form → form_submit, else view)", "touch_type"),
        (lab.get("channel", "(none)"), "channel"),
    ]
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        person = sfid18(cell(r, f["contact"])) or sfid18(cell(r, f["lead"]))
        url = cell(r, f["landing"]) or cell(r, f["form"])
        if not url:
            dropped["touchpoint without a landing page or form URL (offline or ad)"] += 1
            continue
        ttype = (cell(r, f["type"]) or "").lower()
        read_rows.append(
            (
                r.line,
                {
                    "occurred_at": cell(r, f["date"]),
                    "person_id": person,
                    "account_id": sfid18(cell(r, f["account"])),
                    "url": url,
                    "touch_type": "form_submit" if "form" in ttype else "view",
                    "channel": (cell(r, f["channel"]) or "").lower().replace(" ", "_") or None,
                },
            )
        )
    frame = Frame.of(
        "touches",
        ("occurred_at", "person_id", "account_id", "url", "touch_type", "channel"),
        read_rows,
        mapping,
    )
    frame, dates = fix_dates(frame, {"occurred_at": "timestamp"}, ctx, {"occurred_at": lab["date"]})
    return AdapterOutput.build([frame], notes, Notes.of(dropped), dates)
