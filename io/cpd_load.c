/* cpd_load.c — a scenario folder read into a cpd_scenario with every problem collected, and a
 * scenario written back as the files that read to it again. */
#include "cpd_load.h"

#include "cpd_csv.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD_REF (-2) /* an id that names nothing (CPD_TRUST_SCHOOL is -1) */

typedef struct {
    const char *dir;
    cpd_diags *d;
    cpd_scenario *s;
    cpd_strmap *school_ids, *staff_ids, *coach_ids;
    /* A file was read and its columns bound. When not, ids in other files are not checked
     * against it: every one would be "unknown" and bury the real problem. */
    bool schools_ok, staff_ok, coaches_ok;
    int *travel_line; /* (nschools + 1)^2, the trust last: line a pair was given on, 0 = not */
} loader;

/* ---- local: files and cells ---- */

/* Whether DIR/NAME can be read (cpd_io_present); the path is returned for the caller to free. */
static bool file_present(loader *L, const char *name, bool optional, char **path)
{
    *path = cpd_io_join(L->dir, name);
    return cpd_io_present(*path, optional, L->d);
}

/* A school id in cell (r, c): its index, CPD_TRUST_SCHOOL for "trust" when allowed, or BAD_REF
 * (an error added when schools.csv was usable, else quietly). */
static int school_ref(loader *L, const cpd_csv *t, size_t r, int c, bool trust_ok)
{
    const char *id = cpd_io_required(t, r, c, "school", L->d);
    if (!id)
        return BAD_REF;
    if (trust_ok && strcasecmp(id, CPD_TRUST_ID) == 0)
        return CPD_TRUST_SCHOOL;
    int i = cpd_strmap_get(L->school_ids, id);
    if (i < 0 && L->schools_ok) {
        char known[512];
        cpd_io_known_schools(L->s, trust_ok, known, sizeof known);
        cpd_cell_error(L->d, t, r, c, "unknown school '%s' (known: %s)", id, known);
    }
    return i < 0 ? BAD_REF : i;
}

/* An optional whole-number cell 0..1000 where empty means 0 (no limit). */
static int limit_cell(loader *L, const cpd_csv *t, size_t r, int c, const char *what)
{
    return cpd_io_int_cell(t, r, c, what, 0, 1000, 0, L->d);
}

/* ---- local: schools.csv ---- */

static void load_schools(loader *L)
{
    static const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}, {"joining", false}};
    int c[3];
    cpd_csv *t = cpd_io_open_table(L->dir, "schools.csv", false, spec, 3, c, L->d);
    if (!t)
        return;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *id = cpd_io_required(t, r, c[0], "school id", L->d);
        if (!id)
            continue;
        int prev = cpd_strmap_get(L->school_ids, id);
        if (prev >= 0) {
            cpd_cell_error(L->d, t, r, c[0], "duplicate school id '%s' (first on line %d)", id,
                           L->s->schools[prev].line);
            continue;
        }
        if (strcasecmp(id, CPD_TRUST_ID) == 0) {
            cpd_cell_error(L->d, t, r, c[0],
                           "'%s' is kept for the trust's central base; give the school "
                           "another id",
                           id);
            continue;
        }
        bool joining = false;
        if (c[2] >= 0)
            cpd_csv_bool(t, r, c[2], "joining", false, &joining, L->d);
        int i = cpd_scenario_add_school(L->s, id, cpd_io_name_or_id(t, r, c[1], id, L->d), joining);
        L->s->schools[i].line = cpd_csv_line(t, r);
        cpd_strmap_put(L->school_ids, id, i);
    }
    if (L->s->nschools == 0 && cpd_csv_nrows(t) == 0)
        cpd_error(L->d, cpd_csv_name(t), 0, 0, "no schools: give one row per school (id, name)");
    L->schools_ok = L->s->nschools > 0;
    cpd_csv_free(&t);
}

/* ---- local: travel.csv ---- */

static double *travel_cell(cpd_scenario *s, int a, int b)
{
    int n = s->nschools;
    if (a == n)
        return &s->trust_travel[b];
    if (b == n)
        return &s->trust_travel[a];
    return &s->travel[(size_t)a * (size_t)n + (size_t)b];
}

static const char *place_id(const cpd_scenario *s, int a)
{
    return a == s->nschools ? CPD_TRUST_ID : s->schools[a].id;
}

/* One end of a travel row: a school index, nschools for the trust, or BAD_REF. */
static int travel_end(loader *L, const cpd_csv *t, size_t r, int c, const char *what)
{
    const char *id = cpd_io_required(t, r, c, what, L->d);
    if (!id)
        return BAD_REF;
    if (strcasecmp(id, CPD_TRUST_ID) == 0)
        return L->s->nschools;
    int i = cpd_strmap_get(L->school_ids, id);
    if (i < 0 && L->schools_ok) {
        char known[512];
        cpd_io_known_schools(L->s, true, known, sizeof known);
        cpd_cell_error(L->d, t, r, c, "unknown school '%s' (known: %s)", id, known);
    }
    return i < 0 ? BAD_REF : i;
}

/* Sets a pair both ways; a pair given again with other minutes is a warning, the later wins. */
static void set_travel(loader *L, const cpd_csv *t, size_t r, int cm, int a, int b, double m)
{
    cpd_scenario *s = L->s;
    size_t n1 = (size_t)s->nschools + 1;
    if (a == b) {
        if (m != 0)
            cpd_cell_warn(L->d, t, r, cm,
                          "travel within one place is always 0 minutes; row ignored");
        return;
    }
    int *seen = &L->travel_line[(size_t)a * n1 + (size_t)b];
    double *v = travel_cell(s, a, b);
    if (*seen && *v != m)
        cpd_cell_warn(L->d, t, r, cm, "%s to %s given again (line %d said %g minutes); %g is used",
                      place_id(s, a), place_id(s, b), *seen, *v, m);
    *v = m;
    *travel_cell(s, b, a) = m;
    *seen = L->travel_line[(size_t)b * n1 + (size_t)a] = cpd_csv_line(t, r);
}

static void load_travel(loader *L)
{
    static const cpd_csv_colspec spec[] = {{"from", true}, {"to", true}, {"minutes", true}};
    int c[3];
    cpd_csv *t = cpd_io_open_table(L->dir, "travel.csv", true, spec, 3, c, L->d);
    if (!t)
        return;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        int a = travel_end(L, t, r, c[0], "from");
        int b = travel_end(L, t, r, c[1], "to");
        double m;
        bool ok = cpd_csv_double(t, r, c[2], "minutes", 0, 600, &m, L->d);
        if (ok && a != BAD_REF && b != BAD_REF)
            set_travel(L, t, r, c[2], a, b, m);
    }
    cpd_csv_free(&t);
}

/* Pairs travel.csv left out take scenario.json's default, known only once that is read. */
static void fill_travel_default(cpd_scenario *s)
{
    size_t n = (size_t)s->nschools;
    double def = s->params.default_travel_minutes;
    for (size_t i = 0; i < n * n; i++)
        if (isnan(s->travel[i]))
            s->travel[i] = def;
    for (size_t i = 0; i < n; i++)
        if (isnan(s->trust_travel[i]))
            s->trust_travel[i] = def;
}

/* ---- local: staff.csv ---- */

static void read_staff_row(loader *L, const cpd_csv *t, size_t r, const int *c, const char *id)
{
    cpd_staff st = {.id = (char *)id, .line = cpd_csv_line(t, r)};
    st.name = (char *)cpd_io_name_or_id(t, r, c[1], id, L->d);
    int school = school_ref(L, t, r, c[2], false);
    st.school = school < 0 ? 0 : school; /* a placeholder: the error stops the load anyway */
    const char *role = cpd_io_required(t, r, c[3], "role", L->d);
    st.role = cpd_io_lower_dup(role ? role : "teacher");
    st.is_ect = strcmp(st.role, "ect") == 0;
    const char *need = cpd_io_cell(t, r, c[5]);
    if (!cpd_need_parse(need, &st.need))
        cpd_cell_error(L->d, t, r, c[5],
                       "need must be none, light, standard or intensive (got '%s')", need);
    if (c[4] >= 0)
        cpd_csv_list(t, r, c[4], true, &st.subjects);
    if (c[6] >= 0)
        cpd_csv_list(t, r, c[6], true, &st.focus);
    int i = cpd_scenario_add_staff(L->s, &st); /* copies id, name, role; takes the lists */
    free(st.role);
    cpd_strmap_put(L->staff_ids, id, i);
}

static void load_staff(loader *L)
{
    static const cpd_csv_colspec spec[] = {{"id", true},      {"name", true},  {"school", true},
                                           {"role", true},    {"subjects", false},
                                           {"need", false},   {"focus", false}};
    int c[7];
    cpd_csv *t = cpd_io_open_table(L->dir, "staff.csv", false, spec, 7, c, L->d);
    if (!t)
        return;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *id = cpd_io_required(t, r, c[0], "staff id", L->d);
        if (!id)
            continue;
        int prev = cpd_strmap_get(L->staff_ids, id);
        if (prev >= 0)
            cpd_cell_error(L->d, t, r, c[0], "duplicate staff id '%s' (first on line %d)", id,
                           L->s->staff[prev].line);
        else
            read_staff_row(L, t, r, c, id);
    }
    L->staff_ok = true;
    cpd_csv_free(&t);
}

/* ---- local: coaches.csv ---- */

/* The provides cell: services by name; empty gives the role's default. */
static unsigned read_provides(loader *L, const cpd_csv *t, size_t r, int c, cpd_coach_role role)
{
    cpd_strlist l = {0};
    unsigned bits = 0;
    if (c >= 0)
        cpd_csv_list(t, r, c, true, &l);
    for (int i = 0; i < l.n; i++) {
        cpd_service sv;
        if (cpd_service_parse(l.items[i], &sv))
            bits |= 1u << sv;
        else
            cpd_cell_error(L->d, t, r, c,
                           "provides: unknown service '%s' (use coaching, mentoring or senior)",
                           l.items[i]);
    }
    int given = l.n;
    cpd_strlist_clear(&l);
    return given ? bits : cpd_coach_role_default_provides(role);
}

static void read_coach_row(loader *L, const cpd_csv *t, size_t r, const int *c, const char *id)
{
    cpd_coach k = {.id = (char *)id, .line = cpd_csv_line(t, r)};
    k.name = (char *)cpd_io_name_or_id(t, r, c[1], id, L->d);
    /* A coach with a staff member's id is that person (never paired with themself): an id
     * shared by two different names is two people clashing on one id. */
    int same = cpd_strmap_get(L->staff_ids, id);
    if (same >= 0 && strcasecmp(k.name, L->s->staff[same].name) != 0)
        cpd_cell_error(L->d, t, r, c[0],
                       "coach id '%s' is staff.csv's '%s' (line %d), but this row names '%s'; "
                       "give each person one id",
                       id, L->s->staff[same].name, L->s->staff[same].line, k.name);
    const char *role = cpd_io_required(t, r, c[2], "role", L->d);
    if (role && !cpd_coach_role_parse(role, &k.role))
        cpd_cell_error(L->d, t, r, c[2],
                       "role must be lp, dol, ot, mentor or senior_leader (got '%s')", role);
    int school = school_ref(L, t, r, c[3], true);
    k.school = school == BAD_REF ? CPD_TRUST_SCHOOL : school;
    cpd_csv_double(t, r, c[4], "hours", 0, 80, &k.hours, L->d);
    if (c[5] >= 0)
        cpd_csv_list(t, r, c[5], true, &k.subjects);
    if (c[6] >= 0)
        cpd_csv_list(t, r, c[6], true, &k.expertise);
    k.max_coachees = limit_cell(L, t, r, c[7], "max_coachees");
    k.max_schools = limit_cell(L, t, r, c[8], "max_schools");
    k.provides = read_provides(L, t, r, c[9], k.role);
    int i = cpd_scenario_add_coach(L->s, &k);
    cpd_strmap_put(L->coach_ids, id, i);
}

static void load_coaches(loader *L)
{
    static const cpd_csv_colspec spec[] = {
        {"id", true},           {"name", true},         {"role", true},
        {"school", true},       {"hours", true},        {"subjects", false},
        {"expertise", false},   {"max_coachees", false}, {"max_schools", false},
        {"provides", false}};
    int c[10];
    cpd_csv *t = cpd_io_open_table(L->dir, "coaches.csv", false, spec, 10, c, L->d);
    if (!t)
        return;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *id = cpd_io_required(t, r, c[0], "coach id", L->d);
        if (!id)
            continue;
        int prev = cpd_strmap_get(L->coach_ids, id);
        if (prev >= 0)
            cpd_cell_error(L->d, t, r, c[0], "duplicate coach id '%s' (first on line %d)", id,
                           L->s->coaches[prev].line);
        else
            read_coach_row(L, t, r, c, id);
    }
    L->coaches_ok = true;
    cpd_csv_free(&t);
}

/* ---- local: previous.csv and pins.csv ---- */

/* A person of last term: their index, or -1 (a warning) when they are no longer listed. */
static int previous_ref(loader *L, const cpd_csv *t, size_t r, int c, const char *id, bool coach)
{
    const cpd_strmap *ids = coach ? L->coach_ids : L->staff_ids;
    int i = cpd_strmap_get(ids, id);
    if (i < 0 && (coach ? L->coaches_ok : L->staff_ok))
        cpd_cell_warn(L->d, t, r, c, "%s '%s' is not in %s: treated as having left",
                      coach ? "coach" : "teacher", id, coach ? "coaches.csv" : "staff.csv");
    return i;
}

static void load_previous(loader *L)
{
    static const cpd_csv_colspec spec[] = {{"coach", true}, {"teacher", true}};
    int c[2];
    cpd_csv *t = cpd_io_open_table(L->dir, "previous.csv", true, spec, 2, c, L->d);
    if (!t)
        return;
    cpd_strmap *seen = cpd_strmap_new();
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        const char *cid = cpd_io_required(t, r, c[0], "coach", L->d);
        const char *tid = cpd_io_required(t, r, c[1], "teacher", L->d);
        if (!cid || !tid)
            continue;
        char *key = cpd_xmalloc(strlen(cid) + strlen(tid) + 2);
        sprintf(key, "%s\x1f%s", cid, tid); /* a unit separator cannot be in a trimmed id pair */
        int first = cpd_strmap_put(seen, key, cpd_csv_line(t, r));
        if (first >= 0)
            cpd_strmap_put(seen, key, first); /* keep the first line for later repeats */
        free(key);
        if (first >= 0) {
            cpd_cell_warn(L->d, t, r, c[0], "pair %s, %s given twice (first on line %d); ignored",
                          cid, tid, first);
            continue;
        }
        int ci = previous_ref(L, t, r, c[0], cid, true);
        int ti = previous_ref(L, t, r, c[1], tid, false);
        cpd_scenario_add_previous(L->s, ci, ti, cid, tid, cpd_csv_line(t, r));
    }
    cpd_strmap_free(&seen);
    cpd_csv_free(&t);
}

/* A person a pin names; BAD_REF (an error) when nobody has that id. */
static int pin_ref(loader *L, const cpd_csv *t, size_t r, int c, bool coach)
{
    const char *id = cpd_io_required(t, r, c, coach ? "coach" : "teacher", L->d);
    if (!id)
        return BAD_REF;
    int i = cpd_strmap_get(coach ? L->coach_ids : L->staff_ids, id);
    if (i < 0 && (coach ? L->coaches_ok : L->staff_ok))
        cpd_cell_error(L->d, t, r, c, "pin names nobody: %s '%s' is not in %s",
                       coach ? "coach" : "teacher", id, coach ? "coaches.csv" : "staff.csv");
    return i < 0 ? BAD_REF : i;
}

static void load_pins(loader *L)
{
    static const cpd_csv_colspec spec[] = {{"coach", true}, {"teacher", true}, {"rule", true}};
    int c[3];
    cpd_csv *t = cpd_io_open_table(L->dir, "pins.csv", true, spec, 3, c, L->d);
    if (!t)
        return;
    cpd_strmap *seen = cpd_strmap_new();
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        int ci = pin_ref(L, t, r, c[0], true), ti = pin_ref(L, t, r, c[1], false);
        const char *rule = cpd_io_cell(t, r, c[2]);
        bool must = strcasecmp(rule, "must") == 0;
        if (!must && strcasecmp(rule, "never") != 0) {
            cpd_cell_error(L->d, t, r, c[2], "rule must be must or never (got '%s')", rule);
            continue;
        }
        if (ci < 0 || ti < 0)
            continue;
        char key[64];
        snprintf(key, sizeof key, "%d %d %d", ci, ti, must);
        int first = cpd_strmap_put(seen, key, cpd_csv_line(t, r));
        if (first >= 0) {
            cpd_strmap_put(seen, key, first);
            cpd_cell_warn(L->d, t, r, c[0], "the same pin as line %d; ignored", first);
            continue;
        }
        cpd_scenario_add_pin(L->s, ci, ti, must, cpd_csv_line(t, r));
    }
    cpd_strmap_free(&seen);
    cpd_csv_free(&t);
}

/* ---- local: scenario.json ---- */

/* The folder's last component, the scenario's name when scenario.json gives none. */
static char *folder_name(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    size_t b = n;
    while (b > 0 && dir[b - 1] != '/')
        b--;
    if (n == b || (n - b == 1 && dir[b] == '.') || (n - b == 2 && strncmp(dir + b, "..", 2) == 0))
        return NULL;
    char *s = cpd_xmalloc(n - b + 1);
    memcpy(s, dir + b, n - b);
    s[n - b] = '\0';
    return s;
}

static void load_settings(loader *L)
{
    char *path;
    if (file_present(L, "scenario.json", true, &path))
        cpd_json_read_scenario(path, path, L->s, L->d);
    free(path);
    if (!L->s->name)
        L->s->name = folder_name(L->dir);
}

/* ---- local: the whole folder ---- */

static cpd_scenario *load(const char *dir, cpd_diags *d, bool deploy)
{
    size_t errors = cpd_diags_errors(d);
    loader L = {.dir = dir, .d = d, .s = cpd_scenario_new(), .school_ids = cpd_strmap_new(),
                .staff_ids = cpd_strmap_new(), .coach_ids = cpd_strmap_new()};
    load_schools(&L);
    cpd_scenario_init_travel(L.s, NAN); /* NAN: not given, until the default is known */
    size_t n1 = (size_t)L.s->nschools + 1;
    L.travel_line = cpd_xcalloc(n1 * n1, sizeof(int));
    load_travel(&L);
    load_staff(&L);
    load_settings(&L);
    fill_travel_default(L.s);
    if (deploy) {
        load_coaches(&L);
        load_previous(&L);
        load_pins(&L);
    }
    free(L.travel_line);
    cpd_strmap_free(&L.school_ids);
    cpd_strmap_free(&L.staff_ids);
    cpd_strmap_free(&L.coach_ids);
    if (cpd_diags_errors(d) > errors)
        cpd_scenario_free(&L.s);
    return L.s;
}

/* ---- local: writing ---- */

static const char *school_id(const cpd_scenario *s, int school)
{
    return school == CPD_TRUST_SCHOOL ? CPD_TRUST_ID : s->schools[school].id;
}

static void schools_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_scenario *s = ctx;
    for (int i = 0; i < s->nschools; i++) {
        cpd_csvw_str(w, s->schools[i].id);
        cpd_csvw_str(w, s->schools[i].name);
        cpd_csvw_str(w, s->schools[i].joining ? "yes" : "no");
        cpd_csvw_end_row(w);
    }
}

static void travel_row(cpd_csvw *w, const char *a, const char *b, double m)
{
    cpd_csvw_str(w, a);
    cpd_csvw_str(w, b);
    cpd_csvw_exact(w, m);
    cpd_csvw_end_row(w);
}

/* Only what differs from the default: the rest reads back from scenario.json. */
static void travel_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_scenario *s = ctx;
    double def = s->params.default_travel_minutes;
    for (int i = 0; i < s->nschools; i++)
        if (s->trust_travel[i] != def)
            travel_row(w, CPD_TRUST_ID, s->schools[i].id, s->trust_travel[i]);
    for (int i = 0; i < s->nschools; i++)
        for (int j = i + 1; j < s->nschools; j++)
            if (cpd_scenario_travel(s, i, j) != def)
                travel_row(w, s->schools[i].id, s->schools[j].id, cpd_scenario_travel(s, i, j));
}

static bool travel_differs(const cpd_scenario *s)
{
    double def = s->params.default_travel_minutes;
    for (int i = 0; s->travel && i < s->nschools; i++) {
        if (s->trust_travel[i] != def)
            return true;
        for (int j = i + 1; j < s->nschools; j++)
            if (cpd_scenario_travel(s, i, j) != def)
                return true;
    }
    return false;
}

/* staff.csv's rows; the focus column is the deploy job's (inset leaves it out). */
static void staff_rows_of(cpd_csvw *w, const cpd_scenario *s, bool focus)
{
    for (int i = 0; i < s->nstaff; i++) {
        const cpd_staff *t = &s->staff[i];
        cpd_csvw_str(w, t->id);
        cpd_csvw_str(w, t->name);
        cpd_csvw_str(w, s->schools[t->school].id);
        cpd_csvw_str(w, t->role);
        cpd_csvw_list(w, &t->subjects);
        cpd_csvw_str(w, cpd_need_name(t->need));
        if (focus)
            cpd_csvw_list(w, &t->focus);
        cpd_csvw_end_row(w);
    }
}

static void staff_rows(cpd_csvw *w, const void *ctx) { staff_rows_of(w, ctx, true); }

static void staff_rows_no_focus(cpd_csvw *w, const void *ctx) { staff_rows_of(w, ctx, false); }

static void provides_cell(cpd_csvw *w, unsigned bits)
{
    cpd_strlist l = {0};
    for (int v = 0; v < CPD_SERVICE_COUNT; v++)
        if (bits & (1u << v))
            cpd_strlist_add(&l, cpd_service_name((cpd_service)v));
    cpd_csvw_list(w, &l);
    cpd_strlist_clear(&l);
}

static void coach_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_scenario *s = ctx;
    for (int i = 0; i < s->ncoaches; i++) {
        const cpd_coach *k = &s->coaches[i];
        cpd_csvw_str(w, k->id);
        cpd_csvw_str(w, k->name);
        cpd_csvw_str(w, cpd_coach_role_name(k->role));
        cpd_csvw_str(w, school_id(s, k->school));
        cpd_csvw_exact(w, k->hours);
        cpd_csvw_list(w, &k->subjects);
        cpd_csvw_list(w, &k->expertise);
        cpd_csvw_int(w, k->max_coachees);
        cpd_csvw_int(w, k->max_schools);
        provides_cell(w, k->provides);
        cpd_csvw_end_row(w);
    }
}

static void previous_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_scenario *s = ctx;
    for (int i = 0; i < s->nprevious; i++) {
        const cpd_pair *p = &s->previous[i];
        cpd_csvw_str(w, p->coach_id ? p->coach_id : s->coaches[p->coach].id);
        cpd_csvw_str(w, p->teacher_id ? p->teacher_id : s->staff[p->teacher].id);
        cpd_csvw_end_row(w);
    }
}

static void pin_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_scenario *s = ctx;
    for (int i = 0; i < s->npins; i++) {
        cpd_csvw_str(w, s->coaches[s->pins[i].coach].id);
        cpd_csvw_str(w, s->staff[s->pins[i].teacher].id);
        cpd_csvw_str(w, s->pins[i].must ? "must" : "never");
        cpd_csvw_end_row(w);
    }
}

/* ---- interface ---- */

cpd_scenario *cpd_load_common(const char *dir, cpd_diags *d) { return load(dir, d, false); }

cpd_scenario *cpd_load_deploy(const char *dir, cpd_diags *d) { return load(dir, d, true); }

bool cpd_save_common(cpd_outset *o, const cpd_scenario *s, unsigned what, cpd_diags *d)
{
    static const char *const schools_h[] = {"id", "name", "joining", NULL};
    static const char *const travel_h[] = {"from", "to", "minutes", NULL};
    static const char *const staff_h[] = {"id",       "name", "school", "role",
                                          "subjects", "need", "focus",  NULL};
    static const char *const staff_no_focus_h[] = {"id",       "name", "school", "role",
                                                   "subjects", "need", NULL};
    bool focus = what & CPD_SAVE_FOCUS;
    bool travel = (what & CPD_SAVE_TRAVEL) || ((what & CPD_SAVE_TRAVEL_SET) && travel_differs(s));
    return cpd_outset_csv(o, "schools.csv", schools_h, schools_rows, s, d) &&
           cpd_outset_csv(o, "staff.csv", focus ? staff_h : staff_no_focus_h,
                          focus ? staff_rows : staff_rows_no_focus, s, d) &&
           (!travel || cpd_outset_csv(o, "travel.csv", travel_h, travel_rows, s, d));
}

bool cpd_save_deploy(const char *dir, const cpd_scenario *s, cpd_diags *d)
{
    static const char *const coach_h[] = {"id",           "name",        "role",
                                          "school",       "hours",       "subjects",
                                          "expertise",    "max_coachees", "max_schools",
                                          "provides",     NULL};
    static const char *const previous_h[] = {"coach", "teacher", NULL};
    static const char *const pins_h[] = {"coach", "teacher", "rule", NULL};
    cpd_outset *o = cpd_outset_new(dir, d);
    if (!o)
        return false;
    cJSON *settings = cpd_json_scenario_object(s);
    bool ok = cpd_save_common(o, s, CPD_SAVE_FOCUS | CPD_SAVE_TRAVEL, d) &&
              cpd_outset_csv(o, "coaches.csv", coach_h, coach_rows, s, d) &&
              cpd_outset_csv(o, "previous.csv", previous_h, previous_rows, s, d) &&
              cpd_outset_csv(o, "pins.csv", pins_h, pin_rows, s, d) &&
              cpd_json_save(o, "scenario.json", settings, d);
    cJSON_Delete(settings);
    return cpd_outset_finish(&o, ok, d);
}
