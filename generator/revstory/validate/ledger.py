"""The load stage's part of the row ledger, and the ledger as a machine-readable file.

Validation counts what happens to staged rows; rows an adapter left out before staging
(preamble, report footer, ``Total`` rows, ``(not set)`` pages, repeat webinar joins) are
added here, and every ledger row gets the file's ``source`` (native, ga4_ui, hubspot, …) as
an extra last column, so ``file, table_name, quarter, outcome, reason, rows`` stay as they
were for readers of ``Results.ledger``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import duckdb

from revstory.load.discover import StagedFile

#: Columns of the ledger file: per file and table, rows read and what became of them.
#: Ledger reason of a file no adapter or column mapping recognised.
UNRECOGNISED = "unrecognised layout"
FILE_COLUMNS = (
    "file",
    "source",
    "table_name",
    "quarter",
    "rows_read",
    "kept",
    "merged",
    "dropped",
    "dropped_reasons",
)


def add_load_rows(
    con: duckdb.DuckDBPyConnection,
    files: Iterable[StagedFile],
    unrecognised: Iterable[tuple[str, str, int]] = (),
) -> None:
    """Append the adapters' skipped rows to ``ledger`` and fill its ``source`` column.

    Call after validation counted kept rows: ``kept`` is rows staged minus those validation
    dropped or merged, so these rows (never staged) must not be subtracted again. Files no
    adapter recognised (``unrecognised``: path, quarter, rows) are listed with all their rows
    dropped as "unrecognised layout", source ``unrecognised`` and no table.
    """
    files = list(files)
    for f in files:
        for outcome, reason, rows in f.skipped:
            con.execute(
                "INSERT INTO ledger (file, table_name, quarter, outcome, reason, rows) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [f.path, f.table, f.quarter, outcome, reason, rows],
            )
    con.execute("ALTER TABLE ledger ADD COLUMN IF NOT EXISTS source VARCHAR")
    sources = {f.path: f.source for f in files}  # one UPDATE (a later file's source wins)
    if sources:
        values = ", ".join(["(?, ?)"] * len(sources))
        con.execute(
            f"UPDATE ledger SET source = s.source FROM (VALUES {values}) s(file, source) "  # noqa: S608 - placeholders only; values are bound
            "WHERE ledger.file = s.file",
            [v for item in sources.items() for v in item],
        )
    for path, quarter, rows in unrecognised:
        con.execute(
            "INSERT INTO ledger (file, table_name, quarter, outcome, reason, rows, "
            "source) VALUES (?, '', ?, 'dropped', ?, ?, 'unrecognised')",
            [path, quarter, UNRECOGNISED, rows],
        )


def summary(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """One row per file and table: rows read = kept + merged + dropped."""
    rows = con.execute(
        """
        SELECT file, any_value(source), table_name, any_value(quarter),
               sum(rows),
               sum(rows) FILTER (WHERE outcome = 'kept'),
               sum(rows) FILTER (WHERE outcome = 'merged'),
               sum(rows) FILTER (WHERE outcome = 'dropped'),
               string_agg(reason || ': ' || rows, '; ' ORDER BY reason)
                   FILTER (WHERE outcome = 'dropped')
        FROM ledger GROUP BY file, table_name ORDER BY file, table_name
        """
    ).fetchall()
    return [
        dict(
            zip(
                FILE_COLUMNS,
                (
                    r[0],
                    r[1] or "native",
                    r[2],
                    r[3],
                    int(r[4] or 0),
                    int(r[5] or 0),
                    int(r[6] or 0),
                    int(r[7] or 0),
                    r[8] or "",
                ),
                strict=True,
            )
        )
        for r in rows
    ]


def write_csv(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    """Write :func:`summary` to ``path`` (CSV, UTF-8, one header line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FILE_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(summary(con))
    return path
