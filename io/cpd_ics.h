/* cpd_ics.h — writing iCalendar files (RFC 5545) the same way for every job: content lines
 * folded at 75 octets with CRLF, TEXT values escaped, floating local date-times, a DTSTAMP
 * taken from the plan's own dates (never the clock, so the same input gives the same bytes),
 * and a short stable hash for UIDs that must survive a re-run.
 *
 * Ownership: cpd_ics_escape returns a string the caller frees. Writes go to f; the caller
 * checks f's error state when the file is done (cpd_outset_flushed). */
#ifndef CPD_ICS_H
#define CPD_ICS_H

#include <stdint.h>
#include <stdio.h>

#define CPD_ICS_WIDTH 75 /* octets of a content line before folding (RFC 5545 3.1) */

/* One content line, folded: at most 75 octets a line, a continuation starting with a space,
 * never cutting a UTF-8 sequence; CRLF after each. */
void cpd_ics_line(FILE *f, const char *s);
/* s as a TEXT value: backslash, semicolon, comma and newline escaped, a tab as a space, other
 * control characters dropped. NULL reads as "". */
char *cpd_ics_escape(const char *s);
/* "NAME:" and text escaped, as one folded line. */
void cpd_ics_prop(FILE *f, const char *name, const char *text);
/* "NAME:YYYYMMDDTHHMMSS", a floating local time: date (cpd_date) and minutes after midnight. */
void cpd_ics_time(FILE *f, const char *name, int date, int minutes);
/* "DTSTAMP:YYYYMMDDT000000Z" of date: a plan's own date, so a re-run writes the same bytes. */
void cpd_ics_stamp(FILE *f, int date);
/* BEGIN:VCALENDAR, VERSION, PRODID "-//cpdplan//WHAT//EN", CALSCALE and, when calname is not
 * NULL, X-WR-CALNAME; cpd_ics_end closes it. */
void cpd_ics_begin(FILE *f, const char *what, const char *calname);
void cpd_ics_end(FILE *f);
/* A 64-bit FNV-1a hash of s (NULL reads as ""): the same text gives the same UID part on every
 * machine and run. */
uint64_t cpd_ics_hash(const char *s);

#endif
