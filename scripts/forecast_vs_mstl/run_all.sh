#!/bin/sh
# Every run reported in REPORT.md (single-threaded, niced).
set -e
cd "$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
PY="nice venv/bin/python mstl_compare.py"
for s in 1 2 3; do $PY --seed $s --out runs/base-seed$s > runs/base-seed$s.txt; done
for s in 1 2; do $PY --seed $s --trend 0 --out runs/notrend-seed$s > runs/notrend-seed$s.txt; done
for s in 1 2; do $PY --seed $s --shape-strength 2 --out runs/strongshape-seed$s > runs/strongshape-seed$s.txt; done
for s in 1 2; do $PY --seed $s --daily 600 --out runs/lowvol-seed$s > runs/lowvol-seed$s.txt; done
