/* cpd_err.c — the diagnostics list and the allocation helpers every layer uses. */
#include "cpd_err.h"

#include <stdlib.h>
#include <string.h>

struct cpd_diags {
    cpd_diag *items;
    size_t len, cap, errors;
};

void *cpd_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("cpdplan: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *cpd_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("cpdplan: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *cpd_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("cpdplan: out of memory\n", stderr);
        abort();
    }
    return q;
}

void *cpd_grow(void *arr, int n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0)
        arr = cpd_xrealloc(arr, (size_t)(n ? 2 * n : 1) * size);
    return arr;
}

char *cpd_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(cpd_xmalloc(n), s, n);
}

void cpd_strcatf(char **out, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    size_t old = *out ? strlen(*out) : 0;
    *out = cpd_xrealloc(*out, old + (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(*out + old, (size_t)n + 1, fmt, ap);
    va_end(ap);
}

cpd_diags *cpd_diags_new(void) { return cpd_xcalloc(1, sizeof(cpd_diags)); }

void cpd_diags_free(cpd_diags **d)
{
    if (!d || !*d)
        return;
    for (size_t i = 0; i < (*d)->len; i++) {
        free((*d)->items[i].file);
        free((*d)->items[i].msg);
    }
    free((*d)->items);
    free(*d);
    *d = NULL;
}

void cpd_diags_vadd(cpd_diags *d, cpd_severity sev, const char *file, int line, int col,
                    const char *fmt, va_list ap)
{
    if (!d)
        return;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    char *msg = cpd_xmalloc((size_t)(n < 0 ? 0 : n) + 1);
    vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
    if (d->len == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 16;
        d->items = cpd_xrealloc(d->items, d->cap * sizeof(cpd_diag));
    }
    d->items[d->len++] = (cpd_diag){sev, cpd_strdup(file), line, col, msg};
    if (sev == CPD_SEV_ERROR)
        d->errors++;
}

void cpd_diags_add(cpd_diags *d, cpd_severity sev, const char *file, int line, int col,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cpd_diags_vadd(d, sev, file, line, col, fmt, ap);
    va_end(ap);
}

size_t cpd_diags_len(const cpd_diags *d) { return d ? d->len : 0; }
size_t cpd_diags_errors(const cpd_diags *d) { return d ? d->errors : 0; }

const cpd_diag *cpd_diags_get(const cpd_diags *d, size_t i)
{
    return d && i < d->len ? &d->items[i] : NULL;
}

void cpd_diag_format(const cpd_diag *g, char *buf, size_t len)
{
    static const char *const sev[] = {"", "warning: ", "note: "};
    size_t at = 0;
    int n = 0;
    if (g->file) {
        if (g->line > 0 && g->col > 0)
            n = snprintf(buf, len, "%s:%d:%d: ", g->file, g->line, g->col);
        else if (g->line > 0)
            n = snprintf(buf, len, "%s:%d: ", g->file, g->line);
        else
            n = snprintf(buf, len, "%s: ", g->file);
    } else if (len) {
        buf[0] = '\0';
    }
    at = n < 0 ? 0 : (size_t)n;
    if (at < len)
        snprintf(buf + at, len - at, "%s%s", sev[g->sev], g->msg);
}

void cpd_diags_print(const cpd_diags *d, FILE *out)
{
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        cpd_diag_format(&d->items[i], buf, sizeof buf);
        fprintf(out, "%s\n", buf);
    }
}
