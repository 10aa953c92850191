/* cpd_deploy_io.h — a deploy plan's files: deployment.csv, coach_load.csv, changes.csv,
 * unmet.csv, summary.json and report.html, the terminal summary, and reading a written plan
 * back for `verify`.
 *
 * Ownership: strings returned are the caller's to free(); a plan read back is freed with
 * cpd_deploy_plan_free(&p). */
#ifndef CPD_DEPLOY_IO_H
#define CPD_DEPLOY_IO_H

#include "cpd_deploy.h"

#include <stdio.h>

/* Writes every output into outdir, all or nothing (cpd_out). */
bool cpd_write_deploy(const char *outdir, const cpd_scenario *s, const cpd_deploy_plan *p,
                      cpd_diags *d);
/* The summary.json text (job, status, objective, bound, gap, seconds, and the job's figures). */
char *cpd_deploy_summary_json(const cpd_scenario *s, const cpd_deploy_plan *p);
/* A short table for people: coverage by need level and by school, coach loads. colour: the
 * status word and header rows in colour (cpd_term.h). */
void cpd_print_deploy_summary(FILE *out, const cpd_scenario *s, const cpd_deploy_plan *p,
                              bool colour);

/* Reads deployment.csv, unmet.csv and coach_load.csv from outdir back into a plan over s:
 * rows (met and unmet) and the loads as written. Only the files' contents; no checking beyond
 * what is needed to read them (ids must name staff and coaches of s). NULL with errors in d. */
cpd_deploy_plan *cpd_read_deploy_plan(const char *outdir, const cpd_scenario *s, cpd_diags *d);

#endif
