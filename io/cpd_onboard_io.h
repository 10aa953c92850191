/* cpd_onboard_io.h — the onboard job's files: reading a programme (activities.csv,
 * resources.csv, deployment.csv, scenario.json "onboard") on top of the common files, writing a
 * generated programme back, writing a schedule (schedule.csv, schedule.ics, unmet.csv,
 * summary.json, report.html), the terminal views, and reading a written schedule back for
 * `verify`. The formats are fixed in docs/onboard.md.
 *
 * Ownership: cpd_load_onboard returns a programme the caller frees with cpd_onboard_free(&p), or
 * NULL when any error was added (warnings are added either way). Strings returned are the
 * caller's to free(). A plan read back is freed with cpd_onboard_plan_free(&plan); it refers to p
 * by index. */
#ifndef CPD_ONBOARD_IO_H
#define CPD_ONBOARD_IO_H

#include "cpd_onboard.h"

#include <stdbool.h>
#include <stdio.h>

/* schools.csv (joining = yes marks the schools the programme is for), travel.csv, staff.csv,
 * scenario.json (with its "onboard" and "solver" settings), then resources.csv, activities.csv
 * and deployment.csv (optional). Every problem in every file is collected, GNU form
 * ("DIR/activities.csv:7:8: ..."), before giving up: unknown ids, cycles in `after`, tasks longer
 * than their window, roles no resource has, dates that are not dates, a start on a weekend. */
cpd_onboard *cpd_load_onboard(const char *dir, cpd_diags *d);

/* Writes a programme (as generate or init make it) as the files cpd_load_onboard reads back to
 * an equal programme: schools.csv, staff.csv, travel.csv (when some pair differs from the
 * default minutes), activities.csv, resources.csv, deployment.csv (when p->coach_of is set) and
 * scenario.json. Written whole or not at all. */
bool cpd_save_onboard(const char *dir, const cpd_onboard *p, cpd_diags *d);

/* Writes schedule.csv, schedule.ics, unmet.csv, summary.json and report.html into outdir, all
 * or nothing (cpd_out). Same programme and plan, same bytes. */
bool cpd_write_onboard(const char *outdir, const cpd_onboard *p, const cpd_onboard_plan *plan,
                       cpd_diags *d);
/* The summary.json text: job, scenario, status, objective, bound, gap, seconds, the task counts,
 * school-weeks, the calendar, by_school, by_resource and the model's size. */
char *cpd_onboard_summary_json(const cpd_onboard *p, const cpd_onboard_plan *plan);
/* For people, at most 100 columns wide: the status line, the counts, a table by school and by
 * resource, then week-by-day grids: each resource's school each day, each school's activities
 * each day. colour: the status word and header rows in colour (cpd_term.h). */
void cpd_print_onboard_summary(FILE *out, const cpd_onboard *p, const cpd_onboard_plan *plan,
                               bool colour);

/* Reads schedule.csv and unmet.csv from outdir back into a plan over p: every task of the
 * programme (cpd_onboard_tasks), with the start, duration and resources schedule.csv gives it
 * (tasks in neither file keep start -1 and are not listed unmet: verify flags them), and the
 * unmet rows with their reasons. Rows naming unknown ids or tasks not in the programme, or a task
 * twice, are errors (file:line:col). NULL with errors in d. */
cpd_onboard_plan *cpd_read_onboard_plan(const char *outdir, const cpd_onboard *p, cpd_diags *d);

#endif
