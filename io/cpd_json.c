/* cpd_json.c — scenario.json read and written through one table of keys, plus JSON output helpers.
 *
 * scenario.json (every key optional; defaults from cpd_deploy_params_default):
 *   "name"                    string   the scenario's name, shown in reports (default: the folder)
 *   "travel_default_minutes"  0..600   one way, for school pairs missing from travel.csv (30)
 *   "deploy": {
 *     "need_hours":  {"light", "standard", "intensive"}  0..40 hours a week of coaching (1, 2, 3)
 *     "need_weight": {"light", "standard", "intensive"}  0..1e6 value of meeting a need (100, 300, 1000)
 *     "mentoring_hours", "senior_hours"       0..40   an ECT's weekly mentor / senior-leader time (1, 0.5)
 *     "mentoring_weight", "senior_weight"     0..1e6  value of an ECT's mentor / senior leader (800, 500)
 *     "subject_weight"           0..1e6  coach and teacher share a subject (20)
 *     "focus_weight"             0..1e6  per focus area the coach's expertise meets (10)
 *     "continuity_weight"        0..1e6  keeping last term's pair (15)
 *     "travel_weight_per_minute" 0..1e6  cost per minute of weekly round trip (0.1)
 *     "ect_extra_penalty"        0..1e6  per ECT beyond a mentor's soft limit (50)
 *     "mentor_max_ects"          1..1000 a mentor's soft limit of ECTs (1)
 *     "mentor_same_school"       bool    the mentor works in the ECT's school (true)
 *     "senior_same_school"       bool    the senior leader is based in the ECT's school (true)
 *     "subject_fit_required"     bool    coaching only within a shared subject (true)
 *     "max_changes"              -1..1e6 last term's pairs that may be broken; -1 any (-1)
 *   },
 *   "solver": { "time_limit": 0..1e6 seconds, 0 none (60); "gap": 0..1 relative (0) }
 * Top-level "inset", "onboard", "start_date" and "description" are accepted for other jobs;
 * any other key is a warning. */
#include "cpd_json.h"

#include "cpd_io_util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* ---- local: the key table ---- */

#define MAXW 1e6

typedef enum { F_NUM, F_INT, F_BOOL, F_LEVELS, F_OBJECT } fkind;

typedef struct field field;
struct field {
    const char *key;
    fkind kind;
    double lo, hi;        /* F_NUM, F_INT, and each level of F_LEVELS */
    size_t off;           /* in cpd_deploy_params (F_LEVELS: of the array) */
    const field *sub;     /* F_OBJECT: its keys, ending with a NULL key */
};

#define P(m) offsetof(cpd_deploy_params, m)

/* Fields are reached by offset; memcpy keeps that free of type-punned pointers. */
static void put_double(char *base, size_t off, double v) { memcpy(base + off, &v, sizeof v); }
static void put_int(char *base, size_t off, int v) { memcpy(base + off, &v, sizeof v); }
static void put_bool(char *base, size_t off, bool v) { memcpy(base + off, &v, sizeof v); }

static double get_double(const char *base, size_t off)
{
    double v;
    memcpy(&v, base + off, sizeof v);
    return v;
}

static int get_int(const char *base, size_t off)
{
    int v;
    memcpy(&v, base + off, sizeof v);
    return v;
}

static bool get_bool(const char *base, size_t off)
{
    bool v;
    memcpy(&v, base + off, sizeof v);
    return v;
}

static const field deploy_keys[] = {
    {"need_hours", F_LEVELS, 0, 40, P(need_hours), NULL},
    {"need_weight", F_LEVELS, 0, MAXW, P(need_weight), NULL},
    {"mentoring_hours", F_NUM, 0, 40, P(service_hours[CPD_SERVICE_MENTORING]), NULL},
    {"senior_hours", F_NUM, 0, 40, P(service_hours[CPD_SERVICE_SENIOR]), NULL},
    {"mentoring_weight", F_NUM, 0, MAXW, P(service_weight[CPD_SERVICE_MENTORING]), NULL},
    {"senior_weight", F_NUM, 0, MAXW, P(service_weight[CPD_SERVICE_SENIOR]), NULL},
    {"subject_weight", F_NUM, 0, MAXW, P(subject_weight), NULL},
    {"focus_weight", F_NUM, 0, MAXW, P(focus_weight), NULL},
    {"continuity_weight", F_NUM, 0, MAXW, P(continuity_weight), NULL},
    {"travel_weight_per_minute", F_NUM, 0, MAXW, P(travel_weight), NULL},
    {"ect_extra_penalty", F_NUM, 0, MAXW, P(ect_extra_penalty), NULL},
    {"mentor_max_ects", F_INT, 1, 1000, P(mentor_soft_max_ects), NULL},
    {"mentor_same_school", F_BOOL, 0, 0, P(mentor_same_school), NULL},
    {"senior_same_school", F_BOOL, 0, 0, P(senior_same_school), NULL},
    {"subject_fit_required", F_BOOL, 0, 0, P(subject_fit_required), NULL},
    {"max_changes", F_INT, -1, 1000000, P(max_changes), NULL},
    {NULL, F_NUM, 0, 0, 0, NULL},
};

static const field solver_keys[] = {
    {"time_limit", F_NUM, 0, 1e6, P(time_limit), NULL},
    {"gap", F_NUM, 0, 1, P(gap), NULL},
    {NULL, F_NUM, 0, 0, 0, NULL},
};

/* "name" is handled apart: it is the scenario's, not a parameter. */
static const field top_keys[] = {
    {"travel_default_minutes", F_NUM, 0, 600, P(default_travel_minutes), NULL},
    {"deploy", F_OBJECT, 0, 0, 0, deploy_keys},
    {"solver", F_OBJECT, 0, 0, 0, solver_keys},
    {NULL, F_NUM, 0, 0, 0, NULL},
};

/* Keys other jobs read; accepted here without a warning. */
static const char *const other_jobs_keys[] = {"inset", "onboard", "start_date", "description"};

static const char *const level_keys[CPD_NEED_COUNT] = {NULL, "light", "standard", "intensive"};

/* ---- local: reading ---- */

typedef struct {
    const char *text; /* the file, to find a key's line */
    const char *name;
    cpd_diags *d;
    bool ok;
} jctx;

static void fmt_bound(char *buf, size_t len, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%g", v);
}

/* "scenario.json:7:22: deploy.need_hours.light must be ...", pointing at the value */
static void key_error(jctx *j, const char *path, const char *what)
{
    int line, col;
    cpd_json_value_pos(j->text, path, NULL, &line, &col);
    cpd_error(j->d, j->name, line, col, "%s %s", path, what);
    j->ok = false;
}

static void set_number(jctx *j, const cJSON *v, const char *path, const field *f, char *base)
{
    char lo[32], hi[32];
    fmt_bound(lo, sizeof lo, f->lo);
    fmt_bound(hi, sizeof hi, f->hi);
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    bool whole = f->kind == F_INT;
    if (!isfinite(x) || x < f->lo || x > f->hi || (whole && x != floor(x))) {
        char what[128];
        snprintf(what, sizeof what, "must be a %s from %s to %s", whole ? "whole number" : "number",
                 lo, hi);
        key_error(j, path, what);
        return;
    }
    if (whole)
        put_int(base, f->off, (int)x);
    else
        put_double(base, f->off, x);
}

static void read_object(jctx *j, const cJSON *obj, const char *prefix, const field *keys,
                        char *base);

static void read_levels(jctx *j, const cJSON *v, const char *path, const field *f, char *base)
{
    field lv[CPD_NEED_COUNT];
    int n = 0;
    for (int l = CPD_NEED_LIGHT; l < CPD_NEED_COUNT; l++)
        lv[n++] = (field){level_keys[l], F_NUM, f->lo, f->hi, f->off + (size_t)l * sizeof(double),
                          NULL};
    lv[n] = (field){NULL, F_NUM, 0, 0, 0, NULL};
    read_object(j, v, path, lv, base);
}

static void read_field(jctx *j, const cJSON *v, const char *path, const field *f, char *base)
{
    switch (f->kind) {
    case F_NUM:
    case F_INT:
        set_number(j, v, path, f, base);
        break;
    case F_BOOL:
        if (cJSON_IsBool(v))
            put_bool(base, f->off, cJSON_IsTrue(v));
        else
            key_error(j, path, "must be true or false");
        break;
    case F_LEVELS:
        read_levels(j, v, path, f, base);
        break;
    case F_OBJECT:
        read_object(j, v, path, f->sub, base);
        break;
    }
}

static bool is_other_jobs_key(const char *k)
{
    for (size_t i = 0; i < sizeof other_jobs_keys / sizeof *other_jobs_keys; i++)
        if (strcmp(k, other_jobs_keys[i]) == 0)
            return true;
    return false;
}

static bool seen_before(const cJSON *obj, const cJSON *item)
{
    for (const cJSON *c = obj->child; c && c != item; c = c->next)
        if (strcmp(c->string, item->string) == 0)
            return true;
    return false;
}

/* Reads obj's keys by the table; prefix is the path so far ("" at the top). */
static void read_object(jctx *j, const cJSON *obj, const char *prefix, const field *keys,
                        char *base)
{
    if (!cJSON_IsObject(obj)) {
        if (*prefix)
            key_error(j, prefix, "must be an object {...}");
        return;
    }
    for (const cJSON *c = obj->child; c; c = c->next) {
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "", c->string);
        int line, col;
        cpd_json_key_pos(j->text, path, &line, &col);
        if (seen_before(obj, c))
            cpd_warn(j->d, j->name, line, col, "%s given twice; the last is used", path);
        const field *f = keys;
        while (f->key && strcmp(f->key, c->string) != 0)
            f++;
        if (f->key)
            read_field(j, c, path, f, base);
        else if (!*prefix && strcmp(c->string, "name") == 0)
            ; /* read by the caller */
        else if (!(!*prefix && is_other_jobs_key(c->string)))
            cpd_warn(j->d, j->name, line, col, "unknown key '%s' ignored", path);
    }
}

/* The file's text; NULL after an error when it cannot be opened or read. */
static char *read_text(const char *path, size_t *len, cpd_diags *d, const char *name)
{
    int err;
    char *buf = cpd_io_slurp(path, len, &err);
    if (buf && !err)
        return buf;
    if (buf)
        cpd_error(d, name, 0, 0, "cannot read");
    else
        cpd_error(d, name, 0, 0, "cannot open: %s", strerror(err));
    free(buf);
    return NULL;
}

static void syntax_error(jctx *j, const char *start, size_t len, const char *err)
{
    size_t off = err && err >= start && err <= start + len ? (size_t)(err - start) : len;
    while (off < len && strchr(" \t\r\n", start[off]))
        off++;
    /* cJSON points at the value it could not finish; with no closing bracket after it, the
     * file simply stops too soon, and its end is the place to look. */
    if (!memchr(start + off, '}', len - off) && !memchr(start + off, ']', len - off)) {
        int col, line = cpd_json_line_at(start, len, &col);
        cpd_error(j->d, j->name, line, col, "not valid JSON: the file ends early (a } or ] "
                                            "missing?)");
    } else {
        int col, line = cpd_json_line_at(start, off, &col);
        size_t n = strcspn(start + off, "\r\n");
        cpd_error(j->d, j->name, line, col, "not valid JSON near '%.*s'", (int)(n > 20 ? 20 : n),
                  start + off);
    }
    j->ok = false;
}

static cJSON *parse(jctx *j, const char *text, size_t len)
{
    bool utf16_bom;
    if (cpd_text_utf16(text, len, &utf16_bom)) {
        cpd_error(j->d, j->name, 0, 0, "UTF-16 file%s, expected UTF-8 JSON (save it as UTF-8)",
                  utf16_bom ? "" : " (no byte-order mark)");
        return NULL;
    }
    if (memchr(text, '\0', len)) {
        cpd_error(j->d, j->name, 0, 0, "binary file (a NUL byte), expected JSON");
        return NULL;
    }
    size_t bom = cpd_json_bom(text, len);
    text += bom, len -= bom;
    j->text = text;
    if (strspn(text, " \t\r\n") == len) {
        cpd_error(j->d, j->name, 0, 0, "empty file, expected a JSON object (at least {})");
        return NULL;
    }
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, false);
    if (root && end && strspn(end, " \t\r\n") != strlen(end)) {
        size_t at = (size_t)(end - text) + strspn(end, " \t\r\n");
        int col, line = cpd_json_line_at(text, at, &col);
        cpd_error(j->d, j->name, line, col, "not valid JSON: text after the end of the object");
        j->ok = false;
        cJSON_Delete(root);
        return NULL;
    }
    if (!root)
        syntax_error(j, text, len, end ? end : cJSON_GetErrorPtr());
    return root;
}

/* ---- interface ---- */

bool cpd_json_read_scenario(const char *path, const char *name, cpd_scenario *s, cpd_diags *d)
{
    jctx j = {.name = name ? name : path, .d = d, .ok = true};
    size_t len = 0;
    char *text = read_text(path, &len, d, j.name);
    if (!text)
        return false;
    cJSON *root = parse(&j, text, len);
    if (root && !cJSON_IsObject(root)) {
        cpd_error(d, j.name, 1, 0, "must be a JSON object {...}");
        j.ok = false;
    } else if (root) {
        cpd_deploy_params p = s->params;
        read_object(&j, root, "", top_keys, (char *)&p);
        const cJSON *nm = cJSON_GetObjectItemCaseSensitive(root, "name");
        if (nm && !cJSON_IsString(nm))
            key_error(&j, "name", "must be a string");
        else if (nm) {
            free(s->name);
            s->name = cpd_strdup(nm->valuestring);
        }
        s->params = p;
    }
    cJSON_Delete(root);
    free(text);
    return j.ok && root;
}

static cJSON *object_of(const field *keys, const char *base)
{
    cJSON *o = cJSON_CreateObject();
    for (const field *f = keys; f->key; f++) {
        switch (f->kind) {
        case F_NUM:
            cJSON_AddNumberToObject(o, f->key, get_double(base, f->off));
            break;
        case F_INT:
            cJSON_AddNumberToObject(o, f->key, get_int(base, f->off));
            break;
        case F_BOOL:
            cJSON_AddBoolToObject(o, f->key, get_bool(base, f->off));
            break;
        case F_LEVELS: {
            cJSON *lv = cJSON_AddObjectToObject(o, f->key);
            for (int l = CPD_NEED_LIGHT; l < CPD_NEED_COUNT; l++)
                cJSON_AddNumberToObject(lv, level_keys[l],
                                        get_double(base, f->off + (size_t)l * sizeof(double)));
            break;
        }
        case F_OBJECT:
            cJSON_AddItemToObject(o, f->key, object_of(f->sub, base));
            break;
        }
    }
    return o;
}

cJSON *cpd_json_scenario_object(const cpd_scenario *s)
{
    cJSON *o = cJSON_CreateObject();
    if (s->name)
        cJSON_AddStringToObject(o, "name", s->name);
    cJSON *rest = object_of(top_keys, (const char *)&s->params);
    while (rest->child) {
        cJSON *c = cJSON_DetachItemViaPointer(rest, rest->child);
        cJSON_AddItemToObject(o, c->string, c); /* copies the key before freeing c's */
    }
    cJSON_Delete(rest);
    return o;
}

double cpd_json_round(double v, int decimals)
{
    if (!isfinite(v) || fabs(v) > 1e12)
        return v;
    double m = pow(10, decimals);
    double r = round(v * m) / m;
    return r == 0 ? 0.0 : r;
}

void cpd_json_add_num(cJSON *obj, const char *key, double v, int decimals)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(obj, key, cpd_json_round(v, decimals));
    else
        cJSON_AddNullToObject(obj, key);
}

bool cpd_json_write(FILE *f, const cJSON *j)
{
    char *text = cJSON_Print(j);
    if (!text)
        return false;
    bool ok = fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    cJSON_free(text);
    return ok;
}

char *cpd_json_take_text(cJSON *j)
{
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    /* cJSON allocates with malloc by default; the copy keeps "caller frees with free()" true
     * whatever hooks are installed. */
    char *out = cpd_strdup(text ? text : "{}");
    cJSON_free(text);
    return out;
}

bool cpd_json_save(cpd_outset *o, const char *name, const cJSON *j, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, name, d);
    if (!f)
        return false;
    bool ok = cpd_json_write(f, j);
    if (!ok)
        cpd_error(d, cpd_outset_dir(o), 0, 0, "writing %s failed", name);
    return ok;
}

void cpd_json_set_solver(cJSON *j, double time_limit, double gap)
{
    cJSON *solver = cJSON_GetObjectItemCaseSensitive(j, "solver");
    if (!solver)
        solver = cJSON_AddObjectToObject(j, "solver");
    cJSON_DeleteItemFromObjectCaseSensitive(solver, "time_limit");
    cJSON_DeleteItemFromObjectCaseSensitive(solver, "gap");
    cJSON_AddNumberToObject(solver, "time_limit", time_limit);
    cJSON_AddNumberToObject(solver, "gap", gap);
}

size_t cpd_json_bom(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

const char *cpd_json_key_at(const char *text, const char *path)
{
    const char *at = text, *found = NULL;
    while (*path) {
        size_t n = strcspn(path, ".");
        const char *hit = NULL;
        for (const char *q = at; !hit && (q = strchr(q, '"')) != NULL; q++) {
            const char *c = q + n + 2;
            if (strncmp(q + 1, path, n) == 0 && q[n + 1] == '"' &&
                *(c += strspn(c, " \t\r\n")) == ':')
                hit = q;
        }
        if (!hit)
            break;
        found = hit;
        at = hit + n + 2;
        path += n + (path[n] == '.');
    }
    return found;
}

int cpd_json_line_at(const char *text, size_t off, int *col)
{
    int line = 1;
    size_t bol = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n')
            line++, bol = i + 1;
    if (col)
        *col = (int)(off - bol) + 1;
    return line;
}

void cpd_json_key_pos(const char *text, const char *path, int *line, int *col)
{
    const char *k = text ? cpd_json_key_at(text, path) : NULL;
    *line = *col = 0;
    if (k)
        *line = cpd_json_line_at(text, (size_t)(k - text), col);
}

void cpd_json_value_pos(const char *text, const char *path, const char *item, int *line, int *col)
{
    *line = *col = 0;
    const char *k = text ? cpd_json_key_at(text, path) : NULL;
    if (!k)
        return;
    const char *v = strchr(k + 1, '"'); /* the key's closing quote */
    v = v ? strchr(v, ':') : NULL;
    v = v ? v + 1 + strspn(v + 1, " \t\r\n") : k;
    if (item) {
        size_t n = strlen(item) + 3;
        char *quoted = cpd_xmalloc(n);
        snprintf(quoted, n, "\"%s\"", item);
        const char *hit = strstr(v, quoted);
        v = hit ? hit : v;
        free(quoted);
    }
    *line = cpd_json_line_at(text, (size_t)(v - text), col);
}

const char *cpd_json_status(const cpd_solve_result *r, bool any)
{
    if (!r)
        return "no_plan";
    switch (r->status) {
    case CPD_SOLVE_OPTIMAL:
        return "optimal";
    case CPD_SOLVE_FEASIBLE:
        return "feasible";
    case CPD_SOLVE_NO_PLAN:
        return "no_plan";
    default:
        return any ? "feasible" : "no_plan";
    }
}

double cpd_json_gap(const cpd_solve_result *r, bool any)
{
    if (strcmp(cpd_json_status(r, any), "no_plan") == 0)
        return NAN;
    if (r->status == CPD_SOLVE_OPTIMAL)
        return r->has_bound ? r->gap : 0;
    return r->has_bound ? r->gap : NAN;
}

void cpd_json_add_solve(cJSON *o, const cpd_solve_result *r, bool any, double heuristic_objective)
{
    bool plan = strcmp(cpd_json_status(r, any), "no_plan") != 0;
    cpd_json_add_num(o, "objective", plan ? r->objective : NAN, 4);
    cpd_json_add_num(o, "bound", r && r->has_bound ? r->bound : NAN, 4);
    cpd_json_add_num(o, "gap", cpd_json_gap(r, any), 6);
    cpd_json_add_num(o, "seconds", r ? r->seconds : 0, 3);
    cJSON_AddNumberToObject(o, "nodes", r ? r->nodes : 0);
    cJSON_AddBoolToObject(o, "from_heuristic", r && r->from_heuristic);
    cpd_json_add_num(o, "heuristic_objective", r ? heuristic_objective : NAN, 4);
}
