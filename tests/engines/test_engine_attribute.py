"""The whole `revstory attribute` on both engines: attribution.csv, influence.csv,
summary.json, effects.csv and ledger.csv byte-identical, over the sample, the test fixtures,
the edge drop and a generated Parquet drop, in contact and account mode; and every frame of
the Results the site is built from (`revstory build`) equal, dtypes included."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from revstory.cli import main

pytestmark = pytest.mark.slow

FILES = ("attribution.csv", "influence.csv", "summary.json", "effects.csv", "ledger.csv")


def run(drop: Path, out: Path, *options: str) -> dict[str, bytes]:
    result = CliRunner().invoke(
        main, ["attribute", str(drop), "--out", str(out), *options], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return {name: (out / name).read_bytes() for name in FILES if (out / name).exists()}


def assert_same(drop: Path, tmp_path: Path, *options: str) -> dict[str, bytes]:
    duck = run(drop, tmp_path / "duckdb", *options, "--engine", "duckdb")
    spark = run(drop, tmp_path / "spark", *options, "--engine", "spark")
    assert sorted(spark) == sorted(duck)
    for name in duck:
        assert sorted(spark[name].splitlines()) == sorted(duck[name].splitlines()), name
        assert spark[name] == duck[name], name
    summary = json.loads(duck["summary.json"])
    attributed = [m["attributed"] for q in summary["quarters"].values() for m in q.values()]
    assert attributed and max(attributed) > 0  # the drop exercises the models
    return duck


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_edge_drop(spark: Any, edge_drop: Path, tmp_path: Path, mode: str) -> None:
    out = assert_same(edge_drop, tmp_path, "--mode", mode)
    assert b"2026-Q3,a,linear," in out["attribution.csv"]
    assert b"2026-Q3,content_type,article," in out["effects.csv"]


def test_time_decay_underflow(spark: Any, edge_drop: Path, tmp_path: Path) -> None:
    # A half-life of a few seconds: weights of touches days before the close underflow to 0,
    # so every deal's weights are taken relative to its latest touch, on both engines.
    assert_same(edge_drop, tmp_path, "--half-life-days", "0.0001", "--lookback-days", "400")


def test_markov_order_two(spark: Any, edge_drop: Path, tmp_path: Path) -> None:
    # Order 2's tuple states are counted from the journey frame Spark hands back.
    config = tmp_path / "mkdocs.yml"
    config.write_text("plugins:\n  - revstory:\n      markov_order: 2\n", encoding="utf-8")
    assert_same(edge_drop, tmp_path, "--config-file", str(config), "--models", "markov,linear")


@pytest.mark.parametrize("mode", ["contact", "account"])
def test_minimal_fixture(spark: Any, fixtures: Path, tmp_path: Path, mode: str) -> None:
    assert_same(fixtures / "drops" / "minimal", tmp_path, "--mode", mode)


def test_sample(spark: Any, repo: Path, tmp_path: Path) -> None:
    assert_same(repo / "content", tmp_path)


def test_generated_parquet_drop(spark: Any, tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    result = CliRunner().invoke(
        main,
        [
            "sample",
            "--out",
            str(drop),
            "--quarters",
            "2",
            "--articles",
            "12",
            "--deals",
            "80",
            "--touches",
            "4000",
            "--seed",
            "13",
            "--format",
            "parquet",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert_same(drop, tmp_path, "--mode", "account", "--lookback-days", "90")


def test_site_frames(spark: Any, edge_drop: Path) -> None:
    """`revstory build` renders the site from these frames: with the journey detail the site
    needs, every frame of the Results is the same on both engines (values and dtypes)."""
    from revstory.config import make_config
    from revstory.pipeline import run

    frames = {}
    for engine in ("duckdb", "spark"):
        results, _ = run([edge_drop], make_config({"engine": engine}), detail=True)
        frames[engine] = results
    duck, other = frames["duckdb"], frames["spark"]
    assert len(duck.journeys) > 10
    for name in (
        "attribution",
        "deal_credit",
        "influence",
        "summary",
        "deals",
        "journeys",
        "content",
        "performance",
        "ledger",
    ):
        pd.testing.assert_frame_equal(getattr(duck, name), getattr(other, name), obj=name)


def test_carried_touches(spark: Any, edge_drop: Path) -> None:
    """Touches carried from a deleted quarter's snapshot reach Spark's journeys as DuckDB's:
    one for E1's contact inside E1's lookback, keyed as that run keyed her."""
    from revstory.config import make_config
    from revstory.journeys import CarriedTouches
    from revstory.pipeline import check, run

    config = make_config({})
    (key,) = check([edge_drop], config).con.execute(
        "SELECT person_key FROM deal_contacts WHERE deal_id = 'E1'"
    ).fetchone() or (None,)
    carried = CarriedTouches(
        touches=pd.DataFrame(
            {
                "occurred_at": [pd.Timestamp("2026-05-20 10:00:00")],
                "person_key": [key],
                "account_id": ["ACC1"],
                "content_id": ["e"],
                "touch_type": ["view"],
                "channel": ["email"],
            }
        ),
        identities=pd.DataFrame({"alias_key": [key], "person_key": [key]}),
    )
    frames = {}
    for engine in ("duckdb", "spark"):
        results, _ = run([edge_drop], make_config({"engine": engine}), carried=carried)
        frames[engine] = results
    duck, other = frames["duckdb"], frames["spark"]
    e1 = duck.journeys[duck.journeys["deal_id"] == "E1"]
    assert pd.Timestamp("2026-05-20 10:00:00") in set(e1["occurred_at"])
    for name in ("attribution", "deal_credit", "influence", "summary", "deals", "journeys"):
        pd.testing.assert_frame_equal(getattr(duck, name), getattr(other, name), obj=name)
