/* cpd_generate.c — synthetic deploy scenarios: schools on a map, staff with a termly
 * diagnostic, coaches sized to about 90% of the coaching demand, a previous term and pins, all
 * reproducible from the seed through a PRNG of our own. */
#include "cpd_generate.h"

#include "cpd_err.h"
#include "cpd_rng.h"
#include "generate_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_KM 40.0
#define CAPACITY_LOW 0.89  /* coaching hours offered (travel included), as a share of the */
#define CAPACITY_HIGH 0.95 /* hours demanded: tight, as travel takes its share too */
#define PREVIOUS_SHARE 0.6 /* needy teachers who had a coach last term */

/* ---- local: the vocabulary ---- */

enum { NSECONDARY = 12, PRIMARY = NSECONDARY, NSUBJECTS = NSECONDARY + 1 };

static const char *const subject_names[NSUBJECTS] = {
    "maths", "english", "science", "history", "geography", "languages", "computing",
    "art",   "music",   "pe",      "re",      "dt",        "primary"};
/* Roughly the share of a secondary timetable (and so of its teachers). */
static const double subject_weights[NSECONDARY] = {14, 14, 16, 6, 6, 7, 5, 4, 3, 7, 4, 5};

enum { NFOCUS = 7 };
static const char *const focus_names[NFOCUS] = {
    "behaviour",  "marking_feedback",   "questioning", "adaptive_teaching",
    "subject_knowledge", "assessment", "retrieval_practice"};

static const char *const place_names[] = {
    "Oakfield",  "Riverside",  "Hillcrest", "Meadowbank", "Ashgrove",  "Brookside",
    "Elmwood",   "Fairfield",  "Greenacre", "Highfield",  "Kingsway",  "Lakeside",
    "Millbrook", "Northgate",  "Parkside",  "Queensbury", "Redwood",   "Southfield",
    "Thornbury", "Westfield",  "Willowbank", "Beechwood", "Castlefield", "Deanwood",
    "Foxhill",   "Hawthorn",   "Larkrise",  "Moorside",   "Orchard",   "Stonebridge"};
static const char *const place_qualifiers[] = {"North", "South", "East",  "West",
                                               "Upper", "Lower", "Great", "Little"};
static const char *const primary_kinds[] = {"Primary", "Primary School", "C of E Primary",
                                            "Junior School"};
static const char *const secondary_kinds[] = {"Academy", "High School", "School", "College"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- local: the generator's state ---- */

typedef struct {
    cpd_scenario *s;
    cpd_rng r;
    bool *primary;      /* per school */
    double *x, *y;      /* per school, km on the map */
    int *size;          /* per school: staff */
    double demand[NSUBJECTS + 1]; /* coaching hours demanded by subject; last: no subject */
    double supply[NSUBJECTS];     /* coaching hours offered by subject */
    double demand_total, supply_total;
    int ncoaching;      /* coaches 0 .. ncoaching-1 give coaching (LP, DOL, OT) */
    int nlp;
} gen;

static void person_name(gen *g, char *buf, size_t len)
{
    gen_person_name(&g->r, GEN_FIRST_NAMES_DEPLOY, buf, len);
}

static int subject_index(const char *name)
{
    for (int i = 0; i < NSUBJECTS; i++)
        if (strcmp(subject_names[i], name) == 0)
            return i;
    return -1;
}

/* n distinct focus areas, drawn in a random order. */
static void draw_areas(gen *g, cpd_strlist *l, int n)
{
    int order[NFOCUS];
    for (int i = 0; i < NFOCUS; i++)
        order[i] = i;
    for (int i = 0; i < n && i < NFOCUS; i++) {
        int j = cpd_rng_int(&g->r, i, NFOCUS - 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
        cpd_strlist_add(l, focus_names[order[i]]);
    }
}

/* ---- local: schools ---- */

static void school_name(gen *g, int i, const int *perm, char *buf, size_t len)
{
    int np = COUNT(place_names), round = i / np;
    const char *place = place_names[perm[i % np]];
    const char *kind = g->primary[i]
                           ? primary_kinds[cpd_rng_int(&g->r, 0, COUNT(primary_kinds) - 1)]
                           : secondary_kinds[cpd_rng_int(&g->r, 0, COUNT(secondary_kinds) - 1)];
    if (round == 0)
        snprintf(buf, len, "%s %s", place, kind);
    else if (round <= COUNT(place_qualifiers))
        snprintf(buf, len, "%s %s %s", place_qualifiers[round - 1], place, kind);
    else
        snprintf(buf, len, "%s %s %d", place, kind, round + 1);
}

/* About a third primary, chosen at random (none when there are fewer than three schools, so a
 * small trust still has the range of subjects). */
static void choose_primaries(gen *g, int n)
{
    int *order = cpd_xcalloc((size_t)n, sizeof(int));
    for (int i = 0; i < n; i++)
        order[i] = i;
    for (int i = 0; i < n / 3; i++) {
        int j = cpd_rng_int(&g->r, i, n - 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
        g->primary[order[i]] = true;
    }
    free(order);
}

static void make_schools(gen *g, int n)
{
    int perm[COUNT(place_names)];
    cpd_rng_permutation(&g->r, perm, COUNT(place_names));
    choose_primaries(g, n);
    for (int i = 0; i < n; i++) {
        char id[32], name[128];
        snprintf(id, sizeof id, "SCH%02d", i + 1);
        school_name(g, i, perm, name, sizeof name);
        cpd_scenario_add_school(g->s, id, name, false);
        g->x[i] = cpd_rng_unit(&g->r) * MAP_KM;
        g->y[i] = cpd_rng_unit(&g->r) * MAP_KM;
    }
    gen_travel_from_map(g->s, g->x, g->y, MAP_KM);
}

/* ---- local: staff ---- */

/* Staff per school in proportion to a size drawn for each (secondaries about three times a
 * primary), by largest remainder, at least one each. */
static void size_schools(gen *g, int nstaff)
{
    int n = g->s->nschools;
    double *w = cpd_xcalloc((size_t)n, sizeof(double)), total = 0;
    for (int i = 0; i < n; i++) {
        w[i] = g->primary[i] ? 0.7 + 0.6 * cpd_rng_unit(&g->r) : 2.4 + 1.2 * cpd_rng_unit(&g->r);
        total += w[i];
    }
    int given = 0;
    for (int i = 0; i < n; i++) {
        g->size[i] = (int)floor(nstaff * w[i] / total);
        given += g->size[i];
    }
    while (given < nstaff) {
        int best = 0;
        double best_frac = -1;
        for (int i = 0; i < n; i++) {
            double frac = nstaff * w[i] / total - g->size[i];
            if (frac > best_frac) {
                best_frac = frac;
                best = i;
            }
        }
        g->size[best]++;
        given++;
    }
    for (int i = 0; i < n; i++) {
        if (g->size[i] > 0)
            continue;
        int big = 0;
        for (int j = 1; j < n; j++)
            if (g->size[j] > g->size[big])
                big = j;
        g->size[big]--;
        g->size[i]++;
    }
    free(w);
}

static const char *draw_role(gen *g, bool first_in_school)
{
    if (first_in_school)
        return "headteacher";
    double u = cpd_rng_unit(&g->r);
    return u < 0.05 ? "ect"
           : u < 0.17 ? "middle_leader"
           : u < 0.21 ? "senior_leader"
           : u < 0.31 ? "support"
                      : "teacher";
}

/* The termly diagnostic: about 60% none, 20% light, 13% standard, 7% intensive. */
static cpd_need draw_need(gen *g, const char *role)
{
    if (strcmp(role, "headteacher") == 0)
        return CPD_NEED_NONE;
    double u = cpd_rng_unit(&g->r);
    return u < 0.60 ? CPD_NEED_NONE
           : u < 0.80 ? CPD_NEED_LIGHT
           : u < 0.93 ? CPD_NEED_STANDARD
                      : CPD_NEED_INTENSIVE;
}

static void draw_subjects(gen *g, cpd_staff *st, bool primary)
{
    if (strcmp(st->role, "support") == 0 || strcmp(st->role, "headteacher") == 0)
        return;
    if (primary) {
        cpd_strlist_add(&st->subjects, subject_names[PRIMARY]);
        return;
    }
    int a = cpd_rng_weighted(&g->r, subject_weights, NSECONDARY);
    cpd_strlist_add(&st->subjects, subject_names[a]);
    if (cpd_rng_unit(&g->r) < 0.12) {
        int b = cpd_rng_weighted(&g->r, subject_weights, NSECONDARY);
        if (b != a)
            cpd_strlist_add(&st->subjects, subject_names[b]);
    }
}

static void count_demand(gen *g, const cpd_staff *st)
{
    if (st->need == CPD_NEED_NONE)
        return;
    double h = g->s->params.need_hours[st->need];
    int k = st->subjects.n ? subject_index(st->subjects.items[0]) : NSUBJECTS;
    g->demand[k < 0 ? NSUBJECTS : k] += h;
    g->demand_total += h;
}

static void make_staff(gen *g, int nstaff)
{
    size_schools(g, nstaff);
    int next = 1;
    for (int sc = 0; sc < g->s->nschools; sc++) {
        for (int k = 0; k < g->size[sc]; k++) {
            char id[32], name[64];
            snprintf(id, sizeof id, "T%04d", next++);
            person_name(g, name, sizeof name);
            cpd_staff st = {.id = id, .name = name, .school = sc};
            st.role = (char *)draw_role(g, k == 0);
            st.is_ect = strcmp(st.role, "ect") == 0;
            draw_subjects(g, &st, g->primary[sc]);
            st.need = draw_need(g, st.role);
            draw_areas(g, &st.focus,
                       st.need != CPD_NEED_NONE ? cpd_rng_int(&g->r, 1, 2)
                                                : (cpd_rng_unit(&g->r) < 0.3 ? 1 : 0));
            cpd_scenario_add_staff(g->s, &st);
            count_demand(g, &g->s->staff[g->s->nstaff - 1]);
        }
    }
}

/* ---- local: coaches ---- */

/* A subject for a new coach, where the shortfall of offered hours is largest (weighted, so not
 * always the same one). Subjects in `skip` (a bit set) are left out. */
static int pick_subject(gen *g, bool secondary, bool primary, unsigned skip)
{
    double w[NSUBJECTS] = {0};
    for (int i = 0; i < NSUBJECTS; i++) {
        bool kind_ok = i == PRIMARY ? primary : secondary;
        if (kind_ok && !(skip & (1u << i)))
            w[i] = fmax(0, CAPACITY_HIGH * g->demand[i] - g->supply[i]);
    }
    int k = cpd_rng_weighted(&g->r, w, NSUBJECTS);
    if (k >= 0)
        return k;
    for (int i = 0; i < NSUBJECTS; i++) {
        bool kind_ok = i == PRIMARY ? primary : secondary;
        w[i] = kind_ok && !(skip & (1u << i)) ? (i == PRIMARY ? 10 : subject_weights[i]) : 0;
    }
    return cpd_rng_weighted(&g->r, w, NSUBJECTS);
}

/* A school drawn by size, of the kind asked (primary or secondary); -1 when there is none. */
static int pick_school(gen *g, int kind)
{
    int n = g->s->nschools;
    double *w = cpd_xcalloc((size_t)n, sizeof(double));
    for (int i = 0; i < n; i++)
        if (kind < 0 || g->primary[i] == (kind == 1))
            w[i] = g->size[i];
    int k = cpd_rng_weighted(&g->r, w, n);
    free(w);
    return k;
}

static bool any_school(const gen *g, bool primary)
{
    for (int i = 0; i < g->s->nschools; i++)
        if (g->primary[i] == primary)
            return true;
    return false;
}

static void add_coaching_coach(gen *g, cpd_coach *c, const char *prefix, int number)
{
    char id[32], name[64];
    snprintf(id, sizeof id, "%s%02d", prefix, number);
    person_name(g, name, sizeof name);
    c->id = id;
    c->name = name;
    c->provides = 1u << CPD_SERVICE_COACHING;
    for (int i = 0; i < c->subjects.n; i++)
        g->supply[subject_index(c->subjects.items[i])] += c->hours / c->subjects.n;
    g->supply_total += c->hours;
    cpd_scenario_add_coach(g->s, c);
}

/* Directors of learning: one per main secondary subject, central, for a trust with secondaries. */
static void make_dols(gen *g, cpd_coach *out, int *n)
{
    int want = (int)lround(g->s->nstaff / 250.0);
    if (want > NSECONDARY)
        want = NSECONDARY;
    unsigned used = 0;
    for (int k = 0; k < want && any_school(g, false); k++) {
        double h = cpd_rng_int(&g->r, 8, 14);
        if (g->supply_total + h > CAPACITY_HIGH * g->demand_total)
            break;
        int sub = pick_subject(g, true, false, used);
        used |= 1u << sub;
        cpd_coach c = {.role = CPD_COACH_DOL,
                       .school = CPD_TRUST_SCHOOL,
                       .hours = h,
                       .max_coachees = cpd_rng_int(&g->r, 10, 16),
                       .max_schools = cpd_rng_int(&g->r, 3, 5)};
        cpd_strlist_add(&c.subjects, subject_names[sub]);
        draw_areas(g, &c.expertise, cpd_rng_int(&g->r, 2, 3));
        out[(*n)++] = c;
        g->supply[sub] += h; /* counted now so the next picks see it; re-added at the end */
        g->supply_total += h;
    }
}

/* Outstanding teachers: school-based, one subject, a few hours. */
static void make_ots(gen *g, cpd_coach *out, int *n)
{
    int want = (int)lround(g->s->nstaff / 100.0);
    for (int k = 0; k < want; k++) {
        double h = cpd_rng_int(&g->r, 3, 6);
        if (g->supply_total + h > CAPACITY_HIGH * g->demand_total)
            break;
        int sc = pick_school(g, -1);
        int sub = g->primary[sc] ? PRIMARY : pick_subject(g, true, false, 0);
        cpd_coach c = {.role = CPD_COACH_OT,
                       .school = sc,
                       .hours = h,
                       .max_coachees = cpd_rng_int(&g->r, 3, 6),
                       .max_schools = cpd_rng_int(&g->r, 1, 2)};
        cpd_strlist_add(&c.subjects, subject_names[sub]);
        draw_areas(g, &c.expertise, cpd_rng_int(&g->r, 1, 2));
        out[(*n)++] = c;
        g->supply[sub] += h;
        g->supply_total += h;
    }
}

/* LP hours: 6-16, but the last one only what is left to reach the capacity aimed at. */
static double lp_hours(gen *g)
{
    double h = cpd_rng_int(&g->r, 6, 16), room = CAPACITY_HIGH * g->demand_total - g->supply_total;
    if (h > room) {
        h = floor(room * 2) / 2;
        if (h + g->supply_total < CAPACITY_LOW * g->demand_total)
            h = floor(room * 100) / 100;
    }
    return h;
}

/* Lead practitioners fill the capacity up to the share aimed at: central or school-based,
 * one or two secondary subjects, or primary. */
static void make_lps(gen *g, cpd_coach *out, int *n, int cap)
{
    bool has_primary = any_school(g, true), has_secondary = any_school(g, false);
    while (*n < cap && g->supply_total < CAPACITY_LOW * g->demand_total) {
        double h = lp_hours(g);
        if (h <= 0)
            break;
        int sub = pick_subject(g, has_secondary, has_primary, 0);
        cpd_coach c = {.role = CPD_COACH_LP,
                       .school = CPD_TRUST_SCHOOL,
                       .hours = h,
                       .max_coachees = cpd_rng_int(&g->r, 8, 14),
                       .max_schools = cpd_rng_int(&g->r, 2, 4)};
        if (cpd_rng_unit(&g->r) >= 0.4)
            c.school = pick_school(g, sub == PRIMARY ? 1 : 0);
        if (c.school < 0)
            c.school = CPD_TRUST_SCHOOL;
        cpd_strlist_add(&c.subjects, subject_names[sub]);
        if (sub != PRIMARY && cpd_rng_unit(&g->r) < 0.4) {
            int second = pick_subject(g, true, false, 1u << sub);
            if (second >= 0)
                cpd_strlist_add(&c.subjects, subject_names[second]);
        }
        draw_areas(g, &c.expertise, cpd_rng_int(&g->r, 2, 3));
        out[(*n)++] = c;
        for (int i = 0; i < c.subjects.n; i++)
            g->supply[subject_index(c.subjects.items[i])] += h / c.subjects.n;
        g->supply_total += h;
    }
}

/* Coaching coaches are drawn first (DOLs and OTs, then LPs to fill), and added LPs first so
 * coaches.csv reads by role. */
static void make_coaching(gen *g)
{
    int cap = 64 + g->s->nstaff; /* LPs give at least 0.01 h, and capacity is bounded by demand */
    cpd_coach *dols = cpd_xcalloc(NSECONDARY + 1, sizeof(cpd_coach));
    cpd_coach *ots = cpd_xcalloc((size_t)g->s->nstaff / 100 + 2, sizeof(cpd_coach));
    cpd_coach *lps = cpd_xcalloc((size_t)cap, sizeof(cpd_coach));
    int ndol = 0, nots = 0, nlp = 0;
    if (g->demand_total > 0) {
        make_dols(g, dols, &ndol);
        make_ots(g, ots, &nots);
        make_lps(g, lps, &nlp, cap);
    }
    memset(g->supply, 0, sizeof g->supply);
    g->supply_total = 0;
    for (int i = 0; i < nlp; i++)
        add_coaching_coach(g, &lps[i], "LP", i + 1);
    for (int i = 0; i < ndol; i++)
        add_coaching_coach(g, &dols[i], "DOL", i + 1);
    for (int i = 0; i < nots; i++)
        add_coaching_coach(g, &ots[i], "OT", i + 1);
    g->ncoaching = g->s->ncoaches;
    g->nlp = nlp;
    free(dols);
    free(ots);
    free(lps);
}

static int add_support_coach(gen *g, cpd_coach_role role, const char *prefix, int number,
                             int school, double hours)
{
    char id[32], name[64];
    snprintf(id, sizeof id, "%s%02d", prefix, number);
    person_name(g, name, sizeof name);
    cpd_coach c = {.id = id, .name = name, .role = role, .school = school, .hours = hours,
                   .max_schools = 1, .provides = cpd_coach_role_default_provides(role)};
    draw_areas(g, &c.expertise, cpd_rng_int(&g->r, 1, 2));
    return cpd_scenario_add_coach(g->s, &c);
}

/* Mentors: about one per ECT in the ECT's school, in the ECT's subject; now and then one mentor
 * takes two ECTs (and both subjects), as happens in small departments. */
static void make_mentors(gen *g)
{
    double per_ect = g->s->params.service_hours[CPD_SERVICE_MENTORING];
    int number = 0;
    for (int sc = 0; sc < g->s->nschools; sc++) {
        int last = -1, taken = 0;
        for (int t = 0; t < g->s->nstaff; t++) {
            const cpd_staff *st = &g->s->staff[t];
            if (st->school != sc || !st->is_ect)
                continue;
            if (last < 0 || taken >= 2 || cpd_rng_unit(&g->r) >= 0.15) {
                last = add_support_coach(g, CPD_COACH_MENTOR, "MEN", ++number, sc,
                                         cpd_rng_int(&g->r, 1, 3));
                taken = 0;
            }
            cpd_coach *m = &g->s->coaches[last];
            taken++;
            if (st->subjects.n && !cpd_strlist_has(&m->subjects, st->subjects.items[0]))
                cpd_strlist_add(&m->subjects, st->subjects.items[0]);
            if (m->hours < taken * per_ect)
                m->hours = taken * per_ect;
        }
    }
}

/* Senior leaders: one per school, a second in a big secondary; enough hours for its ECTs. */
static void make_senior_leaders(gen *g)
{
    double per_ect = g->s->params.service_hours[CPD_SERVICE_SENIOR];
    int number = 0;
    for (int sc = 0; sc < g->s->nschools; sc++) {
        int ects = 0;
        for (int t = 0; t < g->s->nstaff; t++)
            ects += g->s->staff[t].school == sc && g->s->staff[t].is_ect;
        double h = cpd_rng_int(&g->r, 2, 4);
        add_support_coach(g, CPD_COACH_SENIOR_LEADER, "SL", ++number, sc,
                          fmax(h, ceil(ects * per_ect)));
        if (!g->primary[sc] && g->size[sc] >= 70 && cpd_rng_unit(&g->r) < 0.5)
            add_support_coach(g, CPD_COACH_SENIOR_LEADER, "SL", ++number, sc,
                              cpd_rng_int(&g->r, 2, 4));
    }
}

/* ---- local: last term and pins ---- */

typedef struct {
    double *used;   /* per coaching coach: hours incl. travel */
    int *coachees;
    int *schools;
    bool *worked;   /* ncoaching x nschools */
} last_term;

static double trip_hours(const cpd_scenario *s, const cpd_coach *c, int school)
{
    return c->school == school ? 0 : 2 * cpd_scenario_travel(s, c->school, school) / 60;
}

/* The hours coach c would add taking teacher t on top of last term's load; < 0 when it would
 * break one of the coach's limits (so last term was itself a plan the rules allow). */
static double added_hours(const gen *g, const last_term *lt, int c, int t)
{
    const cpd_coach *k = &g->s->coaches[c];
    const cpd_staff *st = &g->s->staff[t];
    bool new_school = !lt->worked[(size_t)c * g->s->nschools + st->school];
    double h = g->s->params.need_hours[st->need];
    if (new_school)
        h += trip_hours(g->s, k, st->school);
    if (!cpd_coach_shares_subject(k, st) || lt->used[c] + h > k->hours + 1e-9)
        return -1;
    if (k->max_coachees > 0 && lt->coachees[c] >= k->max_coachees)
        return -1;
    if (new_school && k->max_schools > 0 && lt->schools[c] >= k->max_schools)
        return -1;
    return h;
}

/* A coach for a needy teacher last term, nearer coaches likelier; -1 when none fits. */
static int previous_coach(gen *g, last_term *lt, int t)
{
    double *w = cpd_xcalloc((size_t)g->ncoaching + 1, sizeof(double));
    for (int c = 0; c < g->ncoaching; c++) {
        double h = added_hours(g, lt, c, t);
        if (h >= 0)
            w[c] = 1.0 / (1.0 + trip_hours(g->s, &g->s->coaches[c], g->s->staff[t].school));
    }
    int c = cpd_rng_weighted(&g->r, w, g->ncoaching);
    if (c >= 0) {
        int school = g->s->staff[t].school;
        lt->used[c] += added_hours(g, lt, c, t);
        lt->coachees[c]++;
        if (!lt->worked[(size_t)c * g->s->nschools + school]) {
            lt->worked[(size_t)c * g->s->nschools + school] = true;
            lt->schools[c]++;
        }
    }
    free(w);
    return c;
}

/* Any coaching coach of the teacher's subject; -1 when none. */
static int subject_coach(gen *g, int t)
{
    double *w = cpd_xcalloc((size_t)g->ncoaching + 1, sizeof(double));
    for (int c = 0; c < g->ncoaching; c++)
        w[c] = cpd_coach_shares_subject(&g->s->coaches[c], &g->s->staff[t]);
    int c = cpd_rng_weighted(&g->r, w, g->ncoaching);
    free(w);
    return c;
}

static void add_pair(gen *g, int c, int t)
{
    cpd_scenario_add_previous(g->s, c, t, g->s->coaches[c].id, g->s->staff[t].id, 0);
}

/* Pairs whose teacher has left: ids past any staff id, as "T9001". */
static void add_leavers(gen *g, int n)
{
    int base = g->s->nstaff < 9000 ? 9001 : g->s->nstaff + 1;
    for (int k = 0; k < n && g->ncoaching > 0; k++) {
        char id[32];
        snprintf(id, sizeof id, "T%04d", base + k);
        int c = cpd_rng_int(&g->r, 0, g->ncoaching - 1);
        cpd_scenario_add_previous(g->s, c, -1, g->s->coaches[c].id, id, 0);
    }
}

/* A pair whose coach has left: an LP number past the last one. */
static void add_coach_leaver(gen *g, const bool *paired)
{
    int start = cpd_rng_int(&g->r, 0, g->s->nstaff - 1);
    for (int k = 0; k < g->s->nstaff; k++) {
        int t = (start + k) % g->s->nstaff;
        if (paired[t] || g->s->staff[t].need == CPD_NEED_NONE)
            continue;
        char id[32];
        snprintf(id, sizeof id, "LP%02d", g->nlp + 1);
        cpd_scenario_add_previous(g->s, -1, t, id, g->s->staff[t].id, 0);
        return;
    }
}

static void make_previous(gen *g)
{
    int nc = g->ncoaching, ns = g->s->nschools;
    if (nc == 0)
        return;
    last_term lt = {cpd_xcalloc((size_t)nc, sizeof(double)), cpd_xcalloc((size_t)nc, sizeof(int)),
                    cpd_xcalloc((size_t)nc, sizeof(int)),
                    cpd_xcalloc((size_t)nc * (size_t)ns, sizeof(bool))};
    bool *paired = cpd_xcalloc((size_t)g->s->nstaff, sizeof(bool));
    for (int t = 0; t < g->s->nstaff; t++) {
        const cpd_staff *st = &g->s->staff[t];
        double u = cpd_rng_unit(&g->r);
        int c = -1;
        if (st->need != CPD_NEED_NONE && u < PREVIOUS_SHARE)
            c = previous_coach(g, &lt, t);
        else if (st->need == CPD_NEED_NONE && strcmp(st->role, "headteacher") != 0 && u < 0.02)
            c = subject_coach(g, t); /* had a need last term; none now */
        if (c >= 0) {
            add_pair(g, c, t);
            paired[t] = true;
        }
    }
    int npairs = g->s->nprevious;
    if (npairs > 0)
        add_leavers(g, (npairs + 19) / 20);
    if (npairs >= 20)
        add_coach_leaver(g, paired);
    free(paired);
    free(lt.used);
    free(lt.coachees);
    free(lt.schools);
    free(lt.worked);
}

static bool is_previous(const cpd_scenario *s, int c, int t)
{
    for (int i = 0; i < s->nprevious; i++)
        if (s->previous[i].coach == c && s->previous[i].teacher == t)
            return true;
    return false;
}

static bool is_pinned(const cpd_scenario *s, int c, int t)
{
    for (int i = 0; i < s->npins; i++)
        if (s->pins[i].coach == c && s->pins[i].teacher == t)
            return true;
    return false;
}

/* `must` pins are taken from last term's pairs of teachers still in need: those pairs were a
 * plan within every coach's limits at today's hours, so any subset of them is feasible. */
static void make_must_pins(gen *g)
{
    const cpd_scenario *s = g->s;
    int *cand = cpd_xcalloc((size_t)s->nprevious + 1, sizeof(int)), n = 0;
    for (int i = 0; i < s->nprevious; i++) {
        const cpd_pair *q = &s->previous[i];
        if (q->coach >= 0 && q->teacher >= 0 && s->staff[q->teacher].need != CPD_NEED_NONE)
            cand[n++] = i;
    }
    int want = cpd_rng_int(&g->r, 2, 3);
    for (int k = 0; k < want && k < n; k++) {
        int j = cpd_rng_int(&g->r, k, n - 1), tmp = cand[k];
        cand[k] = cand[j];
        cand[j] = tmp;
        cpd_scenario_add_pin(g->s, s->previous[cand[k]].coach, s->previous[cand[k]].teacher, true,
                             0);
    }
    free(cand);
}

/* `never` pins: a coach of the teacher's subject the trust wants kept apart, on pairs that
 * were not last term's (so a never pin never forces a change). */
static void make_never_pins(gen *g)
{
    const cpd_scenario *s = g->s;
    int want = cpd_rng_int(&g->r, 2, 3), made = 0;
    for (int tries = 0; tries < 200 && made < want; tries++) {
        int t = cpd_rng_int(&g->r, 0, s->nstaff - 1), c = cpd_rng_int(&g->r, 0, g->ncoaching - 1);
        if (s->staff[t].need == CPD_NEED_NONE ||
            !cpd_coach_shares_subject(&s->coaches[c], &s->staff[t]) ||
            is_previous(s, c, t) || is_pinned(s, c, t))
            continue;
        cpd_scenario_add_pin(g->s, c, t, false, 0);
        made++;
    }
}

/* ---- interface ---- */

cpd_scenario *cpd_generate_deploy(int nstaff, int nschools, unsigned long seed)
{
    if (nstaff < 1)
        nstaff = 1;
    int most = nstaff / 5 > 1 ? nstaff / 5 : 1; /* a school has five staff or more */
    if (nschools <= 0)
        nschools = nstaff / 50 > 1 ? nstaff / 50 : 1;
    if (nschools > most)
        nschools = most;
    gen g = {.s = cpd_scenario_new(), .r = {(uint64_t)seed}};
    g.primary = cpd_xcalloc((size_t)nschools, sizeof(bool));
    g.x = cpd_xcalloc((size_t)nschools, sizeof(double));
    g.y = cpd_xcalloc((size_t)nschools, sizeof(double));
    g.size = cpd_xcalloc((size_t)nschools, sizeof(int));
    char name[128];
    snprintf(name, sizeof name, "generated trust (%d staff, %d schools, seed %lu)", nstaff,
             nschools, seed);
    g.s->name = cpd_strdup(name);
    make_schools(&g, nschools);
    make_staff(&g, nstaff);
    make_coaching(&g);
    make_mentors(&g);
    make_senior_leaders(&g);
    make_previous(&g);
    if (g.ncoaching > 0) {
        make_must_pins(&g);
        make_never_pins(&g);
    }
    free(g.primary);
    free(g.x);
    free(g.y);
    free(g.size);
    return g.s;
}

/* ---- shared with the other generators (generate_internal.h) ---- */

static const char *const first_names[GEN_FIRST_NAMES] = {
    "Amelia", "Oliver",  "Isla",    "George", "Ava",    "Noah",   "Mia",   "Arthur",
    "Ivy",    "Leo",     "Grace",   "Oscar",  "Freya",  "Harry",  "Lily",  "Jack",
    "Emily",  "Charlie", "Sophie",  "Thomas", "Ella",   "James",  "Poppy", "William",
    "Ruby",   "Henry",   "Evie",    "Samuel", "Chloe",  "Daniel", "Priya", "Amir",
    "Zara",   "Yusuf",   "Hannah",  "Joseph", "Aisha",  "Kwame",  "Niamh", "Rhys",
    "Bethan", "Callum",  "Deborah", "Eilidh", "Fatima", "Gareth", "Helen", "Imran"};
static const char *const last_names[] = {
    "Smith", "Jones",    "Taylor", "Brown",    "Williams", "Wilson", "Johnson", "Davies",
    "Patel", "Robinson", "Wright", "Thompson", "Evans",    "Walker", "White",   "Roberts",
    "Green", "Hall",     "Wood",   "Jackson",  "Clarke",   "Khan",   "Hughes",  "Edwards",
    "Lewis", "Ahmed",    "Turner", "Hill",     "Moore",    "Cooper", "Ward",    "Morris",
    "Begum", "Okafor",   "Murphy", "Kelly",    "Shaw",     "Price",  "Baker",   "Nowak"};

void gen_person_name(cpd_rng *r, int nfirst, char *buf, size_t len)
{
    snprintf(buf, len, "%s %s", first_names[cpd_rng_int(r, 0, nfirst - 1)],
             last_names[cpd_rng_int(r, 0, COUNT(last_names) - 1)]);
}

/* sqrt, not hypot: IEEE 754 rounds sqrt exactly, so every machine gets the same minutes. */
static double minutes_between(double x1, double y1, double x2, double y2)
{
    double dx = x1 - x2, dy = y1 - y2;
    return round(sqrt(dx * dx + dy * dy) * 1.5 + 5);
}

void gen_travel_from_map(cpd_scenario *s, const double *x, const double *y, double km)
{
    int n = s->nschools;
    cpd_scenario_init_travel(s, s->params.default_travel_minutes);
    for (int i = 0; i < n; i++) {
        s->trust_travel[i] = minutes_between(x[i], y[i], km / 2, km / 2);
        for (int j = 0; j < n; j++)
            s->travel[i * n + j] = i == j ? 0 : minutes_between(x[i], y[i], x[j], y[j]);
    }
}
