/* cpd_inset.c — the inset job's entry points: building the programme, the checks before
 * solving, and the solve (fairness level, heuristic, Lagrangian bound with plans built from its
 * prices, ruin and recreate while the gap is open, GLPK, plan). */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RR_ITERS 500   /* ruin-and-recreate rounds when the bound does not prove the plan */
#define RR_SHARE 20    /* a round re-places one person in this many */
#define RR_TIME_SHARE 0.8 /* a safety cap on the rounds: this share of the time limit */
#define LAGRANGE_ITERS 150  /* subgradient steps: the count ends the bound, so runs repeat */

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
    double lb;
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

/* The construction and local search guided by multipliers; keeps the plan when it is better. */
static double guided(void *ctx, const double *lambda)
{
    solve_ctx *x = ctx;
    is_state *st = is_state_new(&x->m);
    st->price = lambda;
    is_heuristic(st);
    st->price = NULL;
    if (is_state_feasible(st) && is_state_objective(st) > is_state_objective(x->heur) + 1e-9)
        is_state_copy(x->heur, st);
    is_state_free(&st);
    return is_state_objective(x->heur);
}

/* The Lagrangian bound; plans built from its multipliers along the way and from the best; then,
 * while the bound does not prove the plan, ruin and recreate guided by the best multipliers (a
 * count of rounds ends it; the share of the time limit is a safety cap only). */
static void bound_and_improve(solve_ctx *x)
{
    const is_model *m = &x->m;
    double target = is_state_objective(x->heur);
    double *price = cpd_xcalloc((size_t)m->nruns + 1, sizeof(double));
    x->lb = m->nruns ? is_lagrangian_bound(m, target, LAGRANGE_ITERS, price, guided, x) : target;
    guided(x, price);
    double obj = is_state_objective(x->heur), gap = x->opts->solve.gap;
    if (m->nruns && !isnan(x->lb) && rel_gap(x->lb, obj) > (gap > 0 ? gap : 1e-9)) {
        double limit = x->opts->solve.time_limit;
        int ruin = m->T / RR_SHARE > 1 ? m->T / RR_SHARE : 1;
        double deadline = limit > 0 ? x->t0 + RR_TIME_SHARE * limit : 0;
        /* a plan that meets the target gap against the bound ends the rounds (at or above the
         * exact threshold whatever the signs) */
        double g = gap > 0 ? gap : 1e-9, stop_at = x->lb - g * fabs(x->lb) / (1 + g);
        is_ruin_recreate(x->heur, price, RR_ITERS, ruin, stop_at, deadline);
    }
    free(price);
}


static cpd_solve_result run_engine(solve_ctx *x, bool *ran)
{
    double obj = is_state_objective(x->heur), target = x->opts->solve.gap;
    *ran = false;
    bool proven = !isnan(x->lb) && rel_gap(x->lb, obj) <= (target > 0 ? target : 1e-9);
    if (x->lay.nvars == 0 || proven)
        return (cpd_solve_result){.status = CPD_SOLVE_OPTIMAL, .objective = obj,
                                  .bound = isnan(x->lb) ? obj : fmax(x->lb, obj),
                                  .gap = isnan(x->lb) ? 0 : rel_gap(fmax(x->lb, obj), obj),
                                  .has_bound = true, .from_heuristic = true};
    cpd_solve_opts so = x->opts->solve;
    if (so.time_limit > 0)
        so.time_limit = fmax(0.05, so.time_limit - (is_now() - x->t0));
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

static cpd_code solve(solve_ctx *x, cpd_inset_plan **out)
{
    is_model_build(x->p, &x->m);
    x->heur = is_state_new(&x->m);
    fairness_level(x);
    bound_and_improve(x);
    x->e = is_build_engine(&x->m, &x->lay);
    double *v = cpd_xmalloc((size_t)x->lay.nvars * sizeof(double) + 1);
    is_state_to_x(x->heur, &x->lay, v);
    cpd_engine_set_start(x->e, v);
    free(v);
    if (!isnan(x->lb))
        cpd_engine_set_external_bound(x->e, x->lb);
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
    p->nvars = x->lay.nvars;
    p->nconstraints = x->lay.nrows;
    *out = p;
    return CPD_OK;
}

/* ---- interface: the programme ---- */

void cpd_inset_params_default(cpd_inset_params *p)
{
    *p = (cpd_inset_params){.nslots = 4, .rank_power = 2, .outside_value = 0, .fairness = true,
                            .strict = false, .time_limit = 60, .gap = 0.001};
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
    solve_ctx x = {.p = p, .opts = opts, .d = d, .t0 = is_now(), .lb = NAN};
    cpd_code code = solve(&x, plan);
    is_state_free(&x.heur);
    is_state_free(&x.final);
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
