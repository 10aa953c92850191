/* templates_readme.c — README.txt of `cpdplan init JOB DIR`: what every column of every template
 * means, in plain words, for the person filling the files in a spreadsheet. */
#include "cpd_templates.h"

#include "cpd_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- local ---- */

#define README_WIDTH 78 /* columns of README.txt */
#define NAME_WIDTH 16   /* the column name's field */

typedef struct {
    const char *name;
    bool required;
    const char *text;
} col_doc;

typedef struct {
    const char *file;
    const char *about;
    const col_doc *cols; /* ended by a NULL name */
} file_doc;

static const col_doc schools_cols[] = {
    {"id", true,
     "a short code for the school (SCH1), as the other files name it; 'trust' is "
     "reserved for the trust's central office"},
    {"name", true, "the school's name"},
    {"joining", false, "yes for a school joining the trust (the onboard job), else no"},
    {NULL, false, NULL},
};

static const col_doc travel_cols[] = {
    {"from", true, "a school id (or trust)"},
    {"to", true, "another school id (or trust)"},
    {"minutes", true,
     "travel time one way, 0 to 600, the same both ways; pairs left out take "
     "travel_default_minutes from scenario.json"},
    {NULL, false, NULL},
};

static const col_doc staff_cols[] = {
    {"id", true, "a unique id for the person (T001), as the other files name them"},
    {"name", true, "the person's name"},
    {"school", true, "the id of their school in schools.csv"},
    {"role", true,
     "teacher, ect, trainee, support, middle_leader, senior_leader or headteacher "
     "(other words are allowed; ect marks an early-career teacher)"},
    {"subjects", false, "subjects they teach, ';'-separated (primary counts as one subject)"},
    {"need", false,
     "how much coaching they need: none (the default), light, standard or "
     "intensive"},
    {"focus", false, "areas to develop, ';'-separated, e.g. behaviour;marking_feedback"},
    {NULL, false, NULL},
};

static const col_doc coaches_cols[] = {
    {"id", true, "a unique id for the coach (LP01)"},
    {"name", true, "the coach's name"},
    {"role", true, "lp, dol, ot, mentor or senior_leader"},
    {"school", true, "their base: a school id, or trust"},
    {"hours", true, "hours a week for coaching, travel included (0 to 80)"},
    {"subjects", false, "subjects they can coach, ';'-separated; empty: any subject"},
    {"expertise", false, "areas they are strong in, ';'-separated, matched with staff focus"},
    {"max_coachees", false, "the most people they coach; 0 or empty: no limit"},
    {"max_schools", false, "the most schools they work in; 0 or empty: no limit"},
    {"provides", false,
     "coaching, mentoring and/or senior, ';'-separated; empty: mentors "
     "mentor, senior leaders give senior support, others coach"},
    {NULL, false, NULL},
};

static const col_doc previous_cols[] = {
    {"coach", true, "the id of last term's coach"},
    {"teacher", true, "the staff id they coached; the plan keeps such pairs where it can"},
    {NULL, false, NULL},
};

static const col_doc deploy_pins_cols[] = {
    {"coach", true, "a coach id"},
    {"teacher", true, "a staff id"},
    {"rule", true, "must (this pair must be in the plan) or never (never pair them)"},
    {NULL, false, NULL},
};

static const col_doc workshops_cols[] = {
    {"id", true, "a short code for the workshop (W1)"},
    {"title", true, "its title, as the choice form shows it"},
    {"capacity", true, "places in each run of it (a positive whole number)"},
    {"min_size", false, "a run with fewer people is cancelled; empty: runs at any size"},
    {"slots", false,
     "the sessions a run starts in, ';'-separated (1;2); empty: every session "
     "where it fits; none: not running this time"},
    {"facilitators", false,
     "staff ids of the people delivering it, ';'-separated; they attend "
     "nothing else while it runs"},
    {"audience", false, "roles allowed, ';'-separated; empty: everyone"},
    {"mandatory_for", false, "roles that must attend it once during the day"},
    {"length", false, "sessions a run lasts (default 1); the same people stay throughout"},
    {NULL, false, NULL},
};

static const col_doc preferences_cols[] = {
    {"Timestamp", false,
     "when the form was sent (ignored: a later row of the same person "
     "replaces an earlier one)"},
    {"Email", false, "ignored"},
    {"Staff ID", true, "the person's staff id"},
    {"1st choice", false, "the workshop they want most: its title or id"},
    {"2nd choice", false,
     "their next choice; add '4th choice', '5th choice' ... columns for "
     "more"},
    {"3rd choice", false, "their next choice"},
    {NULL, false, NULL},
};

static const col_doc inset_pins_cols[] = {
    {"staff", true, "a staff id"},
    {"workshop", true, "a workshop id"},
    {"slot", false, "the session it applies to; empty: any session"},
    {"rule", true, "must (the person attends it) or never (they do not)"},
    {NULL, false, NULL},
};

static const col_doc activities_cols[] = {
    {"id", true, "a short code for the activity"},
    {"name", true, "what it is, as the schedule shows it"},
    {"week", true, "the week it should happen in (1 to 4)"},
    {"duration", true, "days it takes, in halves: 0.5, 1, 1.5 ..."},
    {"earliest_week", false, "the first week it may happen; default: week"},
    {"latest_week", false, "the last week it may happen; default: week"},
    {"per", false,
     "school (the default: once per joining school), or staff roles (staff: "
     "everyone): once per such person"},
    {"needs", false,
     "the trust's people it needs, role:count items ';'-separated, "
     "alternatives with '|': lp|dol|ot:1;senco:1"},
    {"audience", false, "staff roles taking part; staff: everyone (all-staff training)"},
    {"after", false, "ids of activities that must come first, ';'-separated"},
    {"repeat", false, "weekly: once in every week of its window"},
    {"cover", false, "yes: the staff taking part are out of class and need cover"},
    {"coach", false, "yes: the person's deployed coach fills the first need"},
    {NULL, false, NULL},
};

static const col_doc resources_cols[] = {
    {"id", true, "a unique id for the person (LP01)"},
    {"name", true, "their name"},
    {"role", true,
     "what they do, as needs in activities.csv names it: lp, dol, ot, senco, "
     "exec_head ..."},
    {"days", false, "working days a week (default 5)"},
    {"unavailable", false, "dates they are away, YYYY-MM-DD, ';'-separated"},
    {"school", false, "their base: a school id, or trust"},
    {NULL, false, NULL},
};

static const file_doc deploy_files[] = {
    {"schools.csv", "the schools of the trust", schools_cols},
    {"travel.csv", "travel times between schools (optional)", travel_cols},
    {"staff.csv", "the teachers and other staff", staff_cols},
    {"coaches.csv", "the people who coach", coaches_cols},
    {"previous.csv", "last term's pairs (optional)", previous_cols},
    {"pins.csv", "pairs you decide yourself (optional)", deploy_pins_cols},
    {NULL, NULL, NULL},
};

static const file_doc inset_files[] = {
    {"schools.csv", "the schools taking part", schools_cols},
    {"staff.csv", "everyone who attends or delivers", staff_cols},
    {"workshops.csv", "the programme of the day", workshops_cols},
    {"preferences.csv",
     "ranked choices, as an online form exports them (optional; or the long "
     "form: columns staff, rank, workshop)",
     preferences_cols},
    {"pins.csv", "places you decide yourself (optional)", inset_pins_cols},
    {NULL, NULL, NULL},
};

static const file_doc onboard_files[] = {
    {"schools.csv", "the trust's schools; joining=yes marks the new ones", schools_cols},
    {"staff.csv", "the joining schools' staff", staff_cols},
    {"travel.csv", "travel times between schools (optional)", travel_cols},
    {"activities.csv", "the onboarding programme, ready to edit", activities_cols},
    {"resources.csv", "the trust's shared people", resources_cols},
    {NULL, NULL, NULL},
};

static const char *const settings_text[] = {
    "deploy: hours and weights per need level, mentoring and senior support, the weights of "
    "subject fit, focus, continuity and travel, and limits such as max_changes (-1: any).",
    "inset: slots (sessions in the day), rank_power (how much a higher choice is worth), "
    "outside_value, fairness, strict; date (YYYY-MM-DD) and times ([\"09:00-10:00\", ...]) "
    "place the sessions in calendars (cpdplan inset DIR --ics).",
    "onboard: start (a date), days, closures and training_days (dates), twilight (weekdays), "
    "cover_limit, short_travel_minutes and the weights of unplaced, late and off-target tasks.",
};

/* text from column `at`, wrapped at README_WIDTH, later lines indented by indent. */
static void wrap(FILE *f, const char *text, int at, int indent)
{
    const char *s = text;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t word = strcspn(s, " ");
        if (at > indent && at + 1 + (int)word > README_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            at = indent;
        } else if (at > indent) {
            fputc(' ', f);
            at++;
        }
        fwrite(s, 1, word, f);
        at += (int)word;
        s += word;
    }
    fputc('\n', f);
}

static void write_file_doc(FILE *f, const file_doc *fd)
{
    fprintf(f, "%s\n", fd->file);
    fprintf(f, "  ");
    wrap(f, fd->about, 2, 2);
    for (const col_doc *c = fd->cols; c->name; c++) {
        int n = fprintf(f, "  %s%s", c->name, c->required ? " *" : "");
        if (n >= NAME_WIDTH + 2) /* a long name: its text on the next line */
            fprintf(f, "\n%*s", NAME_WIDTH + 2, "");
        else
            fprintf(f, "%*s", NAME_WIDTH + 2 - n, "");
        wrap(f, c->text, NAME_WIDTH + 2, NAME_WIDTH + 2);
    }
    fputc('\n', f);
}

/* ---- interface ---- */

bool cpd_templates_readme(FILE *f, const char *job)
{
    const file_doc *files = strcmp(job, "deploy") == 0    ? deploy_files
                            : strcmp(job, "inset") == 0   ? inset_files
                            : strcmp(job, "onboard") == 0 ? onboard_files
                                                          : NULL;
    if (!files)
        return false;
    int settings = files == deploy_files ? 0 : files == inset_files ? 1 : 2;
    char intro[512];
    snprintf(intro, sizeof intro,
             "Fill in these files, replacing the example rows with your own and keeping the "
             "header row (columns may come in any order; a column marked * must be there and "
             "filled in). Then run 'cpdplan check DIR', which lists every problem with its "
             "file, line and column, and when it says ok, 'cpdplan %s DIR'.",
             job);
    fprintf(f, "cpdplan %s: the template files\n\n", job);
    wrap(f, intro, 0, 0);
    fputc('\n', f);
    wrap(f,
         "The files are CSV: UTF-8 text, comma-separated, one header row, then one row a "
         "line. A spreadsheet opens them directly; save them back as 'CSV UTF-8 (comma "
         "delimited)'. Lists inside a cell are separated by ';'. Ids are case-sensitive.",
         0, 0);
    fputc('\n', f);
    for (const file_doc *fd = files; fd->file; fd++)
        write_file_doc(f, fd);
    fprintf(f, "scenario.json\n  ");
    wrap(f,
         "the scenario's name and settings, every one with its default: change a value to "
         "change the plan.",
         2, 2);
    fprintf(f, "  ");
    wrap(f, settings_text[settings], 2, 2);
    fprintf(f, "  ");
    wrap(f,
         "solver: time_limit (seconds; 0: no limit) and gap (stop once proven that close "
         "to the best).",
         2, 2);
    fprintf(f, "\n");
    wrap(f, "'man cpdplan' and README.md explain every file and setting in full.", 0, 0);
    return !ferror(f);
}
