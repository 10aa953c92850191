/* cpd_deploy.c — the deploy job's entry points: demands, the checks only the model can make,
 * and the solve: construction heuristic; Lagrangian bound by per-coach knapsacks, whose
 * averaged relaxed plans are rounded and whose coach schedules a set-packing master
 * recombines; ruin and recreate; then GLPK's branch and bound on models small enough for it;
 * the plan. Every phase ends by its own count; the time limit only cuts in as a safety. */
#include "deploy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LAGRANGE_ITERS 500     /* the subgradient's steps: the count ends it, so runs repeat */
#define LAGRANGE_SECONDS 30.0  /* a safety cap far above what the steps take */
/* Under a tight time limit the heuristic's search stops at this share of the limit, the
 * Lagrangian and the final rounding at the next: a plan is written in time, whatever the size. */
#define HEUR_SHARE 0.4
#define LAGRANGE_SHARE 0.7
#define ROUND_SHARE 0.85
#define RUIN_SHARE 0.95
/* Above this many pairs GLPK's root LP alone takes longer than the whole decomposition (26 s
 * at 22k pairs, where the Lagrangian bound is also tighter than the LP's), and its search
 * improves neither plan nor bound within a minute: the decomposition's plan and bound are the
 * answer. */
#define GLPK_MAX_PAIRS 8000
#define END_MARGIN 0.15 /* seconds left for writing the plan */
#define RUIN_PER_SECOND 50 /* ruin-and-recreate steps per second of time limit */
#define RUIN_MIN 100
#define RUIN_MAX 3000
#define RUIN_SEED 20261124
#define POOL_MAX 200000     /* coach schedules kept for the master */
#define MASTER_SECONDS 10.0 /* a safety cap on the master's GLPK search */

/* ---- local: GLPK's heuristic hook ---- */

typedef struct {
    const dp_layout *lay;
    dp_state *st;
    double best; /* the best plan this hook (or the construction) has handed over */
} lp_hook;

/* Rounds GLPK's LP relaxation into a plan; hands it over only when it beats the best so far. */
static bool round_lp(void *ctx, const double *lp, double *x, size_t nvars)
{
    lp_hook *h = ctx;
    if ((int)nvars != h->lay->nvars || !dp_heuristic_from_lp(h->st, lp, false))
        return false;
    if (h->st->obj <= h->best + 1e-6)
        return false;
    h->best = h->st->obj;
    dp_state_to_x(h->st, h->lay, x);
    return true;
}

/* ---- local: solving ---- */

typedef struct {
    const cpd_deploy_opts *opts;
    cpd_diags *d;
    double t0;
    dp_model *m;
    dp_layout lay;
    cpd_engine *e;
    dp_state *heur;   /* the best plan before GLPK: construction, then Lagrangian rounding */
    bool heur_ok;
    dp_state *final;  /* the plan returned */
    lp_hook hook;
    bool engine_run;  /* GLPK was run (else the decomposition's plan is the answer) */
} solve_ctx;

/* Names the coaches whose pairs of last term cannot all be kept together (hours with travel,
 * schools, coachees), when --max-changes leaves no plan. */
static void explain_changes(const solve_ctx *x)
{
    const dp_model *m = x->m;
    dp_state *st = dp_state_new(m);
    for (int p = 0; p < m->npairs; p++)
        if (m->pairs[p].prev && st->assign[m->pairs[p].demand] < 0)
            dp_state_add(st, p);
    for (int d = 0; d < m->ndem; d++) {
        if (m->must[d] < 0)
            continue;
        if (st->assign[d] >= 0)
            dp_state_remove(st, d);
        dp_state_add(st, dp_find_pair(m, m->must[d], d));
    }
    char *who = NULL;
    int n = 0;
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &m->s->coaches[c];
        if (st->used[c] > k->hours + DP_EPS)
            cpd_strcatf(&who, "%s%s (%.4g hours with travel, has %g)", n++ ? ", " : "", k->id,
                       st->used[c], k->hours);
        else if (k->max_schools > 0 && st->nsch[c] > k->max_schools)
            cpd_strcatf(&who, "%s%s (%d schools, at most %d)", n++ ? ", " : "", k->id, st->nsch[c],
                       k->max_schools);
        else if (k->max_coachees > 0 && st->npeople[c] > k->max_coachees)
            cpd_strcatf(&who, "%s%s (%d people, at most %d)", n++ ? ", " : "", k->id,
                       st->npeople[c], k->max_coachees);
    }
    if (n)
        cpd_error(x->d, NULL, 0, 0,
                  "--max-changes %d cannot be met: last term's pairs that are still possible do "
                  "not fit together this term: %s; allow more changes",
                  m->s->params.max_changes, who);
    else
        cpd_error(x->d, NULL, 0, 0,
                  "--max-changes %d cannot be met together with the coaches' hours and limits; "
                  "allow more changes",
                  m->s->params.max_changes);
    free(who);
    dp_state_free(&st);
}

static void explain_no_plan(const solve_ctx *x)
{
    if (x->m->changes_limited && x->m->need_kept > 0)
        explain_changes(x);
    else
        cpd_error(x->d, NULL, 0, 0, "the pins and the coaches' hours and limits leave no plan");
}

/* dp_now() at share of the time limit, or HUGE_VAL with no limit. */
static double at_share(const solve_ctx *x, double share)
{
    double limit = x->opts->solve.time_limit;
    return limit > 0 ? x->t0 + share * limit : HUGE_VAL;
}

/* The construction heuristic; the engine model; GLPK's LP rounding hook. */
static void build(solve_ctx *x)
{
    x->heur = dp_state_new(x->m);
    x->m->deadline = at_share(x, HEUR_SHARE);
    x->heur_ok = dp_heuristic(x->heur);
    x->e = dp_build_engine(x->m, &x->lay);
    x->hook = (lp_hook){.lay = &x->lay, .st = dp_state_new(x->m), .best = -HUGE_VAL};
    cpd_engine_set_heuristic(x->e, round_lp, &x->hook);
}

/* Rounds the Lagrangian's averaged relaxed plans; keeps the plan when it is better. */
static double round_average(void *ctx, const double *xavg, bool thorough)
{
    solve_ctx *x = ctx;
    dp_state *st = x->hook.st;
    if (dp_heuristic_from_lp(st, xavg, thorough) && st->obj > x->heur->obj + 1e-6)
        dp_state_copy(x->heur, st);
    return x->heur->obj;
}

static double round_quick(void *ctx, const double *xavg) { return round_average(ctx, xavg, false); }

/* The coaches' relaxed schedules and the best plan's, recombined by the set-packing master,
 * then polished; kept when better. The master's time is capped (it usually takes a fraction of
 * a second; the cap only guards against a hard one). */
static void recombine(solve_ctx *x, dp_pool *pool)
{
    double left = x->m->deadline - dp_now();
    if (left <= 0.1)
        return;
    dp_pool_add_state(pool, x->heur);
    dp_state *st = x->hook.st;
    if (dp_pool_solve(pool, st, fmin(MASTER_SECONDS, left)) && dp_polish(st) &&
        st->obj > x->heur->obj + 1e-6)
        dp_state_copy(x->heur, st);
}

/* Ruin and recreate on the best plan, then the local search once more. The count grows with
 * the time limit (a longer limit buys a longer search), so runs with the same limit repeat. */
static void ruin_recreate(solve_ctx *x)
{
    double limit = x->opts->solve.time_limit;
    int iters = limit > 0 ? (int)fmin(RUIN_MAX, fmax(RUIN_MIN, RUIN_PER_SECOND * limit)) : RUIN_MAX;
    dp_state *st = x->hook.st;
    dp_state_copy(st, x->heur);
    x->m->deadline = at_share(x, RUIN_SHARE);
    if (dp_ruin_recreate(st, iters, RUIN_SEED) && dp_polish(st) && st->obj > x->heur->obj + 1e-6)
        dp_state_copy(x->heur, st);
}

/* A bound holds rounded down when every plan's objective is a whole number. */
static double whole_bound(const dp_model *m, double lb)
{
    return m->integral && !isnan(lb) ? floor(lb + 1e-6) : lb;
}

/* The Lagrangian bound, when there is a plan to aim the steps at; the average of its relaxed
 * plans, rounded now and then, may improve that plan (which then aims the steps better). */
static double lagrangian(solve_ctx *x)
{
    if (!x->heur_ok || x->m->npairs == 0)
        return NAN;
    double *xavg = cpd_xcalloc((size_t)x->m->npairs, sizeof(double));
    dp_pool *pool = dp_pool_new(x->m, POOL_MAX);
    x->m->deadline = at_share(x, LAGRANGE_SHARE);
    dp_lagr_opts o = {.target = x->heur->obj, .max_iter = LAGRANGE_ITERS,
                      .seconds = fmin(LAGRANGE_SECONDS, x->m->deadline - dp_now()),
                      .xavg = xavg, .round = round_quick, .ctx = x, .pool = pool};
    double lb = whole_bound(x->m, dp_lagrangian(x->m, &o));
    x->m->deadline = at_share(x, ROUND_SHARE);
    round_average(x, xavg, true);
    recombine(x, pool);
    dp_pool_free(&pool);
    ruin_recreate(x);
    free(xavg);
    if (!isnan(lb))
        cpd_engine_set_external_bound(x->e, lb);
    return lb;
}

/* The heuristic's plan as GLPK's start. */
static void set_start(solve_ctx *x)
{
    if (!x->heur_ok)
        return;
    double *v = cpd_xmalloc((size_t)x->lay.nvars * sizeof(double) + 1);
    dp_state_to_x(x->heur, &x->lay, v);
    cpd_engine_set_start(x->e, v);
    free(v);
    x->hook.best = x->heur->obj;
}

/* The decomposition's answer, without GLPK: the best plan and the Lagrangian bound. */
static cpd_solve_result decomposition_result(const solve_ctx *x, double lb)
{
    if (!x->heur_ok)
        return (cpd_solve_result){.status = CPD_SOLVE_NO_PLAN_YET};
    double obj = x->heur->obj, target = x->opts->solve.gap > 0 ? x->opts->solve.gap : 1e-9;
    cpd_solve_result r = {.objective = obj, .has_bound = !isnan(lb), .from_heuristic = true};
    r.bound = r.has_bound ? fmax(lb, obj) : HUGE_VAL;
    r.gap = r.has_bound ? (r.bound - obj) / fmax(1e-9, fabs(obj)) : HUGE_VAL;
    r.status = r.has_bound && r.gap <= target ? CPD_SOLVE_OPTIMAL : CPD_SOLVE_FEASIBLE;
    return r;
}

static cpd_solve_result run_engine(solve_ctx *x, double lb)
{
    if (x->m->npairs == 0) /* nothing to decide (GLPK takes no empty model): nothing is met */
        return (cpd_solve_result){.status = CPD_SOLVE_OPTIMAL, .has_bound = true};
    cpd_solve_opts so = x->opts->solve;
    double left = so.time_limit - (dp_now() - x->t0) - END_MARGIN;
    bool proven = x->heur_ok && decomposition_result(x, lb).status == CPD_SOLVE_OPTIMAL;
    if (x->heur_ok && (proven || x->m->npairs > GLPK_MAX_PAIRS || (so.time_limit > 0 && left < 0.05)))
        return decomposition_result(x, lb);
    if (so.time_limit > 0)
        so.time_limit = fmax(0.05, left);
    x->engine_run = true;
    return cpd_engine_solve(x->e, &so);
}

/* GLPK's plan, read back; the heuristic's when GLPK has none (status feasible). */
static cpd_code take_plan(solve_ctx *x, cpd_solve_result *r)
{
    x->final = dp_state_new(x->m);
    bool has_plan = r->status == CPD_SOLVE_OPTIMAL || r->status == CPD_SOLVE_FEASIBLE;
    if (has_plan && !x->engine_run && x->heur_ok) {
        dp_state_copy(x->final, x->heur);
        return CPD_OK;
    }
    if (has_plan) {
        double *v = cpd_xmalloc((size_t)x->m->npairs * sizeof(double) + 1);
        for (int p = 0; p < x->m->npairs; p++)
            v[p] = cpd_engine_value(x->e, p);
        dp_state_from_x(x->final, v);
        free(v);
        if (dp_state_feasible(x->final))
            return CPD_OK;
        cpd_error(x->d, NULL, 0, 0, "internal: the solver's plan breaks a rule of the model");
        return CPD_EINTERNAL;
    }
    if (r->status == CPD_SOLVE_NO_PLAN) {
        explain_no_plan(x);
        return CPD_ENOPLAN;
    }
    if (!x->heur_ok) {
        if (r->status == CPD_SOLVE_FAILED) {
            cpd_error(x->d, NULL, 0, 0, "solver failure: %s", cpd_engine_error(x->e));
            return CPD_EINTERNAL;
        }
        cpd_error(x->d, NULL, 0, 0, "no plan found within the time limit; allow more time");
        return CPD_ENOPLAN;
    }
    if (r->status == CPD_SOLVE_FAILED)
        cpd_warn(x->d, NULL, 0, 0, "solver failure (%s); the plan is the construction heuristic's",
                 cpd_engine_error(x->e));
    dp_state_copy(x->final, x->heur);
    r->status = CPD_SOLVE_FEASIBLE;
    r->objective = x->heur->obj;
    r->from_heuristic = true;
    if (r->has_bound)
        r->gap = fabs(r->bound - r->objective) / fmax(1e-9, fabs(r->objective));
    return CPD_OK;
}

static cpd_code solve(solve_ctx *x, dp_outcome *out)
{
    build(x);
    double lb = lagrangian(x);
    set_start(x);
    if (x->opts->export_path && !cpd_engine_export(x->e, x->opts->export_path)) {
        cpd_error(x->d, NULL, 0, 0, "cannot export the model to '%s': %s", x->opts->export_path,
                  cpd_engine_error(x->e));
        return CPD_EINTERNAL;
    }
    cpd_solve_result r = run_engine(x, lb);
    cpd_code code = take_plan(x, &r);
    if (code != CPD_OK)
        return code;
    r.seconds = dp_now() - x->t0;
    *out = (dp_outcome){.plan = x->final, .result = r,
                        .heuristic_objective = x->heur_ok ? x->heur->obj : NAN,
                        .lagrangian_bound = lb, .nvars = x->lay.nvars, .nconstraints = x->lay.nrows};
    x->final = NULL;
    return CPD_OK;
}

/* ---- interface ---- */

double dp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int cpd_deploy_demands(const cpd_scenario *s, cpd_demand **out)
{
    const cpd_deploy_params *pr = &s->params;
    int n = 0;
    cpd_demand *dem = cpd_xmalloc((size_t)s->nstaff * 3 * sizeof(cpd_demand) + 1);
    for (int t = 0; t < s->nstaff; t++) {
        const cpd_staff *st = &s->staff[t];
        if (st->need > CPD_NEED_NONE && st->need < CPD_NEED_COUNT)
            dem[n++] = (cpd_demand){t, CPD_SERVICE_COACHING, pr->need_hours[st->need],
                                    pr->need_weight[st->need]};
        if (!st->is_ect)
            continue;
        for (int sv = CPD_SERVICE_MENTORING; sv <= CPD_SERVICE_SENIOR; sv++)
            dem[n++] = (cpd_demand){t, (cpd_service)sv, pr->service_hours[sv], pr->service_weight[sv]};
    }
    *out = dem;
    return n;
}

cpd_code cpd_deploy_check(const cpd_scenario *s, cpd_diags *d)
{
    dp_model m;
    dp_model_build(s, &m);
    int n = dp_check_pins(&m, d);
    dp_model_free(&m);
    return n ? CPD_ENOPLAN : CPD_OK;
}

cpd_code dp_solve(dp_model *m, const cpd_deploy_opts *opts, double t0, dp_outcome *out,
                  cpd_diags *d)
{
    *out = (dp_outcome){0};
    solve_ctx x = {.opts = opts, .d = d, .t0 = t0, .m = m};
    cpd_code code = solve(&x, out);
    dp_state_free(&x.heur);
    dp_state_free(&x.final);
    dp_state_free(&x.hook.st);
    cpd_engine_free(&x.e);
    dp_layout_free(&x.lay);
    return code;
}

cpd_code cpd_deploy_solve(const cpd_scenario *s, const cpd_deploy_opts *opts,
                          cpd_deploy_plan **plan, cpd_diags *d)
{
    *plan = NULL;
    double t0 = dp_now();
    if (cpd_deploy_check(s, d) != CPD_OK)
        return CPD_ENOPLAN;
    dp_model m;
    dp_model_build(s, &m);
    dp_outcome o;
    cpd_code code = dp_solve(&m, opts, t0, &o, d);
    if (code == CPD_OK) {
        cpd_deploy_plan *p = cpd_xcalloc(1, sizeof *p);
        dp_plan_fill(o.plan, p);
        p->result = o.result;
        p->result.seconds = dp_now() - t0;
        p->heuristic_objective = o.heuristic_objective;
        p->lagrangian_bound = o.lagrangian_bound;
        p->nvars = o.nvars;
        p->nconstraints = o.nconstraints;
        *plan = p;
    }
    dp_state_free(&o.plan);
    dp_model_free(&m);
    return code;
}

void cpd_deploy_plan_free(cpd_deploy_plan **pp)
{
    if (!pp || !*pp)
        return;
    cpd_deploy_plan *p = *pp;
    for (int i = 0; i < p->nrows; i++)
        free(p->rows[i].reason);
    for (int i = 0; i < p->nchanges; i++) {
        free(p->changes[i].coach_id);
        free(p->changes[i].teacher_id);
        free(p->changes[i].reason);
    }
    free(p->rows);
    free(p->loads);
    free(p->changes);
    free(p);
    *pp = NULL;
}
