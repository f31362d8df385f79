"""The journeys and attribution stages on Apache Spark (``engine: spark``).

What runs where:

- DuckDB (on the driver): load and validation of the small files (identity resolution, the
  ledger) and the deal windows (``sql/journeys.sql``); the native touch files and the large
  adapters' exports are read and checked on Spark's executors (:mod:`revstory.engines.touches`,
  :mod:`revstory.engines.adapters`). The validated tables are written once as Parquet to
  ``spark_staging`` (a temporary folder by default) for Spark.
- Spark: journeys (the shared ``sql/journeys_match.sql``), the won deals' code book, the
  rule-based models and their largest-remainder cents per deal (the numpy code of
  :mod:`revstory.attribute.touch_credit`, run by ``mapInPandas`` over partitions of whole
  deals), per-deal touch figures, influence per quarter and piece, the journey detail the site
  shows, and the data-driven models' counts: Markov transition counts per state and Shapley
  coalition counts (``sql/markov_transitions.sql``, ``sql/shapley_coalitions.sql``).
- Back on the driver: those aggregates only; the exact Markov solve, the Shapley values and
  their cents (:mod:`revstory.attribute.counts`), then the report layer as with DuckDB.

Every figure equals the DuckDB run's to the cent (tests/engines/).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit
from urllib.request import url2pathname

import duckdb
import numpy as np
import pandas as pd

from revstory.attribute.counts import CountedJourneys
from revstory.attribute.data_driven import (
    DATA_DRIVEN_MODELS,
    ClosedJourneys,
    JourneyFrame,
    journey_query,
)
from revstory.attribute.heuristic import Touches
from revstory.attribute.stage import (
    Results,
    assemble,
    content_codes,
    credit_frame,
    won_touches_sql,
)
from revstory.attribute.touch_credit import PairCredit, decay_underflows, pair_credit
from revstory.config import HEURISTIC_MODELS, AttributionConfig
from revstory.engines.adapters import local_export_files, stage_exports, with_exports
from revstory.engines.dialect import shared_sql
from revstory.engines.session import EngineError, spark_session
from revstory.engines.touches import (
    SparkTouches,
    check_touches,
    keep_checked,
    local_touch_files,
    quarter_dirs,
    stage_placeholders,
)
from revstory.errors import DropError, Issue
from revstory.export import EFFECT_DIMENSIONS
from revstory.journeys import CarriedTouches, Journeys, deal_windows, sql
from revstory.validate.stage import Drop

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

    from revstory.pipeline import Progress

#: DuckDB's person keys are unsigned 64-bit hashes; Spark has no unsigned type, so they are
#: shifted into BIGINT keeping their order (journey order and readers are ordered by them).
_SIGNED_KEY = "CAST(CAST(person_key AS HUGEINT) - 9223372036854775808 AS BIGINT) AS person_key"

#: The validated tables Spark reads, as DuckDB queries over the drop's connection.
_STAGED = {
    "journey_touches": f"SELECT occurred_at, {_SIGNED_KEY}, account_id, "  # noqa: S608 - our own identifiers
    "CAST(content_id AS VARCHAR) AS content_id, CAST(touch_type AS VARCHAR) AS touch_type, "
    "channel FROM journey_touches",
    "deal_contacts": f"SELECT deal_id, {_SIGNED_KEY}, role, seniority FROM deal_contacts",  # noqa: S608 - our own identifiers
    "deal_windows": "SELECT * FROM deal_windows",
    "deals": "SELECT deal_id, quarter, status, amount_minor, created_at, closed_at, "
    "close_date_only FROM deals",
    "content": "SELECT content_id, content_type FROM content",
}

#: Column types of the DuckDB run's frames (a sum of BIGINT is HUGEINT there), so the report
#: layer gets the same dtypes from either engine.
_INFLUENCE_TYPES = (
    "quarter, content_id, "
    "CAST(influenced_revenue_minor AS HUGEINT) AS influenced_revenue_minor, "
    "CAST(influenced_pipeline_minor AS HUGEINT) AS influenced_pipeline_minor, "
    "CAST(won_deals AS BIGINT) AS won_deals, CAST(lost_deals AS BIGINT) AS lost_deals, "
    "CAST(open_deals AS BIGINT) AS open_deals"
)
_DETAIL_TYPES = (
    "quarter, deal_id, CAST(occurred_at AS TIMESTAMP) AS occurred_at, content_id, "
    "touch_type, channel, CAST(reader AS INTEGER) AS reader, CAST(role AS VARCHAR) AS role, "
    "CAST(seniority AS VARCHAR) AS seniority"
)
_STATS_TYPES = (
    "deal_id, CAST(touches AS BIGINT) AS touches, CAST(readers AS BIGINT) AS readers, "
    "CAST(first_touch_at AS TIMESTAMP) AS first_touch_at"
)


@dataclass(frozen=True)
class SparkJourneys(Journeys):
    """The journeys stage run on Spark.

    ``con`` is the driver's DuckDB cursor (deal windows, the per-deal touch figures);
    ``counted`` holds the data-driven models' counts, brought back while Spark held the
    journeys (None when no data-driven model was asked for).
    """

    counted: ClosedJourneys | None = None

    def closed(self) -> ClosedJourneys:
        """Return the closed deals' counts kept from Spark (raise when none were asked for)."""
        if self.counted is None:
            raise ValueError("no data-driven model was configured, so no counts were kept")
        return self.counted


def _frame(
    con: duckdb.DuckDBPyConnection, frame: DataFrame | pd.DataFrame, columns: str
) -> pd.DataFrame:
    """Hand a Spark result over as the DuckDB run does (same column types, same row order)."""
    data = frame if isinstance(frame, pd.DataFrame) else frame.toPandas()
    con.register("spark_result", data)
    try:
        return con.execute(f"SELECT {columns} FROM spark_result").df()  # noqa: S608 - our own column list
    finally:
        con.unregister("spark_result")


def staging_folder(value: str) -> Path:
    """Return the absolute local folder that ``spark_staging`` names (a path or ``file://``).

    DuckDB writes the validated tables there on this machine, so any other scheme (s3a://,
    hdfs://, …) is one :class:`EngineError` naming the setting's value and what to give.
    """
    parts = urlsplit(value)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return Path(url2pathname(parts.path)).resolve()
    # One letter before the colon is a Windows drive (C:\staging), not a scheme.
    if len(parts.scheme) > 1:
        raise EngineError(
            f"spark_staging {value!r} is not a folder on this machine: revstory writes the "
            "validated tables there with DuckDB before Spark reads them, so give a local "
            "folder or a file:// URI; on a cluster, a shared mount every node can read "
            "(NFS, or the bucket mounted), e.g. /mnt/shared/revstory-staging"
        )
    return Path(value).resolve()


@contextmanager
def _staging(config: AttributionConfig) -> Iterator[Path]:
    if config.spark_staging is not None:
        folder = staging_folder(config.spark_staging)
        folder.mkdir(parents=True, exist_ok=True)
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="revstory-spark-") as tmp:
        yield Path(tmp).resolve()


def stage_tables(
    con: duckdb.DuckDBPyConnection,
    config: AttributionConfig,
    spark: SparkSession,
    folder: Path,
    carried: CarriedTouches | None = None,
    touches: DataFrame | None = None,
) -> DataFrame:
    """Stage the validated tables for Spark and return the persisted ``journeys`` frame.

    The tables (and ``journey_touches`` and ``deal_windows``, built here in ``con`` with the
    ``carried`` touches) are written as Parquet and made Spark temp views; ``touches``, the
    native touches Spark checked itself (:mod:`revstory.engines.touches`), join
    ``journey_touches`` there. ``journeys`` is built by the shared
    ``sql/journeys_match.sql`` (the caller unpersists it).
    """
    deal_windows(con, config, carried)
    for name, query in _STAGED.items():
        path = folder / f"{name}.parquet"
        con.execute(f"COPY ({query}) TO '{path}' (FORMAT parquet)")
        # A file:// URI: where the cluster's default filesystem is HDFS, a bare path is not
        # the local (or mounted) folder DuckDB wrote to.
        frame = spark.read.parquet(path.as_uri())
        if name == "journey_touches" and touches is not None:
            frame = frame.unionByName(touches)
        frame.createOrReplaceTempView(name)
    match = shared_sql("journeys_match", "spark", account_mode=config.journey_mode == "account")
    journeys = spark.sql(match).persist()
    journeys.createOrReplaceTempView("journeys")
    return journeys


def run_spark_stages(
    paths: Sequence[Path | str],
    config: AttributionConfig,
    strict: bool,
    progress: Progress,
    detail: bool,
    carried: CarriedTouches | None = None,
    keep_touches: bool = False,
) -> tuple[Results, Drop, Journeys]:
    """Run :func:`revstory.pipeline.run_stages` with ``engine: spark``.

    DuckDB loads and validates the small tables and any adapter's export on the driver; Spark
    reads and checks the native touch files (:mod:`revstory.engines.touches`), then runs
    the journeys and the models (:func:`run_on_spark`). Raises :class:`DropError` as the
    DuckDB run does. ``keep_touches`` copies the clean touches Spark checked into the
    drop's connection for the quarter snapshots (:func:`~revstory.engines.touches.keep_checked`).
    """
    from revstory.pipeline import stage

    if config.spark_staging is not None:
        staging_folder(config.spark_staging)  # a bad setting fails before Spark starts
    drop, touches = check_on_spark(paths, config, progress)
    try:
        if drop.errors or (strict and drop.warnings):
            raise DropError(list(drop.issues))
        with stage("journeys and attribution on Spark", progress):
            results, journeys = run_on_spark(
                drop, config, detail, carried, touches.frame if touches else None
            )
        if keep_touches and touches is not None:
            keep_checked(drop.con, touches)
    finally:
        if touches is not None:
            touches.unpersist()
    return results, drop, journeys


def check_on_spark(
    paths: Sequence[Path | str], config: AttributionConfig, progress: Progress
) -> tuple[Drop, SparkTouches | None]:
    """Load and validate as :func:`revstory.pipeline.check` does, the native touches on Spark.

    ``paths`` are local folders and URIs (:mod:`revstory.engines.remote`). Returns the drop
    (its issues include the touches') and the checked touches (None when no native touch
    file was found; the caller unpersists them).
    """
    from revstory.engines.remote import fetch_drop, relabel
    from revstory.load.discover import load_drops
    from revstory.pipeline import stage
    from revstory.validate.stage import validate

    local = [p for p in paths if isinstance(p, Path)]
    uris = [p for p in paths if isinstance(p, str)]
    exported = local_export_files(quarter_dirs(local), config.load)
    spark = spark_session(config) if uris or exported else None
    labels: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="revstory-drop-") as tmp:
        with stage("load", progress):
            files = local_touch_files(local, config.load)
            remote_issues: list[Issue] = []
            for n, uri in enumerate(uris):
                assert spark is not None  # noqa: S101 - for mypy: started above when uris
                fetched = fetch_drop(spark, uri, Path(tmp) / f"drop_{n}", config.load)
                files += fetched.touches
                exported += fetched.exports
                local += fetched.folders
                labels.update(fetched.labels)
                remote_issues += fetched.issues
            skip = {Path(t.label) for t in files} | {Path(e.label) for e in exported}
            staged = load_drops(local, options=config.load, skip=skip)
            placeholders = stage_placeholders(staged.con, files)
            exports = None
            if exported:
                assert spark is not None  # noqa: S101 - for mypy: started above when exported
                exports = stage_exports(spark, staged.con, exported, config.load)
                staged = with_exports(staged, exports)
            everything = sorted((*staged.files, *placeholders), key=lambda f: f.quarter)
            staged = replace(
                staged, files=tuple(everything), issues=(*remote_issues, *staged.issues)
            )
        with stage("validate", progress):
            drop = relabel(validate(staged, config), staged.con, labels)
    if not files and exports is None:
        return drop, None
    spark = spark or spark_session(config)
    with stage("touches on Spark", progress):
        try:
            touches = check_touches(spark, drop.con, files, placeholders, config, exports)
        except Exception as exc:
            from revstory.engines.remote import filesystem_error

            remote = [t.uri for t in files if not t.uri.startswith("file:")]
            mapped = filesystem_error(exc, remote[0], spark) if remote else None
            if mapped is None:
                raise
            raise mapped from None
        finally:
            if exports is not None:
                exports.unpersist()  # their checked rows are persisted in the touches
    return replace(drop, issues=drop.issues + touches.issues), touches


def run_on_spark(
    drop: Drop,
    config: AttributionConfig,
    detail: bool,
    carried: CarriedTouches | None = None,
    touches: DataFrame | None = None,
) -> tuple[Results, Journeys]:
    """Run the journeys and attribution stages on Spark; the same :class:`Results` as DuckDB's.

    ``touches`` are native touches Spark read and checked (they are not in ``drop``).
    """
    if config.spark_staging is not None:
        staging_folder(config.spark_staging)  # a bad setting fails before Spark starts
    spark = spark_session(config)
    con = drop.con.cursor()
    with _staging(config) as folder:
        journeys = stage_tables(con, config, spark, folder, carried, touches)
        try:
            won_frame = cast(pd.DataFrame, spark.sql(sql("won_deals.sql")).toPandas())
            won = {
                "deal_id": won_frame["deal_id"].to_numpy(dtype=object),
                "quarter": won_frame["quarter"].to_numpy(dtype=object),
                "amount_minor": won_frame["amount_minor"].to_numpy(dtype=np.int64),
            }
            pieces, types = content_codes(con)
            credit = rule_credit(spark, config, won["amount_minor"], len(pieces))
            stage = SparkJourneys(
                con=con, quarters=drop.quarters, config=config, counted=closed_counts(spark, config)
            )
            deal_credit = credit_frame(credit, won, pieces, types, config, stage.closed)
            stats = _frame(con, spark.sql(sql("deal_touch_stats.sql")), _STATS_TYPES)
            con.register("deal_touch_stats_frame", stats)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE deal_touch_stats AS "
                "SELECT * FROM deal_touch_stats_frame"
            )
            con.unregister("deal_touch_stats_frame")
            deals = con.execute(
                shared_sql("deal_journeys", "duckdb", touch_stats="deal_touch_stats")
            ).df()
            influence = _frame(con, spark.sql(sql("influence.sql")), _INFLUENCE_TYPES)
            detail_frame = (
                _frame(con, spark.sql(sql("journey_detail.sql")), _DETAIL_TYPES) if detail else None
            )
        finally:
            journeys.unpersist()
    return assemble(stage, config, deal_credit, deals, influence, detail_frame), stage


def closed_counts(spark: SparkSession, config: AttributionConfig) -> ClosedJourneys | None:
    """Bring back what the data-driven models and effects.csv need of the closed journeys.

    Only when one is asked for: order 1, only the transition and coalition counts; order 2
    and 3, whose tuple states are counted from the journeys themselves, the journey frame.
    """
    if not set(DATA_DRIVEN_MODELS) & set(config.models):
        return None
    if config.markov_order != 1:
        return JourneyFrame(cast(pd.DataFrame, spark.sql(journey_query()).toPandas()))
    closed = sql("closed_journeys.sql")
    transitions: dict[str, pd.DataFrame] = {
        by: cast(
            pd.DataFrame,
            spark.sql(
                shared_sql("markov_transitions", "spark", closed=closed, state=by)
            ).toPandas(),
        )
        for by in EFFECT_DIMENSIONS
    }
    coalitions = cast(
        pd.DataFrame,
        spark.sql(
            shared_sql("shapley_coalitions", "spark", closed=closed, player="content_type")
        ).toPandas(),
    )
    return CountedJourneys(transitions, coalitions)


def _decay_shift(spark: SparkSession, touches: DataFrame, config: AttributionConfig) -> bool:
    """Tell whether some won deal's time-decay weights all underflow.

    If so, every deal's are taken relative to its latest touch (see
    :mod:`revstory.attribute.touch_credit`): decided on the whole run, from the deals' fewest
    days before the close.
    """
    if "time_decay" not in config.models:
        return False
    touches.createOrReplaceTempView("won_touches")
    row = spark.sql(
        "SELECT max(fewest) AS latest FROM (SELECT deal_idx, min(days_before_close) AS fewest "
        "FROM won_touches GROUP BY deal_idx)"
    ).collect()[0]
    latest = row["latest"]
    return latest is not None and decay_underflows(float(latest), config.half_life_days)


def rule_credit(
    spark: SparkSession, config: AttributionConfig, amount: np.ndarray, n_content: int
) -> PairCredit:
    """Rule-based credit and cents per (deal, piece), computed by Spark's executors."""
    touches = spark.sql(won_touches_sql("spark"))
    shift = _decay_shift(spark, touches, config)
    models = tuple(config.models)
    rules = tuple(m for m in models if m in HEURISTIC_MODELS)
    half_life = config.half_life_days
    columns = ["deal_idx", "content_idx", "linear"]
    for m in range(len(models)):
        columns += [f"credit_{m}", f"revenue_{m}"]

    def credit_of(frame: pd.DataFrame) -> pd.DataFrame:
        ids, local = np.unique(frame["deal_idx"].to_numpy(np.int64), return_inverse=True)
        t = Touches(
            deal=local.astype(np.int64),
            n_deals=len(ids),
            days_before_close=frame["days_before_close"].to_numpy(np.float64),
            is_conversion=frame["is_conversion"].to_numpy(bool),
            before_created=frame["before_created"].to_numpy(bool),
        )
        pc = pair_credit(
            t,
            frame["content_idx"].to_numpy(np.int64),
            n_content,
            amount[ids],
            models,
            rules,
            half_life,
            key_base=ids,
            decay_shift=shift,
        )
        out: dict[str, Any] = {
            "deal_idx": ids[pc.pair_deal],
            "content_idx": pc.pair_content,
            "linear": pc.linear,
        }
        for m in range(len(models)):
            out[f"credit_{m}"] = pc.credit[:, m]
            out[f"revenue_{m}"] = pc.revenue[:, m]
        return pd.DataFrame(out, columns=columns)

    def per_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        # Rows arrive sorted by deal; a deal may straddle two Arrow batches, so the last deal
        # of each batch waits for the next one.
        carry: pd.DataFrame | None = None
        for batch in batches:
            frame = batch if carry is None else pd.concat([carry, batch], ignore_index=True)
            if len(frame) == 0:
                continue
            deal = frame["deal_idx"].to_numpy(np.int64)
            cut = int(np.searchsorted(deal, deal[-1], side="left"))
            carry = frame.iloc[cut:]
            if cut:
                yield credit_of(frame.iloc[:cut])
        if carry is not None and len(carry):
            yield credit_of(carry)

    schema = "deal_idx long, content_idx long, linear double, " + ", ".join(
        f"credit_{m} double, revenue_{m} long" for m in range(len(models))
    )
    ordered = (
        touches.repartition("deal_idx")
        .sortWithinPartitions("deal_idx", "occurred_at", "content_idx", "touch_type", "person_key")
        .select("deal_idx", "content_idx", "is_conversion", "before_created", "days_before_close")
    )
    result = ordered.mapInPandas(per_partition, schema)
    frame = cast(pd.DataFrame, result.toPandas()).sort_values(
        ["deal_idx", "content_idx"], ignore_index=True
    )
    n_models = len(models)
    return PairCredit(
        pair_deal=frame["deal_idx"].to_numpy(np.int64),
        pair_content=frame["content_idx"].to_numpy(np.int64),
        credit=frame[[f"credit_{m}" for m in range(n_models)]]
        .to_numpy(np.float64)
        .reshape(len(frame), n_models),
        revenue=frame[[f"revenue_{m}" for m in range(n_models)]]
        .to_numpy(np.int64)
        .reshape(len(frame), n_models),
        linear=frame["linear"].to_numpy(np.float64),
    )
