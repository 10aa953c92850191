/* onboard_report.c — an onboarding schedule's report.html sections: a Gantt chart of the weeks
 * per joining school, where each shared person is each day, their days against what they have,
 * and what is late or not placed. */
#include "cpd_date.h"
#include "cpd_out.h"
#include "cpd_report.h"
#include "cpd_svg.h"

#include <stdlib.h>
#include <string.h>

#define CELL_ITEMS 12 /* (school, activity) pairs named in one day of a person's grid */
#define LABEL_LEN 240 /* a Gantt bar's tooltip */

/* ---- local: the plan ---- */

static bool placed(const cpd_onboard_plan *pl, const cpd_ob_task *t)
{
    return t->start >= 0 && t->start / 2 < pl->ndays;
}

static int last_day(const cpd_onboard_plan *pl, const cpd_ob_task *t)
{
    int d = (t->start + (t->duration > 0 ? t->duration : 1) - 1) / 2;
    return d < pl->ndays ? d : pl->ndays - 1;
}

static bool late(const cpd_onboard *p, const cpd_ob_task *t)
{
    return cpd_onboard_week_of_day(p, t->start / 2 + 1) > t->latest;
}

static bool uses(const cpd_ob_task *t, int r)
{
    for (int k = 0; k < t->nres && k < CPD_OB_MAX_RES; k++)
        if (t->res[k] == r)
            return true;
    return false;
}

static const char *act_name(const cpd_activity *a) { return *a->name ? a->name : a->id; }

/* ---- local: the Gantt chart per school ---- */

/* "Name: day 3 am (2027-09-03), 1 day, with LP01, DOL02; for Ann Lee; 1 week late" */
static void span_label(const cpd_onboard *p, const cpd_onboard_plan *pl, const cpd_ob_task *t,
                       char *buf, size_t len)
{
    char date[16];
    cpd_date_format(pl->dates[t->start / 2], date, sizeof date);
    int n =
        snprintf(buf, len, "%s: day %d %s (%s), %g day%s", act_name(&p->activities[t->activity]),
                 t->start / 2 + 1, t->start % 2 ? "pm" : "am", date, t->duration / 2.0,
                 t->duration == 2 ? "" : "s");
    for (int k = 0; k < t->nres && n > 0 && (size_t)n < len; k++)
        if (t->res[k] >= 0 && t->res[k] < p->nresources)
            n += snprintf(buf + n, len - (size_t)n, "%s%s", k ? ", " : ", with ",
                          p->resources[t->res[k]].id);
    if (t->staff >= 0 && n > 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, "; for %s", p->common->staff[t->staff].name);
    if (late(p, t) && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "; late");
}

/* The rows: the activities with a task at school s; row[a] is activity a's row, -1 none. */
static int gantt_rows(const cpd_onboard *p, const cpd_onboard_plan *pl, int s, int *row,
                      const char **names)
{
    int n = 0;
    for (int a = 0; a < p->nactivities; a++) {
        row[a] = -1;
        for (int i = 0; i < pl->ntasks && row[a] < 0; i++)
            if (pl->tasks[i].activity == a && pl->tasks[i].school == s) {
                names[n] = act_name(&p->activities[a]);
                row[a] = n++;
            }
    }
    return n;
}

static void school_gantt(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl, int s,
                         const char *const *cols, const int *weeks)
{
    int *row = cpd_xcalloc((size_t)p->nactivities + 1, sizeof(int));
    const char **names = cpd_xcalloc((size_t)p->nactivities + 1, sizeof *names);
    cpd_svg_span *spans = cpd_xcalloc((size_t)pl->ntasks + 1, sizeof *spans);
    char(*labels)[LABEL_LEN] = cpd_xcalloc((size_t)pl->ntasks + 1, sizeof *labels);
    int nrows = gantt_rows(p, pl, s, row, names), n = 0;
    for (int i = 0; i < pl->ntasks; i++) {
        const cpd_ob_task *t = &pl->tasks[i];
        if (t->school != s || !placed(pl, t))
            continue;
        span_label(p, pl, t, labels[n], LABEL_LEN);
        spans[n] = (cpd_svg_span){row[t->activity], t->start / 2.0, t->duration / 2.0, labels[n],
                                  late(p, t) ? CPD_SVG_BAD : CPD_SVG_PLAIN};
        n++;
    }
    char title[160];
    snprintf(title, sizeof title, "The four weeks at %s, day by day", p->common->schools[s].name);
    cpd_svg_gantt g = {title, names, nrows, cols, pl->ndays, weeks, spans, n};
    cpd_svg_gantt_draw(f, &g);
    free(labels);
    free(spans);
    free(names);
    free(row);
}

static void report_gantt(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl)
{
    char(*days)[4] = cpd_xcalloc((size_t)pl->ndays + 1, sizeof *days);
    const char **cols = cpd_xcalloc((size_t)pl->ndays + 1, sizeof *cols);
    int *weeks = cpd_xcalloc((size_t)pl->ndays + 1, sizeof(int));
    for (int d = 0; d < pl->ndays; d++) {
        int y, m, dd;
        cpd_date_to_ymd(pl->dates[d], &y, &m, &dd);
        snprintf(days[d], sizeof days[d], "%d", dd % 100);
        cols[d] = days[d];
        weeks[d] = cpd_onboard_week_of_day(p, d + 1);
    }
    cpd_report_section(f, "gantt", "The weeks at each joining school");
    fprintf(f,
            "<p class=\"legend\">One row per activity, one column per working day (the day of "
            "the month at the top); hover over a bar for the task.<i style=\"background:%s\">"
            "</i>in its window<i style=\"background:%s\"></i>late</p>\n",
            cpd_svg_colour(CPD_SVG_PLAIN), cpd_svg_colour(CPD_SVG_BAD));
    for (int s = 0; s < p->common->nschools; s++) {
        if (!p->common->schools[s].joining)
            continue;
        fputs("<h3>", f);
        cpd_html(f, p->common->schools[s].name);
        fputs("</h3>\n", f);
        school_gantt(f, p, pl, s, cols, weeks);
    }
    cpd_report_section_end(f);
    free(weeks);
    free(cols);
    free(days);
}

/* ---- local: where each person is each day ---- */

typedef struct {
    int school, activity, n;
} cell_item;

static int cell_items(const cpd_onboard_plan *pl, int r, int d, cell_item *items)
{
    int n = 0;
    for (int i = 0; i < pl->ntasks; i++) {
        const cpd_ob_task *t = &pl->tasks[i];
        if (!placed(pl, t) || t->start / 2 > d || last_day(pl, t) < d || !uses(t, r))
            continue;
        int k = 0;
        while (k < n && (items[k].school != t->school || items[k].activity != t->activity))
            k++;
        if (k == n && n == CELL_ITEMS)
            continue;
        if (k == n)
            items[n++] = (cell_item){t->school, t->activity, 0};
        items[k].n++;
    }
    return n;
}

static bool away(const cpd_resource *res, int date)
{
    for (int i = 0; i < res->nunavailable; i++)
        if (res->unavailable[i] == date)
            return true;
    return false;
}

static void person_cell(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl, int r, int date)
{
    int d = 0;
    while (d < pl->ndays && pl->dates[d] != date)
        d++;
    if (d == pl->ndays) {
        fputs("<td class=\"off\">&#8212;</td>", f);
        return;
    }
    cell_item items[CELL_ITEMS];
    int n = cell_items(pl, r, d, items);
    if (n == 0) {
        fputs(away(&p->resources[r], date) ? "<td class=\"away\">away</td>" : "<td></td>", f);
        return;
    }
    fputs("<td class=\"busy\">", f);
    for (int k = 0; k < n; k++) {
        fputs(k ? "<br/><b>" : "<b>", f);
        cpd_html(f, p->common->schools[items[k].school].id);
        fputs("</b> ", f);
        cpd_html(f, act_name(&p->activities[items[k].activity]));
        if (items[k].n > 1)
            fprintf(f, " &#215;%d", items[k].n);
    }
    fputs("</td>", f);
}

static void person_grid(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl, int r,
                        const cJSON *load)
{
    const cpd_resource *res = &p->resources[r];
    int monday = cpd_date_monday(p->params.start), nweeks = cpd_onboard_nweeks(p);
    fputs("<div class=\"keep\">\n<h3>", f);
    cpd_html(f, res->name);
    fputs(" <span class=\"muted\">(", f);
    cpd_html(f, res->role);
    fprintf(f, ", %.0f of %.0f days)</span></h3>\n", cpd_report_num(load, "days_worked"),
            cpd_report_num(load, "days_available"));
    fputs("<table class=\"grid\"><thead><tr><th>week</th><th>Mon</th><th>Tue</th><th>Wed</th>"
          "<th>Thu</th><th>Fri</th></tr></thead>\n<tbody>\n",
          f);
    for (int w = 1; w <= nweeks; w++) {
        fprintf(f, "<tr><th>%d</th>", w);
        for (int wd = 0; wd < 5; wd++)
            person_cell(f, p, pl, r, monday + 7 * (w - 1) + wd);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n</div>\n", f);
}

static void report_people(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl,
                          const cJSON *sum)
{
    const cJSON *by_res = cJSON_GetObjectItemCaseSensitive(sum, "by_resource");
    cpd_report_section(f, "people", "Where each shared person is, week by week");
    fputs("<p class=\"legend\">The school and the activities of each working day; &#8212; "
          "is not a programme day.</p>\n",
          f);
    for (int r = 0; r < p->nresources; r++)
        person_grid(f, p, pl, r, cJSON_GetArrayItem(by_res, r));
    cpd_report_section_end(f);
}

/* ---- local: load against availability ---- */

static void report_load(FILE *f, const cJSON *sum)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sum, "by_resource"), *e;
    int n = cJSON_GetArraySize(arr), i = 0;
    cpd_svg_bar *bars = cpd_xcalloc((size_t)n + 1, sizeof *bars);
    char(*notes)[48] = cpd_xcalloc((size_t)n + 1, sizeof *notes);
    char(*labels)[96] = cpd_xcalloc((size_t)n + 1, sizeof *labels);
    cJSON_ArrayForEach(e, arr)
    {
        double used = cpd_report_num(e, "days_worked"), cap = cpd_report_num(e, "days_available");
        snprintf(notes[i], sizeof notes[i], "%.0f of %.0f days", used, cap);
        snprintf(labels[i], sizeof labels[i], "%s (%s)", cpd_report_str(e, "name"),
                 cpd_report_str(e, "role"));
        bars[i] = (cpd_svg_bar){labels[i], used, cap, notes[i],
                                used > cap    ? CPD_SVG_BAD
                                : used == cap ? CPD_SVG_WARN
                                              : CPD_SVG_PLAIN};
        i++;
    }
    cpd_report_section(f, "load", "Days worked against days available");
    fprintf(f,
            "<p class=\"legend\">The grey track is the days the person can give in the "
            "programme (their days a week, less days away).<i style=\"background:%s\"></i>"
            "days left<i style=\"background:%s\"></i>all used<i style=\"background:%s\"></i>"
            "over</p>\n",
            cpd_svg_colour(CPD_SVG_PLAIN), cpd_svg_colour(CPD_SVG_WARN),
            cpd_svg_colour(CPD_SVG_BAD));
    cpd_svg_hbars(f, "Days worked against days available, per person", bars, i);
    cpd_report_section_end(f);
    free(labels);
    free(notes);
    free(bars);
}

/* ---- local: unmet ---- */

static void unmet_row(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl,
                      const cpd_ob_unmet *u)
{
    const cpd_ob_task *t = &pl->tasks[u->task];
    fputs("<tr>", f);
    cpd_html_td(f, p->common->schools[t->school].id);
    cpd_html_td(f, act_name(&p->activities[t->activity]));
    cpd_html_td(f, t->staff >= 0 ? p->common->staff[t->staff].name : "");
    cpd_html_td_int(f, t->target);
    if (placed(pl, t))
        cpd_html_td_int(f, t->start / 2 + 1);
    else
        cpd_html_td(f, "not placed");
    cpd_html_td(f, u->reason);
    fputs("</tr>\n", f);
}

static void report_unmet(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl)
{
    cpd_report_section(f, "unmet", "Late or not placed, and why");
    if (pl->nunmet == 0) {
        fputs("<p>Every task is placed within its window.</p>\n", f);
        cpd_report_section_end(f);
        return;
    }
    fprintf(f,
            "<p class=\"figures\"><b>%d</b> task%s late or not placed.</p>\n<table><thead><tr>"
            "<th>school</th><th>activity</th><th>for</th><th class=\"n\">target week</th>"
            "<th>day</th><th>reason</th></tr></thead>\n<tbody>\n",
            pl->nunmet, pl->nunmet == 1 ? "" : "s");
    for (int i = 0; i < pl->nunmet; i++)
        if (pl->unmet[i].task >= 0 && pl->unmet[i].task < pl->ntasks)
            unmet_row(f, p, pl, &pl->unmet[i]);
    fputs("</tbody></table>\n", f);
    cpd_report_section_end(f);
}

/* ---- local: the figures ---- */

static void report_figures(FILE *f, const cJSON *sum)
{
    const cJSON *e;
    cpd_report_section(f, "figures", "The programme in figures");
    fprintf(f,
            "<p class=\"figures\">%.0f working days from %s (%.0f calendar weeks). <b>%.0f "
            "tasks</b>: %.0f placed, %.0f in their window, <b>%.0f late</b>, <b>%.0f not "
            "placed</b>; %.0f in their target week; %.0f school-weeks of the trust&#8217;s "
            "people.</p>\n<table><thead><tr><th>school</th><th>name</th><th class=\"n\">tasks"
            "</th><th class=\"n\">placed</th><th class=\"n\">late</th><th class=\"n\">not placed"
            "</th></tr></thead>\n<tbody>\n",
            cpd_report_num(sum, "days"), cpd_report_str(sum, "start"), cpd_report_num(sum, "weeks"),
            cpd_report_num(sum, "tasks"), cpd_report_num(sum, "placed"),
            cpd_report_num(sum, "in_window"), cpd_report_num(sum, "late"),
            cpd_report_num(sum, "unplaced"), cpd_report_num(sum, "on_target"),
            cpd_report_num(sum, "school_weeks"));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sum, "by_school"))
    {
        fputs("<tr>", f);
        cpd_html_td(f, cpd_report_str(e, "school"));
        cpd_html_td(f, cpd_report_str(e, "name"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "tasks"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "placed"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "late"));
        cpd_html_td_int(f, (int)cpd_report_num(e, "unplaced"));
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    cpd_report_section_end(f);
}

/* ---- interface ---- */

void cpd_report_onboard(FILE *f, const cpd_onboard *p, const cpd_onboard_plan *pl,
                        const cJSON *summary)
{
    static const char *const nav[][2] = {{"figures", "The programme in figures"},
                                         {"gantt", "The weeks at each joining school"},
                                         {"people", "Where each shared person is"},
                                         {"load", "Days worked against days available"},
                                         {"unmet", "Late or not placed"}};
    cpd_report_nav(f, nav, 5);
    report_figures(f, summary);
    report_gantt(f, p, pl);
    report_people(f, p, pl, summary);
    report_load(f, summary);
    report_unmet(f, p, pl);
}
