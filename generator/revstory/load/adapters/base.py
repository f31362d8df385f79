"""What every source adapter hands back: frames in native column names, and notes.

The notes account for every input row the frames do not hold.

An adapter module defines ``NAME`` (shown by ``revstory validate``), ``detect(head) -> float``
(0 = not mine, 1 = certainly mine; from the header and preamble only, never the file name) and
``read(path, sniffed, ctx) -> AdapterOutput``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from revstory.contracts import TABLES_BY_NAME
from revstory.load.options import LoadOptions, setting
from revstory.load.sniff import Record, SniffedFile, UnreadableFile
from revstory.quarter import Quarter


@dataclass(frozen=True)
class ReadContext:
    """What an adapter may know besides the file: the drop's quarter and the load settings."""

    quarter: str
    options: LoadOptions

    @property
    def quarter_bounds(self) -> tuple[str, str]:
        """The quarter's first and last day, ISO."""
        q = Quarter.parse(self.quarter)
        return q.start.isoformat(), q.end.isoformat()


#: One row of a frame: native column → text (or None).
Row = Mapping[str, str | None]
#: A problem with a row number: (row, column, message, fix), reported as an error.
RowError = tuple[int | None, str | None, str, str]


@dataclass(frozen=True)
class Frame:
    """Rows for one native table, built once.

    ``rows`` map native column → text (or None); ``lines`` hold the original line of each
    row. ``derived`` frames (deal contacts split from a deals file's association cell) add
    rows rather than consume the file's lines.
    """

    table: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...] = ()
    lines: tuple[int, ...] = ()
    mapping: tuple[tuple[str, str], ...] = ()
    derived: bool = False

    def __post_init__(self) -> None:
        """Refuse columns the native table does not have, and rows without their line."""
        spec = TABLES_BY_NAME[self.table]
        unknown = set(self.columns) - set(spec.names)
        if unknown:
            raise ValueError(f"{self.table} has no columns {sorted(unknown)}")
        if len(self.rows) != len(self.lines):
            raise ValueError(f"{len(self.rows)} rows but {len(self.lines)} lines: one line per row")

    @classmethod
    def of(
        cls,
        table: str,
        columns: tuple[str, ...],
        rows: Iterable[tuple[int, Row]] = (),
        mapping: Iterable[tuple[str, str]] = (),
        derived: bool = False,
    ) -> Frame:
        """Build a frame from ``(line, row)`` pairs."""
        pairs = tuple(rows)
        return cls(
            table,
            columns,
            rows=tuple(MappingProxyType(dict(row)) for _, row in pairs),
            lines=tuple(line for line, _ in pairs),
            mapping=tuple(mapping),
            derived=derived,
        )

    def describe(self) -> str:
        """Say how the file's columns map to the native ones: ``theirs → ours, …``."""
        return ", ".join(f"{theirs} → {ours}" for theirs, ours in self.mapping)


@dataclass(frozen=True)
class Notes:
    """What reading a file left out or found wrong, as a value: notes add up with ``+``."""

    #: (outcome, reason) → rows; outcome is ``dropped`` or ``merged``.
    skipped: Mapping[tuple[str, str], int] = field(default_factory=lambda: MappingProxyType({}))
    #: Messages about the whole file (e.g. stages taken as open), shown as warnings.
    warnings: tuple[str, ...] = ()
    #: Problems with a row number, reported as errors.
    errors: tuple[RowError, ...] = ()
    #: Native columns left unread after an error for the whole column (validation does not
    #: report their cells a second time).
    unread: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        """Hold the counts read-only, without reasons that left out no row."""
        counts = {k: n for k, n in self.skipped.items() if n}
        object.__setattr__(self, "skipped", MappingProxyType(counts))

    @classmethod
    def of(
        cls,
        dropped: Mapping[str, int] | None = None,
        merged: Mapping[str, int] | None = None,
        warnings: Iterable[str] = (),
        errors: Iterable[RowError] = (),
        unread: Iterable[str] = (),
    ) -> Notes:
        """Build notes from rows counted per reason (``dropped``, ``merged``) and messages."""
        skipped = Counter({("dropped", r): n for r, n in (dropped or {}).items()})
        skipped.update({("merged", r): n for r, n in (merged or {}).items()})
        return cls(skipped, tuple(warnings), tuple(errors), frozenset(unread))

    def __add__(self, other: Notes) -> Notes:
        """Add up counts and unread columns; keep both notes' messages, these first."""
        return Notes(
            Counter(self.skipped) + Counter(other.skipped),
            self.warnings + other.warnings,
            self.errors + other.errors,
            self.unread | other.unread,
        )


@dataclass(frozen=True)
class AdapterOutput(Notes):
    """Frames plus the adapter's notes: the rows it left out, its warnings and row errors."""

    frames: tuple[Frame, ...] = ()

    @classmethod
    def build(cls, frames: Iterable[Frame], *notes: Notes) -> AdapterOutput:
        """Build the output of one read: its frames, and its notes added up in order."""
        total = sum(notes, Notes())
        return cls(total.skipped, total.warnings, total.errors, total.unread, tuple(frames))


class Columns:
    """Find a file's columns by any of their known names (case and spacing ignored)."""

    def __init__(self, header: list[str] | tuple[str, ...]) -> None:
        self.header = [h.strip() for h in header]
        self._index: dict[str, int] = {}
        for i, h in enumerate(self.header):  # a column given twice: the first one is read
            self._index.setdefault(" ".join(h.split()).lower(), i)

    def find(self, *names: str) -> int | None:
        """Give the index of the first of ``names`` the header has, else None."""
        for n in names:
            i = self._index.get(" ".join(n.split()).lower())
            if i is not None:
                return i
        return None

    def has(self, *names: str) -> bool:
        """Say whether the header has any of ``names``."""
        return self.find(*names) is not None

    def label(self, i: int) -> str:
        """Give column ``i``'s name as the file writes it."""
        return self.header[i]


def cell(rec: Record, i: int | None) -> str | None:
    """Give field ``i`` of ``rec`` stripped, or None when it is blank or absent."""
    if i is None or i >= len(rec.fields):
        return None
    v = rec.fields[i].strip()
    return v or None


def data_records(
    sniffed: SniffedFile,
    text: str | None = None,
    footer: tuple[str, Callable[[Record], bool]] | None = None,
) -> tuple[list[str], list[Record], Notes]:
    """Header, data records and notes of a single-table delimited file.

    Leading comment lines count as dropped "preamble"; blank lines and lines whose field count
    differs from the header's are dropped with their reason (a file where most lines differ is
    refused: wrong delimiter or not a table).
    """
    from revstory.load.sniff import records

    recs = records(sniffed, text)
    body = [r for r in recs if r.line >= sniffed.header_line]
    dropped: Counter[str] = Counter()
    dropped["preamble (comment and blank lines before the header)"] = len(recs) - len(body)
    if not body:
        raise UnreadableFile("has no header line", "export the report again with its header")
    header = [h.strip() for h in body[0].fields]
    rows = body[1:]
    if footer is not None:
        reason, is_footer = footer
        n = len(rows)
        while rows and (rows[-1].blank or is_footer(rows[-1])):
            rows.pop()
        dropped[reason] += n - len(rows)
    kept: list[Record] = []
    bad: list[Record] = []
    for r in rows:
        if r.blank:
            dropped["blank line"] += 1
        elif len(r.fields) != len(header):
            bad.append(r)
        else:
            kept.append(r)
    if bad and len(bad) > len(kept):
        d = {",": "comma", ";": "semicolon", "\t": "tab"}[sniffed.delimiter]
        raise UnreadableFile(
            f"line {bad[0].line} has {len(bad[0].fields)} fields but the header has "
            f"{len(header)} ({d}-separated); most lines do not match the header",
            "check the delimiter: every line must use the header's delimiter",
            bad[0].line,
        )
    errors = [
        (
            r.line,
            None,
            f"has {len(r.fields)} fields, the header has {len(header)}; the row is dropped",
            "every line needs as many fields as the header",
        )
        for r in bad
    ]
    dropped["wrong number of fields"] += len(bad)
    return header, kept, Notes.of(dropped, errors=errors)


def require_rows(rows: list[Record], what: str = "data rows") -> None:
    """Refuse a file whose header is followed by no ``what``."""
    if not rows:
        raise UnreadableFile(
            f"has a header but no {what}",
            "the export is empty: check the report's filters and date range, then export it again",
        )


def fix_dates(
    frame: Frame,
    kinds: dict[str, str],
    ctx: ReadContext,
    labels: dict[str, str],
    twelve_hour_order: str | None = None,
) -> tuple[Frame, Notes]:
    """Turn the raw date cells of ``frame`` into ISO text, column by column.

    Slash dates are read day-first or month-first as ``date_order`` says, else as the column
    proves, else — for a tool whose layout is known (``twelve_hour_order``: Zoom writes
    ``05/12/2026 09:00:00 AM`` month first) — from its 12-hour times; a column that settles
    none of these is left unread (its cells become None) and reported once, never guessed.
    Returns the frame with its dates converted and the notes of the columns left unread.
    """
    from revstory.load import values

    rows = [dict(r) for r in frame.rows]
    errors: list[RowError] = []
    unread: set[str] = set()
    for col, kind in kinds.items():
        raw = [r.get(col) for r in rows]
        order = ctx.options.order or values.numeric_order(raw)
        twelve = any(v and re.search(r"\d\s*[AaPp][Mm]$", v.strip()) for v in raw)
        if order is None and twelve and twelve_hour_order:
            order = twelve_hour_order
        if order is None and (example := values.has_ambiguous(raw)):
            idx = raw.index(example)
            why = (
                " (a 12-hour time does not settle it: this layout's date order is not known)"
                if twelve
                else ""
            )
            errors.append(
                (
                    frame.lines[idx],
                    labels.get(col, col),
                    f'"{example}" is ambiguous: day and month could be either way round, and no '
                    f"date in the column is past the 12th{why}",
                    f"set {setting('date_order')} to dmy or mdy, to say how the exporting "
                    "user's locale writes dates",
                )
            )
            for r in rows:
                r[col] = None  # reported once here, not again as "not a date" per row
            unread.add(col)
            continue
        conv = values.timestamp if kind == "timestamp" else values.date
        for r in rows:
            r[col] = conv(r.get(col), order)
    fixed = replace(frame, rows=tuple(MappingProxyType(r) for r in rows))
    return fixed, Notes.of(errors=errors, unread=unread)
