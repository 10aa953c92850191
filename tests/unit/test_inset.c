/* test_inset.c — the inset model on small hand-checked days: each rule, fairness, shortfalls,
 * brute-force optimality, and the heuristic's plan on a generated day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpd_generate.h"
#include "cpd_inset.h"
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* A day of nslots with staff T1..Tn; roles[i] or "teacher". */
static cpd_inset *day(int nstaff, int nslots, const char **roles)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "S1", "School", false);
    for (int i = 0; i < nstaff; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%d", i + 1);
        cpd_staff st = {.id = id, .name = id, .school = 0,
                        .role = (char *)(roles && roles[i] ? roles[i] : "teacher")};
        st.is_ect = strcmp(st.role, "ect") == 0;
        cpd_scenario_add_staff(s, &st);
    }
    cpd_inset *p = cpd_inset_new(&s);
    p->params.nslots = nslots;
    return p;
}

/* A workshop: starts as a bit set, facilitators -1 terminated (may be NULL). */
static int ws(cpd_inset *p, const char *id, int cap, int min, unsigned starts, int len,
              const int *fac, const char *audience, const char *mandatory)
{
    cpd_workshop w = {.id = (char *)id, .title = (char *)id, .capacity = cap, .min_size = min,
                      .starts = starts, .length = len};
    int n = 0;
    while (fac && fac[n] >= 0)
        n++;
    w.facilitators = malloc((size_t)n * sizeof(int) + 1);
    for (int i = 0; i < n; i++)
        w.facilitators[i] = fac[i];
    w.nfacilitators = n;
    if (audience)
        cpd_strlist_add(&w.audience, audience);
    if (mandatory)
        cpd_strlist_add(&w.mandatory_for, mandatory);
    return cpd_inset_add_workshop(p, &w);
}

/* Preferences of staff t: workshop indices, -1 terminated. */
static void pref(cpd_inset *p, int t, const int *ch)
{
    cpd_preference pr = {.staff = t, .choices = malloc(8 * sizeof(int))};
    while (ch[pr.nchoices] >= 0) {
        pr.choices[pr.nchoices] = ch[pr.nchoices];
        pr.nchoices++;
    }
    cpd_inset_add_preference(p, &pr);
}

static cpd_inset_plan *solve(const cpd_inset *p, cpd_code want)
{
    cpd_inset_opts o = {.solve = {.time_limit = 20, .gap = 0}};
    cpd_inset_plan *pl = NULL;
    cpd_diags *d = cpd_diags_new();
    cpd_code c = cpd_inset_solve(p, &o, &pl, d);
    if (c != want)
        cpd_diags_print(d, stderr);
    assert_int_equal(c, want);
    cpd_diags_free(&d);
    return pl;
}

static const cpd_inset_place *at(const cpd_inset_plan *pl, const cpd_inset *p, int t, int s)
{
    return &pl->places[(size_t)t * p->params.nslots + s - 1];
}

/* The Lagrangian bound with the runs' modes (NULL: all relaxed), from zero multipliers. */
static double lagrangian(const is_model *m, const unsigned char *mode, double target, int iters)
{
    is_lagr o = {.mode = mode, .target = target, .iters = iters, .sweeps = 4};
    return is_lagrangian_bound(m, &o);
}

static int run_of(const cpd_inset_plan *pl, int w, int start)
{
    for (int r = 0; r < pl->nruns; r++)
        if (pl->runs[r].workshop == w && pl->runs[r].start == start)
            return r;
    return -1;
}

/* ---- rules ---- */

static void test_inset__capacity_and_first_choices(void **state)
{
    (void)state;
    cpd_inset *p = day(3, 1, NULL);
    int A = ws(p, "A", 1, 0, 1u, 1, NULL, NULL, NULL), B = ws(p, "B", 2, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){B, A, -1});
    pref(p, 2, (int[]){B, A, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(pl->result.status, CPD_SOLVE_OPTIMAL);
    assert_int_equal(at(pl, p, 0, 1)->workshop, A);
    assert_int_equal(at(pl, p, 1, 1)->workshop, B);
    assert_int_equal(at(pl, p, 2, 1)->workshop, B);
    assert_int_equal(at(pl, p, 2, 1)->rank, 1);
    assert_int_equal(pl->runs[run_of(pl, A, 1)].size, 1);
    assert_int_equal(pl->runs[run_of(pl, B, 1)].size, 2);
    assert_int_equal(pl->nunmet, 0);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__no_repeat(void **state)
{
    (void)state;
    cpd_inset *p = day(1, 2, NULL);
    int A = ws(p, "A", 5, 0, 3u, 1, NULL, NULL, NULL), B = ws(p, "B", 5, 0, 3u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    int w1 = at(pl, p, 0, 1)->workshop, w2 = at(pl, p, 0, 2)->workshop;
    assert_true(w1 != w2);
    assert_true((w1 == A && w2 == B) || (w1 == B && w2 == A));
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__two_slot_workshop_keeps_its_people(void **state)
{
    (void)state;
    cpd_inset *p = day(3, 2, NULL);
    int L = ws(p, "L", 2, 0, 1u, 2, NULL, NULL, NULL);
    int A = ws(p, "A", 5, 0, 3u, 1, NULL, NULL, NULL), B = ws(p, "B", 5, 0, 3u, 1, NULL, NULL, NULL);
    for (int t = 0; t < 3; t++)
        pref(p, t, (int[]){L, A, B, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    int inL = 0;
    for (int t = 0; t < 3; t++) {
        bool l1 = at(pl, p, t, 1)->workshop == L, l2 = at(pl, p, t, 2)->workshop == L;
        assert_int_equal(l1, l2);
        inL += l1;
    }
    assert_int_equal(inL, 2);
    assert_int_equal(pl->runs[run_of(pl, L, 1)].size, 2);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__facilitator_busy_when_delivering(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 2, NULL);
    int A = ws(p, "A", 5, 0, 1u, 1, (int[]){0, -1}, NULL, NULL);
    int B = ws(p, "B", 5, 0, 3u, 1, NULL, NULL, NULL), C = ws(p, "C", 5, 0, 3u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){A, B, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_true(at(pl, p, 0, 1)->facilitating);
    assert_int_equal(at(pl, p, 0, 1)->workshop, A);
    assert_int_equal(at(pl, p, 0, 2)->workshop, B);
    assert_int_equal(at(pl, p, 1, 1)->workshop, A);
    assert_int_equal(pl->runs[run_of(pl, A, 1)].size, 1); /* the facilitator is not counted */
    (void)C;
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__min_size_cancels_a_run(void **state)
{
    (void)state;
    cpd_inset *p = day(3, 1, NULL);
    int A = ws(p, "A", 5, 3, 1u, 1, (int[]){2, -1}, NULL, NULL);
    int B = ws(p, "B", 5, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){A, B, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    int r = run_of(pl, A, 1);
    assert_true(pl->runs[r].cancelled);
    assert_int_equal(pl->runs[r].size, 0);
    for (int t = 0; t < 3; t++) {
        assert_int_equal(at(pl, p, t, 1)->workshop, B);
        assert_false(at(pl, p, t, 1)->facilitating); /* the facilitator is free to attend */
    }
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__mandatory_attended(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 2, (const char *[]){"ect", "teacher"});
    int A = ws(p, "A", 5, 0, 3u, 1, NULL, NULL, NULL), B = ws(p, "B", 5, 0, 3u, 1, NULL, NULL, NULL);
    int P = ws(p, "PREVENT", 5, 0, 2u, 1, NULL, NULL, "ect");
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){A, B, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(at(pl, p, 0, 2)->workshop, P);
    assert_true(at(pl, p, 0, 2)->mandatory);
    assert_int_equal(at(pl, p, 0, 1)->workshop, A);
    assert_int_not_equal(at(pl, p, 1, 1)->workshop, P);
    assert_int_not_equal(at(pl, p, 1, 2)->workshop, P);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__mandatory_that_cannot_fit_is_unmet(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 1, (const char *[]){"ect", "ect"});
    int A = ws(p, "A", 5, 0, 1u, 1, NULL, NULL, NULL);
    int P = ws(p, "PREVENT", 1, 0, 1u, 1, NULL, NULL, "ect");
    (void)A;
    cpd_inset_plan *pl = solve(p, CPD_OK);
    int missed = 0;
    for (int i = 0; i < pl->nunmet; i++)
        if (pl->unmet[i].workshop == P) {
            missed++;
            assert_string_equal(pl->unmet[i].reason, "mandatory PREVENT could not fit: every run full");
        }
    assert_int_equal(missed, 1);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__audience(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 1, (const char *[]){"teacher", "ect"});
    int A = ws(p, "A", 5, 0, 1u, 1, NULL, "ect", NULL), B = ws(p, "B", 5, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){A, B, -1});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(at(pl, p, 0, 1)->workshop, B);
    assert_int_equal(at(pl, p, 1, 1)->workshop, A);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__pins_must_and_never(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 2, NULL);
    int A = ws(p, "A", 5, 0, 3u, 1, NULL, NULL, NULL), B = ws(p, "B", 5, 0, 3u, 1, NULL, NULL, NULL);
    int C = ws(p, "C", 5, 0, 3u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, -1});
    pref(p, 1, (int[]){A, B, -1});
    cpd_inset_add_pin(p, &(cpd_inset_pin){.staff = 0, .workshop = C, .slot = 1, .must = true});
    cpd_inset_add_pin(p, &(cpd_inset_pin){.staff = 1, .workshop = A, .must = false});
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(at(pl, p, 0, 1)->workshop, C);
    assert_int_equal(at(pl, p, 0, 2)->workshop, A);
    for (int s = 1; s <= 2; s++)
        assert_int_not_equal(at(pl, p, 1, s)->workshop, A);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__contradicting_pins(void **state)
{
    (void)state;
    cpd_inset *p = day(1, 1, NULL);
    int A = ws(p, "A", 5, 0, 1u, 1, NULL, NULL, NULL), B = ws(p, "B", 5, 0, 1u, 1, NULL, NULL, NULL);
    cpd_inset_add_pin(p, &(cpd_inset_pin){.staff = 0, .workshop = A, .slot = 1, .must = true, .line = 2});
    cpd_inset_add_pin(p, &(cpd_inset_pin){.staff = 0, .workshop = B, .slot = 1, .must = true, .line = 3});
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_inset_check(p, d), CPD_ENOPLAN);
    char buf[256];
    cpd_diag_format(cpd_diags_get(d, 0), buf, sizeof buf);
    assert_string_equal(buf, "pins.csv:3: T1 is pinned to two workshops in slot 1 (A and B)");
    cpd_diags_free(&d);
    solve(p, CPD_ENOPLAN);
    cpd_inset_free(&p);
}

/* Total value alone leaves X on their 5th choice (P1, P2, A, D all first: 4 x 25 + 1 = 101);
 * fairness gives X their 3rd (W3) and A their 2nd (W6): 25 + 25 + 16 + 25 + 9 = 100. */
static cpd_inset *fairness_day(void)
{
    cpd_inset *p = day(5, 1, NULL);
    int w[6];
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "W%d", i + 1);
        w[i] = ws(p, id, 1, 0, 1u, 1, NULL, NULL, NULL);
    }
    pref(p, 0, (int[]){w[0], -1});                        /* P1 */
    pref(p, 1, (int[]){w[1], -1});                        /* P2 */
    pref(p, 2, (int[]){w[2], w[5], -1});                  /* A */
    pref(p, 3, (int[]){w[3], -1});                        /* D */
    pref(p, 4, (int[]){w[0], w[1], w[2], w[3], w[4], -1}); /* X */
    return p;
}

static void test_inset__fairness_raises_the_worst_placed(void **state)
{
    (void)state;
    cpd_inset *p = fairness_day();
    p->params.fairness = false;
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(pl->worst_rank, 5);
    assert_int_equal(at(pl, p, 4, 1)->rank, 5);
    assert_true(fabs(pl->result.objective - 101) < 0.1);
    cpd_inset_plan_free(&pl);
    p->params.fairness = true;
    pl = solve(p, CPD_OK);
    assert_int_equal(pl->worst_rank, 3);
    assert_int_equal(at(pl, p, 4, 1)->workshop, 2);
    assert_int_equal(at(pl, p, 2, 1)->workshop, 5);
    assert_true(fabs(pl->result.objective - 100) < 0.1);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

static void test_inset__shortfall_unmet_and_note(void **state)
{
    (void)state;
    cpd_inset *p = day(3, 1, NULL);
    int A = ws(p, "A", 2, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, -1});
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_inset_check(p, d), CPD_OK);
    assert_int_equal(cpd_diags_len(d), 1);
    assert_int_equal(cpd_diags_get(d, 0)->sev, CPD_SEV_NOTE);
    assert_string_equal(cpd_diags_get(d, 0)->msg, "slot 1: 2 seats for 3 people");
    cpd_diags_free(&d);
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(at(pl, p, 0, 1)->workshop, A); /* the one who chose it is placed */
    assert_int_equal(pl->nunmet, 1);
    assert_int_equal(pl->unmet[0].slot, 1);
    assert_string_equal(pl->unmet[0].reason, "no seat in slot 1: 2 seats for 3 people");
    cpd_inset_plan_free(&pl);
    p->params.strict = true;
    d = cpd_diags_new();
    assert_int_equal(cpd_inset_check(p, d), CPD_ENOPLAN);
    assert_int_equal(cpd_diags_get(d, 0)->sev, CPD_SEV_ERROR);
    cpd_diags_free(&d);
    solve(p, CPD_ENOPLAN);
    cpd_inset_free(&p);
}

/* ---- optimality against brute force ---- */

typedef struct {
    const cpd_inset *p;
    is_model m;
    int T, S, nr;
    int cur[16];
    double best;
} brute;

static double value_of(brute *b)
{
    const is_model *m = &b->m;
    double v = 0;
    int size[64] = {0};
    for (int t = 0; t < b->T; t++)
        for (int s = 0; s < b->S; s++) {
            int r = b->cur[t * b->S + s];
            if (r < 0) {
                v -= m->U;
                continue;
            }
            int w = m->runs[r].workshop;
            for (int q = 0; q < s; q++)
                if (b->cur[t * b->S + q] >= 0 && m->runs[b->cur[t * b->S + q]].workshop == w)
                    return -HUGE_VAL;
            if (++size[r] > m->runs[r].cap)
                return -HUGE_VAL;
            v += m->val[is_tw(m, t, w)];
        }
    return v;
}

static void enumerate(brute *b, int k)
{
    if (k == b->T * b->S) {
        double v = value_of(b);
        if (v > b->best)
            b->best = v;
        return;
    }
    int s = k % b->S + 1;
    b->cur[k] = -1;
    enumerate(b, k + 1);
    for (int r = 0; r < b->nr; r++)
        if (b->m.runs[r].start == s) {
            b->cur[k] = r;
            enumerate(b, k + 1);
        }
}

static void test_inset__optimal_equals_brute_force(void **state)
{
    (void)state;
    uint64_t x = 12345;
    for (int trial = 0; trial < 12; trial++) {
        cpd_inset *p = day(4, 2, NULL);
        p->params.fairness = false;
        for (int w = 0; w < 3; w++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            char id[4] = {(char)('A' + w), 0};
            ws(p, id, 1 + (int)((x >> 33) % 3), 0, 1u + (unsigned)((x >> 40) % 3), 1, NULL, NULL, NULL);
        }
        for (int t = 0; t < 4; t++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            int a = (int)((x >> 33) % 3), c = (int)((x >> 45) % 3);
            if (a == c)
                pref(p, t, (int[]){a, -1});
            else
                pref(p, t, (int[]){a, c, -1});
        }
        brute b = {.p = p, .T = 4, .S = 2, .best = -HUGE_VAL};
        is_model_build(p, &b.m);
        b.nr = b.m.nruns;
        enumerate(&b, 0);
        b.m.R = b.m.K + 1;
        double lb = lagrangian(&b.m, NULL, -HUGE_VAL, 20);
        assert_true(lb >= b.best - 1e-6); /* a bound, whatever the steps did */
        cpd_inset_plan *pl = solve(p, CPD_OK);
        assert_int_equal(pl->result.status, CPD_SOLVE_OPTIMAL);
        assert_true(fabs(pl->result.objective - b.best) < 1e-6);
        is_model_free(&b.m);
        cpd_inset_plan_free(&pl);
        cpd_inset_free(&p);
    }
}

/* A mandatory workshop short of seats (5 ECTs, 2 runs of 2): one ECT must miss it. The bound has
 * to price the missed workshop's penalty out of both runs at once (a step on one run only moves
 * ECTs to the other run), so it meets the plan within a fraction of that penalty. */
static void test_inset__bound_prices_a_mandatory_shortfall(void **state)
{
    (void)state;
    const char *roles[] = {"ect", "ect", "ect", "ect", "ect", "teacher"};
    cpd_inset *p = day(6, 2, roles);
    p->params.fairness = false;
    int P = ws(p, "P", 2, 0, 3u, 1, NULL, NULL, "ect");
    int A = ws(p, "A", 6, 0, 3u, 1, NULL, NULL, NULL), B = ws(p, "B", 6, 0, 3u, 1, NULL, NULL, NULL);
    for (int t = 0; t < 6; t++)
        pref(p, t, (int[]){A, B, -1});
    is_model m;
    is_model_build(p, &m);
    is_state *st = is_state_new(&m);
    is_heuristic(st);
    assert_true(is_state_feasible(st));
    assert_int_equal(is_state_missed(st), 1);
    double obj = is_state_objective(st);
    double lb = lagrangian(&m, NULL, obj, 30);
    assert_true(lb >= obj - 1e-6);
    assert_true(lb - obj < m.M / 10);
    (void)P;
    (void)B;
    is_state_free(&st);
    is_model_free(&m);
    cpd_inset_free(&p);
}

/* ---- the bound's run modes, the exact day search, the pool and the master ---- */

/* F delivers A (cancellable, min 1), so F is busy while A is held. Held: P and Q in A, F busy:
 * 8. Cancelled: F, P and Q in B: 4 + 1 + 1 = 6. The relaxed bound lets F attend B while A is
 * held: 12. The solve takes A as held (8) and covers cancelling it with the bound with A out
 * (6), so it proves 8 without GLPK. */
static void test_inset__bound_with_a_run_held_or_out(void **state)
{
    (void)state;
    cpd_inset *p = day(3, 1, NULL);
    p->params.fairness = false;
    int A = ws(p, "A", 2, 1, 1u, 1, (int[]){0, -1}, NULL, NULL);
    int B = ws(p, "B", 3, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){B, -1});
    pref(p, 1, (int[]){A, B, -1});
    pref(p, 2, (int[]){A, B, -1});
    is_model m;
    is_model_build(p, &m);
    int rA = is_run_covering(&m, A, 1);
    unsigned char mode[2] = {IS_RELAXED, IS_RELAXED};
    assert_true(fabs(lagrangian(&m, mode, -HUGE_VAL, 10) - 12) < 1e-6);
    mode[rA] = IS_HELD;
    assert_true(fabs(lagrangian(&m, mode, -HUGE_VAL, 10) - 8) < 1e-6);
    mode[rA] = IS_OUT;
    assert_true(fabs(lagrangian(&m, mode, -HUGE_VAL, 10) - 6) < 1e-6);
    cpd_inset_plan *pl = solve(p, CPD_OK);
    assert_int_equal(pl->result.status, CPD_SOLVE_OPTIMAL);
    assert_true(fabs(pl->result.objective - 8) < 1e-6);
    assert_true(fabs(pl->result.bound - 8) < 1e-6);
    assert_true(pl->result.from_heuristic);
    assert_false(pl->runs[run_of(pl, A, 1)].cancelled);
    assert_true(at(pl, p, 0, 1)->facilitating);
    is_model_free(&m);
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
}

/* A (facilitator F1) and B (F2) are cancellable; P1, P2 choose A then C, Q1, Q2 B then C, F1 and
 * F2 choose C. Both held: 4 + 4 + 4 + 4 = 16, the optimum. A cancelled, B held: F1 and the Ps in
 * C, 4 + 1 + 1 + 8 = 14, and so for B; both cancelled: 12. The probe of A with B relaxed lets
 * F2 attend C while B runs: 18; split on B it gives max(14, 12), so the bound is exactly 16;
 * without splits it stays at 18. */
static void test_inset__probe_splits_on_a_costly_relaxed_run(void **state)
{
    (void)state;
    cpd_inset *p = day(6, 1, NULL);
    int A = ws(p, "A", 2, 1, 1u, 1, (int[]){0, -1}, NULL, NULL);
    int B = ws(p, "B", 2, 1, 1u, 1, (int[]){1, -1}, NULL, NULL);
    int C = ws(p, "C", 6, 0, 1u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){C, -1});
    pref(p, 1, (int[]){C, -1});
    pref(p, 2, (int[]){A, C, -1});
    pref(p, 3, (int[]){A, C, -1});
    pref(p, 4, (int[]){B, C, -1});
    pref(p, 5, (int[]){B, C, -1});
    is_model m;
    is_model_build(p, &m);
    unsigned char held[3] = {IS_HELD, IS_HELD, IS_HELD}, relaxed[3] = {0};
    double lb = lagrangian(&m, held, -HUGE_VAL, 10);
    assert_true(fabs(lb - 16) < 1e-6);
    assert_true(fabs(lagrangian(&m, relaxed, -HUGE_VAL, 10) - 24) < 1e-6);
    double price[3] = {0};
    is_probe o = {.goal = lb, .iters = 3, .sweeps = 4, .splits = 4};
    assert_true(fabs(is_probe_cancellations(&m, held, price, lb, &o) - 16) < 1e-6);
    o.splits = 0;
    assert_true(fabs(is_probe_cancellations(&m, held, price, lb, &o) - 18) < 1e-6);
    (void)C;
    is_model_free(&m);
    cpd_inset_free(&p);
}

/* The best value of a day by enumeration: slot i on, with the workshops in used taken. */
static double brute_day(const is_model *m, const double *score, int i, unsigned used)
{
    if (i >= m->S)
        return 0;
    double best = brute_day(m, score, i + 1, used) - m->U;
    for (int r = 0; r < m->nruns; r++) {
        const is_run *u = &m->runs[r];
        if (u->start != i + 1 || score[r] == -HUGE_VAL || (used >> u->workshop) & 1u ||
            i + u->len > m->S)
            continue;
        best = fmax(best, score[r] + brute_day(m, score, i + u->len, used | 1u << u->workshop));
    }
    return best;
}

/* is_best_schedule (pruned by bounds, options best first) against enumeration, on random
 * scores over one-slot and two-slot runs, ties included. */
static void test_inset__best_day_is_exact(void **state)
{
    (void)state;
    cpd_inset *p = day(1, 4, NULL);
    ws(p, "A", 5, 0, 7u, 2, NULL, NULL, NULL);
    ws(p, "B", 5, 0, 15u, 1, NULL, NULL, NULL);
    ws(p, "C", 5, 0, 9u, 1, NULL, NULL, NULL);
    ws(p, "D", 5, 0, 2u, 1, NULL, NULL, NULL);
    ws(p, "E", 5, 0, 12u, 1, NULL, NULL, NULL);
    is_model m;
    is_model_build(p, &m);
    void *dfs = is_dfs_new(&m);
    double score[32];
    unsigned char busy[4] = {0};
    int out[4];
    uint64_t x = 99;
    for (int trial = 0; trial < 300; trial++) {
        for (int r = 0; r < m.nruns; r++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            int v = (int)((x >> 33) % 12);
            score[r] = v == 0 ? -HUGE_VAL : (double)(v % 5); /* small values: many ties */
        }
        double got = is_best_schedule(&m, dfs, 0, score, busy, NULL, out);
        assert_true(is_dfs_exact(dfs));
        assert_true(fabs(got - brute_day(&m, score, 0, 0)) < 1e-9);
    }
    is_dfs_free(&dfs);
    is_model_free(&m);
    cpd_inset_free(&p);
}

static void test_inset__pool_keeps_each_day_once(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 2, NULL);
    ws(p, "A", 2, 0, 3u, 1, NULL, NULL, NULL);
    ws(p, "B", 2, 0, 3u, 1, NULL, NULL, NULL);
    is_model m;
    is_model_build(p, &m);
    is_pool *pool = is_pool_new(&m, 3);
    is_pool_add(pool, 0, (int[]){0, 3});
    is_pool_add(pool, 0, (int[]){0, 3});
    assert_int_equal(is_pool_size(pool), 1);
    is_pool_add(pool, 1, (int[]){0, 3}); /* the same day, another person */
    is_pool_add(pool, 0, (int[]){2, IS_FREE});
    assert_int_equal(is_pool_size(pool), 3);
    is_pool_add(pool, 1, (int[]){2, 1}); /* full */
    assert_int_equal(is_pool_size(pool), 3);
    is_pool_free(&pool);
    assert_null(pool);
    is_model_free(&m);
    cpd_inset_free(&p);
}

/* P and Q must swap whole days to improve: P (A1, C2) and Q (B1, A2) are worth 9 + 1 and 1 + 9;
 * swapped, P (B1, A2) and Q (A1, C2) are worth 4 + 9 and 9 + 4. In each slot alone a move is
 * blocked (whoever would take A there has A in the other slot) and each person's best day over
 * the seats left is the one they have, so the local search keeps 20; the master over the pooled
 * days finds 26, the optimum. */
static void test_inset__master_swaps_whole_days(void **state)
{
    (void)state;
    cpd_inset *p = day(2, 2, NULL);
    int A = ws(p, "A", 1, 0, 3u, 1, NULL, NULL, NULL);
    int B = ws(p, "B", 1, 0, 1u, 1, NULL, NULL, NULL);
    int C = ws(p, "C", 1, 0, 2u, 1, NULL, NULL, NULL);
    pref(p, 0, (int[]){A, B, C, -1});
    pref(p, 1, (int[]){A, C, B, -1});
    is_model m;
    is_model_build(p, &m);
    int a1 = is_run_covering(&m, A, 1), a2 = is_run_covering(&m, A, 2);
    int b1 = is_run_covering(&m, B, 1), c2 = is_run_covering(&m, C, 2);
    is_state *st = is_state_new(&m);
    is_state_set_day(st, 0, (int[]){a1, c2});
    is_state_set_day(st, 1, (int[]){b1, a2});
    assert_true(is_state_feasible(st));
    assert_true(fabs(is_state_objective(st) - 20) < 1e-9);
    is_improve(st);
    assert_true(fabs(is_state_objective(st) - 20) < 1e-9);
    is_pool *pool = is_pool_new(&m, 100);
    is_pool_add(pool, 0, (int[]){b1, a2});
    is_pool_add(pool, 1, (int[]){a1, c2});
    assert_true(is_master(st, pool, 10));
    assert_true(is_state_feasible(st));
    assert_true(fabs(is_state_objective(st) - 26) < 1e-9);
    assert_int_equal(st->sched[0], b1);
    assert_int_equal(st->sched[1], a2);
    assert_false(is_master(st, pool, 10)); /* nothing better left */
    is_pool_free(&pool);
    is_state_free(&st);
    is_model_free(&m);
    cpd_inset_free(&p);
}

/* ---- the heuristic on a generated day ---- */

static void test_inset__heuristic_plan_is_feasible(void **state)
{
    (void)state;
    cpd_inset *p = cpd_generate_inset(300, 3, 16, 4, 11);
    is_model m;
    is_model_build(p, &m);
    is_state *st = is_state_new(&m);
    is_heuristic(st);
    assert_true(is_state_feasible(st));
    is_layout lay;
    cpd_engine *e = is_build_engine(&m, &lay);
    double *x = malloc((size_t)lay.nvars * sizeof(double));
    is_state_to_x(st, &lay, x);
    assert_true(cpd_engine_is_feasible(e, x));
    assert_true(fabs(cpd_engine_objective_of(e, x) - is_state_objective(st)) < 1e-6);
    double lb = lagrangian(&m, NULL, is_state_objective(st), 30);
    assert_true(lb >= is_state_objective(st) - 1e-6);
    free(x);
    cpd_engine_free(&e);
    is_layout_free(&lay);
    is_state_free(&st);
    is_model_free(&m);
    cpd_inset_free(&p);
}

/* Ruin and recreate never makes the plan worse, keeps every rule (the model's check and the
 * engine's rows) and repeats itself exactly. */
static void test_inset__ruin_recreate_improves_feasibly_and_repeats(void **state)
{
    (void)state;
    cpd_inset *p = cpd_generate_inset(300, 3, 16, 4, 11);
    is_model m;
    is_model_build(p, &m);
    is_state *a = is_state_new(&m), *b = is_state_new(&m);
    is_heuristic(a);
    double before = is_state_objective(a);
    is_state_copy(b, a);
    is_ruin_recreate(a, NULL, 15, 20, HUGE_VAL, 0);
    is_ruin_recreate(b, NULL, 15, 20, HUGE_VAL, 0);
    assert_true(is_state_feasible(a));
    assert_true(is_state_objective(a) >= before - 1e-9);
    assert_true(is_state_objective(a) == is_state_objective(b));
    assert_memory_equal(a->sched, b->sched, (size_t)m.T * m.S * sizeof(int));
    is_layout lay;
    cpd_engine *e = is_build_engine(&m, &lay);
    double *x = malloc((size_t)lay.nvars * sizeof(double) + 1);
    is_state_to_x(a, &lay, x);
    assert_true(cpd_engine_is_feasible(e, x));
    assert_true(fabs(cpd_engine_objective_of(e, x) - is_state_objective(a)) < 1e-6);
    free(x);
    cpd_engine_free(&e);
    is_layout_free(&lay);
    is_state_free(&a);
    is_state_free(&b);
    is_model_free(&m);
    cpd_inset_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_inset__capacity_and_first_choices),
        cmocka_unit_test(test_inset__no_repeat),
        cmocka_unit_test(test_inset__two_slot_workshop_keeps_its_people),
        cmocka_unit_test(test_inset__facilitator_busy_when_delivering),
        cmocka_unit_test(test_inset__min_size_cancels_a_run),
        cmocka_unit_test(test_inset__mandatory_attended),
        cmocka_unit_test(test_inset__mandatory_that_cannot_fit_is_unmet),
        cmocka_unit_test(test_inset__audience),
        cmocka_unit_test(test_inset__pins_must_and_never),
        cmocka_unit_test(test_inset__contradicting_pins),
        cmocka_unit_test(test_inset__fairness_raises_the_worst_placed),
        cmocka_unit_test(test_inset__shortfall_unmet_and_note),
        cmocka_unit_test(test_inset__optimal_equals_brute_force),
        cmocka_unit_test(test_inset__bound_prices_a_mandatory_shortfall),
        cmocka_unit_test(test_inset__bound_with_a_run_held_or_out),
        cmocka_unit_test(test_inset__probe_splits_on_a_costly_relaxed_run),
        cmocka_unit_test(test_inset__best_day_is_exact),
        cmocka_unit_test(test_inset__pool_keeps_each_day_once),
        cmocka_unit_test(test_inset__master_swaps_whole_days),
        cmocka_unit_test(test_inset__heuristic_plan_is_feasible),
        cmocka_unit_test(test_inset__ruin_recreate_improves_feasibly_and_repeats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
