"""How robust is a decision? The top list across resamples and models, the quarter's total.

- :func:`top_robustness`: per piece with credit in a quarter, in how many bootstrap resamples
  of the quarter's won deals it stays in the top ``top_n`` under the default model, and under
  how many of the models shown it is in the top ``top_n``. The resamples are the ones
  :func:`revstory.uncertainty.intervals.attribution_intervals` draws (same seed, same stream,
  same multinomial weights over the quarter's won deals); above
  :data:`~revstory.uncertainty.intervals.POISSON_MIN_DEALS` won deals both use Poisson(1)
  weights, drawn here for every deal.
- :func:`total_interval`: the 90 % interval of a quarter's attributed revenue under one
  model over the same resamples: their percentiles up to
  :data:`~revstory.uncertainty.intervals.EXACT_MAX_DEALS` won deals, above that the
  bootstrap's exact mean and variance (as the per-piece intervals do).

A piece is in the top ``top_n`` of a ranking when it has credit and fewer than ``top_n``
pieces have strictly more (ties share the place, as ``rank(method="min")``).
Money is in minor units.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from revstory.attribute.stage import Results
from revstory.uncertainty.intervals import (
    _CHUNK_FLOATS,
    DEFAULT_SAMPLES,
    DEFAULT_SEED,
    EXACT_MAX_DEALS,
    LEVEL,
    POISSON_MIN_DEALS,
    _bounds,
    _normal_quantile,
    _rng,
    poisson_weights,
)


@dataclass(frozen=True)
class Robustness:
    """How often one piece is in the top ``top_n``."""

    content_id: str
    top_n: int
    resamples_in_top: int
    """Resamples (of ``samples``) in which the piece is in the top ``top_n``."""
    samples: int
    models_in_top: int
    """Models (of ``models``) under which the piece is in the top ``top_n``."""
    models: int

    @property
    def resample_share(self) -> float:
        """The share of resamples in which the piece is in the top (0 without resamples)."""
        return self.resamples_in_top / self.samples if self.samples else 0.0


def in_top(totals: npt.NDArray[np.float64], top_n: int) -> npt.NDArray[np.bool_]:
    """Mark, per row of ``totals`` (rankings × pieces), the pieces in the top ``top_n``.

    A piece is in the top when it has credit and fewer than ``top_n`` pieces are strictly
    above it.
    """
    if totals.shape[1] == 0:
        return np.zeros(totals.shape, dtype=bool)
    k = min(top_n, totals.shape[1])
    kth = -np.partition(-totals, k - 1, axis=1)[:, k - 1 : k]
    return (totals >= kth) & (totals > 0)


def _won_ids(results: Results, quarter: str) -> npt.NDArray[np.object_]:
    d = results.deals
    return (
        d.loc[(d["quarter"] == quarter) & (d["status"] == "won"), "deal_id"].astype(str).to_numpy()
    )


def resampled_totals(
    results: Results,
    quarter: str,
    model: str,
    samples: int = DEFAULT_SAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[list[str], npt.NDArray[np.float64]]:
    """Resample the attributed revenue of the pieces with credit under ``model`` in ``quarter``.

    Returns the pieces (sorted) and their revenue in each bootstrap resample (samples ×
    pieces, minor units).
    """
    dc = results.deal_credit
    # Plain comparisons: the credit table may hold tens of millions of (categorical) rows.
    dc = dc[(dc["quarter"] == quarter) & (dc["model"] == model)]
    won = _won_ids(results, quarter)
    n = len(won)
    pieces = sorted(dc["content_id"].astype(str).unique())
    if not n or not pieces:
        return pieces, np.zeros((samples, len(pieces)))
    row = pd.Index(won).get_indexer(pd.Index(dc["deal_id"].astype(str)))
    col = pd.Index(pieces).get_indexer(pd.Index(dc["content_id"].astype(str)))
    keep = row >= 0
    credits = sparse.csr_matrix(
        (dc["revenue_minor"].to_numpy(dtype=np.float64)[keep], (row[keep], col[keep])),
        shape=(n, len(pieces)),
    )
    rng = _rng(seed, quarter, "attribution")
    out = np.empty((samples, len(pieces)))
    chunk = max(1, _CHUNK_FLOATS // n)
    for b0 in range(0, samples, chunk):
        b1 = min(samples, b0 + chunk)
        if n > POISSON_MIN_DEALS:
            weights = poisson_weights(rng, n, b1 - b0)  # deals × samples
        else:
            weights = rng.multinomial(n, np.full(n, 1.0 / n), size=b1 - b0).T.astype(np.float64)
        out[b0:b1] = (credits.T @ weights).T
    return pieces, out


def top_robustness(
    results: Results,
    quarter: str,
    models: Sequence[str],
    top_n: int,
    resampled: tuple[list[str], npt.NDArray[np.float64]],
) -> dict[str, Robustness]:
    """Map content_id → its :class:`Robustness` in ``quarter``.

    For every piece with credit in ``resampled`` (:func:`resampled_totals` under the default
    model).
    """
    pieces, boot = resampled
    if not pieces:
        return {}
    in_resamples = in_top(boot, top_n).sum(axis=0)
    a = results.attribution
    a = a[(a["quarter"] == quarter) & a["model"].isin(list(models))]
    wide = (
        a.assign(content_id=a["content_id"].astype(str), model=a["model"].astype(str))
        .pivot_table(
            index="model",
            columns="content_id",
            values="revenue_minor",
            aggfunc="sum",
            fill_value=0,
            observed=True,
        )
        .reindex(index=list(models), fill_value=0)
    )
    by_model = in_top(wide.to_numpy(dtype=np.float64), top_n).sum(axis=0)
    in_models = dict(zip(wide.columns.astype(str), by_model.tolist(), strict=True))
    return {
        cid: Robustness(
            cid, top_n, int(in_resamples[i]), len(boot), int(in_models.get(cid, 0)), len(models)
        )
        for i, cid in enumerate(pieces)
    }


def total_interval(
    results: Results,
    quarter: str,
    model: str,
    resampled: npt.NDArray[np.float64],
    level: float = LEVEL,
) -> tuple[int, int] | None:
    """Compute the ``level`` interval of ``quarter``'s attributed revenue under ``model``.

    ``resampled``: the per-piece totals of :func:`resampled_totals` for ``model``. Up to
    :data:`EXACT_MAX_DEALS` won deals, the percentiles of their sums; above, total ± z·sd with
    sd² = Σx² − (Σx)²/n, x the credit each won deal carries (0 for a deal no content touched).
    None without won deals or credit.
    """
    dc = results.deal_credit
    # Plain comparisons: the credit table may hold tens of millions of (categorical) rows.
    dc = dc[(dc["quarter"] == quarter) & (dc["model"] == model)]
    n = len(_won_ids(results, quarter))
    if not n or not len(dc):
        return None
    lo_q, hi_q = _bounds(level)
    if n <= EXACT_MAX_DEALS and resampled.size:
        low, high = np.quantile(resampled.sum(axis=1), [lo_q, hi_q])
        return round(float(low)), round(float(high))
    x = dc.groupby("deal_id", observed=True)["revenue_minor"].sum().to_numpy(dtype=np.float64)
    total = float(x.sum())
    sd = max(float((x * x).sum()) - total * total / n, 0.0) ** 0.5
    z = _normal_quantile(hi_q)
    return max(round(total - z * sd), 0), round(total + z * sd)
