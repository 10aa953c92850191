/* test_load.c — reading a scenario folder: a valid one in full, each kind of bad input with its
 * exact message, every problem in one call, and a save/load round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_load.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef tu_fixture fixture;

static const char *const valid_files[][2] = {
    {"schools.csv", "id,name,joining\nSCH1,Oak Primary,no\nSCH2,Elm Academy,yes\n"
                    "SCH3,Ash High,no\n"},
    {"travel.csv", "from,to,minutes\nSCH1,SCH2,15\nSCH3,SCH1,40\ntrust,SCH2,10\n"},
    {"staff.csv", "id,name,school,role,subjects,need,focus\n"
                  "T1,Ann Able,SCH1,teacher,primary,intensive,behaviour;Marking_Feedback\n"
                  "T2,Ben Bell,SCH2,ECT,Maths; Physics,light,\n"
                  "T3,Cat Cole,SCH3,teacher,english,,\n"},
    {"scenario.json", "{\n  \"name\": \"Test Trust\",\n  \"travel_default_minutes\": 25,\n"
                      "  \"deploy\": {\n    \"need_hours\": {\"light\": 1.5},\n"
                      "    \"continuity_weight\": 40,\n    \"mentor_same_school\": false,\n"
                      "    \"max_changes\": 2\n  },\n"
                      "  \"solver\": {\"time_limit\": 5, \"gap\": 0.01},\n  \"inset\": {}\n}\n"},
    {"coaches.csv", "id,name,role,school,hours,subjects,expertise,max_coachees,max_schools,"
                    "provides\n"
                    "LP1,Lia Page,lp,trust,6,maths,behaviour,4,2,\n"
                    "M1,Mo Mentor,mentor,SCH2,2,maths,,,,\n"
                    "SL1,Sue Lead,senior_leader,SCH2,1.5,,,,,senior;mentoring\n"},
    {"previous.csv", "coach,teacher\nLP1,T1\n"},
    {"pins.csv", "coach,teacher,rule\nLP1,T3,never\nM1,T2,MUST\n"},
};

/* ---- helpers ---- */

static void put(const fixture *f, const char *name, const char *text, size_t len)
{
    tu_put(f->dir, name, text, len);
}

static void put_text(const fixture *f, const char *name, const char *text)
{
    tu_put_text(f->dir, name, text);
}

static void drop(const fixture *f, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", f->dir, name);
    assert_int_equal(unlink(path), 0);
}

static int setup(void **state)
{
    return tu_setup(state, "cpd_test_load", valid_files, sizeof valid_files / sizeof *valid_files);
}

/* Whether some diagnostic, formatted, contains DIR/ + text. Shows them all when not. */
static bool has(const fixture *f, const char *text)
{
    char want[1024];
    snprintf(want, sizeof want, "%s/%s", f->dir, text);
    if (tu_has_diag(f->d, want))
        return true;
    fprintf(stderr, "wanted: %s\nhave:\n", want);
    cpd_diags_print(f->d, stderr);
    return false;
}

/* Loads, expecting failure with the given message among the diagnostics. */
static void expect_error(fixture *f, const char *text)
{
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    assert_null(s);
    assert_true(has(f, text));
}

static int school(const cpd_scenario *s, const char *id)
{
    for (int i = 0; i < s->nschools; i++)
        if (strcmp(s->schools[i].id, id) == 0)
            return i;
    return -5;
}

/* ---- a valid folder ---- */

static void test_load__valid_counts_and_fields(void **state)
{
    fixture *f = *state;
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    if (!s)
        cpd_diags_print(f->d, stderr);
    assert_non_null(s);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(s->nschools, 3);
    assert_int_equal(s->nstaff, 3);
    assert_int_equal(s->ncoaches, 3);
    assert_int_equal(s->nprevious, 1);
    assert_int_equal(s->npins, 2);
    assert_string_equal(s->name, "Test Trust");
    assert_true(s->schools[1].joining);
    assert_int_equal(s->schools[1].line, 3);

    const cpd_staff *t1 = &s->staff[0], *t2 = &s->staff[1], *t3 = &s->staff[2];
    assert_int_equal(t1->need, CPD_NEED_INTENSIVE);
    assert_int_equal(t1->focus.n, 2);
    assert_string_equal(t1->focus.items[1], "marking_feedback");
    assert_true(t2->is_ect);
    assert_string_equal(t2->role, "ect");
    assert_int_equal(t2->school, 1);
    assert_int_equal(t2->subjects.n, 2);
    assert_string_equal(t2->subjects.items[0], "maths");
    assert_string_equal(t2->subjects.items[1], "physics");
    assert_int_equal(t3->need, CPD_NEED_NONE);
    assert_false(t3->is_ect);
    assert_int_equal(t3->line, 4);

    const cpd_coach *lp = &s->coaches[0], *m = &s->coaches[1], *sl = &s->coaches[2];
    assert_int_equal(lp->school, CPD_TRUST_SCHOOL);
    assert_int_equal(lp->role, CPD_COACH_LP);
    assert_true(lp->hours == 6);
    assert_int_equal(lp->max_coachees, 4);
    assert_int_equal(lp->max_schools, 2);
    assert_int_equal(lp->provides, 1u << CPD_SERVICE_COACHING);
    assert_int_equal(m->provides, 1u << CPD_SERVICE_MENTORING);
    assert_int_equal(m->max_coachees, 0);
    assert_true(sl->hours == 1.5);
    assert_int_equal(sl->provides, (1u << CPD_SERVICE_SENIOR) | (1u << CPD_SERVICE_MENTORING));

    assert_int_equal(s->previous[0].coach, 0);
    assert_int_equal(s->previous[0].teacher, 0);
    assert_false(s->pins[0].must);
    assert_int_equal(s->pins[0].teacher, 2);
    assert_true(s->pins[1].must);
    cpd_scenario_free(&s);
    assert_null(s);
}

static void test_load__travel_and_params(void **state)
{
    fixture *f = *state;
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    assert_non_null(s);
    int a = school(s, "SCH1"), b = school(s, "SCH2"), c = school(s, "SCH3");
    assert_true(cpd_scenario_travel(s, a, b) == 15 && cpd_scenario_travel(s, b, a) == 15);
    assert_true(cpd_scenario_travel(s, a, c) == 40 && cpd_scenario_travel(s, c, a) == 40);
    assert_true(cpd_scenario_travel(s, b, c) == 25); /* scenario.json's default */
    assert_true(cpd_scenario_travel(s, b, b) == 0);
    assert_true(cpd_scenario_travel(s, CPD_TRUST_SCHOOL, b) == 10);
    assert_true(cpd_scenario_travel(s, CPD_TRUST_SCHOOL, a) == 25);

    const cpd_deploy_params *p = &s->params;
    assert_true(p->default_travel_minutes == 25);
    assert_true(p->need_hours[CPD_NEED_LIGHT] == 1.5);
    assert_true(p->need_hours[CPD_NEED_STANDARD] == 2); /* untouched default */
    assert_true(p->continuity_weight == 40);
    assert_false(p->mentor_same_school);
    assert_true(p->senior_same_school);
    assert_int_equal(p->max_changes, 2);
    assert_true(p->time_limit == 5);
    assert_true(p->gap == 0.01);
    cpd_scenario_free(&s);
}

static void test_load__optional_files_absent(void **state)
{
    fixture *f = *state;
    drop(f, "travel.csv");
    drop(f, "previous.csv");
    drop(f, "pins.csv");
    drop(f, "scenario.json");
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    assert_non_null(s);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(s->nprevious + s->npins, 0);
    assert_true(cpd_scenario_travel(s, 0, 1) == 30);
    assert_true(cpd_scenario_travel(s, CPD_TRUST_SCHOOL, 2) == 30);
    assert_string_equal(s->name, f->dir + 5); /* the folder's name, after "/tmp/" */
    cpd_scenario_free(&s);
}

static void test_load__common_needs_no_coaches(void **state)
{
    fixture *f = *state;
    drop(f, "coaches.csv");
    put_text(f, "pins.csv", "garbage\n");
    cpd_scenario *s = cpd_load_common(f->dir, f->d);
    assert_non_null(s);
    assert_int_equal(s->ncoaches, 0);
    assert_int_equal(cpd_diags_errors(f->d), 0);
    cpd_scenario_free(&s);
}

/* ---- bad input, one message each ---- */

static void test_load__unknown_school_lists_known(void **state)
{
    fixture *f = *state;
    put_text(f, "staff.csv", "id,name,school,role\nT1,Ann,SCH1,teacher\nT2,Ben,SCH9,teacher\n"
                             "T3,Cat,SCH3,teacher\n");
    expect_error(f, "staff.csv:3:3: unknown school 'SCH9' (known: SCH1, SCH2, SCH3)");
    assert_int_equal(cpd_diags_errors(f->d), 1); /* only that one */
}

static void test_load__unknown_school_list_is_cut_at_eight(void **state)
{
    fixture *f = *state;
    put_text(f, "schools.csv", "id,name\nS1,a\nS2,b\nS3,c\nS4,d\nS5,e\nS6,f\nS7,g\nS8,h\nS9,i\n");
    put_text(f, "travel.csv", "from,to,minutes\n");
    put_text(f, "staff.csv", "id,name,school,role\nT1,Ann,S1,teacher\nT2,Ben,SCH9,teacher\n"
                             "T3,Cat,S2,ect\n");
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,lp,trust,6\nM1,M,mentor,S1,2\n"
                               "SL1,S,senior_leader,X1,2\n");
    expect_error(f, "staff.csv:3:3: unknown school 'SCH9' (known: S1, S2, S3, S4, S5, S6, S7, "
                    "S8, …)");
    assert_true(has(f, "coaches.csv:4:4: unknown school 'X1' (known: trust, S1, S2, S3, S4, S5, "
                       "S6, S7, …)"));
}

static void test_load__duplicate_school_id(void **state)
{
    fixture *f = *state;
    put_text(f, "schools.csv", "id,name\nSCH1,a\nSCH2,b\nSCH2,c\nSCH3,d\n");
    expect_error(f, "schools.csv:4:1: duplicate school id 'SCH2' (first on line 3)");
}

static void test_load__duplicate_staff_and_coach_ids(void **state)
{
    fixture *f = *state;
    put_text(f, "staff.csv", "name,id,school,role\nAnn,T1,SCH1,teacher\nBen,T2,SCH2,ect\n"
                             "Cat,T3,SCH1,teacher\nDan,T1,SCH1,teacher\n");
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,lp,trust,6\nM1,M,mentor,SCH2,2\n"
                               "SL1,S,senior_leader,SCH2,2\nM1,N,mentor,SCH1,2\n");
    expect_error(f, "staff.csv:5:2: duplicate staff id 'T1' (first on line 2)");
    assert_true(has(f, "coaches.csv:5:1: duplicate coach id 'M1' (first on line 3)"));
    assert_int_equal(cpd_diags_errors(f->d), 2);
}

/* A coach with a staff member's id is that person; under another name it is an id clash. */
static void test_load__coach_id_clashes_with_staff(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "id,name,role,school,hours\nT1,Lia Page,lp,trust,6\n"
                               "T2,ben bell,mentor,SCH2,2\n");
    put_text(f, "pins.csv", "coach,teacher,rule\n");
    put_text(f, "previous.csv", "coach,teacher\n");
    expect_error(f, "coaches.csv:2:1: coach id 'T1' is staff.csv's 'Ann Able' (line 2), but this "
                    "row names 'Lia Page'; give each person one id");
    assert_int_equal(cpd_diags_errors(f->d), 1); /* T2 is Ben Bell: the same person */
}

static void test_load__negative_hours(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,lp,trust,-3\nM1,M,mentor,SCH2,2\n"
                               "SL1,S,senior_leader,SCH2,1\n");
    expect_error(f, "coaches.csv:2:5: hours must be a number from 0 to 80 (got '-3')");
}

static void test_load__non_numeric_hours(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,lp,trust,6\nM1,M,mentor,SCH2,lots\n"
                               "SL1,S,senior_leader,SCH2,\n");
    expect_error(f, "coaches.csv:3:5: hours must be a number from 0 to 80 (got 'lots')");
    assert_true(has(f, "coaches.csv:4:5: hours is empty"));
}

static void test_load__unknown_need_level(void **state)
{
    fixture *f = *state;
    put_text(f, "staff.csv", "id,name,school,role,need\nT1,Ann,SCH1,teacher,high\n"
                             "T2,Ben,SCH2,ect,Standard\nT3,Cat,SCH3,teacher,\n");
    expect_error(f, "staff.csv:2:5: need must be none, light, standard or intensive (got 'high')");
    assert_int_equal(cpd_diags_errors(f->d), 1); /* "Standard" is fine: any case */
}

static void test_load__pin_naming_nobody(void **state)
{
    fixture *f = *state;
    put_text(f, "pins.csv", "coach,teacher,rule\nLP99,T1,must\nLP1,T404,never\nLP1,T1,maybe\n");
    expect_error(f, "pins.csv:2:1: pin names nobody: coach 'LP99' is not in coaches.csv");
    assert_true(has(f, "pins.csv:3:2: pin names nobody: teacher 'T404' is not in staff.csv"));
    assert_true(has(f, "pins.csv:4:3: rule must be must or never (got 'maybe')"));
}

static void test_load__missing_required_column(void **state)
{
    fixture *f = *state;
    put_text(f, "staff.csv", "id,name,school,subjects\nT1,Ann,SCH1,maths\n");
    expect_error(f, "staff.csv:1: missing column 'role' (header has: id, name, school, subjects)");
}

static void test_load__empty_file(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "");
    expect_error(f, "coaches.csv: empty file, expected a header row");
}

static void test_load__binary_file(void **state)
{
    fixture *f = *state;
    put(f, "staff.csv", "id,name\x00\x01\x02\n", 11);
    expect_error(f, "staff.csv: binary file (NUL byte at line 1), expected UTF-8 CSV");
}

static void test_load__missing_required_file(void **state)
{
    fixture *f = *state;
    drop(f, "coaches.csv");
    expect_error(f, "coaches.csv: cannot open: No such file or directory");
}

static void test_load__folder_in_place_of_file(void **state)
{
    fixture *f = *state;
    drop(f, "staff.csv");
    char path[256];
    snprintf(path, sizeof path, "%s/staff.csv", f->dir);
    assert_int_equal(mkdir(path, 0755), 0);
    expect_error(f, "staff.csv: is a folder, expected a file");
}

static void test_load__unknown_coach_role(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,boss,trust,6\n"
                               "M1,M,Mentor,SCH2,2\nSL1,S,slt,SCH2,1\n");
    expect_error(f, "coaches.csv:2:3: role must be lp, dol, ot, mentor or senior_leader "
                    "(got 'boss')");
    assert_int_equal(cpd_diags_errors(f->d), 1);
}

static void test_load__bad_limits_and_provides(void **state)
{
    fixture *f = *state;
    put_text(f, "coaches.csv", "id,name,role,school,hours,max_coachees,max_schools,provides\n"
                               "LP1,L,lp,trust,6,2.5,-1,coaching;hugs\n");
    expect_error(f, "coaches.csv:2:6: max_coachees must be a whole number from 0 to 1000 "
                    "(got '2.5')");
    assert_true(has(f, "coaches.csv:2:7: max_schools must be a whole number from 0 to 1000"));
    assert_true(has(f, "coaches.csv:2:8: provides: unknown service 'hugs'"));
}

static void test_load__previous_with_departed_teacher_warns(void **state)
{
    fixture *f = *state;
    put_text(f, "previous.csv", "coach,teacher\nLP1,T1\nM1,T0999\nGONE,T2\nLP1,T1\n");
    cpd_scenario *s = cpd_load_deploy(f->dir, f->d);
    assert_non_null(s);
    assert_int_equal(cpd_diags_errors(f->d), 0);
    assert_true(has(f, "previous.csv:3:2: warning: teacher 'T0999' is not in staff.csv: "
                       "treated as having left"));
    assert_true(has(f, "previous.csv:4:1: warning: coach 'GONE' is not in coaches.csv: "
                       "treated as having left"));
    assert_true(has(f, "previous.csv:5:1: warning: pair LP1, T1 given twice (first on line 2)"));
    assert_int_equal(s->nprevious, 3);
    assert_int_equal(s->previous[1].coach, 1);
    assert_int_equal(s->previous[1].teacher, -1);
    assert_string_equal(s->previous[1].teacher_id, "T0999");
    assert_int_equal(s->previous[2].coach, -1);
    assert_string_equal(s->previous[2].coach_id, "GONE");
    cpd_scenario_free(&s);
}

static void test_load__travel_problems(void **state)
{
    fixture *f = *state;
    put_text(f, "travel.csv", "from,to,minutes\nSCH1,SCH2,15\nSCH2,SCH1,20\nSCH1,NOPE,5\n"
                              "SCH2,SCH3,900\n");
    expect_error(f, "travel.csv:4:2: unknown school 'NOPE' (known: trust, SCH1, SCH2, SCH3)");
    assert_true(has(f, "travel.csv:5:3: minutes must be a number from 0 to 600 (got '900')"));
    assert_true(has(f, "travel.csv:3:3: warning: SCH2 to SCH1 given again (line 2 said 15 "
                       "minutes); 20 is used"));
}

static void test_load__json_syntax_error_has_line(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "{\n  \"name\": \"x\",\n  \"travel_default_minutes\": 25\n"
                                 "  \"deploy\": {}\n}\n");
    expect_error(f, "scenario.json:4:3: not valid JSON near '\"deploy\": {}'");
}

static void test_load__json_wrong_type_names_key_and_line(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "{\n  \"name\": 7,\n  \"deploy\": {\n    \"need_weight\": {},\n"
                                 "    \"need_hours\": {\"light\": \"one\"},\n"
                                 "    \"mentor_max_ects\": 1.5,\n    \"subject_fit_required\": 1,\n"
                                 "    \"colour\": \"red\"\n  },\n  \"solver\": []\n}\n");
    expect_error(f, "scenario.json:5:29: deploy.need_hours.light must be a number from 0 to 40");
    assert_true(has(f, "scenario.json:6:24: deploy.mentor_max_ects must be a whole number from 1 "
                       "to 1000"));
    assert_true(has(f, "scenario.json:7:29: deploy.subject_fit_required must be true or false"));
    assert_true(has(f, "scenario.json:8:5: warning: unknown key 'deploy.colour' ignored"));
    assert_true(has(f, "scenario.json:10:13: solver must be an object"));
    assert_true(has(f, "scenario.json:2:11: name must be a string"));
}

static void test_load__json_not_an_object(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "[1, 2]\n");
    expect_error(f, "scenario.json:1: must be a JSON object");
}

static void test_load__errors_in_every_file_in_one_call(void **state)
{
    fixture *f = *state;
    put_text(f, "schools.csv", "id,name\nSCH1,a\nSCH2,b\nSCH3,c\nSCH1,d\n");
    put_text(f, "staff.csv", "id,name,school,role\nT1,Ann,SCH1,teacher\nT2,Ben,SCH7,ect\n"
                             "T3,Cat,SCH3,teacher\n");
    put_text(f, "coaches.csv", "id,name,role,school,hours\nLP1,L,lp,trust,-1\n");
    put_text(f, "pins.csv", "coach,teacher,rule\nLP1,T9,must\n");
    put_text(f, "scenario.json", "{\"travel_default_minutes\": -4}");
    expect_error(f, "schools.csv:5:1: duplicate school id 'SCH1' (first on line 2)");
    assert_true(has(f, "staff.csv:3:3: unknown school 'SCH7'"));
    assert_true(has(f, "coaches.csv:2:5: hours must be a number from 0 to 80 (got '-1')"));
    assert_true(has(f, "pins.csv:2:2: pin names nobody: teacher 'T9' is not in staff.csv"));
    assert_true(has(f, "scenario.json:1:28: travel_default_minutes must be a number from 0 to 600"));
    assert_int_equal(cpd_diags_errors(f->d), 5);
}

/* A broken schools.csv must not make every school id elsewhere "unknown". */
static void test_load__broken_file_does_not_cascade(void **state)
{
    fixture *f = *state;
    put_text(f, "schools.csv", "code,title\nSCH1,a\n");
    expect_error(f, "schools.csv:1: missing column 'id'");
    assert_int_equal(cpd_diags_errors(f->d), 2); /* id and name; nothing from other files */
}

/* ---- round trip ---- */

static cpd_scenario *built_scenario(void)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = strdup("Round, \"Trip\" Trust");
    cpd_scenario_add_school(s, "A", "=Alpha+School", false); /* neutralised, read back */
    cpd_scenario_add_school(s, "B", "Beta, Academy", true);
    cpd_scenario_add_school(s, "C", "Gamma", false);
    s->params.default_travel_minutes = 22.5;
    s->params.need_weight[CPD_NEED_INTENSIVE] = 1234.25;
    s->params.service_hours[CPD_SERVICE_SENIOR] = 0.75;
    s->params.subject_fit_required = false;
    s->params.max_changes = 3;
    s->params.gap = 0.02;
    cpd_scenario_init_travel(s, 22.5);
    s->travel[0 * 3 + 1] = s->travel[1 * 3 + 0] = 12.345678912;
    s->trust_travel[2] = 7;
    const char *ids[] = {"T1", "T2", "T3"};
    for (int i = 0; i < 3; i++) {
        cpd_staff st = {.id = (char *)ids[i], .name = "Name", .school = i, .role = "teacher",
                        .need = (cpd_need)(i + 1)};
        cpd_strlist_add(&st.subjects, "maths");
        if (i == 1) {
            st.role = "ect";
            st.is_ect = true;
            cpd_strlist_add(&st.focus, "behaviour");
            cpd_strlist_add(&st.focus, "questioning");
        }
        cpd_scenario_add_staff(s, &st);
    }
    cpd_coach k = {.id = "LP1", .name = "Lee", .role = CPD_COACH_LP, .school = CPD_TRUST_SCHOOL,
                   .hours = 6.5, .max_coachees = 5, .max_schools = 2,
                   .provides = 1u << CPD_SERVICE_COACHING};
    cpd_strlist_add(&k.expertise, "behaviour");
    cpd_scenario_add_coach(s, &k);
    cpd_coach m = {.id = "M1", .name = "Mo", .role = CPD_COACH_MENTOR, .school = 1, .hours = 2,
                   .provides = (1u << CPD_SERVICE_MENTORING) | (1u << CPD_SERVICE_COACHING)};
    cpd_strlist_add(&m.subjects, "maths");
    cpd_strlist_add(&m.subjects, "science");
    cpd_scenario_add_coach(s, &m);
    cpd_scenario_add_previous(s, 0, 0, "LP1", "T1", 0);
    cpd_scenario_add_previous(s, -1, 2, "OLD", "T3", 0);
    cpd_scenario_add_pin(s, 1, 1, true, 0);
    return s;
}

static void assert_lists_equal(const cpd_strlist *a, const cpd_strlist *b)
{
    assert_int_equal(a->n, b->n);
    for (int i = 0; i < a->n; i++)
        assert_string_equal(a->items[i], b->items[i]);
}

/* Field by field: the struct's padding bytes need not match. */
static void assert_params_equal(const cpd_deploy_params *a, const cpd_deploy_params *b)
{
    for (int l = 0; l < CPD_NEED_COUNT; l++)
        assert_true(a->need_weight[l] == b->need_weight[l] && a->need_hours[l] == b->need_hours[l]);
    for (int v = 0; v < CPD_SERVICE_COUNT; v++)
        assert_true(a->service_weight[v] == b->service_weight[v] &&
                    a->service_hours[v] == b->service_hours[v]);
    assert_true(a->subject_weight == b->subject_weight && a->focus_weight == b->focus_weight);
    assert_true(a->continuity_weight == b->continuity_weight);
    assert_true(a->travel_weight == b->travel_weight);
    assert_true(a->ect_extra_penalty == b->ect_extra_penalty);
    assert_int_equal(a->mentor_soft_max_ects, b->mentor_soft_max_ects);
    assert_int_equal(a->mentor_same_school, b->mentor_same_school);
    assert_int_equal(a->senior_same_school, b->senior_same_school);
    assert_int_equal(a->subject_fit_required, b->subject_fit_required);
    assert_true(a->default_travel_minutes == b->default_travel_minutes);
    assert_int_equal(a->max_changes, b->max_changes);
    assert_true(a->time_limit == b->time_limit && a->gap == b->gap);
}

static void assert_scenarios_equal(const cpd_scenario *a, const cpd_scenario *b)
{
    assert_string_equal(a->name, b->name);
    assert_params_equal(&a->params, &b->params);
    assert_int_equal(a->nschools, b->nschools);
    for (int i = 0; i < a->nschools; i++) {
        assert_string_equal(a->schools[i].id, b->schools[i].id);
        assert_string_equal(a->schools[i].name, b->schools[i].name);
        assert_int_equal(a->schools[i].joining, b->schools[i].joining);
        assert_true(a->trust_travel[i] == b->trust_travel[i]);
        for (int j = 0; j < a->nschools; j++)
            assert_true(cpd_scenario_travel(a, i, j) == cpd_scenario_travel(b, i, j));
    }
    assert_int_equal(a->nstaff, b->nstaff);
    for (int i = 0; i < a->nstaff; i++) {
        const cpd_staff *x = &a->staff[i], *y = &b->staff[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->name, y->name);
        assert_string_equal(x->role, y->role);
        assert_int_equal(x->school, y->school);
        assert_int_equal(x->is_ect, y->is_ect);
        assert_int_equal(x->need, y->need);
        assert_lists_equal(&x->subjects, &y->subjects);
        assert_lists_equal(&x->focus, &y->focus);
    }
    assert_int_equal(a->ncoaches, b->ncoaches);
    for (int i = 0; i < a->ncoaches; i++) {
        const cpd_coach *x = &a->coaches[i], *y = &b->coaches[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->name, y->name);
        assert_int_equal(x->role, y->role);
        assert_int_equal(x->school, y->school);
        assert_true(x->hours == y->hours);
        assert_int_equal(x->max_coachees, y->max_coachees);
        assert_int_equal(x->max_schools, y->max_schools);
        assert_int_equal(x->provides, y->provides);
        assert_lists_equal(&x->subjects, &y->subjects);
        assert_lists_equal(&x->expertise, &y->expertise);
    }
    assert_int_equal(a->nprevious, b->nprevious);
    for (int i = 0; i < a->nprevious; i++) {
        assert_int_equal(a->previous[i].coach, b->previous[i].coach);
        assert_int_equal(a->previous[i].teacher, b->previous[i].teacher);
        assert_string_equal(a->previous[i].coach_id, b->previous[i].coach_id);
        assert_string_equal(a->previous[i].teacher_id, b->previous[i].teacher_id);
    }
    assert_int_equal(a->npins, b->npins);
    for (int i = 0; i < a->npins; i++) {
        assert_int_equal(a->pins[i].coach, b->pins[i].coach);
        assert_int_equal(a->pins[i].teacher, b->pins[i].teacher);
        assert_int_equal(a->pins[i].must, b->pins[i].must);
    }
}

static void test_load__save_then_load_round_trip(void **state)
{
    fixture *f = *state;
    cpd_scenario *s = built_scenario();
    char out[128];
    snprintf(out, sizeof out, "%s/saved", f->dir);
    assert_true(cpd_save_deploy(out, s, f->d));
    cpd_scenario *back = cpd_load_deploy(out, f->d);
    if (!back)
        cpd_diags_print(f->d, stderr);
    assert_non_null(back);
    assert_int_equal(cpd_diags_errors(f->d), 0);
    /* The coach who left is the one expected warning. */
    assert_true(has(f, "saved/previous.csv:3:1: warning: coach 'OLD' is not in coaches.csv"));
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_scenarios_equal(s, back);
    cpd_scenario_free(&back);
    cpd_scenario_free(&s);
}

static void test_load__save_into_unwritable_place_fails(void **state)
{
    fixture *f = *state;
    cpd_scenario *s = built_scenario();
    char out[128];
    snprintf(out, sizeof out, "%s/schools.csv/sub", f->dir); /* under a file: cannot exist */
    assert_false(cpd_save_deploy(out, s, f->d));
    assert_true(cpd_diags_errors(f->d) > 0);
    cpd_scenario_free(&s);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tu_teardown)
    const struct CMUnitTest tests[] = {
        T(test_load__valid_counts_and_fields),
        T(test_load__travel_and_params),
        T(test_load__optional_files_absent),
        T(test_load__common_needs_no_coaches),
        T(test_load__unknown_school_lists_known),
        T(test_load__unknown_school_list_is_cut_at_eight),
        T(test_load__duplicate_school_id),
        T(test_load__duplicate_staff_and_coach_ids),
        T(test_load__coach_id_clashes_with_staff),
        T(test_load__negative_hours),
        T(test_load__non_numeric_hours),
        T(test_load__unknown_need_level),
        T(test_load__pin_naming_nobody),
        T(test_load__missing_required_column),
        T(test_load__empty_file),
        T(test_load__binary_file),
        T(test_load__missing_required_file),
        T(test_load__folder_in_place_of_file),
        T(test_load__unknown_coach_role),
        T(test_load__bad_limits_and_provides),
        T(test_load__previous_with_departed_teacher_warns),
        T(test_load__travel_problems),
        T(test_load__json_syntax_error_has_line),
        T(test_load__json_wrong_type_names_key_and_line),
        T(test_load__json_not_an_object),
        T(test_load__errors_in_every_file_in_one_call),
        T(test_load__broken_file_does_not_cascade),
        T(test_load__save_then_load_round_trip),
        T(test_load__save_into_unwritable_place_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
