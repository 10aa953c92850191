/* test_templates.c — `init deploy`'s template files: they load back as a valid scenario, an
 * existing file is never overwritten (and nothing else is written then), and a folder that
 * cannot be made leaves nothing behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_load.h"
#include "cpd_templates.h"
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const template_files[] = {"schools.csv",  "travel.csv", "staff.csv",
                                             "coaches.csv",  "previous.csv", "pins.csv",
                                             "scenario.json", "README.txt"};
enum { NFILES = sizeof template_files / sizeof template_files[0] };

typedef tu_fixture fixture;

/* ---- helpers ---- */

static int setup(void **state) { return tu_setup(state, "cpd-test-templates", NULL, 0); }

/* ---- tests ---- */

static void test_templates__load_back_valid(void **state)
{
    fixture *f = *state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/new/trust", f->dir); /* parents are created */
    assert_int_equal(cpd_write_deploy_templates(dir, f->d), CPD_OK);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(tu_entries(dir), NFILES);
    cpd_scenario *s = cpd_load_deploy(dir, f->d);
    assert_non_null(s);
    assert_int_equal(cpd_diags_len(f->d), 0); /* not even a warning */
    assert_int_equal(s->nschools, 2);
    assert_int_equal(s->nstaff, 1);
    assert_int_equal(s->ncoaches, 1);
    assert_int_equal(s->nprevious, 1);
    assert_int_equal(s->npins, 1);
    assert_true(s->pins[0].must);
    assert_int_equal(s->staff[0].need, CPD_NEED_STANDARD);
    assert_int_equal(s->coaches[0].school, CPD_TRUST_SCHOOL);
    assert_true(cpd_strlist_has(&s->coaches[0].subjects, "maths"));
    assert_true(s->schools[1].joining);
    assert_true(cpd_scenario_travel(s, 0, 1) == 20.0);
    cpd_scenario_free(&s);
}

static void test_templates__settings_are_the_defaults(void **state)
{
    fixture *f = *state;
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_OK);
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    assert_non_null(s);
    cpd_deploy_params def;
    cpd_deploy_params_default(&def);
    for (int l = 0; l < CPD_NEED_COUNT; l++) {
        assert_true(s->params.need_hours[l] == def.need_hours[l]);
        assert_true(s->params.need_weight[l] == def.need_weight[l]);
    }
    assert_true(s->params.continuity_weight == def.continuity_weight);
    assert_true(s->params.travel_weight == def.travel_weight);
    assert_true(s->params.time_limit == def.time_limit);
    assert_int_equal(s->params.max_changes, def.max_changes);
    assert_int_equal(s->params.mentor_same_school, def.mentor_same_school);
    assert_string_equal(s->name, "Example trust — autumn term");
    cpd_scenario_free(&s);
}

static void test_templates__never_overwrites(void **state)
{
    fixture *f = *state;
    tu_put_text(f->dir, "staff.csv", "id,name,school,role\nX1,Mine,SCH1,teacher\n");
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_EINPUT);
    assert_int_equal(cpd_diags_errors(f->d), 1);
    assert_true(tu_has_diag(f->d, "staff.csv: already exists; init never overwrites a file"));
    assert_int_equal(tu_entries(f->dir), 1); /* nothing else written either */
    tu_assert_file(f->dir, "staff.csv", "id,name,school,role\nX1,Mine,SCH1,teacher\n");
}

static void test_templates__second_run_names_every_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_OK);
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_EINPUT);
    assert_int_equal(cpd_diags_errors(f->d), NFILES);
    for (int i = 0; i < NFILES; i++)
        assert_true(tu_has_diag(f->d, template_files[i]));
    assert_int_equal(tu_entries(f->dir), NFILES);
}

static void test_templates__unmakeable_folder_leaves_nothing(void **state)
{
    fixture *f = *state;
    char dir[160];
    tu_put_text(f->dir, "plain", "");
    snprintf(dir, sizeof dir, "%s/plain/sub", f->dir); /* a folder under a plain file */
    assert_int_equal(cpd_write_deploy_templates(dir, f->d), CPD_EINTERNAL);
    assert_true(cpd_diags_errors(f->d) >= 1);
    assert_int_equal(tu_entries(f->dir), 1);
}

/* Every column of every CSV template dir holds is explained in dir/README.txt, as a line
 * "  COLUMN" followed by " *" (required) or spaces; no line is wider than 78 columns. */
static void assert_readme_explains(const char *dir, const char *const *csvs, int n)
{
    char *readme = tu_read(dir, "README.txt", NULL);
    assert_non_null(readme);
    for (const char *line = readme; *line;) {
        size_t len = strcspn(line, "\n");
        assert_true(len <= 78);
        line += len + (line[len] == '\n');
    }
    for (int i = 0; i < n; i++) {
        char *text = tu_read(dir, csvs[i], NULL);
        assert_non_null(text);
        text[strcspn(text, "\r\n")] = '\0'; /* the header row */
        char needle[128];
        snprintf(needle, sizeof needle, "\n%s\n", csvs[i]); /* the file's own section */
        const char *section = strstr(readme, needle);
        if (!section)
            fail_msg("README.txt has no section for %s", csvs[i]);
        const char *end = strstr(section + 1, "\n\n");
        for (char *col = strtok(text, ","); col; col = strtok(NULL, ",")) {
            snprintf(needle, sizeof needle, "\n  %s ", col);
            const char *at = strstr(section, needle);
            if (!at || (end && at > end))
                fail_msg("README.txt does not explain %s's column '%s'", csvs[i], col);
        }
        free(text);
    }
    free(readme);
}

static void test_templates__readme_explains_every_column(void **state)
{
    fixture *f = *state;
    static const char *const deploy[] = {"schools.csv",  "travel.csv",   "staff.csv",
                                         "coaches.csv",  "previous.csv", "pins.csv"};
    static const char *const inset[] = {"schools.csv", "staff.csv", "workshops.csv",
                                        "preferences.csv", "pins.csv"};
    static const char *const onboard[] = {"schools.csv", "staff.csv", "activities.csv",
                                          "resources.csv"};
    char dir[160];
    snprintf(dir, sizeof dir, "%s/deploy", f->dir);
    assert_int_equal(cpd_write_deploy_templates(dir, f->d), CPD_OK);
    assert_readme_explains(dir, deploy, 6);
    snprintf(dir, sizeof dir, "%s/inset", f->dir);
    assert_int_equal(cpd_write_inset_templates(dir, f->d), CPD_OK);
    assert_readme_explains(dir, inset, 5);
    snprintf(dir, sizeof dir, "%s/onboard", f->dir);
    assert_int_equal(cpd_write_onboard_templates(dir, f->d), CPD_OK);
    assert_readme_explains(dir, onboard, 4);
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_templates__readme_of_an_unknown_job(void **state)
{
    (void)state;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_false(cpd_templates_readme(f, "payroll"));
    assert_int_equal(ftell(f), 0);
    fclose(f);
}

static void test_templates__onboard_never_overwrites_readme(void **state)
{
    fixture *f = *state;
    tu_put_text(f->dir, "README.txt", "mine\n");
    assert_int_equal(cpd_write_onboard_templates(f->dir, f->d), CPD_EINPUT);
    assert_true(tu_has_diag(f->d, "README.txt: already exists; init never overwrites a file"));
    tu_assert_file(f->dir, "README.txt", "mine\n");
    assert_int_equal(tu_entries(f->dir), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tu_teardown)
    const struct CMUnitTest tests[] = {
        T(test_templates__load_back_valid),
        T(test_templates__settings_are_the_defaults),
        T(test_templates__never_overwrites),
        T(test_templates__second_run_names_every_file),
        T(test_templates__unmakeable_folder_leaves_nothing),
        T(test_templates__readme_explains_every_column),
        T(test_templates__readme_of_an_unknown_job),
        T(test_templates__onboard_never_overwrites_readme),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
