#!/usr/bin/env python3
"""Rolling-origin one-week-ahead comparison: `cxsim forecast` vs MSTL+ETS
(statsmodels, as a Python user would run it) vs seasonal naive vs 4-week
same-weekday mean, on a synthetic bank call-centre history with known rates.

Usage (single-threaded):
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 \
        venv/bin/python mstl_compare.py --seed 1 --out runs/seed1

Data-generating process (defaults; see --help):
  * one channel "voice", weekdays Mon-Fri 07:00-21:00 open, 30-minute
    intervals (28 a day, 140 an open week); nights and weekends absent;
  * 26 weeks from Monday 2026-01-05;
  * weekday factors Mon..Fri 1.25 1.05 1.00 0.98 0.92 (mean 1.04);
  * intraday shape differing by weekday (Monday early-morning peak, Tue-Thu
    mid-morning + early-afternoon peaks, Friday peak earlier and an afternoon
    that fades);
  * linear trend (+10 %/year by default);
  * closed holidays (no rows): 2026-04-03, 2026-04-06, 2026-05-01,
    2026-05-14, 2026-05-25;
  * a gamma day multiplier G (mean 1, CV 0.10), then Poisson counts with mean
    G * m, where m = base * weekday * trend * shape share.

For each of the last K weeks (origin = end of the previous Friday) the history
is truncated, every method forecasts the next Mon-Fri open intervals, and all
methods are scored on the same intervals: those with a row in the actual
week (a holiday in the target week is not scored for anyone).
WAPE = sum|f - a| / sum a, bias = sum(f - a) / sum a.
"""
import argparse
import datetime as dt
import json
import math
import os
import subprocess
import sys
import time
import warnings

import numpy as np
import pandas as pd
import statsmodels
from statsmodels.tsa.seasonal import MSTL
from statsmodels.tsa.holtwinters import ExponentialSmoothing

SLOTS = 28          # 07:00 .. 20:30, 30-minute intervals
OPEN_H = 7
WEEKDAYS = 5
PER_WEEK = SLOTS * WEEKDAYS  # 140
START = dt.date(2026, 1, 5)  # a Monday
HOLIDAYS = ["2026-04-03", "2026-04-06", "2026-05-01", "2026-05-14", "2026-05-25"]
WEEKDAY_FACTOR = [1.25, 1.05, 1.00, 0.98, 0.92]


def shape(w, h, strength=1.0):
    """Intraday weight for weekday w (0=Mon) at hour h (fractional)."""
    b = lambda c, width: math.exp(-((h - c) / width) ** 2)  # noqa: E731
    if w == 0:    # Monday: strong early-morning peak
        s = 0.25 + 1.3 * b(9.0, 1.3) + 0.6 * b(14.0, 1.5)
    elif w == 4:  # Friday: earlier peak, fading afternoon
        s = 0.20 + 1.0 * b(9.5, 1.6) + 0.35 * b(13.5, 1.5)
    else:         # Tue-Thu: mid-morning and early-afternoon peaks
        s = 0.25 + 1.0 * b(10.5, 1.5) + 0.75 * b(14.5, 1.5)
    if strength != 1.0:
        # 'strong' variant: push the weekday-specific part further from the
        # Tue-Thu shape (and add an evening bump on Thursdays).
        base = 0.25 + 1.0 * b(10.5, 1.5) + 0.75 * b(14.5, 1.5)
        if w == 3:
            s = s + 0.6 * b(19.0, 1.0)
        s = max(base + strength * (s - base), 0.05)
    return s


def generate(seed, weeks, daily, trend, day_cv, shape_strength):
    rng = np.random.default_rng(seed)
    hol = {dt.date.fromisoformat(x) for x in HOLIDAYS}
    rows = []  # (date, slot, mean m, multiplier g, count)
    k = 1.0 / day_cv ** 2 if day_cv > 0 else None
    for d in range(weeks * 7):
        date = START + dt.timedelta(days=d)
        w = date.weekday()
        g = rng.gamma(k, 1.0 / k) if k else 1.0  # drawn every day: fixed stream
        if w >= 5 or date in hol:
            continue
        weights = np.array([shape(w, OPEN_H + (s + 0.5) * 0.5, shape_strength) for s in range(SLOTS)])
        weights /= weights.sum()
        day_mean = daily * WEEKDAY_FACTOR[w] * (1.0 + trend * d / 365.0)
        m = day_mean * weights
        counts = rng.poisson(m * g)
        for s in range(SLOTS):
            rows.append((date, s, m[s], g, float(counts[s])))
    df = pd.DataFrame(rows, columns=["date", "slot", "m", "g", "y"])
    return df


def ts(date, slot):
    return dt.datetime.combine(date, dt.time(OPEN_H)) + dt.timedelta(minutes=30 * slot)


def write_history(df, path):
    with open(path, "w") as f:
        f.write("interval_start,channel,contacts\n")
        for date, s, y in zip(df.date, df.slot, df.y):
            f.write(f"{ts(date, s):%Y-%m-%d %H:%M},voice,{int(y)}\n")


def read_history(path):
    """Take an existing trace (one series, 30-minute, weekday 07-21)."""
    h = pd.read_csv(path)
    t = pd.to_datetime(h["interval_start"])
    df = pd.DataFrame({
        "date": t.dt.date,
        "slot": ((t.dt.hour - OPEN_H) * 2 + t.dt.minute // 30).astype(int),
        "y": h["contacts"].astype(float),
    })
    df = df[(df.slot >= 0) & (df.slot < SLOTS)]
    df["m"] = np.nan
    df["g"] = np.nan
    return df.sort_values(["date", "slot"]).reset_index(drop=True)


def week_grid(monday):
    """The planned open grid of one week: Mon-Fri x 28 slots, in order."""
    return [(monday + dt.timedelta(days=i), s) for i in range(WEEKDAYS) for s in range(SLOTS)]


# ---------------------------------------------------------------- methods

def f_cxsim(hist, target_monday, workdir, cxsim):
    os.makedirs(workdir, exist_ok=True)
    trunc = os.path.join(workdir, "trunc.csv")
    write_history(hist, trunc)
    out = os.path.join(workdir, "d")
    t0 = time.time()
    # 7d from a Friday evening; longer when the history ends earlier (a
    # Friday holiday), so the forecast still covers the target Friday.
    horizon_days = max(7, (target_monday + dt.timedelta(days=4) - max(hist.date)).days)
    r = subprocess.run([cxsim, "forecast", trunc, "--horizon", f"{horizon_days}d", "--out", out, "--quiet", "--json"],
                       capture_output=True, text=True)
    el = time.time() - t0
    if r.returncode != 0:
        raise RuntimeError(f"cxsim failed ({r.returncode}): {r.stderr}")
    info = json.loads(r.stdout)
    chosen = info["series"][0]["method"]
    fc = pd.read_csv(os.path.join(out, "forecast.csv"))
    fmap = dict(zip(fc.interval_start, fc.contacts))
    vals = []
    for date, s in week_grid(target_monday):
        vals.append(fmap.get(f"{ts(date, s):%Y-%m-%d %H:%M}", np.nan))
    return np.array(vals), chosen, el


def same_weekday_days(hist_days, date, n):
    """The n most recent dates before `date` with the same weekday present in the history."""
    out = []
    d = date - dt.timedelta(days=7)
    first = min(hist_days) if hist_days else date
    while len(out) < n and d >= first:
        if d in hist_days:
            out.append(d)
        d -= dt.timedelta(days=7)
    return out


def f_baselines(hist, target_monday):
    piv = hist.pivot(index="date", columns="slot", values="y")
    days = set(piv.index)
    sn, fw = [], []
    for i in range(WEEKDAYS):
        date = target_monday + dt.timedelta(days=i)
        last = same_weekday_days(days, date, 1)
        four = same_weekday_days(days, date, 4)
        sn.append(piv.loc[last[0]].values)
        fw.append(piv.loc[four].values.mean(axis=0))
    return np.concatenate(sn), np.concatenate(fw)


def open_series_filled(hist, last_friday):
    """The open-interval series on the planned Mon-Fri 07-21 grid; a closed
    holiday (or any missing interval) is filled with the same interval of the
    most recent earlier week that has it (the first weeks: the next one)."""
    first, last = min(hist.date), last_friday
    mon0 = first - dt.timedelta(days=first.weekday())
    dates = [mon0 + dt.timedelta(days=i) for i in range((last - mon0).days + 1)
             if (mon0 + dt.timedelta(days=i)).weekday() < 5]
    idx = pd.MultiIndex.from_product([dates, range(SLOTS)], names=["date", "slot"])
    y = hist.set_index(["date", "slot"]).y.reindex(idx)
    v = y.values.copy()
    # fill by weekly lag (140 steps) forward, then backward
    for i in range(len(v)):
        if np.isnan(v[i]) and i >= PER_WEEK:
            v[i] = v[i - PER_WEEK]
    for i in range(len(v) - 1, -1, -1):
        if np.isnan(v[i]) and i + PER_WEEK < len(v):
            v[i] = v[i + PER_WEEK]
    return v


def mstl_ets(y, damped, log=False):
    """The Python user's MSTL forecast (same recipe as statsforecast's MSTL
    model with an ETS trend forecaster, written with statsmodels):
        res = MSTL(y, periods=(28, 140)).fit()   # default windows, iterate=2
        deseason = res.trend + res.resid
        ets = ExponentialSmoothing(deseason, trend="add", damped_trend=damped,
                                   seasonal=None, initialization_method="estimated").fit()
        f = ets.forecast(140) + sum over periods p of seasonal_p[n - p + (h mod p)]
    (seasonal components forecast by repeating their last cycle). With
    log=True the same on np.log(y) and np.exp of the forecast (a user's
    multiplicative variant; note MSTL(lmbda=0) is silently ignored by
    statsmodels 0.15, `elif self.lmbda:`, so the log is taken here)."""
    if log:
        y = np.log(y)
    res = MSTL(y, periods=(SLOTS, PER_WEEK)).fit()
    seas = np.asarray(res.seasonal)  # n x 2
    deseason = np.asarray(res.trend) + np.asarray(res.resid)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ets = ExponentialSmoothing(deseason, trend="add", damped_trend=damped, seasonal=None,
                                   initialization_method="estimated").fit()
    n = len(y)
    h = np.arange(PER_WEEK)
    f = np.asarray(ets.forecast(PER_WEEK))
    for j, p in enumerate((SLOTS, PER_WEEK)):
        f = f + seas[n - p + (h % p), j]
    if log:
        f = np.exp(f)
    return np.maximum(f, 0.0), ets.params


# ---------------------------------------------------------------- scoring

def poisson_mad(lam):
    """E|X - lam| for X ~ Poisson(lam): 2 e^-lam lam^(k+1) / k!, k = floor(lam)."""
    lam = np.asarray(lam, float)
    k = np.floor(lam)
    out = np.zeros_like(lam)
    pos = lam > 0
    out[pos] = 2 * np.exp(-lam[pos] + (k[pos] + 1) * np.log(lam[pos]) - np.array([math.lgamma(x + 1) for x in k[pos]]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--origins", type=int, default=6)
    ap.add_argument("--daily", type=float, default=3000.0, help="mean contacts of an average open weekday at the start")
    ap.add_argument("--trend", type=float, default=0.10, help="linear growth per year")
    ap.add_argument("--day-cv", type=float, default=0.10)
    ap.add_argument("--shape-strength", type=float, default=1.0, help="1 = default weekday shapes; >1 stronger weekday differences")
    ap.add_argument("--history", help="use this trace instead of generating one (no floors then)")
    ap.add_argument("--no-mstl", action="store_true", help="skip the statsmodels MSTL fits (quick cxsim-vs-baselines runs)")
    ap.add_argument("--cxsim", default="../../target/release/cxsim")
    ap.add_argument("--out", default="runs/out")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    if a.history:
        df = read_history(a.history)
    else:
        df = generate(a.seed, a.weeks, a.daily, a.trend, a.day_cv, a.shape_strength)
    write_history(df, os.path.join(a.out, "history.csv"))
    first = min(df.date)
    mon0 = first - dt.timedelta(days=first.weekday())
    nweeks = ((max(df.date) - mon0).days) // 7 + 1
    targets = [mon0 + dt.timedelta(weeks=nweeks - a.origins + i) for i in range(a.origins)]

    methods = ["cxsim", "mstl_ets", "mstl_ets_damped", "mstl_ets_log", "seasonal_naive", "four_week_mean"]
    if a.no_mstl:
        methods = [m for m in methods if not m.startswith("mstl")]
    recs = []
    floor_recs = []
    pooled = {m: [0.0, 0.0, 0.0] for m in methods}  # sum|e|, sum e, sum a
    fl_pool = {"floor_poisson": [0.0, 0.0], "floor_true_mean": [0.0, 0.0]}
    info = []
    for tm in targets:
        hist = df[df.date < tm - dt.timedelta(days=2)]  # up to the previous Friday
        actual = df[(df.date >= tm) & (df.date < tm + dt.timedelta(days=7))].set_index(["date", "slot"])
        grid = week_grid(tm)
        present = np.array([g in actual.index for g in grid])
        a_vals = np.array([actual.y.get(g, np.nan) for g in grid])[present]
        fc = {}
        fc["cxsim"], chosen, el = f_cxsim(hist, tm, os.path.join(a.out, f"origin-{tm}"), a.cxsim)
        y = open_series_filled(hist, tm - dt.timedelta(days=3))
        t0 = time.time()
        p1 = {}
        if not a.no_mstl:
            fc["mstl_ets"], p1 = mstl_ets(y, damped=False)
            fc["mstl_ets_damped"], _ = mstl_ets(y, damped=True)
            fc["mstl_ets_log"], _ = mstl_ets(np.maximum(y, 0.5), damped=False, log=True)
        el_m = time.time() - t0
        fc["seasonal_naive"], fc["four_week_mean"] = f_baselines(hist, tm)
        for m in methods:
            f = fc[m][present]
            if np.isnan(f).any():
                raise RuntimeError(f"{m}: missing forecast for {np.isnan(f).sum()} scored intervals at {tm}")
            e = f - a_vals
            recs.append(dict(origin=str(tm), method=m, wape=np.abs(e).sum() / a_vals.sum(),
                             bias=e.sum() / a_vals.sum(), actual=a_vals.sum(), scored=int(present.sum())))
            pooled[m][0] += np.abs(e).sum(); pooled[m][1] += e.sum(); pooled[m][2] += a_vals.sum()
        if not a.history:
            mm = np.array([actual.m.get(g, np.nan) for g in grid])[present]
            gg = np.array([actual.g.get(g, np.nan) for g in grid])[present]
            lam = mm * gg
            fp = poisson_mad(lam).sum() / lam.sum()
            ft = np.abs(mm - a_vals).sum() / a_vals.sum()
            recs.append(dict(origin=str(tm), method="floor_poisson", wape=fp, bias=0.0, actual=a_vals.sum(), scored=int(present.sum())))
            recs.append(dict(origin=str(tm), method="floor_true_mean", wape=ft, bias=(mm - a_vals).sum() / a_vals.sum(),
                             actual=a_vals.sum(), scored=int(present.sum())))
            fl_pool["floor_poisson"][0] += poisson_mad(lam).sum(); fl_pool["floor_poisson"][1] += lam.sum()
            fl_pool["floor_true_mean"][0] += np.abs(mm - a_vals).sum(); fl_pool["floor_true_mean"][1] += a_vals.sum()
        info.append((str(tm), chosen, el, el_m, float(p1.get("smoothing_level", np.nan)), float(p1.get("smoothing_trend", np.nan))))
        print(f"origin {tm}: scored {present.sum()} intervals; cxsim chose {chosen} ({el:.2f}s); "
              f"MSTL fits {el_m:.1f}s; ETS alpha={info[-1][4]:.3f} beta={info[-1][5]:.4f}", file=sys.stderr)

    r = pd.DataFrame(recs)
    agg = r.groupby("method", sort=False).agg(wape_mean=("wape", "mean"), bias_mean=("bias", "mean"),
                                             wape_min=("wape", "min"), wape_max=("wape", "max")).reset_index()
    agg["wape_pooled"] = [pooled[m][0] / pooled[m][2] if m in pooled else fl_pool[m][0] / fl_pool[m][1] for m in agg.method]
    wins = {m: int(sum(r[(r.method == "cxsim")].wape.values < r[r.method == m].wape.values)) for m in methods if m != "cxsim"}
    r_out = pd.concat([r, agg.rename(columns={"wape_mean": "wape", "bias_mean": "bias"}).assign(origin="mean")[["origin", "method", "wape", "bias"]]])
    r_out.insert(0, "seed", a.seed)
    r_out.to_csv(os.path.join(a.out, "results.csv"), index=False, float_format="%.5f")

    print(f"\nseed {a.seed}, weeks {nweeks}, origins {a.origins}, daily {a.daily:g}, trend {a.trend:g}/yr, "
          f"day_cv {a.day_cv:g}, shape_strength {a.shape_strength:g}")
    print(f"{'method':<18}{'WAPE mean':>10}{'WAPE pooled':>12}{'bias mean':>10}{'min':>8}{'max':>8}  per-origin WAPE")
    for _, row in agg.iterrows():
        per = " ".join(f"{x*100:5.1f}" for x in r[r.method == row.method].wape)
        print(f"{row.method:<18}{row.wape_mean*100:9.2f}%{row.wape_pooled*100:11.2f}%{row.bias_mean*100:+9.2f}%"
              f"{row.wape_min*100:7.1f}%{row.wape_max*100:7.1f}%  {per}")
    print("origins where cxsim has the lower WAPE: " + ", ".join(f"vs {k} {v}/{a.origins}" for k, v in wins.items()))
    print("cxsim chosen method per origin: " + ", ".join(c for _, c, *_ in info))
    print(f"versions: python {sys.version.split()[0]}, statsmodels {statsmodels.__version__}, pandas {pd.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main()
