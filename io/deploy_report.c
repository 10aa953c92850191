/* deploy_report.c — a deploy plan's report.html sections: coverage, coach loads, who coaches
 * whom, what changed since last term, what is unmet. */
#include "cpd_io_util.h"
#include "cpd_out.h"
#include "cpd_report.h"
#include "cpd_svg.h"

#include <stdlib.h>

/* ---- local ---- */

/* Hours, to a tenth. */
static void td_num(FILE *f, double x) { fprintf(f, "<td class=\"n\">%.1f</td>", x); }

static const char *base_id(const cpd_scenario *s, int school)
{
    return school == CPD_TRUST_SCHOOL ? CPD_TRUST_ID : s->schools[school].id;
}

/* Met against the total: green when all are met, amber from half, red under half. */
static cpd_svg_bar cover_bar(const char *label, double met, double total, char *note, size_t len)
{
    snprintf(note, len, "%.0f of %.0f (%.0f%%)", met, total, total > 0 ? 100 * met / total : 100);
    cpd_svg_tone tone = met >= total ? CPD_SVG_GOOD : 2 * met >= total ? CPD_SVG_WARN : CPD_SVG_BAD;
    return (cpd_svg_bar){label, met, total, note, tone};
}

static void coverage_by_need(FILE *f, const cJSON *sum)
{
    const cJSON *by_need = cJSON_GetObjectItemCaseSensitive(sum, "coverage_by_need");
    cpd_svg_bar bars[CPD_NEED_COUNT];
    char notes[CPD_NEED_COUNT][48];
    int n = 0;
    for (int l = CPD_NEED_INTENSIVE; l >= CPD_NEED_LIGHT; l--, n++) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(by_need, cpd_need_name((cpd_need)l));
        bars[n] = cover_bar(cpd_need_name((cpd_need)l), cpd_report_num(e, "met"),
                            cpd_report_num(e, "teachers"), notes[n], sizeof notes[n]);
    }
    fputs("<h3>Coaching by need level (teachers coached of those with the need)</h3>\n", f);
    cpd_svg_hbars(f, "Coaching coverage by need level", bars, n);
}

static void coverage_by_school(FILE *f, const cJSON *sum)
{
    const cJSON *arr = cJSON_GetObjectItemCaseSensitive(sum, "coverage_by_school"), *e;
    int n = cJSON_GetArraySize(arr), i = 0;
    cpd_svg_bar *bars = cpd_xcalloc((size_t)n + 1, sizeof *bars);
    char(*notes)[48] = cpd_xcalloc((size_t)n + 1, sizeof *notes);
    cJSON_ArrayForEach(e, arr)
    {
        bars[i] = cover_bar(cpd_report_str(e, "name"), cpd_report_num(e, "met"),
                            cpd_report_num(e, "needs"), notes[i], sizeof notes[i]);
        i++;
    }
    fputs("<h3>By school (all support: coaching, mentors, senior leaders)</h3>\n", f);
    cpd_svg_hbars(f, "Coverage by school", bars, i);
    free(bars);
    free(notes);
}

static void report_coverage(FILE *f, const cJSON *sum)
{
    const cJSON *dm = cJSON_GetObjectItemCaseSensitive(sum, "demands");
    const cJSON *ects = cJSON_GetObjectItemCaseSensitive(sum, "ects");
    cpd_report_section(f, "coverage", "Coverage");
    fprintf(f,
            "<p class=\"figures\"><b>%.0f of %.0f</b> demands met. ECTs: %.0f, with a mentor "
            "%.0f, with a senior leader %.0f.</p>\n",
            cpd_report_num(dm, "met"), cpd_report_num(dm, "total"), cpd_report_num(ects, "count"),
            cpd_report_num(ects, "mentored"), cpd_report_num(ects, "senior"));
    fprintf(f,
            "<p class=\"legend\">The grey track is everyone with the need."
            "<i style=\"background:%s\"></i>all met<i style=\"background:%s\"></i>half or "
            "more<i style=\"background:%s\"></i>under half</p>\n",
            cpd_svg_colour(CPD_SVG_GOOD), cpd_svg_colour(CPD_SVG_WARN),
            cpd_svg_colour(CPD_SVG_BAD));
    coverage_by_need(f, sum);
    coverage_by_school(f, sum);
    cpd_report_section_end(f);
}

/* ---- local: coach loads ---- */

static void load_chart(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p, int n)
{
    cpd_svg_bar *bars = cpd_xcalloc((size_t)n + 1, sizeof *bars);
    char(*notes)[48] = cpd_xcalloc((size_t)n + 1, sizeof *notes);
    for (int i = 0; i < n; i++) {
        const cpd_coach_load *l = &p->loads[i];
        double used = l->hours_coaching + l->hours_travel, cap = l->hours_available;
        snprintf(notes[i], sizeof notes[i], "%.3g of %.3g h", used, cap);
        cpd_svg_tone tone = used > cap + 1e-9    ? CPD_SVG_BAD
                            : used >= 0.95 * cap ? CPD_SVG_WARN
                                                 : CPD_SVG_PLAIN;
        bars[i] = (cpd_svg_bar){s->coaches[i].name, used, cap, notes[i], tone};
    }
    cpd_svg_hbars(f, "Each coach's hours a week against their capacity", bars, n);
    free(bars);
    free(notes);
}

static void report_loads(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p)
{
    int n = p->nloads < s->ncoaches ? p->nloads : s->ncoaches;
    cpd_report_section(f, "loads", "Coach loads against capacity");
    fprintf(f,
            "<p class=\"legend\">Hours a week, travel included; the grey track is the "
            "coach&#8217;s capacity.<i style=\"background:%s\"></i>under 95%%"
            "<i style=\"background:%s\"></i>95%% or more<i style=\"background:%s\"></i>over"
            "</p>\n",
            cpd_svg_colour(CPD_SVG_PLAIN), cpd_svg_colour(CPD_SVG_WARN),
            cpd_svg_colour(CPD_SVG_BAD));
    load_chart(f, s, p, n);
    fputs("<table><thead><tr><th>coach</th><th>name</th><th>role</th><th>base</th>"
          "<th class=\"n\">hours used</th><th class=\"n\">available</th>"
          "<th class=\"n\">of which travel</th><th class=\"n\">coachees</th>"
          "<th class=\"n\">schools</th></tr></thead>\n<tbody>\n",
          f);
    for (int i = 0; i < n; i++) {
        const cpd_coach *k = &s->coaches[i];
        const cpd_coach_load *l = &p->loads[i];
        fputs("<tr>", f);
        cpd_html_td(f, k->id);
        cpd_html_td(f, k->name);
        cpd_html_td(f, cpd_coach_role_name(k->role));
        cpd_html_td(f, base_id(s, k->school));
        td_num(f, l->hours_coaching + l->hours_travel);
        td_num(f, l->hours_available);
        td_num(f, l->hours_travel);
        cpd_html_td_int(f, l->coachees);
        cpd_html_td_int(f, l->schools);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    cpd_report_section_end(f);
}

/* ---- local: who coaches whom ---- */

static void school_rows(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p, int school)
{
    for (int i = 0; i < p->nrows; i++) {
        const cpd_deploy_row *r = &p->rows[i];
        if (r->coach < 0 || s->staff[r->teacher].school != school)
            continue;
        fputs("<tr>", f);
        cpd_html_td(f, s->staff[r->teacher].name);
        cpd_html_td(f, cpd_service_name(r->service));
        cpd_html_td(f, r->service == CPD_SERVICE_COACHING ? cpd_need_name(r->need) : "");
        cpd_html_td(f, s->coaches[r->coach].name);
        td_num(f, r->hours);
        cpd_html_td(f, r->pinned ? "pinned" : r->kept_previous ? "kept from last term" : "new");
        fputs("</tr>\n", f);
    }
}

static void report_pairs(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p)
{
    cpd_report_section(f, "pairs", "Who coaches whom, school by school");
    for (int school = 0; school < s->nschools; school++) {
        int n = 0;
        for (int i = 0; i < p->nrows; i++)
            n += p->rows[i].coach >= 0 && s->staff[p->rows[i].teacher].school == school;
        fputs("<h3>", f);
        cpd_html(f, s->schools[school].name);
        fprintf(f, " <span class=\"muted\">(%d)</span></h3>\n", n);
        if (n == 0) {
            fputs("<p class=\"muted\">No one supported.</p>\n", f);
            continue;
        }
        fputs("<table><thead><tr><th>teacher</th><th>support</th><th>need</th><th>coach</th>"
              "<th class=\"n\">hours</th><th>pair</th></tr></thead>\n<tbody>\n",
              f);
        school_rows(f, s, p, school);
        fputs("</tbody></table>\n", f);
    }
    cpd_report_section_end(f);
}

/* ---- local: since last term ---- */

static void kept_and_new(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p, bool kept)
{
    int n = 0;
    for (int i = 0; i < p->nrows; i++) {
        const cpd_deploy_row *r = &p->rows[i];
        if (r->coach < 0 || r->kept_previous != kept)
            continue;
        if (n++ == 0)
            fputs("<table><thead><tr><th>teacher</th><th>school</th><th>support</th>"
                  "<th>coach</th></tr></thead>\n<tbody>\n",
                  f);
        fputs("<tr>", f);
        cpd_html_td(f, s->staff[r->teacher].name);
        cpd_html_td(f, s->schools[s->staff[r->teacher].school].id);
        cpd_html_td(f, cpd_service_name(r->service));
        cpd_html_td(f, s->coaches[r->coach].name);
        fputs("</tr>\n", f);
    }
    fputs(n ? "</tbody></table>\n" : "<p class=\"muted\">None.</p>\n", f);
}

static const char *coach_name(const cpd_scenario *s, int coach, const char *id)
{
    return coach >= 0 ? s->coaches[coach].name : id ? id : "";
}

static void dropped(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p)
{
    if (p->nchanges == 0) {
        fputs("<p class=\"muted\">None.</p>\n", f);
        return;
    }
    fputs("<table><thead><tr><th>teacher</th><th>coach last term</th><th>coach now</th>"
          "<th>why</th></tr></thead>\n<tbody>\n",
          f);
    for (int i = 0; i < p->nchanges; i++) {
        const cpd_change *c = &p->changes[i];
        fputs("<tr>", f);
        cpd_html_td(f, c->teacher >= 0 ? s->staff[c->teacher].name : c->teacher_id);
        cpd_html_td(f, coach_name(s, c->coach, c->coach_id));
        cpd_html_td(f, c->new_coach >= 0 ? s->coaches[c->new_coach].name : "none");
        cpd_html_td(f, c->reason);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void report_changes(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p,
                           const cJSON *sum)
{
    const cJSON *ch = cJSON_GetObjectItemCaseSensitive(sum, "changes");
    int fresh = 0;
    for (int i = 0; i < p->nrows; i++)
        fresh += p->rows[i].coach >= 0 && !p->rows[i].kept_previous;
    cpd_report_section(f, "changes", "What changed since last term");
    fprintf(f,
            "<p class=\"figures\">Of last term&#8217;s %d pairs (previous.csv): <b>%.0f kept</b>, "
            "<b>%d dropped</b>; <b>%d new</b> pairs this term.</p>\n",
            s->nprevious, cpd_report_num(ch, "kept"), p->nchanges, fresh);
    fputs("<h3>Dropped</h3>\n", f);
    dropped(f, s, p);
    fputs("<h3>New</h3>\n", f);
    kept_and_new(f, s, p, false);
    fputs("<h3>Kept</h3>\n", f);
    kept_and_new(f, s, p, true);
    cpd_report_section_end(f);
}

static void report_unmet(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p)
{
    int n = 0;
    for (int i = 0; i < p->nrows; i++)
        n += p->rows[i].coach < 0;
    cpd_report_section(f, "unmet", "Unmet, and why");
    if (n == 0) {
        fputs("<p>Every demand is met.</p>\n", f);
        cpd_report_section_end(f);
        return;
    }
    fprintf(f,
            "<p class=\"figures\"><b>%d</b> demand%s not met.</p>\n<table><thead><tr>"
            "<th>teacher</th><th>school</th><th>support</th><th>need</th>"
            "<th class=\"n\">hours</th><th>reason</th></tr></thead>\n<tbody>\n",
            n, n == 1 ? "" : "s");
    for (int i = 0; i < p->nrows; i++) {
        const cpd_deploy_row *r = &p->rows[i];
        if (r->coach >= 0)
            continue;
        const cpd_staff *t = &s->staff[r->teacher];
        fputs("<tr>", f);
        cpd_html_td(f, t->name);
        cpd_html_td(f, s->schools[t->school].id);
        cpd_html_td(f, cpd_service_name(r->service));
        cpd_html_td(f, r->service == CPD_SERVICE_COACHING ? cpd_need_name(r->need) : "");
        td_num(f, r->hours);
        cpd_html_td(f, r->reason);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    cpd_report_section_end(f);
}

/* ---- interface ---- */

void cpd_report_deploy(FILE *f, const cpd_scenario *s, const cpd_deploy_plan *p,
                       const cJSON *summary)
{
    static const char *const nav[][2] = {{"coverage", "Coverage"},
                                         {"loads", "Coach loads against capacity"},
                                         {"pairs", "Who coaches whom"},
                                         {"changes", "What changed since last term"},
                                         {"unmet", "Unmet, and why"}};
    cpd_report_nav(f, nav, 5);
    report_coverage(f, summary);
    report_loads(f, s, p);
    report_pairs(f, s, p);
    report_changes(f, s, p, summary);
    report_unmet(f, s, p);
}
