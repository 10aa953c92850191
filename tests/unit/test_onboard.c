/* test_onboard.c — the onboarding solver on small hand-checked schedules: each rule of the
 * model (precedence, cover, one school a day, days a week, dates away, training days,
 * weekly repeats, the deployed coach), lateness with its reason, the bound and the status, and
 * the model programme of one joining school solved to optimality. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_generate.h"
#include "cpd_onboard.h"
#include "cpd_verify.h"
#include "onboard_internal.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* Joining schools J1..Jn (and a trust school T1, not joining); the programme starts on Monday
 * 2027-09-06 and runs ndays working days, so week w is days 5w-4 .. 5w. */
static cpd_onboard *programme(int nschools, int ndays)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "T1", "Trust School", false);
    for (int i = 0; i < nschools; i++) {
        char id[16];
        snprintf(id, sizeof id, "J%d", i + 1);
        cpd_scenario_add_school(s, id, id, true);
    }
    cpd_scenario_init_travel(s, 30);
    cpd_onboard *p = cpd_onboard_new(&s);
    p->params.start = cpd_date_from_ymd(2027, 9, 6);
    p->params.ndays = ndays;
    return p;
}

/* A member of staff of joining school number school (1-based). */
static int staff(cpd_onboard *p, const char *id, int school, const char *role)
{
    cpd_staff st = {.id = (char *)id, .name = (char *)id, .school = school, .role = (char *)role};
    return cpd_scenario_add_staff(p->common, &st);
}

/* A resource; away: programme days (1-based) it is away, 0-terminated, may be NULL. */
static int resource(cpd_onboard *p, const char *id, const char *role, int days, const int *away)
{
    cpd_resource r = {.id = (char *)id, .name = (char *)id, .role = (char *)role, .days = days,
                      .school = CPD_TRUST_SCHOOL};
    int n = 0;
    while (away && away[n])
        n++;
    if (n) {
        int *dates = malloc((size_t)p->params.ndays * sizeof(int));
        cpd_onboard_days(p, dates);
        r.unavailable = malloc((size_t)n * sizeof(int));
        for (int i = 0; i < n; i++)
            r.unavailable[i] = dates[away[i] - 1];
        r.nunavailable = n;
        free(dates);
    }
    return cpd_onboard_add_resource(p, &r);
}

static void split(cpd_strlist *l, const char *s, char sep)
{
    char buf[64];
    while (s && *s) {
        const char *end = strchr(s, sep);
        size_t n = end ? (size_t)(end - s) : strlen(s);
        snprintf(buf, sizeof buf, "%.*s", (int)n, s);
        cpd_strlist_add(l, buf);
        s = end ? end + 1 : NULL;
    }
}

typedef struct {
    const char *id;
    int week, earliest, latest, halfdays;
    const char *per, *needs, *audience; /* needs: "lp|dol:1;senco:1" */
    const char *after;                  /* an activity id, or NULL */
    bool weekly, cover, coach;
} act_spec;

static int activity(cpd_onboard *p, act_spec s)
{
    cpd_activity a = {.id = (char *)s.id, .name = (char *)s.id, .week = s.week,
                      .earliest = s.earliest ? s.earliest : s.week,
                      .latest = s.latest ? s.latest : s.week, .duration = s.halfdays,
                      .weekly = s.weekly, .cover = s.cover, .coach = s.coach};
    split(&a.per, s.per, ';');
    split(&a.audience, s.audience, ';');
    cpd_strlist items = {0};
    split(&items, s.needs, ';');
    for (int i = 0; i < items.n; i++) {
        char *colon = strrchr(items.items[i], ':');
        a.needs[a.nneeds].count = atoi(colon + 1);
        *colon = '\0';
        split(&a.needs[a.nneeds++].roles, items.items[i], '|');
    }
    cpd_strlist_clear(&items);
    for (int i = 0; s.after && i < p->nactivities; i++)
        if (strcmp(p->activities[i].id, s.after) == 0)
            a.after[a.nafter++] = i;
    return cpd_onboard_add_activity(p, &a);
}

#define ACT(...) activity(p, (act_spec){__VA_ARGS__})

static cpd_onboard_plan *solve(const cpd_onboard *p)
{
    /* a safety cap only: these plans are proven in a second or two (minutes under valgrind on
     * a loaded machine, where 20 s once ran out) */
    cpd_onboard_opts o = {.solve = {.time_limit = tu_slow_build() ? 300 : 20, .gap = 0}};
    cpd_onboard_plan *pl = NULL;
    cpd_diags *d = cpd_diags_new();
    cpd_code c = cpd_onboard_solve(p, &o, &pl, d);
    if (c != CPD_OK)
        cpd_diags_print(d, stderr);
    assert_int_equal(c, CPD_OK);
    assert_non_null(pl);
    /* every plan keeps every rule, by the independent checker too */
    cpd_diags *v = cpd_diags_new();
    int breaches = cpd_verify_onboard(p, pl, v);
    if (breaches)
        cpd_diags_print(v, stderr);
    assert_int_equal(breaches, 0);
    assert_true(fabs(cpd_onboard_cost(p, pl->tasks, pl->ntasks) - pl->result.objective) < 1e-6);
    assert_true(pl->result.has_bound);
    assert_true(pl->result.bound <= pl->result.objective + 1e-6);
    cpd_diags_free(&v);
    cpd_diags_free(&d);
    return pl;
}

/* The plan's task of activity a at joining school number school (1-based), for staff t (-1:
 * none), in week w (0: any). */
static const cpd_ob_task *task(const cpd_onboard_plan *pl, int a, int school, int t, int w)
{
    for (int i = 0; i < pl->ntasks; i++) {
        const cpd_ob_task *k = &pl->tasks[i];
        if (k->activity == a && k->school == school && k->staff == t && (w == 0 || k->target == w))
            return k;
    }
    fail_msg("no task of activity %d at school %d", a, school);
    return NULL;
}

static int day_of(const cpd_ob_task *t) { return t->start / 2 + 1; }

static const char *reason_of(const cpd_onboard_plan *pl, const cpd_ob_task *t)
{
    for (int i = 0; i < pl->nunmet; i++)
        if (&pl->tasks[pl->unmet[i].task] == t)
            return pl->unmet[i].reason;
    return NULL;
}

/* The weekly bound of p's model (onboard_weekly.c). */
static double weekly_of(const cpd_onboard *p)
{
    ob_model m;
    ob_model_build(p, &m);
    double b = ob_weekly_bound(&m, 10);
    ob_model_free(&m);
    return b;
}

static void assert_optimal(const cpd_onboard_plan *pl, double objective)
{
    assert_int_equal(pl->result.status, CPD_SOLVE_OPTIMAL);
    assert_true(fabs(pl->result.objective - objective) < 1e-6);
    assert_true(fabs(pl->result.bound - objective) < 1e-6);
    assert_true(pl->result.gap == 0);
}

/* ---- the rules ---- */

/* A day of training, then adoption (half a day) after it, both with the one LP in week 1. */
static void test_onboard__precedence(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    staff(p, "H1", 1, "headteacher");
    resource(p, "LP1", "lp", 5, NULL);
    int train = ACT(.id = "train", .week = 1, .halfdays = 2, .needs = "lp:1", .audience = "headteacher");
    int adopt = ACT(.id = "adopt", .week = 1, .halfdays = 1, .needs = "lp:1", .after = "train");
    /* listed second but must come first: the order in the file does not matter */
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *a = task(pl, train, 1, -1, 1), *b = task(pl, adopt, 1, -1, 1);
    assert_true(a->start >= 0 && b->start >= a->start + a->duration);
    assert_int_equal(a->nres, 1);
    assert_int_equal(a->res[0], 0);
    assert_int_equal(pl->nunmet, 0);
    assert_optimal(pl, 1); /* one school-week of LP1 */
    cpd_onboard_plan_free(&pl);
    assert_null(pl);
    cpd_onboard_free(&p);
}

/* Two schools need the SENCO for a day in week 1, and she works one day a week: one review is
 * a week late, and the reason names her. */
static void test_onboard__shared_senco_forces_lateness(void **state)
{
    (void)state;
    cpd_onboard *p = programme(2, 10);
    resource(p, "SENCO1", "senco", 1, NULL);
    int review = ACT(.id = "review", .week = 1, .halfdays = 2, .needs = "senco:1");
    /* the weekly bound sees the lateness (110), not the two school-weeks */
    assert_true(fabs(weekly_of(p) - 110) < 1e-6);
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *a = task(pl, review, 1, -1, 1), *b = task(pl, review, 2, -1, 1);
    int wa = cpd_onboard_week_of_day(p, day_of(a)), wb = cpd_onboard_week_of_day(p, day_of(b));
    assert_true((wa == 1 && wb == 2) || (wa == 2 && wb == 1));
    const cpd_ob_task *late = wa == 2 ? a : b;
    assert_int_equal(pl->nunmet, 1);
    assert_ptr_equal(&pl->tasks[pl->unmet[0].task], late);
    assert_string_equal(pl->unmet[0].reason, "SENCO1 has 1 day in week 1 and 2 schools need 2");
    /* late one week (100) and off target one week (10); two school-weeks */
    assert_optimal(pl, 112);
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_onboard_check(p, d), CPD_OK);
    assert_int_equal(cpd_diags_len(d), 1);
    assert_string_equal(cpd_diags_get(d, 0)->msg,
                        "SENCO1 has 1 day in week 1, and the tasks of 2 schools aiming at it need "
                        "2: some move to other weeks of their windows");
    cpd_diags_free(&d);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* Ten middle leaders each out of class for a day in week 1, at most two at once: exactly two
 * a day. */
static void test_onboard__cover_limit(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    p->params.cover_limit = 2;
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "M%d", i + 1);
        staff(p, id, 1, "middle_leader");
    }
    int eval = ACT(.id = "eval", .week = 1, .halfdays = 2, .per = "middle_leader", .cover = true);
    cpd_onboard_plan *pl = solve(p);
    int per_day[6] = {0};
    for (int t = 0; t < 10; t++) {
        const cpd_ob_task *k = task(pl, eval, 1, t, 1);
        assert_true(k->start >= 0 && k->start % 2 == 0);
        per_day[day_of(k)]++;
    }
    for (int d = 1; d <= 5; d++)
        assert_int_equal(per_day[d], 2);
    assert_optimal(pl, 0);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* More staff out at once than the cover limit allows can never be placed. */
static void test_onboard__cover_too_small(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    p->params.cover_limit = 2;
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "M%d", i + 1);
        staff(p, id, 1, "middle_leader");
    }
    int meet = ACT(.id = "meet", .week = 1, .halfdays = 1, .audience = "middle_leader", .cover = true);
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *k = task(pl, meet, 1, -1, 1);
    assert_int_equal(k->start, -1);
    assert_string_equal(reason_of(pl, k), "takes 3 staff out of class at once; the cover limit is 2");
    assert_optimal(pl, 1000);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* One LP, two schools, half a day at each, one day: only one can be placed, unless the
 * schools are close enough for both in a day. */
static void test_onboard__one_school_a_day(void **state)
{
    (void)state;
    for (int near = 0; near <= 1; near++) {
        cpd_onboard *p = programme(2, 1);
        p->common->travel[1 * 3 + 2] = p->common->travel[2 * 3 + 1] = 10;
        p->params.short_travel = near ? 15 : 0;
        resource(p, "LP1", "lp", 5, NULL);
        int visit = ACT(.id = "visit", .week = 1, .halfdays = 1, .needs = "lp:1");
        cpd_onboard_plan *pl = solve(p);
        const cpd_ob_task *a = task(pl, visit, 1, -1, 1), *b = task(pl, visit, 2, -1, 1);
        if (near) {
            assert_true(a->start >= 0 && b->start >= 0 && a->start != b->start);
            assert_int_equal(pl->nunmet, 0);
            assert_optimal(pl, 2); /* LP1 at two schools in week 1 */
        } else {
            assert_true((a->start < 0) != (b->start < 0));
            assert_int_equal(pl->nunmet, 1);
            assert_optimal(pl, 1001);
        }
        cpd_onboard_plan_free(&pl);
        cpd_onboard_free(&p);
    }
}

/* An LP working two days a week and three days of work in week 1: one day is a week late. */
static void test_onboard__days_a_week(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 10);
    resource(p, "LP1", "lp", 2, NULL);
    int work[3];
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "w%d", i + 1);
        work[i] = ACT(.id = id, .week = 1, .halfdays = 2, .needs = "lp:1");
    }
    cpd_onboard_plan *pl = solve(p);
    int in_week1 = 0;
    for (int i = 0; i < 3; i++)
        in_week1 += cpd_onboard_week_of_day(p, day_of(task(pl, work[i], 1, -1, 1))) == 1;
    assert_int_equal(in_week1, 2);
    assert_int_equal(pl->nunmet, 1);
    assert_string_equal(pl->unmet[0].reason, "LP1 has 2 days in week 1 and 1 school needs 3");
    assert_optimal(pl, 112);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* The only DOL is away on days 1 and 2: the day with her is on day 3 at the earliest. */
static void test_onboard__unavailable_dates(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    resource(p, "DOL1", "dol", 5, (const int[]){1, 2, 0});
    int targets = ACT(.id = "targets", .week = 1, .halfdays = 2, .needs = "dol:1");
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *k = task(pl, targets, 1, -1, 1);
    assert_true(day_of(k) >= 3);
    assert_int_equal(pl->dates[day_of(k) - 1], cpd_date_from_ymd(2027, 9, 6) + day_of(k) - 1);
    assert_optimal(pl, 1);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* All-staff training: the day on the training day (Wednesday), the half day in the Thursday
 * twilight. */
static void test_onboard__training_days_and_twilights(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    staff(p, "T1", 1, "teacher");
    staff(p, "S1", 1, "support");
    int wed = cpd_date_from_ymd(2027, 9, 8);
    cpd_onboard_set_dates(p, NULL, 0, &wed, 1);
    p->params.twilight = 1u << 3; /* Thursday */
    resource(p, "LP1", "lp", 5, NULL);
    int day = ACT(.id = "inset", .week = 1, .halfdays = 2, .needs = "lp:1", .audience = "staff");
    int half = ACT(.id = "twilight", .week = 1, .halfdays = 1, .needs = "lp:1", .audience = "staff");
    cpd_onboard_plan *pl = solve(p);
    assert_int_equal(task(pl, day, 1, -1, 1)->start, 4);  /* day 3 (Wednesday) morning */
    assert_int_equal(task(pl, half, 1, -1, 1)->start, 7); /* day 4 (Thursday) afternoon */
    assert_optimal(pl, 1);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* All-staff training with no training day or twilight in its window is late, and says why. */
static void test_onboard__no_training_day_in_window(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 10);
    staff(p, "T1", 1, "teacher");
    int tue2 = cpd_date_from_ymd(2027, 9, 14); /* week 2 */
    cpd_onboard_set_dates(p, NULL, 0, &tue2, 1);
    int inset = ACT(.id = "inset", .week = 1, .halfdays = 2, .audience = "staff");
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *k = task(pl, inset, 1, -1, 1);
    assert_int_equal(day_of(k), 7);
    assert_string_equal(reason_of(pl, k), "no training day or twilight in weeks 1-1");
    assert_optimal(pl, 110);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* A weekly activity over weeks 1-3 makes one task a week, each in its own week. */
static void test_onboard__weekly_repeats(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 15);
    resource(p, "EXEC1", "exec_head", 5, NULL);
    int visit = ACT(.id = "visit", .week = 1, .earliest = 1, .latest = 3, .halfdays = 1,
                    .needs = "exec_head:1", .weekly = true);
    cpd_onboard_plan *pl = solve(p);
    assert_int_equal(pl->ntasks, 3);
    for (int w = 1; w <= 3; w++) {
        const cpd_ob_task *k = task(pl, visit, 1, -1, w);
        assert_int_equal(k->earliest, w);
        assert_int_equal(k->latest, w);
        assert_int_equal(cpd_onboard_week_of_day(p, day_of(k)), w);
    }
    assert_optimal(pl, 3); /* three school-weeks of the executive head */
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* A day in class per teacher: with deployment.csv, T1's coach is LP2, whoever is free. */
static void test_onboard__deployed_coach(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    int t1 = staff(p, "T1", 1, "teacher");
    int t2 = staff(p, "T2", 1, "teacher");
    resource(p, "LP1", "lp", 5, NULL);
    int lp2 = resource(p, "LP2", "lp", 1, NULL);
    p->coach_of = malloc(2 * sizeof(int));
    p->coach_of[t1] = lp2;
    p->coach_of[t2] = -1;
    int day = ACT(.id = "coach_day", .week = 1, .halfdays = 2, .per = "teacher", .needs = "lp:1",
                  .coach = true);
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *a = task(pl, day, 1, t1, 1), *b = task(pl, day, 1, t2, 1);
    assert_int_equal(a->res[0], lp2);
    assert_int_equal(b->res[0], 0); /* LP2 works one day a week: T2 gets LP1 */
    assert_optimal(pl, 2);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* A task whose predecessor can never be placed stays unplaced too, and says after what. */
static void test_onboard__after_unplaced(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    resource(p, "LP1", "lp", 5, NULL);
    int first = ACT(.id = "pair", .week = 1, .halfdays = 1, .needs = "lp:2");
    int then = ACT(.id = "follow", .week = 1, .halfdays = 1, .needs = "lp:1", .after = "pair");
    cpd_onboard_plan *pl = solve(p);
    const cpd_ob_task *a = task(pl, first, 1, -1, 1), *b = task(pl, then, 1, -1, 1);
    assert_int_equal(a->start, -1);
    assert_int_equal(b->start, -1);
    assert_string_equal(reason_of(pl, a), "needs 2 lp at once; the trust has 1");
    assert_string_equal(reason_of(pl, b), "after 'pair', which could not be placed");
    assert_optimal(pl, 2000);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* ---- the plan as a whole ---- */

static void test_onboard__plan_order_dates_and_determinism(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(40, 1, 2);
    cpd_onboard_plan *a = solve(p), *b = solve(p);
    int n;
    cpd_ob_task *tasks = cpd_onboard_tasks(p, &n);
    assert_int_equal(a->ntasks, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(a->tasks[i].activity, tasks[i].activity);
        assert_int_equal(a->tasks[i].staff, tasks[i].staff);
        assert_int_equal(a->tasks[i].target, tasks[i].target);
        assert_int_equal(a->tasks[i].start, b->tasks[i].start);
        assert_memory_equal(a->tasks[i].res, b->tasks[i].res, sizeof a->tasks[i].res);
    }
    free(tasks);
    int *dates = malloc((size_t)p->params.ndays * sizeof(int));
    cpd_onboard_days(p, dates);
    assert_int_equal(a->ndays, p->params.ndays);
    assert_memory_equal(a->dates, dates, (size_t)a->ndays * sizeof(int));
    free(dates);
    /* one joining school of 40 with the trust's pool: proven optimal */
    assert_int_equal(a->result.status, CPD_SOLVE_OPTIMAL);
    assert_true(a->nvars > 0 && a->nconstraints > 0);
    cpd_onboard_plan_free(&a);
    cpd_onboard_plan_free(&b);
    cpd_onboard_free(&p);
}

/* The heuristic's plan is a feasible point of both formulations, at its own cost. */
static void test_onboard__plan_fits_both_models(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(60, 2, 3);
    ob_model m;
    ob_model_build(p, &m);
    ob_state *st = ob_state_new(&m);
    ob_construct(st);
    ob_reinsert(st, 5);
    ob_ruin_recreate(st, 2000, 0, 0, 0);
    assert_true(ob_state_feasible(st));
    for (int pooled = 0; pooled <= 1; pooled++) {
        ob_layout lay;
        cpd_engine *e = ob_build_engine(&m, pooled, &lay);
        double *x = calloc((size_t)lay.nvars + 1, sizeof(double));
        ob_state_to_x(st, &lay, x);
        assert_true(cpd_engine_is_feasible(e, x));
        assert_true(fabs(cpd_engine_objective_of(e, x) - ob_state_objective(st)) < 1e-6);
        if (!pooled) {
            ob_state *back = ob_state_new(&m);
            assert_true(ob_state_from_x(back, &lay, x));
            assert_memory_equal(back->hidx, st->hidx, (size_t)m.T * sizeof(int));
            ob_state_free(&back);
        }
        free(x);
        cpd_engine_free(&e);
        ob_layout_free(&lay);
    }
    ob_state_free(&st);
    ob_model_free(&m);
    cpd_onboard_free(&p);
}

/* The weekly bound on hand-checked cases (and in shared_senco_forces_lateness): the SENCO's one
 * day in week 1 holds one of two day reviews, the other off target, and two of four half-day
 * ones (two half-days share a day in the bound, not in a plan). */
static void test_onboard__weekly_bound(void **state)
{
    (void)state;
    for (int half = 0; half <= 1; half++) {
        cpd_onboard *p = programme(half ? 4 : 2, 10);
        resource(p, "SENCO1", "senco", 1, NULL);
        ACT(.id = "review", .week = 1, .latest = 2, .halfdays = half ? 1 : 2, .needs = "senco:1");
        assert_true(fabs(weekly_of(p) - (half ? 20 : 10)) < 1e-6); /* off target, in window */
        cpd_onboard_plan *pl = solve(p);
        assert_true(pl->result.bound >= (half ? 20 : 10) - 1e-6);
        cpd_onboard_plan_free(&pl);
        cpd_onboard_free(&p);
    }
}

/* The weekly bound never exceeds a plan's cost, on generated programmes of one to four
 * schools (the model's own plans, by the heuristic). */
static void test_onboard__weekly_bound_below_plans(void **state)
{
    (void)state;
    for (int k = 1; k <= 4; k++) {
        cpd_onboard *p = cpd_generate_onboard(30 * k, k, (unsigned long)k);
        ob_model m;
        ob_model_build(p, &m);
        ob_state *st = ob_state_new(&m);
        ob_construct(st);
        ob_reinsert(st, 5);
        ob_ruin_recreate(st, 3000, 0, 0, 0);
        double b = ob_weekly_bound(&m, 10);
        assert_true(isfinite(b) && b > 0);
        assert_true(b <= ob_state_objective(st) + 1e-6);
        ob_state_free(&st);
        ob_model_free(&m);
        cpd_onboard_free(&p);
    }
}

static void test_onboard__export_failure(void **state)
{
    (void)state;
    cpd_onboard *p = programme(1, 5);
    resource(p, "LP1", "lp", 5, NULL);
    ACT(.id = "a", .week = 1, .halfdays = 1, .needs = "lp:1");
    cpd_onboard_opts o = {.solve = {.time_limit = 5}, .export_path = "/nonexistent/dir/model.lp"};
    cpd_onboard_plan *pl = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_onboard_solve(p, &o, &pl, d), CPD_EINTERNAL);
    assert_null(pl);
    assert_int_equal(cpd_diags_errors(d), 1);
    assert_non_null(strstr(cpd_diags_get(d, 0)->msg, "cannot export the model to '/nonexistent/dir/model.lp'"));
    cpd_diags_free(&d);
    cpd_onboard_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_onboard__precedence),
        cmocka_unit_test(test_onboard__shared_senco_forces_lateness),
        cmocka_unit_test(test_onboard__cover_limit),
        cmocka_unit_test(test_onboard__cover_too_small),
        cmocka_unit_test(test_onboard__one_school_a_day),
        cmocka_unit_test(test_onboard__days_a_week),
        cmocka_unit_test(test_onboard__unavailable_dates),
        cmocka_unit_test(test_onboard__training_days_and_twilights),
        cmocka_unit_test(test_onboard__no_training_day_in_window),
        cmocka_unit_test(test_onboard__weekly_repeats),
        cmocka_unit_test(test_onboard__deployed_coach),
        cmocka_unit_test(test_onboard__after_unplaced),
        cmocka_unit_test(test_onboard__plan_order_dates_and_determinism),
        cmocka_unit_test(test_onboard__plan_fits_both_models),
        cmocka_unit_test(test_onboard__weekly_bound),
        cmocka_unit_test(test_onboard__weekly_bound_below_plans),
        cmocka_unit_test(test_onboard__export_failure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
