/* deploy_data.c — the deploy model's data: demands per staff, travel per coach and school,
 * pins, the allowed pairs A with their values, and last term's pairs P. */
#include "deploy_internal.h"

#include "cpd_strmap.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- local ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int64_t key(const dp_model *m, int c, int t) { return (int64_t)c * m->s->nstaff + t; }

static void build_staff_index(dp_model *m)
{
    const cpd_scenario *s = m->s;
    m->first_dem = cpd_xmalloc((size_t)s->nstaff * sizeof(int) + 1);
    m->ndem_of = cpd_xcalloc((size_t)s->nstaff + 1, sizeof(int));
    m->dem_school = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    for (int t = 0; t < s->nstaff; t++)
        m->first_dem[t] = -1;
    for (int d = 0; d < m->ndem; d++) {
        int t = m->dem[d].teacher;
        if (m->first_dem[t] < 0)
            m->first_dem[t] = d;
        m->ndem_of[t]++;
        m->dem_school[d] = s->staff[t].school;
    }
}

/* A coach who is also on the staff list (same id) is never paired with themself. */
static void build_self(dp_model *m)
{
    const cpd_scenario *s = m->s;
    cpd_strmap *ids = cpd_strmap_new();
    for (int t = 0; t < s->nstaff; t++)
        cpd_strmap_put(ids, s->staff[t].id, t);
    m->self_staff = cpd_xmalloc((size_t)m->nc * sizeof(int) + 1);
    for (int c = 0; c < m->nc; c++)
        m->self_staff[c] = cpd_strmap_get(ids, s->coaches[c].id);
    cpd_strmap_free(&ids);
}

/* r[c,s] = 2 * travel(base, s) / 60 hours, and its objective cost travel_weight * 2 * minutes;
 * both 0 at the base school. */
static void build_travel(dp_model *m)
{
    const cpd_scenario *s = m->s;
    size_t n = (size_t)m->nc * (size_t)m->ns;
    m->rt = cpd_xcalloc(n + 1, sizeof(double));
    m->tcost = cpd_xcalloc(n + 1, sizeof(double));
    for (int c = 0; c < m->nc; c++) {
        int base = s->coaches[c].school;
        for (int k = 0; k < m->ns; k++) {
            double minutes = k == base ? 0 : 2 * cpd_scenario_travel(s, base, k);
            m->rt[(size_t)c * m->ns + k] = minutes / 60;
            m->tcost[(size_t)c * m->ns + k] = s->params.travel_weight * minutes;
        }
    }
}

static bool pin_valid(const cpd_scenario *s, const cpd_pin *p)
{
    return p->coach >= 0 && p->coach < s->ncoaches && p->teacher >= 0 && p->teacher < s->nstaff;
}

/* The demand a pin (c, t) is about: t's first demand whose service c provides and can serve,
 * else the first whose service c provides (with *fit saying why not), else -1. */
static int pin_demand(const dp_model *m, int c, int t, dp_fit *fit)
{
    int first = -1;
    *fit = DP_FIT_SERVICE;
    for (int k = 0; k < m->ndem_of[t]; k++) {
        int d = m->first_dem[t] + k;
        dp_fit f = dp_pair_fit(m, c, d);
        if (f == DP_FIT_OK) {
            *fit = f;
            return d;
        }
        if (f != DP_FIT_SERVICE && first < 0) {
            first = d;
            *fit = f;
        }
    }
    return first;
}

static void build_pins(dp_model *m)
{
    const cpd_scenario *s = m->s;
    m->must = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    m->must_pin = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    for (int d = 0; d < m->ndem; d++)
        m->must[d] = m->must_pin[d] = -1;
    m->never = cpd_xmalloc((size_t)s->npins * sizeof(int64_t) + 1);
    for (int i = 0; i < s->npins; i++)
        if (pin_valid(s, &s->pins[i]) && !s->pins[i].must)
            m->never[m->nnever++] = key(m, s->pins[i].coach, s->pins[i].teacher);
    qsort(m->never, (size_t)m->nnever, sizeof(int64_t), cmp_i64);
    for (int i = 0; i < s->npins; i++) {
        const cpd_pin *p = &s->pins[i];
        dp_fit fit;
        int d = pin_valid(s, p) && p->must ? pin_demand(m, p->coach, p->teacher, &fit) : -1;
        if (d >= 0 && fit == DP_FIT_OK && m->must[d] < 0) {
            m->must[d] = p->coach;
            m->must_pin[d] = i;
        }
    }
}

static bool pair_allowed(const dp_model *m, int c, int d)
{
    if (m->must[d] >= 0 && m->must[d] != c)
        return false;
    return dp_pair_fit(m, c, d) == DP_FIT_OK && !dp_is_never(m, c, m->dem[d].teacher);
}

static int shared_focus(const cpd_coach *c, const cpd_staff *t)
{
    int n = 0;
    for (int i = 0; i < t->focus.n; i++)
        n += cpd_strlist_has(&c->expertise, t->focus.items[i]);
    return n;
}

/* fit[c,d] = subject_weight * [shares a subject] + focus_weight * |focus ∩ expertise|, for
 * coaching demands only. */
static double fit_value(const dp_model *m, int c, int d)
{
    const cpd_scenario *s = m->s;
    if (m->dem[d].service != CPD_SERVICE_COACHING)
        return 0;
    const cpd_coach *k = &s->coaches[c];
    const cpd_staff *t = &s->staff[m->dem[d].teacher];
    return s->params.subject_weight * dp_shares_subject(k, t) +
           s->params.focus_weight * shared_focus(k, t);
}

static void build_pairs(dp_model *m)
{
    int cap = 1024;
    m->pairs = cpd_xmalloc((size_t)cap * sizeof(dp_pair));
    m->cstart = cpd_xmalloc(((size_t)m->nc + 1) * sizeof(int));
    for (int c = 0; c < m->nc; c++) {
        m->cstart[c] = m->npairs;
        for (int d = 0; d < m->ndem; d++) {
            if (!pair_allowed(m, c, d))
                continue;
            if (m->npairs == cap) {
                cap *= 2;
                m->pairs = cpd_xrealloc(m->pairs, (size_t)cap * sizeof(dp_pair));
            }
            m->pairs[m->npairs++] = (dp_pair){
                .coach = c, .demand = d, .school = m->dem_school[d], .hours = m->dem[d].hours,
                .value = m->dem[d].weight + fit_value(m, c, d), .must = m->must[d] == c};
        }
    }
    m->cstart[m->nc] = m->npairs;
}

/* The pairs of each demand, by coach (a counting sort of A by demand). */
static void build_demand_lists(dp_model *m)
{
    m->dstart = cpd_xcalloc((size_t)m->ndem + 2, sizeof(int));
    m->dpairs = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    for (int p = 0; p < m->npairs; p++)
        m->dstart[m->pairs[p].demand + 1]++;
    for (int d = 0; d < m->ndem; d++)
        m->dstart[d + 1] += m->dstart[d];
    int *fill = cpd_xmalloc(((size_t)m->ndem + 1) * sizeof(int));
    memcpy(fill, m->dstart, ((size_t)m->ndem + 1) * sizeof(int));
    for (int p = 0; p < m->npairs; p++)
        m->dpairs[fill[m->pairs[p].demand]++] = p;
    free(fill);
    m->nment_pairs = cpd_xcalloc((size_t)m->nc + 1, sizeof(int));
    for (int p = 0; p < m->npairs; p++)
        m->nment_pairs[m->pairs[p].coach] +=
            m->dem[m->pairs[p].demand].service == CPD_SERVICE_MENTORING;
}

/* The demand a previous pair served: the teacher's first demand (coaching, then mentoring,
 * then senior) of a service the coach provides. */
static int previous_demand(const dp_model *m, const cpd_pair *q)
{
    if (q->coach < 0 || q->teacher < 0)
        return -1;
    unsigned provides = m->s->coaches[q->coach].provides;
    for (int k = 0; k < m->ndem_of[q->teacher]; k++) {
        int d = m->first_dem[q->teacher] + k;
        if (provides & (1u << m->dem[d].service))
            return d;
    }
    return -1;
}

/* P: last term's pairs that are still allowed, each once; continuity is earned on them. At most
 * one pair of P per demand can be kept, so the others are forced changes (P_dups). */
static void build_previous(dp_model *m)
{
    const cpd_scenario *s = m->s;
    m->prev_dem = cpd_xmalloc((size_t)s->nprevious * sizeof(int) + 1);
    m->prev_pair = cpd_xmalloc((size_t)s->nprevious * sizeof(int) + 1);
    for (int i = 0; i < s->nprevious; i++) {
        m->prev_dem[i] = previous_demand(m, &s->previous[i]);
        m->prev_pair[i] =
            m->prev_dem[i] < 0 ? -1 : dp_find_pair(m, s->previous[i].coach, m->prev_dem[i]);
        if (m->prev_pair[i] < 0 || m->pairs[m->prev_pair[i]].prev)
            continue;
        dp_pair *p = &m->pairs[m->prev_pair[i]];
        p->prev = p->cont = true;
        p->value += s->params.continuity_weight;
        m->nP++;
    }
    for (int d = 0; d < m->ndem; d++) {
        int n = 0;
        for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
            n += m->pairs[m->dpairs[k]].prev;
        m->P_dups += n > 1 ? n - 1 : 0;
    }
    m->changes_limited = s->params.max_changes >= 0;
    if (m->changes_limited) {
        int need = m->nP - m->P_dups - s->params.max_changes;
        m->need_kept = need > 0 ? need : 0;
    }
}

/* ---- interface ---- */

bool dp_shares_subject(const cpd_coach *c, const cpd_staff *t)
{
    for (int i = 0; i < t->subjects.n; i++)
        if (cpd_strlist_has(&c->subjects, t->subjects.items[i]))
            return true;
    return false;
}

double dp_rt(const dp_model *m, int c, int school) { return m->rt[(size_t)c * m->ns + school]; }

double dp_tcost(const dp_model *m, int c, int school)
{
    return m->tcost[(size_t)c * m->ns + school];
}

dp_fit dp_pair_fit(const dp_model *m, int c, int d)
{
    const cpd_scenario *s = m->s;
    const cpd_coach *k = &s->coaches[c];
    const cpd_demand *q = &m->dem[d];
    const cpd_staff *t = &s->staff[q->teacher];
    if (!(k->provides & (1u << q->service)))
        return DP_FIT_SERVICE;
    if (m->self_staff[c] == q->teacher)
        return DP_FIT_SELF;
    if (q->service != CPD_SERVICE_SENIOR && s->params.subject_fit_required && k->subjects.n > 0 &&
        t->subjects.n > 0 && !dp_shares_subject(k, t))
        return DP_FIT_SUBJECT;
    if (q->service == CPD_SERVICE_MENTORING && s->params.mentor_same_school && k->school != t->school)
        return DP_FIT_SCHOOL;
    if (q->service == CPD_SERVICE_SENIOR && s->params.senior_same_school && k->school != t->school)
        return DP_FIT_SCHOOL;
    if (q->hours + dp_rt(m, c, t->school) > k->hours + DP_EPS)
        return DP_FIT_HOURS;
    return DP_FIT_OK;
}

bool dp_is_never(const dp_model *m, int c, int t)
{
    int64_t k = key(m, c, t);
    return m->nnever > 0 && bsearch(&k, m->never, (size_t)m->nnever, sizeof k, cmp_i64);
}

int dp_find_pair(const dp_model *m, int c, int d)
{
    int lo = m->cstart[c], hi = m->cstart[c + 1] - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int v = m->pairs[mid].demand;
        if (v == d)
            return mid;
        if (v < d)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void dp_model_build(const cpd_scenario *s, dp_model *m)
{
    *m = (dp_model){.s = s, .nc = s->ncoaches, .ns = s->nschools, .deadline = HUGE_VAL};
    m->ndem = cpd_deploy_demands(s, &m->dem);
    build_staff_index(m);
    build_self(m);
    build_travel(m);
    build_pins(m);
    build_pairs(m);
    build_demand_lists(m);
    build_previous(m);
}

void dp_model_free(dp_model *m)
{
    free(m->dem);
    free(m->dem_school);
    free(m->first_dem);
    free(m->ndem_of);
    free(m->self_staff);
    free(m->rt);
    free(m->tcost);
    free(m->must);
    free(m->must_pin);
    free(m->never);
    free(m->pairs);
    free(m->cstart);
    free(m->dstart);
    free(m->dpairs);
    free(m->prev_dem);
    free(m->prev_pair);
    free(m->nment_pairs);
    *m = (dp_model){0};
}

/* ---- pin checks ---- */

static void join_list(char **out, const cpd_strlist *l)
{
    for (int i = 0; i < l->n; i++)
        cpd_strcatf(out, "%s%s", i ? ", " : "", l->items[i]);
}

/* "LP03 must coach T112", "M01 must mentor T112", "SL01 must be T112's senior leader". */
static void pin_phrase(char **out, const dp_model *m, int c, int t, int sv)
{
    const char *cid = m->s->coaches[c].id, *tid = m->s->staff[t].id;
    if (sv == CPD_SERVICE_MENTORING)
        cpd_strcatf(out, "%s must mentor %s", cid, tid);
    else if (sv == CPD_SERVICE_SENIOR)
        cpd_strcatf(out, "%s must be %s's senior leader", cid, tid);
    else
        cpd_strcatf(out, "%s must coach %s", cid, tid);
}

static const char *school_name(const cpd_scenario *s, int school)
{
    return school == CPD_TRUST_SCHOOL ? "the trust (central)" : s->schools[school].id;
}

/* Why a must pin's coach cannot serve the teacher, as ", but ..." after the pin's phrase. */
static void why_unfit(char **out, const dp_model *m, int c, int t, int d, dp_fit fit)
{
    const cpd_scenario *s = m->s;
    const cpd_coach *k = &s->coaches[c];
    const cpd_staff *st = &s->staff[t];
    if (d < 0 && m->ndem_of[t] == 0) {
        cpd_strcatf(out, ", but %s has no need this term", st->id);
        return;
    }
    if (d < 0) {
        cpd_strcatf(out, ", but %s does not provide ", k->id);
        for (int i = 0; i < m->ndem_of[t]; i++)
            cpd_strcatf(out, "%s%s", i ? " or " : "",
                       cpd_service_name(m->dem[m->first_dem[t] + i].service));
        return;
    }
    int sv = m->dem[d].service;
    switch (fit) {
    case DP_FIT_SELF:
        cpd_strcatf(out, ", but they are the same person");
        break;
    case DP_FIT_SUBJECT:
        cpd_strcatf(out, ", but %s %s ", k->id, sv == CPD_SERVICE_MENTORING ? "mentors" : "coaches");
        join_list(out, &k->subjects);
        cpd_strcatf(out, " and %s teaches ", st->id);
        join_list(out, &st->subjects);
        break;
    case DP_FIT_SCHOOL:
        cpd_strcatf(out, ", but %s is based at %s and %s's %s must be at %s", k->id,
                   school_name(s, k->school), st->id,
                   sv == CPD_SERVICE_MENTORING ? "mentor" : "senior leader", s->schools[st->school].id);
        break;
    case DP_FIT_HOURS:
        cpd_strcatf(out, ", but %s has %g hours a week and this takes %g hours", k->id, k->hours,
                   m->dem[d].hours);
        if (dp_rt(m, c, st->school) > 0)
            cpd_strcatf(out, " plus a %.0f-minute round trip", 60 * dp_rt(m, c, st->school));
        break;
    default:
        break;
    }
}

static void pin_error(const dp_model *m, cpd_diags *d, const cpd_pin *p, int dem, dp_fit fit)
{
    char *msg = NULL;
    pin_phrase(&msg, m, p->coach, p->teacher, dem >= 0 ? (int)m->dem[dem].service : 0);
    why_unfit(&msg, m, p->coach, p->teacher, dem, fit);
    cpd_error(d, "pins.csv", p->line, 0, "%s", msg);
    free(msg);
}

/* One must pin: the coach can serve the teacher, no never pin on the same pair, and no other
 * coach is pinned to the same demand. */
static int check_must_pin(const dp_model *m, cpd_diags *d, int i)
{
    const cpd_scenario *s = m->s;
    const cpd_pin *p = &s->pins[i];
    dp_fit fit;
    int dem = pin_demand(m, p->coach, p->teacher, &fit);
    if (dem < 0 || fit != DP_FIT_OK) {
        pin_error(m, d, p, dem, fit);
        return 1;
    }
    const char *cid = s->coaches[p->coach].id, *tid = s->staff[p->teacher].id;
    if (dp_is_never(m, p->coach, p->teacher)) {
        cpd_error(d, "pins.csv", p->line, 0, "%s is pinned both must and never with %s", cid, tid);
        return 1;
    }
    int other = m->must_pin[dem];
    if (other != i && m->must[dem] != p->coach) {
        cpd_error(d, "pins.csv", p->line, 0,
                  "%s has two must pins for %s: %s (line %d) and %s (line %d)", tid,
                  cpd_service_name(m->dem[dem].service), s->coaches[m->must[dem]].id,
                  s->pins[other].line, cid, p->line);
        return 1;
    }
    return 0;
}

/* The must pins of one coach together: hours with travel once per school, people, schools. */
static int check_coach_pins(const dp_model *m, cpd_diags *d, int c, unsigned char *seen)
{
    const cpd_scenario *s = m->s;
    const cpd_coach *k = &s->coaches[c];
    double hours = 0;
    int people = 0, schools = 0, line = 0;
    memset(seen, 0, (size_t)m->ns);
    for (int dm = 0; dm < m->ndem; dm++) {
        if (m->must[dm] != c)
            continue;
        int sc = m->dem_school[dm];
        if (!line || s->pins[m->must_pin[dm]].line < line)
            line = s->pins[m->must_pin[dm]].line;
        hours += m->dem[dm].hours + (seen[sc] ? 0 : dp_rt(m, c, sc));
        schools += !seen[sc];
        seen[sc] = 1;
        people++;
    }
    int n = 0;
    if (hours > k->hours + DP_EPS)
        n++, cpd_error(d, "pins.csv", line, 0,
                       "%s's must pins need %.4g hours a week with travel, but %s has %g", k->id,
                       hours, k->id, k->hours);
    if (k->max_coachees > 0 && people > k->max_coachees)
        n++, cpd_error(d, "pins.csv", line, 0,
                       "%s's must pins name %d people, but %s takes at most %d", k->id, people,
                       k->id, k->max_coachees);
    if (k->max_schools > 0 && schools > k->max_schools)
        n++, cpd_error(d, "pins.csv", line, 0,
                       "%s's must pins are in %d schools, but %s works in at most %d", k->id,
                       schools, k->id, k->max_schools);
    return n;
}

int dp_check_pins(const dp_model *m, cpd_diags *d)
{
    const cpd_scenario *s = m->s;
    int n = 0;
    for (int i = 0; i < s->npins; i++)
        if (pin_valid(s, &s->pins[i]) && s->pins[i].must)
            n += check_must_pin(m, d, i);
    unsigned char *seen = cpd_xmalloc((size_t)m->ns + 1);
    for (int c = 0; c < m->nc; c++)
        n += check_coach_pins(m, d, c, seen);
    free(seen);
    return n;
}
