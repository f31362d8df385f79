"""YouTube Studio "Table data.csv" (Analytics → Advanced mode → Export) → ``performance``.

The ``Content`` column is the video ID; the second line is the ``Total`` row (dropped with
that reason). Watch time comes in hours and becomes engagement seconds. The file carries no
dates (the period is in the zip's folder name), so the period is the drop's quarter. Each row
points at ``https://www.youtube.com/watch?v=<id>`` unless ``asset_content`` maps the ID to a
content_id.
"""

from __future__ import annotations

import re
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
    data_records,
    require_rows,
)
from revstory.load.sniff import Record, SniffedFile

NAME = "youtube"
CONTENT = ("Content", "Contenu", "Treść", "Inhalt", "Contenido")
TITLE = ("Video title", "Titre de la vidéo", "Tytuł filmu", "Videotitel", "Título del vídeo")
VIEWS = ("Views", "Vues", "Wyświetlenia", "Aufrufe", "Visualizaciones")
WATCH = (
    "Watch time (hours)",
    "Durée de visionnage (heures)",
    "Czas oglądania (godziny)",
    "Wiedergabezeit (Stunden)",
    "Tiempo de visualización (horas)",
)


def detect(head: SniffedFile) -> float:
    """Score ``head`` as YouTube Studio table data: content, video title, views or watch time."""
    if head.kind != "text":
        return 0.0
    cols = Columns(head.header)
    if cols.has(*CONTENT) and cols.has(*TITLE) and (cols.has(*WATCH) or cols.has(*VIEWS)):
        return 0.9
    return 0.0


_FOOTER_RE = re.compile(r"^(showing (top|the first) \d+|total\b|totals\b)", re.I)


def _is_footer(r: Record) -> bool:
    """Say whether ``r`` is a trailing line with one filled cell: 'Showing top 500 results'."""
    filled = [f.strip() for f in r.fields if f.strip()]
    return len(filled) <= 1 and (not filled or bool(_FOOTER_RE.match(filled[0])))


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read one ``performance`` row per video over the drop's quarter."""
    header, rows, notes = data_records(
        sniffed, footer=("footer ('Showing top N results', totals)", _is_footer)
    )
    cols = Columns(header)
    i_id, i_views, i_watch = cols.find(*CONTENT), cols.find(*VIEWS), cols.find(*WATCH)
    totals = [
        r
        for r in rows
        if (cell(r, i_id) or "").lower() in ("total", "totaux", "suma", "gesamt", "summe")
    ]
    rows = [r for r in rows if r not in totals]
    require_rows(rows, "video rows (only the Total row)")
    start, end = ctx.quarter_bounds
    assets = ctx.options.asset_content
    mapping = [
        (f"{cols.label(i_id or 0)} (video ID)", "url youtube.com/watch?v=… or asset_content"),
        ("(the drop's quarter)", "period_start, period_end"),
    ]
    if i_views is not None:
        mapping.append((cols.label(i_views), "views"))
    if i_watch is not None:
        mapping.append((f"{cols.label(i_watch)} × 3600", "engagement_seconds"))
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        vid = cell(r, i_id) or ""
        hours = values.number(cell(r, i_watch), sniffed.decimal_comma)
        try:
            seconds: str | None = repr(round(float(hours) * 3600, 3)) if hours else None
        except ValueError:
            seconds = hours
        read_rows.append(
            (
                r.line,
                {
                    "content_id": assets.get(vid),
                    "url": None if vid in assets else f"https://www.youtube.com/watch?v={vid}",
                    "period_start": start,
                    "period_end": end,
                    "views": values.number(cell(r, i_views), sniffed.decimal_comma),
                    "engagement_seconds": seconds,
                },
            )
        )
    frame = Frame.of(
        "performance",
        ("content_id", "url", "period_start", "period_end", "views", "engagement_seconds"),
        read_rows,
        mapping,
    )
    return AdapterOutput.build([frame], notes, Notes.of({"Total row": len(totals)}))
