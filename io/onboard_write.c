/* onboard_write.c — an onboarding schedule's files (schedule.csv, schedule.ics, unmet.csv,
 * summary.json, report.html, written as one set), its figures and terminal views, and a written
 * schedule read back for `verify`. */
#include "cpd_csv.h"
#include "cpd_date.h"
#include "cpd_ics.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_onboard_io.h"
#include "cpd_out.h"
#include "cpd_report.h"
#include "cpd_strmap.h"
#include "cpd_term.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define TERM_WIDTH 100 /* columns of the terminal views */
#define LABEL_WIDTH 10 /* the row label of a terminal grid */
#define ACT_LABEL 18   /* an activity's row label in a school's grid */
#define UNMET_SHOWN 5  /* unmet tasks named on the terminal */
#define MAX_CODES 62   /* one-letter school codes of the resource grid */

/* ---- local: the calendar and a plan's figures ---- */

typedef struct {
    int tasks, placed, in_window, late, unplaced, on_target;
} counts;

/* The schools a resource works in on one day: the first two, and whether there are more. */
typedef struct {
    int first, second;
    bool more;
} day_schools;

typedef struct {
    const cpd_onboard *p;
    const cpd_onboard_plan *pl;
    int ndays, nweeks;
    int *dates, *week;   /* per day 0..ndays-1: its date and calendar week */
    int *order, nplaced; /* placed tasks in schedule.csv's order */
    counts all, *school; /* by school index */
    int school_weeks;
    day_schools *rday;                  /* resource x day */
    int *worked, *available, *nschools; /* per resource: days, days, schools */
    bool colour;                        /* the terminal summary in colour (cli/ decides) */
} view;

static const cpd_ob_task *task_at(const view *v, int i) { return &v->pl->tasks[i]; }

static bool placed(const view *v, const cpd_ob_task *t)
{
    return t->start >= 0 && t->start / 2 < v->ndays;
}

static int first_day(const cpd_ob_task *t) { return t->start / 2; }

/* The last day (0-based) a placed task runs on, within the calendar. */
static int last_day(const view *v, const cpd_ob_task *t)
{
    int d = (t->start + (t->duration > 0 ? t->duration : 1) - 1) / 2;
    return d < v->ndays ? d : v->ndays - 1;
}

static int task_week(const view *v, const cpd_ob_task *t) { return v->week[first_day(t)]; }

static int late_weeks(const view *v, const cpd_ob_task *t)
{
    int w = task_week(v, t);
    return w > t->latest ? w - t->latest : 0;
}

static bool res_ok(const view *v, int r) { return r >= 0 && r < v->p->nresources; }

static void count_task(counts *c, const view *v, const cpd_ob_task *t)
{
    c->tasks++;
    if (!placed(v, t)) {
        c->unplaced++;
        return;
    }
    int w = task_week(v, t);
    c->placed++;
    c->in_window += w >= t->earliest && w <= t->latest;
    c->late += w > t->latest;
    c->on_target += w == t->target;
}

/* schedule.csv's order: day, half, school, activity, staff, then target week and index. */
typedef struct {
    int start, target, index;
    const char *school, *activity, *staff;
} sort_key;

static int key_cmp(const void *x, const void *y)
{
    const sort_key *a = x, *b = y;
    int c;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if ((c = strcmp(a->school, b->school)) != 0 || (c = strcmp(a->activity, b->activity)) != 0 ||
        (c = strcmp(a->staff, b->staff)) != 0)
        return c;
    if (a->target != b->target)
        return a->target < b->target ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static void sort_placed(view *v)
{
    const cpd_scenario *s = v->p->common;
    int n = v->pl ? v->pl->ntasks : 0;
    sort_key *keys = cpd_xcalloc((size_t)n + 1, sizeof *keys);
    for (int i = 0; i < n; i++) {
        const cpd_ob_task *t = task_at(v, i);
        if (!placed(v, t))
            continue;
        keys[v->nplaced++] = (sort_key){t->start,
                                        t->target,
                                        i,
                                        s->schools[t->school].id,
                                        v->p->activities[t->activity].id,
                                        t->staff >= 0 ? s->staff[t->staff].id : ""};
    }
    qsort(keys, (size_t)v->nplaced, sizeof *keys, key_cmp);
    v->order = cpd_xcalloc((size_t)v->nplaced + 1, sizeof(int));
    for (int i = 0; i < v->nplaced; i++)
        v->order[i] = keys[i].index;
    free(keys);
}

static void add_day_school(day_schools *ds, int s)
{
    if (ds->first < 0 || ds->first == s)
        ds->first = s;
    else if (ds->second < 0 || ds->second == s)
        ds->second = s;
    else
        ds->more = true;
}

static bool away_on(const cpd_resource *r, int date)
{
    for (int i = 0; i < r->nunavailable; i++)
        if (r->unavailable[i] == date)
            return true;
    return false;
}

/* Days a resource can work: in each week, its free programme days up to its days a week. */
static int days_available(const view *v, const cpd_resource *r)
{
    int total = 0;
    for (int w = 1; w <= v->nweeks; w++) {
        int n = 0;
        for (int d = 0; d < v->ndays; d++)
            n += v->week[d] == w && !away_on(r, v->dates[d]);
        total += n < r->days ? n : r->days;
    }
    return total;
}

/* Where each resource is each day, and the school-weeks and schools that makes. */
static void resource_figures(view *v)
{
    int nr = v->p->nresources, ns = v->p->common->nschools, nw = v->nweeks + 1;
    v->rday = cpd_xcalloc((size_t)nr * (size_t)v->ndays + 1, sizeof *v->rday);
    for (size_t k = 0; k < (size_t)nr * (size_t)v->ndays; k++)
        v->rday[k] = (day_schools){-1, -1, false};
    bool *sw = cpd_xcalloc((size_t)nr * (size_t)ns * (size_t)nw + 1, 1);
    for (int i = 0; i < v->nplaced; i++) {
        const cpd_ob_task *t = task_at(v, v->order[i]);
        for (int k = 0; k < t->nres && k < CPD_OB_MAX_RES; k++) {
            int r = t->res[k];
            if (!res_ok(v, r))
                continue;
            for (int d = first_day(t); d <= last_day(v, t); d++) {
                add_day_school(&v->rday[(size_t)r * (size_t)v->ndays + (size_t)d], t->school);
                sw[((size_t)r * (size_t)ns + (size_t)t->school) * (size_t)nw + (size_t)v->week[d]] =
                    1;
            }
        }
    }
    v->worked = cpd_xcalloc((size_t)nr + 1, sizeof(int));
    v->available = cpd_xcalloc((size_t)nr + 1, sizeof(int));
    v->nschools = cpd_xcalloc((size_t)nr + 1, sizeof(int));
    for (int r = 0; r < nr; r++) {
        for (int d = 0; d < v->ndays; d++)
            v->worked[r] += v->rday[(size_t)r * (size_t)v->ndays + (size_t)d].first >= 0;
        for (int s = 0; s < ns; s++) {
            int weeks = 0;
            for (int w = 1; w < nw; w++)
                weeks += sw[((size_t)r * (size_t)ns + (size_t)s) * (size_t)nw + (size_t)w];
            v->school_weeks += weeks;
            v->nschools[r] += weeks > 0;
        }
        v->available[r] = days_available(v, &v->p->resources[r]);
    }
    free(sw);
}

static view view_new(const cpd_onboard *p, const cpd_onboard_plan *pl)
{
    view v = {.p = p, .pl = pl, .ndays = p->params.ndays > 0 ? p->params.ndays : 0};
    v.dates = cpd_xcalloc((size_t)v.ndays + 1, sizeof(int));
    v.week = cpd_xcalloc((size_t)v.ndays + 1, sizeof(int));
    cpd_onboard_days(p, v.dates);
    int monday = cpd_date_monday(p->params.start);
    for (int d = 0; d < v.ndays; d++)
        v.week[d] = (v.dates[d] - monday) / 7 + 1;
    v.nweeks = v.ndays ? v.week[v.ndays - 1] : 0;
    v.school = cpd_xcalloc((size_t)p->common->nschools + 1, sizeof(counts));
    for (int i = 0; pl && i < pl->ntasks; i++) {
        const cpd_ob_task *t = &pl->tasks[i];
        count_task(&v.all, &v, t);
        count_task(&v.school[t->school], &v, t);
    }
    sort_placed(&v);
    resource_figures(&v);
    return v;
}

static void view_free(view *v)
{
    free(v->dates);
    free(v->week);
    free(v->order);
    free(v->school);
    free(v->rday);
    free(v->worked);
    free(v->available);
    free(v->nschools);
}

static const char *status_name(const cpd_onboard_plan *pl)
{
    return cpd_json_status(pl ? &pl->result : NULL, pl && pl->ntasks > 0);
}

static bool has_plan(const cpd_onboard_plan *pl) { return strcmp(status_name(pl), "no_plan") != 0; }

static double known_gap(const cpd_onboard_plan *pl)
{
    return cpd_json_gap(pl ? &pl->result : NULL, pl && pl->ntasks > 0);
}

/* ---- local: words ---- */

typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (b->n + (size_t)n + 1 > b->cap) {
        b->cap = (b->n + (size_t)n + 1) * 2;
        b->s = cpd_xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

static const char *sb_text(const sbuf *b) { return b->s ? b->s : ""; }

static void sb_clear(sbuf *b)
{
    b->n = 0;
    if (b->s)
        b->s[0] = '\0';
}

static const char *activity_name(const cpd_activity *a) { return *a->name ? a->name : a->id; }

/* The resources of a task, ids or names, sep between. */
static void resources_text(const view *v, const cpd_ob_task *t, bool names, const char *sep,
                           sbuf *b)
{
    for (int k = 0, n = 0; k < t->nres && k < CPD_OB_MAX_RES; k++) {
        if (!res_ok(v, t->res[k]))
            continue;
        const cpd_resource *r = &v->p->resources[t->res[k]];
        sb_printf(b, "%s%s", n++ ? sep : "", names ? r->name : r->id);
    }
}

static void format_date(int date, char *buf, size_t len) { cpd_date_format(date, buf, len); }

static const char *half_name(int period) { return period % 2 ? "pm" : "am"; }

/* "activity at SCHOOL for STAFF, week N" */
static void task_label(const view *v, const cpd_ob_task *t, sbuf *b)
{
    const cpd_scenario *s = v->p->common;
    sb_printf(b, "%s at %s", v->p->activities[t->activity].id, s->schools[t->school].id);
    if (t->staff >= 0)
        sb_printf(b, " for %s", s->staff[t->staff].id);
    sb_printf(b, ", week %d", t->target);
}

/* ---- local: schedule.csv and unmet.csv ---- */

static const char *const schedule_header[] = {
    "school",  "activity",   "day",           "date",       "half",      "duration",
    "end_day", "week",       "target_week",   "late_weeks", "resources", "resource_names",
    "staff",   "staff_name", "activity_name", NULL};

static void schedule_row(cpd_csvw *w, const view *v, const cpd_ob_task *t)
{
    const cpd_scenario *s = v->p->common;
    char date[16];
    sbuf b = {0};
    format_date(v->dates[first_day(t)], date, sizeof date);
    cpd_csvw_str(w, s->schools[t->school].id);
    cpd_csvw_str(w, v->p->activities[t->activity].id);
    cpd_csvw_int(w, first_day(t) + 1);
    cpd_csvw_str(w, date);
    cpd_csvw_str(w, half_name(t->start));
    cpd_csvw_num(w, t->duration / 2.0);
    cpd_csvw_int(w, (t->start + t->duration - 1) / 2 + 1);
    cpd_csvw_int(w, task_week(v, t));
    cpd_csvw_int(w, t->target);
    cpd_csvw_int(w, late_weeks(v, t));
    resources_text(v, t, false, ";", &b);
    cpd_csvw_str(w, sb_text(&b));
    sb_clear(&b);
    resources_text(v, t, true, "; ", &b);
    cpd_csvw_str(w, sb_text(&b));
    cpd_csvw_str(w, t->staff >= 0 ? s->staff[t->staff].id : "");
    cpd_csvw_str(w, t->staff >= 0 ? s->staff[t->staff].name : "");
    cpd_csvw_str(w, activity_name(&v->p->activities[t->activity]));
    cpd_csvw_end_row(w);
    free(b.s);
}

static void schedule_rows(cpd_csvw *w, const void *ctx)
{
    const view *v = ctx;
    for (int i = 0; i < v->nplaced; i++)
        schedule_row(w, v, task_at(v, v->order[i]));
}

static const char *const unmet_header[] = {"school", "activity", "staff", "target_week",
                                           "day",    "reason",   NULL};

static void unmet_rows(cpd_csvw *w, const void *ctx)
{
    const view *v = ctx;
    const cpd_scenario *s = v->p->common;
    for (int i = 0; v->pl && i < v->pl->nunmet; i++) {
        const cpd_ob_unmet *u = &v->pl->unmet[i];
        if (u->task < 0 || u->task >= v->pl->ntasks)
            continue;
        const cpd_ob_task *t = task_at(v, u->task);
        cpd_csvw_str(w, s->schools[t->school].id);
        cpd_csvw_str(w, v->p->activities[t->activity].id);
        cpd_csvw_str(w, t->staff >= 0 ? s->staff[t->staff].id : "");
        cpd_csvw_int(w, t->target);
        if (placed(v, t))
            cpd_csvw_int(w, first_day(t) + 1);
        else
            cpd_csvw_str(w, "");
        cpd_csvw_str(w, u->reason ? u->reason : "");
        cpd_csvw_end_row(w);
    }
}

/* ---- local: schedule.ics (RFC 5545) ---- */

static void ics_description(const view *v, const cpd_ob_task *t, sbuf *b)
{
    const cpd_scenario *s = v->p->common;
    const cpd_activity *a = &v->p->activities[t->activity];
    sb_printf(b, "School: %s (%s)\nWith: ", s->schools[t->school].name, s->schools[t->school].id);
    int n = 0;
    for (int k = 0; k < t->nres && k < CPD_OB_MAX_RES; k++)
        if (res_ok(v, t->res[k])) {
            const cpd_resource *r = &v->p->resources[t->res[k]];
            sb_printf(b, "%s%s (%s, %s)", n++ ? "; " : "", r->name, r->id, r->role);
        }
    if (n == 0)
        sb_printf(b, "nobody from the trust");
    if (t->staff >= 0)
        sb_printf(b, "\nFor: %s (%s, %s)", s->staff[t->staff].name, s->staff[t->staff].id,
                  s->staff[t->staff].role);
    for (int i = 0; i < a->audience.n; i++) {
        const char *role = a->audience.items[i];
        bool all = strcmp(role, "staff") == 0 || strcmp(role, "all") == 0;
        sb_printf(b, "%s%s", i ? ", " : "\nTaking part: ", all ? "all staff" : role);
    }
    if (t->duration <= 1)
        sb_printf(b, "\nWhen: day %d %s (half a day)", first_day(t) + 1, half_name(t->start));
    else
        sb_printf(b, "\nWhen: day %d %s to day %d %s (%g day%s)", first_day(t) + 1,
                  half_name(t->start), (t->start + t->duration - 1) / 2 + 1,
                  half_name(t->start + t->duration - 1), t->duration / 2.0,
                  t->duration == 2 ? "" : "s");
    sb_printf(b, ", week %d", task_week(v, t));
    if (t->earliest == t->latest)
        sb_printf(b, "; target week %d, window week %d", t->target, t->earliest);
    else
        sb_printf(b, "; target week %d, window weeks %d-%d", t->target, t->earliest, t->latest);
    if (late_weeks(v, t) > 0)
        sb_printf(b, "\nLate: %d week%s past its window", late_weeks(v, t),
                  late_weeks(v, t) == 1 ? "" : "s");
    sb_printf(b, "\nActivity: %s", a->id);
}

static void ics_event(FILE *f, const view *v, const cpd_ob_task *t, int joining)
{
    const cpd_scenario *s = v->p->common;
    const cpd_activity *a = &v->p->activities[t->activity];
    sbuf text = {0};
    cpd_ics_line(f, "BEGIN:VEVENT");
    sb_printf(&text, "%s-%s", a->id, s->schools[t->school].id);
    if (t->staff >= 0)
        sb_printf(&text, "-%s", s->staff[t->staff].id);
    sb_printf(&text, "-w%d@cpdplan", t->target);
    cpd_ics_prop(f, "UID", sb_text(&text));
    cpd_ics_stamp(f, v->p->params.start);
    int last = t->start + t->duration - 1;
    cpd_ics_time(f, "DTSTART", v->dates[first_day(t)], t->start % 2 ? 13 * 60 : 8 * 60 + 30);
    cpd_ics_time(f, "DTEND", v->dates[last_day(v, t)], last % 2 ? 16 * 60 + 30 : 12 * 60);
    sb_clear(&text);
    sb_printf(&text, "%s", activity_name(a));
    if (t->staff >= 0)
        sb_printf(&text, " - %s", s->staff[t->staff].name);
    if (joining > 1)
        sb_printf(&text, " (%s)", s->schools[t->school].id);
    cpd_ics_prop(f, "SUMMARY", sb_text(&text));
    cpd_ics_prop(f, "LOCATION", s->schools[t->school].name);
    sb_clear(&text);
    ics_description(v, t, &text);
    cpd_ics_prop(f, "DESCRIPTION", sb_text(&text));
    cpd_ics_line(f, "END:VEVENT");
    free(text.s);
}

static bool write_ics(cpd_outset *o, const view *v, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "schedule.ics", d);
    if (!f)
        return false;
    int joining = 0;
    for (int i = 0; i < v->p->common->nschools; i++)
        joining += v->p->common->schools[i].joining;
    cpd_ics_begin(f, "onboard schedule", v->p->common->name);
    for (int i = 0; i < v->nplaced; i++)
        ics_event(f, v, task_at(v, v->order[i]), joining);
    cpd_ics_end(f);
    return cpd_outset_flushed(o, f, "schedule.ics", d);
}

/* ---- local: summary.json ---- */

static void add_counts(cJSON *o, const counts *c)
{
    cJSON_AddNumberToObject(o, "tasks", c->tasks);
    cJSON_AddNumberToObject(o, "placed", c->placed);
    cJSON_AddNumberToObject(o, "in_window", c->in_window);
    cJSON_AddNumberToObject(o, "late", c->late);
    cJSON_AddNumberToObject(o, "unplaced", c->unplaced);
    cJSON_AddNumberToObject(o, "on_target", c->on_target);
}

static void add_by_school(cJSON *o, const view *v)
{
    const cpd_scenario *s = v->p->common;
    cJSON *arr = cJSON_AddArrayToObject(o, "by_school");
    for (int i = 0; i < s->nschools; i++) {
        if (!s->schools[i].joining)
            continue;
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "school", s->schools[i].id);
        cJSON_AddStringToObject(e, "name", s->schools[i].name);
        const counts *c = &v->school[i];
        cJSON_AddNumberToObject(e, "tasks", c->tasks);
        cJSON_AddNumberToObject(e, "placed", c->placed);
        cJSON_AddNumberToObject(e, "late", c->late);
        cJSON_AddNumberToObject(e, "unplaced", c->unplaced);
        cJSON_AddItemToArray(arr, e);
    }
}

static void add_by_resource(cJSON *o, const view *v)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "by_resource");
    for (int r = 0; r < v->p->nresources; r++) {
        const cpd_resource *res = &v->p->resources[r];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "resource", res->id);
        cJSON_AddStringToObject(e, "name", res->name);
        cJSON_AddStringToObject(e, "role", res->role);
        cJSON_AddNumberToObject(e, "days_worked", v->worked[r]);
        cJSON_AddNumberToObject(e, "days_available", v->available[r]);
        cJSON_AddNumberToObject(e, "schools", v->nschools[r]);
        cJSON_AddItemToArray(arr, e);
    }
}

static cJSON *summary_object(const view *v)
{
    const cpd_onboard_plan *pl = v->pl;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "job", "onboard");
    if (v->p->common->name)
        cJSON_AddStringToObject(o, "scenario", v->p->common->name);
    else
        cJSON_AddNullToObject(o, "scenario");
    cJSON_AddStringToObject(o, "status", status_name(pl));
    cpd_json_add_solve(o, pl ? &pl->result : NULL, pl && pl->ntasks > 0,
                       pl ? pl->heuristic_objective : NAN);
    add_counts(o, &v->all);
    cJSON_AddNumberToObject(o, "unmet", pl ? pl->nunmet : 0);
    cJSON_AddNumberToObject(o, "school_weeks", v->school_weeks);
    cJSON_AddNumberToObject(o, "days", v->ndays);
    cJSON_AddNumberToObject(o, "weeks", v->nweeks);
    char start[16];
    format_date(v->p->params.start, start, sizeof start);
    cJSON_AddStringToObject(o, "start", start);
    add_by_school(o, v);
    add_by_resource(o, v);
    cJSON *m = cJSON_AddObjectToObject(o, "model");
    cJSON_AddNumberToObject(m, "variables", pl ? pl->nvars : 0);
    cJSON_AddNumberToObject(m, "constraints", pl ? pl->nconstraints : 0);
    return o;
}

/* ---- local: the week-by-day grids (terminal and report) ---- */

/* A school's one-character code in the resource grid: A-Z, a-z, 0-9 by index among the
 * joining schools; '?' past them. */
static char school_code(const view *v, int school)
{
    static const char codes[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    int k = 0;
    for (int i = 0; i < school; i++)
        k += v->p->common->schools[i].joining;
    return k < MAX_CODES ? codes[k] : '?';
}

static const day_schools *rday_at(const view *v, int r, int d)
{
    return &v->rday[(size_t)r * (size_t)v->ndays + (size_t)d];
}

/* Tasks of activity a at school s running on day d. */
static int running(const view *v, int a, int s, int d)
{
    int n = 0;
    for (int i = 0; i < v->nplaced; i++) {
        const cpd_ob_task *t = task_at(v, v->order[i]);
        n += t->activity == a && t->school == s && first_day(t) <= d && last_day(v, t) >= d;
    }
    return n;
}

static bool has_tasks(const view *v, int a, int s)
{
    for (int i = 0; i < v->nplaced; i++)
        if (task_at(v, v->order[i])->activity == a && task_at(v, v->order[i])->school == s)
            return true;
    return false;
}

/* The first day (0-based) of week w, or ndays when it has none. */
static int week_first(const view *v, int w)
{
    int d = 0;
    while (d < v->ndays && v->week[d] < w)
        d++;
    return d;
}

/* Weeks from w that fit in width columns, each day cell columns wide plus a 2-column gap. */
static int weeks_fitting(const view *v, int w, int cell, int width)
{
    int n = 0, used = 0;
    for (int x = w; x <= v->nweeks; x++) {
        int days = week_first(v, x + 1) - week_first(v, x), need = days * cell + 2;
        if (n > 0 && used + need > width)
            break;
        used += need;
        n++;
    }
    return n;
}

static void print_grid_head(FILE *out, const view *v, int w0, int w1, int label, int cell)
{
    fprintf(out, "%*s", label, "");
    for (int w = w0; w <= w1; w++) {
        int days = week_first(v, w + 1) - week_first(v, w);
        char head[16];
        snprintf(head, sizeof head, days * cell >= 8 ? "week %d" : "w%d", w);
        fprintf(out, "| %-*.*s", days * cell, days * cell, head);
    }
    fprintf(out, "\n%*s", label, "");
    for (int w = w0; w <= w1; w++) {
        fputs("| ", out);
        for (int d = week_first(v, w); d < week_first(v, w + 1); d++) {
            int y, m, dd;
            cpd_date_to_ymd(v->dates[d], &y, &m, &dd);
            fprintf(out, "%-*d", cell, dd);
        }
    }
    fputc('\n', out);
}

static void resource_cell(FILE *out, const view *v, int r, int d)
{
    const day_schools *ds = rday_at(v, r, d);
    char c[3] = ".";
    if (ds->first >= 0) {
        c[0] = school_code(v, ds->first);
        c[1] = ds->more ? '+' : ds->second >= 0 ? school_code(v, ds->second) : '\0';
    } else if (away_on(&v->p->resources[r], v->dates[d])) {
        c[0] = 'x';
    }
    fprintf(out, "%-3s", c);
}

static void print_resource_grid(FILE *out, const view *v)
{
    const cpd_scenario *s = v->p->common;
    fputs("\nWhere each resource works, day by day (. free, x away):", out);
    for (int i = 0, shown = 0; i < s->nschools; i++)
        if (s->schools[i].joining)
            fprintf(out, "%s%c %s", shown++ % 4 ? ", " : "\n  ", school_code(v, i),
                    s->schools[i].id);
    fputc('\n', out);
    for (int w0 = 1; w0 <= v->nweeks;) {
        int w1 = w0 + weeks_fitting(v, w0, 3, TERM_WIDTH - LABEL_WIDTH) - 1;
        print_grid_head(out, v, w0, w1, LABEL_WIDTH, 3);
        for (int r = 0; r < v->p->nresources; r++) {
            cpd_put_name(out, v->p->resources[r].id, LABEL_WIDTH - 1);
            fputc(' ', out);
            for (int w = w0; w <= w1; w++) {
                fputs("| ", out);
                for (int d = week_first(v, w); d < week_first(v, w + 1); d++)
                    resource_cell(out, v, r, d);
            }
            fputc('\n', out);
        }
        w0 = w1 + 1;
    }
}

static void print_school_grid(FILE *out, const view *v, int s)
{
    const cpd_scenario *c = v->p->common;
    fprintf(out, "\n%s %s: tasks running each day (. none)\n", c->schools[s].id,
            c->schools[s].name);
    for (int w0 = 1; w0 <= v->nweeks;) {
        int w1 = w0 + weeks_fitting(v, w0, 3, TERM_WIDTH - ACT_LABEL) - 1;
        print_grid_head(out, v, w0, w1, ACT_LABEL, 3);
        for (int a = 0; a < v->p->nactivities; a++) {
            if (!has_tasks(v, a, s))
                continue;
            cpd_put_name(out, v->p->activities[a].id, ACT_LABEL - 1);
            fputc(' ', out);
            for (int w = w0; w <= w1; w++) {
                fputs("| ", out);
                for (int d = week_first(v, w); d < week_first(v, w + 1); d++) {
                    int n = running(v, a, s, d);
                    if (n == 0)
                        fprintf(out, "%-3s", ".");
                    else if (n < 100)
                        fprintf(out, "%-3d", n);
                    else
                        fprintf(out, "%-3s", "++");
                }
            }
            fputc('\n', out);
        }
        w0 = w1 + 1;
    }
}

/* ---- local: the terminal table ---- */

static void print_status(FILE *out, const view *v)
{
    const cpd_onboard_plan *pl = v->pl;
    cpd_term_status st = {.job = "onboard", .name = v->p->common->name, .status = status_name(pl),
                          .has_plan = has_plan(pl), .has_bound = pl && pl->result.has_bound,
                          .objective = pl ? pl->result.objective : 0,
                          .bound = pl ? pl->result.bound : 0, .gap = known_gap(pl),
                          .seconds = pl ? pl->result.seconds : 0, .short_figures = true};
    cpd_term_status_line(out, v->colour, &st);
}

static void print_tables(FILE *out, const view *v)
{
    const cpd_scenario *s = v->p->common;
    char start[16];
    format_date(v->p->params.start, start, sizeof start);
    fprintf(out,
            "\n%d days from %s (%d weeks)   tasks %d   placed %d   in window %d   late %d   "
            "unplaced %d\non target week %d   school-weeks %d\n",
            v->ndays, start, v->nweeks, v->all.tasks, v->all.placed, v->all.in_window, v->all.late,
            v->all.unplaced, v->all.on_target, v->school_weeks);
    fputc('\n', out);
    cpd_term_printf(out, v->colour, CPD_TONE_HEADER, "%-10s %-30s %7s %7s %7s %9s", "school",
                    "name", "tasks", "placed", "late", "unplaced");
    fputc('\n', out);
    for (int i = 0; i < s->nschools; i++) {
        if (!s->schools[i].joining)
            continue;
        const counts *c = &v->school[i];
        cpd_put_name(out, s->schools[i].id, 10);
        fputc(' ', out);
        cpd_put_name(out, s->schools[i].name, 30);
        fprintf(out, " %7d %7d %7d %9d\n", c->tasks, c->placed, c->late, c->unplaced);
    }
    fputc('\n', out);
    cpd_term_printf(out, v->colour, CPD_TONE_HEADER, "%-10s %-30s %-12s %7s %9s %7s", "resource",
                    "name", "role", "days", "available", "schools");
    fputc('\n', out);
    for (int r = 0; r < v->p->nresources; r++) {
        const cpd_resource *res = &v->p->resources[r];
        cpd_put_name(out, res->id, 10);
        fputc(' ', out);
        cpd_put_name(out, res->name, 30);
        fputc(' ', out);
        cpd_put_name(out, res->role, 12);
        fprintf(out, " %7d %9d %7d\n", v->worked[r], v->available[r], v->nschools[r]);
    }
}

static void print_unmet(FILE *out, const view *v)
{
    const cpd_onboard_plan *pl = v->pl;
    int n = pl ? pl->nunmet : 0;
    fprintf(out, "\nunmet: %d task%s%s\n", n, n == 1 ? "" : "s",
            n ? " late or not placed (unmet.csv says why)" : "");
    sbuf b = {0};
    for (int i = 0; i < n && i < UNMET_SHOWN; i++) {
        const cpd_ob_unmet *u = &pl->unmet[i];
        if (u->task < 0 || u->task >= pl->ntasks)
            continue;
        sb_clear(&b);
        task_label(v, task_at(v, u->task), &b);
        sb_printf(&b, ": %s", u->reason ? u->reason : "");
        fputs("  ", out);
        cpd_term_put_cut(out, sb_text(&b), TERM_WIDTH - 2);
        fputc('\n', out);
    }
    if (n > UNMET_SHOWN)
        fprintf(out, "  … and %d more\n", n - UNMET_SHOWN);
    free(b.s);
}

/* ---- local: report.html ---- */

static bool write_report(cpd_outset *o, const view *v, const char *summary, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "report.html", d);
    cJSON *sum = cJSON_Parse(summary);
    if (f && sum) {
        cpd_report_begin(f, "Onboarding", sum);
        cpd_report_onboard(f, v->p, v->pl, sum);
        cpd_report_end(f);
    }
    else if (f)
        cpd_error(d, cpd_outset_dir(o), 0, 0, "writing report.html failed: out of memory");
    bool ok = f && sum && cpd_outset_flushed(o, f, "report.html", d);
    cJSON_Delete(sum);
    return ok;
}

/* ---- local: reading a schedule back ---- */

typedef struct {
    const cpd_onboard *p;
    cpd_diags *d;
    cpd_onboard_plan *pl;
    cpd_strmap *schools, *acts, *staff, *res, *tasks;
    int *line;       /* per task: the schedule.csv line that placed it, 0 none */
    int *unmet_line; /* per task: the unmet.csv line that listed it, 0 none */
} reader;

/* An id of map: its index; -1 for an empty cell when allowed; -2 after an error. */
static int read_id(reader *R, const cpd_csv *t, size_t r, int c, const cpd_strmap *map,
                   const char *what, const char *file, bool empty_ok)
{
    const char *id = cpd_io_plan_cell(t, r, c);
    if (!*id) {
        if (!empty_ok)
            cpd_cell_error(R->d, t, r, c, "%s is empty", what);
        return empty_ok ? -1 : -2;
    }
    int i = cpd_strmap_get(map, id);
    if (i < 0)
        cpd_cell_error(R->d, t, r, c, "unknown %s '%s' (not in %s)", what, id, file);
    return i < 0 ? -2 : i;
}

static void task_key(char *buf, size_t len, int a, int s, int staff, int week)
{
    snprintf(buf, len, "%d %d %d %d", a, s, staff, week);
}

/* The columns that name a task: school, activity, staff, target_week (in this order). */
typedef struct {
    int school, activity, staff, target;
} key_cols;

/* The programme's task a row names, or -1 after an error. day (0-based, -1 none) gives the
 * target week of a weekly activity when the file has no target_week column. */
static int row_task(reader *R, const cpd_csv *t, size_t r, const key_cols *k, int day)
{
    int s = read_id(R, t, r, k->school, R->schools, "school", "schools.csv", false);
    int a = read_id(R, t, r, k->activity, R->acts, "activity", "activities.csv", false);
    int st = read_id(R, t, r, k->staff, R->staff, "staff", "staff.csv", true);
    if (s < 0 || a < 0 || st < -1)
        return -1;
    const cpd_activity *act = &R->p->activities[a];
    long week = act->week;
    if (k->target >= 0 && !cpd_csv_int(t, r, k->target, "target_week", 1, 1000, &week, R->d))
        return -1;
    if (k->target < 0 && act->weekly && day >= 0)
        week = cpd_onboard_week_of_day(R->p, day + 1);
    char key[64];
    task_key(key, sizeof key, a, s, st, (int)week);
    int i = cpd_strmap_get(R->tasks, key);
    if (i < 0) {
        sbuf b = {0};
        sb_printf(&b, "%s at %s", act->id, R->p->common->schools[s].id);
        if (st >= 0)
            sb_printf(&b, " for %s", R->p->common->staff[st].id);
        cpd_cell_error(R->d, t, r, k->activity, "no such task in the programme: %s, week %ld",
                       sb_text(&b), week);
        free(b.s);
    }
    return i;
}

/* The resources column: ids ';'-separated into the task; false after an error. */
static bool read_resources(reader *R, const cpd_csv *t, size_t r, int c, cpd_ob_task *task)
{
    cpd_strlist l = {0};
    cpd_csv_list(t, r, c, false, &l);
    bool ok = true;
    if (l.n > CPD_OB_MAX_RES) {
        cpd_cell_error(R->d, t, r, c, "at most %d resources a task (got %d)", CPD_OB_MAX_RES, l.n);
        ok = false;
    }
    for (int i = 0; ok && i < l.n; i++) {
        int k = cpd_strmap_get(R->res, l.items[i]);
        if (k < 0) {
            cpd_cell_error(R->d, t, r, c, "unknown resource '%s' (not in resources.csv)",
                           l.items[i]);
            ok = false;
        } else {
            task->res[i] = k;
        }
    }
    task->nres = ok ? l.n : 0;
    cpd_strlist_clear(&l);
    return ok;
}

/* The start period of a row: day and half; -1 after an error. */
static int read_start(reader *R, const cpd_csv *t, size_t r, int cday, int chalf)
{
    long day;
    if (!cpd_csv_int(t, r, cday, "day", 1, R->p->params.ndays, &day, R->d))
        return -1;
    const char *h = cpd_io_plan_cell(t, r, chalf);
    if (!*h || strcmp(h, "am") == 0)
        return 2 * ((int)day - 1);
    if (strcmp(h, "pm") == 0)
        return 2 * ((int)day - 1) + 1;
    cpd_cell_error(R->d, t, r, chalf, "half must be am or pm (got '%s')", h);
    return -1;
}

/* Duration in days into half-days; -1 after an error, 0 when the column is absent. */
static int read_duration(reader *R, const cpd_csv *t, size_t r, int c)
{
    if (c < 0)
        return 0;
    double x;
    const char *v = cpd_csv_cell(t, r, c);
    if (cpd_parse_double(v, &x) && x > 0 && x <= 1000 && 2 * x == floor(2 * x))
        return (int)(2 * x);
    cpd_cell_error(R->d, t, r, c, "duration must be a positive multiple of 0.5 days (got '%s')", v);
    return -1;
}

static void read_schedule(reader *R, const char *outdir)
{
    static const cpd_csv_colspec spec[] = {
        {"school", true},      {"activity", true},    {"day", true},
        {"date", false},       {"half", false},       {"duration", false},
        {"end_day", false},    {"week", false},       {"target_week", false},
        {"late_weeks", false}, {"resources", true},   {"resource_names", false},
        {"staff", false},      {"staff_name", false}, {"activity_name", false}};
    int c[15];
    cpd_csv *t = cpd_io_open_table(outdir, "schedule.csv", false, spec, 15, c, R->d);
    key_cols k = {c[0], c[1], c[12], c[8]};
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int start = read_start(R, t, r, c[2], c[4]);
        int i = row_task(R, t, r, &k, start >= 0 ? start / 2 : -1);
        int dur = read_duration(R, t, r, c[5]);
        cpd_ob_task res = {0};
        bool ok = read_resources(R, t, r, c[10], &res);
        if (i < 0 || start < 0 || dur < 0 || !ok)
            continue;
        if (R->line[i]) {
            cpd_cell_error(R->d, t, r, c[1], "the same task as line %d (each task is placed once)",
                           R->line[i]);
            continue;
        }
        R->line[i] = cpd_csv_line(t, r);
        cpd_ob_task *task = &R->pl->tasks[i];
        task->start = start;
        if (dur > 0)
            task->duration = dur;
        memcpy(task->res, res.res, sizeof task->res);
        task->nres = res.nres;
    }
    cpd_csv_free(&t);
}

static void read_unmet(reader *R, const char *outdir)
{
    static const cpd_csv_colspec spec[] = {{"school", true}, {"activity", true},
                                           {"staff", false}, {"target_week", false},
                                           {"day", false},   {"reason", true}};
    int c[6];
    cpd_csv *t = cpd_io_open_table(outdir, "unmet.csv", false, spec, 6, c, R->d);
    key_cols k = {c[0], c[1], c[2], c[3]};
    size_t n = t ? cpd_csv_nrows(t) : 0;
    R->pl->unmet = cpd_xcalloc(n + 1, sizeof *R->pl->unmet);
    for (size_t r = 0; r < n; r++) {
        long day = 0;
        const char *dv = c[4] >= 0 ? cpd_csv_cell(t, r, c[4]) : "";
        if (*dv && !cpd_csv_int(t, r, c[4], "day", 1, R->p->params.ndays, &day, R->d))
            continue;
        int i = row_task(R, t, r, &k, day > 0 ? (int)day - 1 : -1);
        if (i < 0)
            continue;
        if (R->unmet_line[i]) {
            cpd_cell_error(R->d, t, r, c[1], "the same task as line %d (each task is listed once)",
                           R->unmet_line[i]);
            continue;
        }
        R->unmet_line[i] = cpd_csv_line(t, r);
        R->pl->unmet[R->pl->nunmet++] = (cpd_ob_unmet){i, cpd_strdup(cpd_io_plan_cell(t, r, c[5]))};
    }
    cpd_csv_free(&t);
}

/* ---- interface ---- */

char *cpd_onboard_summary_json(const cpd_onboard *p, const cpd_onboard_plan *plan)
{
    view v = view_new(p, plan);
    char *text = cpd_json_take_text(summary_object(&v));
    view_free(&v);
    return text;
}

void cpd_print_onboard_summary(FILE *out, const cpd_onboard *p, const cpd_onboard_plan *plan,
                               bool colour)
{
    view v = view_new(p, plan);
    v.colour = colour;
    print_status(out, &v);
    print_tables(out, &v);
    if (plan) {
        print_resource_grid(out, &v);
        for (int s = 0; s < p->common->nschools; s++)
            if (p->common->schools[s].joining)
                print_school_grid(out, &v, s);
    }
    print_unmet(out, &v);
    view_free(&v);
}

bool cpd_write_onboard(const char *outdir, const cpd_onboard *p, const cpd_onboard_plan *plan,
                       cpd_diags *d)
{
    if (!plan) {
        cpd_error(d, outdir, 0, 0, "no plan to write");
        return false;
    }
    view v = view_new(p, plan);
    char *summary = cpd_json_take_text(summary_object(&v));
    cpd_outset *o = cpd_outset_new(outdir, d);
    bool ok = o && cpd_outset_csv(o, "schedule.csv", schedule_header, schedule_rows, &v, d) &&
              write_ics(o, &v, d) &&
              cpd_outset_csv(o, "unmet.csv", unmet_header, unmet_rows, &v, d) &&
              cpd_outset_text(o, "summary.json", summary, d) && write_report(o, &v, summary, d);
    free(summary);
    view_free(&v);
    return cpd_outset_finish(&o, ok, d);
}

cpd_onboard_plan *cpd_read_onboard_plan(const char *outdir, const cpd_onboard *p, cpd_diags *d)
{
    size_t errors = cpd_diags_errors(d);
    cpd_onboard_plan *pl = cpd_xcalloc(1, sizeof *pl);
    pl->tasks = cpd_onboard_tasks(p, &pl->ntasks);
    pl->ndays = p->params.ndays;
    pl->dates = cpd_xcalloc((size_t)pl->ndays + 1, sizeof(int));
    cpd_onboard_days(p, pl->dates);
    pl->result.status = CPD_SOLVE_FEASIBLE; /* the files do not say; summary.json does */
    pl->heuristic_objective = NAN;
    reader R = {p,
                d,
                pl,
                cpd_strmap_new(),
                cpd_strmap_new(),
                cpd_strmap_new(),
                cpd_strmap_new(),
                cpd_strmap_new(),
                cpd_xcalloc((size_t)pl->ntasks + 1, sizeof(int)),
                cpd_xcalloc((size_t)pl->ntasks + 1, sizeof(int))};
    const cpd_scenario *s = p->common;
    for (int i = 0; i < s->nschools; i++)
        cpd_strmap_put(R.schools, s->schools[i].id, i);
    for (int i = 0; i < s->nstaff; i++)
        cpd_strmap_put(R.staff, s->staff[i].id, i);
    for (int i = 0; i < p->nactivities; i++)
        cpd_strmap_put(R.acts, p->activities[i].id, i);
    for (int i = 0; i < p->nresources; i++)
        cpd_strmap_put(R.res, p->resources[i].id, i);
    for (int i = 0; i < pl->ntasks; i++) {
        char key[64];
        const cpd_ob_task *t = &pl->tasks[i];
        task_key(key, sizeof key, t->activity, t->school, t->staff, t->target);
        cpd_strmap_put(R.tasks, key, i);
    }
    read_schedule(&R, outdir);
    read_unmet(&R, outdir);
    free(R.line);
    free(R.unmet_line);
    cpd_strmap_free(&R.schools);
    cpd_strmap_free(&R.acts);
    cpd_strmap_free(&R.staff);
    cpd_strmap_free(&R.res);
    cpd_strmap_free(&R.tasks);
    if (cpd_diags_errors(d) > errors)
        cpd_onboard_plan_free(&pl);
    return pl;
}
