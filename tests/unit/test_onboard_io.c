/* test_onboard_io.c — reading an onboarding programme (scenario.json "onboard", resources.csv,
 * activities.csv, deployment.csv), each kind of bad input with its exact message, a save/load
 * round trip, and a hand-built schedule written (CSV, iCalendar, summary, views) and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_onboard_io.h"
#include "test_util.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tu_fixture fixture;

/* Wednesday 1 September 2027, 20 days with Monday 13 September closed: days 1-3 are week 1,
 * 4-8 week 2 (day 5, 7 September, LP1 is away), 9-12 week 3, 13-17 week 4, 18-20 week 5. */
static const char *const files[][2] = {
    {"schools.csv", "id,name,joining\nS1,Alder School,yes\nS2,Birch Academy,no\n"},
    {"staff.csv", "id,name,school,role\n"
                  "T1,Ann Lee,S1,teacher\n"
                  "T2,Bob Carr,S1,teacher\n"
                  "T3,Cat Dunn,S1,headteacher\n"
                  "U1,Uma Roy,S2,teacher\n"},
    {"resources.csv", "id,name,role,days,unavailable,school\n"
                      "LP1,Lee Park,lp,5,2027-09-07,trust\n"
                      "DOL1,Dee Ola,DOL,4,,S2\n"
                      "SEN1,Sam Eno,senco,,,\n"},
    {"activities.csv",
     "id,name,week,duration,earliest_week,latest_week,per,needs,audience,after,repeat,cover,coach\n"
     "train,Training day,1,1,1,1,school,lp|dol:1,staff,,,no,no\n"
     "coach,Coaching,1,1,1,2,teacher,lp|dol:1,,,,yes,yes\n"
     "review,SEN review,2,0.5,2,3,,senco:1,headteacher,train,,,\n"
     "weekly,Weekly visit,1,0.5,1,4,school,dol:1,,,weekly,,\n"},
    {"scenario.json", "{\n"
                      "  \"name\": \"Test onboarding\",\n"
                      "  \"onboard\": {\n"
                      "    \"start\": \"2027-09-01\",\n"
                      "    \"days\": 20,\n"
                      "    \"closures\": [\"2027-09-13\"],\n"
                      "    \"training_days\": [\"2027-09-01\"],\n"
                      "    \"twilight\": [\"tue\"],\n"
                      "    \"cover_limit\": 2,\n"
                      "    \"weights\": {\"late\": 50}\n"
                      "  },\n"
                      "  \"solver\": {\"time_limit\": 5}\n"
                      "}\n"},
};
enum { NFILES = sizeof files / sizeof files[0] };
enum { TRAIN, COACH, REVIEW, WEEKLY };
enum { LP1, DOL1, SEN1 };

/* ---- helpers ---- */

static void put_text(const fixture *f, const char *name, const char *text)
{
    tu_put_text(f->dir, name, text);
}

static int setup(void **state) { return tu_setup(state, "cpd-onboard-io", files, NFILES); }

/* Whether some diagnostic, formatted, is exactly DIR/text. */
static bool has_diag(const fixture *f, const char *text)
{
    char want[2048];
    snprintf(want, sizeof want, "%s/%s", f->dir, text);
    return tu_find_diag(f->d, want, true);
}

/* The programme must not load, with this among its errors. */
static void expect_error(fixture *f, const char *want)
{
    cpd_onboard *p = cpd_load_onboard(f->dir, f->d);
    if (p || !has_diag(f, want))
        cpd_diags_print(f->d, stderr);
    cpd_onboard_free(&p);
    assert_true(has_diag(f, want));
    assert_null(p);
}

static cpd_onboard *load_ok(fixture *f)
{
    cpd_onboard *p = cpd_load_onboard(f->dir, f->d);
    if (!p)
        cpd_diags_print(f->d, stderr);
    assert_non_null(p);
    return p;
}

/* A fresh folder for outputs, under the fixture's. */
static void sub_dir(const fixture *f, const char *name, char *out, size_t len)
{
    snprintf(out, len, "%s/%s", f->dir, name);
}

static int date_of(const char *s)
{
    int d = 0;
    assert_true(cpd_date_parse(s, &d));
    return d;
}

/* ---- the valid programme ---- */

static void test_onboard_io__valid_programme(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    assert_int_equal(cpd_diags_len(f->d), 0);
    const cpd_onboard_params *q = &p->params;
    assert_int_equal(q->start, date_of("2027-09-01"));
    assert_int_equal(q->ndays, 20);
    assert_int_equal(q->nclosures, 1);
    assert_int_equal(q->closures[0], date_of("2027-09-13"));
    assert_int_equal(q->ntraining_days, 1);
    assert_int_equal(q->twilight, 1u << 1);
    assert_int_equal(q->cover_limit, 2);
    assert_true(q->w_late == 50 && q->w_unplaced == 1000 && q->w_target == 10);
    assert_true(q->time_limit == 5);
    assert_int_equal(cpd_onboard_nweeks(p), 5);
    assert_string_equal(p->common->name, "Test onboarding");

    assert_int_equal(p->nresources, 3);
    assert_string_equal(p->resources[DOL1].role, "dol"); /* lower-cased */
    assert_int_equal(p->resources[DOL1].days, 4);
    assert_int_equal(p->resources[DOL1].school, 1);
    assert_int_equal(p->resources[LP1].school, CPD_TRUST_SCHOOL);
    assert_int_equal(p->resources[LP1].nunavailable, 1);
    assert_int_equal(p->resources[LP1].unavailable[0], date_of("2027-09-07"));
    assert_int_equal(p->resources[SEN1].days, 5);
    assert_int_equal(p->resources[SEN1].school, CPD_TRUST_SCHOOL);

    assert_int_equal(p->nactivities, 4);
    const cpd_activity *train = &p->activities[TRAIN], *coach = &p->activities[COACH];
    const cpd_activity *review = &p->activities[REVIEW], *weekly = &p->activities[WEEKLY];
    assert_int_equal(train->duration, 2);
    assert_int_equal(train->per.n, 0); /* "school": once per school */
    assert_int_equal(train->nneeds, 1);
    assert_int_equal(train->needs[0].roles.n, 2);
    assert_string_equal(train->needs[0].roles.items[1], "dol");
    assert_int_equal(train->needs[0].count, 1);
    assert_true(cpd_strlist_has(&train->audience, "staff"));
    assert_int_equal(coach->per.n, 1);
    assert_true(coach->cover && coach->coach);
    assert_int_equal(coach->earliest, 1);
    assert_int_equal(coach->latest, 2);
    assert_int_equal(review->duration, 1);
    assert_int_equal(review->nafter, 1);
    assert_int_equal(review->after[0], TRAIN);
    assert_int_equal(review->line, 4);
    assert_true(weekly->weekly);
    assert_false(weekly->cover);
    assert_null(p->coach_of);
    cpd_onboard_free(&p);
    assert_null(p);
}

static void test_onboard_io__defaults_without_settings(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "{\"name\": \"x\"}\n");
    cpd_onboard *p = load_ok(f);
    assert_int_equal(p->params.start, date_of("2027-09-01"));
    assert_int_equal(p->params.ndays, 20);
    assert_int_equal(p->params.cover_limit, 3);
    assert_int_equal(p->params.nclosures, 0);
    cpd_onboard_free(&p);
}

/* A byte-order mark (as Windows editors save) does not hide the settings. */
static void test_onboard_io__settings_with_bom(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "\xEF\xBB\xBF{\"onboard\": {\"cover_limit\": 4, \"days\": 15}}\n");
    cpd_onboard *p = load_ok(f);
    assert_int_equal(p->params.cover_limit, 4);
    assert_int_equal(p->params.ndays, 15);
    cpd_onboard_free(&p);
}

static void test_onboard_io__deployment(void **state)
{
    fixture *f = *state;
    put_text(f, "deployment.csv",
             "teacher,service,coach,hours\n"
             "T1,coaching,DOL1,2\n"
             "T2,mentoring,LP1,1\n"
             "T2,coaching,Z9,1\n");
    cpd_onboard *p = load_ok(f);
    assert_non_null(p->coach_of);
    assert_int_equal(p->coach_of[0], DOL1);
    assert_int_equal(p->coach_of[1], LP1);
    assert_int_equal(p->coach_of[2], -1);
    assert_int_equal(cpd_diags_errors(f->d), 0);
    assert_true(has_diag(f, "deployment.csv:4:3: warning: coach 'Z9' is not in resources.csv; "
                            "ignored"));
    assert_int_equal(cpd_diags_len(f->d), 1); /* deploy's own columns are known */
    cpd_onboard_free(&p);
}

static void test_onboard_io__unknown_column_warned(void **state)
{
    fixture *f = *state;
    put_text(f, "resources.csv",
             "id,name,role,colour\nLP1,Lee Park,lp,red\nDOL1,Dee Ola,dol,\n"
             "SEN1,Sam Eno,senco,\n");
    cpd_onboard *p = load_ok(f);
    assert_true(has_diag(f, "resources.csv:1:4: warning: unknown column 'colour' ignored"));
    cpd_onboard_free(&p);
}

/* ---- bad input ---- */

/* Inputs with one mistake each, on top of the fixture's good files: the file rewritten, its
 * text, and the message the loader must give (and no scenario). */
static const struct {
    const char *name, *file, *text, *message;
} bad_inputs[] = {
    {"cycle", "activities.csv",
     "id,name,week,duration,after\n"
     "a,A,1,0.5,c\n"
     "b,B,1,0.5,a\n"
     "c,C,1,0.5,b\n",
     "activities.csv:2:5: 'after' makes a cycle: a -> c -> b -> a"},
    {"self_cycle", "activities.csv",
     "id,name,week,duration,after\nz,Z,1,1,\na,A,1,0.5,a\n",
     "activities.csv:3:5: 'after' makes a cycle: a -> a"},
    /* weeks 2-4 hold 5, 4 and 5 days, week 5 only 3 */
    {"weekly_longer_than_a_week", "activities.csv",
     "id,name,week,duration,latest_week,repeat\n"
     "a,A,2,4,5,weekly\n",
     "activities.csv:2:4: duration 4 days is longer than its window: week 5 "
     "holds 3 programme days"},
    {"role_no_resource_has", "activities.csv",
     "id,name,week,duration,needs\na,A,1,1,lp|ot:1;senco:1\n",
     "activities.csv:2:5: needs: no resource has role 'ot' (roles: dol, lp, "
     "senco)"},
    {"unknown_after", "activities.csv",
     "id,name,week,duration,after\na,A,1,1,\nb,B,2,1,a;nope\n",
     "activities.csv:3:5: after: unknown activity 'nope' (not in activities.csv)"},
    {"start_on_weekend", "scenario.json",
     "{\n  \"onboard\": {\"start\": \"2027-09-04\"}\n}\n",
     "scenario.json:2:24: start 2027-09-04 is a Saturday"},
    {"count_below_one", "activities.csv",
     "id,name,week,duration,needs\na,A,1,1,lp:0\n",
     "activities.csv:2:5: needs: the count in 'lp:0' must be a whole number from "
     "1 to 48"},
    {"too_many_people", "activities.csv",
     "id,name,week,duration,needs\na,A,1,1,lp:40;dol:6;senco:3\n",
     "activities.csv:2:5: needs ask for 49 people at once; a task can name at "
     "most 48"},
    {"too_many_needs", "activities.csv",
     "id,name,week,duration,needs\na,A,1,1,lp:1;dol:1;senco:1;lp|dol:1;senco|lp:1\n",
     "activities.csv:2:5: needs: at most 4 needs (got 5)"},
    {"no_joining_school", "schools.csv",
     "id,name,joining\nS1,Alder School,no\nS2,Birch Academy,\n",
     "schools.csv: no school is joining (set joining=yes)"},
};

static void test_onboard_io__bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_inputs / sizeof *bad_inputs; i++) {
        void *st = NULL;
        assert_int_equal(setup(&st), 0);
        fixture *f = st;
        put_text(f, bad_inputs[i].file, bad_inputs[i].text);
        cpd_onboard *p = cpd_load_onboard(f->dir, f->d);
        bool ok = !p && has_diag(f, bad_inputs[i].message);
        if (!ok) {
            fprintf(stderr, "bad input '%s':\n", bad_inputs[i].name);
            cpd_diags_print(f->d, stderr);
        }
        cpd_onboard_free(&p);
        tu_teardown(&st);
        assert_true(ok);
    }
}

static void test_onboard_io__longer_than_window(void **state)
{
    fixture *f = *state;
    put_text(f, "activities.csv",
             "id,name,week,duration,latest_week\n"
             "a,A,1,3.5,1\n"
             "b,B,2,9.5,3\n"
             "c,C,2,9,3\n");
    expect_error(f, "activities.csv:2:4: duration 3.5 days is longer than its window: week 1 "
                    "holds 3 programme days");
    assert_true(has_diag(f, "activities.csv:3:4: duration 9.5 days is longer than its window: "
                            "weeks 2-3 hold 9 programme days"));
    assert_int_equal(cpd_diags_errors(f->d), 2); /* c fits exactly */
}

static void test_onboard_io__unknown_school(void **state)
{
    fixture *f = *state;
    put_text(f, "resources.csv", "id,name,role,school\nLP1,Lee Park,lp,S9\n");
    put_text(f, "activities.csv", "id,name,week,duration,needs\na,A,1,1,lp:1\n");
    expect_error(f, "resources.csv:2:4: unknown school 'S9' (known: trust, S1, S2)");
}

static void test_onboard_io__dates_not_dates(void **state)
{
    fixture *f = *state;
    put_text(f, "resources.csv",
             "id,name,role,unavailable\nLP1,Lee Park,lp,2027-09-06;2027-09-31\n"
             "DOL1,Dee Ola,dol,\nSEN1,Sam Eno,senco,\n");
    put_text(f, "scenario.json",
             "{\n"
             "  \"onboard\": {\n"
             "    \"start\": \"2027-09-01\",\n"
             "    \"closures\": [\"2027-09-13\", \"13/09/2027\"],\n"
             "    \"training_days\": \"2027-09-01\"\n"
             "  }\n"
             "}\n");
    expect_error(f, "resources.csv:2:4: unavailable: '2027-09-31' is not a date (YYYY-MM-DD)");
    assert_true(has_diag(f, "scenario.json:4:32: onboard.closures: '13/09/2027' is not a date "
                            "(YYYY-MM-DD)"));
    assert_true(has_diag(f, "scenario.json:5:22: onboard.training_days must be a list of dates "
                            "[\"YYYY-MM-DD\", ...]"));
}

static void test_onboard_io__bad_start(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json",
             "{\"onboard\": {\"start\": \"2027-9-1\", \"days\": 0, "
             "\"twilight\": [\"sat\"], \"colour\": 1}}\n");
    expect_error(f, "scenario.json:1:23: onboard.start must be a date YYYY-MM-DD (got '2027-9-1')");
    assert_true(has_diag(f, "scenario.json:1:43: onboard.days must be a whole number from 1 to "
                            "200"));
    assert_true(has_diag(f, "scenario.json:1:59: onboard.twilight: 'sat' is not a weekday (mon, "
                            "tue, wed, thu or fri)"));
    assert_true(has_diag(f, "scenario.json:1:67: warning: unknown key 'onboard.colour' ignored"));
}

static void test_onboard_io__duration_not_half_days(void **state)
{
    fixture *f = *state;
    put_text(f, "activities.csv", "id,name,week,duration\na,A,1,0.75\nb,B,1,0\nc,C,1,\n");
    expect_error(f, "activities.csv:2:4: duration must be a positive multiple of 0.5 days, at "
                    "most 100 (got '0.75')");
    assert_true(has_diag(f, "activities.csv:3:4: duration must be a positive multiple of 0.5 "
                            "days, at most 100 (got '0')"));
    assert_true(has_diag(f, "activities.csv:4:4: duration is empty"));
}

static void test_onboard_io__weeks_out_of_range(void **state)
{
    fixture *f = *state;
    put_text(f, "activities.csv",
             "id,name,week,duration,earliest_week,latest_week\n"
             "a,A,2,1,1,6\n"
             "b,B,6,1,,\n"
             "c,C,2,1,3,\n"
             "d,D,3,1,,2\n"
             "e,E,0,1,,\n");
    expect_error(f, "activities.csv:2:6: latest_week 6 is after the programme's last week (5)");
    assert_true(has_diag(f, "activities.csv:3:3: week 6 is after the programme's last week (5)"));
    assert_true(has_diag(f, "activities.csv:4:5: earliest_week 3 is after week 2"));
    assert_true(has_diag(f, "activities.csv:5:6: latest_week 2 is before week 3"));
    assert_true(has_diag(f, "activities.csv:6:3: week must be a whole number from 1 to 60 (got "
                            "'0')"));
}

static void test_onboard_io__too_many_after(void **state)
{
    fixture *f = *state;
    char text[2048] = "id,name,week,duration,after\n";
    for (int i = 0; i < 17; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "p%d,P,1,0.5,\n", i);
    strcat(text, "z,Z,2,0.5,");
    for (int i = 0; i < 17; i++)
        snprintf(text + strlen(text), sizeof text - strlen(text), "%sp%d", i ? ";" : "", i);
    strcat(text, "\n");
    put_text(f, "activities.csv", text);
    expect_error(f, "activities.csv:19:5: after: at most 16 activities (got 17)");
}

static void test_onboard_io__duplicate_ids(void **state)
{
    fixture *f = *state;
    put_text(f, "activities.csv", "id,name,week,duration\na,A,1,1\nb,B,1,1\na,Again,2,1\n");
    put_text(f, "resources.csv", "id,name,role\nLP1,Lee Park,lp\nLP1,Lee Again,lp\n");
    expect_error(f, "activities.csv:4:1: duplicate activity id 'a' (first on line 2)");
    assert_true(has_diag(f, "resources.csv:3:1: duplicate resource id 'LP1' (first on line 2)"));
}

static void test_onboard_io__bad_cells(void **state)
{
    fixture *f = *state;
    put_text(f, "activities.csv",
             "id,name,week,duration,per,repeat,cover\n"
             "a,A,1,1,school;teacher,monthly,maybe\n");
    put_text(f, "deployment.csv", "teacher,coach\nT9,LP1\n");
    expect_error(f, "activities.csv:2:5: per: 'school' cannot be combined with roles (got "
                    "'school;teacher')");
    assert_true(has_diag(f, "activities.csv:2:6: repeat must be empty, no or weekly (got "
                            "'monthly')"));
    assert_true(has_diag(f, "activities.csv:2:7: cover must be yes or no (also true/false, y/n, "
                            "1/0) (got 'maybe')"));
    assert_true(has_diag(f, "deployment.csv:2:1: unknown teacher 'T9' (not in staff.csv)"));
}

static void test_onboard_io__missing_file(void **state)
{
    fixture *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/activities.csv", f->dir);
    unlink(path);
    expect_error(f, "activities.csv: cannot open: No such file or directory");
}

/* Problems in the common files do not hide the programme's own. */
static void test_onboard_io__all_problems_at_once(void **state)
{
    fixture *f = *state;
    put_text(f, "staff.csv", "id,name,school,role\nT1,Ann Lee,S7,teacher\n");
    put_text(f, "activities.csv", "id,name,week,duration,needs\na,A,1,0.3,xx:1\n");
    expect_error(f, "staff.csv:2:3: unknown school 'S7' (known: S1, S2)");
    assert_true(has_diag(f, "activities.csv:2:4: duration must be a positive multiple of 0.5 "
                            "days, at most 100 (got '0.3')"));
    assert_true(has_diag(f, "activities.csv:2:5: needs: no resource has role 'xx' (roles: dol, "
                            "lp, senco)"));
}

/* ---- save and load ---- */

static void expect_same_programme(const cpd_onboard *a, const cpd_onboard *b)
{
    assert_string_equal(a->common->name, b->common->name);
    assert_int_equal(a->common->nschools, b->common->nschools);
    assert_int_equal(a->common->nstaff, b->common->nstaff);
    for (int i = 0; i < a->common->nschools; i++) {
        assert_string_equal(a->common->schools[i].name, b->common->schools[i].name);
        assert_int_equal(a->common->schools[i].joining, b->common->schools[i].joining);
        for (int j = 0; j < a->common->nschools; j++)
            assert_true(cpd_scenario_travel(a->common, i, j) ==
                        cpd_scenario_travel(b->common, i, j));
    }
    for (int i = 0; i < a->common->nstaff; i++) {
        assert_string_equal(a->common->staff[i].name, b->common->staff[i].name);
        assert_string_equal(a->common->staff[i].role, b->common->staff[i].role);
        assert_int_equal(a->common->staff[i].school, b->common->staff[i].school);
    }
    const cpd_onboard_params *qa = &a->params, *qb = &b->params;
    assert_int_equal(qa->start, qb->start);
    assert_int_equal(qa->ndays, qb->ndays);
    assert_int_equal(qa->nclosures, qb->nclosures);
    assert_int_equal(qa->ntraining_days, qb->ntraining_days);
    for (int i = 0; i < qa->nclosures; i++)
        assert_int_equal(qa->closures[i], qb->closures[i]);
    assert_int_equal(qa->twilight, qb->twilight);
    assert_int_equal(qa->cover_limit, qb->cover_limit);
    assert_true(qa->short_travel == qb->short_travel && qa->w_late == qb->w_late &&
                qa->w_unplaced == qb->w_unplaced && qa->w_target == qb->w_target &&
                qa->w_school == qb->w_school && qa->time_limit == qb->time_limit &&
                qa->gap == qb->gap);
    assert_int_equal(a->nresources, b->nresources);
    for (int i = 0; i < a->nresources; i++) {
        const cpd_resource *x = &a->resources[i], *y = &b->resources[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->role, y->role);
        assert_int_equal(x->days, y->days);
        assert_int_equal(x->school, y->school);
        assert_int_equal(x->nunavailable, y->nunavailable);
        for (int k = 0; k < x->nunavailable; k++)
            assert_int_equal(x->unavailable[k], y->unavailable[k]);
    }
    assert_int_equal(a->nactivities, b->nactivities);
    for (int i = 0; i < a->nactivities; i++) {
        const cpd_activity *x = &a->activities[i], *y = &b->activities[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->name, y->name);
        assert_true(x->week == y->week && x->earliest == y->earliest && x->latest == y->latest &&
                    x->duration == y->duration && x->weekly == y->weekly && x->cover == y->cover &&
                    x->coach == y->coach);
        assert_int_equal(x->per.n, y->per.n);
        assert_int_equal(x->audience.n, y->audience.n);
        assert_int_equal(x->nneeds, y->nneeds);
        for (int k = 0; k < x->nneeds; k++) {
            assert_int_equal(x->needs[k].count, y->needs[k].count);
            assert_int_equal(x->needs[k].roles.n, y->needs[k].roles.n);
            for (int r = 0; r < x->needs[k].roles.n; r++)
                assert_string_equal(x->needs[k].roles.items[r], y->needs[k].roles.items[r]);
        }
        assert_int_equal(x->nafter, y->nafter);
        for (int k = 0; k < x->nafter; k++)
            assert_int_equal(x->after[k], y->after[k]);
    }
    assert_int_equal(a->coach_of != NULL, b->coach_of != NULL);
    for (int i = 0; a->coach_of && i < a->common->nstaff; i++)
        assert_int_equal(a->coach_of[i], b->coach_of[i]);
}

static void test_onboard_io__save_then_load(void **state)
{
    fixture *f = *state;
    put_text(f, "travel.csv", "from,to,minutes\nS1,S2,12.25\ntrust,S1,7\n");
    put_text(f, "deployment.csv", "teacher,coach\nT2,DOL1\n");
    put_text(f, "resources.csv",
             "id,name,role,days,unavailable,school\n"
             "LP1,=Lee Park,lp,5,2027-09-07;2027-09-20,trust\n"
             "DOL1,\"Ola, Dee\",dol,4,,S2\n"
             "SEN1,Sam Eno,senco,,,\n");
    cpd_onboard *p = load_ok(f);
    char out[128], again[128];
    sub_dir(f, "saved", out, sizeof out);
    sub_dir(f, "again", again, sizeof again);
    assert_true(cpd_save_onboard(out, p, f->d));
    assert_true(cpd_save_onboard(again, p, f->d));
    cpd_onboard *q = cpd_load_onboard(out, f->d);
    if (!q)
        cpd_diags_print(f->d, stderr);
    assert_non_null(q);
    assert_int_equal(cpd_diags_len(f->d), 0);
    expect_same_programme(p, q);
    static const char *const names[] = {"schools.csv",    "staff.csv",     "travel.csv",
                                        "activities.csv", "resources.csv", "deployment.csv",
                                        "scenario.json"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        tu_assert_same_file(out, again, names[i]);
    char *res = tu_read(out, "resources.csv", NULL);
    assert_non_null(strstr(res, "LP1,'=Lee Park,lp,5,2027-09-07;2027-09-20,trust\n"));
    free(res);
    char *json = tu_read(out, "scenario.json", NULL);
    assert_null(strstr(json, "\"deploy\"")); /* the defaults of another job: left out */
    free(json);
    cpd_onboard_free(&p);
    cpd_onboard_free(&q);
}

static void test_onboard_io__save_without_travel(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    char out[128], path[256];
    sub_dir(f, "saved", out, sizeof out);
    assert_true(cpd_save_onboard(out, p, f->d));
    snprintf(path, sizeof path, "%s/travel.csv", out);
    assert_int_equal(access(path, F_OK), -1); /* every pair at the default */
    snprintf(path, sizeof path, "%s/deployment.csv", out);
    assert_int_equal(access(path, F_OK), -1);
    cpd_onboard_free(&p);
}

/* ---- a hand-built schedule ---- */

static int find_task(const cpd_onboard_plan *pl, int activity, int staff, int target)
{
    for (int i = 0; i < pl->ntasks; i++)
        if (pl->tasks[i].activity == activity && pl->tasks[i].staff == staff &&
            pl->tasks[i].target == target)
            return i;
    fail_msg("no task %d/%d/%d", activity, staff, target);
    return -1;
}

static void place(cpd_onboard_plan *pl, int i, int start, int res)
{
    pl->tasks[i].start = start;
    pl->tasks[i].res[0] = res;
    pl->tasks[i].nres = 1;
}

/* train day 1; coach T1 day 3, T2 day 10 (week 3: late); review day 4 pm; weekly in weeks 1-3,
 * not in week 4. */
static cpd_onboard_plan *hand_plan(const cpd_onboard *p)
{
    cpd_onboard_plan *pl = cpd_xcalloc(1, sizeof *pl);
    pl->tasks = cpd_onboard_tasks(p, &pl->ntasks);
    assert_int_equal(pl->ntasks, 8);
    place(pl, find_task(pl, TRAIN, -1, 1), 0, LP1);
    place(pl, find_task(pl, COACH, 0, 1), 4, DOL1);
    place(pl, find_task(pl, COACH, 1, 1), 18, LP1);
    place(pl, find_task(pl, REVIEW, -1, 2), 7, SEN1);
    place(pl, find_task(pl, WEEKLY, -1, 1), 3, DOL1);
    place(pl, find_task(pl, WEEKLY, -1, 2), 10, DOL1);
    place(pl, find_task(pl, WEEKLY, -1, 3), 16, DOL1);
    pl->unmet = cpd_xcalloc(2, sizeof *pl->unmet);
    pl->unmet[pl->nunmet++] =
        (cpd_ob_unmet){find_task(pl, COACH, 1, 1), cpd_strdup("the 2 lp|dol have 6 days in week 1, "
                                                              "\"busy\"")};
    pl->unmet[pl->nunmet++] =
        (cpd_ob_unmet){find_task(pl, WEEKLY, -1, 4), cpd_strdup("DOL1 has 4 days in week 4")};
    pl->ndays = p->params.ndays;
    pl->dates = cpd_xcalloc((size_t)pl->ndays, sizeof(int));
    cpd_onboard_days(p, pl->dates);
    pl->result = (cpd_solve_result){.status = CPD_SOLVE_OPTIMAL,
                                    .objective = 1234,
                                    .bound = 1234,
                                    .has_bound = true,
                                    .seconds = 1.5};
    pl->heuristic_objective = 1250;
    pl->nvars = 321;
    pl->nconstraints = 123;
    return pl;
}

static void test_onboard_io__schedule_csv(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    cpd_onboard_plan *pl = hand_plan(p);
    char out[128];
    sub_dir(f, "out", out, sizeof out);
    assert_true(cpd_write_onboard(out, p, pl, f->d));
    char *csv = tu_read(out, "schedule.csv", NULL);
    assert_string_equal(
        csv, "school,activity,day,date,half,duration,end_day,week,target_week,late_weeks,resources,"
             "resource_names,staff,staff_name,activity_name\n"
             "S1,train,1,2027-09-01,am,1,1,1,1,0,LP1,Lee Park,,,Training day\n"
             "S1,weekly,2,2027-09-02,pm,0.5,2,1,1,0,DOL1,Dee Ola,,,Weekly visit\n"
             "S1,coach,3,2027-09-03,am,1,3,1,1,0,DOL1,Dee Ola,T1,Ann Lee,Coaching\n"
             "S1,review,4,2027-09-06,pm,0.5,4,2,2,0,SEN1,Sam Eno,,,SEN review\n"
             "S1,weekly,6,2027-09-08,am,0.5,6,2,2,0,DOL1,Dee Ola,,,Weekly visit\n"
             "S1,weekly,9,2027-09-14,am,0.5,9,3,3,0,DOL1,Dee Ola,,,Weekly visit\n"
             "S1,coach,10,2027-09-15,am,1,10,3,1,1,LP1,Lee Park,T2,Bob Carr,Coaching\n");
    free(csv);
    char *unmet = tu_read(out, "unmet.csv", NULL);
    assert_string_equal(unmet, "school,activity,staff,target_week,day,reason\n"
                               "S1,coach,T2,1,10,\"the 2 lp|dol have 6 days in week 1, "
                               "\"\"busy\"\"\"\n"
                               "S1,weekly,,4,,DOL1 has 4 days in week 4\n");
    free(unmet);
    char *html = tu_read(out, "report.html", NULL);
    assert_non_null(strstr(html, "<h1><small>Onboarding</small>Test onboarding</h1>"));
    /* the Gantt marks the late coaching task red; the unmet table gives the reason */
    assert_non_null(strstr(html, "aria-label=\"The four weeks at "));
    assert_non_null(strstr(html, "fill=\"#c0392b\" rx=\"2\"><title>Coaching: day 10 am"));
    assert_non_null(strstr(html, "<section id=\"people\">"));
    assert_non_null(strstr(html, "<section id=\"load\">"));
    assert_non_null(strstr(html, "<td>the 2 lp|dol have 6 days in week 1, &quot;busy&quot;</td>"));
    assert_non_null(strstr(html, "</html>"));
    free(html);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

static void test_onboard_io__formula_neutralised(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    free(p->activities[TRAIN].name);
    p->activities[TRAIN].name = cpd_strdup("=HYPERLINK(\"http://x\")");
    free(p->common->staff[0].name);
    p->common->staff[0].name = cpd_strdup("@Ann");
    free(p->resources[LP1].name);
    p->resources[LP1].name = cpd_strdup("-1+1");
    cpd_onboard_plan *pl = hand_plan(p);
    char out[128];
    sub_dir(f, "out", out, sizeof out);
    assert_true(cpd_write_onboard(out, p, pl, f->d));
    char *csv = tu_read(out, "schedule.csv", NULL);
    assert_non_null(strstr(csv, "\nS1,train,1,2027-09-01,am,1,1,1,1,0,LP1,'-1+1,,,"
                                "\"'=HYPERLINK(\"\"http://x\"\")\"\n"));
    assert_non_null(strstr(csv, ",DOL1,Dee Ola,T1,'@Ann,Coaching\n"));
    free(csv);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* The content lines of an .ics, unfolded; checks CRLF, 75 octets and no split UTF-8 on the way. */
static char *unfold_ics(const char *text)
{
    size_t n = strlen(text);
    char *out = malloc(n + 1), *o = out;
    assert_non_null(out);
    const char *line = text;
    while (*line) {
        const char *crlf = strstr(line, "\r\n");
        assert_non_null(crlf);
        size_t len = (size_t)(crlf - line);
        assert_true(len <= 75);
        assert_null(memchr(line, '\n', len)); /* no bare LF */
        if (line != text && *line == ' ') {
            assert_true(((unsigned char)line[1] & 0xC0) != 0x80); /* not inside a sequence */
            o--;                                                  /* the '\n' just written */
            memcpy(o, line + 1, len - 1);
            o += len - 1;
        } else {
            memcpy(o, line, len);
            o += len;
        }
        *o++ = '\n';
        line = crlf + 2;
    }
    *o = '\0';
    return out;
}

static int count_of(const char *text, const char *what)
{
    int n = 0;
    for (const char *q = text; (q = strstr(q, what)) != NULL; q++)
        n++;
    return n;
}

static void test_onboard_io__ics(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    free(p->activities[COACH].name);
    p->activities[COACH].name =
        cpd_strdup("Café; coaching, day \\ à l'école — éééééééééééééééééééééééééééééé");
    cpd_onboard_plan *pl = hand_plan(p);
    char out[128];
    sub_dir(f, "out", out, sizeof out);
    assert_true(cpd_write_onboard(out, p, pl, f->d));
    char *ics = tu_read(out, "schedule.ics", NULL);
    assert_int_equal(strncmp(ics, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37), 0);
    char *lines = unfold_ics(ics);
    assert_non_null(strstr(lines, "\nCALSCALE:GREGORIAN\n"));
    assert_int_equal(count_of(lines, "BEGIN:VEVENT\n"), 7);
    assert_int_equal(count_of(lines, "END:VEVENT\n"), 7);
    assert_int_equal(count_of(lines, "DTSTAMP:20270901T000000Z\n"), 7);
    assert_non_null(strstr(lines, "\nUID:train-S1-w1@cpdplan\nDTSTAMP:20270901T000000Z\n"
                                  "DTSTART:20270901T083000\nDTEND:20270901T163000\n"
                                  "SUMMARY:Training day\nLOCATION:Alder School\n"));
    assert_non_null(strstr(lines, "\nUID:review-S1-w2@cpdplan\nDTSTAMP:20270901T000000Z\n"
                                  "DTSTART:20270906T130000\nDTEND:20270906T163000\n"));
    assert_non_null(strstr(lines, "\nUID:coach-S1-T2-w1@cpdplan\n"));
    /* escaped text, folded without cutting é, read back whole */
    assert_non_null(strstr(lines, "\nSUMMARY:Café\\; coaching\\, day \\\\ à l'école — "
                                  "éééééééééééééééééééééééééééééé - Ann Lee\n"));
    assert_non_null(strstr(lines, "\nDESCRIPTION:School: Alder School (S1)\\nWith: Dee Ola "
                                  "(DOL1\\, dol)\\nFor: Ann Lee (T1\\, teacher)\\nWhen: day 3 am "
                                  "to day 3 pm (1 day)\\, week 1\\; target week 1\\, window weeks "
                                  "1-2\\nActivity: coach\n"));
    assert_non_null(strstr(lines, "Late: 1 week past its window"));
    assert_true(strlen(ics) > strlen(lines)); /* some lines were folded */
    assert_int_equal(strcmp(ics + strlen(ics) - 15, "END:VCALENDAR\r\n"), 0);
    free(lines);
    free(ics);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

static void test_onboard_io__same_bytes_twice(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    cpd_onboard_plan *pl = hand_plan(p);
    char a[128], b[128];
    sub_dir(f, "a", a, sizeof a);
    sub_dir(f, "b", b, sizeof b);
    assert_true(cpd_write_onboard(a, p, pl, f->d));
    assert_true(cpd_write_onboard(b, p, pl, f->d));
    static const char *const names[] = {"schedule.csv", "schedule.ics", "unmet.csv", "summary.json",
                                        "report.html"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        assert_true(tu_assert_same_file(a, b, names[i]) > 0);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return v->valuedouble;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

static void test_onboard_io__summary_json(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    cpd_onboard_plan *pl = hand_plan(p);
    char *text = cpd_onboard_summary_json(p, pl);
    cJSON *j = cJSON_Parse(text);
    assert_non_null(j);
    assert_string_equal(str(j, "job"), "onboard");
    assert_string_equal(str(j, "scenario"), "Test onboarding");
    assert_string_equal(str(j, "status"), "optimal");
    assert_true(num(j, "objective") == 1234 && num(j, "bound") == 1234 && num(j, "gap") == 0);
    assert_true(num(j, "seconds") == 1.5);
    assert_true(num(j, "tasks") == 8 && num(j, "placed") == 7 && num(j, "in_window") == 6);
    assert_true(num(j, "late") == 1 && num(j, "unplaced") == 1 && num(j, "on_target") == 6);
    /* LP1 at S1 in weeks 1 and 3, DOL1 in weeks 1, 2, 3, SEN1 in week 2 */
    assert_true(num(j, "school_weeks") == 6);
    assert_true(num(j, "days") == 20);
    assert_string_equal(str(j, "start"), "2027-09-01");
    const cJSON *bs = cJSON_GetObjectItemCaseSensitive(j, "by_school");
    assert_int_equal(cJSON_GetArraySize(bs), 1); /* the joining school only */
    const cJSON *s1 = cJSON_GetArrayItem(bs, 0);
    assert_string_equal(str(s1, "school"), "S1");
    assert_true(num(s1, "tasks") == 8 && num(s1, "placed") == 7 && num(s1, "late") == 1 &&
                num(s1, "unplaced") == 1);
    const cJSON *br = cJSON_GetObjectItemCaseSensitive(j, "by_resource");
    assert_int_equal(cJSON_GetArraySize(br), 3);
    const cJSON *lp = cJSON_GetArrayItem(br, LP1), *dol = cJSON_GetArrayItem(br, DOL1);
    assert_string_equal(str(lp, "resource"), "LP1");
    assert_string_equal(str(lp, "role"), "lp");
    /* LP1: days 1 and 10; 5 a week, away on 7 September: 3 + 4 + 4 + 5 + 3 */
    assert_true(num(lp, "days_worked") == 2 && num(lp, "days_available") == 19);
    /* DOL1: days 2, 3, 6, 9; 4 a week: 3 + 4 + 4 + 4 + 3 */
    assert_true(num(dol, "days_worked") == 4 && num(dol, "days_available") == 18);
    assert_true(num(dol, "schools") == 1);
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(j, "model");
    assert_true(num(m, "variables") == 321 && num(m, "constraints") == 123);
    cJSON_Delete(j);
    free(text);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

static void test_onboard_io__terminal_views(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    cpd_onboard_plan *pl = hand_plan(p);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    cpd_print_onboard_summary(out, p, pl, false);
    assert_int_equal(fclose(out), 0);
    assert_non_null(strstr(text, "onboard Test onboarding: optimal, objective 1234, bound 1234, "
                                 "gap 0.00%, 1.50 s\n"));
    /* LP1: S1 (code A) on day 1 and 10, away on day 5 */
    assert_non_null(strstr(text, "\nLP1       | A  .  .  | .  x  .  .  .  | .  A  .  .  | "));
    assert_non_null(strstr(text, "\nDOL1      | .  A  A  | .  .  A  .  .  | A  .  .  .  | "));
    assert_non_null(strstr(text, "\ncoach             | .  .  1  | "));
    assert_non_null(strstr(text, "unmet: 2 tasks"));
    assert_non_null(strstr(text, "  weekly at S1, week 4: DOL1 has 4 days in week 4\n"));
    /* 100 columns at most (characters, not bytes) */
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        assert_non_null(end);
        int cols = 0;
        for (const char *q = line; q < end; q++)
            cols += ((unsigned char)*q & 0xC0) != 0x80;
        assert_true(cols <= 100);
        line = end + 1;
    }
    free(text);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

/* ---- reading a schedule back ---- */

static void test_onboard_io__read_back(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    cpd_onboard_plan *pl = hand_plan(p);
    char out[128];
    sub_dir(f, "out", out, sizeof out);
    assert_true(cpd_write_onboard(out, p, pl, f->d));
    cpd_onboard_plan *back = cpd_read_onboard_plan(out, p, f->d);
    if (!back)
        cpd_diags_print(f->d, stderr);
    assert_non_null(back);
    assert_int_equal(back->ntasks, pl->ntasks);
    for (int i = 0; i < pl->ntasks; i++) {
        const cpd_ob_task *a = &pl->tasks[i], *b = &back->tasks[i];
        assert_int_equal(a->activity, b->activity);
        assert_int_equal(a->staff, b->staff);
        assert_int_equal(a->target, b->target);
        assert_int_equal(a->start, b->start);
        assert_int_equal(a->duration, b->duration);
        assert_int_equal(a->nres, b->nres);
        for (int k = 0; k < a->nres; k++)
            assert_int_equal(a->res[k], b->res[k]);
    }
    assert_int_equal(back->nunmet, 2);
    for (int u = 0; u < 2; u++) {
        assert_int_equal(back->unmet[u].task, pl->unmet[u].task);
        assert_string_equal(back->unmet[u].reason, pl->unmet[u].reason);
    }
    assert_int_equal(back->ndays, 20);
    assert_int_equal(back->dates[3], date_of("2027-09-06"));
    assert_int_equal(back->dates[8], date_of("2027-09-14"));
    assert_int_equal(cpd_diags_len(f->d), 0);
    cpd_onboard_plan_free(&back);
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
}

static const char schedule_head[] = "school,activity,day,half,resources,staff,target_week\n";

static void test_onboard_io__read_back_missing_task(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    char out[128];
    sub_dir(f, "plan", out, sizeof out);
    mkdir(out, 0777);
    char text[512];
    snprintf(text, sizeof text, "%sS1,train,1,am,LP1,,1\nS1,weekly,2,pm,DOL1,,1\n", schedule_head);
    tu_put_text(out, "schedule.csv", text);
    tu_put_text(out, "unmet.csv", "school,activity,staff,target_week,day,reason\n");
    cpd_onboard_plan *back = cpd_read_onboard_plan(out, p, f->d);
    assert_non_null(back);
    int placed = 0;
    for (int i = 0; i < back->ntasks; i++)
        placed += back->tasks[i].start >= 0;
    assert_int_equal(placed, 2);
    assert_int_equal(back->tasks[find_task(back, WEEKLY, -1, 1)].start, 3);
    assert_int_equal(back->tasks[find_task(back, COACH, 0, 1)].start, -1); /* verify flags it */
    assert_int_equal(back->nunmet, 0);
    cpd_onboard_plan_free(&back);
    cpd_onboard_free(&p);
}

static void test_onboard_io__read_back_errors(void **state)
{
    fixture *f = *state;
    cpd_onboard *p = load_ok(f);
    char out[128];
    sub_dir(f, "plan", out, sizeof out);
    mkdir(out, 0777);
    char text[1024];
    snprintf(text, sizeof text,
             "%s"
             "S1,train,1,am,ZZ,,1\n"
             "S1,coach,3,am,DOL1,T3,1\n"
             "S1,weekly,2,pm,DOL1,,1\n"
             "S1,weekly,4,pm,DOL1,,1\n"
             "S9,train,1,am,LP1,,1\n"
             "S1,nope,1,am,LP1,,1\n"
             "S1,review,4,noon,SEN1,,2\n"
             "S1,review,21,am,SEN1,,2\n",
             schedule_head);
    tu_put_text(out, "schedule.csv", text);
    tu_put_text(out, "unmet.csv",
                "school,activity,staff,target_week,day,reason\n"
                "S1,coach,T9,1,,why\n"
                "S1,weekly,,4,,one\n"
                "S1,weekly,,4,,two\n");
    assert_null(cpd_read_onboard_plan(out, p, f->d));
    snprintf(text, sizeof text,
             "plan/schedule.csv:2:5: unknown resource 'ZZ' (not in "
             "resources.csv)");
    assert_true(has_diag(f, text));
    assert_true(has_diag(f, "plan/schedule.csv:3:2: no such task in the programme: coach at S1 "
                            "for T3, week 1"));
    assert_true(has_diag(f, "plan/schedule.csv:5:2: the same task as line 4 (each task is placed "
                            "once)"));
    assert_true(has_diag(f, "plan/schedule.csv:6:1: unknown school 'S9' (not in schools.csv)"));
    assert_true(has_diag(f, "plan/schedule.csv:7:2: unknown activity 'nope' (not in "
                            "activities.csv)"));
    assert_true(has_diag(f, "plan/schedule.csv:8:4: half must be am or pm (got 'noon')"));
    assert_true(has_diag(f, "plan/schedule.csv:9:3: day must be a whole number from 1 to 20 (got "
                            "'21')"));
    assert_true(has_diag(f, "plan/unmet.csv:2:3: unknown staff 'T9' (not in staff.csv)"));
    assert_true(has_diag(f, "plan/unmet.csv:4:2: the same task as line 3 (each task is listed "
                            "once)"));
    cpd_onboard_free(&p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tu_teardown)
    const struct CMUnitTest tests[] = {
        T(test_onboard_io__valid_programme),
        cmocka_unit_test(test_onboard_io__bad_inputs),
        T(test_onboard_io__defaults_without_settings),
        T(test_onboard_io__settings_with_bom),
        T(test_onboard_io__deployment),
        T(test_onboard_io__unknown_column_warned),
        T(test_onboard_io__longer_than_window),
        T(test_onboard_io__unknown_school),
        T(test_onboard_io__dates_not_dates),
        T(test_onboard_io__bad_start),
        T(test_onboard_io__duration_not_half_days),
        T(test_onboard_io__weeks_out_of_range),
        T(test_onboard_io__too_many_after),
        T(test_onboard_io__duplicate_ids),
        T(test_onboard_io__bad_cells),
        T(test_onboard_io__missing_file),
        T(test_onboard_io__all_problems_at_once),
        T(test_onboard_io__save_then_load),
        T(test_onboard_io__save_without_travel),
        T(test_onboard_io__schedule_csv),
        T(test_onboard_io__formula_neutralised),
        T(test_onboard_io__ics),
        T(test_onboard_io__same_bytes_twice),
        T(test_onboard_io__summary_json),
        T(test_onboard_io__terminal_views),
        T(test_onboard_io__read_back),
        T(test_onboard_io__read_back_missing_task),
        T(test_onboard_io__read_back_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
