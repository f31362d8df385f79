"""One Spark partition's share of the touch checks (``mapInArrow``, on the executors).

:func:`check_partition` runs the DuckDB path's own checks through DuckDB over the rows Spark
hands it (see :mod:`revstory.engines.touches`): the timestamp read
(:func:`revstory.load.discover.typed_touches`), the column checks
(:func:`revstory.validate.checks.column_checks` and ``file_table``), the content match and
canonical columns (:func:`revstory.validate.canonical.touch_select`) and identity
resolution. It sends back the clean touches and, for the driver, the rows per split, the
failures per check, their first rows and the smallest unknown content values.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

import duckdb
import numpy as np

from revstory.contracts import TOUCHES
from revstory.load.discover import StagedFile, typed_touches
from revstory.validate.canonical import touch_empty, touch_part, touch_select
from revstory.validate.checks import (
    MAX_EXAMPLES,
    Check,
    file_table,
    placeholder_macro,
    slug_macros,
)

if TYPE_CHECKING:
    import pyarrow as pa

#: ``export``: an adapter's export, staged on Spark (revstory/engines/adapters.py).
Kind = Literal["csv", "parquet", "export"]

#: Rows an executor checks in one DuckDB pass (Arrow batches are gathered up to this).
CHUNK_ROWS = 200_000

#: Lines with too many or too few fields listed one by one (as the DuckDB path lists all of
#: them), at most this many per file; the rest are counted.
FIELD_ROWS = 1000

#: What the executors send back: clean touches (kind ``touch``), and for the driver the rows
#: per split (``block``), the failures per check (``count``), their first rows (``example``)
#: and, for unknown content, the smallest values (``smallest``).
RESULT_SCHEMA = (
    "kind string, fid int, what string, reason int, block long, idx long, n long, "
    "value string, occurred_at timestamp_ntz, person_key long, account_id string, "
    "content_id string, touch_type string, channel string"
)
#: Spark has no unsigned type: DuckDB's UBIGINT person keys are shifted into BIGINT keeping
#: their order, as revstory/engines/spark.py does for the tables it stages.
_SIGNED = "CAST(CAST({k} AS HUGEINT) - 9223372036854775808 AS BIGINT)"


def path_key(uri: str) -> str:
    """Spell a file's URI the way ``_metadata.file_path`` does (``file:/a%20b``), decoded."""
    text = unquote(uri)
    for prefix in ("file://localhost/", "file:///"):
        if text.startswith(prefix):
            return "file:/" + text[len(prefix) :]
    return text


@dataclass(frozen=True)
class FilePlan:
    """What an executor needs to check one file's rows."""

    fid: int
    label: str
    quarter: str
    kind: Kind
    columns: tuple[str, ...]
    checks: tuple[Check, ...]
    #: False for an adapter's export (revstory/engines/adapters.py): its rows are text, as
    #: the adapters stage them, and validation types their timestamps as it checks them.
    typed: bool = True

    def staged(self, stage: str) -> StagedFile:
        """Return the :class:`StagedFile` the check functions expect, staged as ``stage``."""
        return StagedFile(self.label, "touches", "native", stage, self.quarter, self.columns, 0)


@dataclass(frozen=True)
class Plan:
    """Everything the executors are sent (pickled with the function)."""

    files: dict[str, FilePlan]  # by path_key of the file
    content: Any  # pyarrow Table: content_id, url_key
    identities: Any  # pyarrow Table: alias_key, person_key (UBIGINT as uint64)
    keep_accounts: bool


def _executor_connection(plan: Plan) -> duckdb.DuckDBPyConnection:
    from importlib import resources

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    con.execute(placeholder_macro())
    for macro in slug_macros():
        con.execute(macro)
    con.register("content_arrow", plan.content)
    con.execute("CREATE TABLE content AS SELECT * FROM content_arrow")
    con.register("identities_arrow", plan.identities)
    con.execute(
        "CREATE TABLE identities AS SELECT CAST(alias_key AS UBIGINT) AS alias_key, "
        "CAST(person_key AS UBIGINT) AS person_key FROM identities_arrow"
    )
    return con


@dataclass
class _Found:
    """One partition's problems: counts, the first rows of each, the smallest unknowns."""

    counts: dict[tuple[int, str, int], int] = field(default_factory=dict)
    first: dict[tuple[int, str, int], list[tuple[int, int, str | None]]] = field(
        default_factory=dict
    )
    smallest: dict[int, list[str]] = field(default_factory=dict)
    blocks: dict[tuple[int, int], int] = field(default_factory=dict)
    #: Records holding line breaks inside quotes (file read whole): (fid, block, place, n).
    breaks: list[tuple[int, int, int, int]] = field(default_factory=list)

    def add(self, key: tuple[int, str, int], rows: list[tuple[int, int, str | None]]) -> None:
        if not rows:
            return
        self.counts[key] = self.counts.get(key, 0) + len(rows)
        kept = self.first.setdefault(key, [])
        cap = FIELD_ROWS if key[1] == "columns" else MAX_EXAMPLES
        kept.extend(rows[: cap - len(kept)])

    def keep_smallest(self, fid: int, values: list[str]) -> None:
        heap = self.smallest.setdefault(fid, [])
        merged = heapq.nsmallest(MAX_EXAMPLES, [*heap, *values])
        heap[:] = merged


def _check_chunk(
    con: duckdb.DuckDBPyConnection, plan: Plan, f: FilePlan, chunk: pa.Table, found: _Found
) -> pa.Table:
    """Check one file's rows of this partition; return the clean touches (canonical columns).

    ``chunk`` holds the file's columns under their native names, ``_corrupt`` (a CSV line
    with too many or too few fields), ``_block`` and ``_idx`` (the row's split and place).
    """
    import pyarrow as pa

    n = chunk.num_rows
    blocks = np.asarray(chunk.column("_block").to_numpy(), np.int64)
    idx = np.asarray(chunk.column("_idx").to_numpy(), np.int64)

    def at(r: int, v: str | None) -> tuple[int, int, str | None]:
        return int(blocks[r]), int(idx[r]), v

    con.register("chunk_in", chunk.append_column("_row", pa.array(range(n), pa.int64())))
    cols = {c: f'CAST("{c}" AS VARCHAR)' for c in f.columns}
    stage = "s"
    try:
        if f.typed:
            typed_touches(
                con,
                stage,
                "(SELECT * FROM chunk_in WHERE _corrupt IS NULL)",
                cols,
                "_row",
                f.label,
                f.quarter,
            )
            rows = con.execute("SELECT _row, _corrupt FROM chunk_in WHERE _corrupt IS NOT NULL")
            found.add((f.fid, "columns", 0), [at(r, v) for r, v in rows.fetchall()])
            rows = con.execute(f"SELECT line, csv_line FROM {stage}_rejects ORDER BY line")  # noqa: S608 - our own table name
            found.add((f.fid, "cast", 0), [at(r, v) for r, v in rows.fetchall()])
        else:  # an adapter's text rows, staged as the load stage's _create stages them
            text = ", ".join(f"{e} AS {c}" for c, e in cols.items())
            con.execute(
                f"CREATE TABLE {stage}_raw AS SELECT {text}, "  # noqa: S608 - our own column names
                "CAST(NULL AS VARCHAR) AS _file, _row, CAST(NULL AS VARCHAR) AS _quarter "
                "FROM chunk_in"
            )
            con.execute(f"CREATE VIEW {stage} AS SELECT * FROM {stage}_raw")  # noqa: S608 - our own table name
        staged = f.staged(stage)
        checked = file_table(con, staged, TOUCHES, list(f.checks), f.typed, source=stage)
        if f.checks:
            shown = " ".join(
                f"WHEN {i} THEN CAST({_shown(ch)} AS VARCHAR)" for i, ch in enumerate(f.checks)
            )
            failed = con.execute(
                f"SELECT _reason, _row, CASE _reason {shown} END FROM {checked} "  # noqa: S608 - SQL from our own checks and table names
                "WHERE _reason IS NOT NULL ORDER BY _row"
            ).fetchall()
            by_reason: dict[int, list[tuple[int, int, str | None]]] = {}
            for reason, r, v in failed:
                by_reason.setdefault(int(reason), []).append(at(r, v))
            for reason, found_rows in by_reason.items():
                found.add((f.fid, "check", reason), found_rows)
        select = touch_select(
            f"({touch_empty()} UNION ALL BY NAME {touch_part(f.fid, staged, checked)})",
            plan.keep_accounts,
            "url" in f.columns,
        )
        con.execute(f"CREATE OR REPLACE TEMP TABLE chunk_checked AS {select}")
        unknown = con.execute(
            "SELECT _row, _unknown FROM chunk_checked "
            "WHERE _reason IS NULL AND content_id IS NULL ORDER BY _row"
        ).fetchall()
        found.add((f.fid, "unknown", 0), [at(r, v) for r, v in unknown])
        if unknown:
            found.keep_smallest(f.fid, [str(v) for _, v in unknown])
        signed = _SIGNED.format(k="coalesce(i.person_key, c.person_key)")
        clean = arrow_table(
            con,
            f"SELECT c.occurred_at, {signed} AS person_key, c.account_id, c.content_id, "  # noqa: S608 - our own SQL
            "c.touch_type, c.channel FROM chunk_checked c "
            "LEFT JOIN identities i ON c.person_key = i.alias_key "
            "WHERE c._reason IS NULL AND c.content_id IS NOT NULL",
        )
    finally:
        for name, kind in (
            ("chunk_checked", "TABLE"),
            (f"{stage}_t", "VIEW" if f.typed else "TABLE"),  # as file_table makes it
            (f"{stage}_p", "VIEW"),
            (f"{stage}_cid", "TABLE"),  # file_table's slugs of the distinct content ids
            (stage, "VIEW"),
            (f"{stage}_raw", "TABLE"),
            (f"{stage}_rejects", "TABLE"),
        ):
            con.execute(f"DROP {kind} IF EXISTS {name}")
        con.unregister("chunk_in")
    return clean


def _shown(ch: Check) -> str:
    """Return the SQL of the value a failed check quotes, as ``report_checks`` evaluates it."""
    return ch.shown or (f'"{ch.column}"' if ch.column else "''")


def arrow_table(con: duckdb.DuckDBPyConnection, query: str) -> pa.Table:
    """Return ``query``'s result as an Arrow table."""
    rel = con.sql(query)
    to_table = getattr(rel, "to_arrow_table", None) or rel.arrow  # DuckDB 2 / older
    return to_table()


def _result_batch(length: int, **columns: Any) -> pa.RecordBatch:
    """Build a batch of :data:`RESULT_SCHEMA` from the given columns (others null)."""
    import pyarrow as pa

    types = {
        "kind": pa.string(),
        "fid": pa.int32(),
        "what": pa.string(),
        "reason": pa.int32(),
        "block": pa.int64(),
        "idx": pa.int64(),
        "n": pa.int64(),
        "value": pa.string(),
        "occurred_at": pa.timestamp("us"),
        "person_key": pa.int64(),
        "account_id": pa.string(),
        "content_id": pa.string(),
        "touch_type": pa.string(),
        "channel": pa.string(),
    }
    arrays = []
    for name, typ in types.items():
        given = columns.get(name)
        if given is None:
            arrays.append(pa.nulls(length, typ))
        elif isinstance(given, pa.Array | pa.ChunkedArray):
            arrays.append(given.cast(typ))
        else:
            arrays.append(pa.array(given, typ))
    return pa.RecordBatch.from_arrays(
        [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in arrays],
        names=list(types),
    )


def check_staged(plan: Plan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Check one partition's adapter rows (``mapInArrow``), as :func:`check_partition` does.

    Input columns: ``fid``, ``_row`` (the line in its file, as the adapter numbered it) and
    the native touch columns as text (revstory/engines/adapters.py). A row's place is its
    line: it is sent back as ``idx`` of block 0, and the rows per file as that block's count.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    con = _executor_connection(plan)
    found = _Found()
    by_fid = {f.fid: f for f in plan.files.values()}

    def run(table: pa.Table) -> Iterator[pa.RecordBatch]:
        fids = table.column("fid").combine_chunks()
        for fid in sorted(set(fids.to_pylist())):
            f = by_fid[fid]
            part = table.filter(pc.equal(fids, fid))
            found.blocks[(fid, 0)] = found.blocks.get((fid, 0), 0) + part.num_rows
            part = part.select(list(f.columns)).append_column(
                "_corrupt", pa.nulls(part.num_rows, pa.string())
            )
            part = part.append_column("_block", pa.array(np.zeros(part.num_rows, np.int64)))
            part = part.append_column("_idx", table.filter(pc.equal(fids, fid)).column("_row"))
            clean = _check_chunk(con, plan, f, part, found)
            if clean.num_rows:
                yield _result_batch(
                    clean.num_rows,
                    kind=pa.array(["touch"] * clean.num_rows, pa.string()),
                    fid=pa.array(np.full(clean.num_rows, fid, np.int32)),
                    **{c: clean.column(c) for c in clean.column_names},
                )

    yield from _gathered(batches, run)
    con.close()
    yield from _found_batches(found)


def _gathered(batches: Iterator[pa.RecordBatch], run: Any) -> Iterator[pa.RecordBatch]:
    """Run ``run`` over the batches gathered into tables of :data:`CHUNK_ROWS` rows."""
    import pyarrow as pa

    pending: list[pa.RecordBatch] = []
    size = 0
    for batch in batches:
        pending.append(batch)
        size += batch.num_rows
        if size >= CHUNK_ROWS:
            yield from run(pa.Table.from_batches(pending))
            pending, size = [], 0
    if pending:
        yield from run(pa.Table.from_batches(pending))


def check_partition(plan: Plan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Check one partition's touch rows (``mapInArrow``): clean touches, then what it found.

    Input columns: the native columns, ``_corrupt``, ``_path`` and ``_block``. Rows of one
    split arrive in file order, so a row's place in its split is counted here.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    con = _executor_connection(plan)
    found = _Found()

    def run(table: pa.Table) -> Iterator[pa.RecordBatch]:
        # Rows of one split are contiguous: number them run by run, not row by row.
        codes = table.column("_path").combine_chunks().dictionary_encode()
        path_codes = np.asarray(codes.indices.to_numpy(zero_copy_only=False), np.int64)
        names = codes.dictionary.to_pylist()
        blocks = np.asarray(table.column("_block").to_numpy(), np.int64)
        n = len(blocks)
        starts = np.flatnonzero(
            np.r_[True, (path_codes[1:] != path_codes[:-1]) | (blocks[1:] != blocks[:-1])]
        )
        ends = np.r_[starts[1:], n]
        fid_of = np.empty(n, np.int32)
        places = np.empty(n, np.int64)
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            fid = plan.files[path_key(names[path_codes[start]])].fid
            key = (fid, int(blocks[start]))
            place = found.blocks.get(key, 0)
            found.blocks[key] = place + end - start
            fid_of[start:end] = fid
            places[start:end] = np.arange(place, place + end - start)
        fids = sorted(set(fid_of.tolist()))
        fid_array = pa.array(fid_of)
        if "_breaks" in table.column_names:
            breaks = np.asarray(table.column("_breaks").to_numpy(), np.int64)
            for r in np.flatnonzero(breaks).tolist():
                found.breaks.append(
                    (int(fid_of[r]), int(blocks[r]), int(places[r]), int(breaks[r]))
                )
        table = table.append_column("_idx", pa.array(places))
        by_fid = {f.fid: f for f in plan.files.values()}
        for fid in fids:
            f = by_fid[fid]
            part = table.filter(pc.equal(fid_array, fid))
            part = part.select([*f.columns, "_corrupt", "_block", "_idx"])
            clean = _check_chunk(con, plan, f, part, found)
            if clean.num_rows:
                yield _result_batch(
                    clean.num_rows,
                    kind=pa.array(["touch"] * clean.num_rows, pa.string()),
                    fid=pa.array(np.full(clean.num_rows, fid, np.int32)),  # for the snapshots
                    **{c: clean.column(c) for c in clean.column_names},
                )

    yield from _gathered(batches, run)
    con.close()
    yield from _found_batches(found)


def _found_batches(found: _Found) -> Iterator[pa.RecordBatch]:
    """Send back what a partition found: rows per split, counts, first rows, smallest values."""
    rows: list[dict[str, Any]] = []
    for (fid, block), n in found.blocks.items():
        rows.append({"kind": "block", "fid": fid, "block": block, "n": n})
    for (fid, what, reason), n in found.counts.items():
        rows.append({"kind": "count", "fid": fid, "what": what, "reason": reason, "n": n})
        for block, place, value in found.first[(fid, what, reason)]:
            rows.append(
                {
                    "kind": "example",
                    "fid": fid,
                    "what": what,
                    "reason": reason,
                    "block": block,
                    "idx": place,
                    "value": value,
                }
            )
    for fid, values in found.smallest.items():
        rows += [{"kind": "smallest", "fid": fid, "value": v} for v in values]
    for fid, block, place, n in found.breaks:
        rows.append({"kind": "break", "fid": fid, "block": block, "idx": place, "n": n})
    if rows:
        names = {k for r in rows for k in r}
        yield _result_batch(len(rows), **{k: [r.get(k) for r in rows] for k in names})
