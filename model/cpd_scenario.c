/* cpd_scenario.c — building, freeing and naming the domain's plain data. */
#include "cpd_scenario.h"

#include "cpd_err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cpd_deploy_params_default(cpd_deploy_params *p)
{
    /* Need first: an intensive need left unmet must cost more than any fit, continuity or
     * travel gain elsewhere, so the need weights are an order of magnitude above the rest. */
    *p = (cpd_deploy_params){
        .need_weight = {0, 100, 300, 1000},
        .need_hours = {0, 1, 2, 3},
        .service_weight = {0, 800, 500},
        .service_hours = {0, 1, 0.5},
        .subject_weight = 20,
        .focus_weight = 10,
        .continuity_weight = 15,
        .travel_weight = 0.1,
        .ect_extra_penalty = 50,
        .mentor_soft_max_ects = 1,
        .mentor_same_school = true,
        .senior_same_school = true,
        .subject_fit_required = true,
        .default_travel_minutes = 30,
        .max_changes = -1,
        .time_limit = 60,
        .gap = 0,
    };
}

cpd_scenario *cpd_scenario_new(void)
{
    cpd_scenario *s = cpd_xcalloc(1, sizeof *s);
    cpd_deploy_params_default(&s->params);
    return s;
}

void cpd_strlist_add(cpd_strlist *l, const char *item)
{
    l->items = cpd_xrealloc(l->items, (size_t)(l->n + 1) * sizeof(char *));
    l->items[l->n++] = cpd_strdup(item);
}

bool cpd_strlist_has(const cpd_strlist *l, const char *item)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i], item) == 0)
            return true;
    return false;
}

bool cpd_coach_shares_subject(const cpd_coach *c, const cpd_staff *t)
{
    if (c->subjects.n == 0 || t->subjects.n == 0)
        return true;
    for (int i = 0; i < t->subjects.n; i++)
        if (cpd_strlist_has(&c->subjects, t->subjects.items[i]))
            return true;
    return false;
}

void cpd_strlist_clear(cpd_strlist *l)
{
    for (int i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void cpd_scenario_free(cpd_scenario **sp)
{
    if (!sp || !*sp)
        return;
    cpd_scenario *s = *sp;
    for (int i = 0; i < s->nschools; i++) {
        free(s->schools[i].id);
        free(s->schools[i].name);
    }
    for (int i = 0; i < s->nstaff; i++) {
        cpd_staff *t = &s->staff[i];
        free(t->id);
        free(t->name);
        free(t->role);
        cpd_strlist_clear(&t->subjects);
        cpd_strlist_clear(&t->focus);
    }
    for (int i = 0; i < s->ncoaches; i++) {
        cpd_coach *c = &s->coaches[i];
        free(c->id);
        free(c->name);
        cpd_strlist_clear(&c->subjects);
        cpd_strlist_clear(&c->expertise);
    }
    for (int i = 0; i < s->nprevious; i++) {
        free(s->previous[i].coach_id);
        free(s->previous[i].teacher_id);
    }
    free(s->name);
    free(s->schools);
    free(s->travel);
    free(s->trust_travel);
    free(s->staff);
    free(s->coaches);
    free(s->previous);
    free(s->pins);
    free(s);
    *sp = NULL;
}

int cpd_scenario_add_school(cpd_scenario *s, const char *id, const char *name, bool joining)
{
    s->schools = cpd_grow(s->schools, s->nschools, sizeof(cpd_school));
    s->schools[s->nschools] = (cpd_school){cpd_strdup(id), cpd_strdup(name ? name : id), joining, 0};
    return s->nschools++;
}

int cpd_scenario_add_staff(cpd_scenario *s, const cpd_staff *st)
{
    s->staff = cpd_grow(s->staff, s->nstaff, sizeof(cpd_staff));
    cpd_staff *t = &s->staff[s->nstaff];
    *t = *st;
    t->id = cpd_strdup(st->id);
    t->name = cpd_strdup(st->name ? st->name : st->id);
    t->role = cpd_strdup(st->role ? st->role : "teacher");
    return s->nstaff++;
}

int cpd_scenario_add_coach(cpd_scenario *s, const cpd_coach *c)
{
    s->coaches = cpd_grow(s->coaches, s->ncoaches, sizeof(cpd_coach));
    cpd_coach *k = &s->coaches[s->ncoaches];
    *k = *c;
    k->id = cpd_strdup(c->id);
    k->name = cpd_strdup(c->name ? c->name : c->id);
    return s->ncoaches++;
}

void cpd_scenario_add_previous(cpd_scenario *s, int coach, int teacher, const char *coach_id,
                               const char *teacher_id, int line)
{
    s->previous = cpd_grow(s->previous, s->nprevious, sizeof(cpd_pair));
    s->previous[s->nprevious++] =
        (cpd_pair){coach, teacher, cpd_strdup(coach_id), cpd_strdup(teacher_id), line};
}

void cpd_scenario_add_pin(cpd_scenario *s, int coach, int teacher, bool must, int line)
{
    s->pins = cpd_grow(s->pins, s->npins, sizeof(cpd_pin));
    s->pins[s->npins++] = (cpd_pin){coach, teacher, must, line};
}

void cpd_scenario_init_travel(cpd_scenario *s, double default_minutes)
{
    size_t n = (size_t)s->nschools;
    free(s->travel);
    free(s->trust_travel);
    s->travel = cpd_xcalloc(n * n + 1, sizeof(double));
    s->trust_travel = cpd_xcalloc(n ? n : 1, sizeof(double));
    for (size_t i = 0; i < n; i++) {
        s->trust_travel[i] = default_minutes;
        for (size_t j = 0; j < n; j++)
            s->travel[i * n + j] = i == j ? 0 : default_minutes;
    }
}

double cpd_scenario_travel(const cpd_scenario *s, int from, int to)
{
    if (from == CPD_TRUST_SCHOOL)
        return s->trust_travel[to];
    return s->travel[(size_t)from * (size_t)s->nschools + (size_t)to];
}

static const char *const need_names[] = {"none", "light", "standard", "intensive"};
static const char *const role_names[] = {"lp", "dol", "ot", "mentor", "senior_leader"};
static const char *const service_names[] = {"coaching", "mentoring", "senior"};

static int lookup(const char *const *names, int n, const char *s)
{
    for (int i = 0; i < n; i++)
        if (strcasecmp(names[i], s) == 0)
            return i;
    return -1;
}

const char *cpd_need_name(cpd_need n) { return need_names[n]; }
const char *cpd_coach_role_name(cpd_coach_role r) { return role_names[r]; }
const char *cpd_service_name(cpd_service s) { return service_names[s]; }

bool cpd_need_parse(const char *s, cpd_need *out)
{
    int i = *s ? lookup(need_names, CPD_NEED_COUNT, s) : CPD_NEED_NONE;
    if (i < 0)
        return false;
    *out = (cpd_need)i;
    return true;
}

bool cpd_coach_role_parse(const char *s, cpd_coach_role *out)
{
    int i = lookup(role_names, CPD_COACH_ROLE_COUNT, s);
    if (i < 0 && (strcasecmp(s, "outstanding_teacher") == 0 || strcasecmp(s, "outstanding teacher") == 0))
        i = CPD_COACH_OT;
    if (i < 0 && (strcasecmp(s, "senior") == 0 || strcasecmp(s, "slt") == 0))
        i = CPD_COACH_SENIOR_LEADER;
    if (i < 0)
        return false;
    *out = (cpd_coach_role)i;
    return true;
}

bool cpd_service_parse(const char *s, cpd_service *out)
{
    int i = lookup(service_names, CPD_SERVICE_COUNT, s);
    if (i < 0)
        return false;
    *out = (cpd_service)i;
    return true;
}

unsigned cpd_coach_role_default_provides(cpd_coach_role r)
{
    switch (r) {
    case CPD_COACH_MENTOR:
        return 1u << CPD_SERVICE_MENTORING;
    case CPD_COACH_SENIOR_LEADER:
        return 1u << CPD_SERVICE_SENIOR;
    default:
        return 1u << CPD_SERVICE_COACHING;
    }
}

void cpd_anonymise_name(char **name, const char *id)
{
    free(*name);
    *name = cpd_strdup(id ? id : "");
}

void cpd_scenario_anonymise(cpd_scenario *s)
{
    for (int i = 0; i < s->nstaff; i++)
        cpd_anonymise_name(&s->staff[i].name, s->staff[i].id);
    for (int i = 0; i < s->ncoaches; i++)
        cpd_anonymise_name(&s->coaches[i].name, s->coaches[i].id);
}
