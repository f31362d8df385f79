"""Staging a raw export.

Sniff it, let the matching adapter (or a declared column mapping) read it, and register its
frames in DuckDB with the native staging shape.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import duckdb
import pyarrow as pa

from revstory.errors import Issue
from revstory.load.adapters import LAYOUTS, choose, scores
from revstory.load.adapters.base import AdapterOutput, Frame, ReadContext
from revstory.load.adapters.native import mapping_for, read_mapped
from revstory.load.discover import (
    FileResult,
    StagedFile,
    closest_layouts,
    detect_native,
    problem,
    typed_touches,
)
from revstory.load.options import LoadOptions, setting
from revstory.load.sniff import SniffedFile, UnreadableFile, sniff

_READ_FIX = "export it again as CSV (UTF-8, comma-separated, one header line) or Parquet"


def _parquet_head(con: duckdb.DuckDBPyConnection, path: Path) -> SniffedFile:
    from revstory.load.discover import _header

    return SniffedFile(path=path, kind="parquet", header=tuple(_header(con, path)))


def stage_export(
    con: duckdb.DuckDBPyConnection, path: Path, quarter: str, stage: str, options: LoadOptions
) -> FileResult:
    """Stage ``path`` through an adapter; problems are returned as issues, never raised."""
    try:
        head = sniff(path, options.decimal_comma)
        if head.kind == "parquet":
            head = _parquet_head(con, path)
    except UnreadableFile as exc:
        return problem(Issue("error", str(path), exc.message, exc.fix, exc.row))
    except (OSError, duckdb.Error) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return problem(Issue("error", str(path), f"cannot be read as a table ({first})", _READ_FIX))
    sniffed = tuple(Issue("warning", str(path), w) for w in head.warnings)

    ctx = ReadContext(quarter=quarter, options=options)
    declared = mapping_for(head, options.column_mappings) if head.kind == "text" else None
    adapter: ModuleType | None = None if declared else choose(head)
    if declared is None and adapter is None:
        return FileResult(
            issues=(*sniffed, _unrecognised(path, head)),
            unrecognised=((str(path), quarter, _data_rows(con, head)),),
        )
    source = declared.name if declared else str(getattr(adapter, "NAME", ""))
    try:
        if declared:
            out = read_mapped(path, head, ctx, declared)
        else:
            assert adapter is not None  # noqa: S101 - for mypy: the guard above returned if neither
            out = adapter.read(path, head, ctx)
    except UnreadableFile as exc:
        return FileResult(
            issues=(
                *sniffed,
                Issue("error", str(path), f"({source}) {exc.message}", exc.fix, exc.row),
            )
        )
    except (
        ValueError,
        KeyError,
        IndexError,
        csv.Error,
        json.JSONDecodeError,
        duckdb.Error,
        pa.ArrowException,
        UnicodeError,
    ) as exc:
        # A layout the adapter did not foresee: say so instead of a traceback.
        return FileResult(
            issues=(
                *sniffed,
                Issue(
                    "error",
                    str(path),
                    f"({source}) cannot be read ({type(exc).__name__}: {exc})",
                    _READ_FIX,
                ),
            )
        )
    registered = _register(con, path, quarter, stage, source, out)
    return replace(registered, issues=sniffed + registered.issues)


def _register(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    quarter: str,
    stage: str,
    source: str,
    out: AdapterOutput,
) -> FileResult:
    """Stage the adapter's frames; returns them with the adapter's warnings and row errors."""
    issues = [Issue("warning", str(path), w) for w in out.warnings]
    issues += [
        Issue("error", str(path), message, fix, row, column)
        for row, column, message, fix in out.errors
    ]
    skipped = tuple((o, r, n) for (o, r), n in sorted(out.skipped.items()))
    left_out = [
        (r, n)
        for o, r, n in skipped
        if o == "dropped"
        and not r.startswith(("preamble", "blank line", "section title", "meeting header"))
    ]
    if left_out and not any(frame.rows for frame in out.frames):
        reasons = "; ".join(f"{r}: {n}" for r, n in sorted(left_out, key=lambda x: -x[1]))
        issues.append(
            Issue(
                "warning",
                str(path),
                f"every row was left out ({reasons}); nothing from this file is used",
                "check that the export holds the activities, pages or deals expected "
                "(its filters, date range and activity types)",
            )
        )
    first = True
    files = []
    for k, frame in enumerate(out.frames):
        name = stage if k == 0 else f"{stage}_{k + 1}"
        # Validation keys its ledger by file: a second table from one file gets its own name.
        label = str(path) if first and not frame.derived else f"{path} [{frame.table}]"
        _create(con, name, frame, label, quarter, typed=source == "native")
        files.append(
            StagedFile(
                path=label,
                table=frame.table,
                source=source,
                stage=name,
                quarter=quarter,
                columns=frame.columns,
                rows_read=len(frame.rows),
                mapping=frame.describe(),
                skipped=skipped if first and not frame.derived else (),
                unread=tuple(sorted(c for c in out.unread if c in frame.columns)),
            )
        )
        first = first and frame.derived
    return FileResult(files=tuple(files), issues=tuple(issues))


def _create(
    con: duckdb.DuckDBPyConnection,
    name: str,
    frame: Frame,
    label: str,
    quarter: str,
    typed: bool = False,
) -> None:
    """Register ``frame`` as table ``name``.

    Native touches (``typed``) take the fast path's shape instead (typed ``occurred_at``, a
    rejects table), as validation expects of them.
    """
    data = {c: pa.array([r.get(c) for r in frame.rows], pa.string()) for c in frame.columns}
    data["_row"] = pa.array(frame.lines, pa.int64())
    tmp = f"{name}_arrow"
    # DuckDB refuses new work while an earlier result (e.g. a fetchone()) is unfinished.
    con.execute("SELECT 1").fetchall()
    con.register(tmp, pa.table(data))
    try:
        if typed and frame.table == "touches" and "occurred_at" in frame.columns:
            typed_touches(
                con, name, tmp, {c: f'"{c}"' for c in frame.columns}, "_row", label, quarter
            )
            return
        cols = ", ".join(f'"{c}"' for c in frame.columns)
        con.execute(
            f"CREATE TABLE {name} AS SELECT {cols}, ? AS _file, _row, ? AS _quarter FROM {tmp}",  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
            [label, quarter],
        )
    finally:
        con.unregister(tmp)


def _data_rows(con: duckdb.DuckDBPyConnection, head: SniffedFile) -> int:
    """Count the rows of a file no adapter reads, for the ledger.

    Records after the header (text), objects (NDJSON), rows (Parquet); 0 when they cannot be
    counted.
    """
    from revstory.load.sniff import records

    try:
        if head.kind == "text":
            return sum(not r.blank for r in records(head) if r.line > head.header_line)
        if head.kind == "ndjson":
            return sum(bool(line.strip()) for line in head.text().splitlines())
        if head.kind == "parquet":
            row = con.execute("SELECT count(*) FROM read_parquet(?)", [str(head.path)]).fetchone()
            return int(row[0]) if row else 0
    except (UnreadableFile, OSError, UnicodeError, duckdb.Error):
        pass
    return 0


def _unrecognised(path: Path, head: SniffedFile) -> Issue:
    header = list(head.header)
    if head.kind == "text" and len(header) == 1 and any(ch in header[0] for ch in "|^:"):
        return Issue(
            "error",
            str(path),
            f"has a single column ({header[0][:60]!r}): its "
            "delimiter is none of comma, semicolon or tab",
            "export it again comma-separated",
        )
    near = [LAYOUTS[a.NAME] for s, a in scores(head) if s > 0 and a.NAME in LAYOUTS][:2]
    native = closest_layouts(header) if head.kind in ("text", "parquet") else []
    closest = near + [f"native {n}" for n in native]
    shown = ", ".join(header[:8]) if header else f"a {head.kind} file"
    hint = (
        "closest known layouts: " + "; ".join(closest) + ". "
        if closest
        else "no known layout is close. "
    )
    table = detect_native(header)
    example_table = table.name if table else (native[0].split(" ")[0] if native else "content")
    match = ", ".join(header[:3]) if header else "…"
    hint += (
        "If it is another tool's export, declare its columns under "
        + setting("column_mappings")
        + ", e.g. - {match: ["
        + match
        + "], table: "
        + example_table
        + ", columns: {<their column>: <native column>, …}}"
    )
    return Issue("warning", str(path), f"unrecognised columns ({shown}); the file is ignored", hint)
