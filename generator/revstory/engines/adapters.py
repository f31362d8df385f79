"""The large adapters' exports read on Spark (``engine: spark``).

GA4 BigQuery events (CSV, NDJSON or Parquet), Marketo activities and Bizible (Marketo
Measure) touchpoints are the exports that grow with touches. With ``engine: spark`` they
never pass through the driver: Spark hands each file (``binaryFile``, from a local folder or
any URI Spark reads) to an executor, which stages it with the DuckDB path's own code
(:func:`revstory.load.staging.stage_export`: the sniffer, the adapter, its notes), so the
canonical touch rows, their row numbers, the load stage's messages and the rows left out are
those of a DuckDB run by construction. Only those notes (the :class:`FileResult`, small) come
back to the driver before validation; the rows stay on Spark, where
:func:`revstory.engines.partition.check_staged` runs validation's checks on them after the
drop's other files are validated (:func:`revstory.engines.touches.check_touches`).

A file is the unit of work: one executor task reads one export whole, as the adapter does
(GA4's BigQuery export and Marketo's bulk extracts come as many files, one per day or job).
"""

from __future__ import annotations

import base64
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from revstory.contracts import TOUCHES
from revstory.engines.partition import CHUNK_ROWS, path_key
from revstory.errors import Issue
from revstory.load.discover import (
    FileResult,
    Staged,
    StagedFile,
    _fast_path,
    _header,
    connect,
    data_files,
    detect_native,
)
from revstory.load.options import LoadOptions
from revstory.load.sniff import SniffedFile, UnreadableFile, sniff

if TYPE_CHECKING:
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession

#: The adapters whose exports Spark reads (those that give touches and grow with them).
SPARK_ADAPTERS = ("ga4_bigquery", "marketo", "bizible")

#: What the executors send back: the staged touch rows (kind ``row``: the native touch
#: columns as text and ``_row``, the line in the file) and one ``result`` per file (its
#: pickled :class:`FileResult`).
EXPORT_SCHEMA = "kind string, fid int, value string, _row long, " + ", ".join(
    f"{c} string" for c in TOUCHES.names
)


@dataclass(frozen=True)
class ExportFile:
    """One adapter export Spark reads: what messages call it, what Spark is handed."""

    label: str
    uri: str
    quarter: str
    adapter: str


def claimed_by(head: SniffedFile, options: LoadOptions) -> str | None:
    """Name the adapter of :data:`SPARK_ADAPTERS` the load stage would read ``head`` with.

    ``None`` when a declared column mapping claims the file, another adapter scores it
    best, or Marketo's file is a lead export (identities, small: DuckDB reads it).
    """
    from revstory.load.adapters import choose
    from revstory.load.adapters.base import Columns
    from revstory.load.adapters.native import mapping_for

    if head.kind == "text" and mapping_for(head, options.column_mappings):
        return None
    adapter = choose(head)
    name = str(getattr(adapter, "NAME", ""))
    if name not in SPARK_ADAPTERS:
        return None
    if name == "marketo" and not Columns(head.header).has("marketoGUID"):
        return None
    return name


def _local_adapter(con: duckdb.DuckDBPyConnection, f: Path, options: LoadOptions) -> str | None:
    """Tell which Spark adapter the load stage would stage ``f`` with (as ``_stage_one``)."""
    try:
        if _fast_path(f, options) and detect_native(_header(con, f)) is not None:
            return None  # a native table: the fast path (or a mapping) reads it
        head = sniff(f, options.decimal_comma)
        if head.kind == "parquet":
            head = SniffedFile(path=f, kind="parquet", header=tuple(_header(con, f)))
    except (OSError, UnicodeDecodeError, UnreadableFile, duckdb.Error):
        return None  # the load stage says what is wrong with it
    return claimed_by(head, options)


def local_export_files(folders: list[tuple[Path, str]], options: LoadOptions) -> list[ExportFile]:
    """Find the exports of :data:`SPARK_ADAPTERS` in the quarter ``folders`` (folder, quarter)."""
    from revstory.engines.touches import local_uri

    con = duckdb.connect()
    found = []
    for folder, quarter in sorted(folders, key=lambda d: d[1]):
        for f in data_files(folder):
            name = _local_adapter(con, f, options)
            if name is not None:
                found.append(ExportFile(str(f), local_uri(f), quarter, name))
    con.close()
    return found


def remote_export_file(
    spark: SparkSession, path: str, quarter: str, suffix: str, options: LoadOptions
) -> ExportFile | None:
    """Return the file at URI ``path`` as an export Spark reads, from its first lines only.

    The head (the sniffer's first lines, or a Parquet file's columns) is written to a
    temporary file of the same name and sniffed there, so the rest never leaves the cluster.
    """
    from revstory.load.sniff import HEAD_LINES

    name = path.rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="revstory-head-") as tmp:
        local = Path(tmp) / name
        try:
            if suffix == ".parquet":
                header = tuple(c.strip() for c in spark.read.parquet(path).columns)
                if detect_native(list(header)) is not None:
                    return None
                head = SniffedFile(path=local, kind="parquet", header=header)
            else:
                lines = [str(r[0]) for r in spark.read.text(path).limit(HEAD_LINES).collect()]
                local.write_text("\n".join(lines) + "\n", encoding="utf-8")
                if _fast_path(local, options):
                    con = duckdb.connect()
                    try:
                        if detect_native(_header(con, local)) is not None:
                            return None
                    finally:
                        con.close()
                head = sniff(local, options.decimal_comma)
        except Exception:
            return None
        adapter = claimed_by(head, options)
    return ExportFile(path, path, quarter, adapter) if adapter else None


@dataclass(frozen=True)
class ExportPlan:
    """What the executors are sent: the files by ``path_key`` of their URI, and the settings."""

    files: dict[str, tuple[int, ExportFile]]
    options: LoadOptions


def _relabel(result: FileResult, local: str, label: str) -> FileResult:
    """Name the executor's copy of a file by the file's label in ``result``."""

    def named(text: str) -> str:
        return (
            label + text[len(local) :] if text == local or text.startswith(local + " [") else text
        )

    return replace(
        result,
        files=tuple(replace(f, path=named(f.path)) for f in result.files),
        issues=tuple(replace(i, file=named(i.file)) for i in result.issues),
        unrecognised=tuple((named(p), q, n) for p, q, n in result.unrecognised),
    )


def _batch(length: int, **columns: Any) -> pa.RecordBatch:
    import pyarrow as pa

    names = ["kind", "fid", "value", "_row", *TOUCHES.names]
    types = [pa.string(), pa.int32(), pa.string(), pa.int64()] + [pa.string()] * len(TOUCHES.names)
    arrays = []
    for name, typ in zip(names, types, strict=True):
        given = columns.get(name)
        arrays.append(pa.nulls(length, typ) if given is None else pa.array(given, typ))
    return pa.RecordBatch.from_arrays(arrays, names=names)


def read_exports(plan: ExportPlan, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Stage each export of this partition as the DuckDB load does (``mapInArrow``).

    Input columns ``path`` and ``content`` (``binaryFile``). Yields the touch rows of each
    file in file order, then its :class:`FileResult` (pickled, base64).
    """
    from revstory.load.staging import stage_export

    for batch in batches:
        paths = batch.column("path").to_pylist()
        contents = batch.column("content")
        for n, path in enumerate(paths):
            fid, f = plan.files[path_key(str(path))]
            with tempfile.TemporaryDirectory(prefix="revstory-export-") as tmp:
                local = Path(tmp) / f.label.rsplit("/", 1)[-1]
                local.write_bytes(contents[n].as_py() or b"")
                con = connect()
                try:
                    result = stage_export(con, local, f.quarter, "export", plan.options)
                    for staged in result.files:
                        if staged.table != "touches":
                            continue  # not from the adapters Spark reads (see claimed_by)
                        cols = [c for c in staged.columns if c in TOUCHES.names]
                        found = con.execute(
                            f"SELECT {', '.join(cols)}, _row FROM {staged.stage} ORDER BY _row"  # noqa: S608 - our own table and column names
                        )
                        while rows := found.fetchmany(CHUNK_ROWS):
                            yield _batch(
                                len(rows),
                                kind=["row"] * len(rows),
                                fid=[fid] * len(rows),
                                _row=[r[-1] for r in rows],
                                **{c: [r[i] for r in rows] for i, c in enumerate(cols)},
                            )
                finally:
                    con.close()
                result = _relabel(result, str(local), f.label)
            blob = base64.b64encode(pickle.dumps(result)).decode("ascii")
            yield _batch(1, kind=["result"], fid=[fid], value=[blob])


@dataclass(frozen=True)
class SparkExports:
    """The exports staged on Spark: their rows (persisted), placeholders and load results.

    ``staged`` are the touch tables as validation sees them (empty placeholders in the
    driver's DuckDB, ``rows_read`` 0: the rows are checked on Spark), each with its file's
    rows read in ``rows``; ``fids`` give each placeholder's file in ``rows``' ``fid``.
    """

    rows: DataFrame | None
    staged: tuple[StagedFile, ...]
    fids: tuple[int, ...]
    counts: tuple[int, ...]
    issues: tuple[Issue, ...]
    unrecognised: tuple[tuple[str, str, int], ...]

    def unpersist(self) -> None:
        """Free the persisted rows on Spark."""
        if self.rows is not None:
            self.rows.unpersist()


def stage_exports(
    spark: SparkSession,
    con: duckdb.DuckDBPyConnection,
    files: list[ExportFile],
    options: LoadOptions,
) -> SparkExports:
    """Stage ``files`` on Spark's executors; their placeholders are created in ``con``."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    if not files:
        return SparkExports(None, (), (), (), (), ())
    plan = ExportPlan({path_key(f.uri): (n, f) for n, f in enumerate(files)}, options)

    def per_partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return read_exports(plan, batches)

    # One read per file: each is its own partition, so the files are staged side by side
    # (one read of them all packs small files into one task) and their bytes never shuffle.
    reads = [spark.read.format("binaryFile").load(f.uri).select("path", "content") for f in files]
    content = reads[0]
    for other in reads[1:]:
        content = content.unionByName(other)
    result = content.mapInArrow(per_partition, EXPORT_SCHEMA).persist(StorageLevel.MEMORY_AND_DISK)
    found = {
        int(r["fid"]): pickle.loads(base64.b64decode(r["value"]))  # noqa: S301 - our own executors' results
        for r in result.filter(F.col("kind") == "result").select("fid", "value").collect()
    }
    staged: list[StagedFile] = []
    fids: list[int] = []
    counts: list[int] = []
    issues: list[Issue] = []
    unrecognised: list[tuple[str, str, int]] = []
    for fid in range(len(files)):
        one: FileResult = found[fid]
        issues += one.issues
        unrecognised += one.unrecognised
        for f in one.files:
            stage = f"stage_spark_export_{fid}"
            cols = ", ".join(f"CAST(NULL AS VARCHAR) AS {c}" for c in f.columns)
            con.execute(
                f"CREATE TABLE {stage} AS SELECT {cols}, CAST(NULL AS VARCHAR) AS _file, "
                "CAST(NULL AS BIGINT) AS _row, CAST(NULL AS VARCHAR) AS _quarter WHERE false"
            )
            staged.append(replace(f, stage=stage, rows_read=0))
            fids.append(fid)
            counts.append(f.rows_read)
    rows = result.filter(F.col("kind") == "row").drop("kind", "value")
    return SparkExports(
        rows, tuple(staged), tuple(fids), tuple(counts), tuple(issues), tuple(unrecognised)
    )


def with_exports(staged: Staged, exports: SparkExports) -> Staged:
    """Add the exports' placeholders, load issues and unrecognised files to ``staged``."""
    return replace(
        staged,
        files=(*staged.files, *exports.staged),
        issues=(*staged.issues, *exports.issues),
        unrecognised=(*staged.unrecognised, *exports.unrecognised),
    )
