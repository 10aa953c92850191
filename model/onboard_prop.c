/* onboard_prop.c — for a makespan capped at a horizon, the starts no plan ending by it can use,
 * dropped before the model is built: precedence heads and tails, time-tabling on compulsory
 * parts, pairs that cannot overlap and energetic reasoning, over pools of people, staff and
 * cover, to a fixpoint, then shaving of each task's first and last start. */
#include "onboard_internal.h"

#include <stdlib.h>
#include <string.h>

/* A pool: something tasks use up while they run, with a capacity per period. Every plan keeps,
 * in every period, the sum of the running tasks' demands within the capacity: that is all the
 * reasoning here relies on. */
typedef struct {
    int *cap;          /* per period */
    long *csum;        /* per period p: the capacity summed over periods before p (P + 1) */
    int capmax;        /* the most in any period */
    int *task, *dem;   /* the tasks with a demand, and their demands */
    int n;
} pool;

typedef struct {
    ob_model *m;
    unsigned char *keep; /* per start (as hs): still allowed */
    int *es, *ls;        /* per task: its first and last allowed start */
    pool *pools;
    int npools;
    int *prof;           /* per period: scratch for a pool's profile */
    int *pts;            /* scratch: interval ends for energetic reasoning */
    bool changed;
    long work;           /* steps taken, against a budget (deterministic, unlike a clock) */
} prop;

/* Steps the probing may take: a small instance is probed to the end, a big model stops early
 * (every probe kept is sound, so stopping only weakens the result). */
#define PROP_BUDGET 300000000L
/* Energetic reasoning is cubic in a pool's tasks: larger pools go without it. */
#define ENERGETIC_MAX_TASKS 128

/* ---- local: windows ---- */

/* Recomputes j's first and last start; false when none is left. */
static bool window(prop *pr, int j)
{
    const ob_model *m = pr->m;
    pr->es[j] = pr->ls[j] = -1;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        if (pr->keep[i]) {
            if (pr->es[j] < 0)
                pr->es[j] = m->hs[i];
            pr->ls[j] = m->hs[i];
        }
    return pr->es[j] >= 0;
}

/* Keeps only j's starts in [lo, hi]; false when none is left. */
static bool clamp(prop *pr, int j, int lo, int hi)
{
    if (pr->es[j] >= lo && pr->ls[j] <= hi)
        return true;
    const ob_model *m = pr->m;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        if (pr->keep[i] && (m->hs[i] < lo || m->hs[i] > hi)) {
            pr->keep[i] = 0;
            pr->changed = true;
        }
    return window(pr, j);
}

/* ---- local: pools ---- */

static pool *new_pool(prop *pr)
{
    pr->pools = cpd_xrealloc(pr->pools, ((size_t)pr->npools + 1) * sizeof(pool));
    pool *q = &pr->pools[pr->npools++];
    memset(q, 0, sizeof *q);
    q->cap = cpd_xcalloc((size_t)pr->m->P + 1, sizeof(int));
    q->csum = cpd_xcalloc((size_t)pr->m->P + 1, sizeof(long));
    q->task = cpd_xcalloc((size_t)pr->m->T + 1, sizeof(int));
    q->dem = cpd_xcalloc((size_t)pr->m->T + 1, sizeof(int));
    return q;
}

static void finish_pool(prop *pr, pool *q)
{
    for (int p = 0; p < pr->m->P; p++)
        if (q->cap[p] > q->capmax)
            q->capmax = q->cap[p];
    for (int p = 0; p < pr->m->P; p++)
        q->csum[p + 1] = q->csum[p] + q->cap[p];
}

static void free_pool(pool *q)
{
    free(q->cap);
    free(q->csum);
    free(q->task);
    free(q->dem);
}

/* Whether the increasing list a[0..na) lies inside the increasing list b[0..nb). */
static bool subset(const int *a, int na, const int *b, int nb)
{
    int k = 0;
    for (int i = 0; i < na; i++) {
        while (k < nb && b[k] < a[i])
            k++;
        if (k == nb || b[k] != a[i])
            return false;
    }
    return true;
}

/* The pool of slot k's candidates C: people of C not away in a period; a task takes from it
 * at least the people of its slots whose candidates all lie in C (a task's people are
 * distinct, and each works every period of the task). */
static void add_cand_pool(prop *pr, int k)
{
    const ob_model *m = pr->m;
    const int *c = &m->cand[m->cstart[k]];
    int nc = m->cstart[k + 1] - m->cstart[k];
    pool *q = new_pool(pr);
    for (int e = 0; e < nc; e++)
        for (int p = 0; p < m->P; p++)
            q->cap[p] += m->avail[(size_t)c[e] * m->P + p];
    for (int j = 0; j < m->T; j++) {
        int d = 0;
        for (int l = m->kbase[j]; l < m->kbase[j + 1]; l++)
            if (subset(&m->cand[m->cstart[l]], m->cstart[l + 1] - m->cstart[l], c, nc))
                d += m->kcount[l];
        if (d > 0) {
            q->task[q->n] = j;
            q->dem[q->n++] = d;
        }
    }
    finish_pool(pr, q);
}

static void add_cand_pools(prop *pr)
{
    const ob_model *m = pr->m;
    int K = m->kbase[m->T];
    for (int k = 0; k < K; k++) {
        bool seen = false;
        for (int l = 0; l < k && !seen; l++)
            seen = ob_same_candidates(m, k, l);
        if (!seen && m->cstart[k + 1] > m->cstart[k])
            add_cand_pool(pr, k);
    }
}

/* A member of staff is in one task at a time: a pool of one for the tasks they take part in. */
static void add_staff_pools(prop *pr)
{
    const ob_model *m = pr->m;
    int *count = cpd_xcalloc((size_t)m->Q + 1, sizeof(int));
    for (int e = 0; e < m->qstart[m->T]; e++)
        count[m->people[e]]++;
    for (int s = 0; s < m->Q; s++) {
        if (count[s] < 2)
            continue;
        pool *q = new_pool(pr);
        for (int p = 0; p < m->P; p++)
            q->cap[p] = 1;
        for (int j = 0; j < m->T; j++)
            for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
                if (m->people[e] == s) {
                    q->task[q->n] = j;
                    q->dem[q->n++] = 1;
                    break;
                }
        finish_pool(pr, q);
    }
    free(count);
}

/* Staff out of class at a school, at most the cover limit at a time. */
static void add_cover_pools(prop *pr)
{
    const ob_model *m = pr->m;
    for (int s = 0; s < m->S; s++) {
        int n = 0;
        for (int j = 0; j < m->T; j++)
            n += m->ncover[j] > 0 && m->tasks[j].school == s;
        if (n < 2)
            continue;
        pool *q = new_pool(pr);
        for (int p = 0; p < m->P; p++)
            q->cap[p] = m->q->cover_limit;
        for (int j = 0; j < m->T; j++)
            if (m->ncover[j] > 0 && m->tasks[j].school == s) {
                q->task[q->n] = j;
                q->dem[q->n++] = m->ncover[j];
            }
        finish_pool(pr, q);
    }
}

/* ---- local: the rules ---- */

/* Each task starts after its predecessors' earliest ends and ends by its successors' latest
 * starts. */
static bool precedence(prop *pr)
{
    const ob_model *m = pr->m;
    pr->work += m->T + 2L * m->pstart[m->T];
    for (int t = 0; t < m->T; t++) {
        int j = m->topo[t], lo = 0;
        for (int e = m->pstart[j]; e < m->pstart[j + 1]; e++)
            if (pr->es[m->pred[e]] + m->dur[m->pred[e]] > lo)
                lo = pr->es[m->pred[e]] + m->dur[m->pred[e]];
        if (!clamp(pr, j, lo, m->P))
            return false;
    }
    for (int t = m->T - 1; t >= 0; t--) {
        int j = m->topo[t], hi = m->P;
        for (int e = m->sstart[j]; e < m->sstart[j + 1]; e++)
            if (pr->ls[m->succ[e]] - m->dur[j] < hi)
                hi = pr->ls[m->succ[e]] - m->dur[j];
        if (!clamp(pr, j, 0, hi))
            return false;
    }
    return true;
}

/* Drops j's starts at which its demand d, beside the other tasks' compulsory parts (the
 * profile, j's own part cp_lo .. cp_hi taken out), exceeds the pool's capacity. */
static bool fit_profile(prop *pr, const pool *q, int j, int d)
{
    const ob_model *m = pr->m;
    int cp_lo = pr->ls[j], cp_hi = pr->es[j] + m->dur[j];
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
        if (!pr->keep[i])
            continue;
        pr->work += m->dur[j];
        for (int p = m->hs[i]; p < m->hs[i] + m->dur[j] && p < m->P; p++) {
            int own = p >= cp_lo && p < cp_hi ? d : 0;
            if (pr->prof[p] - own + d > q->cap[p]) {
                pr->keep[i] = 0;
                pr->changed = true;
                break;
            }
        }
    }
    return window(pr, j);
}

/* Time-tabling: the profile of the compulsory parts [ls, es + dur) against the capacity. */
static bool timetable(prop *pr, const pool *q)
{
    const ob_model *m = pr->m;
    memset(pr->prof, 0, (size_t)m->P * sizeof(int));
    for (int t = 0; t < q->n; t++) {
        int j = q->task[t];
        for (int p = pr->ls[j]; p < pr->es[j] + m->dur[j] && p < m->P; p++)
            pr->prof[p] += q->dem[t];
    }
    for (int t = 0; t < q->n; t++)
        if (!fit_profile(pr, q, q->task[t], q->dem[t]))
            return false;
    return true;
}

/* Two tasks whose demands together exceed the pool's largest capacity never overlap: when one
 * order is impossible, the other is forced. */
static bool disjunctive(prop *pr, const pool *q)
{
    const ob_model *m = pr->m;
    pr->work += (long)q->n * q->n / 2;
    for (int a = 0; a < q->n; a++)
        for (int b = a + 1; b < q->n; b++) {
            if (q->dem[a] + q->dem[b] <= q->capmax)
                continue;
            int i = q->task[a], j = q->task[b];
            bool ij = pr->es[i] + m->dur[i] <= pr->ls[j], ji = pr->es[j] + m->dur[j] <= pr->ls[i];
            if (!ij && !ji)
                return false;
            if (!ji && (!clamp(pr, j, pr->es[i] + m->dur[i], m->P) || !clamp(pr, i, 0, pr->ls[j] - m->dur[i])))
                return false;
            if (!ij && (!clamp(pr, i, pr->es[j] + m->dur[j], m->P) || !clamp(pr, j, 0, pr->ls[i] - m->dur[j])))
                return false;
        }
    return true;
}

static int cmp_int(const void *x, const void *y)
{
    return (*(const int *)x > *(const int *)y) - (*(const int *)x < *(const int *)y);
}

/* The least of j's run inside [a, b) at any start it has left. */
static int min_inside(const prop *pr, int j, int a, int b)
{
    int d = pr->m->dur[j], in = b - a;
    if (d < in)
        in = d;
    if (pr->es[j] + d - a < in)
        in = pr->es[j] + d - a;
    if (b - pr->ls[j] < in)
        in = b - pr->ls[j];
    return in > 0 ? in : 0;
}

/* Energetic reasoning: over [a, b), between the tasks' earliest and latest starts and ends,
 * the demand the tasks cannot keep out of it must fit in the pool's capacity there. */
static bool energetic(prop *pr, const pool *q)
{
    const ob_model *m = pr->m;
    int n = 0;
    if (q->n > ENERGETIC_MAX_TASKS)
        return true;
    for (int t = 0; t < q->n; t++) {
        int j = q->task[t];
        pr->pts[n++] = pr->es[j];
        pr->pts[n++] = pr->ls[j];
        pr->pts[n++] = pr->es[j] + m->dur[j];
        pr->pts[n++] = pr->ls[j] + m->dur[j];
    }
    qsort(pr->pts, (size_t)n, sizeof(int), cmp_int);
    for (int x = 0; x < n; x++) {
        if (x > 0 && pr->pts[x] == pr->pts[x - 1])
            continue;
        for (int y = x + 1; y < n; y++) {
            int a = pr->pts[x], b = pr->pts[y];
            if (b == pr->pts[y - 1] || a < 0 || b > m->P)
                continue;
            long need = 0;
            for (int t = 0; t < q->n; t++)
                need += (long)q->dem[t] * min_inside(pr, q->task[t], a, b);
            pr->work += q->n;
            if (need > q->csum[b] - q->csum[a])
                return false;
        }
    }
    return true;
}

static bool fixpoint(prop *pr)
{
    do {
        pr->changed = false;
        if (!precedence(pr))
            return false;
        for (int c = 0; c < pr->npools; c++)
            if (!timetable(pr, &pr->pools[c]) || !disjunctive(pr, &pr->pools[c]))
                return false;
    } while (pr->changed && pr->work < PROP_BUDGET); /* stopping early is sound, only weaker */
    for (int c = 0; c < pr->npools; c++)
        if (!energetic(pr, &pr->pools[c]))
            return false;
    return true;
}

/* ---- local: probing ---- */

typedef struct {
    unsigned char *keep;
    int *es, *ls;
} saved;

static void save(const prop *pr, saved *sv)
{
    const ob_model *m = pr->m;
    memcpy(sv->keep, pr->keep, (size_t)m->hstart[m->T]);
    memcpy(sv->es, pr->es, (size_t)m->T * sizeof(int));
    memcpy(sv->ls, pr->ls, (size_t)m->T * sizeof(int));
}

static void restore(prop *pr, const saved *sv)
{
    const ob_model *m = pr->m;
    memcpy(pr->keep, sv->keep, (size_t)m->hstart[m->T]);
    memcpy(pr->es, sv->es, (size_t)m->T * sizeof(int));
    memcpy(pr->ls, sv->ls, (size_t)m->T * sizeof(int));
}

/* Whether everything still holds with j started at h (h kept); the state is put back. */
static bool probe(prop *pr, saved *sv, int j, int h)
{
    save(pr, sv);
    bool ok = clamp(pr, j, h, h) && fixpoint(pr);
    restore(pr, sv);
    return ok;
}

/* Shaving: j's first start (or last, from the end) is dropped while starting there leads to
 * no plan; false when j has no start left. */
static bool shave_end(prop *pr, saved *sv, int j, bool from_end)
{
    const ob_model *m = pr->m;
    while (pr->work < PROP_BUDGET) {
        int h = from_end ? pr->ls[j] : pr->es[j];
        if (probe(pr, sv, j, h))
            return true;
        if (!(from_end ? clamp(pr, j, 0, h - 1) : clamp(pr, j, h + 1, m->P)) || !fixpoint(pr))
            return false;
    }
    return true;
}

static bool shave(prop *pr)
{
    const ob_model *m = pr->m;
    saved sv = {cpd_xmalloc((size_t)m->hstart[m->T] + 1), cpd_xcalloc((size_t)m->T + 1, sizeof(int)),
                cpd_xcalloc((size_t)m->T + 1, sizeof(int))};
    bool ok = true, again = true;
    while (ok && again && pr->work < PROP_BUDGET) {
        again = false;
        for (int t = 0; t < m->T && ok; t++) {
            int j = m->topo[t], es = pr->es[j], ls = pr->ls[j];
            ok = shave_end(pr, &sv, j, false) && shave_end(pr, &sv, j, true);
            again = again || (ok && (pr->es[j] != es || pr->ls[j] != ls));
        }
    }
    free(sv.keep);
    free(sv.es);
    free(sv.ls);
    return ok;
}

/* ---- local: keeping the pooled model's groups whole ---- */

/* A per-person task by the pooled model's group key: activity, school, target week. */
typedef struct {
    int activity, school, target, j;
} group_key;

static int cmp_key(const void *x, const void *y)
{
    const group_key *a = x, *b = y;
    if (a->activity != b->activity)
        return a->activity < b->activity ? -1 : 1;
    if (a->school != b->school)
        return a->school < b->school ? -1 : 1;
    if (a->target != b->target)
        return a->target < b->target ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static bool same_key(const group_key *a, const group_key *b)
{
    return a->activity == b->activity && a->school == b->school && a->target == b->target;
}

/* The pooled model counts interchangeable per-person tasks (one activity, school and target
 * week) at their first task's starts, so such tasks keep the union of what each kept: still
 * every start a plan can use. */
static void union_groups(prop *pr)
{
    const ob_model *m = pr->m;
    group_key *ord = cpd_xcalloc((size_t)m->T + 1, sizeof(group_key));
    unsigned char *mark = cpd_xcalloc((size_t)m->P + 1, 1);
    int n = 0;
    for (int j = 0; j < m->T; j++)
        if (m->tasks[j].staff >= 0)
            ord[n++] = (group_key){m->tasks[j].activity, m->tasks[j].school, m->tasks[j].target, j};
    qsort(ord, (size_t)n, sizeof *ord, cmp_key);
    for (int a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && same_key(&ord[a], &ord[b]); b++)
            ;
        memset(mark, 0, (size_t)m->P);
        for (int t = a; t < b; t++)
            for (int i = m->hstart[ord[t].j]; i < m->hstart[ord[t].j + 1]; i++)
                mark[m->hs[i]] |= pr->keep[i];
        for (int t = a; t < b; t++)
            for (int i = m->hstart[ord[t].j]; i < m->hstart[ord[t].j + 1]; i++)
                pr->keep[i] = mark[m->hs[i]];
    }
    free(ord);
    free(mark);
}

/* ---- interface ---- */

bool ob_model_propagate(ob_model *m)
{
    prop pr = {.m = m};
    int H = m->hstart[m->T];
    pr.keep = cpd_xmalloc((size_t)H + 1);
    memset(pr.keep, 1, (size_t)H + 1);
    pr.es = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    pr.ls = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    pr.prof = cpd_xcalloc((size_t)m->P + 1, sizeof(int));
    pr.pts = cpd_xcalloc(4 * (size_t)m->T + 1, sizeof(int));
    bool ok = true;
    for (int j = 0; j < m->T && ok; j++)
        ok = window(&pr, j);
    if (ok) {
        add_cand_pools(&pr);
        add_staff_pools(&pr);
        add_cover_pools(&pr);
        ok = fixpoint(&pr) && shave(&pr);
    }
    if (ok) {
        union_groups(&pr);
        ob_model_keep_starts(m, pr.keep);
    }
    for (int c = 0; c < pr.npools; c++)
        free_pool(&pr.pools[c]);
    free(pr.pools);
    free(pr.keep);
    free(pr.es);
    free(pr.ls);
    free(pr.prof);
    free(pr.pts);
    return ok;
}
