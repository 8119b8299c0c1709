#!/usr/bin/env python3
"""Turns the US bank call-centre history (Weinberg, Brown & Stroud 2007) into
a cxsim trace at 30 minutes.

Source: `bank_calls` of the R package fpp3 (Hyndman & Athanasopoulos), as
Rdatasets ships it: `csv/fpp3/bank_calls.csv` in the GitHub repository
vincentarelbundock/Rdatasets (`rownames,DateTime,Calls`; 27,716 rows, 164
weekdays from 2003-03-03 to 2003-10-24, calls handled per 5 minutes from
07:00 to 21:00; sha256 6e430180c3fa8a28...). The data are not kept in this
repository: Rdatasets says it could not find a definitive licence for them.

Aggregation: the twelve 5-minute counts 07:00..07:55 make the 07:00 row, and
so on up to 20:30..20:55 (28 rows a day, 07:00-21:00 as issue 18 asks). The
single 21:00 count is left out (it would be a 29th, 5-minute-long interval).
Days absent in the source (2003-04-04, 04-07, 05-26, 07-04, 09-01, 10-14)
stay absent, as closed days or gaps would in an ACD export.

    python3 prepare_bank_calls.py /work/data/bank_calls/bank_calls.csv \
        /work/data/bank_calls/bank_calls_30min.csv
"""
import csv
import sys
from collections import OrderedDict


def main():
    src, dst = sys.argv[1], sys.argv[2]
    agg = OrderedDict()
    with open(src, newline="") as f:
        for row in csv.DictReader(f):
            t = row["DateTime"]  # 2003-03-03T07:05:00Z
            date, hh, mm = t[:10], int(t[11:13]), int(t[14:16])
            if hh >= 21:
                continue
            key = f"{date} {hh:02d}:{(mm // 30) * 30:02d}"
            agg[key] = agg.get(key, 0) + int(row["Calls"])
    with open(dst, "w") as f:
        f.write("interval_start,channel,contacts\n")
        for key in sorted(agg):
            f.write(f"{key},voice,{agg[key]}\n")
    print(f"{dst}: {len(agg)} rows, {len({k[:10] for k in agg})} days", file=sys.stderr)


if __name__ == "__main__":
    main()
