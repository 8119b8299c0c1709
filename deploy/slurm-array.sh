#!/usr/bin/env bash
# One cxsim run (or compare, or plan --sweep) split over a Slurm job array:
# task i runs shard i+1 of N and writes $OUT/shard-<i+1>-of-N.json
# (compare-shard-… or sweep-shard-…); a dependent job merges them.
#
# Submit (OUT must be on a filesystem every node and the merge job can see):
#
#   jid=$(sbatch --parsable --array=0-15 \
#         --export=ALL,SCENARIO=$PWD/scenarios/year_1000_seats.toml,OUT=$PWD/results/year,EXTRA_ARGS="--replications 32" \
#         deploy/slurm-array.sh)
#   sbatch --dependency=afterok:$jid --wrap "cxsim merge $PWD/results/year --out $PWD/results/year/merged"
#
# A comparison or a sweep: COMMAND=compare, or COMMAND=plan with the sweep in
# EXTRA_ARGS; the merge command is the same (it recognises the shard kind):
#
#   sbatch --array=0-7 --export=ALL,COMMAND=compare,SCENARIO=$PWD/scenarios/staffing_variants.toml,OUT=$PWD/results/cmp,EXTRA_ARGS="--replications 32" deploy/slurm-array.sh
#   sbatch --array=0-3 --export=ALL,COMMAND=plan,SCENARIO=$PWD/scenarios/metro_tier2_week.toml,OUT=$PWD/results/sweep,EXTRA_ARGS="--sweep team.voice.proficiency=0.9:1.2:0.05" deploy/slurm-array.sh
#
# N is the array size (--array=0-(N-1); it must start at 0 and have no gaps).
# EXTRA_ARGS (e.g. --seed, --replications, --variants, --sweep) must be the
# same for every task: `cxsim merge` refuses shards of different runs.
# The unit of work is a replication (run), a (variant, replication) pair
# (compare) or a sweep value (plan): each task takes about 1/N of them and
# runs them on --cpus-per-task threads.
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
COMMAND=${COMMAND:-run}
case "$COMMAND" in
run | compare | plan) ;;
*)
    echo "COMMAND must be run, compare or plan (with --sweep in EXTRA_ARGS), got $COMMAND" >&2
    exit 2
    ;;
esac

if [ "${SLURM_ARRAY_TASK_MIN:-0}" -ne 0 ] ||
    [ "$((SLURM_ARRAY_TASK_MAX + 1))" -ne "$SLURM_ARRAY_TASK_COUNT" ]; then
    echo "the array must be 0-(N-1) without gaps, got $SLURM_ARRAY_TASK_MIN-$SLURM_ARRAY_TASK_MAX" >&2
    exit 2
fi
N=$SLURM_ARRAY_TASK_COUNT
K=$((SLURM_ARRAY_TASK_ID + 1))

# shellcheck disable=SC2086  # EXTRA_ARGS is a list of flags
exec "$CXSIM" "$COMMAND" "$SCENARIO" --shard "$K/$N" \
    --threads "${SLURM_CPUS_PER_TASK:-1}" --out "$OUT" --quiet ${EXTRA_ARGS:-}
