"""Every shared query (revstory/sql/*.sql, read through revstory.engines.dialect.shared_sql)
on DuckDB and on Spark over the same validated drop: the same rows, value for value."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from revstory.attribute.data_driven import journey_query
from revstory.attribute.stage import won_touches_sql
from revstory.config import make_config
from revstory.engines.dialect import SPELLINGS, shared_sql
from revstory.engines.spark import stage_tables
from revstory.journeys import build_journeys, sql
from revstory.pipeline import check

pytestmark = pytest.mark.slow

#: DuckDB's unsigned person keys, shifted as the Spark staging does (order kept).
SIGNED = "CAST(CAST(person_key AS HUGEINT) - 9223372036854775808 AS BIGINT)"


def normal(frame: pd.DataFrame) -> pd.DataFrame:
    """Same dtypes for both engines' frames (ints, naive timestamps, lists), rows sorted."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].astype("datetime64[us]")
        elif pd.api.types.is_bool_dtype(out[col]):
            continue
        elif pd.api.types.is_numeric_dtype(out[col]):
            if (out[col].dropna() % 1 == 0).all() and col != "days_before_close":
                out[col] = out[col].astype("int64")
        elif out[col].map(lambda v: isinstance(v, list | np.ndarray)).any():
            out[col] = out[col].map(lambda v: "|".join(v))
        elif out[col].map(lambda v: v is None or isinstance(v, str)).all():
            # DuckDB gives an all-NULL VARCHAR column as object, Spark as str: the same text.
            out[col] = out[col].astype(pd.StringDtype(na_value=np.nan))
    return out.sort_values(list(out.columns), ignore_index=True)


@pytest.fixture(scope="module", params=["contact", "account"])
def engines(
    request: pytest.FixtureRequest,
    spark: Any,
    edge_drop: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, Any]]:
    """The edge drop's journeys on DuckDB and on Spark, once per journey mode."""
    config = make_config({"journey_mode": request.param})
    duck = build_journeys(check([edge_drop], config), config)
    other = check([edge_drop], config)
    folder = tmp_path_factory.mktemp(f"staging-{request.param}")
    journeys = stage_tables(other.con.cursor(), config, spark, folder)
    yield duck.con, spark
    journeys.unpersist()


def both(engines: Any, query: str, spark_query: str | None = None) -> tuple[pd.DataFrame, ...]:
    """``query`` on DuckDB (person keys shifted as staged) and ``spark_query`` (default: the
    same text) on Spark, both :func:`normal`."""
    con, spark = engines
    duck = query
    probe = f"SELECT * FROM ({query}) LIMIT 0"  # noqa: S608 - the package's own queries
    if "person_key" in con.execute(probe).df().columns:
        duck = f"SELECT * REPLACE ({SIGNED} AS person_key) FROM ({query})"  # noqa: S608
    return normal(con.execute(duck).df()), normal(spark.sql(spark_query or query).toPandas())


def test_journeys(engines: Any) -> None:
    duck, other = both(engines, "SELECT * FROM journeys")
    assert len(duck) > 10
    pd.testing.assert_frame_equal(duck, other)


@pytest.mark.parametrize(
    "name", ["deal_touch_stats.sql", "influence.sql", "won_deals.sql", "closed_journeys.sql"]
)
def test_aggregates(engines: Any, name: str) -> None:
    duck, other = both(engines, sql(name))
    assert len(duck) >= 3
    pd.testing.assert_frame_equal(duck, other)


def test_journey_detail(engines: Any) -> None:
    duck, other = both(engines, sql("journey_detail.sql"))
    assert duck["reader"].max() >= 2  # E3 has two readers
    pd.testing.assert_frame_equal(duck, other)
    con, spark = engines
    # Not only the same rows: the same order, which the journey frame's readers rely on.
    assert con.execute(journey_query()).df().values.tolist() == (
        spark.sql(journey_query()).toPandas().values.tolist()
    )


def test_won_touches(engines: Any) -> None:
    duck, other = both(engines, won_touches_sql("duckdb"), won_touches_sql("spark"))
    assert duck["is_conversion"].any() and duck["before_created"].any()
    pd.testing.assert_frame_equal(duck, other)
    # The days must be the same doubles, not merely close ones.
    assert np.array_equal(
        duck["days_before_close"].to_numpy(), other["days_before_close"].to_numpy()
    )


@pytest.mark.parametrize("state", ["content_id", "content_type", "channel"])
def test_markov_transitions(engines: Any, state: str) -> None:
    closed = sql("closed_journeys.sql")
    duck, other = both(
        engines,
        shared_sql("markov_transitions", "duckdb", closed=closed, state=state),
        shared_sql("markov_transitions", "spark", closed=closed, state=state),
    )
    assert duck["transitions"].sum() > 10 and duck["from_state"].isna().any()
    pd.testing.assert_frame_equal(duck, other)


def test_shapley_coalitions(engines: Any) -> None:
    closed = sql("closed_journeys.sql")
    duck, other = both(
        engines,
        shared_sql("shapley_coalitions", "duckdb", closed=closed, player="content_type"),
        shared_sql("shapley_coalitions", "spark", closed=closed, player="content_type"),
    )
    assert duck["players"].str.contains("|", regex=False).any()
    pd.testing.assert_frame_equal(duck, other)


def test_spelled_expressions(spark: Any) -> None:
    """The engine-specific spellings on the awkward instants: just before and after midnight,
    microseconds, a leap day, the epoch itself, a touch after the close."""
    import duckdb

    pairs = [
        ("2026-08-15 23:59:59.999999", "2026-08-16 00:00:00"),
        ("2024-02-28 12:00:00.000001", "2024-03-01 00:00:00.5"),
        ("1970-01-01 00:00:00", "2026-07-01 12:34:56.789012"),
        ("2026-09-10 15:00:01", "2026-09-10 15:00:00"),
        ("2025-07-01 11:59:59", "2026-07-01 12:00:00"),
    ]
    rows = ", ".join(f"(TIMESTAMP '{a}', TIMESTAMP '{b}')" for a, b in pairs)
    select = (
        "SELECT CAST({close_days} AS DOUBLE) AS days, {close_seconds} AS seconds "  # noqa: S608
        f"FROM (VALUES {rows}) AS v(occurred_at, closed_at)"
    )
    duck_sql = select.format(**SPELLINGS["duckdb"]).replace("j.", "").replace("w.", "")
    spark_sql = select.format(**SPELLINGS["spark"]).replace("j.", "").replace("w.", "")
    duck = duckdb.execute(duck_sql).df()
    other = spark.sql(spark_sql).toPandas()
    assert duck["days"].tolist() == other["days"].tolist() == [1.0, 2.0, 20635.0, 0.0, 365.0]
    assert np.array_equal(duck["seconds"].to_numpy(), other["seconds"].to_numpy())
    sets = "SELECT {type_set} AS s FROM (VALUES ('b'), ('a'), ('b'), ('C')) AS v(player)"
    assert duckdb.execute(sets.format(**SPELLINGS["duckdb"])).fetchall() == [(["C", "a", "b"],)]
    assert spark.sql(sets.format(**SPELLINGS["spark"])).collect()[0]["s"] == ["C", "a", "b"]
