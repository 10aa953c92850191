/* test_verify.c — the independent plan checker: a correct plan passes, each rule's breach is
 * found and named in plain words. Scenarios and plans are built by hand, figures hand-checked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_verify.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* The base trust, hand-checked:
 *   schools SCH1, SCH2, SCH3; one way SCH1-SCH2 45 min, SCH1-SCH3 30, SCH2-SCH3 20;
 *   from the trust's base 15, 20, 25.
 *   T1 SCH1 maths standard (2 h)   T2 SCH2 maths light (1 h)   T3 SCH2 maths intensive (3 h)
 *   T4 SCH1 ect maths, no need (mentoring 1 h, senior 0.5 h)   T5 SCH1 music, no need
 *   LP1 lp SCH1 maths 8 h, max 3 coachees, 2 schools   MEN1 mentor SCH1 maths 2 h
 *   SL1 senior_leader SCH1 2 h                          LP2 lp trust maths 10 h
 * The good plan: LP1 coaches T1 (at base), T2 and T3 (SCH2: one 90-minute round trip, 1.5 h,
 * paid once although two teachers are there), MEN1 mentors T4, SL1 is T4's senior leader.
 * LP1: 6 h coaching + 1.5 h travel = 7.5 h of 8; charged per teacher it would be 9 h. */
enum { T1, T2, T3, T4, T5 };
enum { LP1, MEN1, SL1, LP2 };
enum { R_T1, R_T2, R_T3, R_T4M, R_T4S, NROWS };

typedef struct {
    cpd_scenario *s;
    cpd_deploy_plan *p;
    cpd_diags *d;
} fixture;

static void add_staff(cpd_scenario *s, const char *id, int school, const char *role,
                      const char *subject, cpd_need need)
{
    cpd_staff st = {.id = (char *)id, .school = school, .role = (char *)role, .need = need};
    st.is_ect = strcmp(role, "ect") == 0;
    if (subject)
        cpd_strlist_add(&st.subjects, subject);
    cpd_scenario_add_staff(s, &st);
}

static void add_coach(cpd_scenario *s, const char *id, cpd_coach_role role, int school,
                      double hours, const char *subject, int max_coachees, int max_schools)
{
    cpd_coach c = {.id = (char *)id, .role = role, .school = school, .hours = hours,
                   .max_coachees = max_coachees, .max_schools = max_schools,
                   .provides = cpd_coach_role_default_provides(role)};
    if (subject)
        cpd_strlist_add(&c.subjects, subject);
    cpd_scenario_add_coach(s, &c);
}

static void set_travel(cpd_scenario *s, int a, int b, double minutes)
{
    s->travel[a * s->nschools + b] = minutes;
    s->travel[b * s->nschools + a] = minutes;
}

static cpd_scenario *base_scenario(void)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "SCH1", "North", false);
    cpd_scenario_add_school(s, "SCH2", "South", false);
    cpd_scenario_add_school(s, "SCH3", "East", false);
    cpd_scenario_init_travel(s, 30);
    set_travel(s, 0, 1, 45);
    set_travel(s, 0, 2, 30);
    set_travel(s, 1, 2, 20);
    s->trust_travel[0] = 15;
    s->trust_travel[1] = 20;
    s->trust_travel[2] = 25;
    add_staff(s, "T1", 0, "teacher", "maths", CPD_NEED_STANDARD);
    add_staff(s, "T2", 1, "teacher", "maths", CPD_NEED_LIGHT);
    add_staff(s, "T3", 1, "teacher", "maths", CPD_NEED_INTENSIVE);
    add_staff(s, "T4", 0, "ect", "maths", CPD_NEED_NONE);
    add_staff(s, "T5", 0, "teacher", "music", CPD_NEED_NONE);
    add_coach(s, "LP1", CPD_COACH_LP, 0, 8, "maths", 3, 2);
    add_coach(s, "MEN1", CPD_COACH_MENTOR, 0, 2, "maths", 0, 0);
    add_coach(s, "SL1", CPD_COACH_SENIOR_LEADER, 0, 2, NULL, 0, 0);
    add_coach(s, "LP2", CPD_COACH_LP, CPD_TRUST_SCHOOL, 10, "maths", 0, 0);
    return s;
}

static cpd_deploy_row met(int teacher, cpd_service svc, int coach, double hours, double travel)
{
    return (cpd_deploy_row){.teacher = teacher, .service = svc, .coach = coach, .hours = hours,
                            .travel_minutes = travel};
}

static void set_load(cpd_deploy_plan *p, int c, double coaching, double travel, double avail,
                     int coachees, int schools)
{
    p->loads[c] = (cpd_coach_load){coaching, travel, avail, coachees, schools};
}

/* The plan's reason strings are the only thing it owns beyond its arrays. */
static void plan_free(cpd_deploy_plan **pp)
{
    cpd_deploy_plan *p = *pp;
    if (!p)
        return;
    for (int i = 0; i < p->nrows; i++)
        free(p->rows[i].reason);
    free(p->rows);
    free(p->loads);
    free(p);
    *pp = NULL;
}

static cpd_deploy_plan *good_plan(const cpd_scenario *s)
{
    cpd_deploy_plan *p = calloc(1, sizeof *p);
    p->rows = calloc(16, sizeof *p->rows); /* room for tests that add rows */
    p->nrows = NROWS;
    p->rows[R_T1] = met(T1, CPD_SERVICE_COACHING, LP1, 2, 0);
    p->rows[R_T2] = met(T2, CPD_SERVICE_COACHING, LP1, 1, 90);
    p->rows[R_T3] = met(T3, CPD_SERVICE_COACHING, LP1, 3, 90);
    p->rows[R_T4M] = met(T4, CPD_SERVICE_MENTORING, MEN1, 1, 0);
    p->rows[R_T4S] = met(T4, CPD_SERVICE_SENIOR, SL1, 0.5, 0);
    p->nloads = s->ncoaches;
    p->loads = calloc((size_t)s->ncoaches, sizeof *p->loads);
    set_load(p, LP1, 6, 1.5, 8, 3, 2);
    set_load(p, MEN1, 1, 0, 2, 1, 1);
    set_load(p, SL1, 0.5, 0, 2, 1, 1);
    set_load(p, LP2, 0, 0, 10, 0, 0);
    return p;
}

static void unmeet(cpd_deploy_plan *p, int row, const char *reason)
{
    p->rows[row].coach = -1;
    p->rows[row].travel_minutes = 0;
    p->rows[row].reason = reason ? strdup(reason) : NULL;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->s = base_scenario();
    f->p = good_plan(f->s);
    f->d = cpd_diags_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    plan_free(&f->p);
    cpd_scenario_free(&f->s);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

static int verify(fixture *f) { return cpd_verify_deploy(f->s, f->p, f->d); }

/* Asserts exactly n breaches, the i-th message containing want[i]. */
static void expect(fixture *f, int n, ...)
{
    int got = verify(f);
    if (got != n || (int)cpd_diags_len(f->d) != n) {
        for (size_t i = 0; i < cpd_diags_len(f->d); i++)
            print_error("  breach: %s\n", cpd_diags_get(f->d, i)->msg);
    }
    assert_int_equal(got, n);
    assert_int_equal(cpd_diags_len(f->d), n);
    assert_int_equal(cpd_diags_errors(f->d), n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        const char *want = va_arg(ap, const char *);
        const char *msg = cpd_diags_get(f->d, (size_t)i)->msg;
        if (!strstr(msg, want))
            fail_msg("breach %d is '%s', expected it to contain '%s'", i, msg, want);
    }
    va_end(ap);
}

/* ---- a correct plan ---- */

static void test_verify__good_plan_passes(void **state)
{
    fixture *f = *state;
    expect(f, 0);
}

static void test_verify__unmet_rows_with_reasons_pass(void **state)
{
    fixture *f = *state;
    unmeet(f->p, R_T2, "no maths coach has hours left: LP1 full");
    unmeet(f->p, R_T4S, "no senior leader at SCH1 has hours left");
    set_load(f->p, LP1, 5, 1.5, 8, 2, 2);
    set_load(f->p, SL1, 0, 0, 2, 0, 0);
    expect(f, 0);
}

/* ---- travel once per school ---- */

static void test_verify__travel_paid_once_per_school(void **state)
{
    fixture *f = *state;
    /* 6 h + one 1.5 h trip = 7.5 h: fits the 8 h; per teacher (9 h) it would not. */
    f->s->coaches[LP1].hours = 7.5;
    f->p->loads[LP1].hours_available = 7.5;
    expect(f, 0);
}

static void test_verify__over_hours_with_one_trip_fails(void **state)
{
    fixture *f = *state;
    f->s->coaches[LP1].hours = 7;
    f->p->loads[LP1].hours_available = 7;
    expect(f, 1, "LP1 works 7.5 h (6 coaching + 1.5 travel) but has 7 h");
}

static void test_verify__trust_base_pays_every_school(void **state)
{
    fixture *f = *state;
    /* LP2 from the trust's base: T1 at SCH1 (30 min round trip) and T2 at SCH2 (40 min). */
    f->p->rows[R_T1] = met(T1, CPD_SERVICE_COACHING, LP2, 2, 30);
    f->p->rows[R_T2] = met(T2, CPD_SERVICE_COACHING, LP2, 1, 40);
    f->s->coaches[LP2].hours = 4;
    set_load(f->p, LP1, 3, 1.5, 8, 1, 1);
    set_load(f->p, LP2, 3, 70.0 / 60, 4, 2, 2);
    expect(f, 1, "LP2 works 4.17 h (3 coaching + 1.17 travel) but has 4 h");
}

/* ---- every demand once ---- */

static void test_verify__missing_mentoring_row(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T4M] = f->p->rows[R_T4S];
    f->p->nrows--;
    set_load(f->p, MEN1, 0, 0, 2, 0, 0);
    expect(f, 1, "ECT T4 has no mentoring row");
}

static void test_verify__missing_coaching_row(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T1] = f->p->rows[--f->p->nrows];
    set_load(f->p, LP1, 4, 1.5, 8, 2, 1);
    expect(f, 1, "T1 (standard need) has no coaching row");
}

static void test_verify__duplicate_demand_row(void **state)
{
    fixture *f = *state;
    f->p->rows[f->p->nrows] = met(T1, CPD_SERVICE_COACHING, -1, 2, 0);
    unmeet(f->p, f->p->nrows++, "duplicate");
    expect(f, 1, "T1 has 2 coaching rows");
}

static void test_verify__row_without_demand(void **state)
{
    fixture *f = *state;
    f->p->rows[f->p->nrows] = met(T5, CPD_SERVICE_COACHING, -1, 1, 0);
    unmeet(f->p, f->p->nrows++, "no music coach");
    f->p->rows[f->p->nrows++] = met(T5, CPD_SERVICE_SENIOR, SL1, 0.5, 0);
    set_load(f->p, SL1, 1, 0, 2, 2, 1);
    expect(f, 2, "T5 has a coaching row but no coaching need",
           "T5 has a senior row but is not an ECT");
}

static void test_verify__wrong_hours(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T1].hours = 1;
    f->p->rows[R_T4M].hours = 0.5;
    set_load(f->p, LP1, 5, 1.5, 8, 3, 2);
    set_load(f->p, MEN1, 0.5, 0, 2, 1, 1);
    expect(f, 2, "T1's coaching row gives 1 h but a standard need takes 2 h",
           "ECT T4's mentoring row gives 0.5 h but mentoring takes 1 h");
}

static void test_verify__unmet_without_reason(void **state)
{
    fixture *f = *state;
    unmeet(f->p, R_T2, "");
    unmeet(f->p, R_T4S, NULL);
    set_load(f->p, LP1, 5, 1.5, 8, 2, 2);
    set_load(f->p, SL1, 0, 0, 2, 0, 0);
    expect(f, 2, "T2's unmet coaching has no reason", "ECT T4's unmet senior has no reason");
}

/* ---- each met row ---- */

static void test_verify__coach_must_provide_service(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T4M].coach = LP1;
    f->s->coaches[LP1].hours = 9;
    f->s->coaches[LP1].max_coachees = 4;
    set_load(f->p, LP1, 7, 1.5, 9, 4, 2);
    set_load(f->p, MEN1, 0, 0, 2, 0, 0);
    expect(f, 1, "LP1 does not provide mentoring but has a mentoring row with T4");
}

static void test_verify__subject_fit(void **state)
{
    fixture *f = *state;
    cpd_strlist_clear(&f->s->staff[T2].subjects);
    cpd_strlist_add(&f->s->staff[T2].subjects, "music");
    cpd_strlist_clear(&f->s->staff[T4].subjects);
    cpd_strlist_add(&f->s->staff[T4].subjects, "science");
    expect(f, 2, "T2 (music) is coached by LP1 who coaches maths",
           "ECT T4 (science) is mentored by MEN1 who mentors maths");
}

static void test_verify__subject_fit_exceptions(void **state)
{
    fixture *f = *state;
    /* A teacher without subjects fits any coach; a coach without subjects fits anyone; the
     * senior leader's subject is never asked. */
    cpd_strlist_clear(&f->s->staff[T2].subjects);
    cpd_strlist_clear(&f->s->coaches[MEN1].subjects);
    cpd_strlist_add(&f->s->staff[T4].subjects, "science");
    cpd_strlist_add(&f->s->coaches[SL1].subjects, "art");
    expect(f, 0);
}

static void test_verify__subject_fit_not_required(void **state)
{
    fixture *f = *state;
    cpd_strlist_clear(&f->s->staff[T2].subjects);
    cpd_strlist_add(&f->s->staff[T2].subjects, "music");
    f->s->params.subject_fit_required = false;
    expect(f, 0);
}

static void test_verify__mentor_in_ect_school(void **state)
{
    fixture *f = *state;
    f->s->coaches[MEN1].school = 1; /* SCH2: a 90-minute round trip to T4 at SCH1 */
    f->s->coaches[MEN1].hours = 3;
    f->p->rows[R_T4M].travel_minutes = 90;
    set_load(f->p, MEN1, 1, 1.5, 3, 1, 1);
    expect(f, 1, "ECT T4 at SCH1 is mentored by MEN1 based at SCH2");
    cpd_diags_free(&f->d);
    f->d = cpd_diags_new();
    f->s->params.mentor_same_school = false;
    expect(f, 0);
}

static void test_verify__senior_in_ect_school(void **state)
{
    fixture *f = *state;
    f->s->coaches[SL1].school = CPD_TRUST_SCHOOL; /* 30-minute round trip to SCH1 */
    f->p->rows[R_T4S].travel_minutes = 30;
    set_load(f->p, SL1, 0.5, 0.5, 2, 1, 1);
    expect(f, 1, "ECT T4 at SCH1 has senior leader SL1 based at trust (central)");
    cpd_diags_free(&f->d);
    f->d = cpd_diags_new();
    f->s->params.senior_same_school = false;
    expect(f, 0);
}

static void test_verify__coach_is_not_the_teacher(void **state)
{
    fixture *f = *state;
    free(f->s->coaches[LP1].id);
    f->s->coaches[LP1].id = strdup("T1");
    expect(f, 1, "T1 is their own coach");
}

static void test_verify__travel_minutes_written(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T2].travel_minutes = 60;
    f->p->rows[R_T1].travel_minutes = 10;
    expect(f, 2, "LP1's round trip to SCH1 (for T1) is written as 10 min but is 0 min",
           "LP1's round trip to SCH2 (for T2) is written as 60 min but is 90 min");
}

/* ---- each coach ---- */

static void test_verify__max_schools(void **state)
{
    fixture *f = *state;
    f->s->coaches[LP1].max_schools = 1;
    expect(f, 1, "LP1 works in 2 schools (SCH1, SCH2) but at most 1");
}

static void test_verify__max_coachees(void **state)
{
    fixture *f = *state;
    f->s->coaches[LP1].max_coachees = 2;
    expect(f, 1, "LP1 has 3 coachees but at most 2");
}

static void test_verify__one_role_per_teacher(void **state)
{
    fixture *f = *state;
    f->s->coaches[LP1].provides |= 1u << CPD_SERVICE_MENTORING;
    f->s->coaches[LP1].hours = 10;
    f->p->rows[R_T4M].coach = LP1;
    f->s->staff[T4].need = CPD_NEED_LIGHT;
    f->p->rows[f->p->nrows++] = met(T4, CPD_SERVICE_COACHING, LP1, 1, 0);
    set_load(f->p, LP1, 8, 1.5, 10, 4, 2);
    set_load(f->p, MEN1, 0, 0, 2, 0, 0);
    f->s->coaches[LP1].max_coachees = 0;
    expect(f, 1, "LP1 has two roles with T4: mentoring and coaching");
}

static void test_verify__written_loads_agree(void **state)
{
    fixture *f = *state;
    set_load(f->p, LP1, 5, 3, 9, 2, 3);
    expect(f, 5, "coach_load.csv gives LP1 5 h coaching; the rows give 6 h",
           "coach_load.csv gives LP1 3 h travel; the rows give 1.5 h",
           "coach_load.csv gives LP1 9 h available; coaches.csv gives 8 h",
           "coach_load.csv gives LP1 2 coachees; the rows give 3",
           "coach_load.csv gives LP1 3 schools; the rows give 2");
}

static void test_verify__written_loads_rounded_pass(void **state)
{
    fixture *f = *state;
    f->p->rows[R_T1] = met(T1, CPD_SERVICE_COACHING, LP2, 2, 30);
    f->p->rows[R_T2] = met(T2, CPD_SERVICE_COACHING, LP2, 1, 40);
    set_load(f->p, LP1, 3, 1.5, 8, 1, 1);
    set_load(f->p, LP2, 3, 1.17, 10, 2, 2); /* 70 min written to two decimals */
    expect(f, 0);
}

static void test_verify__load_rows_missing(void **state)
{
    fixture *f = *state;
    f->p->nloads = 3;
    expect(f, 1, "coach_load.csv has 3 coaches but coaches.csv has 4");
}

/* ---- pins ---- */

static void test_verify__must_pin(void **state)
{
    fixture *f = *state;
    cpd_scenario_add_pin(f->s, LP1, T1, true, 2);
    expect(f, 0);
    cpd_scenario_add_pin(f->s, LP2, T3, true, 3);
    expect(f, 1, "LP2 must work with T3 (pins.csv line 3) but the plan does not pair them");
}

static void test_verify__never_pin(void **state)
{
    fixture *f = *state;
    cpd_scenario_add_pin(f->s, LP2, T1, false, 2);
    expect(f, 0);
    cpd_scenario_add_pin(f->s, MEN1, T4, false, 0);
    expect(f, 1, "MEN1 works with T4 despite a never pin");
}

/* ---- --max-changes ---- */

static void add_prev(cpd_scenario *s, int coach, int teacher, const char *cid, const char *tid)
{
    cpd_scenario_add_previous(s, coach, teacher, cid, tid, 0);
}

static void test_verify__max_changes(void **state)
{
    fixture *f = *state;
    add_prev(f->s, LP1, T1, "LP1", "T1");     /* kept */
    add_prev(f->s, LP2, T2, "LP2", "T2");     /* broken: LP2 could still coach T2 */
    add_prev(f->s, LP2, -1, "LP2", "T9001");  /* teacher left: not counted */
    add_prev(f->s, LP2, T5, "LP2", "T5");     /* T5 has no need now: not counted */
    add_prev(f->s, -1, T3, "LP9", "T3");      /* coach left: not counted */
    f->s->params.max_changes = 1;
    expect(f, 0);
    f->s->params.max_changes = 0;
    expect(f, 1, "the plan breaks 1 of last term's pairs that could be kept (LP2 with T2) but "
                 "at most 0 may change");
}

static void test_verify__max_changes_forced_breaks_not_counted(void **state)
{
    fixture *f = *state;
    f->s->params.max_changes = 0;
    add_prev(f->s, SL1, T2, "SL1", "T2"); /* SL1 does not coach */
    add_prev(f->s, LP2, T3, "LP2", "T3"); /* LP2 down to 3 h: 3 h + 50 min trip won't fit */
    f->s->coaches[LP2].hours = 3;
    f->p->loads[LP2].hours_available = 3;
    add_prev(f->s, MEN1, T2, "MEN1", "T2"); /* a mentor: does not provide coaching */
    expect(f, 0);
    /* With 4 h the trip fits, so breaking it counts. */
    f->s->coaches[LP2].hours = 4;
    f->p->loads[LP2].hours_available = 4;
    expect(f, 1, "breaks 1 of last term's pairs that could be kept (LP2 with T3)");
}

static void test_verify__max_changes_ect_mentor_and_never_pin(void **state)
{
    fixture *f = *state;
    f->s->params.max_changes = 0;
    add_coach(f->s, "MEN2", CPD_COACH_MENTOR, 0, 1, "maths", 0, 0);
    f->p->loads = realloc(f->p->loads, 5 * sizeof *f->p->loads);
    f->p->nloads = 5;
    set_load(f->p, 4, 0, 0, 1, 0, 0);
    add_prev(f->s, 4, T4, "MEN2", "T4"); /* ECT without a coaching need: mentoring continues */
    expect(f, 1, "(MEN2 with T4)");
    cpd_diags_free(&f->d);
    f->d = cpd_diags_new();
    cpd_scenario_add_pin(f->s, 4, T4, false, 0); /* a never pin forces the break */
    expect(f, 0);
}

/* ---- order and counting ---- */

static void test_verify__messages_in_row_then_coach_order(void **state)
{
    fixture *f = *state;
    f->s->coaches[LP1].max_coachees = 1;
    cpd_strlist_clear(&f->s->staff[T3].subjects);
    cpd_strlist_add(&f->s->staff[T3].subjects, "art");
    f->p->rows[R_T2].travel_minutes = 0;
    expect(f, 3, "written as 0 min", "T3 (art) is coached by LP1", "LP1 has 3 coachees");
    const cpd_diag *g = cpd_diags_get(f->d, 0);
    assert_string_equal(g->file, "deployment.csv");
    assert_int_equal(g->line, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(test_verify__##name, setup, teardown)
        T(good_plan_passes),
        T(unmet_rows_with_reasons_pass),
        T(travel_paid_once_per_school),
        T(over_hours_with_one_trip_fails),
        T(trust_base_pays_every_school),
        T(missing_mentoring_row),
        T(missing_coaching_row),
        T(duplicate_demand_row),
        T(row_without_demand),
        T(wrong_hours),
        T(unmet_without_reason),
        T(coach_must_provide_service),
        T(subject_fit),
        T(subject_fit_exceptions),
        T(subject_fit_not_required),
        T(mentor_in_ect_school),
        T(senior_in_ect_school),
        T(coach_is_not_the_teacher),
        T(travel_minutes_written),
        T(max_schools),
        T(max_coachees),
        T(one_role_per_teacher),
        T(written_loads_agree),
        T(written_loads_rounded_pass),
        T(load_rows_missing),
        T(must_pin),
        T(never_pin),
        T(max_changes),
        T(max_changes_forced_breaks_not_counted),
        T(max_changes_ect_mentor_and_never_pin),
        T(messages_in_row_then_coach_order),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
