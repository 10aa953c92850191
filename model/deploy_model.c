/* deploy_model.c — the deploy integer program, one function per family of constraints, each
 * with its formula; the README's model section uses the same names.
 *
 * Sets: C coaches, D demands, A ⊆ C x D the allowed pairs, S schools, b(c) the base of c.
 * Variables: x[c,d] ∈ {0,1} for (c,d) ∈ A; y[c,s] ∈ {0,1} "c works at s"; e[c] ∈ Z+ the ECTs a
 * mentor has beyond the soft limit. Objective (maximise):
 *   sum_A (w_d + fit[c,d] + cont[c,d]) x[c,d] - sum_{s != b(c)} travel_weight * 2 * minutes(c,s)
 *   * y[c,s] - ect_extra_penalty * sum_c e[c]. */
#include "deploy_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- local: names and row buffers ---- */

typedef struct {
    const dp_model *m;
    cpd_engine *e;
    dp_layout *lay;
    int *var;
    double *coef;
    int n;
    char name[256];
} builder;

static const char *coach_id(const builder *b, int c) { return b->m->s->coaches[c].id; }

static const char *teacher_id(const builder *b, int d)
{
    return b->m->s->staff[b->m->dem[d].teacher].id;
}

static const char *service(const builder *b, int d)
{
    return cpd_service_name(b->m->dem[d].service);
}

/* "[LP03,T112,coaching]" after a family name: the exported model reads like the plan. */
static const char *pair_name(builder *b, const char *family, int p)
{
    const dp_pair *q = &b->m->pairs[p];
    snprintf(b->name, sizeof b->name, "%s[%s,%s,%s]", family, coach_id(b, q->coach),
             teacher_id(b, q->demand), service(b, q->demand));
    return b->name;
}

static void term(builder *b, int var, double coef)
{
    b->var[b->n] = var;
    b->coef[b->n++] = coef;
}

static void row(builder *b, cpd_row_kind kind, double rhs)
{
    cpd_engine_add_row(b->e, b->name, (size_t)b->n, b->var, b->coef, kind, rhs);
    b->lay->nrows++;
    b->n = 0;
}

static size_t cs(const dp_model *m, int c, int s) { return (size_t)c * m->ns + s; }

/* ---- local: variables ---- */

/* x[c,d] for (c,d) ∈ A, with objective w_d + fit[c,d] + cont[c,d]; variable index = pair. */
static void add_assign_vars(builder *b)
{
    for (int p = 0; p < b->m->npairs; p++)
        cpd_engine_add_var(b->e, pair_name(b, "x", p), CPD_VAR_BINARY, 0, 1, b->m->pairs[p].value);
}

/* y[c,s] where c has an allowed pair at s: away from the base it carries the round trip; at the
 * base it is needed only to count schools against max_schools. */
static void add_works_vars(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        const cpd_coach *k = &m->s->coaches[c];
        for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++) {
            int s = m->pairs[p].school;
            if (b->lay->yvar[cs(m, c, s)] >= 0 || (s == k->school && k->max_schools <= 0))
                continue;
            snprintf(b->name, sizeof b->name, "y[%s,%s]", k->id, m->s->schools[s].id);
            b->lay->yvar[cs(m, c, s)] =
                cpd_engine_add_var(b->e, b->name, CPD_VAR_BINARY, 0, 1, -dp_tcost(m, c, s));
        }
    }
}

/* e[c] >= 0 for mentors with more allowed mentoring pairs than the soft limit. */
static void add_excess_vars(builder *b)
{
    const dp_model *m = b->m;
    int soft = m->s->params.mentor_soft_max_ects;
    for (int c = 0; c < m->nc && soft > 0; c++) {
        if (m->nment_pairs[c] <= soft)
            continue;
        snprintf(b->name, sizeof b->name, "e[%s]", coach_id(b, c));
        b->lay->evar[c] = cpd_engine_add_var(b->e, b->name, CPD_VAR_INTEGER, 0,
                                             m->nment_pairs[c] - soft,
                                             -m->s->params.ect_extra_penalty);
    }
}

/* ---- local: constraints ---- */

/* one_coach_per_demand: sum_c x[c,d] <= 1 for every d (written where d has two pairs or more;
 * with one, the variable's bound says it). */
static void add_one_coach_per_demand(builder *b)
{
    const dp_model *m = b->m;
    for (int d = 0; d < m->ndem; d++) {
        if (m->dstart[d + 1] - m->dstart[d] < 2)
            continue;
        for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++)
            term(b, m->dpairs[k], 1);
        snprintf(b->name, sizeof b->name, "one_coach[%s,%s]", teacher_id(b, d), service(b, d));
        row(b, CPD_ROW_LE, 1);
    }
}

/* coach_hours: sum_d h_d x[c,d] + sum_{s != b(c)} r[c,s] y[c,s] <= H_c, where r[c,s] is the
 * round trip in hours, paid once per school however many coachees are there. */
static void add_coach_hours(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        if (m->cstart[c] == m->cstart[c + 1])
            continue;
        for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++)
            term(b, p, m->pairs[p].hours);
        for (int s = 0; s < m->ns; s++)
            if (b->lay->yvar[cs(m, c, s)] >= 0 && dp_rt(m, c, s) > 0)
                term(b, b->lay->yvar[cs(m, c, s)], dp_rt(m, c, s));
        snprintf(b->name, sizeof b->name, "hours[%s]", coach_id(b, c));
        row(b, CPD_ROW_LE, m->s->coaches[c].hours);
    }
}

/* works_at_school: x[c,d] <= y[c,school(d)], one row per pair (tighter than the aggregate
 * sum_d x[c,d] <= M y[c,s]). */
static void add_works_at_school(builder *b)
{
    const dp_model *m = b->m;
    for (int p = 0; p < m->npairs; p++) {
        int y = b->lay->yvar[cs(m, m->pairs[p].coach, m->pairs[p].school)];
        if (y < 0)
            continue;
        term(b, p, 1);
        term(b, y, -1);
        pair_name(b, "works_at", p);
        row(b, CPD_ROW_LE, 0);
    }
}

/* coach_schools: sum_s y[c,s] <= max_schools(c), when set (and when it can bind). */
static void add_coach_schools(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        int max = m->s->coaches[c].max_schools;
        for (int s = 0; s < m->ns && max > 0; s++)
            if (b->lay->yvar[cs(m, c, s)] >= 0)
                term(b, b->lay->yvar[cs(m, c, s)], 1);
        if (b->n > max) {
            snprintf(b->name, sizeof b->name, "schools[%s]", coach_id(b, c));
            row(b, CPD_ROW_LE, max);
        }
        b->n = 0;
    }
}

/* coach_people: sum_d x[c,d] <= max_coachees(c), when set (and when it can bind); with
 * one_role_per_teacher each x counts a different person. */
static void add_coach_people(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        int max = m->s->coaches[c].max_coachees;
        if (max <= 0 || m->cstart[c + 1] - m->cstart[c] <= max)
            continue;
        for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++)
            term(b, p, 1);
        snprintf(b->name, sizeof b->name, "people[%s]", coach_id(b, c));
        row(b, CPD_ROW_LE, max);
    }
}

/* one_role_per_teacher: sum_{d of t} x[c,d] <= 1 for each coach c and teacher t with two
 * allowed demands or more (not both an ECT's mentor and senior leader). A coach's pairs are
 * sorted by demand and a teacher's demands are adjacent, so each run is one teacher. */
static void add_one_role_per_teacher(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        for (int p = m->cstart[c]; p < m->cstart[c + 1];) {
            int t = m->dem[m->pairs[p].demand].teacher, q = p;
            while (q < m->cstart[c + 1] && m->dem[m->pairs[q].demand].teacher == t)
                term(b, q++, 1);
            if (q - p >= 2) {
                snprintf(b->name, sizeof b->name, "one_role[%s,%s]", coach_id(b, c),
                         m->s->staff[t].id);
                row(b, CPD_ROW_LE, 1);
            }
            b->n = 0;
            p = q;
        }
    }
}

/* mentor_ects: sum_{d mentoring} x[c,d] - e[c] <= mentor_soft_max_ects ("at most one ECT where
 * possible": beyond it, each ECT costs ect_extra_penalty through e[c]). */
static void add_mentor_ects(builder *b)
{
    const dp_model *m = b->m;
    for (int c = 0; c < m->nc; c++) {
        if (b->lay->evar[c] < 0)
            continue;
        for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++)
            if (m->dem[m->pairs[p].demand].service == CPD_SERVICE_MENTORING)
                term(b, p, 1);
        term(b, b->lay->evar[c], -1);
        snprintf(b->name, sizeof b->name, "mentor_ects[%s]", coach_id(b, c));
        row(b, CPD_ROW_LE, m->s->params.mentor_soft_max_ects);
    }
}

/* max_changes: sum_{(c,d) ∈ P} x[c,d] >= |P| - dups - K, where P holds last term's pairs that
 * are still allowed (the others are forced changes and do not count toward K) and dups the
 * pairs of P that share a demand with another (only one of them can be kept). */
static void add_max_changes(builder *b)
{
    const dp_model *m = b->m;
    if (!m->changes_limited || m->need_kept <= 0)
        return;
    for (int p = 0; p < m->npairs; p++)
        if (m->pairs[p].prev)
            term(b, p, 1);
    snprintf(b->name, sizeof b->name, "max_changes");
    row(b, CPD_ROW_GE, m->need_kept);
}

/* fix_pins: x[c,d] = 1 for every must pin (never pins have no variable: they are not in A). */
static void fix_pins(builder *b)
{
    const dp_model *m = b->m;
    for (int p = 0; p < m->npairs; p++) {
        if (!m->pairs[p].must)
            continue;
        term(b, p, 1);
        pair_name(b, "pin", p);
        row(b, CPD_ROW_EQ, 1);
    }
}

/* ---- interface ---- */

cpd_engine *dp_build_engine(const dp_model *m, dp_layout *lay)
{
    size_t ny = (size_t)m->nc * m->ns;
    *lay = (dp_layout){.yvar = cpd_xmalloc(ny * sizeof(int) + 1),
                       .evar = cpd_xmalloc((size_t)m->nc * sizeof(int) + 1)};
    for (size_t i = 0; i < ny; i++)
        lay->yvar[i] = -1;
    for (int c = 0; c < m->nc; c++)
        lay->evar[c] = -1;
    int width = m->ndem + m->ns + 2;
    for (int c = 0; c < m->nc; c++)
        if (m->cstart[c + 1] - m->cstart[c] + m->ns + 2 > width)
            width = m->cstart[c + 1] - m->cstart[c] + m->ns + 2;
    if (m->npairs + 2 > width)
        width = m->npairs + 2;
    builder b = {.m = m, .e = cpd_engine_new("deploy", CPD_MAXIMIZE), .lay = lay,
                 .var = cpd_xmalloc((size_t)width * sizeof(int)),
                 .coef = cpd_xmalloc((size_t)width * sizeof(double))};
    add_assign_vars(&b);
    add_works_vars(&b);
    add_excess_vars(&b);
    add_one_coach_per_demand(&b);
    add_coach_hours(&b);
    add_works_at_school(&b);
    add_coach_schools(&b);
    add_coach_people(&b);
    add_one_role_per_teacher(&b);
    add_mentor_ects(&b);
    add_max_changes(&b);
    fix_pins(&b);
    lay->nvars = (int)cpd_engine_nvars(b.e);
    free(b.var);
    free(b.coef);
    return b.e;
}

void dp_layout_free(dp_layout *lay)
{
    free(lay->yvar);
    free(lay->evar);
    *lay = (dp_layout){0};
}

void dp_state_to_x(const dp_state *st, const dp_layout *lay, double *x)
{
    const dp_model *m = st->m;
    for (int i = 0; i < lay->nvars; i++)
        x[i] = 0;
    for (int d = 0; d < m->ndem; d++)
        if (st->assign[d] >= 0)
            x[st->assign[d]] = 1;
    for (size_t i = 0; i < (size_t)m->nc * m->ns; i++)
        if (lay->yvar[i] >= 0)
            x[lay->yvar[i]] = st->nat[i] > 0;
    int soft = m->s->params.mentor_soft_max_ects;
    for (int c = 0; c < m->nc; c++)
        if (lay->evar[c] >= 0 && st->nment[c] > soft)
            x[lay->evar[c]] = st->nment[c] - soft;
}
