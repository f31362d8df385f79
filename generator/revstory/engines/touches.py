"""Native touch files read and checked by Spark (``engine: spark``).

With ``engine: spark`` the native touches (CSV or Parquet) never pass through DuckDB: Spark
reads them where they are (a local folder, or any path Spark reads: ``s3a://``, ``abfss://``,
``gs://``, ``hdfs://``, ``file://``), and its executors run the very checks the DuckDB path
runs, through DuckDB over their share of the rows (:func:`check_partition`): the timestamp
read (:func:`revstory.load.discover.typed_touches`), the column checks
(:func:`revstory.validate.checks.column_checks` and ``file_table``), the content match and
the canonical columns (:func:`revstory.validate.canonical.touch_select`) and identity
resolution (the drop's ``identities``, broadcast). Only the problems (the first
:data:`~revstory.validate.checks.MAX_EXAMPLES` of each per partition, with counts) and the
row counts come back to the driver, where the messages and the ledger are made by the
DuckDB path's own functions (``report_rejects``, ``report_checks``, ``row_issues``); the
clean touches stay on Spark for the journeys.

Row numbers: a record's row is its place in its file (the header is row 1 of a CSV, the first
record row 2; a Parquet file's first row is row 1), computed from the split it was read in
(``_metadata.file_block_start``) and its place in that split, as DuckDB numbers them.

DuckDB still loads every other file on the driver (deals, contacts, the content inventory,
identities and the adapters' exports); each touch file Spark reads is staged there as an
empty placeholder of the same shape, so validation's header checks and messages hold as they
are.
"""

from __future__ import annotations

import csv
import heapq
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote

import duckdb
import numpy as np

from revstory.config import AttributionConfig
from revstory.contracts import TOUCHES
from revstory.errors import Issue
from revstory.load.discover import (
    StagedFile,
    _fast_path,
    _header,
    data_files,
    detect_native,
    quarter_of_folder,
    typed_touches,
)
from revstory.load.options import LoadOptions
from revstory.quarter import QuarterError, quarter_folders
from revstory.validate.canonical import row_issues, touch_empty, touch_part, touch_select
from revstory.validate.checks import (
    MAX_EXAMPLES,
    Check,
    add_ledger,
    column_checks,
    file_table,
    placeholder_macro,
    report_checks,
    report_rejects,
    rule_checks,
    slug_macros,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

Kind = Literal["csv", "parquet"]

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
_UNKNOWN_FIX = "add the pieces to the content file, or check the ids/URLs match"


@dataclass(frozen=True)
class TouchFile:
    """One native touch file Spark reads.

    ``label`` is what messages and the ledger call it (the path as given, or the URI);
    ``uri`` what Spark is handed; ``header`` its columns as written.
    """

    label: str
    uri: str
    quarter: str
    kind: Kind
    header: tuple[str, ...]

    @property
    def columns(self) -> dict[str, str]:
        """Map each native column the file has to its name in the file."""
        lower = {h.strip().lower(): h for h in self.header}
        return {c: lower[c] for c in TOUCHES.names if c in lower}


def path_key(uri: str) -> str:
    """Spell a file's URI the way ``_metadata.file_path`` does (``file:/a%20b``), decoded."""
    text = unquote(uri)
    for prefix in ("file://localhost/", "file:///"):
        if text.startswith(prefix):
            return "file:/" + text[len(prefix) :]
    return text


def local_uri(path: Path) -> str:
    """Return the ``file://`` URI Spark reads ``path`` by (as written: Spark decodes nothing)."""
    return "file://" + str(path.resolve())


def local_touch_files(paths: list[Path], options: LoadOptions) -> list[TouchFile]:
    """Find the native touch files of the quarter folders ``paths``, as the load stage would.

    The files the DuckDB load would read on its fast path as touches (a native header,
    comma-separated UTF-8, or Parquet), unless a column mapping may claim them; problems with
    the folders themselves are left to the load stage, which reports them.
    """
    folders: list[tuple[Path, str]] = []
    for p in paths:
        if not p.is_dir():
            continue
        q = quarter_of_folder(p)
        if q:
            folders.append((p, q))
            continue
        try:
            folders.extend((f, str(sq)) for sq, f in quarter_folders(p).items())
        except QuarterError:
            continue
    con = duckdb.connect()
    found: list[TouchFile] = []
    for folder, quarter in sorted(folders, key=lambda d: d[1]):
        for f in data_files(folder):
            try:
                if not _fast_path(f, options):
                    continue
                header = _header(con, f)
            except (OSError, UnicodeDecodeError, duckdb.Error):
                continue  # the load stage says what is wrong with it
            if detect_native(header) is not TOUCHES:
                continue
            if options.column_mappings and any(h.lower() not in TOUCHES.names for h in header):
                continue
            kind: Kind = "parquet" if f.suffix.lower() == ".parquet" else "csv"
            found.append(TouchFile(str(f), local_uri(f), quarter, kind, tuple(header)))
    con.close()
    return found


def missing_columns(t: TouchFile) -> bool:
    """Tell whether validation rejects the file for a missing column (it reports that)."""
    present = set(t.columns)
    required = [c.name for c in TOUCHES.columns if c.required]
    return any(c not in present for c in required) or any(
        not present & set(g) for g in TOUCHES.one_of
    )


def stage_placeholders(
    con: duckdb.DuckDBPyConnection, files: list[TouchFile]
) -> tuple[StagedFile, ...]:
    """Stage each touch file Spark reads as an empty table of the DuckDB fast path's shape.

    Validation then checks its header (a missing column is the same message) and finds no
    rows; :func:`check_touches` adds its rows' problems and ledger lines.
    """
    staged = []
    for n, t in enumerate(files, start=1):
        stage = f"stage_spark_{n}"
        cols = t.columns
        empty = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in cols) or "NULL AS _none"
        source = f"(SELECT {empty} WHERE false)"
        if "occurred_at" in cols:
            typed_touches(con, stage, source, {c: c for c in cols}, "NULL", t.label, t.quarter)
        else:
            con.execute(
                f"CREATE TABLE {stage} AS SELECT *, CAST(NULL AS VARCHAR) AS _file, "  # noqa: S608 - our own table name
                f"CAST(NULL AS BIGINT) AS _row, CAST(NULL AS VARCHAR) AS _quarter FROM {source}"
            )
        staged.append(StagedFile(t.label, "touches", "native", stage, t.quarter, t.header, 0))
    return tuple(staged)


@dataclass(frozen=True)
class FilePlan:
    """What an executor needs to check one file's rows."""

    fid: int
    label: str
    quarter: str
    kind: Kind
    columns: tuple[str, ...]
    checks: tuple[Check, ...]

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
        staged = f.staged(stage)
        checked = file_table(con, staged, TOUCHES, list(f.checks), True, source=stage)
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
        clean = _arrow(
            con,
            f"SELECT c.occurred_at, {signed} AS person_key, c.account_id, c.content_id, "  # noqa: S608 - our own SQL
            "c.touch_type, c.channel FROM chunk_checked c "
            "LEFT JOIN identities i ON c.person_key = i.alias_key "
            "WHERE c._reason IS NULL AND c.content_id IS NOT NULL",
        )
    finally:
        for name, kind in (
            ("chunk_checked", "TABLE"),
            (f"{stage}_t", "VIEW"),
            (f"{stage}_p", "VIEW"),
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


def _arrow(con: duckdb.DuckDBPyConnection, query: str) -> pa.Table:
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


def check_partition(plan: Plan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Check one partition's touch rows (``mapInArrow``): clean touches, then what it found.

    Input columns: the native columns, ``_corrupt``, ``_path`` and ``_block``. Rows of one
    split arrive in file order, so a row's place in its split is counted here.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    con = _executor_connection(plan)
    found = _Found()
    pending: list[pa.RecordBatch] = []
    size = 0

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
                    **{c: clean.column(c) for c in clean.column_names},
                )

    for batch in batches:
        pending.append(batch)
        size += batch.num_rows
        if size >= CHUNK_ROWS:
            yield from run(pa.Table.from_batches(pending))
            pending, size = [], 0
    if pending:
        yield from run(pa.Table.from_batches(pending))
    con.close()
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
    if rows:
        names = {k for r in rows for k in r}
        yield _result_batch(len(rows), **{k: [r.get(k) for r in rows] for k in names})


@dataclass(frozen=True)
class SparkTouches:
    """The checked touches: the clean rows (a persisted Spark frame) and what was reported."""

    frame: DataFrame | None
    issues: tuple[Issue, ...]

    def unpersist(self) -> None:
        """Free the persisted touches on Spark."""
        if self.frame is not None:
            self.frame.unpersist()


def _read(spark: SparkSession, files: list[TouchFile]) -> DataFrame:
    """Read files of one kind and header into the executors' input columns."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    first = files[0]
    uris = [t.uri for t in files]
    if first.kind == "csv":
        fields = [StructField(f"c{i}", StringType()) for i in range(len(first.header))]
        schema = StructType([*fields, StructField("_corrupt", StringType())])
        frame = (
            spark.read.schema(schema)
            .option("header", True)
            .option("escape", '"')
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", "_corrupt")
            .csv(uris)
        )
        position = {h: f"c{i}" for i, h in enumerate(first.header)}
        cols = [F.col(position[name]).alias(c) for c, name in first.columns.items()]
        corrupt = F.col("_corrupt")
    else:
        frame = spark.read.parquet(*uris)
        cols = [F.col(f"`{name}`").alias(c) for c, name in first.columns.items()]
        corrupt = F.lit(None).cast("string")
    return frame.select(
        *cols,
        corrupt.alias("_corrupt"),
        F.col("_metadata.file_path").alias("_path"),
        F.col("_metadata.file_block_start").alias("_block"),
    )


def check_touches(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    files: list[TouchFile],
    staged: tuple[StagedFile, ...],
    config: AttributionConfig,
) -> SparkTouches:
    """Read and check ``files`` on Spark (their placeholders ``staged`` are validated).

    Adds their rows to the ledger in ``con`` and returns the clean touches with the
    problems, in the DuckDB path's words and order (unreadable rows, failed checks, unknown
    content; file by file).
    """
    issues: list[Issue] = []
    plans: dict[str, FilePlan] = {}
    by_fid: dict[int, tuple[TouchFile, StagedFile, FilePlan]] = {}
    for fid, (t, f) in enumerate(zip(files, staged, strict=True)):
        if missing_columns(t):  # validation reported it: all its rows are dropped
            add_ledger(con, f, "dropped", "missing column", _count(spark, t))
            continue
        present = set(t.columns)
        checks = column_checks(TOUCHES, present, True) + rule_checks(
            TOUCHES, present, config.reporting_currency
        )
        file_plan = FilePlan(fid, t.label, t.quarter, t.kind, tuple(t.columns), tuple(checks))
        plans[path_key(t.uri)] = file_plan
        by_fid[fid] = (t, f, file_plan)
    if not plans:
        _ledger_sources(con, staged)
        return SparkTouches(None, ())
    content = _arrow(con, "SELECT content_id, url_key FROM content")
    identities = _arrow(
        con, "SELECT alias_key, person_key FROM identities WHERE alias_key <> person_key"
    )
    plan = Plan(plans, content, identities, config.journey_mode == "account")
    groups: dict[tuple[Kind, tuple[str, ...]], list[TouchFile]] = {}
    for t, _, _ in by_fid.values():
        groups.setdefault((t.kind, t.header), []).append(t)
    frames = [_read(spark, g) for g in groups.values()]
    raw = frames[0]
    for other in frames[1:]:
        raw = raw.unionByName(other, allowMissingColumns=True)

    def per_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return check_partition(plan, batches)

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    result = raw.mapInArrow(per_partition, RESULT_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    found = (
        result.filter(F.col("kind") != "touch")
        .select("kind", "fid", "what", "reason", "block", "idx", "n", "value")
        .collect()
    )
    touches = result.filter(F.col("kind") == "touch").select(
        "occurred_at", "person_key", "account_id", "content_id", "touch_type", "channel"
    )
    blocks: dict[int, dict[int, int]] = {}
    counts: dict[tuple[int, str, int], int] = {}
    examples: dict[tuple[int, str, int], list[tuple[int, int, str | None]]] = {}
    smallest: dict[int, list[str]] = {}
    for r in found:
        if r["kind"] == "block":
            blocks.setdefault(r["fid"], {})[r["block"]] = r["n"]
        elif r["kind"] == "count":
            key = (r["fid"], r["what"], r["reason"])
            counts[key] = counts.get(key, 0) + r["n"]
        elif r["kind"] == "example":
            key = (r["fid"], r["what"], r["reason"])
            examples.setdefault(key, []).append((r["block"], r["idx"], r["value"]))
        else:
            smallest.setdefault(r["fid"], []).append(r["value"])

    def row_of(fid: int, block: int, place: int) -> int:
        before = sum(n for b, n in blocks[fid].items() if b < block)
        return (2 if by_fid[fid][0].kind == "csv" else 1) + before + place

    def first(fid: int, what: str, reason: int = 0) -> list[tuple[int, str | None]]:
        rows = sorted((row_of(fid, b, p), v) for b, p, v in examples.get((fid, what, reason), []))
        return rows[:MAX_EXAMPLES]

    fields: list[Issue] = []
    reports: list[Issue] = []
    unknowns: list[Issue] = []
    for fid, (t, f, fp) in sorted(by_fid.items()):
        total = sum(blocks.get(fid, {}).values())
        if total == 0:
            issues.append(
                Issue(
                    "error",
                    t.label,
                    "has a header but no data rows",
                    "the export is empty: check the report's filters and date range, then "
                    "export it again",
                )
            )
            continue
        dropped = 0
        # A line whose fields do not match the header: the DuckDB load reads such a file
        # through the native adapter, which lists every one of them and drops them.
        n_fields = counts.get((fid, "columns", 0), 0)
        if n_fields:
            lines = sorted(
                (row_of(fid, b, p), v) for b, p, v in examples.get((fid, "columns", 0), [])
            )[:FIELD_ROWS]
            fields.extend(_field_issues(t, lines, n_fields))
            add_ledger(con, f, "dropped", "wrong number of fields", n_fields)
            dropped += n_fields
        n_unreadable = counts.get((fid, "cast", 0), 0)
        if n_unreadable:
            shown = replace(f, stage=f"{f.stage}_spark")
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {shown.stage}_rejects (line BIGINT, "
                "column_name VARCHAR, error_type VARCHAR, csv_line VARCHAR)"
            )
            con.executemany(
                f"INSERT INTO {shown.stage}_rejects VALUES (?, 'occurred_at', 'CAST', ?)",  # noqa: S608 - our own table name
                first(fid, "cast"),
            )
            issues += report_rejects(con, shown, total=n_unreadable)
            dropped += n_unreadable
        failed = sorted(
            (reason, n) for (i, what, reason), n in counts.items() if i == fid and what == "check"
        )
        if failed:
            table = f"{f.stage}_spark_failed"
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {table} (_row BIGINT, _reason INTEGER, "
                "_shown VARCHAR)"
            )
            for reason, _ in failed:
                con.executemany(
                    f"INSERT INTO {table} VALUES (?, ?, ?)",  # noqa: S608 - our own table name
                    [(row, reason, v) for row, v in first(fid, "check", reason)],
                )
            checks = [replace(ch, shown="_shown") for ch in fp.checks]
            report = report_checks(con, f, table, checks, failed)
            reports += report.issues
            for reason, n in report.counts:
                ch = fp.checks[reason]
                add_ledger(con, f, "dropped", f"{ch.column or 'row'} {ch.message}", n)
                dropped += n
        n_unknown = counts.get((fid, "unknown", 0), 0)
        if n_unknown:
            # As DuckDB's fast CSV read, which numbers a file's rows only to list them: more
            # unknown pieces than are listed are quoted by their smallest values.
            listed: list[tuple[int | None, object]]
            if t.kind == "csv" and n_unknown > MAX_EXAMPLES:
                listed = [(None, v) for v in sorted(smallest.get(fid, []))[:MAX_EXAMPLES]]
            else:
                listed = list(first(fid, "unknown"))
            unknowns += row_issues(
                t.label,
                n_unknown,
                listed,
                "warning",
                "is not in the content inventory",
                _UNKNOWN_FIX,
                "content_id",
            )
            add_ledger(con, f, "dropped", "unknown content", n_unknown)
            dropped += n_unknown
        add_ledger(con, f, "kept", "", total - dropped)
    _ledger_sources(con, staged)
    return SparkTouches(touches, (*fields, *issues, *reports, *unknowns))


def _ledger_sources(con: duckdb.DuckDBPyConnection, staged: tuple[StagedFile, ...]) -> None:
    """Fill the ledger's source column of the lines added here, as add_load_rows does."""
    for f in staged:
        con.execute(
            "UPDATE ledger SET source = ? WHERE file = ? AND source IS NULL", [f.source, f.path]
        )


def _field_issues(t: TouchFile, lines: list[tuple[int, str | None]], n: int) -> list[Issue]:
    """Word the lines whose fields do not match the header, as the native adapter does."""
    fix = "every line needs as many fields as the header"
    issues = [
        Issue(
            "error",
            t.label,
            f"has {len(next(csv.reader([line or ''])))} fields, the header has "
            f"{len(t.header)}; the row is dropped",
            fix,
            row,
        )
        for row, line in lines
    ]
    if n > len(lines):
        issues.append(
            Issue(
                "error",
                t.label,
                f"… and {n - len(lines)} more rows whose fields do not match the header",
                fix,
            )
        )
    return issues


def _count(spark: SparkSession, t: TouchFile) -> int:
    reader = spark.read.option("header", True)
    frame = reader.parquet(t.uri) if t.kind == "parquet" else reader.csv(t.uri)
    return int(frame.count())
