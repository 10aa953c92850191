/* inset_plan.c — the inset plan read from an allocation (places, runs, and each unmet demand
 * with its reason in plain words) and the checks that can be made before solving. */
#include "inset_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- local: the plan ---- */

static const cpd_workshop *ws(const is_model *m, int w) { return &m->p->workshops[w]; }

static void add_unmet(cpd_inset_plan *p, int t, int s, int w, char *reason)
{
    if ((p->nunmet & (p->nunmet - 1)) == 0)
        p->unmet = cpd_xrealloc(p->unmet, (size_t)(p->nunmet ? 2 * p->nunmet : 1) * sizeof *p->unmet);
    p->unmet[p->nunmet++] = (cpd_inset_unmet){t, s, w, reason};
}

/* The held run t delivers in slot s, or -1. */
static int delivering(const is_state *st, int t, int s)
{
    const is_model *m = st->m;
    for (int k = m->fstart[t]; k < m->fstart[t + 1]; k++)
        if (!st->cancelled[m->fruns[k]] && is_run_covers(&m->runs[m->fruns[k]], s))
            return m->fruns[k];
    return -1;
}

static void fill_places(const is_state *st, cpd_inset_plan *p)
{
    const is_model *m = st->m;
    p->nplaces = m->T * m->S;
    p->places = cpd_xcalloc((size_t)p->nplaces + 1, sizeof *p->places);
    for (int t = 0; t < m->T; t++)
        for (int s = 1; s <= m->S; s++) {
            int r = st->sched[(size_t)t * m->S + s - 1];
            cpd_inset_place *q = &p->places[(size_t)t * m->S + s - 1];
            *q = (cpd_inset_place){.staff = t, .slot = s, .workshop = -1};
            if (r == IS_BUSY) {
                int d = delivering(st, t, s);
                q->workshop = d >= 0 ? m->runs[d].workshop : -1;
                q->facilitating = true;
            } else if (r >= 0) {
                size_t k = is_tw(m, t, m->runs[r].workshop);
                q->workshop = m->runs[r].workshop;
                q->rank = m->rank[k];
                q->mandatory = m->mand[k];
                if (q->rank > p->worst_rank)
                    p->worst_rank = q->rank;
            }
        }
}

/* Why t has no place in slot s. */
static char *why_unplaced(const is_state *st, int t, int s)
{
    const is_model *m = st->m;
    int people, seats, open = 0;
    is_slot_count(m, s, &people, &seats);
    char *why = NULL;
    if (seats < people) {
        cpd_strcatf(&why, "no seat in slot %d: %d seats for %d people", s, seats, people);
        return why;
    }
    for (int r = 0; r < m->nruns; r++)
        open += !st->cancelled[r] && is_run_covers(&m->runs[r], s) &&
                is_allowed(m, t, m->runs[r].workshop);
    if (open == 0)
        cpd_strcatf(&why, "no workshop open to them runs in slot %d", s);
    else
        cpd_strcatf(&why, "all %d workshops open to them full in slot %d", open, s);
    return why;
}

/* Why t's place in slot s is not one of their choices, or NULL when they have every choice
 * they could have somewhere else in the day. */
static char *why_outside(const is_state *st, int t, int s)
{
    const is_model *m = st->m;
    int left = 0, running = 0, full = 0;
    for (int w = 0; w < m->W; w++) {
        size_t k = is_tw(m, t, w);
        if (m->rank[k] == 0 || !m->ok[k] || st->used[k])
            continue;
        left++;
        int r = is_run_covering(m, w, s);
        if (r < 0 || st->cancelled[r])
            continue;
        running++;
        full += st->size[r] >= m->runs[r].cap;
    }
    if (left == 0)
        return NULL;
    char *why = NULL;
    if (running == 0)
        cpd_strcatf(&why, "choice not running in slot %d", s);
    else if (full == running)
        cpd_strcatf(&why, "all %d choices full in slot %d", running, s);
    else
        cpd_strcatf(&why,
                   "slot %d: %d of %d remaining choices full; the others went to people who"
                   " ranked them higher or clashed with the rest of the day",
                   s, full, running);
    return why;
}

static char *why_missed(const is_state *st, int t, int w)
{
    const is_model *m = st->m;
    int runs = 0, full = 0;
    for (int r = 0; r < m->nruns; r++) {
        if (m->runs[r].workshop != w || st->cancelled[r])
            continue;
        runs++;
        full += st->size[r] >= m->runs[r].cap;
    }
    (void)t;
    char *why = NULL;
    cpd_strcatf(&why, "mandatory %s could not fit: ", ws(m, w)->title ? ws(m, w)->title : ws(m, w)->id);
    if (runs == 0)
        cpd_strcatf(&why, "not running");
    else if (full == runs)
        cpd_strcatf(&why, "every run full");
    else
        cpd_strcatf(&why, "its runs clash with their other places");
    return why;
}

static void fill_unmet(const is_state *st, cpd_inset_plan *p)
{
    const is_model *m = st->m;
    for (int t = 0; t < m->T; t++) {
        for (int s = 1; s <= m->S; s++) {
            const cpd_inset_place *q = &p->places[(size_t)t * m->S + s - 1];
            if (q->facilitating)
                continue;
            if (q->workshop < 0)
                add_unmet(p, t, s, -1, why_unplaced(st, t, s));
            else if (q->rank == 0 && m->nchoices[t] > 0) {
                char *why = why_outside(st, t, s);
                if (why)
                    add_unmet(p, t, s, -1, why);
            }
        }
        for (int w = 0; w < m->W; w++)
            if (m->mand[is_tw(m, t, w)] && !st->used[is_tw(m, t, w)])
                add_unmet(p, t, 0, w, why_missed(st, t, w));
    }
}

/* ---- local: checks ---- */

static int check_facilitators(const is_model *m, cpd_diags *d)
{
    int n = 0;
    for (int t = 0; t < m->T; t++)
        for (int s = 1; s <= m->S; s++) {
            if (m->fixed_busy[(size_t)t * m->S + s - 1] < 2)
                continue;
            char *which = NULL;
            int k = 0;
            for (int j = m->fstart[t]; j < m->fstart[t + 1]; j++) {
                const is_run *r = &m->runs[m->fruns[j]];
                if (r->min <= 0 && is_run_covers(r, s))
                    cpd_strcatf(&which, "%s%s", k++ ? " and " : "", ws(m, r->workshop)->id);
            }
            cpd_error(d, "workshops.csv", 0, 0, "%s delivers %s at once in slot %d",
                      m->p->common->staff[t].id, which, s);
            free(which);
            n++;
        }
    return n;
}

static bool has_never(const cpd_inset *p, int t, int w)
{
    for (int i = 0; i < p->npins; i++)
        if (!p->pins[i].must && p->pins[i].staff == t && p->pins[i].workshop == w)
            return true;
    return false;
}

static int check_pin(const is_model *m, const cpd_inset_pin *q, int *slot_taken, cpd_diags *d)
{
    const char *sidn = m->p->common->staff[q->staff].id, *wid = ws(m, q->workshop)->id;
    int r = q->slot > 0 ? is_run_covering(m, q->workshop, q->slot) : -1;
    if (has_never(m->p, q->staff, q->workshop))
        cpd_error(d, "pins.csv", q->line, 0, "%s is pinned both must and never with %s", sidn, wid);
    else if (!m->ok[is_tw(m, q->staff, q->workshop)])
        cpd_error(d, "pins.csv", q->line, 0, "%s must attend %s but may not (audience or facilitator)",
                  sidn, wid);
    else if (q->slot > m->S)
        cpd_error(d, "pins.csv", q->line, 0, "slot %d is outside the day (1-%d)", q->slot, m->S);
    else if (q->slot > 0 && r < 0)
        cpd_error(d, "pins.csv", q->line, 0, "%s must attend %s in slot %d, but it does not run then",
                  sidn, wid, q->slot);
    else if (q->slot > 0 && m->fixed_busy[(size_t)q->staff * m->S + q->slot - 1])
        cpd_error(d, "pins.csv", q->line, 0, "%s must attend %s in slot %d but delivers a workshop then",
                  sidn, wid, q->slot);
    else if (q->slot > 0 && slot_taken[(size_t)q->staff * m->S + q->slot - 1] >= 0)
        cpd_error(d, "pins.csv", q->line, 0, "%s is pinned to two workshops in slot %d (%s and %s)",
                  sidn, q->slot, ws(m, slot_taken[(size_t)q->staff * m->S + q->slot - 1])->id, wid);
    else {
        if (r >= 0)
            for (int s = m->runs[r].start; s < m->runs[r].start + m->runs[r].len; s++)
                slot_taken[(size_t)q->staff * m->S + s - 1] = q->workshop;
        return 0;
    }
    return 1;
}

static int check_pins(const is_model *m, cpd_diags *d)
{
    int n = 0, *taken = cpd_xmalloc(((size_t)m->T * m->S + 1) * sizeof(int));
    for (size_t i = 0; i < (size_t)m->T * m->S; i++)
        taken[i] = -1;
    for (int i = 0; i < m->p->npins; i++) {
        const cpd_inset_pin *q = &m->p->pins[i];
        if (q->must && q->staff >= 0 && q->staff < m->T && q->workshop >= 0 && q->workshop < m->W)
            n += check_pin(m, q, taken, d);
    }
    free(taken);
    return n;
}

/* Shortfalls: notes, errors under strict. */
static int check_shortfalls(const is_model *m, cpd_diags *d)
{
    int n = 0;
    cpd_severity sev = m->p->params.strict ? CPD_SEV_ERROR : CPD_SEV_NOTE;
    for (int s = 1; s <= m->S; s++) {
        int people, seats;
        is_slot_count(m, s, &people, &seats);
        if (seats < people) {
            cpd_diags_add(d, sev, NULL, 0, 0, "slot %d: %d seats for %d people", s, seats, people);
            n++;
        }
    }
    for (int t = 0; t < m->T; t++)
        for (int w = 0; w < m->W; w++) {
            if (!m->mand[is_tw(m, t, w)])
                continue;
            bool runs = false;
            for (int r = 0; r < m->nruns; r++)
                runs |= m->runs[r].workshop == w;
            if (runs)
                continue;
            cpd_diags_add(d, sev, NULL, 0, 0, "%s cannot attend mandatory %s: it does not run",
                          m->p->common->staff[t].id, ws(m, w)->id);
            n++;
        }
    return sev == CPD_SEV_ERROR ? n : 0;
}

/* ---- interface ---- */

double is_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void is_plan_fill(const is_state *st, cpd_inset_plan *p)
{
    const is_model *m = st->m;
    fill_places(st, p);
    p->nruns = m->nruns;
    p->runs = cpd_xcalloc((size_t)m->nruns + 1, sizeof *p->runs);
    for (int r = 0; r < m->nruns; r++)
        p->runs[r] = (cpd_inset_run){m->runs[r].workshop, m->runs[r].start, st->size[r],
                                     st->cancelled[r] != 0};
    fill_unmet(st, p);
}

int is_check(const is_model *m, cpd_diags *d)
{
    return check_facilitators(m, d) + check_pins(m, d) + check_shortfalls(m, d);
}
