/* inset_ics.c — sessions.ics of a training day (inset --ics): one event per person and session,
 * at the day's date and slot times, with UIDs a re-run keeps. */
#include "cpd_ics.h"
#include "cpd_inset_io.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- local ---- */

static const cpd_inset_place *place_of(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    size_t k = (size_t)t * (size_t)p->params.nslots + (size_t)(s - 1);
    return k < (size_t)pl->nplaces ? &pl->places[k] : NULL;
}

/* The last slot of the session that starts at slot s: a run of a longer workshop keeps the
 * same people together, so its slots are one event. */
static int session_end(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    const cpd_inset_place *q = place_of(p, pl, t, s);
    int e = s, len = p->workshops[q->workshop].length;
    while (e + 1 <= p->params.nslots && e + 1 < s + len) {
        const cpd_inset_place *n = place_of(p, pl, t, e + 1);
        if (!n || n->workshop != q->workshop || n->facilitating != q->facilitating)
            break;
        e++;
    }
    return e;
}

static const char *ordinal(int n)
{
    return n % 100 >= 11 && n % 100 <= 13 ? "th"
           : n % 10 == 1                  ? "st"
           : n % 10 == 2                  ? "nd"
           : n % 10 == 3                  ? "rd"
                                          : "th";
}

static void describe(char *buf, size_t len, const cpd_inset *p, const cpd_inset_place *q, int t,
                     int s, int e)
{
    const cpd_staff *st = &p->common->staff[t];
    const cpd_workshop *w = &p->workshops[q->workshop];
    int n =
        snprintf(buf, len, "For: %s (%s, %s, %s)\nWorkshop: %s\nSession%s: %d", st->name, st->id,
                 st->role, p->common->schools[st->school].id, w->id, e > s ? "s" : "", s);
    for (int k = s + 1; k <= e && n > 0 && (size_t)n < len; k++)
        n += snprintf(buf + n, len - (size_t)n, ", %d", k);
    if (n < 0 || (size_t)n >= len)
        return;
    if (q->facilitating)
        snprintf(buf + n, len - (size_t)n, "\nYou are leading it.");
    else if (q->mandatory)
        snprintf(buf + n, len - (size_t)n, "\nRequired for your role.");
    else if (q->rank > 0)
        snprintf(buf + n, len - (size_t)n, "\nYour %d%s choice.", q->rank, ordinal(q->rank));
}

static void event(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl, int t, int s, int e,
                  uint64_t scenario)
{
    const cpd_inset_place *q = place_of(p, pl, t, s);
    const cpd_workshop *w = &p->workshops[q->workshop];
    char text[1024];
    int a, b, a2, b2;
    cpd_inset_slot_time(&p->params, s, &a, &b);
    cpd_inset_slot_time(&p->params, e, &a2, &b2);
    cpd_ics_line(f, "BEGIN:VEVENT");
    /* Person and first slot, not the workshop: a re-run that moves someone updates their
     * event instead of leaving the old workshop beside the new one. */
    snprintf(text, sizeof text, "%s-s%d-%016" PRIx64 "@inset.cpdplan", p->common->staff[t].id, s,
             scenario);
    cpd_ics_prop(f, "UID", text);
    cpd_ics_stamp(f, p->params.date);
    cpd_ics_time(f, "DTSTART", p->params.date, a);
    cpd_ics_time(f, "DTEND", p->params.date, b2);
    snprintf(text, sizeof text, "%s%s", *w->title ? w->title : w->id,
             q->facilitating ? " (leading)" : "");
    cpd_ics_prop(f, "SUMMARY", text);
    describe(text, sizeof text, p, q, t, s, e);
    cpd_ics_prop(f, "DESCRIPTION", text);
    cpd_ics_line(f, "END:VEVENT");
}

/* ---- interface ---- */

int cpd_inset_ics_events(const cpd_inset *p, const cpd_inset_plan *pl)
{
    int n = 0;
    for (int t = 0; t < p->common->nstaff; t++)
        for (int s = 1; s <= p->params.nslots; s++) {
            const cpd_inset_place *q = place_of(p, pl, t, s);
            if (q && q->workshop >= 0) {
                n++;
                s = session_end(p, pl, t, s);
            }
        }
    return n;
}

bool cpd_write_inset_ics(cpd_outset *o, const cpd_inset *p, const cpd_inset_plan *pl, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "sessions.ics", d);
    if (!f)
        return false;
    uint64_t scenario = cpd_ics_hash(p->common->name);
    cpd_ics_begin(f, "inset sessions", p->common->name);
    for (int t = 0; t < p->common->nstaff; t++)
        for (int s = 1; s <= p->params.nslots; s++) {
            const cpd_inset_place *q = place_of(p, pl, t, s);
            if (!q || q->workshop < 0)
                continue;
            int e = session_end(p, pl, t, s);
            event(f, p, pl, t, s, e, scenario);
            s = e;
        }
    cpd_ics_end(f);
    return cpd_outset_flushed(o, f, "sessions.ics", d);
}
