"""Native touch files read and checked by Spark (``engine: spark``).

With ``engine: spark`` the native touches (CSV or Parquet) never pass through DuckDB: Spark
reads them where they are (a local folder, or any path Spark reads: ``s3a://``, ``abfss://``,
``gs://``, ``hdfs://``, ``file://``), and its executors run the very checks the DuckDB path
runs, through DuckDB over their share of the rows
(:func:`revstory.engines.partition.check_partition`): the timestamp read
(:func:`revstory.load.discover.typed_touches`), the column checks
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
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from revstory.config import AttributionConfig
from revstory.contracts import TOUCHES
from revstory.engines.partition import (
    FIELD_ROWS,
    RESULT_SCHEMA,
    FilePlan,
    Kind,
    Plan,
    arrow_table,
    check_partition,
    check_staged,
    path_key,
)
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
from revstory.validate.canonical import row_issues
from revstory.validate.checks import (
    MAX_EXAMPLES,
    add_ledger,
    column_checks,
    report_checks,
    report_rejects,
    rule_checks,
)

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import Column, DataFrame, Row, SparkSession

    from revstory.engines.adapters import SparkExports

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
    #: An export's rows read (kind ``export``: its placeholder holds none of them).
    rows: int = 0

    @property
    def columns(self) -> dict[str, str]:
        """Map each native column the file has to its name in the file."""
        lower = {h.strip().lower(): h for h in self.header}
        return {c: lower[c] for c in TOUCHES.names if c in lower}


def local_uri(path: Path) -> str:
    """Return the ``file://`` URI Spark reads ``path`` by (as written: Spark decodes nothing)."""
    return "file://" + str(path.resolve())


def quarter_dirs(paths: list[Path]) -> list[tuple[Path, str]]:
    """Return the quarter folders (folder, quarter) the drop ``paths`` name, as load does.

    Problems with the folders themselves are left to the load stage, which reports them.
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
    return folders


def local_touch_files(paths: list[Path], options: LoadOptions) -> list[TouchFile]:
    """Find the native touch files of the quarter folders ``paths``, as the load stage would.

    The files the DuckDB load would read on its fast path as touches (a native header,
    comma-separated UTF-8, or Parquet), unless a column mapping may claim them; problems with
    the folders themselves are left to the load stage, which reports them.
    """
    con = duckdb.connect()
    found: list[TouchFile] = []
    for folder, quarter in sorted(quarter_dirs(paths), key=lambda d: d[1]):
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
class SparkTouches:
    """The checked touches: the clean rows (a persisted Spark frame) and what was reported."""

    frame: DataFrame | None
    issues: tuple[Issue, ...]
    #: The same rows with the label of the file each came from (``_file``), for the
    #: quarter snapshots' touches (:func:`keep_checked`).
    by_file: DataFrame | None = None

    def unpersist(self) -> None:
        """Free the persisted touches on Spark."""
        if self.frame is not None:
            self.frame.unpersist()


def _read(spark: SparkSession, files: list[TouchFile], whole: bool = False) -> DataFrame:
    """Read files of one kind and header into the executors' input columns.

    A CSV file is read line by line, so that Spark splits it among many tasks; ``whole``
    reads each CSV file in one task (``multiLine``), as a quoted value spanning lines needs.
    """
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
            .option("multiLine", whole)
            .csv(uris)
        )
        position = {h: f"c{i}" for i, h in enumerate(first.header)}
        cols = [F.col(position[name]).alias(c) for c, name in first.columns.items()]
        corrupt = F.col("_corrupt")
        # Read whole, a record's line breaks inside quotes (every column's, or the corrupt
        # record's): the native adapter numbers rows by the line they start on.
        breaks = F.lit(0)
        if whole:
            values = [_breaks(F.col(f"c{i}")) for i in range(len(first.header))]
            breaks = F.when(corrupt.isNotNull(), _breaks(corrupt)).otherwise(sum(values, F.lit(0)))
    else:
        frame = spark.read.parquet(*uris)
        cols = [F.col(f"`{name}`").alias(c) for c, name in first.columns.items()]
        corrupt = F.lit(None).cast("string")
        breaks = F.lit(0)
    return frame.select(
        *cols,
        corrupt.alias("_corrupt"),
        F.col("_metadata.file_path").alias("_path"),
        F.col("_metadata.file_block_start").alias("_block"),
        breaks.cast("long").alias("_breaks"),
    )


def _breaks(value: Column) -> Column:
    r"""Count the line breaks in ``value`` (``\r\n``, ``\n`` or ``\r``, as Python's csv)."""
    from pyspark.sql import functions as F

    def count(sep: str) -> Column:
        return F.length(value) - F.length(F.replace(value, F.lit(sep), F.lit("")))

    return F.coalesce(count("\n") + count("\r") - F.floor(count("\r\n") / 2), F.lit(0))


def check_touches(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    files: list[TouchFile],
    staged: tuple[StagedFile, ...],
    config: AttributionConfig,
    exports: SparkExports | None = None,
) -> SparkTouches:
    """Read and check ``files`` on Spark (their placeholders ``staged`` are validated).

    ``exports`` are the adapters' exports staged on Spark (revstory/engines/adapters.py),
    checked alongside. Adds their rows to the ledger in ``con`` and returns the clean
    touches with the problems, in the DuckDB path's words and order (unreadable rows, failed
    checks, unknown content; file by file).
    """
    issues: list[Issue] = []
    plans: dict[str, FilePlan] = {}
    by_fid: dict[int, tuple[TouchFile, StagedFile, FilePlan]] = {}
    entries = [(t, f, f.unread) for t, f in zip(files, staged, strict=True)]
    export_fid: dict[int, int] = {}  # the export's file in exports.rows → its fid here
    if exports is not None:
        for f, efid, rows in zip(exports.staged, exports.fids, exports.counts, strict=True):
            export_fid[efid] = len(entries)
            t = TouchFile(f.path, f"export:{efid}", f.quarter, "export", f.columns, rows)
            entries.append((t, f, f.unread))
    for fid, (t, f, unread) in enumerate(entries):
        if missing_columns(t):  # validation reported it: all its rows are dropped
            rows = t.rows if t.kind == "export" else _count(spark, t)
            add_ledger(con, f, "dropped", "missing column", rows)
            continue
        present = set(t.columns)
        typed = t.kind != "export"  # an export's rows are text, as the adapters stage them
        checks = column_checks(TOUCHES, present - set(unread), typed) + [
            c
            for c in rule_checks(TOUCHES, present, config.reporting_currency)
            if c.column not in unread
        ]
        file_plan = FilePlan(
            fid, t.label, t.quarter, t.kind, tuple(t.columns), tuple(checks), typed
        )
        plans[path_key(t.uri)] = file_plan
        by_fid[fid] = (t, f, file_plan)
    staged = tuple(f for _, f, _ in entries)
    if not plans:
        _ledger_sources(con, staged)
        return SparkTouches(None, ())
    content = arrow_table(con, "SELECT content_id, url_key FROM content")
    identities = arrow_table(
        con, "SELECT alias_key, person_key FROM identities WHERE alias_key <> person_key"
    )
    plan = Plan(plans, content, identities, config.journey_mode == "account")

    def native(fids: set[int], whole: bool) -> DataFrame:
        groups: dict[tuple[Kind, tuple[str, ...]], list[TouchFile]] = {}
        for fid in sorted(fids):
            t = by_fid[fid][0]
            groups.setdefault((t.kind, t.header), []).append(t)
        frames = [_read(spark, g, whole) for g in groups.values()]
        raw = frames[0]
        for other in frames[1:]:
            raw = raw.unionByName(other, allowMissingColumns=True)
        return raw.mapInArrow(per_partition, RESULT_SCHEMA)

    def problems(frame: DataFrame) -> list[Row]:
        return (
            frame.filter(F.col("kind") != "touch")
            .select("kind", "fid", "what", "reason", "block", "idx", "n", "value")
            .collect()
        )

    def per_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return check_partition(plan, batches)

    def per_export(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return check_staged(plan, batches)

    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    results = []
    natives = {fid for fid, (t, _, _) in by_fid.items() if t.kind != "export"}
    if natives:
        results.append(native(natives, whole=False))
    checked_exports = {efid: fid for efid, fid in export_fid.items() if fid in by_fid}
    if exports is not None and exports.rows is not None and checked_exports:
        renumber = F.create_map(*[F.lit(x) for pair in checked_exports.items() for x in pair])
        export_rows = exports.rows.filter(F.col("fid").isin(list(checked_exports))).withColumn(
            "fid", renumber[F.col("fid")]
        )
        results.append(export_rows.mapInArrow(per_export, RESULT_SCHEMA))
    result = results[0]
    for other_result in results[1:]:
        result = result.unionByName(other_result)
    result = result.persist(StorageLevel.MEMORY_AND_DISK)
    found = problems(result)
    # A quoted value spanning lines is split at the line break when a CSV file is read line
    # by line, and one of its pieces at least then has fewer fields than the header: a file
    # with such lines is read again whole, record by record (Spark's multiLine), as DuckDB
    # reads it. Its rows are then numbered by record (the header is row 1), as DuckDB does.
    again = sorted(
        {
            int(r["fid"])
            for r in found
            if r["kind"] == "count" and r["what"] == "columns" and by_fid[r["fid"]][0].kind == "csv"
        }
    )
    if again:
        line_by_line = result
        result = (
            line_by_line.filter(~F.col("fid").isin(again))
            .unionByName(native(set(again), whole=True))
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        found = problems(result)  # computes the new result whole, before the first goes
        line_by_line.unpersist()
    touches = result.filter(F.col("kind") == "touch").select(
        "occurred_at", "person_key", "account_id", "content_id", "touch_type", "channel"
    )
    labels = F.create_map(*[F.lit(x) for fid, (t, _, _) in by_fid.items() for x in (fid, t.label)])
    by_file = result.filter(F.col("kind") == "touch").select(
        labels[F.col("fid")].alias("_file"),
        "occurred_at",
        "person_key",
        "account_id",
        "content_id",
        "touch_type",
        "channel",
    )
    blocks: dict[int, dict[int, int]] = {}
    counts: dict[tuple[int, str, int], int] = {}
    examples: dict[tuple[int, str, int], list[tuple[int, int, str | None]]] = {}
    smallest: dict[int, list[str]] = {}
    breaks: dict[int, list[tuple[int, int, int]]] = {}
    for r in found:
        if r["kind"] == "block":
            blocks.setdefault(r["fid"], {})[r["block"]] = r["n"]
        elif r["kind"] == "count":
            key = (r["fid"], r["what"], r["reason"])
            counts[key] = counts.get(key, 0) + r["n"]
        elif r["kind"] == "example":
            key = (r["fid"], r["what"], r["reason"])
            examples.setdefault(key, []).append((r["block"], r["idx"], r["value"]))
        elif r["kind"] == "break":
            breaks.setdefault(r["fid"], []).append((r["block"], r["idx"], r["n"]))
        else:
            smallest.setdefault(r["fid"], []).append(r["value"])
    # A file with lines whose fields do not match the header is read by DuckDB's native
    # adapter, which numbers a row by the line it starts on; otherwise rows are numbered by
    # record. They differ only in a file holding line breaks inside quotes (read again whole).
    by_line = {fid for fid in breaks if counts.get((fid, "columns", 0))}

    def row_of(fid: int, block: int, place: int) -> int:
        if by_fid[fid][0].kind == "export":
            return place  # the line the adapter gave the row
        before = sum(n for b, n in blocks[fid].items() if b < block)
        if fid in by_line:
            before += sum(n for b, p, n in breaks[fid] if (b, p) < (block, place))
        return (2 if by_fid[fid][0].kind == "csv" else 1) + before + place

    def first(fid: int, what: str, reason: int = 0) -> list[tuple[int, str | None]]:
        rows = sorted((row_of(fid, b, p), v) for b, p, v in examples.get((fid, what, reason), []))
        return rows[:MAX_EXAMPLES]

    fields: list[Issue] = []
    reports: list[Issue] = []
    unknowns: list[Issue] = []
    for fid, (t, f, fp) in sorted(by_fid.items()):
        total = sum(blocks.get(fid, {}).values())
        if total == 0 and t.kind == "export":
            continue  # every row left out by the adapter: the load stage said so
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
    return SparkTouches(touches, (*fields, *issues, *reports, *unknowns), by_file)


def keep_checked(con: duckdb.DuckDBPyConnection, touches: SparkTouches) -> None:
    """Copy the clean touches Spark checked into ``con`` as ``spark_touches``.

    A build's quarter snapshots keep each folder's touches (``snapshot_touches``) so that
    deleting the exports later does not change the quarters that look back into them; with
    the touches on Spark they are not in DuckDB's ``touches_checked``, so the snapshot reads
    them here (:func:`revstory.history.folder_touches`). Only a build that writes snapshots
    asks for it: it brings every clean touch to the driver, as the DuckDB path holds them.
    """
    if touches.by_file is None:
        return
    con.register("spark_touches_arrow", touches.by_file.toArrow())
    # Spark holds the person keys shifted into BIGINT (it has no unsigned type): shift back.
    con.execute(
        "CREATE OR REPLACE TABLE spark_touches AS SELECT * REPLACE ("
        "CAST(CAST(person_key AS HUGEINT) + 9223372036854775808 AS UBIGINT) AS person_key) "
        "FROM spark_touches_arrow"
    )
    con.unregister("spark_touches_arrow")


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
