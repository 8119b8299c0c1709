#!/usr/bin/env python3
"""Binomial thinning of a trace: each interval's count becomes
Binomial(count, P) (numpy default_rng(SEED)). A smaller centre with the same
weekday, intraday and day-of-month structure, for checking that a method's
margin survives lower volumes (more Poisson noise).

    venv/bin/python thin_history.py SRC DST P [SEED=5]
"""
import csv
import sys

import numpy as np

src, dst, p = sys.argv[1], sys.argv[2], float(sys.argv[3])
rng = np.random.default_rng(int(sys.argv[4]) if len(sys.argv) > 4 else 5)
with open(src, newline="") as f, open(dst, "w") as w:
    w.write("interval_start,channel,contacts\n")
    for r in csv.DictReader(f):
        w.write(f"{r['interval_start']},{r['channel']},{rng.binomial(int(r['contacts']), p)}\n")
