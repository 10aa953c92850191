/* cmd_inset.c — `cpdplan inset DIR`: load a training day, say its shortfalls, solve, write the
 * plan, summarise. */
#include "cli.h"

#include "cpd_inset.h"
#include "cpd_inset_io.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char inset_help[] =
    "Usage: cpdplan inset DIR [options]\n"
    "Gives every member of staff one place in every session of a training day,\n"
    "as close to their ranked choices as the rooms allow, fairest first.\n"
    "\n"
    "  -o, --out DIR           write the plan here (default DIR/out)\n"
    "  -t, --time-limit SEC    search at most SEC seconds, then write the best plan\n"
    "      --gap REL           stop once proven within REL of the best (0.01 = 1%)\n"
    "      --strict            a shortfall (too few seats, mandatory workshops that\n"
    "                          cannot all fit) is exit 1, not a plan with unmet.csv\n"
    "      --ics               also write sessions.ics, each person's sessions as\n"
    "                          calendar events (needs inset.date in scenario.json)\n"
    "      --export-model FILE write the exact model solved (FILE.lp or FILE.mps)\n"
    "      --anonymise         write ids in place of names (to share the plan)\n"
    "  -q, --quiet             no summary, no warnings (errors only)\n"
    "      --json              print summary.json on stdout instead of the table\n"
    "  -h, --help              show this help\n"
    "\n"
    "Reads DIR/schools.csv, staff.csv, workshops.csv and, if present,\n"
    "preferences.csv, pins.csv, scenario.json. Writes allocation.csv, rosters.csv,\n"
    "unmet.csv, summary.json, report.html (and sessions.ics), all or nothing.\n"
    "\n"
    "Example: cpdplan inset scenarios/inset -o plan\n"
    "Exit status: 0 plan written (unmet places in unmet.csv), 1 no plan exists\n"
    "(or a shortfall under --strict), 2 bad usage or input, 3 internal failure.\n";

static void print_summary(const cli_job_opts *o, const cpd_inset *p, const cpd_inset_plan *pl,
                          const char *out)
{
    if (o->json) {
        char *json = cpd_inset_summary_json(p, pl);
        fputs(json, stdout);
        if (json[0] && json[strlen(json) - 1] != '\n')
            fputc('\n', stdout);
        free(json);
    } else if (!o->quiet) {
        cpd_print_inset_summary(stdout, p, pl, cli_colour());
        size_t n = strlen(out);
        printf("Plan written to %s%s\n", out, n > 0 && out[n - 1] == '/' ? "" : "/");
    }
}

/* Says what can be said before solving; returns CPD_ENOPLAN when no plan may be written. */
static cpd_code precheck(const cpd_inset *p, const cli_job_opts *o, cpd_diags *notes)
{
    cpd_code code = cpd_inset_check(p, notes);
    cli_print_diags(notes, o->quiet);
    if (code != CPD_OK)
        fprintf(stderr, "cpdplan inset: %s; nothing written\n",
                p->params.strict ? "a shortfall under --strict (or strict in scenario.json)"
                                 : "no plan exists");
    return code;
}

static int solve_and_write(cpd_inset *p, const cli_job_opts *o, const char *out)
{
    if (o->has_time_limit)
        p->params.time_limit = o->time_limit;
    if (o->has_gap)
        p->params.gap = o->gap;
    cpd_inset_opts opts = {
        .solve = {.time_limit = p->params.time_limit,
                  .gap = p->params.gap,
                  .progress = !o->quiet && isatty(STDERR_FILENO)},
        .export_path = o->export_path,
    };
    cpd_diags *notes = cpd_diags_new(), *d = cpd_diags_new();
    cpd_inset_plan *plan = NULL;
    cpd_code code = precheck(p, o, notes);
    if (code == CPD_OK) {
        code = cpd_inset_solve(p, &opts, &plan, d);
        if (code == CPD_OK && !plan)
            code = CPD_EINTERNAL;
        if (code == CPD_OK && !cpd_write_inset(out, p, plan, d))
            code = CPD_EINTERNAL;
        cli_print_new(d, notes, o->quiet);
        if (code == CPD_OK)
            print_summary(o, p, plan, out);
        else if (code == CPD_ENOPLAN)
            fprintf(stderr, "cpdplan inset: no plan exists; nothing written; change what is named "
                            "above, then run again\n");
    }
    cpd_inset_plan_free(&plan);
    cpd_diags_free(&notes);
    cpd_diags_free(&d);
    return cli_status(code);
}

/* --ics needs a day to put the sessions on, and times that fit in it: said before solving. */
static bool ics_ready(const cpd_inset *p, const char *dir)
{
    int a, b;
    if (!p->params.ics)
        return true;
    if (p->params.date < 0) {
        fprintf(stderr,
                "cpdplan inset: --ics needs the day's date: add \"date\": \"YYYY-MM-DD\" to "
                "\"inset\" in %s/scenario.json; nothing written\n",
                dir);
        return false;
    }
    if (!cpd_inset_slot_time(&p->params, p->params.nslots, &a, &b)) {
        fprintf(stderr,
                "cpdplan inset: --ics: %d slots do not fit in a day at the default times: add "
                "\"times\": [\"09:00-10:00\", ...] to \"inset\" in %s/scenario.json; "
                "nothing written\n",
                p->params.nslots, dir);
        return false;
    }
    return true;
}

int cmd_inset(int argc, char **argv)
{
    cpd_diags *d = cpd_diags_new();
    cli_job_opts o;
    int status;
    char *out = NULL;
    if (!cli_parse_job(argc, argv, &o, d)) {
        status = cli_usage_fail(d, "inset");
        goto done;
    }
    if (o.help || o.version) {
        status = o.help ? cli_help(inset_help) : cli_version();
        goto done;
    }
    out = o.out ? cpd_strdup(o.out) : cli_path(o.dir, "out");
    bool dir_ok = cli_folder(d, "inset", o.dir);
    bool out_ok = cli_out_usable(d, "inset", out);
    bool export_ok = cli_export_usable(d, "inset", o.export_path);
    if (!dir_ok || !out_ok || !export_ok) {
        status = cli_usage_fail(d, "inset");
        goto done;
    }
    cpd_inset *p = cpd_load_inset(o.dir, d);
    cli_print_diags(d, o.quiet);
    if (!p) {
        status = CPD_EINPUT;
        goto done;
    }
    p->params.strict |= o.strict;
    p->params.ics = o.ics;
    if (o.anonymise)
        cpd_inset_anonymise(p);
    status = ics_ready(p, o.dir) ? solve_and_write(p, &o, out) : CPD_EINPUT;
    cpd_inset_free(&p);
done:
    free(out);
    cpd_diags_free(&d);
    return cli_finish_stdout(status);
}
