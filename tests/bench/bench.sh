#!/bin/sh
# bench.sh — cpdplan deploy, inset and onboard on generated scenarios of growing size, and CBC
# on the same models:
#   sh tests/bench/bench.sh ./cpdplan            (what `make bench` runs)
# For each size: our wall time, peak memory, objective, bound and proven gap (from
# summary.json), and, when `cbc` is installed, CBC's time and objective on the model exported
# with --export-model, with the ratio of the two times. The jobs, sizes and time limit can be
# set:
#   BENCH_JOBS="inset" BENCH_SIZES="200 500" BENCH_INSET_SIZES="150x12x3 2000x40x4" \
#   BENCH_ONBOARD_SIZES="40x1 240x6" BENCH_TIME_LIMIT=30 sh tests/bench/bench.sh ./cpdplan
# BENCH_SIZES are deploy's staff counts; BENCH_INSET_SIZES are inset days as
# staff x workshops x slots (both with schools = staff / 50); BENCH_ONBOARD_SIZES are
# onboarding programmes as staff x joining schools. All use seed 1. CBC is stopped after twice
# the time limit and 30 s, and is not run on onboard beyond BENCH_ONBOARD_CBC_MAX staff
# (default 240), whose exact model is too large to export.

BIN=${1:?usage: sh tests/bench/bench.sh ./cpdplan}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
JOBS=${BENCH_JOBS:-deploy inset onboard}
SIZES=${BENCH_SIZES:-200 500 1000 2000}
INSET_SIZES=${BENCH_INSET_SIZES:-150x12x3 500x20x4 1000x30x4 2000x40x4}
ONBOARD_SIZES=${BENCH_ONBOARD_SIZES:-40x1 120x3 240x6 500x10 1000x20 2000x40}
LIMIT=${BENCH_TIME_LIMIT:-60}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cpd-bench.XXXXXX") || exit 3
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' true >/dev/null 2>&1; then
    TIME=/usr/bin/time
else
    echo "note: /usr/bin/time (GNU) not found, so no peak memory; install it: apt-get install time" >&2
fi
CBC=$(command -v cbc 2>/dev/null)
[ -n "$CBC" ] || echo "note: cbc not found, so no CBC column; install it: apt-get install coinor-cbc" >&2
KILL_AFTER=$((LIMIT * 2 + 30))
TIMEOUT=
command -v timeout >/dev/null 2>&1 && TIMEOUT="timeout -k 10 $KILL_AFTER"
# Onboard's exact model grows with tasks x starts x candidates: at 2,000 staff its export is
# about 1.5 GB of MPS and takes 5 GB to build, so beyond this many staff CBC is not run on it.
ONBOARD_CBC_MAX=${BENCH_ONBOARD_CBC_MAX:-240}

# json_field FILE KEY: a value of a pretty-printed JSON file (first match), quotes removed.
json_field() {
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}[[:space:]]*$/\1/p" \
        "$1" | head -n 1
}

now() { date +%s.%N 2>/dev/null || date +%s; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# timed OUTFILE CMD...: runs CMD, its stdout+stderr in OUTFILE; sets secs and peak_mb.
timed() {
    out=$1
    shift
    if [ -n "$TIME" ]; then
        $TIME -f 'BENCH-TIME %e %M' -o "$TMP/time.txt" "$@" >"$out" 2>&1
        status=$?
        secs=$(awk '/^BENCH-TIME/ { printf "%.2f", $2 }' "$TMP/time.txt")
        peak_mb=$(awk '/^BENCH-TIME/ { printf "%.0f", $3 / 1024 }' "$TMP/time.txt")
    else
        t0=$(now)
        "$@" >"$out" 2>&1
        status=$?
        secs=$(elapsed "$t0" "$(now)")
        peak_mb=-
    fi
}

# cbc_run MODEL SENSE: CBC on an exported model; sets cbc_secs and cbc_obj ("error" when CBC
# could not read the model or found no plan; a trailing * when CBC stopped before proving it
# optimal).
cbc_run() {
    cbc_secs=- cbc_obj=-
    [ -n "$CBC" ] || return
    sense=
    [ "$2" = max ] && sense=-max
    # CBC does not always honour -sec (on six joining schools it ran 22 minutes): timeout ends it
    timed "$TMP/cbc.txt" $TIMEOUT "$CBC" "$1" $sense -sec "$LIMIT" -solve -quit
    cbc_secs=$secs
    if [ -n "$TIMEOUT" ] && { [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; }; then
        cbc_obj=killed cbc_killed=1
        return
    fi
    cbc_obj=$(sed -n 's/^Objective value:[[:space:]]*\([-+0-9.eE]*\).*/\1/p' "$TMP/cbc.txt" | tail -n 1)
    if [ -z "$cbc_obj" ] || grep -q -E 'errors on input|not valid' "$TMP/cbc.txt"; then
        cbc_obj=error
    else
        cbc_obj=$(awk -v v="$cbc_obj" 'BEGIN { printf "%.10g", v }')
        grep -q '^Result - Optimal solution found' "$TMP/cbc.txt" || { cbc_obj="$cbc_obj*"; cbc_stopped=1; }
    fi
}

# cbc_best JOB DIR: CBC on DIR/model.mps, as --export-model wrote it (a maximisation is written
# as the minimisation of its negation, which the file's first line says: the sign is turned
# back); when CBC cannot read that, on the same model exported as .lp (marked "lp" in the table).
cbc_best() {
    cbc_run "$2/model.mps" min
    if [ "$cbc_obj" != error ] && [ "$cbc_obj" != - ] &&
        grep -q 'minimises the negated objective' "$2/model.mps" 2>/dev/null; then
        star=${cbc_obj#"${cbc_obj%\*}"}
        cbc_obj=$(awk -v v="${cbc_obj%\*}" 'BEGIN { printf "%.10g", -v }')$star
    fi
    [ "$cbc_obj" = error ] || return
    "$BIN" "$1" "$2" -o "$2/out-lp" --quiet --time-limit 0.01 --export-model "$2/model.lp" \
        >/dev/null 2>&1
    cbc_run "$2/model.lp" min
    [ "$cbc_obj" = error ] || { cbc_obj="$cbc_obj(lp)"; lp_used=1; }
}

# ratio OURS: CBC's seconds over ours, when CBC gave a plan.
ratio() {
    case $cbc_obj in -|error|killed|too-big) echo - ;; *) awk -v a="$cbc_secs" -v b="$1" \
        'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }' ;; esac
}

row() {
    printf '%6s %7s %7s %9s %8s %7s %11s %11s %9s %8s %15s %6s\n' "$@"
}

# bench_row JOB DIR EXPORT C1 C2 C3: the timed run of JOB on DIR, CBC on its model, and the
# table row that starts with the columns C1 C2 C3 (C3 "tasks": summary.json's task count).
# EXPORT "timed": the timed run writes the model; "apart": an untimed run does, for jobs whose
# export would cost more than the solve (the same model: their phases end on step counts).
bench_row() {
    job=$1 dir=$2 export=$3
    shift 3
    if [ "$export" = timed ]; then
        timed "$TMP/run.txt" "$BIN" "$job" "$dir" -o "$dir/out" --quiet --time-limit "$LIMIT" \
            --export-model "$dir/model.mps"
    else
        timed "$TMP/run.txt" "$BIN" "$job" "$dir" -o "$dir/out" --quiet --time-limit "$LIMIT"
    fi
    if [ "$status" -ne 0 ]; then
        row "$1" "$2" "$3" "exit$status" "$secs" "$peak_mb" - - - - - -
        sed 's/^/    /' "$TMP/run.txt" | head -n 5
        return
    fi
    sum=$dir/out/summary.json
    ours=$secs
    ours_mb=$peak_mb
    cbc_secs=- cbc_obj=-
    if [ -n "$CBC" ] && [ "$job" = onboard ] && [ "$1" -gt "$ONBOARD_CBC_MAX" ]; then
        cbc_obj=too-big cbc_big=1
    elif [ -n "$CBC" ]; then
        [ "$export" = timed ] || "$BIN" "$job" "$dir" -o "$dir/out-export" --quiet \
            --time-limit 0.01 --export-model "$dir/model.mps" >/dev/null 2>&1
        cbc_best "$job" "$dir"
    fi
    c3=$3
    [ "$c3" = tasks ] && c3=$(json_field "$sum" tasks)
    row "$1" "$2" "$c3" "$(json_field "$sum" status)" "$ours" "$ours_mb" \
        "$(json_field "$sum" objective)" "$(json_field "$sum" bound)" "$(json_field "$sum" gap)" \
        "$cbc_secs" "$cbc_obj" "$(ratio "$ours")"
}

bench_deploy() {
    echo "cpdplan deploy on generated trusts (seed 1, schools = staff/50, time limit ${LIMIT}s)"
    row staff schools coaches status seconds peak_MB objective bound gap cbc_s cbc_objective ratio
    for n in $SIZES; do
        k=$((n / 50))
        [ "$k" -ge 1 ] || k=1
        dir=$TMP/trust$n
        "$BIN" generate deploy "$dir" --staff "$n" --schools "$k" --seed 1 >/dev/null || exit 3
        bench_row deploy "$dir" timed "$n" "$k" "$(($(wc -l <"$dir/coaches.csv") - 1))"
    done
}

# inset: the model is exported apart (exporting a 2,000-staff model takes longer than solving
# it; the fairness level is found by step counts, not by time, so it is the model solved).
bench_inset() {
    echo "cpdplan inset on generated training days (seed 1, schools = staff/50, time limit ${LIMIT}s)"
    row staff works slots status seconds peak_MB objective bound gap cbc_s cbc_objective ratio
    for spec in $INSET_SIZES; do
        n=${spec%%x*} rest=${spec#*x}
        w=${rest%%x*} s=${rest#*x}
        k=$((n / 50))
        [ "$k" -ge 1 ] || k=1
        dir=$TMP/day$spec
        "$BIN" generate inset "$dir" --staff "$n" --schools "$k" --workshops "$w" --slots "$s" \
            --seed 1 >/dev/null || exit 3
        bench_row inset "$dir" apart "$n" "$w" "$s"
    done
}

# onboard: the model is exported apart too (beyond about 30,000 variables the exact model is
# built only to be exported).
bench_onboard() {
    echo "cpdplan onboard on generated joining schools (seed 1, time limit ${LIMIT}s)"
    row staff schools tasks status seconds peak_MB objective bound gap cbc_s cbc_objective ratio
    for spec in $ONBOARD_SIZES; do
        n=${spec%%x*} k=${spec#*x}
        dir=$TMP/onboard$spec
        "$BIN" generate onboard "$dir" --staff "$n" --schools "$k" --seed 1 >/dev/null || exit 3
        bench_row onboard "$dir" apart "$n" "$k" tasks
    done
}

lp_used= cbc_stopped= cbc_killed= cbc_big= first=1
for job in $JOBS; do
    [ -n "$first" ] || echo
    first=
    case $job in
        deploy) bench_deploy ;;
        inset) bench_inset ;;
        onboard) bench_onboard ;;
        *) echo "bench.sh: unknown job '$job' (BENCH_JOBS: deploy, inset, onboard)" >&2; exit 2 ;;
    esac
done
echo
echo "ratio = CBC seconds / cpdplan seconds (above 1: cpdplan is faster). cpdplan's seconds"
echo "include reading the files, building the model, the heuristic, GLPK and writing the plan."
[ -n "$cbc_stopped" ] && echo "*: CBC stopped at the time limit (${LIMIT}s) before proving its plan optimal."
[ -n "$cbc_killed" ] && echo "killed: CBC ignored its time limit and was stopped after ${KILL_AFTER}s."
[ -n "$cbc_big" ] && echo "too-big: onboard beyond $ONBOARD_CBC_MAX staff; its exact model is too large to export for CBC (BENCH_ONBOARD_CBC_MAX)."
[ -n "$lp_used" ] && echo "(lp): CBC could not read the .mps export, so it solved the same model exported as .lp."
exit 0
