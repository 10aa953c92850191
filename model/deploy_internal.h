/* deploy_internal.h — the deploy job's inside, shared by model/cpd_deploy.c and model/deploy_*.c:
 * the demands and allowed pairs (deploy_data.c), the formulation (deploy_model.c), the
 * construction heuristic and local search (deploy_heur.c), the Lagrangian bound
 * (deploy_bound.c) and the plan read back from an assignment (deploy_plan.c). Not for other
 * layers.
 *
 * Ownership: dp_model_build fills a dp_model that owns every array in it (dp_model_free); a
 * dp_state is owned by its creator (dp_state_new / dp_state_free). Both refer to the scenario
 * by pointer and index only. */
#ifndef DEPLOY_INTERNAL_H
#define DEPLOY_INTERNAL_H

#include "cpd_deploy.h"

#include <stdint.h>

#define DP_EPS 1e-9 /* slack on hours comparisons (sums of fractions of an hour) */

/* Why a coach cannot serve a demand, whatever the pins say. */
typedef enum {
    DP_FIT_OK,
    DP_FIT_SELF,    /* the coach is the teacher */
    DP_FIT_SERVICE, /* the coach does not provide the service */
    DP_FIT_SUBJECT, /* no shared subject */
    DP_FIT_SCHOOL,  /* mentor / senior leader not at the teacher's school */
    DP_FIT_HOURS    /* the demand plus the round trip do not fit in the coach's hours */
} dp_fit;

/* An allowed pair (c, d) in A: the variable x[c,d]. */
typedef struct {
    int coach, demand;
    int school;   /* the teacher's school */
    double hours; /* h_d */
    double value; /* w_d + fit[c,d] + cont[c,d] */
    bool prev;    /* in P, the previous pairs counted by max_changes */
    bool cont;    /* earns continuity_weight */
    bool must;    /* fixed to 1 by a must pin */
} dp_pair;

typedef struct {
    const cpd_scenario *s;
    int nc, ns;             /* coaches, schools */
    cpd_demand *dem;        /* D, in cpd_deploy_demands order */
    int ndem;
    int *dem_school;        /* per demand: the teacher's school */
    int *first_dem, *ndem_of; /* per staff: first demand and count (a staff's demands are adjacent) */
    int *self_staff;        /* per coach: the staff member with the same id, or -1 */
    double *rt;             /* nc x ns: round trip hours r[c,s], 0 at the base */
    double *tcost;          /* nc x ns: travel_weight * round trip minutes, 0 at the base */
    int *must;              /* per demand: the coach of its must pin, or -1 */
    int *must_pin;          /* per demand: index of that pin in s->pins, or -1 */
    int64_t *never;         /* sorted keys coach * nstaff + teacher of never pins */
    int nnever;
    dp_pair *pairs;         /* A, sorted by coach then demand */
    int npairs;
    int *cstart;            /* nc + 1: pairs of coach c are [cstart[c], cstart[c+1]) */
    int *dstart, *dpairs;   /* ndem + 1 offsets into dpairs: pairs of each demand, by coach */
    int *prev_dem;          /* per previous entry: the demand it served, or -1 */
    int *prev_pair;         /* per previous entry: its pair in A, or -1 */
    int nP;                 /* |P| (distinct pairs) */
    int P_dups;             /* pairs of P that share a demand with another (at most one kept) */
    bool changes_limited;   /* params.max_changes >= 0 */
    int need_kept;          /* P pairs the plan must keep: max(0, |P| - dups - K) */
    int *nment_pairs;       /* per coach: allowed mentoring pairs */
    int max_units;          /* the Lagrangian's knapsack grid: at most this many steps per coach
                               (0: deploy's default); a larger cap keeps big capacities exact */
    bool integral;          /* every plan's objective is a whole number (a bound may be rounded
                               down); false for deploy (travel and weights are fractional) */
    double deadline;        /* dp_now() after which the local search stops early (a safety for
                               tiny time limits; HUGE_VAL: none, the searches end by themselves) */
} dp_model;

/* deploy_data.c */
void dp_model_build(const cpd_scenario *s, dp_model *m);
void dp_model_free(dp_model *m);
/* The pin checks; adds errors to d and returns their number. */
int dp_check_pins(const dp_model *m, cpd_diags *d);
dp_fit dp_pair_fit(const dp_model *m, int c, int d);
/* The pair index of (c, d), or -1 when it is not allowed. */
int dp_find_pair(const dp_model *m, int c, int d);
bool dp_is_never(const dp_model *m, int c, int t);
double dp_rt(const dp_model *m, int c, int school);
double dp_tcost(const dp_model *m, int c, int school);
/* True when the coach has subjects and shares one with the teacher. */
bool dp_shares_subject(const cpd_coach *c, const cpd_staff *t);

/* deploy_state.c: an assignment and its running loads. */
typedef struct {
    const dp_model *m;
    int *assign;          /* per demand: pair, or -1 */
    double *used;         /* per coach: hours incl. travel */
    int *nat;             /* nc x ns: coachees of c at s */
    int *nsch, *npeople, *nment;
    int kept;             /* pairs of P assigned */
    double obj;
} dp_state;

dp_state *dp_state_new(const dp_model *m);
void dp_state_free(dp_state **st);
void dp_state_clear(dp_state *st);
void dp_state_copy(dp_state *dst, const dp_state *src);
bool dp_state_can_add(const dp_state *st, int p);
double dp_state_add(dp_state *st, int p);    /* returns the change of objective */
double dp_state_remove(dp_state *st, int d); /* unassigns demand d; returns the change */
double dp_state_objective(const dp_state *st); /* recomputed from scratch */
/* Whether the state keeps every rule, max_changes included. */
bool dp_state_feasible(const dp_state *st);
/* The change of objective if pair p were added (travel when its school is new to the coach, the
 * mentor's penalty beyond the soft limit). */
double dp_state_gain(const dp_state *st, int p);
/* The journal: every add and removal since the last commit can be undone back to a mark. */
int dp_state_mark(dp_state *st);
void dp_state_undo(dp_state *st, int mark);
void dp_state_commit(dp_state *st);
/* Coach c's assigned pairs (n of them); the list is reordered by every add and removal. */
const int *dp_state_assigned(const dp_state *st, int c, int *n);
/* Demand d failed to go in (dp_state_mark_tried) and none of its coaches changed since. */
bool dp_state_unchanged(dp_state *st, int d);
void dp_state_mark_tried(dp_state *st, int d);
/* Room for one coach's list (npairs ints). */
int *dp_state_scratch(dp_state *st);
/* Recomputes hours and objective from scratch (running sums drift by rounding). */
void dp_state_refresh(dp_state *st);

/* Reads an assignment back from the x variables' values (x > 0.5). */
void dp_state_from_x(dp_state *st, const double *x);

/* deploy_heur.c */
/* Construction, local search and max_changes repair; true when the plan keeps every rule. */
bool dp_heuristic(dp_state *st);
/* Rounds an LP solution (pair values) into st, then greedy fill and a local search (short
 * unless thorough: GLPK calls it at many nodes). */
bool dp_heuristic_from_lp(dp_state *st, const double *lpx, bool thorough);
/* The local search (re-planning coaches too) and repair from st's plan as it is. */
bool dp_polish(dp_state *st);
/* Ruin and recreate, iters times: the coaches at one school (picked by a generator seeded with
 * seed) lose their demands and are re-planned whole; kept when the plan gains. */
bool dp_ruin_recreate(dp_state *st, int iters, uint64_t seed);

/* deploy_model.c: the engine model. Variables: x (one per pair, index = pair), then y, then e. */
typedef struct {
    int *yvar;  /* nc x ns: y[c,s] variable, or -1 */
    int *evar;  /* per coach: e[c], or -1 */
    int nvars;
    int nrows;
} dp_layout;

cpd_engine *dp_build_engine(const dp_model *m, dp_layout *lay);
void dp_layout_free(dp_layout *lay);
/* The variable values of an assignment (nvars of them). */
void dp_state_to_x(const dp_state *st, const dp_layout *lay, double *x);

/* deploy_bound.c: a Lagrangian bound (max_changes relaxed too), aiming its steps at target (a
 * plan's objective). xavg (npairs, may be NULL) receives a running average of the relaxed
 * plans, a guide for dp_heuristic_from_lp; round (may be NULL) is handed that average now and
 * then and returns the objective of the plan it made of it (-HUGE_VAL: none). */
typedef double (*dp_round_fn)(void *ctx, const double *xavg);
/* The coarsest grid (hours) on which every demand's hours and round trip are whole steps, when
 * the data are in whole minutes; else five minutes. */
double dp_exact_unit(const dp_model *m);
double dp_lagrangian_bound(const dp_model *m, double target, double seconds, int max_iter,
                           double *xavg, dp_round_fn round, void *ctx);
/* The same with every option: the iteration count ends it (seconds is only a safety cap, so
 * that runs repeat); lambda (ndem, may be NULL) receives the multipliers of the best bound. */
typedef struct {
    double target;
    int max_iter;
    double seconds;
    double *xavg;
    dp_round_fn round;
    void *ctx;
    double *lambda;
    struct dp_pool *pool; /* may be NULL: receives the relaxed coach schedules */
} dp_lagr_opts;
double dp_lagrangian(const dp_model *m, const dp_lagr_opts *o);

/* deploy_knap.c: one coach's best set of pairs at values r (per pair; r <= 0 left out), with
 * the coach's hours (on a grid of unit hours, rounded: a proposal to check), max_schools and
 * max_coachees kept and each school's travel cost paid. Writes the chosen pairs to out (room
 * for the coach's pairs) and returns their number; *value is the set's value. */
typedef struct dp_knap dp_knap;
dp_knap *dp_knap_new(const dp_model *m, double unit);
void dp_knap_free(dp_knap **k);
int dp_knap_solve(dp_knap *k, int c, const double *r, int *out, double *value);

/* deploy_master.c: a pool of whole coach schedules (columns; each kept only when it keeps the
 * coach's rules; at most max_cols), and the set-packing master GLPK solves over them. */
typedef struct dp_pool dp_pool;
dp_pool *dp_pool_new(const dp_model *m, int max_cols);
void dp_pool_free(dp_pool **p);
int dp_pool_size(const dp_pool *p);
/* Coach c's set of pairs (sorted by index); a repeat is ignored. */
void dp_pool_add(dp_pool *pl, int c, const int *p, int n);
void dp_pool_add_state(dp_pool *p, const dp_state *st);
/* At most one set per coach, each demand once, the pins and max_changes kept, within seconds,
 * started from st's plan (added to the pool); the plan found goes into st. True when it did. */
bool dp_pool_solve(dp_pool *p, dp_state *st, double seconds);

/* deploy_plan.c */
void dp_plan_fill(const dp_state *st, cpd_deploy_plan *p);

/* cpd_deploy.c */
double dp_now(void); /* monotonic seconds */
/* The solve on a built model (deploy's, or one built for another problem such as cpd_gap.c):
 * construction, Lagrangian bound, rounding, master, ruin and recreate, GLPK; t0 is dp_now() at
 * the start (the time limit counts from it). On CPD_OK, out->plan is the plan (caller frees). */
typedef struct {
    dp_state *plan;
    cpd_solve_result result;
    double heuristic_objective; /* NAN when the construction found no plan */
    double lagrangian_bound;    /* NAN when not computed */
    int nvars, nconstraints;
} dp_outcome;
cpd_code dp_solve(dp_model *m, const cpd_deploy_opts *opts, double t0, dp_outcome *out,
                  cpd_diags *d);

#endif
