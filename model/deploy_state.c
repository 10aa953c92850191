/* deploy_state.c — a deploy assignment and its running loads (hours with travel once per school,
 * schools, people, mentees, last term's pairs kept), changed one pair at a time with the change
 * of objective, and a journal that undoes tentative moves exactly. */
#include "deploy_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- local ---- */

/* The journal records every add (+p+1) and removal (-(p+1)) so that a tentative move can be
 * undone exactly: moves are tried by doing them, then undone when they do not pay. */
typedef struct {
    int *ops;
    int n, cap;
} journal;

/* Beside the public state: the journal, each coach's assigned pairs as a list (list[cstart[c]
 * .. cstart[c] + npeople[c]), slot[p] the position of p in it), and stamps of the last
 * committed change per coach, so a demand that failed is retried only when one of its coaches
 * changed since. */
typedef struct {
    dp_state st;
    journal log;
    int *list, *slot;
    long *stamp, clock;
    long *tried; /* per demand: the clock when it last failed to go in, or -1 */
    int *scratch; /* a copy of one coach's list */
} state_full;

static state_full *full(dp_state *st) { return (state_full *)st; }

static journal *log_of(dp_state *st) { return &full(st)->log; }

static void list_add(dp_state *st, int p)
{
    state_full *f = full(st);
    int c = st->m->pairs[p].coach;
    int at = st->m->cstart[c] + st->npeople[c];
    f->list[at] = p;
    f->slot[p] = at;
}

/* Removes p from its coach's list by moving the last one into its place. */
static void list_remove(dp_state *st, int p)
{
    state_full *f = full(st);
    int c = st->m->pairs[p].coach;
    int last = f->list[st->m->cstart[c] + st->npeople[c] - 1];
    f->list[f->slot[p]] = last;
    f->slot[last] = f->slot[p];
    f->slot[p] = -1;
}

static void log_op(dp_state *st, int op)
{
    journal *j = log_of(st);
    if (j->n == j->cap) {
        j->cap = j->cap ? 2 * j->cap : 256;
        j->ops = cpd_xrealloc(j->ops, (size_t)j->cap * sizeof(int));
    }
    j->ops[j->n++] = op;
}

static int soft_max(const dp_model *m) { return m->s->params.mentor_soft_max_ects; }

static bool is_mentoring(const dp_model *m, int p)
{
    return m->dem[m->pairs[p].demand].service == CPD_SERVICE_MENTORING;
}

/* The mentor's soft limit: each ECT beyond it costs ect_extra_penalty (none when the limit is
 * 0 or less: no limit). */
static double ect_penalty(const dp_state *st, int nment)
{
    int soft = soft_max(st->m);
    return soft > 0 && nment > soft ? st->m->s->params.ect_extra_penalty : 0;
}

static size_t cs(const dp_model *m, int c, int school) { return (size_t)c * m->ns + school; }

double dp_state_gain(const dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *q = &m->pairs[p];
    double g = q->value;
    if (st->nat[cs(m, q->coach, q->school)] == 0)
        g -= dp_tcost(m, q->coach, q->school);
    if (is_mentoring(m, p))
        g -= ect_penalty(st, st->nment[q->coach] + 1);
    return g;
}

static double add_raw(dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *q = &m->pairs[p];
    int c = q->coach;
    double g = dp_state_gain(st, p);
    int *at = &st->nat[cs(m, c, q->school)];
    st->used[c] += q->hours + (*at == 0 ? dp_rt(m, c, q->school) : 0);
    st->nsch[c] += *at == 0;
    (*at)++;
    list_add(st, p);
    st->npeople[c]++;
    st->nment[c] += is_mentoring(m, p);
    st->kept += q->prev;
    st->assign[q->demand] = p;
    st->obj += g;
    return g;
}

static double remove_raw(dp_state *st, int d)
{
    const dp_model *m = st->m;
    int p = st->assign[d];
    const dp_pair *q = &m->pairs[p];
    int c = q->coach;
    int *at = &st->nat[cs(m, c, q->school)];
    double g = -q->value;
    if (*at == 1)
        g += dp_tcost(m, c, q->school);
    if (is_mentoring(m, p))
        g += ect_penalty(st, st->nment[c]);
    (*at)--;
    st->used[c] -= q->hours + (*at == 0 ? dp_rt(m, c, q->school) : 0);
    st->nsch[c] -= *at == 0;
    list_remove(st, p);
    st->npeople[c]--;
    st->nment[c] -= is_mentoring(m, p);
    st->kept -= q->prev;
    st->assign[d] = -1;
    st->obj += g;
    return g;
}

int dp_state_mark(dp_state *st) { return log_of(st)->n; }

/* Undoes every operation after the mark, newest first. */
void dp_state_undo(dp_state *st, int to)
{
    journal *j = log_of(st);
    while (j->n > to) {
        int op = j->ops[--j->n];
        if (op > 0)
            remove_raw(st, st->m->pairs[op - 1].demand);
        else
            add_raw(st, -op - 1);
    }
}

/* Forgets the journal once a move is accepted at the top level, stamping the coaches it
 * changed. */
void dp_state_commit(dp_state *st)
{
    state_full *f = full(st);
    for (int i = 0; i < f->log.n; i++) {
        int op = f->log.ops[i];
        f->stamp[st->m->pairs[op > 0 ? op - 1 : -op - 1].coach] = ++f->clock;
    }
    f->log.n = 0;
}

/* The coach's assigned pairs. */
const int *dp_state_assigned(const dp_state *st, int c, int *n)
{
    *n = st->npeople[c];
    return ((const state_full *)st)->list + st->m->cstart[c];
}

/* Whether demand d failed to go in and none of its coaches changed since. */
bool dp_state_unchanged(dp_state *st, int d)
{
    state_full *f = full(st);
    const dp_model *m = st->m;
    if (f->tried[d] < 0)
        return false;
    for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
        if (f->stamp[m->pairs[m->dpairs[k]].coach] > f->tried[d])
            return false;
    return true;
}

/* Recomputes the hours from scratch (sums of removals and additions drift by rounding). */
void dp_state_refresh(dp_state *st)
{
    const dp_model *m = st->m;
    for (int c = 0; c < m->nc; c++) {
        st->used[c] = 0;
        for (int k = 0; k < m->ns; k++)
            st->used[c] += st->nat[cs(m, c, k)] > 0 ? dp_rt(m, c, k) : 0;
    }
    for (int d = 0; d < m->ndem; d++)
        if (st->assign[d] >= 0)
            st->used[m->pairs[st->assign[d]].coach] += m->pairs[st->assign[d]].hours;
    st->obj = dp_state_objective(st);
}

/* ---- interface ---- */
void dp_state_mark_tried(dp_state *st, int d) { full(st)->tried[d] = full(st)->clock; }

int *dp_state_scratch(dp_state *st) { return full(st)->scratch; }


dp_state *dp_state_new(const dp_model *m)
{
    state_full *f = cpd_xcalloc(1, sizeof *f);
    dp_state *st = &f->st;
    st->m = m;
    st->assign = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    st->used = cpd_xcalloc((size_t)m->nc + 1, sizeof(double));
    st->nat = cpd_xcalloc((size_t)m->nc * m->ns + 1, sizeof(int));
    st->nsch = cpd_xcalloc((size_t)m->nc + 1, sizeof(int));
    st->npeople = cpd_xcalloc((size_t)m->nc + 1, sizeof(int));
    st->nment = cpd_xcalloc((size_t)m->nc + 1, sizeof(int));
    f->list = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    f->slot = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    f->stamp = cpd_xcalloc((size_t)m->nc + 1, sizeof(long));
    f->tried = cpd_xmalloc((size_t)m->ndem * sizeof(long) + 1);
    f->scratch = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    dp_state_clear(st);
    return st;
}

void dp_state_free(dp_state **stp)
{
    if (!stp || !*stp)
        return;
    dp_state *st = *stp;
    free(st->assign);
    free(st->used);
    free(st->nat);
    free(st->nsch);
    free(st->npeople);
    free(st->nment);
    free(log_of(st)->ops);
    free(full(st)->list);
    free(full(st)->slot);
    free(full(st)->stamp);
    free(full(st)->tried);
    free(full(st)->scratch);
    free(st);
    *stp = NULL;
}

void dp_state_clear(dp_state *st)
{
    const dp_model *m = st->m;
    for (int d = 0; d < m->ndem; d++)
        st->assign[d] = -1;
    memset(st->used, 0, ((size_t)m->nc + 1) * sizeof(double));
    memset(st->nat, 0, ((size_t)m->nc * m->ns + 1) * sizeof(int));
    memset(st->nsch, 0, ((size_t)m->nc + 1) * sizeof(int));
    memset(st->npeople, 0, ((size_t)m->nc + 1) * sizeof(int));
    memset(st->nment, 0, ((size_t)m->nc + 1) * sizeof(int));
    st->kept = 0;
    st->obj = 0;
    state_full *f = full(st);
    for (int p = 0; p < m->npairs; p++)
        f->slot[p] = -1;
    for (int d = 0; d < m->ndem; d++)
        f->tried[d] = -1;
    log_of(st)->n = 0;
}

void dp_state_copy(dp_state *dst, const dp_state *src)
{
    const dp_model *m = src->m;
    memcpy(dst->assign, src->assign, (size_t)m->ndem * sizeof(int));
    memcpy(dst->used, src->used, (size_t)m->nc * sizeof(double));
    memcpy(dst->nat, src->nat, (size_t)m->nc * m->ns * sizeof(int));
    memcpy(dst->nsch, src->nsch, (size_t)m->nc * sizeof(int));
    memcpy(dst->npeople, src->npeople, (size_t)m->nc * sizeof(int));
    memcpy(dst->nment, src->nment, (size_t)m->nc * sizeof(int));
    dst->kept = src->kept;
    dst->obj = src->obj;
    const state_full *fs = (const state_full *)src;
    state_full *fd = full(dst);
    memcpy(fd->list, fs->list, (size_t)m->npairs * sizeof(int));
    memcpy(fd->slot, fs->slot, (size_t)m->npairs * sizeof(int));
    for (int d = 0; d < m->ndem; d++)
        fd->tried[d] = -1;
    log_of(dst)->n = 0;
}

/* Capacity with the pair added: hours incl. a new school's round trip, schools, people, and one
 * role per teacher for the coach. */
bool dp_state_can_add(const dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *q = &m->pairs[p];
    const cpd_coach *k = &m->s->coaches[q->coach];
    int c = q->coach, t = m->dem[q->demand].teacher;
    if (st->assign[q->demand] >= 0)
        return false;
    for (int i = 0; i < m->ndem_of[t]; i++) {
        int a = st->assign[m->first_dem[t] + i];
        if (a >= 0 && m->pairs[a].coach == c)
            return false;
    }
    bool new_school = st->nat[cs(m, c, q->school)] == 0;
    double need = q->hours + (new_school ? dp_rt(m, c, q->school) : 0);
    if (st->used[c] + need > k->hours + DP_EPS)
        return false;
    if (k->max_schools > 0 && new_school && st->nsch[c] >= k->max_schools)
        return false;
    return !(k->max_coachees > 0 && st->npeople[c] >= k->max_coachees);
}

double dp_state_add(dp_state *st, int p)
{
    log_op(st, p + 1);
    return add_raw(st, p);
}

double dp_state_remove(dp_state *st, int d)
{
    log_op(st, -(st->assign[d] + 1));
    return remove_raw(st, d);
}

double dp_state_objective(const dp_state *st)
{
    const dp_model *m = st->m;
    double obj = 0;
    for (int d = 0; d < m->ndem; d++)
        if (st->assign[d] >= 0)
            obj += m->pairs[st->assign[d]].value;
    for (int c = 0; c < m->nc; c++) {
        for (int k = 0; k < m->ns; k++)
            obj -= st->nat[cs(m, c, k)] > 0 ? dp_tcost(m, c, k) : 0;
        int soft = soft_max(m);
        if (soft > 0 && st->nment[c] > soft)
            obj -= m->s->params.ect_extra_penalty * (st->nment[c] - soft);
    }
    return obj;
}

void dp_state_from_x(dp_state *st, const double *x)
{
    dp_state_clear(st);
    for (int p = 0; p < st->m->npairs; p++)
        if (x[p] > 0.5 && st->assign[st->m->pairs[p].demand] < 0)
            add_raw(st, p);
    dp_state_refresh(st);
}

bool dp_state_feasible(const dp_state *st)
{
    const dp_model *m = st->m;
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &m->s->coaches[c];
        if (st->used[c] > k->hours + 1e-7 || (k->max_schools > 0 && st->nsch[c] > k->max_schools) ||
            (k->max_coachees > 0 && st->npeople[c] > k->max_coachees))
            return false;
    }
    for (int d = 0; d < m->ndem; d++)
        if (m->must[d] >= 0 && (st->assign[d] < 0 || m->pairs[st->assign[d]].coach != m->must[d]))
            return false;
    return !m->changes_limited || st->kept >= m->need_kept;
}
