/* cpd_json.h — scenario.json: reading it into a scenario's name and deploy settings, writing it
 * back, and the small JSON helpers the output writers share (stable rounding, file output).
 *
 * Ownership: cJSON values returned are the caller's to cJSON_Delete; strings returned are the
 * caller's to free(). Nothing here prints. */
#ifndef CPD_JSON_H
#define CPD_JSON_H

#include "cpd_err.h"
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

/* v rounded to the given number of decimals, so printed figures do not drift in the last bits. */
double cpd_json_round(double v, int decimals);
/* Adds key: v rounded, or null when v is not finite. */
void cpd_json_add_num(cJSON *obj, const char *key, double v, int decimals);

/* Prints j (formatted) to f with a final newline; false when printing or writing failed. */
bool cpd_json_write(FILE *f, const cJSON *j);
/* Prints j (then deletes it) into a string the caller frees with free(); "{}" if it cannot. */
char *cpd_json_take_text(cJSON *j);

#endif
