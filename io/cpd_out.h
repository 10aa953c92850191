/* cpd_out.h — writing a plan's files whole or not at all. Each file is written to a temporary
 * name in the out folder and renamed into place only when every file of the set was written
 * and closed without error, so a crash never leaves half a plan.
 *
 * Ownership: cpd_outset_new returns a set the caller ends with cpd_outset_commit or
 * cpd_outset_abort (both free it and set the pointer to NULL). FILE pointers handed out belong
 * to the set. */
#ifndef CPD_OUT_H
#define CPD_OUT_H

#include "cpd_csv.h"
#include "cpd_err.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct cpd_outset cpd_outset;

/* Creates dir (and its parents) if missing. Returns NULL after adding an error. */
cpd_outset *cpd_outset_new(const char *dir, cpd_diags *d);
/* Opens dir/name for writing under a temporary name. NULL after adding an error. */
FILE *cpd_outset_open(cpd_outset *o, const char *name, cpd_diags *d);
/* Flushes, syncs and closes every file, then renames each into place. On any failure removes
 * every temporary file, adds an error and returns false. */
bool cpd_outset_commit(cpd_outset **o, cpd_diags *d);
/* Closes and removes every temporary file. */
void cpd_outset_abort(cpd_outset **o);
const char *cpd_outset_dir(const cpd_outset *o);

/* Writes dir/name into the set as CSV: the header row, then what rows writes with ctx. Returns
 * false after adding an error when a write failed. */
typedef void (*cpd_csv_rows_fn)(cpd_csvw *w, const void *ctx);
bool cpd_outset_csv(cpd_outset *o, const char *name, const char *const *header,
                    cpd_csv_rows_fn rows, const void *ctx, cpd_diags *d);
/* Commits the set when ok, else aborts it; true when the files are in place. */
bool cpd_outset_finish(cpd_outset **o, bool ok, cpd_diags *d);

#endif
