/* cmd_deploy.c — `cpdplan deploy DIR`: load, solve, write the plan, summarise. */
#include "cli.h"

#include "cpd_deploy.h"
#include "cpd_deploy_io.h"
#include "cpd_load.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char deploy_help[] =
    "Usage: cpdplan deploy DIR [options]\n"
    "Places coaches (LPs, DOLs, outstanding teachers, mentors, senior leaders)\n"
    "with the teachers most in need, across the trust's schools, for the term.\n"
    "\n"
    "  -o, --out DIR           write the plan here (default DIR/out)\n"
    "  -t, --time-limit SEC    search at most SEC seconds, then write the best plan\n"
    "                          (default: scenario.json solver.time_limit, else 60)\n"
    "      --gap REL           stop once proven within REL of the best (0.01 = 1%)\n"
    "      --max-changes K     break at most K of last term's pairs\n"
    "      --export-model FILE write the exact model solved (FILE.lp or FILE.mps)\n"
    "      --anonymise         write ids in place of names (to share the plan)\n"
    "  -q, --quiet             no summary, no warnings (errors only)\n"
    "      --json              print summary.json on stdout instead of the table\n"
    "  -h, --help              show this help\n"
    "\n"
    "Reads DIR/schools.csv, staff.csv, coaches.csv and, if present, travel.csv,\n"
    "previous.csv, pins.csv, scenario.json. Writes deployment.csv, coach_load.csv,\n"
    "changes.csv, unmet.csv, summary.json and report.html, all or nothing.\n"
    "\n"
    "Example: cpdplan deploy scenarios/trust -o plan --time-limit 30\n"
    "Exit status: 0 plan written (unmet needs in unmet.csv), 1 no plan exists,\n"
    "2 bad usage or input (nothing written), 3 internal or solver failure.\n";

/* Overrides the scenario's settings with what the user asked for on the command line. */
static void apply_options(cpd_scenario *s, const cli_job_opts *o, cpd_deploy_opts *dopts)
{
    if (o->has_max_changes)
        s->params.max_changes = (int)o->max_changes;
    if (o->has_time_limit)
        s->params.time_limit = o->time_limit;
    if (o->has_gap)
        s->params.gap = o->gap;
    *dopts = (cpd_deploy_opts){
        .solve = {.time_limit = s->params.time_limit,
                  .gap = s->params.gap,
                  .progress = !o->quiet && isatty(STDERR_FILENO)},
        .export_path = o->export_path,
    };
}

static void print_summary(const cli_job_opts *o, const cpd_scenario *s,
                          const cpd_deploy_plan *p, const char *out)
{
    if (o->json) {
        char *json = cpd_deploy_summary_json(s, p);
        fputs(json, stdout);
        if (json[0] && json[strlen(json) - 1] != '\n')
            fputc('\n', stdout);
        free(json);
    } else if (!o->quiet) {
        cpd_print_deploy_summary(stdout, s, p, cli_colour());
        size_t n = strlen(out);
        printf("Plan written to %s%s\n", out, n > 0 && out[n - 1] == '/' ? "" : "/");
    }
}

/* Solves a loaded scenario and writes the plan; returns the exit status. The loader's
 * warnings are already out, so the solve's messages have their own list. */
static int solve_and_write(cpd_scenario *s, const cli_job_opts *o, const char *out)
{
    cpd_diags *d = cpd_diags_new();
    cpd_deploy_opts dopts;
    apply_options(s, o, &dopts);
    cpd_deploy_plan *plan = NULL; /* the solve checks the pins first (CPD_ENOPLAN) */
    cpd_code code = cpd_deploy_solve(s, &dopts, &plan, d);
    if (code == CPD_OK && !plan)
        code = CPD_EINTERNAL;
    if (code == CPD_OK && !cpd_write_deploy(out, s, plan, d))
        code = CPD_EINTERNAL;
    cli_print_diags(d, o->quiet);
    if (code == CPD_OK)
        print_summary(o, s, plan, out);
    else if (code == CPD_ENOPLAN)
        fprintf(stderr, "cpdplan deploy: no plan exists; nothing written; change what is named "
                        "above, then run again\n");
    cpd_deploy_plan_free(&plan);
    cpd_diags_free(&d);
    return cli_status(code);
}

int cmd_deploy(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    cli_job_opts o;
    int status;
    char *out = NULL;
    if (!cli_parse_job(argc, argv, &o, d)) {
        status = cli_usage_fail(d, "deploy");
        goto done;
    }
    if (o.help || o.version) {
        status = o.help ? cli_help(deploy_help) : cli_version();
        goto done;
    }
    out = o.out ? cpd_strdup(o.out) : cli_path(o.dir, "out");
    bool dir_ok = cli_folder(d, "deploy", o.dir);
    bool out_ok = cli_out_usable(d, "deploy", out); /* all reported at once */
    bool export_ok = cli_export_usable(d, "deploy", o.export_path);
    if (!dir_ok || !out_ok || !export_ok) {
        status = cli_usage_fail(d, "deploy");
        goto done;
    }
    cpd_scenario *s = cpd_load_deploy(o.dir, d);
    cli_print_diags(d, o.quiet); /* warnings before the wait, not after it */
    if (!s) {
        status = CPD_EINPUT;
        goto done;
    }
    if (o.anonymise)
        cpd_scenario_anonymise(s);
    status = solve_and_write(s, &o, out);
    cpd_scenario_free(&s);
done:
    free(out);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
