/* test_anonymise.c — --anonymise at the data level: every person's name becomes their id, in
 * the common scenario (staff, coaches) and in each job's own people (onboard's resources). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpd_inset.h"
#include "cpd_onboard.h"
#include "cpd_scenario.h"

#include <string.h>

/* Two schools, two staff and a coach, each named. */
static cpd_scenario *named_scenario(void)
{
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_add_school(s, "SCH1", "Alder Primary", false);
    cpd_scenario_add_school(s, "SCH2", "Birch Academy", true);
    cpd_scenario_add_staff(s, &(cpd_staff){.id = "T1", .name = "Ann Lee", .school = 0});
    cpd_scenario_add_staff(s, &(cpd_staff){.id = "T2", .name = "Siobhán O'Brien", .school = 1});
    cpd_scenario_add_coach(s, &(cpd_coach){.id = "LP1", .name = "Eve Fox", .school = -1});
    return s;
}

static void test_anonymise__scenario_names_become_ids(void **state)
{
    (void)state;
    cpd_scenario *s = named_scenario();
    cpd_scenario_anonymise(s);
    assert_string_equal(s->staff[0].name, "T1");
    assert_string_equal(s->staff[1].name, "T2");
    assert_string_equal(s->coaches[0].name, "LP1");
    /* ids, schools and everything else stay as they were */
    assert_string_equal(s->staff[1].id, "T2");
    assert_int_equal(s->staff[1].school, 1);
    assert_string_equal(s->schools[0].name, "Alder Primary");
    cpd_scenario_anonymise(s); /* twice is the same as once */
    assert_string_equal(s->staff[0].name, "T1");
    cpd_scenario_free(&s);
}

static void test_anonymise__empty_scenario(void **state)
{
    (void)state;
    cpd_scenario *s = cpd_scenario_new();
    cpd_scenario_anonymise(s);
    assert_int_equal(s->nstaff, 0);
    cpd_scenario_free(&s);
}

static void test_anonymise__inset_staff(void **state)
{
    (void)state;
    cpd_scenario *s = named_scenario();
    cpd_inset *p = cpd_inset_new(&s);
    cpd_inset_anonymise(p);
    assert_string_equal(p->common->staff[0].name, "T1");
    assert_string_equal(p->common->staff[1].name, "T2");
    cpd_inset_free(&p);
}

static void test_anonymise__onboard_resources(void **state)
{
    (void)state;
    cpd_scenario *s = named_scenario();
    cpd_onboard *p = cpd_onboard_new(&s);
    cpd_onboard_add_resource(p, &(cpd_resource){.id = "EXEC1", .name = "Rebecca Lawson",
                                                .role = "exec_head", .school = -1});
    cpd_onboard_add_resource(p, &(cpd_resource){.id = "LP1", .name = "Eve Fox", .role = "lp"});
    cpd_onboard_anonymise(p);
    assert_string_equal(p->resources[0].name, "EXEC1");
    assert_string_equal(p->resources[1].name, "LP1");
    assert_string_equal(p->resources[0].role, "exec_head");
    assert_string_equal(p->common->staff[1].name, "T2");
    assert_string_equal(p->common->coaches[0].name, "LP1");
    cpd_onboard_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_anonymise__scenario_names_become_ids),
        cmocka_unit_test(test_anonymise__empty_scenario),
        cmocka_unit_test(test_anonymise__inset_staff),
        cmocka_unit_test(test_anonymise__onboard_resources),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
