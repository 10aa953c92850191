/* cpd_io_util.c — the io/ modules' shared helpers: paths, whole files, a folder's tables, cells
 * as loaders read them, and scenario.json read again for a job's own section. */
#include "cpd_io_util.h"

#include "cpd_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define KNOWN_MAX 8 /* ids listed in an unknown-school message */

/* ---- files ---- */

char *cpd_io_join(const char *dir, const char *name)
{
    size_t n = strlen(dir), len = n + strlen(name) + 2;
    char *p = cpd_xmalloc(len);
    snprintf(p, len, "%s%s%s", dir, n && dir[n - 1] != '/' ? "/" : "", name);
    return p;
}

char *cpd_io_slurp(const char *path, size_t *len, int *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    size_t cap = 4096, n = 0, got;
    char *buf = cpd_xmalloc(cap + 1);
    errno = 0;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0)
        if ((n += got) == cap)
            buf = cpd_xrealloc(buf, (cap *= 2) + 1);
    *err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool cpd_io_present(const char *path, bool optional, cpd_diags *d)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (!(optional && errno == ENOENT))
            cpd_error(d, path, 0, 0, "cannot open: %s", strerror(errno));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        cpd_error(d, path, 0, 0, "is a folder, expected a file");
        return false;
    }
    return true;
}

cpd_csv *cpd_io_read_table(const char *dir, const char *name, bool optional, cpd_diags *d)
{
    char *path = cpd_io_join(dir, name);
    cpd_csv *t = cpd_io_present(path, optional, d) ? cpd_csv_read(path, path, d) : NULL;
    free(path);
    return t;
}

cpd_csv *cpd_io_open_table(const char *dir, const char *name, bool optional,
                           const cpd_csv_colspec *spec, size_t n, int *idx, cpd_diags *d)
{
    cpd_csv *t = cpd_io_read_table(dir, name, optional, d);
    if (t && !cpd_csv_bind(t, spec, n, idx, d))
        cpd_csv_free(&t);
    return t;
}

/* ---- cells ---- */

static const char *unquote(const char *v, const char *marks)
{
    return v[0] == '\'' && v[1] && strchr(marks, v[1]) ? v + 1 : v;
}

const char *cpd_io_text(const char *v) { return unquote(v, "=+-@"); }

const char *cpd_io_plan_text(const char *v) { return unquote(v, "=+-@\t\r"); }

const char *cpd_io_cell(const cpd_csv *t, size_t r, int c)
{
    return c >= 0 ? cpd_io_text(cpd_csv_cell(t, r, c)) : "";
}

const char *cpd_io_plan_cell(const cpd_csv *t, size_t r, int c)
{
    return c >= 0 ? cpd_io_plan_text(cpd_csv_cell(t, r, c)) : "";
}

const char *cpd_io_required(const cpd_csv *t, size_t r, int c, const char *what, cpd_diags *d)
{
    const char *v = cpd_io_cell(t, r, c);
    if (!*v) {
        cpd_cell_error(d, t, r, c, "%s is empty", what);
        return NULL;
    }
    return v;
}

const char *cpd_io_name_or_id(const cpd_csv *t, size_t r, int c, const char *id, cpd_diags *d)
{
    const char *v = cpd_io_cell(t, r, c);
    if (*v)
        return v;
    cpd_cell_warn(d, t, r, c, "name is empty; the id '%s' is used", id);
    return id;
}

int cpd_io_int_cell(const cpd_csv *t, size_t r, int c, const char *what, long lo, long hi, int def,
                    cpd_diags *d)
{
    long v = def;
    if (c >= 0 && *cpd_csv_cell(t, r, c) && !cpd_csv_int(t, r, c, what, lo, hi, &v, d))
        v = def;
    return (int)v;
}

char *cpd_io_lower_dup(const char *s)
{
    char *p = cpd_strdup(s);
    for (char *q = p; *q; q++)
        if (*q >= 'A' && *q <= 'Z')
            *q = (char)(*q - 'A' + 'a');
    return p;
}

char *cpd_io_join_list(const cpd_strlist *l, const char *sep)
{
    size_t n = 1;
    for (int i = 0; i < l->n; i++)
        n += strlen(l->items[i]) + strlen(sep);
    char *s = cpd_xmalloc(n);
    s[0] = '\0';
    for (int i = 0; i < l->n; i++) {
        if (i)
            strcat(s, sep);
        strcat(s, l->items[i]);
    }
    return s;
}

void cpd_io_known_schools(const cpd_scenario *s, bool with_trust, char *buf, size_t len)
{
    size_t at = 0;
    int shown = 0, total = s->nschools + (with_trust ? 1 : 0);
    buf[0] = '\0';
    for (int i = with_trust ? -1 : 0; i < s->nschools && shown < KNOWN_MAX; i++, shown++) {
        const char *id = i < 0 ? CPD_TRUST_ID : s->schools[i].id;
        int n = snprintf(buf + at, len - at, "%s%s", shown ? ", " : "", id);
        if (n < 0 || (size_t)n >= len - at)
            return; /* cut short: no "…" after a cut id */
        at += (size_t)n;
    }
    if (total > KNOWN_MAX)
        snprintf(buf + at, len - at, ", …");
    else if (total == 0)
        snprintf(buf, len, "none");
}

/* ---- scenario.json, again ---- */

void cpd_io_settings_read(cpd_io_settings *j, const char *dir)
{
    size_t len = 0;
    int err;
    *j = (cpd_io_settings){.path = cpd_io_join(dir, "scenario.json")};
    j->buf = cpd_io_slurp(j->path, &len, &err);
    if (!j->buf)
        return;
    size_t bom = cpd_json_bom(j->buf, len);
    j->text = j->buf + bom;
    j->root = cJSON_ParseWithLength(j->text, len - bom);
}

void cpd_io_settings_clear(cpd_io_settings *j)
{
    cJSON_Delete(j->root);
    free(j->buf);
    free(j->path);
    *j = (cpd_io_settings){0};
}

void cpd_io_take_solver(const cJSON *root, const cpd_scenario *s, double *time_limit, double *gap)
{
    const cJSON *solver = cJSON_GetObjectItemCaseSensitive(root, "solver");
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(solver, "time_limit")))
        *time_limit = s->params.time_limit;
    if (cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(solver, "gap")))
        *gap = s->params.gap;
}
