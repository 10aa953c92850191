/* inset_bound.c — a Lagrangian bound on the inset optimum: the run_capacity rows move into the
 * objective with multipliers λ_r >= 0, which splits the model into one small problem per
 * person (their best day: one thing per slot, no repeats, pins, mandatory bonus), solved exactly
 * by is_best_schedule; subgradient steps then lower the bound.
 *
 * Why it is valid: every plan is feasible for each person's problem, and
 *   L(λ) = sum_r λ_r cap_r - M sum_t |mandatory(t)|
 *          + sum_t max { sum_r (score[t,r] - λ_r) x[t,r] - U sum_s u[t,s] : t's own rules }
 * is at least the optimum because each λ_r (cap_r - sum_t x[t,r]) >= 0 on a plan. The per-person
 * problem also drops run_min and run_held (a relaxation), and a cancellable run a person delivers
 * makes the slot optionally busy (z[r] free in [0,1]: sum x + u <= 1 there). */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define THETA0 1.0 /* Polyak step factor, halved when the bound stalls */
#define STALL 10

typedef struct {
    const is_model *m;
    void *dfs;
    double *score, *lambda, *g;
    unsigned char *busy, *opt; /* T x S */
    int day[IS_MAX_SLOTS];
    bool exact;
} lagr;

static void person_slots(lagr *L)
{
    const is_model *m = L->m;
    for (int t = 0; t < m->T; t++) {
        for (int s = 0; s < m->S; s++)
            L->busy[(size_t)t * m->S + s] = m->fixed_busy[(size_t)t * m->S + s] > 0;
        for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++) {
            const is_run *u = &m->runs[m->fruns[k]];
            for (int s = u->start; s < u->start + u->len && u->min > 0; s++)
                L->opt[(size_t)t * m->S + s - 1] = 1;
        }
    }
}

/* L(λ) and its subgradient g_r = cap_r - sum_t x[t,r]; NAN when a person has no day. */
static double evaluate(lagr *L)
{
    const is_model *m = L->m;
    double v = 0;
    for (int r = 0; r < m->nruns; r++) {
        v += L->lambda[r] * m->runs[r].cap;
        L->g[r] = m->runs[r].cap;
    }
    for (int t = 0; t < m->T; t++) {
        for (int r = 0; r < m->nruns; r++)
            L->score[r] = is_allowed(m, t, m->runs[r].workshop) ? is_score(m, t, r) - L->lambda[r]
                                                                : -HUGE_VAL;
        double b = is_best_schedule(m, L->dfs, t, L->score, &L->busy[(size_t)t * m->S],
                                    &L->opt[(size_t)t * m->S], L->day);
        if (b == -HUGE_VAL)
            return NAN;
        L->exact &= is_dfs_exact(L->dfs);
        v += b - m->M * m->nmand[t];
        for (int s = 0; s < m->S; s++)
            if (L->day[s] >= 0 && m->runs[L->day[s]].start == s + 1)
                L->g[L->day[s]] -= 1;
    }
    return v;
}

double is_lagrangian_bound(const is_model *m, double target, int iters, double *price)
{
    size_t ts = (size_t)m->T * m->S + 1;
    lagr L = {.m = m, .dfs = is_dfs_new(m), .exact = true,
              .score = cpd_xmalloc(((size_t)m->nruns + 1) * sizeof(double)),
              .lambda = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double)),
              .g = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double)),
              .busy = cpd_xcalloc(ts, 1), .opt = cpd_xcalloc(ts, 1)};
    person_slots(&L);
    double best = HUGE_VAL, theta = THETA0;
    int stall = 0;
    for (int it = 0; it < iters; it++) {
        double v = evaluate(&L);
        if (isnan(v)) {
            best = NAN;
            break;
        }
        if (v < best - 1e-9) {
            best = v;
            stall = 0;
            if (price)
                memcpy(price, L.lambda, (size_t)m->nruns * sizeof(double));
        } else if (++stall >= STALL) {
            theta /= 2;
            stall = 0;
        }
        double norm = 0;
        for (int r = 0; r < m->nruns; r++) {
            if (L.lambda[r] <= 0 && L.g[r] > 0)
                L.g[r] = 0; /* the projection would undo the step */
            norm += L.g[r] * L.g[r];
        }
        if (norm == 0 || v - target <= 1e-9 * fmax(1, fabs(target)))
            break; /* the relaxed plan is feasible, or the bound meets the plan: proven */
        double step = theta * (v - target) / norm;
        for (int r = 0; r < m->nruns; r++)
            L.lambda[r] = fmax(0, L.lambda[r] - step * L.g[r]);
    }
    if (!L.exact)
        best = NAN;
    is_dfs_free(&L.dfs);
    free(L.score);
    free(L.lambda);
    free(L.g);
    free(L.busy);
    free(L.opt);
    return best;
}
