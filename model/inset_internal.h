/* inset_internal.h — the inset job's inside, shared by model/cpd_inset.c and model/inset_*.c:
 * the runs, who may attend what and at what value (inset_data.c), an allocation and its moves
 * (inset_heur.c), the Lagrangian bound (inset_bound.c), the pool of days and the master over it
 * (inset_master.c), the formulation (inset_model.c) and the plan and checks in words
 * (inset_plan.c). Not for other layers.
 *
 * Ownership: is_model_build fills an is_model that owns its arrays (is_model_free); an is_state
 * and an is_pool are owned by their creator (is_state_new / is_state_free, is_pool_new /
 * is_pool_free). All refer to the inset (and the pool to the model) by pointer. */
#ifndef INSET_INTERNAL_H
#define INSET_INTERNAL_H

#include "cpd_inset.h"

#include <stdint.h>

#define IS_FREE (-1) /* sched: no place in the slot (the slack u[t,s]) */
#define IS_BUSY (-2) /* sched: delivering a held run in the slot */
#define IS_MAX_SLOTS 16

/* A run r = (workshop, start): the same people in slots start..start+len-1. */
typedef struct {
    int workshop, start, len; /* start is 1-based */
    int cap, min;             /* min > 0: cancellable (z[r]) */
} is_run;

typedef struct {
    const cpd_inset *p;
    int S, T, W, K;      /* slots, staff, workshops, the longest choice list */
    is_run *runs;        /* sorted by workshop then start */
    int nruns;
    int *rank;           /* T x W: choice rank 1..K, 0 when not a choice */
    unsigned char *ok;   /* T x W: may attend (audience, not a facilitator, no never pin) */
    unsigned char *mand; /* T x W: mandatory for the person's role (and ok) */
    int *pin;            /* T x W: must pin slot (0: any), -1: none */
    double *val;         /* T x W: value of one slot's place */
    int *nmand;          /* per staff: mandatory workshops */
    int *nchoices;       /* per staff: choices they may attend */
    int *rmin;           /* per staff: the fewest top choices that fill their day (K+1: none) */
    int *fixed_busy;     /* T x S: always-held runs the person delivers in the slot */
    int *fstart, *fruns; /* per staff: runs they deliver, fruns[fstart[t]..fstart[t+1]) */
    int R;               /* fairness level: people with choices take ranks <= max(R, rmin) */
    double U, M;         /* penalties: an unplaced slot, a missed mandatory workshop */
    double vmax;         /* the largest value of one slot's place */
} is_model;

/* inset_data.c */
void is_model_build(const cpd_inset *p, is_model *m);
void is_model_free(is_model *m);
size_t is_tw(const is_model *m, int t, int w);
/* Whether t may take a place in w at the current fairness level. */
bool is_allowed(const is_model *m, int t, int w);
/* The run of w covering slot s (1-based), or -1. */
int is_run_covering(const is_model *m, int w, int s);
bool is_run_covers(const is_run *r, int s);
/* The objective value of a place in run r for t: len * value (+ M when mandatory). */
double is_score(const is_model *m, int t, int r);
/* The count of people (not delivering an always-held run) and seats in slot s. */
void is_slot_count(const is_model *m, int s, int *people, int *seats);

/* inset_heur.c: an allocation. */
typedef struct {
    const is_model *m;
    int *sched;              /* T x S: run, IS_FREE or IS_BUSY */
    int *size;               /* per run */
    unsigned char *cancelled; /* per run (cancellable runs only) */
    unsigned char *used;     /* T x W: attends w */
    const double *price;     /* per run, or NULL: the construction's guide (Lagrangian) */
    /* scratch for the per-person search */
    void *dfs;
} is_state;

is_state *is_state_new(const is_model *m);
void is_state_free(is_state **st);
void is_state_copy(is_state *dst, const is_state *src);
double is_state_objective(const is_state *st);
int is_state_unplaced(const is_state *st);
int is_state_missed(const is_state *st);
/* Checks every rule of the model; true when the allocation keeps them all. */
bool is_state_feasible(const is_state *st);
/* Construction, min_size repair and local search at the model's level. */
void is_heuristic(is_state *st);
/* The local search alone, from st's plan. */
void is_improve(is_state *st);
/* t's best day over the runs with room (priced by st->price when set), kept only when no
 * worse than t's day now. */
void is_place_best(is_state *st, int t);
/* Slots where t delivers a held run (busy: S entries). */
void is_state_busy(const is_state *st, int t, unsigned char *busy);
/* Gives t exactly the day (S entries: runs, IS_BUSY, IS_FREE), whatever t had. */
void is_state_set_day(is_state *st, int t, const int *day);
/* Ruin and recreate from best: iters times, up to ruin people (drawn with a fixed seed) lose
 * their places, are placed again by price (may be NULL), and the local search runs; best keeps
 * the better plan. Stops early once best is worth stop_at (HUGE_VAL: never); deadline (is_now()
 * seconds, <= 0: none) is a safety cap only. */
void is_ruin_recreate(is_state *best, const double *price, int iters, int ruin, double stop_at,
                      double deadline);

/* The best schedule of one person over runs with the given per-run scores (score[r], -HUGE_VAL
 * when not available), fixed busy slots and optional busy slots (cancellable runs they deliver:
 * worth 0). Writes S entries to out; returns the value, -HUGE_VAL when no schedule keeps the
 * person's pins. Used by the heuristic and by the bound. */
double is_best_schedule(const is_model *m, void *dfs, int t, const double *score,
                        const unsigned char *busy, const unsigned char *optional, int *out);
void *is_dfs_new(const is_model *m);
bool is_dfs_exact(const void *d); /* the last search was complete */
void is_dfs_free(void **d);

/* inset_master.c: a pool of whole days (one person's place, busy or free slot in every slot),
 * each distinct day kept once, and the master over it: GLPK picks one day per person within the
 * runs' capacities and minimums (an LP, rounded). */
typedef struct is_pool is_pool;

is_pool *is_pool_new(const is_model *m, int max_days);
void is_pool_free(is_pool **p);
void is_pool_add(is_pool *p, int t, const int *day); /* S entries; full or known: ignored */
void is_pool_add_state(is_pool *p, const is_state *st);
int is_pool_size(const is_pool *p);
/* A plan from the master's LP over the pooled days that keep st's cancellations (st's own days
 * added): rounded, then the local search. st takes it when it is better and keeps every rule;
 * true then. seconds caps GLPK (a safety cap: the LP ends by itself). */
bool is_master(is_state *st, is_pool *p, double seconds);

/* inset_bound.c: a Lagrangian bound (capacity rows relaxed). */
#define IS_RELAXED 0 /* a cancellable run held or not: its facilitators optionally busy */
#define IS_HELD 1    /* held: its facilitators busy (a bound on plans that hold it) */
#define IS_OUT 2     /* cancelled: nobody attends it (a bound on plans that cancel it) */

/* guide (may be NULL) is called now and then with the current multipliers to build a plan from
 * them; it returns the best plan's objective, the target of the step sizes. */
typedef double (*is_price_fn)(void *ctx, const double *lambda);
typedef struct {
    const unsigned char *mode; /* per run, for cancellable runs; NULL: all IS_RELAXED */
    const double *start;       /* multipliers to start from (per run); NULL: zeros */
    double target;             /* a plan's objective: the steps aim at it; a bound at it ends */
    int iters;                 /* evaluations at most */
    int sweeps;                /* the first steps are sweeps of exact block steps: how many */
    double *price;             /* receives the best multipliers (per run), or NULL */
    is_price_fn guide;
    void *ctx;
    is_pool *pool;             /* receives each person's relaxed day at every step, or NULL */
    unsigned char *slack;      /* per run, or NULL: receives, at the best multipliers, whether a
                                * relaxed run's facilitator takes a place while it runs */
    double deadline;           /* is_now() seconds: a safety cap on the steps; <= 0: none */
} is_lagr;
double is_lagrangian_bound(const is_model *m, const is_lagr *o);

/* The bound over every plan, from lb, a bound on the plans that hold every run mode marks held
 * (found at the multipliers price). The other plans are split by the first of those runs (in a
 * fixed order: most people in the plan first) that they cancel, r: they hold the runs before
 * r, cancel r and may do anything with the rest, so a bound with the runs before r held, r out
 * and the rest relaxed covers them; such a bound above the goal is split further on a relaxed
 * run whose facilitator takes a place while it runs (held, out). The result, the largest of lb
 * and those bounds, is at least the optimum. Runs with more people go first: cancelling them
 * costs most, so their probes pass even with the later runs relaxed. Every probe starts from
 * price and stops at the goal. */
typedef struct {
    const int *size;  /* per run: people in the plan (the order), or NULL: run order */
    double goal;      /* a probe at or below it is not split further */
    int iters, sweeps; /* per probe (see is_lagr) */
    int splits;       /* splits in all: this many per probed run */
    double deadline;  /* is_now() seconds: a safety cap on the splits; <= 0: none */
} is_probe;
double is_probe_cancellations(const is_model *m, const unsigned char *mode, const double *price,
                              double lb, const is_probe *o);

/* inset_model.c */
typedef struct {
    int *xstart;  /* per staff: first x variable; x vars of t follow in run order */
    int *xrun;    /* per x variable: its run */
    int nx;
    int *uvar;    /* T x S, or -1 */
    int *zvar;    /* per run, or -1 */
    int *mvar;    /* T x W, or -1 */
    int nvars, nrows;
} is_layout;

cpd_engine *is_build_engine(const is_model *m, is_layout *lay);
/* The sizes is_build_engine would give: places x[t,r], variables, rows. */
void is_model_size(const is_model *m, int *nx, int *nvars, int *nrows);
void is_layout_free(is_layout *lay);
void is_state_to_x(const is_state *st, const is_layout *lay, double *x);
void is_state_from_x(is_state *st, const is_layout *lay, const double *x);

/* inset_plan.c */
void is_plan_fill(const is_state *st, cpd_inset_plan *p);
int is_check(const is_model *m, cpd_diags *d); /* errors added; returns their number */
double is_now(void);

#endif
