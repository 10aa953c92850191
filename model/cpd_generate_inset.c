/* cpd_generate_inset.c — synthetic training days: the trust's staff (from the deploy
 * generator, coaches dropped), a programme of workshops with rooms sized to about 105-115% of
 * the people in each slot, facilitators from the staff, and ranked preferences with popular
 * workshops chosen more often; reproducible from the seed through a PRNG of our own. */
#include "cpd_generate.h"

#include "cpd_err.h"
#include "cpd_rng.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHOICES 6
#define NO_PREFS 0.05    /* share of staff who send no preferences */
#define SEATS_LOW 1.05   /* seats per slot, as a share of the staff */
#define SEATS_HIGH 1.15
#define MIN_SIZE_SHARE 0.12
#define LENGTH2_SHARE 0.1

/* ---- local: the programme ---- */

typedef struct {
    const char *title;
    const char *audience;  /* one role, or NULL: everyone */
    const char *mandatory; /* one role, or NULL */
} theme;

static const theme themes[] = {
    {"Safeguarding update", NULL, "ect"},
    {"PREVENT duty", NULL, "ect"},
    {"Adaptive teaching in mixed-attainment classes", NULL, NULL},
    {"Retrieval practice", NULL, NULL},
    {"Behaviour for learning", NULL, NULL},
    {"Early career: routines that stick", "ect", NULL},
    {"Questioning and checking for understanding", NULL, NULL},
    {"Supporting pupils with SEND", NULL, NULL},
    {"Reading across the curriculum", NULL, NULL},
    {"Working memory and cognitive load", NULL, NULL},
    {"Teaching assistants: effective deployment", "support", NULL},
    {"Leading a department", "middle_leader", NULL},
    {"Feedback that moves learning on", NULL, NULL},
    {"Oracy in every classroom", NULL, NULL},
    {"Mental health first aid awareness", NULL, NULL},
    {"Disciplinary literacy", NULL, NULL},
    {"Curriculum sequencing", NULL, NULL},
    {"Metacognition and self-regulation", NULL, NULL},
    {"Attendance: what works", NULL, NULL},
    {"EAL learners in the mainstream", NULL, NULL},
    {"Modelling and worked examples", NULL, NULL},
    {"Coaching conversations", NULL, NULL},
    {"Assessment without levels", NULL, NULL},
    {"Digital tools for formative assessment", NULL, NULL},
    {"Phonics refresher", NULL, NULL},
    {"Maths mastery in practice", NULL, NULL},
    {"Outdoor learning", NULL, NULL},
    {"Restorative approaches", NULL, NULL},
    {"Autism-friendly classrooms", NULL, NULL},
    {"Staff wellbeing and workload", NULL, NULL},
    {"Effective use of homework", NULL, NULL},
    {"Subject knowledge: science practicals", NULL, NULL},
    {"Writing: from talk to text", NULL, NULL},
    {"Trauma-informed practice", NULL, NULL},
    {"Leading support staff", "senior_leader", NULL},
    {"Data literacy for teachers", NULL, NULL},
    {"Vocabulary instruction", NULL, NULL},
    {"Inclusive PE", NULL, NULL},
    {"Careers education in every subject", NULL, NULL},
    {"First aid refresher", NULL, NULL},
};
#define NTHEMES ((int)(sizeof themes / sizeof themes[0]))

typedef struct {
    cpd_rng r;
    cpd_inset *p;
    int S;
    double *pop;        /* per workshop: how often it is chosen */
    bool *facilitating; /* per staff */
    double load[16];    /* per slot: popularity offered so far */
} gen;

/* The trust's schools and staff, copied out of a deploy scenario. */
static cpd_scenario *common_of(int nstaff, int nschools, unsigned long seed)
{
    cpd_scenario *d = cpd_generate_deploy(nstaff, nschools, seed);
    cpd_scenario *s = cpd_scenario_new();
    char name[128];
    snprintf(name, sizeof name, "generated training day (%d staff, %d schools, seed %lu)",
             d->nstaff, d->nschools, seed);
    s->name = cpd_strdup(name);
    for (int i = 0; i < d->nschools; i++)
        cpd_scenario_add_school(s, d->schools[i].id, d->schools[i].name, d->schools[i].joining);
    for (int i = 0; i < d->nstaff; i++) {
        cpd_staff st = d->staff[i];
        st.subjects = (cpd_strlist){0};
        st.focus = (cpd_strlist){0};
        for (int k = 0; k < d->staff[i].subjects.n; k++)
            cpd_strlist_add(&st.subjects, d->staff[i].subjects.items[k]);
        for (int k = 0; k < d->staff[i].focus.n; k++)
            cpd_strlist_add(&st.focus, d->staff[i].focus.items[k]);
        cpd_scenario_add_staff(s, &st);
    }
    cpd_scenario_free(&d);
    return s;
}

/* Start slots: two or three of the day (one for a few), the least loaded first (load: the
 * popularity already offered in a slot) so that each slot gets a similar share of seats; a
 * two-slot workshop's runs do not overlap. */
static unsigned draw_starts(gen *g, int len, double pop)
{
    int last = g->S - len + 1, k = cpd_rng_unit(&g->r) < 0.15 ? 1 : cpd_rng_int(&g->r, 2, 3);
    unsigned bits = 0;
    for (int pick = 0; pick < k; pick++) {
        int best = -1;
        double best_key = 0;
        for (int s = 1; s <= last; s++) {
            unsigned span = ((1u << len) - 1) << (s - 1);
            bool clash = false;
            for (int q = 1; q <= g->S; q++)
                if ((bits >> (q - 1)) & 1u)
                    clash |= (((1u << len) - 1) << (q - 1)) & span;
            double key = g->load[s - 1] + (len > 1 ? g->load[s] : 0) + 0.5 * cpd_rng_unit(&g->r);
            if (!clash && (best < 0 || key < best_key)) {
                best = s;
                best_key = key;
            }
        }
        if (best < 1) /* no start slot left without a clash */
            break;
        bits |= 1u << (best - 1);
        for (int q = best; q < best + len; q++)
            g->load[q - 1] += pop;
    }
    return bits ? bits : 1u;
}

/* A facilitator: a member of staff who is not already delivering, teachers and leaders first. */
static int draw_facilitator(gen *g)
{
    const cpd_scenario *s = g->p->common;
    for (int tries = 0; tries < 100; tries++) {
        int t = cpd_rng_int(&g->r, 0, s->nstaff - 1);
        if (g->facilitating[t] || strcmp(s->staff[t].role, "ect") == 0 ||
            (strcmp(s->staff[t].role, "support") == 0 && tries < 50))
            continue;
        g->facilitating[t] = true;
        return t;
    }
    return -1;
}

static void make_workshop(gen *g, int w)
{
    const theme *th = &themes[w % NTHEMES];
    char id[16], title[160];
    snprintf(id, sizeof id, "W%02d", w + 1);
    if (w < NTHEMES)
        snprintf(title, sizeof title, "%s", th->title);
    else
        snprintf(title, sizeof title, "%s (%d)", th->title, w / NTHEMES + 1);
    cpd_workshop k = {.id = id, .title = title, .length = 1};
    if (w >= 4 && g->S >= 2 && cpd_rng_unit(&g->r) < LENGTH2_SHARE)
        k.length = 2;
    double u = cpd_rng_unit(&g->r);
    g->pop[w] = th->mandatory ? 0.3 : th->audience ? 0.15 : 0.2 + 2.0 * u * u;
    k.starts = draw_starts(g, k.length, g->pop[w]);
    if (th->audience)
        cpd_strlist_add(&k.audience, th->audience);
    if (th->mandatory && w < NTHEMES)
        cpd_strlist_add(&k.mandatory_for, th->mandatory);
    int nf = cpd_rng_unit(&g->r) < 0.2 ? 2 : 1; /* a lead and a co-deliverer, now and then */
    k.facilitators = cpd_xmalloc(2 * sizeof(int));
    for (int i = 0; i < nf; i++) {
        int t = draw_facilitator(g);
        if (t >= 0)
            k.facilitators[k.nfacilitators++] = t;
    }
    cpd_inset_add_workshop(g->p, &k);
}

/* Seats in slot s (every run covering it). */
static int slot_seats(const cpd_inset *p, int s)
{
    int n = 0;
    for (int w = 0; w < p->nworkshops; w++) {
        const cpd_workshop *k = &p->workshops[w];
        for (int q = 1; q <= s; q++)
            if ((k->starts >> (q - 1)) & 1u && s < q + k->length)
                n += k->capacity;
    }
    return n;
}

/* A mandatory workshop has seats, over its runs, for everyone who must attend and a few who
 * choose it: a trust does not book PREVENT into a room too small for its ECTs. */
static void seat_the_mandatory(cpd_inset *p, int w)
{
    cpd_workshop *k = &p->workshops[w];
    int runs = __builtin_popcount(k->starts), must = 0;
    for (int t = 0; t < p->common->nstaff && runs > 0 && k->mandatory_for.n > 0; t++)
        must += cpd_strlist_has(&k->mandatory_for, p->common->staff[t].role);
    int need = runs > 0 ? (int)ceil(1.15 * must / runs) : 0;
    if (k->capacity < need)
        k->capacity = need;
}

/* Capacities in proportion to popularity (rooms for 8 to 90), scaled so that each slot has
 * about 105-115% of the staff in seats. */
static void size_rooms(gen *g)
{
    cpd_inset *p = g->p;
    int T = p->common->nstaff;
    double target = T * (SEATS_LOW + (SEATS_HIGH - SEATS_LOW) * cpd_rng_unit(&g->r)), runs_pop = 0;
    for (int w = 0; w < p->nworkshops; w++)
        runs_pop += g->pop[w] * __builtin_popcount(p->workshops[w].starts) * p->workshops[w].length;
    double c = target * g->S / fmax(runs_pop, 1e-9);
    for (int w = 0; w < p->nworkshops; w++)
        p->workshops[w].capacity = (int)fmax(4, round(c * g->pop[w]));
    for (int s = 1; s <= g->S; s++)
        for (int w = 0; slot_seats(p, s) < (int)(T * SEATS_LOW) && w < 100000; w++) {
            cpd_workshop *k = &p->workshops[w % p->nworkshops];
            for (int q = 1; q <= s; q++)
                if ((k->starts >> (q - 1)) & 1u && s < q + k->length)
                    k->capacity++;
        }
    for (int w = 0; w < p->nworkshops; w++)
        seat_the_mandatory(p, w);
    for (int w = 0; w < p->nworkshops; w++)
        if (w >= 2 && cpd_rng_unit(&g->r) < MIN_SIZE_SHARE)
            p->workshops[w].min_size = p->workshops[w].capacity / 4 > 3 ? p->workshops[w].capacity / 4 : 3;
}

static bool may_attend(const cpd_inset *p, int t, int w)
{
    const cpd_workshop *k = &p->workshops[w];
    for (int i = 0; i < k->nfacilitators; i++)
        if (k->facilitators[i] == t)
            return false;
    return k->audience.n == 0 || cpd_strlist_has(&k->audience, p->common->staff[t].role);
}

static void make_preferences(gen *g)
{
    cpd_inset *p = g->p;
    double *w = cpd_xmalloc((size_t)p->nworkshops * sizeof(double) + 1);
    for (int t = 0; t < p->common->nstaff; t++) {
        if (cpd_rng_unit(&g->r) < NO_PREFS)
            continue;
        int want = cpd_rng_unit(&g->r) < 0.8 ? MAX_CHOICES : cpd_rng_int(&g->r, 3, MAX_CHOICES - 1);
        double total = 0;
        for (int k = 0; k < p->nworkshops; k++)
            total += w[k] = may_attend(p, t, k) ? g->pop[k] : 0;
        cpd_preference pr = {.staff = t, .choices = cpd_xmalloc(MAX_CHOICES * sizeof(int))};
        while (pr.nchoices < want && total > 1e-12) {
            double x = cpd_rng_unit(&g->r) * total;
            int pick = -1;
            for (int k = 0; k < p->nworkshops && pick < 0; k++) {
                if (w[k] > 0 && x < w[k])
                    pick = k;
                x -= w[k];
            }
            for (int k = p->nworkshops - 1; pick < 0 && k >= 0; k--)
                if (w[k] > 0)
                    pick = k;
            pr.choices[pr.nchoices++] = pick;
            total -= w[pick];
            w[pick] = 0;
        }
        if (pr.nchoices == 0)
            free(pr.choices);
        else
            cpd_inset_add_preference(p, &pr);
    }
    free(w);
}

/* ---- interface ---- */

cpd_inset *cpd_generate_inset(int nstaff, int nschools, int nworkshops, int nslots,
                              unsigned long seed)
{
    if (nslots < 1)
        nslots = 1;
    if (nslots > 16)
        nslots = 16;
    if (nworkshops < 1)
        nworkshops = 1;
    cpd_scenario *common = common_of(nstaff, nschools, seed);
    gen g = {.r = {(uint64_t)seed ^ 0x15e7ULL}, .S = nslots};
    g.p = cpd_inset_new(&common);
    g.p->params.nslots = nslots;
    g.pop = cpd_xcalloc((size_t)nworkshops, sizeof(double));
    g.facilitating = cpd_xcalloc((size_t)g.p->common->nstaff + 1, sizeof(bool));
    for (int w = 0; w < nworkshops; w++)
        make_workshop(&g, w);
    size_rooms(&g);
    make_preferences(&g);
    free(g.pop);
    free(g.facilitating);
    return g.p;
}
