/* test_ics.c — the iCalendar helpers every job's calendar shares: folding, escaping, times,
 * stamps and the stable hash of UIDs; and the inset day's session times. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_date.h"
#include "cpd_ics.h"
#include "cpd_inset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

/* What fn wrote, as a NUL-terminated string the caller frees. */
static char *written(void (*fn)(FILE *, const void *), const void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fn(f, arg);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void put_line(FILE *f, const void *s) { cpd_ics_line(f, s); }
static void put_summary(FILE *f, const void *s) { cpd_ics_prop(f, "SUMMARY", s); }

/* Every line of text ends in CRLF and holds at most 75 octets; continuation lines start with a
 * space. Returns the number of lines. */
static int check_folded(const char *text)
{
    int lines = 0;
    for (const char *at = text; *at;) {
        const char *end = strstr(at, "\r\n");
        assert_non_null(end);
        assert_true(end - at <= CPD_ICS_WIDTH);
        if (lines > 0)
            assert_int_equal(at[0], ' ');
        lines++;
        at = end + 2;
    }
    return lines;
}

/* text unfolded (RFC 5545 3.1: CRLF and one space removed), without the final CRLF. */
static char *unfolded(const char *text)
{
    char *out = calloc(strlen(text) + 1, 1), *o = out;
    for (const char *at = text; *at; at++) {
        if (at[0] == '\r' && at[1] == '\n') {
            at += at[2] == ' ' ? 2 : 1;
            continue;
        }
        *o++ = *at;
    }
    return out;
}

/* ---- tests ---- */

static void test_ics__short_line_ends_in_crlf(void **state)
{
    (void)state;
    char *s = written(put_line, "BEGIN:VCALENDAR");
    assert_string_equal(s, "BEGIN:VCALENDAR\r\n");
    free(s);
}

static void test_ics__folds_at_75_octets(void **state)
{
    (void)state;
    char line[201];
    memset(line, 'x', 200);
    line[200] = '\0';
    char *s = written(put_line, line);
    /* 75 + 74 + 51 octets of text */
    assert_int_equal(check_folded(s), 3);
    assert_int_equal(strlen(s), 200 + 2 + 3 * 2);
    char *back = unfolded(s);
    assert_string_equal(back, line);
    free(back);
    free(s);
}

static void test_ics__exactly_75_octets_is_one_line(void **state)
{
    (void)state;
    char line[76];
    memset(line, 'a', 75);
    line[75] = '\0';
    char *s = written(put_line, line);
    assert_int_equal(check_folded(s), 1);
    free(s);
}

static void test_ics__never_cuts_utf8(void **state)
{
    (void)state;
    /* "é" is two octets: 74 ASCII then é would put its second octet at 76 */
    char line[256] = {0};
    memset(line, 'a', 74);
    strcat(line, "\xc3\xa9\xc3\xa9 Zoë Brontë-Ó Súilleabháin");
    char *s = written(put_line, line);
    check_folded(s);
    assert_memory_equal(s + 74, "\r\n \xc3\xa9", 5); /* the é moved whole to the next line */
    char *back = unfolded(s);
    assert_string_equal(back, line);
    free(back);
    free(s);
}

static void test_ics__escapes_text(void **state)
{
    (void)state;
    char *e = cpd_ics_escape("a,b;c\\d\ne\tf\x01g");
    assert_string_equal(e, "a\\,b\\;c\\\\d\\ne fg");
    free(e);
    e = cpd_ics_escape(NULL);
    assert_string_equal(e, "");
    free(e);
}

static void test_ics__prop_escapes_and_folds(void **state)
{
    (void)state;
    const char *title = "Retrieval practice, spaced; interleaved \\ and a long tail of words that "
                        "runs on past the line's end";
    char *s = written(put_summary, title);
    check_folded(s);
    char *back = unfolded(s);
    assert_string_equal(back, "SUMMARY:Retrieval practice\\, spaced\\; interleaved \\\\ and a long "
                              "tail of words that runs on past the line's end");
    free(back);
    free(s);
}

static void put_times(FILE *f, const void *arg)
{
    (void)arg;
    int date = cpd_date_from_ymd(2027, 1, 4);
    cpd_ics_stamp(f, date);
    cpd_ics_time(f, "DTSTART", date, 9 * 60 + 15);
    cpd_ics_time(f, "DTEND", date, 14 * 60 + 5);
}

static void test_ics__times_are_floating_and_stamp_is_the_date(void **state)
{
    (void)state;
    char *s = written(put_times, NULL);
    assert_string_equal(s, "DTSTAMP:20270104T000000Z\r\n"
                           "DTSTART:20270104T091500\r\n"
                           "DTEND:20270104T140500\r\n");
    free(s);
}

static void put_calendar(FILE *f, const void *arg)
{
    cpd_ics_begin(f, "inset sessions", arg);
    cpd_ics_end(f);
}

static void test_ics__calendar_frame(void **state)
{
    (void)state;
    char *s = written(put_calendar, "Day one, Trust");
    assert_string_equal(
        s, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//cpdplan//inset sessions//EN\r\n"
           "CALSCALE:GREGORIAN\r\nX-WR-CALNAME:Day one\\, Trust\r\nEND:VCALENDAR\r\n");
    free(s);
    s = written(put_calendar, NULL);
    assert_null(strstr(s, "X-WR-CALNAME"));
    free(s);
}

static void test_ics__hash_is_stable_fnv1a(void **state)
{
    (void)state;
    /* FNV-1a 64 reference values */
    assert_true(cpd_ics_hash("") == 0xcbf29ce484222325ull);
    assert_true(cpd_ics_hash(NULL) == 0xcbf29ce484222325ull);
    assert_true(cpd_ics_hash("a") == 0xaf63dc4c8601ec8cull);
    assert_true(cpd_ics_hash("foobar") == 0x85944171f73967e8ull);
    assert_true(cpd_ics_hash("day 1") != cpd_ics_hash("day 2"));
}

static void test_ics__inset_default_slot_times(void **state)
{
    (void)state;
    cpd_inset_params p;
    cpd_inset_params_default(&p);
    assert_int_equal(p.date, -1);
    int a, b;
    assert_true(cpd_inset_slot_time(&p, 1, &a, &b));
    assert_int_equal(a, 9 * 60);
    assert_int_equal(b, 10 * 60);
    assert_true(cpd_inset_slot_time(&p, 3, &a, &b));
    assert_int_equal(a, 11 * 60 + 30);
    assert_int_equal(b, 12 * 60 + 30);
    assert_true(cpd_inset_slot_time(&p, 12, &a, &b));  /* 22:45-23:45 */
    assert_false(cpd_inset_slot_time(&p, 13, &a, &b)); /* would end after midnight */
}

static void test_ics__inset_given_slot_times(void **state)
{
    (void)state;
    cpd_inset_params p;
    cpd_inset_params_default(&p);
    p.ntimes = 2;
    p.slot_start[0] = 9 * 60 + 15;
    p.slot_end[0] = 10 * 60 + 30;
    p.slot_start[1] = 13 * 60;
    p.slot_end[1] = 14 * 60;
    int a, b;
    assert_true(cpd_inset_slot_time(&p, 2, &a, &b));
    assert_int_equal(a, 13 * 60);
    assert_int_equal(b, 14 * 60);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test(test_ics__##name)
        T(short_line_ends_in_crlf),
        T(folds_at_75_octets),
        T(exactly_75_octets_is_one_line),
        T(never_cuts_utf8),
        T(escapes_text),
        T(prop_escapes_and_folds),
        T(times_are_floating_and_stamp_is_the_date),
        T(calendar_frame),
        T(hash_is_stable_fnv1a),
        T(inset_default_slot_times),
        T(inset_given_slot_times),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
