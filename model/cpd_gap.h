/* cpd_gap.h — the generalized assignment problem solved by the deploy engine's own core: agents
 * are coaches with hour capacities, items are demands, and each (agent, item) pair has its own
 * load and value; every item must go to exactly one agent.
 *
 * Ownership: cpd_gap_new returns an instance (arrays zeroed) the caller fills and frees with
 * cpd_gap_free(&g); cpd_gap_solve fills a result whose array the caller releases with
 * cpd_gap_result_free. */
#ifndef CPD_GAP_H
#define CPD_GAP_H

#include "cpd_engine.h"
#include "cpd_err.h"

typedef struct {
    int agents, items;
    cpd_sense sense; /* CPD_MAXIMIZE: value is a profit; CPD_MINIMIZE: value is a cost */
    double *value;   /* agents x items, row-major: of giving item j to agent i */
    double *load;    /* agents x items: capacity item j uses at agent i */
    double *cap;     /* agents */
} cpd_gap;

typedef struct {
    int *agent;       /* per item: its agent; -1 when no complete assignment was found */
    bool complete;    /* every item is assigned (the capacities kept) */
    double objective; /* of the assignment, in the instance's sense; 0 when not complete */
    bool has_bound;
    double bound;     /* proven bound on the optimum (above it when maximising, below when
                         minimising); rounded to a whole number when every value is one */
    bool optimal;     /* complete and proven optimal */
    double seconds;
} cpd_gap_result;

cpd_gap *cpd_gap_new(int agents, int items, cpd_sense sense);
void cpd_gap_free(cpd_gap **g);

/* Solves g under opts (time limit; gap <= 0: prove optimality). Returns CPD_OK with r filled
 * (r->complete false when the engine found no assignment of every item), CPD_EINPUT for a
 * negative load or capacity (reason in d), or CPD_EINTERNAL. */
cpd_code cpd_gap_solve(const cpd_gap *g, const cpd_solve_opts *opts, cpd_gap_result *r,
                       cpd_diags *d);
void cpd_gap_result_free(cpd_gap_result *r);

#endif
