"""Time the exact Markov removal effects on synthetic journeys (K pieces × N journeys).

Synthetic data follows perf-baselines.md §3: path length Geometric(0.25) clipped to 1–30,
pieces drawn from a Zipf(1.0) popularity over K, conversion logistic in length plus a
per-piece effect, calibrated near 5 %. Building the data is not timed.

Run: .venv/bin/python benchmarks/bench_markov.py [--sizes 50:10000,500:1000000 ...] [--order 1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from revstory.attribute.markov import removal_effects

DEFAULT_SIZES = [(k, n) for k in (50, 500, 5000) for n in (10_000, 100_000, 1_000_000)]


def synthetic(k: int, n: int, seed: int = 20240601) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``n`` journeys over ``k`` pieces: (journey, state, converted) per touch."""
    rng = np.random.default_rng([seed, k, n])
    length = np.clip(rng.geometric(0.25, size=n), 1, 30)
    journey = np.repeat(np.arange(n, dtype=np.int64), length)
    pop = 1.0 / np.arange(1, k + 1)
    state = rng.choice(k, size=len(journey), p=pop / pop.sum()).astype(np.int64)
    effect = rng.normal(0.0, 0.5, size=k)
    score = np.bincount(journey, weights=effect[state], minlength=n) / length
    logit = -3.6 + 0.15 * length + score
    conv = rng.random(n) < 1.0 / (1.0 + np.exp(-logit))
    return journey, state, conv[journey]


def main() -> None:
    """Time the removal effects at each size and print seconds and peak memory."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=None, help="comma list of K:N, e.g. 50:10000,5000:1000000")
    ap.add_argument("--order", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    sizes = (
        DEFAULT_SIZES
        if not args.sizes
        else [tuple(int(x) for x in part.split(":")) for part in args.sizes.split(",")]
    )
    print(
        f"{'K':>6} {'N':>9} {'touches':>9} {'conv%':>6} {'states':>7} {'seconds':>8} "
        f"{'Mtouch/s':>9} {'maxRSS MB':>9}"
    )
    removal_effects([0, 0], [0, 1], [True, True], 2)  # warm-up: SciPy import, BLAS threads
    for k, n in sizes:
        journey, state, conv = synthetic(k, n)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            res = removal_effects(journey, state, conv, k, order=args.order)
            times.append(time.perf_counter() - t0)
        best = min(times)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conv_rate = float(np.mean(conv[np.r_[journey[1:] != journey[:-1], True]])) * 100
        print(
            f"{k:>6} {n:>9} {len(journey):>9} {conv_rate:>6.2f} {res.n_chain_states:>7} "
            f"{best:>8.3f} {len(journey) / best / 1e6:>9.1f} {rss:>9.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
