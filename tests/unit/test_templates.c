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

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const template_files[] = {"schools.csv",  "travel.csv", "staff.csv",
                                             "coaches.csv",  "previous.csv", "pins.csv",
                                             "scenario.json"};
enum { NFILES = sizeof template_files / sizeof template_files[0] };

typedef struct {
    char dir[64];
    cpd_diags *d;
} fixture;

/* ---- helpers ---- */

static int count_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(dp);
    return n;
}

static void remove_all(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    char path[512];
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_all(path);
        else
            unlink(path);
    }
    closedir(dp);
    rmdir(dir);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* True when some diagnostic's formatted text holds needle. */
static bool has_diag(const cpd_diags *d, const char *needle)
{
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        cpd_diag_format(cpd_diags_get(d, i), buf, sizeof buf);
        if (strstr(buf, needle))
            return true;
    }
    return false;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cpd-test-templates-XXXXXX");
    if (!f || !mkdtemp(f->dir))
        return -1;
    f->d = cpd_diags_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    remove_all(f->dir);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

/* ---- tests ---- */

static void test_templates__load_back_valid(void **state)
{
    fixture *f = *state;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/new/trust", f->dir); /* parents are created */
    assert_int_equal(cpd_write_deploy_templates(dir, f->d), CPD_OK);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(count_entries(dir), NFILES);
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
    char path[128];
    snprintf(path, sizeof path, "%s/staff.csv", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("id,name,school,role\nX1,Mine,SCH1,teacher\n", fp);
    fclose(fp);
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_EINPUT);
    assert_int_equal(cpd_diags_errors(f->d), 1);
    assert_true(has_diag(f->d, "staff.csv: already exists; init never overwrites a file"));
    assert_int_equal(count_entries(f->dir), 1); /* nothing else written either */
    char *text = read_all(path);
    assert_string_equal(text, "id,name,school,role\nX1,Mine,SCH1,teacher\n");
    free(text);
}

static void test_templates__second_run_names_every_file(void **state)
{
    fixture *f = *state;
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_OK);
    assert_int_equal(cpd_write_deploy_templates(f->dir, f->d), CPD_EINPUT);
    assert_int_equal(cpd_diags_errors(f->d), NFILES);
    for (int i = 0; i < NFILES; i++)
        assert_true(has_diag(f->d, template_files[i]));
    assert_int_equal(count_entries(f->dir), NFILES);
}

static void test_templates__unmakeable_folder_leaves_nothing(void **state)
{
    fixture *f = *state;
    char file[128], dir[160];
    snprintf(file, sizeof file, "%s/plain", f->dir);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
    snprintf(dir, sizeof dir, "%s/sub", file); /* a folder under a plain file */
    assert_int_equal(cpd_write_deploy_templates(dir, f->d), CPD_EINTERNAL);
    assert_true(cpd_diags_errors(f->d) >= 1);
    assert_int_equal(count_entries(f->dir), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_templates__load_back_valid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_templates__settings_are_the_defaults, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_templates__never_overwrites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_templates__second_run_names_every_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_templates__unmakeable_folder_leaves_nothing, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
