#!/bin/sh
# run.sh — end-to-end tests of the cpdplan binary: sh tests/e2e/run.sh ./cpdplan
# Runs the binary on the bundled scenario, generated ones and the golden bad-input cases in
# tests/cases/, checks every output and every exit status, and ends with "N passed, M failed".
# CPD_SANITIZED=1 (an ASan build): smaller generated trusts, no 1000-staff runs.

BIN=${1:?usage: sh tests/e2e/run.sh ./cpdplan}
case $BIN in /*) ;; *) BIN=$(pwd)/$BIN ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
TRUST=$ROOT/scenarios/trust
CASES=$ROOT/tests/cases
CSVCOL=$HERE/csvcol.awk
# the calendar checker built by make (libical); without it the .ics files are checked by shape
ICS_CHECK=${ICS_CHECK:-}
case $ICS_CHECK in /* | "") ;; *) ICS_CHECK=$(pwd)/$ICS_CHECK ;; esac
SAN=${CPD_SANITIZED:-0}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cpd-e2e.XXXXXX") || exit 3
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
    echo "run.sh: '$BIN' is not an executable" >&2
    exit 2
fi

passed=0
failed=0

# ---- helpers ----

pass() { passed=$((passed + 1)); }
fail() {
    failed=$((failed + 1))
    echo "FAIL: $*"
}

# run ARGS...: runs the binary, stdout in $TMP/out.txt, stderr in $TMP/err.txt, status in $rc.
run() {
    "$BIN" "$@" >"$TMP/out.txt" 2>"$TMP/err.txt"
    rc=$?
}

# expect_rc WHAT WANT: the last run's status.
expect_rc() {
    if [ "$rc" = "$2" ]; then
        pass
    else
        fail "$1: exit status $rc, expected $2; stderr: $(head -c 600 "$TMP/err.txt")"
    fi
}

# expect_in FILE WHAT TEXT: FILE holds TEXT (a fixed string).
expect_in() {
    if grep -F -q -- "$3" "$1"; then
        pass
    else
        fail "$2: '$3' not found in $(basename "$1"): $(head -c 600 "$1")"
    fi
}

# json_field FILE KEY: the value of "KEY" in a pretty-printed JSON file (first match).
json_field() {
    sed -n "s/^[[:space:]]*\"$2\":[[:space:]]*\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}[[:space:]]*$/\1/p" \
        "$1" | head -n 1
}

# col FILE COLS: the named columns of a CSV file, tab-separated, without the header.
col() { awk -v cols="$2" -f "$CSVCOL" "$1"; }

# expect_header FILE COL...: the CSV header names each column.
expect_header() {
    _file=$1
    shift
    for _col in "$@"; do
        if head -n 1 "$_file" | tr -d '\r\357\273\277' | tr ',' '\n' | grep -x -q -- "$_col"; then
            pass
        else
            fail "$(basename "$_file"): no column '$_col' in header: $(head -n 1 "$_file")"
        fi
    done
}

# expect_plan WHAT OUT: every output of a deploy plan is there and well formed.
expect_plan() {
    for _f in deployment.csv coach_load.csv unmet.csv changes.csv summary.json report.html; do
        if [ -s "$2/$_f" ]; then pass; else fail "$1: $_f missing or empty"; fi
    done
    [ -s "$2/deployment.csv" ] && expect_header "$2/deployment.csv" teacher coach hours travel_minutes
    [ -s "$2/coach_load.csv" ] && expect_header "$2/coach_load.csv" coach hours_used hours_available
    [ -s "$2/unmet.csv" ] && expect_header "$2/unmet.csv" teacher reason
    for _key in job status objective bound gap seconds; do
        if grep -q "\"$_key\":" "$2/summary.json" 2>/dev/null; then
            pass
        else
            fail "$1: summary.json has no '$_key'"
        fi
    done
    if grep -q -i '</html>' "$2/report.html" 2>/dev/null; then pass; else fail "$1: report.html is not a whole HTML page"; fi
}

# expect_verified WHAT DIR OUT: `cpdplan verify` accepts the plan.
expect_verified() {
    run verify "$2" --plan "$3"
    expect_rc "$1: verify" 0
    expect_in "$TMP/out.txt" "$1: verify" "verify: plan keeps every rule"
}

# expect_no_output WHAT DIR: DIR was not created, or holds no file at all.
expect_no_output() {
    if [ ! -e "$2" ] || [ -z "$(ls -A "$2" 2>/dev/null)" ]; then
        pass
    else
        fail "$1: files were written: $(ls -A "$2" | tr '\n' ' ')"
    fi
}

# ---- (a) the bundled scenario ----

test_bundled() {
    out=$TMP/trust-out
    run deploy "$TRUST" -o "$out" --quiet
    expect_rc "deploy trust" 0
    expect_plan "deploy trust" "$out"
    st=$(json_field "$out/summary.json" status)
    if [ "$st" = optimal ]; then pass; else fail "deploy trust: status '$st', expected optimal"; fi
    expect_verified "deploy trust" "$TRUST" "$out"
    # every intensive need has a coach: each intensive teacher has a coaching row with a coach
    col "$TRUST/staff.csv" id,need | awk -F '\t' '$2 == "intensive" { print $1 }' | sort >"$TMP/intensive"
    col "$out/deployment.csv" teacher,service,coach |
        awk -F '\t' '$2 == "coaching" && $3 != "" { print $1 }' | sort -u >"$TMP/coached"
    missing=$(comm -23 "$TMP/intensive" "$TMP/coached" | tr '\n' ' ')
    if [ -s "$TMP/intensive" ] && [ -z "$missing" ]; then
        pass
    else
        fail "deploy trust: intensive needs without a coach: ${missing:-(no intensive needs read)}"
    fi
    # the terminal table and --json
    run deploy "$TRUST" -o "$TMP/trust-table"
    expect_rc "deploy trust (table)" 0
    expect_in "$TMP/out.txt" "deploy trust (table)" "Plan written to"
    run deploy "$TRUST" -o "$TMP/trust-json" --json
    expect_rc "deploy trust --json" 0
    expect_in "$TMP/out.txt" "deploy trust --json" '"status"'
    if grep -q 'Plan written' "$TMP/out.txt"; then fail "deploy --json: the table was printed too"; else pass; fi
    run check "$TRUST"
    expect_rc "check trust" 0
    expect_in "$TMP/out.txt" "check trust" "ok (6 schools,"
}

# ---- (b) generated trusts, (c) determinism, (d) a short time limit ----

# gen_solve NAME STAFF SCHOOLS SEED [deploy options]: generate, solve, verify.
gen_solve() {
    _name=$1
    _dir=$TMP/$1
    run generate deploy "$_dir" --staff "$2" --schools "$3" --seed "$4"
    expect_rc "generate $_name" 0
    shift 4
    run deploy "$_dir" -o "$_dir/out" --quiet "$@"
    expect_rc "deploy $_name" 0
    expect_plan "deploy $_name" "$_dir/out"
    expect_verified "deploy $_name" "$_dir" "$_dir/out"
}

test_generated() {
    if [ "$SAN" = 1 ]; then n=120 k=3; else n=300 k=8; fi
    for seed in 1 2 3; do
        gen_solve "gen$n-s$seed" $n $k $seed -t 10
    done
    run generate deploy "$TMP/gen-again" --staff $n --schools $k --seed 1
    if cmp -s "$TMP/gen$n-s1/staff.csv" "$TMP/gen-again/staff.csv" &&
        cmp -s "$TMP/gen$n-s1/coaches.csv" "$TMP/gen-again/coaches.csv"; then
        pass
    else
        fail "generate: the same seed gave different files"
    fi
    run generate deploy "$TMP/gen$n-s1" --staff $n --seed 1
    expect_rc "generate over existing files" 2
    expect_in "$TMP/err.txt" "generate over existing files" "already exists"
    [ "$SAN" = 1 ] && return
    gen_solve gen1000 1000 25 1 -t 20
    # (d) one second: the construction heuristic still gives a plan that verifies
    run deploy "$TMP/gen1000" -o "$TMP/gen1000/out-1s" --quiet --time-limit 1
    expect_rc "deploy gen1000 -t 1" 0
    expect_plan "deploy gen1000 -t 1" "$TMP/gen1000/out-1s"
    expect_verified "deploy gen1000 -t 1" "$TMP/gen1000" "$TMP/gen1000/out-1s"
}

# same_plan WHAT A B: two plan folders agree byte for byte (summary.json but its seconds).
same_plan() {
    for _f in deployment.csv coach_load.csv unmet.csv changes.csv; do
        if cmp -s "$2/$_f" "$3/$_f"; then pass; else fail "$1: $_f differs between two runs"; fi
    done
    grep -v '"seconds"' "$2/summary.json" >"$TMP/sum.a" 2>/dev/null
    grep -v '"seconds"' "$3/summary.json" >"$TMP/sum.b" 2>/dev/null
    if [ -s "$TMP/sum.a" ] && cmp -s "$TMP/sum.a" "$TMP/sum.b"; then
        pass
    else
        fail "$1: summary.json differs between two runs (seconds aside)"
    fi
}

# Byte-identical plans are promised for runs that end by proof, not by the clock (where the
# work done before the limit depends on the machine's speed): the bundled trust and a small
# generated one, both solved to optimality in a fraction of a second.
test_determinism() {
    run deploy "$TRUST" -o "$TMP/det-1" --quiet
    run deploy "$TRUST" -o "$TMP/det-2" --quiet
    same_plan "determinism (trust)" "$TMP/det-1" "$TMP/det-2"
    gen_solve gen100-s3 100 2 3 -t 30
    st=$(json_field "$TMP/gen100-s3/out/summary.json" status)
    if [ "$st" = optimal ]; then pass; else fail "deploy gen100-s3: status '$st', expected optimal"; fi
    run deploy "$TMP/gen100-s3" -o "$TMP/gen100-s3/out-again" --quiet -t 30
    same_plan "determinism (generated)" "$TMP/gen100-s3/out" "$TMP/gen100-s3/out-again"
}

# ---- (e) golden bad-input cases ----

# A case folder: the inputs, expected_status, expected_stderr (lines that must each appear in
# stderr) and, optionally, command (default deploy; check runs `cpdplan check DIR`).
test_case() {
    name=$(basename "$1")
    want=$(cat "$1/expected_status" 2>/dev/null)
    if [ -z "$want" ]; then
        fail "case $name: no expected_status"
        return
    fi
    cmd=$(cat "$1/command" 2>/dev/null || echo deploy)
    out=$TMP/case-$name
    if [ "$cmd" = deploy ]; then run deploy "$1" -o "$out"; else run "$cmd" "$1"; fi
    expect_rc "case $name" "$want"
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] && expect_in "$TMP/err.txt" "case $name" "$line"
    done <"$1/expected_stderr"
    expect_no_output "case $name" "$out"
    expect_no_output "case $name (DIR/out)" "$1/out"
}

test_cases() {
    n=0
    for c in "$CASES"/*/; do
        [ -f "$c/expected_status" ] || continue
        test_case "${c%/}"
        n=$((n + 1))
    done
    if [ $n -ge 12 ]; then pass; else fail "only $n golden cases in tests/cases (12 or more expected)"; fi
}

# ---- (f) verify catches a tampered plan ----

# tamper WHAT AWK-PROGRAM: copies the trust plan, rewrites deployment.csv, expects breaches.
tamper() {
    t=$TMP/tamper
    rm -rf "$t"
    cp -R "$TMP/trust-out" "$t"
    awk -F ',' -v OFS=',' "$2" "$TMP/trust-out/deployment.csv" >"$t/deployment.csv"
    if cmp -s "$t/deployment.csv" "$TMP/trust-out/deployment.csv"; then
        fail "verify ($1): the tampering changed nothing"
        return
    fi
    run verify "$TRUST" --plan "$t"
    expect_rc "verify ($1)" 1
    expect_in "$TMP/err.txt" "verify ($1)" "verify: "
    expect_in "$TMP/err.txt" "verify ($1)" "breach"
}

test_tamper() {
    [ -f "$TMP/trust-out/deployment.csv" ] || { fail "verify: no plan to tamper with"; return; }
    h=$(head -n 1 "$TMP/trust-out/deployment.csv")
    hc=$(echo "$h" | tr ',' '\n' | grep -n -x hours | cut -d: -f1)
    cc=$(echo "$h" | tr ',' '\n' | grep -n -x coach | cut -d: -f1)
    sc=$(echo "$h" | tr ',' '\n' | grep -n -x service | cut -d: -f1)
    # more hours for one row than the load file says (and than the need asks)
    tamper "hours changed" "NR == 2 { \$$hc = \$$hc + 5 } { print }"
    # a coaching row handed to a senior leader, who provides no coaching
    tamper "coach swapped" "NR > 1 && !done && \$$sc == \"coaching\" { \$$cc = \"SL01\"; done = 1 } { print }"
    # a teacher's row given twice: a demand met twice, the coach's load off
    tamper "row duplicated" "{ print } NR == 2 { print }"
}

# --max-changes given to deploy on the command line: verify checks it when told the same limit,
# and reports the breach when told a tighter one.
test_max_changes() {
    g=$TMP/maxchg
    run generate deploy "$g" --staff 300 --schools 8 --seed 1
    expect_rc "max-changes: generate" 0
    run deploy "$g" -o "$g/out" -q --max-changes 3
    expect_rc "max-changes: deploy --max-changes 3" 0
    run verify "$g" --plan "$g/out" --max-changes 3
    expect_rc "max-changes: verify with the same limit" 0
    # seed 1 has last-term pairs the plan may break by choice, so 0 must be a breach
    run verify "$g" --plan "$g/out" --max-changes 0
    expect_rc "max-changes: verify with a tighter limit" 1
    expect_in "$TMP/err.txt" "max-changes: verify with a tighter limit" "but at most 0 may change"
}

# ---- (g) init ----

test_init() {
    dir=$TMP/tpl
    run init deploy "$dir"
    expect_rc "init deploy" 0
    for f in schools.csv staff.csv coaches.csv previous.csv pins.csv travel.csv scenario.json; do
        if [ -s "$dir/$f" ]; then pass; else fail "init deploy: $f not written"; fi
    done
    run check "$dir"
    expect_rc "check on templates" 0
    run deploy "$dir" -o "$dir/out" --quiet
    expect_rc "deploy on templates" 0
    cp "$dir/staff.csv" "$TMP/staff.before"
    run init deploy "$dir"
    expect_rc "init over existing files" 2
    expect_in "$TMP/err.txt" "init over existing files" "already exists"
    if cmp -s "$dir/staff.csv" "$TMP/staff.before"; then pass; else fail "init overwrote staff.csv"; fi
    run init nonsense "$TMP/tpl-nonsense"
    expect_rc "init nonsense" 2
    expect_in "$TMP/err.txt" "init nonsense" "unknown job 'nonsense' (jobs: deploy, inset, onboard)"
}

# ---- (h) --export-model ----

test_export() {
    for ext in lp mps; do
        m=$TMP/model.$ext
        run deploy "$TRUST" -o "$TMP/export-$ext" --quiet --export-model "$m"
        expect_rc "deploy --export-model .$ext" 0
        if [ -s "$m" ]; then pass; else fail "--export-model: $m not written"; continue; fi
        command -v glpsol >/dev/null 2>&1 || continue
        if [ $ext = lp ]; then fmt=--lp; else fmt=--freemps; fi
        if glpsol $fmt "$m" --check >"$TMP/glpsol.txt" 2>&1; then
            pass
        else
            fail "glpsol cannot read the exported .$ext model: $(tail -n 3 "$TMP/glpsol.txt")"
        fi
    done
    run deploy "$TRUST" -o "$TMP/export-bad" --export-model "$TMP/model.txt"
    expect_rc "deploy --export-model .txt" 2
}

# ---- (i) usage ----

test_usage() {
    run --version
    expect_rc "--version" 0
    expect_in "$TMP/out.txt" "--version" "cpdplan 0.1.0"
    run deploy
    expect_rc "deploy without DIR" 2
    expect_in "$TMP/err.txt" "deploy without DIR" "Try 'cpdplan deploy --help'."
    run deploy "$TRUST" --time-limit abc -o "$TMP/usage-out"
    expect_rc "deploy --time-limit abc" 2
    expect_in "$TMP/err.txt" "deploy --time-limit abc" \
        "cpdplan deploy: --time-limit needs a number of seconds (got 'abc')"
    expect_no_output "deploy --time-limit abc" "$TMP/usage-out"
    run deploy "$TRUST" --gap x --max-changes -3 --frobnicate
    expect_rc "deploy with three bad options" 2
    expect_in "$TMP/err.txt" "all argument errors at once" "--gap needs"
    expect_in "$TMP/err.txt" "all argument errors at once" "--max-changes needs"
    expect_in "$TMP/err.txt" "all argument errors at once" "unknown option '--frobnicate'"
    run deploy "$TRUST" -o "$TRUST/staff.csv"
    expect_rc "deploy -o FILE" 2
    run deploy "$TMP/no-such-folder"
    expect_rc "deploy on a missing folder" 2
    run frobnicate
    expect_rc "unknown command" 2
    expect_in "$TMP/err.txt" "unknown command" "deploy"
    run inset "$TRUST" -o "$TMP/inset-on-trust"
    expect_rc "inset on a deploy scenario" 2
    expect_in "$TMP/err.txt" "inset on a deploy scenario" "workshops.csv: cannot open"
    expect_no_output "inset on a deploy scenario" "$TMP/inset-on-trust"
    run onboard "$TRUST" -o "$TMP/onboard-on-trust"
    expect_rc "onboard on a deploy scenario" 2
    expect_in "$TMP/err.txt" "onboard on a deploy scenario" "activities.csv"
    expect_no_output "onboard on a deploy scenario" "$TMP/onboard-on-trust"
    run generate nonsense "$TMP/x" --staff 10
    expect_rc "generate nonsense" 2
    run generate deploy "$TMP/x" --staff many
    expect_rc "generate --staff many" 2
    run verify "$TRUST" --plan "$TMP/no-such-plan"
    expect_rc "verify without a plan" 2
    "$BIN" help deploy >"$TMP/help1.txt" 2>&1
    "$BIN" deploy --help >"$TMP/help2.txt" 2>&1
    if cmp -s "$TMP/help1.txt" "$TMP/help2.txt" && [ -s "$TMP/help1.txt" ]; then
        pass
    else
        fail "'cpdplan help deploy' and 'cpdplan deploy --help' differ"
    fi
    for c in deploy inset check verify init generate; do
        run "$c" --help
        expect_rc "$c --help" 0
        wide=$(awk 'length > 80' "$TMP/out.txt" | head -n 1)
        if [ -z "$wide" ] && [ "$(wc -l <"$TMP/out.txt")" -le 24 ]; then
            pass
        else
            fail "$c --help does not fit an 80x24 terminal"
        fi
    done
}

# ---- (j) inset: the bundled training day, a generated one, --strict, verify, init ----

# expect_inset_plan WHAT OUT: every output of an inset plan is there, with the contract's columns.
expect_inset_plan() {
    for _f in allocation.csv rosters.csv unmet.csv summary.json report.html; do
        if [ -s "$2/$_f" ]; then pass; else fail "$1: $_f missing or empty"; fi
    done
    [ -s "$2/allocation.csv" ] && expect_header "$2/allocation.csv" staff slot workshop rank
    [ -s "$2/rosters.csv" ] && expect_header "$2/rosters.csv" workshop slot size attendees
    [ -s "$2/unmet.csv" ] && expect_header "$2/unmet.csv" staff slot reason
    for _key in job status objective bound gap seconds first_choice_share top3_share worst_rank \
        outside_choices by_school by_role workshops cancellations; do
        if grep -q "\"$_key\":" "$2/summary.json" 2>/dev/null; then
            pass
        else
            fail "$1: summary.json has no '$_key'"
        fi
    done
    if grep -q -i '</html>' "$2/report.html" 2>/dev/null; then pass; else fail "$1: report.html is not a whole HTML page"; fi
}

# inset_tamper WHAT AWK-PROGRAM: copies the day's plan, rewrites allocation.csv, expects breaches.
inset_tamper() {
    t=$TMP/inset-tamper
    rm -rf "$t"
    cp -R "$TMP/inset-out" "$t"
    awk -F ',' -v OFS=',' "$2" "$TMP/inset-out/allocation.csv" >"$t/allocation.csv"
    if cmp -s "$t/allocation.csv" "$TMP/inset-out/allocation.csv"; then
        fail "verify inset ($1): the tampering changed nothing"
        return
    fi
    run verify "$INSET" --plan "$t"
    expect_rc "verify inset ($1)" 1
    expect_in "$TMP/err.txt" "verify inset ($1)" "breach"
}

test_inset() {
    INSET=$ROOT/scenarios/inset
    out=$TMP/inset-out
    run inset "$INSET" -o "$out" --quiet
    expect_rc "inset day" 0
    expect_inset_plan "inset day" "$out"
    st=$(json_field "$out/summary.json" status)
    if [ "$st" = optimal ]; then pass; else fail "inset day: status '$st', expected optimal"; fi
    job=$(json_field "$out/summary.json" job)
    if [ "$job" = inset ]; then pass; else fail "inset day: summary job '$job'"; fi
    expect_verified "inset day" "$INSET" "$out"
    # every person has a row for every slot of the day
    rows=$(($(wc -l <"$out/allocation.csv") - 1))
    staff=$(($(wc -l <"$INSET/staff.csv") - 1))
    if [ "$rows" -eq $((staff * 3)) ]; then pass; else fail "inset day: $rows allocation rows for $staff staff x 3 slots"; fi
    run inset "$INSET" -o "$TMP/inset-again" --quiet
    for _f in allocation.csv rosters.csv unmet.csv; do
        if cmp -s "$out/$_f" "$TMP/inset-again/$_f"; then pass; else fail "inset day: $_f differs between two runs"; fi
    done
    run inset "$INSET" -o "$TMP/inset-table"
    expect_rc "inset day (table)" 0
    expect_in "$TMP/out.txt" "inset day (table)" "first choice"
    expect_in "$TMP/out.txt" "inset day (table)" "Plan written to"
    expect_in "$TMP/err.txt" "inset day (table)" "submitted twice"
    run inset "$INSET" -o "$TMP/inset-json" --json
    expect_rc "inset day --json" 0
    expect_in "$TMP/out.txt" "inset day --json" '"first_choice_share"'
    run check "$INSET"
    expect_rc "check inset day" 0
    expect_in "$TMP/out.txt" "check inset day" "ok (2 schools, 150 staff, 12 workshops over 3 slots"
    # verify catches a tampered plan: a rank changed, a facilitator's row dropped
    inset_tamper "rank changed" 'NR > 1 && !done && $8 != "" { $8 = 9; done = 1 } { print }'
    inset_tamper "facilitator dropped" 'NR > 1 && !done && $9 == "yes" { done = 1; next } { print }'
    # a generated day
    if [ "$SAN" = 1 ]; then n=150; else n=300; fi
    g=$TMP/inset$n
    run generate inset "$g" --staff $n --seed 1
    expect_rc "generate inset $n" 0
    run inset "$g" -o "$g/out" --quiet -t 30
    expect_rc "inset generated $n" 0
    expect_inset_plan "inset generated $n" "$g/out"
    expect_verified "inset generated $n" "$g" "$g/out"
    run generate inset "$g" --staff $n --seed 1
    expect_rc "generate inset over existing files" 2
    # a shortfall: a plan with unmet.csv, or exit 1 under --strict with the same numbers
    sf=$TMP/inset-short
    mkdir -p "$sf"
    cp "$CASES/inset_strict_shortfall/"*.csv "$sf/"
    printf '{"name": "short day", "inset": {"slots": 3}}\n' >"$sf/scenario.json"
    run inset "$sf" -o "$sf/out" --quiet
    expect_rc "inset shortfall" 0
    if [ "$(wc -l <"$sf/out/unmet.csv" 2>/dev/null || echo 0)" -gt 1 ]; then pass; else fail "inset shortfall: nobody listed in unmet.csv"; fi
    expect_verified "inset shortfall" "$sf" "$sf/out"
    run inset "$sf" -o "$sf/out-strict" --strict
    expect_rc "inset shortfall --strict" 1
    expect_in "$TMP/err.txt" "inset shortfall --strict" "slot 1: 3 seats for 4 people"
    expect_no_output "inset shortfall --strict" "$sf/out-strict"
    # templates
    run init inset "$TMP/tpl-inset"
    expect_rc "init inset" 0
    run check "$TMP/tpl-inset"
    expect_rc "check on inset templates" 0
    run inset "$TMP/tpl-inset" -o "$TMP/tpl-inset/out" --quiet
    expect_rc "inset on templates" 0
    expect_verified "inset on templates" "$TMP/tpl-inset" "$TMP/tpl-inset/out"
    run inset "$INSET" --max-changes 3
    expect_rc "inset --max-changes" 2
    run deploy "$TRUST" --strict -o "$TMP/strict-deploy"
    expect_rc "deploy --strict" 2
    expect_in "$TMP/err.txt" "deploy --strict" "--strict is an option of inset, not deploy"
}

# ---- (k) onboard: the bundled joining school, generated ones, verify, calendars, init ----

# expect_onboard_plan WHAT OUT: every output of an onboarding plan, with the contract's columns,
# and a calendar a real parser accepts, one event per scheduled task.
expect_onboard_plan() {
    for _f in schedule.csv schedule.ics unmet.csv summary.json report.html; do
        if [ -s "$2/$_f" ]; then pass; else fail "$1: $_f missing or empty"; fi
    done
    [ -s "$2/schedule.csv" ] && expect_header "$2/schedule.csv" school activity day date resources staff
    [ -s "$2/unmet.csv" ] && expect_header "$2/unmet.csv" school activity reason
    for _key in job status objective bound gap seconds tasks placed late unplaced by_school \
        by_resource; do
        if grep -q "\"$_key\":" "$2/summary.json" 2>/dev/null; then
            pass
        else
            fail "$1: summary.json has no '$_key'"
        fi
    done
    if grep -q -i '</html>' "$2/report.html" 2>/dev/null; then pass; else fail "$1: report.html is not a whole HTML page"; fi
    _events=$(($(wc -l <"$2/schedule.csv") - 1))
    if [ -n "$ICS_CHECK" ]; then
        if "$ICS_CHECK" "$2/schedule.ics" "$_events" >"$TMP/ics.txt" 2>&1; then
            pass
        else
            fail "$1: schedule.ics rejected by libical: $(head -c 300 "$TMP/ics.txt")"
        fi
    else
        _n=$(grep -c '^BEGIN:VEVENT' "$2/schedule.ics")
        if [ "$_n" -eq "$_events" ]; then pass; else fail "$1: $_n events for $_events tasks"; fi
    fi
}

# onboard_tamper WHAT AWK-PROGRAM: copies the plan, rewrites schedule.csv, expects breaches.
onboard_tamper() {
    t=$TMP/onboard-tamper
    rm -rf "$t"
    cp -R "$TMP/onboard-out" "$t"
    awk -F ',' -v OFS=',' "$2" "$TMP/onboard-out/schedule.csv" >"$t/schedule.csv"
    if cmp -s "$t/schedule.csv" "$TMP/onboard-out/schedule.csv"; then
        fail "verify onboard ($1): the tampering changed nothing"
        return
    fi
    run verify "$ONBOARD" --plan "$t"
    expect_rc "verify onboard ($1)" 1
    expect_in "$TMP/err.txt" "verify onboard ($1)" "breach"
}

test_onboard() {
    ONBOARD=$ROOT/scenarios/onboard
    out=$TMP/onboard-out
    run onboard "$ONBOARD" -o "$out" --quiet
    expect_rc "onboard school" 0
    expect_onboard_plan "onboard school" "$out"
    st=$(json_field "$out/summary.json" status)
    if [ "$st" = optimal ]; then pass; else fail "onboard school: status '$st', expected optimal"; fi
    job=$(json_field "$out/summary.json" job)
    if [ "$job" = onboard ]; then pass; else fail "onboard school: summary job '$job'"; fi
    expect_verified "onboard school" "$ONBOARD" "$out"
    run onboard "$ONBOARD" -o "$TMP/onboard-again" --quiet
    for _f in schedule.csv schedule.ics unmet.csv; do
        if cmp -s "$out/$_f" "$TMP/onboard-again/$_f"; then pass; else fail "onboard school: $_f differs between two runs"; fi
    done
    run onboard "$ONBOARD" -o "$TMP/onboard-table"
    expect_rc "onboard school (views)" 0
    expect_in "$TMP/out.txt" "onboard school (views)" "Plan written to"
    run onboard "$ONBOARD" -o "$TMP/onboard-json" --json
    expect_rc "onboard school --json" 0
    job=$(json_field "$TMP/out.txt" job)
    if [ "$job" = onboard ]; then pass; else fail "onboard school --json: job '$job'"; fi
    run check "$ONBOARD"
    expect_rc "check onboard" 0
    expect_in "$TMP/out.txt" "check onboard" "ok (1 joining school"
    for ext in lp mps; do
        run onboard "$ONBOARD" -o "$TMP/onboard-export" --quiet --export-model "$TMP/onboard.$ext"
        expect_rc "onboard --export-model .$ext" 0
        if [ -s "$TMP/onboard.$ext" ]; then pass; else fail "onboard --export-model .$ext: not written"; fi
    done
    # verify catches a tampered schedule: a task moved to a weekend-free but wrong day, a
    # resource dropped
    onboard_tamper "day moved" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "day") c = i }
        NR > 1 && !done { $c = ($c > 3 ? 1 : 20); done = 1 } { print }'
    onboard_tamper "row dropped" 'NR == 2 { next } { print }'
    # generated joining schools sharing the pool
    if [ "$SAN" = 1 ]; then n=60; k=2; else n=120; k=3; fi
    g=$TMP/onboard$n
    run generate onboard "$g" --staff $n --schools $k --seed 1
    expect_rc "generate onboard $n" 0
    run onboard "$g" -o "$g/out" --quiet -t 20
    expect_rc "onboard generated $n" 0
    expect_onboard_plan "onboard generated $n" "$g/out"
    expect_verified "onboard generated $n" "$g" "$g/out"
    run generate onboard "$g" --staff $n --seed 1
    expect_rc "generate onboard over existing files" 2
    # templates
    run init onboard "$TMP/tpl-onboard"
    expect_rc "init onboard" 0
    run check "$TMP/tpl-onboard"
    expect_rc "check on onboard templates" 0
    run onboard "$TMP/tpl-onboard" -o "$TMP/tpl-onboard/out" --quiet -t 10
    expect_rc "onboard on templates" 0
    expect_verified "onboard on templates" "$TMP/tpl-onboard" "$TMP/tpl-onboard/out"
    run init onboard "$TMP/tpl-onboard"
    expect_rc "init onboard over existing files" 2
    run onboard "$ONBOARD" --strict
    expect_rc "onboard --strict" 2
}

# ---- (k) hardening: crash safety, determinism across time limits ----

# clockless FILE: the file without what the clock decides (summary.json's "seconds", the time
# on report.html's status line), for comparing plans of two runs.
clockless() {
    sed -e '/"seconds":/d' -e 's/ &middot; [0-9.]* s<\/p>/<\/p>/' "$1"
}

# same_files A B: the two folders hold the same file names (hidden ones too) and, clock aside,
# the same bytes; prints nothing and succeeds then.
same_files() {
    [ "$(ls -A "$1")" = "$(ls -A "$2")" ] || return 1
    for _f in $(ls -A "$1"); do
        [ -f "$1/$_f" ] && [ -f "$2/$_f" ] || return 1
        clockless "$1/$_f" >"$TMP/same.a"
        clockless "$2/$_f" >"$TMP/same.b"
        cmp -s "$TMP/same.a" "$TMP/same.b" || return 1
    done
}

# A job killed (SIGKILL) at 20 moments spread over its run (as long as a whole run took here), writing into a folder that holds a
# complete earlier plan: each time the folder holds the earlier plan or the new one, whole,
# never a mix of the two nor a partial or temporary file.
test_crash_safety() {
    old=$TMP/crash-old
    new=$TMP/crash-new
    run generate deploy "$TMP/crash-gen" --staff 40 --schools 2 --seed 9
    run deploy "$TMP/crash-gen" -o "$old" --quiet
    expect_rc "crash safety: the earlier plan" 0
    t0=$(date +%s%N)
    run deploy "$TRUST" -o "$new" --quiet
    expect_rc "crash safety: the new plan" 0
    # how long a whole run takes here (an ASan build, a busy machine): the kills cover it
    dur=$(( ($(date +%s%N) - t0) / 1000000 ))
    [ "$dur" -gt 0 ] 2>/dev/null || dur=300
    if same_files "$old" "$new"; then fail "crash safety: the two plans do not differ"; fi
    mkdir -p "$TMP/crash"
    out=$TMP/crash/out
    n_old=0
    n_new=0
    i=0
    while [ $i -lt 20 ]; do
        rm -rf "$TMP/crash" && mkdir -p "$TMP/crash" && cp -R "$old" "$out"
        # sleeps of 0 to 1.9 times a whole run, in a fixed order that is not monotone (7 is
        # prime to 20)
        ms=$(( (i * 7 % 20) * dur / 10 ))
        "$BIN" deploy "$TRUST" -o "$out" --quiet >/dev/null 2>&1 &
        pid=$!
        sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        if same_files "$out" "$old"; then
            n_old=$((n_old + 1))
            pass
        elif same_files "$out" "$new"; then
            n_new=$((n_new + 1))
            pass
        else
            fail "crash safety: killed after ${ms} ms, the out folder is neither plan: $(ls -A "$out" | tr '\n' ' ')"
        fi
        i=$((i + 1))
    done
    # both outcomes seen: the kills fell before and after the commit
    if [ $n_old -gt 0 ] && [ $n_new -gt 0 ]; then
        pass
    else
        echo "note: crash safety saw $n_old earlier and $n_new new plans of 20"
    fi
}

# same_plan_dir WHAT A B: every file of two plan folders agrees, clock aside.
same_plan_dir() {
    if same_files "$2" "$3"; then
        pass
    else
        fail "$1: the plans differ: $(diff -r "$2" "$3" | head -n 5)"
    fi
}

# The bundled scenarios of the three jobs are solved to optimality well within 30 s: a run at
# -t 30, another at -t 30 and one at -t 60 write the same bytes (clock aside).
test_determinism_limits() {
    for job in deploy inset onboard; do
        case $job in
        deploy) dir=$TRUST ;;
        *) dir=$ROOT/scenarios/$job ;;
        esac
        for t in 30a 30b 60; do
            run "$job" "$dir" -o "$TMP/detl-$job-$t" --quiet -t "${t%[ab]}"
            expect_rc "determinism: $job -t ${t%[ab]}" 0
        done
        st=$(json_field "$TMP/detl-$job-60/summary.json" status)
        if [ "$st" = optimal ]; then pass; else fail "determinism: $job status '$st', expected optimal"; fi
        same_plan_dir "determinism: $job, two runs at -t 30" "$TMP/detl-$job-30a" "$TMP/detl-$job-30b"
        same_plan_dir "determinism: $job, -t 30 and -t 60" "$TMP/detl-$job-30a" "$TMP/detl-$job-60"
    done
}

# ---- (l) --anonymise ----

# names_of DIR: every person's name in DIR's staff.csv, coaches.csv and resources.csv, one a
# line (also with ' as report.html escapes it).
names_of() {
    for _f in staff.csv coaches.csv resources.csv; do
        [ -f "$1/$_f" ] && col "$1/$_f" name
    done | tr -d '\r' | sed '/^$/d' | sort -u >"$TMP/names.raw"
    cat "$TMP/names.raw"
    sed -n "s/'/\&#39;/gp" "$TMP/names.raw"
}

# names_in OUT NAMES: the files of OUT (calendars unfolded) that hold a line of NAMES.
names_in() {
    for _f in "$1"/*; do
        case $_f in
        *.ics) tr -d '\r' <"$_f" | awk '/^ / { printf "%s", substr($0, 2); next } NR > 1 { print "" } { printf "%s", $0 } END { print "" }' ;;
        *) cat "$_f" ;;
        esac | grep -F -q -f "$2" && basename "$_f"
    done
}

# With --anonymise no name from the scenario's files appears in any output of the three jobs;
# without it they do (the check can see them).
test_anonymise() {
    for job in deploy inset onboard; do
        case $job in
        deploy) dir=$TRUST ;;
        *) dir=$ROOT/scenarios/$job ;;
        esac
        names_of "$dir" >"$TMP/names-$job"
        if [ "$(wc -l <"$TMP/names-$job")" -ge 5 ]; then pass; else fail "anonymise $job: no names read"; fi
        run "$job" "$dir" -o "$TMP/anon-$job" --quiet --anonymise
        expect_rc "$job --anonymise" 0
        leaked=$(names_in "$TMP/anon-$job" "$TMP/names-$job" | tr '\n' ' ')
        if [ -z "$leaked" ]; then pass; else fail "$job --anonymise: names in $leaked"; fi
        run "$job" "$dir" -o "$TMP/named-$job" --quiet
        if [ -n "$(names_in "$TMP/named-$job" "$TMP/names-$job")" ]; then
            pass
        else
            fail "$job without --anonymise: no name found in any output (the check sees nothing)"
        fi
    done
}

# ---- (m) a 50 MB input ----

# A staff.csv of 50 MB (made here, not kept in the repository): 640,000 rows read in full, the
# one bad row at the end reported at its exact line and column, exit 2, nothing written.
test_huge_file() {
    big=$TMP/big
    rm -rf "$big"
    cp -R "$CASES/duplicate_staff" "$big"
    rm -f "$big/expected_status" "$big/expected_stderr"
    sed '/^T2,Bea Carr,/d' "$CASES/duplicate_staff/staff.csv" >"$big/staff.csv"
    awk 'BEGIN { for (i = 1; i <= 640000; i++)
        printf "S%07d,Staff Member Number %07d,SCH%d,teacher,maths;english,light,behaviour\n", i, i, 1 + i % 2
        print "S9999999,Last One,SCH9,teacher,maths,light," }' >>"$big/staff.csv"
    size=$(wc -c <"$big/staff.csv")
    if [ "$size" -ge 50000000 ]; then pass; else fail "huge file: staff.csv is only $size bytes"; fi
    line=$(wc -l <"$big/staff.csv")
    run deploy "$big" -o "$big/out"
    expect_rc "huge file" 2
    expect_in "$TMP/err.txt" "huge file" "staff.csv:$line:3: unknown school 'SCH9' (known: SCH1, SCH2)"
    if [ "$(grep -c . "$TMP/err.txt")" = 1 ]; then pass; else fail "huge file: more than one message: $(head -c 600 "$TMP/err.txt")"; fi
    expect_no_output "huge file" "$big/out"
    rm -rf "$big"
}

# The corpus of bad inputs holds at least 40 cases (issue 6).
test_case_count() {
    n=$(ls -d "$CASES"/*/ | wc -l)
    if [ "$n" -ge 40 ]; then pass; else fail "only $n bad-input cases in tests/cases (40 or more expected)"; fi
}

test_bundled
test_generated
test_determinism
test_cases
test_tamper
test_max_changes
test_init
test_export
test_usage
test_inset
test_onboard
test_crash_safety
test_determinism_limits
test_anonymise
test_huge_file
test_case_count

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
