/* test_generate_onboard.c — the onboarding generator and the trust's model programme:
 * reproducible, sized and shaped as documented, every need met by a role the pool has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_generate.h"

#include <stdlib.h>
#include <string.h>

static void assert_same_list(const cpd_strlist *a, const cpd_strlist *b)
{
    assert_int_equal(a->n, b->n);
    for (int i = 0; i < a->n; i++)
        assert_string_equal(a->items[i], b->items[i]);
}

static void assert_same(const cpd_onboard *a, const cpd_onboard *b)
{
    const cpd_scenario *x = a->common, *y = b->common;
    assert_int_equal(x->nschools, y->nschools);
    for (int i = 0; i < x->nschools; i++) {
        assert_string_equal(x->schools[i].name, y->schools[i].name);
        assert_int_equal(x->schools[i].joining, y->schools[i].joining);
    }
    assert_memory_equal(x->travel, y->travel, (size_t)(x->nschools * x->nschools) * sizeof(double));
    assert_int_equal(x->nstaff, y->nstaff);
    for (int i = 0; i < x->nstaff; i++) {
        assert_string_equal(x->staff[i].name, y->staff[i].name);
        assert_string_equal(x->staff[i].role, y->staff[i].role);
        assert_int_equal(x->staff[i].school, y->staff[i].school);
    }
    assert_int_equal(a->nresources, b->nresources);
    for (int i = 0; i < a->nresources; i++) {
        const cpd_resource *r = &a->resources[i], *s = &b->resources[i];
        assert_string_equal(r->id, s->id);
        assert_string_equal(r->name, s->name);
        assert_string_equal(r->role, s->role);
        assert_int_equal(r->days, s->days);
        assert_int_equal(r->school, s->school);
        assert_int_equal(r->nunavailable, s->nunavailable);
        for (int k = 0; k < r->nunavailable; k++)
            assert_int_equal(r->unavailable[k], s->unavailable[k]);
    }
    assert_int_equal(a->nactivities, b->nactivities);
    for (int i = 0; i < a->nactivities; i++) {
        const cpd_activity *p = &a->activities[i], *q = &b->activities[i];
        assert_string_equal(p->id, q->id);
        assert_int_equal(p->week, q->week);
        assert_int_equal(p->duration, q->duration);
        assert_same_list(&p->per, &q->per);
    }
}

static int count_role(const cpd_onboard *p, const char *role)
{
    int n = 0;
    for (int i = 0; i < p->nresources; i++)
        n += strcmp(p->resources[i].role, role) == 0;
    return n;
}

static void test_generate_onboard__same_seed_same_scenario(void **state)
{
    (void)state;
    cpd_onboard *a = cpd_generate_onboard(240, 6, 11), *b = cpd_generate_onboard(240, 6, 11);
    assert_same(a, b);
    cpd_onboard *c = cpd_generate_onboard(240, 6, 12);
    bool differ = false;
    for (int i = 0; i < a->common->nstaff && !differ; i++)
        differ = strcmp(a->common->staff[i].name, c->common->staff[i].name) != 0 ||
                 strcmp(a->common->staff[i].role, c->common->staff[i].role) != 0;
    for (int i = 0; i < a->nresources && !differ; i++)
        differ = strcmp(a->resources[i].name, c->resources[i].name) != 0;
    assert_true(differ);
    cpd_onboard_free(&a);
    cpd_onboard_free(&b);
    cpd_onboard_free(&c);
}

/* Golden values for seed 1: the PRNG is ours, not the C library's, so they hold on every
 * machine; a change here changes every generated benchmark. */
static void test_generate_onboard__fixed_sequence(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(40, 1, 1);
    assert_string_equal(p->common->schools[0].id, "J01");
    assert_string_equal(p->common->schools[0].name, "Sandbach Primary School");
    assert_string_equal(p->common->staff[1].name, "Freya Ahmed");
    assert_string_equal(p->resources[0].id, "LP01");
    assert_string_equal(p->resources[0].name, "Yusuf Smith");
    assert_int_equal(count_role(p, "lp") + count_role(p, "dol"), 4); /* two of each at least */
    cpd_onboard_free(&p);
}

/* Six joining schools of 20-60 staff, each with one headteacher; the pool: 12 LPs and DOLs,
 * a few OTs at the trust's own schools, one SENCO, one executive head. */
static void test_generate_onboard__sizes_and_roles(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(240, 6, 3);
    const cpd_scenario *s = p->common;
    int joining = 0, heads[16] = {0}, size[16] = {0};
    for (int i = 0; i < s->nschools; i++)
        joining += s->schools[i].joining;
    assert_int_equal(joining, 6);
    assert_true(s->nschools > 6);
    assert_int_equal(s->nstaff, 240);
    static const char *const roles[] = {"teacher",       "ect",         "middle_leader",
                                        "senior_leader", "headteacher", "support"};
    int seen[6] = {0};
    for (int t = 0; t < s->nstaff; t++) {
        const cpd_staff *st = &s->staff[t];
        assert_true(s->schools[st->school].joining);
        size[st->school]++;
        heads[st->school] += strcmp(st->role, "headteacher") == 0;
        int k = 0;
        while (k < 6 && strcmp(roles[k], st->role) != 0)
            k++;
        assert_in_range(k, 0, 5);
        seen[k]++;
    }
    for (int k = 0; k < 6; k++)
        assert_true(seen[k] > 0);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(heads[i], 1);
        assert_in_range(size[i], 20, 60);
    }
    assert_int_equal(count_role(p, "lp") + count_role(p, "dol"), 12);
    assert_in_range(count_role(p, "ot"), 2, 6);
    assert_int_equal(count_role(p, "senco"), 1);
    assert_int_equal(count_role(p, "exec_head"), 1);
    int part_time = 0, away = 0;
    for (int i = 0; i < p->nresources; i++) {
        const cpd_resource *r = &p->resources[i];
        assert_in_range(r->days, 1, 5);
        part_time += r->days < 5;
        away += r->nunavailable > 0;
        if (strcmp(r->role, "ot") == 0)
            assert_false(s->schools[r->school].joining); /* the pool comes from the trust */
        for (int k = 0; k < r->nunavailable; k++)
            assert_false(cpd_date_is_weekend(r->unavailable[k]));
    }
    assert_true(part_time > 0);
    assert_true(away > 0);
    for (int a = 0; a < s->nschools; a++)
        for (int b = 0; b < s->nschools; b++)
            assert_true(s->travel[a * s->nschools + b] == s->travel[b * s->nschools + a]);
    cpd_onboard_free(&p);
}

/* Beyond six joining schools a SENCO and an executive head per six: forty schools at once
 * are not onboarded by one executive head. */
static void test_generate_onboard__leaders_per_six_schools(void **state)
{
    (void)state;
    static const int schools[] = {6, 7, 12, 13, 40}, leads[] = {1, 2, 2, 3, 7};
    for (int i = 0; i < 5; i++) {
        cpd_onboard *p = cpd_generate_onboard(40 * schools[i], schools[i], 1);
        assert_int_equal(count_role(p, "senco"), leads[i]);
        assert_int_equal(count_role(p, "exec_head"), leads[i]);
        assert_int_equal(count_role(p, "lp"), schools[i]);
        cpd_onboard_free(&p);
    }
}

/* The calendar the generated scenario.json gives: Wednesday 1 September 2027, 20 days, two
 * training days, twilights on Tuesdays and Thursdays. */
static void test_generate_onboard__calendar(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(40, 1, 5);
    assert_int_equal(p->params.start, cpd_date_from_ymd(2027, 9, 1));
    assert_int_equal(cpd_date_weekday(p->params.start), 2);
    assert_int_equal(p->params.ndays, 20);
    assert_int_equal(p->params.ntraining_days, 2);
    assert_int_equal(p->params.training_days[1], cpd_date_from_ymd(2027, 9, 2));
    assert_int_equal(p->params.twilight, (1u << 1) | (1u << 3));
    assert_int_equal(cpd_onboard_nweeks(p), 5);
    assert_true(p->params.short_travel == 20);
    cpd_onboard *q = cpd_onboard_new(NULL);
    q->params.start = cpd_date_from_ymd(2030, 1, 7);
    q->params.ndays = 5;
    cpd_onboard_model_calendar(q);
    assert_int_equal(q->params.start, p->params.start);
    assert_int_equal(q->params.ndays, 20);
    assert_int_equal(q->params.twilight, p->params.twilight);
    assert_int_equal(q->params.ntraining_days, 2);
    assert_memory_equal(q->params.training_days, p->params.training_days, 2 * sizeof(int));
    assert_true(q->params.short_travel == 0); /* the calendar only */
    cpd_onboard_free(&q);
    cpd_onboard_free(&p);
}

/* Under the model calendar every all-staff training has somewhere to go in its window: a
 * training day for a whole day, a twilight afternoon for half of one. */
static void test_generate_onboard__trainings_placeable(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_onboard_new(NULL);
    cpd_onboard_model_calendar(p);
    cpd_onboard_model_programme(p);
    int dates[20], trainings = 0;
    cpd_onboard_days(p, dates);
    for (int i = 0; i < p->nactivities; i++) {
        const cpd_activity *a = &p->activities[i];
        if (!cpd_strlist_has(&a->audience, "staff"))
            continue;
        trainings++;
        int slots = 0;
        for (int d = 1; d <= 20; d++) {
            int w = cpd_onboard_week_of_day(p, d);
            if (w < a->earliest || w > a->latest)
                continue;
            bool training = dates[d - 1] == p->params.training_days[0] ||
                            dates[d - 1] == p->params.training_days[1];
            bool twilight = (p->params.twilight >> cpd_date_weekday(dates[d - 1])) & 1u;
            slots += a->duration == 2 ? training : training || twilight;
        }
        assert_true(slots >= 1);
    }
    assert_int_equal(trainings, 5); /* two training days, three twilights */
    cpd_onboard_free(&p);
}

static int activity_of(const cpd_onboard *p, const char *id)
{
    for (int i = 0; i < p->nactivities; i++)
        if (strcmp(p->activities[i].id, id) == 0)
            return i;
    fail_msg("no activity %s", id);
    return -1;
}

/* Every need names roles the pool has; windows lie within the programme's weeks; `after`
 * points backwards (so no cycle); all-staff trainings are a whole day or half of one. */
static void test_generate_onboard__programme_fits_pool(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_generate_onboard(60, 2, 9);
    int nweeks = cpd_onboard_nweeks(p), cycle[64];
    assert_int_equal(p->nactivities, 22);
    for (int i = 0; i < p->nactivities; i++) {
        const cpd_activity *a = &p->activities[i];
        assert_true(1 <= a->earliest && a->earliest <= a->week && a->week <= a->latest &&
                    a->latest <= nweeks);
        assert_in_range(a->duration, 1, 2);
        for (int k = 0; k < a->nneeds; k++) {
            assert_true(a->needs[k].count >= 1 && a->needs[k].roles.n >= 1);
            for (int r = 0; r < a->needs[k].roles.n; r++)
                assert_true(cpd_onboard_has_role(p, a->needs[k].roles.items[r]));
        }
        for (int k = 0; k < a->nafter; k++)
            assert_in_range(a->after[k], 0, i - 1);
    }
    assert_int_equal(cpd_onboard_find_cycle(p, cycle), 0);
    const cpd_activity *coach = &p->activities[activity_of(p, "coach_day")];
    assert_true(coach->coach);
    assert_true(cpd_strlist_has(&coach->per, "ect"));
    assert_false(cpd_strlist_has(&coach->per, "support"));
    const cpd_activity *adopt = &p->activities[activity_of(p, "marking_adopted")];
    assert_int_equal(adopt->nafter, 1);
    assert_int_equal(adopt->after[0], activity_of(p, "marking_training"));
    const cpd_activity *visit = &p->activities[activity_of(p, "exec_visit")];
    assert_true(visit->weekly);
    assert_string_equal(visit->needs[0].roles.items[0], "exec_head");
    const cpd_activity *inset = &p->activities[activity_of(p, "inset_curriculum")];
    assert_true(cpd_strlist_has(&inset->audience, "staff"));
    assert_int_equal(inset->duration, 2);
    const cpd_activity *ml = &p->activities[activity_of(p, "ml_evaluation")];
    assert_true(ml->cover);
    assert_string_equal(ml->per.items[0], "middle_leader");
    cpd_onboard_free(&p);
}

/* A short calendar clips the windows: 8 days from a Monday are two weeks. */
static void test_generate_onboard__programme_clipped(void **state)
{
    (void)state;
    cpd_onboard *p = cpd_onboard_new(NULL);
    p->params.start = cpd_date_from_ymd(2027, 9, 6);
    p->params.ndays = 8;
    cpd_onboard_model_programme(p);
    assert_int_equal(p->nactivities, 22);
    for (int i = 0; i < p->nactivities; i++) {
        const cpd_activity *a = &p->activities[i];
        assert_true(1 <= a->earliest && a->earliest <= a->week && a->week <= a->latest &&
                    a->latest <= 2);
    }
    cpd_onboard_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_onboard__same_seed_same_scenario),
        cmocka_unit_test(test_generate_onboard__fixed_sequence),
        cmocka_unit_test(test_generate_onboard__sizes_and_roles),
        cmocka_unit_test(test_generate_onboard__leaders_per_six_schools),
        cmocka_unit_test(test_generate_onboard__calendar),
        cmocka_unit_test(test_generate_onboard__trainings_placeable),
        cmocka_unit_test(test_generate_onboard__programme_fits_pool),
        cmocka_unit_test(test_generate_onboard__programme_clipped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
