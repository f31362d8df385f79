"""Start (or attach to) Spark for ``engine: spark``.

Local mode ``local[*]`` by default, a cluster through ``spark_master``, or a Spark Connect
server through ``spark_remote``.

PySpark is the optional extra ``revstory[spark]`` and classic Spark needs a Java runtime; a
missing one is one :class:`EngineError` naming the install step.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from typing import TYPE_CHECKING

from revstory.config import AttributionConfig
from revstory.errors import RevstoryError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL_PYSPARK = (
    "engine spark needs PySpark, which is not installed: pip install 'revstory[spark]' "
    "(or run with --engine duckdb)"
)
INSTALL_JAVA = (
    "engine spark needs a Java runtime (17 or later) and none was found on PATH or in "
    "JAVA_HOME: install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) or set "
    "JAVA_HOME, or attach to a Spark Connect server with --spark-remote (or run with "
    "--engine duckdb)"
)

INSTALL_CONNECT = (
    "spark_remote needs Spark Connect's client libraries, which are not installed: pip install "
    "'pyspark[connect]>=4.0,<5' (or leave spark_remote out to start Spark here)"
)

#: Session settings revstory relies on: UTC, and SQL timestamps without a time zone, as
#: DuckDB's TIMESTAMP (the canonical tables hold naive UTC times).
SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
}

#: Shuffle partitions in local mode (Spark's default of 200 is made for clusters).
LOCAL_PARTITIONS = max(4, 2 * (os.cpu_count() or 2))


class EngineError(RevstoryError):
    """The engine cannot start (missing PySpark or Java, unreachable cluster)."""


def java_available() -> bool:
    """Tell whether a ``java`` is in ``JAVA_HOME/bin`` or on PATH (what Spark's launcher uses)."""
    home = os.environ.get("JAVA_HOME")
    if home and os.access(os.path.join(home, "bin", "java"), os.X_OK):
        return True
    return shutil.which("java") is not None


def spark_session(config: AttributionConfig) -> SparkSession:
    """Return the active session if there is one (tests, spark-submit), else a new one.

    With ``spark_remote`` the session is always the Spark Connect server's, even when a
    classic session is active in this process (under spark-submit, say).
    """
    # PySpark 4.3 warns about pandas 3 (FutureWarning) on conversions; revstory's go through
    # Arrow and are covered by the equivalence tests (tests/engines/).
    warnings.filterwarnings("ignore", module=r"pyspark\..*")
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(INSTALL_PYSPARK) from None
    active = SparkSession.getActiveSession() if config.spark_remote is None else None
    if active is not None:
        return _configured(active)
    if config.spark_remote is None and not java_available():
        raise EngineError(INSTALL_JAVA)
    builder = SparkSession.builder.appName("revstory")
    if config.spark_remote is not None:
        _require_connect_client()
        builder = builder.remote(config.spark_remote)
    elif "PYSPARK_GATEWAY_PORT" not in os.environ:
        # Not under spark-submit (whose --master and --conf hold): executors import revstory,
        # so unless told otherwise they run this interpreter (its venv); on a cluster,
        # PYSPARK_PYTHON names one with revstory installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.master(config.spark_master).config(
            "spark.ui.showConsoleProgress", "false"
        )
        if config.spark_master.startswith("local"):
            builder = builder.config("spark.sql.shuffle.partitions", str(LOCAL_PARTITIONS))
    try:
        session = builder.getOrCreate()
    except ImportError:  # only Spark Connect imports more (grpcio, zstandard, …) here
        raise EngineError(INSTALL_CONNECT) from None
    except Exception as exc:  # py4j / gRPC errors carry the cause in their text
        where = config.spark_remote or config.spark_master
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise EngineError(f"could not start Spark on {where}: {first}") from None
    if config.spark_remote is None and config.spark_master.startswith("local"):
        # Spark's WARN lines (a window over the small deal table, …) are not the user's.
        session.sparkContext.setLogLevel("ERROR")
    return _configured(session)


def _require_connect_client() -> None:
    """Raise the install message when Spark Connect's client libraries are missing.

    Checked before the builder runs: with a classic session already in this process,
    ``getOrCreate`` fails first with SESSION_ALREADY_EXIST, which would hide the cause.
    PySpark's own checks (importing ``pyspark.sql.connect`` runs them; again one by one, in
    case that package was imported before the libraries went missing).
    """
    try:
        from pyspark.sql.connect import utils

        utils.require_minimum_grpc_version()
        utils.require_minimum_grpcio_status_version()
        utils.require_minimum_googleapis_common_protos_version()
        utils.require_minimum_zstandard_version()
    except ImportError:
        raise EngineError(INSTALL_CONNECT) from None


def _configured(session: SparkSession) -> SparkSession:
    for key, value in SESSION_CONF.items():
        session.conf.set(key, value)
    return session
