/* inset_heur.c — the inset job's own plan: each person's best day over the runs with room (an
 * exact search over their slots, best options first and cut off by bounds), people placed one
 * by one (guided by the Lagrangian prices when there are some), min_size repair (a run below
 * its minimum is cancelled and its people placed again), then a local search: a person's whole
 * day re-planned, and in one slot a person moving to a full run whose member moves to the
 * vacated place or to a run with room. Ruin and recreate (people drawn at random or sharing a
 * run lose their places, are placed again by price, and the local search runs) improves a plan
 * further. */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LS_PASSES 30       /* local search passes at most */
#define GAIN_EPS 1e-7      /* a move must gain this much: no cycling on rounding noise */
#define DFS_NODES 200000   /* per person: a safety cap (the search is exact far below it) */
#define LOCK_BONUS 1e9     /* a run a person must keep (leaving would break its min_size) */

/* ---- local: one person's best day ---- */

typedef struct {
    int run;
    double sc;
} opt;

typedef struct {
    const is_model *m;
    opt *opts;           /* by start slot, best first */
    int off[IS_MAX_SLOTS + 1];
    double suf[IS_MAX_SLOTS + 1]; /* an upper bound on slots i.. */
    double sufmax[IS_MAX_SLOTS + 1]; /* the largest of suf[j], j >= i */
    int forced[IS_MAX_SLOTS];     /* a must-pinned run starting in the slot, or -1 */
    int *wmark;          /* per workshop: in the day being built */
    int *must_any;       /* workshops pinned to any slot */
    int nmust;
    int cur[IS_MAX_SLOTS], best[IS_MAX_SLOTS];
    double bestv;
    const unsigned char *busy, *optional;
    long nodes;
    bool exact; /* the search ended by itself, not at DFS_NODES */
} dfs_t;

void *is_dfs_new(const is_model *m)
{
    dfs_t *d = cpd_xcalloc(1, sizeof *d);
    d->m = m;
    d->opts = cpd_xmalloc((size_t)m->nruns * sizeof(opt) + 1);
    d->wmark = cpd_xcalloc((size_t)m->W + 1, sizeof(int));
    d->must_any = cpd_xmalloc((size_t)m->W * sizeof(int) + 1);
    return d;
}

void is_dfs_free(void **p)
{
    dfs_t *d = *p;
    if (!d)
        return;
    free(d->opts);
    free(d->wmark);
    free(d->must_any);
    free(d);
    *p = NULL;
}

static int cmp_opt(const void *a, const void *b)
{
    const opt *x = a, *y = b;
    if (x->sc != y->sc)
        return x->sc > y->sc ? -1 : 1;
    return (x->run > y->run) - (x->run < y->run);
}

static bool day_complete(const dfs_t *d)
{
    for (int i = 0; i < d->nmust; i++)
        if (!d->wmark[d->must_any[i]])
            return false;
    return true;
}

static bool slots_free(const dfs_t *d, int i, int len)
{
    for (int k = i; k < i + len; k++)
        if (k >= d->m->S || d->busy[k] || (k > i && d->forced[k] >= 0))
            return false;
    return true;
}

static void search(dfs_t *d, int i, double v)
{
    const is_model *m = d->m;
    if (++d->nodes > DFS_NODES && d->bestv > -HUGE_VAL) {
        d->exact = false;
        return;
    }
    if (i >= m->S) {
        if (v > d->bestv + 1e-9 && day_complete(d)) {
            d->bestv = v;
            memcpy(d->best, d->cur, sizeof d->cur);
        }
        return;
    }
    if (v + d->suf[i] <= d->bestv + 1e-9)
        return;
    if (d->busy[i]) {
        d->cur[i] = IS_BUSY;
        search(d, i + 1, v);
        return;
    }
    for (int k = d->off[i]; k < d->off[i + 1]; k++) {
        const opt *o = &d->opts[k];
        if (v + o->sc + d->sufmax[i + 1] <= d->bestv + 1e-9)
            break; /* options are best first: none after this one can do better */
        const is_run *r = &m->runs[o->run];
        if ((d->forced[i] >= 0 && o->run != d->forced[i]) || d->wmark[r->workshop] ||
            !slots_free(d, i, r->len))
            continue;
        d->wmark[r->workshop] = 1;
        for (int s = i; s < i + r->len; s++)
            d->cur[s] = o->run;
        search(d, i + r->len, v + o->sc);
        d->wmark[r->workshop] = 0;
    }
    if (d->forced[i] >= 0)
        return;
    if (d->optional && d->optional[i]) {
        d->cur[i] = IS_BUSY;
        search(d, i + 1, v);
    }
    d->cur[i] = IS_FREE;
    search(d, i + 1, v - m->U);
}

/* Options by start slot, the bound per slot, the pins. False when a pin cannot be kept. */
static bool prepare(dfs_t *d, int t, const double *score)
{
    const is_model *m = d->m;
    double ub[IS_MAX_SLOTS];
    int cnt[IS_MAX_SLOTS] = {0};
    for (int s = 0; s < m->S; s++) {
        ub[s] = d->busy[s] || (d->optional && d->optional[s]) ? 0 : -m->U;
        d->forced[s] = -1;
    }
    int n = 0;
    for (int r = 0; r < m->nruns; r++) {
        if (score[r] == -HUGE_VAL)
            continue;
        const is_run *u = &m->runs[r];
        d->opts[n++] = (opt){r, score[r]};
        cnt[u->start - 1]++;
        for (int s = u->start - 1; s < u->start - 1 + u->len; s++)
            ub[s] = fmax(ub[s], score[r] / u->len);
    }
    /* by start slot, then best first (a stable order: ties by run index) */
    d->off[0] = 0;
    for (int s = 0; s < m->S; s++)
        d->off[s + 1] = d->off[s] + cnt[s];
    opt *tmp = cpd_xmalloc((size_t)n * sizeof(opt) + 1);
    int pos[IS_MAX_SLOTS];
    memcpy(pos, d->off, sizeof pos);
    for (int k = 0; k < n; k++)
        tmp[pos[m->runs[d->opts[k].run].start - 1]++] = d->opts[k];
    for (int s = 0; s < m->S; s++)
        qsort(tmp + d->off[s], (size_t)cnt[s], sizeof(opt), cmp_opt);
    memcpy(d->opts, tmp, (size_t)n * sizeof(opt));
    free(tmp);
    d->suf[m->S] = d->sufmax[m->S] = 0;
    for (int s = m->S - 1; s >= 0; s--) {
        d->suf[s] = d->suf[s + 1] + ub[s];
        d->sufmax[s] = fmax(d->suf[s], d->sufmax[s + 1]);
    }
    d->nmust = 0;
    for (int w = 0; w < m->W; w++) {
        int pin = m->pin[is_tw(m, t, w)];
        if (pin == 0)
            d->must_any[d->nmust++] = w;
        if (pin <= 0)
            continue;
        int r = is_run_covering(m, w, pin);
        if (r < 0 || score[r] == -HUGE_VAL || d->forced[m->runs[r].start - 1] >= 0)
            return false;
        d->forced[m->runs[r].start - 1] = r;
    }
    return true;
}

double is_best_schedule(const is_model *m, void *dp, int t, const double *score,
                        const unsigned char *busy, const unsigned char *optional, int *out)
{
    dfs_t *d = dp;
    d->busy = busy;
    d->optional = optional;
    d->bestv = -HUGE_VAL;
    d->nodes = 0;
    d->exact = true;
    if (!prepare(d, t, score))
        return -HUGE_VAL;
    search(d, 0, 0);
    if (d->bestv > -HUGE_VAL)
        memcpy(out, d->best, (size_t)m->S * sizeof(int));
    return d->bestv;
}

bool is_dfs_exact(const void *dp) { return ((const dfs_t *)dp)->exact; }

/* ---- local: the allocation ---- */

static int *sched_of(const is_state *st, int t) { return &st->sched[(size_t)t * st->m->S]; }

static bool cancellable(const is_model *m, int r) { return m->runs[r].min > 0; }

static void put(is_state *st, int t, int r)
{
    const is_run *u = &st->m->runs[r];
    for (int s = u->start; s < u->start + u->len; s++)
        sched_of(st, t)[s - 1] = r;
    st->size[r]++;
    st->used[is_tw(st->m, t, u->workshop)] = 1;
}

static void take_out(is_state *st, int t, int r)
{
    const is_run *u = &st->m->runs[r];
    for (int s = u->start; s < u->start + u->len; s++)
        sched_of(st, t)[s - 1] = IS_FREE;
    st->size[r]--;
    st->used[is_tw(st->m, t, u->workshop)] = 0;
}

/* The person's value: places (mandatory bonus included) less U per unplaced slot. */
static double person_value(const is_state *st, int t)
{
    const is_model *m = st->m;
    const int *sc = sched_of(st, t);
    double v = 0;
    for (int s = 0; s < m->S; s++) {
        if (sc[s] == IS_FREE)
            v -= m->U;
        else if (sc[s] >= 0 && m->runs[sc[s]].start == s + 1)
            v += is_score(m, t, sc[s]);
    }
    return v;
}

/* Slots where t delivers a held run. */
void is_state_busy(const is_state *st, int t, unsigned char *busy)
{
    const is_model *m = st->m;
    for (int s = 0; s < m->S; s++)
        busy[s] = m->fixed_busy[(size_t)t * m->S + s] > 0;
    for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++) {
        const is_run *u = &m->runs[m->fruns[k]];
        if (!st->cancelled[m->fruns[k]])
            for (int s = u->start; s < u->start + u->len; s++)
                busy[s - 1] = 1;
    }
}

/* A run t may not leave: cancellable, at its minimum and held. */
static bool locked(const is_state *st, int r)
{
    return cancellable(st->m, r) && st->size[r] <= st->m->runs[r].min;
}

/* Re-plans t's whole day over the runs with room; keeps the old day unless the new one is at
 * least as good (with prices: always takes the priced best). True when t's day improved. */
static bool replan(is_state *st, int t, double *score)
{
    const is_model *m = st->m;
    int old[IS_MAX_SLOTS], neu[IS_MAX_SLOTS];
    unsigned char busy[IS_MAX_SLOTS];
    int *sc = sched_of(st, t);
    memcpy(old, sc, (size_t)m->S * sizeof(int));
    double before = person_value(st, t);
    int lock[IS_MAX_SLOTS], nlock = 0;
    for (int s = 0; s < m->S; s++)
        if (old[s] >= 0 && m->runs[old[s]].start == s + 1) {
            if (locked(st, old[s]))
                lock[nlock++] = old[s];
            take_out(st, t, old[s]);
        }
    is_state_busy(st, t, busy);
    for (int s = 0; s < m->S; s++)
        sc[s] = busy[s] ? IS_BUSY : IS_FREE;
    for (int r = 0; r < m->nruns; r++) {
        int w = m->runs[r].workshop;
        bool open = !st->cancelled[r] && st->size[r] < m->runs[r].cap;
        score[r] = open && is_allowed(m, t, w) ? is_score(m, t, r) - (st->price ? st->price[r] : 0)
                                               : -HUGE_VAL;
    }
    for (int k = 0; k < nlock; k++)
        score[lock[k]] += LOCK_BONUS;
    double v = is_best_schedule(m, st->dfs, t, score, busy, NULL, neu);
    bool take = v > -HUGE_VAL;
    if (take) {
        for (int s = 0; s < m->S; s++)
            if (neu[s] >= 0 && m->runs[neu[s]].start == s + 1)
                put(st, t, neu[s]);
        double after = person_value(st, t);
        if (st->price || after > before + GAIN_EPS)
            return after > before + GAIN_EPS;
        for (int s = 0; s < m->S; s++)
            if (sc[s] >= 0 && m->runs[sc[s]].start == s + 1)
                take_out(st, t, sc[s]);
    }
    for (int s = 0; s < m->S; s++)
        sc[s] = old[s];
    for (int s = 0; s < m->S; s++)
        if (old[s] >= 0 && m->runs[old[s]].start == s + 1) {
            sc[s] = IS_FREE; /* put sets it again */
            put(st, t, old[s]);
        }
    return false;
}

/* A deterministic scramble of 0..n-1 (people placed in no order of school or id). */
static int *scrambled(int n)
{
    int *o = cpd_xmalloc((size_t)n * sizeof(int) + 1);
    for (int i = 0; i < n; i++)
        o[i] = i;
    uint64_t x = 0x2545f4914f6cdd1dULL;
    for (int i = n - 1; i > 0; i--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int j = (int)(x % (uint64_t)(i + 1));
        int tmp = o[i];
        o[i] = o[j];
        o[j] = tmp;
    }
    return o;
}

/* People with pins, then mandatory workshops, then the rest (scrambled within each). */
static int *placing_order(const is_model *m)
{
    int *s = scrambled(m->T), *o = cpd_xmalloc((size_t)m->T * sizeof(int) + 1), n = 0;
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < m->T; i++) {
            int t = s[i], pins = 0;
            for (int w = 0; w < m->W; w++)
                pins += m->pin[is_tw(m, t, w)] >= 0;
            int cls = pins ? 0 : m->nmand[t] ? 1 : 2;
            if (cls == pass)
                o[n++] = t;
        }
    free(s);
    return o;
}

/* Cancellable runs a facilitator would deliver at once with another held run: the later ones
 * are cancelled from the start. */
static void cancel_clashes(is_state *st)
{
    const is_model *m = st->m;
    for (int t = 0; t < m->T; t++) {
        int cover[IS_MAX_SLOTS];
        for (int s = 0; s < m->S; s++)
            cover[s] = m->fixed_busy[(size_t)t * m->S + s];
        for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++) {
            int r = m->fruns[k];
            const is_run *u = &m->runs[r];
            if (!cancellable(m, r) || st->cancelled[r])
                continue;
            bool clash = false;
            for (int s = u->start; s < u->start + u->len; s++)
                clash |= cover[s - 1] > 0;
            if (clash)
                st->cancelled[r] = 1;
            else
                for (int s = u->start; s < u->start + u->len; s++)
                    cover[s - 1]++;
        }
    }
}

static void refresh_busy(is_state *st, int t)
{
    unsigned char busy[IS_MAX_SLOTS];
    is_state_busy(st, t, busy);
    int *sc = sched_of(st, t);
    for (int s = 0; s < st->m->S; s++)
        if (sc[s] < 0)
            sc[s] = busy[s] ? IS_BUSY : IS_FREE;
}

/* The held run below its minimum with the fewest people (ties: lowest index), or -1. A run
 * a must pin holds to its slot is kept. */
static int next_to_cancel(const is_state *st)
{
    const is_model *m = st->m;
    int best = -1;
    for (int r = 0; r < m->nruns; r++) {
        if (!cancellable(m, r) || st->cancelled[r] || st->size[r] >= m->runs[r].min)
            continue;
        bool pinned = false;
        for (int t = 0; t < m->T && !pinned && st->size[r] > 0; t++) {
            int pin = m->pin[is_tw(m, t, m->runs[r].workshop)];
            pinned = pin > 0 && is_run_covers(&m->runs[r], pin);
        }
        if (!pinned && (best < 0 || st->size[r] < st->size[best]))
            best = r;
    }
    return best;
}

/* Cancels runs below their minimum one at a time; their people and facilitators are placed
 * again. */
static void repair_min_size(is_state *st, double *score)
{
    const is_model *m = st->m;
    int *again = cpd_xmalloc((size_t)m->T * sizeof(int) + 1);
    for (int r; (r = next_to_cancel(st)) >= 0;) {
        int n = 0;
        st->cancelled[r] = 1;
        for (int t = 0; t < m->T; t++)
            if (sched_of(st, t)[m->runs[r].start - 1] == r) {
                take_out(st, t, r);
                again[n++] = t;
            }
        const cpd_workshop *k = &m->p->workshops[m->runs[r].workshop];
        for (int i = 0; i < k->nfacilitators; i++)
            if (k->facilitators[i] >= 0 && k->facilitators[i] < m->T) {
                refresh_busy(st, k->facilitators[i]);
                again[n++] = k->facilitators[i];
            }
        for (int i = 0; i < n; i++)
            replan(st, again[i], score);
    }
    free(again);
}

/* ---- local: moves in one slot ---- */

typedef struct {
    int *moff; /* per run: offset into mem (its capacity) */
    int *mem;
} members;

static void members_build(const is_state *st, members *mb)
{
    const is_model *m = st->m;
    mb->moff = cpd_xmalloc(((size_t)m->nruns + 1) * sizeof(int));
    mb->moff[0] = 0;
    for (int r = 0; r < m->nruns; r++)
        mb->moff[r + 1] = mb->moff[r] + (m->runs[r].cap > 0 ? m->runs[r].cap : 0);
    mb->mem = cpd_xmalloc((size_t)mb->moff[m->nruns] * sizeof(int) + 1);
    int *n = cpd_xcalloc((size_t)m->nruns + 1, sizeof(int));
    for (int t = 0; t < m->T; t++)
        for (int s = 0; s < m->S; s++) {
            int r = sched_of(st, t)[s];
            if (r >= 0 && m->runs[r].start == s + 1 && n[r] < m->runs[r].cap)
                mb->mem[mb->moff[r] + n[r]++] = t;
        }
    free(n);
}

static void members_free(members *mb)
{
    free(mb->moff);
    free(mb->mem);
}

static void member_replace(members *mb, const is_state *st, int r, int from, int to)
{
    for (int i = mb->moff[r]; i < mb->moff[r] + st->size[r] + 1 && i < mb->moff[r + 1]; i++)
        if (mb->mem[i] == from) {
            mb->mem[i] = to;
            return;
        }
}

static void member_remove(members *mb, const is_state *st, int r, int who)
{
    int last = mb->moff[r] + st->size[r]; /* size already decreased */
    for (int i = mb->moff[r]; i <= last; i++)
        if (mb->mem[i] == who) {
            mb->mem[i] = mb->mem[last];
            return;
        }
}

/* Whether t may take a one-slot run r instead of its place in the same slot. */
static bool can_take(const is_state *st, int t, int r)
{
    const is_model *m = st->m;
    int w = m->runs[r].workshop;
    return !st->cancelled[r] && !st->used[is_tw(m, t, w)] && is_allowed(m, t, w);
}

static bool movable(const is_state *st, int t, int r)
{
    return st->m->pin[is_tw(st->m, t, st->m->runs[r].workshop)] < 0;
}

/* t (in a, or unplaced: a = -1) takes b; b's member t2 goes to a or to a run of the slot with
 * room. */
static bool improve_place(is_state *st, members *mb, int t, int a, const int *runs, int n)
{
    const is_model *m = st->m;
    double va = a >= 0 ? is_score(m, t, a) : -m->U;
    bool a_may_shrink = a < 0 || !locked(st, a);
    for (int i = 0; i < n; i++) {
        int b = runs[i];
        if (b == a || !can_take(st, t, b) || is_score(m, t, b) <= va + GAIN_EPS)
            continue;
        double g0 = is_score(m, t, b) - va;
        if (st->size[b] < m->runs[b].cap) {
            if (!a_may_shrink)
                continue;
            if (a >= 0) {
                take_out(st, t, a);
                member_remove(mb, st, a, t);
            }
            put(st, t, b);
            mb->mem[mb->moff[b] + st->size[b] - 1] = t;
            return true;
        }
        for (int k = mb->moff[b]; k < mb->moff[b] + st->size[b]; k++) {
            int t2 = mb->mem[k];
            if (!movable(st, t2, b))
                continue;
            double vb2 = is_score(m, t2, b);
            for (int j = 0; j < n; j++) {
                int c = runs[j];
                if (c == b || (c != a && (st->size[c] >= m->runs[c].cap || !a_may_shrink)))
                    continue;
                if (!can_take(st, t2, c) || g0 + is_score(m, t2, c) - vb2 <= GAIN_EPS)
                    continue;
                if (a >= 0)
                    take_out(st, t, a);
                take_out(st, t2, b);
                put(st, t, b);
                put(st, t2, c);
                mb->mem[k] = t;
                if (c == a) {
                    member_replace(mb, st, a, t, t2);
                } else {
                    if (a >= 0)
                        member_remove(mb, st, a, t);
                    mb->mem[mb->moff[c] + st->size[c] - 1] = t2;
                }
                return true;
            }
        }
    }
    return false;
}

/* An unplaced t in a slot: the shortest chain of one-slot runs b0 -> b1 -> ... -> bk where t
 * takes b0, a member of each b(i) moves to b(i+1) and bk has room (breadth first over runs:
 * an augmenting path, as in bipartite matching). Places t; true when a chain was found. */
static bool augment(is_state *st, members *mb, int t, const int *runs, int n)
{
    const is_model *m = st->m;
    int *parent = cpd_xmalloc((size_t)m->nruns * 2 * sizeof(int) + 1), *via = parent + m->nruns;
    int *queue = cpd_xmalloc((size_t)n * sizeof(int) + 1), head = 0, tail = 0, end = -1;
    for (int r = 0; r < m->nruns; r++)
        parent[r] = -2;
    for (int i = 0; i < n; i++)
        if (can_take(st, t, runs[i])) {
            parent[runs[i]] = -1;
            queue[tail++] = runs[i];
        }
    while (head < tail && end < 0) {
        int b = queue[head++];
        if (st->size[b] < m->runs[b].cap) {
            end = b;
            break;
        }
        for (int k = mb->moff[b]; k < mb->moff[b] + st->size[b]; k++) {
            int t2 = mb->mem[k];
            if (!movable(st, t2, b))
                continue;
            for (int j = 0; j < n; j++) {
                int c = runs[j];
                if (parent[c] != -2 || !can_take(st, t2, c))
                    continue;
                parent[c] = b;
                via[c] = t2;
                queue[tail++] = c;
            }
        }
    }
    for (int c = end; c >= 0 && parent[c] >= 0; c = parent[c]) {
        take_out(st, via[c], parent[c]);
        put(st, via[c], c);
    }
    if (end >= 0) {
        int b0 = end;
        while (parent[b0] >= 0)
            b0 = parent[b0];
        put(st, t, b0);
    }
    free(parent);
    free(queue);
    return end >= 0;
}

static bool slot_pass(is_state *st)
{
    const is_model *m = st->m;
    members mb;
    members_build(st, &mb);
    int *runs = cpd_xmalloc((size_t)m->nruns * sizeof(int) + 1);
    bool improved = false;
    for (int s = 1; s <= m->S; s++) {
        int n = 0;
        for (int r = 0; r < m->nruns; r++)
            if (m->runs[r].start == s && m->runs[r].len == 1 && !st->cancelled[r])
                runs[n++] = r;
        for (int t = 0; t < m->T; t++) {
            int a = sched_of(st, t)[s - 1];
            if ((a >= 0 && m->runs[a].len == 1 && movable(st, t, a)) || a == IS_FREE)
                if (improve_place(st, &mb, t, a >= 0 ? a : -1, runs, n)) {
                    improved = true;
                    continue;
                }
            if (a == IS_FREE && augment(st, &mb, t, runs, n)) {
                improved = true;
                members_free(&mb);
                members_build(st, &mb);
            }
        }
    }
    free(runs);
    members_free(&mb);
    return improved;
}

/* ---- local: one slot, exactly (cycle cancelling) ----
 *
 * With everything outside slot s held fixed, the one-slot runs of s and their people form a
 * transportation problem. Its residual graph over runs: an edge b -> c costs the least loss of
 * moving one member of b to c; a node F holds the unplaced (F -> c costs -U - score); a node Z
 * closes paths (c -> Z when c has room, Z -> b when b may shrink, Z -> F). A negative cycle is
 * an improving set of simultaneous moves; none left means slot s is optimal given the rest. */

typedef struct {
    const is_state *st;
    int n, V;          /* runs in the slot; nodes: runs, F = n, Z = n + 1 */
    int *runs;
    double *cost;      /* V x V, HUGE_VAL: no edge */
    int *who;          /* V x V: the person an edge moves */
    int *list, *lcap, *lcnt, *loff; /* members per node (F: the unplaced) */
    double *dist;
    int *pred;
} slotnet;

static double node_score(const slotnet *g, int t, int i)
{
    return i < g->n ? is_score(g->st->m, t, g->runs[i]) : -g->st->m->U;
}

static void net_row(slotnet *g, int i)
{
    const is_state *st = g->st;
    int V = g->V;
    for (int j = 0; j < g->n; j++) {
        g->cost[i * V + j] = HUGE_VAL;
        g->who[i * V + j] = -1;
    }
    for (int k = g->loff[i]; k < g->loff[i] + g->lcnt[i]; k++) {
        int t = g->list[k];
        if (i < g->n && !movable(st, t, g->runs[i]))
            continue;
        double base = node_score(g, t, i);
        for (int j = 0; j < g->n; j++) {
            if (j == i || !can_take(st, t, g->runs[j]))
                continue;
            double d = base - node_score(g, t, j);
            if (d < g->cost[i * V + j]) {
                g->cost[i * V + j] = d;
                g->who[i * V + j] = t;
            }
        }
    }
}

/* The edges to and from Z, which depend on sizes only. */
static void net_z(slotnet *g)
{
    const is_state *st = g->st;
    int V = g->V, F = g->n, Z = g->n + 1;
    for (int i = 0; i < V; i++)
        g->cost[i * V + Z] = g->cost[Z * V + i] = HUGE_VAL;
    for (int i = 0; i < g->n; i++) {
        int r = g->runs[i];
        if (st->size[r] < st->m->runs[r].cap)
            g->cost[i * V + Z] = 0;
        if (!locked(st, r))
            g->cost[Z * V + i] = 0;
        g->cost[i * V + F] = HUGE_VAL; /* nobody is made unplaced */
    }
    if (g->lcnt[F] > 0)
        g->cost[Z * V + F] = 0;
}

/* A negative cycle (Bellman-Ford from every node at once); its length, 0 when none. */
static int find_cycle(slotnet *g, int *cyc)
{
    int V = g->V, last = -1;
    for (int i = 0; i < V; i++) {
        g->dist[i] = 0;
        g->pred[i] = -1;
    }
    for (int it = 0; it < V; it++) {
        last = -1;
        for (int i = 0; i < V; i++)
            for (int j = 0; j < V; j++) {
                double c = g->cost[i * V + j];
                if (c < HUGE_VAL && g->dist[i] + c < g->dist[j] - GAIN_EPS) {
                    g->dist[j] = g->dist[i] + c;
                    g->pred[j] = i;
                    last = j;
                }
            }
        if (last < 0)
            return 0;
    }
    for (int k = 0; k < V && last >= 0; k++)
        last = g->pred[last];
    int n = 0;
    double total = 0;
    for (int x = last; x >= 0 && g->pred[x] >= 0;) {
        cyc[n++] = x;
        total += g->cost[g->pred[x] * V + x];
        x = g->pred[x];
        if (x == last)
            return total < -GAIN_EPS ? n : 0;
        if (n >= V)
            break;
    }
    return 0;
}

static void list_remove(slotnet *g, int t, int from)
{
    for (int k = g->loff[from]; k < g->loff[from] + g->lcnt[from]; k++)
        if (g->list[k] == t) {
            g->list[k] = g->list[g->loff[from] + --g->lcnt[from]];
            return;
        }
}

/* Applies the cycle (cyc[k] is entered from pred[cyc[k]]): every edge between runs or from F
 * moves its person, all at once. */
static void apply_cycle(slotnet *g, is_state *st, const int *cyc, int n)
{
    int V = g->V, Z = g->n + 1, nm = 0;
    int *mv = cpd_xmalloc((size_t)n * 3 * sizeof(int) + 1);
    for (int k = 0; k < n; k++) {
        int j = cyc[k], i = g->pred[j];
        if (i == Z || j == Z)
            continue;
        mv[3 * nm] = g->who[i * V + j];
        mv[3 * nm + 1] = i;
        mv[3 * nm++ + 2] = j;
    }
    for (int k = 0; k < nm; k++) { /* every removal first: a full run's list has no spare */
        if (mv[3 * k + 1] < g->n)
            take_out(st, mv[3 * k], g->runs[mv[3 * k + 1]]);
        list_remove(g, mv[3 * k], mv[3 * k + 1]);
    }
    for (int k = 0; k < nm; k++) {
        put(st, mv[3 * k], g->runs[mv[3 * k + 2]]);
        g->list[g->loff[mv[3 * k + 2]] + g->lcnt[mv[3 * k + 2]]++] = mv[3 * k];
    }
    free(mv);
    for (int k = 0; k < n; k++)
        if (cyc[k] != Z)
            net_row(g, cyc[k]);
    net_z(g);
}

static bool flow_slot(is_state *st, int s, slotnet *g)
{
    const is_model *m = st->m;
    g->n = 0;
    for (int r = 0; r < m->nruns; r++)
        if (m->runs[r].start == s && m->runs[r].len == 1 && !st->cancelled[r])
            g->runs[g->n++] = r;
    g->V = g->n + 2;
    int F = g->n, V = g->V, *node = cpd_xmalloc((size_t)m->nruns * sizeof(int) + 1);
    for (int r = 0; r < m->nruns; r++)
        node[r] = -1;
    g->loff[0] = 0;
    for (int i = 0; i < V; i++) {
        g->lcap[i] = i < g->n ? m->runs[g->runs[i]].cap : i == F ? m->T : 0;
        g->loff[i + 1] = g->loff[i] + g->lcap[i];
        g->lcnt[i] = 0;
        if (i < g->n)
            node[g->runs[i]] = i;
    }
    for (int t = 0; t < m->T; t++) {
        int r = sched_of(st, t)[s - 1];
        int i = r == IS_FREE ? F : r >= 0 ? node[r] : -1;
        if (i >= 0 && g->lcnt[i] < g->lcap[i])
            g->list[g->loff[i] + g->lcnt[i]++] = t;
    }
    free(node);
    for (int i = 0; i < V * V; i++)
        g->cost[i] = HUGE_VAL;
    for (int i = 0; i <= F; i++)
        net_row(g, i);
    net_z(g);
    int *cyc = cpd_xmalloc(((size_t)V + 1) * sizeof(int)), n;
    bool improved = false;
    for (int it = 0; it < 20 * m->T + 100 && (n = find_cycle(g, cyc)) > 0; it++) {
        apply_cycle(g, st, cyc, n);
        improved = true;
    }
    free(cyc);
    return improved;
}

static bool flow_pass(is_state *st)
{
    const is_model *m = st->m;
    int V = m->nruns + 2, total = 0;
    for (int r = 0; r < m->nruns; r++)
        total += m->runs[r].cap > 0 ? m->runs[r].cap : 0;
    slotnet g = {.st = st, .runs = cpd_xmalloc((size_t)V * sizeof(int)),
                 .cost = cpd_xmalloc((size_t)V * V * sizeof(double)),
                 .who = cpd_xmalloc((size_t)V * V * sizeof(int)),
                 .list = cpd_xmalloc(((size_t)total + m->T + 1) * sizeof(int)),
                 .lcap = cpd_xmalloc((size_t)V * sizeof(int)),
                 .lcnt = cpd_xmalloc((size_t)V * sizeof(int)),
                 .loff = cpd_xmalloc(((size_t)V + 1) * sizeof(int)),
                 .dist = cpd_xmalloc((size_t)V * sizeof(double)),
                 .pred = cpd_xmalloc((size_t)V * sizeof(int))};
    bool improved = false;
    for (int s = 1; s <= m->S; s++)
        improved |= flow_slot(st, s, &g);
    free(g.runs);
    free(g.cost);
    free(g.who);
    free(g.list);
    free(g.lcap);
    free(g.lcnt);
    free(g.loff);
    free(g.dist);
    free(g.pred);
    return improved;
}

static bool replan_pass(is_state *st, double *score)
{
    bool improved = false;
    for (int t = 0; t < st->m->T; t++)
        improved |= replan(st, t, score);
    return improved;
}

/* ---- interface ---- */

is_state *is_state_new(const is_model *m)
{
    is_state *st = cpd_xcalloc(1, sizeof *st);
    st->m = m;
    st->sched = cpd_xmalloc(((size_t)m->T * m->S + 1) * sizeof(int));
    st->size = cpd_xcalloc((size_t)m->nruns + 1, sizeof(int));
    st->cancelled = cpd_xcalloc((size_t)m->nruns + 1, 1);
    st->used = cpd_xcalloc((size_t)m->T * m->W + 1, 1);
    st->dfs = is_dfs_new(m);
    for (size_t i = 0; i < (size_t)m->T * m->S; i++)
        st->sched[i] = IS_FREE;
    for (int t = 0; t < m->T; t++)
        refresh_busy(st, t);
    return st;
}

void is_state_free(is_state **p)
{
    if (!p || !*p)
        return;
    is_state *st = *p;
    free(st->sched);
    free(st->size);
    free(st->cancelled);
    free(st->used);
    is_dfs_free(&st->dfs);
    free(st);
    *p = NULL;
}

void is_state_copy(is_state *dst, const is_state *src)
{
    const is_model *m = src->m;
    memcpy(dst->sched, src->sched, (size_t)m->T * m->S * sizeof(int));
    memcpy(dst->size, src->size, (size_t)m->nruns * sizeof(int));
    memcpy(dst->cancelled, src->cancelled, (size_t)m->nruns);
    memcpy(dst->used, src->used, (size_t)m->T * m->W);
}

double is_state_objective(const is_state *st)
{
    double v = 0;
    for (int t = 0; t < st->m->T; t++)
        v += person_value(st, t) - st->m->M * st->m->nmand[t];
    return v;
}

int is_state_unplaced(const is_state *st)
{
    int n = 0;
    for (size_t i = 0; i < (size_t)st->m->T * st->m->S; i++)
        n += st->sched[i] == IS_FREE;
    return n;
}

int is_state_missed(const is_state *st)
{
    const is_model *m = st->m;
    int n = 0;
    for (int t = 0; t < m->T; t++)
        for (int w = 0; w < m->W; w++)
            n += m->mand[is_tw(m, t, w)] && !st->used[is_tw(m, t, w)];
    return n;
}

bool is_state_feasible(const is_state *st)
{
    const is_model *m = st->m;
    for (int r = 0; r < m->nruns; r++)
        if (st->size[r] > m->runs[r].cap || (st->cancelled[r] && st->size[r] > 0) ||
            (!st->cancelled[r] && st->size[r] > 0 && st->size[r] < m->runs[r].min))
            return false;
    unsigned char busy[IS_MAX_SLOTS];
    for (int t = 0; t < m->T; t++) {
        is_state_busy(st, t, busy);
        const int *sc = sched_of(st, t);
        for (int s = 0; s < m->S; s++) {
            if ((sc[s] == IS_BUSY) != (busy[s] != 0))
                return false;
            if (sc[s] >= 0 && !is_allowed(m, t, m->runs[sc[s]].workshop))
                return false;
        }
        for (int w = 0; w < m->W; w++) {
            int pin = m->pin[is_tw(m, t, w)];
            if (pin == 0 && !st->used[is_tw(m, t, w)])
                return false;
            if (pin > 0 && (sc[pin - 1] < 0 || m->runs[sc[pin - 1]].workshop != w))
                return false;
        }
    }
    return true;
}

/* The local search to a local optimum (at most LS_PASSES passes), unpriced. */
static void local_search(is_state *st, double *score)
{
    for (int pass = 0; pass < LS_PASSES; pass++) {
        bool improved = replan_pass(st, score);
        improved |= flow_pass(st);
        improved |= slot_pass(st);
        repair_min_size(st, score);
        if (!improved)
            break;
    }
}

/* A person whose places may all be taken out (no run of theirs would fall below its minimum). */
static bool ruinable(const is_state *st, int t)
{
    const int *sc = sched_of(st, t);
    for (int s = 0; s < st->m->S; s++)
        if (sc[s] >= 0 && locked(st, sc[s]))
            return false;
    return true;
}

/* A person who shares a run with seed in best (the slot and the scan's start from draw), or -1:
 * re-placing people who compete for the same seats frees moves a random draw rarely finds. */
static int related(const is_state *best, int seed, int draw)
{
    const is_model *m = best->m;
    int s = draw % m->S, r = sched_of(best, seed)[s];
    if (r < 0)
        return -1;
    for (int k = 0; k < m->T; k++) {
        int t = (draw + k) % m->T;
        if (sched_of(best, t)[s] == r)
            return t;
    }
    return -1;
}

void is_ruin_recreate(is_state *best, const double *price, int iters, int ruin, double stop_at,
                      double deadline)
{
    const is_model *m = best->m;
    if (m->T == 0)
        return;
    is_state *st = is_state_new(m);
    double *score = cpd_xmalloc((size_t)m->nruns * sizeof(double) + 1);
    int *out = cpd_xmalloc((size_t)ruin * sizeof(int) + 1);
    int *mark = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    double bestv = is_state_objective(best);
    uint64_t x = 0x9e3779b97f4a7c15ULL; /* a fixed seed: the same moves every run */
    for (int it = 0; it < iters && bestv < stop_at && (deadline <= 0 || is_now() < deadline); it++) {
        is_state_copy(st, best);
        int n = 0, seed = -1;
        for (int k = 0; k < ruin; k++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            int t = (int)(x % (uint64_t)m->T);
            if (it % 2 && seed < 0)
                seed = t;
            else if (it % 2) /* related: people sharing a run with the first one drawn */
                t = related(best, seed, t);
            if (t < 0 || mark[t] == it + 1 || !ruinable(st, t))
                continue;
            int *sc = sched_of(st, t);
            for (int s = 0; s < m->S; s++)
                if (sc[s] >= 0 && m->runs[sc[s]].start == s + 1)
                    take_out(st, t, sc[s]);
            out[n++] = t;
            mark[t] = it + 1;
        }

        st->price = price;
        for (int k = 0; k < n; k++)
            replan(st, out[k], score);
        st->price = NULL;
        local_search(st, score);
        double v = is_state_objective(st);
        if (v > bestv + GAIN_EPS && is_state_feasible(st)) {
            is_state_copy(best, st);
            bestv = v;
        }
    }
    free(out);
    free(mark);
    free(score);
    is_state_free(&st);
}

void is_improve(is_state *st)
{
    double *score = cpd_xmalloc((size_t)st->m->nruns * sizeof(double) + 1);
    const double *price = st->price;
    st->price = NULL;
    local_search(st, score);
    st->price = price;
    free(score);
}

void is_place_best(is_state *st, int t)
{
    double *score = cpd_xmalloc((size_t)st->m->nruns * sizeof(double) + 1);
    replan(st, t, score);
    free(score);
}

void is_state_set_day(is_state *st, int t, const int *day)
{
    const is_model *m = st->m;
    int *sc = sched_of(st, t);
    for (int s = 0; s < m->S; s++)
        if (sc[s] >= 0 && m->runs[sc[s]].start == s + 1)
            take_out(st, t, sc[s]);
    for (int s = 0; s < m->S; s++)
        sc[s] = day[s] < 0 ? day[s] : IS_FREE;
    for (int s = 0; s < m->S; s++)
        if (day[s] >= 0 && m->runs[day[s]].start == s + 1)
            put(st, t, day[s]);
}

void is_heuristic(is_state *st)
{
    const is_model *m = st->m;
    double *score = cpd_xmalloc((size_t)m->nruns * sizeof(double) + 1);
    memset(st->size, 0, (size_t)m->nruns * sizeof(int));
    memset(st->cancelled, 0, (size_t)m->nruns);
    memset(st->used, 0, (size_t)m->T * m->W);
    cancel_clashes(st);
    for (int t = 0; t < m->T; t++) {
        for (int s = 0; s < m->S; s++)
            sched_of(st, t)[s] = IS_FREE;
        refresh_busy(st, t);
    }
    int *order = placing_order(m);
    for (int i = 0; i < m->T; i++)
        replan(st, order[i], score);
    free(order);
    const double *price = st->price;
    st->price = NULL;
    repair_min_size(st, score);
    local_search(st, score);
    st->price = price;
    free(score);
}
