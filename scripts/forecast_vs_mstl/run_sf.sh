#!/bin/sh
# statsforecast MSTL cross-check on every run of run_all.sh (separate venv: venv-sf).
cd "$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
for r in base-seed1 base-seed2 base-seed3 notrend-seed1 notrend-seed2 strongshape-seed1 strongshape-seed2 lowvol-seed1 lowvol-seed2; do
  nice venv-sf/bin/python sf_mstl.py runs/$r 2>/dev/null
done
