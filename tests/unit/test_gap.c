/* test_gap.c — generalized assignment through the deploy engine's core: OR-Library's gap1
 * (read by the io/ reader) to its known optima, proven; small instances against brute force in
 * both senses; an instance where leaving an item out would pay; one with no complete
 * assignment; and the reader's messages on broken files. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_gap.h"
#include "cpd_gap_io.h"
#include "test_util.h"

#include <math.h>
#include <stdint.h>

/* OR-Library gap1.txt (c515-1 .. c515-5), byte for byte. */
static const char GAP1[] =
    " 5\n"
    " 5 15\n"
    " 17 21 22 18 24 15 20 18 19 18 16 22 24 24 16\n"
    " 23 16 21 16 17 16 19 25 18 21 17 15 25 17 24\n"
    " 16 20 16 25 24 16 17 19 19 18 20 16 17 21 24\n"
    " 19 19 22 22 20 16 19 17 21 19 25 23 25 25 25\n"
    " 18 19 15 15 21 25 16 16 23 15 22 17 19 22 24\n"
    " 8 15 14 23 8 16 8 25 9 17 25 15 10 8 24\n"
    " 15 7 23 22 11 11 12 10 17 16 7 16 10 18 22\n"
    " 21 20 6 22 24 10 24 9 21 14 11 14 11 19 16\n"
    " 20 11 8 14 9 5 6 19 19 7 6 6 13 9 18\n"
    " 8 13 13 13 10 20 25 16 16 17 10 10 5 12 23\n"
    " 36 34 38 27 33\n"
    " 5 15\n"
    " 19 23 24 20 20 25 16 21 24 15 17 17 20 20 20\n"
    " 25 24 16 21 19 17 17 19 23 21 21 23 20 15 16\n"
    " 16 21 25 22 24 24 16 17 15 18 15 17 18 24 18\n"
    " 25 24 18 19 15 18 20 22 23 18 16 19 17 15 22\n"
    " 25 19 21 22 20 15 20 19 18 18 17 23 17 25 25\n"
    " 16 12 8 20 18 10 12 8 14 23 19 14 15 15 24\n"
    " 16 18 19 22 13 20 9 7 25 10 20 13 11 15 16\n"
    " 6 20 20 5 14 12 6 15 22 18 13 23 23 18 25\n"
    " 18 23 25 17 25 13 23 23 13 20 20 23 17 19 24\n"
    " 12 17 15 25 22 5 24 19 12 25 23 21 23 19 18\n"
    " 36 37 38 48 44\n"
    " 5 15\n"
    " 22 21 16 17 21 15 17 22 22 25 18 20 24 15 22\n"
    " 23 24 19 15 16 21 15 25 16 21 20 19 16 23 20\n"
    " 21 20 21 25 21 20 21 19 17 16 25 19 15 15 15\n"
    " 17 21 25 25 23 22 20 19 20 25 15 20 21 25 23\n"
    " 15 25 23 19 17 17 25 24 24 17 24 19 18 19 16\n"
    " 23 10 15 13 17 10 13 6 9 21 20 7 9 25 8\n"
    " 17 13 8 23 11 18 7 22 13 5 24 24 15 10 22\n"
    " 22 17 22 23 20 11 17 25 23 9 22 20 15 9 25\n"
    " 5 19 25 16 15 10 18 9 11 20 7 21 15 8 25\n"
    " 22 9 10 23 19 21 17 15 15 17 25 19 10 9 21\n"
    " 32 37 44 35 40\n"
    " 5 15\n"
    " 15 25 20 18 19 21 18 22 24 15 25 17 17 15 22\n"
    " 20 18 25 25 16 24 22 24 17 18 23 25 21 25 24\n"
    " 25 19 18 18 23 18 15 22 23 16 25 22 22 15 16\n"
    " 19 19 23 17 19 19 22 19 23 22 24 22 25 19 16\n"
    " 25 24 17 19 25 19 23 19 25 15 19 21 18 19 22\n"
    " 20 20 18 9 18 5 16 18 13 24 21 23 15 19 9\n"
    " 5 12 18 8 22 19 19 11 7 19 20 17 21 25 5\n"
    " 18 8 8 9 20 20 23 13 15 12 6 12 25 25 23\n"
    " 17 19 24 9 16 22 10 17 12 17 15 21 16 18 6\n"
    " 14 6 20 6 21 5 11 23 20 21 20 18 13 13 21\n"
    " 39 36 37 38 37\n"
    " 5 15\n"
    " 25 25 18 24 20 19 25 24 23 15 18 18 25 15 22\n"
    " 25 18 17 22 21 23 20 23 16 19 15 18 16 23 16\n"
    " 18 16 19 15 15 18 15 20 19 24 22 20 25 16 21\n"
    " 18 21 16 18 17 24 18 23 22 16 17 22 22 18 16\n"
    " 17 18 15 21 23 21 24 23 20 22 19 15 22 22 25\n"
    " 16 20 9 22 17 19 20 22 20 13 6 20 23 19 7\n"
    " 12 22 18 18 6 13 17 17 17 14 20 12 17 14 22\n"
    " 5 19 19 14 24 16 7 8 9 22 13 23 24 15 20\n"
    " 20 8 6 9 5 17 23 18 14 12 14 17 15 23 21\n"
    " 6 6 24 24 8 7 5 25 21 18 12 20 20 7 12\n"
    " 40 38 38 35 34\n"    ;

static const double GAP1_OPT[5] = {336, 327, 339, 341, 326}; /* OR-Library's gapinfo */

/* ---- helpers ---- */

/* The assignment keeps every capacity, assigns every item, and is worth r->objective. */
static void assert_valid(const cpd_gap *g, const cpd_gap_result *r)
{
    assert_true(r->complete);
    double used[64] = {0}, sum = 0;
    assert_true(g->agents <= 64);
    for (int j = 0; j < g->items; j++) {
        int i = r->agent[j];
        assert_true(i >= 0 && i < g->agents);
        used[i] += g->load[(size_t)i * g->items + j];
        sum += g->value[(size_t)i * g->items + j];
    }
    for (int i = 0; i < g->agents; i++)
        assert_true(used[i] <= g->cap[i] + 1e-9);
    assert_true(fabs(sum - r->objective) < 1e-6);
}

static cpd_gap_result solve(const cpd_gap *g, double seconds)
{
    cpd_diags *d = cpd_diags_new();
    cpd_solve_opts so = {.time_limit = seconds};
    cpd_gap_result r;
    assert_int_equal(cpd_gap_solve(g, &so, &r, d), CPD_OK);
    assert_int_equal(cpd_diags_errors(d), 0);
    cpd_diags_free(&d);
    return r;
}

/* The best complete assignment by enumeration (m^n of them); NAN when none exists. */
static double brute_force(const cpd_gap *g)
{
    int a[16] = {0};
    double best = NAN;
    for (;;) {
        double used[8] = {0}, sum = 0;
        bool ok = true;
        for (int j = 0; j < g->items && ok; j++) {
            used[a[j]] += g->load[(size_t)a[j] * g->items + j];
            sum += g->value[(size_t)a[j] * g->items + j];
            ok = used[a[j]] <= g->cap[a[j]];
        }
        if (ok && (isnan(best) || (g->sense == CPD_MAXIMIZE ? sum > best : sum < best)))
            best = sum;
        int j = 0;
        while (j < g->items && ++a[j] == g->agents)
            a[j++] = 0;
        if (j == g->items)
            return best;
    }
}

static unsigned next_rand(uint64_t *x, unsigned n)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((*x >> 33) % n);
}

/* Sets one pair: agent i, item j. */
static void set(cpd_gap *g, int i, int j, double value, double load)
{
    g->value[(size_t)i * g->items + j] = value;
    g->load[(size_t)i * g->items + j] = load;
}

/* ---- tests ---- */

static void test_gap__gap1_optima_proven(void **state)
{
    tu_fixture *f = *state;
    tu_put_text(f->dir, "gap1.txt", GAP1);
    char path[128];
    snprintf(path, sizeof path, "%s/gap1.txt", f->dir);
    cpd_gap **list;
    int n;
    assert_int_equal(cpd_gap_read(path, CPD_MAXIMIZE, &list, &n, f->d), CPD_OK);
    assert_int_equal(n, 5);
    for (int k = 0; k < n; k++) {
        assert_int_equal(list[k]->agents, 5);
        assert_int_equal(list[k]->items, 15);
        cpd_gap_result r = solve(list[k], 20);
        assert_valid(list[k], &r);
        assert_true(fabs(r.objective - GAP1_OPT[k]) < 1e-6);
        assert_true(r.optimal);
        assert_true(r.has_bound && fabs(r.bound - GAP1_OPT[k]) < 1e-6);
        cpd_gap_result_free(&r);
    }
    cpd_gap_list_free(&list, n);
    assert_null(list);
}

/* Random 3 x 7 instances, tight capacities, both senses: the proven optimum is brute force's. */
static void test_gap__small_instances_match_brute_force(void **state)
{
    (void)state;
    uint64_t rng = 7;
    int solved = 0;
    for (int k = 0; k < 24; k++) {
        cpd_gap *g = cpd_gap_new(3, 7, k % 2 ? CPD_MINIMIZE : CPD_MAXIMIZE);
        double total = 0;
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 7; j++) {
                set(g, i, j, 1 + next_rand(&rng, 40), 1 + next_rand(&rng, 12));
                total += g->load[(size_t)i * 7 + j];
            }
        for (int i = 0; i < 3; i++)
            g->cap[i] = floor(0.8 * total / 9) + next_rand(&rng, 4);
        double want = brute_force(g);
        cpd_gap_result r = solve(g, 10);
        assert_int_equal(r.complete, !isnan(want));
        if (r.complete) {
            assert_valid(g, &r);
            assert_true(fabs(r.objective - want) < 1e-6);
            assert_true(r.optimal);
            solved++;
        }
        cpd_gap_result_free(&r);
        cpd_gap_free(&g);
    }
    assert_true(solved >= 12); /* the capacities leave most instances feasible */
}

/* Items 1 and 2 are worth 50 each at agent 1; item 3 fits only there and then pushes them to
 * agent 2, where they are worth 1. Leaving item 3 out would score 100; assigning all scores 3. */
static void test_gap__every_item_assigned_even_when_leaving_one_out_pays(void **state)
{
    (void)state;
    for (int sense = 0; sense < 2; sense++) {
        cpd_gap *g = cpd_gap_new(2, 3, sense ? CPD_MINIMIZE : CPD_MAXIMIZE);
        double good = sense ? 1 : 50, bad = sense ? 50 : 1;
        set(g, 0, 0, good, 5);
        set(g, 0, 1, good, 5);
        set(g, 0, 2, 1, 6);
        set(g, 1, 0, bad, 5);
        set(g, 1, 1, bad, 5);
        set(g, 1, 2, 1, 11);
        g->cap[0] = g->cap[1] = 10;
        cpd_gap_result r = solve(g, 10);
        assert_valid(g, &r);
        assert_int_equal(r.agent[2], 0);
        assert_int_equal(r.agent[0], 1);
        assert_int_equal(r.agent[1], 1);
        assert_true(fabs(r.objective - (sense ? 101 : 3)) < 1e-9);
        assert_true(r.optimal);
        cpd_gap_result_free(&r);
        cpd_gap_free(&g);
    }
}

static void test_gap__no_complete_assignment(void **state)
{
    (void)state;
    cpd_gap *g = cpd_gap_new(2, 3, CPD_MAXIMIZE);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 3; j++)
            set(g, i, j, 10, 6);
    g->cap[0] = g->cap[1] = 10; /* three items of 6, two agents of 10 */
    cpd_gap_result r = solve(g, 5);
    assert_false(r.complete);
    assert_false(r.optimal);
    for (int j = 0; j < 3; j++)
        assert_int_equal(r.agent[j], -1);
    cpd_gap_result_free(&r);
    cpd_gap_free(&g);
}

static void test_gap__negative_capacity_is_input_error(void **state)
{
    tu_fixture *f = *state;
    cpd_gap *g = cpd_gap_new(1, 1, CPD_MAXIMIZE);
    g->cap[0] = -1;
    cpd_solve_opts so = {.time_limit = 1};
    cpd_gap_result r;
    assert_int_equal(cpd_gap_solve(g, &so, &r, f->d), CPD_EINPUT);
    assert_true(tu_find_diag(f->d, "agent 1 has a negative capacity", true));
    cpd_gap_result_free(&r);
    cpd_gap_free(&g);
}

/* A broken file: the message names the file, line and column; nothing is returned. */
static void read_fails(tu_fixture *f, const char *text, const char *want)
{
    tu_put_text(f->dir, "bad.txt", text);
    char path[128], full[512];
    snprintf(path, sizeof path, "%s/bad.txt", f->dir);
    snprintf(full, sizeof full, "%s:%s", path, want);
    cpd_gap **list = (cpd_gap **)1;
    int n = -1;
    assert_int_equal(cpd_gap_read(path, CPD_MINIMIZE, &list, &n, f->d), CPD_EINPUT);
    assert_null(list);
    assert_int_equal(n, 0);
    if (!tu_find_diag(f->d, full, true)) {
        char buf[512];
        cpd_diag_format(cpd_diags_get(f->d, cpd_diags_len(f->d) - 1), buf, sizeof buf);
        fail_msg("want '%s', got '%s'", full, buf);
    }
}

static void test_gap__reader_messages(void **state)
{
    tu_fixture *f = *state;
    read_fails(f, "1\n1 2\n5 6\n1 1\n", "5:1: the file ends where a capacity was expected");
    read_fails(f, "1\n1 2\n5 x6\n", "3:3: expected a cost, found 'x6'");
    read_fails(f, "2\n1 1\n5 1 3\n", "4:1: the file ends where the number of agents was expected");
    read_fails(f, "1\n0 2\n", "2:1: the number of agents must be a whole number from 1 to 100000, not 0");
    read_fails(f, "1\n1 1\n5 1 3 9\n", "3:7: text after the last of 1 instances");
}

static int setup(void **state) { return tu_setup(state, "cpd-gap", NULL, 0); }

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(test_gap__##name, setup, tu_teardown)
        T(gap1_optima_proven),
        T(small_instances_match_brute_force),
        T(every_item_assigned_even_when_leaving_one_out_pays),
        T(no_complete_assignment),
        T(negative_capacity_is_input_error),
        T(reader_messages),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
