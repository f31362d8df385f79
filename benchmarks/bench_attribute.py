"""End-to-end speed and memory of `revstory attribute` (read CSV, validate, journeys, every
model, write results) on generated drops of growing size.

    python benchmarks/bench_attribute.py                 # 1M, 3M, 10M touches
    python benchmarks/bench_attribute.py --sizes 1e6     # one size

Each size runs twice: the ten rule-based models (the target's model set) and all twelve
(adding the data-driven markov and shapley, whose exact solve grows with pieces³).

Drops are generated once with `revstory sample` (ratios of the target: 50 touches per deal,
2,000 touches per article) and cached in benchmarks/data/. Each run is a fresh process;
peak memory is that process's maximum resident set size. Target on a 2-core machine:
10M touches / 200k deals / 5k articles in under 20 s and under 4 GiB, growing linearly.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent / "revstory"


MODEL_SETS = (
    ("10 rule-based", "first_touch,last_touch,linear,position_based,u_shaped,w_shaped,"
                      "full_path,j_shaped,inverse_j,time_decay"),
    ("all 12", ""),
)


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd`` in a child process; returns wall seconds, peak RSS in MiB, stderr."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak, proc.stderr


def drop_for(touches: int) -> Path:
    folder = DATA / f"touches-{touches}"
    if not (folder / ".done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        deals, articles = max(touches // 50, 5), max(touches // 2000, 3)
        print(f"generating {touches:,} touches, {deals:,} deals, {articles:,} articles …",
              flush=True)
        subprocess.run([str(BIN), "sample", "--out", str(folder), "--touches", str(touches),
                        "--deals", str(deals), "--articles", str(articles)], check=True,
                       stderr=subprocess.DEVNULL)
        (folder / ".done").write_text("")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,3e6,1e7",
                        help="comma-separated touch counts (default 1e6,3e6,1e7)")
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # measure one run in a fresh process so RUSAGE_CHILDREN is its own
        wall, peak, err = measure(args.child)
        stages = [ln.split("revstory: ")[1] for ln in err.splitlines() if " done in " in ln]
        print(f"{wall:.2f}\t{peak:.0f}\t{'; '.join(stages)}")
        return
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    for label, models in MODEL_SETS:
        print(f"models: {label}")
        rows = []
        for n in sizes:
            folder = drop_for(n)
            csv_mb = sum(f.stat().st_size for f in folder.rglob("*.csv")) / 2**20
            out = DATA / f"out-{n}"
            extra = ["--models", models] if models else []
            child = subprocess.run(
                [sys.executable, __file__, "--child", str(BIN), "attribute", str(folder),
                 "--out", str(out), *extra], capture_output=True, text=True, check=True)
            wall, peak, stages = child.stdout.strip().split("\t")
            rows.append((n, float(wall), float(peak), csv_mb, stages))
            print(f"{n:>12,} touches  {float(wall):6.2f} s  "
                  f"{n / float(wall) / 1e6:5.2f} M touches/s  peak {float(peak):6.0f} MiB  "
                  f"input {csv_mb:6.0f} MiB  [{stages}]", flush=True)
        if len(rows) > 1:
            base_n, base_t = rows[0][0], rows[0][1]
            for n, t, *_ in rows[1:]:
                print(f"  scaling {base_n:,} → {n:,}: touches ×{n / base_n:.1f}, "
                      f"time ×{t / base_t:.2f}")


if __name__ == "__main__":
    main()
