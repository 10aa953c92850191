/* cpd_generate_onboard.c — the trust's model onboarding programme as activities, and synthetic
 * onboarding scenarios (joining schools, their staff, the trust's shared pool) reproducible
 * from the seed through a PRNG of our own. */
#include "cpd_generate.h"

#include "cpd_date.h"
#include "cpd_err.h"
#include "cpd_rng.h"
#include "generate_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_KM 30.0
#define SCHOOL_MIN 20 /* staff of a joining school, when nstaff allows */
#define SCHOOL_MAX 60

/* ---- local: the model programme ---- */

/* One row of the programme as a user reads it in activities.csv: days, not half-days; per
 * NULL for once per school; needs "lp|dol:1;senco:1"; after ids ';'-separated. */
typedef struct {
    const char *id, *name;
    int week, earliest, latest;
    double days;
    const char *per, *needs, *audience, *after;
    bool weekly, cover, coach;
} prog_row;

/* Week 1 holds the two training days (whole days, all staff) and a single teaching day after
 * them (a Wednesday start), so its half-day trainings run as twilights in week 2. The coach
 * day is for classroom teachers and ECTs (leaders have their own strand: the middle-leader
 * evaluation with a DOL, key risks and the leadership plan with the executive head); it is
 * most of the pool's time (about 21 days for a school of 40, and none fits a day with a
 * twilight), so its window is the first fortnight: a school of 40 fits it, six schools sharing
 * 12 LPs and DOLs (about 135 coach days in six teaching days) run late. The executive head's
 * visit needs nobody else, so it may open a training day. */
static const prog_row programme[] = {
    {"inset_curriculum", "Training day: core curriculum and pedagogy", 1, 1, 1, 1, NULL, "lp|dol:1",
     "staff", NULL, false, false, false},
    {"inset_values", "Training day: data and assessment, behaviour and values", 1, 1, 1, 1, NULL,
     "lp|dol:1", "staff", NULL, false, false, false},
    {"coach_day", "Day in class with a coach: priorities and action plan", 1, 1, 2, 1,
     "teacher;ect", "lp|dol|ot:1", NULL, NULL, false, false, true},
    {"marking_training", "Training: marking and feedback", 1, 1, 2, 0.5, NULL, "lp:1", "staff",
     NULL, false, false, false},
    {"environment", "Learning-environment non-negotiables set", 1, 1, 2, 0.5, NULL, "lp|dol:1",
     "senior_leader", NULL, false, false, false},
    {"year_targets", "Year-group targets set by DOLs with the head of school", 1, 1, 2, 0.5, NULL,
     "dol:1", "headteacher", NULL, false, false, false},
    {"key_risks", "Key risks agreed with senior leaders", 1, 1, 2, 0.5, NULL, "exec_head:1",
     "senior_leader;headteacher", NULL, false, false, false},
    {"behaviour_training", "Training: behaviour management", 1, 1, 2, 0.5, NULL, "lp|dol:1",
     "staff", NULL, false, false, false},
    {"marking_adopted", "Marking and feedback policy adopted with LPs", 2, 2, 3, 0.5, NULL, "lp:1",
     "middle_leader", "marking_training", false, false, false},
    {"behaviour_policy", "Behaviour policy in place", 2, 2, 3, 0.5, NULL, "lp|dol:1",
     "senior_leader", "behaviour_training", false, false, false},
    {"senco_review", "SENCO review: SEN and vulnerable groups in key classes", 2, 2, 3, 1, NULL,
     "senco:1", NULL, NULL, false, false, false},
    {"key_groups_training", "Training: key groups and their needs", 2, 2, 3, 0.5, NULL, "lp|dol:1",
     "staff", NULL, false, false, false},
    {"ml_evaluation", "Middle-leader evaluation and action plan", 3, 3, 4, 0.5, "middle_leader",
     "dol:1", NULL, NULL, false, true, false},
    {"leadership_plan", "Leadership action plan", 3, 3, 4, 0.5, NULL, "exec_head:1",
     "senior_leader;headteacher", "key_risks", false, false, false},
    {"senco_further", "SENCO review: further year groups", 3, 3, 4, 1, NULL, "senco:1", NULL,
     "senco_review", false, false, false},
    {"group_provision", "Provision for under-performing groups", 3, 3, 4, 0.5, NULL, "senco:1",
     "senior_leader", "senco_review;senco_further", false, false, false},
    {"pm_training", "Performance-management training for governors and senior staff", 3, 3, 4, 0.5,
     NULL, "exec_head:1", "senior_leader;headteacher", NULL, false, false, false},
    {"pm_meeting", "Performance-management meeting", 4, 4, 4, 0.5, "teacher;ect", NULL, NULL,
     "pm_training", false, false, false},
    {"extended_curriculum", "Review of the extended curriculum", 4, 4, 4, 0.5, NULL, "lp|dol:1",
     "senior_leader", NULL, false, false, false},
    {"weekly_coaching", "In-class coaching", 2, 2, 4, 1, NULL, "lp|dol|ot:1", NULL, NULL, true,
     false, false},
    {"weekly_planning", "Weekly planning with an LP or DOL", 1, 1, 4, 0.5, NULL, "lp|dol:1",
     "middle_leader", NULL, true, false, false},
    {"exec_visit", "Executive head's visit", 1, 1, 4, 0.5, NULL, "exec_head:1", NULL, NULL, true,
     false, false},
};
#define NPROGRAMME ((int)(sizeof programme / sizeof programme[0]))

/* Splits s at sep into l (empty items dropped). */
static void split_into(cpd_strlist *l, const char *s, char sep)
{
    while (s && *s) {
        const char *end = strchr(s, sep);
        size_t n = end ? (size_t)(end - s) : strlen(s);
        if (n > 0) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*s", (int)n, s);
            cpd_strlist_add(l, buf);
        }
        s = end ? end + 1 : NULL;
    }
}

/* "lp|dol:1;senco:2" into the activity's needs. */
static void parse_needs(cpd_activity *a, const char *needs)
{
    cpd_strlist items = {0};
    split_into(&items, needs, ';');
    for (int i = 0; i < items.n && a->nneeds < CPD_OB_MAX_NEEDS; i++) {
        char *colon = strrchr(items.items[i], ':');
        cpd_ob_need *k = &a->needs[a->nneeds++];
        k->count = colon ? atoi(colon + 1) : 1;
        if (colon)
            *colon = '\0';
        split_into(&k->roles, items.items[i], '|');
    }
    cpd_strlist_clear(&items);
}

static int activity_index(const cpd_onboard *p, const char *id)
{
    for (int i = 0; i < p->nactivities; i++)
        if (strcmp(p->activities[i].id, id) == 0)
            return i;
    return -1;
}

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static void add_row(cpd_onboard *p, const prog_row *row, int nweeks)
{
    cpd_activity a = {.id = (char *)row->id,
                      .name = (char *)row->name,
                      .duration = (int)lround(row->days * 2),
                      .weekly = row->weekly,
                      .cover = row->cover,
                      .coach = row->coach};
    a.latest = clamp(row->latest, 1, nweeks);
    a.earliest = clamp(row->earliest, 1, a.latest);
    a.week = clamp(row->week, a.earliest, a.latest);
    split_into(&a.per, row->per, ';');
    split_into(&a.audience, row->audience, ';');
    parse_needs(&a, row->needs);
    cpd_strlist after = {0};
    split_into(&after, row->after, ';');
    for (int i = 0; i < after.n && a.nafter < CPD_OB_MAX_AFTER; i++) {
        int b = activity_index(p, after.items[i]);
        if (b >= 0)
            a.after[a.nafter++] = b;
    }
    cpd_strlist_clear(&after);
    cpd_onboard_add_activity(p, &a);
}

/* ---- local: the vocabulary ---- */

static const char *const place_names[] = {
    "Ashworth",  "Brookfield", "Carrow",  "Dunmore",     "Elmstead",    "Fenwick",
    "Glenfield", "Harrowden",  "Ingleby", "Kelsall",     "Langley",     "Marston",
    "Netherton", "Oakley",     "Penrith", "Quarry Bank", "Ravensworth", "Sandbach",
    "Thornton",  "Upton",      "Whitley", "Yarwood"};
static const char *const school_kinds[] = {"Academy", "High School", "Primary School",
                                           "Community College", "C of E Primary"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- local: the generator's state ---- */

typedef struct {
    cpd_onboard *p;
    cpd_rng r;
    int njoin, nexisting; /* schools 0..njoin-1 join; the rest are the trust's own */
    double *x, *y;        /* per school, km on the map */
    int *dates;           /* the programme's days */
} gen;

static void person_name(gen *g, char *buf, size_t len)
{
    gen_person_name(&g->r, GEN_FIRST_NAMES, buf, len);
}

/* ---- local: schools and travel ---- */

/* Joining schools first (J01..), then the trust's own (T01..); names from a shuffled list. */
static void make_schools(gen *g)
{
    int np = COUNT(place_names), perm[COUNT(place_names)], n = g->njoin + g->nexisting;
    cpd_rng_permutation(&g->r, perm, np);
    g->x = cpd_xcalloc((size_t)n, sizeof(double));
    g->y = cpd_xcalloc((size_t)n, sizeof(double));
    for (int i = 0; i < n; i++) {
        bool joining = i < g->njoin;
        char id[16], name[96];
        snprintf(id, sizeof id, "%c%02d", joining ? 'J' : 'T', joining ? i + 1 : i - g->njoin + 1);
        const char *kind = school_kinds[cpd_rng_int(&g->r, 0, COUNT(school_kinds) - 1)];
        if (i < np)
            snprintf(name, sizeof name, "%s %s", place_names[perm[i]], kind);
        else
            snprintf(name, sizeof name, "%s %s %d", place_names[perm[i % np]], kind, i / np + 1);
        cpd_scenario_add_school(g->p->common, id, name, joining);
        g->x[i] = cpd_rng_unit(&g->r) * MAP_KM;
        g->y[i] = cpd_rng_unit(&g->r) * MAP_KM;
    }
    gen_travel_from_map(g->p->common, g->x, g->y, MAP_KM);
}

/* ---- local: staff ---- */

/* Sizes of the joining schools: drawn in 20..60 and scaled to nstaff, by largest remainder;
 * at least five each. */
static void size_schools(gen *g, int nstaff, int *size)
{
    int n = g->njoin, given = 0;
    double *w = cpd_xcalloc((size_t)n, sizeof(double)), total = 0;
    for (int i = 0; i < n; i++)
        total += w[i] = cpd_rng_int(&g->r, SCHOOL_MIN, SCHOOL_MAX);
    for (int i = 0; i < n; i++)
        given += size[i] = (int)floor(nstaff * w[i] / total);
    while (given < nstaff) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (nstaff * w[i] / total - size[i] > nstaff * w[best] / total - size[best])
                best = i;
        size[best]++;
        given++;
    }
    for (int i = 0; i < n; i++)
        while (size[i] < 5) {
            int big = 0;
            for (int j = 1; j < n; j++)
                if (size[j] > size[big])
                    big = j;
            size[big]--;
            size[i]++;
        }
    free(w);
}

/* One headteacher first; then roughly a school's mix: half teachers, a quarter support
 * staff, middle leaders, a few senior leaders and ECTs. */
static const char *draw_role(gen *g, int k)
{
    if (k == 0)
        return "headteacher";
    if (k == 1)
        return "senior_leader"; /* every school has one, so leader-audience tasks mean something */
    double u = cpd_rng_unit(&g->r);
    return u < 0.06   ? "ect"
           : u < 0.19 ? "middle_leader"
           : u < 0.24 ? "senior_leader"
           : u < 0.48 ? "support"
                      : "teacher";
}

static void make_staff(gen *g, int nstaff)
{
    int *size = cpd_xcalloc((size_t)g->njoin, sizeof(int)), next = 1;
    size_schools(g, nstaff, size);
    for (int sc = 0; sc < g->njoin; sc++)
        for (int k = 0; k < size[sc]; k++) {
            char id[16], name[64];
            snprintf(id, sizeof id, "S%04d", next++);
            person_name(g, name, sizeof name);
            cpd_staff st = {.id = id, .name = name, .school = sc, .role = (char *)draw_role(g, k)};
            st.is_ect = strcmp(st.role, "ect") == 0;
            cpd_scenario_add_staff(g->p->common, &st);
        }
    free(size);
}

/* ---- local: the pool ---- */

/* Dates away: a third of the pool has one or two working days of the programme off. */
static void draw_away(gen *g, cpd_resource *r)
{
    if (cpd_rng_unit(&g->r) >= 0.33)
        return;
    int n = cpd_rng_int(&g->r, 1, 2), nd = g->p->params.ndays;
    r->unavailable = cpd_xmalloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) {
        int date = g->dates[cpd_rng_int(&g->r, 2, nd - 1)]; /* never a training day */
        if (i == 0 || r->unavailable[0] != date)
            r->unavailable[r->nunavailable++] = date;
    }
}

static void add_person(gen *g, const char *prefix, int number, const char *role, int school,
                       int days)
{
    char id[16], name[64];
    snprintf(id, sizeof id, "%s%02d", prefix, number);
    person_name(g, name, sizeof name);
    cpd_resource r = {.id = id, .name = name, .role = (char *)role, .school = school, .days = days};
    draw_away(g, &r);
    cpd_onboard_add_resource(g->p, &r);
}

/* A trust school for a school-based member of the pool (central when the trust has none). */
static int trust_school(gen *g)
{
    return g->nexisting > 0 ? g->njoin + cpd_rng_int(&g->r, 0, g->nexisting - 1) : CPD_TRUST_SCHOOL;
}

/* An LP and a DOL per joining school, at least two of each (LPs first, one in five
 * part-time), as many OTs released two or three days a week from the trust's schools, and a
 * SENCO and an executive head per six joining schools (one of each up to six, as the issue's
 * six schools have: a trust taking on forty schools at once has more than one of each). */
static void make_pool(gen *g)
{
    int nlp = g->njoin > 2 ? g->njoin : 2, ndol = nlp, nots = g->njoin > 2 ? g->njoin : 2;
    for (int i = 0; i < nlp; i++)
        add_person(g, "LP", i + 1, "lp",
                   cpd_rng_unit(&g->r) < 0.5 ? CPD_TRUST_SCHOOL : trust_school(g),
                   cpd_rng_unit(&g->r) < 0.2 ? 4 : 5);
    for (int i = 0; i < ndol; i++)
        add_person(g, "DOL", i + 1, "dol", CPD_TRUST_SCHOOL, cpd_rng_unit(&g->r) < 0.2 ? 4 : 5);
    for (int i = 0; i < nots; i++)
        add_person(g, "OT", i + 1, "ot", trust_school(g), cpd_rng_int(&g->r, 2, 3));
    int nlead = (g->njoin + 5) / 6;
    for (int i = 0; i < nlead; i++)
        add_person(g, "SENCO", i + 1, "senco", CPD_TRUST_SCHOOL, 5);
    for (int i = 0; i < nlead; i++)
        add_person(g, "EXEC", i + 1, "exec_head", CPD_TRUST_SCHOOL, 5);
}

/* ---- interface ---- */

void cpd_onboard_model_calendar(cpd_onboard *p)
{
    cpd_onboard_params *q = &p->params;
    q->start = cpd_date_from_ymd(2027, 9, 1);
    q->ndays = 20;
    q->twilight = (1u << 1) | (1u << 3); /* Tuesday, Thursday */
    int training[2] = {q->start, q->start + 1};
    cpd_onboard_set_dates(p, NULL, 0, training, 2);
}

void cpd_onboard_model_programme(cpd_onboard *p)
{
    int nweeks = cpd_onboard_nweeks(p);
    if (nweeks < 1)
        nweeks = 1;
    for (int i = 0; i < NPROGRAMME; i++)
        add_row(p, &programme[i], nweeks);
}

cpd_onboard *cpd_generate_onboard(int nstaff, int nschools, unsigned long seed)
{
    if (nschools < 1)
        nschools = 1;
    if (nstaff < 5 * nschools)
        nstaff = 5 * nschools;
    cpd_scenario *common = cpd_scenario_new();
    char name[128];
    snprintf(name, sizeof name, "generated onboarding (%d staff, %d joining schools, seed %lu)",
             nstaff, nschools, seed);
    common->name = cpd_strdup(name);
    gen g = {.p = cpd_onboard_new(&common),
             .r = {(uint64_t)seed ^ 0x0b0a4dULL},
             .njoin = nschools,
             .nexisting = 2 + nschools / 2};
    cpd_onboard_model_calendar(g.p);
    g.p->params.short_travel = 20; /* nearby schools may share a day: six visits a week by
                                      one executive head need it */
    g.dates = cpd_xcalloc((size_t)g.p->params.ndays, sizeof(int));
    cpd_onboard_days(g.p, g.dates);
    make_schools(&g);
    make_staff(&g, nstaff);
    make_pool(&g);
    cpd_onboard_model_programme(g.p);
    free(g.x);
    free(g.y);
    free(g.dates);
    return g.p;
}
