"""Write attribution results as files analysts can take elsewhere (CSV and JSON).

No person identifier is in any of these frames; account names are not written either.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from revstory.attribute.stage import Results
from revstory.uncertainty.intervals import attribution_intervals, model_spread


def _major(minor: pd.Series, digits: int) -> pd.Series:
    return (minor.astype("int64") / 10**digits).round(digits)


def attribution_frame(results: Results) -> pd.DataFrame:
    """One row per (quarter, content, model), with the 90 % bootstrap interval, the range
    over all models and the thin-evidence flag (see :mod:`revstory.uncertainty.intervals`)."""
    d = results.currency_digits
    a = results.attribution
    out = pd.DataFrame({
        "quarter": a["quarter"], "content_id": a["content_id"], "model": a["model"],
        "revenue": _major(a["revenue_minor"], d), "credit": a["credit"].round(6),
        "deals_influenced": a["deals_influenced"].astype("int64"),
    })
    keys = ["quarter", "content_id", "model"]
    iv = attribution_intervals(results)
    spread = model_spread(results)
    extra = (out[keys].astype(str)
             .merge(iv[[*keys, "revenue_low_minor", "revenue_high_minor", "thin_evidence"]],
                    on=keys, how="left")
             .merge(spread[["quarter", "content_id", "models_min_minor", "models_max_minor"]],
                    on=["quarter", "content_id"], how="left"))
    for col in ("revenue_low", "revenue_high", "models_min", "models_max"):
        out[col] = _major(extra[f"{col}_minor"].fillna(0), d).to_numpy()
    out["thin_evidence"] = extra["thin_evidence"].fillna(True).astype(bool).to_numpy()
    return out


def influence_frame(results: Results) -> pd.DataFrame:
    d = results.currency_digits
    i = results.influence
    return pd.DataFrame({
        "quarter": i["quarter"], "content_id": i["content_id"],
        "influenced_revenue": _major(i["influenced_revenue_minor"], d),
        "influenced_pipeline": _major(i["influenced_pipeline_minor"], d),
        "won_deals": i["won_deals"].astype("int64"), "lost_deals": i["lost_deals"].astype("int64"),
        "open_deals": i["open_deals"].astype("int64"),
    })


def summary_dict(results: Results) -> dict[str, object]:
    d = results.currency_digits
    out: dict[str, object] = {"currency": results.config.reporting_currency, "quarters": {}}
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
        out["quarters"][q] = models  # type: ignore[index]
    return out


def write_results(results: Results, out: Path) -> list[Path]:
    """Write attribution.csv, influence.csv and summary.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "attribution.csv", out / "influence.csv", out / "summary.json"]
    # Revenue keeps the currency's decimals exactly as computed in minor units.
    a = attribution_frame(results)
    for c in ("revenue", "revenue_low", "revenue_high", "models_min", "models_max"):
        a[c] = a[c].map(lambda v: f"{v:.{results.currency_digits}f}")
    a["credit"] = a["credit"].map(lambda v: f"{v:.6f}")
    a.to_csv(paths[0], index=False)
    inf = influence_frame(results)
    for c in ("influenced_revenue", "influenced_pipeline"):
        inf[c] = inf[c].map(lambda v: f"{v:.{results.currency_digits}f}")
    inf.to_csv(paths[1], index=False)
    paths[2].write_text(json.dumps(summary_dict(results), indent=2, sort_keys=True) + "\n",
                        encoding="utf-8")
    return paths
