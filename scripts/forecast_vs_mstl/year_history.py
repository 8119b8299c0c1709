#!/usr/bin/env python3
"""A year of 15-minute history for 4 channels (the issue's speed case), like
`forecast::synthetic::Spec::bank` with four channels: Mon-Fri 07-21 h,
Saturday 08-16 h, Sunday closed, 364 days from 2025-01-06, gamma day
multipliers (CV 0.15), Poisson counts.

    venv/bin/python year_history.py /tmp/year.csv
    time ../../target/release/cxsim forecast /tmp/year.csv --horizon 7d --out /tmp/year-out --quiet
"""
import datetime as dt
import math
import sys

import numpy as np

rng = np.random.default_rng(1)
channels = [("voice", 3000.0), ("chat", 1200.0), ("messaging", 800.0), ("email", 500.0)]
weekday = [1.25, 1.05, 1.0, 0.98, 0.95, 0.55, 0.0]
hours = [(7, 21)] * 5 + [(8, 16), (0, 0)]
start = dt.date(2025, 1, 6)
with open(sys.argv[1], "w") as f:
    f.write("interval_start,channel,contacts\n")
    for d in range(364):
        date = start + dt.timedelta(days=d)
        w = date.weekday()
        g = rng.gamma(1 / 0.15**2, 0.15**2)
        lo, hi = hours[w]
        if weekday[w] == 0:
            continue
        slots = [(h, m) for h in range(lo, hi) for m in (0, 15, 30, 45)]
        for c, (name, base) in enumerate(channels):
            peak = 10.5 if c % 2 == 0 else 19.0
            wts = np.array([0.2 + math.exp(-((h + m / 60 - peak) / 2.0) ** 2) for h, m in slots])
            mean = base * weekday[w] * (1 + 0.2 * d / 365) * g * wts / wts.sum()
            for (h, m), n in zip(slots, rng.poisson(mean)):
                f.write(f"{date} {h:02d}:{m:02d},{name},{n}\n")
