/* deploy_write.c — a deploy plan's files: deployment.csv, coach_load.csv, unmet.csv,
 * changes.csv, summary.json and report.html, written as one set (all or nothing). */
#include "cpd_csv.h"
#include "cpd_deploy_io.h"
#include "cpd_io_util.h"
#include "cpd_json.h"
#include "cpd_out.h"
#include "cpd_report.h"

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

static bool write_report(cpd_outset *o, const plan_view *v, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, "report.html", d);
    if (!f)
        return false;
    cpd_report_begin(f, "CPD deployment", v->summary);
    cpd_report_deploy(f, v->s, v->p, v->summary);
    cpd_report_end(f);
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
