"""attribution.csv and influence.csv are written byte for byte as pandas' to_csv writes them."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pytest
from revstory import export
from revstory.export import (
    _attribution_figures,
    _models_range,
    _money,
    _spread_columns,
    _to_csv,
    attribution_frame,
    influence_frame,
    summary_dict,
    write_results,
)
from revstory.uncertainty.intervals import model_spread

if TYPE_CHECKING:
    from revstory.attribute.stage import Results


@pytest.fixture
def pandas_calls(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Record the calls of DataFrame.to_csv (the test's own included)."""
    calls: list[object] = []
    original = pd.DataFrame.to_csv

    def spy(self: pd.DataFrame, *args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(pd.DataFrame, "to_csv", spy)
    return calls


def _frame(content_ids: list[object]) -> pd.DataFrame:
    n = len(content_ids)
    return pd.DataFrame(
        {
            "quarter": ["2026-Q3"] * n,
            "content_id": content_ids,
            "revenue": [f"{v:.2f}" for v in np.linspace(0, 1234.5, n)],
            "deals_influenced": np.arange(n, dtype=np.int64) * 1_000_003,
            "thin_evidence": np.arange(n) % 2 == 0,
        }
    )


@pytest.mark.parametrize(
    ("frame", "joined"),
    [
        (_frame(["guide-1", "Ünïcode piece", "", "a b"]), True),
        # No rows (no types to tell), fields the csv module quotes, a missing value: pandas.
        (_frame([]), False),
        (_frame(["with, comma", "plain"]), False),
        (_frame(['say "hi"', "plain"]), False),
        (_frame(["two\nlines", "plain"]), False),
        (_frame(["plain", None]), False),
        (_frame(["plain", "other"]).rename(columns={"quarter": "quar,ter"}), False),
        (_frame(["plain", "other"]).assign(revenue=[1.5, 2.25]), False),
        (pd.DataFrame({"content_id": ["", "x"]}), False),  # one column: csv writes ""
    ],
)
def test_bytes_are_pandas_to_csv(
    frame: pd.DataFrame, joined: bool, tmp_path: Path, pandas_calls: list[object]
) -> None:
    expected = tmp_path / "pandas.csv"
    frame.to_csv(expected, index=False)
    written, before = tmp_path / "ours.csv", len(pandas_calls)
    _to_csv(frame, written)
    assert written.read_bytes() == expected.read_bytes()
    assert (len(pandas_calls) == before) == joined


@pytest.mark.parametrize(
    ("revenue", "joined"),
    [(["1.50", "nan", "-0.25", "1234567.89"], True), (["1,50", "2", "3", "4"], False)],
)
def test_formatted_columns_are_written_as_assigned(
    revenue: list[str], joined: bool, tmp_path: Path, pandas_calls: list[object]
) -> None:
    frame = _frame(["a", "b", "c", "d"]).assign(revenue=[1.5, float("nan"), -0.25, 1234567.89])
    expected = tmp_path / "pandas.csv"
    frame.assign(revenue=revenue).to_csv(expected, index=False)
    written, before = tmp_path / "ours.csv", len(pandas_calls)
    _to_csv(frame, written, {"revenue": revenue})
    assert written.read_bytes() == expected.read_bytes()
    assert (len(pandas_calls) == before) == joined
    assert frame["revenue"].dtype == np.float64  # the caller's frame is left as it was


def test_results_written_beside_the_intervals_are_the_serial_frames(
    sample_results: Results, tmp_path: Path
) -> None:
    # write_results computes the intervals on a thread while it writes the rest: the files
    # must be the frames built one after the other, formatted and written by pandas.
    money = f"%.{sample_results.currency_digits}f"
    a = attribution_frame(sample_results)
    spec = dict.fromkeys(
        ("revenue", "revenue_low", "revenue_high", "models_min", "models_max"), money
    )
    spec["credit"] = "%.6f"
    a.assign(**{c: [f % v for v in a[c]] for c, f in spec.items()}).to_csv(
        tmp_path / "attribution.csv", index=False
    )
    i = influence_frame(sample_results)
    i.assign(
        **{c: [money % v for v in i[c]] for c in ("influenced_revenue", "influenced_pipeline")}
    ).to_csv(tmp_path / "influence.csv", index=False)
    summary = json.dumps(summary_dict(sample_results), indent=2, sort_keys=True) + "\n"
    written = write_results(sample_results, tmp_path / "out")
    assert [p.name for p in written] == ["attribution.csv", "influence.csv", "summary.json"]
    assert len(a) > 100 and a["thin_evidence"].any() and not a["thin_evidence"].all()
    for name in ("attribution.csv", "influence.csv"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / name).read_bytes(), name
    assert (tmp_path / "out" / "summary.json").read_text(encoding="utf-8") == summary


@pytest.mark.parametrize("digits", [0, 2, 3])
def test_money_is_written_as_python_formats_the_float(digits: int) -> None:
    # Figures in major units on their currency's grid (as export._major makes them): large,
    # small, negative, zero and negative zero; the strings are %.<digits>f's, byte for byte.
    rng = np.random.default_rng(7)
    minor = np.concatenate(
        [
            rng.integers(-(10**10), 10**10, 50_000),
            rng.integers(-1_000, 1_000, 5_000),
            [0, 1, -1, 10**digits, -(10**digits), 10**digits - 1],
        ]
    )
    values = pd.Series(np.append((minor / 10**digits).round(digits), [-0.0, 0.0]))
    expected = [f"%.{digits}f" % v for v in values.tolist()]
    assert _money(values, digits) == expected
    assert _money(values.to_numpy(), digits)[-2:] == [
        "-0" if digits == 0 else "-0." + "0" * digits,
        "0" if digits == 0 else "0." + "0" * digits,
    ]


def test_money_with_a_missing_or_huge_figure_is_python_formatted() -> None:
    assert _money(pd.Series([1.5, np.nan]), 2) == ["1.50", "nan"]
    assert _money(pd.Series([2.25, 1e15, -3.0]), 2) == ["2.25", "1000000000000000.00", "-3.00"]
    assert _money(pd.Series([], dtype="float64"), 2) == []


def _spread(results: Results) -> dict[str, np.ndarray]:
    return _spread_columns(
        _attribution_figures(results), model_spread(results), results.currency_digits
    )


def test_models_range_is_the_spread_of_the_pivot(
    sample_results: Results, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stage's blocks (one row per model for each quarter and piece) and the pivot of
    # model_spread give the same range; a frame missing one model's row is not read as
    # blocks (the pivot takes the missing figure as 0), nor one whose rows are shuffled.
    expected = _spread(sample_results)
    assert len(set(sample_results.attribution["model"])) > 1
    with monkeypatch.context() as m:  # the blocks are read without the pivot
        m.setattr(export, "model_spread", lambda _: pytest.fail("pivoted"))
        got = _models_range(sample_results)
    assert {c: got[c].tolist() for c in got} == {c: expected[c].tolist() for c in expected}
    gap = dataclasses.replace(
        sample_results, attribution=sample_results.attribution.iloc[1:].reset_index(drop=True)
    )
    shuffled = dataclasses.replace(
        sample_results, attribution=sample_results.attribution.sample(frac=1.0, random_state=3)
    )
    for odd in (gap, shuffled):
        assert {c: v.tolist() for c, v in _models_range(odd).items()} == {
            c: v.tolist() for c, v in _spread(odd).items()
        }
