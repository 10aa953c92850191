/* cpd_inset_io.c — a training day read from its folder (workshops.csv, preferences.csv in a form
 * tool's wide export or in long form, pins.csv, scenario.json "inset") with every problem
 * collected, and a day written back as the files that read to it again. */
#include "cpd_inset_io.h"

#include "cpd_csv.h"
#include "cpd_date.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_load.h"
#include "cpd_strmap.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_SLOTS CPD_INSET_MAX_SLOTS
#define MAX_RANK 99  /* choices a form may ask for */
#define MAX_CAPACITY 100000
#define NEAR_MAX 3  /* near misses named in an unknown-workshop message */
#define KNOWN_MAX 8 /* ids listed when nothing is near */

typedef struct {
    const char *dir;
    cpd_diags *d;
    cpd_inset *p;
    cpd_strmap *staff_ids;
    cpd_strmap *ws_ids, *ws_titles, *ws_loose; /* id; exact title; folded id or title */
    bool workshops_ok;                         /* workshops.csv was read: check names against it */
    bool slots_set;                            /* scenario.json gave inset.slots */
} loader;

/* A choice as one row of preferences.csv left it, kept until every row is read (a later row of
 * the same person replaces it). */
typedef struct {
    int *choices;
    int n, line;
} pending;

/* ---- local: files and cells ---- */

/* Lower case, runs of spaces (and _ -) as one space, no space at either end: how a title is
 * matched when not given exactly ("Retrieval  practice" is "retrieval practice"). */
static char *fold(const char *s)
{
    char *out = cpd_xmalloc(strlen(s) + 1), *o = out;
    bool space = false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == ' ' || c == '\t' || c == '_' || c == '-') {
            space = o > out;
            continue;
        }
        if (space)
            *o++ = ' ';
        space = false;
        *o++ = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    *o = '\0';
    return out;
}

/* A staff id in a cell: its index, or -1 after an error. */
static int staff_ref(loader *L, const cpd_csv *t, size_t r, int c, const char *what)
{
    const char *id = cpd_io_cell(t, r, c);
    if (!*id) {
        cpd_cell_error(L->d, t, r, c, "%s is empty", what);
        return -1;
    }
    int i = cpd_strmap_get(L->staff_ids, id);
    if (i < 0)
        cpd_cell_error(L->d, t, r, c, "unknown staff '%s' (not in staff.csv)", id);
    return i;
}

/* ---- local: naming a workshop, and near misses ---- */

static int edit_distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    int *row = cpd_xmalloc((m + 1) * sizeof(int));
    for (size_t j = 0; j <= m; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int dist = row[m];
    free(row);
    return dist;
}

/* s with every ASCII character that is not a letter or digit made a space, spaces around. */
static char *word_text(const char *s)
{
    size_t n = strlen(s);
    char *w = cpd_xmalloc(n + 3);
    w[0] = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool keep = c >= 128 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        w[i + 1] = keep ? (char)c : ' ';
    }
    w[n + 1] = ' ';
    w[n + 2] = '\0';
    return w;
}

/* Whether two folded titles share a word of four letters or more ("behaviour" in "Behaviour
 * for learning" and "Whole-school behaviour"). */
static bool share_word(const char *a, const char *b)
{
    char *wa = word_text(a), *wb = word_text(b), *save = NULL;
    bool found = false;
    for (char *w = strtok_r(wa, " ", &save); w && !found; w = strtok_r(NULL, " ", &save)) {
        size_t n = strlen(w);
        if (n < 4)
            continue;
        for (const char *q = strstr(wb, w); q && !found; q = strstr(q + 1, w))
            found = q[-1] == ' ' && q[n] == ' ';
    }
    free(wa);
    free(wb);
    return found;
}

/* How far a folded name is from workshop w: its edit distance to the nearer of id and title,
 * or INT_MAX when it is not near at all. */
static int nearness(const cpd_workshop *w, const char *folded)
{
    char *title = fold(w->title), *id = fold(w->id);
    int dt = edit_distance(folded, title), di = edit_distance(folded, id);
    int best = dt < di ? dt : di;
    size_t len = strlen(folded);
    int limit = len / 4 > 2 ? (int)(len / 4) : 2;
    if (best > limit && !share_word(folded, title))
        best = INT_MAX;
    else if (best > limit)
        best = limit + 1 + dt; /* a shared word: after every spelling slip */
    free(title);
    free(id);
    return best;
}

/* "(did you mean 'A' or 'B'?)" or "(known: W01, W02, …)". */
static void near_misses(const cpd_inset *p, const char *name, char *buf, size_t len)
{
    char *folded = fold(name);
    int pick[NEAR_MAX], dist[NEAR_MAX], n = 0;
    for (int w = 0; w < p->nworkshops; w++) {
        int dw = nearness(&p->workshops[w], folded);
        if (dw == INT_MAX)
            continue;
        int at = n < NEAR_MAX ? n++ : NEAR_MAX;
        while (at > 0 && dist[at - 1] > dw) {
            if (at < NEAR_MAX) {
                pick[at] = pick[at - 1];
                dist[at] = dist[at - 1];
            }
            at--;
        }
        if (at < NEAR_MAX) {
            pick[at] = w;
            dist[at] = dw;
        }
    }
    free(folded);
    size_t used = (size_t)snprintf(buf, len, n ? "(did you mean " : "(known: ");
    for (int i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s'%s'",
                                 i == 0       ? ""
                                 : i == n - 1 ? " or "
                                              : ", ",
                                 p->workshops[pick[i]].title);
    for (int w = 0; n == 0 && w < p->nworkshops && w < KNOWN_MAX && used < len; w++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", w ? ", " : "", p->workshops[w].id);
    if (used < len)
        snprintf(buf + used, len - used, "%s)",
                 n                           ? "?"
                 : p->nworkshops > KNOWN_MAX ? ", …"
                 : p->nworkshops             ? ""
                                             : "none");
}

/* A workshop named by id or title (exactly, then case- and space-insensitively): its index, or
 * -1 after an error that names the near misses. */
static int workshop_ref(loader *L, const cpd_csv *t, size_t r, int c, const char *name)
{
    int w = cpd_strmap_get(L->ws_ids, name);
    if (w < 0)
        w = cpd_strmap_get(L->ws_titles, name);
    if (w < 0) {
        char *folded = fold(name);
        w = cpd_strmap_get(L->ws_loose, folded);
        free(folded);
    }
    if (w < 0 && L->workshops_ok) {
        char near[1024];
        near_misses(L->p, name, near, sizeof near);
        cpd_cell_error(L->d, t, r, c, "no workshop '%s' %s", name, near);
    }
    return w;
}

/* ---- local: scenario.json "inset" ---- */

/* An error about the value of inset.key (item: one quoted item of its list), pointing at it
 * (cJSON keeps no positions, so the text is searched). */
static void value_error(loader *L, const char *name, const char *text, const char *key,
                        const char *item, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void value_error(loader *L, const char *name, const char *text, const char *key,
                        const char *item, const char *fmt, ...)
{
    char path[64];
    snprintf(path, sizeof path, "inset%s%s", *key ? "." : "", key);
    int line, col;
    cpd_json_value_pos(text, path, item, &line, &col);
    va_list ap;
    va_start(ap, fmt);
    cpd_diags_vadd(L->d, CPD_SEV_ERROR, name, line, col, fmt, ap);
    va_end(ap);
}

static bool json_number(loader *L, const char *name, const char *text, const cJSON *v,
                        const char *key, double lo, double hi, double *out)
{
    if (cJSON_IsNumber(v) && v->valuedouble >= lo && v->valuedouble <= hi) {
        *out = v->valuedouble;
        return true;
    }
    value_error(L, name, text, key, NULL, "inset.%s must be a number from %g to %g", key, lo, hi);
    return false;
}

static void json_bool(loader *L, const char *name, const char *text, const cJSON *v,
                      const char *key, bool *out)
{
    if (cJSON_IsBool(v))
        *out = cJSON_IsTrue(v);
    else
        value_error(L, name, text, key, NULL, "inset.%s must be true or false", key);
}

/* "HH:MM" at *s, moved past it; minutes after midnight, or -1. */
static int clock_minutes(const char **s)
{
    const char *q = *s;
    if (q[0] < '0' || q[0] > '2' || q[1] < '0' || q[1] > '9' || q[2] != ':' || q[3] < '0' ||
        q[3] > '5' || q[4] < '0' || q[4] > '9')
        return -1;
    int h = (q[0] - '0') * 10 + (q[1] - '0'), m = (q[3] - '0') * 10 + (q[4] - '0');
    *s = q + 5;
    return h < 24 ? h * 60 + m : -1;
}

/* inset.date: "YYYY-MM-DD", the day of the sessions (for sessions.ics). */
static void read_date(loader *L, const char *name, const char *text, const cJSON *v)
{
    if (!cJSON_IsString(v) || !cpd_date_parse(v->valuestring, &L->p->params.date))
        value_error(L, name, text, "date", NULL, "inset.date must be a date \"YYYY-MM-DD\"%s%s%s", cJSON_IsString(v) ? " (got '" : "",
                  cJSON_IsString(v) ? v->valuestring : "", cJSON_IsString(v) ? "')" : "");
}

/* inset.times: ["09:00-10:00", ...], one per slot, each ending after it starts and no earlier
 * than the one before it ends. */
static void read_times(loader *L, const char *name, const char *text, const cJSON *v)
{
    cpd_inset_params *pr = &L->p->params;
    int n = 0;
    const cJSON *e;
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 1 || cJSON_GetArraySize(v) > MAX_SLOTS) {
        value_error(L, name, text, "times", NULL,
                    "inset.times must be a list of 1 to %d times [\"09:00-10:00\", ...]", MAX_SLOTS);
        return;
    }
    cJSON_ArrayForEach(e, v)
    {
        const char *q = cJSON_IsString(e) ? e->valuestring : "";
        int a = clock_minutes(&q), b = *q == '-' ? (q++, clock_minutes(&q)) : -1;
        if (a < 0 || b < 0 || *q) {
            value_error(L, name, text, "times", cJSON_IsString(e) ? e->valuestring : NULL,
                        "inset.times: item %d must be \"HH:MM-HH:MM\" (got '%s')", n + 1,
                        cJSON_IsString(e) ? e->valuestring : "not text");
            return;
        }
        if (b <= a || (n > 0 && a < pr->slot_end[n - 1])) {
            value_error(L, name, text, "times", e->valuestring, "inset.times: slot %d (%s) %s", n + 1,
                        e->valuestring,
                        b <= a ? "ends before it starts" : "starts before the slot before it ends");
            return;
        }
        pr->slot_start[n] = a;
        pr->slot_end[n++] = b;
    }
    pr->ntimes = n;
}

/* inset.times, when given, times every slot of the day: checked once the day's length is known. */
static void check_times(loader *L)
{
    const cpd_inset_params *pr = &L->p->params;
    if (pr->ntimes > 0 && pr->ntimes != pr->nslots) {
        cpd_io_settings S;
        cpd_io_settings_read(&S, L->dir);
        value_error(L, S.path, S.text, "times", NULL, "inset.times gives %d time%s for a day of %d slots",
                    pr->ntimes, pr->ntimes == 1 ? "" : "s", pr->nslots);
        cpd_io_settings_clear(&S);
    }
}

static void read_inset_key(loader *L, const char *name, const char *text, const cJSON *v)
{
    cpd_inset_params *pr = &L->p->params;
    const char *k = v->string;
    double x;
    if (strcmp(k, "slots") == 0) {
        /* x is set only when in range (an out-of-range double must not reach an int cast) */
        if (!json_number(L, name, text, v, k, 1, MAX_SLOTS, &x)) {
        } else if (x == (int)x) {
            pr->nslots = (int)x;
            L->slots_set = true;
        } else {
            value_error(L, name, text, k, NULL, "inset.slots must be a whole number");
        }
    } else if (strcmp(k, "rank_power") == 0) {
        json_number(L, name, text, v, k, 0, 10, &pr->rank_power);
    } else if (strcmp(k, "outside_value") == 0) {
        json_number(L, name, text, v, k, -1e6, 1e6, &pr->outside_value);
    } else if (strcmp(k, "fairness") == 0) {
        json_bool(L, name, text, v, k, &pr->fairness);
    } else if (strcmp(k, "strict") == 0) {
        json_bool(L, name, text, v, k, &pr->strict);
    } else if (strcmp(k, "date") == 0) {
        read_date(L, name, text, v);
    } else if (strcmp(k, "times") == 0) {
        read_times(L, name, text, v);
    } else {
        char path[64];
        int line, col;
        snprintf(path, sizeof path, "inset.%s", k);
        cpd_json_key_pos(text, path, &line, &col);
        cpd_warn(L->d, name, line, col, "unknown key '%s' ignored", path);
    }
}

/* The common loader has read the file already (syntax, solver, name); this reads "inset". */
static void load_inset_settings(loader *L)
{
    cpd_io_settings S;
    cpd_io_settings_read(&S, L->dir);
    const cJSON *inset = cJSON_GetObjectItemCaseSensitive(S.root, "inset");
    if (inset && !cJSON_IsObject(inset))
        value_error(L, S.path, S.text, "", NULL, "inset must be an object");
    for (const cJSON *v = cJSON_IsObject(inset) ? inset->child : NULL; v; v = v->next)
        read_inset_key(L, S.path, S.text, v);
    /* "solver" was read (and checked) by the common loader; only keys given there replace the
     * inset job's own defaults. */
    cpd_io_take_solver(S.root, L->p->common, &L->p->params.time_limit, &L->p->params.gap);
    cpd_io_settings_clear(&S);
}

/* ---- local: workshops.csv ---- */

enum { W_ID, W_TITLE, W_CAP, W_MIN, W_SLOTS, W_FAC, W_AUD, W_MAND, W_LEN, W_NCOLS };

/* The highest slot named in the slots column: the day's length when scenario.json says none. */
static int highest_slot(const cpd_csv *t, int c)
{
    int best = 0;
    for (size_t r = 0; c >= 0 && r < cpd_csv_nrows(t); r++) {
        cpd_strlist l = {0};
        cpd_csv_list(t, r, c, true, &l);
        for (int i = 0; i < l.n; i++) {
            long v;
            if (cpd_parse_long(l.items[i], &v) && v > best && v <= MAX_SLOTS)
                best = (int)v;
        }
        cpd_strlist_clear(&l);
    }
    return best;
}

static int capacity_cell(loader *L, const cpd_csv *t, size_t r, int c)
{
    const char *v = cpd_io_cell(t, r, c);
    long n;
    if (cpd_parse_long(v, &n) && n >= 1 && n <= MAX_CAPACITY)
        return (int)n;
    cpd_cell_error(L->d, t, r, c, "capacity must be a positive whole number, at most %d (got '%s')",
                   MAX_CAPACITY, v);
    return 0;
}

/* The slots a run starts in: the cell's list, "none" (not running this time), or by default
 * every slot where a run of the workshop's length fits in the day. */
static unsigned starts_cell(loader *L, const cpd_csv *t, size_t r, int c, int length)
{
    int nslots = L->p->params.nslots;
    unsigned bits = 0;
    cpd_strlist l = {0};
    if (c >= 0)
        cpd_csv_list(t, r, c, true, &l);
    if (l.n == 1 && strcmp(l.items[0], "none") == 0) {
        cpd_strlist_clear(&l);
        return 0;
    }
    for (int s = 1; l.n == 0 && s + length - 1 <= nslots; s++)
        bits |= 1u << (s - 1);
    for (int i = 0; i < l.n; i++) {
        long s;
        if (!cpd_parse_long(l.items[i], &s))
            cpd_cell_error(L->d, t, r, c, "slots must be slot numbers separated by ';' (got '%s')",
                           l.items[i]);
        else if (s < 1 || s > nslots)
            cpd_cell_error(L->d, t, r, c, "slot %ld is outside the day (slots 1 to %d)", s, nslots);
        else if (s + length - 1 > nslots)
            cpd_cell_error(L->d, t, r, c,
                           "a run of %d slots starting in slot %ld runs past the last slot (%d)",
                           length, s, nslots);
        else
            bits |= 1u << (s - 1);
    }
    cpd_strlist_clear(&l);
    return bits;
}

static void facilitators_cell(loader *L, const cpd_csv *t, size_t r, int c, cpd_workshop *w)
{
    cpd_strlist l = {0};
    if (c >= 0)
        cpd_csv_list(t, r, c, false, &l);
    w->facilitators = cpd_xcalloc((size_t)l.n + 1, sizeof(int));
    for (int i = 0; i < l.n; i++) {
        int s = cpd_strmap_get(L->staff_ids, l.items[i]);
        bool dup = false;
        for (int k = 0; k < w->nfacilitators; k++)
            dup |= w->facilitators[k] == s;
        if (s < 0)
            cpd_cell_error(L->d, t, r, c, "facilitator '%s' is not staff (not in staff.csv)",
                           l.items[i]);
        else if (dup)
            cpd_cell_warn(L->d, t, r, c, "facilitator '%s' listed twice; once is enough",
                          l.items[i]);
        else
            w->facilitators[w->nfacilitators++] = s;
    }
    cpd_strlist_clear(&l);
}

static void register_workshop(loader *L, const cpd_csv *t, size_t r, const int *c, int w)
{
    const cpd_workshop *ws = &L->p->workshops[w];
    cpd_strmap_put(L->ws_ids, ws->id, w);
    int prev = cpd_strmap_put(L->ws_titles, ws->title, w);
    if (prev >= 0) {
        cpd_strmap_put(L->ws_titles, ws->title, prev); /* the first keeps the title */
        cpd_cell_warn(L->d, t, r, c[W_TITLE],
                      "title '%s' is also workshop %s's; a choice naming it by title "
                      "means %s",
                      ws->title, L->p->workshops[prev].id, L->p->workshops[prev].id);
    }
    char *fi = fold(ws->id), *ft = fold(ws->title);
    if (cpd_strmap_get(L->ws_loose, fi) < 0)
        cpd_strmap_put(L->ws_loose, fi, w);
    if (cpd_strmap_get(L->ws_loose, ft) < 0)
        cpd_strmap_put(L->ws_loose, ft, w);
    free(fi);
    free(ft);
}

static void read_workshop_row(loader *L, const cpd_csv *t, size_t r, const int *c)
{
    const char *id = cpd_io_cell(t, r, c[W_ID]), *title = cpd_io_cell(t, r, c[W_TITLE]);
    if (!*id) {
        cpd_cell_error(L->d, t, r, c[W_ID], "workshop id is empty");
        return;
    }
    int prev = cpd_strmap_get(L->ws_ids, id);
    if (prev >= 0) {
        cpd_cell_error(L->d, t, r, c[W_ID], "duplicate workshop id '%s' (first on line %d)", id,
                       L->p->workshops[prev].line);
        return;
    }
    if (!*title) {
        cpd_cell_warn(L->d, t, r, c[W_TITLE], "title is empty; the id '%s' is used", id);
        title = id;
    }
    int nslots = L->p->params.nslots;
    cpd_workshop w = {.id = (char *)id, .title = (char *)title, .line = cpd_csv_line(t, r)};
    w.capacity = capacity_cell(L, t, r, c[W_CAP]);
    w.length = cpd_io_int_cell(t, r, c[W_LEN], "length", 1, nslots, 1, L->d);
    w.min_size = cpd_io_int_cell(t, r, c[W_MIN], "min_size", 0, MAX_CAPACITY, 0, L->d);
    if (w.capacity > 0 && w.min_size > w.capacity)
        cpd_cell_error(L->d, t, r, c[W_MIN], "min_size %d is more than the capacity %d", w.min_size,
                       w.capacity);
    w.starts = starts_cell(L, t, r, c[W_SLOTS], w.length < 1 ? 1 : w.length);
    facilitators_cell(L, t, r, c[W_FAC], &w);
    if (c[W_AUD] >= 0)
        cpd_csv_list(t, r, c[W_AUD], true, &w.audience);
    if (c[W_MAND] >= 0)
        cpd_csv_list(t, r, c[W_MAND], true, &w.mandatory_for);
    register_workshop(L, t, r, c, cpd_inset_add_workshop(L->p, &w));
}

static void load_workshops(loader *L)
{
    static const cpd_csv_colspec spec[W_NCOLS] = {
        {"id", true},        {"title", true},          {"capacity", true},
        {"min_size", false}, {"slots", false},         {"facilitators", false},
        {"audience", false}, {"mandatory_for", false}, {"length", false}};
    int c[W_NCOLS];
    cpd_csv *t = cpd_io_open_table(L->dir, "workshops.csv", false, spec, W_NCOLS, c, L->d);
    if (!t)
        return;
    if (!L->slots_set) {
        int high = highest_slot(t, c[W_SLOTS]);
        if (high > 0)
            L->p->params.nslots = high;
    }
    for (size_t r = 0; r < cpd_csv_nrows(t); r++)
        read_workshop_row(L, t, r, c);
    if (cpd_csv_nrows(t) == 0)
        cpd_error(L->d, cpd_csv_name(t), 0, 0,
                  "no workshops: give one row per workshop (id, title, capacity)");
    L->workshops_ok = true;
    cpd_csv_free(&t);
}

/* ---- local: preferences.csv ---- */

static bool word_in(const char *w, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(w, *set) == 0)
            return true;
    return false;
}

/* The words of a header: runs of letters or of digits, lower-cased ("1st Choice" is "1", "st",
 * "choice"). Returns how many were written into words (each at most 31 bytes). */
static int header_words(const char *h, char words[][32], int max)
{
    int n = 0;
    while (*h && n < max) {
        unsigned char c = (unsigned char)*h;
        bool digit = c >= '0' && c <= '9';
        bool alpha = (c | 32) >= 'a' && (c | 32) <= 'z';
        if (!digit && !alpha) {
            h++;
            continue;
        }
        int k = 0;
        for (; *h; h++) {
            unsigned char x = (unsigned char)*h;
            bool xd = x >= '0' && x <= '9', xa = (x | 32) >= 'a' && (x | 32) <= 'z';
            if ((digit && !xd) || (!digit && !xa))
                break;
            if (k < 31)
                words[n][k++] = (char)(xa ? (x | 32) : x);
        }
        words[n++][k] = '\0';
    }
    return n;
}

/* The rank a wide header names: "choice1", "Choice 2", "1st choice", "First choice",
 * "Preference 3", "Workshop choices [2nd choice]"; 0 when it names none. */
static int choice_rank(const char *header)
{
    static const char *const choice[] = {"choice", "choices", "preference", "preferences",
                                         "pref",   "option",  NULL};
    static const char *const filler[] = {
        "workshop", "workshops", "session", "your", "my",       "of",    "the",
        "no",       "number",    "nr",      "for",  "training", "inset", "day",
        "st",       "nd",        "rd",      "th",   "ranked",   "rank",  NULL};
    static const char *const ordinal[] = {"first",   "second", "third", "fourth", "fifth", "sixth",
                                          "seventh", "eighth", "ninth", "tenth",  NULL};
    char words[12][32];
    int n = header_words(header, words, 12), rank = 0, ranks = 0;
    bool has_choice = false;
    for (int i = 0; i < n; i++) {
        long v;
        if (word_in(words[i], choice)) {
            has_choice = true;
        } else if (cpd_parse_long(words[i], &v) && v >= 1 && v <= MAX_RANK) {
            rank = (int)v;
            ranks++;
        } else if (!word_in(words[i], filler)) {
            int k = 0;
            while (ordinal[k] && strcmp(ordinal[k], words[i]) != 0)
                k++;
            if (!ordinal[k])
                return 0;
            rank = k + 1;
            ranks++;
        }
    }
    return has_choice && ranks == 1 ? rank : 0;
}

static bool is_staff_header(const char *h)
{
    static const char *const names[] = {"staff",    "staff id",   "staff_id",
                                        "staffid",  "staff code", "staff number",
                                        "staff no", "staff_code", NULL};
    char *f = fold(h);
    bool yes = word_in(f, names);
    free(f);
    return yes;
}

/* Columns a form tool adds (Google Forms, Microsoft Forms, Typeform ...): ignored quietly. */
static bool is_form_header(const char *h)
{
    static const char *const names[] = {"timestamp",
                                        "email",
                                        "email address",
                                        "e mail",
                                        "name",
                                        "full name",
                                        "first name",
                                        "last name",
                                        "surname",
                                        "id",
                                        "start time",
                                        "completion time",
                                        "last modified time",
                                        "submitted at",
                                        "submission id",
                                        "response id",
                                        "date",
                                        "time",
                                        "school",
                                        "role",
                                        "department",
                                        "comments",
                                        "notes",
                                        "username",
                                        "network id",
                                        "token",
                                        NULL};
    char *f = fold(h);
    bool yes = word_in(f, names);
    free(f);
    return yes;
}

/* Adds workshop w to a person's list unless it cannot count: named twice, not running, or not
 * open to the person's role (each a warning). */
static void add_choice(loader *L, const cpd_csv *t, size_t r, int c, int staff, pending *pd, int w,
                       int rank)
{
    const cpd_workshop *ws = &L->p->workshops[w];
    const cpd_staff *st = &L->p->common->staff[staff];
    for (int k = 0; k < pd->n; k++) {
        if (pd->choices[k] == w) {
            cpd_cell_warn(L->d, t, r, c,
                          "'%s' is chosen again (choice %d); the later one is ignored", ws->title,
                          rank);
            return;
        }
    }
    if (ws->starts == 0) {
        cpd_cell_warn(L->d, t, r, c, "'%s' does not run this day; choice ignored", ws->title);
        return;
    }
    if (ws->audience.n > 0 && !cpd_strlist_has(&ws->audience, st->role)) {
        cpd_cell_warn(L->d, t, r, c, "%s (%s) may not attend '%s' (open to: %s%s); choice ignored",
                      st->id, st->role, ws->title, ws->audience.items[0],
                      ws->audience.n > 1 ? ", …" : "");
        return;
    }
    pd->choices[pd->n++] = w;
}

/* Keeps a row's list for the person; a second submission replaces the first, with a warning. */
static void keep_row(loader *L, const cpd_csv *t, size_t r, int c, pending *all, int staff,
                     pending *pd)
{
    pending *old = &all[staff];
    if (old->line > 0) {
        cpd_cell_warn(L->d, t, r, c, "%s submitted twice (lines %d and %d); the later row is used",
                      L->p->common->staff[staff].id, old->line, pd->line);
        free(old->choices);
    }
    *old = *pd;
}

typedef struct {
    int staff;
    int *col; /* choice columns, in rank order */
    int *rank;
    int n;
} wide_cols;

/* Sorts the header into staff, choice and ignored columns. False on a header that cannot be
 * read (no staff column, one rank in two columns). */
static bool bind_wide(loader *L, const cpd_csv *t, wide_cols *wc)
{
    int ncols = cpd_csv_ncols(t);
    wc->staff = -1;
    wc->col = cpd_xcalloc((size_t)ncols + 1, sizeof(int));
    wc->rank = cpd_xcalloc((size_t)ncols + 1, sizeof(int));
    bool ok = true;
    for (int c = 0; c < ncols; c++) {
        const char *h = cpd_csv_header(t, c);
        int rank = choice_rank(h);
        if (is_staff_header(h) && wc->staff < 0) {
            wc->staff = c;
        } else if (rank > 0) {
            int at = wc->n++;
            for (; at > 0 && wc->rank[at - 1] > rank; at--) {
                wc->rank[at] = wc->rank[at - 1];
                wc->col[at] = wc->col[at - 1];
            }
            if (at > 0 && wc->rank[at - 1] == rank) {
                cpd_error(L->d, cpd_csv_name(t), 1, c + 1,
                          "choice %d is given by two columns "
                          "('%s' and '%s')",
                          rank, cpd_csv_header(t, wc->col[at - 1]), h);
                ok = false;
            }
            wc->rank[at] = rank;
            wc->col[at] = c;
        } else if (!is_form_header(h)) {
            cpd_warn(L->d, cpd_csv_name(t), 1, c + 1, "unknown column '%s' ignored", h);
        }
    }
    if (wc->staff < 0) {
        cpd_error(L->d, cpd_csv_name(t), 1, 0,
                  "missing column 'staff' (the staff id of the "
                  "person who chose)");
        ok = false;
    }
    if (wc->n == 0) {
        cpd_error(L->d, cpd_csv_name(t), 1, 0,
                  "no choice columns: name them choice1, choice2, "
                  "… (or '1st choice', …), or give the long form staff, rank, workshop");
        ok = false;
    }
    return ok;
}

static void read_wide(loader *L, const cpd_csv *t, pending *all)
{
    wide_cols wc = {0};
    if (bind_wide(L, t, &wc)) {
        for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
            int staff = staff_ref(L, t, r, wc.staff, "staff");
            pending pd = {cpd_xcalloc((size_t)wc.n + 1, sizeof(int)), 0, cpd_csv_line(t, r)};
            for (int k = 0; k < wc.n; k++) {
                const char *name = cpd_io_cell(t, r, wc.col[k]);
                int w = *name ? workshop_ref(L, t, r, wc.col[k], name) : -1;
                if (w >= 0 && staff >= 0)
                    add_choice(L, t, r, wc.col[k], staff, &pd, w, wc.rank[k]);
            }
            if (staff >= 0)
                keep_row(L, t, r, wc.staff, all, staff, &pd);
            else
                free(pd.choices);
        }
    }
    free(wc.col);
    free(wc.rank);
}

/* Long form: one row per (staff, rank, workshop). Rows of one person are gathered by rank; the
 * same rank given twice keeps the later (a warning). */
static void read_long(loader *L, const cpd_csv *t, pending *all)
{
    static const cpd_csv_colspec spec[] = {{"staff", true}, {"rank", true}, {"workshop", true}};
    int c[3];
    if (!cpd_csv_bind(t, spec, 3, c, L->d))
        return;
    int nstaff = L->p->common->nstaff;
    int *by_rank = cpd_xmalloc((size_t)nstaff * (MAX_RANK + 1) * sizeof(int));
    int *row_of = cpd_xcalloc((size_t)nstaff * (MAX_RANK + 1), sizeof(int));
    for (size_t i = 0; i < (size_t)nstaff * (MAX_RANK + 1); i++)
        by_rank[i] = -1;
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        int staff = staff_ref(L, t, r, c[0], "staff");
        long rank = 0;
        bool rank_ok = cpd_csv_int(t, r, c[1], "rank", 1, MAX_RANK, &rank, L->d);
        const char *name = cpd_io_cell(t, r, c[2]);
        int w = *name ? workshop_ref(L, t, r, c[2], name) : -1;
        if (!*name)
            cpd_cell_error(L->d, t, r, c[2], "workshop is empty");
        if (staff < 0 || !rank_ok || w < 0)
            continue;
        size_t k = (size_t)staff * (MAX_RANK + 1) + (size_t)rank;
        if (row_of[k])
            cpd_cell_warn(L->d, t, r, c[1],
                          "%s's choice %ld given again (line %d); the later is used",
                          L->p->common->staff[staff].id, rank, cpd_csv_line(t, row_of[k] - 1));
        by_rank[k] = w;
        row_of[k] = (int)r + 1;
    }
    for (int s = 0; s < nstaff; s++) {
        pending pd = {cpd_xcalloc(MAX_RANK + 1, sizeof(int)), 0, 0};
        for (int rank = 1; rank <= MAX_RANK; rank++) {
            size_t k = (size_t)s * (MAX_RANK + 1) + (size_t)rank;
            if (by_rank[k] < 0)
                continue;
            size_t r = (size_t)row_of[k] - 1;
            if (!pd.line)
                pd.line = cpd_csv_line(t, r);
            add_choice(L, t, r, c[2], s, &pd, by_rank[k], rank);
        }
        if (pd.line)
            all[s] = pd;
        else
            free(pd.choices);
    }
    free(by_rank);
    free(row_of);
}

static void load_preferences(loader *L)
{
    cpd_csv *t = cpd_io_read_table(L->dir, "preferences.csv", true, L->d);
    if (!t)
        return;
    int nstaff = L->p->common->nstaff;
    pending *all = cpd_xcalloc((size_t)nstaff + 1, sizeof *all);
    if (cpd_csv_col(t, "rank") >= 0 && cpd_csv_col(t, "workshop") >= 0)
        read_long(L, t, all);
    else
        read_wide(L, t, all);
    for (int s = 0; s < nstaff; s++) {
        if (all[s].n > 0) {
            cpd_preference pr = {s, all[s].choices, all[s].n, all[s].line};
            cpd_inset_add_preference(L->p, &pr); /* takes the array */
        } else {
            free(all[s].choices);
        }
    }
    free(all);
    cpd_csv_free(&t);
}

/* ---- local: pins.csv ---- */

static void load_pins(loader *L)
{
    static const cpd_csv_colspec spec[] = {
        {"staff", true}, {"workshop", true}, {"slot", false}, {"rule", true}};
    int c[4];
    cpd_csv *t = cpd_io_open_table(L->dir, "pins.csv", true, spec, 4, c, L->d);
    if (!t)
        return;
    cpd_strmap *seen = cpd_strmap_new();
    for (size_t r = 0; r < cpd_csv_nrows(t); r++) {
        int staff = staff_ref(L, t, r, c[0], "staff");
        const char *name = cpd_io_cell(t, r, c[1]);
        int w = *name ? workshop_ref(L, t, r, c[1], name) : -1;
        if (!*name)
            cpd_cell_error(L->d, t, r, c[1], "workshop is empty");
        long slot = 0;
        const char *sv = cpd_io_cell(t, r, c[2]);
        bool slot_ok = true;
        if (*sv && (!cpd_parse_long(sv, &slot) || slot < 1 || slot > L->p->params.nslots)) {
            cpd_cell_error(L->d, t, r, c[2], "slot %s is outside the day (slots 1 to %d)", sv,
                           L->p->params.nslots);
            slot_ok = false;
        }
        const char *rule = cpd_io_cell(t, r, c[3]);
        bool must = strcasecmp(rule, "must") == 0;
        if (!must && strcasecmp(rule, "never") != 0) {
            cpd_cell_error(L->d, t, r, c[3], "rule must be must or never (got '%s')", rule);
            continue;
        }
        if (staff < 0 || w < 0 || !slot_ok)
            continue;
        char key[64];
        snprintf(key, sizeof key, "%d %d %ld %d", staff, w, slot, must);
        int first = cpd_strmap_put(seen, key, cpd_csv_line(t, r));
        if (first >= 0) {
            cpd_strmap_put(seen, key, first);
            cpd_cell_warn(L->d, t, r, c[0], "the same pin as line %d; ignored", first);
            continue;
        }
        cpd_inset_pin pin = {staff, w, (int)slot, must, cpd_csv_line(t, r)};
        cpd_inset_add_pin(L->p, &pin);
    }
    cpd_strmap_free(&seen);
    cpd_csv_free(&t);
}

/* ---- local: writing a day back ---- */

static void workshop_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_inset *p = ctx;
    for (int i = 0; i < p->nworkshops; i++) {
        const cpd_workshop *ws = &p->workshops[i];
        cpd_csvw_str(w, ws->id);
        cpd_csvw_str(w, ws->title);
        cpd_csvw_int(w, ws->capacity);
        cpd_csvw_int(w, ws->min_size);
        cpd_strlist l = {0};
        char num[16];
        for (int s = 1; s <= p->params.nslots; s++) {
            snprintf(num, sizeof num, "%d", s);
            if (ws->starts & (1u << (s - 1)))
                cpd_strlist_add(&l, num);
        }
        if (l.n == 0)
            cpd_strlist_add(&l, "none");
        cpd_csvw_list(w, &l);
        cpd_strlist_clear(&l);
        for (int k = 0; k < ws->nfacilitators; k++)
            cpd_strlist_add(&l, p->common->staff[ws->facilitators[k]].id);
        cpd_csvw_list(w, &l);
        cpd_strlist_clear(&l);
        cpd_csvw_list(w, &ws->audience);
        cpd_csvw_list(w, &ws->mandatory_for);
        cpd_csvw_int(w, ws->length);
        cpd_csvw_end_row(w);
    }
}

static void preference_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_inset *p = ctx;
    int most = 0;
    for (int i = 0; i < p->nprefs; i++)
        most = p->prefs[i].nchoices > most ? p->prefs[i].nchoices : most;
    for (int i = 0; i < p->nprefs; i++) {
        cpd_csvw_str(w, p->common->staff[p->prefs[i].staff].id);
        for (int k = 0; k < most; k++)
            cpd_csvw_str(w,
                         k < p->prefs[i].nchoices ? p->workshops[p->prefs[i].choices[k]].id : "");
        cpd_csvw_end_row(w);
    }
}

static void pin_rows(cpd_csvw *w, const void *ctx)
{
    const cpd_inset *p = ctx;
    for (int i = 0; i < p->npins; i++) {
        cpd_csvw_str(w, p->common->staff[p->pins[i].staff].id);
        cpd_csvw_str(w, p->workshops[p->pins[i].workshop].id);
        if (p->pins[i].slot > 0)
            cpd_csvw_int(w, p->pins[i].slot);
        else
            cpd_csvw_str(w, "");
        cpd_csvw_str(w, p->pins[i].must ? "must" : "never");
        cpd_csvw_end_row(w);
    }
}

static bool save_preferences(cpd_outset *o, const cpd_inset *p, cpd_diags *d)
{
    int most = 1;
    for (int i = 0; i < p->nprefs; i++)
        most = p->prefs[i].nchoices > most ? p->prefs[i].nchoices : most;
    const char **header = cpd_xcalloc((size_t)most + 2, sizeof *header);
    char(*names)[24] = cpd_xcalloc((size_t)most, sizeof *names);
    header[0] = "staff";
    for (int k = 0; k < most; k++) {
        snprintf(names[k], sizeof names[k], "choice%d", k + 1);
        header[k + 1] = names[k];
    }
    bool ok = cpd_outset_csv(o, "preferences.csv", header, preference_rows, p, d);
    free(header);
    free(names);
    return ok;
}

/* inset.date and inset.times, when the day has them. */
static void add_when(cJSON *in, const cpd_inset_params *pr)
{
    char buf[64];
    if (pr->date >= 0) {
        cpd_date_format(pr->date, buf, sizeof buf);
        cJSON_AddStringToObject(in, "date", buf);
    }
    cJSON *times = pr->ntimes > 0 ? cJSON_AddArrayToObject(in, "times") : NULL;
    for (int i = 0; i < pr->ntimes; i++) {
        snprintf(buf, sizeof buf, "%02d:%02d-%02d:%02d", pr->slot_start[i] / 60,
                 pr->slot_start[i] % 60, pr->slot_end[i] / 60, pr->slot_end[i] % 60);
        cJSON_AddItemToArray(times, cJSON_CreateString(buf));
    }
}

static cJSON *settings_object(const cpd_inset *p)
{
    cJSON *j = cpd_json_scenario_object(p->common);
    const cpd_inset_params *pr = &p->params;
    cpd_json_set_solver(j, pr->time_limit, pr->gap);
    cJSON *in = cJSON_AddObjectToObject(j, "inset");
    cJSON_AddNumberToObject(in, "slots", pr->nslots);
    cJSON_AddNumberToObject(in, "rank_power", pr->rank_power);
    cJSON_AddNumberToObject(in, "outside_value", pr->outside_value);
    cJSON_AddBoolToObject(in, "fairness", pr->fairness);
    cJSON_AddBoolToObject(in, "strict", pr->strict);
    add_when(in, pr);
    return j;
}

/* ---- interface ---- */

cpd_inset *cpd_load_inset(const char *dir, cpd_diags *d)
{
    size_t errors = cpd_diags_errors(d);
    cpd_scenario *common = cpd_load_common(dir, d);
    if (!common)
        return NULL;
    loader L = {.dir = dir,
                .d = d,
                .staff_ids = cpd_strmap_new(),
                .ws_ids = cpd_strmap_new(),
                .ws_titles = cpd_strmap_new(),
                .ws_loose = cpd_strmap_new()};
    for (int i = 0; i < common->nstaff; i++)
        cpd_strmap_put(L.staff_ids, common->staff[i].id, i);
    L.p = cpd_inset_new(&common);
    load_inset_settings(&L);
    load_workshops(&L);
    check_times(&L);
    load_preferences(&L);
    load_pins(&L);
    cpd_strmap_free(&L.staff_ids);
    cpd_strmap_free(&L.ws_ids);
    cpd_strmap_free(&L.ws_titles);
    cpd_strmap_free(&L.ws_loose);
    if (cpd_diags_errors(d) > errors)
        cpd_inset_free(&L.p);
    return L.p;
}

bool cpd_save_inset(const char *dir, const cpd_inset *p, cpd_diags *d)
{
    static const char *const ws_h[] = {
        "id",           "title",    "capacity",      "min_size", "slots",
        "facilitators", "audience", "mandatory_for", "length",   NULL};
    static const char *const pins_h[] = {"staff", "workshop", "slot", "rule", NULL};
    cpd_outset *o = cpd_outset_new(dir, d);
    if (!o)
        return false;
    cJSON *settings = settings_object(p);
    bool ok = cpd_save_common(o, p->common, 0, d) &&
              cpd_outset_csv(o, "workshops.csv", ws_h, workshop_rows, p, d) &&
              save_preferences(o, p, d) && cpd_outset_csv(o, "pins.csv", pins_h, pin_rows, p, d) &&
              cpd_json_save(o, "scenario.json", settings, d);
    cJSON_Delete(settings);
    return cpd_outset_finish(&o, ok, d);
}
