/* cpd_svg.h — the charts of report.html, drawn as inline SVG: horizontal bars against a
 * capacity, vertical bars (a histogram), and a Gantt chart of spans over days.
 *
 * Output only: each call writes one whole <svg> element to f. Every text is escaped (& < > " '),
 * so names from the input files cannot break the page; a label too long for its column is cut
 * with "…" and given whole in a <title> (the tooltip). Colours are fill attributes (they print,
 * unlike CSS backgrounds) chosen by a tone. Coordinates are written with one decimal, so the
 * same figures give the same bytes. The chart scales with the page (viewBox, width 100%).
 *
 * Ownership: nothing is kept; the arrays and strings passed are only read. */
#ifndef CPD_SVG_H
#define CPD_SVG_H

#include <stdio.h>

typedef enum {
    CPD_SVG_PLAIN, /* blue: a value */
    CPD_SVG_GOOD,  /* green: met, in time */
    CPD_SVG_WARN,  /* amber: full, or nearly so */
    CPD_SVG_BAD,   /* red: over capacity, late, unmet */
    CPD_SVG_MUTED  /* grey: cancelled, not a choice */
} cpd_svg_tone;

/* One bar: its label, its value, the most it could be (a capacity or a total, drawn as a grey
 * track behind the bar and a tick at its end; 0 draws none), the text after it (NULL: the value
 * as a number) and its colour. */
typedef struct {
    const char *label;
    double value, cap;
    const char *note;
    cpd_svg_tone tone;
} cpd_svg_bar;

/* Horizontal bars, one row each, the label at the left, all on one scale (the largest value or
 * cap). title names the chart for screen readers. Nothing is written when n < 1. */
void cpd_svg_hbars(FILE *f, const char *title, const cpd_svg_bar *bars, int n);
/* Vertical bars side by side (a histogram), the label under each bar and the note (or value)
 * over it; caps are not drawn. Nothing is written when n < 1. */
void cpd_svg_vbars(FILE *f, const char *title, const cpd_svg_bar *bars, int n);

/* A span of a Gantt row: from column start for len columns (fractions allowed: 2.5 is the
 * middle of the third column), its label as the tooltip. */
typedef struct {
    int row;
    double start, len;
    const char *label;
    cpd_svg_tone tone;
} cpd_svg_span;

/* A Gantt chart: rows (labels at the left) against columns (days, with short heads such as
 * "6"), columns grouped (weeks: group[c] is column c's group number; a line and the head
 * "week N" where it changes; NULL: no groups). Spans outside the rows or columns are left out. */
typedef struct {
    const char *title;
    const char *const *rows;
    int nrows;
    const char *const *cols;
    int ncols;
    const int *group;
    const cpd_svg_span *spans;
    int nspans;
} cpd_svg_gantt;

/* Nothing is written when there are no rows or no columns. */
void cpd_svg_gantt_draw(FILE *f, const cpd_svg_gantt *g);

/* The fill colour of a tone ("#rrggbb"), for a legend next to a chart. */
const char *cpd_svg_colour(cpd_svg_tone tone);

#endif
