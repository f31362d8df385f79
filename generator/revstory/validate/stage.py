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

from collections.abc import Callable
from dataclasses import dataclass, replace
from importlib import resources

import duckdb

from revstory.config import AttributionConfig
from revstory.contracts import TABLES_BY_NAME, TOUCHES, TableSpec
from revstory.errors import Issue
from revstory.load.discover import SMALL_ROWS, Staged, StagedFile, one_thread_each
from revstory.validate.canonical import build_canonical
from revstory.validate.checks import (
    Check,
    add_ledger,
    column_checks,
    file_table,
    placeholder_macro,
    report_checks,
    report_rejects,
    report_renamed_ids,
    rule_checks,
    slug_macros,
)


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
        """List the problems that are errors."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """List the problems that are warnings."""
        return [i for i in self.issues if i.severity == "warning"]


def validate(staged: Staged, config: AttributionConfig) -> Drop:
    """Check every staged file and build the canonical tables (see module docstring)."""
    con = staged.con
    issues = list(staged.issues)
    con.execute(resources.files("revstory.sql").joinpath("macros.sql").read_text())
    con.execute(placeholder_macro())
    for macro in slug_macros():
        con.execute(macro)
    con.execute(
        "CREATE OR REPLACE TABLE ledger (file VARCHAR, table_name VARCHAR, "
        "quarter VARCHAR, outcome VARCHAR, reason VARCHAR, rows BIGINT)"
    )
    by_table: dict[str, list[StagedFile]] = {}
    for f in staged.files:
        by_table.setdefault(f.table, []).append(f)

    missing_tables = [
        spec
        for spec in TABLES_BY_NAME.values()
        if spec.required_file and not by_table.get(spec.name)
    ]
    if (staged.files or staged.unrecognised) and not by_table.get("deals"):
        # Without deals there is no revenue to attribute: one error naming every table missing.
        names = ", ".join(spec.name for spec in missing_tables)
        issues.append(
            Issue(
                "error",
                ", ".join(staged.quarters) + " drop",
                f"no deals file was recognised (missing: {names}), so there is nothing to report",
                "add the CRM's deals export (HubSpot deals, Salesforce "
                "opportunities) or a native deals file (deal_id, amount, created_at, "
                "status, deal_type); `revstory validate` lists the files it read",
            )
        )
    elif staged.files:
        for spec in missing_tables:
            cols = ", ".join(c.name for c in spec.columns if c.required)
            issues.append(
                Issue(
                    "error",
                    ", ".join(staged.quarters) + " drop",
                    f"no {spec.name} file found",
                    f"add a CSV or Parquet file with the columns {cols}",
                )
            )

    checked: dict[str, list[tuple[StagedFile, str]]] = {}
    # Native touch files are reported after the one pass that builds the touches table.
    deferred: list[tuple[int, tuple[StagedFile, str, list[Check]]]] = []
    # Files the load stage left unread (StagedFile.deferred): where their unreadable lines
    # go in the list of problems, as if they had been read here.
    unread_at: list[tuple[int, str]] = []
    read: dict[str, tuple[int, tuple[Issue, ...]]] = {}
    plans = [_plan(f, config) for f in staged.files]
    # The small tables' checked copies first, two at a time on cursors; the touches' ones
    # (views over the big files, temporary: the connection's) meanwhile, in file order.
    jobs = {
        i: (f, spec, checks)
        for i, (f, (spec, missing, checks)) in enumerate(zip(staged.files, plans, strict=True))
        if not missing
    }

    def touch_tables() -> dict[int, str]:
        return {
            i: file_table(con, f, spec, checks, f.source == "native", content_slugs=f.deferred)
            for i, (f, spec, checks) in jobs.items()
            if spec is TOUCHES
        }

    copies = _checked_copies(
        con, {i: job for i, job in jobs.items() if job[1] is not TOUCHES}, touch_tables
    )
    for i, (f, (spec, missing, checks)) in enumerate(zip(staged.files, plans, strict=True)):
        if missing:
            need = ", ".join(c.name for c in spec.columns if c.required)
            what = f"column {missing[0]}" if len(missing) == 1 else "columns " + ", ".join(missing)
            issues.append(
                Issue(
                    "error",
                    f.path,
                    f"has no {what} (found: {', '.join(f.columns)})",
                    f"add {'it' if len(missing) == 1 else 'them'}; {spec.name} files need {need}",
                    None,
                    ", ".join(missing),
                )
            )
            add_ledger(con, f, "dropped", "missing column", f.rows_read)
            continue
        typed_ts = spec is TOUCHES and f.source == "native"
        table = copies[i]
        if f.deferred:  # read with the checks: its unreadable lines are reported here, later
            unread_at.append((len(issues), f.path))
        elif typed_ts:
            issues += report_rejects(con, f)
        if typed_ts:
            deferred.append((len(checked.get("touches", [])), (f, table, checks)))
        else:
            if spec.name == "content":
                issues += report_renamed_ids(con, f, table)
            report = report_checks(con, f, table, checks, stored=spec is not TOUCHES)
            issues += report.issues
            for idx, count in report.counts:
                ch = checks[idx]
                add_ledger(con, f, "dropped", f"{ch.column or 'row'} {ch.message}", count)
        checked.setdefault(spec.name, []).append((f, table))

    issues += build_canonical(con, checked, config, deferred, read)
    for place, path in reversed(unread_at):
        issues[place:place] = read[path][1]
    files = tuple(replace(f, rows_read=read[f.path][0]) if f.deferred else f for f in staged.files)
    from revstory.validate.ledger import add_load_rows

    add_load_rows(con, files, staged.unrecognised)
    return Drop(
        con=con,
        quarters=staged.quarters,
        files=files,
        issues=tuple(issues),
        reporting_currency=config.reporting_currency,
    )


def _plan(f: StagedFile, config: AttributionConfig) -> tuple[TableSpec, list[str], list[Check]]:
    """Return the table of ``f``, the required columns it lacks, and its checks in order."""
    spec = TABLES_BY_NAME[f.table]
    present = set(f.columns_lower) & set(spec.names)
    missing = [c.name for c in spec.columns if c.required and c.name not in present]
    for group in spec.one_of:
        if not present & set(group):
            missing.append(" or ".join(group))
    typed_ts = spec is TOUCHES and f.source == "native"
    checks = column_checks(spec, present - set(f.unread), typed_ts) + [
        c for c in rule_checks(spec, present, config.reporting_currency) if c.column not in f.unread
    ]
    return spec, missing, checks


def _checked_copies(
    con: duckdb.DuckDBPyConnection,
    jobs: dict[int, tuple[StagedFile, TableSpec, list[Check]]],
    meanwhile: Callable[[], dict[int, str]],
) -> dict[int, str]:
    """Make the checked copy (:func:`file_table`) of each small table's file of ``jobs``.

    A small file's copy runs on one thread of DuckDB (100k deals are one row group): two are
    made side by side, each on a cursor of its own (DuckDB releases the GIL meanwhile), the
    largest first, while ``meanwhile`` runs here, on the connection (it makes the touch
    files' views, whose binding alone took ~0.1 s at 10M with a core idle). Each cursor
    takes the connection's time zone, which the timestamps' casts read: it is a setting of
    the session, which a cursor does not inherit. Returns the checked table of each job, by
    its key, and the tables ``meanwhile`` gives.
    """
    if len(jobs) < 2:
        alone = {
            i: file_table(con, f, spec, checks, False) for i, (f, spec, checks) in jobs.items()
        }
        for f, _, _ in jobs.values():
            _drop_staged_copy(con, f)
        return alone | meanwhile()
    from concurrent.futures import ThreadPoolExecutor

    ((zone,),) = con.execute("SELECT current_setting('TimeZone')").fetchall()
    cursors = [con.cursor() for _ in range(2)]
    free = list(cursors)
    done: dict[int, str] = {}

    def one(i: int) -> None:
        cur = free.pop()  # list.pop is atomic: each running call has its own cursor
        try:
            f, spec, checks = jobs[i]
            done[i] = file_table(cur, f, spec, checks, False)
            _drop_staged_copy(cur, f)
        finally:
            free.append(cur)

    largest = sorted(jobs, key=lambda i: -jobs[i][0].rows_read * len(jobs[i][0].columns))
    try:
        for cur in cursors:
            cur.execute("SET TimeZone = '" + str(zone).replace("'", "''") + "'")
        small = all(f.rows_read < SMALL_ROWS for f, _, _ in jobs.values())
        with (
            one_thread_each(con, small),
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="revstory-check") as pool,
        ):
            copies = [pool.submit(one, i) for i in largest]
            made = meanwhile()
            for copy in copies:
                copy.result()
    finally:
        for cur in cursors:
            cur.close()
    return done | made


def _drop_staged_copy(con: duckdb.DuckDBPyConnection, f: StagedFile) -> None:
    """Drop a small table's staged copy once its checked copy is made.

    Nothing reads the staged text again (the union, the reports and the messages read the
    checked copy): its memory is free before the touches are read, not after.
    """
    con.execute(f"DROP TABLE IF EXISTS {f.stage}")
