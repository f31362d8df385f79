"""Spell the few expressions DuckDB and Spark SQL write differently.

:func:`shared_sql` fills them into the shared queries of ``revstory/sql/``. Each spelling is
checked equal on both engines by tests/engines/test_queries.py.

Measured on this project's versions (DuckDB 2.0, Spark 4.3): window functions, ``QUALIFY``,
``MAX_BY``, ``lag``/``lead``, range joins with ``BETWEEN``, ``FILTER (WHERE …)``,
``GROUP BY ALL``, ``JOIN … USING``, ``count(DISTINCT …)`` and ``dense_rank`` give the same
results as written; these do not:

- day differences: DuckDB's ``date_diff('day', a, b)`` is Spark's ``datediff(b, a)``
  (arguments reversed); on timestamps DuckDB counts day boundaries and Spark whole days, so
  both are only ever applied to dates;
- seconds since the epoch: DuckDB's ``epoch(ts)`` is ``unix_micros(ts) / 1e6`` in Spark, as a
  double (the same double: both divide the microsecond count);
- the sorted set of a group's values: DuckDB's ``list_sort(list(DISTINCT x))`` is Spark's
  ``array_sort(collect_set(x))`` (sqlglot turns ordered lists into ``collect_list`` and drops
  the order, so neither is translated);
- ``1.0 / count(*)`` is a double in DuckDB and a decimal in Spark, so no shared query divides
  by a count (the weights are computed in numpy, revstory/attribute/touch_credit.py).
"""

from __future__ import annotations

from importlib import resources

from revstory.engines import EngineName

SPELLINGS: dict[str, dict[str, str]] = {
    "duckdb": {
        "close_days": "date_diff('day', CAST(j.occurred_at AS DATE), CAST(w.closed_at AS DATE))",
        "close_seconds": "epoch(w.closed_at) - epoch(j.occurred_at)",
        "type_set": "list_sort(list(DISTINCT player))",
    },
    "spark": {
        "close_days": "datediff(CAST(w.closed_at AS DATE), CAST(j.occurred_at AS DATE))",
        "close_seconds": "CAST(unix_micros(w.closed_at) AS DOUBLE) / 1000000.0"
        " - CAST(unix_micros(j.occurred_at) AS DOUBLE) / 1000000.0",
        "type_set": "array_sort(collect_set(player))",
    },
}


def shared_sql(name: str, engine: EngineName, **literals: object) -> str:
    """Return the text of ``sql/<name>.sql`` for ``engine``, its ``{placeholders}`` filled.

    ``literals`` fill the query's own placeholders (integers, booleans as TRUE/FALSE, strings
    as given: SQL fragments the caller builds); the engine's spellings (:data:`SPELLINGS`)
    fill the rest.
    """
    text = resources.files("revstory.sql").joinpath(f"{name}.sql").read_text(encoding="utf-8")
    values = {k: _literal(v) for k, v in literals.items()}
    return text.format(**SPELLINGS[engine], **values)


def _literal(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(f"not a SQL literal: {value!r}")
