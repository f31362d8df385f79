"""`revstory build --engine`: the flag wins over the plugin block's `engine:`, with the same
option and help as `attribute`'s; the setting reaches the pipeline the site is rendered from.

Fast: the pipeline is replaced by a recorder that stops the build (no Spark is started).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from revstory.cli import main
from revstory.errors import BuildError
from revstory.site import publish


class Stop(BuildError):
    """Raised by the recorder once it has seen the settings."""


@pytest.fixture
def seen(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    record: dict[str, Any] = {}

    def render_docs(settings: Any, *args: Any, **kwargs: Any) -> list[str]:
        record.update(settings.model_dump(include={"engine", "spark_master", "spark_remote"}))
        raise Stop("stopped after the settings")

    monkeypatch.setattr(publish, "render_docs", render_docs)
    return record


def project(tmp_path: Path, block: str) -> Path:
    (tmp_path / "content").mkdir()
    (tmp_path / "docs").mkdir()
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: Test\nplugins:\n  - revstory:{block}\n", encoding="utf-8")
    return config


def build(config: Path, *options: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["build", "-f", str(config), *options])
    return result.exit_code, result.output


def test_flag_wins_over_the_block(tmp_path: Path, seen: dict[str, Any]) -> None:
    config = project(tmp_path, "\n      engine: spark\n      spark_master: local[1]")
    code, output = build(config, "--engine", "duckdb")
    assert code == 1
    assert "stopped after the settings" in output
    assert seen == {"engine": "duckdb", "spark_master": "local[1]", "spark_remote": None}


def test_flag_sets_spark_and_where(tmp_path: Path, seen: dict[str, Any]) -> None:
    config = project(tmp_path, "\n      engine: duckdb")
    code, _ = build(config, "--engine", "spark", "--spark-remote", "sc://localhost:15002")
    assert code == 1
    assert seen == {
        "engine": "spark",
        "spark_master": "local[*]",
        "spark_remote": "sc://localhost:15002",
    }


def test_block_holds_without_the_flag(tmp_path: Path, seen: dict[str, Any]) -> None:
    config = project(tmp_path, "\n      engine: spark")
    code, _ = build(config)
    assert code == 1
    assert seen["engine"] == "spark"
    assert not (tmp_path / "site").exists()


def test_unknown_engine(tmp_path: Path, seen: dict[str, Any]) -> None:
    code, output = build(project(tmp_path, " {}"), "--engine", "polars")
    assert code == 2
    assert "'polars' is not one of 'duckdb', 'spark'" in output
    assert seen == {}


def test_same_option_and_help_as_attribute() -> None:
    def options(command: str) -> dict[str, tuple[str | None, tuple[str, ...]]]:
        params = main.commands[command].params  # type: ignore[attr-defined]
        return {
            p.name: (p.help, tuple(getattr(p.type, "choices", ())))
            for p in params
            if p.name in {"engine", "spark_master", "spark_remote"}
        }

    assert options("build") == options("attribute")
    assert options("build")["engine"][1] == ("duckdb", "spark")


@pytest.mark.slow
def test_spark_builds_the_same_site(spark: Any, edge_drop: Path, tmp_path: Path) -> None:
    """`build --engine spark` publishes the same bytes as `build --engine duckdb`."""
    assert_same_site(edge_drop, tmp_path)


def assert_same_site(drop: Path, tmp_path: Path) -> None:
    """Build ``drop`` (the edge drop's pieces) on both engines: same site, same snapshots."""
    import hashlib
    import shutil

    root = tmp_path / "report"
    result = CliRunner().invoke(main, ["init", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    shutil.rmtree(root / "content")
    shutil.copytree(drop, root / "content")
    sites: dict[str, dict[str, str]] = {}
    snapshots: dict[str, dict[str, pd.DataFrame]] = {}
    for engine in ("duckdb", "spark"):
        result = CliRunner().invoke(
            main,
            ["build", "-f", str(root / "mkdocs.yml"), "--engine", engine],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        sites[engine] = {
            p.relative_to(root / "site").as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "site").rglob("*"))
            if p.is_file()
        }
        snapshots[engine] = {
            p.relative_to(root / "content").as_posix(): pd.read_parquet(p)
            for p in sorted((root / "content").rglob(".revstory/snapshot/*.parquet"))
        }
    pages = {f"articles/{c}.html" for c in "abcde"} | {"quarters/2026-Q3.html", "index.html"}
    assert pages <= set(sites["duckdb"])
    assert sites["spark"] == sites["duckdb"]
    # The quarter snapshots keep the same touches: with the touch files read on Spark they
    # are not in DuckDB's tables, and a snapshot without them would change the later
    # quarters once the exports are deleted.
    kept = [name for name in snapshots["duckdb"] if name.endswith("/touches.parquet")]
    assert kept and all(len(snapshots["duckdb"][name]) for name in kept)
    assert snapshots["spark"].keys() == snapshots["duckdb"].keys()
    for name, frame in snapshots["duckdb"].items():
        pd.testing.assert_frame_equal(snapshots["spark"][name], frame, check_dtype=False)
