/* inset_write.c — an inset plan's files (allocation.csv, rosters.csv, unmet.csv, summary.json,
 * report.html, written as one set), its figures and terminal table, and a written plan read
 * back for `verify`. */
#include "cpd_csv.h"
#include "cpd_inset_io.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_out.h"
#include "cpd_report.h"
#include "cpd_strmap.h"
#include "cpd_term.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- local: reading the plan ---- */

static const cpd_inset_place *place_at(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    size_t k = (size_t)t * (size_t)p->params.nslots + (size_t)(s - 1);
    return pl && pl->places && k < (size_t)pl->nplaces ? &pl->places[k] : NULL;
}

static bool attends(const cpd_inset_place *q, int w)
{
    return q && q->workshop == w && !q->facilitating;
}

/* A place that starts a person's attendance of a workshop: the first slot they are in it (a
 * two-slot run is one place, not two). */
static bool starts_place(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    const cpd_inset_place *q = place_at(p, pl, t, s);
    return q && q->workshop >= 0 && !q->facilitating &&
           (s == 1 || !attends(place_at(p, pl, t, s - 1), q->workshop));
}

/* ---- local: figures ---- */

typedef struct {
    int staff, places, first, top3, outside, worst;
} tally;

typedef struct {
    tally all;
    tally *school; /* nschools */
    tally *role;   /* nroles, in role order */
    const char **roles;
    int nroles;
    int facilitating, cancelled, unmet_people;
} figures;

static int role_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int role_index(const figures *f, const char *role)
{
    for (int i = 0; i < f->nroles; i++)
        if (strcmp(f->roles[i], role) == 0)
            return i;
    return -1;
}

static void collect_roles(const cpd_scenario *s, figures *f)
{
    f->roles = cpd_xcalloc((size_t)s->nstaff + 1, sizeof *f->roles);
    for (int i = 0; i < s->nstaff; i++)
        if (role_index(f, s->staff[i].role) < 0)
            f->roles[f->nroles++] = s->staff[i].role;
    qsort(f->roles, (size_t)f->nroles, sizeof *f->roles, role_cmp);
}

static void add_place(tally *t, int rank)
{
    t->places++;
    t->first += rank == 1;
    t->top3 += rank >= 1 && rank <= 3;
    t->outside += rank == 0;
    t->worst = rank > t->worst ? rank : t->worst;
}

static figures count(const cpd_inset *p, const cpd_inset_plan *pl)
{
    const cpd_scenario *s = p->common;
    figures f = {.school = cpd_xcalloc((size_t)s->nschools + 1, sizeof(tally))};
    collect_roles(s, &f);
    f.role = cpd_xcalloc((size_t)f.nroles + 1, sizeof(tally));
    char *unmet = cpd_xcalloc((size_t)s->nstaff + 1, 1);
    for (int i = 0; pl && i < pl->nunmet; i++)
        if (pl->unmet[i].staff >= 0 && pl->unmet[i].staff < s->nstaff)
            unmet[pl->unmet[i].staff] = 1;
    for (int t = 0; t < s->nstaff; t++) {
        const cpd_staff *st = &s->staff[t];
        tally *ts = &f.school[st->school], *tr = &f.role[role_index(&f, st->role)];
        f.all.staff++, ts->staff++, tr->staff++;
        f.unmet_people += unmet[t];
        for (int sl = 1; pl && sl <= p->params.nslots; sl++) {
            const cpd_inset_place *q = place_at(p, pl, t, sl);
            f.facilitating += q && q->facilitating;
            if (!starts_place(p, pl, t, sl))
                continue;
            add_place(&f.all, q->rank);
            add_place(ts, q->rank);
            add_place(tr, q->rank);
        }
    }
    for (int i = 0; pl && i < pl->nruns; i++)
        f.cancelled += pl->runs[i].cancelled;
    free(unmet);
    return f;
}

static void figures_free(figures *f)
{
    free(f->school);
    free(f->role);
    free(f->roles);
}

static double share(int part, int whole) { return whole ? (double)part / whole : 0; }

static const char *status_name(const cpd_inset_plan *pl)
{
    return cpd_json_status(pl ? &pl->result : NULL, pl && pl->nplaces > 0);
}

static bool has_plan(const cpd_inset_plan *pl) { return strcmp(status_name(pl), "no_plan") != 0; }

static double known_gap(const cpd_inset_plan *pl)
{
    return cpd_json_gap(pl ? &pl->result : NULL, pl && pl->nplaces > 0);
}

/* ---- local: summary.json ---- */

static void add_tally(cJSON *o, const tally *t)
{
    cJSON_AddNumberToObject(o, "staff", t->staff);
    cJSON_AddNumberToObject(o, "places", t->places);
    cpd_json_add_num(o, "first_choice_share", share(t->first, t->places), 4);
    cpd_json_add_num(o, "top3_share", share(t->top3, t->places), 4);
    cJSON_AddNumberToObject(o, "worst_rank", t->worst);
    cJSON_AddNumberToObject(o, "outside_choices", t->outside);
}

static void add_groups(cJSON *o, const cpd_inset *p, const figures *f)
{
    cJSON *by_school = cJSON_AddArrayToObject(o, "by_school");
    for (int i = 0; i < p->common->nschools; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "school", p->common->schools[i].id);
        cJSON_AddStringToObject(e, "name", p->common->schools[i].name);
        add_tally(e, &f->school[i]);
        cJSON_AddItemToArray(by_school, e);
    }
    cJSON *by_role = cJSON_AddArrayToObject(o, "by_role");
    for (int i = 0; i < f->nroles; i++) {
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "role", f->roles[i]);
        add_tally(e, &f->role[i]);
        cJSON_AddItemToArray(by_role, e);
    }
}

static void add_workshops(cJSON *o, const cpd_inset *p, const cpd_inset_plan *pl)
{
    cJSON *arr = cJSON_AddArrayToObject(o, "workshops");
    for (int w = 0; w < p->nworkshops; w++) {
        const cpd_workshop *ws = &p->workshops[w];
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "id", ws->id);
        cJSON_AddStringToObject(e, "title", ws->title);
        cJSON_AddNumberToObject(e, "length", ws->length);
        cJSON *runs = cJSON_AddArrayToObject(e, "runs");
        for (int i = 0; pl && i < pl->nruns; i++) {
            const cpd_inset_run *r = &pl->runs[i];
            if (r->workshop != w)
                continue;
            cJSON *x = cJSON_CreateObject();
            cJSON_AddNumberToObject(x, "slot", r->start);
            cJSON_AddNumberToObject(x, "size", r->size);
            cJSON_AddNumberToObject(x, "capacity", ws->capacity);
            cJSON_AddStringToObject(x, "status", r->cancelled ? "cancelled" : "held");
            cJSON_AddItemToArray(runs, x);
        }
        cJSON_AddItemToArray(arr, e);
    }
}

static cJSON *summary_object(const cpd_inset *p, const cpd_inset_plan *pl)
{
    figures f = count(p, pl);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "job", "inset");
    if (p->common->name)
        cJSON_AddStringToObject(o, "scenario", p->common->name);
    else
        cJSON_AddNullToObject(o, "scenario");
    cJSON_AddStringToObject(o, "status", status_name(pl));
    cpd_json_add_solve(o, pl ? &pl->result : NULL, pl && pl->nplaces > 0,
                       pl ? pl->heuristic_objective : NAN);
    cJSON_AddNumberToObject(o, "slots", p->params.nslots);
    cJSON_AddNumberToObject(o, "staff", f.all.staff);
    cJSON_AddNumberToObject(o, "places", f.all.places);
    cpd_json_add_num(o, "first_choice_share", share(f.all.first, f.all.places), 4);
    cpd_json_add_num(o, "top3_share", share(f.all.top3, f.all.places), 4);
    cJSON_AddNumberToObject(o, "worst_rank", f.all.worst);
    cJSON_AddNumberToObject(o, "outside_choices", f.all.outside);
    cJSON_AddNumberToObject(o, "facilitating", f.facilitating);
    cJSON_AddNumberToObject(o, "unmet", pl ? pl->nunmet : 0);
    cJSON_AddNumberToObject(o, "unmet_people", f.unmet_people);
    add_groups(o, p, &f);
    add_workshops(o, p, pl);
    cJSON_AddNumberToObject(o, "cancellations", f.cancelled);
    cJSON *m = cJSON_AddObjectToObject(o, "model");
    cJSON_AddNumberToObject(m, "variables", pl ? pl->nvars : 0);
    cJSON_AddNumberToObject(m, "constraints", pl ? pl->nconstraints : 0);
    figures_free(&f);
    return o;
}

/* ---- local: the terminal table ---- */

static void print_status(FILE *out, const cpd_inset *p, const cpd_inset_plan *pl, bool colour)
{
    cpd_term_status st = {.job = "inset", .name = p->common->name, .status = status_name(pl),
                          .has_plan = has_plan(pl), .has_bound = pl && pl->result.has_bound,
                          .objective = pl ? pl->result.objective : 0,
                          .bound = pl ? pl->result.bound : 0, .gap = known_gap(pl),
                          .seconds = pl ? pl->result.seconds : 0};
    cpd_term_status_line(out, colour, &st);
}

static void print_tally(FILE *out, const tally *t)
{
    fprintf(out, "%6d %7d %6.1f%% %6.1f%% %6d %8d\n", t->staff, t->places,
            100 * share(t->first, t->places), 100 * share(t->top3, t->places), t->worst,
            t->outside);
}

static void print_groups(FILE *out, const cpd_inset *p, const figures *f, bool colour)
{
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-6s %-24s %6s %7s %7s %7s %6s %8s", "school",
                    "name", "staff", "places", "1st", "top 3", "worst", "outside");
    fputc('\n', out);
    for (int i = 0; i < p->common->nschools; i++) {
        fprintf(out, "%-6s ", p->common->schools[i].id);
        cpd_put_name(out, p->common->schools[i].name, 24);
        fputc(' ', out);
        print_tally(out, &f->school[i]);
    }
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-31s %6s %7s %7s %7s %6s %8s", "role", "staff",
                    "places", "1st", "top 3", "worst", "outside");
    fputc('\n', out);
    for (int i = 0; i < f->nroles; i++) {
        cpd_put_name(out, f->roles[i], 31);
        fputc(' ', out);
        print_tally(out, &f->role[i]);
    }
}

/* One cell of the fill table: "28/30" for a run starting in the slot, "+" where a two-slot run
 * goes on, "cancel" for a cancelled run, "-" where the workshop does not run. */
static void fill_cell(FILE *out, const cpd_inset *p, const cpd_inset_plan *pl, int w, int s)
{
    char buf[24] = "-";
    const cpd_workshop *ws = &p->workshops[w];
    for (int i = 0; pl && i < pl->nruns; i++) {
        const cpd_inset_run *r = &pl->runs[i];
        if (r->workshop != w || s < r->start || s >= r->start + ws->length)
            continue;
        if (r->start == s && r->cancelled)
            snprintf(buf, sizeof buf, "cancel");
        else if (r->start == s)
            snprintf(buf, sizeof buf, "%d/%d", r->size, ws->capacity);
        else if (strcmp(buf, "-") == 0)
            snprintf(buf, sizeof buf, r->cancelled ? "-" : "+");
    }
    fprintf(out, " %8s", buf);
}

static void print_fill(FILE *out, const cpd_inset *p, const cpd_inset_plan *pl, bool colour)
{
    fputc('\n', out);
    cpd_term_printf(out, colour, CPD_TONE_HEADER, "%-8s %-30s", "workshop", "title");
    for (int s = 1; s <= p->params.nslots; s++)
        cpd_term_printf(out, colour, CPD_TONE_HEADER, "   slot %d", s);
    fputc('\n', out);
    for (int w = 0; w < p->nworkshops; w++) {
        fprintf(out, "%-8s ", p->workshops[w].id);
        cpd_put_name(out, p->workshops[w].title, 29);
        fputc(' ', out);
        for (int s = 1; s <= p->params.nslots; s++)
            fill_cell(out, p, pl, w, s);
        fputc('\n', out);
    }
}

/* ---- local: the CSV files ---- */

typedef struct {
    const cpd_inset *p;
    const cpd_inset_plan *pl;
    const char *summary_text;
    cJSON *summary;
} plan_view;

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

static const char *const allocation_header[] = {"staff",        "name",      "school", "role",
                                                "slot",         "workshop",  "title",  "rank",
                                                "facilitating", "mandatory", NULL};

/* One row per person and slot: the whole day of everyone, an empty workshop where the person
 * has no place (unmet.csv says why). */
static void allocation_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    const cpd_scenario *s = v->p->common;
    for (int t = 0; t < s->nstaff; t++) {
        for (int sl = 1; sl <= v->p->params.nslots; sl++) {
            const cpd_inset_place *q = place_at(v->p, v->pl, t, sl);
            bool placed = q && q->workshop >= 0;
            cpd_csvw_str(w, s->staff[t].id);
            cpd_csvw_str(w, s->staff[t].name);
            cpd_csvw_str(w, s->schools[s->staff[t].school].id);
            cpd_csvw_str(w, s->staff[t].role);
            cpd_csvw_int(w, sl);
            cpd_csvw_str(w, placed ? v->p->workshops[q->workshop].id : "");
            cpd_csvw_str(w, placed ? v->p->workshops[q->workshop].title : "");
            if (placed && q->rank > 0)
                cpd_csvw_int(w, q->rank);
            else
                cpd_csvw_str(w, "");
            cpd_csvw_str(w, yes_no(placed && q->facilitating));
            cpd_csvw_str(w, yes_no(placed && q->mandatory));
            cpd_csvw_end_row(w);
        }
    }
}

/* Names joined with "; ", for a register. */
static char *join_names(const cpd_scenario *s, const int *who, int n)
{
    cpd_strlist names = {0};
    for (int i = 0; i < n; i++)
        cpd_strlist_add(&names, s->staff[who[i]].name);
    char *out = cpd_io_join_list(&names, "; ");
    cpd_strlist_clear(&names);
    return out;
}

/* The people in a run: those whose attendance of its workshop begins in its start slot. */
static int run_people(const plan_view *v, const cpd_inset_run *r, int *who)
{
    int n = 0;
    for (int t = 0; t < v->p->common->nstaff; t++)
        if (starts_place(v->p, v->pl, t, r->start) &&
            place_at(v->p, v->pl, t, r->start)->workshop == r->workshop)
            who[n++] = t;
    return n;
}

static const char *const roster_header[] = {"workshop",  "title",    "slot",   "start",
                                            "size",      "capacity", "status", "facilitators",
                                            "attendees", NULL};

static void roster_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    const cpd_scenario *s = v->p->common;
    int *who = cpd_xcalloc((size_t)s->nstaff + 1, sizeof(int));
    for (int i = 0; v->pl && i < v->pl->nruns; i++) {
        const cpd_inset_run *r = &v->pl->runs[i];
        const cpd_workshop *ws = &v->p->workshops[r->workshop];
        int n = r->cancelled ? 0 : run_people(v, r, who);
        char *fac = join_names(s, ws->facilitators, ws->nfacilitators);
        char *names = join_names(s, who, n);
        for (int sl = r->start; sl < r->start + ws->length; sl++) {
            cpd_csvw_str(w, ws->id);
            cpd_csvw_str(w, ws->title);
            cpd_csvw_int(w, sl);
            cpd_csvw_int(w, r->start);
            cpd_csvw_int(w, r->size);
            cpd_csvw_int(w, ws->capacity);
            cpd_csvw_str(w, r->cancelled ? "cancelled" : "held");
            cpd_csvw_str(w, fac);
            cpd_csvw_str(w, names);
            cpd_csvw_end_row(w);
        }
        free(fac);
        free(names);
    }
    free(who);
}

static const char *const unmet_header[] = {"staff", "name", "slot", "workshop", "reason", NULL};

static void unmet_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    const cpd_scenario *s = v->p->common;
    for (int i = 0; v->pl && i < v->pl->nunmet; i++) {
        const cpd_inset_unmet *u = &v->pl->unmet[i];
        cpd_csvw_str(w, s->staff[u->staff].id);
        cpd_csvw_str(w, s->staff[u->staff].name);
        if (u->slot > 0)
            cpd_csvw_int(w, u->slot);
        else
            cpd_csvw_str(w, "");
        cpd_csvw_str(w, u->workshop >= 0 ? v->p->workshops[u->workshop].id : "");
        cpd_csvw_str(w, u->reason ? u->reason : "");
        cpd_csvw_end_row(w);
    }
}

/* ---- local: report.html ---- */

static bool write_report(cpd_outset *o, const plan_view *v, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "report.html", d);
    if (!f)
        return false;
    cpd_report_begin(f, "Training day", v->summary);
    cpd_report_inset(f, v->p, v->pl, v->summary);
    cpd_report_end(f);
    return cpd_outset_flushed(o, f, "report.html", d);
}

/* ---- local: reading a plan back ---- */

typedef struct {
    const cpd_inset *p;
    cpd_diags *d;
    cpd_strmap *staff_ids, *ws_ids;
    int *line; /* nstaff x nslots: the allocation.csv line of a place, 0 when not yet read */
} reader;

/* A staff or workshop id: its index; -1 (empty allowed for a workshop) or -2 after an error. */
static int read_ref(reader *R, const cpd_csv *t, size_t r, int c, bool workshop)
{
    const char *id = cpd_io_plan_cell(t, r, c);
    if (workshop && !*id)
        return -1;
    int i = cpd_strmap_get(workshop ? R->ws_ids : R->staff_ids, id);
    if (i < 0) {
        cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c + 1, "unknown %s '%s' (not in %s)",
                  workshop ? "workshop" : "staff", id, workshop ? "workshops.csv" : "staff.csv");
        return -2;
    }
    return i;
}

/* A slot number of the day; 0 for an empty cell when allowed, -1 after an error. */
static int read_slot(reader *R, const cpd_csv *t, size_t r, int c, bool empty_ok)
{
    long v = 0;
    if (empty_ok && (c < 0 || !*cpd_csv_cell(t, r, c)))
        return 0;
    return cpd_csv_int(t, r, c, "slot", 1, R->p->params.nslots, &v, R->d) ? (int)v : -1;
}

static void read_allocation(reader *R, const char *outdir, cpd_inset_plan *pl)
{
    static const cpd_csv_colspec spec[] = {
        {"staff", true},         {"name", false},     {"school", false}, {"role", false},
        {"slot", true},          {"workshop", true},  {"title", false},  {"rank", true},
        {"facilitating", false}, {"mandatory", false}};
    int c[10];
    cpd_csv *t = cpd_io_open_table(outdir, "allocation.csv", false, spec, 10, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int staff = read_ref(R, t, r, c[0], false), slot = read_slot(R, t, r, c[4], false);
        int w = read_ref(R, t, r, c[5], true);
        long rank = 0;
        bool fac = false, mand = false, ok = true;
        if (*cpd_csv_cell(t, r, c[7]))
            ok &= cpd_csv_int(t, r, c[7], "rank", 1, 99, &rank, R->d);
        if (c[8] >= 0)
            ok &= cpd_csv_bool(t, r, c[8], "facilitating", false, &fac, R->d);
        if (c[9] >= 0)
            ok &= cpd_csv_bool(t, r, c[9], "mandatory", false, &mand, R->d);
        if (!ok || staff < 0 || slot < 1 || w < -1)
            continue;
        size_t k = (size_t)staff * (size_t)R->p->params.nslots + (size_t)(slot - 1);
        if (R->line[k]) {
            cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c[0] + 1,
                      "%s in slot %d given twice (first on line %d)", R->p->common->staff[staff].id,
                      slot, R->line[k]);
            continue;
        }
        R->line[k] = cpd_csv_line(t, r);
        pl->places[k] = (cpd_inset_place){staff, slot, w, (int)rank, fac, mand};
    }
    cpd_csv_free(&t);
}

static void read_rosters(reader *R, const char *outdir, cpd_inset_plan *pl)
{
    static const cpd_csv_colspec spec[] = {
        {"workshop", true}, {"title", false},        {"slot", true},
        {"start", false},   {"size", true},          {"capacity", false},
        {"status", true},   {"facilitators", false}, {"attendees", false}};
    int c[9], cap = 0;
    cpd_csv *t = cpd_io_open_table(outdir, "rosters.csv", false, spec, 9, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int w = read_ref(R, t, r, c[0], true), slot = read_slot(R, t, r, c[2], false);
        if (w == -1)
            cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c[0] + 1, "workshop is empty");
        int start = c[3] >= 0 ? read_slot(R, t, r, c[3], false) : slot;
        long size = 0;
        bool ok = cpd_csv_int(t, r, c[4], "size", 0, 1000000, &size, R->d);
        const char *status = cpd_io_plan_cell(t, r, c[6]);
        bool cancelled = strcmp(status, "cancelled") == 0;
        if (!cancelled && strcmp(status, "held") != 0) {
            cpd_error(R->d, cpd_csv_name(t), cpd_csv_line(t, r), c[6] + 1,
                      "status must be held or cancelled (got '%s')", status);
            ok = false;
        }
        if (!ok || w < 0 || slot < 1 || start < 1 || slot != start)
            continue; /* a row that goes on with a two-slot run repeats its start row */
        if (pl->nruns == cap)
            pl->runs =
                cpd_xrealloc(pl->runs, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *pl->runs);
        pl->runs[pl->nruns++] = (cpd_inset_run){w, start, (int)size, cancelled};
    }
    cpd_csv_free(&t);
}

static void read_unmet(reader *R, const char *outdir, cpd_inset_plan *pl)
{
    static const cpd_csv_colspec spec[] = {
        {"staff", true}, {"name", false}, {"slot", false}, {"workshop", false}, {"reason", true}};
    int c[5], cap = 0;
    cpd_csv *t = cpd_io_open_table(outdir, "unmet.csv", false, spec, 5, c, R->d);
    for (size_t r = 0; t && r < cpd_csv_nrows(t); r++) {
        int staff = read_ref(R, t, r, c[0], false), slot = read_slot(R, t, r, c[2], true);
        int w = c[3] >= 0 ? read_ref(R, t, r, c[3], true) : -1;
        if (staff < 0 || slot < 0 || w < -1)
            continue;
        if (pl->nunmet == cap)
            pl->unmet =
                cpd_xrealloc(pl->unmet, (size_t)(cap = cap ? 2 * cap : 32) * sizeof *pl->unmet);
        pl->unmet[pl->nunmet++] =
            (cpd_inset_unmet){staff, slot, w, cpd_strdup(cpd_io_plan_cell(t, r, c[4]))};
    }
    cpd_csv_free(&t);
}

/* ---- interface ---- */

char *cpd_inset_summary_json(const cpd_inset *p, const cpd_inset_plan *pl)
{
    return cpd_json_take_text(summary_object(p, pl));
}

void cpd_print_inset_summary(FILE *out, const cpd_inset *p, const cpd_inset_plan *pl,
                             bool colour)
{
    figures f = count(p, pl);
    print_status(out, p, pl, colour);
    fprintf(out,
            "\nplaces %d   first choice %.1f%%   top three %.1f%%   worst rank %d   "
            "outside choices %d\n",
            f.all.places, 100 * share(f.all.first, f.all.places),
            100 * share(f.all.top3, f.all.places), f.all.worst, f.all.outside);
    print_groups(out, p, &f, colour);
    print_fill(out, p, pl, colour);
    fprintf(out, "\ncancelled runs: %d   unmet: %d rows for %d of %d staff\n", f.cancelled,
            pl ? pl->nunmet : 0, f.unmet_people, f.all.staff);
    figures_free(&f);
}

bool cpd_write_inset(const char *outdir, const cpd_inset *p, const cpd_inset_plan *pl, cpd_diags *d)
{
    if (!pl) {
        cpd_error(d, outdir, 0, 0, "no plan to write");
        return false;
    }
    char *text = cpd_inset_summary_json(p, pl);
    plan_view v = {p, pl, text, cJSON_Parse(text)};
    cpd_outset *o = cpd_outset_new(outdir, d);
    bool ok = o && v.summary &&
              cpd_outset_csv(o, "allocation.csv", allocation_header, allocation_rows, &v, d) &&
              cpd_outset_csv(o, "rosters.csv", roster_header, roster_rows, &v, d) &&
              cpd_outset_csv(o, "unmet.csv", unmet_header, unmet_rows, &v, d) &&
              cpd_outset_text(o, "summary.json", v.summary_text, d) && write_report(o, &v, d);
    ok = ok && (!p->params.ics || cpd_write_inset_ics(o, p, pl, d));
    cJSON_Delete(v.summary);
    free(text);
    return cpd_outset_finish(&o, ok, d);
}

cpd_inset_plan *cpd_read_inset_plan(const char *outdir, const cpd_inset *p, cpd_diags *d)
{
    size_t errors = cpd_diags_errors(d);
    int nstaff = p->common->nstaff, nslots = p->params.nslots;
    reader R = {p, d, cpd_strmap_new(), cpd_strmap_new(),
                cpd_xcalloc((size_t)nstaff * (size_t)nslots + 1, sizeof(int))};
    for (int i = 0; i < nstaff; i++)
        cpd_strmap_put(R.staff_ids, p->common->staff[i].id, i);
    for (int i = 0; i < p->nworkshops; i++)
        cpd_strmap_put(R.ws_ids, p->workshops[i].id, i);
    cpd_inset_plan *pl = cpd_xcalloc(1, sizeof *pl);
    pl->result.status = CPD_SOLVE_FEASIBLE; /* the files do not say; summary.json does */
    pl->heuristic_objective = NAN;
    pl->nplaces = nstaff * nslots;
    pl->places = cpd_xcalloc((size_t)pl->nplaces + 1, sizeof *pl->places);
    for (int t = 0; t < nstaff; t++)
        for (int s = 1; s <= nslots; s++)
            pl->places[(size_t)t * (size_t)nslots + (size_t)(s - 1)] =
                (cpd_inset_place){.staff = t, .slot = s, .workshop = -1};
    read_allocation(&R, outdir, pl);
    read_rosters(&R, outdir, pl);
    read_unmet(&R, outdir, pl);
    for (int k = 0; k < pl->nplaces; k++)
        pl->worst_rank = pl->places[k].rank > pl->worst_rank ? pl->places[k].rank : pl->worst_rank;
    free(R.line);
    cpd_strmap_free(&R.staff_ids);
    cpd_strmap_free(&R.ws_ids);
    if (cpd_diags_errors(d) > errors)
        cpd_inset_plan_free(&pl);
    return pl;
}
