"""Write attribution results as files analysts can take elsewhere (CSV and JSON).

No person identifier is in any of these frames; account names are not written either.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from revstory.attribute.data_driven import DATA_DRIVEN_MODELS, By, ClosedJourneys, JourneyFrame
from revstory.attribute.stage import Results
from revstory.journeys import Journeys
from revstory.uncertainty.intervals import (
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    LEVEL,
    IntervalBounds,
    attribution_intervals,
    model_spread,
    row_intervals,
)


def _major(minor: pd.Series, digits: int) -> pd.Series:
    return (minor.astype("int64") / 10**digits).round(digits)


def attribution_frame(results: Results) -> pd.DataFrame:
    """Build attribution.csv: one row per (quarter, content, model), in major units.

    Each row has the 90 % bootstrap interval, the range over all models and the thin-evidence
    flag (see :mod:`revstory.uncertainty.intervals`).
    """
    return _with_ranges(
        _attribution_figures(results),
        attribution_intervals(results),
        model_spread(results),
        results.currency_digits,
    )


def _attribution_figures(results: Results) -> pd.DataFrame:
    """Return attribution.csv's columns that come from ``results.attribution`` alone."""
    d = results.currency_digits
    a = results.attribution
    return pd.DataFrame(
        {
            "quarter": a["quarter"],
            "content_id": a["content_id"],
            "model": a["model"],
            "revenue": _major(a["revenue_minor"], d),
            "credit": a["credit"].round(6),
            "deals_influenced": a["deals_influenced"].astype("int64"),
        }
    )


def _with_ranges(
    out: pd.DataFrame, iv: pd.DataFrame, spread: pd.DataFrame, digits: int
) -> pd.DataFrame:
    """Add the intervals ``iv`` and the models' ``spread`` to :func:`_attribution_figures`."""
    ranges = _interval_columns(out, iv, digits)
    models = _spread_columns(out, spread, digits)
    for col in ("revenue_low", "revenue_high"):
        out[col] = ranges[col]
    for col in ("models_min", "models_max"):
        out[col] = models[col]
    out["thin_evidence"] = ranges["thin_evidence"]
    return out


def _interval_columns(out: pd.DataFrame, iv: pd.DataFrame, digits: int) -> dict[str, np.ndarray]:
    """Each row's interval (major units) and thin-evidence flag, from ``iv``."""
    keys = ["quarter", "content_id", "model"]
    extra = (
        out[keys]
        .astype(str)
        .merge(
            iv[[*keys, "revenue_low_minor", "revenue_high_minor", "thin_evidence"]],
            on=keys,
            how="left",
        )
    )
    columns = {
        col: _major(extra[f"{col}_minor"].fillna(0), digits).to_numpy()
        for col in ("revenue_low", "revenue_high")
    }
    columns["thin_evidence"] = extra["thin_evidence"].fillna(True).astype(bool).to_numpy()
    return columns


def _row_ranges(results: Results, bounds: IntervalBounds, digits: int) -> dict[str, np.ndarray]:
    """:func:`_interval_columns` of the rows of ``results.attribution``, from begun ``bounds``."""
    rows = row_intervals(results, bounds)
    columns = {
        col: _major(pd.Series(rows[f"{col}_minor"]), digits).to_numpy()
        for col in ("revenue_low", "revenue_high")
    }
    columns["thin_evidence"] = rows["thin_evidence"]
    return columns


def _spread_columns(out: pd.DataFrame, spread: pd.DataFrame, digits: int) -> dict[str, np.ndarray]:
    """Each row's piece's lowest and highest revenue over the models (major units)."""
    keys = ["quarter", "content_id"]
    extra = (
        out[keys]
        .astype(str)
        .merge(spread[[*keys, "models_min_minor", "models_max_minor"]], on=keys, how="left")
    )
    return {
        col: _major(extra[f"{col}_minor"].fillna(0), digits).to_numpy()
        for col in ("models_min", "models_max")
    }


def _models_range(results: Results) -> dict[str, np.ndarray]:
    """:func:`_spread_columns` of :func:`model_spread` for the rows of ``results.attribution``.

    The stage's frame holds each (quarter, piece) as one block of rows, one per model, in
    the same model order (:func:`revstory.attribute.pairs.per_piece`): then each block's
    lowest and highest revenue are those of its rows, with no pivot, rank or merge (0.17 s
    at 10M touches, at the end of the run with nothing beside it). Any other layout goes
    through model_spread.
    """
    a = results.attribution
    models = a["model"].to_numpy(dtype=object)
    n = len(pd.unique(models))
    digits = results.currency_digits
    if n == 0 or len(a) % n:
        return _spread_columns(_attribution_figures(results), model_spread(results), digits)
    blocks = len(a) // n
    keys = [
        a[c].astype(str).to_numpy(dtype=object).reshape(blocks, n)
        for c in ("quarter", "content_id")
    ]
    by_model = models.reshape(blocks, n)
    regular = (
        all((k == k[:, :1]).all() for k in keys)  # one key a block
        and bool((by_model == by_model[:1]).all())  # the same models in the same order
        # no key in two blocks (the frame is sorted by its keys, so they would be adjacent)
        and bool(((keys[0][1:, 0] != keys[0][:-1, 0]) | (keys[1][1:, 0] != keys[1][:-1, 0])).all())
    )
    if not regular:
        return _spread_columns(_attribution_figures(results), model_spread(results), digits)
    revenue = a["revenue_minor"].to_numpy(dtype=np.int64).reshape(blocks, n)
    return {
        "models_min": _major(pd.Series(np.repeat(revenue.min(axis=1), n)), digits).to_numpy(),
        "models_max": _major(pd.Series(np.repeat(revenue.max(axis=1), n)), digits).to_numpy(),
    }


def influence_frame(results: Results) -> pd.DataFrame:
    """Build influence.csv: influenced revenue and pipeline per (quarter, content), major units."""
    d = results.currency_digits
    i = results.influence
    return pd.DataFrame(
        {
            "quarter": i["quarter"],
            "content_id": i["content_id"],
            "influenced_revenue": _major(i["influenced_revenue_minor"], d),
            "influenced_pipeline": _major(i["influenced_pipeline_minor"], d),
            "won_deals": i["won_deals"].astype("int64"),
            "lost_deals": i["lost_deals"].astype("int64"),
            "open_deals": i["open_deals"].astype("int64"),
        }
    )


def summary_dict(results: Results) -> dict[str, object]:
    """Build summary.json: per quarter and model, won, touched, attributed revenue and deals."""
    d = results.currency_digits
    quarters: dict[str, dict[str, dict[str, float | int]]] = {}
    for q in results.quarters:
        rows = results.summary[results.summary["quarter"] == q]
        models = {}
        for r in rows.to_dict("records"):
            models[r["model"]] = {
                "won_revenue": round(r["won_revenue_minor"] / 10**d, d),
                "content_touched_won_revenue": round(r["touched_won_revenue_minor"] / 10**d, d),
                "attributed": round(r["attributed_minor"] / 10**d, d),
                "unattributed": round(r["unattributed_minor"] / 10**d, d),
                "won_deals": int(r["won_deals"]),
                "content_touched_won_deals": int(r["touched_won_deals"]),
            }
        quarters[q] = models
    return {"currency": results.config.reporting_currency, "quarters": quarters}


#: effects.csv's dimensions, in file order: the Markov chain's states are pieces, content
#: types or channels; Shapley values are computed over content types.
EFFECT_DIMENSIONS: tuple[By, ...] = ("content_id", "content_type", "channel")
EFFECT_COLUMNS = [
    "quarter",
    "dimension",
    "state",
    "removal_effect",
    "share",
    "conversions",
    "conversion_probability",
    "shapley_value",
    "shapley_share",
]


def effects_frame(journeys: pd.DataFrame | ClosedJourneys, markov_order: int = 1) -> pd.DataFrame:
    """Compute the global figures ChannelAttribution, DP6 and ``mta`` report, per quarter.

    In: the journey frame of :func:`revstory.attribute.data_driven.journey_frame` (quarter,
    deal_id, won, content_id, content_type, channel; won and lost deals, touches in order),
    or any :class:`~revstory.attribute.data_driven.ClosedJourneys` (an engine's counts).
    Out: one row per quarter, dimension (``content_id``, ``content_type``, ``channel``) and
    state, sorted in that order: the exact removal effect of the state, its share (removal
    effects normalised to sum to 1 per quarter and dimension), ``conversions`` = share × won
    deals of the quarter (ChannelAttribution's ``total_conversions`` with ``var_null``), the
    chain's conversion probability from START, and for content types the exact Shapley value
    (conversion-rate coalitions) and its share; empty for the other dimensions.

    These are the same removal effects and Shapley values the ``markov`` and ``shapley``
    models use to split each won deal (see the methodology page).
    """
    closed = JourneyFrame(journeys) if isinstance(journeys, pd.DataFrame) else journeys
    frames = []
    won = closed.won_deals()
    for dim in EFFECT_DIMENSIONS:
        fx = closed.markov(dim, markov_order).rename(columns={dim: "state"})
        fx.insert(1, "dimension", dim)
        fx["conversions"] = fx["share"] * fx["quarter"].map(won).astype(np.float64)
        frames.append(fx)
    out = pd.concat(frames, ignore_index=True)
    sh = closed.shapley("content_type").rename(
        columns={"content_type": "state", "share": "shapley_share"}
    )
    sh["dimension"] = "content_type"
    out = out.merge(sh, on=["quarter", "dimension", "state"], how="outer")
    order = {d: i for i, d in enumerate(EFFECT_DIMENSIONS)}
    out = out.sort_values(
        ["quarter", "dimension", "state"],
        key=lambda c: c.map(order) if c.name == "dimension" else c,
        ignore_index=True,
    )
    return out.reindex(columns=EFFECT_COLUMNS)


def write_effects(journeys: Journeys, results: Results, out: Path) -> Path | None:
    """Write effects.csv (see :func:`effects_frame`) when a data-driven model is configured.

    Returns its path, or ``None`` (nothing written) when neither ``markov`` nor ``shapley``
    is among the configured models. The journeys are read
    through the journeys stage's connection, which holds its TEMP ``journeys`` table.
    """
    if not set(DATA_DRIVEN_MODELS) & set(results.config.models):
        return None
    out.mkdir(parents=True, exist_ok=True)
    path = out / "effects.csv"
    frame = effects_frame(journeys.closed(), results.config.markov_order)
    frame.to_csv(path, index=False, float_format="%.10f")
    return path


def _formatted(column: pd.Series, spec: str) -> list[str]:
    """Each float of ``column`` as ``spec`` (``%.2f``) formats it: the f-string's digits.

    A plain loop over Python floats, about twice as fast as ``Series.map`` (10M touches: half
    a million rows a column).
    """
    return [spec % v for v in column.to_numpy(dtype=np.float64).tolist()]


#: Below this many major units a money figure's float is the nearest one to its minor
#: units' decimal with room to spare (half an ulp under a thousandth of a cent), so its
#: ``%.<digits>f`` is those units' digits: :func:`_money` writes them from the integers.
_EXACT_MONEY = 1e11


def _money(column: pd.Series | npt.NDArray[np.float64], digits: int) -> list[str]:
    """Each money figure of ``column`` (major units, on its currency's grid) as ``%.<digits>f``.

    The same strings, written from the minor units' integers by Arrow's kernels instead of
    Python's float formatting, three times as fast: five such columns of attribution.csv
    were a fifth of a second at 10M touches, with nothing else left to run beside them.
    A column with a missing or a huge value is formatted as :func:`_formatted` does.
    """
    values = np.asarray(column, dtype=np.float64)
    spec = f"%.{digits}f"
    if not len(values) or not np.all(np.abs(values) < _EXACT_MONEY):  # False for NaN too
        return _formatted(pd.Series(values), spec)
    minor = np.rint(values * 10**digits).astype(np.int64)
    whole, part = np.divmod(np.abs(minor), 10**digits)
    text = pc.cast(pa.array(whole), pa.string())
    if digits:
        cents = pc.utf8_lpad(pc.cast(pa.array(part), pa.string()), digits, "0")
        text = pc.binary_join_element_wise(text, cents, ".")
    # The sign of the float as written: "-0.00" is a negative figure rounded to nothing.
    minus = pa.array(np.signbit(values))
    text = pc.if_else(minus, pc.binary_join_element_wise("-", text, ""), text)
    fields: list[str] = text.to_pylist()
    return fields


#: What makes the csv module quote a field as pandas writes it (quoting minimal, comma).
_QUOTED = (",", '"', "\r", "\n")


def _plain(fields: list[str]) -> list[str] | None:
    """Return ``fields`` when none needs quotes, else None."""
    joined = "\x00".join(fields)
    return None if any(c in joined for c in _QUOTED) else fields


def _csv_fields(column: pd.Series) -> list[str] | None:
    """Each value of ``column`` as pandas' ``to_csv`` writes it, or None if not that simply.

    Strings (written as they are, when none needs quoting), numpy integers and booleans
    (written as ``str`` writes them); anything else, or a missing value, is None.
    """
    if column.dtype == np.bool_:
        return np.where(column.to_numpy(), "True", "False").tolist()
    if column.dtype == np.int64:
        return [str(v) for v in column.to_numpy().tolist()]
    if isinstance(column.dtype, pd.CategoricalDtype):
        return None
    values = column.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(values, skipna=False) != "string":
        return None
    return _plain(values.tolist())


def _to_csv(
    frame: pd.DataFrame, path: Path, formatted: Mapping[str, list[str]] | None = None
) -> None:
    """Write ``frame.assign(**formatted).to_csv(path, index=False)``, byte for byte.

    ``formatted`` replaces columns by strings (the floats as :func:`write_results` formats
    them), taken as they are rather than put into the frame and read back out. Joined by
    hand when every field is written as it is (:func:`_csv_fields`): pandas' writer spends
    most of its time converting each value back to a Python object (half a second at 10M
    touches for attribution.csv's ~100k rows). Otherwise pandas.
    """
    formatted = formatted or {}
    names = [str(c) for c in frame.columns]
    simple = len(names) > 1 and frame.columns.is_unique  # one column: csv quotes ""
    columns = (
        [_plain(formatted[c]) if c in formatted else _csv_fields(frame[c]) for c in names]
        if simple and all(isinstance(c, str) for c in frame.columns)
        else [None]
    )
    if any(c is None for c in columns) or _plain(names) is None:
        frame.assign(**formatted).to_csv(path, index=False)
        return
    fields = [c for c in columns if c is not None]
    lines = [",".join(names), *map(",".join, zip(*fields, strict=True))]
    with path.open("w", encoding="utf-8", newline="") as f:
        f.write(os.linesep.join(lines) + os.linesep)


def write_results(results: Results, out: Path) -> list[Path]:
    """Write attribution.csv, influence.csv and summary.json into ``out``.

    The bootstrap intervals (numpy and SciPy, mostly without the GIL, a thread per quarter)
    are computed on a thread of their own while this one writes influence.csv and
    summary.json and formats what attribution.csv does not take from them.
    """
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "attribution.csv", out / "influence.csv", out / "summary.json"]
    # Revenue keeps the currency's decimals exactly as computed in minor units.
    digits = results.currency_digits
    # Bounds the stage began for these results are matched to the rows by their codes once
    # they are done; others are computed here, beside (attribution_intervals), and merged.
    begun = results.bounds
    if begun is not None and not begun.made_for(results, DEFAULT_SAMPLES, DEFAULT_SEED, LEVEL):
        begun = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="revstory-intervals") as side:
        intervals = None if begun else side.submit(attribution_intervals, results)
        inf = influence_frame(results)
        money_columns = ("influenced_revenue", "influenced_pipeline")
        _to_csv(inf, paths[1], {c: _money(inf[c], digits) for c in money_columns})
        paths[2].write_text(
            json.dumps(summary_dict(results), indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        a = _attribution_figures(results)
        formatted = {
            "revenue": _money(a["revenue"], digits),
            "credit": _formatted(a["credit"], "%.6f"),
        }
        for c in ("quarter", "content_id", "model", "deals_influenced"):
            fields = _csv_fields(a[c])
            if fields is not None:
                formatted[c] = fields
        models = _models_range(results)
        for c in ("models_min", "models_max"):
            formatted[c] = _money(models[c], digits)
        if begun is not None:
            ranges = _row_ranges(results, begun, results.currency_digits)
        elif intervals is not None:
            ranges = _interval_columns(a, intervals.result(), results.currency_digits)
    for c in ("revenue_low", "revenue_high"):
        a[c] = ranges[c]
        formatted[c] = _money(a[c], digits)
    for c in ("models_min", "models_max"):
        a[c] = models[c]
    a["thin_evidence"] = ranges["thin_evidence"]
    _to_csv(a, paths[0], formatted)
    return paths
