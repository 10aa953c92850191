/* deploy_plan.c — the plan read from an assignment: one row per demand (with the plain-words
 * reason of every unmet one, computed from the final plan), each coach's load, and the changes
 * from last term with why. */
#include "deploy_internal.h"

#include <stdlib.h>
#include <string.h>

#define LIST_MAX 5 /* ids named in a reason before "and N more" */

/* ---- local: naming ---- */

static size_t cs(const dp_model *m, int c, int s) { return (size_t)c * m->ns + s; }

static const cpd_staff *teacher_of(const dp_model *m, int d) { return &m->s->staff[m->dem[d].teacher]; }

/* Whether the same-school rule applies to the demand's service. */
static bool same_school_rule(const dp_model *m, int d)
{
    cpd_service sv = m->dem[d].service;
    return (sv == CPD_SERVICE_MENTORING && m->s->params.mentor_same_school) ||
           (sv == CPD_SERVICE_SENIOR && m->s->params.senior_same_school);
}

/* Who could serve the demand, in words: "maths coach", "mentor at SCH4", "senior leader". */
static void who(char **out, const dp_model *m, int d, const char *subject)
{
    const cpd_scenario *s = m->s;
    cpd_service sv = m->dem[d].service;
    if (sv == CPD_SERVICE_COACHING) {
        cpd_strcatf(out, "%s%scoach", subject ? subject : "", subject ? " " : "");
        return;
    }
    cpd_strcatf(out, "%s", sv == CPD_SERVICE_MENTORING ? "mentor" : "senior leader");
    if (same_school_rule(m, d))
        cpd_strcatf(out, " at %s", s->schools[m->dem_school[d]].id);
}

static void teacher_subjects(char **out, const cpd_staff *t, const char *sep)
{
    for (int i = 0; i < t->subjects.n; i++)
        cpd_strcatf(out, "%s%s", i ? sep : "", t->subjects.items[i]);
}

/* "LP03, LP07, ... and 3 more": ids[0..n) by coach index. */
static void list_ids(char **out, const dp_model *m, const int *coach, int n, const char *suffix)
{
    for (int i = 0; i < n && i < LIST_MAX; i++)
        cpd_strcatf(out, "%s%s", i ? ", " : "", m->s->coaches[coach[i]].id);
    if (n > LIST_MAX)
        cpd_strcatf(out, " and %d more", n - LIST_MAX);
    if (suffix)
        cpd_strcatf(out, "%s", suffix);
}

/* ---- local: unmet demands nobody can serve ---- */

typedef struct {
    int provide, at_school, subject, hours, not_never;
} funnel;

/* Counts the coaches left after each rule, in the order the reasons are told. */
static funnel count_funnel(const dp_model *m, int d)
{
    const cpd_scenario *s = m->s;
    const cpd_demand *q = &m->dem[d];
    const cpd_staff *t = teacher_of(m, d);
    funnel f = {0};
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &s->coaches[c];
        if (!(k->provides & (1u << q->service)) || m->self_staff[c] == q->teacher)
            continue;
        f.provide++;
        if (same_school_rule(m, d) && k->school != t->school)
            continue;
        f.at_school++;
        if (q->service != CPD_SERVICE_SENIOR && s->params.subject_fit_required &&
            k->subjects.n > 0 && t->subjects.n > 0 && !dp_shares_subject(k, t))
            continue;
        f.subject++;
        if (q->hours + dp_rt(m, c, t->school) > k->hours + DP_EPS)
            continue;
        f.hours++;
        f.not_never += !dp_is_never(m, c, q->teacher);
    }
    return f;
}

static char *no_coach_reason(const dp_model *m, int d)
{
    const cpd_demand *q = &m->dem[d];
    const cpd_staff *t = teacher_of(m, d);
    funnel f = count_funnel(m, d);
    char *r = NULL;
    if (f.provide == 0 && !same_school_rule(m, d)) {
        cpd_strcatf(&r, "no coach provides %s", cpd_service_name(q->service));
    } else if (f.at_school == 0) {
        cpd_strcatf(&r, "no ");
        who(&r, m, d, NULL);
    } else if (f.subject == 0 && q->service == CPD_SERVICE_COACHING) {
        cpd_strcatf(&r, "no coach covers ");
        teacher_subjects(&r, t, " or ");
    } else if (f.subject == 0) {
        cpd_strcatf(&r, "no ");
        who(&r, m, d, NULL);
        cpd_strcatf(&r, " teaches ");
        teacher_subjects(&r, t, " or ");
    } else {
        char *subj = NULL;
        if (q->service == CPD_SERVICE_COACHING && t->subjects.n > 0 && m->s->params.subject_fit_required)
            teacher_subjects(&subj, t, " or ");
        cpd_strcatf(&r, f.hours == 0 ? "no " : "every ");
        who(&r, m, d, subj);
        if (f.hours == 0)
            cpd_strcatf(&r, " has enough hours for it (%g hours a week plus travel)", q->hours);
        else
            cpd_strcatf(&r, " is ruled out by a never pin");
        free(subj);
    }
    return r;
}

/* ---- local: unmet demands whose coaches are busy ---- */

typedef enum { BLOCK_FREE, BLOCK_HOURS, BLOCK_SCHOOLS, BLOCK_PEOPLE, BLOCK_ROLE, BLOCK_N } block;

/* Why coach of pair p cannot take its demand in the final plan. */
static block blocked_by(const dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *q = &m->pairs[p];
    const cpd_coach *k = &m->s->coaches[q->coach];
    int t = m->dem[q->demand].teacher;
    for (int i = 0; i < m->ndem_of[t]; i++) {
        int a = st->assign[m->first_dem[t] + i];
        if (a >= 0 && m->pairs[a].coach == q->coach)
            return BLOCK_ROLE;
    }
    bool new_school = st->nat[cs(m, q->coach, q->school)] == 0;
    if (st->used[q->coach] + q->hours + (new_school ? dp_rt(m, q->coach, q->school) : 0) >
        k->hours + DP_EPS)
        return BLOCK_HOURS;
    if (k->max_schools > 0 && new_school && st->nsch[q->coach] >= k->max_schools)
        return BLOCK_SCHOOLS;
    if (k->max_coachees > 0 && st->npeople[q->coach] >= k->max_coachees)
        return BLOCK_PEOPLE;
    return BLOCK_FREE;
}

/* The first of the teacher's subjects that one of the allowed coaches teaches, or NULL. */
static const char *shared_subject(const dp_model *m, int d)
{
    const cpd_staff *t = teacher_of(m, d);
    if (m->dem[d].service != CPD_SERVICE_COACHING || !m->s->params.subject_fit_required)
        return NULL;
    for (int i = 0; i < t->subjects.n; i++)
        for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
            if (cpd_strlist_has(&m->s->coaches[m->pairs[m->dpairs[k]].coach].subjects,
                                t->subjects.items[i]))
                return t->subjects.items[i];
    return NULL;
}

static const char *const block_words[BLOCK_N] = {"", " full", " at their school limit",
                                                 " at their coachee limit", ""};

/* "LP03 full, LP07 at their school limit, LP09 already works with T112". */
static void mixed_list(char **r, const dp_state *st, int d, const int *coach, const block *why, int n)
{
    const dp_model *m = st->m;
    for (int i = 0; i < n && i < LIST_MAX; i++) {
        cpd_strcatf(r, "%s%s", i ? ", " : "", m->s->coaches[coach[i]].id);
        if (why[i] == BLOCK_ROLE)
            cpd_strcatf(r, " already works with %s", teacher_of(m, d)->id);
        else
            cpd_strcatf(r, "%s", block_words[why[i]]);
    }
    if (n > LIST_MAX)
        cpd_strcatf(r, " and %d more", n - LIST_MAX);
}

static char *busy_reason(const dp_state *st, int d)
{
    const dp_model *m = st->m;
    int n = m->dstart[d + 1] - m->dstart[d], kinds = 0, nfree_gain = 0;
    int *coach = cpd_xmalloc((size_t)n * sizeof(int));
    block *why = cpd_xmalloc((size_t)n * sizeof(block));
    int count[BLOCK_N] = {0};
    for (int i = 0; i < n; i++) {
        int p = m->dpairs[m->dstart[d] + i];
        coach[i] = m->pairs[p].coach;
        why[i] = blocked_by(st, p);
        kinds += count[why[i]]++ == 0;
        nfree_gain += why[i] == BLOCK_FREE &&
                      m->pairs[p].value > dp_tcost(m, coach[i], m->pairs[p].school) *
                                              (st->nat[cs(m, coach[i], m->pairs[p].school)] == 0);
    }
    char *r = NULL;
    if (count[BLOCK_FREE] == 0) {
        cpd_strcatf(&r, "no ");
        who(&r, m, d, shared_subject(m, d));
        if (kinds == 1 && count[BLOCK_HOURS] > 0) {
            cpd_strcatf(&r, " has hours left: ");
            list_ids(&r, m, coach, n, " full");
        } else if (kinds == 1 && count[BLOCK_SCHOOLS] > 0) {
            cpd_strcatf(&r, " can work in another school: ");
            list_ids(&r, m, coach, n, " at their school limit");
        } else if (kinds == 1 && count[BLOCK_PEOPLE] > 0) {
            cpd_strcatf(&r, " can take another coachee: ");
            list_ids(&r, m, coach, n, " at their coachee limit");
        } else {
            cpd_strcatf(&r, " has room: ");
            mixed_list(&r, st, d, coach, why, n);
        }
    } else if (nfree_gain == 0) {
        int nf = 0;
        for (int i = 0; i < n; i++)
            if (why[i] == BLOCK_FREE)
                coach[nf++] = coach[i];
        cpd_strcatf(&r, "the round trip costs more than this need is worth for ");
        list_ids(&r, m, coach, nf, NULL);
    } else {
        cpd_strcatf(&r, "coaches who could take it are used for higher needs: ");
        list_ids(&r, m, coach, n, NULL);
    }
    free(coach);
    free(why);
    return r;
}

/* ---- local: plan parts ---- */

static void fill_rows(const dp_state *st, cpd_deploy_plan *p)
{
    const dp_model *m = st->m;
    p->nrows = m->ndem;
    p->rows = cpd_xcalloc((size_t)m->ndem + 1, sizeof(cpd_deploy_row));
    for (int d = 0; d < m->ndem; d++) {
        cpd_deploy_row *r = &p->rows[d];
        int a = st->assign[d];
        *r = (cpd_deploy_row){.teacher = m->dem[d].teacher, .service = m->dem[d].service,
                              .need = teacher_of(m, d)->need, .coach = -1,
                              .hours = m->dem[d].hours};
        if (a >= 0) {
            r->coach = m->pairs[a].coach;
            r->travel_minutes = 60 * dp_rt(m, r->coach, m->pairs[a].school);
            r->kept_previous = m->pairs[a].prev;
            r->pinned = m->pairs[a].must;
        } else {
            r->reason = m->dstart[d] == m->dstart[d + 1] ? no_coach_reason(m, d) : busy_reason(st, d);
        }
    }
}

static void fill_loads(const dp_state *st, cpd_deploy_plan *p)
{
    const dp_model *m = st->m;
    p->nloads = m->nc;
    p->loads = cpd_xcalloc((size_t)m->nc + 1, sizeof(cpd_coach_load));
    for (int c = 0; c < m->nc; c++) {
        cpd_coach_load *l = &p->loads[c];
        l->hours_available = m->s->coaches[c].hours;
        l->schools = st->nsch[c];
        for (int s = 0; s < m->ns; s++)
            l->hours_travel += st->nat[cs(m, c, s)] > 0 ? dp_rt(m, c, s) : 0;
        int last_teacher = -1;
        for (int q = m->cstart[c]; q < m->cstart[c + 1]; q++) {
            int d = m->pairs[q].demand;
            if (st->assign[d] != q)
                continue;
            l->hours_coaching += m->pairs[q].hours;
            l->coachees += m->dem[d].teacher != last_teacher;
            last_teacher = m->dem[d].teacher;
        }
    }
}

/* Why a previous pair that is not in A is impossible now. */
static void not_allowed_reason(char **r, const dp_model *m, int c, int d)
{
    switch (dp_pair_fit(m, c, d)) {
    case DP_FIT_HOURS:
        cpd_strcatf(r, "coach's hours cut");
        return;
    case DP_FIT_OK:
        break;
    default:
        cpd_strcatf(r, "no longer a fit");
        return;
    }
    if (dp_is_never(m, c, m->dem[d].teacher))
        cpd_strcatf(r, "ruled out by a never pin");
    else if (m->must[d] >= 0)
        cpd_strcatf(r, "pinned to %s", m->s->coaches[m->must[d]].id);
    else
        cpd_strcatf(r, "no longer a fit");
}

/* The reason a previous pair i changed, or NULL when it is kept. */
static char *change_reason(const dp_state *st, int i, int *new_coach)
{
    const dp_model *m = st->m;
    const cpd_pair *q = &m->s->previous[i];
    int d = m->prev_dem[i], p = m->prev_pair[i];
    char *r = NULL;
    *new_coach = d >= 0 && st->assign[d] >= 0 ? m->pairs[st->assign[d]].coach : -1;
    if (q->teacher < 0)
        cpd_strcatf(&r, "teacher left");
    else if (q->coach < 0)
        cpd_strcatf(&r, "coach left");
    else if (d < 0)
        cpd_strcatf(&r, "need now none");
    else if (p >= 0 && st->assign[d] == p)
        return NULL;
    else if (p < 0)
        not_allowed_reason(&r, m, q->coach, d);
    else if (st->assign[d] >= 0 && m->pairs[st->assign[d]].prev)
        cpd_strcatf(&r, "kept another of last term's coaches");
    else
        cpd_strcatf(&r, "moved to cover a higher need");
    return r;
}

static void fill_changes(const dp_state *st, cpd_deploy_plan *p)
{
    const dp_model *m = st->m;
    const cpd_scenario *s = m->s;
    unsigned char *told = cpd_xcalloc((size_t)m->npairs + 1, 1);
    p->changes = cpd_xcalloc((size_t)s->nprevious + 1, sizeof(cpd_change));
    for (int i = 0; i < s->nprevious; i++) {
        int new_coach, pp = m->prev_pair[i];
        if (pp >= 0 && told[pp])
            continue; /* the same pair listed twice in previous.csv */
        char *why = change_reason(st, i, &new_coach);
        if (!why)
            continue;
        if (pp >= 0)
            told[pp] = 1;
        const cpd_pair *q = &s->previous[i];
        p->changes[p->nchanges++] =
            (cpd_change){.coach = q->coach, .teacher = q->teacher, .coach_id = cpd_strdup(q->coach_id),
                         .teacher_id = cpd_strdup(q->teacher_id), .new_coach = new_coach,
                         .reason = why};
    }
    free(told);
}

/* ---- interface ---- */

void dp_plan_fill(const dp_state *st, cpd_deploy_plan *p)
{
    fill_rows(st, p);
    fill_loads(st, p);
    fill_changes(st, p);
}
