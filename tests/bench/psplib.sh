#!/bin/sh
# psplib.sh — cpdplan onboard on PSPLIB's single-mode RCPSP set j30 (480 instances with known
# optimal makespans), each converted by psplib2csv into an onboard scenario with the makespan
# objective:
#   PSPLIB2CSV=build/tools/psplib2csv sh tests/bench/psplib.sh ./cpdplan   (`make bench-psplib`)
# Prints the totals: how many plans reached the known optimum, how many were proven optimal
# (bound = objective), the mean gap of the makespan to the optimum, and the total time.
# Settings:
#   BENCH_PSPLIB_DIR    the set's folder (default /work/shared/benchmarks/psplib/j30; the optima
#                       are read from ../j30_optimum.csv beside it, or BENCH_PSPLIB_OPT)
#   BENCH_PSPLIB_TIME   seconds per instance (default 10)
#   BENCH_PSPLIB_LIMIT  run only the first N instances (in file-name order)
#   BENCH_PSPLIB_LIST   a file of instance names (j301_1.sm ...), one per line, to run instead
#   BENCH_PSPLIB_VERBOSE=1  one line per instance
#   BENCH_PSPLIB_CBC=1  also CBC (when installed) on each instance's exported model (the model
#                       our run solves: pooled, its starts capped by our first plan) with the
#                       same time limit, and its count of proven optima
# Exit status: 0, or 1 when some instance failed to run.

BIN=${1:?usage: sh tests/bench/psplib.sh ./cpdplan}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
CONV=${PSPLIB2CSV:-build/tools/psplib2csv}
case $CONV in /*) ;; *) CONV=$(pwd)/$CONV ;; esac
SET=${BENCH_PSPLIB_DIR:-/work/shared/benchmarks/psplib/j30}
OPT=${BENCH_PSPLIB_OPT:-$(dirname "$SET")/$(basename "$SET")_optimum.csv}
LIMIT=${BENCH_PSPLIB_TIME:-10}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cpd-psplib.XXXXXX") || exit 3
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

[ -x "$CONV" ] || { echo "psplib.sh: $CONV not built (make $CONV)" >&2; exit 3; }
[ -f "$OPT" ] || { echo "psplib.sh: no optima file $OPT" >&2; exit 3; }
CBC=
if [ "${BENCH_PSPLIB_CBC:-0}" = 1 ]; then
    CBC=$(command -v cbc 2>/dev/null)
    [ -n "$CBC" ] || echo "note: cbc not found, so no CBC column; install it: apt-get install coinor-cbc" >&2
fi

json_field() {
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}[[:space:]]*$/\1/p" \
        "$1" | head -n 1
}
now() { date +%s.%N 2>/dev/null || date +%s; }

if [ -n "${BENCH_PSPLIB_LIST:-}" ]; then
    cat "$BENCH_PSPLIB_LIST"
else
    ls "$SET" | grep '\.sm$' | sort -V
fi >"$TMP/list"
[ -n "${BENCH_PSPLIB_LIMIT:-}" ] && head -n "$BENCH_PSPLIB_LIMIT" "$TMP/list" >"$TMP/l2" && mv "$TMP/l2" "$TMP/list"

n=0 reached=0 proven=0 failed=0 gapsum=0 cbc_proven=0 cbc_reached=0
t0=$(now)
[ "${BENCH_PSPLIB_VERBOSE:-0}" = 1 ] &&
    printf '%-12s %7s %9s %6s %8s %9s %8s\n' instance optimum objective bound status seconds cbc
while read -r name; do
    [ -n "$name" ] || continue
    opt=$(awk -F, -v n="$name" '$1 == n { print $2 }' "$OPT")
    dir=$TMP/inst
    rm -rf "$dir"
    n=$((n + 1))
    export_opt=
    [ -n "$CBC" ] && export_opt="--export-model $dir/model.mps"
    if ! "$CONV" "$SET/$name" "$dir" >"$TMP/conv.txt" 2>&1 ||
        ! "$BIN" onboard "$dir" -o "$dir/out" --quiet --time-limit "$LIMIT" $export_opt \
            >"$TMP/run.txt" 2>&1; then
        failed=$((failed + 1))
        echo "$name: failed" >&2
        sed 's/^/    /' "$TMP/conv.txt" "$TMP/run.txt" | head -n 5 >&2
        continue
    fi
    sum=$dir/out/summary.json
    obj=$(json_field "$sum" objective) bound=$(json_field "$sum" bound)
    status=$(json_field "$sum" status) secs=$(json_field "$sum" seconds)
    [ "$obj" = "$opt" ] && reached=$((reached + 1))
    [ "$status" = optimal ] && proven=$((proven + 1))
    gapsum=$(awk -v s="$gapsum" -v o="$obj" -v b="$opt" 'BEGIN { printf "%.6f", s + (o - b) / b }')
    cbc=-
    if [ -n "$CBC" ]; then
        "$CBC" "$dir/model.mps" -sec "$LIMIT" -solve -quit >"$TMP/cbc.txt" 2>&1
        cbc=$(sed -n 's/^Objective value:[[:space:]]*\([-+0-9.eE]*\).*/\1/p' "$TMP/cbc.txt" | tail -n 1)
        cbc=$(awk -v v="${cbc:-nan}" 'BEGIN { if (v == "nan") print "none"; else printf "%.10g", v }')
        if grep -q '^Result - Optimal solution found' "$TMP/cbc.txt"; then
            cbc_proven=$((cbc_proven + 1))
        else
            cbc="$cbc*"
        fi
        [ "${cbc%\*}" = "$opt" ] && cbc_reached=$((cbc_reached + 1))
    fi
    [ "${BENCH_PSPLIB_VERBOSE:-0}" = 1 ] &&
        printf '%-12s %7s %9s %6s %8s %9s %8s\n' "$name" "$opt" "$obj" "$bound" "$status" "$secs" "$cbc"
done <"$TMP/list"
total=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
ran=$((n - failed))
echo "PSPLIB $(basename "$SET"): $n instances, time limit ${LIMIT}s each"
echo "  reached the known optimum: $reached / $n"
echo "  proven optimal:            $proven / $n"
awk -v s="$gapsum" -v k="$ran" 'BEGIN { printf "  mean gap to the optimum:   %.2f%%\n", k ? 100 * s / k : 0 }'
echo "  total time:                ${total}s"
[ -n "$CBC" ] && echo "  CBC on the exported model: $cbc_reached reached, $cbc_proven proven optimal"
[ "$failed" -eq 0 ] || { echo "  failed to run:             $failed"; exit 1; }
exit 0
