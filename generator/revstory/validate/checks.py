"""Row checks of staged files and how their failures are reported.

The checks are types, required, allowed values and table rules; their failures are reported
and counted in the ledger.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import babel.numbers
import duckdb

from revstory.contracts import (
    CONTENT,
    DEALS,
    FX_RATES,
    ID_COLUMNS,
    IDENTITIES,
    PLACEHOLDER_IDS,
    TOUCHES,
    Column,
    TableSpec,
)
from revstory.errors import Issue, Severity
from revstory.load.discover import StagedFile, query_count
from revstory.load.urls import EMAIL_ID, EMAIL_SQL, MAX_ID
from revstory.redact import PERSON_COLUMNS

#: At most this many rows are listed per problem and file; the rest are counted.

MAX_EXAMPLES = 10
#: Dates outside [MIN_DATE, MAX_DATE) are sentinels or typos, not dates of marketing data.
MIN_DATE, MAX_DATE = "1970-01-01", "2101-01-01"
#: Amounts, rates and other numbers must stay below this: cents of 10^14 times a rate still fit
#: the int64 minor units revstory sums.
MAX_NUMBER = 10**14
#: Text columns shown on the site (small tables): stripped of NUL bytes wherever they came from.
SHOWN_TEXT = ("title", "name", "author", "tags", "segment", "industry", "content_type")

_PARSE = {
    "int": (
        "TRY_CAST({c} AS BIGINT)",
        "is not a whole number",
        "write whole numbers without thousands separators, e.g. 1200",
    ),
    "number": (
        "TRY_CAST({c} AS DOUBLE)",
        "is not a number",
        "write plain numbers with a dot as decimal separator and no currency sign, e.g. 12500.50",
    ),
    "timestamp": (
        "TRY_CAST({c} AS TIMESTAMPTZ)",
        "is not a date or timestamp",
        "use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z",
    ),
    "date": ("TRY_CAST({c} AS DATE)", "is not a date", "use ISO 8601 dates, e.g. 2026-07-01"),
    "bool": (
        "CASE WHEN lower(trim({c})) IN ('true','1','yes','y') THEN true "
        "WHEN lower(trim({c})) IN ('false','0','no','n') THEN false END",
        "is not true or false",
        "write true/false, yes/no or 1/0",
    ),
}


@dataclass(frozen=True)
class Check:
    """A row rule: rows where ``condition`` holds get ``message`` and are dropped if ``drop``."""

    severity: Severity
    column: str | None
    condition: str
    message: str
    fix: str
    drop: bool = True
    #: SQL for the value quoted in the message (defaults to the column).
    shown: str | None = None
    #: A cheap condition that holds only for rows passing the check (None: none known). When
    #: every check of a touch file has one, a row passing them all skips the checks one by one.
    passes: str | None = None


def _raw(c: str) -> str:
    return f'"{c}"'


def _empty(c: str) -> str:
    # Cheap on millions of rows: only values that start with a space pay for trim(). A CASE,
    # not ``a OR b OR (c AND d)``: DuckDB evaluates every operand of an OR inside a
    # projection on the whole vector (trim() of every row), a CASE only on the rows left.
    r = f"CAST({_raw(c)} AS VARCHAR)"
    return (
        f"(CASE WHEN {_raw(c)} IS NULL OR {r} = '' THEN true "
        f"WHEN starts_with({r}, ' ') THEN trim({r}) = '' ELSE false END)"
    )


def _t(col: Column) -> str:
    # The typed value file_table computes once per row as t_<name> (a check quoting it reuses
    # that column instead of parsing or cleaning the raw value a second time).
    return f"t_{col.name}"


def placeholder_macro() -> str:
    """Build the SQL macro ``no_placeholder(x)``: NULL for the placeholder ids of CRM exports.

    Cheap on big files: only short values and values starting with fifteen zeros pay for the
    test.
    """
    listed = ", ".join(f"'{p}'" for p in PLACEHOLDER_IDS)
    return (
        "CREATE OR REPLACE MACRO no_placeholder(x) AS (CASE "
        f"WHEN length(x) <= 6 AND lower(x) IN ({listed}) THEN NULL "
        "WHEN starts_with(x, '000000000000000') AND regexp_full_match(x, '0{15}([A-Za-z0-9]{3})?') "
        "THEN NULL ELSE x END)"
    )


def slug_macros() -> list[str]:
    """Build the SQL twins of :func:`revstory.load.urls.slug` and ``type_slug``.

    Content ids and types become safe file names (letters of any script kept; ``..``, slashes
    and spaces never), so validate and build agree on every id.
    """
    cut = MAX_ID - 7
    return [
        # An id never carries an email (a URL with ?email=… given as content_id): emails are
        # taken out before the slug is made, so no message or file name can quote one.
        "CREATE OR REPLACE MACRO content_slug_(x) AS (coalesce(nullif(regexp_replace(trim("
        "regexp_replace(lower(regexp_replace(url_decode(x), '" + EMAIL_SQL + "', '', 'g')), "
        "'[^\\p{L}\\p{N}.-]+', '-', 'g'), '-._'), "
        "'\\.{2,}', '.', 'g'), ''), CASE WHEN regexp_matches(url_decode(x), '"
        + EMAIL_SQL
        + f"') THEN '{EMAIL_ID}' ELSE 'home' END))",
        "CREATE OR REPLACE MACRO content_slug(x) AS (CASE WHEN x IS NULL THEN NULL "
        f"WHEN length(x) <= {MAX_ID} AND regexp_full_match(x, "
        "'[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*') THEN x "
        f"WHEN length(content_slug_(x)) > {MAX_ID} THEN rtrim(left(content_slug_(x), {cut}), "
        "'-._') || '-' || md5(x)[1:6] ELSE content_slug_(x) END)",
        "CREATE OR REPLACE MACRO type_slug(x) AS (CASE WHEN x IS NULL THEN NULL ELSE coalesce("
        "nullif(trim(regexp_replace(lower(x), '[^\\p{L}\\p{N}]+', '_', 'g'), '_'), ''), "
        "'other') END)",
    ]


def _typed(col: Column, value: str | None = None) -> str:
    """Build the SQL of the column's typed value; ``value`` is the cell's SQL (default: its own)."""
    cell = value or _raw(col.name)
    if col.kind == "text":
        text = f"clean_text(CAST({cell} AS VARCHAR))"
        if col.name == "content_id":
            return f"content_slug({text})"
        if col.name in SHOWN_TEXT:
            return f"replace({text}, chr(0), '')"  # a NUL byte never reaches a page
        return f"no_placeholder({text})" if col.name in ID_COLUMNS else text
    return _PARSE[col.kind][0].format(c=cell)


def _email_id_check(spec: TableSpec, present: set[str]) -> Check:
    """Flag a content_id that is an email address: the columns of the export are swapped.

    Without it the id read as a slug without its email (``home``) and the warning quoted that,
    not what the user wrote. The message quotes the cell, which redaction shows as ``<email>``.
    An inventory keyed by emails is an error (its pages could not be named); elsewhere the row
    is dropped with a warning.
    """
    people = [c.name for c in spec.columns if c.name in present and c.name in PERSON_COLUMNS]
    swapped = f"with {people[0]}" if people else "with a column of people's emails"
    return Check(
        "error" if spec is CONTENT else "warning",
        "content_id",
        # The typed column file_table computed: the slug is not made a second time per row.
        f"{_t(spec.column('content_id'))} = '{EMAIL_ID}'",
        "is an email address, not a content id",
        f"the content_id column looks swapped {swapped}; check the export's header",
        passes=f"{_t(spec.column('content_id'))} <> '{EMAIL_ID}'",
    )


def column_checks(spec: TableSpec, present: set[str], typed_timestamps: bool) -> list[Check]:
    """List the checks of the ``present`` columns of ``spec``, in the order they are tried."""
    checks: list[Check] = []
    for col in spec.columns:
        if col.name not in present:
            continue
        if col.name in ID_COLUMNS and (col.required or spec is IDENTITIES):
            checks.append(
                Check(
                    "warning",
                    col.name,
                    f"NOT {_empty(col.name)} AND {_t(col)} IS NULL",
                    "is a placeholder id (such as 000000000000000AAA, null, N/A or "
                    "-), not a real one; the row is left out",
                    f"fill the real {col.name} in the export, or ignore",
                    passes=f"{_t(col)} IS NOT NULL",
                )
            )
        if col.name == "content_id":
            checks.append(_email_id_check(spec, present))
        if col.required and not col.empty_ok:
            # A column typed while reading is empty when NULL; casting it back to text to
            # look for blanks would cost more than the whole read.
            empty = (
                f"{_raw(col.name)} IS NULL"
                if typed_timestamps and col.kind == "timestamp"
                else _empty(col.name)
            )
            checks.append(
                Check(
                    "error",
                    col.name,
                    empty,
                    "is empty",
                    f"every row needs a {col.name}" + (f" ({col.help})" if col.help else ""),
                    # A blank cell's typed value is NULL (clean_text, TRY_CAST, the bool CASE).
                    passes=f"{_t(col)} IS NOT NULL",
                )
            )
        if col.kind != "text" and not (typed_timestamps and col.kind == "timestamp"):
            _, msg, fix = _PARSE[col.kind]
            checks.append(
                Check(
                    "error",
                    col.name,
                    f"NOT {_empty(col.name)} AND {_t(col)} IS NULL",
                    msg,
                    fix,
                    passes=f"{_t(col)} IS NOT NULL",
                )
            )
        if col.kind in ("timestamp", "date"):
            typed = _t(col)
            checks.append(
                Check(
                    "error",
                    col.name,
                    f"{typed} IS NOT NULL AND (NOT isfinite({typed}) OR {typed} < "
                    f"TIMESTAMPTZ '{MIN_DATE}' OR {typed} >= TIMESTAMPTZ '{MAX_DATE}')",
                    f"is out of range: dates must fall between {MIN_DATE[:4]} and "
                    f"{int(MAX_DATE[:4]) - 1} (infinity and sentinels such as 9999-12-31 are not "
                    "dates)",
                    "leave the cell empty when there is no date, or write the real one",
                    passes=f"isfinite({typed}) AND {typed} >= TIMESTAMPTZ '{MIN_DATE}' AND "
                    f"{typed} < TIMESTAMPTZ '{MAX_DATE}'",
                )
            )
        if col.kind == "number":
            typed = _t(col)
            checks.append(
                Check(
                    "error",
                    col.name,
                    f"{typed} IS NOT NULL AND "
                    f"(NOT isfinite({typed}) OR abs({typed}) >= {MAX_NUMBER})",
                    "is out of range: numbers must be finite and below "
                    f"{MAX_NUMBER:,.0f} (10^14) — "
                    f"money is held in minor units in 64-bit integers (at most {2**63 - 1:,})",
                    "check the cell: NaN, inf and values this large are not amounts",
                    passes=f"isfinite({typed}) AND abs({typed}) < {MAX_NUMBER}",
                )
            )
        if col.allowed:
            allowed = ", ".join(f"'{a}'" for a in col.allowed)
            checks.append(
                Check(
                    "error",
                    col.name,
                    f"{_raw(col.name)} NOT IN ({allowed}) AND NOT {_empty(col.name)} "
                    f"AND lower(trim({_raw(col.name)})) NOT IN ({allowed})",
                    "is not an allowed value",
                    f"use one of {', '.join(col.allowed)}",
                    passes=f"{_raw(col.name)} IN ({allowed})",
                )
            )
    for group in spec.one_of:
        have = [g for g in group if g in present]
        if have:
            # A person without an alias is only not linked: drop the row, don't fail the run.
            severity: Severity = "warning" if spec is IDENTITIES else "error"
            either = " or ".join([", ".join(group[:-1]), group[-1]] if group[1:] else group)
            checks.append(
                Check(
                    severity,
                    None,
                    " AND ".join(_empty(g) for g in have),
                    f"has no {either}",
                    f"fill {either}",
                    shown="''",
                    passes="(" + " OR ".join(f"t_{g} IS NOT NULL" for g in have) + ")",
                )
            )
    return checks


def rule_checks(spec: TableSpec, present: set[str], reporting: str) -> list[Check]:
    """Table rules beyond types; they assume the typed columns ``t_<name>`` exist."""
    if spec is DEALS:
        currencies = ", ".join(f"'{c}'" for c in sorted(babel.numbers.list_currencies()))
        checks = [
            Check(
                "error",
                "amount",
                "t_amount < 0",
                "is negative",
                "amounts are deal values; record refunds or churn as lost deals, not "
                "negative amounts",
            ),
            Check(
                "error",
                "closed_at",
                "t_status IN ('won', 'lost') AND t_closed_at IS NULL AND NOT "
                + _empty("created_at"),
                "is empty for a closed deal",
                "won and lost deals need their close date",
                shown="status",
            ),
            Check(
                "error",
                "currency",
                # A subquery, not an IN list: DuckDB tests a list of ~300 codes one by one
                # per row, a subquery's codes are hashed once (a fifth of the time).
                f"NOT {_empty('currency')} AND upper(trim(currency)) NOT IN "
                f"(SELECT unnest([{currencies}]))",
                "is not a known currency",
                "use an ISO 4217 code such as EUR, USD or PLN",
            ),
            Check(
                "error",
                "deal_id",
                "count(*) OVER (PARTITION BY t_deal_id) > 1 AND t_deal_id IS NOT NULL",
                "appears more than once in this file",
                "each deal must appear once per drop; remove the duplicate rows",
            ),
        ]
        return checks
    if spec is CONTENT:
        return [
            Check(
                "error",
                "content_id",
                "count(*) OVER (PARTITION BY t_content_id) > 1 AND t_content_id IS NOT NULL",
                "appears more than once in this file",
                "give every piece its own content_id",
            ),
        ]
    if spec is FX_RATES:
        return [
            Check(
                "error",
                "rate",
                "t_rate <= 0",
                "is not positive",
                "rates convert one unit of the currency into the reporting currency",
            )
        ]
    return []


def file_table(
    con: duckdb.DuckDBPyConnection,
    f: StagedFile,
    spec: TableSpec,
    checks: list[Check],
    typed_timestamps: bool,
    source: str | None = None,
    content_slugs: bool = False,
) -> str:
    """Create ``<source>_t``: typed columns ``t_*``, the first failing check in ``_reason``.

    ``source`` defaults to the file's staging table. ``content_slugs`` (a touch file read
    only once, by the checked copy): the slugs of the content ids are looked up in
    ``<source>_cid``, which :func:`fill_content_slugs` fills from the content table before
    the rows are read; an id not there is made a slug row by row.
    """
    source = source or f.stage
    present = [c for c in spec.columns if c.name in f.columns_lower]
    # A touch file's content ids are few (thousands of pieces, millions of touches): their
    # slugs (a regular expression each) are made once per distinct id, in <source>_cid, and
    # joined back. Other tables are small enough to make them row by row.
    slug_map = typed_timestamps and any(c.name == "content_id" for c in present)

    def expr(c: Column) -> str:
        if typed_timestamps and c.kind == "timestamp":
            return _raw(c.name)
        if slug_map and c.name == "content_id":
            if not content_slugs:
                return "m.slug"
            # A CASE: the row-by-row slug is made only for ids the map does not hold. An id
            # that is a piece's own id, when every piece's id is its own slug, is taken as
            # it is (see fill_content_slugs).
            return (
                "CASE WHEN s._piece IS NOT NULL THEN s.content_id "
                f"WHEN m.raw IS NOT NULL THEN m.slug ELSE {_typed(c)} END"
            )
        return _typed(c)

    typed = ", ".join(f"{expr(c)} AS t_{c.name}" for c in present)
    join = ""
    if slug_map:
        if content_slugs:
            # The distinct ids of the file would be a scan of it; the content table's ids
            # are the ones a touch names when it matches a piece (others are few, or unknown).
            # matched: the piece of ``content`` the slug names, found once per id here rather
            # than by a second join of every touch (see fill_content_slugs).
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {source}_cid "
                "(raw VARCHAR, slug VARCHAR, matched VARCHAR)"
            )
            # The piece an id names as it is, when fill_content_slugs finds the map is the
            # identity: none yet (the pieces' ENUM is made later; the view is bound again).
            con.execute(f"CREATE OR REPLACE TEMP MACRO {source}_piece(x) AS CAST(NULL AS VARCHAR)")
        else:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {source}_cid AS SELECT raw, "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
                f"{_typed(spec.column('content_id'), 'raw')} AS slug, NULL::VARCHAR AS matched "
                f"FROM (SELECT DISTINCT content_id AS raw FROM {source} "
                "WHERE content_id IS NOT NULL)"
            )
        join = f" LEFT JOIN {source}_cid m ON s.content_id = m.raw"
    if spec is TOUCHES:
        # canonical.touch_select takes the content match from the map when it has one.
        if slug_map and content_slugs:
            typed += ", coalesce(s._piece, m.matched) AS _matched"
        else:
            typed += ", m.matched AS _matched" if slug_map else ", NULL::VARCHAR AS _matched"
    rows_from = source
    if slug_map and content_slugs:  # the piece found once per row, read twice above
        rows_from = f"(SELECT *, {source}_piece(content_id) AS _piece FROM {source})"  # noqa: S608 - SQL from our own table name
    typed_rows = f"SELECT s.*, {typed} FROM {rows_from} s{join}"  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    cases = " ".join(f"WHEN {ch.condition} THEN {i}" for i, ch in enumerate(checks))
    reason = f"CASE {cases} END" if checks else "NULL"
    # Touch files are the big ones: keep them a view, scanned a few times but copied once.
    kind = "VIEW" if typed_timestamps else "TABLE"
    # A small table's typed rows are read once, by its copy: a subquery of it, not a view
    # (a view's typed columns, their macros expanded, were bound twice: by the view, then
    # by the copy). A small table's copy is a plain table, not a temporary one: it may be
    # made on a cursor of its own (validate.stage makes two side by side), whose temporary
    # objects no other cursor sees.
    rows = f"({typed_rows})"
    if spec is TOUCHES:
        con.execute(f"CREATE TEMP VIEW {source}_p AS {typed_rows}")
        rows = f"{source}_p"
        # Nearly every touch passes every check: one cheap test (_fast) spares such a row
        # the checks one by one; only the others go through them, in order. A CASE, so the
        # checks run on the rows left (see _empty).
        passes = [ch.passes for ch in checks]
        fast = " AND ".join(f"({p})" for p in passes) if None not in passes else "false"
        rows = f"(SELECT *, coalesce({fast or 'true'}, false) AS _fast FROM {source}_p)"  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        reason = f"CASE WHEN _fast THEN NULL {cases} END" if checks else "NULL"
    if spec is not TOUCHES:
        # A small table is copied once, read by the union (typed columns) and report_checks:
        # only what they read is stored, not the raw cells beside their typed twins. A failed
        # row keeps the value its check quotes (_shown, NULL for the rows that pass).
        shown = " ".join(
            f"WHEN {i} THEN CAST({_shown(ch)} AS VARCHAR)" for i, ch in enumerate(checks)
        )
        keep = ", ".join(
            [f"t_{c.name}" for c in present]
            + (["content_id"] if spec is CONTENT else [])  # report_renamed_ids quotes it
        )
        con.execute(
            f"CREATE TABLE {source}_t AS SELECT {keep}, _file, _row, _quarter, _reason, "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
            f"{f'CASE _reason {shown} END' if checks else 'CAST(NULL AS VARCHAR)'} AS _shown "
            f"FROM (SELECT *, CAST({reason} AS INTEGER) AS _reason FROM {rows})"
        )
        return f"{source}_t"
    con.execute(
        f"CREATE TEMP {kind} {source}_t AS SELECT *, CAST({reason} AS INTEGER) AS "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        f"_reason FROM {rows}"
    )
    return f"{source}_t"


def _shown(ch: Check) -> str:
    """Build the SQL of the value a failed check quotes (its column's cell by default)."""
    return ch.shown or (_raw(ch.column) if ch.column else "''")


def fill_content_slugs(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """Fill ``<source>_cid`` (made by ``file_table(..., content_slugs=True)``) from ``content``.

    Each content id of the inventory with its slug, made by the very expression a touch's id
    would go through, so a touch gets the same slug from the map as without it.
    """
    # Made again, its match typed as the pieces are (canonical.code_types): the views over
    # it are bound again when read.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {source}_cid AS SELECT m.raw, m.slug, "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        "CAST(c.content_id AS piece_id) AS matched FROM (SELECT "
        f"content_id AS raw, {_typed(TOUCHES.column('content_id'), 'content_id')} AS slug "
        "FROM (SELECT DISTINCT content_id FROM content WHERE content_id IS NOT NULL)) m "
        "LEFT JOIN content c ON m.slug = c.content_id"
    )
    # The common inventory: every piece's id is its own slug, so the map sends each id to
    # itself. A touch's id then needs no join: the ENUM of the pieces' ids (code_types)
    # finds its piece, and an id it does not hold is in no row of the map either (0.68 of
    # the 7.8 CPU s a 7M-touch file's checked copy took was that join).
    ((other,),) = con.execute(
        f"SELECT count(*) FROM {source}_cid "  # noqa: S608 - SQL from our own table name
        "WHERE slug IS DISTINCT FROM raw OR CAST(matched AS VARCHAR) IS DISTINCT FROM raw"
    ).fetchall()
    piece = "CAST(NULL AS piece_id)" if other else "TRY_CAST(x AS piece_id)"
    con.execute(f"CREATE OR REPLACE TEMP MACRO {source}_piece(x) AS {piece}")
    if not other:
        con.execute(f"DELETE FROM {source}_cid")  # noqa: S608 - our own table name


@dataclass(frozen=True)
class CheckReport:
    """Hold a file's row problems and, per failed check, ``(check index, rows)``.

    Each problem shows at most :data:`MAX_EXAMPLES` rows, then a count.
    """

    issues: tuple[Issue, ...]
    counts: tuple[tuple[int, int], ...]


def report_checks(
    con: duckdb.DuckDBPyConnection,
    f: StagedFile,
    table: str,
    checks: list[Check],
    counts: list[tuple[int, int]] | None = None,
    stored: bool = False,
) -> CheckReport:
    """Collect the file's row problems and how many rows failed each check.

    ``counts`` (check index, rows) may be given when they are already known; the examples
    are then the only scan of ``table``, and only for checks that failed. ``stored``: the
    table holds each failed row's quoted value in ``_shown`` (a small table's copy, see
    :func:`file_table`) rather than its raw cells.
    """
    issues: list[Issue] = []
    rows = (
        counts
        if counts is not None
        else con.execute(
            f"SELECT _reason, count(*) FROM {table} WHERE _reason IS NOT NULL GROUP BY 1 ORDER BY 1"  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        ).fetchall()
    )
    for idx, count in rows:
        ch = checks[idx]
        shown = "_shown" if stored else _shown(ch)
        examples = con.execute(
            f"SELECT _row, CAST({shown} AS VARCHAR) FROM {table} WHERE _reason = ? "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
            f"ORDER BY _row NULLS LAST, 2 LIMIT {MAX_EXAMPLES}",
            [idx],
        ).fetchall()
        for row, value in examples:
            text = f'"{value}" {ch.message}' if value not in (None, "") else ch.message
            issues.append(Issue(ch.severity, f.path, text, ch.fix, row, ch.column))
        if count > len(examples):
            issues.append(
                Issue(
                    ch.severity,
                    f.path,
                    f"… and {count - len(examples)} more rows where "
                    f"{ch.column or 'the row'} {ch.message}",
                    ch.fix,
                    None,
                    ch.column,
                )
            )
    return CheckReport(tuple(issues), tuple((int(i), int(c)) for i, c in rows))


def add_ledger(
    con: duckdb.DuckDBPyConnection, f: StagedFile, outcome: str, reason: str, rows: int
) -> None:
    """Count ``rows`` of file ``f`` in the ledger under ``outcome`` and ``reason`` (0: none)."""
    if rows:
        con.execute(  # columns named: after validation the ledger has a source column too
            "INSERT INTO ledger (file, table_name, quarter, outcome, reason, rows) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [f.path, f.table, f.quarter, outcome, reason, rows],
        )


def report_rejects(
    con: duckdb.DuckDBPyConnection, f: StagedFile, total: int | None = None
) -> tuple[Issue, ...]:
    """Report the rows of a native touches file DuckDB could not read (``<stage>_rejects``).

    One error per line, at most :data:`MAX_EXAMPLES`, then a count; the ledger counts them
    dropped. ``total`` is the number of such lines when the table holds only the first few
    (Spark reads the touches and brings back those).
    """
    rej = f"{f.stage}_rejects"
    if total is None:
        total = query_count(con, f"SELECT count(DISTINCT line) FROM {rej}")  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    if not total:
        return ()
    issues: list[Issue] = []
    # DuckDB lists a short line once per missing column: one message per line.
    rows = con.execute(
        f"SELECT line, min(column_name), min(error_type), min(csv_line) FROM {rej} "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        f"GROUP BY line ORDER BY line LIMIT {MAX_EXAMPLES}"
    ).fetchall()
    for line, column, etype, csv_line in rows:
        fields = next(csv.reader([csv_line or ""]), [])
        if etype == "CAST":
            # Quote the cell, not the line: the line holds the person column.
            cell = (
                fields[f.columns_lower.index(column)]
                if len(fields) == len(f.columns) and column in f.columns_lower
                else csv_line
            )
            _, msg, fix = _PARSE["timestamp"]
            issues.append(
                Issue(
                    "error",
                    f.path,
                    f"row cannot be read: {cell!r} — {column} {msg}",
                    fix,
                    int(line),
                    column,
                )
            )
        elif etype in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
            issues.append(
                Issue(
                    "error",
                    f.path,
                    f"has {len(fields)} fields, the header has "
                    f"{len(f.columns)}; the row is dropped",
                    "every line needs as many fields as the header",
                    int(line),
                )
            )
        else:
            issues.append(
                Issue(
                    "error",
                    f.path,
                    f"row cannot be read ({etype.lower()})",
                    "every line needs as many fields as the header",
                    int(line),
                    column,
                )
            )
    if total > len(rows):
        issues.append(
            Issue(
                "error",
                f.path,
                f"… and {total - len(rows)} more unreadable rows",
                "fix or remove them",
            )
        )
    add_ledger(con, f, "dropped", "unreadable row", int(total))
    return tuple(issues)


def report_renamed_ids(
    con: duckdb.DuckDBPyConnection, f: StagedFile, table: str
) -> tuple[Issue, ...]:
    """Warn once per content id that had to become a safe file name (``a..b`` → ``a.b``).

    Touches and analytics naming the id as written still match it.
    """
    rows = con.execute(
        f"SELECT _row, content_id, t_content_id FROM {table} WHERE _reason IS NULL "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        "AND content_id IS DISTINCT FROM t_content_id AND t_content_id IS NOT NULL "
        f"ORDER BY _row LIMIT {MAX_EXAMPLES + 1}"
    ).fetchall()
    issues: list[Issue] = []
    for row, raw, safe in rows[:MAX_EXAMPLES]:
        shown = raw if len(raw) <= 60 else raw[:57] + "…"
        issues.append(
            Issue(
                "warning",
                f.path,
                f'"{shown}" cannot be a page\'s file name; it is read as "{safe}"',
                "use letters, digits, '-', '_' and single dots "
                f"in content ids (at most {MAX_ID} characters)",
                row,
                "content_id",
            )
        )
    if len(rows) > MAX_EXAMPLES:
        issues.append(
            Issue(
                "warning",
                f.path,
                "… and more content ids read as safe file names",
                "",
                None,
                "content_id",
            )
        )
    return tuple(issues)
