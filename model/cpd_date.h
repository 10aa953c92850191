/* cpd_date.h — calendar dates as whole days since 1970-01-01 (proleptic Gregorian), for the
 * onboarding programme: strict ISO parsing, formatting, weekdays, Mondays.
 *
 * A date is an int; every function is pure (no time zones, no locale). */
#ifndef CPD_DATE_H
#define CPD_DATE_H

#include <stdbool.h>
#include <stddef.h>

/* Days since 1970-01-01 of a valid year/month/day (month 1..12, day 1..31). */
int cpd_date_from_ymd(int y, int m, int d);
void cpd_date_to_ymd(int date, int *y, int *m, int *d);
/* Parses exactly "YYYY-MM-DD" (a real date, year 1900..2999); false otherwise. */
bool cpd_date_parse(const char *s, int *date);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void cpd_date_format(int date, char *buf, size_t len);
/* 0 = Monday .. 6 = Sunday. */
int cpd_date_weekday(int date);
bool cpd_date_is_weekend(int date);
/* The Monday on or before date. */
int cpd_date_monday(int date);
/* "mon".."sun" for 0..6; parses the same (case-insensitive, also full names); false otherwise. */
const char *cpd_weekday_name(int wd);
bool cpd_weekday_parse(const char *s, int *wd);

#endif
