/* cpd_engine.c — the engine's model store: variables, sparse rows, plans and their checks.
 * Nothing here touches GLPK; building the glp_prob, export and solve are in cpd_engine_glpk.c. */
#include "cpd_engine_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- local ---- */

void *cpd_engine_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("cpdplan: out of memory\n", stderr);
        abort();
    }
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fputs("cpdplan: out of memory\n", stderr);
        abort();
    }
    return q;
}

/* The capacity, doubled from cap, that holds need elements. */
static size_t grown(size_t cap, size_t need)
{
    size_t c = cap ? cap : 16;
    while (c < need)
        c *= 2;
    return c;
}

/* ind and val grow together and share one capacity. */
static void grow_terms(cpd_engine *e, size_t need)
{
    if (need <= e->cap_nnz)
        return;
    e->cap_nnz = grown(e->cap_nnz, need);
    e->ind = xrealloc(e->ind, e->cap_nnz * sizeof *e->ind);
    e->val = xrealloc(e->val, e->cap_nnz * sizeof *e->val);
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(cpd_engine_xmalloc(n), s, n);
}

static size_t add_name(cpd_engine *e, const char *name)
{
    if (!name)
        return CPD_NO_NAME;
    size_t n = strlen(name) + 1;
    if (e->names_len + n > e->names_cap) {
        e->names_cap = grown(e->names_cap, e->names_len + n);
        e->names = xrealloc(e->names, e->names_cap);
    }
    memcpy(e->names + e->names_len, name, n);
    size_t off = e->names_len;
    e->names_len += n;
    return off;
}

/* Keeps the first misuse only: it is the one that explains the rest. */
static void build_error(cpd_engine *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void build_error(cpd_engine *e, const char *fmt, ...)
{
    if (e->build_error)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    e->build_error = xstrdup(buf);
}

/* 1e-6, relative beyond magnitude 1 as GLPK's own tolerances are: a plan GLPK calls feasible
 * on rows with right-hand sides in the thousands passes here too. */
static double tol_for(double rhs) { return CPD_FEAS_TOL * (fabs(rhs) > 1.0 ? fabs(rhs) : 1.0); }

static double row_activity(const cpd_engine *e, const cpd_row *r, const double *x)
{
    double a = 0.0;
    for (size_t k = r->beg; k < r->beg + r->len; k++)
        a += e->val[k] * x[e->ind[k]];
    return a;
}

static bool row_holds(const cpd_row *r, double act)
{
    double t = tol_for(r->rhs);
    switch (r->kind) {
    case CPD_ROW_LE: return act <= r->rhs + t;
    case CPD_ROW_GE: return act >= r->rhs - t;
    case CPD_ROW_EQ: return fabs(act - r->rhs) <= t;
    }
    return false;
}

static bool col_holds(const cpd_engine *e, size_t j, double v)
{
    double lb, ub;
    cpd_engine_col_bounds(e, j, &lb, &ub);
    if (!isfinite(v) || v < lb - tol_for(lb) || v > ub + tol_for(ub))
        return false;
    return !cpd_engine_is_integer(e, j) || fabs(v - round(v)) <= CPD_FEAS_TOL;
}

/* ---- internal interface (cpd_engine_impl.h) ---- */

const char *cpd_engine_label(bool col, size_t k, const char *given, char *buf, size_t len)
{
    if (given && *given)
        return given;
    snprintf(buf, len, "%c%zu", col ? 'x' : 'r', k);
    return buf;
}

void cpd_engine_set_error(cpd_engine *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->error, sizeof e->error, fmt, ap);
    va_end(ap);
}

bool cpd_engine_is_integer(const cpd_engine *e, size_t j)
{
    return e->cols[j].kind != CPD_VAR_CONTINUOUS;
}

void cpd_engine_col_bounds(const cpd_engine *e, size_t j, double *lb, double *ub)
{
    const cpd_col *c = &e->cols[j];
    *lb = c->lb;
    *ub = c->ub;
    if (c->kind == CPD_VAR_BINARY) {
        *lb = *lb > 0.0 ? *lb : 0.0;
        *ub = *ub < 1.0 ? *ub : 1.0;
    }
    if (c->kind != CPD_VAR_CONTINUOUS) {
        /* 1e-9 keeps 2.9999999999 (a sum of decimals) an upper bound of 3, not 2. */
        if (isfinite(*lb))
            *lb = ceil(*lb - 1e-9);
        if (isfinite(*ub))
            *ub = floor(*ub + 1e-9);
    }
}

const char *cpd_engine_col_name(const cpd_engine *e, size_t j)
{
    return e->cols[j].name == CPD_NO_NAME ? NULL : e->names + e->cols[j].name;
}

const char *cpd_engine_row_name(const cpd_engine *e, size_t i)
{
    return e->rows[i].name == CPD_NO_NAME ? NULL : e->names + e->rows[i].name;
}

void cpd_engine_round_integers(const cpd_engine *e, double *x)
{
    for (size_t j = 0; j < e->ncols; j++)
        if (cpd_engine_is_integer(e, j) && fabs(x[j] - round(x[j])) <= CPD_FEAS_TOL)
            x[j] = round(x[j]) + 0.0; /* + 0.0 turns -0.0 into 0.0 */
}

/* A row that names a variable twice would reach GLPK as duplicate matrix entries, a fatal
 * error there; here it is a message naming the row and the variable. */
static bool check_repeats(cpd_engine *e)
{
    size_t *seen = cpd_engine_xmalloc(e->ncols * sizeof *seen);
    for (size_t j = 0; j < e->ncols; j++)
        seen[j] = SIZE_MAX;
    bool ok = true;
    for (size_t i = 0; i < e->nrows && ok; i++) {
        const cpd_row *r = &e->rows[i];
        for (size_t k = r->beg; k < r->beg + r->len; k++) {
            size_t j = (size_t)e->ind[k];
            if (seen[j] == i) {
                char rb[32], cb[32];
                const char *rn = cpd_engine_row_name(e, i), *cn = cpd_engine_col_name(e, j);
                rn = cpd_engine_label(false, i, rn, rb, sizeof rb);
                cn = cpd_engine_label(true, j, cn, cb, sizeof cb);
                cpd_engine_set_error(e, "row %zu (%s) names variable %zu (%s) more than once", i,
                                     rn, j, cn);
                ok = false;
                break;
            }
            seen[j] = i;
        }
    }
    free(seen);
    return ok;
}

bool cpd_engine_check_model(cpd_engine *e)
{
    if (e->build_error) {
        cpd_engine_set_error(e, "%s", e->build_error);
        return false;
    }
    return check_repeats(e);
}

/* ---- interface ---- */

cpd_engine *cpd_engine_new(const char *name, cpd_sense sense)
{
    cpd_engine *e = cpd_engine_xmalloc(sizeof *e);
    memset(e, 0, sizeof *e);
    e->name = xstrdup(name ? name : "cpd");
    e->sense = sense;
    return e;
}

void cpd_engine_free(cpd_engine **p)
{
    if (!p || !*p)
        return;
    cpd_engine *e = *p;
    free(e->name);
    free(e->cols);
    free(e->rows);
    free(e->ind);
    free(e->val);
    free(e->names);
    free(e->build_error);
    free(e->start);
    free(e->x);
    free(e);
    *p = NULL;
}

int cpd_engine_add_var(cpd_engine *e, const char *name, cpd_var_kind kind, double lb, double ub,
                       double obj)
{
    size_t j = e->ncols;
    if (isnan(lb) || isnan(ub) || lb == HUGE_VAL || ub == -HUGE_VAL || !isfinite(obj))
    {
        char b[32];
        build_error(e, "variable %zu (%s): bounds [%g, %g] or objective %g not usable", j,
                    cpd_engine_label(true, j, name, b, sizeof b), lb, ub, obj);
    }
    if (j + 1 > e->cap_cols) {
        e->cap_cols = grown(e->cap_cols, j + 1);
        e->cols = xrealloc(e->cols, e->cap_cols * sizeof *e->cols);
    }
    e->cols[j] = (cpd_col){kind, lb, ub, obj, add_name(e, name)};
    e->ncols++;
    /* A plan sized for fewer variables no longer fits the model. */
    e->has_start = false;
    e->has_x = false;
    return (int)j;
}

int cpd_engine_add_row(cpd_engine *e, const char *name, size_t n, const int *var,
                       const double *coef, cpd_row_kind kind, double rhs)
{
    size_t i = e->nrows;
    char b[32];
    const char *rn = cpd_engine_label(false, i, name, b, sizeof b);
    if (!isfinite(rhs))
        build_error(e, "row %zu (%s): right-hand side %g", i, rn, rhs);
    grow_terms(e, e->nnz + n);
    size_t beg = e->nnz;
    for (size_t k = 0; k < n; k++) {
        if (var[k] < 0 || (size_t)var[k] >= e->ncols) {
            build_error(e, "row %zu (%s): variable index %d out of range (%zu variables)", i, rn,
                        var[k], e->ncols);
            continue;
        }
        if (!isfinite(coef[k])) {
            build_error(e, "row %zu (%s): coefficient %g", i, rn, coef[k]);
            continue;
        }
        if (coef[k] == 0.0)
            continue;
        e->ind[e->nnz] = var[k];
        e->val[e->nnz] = coef[k];
        e->nnz++;
    }
    if (i + 1 > e->cap_rows) {
        e->cap_rows = grown(e->cap_rows, i + 1);
        e->rows = xrealloc(e->rows, e->cap_rows * sizeof *e->rows);
    }
    e->rows[i] = (cpd_row){kind, rhs, beg, e->nnz - beg, add_name(e, name)};
    e->nrows++;
    return (int)i;
}

void cpd_engine_set_obj_constant(cpd_engine *e, double c) { e->c0 = c; }

size_t cpd_engine_nvars(const cpd_engine *e) { return e->ncols; }

size_t cpd_engine_nrows(const cpd_engine *e) { return e->nrows; }

bool cpd_engine_is_feasible(const cpd_engine *e, const double *x)
{
    for (size_t j = 0; j < e->ncols; j++)
        if (!col_holds(e, j, x[j]))
            return false;
    for (size_t i = 0; i < e->nrows; i++)
        if (!row_holds(&e->rows[i], row_activity(e, &e->rows[i], x)))
            return false;
    return true;
}

double cpd_engine_objective_of(const cpd_engine *e, const double *x)
{
    double z = e->c0;
    for (size_t j = 0; j < e->ncols; j++)
        z += e->cols[j].obj * x[j];
    return z;
}

/* The start is kept with its integers rounded exactly (GLPK rejects 0.9999999 for a binary).
 * An infeasible start changes nothing: it is as if it had not been given. */
void cpd_engine_set_start(cpd_engine *e, const double *x)
{
    double *s = cpd_engine_xmalloc((e->ncols ? e->ncols : 1) * sizeof *s);
    if (e->ncols)
        memcpy(s, x, e->ncols * sizeof *s);
    cpd_engine_round_integers(e, s);
    if (!cpd_engine_is_feasible(e, s)) {
        free(s);
        return;
    }
    free(e->start);
    e->start = s;
    e->has_start = true;
}

void cpd_engine_set_heuristic(cpd_engine *e, cpd_heuristic_fn fn, void *ctx)
{
    e->heur = fn;
    e->heur_ctx = ctx;
}

void cpd_engine_set_external_bound(cpd_engine *e, double bound)
{
    e->has_ext_bound = isfinite(bound);
    e->ext_bound = bound;
}

/* 0 for an index out of range or before any plan: callers ask only after a plan. */
double cpd_engine_value(const cpd_engine *e, int var)
{
    if (!e->has_x || var < 0 || (size_t)var >= e->ncols)
        return 0.0;
    return e->x[var];
}

const char *cpd_engine_error(const cpd_engine *e) { return e->error; }

const char *cpd_solve_status_name(cpd_solve_status s)
{
    switch (s) {
    case CPD_SOLVE_OPTIMAL: return "optimal";
    case CPD_SOLVE_FEASIBLE: return "feasible";
    case CPD_SOLVE_NO_PLAN: return "no_plan";
    case CPD_SOLVE_NO_PLAN_YET: return "no_plan_yet";
    case CPD_SOLVE_FAILED: return "failed";
    }
    return "unknown";
}
