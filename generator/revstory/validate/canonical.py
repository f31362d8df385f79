"""Canonical tables from the checked files.

Deals (currencies, quarters), contacts, touches (one materialisation), performance,
identities; merges across drops.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import babel.numbers
import duckdb

from revstory.config import AttributionConfig
from revstory.contracts import (
    CONTENT,
    DEAL_CONTACTS,
    DEALS,
    FX_RATES,
    IDENTITIES,
    PERFORMANCE,
    TOUCHES,
    Column,
    TableSpec,
)
from revstory.errors import Issue, Severity
from revstory.load.discover import (
    SMALL_ROWS,
    StagedFile,
    count_touch_rows,
    number_touch_rows,
    one_thread_each,
    query_count,
    read_touches_sql,
)
from revstory.load.options import setting
from revstory.validate.checks import (
    MAX_EXAMPLES,
    MAX_NUMBER,
    Check,
    add_ledger,
    file_table,
    fill_content_slugs,
    report_checks,
    report_rejects,
)

#: ``union_or_empty(table, spec)``: SQL for the checked rows of every file of a table.
Union = Callable[[str, TableSpec], str]


def build_canonical(
    con: duckdb.DuckDBPyConnection,
    checked: dict[str, list[tuple[StagedFile, str]]],
    config: AttributionConfig,
    deferred: list[tuple[int, tuple[StagedFile, str, list[Check]]]],
    read: dict[str, tuple[int, tuple[Issue, ...]]] | None = None,
) -> tuple[Issue, ...]:
    """Create the canonical tables from the checked files (see :mod:`revstory.validate.stage`).

    Returns the problems found on the way, in the order the tables are built. The touch
    files the load stage left unread (``StagedFile.deferred``) are read here; ``read`` gets
    their rows read and the problems of their unreadable lines, by path (the caller puts
    those where the load stage's reading would have put them).
    """
    from revstory.validate.identity import MERGED_REASON, resolve_people

    read = {} if read is None else read
    issues: list[Issue] = []
    files = {f.path: f for fs in checked.values() for f, _ in fs}

    def union_or_empty(name: str, spec: TableSpec) -> str:
        parts = []
        for f, t in checked.get(name, []):
            cols = ", ".join(
                f"t_{c.name} AS {c.name}" for c in spec.columns if c.name in f.columns_lower
            )
            parts.append(f"SELECT {cols}, _file, _row, _quarter FROM {t} WHERE _reason IS NULL")  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        # Optional columns a file lacks come back NULL; the empty typed frame fixes the types
        # (and is the whole answer when no file holds the table).
        empty = _typed_empty(
            spec,
            "CAST(NULL AS VARCHAR) AS _file, CAST(NULL AS BIGINT) AS _row, "
            "CAST(NULL AS VARCHAR) AS _quarter",
        )
        return " UNION ALL BY NAME ".join([empty, *parts])

    def dedup(name: str, spec: TableSpec, key: str, on: duckdb.DuckDBPyConnection = con) -> None:
        # A view: ranking reads the union once, so it is not copied first.
        on.execute(f"CREATE OR REPLACE TEMP VIEW all_{name} AS {union_or_empty(name, spec)}")
        rank_latest(
            on, files, f"{name}_ranked", f"all_{name}", key, "same key in a later drop or row"
        )
        on.execute(f"DROP VIEW all_{name}")

    def build_content() -> None:
        # On a cursor of its own (its temporary ranking is its own; the table is not).
        cur = con.cursor()
        try:
            dedup("content", CONTENT, "content_id", cur)
            # The type's slug names files; its label, as the inventory wrote it, is what
            # pages show.
            cur.execute(
                "CREATE OR REPLACE TABLE content AS SELECT content_id, url, norm_url(url) AS "
                "url_key, title, type_slug(content_type) AS content_type, trim(content_type) "
                "AS content_type_label, published_at, author, tags, cost "
                "FROM content_ranked WHERE _rank = 1 ORDER BY content_id"
            )
        finally:
            cur.close()

    # The content table first, on a cursor of its own: the touches read it, and only it, so
    # their reading (most of the run) begins as soon as it is built. The contacts are then
    # keyed and sorted on that cursor while the rates, identities, deals and contacts are
    # built on another, beside the touches (each small statement is one DuckDB thread for
    # the most part; at 10M touches the small tables' steps left a core idle for half a
    # second before the touches' reading could begin). The content ranking says nothing but
    # the ledger's merged rows; the problems keep the order the tables are listed in.
    from concurrent.futures import ThreadPoolExecutor

    side = ThreadPoolExecutor(max_workers=2, thread_name_prefix="revstory-contacts")
    small = all(f.rows_read < SMALL_ROWS for f in files.values() if f.table != "touches")
    deal_cur = con.cursor()  # the deals' temporary tables (all_identities too) are its own

    def deal_side() -> list[Issue]:
        return _rates_to_deals(
            deal_cur,
            config,
            union_or_empty,
            files,
            lambda name, spec, key: dedup(name, spec, key, deal_cur),
            deal_tables,
            keyed.result,
        )

    try:
        with one_thread_each(con, small):
            content = side.submit(build_content)
            keyed = side.submit(
                _key_contacts,
                con,
                union_or_empty("deal_contacts", DEAL_CONTACTS),
                union_or_empty("deals", DEALS),
            )
            deal_tables = [t for _, t in checked.get("deals", [])]
            deal_issues = side.submit(deal_side)
            content.result()
        try:
            touch_issues = _build_touches(
                con, checked, files, deferred, read, keep_accounts=config.journey_mode == "account"
            )
        finally:
            deals_done = deal_issues.result()
        issues += deals_done
        issues += touch_issues
        # all_identities is the deals' cursor's (build_identities made it there).
        for file, n in resolve_people(deal_cur):
            add_ledger(con, files[file], "merged", MERGED_REASON, n)
    finally:
        side.shutdown()
        deal_cur.close()
    issues += _build_performance(con, union_or_empty, files)
    _count_kept(con, files)
    _drop_staged(con, files)
    return tuple(issues)


def _rates_to_deals(
    con: duckdb.DuckDBPyConnection,
    config: AttributionConfig,
    union_or_empty: Union,
    files: dict[str, StagedFile],
    dedup: Callable[[str, TableSpec, str], None],
    deal_tables: list[str],
    keyed: Callable[[], int],
) -> list[Issue]:
    """Build ``fx_rates``, ``identities``, ``deals`` and ``deal_contacts``; their problems.

    ``deal_tables``: the checked copies of the deals files. ``keyed`` waits for
    :func:`_key_contacts` (on its cursor) and gives its result.
    """
    issues: list[Issue] = []
    dedup("fx_rates", FX_RATES, "upper(currency), date")
    for file, n, examples in con.execute(
        "SELECT _file, count(*), list(upper(currency) || ' on ' || CAST(date AS VARCHAR) "
        "ORDER BY currency, date)[1:3] FROM (SELECT *, count(DISTINCT rate) OVER (PARTITION BY "
        "upper(currency), date) AS n_rates FROM fx_rates_ranked) WHERE _rank = 1 AND n_rates > 1 "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall():
        issues.append(
            Issue(
                "warning",
                file,
                f"{n} currency-day(s) have two or more different "
                f"rates ({', '.join(examples)}{', …' if n > 3 else ''}); the rate "
                "used is the one in the latest drop, then the later file, then the "
                "later row — this file's",
                "keep one rate per currency and day",
            )
        )
    con.execute(
        "CREATE OR REPLACE TABLE fx_rates AS SELECT upper(currency) AS currency, date, rate "
        "FROM fx_rates_ranked WHERE _rank = 1 ORDER BY currency, date"
    )

    from revstory.validate.identity import build_identities

    con.execute(
        "CREATE OR REPLACE TEMP TABLE all_identities AS " + union_or_empty("identities", IDENTITIES)
    )
    issues += build_identities(con)

    # Every deal id seen, valid or not, so a contact of a rejected deal is not "unknown" too.
    # A view, read once (by the unknown deals' anti-join, which hashes the ids anyway).
    seen = [f"SELECT t_deal_id AS deal_id FROM {t}" for t in deal_tables]  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    con.execute(
        "CREATE OR REPLACE TEMP VIEW seen_deal_ids AS "
        + (" UNION ALL ".join(seen) if seen else "SELECT NULL::VARCHAR AS deal_id WHERE false")
    )
    deal_issues, deals_complete = _build_deals(con, config, union_or_empty, files)
    issues += deal_issues
    issues += _build_contacts(con, union_or_empty, files, deals_complete, keyed())
    return issues


def _drop_staged(con: duckdb.DuckDBPyConnection, files: dict[str, StagedFile]) -> None:
    """Drop the staged copies of ``files``: free their memory before journeys are built."""
    stages = tuple(f.stage for f in files.values())
    for name, kind in con.execute(
        "SELECT view_name, 'VIEW' FROM duckdb_views() WHERE NOT internal UNION ALL "
        "SELECT table_name, 'TABLE' FROM duckdb_tables()"
    ).fetchall():
        base = name
        for suffix in (
            "_t",
            "_p",
            "_raw",
            "_shift",
            "_unknown",
            "_n",
            "_cid",
        ):  # _n: numbered again (touches); _cid: a touch file's content ids and their slugs
            base = base.removesuffix(suffix)
        if name in stages or base in stages:
            con.execute(f"DROP {kind} IF EXISTS {name}")


def _typed_empty(spec: TableSpec, extra: str) -> str:
    """Build a zero-row SELECT with the table's columns typed (plus ``extra`` columns).

    It is put first in a UNION ALL BY NAME so columns no file has come back NULL with the
    right type.
    """
    cols = ", ".join(f"CAST(NULL AS {_sqltype(c)}) AS {c.name}" for c in spec.columns)
    return f"SELECT {cols}, {extra} WHERE false"


def rank_latest(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, StagedFile],
    table: str,
    source: str,
    key: str,
    reason: str,
    select: str = "*",
    then: str = "",
    single: str | None = None,
    view: bool = False,
) -> bool:
    """Rank the copies of each key so later drops win; returns whether any key has two.

    ``table`` is ``source`` with ``_rank`` 1 for the latest drop's (then ``then``'s, e.g. the
    latest last-modified date, then file's, then row's) copy of each key; the other copies
    are counted in the ledger as merged, with ``reason``. ``single`` selects the columns of a
    key's only copy when ``select`` holds a window over the copies (default: ``select``).
    ``view``: when no key has two copies, ``table`` is a view of ``source`` (every row rank
    1) instead of a copy, for a caller that reads it once or twice.
    """
    order = f"_quarter DESC, {then + ', ' if then else ''}_file DESC, _row DESC"
    # Nearly every key has one copy: its row is kept as it is (rank 1), and only the keys
    # with two or more copies go through the window (a sort of every column of every row).
    # The keys repeated are found once, by one scan of the keys.
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table}_k AS SELECT row({key}) AS _k FROM {source} "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        "GROUP BY 1 HAVING count(*) > 1"
    )
    if not query_count(con, f"SELECT count(*) FROM {table}_k"):  # noqa: S608 - our own table name
        con.execute(f"DROP TABLE {table}_k")
        con.execute(
            f"CREATE OR REPLACE TEMP {'VIEW' if view else 'TABLE'} {table} AS "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
            f"SELECT {single or select}, CAST(1 AS BIGINT) AS _rank FROM {source}"
        )
        return False
    repeated = f"{table}_k k ON row({key}) IS NOT DISTINCT FROM k._k"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {single or select}, "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        f"CAST(1 AS BIGINT) AS _rank FROM {source} ANTI JOIN {repeated} UNION ALL "
        f"SELECT {select}, row_number() OVER (PARTITION BY {key} ORDER BY {order}) AS _rank "
        f"FROM {source} SEMI JOIN {repeated}"
    )
    con.execute(f"DROP TABLE {table}_k")
    for file, n in con.execute(
        f"SELECT _file, count(*) FROM {table} WHERE _rank > 1 GROUP BY 1 ORDER BY 1"  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    ).fetchall():
        add_ledger(con, files[file], "merged", reason, n)
    return True


def _sqltype(c: Column) -> str:
    return {
        "text": "VARCHAR",
        "int": "BIGINT",
        "number": "DOUBLE",
        "timestamp": "TIMESTAMPTZ",
        "date": "DATE",
        "bool": "BOOLEAN",
    }[c.kind]


def _drop_rows(
    con: duckdb.DuckDBPyConnection,
    files: dict[str, StagedFile],
    sql: str,
    severity: Severity,
    message: str,
    fix: str,
    column: str,
    reason: str,
) -> tuple[Issue, ...]:
    """Drop the rows selected by ``sql`` (columns: _file, _row, value), counted in the ledger.

    Returns their problems (each row up to :data:`MAX_EXAMPLES` per file, then a count).
    """
    issues: list[Issue] = []
    con.execute(f"CREATE OR REPLACE TEMP TABLE _bad AS {sql}")
    for file, n in con.execute("SELECT _file, count(*) FROM _bad GROUP BY 1 ORDER BY 1").fetchall():
        ex = con.execute(
            "SELECT _row, value FROM _bad WHERE _file = ? ORDER BY _row NULLS LAST, value "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
            f"LIMIT {MAX_EXAMPLES}",
            [file],
        ).fetchall()
        issues += row_issues(file, n, ex, severity, message, fix, column)
        add_ledger(con, files[file], "dropped", reason, n)
    return tuple(issues)


def row_issues(
    file: str,
    n: int,
    examples: list[tuple[int | None, object]],
    severity: Severity,
    message: str,
    fix: str,
    column: str,
) -> list[Issue]:
    """Say that ``n`` rows of ``file`` are dropped, listing the first ``examples`` (row, value).

    A warning about more than :data:`MAX_EXAMPLES` rows is one line quoting a few values.
    """
    if severity == "warning" and n > MAX_EXAMPLES:
        values = sorted({str(v) for _, v in examples})
        return [
            Issue(
                "warning",
                file,
                f"{n} rows dropped: their {column} {message} "
                f"(e.g. {', '.join(repr(v) for v in values[:5])})",
                fix,
                None,
                column,
            )
        ]
    issues = [
        Issue(severity, file, f'"{value}" {message}', fix, row, column) for row, value in examples
    ]
    if n > len(examples):
        issues.append(
            Issue(
                severity,
                file,
                f"… and {n - len(examples)} more rows where {column} {message}",
                fix,
                None,
                column,
            )
        )
    return issues


#: The columns of ``deals``, in their order; ``deals_fx`` has them first, then what only the
#: notes and the drops read (:func:`_build_deals`).
_DEAL_COLUMNS = (
    "deal_id, account_id, name, segment, industry, amount, currency, amount_minor, created_at, "
    "closed_at, close_cutoff, close_date_only, status, deal_type, quarter, _file, _row"
)
_DEAL_FX_EXTRA = ("own_account", "assumed_currency", "rate")


def _build_deals(
    con: duckdb.DuckDBPyConnection,
    config: AttributionConfig,
    union_or_empty: Union,
    files: dict[str, StagedFile],
) -> tuple[tuple[Issue, ...], bool]:
    """Build ``deals``; returns its problems and whether every ranked deal is in it.

    Every deal kept (no rate missing, no amount out of range, no close outside the quarters
    given): ``deals`` is ``deals_fx`` itself, the columns only the notes read dropped, not a
    copy; otherwise the deals kept are copied out of it.
    """
    reporting = config.reporting_currency
    digits = babel.numbers.get_currency_precision(reporting)
    # A view: the ranking reads every column once, the contacts only the deal ids.
    con.execute(f"CREATE OR REPLACE TEMP VIEW all_deals AS {union_or_empty('deals', DEALS)}")
    # Duplicates inside one file are errors (dropped), so only other drops/files can tie.
    # No deal in two files (the common case): deals_ranked is a view, read once, by deals_fx.
    repeated = rank_latest(
        con,
        files,
        "deals_ranked",
        "all_deals",
        "deal_id",
        "deal updated in a later drop or file",
        then="last_modified DESC NULLS LAST",
        view=True,
    )
    # Conflicting copies are two copies of a deal in one quarter: none without a repeated id.
    issues = list(_conflicting_deals(con)) if repeated else []
    quarters = ", ".join(f"'{q}'" for q in sorted({f.quarter for f in files.values()}))
    in_range = f"(amount IS NULL OR abs(amount * rate) < {MAX_NUMBER})"
    kept = f"rate IS NOT NULL AND quarter IN ({quarters or 'NULL'}) AND {in_range}"
    # A date without a time covers the whole day: such closes count touches up to midnight after.
    # The typed deals and their rate in one copy (deals_fx): the notes read it as well, and it
    # holds the columns of deals already, in their order and sorted as deals are. The rate of
    # each currency and day (a few thousand) is found once by the as-of join, then joined by
    # hash: an as-of join of every deal sorted all of their columns. Its keys are read from
    # the ranked deals with d's very expressions, not from ``d``: read twice, ``d`` was
    # materialised (every column of every deal) for them. The minor units only of the deals
    # kept: a product out of range overflows the DECIMAL (the drops below say why).
    # The dates were checked finite and in range: utc_naive is the cast to naive UTC (the
    # connection's time zone) without the cast's time-zone machinery on every value.
    con.execute(
        f"""
        CREATE OR REPLACE TABLE deals_fx AS
        WITH d AS (
        SELECT *, CAST(coalesce(closed_at, created_at) AS DATE) AS _day FROM (
        SELECT deal_id, coalesce(account_id, 'deal:' || deal_id) AS account_id,
               account_id IS NULL AS own_account, name, segment, industry, amount,
               coalesce(upper(currency), ?) AS currency, currency IS NULL AS assumed_currency,
               utc_naive(created_at) AS created_at, utc_naive(closed_at) AS closed_at,
               (closed_at IS NOT NULL AND utc_naive(closed_at)
                    = date_trunc('day', utc_naive(closed_at))) AS close_date_only,
               lower(status) AS status, lower(deal_type) AS deal_type, _file, _row, _quarter,
               CASE WHEN lower(status) = 'open' THEN _quarter
                    ELSE quarter_of(utc_naive(closed_at)) END AS quarter
        FROM deals_ranked WHERE _rank = 1)),
        day_rate AS (SELECT k.currency, k._day, f.rate
                     FROM (SELECT DISTINCT coalesce(upper(currency), ?) AS currency,
                                  CAST(coalesce(utc_naive(closed_at), utc_naive(created_at))
                                       AS DATE) AS _day
                           FROM deals_ranked WHERE _rank = 1) k
                     ASOF LEFT JOIN fx_rates f
                       ON k.currency = f.currency AND k._day >= f.date),
        r AS (SELECT d.* EXCLUDE (_day),
                     CASE WHEN d.currency = '{reporting}' THEN 1.0 ELSE r.rate END AS rate
              FROM d LEFT JOIN day_rate r
                ON d.currency = r.currency AND d._day IS NOT DISTINCT FROM r._day)
        SELECT deal_id, account_id, name, segment, industry, amount, currency,
               -- DECIMAL, not DOUBLE (0.285 × 100 is 28.4999… in binary): amounts to 6
               -- decimals, rates to 10, the product rounded half up (away from zero) to
               -- the minor unit: 15,950 GBP × 1.1717 = 18,688.615 → 18,688.62. The cast
               -- to BIGINT is that rounding (DuckDB rounds a DECIMAL cast to an integer
               -- half away from zero): a round() first was a second 128-bit division.
               CASE WHEN rate IS NOT NULL AND {in_range} THEN
                   coalesce(CAST(CAST(amount AS DECIMAL(38, 6))
                                 * CAST(rate AS DECIMAL(38, 10)) * {10**digits}
                                 AS BIGINT), 0) END AS amount_minor,
               created_at, closed_at,
               CASE WHEN close_date_only THEN closed_at + INTERVAL 1 DAY
                    ELSE closed_at + INTERVAL 1 MICROSECOND END
                   AS close_cutoff,
               close_date_only, status, deal_type, quarter, _file, _row,
               {", ".join(_DEAL_FX_EXTRA)}
        FROM r ORDER BY deal_id
        """,  # noqa: S608 - reporting currency is config-checked ^[A-Z]{3}$; quarters are folder names matched as YYYY-Qn
        [config.load.default_currency or reporting] * 2,
    )
    issues += _deal_notes(con, config)
    issues += _drop_rows(
        con,
        files,
        "SELECT _file, _row, currency AS value FROM deals_fx WHERE rate IS NULL",
        "error",
        f"has no exchange rate to {reporting}",
        "add an fx_rates file (currency, date, rate) with a rate for this currency on or "
        "before the deal's date, or set reporting_currency",
        "currency",
        "no exchange rate",
    )
    issues += _drop_rows(
        con,
        files,
        f"SELECT _file, _row, CAST(amount AS VARCHAR) || ' ' || currency AS value FROM deals_fx "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
        f"WHERE rate IS NOT NULL AND abs(amount * rate) >= {MAX_NUMBER}",
        "error",
        f"is out of range once converted to {reporting}: money must stay below "
        f"{MAX_NUMBER:,} (minor units are 64-bit integers)",
        "check the amount and the rate",
        "amount",
        "amount out of range",
    )
    issues += _drop_rows(
        con,
        files,
        f"SELECT _file, _row, quarter AS value FROM deals_fx WHERE rate IS NOT NULL "  # noqa: S608 - quarters are folder names matched as YYYY-Qn
        f"AND quarter NOT IN ({quarters or 'NULL'})",
        "warning",
        "is the quarter the deal closed in, and no drop for that quarter was given",
        "add that quarter's drop, or ignore: the deal is not reported",
        "closed_at",
        "closed outside the quarters given",
    )
    complete = _all_kept(con, kept)
    con.execute("DROP TABLE IF EXISTS deals")
    if complete:
        for column in _DEAL_FX_EXTRA:
            con.execute(f"ALTER TABLE deals_fx DROP COLUMN {column}")
        con.execute("ALTER TABLE deals_fx RENAME TO deals")
    else:
        con.execute(
            f"CREATE TABLE deals AS SELECT {_DEAL_COLUMNS} FROM deals_fx WHERE {kept} "  # noqa: S608 - SQL from our own table, column and rule names; quarters are folder names matched as YYYY-Qn
            "ORDER BY deal_id"
        )
        con.execute("DROP TABLE deals_fx")
    return tuple(issues), complete


def _all_kept(con: duckdb.DuckDBPyConnection, kept: str) -> bool:
    """Tell whether every row of ``deals_fx`` is a deal ``kept`` selects (none is dropped)."""
    return not query_count(
        con,
        f"SELECT count(*) FROM deals_fx WHERE NOT coalesce({kept}, false)",  # noqa: S608 - SQL from our own table, column and rule names; quarters are folder names matched as YYYY-Qn
    )


def _conflicting_deals(con: duckdb.DuckDBPyConnection) -> tuple[Issue, ...]:
    """Warn for the same deal in two files of one quarter with different figures.

    The warning lists each deal and which copy is used (so --strict fails on it).
    """
    rows = con.execute(
        """
        WITH q AS (
            -- Only deals with two copies in one quarter (rare) go through the windows.
            SELECT *, count(*) OVER (PARTITION BY deal_id, _quarter) AS copies,
                   count(DISTINCT coalesce(status, '') || '|' || coalesce(CAST(amount AS VARCHAR),
                         '') || '|' || coalesce(currency, '') || '|'
                         || coalesce(CAST(closed_at AS VARCHAR), ''))
                       OVER (PARTITION BY deal_id, _quarter) AS versions,
                   min(_rank) OVER (PARTITION BY deal_id, _quarter) AS best
            FROM deals_ranked r SEMI JOIN (SELECT deal_id, _quarter FROM deals_ranked
                GROUP BY ALL HAVING count(*) > 1) m
              ON r.deal_id IS NOT DISTINCT FROM m.deal_id AND r._quarter = m._quarter
        )
        SELECT deal_id, _quarter, list(_file ORDER BY _rank), list(status ORDER BY _rank),
               bool_or(last_modified IS NOT NULL)
        FROM q WHERE copies > 1 AND versions > 1 GROUP BY 1, 2 ORDER BY 2, 1
        """
    ).fetchall()
    issues: list[Issue] = []
    for deal_id, quarter, files, statuses, dated in rows:
        rule = (
            "the latest last-modified date" if dated else "no last-modified column: the later file"
        )
        shown = " vs ".join(f"{Path(f).name} ({s})" for f, s in zip(files, statuses, strict=True))
        issues.append(
            Issue(
                "warning",
                files[0],
                f"deal {deal_id} is in {len(files)} deals files "
                f"of {quarter} with different values: {shown}; the first is used "
                f"({rule})",
                "keep one export per deal and quarter, or export the Last Modified Date column",
            )
        )
    return tuple(issues)


def _deal_notes(con: duckdb.DuckDBPyConnection, config: AttributionConfig) -> tuple[Issue, ...]:
    """Warn for the defaults that carry an ordinary CRM export.

    Each is a warning per file naming the count and the setting that changes it (the deals
    stay in the report).
    """
    default = config.load.default_currency
    currency = (
        f"{default} (load: default_currency)"
        if default
        else f"{config.reporting_currency}, the reporting currency"
    )
    notes = [
        (
            "assumed_currency",
            False,
            f"have no currency (single-currency CRMs export none): their amounts are taken as "
            f"{currency}",
            f"set {setting('default_currency')} to the CRM's currency if it is another one",
        ),
        (
            "own_account",
            False,
            "have no company or account: each stands as its own account (contact mode is "
            "unaffected; with journey_mode: account no touch can match them)",
            "export the deals with their company (HubSpot Associated Company IDs) or Account ID "
            "(Salesforce) to match touches by account",
        ),
        (
            "status = 'won' AND amount IS NULL",
            True,
            "are won and have no amount: they stay won deals, with no revenue",
            "fill the amount in the CRM and export again",
        ),
        (
            "status <> 'won' AND amount IS NULL",
            False,
            "are open or lost and have no amount: they are kept, and pipeline counts their value "
            "as unknown, not zero",
            "fill the amount in the CRM if it is known",
        ),
        (
            "closed_at < created_at AND NOT (close_date_only AND "
            "CAST(closed_at AS DATE) = CAST(created_at AS DATE))",
            True,
            "closed before they were created (often deals imported from an older system): they "
            "are kept, their journeys run back from the close date, and they are left out of "
            "cycle-time figures",
            "fix the dates in the CRM if they are wrong, or ignore",
        ),
    ]
    issues: list[Issue] = []
    for condition, list_ids, message, fix in notes:
        for file, n, ids in con.execute(
            f"SELECT _file, count(*), list(deal_id ORDER BY _row) FROM deals_fx "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
            f"WHERE {condition} GROUP BY 1 ORDER BY 1"
        ).fetchall():
            shown = ""
            if list_ids:
                more = f" and {n - MAX_EXAMPLES} more" if n > MAX_EXAMPLES else ""
                shown = ": " + ", ".join(ids[:MAX_EXAMPLES]) + more
            issues.append(Issue("warning", file, f"{n} deal(s) {message}{shown}", fix))
    return tuple(issues)


def _key_contacts(con: duckdb.DuckDBPyConnection, contacts: str, deals: str) -> int:
    """Create ``dc_keyed``: the ``contacts`` of the ``deals`` ranked, keyed and sorted.

    ``contacts`` and ``deals`` are the SQL of the checked rows of every file of each table
    (plain tables: this runs on a cursor of its own, beside the deals' build, and a
    cursor's temporary objects are its own). The key is hashed once per row here, not once
    per window and once for the column; the columns deal_contacts keeps, in its order and
    sorted as it is, not the person ids (long strings). Returns how many keys (deal,
    person) have two or more rows. The person ids are clean already (file_table's
    ``clean_text``, no padding): their key is ``person_key`` without its trim, as the
    touches' is (``touch_select``).
    """
    cur = con.cursor()
    try:
        cur.execute(
            "CREATE OR REPLACE TABLE dc_keyed AS SELECT deal_id, hash(lower(person_id)) AS "  # noqa: S608 - SQL from our own table and column names
            "person_key, role, coalesce(is_primary, false) AS is_primary, seniority, _file, _row, "
            f"_quarter FROM ({contacts}) WHERE deal_id IN (SELECT deal_id FROM ({deals})) "
            "ORDER BY deal_id, person_key"
        )
        return query_count(
            cur,
            "SELECT count(*) FROM (SELECT 1 FROM dc_keyed GROUP BY deal_id, person_key "
            "HAVING count(*) > 1)",
        )
    finally:
        cur.close()


def _build_contacts(
    con: duckdb.DuckDBPyConnection,
    union_or_empty: Union,
    files: dict[str, StagedFile],
    deals_complete: bool,
    repeated: int,
) -> tuple[Issue, ...]:
    """Build ``deal_contacts``: the contacts of the deals kept, one per deal and person.

    ``dc_keyed`` holds the contacts of the deals ranked, keyed and sorted, and ``repeated``
    the keys it has twice (:func:`_key_contacts`). ``deals_complete``: every ranked deal is
    in ``deals`` (:func:`_build_deals`). Both (the common case): ranking would keep every
    row as it is, so ``dc_keyed`` is ``deal_contacts`` already, not copied again. Otherwise
    it goes through the ranking, and the contacts of the deals kept are copied out.
    """
    all_dc = union_or_empty("deal_contacts", DEAL_CONTACTS)
    con.execute(f"CREATE OR REPLACE TEMP VIEW all_dc AS {all_dc}")
    issues = _drop_rows(
        con,
        files,
        "SELECT _file, _row, deal_id AS value FROM all_dc WHERE deal_id NOT IN "
        "(SELECT deal_id FROM seen_deal_ids WHERE deal_id IS NOT NULL)",
        "warning",
        "is a deal_id not found in any deals file",
        "check the deal export covers the same deals",
        "deal_id",
        "unknown deal",
    )
    con.execute("DROP VIEW all_dc")
    con.execute("DROP VIEW all_deals")
    if deals_complete and not repeated:
        con.execute("ALTER TABLE dc_keyed DROP COLUMN _quarter")
        con.execute("DROP TABLE IF EXISTS deal_contacts")
        con.execute("ALTER TABLE dc_keyed RENAME TO deal_contacts")
        return issues
    rank_latest(
        con,
        files,
        "dc_ranked",
        "dc_keyed",
        "deal_id, person_key",
        "same contact on the same deal",
        # The copy kept may lack the level another copy gives (a CRM's deal export beside a
        # file with titles): the contact keeps any level one of its copies had.
        select="deal_id, person_key, role, is_primary, seniority, _file, _row, "
        "max(seniority) OVER (PARTITION BY deal_id, person_key) AS any_seniority",
        single="deal_id, person_key, role, is_primary, seniority, _file, _row, "
        "seniority AS any_seniority",
    )
    con.execute(
        "CREATE OR REPLACE TABLE deal_contacts AS SELECT deal_id, person_key, role, "
        "is_primary, coalesce(seniority, any_seniority) AS seniority, _file, _row FROM dc_ranked "
        "WHERE _rank = 1 "
        "AND deal_id IN (SELECT deal_id FROM deals) ORDER BY deal_id, person_key"
    )
    con.execute("DROP TABLE dc_keyed")
    return issues


def touch_empty(coded: bool = False) -> str:
    """Build the zero-row typed frame a touch file's checked rows are united with (by name).

    ``coded``: the matched piece is a ``piece_id`` (:func:`touch_select`).
    """
    return _typed_empty(
        TOUCHES,
        "CAST(NULL AS INTEGER) AS _fid, CAST(NULL AS BIGINT) AS _row, "
        "CAST(NULL AS INTEGER) AS _reason, CAST(NULL AS BOOLEAN) AS _fast, "
        f"CAST(NULL AS {'piece_id' if coded else 'VARCHAR'}) AS _matched",
    )


def touch_part(fid: int, f: StagedFile, t: str) -> str:
    """Select the typed columns of touch file ``f``'s checked table ``t`` as file ``fid``."""
    cols = ", ".join(
        f"t_{c.name} AS {c.name}" for c in TOUCHES.columns if c.name in f.columns_lower
    )
    return f"SELECT {cols}, {fid} AS _fid, _row, _reason, _fast, _matched FROM {t}"  # noqa: S608 - SQL from our own table, column and rule names; values are bound


def touch_select(source: str, keep_accounts: bool, by_url: bool, coded: bool = False) -> str:
    """Build the canonical touch rows of checked rows ``source`` (its content matched).

    Columns: the canonical touch columns, then ``_fid``, ``_row``, ``_reason`` and
    ``_unknown`` (the content id or URL no piece of ``content`` matches). ``by_url`` joins
    URLs too (some file has a url column). DuckDB runs it here and, with ``engine: spark``,
    on Spark's executors over their share of the touches (revstory/engines/touches.py).

    ``_matched`` (the piece file_table's map of content ids found) spares those rows the
    join with ``content``: their join key is NULL. ``_fast`` (the row passed every check at
    once) says the touch type is one of the allowed values as written. The person id is
    already clean (file_table's ``clean_text``): its key is ``person_key`` without the trim.

    ``coded`` (the types of :func:`code_types` exist): the piece is a ``piece_id`` and the
    touch type a ``touch_kind``, the ENUMs of the inventory's ids and of the allowed types;
    a failed row's touch type is NULL (nothing reads it). Written as text, these two columns
    of a 7M-touch file cost 0.57 s of the 1.71 s its checked copy took beyond the reading
    (the channel, an open set, stays text: a cast to an ENUM costs what writing it does).
    """
    piece = "piece_id" if coded else "VARCHAR"
    content = f"(SELECT content_id, url_key, CAST(content_id AS {piece}) AS piece FROM content)"  # noqa: S608 - our own type name
    url_join = (
        f"LEFT JOIN {content} c2 ON t.content_id IS NULL AND norm_url(t.url) = c2.url_key"
        if by_url
        else f"LEFT JOIN (SELECT NULL::{piece} AS piece WHERE false) c2 ON false"
    )
    allowed = ", ".join(f"'{t}'" for t in TOUCHES.column("touch_type").allowed)
    touch_type = f"""CASE WHEN t._fast THEN t.touch_type
                    WHEN t.touch_type IN ({allowed}) THEN t.touch_type
                    ELSE lower(trim(t.touch_type)) END"""
    if coded:
        touch_type = f"CASE WHEN t._reason IS NULL THEN CAST({touch_type} AS touch_kind) END"
    return f"""
        SELECT utc_naive(t.occurred_at) AS occurred_at,
               hash(lower(t.person_id)) AS person_key,
               {"t.account_id" if keep_accounts else "CAST(NULL AS VARCHAR)"} AS account_id,
               coalesce(t._matched, c1.piece, c2.piece) AS content_id,
               {touch_type} AS touch_type,
               coalesce(t.channel, '(none)') AS channel,
               t._fid, t._row, t._reason,
               CASE WHEN t._matched IS NULL AND c1.piece IS NULL AND c2.piece IS NULL
                    THEN coalesce(t.content_id, t.url) END AS _unknown
        FROM {source} t
        LEFT JOIN {content} c1
               ON CASE WHEN t._matched IS NULL THEN t.content_id END = c1.content_id
        {url_join}
        """  # noqa: S608 - SQL from our own table, column and rule names; values are bound


def code_types(con: duckdb.DuckDBPyConnection) -> None:
    """Create the ENUMs ``piece_id`` (the inventory's content ids) and ``touch_kind``.

    Both in byte order, the order of their text: a sort or a comparison by them is the
    text's. ``content`` must be built.
    """
    kinds = ", ".join(f"'{t}'" for t in sorted(TOUCHES.column("touch_type").allowed))
    con.execute(f"CREATE OR REPLACE TYPE touch_kind AS ENUM ({kinds})")
    con.execute(
        "CREATE OR REPLACE TYPE piece_id AS ENUM "
        "(SELECT content_id FROM content WHERE content_id IS NOT NULL ORDER BY content_id)"
    )


def _build_touches(
    con: duckdb.DuckDBPyConnection,
    checked: dict[str, list[tuple[StagedFile, str]]],
    files: dict[str, StagedFile],
    deferred: list[tuple[int, tuple[StagedFile, str, list[Check]]]],
    read: dict[str, tuple[int, tuple[Issue, ...]]],
    keep_accounts: bool = True,
) -> tuple[Issue, ...]:
    """Check the touches and build their canonical table in one materialisation.

    Touches are the big table: every check, the content match and the final columns happen
    in one materialisation (``touches_checked``); ``touches`` is a filtering view over it.
    Row problems of native touch files (``deferred``) are reported from it afterwards; the
    rows of a file read on the fast path (no row numbers) are read again, numbered, when one
    of them has a problem, so that every message names its row.
    Account ids are kept only for account-mode journeys (ten million strings otherwise).
    """
    code_types(con)
    empty = touch_empty(coded=True)
    part = touch_part
    sources = checked.get("touches", [])
    con.execute("CREATE OR REPLACE TEMP TABLE touch_files (_fid INTEGER, _file VARCHAR)")
    for fid, (f, _) in enumerate(sources):
        con.execute("INSERT INTO touch_files VALUES (?, ?)", [fid, f.path])
    by_url = any("url" in f.columns_lower for f, _ in sources)
    # Row order of touches carries no meaning (journeys sort explicitly): let DuckDB stream.
    con.execute("SET preserve_insertion_order = false")

    # A deferred file's rows have no line numbers (a problem row's are found by reading it
    # again, numbered): when every file is deferred, _row is NULL in every row, not stored.
    # DuckDB holds a column of NULLs in full: 0.16 CPU s and 97 MiB per 10M BIGINTs.
    row_numbers = not all(f.deferred for f, _ in sources)
    row = "t._row" if row_numbers else "CAST(NULL AS BIGINT)"

    def checked_select(source: str, rows: bool = row_numbers) -> str:
        select = touch_select(source, keep_accounts, by_url, coded=True)
        # Person journeys have no account ids: NULL in every row, not stored (the touches
        # view gives them). A column of NULLs cost 0.06-0.13 CPU s and 29 MiB per 7M rows.
        unstored = [c for c, kept in (("account_id", keep_accounts), ("_row", rows)) if not kept]
        return f"SELECT * EXCLUDE ({', '.join(unstored)}) FROM ({select})" if unstored else select  # noqa: S608 - our own SQL

    by_fid = {fid: entry for fid, entry in deferred}
    # One file at a time, so a file's staged copy can go as soon as its checked rows are in:
    # at 10M touches the two copies side by side were the run's peak memory.
    con.execute(
        "CREATE OR REPLACE TABLE touches_checked AS " + checked_select(f"({empty})") + " LIMIT 0"
    )
    kept: dict[int, int] = {}  # rows read of the files read here (no staged copy to count)
    for fid, (f, t) in enumerate(sources):
        one = f"({empty} UNION ALL BY NAME {part(fid, f, t)})"
        insert = "INSERT INTO touches_checked " + checked_select(one)
        if f.deferred:
            kept[fid], rows, problems = _read_touch_file(con, f, insert, by_url)
            read[f.path] = (rows, problems)
            files[f.path] = replace(f, rows_read=rows)
        else:
            con.execute(insert)
        if fid in by_fid:
            _free_if_clean(con, fid, f)
    con.execute("SET preserve_insertion_order = true")
    # Unknown content of the files read again: (file, line, value), from the numbered copy.
    unknown = [
        f"SELECT f._file, {row} AS _row, t._unknown AS value FROM touches_checked t "  # noqa: S608 - our own SQL
        "JOIN touch_files f USING (_fid) WHERE t._reason IS NULL AND t.content_id IS NULL"
    ]
    # A file read on the fast path has no row numbers: it is read again, numbered, when a
    # message is to name its rows: a failed check (examples are listed with their rows), or
    # unknown content few enough to be listed row by row (more are summed up without rows).
    numbered_again = []
    for fid, failed, unmatched in con.execute(
        "SELECT _fid, count(*) FILTER (WHERE _reason IS NOT NULL), "  # noqa: S608 - our own SQL
        "count(*) FILTER (WHERE _reason IS NULL AND content_id IS NULL) FROM touches_checked t "
        f"WHERE {row} IS NULL AND (_reason IS NOT NULL OR content_id IS NULL) "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall():
        if fid not in by_fid or not (failed or unmatched <= MAX_EXAMPLES):
            continue
        f, _, checks = by_fid[fid]
        view = number_touch_rows(con, f, kept.get(fid))
        if view is None:
            continue
        # touches_checked keeps its rows (rewriting ten million would cost their memory
        # again): only the problem rows are taken from the numbered copy, for the messages.
        numbered = file_table(con, f, TOUCHES, checks, True, source=view)
        one = f"({empty} UNION ALL BY NAME {part(fid, f, numbered)})"
        numbered_again.append(view)
        by_fid[fid] = (f, numbered, checks)
        if unmatched and unmatched <= MAX_EXAMPLES:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {view}_unknown AS SELECT ? AS _file, _row, "  # noqa: S608 - SQL from our own table, column and rule names; values are bound
                f"_unknown AS value FROM ({checked_select(one, rows=True)}) "
                "WHERE _reason IS NULL AND content_id IS NULL",
                [f.path],
            )
            unknown[0] += f" AND t._fid <> {int(fid)}"
            unknown.append(f"SELECT _file, _row, value FROM {view}_unknown")  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    issues: list[Issue] = []
    for fid, (f, table, checks) in sorted(by_fid.items()):
        counts = con.execute(
            "SELECT _reason, count(*) FROM touches_checked WHERE _fid = ? AND _reason IS NOT NULL "
            "GROUP BY 1 ORDER BY 1",
            [fid],
        ).fetchall()
        report = report_checks(con, f, table, checks, counts)
        issues += report.issues
        for idx, count in report.counts:
            ch = checks[idx]
            add_ledger(con, f, "dropped", f"{ch.column or 'row'} {ch.message}", count)
    issues += _drop_rows(
        con,
        files,
        " UNION ALL ".join(unknown),
        "warning",
        "is not in the content inventory",
        "add the pieces to the content file, or check the ids/URLs match",
        "content_id",
        "unknown content",
    )
    for view in numbered_again:  # a copy of a big file: free it before the next steps
        for name, kind in (
            (f"{view}_unknown", "TABLE"),
            (f"{view}_t", "VIEW"),
            (f"{view}_p", "VIEW"),
            (f"{view}_cid", "TABLE"),
            (view, "VIEW"),
            (f"{view}_shift", "TABLE"),
            (f"{view}_raw", "TABLE"),
        ):
            con.execute(f"DROP {kind} IF EXISTS {name}")
    account = "account_id" if keep_accounts else "CAST(NULL AS VARCHAR) AS account_id"
    con.execute(
        f"CREATE OR REPLACE VIEW touches AS SELECT occurred_at, person_key, {account}, "  # noqa: S608 - our own SQL
        "content_id, touch_type, channel FROM touches_checked "
        "WHERE _reason IS NULL AND content_id IS NOT NULL"
    )
    return tuple(issues)


def _read_touch_file(
    con: duckdb.DuckDBPyConnection, f: StagedFile, insert: str, by_url: bool
) -> tuple[int, int, tuple[Issue, ...]]:
    """Run ``insert`` (checked rows of a deferred touch file into ``touches_checked``).

    The file's one reading: strict first (DuckDB's reject bookkeeping costs ~15 % on ten
    million rows); only when that fails is it read with the reject tables, to say which
    lines are bad and why, as the load stage did for files it staged. Returns (rows kept,
    rows read = kept + unreadable lines, the unreadable lines' problems).
    """
    if "content_id" in f.columns_lower:  # file_table's map of content ids to slugs
        fill_content_slugs(con, f.stage)
    path = Path(f.path)
    con.execute(read_touches_sql(f.stage, path, f.columns, f.quarter, rejects=False))
    try:
        ((inserted,),) = con.execute(insert).fetchall()
        con.execute(
            f"CREATE OR REPLACE TABLE {f.stage}_rejects (line BIGINT, column_name VARCHAR, "
            "error_type VARCHAR, csv_line VARCHAR)"
        )
    except duckdb.Error:  # the failed statement wrote nothing: read again, rejects kept
        con.execute(read_touches_sql(f.stage, path, f.columns, f.quarter, rejects=True))
        try:
            ((inserted,),) = con.execute(insert).fetchall()
        except duckdb.Error as exc:
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            return (
                0,
                0,
                (
                    Issue(
                        "error",
                        f.path,
                        f"cannot be read ({first})",
                        "check that every line has as many fields as the header",
                    ),
                ),
            )
    rows = int(inserted)
    if by_url and query_count(
        con, "SELECT count(*) FROM (SELECT url_key FROM content GROUP BY 1 HAVING count(*) > 1)"
    ):
        # Two pieces with one URL: a touch naming it by URL is in touches_checked twice, so
        # the rows inserted are not the file's; count those again (a rare inventory).
        rows = count_touch_rows(con, f)
    unreadable = query_count(con, f"SELECT count(DISTINCT line) FROM {f.stage}_rejects")  # noqa: S608 - SQL from our own table, column and rule names; values are bound
    problems = report_rejects(con, f, unreadable)
    return rows, rows + unreadable, problems


def _free_if_clean(con: duckdb.DuckDBPyConnection, fid: int, f: StagedFile) -> None:
    """Drop a native touch file's staged copy once its rows are in ``touches_checked``.

    Only a file none of whose rows failed a check or named unknown content: nothing reads
    its copy again (messages list rows of the others, which may be read again, numbered).
    """
    ((failed, unknown),) = con.execute(
        "SELECT count(*) FILTER (WHERE _reason IS NOT NULL), count(*) FILTER (WHERE _reason "
        "IS NULL AND content_id IS NULL) FROM touches_checked WHERE _fid = ?",
        [fid],
    ).fetchall()
    if failed or unknown:
        return
    for name, kind in (
        (f"{f.stage}_t", "VIEW"),
        (f"{f.stage}_p", "VIEW"),
        (f"{f.stage}_cid", "TABLE"),
        (f"{f.stage}_piece", "MACRO"),
        (f.stage, "VIEW"),
        (f"{f.stage}_raw", "TABLE"),
    ):
        con.execute(f"DROP {kind} IF EXISTS {name}")


def _build_performance(
    con: duckdb.DuckDBPyConnection, union_or_empty: Union, files: dict[str, StagedFile]
) -> tuple[Issue, ...]:
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
        -- The pieces' paths (a regular expression each) only when a row has no content id.
        LEFT JOIN (SELECT url_path(url) AS path, min(content_id) AS content_id FROM content
                   WHERE EXISTS (SELECT 1 FROM all_perf WHERE content_id IS NULL)
                   GROUP BY 1 HAVING count(*) = 1) c3
          ON p.content_id IS NULL AND c2.content_id IS NULL AND url_host(p.url) = ''
         AND url_path(p.url) = c3.path
        """
    )
    from revstory.validate.inventory import add_analytics_only

    issues = list(add_analytics_only(con, files))
    # Two reports of the same page and period (a report exported twice, "… (1).csv") count
    # once: the later file's rows are kept, the earlier file's are merged into them.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE perf_repeat AS SELECT _file, _row FROM (SELECT _file, "
        "_row, max(_file) OVER (PARTITION BY cid, period_start, period_end) AS last_file "
        "FROM perf_matched WHERE cid IS NOT NULL) WHERE _file <> last_file"
    )
    for file, n in con.execute(
        "SELECT _file, count(*) FROM perf_repeat GROUP BY 1 ORDER BY 1"
    ).fetchall():
        add_ledger(con, files[file], "merged", "same page and period in a later report", n)
        issues.append(
            Issue(
                "warning",
                file,
                f"{n} row(s) repeat pages and periods of a later "
                "report; they are counted once, from the later file",
                "keep one export per report and period",
            )
        )
    con.execute(
        "DELETE FROM perf_matched USING perf_repeat r WHERE perf_matched._file = "
        "r._file AND perf_matched._row IS NOT DISTINCT FROM r._row"
    )
    issues += _drop_rows(
        con,
        files,
        "SELECT _file, _row, coalesce(content_id, url) AS value FROM perf_matched "
        "WHERE cid IS NULL",
        "warning",
        "is not in the content inventory",
        "add the piece to the content file",
        "content_id",
        "unknown content",
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
    return tuple(issues)


def _count_kept(con: duckdb.DuckDBPyConnection, files: dict[str, StagedFile]) -> None:
    # One query for every file's rows dropped or merged, one insert for their kept rows.
    done = {
        str(f): int(n)
        for f, n in con.execute("SELECT file, sum(rows) FROM ledger GROUP BY 1").fetchall()
    }
    kept = [(f, f.rows_read - done.get(f.path, 0)) for f in files.values()]
    rows = [[f.path, f.table, f.quarter, "kept", "", n] for f, n in kept if n]
    if rows:
        values = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows))
        cols = "file, table_name, quarter, outcome, reason, rows"
        con.execute(
            f"INSERT INTO ledger ({cols}) VALUES {values}",  # noqa: S608 - placeholders only; values are bound
            [v for r in rows for v in r],
        )
