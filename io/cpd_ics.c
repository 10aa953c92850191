/* cpd_ics.c — iCalendar lines, values, times and stamps shared by the jobs' calendars. */
#include "cpd_ics.h"

#include "cpd_date.h"
#include "cpd_err.h"

#include <stdlib.h>
#include <string.h>

void cpd_ics_line(FILE *f, const char *s)
{
    size_t n = strlen(s), at = 0, limit = CPD_ICS_WIDTH;
    do {
        size_t cut = n - at;
        if (cut > limit) {
            cut = limit;
            while (cut > 0 && ((unsigned char)s[at + cut] & 0xC0) == 0x80)
                cut--;
            if (cut == 0) /* not UTF-8: cut where the octets say */
                cut = limit;
        }
        if (at)
            fputc(' ', f);
        fwrite(s + at, 1, cut, f);
        fputs("\r\n", f);
        at += cut;
        limit = CPD_ICS_WIDTH - 1; /* the leading space counts */
    } while (at < n);
}

char *cpd_ics_escape(const char *s)
{
    size_t n = s ? strlen(s) : 0, k = 0;
    char *out = cpd_xmalloc(2 * n + 1); /* every character escaped at worst */
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\\' || c == ';' || c == ',' || c == '\n') {
            out[k++] = '\\';
            out[k++] = c == '\n' ? 'n' : (char)c;
        } else if (c >= 0x20 && c != 0x7f) {
            out[k++] = (char)c;
        } else if (c == '\t') {
            out[k++] = ' ';
        }
    }
    out[k] = '\0';
    return out;
}

void cpd_ics_prop(FILE *f, const char *name, const char *text)
{
    char *value = cpd_ics_escape(text);
    size_t len = strlen(name) + strlen(value) + 2;
    char *line = cpd_xmalloc(len);
    snprintf(line, len, "%s:%s", name, value);
    cpd_ics_line(f, line);
    free(line);
    free(value);
}

void cpd_ics_time(FILE *f, const char *name, int date, int minutes)
{
    int y, m, d;
    cpd_date_to_ymd(date, &y, &m, &d);
    char line[128];
    snprintf(line, sizeof line, "%s:%04d%02d%02dT%02d%02d00", name, y, m, d, minutes / 60 % 24,
             minutes % 60);
    cpd_ics_line(f, line);
}

void cpd_ics_stamp(FILE *f, int date)
{
    int y, m, d;
    cpd_date_to_ymd(date, &y, &m, &d);
    char line[64];
    snprintf(line, sizeof line, "DTSTAMP:%04d%02d%02dT000000Z", y, m, d);
    cpd_ics_line(f, line);
}

void cpd_ics_begin(FILE *f, const char *what, const char *calname)
{
    char prodid[256];
    snprintf(prodid, sizeof prodid, "PRODID:-//cpdplan//%s//EN", what);
    cpd_ics_line(f, "BEGIN:VCALENDAR");
    cpd_ics_line(f, "VERSION:2.0");
    cpd_ics_line(f, prodid);
    cpd_ics_line(f, "CALSCALE:GREGORIAN");
    if (calname)
        cpd_ics_prop(f, "X-WR-CALNAME", calname);
}

void cpd_ics_end(FILE *f) { cpd_ics_line(f, "END:VCALENDAR"); }

uint64_t cpd_ics_hash(const char *s)
{
    uint64_t h = 14695981039346656037ull;
    for (; s && *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}
