/* cpd_report.h — report.html, the page people read, print and forward: one self-contained file
 * (inline CSS and SVG, no script, no font, image or link fetched), readable on a laptop and
 * printable on A4. The page's frame and header are shared; each job writes its own sections.
 *
 * Written from the plan and from its summary.json, already built, so that the page and the
 * summary say the same. The page is well-formed XML as well as HTML (quoted attributes, closed
 * elements, numeric entities only), so a plain XML parser can check it.
 *
 * Same plan, same bytes, but for one line: the one with class="secs", which says how long the
 * solve took (as summary.json's "seconds" does). No clock time is written.
 *
 * Ownership: nothing is kept; what is passed is only read. Write errors show in ferror(f), which
 * the caller checks when it closes the file (cpd_outset_flushed). */
#ifndef CPD_REPORT_H
#define CPD_REPORT_H

#include "cpd_deploy.h"
#include "cpd_inset.h"
#include "cpd_onboard.h"

#include <cJSON.h>
#include <stdio.h>

/* The page's start: head, style, and the header every report has (what the plan is for, the
 * scenario, who made it, the solver's status in plain words, objective and bound, the proven
 * gap, the time taken), read from summary. kind: "CPD deployment", "Training day", ... */
void cpd_report_begin(FILE *f, const char *kind, const cJSON *summary);
/* The page's end. */
void cpd_report_end(FILE *f);

/* <section id="ID"><h2>TITLE</h2>, and its end. */
void cpd_report_section(FILE *f, const char *id, const char *title);
void cpd_report_section_end(FILE *f);
/* The contents: a link to each section, items[i] = {id, title}. Not printed. */
void cpd_report_nav(FILE *f, const char *const items[][2], int n);
/* A number from a summary object (0 when absent or not a number) and a string ("" likewise). */
double cpd_report_num(const cJSON *o, const char *key);
const char *cpd_report_str(const cJSON *o, const char *key);

/* Each job's report: the sections after the header. */
void cpd_report_deploy(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p,
                       const cJSON *summary);
void cpd_report_inset(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl, const cJSON *summary);
void cpd_report_onboard(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl,
                        const cJSON *summary);

#endif
