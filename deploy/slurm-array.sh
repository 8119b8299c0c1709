#!/usr/bin/env bash
# One cxsim run split over a Slurm job array: task i runs shard i+1 of N and
# writes $OUT/shard-<i+1>-of-N.json; a dependent job merges them.
#
# Submit (OUT must be on a filesystem every node and the merge job can see):
#
#   jid=$(sbatch --parsable --array=0-15 \
#         --export=ALL,SCENARIO=$PWD/scenarios/year_1000_seats.toml,OUT=$PWD/results/year,EXTRA_ARGS="--replications 32" \
#         deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jid --wrap "cxsim merge $PWD/results/year --out $PWD/results/year/merged"
#
# N is the array size (--array=0-(N-1); it must start at 0 and have no gaps).
# EXTRA_ARGS (e.g. --seed, --replications) must be the same for every task:
# `cxsim merge` refuses shards whose scenario, seed or replications differ.
# Replications are the unit of work: with R replications and N shards each
# task runs about R/N of them on --cpus-per-task threads.
#
#SBATCH --job-name=cxsim-shard
#SBATCH --array=0-15
#SBATCH --cpus-per-task=2
#SBATCH --mem=1G
#SBATCH --time=02:00:00
#SBATCH --output=cxsim-%A_%a.log
set -euo pipefail

: "${SCENARIO:?set SCENARIO=/path/to/scenario.toml (via --export)}"
: "${OUT:?set OUT=/shared/results/folder (via --export)}"
CXSIM=${CXSIM:-cxsim}

if [ "${SLURM_ARRAY_TASK_MIN:-0}" -ne 0 ] ||
    [ "$((SLURM_ARRAY_TASK_MAX + 1))" -ne "$SLURM_ARRAY_TASK_COUNT" ]; then
    echo "the array must be 0-(N-1) without gaps, got $SLURM_ARRAY_TASK_MIN-$SLURM_ARRAY_TASK_MAX" >&2
    exit 2
fi
N=$SLURM_ARRAY_TASK_COUNT
K=$((SLURM_ARRAY_TASK_ID + 1))

# shellcheck disable=SC2086  # EXTRA_ARGS is a list of flags
exec "$CXSIM" run "$SCENARIO" --shard "$K/$N" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$OUT" --quiet ${EXTRA_ARGS:-}
