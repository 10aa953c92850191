/* onboard_model.c — the time-indexed onboarding program of docs/onboard.md, one function per
 * family of constraints named after it, with its formula; its pooled relaxation (a bound);
 * and a schedule to and from the engine's values.
 *
 * Sets: tasks j with allowed starts H_j (periods h, half-days), need slots k with count n_k and
 * candidates R_jk, units u, schools s, days d, weeks w; P(j,h) the periods j covers from h;
 * m[u,k] the candidates of slot k in u, c[u,d] those of u not away on d. In the exact model a
 * unit is one resource and every task is a group g of its own. In the pooled relaxation a unit
 * is the resources that are candidates of exactly the same slots, and a group g is the tasks
 * of one per-person activity, school and week whose people are interchangeable (the same
 * role, school and deployed coach); |g| its tasks.
 * Variables: x[g,h] ∈ {0..|g|} tasks of g starting at h (h ∈ H_g); u[g] ∈ [0,|g|] unplaced;
 * a[g,k,u,h] people of u filling slot k (left out when |R_k| = n_k: then m[u,k] x); z[u,s,d]
 * people of u at s on d; y[u,s,w] people of u working at s in week w (the school-weeks);
 * v[u,d] people of u working on d (only with near schools). In the exact model x and a are
 * binary and z, v, y are integral at every integral x and a (pushed up by them, costing or
 * freeing nothing more); in the pooled one x, a and y are integers. Objective (minimise):
 *   sum c[g,h] x[g,h] + w_unplaced sum u[g] + w_school sum y[u,s,w].
 * The pooled optimum is a lower bound of the exact one: any schedule gives a pooled solution
 * of the same cost by counting its tasks and people; each pooled row is a sum of exact ones. */
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
    int *class_of, nclass;    /* per member of staff: the class of interchangeable people */
    int *gstart, *gtask;      /* per group: its tasks */
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

/* Whether slot k's candidates all lie in one unit. */
static bool one_unit(const ob_model *m, const ob_layout *lay, int k)
{
    for (int c = m->cstart[k] + 1; c < m->cstart[k + 1]; c++)
        if (lay->unit_of[m->cand[c]] != lay->unit_of[m->cand[m->cstart[k]]])
            return false;
    return m->cstart[k + 1] > m->cstart[k];
}

/* A slot whose people need no a variables: every candidate is taken (forced), or all are of one
 * unit (then n_k of that unit work whenever the task runs: an RCPSP job's units of a resource). */
static bool direct(const ob_model *m, const ob_layout *lay, int k)
{
    return forced(m, k) || one_unit(m, lay, k);
}

/* The people of unit u a direct slot k takes: m[u,k] when forced, else n_k of its one unit. */
static int direct_count(const ob_model *m, const ob_layout *lay, int k, int u)
{
    int n = 0;
    for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
        n += lay->unit_of[m->cand[c]] == u;
    return forced(m, k) || n == 0 ? n : m->kcount[k];
}

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

/* ---- local: groups of tasks and classes of people ---- */

static const char *role_of(const ob_model *m, int q) { return m->p->common->staff[q].role; }

static int coach_of(const ob_model *m, int q) { return m->p->coach_of ? m->p->coach_of[q] : -1; }

/* People are interchangeable when they have the same school, role and deployed coach. */
static bool same_class(const ob_model *m, int a, int b)
{
    const char *ra = role_of(m, a), *rb = role_of(m, b);
    return m->p->common->staff[a].school == m->p->common->staff[b].school &&
           coach_of(m, a) == coach_of(m, b) && (ra && rb ? strcmp(ra, rb) == 0 : ra == rb);
}

/* One class per person in the exact model; by school, role and coach in the pooled one. */
static void make_classes(builder *b)
{
    const ob_model *m = b->m;
    int *first = cpd_xcalloc((size_t)m->Q + 1, sizeof(int));
    b->class_of = cpd_xcalloc((size_t)m->Q + 1, sizeof(int));
    for (int q = 0; q < m->Q; q++) {
        int c = -1;
        for (int k = b->nclass - 1; b->lay->pooled && k >= 0 && c < 0; k--)
            if (same_class(m, q, first[k]))
                c = k;
        if (c < 0) {
            c = b->nclass++;
            first[c] = q;
        }
        b->class_of[q] = c;
    }
    free(first);
}

/* Whether tasks i and j have the same starts, costs and candidates. */
static bool same_shape(const ob_model *m, int i, int j)
{
    if (m->hstart[i + 1] - m->hstart[i] != m->hstart[j + 1] - m->hstart[j] ||
        m->kbase[i + 1] - m->kbase[i] != m->kbase[j + 1] - m->kbase[j] || m->dur[i] != m->dur[j])
        return false;
    for (int e = 0; e < m->hstart[i + 1] - m->hstart[i]; e++)
        if (m->hs[m->hstart[i] + e] != m->hs[m->hstart[j] + e] ||
            m->hc[m->hstart[i] + e] != m->hc[m->hstart[j] + e])
            return false;
    for (int e = 0; e < m->kbase[i + 1] - m->kbase[i]; e++) {
        int ki = m->kbase[i] + e, kj = m->kbase[j] + e;
        int n = m->cstart[ki + 1] - m->cstart[ki];
        if (m->kcount[ki] != m->kcount[kj] || n != m->cstart[kj + 1] - m->cstart[kj] ||
            memcmp(&m->cand[m->cstart[ki]], &m->cand[m->cstart[kj]], (size_t)n * sizeof(int)) != 0)
            return false;
    }
    return true;
}

static bool groupable(const builder *b, int i, int j)
{
    const ob_model *m = b->m;
    const cpd_ob_task *ti = &m->tasks[i], *tj = &m->tasks[j];
    return ti->staff >= 0 && tj->staff >= 0 && ti->activity == tj->activity &&
           ti->school == tj->school && ti->target == tj->target &&
           b->class_of[ti->staff] == b->class_of[tj->staff] && same_shape(m, i, j);
}

typedef struct {
    int gi, gj, i, j;
} edge;

static int cmp_edge(const void *x, const void *y)
{
    const edge *a = x, *c = y;
    if (a->gj != c->gj)
        return a->gj < c->gj ? -1 : 1;
    if (a->gi != c->gi)
        return a->gi < c->gi ? -1 : 1;
    if (a->j != c->j)
        return a->j < c->j ? -1 : 1;
    return (a->i > c->i) - (a->i < c->i);
}

/* Whether the edges e[0..n) between groups gi and gj join every task of one to every task of
 * the other ("all"), or each task to one of the other ("matched"); weights for the rows. */
static bool relation(const builder *b, const edge *e, int n, int si, int sj, int *wi, int *wj)
{
    if (n == si * sj) {
        *wi = si;
        *wj = sj;
        return true;
    }
    if (si != sj || n != sj)
        return false;
    for (int k = 1; k < n; k++) /* sorted by j: one predecessor each */
        if (e[k].j == e[k - 1].j)
            return false;
    for (int k = 0; k < n; k++)
        for (int q = k + 1; q < n; q++)
            if (e[k].i == e[q].i)
                return false;
    (void)b;
    *wi = *wj = 1;
    return true;
}

/* Splits group g into single tasks. */
static void split(ob_layout *lay, const ob_model *m, int g)
{
    bool first = true;
    for (int t = 0; t < m->T; t++)
        if (lay->group_of[t] == g) {
            if (!first)
                lay->group_of[t] = lay->G++;
            first = false;
        }
}

/* Groups whose precedence does not pool into "all" or "matched" are split, until none. */
static void settle_precedence(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    int ne = m->pstart[m->T];
    edge *e = cpd_xmalloc(((size_t)ne + 1) * sizeof(edge));
    int *size = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int));
    for (bool changed = true; changed;) {
        changed = false;
        int n = 0;
        for (int g = 0; g < lay->G; g++)
            size[g] = 0;
        for (int t = 0; t < m->T; t++)
            size[lay->group_of[t]]++;
        for (int j = 0; j < m->T; j++)
            for (int k = m->pstart[j]; k < m->pstart[j + 1]; k++)
                e[n++] = (edge){lay->group_of[m->pred[k]], lay->group_of[j], m->pred[k], j};
        qsort(e, (size_t)n, sizeof(edge), cmp_edge);
        for (int a = 0, z; a < n && !changed; a = z) {
            for (z = a; z < n && e[z].gi == e[a].gi && e[z].gj == e[a].gj; z++)
                ;
            int wi, wj, si = size[e[a].gi], sj = size[e[a].gj];
            if ((si > 1 || sj > 1) && !relation(b, &e[a], z - a, si, sj, &wi, &wj)) {
                split(lay, m, e[a].gi);
                split(lay, m, e[a].gj);
                changed = true;
            }
        }
    }
    free(e);
    free(size);
}

/* Tasks into groups: alone in the exact model; pooled by activity, school, week and class of
 * their person where their shapes and precedence allow. */
static void make_groups(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    lay->group_of = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int t = 0; t < m->T; t++) {
        int g = -1;
        /* tasks of one activity and school are adjacent: look back while they are */
        for (int s = t - 1; lay->pooled && s >= 0 && g < 0 &&
                            m->tasks[s].activity == m->tasks[t].activity &&
                            m->tasks[s].school == m->tasks[t].school; s--)
            if (groupable(b, s, t))
                g = lay->group_of[s];
        lay->group_of[t] = g >= 0 ? g : lay->G++;
    }
    if (lay->pooled)
        settle_precedence(b);
    /* renumber in task order, so the first task of a group is its representative */
    int *renum = cpd_xmalloc(((size_t)lay->G + 1) * sizeof(int)), G = 0;
    for (int g = 0; g < lay->G; g++)
        renum[g] = -1;
    for (int t = 0; t < m->T; t++) {
        int *r = &renum[lay->group_of[t]];
        if (*r < 0)
            *r = G++;
        lay->group_of[t] = *r;
    }
    free(renum);
    lay->G = G;
    lay->grep = cpd_xcalloc((size_t)G + 1, sizeof(int));
    lay->gsize = cpd_xcalloc((size_t)G + 1, sizeof(int));
    b->gstart = cpd_xcalloc((size_t)G + 2, sizeof(int));
    b->gtask = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int t = m->T - 1; t >= 0; t--)
        lay->grep[lay->group_of[t]] = t;
    for (int t = 0; t < m->T; t++)
        lay->gsize[lay->group_of[t]]++;
    for (int g = 0; g < G; g++)
        b->gstart[g + 1] = b->gstart[g] + lay->gsize[g];
    int *at = cpd_xcalloc((size_t)G + 1, sizeof(int));
    for (int t = 0; t < m->T; t++) {
        int g = lay->group_of[t];
        b->gtask[b->gstart[g] + at[g]++] = t;
    }
    free(at);
}

/* The group of task j is carried by its first task. */
static bool is_rep(const builder *b, int j) { return b->lay->grep[b->lay->group_of[j]] == j; }

static int gsize_of(const builder *b, int j) { return b->lay->gsize[b->lay->group_of[j]]; }

/* ---- local: variables ---- */

/* x[g,h] with cost c[g,h]; u[g] with cost w_unplaced (a task with no start is a constant). */
static void add_start_vars(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
            lay->xvar[i] = -1;
        lay->uvar[j] = -1;
        int n = gsize_of(b, j);
        if (!is_rep(b, j))
            continue;
        if (m->hstart[j] == m->hstart[j + 1]) {
            lay->constant += n * m->q->w_unplaced;
            continue;
        }
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            snprintf(b->name, sizeof b->name, "x[%s%s,%d]", label, n > 1 ? ",all" : "", m->hs[i]);
            lay->xvar[i] = add_var(b, n > 1 ? CPD_VAR_INTEGER : CPD_VAR_BINARY, 0, n, m->hc[i]);
        }
        snprintf(b->name, sizeof b->name, "u[%s%s]", label, n > 1 ? ",all" : "");
        lay->uvar[j] = add_var(b, CPD_VAR_CONTINUOUS, 0, m->must_place ? 0 : n, m->q->w_unplaced);
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

/* a[g,k,u,h] for slots with a choice and units with candidates not away: at most n_k per
 * task of the group, and at most the unit's people there. */
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
            for (int k = m->kbase[j]; k < m->kbase[j + 1] && is_rep(b, j); k++)
                for (int u = 0; u < lay->U && !direct(m, lay, k); u++) {
                    int n = unit_count(b, j, k, u, m->hs[i]), want = m->kcount[k] * gsize_of(b, j);
                    if (n == 0)
                        continue;
                    snprintf(b->name, sizeof b->name, "a[%s,%d,%s,%d]", label, k - m->kbase[j] + 1,
                             unit_id(b, u), m->hs[i]);
                    bool binary = want == 1 || n == 1;
                    push_a(lay, &cap, add_var(b, binary ? CPD_VAR_BINARY : CPD_VAR_INTEGER, 0,
                                              n < want ? n : want, 0), k, u);
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

/* Calls fn(var, coef, u, k, j, h) for every way a unit works on a group (j its first task). */
typedef void (*work_fn)(void *ctx, int var, double coef, int u, int k, int j, int h);

static void each_work(const builder *b, work_fn fn, void *ctx)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    int *count = cpd_xcalloc((size_t)lay->U + 1, sizeof(int));
    for (int j = 0; j < m->T; j++)
        for (int i = m->hstart[j]; i < m->hstart[j + 1] && is_rep(b, j); i++) {
            for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
                if (!direct(m, lay, k))
                    continue;
                for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++)
                    count[lay->unit_of[m->cand[c]]] = 1;
                for (int u = 0; u < lay->U; u++)
                    if (count[u]) {
                        fn(ctx, lay->xvar[i], direct_count(m, lay, k, u), u, k, j, m->hs[i]);
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

/* add_one_start: for every group g with a start,  sum_h x[g,h] + u[g] = |g|. */
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
        row(b, CPD_ROW_EQ, gsize_of(b, j));
    }
}

/* add_need_fill: for every start and slot with a choice,  sum_u a[g,k,u,h] = n_k x[g,h]. */
static void add_need_fill(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        if (!is_rep(b, j))
            continue;
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
            for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
                if (direct(m, lay, k))
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
                if (lay->yvar[y] < 0 && m->q->w_school > 0) { /* y only costs: none when free */
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
    if (direct(m, lay, k)) {
        *coef = direct_count(m, lay, k, u);
        return *coef > 0 ? lay->xvar[i] : -1;
    }
    *coef = 1;
    for (int q = lay->abeg[i]; q < lay->abeg[i + 1]; q++)
        if (lay->aslot[q] == k && lay->aunit[q] == u)
            return lay->avar[q];
    return -1;
}

/* add_school_weeks: a task has one start, so for every task j (a group of one) at s, slot k,
 * unit u and week w:
 *   sum_{h: P(j,h) meets w} a[j,k,u,h] <= y[u,s,w]   (m[u,k] x for a forced slot).
 * Per task rather than per day: a start the LP spreads over the week pays the whole week. */
static void add_school_weeks(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    char label[200];
    if (m->q->w_school <= 0)
        return;
    unsigned char *seen = cpd_xcalloc((size_t)lay->U + 1, 1);
    for (int j = 0; j < m->T; j++) {
        if (m->hstart[j] == m->hstart[j + 1] || !is_rep(b, j) || gsize_of(b, j) > 1)
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

/* The strong form for groups gi before gj (first tasks i, j; weights wi, wj: |gi| and |gj|
 * when every task of one comes after every task of the other, 1 and 1 when each task has its
 * own): for every tau (a start of j after which i's side grows, and j's last),
 *   wi sum_{h <= tau} x[gj,h] <= wj sum_{h <= tau - dur_i} x[gi,h]. */
static void strong_precedence(builder *b, int i, int j, int wi, int wj, const char *label)
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
        if (b->lay->cvar[k] >= 0) { /* cumulative:  wi c[gj,tau] <= wj c[gi,tau - dur_i] */
            term(b, b->lay->cvar[k], wi);
            if (reach > ii)
                term(b, b->lay->cvar[reach - 1], -wj);
        } else {
            for (int q = ji; q <= k; q++)
                term(b, b->lay->xvar[q], wi);
            for (int q = ii; q < reach; q++)
                term(b, b->lay->xvar[q], -wj);
        }
        snprintf(b->name, sizeof b->name, "precedence[%s,%d]", label, tau);
        row(b, CPD_ROW_LE, 0);
    }
}

/* The weak form, for long horizons: j placed needs i placed, and (for single tasks) then
 * starts after i ends:
 *   wi sum_h x[gj,h] <= wj sum_h x[gi,h];
 *   sum_h h x[j,h] - sum_h h x[i,h] - (dur_i + P) sum_h x[j,h] >= -P. */
static void weak_precedence(builder *b, int i, int j, int wi, int wj, const char *label)
{
    const ob_model *m = b->m;
    for (int q = m->hstart[j]; q < m->hstart[j + 1]; q++)
        term(b, b->lay->xvar[q], wi);
    for (int q = m->hstart[i]; q < m->hstart[i + 1]; q++)
        term(b, b->lay->xvar[q], -wj);
    snprintf(b->name, sizeof b->name, "precedence[%s]", label);
    row(b, CPD_ROW_LE, 0);
    if (gsize_of(b, i) > 1 || gsize_of(b, j) > 1)
        return;
    for (int q = m->hstart[j]; q < m->hstart[j + 1]; q++)
        term(b, b->lay->xvar[q], m->hs[q] - m->dur[i] - m->P);
    for (int q = m->hstart[i]; q < m->hstart[i + 1]; q++)
        term(b, b->lay->xvar[q], -m->hs[q]);
    snprintf(b->name, sizeof b->name, "precedence_time[%s]", label);
    row(b, CPD_ROW_GE, -m->P);
}

/* add_precedence: i before j (an unplaced i leaves j unplaced), strong form where its size
 * allows; in the pooled relaxation between groups. */
static void add_precedence(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    int ne = m->pstart[m->T], n = 0;
    edge *e = cpd_xmalloc(((size_t)ne + 1) * sizeof(edge));
    for (int j = 0; j < m->T; j++)
        for (int k = m->pstart[j]; k < m->pstart[j + 1]; k++)
            e[n++] = (edge){lay->group_of[m->pred[k]], lay->group_of[j], m->pred[k], j};
    qsort(e, (size_t)n, sizeof(edge), cmp_edge);
    char li[200], lj[200], label[420];
    for (int a = 0, z; a < n; a = z) {
        for (z = a; z < n && e[z].gi == e[a].gi && e[z].gj == e[a].gj; z++)
            ;
        int i = lay->grep[e[a].gi], j = lay->grep[e[a].gj], wi = 1, wj = 1;
        if (m->hstart[j] == m->hstart[j + 1] ||
            !relation(b, &e[a], z - a, lay->gsize[e[a].gi], lay->gsize[e[a].gj], &wi, &wj))
            continue;
        task_label(b, i, li, sizeof li);
        task_label(b, j, lj, sizeof lj);
        snprintf(label, sizeof label, "%s,%s", li, lj);
        long nj = m->hstart[j + 1] - m->hstart[j], ni = m->hstart[i + 1] - m->hstart[i];
        if (nj * (nj + ni) <= STRONG_PREC_MAX_TERMS || b->lay->cvar[m->hstart[j]] >= 0)
            strong_precedence(b, i, j, wi, wj, label);
        else
            weak_precedence(b, i, j, wi, wj, label);
    }
    free(e);
}

/* ---- local: the makespan ---- */

/* The latest end of any allowed start. */
static int last_end(const ob_model *m)
{
    int end = 0;
    for (int j = 0; j < m->T; j++)
        if (m->hstart[j] < m->hstart[j + 1] && m->hs[m->hstart[j + 1] - 1] + m->dur[j] > end)
            end = m->hs[m->hstart[j + 1] - 1] + m->dur[j];
    return end;
}

/* s[e] (the makespan is e), e = 0 .. the latest end, with cost e. */
static void add_makespan_vars(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    lay->nsvar = m->makespan ? last_end(m) + 1 : 0;
    lay->svar = cpd_xcalloc((size_t)lay->nsvar + 1, sizeof(int));
    for (int e = 0; e < lay->nsvar; e++) {
        snprintf(b->name, sizeof b->name, "makespan[%d]", e);
        lay->svar[e] = add_var(b, CPD_VAR_BINARY, 0, 1, e);
    }
}

/* With the makespan (long horizons), the precedence and makespan rows are written over
 * cumulative variables, which keeps them to two or three terms each (the same LP):
 *   c[g,h] = sum_{h' <= h} x[g,h']  (h in H_g),   cs[e] = sum_{e' <= e} s[e']. */
static void add_cumulative_vars(builder *b)
{
    const ob_model *m = b->m;
    ob_layout *lay = b->lay;
    int nh = m->hstart[m->T];
    lay->cvar = cpd_xcalloc((size_t)nh + 1, sizeof(int));
    lay->scvar = cpd_xcalloc((size_t)lay->nsvar + 1, sizeof(int));
    for (int i = 0; i < nh; i++)
        lay->cvar[i] = -1;
    for (int e = 0; e < lay->nsvar; e++)
        lay->scvar[e] = -1;
    if (!m->makespan)
        return;
    char label[200];
    for (int j = 0; j < m->T; j++) {
        if (!is_rep(b, j) || lay->uvar[j] < 0)
            continue;
        task_label(b, j, label, sizeof label);
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            snprintf(b->name, sizeof b->name, "c[%s,%d]", label, m->hs[i]);
            lay->cvar[i] = add_var(b, CPD_VAR_CONTINUOUS, 0, gsize_of(b, j), 0);
        }
    }
    for (int e = 0; e < lay->nsvar; e++) {
        snprintf(b->name, sizeof b->name, "cs[%d]", e);
        lay->scvar[e] = add_var(b, CPD_VAR_CONTINUOUS, 0, 1, 0);
    }
}

/* add_cumulative: c[g,h] - c[g,h_prev] - x[g,h] = 0 (the first: c = x); cs alike. */
static void add_cumulative(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    for (int j = 0; j < m->T; j++)
        for (int i = m->hstart[j]; i < m->hstart[j + 1] && lay->cvar[i] >= 0; i++) {
            term(b, lay->cvar[i], 1);
            if (i > m->hstart[j])
                term(b, lay->cvar[i - 1], -1);
            term(b, lay->xvar[i], -1);
            snprintf(b->name, sizeof b->name, "cumulative[%d]", lay->cvar[i]);
            row(b, CPD_ROW_EQ, 0);
        }
    for (int e = 0; e < lay->nsvar && lay->scvar[e] >= 0; e++) {
        term(b, lay->scvar[e], 1);
        if (e > 0)
            term(b, lay->scvar[e - 1], -1);
        term(b, lay->svar[e], -1);
        snprintf(b->name, sizeof b->name, "cumulative_makespan[%d]", e);
        row(b, CPD_ROW_EQ, 0);
    }
}

/* The cumulative variable of j's last start at or before tau, or -1 (none: the sum is 0). */
static int cum_at(const builder *b, int j, int tau)
{
    const ob_model *m = b->m;
    int v = -1;
    for (int i = m->hstart[j]; i < m->hstart[j + 1] && m->hs[i] <= tau; i++)
        v = b->lay->cvar[i];
    return v;
}

static void cum_term(builder *b, int var, double coef)
{
    if (var >= 0)
        term(b, var, coef);
}

/* add_makespan: one value,  sum_e s[e] = 1;  and the makespan is at least the end of every
 * placed task, in the strong time-indexed form of a sink after every task: for group g and
 * every tau from its earliest end - 1 to its latest end - 1,
 *   |g| sum_{e <= tau} s[e] + sum_{h: h + dur_g > tau} x[g,h] <= |g|. */
static void add_makespan(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    char label[200];
    if (lay->nsvar == 0)
        return;
    for (int e = 0; e < lay->nsvar; e++)
        term(b, lay->svar[e], 1);
    snprintf(b->name, sizeof b->name, "makespan");
    row(b, CPD_ROW_EQ, 1);
    for (int j = 0; j < m->T; j++) {
        /* with every task placed, the tasks with successors end before those do */
        if (!is_rep(b, j) || lay->uvar[j] < 0 || (m->must_place && m->sstart[j] < m->sstart[j + 1]))
            continue;
        int n = gsize_of(b, j), first = m->hs[m->hstart[j]] + m->dur[j];
        int last = m->hs[m->hstart[j + 1] - 1] + m->dur[j];
        task_label(b, j, label, sizeof label);
        for (int tau = first - 1; tau < last; tau++) {
            /* cumulative:  |g| cs[tau] - c[g, tau - dur_g] - u[g] <= 0 */
            term(b, lay->scvar[tau < lay->nsvar ? tau : lay->nsvar - 1], n);
            cum_term(b, cum_at(b, j, tau - m->dur[j]), -1);
            term(b, lay->uvar[j], -1);
            snprintf(b->name, sizeof b->name, "makespan[%s,%d]", label, tau);
            row(b, CPD_ROW_LE, 0);
        }
    }
}

/* ---- local: staff ---- */

/* Per class of people: the groups its members take part in and how many members each task of
 * the group holds (the same for every task of the group, else the class gets no rows). */
typedef struct {
    int *start, *group, *per; /* per class: groups (increasing), members per task */
    int *size;                /* per class: members */
    unsigned char *skip;      /* per class: uneven, or implied by another class */
} class_tasks;

typedef struct {
    int g, t;
} group_task;

static int cmp_group_task(const void *x, const void *y)
{
    const group_task *a = x, *c = y;
    if (a->g != c->g)
        return a->g < c->g ? -1 : 1;
    return (a->t > c->t) - (a->t < c->t);
}

/* Class c's groups from its members' tasks (gt: scratch for all of them). */
static void class_groups(const builder *b, class_tasks *ct, int c, group_task *gt, int n, int *cap)
{
    const ob_layout *lay = b->lay;
    qsort(gt, (size_t)n, sizeof *gt, cmp_group_task);
    for (int a = 0, z; a < n; a = z) {
        int g = gt[a].g, tasks = 0, per = -1;
        for (z = a; z < n && gt[z].g == g;) {
            int t = gt[z].t, k = 0;
            for (; z < n && gt[z].g == g && gt[z].t == t; z++)
                k++;
            tasks++;
            if (per >= 0 && per != k)
                ct->skip[c] = 1;
            per = k;
        }
        if (tasks != lay->gsize[g])
            ct->skip[c] = 1;
        if (ct->start[c + 1] == *cap) {
            *cap *= 2;
            ct->group = cpd_xrealloc(ct->group, (size_t)*cap * sizeof(int));
            ct->per = cpd_xrealloc(ct->per, (size_t)*cap * sizeof(int));
        }
        ct->group[ct->start[c + 1]] = g;
        ct->per[ct->start[c + 1]++] = per;
    }
}

/* Whether class a (one person) is implied by class c (one person, a superset of a's tasks). */
static bool subset_class(const class_tasks *ct, int a, int c)
{
    int i = ct->start[a], ie = ct->start[a + 1], k = ct->start[c], ke = ct->start[c + 1];
    if (ie - i > ke - k)
        return false;
    for (; i < ie; i++) {
        while (k < ke && ct->group[k] < ct->group[i])
            k++;
        if (k == ke || ct->group[k] != ct->group[i])
            return false;
    }
    return true;
}

/* Single people whose tasks are among another single person's add no rows (the first of equal
 * ones keeps them); candidates are the people of the class's first task. */
static void skip_implied(const builder *b, class_tasks *ct)
{
    const ob_model *m = b->m;
    for (int a = 0; a < b->nclass; a++) {
        if (ct->skip[a] || ct->size[a] != 1)
            continue;
        if (ct->start[a + 1] - ct->start[a] < 2) {
            ct->skip[a] = 1;
            continue;
        }
        int j = b->lay->grep[ct->group[ct->start[a]]];
        for (int e = m->qstart[j]; e < m->qstart[j + 1] && !ct->skip[a]; e++) {
            int c = b->class_of[m->people[e]];
            if (c == a || ct->size[c] != 1 || ct->skip[c])
                continue;
            bool sub = subset_class(ct, a, c), sup = subset_class(ct, c, a);
            if (sub && (!sup || c < a))
                ct->skip[a] = 1;
        }
    }
}

static void class_tasks_build(const builder *b, class_tasks *ct)
{
    const ob_model *m = b->m;
    int C = b->nclass, cap = 64;
    ct->size = cpd_xcalloc((size_t)C + 1, sizeof(int));
    ct->skip = cpd_xcalloc((size_t)C + 1, 1);
    ct->start = cpd_xcalloc((size_t)C + 2, sizeof(int));
    ct->group = cpd_xmalloc((size_t)cap * sizeof(int));
    ct->per = cpd_xmalloc((size_t)cap * sizeof(int));
    /* people by class, tasks by person */
    int *ms = cpd_xcalloc((size_t)C + 2, sizeof(int)), *mem = cpd_xmalloc(((size_t)m->Q + 1) * sizeof(int));
    for (int q = 0; q < m->Q; q++)
        ms[b->class_of[q] + 2]++;
    for (int c = 0; c < C; c++)
        ms[c + 2] += ms[c + 1];
    for (int q = 0; q < m->Q; q++)
        mem[ms[b->class_of[q] + 1]++] = q;
    int *ps = cpd_xcalloc((size_t)m->Q + 2, sizeof(int)), ne = m->qstart[m->T];
    int *pt = cpd_xmalloc(((size_t)ne + 1) * sizeof(int));
    for (int e = 0; e < ne; e++)
        ps[m->people[e] + 2]++;
    for (int q = 0; q < m->Q; q++)
        ps[q + 2] += ps[q + 1];
    for (int j = 0; j < m->T; j++)
        for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
            pt[ps[m->people[e] + 1]++] = j;
    group_task *gt = cpd_xmalloc(((size_t)ne + 1) * sizeof *gt);
    for (int c = 0; c < C; c++) {
        int n = 0;
        ct->size[c] = ms[c + 1] - ms[c];
        for (int e = ms[c]; e < ms[c + 1]; e++)
            for (int k = ps[mem[e]]; k < ps[mem[e] + 1]; k++)
                gt[n++] = (group_task){b->lay->group_of[pt[k]], pt[k]};
        ct->start[c + 1] = ct->start[c];
        class_groups(b, ct, c, gt, n, &cap);
    }
    skip_implied(b, ct);
    free(gt);
    free(ms);
    free(mem);
    free(ps);
    free(pt);
}

static void class_tasks_free(class_tasks *ct)
{
    free(ct->start);
    free(ct->group);
    free(ct->per);
    free(ct->size);
    free(ct->skip);
}

/* add_staff_no_overlap: for each member of staff q and period p:
 *   sum_{j ∋ q, h: p ∈ P(j,h)} x[j,h] <= 1;
 * pooled, summed over a class C of interchangeable people, with t[C,g] of them in each task
 * of group g:  sum_g t[C,g] sum_{h: p ∈ P(g,h)} x[g,h] <= |C|   (where it can bind). */
static void add_staff_no_overlap(builder *b)
{
    const ob_model *m = b->m;
    const ob_layout *lay = b->lay;
    class_tasks ct;
    class_tasks_build(b, &ct);
    const cpd_scenario *sc = m->p->common;
    int *first = cpd_xmalloc(((size_t)b->nclass + 1) * sizeof(int));
    for (int q = m->Q - 1; q >= 0; q--)
        first[b->class_of[q]] = q;
    for (int c = 0; c < b->nclass; c++) {
        if (ct.skip[c])
            continue;
        for (int p = 0; p < m->P; p++) {
            int most = 0;
            for (int e = ct.start[c]; e < ct.start[c + 1]; e++) {
                int g = ct.group[e], j = lay->grep[g], before = b->n;
                for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
                    if (m->hs[i] <= p && p < m->hs[i] + m->dur[j])
                        term(b, lay->xvar[i], ct.per[e]);
                most += b->n > before ? ct.per[e] * lay->gsize[g] : 0;
            }
            if (most <= ct.size[c]) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "staff_no_overlap[%s%s,%d]", sc->staff[first[c]].id,
                     ct.size[c] > 1 ? ",class" : "", p);
            row(b, CPD_ROW_LE, ct.size[c]);
        }
    }
    free(first);
    class_tasks_free(&ct);
}

/* add_cover: for each school s and period p:
 *   sum_{g at s with cover, h: p ∈ P(g,h)} out_g x[g,h] <= cover_limit   (where it can bind). */
static void add_cover(builder *b)
{
    const ob_model *m = b->m;
    for (int s = 0; s < m->S; s++)
        for (int p = 0; p < m->P; p++) {
            int most = 0;
            for (int j = 0; j < m->T; j++) {
                if (m->tasks[j].school != s || m->ncover[j] == 0 || !is_rep(b, j))
                    continue;
                int before = b->n;
                for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
                    if (m->hs[i] <= p && p < m->hs[i] + m->dur[j])
                        term(b, b->lay->xvar[i], m->ncover[j]);
                most += b->n > before ? m->ncover[j] * gsize_of(b, j) : 0;
            }
            if (most <= m->q->cover_limit) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "cover[%s,%d]", school_id(b, s), p);
            row(b, CPD_ROW_LE, m->q->cover_limit);
        }
}

/* add_training_days: while a school's all-staff training runs, none of its per-person tasks
 * can, and at other times at most K_s of those that need people run at once (K_s: their
 * candidates together). For school s and period p, with G_s its per-person groups that need
 * people and A_s its all-staff groups:
 *   sum_{g in G_s} sum_{h: p ∈ P(g,h)} x[g,h] + K_s sum_{g in A_s} sum_{h: p ∈ P(g,h)} x[g,h] <= K_s
 * (only where K_s is below the tasks of G_s: elsewhere the rows above say as much). */
static void add_training_days(builder *b)
{
    const ob_model *m = b->m;
    unsigned char *isc = cpd_xcalloc((size_t)m->R + 1, 1);
    for (int s = 0; s < m->S; s++) {
        int K = 0, owned = 0, shared = 0;
        memset(isc, 0, (size_t)m->R + 1);
        for (int j = 0; j < m->T; j++) {
            if (m->tasks[j].school != s || m->hstart[j] == m->hstart[j + 1])
                continue;
            const cpd_activity *a = &m->p->activities[m->tasks[j].activity];
            shared += cpd_strlist_has(&a->audience, "staff") || cpd_strlist_has(&a->audience, "all");
            if (m->tasks[j].staff < 0 || m->kbase[j] == m->kbase[j + 1])
                continue;
            owned++;
            for (int e = m->cstart[m->kbase[j]]; e < m->cstart[m->kbase[j + 1]]; e++)
                if (!isc[m->cand[e]]) {
                    isc[m->cand[e]] = 1;
                    K++;
                }
        }
        if (shared == 0 || K >= owned)
            continue;
        for (int p = 0; p < m->P; p++) {
            bool any = false;
            for (int j = 0; j < m->T; j++) {
                const cpd_activity *a = &m->p->activities[m->tasks[j].activity];
                bool all = cpd_strlist_has(&a->audience, "staff") || cpd_strlist_has(&a->audience, "all");
                bool mine = m->tasks[j].staff >= 0 && m->kbase[j] < m->kbase[j + 1];
                if (m->tasks[j].school != s || !is_rep(b, j) || (!all && !mine))
                    continue;
                for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
                    if (m->hs[i] <= p && p < m->hs[i] + m->dur[j]) {
                        term(b, b->lay->xvar[i], all ? K : 1);
                        any |= all;
                    }
            }
            if (!any) {
                discard(b);
                continue;
            }
            snprintf(b->name, sizeof b->name, "training_day[%s,%d]", school_id(b, s), p);
            row(b, CPD_ROW_LE, K);
        }
    }
    free(isc);
}

/* ---- interface ---- */

static int *minus_ones(size_t n)
{
    int *a = cpd_xmalloc((n + 1) * sizeof(int));
    for (size_t k = 0; k <= n; k++)
        a[k] = -1;
    return a;
}

size_t ob_count_vars(const ob_model *m)
{
    size_t n = (size_t)m->hstart[m->T];
    for (int j = 0; j < m->T; j++)
        for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++)
            if (!forced(m, k))
                n += (size_t)(m->cstart[k + 1] - m->cstart[k]) * (m->hstart[j + 1] - m->hstart[j]);
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
    make_classes(&b);
    make_groups(&b);
    unit_days(&b);
    add_start_vars(&b);
    add_makespan_vars(&b);
    add_cumulative_vars(&b);
    add_assign_vars(&b);
    occupancy o;
    occupancy_build(&b, &o);
    add_day_vars(&b, &o);
    cpd_engine_set_obj_constant(b.e, lay->constant);
    add_one_start(&b);
    add_need_fill(&b);
    add_resource_capacity(&b, &o);
    add_one_school_a_day(&b);
    add_days_a_week(&b);
    add_school_days(&b);
    add_school_weeks(&b);
    add_precedence(&b);
    add_staff_no_overlap(&b);
    add_cover(&b);
    add_training_days(&b);
    add_makespan(&b);
    add_cumulative(&b);
    occupancy_free(&o);
    free(b.var);
    free(b.coef);
    free(b.seen_row);
    free(b.seen_pos);
    free(b.cap_day);
    free(b.days_week);
    free(b.most_week);
    free(b.class_of);
    free(b.gstart);
    free(b.gtask);
    return b.e;
}

void ob_layout_free(ob_layout *lay)
{
    free(lay->unit_of);
    free(lay->first);
    free(lay->nmem);
    free(lay->group_of);
    free(lay->grep);
    free(lay->gsize);
    free(lay->xvar);
    free(lay->uvar);
    free(lay->abeg);
    free(lay->avar);
    free(lay->aslot);
    free(lay->aunit);
    free(lay->zvar);
    free(lay->vvar);
    free(lay->yvar);
    free(lay->svar);
    free(lay->cvar);
    free(lay->scvar);
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

/* z and v from the people's days: each person counts once per school and day; y once per
 * school and week. */
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
        int g = j, rep = lay->grep[lay->group_of[g]], i = st->hidx[j];
        if (i < 0) {
            add(x, lay->uvar[rep]);
            continue;
        }
        int ri = m->hstart[rep] + (i - m->hstart[j]); /* the same start of the group's first task */
        add(x, lay->xvar[ri]);
        const int *res = &st->res[(size_t)j * CPD_OB_MAX_RES];
        for (int k = m->kbase[j], at = 0; k < m->kbase[j + 1]; at += m->kcount[k++])
            for (int c = at; c < at + m->kcount[k] && !forced(m, k); c++)
                add(x, a_of(lay, ri, m->kbase[rep] + (k - m->kbase[j]), lay->unit_of[res[c]]));
    }
    days_to_x(st, lay, x);
    int end = ob_state_makespan(st);
    if (end < lay->nsvar)
        x[lay->svar[end]] = 1;
    for (int j = 0; j < m->T; j++) { /* the cumulative variables: running sums */
        double acc = 0;
        for (int i = m->hstart[j]; i < m->hstart[j + 1] && lay->cvar[i] >= 0; i++) {
            acc += x[lay->xvar[i]];
            x[lay->cvar[i]] = acc;
        }
    }
    for (int e = 0, acc = 0; e < lay->nsvar && lay->scvar[e] >= 0; e++) {
        acc += e == end;
        x[lay->scvar[e]] = acc;
    }
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

static const int *cmp_start_of;

static int cmp_by_start(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    if (cmp_start_of[i] != cmp_start_of[j])
        return cmp_start_of[i] < cmp_start_of[j] ? -1 : 1;
    return (i > j) - (i < j);
}

bool ob_state_from_pooled(ob_state *st, const ob_layout *lay, const double *x)
{
    const ob_model *m = st->m;
    ob_state_clear(st);
    int *at = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int)), *order = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int));
    int n = 0;
    bool ok = true;
    for (int j = 0; j < m->T && ok; j++) {
        at[j] = -1;
        ok = lay->gsize[lay->group_of[j]] == 1;
        for (int i = m->hstart[j]; i < m->hstart[j + 1] && ok && at[j] < 0; i++)
            if (x[lay->xvar[i]] > 0.5)
                at[j] = i;
        if (at[j] >= 0)
            order[n++] = j;
    }
    cmp_start_of = at; /* start indices of one task grow with the start: compare periods */
    for (int k = 0; k < n; k++)
        at[order[k]] = m->hs[at[order[k]]];
    qsort(order, (size_t)n, sizeof(int), cmp_by_start);
    for (int k = 0; k < n && ok; k++)
        ok = ob_state_place_at(st, order[k], ob_start_index(m, order[k], at[order[k]]));
    free(at);
    free(order);
    return ok;
}
