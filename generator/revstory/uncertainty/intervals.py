"""How sure are the figures? Bootstrap intervals, model spread, thin evidence, comparisons.

Computed from :class:`~revstory.attribute.stage.Results` by one call the site and the exports
make, :func:`enrich` (``Results`` stays as the attribution stage built it):

- ``intervals``: for every (quarter, content, model) the attributed revenue and a 90 %
  interval from a seeded bootstrap over the quarter's won deals (deals are resampled with
  replacement, each deal carrying its per-model credit from ``Results.deal_credit``; every
  model sees the same resamples). Figures backed by more than :data:`EXACT_MAX_DEALS` deals
  take the interval from the bootstrap's exact mean and variance instead of sampling it.
  ``thin_evidence`` when fewer than ``config.min_deals`` won deals back the figure. The
  data-driven models' removal effects / Shapley values are held
  at their fitted values: the interval says how much the figure depends on which deals
  happened to close, not how stable the fitted chain is.
- ``spread``: per (quarter, content) the lowest and highest attributed revenue over the
  models, the best and worst rank, and ``model_dependent`` when the middle half of the
  models disagree on its rank: the interquartile range of its ranks across models is at
  least :data:`RANK_SPREAD_MIN` places and a quarter of the pieces ranked that quarter (the
  range itself would flag nearly every piece, since first and last touch always disagree).
- ``comparisons``: win rate (won ÷ closed) and median sales cycle in days (won deals) of
  deals touched by content vs not touched, overall, per content type and per article with
  at least ``config.min_deals`` touched and untouched closed deals; each with a bootstrap
  interval (the two groups resampled separately) and :data:`CAVEAT`.

Influence by deal type (new business apart from renewals and expansion) is a plain count, not
an uncertainty: it is told by :mod:`revstory.story.figures`.

Money is in minor units; intervals are rounded to whole minor units.
"""

from __future__ import annotations

import math
import os
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import sparse

from revstory.attribute.pairs import CreditPairs

if TYPE_CHECKING:  # the stage imports this module's bounds_ahead
    from revstory.attribute.stage import Results

CAVEAT = "association, not proof of cause"
DEFAULT_SAMPLES = 200
DEFAULT_SEED = 20260101
LEVEL = 0.90
#: A piece is "model-dependent" when the interquartile range of its ranks across models is
#: at least this many places and a quarter of the pieces ranked that quarter.
RANK_SPREAD_MIN = 3
#: Figures backed by at most this many won deals get a sampled percentile interval; above,
#: the bootstrap's exact mean and variance give it (see :func:`attribution_intervals`).
EXACT_MAX_DEALS = 40
#: Above this many won deals in a quarter the sampled bootstrap uses Poisson(1) weights.
POISSON_MIN_DEALS = 2000
#: Bootstrap work is chunked so that one chunk holds at most this many floats.
_CHUNK_FLOATS = 20_000_000
#: At most this many quarters' intervals are computed at once (each holds its draws).
_MAX_THREADS = 4

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class EnrichedFrames:
    """Uncertainty and influence frames, all sorted (see the module docstring).

    - ``intervals``: quarter, content_id, model, revenue_minor, revenue_low_minor,
      revenue_high_minor, won_deals, thin_evidence.
    - ``spread``: quarter, content_id, models_min_minor, models_max_minor, rank_best,
      rank_worst, model_dependent.
    - ``comparisons``: quarter, scope (all_content, content_type, article), key,
      touched_deals, untouched_deals, win_rate_touched[_low, _high],
      win_rate_untouched[_low, _high], win_rate_diff[_low, _high],
      cycle_days_touched[_low, _high], cycle_days_untouched[_low, _high],
      cycle_days_diff[_low, _high], caveat.
    """

    intervals: pd.DataFrame
    spread: pd.DataFrame
    comparisons: pd.DataFrame
    samples: int
    seed: int
    level: float


def _rng(seed: int, quarter: str, salt: str = "") -> np.random.Generator:
    """One stream per quarter (and purpose): a quarter's figures do not depend on the others."""
    return np.random.default_rng([seed, zlib.crc32(f"{quarter}|{salt}".encode())])


def _poisson_steps() -> npt.NDArray[np.uint32]:
    """P(X ≤ j) of X ~ Poisson(1) on the grid of 2³², j = 0, 1, … while below 2³² (12 steps)."""
    steps = []
    for j in range(64):
        cdf = math.fsum(math.exp(-1) / math.factorial(i) for i in range(j + 1))
        step = round(cdf * 2**32)
        if step >= 2**32:
            break
        steps.append(step)
    return np.array(steps, dtype=np.uint32)


_POISSON_STEPS = _poisson_steps()


def poisson_weights(rng: np.random.Generator, deals: int, samples: int) -> Floats:
    """Independent Poisson(1) weights of ``deals`` × ``samples`` (C order), as floats.

    Inverse-CDF sampling on uniform 32-bit integers: a weight is how many of the CDF's steps
    (:func:`_poisson_steps`) its integer reaches, each probability exact to 2⁻³² (a count of
    13 or more, about 1 in 10¹⁰ draws, is never drawn). A quarter of 22k deals × 200 samples
    took 0.05 s this way, 0.17–0.19 s with ``Generator.poisson`` and the transposed copy its
    samples × deals layout needed; the weights are whole numbers, exact as floats.
    """
    u = rng.integers(0, 1 << 32, size=(deals, samples), dtype=np.uint32)
    counts = np.zeros(u.shape, dtype=np.uint8)
    reached = np.empty(u.shape, dtype=bool)
    for step in _POISSON_STEPS:
        np.greater_equal(u, step, out=reached)
        counts += reached
    return counts.astype(np.float64)


def _bounds(level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    return tail, 1.0 - tail


def attribution_intervals(
    results: Results, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, level: float = LEVEL
) -> pd.DataFrame:
    """Per (quarter, content, model): revenue and its bootstrap interval; thin-evidence flag.

    A figure backed by at most :data:`EXACT_MAX_DEALS` won deals gets the percentile interval
    of a seeded bootstrap (deals resampled with replacement). Above that the bootstrap
    distribution of a sum over many deals is normal to within rounding, so its interval is
    taken from the bootstrap's exact mean and variance (total ± z·sd, with
    sd² = Σx² − (Σx)²/n over the quarter's n won deals) instead of being sampled: the same
    interval at a cost that does not grow with samples × deals (10M-touch drops).

    The bounds are those the attribution stage started computing (``results.bounds``, see
    :class:`IntervalBounds`) when they were started on these results' pairs and deals with
    these settings; else they are computed here.
    """
    a = results.attribution
    cols = [
        "quarter",
        "content_id",
        "model",
        "revenue_minor",
        "revenue_low_minor",
        "revenue_high_minor",
        "won_deals",
        "thin_evidence",
    ]
    if len(a) == 0:
        return pd.DataFrame(columns=cols)
    bounds = results.bounds
    if bounds is None or not bounds.made_for(results, samples, seed, level):
        moments = (
            _PairMoments(results.credit_pairs)
            if results.credit_pairs is not None
            else _LongMoments(results.deal_credit)
        )
        bounds = IntervalBounds(moments, results.deals, results.quarters, samples, seed, level)
    per_quarter = bounds.result()
    parts = []
    for quarter in results.quarters:
        iv = per_quarter.get(quarter)
        aq = a[a["quarter"].astype(str) == quarter]
        if iv is None or len(aq) == 0:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "quarter": quarter,
                    "content_id": aq["content_id"].astype(str).to_numpy(),
                    "model": aq["model"].astype(str).to_numpy(),
                    "revenue_minor": aq["revenue_minor"].to_numpy(dtype=np.int64),
                    "won_deals": aq["deals_influenced"].to_numpy(dtype=np.int64),
                }
            ).merge(iv, on=["content_id", "model"], how="left")
        )
    out = pd.concat(parts, ignore_index=True)
    out["thin_evidence"] = out["won_deals"] < results.config.min_deals
    return out[cols].sort_values(["quarter", "content_id", "model"], ignore_index=True)


class IntervalBounds:
    """Each quarter's interval bounds per (piece, model), computed in threads from the start.

    Only the pairs' (or the long frame's) credit and the deals are read, not the per-piece
    attribution: the attribution stage starts them (:func:`bounds_ahead`) as soon as the
    models have run, and they are computed while it sums the pieces and the exports write
    what needs no interval. The quarters run side by side: each has its own random stream,
    and the draws, the sparse products and the quantiles (most of the time) run without the
    GIL. The threads only read their inputs, and end when done.
    """

    def __init__(
        self,
        moments: _PairMoments | _LongMoments,
        deals: pd.DataFrame,
        quarters: tuple[str, ...],
        samples: int = DEFAULT_SAMPLES,
        seed: int = DEFAULT_SEED,
        level: float = LEVEL,
    ) -> None:
        self.source: tuple[object, ...] = (moments.source, deals, samples, seed, level)
        self.pieces, self.models = pd.Index(moments.c_names), pd.Index(moments.m_names)
        # Each quarter's won deals, read here: the threads touch no frame.
        won = (deals["status"] == "won").to_numpy(dtype=bool)
        deal_quarter = deals["quarter"].astype(str).to_numpy()
        ids = deals["deal_id"].astype(str).to_numpy()
        todo = [q for q in quarters if q in moments.q_index]
        workers = max(1, min(len(todo), os.cpu_count() or 1, _MAX_THREADS))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="revstory-iv")
        self._futures = {
            q: pool.submit(
                _quarter_bounds, moments, q, ids[won & (deal_quarter == q)], samples, seed, level
            )
            for q in todo
        }
        pool.shutdown(wait=False)  # the threads end once the quarters are done

    def made_for(self, results: Results, samples: int, seed: int, level: float) -> bool:
        """Tell whether these are the bounds of ``results``' credit and deals, so computed."""
        source = results.credit_pairs if results.credit_pairs is not None else results.deal_credit
        mine = self.source
        return mine[0] is source and mine[1] is results.deals and mine[2:] == (samples, seed, level)

    def result(self) -> dict[str, pd.DataFrame]:
        """Wait for the quarters: each one's content_id, model and bounds of its figures.

        Quarters without a won deal's credit have none.
        """
        return {q: f.result().frame for q, f in self._futures.items()}

    def by_figure(self) -> dict[str, QuarterBounds]:
        """Wait for the quarters: each one's bounds by figure (see :class:`QuarterBounds`)."""
        return {q: f.result() for q, f in self._futures.items()}


def row_intervals(results: Results, bounds: IntervalBounds) -> dict[str, npt.NDArray[Any]]:
    """Each row of ``results.attribution``'s interval and thin-evidence flag, in row order.

    What :func:`attribution_intervals` gives, matched back to the rows on (quarter,
    content_id, model), with a row it has no bound for at 0 and a row of a quarter without
    bounds flagged thin: revenue_low_minor, revenue_high_minor, thin_evidence. Found by the
    rows' codes (piece × models + model, searched in each quarter's figures) instead of two
    merges on the three names: the export's last step before it writes, which waited for
    the bounds. ``bounds`` are :meth:`IntervalBounds.made_for` these results.
    """
    a = results.attribution
    piece, model = bounds.pieces.get_indexer(a["content_id"]), bounds.models.get_indexer(a["model"])
    figure, known = piece * len(bounds.models) + model, (piece >= 0) & (model >= 0)
    quarter = pd.Index(a["quarter"].astype(str))
    low = np.zeros(len(a), dtype=np.int64)
    high = np.zeros(len(a), dtype=np.int64)
    thin = np.ones(len(a), dtype=bool)
    deals = a["deals_influenced"].to_numpy(dtype=np.int64)
    for q, qb in bounds.by_figure().items():
        rows = np.flatnonzero(quarter == q)
        if not len(rows):
            continue
        thin[rows] = deals[rows] < results.config.min_deals
        if not len(qb.figures):
            continue
        at = np.minimum(np.searchsorted(qb.figures, figure[rows]), len(qb.figures) - 1)
        hit = known[rows] & (qb.figures[at] == figure[rows])
        low[rows[hit]] = qb.low_minor[at[hit]]
        high[rows[hit]] = qb.high_minor[at[hit]]
    return {"revenue_low_minor": low, "revenue_high_minor": high, "thin_evidence": thin}


def bounds_ahead(
    pairs: CreditPairs, deals: pd.DataFrame, quarters: tuple[str, ...]
) -> IntervalBounds:
    """Start the default intervals of the stage's ``pairs`` and ``deals`` (returns at once)."""
    return IntervalBounds(_PairMoments(pairs), deals, quarters)


@dataclass(frozen=True)
class QuarterBounds:
    """One quarter's bounds: by figure (piece code × models + model code), and as a frame."""

    figures: npt.NDArray[np.int64]
    """The figures the quarter has (a won deal's credit), ascending."""
    low_minor: npt.NDArray[np.int64]
    high_minor: npt.NDArray[np.int64]
    frame: pd.DataFrame
    """content_id, model, revenue_low_minor, revenue_high_minor: the same, by name."""


def _quarter_bounds(
    moments: _PairMoments | _LongMoments,
    quarter: str,
    won_ids: npt.NDArray[Any],
    samples: int,
    seed: int,
    level: float,
) -> QuarterBounds:
    """Return one quarter's bounds of each figure it has (content_id, model; by codes too)."""
    lo_q, hi_q = _bounds(level)
    z = float(_normal_quantile(hi_q))
    c_names, m_names = moments.c_names, moments.m_names
    n = len(won_ids)
    total, sq, k, rows = moments.quarter(quarter, won_ids)
    sd = np.sqrt(np.clip(sq - total * total / max(n, 1), 0, None))
    low = np.clip(total - z * sd, 0, None)
    high = total + z * sd
    small = (k > 0) & (k <= EXACT_MAX_DEALS)
    col_s, deal_s, rev_s = rows(small)
    if len(col_s):
        order = np.argsort(col_s, kind="stable")
        col_s, deal_s, rev_s = col_s[order], deal_s[order], rev_s[order]
        starts = np.flatnonzero(np.r_[True, col_s[1:] != col_s[:-1]])
        rng = _rng(seed, quarter, "attribution")
        # Figures × samples: each figure's quantiles read one contiguous row.
        boot = np.empty((len(starts), samples))
        # Only the deals behind these figures need a weight. Small quarters draw the exact
        # multinomial resample; large ones the Poisson bootstrap (independent Poisson(1)
        # weights), its standard large-n equivalent, drawn for the needed deals only.
        needed, deal_s = np.unique(deal_s, return_inverse=True)
        poisson = n > POISSON_MIN_DEALS
        # Resampled totals = weights (samples × deals) @ credits (deals × figures), with
        # the credits sparse: one pass over the non-zeros per sample, no temporaries.
        figure = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(col_s)]))
        # Figures × deals, by rows: each figure's row of the product sums its own few deals'
        # weights (CSR times a C-ordered block) instead of scattering every deal's row into
        # the figures (CSC): 84 -> 68 ms a quarter at 10M touches. The weights and credits
        # are whole numbers, so every order of the sums gives the same bits.
        credits = sparse.csr_matrix((rev_s, (figure, deal_s)), shape=(len(starts), len(needed)))
        chunk = max(1, _CHUNK_FLOATS // max(len(needed) if poisson else n, 1))
        for b0 in range(0, samples, chunk):
            b1 = min(samples, b0 + chunk)
            if poisson:
                weights = poisson_weights(rng, len(needed), b1 - b0)
            else:
                counts = rng.multinomial(n, np.full(n, 1.0 / n), size=b1 - b0)[:, needed]
                # Cast and transposed in one copy (whole numbers, exact as floats).
                weights = np.ascontiguousarray(counts.T, dtype=np.float64)
            boot[:, b0:b1] = credits @ weights
        # boot is not read again: its rows are sorted in place (no 55 MB copy).
        b_low, b_high = row_quantiles(boot, (lo_q, hi_q))
        low[col_s[starts]] = b_low
        high[col_s[starts]] = b_high
    present = np.flatnonzero(k > 0)
    low_minor = np.round(low[present]).astype(np.int64)
    high_minor = np.round(high[present]).astype(np.int64)
    iv = pd.DataFrame(
        {
            "content_id": np.asarray(c_names, dtype=object)[present // len(m_names)],
            "model": np.asarray(m_names, dtype=object)[present % len(m_names)],
            "revenue_low_minor": low_minor,
            "revenue_high_minor": high_minor,
        }
    )
    iv["content_id"] = iv["content_id"].astype(str)
    iv["model"] = iv["model"].astype(str)
    return QuarterBounds(present, low_minor, high_minor, iv)


def row_quantiles(values: Floats, qs: tuple[float, ...]) -> Floats:
    """Return each row's quantiles ``qs`` of ``values`` (no NaN), sorting the rows in place.

    ``np.quantile(values, qs, axis=1)`` (method "linear") to the bit: the same order
    statistics, and its interpolation written as NumPy writes it (``_lerp``). Sorting each
    contiguous row is a third of the time NumPy takes: it moves the axis first, then
    partitions every strided column around six positions.
    """
    n = values.shape[1]
    values.sort(axis=1)
    out = np.empty((len(qs), values.shape[0]))
    for i, q in enumerate(qs):
        virtual = (n - 1) * q
        below = min(math.floor(virtual), n - 1)
        a, b = values[:, below], values[:, min(below + 1, n - 1)]
        gamma = virtual - below
        diff = b - a
        # NumPy's _lerp: from the nearer end, so that gamma 1 gives b exactly.
        out[i] = b - diff * (1 - gamma) if gamma >= 0.5 else a + diff * gamma
    return out


#: A quarter's moments: per (piece, model) figure (piece × models + model) its revenue's sum,
#: sum of squares and deals; and a function giving, for a mask of figures, the (figure,
#: deal's position among the quarter's won deals, revenue) of their rows in row order.
_Rows = tuple[npt.NDArray[Any], npt.NDArray[Any], Floats]
_Quarter = tuple[npt.NDArray[Any], npt.NDArray[Any], npt.NDArray[Any], Callable[[Bools], _Rows]]


class _LongMoments:
    """The moments of :func:`attribution_intervals` from the long ``deal_credit`` frame."""

    def __init__(self, dc: pd.DataFrame) -> None:
        self.source = dc
        # Codes once over the whole (possibly tens of millions of rows) credit table; strings
        # are only touched through the small code books.
        self.q_codes, q_names = _codes(dc["quarter"])
        self.d_codes, d_index = _codes(dc["deal_id"])
        self.c_all, self.c_names = _codes(dc["content_id"])
        self.m_all, self.m_names = _codes(dc["model"])
        self.d_names = pd.Index(np.asarray(d_index, dtype=object).astype(str))
        self.rev_all = dc["revenue_minor"].to_numpy(dtype=np.float64)
        self.q_index = {str(q): i for i, q in enumerate(q_names)}

    def quarter(self, quarter: str, won_ids: npt.NDArray[Any]) -> _Quarter:
        """Return the moments of ``quarter``, whose won deals are ``won_ids`` in order."""
        sel = _rows_of(self.q_codes, self.q_index[quarter])
        deal_pos = pd.Index(won_ids).get_indexer(self.d_names)[self.d_codes[sel]]
        col = self.c_all[sel].astype(np.int64) * len(self.m_names) + self.m_all[sel]
        n_cols = len(self.c_names) * len(self.m_names)
        rev = self.rev_all[sel]
        total = np.bincount(col, weights=rev, minlength=n_cols)
        sq = np.bincount(col, weights=rev * rev, minlength=n_cols)
        k = np.bincount(col, minlength=n_cols)

        def rows(small: Bools) -> _Rows:
            pick = small[col]
            return col[pick], deal_pos[pick], rev[pick]

        return total, sq, k, rows


class _PairMoments:
    """The same moments from ``Results.credit_pairs``: a tenth of the rows, the same bits.

    A figure's rows in the long frame are, model by model, its piece's pairs in pair order:
    each bincount below adds the same numbers in the same order as the long one.
    """

    def __init__(self, pairs: CreditPairs) -> None:
        self.source = self.pairs = pairs
        self.c_names, self.m_names = pairs.pieces, pairs.models
        self.d_names = pd.Index(pairs.deal_ids).astype(str)  # no round trip through numpy text
        self.q_index = {str(q): i for i, q in enumerate(pairs.quarters)}

    def quarter(self, quarter: str, won_ids: npt.NDArray[Any]) -> _Quarter:
        """Return the moments of ``quarter``, whose won deals are ``won_ids`` in order."""
        p = self.pairs
        sel = p.quarter_rows(self.q_index[quarter])
        deal_pos = pd.Index(won_ids).get_indexer(self.d_names)[p.pair_deal[sel]]
        content = p.pair_content[sel]
        n_c, n_m = len(self.c_names), len(self.m_names)
        rev = np.ascontiguousarray(p.revenue[sel].T, dtype=np.float64)  # (models, pairs)
        total, sq = np.empty((n_c, n_m)), np.empty((n_c, n_m))
        for m in range(n_m):
            total[:, m] = np.bincount(content, weights=rev[m], minlength=n_c)
            sq[:, m] = np.bincount(content, weights=rev[m] * rev[m], minlength=n_c)
        k = np.repeat(np.bincount(content, minlength=n_c), n_m)

        def rows(small: Bools) -> _Rows:
            # Every pair holds every model: a piece's figures are all small or none is.
            pick = small[content * n_m]
            col = (content[pick] * n_m)[:, None] + np.arange(n_m)
            return col.ravel(), np.repeat(deal_pos[pick], n_m), rev[:, pick].T.ravel()

        return total.ravel(), sq.ravel(), k, rows


def _codes(column: pd.Series) -> tuple[npt.NDArray[np.integer[Any]], pd.Index]:
    """Integer codes and their labels: free for the pipeline's categorical columns.

    A categorical's codes keep their own width (one to four bytes): at 10M touches the
    credit table has tens of millions of rows, and widening its four code columns to eight
    bytes each cost more than half a GiB at the run's peak.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), column.cat.categories
    codes, names = pd.factorize(column, sort=True)
    return codes, pd.Index(names)


def _rows_of(codes: npt.NDArray[np.integer[Any]], value: int) -> slice | npt.NDArray[np.bool_]:
    """Select the rows holding ``value``: a slice when the codes are sorted, else a mask.

    Codes come sorted in the pipeline's order, which spares boolean masks over tens of
    millions of rows.
    """
    if len(codes) and bool((codes[1:] >= codes[:-1]).all()):
        lo, hi = np.searchsorted(codes, [value, value + 1])
        return slice(int(lo), int(hi))
    return codes == value


def _normal_quantile(p: float) -> float:
    """Inverse of the standard normal CDF (from the standard library)."""
    from statistics import NormalDist

    return NormalDist().inv_cdf(p)


def model_spread(results: Results) -> pd.DataFrame:
    """Per (quarter, content): min and max revenue over the models, rank range, flag."""
    a = results.attribution
    cols = [
        "quarter",
        "content_id",
        "models_min_minor",
        "models_max_minor",
        "rank_best",
        "rank_worst",
        "model_dependent",
    ]
    if len(a) == 0:
        return pd.DataFrame(columns=cols)
    wide = a.assign(
        quarter=a["quarter"].astype(str),
        content_id=a["content_id"].astype(str),
        model=a["model"].astype(str),
    ).pivot_table(
        index=["quarter", "content_id"],
        columns="model",
        values="revenue_minor",
        aggfunc="sum",
        fill_value=0,
        observed=True,
    )
    ranks = wide.groupby(level="quarter").rank(ascending=False, method="min")
    n_ranked = wide.groupby(level="quarter")[wide.columns[0]].transform("size")
    out = pd.DataFrame(
        {
            "models_min_minor": wide.min(axis=1).astype(np.int64),
            "models_max_minor": wide.max(axis=1).astype(np.int64),
            "rank_best": ranks.min(axis=1).astype(np.int64),
            "rank_worst": ranks.max(axis=1).astype(np.int64),
        }
    )
    iqr = ranks.quantile(0.75, axis=1) - ranks.quantile(0.25, axis=1)
    out["model_dependent"] = (iqr >= RANK_SPREAD_MIN) & (iqr >= n_ranked / 4)
    return out.reset_index()[cols].sort_values(["quarter", "content_id"], ignore_index=True)


def _boot_stat(
    values: npt.NDArray[np.float64], samples: int, rng: np.random.Generator, stat: str
) -> npt.NDArray[np.float64]:
    if len(values) == 0:
        return np.full(samples, np.nan)
    idx = rng.integers(0, len(values), size=(samples, len(values)))
    drawn = values[idx]
    return drawn.mean(axis=1) if stat == "mean" else np.median(drawn, axis=1)


def _point(values: npt.NDArray[np.float64], stat: str) -> float:
    if len(values) == 0:
        return math.nan
    return float(values.mean() if stat == "mean" else np.median(values))


def _compare(
    won: npt.NDArray[np.bool_],
    cycle: npt.NDArray[np.float64],
    touched: npt.NDArray[np.bool_],
    samples: int,
    rng: np.random.Generator,
    level: float,
) -> dict[str, float]:
    """Compare the closed deals ``touched`` with the others (``won`` and ``cycle`` per deal)."""
    lo_q, hi_q = _bounds(level)
    row: dict[str, float] = {
        "touched_deals": int(touched.sum()),
        "untouched_deals": int((~touched).sum()),
    }
    for metric, values, stat in (
        ("win_rate", won.astype(np.float64), "mean"),
        ("cycle_days", cycle, "median"),
    ):
        groups = {}
        for name, mask in (("touched", touched), ("untouched", ~touched)):
            v = values[mask]
            if metric == "cycle_days":
                v = v[won[mask] & ~np.isnan(v)]
            boot = _boot_stat(v, samples, rng, stat)
            groups[name] = boot
            row[f"{metric}_{name}"] = _point(v, stat)
            row[f"{metric}_{name}_low"], row[f"{metric}_{name}_high"] = _quantiles(boot, lo_q, hi_q)
        row[f"{metric}_diff"] = row[f"{metric}_touched"] - row[f"{metric}_untouched"]
        row[f"{metric}_diff_low"], row[f"{metric}_diff_high"] = _quantiles(
            groups["touched"] - groups["untouched"], lo_q, hi_q
        )
    return row


def _quantiles(boot: npt.NDArray[np.float64], lo_q: float, hi_q: float) -> tuple[float, float]:
    missing = np.isnan(boot)
    if missing.all():
        return math.nan, math.nan
    # Without a NaN, nanquantile is quantile (it drops the NaNs, then calls the same code).
    quantile = np.nanquantile if missing.any() else np.quantile
    lo, hi = quantile(boot, [lo_q, hi_q])
    return float(lo), float(hi)


class _GroupMask:
    """Which closed deals a group of (deal, piece) pairs touches, by the deals' codes."""

    def __init__(
        self,
        deal_codes: npt.NDArray[np.intp],
        pair_codes: npt.NDArray[np.intp],
        n_deals: int,
    ) -> None:
        self.deal_codes, self.pair_codes, self.n_deals = deal_codes, pair_codes, n_deals

    def __call__(self, rows: Any) -> npt.NDArray[np.bool_]:
        """Mark the closed deals among the deals of pairs ``rows`` (a code of -1: not closed)."""
        hit = np.zeros(self.n_deals + 1, dtype=bool)  # the last one catches the -1s
        hit[self.pair_codes[rows]] = True
        return hit[self.deal_codes]


def influence_comparisons(
    results: Results, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, level: float = LEVEL
) -> pd.DataFrame:
    """Touched vs untouched closed deals: win rate and median cycle days, with intervals."""
    deals = results.deals
    j = results.journeys
    types = results.content.set_index("content_id")["content_type"]
    rows = []
    for quarter in results.quarters:
        closed = deals[
            (deals["quarter"].astype(str) == quarter) & deals["status"].isin(["won", "lost"])
        ].reset_index(drop=True)
        if len(closed) == 0:
            continue
        ids = closed["deal_id"].astype(str)
        jq = j[j["quarter"].astype(str) == quarter]
        pairs = pd.DataFrame(
            {"deal_id": jq["deal_id"].astype(str), "content_id": jq["content_id"].astype(str)}
        ).drop_duplicates()
        pairs["content_type"] = types.reindex(pairs["content_id"]).fillna("(unknown)").to_numpy()
        # Each deal id as a code, so a group's closed deals are a lookup, not an isin per
        # piece (2,000 of them): a closed deal is in the group when its id is among the
        # group's pairs, as ``ids.isin(group["deal_id"])`` says.
        deal_codes, deal_ids = pd.factorize(ids)
        pair_codes = pd.Index(deal_ids).get_indexer(pairs["deal_id"])
        in_group = _GroupMask(deal_codes, pair_codes, len(deal_ids))
        rng = _rng(seed, quarter, "influence")
        groups: list[tuple[str, str, npt.NDArray[np.bool_]]] = [
            ("all_content", "all", closed["touched"].to_numpy(dtype=bool))
        ]
        for ctype, at in sorted(pairs.groupby("content_type").indices.items()):
            groups.append(("content_type", str(ctype), in_group(at)))
        min_deals = results.config.min_deals
        for cid, at in sorted(pairs.groupby("content_id").indices.items()):
            mask = in_group(at)
            if mask.sum() >= min_deals and (~mask).sum() >= min_deals:
                groups.append(("article", str(cid), mask))
        won = (closed["status"] == "won").to_numpy()
        cycle = closed["cycle_days"].to_numpy(dtype=np.float64)
        for scope, key, mask in groups:
            rows.append(
                {
                    "quarter": quarter,
                    "scope": scope,
                    "key": key,
                    **_compare(won, cycle, mask, samples, rng, level),
                    "caveat": CAVEAT,
                }
            )
    cols = ["quarter", "scope", "key", "touched_deals", "untouched_deals"]
    for metric in ("win_rate", "cycle_days"):
        for g in ("touched", "untouched", "diff"):
            cols += [f"{metric}_{g}", f"{metric}_{g}_low", f"{metric}_{g}_high"]
    cols.append("caveat")
    return pd.DataFrame(rows, columns=cols)


def enrich(
    results: Results, samples: int = DEFAULT_SAMPLES, seed: int = DEFAULT_SEED, level: float = LEVEL
) -> EnrichedFrames:
    """Every uncertainty and influence frame for ``results`` (deterministic for a seed)."""
    return EnrichedFrames(
        intervals=attribution_intervals(results, samples, seed, level),
        spread=model_spread(results),
        comparisons=influence_comparisons(results, samples, seed, level),
        samples=samples,
        seed=seed,
        level=level,
    )
