"""Drops at a URI (``s3a://``, ``abfss://``, ``gs://``, ``hdfs://``, ``file://``) on Spark.

``revstory attribute s3a://bucket/content/ --engine spark``: Spark lists the drop (its
quarter folders, or the quarter folder the URI names) and reads the native touch files where
they are (at any depth under a quarter folder: a folder of Parquet parts is fine); the other
files, small (deals, contacts, the content inventory, fx rates, identities, the adapters'
exports), are copied to a temporary folder on the driver and loaded by DuckDB, and every
message and ledger line names them by their URI.

A filesystem Spark has no connector for (its Hadoop jar is not on the classpath) is one
:class:`~revstory.engines.session.EngineError` naming the path, the scheme and the package
to add (:func:`filesystem_error`).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from revstory.contracts import TOUCHES
from revstory.engines.session import EngineError
from revstory.errors import Issue, RevstoryError
from revstory.load.discover import DATA_SUFFIXES, EXPORT_SUFFIXES, detect_native
from revstory.quarter import Quarter

# The adapters and the touch files import numpy and the validation's SQL: only Spark's
# listing of a remote drop needs them, not every run's drop_paths (0.15 s of each start).
if TYPE_CHECKING:
    import duckdb
    from pyspark.sql import SparkSession

    from revstory.config import AttributionConfig
    from revstory.engines.adapters import ExportFile
    from revstory.engines.touches import Kind, TouchFile
    from revstory.load.options import LoadOptions
    from revstory.pipeline import Progress
    from revstory.validate.stage import Drop

#: The Maven package that serves each scheme (added to ``spark.jars.packages``).
PACKAGES = {
    "s3a": "org.apache.hadoop:hadoop-aws",
    "s3": "org.apache.hadoop:hadoop-aws",
    "s3n": "org.apache.hadoop:hadoop-aws",
    "abfs": "org.apache.hadoop:hadoop-azure",
    "abfss": "org.apache.hadoop:hadoop-azure",
    "wasb": "org.apache.hadoop:hadoop-azure",
    "wasbs": "org.apache.hadoop:hadoop-azure",
    "gs": "com.google.cloud.bigdataoss:gcs-connector",
}
#: Packages versioned as Hadoop itself is (the version Spark was built with must match).
_HADOOP_VERSIONED = ("org.apache.hadoop:",)


def is_uri(value: str) -> bool:
    """Tell whether a drop path is a URI (a scheme of two letters or more, then ``://``)."""
    scheme = urlsplit(value).scheme
    return len(scheme) > 1 and "://" in value


def drop_paths(values: Sequence[Path | str], engine: str) -> list[Path | str]:
    """Turn the command line's drop paths into local paths and (for Spark) URIs.

    A ``file://`` URI is a local folder on DuckDB; any other URI needs ``engine: spark``,
    which a :class:`RevstoryError` says. On Spark, a build's copy of a URI data folder (or of
    one of its quarter folders, :func:`data_folder`) is read at its URI.
    """
    paths: list[Path | str] = []
    for value in values:
        if isinstance(value, Path) and engine == "spark" and str(value) in _COPIED:
            paths.append(_COPIED[str(value)])
        elif isinstance(value, Path):
            paths.append(value)
        elif not is_uri(value):
            paths.append(Path(value))
        elif engine == "spark":
            paths.append(value)
        elif urlsplit(value).scheme == "file" and urlsplit(value).netloc in ("", "localhost"):
            paths.append(Path(url2pathname(urlsplit(value).path)))
        else:
            raise RevstoryError(
                f"{value}: a drop at a URI is read by Spark: run with --engine spark (or "
                "engine: spark in the plugin block), or copy the drop to a local folder"
            )
    return paths


def check_drops(
    values: Sequence[Path | str], config: AttributionConfig, progress: Progress
) -> Drop:
    """Load and validate drops as ``revstory validate`` does, on the configured engine.

    With ``engine: spark`` the drops may be URIs and the native touch files are read and
    checked by Spark, as ``attribute`` does (:func:`revstory.engines.spark.check_on_spark`),
    and so are the large adapters' exports; each such file's rows read come from its
    ledger. A URI without Spark is the :func:`drop_paths` message; Spark missing is the
    engine's own message.
    """
    from revstory.pipeline import check

    paths = drop_paths(values, config.engine)
    if config.engine != "spark":
        return check([Path(p) for p in paths], config, progress)
    from revstory.engines.spark import check_on_spark

    drop, touches = check_on_spark(paths, config, progress)
    if touches is not None:
        touches.unpersist()
    ledger = drop.con.execute(
        "SELECT file, table_name, sum(rows) FROM ledger GROUP BY file, table_name"
    ).fetchall()
    read = {(file, table): int(rows or 0) for file, table, rows in ledger}
    # The rows the file's ledger lines count, less those the adapter left out before staging.
    files = tuple(
        replace(f, rows_read=read.get((f.path, f.table), 0) - sum(n for _, _, n in f.skipped))
        if _on_spark(f.stage)
        else f
        for f in drop.files
    )
    return replace(drop, files=files)


def _on_spark(stage: str) -> bool:
    """Tell whether a staged file is the placeholder of a file Spark read (no rows here)."""
    return stage.startswith("stage_spark_")


#: The local copies of URI data folders made for builds (:func:`data_folder`): the copy of
#: each data folder by its URI, and the URI of each copied folder (quarter folders included).
_COPIES: dict[str, DataFolder] = {}
_COPIED: dict[str, str] = {}
#: The files of a quarter folder a build reads besides the data: the editors' note.
NOTES = ("story.md",)


@dataclass(frozen=True)
class DataFolder:
    """A build's data folder: local, or the local copy of one at a URI.

    ``shown`` names it on the site (the ledger's files, the warnings); ``uris`` are the
    prefixes the copy's files are named by in messages (the URI as given, and as Spark
    lists it), which the site writes as ``shown``. ``remote`` tells a copy, which keeps no
    quarter snapshots (they would be written to the copy, not the drop).
    """

    path: Path
    shown: str
    uris: tuple[str, ...] = ()
    remote: bool = False


def data_folder(root: Path, data_dir: str, config: AttributionConfig) -> DataFolder:
    """Return the folder a build reads for the setting ``data_dir`` (relative to ``root``).

    A URI with ``engine: spark`` is listed by Spark once per process: each quarter folder's
    small files and editors' note are copied to a local folder named as the URI's last
    segment (``s3a://bucket/content/`` → ``content``), which the site shows as a local
    ``data_dir`` would; the touches stay where they are, and :func:`drop_paths` hands the
    pipeline the quarter folders' URIs. A ``file://`` URI on DuckDB is the folder it names;
    another URI without Spark is :func:`drop_paths`'s message; a drop Spark cannot list is
    a :class:`RevstoryError` naming it.
    """
    if not is_uri(data_dir):
        return DataFolder(root / data_dir, data_dir)
    (resolved,) = drop_paths([data_dir], config.engine)
    if isinstance(resolved, Path):
        return DataFolder(resolved, data_dir)
    if data_dir in _COPIES:
        return _COPIES[data_dir]
    import atexit
    import shutil
    import tempfile

    from revstory.engines.session import spark_session

    spark = spark_session(config)
    tmp = Path(tempfile.mkdtemp(prefix="revstory-data-"))
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    shown = unquote(urlsplit(data_dir).path).rstrip("/").rsplit("/", 1)[-1] or "content"
    folder = tmp / shown
    folder.mkdir()
    fetched = fetch_drop(spark, data_dir, folder, config.load, NOTES)
    if fetched.issues:
        raise RevstoryError(str(fetched.issues[0]))
    for quarter, uri in fetched.quarters.items():
        quarter_copy = folder / quarter
        quarter_copy.mkdir(exist_ok=True)  # a quarter of touch files only: no copied file
        _COPIED[str(quarter_copy)] = uri
    _COPIED[str(folder)] = data_dir
    root_uri = data_dir.rstrip("/")
    uris = tuple(dict.fromkeys((root_uri, _listed(root_uri))))
    copy = DataFolder(folder, shown, uris, True)
    _COPIES[data_dir] = copy
    return copy


def filesystem_error(
    exc: BaseException, uri: str, spark: SparkSession | None
) -> EngineError | None:
    """Say which package serves ``uri``'s scheme when Spark has no filesystem for it.

    ``None`` when ``exc`` is another error. The message names the path, the scheme, the
    Maven package (with the Hadoop version Spark runs, for Hadoop's own connectors) and the
    ``spark.jars.packages`` setting.
    """
    text = str(exc)
    if "No FileSystem for scheme" not in text and not (
        "ClassNotFoundException" in text and "FileSystem" in text
    ):
        return None
    scheme = urlsplit(uri).scheme.lower()
    package = PACKAGES.get(scheme)
    if package is None:
        what = f"the Hadoop filesystem package that serves {scheme}://"
        example = "<group>:<artifact>:<version>"
    else:
        version = _hadoop_version(spark) if package.startswith(_HADOOP_VERSIONED) else None
        what = package
        example = f"{package}:{version or '<version>'}"
    hadoop = (
        f" (the version must match Spark's Hadoop, {_hadoop_version(spark)})"
        if package and package.startswith(_HADOOP_VERSIONED) and _hadoop_version(spark)
        else ""
    )
    return EngineError(
        f"{uri}: Spark has no filesystem for {scheme}:// (its connector is not on the "
        f"classpath): add {what} to the spark.jars.packages setting{hadoop}, e.g. "
        f"spark-submit --packages {example}, spark.jars.packages {example} in "
        "spark-defaults.conf, or PYSPARK_SUBMIT_ARGS='--packages "
        f"{example} pyspark-shell' when revstory starts Spark"
    )


def _hadoop_version(spark: SparkSession | None) -> str | None:
    if spark is None:
        return None
    try:
        jvm = spark.sparkContext._jvm
        assert jvm is not None  # noqa: S101 - for mypy: a classic session has its JVM
        return str(jvm.org.apache.hadoop.util.VersionInfo.getVersion())
    except Exception:  # Spark Connect: no JVM here; the message then says <version>
        return None


@dataclass(frozen=True)
class RemoteDrop:
    """A drop at a URI: its touch files for Spark, the rest copied to ``folder``.

    ``labels`` maps each local copy (and quarter folder) back to its URI.
    """

    touches: tuple[TouchFile, ...]
    folders: tuple[Path, ...]
    labels: dict[str, str]
    issues: tuple[Issue, ...]
    #: The large adapters' exports, read where they are (revstory/engines/adapters.py).
    exports: tuple[ExportFile, ...] = ()
    #: Each quarter's folder URI (as Spark lists it), by quarter.
    quarters: dict[str, str] = field(default_factory=dict)


def _quarter(name: str) -> str | None:
    q = Quarter.of_folder(Path(name))
    return str(q) if q else None


def fetch_drop(
    spark: SparkSession,
    uri: str,
    folder: Path,
    options: LoadOptions | None = None,
    notes: tuple[str, ...] = (),
) -> RemoteDrop:
    """List the drop at ``uri`` with Spark; copy its small files into ``folder``.

    With ``options``, the large adapters' exports are left where they are, for Spark
    (:func:`revstory.engines.adapters.remote_export_file`). ``notes`` names other files of
    a quarter folder to copy too (a build's ``story.md``).

    Raises :class:`EngineError` when Spark cannot read the scheme (:func:`filesystem_error`).
    """
    root = uri.rstrip("/")
    try:
        listed = (
            spark.read.format("binaryFile")
            .option("recursiveFileLookup", "true")
            .load(root)
            .select("path", "length")
            .collect()
        )
    except Exception as exc:
        mapped = filesystem_error(exc, uri, spark)
        if mapped is not None:
            raise mapped from None
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return RemoteDrop((), (), {}, (Issue("error", uri, f"cannot be read ({first})"),))
    from revstory.engines.adapters import remote_export_file

    own = _quarter(root.rsplit("/", 1)[-1])
    touches: list[TouchFile] = []
    exports: list[ExportFile] = []
    labels: dict[str, str] = {}
    folders: dict[str, Path] = {}
    quarters: dict[str, str] = {}
    for row in sorted(listed, key=lambda r: str(r["path"])):
        path = unquote(str(row["path"]))
        start = _prefix(path, root)
        rel = path[len(start) :].lstrip("/").split("/")
        quarter, inside = (own, rel) if own else (_quarter(rel[0]), rel[1:])
        if quarter is None or not inside:
            continue
        quarters.setdefault(quarter, start if own else f"{start}/{rel[0]}")
        name = inside[-1]
        suffix = Path(name).suffix.lower()
        note = name in notes and len(inside) == 1
        if suffix not in DATA_SUFFIXES + EXPORT_SUFFIXES and not note:
            continue
        touch = None if note else _touch_file(spark, path, quarter, suffix)
        if touch is not None:
            touches.append(touch)
            continue
        export = (
            remote_export_file(spark, path, quarter, suffix, options)
            if options is not None and not note
            else None
        )
        if export is not None and len(inside) == 1:
            exports.append(export)
            continue
        if len(inside) > 1:
            continue  # only touch files may sit in subfolders (a folder of parts)
        local_folder = folders.setdefault(quarter, folder / quarter)
        local_folder.mkdir(parents=True, exist_ok=True)
        content = spark.read.format("binaryFile").load(path).select("content").head()
        (local_folder / name).write_bytes(bytes(content[0]) if content else b"")
        labels[str(local_folder / name)] = path
        labels[str(local_folder)] = path.rsplit("/", 1)[0]
    return RemoteDrop(tuple(touches), tuple(folders.values()), labels, (), tuple(exports), quarters)


def _prefix(path: str, root: str) -> str:
    """Return the part of ``path`` that spells ``root`` (Spark writes file:/ for file:///)."""
    return root if path.startswith(root) else _listed(root)


def _listed(root: str) -> str:
    """Spell ``root`` as Spark lists the files under it (``file:/data`` for ``file:///data``)."""
    rest = urlsplit(root)
    return f"{rest.scheme}:{rest.path}" if rest.scheme == "file" else root


def _touch_file(spark: SparkSession, path: str, quarter: str, suffix: str) -> TouchFile | None:
    """Return the file as a touch file when its header is the native touches header."""
    kind: Kind
    if suffix == ".parquet":
        header = [c.strip() for c in spark.read.parquet(path).columns]
        kind = "parquet"
    elif suffix in DATA_SUFFIXES:
        first = spark.read.text(path).head()
        line = (str(first[0]) if first else "").removeprefix("\ufeff").strip()
        if not line or line.startswith("#") or line.count(";") > line.count(","):
            return None
        header = [h.strip() for h in next(csv.reader([line]))]
        if len({h.lower() for h in header}) < len(header):
            return None
        kind = "csv"
    else:
        return None
    if detect_native(header) is not TOUCHES:
        return None
    from revstory.engines.touches import TouchFile

    return TouchFile(path, path, quarter, kind, tuple(header))


def relabel(drop: Drop, con: duckdb.DuckDBPyConnection, labels: dict[str, str]) -> Drop:
    """Name the local copies by their URIs in ``drop``'s issues, files and ledger."""
    if not labels:
        return drop

    def named(text: str) -> str:
        for local, uri in labels.items():
            if text == local or text.startswith(local + " ["):
                return uri + text[len(local) :]
        return text

    for local, uri in labels.items():
        con.execute("UPDATE ledger SET file = ? WHERE file = ?", [uri, local])
        con.execute(
            "UPDATE ledger SET file = ? || substr(file, ?) WHERE starts_with(file, ?)",
            [uri, len(local) + 1, local + " ["],
        )
    return replace(
        drop,
        issues=tuple(replace(i, file=named(i.file)) for i in drop.issues),
        files=tuple(replace(f, path=named(f.path)) for f in drop.files),
    )
