/* cpd_gap_io.c — the OR-Library generalized assignment reader: numbers read one by one with
 * their line and column, so a short or broken file is reported where it breaks. */
#include "cpd_gap_io.h"

#include "cpd_io_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GAP_MAX_SIDE 100000 /* agents or items in one instance: more is a broken header */

typedef struct {
    const char *path, *p;
    int line, col;
    cpd_diags *d;
} scanner;

/* ---- local ---- */

static void skip_space(scanner *s)
{
    for (; *s->p == ' ' || *s->p == '\t' || *s->p == '\r' || *s->p == '\n'; s->p++) {
        if (*s->p == '\n')
            s->line++, s->col = 1;
        else
            s->col++;
    }
}

/* The next number into *v; false (with a message) at the end of the file or on a non-number. */
static bool next(scanner *s, double *v, const char *what)
{
    skip_space(s);
    if (*s->p == '\0') {
        cpd_error(s->d, s->path, s->line, s->col, "the file ends where %s was expected", what);
        return false;
    }
    char *end;
    errno = 0;
    *v = strtod(s->p, &end);
    size_t n = strcspn(s->p, " \t\r\n");
    if (end != s->p + n || errno || !isfinite(*v)) {
        cpd_error(s->d, s->path, s->line, s->col, "expected %s, found '%.*s'", what,
                  (int)(n > 20 ? 20 : n), s->p);
        return false;
    }
    s->p = end;
    s->col += (int)n;
    return true;
}

/* A whole number in [lo, hi]. */
static bool next_int(scanner *s, int lo, int hi, int *v, const char *what)
{
    skip_space(s);
    int line = s->line, col = s->col;
    double x;
    if (!next(s, &x, what))
        return false;
    if (x != floor(x) || x < lo || x > hi) {
        cpd_error(s->d, s->path, line, col, "%s must be a whole number from %d to %d, not %g",
                  what, lo, hi, x);
        return false;
    }
    *v = (int)x;
    return true;
}

static bool read_array(scanner *s, double *a, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++)
        if (!next(s, &a[i], what))
            return false;
    return true;
}

static cpd_gap *read_instance(scanner *s, cpd_sense sense)
{
    int m, n;
    if (!next_int(s, 1, GAP_MAX_SIDE, &m, "the number of agents") ||
        !next_int(s, 1, GAP_MAX_SIDE, &n, "the number of items"))
        return NULL;
    cpd_gap *g = cpd_gap_new(m, n, sense);
    size_t mn = (size_t)m * (size_t)n;
    if (read_array(s, g->value, mn, sense == CPD_MAXIMIZE ? "a value" : "a cost") &&
        read_array(s, g->load, mn, "a load") && read_array(s, g->cap, (size_t)m, "a capacity"))
        return g;
    cpd_gap_free(&g);
    return NULL;
}

/* ---- interface ---- */

cpd_code cpd_gap_read(const char *path, cpd_sense sense, cpd_gap ***out, int *n, cpd_diags *d)
{
    *out = NULL;
    *n = 0;
    size_t len;
    int err;
    char *text = cpd_io_slurp(path, &len, &err);
    if (!text || err) {
        cpd_error(d, path, 0, 0, "cannot read: %s", strerror(err ? err : EIO));
        free(text);
        return CPD_EINPUT;
    }
    if (strlen(text) != len) {
        cpd_error(d, path, 0, 0, "not a text file (it holds a NUL byte)");
        free(text);
        return CPD_EINPUT;
    }
    scanner s = {.path = path, .p = text, .line = 1, .col = 1, .d = d};
    int count;
    bool ok = next_int(&s, 1, GAP_MAX_SIDE, &count, "the number of instances");
    cpd_gap **list = ok ? cpd_xcalloc((size_t)count, sizeof *list) : NULL;
    for (int i = 0; ok && i < count; i++)
        ok = (list[i] = read_instance(&s, sense)) != NULL;
    if (ok) {
        skip_space(&s);
        if (*s.p) {
            cpd_error(d, path, s.line, s.col, "text after the last of %d instances", count);
            ok = false;
        }
    }
    free(text);
    if (!ok) {
        cpd_gap_list_free(&list, count);
        return CPD_EINPUT;
    }
    *out = list;
    *n = count;
    return CPD_OK;
}

void cpd_gap_list_free(cpd_gap ***list, int n)
{
    if (!list || !*list)
        return;
    for (int i = 0; i < n; i++)
        cpd_gap_free(&(*list)[i]);
    free(*list);
    *list = NULL;
}
