"""Validate stage: staged text → typed canonical tables, with every row accounted for.

Each staged file is checked column by column (type, required, allowed values) and against the
table's rules (negative amounts, a close before the creation, unknown content, …). A row that
fails a check is dropped with that check's reason; an *error* also fails the run, a *warning*
only drops or annotates the row. The ledger table counts, per file, the rows kept, merged
(duplicates across drops) and dropped with each reason.

Canonical tables created in the connection (all timestamps UTC, money in minor units):

- ``content(content_id, url, url_key, title, content_type, published_at, author, tags, cost)``
- ``performance(content_id, period_start, period_end, views, users, engagement_seconds,
  shares, clicks)``
- ``touches(occurred_at, person_key, account_id, content_id, touch_type, channel)``
- ``deals(deal_id, account_id, name, segment, industry, amount, currency, amount_minor, created_at,
  closed_at, close_cutoff, close_date_only, status, deal_type, quarter)``
- ``deal_contacts(deal_id, person_key, role, is_primary)``
- ``ledger(file, table_name, quarter, outcome, reason, rows)``
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import babel.numbers
import duckdb

from generator.config import AttributionConfig
from generator.contracts import (
    CONTENT,
    DEAL_CONTACTS,
    DEALS,
    FX_RATES,
    IDENTITIES,
    PERFORMANCE,
    TABLES_BY_NAME,
    TOUCHES,
    Column,
    TableSpec,
)
from generator.errors import Issue, Severity
from generator.load import Staged, StagedFile

#: At most this many rows are listed per problem and file; the rest are counted.
MAX_EXAMPLES = 10

_PARSE = {
    "int": ("TRY_CAST({c} AS BIGINT)", "is not a whole number", "write whole numbers without "
            "thousands separators, e.g. 1200"),
    "number": ("TRY_CAST({c} AS DOUBLE)", "is not a number", "write plain numbers with a dot "
               "as decimal separator and no currency sign, e.g. 12500.50"),
    "timestamp": ("TRY_CAST({c} AS TIMESTAMPTZ)", "is not a date or timestamp",
                  "use ISO 8601, e.g. 2026-07-01 or 2026-07-01T14:30:00Z"),
    "date": ("TRY_CAST({c} AS DATE)", "is not a date", "use ISO 8601 dates, e.g. 2026-07-01"),
    "bool": ("CASE WHEN lower(trim({c})) IN ('true','1','yes','y') THEN true "
             "WHEN lower(trim({c})) IN ('false','0','no','n') THEN false END",
             "is not true or false", "write true/false, yes/no or 1/0"),
}


@dataclass(frozen=True)
class Check:
    """A row rule: rows where ``condition`` holds get ``message`` and are dropped if ``drop``."""

    severity: str
    column: str | None
    condition: str
    message: str
    fix: str
    drop: bool = True
    #: SQL for the value quoted in the message (defaults to the column).
    shown: str | None = None


@dataclass(frozen=True)
class Drop:
    """The validated drops: canonical tables live in ``con``; ``issues`` lists every problem."""

    con: duckdb.DuckDBPyConnection
    quarters: tuple[str, ...]
    files: tuple[StagedFile, ...]
    issues: tuple[Issue, ...]
    reporting_currency: str

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


def _raw(c: str) -> str:
    return f'"{c}"'


def _empty(c: str) -> str:
    # Cheap on millions of rows: only values that start with a space pay for trim().
    r = f"CAST({_raw(c)} AS VARCHAR)"
    return f"({_raw(c)} IS NULL OR {r} = '' OR (starts_with({r}, ' ') AND trim({r}) = ''))"


def _typed(col: Column) -> str:
    if col.kind == "text":
        return f"clean_text(CAST({_raw(col.name)} AS VARCHAR))"
    return _PARSE[col.kind][0].format(c=_raw(col.name))


def _column_checks(spec: TableSpec, present: set[str], typed_timestamps: bool) -> list[Check]:
    checks: list[Check] = []
    for col in spec.columns:
        if col.name not in present:
            continue
        if col.required:
            # A column typed while reading is empty when NULL; casting it back to text to
            # look for blanks would cost more than the whole read.
            empty = (f"{_raw(col.name)} IS NULL"
                     if typed_timestamps and col.kind == "timestamp" else _empty(col.name))
            checks.append(Check("error", col.name, empty, "is empty",
                                f"every row needs a {col.name}" + (f" ({col.help})" if col.help
                                                                   else "")))
        if col.kind != "text" and not (typed_timestamps and col.kind == "timestamp"):
            expr, msg, fix = _PARSE[col.kind]
            parsed = expr.format(c=_raw(col.name))
            checks.append(Check("error", col.name,
                                f"NOT {_empty(col.name)} AND {parsed} IS NULL", msg, fix))
        if col.allowed:
            allowed = ", ".join(f"'{a}'" for a in col.allowed)
            checks.append(Check("error", col.name,
                                f"{_raw(col.name)} NOT IN ({allowed}) AND NOT {_empty(col.name)} "
                                f"AND lower(trim({_raw(col.name)})) NOT IN ({allowed})",
                                "is not an allowed value",
                                f"use one of {', '.join(col.allowed)}"))
    for group in spec.one_of:
        have = [g for g in group if g in present]
        if have:
            # A person without an alias is only not linked: drop the row, don't fail the run.
            severity = "warning" if spec is IDENTITIES else "error"
            checks.append(Check(severity, None, " AND ".join(_empty(g) for g in have),
                                f"has no {' or '.join(group)}", f"fill {' or '.join(group)}",
                                shown="''"))
    return checks


def _rule_checks(spec: TableSpec, present: set[str], reporting: str) -> list[Check]:
    """Table rules beyond types; they assume the typed columns ``t_<name>`` exist."""
    if spec is DEALS:
        currencies = ", ".join(f"'{c}'" for c in sorted(babel.numbers.list_currencies()))
        checks = [
            Check("error", "amount", "t_amount < 0", "is negative",
                  "amounts are deal values; record refunds or churn as lost deals, not "
                  "negative amounts"),
            Check("error", "closed_at", "t_closed_at < t_created_at", "is before created_at",
                  "fix the dates in the CRM export", shown="CAST(closed_at AS VARCHAR) || "
                  "' (created ' || CAST(created_at AS VARCHAR) || ')'"),
            Check("error", "closed_at",
                  "t_status IN ('won', 'lost') AND t_closed_at IS NULL AND NOT "
                  + _empty("created_at"),
                  "is empty for a closed deal", "won and lost deals need their close date",
                  shown="status"),
            Check("error", "currency",
                  f"NOT {_empty('currency')} AND upper(trim(currency)) NOT IN ({currencies})",
                  "is not a known currency", "use an ISO 4217 code such as EUR, USD or PLN"),
            Check("error", "deal_id",
                  "count(*) OVER (PARTITION BY t_deal_id) > 1 AND t_deal_id IS NOT NULL",
                  "appears more than once in this file",
                  "each deal must appear once per drop; remove the duplicate rows"),
        ]
        return checks
    if spec is CONTENT:
        return [
            Check("error", "content_id",
                  "count(*) OVER (PARTITION BY t_content_id) > 1 AND t_content_id IS NOT NULL",
                  "appears more than once in this file", "give every piece its own content_id"),
            Check("error", "content_id",
                  "NOT regexp_full_match(t_content_id, '[A-Za-z0-9][A-Za-z0-9._-]*')",
                  "is not a valid slug",
                  "content_ids become page URLs: use letters, digits, '.', '_' and '-' only"),
        ]
    if spec is FX_RATES:
        return [Check("error", "rate", "t_rate <= 0", "is not positive",
                      "rates convert one unit of the currency into the reporting currency")]
    return []


def _file_table(con: duckdb.DuckDBPyConnection, f: StagedFile, spec: TableSpec,
                checks: list[Check], typed_timestamps: bool) -> str:
    """Create ``<stage>_t``: typed columns ``t_*``, the first failing check in ``_reason``."""
    present = [c for c in spec.columns if c.name in f.columns_lower]
    typed = ", ".join(
        (f"{_raw(c.name)} AS t_{c.name}" if typed_timestamps and c.kind == "timestamp"
         else f"{_typed(c)} AS t_{c.name}")
        for c in present
    )
    con.execute(f"CREATE TEMP VIEW {f.stage}_p AS SELECT *, {typed} FROM {f.stage}")
    if checks:
        cases = " ".join(f"WHEN {ch.condition} THEN {i}" for i, ch in enumerate(checks))
        reason = f"CASE {cases} END"
    else:
        reason = "NULL"
    # Touch files are the big ones: keep them a view, scanned a few times but copied once.
    kind = "VIEW" if typed_timestamps else "TABLE"
    con.execute(
        f"CREATE TEMP {kind} {f.stage}_t AS SELECT *, CAST({reason} AS INTEGER) AS _reason "
        f"FROM {f.stage}_p"
    )
    return f"{f.stage}_t"


def _report(con: duckdb.DuckDBPyConnection, f: StagedFile, table: str, checks: list[Check],
            issues: list[Issue], counts: list[tuple[int, int]] | None = None
            ) -> list[tuple[int, int]]:
    """Add the file's row problems to ``issues``; returns (check index, rows) pairs.

    ``counts`` (check index, rows) may be given when they are already known; the examples
    are then the only scan of ``table``, and only for checks that failed."""
    rows = counts if counts is not None else con.execute(
        f"SELECT _reason, count(*) FROM {table} WHERE _reason IS NOT NULL GROUP BY 1 ORDER BY 1"
    ).fetchall()
    for idx, count in rows:
        ch = checks[idx]
        shown = ch.shown or (_raw(ch.column) if ch.column else "''")
        examples = con.execute(
            f"SELECT _row, CAST({shown} AS VARCHAR) FROM {table} WHERE _reason = ? "
            f"ORDER BY _row NULLS LAST, 2 LIMIT {MAX_EXAMPLES}", [idx]
        ).fetchall()
        for row, value in examples:
            text = f'"{value}" {ch.message}' if value not in (None, "") else ch.message
            issues.append(Issue(ch.severity, f.path, text, ch.fix, row, ch.column))  # type: ignore[arg-type]
        if count > len(examples):
            issues.append(Issue(ch.severity, f.path,
                                f"… and {count - len(examples)} more rows where "
                                f"{ch.column or 'the row'} {ch.message}", ch.fix, None,
                                ch.column))  # type: ignore[arg-type]
    return [(int(i), int(c)) for i, c in rows]


def _ledger(con: duckdb.DuckDBPyConnection, f: StagedFile, outcome: str, reason: str,
            rows: int) -> None:
    if rows:
        con.execute("INSERT INTO ledger VALUES (?, ?, ?, ?, ?, ?)",
                    [f.path, f.table, f.quarter, outcome, reason, rows])


def validate(staged: Staged, config: AttributionConfig) -> Drop:
    """Check every staged file and build the canonical tables (see module docstring)."""
    con = staged.con
    issues = list(staged.issues)
    con.execute(resources.files("generator.sql").joinpath("macros.sql").read_text())
    con.execute("CREATE OR REPLACE TABLE ledger (file VARCHAR, table_name VARCHAR, "
                "quarter VARCHAR, outcome VARCHAR, reason VARCHAR, rows BIGINT)")
    by_table: dict[str, list[StagedFile]] = {}
    for f in staged.files:
        by_table.setdefault(f.table, []).append(f)

    for spec in TABLES_BY_NAME.values():
        if spec.required_file and not by_table.get(spec.name) and staged.files:
            cols = ", ".join(c.name for c in spec.columns if c.required)
            issues.append(Issue("error", ", ".join(staged.quarters) + " drop",
                                f"no {spec.name} file found",
                                f"add a CSV or Parquet file with the columns {cols}"))

    checked: dict[str, list[tuple[StagedFile, str]]] = {}
    # Native touch files are reported after the one pass that builds the touches table.
    deferred: list[tuple[int, tuple[StagedFile, str, list[Check]]]] = []
    for f in staged.files:
        spec = TABLES_BY_NAME[f.table]
        present = set(f.columns_lower) & set(spec.names)
        missing = [c.name for c in spec.columns if c.required and c.name not in present]
        for group in spec.one_of:
            if not present & set(group):
                missing.append(" or ".join(group))
        if missing:
            for m in missing:
                issues.append(Issue("error", f.path, f"has no column {m} (found: "
                                    f"{', '.join(f.columns)})",
                                    f"add the {m} column; {spec.name} files need "
                                    f"{', '.join(c.name for c in spec.columns if c.required)}",
                                    None, m))
            _ledger(con, f, "dropped", "missing column", f.rows_read)
            continue
        typed_ts = spec is TOUCHES and f.source == "native"
        checks = _column_checks(spec, present, typed_ts) + _rule_checks(
            spec, present, config.reporting_currency)
        table = _file_table(con, f, spec, checks, typed_ts)
        if typed_ts:
            _report_rejects(con, f, issues)
            deferred.append((len(checked.get("touches", [])), (f, table, checks)))
        else:
            for idx, count in _report(con, f, table, checks, issues):
                ch = checks[idx]
                _ledger(con, f, "dropped", f"{ch.column or 'row'} {ch.message}", count)
        checked.setdefault(spec.name, []).append((f, table))

    _build_canonical(con, checked, config, issues, deferred)
    from generator.load.ledger import add_load_rows

    add_load_rows(con, staged.files, staged.unrecognised)
    return Drop(con=con, quarters=tuple(staged.quarters), files=tuple(staged.files),
                issues=tuple(issues), reporting_currency=config.reporting_currency)


def _report_rejects(con: duckdb.DuckDBPyConnection, f: StagedFile, issues: list[Issue]) -> None:
    rej = f"{f.stage}_rejects"
    total = con.execute(f"SELECT count(DISTINCT line) FROM {rej}").fetchone()[0]  # type: ignore[index]
    if not total:
        return
    rows = con.execute(
        f"SELECT line, column_name, error_type, csv_line FROM {rej} ORDER BY line "
        f"LIMIT {MAX_EXAMPLES}"
    ).fetchall()
    for line, column, etype, csv_line in rows:
        if etype == "CAST":
            _, msg, fix = _PARSE["timestamp"]
            issues.append(Issue("error", f.path, f"row cannot be read: {csv_line!r} — "
                                f"{column} {msg}", fix, int(line), column))
        else:
            issues.append(Issue("error", f.path, f"row cannot be read ({etype.lower()}): "
                                f"{csv_line!r}", "every line needs as many fields as the header",
                                int(line), column))
    if total > len(rows):
        issues.append(Issue("error", f.path, f"… and {total - len(rows)} more unreadable rows",
                            "fix or remove them"))
    _ledger(con, f, "dropped", "unreadable row", int(total))


def _build_canonical(con: duckdb.DuckDBPyConnection,
                     checked: dict[str, list[tuple[StagedFile, str]]],
                     config: AttributionConfig, issues: list[Issue],
                     deferred: list[tuple[int, tuple[StagedFile, str, list[Check]]]]) -> None:
    files = {f.path: f for fs in checked.values() for f, _ in fs}

    def union_or_empty(name: str, spec: TableSpec) -> str:
        parts = []
        for f, t in checked.get(name, []):
            cols = ", ".join(f"t_{c.name} AS {c.name}" for c in spec.columns
                             if c.name in f.columns_lower)
            parts.append(f"SELECT {cols}, _file, _row, _quarter FROM {t} WHERE _reason IS NULL")
        if not parts:
            cols = ", ".join(f"CAST(NULL AS {_sqltype(c)}) AS {c.name}" for c in spec.columns)
            return (f"SELECT {cols}, CAST(NULL AS VARCHAR) AS _file, CAST(NULL AS BIGINT) AS _row, "
                    "CAST(NULL AS VARCHAR) AS _quarter WHERE false")
        # Optional columns a file lacks come back NULL; the empty typed frame fixes the types.
        cols = ", ".join(f"CAST(NULL AS {_sqltype(c)}) AS {c.name}" for c in spec.columns)
        parts.insert(0, f"SELECT {cols}, CAST(NULL AS VARCHAR) AS _file, "
                        "CAST(NULL AS BIGINT) AS _row, CAST(NULL AS VARCHAR) AS _quarter "
                        "WHERE false")
        return " UNION ALL BY NAME ".join(parts)

    # Later drops win for the same key: the earlier rows are "merged".
    def dedup(name: str, spec: TableSpec, key: str) -> None:
        con.execute(f"CREATE OR REPLACE TEMP TABLE all_{name} AS {union_or_empty(name, spec)}")
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_ranked AS SELECT *, row_number() OVER "
            f"(PARTITION BY {key} ORDER BY _quarter DESC, _file DESC, _row DESC) AS _rank "
            f"FROM all_{name}"
        )
        for file, n in con.execute(
            f"SELECT _file, count(*) FROM {name}_ranked WHERE _rank > 1 GROUP BY 1 ORDER BY 1"
        ).fetchall():
            _ledger(con, files[file], "merged", "same key in a later drop or row", n)

    dedup("content", CONTENT, "content_id")
    con.execute(
        "CREATE OR REPLACE TABLE content AS SELECT content_id, url, norm_url(url) AS url_key, "
        "title, lower(content_type) AS content_type, published_at, author, tags, cost "
        "FROM content_ranked WHERE _rank = 1 ORDER BY content_id"
    )

    dedup("fx_rates", FX_RATES, "upper(currency), date")
    con.execute(
        "CREATE OR REPLACE TABLE fx_rates AS SELECT upper(currency) AS currency, date, rate "
        "FROM fx_rates_ranked WHERE _rank = 1 ORDER BY currency, date"
    )

    from generator.identity import MERGED_REASON, build_identities, resolve_people

    con.execute("CREATE OR REPLACE TEMP TABLE all_identities AS "
                + union_or_empty("identities", IDENTITIES))
    build_identities(con, issues)

    # Every deal id seen, valid or not, so a contact of a rejected deal is not "unknown" too.
    seen = [f"SELECT t_deal_id AS deal_id FROM {t}" for _, t in checked.get("deals", [])]
    con.execute("CREATE OR REPLACE TEMP TABLE seen_deal_ids AS "
                + (" UNION ".join(seen) if seen else "SELECT NULL::VARCHAR AS deal_id WHERE false"))
    _build_deals(con, checked, config, issues, union_or_empty, files)
    _build_contacts(con, union_or_empty, files, issues)
    _build_touches(con, checked, files, issues, deferred)
    for file, n in resolve_people(con):
        _ledger(con, files[file], "merged", MERGED_REASON, n)
    _build_performance(con, union_or_empty, files, issues)
    _count_kept(con, files)
    # The staged copies are no longer needed: free their memory before journeys are built.
    stages = tuple(f.stage for f in files.values())
    for name, kind in con.execute(
        "SELECT view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal UNION ALL "
        "SELECT table_name, 'TABLE' FROM duckdb_tables()"
    ).fetchall():
        base = name.removesuffix("_t").removesuffix("_p").removesuffix("_raw")
        if name in stages or base in stages:
            con.execute(f"DROP {kind} IF EXISTS {name}")


def _sqltype(c: Column) -> str:
    return {"text": "VARCHAR", "int": "BIGINT", "number": "DOUBLE", "timestamp": "TIMESTAMPTZ",
            "date": "DATE", "bool": "BOOLEAN"}[c.kind]


def _drop_rows(con: duckdb.DuckDBPyConnection, files: dict[str, StagedFile], issues: list[Issue],
               sql: str, severity: Severity, message: str, fix: str, column: str,
               reason: str) -> None:
    """Report rows selected by ``sql`` (columns: _file, _row, value) and count them dropped."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE _bad AS {sql}")
    for file, n in con.execute("SELECT _file, count(*) FROM _bad GROUP BY 1 ORDER BY 1").fetchall():
        ex = con.execute(
            "SELECT _row, value FROM _bad WHERE _file = ? ORDER BY _row NULLS LAST, value "
            f"LIMIT {MAX_EXAMPLES}", [file]
        ).fetchall()
        if severity == "warning" and n > MAX_EXAMPLES:
            values = sorted({str(v) for _, v in ex})
            issues.append(Issue("warning", file, f"{n} rows dropped: their {column} {message} "
                                f"(e.g. {', '.join(repr(v) for v in values[:5])})",
                                fix, None, column))
        else:
            for row, value in ex:
                issues.append(Issue(severity, file, f'"{value}" {message}', fix, row, column))  # type: ignore[arg-type]
            if n > len(ex):
                issues.append(Issue(severity, file, f"… and {n - len(ex)} more rows where "
                                    f"{column} {message}", fix, None, column))  # type: ignore[arg-type]
        _ledger(con, files[file], "dropped", reason, n)


def _build_deals(con, checked, config, issues, union_or_empty, files) -> None:  # type: ignore[no-untyped-def]
    reporting = config.reporting_currency
    digits = babel.numbers.get_currency_precision(reporting)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_deals AS {union_or_empty('deals', DEALS)}")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE deals_ranked AS SELECT *, row_number() OVER "
        "(PARTITION BY deal_id ORDER BY _quarter DESC, _file DESC) AS _rank FROM all_deals"
    )
    for file, n in con.execute(
        "SELECT _file, count(*) FROM deals_ranked WHERE _rank > 1 GROUP BY 1 ORDER BY 1"
    ).fetchall():
        _ledger(con, files[file], "merged", "deal updated in a later drop", n)
    # A date without a time covers the whole day: such closes count touches up to midnight after.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE deals_typed AS
        SELECT deal_id, account_id, name, segment, industry, amount, upper(currency) AS currency,
               CAST(created_at AS TIMESTAMP) AS created_at,
               CAST(closed_at AS TIMESTAMP) AS closed_at,
               (closed_at IS NOT NULL AND CAST(closed_at AS TIMESTAMP)
                    = date_trunc('day', CAST(closed_at AS TIMESTAMP))) AS close_date_only,
               lower(status) AS status, lower(deal_type) AS deal_type, _file, _row, _quarter,
               CASE WHEN lower(status) = 'open' THEN _quarter
                    ELSE quarter_of(CAST(closed_at AS TIMESTAMP)) END AS quarter
        FROM deals_ranked WHERE _rank = 1
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE deals_fx AS
        SELECT d.*, CASE WHEN d.currency = '{reporting}' THEN 1.0 ELSE f.rate END AS rate
        FROM deals_typed d ASOF LEFT JOIN fx_rates f
          ON d.currency = f.currency
         AND CAST(coalesce(d.closed_at, d.created_at) AS DATE) >= f.date
        """
    )
    _drop_rows(
        con, files, issues,
        "SELECT _file, _row, currency AS value FROM deals_fx WHERE rate IS NULL",
        "error", f"has no exchange rate to {reporting}",
        "add an fx_rates file (currency, date, rate) with a rate for this currency on or "
        "before the deal's date, or set reporting_currency", "currency", "no exchange rate",
    )
    quarters = ", ".join(f"'{q}'" for q in sorted({f.quarter for f in files.values()}))
    _drop_rows(
        con, files, issues,
        f"SELECT _file, _row, quarter AS value FROM deals_fx WHERE rate IS NOT NULL "
        f"AND quarter NOT IN ({quarters or 'NULL'})",
        "warning", "is the quarter the deal closed in, and no drop for that quarter was given",
        "add that quarter's drop, or ignore: the deal is not reported", "closed_at",
        "closed outside the quarters given",
    )
    con.execute(
        f"""
        CREATE OR REPLACE TABLE deals AS
        SELECT deal_id, account_id, name, segment, industry, amount, currency,
               CAST(round(amount * rate * {10 ** digits}) AS BIGINT) AS amount_minor,
               created_at, closed_at,
               CASE WHEN close_date_only THEN closed_at + INTERVAL 1 DAY
                    ELSE closed_at + INTERVAL 1 MICROSECOND END
                   AS close_cutoff,
               close_date_only, status, deal_type, quarter, _file, _row
        FROM deals_fx
        WHERE rate IS NOT NULL AND quarter IN ({quarters or 'NULL'})
        ORDER BY deal_id
        """
    )


def _build_contacts(con, union_or_empty, files, issues) -> None:  # type: ignore[no-untyped-def]
    all_dc = union_or_empty("deal_contacts", DEAL_CONTACTS)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_dc AS {all_dc}")
    _drop_rows(
        con, files, issues,
        "SELECT _file, _row, deal_id AS value FROM all_dc WHERE deal_id NOT IN "
        "(SELECT deal_id FROM seen_deal_ids WHERE deal_id IS NOT NULL)",
        "warning", "is a deal_id not found in any deals file", "check the deal export covers "
        "the same deals", "deal_id", "unknown deal",
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE dc_ranked AS
        SELECT *, person_key(person_id) AS person_key,
               row_number() OVER (PARTITION BY deal_id, person_key(person_id)
                                  ORDER BY _quarter DESC, _file DESC, _row DESC) AS _rank
        FROM all_dc WHERE deal_id IN (SELECT deal_id FROM all_deals)
        """
    )
    for file, n in con.execute(
        "SELECT _file, count(*) FROM dc_ranked WHERE _rank > 1 GROUP BY 1 ORDER BY 1"
    ).fetchall():
        _ledger(con, files[file], "merged", "same contact on the same deal", n)
    con.execute(
        "CREATE OR REPLACE TABLE deal_contacts AS SELECT deal_id, person_key, role, "
        "coalesce(is_primary, false) AS is_primary, _file, _row FROM dc_ranked WHERE _rank = 1 "
        "AND deal_id IN (SELECT deal_id FROM deals) ORDER BY deal_id, person_key"
    )


def _build_touches(con, checked, files, issues, deferred) -> None:  # type: ignore[no-untyped-def]
    """Touches are the big table: every check, the content match and the final columns happen
    in one materialisation (``touches_checked``); ``touches`` is a filtering view over it.
    Row problems of native touch files (``deferred``) are reported from it afterwards."""
    parts = [
        "SELECT CAST(NULL AS TIMESTAMPTZ) AS occurred_at, CAST(NULL AS VARCHAR) AS person_id, "
        "CAST(NULL AS VARCHAR) AS account_id, CAST(NULL AS VARCHAR) AS content_id, "
        "CAST(NULL AS VARCHAR) AS url, CAST(NULL AS VARCHAR) AS touch_type, "
        "CAST(NULL AS VARCHAR) AS channel, CAST(NULL AS INTEGER) AS _fid, "
        "CAST(NULL AS BIGINT) AS _row, CAST(NULL AS INTEGER) AS _reason WHERE false"
    ]
    sources = checked.get("touches", [])
    for fid, (f, t) in enumerate(sources):
        cols = ", ".join(f"t_{c.name} AS {c.name}" for c in TOUCHES.columns
                         if c.name in f.columns_lower)
        parts.append(f"SELECT {cols}, {fid} AS _fid, _row, _reason FROM {t}")
    con.execute("CREATE OR REPLACE TEMP VIEW all_touches AS "
                + " UNION ALL BY NAME ".join(parts))
    con.execute("CREATE OR REPLACE TEMP TABLE touch_files (_fid INTEGER, _file VARCHAR)")
    for fid, (f, _) in enumerate(sources):
        con.execute("INSERT INTO touch_files VALUES (?, ?)", [fid, f.path])
    by_url = any("url" in f.columns_lower for f, _ in sources)
    url_join = (
        "LEFT JOIN content c2 ON t.content_id IS NULL AND norm_url(t.url) = c2.url_key"
        if by_url else "LEFT JOIN (SELECT NULL::VARCHAR AS content_id WHERE false) c2 ON false"
    )
    allowed = ", ".join(f"'{t}'" for t in TOUCHES.column("touch_type").allowed)
    # Row order of touches carries no meaning (journeys sort explicitly): let DuckDB stream.
    con.execute("SET preserve_insertion_order = false")
    con.execute(
        f"""
        CREATE OR REPLACE TABLE touches_checked AS
        SELECT utc_naive(t.occurred_at) AS occurred_at,
               person_key(t.person_id) AS person_key,
               t.account_id, coalesce(c1.content_id, c2.content_id) AS content_id,
               CASE WHEN t.touch_type IN ({allowed}) THEN t.touch_type
                    ELSE lower(trim(t.touch_type)) END AS touch_type,
               coalesce(t.channel, '(none)') AS channel,
               t._fid, t._row, t._reason,
               CASE WHEN c1.content_id IS NULL AND c2.content_id IS NULL
                    THEN coalesce(t.content_id, t.url) END AS _unknown
        FROM all_touches t
        LEFT JOIN content c1 ON t.content_id = c1.content_id
        {url_join}
        """
    )
    con.execute("SET preserve_insertion_order = true")
    for fid, (f, table, checks) in deferred:
        counts = con.execute(
            "SELECT _reason, count(*) FROM touches_checked WHERE _fid = ? AND _reason IS NOT NULL "
            "GROUP BY 1 ORDER BY 1", [fid]
        ).fetchall()
        for idx, count in _report(con, f, table, checks, issues, counts):
            ch = checks[idx]
            _ledger(con, f, "dropped", f"{ch.column or 'row'} {ch.message}", count)
    _drop_rows(
        con, files, issues,
        "SELECT f._file, t._row, t._unknown AS value FROM touches_checked t "
        "JOIN touch_files f USING (_fid) WHERE t._reason IS NULL AND t.content_id IS NULL",
        "warning", "is not in the content inventory",
        "add the pieces to the content file, or check the ids/URLs match", "content_id",
        "unknown content",
    )
    con.execute(
        "CREATE OR REPLACE VIEW touches AS SELECT occurred_at, person_key, account_id, "
        "content_id, touch_type, channel FROM touches_checked "
        "WHERE _reason IS NULL AND content_id IS NOT NULL"
    )


def _build_performance(con, union_or_empty, files, issues) -> None:  # type: ignore[no-untyped-def]
    all_perf = union_or_empty("performance", PERFORMANCE)
    con.execute(f"CREATE OR REPLACE TEMP TABLE all_perf AS {all_perf}")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE perf_matched AS
        SELECT p.*, coalesce(c1.content_id, c2.content_id, c3.content_id) AS cid
        FROM all_perf p
        LEFT JOIN content c1 ON p.content_id = c1.content_id
        LEFT JOIN content c2 ON p.content_id IS NULL AND norm_url(p.url) = c2.url_key
        -- GA4 reports give paths, not URLs: a path matches the one piece with that path.
        LEFT JOIN (SELECT url_path(url) AS path, min(content_id) AS content_id FROM content
                   GROUP BY 1 HAVING count(*) = 1) c3
          ON p.content_id IS NULL AND c2.content_id IS NULL AND url_host(p.url) = ''
         AND url_path(p.url) = c3.path
        """
    )
    from generator.load.inventory import add_analytics_only

    add_analytics_only(con, files, issues)
    _drop_rows(
        con, files, issues,
        "SELECT _file, _row, coalesce(content_id, url) AS value FROM perf_matched "
        "WHERE cid IS NULL",
        "warning", "is not in the content inventory", "add the piece to the content file",
        "content_id", "unknown content",
    )
    con.execute(
        """
        CREATE OR REPLACE TABLE performance AS
        SELECT cid AS content_id, period_start, period_end, _quarter AS quarter,
               coalesce(views, 0) AS views, coalesce(users, 0) AS users,
               coalesce(engagement_seconds, 0) AS engagement_seconds,
               coalesce(shares, 0) AS shares, coalesce(clicks, 0) AS clicks, _file
        FROM perf_matched WHERE cid IS NOT NULL ORDER BY content_id, period_start
        """
    )


def _count_kept(con: duckdb.DuckDBPyConnection, files: dict[str, StagedFile]) -> None:
    for f in files.values():
        done = con.execute("SELECT coalesce(sum(rows), 0) FROM ledger WHERE file = ?",
                           [f.path]).fetchone()[0]  # type: ignore[index]
        _ledger(con, f, "kept", "", f.rows_read - int(done))
