/* cpd_deploy.h — the termly deployment of coaches to teachers: demands derived from the
 * scenario, the integer program, its construction heuristic and bound, and the plan.
 *
 * Ownership: cpd_deploy_solve returns a plan the caller frees with cpd_deploy_plan_free(&p);
 * the plan owns its arrays and reason strings, and refers to the scenario by index only (the
 * scenario must outlive it). */
#ifndef CPD_DEPLOY_H
#define CPD_DEPLOY_H

#include "cpd_engine.h"
#include "cpd_err.h"
#include "cpd_scenario.h"

/* One thing a teacher needs: a coach (by need level), or for an ECT a mentor and a senior
 * leader. Derived from the scenario by cpd_deploy_demands. */
typedef struct {
    int teacher;
    cpd_service service;
    double hours;   /* a week */
    double weight;  /* value of meeting it */
} cpd_demand;

typedef struct {
    int teacher;
    cpd_service service;
    cpd_need need;          /* the teacher's need level (coaching) */
    int coach;              /* -1: unmet */
    double hours;           /* hours a week of this support */
    double travel_minutes;  /* the coach's weekly round trip to the teacher's school, shared by
                               every coachee of that coach there; 0 at the coach's base */
    bool kept_previous;     /* same coach as last term */
    bool pinned;            /* a `must` pin */
    char *reason;           /* unmet: why, in plain words; else NULL */
} cpd_deploy_row;

typedef struct {
    double hours_coaching;  /* sum of the rows' hours */
    double hours_travel;    /* round trips, once per school worked in away from base */
    double hours_available;
    int coachees;           /* distinct teachers */
    int schools;            /* distinct schools worked in */
} cpd_coach_load;

/* A pair of last term that the plan breaks, with why (the teacher left, the need changed, the
 * coach left or has fewer hours, or the optimiser moved them). */
typedef struct {
    int coach;       /* -1: the coach is no longer in coaches.csv */
    int teacher;     /* -1: the teacher left */
    char *coach_id, *teacher_id;
    int new_coach;   /* -1 when none */
    char *reason;
} cpd_change;

typedef struct {
    cpd_deploy_row *rows;   /* one per demand, in demand order */
    int nrows;
    cpd_coach_load *loads;  /* one per coach, scenario order */
    int nloads;
    cpd_change *changes;
    int nchanges;
    cpd_solve_result result;
    double heuristic_objective; /* the construction heuristic's plan, before GLPK */
    double lagrangian_bound;    /* the decomposition's bound, when computed; else NAN */
    int nvars, nconstraints;
} cpd_deploy_plan;

typedef struct {
    cpd_solve_opts solve;
    const char *export_path; /* write the exact model here (.lp or .mps); NULL: none */
} cpd_deploy_opts;

/* The demands of a scenario, in a stable order (staff order, then service). Caller frees. */
int cpd_deploy_demands(const cpd_scenario *s, cpd_demand **out);

/* Checks what only the model can see (contradicting pins, a must pin the coach cannot serve);
 * such problems are errors with code CPD_ENOPLAN. Returns CPD_OK or CPD_ENOPLAN. */
cpd_code cpd_deploy_check(const cpd_scenario *s, cpd_diags *d);

/* Builds the model, runs the heuristic, solves with GLPK under opts, and returns the plan.
 * Returns CPD_OK (plan set), CPD_ENOPLAN (no plan exists; reasons in d) or CPD_EINTERNAL. */
cpd_code cpd_deploy_solve(const cpd_scenario *s, const cpd_deploy_opts *opts,
                          cpd_deploy_plan **plan, cpd_diags *d);
void cpd_deploy_plan_free(cpd_deploy_plan **p);

#endif
