/* cpd_term.h — the look of the terminal summaries: ANSI colour (SGR) around a status word or a
 * table's header row, written only when the caller says so. cli/ decides once, from whether
 * stdout is a terminal and NO_COLOR (https://no-color.org), and passes the flag down; io/
 * never looks at the terminal itself. */
#ifndef CPD_TERM_H
#define CPD_TERM_H

#include <stdbool.h>
#include <stdio.h>

typedef enum {
    CPD_TONE_HEADER, /* bold: a table's header row */
    CPD_TONE_GOOD,   /* green: optimal */
    CPD_TONE_FAIR,   /* yellow: feasible, not proven best */
    CPD_TONE_BAD,    /* red: no plan, or a failure */
} cpd_tone;

/* Whether summaries are coloured: only on a terminal, and not when NO_COLOR is set to a
 * non-empty value (no_color is getenv("NO_COLOR"), NULL when unset). */
bool cpd_term_colour(bool stdout_is_terminal, const char *no_color);

/* printf, in tone t when colour is on: the codes wrap exactly the text written, so column
 * widths in fmt still line up. Plain printf when colour is off. */
void cpd_term_printf(FILE *out, bool colour, cpd_tone t, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* The tone of a solve status as summaries name it: optimal good, feasible fair, others bad. */
cpd_tone cpd_term_status_tone(const char *status);

/* Columns text takes: its UTF-8 code points. */
size_t cpd_term_width(const char *text);
/* text in at most width characters (UTF-8 code points), "…" ending one cut short. */
void cpd_term_put_cut(FILE *out, const char *text, int width);

/* A job's one-line status: "JOB NAME: STATUS, objective X, bound Y, gap Z%, S s". */
typedef struct {
    const char *job, *name, *status;
    bool has_plan, has_bound;
    double objective, bound, gap; /* gap: NAN when unknown */
    double seconds;
    bool short_figures;           /* figures as %.4g (whole-number objectives), else %.4f */
} cpd_term_status;

/* The status within CPD_TERM_STATUS_WIDTH columns: one line when it fits, else the figures on
 * a second, indented line; the status word in its tone when colour is on. */
#define CPD_TERM_STATUS_WIDTH 80
void cpd_term_status_line(FILE *out, bool colour, const cpd_term_status *st);

#endif
