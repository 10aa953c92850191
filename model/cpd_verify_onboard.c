/* cpd_verify_onboard.c — re-checks an onboarding schedule against the programme with rules
 * derived here from the inputs alone: its own calendar, its own count of the tasks each
 * activity makes per school; nothing of cpd_onboard_tasks, the cost or onboard_*.c is called,
 * so a wrong model cannot vouch for its own plan. */
#include "cpd_verify.h"

#include "cpd_date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLAN_FILE "schedule.csv"
#define UNMET_FILE "unmet.csv"

/* A task as the programme defines it: an activity at a school, for a person or -1, a week. */
typedef struct {
    int activity, school, staff, target;
} tkey;

typedef struct {
    const cpd_onboard *p;
    const cpd_onboard_plan *pl;
    cpd_diags *d;
    int breaches;
    int ndays, nper;   /* working days, half-day periods */
    int *dates, *week; /* per day (0-based): date, calendar week */
    tkey *expect;      /* the programme's tasks, sorted by key */
    int nexpect;
    int *seen;        /* per expected task: the plan task holding it, -1 none */
    int *match;       /* per plan task: its expected task, -1 none */
    int *unmet_rows;  /* per plan task: unmet rows naming it */
    int *rocc, *socc; /* resource x period, staff x period: the task there, -1 free */
    int *cover;       /* school x period: staff out of class */
} vctx;

static const char *half_name(int h) { return h % 2 ? "pm" : "am"; }

/* ---- local: the calendar and roles, computed here ---- */

static bool in_dates(const int *a, int n, int date)
{
    for (int i = 0; i < n; i++)
        if (a[i] == date)
            return true;
    return false;
}

static void make_calendar(vctx *v)
{
    const cpd_onboard_params *q = &v->p->params;
    v->dates = cpd_xcalloc((size_t)v->ndays + 1, sizeof(int));
    v->week = cpd_xcalloc((size_t)v->ndays + 1, sizeof(int));
    int monday = q->start - cpd_date_weekday(q->start);
    for (int date = q->start, n = 0; n < v->ndays; date++) {
        if (cpd_date_weekday(date) >= 5 || in_dates(q->closures, q->nclosures, date))
            continue;
        v->dates[n] = date;
        v->week[n++] = (date - monday) / 7 + 1;
    }
}

static bool everyone(const cpd_strlist *l)
{
    return cpd_strlist_has(l, "staff") || cpd_strlist_has(l, "all");
}

static bool holds(const cpd_strlist *l, const cpd_staff *t)
{
    return everyone(l) || (t->role && cpd_strlist_has(l, t->role));
}

/* ---- local: naming ---- */

static void key_label(const vctx *v, const tkey *k, int start, char *buf, size_t len)
{
    const cpd_scenario *c = v->p->common;
    int at =
        snprintf(buf, len, "%s at %s", v->p->activities[k->activity].id, c->schools[k->school].id);
    if (k->staff >= 0 && at < (int)len)
        at += snprintf(buf + at, len - (size_t)at, " for %s", c->staff[k->staff].id);
    if (at < (int)len)
        at += snprintf(buf + at, len - (size_t)at, ", week %d", k->target);
    if (start >= 0 && at < (int)len)
        snprintf(buf + at, len - (size_t)at, ", day %d %s", start / 2 + 1, half_name(start));
}

static tkey key_of(const cpd_ob_task *t)
{
    return (tkey){t->activity, t->school, t->staff, t->target};
}

static void task_label(const vctx *v, int i, char *buf, size_t len)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    tkey k = key_of(t);
    key_label(v, &k, t->start, buf, len);
}

static void vbreach(vctx *v, const char *file, const char *label, const char *fmt, va_list ap)
{
    char rule[512];
    vsnprintf(rule, sizeof rule, fmt, ap);
    cpd_error(v->d, file, 0, 0, "%s: %s", label, rule);
    v->breaches++;
}

static void task_breach(vctx *v, int i, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void task_breach(vctx *v, int i, const char *file, const char *fmt, ...)
{
    char label[256];
    task_label(v, i, label, sizeof label);
    va_list ap;
    va_start(ap, fmt);
    vbreach(v, file, label, fmt, ap);
    va_end(ap);
}

static void plain_breach(vctx *v, const char *file, const char *label, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void plain_breach(vctx *v, const char *file, const char *label, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vbreach(v, file, label, fmt, ap);
    va_end(ap);
}

/* ---- local: the programme's tasks, counted here ---- */

static void push_key(vctx *v, int *cap, tkey k)
{
    if (v->nexpect == *cap) {
        *cap = *cap ? 2 * *cap : 64;
        v->expect = cpd_xrealloc(v->expect, (size_t)*cap * sizeof *v->expect);
    }
    v->expect[v->nexpect++] = k;
}

/* In (activity, school, staff, week) order, so the list comes out sorted. */
static void count_tasks(vctx *v)
{
    const cpd_scenario *c = v->p->common;
    int cap = 0;
    for (int a = 0; a < v->p->nactivities; a++) {
        const cpd_activity *act = &v->p->activities[a];
        int first = act->weekly ? act->earliest : act->week;
        int last = act->weekly ? act->latest : act->week;
        for (int s = 0; s < c->nschools; s++) {
            if (!c->schools[s].joining)
                continue;
            for (int t = -1; t < c->nstaff; t++) {
                bool mine = act->per.n == 0 ? t < 0
                                            : t >= 0 && c->staff[t].school == s &&
                                                  holds(&act->per, &c->staff[t]);
                for (int w = first; mine && w <= last; w++)
                    push_key(v, &cap, (tkey){a, s, t, w});
            }
        }
    }
}

static int key_cmp(const void *x, const void *y)
{
    const tkey *a = x, *b = y;
    if (a->activity != b->activity)
        return a->activity < b->activity ? -1 : 1;
    if (a->school != b->school)
        return a->school < b->school ? -1 : 1;
    if (a->staff != b->staff)
        return a->staff < b->staff ? -1 : 1;
    return a->target < b->target ? -1 : a->target > b->target;
}

static bool indices_valid(const vctx *v, const cpd_ob_task *t)
{
    const cpd_scenario *c = v->p->common;
    return t->activity >= 0 && t->activity < v->p->nactivities && t->school >= 0 &&
           t->school < c->nschools && t->staff >= -1 && t->staff < c->nstaff;
}

/* Every plan task is one of the programme's, once; every programme task is in the plan. */
static void check_membership(vctx *v)
{
    const cpd_onboard_plan *pl = v->pl;
    for (int i = 0; i < pl->ntasks; i++) {
        const cpd_ob_task *t = &pl->tasks[i];
        if (!indices_valid(v, t)) {
            char label[64];
            snprintf(label, sizeof label, "task %d of the plan", i + 1);
            plain_breach(v, PLAN_FILE, label,
                         "names no activity, school or person of the scenario");
            continue;
        }
        tkey k = key_of(t);
        tkey *hit = bsearch(&k, v->expect, (size_t)v->nexpect, sizeof k, key_cmp);
        if (!hit) {
            task_breach(v, i, PLAN_FILE, "is not a task of the programme");
            continue;
        }
        int e = (int)(hit - v->expect);
        if (v->seen[e] >= 0) {
            task_breach(v, i, PLAN_FILE, "appears twice in the plan");
            continue;
        }
        v->seen[e] = i;
        v->match[i] = e;
    }
    for (int e = 0; e < v->nexpect; e++)
        if (v->seen[e] < 0) {
            char label[256];
            key_label(v, &v->expect[e], -1, label, sizeof label);
            plain_breach(v, PLAN_FILE, label, "is missing: neither placed nor listed in unmet.csv");
        }
}

static void check_unmet_rows(vctx *v)
{
    const cpd_onboard_plan *pl = v->pl;
    for (int u = 0; u < pl->nunmet; u++) {
        int i = pl->unmet[u].task;
        if (i < 0 || i >= pl->ntasks) {
            char label[64];
            snprintf(label, sizeof label, "unmet row %d", u + 1);
            plain_breach(v, UNMET_FILE, label, "names no task of the plan");
            continue;
        }
        if (++v->unmet_rows[i] == 2 && v->match[i] >= 0)
            task_breach(v, i, UNMET_FILE, "is listed twice in unmet.csv");
    }
}

/* ---- local: one placed task on its own ---- */

static void window_of(const cpd_activity *act, int target, int *earliest, int *latest)
{
    *earliest = act->weekly ? target : act->earliest;
    *latest = act->weekly ? target : act->latest;
}

static void window_text(int e, int l, char *buf, size_t len)
{
    if (e == l)
        snprintf(buf, len, "window week %d", e);
    else
        snprintf(buf, len, "window weeks %d-%d", e, l);
}

/* Start, horizon, whole days in a morning, the window and its unmet listing. False when the
 * task's periods are not in the horizon (nothing more can be checked). */
static bool check_timing(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    const cpd_activity *act = &v->p->activities[t->activity];
    if (t->duration != act->duration)
        task_breach(v, i, PLAN_FILE, "lasts %d half-days; the activity lasts %d", t->duration,
                    act->duration);
    if (t->start + act->duration > v->nper) {
        task_breach(v, i, PLAN_FILE, "runs past the last day of the programme (day %d)", v->ndays);
        return false;
    }
    if (v->p->params.morning_starts && act->duration % 2 == 0 && t->start % 2 == 1)
        task_breach(v, i, PLAN_FILE, "lasts whole days but starts in an afternoon");
    int e, l, w = v->week[t->start / 2];
    char win[32];
    window_of(act, t->target, &e, &l);
    window_text(e, l, win, sizeof win);
    bool listed = v->unmet_rows[i] > 0;
    if (w < e)
        task_breach(v, i, PLAN_FILE, "starts in week %d, before its %s", w, win);
    else if (w > l && !listed)
        task_breach(v, i, PLAN_FILE, "is late (week %d, %s) but not listed in unmet.csv", w, win);
    else if (w <= l && listed)
        task_breach(v, i, UNMET_FILE, "is listed in unmet.csv though placed within its window");
    return true;
}

static void roles_text(const cpd_ob_need *k, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int i = 0; i < k->roles.n && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? "|" : "", k->roles.items[i]);
    if (at < len)
        snprintf(buf + at, len - at, ":%d", k->count);
}

/* The deployed coach fills the first need when they are a resource of one of its roles. */
static void check_coach(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    const cpd_activity *act = &v->p->activities[t->activity];
    if (!act->coach || !v->p->coach_of || t->staff < 0 || act->nneeds == 0)
        return;
    int c = v->p->coach_of[t->staff];
    if (c < 0 || c >= v->p->nresources ||
        !cpd_strlist_has(&act->needs[0].roles, v->p->resources[c].role))
        return;
    for (int k = 0; k < act->needs[0].count && k < t->nres; k++)
        if (t->res[k] == c)
            return;
    task_breach(v, i, PLAN_FILE, "is not with %s, the person's deployed coach",
                v->p->resources[c].id);
}

/* Counts, roles and distinct people; false when a resource index is out of range. */
static bool check_needs(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    const cpd_activity *act = &v->p->activities[t->activity];
    int want = 0;
    for (int k = 0; k < act->nneeds; k++)
        want += act->needs[k].count;
    if (t->nres < 0 || t->nres > CPD_OB_MAX_RES) {
        task_breach(v, i, PLAN_FILE, "has %d resources; its needs ask for %d", t->nres, want);
        return false;
    }
    for (int r = 0; r < t->nres; r++)
        if (t->res[r] < 0 || t->res[r] >= v->p->nresources) {
            task_breach(v, i, PLAN_FILE, "names a resource that does not exist");
            return false;
        }
    if (t->nres != want) {
        task_breach(v, i, PLAN_FILE, "has %d resources; its needs ask for %d", t->nres, want);
        return true;
    }
    for (int k = 0, off = 0; k < act->nneeds; off += act->needs[k++].count)
        for (int c = off; c < off + act->needs[k].count; c++) {
            const cpd_resource *r = &v->p->resources[t->res[c]];
            if (!cpd_strlist_has(&act->needs[k].roles, r->role)) {
                char need[128];
                roles_text(&act->needs[k], need, sizeof need);
                task_breach(v, i, PLAN_FILE, "needs %s but %s is %s", need, r->id, r->role);
            }
        }
    for (int a = 0; a < t->nres; a++)
        for (int b = a + 1; b < t->nres; b++)
            if (t->res[a] == t->res[b])
                task_breach(v, i, PLAN_FILE, "names %s twice", v->p->resources[t->res[a]].id);
    check_coach(v, i);
    return true;
}

/* All-staff training: every day a training day, or half a day in a twilight afternoon. */
static void check_training(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    const cpd_activity *act = &v->p->activities[t->activity];
    const cpd_onboard_params *q = &v->p->params;
    if (!everyone(&act->audience))
        return;
    int first = t->start / 2, last = (t->start + act->duration - 1) / 2;
    bool training = true;
    for (int d = first; d <= last; d++)
        training &= in_dates(q->training_days, q->ntraining_days, v->dates[d]);
    bool twilight = act->duration == 1 && t->start % 2 == 1 &&
                    (q->twilight >> cpd_date_weekday(v->dates[first]) & 1u);
    if (training || twilight)
        return;
    char date[16];
    cpd_date_format(v->dates[first], date, sizeof date);
    task_breach(v, i, PLAN_FILE,
                "is all-staff training on day %d (%s), which is neither a training day nor a "
                "twilight afternoon",
                first + 1, date);
}

/* ---- local: people and periods ---- */

static void take_resources(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    int dur = v->p->activities[t->activity].duration;
    for (int k = 0; k < t->nres; k++) {
        const cpd_resource *r = &v->p->resources[t->res[k]];
        int *occ = &v->rocc[(size_t)t->res[k] * (size_t)v->nper];
        bool clash = false, away = false;
        for (int h = t->start; h < t->start + dur; h++) {
            if (occ[h] >= 0 && occ[h] != i && !clash) {
                char other[256];
                task_label(v, occ[h], other, sizeof other);
                task_breach(v, i, PLAN_FILE, "%s is also in %s", r->id, other);
                clash = true;
            } else if (occ[h] < 0) {
                occ[h] = i;
            }
            char date[16];
            if (!away && in_dates(r->unavailable, r->nunavailable, v->dates[h / 2])) {
                cpd_date_format(v->dates[h / 2], date, sizeof date);
                task_breach(v, i, PLAN_FILE, "%s is away on %s", r->id, date);
                away = true;
            }
        }
    }
}

/* One person's periods of task i; a person already busy is a breach. */
static void take_person(vctx *v, int i, int q, int dur)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    int *occ = &v->socc[(size_t)q * (size_t)v->nper];
    for (int h = t->start; h < t->start + dur; h++) {
        if (occ[h] >= 0 && occ[h] != i) {
            char other[256];
            task_label(v, occ[h], other, sizeof other);
            task_breach(v, i, PLAN_FILE, "%s is also in %s", v->p->common->staff[q].id, other);
            return;
        }
        occ[h] = i;
    }
}

/* The task's person and every member of its school the audience holds: busy, and when the
 * activity takes them out of class, counted against the school's cover limit. */
static void take_staff(vctx *v, int i)
{
    const cpd_ob_task *t = &v->pl->tasks[i];
    const cpd_activity *act = &v->p->activities[t->activity];
    const cpd_scenario *c = v->p->common;
    int n = 0;
    for (int q = 0; q < c->nstaff; q++) {
        bool in = q == t->staff ||
                  (c->staff[q].school == t->school && holds(&act->audience, &c->staff[q]));
        if (!in)
            continue;
        take_person(v, i, q, act->duration);
        n++;
    }
    if (!act->cover || n == 0)
        return;
    int limit = v->p->params.cover_limit;
    for (int h = t->start; h < t->start + act->duration; h++) {
        int *out = &v->cover[(size_t)t->school * (size_t)v->nper + (size_t)h];
        if (*out <= limit && *out + n > limit)
            task_breach(v, i, PLAN_FILE,
                        "puts %d staff of %s out of class on day %d %s; the cover limit is %d",
                        *out + n, c->schools[t->school].id, h / 2 + 1, half_name(h), limit);
        *out += n;
    }
}

/* ---- local: a resource's days ---- */

static bool near_enough(const vctx *v, int a, int b)
{
    double m = v->p->params.short_travel;
    return a == b || (m > 0 && cpd_scenario_travel(v->p->common, a, b) <= m);
}

static void check_resource_days(vctx *v, int r)
{
    const cpd_resource *res = &v->p->resources[r];
    const int *occ = &v->rocc[(size_t)r * (size_t)v->nper];
    for (int d = 0; d < v->ndays; d++) {
        int a = occ[2 * d], b = occ[2 * d + 1];
        if (a < 0 || b < 0 || a == b)
            continue;
        int sa = v->pl->tasks[a].school, sb = v->pl->tasks[b].school;
        if (!near_enough(v, sa, sb)) {
            char other[256];
            task_label(v, a, other, sizeof other);
            task_breach(v, b, PLAN_FILE, "%s is at two schools that day (also %s)", res->id, other);
        }
    }
    for (int d = 0; d < v->ndays;) {
        int w = v->week[d], worked = 0, over = -1;
        for (; d < v->ndays && v->week[d] == w; d++) {
            int task = occ[2 * d] >= 0 ? occ[2 * d] : occ[2 * d + 1];
            if (task >= 0 && ++worked == res->days + 1)
                over = task;
        }
        if (over >= 0)
            task_breach(v, over, PLAN_FILE, "%s works %d days in week %d, more than their %d",
                        res->id, worked, w, res->days);
    }
}

/* ---- local: precedence ---- */

/* Whether plan task i of activity B must finish before task j starts. */
static bool precedes(const vctx *v, int i, int j)
{
    const cpd_ob_task *ti = &v->pl->tasks[i], *tj = &v->pl->tasks[j];
    const cpd_activity *b = &v->p->activities[ti->activity], *a = &v->p->activities[tj->activity];
    if (ti->school != tj->school)
        return false;
    if (a->per.n && b->per.n && tj->staff >= 0 && holds(&b->per, &v->p->common->staff[tj->staff]) &&
        ti->staff != tj->staff)
        return false;
    return !(a->weekly && b->weekly) || ti->target == tj->target;
}

static void check_precedence(vctx *v, int j)
{
    const cpd_ob_task *tj = &v->pl->tasks[j];
    const cpd_activity *a = &v->p->activities[tj->activity];
    for (int k = 0; k < a->nafter; k++)
        for (int i = 0; i < v->pl->ntasks; i++) {
            const cpd_ob_task *ti = &v->pl->tasks[i];
            if (v->match[i] < 0 || ti->activity != a->after[k] || !precedes(v, i, j))
                continue;
            char other[256];
            task_label(v, i, other, sizeof other);
            if (ti->start < 0)
                task_breach(v, j, PLAN_FILE, "is placed though %s, which comes first, is not",
                            other);
            else if (tj->start < ti->start + v->p->activities[ti->activity].duration)
                task_breach(v, j, PLAN_FILE, "starts before %s ends", other);
        }
}

static int *filled(size_t n)
{
    int *a = cpd_xmalloc((n ? n : 1) * sizeof(int));
    for (size_t i = 0; i < n; i++)
        a[i] = -1;
    return a;
}

static void check_days_of_plan(vctx *v)
{
    const cpd_onboard_plan *pl = v->pl;
    if (pl->ndays > 0 && pl->ndays != v->ndays)
        plain_breach(v, PLAN_FILE, "the plan", "has %d days; the programme has %d", pl->ndays,
                     v->ndays);
    for (int d = 0; pl->dates && d < pl->ndays && d < v->ndays; d++)
        if (pl->dates[d] != v->dates[d]) {
            char got[16], want[16], label[32];
            cpd_date_format(pl->dates[d], got, sizeof got);
            cpd_date_format(v->dates[d], want, sizeof want);
            snprintf(label, sizeof label, "day %d", d + 1);
            plain_breach(v, PLAN_FILE, label, "is dated %s; the calendar gives %s", got, want);
        }
}

/* ---- interface ---- */

int cpd_verify_onboard(const cpd_onboard *p, const cpd_onboard_plan *plan, cpd_diags *d)
{
    vctx v = {.p = p, .pl = plan, .d = d, .ndays = p->params.ndays > 0 ? p->params.ndays : 0};
    v.nper = 2 * v.ndays;
    size_t nt = (size_t)plan->ntasks;
    make_calendar(&v);
    count_tasks(&v);
    v.seen = filled((size_t)v.nexpect);
    v.match = filled(nt);
    v.unmet_rows = cpd_xcalloc(nt + 1, sizeof(int));
    v.rocc = filled((size_t)p->nresources * (size_t)v.nper);
    v.socc = filled((size_t)p->common->nstaff * (size_t)v.nper);
    v.cover = cpd_xcalloc((size_t)p->common->nschools * (size_t)v.nper + 1, sizeof(int));
    check_days_of_plan(&v);
    check_membership(&v);
    check_unmet_rows(&v);
    bool *placed = cpd_xcalloc(nt + 1, sizeof(bool));
    for (int i = 0; i < plan->ntasks; i++) {
        if (v.match[i] < 0)
            continue;
        if (plan->tasks[i].start < 0) {
            if (v.unmet_rows[i] == 0)
                task_breach(&v, i, PLAN_FILE, "is not placed and not listed in unmet.csv");
            continue;
        }
        if (!check_timing(&v, i))
            continue;
        placed[i] = true;
        check_training(&v, i);
        if (check_needs(&v, i))
            take_resources(&v, i);
        take_staff(&v, i);
    }
    for (int r = 0; r < p->nresources; r++)
        check_resource_days(&v, r);
    for (int j = 0; j < plan->ntasks; j++)
        if (placed[j])
            check_precedence(&v, j);
    free(placed);
    free(v.dates);
    free(v.week);
    free(v.expect);
    free(v.seen);
    free(v.match);
    free(v.unmet_rows);
    free(v.rocc);
    free(v.socc);
    free(v.cover);
    return v.breaches;
}
