#!/usr/bin/env python3
"""Table for one history run (no floors): per method the mean WAPE over
origins, the pooled WAPE, the mean bias, and against cxsim the paired
difference (cxsim - method, percentage points, with its standard error) and
the origins where cxsim is lower. Reads RUN/results.csv and, when present,
RUN/sf_results.csv.

    venv/bin/python bank_summary.py runs/bank
"""
import os
import sys

import numpy as np
import pandas as pd

run = sys.argv[1]
r = pd.read_csv(os.path.join(run, "results.csv"))
r = r[r.origin != "mean"][["origin", "method", "wape", "bias", "actual"]]
sf = os.path.join(run, "sf_results.csv")
if os.path.exists(sf):
    r = pd.concat([r, pd.read_csv(sf)[["origin", "method", "wape", "bias", "actual"]]])
cx = r[r.method == "cxsim"].set_index("origin").wape
print(f"{len(cx)} origins\n")
print("| method | WAPE (mean) | WAPE (pooled) | bias (mean) | cxsim − it, pp (s.e.) | cxsim lower at |")
print("|---|---:|---:|---:|---:|---:|")
for m in ["cxsim", "sf_mstl_autoets", "mstl_ets", "mstl_ets_damped", "mstl_ets_log", "four_week_mean", "seasonal_naive"]:
    t = r[r.method == m]
    if t.empty:
        continue
    w = t.set_index("origin").wape.reindex(cx.index)
    pooled = (t.wape * t.actual).sum() / t.actual.sum()
    if m == "cxsim":
        paired, wins = "", ""
    else:
        d = (cx - w) * 100
        paired = f"{d.mean():+.2f} ({d.std(ddof=1) / np.sqrt(len(d)):.2f})"
        wins = f"{int((cx < w).sum())}/{len(cx)}"
    print(f"| {m} | {t.wape.mean()*100:.2f}% | {pooled*100:.2f}% | {t.bias.mean()*100:+.2f}% | {paired} | {wins} |")
