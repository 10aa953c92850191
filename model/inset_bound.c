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
 * problem also drops run_min and run_held (a relaxation). A cancellable run is treated by its
 * mode: relaxed (z[r] free in [0,1]: its facilitators are optionally busy, sum x + u <= 1
 * there), held (its facilitators busy: a bound on the plans that hold it) or out (nobody
 * attends, its facilitators are free: a bound on the plans that cancel it). The probes combine
 * such bounds into one over every plan (is_probe_cancellations). */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define THETA0 0.02 /* Polyak step factor (small: the sweeps leave the bound close), halved */
#define STALL 10
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
    const is_lagr *o;
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

static int mode_of(const lagr *L, int r)
{
    return L->m->runs[r].min <= 0 ? IS_HELD : L->o->mode ? L->o->mode[r] : IS_RELAXED;
}

/* Busy slots: always-held runs and held ones; optional: relaxed ones. */
static void person_slots(lagr *L)
{
    const is_model *m = L->m;
    for (int t = 0; t < m->T; t++) {
        for (int s = 0; s < m->S; s++)
            L->busy[(size_t)t * m->S + s] = m->fixed_busy[(size_t)t * m->S + s] > 0;
        for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++) {
            const is_run *u = &m->runs[m->fruns[k]];
            int mode = mode_of(L, m->fruns[k]);
            for (int s = u->start; s < u->start + u->len && u->min > 0; s++) {
                size_t i = (size_t)t * m->S + s - 1;
                if (mode == IS_HELD)
                    L->busy[i] = 1;
                else if (mode == IS_RELAXED)
                    L->opt[i] = 1;
            }
        }
    }
}

/* t's scores at the current λ (-HUGE_VAL: not available). */
static void person_scores(lagr *L, int t)
{
    const is_model *m = L->m;
    for (int r = 0; r < m->nruns; r++)
        L->score[r] = is_allowed(m, t, m->runs[r].workshop) && mode_of(L, r) != IS_OUT
                          ? is_score(m, t, r) - L->lambda[r]
                          : -HUGE_VAL;
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
        person_scores(L, t);
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
        if (L->o->pool)
            is_pool_add(L->o->pool, t, L->day);
    }
    return v;
}

/* slack[r] for each relaxed run r: whether a facilitator of r takes a place in one of r's
 * slots in the current relaxed days (where holding r would cost something). */
static void mark_slack(const lagr *L, unsigned char *slack)
{
    const is_model *m = L->m;
    for (int r = 0; r < m->nruns; r++) {
        slack[r] = 0;
        if (mode_of(L, r) != IS_RELAXED)
            continue;
        const cpd_workshop *k = &m->p->workshops[m->runs[r].workshop];
        const is_run *u = &m->runs[r];
        for (int i = 0; i < k->nfacilitators; i++) {
            int t = k->facilitators[i];
            for (int s = u->start; t >= 0 && t < m->T && s < u->start + u->len; s++)
                slack[r] |= L->days[(size_t)t * m->S + s - 1] != IS_BUSY;
        }
    }
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
    person_scores(L, t);
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

double is_lagrangian_bound(const is_model *m, const is_lagr *o)
{
    size_t ts = (size_t)m->T * m->S + 1;
    double target = o->target, *price = o->price;
    lagr L = {.m = m, .o = o, .dfs = is_dfs_new(m), .exact = true,
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
    if (o->start)
        memcpy(L.lambda, o->start, (size_t)m->nruns * sizeof(double));
    double best = HUGE_VAL, theta = THETA0;
    int stall = 0;
    for (int it = 0; it < o->iters; it++) {
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
            if (o->slack)
                mark_slack(&L, o->slack);
        } else if (++stall >= STALL) {
            theta /= 2;
            stall = 0;
        }
        if (o->guide && (it <= o->sweeps || it % GUIDE_EVERY == 0))
            target = fmax(target, o->guide(o->ctx, L.lambda));
        if (v - target <= 1e-9 * fmax(1, fabs(target)))
            break; /* the bound meets the plan: proven */
        if (o->deadline > 0 && is_now() > o->deadline)
            break; /* a safety cap: every L(λ) is a bound */
        if (it < o->sweeps && (it == 0 || stall == 0)) {
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

/* ---- probes: the plans that cancel a run ---- */

typedef struct {
    const is_model *m;
    const is_probe *o;
    unsigned char *pm;    /* the node's modes */
    unsigned char *slack; /* per run: the relaxed runs that cost the node's bound */
    const int *order;
    int n, budget;        /* runs probed; splits left */
    const double *price;
} cover_ctx;

/* A bound on the plans of a node (pm: runs held, out, or relaxed: either). A node whose bound is
 * above the goal is split on a relaxed run one of whose facilitators takes a place while it
 * runs (the first in order), while the budget lasts: held (the facilitator busy) or out (its
 * people elsewhere); the larger of the two children's bounds is the node's. */
static double cover(cover_ctx *c)
{
    const is_probe *p = c->o;
    is_lagr o = {.mode = c->pm, .start = c->price, .target = p->goal, .iters = p->iters,
                 .sweeps = p->sweeps, .slack = c->slack, .deadline = p->deadline};
    double ub = is_lagrangian_bound(c->m, &o);
    bool late = p->deadline > 0 && is_now() > p->deadline;
    if (isnan(ub) || ub <= p->goal || c->budget <= 0 || late)
        return ub;
    int r = -1;
    for (int i = 0; i < c->n && r < 0; i++)
        if (c->pm[c->order[i]] == IS_RELAXED && c->slack[c->order[i]])
            r = c->order[i];
    if (r < 0)
        return ub;
    c->budget--;
    c->pm[r] = IS_HELD;
    double a = cover(c);
    c->pm[r] = IS_OUT;
    double b = isnan(a) ? a : cover(c);
    c->pm[r] = IS_RELAXED;
    return isnan(b) ? b : fmax(a, b);
}

static const int *by_size; /* qsort has no context: set just before the sort */

/* Runs by people in the plan, most first (ties: lower index). */
static int cmp_by_size(const void *a, const void *b)
{
    int r = *(const int *)a, q = *(const int *)b;
    int d = by_size ? by_size[q] - by_size[r] : 0;
    return d ? d : (r > q) - (r < q);
}

double is_probe_cancellations(const is_model *m, const unsigned char *mode, const double *price,
                              double lb, const is_probe *o)
{
    int *order = cpd_xmalloc((size_t)m->nruns * sizeof(int) + 1), n = 0;
    for (int r = 0; r < m->nruns; r++)
        if (m->runs[r].min > 0 && mode[r] == IS_HELD)
            order[n++] = r;
    by_size = o->size;
    qsort(order, (size_t)n, sizeof(int), cmp_by_size);
    cover_ctx c = {.m = m, .o = o, .pm = cpd_xmalloc((size_t)m->nruns + 1),
                   .slack = cpd_xmalloc((size_t)m->nruns + 1), .order = order, .n = n,
                   .budget = o->splits * n, .price = price};
    for (int r = 0; r < m->nruns; r++)
        c.pm[r] = mode[r] == IS_HELD ? IS_RELAXED : mode[r];
    double worst = lb;
    for (int i = 0; i < n && !isnan(worst); i++) {
        c.pm[order[i]] = IS_OUT;
        double ub = cover(&c);
        worst = isnan(ub) ? ub : fmax(worst, ub);
        c.pm[order[i]] = IS_HELD;
    }
    free(c.pm);
    free(c.slack);
    free(order);
    return worst;
}
