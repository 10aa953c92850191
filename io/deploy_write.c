/* deploy_write.c — a deploy plan's files: deployment.csv, coach_load.csv, unmet.csv,
 * changes.csv, summary.json and report.html, written as one set (all or nothing). */
#include "cpd_csv.h"
#include "cpd_deploy_io.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_out.h"

#include <stdlib.h>

typedef struct {
    const cpd_scenario *s;
    const cpd_deploy_plan *p;
    const char *summary_text; /* summary.json as written */
    cJSON *summary;           /* its figures, shown again in the report */
} plan_view;

static const char *base_id(const cpd_scenario *s, int school)
{
    return school == CPD_TRUST_SCHOOL ? CPD_TRUST_ID : s->schools[school].id;
}

static const char *yes_no(bool b) { return b ? "yes" : "no"; }

/* ---- local: the CSV files ---- */

static const char *const deployment_header[] = {
    "teacher", "teacher_name", "school",     "service", "need",           "coach",         "coach_name",
    "coach_role", "coach_base", "hours", "travel_minutes", "kept_previous", "pinned", NULL};

static void deployment_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    const cpd_scenario *s = v->s;
    for (int i = 0; i < v->p->nrows; i++) {
        const cpd_deploy_row *r = &v->p->rows[i];
        if (r->coach < 0)
            continue;
        const cpd_staff *t = &s->staff[r->teacher];
        const cpd_coach *k = &s->coaches[r->coach];
        cpd_csvw_str(w, t->id);
        cpd_csvw_str(w, t->name);
        cpd_csvw_str(w, s->schools[t->school].id);
        cpd_csvw_str(w, cpd_service_name(r->service));
        cpd_csvw_str(w, cpd_need_name(r->need));
        cpd_csvw_str(w, k->id);
        cpd_csvw_str(w, k->name);
        cpd_csvw_str(w, cpd_coach_role_name(k->role));
        cpd_csvw_str(w, base_id(s, k->school));
        cpd_csvw_num(w, r->hours);
        cpd_csvw_num(w, r->travel_minutes);
        cpd_csvw_str(w, yes_no(r->kept_previous));
        cpd_csvw_str(w, yes_no(r->pinned));
        cpd_csvw_end_row(w);
    }
}

static const char *const load_header[] = {
    "coach",           "name",           "role",         "base",     "hours_used",
    "hours_available", "hours_coaching", "hours_travel", "coachees", "schools", NULL};

static void load_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    for (int i = 0; i < v->p->nloads && i < v->s->ncoaches; i++) {
        const cpd_coach *k = &v->s->coaches[i];
        const cpd_coach_load *l = &v->p->loads[i];
        cpd_csvw_str(w, k->id);
        cpd_csvw_str(w, k->name);
        cpd_csvw_str(w, cpd_coach_role_name(k->role));
        cpd_csvw_str(w, base_id(v->s, k->school));
        cpd_csvw_num(w, l->hours_coaching + l->hours_travel);
        cpd_csvw_num(w, l->hours_available);
        cpd_csvw_num(w, l->hours_coaching);
        cpd_csvw_num(w, l->hours_travel);
        cpd_csvw_int(w, l->coachees);
        cpd_csvw_int(w, l->schools);
        cpd_csvw_end_row(w);
    }
}

static const char *const unmet_header[] = {"teacher", "name",  "school", "service",
                                           "need",    "hours", "reason", NULL};

static void unmet_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    for (int i = 0; i < v->p->nrows; i++) {
        const cpd_deploy_row *r = &v->p->rows[i];
        if (r->coach >= 0)
            continue;
        const cpd_staff *t = &v->s->staff[r->teacher];
        cpd_csvw_str(w, t->id);
        cpd_csvw_str(w, t->name);
        cpd_csvw_str(w, v->s->schools[t->school].id);
        cpd_csvw_str(w, cpd_service_name(r->service));
        cpd_csvw_str(w, cpd_need_name(r->need));
        cpd_csvw_num(w, r->hours);
        cpd_csvw_str(w, r->reason ? r->reason : "");
        cpd_csvw_end_row(w);
    }
}

static const char *const changes_header[] = {"coach", "teacher", "new_coach", "reason", NULL};

static const char *change_coach(const cpd_scenario *s, int coach, const char *id)
{
    return coach >= 0 ? s->coaches[coach].id : id ? id : "";
}

static void change_rows(cpd_csvw *w, const void *ctx)
{
    const plan_view *v = ctx;
    for (int i = 0; i < v->p->nchanges; i++) {
        const cpd_change *c = &v->p->changes[i];
        cpd_csvw_str(w, change_coach(v->s, c->coach, c->coach_id));
        cpd_csvw_str(w, c->teacher >= 0 ? v->s->staff[c->teacher].id
                                        : c->teacher_id ? c->teacher_id : "");
        cpd_csvw_str(w, change_coach(v->s, c->new_coach, NULL));
        cpd_csvw_str(w, c->reason ? c->reason : "");
        cpd_csvw_end_row(w);
    }
}

/* ---- local: report.html ---- */

static void td_num(FILE *f, double x) { fprintf(f, "<td class=n>%.4g</td>", x); }

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static void report_head(FILE *f, const plan_view *v)
{
    fputs("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>\n<title>CPD deployment: ", f);
    cpd_html(f, v->s->name);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:2em;color:#222}"
          "table{border-collapse:collapse;margin:.5em 0 1.5em}"
          "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
          "td.n{text-align:right}th{background:#eee}.st{font-size:1.1em}</style>\n"
          "</head><body>\n<h1>CPD deployment: ", f);
    cpd_html(f, v->s->name);
    fputs("</h1>\n<p class=st>Status: <b>", f);
    const cJSON *sum = v->summary;
    cpd_html(f, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(sum, "status")));
    fputs("</b>", f);
    static const char *const keys[] = {"objective", "bound"};
    for (int i = 0; i < 2; i++) {
        const cJSON *x = cJSON_GetObjectItemCaseSensitive(sum, keys[i]);
        if (cJSON_IsNumber(x))
            fprintf(f, " &middot; %s %.4f", keys[i], x->valuedouble);
    }
    const cJSON *gap = cJSON_GetObjectItemCaseSensitive(sum, "gap");
    if (cJSON_IsNumber(gap))
        fprintf(f, " &middot; gap %.2f%%", 100 * gap->valuedouble);
    fprintf(f, " &middot; %.2f s</p>\n", jnum(sum, "seconds"));
}

static void report_coverage(FILE *f, const plan_view *v)
{
    const cJSON *sum = v->summary;
    const cJSON *dm = cJSON_GetObjectItemCaseSensitive(sum, "demands");
    fprintf(f, "<p>%.0f of %.0f demands met.</p>\n<h2>Coverage by need level</h2>\n"
               "<table><tr><th>need</th><th>teachers</th><th>met</th><th>covered</th></tr>\n",
            jnum(dm, "met"), jnum(dm, "total"));
    const cJSON *by_need = cJSON_GetObjectItemCaseSensitive(sum, "coverage_by_need");
    for (int l = CPD_NEED_INTENSIVE; l >= CPD_NEED_LIGHT; l--) {
        const cJSON *e = cJSON_GetObjectItemCaseSensitive(by_need, cpd_need_name((cpd_need)l));
        fputs("<tr>", f);
        cpd_html_td(f, cpd_need_name((cpd_need)l));
        td_num(f, jnum(e, "teachers"));
        td_num(f, jnum(e, "met"));
        cpd_html_td_pct(f, jnum(e, "met"), jnum(e, "teachers"));
        fputs("</tr>\n", f);
    }
    const cJSON *ects = cJSON_GetObjectItemCaseSensitive(sum, "ects");
    fprintf(f, "</table>\n<p>ECTs: %.0f, with a mentor %.0f, with a senior leader %.0f.</p>\n",
            jnum(ects, "count"), jnum(ects, "mentored"), jnum(ects, "senior"));
    fputs("<h2>Coverage by school</h2>\n<table><tr><th>school</th><th>name</th><th>demands</th>"
          "<th>met</th><th>covered</th></tr>\n", f);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sum, "coverage_by_school"))
    {
        fputs("<tr>", f);
        cpd_html_td(f, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "school")));
        cpd_html_td(f, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "name")));
        td_num(f, jnum(e, "needs"));
        td_num(f, jnum(e, "met"));
        cpd_html_td_pct(f, jnum(e, "met"), jnum(e, "needs"));
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void report_loads(FILE *f, const plan_view *v)
{
    fputs("<h2>Coach loads</h2>\n<table><tr><th>coach</th><th>name</th><th>role</th>"
          "<th>base</th><th>hours used</th><th>hours available</th><th>of which travel</th>"
          "<th>coachees</th><th>schools</th></tr>\n", f);
    for (int i = 0; i < v->p->nloads && i < v->s->ncoaches; i++) {
        const cpd_coach *k = &v->s->coaches[i];
        const cpd_coach_load *l = &v->p->loads[i];
        fputs("<tr>", f);
        cpd_html_td(f, k->id);
        cpd_html_td(f, k->name);
        cpd_html_td(f, cpd_coach_role_name(k->role));
        cpd_html_td(f, base_id(v->s, k->school));
        td_num(f, l->hours_coaching + l->hours_travel);
        td_num(f, l->hours_available);
        td_num(f, l->hours_travel);
        td_num(f, l->coachees);
        td_num(f, l->schools);
        fputs("</tr>\n", f);
    }
    fputs("</table>\n", f);
}

static void report_school(FILE *f, const plan_view *v, int school)
{
    bool any = false;
    for (int i = 0; i < v->p->nrows; i++) {
        const cpd_deploy_row *r = &v->p->rows[i];
        if (r->coach < 0 || v->s->staff[r->teacher].school != school)
            continue;
        if (!any) {
            fputs("<h3>", f);
            cpd_html(f, v->s->schools[school].name);
            fputs("</h3>\n<table><tr><th>teacher</th><th>support</th><th>need</th><th>coach</th>"
                  "<th>hours</th><th>notes</th></tr>\n", f);
            any = true;
        }
        const cpd_staff *t = &v->s->staff[r->teacher];
        const cpd_coach *k = &v->s->coaches[r->coach];
        fputs("<tr>", f);
        cpd_html_td(f, t->name);
        cpd_html_td(f, cpd_service_name(r->service));
        cpd_html_td(f, cpd_need_name(r->need));
        cpd_html_td(f, k->name);
        td_num(f, r->hours);
        cpd_html_td(f, r->pinned ? "pinned" : r->kept_previous ? "kept from last term" : "");
        fputs("</tr>\n", f);
    }
    if (any)
        fputs("</table>\n", f);
}

static void report_lists(FILE *f, const plan_view *v)
{
    fputs("<h2>Changes from last term</h2>\n<ul>\n", f);
    for (int i = 0; i < v->p->nchanges; i++) {
        const cpd_change *c = &v->p->changes[i];
        fputs("<li>", f);
        cpd_html(f, change_coach(v->s, c->coach, c->coach_id));
        fputs(" &ndash; ", f);
        cpd_html(f, c->teacher >= 0 ? v->s->staff[c->teacher].name : c->teacher_id);
        fputs(": ", f);
        cpd_html(f, c->reason);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n<h2>Unmet</h2>\n<ul>\n", f);
    for (int i = 0; i < v->p->nrows; i++) {
        const cpd_deploy_row *r = &v->p->rows[i];
        if (r->coach >= 0)
            continue;
        fputs("<li>", f);
        cpd_html(f, v->s->staff[r->teacher].name);
        fprintf(f, " (%s): ", cpd_service_name(r->service));
        cpd_html(f, r->reason);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

static bool write_report(cpd_outset *o, const plan_view *v, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "report.html", d);
    if (!f)
        return false;
    report_head(f, v);
    report_coverage(f, v);
    report_loads(f, v);
    fputs("<h2>Who coaches whom</h2>\n", f);
    for (int i = 0; i < v->s->nschools; i++)
        report_school(f, v, i);
    report_lists(f, v);
    fputs("</body></html>\n", f);
    return cpd_outset_flushed(o, f, "report.html", d);
}

/* ---- interface ---- */

bool cpd_write_deploy(const char *outdir, const cpd_scenario *s, const cpd_deploy_plan *p,
                      cpd_diags *d)
{
    if (!p) {
        cpd_error(d, outdir, 0, 0, "no plan to write");
        return false;
    }
    char *text = cpd_deploy_summary_json(s, p);
    plan_view v = {s, p, text, cJSON_Parse(text)};
    cpd_outset *o = cpd_outset_new(outdir, d);
    bool ok = o && v.summary &&
              cpd_outset_csv(o, "deployment.csv", deployment_header, deployment_rows, &v, d) &&
              cpd_outset_csv(o, "coach_load.csv", load_header, load_rows, &v, d) &&
              cpd_outset_csv(o, "unmet.csv", unmet_header, unmet_rows, &v, d) &&
              cpd_outset_csv(o, "changes.csv", changes_header, change_rows, &v, d) &&
              cpd_outset_text(o, "summary.json", v.summary_text, d) && write_report(o, &v, d);
    cJSON_Delete(v.summary);
    free(text);
    return cpd_outset_finish(&o, ok, d);
}
