/* cpd_engine_glpk.c — the engine's GLPK room: the error guard, building the glp_prob, model
 * export, and the solve (LP relaxation, then branch-and-bound fed with the job's plans). */
#include "cpd_engine_impl.h"

#include <glpk.h>

#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the guard: GLPK's fatal errors and terminal output ---- */

typedef struct {
    jmp_buf jb;
    char tail[1024]; /* the last output GLPK produced, for its error message */
    size_t len;
    void (*on_output)(void *arg);
    void *arg;
} guard_state;

/* Keeps the last sizeof tail - 1 characters GLPK wrote; returning 1 tells GLPK not to print. */
static int term_hook(void *info, const char *s)
{
    guard_state *g = info;
    size_t cap = sizeof g->tail - 1, n = strlen(s);
    if (n > cap) {
        s += n - cap;
        n = cap;
    }
    if (g->len + n > cap) {
        size_t drop = g->len + n - cap;
        memmove(g->tail, g->tail + drop, g->len - drop);
        g->len -= drop;
    }
    memcpy(g->tail + g->len, s, n);
    g->len += n;
    g->tail[g->len] = '\0';
    if (g->on_output)
        g->on_output(g->arg);
    return 1;
}

static void error_hook(void *info) { longjmp(((guard_state *)info)->jb, 1); }

/* The last line GLPK wrote before its "Error detected in file ..." trailer (or at all). */
static void last_message(guard_state *g, char *msg, size_t msg_len)
{
    char *end = strstr(g->tail, "Error detected in file");
    size_t n = end ? (size_t)(end - g->tail) : g->len;
    while (n > 0 && (g->tail[n - 1] == '\n' || g->tail[n - 1] == ' '))
        n--;
    size_t b = n;
    while (b > 0 && g->tail[b - 1] != '\n')
        b--;
    snprintf(msg, msg_len, "%.*s", (int)(n - b), g->tail + b);
}

bool cpd_glpk_guarded(void (*fn)(void *arg), void (*on_output)(void *arg), void *arg, char *msg,
                      size_t msg_len)
{
    /* On the heap: the hooks change it between setjmp and longjmp, which would leave an
     * automatic variable of this function indeterminate. */
    guard_state *g = cpd_engine_xmalloc(sizeof *g);
    g->len = 0;
    g->tail[0] = '\0';
    g->on_output = on_output;
    g->arg = arg;
    bool ok;
    /* Output stays on so that GLPK's messages reach the hook, which swallows them all. */
    glp_term_out(GLP_ON);
    glp_term_hook(term_hook, g);
    glp_error_hook(error_hook, g);
    if (setjmp(g->jb) == 0) {
        fn(arg);
        glp_error_hook(NULL, NULL);
        glp_term_hook(NULL, NULL);
        glp_term_out(GLP_OFF);
        ok = true;
    } else {
        /* GLPK's state is undefined after a fatal error; its manual asks for glp_free_env,
         * which also removes the hooks and frees every glp_prob (the engine keeps none). */
        glp_free_env();
        ok = false;
    }
    last_message(g, msg, msg_len);
    free(g);
    return ok;
}

/* ---- building the glp_prob ---- */

/* The matrix arrays live outside GLPK so that they are freed even after a fatal error. */
typedef struct {
    int *ia, *ja;
    double *ar;
} triplets;

static void triplets_free(triplets *t)
{
    free(t->ia);
    free(t->ja);
    free(t->ar);
    *t = (triplets){0};
}

static int bound_type(double lb, double ub)
{
    if (isinf(lb) && isinf(ub))
        return GLP_FR;
    if (isinf(ub))
        return GLP_LO;
    if (isinf(lb))
        return GLP_UP;
    return lb == ub ? GLP_FX : GLP_DB;
}

static void build_cols(const cpd_engine *e, glp_prob *P)
{
    for (size_t j = 0; j < e->ncols; j++) {
        int gj = (int)j + 1;
        double lb, ub;
        cpd_engine_col_bounds(e, j, &lb, &ub);
        /* GLP_IV, not GLP_BV: GLP_BV would reset the bounds of a binary fixed by a pin. */
        glp_set_col_kind(P, gj, cpd_engine_is_integer(e, j) ? GLP_IV : GLP_CV);
        glp_set_col_bnds(P, gj, bound_type(lb, ub), isinf(lb) ? 0.0 : lb, isinf(ub) ? 0.0 : ub);
        glp_set_obj_coef(P, gj, e->cols[j].obj);
    }
}

static void build_rows(const cpd_engine *e, glp_prob *P, triplets *t)
{
    static const int type[] = {[CPD_ROW_LE] = GLP_UP, [CPD_ROW_GE] = GLP_LO, [CPD_ROW_EQ] = GLP_FX};
    for (size_t i = 0; i < e->nrows; i++)
        glp_set_row_bnds(P, (int)i + 1, type[e->rows[i].kind], e->rows[i].rhs, e->rows[i].rhs);
    t->ia = cpd_engine_xmalloc((e->nnz + 1) * sizeof *t->ia);
    t->ja = cpd_engine_xmalloc((e->nnz + 1) * sizeof *t->ja);
    t->ar = cpd_engine_xmalloc((e->nnz + 1) * sizeof *t->ar);
    size_t k = 1;
    for (size_t i = 0; i < e->nrows; i++)
        for (size_t q = e->rows[i].beg; q < e->rows[i].beg + e->rows[i].len; q++, k++) {
            t->ia[k] = (int)i + 1;
            t->ja[k] = e->ind[q] + 1;
            t->ar[k] = e->val[q];
        }
    glp_load_matrix(P, (int)e->nnz, t->ia, t->ja, t->ar);
}

/* One glp_add_cols, one glp_add_rows, one glp_load_matrix: adding rows one at a time costs
 * GLPK a reallocation each. const_col adds the objective constant as a column fixed at 1
 * (see export below); otherwise the constant is GLPK's own objective term 0. */
static glp_prob *build_prob(const cpd_engine *e, triplets *t, bool const_col)
{
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, e->sense == CPD_MAXIMIZE ? GLP_MAX : GLP_MIN);
    int n = (int)e->ncols + (const_col ? 1 : 0);
    if (n > 0)
        glp_add_cols(P, n);
    if (e->nrows > 0)
        glp_add_rows(P, (int)e->nrows);
    build_cols(e, P);
    build_rows(e, P, t);
    if (const_col) {
        glp_set_col_bnds(P, n, GLP_FX, 1.0, 1.0);
        glp_set_obj_coef(P, n, e->c0);
    } else {
        glp_set_obj_coef(P, 0, e->c0);
    }
    return P;
}

/* ---- export: names ---- */

#define NAME_MAX_LEN 255 /* GLPK's limit for a symbolic name */

/* Names valid in both CPLEX LP and free MPS: [A-Za-z0-9_.[],] only, not starting with a digit
 * or a period (GLPK's LP writer would replace such a name by a generic one that could clash),
 * and not a word the LP reader takes for infinity or a free bound. */
static char *sanitize(const char *in)
{
    char *s = cpd_engine_xmalloc(NAME_MAX_LEN + 1);
    size_t n = 0;
    if (in[0] == '.' || (in[0] >= '0' && in[0] <= '9'))
        s[n++] = '_';
    for (; *in && n < NAME_MAX_LEN; in++) {
        char ch = *in;
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || strchr("_.[],", ch);
        s[n++] = ok ? ch : '_';
    }
    s[n] = '\0';
    static const char *reserved[] = {"inf", "infinity", "free"};
    for (size_t r = 0; r < sizeof reserved / sizeof *reserved; r++) {
        bool same = strlen(s) == strlen(reserved[r]);
        for (size_t k = 0; same && s[k]; k++)
            same = (s[k] | 0x20) == reserved[r][k];
        if (same)
            strcat(s, "_");
    }
    return s;
}

typedef struct {
    const char *s;
    size_t i;
} name_ref;

static int cmp_name_ref(const void *a, const void *b)
{
    const name_ref *x = a, *y = b;
    int c = strcmp(x->s, y->s);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* One pass: every name equal to an earlier one (by index) gets "_<index>" appended. Returns
 * whether any name had to change. */
static bool rename_duplicates(char **names, size_t m)
{
    name_ref *r = cpd_engine_xmalloc(m * sizeof *r);
    for (size_t k = 0; k < m; k++)
        r[k] = (name_ref){names[k], k};
    qsort(r, m, sizeof *r, cmp_name_ref);
    bool changed = false;
    size_t first = 0;
    for (size_t k = 1; k < m; k++) {
        if (strcmp(r[k].s, r[first].s) != 0) {
            first = k;
            continue;
        }
        char suffix[32];
        int sl = snprintf(suffix, sizeof suffix, "_%zu", r[k].i);
        char *s = names[r[k].i];
        size_t keep = strlen(s) + (size_t)sl > NAME_MAX_LEN ? NAME_MAX_LEN - (size_t)sl : strlen(s);
        strcpy(s + keep, suffix);
        changed = true;
    }
    free(r);
    return changed;
}

/* Makes the m names unique, deterministically; names a suffix could not separate (after a few
 * passes) are all replaced by prefix<index>, which are unique by construction. */
static void make_unique(char **names, size_t m, char prefix)
{
    for (int pass = 0; pass < 4; pass++)
        if (!rename_duplicates(names, m))
            return;
    for (size_t k = 0; k < m; k++)
        snprintf(names[k], NAME_MAX_LEN + 1, "%c%zu", prefix, k);
}

typedef struct {
    char **cols; /* ncols + 1: the last one names the objective-constant column */
    char **rows; /* nrows + 1: the first one names the objective */
    size_t ncols, nrows;
} export_names;

static char *default_name(char prefix, size_t k)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%c%zu", prefix, k);
    return sanitize(buf);
}

static void names_make(const cpd_engine *e, export_names *nm)
{
    nm->ncols = e->ncols + 1;
    nm->nrows = e->nrows + 1;
    nm->cols = cpd_engine_xmalloc(nm->ncols * sizeof *nm->cols);
    nm->rows = cpd_engine_xmalloc(nm->nrows * sizeof *nm->rows);
    for (size_t j = 0; j < e->ncols; j++) {
        const char *n = cpd_engine_col_name(e, j);
        nm->cols[j] = n && *n ? sanitize(n) : default_name('x', j);
    }
    nm->cols[e->ncols] = sanitize("obj_constant");
    nm->rows[0] = sanitize("obj");
    for (size_t i = 0; i < e->nrows; i++) {
        const char *n = cpd_engine_row_name(e, i);
        nm->rows[i + 1] = n && *n ? sanitize(n) : default_name('r', i);
    }
    make_unique(nm->cols, nm->ncols, 'C');
    make_unique(nm->rows, nm->nrows, 'R');
}

static void names_free(export_names *nm)
{
    for (size_t k = 0; nm->cols && k < nm->ncols; k++)
        free(nm->cols[k]);
    for (size_t k = 0; nm->rows && k < nm->nrows; k++)
        free(nm->rows[k]);
    free(nm->cols);
    free(nm->rows);
    *nm = (export_names){0};
}

/* ---- export ---- */

typedef struct {
    const cpd_engine *e;
    const char *path;
    bool lp_format;
    export_names names;
    triplets t;
    bool negate; /* MPS of a maximisation: written as min of -objective */
    int ret;     /* of glp_write_lp / glp_write_mps */
} export_job;

static void export_run(void *arg)
{
    export_job *j = arg;
    char *pname = sanitize(j->e->name);
    /* A zero constant gets no column: CBC refuses an empty column in MPS. */
    glp_prob *P = build_prob(j->e, &j->t, j->e->c0 != 0);
    if (j->negate) {
        for (int c = 0; c <= glp_get_num_cols(P); c++)
            glp_set_obj_coef(P, c, -glp_get_obj_coef(P, c));
        glp_set_obj_dir(P, GLP_MIN);
    }
    glp_set_prob_name(P, pname);
    free(pname);
    glp_set_obj_name(P, j->names.rows[0]);
    for (int c = 0; c < glp_get_num_cols(P); c++)
        glp_set_col_name(P, c + 1, j->names.cols[c]);
    for (size_t r = 1; r < j->names.nrows; r++)
        glp_set_row_name(P, (int)r, j->names.rows[r]);
    j->ret = j->lp_format ? glp_write_lp(P, NULL, j->path)
                          : glp_write_mps(P, GLP_MPS_FILE, NULL, j->path);
    glp_delete_prob(P);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* MPS has no sense record that every reader takes (glpsol rejects OBJSENSE, CBC 2.10 ignores
 * it), so a maximisation is written as the equivalent minimisation of the negated objective,
 * and a comment line at the top says so: the file's optimum is minus the plan's objective. */
static bool add_negated_note(const char *from, const char *to)
{
    FILE *in = fopen(from, "r"), *out = fopen(to, "w");
    bool ok = in && out;
    if (ok)
        ok = fputs("* cpdplan: the model maximises; this file minimises the negated objective,"
                   " so its optimum is minus the plan's objective (the .lp export keeps"
                   " maximize)\n", out) != EOF;
    char buf[8192];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in && ferror(in))
        ok = false;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = false;
    return ok;
}

/* The exported model is the one solved, with one difference of form: the objective constant
 * is a column obj_constant fixed at 1 (LP format has no constant term, and MPS readers
 * disagree on the sign of an objective right-hand side). Written under a temporary name and
 * renamed, so the file is whole or absent. */
bool cpd_engine_export(cpd_engine *e, const char *path)
{
    e->error[0] = '\0';
    if (!cpd_engine_check_model(e))
        return false;
    size_t pl = strlen(path);
    char *part = cpd_engine_xmalloc(pl + 8), *tmp = cpd_engine_xmalloc(pl + 8);
    snprintf(part, pl + 8, "%s.part", path);
    snprintf(tmp, pl + 8, "%s.tmp", path);
    export_job j = {.e = e, .path = part, .lp_format = ends_with(path, ".lp")};
    j.negate = !j.lp_format && e->sense == CPD_MAXIMIZE;
    names_make(e, &j.names);
    char msg[512];
    bool ok = cpd_glpk_guarded(export_run, NULL, &j, msg, sizeof msg);
    names_free(&j.names);
    triplets_free(&j.t);
    if (!ok || j.ret != 0) {
        cpd_engine_set_error(e, "cannot write the model to '%s': %s", path, msg);
        ok = false;
    } else if (j.negate) {
        ok = add_negated_note(part, tmp) && rename(tmp, path) == 0;
        if (!ok)
            cpd_engine_set_error(e, "cannot write the model to '%s'", path);
    } else if (rename(part, path) != 0) {
        cpd_engine_set_error(e, "cannot rename '%s' to '%s'", part, path);
        ok = false;
    }
    remove(part);
    remove(tmp);
    free(part);
    free(tmp);
    return ok;
}

/* ---- solve: state ---- */

/* The user heuristic runs at the root and then once per HEUR_EVERY new subproblems: a job's
 * heuristic usually costs far more than a node's LP, and a plan from the same LP values a few
 * nodes later rarely differs. 50 keeps it under a few per cent of the search on our models. */
#define HEUR_EVERY 50

typedef enum {
    LP_NOT_RUN,
    LP_OPTIMAL,
    LP_TIMEOUT,
    LP_INFEASIBLE,
    LP_UNBOUNDED,
    LP_FAILED
} lp_outcome;

typedef struct {
    cpd_engine *e;
    cpd_solve_opts opts;
    struct timespec t0;
    double deadline; /* seconds since t0; INFINITY when no limit */
    triplets t;
    double *buf1;    /* ncols + 1, GLPK's 1-based plan for glp_ios_heur_sol */
    double *lp, *hx; /* ncols each: LP values and the heuristic's plan */

    lp_outcome lp_out;
    int lp_ret;
    double lp_bound, lp_seconds;

    bool mip_run;
    int mip_ret, mip_status;
    double *gx; /* GLPK's plan (ncols), when has_gx */
    bool has_gx, gx_from_heur;
    double mip_seconds;

    /* tracked from the callback */
    bool has_tree_bound, has_inc;
    double tree_bound, inc;
    int nodes;
    bool start_fed;
    int heur_calls, heur_node;
    double heur_secs; /* the longest call of the job's heuristic so far */
    bool heur_accepted;
    double heur_obj; /* GLPK's incumbent value right after it took our last plan */
    double last_print;
    bool printed;
    int last_len;
} solve_ctx;

static double elapsed(const solve_ctx *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - c->t0.tv_sec) + 1e-9 * (double)(now.tv_nsec - c->t0.tv_nsec);
}

/* GLPK's tm_lim in milliseconds for what is left; 0 when nothing is. */
static int remaining_ms(const solve_ctx *c)
{
    if (isinf(c->deadline))
        return INT_MAX;
    double ms = (c->deadline - elapsed(c)) * 1000.0;
    if (ms < 1.0)
        return 0;
    return ms > (double)INT_MAX ? INT_MAX : (int)ms;
}

static bool is_max(const solve_ctx *c) { return c->e->sense == CPD_MAXIMIZE; }

/* Whether a is better than b as a plan objective, in the sense of the model. */
static bool better(const solve_ctx *c, double a, double b) { return is_max(c) ? a > b : a < b; }

/* The tighter of two valid bounds. */
static double tighter(const solve_ctx *c, double a, double b)
{
    return is_max(c) ? (a < b ? a : b) : (a > b ? a : b);
}

static double rel_gap(double bound, double obj)
{
    double d = fabs(obj) > 1e-9 ? fabs(obj) : 1e-9;
    return fabs(bound - obj) / d;
}

/* ---- solve: the LP relaxation ---- */

static void solve_lp(solve_ctx *c, glp_prob *P)
{
    int ms = remaining_ms(c);
    if (ms == 0) {
        c->lp_out = LP_TIMEOUT;
        return;
    }
    double t = elapsed(c);
    glp_smcp sp;
    glp_init_smcp(&sp);
    /* With progress on, the simplex's own log (swallowed by the guard) is the heartbeat that
     * keeps the progress line moving through a long LP; see lp_output. */
    sp.msg_lev = c->opts.progress ? GLP_MSG_ON : GLP_MSG_OFF;
    sp.out_frq = 500; /* ms */
    sp.tm_lim = ms;
    /* Measured on a deployment-like model (29k binaries, 30k rows, 94k non-zeros, mostly
     * y <= z links): dual simplex 50 s, primal 56-72 s, dual with the long-step ratio test
     * 30 s (17k binaries: 20 s, 30 s, 9 s). Binaries are boxed, which is what the long step
     * exploits. The presolver costs nothing measurable and drops fixed columns and empty rows. */
    sp.meth = GLP_DUALP;
    sp.r_test = GLP_RT_FLIP;
    sp.presolve = GLP_ON;
    int ret = glp_simplex(P, &sp);
    if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_ENOPFS && ret != GLP_ENODFS) {
        /* A numerical failure of the presolved dual: once more, plain primal from scratch. */
        sp.presolve = GLP_OFF;
        sp.meth = GLP_PRIMAL;
        sp.tm_lim = remaining_ms(c) > 0 ? remaining_ms(c) : 1;
        glp_std_basis(P);
        ret = glp_simplex(P, &sp);
    }
    c->lp_ret = ret;
    c->lp_seconds = elapsed(c) - t;
    int st = glp_get_status(P);
    if (ret == GLP_ETMLIM)
        c->lp_out = LP_TIMEOUT;
    else if (ret == GLP_ENOPFS || (ret == 0 && st == GLP_NOFEAS))
        c->lp_out = LP_INFEASIBLE;
    else if (ret == GLP_ENODFS || (ret == 0 && st == GLP_UNBND))
        c->lp_out = LP_UNBOUNDED;
    else if (ret == 0 && st == GLP_OPT) {
        c->lp_out = LP_OPTIMAL;
        c->lp_bound = glp_get_obj_val(P);
    } else
        c->lp_out = LP_FAILED;
}

/* Called on every line GLPK writes (only the LP relaxation writes any): a chance to refresh the
 * progress line while the simplex runs, which has no callback of its own. */
static void progress(solve_ctx *c, bool final);
static void lp_output(void *arg) { progress(arg, false); }

/* ---- solve: the branch-and-bound callback ---- */

/* Hands GLPK a plan (0-based, integers exact); GLPK keeps it only if it beats its incumbent. */
static void hand_plan(solve_ctx *c, glp_tree *T, const double *x)
{
    size_t n = c->e->ncols;
    memcpy(c->buf1 + 1, x, n * sizeof *x);
    if (glp_ios_heur_sol(T, c->buf1) == 0) {
        c->heur_accepted = true;
        c->heur_obj = glp_mip_obj_val(glp_ios_get_prob(T));
    }
}

/* Calls the job's heuristic with the node's LP values; x starts as the best plan known (GLPK's
 * incumbent, else the start, else zeros), so a heuristic may improve on it. */
static void run_heuristic(solve_ctx *c, glp_tree *T)
{
    cpd_engine *e = c->e;
    glp_prob *P = glp_ios_get_prob(T);
    bool inc = glp_mip_status(P) == GLP_FEAS;
    for (size_t j = 0; j < e->ncols; j++) {
        c->lp[j] = glp_get_col_prim(P, (int)j + 1);
        c->hx[j] = inc ? glp_mip_col_val(P, (int)j + 1) : e->has_start ? e->start[j] : 0.0;
    }
    c->heur_calls++;
    double t = elapsed(c);
    bool found = e->heur(e->heur_ctx, c->lp, c->hx, e->ncols);
    c->heur_secs = fmax(c->heur_secs, elapsed(c) - t);
    if (!found)
        return;
    cpd_engine_round_integers(e, c->hx);
    if (cpd_engine_is_feasible(e, c->hx))
        hand_plan(c, T, c->hx);
}

static void offer_plans(solve_ctx *c, glp_tree *T)
{
    if (!c->start_fed) {
        c->start_fed = true;
        if (c->e->has_start)
            hand_plan(c, T, c->e->start);
    }
    /* A call that could outlast the time left is not made: GLPK cannot stop it. */
    bool time_left = c->deadline - elapsed(c) > 2.0 * c->heur_secs;
    if (c->e->heur && time_left && (c->heur_calls == 0 || c->nodes - c->heur_node >= HEUR_EVERY)) {
        c->heur_node = c->nodes;
        run_heuristic(c, T);
    }
}

static void track(solve_ctx *c, glp_tree *T)
{
    int active, live, total;
    glp_ios_tree_size(T, &active, &live, &total);
    c->nodes = total;
    glp_prob *P = glp_ios_get_prob(T);
    if (glp_mip_status(P) == GLP_FEAS) {
        c->has_inc = true;
        c->inc = glp_mip_obj_val(P);
    }
    int best = glp_ios_best_node(T);
    if (best == 0)
        return;
    /* Every bound seen was valid when seen and stays valid; keep the tightest. */
    double b = glp_ios_node_bound(T, best);
    if (fabs(b) >= 0.5 * DBL_MAX)
        return; /* the root before its LP: no bound yet */
    c->tree_bound = c->has_tree_bound ? tighter(c, c->tree_bound, b) : b;
    c->has_tree_bound = true;
}

/* GLPK's best bound so far: the root LP's, tightened by the tree's. */
static bool glpk_bound(const solve_ctx *c, double *b)
{
    bool has = c->lp_out == LP_OPTIMAL;
    *b = c->lp_bound;
    if (c->has_tree_bound) {
        *b = has ? tighter(c, *b, c->tree_bound) : c->tree_bound;
        has = true;
    }
    return has;
}

/* The best bound known: GLPK's and the external one, the tighter. An external "bound" that a
 * plan (of value obj, when has_plan) beats is no bound, and is left out. */
static bool current_bound(const solve_ctx *c, bool has_plan, double obj, double *b)
{
    bool has = glpk_bound(c, b);
    double ext = c->e->ext_bound;
    if (c->e->has_ext_bound && !(has_plan && better(c, obj, ext))) {
        *b = has ? tighter(c, *b, ext) : ext;
        has = true;
    }
    return has;
}

static void fmt_value(char *buf, size_t len, bool has, double v)
{
    if (has)
        snprintf(buf, len, "%.1f", v);
    else
        snprintf(buf, len, "-");
}

/* "  3.0s  plan 12345.0  bound 12400.0  gap 0.44%", rewritten in place with \r. */
static void progress(solve_ctx *c, bool final)
{
    if (!c->opts.progress)
        return;
    double now = elapsed(c);
    if (final ? !c->printed : now - c->last_print < 1.0)
        return;
    c->last_print = now;
    double b, obj = c->inc;
    bool has_plan = c->has_inc;
    if (c->e->has_start) {
        double s = cpd_engine_objective_of(c->e, c->e->start);
        obj = has_plan && !better(c, s, obj) ? obj : s;
        has_plan = true;
    }
    bool has_b = current_bound(c, has_plan, obj, &b);
    char p[32], bs[32], g[32];
    fmt_value(p, sizeof p, has_plan, obj);
    fmt_value(bs, sizeof bs, has_b, b);
    if (has_plan && has_b)
        snprintf(g, sizeof g, "%.2f%%", 100.0 * rel_gap(b, obj));
    else
        snprintf(g, sizeof g, "-");
    char line[160];
    int n = snprintf(line, sizeof line, "%6.1fs  plan %s  bound %s  gap %s%s", now, p, bs, g,
                     c->mip_run ? "" : "  (LP relaxation)");
    /* Spaces wipe what is left of a longer previous line. */
    int pad = c->last_len > n ? c->last_len - n : 0;
    fprintf(stderr, "\r%s%*s%s", line, pad, "", final ? "\n" : "");
    fflush(stderr);
    c->last_len = n;
    c->printed = true;
}

/* Stops the search at the deadline (GLPK checks its own tm_lim only between nodes) and when the
 * external bound already proves the requested gap. */
static void maybe_stop(solve_ctx *c, glp_tree *T)
{
    if (elapsed(c) >= c->deadline) {
        glp_ios_terminate(T);
        return;
    }
    double b;
    if (!c->e->has_ext_bound || !c->has_inc || !current_bound(c, true, c->inc, &b))
        return;
    double target = c->opts.gap > 0.0 ? c->opts.gap : 1e-9;
    if (rel_gap(b, c->inc) <= target || !better(c, b, c->inc))
        glp_ios_terminate(T);
}

static void callback(glp_tree *T, void *info)
{
    solve_ctx *c = info;
    track(c, T);
    if (glp_ios_reason(T) == GLP_IHEUR)
        offer_plans(c, T);
    progress(c, false);
    maybe_stop(c, T);
}

/* ---- solve: branch-and-bound ---- */

static void read_mip(solve_ctx *c, glp_prob *P)
{
    c->mip_status = glp_mip_status(P);
    if (c->mip_status != GLP_OPT && c->mip_status != GLP_FEAS)
        return;
    for (size_t j = 0; j < c->e->ncols; j++)
        c->gx[j] = glp_mip_col_val(P, (int)j + 1);
    cpd_engine_round_integers(c->e, c->gx);
    c->has_gx = true;
    /* GLPK takes only strictly better plans, so an unchanged value means our plan survived. */
    c->gx_from_heur = c->heur_accepted && glp_mip_obj_val(P) == c->heur_obj;
}

static void solve_mip(solve_ctx *c, glp_prob *P)
{
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    /* Off so that the tree's columns are the model's, as glp_ios_heur_sol needs; the LP
     * presolver has already done the useful reductions for the relaxation. */
    ip.presolve = GLP_OFF;
    int ms = remaining_ms(c);
    ip.tm_lim = ms > 0 ? ms : 1;
    ip.mip_gap = c->opts.gap > 0.0 ? c->opts.gap : 0.0;
    ip.cb_func = callback;
    ip.cb_info = c;
    /* Measured on OR-Library GAP instances (gap12 #1, #3, #5; c10100; d05100; d10100), 5 s each:
     * with no cuts none is solved (gaps 0.35-7.2%); with all four cut families the three gap12
     * instances are proven optimal in 0.3-1.9 s and c10100 ends at 0.21% (7.2% without); MIR or
     * GMI alone, or cover and clique alone, do worse. Driebeck-Tomlin branching with best local
     * bound backtracking beat pseudocost (which found no plan at all on three of six), depth
     * first and best projection. The feasibility pump changed nothing; proximity search ignored
     * the time limit (its own 60 s), so both stay off. */
    ip.br_tech = GLP_BR_DTH;
    ip.bt_tech = GLP_BT_BLB;
    ip.cov_cuts = GLP_ON;
    ip.clq_cuts = GLP_ON;
    ip.mir_cuts = GLP_ON;
    ip.gmi_cuts = GLP_ON;
    double t = elapsed(c);
    c->mip_run = true;
    c->mip_ret = glp_intopt(P, &ip);
    c->mip_seconds = elapsed(c) - t;
    read_mip(c, P);
}

static void solve_run(void *arg)
{
    solve_ctx *c = arg;
    glp_prob *P = build_prob(c->e, &c->t, false);
    solve_lp(c, P);
    if (c->lp_out == LP_OPTIMAL)
        solve_mip(c, P);
    glp_delete_prob(P);
}

/* ---- solve: the result ---- */

/* The objective is integral when every costed column is integer with an integral cost; a
 * bound can then be rounded towards the plans (a bound of 100.3 on a minimum means 101). */
static bool integral_objective(const cpd_engine *e)
{
    if (fabs(e->c0 - round(e->c0)) > 1e-9)
        return false;
    for (size_t j = 0; j < e->ncols; j++) {
        double o = e->cols[j].obj;
        if (o != 0.0 && (!cpd_engine_is_integer(e, j) || fabs(o - round(o)) > 1e-9))
            return false;
    }
    return true;
}

/* The best plan: the start, or GLPK's if strictly better. */
static const double *pick_plan(const solve_ctx *c, bool *from_heur)
{
    const cpd_engine *e = c->e;
    const double *x = e->has_start ? e->start : NULL;
    *from_heur = x != NULL;
    if (c->has_gx &&
        (!x || better(c, cpd_engine_objective_of(e, c->gx), cpd_engine_objective_of(e, x)))) {
        x = c->gx;
        *from_heur = c->gx_from_heur;
    }
    return x;
}

/* GLPK's proven bound: its optimum when it proved one, else the tightest seen. */
static bool final_bound(const solve_ctx *c, double obj, bool has_plan, double *b)
{
    if (c->mip_run && c->mip_status == GLP_OPT && has_plan) {
        *b = obj;
        return true;
    }
    bool has = current_bound(c, has_plan, obj, b);
    if (has && integral_objective(c->e))
        *b = is_max(c) ? floor(*b + 1e-6) : ceil(*b - 1e-6);
    if (has && has_plan && better(c, obj, *b))
        *b = obj; /* rounding noise: a bound is never beaten by a plan */
    return has;
}

static cpd_solve_status final_status(const solve_ctx *c, bool has_plan, bool has_b, double gap)
{
    if (!has_plan) {
        bool none = c->lp_out == LP_INFEASIBLE || (c->mip_run && c->mip_status == GLP_NOFEAS);
        return none ? CPD_SOLVE_NO_PLAN : CPD_SOLVE_NO_PLAN_YET;
    }
    if (c->mip_run && (c->mip_status == GLP_OPT || c->mip_ret == GLP_EMIPGAP))
        return CPD_SOLVE_OPTIMAL;
    double target = c->opts.gap > 0.0 ? c->opts.gap : 1e-9;
    return has_b && gap <= target ? CPD_SOLVE_OPTIMAL : CPD_SOLVE_FEASIBLE;
}

static cpd_solve_result finish(solve_ctx *c)
{
    cpd_engine *e = c->e;
    cpd_solve_result r = {.status = CPD_SOLVE_FAILED, .nodes = c->nodes};
    if (c->mip_run && r.nodes == 0)
        r.nodes = 1;
    const double *x = pick_plan(c, &r.from_heuristic);
    bool has_plan = x != NULL;
    if (has_plan) {
        memcpy(e->x, x, e->ncols * sizeof *x);
        e->has_x = true;
        r.objective = cpd_engine_objective_of(e, x);
    }
    double b = 0.0;
    r.has_bound = final_bound(c, r.objective, has_plan, &b);
    r.bound = r.has_bound ? b : (is_max(c) ? HUGE_VAL : -HUGE_VAL);
    r.gap = r.has_bound && has_plan ? rel_gap(r.bound, r.objective) : HUGE_VAL;
    r.status = final_status(c, has_plan, r.has_bound, r.gap);
    if (r.status == CPD_SOLVE_NO_PLAN) {
        r.gap = 0.0;
        cpd_engine_set_error(e, "no plan satisfies every constraint (GLPK proved it infeasible)");
    }
    return r;
}

/* A model GLPK must not see: a misuse while building, or a variable with no room at all
 * (lower bound above upper bound, which is a proof that no plan exists). */
static bool precheck(cpd_engine *e, cpd_solve_result *r)
{
    if (!cpd_engine_check_model(e)) {
        r->status = CPD_SOLVE_FAILED;
        return false;
    }
    for (size_t j = 0; j < e->ncols; j++) {
        double lb, ub;
        cpd_engine_col_bounds(e, j, &lb, &ub);
        if (lb > ub) {
            char buf[32];
            const char *n = cpd_engine_label(true, j, cpd_engine_col_name(e, j), buf, sizeof buf);
            cpd_engine_set_error(e, "variable %zu (%s) has no value within its bounds [%g, %g]",
                                 j, n, e->cols[j].lb, e->cols[j].ub);
            r->status = CPD_SOLVE_NO_PLAN;
            return false;
        }
    }
    return true;
}

static void ctx_init(solve_ctx *c, cpd_engine *e, const cpd_solve_opts *opts)
{
    memset(c, 0, sizeof *c);
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    c->e = e;
    if (opts)
        c->opts = *opts;
    c->deadline = c->opts.time_limit > 0.0 ? c->opts.time_limit : INFINITY;
    size_t n = e->ncols;
    c->buf1 = cpd_engine_xmalloc((n + 1) * sizeof *c->buf1);
    c->lp = cpd_engine_xmalloc((n ? n : 1) * sizeof *c->lp);
    c->hx = cpd_engine_xmalloc((n ? n : 1) * sizeof *c->hx);
    c->gx = cpd_engine_xmalloc((n ? n : 1) * sizeof *c->gx);
    c->buf1[0] = 0.0;
}

static void ctx_free(solve_ctx *c)
{
    triplets_free(&c->t);
    free(c->buf1);
    free(c->lp);
    free(c->hx);
    free(c->gx);
}

cpd_solve_result cpd_engine_solve(cpd_engine *e, const cpd_solve_opts *opts)
{
    cpd_solve_result r = {.status = CPD_SOLVE_FAILED};
    solve_ctx c;
    ctx_init(&c, e, opts);
    e->error[0] = '\0';
    e->has_x = false;
    free(e->x);
    e->x = cpd_engine_xmalloc((e->ncols ? e->ncols : 1) * sizeof *e->x);
    /* The start was checked when set; rows added since may have made it infeasible. */
    if (e->has_start && !cpd_engine_is_feasible(e, e->start))
        e->has_start = false;
    if (precheck(e, &r)) {
        char msg[512];
        if (cpd_glpk_guarded(solve_run, lp_output, &c, msg, sizeof msg)) {
            r = finish(&c);
            if (c.lp_out == LP_FAILED || c.lp_out == LP_UNBOUNDED) {
                r.status = CPD_SOLVE_FAILED;
                if (c.lp_out == LP_UNBOUNDED)
                    cpd_engine_set_error(e, "the LP relaxation is unbounded: a variable needs a "
                                            "bound");
                else
                    cpd_engine_set_error(e, "GLPK's simplex failed (code %d)", c.lp_ret);
            }
        } else {
            cpd_engine_set_error(e, "GLPK failed: %s", msg);
        }
    }
    progress(&c, true);
    r.seconds = elapsed(&c);
    ctx_free(&c);
    return r;
}
