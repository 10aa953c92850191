/* cpd_inset.h — the training-day workshop allocation: the programme (workshops, slots,
 * facilitators, audiences, mandatory workshops), staff preferences and pins, the integer
 * program with its heuristic and bound, and the plan.
 *
 * Ownership: a cpd_inset owns its common scenario (schools and staff), every workshop, list and
 * string; cpd_inset_free(&p) releases all and sets p to NULL. cpd_inset_solve returns a plan the
 * caller frees with cpd_inset_plan_free(&p); the plan refers to the inset by index only (the
 * inset must outlive it). Slots are numbered 1..nslots in files and in the plan. */
#ifndef CPD_INSET_H
#define CPD_INSET_H

#include "cpd_engine.h"
#include "cpd_err.h"
#include "cpd_scenario.h"

typedef struct {
    char *id, *title;
    int capacity;               /* places in each run */
    int min_size;               /* a run with fewer is cancelled; 0: runs at any size */
    unsigned starts;            /* bit (s - 1) set: a run starts in slot s */
    int length;                 /* consecutive slots a run lasts: the same people stay */
    int *facilitators;          /* staff indices, busy during every slot of every run */
    int nfacilitators;
    cpd_strlist audience;       /* roles allowed (lower-case); empty: everyone */
    cpd_strlist mandatory_for;  /* roles that must attend it once */
    int line;
} cpd_workshop;

typedef struct {
    int staff;
    int *choices;  /* workshop indices, first choice first; a workshop at most once */
    int nchoices;
    int line;      /* of the row that won (a later submission replaces an earlier one) */
} cpd_preference;

typedef struct {
    int staff, workshop;
    int slot;   /* 1..nslots, or 0: any slot */
    bool must;  /* must, else never */
    int line;
} cpd_inset_pin;

#define CPD_INSET_MAX_SLOTS 32 /* cpd_workshop.starts is a bit set in an unsigned */
/* Default session times when inset.times is not given: the first at 09:00, each 60 minutes,
 * 15 minutes between them. */
#define CPD_INSET_DAY_START (9 * 60)
#define CPD_INSET_SESSION 60
#define CPD_INSET_BREAK 15

/* Settings, from scenario.json "inset" (defaults from cpd_inset_params_default). */
typedef struct {
    int nslots;              /* sessions in the day (default 4, or the highest slot named) */
    double rank_power;       /* a place at rank r of a K-choice list is worth (K - r + 1)^p */
    double outside_value;    /* a place outside the person's choices (or with no choices) */
    bool fairness;           /* first make the worst-placed person as well off as possible */
    bool strict;             /* a shortfall is exit 1, not a plan with unmet.csv */
    double time_limit, gap;
    /* When the sessions happen, for sessions.ics (inset --ics) only; the plan ignores them. */
    int date;                /* the day (cpd_date) from inset.date; -1 when not given */
    int ntimes;              /* slots timed by inset.times; 0: the default times */
    int slot_start[CPD_INSET_MAX_SLOTS], slot_end[CPD_INSET_MAX_SLOTS]; /* minutes after 00:00 */
    bool ics;                /* also write sessions.ics (set by --ics) */
} cpd_inset_params;

typedef struct {
    cpd_scenario *common;    /* schools and staff (owned) */
    cpd_workshop *workshops;
    int nworkshops;
    cpd_preference *prefs;   /* at most one per staff member */
    int nprefs;
    cpd_inset_pin *pins;
    int npins;
    cpd_inset_params params;
} cpd_inset;

void cpd_inset_params_default(cpd_inset_params *p);
/* Slot s (1..nslots) from *start to *end, minutes after midnight: inset.times when given, else
 * the default times. False when the default times would run past midnight. */
bool cpd_inset_slot_time(const cpd_inset_params *p, int s, int *start, int *end);
/* Takes over common (the caller's pointer is set to NULL). */
cpd_inset *cpd_inset_new(cpd_scenario **common);
void cpd_inset_free(cpd_inset **p);
/* Each add copies strings and takes over the arrays/lists in the struct passed; returns the
 * new index. */
int cpd_inset_add_workshop(cpd_inset *p, const cpd_workshop *w);
int cpd_inset_add_preference(cpd_inset *p, const cpd_preference *pr);
void cpd_inset_add_pin(cpd_inset *p, const cpd_inset_pin *pin);
/* --anonymise: every staff name (facilitators are staff) replaced by its id. */
void cpd_inset_anonymise(cpd_inset *p);

/* ---- the plan ---- */

typedef struct {
    int staff;
    int slot;          /* 1..nslots */
    int workshop;      /* -1: no place (unmet) */
    int rank;          /* 1..K when a choice; 0 when not a choice */
    bool facilitating; /* delivering this workshop in this slot */
    bool mandatory;    /* the place meets a mandatory workshop of the person's role */
} cpd_inset_place;

typedef struct {
    int workshop;
    int start;         /* slot the run starts in */
    int size;          /* attendees, facilitators not counted */
    bool cancelled;    /* below min_size: not held */
} cpd_inset_run;

typedef struct {
    int staff;
    int slot;          /* 0 when the demand is not tied to a slot (a mandatory workshop) */
    int workshop;      /* -1 when not about one workshop */
    char *reason;      /* plain words: "all 3 choices full in slot 2", ... */
} cpd_inset_unmet;

typedef struct {
    cpd_inset_place *places;  /* nstaff * nslots, staff-major: places[t * nslots + s - 1] */
    int nplaces;
    cpd_inset_run *runs;      /* every (workshop, start) the programme offers */
    int nruns;
    cpd_inset_unmet *unmet;
    int nunmet;
    cpd_solve_result result;
    double heuristic_objective;
    int worst_rank;           /* after the fairness phase; 0 when everyone is outside choices */
    int nvars, nconstraints;
} cpd_inset_plan;

typedef struct {
    cpd_solve_opts solve;
    const char *export_path;
} cpd_inset_opts;

/* What can be said before solving: shortfalls ("slot 2: 180 seats for 203 people"), mandatory
 * workshops that cannot all fit, pins that contradict. Shortfalls are notes (errors with code
 * CPD_ENOPLAN under params.strict); contradicting must pins are errors (CPD_ENOPLAN). */
cpd_code cpd_inset_check(const cpd_inset *p, cpd_diags *d);
cpd_code cpd_inset_solve(const cpd_inset *p, const cpd_inset_opts *opts, cpd_inset_plan **plan,
                         cpd_diags *d);
void cpd_inset_plan_free(cpd_inset_plan **plan);

#endif
