/* cpd_verify.c — re-checks a written deploy plan against the scenario with rules derived here
 * from the scenario and its params alone; nothing from the formulation is called, so a wrong
 * model cannot vouch for itself. */
#include "cpd_verify.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Figures read back from CSV carry the writer's rounding; capacities are exact sums. */
#define TOL_WRITTEN 0.01
#define TOL_CAPACITY 1e-6
#define ROWS_FILE "deployment.csv"
#define MAX_LISTED 8 /* pairs named in the max_changes message before "and N more" */

/* ---- local: a growing string for messages that list things ---- */

typedef struct {
    char *s;
    size_t len, cap;
} strbuf;

static void sb_printf(strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(strbuf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        n = 0;
    if (b->len + (size_t)n + 1 > b->cap) {
        b->cap = 2 * (b->len + (size_t)n + 1);
        b->s = cpd_xrealloc(b->s, b->cap);
    }
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    b->len += (size_t)n;
    va_end(ap);
}

static const char *sb_str(const strbuf *b) { return b->s ? b->s : ""; }

/* Hours and minutes as people write them: 13.5, 12, 0.25 (no trailing zeros). */
static const char *num(char buf[32], double v)
{
    snprintf(buf, 32, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *end = buf + strlen(buf) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

static void join_list(strbuf *b, const cpd_strlist *l)
{
    for (int i = 0; i < l->n; i++)
        sb_printf(b, "%s%s", i ? ", " : "", l->items[i]);
}

/* ---- local: the checking context ---- */

typedef struct {
    const cpd_scenario *s;
    const cpd_deploy_plan *p;
    cpd_diags *d;
    int breaches;
    int *assigned; /* nstaff x CPD_SERVICE_COUNT: coach of the first met row, else -1 */
    int *count;    /* nstaff x CPD_SERVICE_COUNT: rows (met or unmet) for that demand */
} vctx;

static void breach(vctx *v, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void breach(vctx *v, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cpd_diags_vadd(v->d, CPD_SEV_ERROR, file, 0, 0, fmt, ap);
    va_end(ap);
    v->breaches++;
}

static const char *tid(const vctx *v, int t) { return v->s->staff[t].id; }
static const char *cid(const vctx *v, int c) { return v->s->coaches[c].id; }

static const char *school_name(const cpd_scenario *s, int school)
{
    return school == CPD_TRUST_SCHOOL ? "trust (central)" : s->schools[school].id;
}

/* What the scenario asks for: a coach when the need is not none, a mentor and a senior leader
 * for an ECT. Returns false when there is no such demand; else the hours it takes a week. */
static bool demand_hours(const cpd_scenario *s, int t, int svc, double *hours)
{
    const cpd_staff *st = &s->staff[t];
    if (svc == CPD_SERVICE_COACHING) {
        if (st->need <= CPD_NEED_NONE || st->need >= CPD_NEED_COUNT)
            return false;
        *hours = s->params.need_hours[st->need];
        return true;
    }
    if (!st->is_ect)
        return false;
    *hours = s->params.service_hours[svc];
    return true;
}

/* The weekly round trip, in minutes, from the coach's base to a school; 0 at the base. */
static double round_trip(const cpd_scenario *s, const cpd_coach *c, int school)
{
    return c->school == school ? 0 : 2 * cpd_scenario_travel(s, c->school, school);
}

static bool subject_fits(const cpd_scenario *s, const cpd_coach *c, const cpd_staff *t, int svc)
{
    return svc == CPD_SERVICE_SENIOR || !s->params.subject_fit_required ||
           cpd_coach_shares_subject(c, t);
}

static bool same_school_fits(const cpd_scenario *s, const cpd_coach *c, const cpd_staff *t,
                             int svc)
{
    if (svc == CPD_SERVICE_MENTORING && s->params.mentor_same_school)
        return c->school == t->school;
    if (svc == CPD_SERVICE_SENIOR && s->params.senior_same_school)
        return c->school == t->school;
    return true;
}

/* "T112 (standard need)" or "ECT T201": how a demand's owner is named in messages. */
static void who(strbuf *b, const vctx *v, int t, int svc)
{
    const cpd_staff *st = &v->s->staff[t];
    if (svc == CPD_SERVICE_COACHING)
        sb_printf(b, "%s", st->id);
    else
        sb_printf(b, "ECT %s", st->id);
}

/* ---- local: one row at a time ---- */

static bool row_refs_ok(vctx *v, int i, const cpd_deploy_row *r)
{
    if (r->teacher < 0 || r->teacher >= v->s->nstaff) {
        breach(v, ROWS_FILE, "row %d names teacher #%d, who is not in staff.csv", i + 1,
               r->teacher);
        return false;
    }
    if ((int)r->service < 0 || r->service >= CPD_SERVICE_COUNT) {
        breach(v, ROWS_FILE, "row %d for %s has an unknown service", i + 1, tid(v, r->teacher));
        return false;
    }
    if (r->coach < -1 || r->coach >= v->s->ncoaches) {
        breach(v, ROWS_FILE, "row %d for %s names coach #%d, who is not in coaches.csv", i + 1,
               tid(v, r->teacher), r->coach);
        return false;
    }
    return true;
}

static void check_no_demand(vctx *v, const cpd_deploy_row *r)
{
    if (r->service == CPD_SERVICE_COACHING)
        breach(v, ROWS_FILE, "%s has a coaching row but no coaching need", tid(v, r->teacher));
    else
        breach(v, ROWS_FILE, "%s has a %s row but is not an ECT", tid(v, r->teacher),
               cpd_service_name(r->service));
}

static void check_unmet(vctx *v, const cpd_deploy_row *r)
{
    if (r->reason && r->reason[0])
        return;
    strbuf b = {0};
    who(&b, v, r->teacher, r->service);
    breach(v, "unmet.csv", "%s's unmet %s has no reason", sb_str(&b), cpd_service_name(r->service));
    free(b.s);
}

static void check_row_hours(vctx *v, const cpd_deploy_row *r, double want)
{
    if (fabs(r->hours - want) <= TOL_WRITTEN)
        return;
    char a[32], w[32];
    strbuf b = {0};
    who(&b, v, r->teacher, r->service);
    if (r->service == CPD_SERVICE_COACHING)
        breach(v, ROWS_FILE, "%s's coaching row gives %s h but a %s need takes %s h", sb_str(&b),
               num(a, r->hours), cpd_need_name(v->s->staff[r->teacher].need), num(w, want));
    else
        breach(v, ROWS_FILE, "%s's %s row gives %s h but %s takes %s h", sb_str(&b),
               cpd_service_name(r->service), num(a, r->hours), cpd_service_name(r->service),
               num(w, want));
    free(b.s);
}

static void check_subject(vctx *v, const cpd_deploy_row *r)
{
    const cpd_coach *c = &v->s->coaches[r->coach];
    const cpd_staff *t = &v->s->staff[r->teacher];
    if (subject_fits(v->s, c, t, r->service))
        return;
    strbuf b = {0};
    bool coaching = r->service == CPD_SERVICE_COACHING;
    sb_printf(&b, "%s%s (", coaching ? "" : "ECT ", t->id);
    join_list(&b, &t->subjects);
    sb_printf(&b, ") is %s by %s who %s ", coaching ? "coached" : "mentored", c->id,
              coaching ? "coaches" : "mentors");
    join_list(&b, &c->subjects);
    breach(v, ROWS_FILE, "%s", sb_str(&b));
    free(b.s);
}

static void check_school_rule(vctx *v, const cpd_deploy_row *r)
{
    const cpd_coach *c = &v->s->coaches[r->coach];
    const cpd_staff *t = &v->s->staff[r->teacher];
    if (same_school_fits(v->s, c, t, r->service))
        return;
    const char *at = school_name(v->s, t->school), *base = school_name(v->s, c->school);
    if (r->service == CPD_SERVICE_MENTORING)
        breach(v, ROWS_FILE, "ECT %s at %s is mentored by %s based at %s, not in the ECT's school",
               t->id, at, c->id, base);
    else
        breach(v, ROWS_FILE,
               "ECT %s at %s has senior leader %s based at %s, not in the ECT's school", t->id, at,
               c->id, base);
}

static void check_travel_written(vctx *v, const cpd_deploy_row *r)
{
    const cpd_coach *c = &v->s->coaches[r->coach];
    const cpd_staff *t = &v->s->staff[r->teacher];
    double want = round_trip(v->s, c, t->school);
    if (fabs(r->travel_minutes - want) <= TOL_WRITTEN)
        return;
    char a[32], w[32];
    breach(v, ROWS_FILE, "%s's round trip to %s (for %s) is written as %s min but is %s min",
           c->id, school_name(v->s, t->school), t->id, num(a, r->travel_minutes), num(w, want));
}

static void check_met(vctx *v, const cpd_deploy_row *r)
{
    const cpd_coach *c = &v->s->coaches[r->coach];
    const cpd_staff *t = &v->s->staff[r->teacher];
    if (!(c->provides & (1u << r->service)))
        breach(v, ROWS_FILE, "%s does not provide %s but has a %s row with %s", c->id,
               cpd_service_name(r->service), cpd_service_name(r->service), t->id);
    check_subject(v, r);
    check_school_rule(v, r);
    if (strcmp(c->id, t->id) == 0)
        breach(v, ROWS_FILE, "%s is their own %s", t->id,
               r->service == CPD_SERVICE_COACHING   ? "coach"
               : r->service == CPD_SERVICE_MENTORING ? "mentor"
                                                     : "senior leader");
    check_travel_written(v, r);
}

static void check_rows(vctx *v)
{
    for (int i = 0; i < v->p->nrows; i++) {
        const cpd_deploy_row *r = &v->p->rows[i];
        if (!row_refs_ok(v, i, r))
            continue;
        size_t k = (size_t)r->teacher * CPD_SERVICE_COUNT + r->service;
        v->count[k]++;
        if (r->coach >= 0 && v->assigned[k] < 0)
            v->assigned[k] = r->coach;
        double want = 0;
        bool exists = demand_hours(v->s, r->teacher, r->service, &want);
        if (!exists)
            check_no_demand(v, r);
        if (r->coach < 0) {
            check_unmet(v, r);
            continue;
        }
        if (exists)
            check_row_hours(v, r, want);
        check_met(v, r);
    }
}

/* ---- local: every demand once ---- */

static void check_coverage(vctx *v)
{
    for (int t = 0; t < v->s->nstaff; t++) {
        for (int svc = 0; svc < CPD_SERVICE_COUNT; svc++) {
            double h;
            int n = v->count[(size_t)t * CPD_SERVICE_COUNT + svc];
            if (!demand_hours(v->s, t, svc, &h) || n == 1)
                continue;
            if (n > 1)
                breach(v, ROWS_FILE, "%s has %d %s rows; a demand appears once", tid(v, t), n,
                       cpd_service_name((cpd_service)svc));
            else if (svc == CPD_SERVICE_COACHING)
                breach(v, ROWS_FILE, "%s (%s need) has no coaching row, met or unmet", tid(v, t),
                       cpd_need_name(v->s->staff[t].need));
            else
                breach(v, ROWS_FILE, "ECT %s has no %s row, met or unmet", tid(v, t),
                       svc == CPD_SERVICE_MENTORING ? "mentoring" : "senior leader");
        }
    }
}

/* ---- local: each coach's load ---- */

typedef struct {
    double coaching, travel;
    int coachees, schools;
} load;

typedef struct {
    int *first;         /* ncoaches + 1: start of each coach's met rows in order[] */
    int *order;         /* met row indices grouped by coach, row order within a coach */
    bool *worked;       /* nschools: scratch, schools the current coach works in */
    int *seen_teacher;  /* nstaff: coach index + 1 of the last coach that met the teacher */
    int *first_service; /* nstaff: that coach's first service with the teacher */
} coach_index;

static bool met_row_valid(const vctx *v, const cpd_deploy_row *r)
{
    return r->coach >= 0 && r->coach < v->s->ncoaches && r->teacher >= 0 &&
           r->teacher < v->s->nstaff && (int)r->service >= 0 && r->service < CPD_SERVICE_COUNT;
}

/* Groups met rows by coach with a counting sort (stable, so messages follow row order). */
static coach_index index_coaches(const vctx *v)
{
    int nc = v->s->ncoaches, nr = v->p->nrows;
    coach_index x = {cpd_xcalloc((size_t)nc + 1, sizeof(int)),
                     cpd_xcalloc((size_t)nr + 1, sizeof(int)),
                     cpd_xcalloc((size_t)v->s->nschools + 1, sizeof(bool)),
                     cpd_xcalloc((size_t)v->s->nstaff + 1, sizeof(int)),
                     cpd_xcalloc((size_t)v->s->nstaff + 1, sizeof(int))};
    for (int i = 0; i < nr; i++)
        if (met_row_valid(v, &v->p->rows[i]))
            x.first[v->p->rows[i].coach + 1]++;
    for (int c = 0; c < nc; c++)
        x.first[c + 1] += x.first[c];
    int *at = cpd_xcalloc((size_t)nc + 1, sizeof(int));
    memcpy(at, x.first, (size_t)nc * sizeof(int));
    for (int i = 0; i < nr; i++)
        if (met_row_valid(v, &v->p->rows[i]))
            x.order[at[v->p->rows[i].coach]++] = i;
    free(at);
    return x;
}

static void coach_index_free(coach_index *x)
{
    free(x->first);
    free(x->order);
    free(x->worked);
    free(x->seen_teacher);
    free(x->first_service);
}

/* Sums one coach's rows; travel is paid once per school worked in away from the base, however
 * many teachers there. Reports a second role with the same teacher as it goes. */
static load sum_coach(vctx *v, coach_index *x, int c)
{
    const cpd_coach *k = &v->s->coaches[c];
    load l = {0};
    memset(x->worked, 0, (size_t)v->s->nschools * sizeof(bool));
    for (int j = x->first[c]; j < x->first[c + 1]; j++) {
        const cpd_deploy_row *r = &v->p->rows[x->order[j]];
        int school = v->s->staff[r->teacher].school;
        l.coaching += r->hours;
        if (x->seen_teacher[r->teacher] == c + 1) {
            breach(v, ROWS_FILE, "%s has two roles with %s: %s and %s; a coach holds one", k->id,
                   tid(v, r->teacher), cpd_service_name((cpd_service)x->first_service[r->teacher]),
                   cpd_service_name(r->service));
        } else {
            x->seen_teacher[r->teacher] = c + 1;
            x->first_service[r->teacher] = r->service;
            l.coachees++;
        }
        if (school >= 0 && school < v->s->nschools && !x->worked[school]) {
            x->worked[school] = true;
            l.schools++;
            l.travel += round_trip(v->s, k, school) / 60.0;
        }
    }
    return l;
}

static void check_limits(vctx *v, const coach_index *x, int c, const load *l)
{
    const cpd_coach *k = &v->s->coaches[c];
    char a[32], b[32], t[32], h[32];
    if (l->coaching + l->travel > k->hours + TOL_CAPACITY)
        breach(v, ROWS_FILE, "%s works %s h (%s coaching + %s travel) but has %s h", k->id,
               num(a, l->coaching + l->travel), num(b, l->coaching), num(t, l->travel),
               num(h, k->hours));
    if (k->max_schools > 0 && l->schools > k->max_schools) {
        strbuf sb = {0};
        for (int i = 0; i < v->s->nschools; i++)
            if (x->worked[i])
                sb_printf(&sb, "%s%s", sb.len ? ", " : "", v->s->schools[i].id);
        breach(v, ROWS_FILE, "%s works in %d schools (%s) but at most %d", k->id, l->schools,
               sb_str(&sb), k->max_schools);
        free(sb.s);
    }
    if (k->max_coachees > 0 && l->coachees > k->max_coachees)
        breach(v, ROWS_FILE, "%s has %d coachees but at most %d", k->id, l->coachees,
               k->max_coachees);
}

static void compare_hours(vctx *v, const char *coach, const char *what, double written,
                          double actual, const char *source)
{
    if (fabs(written - actual) <= TOL_WRITTEN)
        return;
    char a[32], b[32];
    breach(v, NULL, "coach_load.csv gives %s %s h %s; %s %s h", coach, num(a, written), what,
           source, num(b, actual));
}

static void compare_count(vctx *v, const char *coach, const char *what, int written, int actual)
{
    if (written != actual)
        breach(v, NULL, "coach_load.csv gives %s %d %s; the rows give %d", coach, written, what,
               actual);
}

static void check_written_load(vctx *v, int c, const load *l)
{
    if (!v->p->loads || c >= v->p->nloads)
        return;
    const cpd_coach_load *w = &v->p->loads[c];
    const char *id = cid(v, c);
    compare_hours(v, id, "coaching", w->hours_coaching, l->coaching, "the rows give");
    compare_hours(v, id, "travel", w->hours_travel, l->travel, "the rows give");
    compare_hours(v, id, "available", w->hours_available, v->s->coaches[c].hours,
                  "coaches.csv gives");
    compare_count(v, id, "coachees", w->coachees, l->coachees);
    compare_count(v, id, "schools", w->schools, l->schools);
}

static void check_coaches(vctx *v)
{
    if (v->p->nloads != v->s->ncoaches)
        breach(v, NULL, "coach_load.csv has %d coaches but coaches.csv has %d", v->p->nloads,
               v->s->ncoaches);
    coach_index x = index_coaches(v);
    for (int c = 0; c < v->s->ncoaches; c++) {
        load l = sum_coach(v, &x, c);
        check_limits(v, &x, c, &l);
        check_written_load(v, c, &l);
    }
    coach_index_free(&x);
}

/* ---- local: pins and last term's pairs ---- */

static bool works_with(const vctx *v, int coach, int teacher)
{
    for (int svc = 0; svc < CPD_SERVICE_COUNT; svc++)
        if (v->assigned[(size_t)teacher * CPD_SERVICE_COUNT + svc] == coach)
            return true;
    return false;
}

static bool pin_valid(const vctx *v, const cpd_pin *pin)
{
    return pin->coach >= 0 && pin->coach < v->s->ncoaches && pin->teacher >= 0 &&
           pin->teacher < v->s->nstaff;
}

static void check_pins(vctx *v)
{
    for (int i = 0; i < v->s->npins; i++) {
        const cpd_pin *pin = &v->s->pins[i];
        if (!pin_valid(v, pin))
            continue;
        bool together = works_with(v, pin->coach, pin->teacher);
        char line[32] = "";
        if (pin->line > 0)
            snprintf(line, sizeof line, " (pins.csv line %d)", pin->line);
        if (pin->must && !together)
            breach(v, NULL, "%s must work with %s%s but the plan does not pair them",
                   cid(v, pin->coach), tid(v, pin->teacher), line);
        else if (!pin->must && together)
            breach(v, NULL, "%s works with %s despite a never pin%s", cid(v, pin->coach),
                   tid(v, pin->teacher), line);
    }
}

static bool never_pinned(const cpd_scenario *s, int coach, int teacher)
{
    for (int i = 0; i < s->npins; i++)
        if (!s->pins[i].must && s->pins[i].coach == coach && s->pins[i].teacher == teacher)
            return true;
    return false;
}

/* The service a pair of last term would continue: coaching when the teacher still has a
 * need, else mentoring for an ECT; -1 when nothing is left to continue. */
static int continued_service(const cpd_scenario *s, int t)
{
    double h;
    if (demand_hours(s, t, CPD_SERVICE_COACHING, &h))
        return CPD_SERVICE_COACHING;
    if (demand_hours(s, t, CPD_SERVICE_MENTORING, &h))
        return CPD_SERVICE_MENTORING;
    return -1;
}

/* Could the plan keep this pair at all? A pair whose coach no longer provides the service, no
 * longer fits, has too few hours for it with the trip, or is pinned `never` must break, and
 * does not count against --max-changes. */
static bool pair_keepable(const cpd_scenario *s, int c, int t, int svc)
{
    const cpd_coach *k = &s->coaches[c];
    const cpd_staff *st = &s->staff[t];
    double h = 0;
    demand_hours(s, t, svc, &h);
    return (k->provides & (1u << svc)) && subject_fits(s, k, st, svc) &&
           same_school_fits(s, k, st, svc) && strcmp(k->id, st->id) != 0 &&
           h + round_trip(s, k, st->school) / 60.0 <= k->hours + TOL_CAPACITY &&
           !never_pinned(s, c, t);
}

static bool seen_before(const cpd_scenario *s, int i)
{
    for (int j = 0; j < i; j++)
        if (s->previous[j].coach == s->previous[i].coach &&
            s->previous[j].teacher == s->previous[i].teacher)
            return true;
    return false;
}

static void check_changes(vctx *v)
{
    const cpd_scenario *s = v->s;
    if (s->params.max_changes < 0)
        return;
    strbuf list = {0};
    int broken = 0;
    for (int i = 0; i < s->nprevious; i++) {
        const cpd_pair *q = &s->previous[i];
        if (q->coach < 0 || q->coach >= s->ncoaches || q->teacher < 0 || q->teacher >= s->nstaff ||
            seen_before(s, i))
            continue;
        int svc = continued_service(s, q->teacher);
        if (svc < 0 || !pair_keepable(s, q->coach, q->teacher, svc) ||
            v->assigned[(size_t)q->teacher * CPD_SERVICE_COUNT + svc] == q->coach)
            continue;
        if (broken < MAX_LISTED)
            sb_printf(&list, "%s%s with %s", broken ? ", " : "", cid(v, q->coach),
                      tid(v, q->teacher));
        broken++;
    }
    if (broken > MAX_LISTED)
        sb_printf(&list, " and %d more", broken - MAX_LISTED);
    if (broken > s->params.max_changes)
        breach(v, NULL,
               "the plan breaks %d of last term's pairs that could be kept (%s) but at most %d "
               "may change",
               broken, sb_str(&list), s->params.max_changes);
    free(list.s);
}

/* ---- interface ---- */

int cpd_verify_deploy(const cpd_scenario *s, const cpd_deploy_plan *p, cpd_diags *d)
{
    if (!s || !p)
        return 0;
    size_t cells = (size_t)s->nstaff * CPD_SERVICE_COUNT + 1;
    vctx v = {s, p, d, 0, cpd_xmalloc(cells * sizeof(int)), cpd_xcalloc(cells, sizeof(int))};
    for (size_t i = 0; i < cells; i++)
        v.assigned[i] = -1;
    check_rows(&v);
    check_coverage(&v);
    check_coaches(&v);
    check_pins(&v);
    check_changes(&v);
    free(v.assigned);
    free(v.count);
    return v.breaches;
}
