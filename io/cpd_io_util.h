/* cpd_io_util.h — small helpers the io/ modules share, internal to io/ (cli/ never includes
 * it): a path in a folder, a whole file in memory, a folder's table read and bound, cells read
 * as a loader reads them (without the writer's spreadsheet quote, required, a name or its id, a
 * checked whole number), the ids an unknown-school message lists, and a job's own section of
 * scenario.json read again after the common loader has checked the file.
 *
 * Messages about a cell are added to the cpd_diags as "FILE:LINE:COL: ..." (COL 1-based), the
 * form every loader uses.
 *
 * Ownership: strings and buffers returned are the caller's to free(); a table returned is freed
 * with cpd_csv_free(&t); a cpd_io_settings is emptied with cpd_io_settings_clear. Cell texts
 * returned belong to their table. */
#ifndef CPD_IO_UTIL_H
#define CPD_IO_UTIL_H

#include "cpd_csv.h"
#include "cpd_err.h"
#include "cpd_scenario.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#define CPD_TRUST_ID "trust" /* the trust's central base, as the files name it */

/* An error or a warning at cell (r, c) of t. */
#define cpd_cell_error(d, t, r, c, ...)                                                            \
    cpd_error(d, cpd_csv_name(t), cpd_csv_line(t, r), (c) + 1, __VA_ARGS__)
#define cpd_cell_warn(d, t, r, c, ...)                                                             \
    cpd_warn(d, cpd_csv_name(t), cpd_csv_line(t, r), (c) + 1, __VA_ARGS__)

/* ---- files ---- */

/* "DIR/NAME" (no second '/' when dir ends in one; NAME alone when dir is empty). */
char *cpd_io_join(const char *dir, const char *name);

/* The whole file, NUL-terminated, its length in *len. NULL when it cannot be opened (*err is the
 * errno). A read that fails part way still returns what was read, with *err set (the errno, or
 * EIO); *err is 0 otherwise. */
char *cpd_io_slurp(const char *path, size_t *len, int *err);

/* Whether the file at path can be read: false when it is missing (quietly when optional, else
 * the error "cannot open: ...") or a folder (an error). */
bool cpd_io_present(const char *path, bool optional, cpd_diags *d);
/* DIR/NAME read as a table, messages naming it "DIR/NAME". NULL when it is absent (quietly when
 * optional, else "cannot open"), a folder, or not readable as CSV (errors added). */
cpd_csv *cpd_io_read_table(const char *dir, const char *name, bool optional, cpd_diags *d);
/* The same, with its columns bound by spec into idx (cpd_csv_bind); NULL when a required column
 * is missing. */
cpd_csv *cpd_io_open_table(const char *dir, const char *name, bool optional,
                           const cpd_csv_colspec *spec, size_t n, int *idx, cpd_diags *d);

/* ---- cells ---- */

/* v without the ' that the CSV writer (and a spreadsheet) puts before a leading =, +, - or @ to
 * stop it running as a formula: an input file's text reads back as it was saved. */
const char *cpd_io_text(const char *v);
/* v without the ' the writer puts before a leading =, +, -, @, tab or CR: a plan file this
 * program wrote, read back. */
const char *cpd_io_plan_text(const char *v);
/* cpd_io_text and cpd_io_plan_text of cell (r, c); "" when c < 0 (a column not given). */
const char *cpd_io_cell(const cpd_csv *t, size_t r, int c);
const char *cpd_io_plan_cell(const cpd_csv *t, size_t r, int c);

/* A required cell's text, or NULL after the error "WHAT is empty". */
const char *cpd_io_required(const cpd_csv *t, size_t r, int c, const char *what, cpd_diags *d);
/* A person's or school's name; the id stands in, with a warning, when the cell is empty. */
const char *cpd_io_name_or_id(const cpd_csv *t, size_t r, int c, const char *id, cpd_diags *d);
/* A whole number in [lo, hi] from an optional cell: def when the column is absent, the cell
 * empty, or the number bad (an error added then). */
int cpd_io_int_cell(const cpd_csv *t, size_t r, int c, const char *what, long lo, long hi, int def,
                    cpd_diags *d);
/* A copy of s with ASCII letters lower-cased. */
char *cpd_io_lower_dup(const char *s);

/* The items of l joined with sep between them ("" when there are none). */
char *cpd_io_join_list(const cpd_strlist *l, const char *sep);

/* "trust, SCH1, SCH2, …" (with_trust) or "SCH1, SCH2, …" for an unknown-school message: at most
 * eight ids, "…" after them when there are more, "none" when there are none. */
void cpd_io_known_schools(const cpd_scenario *s, bool with_trust, char *buf, size_t len);

/* ---- scenario.json, again ---- */

/* DIR/scenario.json read again for a job's own section ("inset", "onboard"): cpd_load_common
 * has already read it and reported its syntax, so nothing is reported here. */
typedef struct {
    char *path;       /* DIR/scenario.json, as messages name it */
    const char *text; /* the file after any UTF-8 byte-order mark; NULL when it cannot be read */
    cJSON *root;      /* its parse; NULL when the file is absent or not JSON */
    char *buf;        /* the file as read */
} cpd_io_settings;

void cpd_io_settings_read(cpd_io_settings *j, const char *dir);
void cpd_io_settings_clear(cpd_io_settings *j);

/* The "solver" keys scenario.json gives ("time_limit", "gap"), as s (read by cpd_load_common)
 * holds them, replace a job's own defaults; keys not given leave them. */
void cpd_io_take_solver(const cJSON *root, const cpd_scenario *s, double *time_limit, double *gap);

#endif
