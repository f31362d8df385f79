"""Uncertainty and influence frames, and the data-driven models inside the pipeline."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import revstory.export as export
import revstory.uncertainty.intervals as u
from revstory.attribute.data_driven import journey_frame, markov_effects, shapley_effects
from revstory.attribute.stage import Results
from revstory.config import make_config
from revstory.export import write_results
from revstory.journeys import build_journeys
from revstory.pipeline import run
from revstory.story.figures import deal_type_frame
from revstory.uncertainty.intervals import CAVEAT, enrich

REPO = Path(__file__).resolve().parents[2]


def _drop(folder: Path, seed: int = 3, n_deals: int = 40) -> None:
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True)
    n_content = 6
    pd.DataFrame(
        {
            "content_id": [f"c{i}" for i in range(n_content)],
            "url": [f"https://x.example/c{i}" for i in range(n_content)],
            "title": [f"Piece {i}" for i in range(n_content)],
            "content_type": ["article", "article", "ebook", "video", "webinar", "ebook"],
        }
    ).to_csv(folder / "content.csv", index=False)
    deals, contacts, touches = [], [], []
    for d in range(n_deals):
        status = ["won", "lost", "open"][d % 3] if d % 5 else "won"
        deals.append(
            {
                "deal_id": f"D{d:02d}",
                "account_id": f"A{d}",
                "amount": float(rng.integers(1_000, 50_000)),
                "currency": "EUR",
                "created_at": "2026-07-01T09:00:00Z",
                "closed_at": f"2026-09-{int(rng.integers(1, 28)):02d}" if status != "open" else "",
                "status": status,
                "deal_type": ["new", "renewal", "expansion"][d % 3],
            }
        )
        contacts.append({"deal_id": f"D{d:02d}", "person_id": f"p{d}@x.example"})
        if d % 7 == 6:
            continue  # an untouched deal
        for k in range(int(rng.integers(1, 5))):
            piece = (
                int(rng.integers(0, n_content))
                if status != "won"
                else int(rng.choice(n_content, p=[0.3, 0.1, 0.3, 0.1, 0.1, 0.1]))
            )
            touches.append(
                {
                    "occurred_at": f"2026-06-{k + 1:02d}T10:{d % 60:02d}:00Z",
                    "person_id": f"p{d}@x.example",
                    "content_id": f"c{piece}",
                    "touch_type": "view",
                }
            )
    pd.DataFrame(deals).to_csv(folder / "deals.csv", index=False)
    pd.DataFrame(contacts).to_csv(folder / "deal_contacts.csv", index=False)
    pd.DataFrame(touches).to_csv(folder / "touches.csv", index=False)


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Results, object]:
    folder = tmp_path_factory.mktemp("drop") / "2026-Q3"
    _drop(folder)
    return run([folder], make_config({}))


@pytest.fixture(scope="module")
def results(pipeline: tuple[Results, object]) -> Results:
    return pipeline[0]


def test_intervals_deterministic_and_flagged(results: Results) -> None:
    a = enrich(results, samples=100)
    b = enrich(results, samples=100)
    c = enrich(results, samples=100, seed=1)
    iv = a.intervals
    assert iv.equals(b.intervals) and a.comparisons.equals(b.comparisons)
    assert not iv[["revenue_low_minor", "revenue_high_minor"]].equals(
        c.intervals[["revenue_low_minor", "revenue_high_minor"]]
    )
    assert set(iv["model"]) == set(results.config.models)
    assert (iv["revenue_low_minor"] <= iv["revenue_high_minor"]).all()
    assert (iv["revenue_low_minor"] >= 0).all()
    assert iv["thin_evidence"].equals(iv["won_deals"] < results.config.min_deals)
    sp = iv.merge(a.spread, on=["quarter", "content_id"])
    assert (
        (sp["models_min_minor"] <= sp["revenue_minor"])
        & (sp["revenue_minor"] <= sp["models_max_minor"])
    ).all()


def test_interval_of_a_two_deal_quarter_is_exact(tmp_path: Path) -> None:
    folder = tmp_path / "2026-Q3"
    folder.mkdir()
    pd.DataFrame(
        {
            "content_id": ["c0"],
            "url": ["https://x.example/c0"],
            "title": ["c0"],
            "content_type": ["article"],
        }
    ).to_csv(folder / "content.csv", index=False)
    pd.DataFrame(
        {
            "deal_id": ["D1", "D2"],
            "account_id": ["A", "B"],
            "amount": [100.0, 300.0],
            "currency": "EUR",
            "created_at": "2026-07-01T00:00:00Z",
            "closed_at": "2026-08-01",
            "status": "won",
            "deal_type": "new",
        }
    ).to_csv(folder / "deals.csv", index=False)
    pd.DataFrame({"deal_id": ["D1", "D2"], "person_id": ["p1", "p2"]}).to_csv(
        folder / "deal_contacts.csv", index=False
    )
    pd.DataFrame(
        {
            "occurred_at": "2026-07-02T00:00:00Z",
            "person_id": ["p1", "p2"],
            "content_id": "c0",
            "touch_type": "view",
        }
    ).to_csv(folder / "touches.csv", index=False)
    res, _ = run([folder], make_config({"models": ["linear", "markov", "shapley"]}))
    iv = enrich(res).intervals
    # Resampled totals are 200, 400 or 600 (p = 1/4, 1/2, 1/4): the 90 % interval is 200-600.
    assert iv["revenue_low_minor"].tolist() == [20000] * 3
    assert iv["revenue_high_minor"].tolist() == [60000] * 3
    assert iv["thin_evidence"].all()  # 2 deals < min_deals 3


def test_comparisons(results: Results) -> None:
    e = enrich(results, samples=50)
    comp = e.comparisons
    assert set(comp["caveat"]) == {CAVEAT}
    overall = comp[comp["scope"] == "all_content"].iloc[0]
    closed = results.deals[results.deals["status"].isin(["won", "lost"])]
    touched = closed[closed["touched"]]
    assert overall["touched_deals"] == len(touched)
    assert overall["win_rate_touched"] == pytest.approx((touched["status"] == "won").mean())
    assert (
        overall["win_rate_touched_low"]
        <= overall["win_rate_touched"]
        <= overall["win_rate_touched_high"]
    )
    assert {"content_type", "article"} <= set(comp["scope"])


def test_each_comparison_counts_the_closed_deals_whose_journey_holds_it(results: Results) -> None:
    # Per quarter, piece and content type: the touched deals are the closed deals of the
    # quarter with a touch of it, counted here from the frames directly. Every piece is also
    # in the journey of a deal that is not closed (the journeys here hold closed deals only).
    from dataclasses import replace

    extra = results.journeys.drop_duplicates(["quarter", "content_id"]).assign(deal_id="open-1")
    results = replace(results, journeys=pd.concat([results.journeys, extra], ignore_index=True))
    comp = enrich(results, samples=20).comparisons
    types = results.content.set_index("content_id")["content_type"]
    j = results.journeys.assign(content_type=lambda f: types.reindex(f["content_id"]).to_numpy())
    checked = 0
    for quarter in results.quarters:
        deals = results.deals
        closed = deals[(deals["quarter"] == quarter) & deals["status"].isin(["won", "lost"])]
        jq = j[j["quarter"] == quarter]
        for scope, column in (("article", "content_id"), ("content_type", "content_type")):
            rows = comp[(comp["quarter"] == quarter) & (comp["scope"] == scope)]
            for key, touched, untouched in zip(
                rows["key"], rows["touched_deals"], rows["untouched_deals"], strict=True
            ):
                hit = closed["deal_id"].isin(jq.loc[jq[column] == key, "deal_id"])
                assert (touched, untouched) == (hit.sum(), (~hit).sum()), (quarter, key)
                checked += 1
    assert checked == (comp["scope"] != "all_content").sum() >= 10


def test_deal_types(results: Results) -> None:
    dt = deal_type_frame(results)
    assert set(dt["deal_type"]) == {"new", "renewal", "expansion"}
    summary = results.summary[results.summary["model"] == "linear"].iloc[0]
    assert dt["influenced_revenue_minor"].sum() == summary["touched_won_revenue_minor"]
    assert dt["won_revenue_minor"].sum() == summary["won_revenue_minor"]


def test_markov_credit_follows_removal_effects(results: Results) -> None:
    dc = results.deal_credit
    dc = dc[dc["model"].astype(str) == "markov"].assign(
        content_id=lambda f: f["content_id"].astype(str), deal_id=lambda f: f["deal_id"].astype(str)
    )
    assert dc.groupby("deal_id")["credit"].sum().to_numpy() == pytest.approx(1.0)
    j = results.journeys[["quarter", "deal_id", "content_id", "touch_type", "channel"]]
    fx = markov_effects(j.assign(won=j["deal_id"].isin(dc["deal_id"])), "content_id")
    re = fx.set_index("content_id")["removal_effect"]
    for _, deal in dc.groupby("deal_id"):
        expected = re.reindex(deal["content_id"]).to_numpy()
        assert deal["credit"].to_numpy() == pytest.approx(expected / expected.sum())


def test_shapley_by_type_and_channel(pipeline: tuple[Results, object]) -> None:
    j = journey_frame(build_journeys(pipeline[1], make_config({})).con)  # type: ignore[arg-type]
    by_type = shapley_effects(j, "content_type")
    assert by_type["share"].sum() == pytest.approx(1.0)
    assert (by_type["shapley_value"] >= 0).all()
    by_channel = shapley_effects(j, "channel")
    assert by_channel["channel"].tolist() == ["(none)"]


def test_attribution_csv_has_interval_columns(results: Results, tmp_path: Path) -> None:
    write_results(results, tmp_path)
    a = pd.read_csv(tmp_path / "attribution.csv")
    for col in ("revenue_low", "revenue_high", "models_min", "models_max", "thin_evidence"):
        assert col in a.columns
    assert (a["revenue_low"] <= a["revenue_high"]).all()


def test_moment_interval_matches_the_sampled_bootstrap(
    results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above EXACT_MAX_DEALS the interval comes from the bootstrap's exact variance; on
    figures backed by many deals it must agree with a long sampled bootstrap."""
    monkeypatch.setattr(u, "EXACT_MAX_DEALS", 10**9)
    sampled = u.attribution_intervals(results, samples=20_000)
    monkeypatch.setattr(u, "EXACT_MAX_DEALS", 0)
    moments = u.attribution_intervals(results, samples=20_000)
    many = sampled["won_deals"] >= 8
    assert many.sum() >= 10
    w_s = (sampled["revenue_high_minor"] - sampled["revenue_low_minor"])[many]
    w_m = (moments["revenue_high_minor"] - moments["revenue_low_minor"])[many]
    assert ((w_m / w_s - 1).abs() < 0.2).all()
    assert (moments["revenue_low_minor"] >= 0).all()


def test_intervals_from_the_pairs_equal_those_from_the_long_frame(tmp_path: Path) -> None:
    # 300 deals: figures above EXACT_MAX_DEALS deals (moments) and at or below it (sampled).
    folder = tmp_path / "2026-Q3"
    _drop(folder, seed=5, n_deals=300)
    res, _ = run([folder], make_config({"models": ["w_shaped", "linear", "markov", "shapley"]}))
    assert res.credit_pairs is not None
    won = res.attribution["deals_influenced"]
    assert (won > u.EXACT_MAX_DEALS).any() and (won <= u.EXACT_MAX_DEALS).any()
    from_pairs = u.attribution_intervals(res, samples=50)
    from_long = u.attribution_intervals(dataclasses.replace(res, credit_pairs=None), samples=50)
    assert from_pairs.equals(from_long)
    assert not from_pairs.equals(u.attribution_intervals(res, samples=50, seed=1))


def test_bounds_begun_by_the_stage_are_the_bounds_computed_afterwards() -> None:
    # Without the site's detail the attribution stage starts the intervals in threads as soon
    # as the models have run; they must be the intervals computed from the results alone.
    config = make_config({"models": ["w_shaped", "linear", "time_decay"]})
    res, _ = run([REPO / "content"], config, detail=False)
    assert res.bounds is not None and len(res.quarters) >= 2
    assert res.bounds.made_for(res, u.DEFAULT_SAMPLES, u.DEFAULT_SEED, u.LEVEL)
    alone = dataclasses.replace(res, bounds=None)
    begun = u.attribution_intervals(res)
    pd.testing.assert_frame_equal(begun, u.attribution_intervals(alone), check_exact=True)
    assert begun["quarter"].nunique() >= 2 and (begun["revenue_high_minor"] > 0).any()
    won = begun["won_deals"]
    assert (won > u.EXACT_MAX_DEALS).any() and (won <= u.EXACT_MAX_DEALS).any()
    # Other settings, or other deals (history merges restored quarters' frames in), are not
    # what was begun: computed afresh.
    assert not res.bounds.made_for(res, 50, u.DEFAULT_SEED, u.LEVEL)
    pd.testing.assert_frame_equal(
        u.attribution_intervals(res, samples=50),
        u.attribution_intervals(alone, samples=50),
        check_exact=True,
    )
    other = dataclasses.replace(res, deals=res.deals.copy())
    assert not res.bounds.made_for(other, u.DEFAULT_SAMPLES, u.DEFAULT_SEED, u.LEVEL)


@pytest.mark.parametrize("shape", [(40, 200), (6, 1), (6, 2), (5, 3), (30, 21), (4, 1000)])
@pytest.mark.parametrize("qs", [(0.05, 0.95), (0.0, 1.0), (0.5, 0.25), (0.3, 0.7)])
def test_row_quantiles_are_numpys_to_the_bit(shape: tuple[int, int], qs: tuple[float, ...]) -> None:
    # The bootstrap's intervals sort each row and interpolate as np.quantile does: the
    # figures of attribution.csv must not move by a bit (whole numbers, fractions and ties).
    rng = np.random.default_rng(sum(shape))
    for values in (
        rng.integers(0, 10**9, shape).astype(np.float64),
        rng.standard_normal(shape) * 1e6,
        rng.integers(0, 3, shape).astype(np.float64),
    ):
        expected = np.quantile(values, list(qs), axis=1)
        got = u.row_quantiles(values.copy(), qs)
        assert got.shape == expected.shape
        assert (got.view(np.int64) == expected.view(np.int64)).all()


def test_rows_find_the_bounds_begun_as_the_merges_do(tmp_path: Path) -> None:
    # attribute's export run (detail off) begins the bounds beside the stage; write_results
    # matches them to attribution.csv's rows by code, not by merging on three names. Two
    # quarters, models in an order that is not their names', every row as the merges give.
    for quarter, seed in (("2026-Q2", 5), ("2026-Q3", 9)):
        _drop(tmp_path / quarter, seed=seed, n_deals=90)
    # The second quarter's deals are made three months earlier, their touches too.
    for name, months in (
        ("deals.csv", {"-07-": "-04-", "-09-": "-06-"}),
        ("touches.csv", {"-06-": "-03-"}),
    ):
        path = tmp_path / "2026-Q2" / name
        text = path.read_text()
        for old, new in months.items():
            text = text.replace(old, new)
        path.write_text(text)
    config = make_config(
        {"models": ["w_shaped", "linear", "first_touch", "time_decay"], "min_deals": 3}
    )
    results, _ = run(sorted(tmp_path.iterdir()), config, detail=False)
    assert results.bounds is not None and len(results.quarters) == 2
    # The threshold at a figure's own count of deals: thin below it, not at it.
    at = int(results.attribution["deals_influenced"].median())
    results = dataclasses.replace(
        results, config=results.config.model_copy(update={"min_deals": at})
    )
    rows = u.row_intervals(results, results.bounds)
    merged = export._interval_columns(
        export._attribution_figures(results), u.attribution_intervals(results), 2
    )
    assert (rows["thin_evidence"] == merged["thin_evidence"]).all()
    assert rows["thin_evidence"].any() and not rows["thin_evidence"].all()
    for col in ("revenue_low", "revenue_high"):
        from_rows = export._major(pd.Series(rows[f"{col}_minor"]), 2).to_numpy()
        assert (from_rows == merged[col]).all(), col
    assert (rows["revenue_high_minor"] > rows["revenue_low_minor"]).any()
