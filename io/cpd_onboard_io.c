/* cpd_onboard_io.c — an onboarding programme read from its folder (scenario.json "onboard",
 * resources.csv, activities.csv, deployment.csv on top of the common files) with every problem
 * collected, and a programme written back as the files that read to it again. */
#include "cpd_onboard_io.h"

#include "cpd_csv.h"
#include "cpd_date.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_load.h"
#include "cpd_strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_DAYS 200     /* working days of a programme */
#define MAX_WEEK 60      /* a week number in activities.csv (then checked against the calendar) */
#define MAX_DURATION 100 /* days of one activity */
#define MAX_COVER 1000
#define MAX_WEIGHT 1e6
#define BAD_REF (-2) /* an id that names nothing (CPD_TRUST_SCHOOL is -1) */

typedef struct {
    cpd_strlist ids; /* `after` as written, resolved once every activity is read */
    int line;
} pending_after;

typedef struct {
    const char *dir;
    cpd_diags *d;
    cpd_onboard *p;
    cpd_strmap *school_ids, *staff_ids, *res_ids, *act_ids;
    bool common_ok;    /* schools and staff were read: ids are checked against them */
    bool settings_ok;  /* the calendar is known: weeks are checked against it */
    bool resources_ok; /* resources.csv was read: roles in needs are checked against it */
    int nweeks;
    int *week_days; /* per week 1..nweeks: programme days in it */
} loader;

/* ---- local: files and cells ---- */

/* "a, b, c" of the items of l into buf. */
static void join_list(const cpd_strlist *l, const char *sep, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < l->n && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? sep : "", l->items[i]);
    if (l->n == 0)
        snprintf(buf, len, "none");
}

/* ---- local: the calendar ---- */

/* Programme days per calendar week, once the settings are known. */
static void make_calendar(loader *L)
{
    const cpd_onboard *p = L->p;
    L->nweeks = cpd_onboard_nweeks(p);
    L->week_days = cpd_xcalloc((size_t)L->nweeks + 2, sizeof(int));
    for (int day = 1; day <= p->params.ndays; day++)
        L->week_days[cpd_onboard_week_of_day(p, day)]++;
}

static int days_in_weeks(const loader *L, int from, int to)
{
    int n = 0;
    for (int w = from < 1 ? 1 : from; w <= to && w <= L->nweeks; w++)
        n += L->week_days[w];
    return n;
}

/* ---- local: scenario.json "onboard" ---- */

typedef struct {
    loader *L;
    const char *name; /* the file, as messages call it */
    const char *text;
} jfile;

static void jerror(const jfile *J, const char *path, const char *item, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void jerror(const jfile *J, const char *path, const char *item, const char *fmt, ...)
{
    int line, col;
    cpd_json_value_pos(J->text, path, item, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    cpd_diags_vadd(J->L->d, CPD_SEV_ERROR, J->name, line, col, fmt, ap);
    va_end(ap);
}

static void jnumber(const jfile *J, const cJSON *v, const char *path, double lo, double hi,
                    bool whole, double *out)
{
    double x = cJSON_IsNumber(v) ? v->valuedouble : NAN;
    if (isfinite(x) && x >= lo && x <= hi && (!whole || x == floor(x)))
        *out = x;
    else
        jerror(J, path, NULL, "%s must be a %s from %.0f to %.0f", path,
               whole ? "whole number" : "number", lo, hi);
}

static void jint(const jfile *J, const cJSON *v, const char *path, int lo, int hi, int *out)
{
    double x = *out;
    jnumber(J, v, path, lo, hi, true, &x);
    *out = (int)x;
}

/* A list of dates into a new array (n of them); NULL when empty. */
static int *jdates(const jfile *J, const cJSON *v, const char *path, int *n)
{
    *n = 0;
    if (!cJSON_IsArray(v)) {
        jerror(J, path, NULL, "%s must be a list of dates [\"YYYY-MM-DD\", ...]", path);
        return NULL;
    }
    int *dates = cpd_xcalloc((size_t)cJSON_GetArraySize(v) + 1, sizeof(int));
    for (const cJSON *e = v->child; e; e = e->next) {
        int date;
        if (!cJSON_IsString(e))
            jerror(J, path, NULL, "%s must be a list of dates [\"YYYY-MM-DD\", ...]", path);
        else if (!cpd_date_parse(e->valuestring, &date))
            jerror(J, path, e->valuestring, "%s: '%s' is not a date (YYYY-MM-DD)", path,
                   e->valuestring);
        else
            dates[(*n)++] = date;
    }
    if (*n == 0) {
        free(dates);
        dates = NULL;
    }
    return dates;
}

static void jstart(const jfile *J, const cJSON *v, int *start)
{
    const char *path = "onboard.start";
    int date;
    if (!cJSON_IsString(v)) {
        jerror(J, path, NULL, "%s must be a date \"YYYY-MM-DD\"", path);
    } else if (!cpd_date_parse(v->valuestring, &date)) {
        jerror(J, path, NULL, "%s must be a date YYYY-MM-DD (got '%s')", path, v->valuestring);
    } else if (cpd_date_is_weekend(date)) {
        static const char *const day[] = {"Saturday", "Sunday"};
        jerror(J, path, NULL, "start %s is a %s", v->valuestring, day[cpd_date_weekday(date) - 5]);
    } else {
        *start = date;
    }
}

static unsigned jtwilight(const jfile *J, const cJSON *v)
{
    const char *path = "onboard.twilight";
    unsigned bits = 0;
    if (!cJSON_IsArray(v)) {
        jerror(J, path, NULL, "%s must be a list of weekdays [\"tue\", ...]", path);
        return 0;
    }
    for (const cJSON *e = v->child; e; e = e->next) {
        int wd;
        if (!cJSON_IsString(e))
            jerror(J, path, NULL, "%s must be a list of weekdays [\"tue\", ...]", path);
        else if (!cpd_weekday_parse(e->valuestring, &wd) || wd >= 5)
            jerror(J, path, e->valuestring, "%s: '%s' is not a weekday (mon, tue, wed, thu or fri)",
                   path, e->valuestring);
        else
            bits |= 1u << wd;
    }
    return bits;
}

static void jweights(const jfile *J, const cJSON *w, cpd_onboard_params *q)
{
    static const char *const keys[] = {"unplaced", "late", "target", "school"};
    double *field[] = {&q->w_unplaced, &q->w_late, &q->w_target, &q->w_school};
    if (!cJSON_IsObject(w)) {
        jerror(J, "onboard.weights", NULL, "onboard.weights must be an object {...}");
        return;
    }
    for (const cJSON *v = w->child; v; v = v->next) {
        char path[128];
        snprintf(path, sizeof path, "onboard.weights.%s", v->string);
        size_t k = 0;
        while (k < 4 && strcmp(keys[k], v->string) != 0)
            k++;
        if (k < 4) {
            jnumber(J, v, path, 0, MAX_WEIGHT, false, field[k]);
        } else {
            int line, col;
            cpd_json_key_pos(J->text, path, &line, &col);
            cpd_warn(J->L->d, J->name, line, col, "unknown key '%s' ignored", path);
        }
    }
}

/* "objective": "programme" (the default) or "makespan". */
static void jobjective(const jfile *J, const cJSON *v, cpd_onboard_params *q)
{
    const char *s = cJSON_IsString(v) ? v->valuestring : NULL;
    if (s && strcmp(s, "programme") == 0)
        q->objective = CPD_OB_OBJ_PROGRAMME;
    else if (s && strcmp(s, "makespan") == 0)
        q->objective = CPD_OB_OBJ_MAKESPAN;
    else
        jerror(J, "onboard.objective", NULL, "onboard.objective must be \"programme\" or \"makespan\"");
}

static void jbool(const jfile *J, const cJSON *v, const char *path, bool *out)
{
    if (cJSON_IsBool(v))
        *out = cJSON_IsTrue(v);
    else
        jerror(J, path, NULL, "%s must be true or false", path);
}

typedef struct {
    int *closures, nclosures;
    int *training, ntraining;
} jdate_lists;

static void read_onboard_key(const jfile *J, const cJSON *v, jdate_lists *dl)
{
    cpd_onboard_params *q = &J->L->p->params;
    const char *k = v->string;
    if (strcmp(k, "start") == 0) {
        jstart(J, v, &q->start);
    } else if (strcmp(k, "days") == 0) {
        jint(J, v, "onboard.days", 1, MAX_DAYS, &q->ndays);
    } else if (strcmp(k, "closures") == 0) {
        free(dl->closures);
        dl->closures = jdates(J, v, "onboard.closures", &dl->nclosures);
    } else if (strcmp(k, "training_days") == 0) {
        free(dl->training);
        dl->training = jdates(J, v, "onboard.training_days", &dl->ntraining);
    } else if (strcmp(k, "twilight") == 0) {
        q->twilight = jtwilight(J, v);
    } else if (strcmp(k, "cover_limit") == 0) {
        jint(J, v, "onboard.cover_limit", 0, MAX_COVER, &q->cover_limit);
    } else if (strcmp(k, "short_travel_minutes") == 0) {
        jnumber(J, v, "onboard.short_travel_minutes", 0, 600, false, &q->short_travel);
    } else if (strcmp(k, "weights") == 0) {
        jweights(J, v, q);
    } else if (strcmp(k, "objective") == 0) {
        jobjective(J, v, q);
    } else if (strcmp(k, "morning_starts") == 0) {
        jbool(J, v, "onboard.morning_starts", &q->morning_starts);
    } else {
        char path[128];
        int line, col;
        snprintf(path, sizeof path, "onboard.%s", k);
        cpd_json_key_pos(J->text, path, &line, &col);
        cpd_warn(J->L->d, J->name, line, col, "unknown key '%s' ignored", path);
    }
}

/* The common loader has read the file (syntax, name, solver); this reads "onboard" and takes
 * the solver keys given. A file that does not parse leaves the defaults (its error is added
 * already) and the calendar unknown. */
static void load_settings(loader *L)
{
    cpd_io_settings S;
    cpd_io_settings_read(&S, L->dir);
    jfile J = {L, S.path, S.text};
    L->settings_ok = !S.text || cJSON_IsObject(S.root);
    const cJSON *ob = cJSON_GetObjectItemCaseSensitive(S.root, "onboard");
    jdate_lists dl = {0};
    if (ob && !cJSON_IsObject(ob))
        jerror(&J, "onboard", NULL, "onboard must be an object {...}");
    for (const cJSON *v = cJSON_IsObject(ob) ? ob->child : NULL; v; v = v->next)
        read_onboard_key(&J, v, &dl);
    cpd_onboard_set_dates(L->p, dl.closures, dl.nclosures, dl.training, dl.ntraining);
    free(dl.closures);
    free(dl.training);
    if (L->common_ok)
        cpd_io_take_solver(S.root, L->p->common, &L->p->params.time_limit, &L->p->params.gap);
    cpd_io_settings_clear(&S);
    if (L->settings_ok)
        make_calendar(L);
}

/* ---- local: resources.csv ---- */

enum { R_ID, R_NAME, R_ROLE, R_DAYS, R_AWAY, R_SCHOOL, R_NCOLS };

/* A resource's base: a school index, CPD_TRUST_SCHOOL (also for an empty cell), or BAD_REF. */
static int base_school(loader *L, const cpd_csv *t, size_t r, int c)
{
    const char *id = cpd_io_cell(t, r, c);
    if (!*id || strcasecmp(id, CPD_TRUST_ID) == 0)
        return CPD_TRUST_SCHOOL;
    int i = cpd_strmap_get(L->school_ids, id);
    if (i < 0 && L->common_ok) {
        char known[512];
        cpd_io_known_schools(L->p->common, true, known, sizeof known);
        cpd_cell_error(L->d, t, r, c, "unknown school '%s' (known: %s)", id, known);
    }
    return i < 0 ? BAD_REF : i;
}

/* A ';'-separated list of dates into a new array. */
static int *date_list(loader *L, const cpd_csv *t, size_t r, int c, const char *what, int *n)
{
    cpd_strlist l = {0};
    *n = 0;
    if (c >= 0)
        cpd_csv_list(t, r, c, false, &l);
    int *dates = l.n ? cpd_xcalloc((size_t)l.n, sizeof(int)) : NULL;
    for (int i = 0; i < l.n; i++) {
        if (cpd_date_parse(l.items[i], &dates[*n]))
            (*n)++;
        else
            cpd_cell_error(L->d, t, r, c, "%s: '%s' is not a date (YYYY-MM-DD)", what, l.items[i]);
    }
    cpd_strlist_clear(&l);
    return dates;
}

static void read_resource_row(loader *L, const cpd_csv *t, size_t r, const int *c, const char *id)
{
    cpd_resource k = {.id = (char *)id, .line = cpd_csv_line(t, r)};
    k.name = (char *)cpd_io_name_or_id(t, r, c[R_NAME], id, L->d);
    const char *role = cpd_io_required(t, r, c[R_ROLE], "role", L->d);
    k.role = cpd_io_lower_dup(role ? role : "");
    k.days = cpd_io_int_cell(t, r, c[R_DAYS], "days", 1, 7, 5, L->d);
    k.unavailable = date_list(L, t, r, c[R_AWAY], "unavailable", &k.nunavailable);
    int school = c[R_SCHOOL] >= 0 ? base_school(L, t, r, c[R_SCHOOL]) : CPD_TRUST_SCHOOL;
    k.school = school == BAD_REF ? CPD_TRUST_SCHOOL : school;
    int i = cpd_onboard_add_resource(L->p, &k); /* copies id, name, role; takes the dates */
    free(k.role);
    cpd_strmap_put(L->res_ids, id, i);
}

static void load_resources(loader *L)
{
    static const cpd_csv_colspec spec[R_NCOLS] = {{"id", true},           {"name", true},
                                                  {"role", true},         {"days", false},
                                                  {"unavailable", false}, {"school", false}};
    int c[R_NCOLS];
    cpd_csv *t = cpd_io_open_table(L->dir, "resources.csv", false, spec, R_NCOLS, c, L->d);
    if (!t)
        return;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *id = cpd_io_required(t, r, c[R_ID], "resource id", L->d);
        if (!id)
            continue;
        int prev = cpd_strmap_get(L->res_ids, id);
        if (prev >= 0)
            cpd_cell_error(L->d, t, r, c[R_ID], "duplicate resource id '%s' (first on line %d)", id,
                           L->p->resources[prev].line);
        else
            read_resource_row(L, t, r, c, id);
    }
    L->resources_ok = true;
    cpd_csv_free(&t);
}

/* ---- local: activities.csv ---- */

enum {
    A_ID,
    A_NAME,
    A_WEEK,
    A_DUR,
    A_EARLY,
    A_LATE,
    A_PER,
    A_NEEDS,
    A_AUD,
    A_AFTER,
    A_REPEAT,
    A_COVER,
    A_COACH,
    A_NCOLS
};

typedef struct {
    loader *L;
    const cpd_csv *t;
    size_t r;
    const int *c;
} arow;

/* The resource roles, sorted and each once, for a message. */
static void known_roles(const cpd_onboard *p, char *buf, size_t len)
{
    cpd_strlist l = {0};
    for (int i = 0; i < p->nresources; i++) {
        if (cpd_strlist_has(&l, p->resources[i].role))
            continue;
        cpd_strlist_add(&l, p->resources[i].role);
        for (int k = l.n - 1; k > 0 && strcmp(l.items[k - 1], l.items[k]) > 0; k--) {
            char *x = l.items[k];
            l.items[k] = l.items[k - 1];
            l.items[k - 1] = x;
        }
    }
    join_list(&l, ", ", buf, len);
    cpd_strlist_clear(&l);
}

static bool staff_has_role(const cpd_scenario *s, const char *role)
{
    for (int i = 0; i < s->nstaff; i++)
        if (s->staff[i].role && strcmp(s->staff[i].role, role) == 0)
            return true;
    return false;
}

/* Roles of staff (per, audience): a role no member of staff has is worth a warning. */
static void staff_roles(const arow *a, int col, const char *what, cpd_strlist *l)
{
    loader *L = a->L;
    if (col < 0)
        return;
    cpd_csv_list(a->t, a->r, col, true, l);
    for (int i = 0; L->common_ok && i < l->n; i++) {
        const char *role = l->items[i];
        if (strcmp(role, "staff") && strcmp(role, "all") && strcmp(role, "school") &&
            !staff_has_role(L->p->common, role))
            cpd_cell_warn(L->d, a->t, a->r, col, "%s: no member of staff has role '%s'", what,
                          role);
    }
}

static void read_per(const arow *a, cpd_activity *act)
{
    int col = a->c[A_PER];
    staff_roles(a, col, "per", &act->per);
    if (!cpd_strlist_has(&act->per, "school"))
        return;
    if (act->per.n > 1)
        cpd_cell_error(a->L->d, a->t, a->r, col,
                       "per: 'school' cannot be combined with roles (got '%s')",
                       cpd_io_cell(a->t, a->r, col));
    cpd_strlist_clear(&act->per); /* once per school */
}

/* Weeks: target, window, and the window against the calendar. */
static void read_weeks(const arow *a, cpd_activity *act)
{
    loader *L = a->L;
    const int *c = a->c;
    long week = 0;
    if (!cpd_csv_int(a->t, a->r, c[A_WEEK], "week", 1, MAX_WEEK, &week, L->d))
        week = 1;
    act->week = (int)week;
    act->earliest =
        cpd_io_int_cell(a->t, a->r, c[A_EARLY], "earliest_week", 1, MAX_WEEK, act->week, L->d);
    act->latest =
        cpd_io_int_cell(a->t, a->r, c[A_LATE], "latest_week", 1, MAX_WEEK, act->week, L->d);
    if (L->settings_ok && act->week > L->nweeks)
        cpd_cell_error(L->d, a->t, a->r, c[A_WEEK],
                       "week %d is after the programme's last week (%d)", act->week, L->nweeks);
    if (act->earliest > act->week)
        cpd_cell_error(L->d, a->t, a->r, c[A_EARLY], "earliest_week %d is after week %d",
                       act->earliest, act->week);
    if (act->latest < act->week)
        cpd_cell_error(L->d, a->t, a->r, c[A_LATE], "latest_week %d is before week %d", act->latest,
                       act->week);
    else if (L->settings_ok && act->latest > L->nweeks && act->week <= L->nweeks)
        cpd_cell_error(L->d, a->t, a->r, c[A_LATE],
                       "latest_week %d is after the programme's last week (%d)", act->latest,
                       L->nweeks);
}

/* Duration in days, a positive multiple of 0.5, into half-days; 0 after an error. */
static int read_duration(const arow *a)
{
    const char *v = cpd_csv_cell(a->t, a->r, a->c[A_DUR]);
    double x;
    if (cpd_parse_double(v, &x) && x > 0 && x <= MAX_DURATION && 2 * x == floor(2 * x))
        return (int)(2 * x);
    if (!*v)
        cpd_cell_error(a->L->d, a->t, a->r, a->c[A_DUR], "duration is empty");
    else
        cpd_cell_error(a->L->d, a->t, a->r, a->c[A_DUR],
                       "duration must be a positive multiple of 0.5 days, at most %d (got '%s')",
                       MAX_DURATION, v);
    return 0;
}

/* A task must fit in its window's programme days: the whole window, or each week of a weekly
 * activity (whose tasks each have their own week). */
static void check_fits(const arow *a, const cpd_activity *act)
{
    loader *L = a->L;
    if (!L->settings_ok || act->duration < 1 || act->earliest > act->latest ||
        act->earliest > L->nweeks)
        return; /* weeks out of range are told apart */
    double days = act->duration / 2.0;
    for (int w = act->earliest; w <= act->latest; w++) {
        int from = act->weekly ? w : act->earliest, to = act->weekly ? w : act->latest;
        int have = days_in_weeks(L, from, to);
        if (act->duration <= 2 * have)
            continue;
        if (from == to)
            cpd_cell_error(
                L->d, a->t, a->r, a->c[A_DUR],
                "duration %g day%s is longer than its window: week %d holds %d programme day%s",
                days, days == 1 ? "" : "s", from, have, have == 1 ? "" : "s");
        else
            cpd_cell_error(
                L->d, a->t, a->r, a->c[A_DUR],
                "duration %g day%s is longer than its window: weeks %d-%d hold %d programme "
                "day%s",
                days, days == 1 ? "" : "s", from, to, have, have == 1 ? "" : "s");
        return;
    }
}

/* One need "lp|dol:2" into k; false after an error. */
static bool parse_need(const arow *a, const char *item, cpd_ob_need *k)
{
    loader *L = a->L;
    int col = a->c[A_NEEDS];
    const char *colon = strrchr(item, ':');
    size_t nroles = colon ? (size_t)(colon - item) : strlen(item);
    long count = 1;
    if (colon && (!cpd_parse_long(colon + 1, &count) || count < 1 || count > CPD_OB_MAX_RES)) {
        cpd_cell_error(L->d, a->t, a->r, col,
                       "needs: the count in '%s' must be a whole number from 1 to %d", item,
                       CPD_OB_MAX_RES);
        return false;
    }
    k->count = (int)count;
    char *roles = cpd_xmalloc(nroles + 1), *save = NULL;
    memcpy(roles, item, nroles);
    roles[nroles] = '\0';
    bool ok = true;
    for (char *r = strtok_r(roles, "|", &save); r; r = strtok_r(NULL, "|", &save)) {
        r += strspn(r, " \t");
        size_t n = strlen(r);
        while (n > 0 && (r[n - 1] == ' ' || r[n - 1] == '\t'))
            r[--n] = '\0';
        if (!n || cpd_strlist_has(&k->roles, r))
            continue;
        if (L->resources_ok && !cpd_onboard_has_role(L->p, r)) {
            char known[512];
            known_roles(L->p, known, sizeof known);
            cpd_cell_error(L->d, a->t, a->r, col, "needs: no resource has role '%s' (roles: %s)", r,
                           known);
            ok = false;
        }
        cpd_strlist_add(&k->roles, r);
    }
    free(roles);
    if (k->roles.n == 0) {
        cpd_cell_error(L->d, a->t, a->r, col,
                       "needs: '%s' names no role (write role:count, e.g. lp:1)", item);
        ok = false;
    }
    return ok;
}

static void read_needs(const arow *a, cpd_activity *act)
{
    int col = a->c[A_NEEDS];
    cpd_strlist l = {0};
    if (col >= 0)
        cpd_csv_list(a->t, a->r, col, true, &l);
    if (l.n > CPD_OB_MAX_NEEDS)
        cpd_cell_error(a->L->d, a->t, a->r, col, "needs: at most %d needs (got %d)",
                       CPD_OB_MAX_NEEDS, l.n);
    int total = 0;
    for (int i = 0; i < l.n && act->nneeds < CPD_OB_MAX_NEEDS; i++) {
        cpd_ob_need k = {0};
        if (parse_need(a, l.items[i], &k)) {
            total += k.count;
            act->needs[act->nneeds++] = k;
        } else {
            cpd_strlist_clear(&k.roles);
        }
    }
    if (total > CPD_OB_MAX_RES)
        cpd_cell_error(a->L->d, a->t, a->r, col,
                       "needs ask for %d people at once; a task can name at most %d", total,
                       CPD_OB_MAX_RES);
    cpd_strlist_clear(&l);
}

static bool read_repeat(const arow *a)
{
    const char *v = cpd_io_cell(a->t, a->r, a->c[A_REPEAT]);
    if (!*v || strcasecmp(v, "no") == 0)
        return false;
    if (strcasecmp(v, "weekly") == 0)
        return true;
    cpd_cell_error(a->L->d, a->t, a->r, a->c[A_REPEAT],
                   "repeat must be empty, no or weekly (got '%s')", v);
    return false;
}

static void read_activity_row(const arow *a, const char *id, pending_after *pa)
{
    loader *L = a->L;
    const int *c = a->c;
    cpd_activity act = {.id = (char *)id, .line = cpd_csv_line(a->t, a->r)};
    act.name = (char *)cpd_io_name_or_id(a->t, a->r, c[A_NAME], id, L->d);
    act.weekly = read_repeat(a);
    read_weeks(a, &act);
    act.duration = read_duration(a);
    check_fits(a, &act);
    read_per(a, &act);
    read_needs(a, &act);
    staff_roles(a, c[A_AUD], "audience", &act.audience);
    if (c[A_COVER] >= 0)
        cpd_csv_bool(a->t, a->r, c[A_COVER], "cover", false, &act.cover, L->d);
    if (c[A_COACH] >= 0)
        cpd_csv_bool(a->t, a->r, c[A_COACH], "coach", false, &act.coach, L->d);
    *pa = (pending_after){.line = act.line};
    if (c[A_AFTER] >= 0)
        cpd_csv_list(a->t, a->r, c[A_AFTER], false, &pa->ids);
    if (pa->ids.n > CPD_OB_MAX_AFTER)
        cpd_cell_error(L->d, a->t, a->r, c[A_AFTER], "after: at most %d activities (got %d)",
                       CPD_OB_MAX_AFTER, pa->ids.n);
    int i = cpd_onboard_add_activity(L->p, &act); /* copies id, name; takes the lists */
    cpd_strmap_put(L->act_ids, id, i);
}

/* `after` ids into indices, once every activity is known. */
static void resolve_after(loader *L, const cpd_csv *t, int col, const pending_after *pa)
{
    for (int a = 0; a < L->p->nactivities; a++) {
        cpd_activity *act = &L->p->activities[a];
        for (int k = 0; k < pa[a].ids.n && act->nafter < CPD_OB_MAX_AFTER; k++) {
            const char *id = pa[a].ids.items[k];
            int b = cpd_strmap_get(L->act_ids, id);
            bool dup = false;
            for (int e = 0; e < act->nafter; e++)
                dup |= act->after[e] == b;
            if (b < 0)
                cpd_error(L->d, cpd_csv_name(t), pa[a].line, col + 1,
                          "after: unknown activity '%s' (not in activities.csv)", id);
            else if (!dup)
                act->after[act->nafter++] = b;
        }
    }
}

static void check_cycle(loader *L, const cpd_csv *t, int col)
{
    const cpd_onboard *p = L->p;
    int *cycle = cpd_xcalloc((size_t)p->nactivities + 1, sizeof(int));
    int n = cpd_onboard_find_cycle(p, cycle);
    if (n > 0) {
        cpd_strlist ids = {0};
        for (int i = 0; i < n; i++)
            cpd_strlist_add(&ids, p->activities[cycle[i]].id);
        char *text = cpd_io_join_list(&ids, " -> ");
        cpd_error(L->d, cpd_csv_name(t), p->activities[cycle[0]].line, col + 1,
                  "'after' makes a cycle: %s", text);
        free(text);
        cpd_strlist_clear(&ids);
    }
    free(cycle);
}

static void load_activities(loader *L)
{
    static const cpd_csv_colspec spec[A_NCOLS] = {
        {"id", true},       {"name", true},           {"week", true},
        {"duration", true}, {"earliest_week", false}, {"latest_week", false},
        {"per", false},     {"needs", false},         {"audience", false},
        {"after", false},   {"repeat", false},        {"cover", false},
        {"coach", false}};
    int c[A_NCOLS];
    cpd_csv *t = cpd_io_open_table(L->dir, "activities.csv", false, spec, A_NCOLS, c, L->d);
    if (!t)
        return;
    size_t nrows = cpd_csv_nrows(t);
    pending_after *pa = cpd_xcalloc(nrows + 1, sizeof *pa);
    for (size_t r = 0; r < nrows; r++) {
        arow a = {L, t, r, c};
        const char *id = cpd_io_required(t, r, c[A_ID], "activity id", L->d);
        int prev = id ? cpd_strmap_get(L->act_ids, id) : -1;
        if (prev >= 0)
            cpd_cell_error(L->d, t, r, c[A_ID], "duplicate activity id '%s' (first on line %d)", id,
                           L->p->activities[prev].line);
        else if (id)
            read_activity_row(&a, id, &pa[L->p->nactivities]);
    }
    if (nrows == 0)
        cpd_error(L->d, cpd_csv_name(t), 0, 0,
                  "no activities: give one row per activity (id, name, week, duration)");
    if (c[A_AFTER] >= 0) {
        resolve_after(L, t, c[A_AFTER], pa);
        check_cycle(L, t, c[A_AFTER]);
    }
    for (size_t i = 0; i <= nrows; i++)
        cpd_strlist_clear(&pa[i].ids);
    free(pa);
    cpd_csv_free(&t);
}

/* ---- local: deployment.csv ---- */

/* The deployed coach of each teacher as deploy wrote it; its other columns are known, not used. */
static void load_deployment(loader *L)
{
    static const cpd_csv_colspec spec[] = {
        {"teacher", true},       {"coach", true},           {"service", false},
        {"teacher_name", false}, {"school", false},         {"need", false},
        {"coach_name", false},   {"coach_role", false},     {"coach_base", false},
        {"hours", false},        {"travel_minutes", false}, {"kept_previous", false},
        {"pinned", false}};
    int c[13];
    cpd_csv *t = cpd_io_open_table(L->dir, "deployment.csv", true, spec, 13, c, L->d);
    if (!t)
        return;
    int nstaff = L->p->common->nstaff;
    L->p->coach_of = cpd_xmalloc(((size_t)nstaff + 1) * sizeof(int));
    bool *coaching = cpd_xcalloc((size_t)nstaff + 1, sizeof(bool)); /* from a coaching row */
    for (int i = 0; i < nstaff; i++)
        L->p->coach_of[i] = -1;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *tid = cpd_io_required(t, r, c[0], "teacher", L->d),
                   *cid = cpd_io_cell(t, r, c[1]);
        int teacher = tid ? cpd_strmap_get(L->staff_ids, tid) : -1;
        if (tid && teacher < 0 && L->common_ok)
            cpd_cell_error(L->d, t, r, c[0], "unknown teacher '%s' (not in staff.csv)", tid);
        if (teacher < 0 || !*cid)
            continue;
        int coach = cpd_strmap_get(L->res_ids, cid);
        if (coach < 0) {
            if (L->resources_ok)
                cpd_cell_warn(L->d, t, r, c[1], "coach '%s' is not in resources.csv; ignored", cid);
            continue;
        }
        /* An ECT may have a mentor and a senior leader too: the coaching row wins. */
        bool is_coaching = c[2] < 0 || strcasecmp(cpd_io_cell(t, r, c[2]), "coaching") == 0;
        if (L->p->coach_of[teacher] < 0 || (is_coaching && !coaching[teacher])) {
            L->p->coach_of[teacher] = coach;
            coaching[teacher] = is_coaching;
        }
    }
    free(coaching);
    cpd_csv_free(&t);
}

/* ---- local: writing a programme back ---- */

static void dates_cell(cpd_csvw *w, const int *dates, int n)
{
    cpd_strlist l = {0};
    char buf[16];
    for (int i = 0; i < n; i++) {
        cpd_date_format(dates[i], buf, sizeof buf);
        cpd_strlist_add(&l, buf);
    }
    cpd_csvw_list(w, &l);
    cpd_strlist_clear(&l);
}

static void needs_cell(cpd_csvw *w, const cpd_activity *a)
{
    cpd_strlist l = {0};
    for (int k = 0; k < a->nneeds; k++) {
        char *roles = cpd_io_join_list(&a->needs[k].roles, "|");
        size_t n = strlen(roles) + 16;
        char *s = cpd_xmalloc(n);
        snprintf(s, n, "%s:%d", roles, a->needs[k].count); /* "lp|dol:2" */
        cpd_strlist_add(&l, s);
        free(s);
        free(roles);
    }
    cpd_csvw_list(w, &l);
    cpd_strlist_clear(&l);
}

static void activity_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_onboard *p = ctx;
    for (int i = 0; i < p->nactivities; i++) {
        const cpd_activity *a = &p->activities[i];
        cpd_csvw_str(w, a->id);
        cpd_csvw_str(w, a->name);
        cpd_csvw_int(w, a->week);
        cpd_csvw_num(w, a->duration / 2.0);
        cpd_csvw_int(w, a->earliest);
        cpd_csvw_int(w, a->latest);
        if (a->per.n)
            cpd_csvw_list(w, &a->per);
        else
            cpd_csvw_str(w, "school");
        needs_cell(w, a);
        cpd_csvw_list(w, &a->audience);
        cpd_strlist after = {0};
        for (int k = 0; k < a->nafter; k++)
            cpd_strlist_add(&after, p->activities[a->after[k]].id);
        cpd_csvw_list(w, &after);
        cpd_strlist_clear(&after);
        cpd_csvw_str(w, a->weekly ? "weekly" : "");
        cpd_csvw_str(w, a->cover ? "yes" : "no");
        cpd_csvw_str(w, a->coach ? "yes" : "no");
        cpd_csvw_end_row(w);
    }
}

static void resource_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_onboard *p = ctx;
    for (int i = 0; i < p->nresources; i++) {
        const cpd_resource *r = &p->resources[i];
        cpd_csvw_str(w, r->id);
        cpd_csvw_str(w, r->name);
        cpd_csvw_str(w, r->role);
        cpd_csvw_int(w, r->days);
        dates_cell(w, r->unavailable, r->nunavailable);
        cpd_csvw_str(w, r->school == CPD_TRUST_SCHOOL ? CPD_TRUST_ID
                                                      : p->common->schools[r->school].id);
        cpd_csvw_end_row(w);
    }
}

static void deployment_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_onboard *p = ctx;
    for (int i = 0; i < p->common->nstaff; i++) {
        if (p->coach_of[i] < 0)
            continue;
        cpd_csvw_str(w, p->common->staff[i].id);
        cpd_csvw_str(w, p->resources[p->coach_of[i]].id);
        cpd_csvw_end_row(w);
    }
}

static cJSON *date_array(const int *dates, int n)
{
    cJSON *a = cJSON_CreateArray();
    char buf[16];
    for (int i = 0; i < n; i++) {
        cpd_date_format(dates[i], buf, sizeof buf);
        cJSON_AddItemToArray(a, cJSON_CreateString(buf));
    }
    return a;
}

static cJSON *onboard_object(const cpd_onboard_params *q)
{
    cJSON *o = cJSON_CreateObject();
    char buf[16];
    cpd_date_format(q->start, buf, sizeof buf);
    cJSON_AddStringToObject(o, "start", buf);
    cJSON_AddNumberToObject(o, "days", q->ndays);
    cJSON_AddItemToObject(o, "closures", date_array(q->closures, q->nclosures));
    cJSON_AddItemToObject(o, "training_days", date_array(q->training_days, q->ntraining_days));
    cJSON *tw = cJSON_AddArrayToObject(o, "twilight");
    for (int wd = 0; wd < 7; wd++)
        if (q->twilight & (1u << wd))
            cJSON_AddItemToArray(tw, cJSON_CreateString(cpd_weekday_name(wd)));
    cJSON_AddNumberToObject(o, "cover_limit", q->cover_limit);
    cJSON_AddNumberToObject(o, "short_travel_minutes", q->short_travel);
    cJSON *wt = cJSON_AddObjectToObject(o, "weights");
    cJSON_AddNumberToObject(wt, "unplaced", q->w_unplaced);
    cJSON_AddNumberToObject(wt, "late", q->w_late);
    cJSON_AddNumberToObject(wt, "target", q->w_target);
    cJSON_AddNumberToObject(wt, "school", q->w_school);
    if (q->objective == CPD_OB_OBJ_MAKESPAN) /* left out at the defaults: files read back the same */
        cJSON_AddStringToObject(o, "objective", "makespan");
    if (!q->morning_starts)
        cJSON_AddBoolToObject(o, "morning_starts", false);
    return o;
}

/* The deploy job's settings mean nothing to onboard: left out while they are the defaults (they
 * read back the same), kept when someone set them. */
static void drop_default_deploy(cJSON *j)
{
    cpd_scenario *plain = cpd_scenario_new();
    cJSON *def = cpd_json_scenario_object(plain);
    if (cJSON_Compare(cJSON_GetObjectItemCaseSensitive(j, "deploy"),
                      cJSON_GetObjectItemCaseSensitive(def, "deploy"), true))
        cJSON_DeleteItemFromObjectCaseSensitive(j, "deploy");
    cJSON_Delete(def);
    cpd_scenario_free(&plain);
}

static cJSON *settings_object(const cpd_onboard *p)
{
    cJSON *j = cpd_json_scenario_object(p->common);
    drop_default_deploy(j);
    cpd_json_set_solver(j, p->params.time_limit, p->params.gap);
    cJSON_AddItemToObject(j, "onboard", onboard_object(&p->params));
    return j;
}

/* ---- interface ---- */

cpd_onboard *cpd_load_onboard(const char *dir, cpd_diags *d)
{
    size_t errors = cpd_diags_errors(d);
    cpd_scenario *common = cpd_load_common(dir, d);
    loader L = {.dir = dir,
                .d = d,
                .common_ok = common != NULL,
                .school_ids = cpd_strmap_new(),
                .staff_ids = cpd_strmap_new(),
                .res_ids = cpd_strmap_new(),
                .act_ids = cpd_strmap_new()};
    /* Without the common files the programme is still read, so that its problems are listed
     * too; ids of schools and staff are then not checked. */
    L.p = cpd_onboard_new(&common);
    const cpd_scenario *s = L.p->common;
    for (int i = 0; i < s->nschools; i++)
        cpd_strmap_put(L.school_ids, s->schools[i].id, i);
    for (int i = 0; i < s->nstaff; i++)
        cpd_strmap_put(L.staff_ids, s->staff[i].id, i);
    bool joining = false;
    for (int i = 0; i < s->nschools; i++)
        joining |= s->schools[i].joining;
    if (L.common_ok && !joining) {
        char *path = cpd_io_join(dir, "schools.csv");
        cpd_error(d, path, 0, 0, "no school is joining (set joining=yes)");
        free(path);
    }
    load_settings(&L);
    load_resources(&L);
    load_activities(&L);
    if (L.common_ok)
        load_deployment(&L);
    free(L.week_days);
    cpd_strmap_free(&L.school_ids);
    cpd_strmap_free(&L.staff_ids);
    cpd_strmap_free(&L.res_ids);
    cpd_strmap_free(&L.act_ids);
    if (cpd_diags_errors(d) > errors)
        cpd_onboard_free(&L.p);
    return L.p;
}

bool cpd_save_onboard(const char *dir, const cpd_onboard *p, cpd_diags *d)
{
    static const char *const act_h[] = {
        "id",    "name",     "week",  "duration", "earliest_week", "latest_week", "per",
        "needs", "audience", "after", "repeat",   "cover",         "coach",       NULL};
    static const char *const res_h[] = {"id",          "name",   "role", "days",
                                        "unavailable", "school", NULL};
    static const char *const dep_h[] = {"teacher", "coach", NULL};
    cpd_outset *o = cpd_outset_new(dir, d);
    if (!o)
        return false;
    cJSON *settings = settings_object(p);
    bool ok = cpd_save_common(o, p->common, CPD_SAVE_FOCUS | CPD_SAVE_TRAVEL_SET, d) &&
              cpd_outset_csv(o, "activities.csv", act_h, activity_rows, p, d) &&
              cpd_outset_csv(o, "resources.csv", res_h, resource_rows, p, d) &&
              (!p->coach_of || cpd_outset_csv(o, "deployment.csv", dep_h, deployment_rows, p, d)) &&
              cpd_json_save(o, "scenario.json", settings, d);
    cJSON_Delete(settings);
    return cpd_outset_finish(&o, ok, d);
}
