"""`revstory build` with a URI data folder (`data_dir: s3a://…` and `engine: spark`).

Fast tests: a URI without Spark is refused with attribute's message, and with
`--engine spark` but no PySpark the install step is named; no site is written either way.
Slow ones run Spark: a file:// data folder outside the project builds the same site bytes
as the same drop in a local folder (the editor's note included), writes nothing into the
drop, and s3a:// without hadoop-aws stops with the message naming the package.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from revstory.cli import main

NOTE = "Readers of *Piece A* went on to buy.\n"


def project(tmp_path: Path, data_dir: str) -> Path:
    """Write a report repository (revstory init) whose data_dir is ``data_dir``."""
    root = tmp_path / "report"
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "data_dir: content\n" in text
    config.write_text(text.replace("data_dir: content\n", f"data_dir: {data_dir}\n"), "utf-8")
    return config


def build(config: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-f", str(config), *options])
    return result.exit_code, result.output


def site(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root / "site").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted((root / "site").rglob("*"))
        if p.is_file()
    }


def test_uri_needs_spark(tmp_path: Path) -> None:
    config = project(tmp_path, "s3a://bucket/content/")
    code, out = build(config, "--engine", "duckdb")
    assert code == 1
    assert out.splitlines()[-1] == (
        "Error: s3a://bucket/content/: a drop at a URI is read by Spark: run with --engine "
        "spark (or engine: spark in the plugin block), or copy the drop to a local folder"
    )
    assert not (config.parent / "site").exists()


def test_spark_without_pyspark(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    config = project(tmp_path, "s3a://bucket/content/")
    code, out = build(config, "--engine", "spark")
    assert code == 1
    assert out.splitlines()[-1] == (
        "Error: engine spark needs PySpark, which is not installed: pip install "
        "'revstory[spark]' (or run with --engine duckdb)"
    )
    assert not (config.parent / "site").exists()


@pytest.mark.slow
def test_file_uri_builds_the_local_site(spark: Any, edge_drop: Path, tmp_path: Path) -> None:
    local = project(tmp_path / "local", "content")
    shutil.rmtree(local.parent / "content")
    shutil.copytree(edge_drop, local.parent / "content")
    (local.parent / "content" / "2026-Q3" / "story.md").write_text(NOTE, encoding="utf-8")
    store = tmp_path / "store" / "content"  # elsewhere, as a bucket would be
    shutil.copytree(local.parent / "content", store)
    before = sorted(p.relative_to(store) for p in store.rglob("*"))
    remote = project(tmp_path / "remote", "file://" + str(store))  # content/: docs_dir
    code, out = build(local, "--engine", "duckdb")
    assert code == 0, out
    code, out = build(remote, "--engine", "spark")
    assert code == 0, out
    built = site(remote.parent)
    assert {"index.html", "quarters/2026-Q3.html", "articles/a.html"} <= set(built)
    assert built == site(local.parent)
    page = (remote.parent / "site" / "quarters" / "2026-Q3.html").read_text(encoding="utf-8")
    assert "Readers of <em>Piece A</em> went on to buy." in page
    assert sorted(p.relative_to(store) for p in store.rglob("*")) == before  # no snapshot


@pytest.mark.slow
def test_missing_hadoop_aws(spark: Any, tmp_path: Path) -> None:
    version = spark.sparkContext._jvm.org.apache.hadoop.util.VersionInfo.getVersion()
    config = project(tmp_path, "s3a://revstory-test/content")
    code, out = build(config, "--engine", "spark")
    assert code == 1
    package = f"org.apache.hadoop:hadoop-aws:{version}"
    assert out.splitlines()[-1] == (
        "Error: s3a://revstory-test/content: Spark has no filesystem for s3a:// (its connector "
        "is not on the classpath): add org.apache.hadoop:hadoop-aws to the spark.jars.packages "
        f"setting (the version must match Spark's Hadoop, {version}), e.g. spark-submit "
        f"--packages {package}, spark.jars.packages {package} in spark-defaults.conf, or "
        f"PYSPARK_SUBMIT_ARGS='--packages {package} pyspark-shell' when revstory starts Spark"
    )
    assert not (config.parent / "site").exists()
