/* inset_bound.c — a Lagrangian bound on the inset optimum: the run_capacity rows move into the
 * objective with multipliers λ_r >= 0, which splits the model into one small problem per
 * person (their best day: one thing per slot, no repeats, pins, mandatory bonus), solved exactly
 * by is_best_schedule. Exact block steps first (one multiplier, or all of a workshop's runs,
 * moved to the minimum of L along that direction: sweeps of them reach the LP's value in a few
 * passes where plain subgradient steps crawl, above all when a mandatory workshop short of seats
 * must have its bonus M priced out); subgradient steps then refine it.
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

#define THETA0 0.02 /* Polyak step factor (small: the sweeps leave the bound close), halved */
#define STALL 10
#define COORD_SWEEPS 4 /* first: sweeps of exact one-multiplier steps, then subgradient */
#define GUIDE_EVERY 10  /* subgradient steps between plans built from the prices */
#define FORCE 1e7      /* added to a run's score to force it into a person's day */

/* One candidate of a coordinate step: d = A - B, where A is t's best day holding run r (r not
 * priced) and B its best day without r; alt is the day t does not have now. */
typedef struct {
    double d;
    int t;
    bool holds;
} cand;

typedef struct {
    const is_model *m;
    void *dfs;
    double *score, *lambda, *g;
    unsigned char *busy, *opt; /* T x S */
    int *days;                 /* T x S: each person's relaxed day at the current λ */
    double *pv;                /* per person: the value of that day at the current λ */
    int *alt, *alti;           /* coordinate step: other days (T x S), per person its slot */
    cand *cand, *sorted;       /* coordinate step: candidates (T) */
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
        memcpy(&L->days[(size_t)t * m->S], L->day, (size_t)m->S * sizeof(int));
        L->pv[t] = b;
    }
    return v;
}

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->d != y->d)
        return x->d > y->d ? -1 : 1;
    return (x->t > y->t) - (x->t < y->t);
}

/* The run of the block [r0, r1) in t's relaxed day, or -1. */
static int held_in(const lagr *L, int t, int r0, int r1)
{
    const int *day = &L->days[(size_t)t * L->m->S];
    for (int s = 0; s < L->m->S; s++)
        if (day[s] >= r0 && day[s] < r1)
            return day[s];
    return -1;
}

/* The best day of t without the block's runs (holds) or with one of them (not holds): its value
 * at the current λ (-HUGE_VAL when there is none) and the day, to alt. */
static double other_day(lagr *L, int t, int r0, int r1, bool holds, int *alt)
{
    const is_model *m = L->m;
    for (int r = 0; r < m->nruns; r++)
        L->score[r] = is_allowed(m, t, m->runs[r].workshop) ? is_score(m, t, r) - L->lambda[r]
                                                            : -HUGE_VAL;
    for (int r = r0; r < r1; r++)
        if (L->score[r] != -HUGE_VAL)
            L->score[r] = holds ? -HUGE_VAL : L->score[r] + FORCE;
    double v = is_best_schedule(m, L->dfs, t, L->score, &L->busy[(size_t)t * m->S],
                                &L->opt[(size_t)t * m->S], alt);
    if (v == -HUGE_VAL || holds)
        return v;
    for (int s = 0; s < m->S; s++)
        if (alt[s] >= r0 && alt[s] < r1)
            return v - FORCE;
    return -HUGE_VAL;
}

/* An exact step along the block [r0, r1) (one run, or every run of a workshop: a person takes
 * at most one of them): with every λ_r of the block moved by δ,
 *   L(δ) = δ C + sum_t max(A_t - δ, B_t) + const,  C the block's seats,
 * A_t the best day holding a run of the block, B_t the best without; least at the (C+1)-th
 * largest A_t - B_t, kept at λ >= 0. Moving a whole workshop's runs at once prices a mandatory
 * workshop short of seats, where single-run steps only shuffle people between its runs. People
 * who neither chose the workshop, must attend it nor hold it are left out; the bound itself is
 * always recomputed exactly by evaluate. */
static void coord_step(lagr *L, int r0, int r1)
{
    const is_model *m = L->m;
    int w = m->runs[r0].workshop, n = 0, S = m->S, C = 0;
    double lo = HUGE_VAL;
    for (int r = r0; r < r1; r++) {
        C += m->runs[r].cap;
        lo = fmin(lo, L->lambda[r]);
    }
    for (int t = 0; t < m->T; t++) {
        size_t k = is_tw(m, t, w);
        bool holds = held_in(L, t, r0, r1) >= 0;
        if (!holds && ((!m->rank[k] && !m->mand[k]) || !is_allowed(m, t, w)))
            continue;
        double other = other_day(L, t, r0, r1, holds, &L->alt[(size_t)n * S]);
        if (other == -HUGE_VAL && !holds)
            continue;
        double d = holds ? (other == -HUGE_VAL ? HUGE_VAL : L->pv[t] - other) : other - L->pv[t];
        L->alti[t] = n;
        L->cand[n++] = (cand){.d = d, .t = t, .holds = holds};
    }
    memcpy(L->sorted, L->cand, (size_t)n * sizeof(cand));
    qsort(L->sorted, (size_t)n, sizeof(cand), cmp_cand);
    double delta = n > C ? L->sorted[C].d : -HUGE_VAL;
    if (delta == HUGE_VAL)
        return; /* more people than seats must hold the block: leave it to the subgradient */
    delta = fmax(delta, -lo);
    for (int i = 0; i < n; i++) {
        const cand *c = &L->sorted[i];
        bool want = i < C && c->d > delta;
        int *day = &L->days[(size_t)c->t * S];
        const int *alt = &L->alt[(size_t)L->alti[c->t] * S];
        double a = c->holds ? L->pv[c->t] : L->pv[c->t] + c->d, b = a - c->d;
        if (want != c->holds)
            memcpy(day, alt, (size_t)S * sizeof(int));
        L->pv[c->t] = want ? a - delta : b;
    }
    for (int r = r0; r < r1; r++)
        L->lambda[r] += delta;
}

static void coord_sweep(lagr *L)
{
    const is_model *m = L->m;
    for (int r = 0; r < m->nruns; r++)
        coord_step(L, r, r + 1);
    for (int r0 = 0, r1; r0 < m->nruns; r0 = r1) {
        for (r1 = r0 + 1; r1 < m->nruns && m->runs[r1].workshop == m->runs[r0].workshop;)
            r1++;
        if (r1 - r0 > 1)
            coord_step(L, r0, r1);
    }
}

double is_lagrangian_bound(const is_model *m, double target, int iters, double *price,
                           is_price_fn guide, void *ctx)
{
    size_t ts = (size_t)m->T * m->S + 1;
    lagr L = {.m = m, .dfs = is_dfs_new(m), .exact = true,
              .score = cpd_xmalloc(((size_t)m->nruns + 1) * sizeof(double)),
              .lambda = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double)),
              .g = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double)),
              .busy = cpd_xcalloc(ts, 1), .opt = cpd_xcalloc(ts, 1),
              .days = cpd_xmalloc(ts * sizeof(int)),
              .pv = cpd_xmalloc(((size_t)m->T + 1) * sizeof(double)),
              .alt = cpd_xmalloc(ts * sizeof(int)),
              .alti = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int)),
              .cand = cpd_xmalloc(((size_t)m->T + 1) * sizeof(cand)),
              .sorted = cpd_xmalloc(((size_t)m->T + 1) * sizeof(cand))};
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
        if (guide && (it <= COORD_SWEEPS || it % GUIDE_EVERY == 0))
            target = fmax(target, guide(ctx, L.lambda));
        if (v - target <= 1e-9 * fmax(1, fabs(target)))
            break; /* the bound meets the plan: proven */
        if (it < COORD_SWEEPS && (it == 0 || stall == 0)) {
            coord_sweep(&L);
            continue;
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
    free(L.days);
    free(L.pv);
    free(L.alt);
    free(L.alti);
    free(L.cand);
    free(L.sorted);
    return best;
}
