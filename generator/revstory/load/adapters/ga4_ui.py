"""GA4 UI CSV exports of the pages and landing-page reports → ``performance``.

Exported from Reports → Share → Download file. Handles the ``#`` preamble (its start and
end dates are the period), the 2021–22
``data-export`` files that hold several tables (the widest one is read; the others repeat the
same pages with fewer metrics), the renames across years (``Users``/``Active users``,
``Conversions``/``Key events``) and German/French/Polish/Spanish labels. Average engagement
time is turned into a total (average × users, or × sessions for per-session averages).
Pages that differ only in spelling (``/a`` and ``/a/``) are merged; ``(not set)`` and empty
pages are dropped with that reason.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from revstory.load import values
from revstory.load.adapters.base import (
    AdapterOutput,
    Columns,
    Frame,
    Notes,
    ReadContext,
    Row,
    RowError,
    cell,
)
from revstory.load.sniff import Record, SniffedFile, UnreadableFile, records
from revstory.load.urls import norm_url

NAME = "ga4_ui"

PATH = (
    "Page path and screen class",
    "Page path + query string and screen class",
    "Page path",
    "Page path + query string",
    "Landing page",
    "Landing page + query string",
    "Page location",
    "Seitenpfad und Bildschirmklasse",
    "Chemin de la page et classe d'écran",
    "Ścieżka strony i klasa ekranu",
    "Ruta de la página y clase de pantalla",
    "Zielseite",
    "Page de destination",
    "Strona docelowa",
    "Página de destino",
)
TITLE = (
    "Page title and screen class",
    "Seitentitel und Bildschirmklasse",
    "Titre de la page et classe d'écran",
    "Tytuł strony i klasa ekranu",
    "Título de la página y clase de pantalla",
)
VIEWS = ("Views", "Aufrufe", "Vues", "Wyświetlenia", "Vistas")
SESSIONS = ("Sessions", "Sitzungen", "Sesje", "Sesiones")
USERS = (
    "Active users",
    "Users",
    "Total users",
    "Aktive Nutzer",
    "Nutzer",
    "Utilisateurs actifs",
    "Utilisateurs",
    "Aktywni użytkownicy",
    "Użytkownicy",
    "Usuarios activos",
    "Usuarios",
)
AVG_USER = (
    "Average engagement time per active user",
    "Average engagement time",
    "Durchschnittliche Interaktionsdauer pro aktivem Nutzer",
    "Durée d'engagement moyenne par utilisateur actif",
    "Średni czas zaangażowania na aktywnego użytkownika",
    "Tiempo de interacción medio por usuario activo",
)
AVG_SESSION = (
    "Average engagement time per session",
    "Durchschnittliche Interaktionsdauer pro Sitzung",
)
TOTAL_ENGAGEMENT = ("User engagement", "Nutzerinteraktion")
KEY_EVENTS = (
    "Key events",
    "Conversions",
    "Schlüsselereignisse",
    "Conversions",
    "Événements clés",
    "Kluczowe zdarzenia",
    "Eventos clave",
)
HOSTNAME = ("Hostname", "Hostnamen", "Nom d'hôte", "Nazwa hosta", "Nombre de host")
_DATE_RE = re.compile(r"(\d{8})\s*$")
_RANGE_RE = re.compile(r"^#\s*(\d{8})\s*-\s*(\d{8})\s*$")


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a GA4 pages report: a page column, views or sessions, a date line."""
    if head.kind != "text":
        return 0.0
    cols = Columns(head.header)
    if not (cols.has(*PATH) or cols.has(*TITLE)):
        return 0.0
    score = 0.6 if cols.has(*VIEWS, *SESSIONS) else 0.3
    if any(_DATE_RE.search(p) for p in head.preamble if p.startswith("#")):
        score += 0.35
    return score


def _tables(recs: list[Record]) -> list[tuple[list[Record], Record, list[Record]]]:
    """Split into (preamble, header, rows) blocks: comments start a block, blanks end rows."""
    blocks: list[tuple[list[Record], Record, list[Record]]] = []
    pre: list[Record] = []
    header: Record | None = None
    rows: list[Record] = []
    for r in recs:
        is_comment = bool(r.fields) and r.fields[0].startswith("#")
        if is_comment or r.blank:
            if header is not None and (is_comment or rows):
                blocks.append((pre, header, rows))
                pre, header, rows = [], None, []
            pre.append(r)
        elif header is None:
            header = r
        else:
            rows.append(r)
    if header is not None:
        blocks.append((pre, header, rows))
    return blocks


def _period(pre: list[Record], all_pre: list[Record]) -> tuple[str, str] | None:
    for block in (pre, all_pre):
        texts = [",".join(r.fields) for r in block if r.fields and r.fields[0].startswith("#")]
        for t in texts:
            if m := _RANGE_RE.match(t):
                return values.date(m[1], None) or "", values.date(m[2], None) or ""
        found = [m[1] for t in texts if (m := _DATE_RE.search(t))]
        if len(found) >= 2:
            return values.date(found[0], None) or "", values.date(found[1], None) or ""
    return None


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read the report's widest table into ``performance``, one row per page."""
    recs = records(sniffed)
    blocks = _tables(recs)
    if not blocks:
        raise UnreadableFile("holds only comment lines", "export the report again with its table")
    # The widest table is the full report; the others are its subsets (2021–22 data-export).
    best = max(range(len(blocks)), key=lambda i: (len(blocks[i][1].fields), len(blocks[i][2])))
    pre, head, rows = blocks[best]
    dropped: Counter[str] = Counter()
    merged: Counter[str] = Counter()
    for i, (p, _h, rs) in enumerate(blocks):
        if i != best:
            dropped["other table of a multi-table GA4 export (same pages, fewer metrics)"] += (
                len(rs) + 1
            )
        dropped["preamble (comment and blank lines before the header)"] += len(p)
    accounted = sum(len(p) + 1 + len(rs) for p, _h, rs in blocks)
    dropped["blank line"] += len(recs) - accounted

    cols = Columns(head.fields)
    if cols.has(*TITLE) and not cols.has(*PATH):
        raise UnreadableFile(
            f"is a GA4 '{cols.label(cols.find(*TITLE) or 0)}' report: page titles cannot be "
            "matched to the content inventory's URLs",
            "export the 'Page path and screen class' dimension instead",
        )
    i_path = cols.find(*PATH)
    i_host = cols.find(*HOSTNAME)
    i_views = cols.find(*VIEWS)
    i_sessions = cols.find(*SESSIONS)
    if i_views is None:
        i_views = i_sessions
    i_users = cols.find(*USERS)
    i_avg_u, i_avg_s = cols.find(*AVG_USER), cols.find(*AVG_SESSION)
    i_total = cols.find(*TOTAL_ENGAGEMENT)
    if i_views is None:
        raise UnreadableFile(
            "is a GA4 report without a Views or Sessions column",
            "add the Views metric to the report and export it again",
        )
    if not rows:
        raise UnreadableFile(
            "has a header but no data rows",
            "the export is empty: check the report's filters and date range, then export it again",
        )
    period = _period(pre, [r for b in blocks for r in b[0]])
    warnings: list[str] = []
    if period is None:
        period = ctx.quarter_bounds
        warnings.append(
            f"has no '# Start date' / '# End date' lines; the period is taken as "
            f"the drop's quarter ({period[0]} to {period[1]})"
        )
    else:
        q_start, q_end = ctx.quarter_bounds
        if period[0] < q_start or period[1] > q_end:
            warnings.append(
                f"covers {period[0]} to {period[1]}, not the folder's quarter {ctx.quarter} "
                f"({q_start} to {q_end}); its figures are shown as they are — export the report "
                "for that quarter's dates, or move it to the quarter folder it belongs to"
            )

    if i_path is None:  # a title column without a path column is refused above
        raise UnreadableFile("has no page path column", "export the 'Page path' dimension")
    lab = cols.label
    mapping: list[tuple[str, str]] = []
    mapping.append((lab(i_path) + (f" (with {lab(i_host)})" if i_host is not None else ""), "url"))
    mapping.append(("# Start date / # End date", "period_start, period_end"))
    mapping.append((lab(i_views), "views"))
    if i_users is not None:
        mapping.append((lab(i_users), "users"))
    if i_total is not None:
        mapping.append((lab(i_total), "engagement_seconds"))
    elif i_avg_u is not None and i_users is not None:
        mapping.append((f"{lab(i_avg_u)} × {lab(i_users)}", "engagement_seconds"))
    elif i_avg_s is not None and i_sessions is not None:
        mapping.append((f"{lab(i_avg_s)} × {lab(i_sessions)}", "engagement_seconds"))
    if (i_key := cols.find(*KEY_EVENTS)) is not None:
        mapping.append((lab(i_key), "not used (no native column)"))

    dc = sniffed.decimal_comma
    by_key: dict[str, dict[str, str | None]] = {}
    read_rows: list[tuple[int, Row]] = []
    errors: list[RowError] = []
    for r in rows:
        if len(r.fields) != len(head.fields):
            errors.append(
                (
                    r.line,
                    None,
                    f"has {len(r.fields)} fields, the header has "
                    f"{len(head.fields)}; the row is dropped",
                    "every line needs as many fields as the header",
                )
            )
            dropped["wrong number of fields"] += 1
            continue
        page = cell(r, i_path)
        if page is None:
            dropped["empty page path"] += 1
            continue
        if page.strip().lower() == "(not set)":
            dropped["(not set) page"] += 1
            continue
        host = cell(r, i_host)
        url = (host.rstrip("/") + "/" + page.lstrip("/")) if host else page
        num = [
            values.number(cell(r, i), dc)
            for i in (i_views, i_users, i_avg_u, i_avg_s, i_total, i_sessions)
        ]
        views, users, avg_u, avg_s, total, sessions = num
        if total is not None:
            eng: float | None = _f(total)
        elif avg_u is not None and users is not None:
            eng = _mul(avg_u, users)
        elif avg_s is not None and sessions is not None:
            eng = _mul(avg_s, sessions)
        else:
            eng = None
        key = norm_url(url) or url
        if key in by_key:
            # /a and /a/ are one page: add the counts (users are an upper bound then).
            prev = by_key[key]
            for col, v in (("views", views), ("users", users)):
                prev[col] = _add(prev[col], v)
            prev["engagement_seconds"] = _add(
                prev["engagement_seconds"], None if eng is None else repr(eng)
            )
            merged["same page as an earlier row after URL normalisation"] += 1
            continue
        row: dict[str, str | None] = {
            "url": url,
            "period_start": period[0],
            "period_end": period[1],
            "views": views,
            "users": users,
            "engagement_seconds": None if eng is None else repr(round(eng, 3)),
        }
        by_key[key] = row
        read_rows.append((r.line, row))
    frame = Frame.of(
        "performance",
        ("url", "period_start", "period_end", "views", "users", "engagement_seconds"),
        read_rows,
        mapping,
    )
    notes = Notes.of(dropped, merged, warnings=warnings, errors=errors)
    return AdapterOutput.build([frame], notes)


def _f(v: str) -> float | None:
    try:
        return float(v)
    except ValueError:
        return None


def _mul(a: str, b: str) -> float | None:
    fa, fb = _f(a), _f(b)
    return None if fa is None or fb is None else fa * fb


def _add(a: str | None, b: str | None) -> str | None:
    fa, fb = _f(a or "0"), _f(b or "0")
    if fa is None or fb is None:
        return a
    total = fa + fb
    return str(int(total)) if total.is_integer() and "." not in (a or "") else repr(round(total, 3))
