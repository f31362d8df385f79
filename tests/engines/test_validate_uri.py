"""`revstory validate` on Spark: URI drops and the touches checked there, as `attribute` does.

Fast tests: a URI without Spark is refused with attribute's message, and `--engine spark`
without PySpark names the install step. Slow ones run Spark: a file:// URI drop with bad
touch rows lists the DuckDB run's problems, files and ledger (named by URI), and s3a://
without hadoop-aws stops with the message naming the path, the scheme and the package.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from revstory.cli import main

#: Three touch rows the checks drop (rows 23 to 25, after the edge drop's 21): a time that
#: is none, a piece not in the inventory and a blank person.
BAD_TOUCHES = (
    "yesterday,ann@acme.example,ACC1,a,view,email\n"
    "2026-07-21T10:00:00Z,ann@acme.example,ACC1,zz-unknown,view,email\n"
    "2026-07-22T10:00:00Z,,,a,view,email\n"
)


def _validate(*args: str) -> tuple[int, str]:
    """Run validate; its output without the stages' timings ("load done in 0.4 s")."""
    result = CliRunner().invoke(main, ["validate", *args], catch_exceptions=False)
    lines = [line for line in result.output.splitlines() if " done in " not in line]
    return result.exit_code, "\n".join(lines)


def test_uri_needs_spark(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.csv"
    code, out = _validate("gs://bucket/content/", "--ledger", str(ledger))
    assert code == 1
    assert out.splitlines()[-1] == (
        "Error: gs://bucket/content/: a drop at a URI is read by Spark: run with --engine "
        "spark (or engine: spark in the plugin block), or copy the drop to a local folder"
    )
    assert not ledger.exists()


def test_file_uri_on_duckdb_is_the_folder(edge_drop: Path) -> None:
    code, by_path = _validate(str(edge_drop))
    assert code == 0, by_path
    code, by_uri = _validate(edge_drop.as_uri(), "--engine", "duckdb")
    assert code == 0, by_uri
    assert by_uri == by_path


def test_spark_without_pyspark(
    edge_drop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    ledger = tmp_path / "ledger.csv"
    code, out = _validate(str(edge_drop), "--engine", "spark", "--ledger", str(ledger))
    assert code == 1
    assert out.splitlines()[-1] == (
        "Error: engine spark needs PySpark, which is not installed: pip install "
        "'revstory[spark]' (or run with --engine duckdb)"
    )
    assert not ledger.exists()


@pytest.mark.slow
def test_file_uri_drop_lists_the_duckdb_problems(
    spark: Any, edge_drop: Path, tmp_path: Path
) -> None:
    drop = tmp_path / "my drop" / "content"  # a space: URIs are given to Spark as written
    shutil.copytree(edge_drop, drop)
    with (drop / "2026-Q3" / "touches.csv").open("a", encoding="utf-8") as fh:
        fh.write(BAD_TOUCHES)
    code, local = _validate(str(drop), "--ledger", str(tmp_path / "duck.csv"))
    assert code == 1, local
    uri = "file://" + str(drop)
    code, remote = _validate(uri, "--engine", "spark", "--ledger", str(tmp_path / "spark.csv"))
    assert code == 1, remote
    # Spark names a file:// file as file:/path; the lines are the DuckDB run's otherwise.
    assert f"file:{drop}/2026-Q3/touches.csv: touches (native), 24 rows" in remote.splitlines()
    problems = [line for line in remote.splitlines() if line.startswith(("error:", "warning:"))]
    assert len(problems) == 3
    assert [line.replace(f"file:{drop}/", f"{drop}/") for line in problems] == [
        line for line in local.splitlines() if line.startswith(("error:", "warning:"))
    ]
    assert (
        remote.splitlines()[-1] == local.splitlines()[-1] == ("5 file(s), 2 error(s), 1 warning(s)")
    )
    ledger = (tmp_path / "spark.csv").read_text(encoding="utf-8")
    assert (
        f"file:{drop}/2026-Q3/touches.csv,native,touches,2026-Q3,24,21,0,3,person_id is empty: "
        "1; unknown content: 1; unreadable row: 1\n"
    ) in ledger
    assert ledger.replace(f"file:{drop}/", f"{drop}/") == (tmp_path / "duck.csv").read_text(
        encoding="utf-8"
    )


@pytest.mark.slow
def test_missing_hadoop_aws(spark: Any, tmp_path: Path) -> None:
    version = spark.sparkContext._jvm.org.apache.hadoop.util.VersionInfo.getVersion()
    ledger = tmp_path / "ledger.csv"
    code, out = _validate(
        "s3a://revstory-test/content", "--engine", "spark", "--ledger", str(ledger)
    )
    assert code == 1
    package = f"org.apache.hadoop:hadoop-aws:{version}"
    assert out.splitlines()[-1] == (
        "Error: s3a://revstory-test/content: Spark has no filesystem for s3a:// (its connector "
        "is not on the classpath): add org.apache.hadoop:hadoop-aws to the spark.jars.packages "
        f"setting (the version must match Spark's Hadoop, {version}), e.g. spark-submit "
        f"--packages {package}, spark.jars.packages {package} in spark-defaults.conf, or "
        f"PYSPARK_SUBMIT_ARGS='--packages {package} pyspark-shell' when revstory starts Spark"
    )
    assert not ledger.exists()
