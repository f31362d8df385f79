"""Zoom webinar attendee reports and meeting participant reports → ``touches``.

Each attendee who attended gives one webinar_attended touch.

A meeting participant report (Reports → Usage → Participants, "Export with meeting data") is
one header row of the meeting (``Topic, Meeting ID, …, Start Time``), its values, a blank
line, then the participants table (``Name (Original Name), User Email, Join Time, …``). Zoom
writes its times ``05/12/2026 09:00:00 AM``: month first, which the 12-hour form settles.

The file is a stack of sections: ``Attendee Report`` with the webinar's topic and ID, then
``Host Details``, ``Panelist Details`` and ``Attendee Details``, each with its own header. Only
attendees who attended count; Zoom writes one row per join, so an attendee's later joins are
merged into the first (the touch is at the first join). Hosts and panelists are dropped with
that reason. The webinar becomes a content_id through ``asset_content`` (keyed by webinar ID,
with or without spaces, or by topic); unmapped, the ID's digits are the content_id.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from revstory.load import values
from revstory.load.adapters.base import (
    AdapterOutput,
    Columns,
    Frame,
    Notes,
    ReadContext,
    Row,
    cell,
    fix_dates,
)
from revstory.load.options import setting
from revstory.load.sniff import Record, SniffedFile, UnreadableFile, records

NAME = "zoom"
_SECTION = re.compile(
    r"^(attendee report|webinar report|registration report|host details|"
    r"panelist details|attendee details|other attended)",
    re.I,
)


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a Zoom attendee report or a meeting participant report."""
    if head.kind != "text":
        return 0.0
    first = next((ln for ln in head.lines if ln.strip()), "")
    if re.match(r'^"?(attendee|webinar|performance) report', first, re.I):
        return 0.95
    cols = Columns(head.header)
    if (
        cols.has("Meeting ID")
        and cols.has("Topic")
        and any("join time" in ln.lower() for ln in head.lines[head.header_line :])
    ):
        return 0.9
    return 0.0


@dataclass(frozen=True)
class _Attendees:
    """The attendee rows of one report, before their content_id is known."""

    rows: tuple[tuple[int, Row], ...]
    seen: int  # attendee (or participant) rows read, kept or not
    mapping: tuple[tuple[str, str], ...]
    notes: Notes


def _meeting(recs: list[Record]) -> _Attendees:
    """Read the participants of a meeting report."""
    start = next(
        (
            k
            for k, r in enumerate(recs)
            if Columns(r.fields).has("Join Time") and not Columns(r.fields).has("Meeting ID")
        ),
        None,
    )
    if start is None:
        return _Attendees((), 0, (), Notes())
    dropped: Counter[str] = Counter()
    merged: Counter[str] = Counter()
    dropped["meeting header, its values and blank lines"] = start + 1
    cols = Columns(recs[start].fields)
    i_email = cols.find("User Email", "Email", "Participant Email")
    i_join = cols.find("Join Time")
    mapping = (
        (cols.label(i_email) if i_email is not None else "?", "person_id"),
        (f"{cols.label(i_join or 0)} (first join; month first)", "occurred_at"),
        ("Meeting ID via asset_content (else its digits)", "content_id"),
        ("'webinar_attended'", "touch_type"),
        ("'webinar'", "channel"),
    )
    head = Columns(recs[0].fields)
    host = (cell(recs[1], head.find("User Email")) or "").lower() if len(recs) > 1 else ""
    seen: set[str] = set()
    read_rows: list[tuple[int, Row]] = []
    n = 0
    for r in recs[start + 1 :]:
        if r.blank:
            dropped["blank line"] += 1
            continue
        n += 1
        email = (cell(r, i_email) or "").lower()
        if not email:
            dropped["participant without an email (joined without signing in)"] += 1
            continue
        if email == host:
            dropped["host (not a buyer)"] += 1
            continue
        if email in seen:
            merged["another join by the same participant"] += 1
            continue
        seen.add(email)
        read_rows.append((r.line, _touch(cell(r, i_join), email)))
    return _Attendees(tuple(read_rows), n, mapping, Notes.of(dropped, merged))


def _touch(joined: str | None, person: str | None) -> Row:
    return {
        "occurred_at": joined,
        "person_id": person,
        "touch_type": "webinar_attended",
        "channel": "webinar",
    }


def _webinar(recs: list[Record]) -> _Attendees:
    """Read the attendees of a webinar report, section by section."""
    dropped: Counter[str] = Counter()
    merged: Counter[str] = Counter()
    mapping: tuple[tuple[str, str], ...] = ()
    read_rows: list[tuple[int, Row]] = []
    attendees = 0
    seen: set[str] = set()
    for name, head, rows in _sections(recs):
        dropped["section title or header line"] += (name != "preamble") + (head is not None)
        if head is None or not Columns(head.fields).has("Email"):
            dropped[f"{name} (webinar summary, not attendee rows)"] += len(rows)
            continue
        cols = Columns(head.fields)
        if name != "attendee details":
            dropped[f"{name.split()[0]} (host or panelist, not a buyer)"] += sum(
                not r.blank for r in rows
            )
            dropped["blank line"] += sum(r.blank for r in rows)
            continue
        i_att, i_email = cols.find("Attended"), cols.find("Email")
        i_join = cols.find("Join Time", "Join time")
        mapping = (
            ("Email", "person_id"),
            (f"{cols.label(i_join or 0)} (first join)", "occurred_at"),
            ("Webinar ID via asset_content (else its digits)", "content_id"),
            ("'webinar_attended'", "touch_type"),
            ("'webinar'", "channel"),
        )
        for r in rows:
            if r.blank:
                dropped["blank line"] += 1
                continue
            attendees += 1
            if values.boolean(cell(r, i_att)) == "false":
                dropped["registered but did not attend"] += 1
                continue
            email = (cell(r, i_email) or "").lower()
            if email in seen:
                merged["another join by the same attendee"] += 1
                continue
            seen.add(email)
            read_rows.append((r.line, _touch(cell(r, i_join), email or None)))
    return _Attendees(tuple(read_rows), attendees, mapping, Notes.of(dropped, merged))


def _sections(recs: list[Record]) -> list[tuple[str, Record | None, list[Record]]]:
    """(title, header, rows) per section; a section's header is its first non-blank line."""
    out: list[tuple[str, Record | None, list[Record]]] = [("preamble", None, [])]
    for r in recs:
        filled = [f for f in r.fields if f.strip()]
        if len(filled) == 1 and _SECTION.match(filled[0].strip()):
            out.append((filled[0].strip().rstrip(":").lower(), None, []))
        elif out[-1][1] is None and not r.blank and out[-1][0] != "attendee report":
            out[-1] = (out[-1][0], r, [])
        else:
            out[-1][2].append(r)
    return out


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read one touch per attendee, at the first join, for the webinar's content_id."""
    recs = records(sniffed)
    topic = webinar = ""
    for k, r in enumerate(recs[:-1]):
        cols = Columns(r.fields)
        if (i := cols.find("Webinar ID", "Meeting ID")) is not None:
            webinar = cell(recs[k + 1], i) or ""
            topic = cell(recs[k + 1], cols.find("Topic")) or ""
            break
    meeting = Columns(recs[0].fields).has("Meeting ID") if recs else False
    found = _meeting(recs) if meeting else _webinar(recs)
    if not webinar:
        raise UnreadableFile(
            "is a Zoom report without the webinar's Topic / Webinar ID section",
            "export the attendee report again from Reports → Webinar",
        )
    if found.seen == 0:
        raise UnreadableFile(
            "has no attendee rows", "export the attendee report again once the webinar has run"
        )
    assets = ctx.options.asset_content
    digits = re.sub(r"\D", "", webinar)
    content = assets.get(webinar) or assets.get(digits) or assets.get(topic)
    warnings = []
    if content is None:
        content = digits
        warnings.append(
            f"{'meeting' if meeting else 'webinar'} {webinar} ('{topic}') is not in "
            f"asset_content; its touches use content_id {digits} — map it under "
            f"{setting('asset_content')}: {{'{digits}': <content_id>}}"
        )
    frame = Frame.of(
        "touches",
        ("occurred_at", "person_id", "content_id", "touch_type", "channel"),
        [(line, {**row, "content_id": content}) for line, row in found.rows],
        found.mapping,
    )
    frame, dates = fix_dates(
        frame,
        {"occurred_at": "timestamp"},
        ctx,
        {"occurred_at": "Join Time"},
        twelve_hour_order="mdy",
    )
    return AdapterOutput.build([frame], found.notes, Notes.of(warnings=warnings), dates)
