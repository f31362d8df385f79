"""Load stage: find the files of each quarter drop, recognise each by its header, stage it.

Only this stage (and publishing) touches the filesystem. Every file lands in a DuckDB staging
table named ``stage_<table>_<n>`` with three bookkeeping columns: ``_file`` (path as given),
``_row`` (line number in the file, header = 1) and ``_quarter`` (the drop's quarter).
Values stay text except the touch timestamps, which are typed while reading because touch
files are the big ones; unparseable touch rows are captured by DuckDB's reject tables.
A native touches CSV is not copied at all: the load stage reads its header and one row, and
its staging view reads the file only when validation builds the checked touches, so ten
million touches are read once, never held twice (``StagedFile.deferred``).

Native files (comma-separated UTF-8 with the native header, or Parquet) take that fast DuckDB
path. Anything else is sniffed (:mod:`revstory.load.sniff`: encoding, delimiter, preamble)
and read by the source adapter that recognises its header (:mod:`revstory.load.adapters`) or
by a ``column_mappings`` entry of the settings; the adapter's frames are staged with the same
shape (text columns + ``_file``, ``_row``, ``_quarter``), ``_row`` being the line in the
original file. Rows an adapter leaves out (preamble, footer, ``Total``, ``(not set)``, repeat
joins) are listed in ``StagedFile.skipped`` for the ledger.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from revstory.contracts import DEAL_CONTACTS, IDENTITIES, NATIVE_TABLES, TOUCHES, TableSpec
from revstory.errors import Issue
from revstory.load import seniority
from revstory.load.options import LoadOptions
from revstory.quarter import Quarter, QuarterError, quarter_folders

DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".parquet")
#: Exports only an adapter reads (WordPress WXR, GA4 BigQuery NDJSON).
EXPORT_SUFFIXES = (".xml", ".json", ".ndjson", ".jsonl")
#: Inside a quarter folder: the quarter's snapshot (:mod:`revstory.history` writes it; a build
#: restores the quarter from it once its exports are deleted).
SNAPSHOT_DIR = Path(".revstory") / "snapshot"


def data_files(folder: Path) -> list[Path]:
    """List the files of a quarter folder the load stage reads, sorted by name."""
    return sorted(
        f
        for f in folder.iterdir()
        if f.is_file() and f.suffix.lower() in DATA_SUFFIXES + EXPORT_SUFFIXES
    )


def empty_quarter(folder: Path, quarter: str) -> Issue:
    """Warn for a quarter folder that holds no data files while others do.

    The quarter is left out, by ``validate``, ``attribute`` and ``build`` alike (``--strict``
    fails).
    """
    return Issue(
        "warning",
        str(folder),
        f"holds no data files, so {quarter} is left out of the report",
        "add the quarter's exports as .csv or .parquet files, or remove the folder until "
        "they arrive",
    )


@dataclass(frozen=True)
class StagedFile:
    """One input file and where it was staged."""

    path: str
    table: str
    source: str
    stage: str
    quarter: str
    columns: tuple[str, ...]
    rows_read: int
    #: How the source's columns became native ones ("Views → views, …"); empty for native.
    mapping: str = ""
    #: Rows the adapter left out before staging: (outcome, reason, rows).
    skipped: tuple[tuple[str, str, int], ...] = ()
    #: Columns the adapter could not read at all (already reported once for the column).
    unread: tuple[str, ...] = ()
    #: A native touches CSV the load stage only looked at (header, one row): ``stage`` is a
    #: view of its columns, which validation makes read the file once, straight into its
    #: checked touches; ``rows_read`` is 0 until then (:func:`read_touches_sql`).
    deferred: bool = False

    @property
    def columns_lower(self) -> tuple[str, ...]:
        """Return the column names stripped and lower-cased."""
        return tuple(c.strip().lower() for c in self.columns)


@dataclass(frozen=True)
class FileResult:
    """Hold what staging one file gave.

    The tables staged from it, the problems found, and, when no adapter or mapping
    recognised it, (path, quarter, data rows; 0 when unreadable).
    """

    files: tuple[StagedFile, ...] = ()
    issues: tuple[Issue, ...] = ()
    unrecognised: tuple[tuple[str, str, int], ...] = ()


def problem(issue: Issue) -> FileResult:
    """Return the result of a file that could not be staged: ``issue`` says why."""
    return FileResult(issues=(issue,))


@dataclass(frozen=True)
class Staged:
    """Everything the load stage produced: staged files, problems, the connection holding them."""

    con: duckdb.DuckDBPyConnection
    quarters: tuple[str, ...]
    files: tuple[StagedFile, ...] = ()
    issues: tuple[Issue, ...] = ()
    #: Files no adapter or mapping recognised: (path, quarter, data rows; 0 when unreadable).
    unrecognised: tuple[tuple[str, str, int], ...] = ()


def quarter_of_folder(path: Path) -> str | None:
    """Read the quarter a folder names: ``content/2026_Q3`` → ``2026-Q3``.

    ``content/2026-Q3`` gives the same; ``None`` when the name is not a quarter.
    """
    q = Quarter.of_folder(path)
    return str(q) if q else None


def connect() -> duckdb.DuckDBPyConnection:
    """Open the in-memory DuckDB connection every stage works in (time zone UTC)."""
    con = duckdb.connect()
    # Timestamps with offsets are converted to UTC; naive ones are taken as UTC.
    con.execute("SET TimeZone = 'UTC'")
    return con


#: A file below this size (a table below :data:`SMALL_ROWS` rows) is read and checked on one
#: DuckDB thread beside another one: see :func:`one_thread_each`.
SMALL_BYTES = 64 * 2**20
SMALL_ROWS = 1_000_000


@contextmanager
def one_thread_each(con: duckdb.DuckDBPyConnection, small: bool) -> Iterator[None]:
    """Run DuckDB on one thread while two small files' statements run side by side.

    The small tables are staged, checked and built two at a time, each on a cursor of its
    own; each statement is a row group or two, which a second DuckDB thread only splits and
    merges again (100k deals: a checked copy took 0.16 s on one thread, 0.20 s on two), so
    two statements on one thread each are two cores' worth of work with nothing waiting.
    The setting is the database's: it is put back as it was on leaving, before the big
    files are read. ``small`` False (a file too big for one core) leaves it alone.
    """
    if not small:
        yield
        return
    ((before,),) = con.execute("SELECT current_setting('threads')").fetchall()
    con.execute("SET threads = 1")
    try:
        yield
    finally:
        con.execute(f"SET threads = {int(before)}")


def query_count(
    con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None
) -> int:
    """Return the number a one-row, one-column query gives (``SELECT count(*) …``); 0 for NULL."""
    row = con.execute(sql, params or []).fetchone()
    return int(row[0]) if row is not None and row[0] is not None else 0


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _header(con: duckdb.DuckDBPyConnection, path: Path) -> list[str]:
    return _sniff_native(con, path)[0]


def _sniff_native(
    con: duckdb.DuckDBPyConnection, path: Path, comma: bool = False
) -> tuple[list[str], str | None]:
    """Read a native candidate's header, and for a CSV the ``read_csv(…)`` of its dialect.

    A CSV is sniffed once (``sniff_csv``): the call it gives reads the file with the dialect
    found and detection off, so staging it does not sniff it a second time (each sniff costs
    about as much as reading a small file). ``None`` for Parquet. ``comma``: the header was
    split on commas already (:func:`_first_names`), so only the quoting and the line ends
    are looked for (a third less time a file: six files of a quarter, 0.33 -> 0.23 s).
    """
    if path.suffix.lower() == ".parquet":
        rel = con.sql(f"SELECT * FROM read_parquet({_sql_str(str(path))}) LIMIT 0")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        return [c.strip() for c in rel.columns], None
    delim = ", delim = ','" if comma else ""
    ((columns, prompt),) = con.execute(
        f"SELECT Columns, Prompt FROM sniff_csv(?, all_varchar = true, header = true{delim})",  # noqa: S608 - a literal option
        [str(path)],
    ).fetchall()
    # Prompt is "FROM read_csv('<path>', auto_detect=false, delim=…, columns={…}, …);".
    source = prompt.strip().removeprefix("FROM ").removesuffix(";")
    return [c["name"].strip() for c in columns], source


def detect_native(columns: list[str]) -> TableSpec | None:
    """Find the native table whose required columns the header covers best.

    A header is taken for a table when it holds at least two of the table's required columns
    and at least half of them, so a deals file that lost its ``amount`` column is still known
    as deals (and reported as missing a column) rather than ignored.
    A one-of group (``alias`` or ``email`` of identities) counts as one required column.
    """
    present = {c.strip().lower() for c in columns}

    def score(t: TableSpec) -> tuple[float, int]:
        required = {c.name for c in t.columns if c.required}
        hit = len(required & present) + sum(bool(present & set(g)) for g in t.one_of)
        return (hit / (len(required) + len(t.one_of)), hit)

    best = max(NATIVE_TABLES, key=score)
    ratio, hit = score(best)
    return best if hit >= 2 and ratio >= 0.5 else None


def closest_layouts(columns: list[str]) -> list[str]:
    """Native tables ranked by how many of their columns the header has, for error messages."""
    present = {c.strip().lower() for c in columns}
    ranked = sorted(NATIVE_TABLES, key=lambda t: -len(present & set(t.names)))
    return [
        f"{t.name} ({', '.join(c.name for c in t.columns if c.required)})"
        for t in ranked[:2]
        if present & set(t.names)
    ]


def _stage_native(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: TableSpec,
    header: list[str],
    stage: str,
    quarter: str,
    source: str | None = None,
) -> int:
    """Stage one native file; returns the number of data rows read (including rejected).

    ``source``: the ``read_csv(…)`` of a CSV's sniffed dialect (:func:`_sniff_native`).
    """
    src = _sql_str(str(path))
    lower = {h.lower(): h for h in header}
    known = [c for c in spec.names if c in lower]
    if path.suffix.lower() == ".parquet":
        if spec is TOUCHES and "occurred_at" in known:
            return typed_touches(
                con,
                stage,
                f"read_parquet({src}, file_row_number = true)",
                {c: f"CAST({_quote(lower[c])} AS VARCHAR)" for c in known},
                "CAST(file_row_number + 1 AS BIGINT)",
                str(path),
                quarter,
            )
        rows = f"read_parquet({src}, file_row_number = true)"
        cols = ", ".join(
            f"CAST({_quote(lower[c])} AS VARCHAR) AS {c}" for c in known if c != "seniority"
        ) + _seniority(con, spec, lower, rows, stage)
        con.execute(
            f"CREATE TABLE {stage} AS SELECT {cols}, {_sql_str(str(path))} AS _file, "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
            f"CAST(file_row_number + 1 AS BIGINT) AS _row, {_sql_str(quarter)} AS _quarter "
            f"FROM {rows}"
        )
        seniority.drop_titles(con, f"{stage}_titles")
        return query_count(con, f"SELECT count(*) FROM {stage}")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound

    if spec is TOUCHES:
        # The big table: typed read, bad rows go to DuckDB's reject tables with their line.
        # Only the file's own columns are stored; the per-file constants live in a view, so
        # ten million copies of the path are never written. Row order carries no meaning
        # (nor row numbers: number_touch_rows reads a file again when a row has a problem).
        # A clean file is read strictly (reject bookkeeping costs ~15 % on ten million rows);
        # only when that fails is it read again with DuckDB's reject tables, to say which
        # lines are bad and why.
        select = _touch_select(path, header)
        con.execute("SET preserve_insertion_order = false")
        try:
            con.execute(f"CREATE TABLE {stage}_raw AS {select})")
            con.execute(
                f"CREATE TABLE {stage}_rejects (line BIGINT, column_name VARCHAR, "
                "error_type VARCHAR, csv_line VARCHAR)"
            )
        except duckdb.Error:
            con.execute(f"DROP TABLE IF EXISTS {stage}_raw")
            con.execute(
                f"CREATE TABLE {stage}_raw AS {select}, store_rejects = true, "
                f"rejects_table = '{stage}_rejects', rejects_scan = '{stage}_scans')"
            )
        finally:
            con.execute("SET preserve_insertion_order = true")
        con.execute(
            f"CREATE VIEW {stage} AS SELECT *, {_sql_str(str(path))} AS _file, "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
            f"CAST(NULL AS BIGINT) AS _row, {_sql_str(quarter)} AS _quarter FROM {stage}_raw"
        )
        kept = query_count(con, f"SELECT count(*) FROM {stage}_raw")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        return kept + query_count(con, f"SELECT count(DISTINCT line) FROM {stage}_rejects")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound

    rows = source or f"read_csv({src}, header = true, all_varchar = true)"
    con.execute(
        f"CREATE TABLE {stage} AS SELECT "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        + ", ".join(f"{_quote(lower[c])} AS {c}" for c in known if c != "seniority")
        + _seniority(con, spec, lower, rows, stage)
        + f", {_sql_str(str(path))} AS _file, CAST(NULL AS BIGINT) AS _row, "
        f"{_sql_str(quarter)} AS _quarter FROM {rows}"
    )
    seniority.drop_titles(con, f"{stage}_titles")
    # rowid is only defined on tables, so number rows in a second step that keeps file order.
    con.execute(f"UPDATE {stage} SET _row = rowid + 2")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
    return query_count(con, f"SELECT count(*) FROM {stage}")  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound


def _seniority(
    con: duckdb.DuckDBPyConnection, spec: TableSpec, lower: dict[str, str], rows: str, stage: str
) -> str:
    """``, <bucket> AS seniority`` for a native deal_contacts or identities file with a level.

    The file's ``seniority`` (else its ``title``) goes through the keyword table of
    :mod:`revstory.load.seniority`, by the distinct titles of ``rows`` (the file's reading;
    :func:`~revstory.load.seniority.by_titles` makes the ENUM ``<stage>_titles``, which the
    caller drops once staged); the title itself is never staged. ``""`` otherwise.
    """
    given = lower.get("seniority") or lower.get("title")
    if spec not in (DEAL_CONTACTS, IDENTITIES) or given is None:
        return ""
    return f", {seniority.by_titles(con, _quote(given), rows, f'{stage}_titles')} AS seniority"


def _dialect(source: str | None, path: Path) -> str:
    """Take the dialect options (``, auto_detect=false, delim=…``) out of a sniffed ``source``.

    "" when ``source`` is not the ``read_csv(<path>, …, columns={…}, …)`` expected: the
    readings then sniff the file themselves, as without it.
    """
    head = f"read_csv({_sql_str(str(path))}, "
    cut = (source or "").find(", columns={")
    if source is None or not source.startswith(head) or cut < len(head):
        return ""
    options = ", " + source[len(head) : cut]
    # A delimiter the sniff was told comes after the columns (delim=','): kept too.
    told = re.search(r", delim='[^']*'", source[cut:])
    return options if "delim=" in options or told is None else options + told.group(0)


def _touch_select(path: Path, header: list[str] | tuple[str, ...], dialect: str = "") -> str:
    """Build ``SELECT <native columns> FROM read_csv(path, …`` for a native touches CSV.

    The call is left open for reject options; ``occurred_at`` is typed while reading, the
    other columns stay text. ``dialect``: the sniffed options of :func:`_dialect` (the file
    is not sniffed again).
    """
    lower = {h.lower(): h for h in header}
    types = {h: ("TIMESTAMPTZ" if h.lower() == "occurred_at" else "VARCHAR") for h in header}
    type_sql = "{" + ", ".join(f"{_sql_str(k)}: {_sql_str(v)}" for k, v in types.items()) + "}"
    return (
        "SELECT "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        + ", ".join(f"{_quote(lower[c])} AS {c}" for c in TOUCHES.names if c in lower)
        + f" FROM read_csv({_sql_str(str(path))}, header = true, columns = {type_sql}{dialect}"
    )


def _defer_touches(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: list[str],
    stage: str,
    quarter: str,
    dialect: str = "",
) -> bool:
    """Leave a native touches CSV unread until validation; ``False`` to stage it now.

    Deferred: a file whose header has every column a touch needs and which holds at least
    one row DuckDB reads; ``stage`` becomes a view reading it (strictly: validation reads it
    again with DuckDB's reject tables when that fails). Any other file is staged as before,
    so a header without data rows, a missing column or a file DuckDB cannot read at all get
    the load stage's messages and ledger rows, in their place.
    """
    lower = {h.lower() for h in header}
    required = {c.name for c in TOUCHES.columns if c.required}
    if not required <= lower or not all(lower & set(g) for g in TOUCHES.one_of):
        return False
    try:  # one row is enough: the reader stops at its first block
        found = con.execute(
            f"SELECT 1 FROM ({_touch_select(path, header, dialect)}, ignore_errors = true)) LIMIT 1"  # noqa: S608 - our own SQL; the path quoted by _sql_str
        ).fetchall()
    except duckdb.Error:
        return False
    if not found:
        return False
    # Until validation reads it, the view reads nothing: each statement binding a view over
    # read_csv samples the file again (~0.1 CPU s at 1M touches), and validation creates
    # two views over this one before its reading.
    con.execute(read_touches_sql(stage, path, header, quarter, rejects=False, empty=True))
    return True


def read_touches_sql(
    stage: str,
    path: Path,
    header: tuple[str, ...] | list[str],
    quarter: str,
    rejects: bool,
    empty: bool = False,
) -> str:
    """Build ``CREATE OR REPLACE VIEW <stage>`` reading a deferred native touches CSV.

    The view has the fast path's shape (the native columns, ``occurred_at`` typed, then
    ``_file``, ``_row`` NULL and ``_quarter``). ``rejects``: unreadable lines go to
    ``<stage>_rejects`` (the reader creates it) instead of failing the read. ``empty``: the
    same columns and types, no rows, the file not opened (views over it bind at no cost;
    validation replaces it with the reading view before it reads).
    """
    options = (
        f", store_rejects = true, rejects_table = '{stage}_rejects', "
        f"rejects_scan = '{stage}_scans')"
        if rejects
        else ")"
    )
    lower = {h.lower() for h in header}
    source = (
        "SELECT "
        + ", ".join(
            f"CAST(NULL AS {'TIMESTAMPTZ' if c == 'occurred_at' else 'VARCHAR'}) AS {c}"
            for c in TOUCHES.names
            if c in lower
        )
        + " WHERE false"
        if empty
        else _touch_select(path, header) + options
    )
    return (
        f"CREATE OR REPLACE VIEW {stage} AS SELECT *, {_sql_str(str(path))} AS _file, "  # noqa: S608 - our own table and column names; values quoted by _sql_str
        f"CAST(NULL AS BIGINT) AS _row, {_sql_str(quarter)} AS _quarter FROM ({source})"
    )


def count_touch_rows(con: duckdb.DuckDBPyConnection, f: StagedFile) -> int:
    """Count the readable rows of a deferred native touches CSV (a reading of its own)."""
    select = _touch_select(Path(f.path), f.columns)
    return query_count(con, f"SELECT count(*) FROM ({select}, ignore_errors = true))")  # noqa: S608 - our own SQL; the path quoted by _sql_str


def number_touch_rows(
    con: duckdb.DuckDBPyConnection, f: StagedFile, kept: int | None = None
) -> str | None:
    """Read a native touches CSV staged on the fast path again, in file order.

    The view ``<stage>_n`` has the staged view's columns with ``_row`` filled (the line of
    the record, the header being line 1, as DuckDB numbers its rejected lines). ``None`` when
    the file cannot be numbered so (it changed since it was staged): its rows are then
    reported without their line.

    The fast path keeps no row numbers (ten million of them, and file order, cost time on
    every run); validation calls this only for a file one of whose rows has a problem.
    """
    n = f"{f.stage}_n"
    select = _touch_select(Path(f.path), f.columns)
    rejected = [
        int(line)
        for (line,) in con.execute(
            f"SELECT DISTINCT line FROM {f.stage}_rejects ORDER BY line"  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        ).fetchall()
    ]
    con.execute("SET preserve_insertion_order = true")
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE {n}_raw AS {select}"
            + (", ignore_errors = true)" if rejected else ")")
        )
    except duckdb.Error:
        return None
    # ``kept``: the rows read of a deferred file (it has no staged copy to count).
    before = (
        f"{int(kept)}" if kept is not None else f"(SELECT count(*) FROM {f.stage}_raw)"  # noqa: S608 - our own table name
    )
    ((again, before),) = con.execute(
        f"SELECT (SELECT count(*) FROM {n}_raw), {before}"  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
    ).fetchall()
    if again != before:
        con.execute(f"DROP TABLE {n}_raw")
        return None
    # The k-th row kept (rowid k) is line k + 2 plus the rejected lines before it: after the
    # j-th rejected line r_j, rows from rowid r_j - 1 - j on are shifted by j.
    con.execute(f"CREATE OR REPLACE TABLE {n}_shift (k BIGINT, shift BIGINT)")
    if rejected:
        con.executemany(
            f"INSERT INTO {n}_shift VALUES (?, ?)",  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
            [(r - 1 - j, j) for j, r in enumerate(rejected, start=1)],
        )
    con.execute(
        f"CREATE OR REPLACE VIEW {n} AS SELECT r.* EXCLUDE (_k), {_sql_str(f.path)} AS _file, "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        f"r._k + 2 + coalesce(s.shift, 0) AS _row, {_sql_str(f.quarter)} AS _quarter "
        f"FROM (SELECT *, rowid AS _k FROM {n}_raw) r ASOF LEFT JOIN "
        f"(SELECT k, max(shift) AS shift FROM {n}_shift GROUP BY k) s ON r._k >= s.k"
    )
    return n


def typed_touches(
    con: duckdb.DuckDBPyConnection,
    stage: str,
    source_sql: str,
    cols: dict[str, str],
    row_sql: str,
    label: str,
    quarter: str,
) -> int:
    """Stage native touches read off the fast CSV path in the fast path's shape.

    The touches come from Parquet, or text an adapter read: ``<stage>_raw`` with
    ``occurred_at`` typed, ``<stage>_rejects`` (line, column_name, error_type, csv_line) for
    rows whose timestamp does not parse, and the ``<stage>`` view adding ``_file``, ``_row``
    and ``_quarter``. ``cols`` maps each native column to a text expression over
    ``source_sql``; returns the rows read (kept + rejected).
    """
    ts = f"TRY_CAST({cols['occurred_at']} AS TIMESTAMPTZ)"
    bad = f"{cols['occurred_at']} IS NOT NULL AND {ts} IS NULL"
    select = ", ".join(
        (f"{ts} AS occurred_at" if c == "occurred_at" else f"{expr} AS {c}")
        for c, expr in cols.items()
    )
    con.execute(
        f"CREATE TABLE {stage}_raw AS SELECT {select}, {row_sql} AS _row "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        f"FROM {source_sql} WHERE NOT ({bad})"
    )
    con.execute(
        f"CREATE TABLE {stage}_rejects AS SELECT {row_sql} AS line, "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        f"'occurred_at' AS column_name, 'CAST' AS error_type, "
        f"{cols['occurred_at']} AS csv_line FROM {source_sql} WHERE {bad}"
    )
    con.execute(
        f"CREATE VIEW {stage} AS SELECT * EXCLUDE (_row), {_sql_str(label)} AS _file, _row, "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        f"{_sql_str(quarter)} AS _quarter FROM {stage}_raw"
    )
    # fetchall: an unfinished result would block the caller's next statement.
    ((kept, rejected),) = con.execute(
        f"SELECT (SELECT count(*) FROM {stage}_raw), (SELECT count(*) FROM {stage}_rejects)"  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
    ).fetchall()
    return int(kept) + int(rejected)


def load_drops(
    paths: list[Path],
    con: duckdb.DuckDBPyConnection | None = None,
    options: LoadOptions | None = None,
    skip: Collection[Path] = (),
) -> Staged:
    """Find and stage every data file of the given quarter folders (except those in ``skip``).

    A path may be a quarter folder (``content/2026-Q3``) or a folder of quarter folders
    (``content/``). Problems that stop a file from being read become issues; nothing raises
    for bad data. ``options`` says how real exports are read (defaults: :class:`LoadOptions`).

    A quarter folder without data files is left out: silently when it holds its snapshot
    (``build`` restores the quarter from it), with :func:`empty_quarter`'s warning otherwise,
    and as an error when no quarter folder holds any data or snapshot (nothing to report).
    ``skip`` are files staged by the caller instead (``engine: spark`` reads native touch
    files with Spark, revstory/engines/touches.py).
    """
    con = con or connect()
    options = options or LoadOptions()
    drops: list[tuple[Path, str]] = []
    issues: list[Issue] = []
    for p in paths:
        if not p.exists():
            issues.append(Issue("error", str(p), "no such file or folder", "check the path"))
            continue
        if not p.is_dir():
            issues.append(
                Issue(
                    "error",
                    str(p),
                    "is a file, not a quarter folder",
                    "pass the folder that holds the quarter's files, e.g. content/2026-Q3",
                )
            )
            continue
        q = quarter_of_folder(p)
        if q:
            drops.append((p, q))
            continue
        try:  # the folders a build reads: two naming one quarter are its error too
            found = [(s, str(sq)) for sq, s in quarter_folders(p).items()]
        except QuarterError as exc:
            issues.append(Issue("error", str(p), str(exc)))
            continue
        if not found:
            issues.append(
                Issue(
                    "error",
                    str(p),
                    "is not a quarter folder and holds none",
                    "name quarter folders like 2026-Q3 (year, dash, Q and the quarter number)",
                )
            )
        drops.extend(found)

    results: list[FileResult] = []
    seen_quarters: dict[str, Path] = {}
    empty: list[tuple[int, Path, str]] = []  # (place in results, folder, quarter)
    restorable = False
    n = 0
    jobs: list[tuple[int, tuple[Path, str, str]]] = []  # (place in results, file to stage)
    for folder, quarter in sorted(drops, key=lambda d: d[1]):
        if quarter in seen_quarters:
            results.append(
                problem(
                    Issue(
                        "error",
                        str(folder),
                        f"quarter {quarter} is also given as {seen_quarters[quarter]}",
                        "pass each quarter once",
                    )
                )
            )
            continue
        seen_quarters[quarter] = folder
        files = data_files(folder)
        if not files:
            if (folder / SNAPSHOT_DIR).is_dir():
                restorable = True
            else:
                empty.append((len(results), folder, quarter))
                results.append(FileResult())
            continue
        for f in files:
            if f in skip:
                continue
            n += 1
            jobs.append((len(results), (f, quarter, f"stage_{n}")))
            results.append(FileResult())
    for (place, _), staged in zip(
        jobs, _stage_all(con, [j for _, j in jobs], options), strict=True
    ):
        results[place] = staged
    anything = restorable or len(empty) < len(seen_quarters)
    for place, folder, quarter in empty:
        results[place] = problem(
            empty_quarter(folder, quarter)
            if anything
            else Issue(
                "error",
                str(folder),
                "the drop holds no data files",
                "add the quarter's exports as .csv or .parquet files",
            )
        )
    left_out = {q for _, _, q in empty}
    return Staged(
        con=con,
        quarters=tuple(sorted({q for _, q in drops} - left_out)),
        files=tuple(f for r in results for f in r.files),
        issues=tuple(issues) + tuple(i for r in results for i in r.issues),
        unrecognised=tuple(u for r in results for u in r.unrecognised),
    )


def _stage_one(
    con: duckdb.DuckDBPyConnection, path: Path, quarter: str, stage: str, options: LoadOptions
) -> FileResult:
    """Stage one file: native files on DuckDB's fast path, anything else through an adapter."""
    from revstory.load.staging import stage_export

    if not _fast_path(path, options):
        return stage_export(con, path, quarter, stage, options)
    try:
        # Not told the comma: a file whose sniff failed so beside the others is sniffed here
        # again without it (told the delimiter, sniff_csv fails on rows of other widths,
        # which the checks are to name by row).
        header, source = _sniff_native(con, path)
    except (duckdb.Error, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return problem(
            Issue(
                "error",
                str(path),
                f"cannot be read as a table ({first})",
                "export it again as CSV (UTF-8, comma-separated, one header line) or Parquet",
            )
        )
    spec = detect_native(header)
    if spec is None:
        return stage_export(con, path, quarter, stage, options)
    if any(h.lower() not in spec.names for h in header) and options.column_mappings:
        # A declared mapping may claim a file whose header merely resembles a native one.
        from revstory.load.adapters.native import mapping_for
        from revstory.load.sniff import sniff

        if mapping_for(sniff(path), options.column_mappings):
            return stage_export(con, path, quarter, stage, options)
    dialect = _dialect(source, path)
    if spec is TOUCHES and _defer_touches(con, path, header, stage, quarter, dialect):
        return _deferred(path, stage, quarter, header)
    return _stage_known(con, path, quarter, stage, spec, header, source)


def _deferred(path: Path, stage: str, quarter: str, header: list[str]) -> FileResult:
    """Describe a native touches CSV left unread until validation (:func:`_defer_touches`)."""
    staged = StagedFile(
        str(path), TOUCHES.name, "native", stage, quarter, tuple(header), 0, deferred=True
    )
    return FileResult(files=(staged,))


def _stage_known(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    quarter: str,
    stage: str,
    spec: TableSpec,
    header: list[str],
    source: str | None,
) -> FileResult:
    """Stage a file recognised as the native ``spec`` (its header and sniffed ``source``)."""
    try:
        rows = _stage_native(con, path, spec, header, stage, quarter, source)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0]
        return problem(
            Issue(
                "error",
                str(path),
                f"cannot be read ({first})",
                "check that every line has as many fields as the header",
            )
        )
    if rows == 0:
        return problem(
            Issue(
                "error",
                str(path),
                "has a header but no data rows",
                "the export is empty: check the report's filters and date range, then "
                "export it again",
            )
        )
    warnings: tuple[Issue, ...] = ()
    if spec is not TOUCHES and path.suffix.lower() != ".parquet":
        warnings = _stray_quotes(con, path, spec, header, stage, source)
    columns = tuple(header)
    if spec in (DEAL_CONTACTS, IDENTITIES) and "title" in {h.lower() for h in header}:
        # The title was read only to choose the seniority: the staged table has that instead.
        columns = tuple(h for h in header if h.lower() not in ("title", "seniority"))
        columns += ("seniority",)
    staged = StagedFile(str(path), spec.name, "native", stage, quarter, columns, rows)
    return FileResult(files=(staged,), issues=warnings)


def _alongside(
    con: duckdb.DuckDBPyConnection, path: Path, quarter: str, stage: str, options: LoadOptions
) -> FileResult | None:
    """Stage a small native CSV, or defer a native touches CSV, as :func:`_stage_one` would.

    ``None`` for any other file. What it does is one sniff and either one read into a plain
    table of its own or, for touches, a one-row reading and a view (not temporary: the
    connection sees it); nothing on the connection besides (no setting or registered
    frame; a titled contacts file's ENUM of titles, named after its own staging table, is
    dropped once it is staged), so it can run on a cursor of its own beside another
    file's. ``None``: the file is left to :func:`_stage_one`, nothing was created for it.
    """
    if path.suffix.lower() not in DATA_SUFFIXES or path.suffix.lower() == ".parquet":
        return None
    names = _first_names(path)
    if names is None or detect_native(names) is None:
        return None
    try:
        header, source = _sniff_native(con, path, comma=True)
    except (duckdb.Error, UnicodeDecodeError):
        return None  # _stage_one says why it cannot be read
    spec = detect_native(header)
    lower = {h.lower() for h in header}
    if spec is None or (options.column_mappings and not lower <= set(spec.names)):
        return None
    if spec is TOUCHES:
        # Staged for real (no row DuckDB reads, a column missing) only by _stage_one, on
        # the connection: that is the big reading and its settings are the connection's.
        if _defer_touches(con, path, header, stage, quarter, _dialect(source, path)):
            return _deferred(path, stage, quarter, header)
        return None
    return _stage_known(con, path, quarter, stage, spec, header, source)


def _stage_all(
    con: duckdb.DuckDBPyConnection,
    jobs: list[tuple[Path, str, str]],
    options: LoadOptions,
) -> list[FileResult]:
    """Stage every ``(path, quarter, stage)`` of ``jobs``; the results in their order.

    A small file is read by one thread of DuckDB for the most part, and its sniff too: the
    small native CSVs are staged two at a time, each on a cursor of its own (DuckDB runs
    the two statements side by side and releases the GIL meanwhile), and the native touch
    CSVs are sniffed and deferred beside them. The largest files go first, so that the
    last to finish are small ones and neither cursor waits long for the other. The other
    files (Parquet, exports for an adapter, touches that cannot be deferred) come after,
    one by one on ``con``, as before. Each cursor takes the connection's time zone (the
    touches' reading types ``occurred_at``): a setting of the session, which a cursor does
    not inherit.
    """
    done: list[FileResult | None] = [None] * len(jobs)
    if len(jobs) > 1:
        from concurrent.futures import ThreadPoolExecutor

        ((zone,),) = con.execute("SELECT current_setting('TimeZone')").fetchall()
        cursors = [con.cursor() for _ in range(2)]
        free = list(cursors)

        def side(i: int) -> None:
            cur = free.pop()  # list.pop is atomic: each running call has its own cursor
            try:
                done[i] = _alongside(cur, *jobs[i], options)
            finally:
                free.append(cur)

        # A native touches file is only sniffed and deferred here, however big it is.
        small = all(_size(p) < SMALL_BYTES or _touches_by_name(p) for p, _, _ in jobs)
        try:
            for cur in cursors:
                cur.execute("SET TimeZone = " + _sql_str(str(zone)))
            with (
                one_thread_each(con, small),
                ThreadPoolExecutor(max_workers=2, thread_name_prefix="revstory-stage") as pool,
            ):
                list(pool.map(side, sorted(range(len(jobs)), key=lambda i: -_size(jobs[i][0]))))
        finally:
            for cur in cursors:
                cur.close()
    return [
        r if r is not None else _stage_one(con, *job, options)
        for r, job in zip(done, jobs, strict=True)
    ]


def _touches_by_name(path: Path) -> bool:
    """Tell whether ``path`` is a native touches CSV by its header's names."""
    if path.suffix.lower() not in DATA_SUFFIXES or path.suffix.lower() == ".parquet":
        return False
    try:
        names = _first_names(path)
    except OSError:
        return False
    return names is not None and detect_native(names) is TOUCHES


def _size(path: Path) -> int:
    """Return the size of ``path`` in bytes, to order the stagings (0 if it cannot be read)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _stray_quotes(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    spec: TableSpec,
    header: list[str],
    stage: str,
    source: str | None = None,
) -> tuple[Issue, ...]:
    """Warn for each value that starts with a quote never closed (small tables only).

    DuckDB reads such a quote as a literal character; the value is kept as written.
    ``source``: the sniffed ``read_csv(…)`` the file was staged with (:func:`_sniff_native`).
    Read with quotes and doubled quotes (``quote='"', escape='"'``, strictly: the read
    fails on a quote never closed), a value starts with a quote only where a field starts
    with three (an opening quote, then a doubled one): a file without three quotes in a
    row is not queried, as a file without any quote is not.
    """
    lower = {h.lower() for h in header}
    cols = [c for c in spec.names if c in lower]
    quoted = source is not None and "quote='\"', escape='\"'" in source
    if not cols or not _holds_quote(path, b'"""' if quoted else b'"'):
        return ()
    cond = " OR ".join(f"starts_with({_quote(c)}, '\"')" for c in cols)
    found = con.execute(
        f"SELECT _row, {', '.join(_quote(c) for c in cols)} FROM {stage} "  # noqa: S608 - our own table and column names; values quoted by _sql_str or bound
        f"WHERE {cond} ORDER BY _row LIMIT 10"
    ).fetchall()
    return tuple(
        Issue(
            "warning",
            str(path),
            f"{v[:60]!r} starts with a quote that is never closed; the value is read as written",
            "close the quote (or remove it) on that line",
            int(row),
            c,
        )
        for row, *vals in found
        for c, v in zip(cols, vals, strict=True)
        if v is not None and v.startswith('"')
    )


def _holds_quote(path: Path, quotes: bytes = b'"') -> bool:
    """Tell whether the file holds ``quotes`` (a double quote, or three) anywhere.

    No value can start with a quote else (see :func:`_stray_quotes`). A scan of the bytes,
    a few milliseconds for the largest small files, spares the stray quotes' query over
    every column of every row (a tenth of a second at 230k contacts). UTF-8 never uses the
    quote's byte inside another character.
    """
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if quotes in tail + chunk:
                return True
            tail = chunk[-(len(quotes) - 1) :] if len(quotes) > 1 else b""
    return False


def _fast_path(path: Path, options: LoadOptions) -> bool:
    """Tell whether ``path`` is a native candidate for the fast path.

    Native candidates are Parquet, or a comma-separated UTF-8 file whose first line is a
    native header. Everything else goes to the adapters.
    """
    if path.suffix.lower() == ".parquet":
        return True
    if path.suffix.lower() not in DATA_SUFFIXES:
        return False
    names = _first_names(path)
    return names is not None and detect_native(names) is not None


def _first_names(path: Path) -> list[str] | None:
    """Split the first line of a comma-separated UTF-8 file into names; ``None`` otherwise.

    ``None`` too when the file is for the sniffing path: a ``#`` preamble, more semicolons
    than commas, NUL bytes, or a column given twice.
    """
    with path.open("rb") as fh:
        head = fh.read(65536)
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    first, _, _ = head.partition(b"\n")
    try:
        line = first.decode("utf-8").strip()
    except UnicodeDecodeError:
        return None
    if not line or line.startswith("#") or line.count(";") > line.count(","):
        return None
    if b"\x00" in head:
        return None  # NUL bytes: the sniffing path strips them, with a warning
    from revstory.load.sniff import split_line

    names = [n.strip().lower() for n in split_line(line, ",")]
    if len(set(names)) < len(names):
        return None  # a column given twice: the sniffing path says which one is read
    return names
