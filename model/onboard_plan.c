/* onboard_plan.c — the onboard job's entry points: the notes before solving, the solve
 * (serial schedule, local search, ruin and recreate, then GLPK's LP bound and branch and bound
 * fed with the heuristic's plan) and the plan, with every task outside its window told in
 * plain words naming what ran out. */
#include "onboard_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REINSERT_PASSES 50
/* Ruin-and-recreate rounds (about ten microseconds each on the model programme): the count
 * ends them, so runs repeat; the plans of six schools stop improving after about 400 000. */
#define RR_ITERS_MIN 2000
#define RR_ITERS_PER_TASK 1000
#define RR_ITERS_MAX 400000
#define HEUR_SHARE 0.3        /* a safety cap on the heuristic: this share of the time limit */
/* The makespan (PSPLIB j30, 10 s): the search ends after this many rounds per task without a
 * better plan, or at half the time limit. */
#define MAKESPAN_HEUR_SHARE 0.5
#define HOOK_RR_ITERS 1000    /* GLPK's hook, for the makespan: rounds from the LP's plan */
#define HOOK_RR_SECONDS 0.5
#define MAKESPAN_STALL_PER_TASK 150
#define END_MARGIN 0.1        /* seconds kept for the plan after GLPK */
/* Above this many x and a variables GLPK's root LP of the exact model takes more than a
 * minute (six schools: 85 000, over an hour): only the pooled relaxation is solved, for the
 * bound, and the plan is the heuristic's (the exact model is still built to be exported). */
#define EXACT_MAX_VARS 30000
#define WEEKLY_SECONDS 10.0  /* a safety cap on the weekly bound's LP */
#define WEEKLY_SHARE 0.2      /* of the time left, for it */
#define POOL_SHARE 0.8        /* of the time left, for the pooled bound before the exact model */
#define POOL_MARGIN 0.05      /* of the time left, for GLPK's cut rounds, which overrun the limit */
#define LIST_MAX 4            /* names in a reason before "and N more" */

/* ---- local: words ---- */

static const char *act_name(const ob_model *m, int j)
{
    const cpd_activity *a = &m->p->activities[m->tasks[j].activity];
    return a->name && *a->name ? a->name : a->id;
}

/* "lp|dol|ot" for a slot's roles, as activities.csv writes them. */
static void slot_roles(char **out, const ob_model *m, int k)
{
    int first = m->cstart[k], n = 0; /* the candidates' roles, each once */
    for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++) {
        const char *role = m->p->resources[m->cand[c]].role;
        bool seen = false;
        for (int e = first; e < c && !seen; e++)
            seen = strcmp(m->p->resources[m->cand[e]].role, role) == 0;
        if (!seen)
            cpd_strcatf(out, "%s%s", n++ ? "|" : "", role);
    }
}

/* Who a slot's candidates are: the one resource's id, or "the 12 lp|dol". */
static void slot_who(char **out, const ob_model *m, int k)
{
    int n = m->cstart[k + 1] - m->cstart[k];
    if (n == 1) {
        cpd_strcatf(out, "%s", m->p->resources[m->cand[m->cstart[k]]].id);
        return;
    }
    cpd_strcatf(out, "the %d ", n);
    slot_roles(out, m, k);
}

static void weeks_text(char **out, int from, int to)
{
    cpd_strcatf(out, "weeks %d-%d", from, to);
}

/* ---- local: capacity by week ---- */

/* Whether every candidate of slot k2 is one of slot k's (mark: R flags, k's candidates set). */
static bool slot_within(const ob_model *m, int k2, const unsigned char *mark)
{
    for (int c = m->cstart[k2]; c < m->cstart[k2 + 1]; c++)
        if (!mark[m->cand[c]])
            return false;
    return true;
}

/* Days slot k's candidates can work in week w. */
static double slot_days(const ob_model *m, int k, int w)
{
    double days = 0;
    for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++) {
        int r = m->cand[c], n = 0;
        for (int d = m->wfirst[w]; d <= m->wlast[w]; d++)
            n += m->avail[(size_t)r * m->P + 2 * d];
        days += n < m->p->resources[r].days ? n : m->p->resources[r].days;
    }
    return days;
}

/* Days wanted in week w (tasks targeting it) from people only slot k's candidates can be,
 * and the schools wanting them. */
static double slot_demand(const ob_model *m, int k, int w, int *nschools)
{
    double days = 0;
    unsigned char *school = cpd_xcalloc((size_t)m->S + 1, 1);
    unsigned char *mark = cpd_xcalloc((size_t)m->R + 1, 1);
    for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
        mark[m->cand[c]] = 1;
    *nschools = 0;
    for (int j = 0; j < m->T; j++) {
        if (m->tasks[j].target != w)
            continue;
        for (int k2 = m->kbase[j]; k2 < m->kbase[j + 1]; k2++)
            if (slot_within(m, k2, mark)) {
                days += m->kcount[k2] * m->dur[j] / 2.0;
                *nschools += !school[m->tasks[j].school];
                school[m->tasks[j].school] = 1;
            }
    }
    free(mark);
    free(school);
    return days;
}

/* "senco has 5 days in week 2 and 3 schools need 7" for the week of j's window where slot k's
 * candidates fall shortest, or NULL when none falls short. */
static char *shortage(const ob_model *m, int j, int k)
{
    const cpd_ob_task *t = &m->tasks[j];
    int worst = -1, nsch = 0;
    double have = 0, need = 0;
    for (int w = t->earliest; w <= t->latest && w <= m->W; w++) {
        int ns;
        double h = slot_days(m, k, w), n = slot_demand(m, k, w, &ns);
        if (n > h + OB_EPS && (worst < 0 || n - h > need - have)) {
            worst = w;
            have = h;
            need = n;
            nsch = ns;
        }
    }
    if (worst < 0)
        return NULL;
    char *r = NULL;
    slot_who(&r, m, k);
    cpd_strcatf(&r, " %s %g day%s in week %d and %d %s %g",
               m->cstart[k + 1] - m->cstart[k] == 1 ? "has" : "have", have, have == 1 ? "" : "s",
               worst, nsch, nsch == 1 ? "school needs" : "schools need", need);
    return r;
}

/* ---- local: why a task is outside its window ---- */

/* Whether slot k of j has too few candidates not away at every start in j's window. */
static bool slot_away(const ob_model *m, int j, int k)
{
    const cpd_ob_task *t = &m->tasks[j];
    for (int h = 0; h + m->dur[j] <= m->P; h++) {
        int w = m->week[h / 2], ok = 0;
        if (w < t->earliest || w > t->latest || (m->dur[j] % 2 == 0 && h % 2))
            continue;
        for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++) {
            bool free = true;
            for (int p = h; p < h + m->dur[j] && free; p++)
                free = m->avail[(size_t)m->cand[c] * m->P + p];
            ok += free;
        }
        if (ok >= m->kcount[k])
            return false;
    }
    return true;
}

static char *structural_reason(const ob_model *m, int j)
{
    const cpd_ob_task *t = &m->tasks[j];
    char *r = NULL;
    switch (m->fit[j]) {
    case OB_FIT_TOO_MANY:
        cpd_strcatf(&r, "needs %d people at once; a task can name at most %d", m->nres[j], CPD_OB_MAX_RES);
        break;
    case OB_FIT_ROLE:
        for (int k = m->kbase[j]; k < m->kbase[j + 1] && !r; k++)
            if (m->cstart[k + 1] - m->cstart[k] < m->kcount[k]) {
                cpd_strcatf(&r, "needs %d ", m->kcount[k]);
                slot_roles(&r, m, k);
                cpd_strcatf(&r, " at once; the trust has %d", m->cstart[k + 1] - m->cstart[k]);
            }
        if (!r)
            cpd_strcatf(&r, "needs the same person twice");
        break;
    case OB_FIT_COVER:
        cpd_strcatf(&r, "takes %d staff out of class at once; the cover limit is %d", m->ncover[j],
                   m->q->cover_limit);
        break;
    case OB_FIT_TRAINING:
        cpd_strcatf(&r, "no training day or twilight in ");
        weeks_text(&r, t->earliest, t->latest);
        break;
    case OB_FIT_AFTER:
        cpd_strcatf(&r, "what comes before it cannot finish before ");
        weeks_text(&r, t->earliest, t->latest);
        cpd_strcatf(&r, " ends");
        break;
    case OB_FIT_HORIZON:
        weeks_text(&r, t->earliest, t->latest);
        cpd_strcatf(&r, " lie past the programme's last day");
        break;
    default:
        for (int k = m->kbase[j]; k < m->kbase[j + 1] && !r; k++)
            if (slot_away(m, j, k)) {
                slot_who(&r, m, k);
                cpd_strcatf(&r, " %s away whenever it could run in ",
                           m->cstart[k + 1] - m->cstart[k] == 1 ? "is" : "are");
            }
        if (!r)
            cpd_strcatf(&r, "the people it needs are away whenever it could run in ");
        weeks_text(&r, t->earliest, t->latest);
        break;
    }
    return r;
}

/* A predecessor left unplaced, or ending too late for j's window. */
static char *order_reason(const ob_state *st, int j)
{
    const ob_model *m = st->m;
    int last_in = -1;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        if (m->week[m->hs[i] / 2] <= m->tasks[j].latest)
            last_in = m->hs[i];
    char *r = NULL;
    for (int e = m->pstart[j]; e < m->pstart[j + 1] && !r; e++) {
        int i = m->pred[e], h = ob_state_start(st, i);
        if (h < 0)
            cpd_strcatf(&r, "after '%s', which could not be placed", act_name(m, i));
        else if (h + m->dur[i] > last_in) {
            int end = (h + m->dur[i] - 1) / 2;
            cpd_strcatf(&r, "after '%s', which ends in week %d (day %d)", act_name(m, i), m->week[end], end + 1);
        }
    }
    return r;
}

typedef struct {
    int starts, order, people, cover;
    int *slot_blocked; /* per slot of j: starts where no candidate was free */
} blocks;

static bool candidate_free(const ob_state *st, int r, int j, int h)
{
    const ob_model *m = st->m;
    int s = m->tasks[j].school;
    const int *occ = &st->rocc[(size_t)r * m->P];
    for (int p = h; p < h + m->dur[j]; p++)
        if (!m->avail[(size_t)r * m->P + p] || (occ[p] >= 0 && occ[p] != j))
            return false;
    for (int d = h / 2; d <= (h + m->dur[j] - 1) / 2; d++)
        for (int p = 2 * d; p < 2 * d + 2; p++)
            if (occ[p] >= 0 && occ[p] != j && !m->near[m->tasks[occ[p]].school * m->S + s])
                return false;
    return true;
}

static bool people_busy(const ob_state *st, int j, int h)
{
    const ob_model *m = st->m;
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
        for (int p = h; p < h + m->dur[j]; p++) {
            int o = st->socc[(size_t)m->people[e] * m->P + p];
            if (o >= 0 && o != j)
                return true;
        }
    return false;
}

static bool cover_full(const ob_state *st, int j, int h)
{
    const ob_model *m = st->m;
    if (!m->ncover[j])
        return false;
    bool mine = st->hidx[j] >= 0;
    int own = ob_state_start(st, j);
    for (int p = h; p < h + m->dur[j]; p++) {
        int c = st->cover[(size_t)m->tasks[j].school * m->P + p];
        if (mine && p >= own && p < own + m->dur[j])
            c -= m->ncover[j];
        if (c + m->ncover[j] > m->q->cover_limit)
            return true;
    }
    return false;
}

/* What blocks each start of j inside its window in the final plan. */
static void count_blocks(const ob_state *st, int j, blocks *b)
{
    const ob_model *m = st->m;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
        int h = m->hs[i];
        if (m->week[h / 2] > m->tasks[j].latest)
            continue;
        b->starts++;
        if (people_busy(st, j, h)) {
            b->people++;
            continue;
        }
        if (cover_full(st, j, h)) {
            b->cover++;
            continue;
        }
        for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
            int free = 0;
            for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
                free += candidate_free(st, m->cand[c], j, h);
            if (free < m->kcount[k]) {
                b->slot_blocked[k - m->kbase[j]]++;
                break;
            }
        }
    }
}

/* "SENCO1 is booked whenever its people are free in weeks 2-3", from the final plan. */
static char *plan_reason(const ob_state *st, int j)
{
    const ob_model *m = st->m;
    const cpd_ob_task *t = &m->tasks[j];
    int nk = m->kbase[j + 1] - m->kbase[j];
    blocks b = {.slot_blocked = cpd_xcalloc((size_t)nk + 1, sizeof(int))};
    count_blocks(st, j, &b);
    int top = -1;
    for (int k = 0; k < nk; k++)
        if (b.slot_blocked[k] > 0 && (top < 0 || b.slot_blocked[k] > b.slot_blocked[top]))
            top = k;
    char *r = NULL;
    if (top >= 0 && b.slot_blocked[top] >= b.people && b.slot_blocked[top] >= b.cover) {
        int k = m->kbase[j] + top;
        char *who = NULL;
        slot_who(&who, m, k);
        cpd_strcatf(&r, "%s %s booked or away whenever its staff are free in ", who,
                   m->cstart[k + 1] - m->cstart[k] == 1 ? "is" : "are all");
        free(who);
    } else if (b.cover > 0 && b.cover >= b.people) {
        cpd_strcatf(&r, "the cover limit of %d staff out of class is reached whenever it could run in ",
                   m->q->cover_limit);
    } else if (b.people > 0) {
        cpd_strcatf(&r, "the staff taking part are in other tasks whenever it could run in ");
    } else {
        cpd_strcatf(&r, "moved out of its window to make room for other tasks in ");
    }
    weeks_text(&r, t->earliest, t->latest);
    free(b.slot_blocked);
    return r;
}

static char *task_reason(const ob_state *st, int j)
{
    const ob_model *m = st->m;
    char *r = m->fit[j] == OB_FIT_OK || m->fit[j] == OB_FIT_AFTER ? order_reason(st, j) : NULL;
    if (!r && m->fit[j] != OB_FIT_OK)
        return structural_reason(m, j);
    for (int k = m->kbase[j]; k < m->kbase[j + 1] && !r; k++)
        r = shortage(m, j, k);
    return r ? r : plan_reason(st, j);
}

/* ---- local: the plan ---- */

static void fill_plan(const ob_state *st, cpd_onboard_plan *pl)
{
    const ob_model *m = st->m;
    pl->ntasks = m->T;
    pl->tasks = cpd_xcalloc((size_t)m->T + 1, sizeof(cpd_ob_task));
    pl->unmet = cpd_xcalloc((size_t)m->T + 1, sizeof(cpd_ob_unmet));
    for (int j = 0; j < m->T; j++) {
        cpd_ob_task *t = &pl->tasks[j];
        *t = m->tasks[j];
        t->start = ob_state_start(st, j);
        t->nres = t->start >= 0 ? m->nres[j] : 0;
        memcpy(t->res, &st->res[(size_t)j * CPD_OB_MAX_RES], sizeof t->res);
        for (int k = t->nres; k < CPD_OB_MAX_RES; k++)
            t->res[k] = -1;
        if (t->start < 0 || m->week[t->start / 2] > t->latest)
            pl->unmet[pl->nunmet++] = (cpd_ob_unmet){j, task_reason(st, j)};
    }
    pl->ndays = m->N;
    pl->dates = cpd_xcalloc((size_t)m->N + 1, sizeof(int));
    memcpy(pl->dates, m->date, (size_t)m->N * sizeof(int));
}

/* ---- local: the bound without the LP ---- */

/* The task's cheapest start outside week w (or w_unplaced). */
static double cost_outside(const ob_model *m, int j, int w)
{
    double best = m->q->w_unplaced;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        if (m->week[m->hs[i] / 2] != w)
            best = fmin(best, m->hc[i]);
    return best;
}

/* The week of j's cheapest start, or -1 when it has none. */
static int cheapest_week(const ob_model *m, int j)
{
    int best = -1;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        if (best < 0 || m->hc[i] < m->hc[best] - OB_EPS)
            best = i;
    return best < 0 ? -1 : m->week[m->hs[best] / 2];
}

double ob_trivial_bound(const ob_model *m)
{
    double lb = 0;
    size_t ng = (size_t)m->R * (m->W + 1) * m->S;
    double *extra = cpd_xcalloc(ng + 1, sizeof(double));
    for (int j = 0; j < m->T; j++) {
        double base = ob_min_cost(m, j);
        lb += base;
        int w = cheapest_week(m, j), r = -1;
        for (int k = m->kbase[j]; k < m->kbase[j + 1] && r < 0; k++)
            if (m->cstart[k + 1] - m->cstart[k] == m->kcount[k])
                r = m->cand[m->cstart[k]];
        /* a resource forced on j is at j's school in the week of j's cheapest start, unless
         * j moves out of that week at a cost (each task counts towards one school-week only) */
        if (r >= 0 && w >= 0)
            extra[((size_t)r * (m->W + 1) + w) * m->S + m->tasks[j].school] += cost_outside(m, j, w) - base;
    }
    for (size_t g = 0; g < ng; g++)
        lb += fmin(m->q->w_school, extra[g]);
    free(extra);
    /* the makespan: the critical path, unless a task is left unplaced at its cost */
    if (m->makespan)
        lb += fmin(m->q->w_unplaced, ob_model_critical_end(m));
    return lb;
}

/* ---- local: solving ---- */

typedef struct {
    const cpd_onboard *p;
    const cpd_onboard_opts *opts;
    cpd_diags *d;
    double t0;
    ob_model m;
    ob_layout lay, play;  /* the exact model's and the pooled relaxation's */
    cpd_engine *e, *pe;
    ob_state *heur, *final, *hook;
    double lb;            /* the best bound so far */
    double heur_obj;      /* the heuristic's plan before GLPK */
    double *lpx;          /* per allowed start: LP values, for the hook */
    int nodes;
    bool engine_run;
} solve_ctx;

static double limit_of(const solve_ctx *x) { return x->opts->solve.time_limit; }

/* Seconds left before the time limit, less what writing the plan keeps; HUGE_VAL with none. */
static double left_of(const solve_ctx *x)
{
    return limit_of(x) > 0 ? limit_of(x) - (ob_now() - x->t0) - END_MARGIN : HUGE_VAL;
}

static bool integral_weights(const cpd_onboard_params *q)
{
    return q->w_unplaced == floor(q->w_unplaced) && q->w_late == floor(q->w_late) &&
           q->w_target == floor(q->w_target) && q->w_school == floor(q->w_school);
}

static double rel_gap(double bound, double obj) { return fabs(obj - bound) / fmax(1e-9, fabs(obj)); }

static double target_gap(const solve_ctx *x) { return x->opts->solve.gap > 0 ? x->opts->solve.gap : 1e-9; }

/* A bound rounded up when every weight is a whole number (so is every plan's objective). */
static double rounded(const solve_ctx *x, double bound)
{
    /* + 0.0: a bound of 0 would come out of ceil as -0 and be printed so */
    return integral_weights(&x->p->params) ? ceil(bound - 1e-6) + 0.0 : bound;
}

static bool proven(const solve_ctx *x)
{
    return rel_gap(fmin(rounded(x, x->lb), ob_state_objective(x->heur)), ob_state_objective(x->heur)) <=
           target_gap(x);
}

/* The serial schedule, remove and re-insert, then ruin and recreate while the bound does not
 * prove the plan: the counts end each phase, the share of the time limit is a safety cap. */
static void heuristic(solve_ctx *x)
{
    const ob_model *m = &x->m;
    x->heur = ob_state_new(m);
    ob_construct(x->heur);
    ob_reinsert(x->heur, REINSERT_PASSES);
    long iters = (long)RR_ITERS_PER_TASK * m->T;
    iters = iters < RR_ITERS_MIN ? RR_ITERS_MIN : iters > RR_ITERS_MAX ? RR_ITERS_MAX : iters;
    /* the makespan: the proof needs the best plan (it asks for one ending earlier), so the
     * search may take longer, and ends once it stalls */
    double share = m->makespan ? MAKESPAN_HEUR_SHARE : HEUR_SHARE;
    int stall = m->makespan ? MAKESPAN_STALL_PER_TASK * m->T : 0;
    double deadline = limit_of(x) > 0 ? x->t0 + share * limit_of(x) : 0;
    double g = target_gap(x), stop_at = x->lb + g * fabs(x->lb) / (1 + g);
    if (stall > 0 && stall < RR_ITERS_MIN)
        stall = RR_ITERS_MIN;
    ob_ruin_recreate(x->heur, (int)iters, stall, stop_at, deadline); /* no stall: count only */
    ob_reinsert(x->heur, REINSERT_PASSES);
    x->heur_obj = ob_state_objective(x->heur);
}

/* A model's LP values as per-task start values: a group's count shared among its tasks. */
static void lp_to_starts(const ob_model *m, const ob_layout *lay, const double *lp, double *lpx)
{
    for (int j = 0; j < m->T; j++) {
        int g = lay->group_of[j], rep = lay->grep[g];
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            int v = lay->xvar[m->hstart[rep] + (i - m->hstart[j])];
            lpx[i] = v >= 0 ? lp[v] / lay->gsize[g] : 0;
        }
    }
}

/* GLPK's heuristic hook, for either model: a plan built from the LP's start values, handed
 * over when better (and kept as the heuristic's plan). */
static bool round_lp(solve_ctx *x, const ob_layout *lay, const double *lp, double *out, size_t nvars)
{
    const ob_model *m = &x->m;
    if ((int)nvars != lay->nvars)
        return false;
    lp_to_starts(m, lay, lp, x->lpx);
    ob_construct_guided(x->hook, x->lpx);
    ob_reinsert(x->hook, 3);
    if (m->makespan) /* a short search from the LP's plan: moves of one task rarely shorten it */
        ob_ruin_recreate(x->hook, HOOK_RR_ITERS, 0, x->lb, fmin(ob_now() + HOOK_RR_SECONDS, ob_now() + left_of(x)));
    for (int j = 0; j < m->T && m->must_place; j++)
        if (ob_state_start(x->hook, j) < 0)
            return false; /* the model has no plan leaving a task out */
    double obj = ob_state_objective(x->hook);
    if (obj >= ob_state_objective(x->heur) - OB_EPS)
        return false;
    ob_state_to_x(x->hook, lay, out);
    ob_state_copy(x->heur, x->hook);
    return true;
}

static bool round_exact(void *ctx, const double *lp, double *out, size_t nvars)
{
    solve_ctx *x = ctx;
    return round_lp(x, &x->lay, lp, out, nvars);
}

static bool round_pooled(void *ctx, const double *lp, double *out, size_t nvars)
{
    solve_ctx *x = ctx;
    return round_lp(x, &x->play, lp, out, nvars);
}

/* The heuristic's plan as a start of engine e (of layout lay). */
static void set_start(solve_ctx *x, cpd_engine *e, const ob_layout *lay)
{
    double *v = cpd_xmalloc(((size_t)lay->nvars + 1) * sizeof(double));
    ob_state_to_x(x->heur, lay, v);
    cpd_engine_set_start(e, v);
    free(v);
}

static void build_exact(solve_ctx *x)
{
    x->e = ob_build_engine(&x->m, false, &x->lay);
    set_start(x, x->e, &x->lay);
    cpd_engine_set_heuristic(x->e, round_exact, x);
}

/* The pooled relaxation's bound, in share of the time left (less a margin: GLPK's cut rounds at
 * the root do not look at the clock). */
static void pooled_bound(solve_ctx *x, double share)
{
    double left = left_of(x);
    if (x->m.T == 0 || left < 0.3)
        return;
    x->pe = ob_build_engine(&x->m, true, &x->play);
    set_start(x, x->pe, &x->play);
    cpd_engine_set_heuristic(x->pe, round_pooled, x);
    cpd_engine_set_external_bound(x->pe, x->lb);
    cpd_solve_opts so = x->opts->solve;
    so.progress = so.progress && !x->e;
    if (limit_of(x) > 0)
        so.time_limit = fmax(0.1, share * left - fmax(0.3, POOL_MARGIN * left));
    cpd_solve_result r = cpd_engine_solve(x->pe, &so);
    x->nodes += r.nodes;
    if (r.has_bound && r.status != CPD_SOLVE_FAILED && r.status != CPD_SOLVE_NO_PLAN)
        x->lb = fmax(x->lb, r.bound);
}

/* The weekly bound first: it takes a fraction of a second, and where the pooled LP does not
 * solve in time (tens of schools) it is the only bound beyond the trivial one. */
static void weekly_bound(solve_ctx *x)
{
    double left = left_of(x);
    if (left < 0.3)
        return;
    x->lb = fmax(x->lb, ob_weekly_bound(&x->m, fmin(WEEKLY_SECONDS, WEEKLY_SHARE * left)));
}

/* GLPK on the exact model with what time is left; its plan when better and keeping every
 * rule. */
static cpd_code run_exact(solve_ctx *x)
{
    double left = left_of(x);
    if (!x->e || x->lay.nvars == 0 || proven(x) || left < 0.1)
        return CPD_OK;
    set_start(x, x->e, &x->lay); /* the pooled search may have improved the plan */
    cpd_engine_set_external_bound(x->e, x->lb);
    cpd_solve_opts so = x->opts->solve;
    if (limit_of(x) > 0)
        so.time_limit = fmax(0.05, left - fmax(0.2, POOL_MARGIN * left));
    x->engine_run = true;
    cpd_solve_result r = cpd_engine_solve(x->e, &so);
    x->nodes += r.nodes;
    if (r.status == CPD_SOLVE_FAILED) {
        cpd_warn(x->d, NULL, 0, 0, "solver failure (%s); the plan is the heuristic's", cpd_engine_error(x->e));
        return CPD_OK;
    }
    if (r.has_bound && r.status != CPD_SOLVE_NO_PLAN)
        x->lb = fmax(x->lb, r.bound);
    if ((r.status != CPD_SOLVE_OPTIMAL && r.status != CPD_SOLVE_FEASIBLE) || r.from_heuristic)
        return CPD_OK;
    double *v = cpd_xmalloc(((size_t)x->lay.nvars + 1) * sizeof(double));
    for (int k = 0; k < x->lay.nvars; k++)
        v[k] = cpd_engine_value(x->e, k);
    ob_state *g = ob_state_new(&x->m);
    bool ok = ob_state_from_x(g, &x->lay, v) && ob_state_feasible(g);
    free(v);
    if (ok && ob_state_objective(g) < ob_state_objective(x->heur) - OB_EPS)
        ob_state_copy(x->heur, g);
    ob_state_free(&g);
    if (!ok) {
        cpd_error(x->d, NULL, 0, 0, "internal: the solver's plan breaks a rule of the model");
        return CPD_EINTERNAL;
    }
    return CPD_OK;
}

/* The result's figures from the plan and the best bound. */
static cpd_solve_result result_of(const solve_ctx *x, double obj)
{
    double bound = fmin(rounded(x, x->lb), obj);
    cpd_solve_result r = {.objective = obj, .bound = bound, .has_bound = true, .nodes = x->nodes,
                          .gap = rel_gap(bound, obj), .from_heuristic = obj >= x->heur_obj - OB_EPS};
    r.status = r.gap <= target_gap(x) ? CPD_SOLVE_OPTIMAL : CPD_SOLVE_FEASIBLE;
    if (r.status == CPD_SOLVE_OPTIMAL && target_gap(x) <= 1e-9)
        r.gap = 0;
    return r;
}

/* ---- local: proving a makespan ---- */

typedef struct {
    int *h, *res;   /* per task: start period, people (T x CPD_OB_MAX_RES) */
    int makespan;
} saved_plan;

static void save_plan(const ob_state *st, saved_plan *sp)
{
    const ob_model *m = st->m;
    for (int j = 0; j < m->T; j++)
        sp->h[j] = ob_state_start(st, j);
    memcpy(sp->res, st->res, (size_t)m->T * CPD_OB_MAX_RES * sizeof(int));
    sp->makespan = ob_state_makespan(st);
}

static bool all_placed(const ob_state *st)
{
    for (int j = 0; j < st->m->T; j++)
        if (ob_state_start(st, j) < 0 && st->m->hstart[j] < st->m->hstart[j + 1])
            return false;
    return true;
}

/* The model again, its starts capped at horizon, with fresh states (the hook's, and the
 * heuristic's, empty). False when some task has no start left. */
static bool rebuild_capped(solve_ctx *x, int horizon, bool must_place)
{
    ob_state_free(&x->heur);
    ob_state_free(&x->hook);
    free(x->lpx);
    cpd_engine_free(&x->pe);
    ob_layout_free(&x->play);
    ob_model_free(&x->m);
    ob_model_build(x->p, &x->m);
    ob_model_cap(&x->m, horizon);
    bool some = true;
    for (int j = 0; j < x->m.T; j++)
        some = some && x->m.hstart[j] < x->m.hstart[j + 1];
    /* only for the question "is there a shorter plan": the final model keeps the cap alone */
    if (some && must_place)
        some = ob_model_propagate(&x->m);
    x->m.must_place = must_place;
    x->heur = ob_state_new(&x->m);
    x->hook = ob_state_new(&x->m);
    x->lpx = cpd_xcalloc((size_t)x->m.hstart[x->m.T] + 1, sizeof(double));
    return some;
}

/* Whether propagation leaves every task a start when all must end by horizon. */
static bool capped_open(const solve_ctx *x, int horizon)
{
    ob_model m;
    ob_model_build(x->p, &m);
    ob_model_cap(&m, horizon);
    bool open = true;
    for (int j = 0; j < m.T && open; j++)
        open = m.hstart[j] < m.hstart[j + 1];
    open = open && ob_model_propagate(&m);
    ob_model_free(&m);
    return open;
}

/* A destructive bound: the latest horizon below best that propagation alone shows no plan
 * (with every task placed) can keep, found by bisection; each such horizon h gives h + 1. */
static void destructive_bound(solve_ctx *x, int best)
{
    int lo = (int)ceil(x->lb - 1e-6), hi = best - 1;
    while (lo <= hi && left_of(x) > 0.2) {
        int mid = lo + (hi - lo) / 2;
        if (capped_open(x, mid)) {
            hi = mid - 1;
        } else {
            x->lb = fmax(x->lb, mid + 1);
            lo = mid + 1;
        }
    }
}

/* Is there a plan ending before the best one? The pooled model with every task placed and
 * starts capped at best - 1: no plan proves the best optimal; a plan found is kept (from the
 * hook or GLPK's own) and the question asked again. A bound reached in time is kept only
 * below best (any plan ending later is no better). */
static void prove_makespan(solve_ctx *x, saved_plan *best)
{
    destructive_bound(x, best->makespan);
    while (x->lb < best->makespan - 0.5 && left_of(x) > 0.2) {
        if (!rebuild_capped(x, best->makespan - 1, true)) {
            x->lb = best->makespan;
            break;
        }
        x->pe = ob_build_engine(&x->m, true, &x->play);
        cpd_engine_set_heuristic(x->pe, round_pooled, x);
        cpd_solve_opts so = x->opts->solve;
        if (limit_of(x) > 0)
            so.time_limit = fmax(0.05, left_of(x) - 0.1);
        cpd_solve_result r = cpd_engine_solve(x->pe, &so);
        x->nodes += r.nodes;
        if (r.status == CPD_SOLVE_NO_PLAN) {
            x->lb = best->makespan;
            break;
        }
        if ((r.status == CPD_SOLVE_OPTIMAL || r.status == CPD_SOLVE_FEASIBLE) && !all_placed(x->heur)) {
            double *v = cpd_xmalloc(((size_t)x->play.nvars + 1) * sizeof(double));
            for (int k = 0; k < x->play.nvars; k++)
                v[k] = cpd_engine_value(x->pe, k);
            if (!ob_state_from_pooled(x->heur, &x->play, v))
                ob_state_clear(x->heur);
            free(v);
        }
        bool better = all_placed(x->heur) && ob_state_makespan(x->heur) < best->makespan;
        if (better)
            save_plan(x->heur, best);
        if (r.has_bound)
            x->lb = fmax(x->lb, fmin(r.bound, best->makespan));
        if (!better)
            break;
    }
}

/* The makespan's solve: the heuristic's plan, then the question whether a shorter one exists;
 * the model is left capped at the best plan's makespan with that plan in x->heur. */
static void solve_makespan(solve_ctx *x)
{
    saved_plan best = {cpd_xmalloc(((size_t)x->m.T + 1) * sizeof(int)),
                       cpd_xmalloc(((size_t)x->m.T + 1) * CPD_OB_MAX_RES * sizeof(int)), 0};
    save_plan(x->heur, &best);
    x->heur_obj = ob_state_objective(x->heur);
    /* The proof and the destructive bound ask only about plans placing every task: they bound
     * the optimum when leaving a task out costs at least the best plan (w_unplaced >= M). */
    if (!proven(x) && x->m.q->w_unplaced >= x->heur_obj - OB_EPS)
        prove_makespan(x, &best);
    rebuild_capped(x, best.makespan, false);
    for (int j = 0; j < x->m.T; j++)
        if (best.h[j] >= 0)
            ob_state_place(x->heur, j, ob_start_index(&x->m, j, best.h[j]), &best.res[(size_t)j * CPD_OB_MAX_RES]);
    free(best.h);
    free(best.res);
}

static cpd_code solve(solve_ctx *x, cpd_onboard_plan **out)
{
    ob_model_build(x->p, &x->m);
    x->lb = ob_trivial_bound(&x->m);
    heuristic(x);
    bool by_makespan = x->m.makespan && all_placed(x->heur);
    if (by_makespan)
        solve_makespan(x);
    x->hook = x->hook ? x->hook : ob_state_new(&x->m);
    x->lpx = x->lpx ? x->lpx : cpd_xcalloc((size_t)x->m.hstart[x->m.T] + 1, sizeof(double));
    bool exact = ob_count_vars(&x->m) <= EXACT_MAX_VARS && !by_makespan;
    if (exact || (x->opts->export_path && !by_makespan))
        build_exact(x);
    if (by_makespan && x->opts->export_path) { /* the model solved: pooled, capped at the plan */
        cpd_engine_free(&x->pe);
        ob_layout_free(&x->play);
        x->pe = ob_build_engine(&x->m, true, &x->play);
    }
    cpd_engine *ex = by_makespan ? x->pe : x->e;
    if (x->opts->export_path && !cpd_engine_export(ex, x->opts->export_path)) {
        cpd_error(x->d, NULL, 0, 0, "cannot export the model to '%s': %s", x->opts->export_path,
                  cpd_engine_error(ex));
        return CPD_EINTERNAL;
    }
    if (!proven(x) && !by_makespan)
        weekly_bound(x);
    if (!proven(x) && !by_makespan)
        pooled_bound(x, exact ? POOL_SHARE : 1.0);
    cpd_code code = exact ? run_exact(x) : CPD_OK;
    if (code != CPD_OK)
        return code;
    x->final = x->heur;
    x->heur = NULL;
    if (!ob_state_feasible(x->final)) {
        cpd_error(x->d, NULL, 0, 0, "internal: the heuristic's plan breaks a rule of the model");
        return CPD_EINTERNAL;
    }
    cpd_onboard_plan *pl = cpd_xcalloc(1, sizeof *pl);
    fill_plan(x->final, pl);
    pl->result = result_of(x, ob_state_objective(x->final));
    pl->result.seconds = ob_now() - x->t0;
    pl->heuristic_objective = x->heur_obj;
    const ob_layout *lay = x->e ? &x->lay : &x->play;
    pl->nvars = lay->nvars;
    pl->nconstraints = lay->nrows;
    *out = pl;
    return CPD_OK;
}

/* ---- local: notes before solving ---- */

/* One note per group of candidates and week where the days wanted exceed the days there. */
static void note_shortages(const ob_model *m, cpd_diags *d)
{
    int nk = m->kbase[m->T];
    for (int k = 0; k < nk; k++) {
        bool first = true; /* the first slot with this candidate set speaks for it */
        for (int k2 = 0; k2 < k && first; k2++)
            first = !ob_same_candidates(m, k2, k);
        if (!first)
            continue;
        for (int w = 1; w <= m->W; w++) {
            int ns;
            double have = slot_days(m, k, w), need = slot_demand(m, k, w, &ns);
            if (need <= have + OB_EPS)
                continue;
            char *who = NULL;
            slot_who(&who, m, k);
            cpd_diags_add(d, CPD_SEV_NOTE, NULL, 0, 0,
                          "%s %s %g day%s in week %d, and the tasks of %d school%s aiming at it need "
                          "%g: some move to other weeks of their windows",
                          who, m->cstart[k + 1] - m->cstart[k] == 1 ? "has" : "have", have,
                          have == 1 ? "" : "s", w, ns, ns == 1 ? "" : "s", need);
            free(who);
        }
    }
}

/* One note per activity and school whose tasks cannot be held in their windows at all. */
static void note_structural(const ob_model *m, cpd_diags *d)
{
    for (int j = 0; j < m->T; j++) {
        if (m->fit[j] == OB_FIT_OK)
            continue;
        if (j > 0 && m->tasks[j - 1].activity == m->tasks[j].activity &&
            m->tasks[j - 1].school == m->tasks[j].school && m->fit[j - 1] == m->fit[j])
            continue;
        char *why = structural_reason(m, j);
        cpd_diags_add(d, CPD_SEV_NOTE, NULL, 0, 0, "'%s' at %s cannot be held in its window: %s",
                      act_name(m, j), m->p->common->schools[m->tasks[j].school].id, why);
        free(why);
    }
}

/* ---- interface ---- */

cpd_code cpd_onboard_check(const cpd_onboard *p, cpd_diags *d)
{
    ob_model m;
    ob_model_build(p, &m);
    note_structural(&m, d);
    if (!m.makespan) /* target weeks mean nothing when the makespan is the objective */
        note_shortages(&m, d);
    ob_model_free(&m);
    return CPD_OK;
}

cpd_code cpd_onboard_solve(const cpd_onboard *p, const cpd_onboard_opts *opts,
                           cpd_onboard_plan **plan, cpd_diags *d)
{
    *plan = NULL;
    cpd_onboard_opts none = {0};
    solve_ctx x = {.p = p, .opts = opts ? opts : &none, .d = d, .t0 = ob_now()};
    cpd_code code = solve(&x, plan);
    ob_state_free(&x.heur);
    ob_state_free(&x.final);
    ob_state_free(&x.hook);
    free(x.lpx);
    cpd_engine_free(&x.e);
    cpd_engine_free(&x.pe);
    ob_layout_free(&x.lay);
    ob_layout_free(&x.play);
    ob_model_free(&x.m);
    return code;
}

void cpd_onboard_plan_free(cpd_onboard_plan **pp)
{
    if (!pp || !*pp)
        return;
    cpd_onboard_plan *p = *pp;
    for (int i = 0; i < p->nunmet; i++)
        free(p->unmet[i].reason);
    free(p->tasks);
    free(p->unmet);
    free(p->dates);
    free(p);
    *pp = NULL;
}
