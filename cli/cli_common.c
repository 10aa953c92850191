/* cli_common.c — option parsing shared by the commands, and the one place that prints. */
#define _GNU_SOURCE /* getopt_long */
#include "cli.h"

#include "cpd_csv.h"
#include "cpd_term.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- local ---- */

enum { OPT_GAP = 256, OPT_EXPORT, OPT_MAX_CHANGES, OPT_STRICT, OPT_JSON, OPT_VERSION, OPT_ICS,
       OPT_ANON };

static const struct option job_long[] = {
    {"out", required_argument, NULL, 'o'},
    {"time-limit", required_argument, NULL, 't'},
    {"gap", required_argument, NULL, OPT_GAP},
    {"export-model", required_argument, NULL, OPT_EXPORT},
    {"max-changes", required_argument, NULL, OPT_MAX_CHANGES},
    {"strict", no_argument, NULL, OPT_STRICT},
    {"ics", no_argument, NULL, OPT_ICS},
    {"quiet", no_argument, NULL, 'q'},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"anonymise", no_argument, NULL, OPT_ANON},
    {"anonymize", no_argument, NULL, OPT_ANON},
    {NULL, 0, NULL, 0},
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

static void job_option(int c, const char *arg, cli_job_opts *o, cpd_diags *d, const char *cmd)
{
    switch (c) {
    case 'o':
        o->out = arg;
        break;
    case 't':
        o->has_time_limit = cli_double(d, cmd, "--time-limit", "a number of seconds", arg, 0.01,
                                       604800, &o->time_limit);
        break;
    case OPT_GAP:
        o->has_gap = cli_double(d, cmd, "--gap", "a relative gap", arg, 0, 1, &o->gap);
        break;
    case OPT_EXPORT:
        if (!ends_with(arg, ".lp") && !ends_with(arg, ".mps"))
            cli_usage(d, cmd, "--export-model needs a file name ending in .lp or .mps (got '%s')",
                      arg);
        o->export_path = arg;
        break;
    case OPT_MAX_CHANGES:
        o->has_max_changes = cli_long(d, cmd, "--max-changes", "a whole number of pairs", arg, 0,
                                      1000000, &o->max_changes);
        break;
    case OPT_STRICT:
        o->strict = true;
        break;
    case OPT_ICS:
        o->ics = true;
        break;
    case 'q':
        o->quiet = true;
        break;
    case OPT_JSON:
        o->json = true;
        break;
    case 'h':
        o->help = true;
        break;
    case OPT_VERSION:
        o->version = true;
        break;
    case OPT_ANON:
        o->anonymise = true;
        break;
    default:
        break;
    }
}

/* ---- interface ---- */

void cli_usage(cpd_diags *d, const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cpd_error(d, NULL, 0, 0, "cpdplan %s: %s", cmd, msg);
}

int cli_usage_fail(const cpd_diags *d, const char *cmd)
{
    cpd_diags_print(d, stderr);
    if (cmd)
        fprintf(stderr, "Try 'cpdplan %s --help'.\n", cmd);
    else
        fprintf(stderr, "Try 'cpdplan --help'.\n");
    return CPD_EINPUT;
}

bool cli_double(cpd_diags *d, const char *cmd, const char *opt, const char *what,
                const char *arg, double lo, double hi, double *out)
{
    double v;
    if (!cpd_parse_double(arg, &v)) {
        cli_usage(d, cmd, "%s needs %s (got '%s')", opt, what, arg);
        return false;
    }
    if (v < lo || v > hi) {
        cli_usage(d, cmd, "%s needs %s, from %g to %g (got '%s')", opt, what, lo, hi, arg);
        return false;
    }
    *out = v;
    return true;
}

bool cli_long(cpd_diags *d, const char *cmd, const char *opt, const char *what, const char *arg,
              long lo, long hi, long *out)
{
    long v;
    if (!cpd_parse_long(arg, &v)) {
        cli_usage(d, cmd, "%s needs %s (got '%s')", opt, what, arg);
        return false;
    }
    if (v < lo || v > hi) {
        cli_usage(d, cmd, "%s needs %s, from %ld to %ld (got '%s')", opt, what, lo, hi, arg);
        return false;
    }
    *out = v;
    return true;
}

void cli_bad_option(cpd_diags *d, const char *cmd, int c, int optopt_, char **argv, int at)
{
    /* getopt leaves the offending word just before optind for long options; a short option
     * may sit inside a cluster ("-qx"), so name it by its letter. */
    const char *word = at > 0 ? argv[at - 1] : "";
    bool is_long = strncmp(word, "--", 2) == 0;
    char shortname[3] = {'-', (char)optopt_, '\0'};
    const char *name = is_long || optopt_ <= 0 || optopt_ > 127 ? word : shortname;
    if (c == ':')
        cli_usage(d, cmd, "option '%s' needs a value", name);
    else if (is_long && strchr(word, '='))
        cli_usage(d, cmd, "option '%s' takes no value, or is not known", word);
    else
        cli_usage(d, cmd, "unknown option '%s'", name);
}

void cli_positional(cpd_diags *d, const char *cmd, const char *arg, const char **dir)
{
    if (!*dir)
        *dir = arg;
    else
        cli_usage(d, cmd, "unexpected argument '%s' (one scenario folder only)", arg);
}

bool cli_parse_job(int argc, char **argv, cli_job_opts *o, cpd_diags *d)
{
    const char *cmd = argv[0];
    size_t before = cpd_diags_errors(d);
    *o = (cli_job_opts){0};
    opterr = 0;
    optind = 0; /* glibc: a full reset, so `help JOB` can parse again */
    int c;
    /* A leading '-' hands over positional words in order (as option 1), so `deploy DIR -o X`
     * works even under POSIXLY_CORRECT. */
    while ((c = getopt_long(argc, argv, "-:o:t:qh", job_long, NULL)) != -1) {
        if (c == '?' || c == ':')
            cli_bad_option(d, cmd, c, optopt, argv, optind);
        else if (c == 1)
            cli_positional(d, cmd, optarg, &o->dir);
        else
            job_option(c, optarg, o, d, cmd);
    }
    for (int i = optind; i < argc; i++) /* after "--" */
        cli_positional(d, cmd, argv[i], &o->dir);
    if (!o->dir && !o->help && !o->version)
        cli_usage(d, cmd, "missing the scenario folder DIR");
    /* Options of one job only: the table is shared, so the other job refuses them here. */
    if (o->has_max_changes && strcmp(cmd, "deploy") != 0)
        cli_usage(d, cmd, "--max-changes is an option of deploy, not %s", cmd);
    if (o->strict && strcmp(cmd, "inset") != 0)
        cli_usage(d, cmd, "--strict is an option of inset, not %s", cmd);
    if (o->ics && strcmp(cmd, "inset") != 0)
        cli_usage(d, cmd, "--ics is an option of inset, not %s", cmd);
    return cpd_diags_errors(d) == before;
}

bool cli_out_usable(cpd_diags *d, const char *cmd, const char *out)
{
    struct stat st;
    if (stat(out, &st) == 0 && !S_ISDIR(st.st_mode)) {
        cli_usage(d, cmd, "--out '%s' exists and is not a folder", out);
        return false;
    }
    return true;
}

bool cli_export_usable(cpd_diags *d, const char *cmd, const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return true;
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    char *dir = cpd_xmalloc(n + 1);
    memcpy(dir, path, n);
    dir[n] = '\0';
    struct stat st;
    bool ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
    if (!ok)
        cli_usage(d, cmd, "--export-model '%s': no folder '%s' to write it in", path, dir);
    free(dir);
    return ok;
}

void cli_print_diags(const cpd_diags *d, bool quiet)
{
    if (!quiet) {
        cpd_diags_print(d, stderr);
        return;
    }
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        const cpd_diag *g = cpd_diags_get(d, i);
        if (g->sev != CPD_SEV_ERROR)
            continue;
        cpd_diag_format(g, buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

int cli_status(cpd_code code)
{
    switch (code) {
    case CPD_OK:
        return 0;
    case CPD_ENOPLAN:
        return 1;
    case CPD_EINPUT:
        return 2;
    default:
        return 3;
    }
}

char *cli_path(const char *dir, const char *name)
{
    size_t n = strlen(dir);
    bool slash = n > 0 && dir[n - 1] == '/';
    size_t len = n + strlen(name) + 2;
    char *p = cpd_xmalloc(len);
    snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", name);
    return p;
}

bool cli_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

bool cli_folder(cpd_diags *d, const char *cmd, const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        cli_usage(d, cmd, "cannot open folder '%s': %s", dir, strerror(errno));
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        cli_usage(d, cmd, "'%s' is not a folder (a scenario is a folder of CSV files)", dir);
        return false;
    }
    return true;
}

int cli_unknown_job(const char *cmd, const char *job)
{
    fprintf(stderr, "cpdplan %s: unknown job '%s' (jobs: deploy, inset, onboard)\n"
                    "Try 'cpdplan %s --help'.\n", cmd, job, cmd);
    return CPD_EINPUT;
}

int cli_finish_stdout(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "cpdplan: could not write to standard output: %s\n", strerror(errno));
        return CPD_EINTERNAL;
    }
    return status;
}

int cli_help(const char *text)
{
    fputs(text, stdout);
    return cli_finish_stdout(0);
}

int cli_version(void)
{
    printf("cpdplan %s\n", CPD_VERSION);
    return cli_finish_stdout(0);
}

/* Whether diagnostic g says the same as one already printed from seen. */
static bool said_before(const cpd_diags *seen, const cpd_diag *g)
{
    char a[2048], b[2048];
    cpd_diag_format(g, a, sizeof a);
    for (size_t i = 0; i < cpd_diags_len(seen); i++) {
        cpd_diag_format(cpd_diags_get(seen, i), b, sizeof b);
        if (strcmp(a, b) == 0)
            return true;
    }
    return false;
}

void cli_print_new(const cpd_diags *d, const cpd_diags *seen, bool quiet)
{
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        const cpd_diag *g = cpd_diags_get(d, i);
        if ((quiet && g->sev != CPD_SEV_ERROR) || said_before(seen, g))
            continue;
        cpd_diag_format(g, buf, sizeof buf);
        fprintf(stderr, "%s\n", buf);
    }
}

bool cli_colour(void) { return cpd_term_colour(isatty(STDOUT_FILENO), getenv("NO_COLOR")); }
