/* test_deploy_io.c — a hand-built deploy plan written out (exact CSV headers and rows, formula
 * neutralising, summary.json keys, report escaping), read back, and refused when unwritable. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_deploy_io.h"
#include "test_util.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    char dir[64];
    char out[96];
    cpd_scenario *s;
    cpd_deploy_plan *p;
    cpd_diags *d;
} fixture;

/* ---- the scenario and plan, by hand ---- */

static void add_staff(cpd_scenario *s, const char *id, const char *name, int school,
                      const char *role, cpd_need need)
{
    cpd_staff st = {.id = (char *)id, .name = (char *)name, .school = school, .role = (char *)role,
                    .is_ect = strcmp(role, "ect") == 0, .need = need};
    cpd_scenario_add_staff(s, &st);
}

static void add_coach(cpd_scenario *s, const char *id, const char *name, cpd_coach_role role,
                      int school, double hours)
{
    cpd_coach k = {.id = (char *)id, .name = (char *)name, .role = role, .school = school,
                   .hours = hours, .provides = cpd_coach_role_default_provides(role)};
    cpd_scenario_add_coach(s, &k);
}

static cpd_scenario *scenario(void)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = strdup("Hand <Built> Trust");
    cpd_scenario_add_school(s, "A", "Alpha", false);
    cpd_scenario_add_school(s, "B", "Beta", false);
    cpd_scenario_init_travel(s, 30);
    add_staff(s, "T1", "Teacher One", 0, "teacher", CPD_NEED_INTENSIVE);
    add_staff(s, "T2", "=SUM(A1)", 1, "teacher", CPD_NEED_LIGHT);
    add_staff(s, "T3", "Third Ect", 0, "ect", CPD_NEED_NONE);
    add_staff(s, "T4", "Dee <b>Bold</b> & Co", 1, "teacher", CPD_NEED_STANDARD);
    add_coach(s, "LP1", "Lee Page", CPD_COACH_LP, CPD_TRUST_SCHOOL, 6);
    add_coach(s, "M1", "Mo Mentor", CPD_COACH_MENTOR, 0, 2);
    add_coach(s, "SL1", "Sue Lead", CPD_COACH_SENIOR_LEADER, 0, 1);
    cpd_scenario_add_previous(s, 0, 0, "LP1", "T1", 2);
    cpd_scenario_add_previous(s, 0, 3, "LP1", "T4", 3);
    return s;
}

static cpd_deploy_plan *plan(void)
{
    cpd_deploy_plan *p = calloc(1, sizeof *p);
    p->nrows = 5;
    p->rows = calloc(5, sizeof *p->rows);
    p->rows[0] = (cpd_deploy_row){0, CPD_SERVICE_COACHING, CPD_NEED_INTENSIVE, 0, 3, 50, true,
                                  false, NULL};
    p->rows[1] = (cpd_deploy_row){1, CPD_SERVICE_COACHING, CPD_NEED_LIGHT, 0, 1, 60, false, true,
                                  NULL};
    p->rows[2] = (cpd_deploy_row){2, CPD_SERVICE_MENTORING, CPD_NEED_NONE, 1, 1, 0, false, false,
                                  NULL};
    p->rows[3] = (cpd_deploy_row){2, CPD_SERVICE_SENIOR, CPD_NEED_NONE, -1, 0.5, 0, false, false,
                                  strdup("no senior leader has hours left: SL1 full")};
    p->rows[4] = (cpd_deploy_row){3, CPD_SERVICE_COACHING, CPD_NEED_STANDARD, -1, 2, 0, false,
                                  false, strdup("no coach covers music")};
    p->nloads = 3;
    p->loads = calloc(3, sizeof *p->loads);
    p->loads[0] = (cpd_coach_load){4, 1.75, 6, 2, 2};
    p->loads[1] = (cpd_coach_load){1, 0, 2, 1, 1};
    p->loads[2] = (cpd_coach_load){0, 0, 1, 0, 0};
    p->nchanges = 1;
    p->changes = calloc(1, sizeof *p->changes);
    p->changes[0] = (cpd_change){0, 3, strdup("LP1"), strdup("T4"), -1,
                                 strdup("no coach has hours left")};
    p->result = (cpd_solve_result){.status = CPD_SOLVE_OPTIMAL, .objective = 1234.567891,
                                   .bound = 1234.567891, .gap = 0, .has_bound = true,
                                   .seconds = 0.12345, .nodes = 3};
    p->heuristic_objective = 1200;
    p->lagrangian_bound = NAN;
    p->nvars = 10;
    p->nconstraints = 8;
    return p;
}

/* ---- helpers ---- */

/* Line k (0-based) of text, copied into buf. */
static const char *line_of(const char *text, int k, char *buf, size_t len)
{
    for (; k > 0 && text; k--) {
        text = strchr(text, '\n');
        text = text ? text + 1 : NULL;
    }
    if (!text)
        return "";
    size_t n = strcspn(text, "\n");
    snprintf(buf, len, "%.*s", (int)n, text);
    return buf;
}

static bool has_diag(const cpd_diags *d, const char *text)
{
    if (tu_has_diag(d, text))
        return true;
    cpd_diags_print(d, stderr);
    return false;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    if (!f || !tu_mkdtemp(f->dir, sizeof f->dir, "cpd_test_dio")) {
        free(f);
        return -1;
    }
    snprintf(f->out, sizeof f->out, "%s/out", f->dir);
    f->s = scenario();
    f->p = plan();
    f->d = cpd_diags_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rm_rf(f->dir);
    cpd_deploy_plan_free(&f->p);
    cpd_scenario_free(&f->s);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

static void write_ok(fixture *f)
{
    bool ok = cpd_write_deploy(f->out, f->s, f->p, f->d);
    if (!ok)
        cpd_diags_print(f->d, stderr);
    assert_true(ok);
    assert_int_equal(cpd_diags_len(f->d), 0);
}

/* ---- writing ---- */

static void test_deploy_io__deployment_csv(void **state)
{
    fixture *f = *state;
    write_ok(f);
    char *t = tu_read(f->out, "deployment.csv", NULL);
    char buf[512];
    assert_non_null(t);
    assert_string_equal(line_of(t, 0, buf, sizeof buf),
                        "teacher,teacher_name,school,service,need,coach,coach_name,coach_role,"
                        "coach_base,hours,travel_minutes,kept_previous,pinned");
    assert_string_equal(line_of(t, 1, buf, sizeof buf),
                        "T1,Teacher One,A,coaching,intensive,LP1,Lee Page,lp,trust,3,50,yes,no");
    /* A name a spreadsheet would run as a formula is written as text. */
    assert_string_equal(line_of(t, 2, buf, sizeof buf),
                        "T2,'=SUM(A1),B,coaching,light,LP1,Lee Page,lp,trust,1,60,no,yes");
    assert_string_equal(line_of(t, 3, buf, sizeof buf),
                        "T3,Third Ect,A,mentoring,none,M1,Mo Mentor,mentor,A,1,0,no,no");
    assert_string_equal(line_of(t, 4, buf, sizeof buf), ""); /* unmet rows are not here */
    free(t);
}

static void test_deploy_io__load_unmet_and_changes_csv(void **state)
{
    fixture *f = *state;
    write_ok(f);
    char buf[512];
    char *t = tu_read(f->out, "coach_load.csv", NULL);
    assert_string_equal(line_of(t, 0, buf, sizeof buf),
                        "coach,name,role,base,hours_used,hours_available,hours_coaching,"
                        "hours_travel,coachees,schools");
    assert_string_equal(line_of(t, 1, buf, sizeof buf), "LP1,Lee Page,lp,trust,5.75,6,4,1.75,2,2");
    assert_string_equal(line_of(t, 3, buf, sizeof buf), "SL1,Sue Lead,senior_leader,A,0,1,0,0,0,0");
    free(t);
    t = tu_read(f->out, "unmet.csv", NULL);
    assert_string_equal(line_of(t, 0, buf, sizeof buf),
                        "teacher,name,school,service,need,hours,reason");
    assert_string_equal(line_of(t, 1, buf, sizeof buf),
                        "T3,Third Ect,A,senior,none,0.5,no senior leader has hours left: SL1 full");
    assert_string_equal(line_of(t, 2, buf, sizeof buf),
                        "T4,Dee <b>Bold</b> & Co,B,coaching,standard,2,no coach covers music");
    free(t);
    tu_assert_file(f->out, "changes.csv",
                   "coach,teacher,new_coach,reason\nLP1,T4,,no coach has hours left\n");
}

static void test_deploy_io__summary_json_has_required_keys(void **state)
{
    fixture *f = *state;
    write_ok(f);
    char *t = tu_read(f->out, "summary.json", NULL);
    cJSON *j = cJSON_Parse(t);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "job")->valuestring, "deploy");
    assert_string_equal(cJSON_GetObjectItem(j, "scenario")->valuestring, "Hand <Built> Trust");
    assert_string_equal(cJSON_GetObjectItem(j, "status")->valuestring, "optimal");
    assert_true(cJSON_GetObjectItem(j, "objective")->valuedouble == 1234.5679);
    assert_true(cJSON_GetObjectItem(j, "bound")->valuedouble == 1234.5679);
    assert_true(cJSON_GetObjectItem(j, "gap")->valuedouble == 0);
    assert_true(cJSON_GetObjectItem(j, "seconds")->valuedouble == 0.123);
    assert_true(cJSON_GetObjectItem(j, "heuristic_objective")->valuedouble == 1200);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "lagrangian_bound")));
    const cJSON *dm = cJSON_GetObjectItem(j, "demands");
    assert_int_equal(cJSON_GetObjectItem(dm, "total")->valueint, 5);
    assert_int_equal(cJSON_GetObjectItem(dm, "met")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(dm, "unmet")->valueint, 2);
    const cJSON *need = cJSON_GetObjectItem(j, "coverage_by_need");
    static const char *const lv[] = {"light", "standard", "intensive"};
    static const int met[] = {1, 0, 1};
    for (int i = 0; i < 3; i++) {
        const cJSON *e = cJSON_GetObjectItem(need, lv[i]);
        assert_int_equal(cJSON_GetObjectItem(e, "teachers")->valueint, 1);
        assert_int_equal(cJSON_GetObjectItem(e, "met")->valueint, met[i]);
    }
    const cJSON *sch = cJSON_GetObjectItem(j, "coverage_by_school");
    assert_int_equal(cJSON_GetArraySize(sch), 2);
    const cJSON *a = cJSON_GetArrayItem(sch, 0);
    assert_string_equal(cJSON_GetObjectItem(a, "school")->valuestring, "A");
    assert_string_equal(cJSON_GetObjectItem(a, "name")->valuestring, "Alpha");
    assert_int_equal(cJSON_GetObjectItem(a, "needs")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(a, "met")->valueint, 2);
    const cJSON *ects = cJSON_GetObjectItem(j, "ects");
    assert_int_equal(cJSON_GetObjectItem(ects, "count")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(ects, "mentored")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(ects, "senior")->valueint, 0);
    const cJSON *co = cJSON_GetObjectItem(j, "coaches");
    assert_int_equal(cJSON_GetObjectItem(co, "count")->valueint, 3);
    assert_int_equal(cJSON_GetObjectItem(co, "used")->valueint, 2);
    assert_true(cJSON_GetObjectItem(co, "hours_available")->valuedouble == 9);
    assert_true(cJSON_GetObjectItem(co, "hours_used")->valuedouble == 6.75);
    const cJSON *ch = cJSON_GetObjectItem(j, "changes");
    assert_int_equal(cJSON_GetObjectItem(ch, "previous_pairs")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(ch, "kept")->valueint, 1);
    assert_int_equal(cJSON_GetObjectItem(ch, "changed")->valueint, 1);
    const cJSON *m = cJSON_GetObjectItem(j, "model");
    assert_int_equal(cJSON_GetObjectItem(m, "variables")->valueint, 10);
    assert_int_equal(cJSON_GetObjectItem(m, "constraints")->valueint, 8);
    cJSON_Delete(j);
    free(t);
}

static const char *status_of(cJSON *j) { return cJSON_GetObjectItem(j, "status")->valuestring; }

static void test_deploy_io__summary_status_and_nulls(void **state)
{
    fixture *f = *state;
    /* Time ran out before GLPK found a plan: the heuristic's plan stands, with no bound. */
    f->p->result = (cpd_solve_result){.status = CPD_SOLVE_NO_PLAN_YET, .objective = 900,
                                      .from_heuristic = true};
    char *t = cpd_deploy_summary_json(f->s, f->p);
    cJSON *j = cJSON_Parse(t);
    assert_string_equal(status_of(j), "feasible");
    assert_true(cJSON_GetObjectItem(j, "objective")->valuedouble == 900);
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "bound")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "gap")));
    cJSON_Delete(j);
    free(t);

    f->p->result = (cpd_solve_result){.status = CPD_SOLVE_FEASIBLE, .objective = 900,
                                      .bound = 1000, .gap = 1.0 / 9, .has_bound = true};
    t = cpd_deploy_summary_json(f->s, f->p);
    j = cJSON_Parse(t);
    assert_string_equal(status_of(j), "feasible");
    assert_true(cJSON_GetObjectItem(j, "gap")->valuedouble == 0.111111);
    cJSON_Delete(j);
    free(t);

    f->p->result = (cpd_solve_result){.status = CPD_SOLVE_NO_PLAN};
    t = cpd_deploy_summary_json(f->s, f->p);
    j = cJSON_Parse(t);
    assert_string_equal(status_of(j), "no_plan");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(j, "objective")));
    cJSON_Delete(j);
    free(t);
}

static void test_deploy_io__summary_is_stable(void **state)
{
    fixture *f = *state;
    char *a = cpd_deploy_summary_json(f->s, f->p), *b = cpd_deploy_summary_json(f->s, f->p);
    assert_string_equal(a, b);
    assert_true(strstr(a, "\"job\"") < strstr(a, "\"status\"")); /* keys in inserted order */
    free(a);
    free(b);
}

static void test_deploy_io__report_is_escaped_and_self_contained(void **state)
{
    fixture *f = *state;
    write_ok(f);
    char *t = tu_read(f->out, "report.html", NULL);
    assert_non_null(strstr(t, "<title>CPD deployment: Hand &lt;Built&gt; Trust</title>"));
    assert_non_null(strstr(t, "Dee &lt;b&gt;Bold&lt;/b&gt; &amp; Co"));
    assert_null(strstr(t, "<b>Bold"));
    assert_non_null(strstr(t, "no coach covers music"));
    assert_non_null(strstr(t, "<dt>Solver</dt><dd>optimal: the best plan there is, proven</dd>"));
    assert_non_null(strstr(t, "<dt>Proven gap</dt><dd>0.00%"));
    assert_non_null(strstr(t, "<dd class=\"secs\">"));
    /* the coverage charts and the loads chart, then the sections the issue asks for */
    assert_non_null(strstr(t, "aria-label=\"Coaching coverage by need level\""));
    assert_non_null(strstr(t, "aria-label=\"Coverage by school\""));
    assert_non_null(strstr(t, "aria-label=\"Each coach&#39;s hours a week against their capacity\""));
    assert_non_null(strstr(t, "<section id=\"pairs\">"));
    assert_non_null(strstr(t, "<section id=\"changes\">"));
    assert_non_null(strstr(t, "<section id=\"unmet\">"));
    assert_null(strstr(t, "<script"));
    assert_null(strstr(t, "http"));
    assert_null(strstr(t, "src="));
    free(t);
}

static void test_deploy_io__terminal_summary(void **state)
{
    fixture *f = *state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    cpd_print_deploy_summary(mem, f->s, f->p, false);
    fclose(mem);
    assert_non_null(strstr(text, "deploy Hand <Built> Trust: optimal\n  objective 1234.5679"));
    assert_non_null(strstr(text, "intensive            1      1   100.0%"));
    assert_non_null(strstr(text, "standard             1      0     0.0%"));
    assert_non_null(strstr(text, "LP1   Lee Page                 lp                5.8      6.0"));
    assert_non_null(strstr(text, "unmet: 2 of 5 demands"));
    assert_non_null(strstr(text, "changes from last term: 1 of 2 pairs (kept 1)"));
    assert_null(strstr(text, "\033")); /* no colours */
    free(text);
}

/* ---- reading back ---- */

static void test_deploy_io__read_back_gives_same_rows_and_loads(void **state)
{
    fixture *f = *state;
    write_ok(f);
    cpd_deploy_plan *q = cpd_read_deploy_plan(f->out, f->s, f->d);
    if (!q)
        cpd_diags_print(f->d, stderr);
    assert_non_null(q);
    assert_int_equal(q->nrows, f->p->nrows);
    for (int i = 0; i < q->nrows; i++) {
        const cpd_deploy_row *a = &f->p->rows[i], *b = &q->rows[i];
        assert_int_equal(a->teacher, b->teacher);
        assert_int_equal(a->service, b->service);
        assert_int_equal(a->need, b->need);
        assert_int_equal(a->coach, b->coach);
        assert_true(a->hours == b->hours);
        assert_true(a->travel_minutes == b->travel_minutes);
        assert_int_equal(a->kept_previous, b->kept_previous);
        assert_int_equal(a->pinned, b->pinned);
        if (a->reason)
            assert_string_equal(a->reason, b->reason);
        else
            assert_null(b->reason);
    }
    assert_int_equal(q->nloads, 3);
    for (int i = 0; i < 3; i++) {
        const cpd_coach_load *a = &f->p->loads[i], *b = &q->loads[i];
        assert_true(a->hours_coaching == b->hours_coaching && a->hours_travel == b->hours_travel);
        assert_true(a->hours_available == b->hours_available);
        assert_int_equal(a->coachees, b->coachees);
        assert_int_equal(a->schools, b->schools);
    }
    cpd_deploy_plan_free(&q);
    assert_null(q);
}

static void test_deploy_io__read_back_unknown_ids(void **state)
{
    fixture *f = *state;
    write_ok(f);
    tu_put_text(f->out, "deployment.csv",
                "teacher,coach,hours,travel_minutes\nT1,LP1,3,50\n"
                "T99,LP1,1,0\nT2,XX,1,0\n");
    tu_put_text(f->out, "coach_load.csv", "coach,hours_used,hours_available\nLP1,4,6\nLP1,1,6\n");
    cpd_deploy_plan *q = cpd_read_deploy_plan(f->out, f->s, f->d);
    assert_null(q);
    char want[256];
    snprintf(want, sizeof want, "%s/deployment.csv:3:1: unknown teacher 'T99' (not in staff.csv)",
             f->out);
    assert_true(has_diag(f->d, want));
    snprintf(want, sizeof want, "%s/deployment.csv:4:2: unknown coach 'XX' (not in coaches.csv)",
             f->out);
    assert_true(has_diag(f->d, want));
    snprintf(want, sizeof want, "%s/coach_load.csv:3:1: coach 'LP1' given twice (first on line 2)",
             f->out);
    assert_true(has_diag(f->d, want));
}

static void test_deploy_io__read_back_missing_file(void **state)
{
    fixture *f = *state;
    cpd_deploy_plan *q = cpd_read_deploy_plan(f->out, f->s, f->d);
    assert_null(q);
    char want[256];
    snprintf(want, sizeof want, "%s/deployment.csv: cannot open: No such file or directory",
             f->out);
    assert_true(has_diag(f->d, want));
}

/* ---- all or nothing ---- */

/* A folder where summary.json should go stops the set before any file is put in place. */
static void test_deploy_io__blocked_file_leaves_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(mkdir(f->out, 0755), 0);
    char blocker[160];
    snprintf(blocker, sizeof blocker, "%s/summary.json", f->out);
    assert_int_equal(mkdir(blocker, 0755), 0);
    assert_false(cpd_write_deploy(f->out, f->s, f->p, f->d));
    assert_true(cpd_diags_errors(f->d) > 0);
    assert_int_equal(tu_entries(f->out), 1); /* the blocking folder only: no file, no temporary */
}

static void test_deploy_io__unwritable_dir_fails(void **state)
{
    fixture *f = *state;
    if (geteuid() == 0)
        skip(); /* root writes through permissions */
    assert_int_equal(mkdir(f->out, 0555), 0);
    assert_false(cpd_write_deploy(f->out, f->s, f->p, f->d));
    assert_true(cpd_diags_errors(f->d) > 0);
    assert_int_equal(tu_entries(f->out), 0);
    chmod(f->out, 0755);
}

static void test_deploy_io__out_dir_under_a_file_fails(void **state)
{
    fixture *f = *state;
    tu_put_text(f->dir, "plain", "x");
    char out[160];
    snprintf(out, sizeof out, "%s/plain/out", f->dir);
    assert_false(cpd_write_deploy(out, f->s, f->p, f->d));
    assert_true(cpd_diags_errors(f->d) > 0);
    assert_int_equal(tu_entries(f->dir), 1);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_deploy_io__deployment_csv),
        T(test_deploy_io__load_unmet_and_changes_csv),
        T(test_deploy_io__summary_json_has_required_keys),
        T(test_deploy_io__summary_status_and_nulls),
        T(test_deploy_io__summary_is_stable),
        T(test_deploy_io__report_is_escaped_and_self_contained),
        T(test_deploy_io__terminal_summary),
        T(test_deploy_io__read_back_gives_same_rows_and_loads),
        T(test_deploy_io__read_back_unknown_ids),
        T(test_deploy_io__read_back_missing_file),
        T(test_deploy_io__blocked_file_leaves_nothing),
        T(test_deploy_io__unwritable_dir_fails),
        T(test_deploy_io__out_dir_under_a_file_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
