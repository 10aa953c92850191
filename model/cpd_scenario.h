/* cpd_scenario.h — the domain: schools, travel, staff, coaches, last term's pairs, pins and the
 * deploy settings. Plain data: callers read the fields; the add functions keep arrays growing.
 *
 * Ownership: a cpd_scenario owns every string and array reachable from it, including the
 * cpd_strlist items; cpd_scenario_free(&s) releases everything and sets s to NULL. Indices
 * (school, teacher, coach) are 0-based positions in the arrays. */
#ifndef CPD_SCENARIO_H
#define CPD_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>

#define CPD_TRUST_SCHOOL (-1) /* a coach's base when `school` is "trust" (central staff) */

typedef enum {
    CPD_NEED_NONE,
    CPD_NEED_LIGHT,
    CPD_NEED_STANDARD,
    CPD_NEED_INTENSIVE,
    CPD_NEED_COUNT
} cpd_need;

typedef enum {
    CPD_COACH_LP,
    CPD_COACH_DOL,
    CPD_COACH_OT,
    CPD_COACH_MENTOR,
    CPD_COACH_SENIOR_LEADER,
    CPD_COACH_ROLE_COUNT
} cpd_coach_role;

/* What a demand asks for, and what a coach provides (a bit set of 1 << service). */
typedef enum {
    CPD_SERVICE_COACHING,  /* a coach for a teacher with a need */
    CPD_SERVICE_MENTORING, /* an ECT's subject mentor */
    CPD_SERVICE_SENIOR,    /* an ECT's senior leader */
    CPD_SERVICE_COUNT
} cpd_service;

typedef struct {
    char **items;
    int n;
} cpd_strlist;

typedef struct {
    char *id, *name;
    bool joining;
    int line; /* where it was read, for messages; 0 when generated */
} cpd_school;

typedef struct {
    char *id, *name;
    int school;
    char *role;          /* as written: teacher, ect, ... */
    bool is_ect;
    cpd_strlist subjects; /* lower-case; "primary" is one subject */
    cpd_need need;
    cpd_strlist focus;    /* lower-case */
    int line;
} cpd_staff;

typedef struct {
    char *id, *name;
    cpd_coach_role role;
    int school;            /* base school, or CPD_TRUST_SCHOOL */
    double hours;          /* a week, travel included */
    cpd_strlist subjects;  /* empty: any subject */
    cpd_strlist expertise; /* lower-case focus areas */
    int max_coachees;      /* people at most; 0 = no limit */
    int max_schools;       /* schools at most, base included when worked in; 0 = no limit */
    unsigned provides;     /* bit set of 1u << cpd_service */
    int line;
} cpd_coach;

/* A pair of last term. coach or teacher is -1 when that person is no longer in the scenario
 * (left); the ids are kept so the plan can say who. */
typedef struct {
    int coach, teacher;
    char *coach_id, *teacher_id;
    int line;
} cpd_pair;

typedef struct {
    int coach, teacher;
    bool must;  /* must, else never */
    int line;
} cpd_pin;

/* Weights and rules of the deploy model; defaults from cpd_deploy_params_default(), each
 * settable in scenario.json under "deploy". */
typedef struct {
    double need_weight[CPD_NEED_COUNT]; /* value of meeting a coaching need, by level */
    double need_hours[CPD_NEED_COUNT];  /* coaching hours a week, by level */
    double service_weight[CPD_SERVICE_COUNT]; /* value of mentoring/senior cover (coaching: by need) */
    double service_hours[CPD_SERVICE_COUNT];  /* hours a week of mentoring/senior support */
    double subject_weight;      /* coach and teacher share a subject (coach has subjects) */
    double focus_weight;        /* per focus area met by the coach's expertise */
    double continuity_weight;   /* keeping last term's pair */
    double travel_weight;       /* per minute of weekly round trip */
    double ect_extra_penalty;   /* per ECT beyond a mentor's soft limit */
    int mentor_soft_max_ects;   /* 1: a mentor has at most one ECT where that is possible */
    bool mentor_same_school;    /* the ECT's mentor works in the ECT's school */
    bool senior_same_school;    /* the ECT's senior leader is based in the ECT's school */
    bool subject_fit_required;  /* coaching only within a shared subject */
    double default_travel_minutes; /* one way, for pairs missing from travel.csv */
    int max_changes;            /* last term's pairs that may be broken; -1 = any */
    double time_limit;          /* seconds */
    double gap;                 /* relative */
} cpd_deploy_params;

typedef struct {
    char *name;
    cpd_school *schools;
    int nschools;
    double *travel;        /* nschools x nschools, one-way minutes; row-major */
    double *trust_travel;  /* nschools: minutes from the trust's central base */
    cpd_staff *staff;
    int nstaff;
    cpd_coach *coaches;
    int ncoaches;
    cpd_pair *previous;
    int nprevious;
    cpd_pin *pins;
    int npins;
    cpd_deploy_params params;
} cpd_scenario;

void cpd_deploy_params_default(cpd_deploy_params *p);

cpd_scenario *cpd_scenario_new(void);
void cpd_scenario_free(cpd_scenario **s);

/* Each add copies its strings and returns the new index; lists are moved in (taken over). */
int cpd_scenario_add_school(cpd_scenario *s, const char *id, const char *name, bool joining);
int cpd_scenario_add_staff(cpd_scenario *s, const cpd_staff *st);
int cpd_scenario_add_coach(cpd_scenario *s, const cpd_coach *c);
void cpd_scenario_add_previous(cpd_scenario *s, int coach, int teacher, const char *coach_id,
                               const char *teacher_id, int line);
void cpd_scenario_add_pin(cpd_scenario *s, int coach, int teacher, bool must, int line);
/* Sizes the travel matrix for the schools added so far, every pair at the default minutes,
 * 0 within a school. Call after the last school is added. */
void cpd_scenario_init_travel(cpd_scenario *s, double default_minutes);
/* One-way minutes from a base (a school or CPD_TRUST_SCHOOL) to a school. */
double cpd_scenario_travel(const cpd_scenario *s, int from, int to);

/* A coach with no subjects, or a teacher with none, fits any; else they share one. */
bool cpd_coach_shares_subject(const cpd_coach *c, const cpd_staff *t);

void cpd_strlist_add(cpd_strlist *l, const char *item);
bool cpd_strlist_has(const cpd_strlist *l, const char *item);
void cpd_strlist_clear(cpd_strlist *l);

/* ---- sharing a plan outside the trust (--anonymise) ---- */

/* Replaces *name (owned) by a copy of id: what every output then shows for the person. */
void cpd_anonymise_name(char **name, const char *id);
/* Replaces every staff member's and coach's name by their id, so that no writer can put a
 * person's name into a plan. Schools keep their names (not personal data). */
void cpd_scenario_anonymise(cpd_scenario *s);

const char *cpd_need_name(cpd_need n);           /* "none", "light", ... */
bool cpd_need_parse(const char *s, cpd_need *out);
const char *cpd_coach_role_name(cpd_coach_role r); /* "lp", "dol", "ot", "mentor", "senior_leader" */
bool cpd_coach_role_parse(const char *s, cpd_coach_role *out);
const char *cpd_service_name(cpd_service s);     /* "coaching", "mentoring", "senior" */
bool cpd_service_parse(const char *s, cpd_service *out);
unsigned cpd_coach_role_default_provides(cpd_coach_role r);

#endif
