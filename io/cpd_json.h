/* cpd_json.h — scenario.json: reading it into a scenario's name and deploy settings, writing it
 * back, finding where a key stands in a JSON file's text (for messages), and the small JSON
 * helpers the output writers share (stable rounding, file output, a plan's status words and
 * solve figures).
 *
 * Ownership: cJSON values returned are the caller's to cJSON_Delete; strings returned are the
 * caller's to free(). Nothing here prints. */
#ifndef CPD_JSON_H
#define CPD_JSON_H

#include "cpd_engine.h"
#include "cpd_err.h"
#include "cpd_out.h"
#include "cpd_scenario.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdio.h>

/* Reads the scenario.json at path (messages call it name) into s->name and s->params. Syntax
 * errors are reported at line:col; a wrong type or out-of-range value at the key's line
 * ("deploy.need_hours.light must be a number from 0 to 40"); an unknown key is a warning.
 * Returns false when an error was added. */
bool cpd_json_read_scenario(const char *path, const char *name, cpd_scenario *s, cpd_diags *d);

/* The scenario.json object that cpd_json_read_scenario reads back to the same name and params. */
cJSON *cpd_json_scenario_object(const cpd_scenario *s);

/* Writes j into the output set as NAME; false (an error added) when that failed. */
bool cpd_json_save(cpd_outset *o, const char *name, const cJSON *j, cpd_diags *d);
/* Sets the "solver" object of a scenario.json object (made when missing) to a job's own
 * time_limit and gap. */
void cpd_json_set_solver(cJSON *j, double time_limit, double gap);

/* ---- positions in a JSON file's text (cJSON keeps none) ---- */

/* Bytes of a UTF-8 byte-order mark at the start of text: 3, or 0 when there is none. */
size_t cpd_json_bom(const char *text, size_t len);
/* Where a dotted key path ("deploy.need_hours.light") stands: the opening quote of its last key
 * found, each key looked for (quoted, followed by ':') after the one before. NULL when not even
 * the first is found. */
const char *cpd_json_key_at(const char *text, const char *path);
/* The 1-based line of byte off of text, and its 1-based column into *col when col is not NULL. */
int cpd_json_line_at(const char *text, size_t off, int *col);
/* The line and column of cpd_json_key_at's key (its opening quote); 0 and 0 when not found. */
void cpd_json_key_pos(const char *text, const char *path, int *line, int *col);
/* The line and column of path's value (item: of the quoted item in its list), or of the key when
 * the value cannot be found; 0 and 0 when neither can: where a message about a value points. */
void cpd_json_value_pos(const char *text, const char *path, const char *item, int *line, int *col);

/* ---- output figures ---- */

/* v rounded to the given number of decimals, so printed figures do not drift in the last bits. */
double cpd_json_round(double v, int decimals);
/* Adds key: v rounded, or null when v is not finite. */
void cpd_json_add_num(cJSON *obj, const char *key, double v, int decimals);

/* Prints j (formatted) to f with a final newline; false when printing or writing failed. */
bool cpd_json_write(FILE *f, const cJSON *j);
/* Prints j (then deletes it) into a string the caller frees with free(); "{}" if it cannot. */
char *cpd_json_take_text(cJSON *j);

/* A plan's status word, as the contract names it: "optimal", "feasible" or "no_plan". r is the
 * plan's solve result, NULL when there is no plan; any says whether the plan holds something,
 * which makes it "feasible" when the solver proved neither (time ran out before GLPK found a
 * plan, or GLPK failed, after the job's heuristic). */
const char *cpd_json_status(const cpd_solve_result *r, bool any);
/* The proven gap of that plan: 0 when optimal without a bound, NAN when there is no plan or no
 * bound to measure it against. */
double cpd_json_gap(const cpd_solve_result *r, bool any);
/* Adds a summary's solve figures: objective, bound, gap, seconds, nodes, from_heuristic and
 * heuristic_objective (null where not known; NULL r: no plan). */
void cpd_json_add_solve(cJSON *o, const cpd_solve_result *r, bool any, double heuristic_objective);

#endif
