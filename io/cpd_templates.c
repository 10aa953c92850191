/* cpd_templates.c — deploy's template input files: headers, one example row, default settings. */
#include "cpd_templates.h"

#include "cpd_csv.h"
#include "cpd_json.h"
#include "cpd_out.h"
#include "cpd_scenario.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- local ---- */

enum { MAX_COLS = 12 };

/* A template CSV: the header with every column the loader reads (optional ones included, so
 * the user sees them), then example rows that together make a scenario `check` accepts. */
typedef struct {
    const char *file;
    const char *header[MAX_COLS];
    const char *rows[2][MAX_COLS]; /* NULL-started row: none */
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

static bool write_csv(FILE *f, const csv_template *t)
{
    cpd_csvw *w = cpd_csvw_open(f);
    cpd_csvw_header(w, t->header);
    for (int r = 0; r < 2 && t->rows[r][0]; r++) {
        for (int c = 0; t->rows[r][c]; c++)
            cpd_csvw_str(w, t->rows[r][c]);
        cpd_csvw_end_row(w);
    }
    return cpd_csvw_close(&w);
}

/* scenario.json: the defaults, written by the same table the loader reads. */
static bool write_json(FILE *f)
{
    cpd_scenario *s = cpd_scenario_new();
    s->name = cpd_strdup("Example trust — autumn term");
    cJSON *j = cpd_json_scenario_object(s);
    bool ok = cpd_json_write(f, j);
    cJSON_Delete(j);
    cpd_scenario_free(&s);
    return ok;
}

/* Reports every template file already in dir; true when there is one. */
static bool any_exists(const char *dir, cpd_diags *d)
{
    bool any = false;
    for (int i = 0; i <= NDEPLOY_CSV; i++) {
        const char *name = i < NDEPLOY_CSV ? deploy_csv[i].file : "scenario.json";
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

/* ---- interface ---- */

cpd_code cpd_write_deploy_templates(const char *dir, cpd_diags *d)
{
    if (any_exists(dir, d))
        return CPD_EINPUT;
    cpd_outset *o = cpd_outset_new(dir, d);
    if (!o)
        return CPD_EINTERNAL;
    for (int i = 0; i < NDEPLOY_CSV; i++) {
        FILE *f = cpd_outset_open(o, deploy_csv[i].file, d);
        if (!f || !write_csv(f, &deploy_csv[i])) {
            if (f)
                cpd_error(d, deploy_csv[i].file, 0, 0, "could not be written");
            cpd_outset_abort(&o);
            return CPD_EINTERNAL;
        }
    }
    FILE *f = cpd_outset_open(o, "scenario.json", d);
    if (!f || !write_json(f)) {
        if (f)
            cpd_error(d, "scenario.json", 0, 0, "could not be written");
        cpd_outset_abort(&o);
        return CPD_EINTERNAL;
    }
    return cpd_outset_commit(&o, d) ? CPD_OK : CPD_EINTERNAL;
}
