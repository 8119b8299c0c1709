#!/usr/bin/env python3
"""Cross-check: the same rolling origins with Nixtla statsforecast's MSTL
(its default trend forecaster AutoETS(model="ZZN")), the most literal "MSTL
with ETS trend as a Python user would run it". Reads RUN/history.csv written
by mstl_compare.py (the full generated history), uses the same origins, the
same filled open-interval series and the same scored intervals, and writes
RUN/sf_results.csv (origin, method, wape, bias).

    OMP_NUM_THREADS=1 venv-sf/bin/python sf_mstl.py runs/base-seed1 [--origins 6]

Exact call, per origin, on y = the open Mon-Fri 07-21 series (holidays filled
with the same interval a week earlier), ds = 0..n-1:
    sf = StatsForecast(models=[MSTL(season_length=[28, 140],
                                    trend_forecaster=AutoETS(model="ZZN"))], freq=1)
    sf.forecast(df=frame, h=140)
"""
import argparse
import datetime as dt
import os
import sys

import numpy as np
import pandas as pd
import statsforecast
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS

import mstl_compare as mc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--origins", type=int, default=6)
    a = ap.parse_args()
    df = mc.read_history(os.path.join(a.run, "history.csv"))
    first = min(df.date)
    mon0 = first - dt.timedelta(days=first.weekday())
    nweeks = ((max(df.date) - mon0).days) // 7 + 1
    targets = [mon0 + dt.timedelta(weeks=nweeks - a.origins + i) for i in range(a.origins)]
    recs = []
    for tm in targets:
        hist = df[df.date < tm - dt.timedelta(days=2)]
        actual = df[(df.date >= tm) & (df.date < tm + dt.timedelta(days=7))].set_index(["date", "slot"])
        grid = mc.week_grid(tm)
        present = np.array([g in actual.index for g in grid])
        a_vals = np.array([actual.y.get(g, np.nan) for g in grid])[present]
        y = mc.open_series_filled(hist, tm - dt.timedelta(days=3))
        frame = pd.DataFrame({"unique_id": "voice", "ds": np.arange(len(y)), "y": y})
        for name, model in [("sf_mstl_autoets", MSTL(season_length=[mc.SLOTS, mc.PER_WEEK],
                                                     trend_forecaster=AutoETS(model="ZZN")))]:
            sf = StatsForecast(models=[model], freq=1, n_jobs=1)
            out = sf.forecast(df=frame, h=mc.PER_WEEK)
            f = np.maximum(out["MSTL"].to_numpy(), 0.0)[present]
            e = f - a_vals
            recs.append(dict(origin=str(tm), method=name, wape=np.abs(e).sum() / a_vals.sum(),
                             bias=e.sum() / a_vals.sum(), actual=a_vals.sum()))
            print(f"{tm} {name} WAPE {recs[-1]['wape']*100:.2f}% bias {recs[-1]['bias']*100:+.2f}%", file=sys.stderr)
    r = pd.DataFrame(recs)
    r.to_csv(os.path.join(a.run, "sf_results.csv"), index=False, float_format="%.5f")
    print(f"{a.run}: sf_mstl_autoets WAPE mean {r.wape.mean()*100:.2f}% pooled "
          f"{(r.wape*r.actual).sum()/r.actual.sum()*100:.2f}% bias mean {r.bias.mean()*100:+.2f}% "
          f"per origin {' '.join(f'{x*100:.1f}' for x in r.wape)} (statsforecast {statsforecast.__version__})")


if __name__ == "__main__":
    main()
