/* cmd_generate.c — `cpdplan generate deploy DIR --staff N`: a synthetic scenario of that size. */
#define _GNU_SOURCE /* getopt_long */
#include "cli.h"

#include "cpd_generate.h"
#include "cpd_inset_io.h"
#include "cpd_onboard_io.h"
#include "cpd_load.h"

#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char generate_help[] =
    "Usage: cpdplan generate JOB DIR --staff N [--schools K] [--seed S]\n"
    "Writes a synthetic scenario of the given size into DIR, for trials and\n"
    "benchmarks. deploy: schools on a map with travel times, staff with need\n"
    "levels, coaches in proportion, a previous term and a few pins. inset: a\n"
    "training day of workshops with facilitators, audiences, mandatory ones and\n"
    "ranked preferences. onboard: joining schools (--schools, default 1) with\n"
    "their staff, the trust's model programme and its pool of shared people.\n"
    "The same seed gives the same files on every machine.\n"
    "JOB is 'deploy', 'inset' or 'onboard'.\n"
    "\n"
    "  -n, --staff N      members of staff (1 to 100000)\n"
    "  -s, --schools K    schools (default N/50 for deploy, N/100 for inset);\n"
    "                     onboard: joining schools (default 1)\n"
    "  -w, --workshops W  inset: workshops (default N/50, at least 12)\n"
    "      --slots S      inset: sessions in the day (default 3; 4 from 1000 staff)\n"
    "      --seed S       random seed (default 1)\n"
    "  -f, --force        overwrite input files already in DIR\n"
    "  -h, --help         show this help\n"
    "\n"
    "Example: cpdplan generate inset /tmp/day --staff 2000 --workshops 40\n"
    "Exit status: 0 written, 2 bad usage (nothing written), 3 write failure.\n";

enum { OPT_SEED = 256, OPT_SLOTS };

typedef struct {
    const char *job, *dir;
    long staff, schools, seed, workshops, slots;
    bool has_staff, has_schools, has_workshops, has_slots, force, help;
} gen_opts;

static void positional(cpd_diags *d, const char *arg, gen_opts *o)
{
    if (!o->job)
        o->job = arg;
    else
        cli_positional(d, "generate", arg, &o->dir);
}

static void option(int c, const char *arg, gen_opts *o, cpd_diags *d)
{
    if (c == 'n')
        o->has_staff = cli_long(d, "generate", "--staff", "a number of staff", arg, 1, 100000,
                                &o->staff);
    else if (c == 's')
        o->has_schools = cli_long(d, "generate", "--schools", "a number of schools", arg, 1,
                                  10000, &o->schools);
    else if (c == 'w')
        o->has_workshops = cli_long(d, "generate", "--workshops", "a number of workshops", arg, 1,
                                    1000, &o->workshops);
    else if (c == OPT_SLOTS)
        o->has_slots = cli_long(d, "generate", "--slots", "a number of sessions", arg, 1, 8,
                                &o->slots);
    else if (c == OPT_SEED)
        cli_long(d, "generate", "--seed", "a whole number", arg, 0, LONG_MAX, &o->seed);
    else if (c == 'f')
        o->force = true;
    else if (c == 'h')
        o->help = true;
}

static void check_args(const gen_opts *o, cpd_diags *d)
{
    if (o->help)
        return;
    if (!o->job)
        cli_usage(d, "generate", "missing the job (deploy, inset or onboard) and the folder DIR");
    else if (!o->dir)
        cli_usage(d, "generate", "missing the folder DIR");
    if (!o->has_staff)
        cli_usage(d, "generate", "--staff N is required");
    else if (o->has_schools && o->schools > o->staff)
        cli_usage(d, "generate", "--schools %ld is more than --staff %ld", o->schools, o->staff);
}

static bool parse(int argc, char **argv, gen_opts *o, cpd_diags *d)
{
    static const struct option longs[] = {
        {"staff", required_argument, NULL, 'n'}, {"schools", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, OPT_SEED}, {"force", no_argument, NULL, 'f'},
        {"workshops", required_argument, NULL, 'w'}, {"slots", required_argument, NULL, OPT_SLOTS},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    *o = (gen_opts){.seed = 1};
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "-:n:s:w:fh", longs, NULL)) != -1) {
        if (c == 1)
            positional(d, optarg, o);
        else if (c == '?' || c == ':')
            cli_bad_option(d, "generate", c, optopt, argv, optind);
        else
            option(c, optarg, o, d);
    }
    for (int i = optind; i < argc; i++)
        positional(d, argv[i], o);
    check_args(o, d);
    return cpd_diags_errors(d) == 0;
}

/* A scenario folder already holding inputs is somebody's work: keep it unless --force. */
static bool would_overwrite(const char *dir, cpd_diags *d)
{
    static const char *const files[] = {"schools.csv",  "staff.csv",       "coaches.csv",
                                        "travel.csv",   "previous.csv",    "pins.csv",
                                        "workshops.csv", "preferences.csv", "scenario.json",
                                        "activities.csv", "resources.csv"};
    bool any = false;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *p = cli_path(dir, files[i]);
        if (cli_exists(p)) {
            cpd_error(d, p, 0, 0, "already exists; not overwritten (use --force to replace it)");
            any = true;
        }
        free(p);
    }
    return any;
}

static int generate_deploy(const gen_opts *o, cpd_diags *d)
{
    if (!o->force && would_overwrite(o->dir, d)) {
        cli_print_diags(d, false);
        return CPD_EINPUT;
    }
    int nschools = o->has_schools ? (int)o->schools : (int)(o->staff / 50 > 1 ? o->staff / 50 : 1);
    cpd_scenario *s = cpd_generate_deploy((int)o->staff, nschools, (unsigned long)o->seed);
    int status = CPD_EINTERNAL;
    if (s && cpd_save_deploy(o->dir, s, d)) {
        printf("%s: generated %d schools, %d staff, %d coaches (seed %ld)\n", o->dir,
               s->nschools, s->nstaff, s->ncoaches, o->seed);
        status = CPD_OK;
    }
    cli_print_diags(d, false);
    cpd_scenario_free(&s);
    return status;
}

static int generate_inset(const gen_opts *o, cpd_diags *d)
{
    if (!o->force && would_overwrite(o->dir, d)) {
        cli_print_diags(d, false);
        return CPD_EINPUT;
    }
    long n = o->staff;
    int nschools = o->has_schools ? (int)o->schools : (int)(n / 100 > 1 ? n / 100 : 1);
    int nws = o->has_workshops ? (int)o->workshops : (int)(n / 50 > 12 ? n / 50 : 12);
    int nslots = o->has_slots ? (int)o->slots : n >= 1000 ? 4 : 3;
    cpd_inset *p = cpd_generate_inset((int)n, nschools, nws, nslots, (unsigned long)o->seed);
    int status = CPD_EINTERNAL;
    if (p && cpd_save_inset(o->dir, p, d)) {
        printf("%s: generated %d schools, %d staff, %d workshops over %d slots (seed %ld)\n",
               o->dir, p->common->nschools, p->common->nstaff, p->nworkshops, p->params.nslots,
               o->seed);
        status = CPD_OK;
    }
    cli_print_diags(d, false);
    cpd_inset_free(&p);
    return status;
}

static int generate_onboard(const gen_opts *o, cpd_diags *d)
{
    if (!o->force && would_overwrite(o->dir, d)) {
        cli_print_diags(d, false);
        return CPD_EINPUT;
    }
    int nschools = o->has_schools ? (int)o->schools : 1;
    cpd_onboard *p = cpd_generate_onboard((int)o->staff, nschools, (unsigned long)o->seed);
    int status = CPD_EINTERNAL;
    if (p && cpd_save_onboard(o->dir, p, d)) {
        printf("%s: generated %d joining school%s, %d staff, %d shared people, %d activities "
               "(seed %ld)\n", o->dir, nschools, nschools == 1 ? "" : "s", p->common->nstaff,
               p->nresources, p->nactivities, o->seed);
        status = CPD_OK;
    }
    cli_print_diags(d, false);
    cpd_onboard_free(&p);
    return status;
}

int cmd_generate(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    gen_opts o;
    int status;
    if (!parse(argc, argv, &o, d))
        status = cli_usage_fail(d, "generate");
    else if (o.help)
        status = cli_help(generate_help);
    else if (strcmp(o.job, "inset") == 0)
        status = generate_inset(&o, d);
    else if (strcmp(o.job, "onboard") == 0)
        status = generate_onboard(&o, d);
    else if (strcmp(o.job, "deploy") != 0)
        status = cli_unknown_job("generate", o.job);
    else
        status = generate_deploy(&o, d);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
