"""Where the validated tables are staged for Spark (``spark_staging``): a folder on this
machine, given as a path or a file:// URI, handed to Spark as a file:// URI; any other scheme
is one message before Spark starts. Fast: no Spark is started.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.engines.session import EngineError
from revstory.engines.spark import staging_folder


def message(value: str) -> str:
    return (
        f"spark_staging {value!r} is not a folder on this machine: revstory writes the "
        "validated tables there with DuckDB before Spark reads them, so give a local folder "
        "or a file:// URI; on a cluster, a shared mount every node can read (NFS, or the "
        "bucket mounted), e.g. /mnt/shared/revstory-staging"
    )


def test_local_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert staging_folder("file:///mnt/shared/stage") == Path("/mnt/shared/stage")
    assert staging_folder("file://localhost/mnt/a%20b") == Path("/mnt/a b")
    assert staging_folder("/mnt/shared/stage") == Path("/mnt/shared/stage")
    assert staging_folder("stage/here") == tmp_path.resolve() / "stage" / "here"
    assert staging_folder("stage/here").as_uri() == (tmp_path.resolve() / "stage/here").as_uri()


@pytest.mark.parametrize(
    "value", ["s3a://bucket/revstory", "hdfs://namenode:8020/tmp/x", "gs://b/x", "file://nas/x"]
)
def test_other_schemes(value: str) -> None:
    with pytest.raises(EngineError) as err:
        staging_folder(value)
    assert str(err.value) == message(value)


def test_attribute_fails_before_spark(
    fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "plugins:\n  - revstory:\n      spark_staging: s3a://bucket/revstory\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main,
        [
            "attribute",
            str(fixtures / "drops" / "minimal"),
            "--out",
            str(tmp_path / "out"),
            "--config-file",
            str(config),
            "--engine",
            "spark",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "Error: " + message("s3a://bucket/revstory")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "s3a:").exists()  # no local folder named after the scheme
