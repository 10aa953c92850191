/* cpd_engine_impl.h — the engine's inside, shared by solver/cpd_engine.c (the model store and
 * its checks) and solver/cpd_engine_glpk.c (everything that touches GLPK). Not for other layers.
 *
 * Ownership: struct cpd_engine owns every array below; cpd_engine_free releases them. */
#ifndef CPD_ENGINE_IMPL_H
#define CPD_ENGINE_IMPL_H

#include "cpd_engine.h"

#include <stddef.h>

#define CPD_NO_NAME ((size_t)-1)
#define CPD_FEAS_TOL 1e-6

typedef struct {
    cpd_var_kind kind;
    double lb, ub, obj;
    size_t name;  /* offset into the name arena, or CPD_NO_NAME */
} cpd_col;

typedef struct {
    cpd_row_kind kind;
    double rhs;
    size_t beg, len; /* the row's terms are ind[beg .. beg+len), val[...] */
    size_t name;
} cpd_row;

struct cpd_engine {
    char *name;
    cpd_sense sense;
    double c0;

    cpd_col *cols;
    size_t ncols, cap_cols;
    cpd_row *rows;
    size_t nrows, cap_rows;
    int *ind;      /* 0-based column of each term */
    double *val;
    size_t nnz, cap_nnz;
    char *names;   /* arena of NUL-terminated names */
    size_t names_len, names_cap;

    char *build_error; /* the first misuse seen while building (bad index, NaN); reported by
                          solve and export */

    double *start;     /* ncols values when has_start */
    bool has_start;
    cpd_heuristic_fn heur;
    void *heur_ctx;
    bool has_ext_bound;
    double ext_bound;

    double *x;         /* the best plan of the last solve, when has_x */
    bool has_x;

    char error[1024];
};

/* The bounds a column really has: a binary within [0, 1]; integer bounds rounded inwards. */
void cpd_engine_col_bounds(const cpd_engine *e, size_t j, double *lb, double *ub);
bool cpd_engine_is_integer(const cpd_engine *e, size_t j);
/* The name given to a column or row, or NULL when none was given. */
const char *cpd_engine_col_name(const cpd_engine *e, size_t j);
const char *cpd_engine_row_name(const cpd_engine *e, size_t i);
/* A name for messages: the given one, else the one export gives (x<k> or r<k>), in buf. */
const char *cpd_engine_label(bool col, size_t k, const char *given, char *buf, size_t len);
/* Checks that the model can be handed to GLPK (no misuse while building, no repeated variable
 * in a row); on failure sets the error message and returns false. */
bool cpd_engine_check_model(cpd_engine *e);
/* Rounds the integer columns of x that are within the tolerance of an integer, in place. */
void cpd_engine_round_integers(const cpd_engine *e, double *x);
void cpd_engine_set_error(cpd_engine *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Aborts on out-of-memory, as the rest of the project does. */
void *cpd_engine_xmalloc(size_t n);

/* Runs fn(arg) with GLPK's fatal errors caught: a GLPK error longjmps back here, GLPK's
 * environment is freed (glp_free_env, as GLPK requires after a hooked error: every glp_prob
 * then alive is gone, which is why the engine never keeps one between calls) and false is
 * returned with GLPK's message in msg (on success, msg holds GLPK's last line). GLPK's terminal
 * output is swallowed throughout; on_output(arg), when not NULL, is called after each piece. */
bool cpd_glpk_guarded(void (*fn)(void *arg), void (*on_output)(void *arg), void *arg, char *msg,
                      size_t msg_len);

#endif
