/* test_svg.c — the report's SVG charts: shapes drawn to scale, text escaped and cut, nothing
 * drawn for nothing, the same figures giving the same bytes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_svg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
} sink;

static void sink_open(sink *s)
{
    *s = (sink){0};
    s->f = open_memstream(&s->buf, &s->len);
    assert_non_null(s->f);
}

/* The text written, NUL-terminated; the caller frees it. */
static char *sink_close(sink *s)
{
    assert_int_equal(fclose(s->f), 0);
    return s->buf;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    return n;
}

static char *hbars(const cpd_svg_bar *bars, int n)
{
    sink s;
    sink_open(&s);
    cpd_svg_hbars(s.f, "Loads", bars, n);
    return sink_close(&s);
}

/* ---- tests ---- */

/* Bars on one scale: the largest of values and caps fills the bars' area (380 wide, from 300). */
static void test_svg__hbars_to_scale(void **state)
{
    (void)state;
    cpd_svg_bar bars[] = {{"Ann", 5, 10, "5 of 10 h", CPD_SVG_PLAIN},
                          {"Bob", 10, 10, NULL, CPD_SVG_WARN}};
    char *out = hbars(bars, 2);
    assert_non_null(strstr(out, "<svg class=\"chart\" viewBox=\"0 0 810.0 48.0\""));
    assert_non_null(strstr(out, "aria-label=\"Loads\""));
    assert_non_null(strstr(out, "<title>Loads</title>"));
    /* Ann: the track is the whole area, the bar half of it, in the plain colour */
    assert_non_null(strstr(out, "<rect x=\"300.0\" y=\"6.0\" width=\"380.0\" height=\"14.0\" "
                                "fill=\"#e4e4e4\"/>"));
    assert_non_null(strstr(out, "<rect x=\"300.0\" y=\"6.0\" width=\"190.0\" height=\"14.0\" "
                                "fill=\"#4a78b0\"><title>Ann: 5 of 10 h</title></rect>"));
    /* Bob: no note, so the value is the text; the amber tone */
    assert_non_null(strstr(out, "fill=\"#d99a1e\"><title>Bob: 10</title></rect>"));
    assert_int_equal(count(out, "<line "), 2); /* a cap tick per bar */
    assert_non_null(strstr(out, ">5 of 10 h</text>"));
    assert_true(strstr(out, "</svg>\n") == out + strlen(out) - 7);
    free(out);
}

/* A bar over its cap goes past the tick; no cap draws no track and no tick. */
static void test_svg__hbars_over_and_no_cap(void **state)
{
    (void)state;
    cpd_svg_bar bars[] = {{"Over", 20, 10, NULL, CPD_SVG_BAD}, {"Free", 4, 0, NULL, CPD_SVG_GOOD}};
    char *out = hbars(bars, 2);
    assert_non_null(strstr(out, "width=\"380.0\" height=\"14.0\" fill=\"#c0392b\""));
    assert_non_null(strstr(out, "<line x1=\"490.0\"")); /* the cap, half way */
    assert_int_equal(count(out, "<line "), 1);
    assert_int_equal(count(out, "fill=\"#e4e4e4\""), 1); /* Over's track only */
    assert_non_null(strstr(out, "width=\"76.0\" height=\"14.0\" fill=\"#3f8f5a\""));
    free(out);
}

/* Names from the files are escaped everywhere; a long label is cut with "…" but whole in the
 * tooltip. */
static void test_svg__text_escaped_and_cut(void **state)
{
    (void)state;
    const char *name = "O'Neil & <Sons> \"Academy\" of the Very Long Name Indeed, Upper School";
    cpd_svg_bar bars[] = {{name, 1, 2, "a<b", CPD_SVG_PLAIN}};
    char *out = hbars(bars, 1);
    assert_null(strstr(out, "<Sons>"));
    assert_null(strstr(out, "a<b"));
    assert_non_null(strstr(out, "<title>O&#39;Neil &amp; &lt;Sons&gt; &quot;Academy&quot; of the "
                                "Very Long Name Indeed, Upper School: a&lt;b</title>"));
    /* (300 - 10) / 7 = 41 characters: 40 and the ellipsis */
    assert_non_null(
        strstr(out, "text-anchor=\"end\">O&#39;Neil &amp; &lt;Sons&gt; &quot;Academy&quot; of the "
                    "Very Lo…</text>"));
    assert_non_null(strstr(out, ">a&lt;b</text>"));
    free(out);
}

/* Cutting counts characters, not bytes: a name in UTF-8 is never cut inside a character. */
static void test_svg__cut_utf8(void **state)
{
    (void)state;
    cpd_svg_bar bars[] = {
        {"Élodie Ñúñez-Østergård Żółkiewska-Çelik Åsa Überschön Test", 1, 0, NULL, CPD_SVG_PLAIN}};
    char *out = hbars(bars, 1);
    assert_non_null(strstr(out, ">Élodie Ñúñez-Østergård Żółkiewska-Çelik …</text>"));
    free(out);
}

static void test_svg__nothing_for_nothing(void **state)
{
    (void)state;
    sink s;
    sink_open(&s);
    cpd_svg_hbars(s.f, "x", NULL, 0);
    cpd_svg_vbars(s.f, "x", NULL, 0);
    cpd_svg_gantt g = {"x", NULL, 0, NULL, 0, NULL, NULL, 0};
    cpd_svg_gantt_draw(s.f, &g);
    cpd_svg_gantt_draw(s.f, NULL);
    char *out = sink_close(&s);
    assert_string_equal(out, "");
    free(out);
}

/* A histogram: bars rise from one baseline, the tallest to the top of the area (160). */
static void test_svg__vbars(void **state)
{
    (void)state;
    cpd_svg_bar bars[] = {{"1st", 40, 0, NULL, CPD_SVG_GOOD},
                          {"2nd", 20, 0, NULL, CPD_SVG_PLAIN},
                          {"not a choice", 0, 0, NULL, CPD_SVG_MUTED}};
    sink s;
    sink_open(&s);
    cpd_svg_vbars(s.f, "Ranks", bars, 3);
    char *out = sink_close(&s);
    assert_non_null(strstr(out, "viewBox=\"0 0 272.0 204.0\""));
    assert_non_null(strstr(out, "<line x1=\"10.0\" y1=\"182.0\" x2=\"262.0\" y2=\"182.0\""));
    assert_non_null(strstr(out, "<rect x=\"18.0\" y=\"22.0\" width=\"68.0\" height=\"160.0\" "
                                "fill=\"#3f8f5a\"><title>1st: 40</title></rect>"));
    assert_non_null(strstr(out, "<rect x=\"102.0\" y=\"102.0\" width=\"68.0\" height=\"80.0\""));
    assert_non_null(strstr(out, "height=\"0.0\" fill=\"#9a9a9a\""));
    assert_non_null(strstr(out, ">not a choice</text>"));
    assert_int_equal(count(out, "<rect "), 3);
    free(out);
}

/* A Gantt: week heads where the group changes, a bar per span placed by column (half days
 * allowed), spans outside the chart left out, a span running past the end clipped. */
static void test_svg__gantt(void **state)
{
    (void)state;
    const char *rows[] = {"Induction", "Coaching & <feedback>"};
    const char *cols[] = {"1", "2", "3", "6", "7"};
    int weeks[] = {1, 1, 1, 2, 2};
    cpd_svg_span spans[] = {{0, 0, 1, "Induction day 1", CPD_SVG_PLAIN},
                            {1, 3.5, 0.5, "late one", CPD_SVG_BAD},
                            {1, 4, 3, "clipped", CPD_SVG_PLAIN},
                            {2, 0, 1, "no such row", CPD_SVG_PLAIN},
                            {0, 5, 1, "past the end", CPD_SVG_PLAIN}};
    cpd_svg_gantt g = {"Weeks", rows, 2, cols, 5, weeks, spans, 5};
    sink s;
    sink_open(&s);
    cpd_svg_gantt_draw(s.f, &g);
    char *out = sink_close(&s);
    assert_int_equal(count(out, ">week "), 2);
    assert_non_null(strstr(out, ">week 1</text>"));
    assert_non_null(strstr(out, ">week 2</text>"));
    assert_non_null(strstr(out, ">Coaching &amp; &lt;feedback&gt;</text>"));
    assert_non_null(strstr(out, "<rect x=\"271.0\" y=\"40.0\" width=\"30.0\" height=\"14.0\" "
                                "fill=\"#4a78b0\" rx=\"2\"><title>Induction day 1</title>"));
    /* column 3.5 = 270 + 3.5 x 32 + 1; half a column wide less 2 */
    assert_non_null(strstr(out, "<rect x=\"383.0\" y=\"62.0\" width=\"14.0\" height=\"14.0\" "
                                "fill=\"#c0392b\" rx=\"2\"><title>late one</title>"));
    assert_non_null(strstr(out, "width=\"30.0\" height=\"14.0\" fill=\"#4a78b0\" rx=\"2\">"
                                "<title>clipped</title>"));
    assert_null(strstr(out, "no such row"));
    assert_null(strstr(out, "past the end"));
    free(out);
}

/* Same figures, same bytes. */
static void test_svg__deterministic(void **state)
{
    (void)state;
    cpd_svg_bar bars[] = {{"a", 1.0 / 3, 2.0 / 3, NULL, CPD_SVG_PLAIN}};
    char *a = hbars(bars, 1), *b = hbars(bars, 1);
    assert_string_equal(a, b);
    assert_non_null(strstr(a, ">0.333333</text>"));
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg__hbars_to_scale),
        cmocka_unit_test(test_svg__hbars_over_and_no_cap),
        cmocka_unit_test(test_svg__text_escaped_and_cut),
        cmocka_unit_test(test_svg__cut_utf8),
        cmocka_unit_test(test_svg__nothing_for_nothing),
        cmocka_unit_test(test_svg__vbars),
        cmocka_unit_test(test_svg__gantt),
        cmocka_unit_test(test_svg__deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
