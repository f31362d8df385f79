"""GA4 BigQuery event exports, flattened to CSV, NDJSON or Parquet → ``touches``.

Expected columns (the flattening BigQuery users write: ``event_params`` unnested):
``event_timestamp`` (INT64 microseconds, UTC), ``event_name``, ``user_id``,
``user_pseudo_id``, ``page_location`` (or an ``event_params`` array of key/value records in
NDJSON/Parquet). Only ``page_view`` events of a known user (``user_id`` set: a logged-in or
CRM-identified reader) become view touches; anonymous page views and other events are
dropped with that reason (they are counted in GA4's own reports, i.e. ``performance``).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, SupportsInt

from revstory.load.adapters.base import AdapterOutput, Columns, Frame, Notes, ReadContext, Row, cell
from revstory.load.sniff import SniffedFile, UnreadableFile, records

NAME = "ga4_bigquery"


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a GA4 BigQuery event export: event timestamp, name and a user id."""
    cols = Columns(head.header)
    if (
        cols.has("event_timestamp")
        and cols.has("event_name")
        and (cols.has("user_pseudo_id") or cols.has("user_id"))
    ):
        return 0.95
    return 0.0


def _param(event: dict[str, Any], key: str) -> str | None:
    if event.get(key) not in (None, ""):
        return str(event[key])
    for p in event.get("event_params") or []:
        if isinstance(p, dict) and p.get("key") == key:
            v = p.get("value") or {}
            for kind in ("string_value", "int_value", "double_value", "float_value"):
                if v.get(kind) is not None:
                    return str(v[kind])
    return None


def _events(path: Path, sniffed: SniffedFile) -> Iterator[tuple[int, dict[str, Any]]]:
    if sniffed.kind == "parquet":
        import pyarrow.parquet as pq

        for n, ev in enumerate(pq.read_table(path).to_pylist(), start=1):
            yield n, ev
    elif sniffed.kind == "ndjson":
        for n, line in enumerate(sniffed.text().splitlines(), start=1):
            if line.strip():
                try:
                    yield n, json.loads(line)
                except ValueError:
                    raise UnreadableFile(
                        f"line {n} is not a JSON object", "export newline-delimited JSON again", n
                    ) from None
    else:
        recs = records(sniffed)
        cols = Columns(recs[0].fields)
        names = cols.header
        for r in recs[1:]:
            if not r.blank:
                yield r.line, {names[i]: cell(r, i) for i in range(len(names))}


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read known readers' page views into ``touches``; other events are dropped."""
    dropped: Counter[str] = Counter()
    read_rows: list[tuple[int, Row]] = []
    seen = 0
    for line, ev in _events(path, sniffed):
        seen += 1
        if ev.get("event_name") != "page_view":
            dropped["not a page_view event"] += 1
            continue
        user = ev.get("user_id")
        if user in (None, ""):
            dropped["page_view without user_id (anonymous reader)"] += 1
            continue
        src = _param(ev, "source") or _param(ev, "medium")
        read_rows.append(
            (
                line,
                {
                    "occurred_at": _timestamp(ev.get("event_timestamp")),
                    "person_id": str(user),
                    "url": _param(ev, "page_location"),
                    "touch_type": "view",
                    "channel": src.lower() if src else None,
                },
            )
        )
    if seen == 0:
        raise UnreadableFile(
            "has a header but no events", "export the events table again for the quarter's dates"
        )
    frame = Frame.of(
        "touches",
        ("occurred_at", "person_id", "url", "touch_type", "channel"),
        read_rows,
        [
            ("event_timestamp (µs UTC)", "occurred_at"),
            ("user_id", "person_id"),
            ("page_location", "url"),
            ("page_view", "touch_type 'view'"),
            ("source / medium when exported", "channel"),
        ],
    )
    return AdapterOutput.build([frame], Notes.of(dropped))


def _timestamp(ts: object) -> str | None:
    """Microseconds since the epoch (UTC) as ISO text; anything else as it is written."""
    if ts is None:
        return None
    try:
        micros = int(ts) if isinstance(ts, str | SupportsInt) else None
    except ValueError:
        micros = None
    if micros is None:
        return str(ts)
    try:
        return datetime.fromtimestamp(micros / 1_000_000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    except (ValueError, OverflowError, OSError):
        return str(ts)
