/* cpd_onboard.c — the onboarding programme as data: building it, its calendar, the structure
 * of its activities (roles, cycles in `after`), the tasks it makes and what a schedule costs.
 * Solving lives in onboard_*.c. */
#include "cpd_onboard.h"

#include "cpd_date.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cpd_onboard_params_default(cpd_onboard_params *p)
{
    *p = (cpd_onboard_params){
        .start = cpd_date_from_ymd(2027, 9, 1),
        .ndays = 20,
        .cover_limit = 3,
        .short_travel = 0,
        .w_unplaced = 1000,
        .w_late = 100,
        .w_target = 10,
        .w_school = 1,
        .time_limit = 60,
        .gap = 0,
        .objective = CPD_OB_OBJ_PROGRAMME,
        .morning_starts = true,
    };
}

cpd_onboard *cpd_onboard_new(cpd_scenario **common)
{
    cpd_onboard *p = cpd_xcalloc(1, sizeof *p);
    p->common = common && *common ? *common : cpd_scenario_new();
    if (common)
        *common = NULL;
    cpd_onboard_params_default(&p->params);
    return p;
}

void cpd_onboard_free(cpd_onboard **pp)
{
    if (!pp || !*pp)
        return;
    cpd_onboard *p = *pp;
    for (int i = 0; i < p->nactivities; i++) {
        cpd_activity *a = &p->activities[i];
        free(a->id);
        free(a->name);
        cpd_strlist_clear(&a->per);
        cpd_strlist_clear(&a->audience);
        for (int k = 0; k < a->nneeds; k++)
            cpd_strlist_clear(&a->needs[k].roles);
    }
    for (int i = 0; i < p->nresources; i++) {
        cpd_resource *r = &p->resources[i];
        free(r->id);
        free(r->name);
        free(r->role);
        free(r->unavailable);
    }
    free(p->activities);
    free(p->resources);
    free(p->coach_of);
    free(p->params.closures);
    free(p->params.training_days);
    cpd_scenario_free(&p->common);
    free(p);
    *pp = NULL;
}

int cpd_onboard_add_activity(cpd_onboard *p, const cpd_activity *a)
{
    p->activities = cpd_grow(p->activities, p->nactivities, sizeof *p->activities);
    cpd_activity *k = &p->activities[p->nactivities];
    *k = *a;
    k->id = cpd_strdup(a->id ? a->id : "");
    k->name = cpd_strdup(a->name ? a->name : k->id);
    if (k->duration < 1)
        k->duration = 1;
    return p->nactivities++;
}

int cpd_onboard_add_resource(cpd_onboard *p, const cpd_resource *r)
{
    p->resources = cpd_grow(p->resources, p->nresources, sizeof *p->resources);
    cpd_resource *k = &p->resources[p->nresources];
    *k = *r;
    k->id = cpd_strdup(r->id ? r->id : "");
    k->name = cpd_strdup(r->name ? r->name : k->id);
    k->role = cpd_strdup(r->role ? r->role : "");
    if (k->days < 1)
        k->days = 5;
    return p->nresources++;
}

static int *copy_ints(const int *a, int n)
{
    if (n <= 0)
        return NULL;
    int *c = cpd_xmalloc((size_t)n * sizeof *c);
    memcpy(c, a, (size_t)n * sizeof *c);
    return c;
}

void cpd_onboard_set_dates(cpd_onboard *p, const int *closures, int nclosures,
                           const int *training_days, int ntraining_days)
{
    free(p->params.closures);
    free(p->params.training_days);
    p->params.closures = copy_ints(closures, nclosures);
    p->params.nclosures = nclosures > 0 ? nclosures : 0;
    p->params.training_days = copy_ints(training_days, ntraining_days);
    p->params.ntraining_days = ntraining_days > 0 ? ntraining_days : 0;
}

/* ---- the calendar ---- */

static bool closed(const cpd_onboard_params *q, int date)
{
    for (int i = 0; i < q->nclosures; i++)
        if (q->closures[i] == date)
            return true;
    return false;
}

void cpd_onboard_days(const cpd_onboard *p, int *dates)
{
    int date = p->params.start;
    for (int n = 0; n < p->params.ndays; date++) {
        if (cpd_date_is_weekend(date) || closed(&p->params, date))
            continue;
        dates[n++] = date;
    }
}

/* The date of one programme day, without building the whole calendar. */
static int date_of_day(const cpd_onboard *p, int day)
{
    int date = p->params.start, n = 0;
    for (;; date++) {
        if (cpd_date_is_weekend(date) || closed(&p->params, date))
            continue;
        if (++n == day)
            return date;
    }
}

int cpd_onboard_week_of_day(const cpd_onboard *p, int day)
{
    int monday = cpd_date_monday(p->params.start);
    return (date_of_day(p, day) - monday) / 7 + 1;
}

int cpd_onboard_nweeks(const cpd_onboard *p)
{
    return p->params.ndays > 0 ? cpd_onboard_week_of_day(p, p->params.ndays) : 0;
}

/* ---- the programme's structure ---- */

bool cpd_onboard_has_role(const cpd_onboard *p, const char *role)
{
    for (int i = 0; i < p->nresources; i++)
        if (strcmp(p->resources[i].role, role) == 0)
            return true;
    return false;
}

bool cpd_onboard_role_in(const cpd_strlist *l, const cpd_staff *t)
{
    return cpd_strlist_has(l, "staff") || cpd_strlist_has(l, "all") ||
           (t->role && cpd_strlist_has(l, t->role));
}

/* Depth-first search colouring: 0 unseen, 1 on the path, 2 done. */
static int cycle_from(const cpd_onboard *p, int a, char *colour, int *path, int depth, int *cycle)
{
    colour[a] = 1;
    path[depth] = a;
    const cpd_activity *act = &p->activities[a];
    for (int k = 0; k < act->nafter; k++) {
        int b = act->after[k];
        if (b < 0 || b >= p->nactivities)
            continue;
        if (colour[b] == 1) {
            int from = depth;
            while (path[from] != b)
                from--;
            int n = 0;
            for (int i = from; i <= depth; i++)
                cycle[n++] = path[i];
            cycle[n++] = b;
            return n;
        }
        if (colour[b] == 0) {
            int n = cycle_from(p, b, colour, path, depth + 1, cycle);
            if (n)
                return n;
        }
    }
    colour[a] = 2;
    return 0;
}

int cpd_onboard_find_cycle(const cpd_onboard *p, int *cycle)
{
    int n = p->nactivities, found = 0;
    char *colour = cpd_xcalloc((size_t)n + 1, 1);
    int *path = cpd_xcalloc((size_t)n + 1, sizeof *path);
    for (int a = 0; a < n && !found; a++)
        if (colour[a] == 0)
            found = cycle_from(p, a, colour, path, 0, cycle);
    free(colour);
    free(path);
    return found;
}

/* ---- tasks ---- */

static void push_task(cpd_ob_task **tasks, int *n, const cpd_ob_task *t)
{
    *tasks = cpd_grow(*tasks, *n, sizeof **tasks);
    (*tasks)[(*n)++] = *t;
}

/* The tasks of activity a at school s: one per person taking part (or one), per week when it
 * repeats. */
static void activity_tasks(const cpd_onboard *p, int a, int s, cpd_ob_task **tasks, int *n)
{
    const cpd_activity *act = &p->activities[a];
    const cpd_scenario *c = p->common;
    int first = act->weekly ? act->earliest : act->week;
    int last = act->weekly ? act->latest : act->week;
    for (int t = act->per.n ? 0 : -1; t < (act->per.n ? c->nstaff : 0); t++) {
        if (t >= 0 && (c->staff[t].school != s || !cpd_onboard_role_in(&act->per, &c->staff[t])))
            continue;
        for (int w = first; w <= last; w++) {
            cpd_ob_task k = {.activity = a, .school = s, .staff = t, .duration = act->duration,
                             .start = -1};
            k.target = w;
            k.earliest = act->weekly ? w : act->earliest;
            k.latest = act->weekly ? w : act->latest;
            push_task(tasks, n, &k);
        }
    }
}

cpd_ob_task *cpd_onboard_tasks(const cpd_onboard *p, int *ntasks)
{
    cpd_ob_task *tasks = NULL;
    int n = 0;
    for (int a = 0; a < p->nactivities; a++)
        for (int s = 0; s < p->common->nschools; s++)
            if (p->common->schools[s].joining)
                activity_tasks(p, a, s, &tasks, &n);
    *ntasks = n;
    return tasks;
}

/* Whether a school-week is already counted: pairs are few, so a linear scan does. */
static bool seen_pair(const int *pairs, int n, int key)
{
    for (int i = 0; i < n; i++)
        if (pairs[i] == key)
            return true;
    return false;
}

double cpd_onboard_cost(const cpd_onboard *p, const cpd_ob_task *tasks, int ntasks)
{
    const cpd_onboard_params *q = &p->params;
    int nweeks = cpd_onboard_nweeks(p) + 1, ns = p->common->nschools;
    int *week_of = cpd_xcalloc((size_t)q->ndays + 1, sizeof *week_of);
    for (int d = 1; d <= q->ndays; d++)
        week_of[d] = cpd_onboard_week_of_day(p, d);
    double cost = 0;
    int *pairs = NULL, npairs = 0, makespan = 0;
    bool by_makespan = q->objective == CPD_OB_OBJ_MAKESPAN;
    for (int i = 0; i < ntasks; i++) {
        const cpd_ob_task *t = &tasks[i];
        if (t->start < 0) {
            cost += q->w_unplaced;
            continue;
        }
        int w = week_of[t->start / 2 + 1];
        if (t->start + t->duration > makespan)
            makespan = t->start + t->duration;
        if (!by_makespan)
            cost += q->w_late * (w > t->latest ? w - t->latest : 0) + q->w_target * abs(w - t->target);
        int last = (t->start + t->duration - 1) / 2 + 1;
        for (int d = t->start / 2 + 1; d <= last && d <= q->ndays; d++)
            for (int k = 0; k < t->nres; k++) {
                int key = (t->res[k] * nweeks + week_of[d]) * ns + t->school;
                if (!seen_pair(pairs, npairs, key)) {
                    pairs = cpd_grow(pairs, npairs, sizeof *pairs);
                    pairs[npairs++] = key;
                }
            }
    }
    cost += q->w_school * npairs + (by_makespan ? makespan : 0);
    free(pairs);
    free(week_of);
    return cost;
}

void cpd_onboard_anonymise(cpd_onboard *p)
{
    cpd_scenario_anonymise(p->common);
    for (int i = 0; i < p->nresources; i++)
        cpd_anonymise_name(&p->resources[i].name, p->resources[i].id);
}
