/* cpd_term.c — colour for the terminal summaries, when the caller asks for it. */
#include "cpd_term.h"

#include <stdarg.h>
#include <string.h>

/* ---- local ---- */

static const char *sgr(cpd_tone t)
{
    switch (t) {
    case CPD_TONE_GOOD:
        return "\033[32m";
    case CPD_TONE_FAIR:
        return "\033[33m";
    case CPD_TONE_BAD:
        return "\033[31m";
    case CPD_TONE_HEADER:
    default:
        return "\033[1m";
    }
}

/* ---- interface ---- */

bool cpd_term_colour(bool stdout_is_terminal, const char *no_color)
{
    return stdout_is_terminal && !(no_color && *no_color);
}

void cpd_term_printf(FILE *out, bool colour, cpd_tone t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (colour)
        fputs(sgr(t), out);
    vfprintf(out, fmt, ap);
    if (colour)
        fputs("\033[0m", out);
    va_end(ap);
}

cpd_tone cpd_term_status_tone(const char *status)
{
    if (status && strcmp(status, "optimal") == 0)
        return CPD_TONE_GOOD;
    if (status && strcmp(status, "feasible") == 0)
        return CPD_TONE_FAIR;
    return CPD_TONE_BAD;
}
