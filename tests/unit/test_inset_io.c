/* test_inset_io.c — reading a training day (workshops, preferences as form tools export them,
 * pins, scenario.json "inset"), each kind of bad input with its exact message, a save/load round
 * trip, and a plan written and read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_inset_io.h"
#include "cpd_templates.h"
#include "test_util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef tu_fixture fixture;

static const char *const day_files[][2] = {
    {"schools.csv", "id,name\nS1,Alder School\nS2,Birch Academy\n"},
    {"staff.csv", "id,name,school,role\n"
                  "T1,Ann Lee,S1,teacher\n"
                  "T2,Bob Carr,S1,ect\n"
                  "T3,Cat Dunn,S2,teacher\n"
                  "T4,Dee Shah,S2,support\n"
                  "F1,Fay Gill,S1,teacher\n"},
    {"workshops.csv",
     "id,title,capacity,min_size,slots,facilitators,audience,mandatory_for,length\n"
     "W1,Retrieval practice,3,,1;2,F1,,,1\n"
     "W2,PREVENT for ECTs,5,,2,,,ect,1\n"
     "W3,Coaching conversations,4,2,1,,teacher;ect,,2\n"
     "W4,Wellbeing walk,10,,,,,,\n"},
    {"preferences.csv", "Timestamp,Email,Staff ID,1st choice,2nd choice,3rd choice\n"
                        "2026/09/01 08:01,ann@x.org,T1,Retrieval practice,W3,\n"
                        "2026/09/01 08:02,bob@x.org,T2,coaching   CONVERSATIONS,Wellbeing walk,\n"
                        "2026/09/01 08:03,cat@x.org,T3,Wellbeing walk,Retrieval practice,W3\n"},
    {"scenario.json", "{\n  \"name\": \"Test day\",\n  \"inset\": {\"slots\": 2, "
                      "\"rank_power\": 1.5}\n}\n"},
};
enum { NDAY = sizeof day_files / sizeof day_files[0] };

/* ---- helpers ---- */

static void put_text(const fixture *f, const char *name, const char *text)
{
    tu_put_text(f->dir, name, text);
}

static int setup(void **state) { return tu_setup(state, "cpd-inset-io", day_files, NDAY); }

static void print_diags_on_fail(const cpd_diags *d) { cpd_diags_print(d, stderr); }

/* The day's only error's formatted text must contain want (path prefix aside). */
static void expect_error(fixture *f, const char *want)
{
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    if (p || !tu_has_diag(f->d, want))
        print_diags_on_fail(f->d);
    assert_null(p);
    assert_true(tu_has_diag(f->d, want));
}

static const cpd_preference *pref_of(const cpd_inset *p, const char *staff)
{
    for (int i = 0; i < p->nprefs; i++)
        if (strcmp(p->common->staff[p->prefs[i].staff].id, staff) == 0)
            return &p->prefs[i];
    return NULL;
}

static const char *choice_id(const cpd_inset *p, const cpd_preference *pr, int k)
{
    return p->workshops[pr->choices[k]].id;
}

/* ---- the valid day ---- */

static void test_inset_io__valid_day(void **state)
{
    fixture *f = *state;
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    if (!p)
        print_diags_on_fail(f->d);
    assert_non_null(p);
    assert_int_equal(cpd_diags_len(f->d), 0); /* Timestamp, Email: a form's columns, quietly */
    assert_int_equal(p->params.nslots, 2);
    assert_true(fabs(p->params.rank_power - 1.5) < 1e-12);
    assert_int_equal(p->nworkshops, 4);
    const cpd_workshop *w1 = &p->workshops[0], *w3 = &p->workshops[2], *w4 = &p->workshops[3];
    assert_string_equal(w1->title, "Retrieval practice");
    assert_int_equal(w1->capacity, 3);
    assert_int_equal(w1->starts, 3u);
    assert_int_equal(w1->nfacilitators, 1);
    assert_string_equal(p->common->staff[w1->facilitators[0]].id, "F1");
    assert_int_equal(w3->length, 2);
    assert_int_equal(w3->min_size, 2);
    assert_int_equal(w3->starts, 1u);
    assert_int_equal(w3->audience.n, 2);
    assert_int_equal(w4->starts, 3u); /* every slot by default */
    assert_int_equal(w4->length, 1);
    assert_true(cpd_strlist_has(&p->workshops[1].mandatory_for, "ect"));
    assert_int_equal(p->nprefs, 3);
    const cpd_preference *t1 = pref_of(p, "T1"), *t2 = pref_of(p, "T2"), *t3 = pref_of(p, "T3");
    assert_int_equal(t1->nchoices, 2);
    assert_string_equal(choice_id(p, t1, 0), "W1");
    assert_string_equal(choice_id(p, t1, 1), "W3");
    assert_int_equal(t2->nchoices, 2); /* a title in another case and spacing */
    assert_string_equal(choice_id(p, t2, 0), "W3");
    assert_int_equal(t3->nchoices, 3);
    assert_string_equal(choice_id(p, t3, 2), "W3");
    assert_int_equal(t3->line, 4);
    cpd_inset_free(&p);
    assert_null(p);
}

static void test_inset_io__choice_headers(void **state)
{
    fixture *f = *state;
    put_text(f, "preferences.csv",
             "staff,Choice 2,First choice,choice3,notes\n"
             "T1,W1,W4,W3,hello\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    const cpd_preference *t1 = pref_of(p, "T1");
    assert_int_equal(t1->nchoices, 3);
    assert_string_equal(choice_id(p, t1, 0), "W4");
    assert_string_equal(choice_id(p, t1, 1), "W1");
    assert_string_equal(choice_id(p, t1, 2), "W3");
    assert_int_equal(cpd_diags_len(f->d), 0);
    cpd_inset_free(&p);
}

static void test_inset_io__grid_headers(void **state)
{
    fixture *f = *state;
    /* a form's ranking grid, exported with the question before each rank */
    put_text(f, "preferences.csv",
             "Start time,Name,Staff ID,Workshop choices [1st choice],Workshop choices "
             "[2nd choice],Preference 3,Choice 3 comments\n"
             "2027/01/02,Ann Lee,T1,W4,W1,W3,none\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    const cpd_preference *t1 = pref_of(p, "T1");
    assert_int_equal(t1->nchoices, 3);
    assert_string_equal(choice_id(p, t1, 0), "W4");
    assert_string_equal(choice_id(p, t1, 2), "W3");
    assert_int_equal(cpd_diags_len(f->d), 1); /* only the comments column is unknown */
    assert_true(tu_has_diag(f->d,
                            "preferences.csv:1:7: warning: unknown column 'Choice 3 comments' "
                            "ignored"));
    cpd_inset_free(&p);
}

static void test_inset_io__long_form(void **state)
{
    fixture *f = *state;
    put_text(f, "preferences.csv", "staff,rank,workshop\nT3,2,W1\nT3,1,Wellbeing walk\nT1,1,W3\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    assert_int_equal(p->nprefs, 2);
    const cpd_preference *t3 = pref_of(p, "T3");
    assert_int_equal(t3->nchoices, 2);
    assert_string_equal(choice_id(p, t3, 0), "W4");
    assert_string_equal(choice_id(p, t3, 1), "W1");
    cpd_inset_free(&p);
}

static void test_inset_io__submitted_twice(void **state)
{
    fixture *f = *state;
    put_text(f, "preferences.csv", "staff,choice1,choice2\nT1,W1,W4\nT3,W4,\nT1,W3,\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    const cpd_preference *t1 = pref_of(p, "T1");
    assert_int_equal(t1->nchoices, 1);
    assert_string_equal(choice_id(p, t1, 0), "W3");
    assert_int_equal(t1->line, 4);
    assert_true(tu_has_diag(f->d, "preferences.csv:4:1: warning: T1 submitted twice (lines 2 and "
                                  "4); the later row is used"));
    cpd_inset_free(&p);
}

static void test_inset_io__choices_ignored(void **state)
{
    fixture *f = *state;
    put_text(f, "workshops.csv",
             "id,title,capacity,slots,audience\n"
             "W1,Retrieval practice,3,,\nW2,Phonics,5,,teacher\n"
             "W3,Old course,5,none,\n");
    put_text(f, "preferences.csv",
             "staff,choice1,choice2,choice3,choice4\n"
             "T4,Phonics,W3,W1,W1\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    const cpd_preference *t4 = pref_of(p, "T4");
    assert_int_equal(t4->nchoices, 1);
    assert_string_equal(choice_id(p, t4, 0), "W1");
    assert_true(tu_has_diag(f->d, "preferences.csv:2:2: warning: T4 (support) may not attend "
                                  "'Phonics'"));
    assert_true(tu_has_diag(f->d, "preferences.csv:2:3: warning: 'Old course' does not run this "
                                  "day; choice ignored"));
    assert_true(tu_has_diag(f->d, "preferences.csv:2:5: warning: 'Retrieval practice' is chosen "
                                  "again (choice 4)"));
    assert_int_equal(p->params.nslots, 2); /* scenario.json's */
    assert_int_equal(p->workshops[2].starts, 0u);
    cpd_inset_free(&p);
}

/* Windows editors save scenario.json with a UTF-8 byte-order mark: the "inset" and "solver"
 * settings after it must still be read. */
static void test_inset_io__settings_after_byte_order_mark(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json",
             "\xEF\xBB\xBF{\n  \"name\": \"Test day\",\n"
             "  \"inset\": {\"slots\": 3, \"rank_power\": 1.5, \"strict\": true},\n"
             "  \"solver\": {\"time_limit\": 7}\n}\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    if (!p)
        print_diags_on_fail(f->d);
    assert_non_null(p);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(p->params.nslots, 3); /* not the 2 workshops.csv's slots would give */
    assert_true(fabs(p->params.rank_power - 1.5) < 1e-12);
    assert_true(p->params.strict);
    assert_true(p->params.time_limit == 7);
    cpd_inset_free(&p);
}

/* ... and a bad one is reported at its line, counted as if the mark were not there. */
static void test_inset_io__bad_setting_after_byte_order_mark(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json",
             "\xEF\xBB\xBF{\n  \"name\": \"Test day\",\n"
             "  \"inset\": {\"slots\": \"three\"}\n}\n");
    expect_error(f, "scenario.json:3:22: inset.slots must be a number from 1 to 32");
}

/* inset.date and inset.times, for sessions.ics: read, and each kind of mistake at its line. */
static void test_inset_io__day_date_and_times(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json",
             "{\"inset\": {\"slots\": 2, \"date\": \"2027-01-04\",\n"
             "  \"times\": [\"09:15-10:30\", \"13:00-14:15\"]}}\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    assert_int_equal(p->params.date, cpd_date_from_ymd(2027, 1, 4));
    assert_int_equal(p->params.ntimes, 2);
    int a, b;
    assert_true(cpd_inset_slot_time(&p->params, 2, &a, &b));
    assert_int_equal(a, 13 * 60);
    assert_int_equal(b, 14 * 60 + 15);
    cpd_inset_free(&p);
}

static void test_inset_io__day_without_date(void **state)
{
    fixture *f = *state;
    cpd_inset *p = cpd_load_inset(f->dir, f->d); /* the fixture gives neither */
    assert_non_null(p);
    assert_int_equal(p->params.date, -1);
    assert_int_equal(p->params.ntimes, 0);
    cpd_inset_free(&p);
}

static void test_inset_io__bad_times(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "{\"inset\": {\"slots\": 2, \"times\": [\"9:00-10:00\", 3]}}\n");
    expect_error(f, "scenario.json:1:34: inset.times: item 1 must be \"HH:MM-HH:MM\" (got '9:00-10:00')");
    cpd_diags_free(&f->d);
    f->d = cpd_diags_new();
    put_text(f, "scenario.json",
             "{\"inset\": {\"slots\": 2, \"times\": [\"09:00-10:00\", \"09:30-11:00\"]}}\n");
    expect_error(f, "scenario.json:1:49: inset.times: slot 2 (09:30-11:00) starts before the slot "
                    "before it ends");
    cpd_diags_free(&f->d);
    f->d = cpd_diags_new();
    put_text(f, "scenario.json", "{\"inset\": {\"slots\": 2, \"times\": [\"11:00-10:00\"]}}\n");
    expect_error(f, "scenario.json:1:34: inset.times: slot 1 (11:00-10:00) ends before it starts");
}

static void test_inset_io__times_for_another_day_length(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json",
             "{\"inset\": {\"slots\": 2,\n  \"times\": [\"09:00-10:00\", \"10:15-11:00\", "
             "\"11:15-12:00\"]}}\n");
    expect_error(f, "scenario.json:2:12: inset.times gives 3 times for a day of 2 slots");
}

static void test_inset_io__slots_from_workshops(void **state)
{
    fixture *f = *state;
    put_text(f, "scenario.json", "{\"name\": \"x\"}\n");
    put_text(f, "workshops.csv", "id,title,capacity,slots\nW1,A,3,1;3\nW2,B,3,\n");
    put_text(f, "preferences.csv", "staff,choice1\nT1,W1\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    assert_int_equal(p->params.nslots, 3);
    assert_int_equal(p->workshops[1].starts, 7u);
    cpd_inset_free(&p);
}

static void test_inset_io__pins(void **state)
{
    fixture *f = *state;
    put_text(f, "pins.csv", "staff,workshop,slot,rule\nT1,Wellbeing walk,2,must\nT3,W1,,never\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    assert_int_equal(p->npins, 2);
    assert_string_equal(p->workshops[p->pins[0].workshop].id, "W4");
    assert_int_equal(p->pins[0].slot, 2);
    assert_true(p->pins[0].must);
    assert_int_equal(p->pins[1].slot, 0);
    assert_false(p->pins[1].must);
    cpd_inset_free(&p);
}

/* ---- bad input ---- */

static void test_inset_io__bad_capacity(void **state)
{
    fixture *f = *state;
    put_text(f, "workshops.csv", "id,title,capacity\nW1,A,3\nW2,B,0\nW3,C,ten\n");
    put_text(f, "preferences.csv", "staff,choice1\nT1,W1\n");
    expect_error(f, "workshops.csv:3:3: capacity must be a positive whole number, at most 100000 "
                    "(got '0')");
    assert_true(tu_has_diag(f->d, "workshops.csv:4:3: capacity must be a positive whole number"));
}

/* Inputs with one mistake each, on top of the fixture's good day: up to two files rewritten
 * and the message the loader must give (and no day). */
static const struct {
    const char *name, *file1, *text1, *file2, *text2, *message;
} bad_inputs[] = {
    {"bad_date",
     "scenario.json", "{\"inset\": {\"slots\": 2,\n \"date\": \"2027-02-30\"}}\n",
     NULL, NULL,
     "scenario.json:2:10: inset.date must be a date \"YYYY-MM-DD\" (got '2027-02-30')"},
    {"near_miss",
     "preferences.csv",
     "Staff ID,1st choice,2nd choice\nT1,W1,\nT2,W4,\nT3,W4,Retreival practise\n",
     NULL, NULL,
     "preferences.csv:4:3: no workshop 'Retreival practise' (did you mean "
     "'Retrieval practice'?)"},
    {"near_by_shared_word",
     "preferences.csv", "staff,choice1\nT1,conversations with pupils\n",
     NULL, NULL,
     "preferences.csv:2:2: no workshop 'conversations with pupils' (did you mean "
     "'Coaching conversations'?)"},
    {"nothing_near",
     "preferences.csv", "staff,choice1\nT1,Zzzzzzzzzzzz\n",
     NULL, NULL,
     "preferences.csv:2:2: no workshop 'Zzzzzzzzzzzz' (known: W1, W2, W3, W4)"},
    {"unknown_staff",
     "preferences.csv", "staff,choice1\nT9,W1\n",
     NULL, NULL,
     "preferences.csv:2:1: unknown staff 'T9' (not in staff.csv)"},
    {"slot_outside_day",
     "workshops.csv", "id,title,capacity,slots\nW1,A,3,1;5\n",
     "preferences.csv", "staff,choice1\nT1,W1\n",
     "workshops.csv:2:4: slot 5 is outside the day (slots 1 to 2)"},
    {"run_past_last_slot",
     "workshops.csv", "id,title,capacity,slots,length\nW1,A,3,2,2\n",
     "preferences.csv", "staff,choice1\nT1,W1\n",
     "workshops.csv:2:4: a run of 2 slots starting in slot 2 runs past the last "
     "slot (2)"},
    {"facilitator_not_staff",
     "workshops.csv", "id,title,capacity,facilitators\nW1,A,3,F1;X9\n",
     "preferences.csv", "staff,choice1\nT1,W1\n",
     "workshops.csv:2:4: facilitator 'X9' is not staff (not in staff.csv)"},
    {"pin_slot_outside_day",
     "pins.csv", "staff,workshop,slot,rule\nT1,W1,3,must\n",
     NULL, NULL,
     "pins.csv:2:3: slot 3 is outside the day (slots 1 to 2)"},
};

static void test_inset_io__bad_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_inputs / sizeof *bad_inputs; i++) {
        void *st = NULL;
        assert_int_equal(setup(&st), 0);
        fixture *f = st;
        put_text(f, bad_inputs[i].file1, bad_inputs[i].text1);
        if (bad_inputs[i].file2)
            put_text(f, bad_inputs[i].file2, bad_inputs[i].text2);
        cpd_inset *p = cpd_load_inset(f->dir, f->d);
        bool ok = !p && tu_has_diag(f->d, bad_inputs[i].message);
        if (!ok) {
            fprintf(stderr, "bad input '%s':\n", bad_inputs[i].name);
            print_diags_on_fail(f->d);
        }
        cpd_inset_free(&p);
        tu_teardown(&st);
        assert_true(ok);
    }
}

static void test_inset_io__all_problems_at_once(void **state)
{
    fixture *f = *state;
    put_text(f, "workshops.csv", "id,title,capacity,facilitators\nW1,A,x,X9\nW1,B,3,\n");
    put_text(f, "preferences.csv", "staff,choice1\nT9,W1\n");
    put_text(f, "scenario.json", "{\"inset\": {\"slots\": \"three\", \"frobs\": 1}}\n");
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_null(p);
    assert_true(tu_has_diag(f->d, "workshops.csv:2:3: capacity must be"));
    assert_true(tu_has_diag(f->d, "workshops.csv:2:4: facilitator 'X9'"));
    assert_true(
        tu_has_diag(f->d, "workshops.csv:3:1: duplicate workshop id 'W1' (first on line 2)"));
    assert_true(tu_has_diag(f->d, "preferences.csv:2:1: unknown staff 'T9'"));
    assert_true(tu_has_diag(f->d, "scenario.json:1:21: inset.slots must be a number from 1 to 32"));
    assert_true(tu_has_diag(f->d, "scenario.json:1:30: warning: unknown key 'inset.frobs' ignored"));
}

static void test_inset_io__no_staff_column(void **state)
{
    fixture *f = *state;
    put_text(f, "preferences.csv", "who,choice1\nT1,W1\n");
    expect_error(f, "preferences.csv:1: missing column 'staff'");
    assert_true(tu_has_diag(f->d, "preferences.csv:1:1: warning: unknown column 'who' ignored"));
}

/* ---- writing a day back ---- */

static void test_inset_io__save_round_trip(void **state)
{
    fixture *f = *state;
    put_text(f, "pins.csv", "staff,workshop,slot,rule\nT1,W4,2,must\nT3,W1,,never\n");
    cpd_inset *a = cpd_load_inset(f->dir, f->d);
    assert_non_null(a);
    char dir2[300];
    snprintf(dir2, sizeof dir2, "%s/copy", f->dir);
    assert_true(cpd_save_inset(dir2, a, f->d));
    cpd_inset *b = cpd_load_inset(dir2, f->d);
    if (!b)
        print_diags_on_fail(f->d);
    assert_non_null(b);
    assert_int_equal(cpd_diags_errors(f->d), 0);
    assert_int_equal(b->params.nslots, a->params.nslots);
    assert_true(fabs(b->params.rank_power - a->params.rank_power) < 1e-12);
    assert_int_equal(b->params.fairness, a->params.fairness);
    assert_true(fabs(b->params.gap - a->params.gap) < 1e-12);
    assert_true(fabs(b->params.time_limit - a->params.time_limit) < 1e-12);
    assert_int_equal(b->nworkshops, a->nworkshops);
    for (int w = 0; w < a->nworkshops; w++) {
        assert_string_equal(b->workshops[w].id, a->workshops[w].id);
        assert_string_equal(b->workshops[w].title, a->workshops[w].title);
        assert_int_equal(b->workshops[w].capacity, a->workshops[w].capacity);
        assert_int_equal(b->workshops[w].min_size, a->workshops[w].min_size);
        assert_int_equal(b->workshops[w].starts, a->workshops[w].starts);
        assert_int_equal(b->workshops[w].length, a->workshops[w].length);
        assert_int_equal(b->workshops[w].nfacilitators, a->workshops[w].nfacilitators);
        assert_int_equal(b->workshops[w].audience.n, a->workshops[w].audience.n);
        assert_int_equal(b->workshops[w].mandatory_for.n, a->workshops[w].mandatory_for.n);
    }
    assert_int_equal(b->nprefs, a->nprefs);
    for (int i = 0; i < a->nprefs; i++) {
        assert_int_equal(b->prefs[i].staff, a->prefs[i].staff);
        assert_int_equal(b->prefs[i].nchoices, a->prefs[i].nchoices);
        for (int k = 0; k < a->prefs[i].nchoices; k++)
            assert_int_equal(b->prefs[i].choices[k], a->prefs[i].choices[k]);
    }
    assert_int_equal(b->npins, a->npins);
    for (int i = 0; i < a->npins; i++) {
        assert_int_equal(b->pins[i].staff, a->pins[i].staff);
        assert_int_equal(b->pins[i].workshop, a->pins[i].workshop);
        assert_int_equal(b->pins[i].slot, a->pins[i].slot);
        assert_int_equal(b->pins[i].must, a->pins[i].must);
    }
    cpd_inset_free(&a);
    cpd_inset_free(&b);
}

static void test_inset_io__templates_load(void **state)
{
    fixture *f = *state;
    char dir[300];
    snprintf(dir, sizeof dir, "%s/tpl", f->dir);
    assert_int_equal(cpd_write_inset_templates(dir, f->d), CPD_OK);
    cpd_inset *p = cpd_load_inset(dir, f->d);
    if (!p)
        print_diags_on_fail(f->d);
    assert_non_null(p);
    assert_int_equal(cpd_diags_len(f->d), 0);
    assert_int_equal(p->nworkshops, 4);
    assert_int_equal(p->params.nslots, 3);
    assert_int_equal(p->workshops[1].length, 2);
    assert_int_equal(p->nprefs, 1);
    assert_int_equal(p->npins, 1);
    cpd_inset_free(&p);
    assert_int_equal(cpd_write_inset_templates(dir, f->d), CPD_EINPUT); /* never overwrites */
    assert_true(tu_has_diag(f->d, "workshops.csv: already exists; init never overwrites a file"));
}

/* ---- a plan written and read back ---- */

/* A plan for the fixture's day, by hand: F1 delivers W1 in both slots; T1 W3 (slots 1-2, her
 * second choice); T2 (ECT) W1 then PREVENT; T3 W4 twice is not allowed, so W4 then W1; T4 W4
 * then nothing (unmet). */
static cpd_inset_plan *hand_plan(const cpd_inset *p)
{
    static const struct {
        int t, s, w, rank;
        bool fac, mand;
    } rows[] = {
        {0, 1, 2, 2, false, false}, {0, 2, 2, 2, false, false},  {1, 1, 0, 0, false, false},
        {1, 2, 1, 0, false, true},  {2, 1, 3, 1, false, false},  {2, 2, 0, 2, false, false},
        {3, 1, 3, 0, false, false}, {3, 2, -1, 0, false, false}, {4, 1, 0, 0, true, false},
        {4, 2, 0, 0, true, false},
    };
    cpd_inset_plan *pl = calloc(1, sizeof *pl);
    pl->nplaces = p->common->nstaff * p->params.nslots;
    pl->places = calloc((size_t)pl->nplaces, sizeof *pl->places);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        pl->places[rows[i].t * 2 + rows[i].s - 1] = (cpd_inset_place){
            rows[i].t, rows[i].s, rows[i].w, rows[i].rank, rows[i].fac, rows[i].mand};
    static const cpd_inset_run runs[] = {{0, 1, 1, false}, {0, 2, 1, false}, {1, 2, 1, false},
                                         {2, 1, 1, true},  {3, 1, 2, false}, {3, 2, 0, false}};
    pl->nruns = 6;
    pl->runs = calloc(6, sizeof *pl->runs);
    memcpy(pl->runs, runs, sizeof runs);
    pl->nunmet = 1;
    pl->unmet = calloc(1, sizeof *pl->unmet);
    pl->unmet[0] = (cpd_inset_unmet){3, 2, -1, strdup("no seat left in slot 2")};
    pl->result = (cpd_solve_result){
        .status = CPD_SOLVE_OPTIMAL, .objective = 12, .bound = 12, .has_bound = true};
    return pl;
}

static void free_hand_plan(cpd_inset_plan **pl)
{
    for (int i = 0; i < (*pl)->nunmet; i++)
        free((*pl)->unmet[i].reason);
    free((*pl)->unmet);
    free((*pl)->runs);
    free((*pl)->places);
    free(*pl);
    *pl = NULL;
}

static void test_inset_io__write_and_read_back(void **state)
{
    fixture *f = *state;
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    cpd_inset_plan *pl = hand_plan(p);
    char out[300];
    snprintf(out, sizeof out, "%s/out", f->dir);
    assert_true(cpd_write_inset(out, p, pl, f->d));
    char *alloc = tu_read(out, "allocation.csv", NULL);
    assert_non_null(strstr(alloc, "staff,name,school,role,slot,workshop,title,rank,facilitating,"
                                  "mandatory\n"));
    assert_non_null(strstr(alloc, "T1,Ann Lee,S1,teacher,1,W3,Coaching conversations,2,no,no\n"));
    assert_non_null(strstr(alloc, "T2,Bob Carr,S1,ect,2,W2,PREVENT for ECTs,,no,yes\n"));
    assert_non_null(strstr(alloc, "T4,Dee Shah,S2,support,2,,,,no,no\n"));
    assert_non_null(strstr(alloc, "F1,Fay Gill,S1,teacher,1,W1,Retrieval practice,,yes,no\n"));
    free(alloc);
    char *rosters = tu_read(out, "rosters.csv", NULL);
    assert_non_null(strstr(rosters, "W1,Retrieval practice,1,1,1,3,held,Fay Gill,Bob Carr\n"));
    assert_non_null(strstr(rosters, "W3,Coaching conversations,1,1,1,4,cancelled,,\n"));
    assert_non_null(strstr(rosters, "W3,Coaching conversations,2,1,1,4,cancelled,,\n"));
    assert_non_null(strstr(rosters, "W4,Wellbeing walk,1,1,2,10,held,,Cat Dunn; Dee Shah\n"));
    free(rosters);
    tu_assert_file(out, "unmet.csv",
                   "staff,name,slot,workshop,reason\nT4,Dee Shah,2,,no seat left in slot 2\n");
    char *sum = tu_read(out, "summary.json", NULL);
    assert_non_null(strstr(sum, "\"job\":\t\"inset\""));
    assert_non_null(strstr(sum, "\"status\":\t\"optimal\""));
    assert_non_null(strstr(sum, "\"places\":\t6")); /* T1's two-slot run is one place */
    assert_non_null(strstr(sum, "\"first_choice_share\":\t0.1667"));
    assert_non_null(strstr(sum, "\"worst_rank\":\t2"));
    assert_non_null(strstr(sum, "\"cancellations\":\t1"));
    free(sum);
    char *report = tu_read(out, "report.html", NULL);
    assert_non_null(strstr(report, "</html>"));
    assert_non_null(strstr(report, "aria-label=\"Places by the rank of the choice they meet\""));
    assert_non_null(strstr(report, "aria-label=\"Workshop fill in slot 2\""));
    /* a register per held run, its people by name, none for a cancelled run */
    assert_non_null(strstr(report, "<h3>Register: Wellbeing walk, slot 1</h3>"));
    assert_non_null(strstr(report, "<td>Cat Dunn</td>"));
    assert_null(strstr(report, "Register: Coaching conversations"));
    assert_non_null(strstr(report, "<td>no seat left in slot 2</td>"));
    assert_non_null(strstr(report, "<section id=\"days\">"));
    free(report);

    cpd_inset_plan *back = cpd_read_inset_plan(out, p, f->d);
    if (!back)
        print_diags_on_fail(f->d);
    assert_non_null(back);
    assert_int_equal(back->nplaces, pl->nplaces);
    for (int k = 0; k < pl->nplaces; k++) {
        assert_int_equal(back->places[k].workshop, pl->places[k].workshop);
        assert_int_equal(back->places[k].rank, pl->places[k].rank);
        assert_int_equal(back->places[k].facilitating, pl->places[k].facilitating);
        assert_int_equal(back->places[k].mandatory, pl->places[k].mandatory);
    }
    assert_int_equal(back->nruns, pl->nruns);
    for (int i = 0; i < pl->nruns; i++) {
        assert_int_equal(back->runs[i].workshop, pl->runs[i].workshop);
        assert_int_equal(back->runs[i].start, pl->runs[i].start);
        assert_int_equal(back->runs[i].size, pl->runs[i].size);
        assert_int_equal(back->runs[i].cancelled, pl->runs[i].cancelled);
    }
    assert_int_equal(back->nunmet, 1);
    assert_string_equal(back->unmet[0].reason, "no seat left in slot 2");
    assert_int_equal(back->unmet[0].slot, 2);
    cpd_inset_plan_free(&back);
    free_hand_plan(&pl);
    cpd_inset_free(&p);
}

static void test_inset_io__read_back_bad_rows(void **state)
{
    fixture *f = *state;
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    char out[300];
    snprintf(out, sizeof out, "%s/out", f->dir);
    mkdir(out, 0755);
    tu_put_text(out, "allocation.csv", "staff,slot,workshop,rank\nT1,1,W1,\nT1,1,W4,\nT9,3,W8,x\n");
    tu_put_text(out, "rosters.csv", "workshop,slot,size,status\nW1,1,1,maybe\n");
    tu_put_text(out, "unmet.csv", "staff,reason\n");
    cpd_inset_plan *back = cpd_read_inset_plan(out, p, f->d);
    assert_null(back);
    assert_true(
        tu_has_diag(f->d, "allocation.csv:3:1: T1 in slot 1 given twice (first on line 2)"));
    assert_true(tu_has_diag(f->d, "allocation.csv:4:1: unknown staff 'T9' (not in staff.csv)"));
    assert_true(tu_has_diag(f->d, "allocation.csv:4:2: slot must be a whole number"));
    assert_true(tu_has_diag(f->d, "allocation.csv:4:3: unknown workshop 'W8'"));
    assert_true(
        tu_has_diag(f->d, "rosters.csv:2:4: status must be held or cancelled (got 'maybe')"));
    cpd_inset_free(&p);
}

static void test_inset_io__terminal_table(void **state)
{
    fixture *f = *state;
    cpd_inset *p = cpd_load_inset(f->dir, f->d);
    assert_non_null(p);
    cpd_inset_plan *pl = hand_plan(p);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    cpd_print_inset_summary(mem, p, pl, false);
    fclose(mem);
    assert_non_null(strstr(buf, "inset Test day: optimal, objective 12.0000, bound 12.0000, gap "
                                "0.00%"));
    assert_non_null(strstr(buf, "places 6   first choice 16.7%   top three 50.0%   worst rank "
                                "2   outside choices 3"));
    assert_non_null(strstr(buf, "W3       Coaching conversations           cancel        -"));
    assert_non_null(strstr(buf, "W4       Wellbeing walk                     2/10     0/10"));
    assert_non_null(strstr(buf, "unmet: 1 rows for 1 of 5 staff"));
    free(buf);
    free_hand_plan(&pl);
    cpd_inset_free(&p);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, tu_teardown)
    const struct CMUnitTest tests[] = {
        T(test_inset_io__valid_day),
        T(test_inset_io__choice_headers),
        T(test_inset_io__grid_headers),
        T(test_inset_io__long_form),
        T(test_inset_io__submitted_twice),
        T(test_inset_io__choices_ignored),
        T(test_inset_io__settings_after_byte_order_mark),
        T(test_inset_io__bad_setting_after_byte_order_mark),
        T(test_inset_io__day_date_and_times),
        T(test_inset_io__day_without_date),
        T(test_inset_io__bad_times),
        T(test_inset_io__times_for_another_day_length),
        T(test_inset_io__slots_from_workshops),
        T(test_inset_io__pins),
        T(test_inset_io__bad_capacity),
        cmocka_unit_test(test_inset_io__bad_inputs),
        T(test_inset_io__all_problems_at_once),
        T(test_inset_io__no_staff_column),
        T(test_inset_io__save_round_trip),
        T(test_inset_io__templates_load),
        T(test_inset_io__write_and_read_back),
        T(test_inset_io__read_back_bad_rows),
        T(test_inset_io__terminal_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
