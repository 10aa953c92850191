/* cpd_templates.h — template input files for a job: each file's header and one example row,
 * and scenario.json with the defaults, as `cpdplan init JOB DIR` writes them.
 *
 * Ownership: nothing is returned that needs freeing. Files are written whole or not at all
 * (cpd_out); an existing file is never overwritten. */
#ifndef CPD_TEMPLATES_H
#define CPD_TEMPLATES_H

#include "cpd_err.h"

#include <stdbool.h>
#include <stdio.h>

/* Writes deploy's templates into dir (created if missing): schools.csv, travel.csv, staff.csv,
 * coaches.csv, previous.csv, pins.csv and scenario.json. Returns CPD_OK; CPD_EINPUT when any of
 * them already exists (an error names each one, nothing is written); CPD_EINTERNAL when
 * writing failed (nothing is left behind). */
cpd_code cpd_write_deploy_templates(const char *dir, cpd_diags *d);

/* Writes inset's templates into dir, the same way: schools.csv, staff.csv, workshops.csv,
 * preferences.csv (wide, as a form tool exports it), pins.csv and scenario.json with the
 * "inset" settings. */
cpd_code cpd_write_inset_templates(const char *dir, cpd_diags *d);

/* Writes onboard's templates into dir, the same way: schools.csv (one joining school),
 * staff.csv, travel.csv, activities.csv (the trust's model programme, ready to edit),
 * resources.csv (the shared people) and scenario.json with the "onboard" settings. */
cpd_code cpd_write_onboard_templates(const char *dir, cpd_diags *d);

/* README.txt of JOB's templates ("deploy", "inset", "onboard"): every column of every template
 * file, required ones marked *, and scenario.json's settings, in plain words within 78 columns.
 * False for another job or when writing to f failed. Every template also writes it. */
bool cpd_templates_readme(FILE *f, const char *job);

#endif
