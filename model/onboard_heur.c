/* onboard_heur.c — a schedule with its occupancy tables, the serial schedule generation by
 * priority, remove-and-reinsert, and ruin and recreate over school-weeks, resource-weeks and the
 * tasks around a late one. A PRNG of our own keeps every run the same; each phase ends by its
 * count of steps, and the deadline only cuts in as a safety cap. */
#include "onboard_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Record-to-record travel: a round may end up to this share of the best objective worse, a
 * margin shrinking to nothing by RRT_SPAN of the rounds (measured on the model programme for
 * one to six schools: 0.5% and 70% beat pure descent and wider margins). */
#define RRT_MARGIN 0.005
#define RRT_SPAN 0.7
#define RRT_MARGIN_MAKESPAN 0.03 /* PSPLIB j30: better than 0.005 on the tight instances */
#define RUIN_MAX 60          /* tasks one ruin removes at most (before successors) */
#define SEED 0x6f6e626f61726455ULL
#define GUIDE_PERIODS 4.0    /* for the makespan: periods of end a start the LP takes is worth */

/* ---- local: draws (cpd_rng: splitmix64) ---- */

static int rng_int(cpd_rng *r, int n) { return n > 0 ? cpd_rng_int(r, 0, n - 1) : 0; }

/* ---- local: scratch ---- */

typedef struct {
    int *list, *order, *pending, *saved_h, *saved_res, *mark;
    double *key;
    int stamp;
    int *rank;        /* per task: position in the construction's priority order */
} scratch;

static scratch *sc(const ob_state *st) { return st->scratch; }

static int *res_of(const ob_state *st, int j) { return &st->res[(size_t)j * CPD_OB_MAX_RES]; }

static size_t swi(const ob_model *m, int r, int w, int s)
{
    return ((size_t)r * (m->W + 1) + w) * m->S + s;
}

static int start_of(const ob_state *st, int j)
{
    return st->hidx[j] < 0 ? -1 : st->m->hs[st->hidx[j]];
}

/* ---- local: priorities ---- */

static int ncand(const ob_model *m, int j)
{
    return m->cstart[m->kbase[j + 1]] - m->cstart[m->kbase[j]];
}

static const ob_model *cmp_model;

/* The window that closes first, then the tightest window, then most tasks after it, then
 * fewest candidates. */
static int cmp_priority(const void *a, const void *b)
{
    const ob_model *m = cmp_model;
    int i = *(const int *)a, j = *(const int *)b;
    /* for the makespan, the latest finish time first: the longest chain still to run */
    if (m->makespan && m->dur[i] + m->tail[i] != m->dur[j] + m->tail[j])
        return m->dur[i] + m->tail[i] > m->dur[j] + m->tail[j] ? -1 : 1;
    if (m->tasks[i].latest != m->tasks[j].latest)
        return m->tasks[i].latest < m->tasks[j].latest ? -1 : 1;
    if (m->nin[i] != m->nin[j])
        return m->nin[i] < m->nin[j] ? -1 : 1;
    if (m->ndesc[i] != m->ndesc[j])
        return m->ndesc[i] > m->ndesc[j] ? -1 : 1;
    if (ncand(m, i) != ncand(m, j))
        return ncand(m, i) < ncand(m, j) ? -1 : 1;
    return (i > j) - (i < j);
}

static void make_ranks(const ob_model *m, int *rank)
{
    int *order = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int));
    for (int j = 0; j < m->T; j++)
        order[j] = j;
    cmp_model = m;
    qsort(order, (size_t)m->T, sizeof(int), cmp_priority);
    for (int k = 0; k < m->T; k++)
        rank[order[k]] = k;
    free(order);
}

/* ---- interface: the state ---- */

ob_state *ob_state_new(const ob_model *m)
{
    ob_state *st = cpd_xcalloc(1, sizeof *st);
    size_t T = (size_t)m->T + 1, P = (size_t)m->P;
    st->m = m;
    st->hidx = cpd_xmalloc(T * sizeof(int));
    st->res = cpd_xcalloc(T * CPD_OB_MAX_RES, sizeof(int));
    st->rocc = cpd_xmalloc(((size_t)m->R * P + 1) * sizeof(int));
    st->socc = cpd_xmalloc(((size_t)m->Q * P + 1) * sizeof(int));
    st->cover = cpd_xcalloc((size_t)m->S * P + 1, sizeof(int));
    st->rwdays = cpd_xcalloc((size_t)m->R * (m->W + 1) + 1, sizeof(int));
    st->sw = cpd_xcalloc((size_t)m->R * (m->W + 1) * m->S + 1, sizeof(int));
    scratch *s = cpd_xcalloc(1, sizeof *s);
    s->list = cpd_xmalloc(T * sizeof(int));
    s->order = cpd_xmalloc(T * sizeof(int));
    s->pending = cpd_xcalloc(T, sizeof(int));
    s->saved_h = cpd_xmalloc(T * sizeof(int));
    s->saved_res = cpd_xmalloc(T * CPD_OB_MAX_RES * sizeof(int));
    s->mark = cpd_xcalloc(T, sizeof(int));
    s->key = cpd_xmalloc(T * sizeof(double));
    s->rank = cpd_xmalloc(T * sizeof(int));
    make_ranks(m, s->rank);
    st->scratch = s;
    ob_state_clear(st);
    return st;
}

void ob_state_clear(ob_state *st)
{
    const ob_model *m = st->m;
    size_t P = (size_t)m->P;
    for (int j = 0; j < m->T; j++)
        st->hidx[j] = -1;
    for (size_t k = 0; k < (size_t)m->R * P; k++)
        st->rocc[k] = -1;
    for (size_t k = 0; k < (size_t)m->Q * P; k++)
        st->socc[k] = -1;
    memset(st->cover, 0, ((size_t)m->S * P + 1) * sizeof(int));
    memset(st->rwdays, 0, ((size_t)m->R * (m->W + 1) + 1) * sizeof(int));
    memset(st->sw, 0, ((size_t)m->R * (m->W + 1) * m->S + 1) * sizeof(int));
    st->nsw = 0;
    st->tcost = m->T * m->q->w_unplaced;
    st->rng = (cpd_rng){SEED};
}

void ob_state_free(ob_state **pst)
{
    if (!pst || !*pst)
        return;
    ob_state *st = *pst;
    scratch *s = st->scratch;
    free(s->list);
    free(s->order);
    free(s->pending);
    free(s->saved_h);
    free(s->saved_res);
    free(s->mark);
    free(s->key);
    free(s->rank);
    free(s);
    free(st->hidx);
    free(st->res);
    free(st->rocc);
    free(st->socc);
    free(st->cover);
    free(st->rwdays);
    free(st->sw);
    free(st);
    *pst = NULL;
}

void ob_state_copy(ob_state *dst, const ob_state *src)
{
    const ob_model *m = src->m;
    size_t T = (size_t)m->T, P = (size_t)m->P;
    memcpy(dst->hidx, src->hidx, T * sizeof(int));
    memcpy(dst->res, src->res, T * CPD_OB_MAX_RES * sizeof(int));
    memcpy(dst->rocc, src->rocc, (size_t)m->R * P * sizeof(int));
    memcpy(dst->socc, src->socc, (size_t)m->Q * P * sizeof(int));
    memcpy(dst->cover, src->cover, (size_t)m->S * P * sizeof(int));
    memcpy(dst->rwdays, src->rwdays, (size_t)m->R * (m->W + 1) * sizeof(int));
    memcpy(dst->sw, src->sw, (size_t)m->R * (m->W + 1) * m->S * sizeof(int));
    dst->nsw = src->nsw;
    dst->tcost = src->tcost;
}

int ob_state_makespan(const ob_state *st)
{
    const ob_model *m = st->m;
    int end = 0;
    for (int j = 0; j < m->T; j++)
        if (st->hidx[j] >= 0 && m->hs[st->hidx[j]] + m->dur[j] > end)
            end = m->hs[st->hidx[j]] + m->dur[j];
    return end;
}

double ob_state_objective(const ob_state *st)
{
    double o = st->tcost + st->m->q->w_school * st->nsw;
    return st->m->makespan ? o + ob_state_makespan(st) : o;
}

int ob_state_start(const ob_state *st, int j) { return start_of(st, j); }

/* The task's cost summed afresh (adding and taking away fractions drifts). */
static void resync_cost(ob_state *st)
{
    const ob_model *m = st->m;
    double c = 0;
    for (int j = 0; j < m->T; j++)
        c += st->hidx[j] < 0 ? m->q->w_unplaced : m->hc[st->hidx[j]];
    st->tcost = c;
}

static bool day_empty(const ob_state *st, int r, int d)
{
    const int *occ = &st->rocc[(size_t)r * st->m->P];
    return occ[2 * d] < 0 && occ[2 * d + 1] < 0;
}

void ob_state_place(ob_state *st, int j, int i, const int *res)
{
    const ob_model *m = st->m;
    int h = m->hs[i], dur = m->dur[j], s = m->tasks[j].school;
    st->hidx[j] = i;
    st->tcost += m->hc[i] - m->q->w_unplaced;
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
        for (int p = h; p < h + dur; p++)
            st->socc[(size_t)m->people[e] * m->P + p] = j;
    if (m->ncover[j])
        for (int p = h; p < h + dur; p++)
            st->cover[(size_t)s * m->P + p] += m->ncover[j];
    int *mine = res_of(st, j);
    for (int k = 0; k < m->nres[j]; k++) {
        int r = mine[k] = res[k];
        for (int d = h / 2; d <= (h + dur - 1) / 2; d++)
            st->rwdays[(size_t)r * (m->W + 1) + m->week[d]] += day_empty(st, r, d);
        for (int p = h; p < h + dur; p++) {
            st->rocc[(size_t)r * m->P + p] = j;
            st->nsw += st->sw[swi(m, r, m->week[p / 2], s)]++ == 0;
        }
    }
}

void ob_state_remove(ob_state *st, int j)
{
    const ob_model *m = st->m;
    if (st->hidx[j] < 0)
        return;
    int i = st->hidx[j], h = m->hs[i], dur = m->dur[j], s = m->tasks[j].school;
    st->hidx[j] = -1;
    st->tcost += m->q->w_unplaced - m->hc[i];
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
        for (int p = h; p < h + dur; p++)
            st->socc[(size_t)m->people[e] * m->P + p] = -1;
    if (m->ncover[j])
        for (int p = h; p < h + dur; p++)
            st->cover[(size_t)s * m->P + p] -= m->ncover[j];
    const int *mine = res_of(st, j);
    for (int k = 0; k < m->nres[j]; k++) {
        int r = mine[k];
        for (int p = h; p < h + dur; p++) {
            st->rocc[(size_t)r * m->P + p] = -1;
            st->nsw -= --st->sw[swi(m, r, m->week[p / 2], s)] == 0;
        }
        for (int d = h / 2; d <= (h + dur - 1) / 2; d++)
            st->rwdays[(size_t)r * (m->W + 1) + m->week[d]] -= day_empty(st, r, d);
    }
}

/* ---- local: what a start needs ---- */

static bool order_ok(const ob_state *st, int j, int h)
{
    const ob_model *m = st->m;
    for (int e = m->pstart[j]; e < m->pstart[j + 1]; e++) {
        int i = m->pred[e], si = start_of(st, i);
        if (si < 0 || si + m->dur[i] > h)
            return false;
    }
    for (int e = m->sstart[j]; e < m->sstart[j + 1]; e++) {
        int k = m->succ[e], sk = start_of(st, k);
        if (sk >= 0 && h + m->dur[j] > sk)
            return false;
    }
    return true;
}

static bool people_free(const ob_state *st, int j, int h)
{
    const ob_model *m = st->m;
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++) {
        const int *occ = &st->socc[(size_t)m->people[e] * m->P];
        for (int p = h; p < h + m->dur[j]; p++)
            if (occ[p] >= 0)
                return false;
    }
    if (m->ncover[j]) {
        const int *cov = &st->cover[(size_t)m->tasks[j].school * m->P];
        for (int p = h; p < h + m->dur[j]; p++)
            if (cov[p] + m->ncover[j] > m->q->cover_limit)
                return false;
    }
    return true;
}

/* What r adds by working on j from h: school-weeks opened, days opened; false when r cannot
 * (away, busy, at a far school that day, or out of days that week). */
static bool resource_fits(const ob_state *st, int r, int j, int h, int *weeks, int *days)
{
    const ob_model *m = st->m;
    int dur = m->dur[j], s = m->tasks[j].school, limit = m->p->resources[r].days;
    const int *occ = &st->rocc[(size_t)r * m->P];
    const unsigned char *av = &m->avail[(size_t)r * m->P];
    for (int p = h; p < h + dur; p++)
        if (!av[p] || occ[p] >= 0)
            return false;
    *weeks = *days = 0;
    int w = -1, fresh = 0;
    for (int d = h / 2; d <= (h + dur - 1) / 2; d++) {
        if (m->week[d] != w) {
            w = m->week[d];
            fresh = 0;
            *weeks += st->sw[swi(m, r, w, s)] == 0;
        }
        for (int p = 2 * d; p < 2 * d + 2; p++)
            if (occ[p] >= 0 && !m->near[m->tasks[occ[p]].school * m->S + s])
                return false;
        if (occ[2 * d] < 0 && occ[2 * d + 1] < 0) {
            (*days)++;
            if (st->rwdays[(size_t)r * (m->W + 1) + w] + ++fresh > limit)
                return false;
        }
    }
    return true;
}

typedef struct {
    double score;  /* the objective's change */
    int tie;       /* days opened: fewer keeps half-days together */
    int i;         /* start index (absolute) */
    int res[CPD_OB_MAX_RES];
} insertion;

/* The count cheapest candidates of each slot for j at h (school-weeks opened, days opened,
 * versatility, index); false when a slot cannot be filled. */
static bool choose_resources(const ob_state *st, int j, int h, int *out, int *weeks, int *days)
{
    const ob_model *m = st->m;
    int n = 0;
    *weeks = *days = 0;
    for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++)
        for (int c = 0; c < m->kcount[k]; c++) {
            int best = -1, bw = 0, bd = 0;
            for (int e = m->cstart[k]; e < m->cstart[k + 1]; e++) {
                int r = m->cand[e], w, d;
                bool taken = false;
                for (int q = 0; q < n && !taken; q++)
                    taken = out[q] == r;
                if (taken || !resource_fits(st, r, j, h, &w, &d))
                    continue;
                if (best < 0 || w < bw || (w == bw && (d < bd || (d == bd && m->rvers[r] < m->rvers[best])))) {
                    best = r;
                    bw = w;
                    bd = d;
                }
            }
            if (best < 0)
                return false;
            out[n++] = best;
            *weeks += bw;
            *days += bd;
        }
    return true;
}

/* The best start and people for unplaced j given the rest; bonus (per allowed start, may be
 * NULL) is taken off a start's score. */
static bool best_insertion(const ob_state *st, int j, const double *bonus, insertion *best)
{
    const ob_model *m = st->m;
    bool found = false;
    int res[CPD_OB_MAX_RES];
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
        int h = m->hs[i], weeks, days;
        /* for the makespan, the earliest end (the serial schedule generation scheme) */
        double lower = m->hc[i] - (bonus ? bonus[i] : 0) + (m->makespan ? h + m->dur[j] : 0);
        if (found && lower > best->score + OB_EPS)
            continue;
        if (!order_ok(st, j, h) || !people_free(st, j, h) ||
            !choose_resources(st, j, h, res, &weeks, &days))
            continue;
        double score = lower + m->q->w_school * weeks;
        if (found && (score > best->score + OB_EPS || (score > best->score - OB_EPS && days >= best->tie)))
            continue;
        found = true;
        best->score = score;
        best->tie = days;
        best->i = i;
        memcpy(best->res, res, sizeof res);
    }
    return found;
}

bool ob_state_place_at(ob_state *st, int j, int i)
{
    int res[CPD_OB_MAX_RES], weeks, days;
    int h = st->m->hs[i];
    if (!order_ok(st, j, h) || !people_free(st, j, h) || !choose_resources(st, j, h, res, &weeks, &days))
        return false;
    ob_state_place(st, j, i, res);
    return true;
}

static bool insert(ob_state *st, int j, const double *bonus)
{
    insertion b;
    if (!best_insertion(st, j, bonus, &b))
        return false;
    ob_state_place(st, j, b.i, b.res);
    return true;
}

/* ---- local: the serial schedule ---- */

static const double *cmp_keys;

static int cmp_by_key(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    if (cmp_keys[i] != cmp_keys[j])
        return cmp_keys[i] < cmp_keys[j] ? -1 : 1;
    return (i > j) - (i < j);
}

/* Places the n tasks (all unplaced) by key, each once its predecessors in the list
 * are done, at its best start. */
static void serial(ob_state *st, const int *tasks, int n, const double *key, const double *bonus)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    int *list = s->order; /* sorted here; the caller's list keeps its order */
    memcpy(list, tasks, (size_t)n * sizeof(int));
    cmp_keys = key;
    qsort(list, (size_t)n, sizeof(int), cmp_by_key);
    for (int k = 0; k < n; k++)
        s->pending[list[k]] = 1;
    int first = 0, left = n;
    while (left > 0) {
        while (first < n && !s->pending[list[first]])
            first++;
        int pick = -1;
        for (int k = first; k < n && pick < 0; k++) {
            int j = list[k];
            if (!s->pending[j])
                continue;
            bool ready = true;
            for (int e = m->pstart[j]; e < m->pstart[j + 1] && ready; e++)
                ready = !s->pending[m->pred[e]];
            if (ready)
                pick = j;
        }
        if (pick < 0) /* a cycle: what is left stays unplaced */
            break;
        s->pending[pick] = 0;
        left--;
        insert(st, pick, bonus);
    }
    for (int k = 0; k < n; k++)
        s->pending[list[k]] = 0;
}

void ob_construct(ob_state *st)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    ob_state_clear(st);
    for (int j = 0; j < m->T; j++) {
        s->list[j] = j;
        s->key[j] = s->rank[j];
    }
    serial(st, s->list, m->T, s->key, NULL);
    ob_justify(st);
    resync_cost(st);
}

void ob_construct_guided(ob_state *st, const double *lpx)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    int nh = m->hstart[m->T];
    double *bonus = cpd_xcalloc((size_t)nh + 1, sizeof(double));
    double g = m->makespan ? GUIDE_PERIODS : m->q->w_late + m->q->w_target + m->q->w_school;
    ob_state_clear(st);
    for (int j = 0; j < m->T; j++) {
        double placed = 0, when = 0;
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++) {
            double v = lpx ? fmax(0, lpx[i]) : 0;
            bonus[i] = g * v;
            placed += v;
            when += v * m->hs[i];
        }
        s->list[j] = j;
        /* the LP's mean start orders the tasks; those it barely places go last */
        s->key[j] = placed > 0.5 ? when / placed : m->P + s->rank[j];
    }
    serial(st, s->list, m->T, s->key, bonus);
    free(bonus);
    ob_justify(st);
    resync_cost(st);
}

/* ---- local search: justification (the makespan) ---- */

/* Every placed task in turn (by end, latest first, when late; else by start, earliest first)
 * moved to its latest start ending by limit, or its earliest start: the forward-backward
 * improvement of project scheduling. A task that cannot move keeps its place. */
static void shift_all(ob_state *st, bool late, int limit)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    int n = 0;
    for (int j = 0; j < m->T; j++)
        if (st->hidx[j] >= 0) {
            s->order[n++] = j;
            s->key[j] = late ? -(m->hs[st->hidx[j]] + m->dur[j]) : m->hs[st->hidx[j]];
        }
    cmp_keys = s->key;
    qsort(s->order, (size_t)n, sizeof(int), cmp_by_key);
    for (int k = 0; k < n; k++) {
        int j = s->order[k], old = st->hidx[j], saved[CPD_OB_MAX_RES];
        bool moved = false;
        memcpy(saved, res_of(st, j), sizeof saved);
        ob_state_remove(st, j);
        if (late) {
            for (int i = m->hstart[j + 1] - 1; i >= m->hstart[j] && !moved; i--)
                moved = m->hs[i] + m->dur[j] <= limit && ob_state_place_at(st, j, i);
        } else {
            for (int i = m->hstart[j]; i < m->hstart[j + 1] && !moved; i++)
                moved = ob_state_place_at(st, j, i);
        }
        if (!moved)
            ob_state_place(st, j, old, saved);
    }
}

void ob_justify(ob_state *st)
{
    if (!st->m->makespan)
        return;
    shift_all(st, true, ob_state_makespan(st));
    shift_all(st, false, 0);
    resync_cost(st);
}

/* ---- local search: remove and re-insert ---- */

/* Moves j to its best start and people given the rest when that is strictly better. */
static bool move_task(ob_state *st, int j)
{
    const ob_model *m = st->m;
    double before = ob_state_objective(st);
    int old = st->hidx[j], saved[CPD_OB_MAX_RES];
    memcpy(saved, res_of(st, j), sizeof saved);
    ob_state_remove(st, j);
    insertion b;
    if (best_insertion(st, j, NULL, &b)) {
        ob_state_place(st, j, b.i, b.res);
        if (ob_state_objective(st) < before - OB_EPS)
            return true;
        ob_state_remove(st, j);
    }
    if (old >= 0)
        ob_state_place(st, j, old, saved);
    (void)m;
    return false;
}

void ob_reinsert(ob_state *st, int passes)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    for (int pass = 0; pass < passes; pass++) {
        bool improved = false;
        for (int k = 0; k < m->T; k++)
            s->order[k] = m->topo[k];
        for (int k = m->T - 1; k > 0; k--) { /* a fresh order each pass, same every run */
            int r = rng_int(&st->rng, k + 1), t = s->order[k];
            s->order[k] = s->order[r];
            s->order[r] = t;
        }
        for (int k = 0; k < m->T; k++) {
            int j = s->order[k];
            if (m->hstart[j] == m->hstart[j + 1])
                continue;
            if (st->hidx[j] < 0 && m->pstart[j] != m->pstart[j + 1]) {
                bool ready = true; /* an unplaced task waits for its predecessors */
                for (int e = m->pstart[j]; e < m->pstart[j + 1] && ready; e++)
                    ready = st->hidx[m->pred[e]] >= 0;
                if (!ready)
                    continue;
            }
            improved |= move_task(st, j);
        }
        if (!improved)
            break;
    }
    resync_cost(st);
}

/* ---- local search: ruin and recreate ---- */

/* Adds j to the ruin once (stamped in mark). */
static void take(ob_state *st, int j, int *n)
{
    scratch *s = sc(st);
    if (s->mark[j] == s->stamp)
        return;
    s->mark[j] = s->stamp;
    s->list[(*n)++] = j;
}

static bool touches_week(const ob_model *m, int h, int dur, int w)
{
    return m->week[h / 2] <= w && m->week[(h + dur - 1) / 2] >= w;
}

/* The tasks of one joining school starting in one week. */
static int ruin_school_week(ob_state *st)
{
    const ob_model *m = st->m;
    int j0 = rng_int(&st->rng, m->T), s = m->tasks[j0].school, w = 1 + rng_int(&st->rng, m->W), n = 0;
    for (int j = 0; j < m->T; j++) {
        int h = start_of(st, j);
        const cpd_ob_task *t = &m->tasks[j];
        if (h < 0 || t->school != s)
            continue;
        /* and the school's tasks that belong in this week but are later */
        int hw = m->week[h / 2];
        if (hw == w || (t->earliest <= w && w < hw && (hw > t->latest || cpd_rng_unit(&st->rng) < 0.5)))
            take(st, j, &n);
    }
    return n;
}

/* The tasks of one or two resources (the second sharing a slot with the first) in one week;
 * with small, only those of the first at one school (a school-week to cut). */
static int ruin_resource_week(ob_state *st, bool pair, bool small)
{
    const ob_model *m = st->m;
    if (m->R == 0)
        return 0;
    int r1 = rng_int(&st->rng, m->R), r2 = -1, w = 1 + rng_int(&st->rng, m->W), n = 0, s = -1;
    if (pair) {
        int tries = 0;
        do
            r2 = rng_int(&st->rng, m->R);
        while ((r2 == r1 || strcmp(m->p->resources[r2].role, m->p->resources[r1].role) != 0) &&
               ++tries < 8);
        if (r2 == r1)
            r2 = -1;
    }
    for (int j = 0; j < m->T; j++) {
        int h = start_of(st, j);
        if (h < 0 || !touches_week(m, h, m->dur[j], w))
            continue;
        const int *res = res_of(st, j);
        for (int k = 0; k < m->nres[j]; k++)
            if (res[k] == r1 || res[k] == r2) {
                if (small && s < 0)
                    s = m->tasks[j].school;
                if (!small || m->tasks[j].school == s)
                    take(st, j, &n);
                break;
            }
    }
    return n;
}

/* A task unplaced, late or off its target (uniformly; unplaced and late ones first when there
 * are any), or -1. */
static int pick_behind(ob_state *st)
{
    const ob_model *m = st->m;
    int bad = -1, nbad = 0, off = -1, noff = 0;
    for (int j = 0; j < m->T; j++) {
        if (m->nin[j] == 0)
            continue;
        int h = start_of(st, j), w = h < 0 ? m->W + 1 : m->week[h / 2];
        if (w > m->tasks[j].latest) {
            if (rng_int(&st->rng, ++nbad) == 0)
                bad = j;
        } else if (w != m->tasks[j].target && rng_int(&st->rng, ++noff) == 0) {
            off = j;
        }
    }
    return bad >= 0 && (off < 0 || cpd_rng_unit(&st->rng) < 0.7) ? bad : off;
}

/* Makes room for a task behind its window or target: it, and every task in the way of one of
 * its better starts (its people, its candidates that day, its school's cover, predecessors
 * ending late). The task is re-placed first. */
static int ruin_eject(ob_state *st, int *first)
{
    const ob_model *m = st->m;
    int L = pick_behind(st), n = 0;
    if (L < 0)
        return 0;
    double now = st->hidx[L] < 0 ? m->q->w_unplaced : m->hc[st->hidx[L]];
    int better = 0, pick = -1;
    for (int i = m->hstart[L]; i < m->hstart[L + 1]; i++)
        if (m->hc[i] < now - OB_EPS && rng_int(&st->rng, ++better) == 0)
            pick = i;
    if (pick < 0)
        return 0;
    int h = m->hs[pick], dur = m->dur[L], s = m->tasks[L].school;
    take(st, L, &n);
    *first = L;
    for (int e = m->qstart[L]; e < m->qstart[L + 1]; e++)
        for (int p = h; p < h + dur; p++)
            if (st->socc[(size_t)m->people[e] * m->P + p] >= 0)
                take(st, st->socc[(size_t)m->people[e] * m->P + p], &n);
    for (int e = m->cstart[m->kbase[L]]; e < m->cstart[m->kbase[L + 1]]; e++)
        for (int p = 2 * (h / 2); p < 2 * ((h + dur - 1) / 2) + 2; p++)
            if (st->rocc[(size_t)m->cand[e] * m->P + p] >= 0 && cpd_rng_unit(&st->rng) < 0.7)
                take(st, st->rocc[(size_t)m->cand[e] * m->P + p], &n);
    for (int j = 0; j < m->T && m->ncover[L]; j++) {
        int hj = start_of(st, j);
        if (hj >= 0 && m->ncover[j] && m->tasks[j].school == s && hj < h + dur && h < hj + m->dur[j])
            take(st, j, &n);
    }
    for (int e = m->pstart[L]; e < m->pstart[L + 1]; e++) {
        int i = m->pred[e], hi = start_of(st, i);
        if (hi >= 0 && hi + m->dur[i] > h)
            take(st, i, &n);
    }
    return n;
}

/* A random stretch of days: every task starting in it. */
static int ruin_days(ob_state *st)
{
    const ob_model *m = st->m;
    int d0 = rng_int(&st->rng, m->N), len = 1 + rng_int(&st->rng, 2), n = 0;
    for (int j = 0; j < m->T && n < RUIN_MAX; j++) {
        int h = start_of(st, j);
        if (h >= 0 && h / 2 >= d0 && h / 2 < d0 + len && cpd_rng_unit(&st->rng) < 0.5)
            take(st, j, &n);
    }
    return n;
}

/* Cuts a ruin to RUIN_MAX at random, then adds the placed successors of what is left, and
 * every unplaced task that could be placed. */
static int complete_ruin(ob_state *st, int n)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    while (n > RUIN_MAX) { /* the first, the task an ejection is for, stays */
        int k = 1 + rng_int(&st->rng, n - 1);
        s->mark[s->list[k]] = 0;
        s->list[k] = s->list[--n];
    }
    for (int k = 0; k < n; k++) /* grows while scanned: successors of successors */
        for (int e = m->sstart[s->list[k]]; e < m->sstart[s->list[k] + 1]; e++)
            if (st->hidx[m->succ[e]] >= 0)
                take(st, m->succ[e], &n);
    for (int j = 0; j < m->T; j++)
        if (st->hidx[j] < 0 && m->hstart[j] < m->hstart[j + 1])
            take(st, j, &n);
    return n;
}

/* For the makespan: the tasks running in a random stretch of the plan (each at even odds). */
static int ruin_window(ob_state *st)
{
    const ob_model *m = st->m;
    int end = ob_state_makespan(st), n = 0;
    int len = 1 + rng_int(&st->rng, end / 4 > 2 ? end / 4 : 2), a = rng_int(&st->rng, end);
    for (int j = 0; j < m->T && n < RUIN_MAX; j++) {
        int h = start_of(st, j);
        if (h >= 0 && h < a + len && a < h + m->dur[j] && cpd_rng_unit(&st->rng) < 0.7)
            take(st, j, &n);
    }
    return n;
}

static int ruin(ob_state *st, int *first)
{
    scratch *s = sc(st);
    s->stamp++;
    *first = -1;
    int kind = rng_int(&st->rng, 6), n;
    if (st->m->makespan) /* windows and weeks are stretches of the plan: no target to eject to */
        kind = kind < 3 ? 6 : kind < 5 ? 1 : 2;
    switch (kind) {
    case 0: n = ruin_school_week(st); break;
    case 1: n = ruin_resource_week(st, false, false); break;
    case 2: n = ruin_resource_week(st, true, false); break;
    case 3: n = ruin_resource_week(st, false, true); break;
    case 4: n = ruin_eject(st, first); break;
    case 5: n = ruin_days(st); break;
    default: n = ruin_window(st); break;
    }
    return complete_ruin(st, n);
}

/* Re-places the ruined tasks by priority with noise (or in a random order); first (unless -1)
 * before the rest. */
static void recreate(ob_state *st, int n, int first)
{
    const ob_model *m = st->m;
    scratch *s = sc(st);
    double noise = cpd_rng_unit(&st->rng) < 0.3 ? m->T : m->T * 0.05 * cpd_rng_unit(&st->rng);
    for (int k = 0; k < n; k++)
        s->key[s->list[k]] = s->rank[s->list[k]] + noise * cpd_rng_unit(&st->rng);
    if (first >= 0)
        s->key[first] = -1;
    serial(st, s->list, n, s->key, NULL);
}

static void save_ruin(ob_state *st, int n)
{
    scratch *s = sc(st);
    for (int k = 0; k < n; k++) {
        int j = s->list[k];
        s->saved_h[k] = st->hidx[j];
        memcpy(&s->saved_res[(size_t)k * CPD_OB_MAX_RES], res_of(st, j), CPD_OB_MAX_RES * sizeof(int));
    }
}

static void restore_ruin(ob_state *st, int n)
{
    scratch *s = sc(st);
    for (int k = 0; k < n; k++)
        ob_state_remove(st, s->list[k]);
    for (int k = 0; k < n; k++)
        if (s->saved_h[k] >= 0)
            ob_state_place(st, s->list[k], s->saved_h[k], &s->saved_res[(size_t)k * CPD_OB_MAX_RES]);
}

void ob_ruin_recreate(ob_state *best, int iters, int stall, double stop_at, double deadline)
{
    const ob_model *m = best->m;
    if (m->T == 0 || m->N == 0)
        return;
    ob_state *cur = ob_state_new(m);
    ob_state_copy(cur, best);
    cur->rng.state = best->rng.state ^ 0x9e3779b97f4a7c15ULL;
    double best_obj = ob_state_objective(best);
    /* the makespan: every recreated plan is justified (moving tasks outside the ruin, so a
     * rejected round goes back to a copy of the plan before it) */
    bool fbi = m->makespan;
    ob_state *prev = fbi ? ob_state_new(m) : NULL;
    for (int it = 0, last = 0; it < iters && best_obj > stop_at + OB_EPS && (stall <= 0 || it - last < stall);
         it++) {
        if (deadline > 0 && it % 8 == 0 && ob_now() > deadline)
            break;
        double before = ob_state_objective(cur);
        int first, n = ruin(cur, &first);
        if (n == 0)
            continue;
        if (fbi)
            ob_state_copy(prev, cur);
        else
            save_ruin(cur, n);
        scratch *s = sc(cur);
        for (int k = 0; k < n; k++)
            ob_state_remove(cur, s->list[k]);
        recreate(cur, n, first);
        if (fbi)
            ob_justify(cur);
        double after = ob_state_objective(cur);
        /* record-to-record travel: a plan a little worse than the best may be walked through,
         * by a margin that shrinks to nothing over the rounds */
        double margin = (m->makespan ? RRT_MARGIN_MAKESPAN : RRT_MARGIN) * fabs(best_obj) * fmax(0.0, 1.0 - (double)it / (RRT_SPAN * iters));
        if (after > before + OB_EPS && after > best_obj + margin) {
            if (fbi)
                ob_state_copy(cur, prev);
            else
                restore_ruin(cur, n);
            continue;
        }

        if (after < best_obj - OB_EPS) {
            /* a new best, justified (which moves tasks outside the ruin: only once kept) */
            ob_justify(cur);
            resync_cost(cur);
            ob_state_copy(best, cur);
            best_obj = ob_state_objective(best);
            last = it;
        }
    }
    best->rng = cur->rng;
    ob_state_free(&cur);
    ob_state_free(&prev);
    resync_cost(best);
}

double ob_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- interface: checking a schedule from scratch ---- */

static bool task_rules_ok(const ob_state *st, int j, int *rocc, int *socc, int *cover)
{
    const ob_model *m = st->m;
    int h = start_of(st, j), dur = m->dur[j], s = m->tasks[j].school;
    if (!order_ok(st, j, h))
        return false;
    for (int e = m->qstart[j]; e < m->qstart[j + 1]; e++)
        for (int p = h; p < h + dur; p++) {
            int *o = &socc[(size_t)m->people[e] * m->P + p];
            if (*o >= 0)
                return false;
            *o = j;
        }
    for (int p = h; p < h + dur; p++)
        if ((cover[(size_t)s * m->P + p] += m->ncover[j]) > m->q->cover_limit)
            return false;
    const int *res = res_of(st, j);
    for (int k = m->kbase[j], at = 0; k < m->kbase[j + 1]; at += m->kcount[k++])
        for (int c = at; c < at + m->kcount[k]; c++) {
            bool cand = false;
            for (int e = m->cstart[k]; e < m->cstart[k + 1] && !cand; e++)
                cand = m->cand[e] == res[c];
            if (!cand)
                return false;
        }
    for (int k = 0; k < m->nres[j]; k++)
        for (int p = h; p < h + dur; p++) {
            int *o = &rocc[(size_t)res[k] * m->P + p];
            if (*o >= 0 || !m->avail[(size_t)res[k] * m->P + p])
                return false;
            *o = j;
        }
    return true;
}

static bool resource_days_ok(const ob_state *st, const int *rocc)
{
    const ob_model *m = st->m;
    for (int r = 0; r < m->R; r++) {
        const int *occ = &rocc[(size_t)r * m->P];
        int w = -1, worked = 0;
        for (int d = 0; d < m->N; d++) {
            if (m->week[d] != w) {
                w = m->week[d];
                worked = 0;
            }
            int a = occ[2 * d], b = occ[2 * d + 1];
            if (a >= 0 && b >= 0 && !m->near[m->tasks[a].school * m->S + m->tasks[b].school])
                return false;
            if ((a >= 0 || b >= 0) && ++worked > m->p->resources[r].days)
                return false;
        }
    }
    return true;
}

bool ob_state_feasible(const ob_state *st)
{
    const ob_model *m = st->m;
    size_t P = (size_t)m->P;
    int *rocc = cpd_xmalloc(((size_t)m->R * P + 1) * sizeof(int));
    int *socc = cpd_xmalloc(((size_t)m->Q * P + 1) * sizeof(int));
    int *cover = cpd_xcalloc((size_t)m->S * P + 1, sizeof(int));
    for (size_t k = 0; k < (size_t)m->R * P; k++)
        rocc[k] = -1;
    for (size_t k = 0; k < (size_t)m->Q * P; k++)
        socc[k] = -1;
    bool ok = true;
    for (int j = 0; j < m->T && ok; j++) {
        if (st->hidx[j] < 0) {
            for (int e = m->sstart[j]; e < m->sstart[j + 1] && ok; e++)
                ok = st->hidx[m->succ[e]] < 0; /* its successors are unplaced too */
            continue;
        }
        ok = st->hidx[j] >= m->hstart[j] && st->hidx[j] < m->hstart[j + 1] &&
             task_rules_ok(st, j, rocc, socc, cover);
    }
    ok = ok && resource_days_ok(st, rocc);
    free(rocc);
    free(socc);
    free(cover);
    return ok;
}
