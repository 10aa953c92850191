/* onboard_internal.h — the onboard job's inside, shared by model/onboard_*.c: the calendar,
 * each task's allowed starts, candidates, predecessors and people (onboard_data.c), a schedule
 * and its moves (onboard_heur.c), the time-indexed formulation (onboard_model.c) and the solve
 * with the plan in words (onboard_plan.c). Not for other layers.
 *
 * Ownership: ob_model_build fills an ob_model that owns every array in it (ob_model_free); an
 * ob_state is owned by its creator (ob_state_new / ob_state_free); an ob_layout by whoever
 * built the engine (ob_layout_free). All refer to the programme by pointer and index only. */
#ifndef ONBOARD_INTERNAL_H
#define ONBOARD_INTERNAL_H

#include "cpd_onboard.h"
#include "cpd_rng.h"

#include <stdint.h>

#define OB_EPS 1e-9

/* Why a task has no allowed start inside its window, before anything else is placed. */
typedef enum {
    OB_FIT_OK,
    OB_FIT_TOO_MANY,  /* its needs ask for more than CPD_OB_MAX_RES people */
    OB_FIT_ROLE,      /* a need asks for more people of its roles than the trust has */
    OB_FIT_COVER,     /* more staff out of class than the cover limit */
    OB_FIT_TRAINING,  /* all-staff training: no training day or twilight in the window */
    OB_FIT_AWAY,      /* the candidates are away whenever the task could run in the window */
    OB_FIT_AFTER,     /* its predecessors cannot finish before the window ends */
    OB_FIT_HORIZON    /* the window lies past the programme's last day */
} ob_fit;

typedef struct {
    const cpd_onboard *p;
    const cpd_onboard_params *q;
    int N, P, W;            /* days, half-day periods (2N), the last week (weeks are 1..W) */
    int S, R, Q;            /* schools, resources, staff */
    int *date, *week;       /* per day (0-based): date, calendar week */
    int *wfirst, *wlast;    /* per week 0..W: its first and last day; wfirst > wlast when none */
    unsigned char *avail;   /* R x P: r is not away in period p */
    unsigned char *near;    /* S x S: one person may work at both schools on one day */
    bool any_near;          /* two different schools are near (short_travel) */

    cpd_ob_task *tasks;     /* T tasks, in the plan's order (cpd_onboard_tasks) */
    int T;
    int *dur;               /* per task: half-days */
    /* allowed starts H_j, increasing: hs[hstart[j] .. hstart[j+1]), costs hc[] alike */
    int *hstart, *hs;
    double *hc;
    int *nin;               /* per task: allowed starts inside the window */
    ob_fit *fit;            /* per task: why no start inside the window (OB_FIT_OK: some) */
    /* a task's needs as slots (the deployed coach is a slot of its own): slots of task j are
     * kbase[j] .. kbase[j+1]; each asks for kcount[] distinct people of cand[cstart[k] ..
     * cstart[k+1]) (resource indices, increasing); kneed[] is the activity's need index */
    int *kbase, *kcount, *kneed, *cstart, *cand;
    int *nres;              /* per task: people in all, <= CPD_OB_MAX_RES when it can be placed */
    int *pstart, *pred;     /* per task: tasks that must end before it starts */
    int *sstart, *succ;     /* per task: tasks that start after it ends */
    int *topo;              /* the tasks in an order where predecessors come first */
    int *qstart, *people;   /* per task: staff taking part (its person, its audience) */
    int *ncover;            /* per task: staff out of class (0 unless the activity has cover) */
    int *rvers;             /* per resource: task slots it is a candidate of (versatility) */
    int *ndesc;             /* per task: tasks after it, directly or not */
    int *tail;              /* per task: the longest chain of successors' half-days after it */
    bool makespan;          /* the objective is the end of the last task (start costs 0) */
    bool must_place;        /* the engine's models leave no task unplaced (u fixed at 0) */
} ob_model;

/* onboard_data.c */
void ob_model_build(const cpd_onboard *p, ob_model *m);
void ob_model_free(ob_model *m);
static inline int ob_week_of(const ob_model *m, int h) { return m->week[h / 2]; }
/* The cost of starting j at period h: w_late * weeks past the window + w_target * weeks from
 * the target. */
double ob_start_cost(const ob_model *m, int j, int h);
/* Whether all-staff training may be held over [h, h + dur). */
bool ob_training_ok(const ob_model *m, int h, int dur);
/* The cheapest a task can cost: its cheapest start, or w_unplaced. */
double ob_min_cost(const ob_model *m, int j);
/* The index in hs of start h of task j, or -1. */
int ob_start_index(const ob_model *m, int j, int h);
/* Drops every start from which a task and the chain of its successors cannot end by horizon
 * (a plan ending by horizon never uses one): the makespan's window once a plan is known. */
void ob_model_cap(ob_model *m, int horizon);
/* Keeps only the starts i with keep[i] (indices into hs as they are), rewriting hs, hc,
 * hstart and nin. */
void ob_model_keep_starts(ob_model *m, const unsigned char *keep);
/* Whether slots k and l have the same candidates (each slot's are increasing). */
bool ob_same_candidates(const ob_model *m, int k, int l);
/* onboard_prop.c: after ob_model_cap(m, horizon) with every task to be placed, drops the starts
 * no plan ending by horizon can use (precedence heads and tails, time-tabling on compulsory
 * parts, pairs that cannot overlap, over pools of candidates, staff and cover, to a fixpoint).
 * False when some task is left with no start: then no such plan exists (m is left unchanged). */
bool ob_model_propagate(ob_model *m);
/* The critical path: the latest a task's first start, its duration and its tail reach. */
int ob_model_critical_end(const ob_model *m);

/* onboard_heur.c: a schedule with occupancy tables. */
typedef struct {
    const ob_model *m;
    int *hidx;        /* per task: index into hs/hc of its start (absolute), -1 unplaced */
    int *res;         /* T x CPD_OB_MAX_RES: resources, slots in order */
    int *rocc;        /* R x P: the task r works on, -1 */
    int *socc;        /* Q x P: the task a member of staff is in, -1 */
    int *cover;       /* S x P: staff out of class */
    int *rwdays;      /* R x (W + 1): days r works in the week */
    int *sw;          /* (R x (W + 1)) x S: periods r works at s in the week */
    int nsw;          /* school-weeks: (r, s, w) with sw > 0 */
    double tcost;     /* sum of the tasks' costs (unplaced: w_unplaced) */
    cpd_rng rng;
    void *scratch;
} ob_state;

ob_state *ob_state_new(const ob_model *m);
void ob_state_free(ob_state **st);
void ob_state_copy(ob_state *dst, const ob_state *src);
void ob_state_clear(ob_state *st);
double ob_state_objective(const ob_state *st);
/* The end of the last placed task (0 with none). */
int ob_state_makespan(const ob_state *st);
/* The start period of j, or -1. */
int ob_state_start(const ob_state *st, int j);
/* Places j at start index i (absolute) with resources res[0 .. nres[j]); no checks. */
void ob_state_place(ob_state *st, int j, int i, const int *res);
void ob_state_remove(ob_state *st, int j);
/* Places unplaced j at start index i with the cheapest people free then; false (nothing
 * placed) when its order, people or needs do not allow it. */
bool ob_state_place_at(ob_state *st, int j, int i);
/* Checks every rule of the model against the tables built from scratch; true when kept. */
bool ob_state_feasible(const ob_state *st);
/* The serial schedule by priority (construction). */
void ob_construct(ob_state *st);
/* The construction guided by LP values of the start variables (lpx[hstart[j] + i], NULL: none). */
void ob_construct_guided(ob_state *st, const double *lpx);
/* For the makespan: every task as late as the plan's end allows, then as early as possible
 * (forward-backward improvement; never lengthens the plan). Nothing otherwise. */
void ob_justify(ob_state *st);
/* Local search: remove and re-insert every task, passes times at most, until nothing improves. */
void ob_reinsert(ob_state *st, int passes);
/* Ruin and recreate on best: iters rounds (the count ends it), or stall rounds in a row without
 * a new best (<= 0: no such end); deadline (ob_now() seconds, <= 0: none) is a safety cap only;
 * stops early once the objective reaches stop_at. */
void ob_ruin_recreate(ob_state *best, int iters, int stall, double stop_at, double deadline);
double ob_now(void);

/* onboard_model.c: the time-indexed program over units. In the exact model a unit is one
 * resource; in the pooled relaxation (a bound only) a unit is a pool of resources that are
 * candidates of exactly the same slots, with counts in place of yes/no. */
typedef struct {
    bool pooled;
    int U;            /* units */
    int *unit_of;     /* per resource: its unit */
    int *first;       /* per unit: its first resource (for names) */
    int *nmem;        /* per unit: resources in it */
    /* task groups: in the pooled relaxation the tasks of one per-person activity, school and
     * week whose people are interchangeable form one group, counted; else a task is a group */
    int G;
    int *group_of;    /* per task: its group */
    int *grep, *gsize; /* per group: its first task (which carries the variables), its tasks */
    int *xvar;        /* per allowed start (as hs) of a group's first task: x[g,h]; else -1 */
    int *uvar;        /* per task: u[g] on a group's first task, else (or with no start) -1 */
    int *abeg;        /* per allowed start: its a variables are avar[abeg[i] .. abeg[i+1]) */
    int *avar, *aslot, *aunit; /* per a variable: engine index, task slot, unit */
    int na;
    int *zvar;        /* (U x N) x S: z[u,s,d], or -1 */
    int *vvar;        /* U x N: v[u,d] (with near schools only), or -1 */
    int *yvar;        /* (U x (W + 1)) x S: y[u,s,w], or -1 */
    int *svar;        /* per end period 0 .. nsvar - 1: s[e], the makespan is e (makespan
                         objective only) */
    int nsvar;
    int *cvar;        /* per allowed start (as hs) of a group's first task: c[g,h], the starts
                         up to h (makespan only), else -1 */
    int *scvar;       /* per end period: cs[e], the makespan is at most e (makespan only) */
    int nvars, nrows;
    double constant;  /* tasks with no start: w_unplaced each */
} ob_layout;

/* The exact model (pooled false) or the pooled relaxation (true). */
cpd_engine *ob_build_engine(const ob_model *m, bool pooled, ob_layout *lay);
void ob_layout_free(ob_layout *lay);
/* The exact model's x and a variables (without building it), for deciding whether to. */
size_t ob_count_vars(const ob_model *m);
void ob_state_to_x(const ob_state *st, const ob_layout *lay, double *x);
/* Reads a plan back from the exact model's values; false when they do not make one. */
bool ob_state_from_x(ob_state *st, const ob_layout *lay, const double *x);
/* A plan at the starts of the pooled model's values (groups of one task only), people chosen
 * in the order of the starts; false when they do not make one. */
bool ob_state_from_pooled(ob_state *st, const ob_layout *lay, const double *x);

/* A valid lower bound without the LP: every task at its cheapest, and the school-weeks that
 * resources forced on a task (the only candidates of a need) cannot avoid. */
double ob_trivial_bound(const ob_model *m);

/* onboard_weekly.c: a bound from tasks given weeks under the shared people's days per week,
 * for programmes whose pooled LP is too large to solve in time; -HUGE_VAL when not solved in
 * seconds (and for the makespan, which it does not bound). */
double ob_weekly_bound(const ob_model *m, double seconds);

#endif
