#!/bin/sh
# gap.sh — OR-Library generalized assignment (gap1..gap12 maximise value, gapa..gapd minimise
# cost) solved by the deploy engine's core, one instance at a time:
#   sh tests/bench/gap.sh build/tools/gap_bench          (what `make bench-gap` runs)
# Prints each instance as it finishes, then per file: instances, how many reached the best
# known value, how many were proven optimal, the mean gap to the best known (an instance
# without a complete assignment counts 100%) and the total time. Settings:
#   BENCH_GAP_LIMIT=60            seconds per instance
#   BENCH_GAP_SETS="gap1 gapa"    which files (default: all sixteen)
#   BENCH_GAP_DIR=...             where the files and gap_optimal_values.csv are

BIN=${1:?usage: sh tests/bench/gap.sh build/tools/gap_bench}
DIR=${BENCH_GAP_DIR:-../shared/benchmarks/orlib-gap}
[ -d "$DIR" ] || DIR=/work/shared/benchmarks/orlib-gap
LIMIT=${BENCH_GAP_LIMIT:-60}
SETS=${BENCH_GAP_SETS:-gap1 gap2 gap3 gap4 gap5 gap6 gap7 gap8 gap9 gap10 gap11 gap12 gapa gapb gapc gapd}
CSV=$DIR/gap_optimal_values.csv
[ -f "$CSV" ] || { echo "gap.sh: no $CSV (set BENCH_GAP_DIR)" >&2; exit 2; }
TMP=$(mktemp "${TMPDIR:-/tmp}/cpd-gap.XXXXXX") || exit 3
trap 'rm -f "$TMP" "$TMP.sum"' EXIT
trap 'exit 130' INT TERM

echo "OR-Library GAP, $LIMIT s per instance, $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -n)"
for set in $SETS; do
    file=$DIR/$set.txt
    [ -f "$file" ] || { echo "gap.sh: no $file" >&2; exit 2; }
    sense=$(awk -F, -v f="$set.txt" '$1 == f { print $6; exit }' "$CSV")
    best=$(awk -F, -v f="$set.txt" '$1 == f { printf "%s ", $7 }' "$CSV")
    echo "== $set ($sense)"
    # shellcheck disable=SC2086 # best is a list of numbers
    "$BIN" "$file" "$sense" "$LIMIT" $best | tee "$TMP" | grep -v "^SET"
    grep -q "^SET" "$TMP" || { echo "gap.sh: $set did not finish" >&2; exit 3; }
    awk -v s="$set" '$1 == "SET" { last = $0 } END { print s, last }' "$TMP" >>"$TMP.sum"
done
echo
printf '%-6s %9s %8s %7s %9s %9s\n' set instances reached proven "mean gap" "time (s)"
awk '{ printf "%-6s %9d %8d %7d %8.3f%% %9.1f\n", $1, $3, $4, $5, $6, $7;
       n += $3; r += $4; p += $5; g += $6 * $3; t += $7 }
     END { if (n) printf "%-6s %9d %8d %7d %8.3f%% %9.1f\n", "all", n, r, p, g / n, t }' "$TMP.sum"
rm -f "$TMP.sum"
