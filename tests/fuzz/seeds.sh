#!/bin/sh
# seeds.sh OUTDIR — the fuzz targets' seed corpus: every bundled scenario and every golden case
# folder joined into one input per folder, its files in the target's order separated by 0xFF
# (fuzz_util.h), plus each CSV and JSON file alone for the csv and json targets.
set -eu
out=${1:?usage: seeds.sh OUTDIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out/csv" "$out/json" "$out/deploy" "$out/inset" "$out/onboard"

# join TARGET NAME DIR FILE...: DIR's files, in order, as one input; stops at the first absent.
join() {
    _t=$1 _n=$2 _d=$3
    shift 3
    _o=$out/$_t/$_n
    : >"$_o"
    _first=1
    for _f in "$@"; do
        [ -e "$_d/$_f" ] || break
        [ $_first = 1 ] || printf '\377' >>"$_o"
        _first=0
        [ -d "$_d/$_f" ] || cat "$_d/$_f" >>"$_o"
    done
}

deploy_files="schools.csv staff.csv coaches.csv travel.csv scenario.json previous.csv pins.csv"
inset_files="schools.csv staff.csv workshops.csv scenario.json preferences.csv pins.csv travel.csv"
onboard_files="schools.csv staff.csv activities.csv scenario.json resources.csv travel.csv deployment.csv"

for d in "$root"/scenarios/* "$root"/tests/cases/*; do
    [ -d "$d" ] || continue
    n=$(basename "$d")
    if [ -e "$d/workshops.csv" ]; then
        join inset "$n" "$d" $inset_files
    elif [ -e "$d/activities.csv" ] || [ -e "$d/resources.csv" ]; then
        join onboard "$n" "$d" $onboard_files
    else
        join deploy "$n" "$d" $deploy_files
    fi
    for f in "$d"/*.csv; do
        [ -f "$f" ] && cp "$f" "$out/csv/$n-$(basename "$f")"
    done
    [ -f "$d/scenario.json" ] && cp "$d/scenario.json" "$out/json/$n.json"
done
exit 0
