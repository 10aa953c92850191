#!/bin/sh
# valgrind.sh — one run of cpdplan under valgrind, standing in for the binary in run.sh.
# run.sh's CPD_VALGRIND=1 mode sets CPD_VG_BIN (the real binary) and CPD_VG_LOGS (a folder) and
# passes this script as the binary. Each run leaves its valgrind log in CPD_VG_LOGS and a line in
# CPD_VG_LOGS/runs; a run with any memory error or leak also leaves a line in CPD_VG_LOGS/failed,
# which run.sh checks at the end: valgrind's own exit status (99) replaces the binary's, and a
# caller expecting exit 1 or 2 could not otherwise tell a leak from an expected failure.

: "${CPD_VG_BIN:?valgrind.sh: CPD_VG_BIN (the cpdplan binary) is not set}"
: "${CPD_VG_LOGS:?valgrind.sh: CPD_VG_LOGS (a folder for the logs) is not set}"
log=$(mktemp "$CPD_VG_LOGS/run.XXXXXX") || exit 3
printf '%s\n' "$*" >>"$CPD_VG_LOGS/runs"
valgrind -q --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file="$log" \
    "$CPD_VG_BIN" "$@"
rc=$?
# -q leaves the log empty unless valgrind found something to say
if [ "$rc" = 99 ] || [ -s "$log" ]; then
    printf '%s: exit %s: cpdplan %s\n' "$log" "$rc" "$*" >>"$CPD_VG_LOGS/failed"
else
    rm -f "$log"
fi
exit "$rc"
