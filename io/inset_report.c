/* inset_report.c — a training day's report.html sections: how well choices were met (a rank
 * histogram), each workshop's fill per slot, the unmet list, each person's day, and a register
 * to print for each run. */
#include "cpd_out.h"
#include "cpd_report.h"
#include "cpd_svg.h"

#include <stdlib.h>
#include <string.h>

/* ---- local: the plan ---- */

static const cpd_inset_place *place(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    size_t k = (size_t)t * (size_t)p->params.nslots + (size_t)(s - 1);
    return s >= 1 && k < (size_t)pl->nplaces ? &pl->places[k] : NULL;
}

/* Whether person t's attendance of a workshop begins in slot s (a run of two slots is one
 * place, counted and registered once). */
static bool begins(const cpd_inset *p, const cpd_inset_plan *pl, int t, int s)
{
    const cpd_inset_place *q = place(p, pl, t, s), *before = place(p, pl, t, s - 1);
    return q && q->workshop >= 0 && !q->facilitating &&
           !(before && before->workshop == q->workshop && !before->facilitating);
}

static const char *ordinal(int n, char *buf, size_t len)
{
    const char *suffix = n % 100 >= 11 && n % 100 <= 13 ? "th"
                         : n % 10 == 1                  ? "st"
                         : n % 10 == 2                  ? "nd"
                         : n % 10 == 3                  ? "rd"
                                                        : "th";
    snprintf(buf, len, "%d%s", n, suffix);
    return buf;
}

/* ---- local: choices met ---- */

static void rank_chart(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl)
{
    int top = 0, nstaff = p->common->nstaff;
    for (int i = 0; i < p->nprefs; i++)
        top = p->prefs[i].nchoices > top ? p->prefs[i].nchoices : top;
    int *count = cpd_xcalloc((size_t)top + 2, sizeof(int)); /* [0]: not a choice */
    for (int t = 0; t < nstaff; t++)
        for (int s = 1; s <= p->params.nslots; s++)
            if (begins(p, pl, t, s)) {
                int r = place(p, pl, t, s)->rank;
                count[r >= 1 && r <= top ? r : 0]++;
            }
    cpd_svg_bar *bars = cpd_xcalloc((size_t)top + 2, sizeof *bars);
    char(*labels)[24] = cpd_xcalloc((size_t)top + 2, sizeof *labels);
    for (int r = 1; r <= top + 1; r++) {
        int k = r <= top ? r : 0;
        if (k)
            ordinal(k, labels[r - 1], sizeof labels[r - 1]);
        else
            snprintf(labels[r - 1], sizeof labels[r - 1], "not a choice");
        bars[r - 1] = (cpd_svg_bar){labels[r - 1], count[k], 0, NULL,
                                    k == 1 ? CPD_SVG_GOOD
                                    : k    ? CPD_SVG_PLAIN
                                           : CPD_SVG_MUTED};
    }
    cpd_svg_vbars(f, "Places by the rank of the choice they meet", bars, top + 1);
    free(labels);
    free(bars);
    free(count);
}

/* The summary's figures by school or by role: one row per group. */
static void group_table(FILE *f, const cJSON *sum, const char *key, const char *what)
{
    const cJSON *e;
    fprintf(f,
            "<h3>By %s</h3>\n<table><thead><tr><th>%s</th><th class=\"n\">staff</th>"
            "<th class=\"n\">places</th><th class=\"n\">first choice</th>"
            "<th class=\"n\">top three</th><th class=\"n\">worst rank</th>"
            "<th class=\"n\">outside choices</th></tr></thead>\n<tbody>\n",
            what, what);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sum, key))
    {
        const char *name = cpd_report_str(e, "name");
        fputs("<tr>", f);
        cpd_html_td(f, *name ? name : cpd_report_str(e, what));
        cpd_html_td_int(f, (int)cpd_report_num(e, "staff"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "places"));
        cpd_html_td_pct(f, cpd_report_num(e, "first_choice_share"), 1);
        cpd_html_td_pct(f, cpd_report_num(e, "top3_share"), 1);
        cpd_html_td_int(f, (int)cpd_report_num(e, "worst_rank"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "outside_choices"));
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void report_choices(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl, const cJSON *sum)
{
    cpd_report_section(f, "choices", "Choices met");
    fprintf(f,
            "<p class=\"figures\">%.0f staff, %d slots, <b>%.0f places</b>: <b>%.1f%%</b> first "
            "choices, %.1f%% in the top three; worst rank %.0f; %.0f places outside the "
            "person&#8217;s choices; runs cancelled: %.0f.</p>\n",
            cpd_report_num(sum, "staff"), p->params.nslots, cpd_report_num(sum, "places"),
            100 * cpd_report_num(sum, "first_choice_share"),
            100 * cpd_report_num(sum, "top3_share"), cpd_report_num(sum, "worst_rank"),
            cpd_report_num(sum, "outside_choices"), cpd_report_num(sum, "cancellations"));
    fputs("<h3>Places by choice (a two-slot workshop is one place)</h3>\n", f);
    rank_chart(f, p, pl);
    group_table(f, sum, "by_school", "school");
    group_table(f, sum, "by_role", "role");
    cpd_report_section_end(f);
}

/* ---- local: workshop fill ---- */

static cpd_svg_bar fill_bar(const cpd_inset *p, const cpd_inset_run *r, char *note, size_t len)
{
    const cpd_workshop *ws = &p->workshops[r->workshop];
    if (r->cancelled)
        snprintf(note, len, "cancelled (%d)", r->size);
    else
        snprintf(note, len, "%d of %d", r->size, ws->capacity);
    cpd_svg_tone tone = r->cancelled              ? CPD_SVG_MUTED
                        : r->size > ws->capacity  ? CPD_SVG_BAD
                        : r->size == ws->capacity ? CPD_SVG_WARN
                                                  : CPD_SVG_PLAIN;
    return (cpd_svg_bar){ws->title, r->size, ws->capacity, note, tone};
}

static void fill_slot(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl, int s)
{
    cpd_svg_bar *bars = cpd_xcalloc((size_t)pl->nruns + 1, sizeof *bars);
    char(*notes)[32] = cpd_xcalloc((size_t)pl->nruns + 1, sizeof *notes);
    int n = 0;
    for (int i = 0; i < pl->nruns; i++) {
        const cpd_inset_run *r = &pl->runs[i];
        if (s >= r->start && s < r->start + p->workshops[r->workshop].length) {
            bars[n] = fill_bar(p, r, notes[n], sizeof notes[n]);
            n++;
        }
    }
    fprintf(f, "<h3>Slot %d</h3>\n", s);
    if (n == 0)
        fputs("<p class=\"muted\">No workshop runs.</p>\n", f);
    char title[48];
    snprintf(title, sizeof title, "Workshop fill in slot %d", s);
    cpd_svg_hbars(f, title, bars, n);
    free(notes);
    free(bars);
}

static void report_fill(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl)
{
    cpd_report_section(f, "fill", "Workshops: fill against capacity, slot by slot");
    fprintf(f,
            "<p class=\"legend\">People placed; the grey track is the room&#8217;s capacity."
            "<i style=\"background:%s\"></i>places left<i style=\"background:%s\"></i>full"
            "<i style=\"background:%s\"></i>cancelled (too few)</p>\n",
            cpd_svg_colour(CPD_SVG_PLAIN), cpd_svg_colour(CPD_SVG_WARN),
            cpd_svg_colour(CPD_SVG_MUTED));
    for (int s = 1; s <= p->params.nslots; s++)
        fill_slot(f, p, pl, s);
    cpd_report_section_end(f);
}

/* ---- local: unmet ---- */

static void report_unmet(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl)
{
    const cpd_scenario *s = p->common;
    cpd_report_section(f, "unmet", "Unmet, and why");
    if (pl->nunmet == 0) {
        fputs("<p>Everyone has a place in every slot.</p>\n", f);
        cpd_report_section_end(f);
        return;
    }
    fprintf(f,
            "<p class=\"figures\"><b>%d</b> unmet row%s.</p>\n<table><thead><tr>"
            "<th>name</th><th>school</th><th class=\"n\">slot</th><th>workshop</th>"
            "<th>reason</th></tr></thead>\n<tbody>\n",
            pl->nunmet, pl->nunmet == 1 ? "" : "s");
    for (int i = 0; i < pl->nunmet; i++) {
        const cpd_inset_unmet *u = &pl->unmet[i];
        fputs("<tr>", f);
        cpd_html_td(f, s->staff[u->staff].name);
        cpd_html_td(f, s->schools[s->staff[u->staff].school].id);
        if (u->slot > 0)
            cpd_html_td_int(f, u->slot);
        else
            fputs("<td></td>", f);
        cpd_html_td(f, u->workshop >= 0 ? p->workshops[u->workshop].title : "");
        cpd_html_td(f, u->reason);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    cpd_report_section_end(f);
}

/* ---- local: each person's day ---- */

static void day_cell(FILE *f, const cpd_inset *p, const cpd_inset_place *q)
{
    char rank[24];
    if (!q || q->workshop < 0) {
        fputs("<td class=\"bad\">no place</td>", f);
        return;
    }
    fputs("<td>", f);
    cpd_html(f, p->workshops[q->workshop].title);
    if (q->facilitating)
        fputs(" <span class=\"muted\">(leading)</span>", f);
    else if (q->rank > 0)
        fprintf(f, " <span class=\"muted\">(%s choice)</span>",
                ordinal(q->rank, rank, sizeof rank));
    else
        fputs(" <span class=\"muted\">(not a choice)</span>", f);
    fputs("</td>", f);
}

static void report_days(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl)
{
    const cpd_scenario *s = p->common;
    cpd_report_section(f, "days", "Each person’s day");
    for (int sc = 0; sc < s->nschools; sc++) {
        fputs("<h3>", f);
        cpd_html(f, s->schools[sc].name);
        fputs("</h3>\n<table><thead><tr><th>name</th><th>role</th>", f);
        for (int sl = 1; sl <= p->params.nslots; sl++)
            fprintf(f, "<th>slot %d</th>", sl);
        fputs("</tr></thead>\n<tbody>\n", f);
        for (int t = 0; t < s->nstaff; t++) {
            if (s->staff[t].school != sc)
                continue;
            fputs("<tr>", f);
            cpd_html_td(f, s->staff[t].name);
            cpd_html_td(f, s->staff[t].role);
            for (int sl = 1; sl <= p->params.nslots; sl++)
                day_cell(f, p, place(p, pl, t, sl));
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    cpd_report_section_end(f);
}

/* ---- local: registers ---- */

typedef struct {
    const char *name;
    int staff;
} entry;

static int by_name(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->staff > y->staff) - (x->staff < y->staff);
}

/* The run's people, by name, each with a signature cell. */
static void register_rows(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl,
                          const cpd_inset_run *r)
{
    const cpd_scenario *s = p->common;
    entry *who = cpd_xcalloc((size_t)s->nstaff + 1, sizeof *who);
    int n = 0;
    for (int t = 0; t < s->nstaff; t++)
        if (begins(p, pl, t, r->start) && place(p, pl, t, r->start)->workshop == r->workshop)
            who[n++] = (entry){s->staff[t].name, t};
    qsort(who, (size_t)n, sizeof *who, by_name);
    for (int i = 0; i < n; i++) {
        const cpd_staff *st = &s->staff[who[i].staff];
        fprintf(f, "<tr><td class=\"n no\">%d</td>", i + 1);
        cpd_html_td(f, st->name);
        cpd_html_td(f, s->schools[st->school].id);
        cpd_html_td(f, st->role);
        fputs("<td class=\"sign\"></td></tr>\n", f);
    }
    free(who);
}

/* The register of run r in slot sl (a two-slot run has one for each slot: the same people
 * sign in for each session). */
static void register_one(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl,
                         const cpd_inset_run *r, int sl)
{
    const cpd_workshop *ws = &p->workshops[r->workshop];
    fputs("<div class=\"register\">\n<h3>Register: ", f);
    cpd_html(f, ws->title);
    fprintf(f, ", slot %d</h3>\n<p>", sl);
    cpd_html(f, ws->id);
    if (ws->length > 1)
        fprintf(f, " &#183; part %d of %d (slots %d&#8211;%d, the same people)", sl - r->start + 1,
                ws->length, r->start, r->start + ws->length - 1);
    fprintf(f, " &#183; %d of %d places &#183; led by ", r->size, ws->capacity);
    for (int i = 0; i < ws->nfacilitators; i++) {
        fputs(i ? ", " : "", f);
        cpd_html(f, p->common->staff[ws->facilitators[i]].name);
    }
    if (ws->nfacilitators == 0)
        fputs("(no one named)", f);
    fputs("</p>\n<table><thead><tr><th class=\"n\">no.</th><th>name</th><th>school</th>"
          "<th>role</th><th>signature</th></tr></thead>\n<tbody>\n",
          f);
    register_rows(f, p, pl, r);
    fputs("</tbody></table>\n</div>\n", f);
}

static void report_registers(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl)
{
    cpd_report_section(f, "registers", "Registers");
    fputs("<p>One register for each workshop and slot it runs in, names in order, a column to "
          "sign; each prints on a page of its own. Cancelled runs have none.</p>\n",
          f);
    for (int sl = 1; sl <= p->params.nslots; sl++)
        for (int i = 0; i < pl->nruns; i++) {
            const cpd_inset_run *r = &pl->runs[i];
            if (!r->cancelled && sl >= r->start && sl < r->start + p->workshops[r->workshop].length)
                register_one(f, p, pl, r, sl);
        }
    cpd_report_section_end(f);
}

/* ---- interface ---- */

void cpd_report_inset(FILE *f, const cpd_inset *p, const cpd_inset_plan *pl, const cJSON *summary)
{
    static const char *const nav[][2] = {{"choices", "Choices met"},
                                         {"fill", "Workshop fill per slot"},
                                         {"unmet", "Unmet, and why"},
                                         {"days", "Each person's day"},
                                         {"registers", "Registers"}};
    cpd_report_nav(f, nav, 5);
    report_choices(f, p, pl, summary);
    report_fill(f, p, pl);
    report_unmet(f, p, pl);
    report_days(f, p, pl);
    report_registers(f, p, pl);
}
