#!/usr/bin/env python3
"""Mean over origins (and seeds) of WAPE and bias per scenario and method, from runs/*/results.csv and sf_results.csv."""
import glob, os
import pandas as pd
rows = []
for d in sorted(glob.glob("runs/*-seed*/")):
    scen, seed = os.path.basename(d.rstrip("/")).rsplit("-seed", 1)
    r = pd.read_csv(d + "results.csv"); r = r[r.origin != "mean"][["origin", "method", "wape", "bias"]]
    if os.path.exists(d + "sf_results.csv"):
        r = pd.concat([r, pd.read_csv(d + "sf_results.csv")[["origin", "method", "wape", "bias"]]])
    r["scenario"], r["seed"] = scen, int(seed)
    rows.append(r)
a = pd.concat(rows)
order = ["cxsim", "mstl_ets", "mstl_ets_damped", "mstl_ets_log", "sf_mstl_autoets", "four_week_mean", "seasonal_naive", "floor_true_mean", "floor_poisson"]
for scen in ["base", "notrend", "strongshape", "lowvol"]:
    s = a[a.scenario == scen]
    if s.empty: continue
    seeds = sorted(s.seed.unique())
    print(f"\n### {scen} (seeds {', '.join(map(str, seeds))}; {s[s.method=='cxsim'].shape[0]} origins)\n")
    print("| method | WAPE (mean over origins) | per seed | bias (mean) | cxsim lower WAPE at |")
    print("|---|---:|---|---:|---:|")
    cx = s[s.method == "cxsim"].set_index(["seed", "origin"]).wape
    for m in order:
        t = s[s.method == m]
        if t.empty: continue
        per = " / ".join(f"{t[t.seed==k].wape.mean()*100:.1f}" for k in seeds)
        w = t.set_index(["seed", "origin"]).wape
        wins = "" if m == "cxsim" or m.startswith("floor") else f"{int((cx < w.reindex(cx.index)).sum())}/{len(cx)}"
        print(f"| {m} | {t.wape.mean()*100:.2f}% | {per} | {t.bias.mean()*100:+.2f}% | {wins} |")
