/* cpd_psplib.c — a PSPLIB .sm file (single mode) into an onboarding programme with the
 * makespan objective; the layout is that of PSPLIB's j30/j60 files. */
#include "cpd_psplib.h"

#include "cpd_date.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SM_MAX_JOBS 10000
#define SM_LINE 4096

typedef struct {
    int dur;
    int use[CPD_OB_MAX_NEEDS];
    int *succ, nsucc;
} sm_job;

typedef struct {
    const char *path;
    cpd_diags *d;
    FILE *f;
    int line;
    char buf[SM_LINE];
    int njobs, horizon, nres;
    int cap[CPD_OB_MAX_NEEDS];
    sm_job *jobs;
    bool failed;
} sm_reader;

/* ---- local: lines ---- */

static bool next_line(sm_reader *R)
{
    if (!fgets(R->buf, sizeof R->buf, R->f))
        return false;
    R->line++;
    return true;
}

static void fail(sm_reader *R, const char *what)
{
    if (!R->failed)
        cpd_error(R->d, R->path, R->line, 0, "%s", what);
    R->failed = true;
}

/* Advances to the line starting with prefix (after blanks); false at the end of the file. */
static bool find(sm_reader *R, const char *prefix)
{
    while (next_line(R)) {
        const char *s = R->buf;
        while (isspace((unsigned char)*s))
            s++;
        if (strncmp(s, prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

/* The integer after the ':' of the current line. */
static bool colon_int(sm_reader *R, int *out)
{
    const char *c = strchr(R->buf, ':');
    return c && sscanf(c + 1, "%d", out) == 1;
}

/* The whitespace-separated integers of the current line, at most max. */
static int ints(const sm_reader *R, int *out, int max)
{
    int n = 0;
    const char *s = R->buf;
    char *end;
    while (n < max) {
        long v = strtol(s, &end, 10);
        if (end == s)
            break;
        out[n++] = (int)v;
        s = end;
    }
    return n;
}

/* ---- local: the sections ---- */

static void read_counts(sm_reader *R)
{
    if (!find(R, "jobs") || !colon_int(R, &R->njobs) || R->njobs < 2 || R->njobs > SM_MAX_JOBS)
        return fail(R, "expected 'jobs (incl. supersource/sink ): N' with 2 <= N <= 10000");
    if (!find(R, "horizon") || !colon_int(R, &R->horizon) || R->horizon < 1)
        return fail(R, "expected 'horizon : N' with N >= 1");
    if (!find(R, "- renewable") || !colon_int(R, &R->nres) || R->nres < 0 || R->nres > CPD_OB_MAX_NEEDS)
        return fail(R, "expected '- renewable : N' with 0 <= N <= 4");
    int other;
    for (int k = 0; k < 2; k++)
        if (!next_line(R) || !colon_int(R, &other) || other != 0)
            return fail(R, "only renewable resources are supported (nonrenewable and doubly constrained must be 0)");
    R->jobs = cpd_xcalloc((size_t)R->njobs + 1, sizeof(sm_job));
}

static void read_precedence(sm_reader *R)
{
    if (!find(R, "PRECEDENCE RELATIONS:") || !next_line(R))
        return fail(R, "expected 'PRECEDENCE RELATIONS:'");
    int *v = cpd_xmalloc(((size_t)R->njobs + 4) * sizeof(int));
    for (int j = 0; j < R->njobs && !R->failed; j++) {
        int n = next_line(R) ? ints(R, v, R->njobs + 3) : 0;
        if (n < 3 || v[0] != j + 1 || v[1] != 1 || v[2] != n - 3) {
            fail(R, "expected 'jobnr. 1 #successors successors...' (single mode)");
            break;
        }
        sm_job *job = &R->jobs[j];
        job->nsucc = v[2];
        job->succ = cpd_xmalloc(((size_t)job->nsucc + 1) * sizeof(int));
        for (int k = 0; k < job->nsucc; k++) {
            if (v[3 + k] < 1 || v[3 + k] > R->njobs || v[3 + k] <= j + 1)
                fail(R, "a successor must be a later job of the file");
            job->succ[k] = v[3 + k] - 1;
        }
    }
    free(v);
}

static void read_requests(sm_reader *R)
{
    if (!find(R, "REQUESTS/DURATIONS:") || !next_line(R) || !next_line(R))
        return fail(R, "expected 'REQUESTS/DURATIONS:'");
    int v[3 + CPD_OB_MAX_NEEDS + 1];
    for (int j = 0; j < R->njobs && !R->failed; j++) {
        int n = next_line(R) ? ints(R, v, 3 + R->nres + 1) : 0;
        if (n != 3 + R->nres || v[0] != j + 1 || v[1] != 1 || v[2] < 0) {
            fail(R, "expected 'jobnr. 1 duration R1 .. Rn' (single mode, one use per resource)");
            break;
        }
        R->jobs[j].dur = v[2];
        for (int k = 0; k < R->nres; k++)
            R->jobs[j].use[k] = v[3 + k];
    }
}

static void read_capacities(sm_reader *R)
{
    if (!find(R, "RESOURCEAVAILABILITIES") || !next_line(R) || !next_line(R) ||
        ints(R, R->cap, R->nres) != R->nres)
        return fail(R, "expected 'RESOURCEAVAILABILITIES:' and a row of capacities");
    for (int k = 0; k < R->nres; k++)
        if (R->cap[k] < 0 || R->cap[k] > 1000)
            return fail(R, "a capacity must be 0..1000");
}

/* ---- local: the programme ---- */

static void add_people(cpd_onboard *p, const sm_reader *R)
{
    for (int k = 0; k < R->nres; k++)
        for (int c = 0; c < R->cap[k]; c++) {
            char id[32], role[16];
            snprintf(id, sizeof id, "R%d_%02d", k + 1, c + 1);
            snprintf(role, sizeof role, "r%d", k + 1);
            cpd_resource r = {.id = id, .name = id, .role = role, .days = 5, .school = CPD_TRUST_SCHOOL};
            cpd_onboard_add_resource(p, &r);
        }
}

/* The real jobs (not the zero-duration dummies without resources that open and close the
 * project) as activities; act[j] is job j's activity or -1. */
static void add_jobs(cpd_onboard *p, sm_reader *R, int *act, int last_week)
{
    for (int j = 0; j < R->njobs; j++) {
        const sm_job *job = &R->jobs[j];
        bool uses = false;
        for (int k = 0; k < R->nres; k++)
            uses |= job->use[k] > 0;
        act[j] = -1;
        if (job->dur == 0 && !uses)
            continue;
        if (job->dur == 0) {
            R->line = 0;
            fail(R, "a job of duration 0 that uses resources is not supported");
            return;
        }
        char id[32], role[16];
        snprintf(id, sizeof id, "j%d", j + 1);
        cpd_activity a = {.id = id, .name = id, .week = 1, .earliest = 1, .latest = last_week,
                          .duration = job->dur};
        for (int k = 0; k < R->nres; k++) {
            if (job->use[k] == 0)
                continue;
            snprintf(role, sizeof role, "r%d", k + 1);
            cpd_strlist_add(&a.needs[a.nneeds].roles, role);
            a.needs[a.nneeds++].count = job->use[k];
        }
        act[j] = cpd_onboard_add_activity(p, &a);
    }
}

/* Successors as `after`; a dummy between two jobs passes its order through. */
static void add_order(cpd_onboard *p, sm_reader *R, const int *act)
{
    for (int i = 0; i < R->njobs; i++)
        for (int k = 0; k < R->jobs[i].nsucc && act[i] >= 0; k++) {
            int j = R->jobs[i].succ[k];
            if (act[j] < 0)
                continue;
            cpd_activity *a = &p->activities[act[j]];
            if (a->nafter == CPD_OB_MAX_AFTER) {
                R->line = 0;
                fail(R, "a job has more than 16 predecessors");
                return;
            }
            a->after[a->nafter++] = act[i];
        }
}

static cpd_onboard *build(sm_reader *R)
{
    cpd_scenario *common = cpd_scenario_new();
    cpd_scenario_add_school(common, "P", "Project", true);
    cpd_staff t = {.id = "X", .name = "Nobody", .school = 0, .role = "none"};
    cpd_scenario_add_staff(common, &t);
    cpd_scenario_init_travel(common, 30);
    cpd_onboard *p = cpd_onboard_new(&common);
    cpd_onboard_params *q = &p->params;
    q->start = cpd_date_from_ymd(2029, 1, 1); /* a Monday: weeks of five days from day 1 */
    q->ndays = (R->horizon + 1) / 2;
    q->objective = CPD_OB_OBJ_MAKESPAN;
    q->morning_starts = false;
    q->w_late = q->w_target = q->w_school = 0;
    q->w_unplaced = 10.0 * (R->horizon + 1); /* any plan placing every job is better */
    q->time_limit = 10;
    add_people(p, R);
    int *act = cpd_xmalloc(((size_t)R->njobs + 1) * sizeof(int));
    add_jobs(p, R, act, cpd_onboard_nweeks(p));
    if (!R->failed)
        add_order(p, R, act);
    free(act);
    if (R->failed)
        cpd_onboard_free(&p);
    return p;
}

/* ---- interface ---- */

cpd_onboard *cpd_psplib_read(const char *path, cpd_diags *d)
{
    sm_reader R = {.path = path, .d = d};
    R.f = fopen(path, "r");
    if (!R.f) {
        cpd_error(d, path, 0, 0, "cannot read the file");
        return NULL;
    }
    read_counts(&R);
    if (!R.failed)
        read_precedence(&R);
    if (!R.failed)
        read_requests(&R);
    if (!R.failed)
        read_capacities(&R);
    fclose(R.f);
    cpd_onboard *p = R.failed ? NULL : build(&R);
    for (int j = 0; j < R.njobs && R.jobs; j++)
        free(R.jobs[j].succ);
    free(R.jobs);
    return p;
}
