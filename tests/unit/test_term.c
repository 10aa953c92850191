/* test_term.c — the colour decision of the terminal summaries (a terminal, NO_COLOR) and the
 * codes written around a status word or header row only when asked. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* What cpd_term_printf wrote for "%-8s|" of text, colour on or off, in tone t. */
static char *printed(bool colour, cpd_tone t, const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    cpd_term_printf(f, colour, t, "%-8s|", text);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* ---- tests ---- */

static void test_term__colour_only_on_a_terminal(void **state)
{
    (void)state;
    assert_true(cpd_term_colour(true, NULL));
    assert_false(cpd_term_colour(false, NULL));
    assert_false(cpd_term_colour(false, ""));
}

static void test_term__no_color_set_and_not_empty_disables(void **state)
{
    (void)state;
    assert_false(cpd_term_colour(true, "1"));
    assert_false(cpd_term_colour(true, "0")); /* any non-empty value, even "0" */
    assert_false(cpd_term_colour(true, "false"));
    assert_true(cpd_term_colour(true, "")); /* set but empty: colour stays */
}

static void test_term__plain_without_colour(void **state)
{
    (void)state;
    char *s = printed(false, CPD_TONE_GOOD, "optimal");
    assert_string_equal(s, "optimal |");
    free(s);
}

static void test_term__codes_wrap_exactly_the_text(void **state)
{
    (void)state;
    char *s = printed(true, CPD_TONE_GOOD, "optimal");
    assert_string_equal(s, "\033[32moptimal |\033[0m");
    free(s);
    s = printed(true, CPD_TONE_FAIR, "feasible");
    assert_string_equal(s, "\033[33mfeasible|\033[0m");
    free(s);
    s = printed(true, CPD_TONE_BAD, "no_plan");
    assert_string_equal(s, "\033[31mno_plan |\033[0m");
    free(s);
    s = printed(true, CPD_TONE_HEADER, "school");
    assert_string_equal(s, "\033[1mschool  |\033[0m");
    free(s);
}

static void test_term__status_tones(void **state)
{
    (void)state;
    assert_int_equal(cpd_term_status_tone("optimal"), CPD_TONE_GOOD);
    assert_int_equal(cpd_term_status_tone("feasible"), CPD_TONE_FAIR);
    assert_int_equal(cpd_term_status_tone("no_plan"), CPD_TONE_BAD);
    assert_int_equal(cpd_term_status_tone("infeasible"), CPD_TONE_BAD);
    assert_int_equal(cpd_term_status_tone(NULL), CPD_TONE_BAD);
}

/* What cpd_term_status_line wrote for a plan of the given name (colour off). */
static char *status_of(const char *name, bool short_figures)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    cpd_term_status st = {.job = "deploy", .name = name, .status = "feasible", .has_plan = true,
                          .has_bound = true, .objective = 34646, .bound = 34792.5,
                          .gap = 0.0042, .seconds = 1.5, .short_figures = short_figures};
    cpd_term_status_line(f, false, &st);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* One line when it fits 80 columns; else the figures on a second line, and a name too long
 * even for a line of its own cut short with "…" (counted in characters, not bytes). */
static void test_term__status_line_fits_80_columns(void **state)
{
    (void)state;
    char *s = status_of("Oak", true);
    assert_string_equal(s, "deploy Oak: feasible, objective 3.465e+04, bound 3.479e+04, gap 0.42%, "
                           "1.50 s\n");
    free(s);
    s = status_of("Northfield Learning Trust — autumn term 2026", false);
    assert_string_equal(s, "deploy Northfield Learning Trust — autumn term 2026: feasible\n"
                           "  objective 34646.0000, bound 34792.5000, gap 0.42%, 1.50 s\n");
    free(s);
    s = status_of("Northern Lights Multi-Academy Trust — spring term coaching plan, second draft",
                  false);
    assert_string_equal(s, "deploy Northern Lights Multi-Academy Trust — spring term coaching "
                           "pla…: feasible\n"
                           "  objective 34646.0000, bound 34792.5000, gap 0.42%, 1.50 s\n");
    *strchr(s, '\n') = '\0';
    assert_int_equal(cpd_term_width(s), 80);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test(test_term__##name)
        T(colour_only_on_a_terminal),
        T(no_color_set_and_not_empty_disables),
        T(plain_without_colour),
        T(codes_wrap_exactly_the_text),
        T(status_tones),
        T(status_line_fits_80_columns),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
