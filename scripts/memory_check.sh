#!/usr/bin/env bash
# Peak memory of a one-year run against a one-week run of the same centre.
# Target (docs/PERFORMANCE.md): max RSS(year) <= 1.2 x max RSS(week).
#
# Usage: scripts/memory_check.sh [SCENARIO]   (default scenarios/year_1000_seats.toml)
# Env:   CXSIM=path/to/cxsim (default: target/release/cxsim, built if missing)
#        LIMIT=1.2 (the allowed ratio)
# Exit:  0 within the limit, 1 over it, 2 setup problem.
#
# The week variant is the same file with `horizon = "365d"` replaced by "7d"
# (cxsim has no --horizon flag). Both are measured twice: `cxsim run` (engine
# plus report rendering and writing, the target) and `cxsim bench` (engine
# only, no files), to show where memory goes.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIO=${1:-scenarios/year_1000_seats.toml}
LIMIT=${LIMIT:-1.2}
CXSIM=${CXSIM:-${CARGO_TARGET_DIR:-target}/release/cxsim}

if [ ! -x /usr/bin/time ]; then
    echo "installing GNU time (/usr/bin/time) ..." >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y time >/dev/null || { echo "cannot install GNU time" >&2; exit 2; }
fi
if [ ! -x "$CXSIM" ]; then
    cargo build --release --quiet
fi
grep -q '^horizon = "365d"' "$SCENARIO" || {
    echo "$SCENARIO: expected a line 'horizon = \"365d\"'" >&2
    exit 2
}

TMP=$(mktemp -d)
# Beside the original, so that trace files resolve against the same folder.
WEEK="$(dirname "$SCENARIO")/.memory_check_week.$$.toml"
trap 'rm -rf "$TMP" "$WEEK"' EXIT
sed 's/^horizon = "365d"/horizon = "7d"/' "$SCENARIO" > "$WEEK"

# measure NAME ARGS...: runs ARGS under GNU time; sets RSS (KiB) and WALL.
measure() {
    local log="$TMP/$1.time"
    shift
    /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; exit 2; }
    RSS=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
}

measure year-run "$CXSIM" run "$SCENARIO" -q --out "$TMP/year"
year_run=$RSS year_run_wall=$WALL
measure week-run "$CXSIM" run "$WEEK" -q --out "$TMP/week"
week_run=$RSS week_run_wall=$WALL
measure year-bench "$CXSIM" bench "$SCENARIO"
year_eng=$RSS
measure week-bench "$CXSIM" bench "$WEEK"
week_eng=$RSS

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
run_ratio=$(ratio "$year_run" "$week_run")
eng_ratio=$(ratio "$year_eng" "$week_eng")

printf '%-34s %12s %12s %7s\n' "max RSS (KiB)" "year" "week" "ratio"
printf '%-34s %12s %12s %7s\n' "cxsim run (target)" "$year_run" "$week_run" "$run_ratio"
printf '%-34s %12s %12s %7s\n' "cxsim bench (engine only)" "$year_eng" "$week_eng" "$eng_ratio"
echo "wall time of cxsim run: year $year_run_wall, week $week_run_wall"

if awk -v r="$run_ratio" -v l="$LIMIT" 'BEGIN { exit !(r <= l) }'; then
    echo "PASS: year/week peak memory $run_ratio <= $LIMIT"
else
    echo "FAIL: year/week peak memory $run_ratio > $LIMIT (see docs/PERFORMANCE.md, 'Memory')"
    exit 1
fi
