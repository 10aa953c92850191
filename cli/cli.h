/* cli.h — the command table, shared option parsing and the one place that prints diagnostics
 * and turns a cpd_code into the process's exit status.
 *
 * Ownership: a cli_job_opts points into argv (nothing to free). Every command function returns
 * the exit status: 0 plan written or all well; 1 no plan / breaches; 2 bad usage or input;
 * 3 internal or solver failure. */
#ifndef CPD_CLI_H
#define CPD_CLI_H

#include "cpd_err.h"

#include <stdbool.h>
#include <stdio.h>

typedef int (*cli_fn)(int argc, char **argv);

/* One command of the table (git's cmd_struct): argv[0] of fn is the command's name. */
typedef struct {
    const char *name;
    cli_fn fn;
    const char *help; /* one line, for `cpdplan --help` */
} cli_command;

int cmd_deploy(int argc, char **argv);
int cmd_inset(int argc, char **argv);
int cmd_onboard(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_generate(int argc, char **argv);

/* Options of a job command (deploy today; inset and onboard later). Fields a user did not set
 * keep their has_ flag false so the scenario's own defaults apply. */
typedef struct {
    const char *dir;          /* the scenario folder */
    const char *out;          /* -o; NULL: DIR/out */
    const char *export_path;  /* --export-model */
    double time_limit;
    bool has_time_limit;
    double gap;
    bool has_gap;
    long max_changes;
    bool has_max_changes;     /* deploy only */
    bool strict;              /* inset only */
    bool ics;                 /* inset only: also write sessions.ics */
    bool quiet, json, help, version;
    bool anonymise;           /* names replaced by ids in every output */
} cli_job_opts;

/* Usage errors are collected as diagnostics of the command ("cpdplan deploy: ..."), so every
 * one is reported before the command gives up. */
void cli_usage(cpd_diags *d, const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports usage errors: prints them and "Try 'cpdplan CMD --help'." on stderr; returns 2. */
int cli_usage_fail(const cpd_diags *d, const char *cmd);

/* Strict option values; on failure adds "cpdplan CMD: OPT needs WHAT (got 'ARG')". */
bool cli_double(cpd_diags *d, const char *cmd, const char *opt, const char *what,
                const char *arg, double lo, double hi, double *out);
bool cli_long(cpd_diags *d, const char *cmd, const char *opt, const char *what, const char *arg,
              long lo, long hi, long *out);

/* Reports an option getopt_long refused (unknown, or missing its value). */
void cli_bad_option(cpd_diags *d, const char *cmd, int c, int optopt_, char **argv, int at);

/* Takes a positional word as the folder *dir, or reports it as one too many. */
void cli_positional(cpd_diags *d, const char *cmd, const char *arg, const char **dir);

/* Parses a job command's options (deploy, and later inset/onboard). Returns false when the
 * arguments hold errors (already collected into d). */
bool cli_parse_job(int argc, char **argv, cli_job_opts *o, cpd_diags *d);
/* The out folder must be a folder or not exist yet; --export-model's folder must exist. Both
 * are usage errors found before any loading or solving. */
bool cli_out_usable(cpd_diags *d, const char *cmd, const char *out);
bool cli_export_usable(cpd_diags *d, const char *cmd, const char *path);

/* Prints diagnostics on stderr: errors always, warnings and notes unless quiet. */
void cli_print_diags(const cpd_diags *d, bool quiet);

/* Prints the diagnostics of d that say something not already in seen (the notes printed before
 * a solve began), as cli_print_diags does. */
void cli_print_new(const cpd_diags *d, const cpd_diags *seen, bool quiet);

/* The exit status for a library code (the codes are the statuses). */
int cli_status(cpd_code code);

/* Joins dir and name with one '/'. Caller frees. */
char *cli_path(const char *dir, const char *name);

/* Flushes and checks stdout (a full disk or a closed pipe must not pass silently). Returns
 * status unchanged when all went out, else prints why and returns 3. */
int cli_finish_stdout(int status);

/* Prints a command's --help text on stdout; returns 0 (or 3 if stdout failed). */
int cli_help(const char *text);
/* Prints "cpdplan VERSION"; returns 0 (or 3 if stdout failed). */
int cli_version(void);

/* Checks that dir is an existing folder; else adds a usage error and returns false. */
bool cli_folder(cpd_diags *d, const char *cmd, const char *dir);

/* For init/generate given a JOB that is not deploy, inset or onboard: says so; returns 2. */
int cli_unknown_job(const char *cmd, const char *job);

/* Whether the terminal summaries are coloured: the one place that decides, from whether stdout
 * is a terminal and NO_COLOR (cpd_term_colour). */
bool cli_colour(void);

/* True when path names an existing file or folder. */
bool cli_exists(const char *path);

#endif
