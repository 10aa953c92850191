/* inset_model.c — the inset integer program, one function per family of constraints, each with
 * its formula; the README's model section uses the same names.
 *
 * Sets: T staff, S slots 1..S, R runs r = (w, s) occupying slots s..s+len(w)-1; A ⊆ T x R the
 * allowed places (t may attend w at the fairness level, is free in the run's slots, no never
 * pin; a must pin to slot k leaves only the run covering k). Variables: x[t,r] ∈ {0,1} for
 * (t,r) ∈ A; u[t,s] ∈ [0,1] unplaced; z[r] ∈ {0,1} "held" for runs with min_size > 0;
 * m[t,w] ∈ [0,1] a missed mandatory workshop. Objective (maximise):
 *   sum_A len(r) value(t,w(r)) x[t,r] - U sum u[t,s] - M sum m[t,w]. */
#include "inset_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- local: names and row buffers ---- */

typedef struct {
    const is_model *m;
    cpd_engine *e;
    is_layout *lay;
    int *rstart, *rx;   /* per run: its x variables, rx[rstart[r]..rstart[r+1]) */
    int *var;
    double *coef;
    int n;
    char name[256];
} builder;

static const char *sid(const builder *b, int t) { return b->m->p->common->staff[t].id; }
static const char *wid(const builder *b, int r) { return b->m->p->workshops[b->m->runs[r].workshop].id; }

static int add_var(builder *b, cpd_var_kind kind, double lb, double ub, double obj)
{
    if (b->e)
        cpd_engine_add_var(b->e, b->name, kind, lb, ub, obj);
    return b->lay->nvars++;
}

static void term(builder *b, int var, double coef)
{
    b->var[b->n] = var;
    b->coef[b->n++] = coef;
}

static void row(builder *b, cpd_row_kind kind, double rhs)
{
    if (b->e) /* else only counting */
        cpd_engine_add_row(b->e, b->name, (size_t)b->n, b->var, b->coef, kind, rhs);
    b->lay->nrows++;
    b->n = 0;
}

static bool free_in(const is_model *m, int t, const is_run *r)
{
    for (int s = r->start; s < r->start + r->len; s++)
        if (m->fixed_busy[(size_t)t * m->S + s - 1])
            return false;
    return true;
}

static bool in_A(const is_model *m, int t, int r)
{
    const is_run *u = &m->runs[r];
    if (!is_allowed(m, t, u->workshop) || !free_in(m, t, u))
        return false;
    int pin = m->pin[is_tw(m, t, u->workshop)];
    return pin <= 0 || is_run_covers(u, pin);
}

/* The person of x variable j (xstart is increasing). */
static int owner(const is_layout *lay, int T, int j)
{
    int lo = 0, hi = T - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (lay->xstart[mid] <= j)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* ---- local: variables ---- */

/* x[t,r] for (t,r) ∈ A, worth len(r) value(t,w) (a place counts once per slot it fills). */
static void add_place_vars(builder *b)
{
    const is_model *m = b->m;
    is_layout *lay = b->lay;
    for (int t = 0; t < m->T; t++) {
        lay->xstart[t] = lay->nx;
        for (int r = 0; r < m->nruns; r++) {
            if (!in_A(m, t, r))
                continue;
            snprintf(b->name, sizeof b->name, "x[%s,%s,%d]", sid(b, t), wid(b, r), m->runs[r].start);
            double v = m->runs[r].len * m->val[is_tw(m, t, m->runs[r].workshop)];
            lay->xrun[lay->nx++] = r;
            add_var(b, CPD_VAR_BINARY, 0, 1, v);
        }
    }
    lay->xstart[m->T] = lay->nx;
}

/* u[t,s] unplaced (cost U), z[r] held, m[t,w] missed mandatory (cost M). */
static void add_slack_vars(builder *b)
{
    const is_model *m = b->m;
    for (int t = 0; t < m->T; t++)
        for (int s = 1; s <= m->S; s++)
            if (!m->fixed_busy[(size_t)t * m->S + s - 1]) {
                snprintf(b->name, sizeof b->name, "u[%s,%d]", sid(b, t), s);
                b->lay->uvar[(size_t)t * m->S + s - 1] =
                    add_var(b, CPD_VAR_CONTINUOUS, 0, 1, -m->U);
            }
    for (int r = 0; r < m->nruns; r++)
        if (m->runs[r].min > 0) {
            snprintf(b->name, sizeof b->name, "z[%s,%d]", wid(b, r), m->runs[r].start);
            b->lay->zvar[r] = add_var(b, CPD_VAR_BINARY, 0, 1, 0);
        }
    for (int t = 0; t < m->T; t++)
        for (int w = 0; w < m->W; w++)
            if (m->mand[is_tw(m, t, w)]) {
                snprintf(b->name, sizeof b->name, "m[%s,%s]", sid(b, t), m->p->workshops[w].id);
                b->lay->mvar[is_tw(m, t, w)] =
                    add_var(b, CPD_VAR_CONTINUOUS, 0, 1, -m->M);
            }
}

/* ---- local: constraints ---- */

/* one_per_slot: sum_{r ∋ s} x[t,r] + u[t,s] + sum_{r ∋ s delivered by t, cancellable} z[r] = 1
 * for every person free of always-held runs in s (a facilitator of a held run is busy). */
static void add_one_per_slot(builder *b)
{
    const is_model *m = b->m;
    const is_layout *lay = b->lay;
    for (int t = 0; t < m->T; t++)
        for (int s = 1; s <= m->S; s++) {
            int u = lay->uvar[(size_t)t * m->S + s - 1];
            if (u < 0)
                continue;
            for (int j = lay->xstart[t]; j < lay->xstart[t + 1]; j++)
                if (is_run_covers(&m->runs[lay->xrun[j]], s))
                    term(b, j, 1);
            term(b, u, 1);
            for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++)
                if (lay->zvar[m->fruns[k]] >= 0 && is_run_covers(&m->runs[m->fruns[k]], s))
                    term(b, lay->zvar[m->fruns[k]], 1);
            snprintf(b->name, sizeof b->name, "one_per_slot[%s,%d]", sid(b, t), s);
            row(b, CPD_ROW_EQ, 1);
        }
}

/* run_capacity: sum_t x[t,r] <= cap(w) z[r] (cap(w) when the run always holds);
 * run_min: sum_t x[t,r] >= min(w) z[r]; run_held: x[t,r] <= z[r]. */
static void add_run_capacity(builder *b)
{
    const is_model *m = b->m;
    for (int r = 0; r < m->nruns; r++) {
        int z = b->lay->zvar[r];
        for (int k = b->rstart[r]; k < b->rstart[r + 1]; k++)
            term(b, b->rx[k], 1);
        if (z >= 0)
            term(b, z, -m->runs[r].cap);
        snprintf(b->name, sizeof b->name, "run_capacity[%s,%d]", wid(b, r), m->runs[r].start);
        row(b, CPD_ROW_LE, z >= 0 ? 0 : m->runs[r].cap);
        if (z < 0)
            continue;
        for (int k = b->rstart[r]; k < b->rstart[r + 1]; k++)
            term(b, b->rx[k], 1);
        term(b, z, -m->runs[r].min);
        snprintf(b->name, sizeof b->name, "run_min[%s,%d]", wid(b, r), m->runs[r].start);
        row(b, CPD_ROW_GE, 0);
        for (int k = b->rstart[r]; k < b->rstart[r + 1]; k++) {
            term(b, b->rx[k], 1);
            term(b, z, -1);
            snprintf(b->name, sizeof b->name, "run_held[%s,%s,%d]", sid(b, owner(b->lay, m->T, b->rx[k])),
                     wid(b, r), m->runs[r].start);
            row(b, CPD_ROW_LE, 0);
        }
    }
}

/* no_repeat: sum_{r of w} x[t,r] <= 1 (written where t has two runs of w or more);
 * mandatory: sum_{r of w} x[t,r] + m[t,w] >= 1 for w mandatory for t's role;
 * pins: sum_{r of w} x[t,r] = 1 for a must pin (to slot k: only the run covering k is in A). */
static void add_per_workshop(builder *b)
{
    const is_model *m = b->m;
    const is_layout *lay = b->lay;
    for (int t = 0; t < m->T; t++) {
        for (int j = lay->xstart[t]; j < lay->xstart[t + 1];) {
            int w = m->runs[lay->xrun[j]].workshop, q = j;
            while (q < lay->xstart[t + 1] && m->runs[lay->xrun[q]].workshop == w)
                term(b, q++, 1);
            size_t k = is_tw(m, t, w);
            if (m->pin[k] >= 0) {
                snprintf(b->name, sizeof b->name, "pin[%s,%s]", sid(b, t), m->p->workshops[w].id);
                row(b, CPD_ROW_EQ, 1);
            } else if (q - j >= 2) {
                snprintf(b->name, sizeof b->name, "no_repeat[%s,%s]", sid(b, t), m->p->workshops[w].id);
                row(b, CPD_ROW_LE, 1);
            }
            b->n = 0;
            j = q;
        }
        for (int w = 0; w < m->W; w++) {
            int mv = lay->mvar[is_tw(m, t, w)];
            if (mv < 0)
                continue;
            for (int j = lay->xstart[t]; j < lay->xstart[t + 1]; j++)
                if (m->runs[lay->xrun[j]].workshop == w)
                    term(b, j, 1);
            term(b, mv, 1);
            snprintf(b->name, sizeof b->name, "mandatory[%s,%s]", sid(b, t), m->p->workshops[w].id);
            row(b, CPD_ROW_GE, 1);
        }
    }
}

static void index_runs(builder *b)
{
    const is_model *m = b->m;
    const is_layout *lay = b->lay;
    b->rstart = cpd_xcalloc((size_t)m->nruns + 2, sizeof(int));
    for (int j = 0; j < lay->nx; j++)
        b->rstart[lay->xrun[j] + 2]++;
    for (int r = 0; r < m->nruns; r++)
        b->rstart[r + 2] += b->rstart[r + 1];
    b->rx = cpd_xmalloc((size_t)lay->nx * sizeof(int) + 1);
    for (int j = 0; j < lay->nx; j++)
        b->rx[b->rstart[lay->xrun[j] + 1]++] = j;
}

/* ---- interface ---- */

/* The model into e, or only its layout and size when e is NULL. */
static void build(const is_model *m, is_layout *lay, cpd_engine *e)
{
    size_t ts = (size_t)m->T * m->S + 1, tw = (size_t)m->T * m->W + 1;
    *lay = (is_layout){.xstart = cpd_xmalloc(((size_t)m->T + 1) * sizeof(int)),
                       .xrun = cpd_xmalloc(((size_t)m->T * m->nruns + 1) * sizeof(int)),
                       .uvar = cpd_xmalloc(ts * sizeof(int)),
                       .zvar = cpd_xmalloc(((size_t)m->nruns + 1) * sizeof(int)),
                       .mvar = cpd_xmalloc(tw * sizeof(int))};
    for (size_t i = 0; i < ts; i++)
        lay->uvar[i] = -1;
    for (int r = 0; r <= m->nruns; r++)
        lay->zvar[r] = -1;
    for (size_t i = 0; i < tw; i++)
        lay->mvar[i] = -1;
    int width = m->T + m->nruns + m->W + 8;
    builder b = {.m = m, .e = e, .lay = lay,
                 .var = cpd_xmalloc((size_t)width * sizeof(int)),
                 .coef = cpd_xmalloc((size_t)width * sizeof(double))};
    add_place_vars(&b);
    add_slack_vars(&b);
    index_runs(&b);
    add_one_per_slot(&b);
    add_run_capacity(&b);
    add_per_workshop(&b);
    free(b.var);
    free(b.coef);
    free(b.rstart);
    free(b.rx);
}

cpd_engine *is_build_engine(const is_model *m, is_layout *lay)
{
    cpd_engine *e = cpd_engine_new("inset", CPD_MAXIMIZE);
    build(m, lay, e);
    return e;
}

void is_model_size(const is_model *m, int *nx, int *nvars, int *nrows)
{
    is_layout lay;
    build(m, &lay, NULL);
    *nx = lay.nx;
    *nvars = lay.nvars;
    *nrows = lay.nrows;
    is_layout_free(&lay);
}

void is_layout_free(is_layout *lay)
{
    free(lay->xstart);
    free(lay->xrun);
    free(lay->uvar);
    free(lay->zvar);
    free(lay->mvar);
    *lay = (is_layout){0};
}

void is_state_to_x(const is_state *st, const is_layout *lay, double *x)
{
    const is_model *m = st->m;
    for (int i = 0; i < lay->nvars; i++)
        x[i] = 0;
    for (int t = 0; t < m->T; t++) {
        const int *sc = &st->sched[(size_t)t * m->S];
        for (int j = lay->xstart[t]; j < lay->xstart[t + 1]; j++) {
            const is_run *r = &m->runs[lay->xrun[j]];
            x[j] = sc[r->start - 1] == lay->xrun[j];
        }
        for (int s = 0; s < m->S; s++)
            if (lay->uvar[(size_t)t * m->S + s] >= 0)
                x[lay->uvar[(size_t)t * m->S + s]] = sc[s] == IS_FREE;
        for (int w = 0; w < m->W; w++)
            if (lay->mvar[is_tw(m, t, w)] >= 0)
                x[lay->mvar[is_tw(m, t, w)]] = !st->used[is_tw(m, t, w)];
    }
    for (int r = 0; r < m->nruns; r++)
        if (lay->zvar[r] >= 0)
            x[lay->zvar[r]] = !st->cancelled[r];
}

void is_state_from_x(is_state *st, const is_layout *lay, const double *x)
{
    const is_model *m = st->m;
    for (int r = 0; r < m->nruns; r++) {
        st->size[r] = 0;
        st->cancelled[r] = lay->zvar[r] >= 0 && x[lay->zvar[r]] < 0.5;
    }
    for (size_t i = 0; i < (size_t)m->T * m->W; i++)
        st->used[i] = 0;
    for (int t = 0; t < m->T; t++) {
        int *sc = &st->sched[(size_t)t * m->S];
        for (int s = 0; s < m->S; s++)
            sc[s] = IS_FREE;
        for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++) {
            const is_run *u = &m->runs[m->fruns[k]];
            if (!st->cancelled[m->fruns[k]])
                for (int s = u->start; s < u->start + u->len; s++)
                    sc[s - 1] = IS_BUSY;
        }
        for (int j = lay->xstart[t]; j < lay->xstart[t + 1]; j++) {
            if (x[j] < 0.5)
                continue;
            int r = lay->xrun[j];
            const is_run *u = &m->runs[r];
            for (int s = u->start; s < u->start + u->len; s++)
                sc[s - 1] = r;
            st->size[r]++;
            st->used[is_tw(m, t, u->workshop)] = 1;
        }
    }
}
