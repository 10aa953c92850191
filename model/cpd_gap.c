/* cpd_gap.c — generalized assignment through the deploy engine: a scenario of one school with
 * no travel (agents as coaches, items as teachers with one coaching demand each) builds the
 * dp_model, whose pairs then take the instance's own loads and values; dp_solve runs deploy's
 * construction, Lagrangian bound, master, ruin and recreate and GLPK on it.
 *
 * Every item must be assigned, where deploy may leave a demand unmet: each pair's value gets a
 * bonus M larger than what any plan could gain by leaving an item out (M = 1 + sum over items
 * of the spread of its values), and the per-item offsets are taken off again afterwards. A plan
 * that leaves k items out is then worth at most (n - k) M + sum of spreads < n M, below any
 * complete plan, so the engine's optimum is the instance's when one exists; and any bound on
 * the engine's model, less the offsets, bounds the instance's optimum (each complete plan of
 * the instance is a plan of the engine's model worth exactly its value plus the offsets). */
#include "cpd_gap.h"

#include "deploy_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define GAP_MAX_UNITS 100000 /* the Lagrangian's knapsack keeps capacities up to this exact */

/* ---- local ---- */

static double val(const cpd_gap *g, int i, int j)
{
    double v = g->value[(size_t)i * g->items + j];
    return g->sense == CPD_MAXIMIZE ? v : -v; /* always maximised inside */
}

static double load(const cpd_gap *g, int i, int j) { return g->load[(size_t)i * g->items + j]; }

/* Agents as coaches (base school 0, any subject, no limits), items as teachers with a light
 * need; demands cost no hours and earn nothing until the pairs are given theirs. */
static cpd_scenario *scenario_of(const cpd_gap *g)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = cpd_strdup("gap");
    cpd_scenario_add_school(s, "S", NULL, false);
    cpd_scenario_init_travel(s, 0);
    char id[32];
    for (int i = 0; i < g->agents; i++) {
        snprintf(id, sizeof id, "A%d", i + 1);
        cpd_coach c = {.id = id, .name = id, .school = 0, .hours = g->cap[i],
                       .provides = 1u << CPD_SERVICE_COACHING};
        cpd_scenario_add_coach(s, &c);
    }
    for (int j = 0; j < g->items; j++) {
        snprintf(id, sizeof id, "J%d", j + 1);
        cpd_staff t = {.id = id, .name = id, .school = 0, .role = "teacher",
                       .need = CPD_NEED_LIGHT};
        cpd_scenario_add_staff(s, &t);
    }
    cpd_deploy_params *p = &s->params;
    for (int k = 0; k < CPD_NEED_COUNT; k++)
        p->need_hours[k] = p->need_weight[k] = 0;
    p->subject_weight = p->focus_weight = p->continuity_weight = p->travel_weight = 0;
    p->ect_extra_penalty = 0;
    p->mentor_soft_max_ects = 0;
    p->subject_fit_required = false;
    p->max_changes = -1;
    return s;
}

/* Per item its smallest value (lo) and M; true when every value is a whole number. */
static bool bonus(const cpd_gap *g, double *lo, double *M)
{
    double spread = 0;
    bool whole = true;
    for (int j = 0; j < g->items; j++) {
        double a = HUGE_VAL, b = -HUGE_VAL;
        for (int i = 0; i < g->agents; i++) {
            a = fmin(a, val(g, i, j));
            b = fmax(b, val(g, i, j));
            whole = whole && val(g, i, j) == floor(val(g, i, j));
        }
        lo[j] = a;
        spread += b - a;
    }
    *M = floor(spread) + 1;
    return whole;
}

/* The pairs take the instance's loads and values (plus the bonus); the demands' weights order
 * the construction: items with the widest spread of values first. */
static void fill_pairs(const cpd_gap *g, dp_model *m, const double *lo, double M)
{
    for (int p = 0; p < m->npairs; p++) {
        dp_pair *q = &m->pairs[p];
        int i = q->coach, j = m->dem[q->demand].teacher;
        q->hours = load(g, i, j);
        q->value = val(g, i, j) - lo[j] + M;
    }
    for (int d = 0; d < m->ndem; d++) {
        double hi = 0;
        for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
            hi = fmax(hi, m->pairs[m->dpairs[k]].value - M);
        m->dem[d].weight = hi;
    }
}

static bool check(const cpd_gap *g, cpd_diags *d)
{
    for (int i = 0; i < g->agents; i++) {
        if (!(g->cap[i] >= 0)) {
            cpd_error(d, NULL, 0, 0, "agent %d has a negative capacity", i + 1);
            return false;
        }
        for (int j = 0; j < g->items; j++)
            if (!(load(g, i, j) >= 0) || !isfinite(val(g, i, j))) {
                cpd_error(d, NULL, 0, 0, "agent %d, item %d: a negative load or no value", i + 1,
                          j + 1);
                return false;
            }
    }
    return true;
}

/* The plan, its objective and the bound, back in the instance's terms. */
static void read_back(const cpd_gap *g, const dp_outcome *o, double offset, bool whole,
                      cpd_gap_result *r)
{
    const dp_model *m = o->plan->m;
    double sum = 0;
    r->complete = true;
    for (int j = 0; j < g->items; j++) {
        int p = o->plan->assign[j]; /* demand j is item j: one demand per teacher */
        r->agent[j] = p >= 0 ? m->pairs[p].coach : -1;
        r->complete = r->complete && p >= 0;
        sum += p >= 0 ? val(g, m->pairs[p].coach, j) : 0;
    }
    double b = o->result.bound + offset; /* maximised */
    r->has_bound = o->result.has_bound && isfinite(b);
    if (r->has_bound && whole)
        b = floor(b + 1e-6);
    if (r->complete && r->has_bound)
        b = fmax(b, sum);
    r->optimal = r->complete && r->has_bound && b <= sum + 1e-9 * fmax(1, fabs(sum));
    double sign = g->sense == CPD_MAXIMIZE ? 1 : -1;
    r->objective = r->complete ? sign * sum : 0;
    r->bound = r->has_bound ? sign * b : sign * HUGE_VAL;
    if (!r->complete)
        for (int j = 0; j < g->items; j++)
            r->agent[j] = -1;
}

/* ---- interface ---- */

cpd_gap *cpd_gap_new(int agents, int items, cpd_sense sense)
{
    cpd_gap *g = cpd_xcalloc(1, sizeof *g);
    size_t n = (size_t)agents * (size_t)items + 1;
    *g = (cpd_gap){.agents = agents, .items = items, .sense = sense,
                   .value = cpd_xcalloc(n, sizeof(double)), .load = cpd_xcalloc(n, sizeof(double)),
                   .cap = cpd_xcalloc((size_t)agents + 1, sizeof(double))};
    return g;
}

void cpd_gap_free(cpd_gap **gp)
{
    if (!gp || !*gp)
        return;
    free((*gp)->value);
    free((*gp)->load);
    free((*gp)->cap);
    free(*gp);
    *gp = NULL;
}

cpd_code cpd_gap_solve(const cpd_gap *g, const cpd_solve_opts *opts, cpd_gap_result *r,
                       cpd_diags *d)
{
    double t0 = dp_now();
    *r = (cpd_gap_result){.agent = cpd_xmalloc((size_t)g->items * sizeof(int) + 1)};
    if (!check(g, d))
        return CPD_EINPUT;
    double *lo = cpd_xmalloc((size_t)g->items * sizeof(double) + 1), M, offset = 0;
    bool whole = bonus(g, lo, &M);
    cpd_scenario *s = scenario_of(g);
    dp_model m;
    dp_model_build(s, &m);
    m.max_units = GAP_MAX_UNITS;
    m.integral = whole;
    fill_pairs(g, &m, lo, M);
    for (int j = 0; j < g->items; j++)
        offset += lo[j] - M;
    cpd_deploy_opts dopts = {.solve = *opts};
    dp_outcome o;
    cpd_code code = dp_solve(&m, &dopts, t0, &o, d);
    if (code == CPD_OK)
        read_back(g, &o, offset, whole, r);
    r->seconds = dp_now() - t0;
    dp_state_free(&o.plan);
    dp_model_free(&m);
    cpd_scenario_free(&s);
    free(lo);
    return code;
}

void cpd_gap_result_free(cpd_gap_result *r)
{
    free(r->agent);
    r->agent = NULL;
}
