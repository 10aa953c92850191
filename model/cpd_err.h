/* cpd_err.h — errors and diagnostics that travel up to the one place that prints them.
 *
 * Ownership: a cpd_diags owns copies of every string added to it; cpd_diags_free releases
 * them and sets the caller's pointer to NULL. Nothing here prints unless asked to.
 *
 * A diagnostic is GNU-formatted when printed: "FILE:LINE:COL: [warning: ]MESSAGE". LINE and COL
 * are 1-based; COL is the field number in a CSV row (what a spreadsheet user can find). A 0 line
 * or column is left out of the printed form. */
#ifndef CPD_ERR_H
#define CPD_ERR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

/* Exit statuses of the command line, also the error codes of the library. */
typedef enum {
    CPD_OK = 0,
    CPD_ENOPLAN = 1,   /* no plan exists (contradicting pins, ...) */
    CPD_EINPUT = 2,    /* bad usage or bad input: nothing is written */
    CPD_EINTERNAL = 3  /* internal or solver failure */
} cpd_code;

typedef enum { CPD_SEV_ERROR, CPD_SEV_WARNING, CPD_SEV_NOTE } cpd_severity;

typedef struct {
    cpd_severity sev;
    char *file;      /* may be NULL */
    int line, col;   /* 0 = not known */
    char *msg;
} cpd_diag;

typedef struct cpd_diags cpd_diags;

cpd_diags *cpd_diags_new(void);
void cpd_diags_free(cpd_diags **d);

/* Adds one diagnostic; printf-style message. */
void cpd_diags_add(cpd_diags *d, cpd_severity sev, const char *file, int line, int col,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void cpd_diags_vadd(cpd_diags *d, cpd_severity sev, const char *file, int line, int col,
                    const char *fmt, va_list ap);
#define cpd_error(d, file, line, col, ...) cpd_diags_add(d, CPD_SEV_ERROR, file, line, col, __VA_ARGS__)
#define cpd_warn(d, file, line, col, ...) cpd_diags_add(d, CPD_SEV_WARNING, file, line, col, __VA_ARGS__)

size_t cpd_diags_len(const cpd_diags *d);
size_t cpd_diags_errors(const cpd_diags *d);   /* how many of severity error */
const cpd_diag *cpd_diags_get(const cpd_diags *d, size_t i);

/* Prints every diagnostic in the order added, one per line, GNU form. */
void cpd_diags_print(const cpd_diags *d, FILE *out);
/* Formats one diagnostic into buf (always NUL-terminated). */
void cpd_diag_format(const cpd_diag *g, char *buf, size_t len);

/* Small shared helpers: strdup that aborts on out-of-memory, and checked allocation. */
char *cpd_strdup(const char *s);
void *cpd_xmalloc(size_t n);
void *cpd_xcalloc(size_t n, size_t size);
void *cpd_xrealloc(void *p, size_t n);
/* arr (holding n elements of size bytes) made room for one more: reallocated to double its
 * length when n is 0 or a power of two, so n appends cost O(n) copying. Returns the array. */
void *cpd_grow(void *arr, int n, size_t size);
/* Appends printf-style text to the heap string *out (NULL for an empty one), growing it. */
void cpd_strcatf(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
