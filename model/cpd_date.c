/* cpd_date.c — civil dates from and to day numbers (Howard Hinnant's days_from_civil, which is
 * exact for every Gregorian date and needs no tables). */
#include "cpd_date.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int cpd_date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cpd_date_to_ymd(int date, int *y, int *m, int *d)
{
    int z = date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

static int days_in_month(int y, int m)
{
    static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : n[m - 1];
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool cpd_date_parse(const char *s, int *date)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 4, &y) ||
        !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
        return false;
    if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return false;
    *date = cpd_date_from_ymd(y, m, d);
    return true;
}

void cpd_date_format(int date, char *buf, size_t len)
{
    int y, m, d;
    cpd_date_to_ymd(date, &y, &m, &d);
    snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
}

/* 1970-01-01 was a Thursday (3). */
int cpd_date_weekday(int date)
{
    int r = (date + 3) % 7;
    return r < 0 ? r + 7 : r;
}

bool cpd_date_is_weekend(int date) { return cpd_date_weekday(date) >= 5; }

int cpd_date_monday(int date) { return date - cpd_date_weekday(date); }

static const char *const short_names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const long_names[] = {"monday", "tuesday", "wednesday", "thursday",
                                         "friday", "saturday", "sunday"};

const char *cpd_weekday_name(int wd) { return wd >= 0 && wd < 7 ? short_names[wd] : "?"; }

bool cpd_weekday_parse(const char *s, int *wd)
{
    for (int i = 0; i < 7; i++)
        if (s && (strcasecmp(s, short_names[i]) == 0 || strcasecmp(s, long_names[i]) == 0)) {
            *wd = i;
            return true;
        }
    return false;
}
