"""Drops at a URI: which engine reads them, and one clear message for a missing connector.

Fast tests word the messages from given error texts; the slow ones run Spark: a file:// URI
drop gives the local drop's files (its ledger names the files by URI), and s3a:// without
hadoop-aws on the classpath stops with the message naming the path, the scheme, the package
and spark.jars.packages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.engines.remote import drop_paths, filesystem_error, is_uri
from revstory.errors import RevstoryError

S3A_MISSING = (
    "An error occurred while calling o53.parquet.\n: java.lang.RuntimeException: "
    "java.lang.ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found"
)


def test_uris_and_paths() -> None:
    assert is_uri("s3a://bucket/content")
    assert is_uri("file:///data/content")
    assert not is_uri("content/2026-Q3")
    assert not is_uri("C:\\data\\content")  # a drive letter is no scheme
    assert drop_paths(["content", "s3a://b/c"], "spark") == [Path("content"), "s3a://b/c"]
    assert drop_paths(["file:///data/my%20content"], "duckdb") == [Path("/data/my content")]


def test_uri_needs_spark() -> None:
    with pytest.raises(RevstoryError) as caught:
        drop_paths(["abfss://c@acct.dfs.core.windows.net/content"], "duckdb")
    assert str(caught.value) == (
        "abfss://c@acct.dfs.core.windows.net/content: a drop at a URI is read by Spark: run "
        "with --engine spark (or engine: spark in the plugin block), or copy the drop to a "
        "local folder"
    )


def test_missing_connector_message() -> None:
    error = filesystem_error(RuntimeError(S3A_MISSING), "s3a://bucket/content", None)
    assert error is not None
    assert str(error) == (
        "s3a://bucket/content: Spark has no filesystem for s3a:// (its connector is not on "
        "the classpath): add org.apache.hadoop:hadoop-aws to the spark.jars.packages setting, "
        "e.g. spark-submit --packages org.apache.hadoop:hadoop-aws:<version>, "
        "spark.jars.packages org.apache.hadoop:hadoop-aws:<version> in spark-defaults.conf, "
        "or PYSPARK_SUBMIT_ARGS='--packages org.apache.hadoop:hadoop-aws:<version> "
        "pyspark-shell' when revstory starts Spark"
    )
    gs = filesystem_error(
        RuntimeError(
            'org.apache.hadoop.fs.UnsupportedFileSystemException: No FileSystem for scheme "gs"'
        ),
        "gs://bucket/touches/",
        None,
    )
    assert gs is not None and str(gs).startswith(
        "gs://bucket/touches/: Spark has no filesystem for gs:// (its connector is not on the "
        "classpath): add com.google.cloud.bigdataoss:gcs-connector to the spark.jars.packages "
        "setting, e.g. spark-submit --packages com.google.cloud.bigdataoss:gcs-connector:"
        "<version>"
    )
    odd = filesystem_error(
        RuntimeError('No FileSystem for scheme "lakefs"'), "lakefs://repo/main/touches", None
    )
    assert odd is not None and "add the Hadoop filesystem package that serves lakefs:// to" in (
        str(odd)
    )
    assert filesystem_error(RuntimeError("Path does not exist"), "s3a://b/c", None) is None


def _attribute(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["attribute", *args], catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.slow
def test_file_uri_drop(spark: Any, edge_drop: Path, tmp_path: Path) -> None:
    drop = tmp_path / "my drop" / "content"  # a space: URIs are given to Spark as written
    shutil.copytree(edge_drop, drop)
    code, out = _attribute(str(drop), "--out", str(tmp_path / "duck"), "--engine", "duckdb")
    assert code == 0, out
    uri = "file://" + str(drop)
    code, out = _attribute(uri, "--out", str(tmp_path / "spark"), "--engine", "spark")
    assert code == 0, out
    for name in ("attribution.csv", "influence.csv", "summary.json", "effects.csv"):
        assert (tmp_path / "spark" / name).read_bytes() == (tmp_path / "duck" / name).read_bytes()
    ledger = (tmp_path / "spark" / "ledger.csv").read_text(encoding="utf-8")
    local = (tmp_path / "duck" / "ledger.csv").read_text(encoding="utf-8")
    assert f"file:{drop}/2026-Q3/touches.csv,native,touches,2026-Q3,21," in ledger
    assert ledger.replace(f"file:{drop}/", f"{drop}/") == local


@pytest.mark.slow
def test_missing_hadoop_aws(spark: Any, tmp_path: Path) -> None:
    version = spark.sparkContext._jvm.org.apache.hadoop.util.VersionInfo.getVersion()
    code, out = _attribute(
        "s3a://revstory-test/content", "--out", str(tmp_path / "out"), "--engine", "spark"
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
    assert not (tmp_path / "out").exists()
