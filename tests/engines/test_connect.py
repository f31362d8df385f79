"""`attribute --engine spark --spark-remote sc://…` against a real Spark Connect server.

The server is the one PySpark's wheel ships (``sbin/start-connect-server.sh`` and the
spark-connect jar, Spark 4), started here in local mode on a free port, with this
interpreter as its Python workers' (the rule-based models run in ``mapInPandas`` there), and
stopped after the module. ``revstory attribute`` runs as a separate process, as a user runs
it, so Spark Connect's process-wide settings do not reach the other tests; its files must be
byte-identical to the DuckDB run's, and the server's log must show it ran the plans.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from revstory.cli import main

pytestmark = pytest.mark.slow

FILES = ("attribution.csv", "influence.csv", "summary.json", "effects.csv", "ledger.csv")
#: Seconds the server may take to listen (about 40 s on the loaded 2-core machine).
START_TIMEOUT = 300
#: The client libraries Spark Connect needs (pip install 'pyspark[connect]').
CLIENT = ("grpc", "grpc_status", "google.rpc", "zstandard")


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("REVSTORY_REQUIRE_SPARK") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def connect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A local Spark Connect server: its ``sc://`` URL and its log file."""
    try:
        import pyspark
    except ImportError:
        _skip_or_fail("PySpark is not installed (pip install -e '.[spark]')")
    missing = [m for m in CLIENT if importlib.util.find_spec(m.split(".")[0]) is None]
    if missing:
        _skip_or_fail(f"Spark Connect's client is not installed (missing {', '.join(missing)})")
    from revstory.engines.session import java_available

    if not java_available():
        _skip_or_fail("no Java runtime for the Spark Connect server")
    home = Path(pyspark.__file__).parent
    script = home / "sbin" / "start-connect-server.sh"
    if not script.is_file() or not list((home / "jars").glob("spark-connect_*.jar")):
        _skip_or_fail(f"PySpark {pyspark.__version__} ships no Spark Connect server")
    folder = tmp_path_factory.mktemp("connect")
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SPARK_REMOTE", "SPARK_CONNECT_MODE_ENABLED", "PYSPARK_GATEWAY_PORT")
    }
    env.update(
        SPARK_HOME=str(home),
        SPARK_LOG_DIR=str(folder / "logs"),
        SPARK_PID_DIR=str(folder),
        PYSPARK_PYTHON=sys.executable,
    )
    log = folder / "server.log"
    command = [
        "bash",
        str(script),
        "--wait",  # in the foreground, so the process group below is the server's
        "--master",
        "local[2]",
        "--conf",
        f"spark.connect.grpc.binding.port={port}",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.sql.shuffle.partitions=2",
    ]
    with open(log, "wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            command, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _listening(port):
            if server.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:]
                pytest.fail(f"the Spark Connect server exited ({server.returncode}):\n{tail}")
            if time.monotonic() > deadline:
                pytest.fail(f"the Spark Connect server did not listen on {port} in time")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}", log
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _executed(log: Path) -> int:
    """Count the plans the server executed (one ExecuteHolder per plan)."""
    return log.read_text(errors="replace").count("ExecuteHolder ExecuteKey(")


def test_attribute_over_connect(
    connect_server: tuple[str, Path], edge_drop: Path, tmp_path: Path
) -> None:
    url, log = connect_server
    before = _executed(log)
    remote = tmp_path / "connect"
    env = {k: v for k, v in os.environ.items() if k not in ("SPARK_REMOTE", "JAVA_HOME")}
    # No Java for the client: Spark Connect needs none (PATH keeps only the interpreter's).
    env["PATH"] = str(Path(sys.executable).parent)
    args = ["attribute", str(edge_drop), "--out", str(remote), "--engine", "spark"]
    done = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "revstory", *args, "--spark-remote", url],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert _executed(log) > before  # the plans ran on the server
    result = CliRunner().invoke(
        main,
        ["attribute", str(edge_drop), "--out", str(tmp_path / "duckdb"), "--engine", "duckdb"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    for name in FILES:
        assert (remote / name).read_bytes() == (tmp_path / "duckdb" / name).read_bytes(), name
    assert b"2026-Q3,a,linear," in (remote / "attribution.csv").read_bytes()


def test_remote_is_never_ignored(
    spark: Any, connect_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With spark_remote set, an active classic session (spark-submit's) is not used instead.

    PySpark cannot hold both in one process, so it is one clear message, not a run on the
    wrong cluster; the classic session goes on working.
    """
    from revstory.config import AttributionConfig
    from revstory.engines.session import EngineError, spark_session

    # Spark Connect marks the process as remote in os.environ: undone after the test.
    for key in ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE"):
        monkeypatch.delenv(key, raising=False)
    url, _ = connect_server
    with pytest.raises(EngineError) as err:
        spark_session(AttributionConfig(engine="spark", spark_remote=url))
    assert str(err.value) == (
        f"could not start Spark on {url}: [SESSION_ALREADY_EXIST] Cannot start a remote Spark "
        "session because there is a regular Spark session already running."
    )
    for key in ("SPARK_CONNECT_MODE_ENABLED", "SPARK_REMOTE"):
        monkeypatch.delenv(key, raising=False)
    assert spark_session(AttributionConfig(engine="spark")) is spark
