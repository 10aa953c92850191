/* cpd_term.c — colour for the terminal summaries, when the caller asks for it. */
#include "cpd_term.h"

#include <math.h>
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

size_t cpd_term_width(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += ((unsigned char)*text & 0xC0) != 0x80;
    return n;
}

void cpd_term_put_cut(FILE *out, const char *text, int width)
{
    int n = 0;
    const char *q = text;
    if (width < 1)
        return;
    for (; *q && n <= width; q++)
        n += ((unsigned char)*q & 0xC0) != 0x80;
    if (n <= width) {
        fputs(text, out);
        return;
    }
    n = 0;
    for (q = text; *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80 && n++ == width - 1)
            break;
    fprintf(out, "%.*s…", (int)(q - text), text);
}

/* ", LABEL VALUE" appended at figures + *n (within size). */
static void add_figure(char *figures, size_t size, size_t *n, const char *label, double v,
                       bool short_figures)
{
    if (*n >= size)
        return;
    int k = short_figures ? snprintf(figures + *n, size - *n, ", %s %.4g", label, v)
                          : snprintf(figures + *n, size - *n, ", %s %.4f", label, v);
    *n += k > 0 ? (size_t)k : 0;
}

void cpd_term_status_line(FILE *out, bool colour, const cpd_term_status *st)
{
    char figures[160] = "";
    size_t n = 0;
    if (st->has_plan)
        add_figure(figures, sizeof figures, &n, "objective", st->objective, st->short_figures);
    if (st->has_bound)
        add_figure(figures, sizeof figures, &n, "bound", st->bound, st->short_figures);
    if (!isnan(st->gap) && n < sizeof figures)
        n += (size_t)snprintf(figures + n, sizeof figures - n, ", gap %.2f%%", 100 * st->gap);
    if (n < sizeof figures)
        n += (size_t)snprintf(figures + n, sizeof figures - n, ", %.2f s", st->seconds);
    /* One line when it fits; else the figures go on a second, indented line (a long name cut
     * short only when "JOB NAME: STATUS" alone would not fit). */
    int head = (int)(strlen(st->job) + 1 + 2 + strlen(st->status));
    int name = (int)cpd_term_width(st->name ? st->name : "");
    bool one = head + name + (int)n <= CPD_TERM_STATUS_WIDTH;
    int room = CPD_TERM_STATUS_WIDTH - head;
    fprintf(out, "%s ", st->job);
    cpd_term_put_cut(out, st->name ? st->name : "", room < 8 ? 8 : room);
    fputs(": ", out);
    cpd_term_printf(out, colour, cpd_term_status_tone(st->status), "%s", st->status);
    fprintf(out, one ? "%s\n" : "\n  %s\n", one ? figures : figures + 2);
}
