/* cpd_engine.h — the GLPK engine: a MIP built from variables and sparse rows, solved under a
 * time limit and target gap, with a job's own heuristic plan fed into the search, and the best
 * bound and proven gap read back. Knows nothing of schools; only this module includes glpk.h.
 *
 * Ownership: cpd_engine_new returns an engine the caller frees with cpd_engine_free(&e). The
 * engine copies every name, index array and value array it is given; callers keep theirs.
 * Indices of variables and rows are 0-based here (GLPK's 1-based arrays stay inside). */
#ifndef CPD_ENGINE_H
#define CPD_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cpd_engine cpd_engine;

typedef enum { CPD_MAXIMIZE, CPD_MINIMIZE } cpd_sense;
typedef enum { CPD_VAR_BINARY, CPD_VAR_INTEGER, CPD_VAR_CONTINUOUS } cpd_var_kind;
typedef enum { CPD_ROW_LE, CPD_ROW_GE, CPD_ROW_EQ } cpd_row_kind;

typedef enum {
    CPD_SOLVE_OPTIMAL,   /* proven optimal (within the requested gap, if one was set) */
    CPD_SOLVE_FEASIBLE,  /* a plan, with a gap; time limit reached */
    CPD_SOLVE_NO_PLAN,   /* proven infeasible */
    CPD_SOLVE_NO_PLAN_YET, /* time ran out before any plan was found */
    CPD_SOLVE_FAILED     /* GLPK failed; see cpd_engine_error */
} cpd_solve_status;

typedef struct {
    double time_limit;   /* seconds, whole solve (LP and branch-and-bound); <= 0: none */
    double gap;          /* relative gap at which to stop; <= 0: prove optimality */
    bool progress;       /* print a progress line on stderr about once a second */
} cpd_solve_opts;

typedef struct {
    cpd_solve_status status;
    double objective;    /* of the best plan; 0 when there is none */
    double bound;        /* best proven bound on the optimum (the sense's direction) */
    double gap;          /* |bound - objective| / max(1e-9, |objective|); 0 when optimal */
    bool has_bound;      /* false when no bound could be proven in time */
    double seconds;      /* wall time spent in cpd_engine_solve */
    int nodes;           /* branch-and-bound nodes explored */
    bool from_heuristic; /* the returned plan is the job's heuristic plan, not improved */
} cpd_solve_result;

/* A job's heuristic, called when GLPK asks for one (at the root, and later nodes). lp holds the
 * current LP relaxation values (nvars of them); the callback writes an integer-feasible plan into
 * x and returns true, or returns false when it has nothing better. */
typedef bool (*cpd_heuristic_fn)(void *ctx, const double *lp, double *x, size_t nvars);

cpd_engine *cpd_engine_new(const char *name, cpd_sense sense);
void cpd_engine_free(cpd_engine **e);

/* Adds a variable with bounds [lb, ub] (ub may be HUGE_VAL) and objective coefficient; returns
 * its index. Names are for model export and must be unique; NULL gives "x<index>". */
int cpd_engine_add_var(cpd_engine *e, const char *name, cpd_var_kind kind, double lb, double ub,
                       double obj);
/* Adds sum_k coef[k] * x[var[k]] (<=, >=, =) rhs; returns the row's index. Zero coefficients
 * are dropped; a repeated variable is an error reported by cpd_engine_solve. */
int cpd_engine_add_row(cpd_engine *e, const char *name, size_t n, const int *var,
                       const double *coef, cpd_row_kind kind, double rhs);
void cpd_engine_set_obj_constant(cpd_engine *e, double c);

size_t cpd_engine_nvars(const cpd_engine *e);
size_t cpd_engine_nrows(const cpd_engine *e);

/* A starting plan (nvars values), given to GLPK at the first heuristic call. The engine checks it
 * against every row and bound; an infeasible start is ignored. */
void cpd_engine_set_start(cpd_engine *e, const double *x);
/* A heuristic called on GLPK's request; may be NULL. */
void cpd_engine_set_heuristic(cpd_engine *e, cpd_heuristic_fn fn, void *ctx);
/* A bound proven outside GLPK (for example a Lagrangian one); the tighter of it and GLPK's is
 * reported. */
void cpd_engine_set_external_bound(cpd_engine *e, double bound);

/* Writes the model, as built, to path: CPLEX LP format if it ends in ".lp", else free MPS.
 * Returns false and sets the error message on failure. */
bool cpd_engine_export(cpd_engine *e, const char *path);

/* Solves. The best plan found (start or GLPK's) is kept and read with cpd_engine_value. */
cpd_solve_result cpd_engine_solve(cpd_engine *e, const cpd_solve_opts *opts);
double cpd_engine_value(const cpd_engine *e, int var);
/* Checks a plan against bounds, integrality and every row (tolerance 1e-6). */
bool cpd_engine_is_feasible(const cpd_engine *e, const double *x);
double cpd_engine_objective_of(const cpd_engine *e, const double *x);

const char *cpd_engine_error(const cpd_engine *e);
const char *cpd_solve_status_name(cpd_solve_status s); /* "optimal", "feasible", "no_plan", ... */

#endif
