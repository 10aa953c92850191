/* test_psplib.c — PSPLIB single-mode RCPSP through the onboard job: io/cpd_psplib.c reads an .sm
 * file into a programme (jobs, people per unit of resource, successors, the makespan objective,
 * free half-day starts), its errors name file and line, and cpd_onboard_solve reaches the known
 * optimal makespans of a handful of j30 instances (tests/data/psplib), proving them in plain
 * builds. Under ASan two of them; under valgrind only the one the critical path proves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_onboard.h"
#include "cpd_onboard_io.h"
#include "cpd_psplib.h"
#include "test_util.h"

#define DATA "tests/data/psplib/"


static const cpd_activity *activity(const cpd_onboard *p, const char *id)
{
    for (int i = 0; i < p->nactivities; i++)
        if (strcmp(p->activities[i].id, id) == 0)
            return &p->activities[i];
    return NULL;
}

static void test_psplib__reads_instance(void **state)
{
    (void)state;
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(DATA "j301_1.sm", d);
    assert_non_null(p);
    assert_int_equal(cpd_diags_len(d), 0);
    assert_int_equal(p->nactivities, 30);     /* the two dummies left out */
    assert_int_equal(p->nresources, 12 + 13 + 4 + 12);
    assert_int_equal(p->params.objective, CPD_OB_OBJ_MAKESPAN);
    assert_false(p->params.morning_starts);
    assert_int_equal(p->params.ndays, 79);    /* horizon 158 half-days */
    const cpd_activity *j2 = activity(p, "j2"), *j5 = activity(p, "j5");
    assert_non_null(j2);
    assert_int_equal(j2->duration, 8);
    assert_int_equal(j2->nneeds, 1);
    assert_string_equal(j2->needs[0].roles.items[0], "r1");
    assert_int_equal(j2->needs[0].count, 4);
    assert_int_equal(j2->nafter, 0);          /* after the source only */
    assert_non_null(j5);
    assert_int_equal(j5->nafter, 1);
    assert_string_equal(p->activities[j5->after[0]].id, "j4");
    cpd_onboard_free(&p);
    cpd_diags_free(&d);
}

/* The first diagnostic, formatted. */
static void first_diag(const char *path, char *buf, size_t len)
{
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(path, d);
    assert_null(p);
    assert_true(cpd_diags_errors(d) >= 1);
    cpd_diag_format(cpd_diags_get(d, 0), buf, len);
    cpd_diags_free(&d);
}

static void test_psplib__bad_files(void **state)
{
    (void)state;
    char dir[256], path[512], msg[512];
    assert_true(tu_mkdtemp(dir, sizeof dir, "cpd-psplib"));
    snprintf(path, sizeof path, "%s/none.sm", dir);
    first_diag(path, msg, sizeof msg);
    assert_non_null(strstr(msg, "none.sm: cannot read the file"));

    static const char five[] = "jobs (incl. supersource/sink ):  3\nhorizon : 5\n"
                               "  - renewable                 :  5   R\n";
    tu_put(dir, "five.sm", five, strlen(five));
    snprintf(path, sizeof path, "%s/five.sm", dir);
    first_diag(path, msg, sizeof msg);
    assert_non_null(strstr(msg, "five.sm:3: expected '- renewable : N' with 0 <= N <= 4"));

    static const char cut[] = "jobs (incl. supersource/sink ):  3\nhorizon : 5\n"
                              "  - renewable : 1 R\n  - nonrenewable : 0 N\n  - doubly constrained : 0 D\n"
                              "PRECEDENCE RELATIONS:\njobnr. #modes #successors successors\n"
                              "   1 1 1 2\n   2 1 2 3\n";
    tu_put(dir, "cut.sm", cut, strlen(cut));
    snprintf(path, sizeof path, "%s/cut.sm", dir);
    first_diag(path, msg, sizeof msg);
    assert_non_null(strstr(msg, "cut.sm:9: expected 'jobnr. 1 #successors successors...' (single mode)"));
    tu_rm_rf(dir);
}

/* psplib2csv's path: saved as a scenario folder and loaded back, the makespan settings kept;
 * a wrong objective is an error naming the key. */
static void test_psplib__save_and_load(void **state)
{
    (void)state;
    char dir[256], msg[512];
    assert_true(tu_mkdtemp(dir, sizeof dir, "cpd-psplib-io"));
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(DATA "j302_3.sm", d);
    assert_non_null(p);
    assert_true(cpd_save_onboard(dir, p, d));
    cpd_onboard *q = cpd_load_onboard(dir, d);
    assert_non_null(q);
    assert_int_equal(q->params.objective, CPD_OB_OBJ_MAKESPAN);
    assert_false(q->params.morning_starts);
    assert_int_equal(q->nactivities, p->nactivities);
    assert_int_equal(q->nresources, p->nresources);
    cpd_onboard_free(&q);
    char *text = tu_read(dir, "scenario.json", NULL);
    assert_non_null(text);
    char *at = strstr(text, "\"makespan\"");
    assert_non_null(at);
    memcpy(at, "\"shortest\"", 10);
    tu_put(dir, "scenario.json", text, strlen(text));
    free(text);
    cpd_diags *e = cpd_diags_new();
    assert_null(cpd_load_onboard(dir, e));
    bool found = false;
    for (size_t i = 0; i < cpd_diags_len(e); i++) {
        cpd_diag_format(cpd_diags_get(e, i), msg, sizeof msg);
        found |= strstr(msg, "onboard.objective must be \"programme\" or \"makespan\"") != NULL;
    }
    assert_true(found);
    cpd_diags_free(&e);
    cpd_onboard_free(&p);
    cpd_diags_free(&d);
    tu_rm_rf(dir);
}

/* Solves one instance: the known optimum must be reached, the bound must not pass it, and it
 * must be proven (plain builds). */
static void solve_instance(const char *file, int optimum)
{
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(file, d);
    assert_non_null(p);
    cpd_onboard_opts o = {.solve = {.time_limit = tu_slow_build() ? 60 : 10}};
    cpd_onboard_plan *pl = NULL;
    assert_int_equal(cpd_onboard_solve(p, &o, &pl, d), CPD_OK);
    int makespan = 0;
    for (int j = 0; j < pl->ntasks; j++) {
        assert_true(pl->tasks[j].start >= 0);
        if (pl->tasks[j].start + pl->tasks[j].duration > makespan)
            makespan = pl->tasks[j].start + pl->tasks[j].duration;
    }
    assert_int_equal(makespan, optimum);
    assert_true(pl->result.objective == optimum);
    assert_true(pl->result.bound <= optimum + 1e-9);
    assert_true(cpd_onboard_cost(p, pl->tasks, pl->ntasks) == optimum);
    if (!RUNNING_ON_VALGRIND)
        assert_int_equal(pl->result.status, CPD_SOLVE_OPTIMAL);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
    cpd_diags_free(&d);
}

/* The critical path is the optimum: proven without the LP. */
static void test_psplib__critical_path_optimum(void **state)
{
    (void)state;
    solve_instance(DATA "j302_3.sm", 43);
}

/* Proven by the pooled model asking for a plan one period shorter. */
static void test_psplib__known_optima(void **state)
{
    (void)state;
    if (RUNNING_ON_VALGRIND)
        skip();
    solve_instance(DATA "j301_1.sm", 43);
    if (TU_SANITIZED)
        return;
    solve_instance(DATA "j301_5.sm", 39);
    solve_instance(DATA "j3017_8.sm", 61);
}

/* When leaving a job out costs less than the best plan (w_unplaced 0.5, 30 jobs: 15 for leaving
 * all out, against a makespan of 43), "no plan placing every job ends sooner" proves nothing:
 * the bound stays at or below what leaving every job out costs. */
static void test_psplib__cheap_unplaced_no_false_proof(void **state)
{
    (void)state;
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(DATA "j301_1.sm", d);
    assert_non_null(p);
    p->params.w_unplaced = 0.5;
    cpd_onboard_opts o = {.solve = {.time_limit = tu_slow_build() ? 60 : 10}};
    cpd_onboard_plan *pl = NULL;
    assert_int_equal(cpd_onboard_solve(p, &o, &pl, d), CPD_OK);
    assert_true(pl->result.bound <= 0.5 * pl->ntasks + 1e-9);
    assert_true(pl->result.bound <= pl->result.objective + 1e-9);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
    cpd_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_psplib__reads_instance),
        cmocka_unit_test(test_psplib__bad_files),
        cmocka_unit_test(test_psplib__save_and_load),
        cmocka_unit_test(test_psplib__critical_path_optimum),
        cmocka_unit_test(test_psplib__known_optima),
        cmocka_unit_test(test_psplib__cheap_unplaced_no_false_proof),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
