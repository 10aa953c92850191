/* cmd_verify.c — `cpdplan verify DIR [--plan OUT]`: re-check a written plan, independently. */
#define _GNU_SOURCE /* getopt_long */
#include "cli.h"

#include "cpd_deploy_io.h"
#include "cpd_inset_io.h"
#include "cpd_load.h"
#include "cpd_onboard_io.h"
#include "cpd_verify.h"

#include <getopt.h>
#include <stdlib.h>

static const char verify_help[] =
    "Usage: cpdplan verify DIR [--plan OUT]\n"
    "Reads a written plan back and re-checks every rule against the inputs in\n"
    "DIR, with code that shares nothing with the model (a wrong model cannot\n"
    "vouch for itself). deploy: every need listed once, services and subjects\n"
    "fit, same-school rules, hours with travel, coachee and school limits, pins,\n"
    "the limit on changes, the loads written. inset (a plan with allocation.csv):\n"
    "one thing per slot, facilitators, capacity, audience, no workshop twice,\n"
    "two-slot runs, min_size, mandatory workshops, pins, ranks. onboard (a plan\n"
    "with schedule.csv): every task once, windows, needs and roles, one task a\n"
    "period and one school a day per person, days a week, days away, order,\n"
    "staff in one task at a time, cover, training days.\n"
    "\n"
    "  -p, --plan OUT   the plan's folder (default DIR/out)\n"
    "      --max-changes K  the limit the plan was made under, when deploy was\n"
    "                   given --max-changes (default: scenario.json's)\n"
    "  -q, --quiet      print breaches only\n"
    "  -h, --help       show this help\n"
    "\n"
    "Example: cpdplan verify scenarios/trust --plan scenarios/trust/out\n"
    "Exit status: 0 the plan keeps every rule, 1 breaches found (each printed),\n"
    "2 bad usage, bad input or an unreadable plan.\n";

typedef struct {
    const char *dir, *plan;
    bool quiet, help;
    bool has_max_changes;
    long max_changes;
} verify_opts;

enum { OPT_MAX_CHANGES = 256 };

static bool parse(int argc, char **argv, verify_opts *o, cpd_diags *d)
{
    static const struct option longs[] = {
        {"plan", required_argument, NULL, 'p'},
        {"max-changes", required_argument, NULL, OPT_MAX_CHANGES},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (verify_opts){0};
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "-:p:qh", longs, NULL)) != -1) {
        if (c == 1)
            cli_positional(d, "verify", optarg, &o->dir);
        else if (c == 'p')
            o->plan = optarg;
        else if (c == OPT_MAX_CHANGES)
            o->has_max_changes = cli_long(d, "verify", "--max-changes", "a whole number of pairs",
                                          optarg, 0, 1000000, &o->max_changes);
        else if (c == 'q')
            o->quiet = true;
        else if (c == 'h')
            o->help = true;
        else
            cli_bad_option(d, "verify", c, optopt, argv, optind);
    }
    for (int i = optind; i < argc; i++)
        cli_positional(d, "verify", argv[i], &o->dir);
    if (!o->dir && !o->help)
        cli_usage(d, "verify", "missing the scenario folder DIR");
    return cpd_diags_errors(d) == 0;
}

/* The count of breaches, and what to do about them. */
static void say_breaches(int breaches)
{
    fprintf(stderr, "verify: %d breach%s; undo the edits that made %s, or run the job again "
            "for a new plan\n", breaches, breaches == 1 ? "" : "es", breaches == 1 ? "it" : "them");
}

static int report(const cpd_scenario *s, const cpd_deploy_plan *p, int breaches,
                  const verify_opts *o, const cpd_diags *d)
{
    cli_print_diags(d, o->quiet);
    if (breaches > 0) {
        say_breaches(breaches);
        return CPD_ENOPLAN;
    }
    if (!o->quiet)
        printf("verify: plan keeps every rule (%d rows, %d coaches)\n", p->nrows, s->ncoaches);
    return CPD_OK;
}

static int verify_deploy(const verify_opts *o, const char *plandir, cpd_diags *d)
{
    cpd_scenario *s = cpd_load_deploy(o->dir, d);
    if (s && o->has_max_changes) /* as deploy applied it: the rule the plan was made under */
        s->params.max_changes = (int)o->max_changes;
    cpd_deploy_plan *p = s ? cpd_read_deploy_plan(plandir, s, d) : NULL;
    int status;
    if (!p) {
        cli_print_diags(d, o->quiet);
        status = CPD_EINPUT;
    } else {
        int breaches = cpd_verify_deploy(s, p, d);
        status = report(s, p, breaches, o, d);
    }
    cpd_deploy_plan_free(&p);
    cpd_scenario_free(&s);
    return status;
}

static int verify_inset(const verify_opts *o, const char *plandir, cpd_diags *d)
{
    cpd_inset *p = cpd_load_inset(o->dir, d);
    cpd_inset_plan *pl = p ? cpd_read_inset_plan(plandir, p, d) : NULL;
    int status = CPD_EINPUT;
    if (!pl) {
        cli_print_diags(d, o->quiet);
    } else {
        int breaches = cpd_verify_inset(p, pl, d);
        cli_print_diags(d, o->quiet);
        if (breaches > 0)
            say_breaches(breaches);
        else if (!o->quiet)
            printf("verify: plan keeps every rule (%d staff, %d slots, %d workshops)\n",
                   p->common->nstaff, p->params.nslots, p->nworkshops);
        status = breaches > 0 ? CPD_ENOPLAN : CPD_OK;
    }
    cpd_inset_plan_free(&pl);
    cpd_inset_free(&p);
    return status;
}

static int verify_onboard(const verify_opts *o, const char *plandir, cpd_diags *d)
{
    cpd_onboard *p = cpd_load_onboard(o->dir, d);
    cpd_onboard_plan *pl = p ? cpd_read_onboard_plan(plandir, p, d) : NULL;
    int status = CPD_EINPUT;
    if (!pl) {
        cli_print_diags(d, o->quiet);
    } else {
        int breaches = cpd_verify_onboard(p, pl, d);
        cli_print_diags(d, o->quiet);
        if (breaches > 0)
            say_breaches(breaches);
        else if (!o->quiet)
            printf("verify: plan keeps every rule (%d tasks, %d shared people)\n", pl->ntasks,
                   p->nresources);
        status = breaches > 0 ? CPD_ENOPLAN : CPD_OK;
    }
    cpd_onboard_plan_free(&pl);
    cpd_onboard_free(&p);
    return status;
}

/* An onboarding plan has schedule.csv; without a plan to tell, a folder with activities.csv is
 * an onboarding programme. */
static bool is_onboard(const char *dir, const char *plandir)
{
    char *sched = cli_path(plandir, "schedule.csv"), *act = cli_path(dir, "activities.csv");
    bool yes = cli_exists(sched) || cli_exists(act);
    free(sched);
    free(act);
    return yes;
}

/* An inset plan has allocation.csv; without a plan to tell, a folder with workshops.csv and no
 * coaches.csv is a training day. */
static bool is_inset(const char *dir, const char *plandir)
{
    char *alloc = cli_path(plandir, "allocation.csv"), *dep = cli_path(plandir, "deployment.csv");
    char *ws = cli_path(dir, "workshops.csv"), *coaches = cli_path(dir, "coaches.csv");
    bool yes = cli_exists(alloc) ||
               (!cli_exists(dep) && cli_exists(ws) && !cli_exists(coaches));
    free(alloc);
    free(dep);
    free(ws);
    free(coaches);
    return yes;
}

int cmd_verify(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    verify_opts o;
    char *plandir = NULL;
    int status;
    if (!parse(argc, argv, &o, d)) {
        status = cli_usage_fail(d, "verify");
    } else if (o.help) {
        status = cli_help(verify_help);
    } else {
        plandir = o.plan ? cpd_strdup(o.plan) : cli_path(o.dir, "out");
        bool dir_ok = cli_folder(d, "verify", o.dir);
        bool plan_ok = cli_folder(d, "verify", plandir);
        if (!dir_ok || !plan_ok)
            status = cli_usage_fail(d, "verify");
        else if (is_onboard(o.dir, plandir))
            status = verify_onboard(&o, plandir, d);
        else if (is_inset(o.dir, plandir))
            status = verify_inset(&o, plandir, d);
        else
            status = verify_deploy(&o, plandir, d);
    }
    free(plandir);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
