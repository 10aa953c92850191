/* cpd_onboard.h — the four-week onboarding programme of schools joining the trust: activities
 * (the programme), the shared people (resources), the calendar, the tasks the programme makes
 * for each joining school and person, the time-indexed integer program with its heuristic and
 * bound, and the schedule.
 *
 * Time. The programme runs ndays working days from params.start (weekends and closures
 * skipped). Each day has two halves, so the plan's clock is the half-day period
 * h = 0 .. 2 * ndays - 1: day h / 2 + 1, morning when h is even. Weeks are calendar weeks:
 * week 1 is the week (Monday to Sunday) of the start date, so a Tuesday start gives a four-day
 * week 1 and the 20th working day may fall in week 5.
 *
 * Tasks. An activity makes tasks for every joining school: one for the school (per empty), or
 * one for every member of its staff whose role is listed in per ("staff": everyone), and with
 * repeat weekly one such task in every week of its window (each with that week as its target
 * and its whole window). A task lasts duration half-days on consecutive periods; a task of whole
 * days starts in a morning. It needs, for each of its needs, count distinct resources whose role
 * is one of the need's roles; each is at the task's school for those periods.
 *
 * Ownership: a cpd_onboard owns its common scenario (schools, staff, travel), every activity,
 * resource, list and string; cpd_onboard_free(&p) releases all and sets p to NULL.
 * cpd_onboard_solve returns a plan the caller frees with cpd_onboard_plan_free(&plan); a plan
 * refers to the programme by index only (the programme must outlive it). */
#ifndef CPD_ONBOARD_H
#define CPD_ONBOARD_H

#include "cpd_engine.h"
#include "cpd_err.h"
#include "cpd_scenario.h"

#define CPD_OB_MAX_NEEDS 4     /* needs of one activity */
#define CPD_OB_MAX_RES 48      /* resources of one task, all needs together (a PSPLIB job asks
                                  for up to 39 units of its resources) */
#define CPD_OB_MAX_AFTER 16    /* predecessors of one activity */

typedef struct {
    cpd_strlist roles;  /* alternatives, lower-case: "lp|dol:1" gives {lp, dol} */
    int count;          /* distinct resources, >= 1 */
} cpd_ob_need;

typedef struct {
    char *id, *name;
    int week;                  /* target week, 1-based */
    int earliest, latest;      /* the window, weeks; earliest <= week <= latest */
    int duration;              /* half-days, >= 1 (1 = half a day, 2 = a day) */
    cpd_strlist per;           /* empty: once per school; else staff roles, "staff" = all */
    cpd_ob_need needs[CPD_OB_MAX_NEEDS];
    int nneeds;
    cpd_strlist audience;      /* staff roles taking part; "staff" = everyone: a training day */
    int after[CPD_OB_MAX_AFTER]; /* activity indices that must finish before it starts */
    int nafter;
    bool weekly;               /* repeat = weekly */
    bool cover;                /* the staff taking part are out of class (count for cover) */
    bool coach;                /* per person: the deployed coach (deployment.csv) fills the first
                                  need when they are a resource of one of its roles */
    int line;
} cpd_activity;

typedef struct {
    char *id, *name;
    char *role;                /* lower-case: lp, dol, ot, senco, exec_head, ... */
    int days;                  /* working days a week at most, 1..7 (default 5) */
    int *unavailable;          /* dates (cpd_date) away; any order, may lie outside the days */
    int nunavailable;
    int school;                /* base school index, or CPD_TRUST_SCHOOL */
    int line;
} cpd_resource;

/* Settings, from scenario.json "onboard" (defaults from cpd_onboard_params_default). */
typedef struct {
    int start;                 /* date of day 1 (a weekday); default 2027-09-01 -> set by loader */
    int ndays;                 /* working days (default 20) */
    int *closures;             /* dates skipped (bank holidays, closure days) */
    int nclosures;
    int *training_days;        /* dates on which all-staff training can be held (whole days) */
    int ntraining_days;
    unsigned twilight;         /* weekdays (bit 0 = Monday) with a twilight: all-staff training of
                                  half a day may be held in that afternoon */
    int cover_limit;           /* staff out of class at once in one school, per half-day (3) */
    double short_travel;       /* minutes: two schools this close may share one person's day
                                  (default 0: one school a day) */
    double w_unplaced;         /* a task not placed at all (1000) */
    double w_late;             /* a task per week past its window (100) */
    double w_target;           /* a task per week from its target week (10) */
    double w_school;           /* a resource per school it works in each week (1) */
    double time_limit, gap;
    int objective;             /* CPD_OB_OBJ_PROGRAMME (default) or CPD_OB_OBJ_MAKESPAN */
    bool morning_starts;       /* a task of whole days starts in a morning (default true; false
                                  for project schedules whose periods are plain time units) */
} cpd_onboard_params;

/* The objective: the programme's (unplaced, late and off-target tasks, school-weeks), or the
 * makespan: the end of the last task (in half-day periods from the first morning) replaces the
 * late and target costs; unplaced tasks and school-weeks still cost their weights. */
enum { CPD_OB_OBJ_PROGRAMME = 0, CPD_OB_OBJ_MAKESPAN = 1 };

typedef struct {
    cpd_scenario *common;      /* schools (joining flag), staff, travel (owned) */
    cpd_activity *activities;
    int nactivities;
    cpd_resource *resources;
    int nresources;
    int *coach_of;             /* per staff: the deployed coach's resource index, -1 none;
                                  NULL when there is no deployment.csv */
    cpd_onboard_params params;
} cpd_onboard;

void cpd_onboard_params_default(cpd_onboard_params *p);
/* Takes over common (the caller's pointer is set to NULL). */
cpd_onboard *cpd_onboard_new(cpd_scenario **common);
void cpd_onboard_free(cpd_onboard **p);
/* --anonymise: every staff and resource name replaced by its id. */
void cpd_onboard_anonymise(cpd_onboard *p);
/* Each add copies strings and takes over the lists and arrays in the struct passed; returns the
 * new index. */
int cpd_onboard_add_activity(cpd_onboard *p, const cpd_activity *a);
int cpd_onboard_add_resource(cpd_onboard *p, const cpd_resource *r);
/* Sets params' date arrays (copied). */
void cpd_onboard_set_dates(cpd_onboard *p, const int *closures, int nclosures,
                           const int *training_days, int ntraining_days);

/* ---- the calendar and the programme's structure (pure; for loaders, checks and outputs) ---- */

/* The dates of days 1..ndays into dates[] (ndays of them). */
void cpd_onboard_days(const cpd_onboard *p, int *dates);
/* The calendar week (1-based) of a programme day (1-based). */
int cpd_onboard_week_of_day(const cpd_onboard *p, int day);
/* The calendar week of the last programme day. */
int cpd_onboard_nweeks(const cpd_onboard *p);
/* Whether role names a resource of p (exact, lower-case). */
bool cpd_onboard_has_role(const cpd_onboard *p, const char *role);
/* A cycle in `after`: writes the activity indices of one cycle into cycle (first repeated at
 * the end: a, b, a) and returns its length including the repeat; 0 when there is none. cycle
 * holds nactivities + 1 entries. */
int cpd_onboard_find_cycle(const cpd_onboard *p, int *cycle);
/* Whether staff member t takes part in (per or audience) roles list l ("staff" = everyone). */
bool cpd_onboard_role_in(const cpd_strlist *l, const cpd_staff *t);

/* ---- the plan ---- */

typedef struct {
    int activity;
    int school;                /* joining school index */
    int staff;                 /* the person of a per-person task, else -1 */
    int target, earliest, latest; /* weeks; a weekly task's window is its own week's */
    int duration;              /* half-days */
    int start;                 /* first half-day period, -1: not placed */
    int res[CPD_OB_MAX_RES];   /* resources, needs in order, count per need */
    int nres;
} cpd_ob_task;

typedef struct {
    int task;
    char *reason;              /* plain words, naming the resource that ran out */
} cpd_ob_unmet;

typedef struct {
    cpd_ob_task *tasks;        /* every task of the programme, placed or not, in a fixed order:
                                  activity, school, staff, target week */
    int ntasks;
    cpd_ob_unmet *unmet;       /* tasks not placed, or placed outside their window */
    int nunmet;
    int *dates;                /* date of each programme day (ndays) */
    int ndays;
    cpd_solve_result result;
    double heuristic_objective;
    int nvars, nconstraints;
} cpd_onboard_plan;

typedef struct {
    cpd_solve_opts solve;
    const char *export_path;
} cpd_onboard_opts;

/* The tasks of the programme, unplaced (start -1), in the plan's order. Caller frees. */
cpd_ob_task *cpd_onboard_tasks(const cpd_onboard *p, int *ntasks);
/* The objective of a schedule: tasks' costs (unplaced, late, off target) and school-weeks. */
double cpd_onboard_cost(const cpd_onboard *p, const cpd_ob_task *tasks, int ntasks);

/* What can be said before solving: per role and week, days needed against days available
 * ("senco: 5 days in week 2, 7 needed"), as notes. */
cpd_code cpd_onboard_check(const cpd_onboard *p, cpd_diags *d);
cpd_code cpd_onboard_solve(const cpd_onboard *p, const cpd_onboard_opts *opts,
                           cpd_onboard_plan **plan, cpd_diags *d);
void cpd_onboard_plan_free(cpd_onboard_plan **plan);

#endif
