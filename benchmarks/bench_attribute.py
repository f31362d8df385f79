"""Time `revstory attribute` end to end against the floor: DuckDB merely reading the same files.

Every stage counts: read CSV, validate, journeys, every model, write results.

    python benchmarks/bench_attribute.py                 # 1M, 3M, 10M touches
    python benchmarks/bench_attribute.py --sizes 1e6     # one size

Per size, three commands run alternating, three rounds, each in a fresh process: the floor
(``CREATE TABLE … AS SELECT * FROM read_csv(…)`` for every file of the drop, nothing else,
DuckDB's default threads), ``revstory attribute`` with the ten rule-based models, and with
all twelve (adding markov and shapley, whose exact solve grows with pieces³). The medians
are printed with their ratio to the floor's median, and each round's ratio to its own floor
run; on a shared machine only the ratios mean much. Peak memory is each process's maximum
resident set size.

revstory is timed as installed: pip compiles a package's bytecode when it installs it, and
a development checkout's editable install gets its bytecode on its first run, unless
``PYTHONDONTWRITEBYTECODE`` is set (as on the development machines), when every run would
compile revstory's sources again (0.27 s of CPU at 10M touches). The script compiles them
once before timing, as pip would (into ``__pycache__``, which git ignores).

Drops are generated once with `revstory sample` (ratios of the target: 50 touches per deal,
2,000 touches per article) and cached in benchmarks/data/. Targets (issue 15), printed as a
verdict for the largest size: ten rule-based models ≤ 2× the floor, all twelve ≤ 3×, peak
memory < 3 GiB at 10M touches.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent / "revstory"


MODEL_SETS = (
    (
        "10 rule-based",
        "first_touch,last_touch,linear,position_based,u_shaped,w_shaped,"
        "full_path,j_shaped,inverse_j,time_decay",
    ),
    ("all 12", ""),
)


def measure(cmd: list[str]) -> tuple[float, float, str]:
    """Run ``cmd`` in a child process; return wall seconds, peak RSS in MiB, stderr."""
    start = time.perf_counter()
    # cmd is built by this script from sys.executable, the revstory script beside it and paths
    # of its own data folder: no shell, no outside input.
    proc = subprocess.run(cmd, capture_output=True, text=True)  # noqa: S603
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, peak, proc.stderr


def compile_installed() -> None:
    """Compile revstory's bytecode as ``pip install`` does (a no-op when it is up to date)."""
    # The revstory whose script this script runs: the one this interpreter imports.
    import revstory

    compileall.compile_dir(Path(revstory.__file__).parent, quiet=1)


def drop_for(touches: int) -> Path:
    """Return the cached sample drop with ``touches`` touches, generating it the first time."""
    folder = DATA / f"touches-{touches}"
    if not (folder / ".done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        deals, articles = max(touches // 50, 5), max(touches // 2000, 3)
        print(
            f"generating {touches:,} touches, {deals:,} deals, {articles:,} articles …", flush=True
        )
        subprocess.run(  # noqa: S603 - our own revstory script, arguments built here
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
            ],
            check=True,
            stderr=subprocess.DEVNULL,
        )
        (folder / ".done").write_text("")
    return folder


FLOOR = """
import sys, duckdb
con = duckdb.connect()
for i, f in enumerate(sys.argv[1:]):
    con.execute(f"CREATE TABLE t{i} AS SELECT * FROM read_csv(?)", [f])
"""
TARGETS = {"10 rule-based": 2.0, "all 12": 3.0}
PEAK_LIMIT_MIB = 3 * 1024


def child(cmd: list[str]) -> tuple[float, float, str]:
    """Time ``cmd`` in a fresh measuring process; return wall seconds, peak MiB, stage timings."""
    proc = subprocess.run(  # noqa: S603 - this script itself, with a command built in main()
        [sys.executable, __file__, "--child", *cmd], capture_output=True, text=True, check=True
    )
    wall, peak, stages = proc.stdout.rstrip("\n").split("\t")
    return float(wall), float(peak), stages


def main() -> None:
    """Time the floor and both model sets per size, alternating, and print ratios and verdict."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1e6,3e6,1e7", help="comma-separated touch counts (default 1e6,3e6,1e7)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="alternating rounds per size (default 3)"
    )
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:  # measure one run in a fresh process so RUSAGE_CHILDREN is its own
        wall, peak, err = measure(args.child)
        stages = [ln.split("revstory: ")[1] for ln in err.splitlines() if " done in " in ln]
        print(f"{wall:.2f}\t{peak:.0f}\t{'; '.join(stages)}")
        return
    sizes = [int(float(s)) for s in args.sizes.split(",")]
    compile_installed()
    verdicts = []
    for n in sizes:
        folder = drop_for(n)
        files = sorted(str(f) for f in folder.rglob("*.csv"))
        csv_mb = sum(Path(f).stat().st_size for f in files) / 2**20
        out = DATA / f"out-{n}"
        commands = {"floor": [sys.executable, "-c", FLOOR, *files]}
        for label, models in MODEL_SETS:
            extra = ["--models", models] if models else []
            commands[label] = [str(BIN), "attribute", str(folder), "--out", str(out), *extra]
        runs: dict[str, list[tuple[float, float, str]]] = {k: [] for k in commands}
        load = os.getloadavg()[0]
        for _ in range(args.rounds):  # alternating rounds: the machine's load hits all alike
            for label, cmd in commands.items():
                runs[label].append(child(cmd))
        floor = statistics.median(r[0] for r in runs["floor"])
        print(
            f"{n:>12,} touches, input {csv_mb:,.0f} MiB CSV ({len(files)} files); medians of "
            f"{args.rounds}; load average {load:.1f} → {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} CPUs:"
        )
        for label, rs in runs.items():
            wall = statistics.median(r[0] for r in rs)
            peak = max(r[1] for r in rs)
            stages = sorted(rs, key=lambda r: r[0])[len(rs) // 2][2]
            ratio = wall / floor
            print(
                f"  {label:<14} {wall:7.2f} s  ×{ratio:4.2f} the floor  peak {peak:6.0f} MiB"
                + (f"  [{stages}]" if stages else ""),
                flush=True,
            )
            if label != "floor":
                # Each round's ratio to its own floor run: a shared machine's load drifts
                # between rounds, and a round's runs see nearly the same load. Shown beside
                # the verdict's ratio of medians, which it does not replace.
                paired = [r[0] / f[0] for r, f in zip(rs, runs["floor"], strict=True)]
                print(
                    f"  {'':<14} each round ×"
                    + ", ×".join(f"{x:.2f}" for x in paired)
                    + f" (median ×{statistics.median(paired):.2f})",
                    flush=True,
                )
            if label in TARGETS and n == max(sizes):
                verdicts.append((label, ratio, TARGETS[label], peak))
    if verdicts:
        n = max(sizes)
        parts = [
            f"{label} ×{ratio:.2f} ({'met' if ratio <= target else 'NOT met'}: ≤ {target:g}×)"
            for label, ratio, target, _ in verdicts
        ]
        peak = max(v[3] for v in verdicts)
        if n >= 10_000_000:
            parts.append(
                f"peak {peak / 1024:.2f} GiB "
                f"({'met' if peak < PEAK_LIMIT_MIB else 'NOT met'}: < 3 GiB)"
            )
        print(f"verdict at {n:,} touches: " + "; ".join(parts))


if __name__ == "__main__":
    main()
