/* test_onboard_domain.c — the onboarding programme as data: dates, the calendar and its weeks,
 * cycles in `after`, the tasks activities make and what a schedule costs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_onboard.h"

#include <stdlib.h>
#include <string.h>

/* ---- dates ---- */

static void test_onboard_domain__date_round_trip(void **state)
{
    (void)state;
    int d;
    assert_true(cpd_date_parse("1970-01-01", &d));
    assert_int_equal(d, 0);
    assert_true(cpd_date_parse("2027-09-01", &d));
    int y, m, dd;
    cpd_date_to_ymd(d, &y, &m, &dd);
    assert_int_equal(y, 2027);
    assert_int_equal(m, 9);
    assert_int_equal(dd, 1);
    char buf[16];
    cpd_date_format(d + 30, buf, sizeof buf);
    assert_string_equal(buf, "2027-10-01");
    assert_int_equal(cpd_date_weekday(d), 2); /* a Wednesday */
    assert_int_equal(cpd_date_monday(d), d - 2);
    assert_true(cpd_date_parse("2028-02-29", &d)); /* a leap day */
    assert_false(cpd_date_parse("2027-02-29", &d));
    assert_false(cpd_date_parse("2027-13-01", &d));
    assert_false(cpd_date_parse("2027-9-01", &d));
    assert_false(cpd_date_parse("01/09/2027", &d));
    assert_false(cpd_date_parse("2027-09-01x", &d));
    assert_false(cpd_date_parse("", &d));
}

static void test_onboard_domain__weekdays(void **state)
{
    (void)state;
    int wd;
    assert_true(cpd_weekday_parse("Wed", &wd));
    assert_int_equal(wd, 2);
    assert_true(cpd_weekday_parse("friday", &wd));
    assert_int_equal(wd, 4);
    assert_false(cpd_weekday_parse("fri day", &wd));
    assert_string_equal(cpd_weekday_name(6), "sun");
    int sat;
    assert_true(cpd_date_parse("2027-09-04", &sat));
    assert_true(cpd_date_is_weekend(sat));
    assert_false(cpd_date_is_weekend(sat + 2));
}

/* ---- the calendar ---- */

/* Two schools (the second joining), three staff there, and no activities yet. */
static cpd_onboard *programme(void)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "S1", "Trust School", false);
    cpd_scenario_add_school(s, "S2", "Joining School", true);
    const char *roles[] = {"teacher", "ect", "middle_leader"};
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%d", i + 1);
        cpd_staff st = {.id = id, .name = id, .school = 1, .role = (char *)roles[i]};
        cpd_scenario_add_staff(s, &st);
    }
    cpd_onboard *p = cpd_onboard_new(&s);
    assert_null(s);
    return p;
}

static int add(cpd_onboard *p, const char *id, int week, int earliest, int latest, int dur,
               const char *per, bool weekly)
{
    cpd_activity a = {.id = (char *)id, .week = week, .earliest = earliest, .latest = latest,
                      .duration = dur, .weekly = weekly};
    if (per)
        cpd_strlist_add(&a.per, per);
    return cpd_onboard_add_activity(p, &a);
}

static void test_onboard_domain__calendar_skips_weekends_and_closures(void **state)
{
    (void)state;
    cpd_onboard *p = programme();
    int closed;
    assert_true(cpd_date_parse("2027-09-06", &closed)); /* Monday of week 2 */
    cpd_onboard_set_dates(p, &closed, 1, NULL, 0);
    int dates[20];
    cpd_onboard_days(p, dates);
    char buf[16];
    cpd_date_format(dates[0], buf, sizeof buf);
    assert_string_equal(buf, "2027-09-01");
    cpd_date_format(dates[2], buf, sizeof buf);
    assert_string_equal(buf, "2027-09-03"); /* Friday */
    cpd_date_format(dates[3], buf, sizeof buf);
    assert_string_equal(buf, "2027-09-07"); /* the weekend and the closed Monday skipped */
    cpd_date_format(dates[19], buf, sizeof buf);
    assert_string_equal(buf, "2027-09-29");
    /* a Wednesday start: week 1 has three days, week 2 four (Monday closed) */
    assert_int_equal(cpd_onboard_week_of_day(p, 3), 1);
    assert_int_equal(cpd_onboard_week_of_day(p, 4), 2);
    assert_int_equal(cpd_onboard_week_of_day(p, 8), 3);
    assert_int_equal(cpd_onboard_nweeks(p), 5);
    cpd_onboard_free(&p);
    assert_null(p);
}

/* ---- structure ---- */

static void test_onboard_domain__cycle_named(void **state)
{
    (void)state;
    cpd_onboard *p = programme();
    int a = add(p, "a", 1, 1, 1, 2, NULL, false), b = add(p, "b", 1, 1, 1, 2, NULL, false);
    int c = add(p, "c", 2, 2, 2, 2, NULL, false);
    p->activities[c].after[p->activities[c].nafter++] = a;
    int cycle[4];
    assert_int_equal(cpd_onboard_find_cycle(p, cycle), 0);
    p->activities[a].after[p->activities[a].nafter++] = b;
    p->activities[b].after[p->activities[b].nafter++] = a;
    int n = cpd_onboard_find_cycle(p, cycle);
    assert_int_equal(n, 3);
    assert_int_equal(cycle[0], cycle[2]);
    assert_true((cycle[0] == a && cycle[1] == b) || (cycle[0] == b && cycle[1] == a));
    cpd_onboard_free(&p);
}

static void test_onboard_domain__roles(void **state)
{
    (void)state;
    cpd_onboard *p = programme();
    cpd_resource r = {.id = "LP1", .role = "lp"};
    cpd_onboard_add_resource(p, &r);
    assert_int_equal(p->resources[0].days, 5); /* the default when not given */
    assert_true(cpd_onboard_has_role(p, "lp"));
    assert_false(cpd_onboard_has_role(p, "senco"));
    cpd_strlist l = {0};
    cpd_strlist_add(&l, "ect");
    assert_false(cpd_onboard_role_in(&l, &p->common->staff[0]));
    assert_true(cpd_onboard_role_in(&l, &p->common->staff[1]));
    cpd_strlist_add(&l, "staff");
    assert_true(cpd_onboard_role_in(&l, &p->common->staff[0]));
    cpd_strlist_clear(&l);
    cpd_onboard_free(&p);
}

/* ---- tasks and costs ---- */

static void test_onboard_domain__tasks_per_school_person_week(void **state)
{
    (void)state;
    cpd_onboard *p = programme();
    add(p, "visit", 1, 1, 4, 1, NULL, true);          /* weekly: 4 tasks */
    add(p, "day", 1, 1, 2, 2, "staff", false);         /* per person: 3 tasks */
    add(p, "mle", 3, 3, 3, 1, "middle_leader", false); /* 1 task */
    add(p, "plan", 3, 2, 4, 1, NULL, false);           /* 1 task */
    int n;
    cpd_ob_task *t = cpd_onboard_tasks(p, &n);
    assert_int_equal(n, 9);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(t[i].activity, 0);
        assert_int_equal(t[i].school, 1); /* only the joining school */
        assert_int_equal(t[i].target, i + 1);
        assert_int_equal(t[i].earliest, i + 1);
        assert_int_equal(t[i].latest, i + 1);
        assert_int_equal(t[i].staff, -1);
        assert_int_equal(t[i].start, -1);
    }
    assert_int_equal(t[4].staff, 0);
    assert_int_equal(t[6].staff, 2);
    assert_int_equal(t[6].latest, 2);
    assert_int_equal(t[7].activity, 2);
    assert_int_equal(t[7].staff, 2);
    assert_int_equal(t[8].earliest, 2);
    assert_int_equal(t[8].latest, 4);
    free(t);
    cpd_onboard_free(&p);
}

static void test_onboard_domain__cost_counts_lateness_target_and_school_weeks(void **state)
{
    (void)state;
    cpd_onboard *p = programme();
    add(p, "plan", 2, 1, 2, 2, NULL, false);
    add(p, "review", 2, 2, 2, 1, NULL, false);
    cpd_resource r = {.id = "LP1", .role = "lp"};
    cpd_onboard_add_resource(p, &r);
    int n;
    cpd_ob_task *t = cpd_onboard_tasks(p, &n);
    assert_int_equal(n, 2);
    /* nothing placed: two unplaced tasks */
    assert_true(cpd_onboard_cost(p, t, n) == 2000);
    /* plan on day 1 (week 1: one week off target), review on day 9 (week 3: one week late, one
     * off target), both with LP1: two school-weeks */
    t[0].start = 0;
    t[0].res[0] = 0;
    t[0].nres = 1;
    t[1].start = 2 * 8 + 1;
    t[1].res[0] = 0;
    t[1].nres = 1;
    assert_int_equal(cpd_onboard_week_of_day(p, 9), 3);
    assert_true(cpd_onboard_cost(p, t, n) == 10 + (100 + 10) + 2);
    /* review moved into week 2 with LP1: on target, and a second school-week */
    t[1].start = 2 * 4;
    assert_true(cpd_onboard_cost(p, t, n) == 10 + 0 + 2);
    free(t);
    cpd_onboard_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_onboard_domain__date_round_trip),
        cmocka_unit_test(test_onboard_domain__weekdays),
        cmocka_unit_test(test_onboard_domain__calendar_skips_weekends_and_closures),
        cmocka_unit_test(test_onboard_domain__cycle_named),
        cmocka_unit_test(test_onboard_domain__roles),
        cmocka_unit_test(test_onboard_domain__tasks_per_school_person_week),
        cmocka_unit_test(test_onboard_domain__cost_counts_lateness_target_and_school_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
