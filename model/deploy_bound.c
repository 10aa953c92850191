/* deploy_bound.c — a Lagrangian bound on the deploy optimum: one_coach_per_demand (and
 * max_changes) are moved into the objective with multipliers, which splits the model into one
 * knapsack per coach with a setup (the round trip) per school, solved exactly by dynamic
 * programming; subgradient steps then lower the bound.
 *
 * Why it is valid: with multipliers λ_d >= 0 (one_coach_per_demand), μ >= 0 (max_changes),
 * ν_c >= 0 (coach_people), ρ_c >= 0 (coach_schools) and 0 <= π_c <= ect_extra_penalty
 * (mentor_ects),
 *   L = sum_d λ_d - μ (|P| - dups - K) + sum_c (ν_c maxp_c + ρ_c maxs_c + π_c soft)
 *       + sum_c max { sum_d (v_cd - λ_d + μ [cd ∈ P] - ν_c - π_c [d mentoring]) x_cd
 *                     - sum_s (tc_cs + ρ_c) y_cs : coach_hours, works_at_school }
 * is at least the optimum: every plan is feasible for each coach's subproblem and each moved
 * term is >= 0 on it (e's priced coefficient -penalty + π_c <= 0, so e = 0 is best). The
 * subproblem also drops one_role_per_teacher and the must pins' lower bounds, which only
 * enlarges it, and rounds every hour figure DOWN to a grid of units (a plan's rounded hours
 * still fit in the rounded-down capacity, since their sum is an integer no larger than H / u). */
#include "deploy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define UNIT (1.0 / 12)  /* hours: five minutes, when the data have no exact grid (see exact_unit) */
#define COARSE_UNIT 0.25 /* for the first steps, three times cheaper (any grid gives a valid bound) */
#define COARSE_SHARE 0.6 /* of the iterations */
#define MAX_UNITS 1000   /* a coach with more hours uses a coarser grid (still valid) */
#define THETA0 2.0       /* Polyak step factor, halved when the bound stalls */
#define STALL 15
#define RESTART 0.25  /* of THETA0: the step factor when the fine grid takes over */
#define AVG_WEIGHT 0.1   /* of the newest relaxed plan in the running average */
#define ROUND_EVERY 50   /* iterations between roundings of the average into a plan */

typedef struct {
    const dp_model *m;
    int *order;     /* per coach, its pairs sorted by school then demand */
    double *lambda; /* per demand */
    double mu;      /* max_changes */
    double *nu, *rho, *pi; /* per coach: coach_people, coach_schools, mentor_ects */
    double *g;      /* per demand: the subgradient 1 - sum_c x_cd */
    int gmu;        /* sum_P x - need */
    double *gnu, *grho, *gpi; /* per coach: max - count, max - schools, soft - mentees */
    double pen;     /* ect_extra_penalty: π's upper bound */
    double unit;    /* hours of one step of the knapsack's grid */
    unsigned char *chosen; /* per pair: taken in the last evaluation */
    double *xavg;   /* per pair: a running average of chosen (a primal estimate), or NULL */
    int soft;       /* mentor_soft_max_ects (0: no such rows) */
    /* DP scratch, sized for the largest coach */
    double *F, *T;
    unsigned char *take, *open;
    int *items, *item_w, *group_of;
    double *item_r;
    int cap_items, cap_groups, cap_units;
} lagr;

/* ---- local: the per-coach knapsack ---- */

typedef struct {
    int64_t key; /* school, then demand */
    int pair;
} keyed_pair;

static int cmp_keyed(const void *a, const void *b)
{
    int64_t x = ((const keyed_pair *)a)->key, y = ((const keyed_pair *)b)->key;
    return (x > y) - (x < y);
}

/* Each coach's pairs by school (a school's pairs form one group of the knapsack). */
static int *order_by_school(const dp_model *m)
{
    int *order = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    keyed_pair *k = cpd_xmalloc((size_t)m->npairs * sizeof(keyed_pair) + 1);
    for (int p = 0; p < m->npairs; p++)
        k[p] = (keyed_pair){(int64_t)m->pairs[p].school * (m->ndem + 1) + m->pairs[p].demand, p};
    for (int c = 0; c < m->nc; c++)
        qsort(k + m->cstart[c], (size_t)(m->cstart[c + 1] - m->cstart[c]), sizeof(keyed_pair),
              cmp_keyed);
    for (int p = 0; p < m->npairs; p++)
        order[p] = k[p].pair;
    free(k);
    return order;
}

static double unit_of(const lagr *L, const cpd_coach *k)
{
    return fmax(L->unit, k->hours / (L->m->max_units > 0 ? L->m->max_units : MAX_UNITS));
}

static int units_down(double hours, double u) { return (int)floor(hours / u + 1e-9); }

/* Collects the coach's pairs worth taking at the current prices; returns their number and fills
 * group boundaries (a group = one school). */
static int collect(lagr *L, int c, double u, int *ngroups)
{
    const dp_model *m = L->m;
    int n = 0, g = -1, last_school = -1;
    for (int k = m->cstart[c]; k < m->cstart[c + 1]; k++) {
        int p = L->order[k];
        const dp_pair *q = &m->pairs[p];
        bool ment = m->dem[q->demand].service == CPD_SERVICE_MENTORING;
        double r = q->value - L->lambda[q->demand] + (q->prev ? L->mu : 0) - L->nu[c] -
                   (ment ? L->pi[c] : 0);
        if (r <= 0)
            continue;
        if (q->school != last_school) {
            g++;
            last_school = q->school;
        }
        L->items[n] = p;
        L->item_r[n] = r;
        L->item_w[n] = units_down(q->hours, u);
        L->group_of[n] = g;
        n++;
    }
    *ngroups = g + 1;
    return n;
}

/* One school's group: open it (round trip hours and cost), then a 0/1 knapsack of its items. */
static void dp_group(lagr *L, int c, int K, double u, int first, int last, int gi)
{
    const dp_model *m = L->m;
    int school = m->pairs[L->items[first]].school;
    int su = units_down(dp_rt(m, c, school), u);
    double tc = dp_tcost(m, c, school) + L->rho[c];
    double *F = L->F, *T = L->T;
    for (int k = 0; k <= K; k++)
        T[k] = k >= su ? F[k - su] - tc : -HUGE_VAL;
    for (int i = first; i < last; i++) {
        unsigned char *tk = &L->take[(size_t)i * (K + 1)];
        int w = L->item_w[i] <= K ? L->item_w[i] : K + 1;
        double r = L->item_r[i];
        for (int k = K; k >= w; k--) {
            double v = T[k - w] + r;
            tk[k] = v > T[k];
            T[k] = tk[k] ? v : T[k];
        }
        memset(tk, 0, (size_t)w);
    }
    unsigned char *op = &L->open[(size_t)gi * (K + 1)];
    for (int k = 0; k <= K; k++) {
        op[k] = T[k] > F[k];
        if (op[k])
            F[k] = T[k];
    }
}

/* Follows the DP's choices back from full capacity, adding each taken pair to the
 * subgradient. */
static void backtrack(lagr *L, int c, int K, double u, int n, int ngroups)
{
    const dp_model *m = L->m;
    int k = K, i = n - 1;
    for (int g = ngroups - 1; g >= 0; g--) {
        int first = i;
        while (first >= 0 && L->group_of[first] == g)
            first--;
        if (L->open[(size_t)g * (K + 1) + k]) {
            for (int j = i; j > first; j--)
                if (L->take[(size_t)j * (K + 1) + k]) {
                    const dp_pair *q = &m->pairs[L->items[j]];
                    L->chosen[L->items[j]] = 1;
                    L->g[q->demand] -= 1;
                    L->gmu += q->prev;
                    L->gnu[c] -= 1;
                    L->gpi[c] -= m->dem[q->demand].service == CPD_SERVICE_MENTORING;
                    k -= L->item_w[j];
                }
            k -= units_down(dp_rt(m, c, m->pairs[L->items[i]].school), u);
            L->grho[c] -= 1;
        }
        i = first;
    }
}

/* max over the coach's plans of the priced value, and its subgradient contribution. */
static double coach_best(lagr *L, int c)
{
    const cpd_coach *k = &L->m->s->coaches[c];
    double u = unit_of(L, k);
    int K = (int)floor(k->hours / u + 1e-6);
    int ngroups, n = collect(L, c, u, &ngroups);
    if (n == 0 || K < 0)
        return 0;
    for (int j = 0; j <= K; j++)
        L->F[j] = 0;
    for (int i = 0, g = 0; i < n; g++) {
        int last = i;
        while (last < n && L->group_of[last] == g)
            last++;
        dp_group(L, c, K, u, i, last, g);
        i = last;
    }
    backtrack(L, c, K, u, n, ngroups);
    return L->F[K];
}

/* L(λ, μ), filling the subgradient. */
static double evaluate(lagr *L)
{
    const dp_model *m = L->m;
    double val = -L->mu * m->need_kept;
    L->gmu = -m->need_kept;
    memset(L->chosen, 0, (size_t)m->npairs);
    for (int d = 0; d < m->ndem; d++) {
        L->g[d] = 1;
        val += m->dstart[d + 1] > m->dstart[d] ? L->lambda[d] : 0;
    }
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &m->s->coaches[c];
        L->gnu[c] = k->max_coachees;
        L->grho[c] = k->max_schools;
        L->gpi[c] = L->soft;
        val += L->nu[c] * k->max_coachees + L->rho[c] * k->max_schools + L->pi[c] * L->soft;
        val += coach_best(L, c);
    }
    return val;
}

/* ---- local: set-up ---- */

static long gcd(long a, long b)
{
    while (b) {
        long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* The coarsest grid on which every demand's hours and every round trip are whole steps: the
 * knapsack is then exact, and the bound loses nothing to rounding (a 5-minute grid rounds each
 * 58-minute round trip down by 3 minutes, which over a hundred coaches adds hours that do not
 * exist). Whole minutes are required; otherwise the 5-minute grid (still valid). */
double dp_exact_unit(const dp_model *m)
{
    long g = 0;
    for (int p = 0; p < m->npairs; p++) {
        const dp_pair *q = &m->pairs[p];
        double a = q->hours * 60, b = dp_rt(m, q->coach, q->school) * 60;
        if (fabs(a - round(a)) > 1e-6 || fabs(b - round(b)) > 1e-6)
            return UNIT;
        g = gcd(g, lround(a));
        g = gcd(g, lround(b));
    }
    return g > 0 ? (double)g / 60 : UNIT;
}

static void lagr_init(lagr *L, const dp_model *m)
{
    *L = (lagr){.m = m, .unit = dp_exact_unit(m)};
    L->order = order_by_school(m);
    L->lambda = cpd_xcalloc((size_t)m->ndem + 1, sizeof(double));
    L->g = cpd_xcalloc((size_t)m->ndem + 1, sizeof(double));
    L->chosen = cpd_xcalloc((size_t)m->npairs + 1, 1);
    size_t nc = (size_t)m->nc + 1;
    L->nu = cpd_xcalloc(nc, sizeof(double));
    L->rho = cpd_xcalloc(nc, sizeof(double));
    L->pi = cpd_xcalloc(nc, sizeof(double));
    L->gnu = cpd_xcalloc(nc, sizeof(double));
    L->grho = cpd_xcalloc(nc, sizeof(double));
    L->gpi = cpd_xcalloc(nc, sizeof(double));
    L->soft = m->s->params.mentor_soft_max_ects > 0 ? m->s->params.mentor_soft_max_ects : 0;
    L->pen = m->s->params.ect_extra_penalty > 0 ? m->s->params.ect_extra_penalty : 0;
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &m->s->coaches[c];
        int n = m->cstart[c + 1] - m->cstart[c];
        int K = (int)floor(k->hours / unit_of(L, k) + 1e-6) + 1;
        L->cap_items = n > L->cap_items ? n : L->cap_items;
        L->cap_units = K > L->cap_units ? K : L->cap_units;
    }
    size_t ni = (size_t)L->cap_items + 1, nu = (size_t)L->cap_units + 1;
    L->F = cpd_xmalloc(nu * sizeof(double));
    L->T = cpd_xmalloc(nu * sizeof(double));
    L->take = cpd_xmalloc(ni * nu);
    L->open = cpd_xmalloc(ni * nu); /* groups <= items */
    L->items = cpd_xmalloc(ni * sizeof(int));
    L->item_w = cpd_xmalloc(ni * sizeof(int));
    L->group_of = cpd_xmalloc(ni * sizeof(int));
    L->item_r = cpd_xmalloc(ni * sizeof(double));
}

static void lagr_free(lagr *L)
{
    free(L->order);
    free(L->lambda);
    free(L->g);
    free(L->chosen);
    free(L->nu);
    free(L->rho);
    free(L->pi);
    free(L->gnu);
    free(L->grho);
    free(L->gpi);
    free(L->F);
    free(L->T);
    free(L->take);
    free(L->open);
    free(L->items);
    free(L->item_w);
    free(L->group_of);
    free(L->item_r);
}

/* Projects one multiplier's subgradient component: a component that would push the multiplier
 * out of [0, hi] is left out of the step (and of its norm). Returns its square. */
static double project(double value, double hi, double *g)
{
    if ((value <= 0 && *g > 0) || (value >= hi && *g < 0))
        *g = 0;
    return *g * *g;
}

/* Which coach rows exist: a multiplier for a row that is not in the model stays 0. */
static bool has_people(const lagr *L, int c) { return L->m->s->coaches[c].max_coachees > 0; }
static bool has_schools(const lagr *L, int c) { return L->m->s->coaches[c].max_schools > 0; }
static bool has_ects(const lagr *L, int c) { return L->soft > 0 && L->pen > 0 && L->m->nment_pairs[c] > L->soft; }

static double projected_norm2(lagr *L)
{
    const dp_model *m = L->m;
    double n2 = 0;
    for (int d = 0; d < m->ndem; d++)
        n2 += project(L->lambda[d], HUGE_VAL, &L->g[d]);
    double gmu = L->gmu;
    n2 += m->changes_limited && m->need_kept > 0 ? project(L->mu, HUGE_VAL, &gmu) : 0;
    L->gmu = (int)gmu;
    for (int c = 0; c < m->nc; c++) {
        n2 += has_people(L, c) ? project(L->nu[c], HUGE_VAL, &L->gnu[c]) : 0;
        n2 += has_schools(L, c) ? project(L->rho[c], HUGE_VAL, &L->grho[c]) : 0;
        n2 += has_ects(L, c) ? project(L->pi[c], L->pen, &L->gpi[c]) : 0;
    }
    return n2;
}

static void step(lagr *L, double t)
{
    const dp_model *m = L->m;
    for (int d = 0; d < m->ndem; d++)
        L->lambda[d] = fmax(0, L->lambda[d] - t * L->g[d]);
    if (m->changes_limited && m->need_kept > 0)
        L->mu = fmax(0, L->mu - t * L->gmu);
    for (int c = 0; c < m->nc; c++) {
        if (has_people(L, c))
            L->nu[c] = fmax(0, L->nu[c] - t * L->gnu[c]);
        if (has_schools(L, c))
            L->rho[c] = fmax(0, L->rho[c] - t * L->grho[c]);
        if (has_ects(L, c))
            L->pi[c] = fmin(L->pen, fmax(0, L->pi[c] - t * L->gpi[c]));
    }
}

/* ---- interface ---- */

/* The relaxed plans, averaged with more weight on recent ones, approximate an optimal LP-like
 * solution: a good guide for rounding into a plan. */
static void average(lagr *L, int it)
{
    for (int p = 0; p < L->m->npairs; p++)
        L->xavg[p] = it == 0 ? L->chosen[p] : (1 - AVG_WEIGHT) * L->xavg[p] + AVG_WEIGHT * L->chosen[p];
}

/* Each coach's relaxed schedule, a candidate for the master (deploy_master.c). */
static void collect_columns(lagr *L, dp_pool *pool)
{
    const dp_model *m = L->m;
    for (int c = 0; c < m->nc; c++) {
        int n = 0;
        for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++)
            if (L->chosen[p])
                L->items[n++] = p;
        dp_pool_add(pool, c, L->items, n);
    }
}

double dp_lagrangian(const dp_model *m, const dp_lagr_opts *o)
{
    if (m->npairs == 0)
        return 0;
    lagr L;
    lagr_init(&L, m);
    L.xavg = o->xavg;
    double t0 = dp_now(), best = HUGE_VAL, theta = THETA0, target = o->target, fine = L.unit;
    /* Start from prices at which no coach wants anything (λ_d = the demand's best value):
     * L is then sum_d λ_d, and the steps only lower prices, which converges faster than from
     * zero, where every coach wants every demand. */
    for (int d = 0; d < m->ndem; d++)
        for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
            L.lambda[d] = fmax(L.lambda[d], m->pairs[m->dpairs[k]].value);
    int stall = 0;
    bool coarse = true;
    for (int it = 0; it < o->max_iter && dp_now() - t0 < o->seconds; it++) {
        /* (the time test only matters when the safety cap is near: the fine grid then still
         * gets its share) */
        coarse = coarse && it < COARSE_SHARE * o->max_iter &&
                 dp_now() - t0 < COARSE_SHARE * 0.5 * o->seconds;
        if (!coarse && L.unit != fine) {
            /* The fine grid's subproblems differ: the steps start afresh (they have shrunk
             * to the coarse grid's noise by now). */
            theta = THETA0 * RESTART;
            stall = 0;
        }
        L.unit = coarse ? fmax(COARSE_UNIT, fine) : fine;
        double val = evaluate(&L);
        if (o->pool && !coarse)
            collect_columns(&L, o->pool);
        if (o->xavg)
            average(&L, it);
        if (o->xavg && o->round && it > 0 && it % ROUND_EVERY == 0)
            target = fmax(target, o->round(o->ctx, o->xavg)); /* a better plan: better aimed steps */
        if (val < best - 1e-9) {
            best = val;
            stall = 0;
            if (o->lambda)
                memcpy(o->lambda, L.lambda, (size_t)m->ndem * sizeof(double));
        } else if (++stall >= STALL) {
            theta /= 2;
            stall = 0;
        }
        double n2 = projected_norm2(&L);
        if (n2 == 0 || best - target < 1e-9 * fmax(1, fabs(target)) ||
            (m->integral && floor(best + 1e-6) <= target + 1e-9))
            break; /* the plan is proven optimal, or the relaxed plan is feasible */
        step(&L, theta * (val - target) / n2);
    }
    lagr_free(&L);
    return best;
}

double dp_lagrangian_bound(const dp_model *m, double target, double seconds, int max_iter,
                           double *xavg, dp_round_fn round, void *ctx)
{
    dp_lagr_opts o = {.target = target, .seconds = seconds, .max_iter = max_iter, .xavg = xavg,
                      .round = round, .ctx = ctx};
    return dp_lagrangian(m, &o);
}
