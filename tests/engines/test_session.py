"""Without PySpark or Java, `--engine spark` is one message naming the install step."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.engines import session


def attribute(fixtures: Path, tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(
        main,
        [
            "attribute",
            str(fixtures / "drops" / "minimal"),
            "--out",
            str(tmp_path),
            "--engine",
            "spark",
        ],
        catch_exceptions=False,
    )
    return result.exit_code, result.output


def test_missing_pyspark(fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    code, output = attribute(fixtures, tmp_path)
    assert code == 1
    assert output.splitlines()[-1] == (
        "Error: engine spark needs PySpark, which is not installed: pip install "
        "'revstory[spark]' (or run with --engine duckdb)"
    )
    assert not (tmp_path / "attribution.csv").exists()


def test_missing_java(fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))
    # No java anywhere: an empty PATH and no JAVA_HOME (Spark's launcher looks in both).
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert not session.java_available()
    code, output = attribute(fixtures, tmp_path / "out")
    assert code == 1
    assert output.splitlines()[-1] == (
        "Error: engine spark needs a Java runtime (17 or later) and none was found on PATH or "
        "in JAVA_HOME: install one (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) "
        "or set JAVA_HOME, or attach to a Spark Connect server with --spark-remote (or run "
        "with --engine duckdb)"
    )
    assert not (tmp_path / "out").exists()


def test_engine_setting_is_checked(fixtures: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "attribute",
            str(fixtures / "drops" / "minimal"),
            "--out",
            str(tmp_path),
            "--engine",
            "polars",
        ],
    )
    assert result.exit_code == 2
    assert "'polars' is not one of 'duckdb', 'spark'" in result.output


def test_spark_connect_client_missing(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--spark-remote without Spark Connect's client (grpcio faked away) names the install."""
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))
    monkeypatch.setitem(sys.modules, "grpc", None)
    result = CliRunner().invoke(
        main,
        [
            "attribute",
            str(fixtures / "drops" / "minimal"),
            "--out",
            str(tmp_path / "out"),
            "--engine",
            "spark",
            "--spark-remote",
            "sc://127.0.0.1:1",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Error: spark_remote needs Spark Connect's client libraries, which are not installed: "
        "pip install 'pyspark[connect]>=4.0,<5' (or leave spark_remote out to start Spark here)"
    )
    assert not (tmp_path / "out").exists()
