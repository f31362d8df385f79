"""Time DuckDB against Spark local mode on the same drops, 1M to 50M touches.

`revstory attribute --engine duckdb|spark` (the ten rule-based models by default) on 1M, 10M
and, where the disk allows, 50M touches.

    python benchmarks/bench_engines.py                   # 1M and 10M touches
    python benchmarks/bench_engines.py --sizes 1e6 5e7   # chosen sizes
    python benchmarks/bench_engines.py --models all      # the twelve models

Drops come from `revstory sample --format parquet` (50 touches per deal, 2,000 per article),
cached in benchmarks/data/. Each run is a fresh process, Spark's start included; peak memory
is the largest summed resident set of the run's process tree (revstory, the JVM, Spark's
Python workers), sampled every 0.2 s. Spark runs with SPARK_DRIVER_MEMORY (default here 8g).
Both runs' output files are compared: the benchmark fails if they differ. The load average
is printed before and after each run: on a shared machine only the ratio means much. Drops
above 10M touches (and both runs' outputs) are deleted after their runs unless --keep.
With --engine spark the native touch files are read and checked by Spark itself
(revstory/engines/touches.py), so Spark's time includes the touches' load and checks.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent / "revstory"
RULES = (
    "first_touch,last_touch,linear,position_based,u_shaped,w_shaped,full_path,j_shaped,"
    "inverse_j,time_decay"
)


def tree_rss(root: int) -> int:
    """Sum the resident memory (bytes) of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/statm") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Measure the wall seconds and peak summed RSS (GiB) of ``cmd`` and its children."""
    start = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - argv is this venv's revstory and our own options
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    peak = [0]

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{out}\n{err[-3000:]}")
    return wall, peak[0] / 2**30


def drop_for(touches: int) -> Path:
    """Give the cached sample drop of ``touches`` touches, generating it the first time."""
    folder = DATA / f"parquet-{touches}"
    if not (folder / ".done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        deals, articles = max(touches // 50, 5), max(touches // 2000, 3)
        print(
            f"generating {touches:,} touches, {deals:,} deals, {articles:,} articles …", flush=True
        )
        subprocess.run(  # noqa: S603 - argv is this venv's revstory and numbers we chose
            [
                str(BIN),
                "sample",
                "--out",
                str(folder),
                "--touches",
                str(touches),
                "--deals",
                str(deals),
                "--articles",
                str(articles),
                "--format",
                "parquet",
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        (folder / ".done").write_text("")
    return folder


def main() -> None:
    """Run both engines on each size and print wall time, peak memory and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="*", type=float, default=[1e6, 1e7])
    parser.add_argument("--models", default=RULES, help="models to run (comma-separated, or 'all')")
    parser.add_argument("--keep", action="store_true", help="keep drops above 10M touches")
    args = parser.parse_args()
    models = [] if args.models == "all" else ["--models", args.models]
    env = dict(os.environ)
    env.setdefault("SPARK_DRIVER_MEMORY", "8g")
    print(f"{'touches':>12} {'engine':>7} {'wall s':>8} {'peak GiB':>9}  spark/duckdb")
    for size in args.sizes:
        touches = int(size)
        free = shutil.disk_usage(DATA.parent).free
        if touches > 10_000_000 and free < touches * 200:  # ~60 B/touch Parquet + staging
            print(f"{touches:>12,} skipped: {free / 2**30:.0f} GiB free on disk")
            continue
        drop = drop_for(touches)
        walls = {}
        for engine in ("duckdb", "spark"):
            out = DATA / f"out-{touches}-{engine}"
            shutil.rmtree(out, ignore_errors=True)
            before = os.getloadavg()[0]
            wall, peak = measure(
                [str(BIN), "attribute", str(drop), "--out", str(out), *models, "--engine", engine],
                env,
            )
            walls[engine] = wall
            ratio = f"  {wall / walls['duckdb']:.1f}×" if engine == "spark" else ""
            load = f"  (load {before:.1f} → {os.getloadavg()[0]:.1f})"
            print(f"{touches:>12,} {engine:>7} {wall:>8.1f} {peak:>9.2f}{ratio}{load}", flush=True)
        for name in ("attribution.csv", "influence.csv", "summary.json", "effects.csv"):
            if not (DATA / f"out-{touches}-duckdb" / name).exists():
                continue
            a, b = DATA / f"out-{touches}-duckdb" / name, DATA / f"out-{touches}-spark" / name
            if not filecmp.cmp(a, b, shallow=False):
                sys.exit(f"{touches:,} touches: {name} differs between the engines")
        print(f"{touches:>12,} outputs identical on both engines", flush=True)
        if touches > 10_000_000 and not args.keep:
            for folder in (drop, *(DATA / f"out-{touches}-{e}" for e in ("duckdb", "spark"))):
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
