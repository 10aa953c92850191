/* onboard_model.c — the time-indexed onboarding program of docs/onboard.md, one function per
 * family of constraints named after it, with its formula; its pooled relaxation (a bound);
 * and a schedule to and from the engine's values.
 *
 * Sets: tasks j with allowed starts H_j (periods h, half-days), need slots k with count n_k and
 * candidates R_jk, units u (a resource; in the pooled relaxation, the resources that are
 * candidates of exactly the same slots), schools s, days d, weeks w; P(j,h) the periods j
 * covers from h; m[u,k] the candidates of slot k in u, c[u,d] those of u not away on d.
 * Variables: x[j,h] ∈ {0,1} (h ∈ H_j); u[j] ∈ [0,1] unplaced; a[j,k,u,h] ∈ {0..m[u,k]}
 * people of u filling slot k (left out when |R_jk| = n_k: then m[u,k] x); z[u,s,d] >= 0
 * people of u at s on d; y[u,s,w] people of u working at s in week w (their school-weeks);
 * v[u,d] people of u working on d (only with near schools). In the exact model
 * a is binary and z, v, y are integral at every integral x and a (pushed up by them, costing
 * or freeing nothing more); in the pooled one a and y are integers. Objective (minimise):
 *   sum c[j,h] x[j,h] + w_unplaced sum u[j] + w_school sum y[u,s,w].
 * The pooled optimum is a lower bound of the exact one: any schedule gives a pooled solution
 * of the same cost by counting its people per pool. */
#include "onboard_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Above this many terms in the strong precedence rows of one pair, the pair gets the weak
 * (start-time) form instead: long horizons would otherwise grow the model quadratically. */
#define STRONG_PREC_MAX_TERMS 20000

/* ---- local: names and row buffers ---- */

typedef struct {
    const ob_model *m;
    cpd_engine *e;
    ob_layout *lay;
    int *var;
    double *coef;
    int n, cap;
    int *seen_row, *seen_pos; /* per variable: the row it was last added to, and where */
    int seen_cap, rowid;
    int *cap_day;             /* U x N: c[u,d] */
    int *days_week;           /* U x (W + 1): days u's people can work in the week, together */
    int *most_week;           /* U x (W + 1): days one of u's people can work in the week */
    char name[1024];
} builder;

static const char *school_id(const builder *b, int s) { return b->m->p->common->schools[s].id; }

static const char *res_id(const builder *b, int r) { return b->m->p->resources[r].id; }

/* "coach_day,J01,S0004,1": activity, school, person (when per person), target week. */
static void task_label(const builder *b, int j, char *buf, size_t len)
{
    const cpd_ob_task *t = &b->m->tasks[j];
    const cpd_onboard *p = b->m->p;
    if (t->staff >= 0)
        snprintf(buf, len, "%s,%s,%s,%d", p->activities[t->activity].id, school_id(b, t->school),
                 p->common->staff[t->staff].id, t->target);
    else
        snprintf(buf, len, "%s,%s,%d", p->activities[t->activity].id, school_id(b, t->school), t->target);
}

/* Adds a term; a variable named twice in one row (a resource in two slots of one task) has
 * its coefficients summed. */
static void term(builder *b, int var, double coef)
{
    if (var >= b->seen_cap) {
        int cap = b->seen_cap ? b->seen_cap : 1024;
        while (cap <= var)
            cap *= 2;
        b->seen_row = cpd_xrealloc(b->seen_row, (size_t)cap * sizeof(int));
        b->seen_pos = cpd_xrealloc(b->seen_pos, (size_t)cap * sizeof(int));
        for (int k = b->seen_cap; k < cap; k++)
            b->seen_row[k] = -1;
        b->seen_cap = cap;
    }
    if (b->seen_row[var] == b->rowid) {
        b->coef[b->seen_pos[var]] += coef;
        return;
    }
    if (b->n == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 256;
        b->var = cpd_xrealloc(b->var, (size_t)b->cap * sizeof(int));
        b->coef = cpd_xrealloc(b->coef, (size_t)b->cap * sizeof(double));
    }
    b->seen_row[var] = b->rowid;
    b->seen_pos[var] = b->n;
    b->var[b->n] = var;
    b->coef[b->n++] = coef;
}

/* Drops the terms gathered so far. */
static void discard(builder *b)
{
    b->n = 0;
    b->rowid++;
}

static void row(builder *b, cpd_row_kind kind, double rhs)
{
    cpd_engine_add_row(b->e, b->name, (size_t)b->n, b->var, b->coef, kind, rhs);
    b->lay->nrows++;
    discard(b);
}

static int add_var(builder *b, cpd_var_kind kind, double lb, double ub, double obj)
{
    b->lay->nvars++;
    return cpd_engine_add_var(b->e, b->name, kind, lb, ub, obj);
}

static const char *unit_id(const builder *b, int u) { return res_id(b, b->lay->first[u]); }

static bool forced(const ob_model *m, int k) { return m->cstart[k + 1] - m->cstart[k] == m->kcount[k]; }

static bool away_in(const ob_model *m, int r, int h, int dur)
{
    for (int p = h; p < h + dur; p++)
        if (!m->avail[(size_t)r * m->P + p])
            return true;
    return false;
}

/* ---- local: units ---- */

/* Whether resources r and q are candidates of exactly the same slots. */
static bool same_slots(const ob_model *m, const int *rs, const int *rk, int r, int q)
{
    if (rs[r + 1] - rs[r] != rs[q + 1] - rs[q])
        return false;
    for (int e = 0; e < rs[r + 1] - rs[r]; e++)
        if (rk[rs[r] + e] != rk[rs[q] + e])
            return false;
    (void)m;
    return true;
}

/* One unit per resource, or per class of resources with the same slots. */
static void make_units(const ob_model *m, ob_layout *lay)
{
    int nk = m->kbase[m->T];
    int *rs = cpd_xcalloc((size_t)m->R + 2, sizeof(int));
    int *rk = cpd_xmalloc(((size_t)m->cstart[nk] + 1) * sizeof(int));
    for (int e = 0; e < m->cstart[nk]; e++)
        rs[m->cand[e] + 2]++;
    for (int r = 0; r < m->R; r++)
        rs[r + 2] += rs[r + 1];
    for (int k = 0; k < nk; k++) /* slots increasing per resource */
        for (int e = m->cstart[k]; e < m->cstart[k + 1]; e++)
            rk[rs[m->cand[e] + 1]++] = k;
    lay->unit_of = cpd_xcalloc((size_t)m->R + 1, sizeof(int));
    lay->first = cpd_xcalloc((size_t)m->R + 1, sizeof(int));
    lay->nmem = cpd_xcalloc((size_t)m->R + 1, sizeof(int));
    for (int r = 0; r < m->R; r++) {
        int u = -1;
        for (int v = 0; lay->pooled && v < lay->U && u < 0; v++)
            if (same_slots(m, rs, rk, r, lay->first[v]))
                u = v;
        if (u < 0) {
            u = lay->U++;
            lay->first[u] = r;
        }
        lay->unit_of[r] = u;
        lay->nmem[u]++;
    }
    free(rs);
    free(rk);
}

static void unit_days(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    b->cap_day = cpd_xcalloc((size_t)lay->U * m->N + 1, sizeof(int));
    b->days_week = cpd_xcalloc((size_t)lay->U * (m->W + 1) + 1, sizeof(int));
    b->most_week = cpd_xcalloc((size_t)lay->U * (m->W + 1) + 1, sizeof(int));
    for (int r = 0; r < m->R; r++) {
        int u = lay->unit_of[r];
        for (int w = 1; w <= m->W; w++) {
            int n = 0;
            for (int d = m->wfirst[w]; d <= m->wlast[w]; d++) {
                n += m->avail[(size_t)r * m->P + 2 * d];
                b->cap_day[(size_t)u * m->N + d] += m->avail[(size_t)r * m->P + 2 * d];
            }
            if (n > m->p->resources[r].days)
                n = m->p->resources[r].days;
            b->days_week[(size_t)u * (m->W + 1) + w] += n;
            int *most = &b->most_week[(size_t)u * (m->W + 1) + w];
            if (n > *most)
                *most = n;
        }
    }
}

/* The candidates of slot k of j in unit u not away from h. */
static int unit_count(const builder *b, int j, int k, int u, int h)
{
    const ob_model *m = b->m;
    int n = 0;
    for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
        n += b->lay->unit_of[m->cand[c]] == u && !away_in(m, m->cand[c], h, m->dur[j]);
    return n;
}

/* ---- local: variables ---- */

/* x[j,h] with cost c[j,h]; u[j] with cost w_unplaced (a task with no start is a constant). */
static void add_start_vars(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            snprintf(b->name, sizeof b->name, "x[%s,%d]", label, m->hs[i]);
            lay->xvar[i] = add_var(b, CPD_VAR_BINARY, 0, 1, m->hc[i]);
        }
        if (m->hstart[j] == m->hstart[j + 1]) {
            lay->uvar[j] = -1;
            lay->constant += m->q->w_unplaced;
            continue;
        }
        snprintf(b->name, sizeof b->name, "u[%s]", label);
        lay->uvar[j] = add_var(b, CPD_VAR_CONTINUOUS, 0, 1, m->q->w_unplaced);
    }
}

static void push_a(ob_layout *lay, int *cap, int var, int k, int u)
{
    if (lay->na == *cap) {
        *cap = *cap ? 2 * *cap : 1024;
        lay->avar = cpd_xrealloc(lay->avar, (size_t)*cap * sizeof(int));
        lay->aslot = cpd_xrealloc(lay->aslot, (size_t)*cap * sizeof(int));
        lay->aunit = cpd_xrealloc(lay->aunit, (size_t)*cap * sizeof(int));
    }
    lay->avar[lay->na] = var;
    lay->aslot[lay->na] = k;
    lay->aunit[lay->na++] = u;
}

/* a[j,k,u,h] for slots with a choice and units with candidates not away. */
static void add_assign_vars(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    int nh = m->hstart[m->T], cap = 0;
    char label[200];
    lay->abeg = cpd_xcalloc((size_t)nh + 1, sizeof(int));
    for (int j = 0; j < m->T; j++) {
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            lay->abeg[i] = lay->na;
            for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++)
                for (int u = 0; u < lay->U && !forced(m, k); u++) {
                    int n = unit_count(b, j, k, u, m->hs[i]);
                    if (n == 0)
                        continue;
                    snprintf(b->name, sizeof b->name, "a[%s,%d,%s,%d]", label, k - m->kbase[j] + 1,
                             unit_id(b, u), m->hs[i]);
                    int ub = n < m->kcount[k] ? n : m->kcount[k];
                    push_a(lay, &cap, add_var(b, lay->pooled ? CPD_VAR_INTEGER : CPD_VAR_BINARY, 0, ub, 0), k, u);
                }
        }
    }
    lay->abeg[nh] = lay->na;
}

/* ---- local: who works where, gathered once ---- */

/* Every way a unit works at a school in a period: (variable, people): a, or m[u,k] x for a
 * forced slot. Bucketed by (u, s, p). */
typedef struct {
    int *start;  /* (U x S x P) + 1 */
    int *var;
    double *coef;
} occupancy;

static size_t bucket(const builder *b, int u, int s, int p)
{
    return ((size_t)u * b->m->S + s) * b->m->P + p;
}

/* Calls fn(var, coef, u, k, j, h) for every way a unit works on a task. */
typedef void (*work_fn)(void *ctx, int var, double coef, int u, int k, int j, int h);

static void each_work(const builder *b, work_fn fn, void *ctx)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    int *count = cpd_xcalloc((size_t)lay->U + 1, sizeof(int));
    for (int j = 0; j < m->T; j++)
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
                if (!forced(m, k))
                    continue;
                for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
                    count[lay->unit_of[m->cand[c]]]++;
                for (int u = 0; u < lay->U; u++)
                    if (count[u]) {
                        fn(ctx, lay->xvar[i], count[u], u, k, j, m->hs[i]);
                        count[u] = 0;
                    }
            }
            for (int q = lay->abeg[i]; q < lay->abeg[i + 1]; q++)
                fn(ctx, lay->avar[q], 1, lay->aunit[q], lay->aslot[q], j, m->hs[i]);
        }
    free(count);
}

typedef struct {
    const builder *b;
    occupancy *o;
    bool fill;
} occ_ctx;

static void occ_visit(void *ctx, int var, double coef, int u, int k, int j, int h)
{
    occ_ctx *c = ctx;
    const ob_model *m = c->b->m;
    (void)k;
    for (int p = h; p < h + m->dur[j]; p++) {
        size_t q = bucket(c->b, u, m->tasks[j].school, p);
        if (c->fill) {
            c->o->var[c->o->start[q]] = var;
            c->o->coef[c->o->start[q]++] = coef;
        } else {
            c->o->start[q + 1]++;
        }
    }
}

static void occupancy_build(const builder *b, occupancy *o)
{
    const ob_model *m = b->m;
    size_t nb = (size_t)b->lay->U * m->S * m->P;
    o->start = cpd_xcalloc(nb + 2, sizeof(int));
    occ_ctx c = {b, o, false};
    each_work(b, occ_visit, &c);
    for (size_t k = 0; k < nb; k++)
        o->start[k + 1] += o->start[k];
    o->var = cpd_xmalloc(((size_t)o->start[nb] + 1) * sizeof(int));
    o->coef = cpd_xmalloc(((size_t)o->start[nb] + 1) * sizeof(double));
    c.fill = true;
    each_work(b, occ_visit, &c); /* start[k] moves to the end of bucket k */
    for (size_t k = nb; k > 0; k--)
        o->start[k] = o->start[k - 1];
    o->start[0] = 0;
}

static void occupancy_free(occupancy *o)
{
    free(o->start);
    free(o->var);
    free(o->coef);
}

static int occ_n(const builder *b, const occupancy *o, int u, int s, int p)
{
    size_t k = bucket(b, u, s, p);
    return o->start[k + 1] - o->start[k];
}

/* ---- local: the constraint families ---- */

/* add_one_start: for every task j with a start,  sum_h x[j,h] + u[j] = 1. */
static void add_one_start(builder *b)
{
    const ob_model *m = b->m;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        if (b->lay->uvar[j] < 0)
            continue;
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
            term(b, b->lay->xvar[i], 1);
        term(b, b->lay->uvar[j], 1);
        task_label(b, j, label, sizeof label);
        snprintf(b->name, sizeof b->name, "one_start[%s]", label);
        row(b, CPD_ROW_EQ, 1);
    }
}

/* add_need_fill: for every start and slot with a choice,  sum_u a[j,k,u,h] = n_k x[j,h]. */
static void add_need_fill(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
            for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
                if (forced(m, k))
                    continue;
                for (int q = lay->abeg[i]; q < lay->abeg[i + 1]; q++)
                    if (lay->aslot[q] == k)
                        term(b, lay->avar[q], 1);
                term(b, lay->xvar[i], -m->kcount[k]);
                snprintf(b->name, sizeof b->name, "need_fill[%s,%d,%d]", label, k - m->kbase[j] + 1, m->hs[i]);
                row(b, CPD_ROW_EQ, 0);
            }
    }
}

static size_t zi(const builder *b, int u, int s, int d)
{
    return ((size_t)u * b->m->N + d) * b->m->S + s;
}

static size_t yi(const builder *b, int u, int s, int w)
{
    return ((size_t)u * (b->m->W + 1) + w) * b->m->S + s;
}

static int zv(const builder *b, int u, int s, int d) { return b->lay->zvar[zi(b, u, s, d)]; }

/* z[u,s,d] wherever u may work at s on d; y[u,s,w] wherever in week w (cost w_school); v[u,d]
 * with near schools. */
static void add_day_vars(builder *b, const occupancy *o)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    for (int u = 0; u < lay->U; u++)
        for (int d = 0; d < m->N; d++) {
            bool any = false;
            for (int s = 0; s < m->S; s++) {
                if (occ_n(b, o, u, s, 2 * d) + occ_n(b, o, u, s, 2 * d + 1) == 0)
                    continue;
                any = true;
                snprintf(b->name, sizeof b->name, "z[%s,%s,%d]", unit_id(b, u), school_id(b, s), d + 1);
                lay->zvar[zi(b, u, s, d)] = add_var(b, CPD_VAR_CONTINUOUS, 0, lay->nmem[u], 0);
                size_t y = yi(b, u, s, m->week[d]);
                if (lay->yvar[y] < 0) {
                    snprintf(b->name, sizeof b->name, "y[%s,%s,%d]", unit_id(b, u), school_id(b, s), m->week[d]);
                    lay->yvar[y] = add_var(b, lay->pooled ? CPD_VAR_INTEGER : CPD_VAR_CONTINUOUS, 0,
                                           lay->nmem[u], m->q->w_school);
                }
            }
            if (any && m->any_near) {
                snprintf(b->name, sizeof b->name, "v[%s,%d]", unit_id(b, u), d + 1);
                lay->vvar[(size_t)u * m->N + d] =
                    add_var(b, CPD_VAR_CONTINUOUS, 0, b->cap_day[(size_t)u * m->N + d], 0);
            }
        }
}

/* add_resource_capacity: a person works on one task at a time (people away have no a):
 *   for u, s, p:  sum_{j at s, h: p ∈ P(j,h)} a[j,k,u,h] <= z[u,s,d(p)].
 * When two schools are near, one period could then hold a task at each, so as well
 *   for u, p:  sum_{j, h: p ∈ P(j,h)} a[j,k,u,h] <= v[u,d(p)]. */
static void add_resource_capacity(builder *b, const occupancy *o)
{
    const ob_model *m = b->m;
    for (int u = 0; u < b->lay->U; u++)
        for (int p = 0; p < m->P; p++) {
            int total = 0;
            for (int s = 0; s < m->S; s++) {
                size_t k = bucket(b, u, s, p);
                total += o->start[k + 1] - o->start[k];
                if (o->start[k + 1] == o->start[k])
                    continue;
                for (int q = o->start[k]; q < o->start[k + 1]; q++)
                    term(b, o->var[q], o->coef[q]);
                term(b, zv(b, u, s, p / 2), -1);
                snprintf(b->name, sizeof b->name, "capacity[%s,%s,%d]", unit_id(b, u), school_id(b, s), p);
                row(b, CPD_ROW_LE, 0);
            }
            int v = b->lay->vvar[(size_t)u * m->N + p / 2];
            if (v < 0 || total == 0)
                continue;
            for (int s = 0; s < m->S; s++)
                for (int q = o->start[bucket(b, u, s, p)]; q < o->start[bucket(b, u, s, p) + 1]; q++)
                    term(b, o->var[q], o->coef[q]);
            term(b, v, -1);
            snprintf(b->name, sizeof b->name, "capacity[%s,%d]", unit_id(b, u), p);
            row(b, CPD_ROW_LE, 0);
        }
}

/* The far graph's cliques (schools pairwise too far apart to share a day), covering every far
 * pair, greedily from the lowest school: clique q is clq[cstart[q] .. cstart[q+1]). */
static int far_cliques(const ob_model *m, int **cstart, int **clq)
{
    int S = m->S, n = 0, len = 0;
    *cstart = cpd_xcalloc((size_t)S * S + 2, sizeof(int));
    *clq = cpd_xcalloc((size_t)S * S * S + 1, sizeof(int));
    unsigned char *covered = cpd_xcalloc((size_t)S * S + 1, 1);
    for (int a = 0; a < S; a++)
        for (int c = a + 1; c < S; c++) {
            if (m->near[a * S + c] || covered[a * S + c])
                continue;
            int start = len;
            (*clq)[len++] = a;
            (*clq)[len++] = c;
            for (int e = c + 1; e < S; e++) {
                bool far = true;
                for (int q = start; q < len && far; q++)
                    far = !m->near[(*clq)[q] * S + e];
                if (far)
                    (*clq)[len++] = e;
            }
            for (int q = start; q < len; q++)
                for (int r = start; r < len; r++)
                    covered[(*clq)[q] * S + (*clq)[r]] = 1;
            (*cstart)[++n] = len;
        }
    free(covered);
    return n;
}

/* add_one_school_a_day: a person is at one school a day:  for u, d:  sum_s z[u,s,d] <= c[u,d].
 * With short_travel near schools may share a day: then for every school s and every clique K
 * of schools pairwise far apart:  z[u,s,d] <= v[u,d],  sum_{s in K} z[u,s,d] <= v[u,d],
 * v[u,d] <= c[u,d] (v: the people of u working on d). */
static void add_one_school_a_day(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    int *cs = NULL, *clq = NULL, nq = m->any_near ? far_cliques(m, &cs, &clq) : 0;
    for (int u = 0; u < lay->U; u++)
        for (int d = 0; d < m->N; d++) {
            int v = lay->vvar[(size_t)u * m->N + d], cap = b->cap_day[(size_t)u * m->N + d];
            if (v < 0) {
                for (int s = 0; s < m->S; s++)
                    if (zv(b, u, s, d) >= 0)
                        term(b, zv(b, u, s, d), 1);
                if (b->n < 2 && (b->n == 0 || cap >= lay->nmem[u])) {
                    discard(b);
                    continue;
                }
                snprintf(b->name, sizeof b->name, "one_school[%s,%d]", unit_id(b, u), d + 1);
                row(b, CPD_ROW_LE, cap);
                continue;
            }
            for (int s = 0; s < m->S; s++)
                if (zv(b, u, s, d) >= 0) {
                    term(b, zv(b, u, s, d), 1);
                    term(b, v, -1);
                    snprintf(b->name, sizeof b->name, "one_school[%s,%s,%d]", unit_id(b, u), school_id(b, s), d + 1);
                    row(b, CPD_ROW_LE, 0);
                }
            for (int q = 0; q < nq; q++) {
                for (int e = cs[q]; e < cs[q + 1]; e++)
                    if (zv(b, u, clq[e], d) >= 0)
                        term(b, zv(b, u, clq[e], d), 1);
                if (b->n < 2) {
                    discard(b);
                    continue;
                }
                term(b, v, -1);
                snprintf(b->name, sizeof b->name, "one_school[%s,K%d,%d]", unit_id(b, u), q + 1, d + 1);
                row(b, CPD_ROW_LE, 0);
            }
        }
    free(cs);
    free(clq);
}

/* add_days_a_week: for u, w where it can bind:  sum_{d in w} sum_s z[u,s,d] <= days[u,w] (the
 * people's days together); with near schools sum_{d in w} v[u,d] <= days[u,w]. */
static void add_days_a_week(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    for (int u = 0; u < lay->U; u++)
        for (int w = 1; w <= m->W; w++) {
            int most = 0;
            for (int d = m->wfirst[w]; d <= m->wlast[w]; d++) {
                int v = lay->vvar[(size_t)u * m->N + d], before = b->n;
                if (v >= 0)
                    term(b, v, 1);
                for (int s = 0; s < m->S && v < 0; s++)
                    if (zv(b, u, s, d) >= 0)
                        term(b, zv(b, u, s, d), 1);
                most += b->n > before ? b->cap_day[(size_t)u * m->N + d] : 0;
            }
            if (most <= b->days_week[(size_t)u * (m->W + 1) + w]) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "days_a_week[%s,%d]", unit_id(b, u), w);
            row(b, CPD_ROW_LE, b->days_week[(size_t)u * (m->W + 1) + w]);
        }
}

/* add_school_days: a day at a school is in its school-week:  for u, s, d:
 *   z[u,s,d] <= y[u,s,w(d)];  and each person works at most most[u,w] days of the week:
 *   sum_{d in w} z[u,s,d] <= most[u,w] y[u,s,w]  (where it can bind). */
static void add_school_days(builder *b)
{
    const ob_model *m = b->m;
    for (int u = 0; u < b->lay->U; u++)
        for (int s = 0; s < m->S; s++)
            for (int w = 1; w <= m->W; w++) {
                int y = b->lay->yvar[yi(b, u, s, w)], nd = 0;
                for (int d = m->wfirst[w]; d <= m->wlast[w] && y >= 0; d++) {
                    if (zv(b, u, s, d) < 0)
                        continue;
                    nd++;
                    term(b, zv(b, u, s, d), 1);
                    term(b, y, -1);
                    snprintf(b->name, sizeof b->name, "school_day[%s,%s,%d]", unit_id(b, u), school_id(b, s), d + 1);
                    row(b, CPD_ROW_LE, 0);
                }
                int most = b->most_week[(size_t)u * (m->W + 1) + w];
                if (y < 0 || nd <= most)
                    continue;
                for (int d = m->wfirst[w]; d <= m->wlast[w]; d++)
                    if (zv(b, u, s, d) >= 0)
                        term(b, zv(b, u, s, d), 1);
                term(b, y, -most);
                snprintf(b->name, sizeof b->name, "school_days[%s,%s,%d]", unit_id(b, u), school_id(b, s), w);
                row(b, CPD_ROW_LE, 0);
            }
}

/* The people of u filling slot k of j from start i: a, or m[u,k] x for a forced slot. */
static int work_var(const builder *b, int i, int k, int u, double *coef)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    if (forced(m, k)) {
        *coef = 0;
        for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
            *coef += lay->unit_of[m->cand[c]] == u;
        return lay->xvar[i];
    }
    *coef = 1;
    for (int q = lay->abeg[i]; q < lay->abeg[i + 1]; q++)
        if (lay->aslot[q] == k && lay->aunit[q] == u)
            return lay->avar[q];
    return -1;
}

/* add_school_weeks: a task has one start, so for every task j at s, slot k, unit u and week w:
 *   sum_{h: P(j,h) meets w} a[j,k,u,h] <= y[u,s,w]   (m[u,k] x for a forced slot).
 * Per task rather than per day: a start the LP spreads over the week pays the whole week. */
static void add_school_weeks(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    char label[200];
    unsigned char *seen = cpd_xcalloc((size_t)lay->U + 1, 1);
    for (int j = 0; j < m->T; j++) {
        if (m->hstart[j] == m->hstart[j + 1])
            continue;
        int s = m->tasks[j].school, dur = m->dur[j];
        int w0 = m->week[m->hs[m->hstart[j]] / 2], w1 = m->week[(m->hs[m->hstart[j + 1] - 1] + dur - 1) / 2];
        task_label(b, j, label, sizeof label);
        for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
            for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++) {
                int u = lay->unit_of[m->cand[c]];
                if (seen[u])
                    continue;
                seen[u] = 1;
                for (int w = w0; w <= w1; w++) {
                    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
                        double coef;
                        int h = m->hs[i], v = work_var(b, i, k, u, &coef);
                        if (v >= 0 && m->week[h / 2] <= w && w <= m->week[(h + dur - 1) / 2])
                            term(b, v, coef);
                    }
                    if (b->n == 0)
                        continue;
                    term(b, lay->yvar[yi(b, u, s, w)], -1);
                    snprintf(b->name, sizeof b->name, "school_week[%s,%d,%s,%d]", label,
                             k - m->kbase[j] + 1, unit_id(b, u), w);
                    row(b, CPD_ROW_LE, 0);
                }
            }
            for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
                seen[lay->unit_of[m->cand[c]]] = 0;
        }
    }
    free(seen);
}

/* The strong form for one pair i before j: for every tau (a start of j after which i's
 * side grows, and j's last),
 *   sum_{h <= tau} x[j,h] <= sum_{h <= tau - dur_i} x[i,h]. */
static void strong_precedence(builder *b, int i, int j, const char *label)
{
    const ob_model *m = b->m;
    int ji = m->hstart[j], je = m->hstart[j + 1], ii = m->hstart[i], ie = m->hstart[i + 1];
    for (int k = ji; k < je; k++) {
        int tau = m->hs[k], reach = ii;
        while (reach < ie && m->hs[reach] <= tau - m->dur[i])
            reach++;
        if (k + 1 < je) { /* a later tau with the same right side makes this row redundant */
            int next = reach;
            while (next < ie && m->hs[next] <= m->hs[k + 1] - m->dur[i])
                next++;
            if (next == reach)
                continue;
        }
        for (int q = ji; q <= k; q++)
            term(b, b->lay->xvar[q], 1);
        for (int q = ii; q < reach; q++)
            term(b, b->lay->xvar[q], -1);
        snprintf(b->name, sizeof b->name, "precedence[%s,%d]", label, tau);
        row(b, CPD_ROW_LE, 0);
    }
}

/* The weak form, for long horizons: j placed needs i placed, and then starts after i ends:
 *   sum_h x[j,h] <= sum_h x[i,h];
 *   sum_h h x[j,h] - sum_h h x[i,h] - (dur_i + P) sum_h x[j,h] >= -P. */
static void weak_precedence(builder *b, int i, int j, const char *label)
{
    const ob_model *m = b->m;
    for (int q = m->hstart[j]; q < m->hstart[j + 1]; q++)
        term(b, b->lay->xvar[q], 1);
    for (int q = m->hstart[i]; q < m->hstart[i + 1]; q++)
        term(b, b->lay->xvar[q], -1);
    snprintf(b->name, sizeof b->name, "precedence[%s]", label);
    row(b, CPD_ROW_LE, 0);
    for (int q = m->hstart[j]; q < m->hstart[j + 1]; q++)
        term(b, b->lay->xvar[q], m->hs[q] - m->dur[i] - m->P);
    for (int q = m->hstart[i]; q < m->hstart[i + 1]; q++)
        term(b, b->lay->xvar[q], -m->hs[q]);
    snprintf(b->name, sizeof b->name, "precedence_time[%s]", label);
    row(b, CPD_ROW_GE, -m->P);
}

/* add_precedence: i before j (an unplaced i leaves j unplaced), strong form where its size
 * allows. */
static void add_precedence(builder *b)
{
    const ob_model *m = b->m;
    char li[200], lj[200], label[420];
    for (int j = 0; j < m->T; j++) {
        if (m->hstart[j] == m->hstart[j + 1])
            continue;
        for (int e = m->pstart[j]; e < m->pstart[j + 1]; e++) {
            int i = m->pred[e];
            task_label(b, i, li, sizeof li);
            task_label(b, j, lj, sizeof lj);
            snprintf(label, sizeof label, "%s,%s", li, lj);
            long nj = m->hstart[j + 1] - m->hstart[j], ni = m->hstart[i + 1] - m->hstart[i];
            if (nj * (nj + ni) <= STRONG_PREC_MAX_TERMS)
                strong_precedence(b, i, j, label);
            else
                weak_precedence(b, i, j, label);
        }
    }
}

/* ---- local: staff ---- */

/* Each member of staff's tasks; people with the same tasks make the same rows, and people
 * whose tasks are a subset of another's add nothing. */
typedef struct {
    int *start, *task; /* per person: tasks, increasing */
} person_tasks;

static void person_tasks_build(const ob_model *m, person_tasks *pt)
{
    pt->start = cpd_xcalloc((size_t)m->Q + 2, sizeof(int));
    for (int e = 0; e < m->qstart[m->T]; e++)
        pt->start[m->people[e] + 2]++;
    for (int q = 0; q < m->Q; q++)
        pt->start[q + 2] += pt->start[q + 1];
    pt->task = cpd_xmalloc(((size_t)m->qstart[m->T] + 1) * sizeof(int));
    for (int j = 0; j < m->T; j++)
        for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
            pt->task[pt->start[m->people[e] + 1]++] = j;
}

static bool subset_of(const person_tasks *pt, int a, int b)
{
    int i = pt->start[a], ie = pt->start[a + 1], k = pt->start[b], ke = pt->start[b + 1];
    if (ie - i > ke - k)
        return false;
    for (; i < ie; i++) {
        while (k < ke && pt->task[k] < pt->task[i])
            k++;
        if (k == ke || pt->task[k] != pt->task[i])
            return false;
    }
    return true;
}

/* Whether person a's rows are implied by another's (a subset; among equal sets the first
 * keeps its rows). people_of_task lists, per task, the people in it (to find candidates). */
static bool implied(const ob_model *m, const person_tasks *pt, int a)
{
    if (pt->start[a + 1] - pt->start[a] < 2)
        return true;
    int j = pt->task[pt->start[a]];
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++) {
        int b = m->people[e];
        if (b == a)
            continue;
        bool sub = subset_of(pt, a, b), sup = subset_of(pt, b, a);
        if (sub && (!sup || b < a))
            return true;
    }
    return false;
}

/* add_staff_no_overlap: for each member of staff q and period p:
 *   sum_{j ∋ q, h: p ∈ P(j,h)} x[j,h] <= 1   (rows with one task left out). */
static void add_staff_no_overlap(builder *b)
{
    const ob_model *m = b->m;
    person_tasks pt;
    person_tasks_build(m, &pt);
    const cpd_scenario *c = m->p->common;
    for (int q = 0; q < m->Q; q++) {
        if (implied(m, &pt, q))
            continue;
        for (int p = 0; p < m->P; p++) {
            int tasks = 0;
            for (int e = pt.start[q]; e < pt.start[q + 1]; e++) {
                int j = pt.task[e], before = b->n;
                for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
                    if (m->hs[i] <= p && p < m->hs[i] + m->dur[j])
                        term(b, b->lay->xvar[i], 1);
                tasks += b->n > before;
            }
            if (tasks < 2) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "staff_no_overlap[%s,%d]", c->staff[q].id, p);
            row(b, CPD_ROW_LE, 1);
        }
    }
    free(pt.start);
    free(pt.task);
}

/* add_cover: for each school s and period p:
 *   sum_{j at s with cover, h: p ∈ P(j,h)} out_j x[j,h] <= cover_limit   (where it can bind). */
static void add_cover(builder *b)
{
    const ob_model *m = b->m;
    for (int s = 0; s < m->S; s++)
        for (int p = 0; p < m->P; p++) {
            int most = 0;
            for (int j = 0; j < m->T; j++) {
                if (m->tasks[j].school != s || m->ncover[j] == 0)
                    continue;
                int before = b->n;
                for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
                    if (m->hs[i] <= p && p < m->hs[i] + m->dur[j])
                        term(b, b->lay->xvar[i], m->ncover[j]);
                most += b->n > before ? m->ncover[j] : 0;
            }
            if (most <= m->q->cover_limit) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "cover[%s,%d]", school_id(b, s), p);
            row(b, CPD_ROW_LE, m->q->cover_limit);
        }
}

/* ---- interface ---- */

static int *minus_ones(size_t n)
{
    int *a = cpd_xmalloc((n + 1) * sizeof(int));
    for (size_t k = 0; k <= n; k++)
        a[k] = -1;
    return a;
}

size_t ob_count_vars(const ob_model *m, bool pooled)
{
    size_t n = (size_t)m->hstart[m->T];
    for (int j = 0; j < m->T; j++)
        for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
            int nc = m->cstart[k + 1] - m->cstart[k];
            if (nc > m->kcount[k])
                n += (size_t)(pooled && nc > 3 ? 3 : nc) * (m->hstart[j + 1] - m->hstart[j]);
        }
    return n;
}

cpd_engine *ob_build_engine(const ob_model *m, bool pooled, ob_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    lay->pooled = pooled;
    make_units(m, lay);
    int nh = m->hstart[m->T];
    lay->xvar = cpd_xcalloc((size_t)nh + 1, sizeof(int));
    lay->uvar = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    lay->zvar = minus_ones((size_t)lay->U * m->N * m->S);
    lay->vvar = minus_ones((size_t)lay->U * m->N);
    lay->yvar = minus_ones((size_t)lay->U * (m->W + 1) * m->S);
    builder b = {.m = m, .lay = lay,
                 .e = cpd_engine_new(pooled ? "cpdplan_onboard_pooled" : "cpdplan_onboard", CPD_MINIMIZE)};
    unit_days(&b);
    add_start_vars(&b);
    add_assign_vars(&b);
    occupancy o;
    occupancy_build(&b, &o);
    add_day_vars(&b, &o);
    cpd_engine_set_obj_constant(b.e, lay->constant);
    add_one_start(&b);
    add_need_fill(&b);
    add_resource_capacity(&b, &o);
    if (!getenv("SKIP_add_one_school_a_day")) add_one_school_a_day(&b);
    if (!getenv("SKIP_add_days_a_week")) add_days_a_week(&b);
    if (!getenv("SKIP_add_school_days")) add_school_days(&b);
    if (!getenv("SKIP_add_school_weeks")) add_school_weeks(&b);
    if (!getenv("SKIP_add_precedence")) add_precedence(&b);
    if (!getenv("SKIP_add_staff_no_overlap")) add_staff_no_overlap(&b);
    if (!getenv("SKIP_add_cover")) add_cover(&b);
    occupancy_free(&o);
    free(b.var);
    free(b.coef);
    free(b.seen_row);
    free(b.seen_pos);
    free(b.cap_day);
    free(b.days_week);
    free(b.most_week);
    return b.e;
}

void ob_layout_free(ob_layout *lay)
{
    free(lay->unit_of);
    free(lay->first);
    free(lay->nmem);
    free(lay->xvar);
    free(lay->uvar);
    free(lay->abeg);
    free(lay->avar);
    free(lay->aslot);
    free(lay->aunit);
    free(lay->zvar);
    free(lay->vvar);
    free(lay->yvar);
    memset(lay, 0, sizeof *lay);
}

/* The a variable of slot k and unit u at start i, or -1. */
static int a_of(const ob_layout *lay, int i, int k, int u)
{
    for (int q = lay->abeg[i]; q < lay->abeg[i + 1]; q++)
        if (lay->aslot[q] == k && lay->aunit[q] == u)
            return lay->avar[q];
    return -1;
}

static void add(double *x, int var)
{
    if (var >= 0)
        x[var] += 1;
}

/* z and v from the people's days: each person counts once per school and day. */
static void days_to_x(const ob_state *st, const ob_layout *lay, double *x)
{
    const ob_model *m = st->m;
    for (int r = 0; r < m->R; r++) {
        int u = lay->unit_of[r];
        for (int d = 0; d < m->N; d++) {
            int a = st->rocc[(size_t)r * m->P + 2 * d], c = st->rocc[(size_t)r * m->P + 2 * d + 1];
            int sa = a >= 0 ? m->tasks[a].school : -1, sc = c >= 0 ? m->tasks[c].school : -1;
            if (sa >= 0)
                add(x, lay->zvar[((size_t)u * m->N + d) * m->S + sa]);
            if (sc >= 0 && sc != sa)
                add(x, lay->zvar[((size_t)u * m->N + d) * m->S + sc]);
            if (sa >= 0 || sc >= 0)
                add(x, lay->vvar[(size_t)u * m->N + d]);
        }
        for (int w = 1; w <= m->W; w++)
            for (int s = 0; s < m->S; s++)
                if (st->sw[((size_t)r * (m->W + 1) + w) * m->S + s] > 0)
                    add(x, lay->yvar[((size_t)u * (m->W + 1) + w) * m->S + s]);
    }
}

void ob_state_to_x(const ob_state *st, const ob_layout *lay, double *x)
{
    const ob_model *m = st->m;
    memset(x, 0, (size_t)lay->nvars * sizeof(double));
    for (int j = 0; j < m->T; j++) {
        int i = st->hidx[j];
        if (i < 0) {
            add(x, lay->uvar[j]);
            continue;
        }
        x[lay->xvar[i]] = 1;
        const int *res = &st->res[(size_t)j * CPD_OB_MAX_RES];
        for (int k = m->kbase[j], at = 0; k < m->kbase[j + 1]; at += m->kcount[k++])
            for (int c = at; c < at + m->kcount[k] && !forced(m, k); c++)
                add(x, a_of(lay, i, k, lay->unit_of[res[c]]));
    }
    days_to_x(st, lay, x);
}

bool ob_state_from_x(ob_state *st, const ob_layout *lay, const double *x)
{
    const ob_model *m = st->m;
    ob_state_clear(st);
    if (lay->pooled)
        return false;
    for (int j = 0; j < m->T; j++) {
        int i = -1;
        for (int q = m->hstart[j]; q < m->hstart[j + 1] && i < 0; q++)
            if (x[lay->xvar[q]] > 0.5)
                i = q;
        if (i < 0)
            continue;
        int res[CPD_OB_MAX_RES], n = 0;
        for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
            int want = n + m->kcount[k];
            for (int c = m->cstart[k]; c < m->cstart[k + 1] && n < want; c++) {
                int r = m->cand[c], v = forced(m, k) ? -1 : a_of(lay, i, k, lay->unit_of[r]);
                if (forced(m, k) || (v >= 0 && x[v] > 0.5))
                    res[n++] = r;
            }
            if (n != want)
                return false;
        }
        ob_state_place(st, j, i, res);
    }
    return true;
}
