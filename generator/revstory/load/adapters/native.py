"""Native tables (generator/revstory/contracts.py) in a layout DuckDB's fast path does not take.

That is ``;`` or tab delimiters, decimal commas, UTF-16, cp1252 or cp1250, a preamble. Also
the ``column_mappings`` declared in the settings (:func:`read_mapped`).
"""

from __future__ import annotations

from pathlib import Path

from revstory.contracts import TABLES_BY_NAME
from revstory.load import values
from revstory.load.adapters.base import (
    AdapterOutput,
    Columns,
    Frame,
    ReadContext,
    Row,
    cell,
    data_records,
    fix_dates,
    require_rows,
)
from revstory.load.options import ColumnMapping
from revstory.load.seniority import seniority
from revstory.load.sniff import SniffedFile, UnreadableFile

NAME = "native"


def detect(head: SniffedFile) -> float:
    """Score ``head`` as a native table: a header that names a native table's columns."""
    from revstory.load.discover import detect_native

    if head.kind != "text":
        return 0.0
    return 0.55 if detect_native(list(head.header)) else 0.0


def _read(
    path: Path,
    sniffed: SniffedFile,
    ctx: ReadContext,
    table: str,
    rename: dict[str, str],
    mapping: ColumnMapping | None = None,
) -> AdapterOutput:
    header, rows, notes = data_records(sniffed)
    require_rows(rows)
    spec = TABLES_BY_NAME[table]
    cols = Columns(header)
    found: dict[str, int] = {}
    for theirs, ours in rename.items():
        if (i := cols.find(theirs)) is not None:
            found[ours] = i
    if table in ("deal_contacts", "identities") and "seniority" not in found:
        # A job title is read only to choose the contact's seniority; it is never kept.
        if (i := cols.find("title")) is not None:
            found["seniority"] = i
    constants = {k: v for k, v in (mapping.constants if mapping else {}).items() if k not in found}
    recode = {
        rename.get(k, k): {a.strip().lower(): b for a, b in m.items()}
        for k, m in (mapping.values if mapping else {}).items()
    }
    described = [(cols.label(i) + _note(ours, table, recode), ours) for ours, i in found.items()]
    described += [(f"'{v}' (constant)", ours) for ours, v in constants.items()]
    kinds = {c.name: c.kind for c in spec.columns if c.name in found}
    read_rows: list[tuple[int, Row]] = []
    for r in rows:
        row: dict[str, str | None] = dict(constants)
        for ours, i in found.items():
            v = cell(r, i)
            if ours in recode and v is not None:
                v = recode[ours].get(v.strip().lower(), v)
            if ours == "seniority" and table in ("deal_contacts", "identities"):
                v = seniority(v)
            elif kinds[ours] in ("int", "number"):
                v = values.number(v, sniffed.decimal_comma)
            elif kinds[ours] == "bool":
                v = values.boolean(v)
            row[ours] = v
        read_rows.append((r.line, row))
    frame, dates = fix_dates(
        Frame.of(table, (*found, *constants), read_rows, described),
        {c: k for c, k in kinds.items() if k in ("date", "timestamp")},
        ctx,
        {ours: cols.label(i) for ours, i in found.items()},
    )
    return AdapterOutput.build([frame], notes, dates)


def _note(ours: str, table: str, recode: dict[str, dict[str, str]]) -> str:
    if ours == "seniority" and table in ("deal_contacts", "identities"):
        return " (its level only)"
    return " (values mapped)" if ours in recode else ""


def read(path: Path, sniffed: SniffedFile, ctx: ReadContext) -> AdapterOutput:
    """Read a native table written in another layout, its values parsed by their kinds."""
    from revstory.load.discover import detect_native

    spec = detect_native(list(sniffed.header))
    if spec is None:  # detect() scored the file by this same test
        raise UnreadableFile(
            "has no native table's header", "name the columns as the native tables do"
        )
    return _read(path, sniffed, ctx, spec.name, {c: c for c in spec.names})


def mapping_for(head: SniffedFile, mappings: tuple[ColumnMapping, ...]) -> ColumnMapping | None:
    """Find the first declared mapping whose ``match`` columns the header holds."""
    present = set(head.header_lower)
    for m in mappings:
        if {" ".join(c.split()).lower() for c in m.match} <= present:
            return m
    return None


def read_mapped(
    path: Path, sniffed: SniffedFile, ctx: ReadContext, mapping: ColumnMapping
) -> AdapterOutput:
    """Read a file through a ``column_mappings`` entry of the settings."""
    return _read(path, sniffed, ctx, mapping.table, dict(mapping.columns), mapping)
