/* cpd_load.h — reading a scenario folder into the domain: schools.csv, travel.csv, staff.csv,
 * scenario.json, and for deploy coaches.csv, previous.csv, pins.csv; and writing a scenario back
 * as those files (the common ones for every job's saver). Every problem in every file is
 * collected into the cpd_diags (GNU "FILE:LINE:COL: message" form, file named as DIR/NAME.csv)
 * before the loader gives up, so `check` can list them all at once.
 *
 * Ownership: returns a scenario the caller frees with cpd_scenario_free(&s), or NULL when any
 * error was added. Warnings (unknown columns, ...) are added either way. Files written into an
 * output set belong to the set. */
#ifndef CPD_LOAD_H
#define CPD_LOAD_H

#include "cpd_err.h"
#include "cpd_out.h"
#include "cpd_scenario.h"

/* schools, travel, staff and scenario.json: what every job shares. */
cpd_scenario *cpd_load_common(const char *dir, cpd_diags *d);
/* The common files plus coaches.csv, previous.csv (optional) and pins.csv (optional). */
cpd_scenario *cpd_load_deploy(const char *dir, cpd_diags *d);

/* Writes a scenario (as generate makes it) as the CSV files and scenario.json that
 * cpd_load_deploy reads back to an equal scenario. Files are written whole or not at all. */
bool cpd_save_deploy(const char *dir, const cpd_scenario *s, cpd_diags *d);

/* What cpd_save_common writes besides schools.csv and staff.csv. */
enum {
    CPD_SAVE_FOCUS = 1,      /* staff.csv's focus column (the deploy job's) */
    CPD_SAVE_TRAVEL = 2,     /* travel.csv: the pairs that differ from the default minutes */
    CPD_SAVE_TRAVEL_SET = 4, /* the same, but only when some pair differs */
};
/* Writes the files every job shares into o: schools.csv, staff.csv and, as what asks,
 * travel.csv, so that cpd_load_common reads them back to s's schools, staff and travel (with
 * scenario.json's default minutes). False after adding an error. */
bool cpd_save_common(cpd_outset *o, const cpd_scenario *s, unsigned what, cpd_diags *d);

#endif
