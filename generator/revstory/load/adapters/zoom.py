"""Zoom webinar attendee reports and meeting participant reports → ``touches``
(webinar_attended).

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
from pathlib import Path

from revstory.load import values
from revstory.load.adapters.base import AdapterOutput, Columns, Frame, ReadContext, cell, fix_dates
from revstory.load.options import setting
from revstory.load.sniff import Record, SniffedFile, UnreadableFile, records

NAME = "zoom"
_SECTION = re.compile(
    r"^(attendee report|webinar report|registration report|host details|"
    r"panelist details|attendee details|other attended)",
    re.I,
)


def detect(head: SniffedFile) -> float:
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


def _meeting(recs: list[Record], out: AdapterOutput, frame: Frame) -> int:
    """Participants of a meeting report into ``frame``; returns the participant rows seen."""
    start = next(
        (
            k
            for k, r in enumerate(recs)
            if Columns(r.fields).has("Join Time") and not Columns(r.fields).has("Meeting ID")
        ),
        None,
    )
    if start is None:
        return 0
    out.skip("meeting header, its values and blank lines", start + 1)
    cols = Columns(recs[start].fields)
    i_email = cols.find("User Email", "Email", "Participant Email")
    i_join = cols.find("Join Time")
    frame.mapping = [
        (cols.label(i_email) if i_email is not None else "?", "person_id"),
        (f"{cols.label(i_join or 0)} (first join; month first)", "occurred_at"),
        ("Meeting ID via asset_content (else its digits)", "content_id"),
        ("'webinar_attended'", "touch_type"),
        ("'webinar'", "channel"),
    ]
    head = Columns(recs[0].fields)
    host = (cell(recs[1], head.find("User Email")) or "").lower() if len(recs) > 1 else ""
    seen: set[str] = set()
    n = 0
    for r in recs[start + 1 :]:
        if r.blank:
            out.skip("blank line")
            continue
        n += 1
        email = (cell(r, i_email) or "").lower()
        if not email:
            out.skip("participant without an email (joined without signing in)")
            continue
        if email == host:
            out.skip("host (not a buyer)")
            continue
        if email in seen:
            out.skip("another join by the same participant", outcome="merged")
            continue
        seen.add(email)
        frame.add(
            r.line,
            occurred_at=cell(r, i_join),
            person_id=email,
            touch_type="webinar_attended",
            channel="webinar",
        )
    return n


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
    out = AdapterOutput(frames=[])
    recs = records(sniffed)
    topic = webinar = ""
    for k, r in enumerate(recs[:-1]):
        cols = Columns(r.fields)
        if (i := cols.find("Webinar ID", "Meeting ID")) is not None:
            webinar = cell(recs[k + 1], i) or ""
            topic = cell(recs[k + 1], cols.find("Topic")) or ""
            break
    frame = Frame("touches", ("occurred_at", "person_id", "content_id", "touch_type", "channel"))
    attendees = 0
    seen: set[str] = set()
    meeting = Columns(recs[0].fields).has("Meeting ID") if recs else False
    for name, head, rows in [] if meeting else _sections(recs):
        out.skip("section title or header line", (name != "preamble") + (head is not None))
        if head is None or not Columns(head.fields).has("Email"):
            out.skip(f"{name} (webinar summary, not attendee rows)", len(rows))
            continue
        cols = Columns(head.fields)
        if name != "attendee details":
            out.skip(
                f"{name.split()[0]} (host or panelist, not a buyer)", sum(not r.blank for r in rows)
            )
            out.skip("blank line", sum(r.blank for r in rows))
            continue
        i_att, i_email = cols.find("Attended"), cols.find("Email")
        i_join = cols.find("Join Time", "Join time")
        frame.mapping = [
            ("Email", "person_id"),
            (f"{cols.label(i_join or 0)} (first join)", "occurred_at"),
            ("Webinar ID via asset_content (else its digits)", "content_id"),
            ("'webinar_attended'", "touch_type"),
            ("'webinar'", "channel"),
        ]
        for r in rows:
            if r.blank:
                out.skip("blank line")
                continue
            attendees += 1
            if values.boolean(cell(r, i_att)) == "false":
                out.skip("registered but did not attend")
                continue
            email = (cell(r, i_email) or "").lower()
            if email in seen:
                out.skip("another join by the same attendee", outcome="merged")
                continue
            seen.add(email)
            frame.add(
                r.line,
                occurred_at=cell(r, i_join),
                person_id=email or None,
                touch_type="webinar_attended",
                channel="webinar",
            )
    if meeting:
        attendees = _meeting(recs, out, frame)
    if not webinar:
        raise UnreadableFile(
            "is a Zoom report without the webinar's Topic / Webinar ID section",
            "export the attendee report again from Reports → Webinar",
        )
    if attendees == 0:
        raise UnreadableFile(
            "has no attendee rows", "export the attendee report again once the webinar has run"
        )
    assets = ctx.options.asset_content
    digits = re.sub(r"\D", "", webinar)
    content = assets.get(webinar) or assets.get(digits) or assets.get(topic)
    if content is None:
        content = digits
        out.warnings.append(
            f"{'meeting' if meeting else 'webinar'} {webinar} ('{topic}') is not in "
            f"asset_content; its touches use content_id {digits} — map it under "
            f"{setting('asset_content')}: {{'{digits}': <content_id>}}"
        )
    for row in frame.rows:
        row["content_id"] = content
    fix_dates(
        frame,
        {"occurred_at": "timestamp"},
        out,
        ctx,
        {"occurred_at": "Join Time"},
        twelve_hour_order="mdy",
    )
    out.frames.append(frame)
    return out
