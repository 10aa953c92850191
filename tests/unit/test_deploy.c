/* test_deploy.c — the deploy model on hand-checked small trusts: need first, travel once per
 * school, pins, continuity, max_changes, fit, limits, unmet reasons and changes; optimality
 * against brute force; the heuristic's plan and the Lagrangian bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_deploy.h"
#include "deploy_internal.h"
#include "cpd_generate.h"
#include "cpd_verify.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define COACHING (1u << CPD_SERVICE_COACHING)
#define MENTORING (1u << CPD_SERVICE_MENTORING)
#define SENIOR (1u << CPD_SERVICE_SENIOR)

/* ---- building trusts in code ---- */

static cpd_strlist list(const char *items)
{
    cpd_strlist l = {0};
    char buf[256];
    const char *p = items ? items : "";
    while (*p) {
        size_t n = strcspn(p, ";");
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (n)
            cpd_strlist_add(&l, buf);
        p += n + (p[n] == ';');
    }
    return l;
}

/* Schools SCH1..SCHn, every pair `minutes` apart (one way), the trust's base too. */
static cpd_scenario *trust(int nschools, double minutes)
{
    cpd_scenario *s = cpd_scenario_new();
    for (int i = 1; i <= nschools; i++) {
        char id[16];
        snprintf(id, sizeof id, "SCH%d", i);
        cpd_scenario_add_school(s, id, NULL, false);
    }
    cpd_scenario_init_travel(s, minutes);
    return s;
}

static void set_travel(cpd_scenario *s, int a, int b, double minutes)
{
    s->travel[a * s->nschools + b] = s->travel[b * s->nschools + a] = minutes;
}

static int teacher(cpd_scenario *s, const char *id, int school, const char *subjects, cpd_need need,
                   bool ect, const char *focus)
{
    cpd_staff t = {.id = (char *)id, .school = school, .role = ect ? "ect" : "teacher",
                   .is_ect = ect, .subjects = list(subjects), .need = need, .focus = list(focus)};
    return cpd_scenario_add_staff(s, &t);
}

static int coach_full(cpd_scenario *s, const char *id, int school, double hours, const char *subjects,
                      unsigned provides, int max_coachees, int max_schools, const char *expertise)
{
    cpd_coach c = {.id = (char *)id, .role = CPD_COACH_LP, .school = school, .hours = hours,
                   .subjects = list(subjects), .expertise = list(expertise),
                   .max_coachees = max_coachees, .max_schools = max_schools, .provides = provides};
    return cpd_scenario_add_coach(s, &c);
}

static int coach(cpd_scenario *s, const char *id, int school, double hours, const char *subjects,
                 unsigned provides)
{
    return coach_full(s, id, school, hours, subjects, provides, 0, 0, NULL);
}

static int staff_index(const cpd_scenario *s, const char *id)
{
    for (int i = 0; i < s->nstaff; i++)
        if (strcmp(s->staff[i].id, id) == 0)
            return i;
    fail_msg("no staff %s", id);
    return -1;
}

/* ---- solving and reading plans ---- */

static cpd_deploy_plan *solve(const cpd_scenario *s)
{
    cpd_deploy_opts o = {.solve = {.time_limit = 20}};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    cpd_code code = cpd_deploy_solve(s, &o, &p, d);
    if (code != CPD_OK) {
        cpd_diags_print(d, stderr);
        fail_msg("cpd_deploy_solve returned %d", code);
    }
    cpd_diags_free(&d);
    assert_non_null(p);
    return p;
}

static const cpd_deploy_row *row(const cpd_deploy_plan *p, const cpd_scenario *s, const char *t,
                                 cpd_service sv)
{
    int ti = staff_index(s, t);
    for (int i = 0; i < p->nrows; i++)
        if (p->rows[i].teacher == ti && p->rows[i].service == sv)
            return &p->rows[i];
    fail_msg("no row for %s %s", t, cpd_service_name(sv));
    return NULL;
}

/* The coach of a teacher's demand, "-" when unmet. */
static const char *coach_of(const cpd_deploy_plan *p, const cpd_scenario *s, const char *t,
                            cpd_service sv)
{
    const cpd_deploy_row *r = row(p, s, t, sv);
    return r->coach < 0 ? "-" : s->coaches[r->coach].id;
}

static const char *reason_of(const cpd_deploy_plan *p, const cpd_scenario *s, const char *t,
                             cpd_service sv)
{
    const cpd_deploy_row *r = row(p, s, t, sv);
    assert_int_equal(r->coach, -1);
    assert_non_null(r->reason);
    return r->reason;
}

static const cpd_change *change_of(const cpd_deploy_plan *p, const char *coach_id,
                                   const char *teacher_id)
{
    for (int i = 0; i < p->nchanges; i++)
        if (strcmp(p->changes[i].coach_id, coach_id) == 0 &&
            strcmp(p->changes[i].teacher_id, teacher_id) == 0)
            return &p->changes[i];
    fail_msg("no change %s %s", coach_id, teacher_id);
    return NULL;
}

static void assert_optimal(const cpd_deploy_plan *p, double objective)
{
    assert_int_equal(p->result.status, CPD_SOLVE_OPTIMAL);
    assert_true(fabs(p->result.objective - objective) < 1e-6);
}

/* The errors of cpd_deploy_check, as printed, one per line. */
static char *check_errors(const cpd_scenario *s, cpd_code *code)
{
    cpd_diags *d = cpd_diags_new();
    *code = cpd_deploy_check(s, d);
    char *out = calloc(1, 4096);
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        char buf[512];
        cpd_diag_format(cpd_diags_get(d, i), buf, sizeof buf);
        strcat(out, buf);
        strcat(out, "\n");
    }
    cpd_diags_free(&d);
    return out;
}

/* ---- demands ---- */

static void test_deploy__demands_in_staff_then_service_order(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    teacher(s, "A", 0, "maths", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "B", 0, "maths", CPD_NEED_NONE, true, NULL);
    teacher(s, "N", 0, "maths", CPD_NEED_NONE, false, NULL);
    teacher(s, "C", 0, "maths", CPD_NEED_INTENSIVE, true, NULL);
    cpd_demand *d = NULL;
    int n = cpd_deploy_demands(s, &d);
    assert_int_equal(n, 6);
    int want_t[] = {0, 1, 1, 3, 3, 3};
    cpd_service want_sv[] = {CPD_SERVICE_COACHING, CPD_SERVICE_MENTORING, CPD_SERVICE_SENIOR,
                             CPD_SERVICE_COACHING, CPD_SERVICE_MENTORING, CPD_SERVICE_SENIOR};
    for (int i = 0; i < n; i++) {
        assert_int_equal(d[i].teacher, want_t[i]);
        assert_int_equal(d[i].service, want_sv[i]);
    }
    assert_true(d[0].hours == s->params.need_hours[CPD_NEED_LIGHT]);
    assert_true(d[3].weight == s->params.need_weight[CPD_NEED_INTENSIVE]);
    assert_true(d[1].hours == s->params.service_hours[CPD_SERVICE_MENTORING]);
    assert_true(d[2].weight == s->params.service_weight[CPD_SERVICE_SENIOR]);
    free(d);
    cpd_scenario_free(&s);
}

/* ---- need first, travel ---- */

/* One coach with 3 hours: the intensive need (3 h) beats a light (1 h) and a standard (2 h)
 * together (1000 against 400). */
static void test_deploy__capacity_forces_intensive_first(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 3, "maths", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "T2", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    teacher(s, "T3", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T2", CPD_SERVICE_COACHING), "LP01");
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "-");
    assert_string_equal(coach_of(p, s, "T3", CPD_SERVICE_COACHING), "-");
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING),
                        "no maths coach has hours left: LP01 full");
    assert_optimal(p, 1000 + 20);
    assert_true(p->heuristic_objective <= p->result.objective + 1e-9);
    assert_true(p->loads[0].hours_coaching == 3);
    cpd_deploy_plan_free(&p);
    assert_null(p);
    cpd_scenario_free(&s);
}

/* Two standard needs (2 h each) at a school 30 minutes away: one round trip of 1 h, so 5 h is
 * enough (paying the trip twice, 6 h, would not be). */
static void test_deploy__travel_counted_once_per_school(void **state)
{
    (void)state;
    cpd_scenario *s = trust(2, 30);
    coach(s, "LP01", 0, 5, "maths", COACHING);
    teacher(s, "T1", 1, "maths", CPD_NEED_STANDARD, false, NULL);
    teacher(s, "T2", 1, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP01");
    assert_string_equal(coach_of(p, s, "T2", CPD_SERVICE_COACHING), "LP01");
    assert_true(fabs(p->loads[0].hours_travel - 2.0 * 30 / 60) < 1e-9);
    assert_true(p->loads[0].hours_coaching == 4);
    assert_int_equal(p->loads[0].coachees, 2);
    assert_int_equal(p->loads[0].schools, 1);
    assert_true(row(p, s, "T1", CPD_SERVICE_COACHING)->travel_minutes == 60);
    assert_optimal(p, 2 * (300 + 20) - 0.1 * 60);
    cpd_deploy_plan_free(&p);
    /* 4.9 h: the second need no longer fits with the trip. */
    s->coaches[0].hours = 4.9;
    p = solve(s);
    assert_int_equal((row(p, s, "T1", CPD_SERVICE_COACHING)->coach < 0) +
                         (row(p, s, "T2", CPD_SERVICE_COACHING)->coach < 0),
                     1);
    assert_optimal(p, 300 + 20 - 0.1 * 60);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* A coach based with the trust pays the trust's travel to every school. */
static void test_deploy__trust_based_coach_travels_everywhere(void **state)
{
    (void)state;
    cpd_scenario *s = trust(2, 30);
    s->trust_travel[0] = 15;
    coach(s, "LP01", CPD_TRUST_SCHOOL, 10, "", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_LIGHT, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP01");
    assert_true(row(p, s, "T1", CPD_SERVICE_COACHING)->travel_minutes == 30);
    assert_true(fabs(p->loads[0].hours_travel - 0.5) < 1e-9);
    assert_optimal(p, 100 - 0.1 * 30);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* ---- pins ---- */

static cpd_scenario *two_coaches(void)
{
    cpd_scenario *s = trust(2, 30);
    coach(s, "LP01", 0, 10, "maths", COACHING);
    coach(s, "LP02", 1, 10, "", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    return s;
}

static void test_deploy__must_pin_obeyed_even_when_worse(void **state)
{
    (void)state;
    cpd_scenario *s = two_coaches();
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP01");
    cpd_deploy_plan_free(&p);
    cpd_scenario_add_pin(s, 1, 0, true, 2);
    p = solve(s);
    const cpd_deploy_row *r = row(p, s, "T1", CPD_SERVICE_COACHING);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP02");
    assert_true(r->pinned);
    assert_true(r->travel_minutes == 60);
    assert_optimal(p, 1000 - 0.1 * 60);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__never_pin_obeyed(void **state)
{
    (void)state;
    cpd_scenario *s = two_coaches();
    cpd_scenario_add_pin(s, 0, 0, false, 2);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP02");
    cpd_deploy_plan_free(&p);
    cpd_scenario_add_pin(s, 1, 0, false, 3);
    p = solve(s);
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING),
                        "every maths coach is ruled out by a never pin");
    assert_optimal(p, 0);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__contradicting_must_pins_no_plan(void **state)
{
    (void)state;
    cpd_scenario *s = two_coaches();
    cpd_scenario_add_pin(s, 0, 0, true, 2);
    cpd_scenario_add_pin(s, 1, 0, true, 3);
    cpd_code code;
    char *err = check_errors(s, &code);
    assert_int_equal(code, CPD_ENOPLAN);
    assert_string_equal(err, "pins.csv:3: T1 has two must pins for coaching: LP01 (line 2) and "
                             "LP02 (line 3)\n");
    free(err);
    cpd_deploy_opts o = {.solve = {.time_limit = 5}};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_deploy_solve(s, &o, &p, d), CPD_ENOPLAN);
    assert_null(p);
    assert_int_equal(cpd_diags_errors(d), 1);
    cpd_diags_free(&d);
    cpd_scenario_free(&s);
}

static void test_deploy__must_pin_the_coach_cannot_serve(void **state)
{
    (void)state;
    cpd_scenario *s = trust(2, 30);
    coach(s, "LP03", 0, 10, "maths", COACHING);
    coach(s, "LP04", 0, 2, "", COACHING);
    coach(s, "M01", 0, 4, "music", MENTORING);
    teacher(s, "T112", 0, "music", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "T113", 1, "music", CPD_NEED_INTENSIVE, true, NULL);
    teacher(s, "T114", 0, "music", CPD_NEED_NONE, false, NULL);
    cpd_scenario_add_pin(s, 0, 0, true, 4);
    cpd_scenario_add_pin(s, 1, 1, true, 5);
    cpd_scenario_add_pin(s, 2, 1, true, 6);
    cpd_scenario_add_pin(s, 0, 2, true, 7);
    cpd_scenario_add_pin(s, 0, 0, false, 8);
    cpd_code code;
    char *err = check_errors(s, &code);
    assert_int_equal(code, CPD_ENOPLAN);
    assert_string_equal(
        err, "pins.csv:4: LP03 must coach T112, but LP03 coaches maths and T112 teaches music\n"
             "pins.csv:5: LP04 must coach T113, but LP04 has 2 hours a week and this takes 3 "
             "hours plus a 60-minute round trip\n"
             "pins.csv:6: M01 must mentor T113, but M01 is based at SCH1 and T113's mentor must "
             "be at SCH2\n"
             "pins.csv:7: LP03 must coach T114, but T114 has no need this term\n");
    free(err);
    cpd_scenario_free(&s);
}

/* Must pins each possible alone but together beyond the coach's hours. */
static void test_deploy__must_pins_beyond_hours(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 4, "", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    teacher(s, "T2", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_scenario_add_pin(s, 0, 1, true, 3);
    cpd_scenario_add_pin(s, 0, 0, true, 2);
    cpd_code code;
    char *err = check_errors(s, &code);
    assert_int_equal(code, CPD_ENOPLAN);
    assert_string_equal(err,
                        "pins.csv:2: LP01's must pins need 5 hours a week with travel, but LP01 has 4\n");
    free(err);
    cpd_scenario_free(&s);
}

/* ---- last term ---- */

static void test_deploy__continuity_keeps_previous_coach(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 10, "maths", COACHING);
    coach(s, "LP02", 0, 10, "maths", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_scenario_add_previous(s, 1, 0, "LP02", "T1", 2);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP02");
    assert_true(row(p, s, "T1", CPD_SERVICE_COACHING)->kept_previous);
    assert_int_equal(p->nchanges, 0);
    assert_optimal(p, 300 + 20 + 15);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* LP01 fits better (subject, no travel: 1020) than last term's LP02 (1000 + 15 - 6 = 1009); a
 * pair whose teacher left is a forced change that does not count toward K. */
static void test_deploy__max_changes_zero_keeps_previous_pairs(void **state)
{
    (void)state;
    cpd_scenario *s = two_coaches();
    cpd_scenario_add_previous(s, 1, 0, "LP02", "T1", 2);
    cpd_scenario_add_previous(s, 0, -1, "LP01", "T9", 3);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP01");
    const cpd_change *c = change_of(p, "LP02", "T1");
    assert_string_equal(c->reason, "moved to cover a higher need");
    assert_int_equal(c->new_coach, 0);
    assert_int_equal(p->nchanges, 2);
    assert_optimal(p, 1020);
    cpd_deploy_plan_free(&p);
    s->params.max_changes = 0;
    p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP02");
    assert_true(row(p, s, "T1", CPD_SERVICE_COACHING)->kept_previous);
    assert_int_equal(p->nchanges, 1);
    assert_string_equal(change_of(p, "LP01", "T9")->reason, "teacher left");
    assert_optimal(p, 1009);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* Last term's pairs each still possible, but not together: --max-changes 0 leaves no plan. */
static void test_deploy__max_changes_impossible_no_plan(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 3, "maths", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    teacher(s, "T2", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_scenario_add_previous(s, 0, 0, "LP01", "T1", 2);
    cpd_scenario_add_previous(s, 0, 1, "LP01", "T2", 3);
    s->params.max_changes = 0;
    cpd_code code;
    char *err = check_errors(s, &code);
    assert_int_equal(code, CPD_OK);
    assert_string_equal(err, "");
    free(err);
    cpd_deploy_opts o = {.solve = {.time_limit = 5}};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_deploy_solve(s, &o, &p, d), CPD_ENOPLAN);
    assert_null(p);
    assert_string_equal(cpd_diags_get(d, 0)->msg,
                        "--max-changes 0 cannot be met: last term's pairs that are still possible do "
                        "not fit together this term: LP01 (4 hours with travel, has 3); allow more "
                        "changes");
    cpd_diags_free(&d);
    s->params.max_changes = 1;
    p = solve(s);
    assert_int_equal(p->nchanges, 1);
    assert_optimal(p, 300 + 20 + 15);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__change_reasons(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 10, "maths", COACHING);
    coach(s, "LP02", 0, 1, "maths", COACHING);
    coach(s, "LP03", 0, 10, "english", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "T2", 0, "maths", CPD_NEED_NONE, false, NULL);
    teacher(s, "T3", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    teacher(s, "T4", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_scenario_add_previous(s, 0, -1, "LP01", "T0", 2);
    cpd_scenario_add_previous(s, -1, 0, "LP09", "T1", 3);
    cpd_scenario_add_previous(s, 0, 1, "LP01", "T2", 4);
    cpd_scenario_add_previous(s, 1, 2, "LP02", "T3", 5);
    cpd_scenario_add_previous(s, 2, 3, "LP03", "T4", 6);
    cpd_scenario_add_previous(s, 0, 0, "LP01", "T1", 7);
    cpd_deploy_plan *p = solve(s);
    assert_int_equal(p->nchanges, 5);
    assert_string_equal(change_of(p, "LP01", "T0")->reason, "teacher left");
    assert_string_equal(change_of(p, "LP09", "T1")->reason, "coach left");
    assert_int_equal(change_of(p, "LP09", "T1")->coach, -1);
    assert_string_equal(change_of(p, "LP01", "T2")->reason, "need now none");
    assert_string_equal(change_of(p, "LP02", "T3")->reason, "coach's hours cut");
    assert_string_equal(change_of(p, "LP03", "T4")->reason, "no longer a fit");
    assert_int_equal(change_of(p, "LP02", "T3")->new_coach, 0);
    assert_true(row(p, s, "T1", CPD_SERVICE_COACHING)->kept_previous);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* ---- fit, ECTs, limits, reasons ---- */

static void test_deploy__subject_fit(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "LP01", 0, 10, "maths", COACHING);
    teacher(s, "T1", 0, "english", CPD_NEED_INTENSIVE, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING), "no coach covers english");
    cpd_deploy_plan_free(&p);
    coach_full(s, "LP02", 0, 1, "english;drama", COACHING, 0, 0, "behaviour");
    teacher(s, "T2", 0, "english", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "T3", 0, "english", CPD_NEED_LIGHT, false, "behaviour");
    p = solve(s);
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING),
                        "no english coach has enough hours for it (3 hours a week plus travel)");
    assert_string_equal(coach_of(p, s, "T2", CPD_SERVICE_COACHING), "-");
    assert_string_equal(coach_of(p, s, "T3", CPD_SERVICE_COACHING), "LP02");
    assert_string_equal(reason_of(p, s, "T2", CPD_SERVICE_COACHING),
                        "no english coach has hours left: LP02 full");
    for (int i = 0; i < p->nrows; i++)
        assert_true(p->rows[i].coach != 0);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* Expertise that meets a focus area is worth focus_weight per area. */
static void test_deploy__focus_prefers_expertise(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach_full(s, "LP01", 0, 10, "maths", COACHING, 0, 0, "questioning");
    coach_full(s, "LP02", 0, 10, "maths", COACHING, 0, 0, "behaviour;marking");
    teacher(s, "T1", 0, "maths", CPD_NEED_LIGHT, false, "behaviour;marking;questioning");
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(coach_of(p, s, "T1", CPD_SERVICE_COACHING), "LP02");
    assert_optimal(p, 100 + 20 + 2 * 10);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__mentor_same_school(void **state)
{
    (void)state;
    cpd_scenario *s = trust(2, 30);
    coach(s, "M01", 0, 4, "maths", MENTORING);
    coach(s, "SL01", 0, 2, "", SENIOR);
    teacher(s, "E1", 1, "maths", CPD_NEED_NONE, true, NULL);
    teacher(s, "E2", 0, "music", CPD_NEED_NONE, true, NULL);
    teacher(s, "E3", 0, "maths", CPD_NEED_NONE, true, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(reason_of(p, s, "E1", CPD_SERVICE_MENTORING), "no mentor at SCH2");
    assert_string_equal(reason_of(p, s, "E1", CPD_SERVICE_SENIOR), "no senior leader at SCH2");
    assert_string_equal(reason_of(p, s, "E2", CPD_SERVICE_MENTORING),
                        "no mentor at SCH1 teaches music");
    assert_string_equal(coach_of(p, s, "E3", CPD_SERVICE_MENTORING), "M01");
    assert_string_equal(coach_of(p, s, "E2", CPD_SERVICE_SENIOR), "SL01");
    assert_string_equal(coach_of(p, s, "E3", CPD_SERVICE_SENIOR), "SL01");
    assert_optimal(p, 800 + 2 * 500);
    cpd_deploy_plan_free(&p);
    s->params.mentor_same_school = false;
    p = solve(s);
    assert_string_equal(coach_of(p, s, "E3", CPD_SERVICE_MENTORING), "M01");
    assert_string_equal(coach_of(p, s, "E1", CPD_SERVICE_MENTORING), "M01");
    assert_optimal(p, 2 * 800 - 50 - 0.1 * 60 + 2 * 500); /* the second ECT costs the penalty */
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* A coach who is also on the staff list is never their own coach, and one coach is not both an
 * ECT's mentor and senior leader. */
static void test_deploy__no_self_and_one_role_per_teacher(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach(s, "X1", 0, 10, "", MENTORING | SENIOR);
    teacher(s, "X1", 0, "maths", CPD_NEED_NONE, true, NULL);
    teacher(s, "E1", 0, "maths", CPD_NEED_NONE, true, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_int_equal(row(p, s, "X1", CPD_SERVICE_MENTORING)->coach, -1);
    assert_int_equal(row(p, s, "X1", CPD_SERVICE_SENIOR)->coach, -1);
    assert_string_equal(coach_of(p, s, "E1", CPD_SERVICE_MENTORING), "X1");
    assert_string_equal(reason_of(p, s, "E1", CPD_SERVICE_SENIOR),
                        "no senior leader at SCH1 has room: X1 already works with E1");
    assert_int_equal(p->loads[0].coachees, 1);
    assert_optimal(p, 800);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__max_coachees_respected(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    coach_full(s, "LP01", 0, 10, "maths", COACHING, 2, 0, NULL);
    teacher(s, "T1", 0, "maths", CPD_NEED_LIGHT, false, NULL);
    teacher(s, "T2", 0, "maths", CPD_NEED_STANDARD, false, NULL);
    teacher(s, "T3", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_int_equal(p->loads[0].coachees, 2);
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING),
                        "no maths coach can take another coachee: LP01 at their coachee limit");
    assert_optimal(p, 1300 + 40);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__max_schools_respected(void **state)
{
    (void)state;
    cpd_scenario *s = trust(3, 30);
    set_travel(s, 0, 2, 20);
    coach_full(s, "LP01", 0, 10, "maths", COACHING, 0, 1, NULL);
    teacher(s, "T1", 1, "maths", CPD_NEED_STANDARD, false, NULL);
    teacher(s, "T2", 2, "maths", CPD_NEED_STANDARD, false, NULL);
    cpd_deploy_plan *p = solve(s);
    assert_int_equal(p->loads[0].schools, 1);
    assert_string_equal(coach_of(p, s, "T2", CPD_SERVICE_COACHING), "LP01"); /* nearer */
    assert_string_equal(reason_of(p, s, "T1", CPD_SERVICE_COACHING),
                        "no maths coach can work in another school: LP01 at their school limit");
    assert_optimal(p, 320 - 0.1 * 40);
    cpd_deploy_plan_free(&p);
    /* Working at the base counts as a school too. */
    teacher(s, "T3", 0, "maths", CPD_NEED_INTENSIVE, false, NULL);
    p = solve(s);
    assert_string_equal(coach_of(p, s, "T3", CPD_SERVICE_COACHING), "LP01");
    assert_int_equal(p->loads[0].schools, 1);
    assert_true(p->loads[0].hours_travel == 0);
    assert_optimal(p, 1020);
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

/* "coaches who could take it are used for higher needs" when only another plan would free
 * them; and the list of ids is cut after five. */
static void test_deploy__reason_lists_at_most_five(void **state)
{
    (void)state;
    cpd_scenario *s = trust(1, 30);
    for (int i = 1; i <= 7; i++) {
        char id[16];
        snprintf(id, sizeof id, "LP0%d", i);
        coach(s, id, 0, 2, "maths", COACHING);
    }
    for (int i = 1; i <= 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%d", i);
        teacher(s, id, 0, "maths", i == 8 ? CPD_NEED_LIGHT : CPD_NEED_STANDARD, false, NULL);
    }
    cpd_deploy_plan *p = solve(s);
    assert_string_equal(reason_of(p, s, "T8", CPD_SERVICE_COACHING),
                        "no maths coach has hours left: LP01, LP02, LP03, LP04, LP05 and 2 more full");
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
}

static void test_deploy__export_failure_is_internal(void **state)
{
    (void)state;
    cpd_scenario *s = two_coaches();
    cpd_deploy_opts o = {.solve = {.time_limit = 5}, .export_path = "/nonexistent/dir/model.lp"};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_deploy_solve(s, &o, &p, d), CPD_EINTERNAL);
    assert_null(p);
    assert_int_equal(cpd_diags_errors(d), 1);
    assert_non_null(strstr(cpd_diags_get(d, 0)->msg, "cannot export the model to '/nonexistent/dir/model.lp'"));
    cpd_diags_free(&d);
    cpd_scenario_free(&s);
}

/* ---- random instances: a deterministic LCG ---- */

typedef struct {
    uint64_t x;
} lcg;

static unsigned rnd(lcg *r, unsigned n)
{
    r->x = r->x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((r->x >> 33) % n);
}

static const char *const subjects[] = {"maths", "english", "science", "music"};
static const char *const areas[] = {"behaviour", "questioning", "marking"};

/* A tiny trust: two schools, two coaches, three teachers (at most six demands). */
static cpd_scenario *tiny(lcg *r)
{
    cpd_scenario *s = trust(2, 10 + rnd(r, 31));
    s->trust_travel[0] = 5 + rnd(r, 20);
    s->trust_travel[1] = 5 + rnd(r, 20);
    for (int i = 0; i < 2; i++) {
        char id[16];
        snprintf(id, sizeof id, "C%d", i);
        unsigned provides = COACHING | (rnd(r, 3) == 0 ? MENTORING : 0) | (rnd(r, 4) == 0 ? SENIOR : 0);
        coach_full(s, id, (int)rnd(r, 3) - 1, 2 + rnd(r, 6) * 0.5, rnd(r, 3) ? subjects[rnd(r, 3)] : "",
                   provides, rnd(r, 3) == 0 ? 1 + (int)rnd(r, 2) : 0, rnd(r, 3) == 0 ? 1 : 0,
                   areas[rnd(r, 3)]);
    }
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%d", i);
        teacher(s, id, (int)rnd(r, 2), subjects[rnd(r, 4)], (cpd_need)rnd(r, 4), i == 0 && rnd(r, 2),
                areas[rnd(r, 3)]);
    }
    for (int i = 0; i < 2; i++)
        if (rnd(r, 2))
            cpd_scenario_add_previous(s, i, 1 + i, s->coaches[i].id, s->staff[1 + i].id, 2 + i);
    if (rnd(r, 4) == 0)
        cpd_scenario_add_pin(s, (int)rnd(r, 2), (int)rnd(r, 3), false, 2);
    s->params.max_changes = rnd(r, 3) == 0 ? 0 : -1;
    return s;
}

/* ---- brute force: the rules again, written from the contract, not from the model ---- */

typedef struct {
    int t;
    cpd_service sv;
    double h, w;
} bdemand;

static bool shares(const cpd_strlist *a, const cpd_strlist *b)
{
    for (int i = 0; i < a->n; i++)
        if (cpd_strlist_has(b, a->items[i]))
            return true;
    return false;
}

static double round_trip(const cpd_scenario *s, int c, int school)
{
    int base = s->coaches[c].school;
    if (base == school)
        return 0;
    return 2 * (base < 0 ? s->trust_travel[school] : s->travel[base * s->nschools + school]);
}

static bool is_never(const cpd_scenario *s, int c, int t)
{
    for (int i = 0; i < s->npins; i++)
        if (!s->pins[i].must && s->pins[i].coach == c && s->pins[i].teacher == t)
            return true;
    return false;
}

static bool can_serve(const cpd_scenario *s, int c, const bdemand *d)
{
    const cpd_coach *k = &s->coaches[c];
    const cpd_staff *t = &s->staff[d->t];
    if (!(k->provides & (1u << d->sv)) || strcmp(k->id, t->id) == 0 || is_never(s, c, d->t))
        return false;
    if (d->sv != CPD_SERVICE_SENIOR && s->params.subject_fit_required && k->subjects.n &&
        t->subjects.n && !shares(&k->subjects, &t->subjects))
        return false;
    if (d->sv != CPD_SERVICE_COACHING && k->school != t->school)
        return false;
    return d->h + round_trip(s, c, t->school) / 60 <= k->hours + 1e-9;
}

/* The value of coach c meeting d, travel aside. */
static double pair_value(const cpd_scenario *s, int c, const bdemand *d, const bdemand *all, int nd)
{
    const cpd_coach *k = &s->coaches[c];
    const cpd_staff *t = &s->staff[d->t];
    double v = d->w;
    if (d->sv == CPD_SERVICE_COACHING) {
        v += s->params.subject_weight * (k->subjects.n && shares(&k->subjects, &t->subjects));
        for (int i = 0; i < t->focus.n; i++)
            v += s->params.focus_weight * cpd_strlist_has(&k->expertise, t->focus.items[i]);
    }
    /* continuity: on the teacher's first demand of a service the coach provides */
    const bdemand *first = NULL;
    for (int i = 0; i < nd && !first; i++)
        if (all[i].t == d->t && (k->provides & (1u << all[i].sv)))
            first = &all[i];
    for (int i = 0; i < s->nprevious; i++)
        if (s->previous[i].coach == c && s->previous[i].teacher == d->t && first == d)
            return v + s->params.continuity_weight;
    return v;
}

/* The objective of an assignment (a[i]: coach of demand i or -1), or -HUGE_VAL if it breaks a
 * rule. */
static double evaluate(const cpd_scenario *s, const bdemand *dm, int nd, const int *a, int nP,
                       const int *Pc, const int *Pd)
{
    double obj = 0;
    for (int c = 0; c < s->ncoaches; c++) {
        const cpd_coach *k = &s->coaches[c];
        double hours = 0;
        int people = 0, ments = 0, schools = 0;
        bool at[8] = {false};
        for (int i = 0; i < nd; i++) {
            if (a[i] != c)
                continue;
            for (int j = 0; j < i; j++)
                if (a[j] == c && dm[j].t == dm[i].t)
                    return -HUGE_VAL; /* one role per teacher */
            hours += dm[i].h;
            people++;
            ments += dm[i].sv == CPD_SERVICE_MENTORING;
            obj += pair_value(s, c, &dm[i], dm, nd);
            at[s->staff[dm[i].t].school] = true;
        }
        for (int sc = 0; sc < s->nschools; sc++) {
            if (!at[sc])
                continue;
            schools++;
            hours += round_trip(s, c, sc) / 60;
            obj -= s->params.travel_weight * round_trip(s, c, sc);
        }
        if (hours > k->hours + 1e-9 || (k->max_coachees && people > k->max_coachees) ||
            (k->max_schools && schools > k->max_schools))
            return -HUGE_VAL;
        if (ments > s->params.mentor_soft_max_ects)
            obj -= s->params.ect_extra_penalty * (ments - s->params.mentor_soft_max_ects);
    }
    if (s->params.max_changes >= 0) {
        int kept = 0;
        for (int i = 0; i < nP; i++)
            kept += a[Pd[i]] == Pc[i];
        if (nP - kept > s->params.max_changes)
            return -HUGE_VAL;
    }
    return obj;
}

/* Last term's pairs still possible: (coach, its demand). */
static int previous_pairs(const cpd_scenario *s, const bdemand *dm, int nd, int *Pc, int *Pd)
{
    int n = 0;
    for (int i = 0; i < s->nprevious; i++) {
        int c = s->previous[i].coach, t = s->previous[i].teacher;
        for (int j = 0; j < nd; j++) {
            if (dm[j].t != t || !(s->coaches[c].provides & (1u << dm[j].sv)))
                continue;
            if (can_serve(s, c, &dm[j])) {
                Pc[n] = c;
                Pd[n++] = j;
            }
            break;
        }
    }
    return n;
}

/* The best objective over every assignment; -HUGE_VAL when none keeps the rules. */
static double brute_force(const cpd_scenario *s)
{
    bdemand dm[12];
    int nd = 0;
    for (int t = 0; t < s->nstaff; t++) {
        const cpd_staff *st = &s->staff[t];
        if (st->need != CPD_NEED_NONE)
            dm[nd++] = (bdemand){t, CPD_SERVICE_COACHING, s->params.need_hours[st->need],
                                 s->params.need_weight[st->need]};
        for (int sv = CPD_SERVICE_MENTORING; st->is_ect && sv <= CPD_SERVICE_SENIOR; sv++)
            dm[nd++] = (bdemand){t, (cpd_service)sv, s->params.service_hours[sv],
                                 s->params.service_weight[sv]};
    }
    int Pc[8], Pd[8];
    int nP = previous_pairs(s, dm, nd, Pc, Pd);
    int a[12];
    for (int i = 0; i < nd; i++)
        a[i] = -1;
    double best = -HUGE_VAL;
    for (;;) {
        bool ok = true;
        for (int i = 0; i < nd && ok; i++)
            ok = a[i] < 0 || can_serve(s, a[i], &dm[i]);
        if (ok)
            best = fmax(best, evaluate(s, dm, nd, a, nP, Pc, Pd));
        int i = 0;
        while (i < nd && a[i] == s->ncoaches - 1)
            a[i++] = -1;
        if (i == nd)
            break;
        a[i]++;
    }
    return best;
}

static void test_deploy__optimal_matches_brute_force(void **state)
{
    (void)state;
    lcg r = {12345};
    int solved = 0, no_plan = 0;
    for (int k = 0; k < 40; k++) {
        cpd_scenario *s = tiny(&r);
        double best = brute_force(s);
        cpd_deploy_opts o = {.solve = {.time_limit = 10}};
        cpd_deploy_plan *p = NULL;
        cpd_diags *d = cpd_diags_new();
        cpd_code code = cpd_deploy_solve(s, &o, &p, d);
        if (best == -HUGE_VAL) {
            assert_int_equal(code, CPD_ENOPLAN);
            no_plan++;
        } else {
            assert_int_equal(code, CPD_OK);
            if (fabs(p->result.objective - best) > 1e-6)
                fail_msg("instance %d: model %.4f, brute force %.4f", k, p->result.objective, best);
            assert_int_equal(p->result.status, CPD_SOLVE_OPTIMAL);
            assert_true(p->heuristic_objective <= best + 1e-6);
            if (!isnan(p->lagrangian_bound))
                assert_true(p->lagrangian_bound >= best - 1e-6);
            solved++;
        }
        cpd_deploy_plan_free(&p);
        cpd_diags_free(&d);
        cpd_scenario_free(&s);
    }
    assert_true(solved >= 30);
    (void)no_plan;
}

/* ---- a mid-size trust: 300 staff, 20 coaches, 8 schools ---- */

static cpd_scenario *mid_size(uint64_t seed)
{
    lcg r = {seed};
    cpd_scenario *s = trust(8, 30);
    for (int a = 0; a < 8; a++) {
        s->trust_travel[a] = 10 + rnd(&r, 30);
        for (int b = a + 1; b < 8; b++)
            set_travel(s, a, b, 10 + rnd(&r, 40));
    }
    static const char *const subj[] = {"maths", "english", "science", "history", "geography",
                                       "art", "music", "primary"};
    for (int i = 0; i < 300; i++) {
        char id[16];
        snprintf(id, sizeof id, "S%03d", i);
        unsigned n = rnd(&r, 10);
        cpd_need need = n < 5 ? CPD_NEED_NONE : n < 7 ? CPD_NEED_LIGHT : n < 9 ? CPD_NEED_STANDARD : CPD_NEED_INTENSIVE;
        teacher(s, id, (int)rnd(&r, 8), subj[rnd(&r, 8)], need, rnd(&r, 10) == 0, areas[rnd(&r, 3)]);
    }
    for (int i = 0; i < 20; i++) {
        char id[16], subjects[64] = "";
        snprintf(id, sizeof id, "C%02d", i);
        bool mentor = i >= 12 && i < 17, senior = i >= 17;
        if (!senior && rnd(&r, 4)) {
            strcat(subjects, subj[rnd(&r, 8)]);
            strcat(subjects, ";");
            strcat(subjects, subj[rnd(&r, 8)]);
        }
        unsigned provides = senior ? SENIOR : mentor ? MENTORING | COACHING : COACHING;
        int school = senior || mentor ? (int)rnd(&r, 8) : (int)rnd(&r, 9) - 1;
        double hours = senior ? 2 : mentor ? 2 + rnd(&r, 3) : 6 + rnd(&r, 9);
        coach_full(s, id, school, hours, subjects, provides, rnd(&r, 2) ? 4 + (int)rnd(&r, 6) : 0,
                   rnd(&r, 2) ? 2 + (int)rnd(&r, 2) : 0, areas[rnd(&r, 3)]);
    }
    for (int i = 0; i < 40; i++) {
        int c = (int)rnd(&r, 12), t = (int)rnd(&r, 300);
        cpd_scenario_add_previous(s, c, t, s->coaches[c].id, s->staff[t].id, 2 + i);
    }
    cpd_scenario_add_pin(s, 0, 5, false, 2);
    return s;
}

static void test_deploy__heuristic_plan_feasible_mid_size(void **state)
{
    (void)state;
    cpd_scenario *s = mid_size(7);
    dp_model m;
    dp_model_build(s, &m);
    dp_state *st = dp_state_new(&m);
    assert_true(dp_heuristic(st)); /* its speed is make bench's business, not a test's */
    dp_layout lay;
    cpd_engine *e = dp_build_engine(&m, &lay);
    double *x = calloc((size_t)lay.nvars, sizeof(double));
    dp_state_to_x(st, &lay, x);
    assert_true(cpd_engine_is_feasible(e, x));
    assert_true(fabs(cpd_engine_objective_of(e, x) - st->obj) < 1e-6);
    assert_true(st->obj > 0);
    double heur = st->obj;
    free(x);
    cpd_engine_free(&e);
    dp_layout_free(&lay);
    dp_state_free(&st);
    dp_model_free(&m);
    /* A limit this long never binds (the 5 % gap ends the search), so the plan
       cannot fall behind the heuristic alone however slow the machine is. */
    cpd_deploy_opts o = {.solve = {.time_limit = 300, .gap = 0.05}};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_deploy_solve(s, &o, &p, d), CPD_OK);
    assert_true(p->heuristic_objective >= heur - 1e-6); /* the Lagrangian's rounding may improve it */
    assert_true(p->result.objective >= heur - 1e-6);
    assert_true(p->result.status == CPD_SOLVE_OPTIMAL || p->result.status == CPD_SOLVE_FEASIBLE);
    assert_true(!isnan(p->lagrangian_bound) && p->lagrangian_bound >= p->result.objective - 1e-6);
    cpd_demand *dm = NULL;
    assert_int_equal(p->nrows, cpd_deploy_demands(s, &dm));
    free(dm);
    cpd_deploy_plan_free(&p);
    cpd_diags_free(&d);
    /* With --max-changes 0 the heuristic keeps every previous pair that is still possible. */
    s->params.max_changes = 0;
    dp_model_build(s, &m);
    st = dp_state_new(&m);
    assert_true(dp_heuristic(st));
    assert_true(st->kept >= m.need_kept);
    dp_state_free(&st);
    dp_model_free(&m);
    cpd_scenario_free(&s);
}

/* The Lagrangian bound is never below a proven optimum, max_changes and limits included. */
static void test_deploy__lagrangian_bound_valid(void **state)
{
    (void)state;
    lcg r = {99};
    for (int k = 0; k < 25; k++) {
        cpd_scenario *s = tiny(&r);
        double best = brute_force(s);
        if (best == -HUGE_VAL) {
            cpd_scenario_free(&s);
            continue;
        }
        dp_model m;
        dp_model_build(s, &m);
        double lb = dp_lagrangian_bound(&m, best, 5, 300, NULL, NULL, NULL);
        if (lb < best - 1e-6)
            fail_msg("instance %d: bound %.4f below optimum %.4f", k, lb, best);
        dp_model_free(&m);
        cpd_scenario_free(&s);
    }
    /* A must pin makes the optimum worse; the bound (which drops the pin) stays above it. */
    cpd_scenario *s = two_coaches();
    cpd_scenario_add_pin(s, 1, 0, true, 2);
    dp_model m;
    dp_model_build(s, &m);
    assert_true(dp_lagrangian_bound(&m, 994, 5, 300, NULL, NULL, NULL) >= 994 - 1e-6);
    dp_model_free(&m);
    cpd_scenario_free(&s);
}

/* ---- the per-coach knapsack, the column master and tight time limits ---- */

/* The best subset of coach c's pairs at values r, by enumeration: hours with travel once per
 * school, people and schools within the coach's limits (one role per teacher is the caller's
 * concern, as in the knapsack). */
static double brute_coach(const dp_model *m, int c, const double *r)
{
    const cpd_coach *k = &m->s->coaches[c];
    int first = m->cstart[c], n = m->cstart[c + 1] - first;
    double best = 0;
    for (unsigned mask = 1; mask < (1u << n); mask++) {
        double hours = 0, v = 0;
        int people = 0, schools = 0;
        bool at[8] = {false};
        for (int i = 0; i < n; i++) {
            if (!(mask & (1u << i)))
                continue;
            const dp_pair *q = &m->pairs[first + i];
            hours += q->hours;
            v += r[first + i];
            people++;
            if (!at[q->school]) {
                at[q->school] = true;
                schools++;
                hours += dp_rt(m, c, q->school);
                v -= dp_tcost(m, c, q->school);
            }
        }
        if (hours > k->hours + 1e-9 || (k->max_coachees > 0 && people > k->max_coachees) ||
            (k->max_schools > 0 && schools > k->max_schools))
            continue;
        best = fmax(best, v);
    }
    return best;
}

static void test_deploy__knapsack_matches_brute_force(void **state)
{
    (void)state;
    lcg r = {4242};
    int checked = 0;
    for (int k = 0; k < 40; k++) {
        cpd_scenario *s = tiny(&r);
        s->coaches[0].max_coachees = 1 + (int)rnd(&r, 3);
        s->coaches[1].max_schools = 1;
        dp_model m;
        dp_model_build(s, &m);
        dp_knap *kn = dp_knap_new(&m, dp_exact_unit(&m));
        double *val = calloc((size_t)m.npairs + 1, sizeof(double));
        int *out = calloc((size_t)m.npairs + 1, sizeof(int));
        for (int p = 0; p < m.npairs; p++)
            val[p] = (double)rnd(&r, 400) - 100; /* some not worth taking */
        for (int c = 0; c < m.nc; c++) {
            double v, sum = 0;
            int n = dp_knap_solve(kn, c, val, out, &v);
            double want = brute_coach(&m, c, val);
            if (fabs(v - want) > 1e-6)
                fail_msg("instance %d coach %d: knapsack %.4f, enumeration %.4f", k, c, v, want);
            /* the set returned is worth what the knapsack says */
            bool at[8] = {false};
            for (int i = 0; i < n; i++) {
                const dp_pair *q = &m.pairs[out[i]];
                assert_int_equal(q->coach, c);
                sum += val[out[i]];
                if (!at[q->school])
                    sum -= dp_tcost(&m, c, q->school);
                at[q->school] = true;
            }
            assert_true(fabs(sum - v) < 1e-6);
            checked++;
        }
        free(val);
        free(out);
        dp_knap_free(&kn);
        assert_null(kn);
        dp_model_free(&m);
        cpd_scenario_free(&s);
    }
    assert_true(checked >= 80);
}

/* The master recombines the Lagrangian's coach schedules with the plan's own: its plan keeps
 * every rule and is never worse than the plan it started from. */
static void test_deploy__master_never_worse_than_start(void **state)
{
    (void)state;
    cpd_scenario *s = mid_size(11);
    dp_model m;
    dp_model_build(s, &m);
    dp_state *st = dp_state_new(&m), *out = dp_state_new(&m);
    assert_true(dp_heuristic(st));
    dp_pool *pool = dp_pool_new(&m, 100000);
    double *lambda = calloc((size_t)m.ndem + 1, sizeof(double));
    dp_lagr_opts o = {.target = st->obj, .max_iter = 200, .seconds = 30, .lambda = lambda,
                      .pool = pool};
    double lb = dp_lagrangian(&m, &o);
    assert_true(lb >= st->obj - 1e-6);
    assert_true(dp_pool_size(pool) > 0);
    for (int d = 0; d < m.ndem; d++)
        assert_true(lambda[d] >= 0);
    dp_pool_add_state(pool, st);
    assert_true(dp_pool_solve(pool, out, 10));
    assert_true(dp_state_feasible(out));
    assert_true(out->obj >= st->obj - 1e-6);
    assert_true(fabs(dp_state_objective(out) - out->obj) < 1e-6);
    assert_true(out->obj <= lb + 1e-6);
    free(lambda);
    dp_pool_free(&pool);
    assert_null(pool);
    dp_state_free(&st);
    dp_state_free(&out);
    dp_model_free(&m);
    cpd_scenario_free(&s);
}

/* A pool keeps a schedule once, and only one that keeps the coach's rules. */
static void test_deploy__pool_keeps_valid_schedules_once(void **state)
{
    (void)state;
    cpd_scenario *s = trust(2, 30);
    coach(s, "LP1", 0, 3, "maths", COACHING);
    teacher(s, "T1", 0, "maths", CPD_NEED_STANDARD, false, NULL); /* 2 h */
    teacher(s, "T2", 1, "maths", CPD_NEED_LIGHT, false, NULL);    /* 1 h + 1 h travel */
    dp_model m;
    dp_model_build(s, &m);
    assert_int_equal(m.npairs, 2);
    dp_pool *pool = dp_pool_new(&m, 10);
    int both[] = {0, 1}, one[] = {0};
    dp_pool_add(pool, 0, one, 1);
    dp_pool_add(pool, 0, one, 1);
    assert_int_equal(dp_pool_size(pool), 1);
    /* 2 + 1 + 1 hours > 3: the least valuable pair (T2's) leaves, which repeats {T1} */
    dp_pool_add(pool, 0, both, 2);
    assert_int_equal(dp_pool_size(pool), 1);
    dp_pool_free(&pool);
    dp_model_free(&m);
    cpd_scenario_free(&s);
}

/* A generated trust far too big for a tiny time limit still gets a plan that keeps every rule,
 * with a valid bound. */
static void test_deploy__tiny_time_limit_large_trust(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(1200, 24, 3);
    cpd_deploy_opts o = {.solve = {.time_limit = 0.3}};
    cpd_deploy_plan *p = NULL;
    cpd_diags *d = cpd_diags_new();
    assert_int_equal(cpd_deploy_solve(s, &o, &p, d), CPD_OK);
    assert_true(p->result.status == CPD_SOLVE_FEASIBLE || p->result.status == CPD_SOLVE_OPTIMAL);
    assert_true(p->result.objective > 0);
    assert_true(p->result.has_bound && p->result.bound >= p->result.objective - 1e-6);
    int met = 0;
    for (int i = 0; i < p->nrows; i++)
        met += p->rows[i].coach >= 0;
    assert_true(met > 0);
    assert_int_equal(cpd_verify_deploy(s, p, d), 0);
    cpd_deploy_plan_free(&p);
    cpd_diags_free(&d);
    cpd_scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test(test_deploy__##name)
        T(demands_in_staff_then_service_order),
        T(capacity_forces_intensive_first),
        T(travel_counted_once_per_school),
        T(trust_based_coach_travels_everywhere),
        T(must_pin_obeyed_even_when_worse),
        T(never_pin_obeyed),
        T(contradicting_must_pins_no_plan),
        T(must_pin_the_coach_cannot_serve),
        T(must_pins_beyond_hours),
        T(continuity_keeps_previous_coach),
        T(max_changes_zero_keeps_previous_pairs),
        T(max_changes_impossible_no_plan),
        T(change_reasons),
        T(subject_fit),
        T(focus_prefers_expertise),
        T(mentor_same_school),
        T(no_self_and_one_role_per_teacher),
        T(max_coachees_respected),
        T(max_schools_respected),
        T(reason_lists_at_most_five),
        T(export_failure_is_internal),
        T(optimal_matches_brute_force),
        T(heuristic_plan_feasible_mid_size),
        T(lagrangian_bound_valid),
        T(knapsack_matches_brute_force),
        T(master_never_worse_than_start),
        T(pool_keeps_valid_schedules_once),
        T(tiny_time_limit_large_trust),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
