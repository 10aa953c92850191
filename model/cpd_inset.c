/* cpd_inset.c — the inset job's entry points: building the programme, the checks before
 * solving, and the solve (fairness level, heuristic, Lagrangian bound with the held runs and
 * plans built from its prices, the master over every day seen, probes of the plans that cancel
 * a run, ruin and recreate while the gap is open, GLPK on small days, plan). */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RR_ITERS 500   /* ruin-and-recreate rounds when the bound does not prove the plan */
#define RR_SHARE 20    /* a round re-places one person in this many */
#define RR_TIME_SHARE 0.8 /* a safety cap on the rounds: this share of the time limit */
#define LAGRANGE_ITERS 60   /* subgradient steps: the count ends the bound, so runs repeat */
#define LAGRANGE_SHARE 0.5  /* a safety cap on the first bound: this share of the time */
#define COORD_SWEEPS 4      /* a bound's first steps: sweeps of exact block steps */
#define PROBE_ITERS 3       /* steps for the bound of plans that cancel a run, */
#define PROBE_SWEEP_STAFF 1000 /* sweeps among them up to this many staff (above: too slow) */
#define PROBE_SPLITS 4      /* splits of those bounds, per cancellable run */
#define POOL_MAX 400000     /* days kept for the master */
#define MASTER_SECONDS 20.0 /* a safety cap on the master's LP */
#define GLPK_MAX_X 30000    /* places x[t,r] above which GLPK is not run (see glpk_worth_it) */
#define MIN_GLPK_SECONDS 0.2 /* GLPK is not started with less time than this */
#define GLPK_SHARE 0.9      /* GLPK's limit: this share of the time left (it overruns ~4 %) */
#define END_SHARE 0.02      /* the time limit's share kept for writing the plan, */
#define END_MARGIN 0.1      /* and seconds on top */

/* ---- local: solving ---- */

typedef struct {
    const cpd_inset *p;
    const cpd_inset_opts *opts;
    cpd_diags *d;
    double t0;
    is_model m;
    is_layout lay;
    cpd_engine *e;
    is_state *heur, *final;
    is_pool *pool;
    double lb;       /* the proven bound, NAN when there is none */
    double deadline; /* the time limit less the margin for writing (HUGE_VAL: none) */
    struct {
        int nx, nvars, nrows; /* the model's size, nx = -1 until counted */
    } size;
} solve_ctx;

/* A level is reached when the heuristic keeps it without placing fewer people or missing more
 * mandatory workshops than with no level at all. */
static bool level_reached(is_state *st, int unplaced, int missed)
{
    is_heuristic(st);
    return is_state_feasible(st) && is_state_unplaced(st) <= unplaced &&
           is_state_missed(st) <= missed;
}

/* Fairness, first phase: the smallest R (binary search over 1..K+1) at which everyone with
 * choices gets only places ranked <= max(R, rmin[t]) (outside places rank K+1; rmin[t] is the
 * fewest top choices that fill t's day). Leaves the model at R and x->heur holding its plan. */
static void fairness_level(solve_ctx *x)
{
    is_model *m = &x->m;
    m->R = m->K + 1;
    is_heuristic(x->heur);
    if (!x->p->params.fairness || m->K == 0)
        return;
    int unplaced = is_state_unplaced(x->heur), missed = is_state_missed(x->heur);
    is_state *trial = is_state_new(m);
    int lo = 1, hi = m->K + 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        m->R = mid;
        if (level_reached(trial, unplaced, missed)) {
            hi = mid;
            is_state_copy(x->heur, trial);
        } else {
            lo = mid + 1;
        }
    }
    m->R = lo; /* at K + 1 x->heur still holds the plan with no level */
    is_state_free(&trial);
}

static double rel_gap(double bound, double obj) { return fabs(bound - obj) / fmax(1e-9, fabs(obj)); }

/* GLPK's branch-and-bound only helps on small models: above GLPK_MAX_X places its LP alone
 * takes most of a minute and it finds nothing the master has not, so the time goes to the plan
 * instead. */
static bool glpk_worth_it(solve_ctx *x)
{
    if (x->size.nx < 0)
        is_model_size(&x->m, &x->size.nx, &x->size.nvars, &x->size.nrows);
    return x->size.nx <= GLPK_MAX_X;
}

/* The construction and local search guided by multipliers; keeps the plan when it is better. */
static double guided(void *ctx, const double *lambda)
{
    solve_ctx *x = ctx;
    if (is_now() > x->deadline)
        return is_state_objective(x->heur);
    is_state *st = is_state_new(&x->m);
    st->price = lambda;
    is_heuristic(st);
    st->price = NULL;
    if (x->pool)
        is_pool_add_state(x->pool, st);
    if (is_state_feasible(st) && is_state_objective(st) > is_state_objective(x->heur) + 1e-9)
        is_state_copy(x->heur, st);
    is_state_free(&st);
    return is_state_objective(x->heur);
}

static double target_gap(const solve_ctx *x)
{
    return x->opts->solve.gap > 0 ? x->opts->solve.gap : 1e-9;
}

static bool proven(const solve_ctx *x)
{
    return !isnan(x->lb) && rel_gap(x->lb, is_state_objective(x->heur)) <= target_gap(x);
}

/* The Lagrangian bound on the plans that hold the runs mode marks held, with plans built from
 * its multipliers along the way and every relaxed day pooled; price receives the best
 * multipliers. */
static double held_bound(solve_ctx *x, const unsigned char *mode, double *price)
{
    is_lagr o = {.mode = mode, .target = is_state_objective(x->heur), .iters = LAGRANGE_ITERS,
                 .sweeps = COORD_SWEEPS, .price = price, .guide = guided, .ctx = x,
                 .pool = x->pool, .deadline = x->t0 + LAGRANGE_SHARE * (x->deadline - x->t0)};
    return is_lagrangian_bound(&x->m, &o);
}

/* What the probes must get below: the held bound raised by a tenth of the target gap, or, when
 * that is higher, what proves half the target gap for the plan (more would cost time and prove
 * nothing the user asked for). */
static double probe_goal(const solve_ctx *x, double lb)
{
    double g = target_gap(x), obj = is_state_objective(x->heur);
    return fmax(lb + 0.1 * g * fabs(lb), obj + 0.5 * g * fabs(obj));
}

/* The bound over every plan (see is_probe_cancellations). Why: relaxed, a cancellable run's
 * facilitators may take places while it runs; on a generated 2,000-staff day that alone put the
 * bound 0.2 % above the optimum (which CBC proved), more than the whole target gap. Held, the
 * bound is within 0.01 % of it. */
static double probe_cancellations(solve_ctx *x, const unsigned char *mode, const double *price,
                                  double lb)
{
    is_probe o = {.size = x->heur->size, .goal = probe_goal(x, lb), .iters = PROBE_ITERS,
                  .sweeps = x->m.T <= PROBE_SWEEP_STAFF ? COORD_SWEEPS : 0,
                  .splits = PROBE_SPLITS, .deadline = x->deadline};
    return is_probe_cancellations(&x->m, mode, price, lb, &o);
}

/* The master over the pooled days, then the local search. */
static void master(solve_ctx *x)
{
    double left = x->deadline - is_now();
    if (left <= 0)
        return;
    is_master(x->heur, x->pool, fmin(MASTER_SECONDS, left));
    is_improve(x->heur);
}

/* Ruin and recreate guided by the multipliers (a count of rounds ends it; the share of the time
 * limit is a safety cap only), then the master again with the days of its plan. */
static void ruin_and_recreate(solve_ctx *x, const double *price)
{
    const is_model *m = &x->m;
    int ruin = m->T / RR_SHARE > 1 ? m->T / RR_SHARE : 1;
    double limit = x->opts->solve.time_limit;
    double deadline = limit > 0 ? fmin(x->t0 + RR_TIME_SHARE * limit, x->deadline) : 0;
    /* a plan that meets the target gap against the bound ends the rounds (at or above the
     * exact threshold whatever the signs) */
    double g = target_gap(x), stop_at = x->lb - g * fabs(x->lb) / (1 + g);
    if (isnan(x->lb))
        stop_at = HUGE_VAL;
    is_ruin_recreate(x->heur, price, RR_ITERS, ruin, stop_at, deadline);
    if (!proven(x)) {
        is_pool_add_state(x->pool, x->heur);
        master(x);
    }
}

/* The bound and the plan. The Lagrangian takes every cancellable run the plan holds as held,
 * with plans built from its multipliers along the way; the master over every day it saw makes
 * the plan; the probes then cover the plans that cancel one of those runs (their goal depends on
 * the plan, so they come after it); while the bound does not prove the plan, ruin and
 * recreate. */
static void bound_and_improve(solve_ctx *x)
{
    const is_model *m = &x->m;
    x->lb = is_state_objective(x->heur);
    if (m->nruns == 0)
        return;
    double *price = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double));
    unsigned char *mode = cpd_xcalloc((size_t)m->nruns + 1, 1);
    for (int r = 0; r < m->nruns; r++)
        mode[r] = m->runs[r].min > 0 && x->heur->cancelled[r] ? IS_RELAXED : IS_HELD;
    x->pool = is_pool_new(m, POOL_MAX);
    is_pool_add_state(x->pool, x->heur);
    double held = held_bound(x, mode, price);
    guided(x, price);
    x->lb = NAN; /* not a bound before the probes */
    master(x);
    x->lb = isnan(held) ? held : probe_cancellations(x, mode, price, held);
    if (!isnan(x->lb) && !proven(x))
        ruin_and_recreate(x, price);
    free(mode);
    free(price);
}

/* The GLPK model is built when it is exported or solved. */
static bool engine_wanted(solve_ctx *x)
{
    return x->opts->export_path || (!proven(x) && glpk_worth_it(x));
}

static cpd_solve_result run_engine(solve_ctx *x, bool *ran)
{
    double obj = is_state_objective(x->heur), left = x->deadline - is_now();
    *ran = false;
    if (!x->e || proven(x) || !glpk_worth_it(x) || left < MIN_GLPK_SECONDS) {
        double b = isnan(x->lb) ? obj : fmax(x->lb, obj);
        return (cpd_solve_result){.status = proven(x) ? CPD_SOLVE_OPTIMAL : CPD_SOLVE_FEASIBLE,
                                  .objective = obj, .bound = b, .gap = rel_gap(b, obj),
                                  .has_bound = !isnan(x->lb), .from_heuristic = true};
    }
    cpd_solve_opts so = x->opts->solve;
    if (so.time_limit > 0)
        so.time_limit = GLPK_SHARE * left; /* GLPK overruns its limit a little */
    *ran = true;
    return cpd_engine_solve(x->e, &so);
}

static cpd_code take_plan(solve_ctx *x, cpd_solve_result *r, bool ran)
{
    x->final = is_state_new(&x->m);
    if (ran && (r->status == CPD_SOLVE_OPTIMAL || r->status == CPD_SOLVE_FEASIBLE)) {
        double *v = cpd_xmalloc((size_t)x->lay.nvars * sizeof(double) + 1);
        for (int j = 0; j < x->lay.nvars; j++)
            v[j] = cpd_engine_value(x->e, j);
        is_state_from_x(x->final, &x->lay, v);
        free(v);
        if (is_state_feasible(x->final))
            return CPD_OK;
        cpd_error(x->d, NULL, 0, 0, "internal: the solver's plan breaks a rule of the model");
        return CPD_EINTERNAL;
    }
    if (!is_state_feasible(x->heur)) {
        cpd_error(x->d, NULL, 0, 0, r->status == CPD_SOLVE_NO_PLAN
                                        ? "the pins leave no plan"
                                        : "no plan found within the time limit; allow more time");
        return CPD_ENOPLAN;
    }
    if (ran && r->status == CPD_SOLVE_FAILED)
        cpd_warn(x->d, NULL, 0, 0, "solver failure (%s); the plan is the construction heuristic's",
                 cpd_engine_error(x->e));
    is_state_copy(x->final, x->heur);
    double obj = is_state_objective(x->heur);
    if (ran) {
        r->objective = obj;
        r->from_heuristic = true;
        r->status = CPD_SOLVE_FEASIBLE;
        if (r->has_bound) {
            r->gap = rel_gap(r->bound, obj);
            double target = x->opts->solve.gap > 0 ? x->opts->solve.gap : 1e-9;
            if (r->gap <= target)
                r->status = CPD_SOLVE_OPTIMAL;
        }
    }
    return CPD_OK;
}

static void build_engine(solve_ctx *x)
{
    x->e = is_build_engine(&x->m, &x->lay);
    double *v = cpd_xmalloc((size_t)x->lay.nvars * sizeof(double) + 1);
    is_state_to_x(x->heur, &x->lay, v);
    cpd_engine_set_start(x->e, v);
    free(v);
    if (!isnan(x->lb))
        cpd_engine_set_external_bound(x->e, x->lb);
}

static cpd_code solve(solve_ctx *x, cpd_inset_plan **out)
{
    is_model_build(x->p, &x->m);
    x->heur = is_state_new(&x->m);
    fairness_level(x);
    bound_and_improve(x);
    if (engine_wanted(x)) {
        build_engine(x);
        x->size.nvars = x->lay.nvars;
        x->size.nrows = x->lay.nrows;
    } else {
        glpk_worth_it(x); /* counts the model */
    }
    if (x->opts->export_path && !cpd_engine_export(x->e, x->opts->export_path)) {
        cpd_error(x->d, NULL, 0, 0, "cannot export the model to '%s': %s", x->opts->export_path,
                  cpd_engine_error(x->e));
        return CPD_EINTERNAL;
    }
    bool ran;
    cpd_solve_result r = run_engine(x, &ran);
    cpd_code code = take_plan(x, &r, ran);
    if (code != CPD_OK)
        return code;
    cpd_inset_plan *p = cpd_xcalloc(1, sizeof *p);
    is_plan_fill(x->final, p);
    r.seconds = is_now() - x->t0;
    p->result = r;
    p->heuristic_objective = is_state_objective(x->heur);
    p->nvars = x->size.nvars;
    p->nconstraints = x->size.nrows;
    *out = p;
    return CPD_OK;
}

/* ---- interface: the programme ---- */

void cpd_inset_params_default(cpd_inset_params *p)
{
    *p = (cpd_inset_params){.nslots = 4, .rank_power = 2, .outside_value = 0, .fairness = true,
                            .strict = false, .time_limit = 60, .gap = 0.001, .date = -1};
}

bool cpd_inset_slot_time(const cpd_inset_params *p, int s, int *start, int *end)
{
    if (s >= 1 && s <= p->ntimes && s <= CPD_INSET_MAX_SLOTS) {
        *start = p->slot_start[s - 1];
        *end = p->slot_end[s - 1];
        return true;
    }
    *start = CPD_INSET_DAY_START + (s - 1) * (CPD_INSET_SESSION + CPD_INSET_BREAK);
    *end = *start + CPD_INSET_SESSION;
    return s >= 1 && *end <= 24 * 60;
}

cpd_inset *cpd_inset_new(cpd_scenario **common)
{
    cpd_inset *p = cpd_xcalloc(1, sizeof *p);
    p->common = common && *common ? *common : cpd_scenario_new();
    if (common)
        *common = NULL;
    cpd_inset_params_default(&p->params);
    return p;
}

void cpd_inset_free(cpd_inset **pp)
{
    if (!pp || !*pp)
        return;
    cpd_inset *p = *pp;
    for (int w = 0; w < p->nworkshops; w++) {
        cpd_workshop *k = &p->workshops[w];
        free(k->id);
        free(k->title);
        free(k->facilitators);
        cpd_strlist_clear(&k->audience);
        cpd_strlist_clear(&k->mandatory_for);
    }
    for (int i = 0; i < p->nprefs; i++)
        free(p->prefs[i].choices);
    free(p->workshops);
    free(p->prefs);
    free(p->pins);
    cpd_scenario_free(&p->common);
    free(p);
    *pp = NULL;
}

/* Grows an array by one element when it is at a power of two (amortised doubling). */
static void *grow(void *arr, int n, size_t size)
{
    if (n == 0 || (n & (n - 1)) == 0)
        arr = cpd_xrealloc(arr, (size_t)(n ? 2 * n : 1) * size);
    return arr;
}

int cpd_inset_add_workshop(cpd_inset *p, const cpd_workshop *w)
{
    p->workshops = grow(p->workshops, p->nworkshops, sizeof *p->workshops);
    cpd_workshop *k = &p->workshops[p->nworkshops];
    *k = *w;
    k->id = cpd_strdup(w->id ? w->id : "");
    k->title = cpd_strdup(w->title ? w->title : k->id);
    if (k->length < 1)
        k->length = 1;
    return p->nworkshops++;
}

int cpd_inset_add_preference(cpd_inset *p, const cpd_preference *pr)
{
    p->prefs = grow(p->prefs, p->nprefs, sizeof *p->prefs);
    p->prefs[p->nprefs] = *pr;
    return p->nprefs++;
}

void cpd_inset_add_pin(cpd_inset *p, const cpd_inset_pin *pin)
{
    p->pins = grow(p->pins, p->npins, sizeof *p->pins);
    p->pins[p->npins++] = *pin;
}

/* ---- interface: checking and solving ---- */

cpd_code cpd_inset_check(const cpd_inset *p, cpd_diags *d)
{
    is_model m;
    is_model_build(p, &m);
    int n = is_check(&m, d);
    is_model_free(&m);
    return n ? CPD_ENOPLAN : CPD_OK;
}

cpd_code cpd_inset_solve(const cpd_inset *p, const cpd_inset_opts *opts, cpd_inset_plan **plan,
                         cpd_diags *d)
{
    *plan = NULL;
    if (cpd_inset_check(p, d) != CPD_OK)
        return CPD_ENOPLAN;
    double t0 = is_now(), limit = opts->solve.time_limit;
    solve_ctx x = {.p = p, .opts = opts, .d = d, .t0 = t0, .lb = NAN, .size.nx = -1,
                   .deadline = limit > 0 ? t0 + limit * (1 - END_SHARE) - END_MARGIN : HUGE_VAL};
    cpd_code code = solve(&x, plan);
    is_state_free(&x.heur);
    is_state_free(&x.final);
    is_pool_free(&x.pool);
    cpd_engine_free(&x.e);
    is_layout_free(&x.lay);
    is_model_free(&x.m);
    return code;
}

void cpd_inset_plan_free(cpd_inset_plan **pp)
{
    if (!pp || !*pp)
        return;
    cpd_inset_plan *p = *pp;
    for (int i = 0; i < p->nunmet; i++)
        free(p->unmet[i].reason);
    free(p->places);
    free(p->runs);
    free(p->unmet);
    free(p);
    *pp = NULL;
}

void cpd_inset_anonymise(cpd_inset *p) { cpd_scenario_anonymise(p->common); }
