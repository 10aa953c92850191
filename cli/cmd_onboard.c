/* cmd_onboard.c — `cpdplan onboard DIR`: load the programme and the shared people, say where
 * they fall short, schedule the four weeks, write the schedule, summarise. */
#include "cli.h"

#include "cpd_onboard.h"
#include "cpd_onboard_io.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char onboard_help[] =
    "Usage: cpdplan onboard DIR [options]\n"
    "Schedules the onboarding programme of the schools joining the trust, day by\n"
    "day, under the capacity of the trust's shared people (LPs, DOLs, SENCO,\n"
    "executive head) and of each school (cover, training days).\n"
    "\n"
    "  -o, --out DIR           write the plan here (default DIR/out)\n"
    "  -t, --time-limit SEC    search at most SEC seconds, then write the best plan\n"
    "      --gap REL           stop once proven within REL of the best (0.01 = 1%)\n"
    "      --export-model FILE write the exact model solved (FILE.lp or FILE.mps)\n"
    "      --anonymise         write ids in place of names (to share the plan)\n"
    "  -q, --quiet             no summary, no warnings (errors only)\n"
    "      --json              print summary.json on stdout instead of the views\n"
    "  -h, --help              show this help\n"
    "\n"
    "Reads DIR/schools.csv (joining=yes marks the new schools), staff.csv,\n"
    "activities.csv, resources.csv and, if present, travel.csv, deployment.csv\n"
    "(each person's day in class is with their deployed coach), scenario.json.\n"
    "Writes schedule.csv, schedule.ics, unmet.csv, summary.json and report.html,\n"
    "all or nothing.\n"
    "\n"
    "Example: cpdplan onboard scenarios/onboard -o plan\n"
    "Exit status: 0 plan written (tasks late or not placed listed in unmet.csv),\n"
    "2 bad usage or input, 3 internal failure.\n";

static void print_summary(const cli_job_opts *o, const cpd_onboard *p,
                          const cpd_onboard_plan *pl, const char *out)
{
    if (o->json) {
        char *json = cpd_onboard_summary_json(p, pl);
        fputs(json, stdout);
        if (json[0] && json[strlen(json) - 1] != '\n')
            fputc('\n', stdout);
        free(json);
    } else if (!o->quiet) {
        cpd_print_onboard_summary(stdout, p, pl, cli_colour());
        size_t n = strlen(out);
        printf("Plan written to %s%s\n", out, n > 0 && out[n - 1] == '/' ? "" : "/");
    }
}

static int solve_and_write(cpd_onboard *p, const cli_job_opts *o, const char *out)
{
    if (o->has_time_limit)
        p->params.time_limit = o->time_limit;
    if (o->has_gap)
        p->params.gap = o->gap;
    cpd_onboard_opts opts = {
        .solve = {.time_limit = p->params.time_limit,
                  .gap = p->params.gap,
                  .progress = !o->quiet && isatty(STDERR_FILENO)},
        .export_path = o->export_path,
    };
    cpd_diags *notes = cpd_diags_new(), *d = cpd_diags_new();
    cpd_onboard_plan *plan = NULL;
    /* what the capacity says before solving: printed once, not again after the solve */
    cpd_code code = cpd_onboard_check(p, notes);
    cli_print_diags(notes, o->quiet);
    if (code == CPD_OK) {
        code = cpd_onboard_solve(p, &opts, &plan, d);
        if (code == CPD_OK && !plan)
            code = CPD_EINTERNAL;
        if (code == CPD_OK && !cpd_write_onboard(out, p, plan, d))
            code = CPD_EINTERNAL;
        cli_print_new(d, notes, o->quiet);
        if (code == CPD_OK)
            print_summary(o, p, plan, out);
    }
    if (code == CPD_ENOPLAN)
        fprintf(stderr, "cpdplan onboard: no plan exists; nothing written; change what is named "
                        "above, then run again\n");
    cpd_onboard_plan_free(&plan);
    cpd_diags_free(&notes);
    cpd_diags_free(&d);
    return cli_status(code);
}

int cmd_onboard(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    cli_job_opts o;
    int status;
    char *out = NULL;
    if (!cli_parse_job(argc, argv, &o, d)) {
        status = cli_usage_fail(d, "onboard");
        goto done;
    }
    if (o.help || o.version) {
        status = o.help ? cli_help(onboard_help) : cli_version();
        goto done;
    }
    out = o.out ? cpd_strdup(o.out) : cli_path(o.dir, "out");
    bool dir_ok = cli_folder(d, "onboard", o.dir);
    bool out_ok = cli_out_usable(d, "onboard", out);
    bool export_ok = cli_export_usable(d, "onboard", o.export_path);
    if (!dir_ok || !out_ok || !export_ok) {
        status = cli_usage_fail(d, "onboard");
        goto done;
    }
    cpd_onboard *p = cpd_load_onboard(o.dir, d);
    cli_print_diags(d, o.quiet);
    if (!p) {
        status = CPD_EINPUT;
        goto done;
    }
    if (o.anonymise)
        cpd_onboard_anonymise(p);
    status = solve_and_write(p, &o, out);
    cpd_onboard_free(&p);
done:
    free(out);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
