/* test_generate.c — synthetic trusts: reproducible from the seed, the sizes asked for, and
 * consistent (valid ids, ECTs served in their school, capacity tight but not hopeless). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_generate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers: field-by-field equality, naming the first difference ---- */

static char diff[256];

static bool same_str(const char *a, const char *b, const char *what)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0)) {
        snprintf(diff, sizeof diff, "%s: '%s' vs '%s'", what, a ? a : "(null)", b ? b : "(null)");
        return false;
    }
    return true;
}

static bool same_num(double a, double b, const char *what)
{
    if (a != b) {
        snprintf(diff, sizeof diff, "%s: %g vs %g", what, a, b);
        return false;
    }
    return true;
}

static bool same_list(const cpd_strlist *a, const cpd_strlist *b, const char *what)
{
    if (!same_num(a->n, b->n, what))
        return false;
    for (int i = 0; i < a->n; i++)
        if (!same_str(a->items[i], b->items[i], what))
            return false;
    return true;
}

static bool same_schools(const cpd_scenario *a, const cpd_scenario *b)
{
    if (!same_num(a->nschools, b->nschools, "nschools"))
        return false;
    int n = a->nschools;
    for (int i = 0; i < n; i++) {
        const cpd_school *x = &a->schools[i], *y = &b->schools[i];
        if (!same_str(x->id, y->id, "school id") || !same_str(x->name, y->name, "school name") ||
            !same_num(x->joining, y->joining, "joining") || !same_num(x->line, y->line, "line") ||
            !same_num(a->trust_travel[i], b->trust_travel[i], "trust travel"))
            return false;
        for (int j = 0; j < n; j++)
            if (!same_num(a->travel[i * n + j], b->travel[i * n + j], "travel"))
                return false;
    }
    return true;
}

static bool same_staff(const cpd_scenario *a, const cpd_scenario *b)
{
    if (!same_num(a->nstaff, b->nstaff, "nstaff"))
        return false;
    for (int i = 0; i < a->nstaff; i++) {
        const cpd_staff *x = &a->staff[i], *y = &b->staff[i];
        if (!same_str(x->id, y->id, "staff id") || !same_str(x->name, y->name, "staff name") ||
            !same_num(x->school, y->school, "staff school") ||
            !same_str(x->role, y->role, "role") || !same_num(x->is_ect, y->is_ect, "is_ect") ||
            !same_list(&x->subjects, &y->subjects, "staff subjects") ||
            !same_num(x->need, y->need, "need") || !same_list(&x->focus, &y->focus, "focus") ||
            !same_num(x->line, y->line, "staff line"))
            return false;
    }
    return true;
}

static bool same_coaches(const cpd_scenario *a, const cpd_scenario *b)
{
    if (!same_num(a->ncoaches, b->ncoaches, "ncoaches"))
        return false;
    for (int i = 0; i < a->ncoaches; i++) {
        const cpd_coach *x = &a->coaches[i], *y = &b->coaches[i];
        if (!same_str(x->id, y->id, "coach id") || !same_str(x->name, y->name, "coach name") ||
            !same_num(x->role, y->role, "coach role") ||
            !same_num(x->school, y->school, "coach school") ||
            !same_num(x->hours, y->hours, "hours") ||
            !same_list(&x->subjects, &y->subjects, "coach subjects") ||
            !same_list(&x->expertise, &y->expertise, "expertise") ||
            !same_num(x->max_coachees, y->max_coachees, "max_coachees") ||
            !same_num(x->max_schools, y->max_schools, "max_schools") ||
            !same_num(x->provides, y->provides, "provides") ||
            !same_num(x->line, y->line, "coach line"))
            return false;
    }
    return true;
}

static bool same_previous_and_pins(const cpd_scenario *a, const cpd_scenario *b)
{
    if (!same_num(a->nprevious, b->nprevious, "nprevious") ||
        !same_num(a->npins, b->npins, "npins"))
        return false;
    for (int i = 0; i < a->nprevious; i++) {
        const cpd_pair *x = &a->previous[i], *y = &b->previous[i];
        if (!same_num(x->coach, y->coach, "prev coach") ||
            !same_num(x->teacher, y->teacher, "prev teacher") ||
            !same_str(x->coach_id, y->coach_id, "prev coach id") ||
            !same_str(x->teacher_id, y->teacher_id, "prev teacher id") ||
            !same_num(x->line, y->line, "prev line"))
            return false;
    }
    for (int i = 0; i < a->npins; i++) {
        const cpd_pin *x = &a->pins[i], *y = &b->pins[i];
        if (!same_num(x->coach, y->coach, "pin coach") ||
            !same_num(x->teacher, y->teacher, "pin teacher") ||
            !same_num(x->must, y->must, "pin rule") || !same_num(x->line, y->line, "pin line"))
            return false;
    }
    return true;
}

static bool same_params(const cpd_deploy_params *a, const cpd_deploy_params *b)
{
    for (int i = 0; i < CPD_NEED_COUNT; i++)
        if (!same_num(a->need_weight[i], b->need_weight[i], "need_weight") ||
            !same_num(a->need_hours[i], b->need_hours[i], "need_hours"))
            return false;
    for (int i = 0; i < CPD_SERVICE_COUNT; i++)
        if (!same_num(a->service_weight[i], b->service_weight[i], "service_weight") ||
            !same_num(a->service_hours[i], b->service_hours[i], "service_hours"))
            return false;
    return same_num(a->subject_weight, b->subject_weight, "subject_weight") &&
           same_num(a->focus_weight, b->focus_weight, "focus_weight") &&
           same_num(a->continuity_weight, b->continuity_weight, "continuity_weight") &&
           same_num(a->travel_weight, b->travel_weight, "travel_weight") &&
           same_num(a->ect_extra_penalty, b->ect_extra_penalty, "ect_extra_penalty") &&
           same_num(a->mentor_soft_max_ects, b->mentor_soft_max_ects, "mentor_soft_max_ects") &&
           same_num(a->mentor_same_school, b->mentor_same_school, "mentor_same_school") &&
           same_num(a->senior_same_school, b->senior_same_school, "senior_same_school") &&
           same_num(a->subject_fit_required, b->subject_fit_required, "subject_fit_required") &&
           same_num(a->default_travel_minutes, b->default_travel_minutes, "default_travel") &&
           same_num(a->max_changes, b->max_changes, "max_changes") &&
           same_num(a->time_limit, b->time_limit, "time_limit") && same_num(a->gap, b->gap, "gap");
}

static bool same_scenario(const cpd_scenario *a, const cpd_scenario *b)
{
    return same_str(a->name, b->name, "name") && same_schools(a, b) && same_staff(a, b) &&
           same_coaches(a, b) && same_previous_and_pins(a, b) &&
           same_params(&a->params, &b->params);
}

/* ---- helpers: what a plan needs ---- */

static double coaching_demand(const cpd_scenario *s)
{
    double h = 0;
    for (int t = 0; t < s->nstaff; t++)
        h += s->params.need_hours[s->staff[t].need];
    return h;
}

static double coaching_capacity(const cpd_scenario *s)
{
    double h = 0;
    for (int c = 0; c < s->ncoaches; c++)
        if (s->coaches[c].provides & (1u << CPD_SERVICE_COACHING))
            h += s->coaches[c].hours;
    return h;
}

static bool shares_subject(const cpd_coach *c, const cpd_staff *t)
{
    if (c->subjects.n == 0 || t->subjects.n == 0)
        return true;
    for (int i = 0; i < t->subjects.n; i++)
        if (cpd_strlist_has(&c->subjects, t->subjects.items[i]))
            return true;
    return false;
}

static int count_role(const cpd_scenario *s, cpd_coach_role r)
{
    int n = 0;
    for (int c = 0; c < s->ncoaches; c++)
        n += s->coaches[c].role == r;
    return n;
}

static int staff_by_id(const cpd_scenario *s, const char *id)
{
    for (int i = 0; i < s->nstaff; i++)
        if (strcmp(s->staff[i].id, id) == 0)
            return i;
    return -1;
}

static int coach_by_id(const cpd_scenario *s, const char *id)
{
    for (int i = 0; i < s->ncoaches; i++)
        if (strcmp(s->coaches[i].id, id) == 0)
            return i;
    return -1;
}

/* Every staff member's and coach's school exists; ids are unique. */
static void assert_consistent(const cpd_scenario *s)
{
    for (int t = 0; t < s->nstaff; t++) {
        assert_in_range(s->staff[t].school, 0, s->nschools - 1);
        assert_int_equal(staff_by_id(s, s->staff[t].id), t);
        assert_int_equal(s->staff[t].is_ect, strcmp(s->staff[t].role, "ect") == 0);
    }
    for (int c = 0; c < s->ncoaches; c++) {
        const cpd_coach *k = &s->coaches[c];
        assert_true(k->school == CPD_TRUST_SCHOOL || (k->school >= 0 && k->school < s->nschools));
        assert_int_equal(coach_by_id(s, k->id), c);
        assert_true(k->hours > 0);
        assert_int_not_equal(k->provides, 0);
    }
    for (int i = 0; i < s->nschools; i++)
        for (int j = 0; j < s->nschools; j++)
            assert_true(s->travel[i * s->nschools + j] == s->travel[j * s->nschools + i]);
}

/* ---- tests ---- */

static void test_generate__same_seed_same_scenario(void **state)
{
    (void)state;
    cpd_scenario *a = cpd_generate_deploy(300, 8, 42), *b = cpd_generate_deploy(300, 8, 42);
    if (!same_scenario(a, b))
        fail_msg("same seed, different scenario: %s", diff);
    cpd_scenario_free(&a);
    cpd_scenario_free(&b);
    assert_null(a);
}

static void test_generate__different_seed_different_scenario(void **state)
{
    (void)state;
    cpd_scenario *a = cpd_generate_deploy(300, 8, 42), *b = cpd_generate_deploy(300, 8, 43);
    assert_false(same_scenario(a, b));
    /* Not only the name: the trust itself differs. */
    assert_false(same_schools(a, b) && same_staff(a, b) && same_coaches(a, b));
    cpd_scenario_free(&a);
    cpd_scenario_free(&b);
}

static void test_generate__name_and_ids(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(120, 4, 9);
    assert_string_equal(s->name, "generated trust (120 staff, 4 schools, seed 9)");
    assert_string_equal(s->schools[0].id, "SCH01");
    assert_string_equal(s->schools[3].id, "SCH04");
    assert_string_equal(s->staff[0].id, "T0001");
    assert_string_equal(s->staff[119].id, "T0120");
    assert_string_equal(s->coaches[0].id, "LP01");
    assert_non_null(strchr(s->schools[0].name, ' ')); /* "Oakfield Primary", not an id */
    cpd_scenario_free(&s);
}

static void test_generate__trust_of_2000(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(2000, 40, 7);
    assert_int_equal(s->nstaff, 2000);
    assert_int_equal(s->nschools, 40);
    int coaching = count_role(s, CPD_COACH_LP) + count_role(s, CPD_COACH_DOL) +
                   count_role(s, CPD_COACH_OT);
    assert_in_range(coaching, 100, 140); /* about 6 per 100 staff */
    assert_true(count_role(s, CPD_COACH_DOL) > 0);
    assert_true(count_role(s, CPD_COACH_OT) > 0);
    assert_in_range(count_role(s, CPD_COACH_SENIOR_LEADER), 40, 80);
    assert_consistent(s);
    cpd_scenario_free(&s);
}

static void test_generate__mix_of_schools_roles_and_needs(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(2000, 40, 11);
    int primary_schools = 0, ects = 0, need[CPD_NEED_COUNT] = {0};
    for (int i = 0; i < s->nschools; i++) {
        bool primary = false;
        for (int t = 0; t < s->nstaff; t++)
            if (s->staff[t].school == i && cpd_strlist_has(&s->staff[t].subjects, "primary"))
                primary = true;
        primary_schools += primary;
    }
    for (int t = 0; t < s->nstaff; t++) {
        ects += s->staff[t].is_ect;
        need[s->staff[t].need]++;
        assert_in_range(s->staff[t].focus.n, 0, 2);
    }
    assert_in_range(primary_schools, 10, 16); /* about a third */
    assert_in_range(ects, 60, 140);           /* about 5% */
    assert_in_range(need[CPD_NEED_NONE], 1100, 1400);
    assert_in_range(need[CPD_NEED_LIGHT], 300, 500);
    assert_in_range(need[CPD_NEED_STANDARD], 180, 340);
    assert_in_range(need[CPD_NEED_INTENSIVE], 80, 200);
    cpd_scenario_free(&s);
}

static void test_generate__travel_from_the_map(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(500, 10, 3);
    for (int i = 0; i < s->nschools; i++) {
        assert_true(s->travel[i * s->nschools + i] == 0);
        /* round(km * 1.5 + 5) on a 40 x 40 km map: whole minutes, 5 to 90. */
        assert_in_range((long)s->trust_travel[i], 5, 48);
        assert_true(s->trust_travel[i] == floor(s->trust_travel[i]));
        for (int j = 0; j < s->nschools; j++) {
            double m = s->travel[i * s->nschools + j];
            if (i != j)
                assert_in_range((long)m, 5, 90);
            assert_true(m == floor(m));
        }
    }
    cpd_scenario_free(&s);
}

static void test_generate__every_ect_has_mentor_and_senior_in_school(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(2000, 40, 5);
    int ects = 0;
    for (int t = 0; t < s->nstaff; t++) {
        const cpd_staff *st = &s->staff[t];
        if (!st->is_ect)
            continue;
        ects++;
        bool mentor = false, senior = false;
        for (int c = 0; c < s->ncoaches; c++) {
            const cpd_coach *k = &s->coaches[c];
            if (k->school != st->school)
                continue;
            /* A subject mentor: one who teaches the ECT's subject, not a general one. */
            mentor |= (k->provides & (1u << CPD_SERVICE_MENTORING)) && st->subjects.n > 0 &&
                      cpd_strlist_has(&k->subjects, st->subjects.items[0]) &&
                      k->hours >= s->params.service_hours[CPD_SERVICE_MENTORING];
            senior |= (k->provides & (1u << CPD_SERVICE_SENIOR)) &&
                      k->hours >= s->params.service_hours[CPD_SERVICE_SENIOR];
        }
        if (!mentor || !senior)
            fail_msg("ECT %s at %s: mentor %d, senior leader %d", st->id,
                     s->schools[st->school].id, mentor, senior);
    }
    assert_true(ects > 0);
    cpd_scenario_free(&s);
}

static void test_generate__coaching_capacity_tight(void **state)
{
    (void)state;
    const int sizes[][2] = {{2000, 40}, {600, 12}, {200, 6}, {60, 2}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        for (unsigned long seed = 1; seed <= 3; seed++) {
            cpd_scenario *s = cpd_generate_deploy(sizes[i][0], sizes[i][1], seed);
            double demand = coaching_demand(s), cap = coaching_capacity(s);
            if (cap < 0.80 * demand || cap > demand)
                fail_msg("%d staff, seed %lu: capacity %.1f h for %.1f h demanded", sizes[i][0],
                         seed, cap, demand);
            cpd_scenario_free(&s);
        }
    }
}

static void test_generate__pins_valid_and_feasible(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(400, 8, 21);
    int must = 0, never = 0;
    for (int i = 0; i < s->npins; i++) {
        const cpd_pin *p = &s->pins[i];
        assert_in_range(p->coach, 0, s->ncoaches - 1);
        assert_in_range(p->teacher, 0, s->nstaff - 1);
        const cpd_coach *c = &s->coaches[p->coach];
        const cpd_staff *t = &s->staff[p->teacher];
        assert_int_not_equal(t->need, CPD_NEED_NONE);
        assert_true(c->provides & (1u << CPD_SERVICE_COACHING));
        assert_true(shares_subject(c, t));
        if (p->must) {
            must++;
            double trip = c->school == t->school
                              ? 0
                              : 2 * cpd_scenario_travel(s, c->school, t->school) / 60;
            assert_true(s->params.need_hours[t->need] + trip <= c->hours);
        } else {
            never++;
        }
        for (int j = 0; j < i; j++)
            assert_false(s->pins[j].coach == p->coach && s->pins[j].teacher == p->teacher);
    }
    assert_in_range(must, 2, 3);
    assert_in_range(never, 2, 3);
    cpd_scenario_free(&s);
}

/* Last term's pairs name real people by index and id, or keep the id of someone who left. */
static void test_generate__previous_pairs_consistent(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(1000, 20, 13);
    int needy = 0, kept_needy = 0, left = 0, coach_left = 0, need_changed = 0;
    for (int t = 0; t < s->nstaff; t++)
        needy += s->staff[t].need != CPD_NEED_NONE;
    for (int i = 0; i < s->nprevious; i++) {
        const cpd_pair *q = &s->previous[i];
        if (q->coach >= 0) {
            assert_in_range(q->coach, 0, s->ncoaches - 1);
            assert_string_equal(q->coach_id, s->coaches[q->coach].id);
            assert_true(s->coaches[q->coach].provides & (1u << CPD_SERVICE_COACHING));
        } else {
            assert_int_equal(coach_by_id(s, q->coach_id), -1);
            coach_left++;
        }
        if (q->teacher >= 0) {
            const cpd_staff *t = &s->staff[q->teacher];
            assert_string_equal(q->teacher_id, t->id);
            if (q->coach >= 0)
                assert_true(shares_subject(&s->coaches[q->coach], t));
            kept_needy += t->need != CPD_NEED_NONE;
            need_changed += t->need == CPD_NEED_NONE;
        } else {
            assert_int_equal(staff_by_id(s, q->teacher_id), -1);
            assert_int_equal(q->teacher_id[0], 'T');
            left++;
        }
    }
    assert_in_range(kept_needy, needy * 4 / 10, needy * 7 / 10); /* about 60% */
    assert_true(left > 0);
    assert_true(coach_left > 0);
    assert_true(need_changed > 0);
    cpd_scenario_free(&s);
}

/* Last term's pairs were a plan within every coach's hours (travel once per school),
 * coachees and schools at today's needs. */
static void test_generate__previous_term_within_limits(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(800, 16, 4);
    for (int c = 0; c < s->ncoaches; c++) {
        const cpd_coach *k = &s->coaches[c];
        double hours = 0;
        int coachees = 0, schools = 0;
        bool *worked = calloc((size_t)s->nschools, sizeof(bool));
        for (int i = 0; i < s->nprevious; i++) {
            const cpd_pair *q = &s->previous[i];
            if (q->coach != c || q->teacher < 0 || s->staff[q->teacher].need == CPD_NEED_NONE)
                continue;
            int sc = s->staff[q->teacher].school;
            hours += s->params.need_hours[s->staff[q->teacher].need];
            coachees++;
            if (!worked[sc]) {
                worked[sc] = true;
                schools++;
                if (sc != k->school)
                    hours += 2 * cpd_scenario_travel(s, k->school, sc) / 60;
            }
        }
        free(worked);
        assert_true(hours <= k->hours + 1e-9);
        if (k->max_coachees > 0)
            assert_true(coachees <= k->max_coachees);
        if (k->max_schools > 0)
            assert_true(schools <= k->max_schools);
    }
    cpd_scenario_free(&s);
}

static void test_generate__small_trusts(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(10, 1, 1);
    assert_int_equal(s->nstaff, 10);
    assert_int_equal(s->nschools, 1);
    assert_consistent(s);
    assert_true(count_role(s, CPD_COACH_SENIOR_LEADER) >= 1);
    cpd_scenario_free(&s);

    s = cpd_generate_deploy(10, 5, 1); /* five schools of two people: capped */
    assert_int_equal(s->nstaff, 10);
    assert_int_equal(s->nschools, 2);
    assert_string_equal(s->name, "generated trust (10 staff, 2 schools, seed 1)");
    assert_consistent(s);
    cpd_scenario_free(&s);

    for (int n = 1; n <= 12; n++) {
        s = cpd_generate_deploy(n, 3, (unsigned long)n);
        assert_int_equal(s->nstaff, n);
        assert_int_equal(s->nschools, 1 + (n >= 10));
        assert_consistent(s);
        cpd_scenario_free(&s);
    }
}

static void test_generate__default_schools_when_not_given(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(500, 0, 2);
    assert_int_equal(s->nschools, 10);
    cpd_scenario_free(&s);
}

static void test_generate__many_schools_get_distinct_names(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_generate_deploy(1500, 300, 8);
    assert_int_equal(s->nschools, 300);
    for (int i = 0; i < s->nschools; i++) {
        assert_int_equal(strncmp(s->schools[i].id, "SCH", 3), 0);
        for (int j = 0; j < i; j++)
            if (strcmp(s->schools[i].name, s->schools[j].name) == 0)
                fail_msg("%s and %s are both '%s'", s->schools[j].id, s->schools[i].id,
                         s->schools[i].name);
    }
    assert_consistent(s);
    cpd_scenario_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate__same_seed_same_scenario),
        cmocka_unit_test(test_generate__different_seed_different_scenario),
        cmocka_unit_test(test_generate__name_and_ids),
        cmocka_unit_test(test_generate__trust_of_2000),
        cmocka_unit_test(test_generate__mix_of_schools_roles_and_needs),
        cmocka_unit_test(test_generate__travel_from_the_map),
        cmocka_unit_test(test_generate__every_ect_has_mentor_and_senior_in_school),
        cmocka_unit_test(test_generate__coaching_capacity_tight),
        cmocka_unit_test(test_generate__pins_valid_and_feasible),
        cmocka_unit_test(test_generate__previous_pairs_consistent),
        cmocka_unit_test(test_generate__previous_term_within_limits),
        cmocka_unit_test(test_generate__small_trusts),
        cmocka_unit_test(test_generate__default_schools_when_not_given),
        cmocka_unit_test(test_generate__many_schools_get_distinct_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
