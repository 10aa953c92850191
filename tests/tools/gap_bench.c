/* gap_bench.c — `make bench-gap`'s runner: solves every instance of one OR-Library GAP file
 * with the deploy engine's core (cpd_gap_solve) and prints, per instance, the value found, the
 * proven bound and the time, then one summary line for the file (read by tests/bench/gap.sh).
 *
 * Usage: gap_bench FILE max|min SECONDS [BEST...]  (BEST: the known optimum of each instance,
 * in file order). */
#include "cpd_gap.h"
#include "cpd_gap_io.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int n, reached, proven, complete;
    double gap_sum, seconds;
} tally;

static void run_one(const cpd_gap *g, int i, double limit, const double *best, int nbest,
                    tally *t)
{
    cpd_diags *d = cpd_diags_new();
    cpd_solve_opts so = {.time_limit = limit};
    cpd_gap_result r;
    cpd_code code = cpd_gap_solve(g, &so, &r, d);
    cpd_diags_print(d, stderr);
    bool known = i < nbest;
    bool ok = code == CPD_OK && r.complete;
    double gap = ok && known ? fabs(r.objective - best[i]) / fmax(1, fabs(best[i])) : NAN;
    bool reached = ok && known && fabs(r.objective - best[i]) < 0.5;
    printf("  #%d %dx%d  value %s%.0f  best %.0f  bound %.0f  %s  %.2fs\n", i + 1, g->agents,
           g->items, ok ? "" : "(none) ", ok ? r.objective : 0.0, known ? best[i] : NAN,
           r.has_bound ? r.bound : NAN, r.optimal ? "proven" : (reached ? "reached" : "-"),
           r.seconds);
    /* a value better than the best known would mean a broken plan or a wrong table */
    if (ok && known && (g->sense == CPD_MAXIMIZE ? r.objective > best[i] + 0.5
                                                 : r.objective < best[i] - 0.5))
        printf("  #%d BETTER THAN THE BEST KNOWN: check the plan\n", i + 1);
    t->n++;
    t->complete += ok;
    t->reached += reached;
    t->proven += r.optimal;
    t->gap_sum += ok && known ? gap : 1;
    t->seconds += r.seconds;
    cpd_gap_result_free(&r);
    cpd_diags_free(&d);
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[2], "max") && strcmp(argv[2], "min"))) {
        fprintf(stderr, "usage: gap_bench FILE max|min SECONDS [BEST...]\n");
        return 2;
    }
    cpd_sense sense = strcmp(argv[2], "max") == 0 ? CPD_MAXIMIZE : CPD_MINIMIZE;
    double limit = atof(argv[3]);
    int nbest = argc - 4;
    double *best = calloc((size_t)nbest + 1, sizeof(double));
    for (int i = 0; i < nbest; i++)
        best[i] = atof(argv[4 + i]);
    cpd_diags *d = cpd_diags_new();
    cpd_gap **list;
    int n;
    if (cpd_gap_read(argv[1], sense, &list, &n, d) != CPD_OK) {
        cpd_diags_print(d, stderr);
        cpd_diags_free(&d);
        free(best);
        return 2;
    }
    tally t = {0};
    for (int i = 0; i < n; i++) {
        run_one(list[i], i, limit, best, nbest, &t);
        fflush(stdout);
    }
    /* mean gap: an instance without a complete assignment counts as 100% */
    printf("SET %d %d %d %.4f %.2f\n", t.n, t.reached, t.proven, t.n ? 100 * t.gap_sum / t.n : 0,
           t.seconds);
    cpd_gap_list_free(&list, n);
    cpd_diags_free(&d);
    free(best);
    return 0;
}
