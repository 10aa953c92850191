/* cpd_out.h — writing a plan's files whole or not at all, and the small pieces every plan writer
 * shares: HTML text and table cells for report.html, names cut or padded to a column for the
 * terminal. The files are written into a fresh folder beside the out folder (".OUT.new.PID.N")
 * and put in place only when every file of the set was written and closed without error: the
 * files of the out folder the set does not replace are hard-linked into it and the two folders
 * are exchanged in one rename (renameat2 RENAME_EXCHANGE), so a crash at any moment leaves the
 * out folder holding the previous plan or the new one, whole, never a mix. Where that cannot be
 * done (the out folder holds a subfolder or a link, is a link itself, its parent cannot be
 * written, or the file system cannot exchange) each file is renamed into place in turn, which
 * never leaves a partial file but may, if killed between two renames, leave a mix. A kill
 * before the exchange may leave the hidden staging folder beside the out folder.
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
/* Writes dir/name into the set: text and a final newline. False after adding an error. */
bool cpd_outset_text(cpd_outset *o, const char *name, const char *text, cpd_diags *d);
/* Flushes f, a file of the set opened as name, once it is all written; false after adding an
 * error ("writing NAME failed: ...") when that or an earlier write failed. */
bool cpd_outset_flushed(cpd_outset *o, FILE *f, const char *name, cpd_diags *d);

/* ---- report.html and the terminal ---- */

/* s as HTML text (also safe in a quoted attribute): & < > " ' escaped; NULL writes nothing. */
void cpd_html(FILE *f, const char *s);
/* Table cells: escaped text; a whole number; part/whole as a percentage with one decimal ("-"
 * when whole is not positive). Numbers are right-aligned (class n). */
void cpd_html_td(FILE *f, const char *s);
void cpd_html_td_int(FILE *f, int x);
void cpd_html_td_pct(FILE *f, double part, double whole);

/* s in exactly width characters (UTF-8 code points, not bytes: names are not all ASCII), cut
 * short or padded with spaces. */
void cpd_put_name(FILE *out, const char *s, int width);

#endif
