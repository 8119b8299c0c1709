#!/bin/sh
# The real-history runs of REPORT.md ("Real bank history"). Needs the data
# outside the repository (see prepare_bank_calls.py for where it comes from):
#   BANK=/work/data/bank_calls/bank_calls_30min.csv ./run_bank.sh [CXSIM]
set -e
cd "$(dirname "$0")"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
BANK=${BANK:-/work/data/bank_calls/bank_calls_30min.csv}
CXSIM=${1:-../../target/release/cxsim}
nice venv/bin/python mstl_compare.py --history "$BANK" --origins 20 --cxsim "$CXSIM" --out runs/bank > runs/bank.txt
nice venv-sf/bin/python sf_mstl.py runs/bank --origins 20 2>/dev/null
venv/bin/python bank_summary.py runs/bank > runs/bank-summary.md
