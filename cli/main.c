/* main.c — cpdplan's entry point: the command table and the top-level options. */
#include "cli.h"

#include <string.h>

static int cmd_help(int argc, char **argv);

/* The commands, in the order `cpdplan --help` lists them. A NULL function is a job that the
 * contract names but this version does not have yet. */
static const cli_command commands[] = {
    {"deploy", cmd_deploy, "termly deployment of coaches to teachers"},
    {"inset", cmd_inset, "workshop places for a training day"},
    {"onboard", cmd_onboard, "four-week onboarding schedule for joining schools"},
    {"check", cmd_check, "validate every input in DIR, report all problems at once"},
    {"verify", cmd_verify, "re-check a written plan against the inputs"},
    {"init", cmd_init, "write template input files for a job"},
    {"generate", cmd_generate, "write a synthetic scenario of a given size"},
    {"help", cmd_help, "show help for a command"},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static const char usage_head[] =
    "Usage: cpdplan COMMAND [ARGS]\n"
    "Plans CPD across a school trust: who coaches whom, training-day places,\n"
    "onboarding.\n"
    "\n"
    "Commands:\n";

static const char usage_tail[] =
    "\n"
    "  cpdplan deploy   DIR [options]\n"
    "  cpdplan inset    DIR [options]\n"
    "  cpdplan onboard  DIR [options]\n"
    "  cpdplan check    DIR\n"
    "  cpdplan verify   DIR [--plan OUT]\n"
    "  cpdplan init     JOB DIR\n"
    "  cpdplan generate JOB DIR --staff N [--schools K] [--seed S]\n"
    "\n"
    "Example: cpdplan deploy scenarios/trust\n"
    "'cpdplan help COMMAND' or 'cpdplan COMMAND --help' explains one command.\n"
    "Exit status: 0 plan written, 1 no plan, 2 bad usage or input,\n"
    "3 internal failure.\n";

static const cli_command *find_command(const char *name)
{
    for (int i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    fputs(usage_head, out);
    for (int i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
    fputs(usage_tail, out);
}

static int not_available(const char *name)
{
    fprintf(stderr, "cpdplan: '%s' is not available yet in this version\n", name);
    return CPD_EINPUT;
}

static int unknown_command(const char *name)
{
    fprintf(stderr, "cpdplan: unknown command '%s'; the commands are:", name);
    for (int i = 0; i < NCOMMANDS; i++)
        if (commands[i].fn)
            fprintf(stderr, " %s", commands[i].name);
    fprintf(stderr, "\nTry 'cpdplan --help'.\n");
    return CPD_EINPUT;
}

/* `cpdplan help JOB` is `cpdplan JOB --help`, by construction. */
static int cmd_help(int argc, char **argv)
{
    (void)argv;
    if (argc < 2) {
        print_overview(stdout);
        return cli_finish_stdout(0);
    }
    if (argc > 2) {
        fprintf(stderr, "cpdplan help: one command at a time (got '%s' too)\n", argv[2]);
        fprintf(stderr, "Try 'cpdplan help COMMAND'.\n");
        return CPD_EINPUT;
    }
    /* `cpdplan help --help` asks for this overview too. */
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv);
    const cli_command *c = find_command(argv[1]);
    if (!c)
        return unknown_command(argv[1]);
    if (!c->fn)
        return not_available(c->name);
    if (c->fn == cmd_help)
        return cmd_help(1, argv);
    char *args[] = {(char *)c->name, "--help", NULL};
    return c->fn(2, args);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return CPD_EINPUT;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        return cli_version();
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
        return cmd_help(1, argv);
    const cli_command *c = find_command(name);
    if (!c)
        return unknown_command(name);
    if (!c->fn)
        return not_available(name);
    return c->fn(argc - 1, argv + 1);
}
