/* test_onboard_prop.c — the makespan's propagation (model/onboard_prop.c) on tiny hand-made
 * PSPLIB instances, where what it must prove or drop is known, and on real j30 instances, where
 * it must cut no optimal plan. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_generate.h"
#include "cpd_onboard.h"
#include "cpd_psplib.h"
#include "onboard_internal.h"
#include "test_util.h"

#include <valgrind/valgrind.h>

#define DATA "tests/data/psplib/"

/* A single-mode instance with one renewable resource of capacity cap: n real jobs (2 .. n + 1
 * in the file) with durations dur[] and demands dem[]; succ[j] is the file's number of real
 * job j's one successor (0: the sink), so chains can be written. */
static void write_sm(const char *path, int n, const int *dur, const int *dem, const int *succ, int cap)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "jobs (incl. supersource/sink ):  %d\nhorizon                       :  40\n", n + 2);
    fprintf(f, "RESOURCES\n  - renewable                 :  1   R\n  - nonrenewable              :  0   N\n"
               "  - doubly constrained        :  0   D\n");
    fprintf(f, "PRECEDENCE RELATIONS:\njobnr.    #modes  #successors   successors\n   1        1          %d ", n);
    for (int j = 0; j < n; j++)
        fprintf(f, " %d", j + 2);
    fprintf(f, "\n");
    for (int j = 0; j < n; j++)
        fprintf(f, "   %d        1          1           %d\n", j + 2, succ[j] > 0 ? succ[j] : n + 2);
    fprintf(f, "   %d        1          0\n", n + 2);
    fprintf(f, "REQUESTS/DURATIONS:\njobnr. mode duration  R 1\n----------\n  1      1     0       0\n");
    for (int j = 0; j < n; j++)
        fprintf(f, "  %d      1     %d       %d\n", j + 2, dur[j], dem[j]);
    fprintf(f, "  %d      1     0       0\n", n + 2);
    fprintf(f, "RESOURCEAVAILABILITIES:\n  R 1\n   %d\n", cap);
    fclose(f);
}

/* The instance's model capped at horizon and propagated; the result of the propagation. */
static bool propagate_at(cpd_onboard *p, int horizon, ob_model *m)
{
    ob_model_build(p, m);
    ob_model_cap(m, horizon);
    return ob_model_propagate(m);
}

static cpd_onboard *read_sm(const char *path)
{
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(path, d);
    assert_non_null(p);
    assert_int_equal(cpd_diags_len(d), 0);
    cpd_diags_free(&d);
    return p;
}

/* The index of the task of job "jK" in the model. */
static int task_of(const ob_model *m, const cpd_onboard *p, const char *id)
{
    for (int j = 0; j < m->T; j++)
        if (strcmp(p->activities[m->tasks[j].activity].id, id) == 0)
            return j;
    fail_msg("no task %s", id);
    return -1;
}

/* Two jobs of 4 periods each needing both units of the resource: 8 periods at least. Capped at
 * 7, both must run over period 3 (their compulsory parts [3, 4)), which time-tabling sees. */
static void test_onboard_prop__timetable_proves_cap(void **state)
{
    (void)state;
    char dir[64], path[96];
    assert_true(tu_mkdtemp(dir, sizeof dir, "cpd-prop"));
    snprintf(path, sizeof path, "%s/two.sm", dir);
    write_sm(path, 2, (int[]){4, 4}, (int[]){2, 2}, (int[]){0, 0}, 2);
    cpd_onboard *p = read_sm(path);
    ob_model m;
    assert_false(propagate_at(p, 7, &m));
    ob_model_free(&m);
    assert_true(propagate_at(p, 8, &m)); /* one after the other */
    for (int j = 0; j < m.T; j++) {
        assert_true(ob_start_index(&m, j, 0) >= 0);
        assert_true(ob_start_index(&m, j, 4) >= 0);
    }
    ob_model_free(&m);
    cpd_onboard_free(&p);
    tu_rm_rf(dir);
}

/* Capped at 6: j2 (4 periods, both units) starts in 0 .. 2, so it surely runs over [2, 4);
 * j3 (2 periods, one unit) cannot share those periods with it, so of its starts 0 .. 4 only 0
 * and 4 are left. */
static void test_onboard_prop__timetable_tightens_window(void **state)
{
    (void)state;
    char dir[64], path[96];
    assert_true(tu_mkdtemp(dir, sizeof dir, "cpd-prop"));
    snprintf(path, sizeof path, "%s/win.sm", dir);
    write_sm(path, 2, (int[]){4, 2}, (int[]){2, 1}, (int[]){0, 0}, 2);
    cpd_onboard *p = read_sm(path);
    ob_model m;
    ob_model_build(p, &m);
    ob_model_cap(&m, 6);
    int j3 = task_of(&m, p, "j3"), j2 = task_of(&m, p, "j2");
    assert_int_equal(m.hstart[j3 + 1] - m.hstart[j3], 5);
    assert_true(ob_model_propagate(&m));
    assert_int_equal(m.hstart[j3 + 1] - m.hstart[j3], 2);
    assert_int_equal(m.hs[m.hstart[j3]], 0);
    assert_int_equal(m.hs[m.hstart[j3] + 1], 4);
    assert_int_equal(m.hs[m.hstart[j2]], 0); /* j2 keeps its first and last start */
    assert_int_equal(m.hs[m.hstart[j2 + 1] - 1], 2);
    ob_model_free(&m);
    cpd_onboard_free(&p);
    tu_rm_rf(dir);
}

/* A chain j2 -> j3 -> j4 of 3, 2 and 4 periods capped at 10: heads and tails leave j3 the starts
 * 3 .. 4 (after 3 periods of j2, before 4 of j4). */
static void test_onboard_prop__precedence_window(void **state)
{
    (void)state;
    char dir[64], path[96];
    assert_true(tu_mkdtemp(dir, sizeof dir, "cpd-prop"));
    snprintf(path, sizeof path, "%s/chain.sm", dir);
    write_sm(path, 3, (int[]){3, 2, 4}, (int[]){1, 1, 1}, (int[]){3, 4, 0}, 1);
    cpd_onboard *p = read_sm(path);
    ob_model m;
    assert_true(propagate_at(p, 10, &m));
    int j3 = task_of(&m, p, "j3");
    assert_int_equal(m.hstart[j3 + 1] - m.hstart[j3], 2);
    assert_int_equal(m.hs[m.hstart[j3]], 3);
    ob_model_free(&m);
    assert_false(propagate_at(p, 8, &m));
    ob_model_free(&m);
    cpd_onboard_free(&p);
    tu_rm_rf(dir);
}

/* Real instances: an optimal plan (the solver's, proven) keeps every start at the optimum, and
 * one period less is proven impossible (as it is for these). */
static void check_instance(const char *file, int optimum)
{
    cpd_onboard *p = read_sm(file);
    cpd_diags *d = cpd_diags_new();
    cpd_onboard_opts o = {.solve = {.time_limit = 60}};
    cpd_onboard_plan *pl = NULL;
    assert_int_equal(cpd_onboard_solve(p, &o, &pl, d), CPD_OK);
    assert_true(pl->result.objective == optimum);
    ob_model m;
    assert_true(propagate_at(p, optimum, &m));
    for (int j = 0; j < m.T; j++) {
        assert_true(m.hstart[j] < m.hstart[j + 1]);
        assert_int_equal(m.tasks[j].activity, pl->tasks[j].activity);
        assert_true(ob_start_index(&m, j, pl->tasks[j].start) >= 0);
    }
    ob_model_free(&m);
    assert_false(propagate_at(p, optimum - 1, &m));
    ob_model_free(&m);
    cpd_onboard_plan_free(&pl);
    cpd_diags_free(&d);
    cpd_onboard_free(&p);
}

static void test_onboard_prop__keeps_optimal_plans(void **state)
{
    (void)state;
    check_instance(DATA "j302_3.sm", 43);
    if (RUNNING_ON_VALGRIND)
        return;
    check_instance(DATA "j301_1.sm", 43);
    check_instance(DATA "j301_5.sm", 39);
    check_instance(DATA "j3017_8.sm", 61);
}

/* A generated programme (people away, staff in sessions, cover, several roles) with the
 * makespan objective: the solver's plan, every task placed, keeps every start once its own
 * makespan caps the model and propagation has run. */
static void test_onboard_prop__keeps_generated_plans(void **state)
{
    (void)state;
    for (unsigned long seed = 1; seed <= 2; seed++) {
        cpd_onboard *p = cpd_generate_onboard(40, 1, seed);
        p->params.objective = CPD_OB_OBJ_MAKESPAN;
        cpd_diags *d = cpd_diags_new();
        cpd_onboard_opts o = {.solve = {.time_limit = 5}};
        cpd_onboard_plan *pl = NULL;
        assert_int_equal(cpd_onboard_solve(p, &o, &pl, d), CPD_OK);
        int makespan = 0;
        for (int j = 0; j < pl->ntasks; j++) {
            assert_true(pl->tasks[j].start >= 0);
            if (pl->tasks[j].start + pl->tasks[j].duration > makespan)
                makespan = pl->tasks[j].start + pl->tasks[j].duration;
        }
        ob_model m;
        assert_true(propagate_at(p, makespan, &m));
        assert_int_equal(m.T, pl->ntasks);
        for (int j = 0; j < m.T; j++)
            assert_true(ob_start_index(&m, j, pl->tasks[j].start) >= 0);
        ob_model_free(&m);
        cpd_onboard_plan_free(&pl);
        cpd_diags_free(&d);
        cpd_onboard_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_onboard_prop__timetable_proves_cap),
        cmocka_unit_test(test_onboard_prop__timetable_tightens_window),
        cmocka_unit_test(test_onboard_prop__precedence_window),
        cmocka_unit_test(test_onboard_prop__keeps_optimal_plans),
        cmocka_unit_test(test_onboard_prop__keeps_generated_plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
