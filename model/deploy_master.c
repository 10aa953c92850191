/* deploy_master.c — plans from whole coach schedules: the Lagrangian's subproblems propose, for
 * each coach, sets of demands (columns); every distinct set that keeps the coach's rules is
 * kept, and GLPK then picks at most one set per coach so that no demand is served twice (a
 * set-packing master over the pool, started from the current plan). Each coach's set is
 * exact, so the master's plans keep every rule; the coupling is all that is left to choose. */
#include "deploy_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int coach;
    int beg, len;    /* pairs[beg .. beg+len) of the pool, by increasing pair */
    double value;    /* the set's objective: values less travel and mentor penalty */
    int kept;        /* last term's pairs in it */
    uint64_t hash;
} column;

struct dp_pool {
    const dp_model *m;
    column *cols;
    int ncols, cap_cols;
    int *pairs;
    int npairs, cap_pairs;
    int *table; /* open addressing on hash: column index + 1, 0 empty */
    int tsize;
    int max_cols;
    int *seen;  /* per teacher / school: scratch stamps */
    int *buf;   /* a set being repaired */
    int stamp;
};

/* ---- local ---- */

static uint64_t hash_set(int c, const int *p, int n)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)c;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint64_t)p[i]) * 1099511628211ull;
    return h;
}

static bool same(const dp_pool *pl, const column *k, int c, const int *p, int n)
{
    return k->coach == c && k->len == n &&
           memcmp(pl->pairs + k->beg, p, (size_t)n * sizeof(int)) == 0;
}

static void rehash(dp_pool *pl)
{
    free(pl->table);
    pl->tsize = pl->tsize ? 2 * pl->tsize : 1024;
    pl->table = cpd_xcalloc((size_t)pl->tsize, sizeof(int));
    for (int i = 0; i < pl->ncols; i++) {
        size_t h = pl->cols[i].hash & (size_t)(pl->tsize - 1);
        while (pl->table[h])
            h = (h + 1) & (size_t)(pl->tsize - 1);
        pl->table[h] = i + 1;
    }
}

/* The set's value when it keeps the coach's hours (travel once per school), people, schools
 * and one role per teacher; false when it breaks one. */
static bool evaluate(dp_pool *pl, int c, const int *p, int n, double *value, int *kept)
{
    const dp_model *m = pl->m;
    const cpd_coach *k = &m->s->coaches[c];
    double hours = 0, v = 0;
    int schools = 0, ment = 0;
    *kept = 0;
    pl->stamp++;
    for (int i = 0; i < n; i++) {
        const dp_pair *q = &m->pairs[p[i]];
        int t = m->dem[q->demand].teacher;
        if (pl->seen[m->ns + t] == pl->stamp)
            return false; /* one role per teacher */
        pl->seen[m->ns + t] = pl->stamp;
        if (pl->seen[q->school] != pl->stamp) {
            pl->seen[q->school] = pl->stamp;
            schools++;
            hours += dp_rt(m, c, q->school);
            v -= dp_tcost(m, c, q->school);
        }
        hours += q->hours;
        v += q->value;
        *kept += q->prev;
        ment += m->dem[q->demand].service == CPD_SERVICE_MENTORING;
    }
    if (hours > k->hours + DP_EPS || (k->max_coachees > 0 && n > k->max_coachees) ||
        (k->max_schools > 0 && schools > k->max_schools))
        return false;
    int soft = m->s->params.mentor_soft_max_ects;
    if (soft > 0 && ment > soft)
        v -= m->s->params.ect_extra_penalty * (ment - soft);
    *value = v;
    return true;
}

/* ---- interface ---- */

dp_pool *dp_pool_new(const dp_model *m, int max_cols)
{
    dp_pool *pl = cpd_xcalloc(1, sizeof *pl);
    pl->m = m;
    pl->max_cols = max_cols;
    pl->seen = cpd_xcalloc((size_t)m->ns + (size_t)m->s->nstaff + 1, sizeof(int));
    pl->buf = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    rehash(pl);
    return pl;
}

void dp_pool_free(dp_pool **pp)
{
    if (!pp || !*pp)
        return;
    dp_pool *pl = *pp;
    free(pl->cols);
    free(pl->pairs);
    free(pl->table);
    free(pl->seen);
    free(pl->buf);
    free(pl);
    *pp = NULL;
}

int dp_pool_size(const dp_pool *pl) { return pl->ncols; }

static void add_exact(dp_pool *pl, int c, const int *p, int n);

/* A relaxed schedule may overrun the coach's hours a little (the Lagrangian rounds hours down)
 * or give one teacher two roles: the least valuable pairs leave until the set keeps the rules. */
void dp_pool_add(dp_pool *pl, int c, const int *p, int n)
{
    if (n == 0 || pl->ncols >= pl->max_cols)
        return;
    const dp_model *m = pl->m;
    int *buf = pl->buf;
    memcpy(buf, p, (size_t)n * sizeof(int));
    double v;
    int kept;
    while (n > 0 && !evaluate(pl, c, buf, n, &v, &kept)) {
        int worst = -1;
        for (int i = 0; i < n; i++)
            if (!m->pairs[buf[i]].must &&
                (worst < 0 || m->pairs[buf[i]].value < m->pairs[buf[worst]].value))
                worst = i;
        if (worst < 0)
            return;
        memmove(buf + worst, buf + worst + 1, (size_t)(n - worst - 1) * sizeof(int));
        n--;
    }
    add_exact(pl, c, buf, n);
}

static void add_exact(dp_pool *pl, int c, const int *p, int n)
{
    if (n == 0)
        return;
    uint64_t hv = hash_set(c, p, n);
    size_t h = hv & (size_t)(pl->tsize - 1);
    for (; pl->table[h]; h = (h + 1) & (size_t)(pl->tsize - 1))
        if (pl->cols[pl->table[h] - 1].hash == hv && same(pl, &pl->cols[pl->table[h] - 1], c, p, n))
            return;
    double v;
    int kept;
    if (!evaluate(pl, c, p, n, &v, &kept))
        return;
    if (pl->ncols == pl->cap_cols) {
        pl->cap_cols = pl->cap_cols ? 2 * pl->cap_cols : 1024;
        pl->cols = cpd_xrealloc(pl->cols, (size_t)pl->cap_cols * sizeof(column));
    }
    if (pl->npairs + n > pl->cap_pairs) {
        while (pl->npairs + n > pl->cap_pairs)
            pl->cap_pairs = pl->cap_pairs ? 2 * pl->cap_pairs : 8192;
        pl->pairs = cpd_xrealloc(pl->pairs, (size_t)pl->cap_pairs * sizeof(int));
    }
    memcpy(pl->pairs + pl->npairs, p, (size_t)n * sizeof(int));
    pl->cols[pl->ncols] = (column){c, pl->npairs, n, v, kept, hv};
    pl->npairs += n;
    pl->table[h] = ++pl->ncols;
    if (2 * pl->ncols > pl->tsize)
        rehash(pl);
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Adds each coach's set in st (sorted), so the master can always return st's plan. */
void dp_pool_add_state(dp_pool *pl, const dp_state *st)
{
    int *buf = cpd_xmalloc((size_t)pl->m->npairs * sizeof(int) + 1);
    int saved = pl->max_cols;
    pl->max_cols = INT32_MAX; /* the plan's own sets always go in */
    for (int c = 0; c < pl->m->nc; c++) {
        int n;
        const int *a = dp_state_assigned(st, c, &n);
        memcpy(buf, a, (size_t)n * sizeof(int));
        qsort(buf, (size_t)n, sizeof(int), cmp_int);
        dp_pool_add(pl, c, buf, n);
    }
    pl->max_cols = saved;
    free(buf);
}

/* ---- the master ---- */

typedef struct {
    const dp_pool *pl;
    cpd_engine *e;
    int *var;
    double *coef;
    int n;
} master;

static void add_rows(master *M)
{
    const dp_pool *pl = M->pl;
    const dp_model *m = pl->m;
    /* per coach: at most one set */
    for (int c = 0; c < m->nc; c++) {
        M->n = 0;
        for (int j = 0; j < pl->ncols; j++)
            if (pl->cols[j].coach == c)
                M->var[M->n] = j, M->coef[M->n++] = 1;
        if (M->n > 1)
            cpd_engine_add_row(M->e, NULL, (size_t)M->n, M->var, M->coef, CPD_ROW_LE, 1);
    }
    /* per demand: at most one coach (exactly the pinned coach for a must pin) */
    int *cnt = cpd_xcalloc((size_t)m->ndem + 1, sizeof(int));
    int *start = cpd_xcalloc((size_t)m->ndem + 2, sizeof(int));
    for (int i = 0; i < pl->npairs; i++)
        cnt[m->pairs[pl->pairs[i]].demand]++;
    for (int d = 0; d < m->ndem; d++)
        start[d + 1] = start[d] + cnt[d];
    int *who = cpd_xmalloc((size_t)pl->npairs * sizeof(int) + 1), *fill = cpd_xcalloc((size_t)m->ndem + 1, sizeof(int));
    for (int j = 0; j < pl->ncols; j++)
        for (int i = pl->cols[j].beg; i < pl->cols[j].beg + pl->cols[j].len; i++) {
            int d = m->pairs[pl->pairs[i]].demand;
            who[start[d] + fill[d]++] = j;
        }
    for (int d = 0; d < m->ndem; d++) {
        bool must = m->must[d] >= 0;
        if (cnt[d] < 2 && !must)
            continue;
        M->n = 0;
        for (int i = start[d]; i < start[d + 1]; i++) {
            int j = who[i];
            bool pinned = pl->cols[j].coach == m->must[d];
            if (!must || pinned)
                M->var[M->n] = j, M->coef[M->n++] = 1;
        }
        cpd_engine_add_row(M->e, NULL, (size_t)M->n, M->var, M->coef, must ? CPD_ROW_EQ : CPD_ROW_LE, 1);
    }
    free(cnt);
    free(start);
    free(who);
    free(fill);
    if (m->changes_limited && m->need_kept > 0) {
        M->n = 0;
        for (int j = 0; j < pl->ncols; j++)
            if (pl->cols[j].kept)
                M->var[M->n] = j, M->coef[M->n++] = pl->cols[j].kept;
        cpd_engine_add_row(M->e, NULL, (size_t)M->n, M->var, M->coef, CPD_ROW_GE, m->need_kept);
    }
}

/* The plan's sets as the master's start. */
static void set_start(master *M, const dp_state *st)
{
    const dp_pool *pl = M->pl;
    const dp_model *m = pl->m;
    double *x = cpd_xcalloc((size_t)pl->ncols + 1, sizeof(double));
    for (int j = 0; j < pl->ncols; j++) {
        const column *k = &pl->cols[j];
        bool all = k->len == st->npeople[k->coach];
        for (int i = k->beg; all && i < k->beg + k->len; i++)
            all = st->assign[m->pairs[pl->pairs[i]].demand] == pl->pairs[i];
        x[j] = all;
    }
    cpd_engine_set_start(M->e, x);
    free(x);
}

bool dp_pool_solve(dp_pool *pl, dp_state *st, double seconds)
{
    if (pl->ncols == 0 || seconds <= 0)
        return false;
    master M = {.pl = pl, .e = cpd_engine_new("deploy_master", CPD_MAXIMIZE)};
    size_t w = (size_t)(pl->ncols > pl->npairs ? pl->ncols : pl->npairs) + 1;
    M.var = cpd_xmalloc(w * sizeof(int));
    M.coef = cpd_xmalloc(w * sizeof(double));
    for (int j = 0; j < pl->ncols; j++)
        cpd_engine_add_var(M.e, NULL, CPD_VAR_BINARY, 0, 1, pl->cols[j].value);
    add_rows(&M);
    set_start(&M, st);
    cpd_solve_opts so = {.time_limit = seconds};
    cpd_solve_result r = cpd_engine_solve(M.e, &so);
    bool ok = r.status == CPD_SOLVE_OPTIMAL || r.status == CPD_SOLVE_FEASIBLE;
    if (ok) {
        dp_state_clear(st);
        for (int j = 0; j < pl->ncols; j++)
            if (cpd_engine_value(M.e, j) > 0.5)
                for (int i = pl->cols[j].beg; i < pl->cols[j].beg + pl->cols[j].len; i++)
                    dp_state_add(st, pl->pairs[i]);
        dp_state_commit(st);
        dp_state_refresh(st);
        ok = dp_state_feasible(st);
    }
    free(M.var);
    free(M.coef);
    cpd_engine_free(&M.e);
    return ok;
}
