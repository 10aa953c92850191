/* inset_master.c — plans from whole days: the Lagrangian's per-person problems and every plan
 * found propose days (one thing per slot for one person); each distinct day is kept once. The
 * master shares the seats out: one day per person, no run over its capacity or, when held,
 * under its minimum (set partitioning over the pool). GLPK solves its LP, which is nearly whole
 * (a basic solution splits at most one person per run); the people it splits are placed after
 * the others, then the local search runs. Each day keeps its person's own rules, so only the
 * seats can go wrong, and the rounding never overfills a run. On a generated 2,000-staff day
 * this finds the optimum CBC proves, in about a second; GLPK's own branch-and-bound on the same
 * master found no better plan in 20 s. */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define JITTER 1e-4 /* the largest cost added to a day against the LP's degeneracy */

struct is_pool {
    const is_model *m;
    int *days;   /* ndays x S */
    int *person; /* per day */
    int ndays, cap, max_days;
    int *table;  /* open addressing on (person, day): day index + 1, 0 empty */
    size_t tsize;
};

/* ---- local: the pool ---- */

static uint64_t hash_day(int t, const int *day, int S)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)t;
    for (int s = 0; s < S; s++)
        h = (h ^ (uint64_t)(unsigned)(day[s] + 3)) * 1099511628211ull;
    return h;
}

static const int *day_of(const is_pool *p, int j) { return &p->days[(size_t)j * p->m->S]; }

/* The slot of (t, day) in the table: its day, or the empty slot where it would go. */
static size_t find(const is_pool *p, int t, const int *day)
{
    size_t mask = p->tsize - 1, h = hash_day(t, day, p->m->S) & mask;
    for (; p->table[h]; h = (h + 1) & mask) {
        int j = p->table[h] - 1;
        if (p->person[j] == t && memcmp(day_of(p, j), day, (size_t)p->m->S * sizeof(int)) == 0)
            break;
    }
    return h;
}

static void rehash(is_pool *p)
{
    free(p->table);
    p->tsize = p->tsize ? 2 * p->tsize : 4096;
    p->table = cpd_xcalloc(p->tsize, sizeof(int));
    for (int j = 0; j < p->ndays; j++)
        p->table[find(p, p->person[j], day_of(p, j))] = j + 1;
}

/* ---- local: the master ---- */

/* Whether the day keeps t's rules in st's plan: busy exactly where t delivers a held run, no run
 * cancelled there, allowed, no workshop twice, a run's slots together, pins kept. */
static bool day_fits(const is_state *st, int t, const int *day)
{
    const is_model *m = st->m;
    unsigned char busy[IS_MAX_SLOTS];
    is_state_busy(st, t, busy);
    for (int s = 0; s < m->S; s++) {
        if ((day[s] == IS_BUSY) != (busy[s] != 0))
            return false;
        int r = day[s];
        if (r < 0)
            continue;
        const is_run *u = &m->runs[r];
        if (st->cancelled[r] || !is_allowed(m, t, u->workshop) || !is_run_covers(u, s + 1))
            return false;
        if (s + 1 == u->start)
            for (int k = s + 1; k < u->start - 1 + u->len; k++)
                if (day[k] != r)
                    return false;
        for (int k = 0; k < s; k++)
            if (day[k] >= 0 && day[k] != r && m->runs[day[k]].workshop == u->workshop)
                return false;
    }
    for (int w = 0; w < m->W; w++) {
        int pin = m->pin[is_tw(m, t, w)], have = 0;
        if (pin < 0)
            continue;
        for (int s = 0; s < m->S; s++)
            have |= day[s] >= 0 && m->runs[day[s]].workshop == w && (pin == 0 || pin == s + 1);
        if (!have)
            return false;
    }
    return true;
}

/* The objective's share of one day: its places, less U per free slot and M per mandatory
 * workshop it misses. */
static double day_value(const is_model *m, int t, const int *day)
{
    double v = 0;
    for (int s = 0; s < m->S; s++)
        if (day[s] == IS_FREE)
            v -= m->U;
        else if (day[s] >= 0 && m->runs[day[s]].start == s + 1)
            v += is_score(m, t, day[s]);
    return v - m->M * m->nmand[t];
}

typedef struct {
    const is_pool *p;
    const is_state *st;
    cpd_engine *e;
    int *var;  /* per pooled day: its variable, or -1 */
    int *col;  /* per variable: its day */
    int nvar;
    double *coef;
} master;

/* y[t,k] for each pooled day that fits. The master minimises the regret sum_k (best_t - v_k)
 * y[t,k] less sum_t best_t, minus the plan's objective: every cost is >= 0, so the all-slack
 * basis is dual feasible and GLPK's dual simplex starts at once. Many days tie (a person often
 * has several days worth the same), and on such a degenerate LP the dual simplex stalls: 10-30 s
 * on 15,000 days where it takes 1 s once each cost is raised by a fixed pseudo-random share of
 * JITTER (at most 2,000 x 1e-4 = 0.2 on the objective of a 2,000-staff day; the plan's value is
 * computed again from its days). */
static void add_vars(master *M)
{
    const is_pool *p = M->p;
    const is_model *m = p->m;
    M->var = cpd_xmalloc((size_t)p->ndays * sizeof(int) + 1);
    M->col = cpd_xmalloc((size_t)p->ndays * sizeof(int) + 1);
    double *val = cpd_xmalloc((size_t)p->ndays * sizeof(double) + 1);
    double *best = cpd_xmalloc((size_t)m->T * sizeof(double) + 1), c0 = 0;
    for (int t = 0; t < m->T; t++)
        best[t] = -HUGE_VAL;
    for (int j = 0; j < p->ndays; j++) {
        int t = p->person[j];
        M->var[j] = day_fits(M->st, t, day_of(p, j)) ? 0 : -1;
        val[j] = day_value(m, t, day_of(p, j));
        if (M->var[j] == 0)
            best[t] = fmax(best[t], val[j]);
    }
    for (int t = 0; t < m->T; t++)
        c0 -= best[t] > -HUGE_VAL ? best[t] : 0;
    cpd_engine_set_obj_constant(M->e, c0);
    for (int j = 0; j < p->ndays; j++) {
        if (M->var[j] < 0)
            continue;
        double jitter = JITTER * (double)((uint64_t)(j + 1) * 2654435761u % 1024) / 1024;
        M->col[M->nvar++] = j;
        M->var[j] = cpd_engine_add_var(M->e, NULL, CPD_VAR_CONTINUOUS, 0, 1,
                                       best[p->person[j]] - val[j] + jitter);
    }
    free(val);
    free(best);
}

/* Variables k grouped by key[k] (0..n-1): order[beg[i]..beg[i+1]). */
static void group(const int *key, int nk, int n, int **beg, int **order)
{
    *beg = cpd_xcalloc((size_t)n + 2, sizeof(int));
    *order = cpd_xmalloc((size_t)nk * sizeof(int) + 1);
    for (int k = 0; k < nk; k++)
        (*beg)[key[k] + 2]++;
    for (int i = 0; i < n; i++)
        (*beg)[i + 2] += (*beg)[i + 1];
    for (int k = 0; k < nk; k++)
        (*order)[(*beg)[key[k] + 1]++] = k;
}

static void add_row(master *M, const int *vars, int n, cpd_row_kind kind, double rhs)
{
    for (int i = 0; i < n; i++)
        M->coef[i] = 1;
    cpd_engine_add_row(M->e, NULL, (size_t)n, vars, M->coef, kind, rhs);
}

/* one_day: sum_k y[t,k] = 1 per person; seats: sum y <= cap per held run, and >= min_size when
 * it may be cancelled. */
static void add_rows(master *M)
{
    const is_model *m = M->p->m;
    int nk = 0, *key = cpd_xmalloc(((size_t)M->nvar * m->S + 1) * sizeof(int));
    int *var = cpd_xmalloc(((size_t)M->nvar * m->S + 1) * sizeof(int)), *beg, *order;
    M->coef = cpd_xmalloc(((size_t)M->nvar + 1) * sizeof(double));
    for (int k = 0; k < M->nvar; k++)
        key[k] = M->p->person[M->col[k]];
    group(key, M->nvar, m->T, &beg, &order);
    for (int t = 0; t < m->T; t++)
        if (beg[t + 1] > beg[t])
            add_row(M, order + beg[t], beg[t + 1] - beg[t], CPD_ROW_EQ, 1);
    free(beg);
    free(order);
    for (int k = 0; k < M->nvar; k++) {
        const int *day = day_of(M->p, M->col[k]);
        for (int s = 0; s < m->S; s++)
            if (day[s] >= 0 && m->runs[day[s]].start == s + 1) {
                key[nk] = day[s];
                var[nk++] = k;
            }
    }
    group(key, nk, m->nruns, &beg, &order);
    for (int i = 0; i < nk; i++)
        order[i] = var[order[i]];
    for (int r = 0; r < m->nruns; r++) {
        int n = beg[r + 1] - beg[r];
        if (M->st->cancelled[r] || n == 0)
            continue;
        if (n > m->runs[r].cap)
            add_row(M, order + beg[r], n, CPD_ROW_LE, m->runs[r].cap);
        if (m->runs[r].min > 0)
            add_row(M, order + beg[r], n, CPD_ROW_GE, m->runs[r].min);
    }
    free(beg);
    free(order);
    free(key);
    free(var);
}

typedef struct {
    int k;
    double y;
} pick;

static int cmp_pick(const void *a, const void *b)
{
    const pick *x = a, *z = b;
    if (x->y != z->y)
        return x->y > z->y ? -1 : 1;
    return (x->k > z->k) - (x->k < z->k);
}

static bool has_room(const is_state *st, const int *day)
{
    const is_model *m = st->m;
    for (int s = 0; s < m->S; s++) {
        int r = day[s];
        if (r >= 0 && m->runs[r].start == s + 1 && st->size[r] >= m->runs[r].cap)
            return false;
    }
    return true;
}

/* Everyone with nothing: busy where they deliver, free elsewhere. */
static void clear_days(is_state *st)
{
    unsigned char busy[IS_MAX_SLOTS];
    int empty[IS_MAX_SLOTS];
    for (int t = 0; t < st->m->T; t++) {
        is_state_busy(st, t, busy);
        for (int s = 0; s < st->m->S; s++)
            empty[s] = busy[s] ? IS_BUSY : IS_FREE;
        is_state_set_day(st, t, empty);
    }
}

/* t's likeliest day (own: t's variables and values, cnt of them) that still has room, else t's
 * best day over the runs with room. */
static void place_split(const master *M, is_state *st, int t, pick *own, int cnt)
{
    qsort(own, (size_t)cnt, sizeof(pick), cmp_pick);
    for (int j = 0; j < cnt && own[j].y >= 1e-6; j++) {
        const int *day = day_of(M->p, M->col[own[j].k]);
        if (has_room(st, day)) {
            is_state_set_day(st, t, day);
            return;
        }
    }
    is_place_best(st, t);
}

/* A day per person from the LP's values y: a person the LP gives one day whole takes it; the
 * others, the most decided first, take their likeliest day that still has room (place_split).
 * Everyone starts with nothing, so seats are never over-counted. */
static void round_lp(const master *M, const double *y, is_state *st)
{
    const is_model *m = st->m;
    const is_pool *p = M->p;
    pick *best = cpd_xmalloc((size_t)m->T * sizeof(pick) + 1);
    pick *own = cpd_xmalloc((size_t)M->nvar * sizeof(pick) + 1);
    int *beg = cpd_xcalloc((size_t)m->T + 2, sizeof(int)), n = 0;
    for (int t = 0; t < m->T; t++)
        best[t] = (pick){-1, -1};
    for (int k = 0; k < M->nvar; k++) {
        int t = p->person[M->col[k]];
        beg[t + 2]++;
        if (y[k] > best[t].y + 1e-9)
            best[t] = (pick){k, y[k]};
    }
    for (int t = 0; t < m->T; t++)
        beg[t + 2] += beg[t + 1];
    for (int k = 0; k < M->nvar; k++)
        own[beg[p->person[M->col[k]] + 1]++] = (pick){k, y[k]};
    clear_days(st);
    for (int t = 0; t < m->T; t++)
        if (best[t].k >= 0 && best[t].y > 1 - 1e-6)
            is_state_set_day(st, t, day_of(p, M->col[best[t].k]));
        else
            best[n++] = (pick){t, best[t].y}; /* best[0..n): the split, by person */
    qsort(best, (size_t)n, sizeof(pick), cmp_pick);
    for (int i = 0; i < n; i++) {
        int t = best[i].k;
        place_split(M, st, t, own + beg[t], beg[t + 1] - beg[t]);
    }
    free(best);
    free(own);
    free(beg);
}

/* ---- interface ---- */

is_pool *is_pool_new(const is_model *m, int max_days)
{
    is_pool *p = cpd_xcalloc(1, sizeof *p);
    p->m = m;
    p->max_days = max_days;
    rehash(p);
    return p;
}

void is_pool_free(is_pool **pp)
{
    if (!pp || !*pp)
        return;
    is_pool *p = *pp;
    free(p->days);
    free(p->person);
    free(p->table);
    free(p);
    *pp = NULL;
}

void is_pool_add(is_pool *p, int t, const int *day)
{
    if (p->ndays >= p->max_days)
        return;
    size_t h = find(p, t, day);
    if (p->table[h])
        return;
    if (p->ndays == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 1024;
        p->days = cpd_xrealloc(p->days, (size_t)p->cap * p->m->S * sizeof(int));
        p->person = cpd_xrealloc(p->person, (size_t)p->cap * sizeof(int));
    }
    memcpy(&p->days[(size_t)p->ndays * p->m->S], day, (size_t)p->m->S * sizeof(int));
    p->person[p->ndays] = t;
    p->table[h] = ++p->ndays;
    if ((size_t)p->ndays * 2 > p->tsize)
        rehash(p);
}

void is_pool_add_state(is_pool *p, const is_state *st)
{
    for (int t = 0; t < p->m->T; t++)
        is_pool_add(p, t, &st->sched[(size_t)t * p->m->S]);
}

int is_pool_size(const is_pool *p) { return p->ndays; }

bool is_master(is_state *st, is_pool *p, double seconds)
{
    const is_model *m = st->m;
    if (m->T == 0 || seconds <= 0)
        return false;
    int keep = p->max_days;
    p->max_days = p->ndays + m->T; /* st's own days always go in: they are the start */
    is_pool_add_state(p, st);
    p->max_days = keep;
    master M = {.p = p, .st = st, .e = cpd_engine_new("inset_master", CPD_MINIMIZE)};
    add_vars(&M);
    add_rows(&M);
    cpd_solve_opts so = {.time_limit = seconds};
    cpd_solve_result r = cpd_engine_solve(M.e, &so);
    bool better = false;
    if (r.status == CPD_SOLVE_OPTIMAL || r.status == CPD_SOLVE_FEASIBLE) {
        double *y = cpd_xmalloc((size_t)M.nvar * sizeof(double) + 1);
        for (int k = 0; k < M.nvar; k++)
            y[k] = cpd_engine_value(M.e, k);
        is_state *trial = is_state_new(m);
        is_state_copy(trial, st);
        round_lp(&M, y, trial);
        is_improve(trial);
        better = is_state_feasible(trial) &&
                 is_state_objective(trial) > is_state_objective(st) + 1e-7;
        if (better)
            is_state_copy(st, trial);
        is_state_free(&trial);
        free(y);
    }
    free(M.var);
    free(M.col);
    free(M.coef);
    cpd_engine_free(&M.e);
    return better;
}
