/* cpd_svg.c — inline SVG charts for report.html: bars against a capacity, a histogram, a Gantt. */
#include "cpd_svg.h"

#include "cpd_err.h"
#include "cpd_out.h"

#include <stdlib.h>
#include <string.h>

/* Geometry, in the viewBox's pixels (one pixel is about one CSS pixel at full width). */
#define ROW 22        /* a row of horizontal bars or of a Gantt */
#define BAR 14        /* a bar's thickness */
#define CHAR_W 7.0    /* a 12px sans-serif character, on average: labels are cut to fit */
#define H_LABEL 300.0 /* horizontal bars: the label column */
#define H_BARS 380.0  /*   the bars' area */
#define H_NOTE 130.0  /*   the note after the bar */
#define V_COL 84.0    /* vertical bars: a column */
#define V_AREA 160.0  /*   the bars' height at the top of the scale */
#define V_TOP 22.0    /*   room for the note over the tallest bar */
#define V_FOOT 22.0   /*   room for the labels under the bars */
#define G_LABEL 270.0 /* Gantt: the row labels */
#define G_COL 32.0    /*   a column (day) */
#define G_HEAD 36.0   /*   the two head rows (groups, then columns) */
#define TRACK "#e4e4e4"
#define INK "#333333"

/* ---- local: text ---- */

static int utf8_len(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* s escaped, in at most max characters: cut short with "…" when longer. */
static void text_cut(FILE *f, const char *s, int max)
{
    if (!s || utf8_len(s) <= max || max < 2) {
        cpd_html(f, s);
        return;
    }
    const char *q = s;
    for (int n = 0; *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80 && n++ == max - 1)
            break;
    size_t len = (size_t)(q - s);
    char *head = cpd_xmalloc(len + 1);
    memcpy(head, s, len);
    head[len] = '\0';
    cpd_html(f, head);
    fputs("…", f);
    free(head);
}

/* A <text> at (x, y): anchor "start", "middle" or "end"; s cut to max characters. */
static void text_at(FILE *f, double x, double y, const char *anchor, const char *s, int max)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", x, y, anchor);
    text_cut(f, s, max);
    fputs("</text>\n", f);
}

/* The <svg> element's start: a scalable chart w x h, named by title for screen readers. */
static void svg_open(FILE *f, double w, double h, const char *title)
{
    fprintf(f,
            "<svg class=\"chart\" viewBox=\"0 0 %.1f %.1f\" width=\"%.0f\" role=\"img\" "
            "font-family=\"sans-serif\" font-size=\"12\" aria-label=\"",
            w, h, w);
    cpd_html(f, title);
    fputs("\">\n<title>", f);
    cpd_html(f, title);
    fputs("</title>\n", f);
}

static void rect(FILE *f, double x, double y, double w, double h, const char *fill)
{
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"", x, y,
            w > 0 ? w : 0, h, fill);
}

static void line(FILE *f, double x1, double y1, double x2, double y2, const char *stroke)
{
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
            "stroke-width=\"1\"/>\n",
            x1, y1, x2, y2, stroke);
}

/* A bar's note, or its value ("12", "2.5") when it has none. */
static void note_text(char *buf, size_t len, const cpd_svg_bar *b)
{
    if (b->note)
        snprintf(buf, len, "%s", b->note);
    else
        snprintf(buf, len, "%g", b->value);
}

/* The largest value or cap of the bars, at least 1 (an empty chart still has a scale). */
static double scale_max(const cpd_svg_bar *bars, int n)
{
    double m = 1;
    for (int i = 0; i < n; i++) {
        m = bars[i].value > m ? bars[i].value : m;
        m = bars[i].cap > m ? bars[i].cap : m;
    }
    return m;
}

/* ---- interface ---- */

const char *cpd_svg_colour(cpd_svg_tone tone)
{
    static const char *const fill[] = {"#4a78b0", "#3f8f5a", "#d99a1e", "#c0392b", "#9a9a9a"};
    return tone >= CPD_SVG_PLAIN && tone <= CPD_SVG_MUTED ? fill[tone] : fill[0];
}

void cpd_svg_hbars(FILE *f, const char *title, const cpd_svg_bar *bars, int n)
{
    if (n < 1)
        return;
    double k = H_BARS / scale_max(bars, n), w = H_LABEL + H_BARS + H_NOTE;
    svg_open(f, w, n * ROW + 4, title);
    for (int i = 0; i < n; i++) {
        const cpd_svg_bar *b = &bars[i];
        double y = i * ROW + 2, x0 = H_LABEL, mid = y + ROW / 2.0 + 4;
        char note[64];
        text_at(f, H_LABEL - 8, mid, "end", b->label, (int)((H_LABEL - 10) / CHAR_W));
        if (b->cap > 0) {
            rect(f, x0, y + (ROW - BAR) / 2.0, b->cap * k, BAR, TRACK);
            fputs("/>\n", f);
        }
        rect(f, x0, y + (ROW - BAR) / 2.0, b->value * k, BAR, cpd_svg_colour(b->tone));
        fputs("><title>", f);
        cpd_html(f, b->label);
        note_text(note, sizeof note, b);
        fputs(": ", f);
        cpd_html(f, note);
        fputs("</title></rect>\n", f);
        if (b->cap > 0)
            line(f, x0 + b->cap * k, y + 2, x0 + b->cap * k, y + ROW - 2, INK);
        double end = x0 + (b->value > b->cap ? b->value : b->cap) * k;
        text_at(f, end + 6, mid, "start", note, (int)((w - end - 8) / CHAR_W));
    }
    fputs("</svg>\n", f);
}

void cpd_svg_vbars(FILE *f, const char *title, const cpd_svg_bar *bars, int n)
{
    if (n < 1)
        return;
    double k = V_AREA / scale_max(bars, n), base = V_TOP + V_AREA;
    svg_open(f, n * V_COL + 20, base + V_FOOT, title);
    line(f, 10, base, 10 + n * V_COL, base, INK);
    for (int i = 0; i < n; i++) {
        const cpd_svg_bar *b = &bars[i];
        double x = 10 + i * V_COL, h = b->value * k, mid = x + V_COL / 2;
        char note[64];
        note_text(note, sizeof note, b);
        rect(f, x + 8, base - h, V_COL - 16, h, cpd_svg_colour(b->tone));
        fputs("><title>", f);
        cpd_html(f, b->label);
        fputs(": ", f);
        cpd_html(f, note);
        fputs("</title></rect>\n", f);
        text_at(f, mid, base - h - 5, "middle", note, (int)(V_COL / CHAR_W));
        text_at(f, mid, base + 15, "middle", b->label, (int)(V_COL / CHAR_W));
    }
    fputs("</svg>\n", f);
}

/* ---- local: the Gantt chart ---- */

/* The heads: "week N" over each group of columns with a line before it, the column heads under,
 * and a pale band on every other row so that a row can be followed across. */
static void gantt_grid(FILE *f, const cpd_svg_gantt *g, double h)
{
    for (int r = 1; r < g->nrows; r += 2) {
        rect(f, 0, G_HEAD + r * ROW, G_LABEL + g->ncols * G_COL, ROW, "#f4f6f9");
        fputs("/>\n", f);
    }
    for (int c = 0; c < g->ncols; c++) {
        double x = G_LABEL + c * G_COL;
        if (g->group && (c == 0 || g->group[c] != g->group[c - 1])) {
            char head[32];
            snprintf(head, sizeof head, "week %d", g->group[c]);
            line(f, x, 0, x, h, "#999999");
            text_at(f, x + 3, 13, "start", head, 12);
        }
        text_at(f, x + G_COL / 2, 30, "middle", g->cols[c], 4);
    }
    line(f, G_LABEL, G_HEAD, G_LABEL + g->ncols * G_COL, G_HEAD, INK);
    for (int r = 0; r < g->nrows; r++)
        text_at(f, G_LABEL - 6, G_HEAD + r * ROW + ROW / 2.0 + 4, "end", g->rows[r],
                (int)((G_LABEL - 8) / CHAR_W));
}

static void gantt_span(FILE *f, const cpd_svg_gantt *g, const cpd_svg_span *s)
{
    if (s->row < 0 || s->row >= g->nrows || s->start < 0 || s->start >= g->ncols || s->len <= 0)
        return;
    double len = s->start + s->len > g->ncols ? g->ncols - s->start : s->len;
    rect(f, G_LABEL + s->start * G_COL + 1, G_HEAD + s->row * ROW + (ROW - BAR) / 2.0,
         len * G_COL - 2, BAR, cpd_svg_colour(s->tone));
    fputs(" rx=\"2\"><title>", f);
    cpd_html(f, s->label);
    fputs("</title></rect>\n", f);
}

void cpd_svg_gantt_draw(FILE *f, const cpd_svg_gantt *g)
{
    if (!g || g->nrows < 1 || g->ncols < 1)
        return;
    double h = G_HEAD + g->nrows * ROW + 2;
    svg_open(f, G_LABEL + g->ncols * G_COL + 4, h, g->title);
    gantt_grid(f, g, h);
    for (int i = 0; i < g->nspans; i++)
        gantt_span(f, g, &g->spans[i]);
    fputs("</svg>\n", f);
}
