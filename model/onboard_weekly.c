/* onboard_weekly.c — a bound for onboarding programmes too large for the pooled relaxation's
 * LP: tasks are given weeks, not half-days, and the shared people's days per week are the
 * only rows. At 40 joining schools (3,500 tasks) the pooled LP does not solve in minutes,
 * while this one takes a fraction of a second and still sees what costs most there: more days
 * wanted from a group of people in a week than they have. */
#include "onboard_internal.h"

#include "cpd_err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The LP, over tasks j and weeks w where j has an allowed start:
 *   min  sum c[j,w] y[j,w] + w_unplaced sum u[j]
 *   sum_w y[j,w] + u[j] = 1                                   (u[j] fixed at 0 when every
 *                                                              task must be placed)
 *   sum_{j, k in K_j: cand(k) within C} n_k d[j,w] y[j,w] <= days(C, w)   per candidate set C
 * with c[j,w] the cheapest start of j in week w, d[j,w] the fewest days j spends in week w
 * from such a start (half-days count a half: two may share a day) and days(C, w) what C's
 * people can work in week w (days not away, at most their days a week). Every plan gives a
 * solution of the same cost or less (school-weeks, staff, cover and order are left out, and
 * their costs are not negative), so the optimum is a bound. */

typedef struct {
    const ob_model *m;
    cpd_engine *e;
    int *yvar;        /* per (task, week 0..W): the variable, -1 */
    double *ydays;    /* alike: d[j,w] */
    unsigned char *mark;
    double *coef;     /* per task: people of the set per unit of d[j,w] */
    int *var;
    double *val;
} weekly;

static size_t yi(const ob_model *m, int j, int w) { return (size_t)j * (m->W + 1) + w; }

/* Half-days of [h, h + dur) in h's week. */
static int periods_in_week(const ob_model *m, int h, int dur)
{
    int w = ob_week_of(m, h), n = 0;
    for (int p = h; p < h + dur && p < m->P; p++)
        n += ob_week_of(m, p) == w;
    return n;
}

/* y[j,w] with cost c[j,w], and u[j], and the row that j takes one of them; false when j has
 * no week and may not be left out. */
static bool add_task(weekly *k, int j)
{
    const ob_model *m = k->m;
    double *cost = k->val; /* per week, before the row needs val */
    for (int w = 0; w <= m->W; w++)
        cost[w] = HUGE_VAL;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
        int h = m->hs[i], w = ob_week_of(m, h);
        if (w < 0 || w > m->W)
            continue;
        size_t at = yi(m, j, w);
        double d = periods_in_week(m, h, m->dur[j]) / 2.0;
        k->ydays[at] = cost[w] == HUGE_VAL ? d : fmin(k->ydays[at], d);
        cost[w] = fmin(cost[w], m->hc[i]);
    }
    char name[48];
    int n = 0;
    for (int w = 0; w <= m->W; w++)
        if (cost[w] < HUGE_VAL) {
            snprintf(name, sizeof name, "y[%d,%d]", j, w);
            k->yvar[yi(m, j, w)] = k->var[n++] =
                cpd_engine_add_var(k->e, name, CPD_VAR_CONTINUOUS, 0, 1, cost[w]);
        }
    if (!m->must_place) {
        snprintf(name, sizeof name, "u[%d]", j);
        k->var[n++] = cpd_engine_add_var(k->e, name, CPD_VAR_CONTINUOUS, 0, 1, m->q->w_unplaced);
    }
    if (n == 0)
        return false;
    for (int i = 0; i < n; i++)
        k->val[i] = 1;
    snprintf(name, sizeof name, "one[%d]", j);
    cpd_engine_add_row(k->e, name, (size_t)n, k->var, k->val, CPD_ROW_EQ, 1);
    return true;
}

/* Days r can work in week w: days not away, at most r's days a week. */
static double person_days(const ob_model *m, int r, int w)
{
    int n = 0;
    for (int d = m->wfirst[w]; d <= m->wlast[w]; d++)
        n += m->avail[(size_t)r * m->P + 2 * d] || m->avail[(size_t)r * m->P + 2 * d + 1];
    return fmin(n, m->p->resources[r].days);
}

/* The rows of candidate set C (slot c's candidates): one per week. */
static void add_set(weekly *k, int c)
{
    const ob_model *m = k->m;
    memset(k->mark, 0, (size_t)m->R + 1);
    for (int e = m->cstart[c]; e < m->cstart[c + 1]; e++)
        k->mark[m->cand[e]] = 1;
    for (int j = 0; j < m->T; j++) {
        k->coef[j] = 0;
        for (int s = m->kbase[j]; s < m->kbase[j + 1]; s++) {
            bool within = true;
            for (int e = m->cstart[s]; e < m->cstart[s + 1] && within; e++)
                within = k->mark[m->cand[e]];
            k->coef[j] += within ? m->kcount[s] : 0;
        }
    }
    char name[48];
    for (int w = 1; w <= m->W; w++) {
        double have = 0;
        for (int e = m->cstart[c]; e < m->cstart[c + 1]; e++)
            have += person_days(m, m->cand[e], w);
        int n = 0;
        for (int j = 0; j < m->T; j++) {
            size_t at = yi(m, j, w);
            if (k->coef[j] > 0 && k->yvar[at] >= 0 && k->ydays[at] > 0) {
                k->var[n] = k->yvar[at];
                k->val[n++] = k->coef[j] * k->ydays[at];
            }
        }
        snprintf(name, sizeof name, "days[%d,%d]", c, w);
        if (n > 0)
            cpd_engine_add_row(k->e, name, (size_t)n, k->var, k->val, CPD_ROW_LE, have);
    }
}

double ob_weekly_bound(const ob_model *m, double seconds)
{
    if (m->T == 0 || m->makespan)
        return -HUGE_VAL;
    size_t ny = (size_t)m->T * (m->W + 1);
    int nk = m->kbase[m->T];
    size_t nvar = (size_t)(m->T > m->W + 2 ? m->T : m->W + 2) + 1;
    weekly k = {.m = m,
                .e = cpd_engine_new("cpdplan_onboard_weekly", CPD_MINIMIZE),
                .yvar = cpd_xmalloc((ny + 1) * sizeof(int)),
                .ydays = cpd_xcalloc(ny + 1, sizeof(double)),
                .mark = cpd_xcalloc((size_t)m->R + 1, 1),
                .coef = cpd_xcalloc((size_t)m->T + 1, sizeof(double)),
                .var = cpd_xmalloc(nvar * sizeof(int)),
                .val = cpd_xmalloc(nvar * sizeof(double))};
    for (size_t i = 0; i < ny; i++)
        k.yvar[i] = -1;
    bool ok = true;
    for (int j = 0; j < m->T && ok; j++)
        ok = add_task(&k, j);
    for (int c = 0; c < nk && ok; c++) {
        bool first = true; /* the first slot with this candidate set stands for it */
        for (int c2 = 0; c2 < c && first; c2++)
            first = !ob_same_candidates(m, c2, c);
        if (first)
            add_set(&k, c);
    }
    cpd_solve_opts so = {.time_limit = seconds};
    cpd_solve_result r = ok ? cpd_engine_solve(k.e, &so) : (cpd_solve_result){0};
    double bound = ok && r.status == CPD_SOLVE_OPTIMAL ? r.objective : -HUGE_VAL;
    cpd_engine_free(&k.e);
    free(k.yvar);
    free(k.ydays);
    free(k.mark);
    free(k.coef);
    free(k.var);
    free(k.val);
    return bound;
}
