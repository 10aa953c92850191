/* cmd_check.c — `cpdplan check DIR`: validate every input present and list every problem. */
#define _GNU_SOURCE /* getopt_long */
#include "cli.h"

#include "cpd_deploy.h"
#include "cpd_inset.h"
#include "cpd_inset_io.h"
#include "cpd_load.h"
#include "cpd_onboard.h"
#include "cpd_onboard_io.h"

#include <getopt.h>
#include <stdlib.h>

static const char check_help[] =
    "Usage: cpdplan check DIR\n"
    "Reads every input file in the scenario folder DIR and lists every problem\n"
    "at once, each as FILE:LINE:COLUMN: message, so an editor can jump to it.\n"
    "A folder with workshops.csv is a training day (inset): its shortfalls are\n"
    "noted too. A folder with activities.csv is an onboarding programme (onboard):\n"
    "where the shared people fall short is noted. Writes nothing.\n"
    "\n"
    "  -q, --quiet   errors only (no warnings, no 'ok' line)\n"
    "  -h, --help    show this help\n"
    "\n"
    "Example: cpdplan check scenarios/trust\n"
    "Exit status: 0 inputs are fine, 1 pins contradict each other (no plan can\n"
    "exist, or a shortfall under inset's strict), 2 bad usage or bad input.\n";

typedef struct {
    const char *dir;
    bool quiet, help;
} check_opts;

static bool parse(int argc, char **argv, check_opts *o, cpd_diags *d)
{
    static const struct option longs[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (check_opts){0};
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "-:qh", longs, NULL)) != -1) {
        if (c == 1)
            cli_positional(d, "check", optarg, &o->dir);
        else if (c == 'q')
            o->quiet = true;
        else if (c == 'h')
            o->help = true;
        else
            cli_bad_option(d, "check", c, optopt, argv, optind);
    }
    for (int i = optind; i < argc; i++)
        cli_positional(d, "check", argv[i], &o->dir);
    if (!o->dir && !o->help)
        cli_usage(d, "check", "missing the scenario folder DIR");
    return cpd_diags_errors(d) == 0;
}

/* Loads and checks; returns the exit status. Every problem goes into d first. */
/* The count of problems, and what to do about them. */
static void say_problems(const check_opts *o, size_t nerr)
{
    fprintf(stderr, "check: %zu problem%s in %s; fix each at the place named, then run "
            "'cpdplan check %s' again\n", nerr, nerr == 1 ? "" : "s", o->dir, o->dir);
}

static int check_deploy(const check_opts *o, cpd_diags *d)
{
    cpd_scenario *s = cpd_load_deploy(o->dir, d);
    int status = CPD_OK;
    if (!s)
        status = CPD_EINPUT;
    else if (cpd_deploy_check(s, d) != CPD_OK || cpd_diags_errors(d) > 0)
        status = CPD_ENOPLAN;
    cli_print_diags(d, o->quiet);
    size_t nerr = cpd_diags_errors(d);
    if (status != CPD_OK)
        say_problems(o, nerr);
    else if (!o->quiet)
        printf("%s: ok (%d school%s, %d staff, %d coach%s)\n", o->dir, s->nschools,
               s->nschools == 1 ? "" : "s", s->nstaff, s->ncoaches,
               s->ncoaches == 1 ? "" : "es");
    cpd_scenario_free(&s);
    return status;
}

static int check_inset(const check_opts *o, cpd_diags *d)
{
    cpd_inset *p = cpd_load_inset(o->dir, d);
    int status = CPD_OK;
    if (!p)
        status = CPD_EINPUT;
    else if (cpd_inset_check(p, d) != CPD_OK || cpd_diags_errors(d) > 0)
        status = CPD_ENOPLAN;
    cli_print_diags(d, o->quiet);
    size_t nerr = cpd_diags_errors(d);
    if (status != CPD_OK)
        say_problems(o, nerr);
    else if (!o->quiet)
        printf("%s: ok (%d school%s, %d staff, %d workshops over %d slots, %d with "
               "preferences)\n", o->dir, p->common->nschools,
               p->common->nschools == 1 ? "" : "s", p->common->nstaff, p->nworkshops,
               p->params.nslots, p->nprefs);
    cpd_inset_free(&p);
    return status;
}

static int check_onboard(const check_opts *o, cpd_diags *d)
{
    cpd_onboard *p = cpd_load_onboard(o->dir, d);
    int status = CPD_OK;
    if (!p)
        status = CPD_EINPUT;
    else if (cpd_onboard_check(p, d) != CPD_OK || cpd_diags_errors(d) > 0)
        status = CPD_ENOPLAN;
    cli_print_diags(d, o->quiet);
    size_t nerr = cpd_diags_errors(d);
    if (status != CPD_OK) {
        say_problems(o, nerr);
    } else if (!o->quiet) {
        int joining = 0;
        for (int s = 0; s < p->common->nschools; s++)
            joining += p->common->schools[s].joining;
        printf("%s: ok (%d joining school%s, %d staff, %d activities, %d shared people)\n",
               o->dir, joining, joining == 1 ? "" : "s", p->common->nstaff, p->nactivities,
               p->nresources);
    }
    cpd_onboard_free(&p);
    return status;
}

/* A folder holding activities.csv is an onboarding programme. */
static bool is_onboard(const char *dir)
{
    char *act = cli_path(dir, "activities.csv");
    bool yes = cli_exists(act);
    free(act);
    return yes;
}

/* A folder holding workshops.csv (and no coaches.csv) is a training day. */
static bool is_inset(const char *dir)
{
    char *ws = cli_path(dir, "workshops.csv"), *coaches = cli_path(dir, "coaches.csv");
    bool yes = cli_exists(ws) && !cli_exists(coaches);
    free(ws);
    free(coaches);
    return yes;
}

int cmd_check(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    check_opts o;
    int status;
    if (!parse(argc, argv, &o, d))
        status = cli_usage_fail(d, "check");
    else if (o.help)
        status = cli_help(check_help);
    else if (!cli_folder(d, "check", o.dir))
        status = cli_usage_fail(d, "check");
    else if (is_onboard(o.dir))
        status = check_onboard(&o, d);
    else if (is_inset(o.dir))
        status = check_inset(&o, d);
    else
        status = check_deploy(&o, d);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
