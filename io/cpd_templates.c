/* cpd_templates.c — the jobs' template input files: headers, example rows, default settings,
 * and for onboard the trust's model programme. */
#include "cpd_templates.h"

#include "cpd_csv.h"
#include "cpd_generate.h"
#include "cpd_onboard_io.h"
#include "cpd_json.h"
#include "cpd_out.h"
#include "cpd_scenario.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- local ---- */

enum { MAX_COLS = 12, MAX_ROWS = 4, MAX_TEMPLATES = 8 };

/* A template CSV: the header with every column the loader reads (optional ones included, so
 * the user sees them), then example rows that together make a scenario `check` accepts. */
typedef struct {
    const char *file;
    const char *header[MAX_COLS];
    const char *rows[MAX_ROWS][MAX_COLS]; /* NULL-started row: none */
} csv_template;

static const csv_template deploy_csv[] = {
    {"schools.csv",
     {"id", "name", "joining", NULL},
     {{"SCH1", "Example Primary School", "no", NULL},
      {"SCH2", "Example Academy", "yes", NULL}}},
    {"travel.csv", {"from", "to", "minutes", NULL}, {{"SCH1", "SCH2", "20", NULL}}},
    {"staff.csv",
     {"id", "name", "school", "role", "subjects", "need", "focus", NULL},
     {{"T001", "Alex Example", "SCH2", "teacher", "maths", "standard",
       "questioning;adaptive_teaching", NULL}}},
    {"coaches.csv",
     {"id", "name", "role", "school", "hours", "subjects", "expertise", "max_coachees",
      "max_schools", "provides", NULL},
     {{"LP01", "Sam Example", "lp", "trust", "8", "maths", "questioning;behaviour", "6", "3",
       "coaching", NULL}}},
    {"previous.csv", {"coach", "teacher", NULL}, {{"LP01", "T001", NULL}}},
    {"pins.csv", {"coach", "teacher", "rule", NULL}, {{"LP01", "T001", "must", NULL}}},
};
enum { NDEPLOY_CSV = sizeof deploy_csv / sizeof deploy_csv[0] };

/* A small day `check` accepts: a facilitated workshop (a lead and a co-deliverer), a two-slot
 * one with a minimum size, a mandatory one for ECTs, choices by title as a form exports them. */
static const csv_template inset_csv[] = {
    {"schools.csv", {"id", "name", "joining", NULL}, {{"SCH1", "Example Academy", "no", NULL}}},
    {"staff.csv",
     {"id", "name", "school", "role", NULL},
     {{"T001", "Alex Example", "SCH1", "teacher", NULL},
      {"T002", "Sam Example", "SCH1", "ect", NULL},
      {"T003", "Jo Example", "SCH1", "senior_leader", NULL},
      {"T004", "Kim Example", "SCH1", "teacher", NULL}}},
    {"workshops.csv",
     {"id", "title", "capacity", "min_size", "slots", "facilitators", "audience", "mandatory_for",
      "length", NULL},
     {{"W1", "Retrieval practice", "30", "", "1;2", "T003;T004", "", "", "1", NULL},
      {"W2", "Coaching conversations", "20", "2", "1", "", "teacher;ect", "", "2", NULL},
      {"W3", "PREVENT duty", "20", "", "3", "", "", "ect", "1", NULL},
      {"W4", "Wellbeing and workload", "40", "", "", "", "", "", "1", NULL}}},
    {"preferences.csv",
     {"Timestamp", "Email", "Staff ID", "1st choice", "2nd choice", "3rd choice", NULL},
     {{"2027/01/04 08:00:00", "alex@example.org", "T001", "Coaching conversations",
       "Retrieval practice", "Wellbeing and workload", NULL}}},
    {"pins.csv", {"staff", "workshop", "slot", "rule", NULL}, {{"T001", "W4", "3", "must", NULL}}},
};
enum { NINSET_CSV = sizeof inset_csv / sizeof inset_csv[0] };

static bool write_csv(FILE *f, const csv_template *t)
{
    cpd_csvw *w = cpd_csvw_open(f);
    cpd_csvw_header(w, t->header);
    for (int r = 0; r < MAX_ROWS && t->rows[r][0]; r++) {
        for (int c = 0; t->rows[r][c]; c++)
            cpd_csvw_str(w, t->rows[r][c]);
        cpd_csvw_end_row(w);
    }
    return cpd_csvw_close(&w);
}

/* scenario.json: the defaults, written by the same table the loader reads; inset adds its own
 * settings. */
static bool write_json(FILE *f, bool inset)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = cpd_strdup(inset ? "Example school — INSET day" : "Example trust — autumn term");
    cJSON *j = cpd_json_scenario_object(s);
    if (inset) {
        cJSON *in = cJSON_AddObjectToObject(j, "inset");
        cJSON_AddNumberToObject(in, "slots", 3);
        cJSON_AddNumberToObject(in, "rank_power", 2);
        cJSON_AddNumberToObject(in, "outside_value", 0);
        cJSON_AddBoolToObject(in, "fairness", true);
        cJSON_AddBoolToObject(in, "strict", false);
        /* the day and its sessions' times, for `inset --ics` (the default times) */
        cJSON_AddStringToObject(in, "date", "2027-01-04");
        const char *times[] = {"09:00-10:00", "10:15-11:15", "11:30-12:30"};
        cJSON_AddItemToObject(in, "times", cJSON_CreateStringArray(times, 3));
    }
    bool ok = cpd_json_write(f, j);
    cJSON_Delete(j);
    cpd_scenario_free(&s);
    return ok;
}

/* Reports every file of names[0..n) already in dir; true when there is one. */
static bool names_exist(const char *dir, const char *const *names, int n, cpd_diags *d)
{
    bool any = false;
    for (int i = 0; i < n; i++) {
        const char *name = names[i];
        size_t len = strlen(dir) + strlen(name) + 2;
        char *path = cpd_xmalloc(len);
        snprintf(path, len, "%s/%s", dir, name);
        struct stat st;
        if (stat(path, &st) == 0) {
            cpd_error(d, path, 0, 0, "already exists; init never overwrites a file");
            any = true;
        }
        free(path);
    }
    return any;
}

/* Reports every template file (and scenario.json) already in dir; true when there is one. */
static bool any_exists(const char *dir, const csv_template *t, int n, cpd_diags *d)
{
    const char *names[MAX_TEMPLATES + 2];
    for (int i = 0; i < n; i++)
        names[i] = t[i].file;
    names[n] = "scenario.json";
    names[n + 1] = "README.txt";
    return names_exist(dir, names, n + 2, d);
}

/* README.txt into the set o: what every column of JOB's templates means. */
static bool write_readme(cpd_outset *o, const char *job, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "README.txt", d);
    if (!f)
        return false;
    if (!cpd_templates_readme(f, job)) {
        cpd_error(d, "README.txt", 0, 0, "could not be written");
        return false;
    }
    return cpd_outset_flushed(o, f, "README.txt", d);
}

static cpd_code write_templates(const char *dir, const csv_template *t, int n, bool inset,
                                cpd_diags *d)
{
    if (any_exists(dir, t, n, d))
        return CPD_EINPUT;
    cpd_outset *o = cpd_outset_new(dir, d);
    if (!o)
        return CPD_EINTERNAL;
    for (int i = 0; i < n; i++) {
        FILE *f = cpd_outset_open(o, t[i].file, d);
        if (!f || !write_csv(f, &t[i])) {
            if (f)
                cpd_error(d, t[i].file, 0, 0, "could not be written");
            cpd_outset_abort(&o);
            return CPD_EINTERNAL;
        }
    }
    FILE *f = cpd_outset_open(o, "scenario.json", d);
    if (!f || !write_json(f, inset)) {
        if (f)
            cpd_error(d, "scenario.json", 0, 0, "could not be written");
        cpd_outset_abort(&o);
        return CPD_EINTERNAL;
    }
    if (!write_readme(o, inset ? "inset" : "deploy", d)) {
        cpd_outset_abort(&o);
        return CPD_EINTERNAL;
    }
    return cpd_outset_commit(&o, d) ? CPD_OK : CPD_EINTERNAL;
}

/* ---- interface ---- */

cpd_code cpd_write_deploy_templates(const char *dir, cpd_diags *d)
{
    return write_templates(dir, deploy_csv, NDEPLOY_CSV, false, d);
}

cpd_code cpd_write_inset_templates(const char *dir, cpd_diags *d)
{
    return write_templates(dir, inset_csv, NINSET_CSV, true, d);
}

/* A joining school and one of the trust's, a few of the new school's staff, the trust's shared
 * people and the model programme: a folder `check` accepts and `onboard` schedules. */
static cpd_onboard *onboard_example(void)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = cpd_strdup("Example trust — onboarding a joining school");
    cpd_scenario_add_school(s, "SCH1", "Example Primary School", false);
    cpd_scenario_add_school(s, "SCH2", "Example Academy", true);
    cpd_scenario_init_travel(s, s->params.default_travel_minutes);
    static const char *const people[][3] = {
        {"T001", "Alex Example", "headteacher"},  {"T002", "Sam Example", "senior_leader"},
        {"T003", "Jo Example", "middle_leader"},  {"T004", "Kim Example", "teacher"},
        {"T005", "Lee Example", "ect"},
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        cpd_staff st = {.id = (char *)people[i][0], .name = (char *)people[i][1], .school = 1,
                        .role = (char *)people[i][2]};
        cpd_scenario_add_staff(s, &st);
    }
    cpd_onboard *p = cpd_onboard_new(&s);
    static const char *const pool[][3] = {
        {"LP01", "Pat Example", "lp"},          {"DOL01", "Chris Example", "dol"},
        {"OT01", "Robin Example", "ot"},        {"SENCO1", "Morgan Example", "senco"},
        {"EXEC1", "Jordan Example", "exec_head"},
    };
    for (size_t i = 0; i < sizeof pool / sizeof pool[0]; i++) {
        cpd_resource r = {.id = (char *)pool[i][0], .name = (char *)pool[i][1],
                          .role = (char *)pool[i][2], .days = 5, .school = 0};
        cpd_onboard_add_resource(p, &r);
    }
    cpd_onboard_model_calendar(p);
    cpd_onboard_model_programme(p);
    return p;
}

cpd_code cpd_write_onboard_templates(const char *dir, cpd_diags *d)
{
    static const char *const names[] = {"schools.csv",    "staff.csv",     "travel.csv",
                                        "activities.csv", "resources.csv", "scenario.json",
                                        "README.txt"};
    if (names_exist(dir, names, sizeof names / sizeof names[0], d))
        return CPD_EINPUT;
    cpd_onboard *p = onboard_example();
    bool ok = cpd_save_onboard(dir, p, d);
    cpd_onboard_free(&p);
    /* The files cpd_save_onboard wrote are in place; README.txt follows as a set of its own. */
    cpd_outset *o = ok ? cpd_outset_new(dir, d) : NULL;
    ok = ok && o && cpd_outset_finish(&o, write_readme(o, "onboard", d), d);
    return ok ? CPD_OK : CPD_EINTERNAL;
}
