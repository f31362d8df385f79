"""Cross-check our first/last/linear and exact Markov against ChannelAttribution (CA).

1. Gets CA's example paths: ``Data.csv`` ships inside the PyPI sdist ``channelattribution``
   (``src/cypack/data/Data.csv``; ``;``-separated path;total_conversions;
   total_conversion_value;total_null). Downloaded into a temporary folder with
   ``pip download --no-deps --no-binary channelattribution`` unless ``--sdist`` is given.
2. Turns every path into journeys (split on ``>``, names trimmed): a converting journey
   weighted by its conversions and value, a non-converting one weighted by its nulls.
3. Runs our heuristics (per touch, as CA) and our exact Markov (order 1, with and without
   the non-converting journeys) and prints the differences from the reference figures in
   perf-baselines.md §2 (CA's heuristics; exact absorbing-chain Markov).
4. With ``--ca-python PATH`` (a Python where ``pip install channelattribution matplotlib``
   worked, e.g. a throwaway venv under /tmp), runs CA itself in that interpreter and prints
   its figures, the differences and the speed ratio, also on synthetic sizes CA can finish
   (``--synthetic``). CA is never a dependency of revstory.

Run: .venv/bin/python benchmarks/check_channelattribution.py [--ca-python /tmp/ca/venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_markov import synthetic
from revstory.attribute.heuristic import Touches, role_flags, weights_for
from revstory.attribute.markov import removal_effects

MEMBER = "channelattribution-2.2.5/src/cypack/data/Data.csv"

#: perf-baselines.md §2: CA heuristic_models on Data.csv (conversions).
REF_HEURISTIC = {
    "eta": (3164, 4167, 3539.951157), "iota": (4606, 3355, 3857.096221),
    "alpha": (6308, 8447, 7574.718594), "beta": (2831, 989, 2083.500145),
    "theta": (1606, 653, 1022.801394), "lambda": (902, 1207, 1035.257572),
    "kappa": (74, 230, 137.964078), "zeta": (27, 107, 136.551540),
    "epsilon": (99, 531, 272.170438), "gamma": (165, 92, 121.041639),
    "delta": (1, 5, 1.725000), "mi": (2, 2, 2.222222),
}
#: perf-baselines.md §2: exact analytic Markov, order 1: (conversions, value) without and
#: with the non-converting paths.
REF_MARKOV = {
    "eta": ((3347.7659, 13004.7549), (3340.8474, 12991.7367)),
    "iota": ((3899.2462, 15024.4465), (3884.6147, 14978.4373)),
    "alpha": ((5260.0696, 18520.6233), (5344.9477, 18799.1706)),
    "beta": ((2585.4063, 9900.6909), (2527.3522, 9687.8092)),
    "theta": ((1938.8461, 7390.0149), (1971.9129, 7511.0485)),
    "kappa": ((276.6511, 1142.3225), (274.3633, 1136.0925)),
    "lambda": ((1295.4822, 5182.8726), (1282.8472, 5142.7203)),
    "zeta": ((394.5215, 1517.8502), (381.0626, 1468.7030)),
    "epsilon": ((604.8315, 2365.1739), (599.5707, 2348.6538)),
    "gamma": ((176.0281, 735.5972), (171.1454, 719.2367)),
    "delta": ((4.2587, 12.4984), (4.6136, 13.9184)),
    "mi": ((1.8930, 6.1261), (1.7224, 5.4445)),
}

CA_CHILD = r"""
import json, sys, time, io, contextlib
import pandas as pd
from ChannelAttribution import heuristic_models, markov_model
args = json.loads(sys.argv[1])
data = pd.read_csv(args["csv"], sep=";")
out = {}
with contextlib.redirect_stdout(io.StringIO()):
    if args.get("heuristics"):
        t = time.perf_counter()
        h = heuristic_models(data, "path", "total_conversions",
                             var_value="total_conversion_value", flg_pro=False)
        out["heuristic_s"] = time.perf_counter() - t
        out["heuristic"] = h.to_dict(orient="list")
    for null in (False, True):
        t = time.perf_counter()
        m = markov_model(data, "path", "total_conversions", var_value=args.get("value"),
                         var_null="total_null" if null else None, order=1, seed=0, ncore=1,
                         verbose=False, flg_pro=False)
        out[f"markov_null{int(null)}_s"] = time.perf_counter() - t
        out[f"markov_null{int(null)}"] = m.to_dict(orient="list")
print(json.dumps(out))
"""


def fetch_data(sdist: Path | None, tmp: Path) -> pd.DataFrame:
    if sdist is None:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary",
                        "channelattribution", "channelattribution==2.2.5", "-d", str(tmp),
                        "--quiet"], check=True)
        sdist = next(tmp.glob("channelattribution-2.2.5.tar.gz"))
    with tarfile.open(sdist) as tar:
        f = tar.extractfile(MEMBER)
        assert f is not None
        return pd.read_csv(f, sep=";")


def journeys(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray,
                                         np.ndarray, list[str], np.ndarray]:
    """Rows per touch: journey, state, converted, weight, value; channel names; path index."""
    paths = [[c.strip() for c in p.split(">")] for p in data["path"]]
    names = sorted({c for p in paths for c in p})
    code = {n: i for i, n in enumerate(names)}
    j, s, conv, w, v, path_of = [], [], [], [], [], []
    jid = 0
    for i, p in enumerate(paths):
        nconv = float(data["total_conversions"].iat[i])
        nnull = float(data["total_null"].iat[i])
        value = float(data["total_conversion_value"].iat[i])
        for converted, weight in ((True, nconv), (False, nnull)):
            if weight <= 0:
                continue
            for c in p:
                j.append(jid)
                s.append(code[c])
                conv.append(converted)
                w.append(weight)
                v.append(value if converted else 0.0)
                path_of.append(i)
            jid += 1
    return (np.array(j), np.array(s), np.array(conv), np.array(w), np.array(v), names,
            np.array(path_of))


def our_heuristics(j: np.ndarray, s: np.ndarray, conv: np.ndarray, w: np.ndarray,
                   names: list[str]) -> pd.DataFrame:
    keep = conv
    jj, ss, ww = j[keep], s[keep], w[keep]
    deal = np.cumsum(np.r_[True, jj[1:] != jj[:-1]]) - 1
    n = len(deal)
    t = Touches(deal=deal, n_deals=int(deal[-1]) + 1, days_before_close=np.zeros(n),
                is_conversion=np.zeros(n, dtype=bool), before_created=np.zeros(n, dtype=bool))
    flags = role_flags(t)
    out = {}
    for model in ("first_touch", "last_touch", "linear"):
        wt = weights_for(model, t, flags, 7.0) * ww
        out[model] = np.bincount(ss, weights=wt, minlength=len(names))
    return pd.DataFrame(out, index=names)


def our_markov(j, s, conv, w, v, names, with_null: bool) -> tuple[pd.DataFrame, float]:
    keep = np.ones(len(j), dtype=bool) if with_null else conv
    t0 = time.perf_counter()
    res = removal_effects(j[keep], s[keep], conv[keep], len(names), weight=w[keep],
                          value=v[keep])
    secs = time.perf_counter() - t0
    total_conv = float(w[conv & np.r_[j[1:] != j[:-1], True]].sum())
    total_value = float(v[conv & np.r_[j[1:] != j[:-1], True]].sum())
    return pd.DataFrame({"conversions": res.shares() * total_conv,
                         "value": res.value_shares() * total_value}, index=names), secs


def run_ca(python: str, csv: Path, value: bool = True, heuristics: bool = True) -> dict:
    args = json.dumps({"csv": str(csv), "value": "total_conversion_value" if value else None,
                       "heuristics": heuristics})
    proc = subprocess.run([python, "-c", CA_CHILD, args], capture_output=True, text=True,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def synthetic_csv(k: int, n: int, folder: Path) -> tuple[Path, tuple]:
    journey, state, conv = synthetic(k, n)
    starts = np.flatnonzero(np.r_[True, journey[1:] != journey[:-1]])
    names = np.array([f"c{i}" for i in range(k)], dtype=object)
    paths = [" > ".join(x) for x in np.split(names[state], starts[1:])]
    cj = conv[starts]
    df = pd.DataFrame({"path": paths, "total_conversions": cj.astype(int),
                       "total_conversion_value": 0.0, "total_null": (~cj).astype(int)})
    path = folder / f"syn_{k}_{n}.csv"
    df.to_csv(path, sep=";", index=False)
    return path, (journey, state, conv)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdist", type=Path, help="channelattribution-2.2.5.tar.gz already here")
    ap.add_argument("--ca-python", help="a Python with ChannelAttribution installed")
    ap.add_argument("--synthetic", default="50:10000,50:100000,500:10000",
                    help="K:N sizes for the CA speed comparison ('' to skip)")
    args = ap.parse_args()
    pd.set_option("display.width", 200)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        data = fetch_data(args.sdist, tmp)
        print(f"Data.csv: {len(data)} paths, {data['total_conversions'].sum()} conversions, "
              f"value {data['total_conversion_value'].sum():.2f}, {data['total_null'].sum()} nulls")
        j, s, conv, w, v, names, _ = journeys(data)

        heur = our_heuristics(j, s, conv, w, names)
        ref = pd.DataFrame(REF_HEURISTIC, index=["first_touch", "last_touch", "linear"]).T
        diff = (heur.loc[ref.index] - ref).abs()
        print("\nHeuristics (conversions): ours vs CA reference; max |diff| per model")
        print(pd.DataFrame({"eta_ours": heur.loc["eta"], "eta_ref": ref.loc["eta"],
                            "max_abs_diff": diff.max()}).to_string())

        rows = []
        timing = {}
        for with_null in (False, True):
            ours, secs = our_markov(j, s, conv, w, v, names, with_null)
            timing[with_null] = secs
            for ch, refs in REF_MARKOV.items():
                rc, rv = refs[int(with_null)]
                rows.append({"variant": "with_null" if with_null else "conv_only",
                             "channel": ch, "ours_conv": ours.at[ch, "conversions"],
                             "exact_ref_conv": rc, "ours_value": ours.at[ch, "value"],
                             "exact_ref_value": rv})
        mk = pd.DataFrame(rows)
        mk["diff_conv"] = mk["ours_conv"] - mk["exact_ref_conv"]
        mk["diff_value"] = mk["ours_value"] - mk["exact_ref_value"]
        print("\nExact Markov order 1 vs the exact reference (reference rounded to 4 dp)")
        print(mk.round(4).to_string(index=False))
        print(f"max |diff| conversions {mk['diff_conv'].abs().max():.2e}, "
              f"value {mk['diff_value'].abs().max():.2e}; our time: conv_only "
              f"{timing[False]:.3f} s, with_null {timing[True]:.3f} s")

        if not args.ca_python:
            print("\n(no --ca-python: ChannelAttribution itself not run)")
            return
        csv = tmp / "Data.csv"
        data.to_csv(csv, sep=";", index=False)
        ca = run_ca(args.ca_python, csv)
        h = pd.DataFrame(ca["heuristic"]).set_index("channel_name")
        print("\nChannelAttribution itself on Data.csv")
        hd = pd.DataFrame({
            m: (heur[m] - h[f"{m}_conversions"].reindex(heur.index)).abs()
            for m in ("first_touch", "last_touch")
        })
        hd["linear"] = (heur["linear"] - h["linear_touch_conversions"].reindex(heur.index)).abs()
        print(f"heuristics: max |ours − CA| conversions {hd.to_numpy().max():.2e}; "
              f"CA {ca['heuristic_s']:.3f} s")
        for with_null in (False, True):
            key = f"markov_null{int(with_null)}"
            m = pd.DataFrame(ca[key]).set_index("channel_name")
            ours, secs = our_markov(j, s, conv, w, v, names, with_null)
            cmp_ = pd.DataFrame({"ca_conv": m["total_conversions"], "ours_conv":
                                 ours["conversions"].reindex(m.index)})
            cmp_["rel_diff"] = (cmp_["ca_conv"] - cmp_["ours_conv"]) / cmp_["ours_conv"]
            big = cmp_["ours_conv"] >= 0.05 * cmp_["ours_conv"].sum()
            print(f"\nMarkov {'with' if with_null else 'without'} nulls: CA (simulated, seed 0) "
                  f"vs ours (exact)")
            print(cmp_.round(4).to_string())
            worst = cmp_.loc[big, "rel_diff"].abs().max()
            ca_secs = ca[key + "_s"]
            print(f"max |rel diff| on channels ≥5 % share: {worst:.4f}; "
                  f"CA {ca_secs:.3f} s vs ours {secs:.4f} s → ×{ca_secs / secs:.0f}")

        if args.synthetic:
            print("\nSpeed on synthetic journeys (order 1, with nulls, conversions only)")
            print(f"{'K':>5} {'N':>8} {'CA s':>8} {'ours s':>8} {'ratio':>7} "
                  f"{'max rel diff (≥5 % share)':>26}")
            for part in args.synthetic.split(","):
                k, n = (int(x) for x in part.split(":"))
                path, (journey, state, cv) = synthetic_csv(k, n, tmp)
                ca_s = run_ca(args.ca_python, path, value=False, heuristics=False)
                t0 = time.perf_counter()
                res = removal_effects(journey, state, cv, k)
                ours_s = time.perf_counter() - t0
                m = pd.DataFrame(ca_s["markov_null1"]).set_index("channel_name")
                total = float(cv[np.r_[journey[1:] != journey[:-1], True]].sum())
                ours = pd.Series(res.shares() * total, index=[f"c{i}" for i in range(k)])
                big = ours >= 0.05 * total
                rel = ((m["total_conversions"].reindex(ours.index) - ours) / ours)[big]
                print(f"{k:>5} {n:>8} {ca_s['markov_null1_s']:>8.2f} {ours_s:>8.3f} "
                      f"{ca_s['markov_null1_s'] / ours_s:>7.0f} {rel.abs().max():>26.4f}",
                      flush=True)


if __name__ == "__main__":
    main()
