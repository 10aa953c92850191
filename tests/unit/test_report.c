/* test_report.c — report.html's frame: the header read from a summary, in plain words, escaped,
 * with the time taken alone on its line and no clock time; the style prints on A4. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* The page's frame for a summary given as JSON text; the caller frees the text returned. */
static char *frame(const char *kind, const char *summary_json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    cJSON *sum = cJSON_Parse(summary_json);
    assert_non_null(sum);
    cpd_report_begin(f, kind, sum);
    static const char *const nav[][2] = {{"a", "First & <best>"}, {"b", "Second"}};
    cpd_report_nav(f, nav, 2);
    cpd_report_section(f, "a", "First & <best>");
    cpd_report_section_end(f);
    cpd_report_end(f);
    cJSON_Delete(sum);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* ---- tests ---- */

static void test_report__optimal_header(void **state)
{
    (void)state;
    char *t = frame("CPD deployment", "{\"job\":\"deploy\",\"scenario\":\"North <Trust> & Co\","
                                      "\"status\":\"optimal\",\"objective\":34792,"
                                      "\"bound\":34792,\"gap\":0,\"seconds\":0.076}");
    const char *start = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>";
    assert_true(strncmp(t, start, strlen(start)) == 0);
    assert_non_null(strstr(t, "<title>CPD deployment: North &lt;Trust&gt; &amp; Co</title>"));
    assert_non_null(
        strstr(t, "<h1><small>CPD deployment</small>North &lt;Trust&gt; &amp; Co</h1>"));
    assert_non_null(strstr(t, "<dt>Made by</dt><dd>cpdplan " CPD_VERSION "."));
    assert_non_null(strstr(t, "<dt>Solver</dt><dd>optimal: the best plan there is, proven</dd>"));
    assert_non_null(strstr(t, "<dt>Objective</dt><dd>34792 (best possible: 34792)</dd>"));
    assert_non_null(strstr(t, "<dt>Proven gap</dt><dd>0.00% (nothing better can exist)</dd>"));
    /* the time taken: its own line, the only one that differs between two runs */
    assert_non_null(strstr(t, "\n<dd class=\"secs\">0.08 s</dd>\n"));
    assert_non_null(strstr(t, "<nav><b>Contents</b>\n<ol>\n<li><a href=\"#a\">First &amp; "
                              "&lt;best&gt;</a></li>\n"));
    assert_non_null(strstr(t, "<section id=\"a\">\n<h2>First &amp; &lt;best&gt;</h2>\n</section>"));
    assert_true(strcmp(t + strlen(t) - 15, "</body></html>\n") == 0);
    free(t);
}

/* A plan stopped by the clock: no bound, so no gap; said in words, not as a number. */
static void test_report__feasible_without_bound(void **state)
{
    (void)state;
    char *t = frame("Training day", "{\"job\":\"inset\",\"scenario\":null,\"status\":\"feasible\","
                                    "\"objective\":12.5,\"bound\":null,\"gap\":null,"
                                    "\"seconds\":30.004}");
    assert_non_null(strstr(t, "<h1><small>Training day</small>(scenario without a name)</h1>"));
    assert_non_null(strstr(t, "<dd>feasible: a good plan, not proven the best in the time "
                              "allowed</dd>"));
    assert_non_null(strstr(t, "<dt>Objective</dt><dd>12.5</dd>"));
    assert_non_null(strstr(t, "<dt>Proven gap</dt><dd>not known (no bound was proven)</dd>"));
    assert_non_null(strstr(t, "<dd class=\"secs\">30.00 s</dd>"));
    free(t);
}

static void test_report__gap_and_no_plan(void **state)
{
    (void)state;
    char *t = frame("Onboarding", "{\"status\":\"feasible\",\"objective\":212,\"bound\":200,"
                                  "\"gap\":0.0566,\"seconds\":1}");
    assert_non_null(strstr(t, "<dt>Proven gap</dt><dd>5.66%</dd>"));
    free(t);
    t = frame("Onboarding", "{\"status\":\"no_plan\",\"objective\":null,\"seconds\":0}");
    assert_non_null(strstr(t, "<dd class=\"secs\">under 0.01 s</dd>"));
    assert_non_null(strstr(t, "<dd>no plan: nothing could be placed</dd>"));
    assert_non_null(strstr(t, "<dt>Objective</dt><dd>none</dd>"));
    free(t);
}

/* Self-contained and printable: nothing fetched, A4 pages, heads repeated, registers apart. */
static void test_report__style(void **state)
{
    (void)state;
    char *t = frame("x", "{\"status\":\"optimal\"}");
    assert_null(strstr(t, "<script"));
    assert_null(strstr(t, "http"));
    assert_null(strstr(t, "url("));
    assert_null(strstr(t, "@import"));
    assert_non_null(strstr(t, "@media print{@page{size:A4"));
    assert_non_null(strstr(t, "thead{display:table-header-group}"));
    assert_non_null(strstr(t, "tr,svg,dl,.keep{break-inside:avoid"));
    assert_non_null(strstr(t, ".register{break-before:page"));
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report__optimal_header),
        cmocka_unit_test(test_report__feasible_without_bound),
        cmocka_unit_test(test_report__gap_and_no_plan),
        cmocka_unit_test(test_report__style),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
