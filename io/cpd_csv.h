/* cpd_csv.h — reading CSV tables (on libcsv) with positions for every cell, binding columns by
 * header name, strict cell parsing; and a spreadsheet-safe CSV writer.
 *
 * Reading: UTF-8 with or without a byte-order mark, comma separated, RFC 4180 quoting (commas,
 * quotes and newlines inside quotes), LF or CRLF. Header names are matched trimmed and
 * case-insensitively. Every problem is added to the cpd_diags as "FILE:LINE:COL: ..." where COL
 * is the 1-based field number; reading goes on after a problem so all are reported at once.
 *
 * Ownership: cpd_csv_read returns a table the caller frees with cpd_csv_free(&t); cell strings
 * belong to the table. cpd_csvw_open returns a writer on a FILE the caller still owns. */
#ifndef CPD_CSV_H
#define CPD_CSV_H

#include "cpd_err.h"
#include "cpd_scenario.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct cpd_csv cpd_csv;

/* Reads path; name is how messages call the file (e.g. "trust/staff.csv"). Returns NULL after
 * adding an error when the file cannot be read, is empty, holds a NUL byte (binary) or is not
 * valid CSV/UTF-8 at some line. Blank lines are skipped. */
cpd_csv *cpd_csv_read(const char *path, const char *name, cpd_diags *d);
/* Parses text already in memory (for tests and generated data). */
cpd_csv *cpd_csv_parse(const char *text, size_t len, const char *name, cpd_diags *d);
void cpd_csv_free(cpd_csv **t);

const char *cpd_csv_name(const cpd_csv *t);
int cpd_csv_ncols(const cpd_csv *t);           /* header fields */
const char *cpd_csv_header(const cpd_csv *t, int col);
size_t cpd_csv_nrows(const cpd_csv *t);        /* data rows, header excluded */
/* A cell, trimmed of surrounding spaces; "" when the row is short. col is 0-based. */
const char *cpd_csv_cell(const cpd_csv *t, size_t row, int col);
int cpd_csv_line(const cpd_csv *t, size_t row); /* 1-based line where the row starts */
int cpd_csv_col(const cpd_csv *t, const char *name); /* 0-based header index, or -1 */

/* A column a loader wants: its header name and whether it is required. */
typedef struct {
    const char *name;
    bool required;
} cpd_csv_colspec;

/* Looks up every column of spec, writing its 0-based index (or -1) into idx[i]. A missing
 * required column is an error (line 1); a header not in spec is a warning ("unknown column
 * 'email' ignored"); a header given twice is an error. Returns false on any error. */
bool cpd_csv_bind(const cpd_csv *t, const cpd_csv_colspec *spec, size_t n, int *idx,
                  cpd_diags *d);

/* Strict parsing of a cell: the whole trimmed text must be the number, in [lo, hi]. On failure
 * adds "FILE:LINE:COL: WHAT must be ... (got 'TEXT')" and returns false. */
bool cpd_csv_double(const cpd_csv *t, size_t row, int col, const char *what, double lo,
                    double hi, double *out, cpd_diags *d);
bool cpd_csv_int(const cpd_csv *t, size_t row, int col, const char *what, long lo, long hi,
                 long *out, cpd_diags *d);
/* yes/no, true/false, 1/0, y/n (any case); empty gives def. */
bool cpd_csv_bool(const cpd_csv *t, size_t row, int col, const char *what, bool def, bool *out,
                  cpd_diags *d);
/* Splits a ';'-separated list cell into l (items trimmed, empty items dropped, lower-cased when
 * lower is true). */
void cpd_csv_list(const cpd_csv *t, size_t row, int col, bool lower, cpd_strlist *l);

/* Whether text is UTF-16, as spreadsheets and Windows tools save "Unicode text": a UTF-16
 * byte-order mark (*bom set), or none but its first characters each an ASCII byte beside a NUL
 * byte (*bom cleared). Shared with the JSON reader. */
bool cpd_text_utf16(const char *text, size_t len, bool *bom);

/* Strict number parsing of a plain string, shared with the JSON reader. */
bool cpd_parse_double(const char *s, double *out);
bool cpd_parse_long(const char *s, long *out);

/* ---- writing ---- */
typedef struct cpd_csvw cpd_csvw;

cpd_csvw *cpd_csvw_open(FILE *f);
/* Closes the writer (not the FILE); returns false if any write failed. */
bool cpd_csvw_close(cpd_csvw **w);
/* A text cell: quoted when it holds a comma, quote or newline; a cell that a spreadsheet would
 * read as a formula (starting with =, +, - or @, or a tab or CR) is prefixed with a '. */
void cpd_csvw_str(cpd_csvw *w, const char *s);
/* A number, written with up to 6 significant decimals and no trailing zeros ("2.5", "3"). */
void cpd_csvw_num(cpd_csvw *w, double v);
void cpd_csvw_int(cpd_csvw *w, long v);
/* A number written so that it reads back to the same double (%.15g, or %.17g when that would
 * not), for files that are read back, not looked at: generated travel minutes and hours. */
void cpd_csvw_exact(cpd_csvw *w, double v);
/* A list cell: the items joined with ';', as cpd_csv_list splits it again. */
void cpd_csvw_list(cpd_csvw *w, const cpd_strlist *l);
void cpd_csvw_end_row(cpd_csvw *w);
/* A whole header row from a NULL-terminated list. */
void cpd_csvw_header(cpd_csvw *w, const char *const *names);

#endif
