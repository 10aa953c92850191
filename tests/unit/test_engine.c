/* test_engine.c — the GLPK engine: known optima, statuses, plans fed in, bounds, gaps, export. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_engine.h"
#include "cpd_engine_impl.h"

#include <glpk.h> /* only for the guard test, which must make GLPK fail */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

/* Knapsack: values 10 13 7 8 9, weights 5 6 3 4 5. Capacity 12: maximum 25 (items 0, 2, 3), LP
 * bound 26 (fractional: GLPK must branch); as a cover (weight >= 10) the minimum is 19 (items
 * 0, 4). */
static const double kv[] = {10, 13, 7, 8, 9};
static const double kw[] = {5, 6, 3, 4, 5};

static cpd_engine *knapsack(cpd_sense sense, cpd_row_kind kind, double rhs, const char **names)
{
    cpd_engine *e = cpd_engine_new("knap", sense);
    int var[5];
    for (int j = 0; j < 5; j++)
        var[j] = cpd_engine_add_var(e, names ? names[j] : NULL, CPD_VAR_BINARY, 0, 1, kv[j]);
    cpd_engine_add_row(e, "cap", 5, var, kw, kind, rhs);
    return e;
}

static cpd_engine *knap_max(void) { return knapsack(CPD_MAXIMIZE, CPD_ROW_LE, 12, NULL); }

static cpd_solve_opts opts(double time_limit, double gap)
{
    return (cpd_solve_opts){.time_limit = time_limit, .gap = gap, .progress = false};
}

static void assert_values(const cpd_engine *e, const double *want, size_t n)
{
    for (size_t j = 0; j < n; j++)
        assert_float_equal(cpd_engine_value(e, (int)j), want[j], 1e-9);
}

/* A generalised assignment instance (type C style: capacity tight * the mean load; 0.8 as in
 * OR-Library), from a fixed linear congruential generator: every job to one agent, agents'
 * capacity. */
static unsigned lcg(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static cpd_engine *gap_instance(int m, int n, unsigned seed, cpd_sense sense, double tight)
{
    cpd_engine *e = cpd_engine_new("gap", sense);
    double *w = malloc(sizeof(double) * (size_t)(m * n));
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            char name[32];
            snprintf(name, sizeof name, "x[%d,%d]", i, j);
            cpd_engine_add_var(e, name, CPD_VAR_BINARY, 0, 1, 15 + lcg(&seed) % 11);
            w[i * n + j] = 5 + lcg(&seed) % 21;
        }
    int *var = malloc(sizeof(int) * (size_t)(m > n ? m : n));
    double *one = malloc(sizeof(double) * (size_t)m), *coef = malloc(sizeof(double) * (size_t)n);
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            var[i] = i * n + j;
            one[i] = 1.0;
        }
        cpd_engine_add_row(e, NULL, (size_t)m, var, one, CPD_ROW_EQ, 1.0);
    }
    for (int i = 0; i < m; i++) {
        double load = 0.0;
        for (int j = 0; j < n; j++) {
            var[j] = i * n + j;
            coef[j] = w[i * n + j];
            load += coef[j];
        }
        cpd_engine_add_row(e, NULL, (size_t)n, var, coef, CPD_ROW_LE, floor(tight * load / m));
    }
    free(w);
    free(var);
    free(one);
    free(coef);
    return e;
}

/* A harder instance, OR-Library type D style: weights 1..100, costs falling as weights rise
 * (111 - w + noise in -10..10, or 200 minus that as values to maximise), capacity 80% of the
 * mean load. 10 x 60 is not solved in 5 s. */
static cpd_engine *gap_d(int m, int n, unsigned seed)
{
    cpd_engine *e = cpd_engine_new("gapd", CPD_MAXIMIZE);
    double *w = malloc(sizeof(double) * (size_t)(m * n));
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            w[i * n + j] = 1 + lcg(&seed) % 100;
            double cost = 111 - w[i * n + j] + (double)(lcg(&seed) % 21) - 10;
            cpd_engine_add_var(e, NULL, CPD_VAR_BINARY, 0, 1, 200 - cost);
        }
    int *var = malloc(sizeof(int) * (size_t)(m + n));
    double *coef = malloc(sizeof(double) * (size_t)(m + n));
    for (int j = 0; j < n; j++) {
        for (int i = 0; i < m; i++) {
            var[i] = i * n + j;
            coef[i] = 1.0;
        }
        cpd_engine_add_row(e, NULL, (size_t)m, var, coef, CPD_ROW_EQ, 1.0);
    }
    for (int i = 0; i < m; i++) {
        double load = 0.0;
        for (int j = 0; j < n; j++) {
            var[j] = i * n + j;
            coef[j] = w[i * n + j];
            load += coef[j];
        }
        cpd_engine_add_row(e, NULL, (size_t)n, var, coef, CPD_ROW_LE, floor(0.8 * load / m));
    }
    free(w);
    free(var);
    free(coef);
    return e;
}

/* Sets as start the first plan GLPK finds (a 100% gap target stops there), so that a timed
 * solve has a plan however slow the machine (sanitizers, valgrind). */
static void set_first_plan_as_start(cpd_engine *e)
{
    cpd_solve_opts first = opts(0, 1.0);
    cpd_solve_result r = cpd_engine_solve(e, &first);
    assert_true(r.status == CPD_SOLVE_OPTIMAL || r.status == CPD_SOLVE_FEASIBLE);
    size_t n = cpd_engine_nvars(e);
    double *x = malloc(n * sizeof *x);
    for (size_t j = 0; j < n; j++)
        x[j] = cpd_engine_value(e, (int)j);
    cpd_engine_set_start(e, x);
    free(x);
}

/* Runs cmd; the first line of its output that contains key, parsed after the first '=' or ':'
 * following key. */
static bool run_for_value(const char *cmd, const char *out, const char *key, double *v)
{
    if (system(cmd) != 0)
        return false;
    FILE *f = fopen(out, "r");
    if (!f)
        return false;
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, f)) {
        char *k = strstr(line, key);
        if (!k)
            continue;
        char *p = strpbrk(k + strlen(key), "=:");
        found = p && sscanf(p + 1, "%lf", v) == 1;
    }
    fclose(f);
    return found;
}

static bool have(const char *prog)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

static char *tmp_path(char *buf, size_t len, const char *suffix)
{
    snprintf(buf, len, "/tmp/test_engine_%ld%s", (long)getpid(), suffix);
    return buf;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* ---- known optima ---- */

static void test_engine__knapsack_max(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_string_equal(cpd_solve_status_name(r.status), "optimal");
    assert_float_equal(r.objective, 25, 1e-9);
    assert_true(r.has_bound);
    assert_float_equal(r.bound, 25, 1e-9);
    assert_float_equal(r.gap, 0, 1e-12);
    assert_false(r.from_heuristic);
    assert_true(r.nodes >= 1);
    const double want[] = {1, 0, 1, 1, 0};
    assert_values(e, want, 5);
    assert_string_equal(cpd_engine_error(e), "");
    cpd_engine_free(&e);
    assert_null(e);
}

static void test_engine__knapsack_min_with_constant(void **state)
{
    (void)state;
    cpd_engine *e = knapsack(CPD_MINIMIZE, CPD_ROW_GE, 10, NULL);
    cpd_engine_set_obj_constant(e, 5);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 24, 1e-9);
    assert_float_equal(r.bound, 24, 1e-9);
    const double want[] = {1, 0, 0, 0, 1};
    assert_values(e, want, 5);
    assert_float_equal(cpd_engine_objective_of(e, want), 24, 1e-12);
    cpd_engine_free(&e);
}

static void test_engine__infeasible(void **state)
{
    (void)state;
    cpd_engine *e = cpd_engine_new("inf", CPD_MAXIMIZE);
    int v[2] = {cpd_engine_add_var(e, "a", CPD_VAR_BINARY, 0, 1, 1),
                cpd_engine_add_var(e, "b", CPD_VAR_BINARY, 0, 1, 1)};
    const double one[2] = {1, 1};
    cpd_engine_add_row(e, "need3", 2, v, one, CPD_ROW_GE, 3);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_NO_PLAN);
    assert_string_equal(cpd_solve_status_name(r.status), "no_plan");
    assert_non_null(strstr(cpd_engine_error(e), "no plan"));
    cpd_engine_free(&e);
}

/* Integer-infeasible with a feasible LP relaxation: branch-and-bound must prove it. */
static void test_engine__integer_infeasible(void **state)
{
    (void)state;
    cpd_engine *e = cpd_engine_new("odd", CPD_MINIMIZE);
    int v[2] = {cpd_engine_add_var(e, "a", CPD_VAR_INTEGER, 0, 10, 1),
                cpd_engine_add_var(e, "b", CPD_VAR_INTEGER, 0, 10, 1)};
    const double two[2] = {2, 2};
    cpd_engine_add_row(e, "odd", 2, v, two, CPD_ROW_EQ, 3); /* 2a + 2b = 3 */
    cpd_solve_opts o = opts(10, 0);
    assert_int_equal(cpd_engine_solve(e, &o).status, CPD_SOLVE_NO_PLAN);
    cpd_engine_free(&e);
}

static void test_engine__bounds_contradict(void **state)
{
    (void)state;
    cpd_engine *e = cpd_engine_new("b", CPD_MINIMIZE);
    cpd_engine_add_var(e, "pinned", CPD_VAR_BINARY, 0.5, 0.7, 1); /* no integer in [0.5, 0.7] */
    cpd_solve_opts o = opts(10, 0);
    assert_int_equal(cpd_engine_solve(e, &o).status, CPD_SOLVE_NO_PLAN);
    assert_non_null(strstr(cpd_engine_error(e), "pinned"));
    cpd_engine_free(&e);
}

static void test_engine__lp_continuous(void **state)
{
    (void)state;
    /* max 3x + 2y: x + y <= 4, x + 3y <= 6, x <= 3 -> x = 3, y = 1, 11. */
    cpd_engine *e = cpd_engine_new("lp", CPD_MAXIMIZE);
    int v[2] = {cpd_engine_add_var(e, "x", CPD_VAR_CONTINUOUS, 0, 3, 3),
                cpd_engine_add_var(e, "y", CPD_VAR_CONTINUOUS, 0, HUGE_VAL, 2)};
    const double a[2] = {1, 1}, b[2] = {1, 3};
    cpd_engine_add_row(e, NULL, 2, v, a, CPD_ROW_LE, 4);
    cpd_engine_add_row(e, NULL, 2, v, b, CPD_ROW_LE, 6);
    assert_int_equal(cpd_engine_nvars(e), 2);
    assert_int_equal(cpd_engine_nrows(e), 2);
    cpd_solve_opts o = opts(0, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 11, 1e-9);
    assert_float_equal(r.bound, 11, 1e-9);
    const double want[] = {3, 1};
    assert_values(e, want, 2);
    cpd_engine_free(&e);
}

/* A continuous plan is not rounded: max x + y with 2x + 2y <= 3 gives 1.5. */
static void test_engine__lp_fractional_optimum_kept(void **state)
{
    (void)state;
    cpd_engine *e = cpd_engine_new("frac", CPD_MAXIMIZE);
    int v[2] = {cpd_engine_add_var(e, "x", CPD_VAR_CONTINUOUS, 0, 1, 1),
                cpd_engine_add_var(e, "y", CPD_VAR_CONTINUOUS, 0, 1, 1)};
    const double two[2] = {2, 2};
    cpd_engine_add_row(e, NULL, 2, v, two, CPD_ROW_LE, 3);
    cpd_solve_opts o = opts(0, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 1.5, 1e-9);
    cpd_engine_free(&e);
}

static void test_engine__equality_rows(void **state)
{
    (void)state;
    /* min x + 2y: x + y = 7, x - y = 1 -> x = 4, y = 3, 10. */
    cpd_engine *e = cpd_engine_new("eq", CPD_MINIMIZE);
    int v[2] = {cpd_engine_add_var(e, "x", CPD_VAR_INTEGER, -HUGE_VAL, HUGE_VAL, 1),
                cpd_engine_add_var(e, "y", CPD_VAR_INTEGER, 0, 100, 2)};
    const double s[2] = {1, 1}, d[2] = {1, -1};
    cpd_engine_add_row(e, "sum", 2, v, s, CPD_ROW_EQ, 7);
    cpd_engine_add_row(e, "diff", 2, v, d, CPD_ROW_EQ, 1);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 10, 1e-9);
    const double want[] = {4, 3};
    assert_values(e, want, 2);
    cpd_engine_free(&e);
}

static void test_engine__zero_coefficients_dropped(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    int v[2] = {0, 0};
    const double c[2] = {0.0, 0.0}; /* both zero: x0 named twice, but nothing is kept */
    cpd_engine_add_row(e, "empty", 2, v, c, CPD_ROW_LE, 1);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 25, 1e-9);
    cpd_engine_free(&e);
}

/* ---- feasibility checks ---- */

static void test_engine__is_feasible(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double ok[] = {1, 0, 1, 1, 0}, heavy[] = {1, 1, 1, 0, 0}, frac[] = {0.5, 1, 1, 0, 0},
                 out[] = {0, 2, 0, 0, 0}, near[] = {1, 0, 1 - 1e-8, 1, 0};
    assert_true(cpd_engine_is_feasible(e, ok));
    assert_false(cpd_engine_is_feasible(e, heavy)); /* weight 14 > 12 */
    assert_false(cpd_engine_is_feasible(e, frac));
    assert_false(cpd_engine_is_feasible(e, out));
    assert_true(cpd_engine_is_feasible(e, near)); /* within the 1e-6 tolerance */
    assert_float_equal(cpd_engine_objective_of(e, ok), 25, 1e-12);
    cpd_engine_free(&e);
}

/* ---- plans from the job ---- */

static void test_engine__start_plan_improved(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double start[] = {1, 1, 0, 0, 0}; /* 23 */
    cpd_engine_set_start(e, start);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 25, 1e-9);
    assert_false(r.from_heuristic);
    cpd_engine_free(&e);
}

/* An optimal start comes back as the plan, and GLPK is credited with nothing. */
static void test_engine__start_plan_optimal_kept(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double start[] = {1, 0, 1, 1, 0};
    cpd_engine_set_start(e, start);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 25, 1e-9);
    assert_true(r.from_heuristic);
    assert_values(e, start, 5);
    cpd_engine_free(&e);
}

/* No time even for the LP: the start comes back, feasible, with no bound. */
static void test_engine__start_plan_when_no_time(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double start[] = {1, 1, 0, 0, 0};
    cpd_engine_set_start(e, start);
    cpd_solve_opts o = opts(1e-9, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_FEASIBLE);
    assert_float_equal(r.objective, 23, 1e-9);
    assert_true(r.from_heuristic);
    assert_false(r.has_bound);
    assert_values(e, start, 5);
    cpd_engine_free(&e);
}

static void test_engine__no_plan_yet(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    cpd_solve_opts o = opts(1e-9, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_NO_PLAN_YET);
    assert_float_equal(r.objective, 0, 0);
    assert_false(r.from_heuristic);
    cpd_engine_free(&e);
}

static void test_engine__infeasible_start_ignored(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double heavy[] = {1, 1, 1, 0, 0}; /* weight 14 > 12 */
    cpd_engine_set_start(e, heavy);
    cpd_solve_opts none = opts(1e-9, 0);
    assert_int_equal(cpd_engine_solve(e, &none).status, CPD_SOLVE_NO_PLAN_YET);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 25, 1e-9);
    assert_false(r.from_heuristic);
    cpd_engine_free(&e);
}

/* A good start followed by a bad one: the bad one changes nothing. */
static void test_engine__infeasible_start_keeps_earlier(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double good[] = {1, 1, 0, 0, 0}, frac[] = {0.5, 0, 0, 0, 0};
    cpd_engine_set_start(e, good);
    cpd_engine_set_start(e, frac);
    cpd_solve_opts none = opts(1e-9, 0);
    cpd_solve_result r = cpd_engine_solve(e, &none);
    assert_int_equal(r.status, CPD_SOLVE_FEASIBLE);
    assert_float_equal(r.objective, 23, 1e-9);
    cpd_engine_free(&e);
}

typedef struct {
    int calls;
    int fractional_lp; /* calls whose LP values had a fraction */
    const double *plan;
    bool lp_in_bounds;
} heur_state;

static bool heur_fixed(void *ctx, const double *lp, double *x, size_t n)
{
    heur_state *h = ctx;
    h->calls++;
    for (size_t j = 0; j < n; j++) {
        if (lp[j] < -1e-9 || lp[j] > 1 + 1e-9)
            h->lp_in_bounds = false;
        if (fabs(lp[j] - round(lp[j])) > 1e-6) {
            h->fractional_lp++;
            break;
        }
    }
    if (!h->plan)
        return false;
    memcpy(x, h->plan, n * sizeof *x);
    return true;
}

/* The knapsack's LP is fractional, so GLPK must branch; the heuristic hands the optimum at the
 * root, and GLPK, which only takes strictly better plans, keeps it. */
static void test_engine__heuristic_plan_used(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double best[] = {1, 0, 1, 1, 0};
    heur_state h = {.plan = best, .lp_in_bounds = true};
    cpd_engine_set_heuristic(e, heur_fixed, &h);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_true(h.calls >= 1);
    assert_true(h.fractional_lp >= 1);
    assert_true(h.lp_in_bounds);
    assert_true(r.from_heuristic);
    assert_float_equal(r.objective, 25, 1e-9);
    assert_values(e, best, 5);
    cpd_engine_free(&e);
}

static void test_engine__heuristic_infeasible_plan_ignored(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double heavy[] = {1, 1, 1, 1, 1};
    heur_state h = {.plan = heavy, .lp_in_bounds = true};
    cpd_engine_set_heuristic(e, heur_fixed, &h);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_true(h.calls >= 1);
    assert_false(r.from_heuristic);
    assert_float_equal(r.objective, 25, 1e-9);
    cpd_engine_free(&e);
}

/* On a search of many nodes the heuristic runs at the root and then about once per 50 nodes,
 * not at every node. */
static void test_engine__heuristic_not_every_node(void **state)
{
    (void)state;
    cpd_engine *e = gap_d(8, 40, 12);
    heur_state h = {.plan = NULL, .lp_in_bounds = true};
    cpd_engine_set_heuristic(e, heur_fixed, &h);
    cpd_solve_opts o = opts(0.5, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_true(h.calls >= 1);
    assert_true(h.calls <= 1 + r.nodes / 50);
    if (r.nodes >= 200) /* a normal machine: several hundred nodes in 0.5 s */
        assert_true(h.calls >= 2);
    cpd_engine_free(&e);
}

/* A slow heuristic: GLPK cannot interrupt it, so the engine does not start one that could
 * outlast the time left (twice its longest call so far). */
static bool heur_slow(void *ctx, const double *lp, double *x, size_t n)
{
    struct timespec ts = {0, 150000000}; /* 0.15 s */
    nanosleep(&ts, NULL);
    return heur_fixed(ctx, lp, x, n);
}

static void test_engine__slow_heuristic_not_started_late(void **state)
{
    (void)state;
    cpd_engine *e = gap_d(8, 40, 12);
    heur_state h = {.plan = NULL, .lp_in_bounds = true};
    cpd_engine_set_heuristic(e, heur_slow, &h);
    cpd_solve_opts o = opts(0.4, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    /* the root's call, then never again: after it, less than 0.3 s is left */
    assert_int_equal(h.calls, 1);
    assert_true(r.status == CPD_SOLVE_FEASIBLE || r.status == CPD_SOLVE_OPTIMAL ||
                r.status == CPD_SOLVE_NO_PLAN_YET);
    cpd_engine_free(&e);
}

/* ---- bounds and gaps ---- */

static void check_gap_formula(const cpd_solve_result *r)
{
    double want = fabs(r->bound - r->objective) / fmax(1e-9, fabs(r->objective));
    assert_float_equal(r->gap, want, 1e-12);
}

static void test_engine__gap_under_time_limit(void **state)
{
    (void)state;
    cpd_engine *e = gap_d(10, 60, 12);
    set_first_plan_as_start(e);
    cpd_solve_opts o = opts(0.3, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_true(r.status == CPD_SOLVE_FEASIBLE || r.status == CPD_SOLVE_OPTIMAL);
    assert_true(r.has_bound);
    assert_true(r.bound >= r.objective - 1e-9);
    check_gap_formula(&r);
    if (r.status == CPD_SOLVE_FEASIBLE)
        assert_true(r.gap > 0);
    assert_true(r.seconds < 1.0);
    double *x = malloc(cpd_engine_nvars(e) * sizeof *x);
    for (size_t j = 0; j < cpd_engine_nvars(e); j++)
        x[j] = cpd_engine_value(e, (int)j);
    assert_true(cpd_engine_is_feasible(e, x));
    assert_float_equal(cpd_engine_objective_of(e, x), r.objective, 1e-9);
    free(x);
    cpd_engine_free(&e);
}

static void test_engine__gap_target_stops_early(void **state)
{
    (void)state;
    cpd_engine *e = gap_instance(10, 60, 12, CPD_MINIMIZE, 0.8);
    cpd_solve_opts o = opts(5, 0.05);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_true(r.has_bound);
    assert_true(r.bound <= r.objective + 1e-9); /* minimise: the bound is below */
    check_gap_formula(&r);
    assert_true(r.gap <= 0.05 + 1e-9);
    cpd_engine_free(&e);
}

static void test_engine__external_bound(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double start[] = {1, 1, 0, 0, 0}; /* 23 */
    cpd_engine_set_start(e, start);
    cpd_engine_set_external_bound(e, 30);
    cpd_solve_opts none = opts(1e-9, 0);
    cpd_solve_result r = cpd_engine_solve(e, &none);
    assert_int_equal(r.status, CPD_SOLVE_FEASIBLE);
    assert_true(r.has_bound); /* the external one, as GLPK has none */
    assert_float_equal(r.bound, 30, 1e-9);
    check_gap_formula(&r);
    assert_float_equal(r.gap, 7.0 / 23.0, 1e-12);
    cpd_engine_set_external_bound(e, 24.5); /* tighter than the LP's 26: the engine's choice */
    r = cpd_engine_solve(e, &none);
    assert_float_equal(r.bound, 24, 1e-9); /* and rounded down: the objective is integral */

    cpd_solve_opts o = opts(10, 0);
    r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.bound, 25, 1e-9); /* GLPK's proof is tighter than 30 */

    /* A "bound" that the plan beats is not a bound: ignored. */
    cpd_engine_set_external_bound(e, 20);
    r = cpd_engine_solve(e, &none);
    assert_false(r.has_bound);
    cpd_engine_free(&e);
}

/* An external bound equal to the start's value proves it optimal without GLPK's help. */
static void test_engine__external_bound_proves_start(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    const double best[] = {1, 0, 1, 1, 0};
    cpd_engine_set_start(e, best);
    cpd_engine_set_external_bound(e, 25);
    cpd_solve_opts none = opts(1e-9, 0);
    cpd_solve_result r = cpd_engine_solve(e, &none);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.gap, 0, 1e-12);
    assert_true(r.from_heuristic);
    cpd_engine_free(&e);
}

/* ---- misuse ---- */

static void test_engine__repeated_variable_fails(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    int v[3] = {0, 2, 0};
    const double c[3] = {1, 1, 2};
    cpd_engine_add_row(e, "twice", 3, v, c, CPD_ROW_LE, 1);
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_FAILED);
    assert_string_equal(cpd_solve_status_name(r.status), "failed");
    assert_string_equal(cpd_engine_error(e), "row 1 (twice) names variable 0 (x0) more than once");
    char path[128];
    assert_false(cpd_engine_export(e, tmp_path(path, sizeof path, ".lp")));
    assert_non_null(strstr(cpd_engine_error(e), "more than once"));
    assert_int_equal(access(path, F_OK), -1);
    cpd_engine_free(&e);
}

static void test_engine__bad_index_fails(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    int v[1] = {9};
    const double c[1] = {1};
    cpd_engine_add_row(e, "far", 1, v, c, CPD_ROW_LE, 1);
    cpd_solve_opts o = opts(10, 0);
    assert_int_equal(cpd_engine_solve(e, &o).status, CPD_SOLVE_FAILED);
    assert_string_equal(cpd_engine_error(e),
                        "row 1 (far): variable index 9 out of range (5 variables)");
    cpd_engine_free(&e);
}

static void test_engine__nan_coefficient_fails(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    int v[1] = {1};
    const double c[1] = {NAN};
    cpd_engine_add_row(e, "nan", 1, v, c, CPD_ROW_LE, 1);
    cpd_solve_opts o = opts(10, 0);
    assert_int_equal(cpd_engine_solve(e, &o).status, CPD_SOLVE_FAILED);
    assert_non_null(strstr(cpd_engine_error(e), "row 1 (nan): coefficient"));
    cpd_engine_free(&e);
}

static void test_engine__unbounded_fails(void **state)
{
    (void)state;
    cpd_engine *e = cpd_engine_new("u", CPD_MAXIMIZE);
    cpd_engine_add_var(e, "x", CPD_VAR_CONTINUOUS, 0, HUGE_VAL, 1);
    cpd_solve_opts o = opts(10, 0);
    assert_int_equal(cpd_engine_solve(e, &o).status, CPD_SOLVE_FAILED);
    assert_non_null(strstr(cpd_engine_error(e), "unbounded"));
    cpd_engine_free(&e);
}

/* A GLPK fatal error (here duplicate matrix entries, which the engine itself never passes)
 * comes back as false with GLPK's message, and GLPK works again afterwards. */
static void glpk_fault(void *arg)
{
    (void)arg;
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, 1);
    glp_add_cols(P, 1);
    int ia[] = {0, 1, 1}, ja[] = {0, 1, 1};
    double ar[] = {0, 1, 2};
    glp_load_matrix(P, 2, ia, ja, ar);
    glp_delete_prob(P); /* not reached */
}

static void test_engine__glpk_error_caught(void **state)
{
    (void)state;
    char msg[512];
    assert_false(cpd_glpk_guarded(glpk_fault, NULL, NULL, msg, sizeof msg));
    assert_non_null(strstr(msg, "duplicate indices not allowed"));
    cpd_engine *e = knap_max();
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    assert_float_equal(r.objective, 25, 1e-9);
    cpd_engine_free(&e);
}

/* ---- export ---- */

static const char *odd_names[] = {"x a-b", "1st", "inf", "x[a,b]", NULL};

static void test_engine__export_lp_glpsol(void **state)
{
    (void)state;
    cpd_engine *e = knapsack(CPD_MAXIMIZE, CPD_ROW_LE, 12, odd_names);
    cpd_engine_set_obj_constant(e, 5);
    char path[128], out[128], cmd[512];
    assert_true(cpd_engine_export(e, tmp_path(path, sizeof path, ".lp")));
    const char *text = slurp(path);
    assert_non_null(strstr(text, "Maximize"));
    assert_non_null(strstr(text, "x_a_b"));
    assert_non_null(strstr(text, "_1st"));
    assert_non_null(strstr(text, "inf_"));
    assert_non_null(strstr(text, "obj_constant"));
    assert_non_null(strstr(text, "x4")); /* the unnamed variable */
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_float_equal(r.objective, 30, 1e-9);
    if (have("glpsol")) {
        snprintf(cmd, sizeof cmd, "glpsol --lp %s -o %s >/dev/null 2>&1", path,
                 tmp_path(out, sizeof out, ".out"));
        double v = 0;
        assert_true(run_for_value(cmd, out, "Objective:", &v));
        assert_float_equal(v, r.objective, 1e-6);
        remove(out);
    }
    remove(path);
    cpd_engine_free(&e);
    if (!have("glpsol"))
        skip();
}

static void test_engine__export_mps_min_glpsol(void **state)
{
    (void)state;
    cpd_engine *e = gap_instance(3, 8, 5, CPD_MINIMIZE, 1.5);
    cpd_engine_set_obj_constant(e, -2.5);
    char path[128], out[128], cmd[512];
    assert_true(cpd_engine_export(e, tmp_path(path, sizeof path, ".mps")));
    assert_null(strstr(slurp(path), "OBJSENSE"));
    cpd_solve_opts o = opts(10, 0);
    cpd_solve_result r = cpd_engine_solve(e, &o);
    assert_int_equal(r.status, CPD_SOLVE_OPTIMAL);
    bool ran = false;
    if (have("glpsol")) {
        snprintf(cmd, sizeof cmd, "glpsol --freemps %s -o %s >/dev/null 2>&1", path,
                 tmp_path(out, sizeof out, ".out"));
        double v = 0;
        assert_true(run_for_value(cmd, out, "Objective:", &v));
        assert_float_equal(v, r.objective, 1e-6);
        remove(out);
        ran = true;
    }
    if (have("cbc")) {
        snprintf(cmd, sizeof cmd, "cbc %s solve > %s 2>&1", path,
                 tmp_path(out, sizeof out, ".out"));
        double v = 0;
        assert_true(run_for_value(cmd, out, "Objective value", &v));
        assert_float_equal(v, r.objective, 1e-6);
        remove(out);
        ran = true;
    }
    remove(path);
    cpd_engine_free(&e);
    if (!ran)
        skip();
}

/* A maximisation in MPS is written as the minimisation of the negated objective (no reader-
 * specific OBJSENSE), so glpsol and CBC both read it and find minus the optimum. */
static void test_engine__export_mps_max_negated(void **state)
{
    (void)state;
    cpd_engine *e = knapsack(CPD_MAXIMIZE, CPD_ROW_LE, 12, odd_names);
    cpd_engine_set_obj_constant(e, 5);
    char path[128], out[128], cmd[512];
    assert_true(cpd_engine_export(e, tmp_path(path, sizeof path, ".mps")));
    const char *text = slurp(path);
    assert_null(strstr(text, "OBJSENSE"));
    assert_non_null(strstr(text, "minimises the negated objective"));
    assert_non_null(strstr(text, "obj_constant"));
    bool ran = false;
    if (have("glpsol")) {
        snprintf(cmd, sizeof cmd, "glpsol --freemps %s -o %s >/dev/null 2>&1", path,
                 tmp_path(out, sizeof out, ".out"));
        double v = 0;
        assert_true(run_for_value(cmd, out, "Objective:", &v));
        assert_float_equal(v, -30, 1e-6);
        remove(out);
        ran = true;
    }
    if (have("cbc")) {
        snprintf(cmd, sizeof cmd, "cbc %s solve > %s 2>&1", path,
                 tmp_path(out, sizeof out, ".out"));
        double v = 0;
        assert_true(run_for_value(cmd, out, "Objective value", &v));
        assert_float_equal(v, -30, 1e-6);
        remove(out);
        ran = true;
    }
    remove(path);
    cpd_engine_free(&e);
    if (!ran)
        skip();
}

static void test_engine__export_duplicate_names_made_unique(void **state)
{
    (void)state;
    const char *dup[] = {"a b", "a_b", "a-b", "obj_constant", "a_b_1"};
    cpd_engine *e = knapsack(CPD_MAXIMIZE, CPD_ROW_LE, 12, dup);
    cpd_engine_set_obj_constant(e, 1);
    char path[128];
    assert_true(cpd_engine_export(e, tmp_path(path, sizeof path, ".lp")));
    const char *text = slurp(path);
    /* "a b" keeps a_b; the later clashes get their index; obj_constant moves aside. */
    assert_non_null(strstr(text, " a_b "));
    assert_non_null(strstr(text, " a_b_2 "));
    assert_non_null(strstr(text, " a_b_1_4 "));
    assert_non_null(strstr(text, " obj_constant_5"));
    remove(path);
    cpd_engine_free(&e);
}

static void test_engine__export_bad_path(void **state)
{
    (void)state;
    cpd_engine *e = knap_max();
    assert_false(cpd_engine_export(e, "/nonexistent-dir/model.lp"));
    assert_non_null(
        strstr(cpd_engine_error(e), "cannot write the model to '/nonexistent-dir/model.lp'"));
    cpd_engine_free(&e);
}

/* ---- determinism and progress ---- */

static void test_engine__deterministic(void **state)
{
    (void)state;
    cpd_engine *a = gap_instance(5, 25, 3, CPD_MAXIMIZE, 0.8);
    cpd_engine *b = gap_instance(5, 25, 3, CPD_MAXIMIZE, 0.8);
    cpd_solve_opts o = opts(0, 0);
    cpd_solve_result ra = cpd_engine_solve(a, &o), rb = cpd_engine_solve(b, &o);
    assert_int_equal(ra.status, CPD_SOLVE_OPTIMAL);
    assert_int_equal(rb.status, CPD_SOLVE_OPTIMAL);
    assert_int_equal(ra.nodes, rb.nodes);
    assert_float_equal(ra.objective, rb.objective, 0);
    for (size_t j = 0; j < cpd_engine_nvars(a); j++)
        assert_float_equal(cpd_engine_value(a, (int)j), cpd_engine_value(b, (int)j), 0);
    cpd_solve_result again = cpd_engine_solve(a, &o);
    assert_int_equal(again.nodes, ra.nodes);
    for (size_t j = 0; j < cpd_engine_nvars(a); j++)
        assert_float_equal(cpd_engine_value(a, (int)j), cpd_engine_value(b, (int)j), 0);
    cpd_engine_free(&a);
    cpd_engine_free(&b);
}

/* With progress on, a solve of more than a second leaves "...s  plan ...  bound ...  gap ...%"
 * lines on stderr, overwritten with \r and ended with \n. */
static void test_engine__progress_line(void **state)
{
    (void)state;
    cpd_engine *e = gap_d(10, 60, 12);
    set_first_plan_as_start(e);
    char path[128];
    tmp_path(path, sizeof path, ".err");
    fflush(stderr);
    int saved = dup(2);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    dup2(fileno(f), 2);
    cpd_solve_opts o = {.time_limit = 1.3, .gap = 0, .progress = true};
    cpd_solve_result r = cpd_engine_solve(e, &o);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    fclose(f);
    const char *text = slurp(path);
    remove(path);
    assert_int_equal(r.status, CPD_SOLVE_FEASIBLE); /* not solved in 1.3 s */
    assert_true(text[0] == '\r');
    assert_non_null(strstr(text, "s  plan "));
    assert_non_null(strstr(text, "  bound "));
    assert_non_null(strstr(text, "  gap "));
    assert_non_null(strstr(text, "%"));
    assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1); /* one \n, at the end */
    cpd_engine_free(&e);
}

static void test_engine__quiet_without_progress(void **state)
{
    (void)state;
    char path[128];
    tmp_path(path, sizeof path, ".err2");
    fflush(stderr);
    fflush(stdout);
    int se = dup(2), so = dup(1);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    dup2(fileno(f), 2);
    dup2(fileno(f), 1);
    cpd_engine *e = knap_max();
    cpd_solve_opts o = opts(10, 0);
    cpd_engine_solve(e, &o);
    cpd_engine_export(e, "/nonexistent-dir/model.mps");
    fflush(stderr);
    fflush(stdout);
    dup2(se, 2);
    dup2(so, 1);
    close(se);
    close(so);
    fclose(f);
    assert_string_equal(slurp(path), ""); /* GLPK said nothing */
    remove(path);
    cpd_engine_free(&e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test(test_engine__##name)
        T(knapsack_max),
        T(knapsack_min_with_constant),
        T(infeasible),
        T(integer_infeasible),
        T(bounds_contradict),
        T(lp_continuous),
        T(lp_fractional_optimum_kept),
        T(equality_rows),
        T(zero_coefficients_dropped),
        T(is_feasible),
        T(start_plan_improved),
        T(start_plan_optimal_kept),
        T(start_plan_when_no_time),
        T(no_plan_yet),
        T(infeasible_start_ignored),
        T(infeasible_start_keeps_earlier),
        T(heuristic_plan_used),
        T(heuristic_infeasible_plan_ignored),
        T(heuristic_not_every_node),
        T(slow_heuristic_not_started_late),
        T(gap_under_time_limit),
        T(gap_target_stops_early),
        T(external_bound),
        T(external_bound_proves_start),
        T(repeated_variable_fails),
        T(bad_index_fails),
        T(nan_coefficient_fails),
        T(unbounded_fails),
        T(glpk_error_caught),
        T(export_lp_glpsol),
        T(export_mps_min_glpsol),
        T(export_mps_max_negated),
        T(export_duplicate_names_made_unique),
        T(export_bad_path),
        T(deterministic),
        T(progress_line),
        T(quiet_without_progress),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
