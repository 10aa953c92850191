/* cpd_deploy_io.c — a deploy plan's figures (summary.json, the terminal table) and a written
 * plan read back for `verify`. The files themselves are written in deploy_write.c. */
#include "cpd_deploy_io.h"

#include "cpd_csv.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_strmap.h"
#include "cpd_term.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- local: figures ---- */

typedef struct {
    int demands, met;
    int need_rows[CPD_NEED_COUNT], need_met[CPD_NEED_COUNT]; /* coaching rows by level */
    int *school_rows, *school_met;                            /* every demand, by school */
    int ects, ect_mentored, ect_senior;
    int coaches_used;
    double hours_available, hours_used;
    int kept;
} figures;

static figures count(const cpd_scenario *s, const cpd_deploy_plan *p)
{
    figures f = {.school_rows = cpd_xcalloc((size_t)s->nschools, sizeof(int)),
                 .school_met = cpd_xcalloc((size_t)s->nschools, sizeof(int))};
    for (int i = 0; i < s->nstaff; i++)
        f.ects += s->staff[i].is_ect;
    for (int i = 0; p && i < p->nrows; i++) {
        const cpd_deploy_row *r = &p->rows[i];
        bool met = r->coach >= 0;
        int school = s->staff[r->teacher].school;
        f.demands++;
        f.met += met;
        f.school_rows[school]++;
        f.school_met[school] += met;
        if (r->service == CPD_SERVICE_COACHING) {
            f.need_rows[r->need]++;
            f.need_met[r->need] += met;
        }
        f.ect_mentored += met && r->service == CPD_SERVICE_MENTORING;
        f.ect_senior += met && r->service == CPD_SERVICE_SENIOR;
        f.kept += met && r->kept_previous;
    }
    for (int i = 0; p && i < p->nloads; i++) {
        const cpd_coach_load *l = &p->loads[i];
        f.coaches_used += l->coachees > 0;
        f.hours_available += l->hours_available;
        f.hours_used += l->hours_coaching + l->hours_travel;
    }
    return f;
}

static void figures_free(figures *f)
{
    free(f->school_rows);
    free(f->school_met);
}

/* A plan that GLPK did not improve in time (no plan yet, or a solver failure after the
 * heuristic) is still a plan: feasible. */
static bool any_plan(const cpd_deploy_plan *p)
{
    return p && (p->nrows > 0 || p->result.from_heuristic);
}

static const char *status_name(const cpd_deploy_plan *p)
{
    return cpd_json_status(p ? &p->result : NULL, any_plan(p));
}

static bool has_plan(const cpd_deploy_plan *p) { return strcmp(status_name(p), "no_plan") != 0; }

/* The proven gap, or NAN when there is no bound to measure it against. */
static double known_gap(const cpd_deploy_plan *p)
{
    return cpd_json_gap(p ? &p->result : NULL, any_plan(p));
}

/* ---- local: summary.json ---- */

static void add_int_pair(cJSON *o, const char *a, int x, const char *b, int y)
{
    cJSON_AddNumberToObject(o, a, x);
    cJSON_AddNumberToObject(o, b, y);
}

static void add_solve(cJSON *o, const cpd_deploy_plan *p)
{
    cpd_json_add_solve(o, p ? &p->result : NULL, any_plan(p), p ? p->heuristic_objective : NAN);
    cpd_json_add_num(o, "lagrangian_bound", p ? p->lagrangian_bound : NAN, 4);
}

static void add_coverage(cJSON *o, const cpd_scenario *s, const figures *f)
{
    cJSON *dm = cJSON_AddObjectToObject(o, "demands");
    cJSON_AddNumberToObject(dm, "total", f->demands);
    add_int_pair(dm, "met", f->met, "unmet", f->demands - f->met);
    cJSON *by_need = cJSON_AddObjectToObject(o, "coverage_by_need");
    for (int l = CPD_NEED_LIGHT; l < CPD_NEED_COUNT; l++)
        add_int_pair(cJSON_AddObjectToObject(by_need, cpd_need_name((cpd_need)l)), "teachers",
                     f->need_rows[l], "met", f->need_met[l]);
    cJSON *by_school = cJSON_AddArrayToObject(o, "coverage_by_school");
    for (int i = 0; i < s->nschools; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "school", s->schools[i].id);
        cJSON_AddStringToObject(e, "name", s->schools[i].name);
        add_int_pair(e, "needs", f->school_rows[i], "met", f->school_met[i]);
        cJSON_AddItemToArray(by_school, e);
    }
    cJSON *ects = cJSON_AddObjectToObject(o, "ects");
    cJSON_AddNumberToObject(ects, "count", f->ects);
    add_int_pair(ects, "mentored", f->ect_mentored, "senior", f->ect_senior);
}

static cJSON *summary_object(const cpd_scenario *s, const cpd_deploy_plan *p)
{
    figures f = count(s, p);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "job", "deploy");
    if (s->name)
        cJSON_AddStringToObject(o, "scenario", s->name);
    else
        cJSON_AddNullToObject(o, "scenario");
    cJSON_AddStringToObject(o, "status", status_name(p));
    add_solve(o, p);
    add_coverage(o, s, &f);
    cJSON *c = cJSON_AddObjectToObject(o, "coaches");
    add_int_pair(c, "count", s->ncoaches, "used", f.coaches_used);
    cpd_json_add_num(c, "hours_available", f.hours_available, 4);
    cpd_json_add_num(c, "hours_used", f.hours_used, 4);
    cJSON *ch = cJSON_AddObjectToObject(o, "changes");
    cJSON_AddNumberToObject(ch, "previous_pairs", s->nprevious);
    add_int_pair(ch, "kept", f.kept, "changed", p ? p->nchanges : 0);
    cJSON *m = cJSON_AddObjectToObject(o, "model");
    add_int_pair(m, "variables", p ? p->nvars : 0, "constraints", p ? p->nconstraints : 0);
    figures_free(&f);
    return o;
}

/* ---- local: the terminal table ---- */

static double pct(int part, int whole) { return whole ? 100.0 * part / whole : 0; }

static void print_status(FILE *out, const cpd_scenario *s, const cpd_deploy_plan *p, bool colour)
{
    cpd_term_status st = {.job = "deploy", .name = s->name, .status = status_name(p),
                          .has_plan = has_plan(p), .has_bound = p && p->result.has_bound,
                          .objective = p ? p->result.objective : 0,
                          .bound = p ? p->result.bound : 0, .gap = known_gap(p),
                          .seconds = p ? p->result.seconds : 0};
    cpd_term_status_line(out, colour, &st);
}

static void print_coverage(FILE *out, const cpd_scenario *s, const figures *f, bool colour)
{
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-12s %9s %6s %8s", "need level", "teachers",
                    "met", "covered");
    fputc('\n', out);
    for (int l = CPD_NEED_INTENSIVE; l >= CPD_NEED_LIGHT; l--)
        fprintf(out, "%-12s %9d %6d %7.1f%%\n", cpd_need_name((cpd_need)l), f->need_rows[l],
                f->need_met[l], pct(f->need_met[l], f->need_rows[l]));
    fprintf(out, "ECTs: %d, with a mentor %d, with a senior leader %d\n", f->ects,
            f->ect_mentored, f->ect_senior);
    int w = 6;
    for (int i = 0; i < s->nschools; i++)
        if ((int)strlen(s->schools[i].id) > w)
            w = (int)strlen(s->schools[i].id);
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-*s %-24s %8s %6s %8s", w, "school", "name",
                    "demands", "met", "covered");
    fputc('\n', out);
    for (int i = 0; i < s->nschools; i++) {
        fprintf(out, "%-*s ", w, s->schools[i].id);
        cpd_put_name(out, s->schools[i].name, 24);
        fputc(' ', out);
        fprintf(out, "%8d %6d %7.1f%%\n", f->school_rows[i], f->school_met[i],
                pct(f->school_met[i], f->school_rows[i]));
    }
}

static void print_loads(FILE *out, const cpd_scenario *s, const cpd_deploy_plan *p, bool colour)
{
    int w = 5;
    for (int i = 0; i < s->ncoaches; i++)
        if ((int)strlen(s->coaches[i].id) > w)
            w = (int)strlen(s->coaches[i].id);
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-*s %-24s %-13s %7s %8s %9s %8s", w, "coach",
                    "name", "role", "used h", "avail h", "coachees", "schools");
    fputc('\n', out);
    for (int i = 0; p && i < p->nloads && i < s->ncoaches; i++) {
        const cpd_coach_load *l = &p->loads[i];
        const cpd_coach *k = &s->coaches[i];
        fprintf(out, "%-*s ", w, k->id);
        cpd_put_name(out, k->name, 24);
        fputc(' ', out);
        fprintf(out, "%-13s %7.1f %8.1f %9d %8d\n", cpd_coach_role_name(k->role),
                l->hours_coaching + l->hours_travel, l->hours_available, l->coachees, l->schools);
    }
}

/* ---- local: reading a plan back ---- */

typedef struct {
    const cpd_scenario *s;
    cpd_diags *d;
    cpd_strmap *staff_ids, *coach_ids;
    int cap;
} reader;

/* An id as written; a spreadsheet-neutralised one ("'-x") is tried without its quote too. */
static int find_id(const cpd_strmap *m, const char *id)
{
    int i = cpd_strmap_get(m, id);
    if (i < 0 && cpd_io_plan_text(id) != id)
        i = cpd_strmap_get(m, cpd_io_plan_text(id));
    return i;
}

static int ref(reader *R, const cpd_csv *t, size_t r, int c, bool coach)
{
    const char *id = cpd_csv_cell(t, r, c);
    int i = find_id(coach ? R->coach_ids : R->staff_ids, id);
    if (i < 0)
        cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c + 1, "unknown %s '%s' (not in %s)",
                  coach ? "coach" : "teacher", id, coach ? "coaches.csv" : "staff.csv");
    return i;
}

static bool service_cell(reader *R, const cpd_csv *t, size_t r, int c, cpd_service *out)
{
    *out = CPD_SERVICE_COACHING;
    const char *v = c >= 0 ? cpd_csv_cell(t, r, c) : "";
    if (!*v || cpd_service_parse(v, out))
        return true;
    cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c + 1,
              "service must be coaching, mentoring or senior (got '%s')", v);
    return false;
}

static cpd_deploy_row *new_row(reader *R, cpd_deploy_plan *p)
{
    if (p->nrows == R->cap) {
        R->cap = R->cap ? 2 * R->cap : 64;
        p->rows = cpd_xrealloc(p->rows, (size_t)R->cap * sizeof *p->rows);
    }
    cpd_deploy_row *row = &p->rows[p->nrows++];
    *row = (cpd_deploy_row){.coach = -1};
    return row;
}

static void read_met(reader *R, const char *outdir, cpd_deploy_plan *p)
{
    static const cpd_csv_colspec spec[] = {
        {"teacher", true},         {"teacher_name", false}, {"school", false},
        {"service", false},        {"need", false},         {"coach", true},
        {"coach_name", false},     {"coach_role", false},   {"coach_base", false},
        {"hours", true},           {"travel_minutes", true}, {"kept_previous", false},
        {"pinned", false}};
    int c[13];
    cpd_csv *t = cpd_io_open_table(outdir, "deployment.csv", false, spec, 13, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int teacher = ref(R, t, r, c[0], false), coach = ref(R, t, r, c[5], true);
        cpd_service sv;
        double hours = 0, travel = 0;
        bool ok = service_cell(R, t, r, c[3], &sv);
        ok &= cpd_csv_double(t, r, c[9], "hours", 0, 1e6, &hours, R->d);
        ok &= cpd_csv_double(t, r, c[10], "travel_minutes", 0, 1e6, &travel, R->d);
        bool kept = false, pinned = false;
        if (c[11] >= 0)
            ok &= cpd_csv_bool(t, r, c[11], "kept_previous", false, &kept, R->d);
        if (c[12] >= 0)
            ok &= cpd_csv_bool(t, r, c[12], "pinned", false, &pinned, R->d);
        if (!ok || teacher < 0 || coach < 0)
            continue;
        *new_row(R, p) = (cpd_deploy_row){teacher, sv,   R->s->staff[teacher].need, coach, hours,
                                          travel,  kept, pinned,                    NULL};
    }
    cpd_csv_free(&t);
}

static void read_unmet(reader *R, const char *outdir, cpd_deploy_plan *p)
{
    static const cpd_csv_colspec spec[] = {{"teacher", true}, {"name", false},  {"school", false},
                                           {"service", false}, {"need", false}, {"hours", false},
                                           {"reason", false}};
    int c[7];
    cpd_csv *t = cpd_io_open_table(outdir, "unmet.csv", false, spec, 7, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int teacher = ref(R, t, r, c[0], false);
        cpd_service sv;
        double hours = 0;
        bool ok = service_cell(R, t, r, c[3], &sv);
        if (c[5] >= 0 && *cpd_csv_cell(t, r, c[5]))
            ok &= cpd_csv_double(t, r, c[5], "hours", 0, 1e6, &hours, R->d);
        if (!ok || teacher < 0)
            continue;
        cpd_deploy_row *row = new_row(R, p);
        *row = (cpd_deploy_row){.teacher = teacher, .service = sv, .coach = -1, .hours = hours,
                                .need = R->s->staff[teacher].need};
        row->reason = cpd_strdup(cpd_io_plan_cell(t, r, c[6]));
    }
    cpd_csv_free(&t);
}

/* A number cell of coach_load.csv; an absent column reads as 0. */
static double load_num(reader *R, const cpd_csv *t, size_t r, int c, const char *what, bool *ok)
{
    double v = 0;
    if (c >= 0)
        *ok &= cpd_csv_double(t, r, c, what, 0, 1e9, &v, R->d);
    return v;
}

static void read_loads(reader *R, const char *outdir, cpd_deploy_plan *p)
{
    static const cpd_csv_colspec spec[] = {
        {"coach", true},           {"name", false},           {"role", false},
        {"base", false},           {"hours_used", true},      {"hours_available", true},
        {"hours_coaching", false}, {"hours_travel", false},   {"coachees", false},
        {"schools", false}};
    int c[10];
    p->nloads = R->s->ncoaches;
    p->loads = cpd_xcalloc((size_t)p->nloads, sizeof *p->loads);
    for (int i = 0; i < p->nloads; i++)
        p->loads[i].hours_available = R->s->coaches[i].hours;
    int *line = cpd_xcalloc((size_t)p->nloads, sizeof(int));
    cpd_csv *t = cpd_io_open_table(outdir, "coach_load.csv", false, spec, 10, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int k = ref(R, t, r, c[0], true);
        if (k >= 0 && line[k]) {
            cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c[0] + 1,
                      "coach '%s' given twice (first on line %d)", R->s->coaches[k].id, line[k]);
            continue;
        }
        bool ok = true;
        cpd_coach_load l = {0};
        double used = load_num(R, t, r, c[4], "hours_used", &ok);
        l.hours_available = load_num(R, t, r, c[5], "hours_available", &ok);
        l.hours_travel = load_num(R, t, r, c[7], "hours_travel", &ok);
        l.hours_coaching = c[6] >= 0 ? load_num(R, t, r, c[6], "hours_coaching", &ok)
                                     : used - l.hours_travel;
        l.coachees = (int)load_num(R, t, r, c[8], "coachees", &ok);
        l.schools = (int)load_num(R, t, r, c[9], "schools", &ok);
        if (ok && k >= 0) {
            p->loads[k] = l;
            line[k] = cpd_csv_line(t, r);
        }
    }
    free(line);
    cpd_csv_free(&t);
}

/* ---- interface ---- */

char *cpd_deploy_summary_json(const cpd_scenario *s, const cpd_deploy_plan *p)
{
    return cpd_json_take_text(summary_object(s, p));
}

void cpd_print_deploy_summary(FILE *out, const cpd_scenario *s, const cpd_deploy_plan *p,
                              bool colour)
{
    figures f = count(s, p);
    print_status(out, s, p, colour);
    print_coverage(out, s, &f, colour);
    print_loads(out, s, p, colour);
    int changed = p ? p->nchanges : 0;
    fprintf(out, "\nunmet: %d of %d demands", f.demands - f.met, f.demands);
    fprintf(out, "   changes from last term: %d of %d pairs (kept %d)\n", changed, s->nprevious,
            f.kept);
    figures_free(&f);
}

cpd_deploy_plan *cpd_read_deploy_plan(const char *outdir, const cpd_scenario *s, cpd_diags *d)
{
    size_t errors = cpd_diags_errors(d);
    reader R = {s, d, cpd_strmap_new(), cpd_strmap_new(), 0};
    for (int i = 0; i < s->nstaff; i++)
        cpd_strmap_put(R.staff_ids, s->staff[i].id, i);
    for (int i = 0; i < s->ncoaches; i++)
        cpd_strmap_put(R.coach_ids, s->coaches[i].id, i);
    cpd_deploy_plan *p = cpd_xcalloc(1, sizeof *p);
    p->result.status = CPD_SOLVE_FEASIBLE; /* the files do not say; summary.json does */
    p->heuristic_objective = NAN;
    p->lagrangian_bound = NAN;
    read_met(&R, outdir, p);
    read_unmet(&R, outdir, p);
    read_loads(&R, outdir, p);
    cpd_strmap_free(&R.staff_ids);
    cpd_strmap_free(&R.coach_ids);
    if (cpd_diags_errors(d) > errors)
        cpd_deploy_plan_free(&p);
    return p;
}
