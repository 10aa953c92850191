/* ics_check.c — checks an iCalendar file with libical, a real parser, for the end-to-end tests:
 *   ics_check FILE [EXPECTED_EVENTS]
 * Fails (exit 1, the reason on stderr) when a line does not end in CRLF or is longer than 75
 * octets (RFC 5545 3.1), when libical reports a parse error (X-LIC-ERROR), when the root is not
 * one VCALENDAR with VERSION and PRODID, when an event lacks UID, DTSTAMP, DTSTART or SUMMARY,
 * ends before it starts, or two events share a UID; or when the count differs from the one
 * expected. Prints "N events" on success. */
#include <libical/ical.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            char *b = realloc(buf, cap + 1);
            if (!b) {
                free(buf);
                buf = NULL;
            }
            buf = b;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    *len = n;
    return buf;
}

/* RFC 5545 3.1: every line ends in CRLF and holds at most 75 octets. */
static int check_lines(const char *text, size_t len)
{
    size_t line = 1, start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '\n')
            continue;
        if (i == 0 || text[i - 1] != '\r') {
            fprintf(stderr, "line %zu does not end in CRLF\n", line);
            return 1;
        }
        if (i - 1 - start > 75) {
            fprintf(stderr, "line %zu holds %zu octets (at most 75)\n", line, i - 1 - start);
            return 1;
        }
        start = i + 1;
        line++;
    }
    if (start != len) {
        fprintf(stderr, "the last line does not end in CRLF\n");
        return 1;
    }
    return 0;
}

static int check_event(icalcomponent *ev, char **uids, int n)
{
    const char *uid = icalcomponent_get_uid(ev);
    if (!uid || !icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY) ||
        !icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY) ||
        !icalcomponent_get_summary(ev)) {
        fprintf(stderr, "event %d lacks UID, DTSTAMP, DTSTART or SUMMARY\n", n + 1);
        return 1;
    }
    struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
    if (!icaltime_is_null_time(e) && icaltime_compare(e, s) <= 0) {
        fprintf(stderr, "event %s ends before it starts\n", uid);
        return 1;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(uids[i], uid) == 0) {
            fprintf(stderr, "UID %s is used twice\n", uid);
            return 1;
        }
    uids[n] = strdup(uid);
    return 0;
}

/* The text of the first X-LIC-ERROR libical left in c or its components. */
static const char *first_error(icalcomponent *c)
{
    icalproperty *e = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
    if (e)
        return icalproperty_get_xlicerror(e);
    for (icalcomponent *k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT); k;
         k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT)) {
        const char *m = first_error(k);
        if (m)
            return m;
    }
    return NULL;
}

static int check_calendar(icalcomponent *cal, int *nevents)
{
    if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT ||
        !icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY) ||
        !icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY)) {
        fprintf(stderr, "not a VCALENDAR with VERSION and PRODID\n");
        return 1;
    }
    if (icalcomponent_count_errors(cal) > 0) {
        const char *m = first_error(cal);
        fprintf(stderr, "libical: %s\n", m ? m : "parse errors");
        return 1;
    }
    int n = icalcomponent_count_components(cal, ICAL_VEVENT_COMPONENT), bad = 0, k = 0;
    char **uids = calloc((size_t)n + 1, sizeof *uids);
    for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         ev && !bad; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT))
        bad = check_event(ev, uids, k++);
    for (int i = 0; i < k; i++)
        free(uids[i]);
    free(uids);
    *nevents = n;
    return bad;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: ics_check FILE [EXPECTED_EVENTS]\n");
        return 2;
    }
    size_t len;
    char *text = slurp(argv[1], &len);
    if (!text) {
        fprintf(stderr, "%s: cannot read\n", argv[1]);
        return 2;
    }
    int bad = check_lines(text, len), n = 0;
    icalcomponent *cal = bad ? NULL : icalparser_parse_string(text);
    if (!bad && !cal) {
        fprintf(stderr, "libical could not parse the file\n");
        bad = 1;
    }
    if (!bad)
        bad = check_calendar(cal, &n);
    if (!bad && argc == 3 && n != atoi(argv[2])) {
        fprintf(stderr, "%d events, expected %s\n", n, argv[2]);
        bad = 1;
    }
    if (!bad)
        printf("%d events\n", n);
    if (cal)
        icalcomponent_free(cal);
    free(text);
    return bad ? 1 : 0;
}
