/* cmd_init.c — `cpdplan init JOB DIR`: template input files to fill in. */
#define _GNU_SOURCE /* getopt_long */
#include "cli.h"

#include "cpd_templates.h"

#include <getopt.h>
#include <string.h>

static const char init_help[] =
    "Usage: cpdplan init JOB DIR\n"
    "Writes template input files for JOB into DIR (created if missing): each CSV\n"
    "file's header with an example row, and scenario.json with the default\n"
    "weights and solver settings. Existing files are never overwritten.\n"
    "JOB is 'deploy', 'inset' or 'onboard' (whose activities.csv is the trust's\n"
    "model programme, ready to edit).\n"
    "\n"
    "  -h, --help   show this help\n"
    "\n"
    "Example: cpdplan init inset my-day && cpdplan check my-day\n"
    "Exit status: 0 written, 2 bad usage or a file already there (nothing written),\n"
    "3 write failure.\n";

typedef struct {
    const char *job, *dir;
    bool help;
} init_opts;

static void positional(cpd_diags *d, const char *arg, init_opts *o)
{
    if (!o->job)
        o->job = arg;
    else
        cli_positional(d, "init", arg, &o->dir);
}

static bool parse(int argc, char **argv, init_opts *o, cpd_diags *d)
{
    static const struct option longs[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (init_opts){0};
    opterr = 0;
    optind = 0;
    int c;
    while ((c = getopt_long(argc, argv, "-:h", longs, NULL)) != -1) {
        if (c == 1)
            positional(d, optarg, o);
        else if (c == 'h')
            o->help = true;
        else
            cli_bad_option(d, "init", c, optopt, argv, optind);
    }
    for (int i = optind; i < argc; i++)
        positional(d, argv[i], o);
    if (!o->help && !o->job)
        cli_usage(d, "init", "missing the job (deploy, inset or onboard) and the folder DIR");
    else if (!o->help && !o->dir)
        cli_usage(d, "init", "missing the folder DIR");
    return cpd_diags_errors(d) == 0;
}

static int init_job(const char *job, const char *dir, cpd_diags *d)
{
    cpd_code code = strcmp(job, "inset") == 0     ? cpd_write_inset_templates(dir, d)
                    : strcmp(job, "onboard") == 0 ? cpd_write_onboard_templates(dir, d)
                                                  : cpd_write_deploy_templates(dir, d);
    cli_print_diags(d, false);
    if (code != CPD_OK)
        return cli_status(code);
    printf("%s: %s templates written; fill them in, then run 'cpdplan check %s'\n", dir, job,
           dir);
    return CPD_OK;
}

int cmd_init(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    init_opts o;
    int status;
    if (!parse(argc, argv, &o, d))
        status = cli_usage_fail(d, "init");
    else if (o.help)
        status = cli_help(init_help);
    else if (strcmp(o.job, "deploy") != 0 && strcmp(o.job, "inset") != 0 &&
             strcmp(o.job, "onboard") != 0)
        status = cli_unknown_job("init", o.job);
    else
        status = init_job(o.job, o.dir, d);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
