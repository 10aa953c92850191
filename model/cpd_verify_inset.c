/* cpd_verify_inset.c — re-checks an inset plan against the day with rules derived here from the
 * inputs alone (workshops, preferences, pins, roles); nothing of the formulation or heuristic is
 * called, so a wrong model cannot vouch for its own plan. */
#include "cpd_verify.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define PLACES_FILE "allocation.csv"
#define RUNS_FILE "rosters.csv"
#define UNMET_FILE "unmet.csv"

typedef struct {
    const cpd_inset *p;
    const cpd_inset_plan *pl;
    cpd_diags *d;
    int breaches;
    int nstaff, nslots;
    unsigned *attend; /* nstaff x nworkshops: slots the person attends the workshop in */
    int *count;       /* nworkshops x nslots: people in the run starting in that slot */
    int *run_of;      /* nworkshops x nslots: index in pl->runs of that run, -1 none */
    bool *unmet_slot; /* nstaff x (nslots + 1): an unmet row names the person and slot */
    int *pref_of;     /* nstaff: index in p->prefs, -1 none */
} vctx;

static void breach(vctx *v, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void breach(vctx *v, const char *file, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cpd_diags_vadd(v->d, CPD_SEV_ERROR, file, 0, 0, fmt, ap);
    va_end(ap);
    v->breaches++;
}

static const char *sid(const vctx *v, int t) { return v->p->common->staff[t].id; }
static const char *wid(const vctx *v, int w) { return v->p->workshops[w].id; }

static const cpd_inset_place *place(const vctx *v, int t, int s)
{
    return &v->pl->places[(size_t)t * (size_t)v->nslots + (size_t)(s - 1)];
}

/* The slots a run of w starting in slot st covers, as a bit set. */
static unsigned run_mask(const cpd_workshop *w, int st)
{
    unsigned len = w->length < 1 ? 1u : (unsigned)w->length;
    return (len >= 32 ? ~0u : (1u << len) - 1u) << (st - 1);
}

static bool offered(const vctx *v, int w, int st)
{
    return st >= 1 && st <= v->nslots && (v->p->workshops[w].starts & (1u << (st - 1))) &&
           st + v->p->workshops[w].length - 1 <= v->nslots;
}

/* Some offered run of w covers slot s. */
static bool runs_in(const vctx *v, int w, int s)
{
    for (int st = 1; st <= s; st++)
        if (offered(v, w, st) && (run_mask(&v->p->workshops[w], st) & (1u << (s - 1))))
            return true;
    return false;
}

static int lowest_slot(unsigned mask)
{
    int s = 1;
    while (mask && !(mask & 1u)) {
        mask >>= 1;
        s++;
    }
    return s;
}

static int bits(unsigned m)
{
    int n = 0;
    for (; m; m &= m - 1)
        n++;
    return n;
}

/* "1, 3" for the slots of a bit set. */
static void slot_list(unsigned mask, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (int s = 1; s <= 32 && at < len; s++)
        if (mask & (1u << (s - 1)))
            at += (size_t)snprintf(buf + at, len - at, "%s%d", at ? " and " : "", s);
}

/* ---- local: the shape of the plan and each place ---- */

static bool check_shape(vctx *v)
{
    const cpd_inset_plan *pl = v->pl;
    if (pl->nplaces != v->nstaff * v->nslots || (!pl->places && pl->nplaces > 0)) {
        breach(v, PLACES_FILE, "the plan has %d places; %d staff over %d slots need %d",
               pl->nplaces, v->nstaff, v->nslots, v->nstaff * v->nslots);
        return false;
    }
    bool ok = true;
    for (int t = 0; t < v->nstaff; t++) {
        for (int s = 1; s <= v->nslots; s++) {
            const cpd_inset_place *q = place(v, t, s);
            if (q->staff != t || q->slot != s || q->workshop < -1 ||
                q->workshop >= v->p->nworkshops) {
                breach(v, PLACES_FILE,
                       "the place of %s in slot %d is out of order or names no "
                       "workshop",
                       sid(v, t), s);
                ok = false;
            }
        }
    }
    return ok;
}

static void check_unmet_rows(vctx *v)
{
    for (int i = 0; i < v->pl->nunmet; i++) {
        const cpd_inset_unmet *u = &v->pl->unmet[i];
        if (u->staff < 0 || u->staff >= v->nstaff || u->slot < 0 || u->slot > v->nslots ||
            u->workshop < -1 || u->workshop >= v->p->nworkshops) {
            breach(v, UNMET_FILE, "unmet row %d names nobody, no slot of the day or no workshop",
                   i + 1);
            continue;
        }
        if (!u->reason || !*u->reason)
            breach(v, UNMET_FILE, "%s has an unmet row with no reason", sid(v, u->staff));
        v->unmet_slot[(size_t)u->staff * (size_t)(v->nslots + 1) + (size_t)u->slot] = true;
    }
}

/* Everyone has one thing in every slot: a place, delivering, or a row in unmet.csv. */
static void check_one_per_slot(vctx *v)
{
    for (int t = 0; t < v->nstaff; t++)
        for (int s = 1; s <= v->nslots; s++)
            if (place(v, t, s)->workshop < 0 &&
                !v->unmet_slot[(size_t)t * (size_t)(v->nslots + 1) + (size_t)s])
                breach(v, PLACES_FILE, "%s has nothing in slot %d and is not listed in %s",
                       sid(v, t), s, UNMET_FILE);
}

static bool facilitates(const cpd_workshop *w, int t)
{
    for (int k = 0; k < w->nfacilitators; k++)
        if (w->facilitators[k] == t)
            return true;
    return false;
}

/* A delivering place is by one of the workshop's facilitators, in a slot it runs in, with no
 * rank. Attending places are gathered per person and workshop. */
static void gather(vctx *v)
{
    for (int t = 0; t < v->nstaff; t++) {
        for (int s = 1; s <= v->nslots; s++) {
            const cpd_inset_place *q = place(v, t, s);
            if (q->workshop < 0)
                continue;
            const cpd_workshop *w = &v->p->workshops[q->workshop];
            if (!q->facilitating) {
                v->attend[(size_t)t * (size_t)v->p->nworkshops + (size_t)q->workshop] |= 1u
                                                                                         << (s - 1);
                continue;
            }
            if (!facilitates(w, t))
                breach(v, PLACES_FILE,
                       "%s is shown delivering %s in slot %d but is not one of "
                       "its facilitators",
                       sid(v, t), w->id, s);
            else if (!runs_in(v, q->workshop, s))
                breach(v, PLACES_FILE,
                       "%s is shown delivering %s in slot %d, when %s does not "
                       "run",
                       sid(v, t), w->id, s, w->id);
            if (q->rank != 0)
                breach(v, PLACES_FILE, "%s delivers %s in slot %d but is given rank %d", sid(v, t),
                       w->id, s, q->rank);
        }
    }
}

/* ---- local: attending ---- */

/* The rank the preferences give w for t: 1 for the first choice; 0 when not a choice. */
static int rank_of(const vctx *v, int t, int w)
{
    if (v->pref_of[t] < 0)
        return 0;
    const cpd_preference *pr = &v->p->prefs[v->pref_of[t]];
    for (int k = 0; k < pr->nchoices; k++)
        if (pr->choices[k] == w)
            return k + 1;
    return 0;
}

static void check_place_marks(vctx *v, int t, int w, unsigned mask)
{
    const cpd_staff *st = &v->p->common->staff[t];
    const cpd_workshop *ws = &v->p->workshops[w];
    int want = rank_of(v, t, w);
    bool mand = cpd_strlist_has(&ws->mandatory_for, st->role);
    for (int s = 1; s <= v->nslots; s++) {
        if (!(mask & (1u << (s - 1))))
            continue;
        const cpd_inset_place *q = place(v, t, s);
        if (q->rank != want && want)
            breach(v, PLACES_FILE,
                   "%s's place in %s (slot %d) is written as rank %d, but it is "
                   "their choice %d",
                   st->id, ws->id, s, q->rank, want);
        else if (q->rank != want)
            breach(v, PLACES_FILE,
                   "%s's place in %s (slot %d) is written as rank %d, but %s is "
                   "not one of their choices",
                   st->id, ws->id, s, q->rank, ws->id);
        if (q->mandatory != mand)
            breach(v, PLACES_FILE,
                   "%s's place in %s (slot %d) is marked mandatory=%s, but %s is "
                   "%smandatory for %s",
                   st->id, ws->id, s, q->mandatory ? "yes" : "no", ws->id, mand ? "" : "not ",
                   st->role);
    }
}

/* One person's attendance of one workshop: exactly one whole run, open to their role. */
static void check_attendance(vctx *v, int t, int w, unsigned mask)
{
    const cpd_workshop *ws = &v->p->workshops[w];
    const cpd_staff *st = &v->p->common->staff[t];
    int first = lowest_slot(mask);
    char list[128];
    slot_list(mask, list, sizeof list);
    if (ws->audience.n > 0 && !cpd_strlist_has(&ws->audience, st->role))
        breach(v, PLACES_FILE, "%s (%s) is placed in %s, which is not open to that role", st->id,
               st->role, ws->id);
    check_place_marks(v, t, w, mask);
    if (mask == run_mask(ws, first) && offered(v, w, first)) {
        v->count[(size_t)w * (size_t)v->nslots + (size_t)(first - 1)]++;
        return;
    }
    unsigned block = bits(mask) >= 32 ? ~0u : (1u << bits(mask)) - 1u;
    if (bits(mask) > ws->length || (mask >> (first - 1)) != block)
        breach(v, PLACES_FILE, "%s attends %s more than once (slots %s)", st->id, ws->id, list);
    else if (ws->length > 1 && mask != run_mask(ws, first))
        breach(v, PLACES_FILE,
               "%s is in %s only in slot %s: a %d-slot workshop keeps the same "
               "people in every slot of its run",
               st->id, ws->id, list, ws->length);
    else
        breach(v, PLACES_FILE, "%s is placed in %s from slot %d, but no run of %s starts then",
               st->id, ws->id, first, ws->id);
}

static void check_attending(vctx *v)
{
    for (int t = 0; t < v->nstaff; t++)
        for (int w = 0; w < v->p->nworkshops; w++) {
            unsigned m = v->attend[(size_t)t * (size_t)v->p->nworkshops + (size_t)w];
            if (m)
                check_attendance(v, t, w, m);
        }
}

/* ---- local: runs ---- */

static void index_runs(vctx *v)
{
    for (int i = 0; i < v->pl->nruns; i++) {
        const cpd_inset_run *r = &v->pl->runs[i];
        if (r->workshop < 0 || r->workshop >= v->p->nworkshops || r->start < 1 ||
            r->start > v->nslots) {
            breach(v, RUNS_FILE, "run %d names no workshop or no slot of the day", i + 1);
            continue;
        }
        int *at = &v->run_of[(size_t)r->workshop * (size_t)v->nslots + (size_t)(r->start - 1)];
        if (!offered(v, r->workshop, r->start))
            breach(v, RUNS_FILE, "%s has a run in slot %d, where the programme offers none",
                   wid(v, r->workshop), r->start);
        else if (*at >= 0)
            breach(v, RUNS_FILE, "%s's run in slot %d is listed twice", wid(v, r->workshop),
                   r->start);
        else
            *at = i;
    }
}

/* Facilitators of a run that is held deliver it in every slot it covers. */
static void check_facilitators(vctx *v, int w, int st)
{
    const cpd_workshop *ws = &v->p->workshops[w];
    for (int k = 0; k < ws->nfacilitators; k++) {
        int f = ws->facilitators[k];
        for (int s = st; s < st + ws->length && s <= v->nslots; s++) {
            const cpd_inset_place *q = place(v, f, s);
            if (q->facilitating && q->workshop == w)
                continue;
            if (q->facilitating)
                breach(v, PLACES_FILE, "%s is due to deliver both %s and %s in slot %d", sid(v, f),
                       ws->id, wid(v, q->workshop), s);
            else if (q->workshop >= 0)
                breach(v, PLACES_FILE, "%s delivers %s in slot %d but is placed in %s then",
                       sid(v, f), ws->id, s, wid(v, q->workshop));
            else
                breach(v, PLACES_FILE, "%s delivers %s in slot %d but is not shown delivering it",
                       sid(v, f), ws->id, s);
        }
    }
}

static void check_run(vctx *v, int w, int st)
{
    const cpd_workshop *ws = &v->p->workshops[w];
    int n = v->count[(size_t)w * (size_t)v->nslots + (size_t)(st - 1)];
    int i = v->run_of[(size_t)w * (size_t)v->nslots + (size_t)(st - 1)];
    if (i < 0) {
        breach(v, RUNS_FILE, "%s's run in slot %d is missing from the rosters", ws->id, st);
        return;
    }
    const cpd_inset_run *r = &v->pl->runs[i];
    if (r->size != n)
        breach(v, RUNS_FILE,
               "%s in slot %d is written with %d people; the allocation places %d "
               "there",
               ws->id, st, r->size, n);
    if (n > ws->capacity)
        breach(v, RUNS_FILE, "%s in slot %d holds %d people, over its capacity of %d", ws->id, st,
               n, ws->capacity);
    if (r->cancelled && n > 0)
        breach(v, RUNS_FILE, "%s in slot %d is cancelled but %d people are placed in it", ws->id,
               st, n);
    if (!r->cancelled && n > 0 && n < ws->min_size)
        breach(v, RUNS_FILE, "%s in slot %d is held with %d attending, below its minimum of %d",
               ws->id, st, n, ws->min_size);
    if (!r->cancelled)
        check_facilitators(v, w, st);
}

static void check_runs(vctx *v)
{
    index_runs(v);
    for (int w = 0; w < v->p->nworkshops; w++)
        for (int st = 1; st <= v->nslots; st++)
            if (offered(v, w, st))
                check_run(v, w, st);
}

/* ---- local: mandatory workshops and pins ---- */

static bool unmet_names(const vctx *v, int t, int w)
{
    for (int i = 0; i < v->pl->nunmet; i++)
        if (v->pl->unmet[i].staff == t && v->pl->unmet[i].workshop == w)
            return true;
    return false;
}

static bool delivers(const vctx *v, int t, int w)
{
    for (int s = 1; s <= v->nslots; s++)
        if (place(v, t, s)->facilitating && place(v, t, s)->workshop == w)
            return true;
    return false;
}

static void check_mandatory(vctx *v)
{
    for (int t = 0; t < v->nstaff; t++) {
        const cpd_staff *st = &v->p->common->staff[t];
        for (int w = 0; w < v->p->nworkshops; w++) {
            if (!cpd_strlist_has(&v->p->workshops[w].mandatory_for, st->role))
                continue;
            if (v->attend[(size_t)t * (size_t)v->p->nworkshops + (size_t)w] || delivers(v, t, w) ||
                unmet_names(v, t, w))
                continue;
            breach(v, PLACES_FILE,
                   "%s (%s) must attend %s '%s' but is not placed in it, nor "
                   "listed in %s",
                   st->id, st->role, wid(v, w), v->p->workshops[w].title, UNMET_FILE);
        }
    }
}

static void check_pins(vctx *v)
{
    for (int i = 0; i < v->p->npins; i++) {
        const cpd_inset_pin *pin = &v->p->pins[i];
        if (pin->staff < 0 || pin->staff >= v->nstaff || pin->workshop < 0 ||
            pin->workshop >= v->p->nworkshops)
            continue;
        unsigned m =
            v->attend[(size_t)pin->staff * (size_t)v->p->nworkshops + (size_t)pin->workshop];
        bool in = pin->slot > 0 ? (m & (1u << (pin->slot - 1))) != 0 : m != 0;
        char when[32] = "";
        if (pin->slot > 0)
            snprintf(when, sizeof when, " in slot %d", pin->slot);
        if (pin->must && !in)
            breach(v, PLACES_FILE, "pin broken: %s must attend %s%s", sid(v, pin->staff),
                   wid(v, pin->workshop), when);
        else if (!pin->must && in)
            breach(v, PLACES_FILE, "pin broken: %s must never attend %s%s", sid(v, pin->staff),
                   wid(v, pin->workshop), when);
    }
}

/* ---- interface ---- */

int cpd_verify_inset(const cpd_inset *p, const cpd_inset_plan *plan, cpd_diags *d)
{
    vctx v = {.p = p, .pl = plan, .d = d, .nstaff = p->common->nstaff, .nslots = p->params.nslots};
    if (!plan) {
        breach(&v, NULL, "there is no plan to check");
        return v.breaches;
    }
    if (!check_shape(&v))
        return v.breaches;
    size_t nw = (size_t)p->nworkshops, ns = (size_t)v.nslots, nt = (size_t)v.nstaff;
    v.attend = cpd_xcalloc(nt * nw + 1, sizeof *v.attend);
    v.count = cpd_xcalloc(nw * ns + 1, sizeof *v.count);
    v.run_of = cpd_xmalloc((nw * ns + 1) * sizeof *v.run_of);
    for (size_t i = 0; i < nw * ns + 1; i++)
        v.run_of[i] = -1;
    v.unmet_slot = cpd_xcalloc(nt * (ns + 1) + 1, sizeof *v.unmet_slot);
    v.pref_of = cpd_xmalloc((nt + 1) * sizeof *v.pref_of);
    for (size_t i = 0; i <= nt; i++)
        v.pref_of[i] = -1;
    for (int i = 0; i < p->nprefs; i++)
        if (p->prefs[i].staff >= 0 && p->prefs[i].staff < v.nstaff &&
            v.pref_of[p->prefs[i].staff] < 0)
            v.pref_of[p->prefs[i].staff] = i;
    check_unmet_rows(&v);
    check_one_per_slot(&v);
    gather(&v);
    check_attending(&v);
    check_runs(&v);
    check_mandatory(&v);
    check_pins(&v);
    free(v.attend);
    free(v.count);
    free(v.run_of);
    free(v.unmet_slot);
    free(v.pref_of);
    return v.breaches;
}
