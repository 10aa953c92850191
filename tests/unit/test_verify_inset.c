/* test_verify_inset.c — the independent checker of inset plans: a hand-checked plan that keeps
 * every rule, then each rule broken once, with the breach named in plain words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The day, built in memory: five staff (F1 delivers W1), four workshops over two slots. */
enum { T1, T2, T3, T4, F1, NSTAFF };
enum { W1, W2, W3, W4, NWS };
enum { NSLOTS = 2 };

typedef struct {
    cpd_inset *p;
    cpd_inset_plan *pl;
    cpd_diags *d;
} fixture;

static void add_staff(cpd_scenario *s, const char *id, const char *role)
{
    cpd_staff st = {.id = (char *)id, .name = (char *)id, .school = 0, .role = (char *)role};
    cpd_scenario_add_staff(s, &st);
}

static void add_workshop(cpd_inset *p, const char *id, const char *title, int cap, int min,
                         unsigned starts, int length, int fac, const char *audience,
                         const char *mandatory)
{
    cpd_workshop w = {.id = (char *)id,
                      .title = (char *)title,
                      .capacity = cap,
                      .min_size = min,
                      .starts = starts,
                      .length = length};
    w.facilitators = calloc(1, sizeof(int));
    if (fac >= 0)
        w.facilitators[w.nfacilitators++] = fac;
    for (const char *a = audience; a && *a; a += strlen(a) + 1)
        cpd_strlist_add(&w.audience, a);
    if (mandatory)
        cpd_strlist_add(&w.mandatory_for, mandatory);
    cpd_inset_add_workshop(p, &w);
}

static void add_pref(cpd_inset *p, int staff, int a, int b, int c)
{
    cpd_preference pr = {.staff = staff, .choices = calloc(3, sizeof(int))};
    int all[3] = {a, b, c};
    for (int k = 0; k < 3; k++)
        if (all[k] >= 0)
            pr.choices[pr.nchoices++] = all[k];
    cpd_inset_add_preference(p, &pr);
}

static cpd_inset *day(void)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "S1", "Alder School", false);
    add_staff(s, "T1", "teacher");
    add_staff(s, "T2", "ect");
    add_staff(s, "T3", "teacher");
    add_staff(s, "T4", "support");
    add_staff(s, "F1", "teacher");
    cpd_inset *p = cpd_inset_new(&s);
    p->params.nslots = NSLOTS;
    add_workshop(p, "W1", "Retrieval practice", 3, 0, 3u, 1, F1, NULL, NULL);
    add_workshop(p, "W2", "PREVENT for ECTs", 5, 0, 2u, 1, -1, NULL, "ect");
    add_workshop(p, "W3", "Coaching conversations", 4, 2, 1u, 2, -1, "teacher\0ect\0", NULL);
    add_workshop(p, "W4", "Wellbeing walk", 10, 0, 3u, 1, -1, NULL, NULL);
    add_pref(p, T1, W1, W3, -1);
    add_pref(p, T2, W3, W4, -1);
    add_pref(p, T3, W4, W1, W3);
    return p;
}

/* The hand-checked plan: T1 and T3 in W3 (slots 1-2, their choices 2 and 3); T2 in W4 (choice
 * 2), then PREVENT (mandatory); T4 in W1, then W4; F1 delivers W1 in both slots. */
static void set(cpd_inset_plan *pl, int t, int s, int w, int rank, bool fac, bool mand)
{
    pl->places[t * NSLOTS + s - 1] = (cpd_inset_place){t, s, w, rank, fac, mand};
}

static cpd_inset_plan *good_plan(void)
{
    cpd_inset_plan *pl = calloc(1, sizeof *pl);
    pl->nplaces = NSTAFF * NSLOTS;
    pl->places = calloc((size_t)pl->nplaces, sizeof *pl->places);
    set(pl, T1, 1, W3, 2, false, false);
    set(pl, T1, 2, W3, 2, false, false);
    set(pl, T2, 1, W4, 2, false, false);
    set(pl, T2, 2, W2, 0, false, true);
    set(pl, T3, 1, W3, 3, false, false);
    set(pl, T3, 2, W3, 3, false, false);
    set(pl, T4, 1, W1, 0, false, false);
    set(pl, T4, 2, W4, 0, false, false);
    set(pl, F1, 1, W1, 0, true, false);
    set(pl, F1, 2, W1, 0, true, false);
    static const cpd_inset_run runs[] = {{W1, 1, 1, false}, {W1, 2, 0, false}, {W2, 2, 1, false},
                                         {W3, 1, 2, false}, {W4, 1, 1, false}, {W4, 2, 1, false}};
    pl->nruns = 6;
    pl->runs = calloc(8, sizeof *pl->runs);
    memcpy(pl->runs, runs, sizeof runs);
    pl->unmet = calloc(4, sizeof *pl->unmet);
    return pl;
}

static cpd_inset_run *run(cpd_inset_plan *pl, int w, int start)
{
    for (int i = 0; i < pl->nruns; i++)
        if (pl->runs[i].workshop == w && pl->runs[i].start == start)
            return &pl->runs[i];
    fail_msg("no run %d/%d", w, start);
    return NULL;
}

static void add_unmet(cpd_inset_plan *pl, int t, int slot, int w, const char *reason)
{
    pl->unmet[pl->nunmet++] = (cpd_inset_unmet){t, slot, w, strdup(reason)};
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->p = day();
    f->pl = good_plan();
    f->d = cpd_diags_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    for (int i = 0; i < f->pl->nunmet; i++)
        free(f->pl->unmet[i].reason);
    free(f->pl->unmet);
    free(f->pl->runs);
    free(f->pl->places);
    free(f->pl);
    cpd_inset_free(&f->p);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

static bool has_diag(const cpd_diags *d, const char *text)
{
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        cpd_diag_format(cpd_diags_get(d, i), buf, sizeof buf);
        if (strstr(buf, text))
            return true;
    }
    return false;
}

/* Verifies, expecting exactly n breaches, one of them saying text. */
static void expect_breach(fixture *f, int n, const char *text)
{
    int got = cpd_verify_inset(f->p, f->pl, f->d);
    if (got != n || !has_diag(f->d, text))
        cpd_diags_print(f->d, stderr);
    assert_int_equal(got, n);
    assert_true(has_diag(f->d, text));
}

/* ---- the plan that keeps every rule ---- */

static void test_verify_inset__good_plan(void **state)
{
    fixture *f = *state;
    int got = cpd_verify_inset(f->p, f->pl, f->d);
    if (got)
        cpd_diags_print(f->d, stderr);
    assert_int_equal(got, 0);
    assert_int_equal(cpd_diags_len(f->d), 0);
}

/* ---- one thing in every slot ---- */

static void test_verify_inset__nothing_in_a_slot(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 2, -1, 0, false, false);
    run(f->pl, W4, 2)->size = 0;
    expect_breach(f, 1, "allocation.csv: T4 has nothing in slot 2 and is not listed in unmet.csv");
}

static void test_verify_inset__nothing_but_listed_unmet(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 2, -1, 0, false, false);
    run(f->pl, W4, 2)->size = 0;
    add_unmet(f->pl, T4, 2, -1, "every workshop full in slot 2");
    assert_int_equal(cpd_verify_inset(f->p, f->pl, f->d), 0);
}

static void test_verify_inset__unmet_without_reason(void **state)
{
    fixture *f = *state;
    add_unmet(f->pl, T4, 2, -1, "");
    expect_breach(f, 1, "unmet.csv: T4 has an unmet row with no reason");
}

static void test_verify_inset__wrong_shape(void **state)
{
    fixture *f = *state;
    f->pl->nplaces = 3;
    expect_breach(f, 1, "the plan has 3 places; 5 staff over 2 slots need 10");
}

/* ---- facilitators ---- */

static void test_verify_inset__facilitator_attends(void **state)
{
    fixture *f = *state;
    set(f->pl, F1, 1, W4, 0, false, false);
    run(f->pl, W4, 1)->size = 2;
    expect_breach(f, 1, "F1 delivers W1 in slot 1 but is placed in W4 then");
}

static void test_verify_inset__not_a_facilitator(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 1, W1, 0, true, false);
    run(f->pl, W1, 1)->size = 0;
    expect_breach(f, 1, "T4 is shown delivering W1 in slot 1 but is not one of its facilitators");
}

/* ---- attending ---- */

static void test_verify_inset__over_capacity(void **state)
{
    fixture *f = *state;
    f->p->workshops[W3].capacity = 1;
    expect_breach(f, 1, "rosters.csv: W3 in slot 1 holds 2 people, over its capacity of 1");
}

static void test_verify_inset__twice(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 2, W1, 0, false, false);
    run(f->pl, W4, 2)->size = 0;
    /* an attendance that breaks the rules counts in no run: W1's written size is then off */
    expect_breach(f, 2, "T4 attends W1 more than once (slots 1 and 2)");
    assert_true(has_diag(f->d, "W1 in slot 1 is written with 1 people; the allocation places 0"));
}

static void test_verify_inset__audience(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 1, W3, 0, false, false);
    set(f->pl, T4, 2, W3, 0, false, false);
    run(f->pl, W3, 1)->size = 3;
    run(f->pl, W1, 1)->size = 0;
    run(f->pl, W4, 2)->size = 0;
    expect_breach(f, 1, "T4 (support) is placed in W3, which is not open to that role");
}

static void test_verify_inset__two_slot_run_split(void **state)
{
    fixture *f = *state;
    set(f->pl, T1, 2, W4, 0, false, false);
    run(f->pl, W4, 2)->size = 2;
    run(f->pl, W3, 1)->size = 1;
    /* T1's half place is not counted in W3's run, which then falls below its minimum */
    expect_breach(f, 2,
                  "T1 is in W3 only in slot 1: a 2-slot workshop keeps the same people in "
                  "every slot of its run");
    assert_true(has_diag(f->d, "W3 in slot 1 is held with 1 attending, below its minimum of 2"));
}

static void test_verify_inset__start_not_offered(void **state)
{
    fixture *f = *state;
    set(f->pl, T4, 1, W2, 0, false, false);
    run(f->pl, W1, 1)->size = 0;
    expect_breach(f, 1, "T4 is placed in W2 from slot 1, but no run of W2 starts then");
}

static void test_verify_inset__cancelled_run_used(void **state)
{
    fixture *f = *state;
    run(f->pl, W3, 1)->cancelled = true;
    expect_breach(f, 1, "W3 in slot 1 is cancelled but 2 people are placed in it");
}

static void test_verify_inset__below_min_size(void **state)
{
    fixture *f = *state;
    set(f->pl, T3, 1, W4, 1, false, false);
    set(f->pl, T3, 2, W1, 2, false, false);
    run(f->pl, W3, 1)->size = 1;
    run(f->pl, W4, 1)->size = 2;
    run(f->pl, W1, 2)->size = 1;
    expect_breach(f, 1, "W3 in slot 1 is held with 1 attending, below its minimum of 2");
}

static void test_verify_inset__size_written_wrong(void **state)
{
    fixture *f = *state;
    run(f->pl, W4, 1)->size = 5;
    expect_breach(f, 1, "W4 in slot 1 is written with 5 people; the allocation places 1 there");
}

static void test_verify_inset__run_missing(void **state)
{
    fixture *f = *state;
    f->pl->nruns--; /* W4 in slot 2 */
    expect_breach(f, 1, "W4's run in slot 2 is missing from the rosters");
}

static void test_verify_inset__run_twice(void **state)
{
    fixture *f = *state;
    f->pl->runs[f->pl->nruns++] = (cpd_inset_run){W4, 2, 1, false};
    expect_breach(f, 1, "W4's run in slot 2 is listed twice");
}

/* ---- mandatory workshops, pins, ranks ---- */

static void test_verify_inset__mandatory_missed(void **state)
{
    fixture *f = *state;
    set(f->pl, T2, 1, W1, 0, false, false);
    set(f->pl, T2, 2, W4, 2, false, false);
    run(f->pl, W1, 1)->size = 2;
    run(f->pl, W4, 1)->size = 0;
    run(f->pl, W4, 2)->size = 2;
    run(f->pl, W2, 2)->size = 0;
    expect_breach(f, 1,
                  "T2 (ect) must attend W2 'PREVENT for ECTs' but is not placed in it, nor "
                  "listed in unmet.csv");
}

static void test_verify_inset__mandatory_listed_unmet(void **state)
{
    fixture *f = *state;
    set(f->pl, T2, 1, W1, 0, false, false);
    set(f->pl, T2, 2, W4, 2, false, false);
    run(f->pl, W1, 1)->size = 2;
    run(f->pl, W4, 1)->size = 0;
    run(f->pl, W4, 2)->size = 2;
    run(f->pl, W2, 2)->size = 0;
    add_unmet(f->pl, T2, 0, W2, "PREVENT for ECTs is full");
    assert_int_equal(cpd_verify_inset(f->p, f->pl, f->d), 0);
}

static void test_verify_inset__pins(void **state)
{
    fixture *f = *state;
    cpd_inset_pin must = {T1, W1, 0, true, 2}, never = {T2, W4, 1, false, 3};
    cpd_inset_pin fine = {T3, W3, 2, true, 4};
    cpd_inset_add_pin(f->p, &must);
    cpd_inset_add_pin(f->p, &never);
    cpd_inset_add_pin(f->p, &fine);
    expect_breach(f, 2, "pin broken: T1 must attend W1");
    assert_true(has_diag(f->d, "pin broken: T2 must never attend W4 in slot 1"));
}

static void test_verify_inset__rank_written_wrong(void **state)
{
    fixture *f = *state;
    f->pl->places[T3 * NSLOTS].rank = 1;
    set(f->pl, T4, 1, W1, 2, false, false);
    expect_breach(f, 2, "T3's place in W3 (slot 1) is written as rank 1, but it is their choice 3");
    assert_true(has_diag(f->d, "T4's place in W1 (slot 1) is written as rank 2, but W1 is not one "
                               "of their choices"));
}

static void test_verify_inset__mandatory_mark_wrong(void **state)
{
    fixture *f = *state;
    f->pl->places[T2 * NSLOTS + 1].mandatory = false;
    expect_breach(f, 1,
                  "T2's place in W2 (slot 2) is marked mandatory=no, but W2 is mandatory "
                  "for ect");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_verify_inset__good_plan),
        T(test_verify_inset__nothing_in_a_slot),
        T(test_verify_inset__nothing_but_listed_unmet),
        T(test_verify_inset__unmet_without_reason),
        T(test_verify_inset__wrong_shape),
        T(test_verify_inset__facilitator_attends),
        T(test_verify_inset__not_a_facilitator),
        T(test_verify_inset__over_capacity),
        T(test_verify_inset__twice),
        T(test_verify_inset__audience),
        T(test_verify_inset__two_slot_run_split),
        T(test_verify_inset__start_not_offered),
        T(test_verify_inset__cancelled_run_used),
        T(test_verify_inset__below_min_size),
        T(test_verify_inset__size_written_wrong),
        T(test_verify_inset__run_missing),
        T(test_verify_inset__run_twice),
        T(test_verify_inset__mandatory_missed),
        T(test_verify_inset__mandatory_listed_unmet),
        T(test_verify_inset__pins),
        T(test_verify_inset__rank_written_wrong),
        T(test_verify_inset__mandatory_mark_wrong),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
