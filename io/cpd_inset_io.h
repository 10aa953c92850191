/* cpd_inset_io.h — the inset job's files: reading a training day (workshops.csv,
 * preferences.csv as form tools export it, pins.csv, scenario.json "inset") on top of the common
 * files, writing a generated day back, writing a plan (allocation.csv, rosters.csv, unmet.csv,
 * summary.json, report.html), the terminal summary, and reading a written plan back for `verify`.
 *
 * Ownership: cpd_load_inset returns a day the caller frees with cpd_inset_free(&p), or NULL when
 * any error was added (warnings are added either way). Strings returned are the caller's to
 * free(). A plan read back is freed with cpd_inset_plan_free(&plan); it refers to p by index. */
#ifndef CPD_INSET_IO_H
#define CPD_INSET_IO_H

#include "cpd_inset.h"
#include "cpd_out.h"

#include <stdbool.h>
#include <stdio.h>

/* schools.csv, travel.csv, staff.csv, scenario.json (with its "inset" settings), then
 * workshops.csv, preferences.csv (optional: wide or long form) and pins.csv (optional). Every
 * problem in every file is collected, GNU form, before giving up. */
cpd_inset *cpd_load_inset(const char *dir, cpd_diags *d);

/* Writes a day (as generate makes it) as the files cpd_load_inset reads back to an equal day:
 * schools.csv, staff.csv, workshops.csv, preferences.csv (wide, ids), pins.csv, scenario.json.
 * Written whole or not at all. */
bool cpd_save_inset(const char *dir, const cpd_inset *p, cpd_diags *d);

/* Writes every output into outdir, all or nothing (cpd_out). */
bool cpd_write_inset(const char *outdir, const cpd_inset *p, const cpd_inset_plan *plan,
                     cpd_diags *d);
/* The summary.json text: job, scenario, status, objective, bound, gap, seconds and the day's
 * figures overall, by school, by role and by workshop. */
char *cpd_inset_summary_json(const cpd_inset *p, const cpd_inset_plan *plan);
/* A short table for people: choice shares, worst rank, by school and role, workshop fill.
 * colour: the status word and header rows in colour (cpd_term.h). */
void cpd_print_inset_summary(FILE *out, const cpd_inset *p, const cpd_inset_plan *plan,
                             bool colour);

/* sessions.ics (inset --ics, RFC 5545), written into the set o: one event per person and
 * session (a run of a longer workshop is one event) at params.date and the slot times, UID from
 * the scenario's name, the person and the session's first slot, DTSTAMP the day itself, so a
 * re-run writes the same bytes and a calendar updates its events. params.date must be set. */
bool cpd_write_inset_ics(cpd_outset *o, const cpd_inset *p, const cpd_inset_plan *plan,
                         cpd_diags *d);
/* The events sessions.ics holds for plan. */
int cpd_inset_ics_events(const cpd_inset *p, const cpd_inset_plan *plan);

/* Reads allocation.csv, rosters.csv and unmet.csv from outdir back into a plan over p: places
 * as written (every staff x slot not written stays workshop -1, rank 0, and is flagged by
 * verify), runs and unmet rows. Only the files' contents: ids must name staff and workshops of
 * p and slots must be in the day. NULL with errors in d. */
cpd_inset_plan *cpd_read_inset_plan(const char *outdir, const cpd_inset *p, cpd_diags *d);

#endif
