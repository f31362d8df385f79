"""revstory against ChannelAttribution (CA) and ``mta``: same paths, same run, ratios, verdicts.

1. **effects.csv on CA's own example data.** ``tests/fixtures/channelattribution/data.csv.gz``
   (CA's ``Data``: 10,000 paths, 19,785 conversions, 68,602 nulls) becomes a revstory drop (one
   won deal per conversion, one lost deal per null, one touch per path step); ``revstory
   attribute --out`` runs on it and its effects.csv is compared with the exact absorbing-chain
   removal effects (one dense solve per removed channel, written here independently of
   revstory) and with CA's simulated ``markov_model`` (``var_null``, five seeds).
   Verdicts: exact to 1e-6; CA within its noise (every channel with ≥ 5 % share within
   3 × CA's seed-to-seed spread, or within the 3 % CA's default settings reach at best).
2. **Speed and agreement at 50, 500 and 5,000 pieces** on seeded synthetic paths
   (perf-baselines.md §3): first/last/linear heuristics and order-1 Markov by revstory (from
   integer arrays), CA (``heuristic_models``, ``markov_model(ncore=1)``) and ``mta``
   (``MTA(allow_loops=True, add_timepoints=False)``, ``markov(sim=False)``), each peer in its
   own process, alternating with ours, median of three (one run when a run takes over 30 s;
   a run over ``--timeout`` counts as a timeout). Ratio = peer time ÷ revstory time.

CA and ``mta`` are never dependencies of revstory. ``--install DIR`` creates a virtual
environment there with ``ChannelAttribution==2.2.5`` (sdist, C++ build ≈ 2 min; needs the
undeclared ``matplotlib``) and ``mta==0.0.9``; ``--peer-python PATH`` reuses one. Without
either, only the exact checks run.

Run: .venv/bin/python benchmarks/check_channelattribution.py --install /tmp/ca-venv
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import pairwise
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_markov import synthetic
from revstory.attribute.heuristic import Touches, role_flags, weights_for
from revstory.attribute.markov import removal_effects

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "fixtures" / "channelattribution" / "data.csv.gz"
BIN = Path(sys.executable).parent / "revstory"
#: CA's seeds for the noise estimate (2.2.5 gives seeds 0 and 1 the same output).
SEEDS = (0, 7, 42, 12345, 271828)
PEERS = ["ChannelAttribution==2.2.5", "matplotlib", "mta==0.0.9", "pandas"]

PEER_CHILD = r"""
import contextlib, io, json, sys, time
import pandas as pd
a = json.loads(sys.argv[1])
data = pd.read_csv(a["csv"], sep=";")
out = {}
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    if a["tool"] == "ca":
        from ChannelAttribution import heuristic_models, markov_model
        t = time.perf_counter()
        if a["kind"] == "heuristics":
            r = heuristic_models(data, "path", "total_conversions", flg_pro=False)
        else:
            r = markov_model(data, "path", "total_conversions", var_null="total_null", order=1,
                             seed=a.get("seed", 0), ncore=1, verbose=False, flg_pro=False)
        out["seconds"] = time.perf_counter() - t
        out["result"] = r.to_dict(orient="list")
    else:
        from mta import MTA
        df = data.rename(columns={"total_conversions": "total_conversions"})
        t = time.perf_counter()
        m = MTA(data=df[["path", "total_conversions", "total_null"]], allow_loops=True,
                add_timepoints=False)
        if a["kind"] == "heuristics":
            m.first_touch(normalize=False).last_touch(normalize=False)
            m.linear(share="proportional", normalize=False)
        else:
            m.markov(sim=False, normalize=False)
        out["seconds"] = time.perf_counter() - t
        out["result"] = {k: dict(v) for k, v in m.attribution.items()}
print(json.dumps(out))
"""


# -- CA Data → revstory drop ------------------------------------------------------------------


def read_data() -> pd.DataFrame:
    """Read ChannelAttribution's example data (paths with conversion and null counts)."""
    return pd.read_csv(DATA)


def split_paths(data: pd.DataFrame) -> list[list[str]]:
    """Split each ``a > b > c`` path into its channels."""
    return [[c.strip() for c in p.split(">")] for p in data["path"]]


def write_drop(data: pd.DataFrame, folder: Path) -> None:
    """One won deal per conversion and one lost deal per null, touches one hour apart."""
    q = folder / "2026-Q3"
    q.mkdir(parents=True)
    paths = split_paths(data)
    names = sorted({c for p in paths for c in p})
    pd.DataFrame(
        {
            "content_id": names,
            "url": [f"https://example.com/{n}/" for n in names],
            "title": names,
            "content_type": names,
            "published_at": "2026-01-01",
        }
    ).to_csv(q / "content.csv", index=False)
    deals, contacts, touches = [], [], []
    start = pd.Timestamp("2026-07-01T00:00:00Z")
    n = 0
    for path, conv, null in zip(paths, data["total_conversions"], data["total_null"], strict=True):
        for status, count in (("won", int(conv)), ("lost", int(null))):
            for _ in range(count):
                deal, person = f"D{n:06d}", f"p{n:06d}"
                deals.append(
                    (
                        deal,
                        f"A{n:06d}",
                        "100",
                        "EUR",
                        start.isoformat(),
                        (start + pd.Timedelta(days=60)).date().isoformat(),
                        status,
                    )
                )
                contacts.append((deal, person))
                touches.extend(
                    (start + pd.Timedelta(hours=h + 1), person, c) for h, c in enumerate(path)
                )
                n += 1
    pd.DataFrame(
        deals,
        columns=[
            "deal_id",
            "account_id",
            "amount",
            "currency",
            "created_at",
            "closed_at",
            "status",
        ],
    ).assign(deal_type="new").to_csv(q / "deals.csv", index=False)
    pd.DataFrame(contacts, columns=["deal_id", "person_id"]).to_csv(
        q / "deal_contacts.csv", index=False
    )
    t = pd.DataFrame(touches, columns=["occurred_at", "person_id", "content_id"])
    t["occurred_at"] = t["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    t.assign(touch_type="view", channel="web").to_csv(q / "touches.csv", index=False)


def exact_removal(data: pd.DataFrame) -> tuple[dict[str, float], float]:
    """Compute removal effects from the definition: 1 − P(conv | k removed) / P(conv)."""
    paths = split_paths(data)
    names = sorted({c for p in paths for c in p})
    idx = {c: i + 1 for i, c in enumerate(names)}
    m = len(names) + 1
    q, to_conv, to_null = np.zeros((m, m)), np.zeros(m), np.zeros(m)
    for path, conv, null in zip(paths, data["total_conversions"], data["total_null"], strict=True):
        walk = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
        q[0, idx[walk[0]]] += conv + null
        for a, b in pairwise(walk):
            q[idx[a], idx[b]] += conv + null
        to_conv[idx[walk[-1]]] += conv
        to_null[idx[walk[-1]]] += null
    out = q.sum(axis=1) + to_conv + to_null
    q, r = q / out[:, None], to_conv / out

    def p(removed: int | None) -> float:
        qq, rr = q.copy(), r.copy()
        if removed is not None:
            qq[removed], rr[removed] = 0.0, 0.0
        return float(np.linalg.solve(np.eye(m) - qq, rr)[0])

    base = p(None)
    return {c: 1.0 - p(idx[c]) / base for c in names}, base


def peer(
    python: str | None, tool: str, kind: str, csv: Path, timeout: float, seed: int = 0
) -> dict | None:
    """One peer run in its own process; None on timeout."""
    if python is None:
        return None
    args = json.dumps({"csv": str(csv), "tool": tool, "kind": kind, "seed": seed})
    try:
        proc = subprocess.run(  # noqa: S603 - the peer Python the user named, our own script
            [python, "-c", PEER_CHILD, args], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        sys.exit(f"{tool} {kind} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def check_effects(python: str | None, tmp: Path, timeout: float) -> bool:
    """Check revstory's effects on CA's data against the exact ones and CA's own."""
    data = read_data()
    print(
        f"CA Data: {len(data):,} paths, {int(data['total_conversions'].sum()):,} conversions, "
        f"{int(data['total_null'].sum()):,} nulls"
    )
    drop, out = tmp / "content", tmp / "out"
    write_drop(data, drop)
    t0 = time.perf_counter()
    subprocess.run(  # noqa: S603 - argv is this venv's revstory and our own temporary paths
        [
            str(BIN),
            "attribute",
            str(drop),
            "--out",
            str(out),
            "--models",
            "first_touch,last_touch,linear,markov,shapley",
        ],
        check=True,
        capture_output=True,
    )
    print(
        f"revstory attribute on it (load, validate, journeys, 5 models, files): "
        f"{time.perf_counter() - t0:.1f} s"
    )
    fx = pd.read_csv(out / "effects.csv")
    pieces = fx[fx["dimension"] == "content_id"].set_index("state")
    exact, p_conv = exact_removal(data)
    diff = max(abs(pieces.at[c, "removal_effect"] - re) for c, re in exact.items())
    dp = abs(pieces["conversion_probability"].iloc[0] - p_conv)
    ok_exact = diff <= 1e-6 and dp <= 1e-6
    print(
        f"effects.csv vs exact absorbing chain: max |Δ removal effect| {diff:.1e}, "
        f"|Δ P(conv)| {dp:.1e} → {'PASS' if ok_exact else 'FAIL'} (≤ 1e-6)"
    )
    if python is None:
        print("(no peer Python: ChannelAttribution not run)")
        return ok_exact
    csv = tmp / "Data.csv"
    data.to_csv(csv, sep=";", index=False)
    runs = [peer(python, "ca", "markov", csv, timeout, seed) for seed in SEEDS]
    sims = pd.DataFrame(
        {
            s: pd.Series(r["result"]["total_conversions"], index=r["result"]["channel_name"])
            for s, r in enumerate(runs)
            if r is not None
        }
    )
    table = pd.DataFrame(
        {
            "revstory": pieces["conversions"],
            "CA seed 0": sims[0],
            "CA mean": sims.mean(axis=1),
            "CA sd": sims.std(axis=1),
        }
    )
    table["rel Δ"] = (table["CA mean"] - table["revstory"]) / table["revstory"]
    big = table["revstory"] >= 0.05 * table["revstory"].sum()
    noise_ok = ((table["CA mean"] - table["revstory"]).abs() <= 3 * table["CA sd"]) | (
        table["rel Δ"].abs() <= 0.03
    )
    ok_ca = bool(noise_ok[big].all())
    print("\nconversions per channel: effects.csv (exact) vs CA markov_model (simulated)")
    print(table.sort_values("revstory", ascending=False).round(4).to_string())
    print(
        f"CA within its noise on the {int(big.sum())} channels with ≥ 5 % share: "
        f"{'PASS' if ok_ca else 'FAIL'} (worst rel Δ {table.loc[big, 'rel Δ'].abs().max():.4f})"
    )
    return ok_exact and ok_ca


# -- synthetic sizes --------------------------------------------------------------------------


def ours_heuristics(
    journey: np.ndarray, state: np.ndarray, conv: np.ndarray, k: int
) -> dict[str, np.ndarray]:
    """Credit the converting journeys by first touch, last touch and linear, per piece."""
    keep = conv
    j, s = journey[keep], state[keep]
    deal = np.cumsum(np.r_[True, j[1:] != j[:-1]]) - 1 if len(j) else j
    n = len(deal)
    t = Touches(
        deal=deal,
        n_deals=int(deal[-1]) + 1 if n else 0,
        days_before_close=np.zeros(n),
        is_conversion=np.zeros(n, dtype=bool),
        before_created=np.zeros(n, dtype=bool),
    )
    flags = role_flags(t)
    return {
        m: np.bincount(s, weights=weights_for(m, t, flags, 7.0), minlength=k)
        for m in ("first_touch", "last_touch", "linear")
    }


def timed(fn, *args):  # type: ignore[no-untyped-def]
    """Call ``fn(*args)``; give its wall seconds and result."""
    t0 = time.perf_counter()
    res = fn(*args)
    return time.perf_counter() - t0, res


def compare_sizes(
    python: str | None, sizes: list[int], n: int, tmp: Path, timeout: float
) -> list[tuple[str, int, str, float | None, float]]:
    """Time ours and the peers on synthetic journeys over each number of pieces."""
    rows: list[tuple[str, int, str, float | None, float]] = []
    for k in sizes:
        journey, state, conv = synthetic(k, n)
        starts = np.flatnonzero(np.r_[True, journey[1:] != journey[:-1]])
        names = np.array([f"c{i}" for i in range(k)], dtype=object)
        cj = conv[starts]
        csv = tmp / f"syn_{k}.csv"
        pd.DataFrame(
            {
                "path": [" > ".join(x) for x in np.split(names[state], starts[1:])],
                "total_conversions": cj.astype(int),
                "total_null": (~cj).astype(int),
            }
        ).to_csv(csv, sep=";", index=False)
        total = float(cj.sum())
        print(
            f"\nK = {k:,} pieces, {n:,} journeys, {len(journey):,} touches, "
            f"{int(total):,} conversions"
        )
        for kind in ("heuristics", "markov"):
            ours_t: list[float] = []
            peer_t: dict[str, list[float | None]] = {"ca": [], "mta": []}
            results: dict[str, dict] = {}
            for rep in range(3):
                if kind == "heuristics":
                    secs, mine = timed(ours_heuristics, journey, state, conv, k)
                else:
                    secs, res = timed(removal_effects, journey, state, conv, k)
                    mine = {"markov": res.shares() * total}
                ours_t.append(secs)
                for tool in ("ca", "mta") if python is not None else ():
                    done = [x for x in peer_t[tool] if x is not None]
                    if rep and (not done or len(done) < len(peer_t[tool]) or done[0] > 30):
                        continue  # slow or timed out: one run only
                    r = peer(python, tool, kind, csv, timeout)
                    peer_t[tool].append(None if r is None else r["seconds"])
                    if r is not None:
                        results[tool] = r["result"]
            ours_med = statistics.median(ours_t)
            for tool, label in (("ca", "ChannelAttribution"), ("mta", "mta")):
                runs = peer_t[tool]
                med = (
                    None
                    if not runs or any(x is None for x in runs)
                    else statistics.median([x for x in runs if x is not None])
                )
                agree = _agreement(kind, tool, results.get(tool), mine, names, total)
                if runs:  # a peer not run (no peer Python) is no comparison
                    rows.append((kind, k, label, med, ours_med))
                shown = (
                    "not run"
                    if not runs
                    else f"timeout > {timeout:.0f} s"
                    if med is None
                    else f"{med:8.3f} s"
                )
                # A peer that timed out was slower than the timeout: a lower bound of the ratio.
                ratio = (
                    ""
                    if not runs
                    else f"ratio > {timeout / ours_med:6.1f}×"
                    if med is None
                    else f"ratio {med / ours_med:8.1f}×"
                )
                print(
                    f"  {kind:<10} {label:<18} {shown:>14}  revstory {ours_med:8.4f} s  "
                    f"{ratio}  {agree}",
                    flush=True,
                )
    return rows


def _agreement(
    kind: str,
    tool: str,
    result: dict | None,
    mine: dict[str, np.ndarray],
    names: np.ndarray,
    total: float,
) -> str:
    if result is None:
        return ""
    idx = {n: i for i, n in enumerate(names.tolist())}
    if tool == "ca" and kind == "heuristics":
        worst = 0.0
        for m, col in (
            ("first_touch", "first_touch"),
            ("last_touch", "last_touch"),
            ("linear", "linear_touch"),
        ):
            # CA names the columns first_touch… without var_value, …_conversions with it.
            col = col if col in result else f"{col}_conversions"
            for ch, v in zip(result["channel_name"], result[col], strict=True):
                worst = max(worst, abs(mine[m][idx[ch]] - v))
        return f"max |Δ| vs ours {worst:.1e}"
    if tool == "ca":
        ca = pd.Series(result["total_conversions"], index=result["channel_name"])
        ours = pd.Series(mine["markov"], index=names)
        big = ours >= 0.05 * total
        rel = ((ca.reindex(ours.index).fillna(0.0) - ours) / ours)[big].abs()
        return f"simulated vs exact: max rel Δ {rel.max():.4f} on {int(big.sum())} pieces ≥ 5 %"
    if kind == "heuristics":
        worst = 0.0
        for m, key in (
            ("first_touch", "first_touch"),
            ("last_touch", "last_touch"),
            ("linear", "linear"),
        ):
            for ch, v in result.get(key, {}).items():
                worst = max(worst, abs(mine[m][idx[ch]] - v))
        return f"max |Δ| vs ours {worst:.1e}"
    return "(mta's markov(sim=False) is not a removal effect: time only)"


def install(folder: Path) -> str:
    """Create (or reuse) a venv in ``folder`` with the peers installed; give its Python."""
    python = folder / "bin" / "python"
    if not python.exists():
        print(f"installing {', '.join(PEERS)} into {folder} (CA builds from source) …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)  # noqa: S603 - this interpreter, a path the user gave
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEERS], check=True)  # noqa: S603 - the venv just made, fixed package names
    return str(python)


def main() -> None:
    """Run the checks against ChannelAttribution and mta, then the timings."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--install", type=Path, help="create (or reuse) a venv with CA and mta here")
    ap.add_argument("--peer-python", help="a Python with ChannelAttribution and mta installed")
    ap.add_argument("--sizes", default="50,500,5000", help="pieces K ('' to skip)")
    ap.add_argument("--journeys", type=int, default=10_000, help="journeys per synthetic size")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per peer run")
    args = ap.parse_args()
    pd.set_option("display.width", 200)
    python = install(args.install) if args.install else args.peer_python
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        ok = check_effects(python, tmp, args.timeout)
        sizes = [int(s) for s in args.sizes.split(",") if s]
        rows = compare_sizes(python, sizes, args.journeys, tmp, args.timeout) if sizes else []
    slower = [r for r in rows if r[3] is not None and r[3] < r[4]]
    faster = [r for r in rows if r[3] is None or r[3] >= r[4]]
    peers = (
        f"revstory faster in {len(faster)} of {len(rows)} peer comparisons"
        + (
            f" (slower: {', '.join(f'{r[0]} K={r[1]} vs {r[2]}' for r in slower)})"
            if slower
            else ""
        )
        if rows
        else "peer speed not compared (--sizes '')"
        if python
        else "peers not run (no peer Python: --install DIR or --peer-python PATH)"
    )
    print(
        f"\nverdict: effects.csv {'matches' if ok else 'does NOT match'} the exact removal "
        f"effects{' and CA within its noise' if python and ok else ''}; {peers}"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
