/* onboard_data.c — what the solver needs to know of the programme, computed once: the calendar,
 * who is away when, each task's allowed starts and their costs, its need slots and candidates,
 * its predecessors, successors and people. */
#include "onboard_internal.h"

#include "cpd_date.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- local: growing int arrays ---- */

typedef struct {
    int *a;
    int n, cap;
} ivec;

static void ivec_push(ivec *v, int x)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 16;
        v->a = cpd_xrealloc(v->a, (size_t)v->cap * sizeof(int));
    }
    v->a[v->n++] = x;
}

static bool in_list(const int *a, int n, int v)
{
    for (int i = 0; i < n; i++)
        if (a[i] == v)
            return true;
    return false;
}

static bool everyone(const cpd_strlist *l)
{
    return cpd_strlist_has(l, "staff") || cpd_strlist_has(l, "all");
}

static const cpd_activity *act_of(const ob_model *m, int j)
{
    return &m->p->activities[m->tasks[j].activity];
}

/* ---- local: the calendar and the people's days ---- */

static void build_calendar(ob_model *m)
{
    const cpd_onboard_params *q = m->q;
    m->N = q->ndays > 0 ? q->ndays : 0;
    m->P = 2 * m->N;
    m->date = cpd_xcalloc((size_t)m->N + 1, sizeof(int));
    m->week = cpd_xcalloc((size_t)m->N + 1, sizeof(int));
    if (m->N > 0)
        cpd_onboard_days(m->p, m->date);
    int monday = cpd_date_monday(q->start);
    for (int d = 0; d < m->N; d++)
        m->week[d] = (m->date[d] - monday) / 7 + 1;
    m->W = m->N > 0 ? m->week[m->N - 1] : 0;
    m->wfirst = cpd_xcalloc((size_t)m->W + 1, sizeof(int));
    m->wlast = cpd_xcalloc((size_t)m->W + 1, sizeof(int));
    for (int w = 0; w <= m->W; w++) {
        m->wfirst[w] = m->N;
        m->wlast[w] = -1;
    }
    for (int d = 0; d < m->N; d++) {
        int w = m->week[d];
        if (d < m->wfirst[w])
            m->wfirst[w] = d;
        m->wlast[w] = d;
    }
}

static void build_avail(ob_model *m)
{
    m->avail = cpd_xcalloc((size_t)m->R * m->P + 1, 1);
    for (int r = 0; r < m->R; r++) {
        const cpd_resource *res = &m->p->resources[r];
        for (int d = 0; d < m->N; d++) {
            unsigned char ok = !in_list(res->unavailable, res->nunavailable, m->date[d]);
            m->avail[(size_t)r * m->P + 2 * d] = ok;
            m->avail[(size_t)r * m->P + 2 * d + 1] = ok;
        }
    }
}

static void build_near(ob_model *m)
{
    const cpd_scenario *c = m->p->common;
    double limit = m->q->short_travel;
    m->near = cpd_xcalloc((size_t)m->S * m->S + 1, 1);
    for (int a = 0; a < m->S; a++)
        for (int b = 0; b < m->S; b++) {
            bool near = a == b || (limit > 0 && c->travel && cpd_scenario_travel(c, a, b) <= limit);
            m->near[a * m->S + b] = near;
            m->any_near |= near && a != b;
        }
}

/* ---- local: need slots ---- */

/* The deployed coach who must fill the first need of task j, or -1. */
static int coach_of_task(const ob_model *m, int j)
{
    const cpd_activity *a = act_of(m, j);
    const cpd_onboard *p = m->p;
    int t = m->tasks[j].staff;
    if (!a->coach || !p->coach_of || t < 0 || a->nneeds == 0)
        return -1;
    int c = p->coach_of[t];
    if (c < 0 || c >= m->R || !cpd_strlist_has(&a->needs[0].roles, p->resources[c].role))
        return -1;
    return c;
}

static void push_slot(ob_model *m, ivec *kc, ivec *kn, ivec *cs, ivec *cd, int count, int need,
                      const cpd_strlist *roles, int only, int except)
{
    ivec_push(kc, count);
    ivec_push(kn, need);
    ivec_push(cs, cd->n);
    for (int r = 0; r < m->R; r++) {
        bool fits = only >= 0 ? r == only
                              : r != except && cpd_strlist_has(roles, m->p->resources[r].role);
        if (fits)
            ivec_push(cd, r);
    }
}

static void build_slots(ob_model *m)
{
    ivec kc = {0}, kn = {0}, cs = {0}, cd = {0};
    m->kbase = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->nres = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int j = 0; j < m->T; j++) {
        const cpd_activity *a = act_of(m, j);
        m->kbase[j] = kc.n;
        int coach = coach_of_task(m, j);
        for (int k = 0; k < a->nneeds; k++) {
            const cpd_ob_need *nd = &a->needs[k];
            int count = nd->count > 0 ? nd->count : 1;
            m->nres[j] += count;
            if (k == 0 && coach >= 0) {
                push_slot(m, &kc, &kn, &cs, &cd, 1, k, &nd->roles, coach, -1);
                if (count > 1)
                    push_slot(m, &kc, &kn, &cs, &cd, count - 1, k, &nd->roles, -1, coach);
            } else {
                push_slot(m, &kc, &kn, &cs, &cd, count, k, &nd->roles, -1, -1);
            }
        }
    }
    m->kbase[m->T] = kc.n;
    ivec_push(&cs, cd.n);
    m->kcount = kc.a;
    m->kneed = kn.a;
    m->cstart = cs.a;
    m->cand = cd.a;
    m->rvers = cpd_xcalloc((size_t)m->R + 1, sizeof(int));
    for (int i = 0; i < cd.n; i++)
        m->rvers[cd.a[i]]++;
}

/* ---- local: precedence ---- */

/* Whether task i (of an activity named in j's `after`) must end before task j starts: the same
 * school; a person's own task when both are per person and j's person is one i's activity is
 * made for; the same week when both repeat weekly. */
static bool precedes(const ob_model *m, int i, int j)
{
    const cpd_ob_task *ti = &m->tasks[i], *tj = &m->tasks[j];
    const cpd_activity *b = act_of(m, i), *a = act_of(m, j);
    if (ti->school != tj->school || i == j)
        return false;
    if (a->per.n && b->per.n && tj->staff >= 0 &&
        cpd_onboard_role_in(&b->per, &m->p->common->staff[tj->staff]) && ti->staff != tj->staff)
        return false;
    return !(a->weekly && b->weekly) || ti->target == tj->target;
}

/* Tasks of one activity at one school are adjacent in the plan's order: [first, end). */
static void activity_ranges(const ob_model *m, int *first, int *end)
{
    int n = m->p->nactivities * m->S;
    for (int k = 0; k < n; k++)
        first[k] = end[k] = 0;
    for (int j = m->T - 1; j >= 0; j--)
        first[m->tasks[j].activity * m->S + m->tasks[j].school] = j;
    for (int j = 0; j < m->T; j++)
        end[m->tasks[j].activity * m->S + m->tasks[j].school] = j + 1;
}

static void build_precedence(ob_model *m)
{
    int na = m->p->nactivities, nk = na * m->S;
    int *first = cpd_xcalloc((size_t)nk + 1, sizeof(int)), *end = cpd_xcalloc((size_t)nk + 1, sizeof(int));
    int *stamp = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    activity_ranges(m, first, end);
    ivec ps = {0}, pr = {0};
    for (int j = 0; j < m->T; j++) {
        const cpd_activity *a = act_of(m, j);
        ivec_push(&ps, pr.n);
        for (int k = 0; k < a->nafter; k++) {
            int b = a->after[k];
            if (b < 0 || b >= na)
                continue;
            int key = b * m->S + m->tasks[j].school;
            for (int i = first[key]; i < end[key]; i++)
                if (stamp[i] != j + 1 && precedes(m, i, j)) {
                    stamp[i] = j + 1;
                    ivec_push(&pr, i);
                }
        }
    }
    ivec_push(&ps, pr.n);
    m->pstart = ps.a;
    m->pred = pr.a;
    /* successors: the transpose */
    m->sstart = cpd_xcalloc((size_t)m->T + 2, sizeof(int));
    m->succ = cpd_xcalloc((size_t)pr.n + 1, sizeof(int));
    for (int e = 0; e < pr.n; e++)
        m->sstart[pr.a[e] + 2]++;
    for (int j = 0; j < m->T; j++)
        m->sstart[j + 2] += m->sstart[j + 1];
    for (int j = 0; j < m->T; j++)
        for (int e = m->pstart[j]; e < m->pstart[j + 1]; e++)
            m->succ[m->sstart[m->pred[e] + 1]++] = j;
    free(first);
    free(end);
    free(stamp);
}

/* Kahn's order, smallest index first among the ready; tasks on a cycle (which the loader
 * rejects) come last. */
static void build_topo(ob_model *m)
{
    int *indeg = cpd_xcalloc((size_t)m->T + 1, sizeof(int)), n = 0;
    m->topo = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int j = 0; j < m->T; j++)
        indeg[j] = m->pstart[j + 1] - m->pstart[j];
    for (int j = 0; j < m->T; j++)
        if (indeg[j] == 0)
            m->topo[n++] = j;
    for (int k = 0; k < n; k++)
        for (int e = m->sstart[m->topo[k]]; e < m->sstart[m->topo[k] + 1]; e++)
            if (--indeg[m->succ[e]] == 0)
                m->topo[n++] = m->succ[e];
    for (int j = 0; j < m->T && n < m->T; j++)
        if (indeg[j] > 0)
            m->topo[n++] = j;
    m->ndesc = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->tail = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int k = m->T - 1; k >= 0; k--) {
        int j = m->topo[k];
        long s = 0;
        for (int e = m->sstart[j]; e < m->sstart[j + 1]; e++) {
            int i = m->succ[e];
            s += 1 + m->ndesc[i];
            if (m->dur[i] + m->tail[i] > m->tail[j])
                m->tail[j] = m->dur[i] + m->tail[i];
        }
        m->ndesc[j] = s > m->T ? m->T : (int)s;
    }
    free(indeg);
}

/* ---- local: people ---- */

static void build_people(ob_model *m)
{
    const cpd_scenario *c = m->p->common;
    ivec qs = {0}, pe = {0};
    m->ncover = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int j = 0; j < m->T; j++) {
        const cpd_ob_task *t = &m->tasks[j];
        const cpd_activity *a = act_of(m, j);
        ivec_push(&qs, pe.n);
        for (int s = 0; s < m->Q; s++)
            if (s == t->staff ||
                (c->staff[s].school == t->school && cpd_onboard_role_in(&a->audience, &c->staff[s])))
                ivec_push(&pe, s);
        m->ncover[j] = a->cover ? pe.n - qs.a[j] : 0;
    }
    ivec_push(&qs, pe.n);
    m->qstart = qs.a;
    m->people = pe.a;
}

/* ---- local: allowed starts ---- */

static bool too_few_candidates(const ob_model *m, int j)
{
    for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++)
        if (m->cstart[k + 1] - m->cstart[k] < m->kcount[k])
            return true;
    return false;
}

/* Whether every slot of j has enough candidates who are not away over [h, h + dur). */
static bool coverable(const ob_model *m, int j, int h)
{
    for (int k = m->kbase[j]; k < m->kbase[j + 1]; k++) {
        int ok = 0;
        for (int c = m->cstart[k]; c < m->cstart[k + 1]; c++) {
            const unsigned char *av = &m->avail[(size_t)m->cand[c] * m->P];
            bool free = true;
            for (int p = h; p < h + m->dur[j] && free; p++)
                free = av[p];
            ok += free;
        }
        if (ok < m->kcount[k])
            return false;
    }
    return true;
}

/* The shape of a start: inside the horizon, whole days in a morning, not before the window. */
static bool shape_ok(const ob_model *m, int j, int h)
{
    int dur = m->dur[j];
    return h + dur <= m->P && (!m->q->morning_starts || dur % 2 == 1 || h % 2 == 0) &&
           m->week[h / 2] >= m->tasks[j].earliest;
}

static bool start_ok(const ob_model *m, int j, int h, int est)
{
    return shape_ok(m, j, h) && h >= est &&
           (!everyone(&act_of(m, j)->audience) || ob_training_ok(m, h, m->dur[j])) &&
           coverable(m, j, h);
}

/* The earliest start the predecessors leave: each starts at its first allowed start. */
static int earliest_start(const ob_model *m, int j, int *const *hs, const int *nhs)
{
    int est = 0;
    for (int e = m->pstart[j]; e < m->pstart[j + 1]; e++) {
        int i = m->pred[e];
        if (nhs[i] == 0)
            return m->P; /* a predecessor that can never be placed leaves j unplaced */
        if (hs[i][0] + m->dur[i] > est)
            est = hs[i][0] + m->dur[i];
    }
    return est;
}

static bool placeable(const ob_model *m, int j)
{
    return m->nres[j] <= CPD_OB_MAX_RES && !too_few_candidates(m, j) &&
           m->ncover[j] <= m->q->cover_limit && m->N > 0;
}

/* Why j has no start inside its window (called when it has none). */
static ob_fit why_no_start(const ob_model *m, int j, int est)
{
    const cpd_ob_task *t = &m->tasks[j];
    if (m->nres[j] > CPD_OB_MAX_RES)
        return OB_FIT_TOO_MANY;
    if (too_few_candidates(m, j))
        return OB_FIT_ROLE;
    if (m->ncover[j] > m->q->cover_limit)
        return OB_FIT_COVER;
    bool shaped = false, trained = false, after = false;
    for (int h = 0; h < m->P; h++) {
        if (!shape_ok(m, j, h) || m->week[h / 2] > t->latest)
            continue;
        shaped = true;
        if (everyone(&act_of(m, j)->audience) && !ob_training_ok(m, h, m->dur[j]))
            continue;
        trained = true;
        after |= h < est;
    }
    if (!shaped)
        return OB_FIT_HORIZON;
    if (!trained)
        return OB_FIT_TRAINING;
    return after ? OB_FIT_AFTER : OB_FIT_AWAY;
}

static void build_starts(ob_model *m)
{
    int **hs = cpd_xcalloc((size_t)m->T + 1, sizeof(int *));
    int *nhs = cpd_xcalloc((size_t)m->T + 1, sizeof(int)), *est = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int k = 0; k < m->T; k++) {
        int j = m->topo[k];
        hs[j] = cpd_xmalloc(((size_t)m->P + 1) * sizeof(int));
        est[j] = earliest_start(m, j, hs, nhs);
        for (int h = 0; placeable(m, j) && h < m->P; h++)
            if (start_ok(m, j, h, est[j]))
                hs[j][nhs[j]++] = h;
    }
    m->hstart = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int j = 0; j < m->T; j++)
        m->hstart[j + 1] = m->hstart[j] + nhs[j];
    m->hs = cpd_xcalloc((size_t)m->hstart[m->T] + 1, sizeof(int));
    m->hc = cpd_xcalloc((size_t)m->hstart[m->T] + 1, sizeof(double));
    m->nin = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->fit = cpd_xcalloc((size_t)m->T + 1, sizeof(ob_fit));
    for (int j = 0; j < m->T; j++) {
        for (int i = 0; i < nhs[j]; i++) {
            int h = hs[j][i];
            m->hs[m->hstart[j] + i] = h;
            m->hc[m->hstart[j] + i] = ob_start_cost(m, j, h);
            m->nin[j] += m->week[h / 2] <= m->tasks[j].latest;
        }
        m->fit[j] = m->nin[j] > 0 ? OB_FIT_OK : why_no_start(m, j, est[j]);
        free(hs[j]);
    }
    free(hs);
    free(nhs);
    free(est);
}

/* ---- interface ---- */

double ob_start_cost(const ob_model *m, int j, int h)
{
    const cpd_ob_task *t = &m->tasks[j];
    if (m->makespan)
        return 0; /* the makespan is paid once, by the end of the last task */
    int w = m->week[h / 2];
    return m->q->w_late * (w > t->latest ? w - t->latest : 0) + m->q->w_target * abs(w - t->target);
}

bool ob_training_ok(const ob_model *m, int h, int dur)
{
    const cpd_onboard_params *q = m->q;
    int first = h / 2, last = (h + dur - 1) / 2;
    bool all = true;
    for (int d = first; d <= last && all; d++)
        all = in_list(q->training_days, q->ntraining_days, m->date[d]);
    if (all)
        return true;
    return dur == 1 && h % 2 == 1 && ((q->twilight >> cpd_date_weekday(m->date[first])) & 1u);
}

double ob_min_cost(const ob_model *m, int j)
{
    double best = m->q->w_unplaced;
    for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
        best = fmin(best, m->hc[i]);
    return best;
}

int ob_start_index(const ob_model *m, int j, int h)
{
    int lo = m->hstart[j], hi = m->hstart[j + 1] - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (m->hs[mid] == h)
            return mid;
        if (m->hs[mid] < h)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

void ob_model_keep_starts(ob_model *m, const unsigned char *keep)
{
    int at = 0;
    for (int j = 0; j < m->T; j++) {
        int from = m->hstart[j], to = m->hstart[j + 1];
        m->hstart[j] = at;
        m->nin[j] = 0;
        for (int i = from; i < to; i++) {
            if (!keep[i])
                continue;
            m->hs[at] = m->hs[i];
            m->hc[at++] = m->hc[i];
            m->nin[j] += m->week[m->hs[at - 1] / 2] <= m->tasks[j].latest;
        }
    }
    m->hstart[m->T] = at;
}

void ob_model_cap(ob_model *m, int horizon)
{
    unsigned char *keep = cpd_xmalloc((size_t)m->hstart[m->T] + 1);
    for (int j = 0; j < m->T; j++)
        for (int i = m->hstart[j]; i < m->hstart[j + 1]; i++)
            keep[i] = m->hs[i] + m->dur[j] + m->tail[j] <= horizon;
    ob_model_keep_starts(m, keep);
    free(keep);
}

bool ob_same_candidates(const ob_model *m, int k, int l)
{
    int n = m->cstart[k + 1] - m->cstart[k];
    return n == m->cstart[l + 1] - m->cstart[l] &&
           memcmp(&m->cand[m->cstart[k]], &m->cand[m->cstart[l]], (size_t)n * sizeof(int)) == 0;
}

int ob_model_critical_end(const ob_model *m)
{
    int end = 0;
    for (int j = 0; j < m->T; j++)
        if (m->hstart[j] < m->hstart[j + 1] && m->hs[m->hstart[j]] + m->dur[j] + m->tail[j] > end)
            end = m->hs[m->hstart[j]] + m->dur[j] + m->tail[j];
    return end;
}

void ob_model_build(const cpd_onboard *p, ob_model *m)
{
    memset(m, 0, sizeof *m);
    m->p = p;
    m->q = &p->params;
    m->makespan = p->params.objective == CPD_OB_OBJ_MAKESPAN;
    m->S = p->common->nschools;
    m->R = p->nresources;
    m->Q = p->common->nstaff;
    build_calendar(m);
    build_avail(m);
    build_near(m);
    m->tasks = cpd_onboard_tasks(p, &m->T);
    m->dur = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int j = 0; j < m->T; j++)
        m->dur[j] = m->tasks[j].duration > 0 ? m->tasks[j].duration : 1;
    build_slots(m);
    build_precedence(m);
    build_topo(m);
    build_people(m);
    build_starts(m);
}

void ob_model_free(ob_model *m)
{
    free(m->date);
    free(m->week);
    free(m->wfirst);
    free(m->wlast);
    free(m->avail);
    free(m->near);
    free(m->tasks);
    free(m->dur);
    free(m->hstart);
    free(m->hs);
    free(m->hc);
    free(m->nin);
    free(m->fit);
    free(m->kbase);
    free(m->kcount);
    free(m->kneed);
    free(m->cstart);
    free(m->cand);
    free(m->nres);
    free(m->pstart);
    free(m->pred);
    free(m->sstart);
    free(m->succ);
    free(m->topo);
    free(m->qstart);
    free(m->people);
    free(m->ncover);
    free(m->rvers);
    free(m->ndesc);
    free(m->tail);
    memset(m, 0, sizeof *m);
}
