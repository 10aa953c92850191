/* cpd_csv.c — CSV tables read on libcsv with a line for every cell, strict cell parsing, and a
 * spreadsheet-safe writer. */
#include "cpd_csv.h"

#include "cpd_io_util.h"

#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- local: the table ---- */

/* Cells live in one growing arena as offsets (the arena moves while it grows), so reading a
 * file costs a few reallocations, not one malloc per cell. */
typedef struct {
    size_t off;
    int line;
} csv_cell;

typedef struct {
    size_t first; /* index of the row's first cell */
    int n;        /* cells kept (extra fields beyond the header are dropped) */
    int line;     /* where the row starts */
} csv_row;

struct cpd_csv {
    char *name;
    char *arena;
    size_t alen, acap;
    csv_cell *cells;
    size_t ncells, ccap;
    csv_row *rows; /* rows[0] is the header */
    size_t nrows, rcap;
};

/* At most this many invalid-UTF-8 reports per file: a Latin-1 file would otherwise give one
 * per accented name. */
enum { MAX_UTF8_REPORTS = 10 };

static bool is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

/* Case-insensitive ASCII comparison that does not depend on the locale. */
static bool same_name(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (ascii_lower(*a) != ascii_lower(*b))
            return false;
    return *a == *b;
}

static size_t count_nl(const char *s, size_t n)
{
    size_t k = 0;
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        k++;
    return k;
}

static size_t arena_put(cpd_csv *t, const char *s, size_t n)
{
    if (t->alen + n + 1 > t->acap) {
        while (t->alen + n + 1 > t->acap)
            t->acap = t->acap ? 2 * t->acap : 4096;
        t->arena = cpd_xrealloc(t->arena, t->acap);
    }
    size_t off = t->alen;
    memcpy(t->arena + off, s, n);
    t->arena[off + n] = '\0';
    t->alen += n + 1;
    return off;
}

static void cell_push(cpd_csv *t, size_t off, int line)
{
    if (t->ncells == t->ccap) {
        t->ccap = t->ccap ? 2 * t->ccap : 256;
        t->cells = cpd_xrealloc(t->cells, t->ccap * sizeof *t->cells);
    }
    t->cells[t->ncells++] = (csv_cell){off, line};
}

static void row_push(cpd_csv *t, csv_row r)
{
    if (t->nrows == t->rcap) {
        t->rcap = t->rcap ? 2 * t->rcap : 64;
        t->rows = cpd_xrealloc(t->rows, t->rcap * sizeof *t->rows);
    }
    t->rows[t->nrows++] = r;
}

/* ---- local: UTF-8 ---- */

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF), or 0 when it is not valid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return len;
}

/* Offset of the first invalid byte of s, or n when it is all valid. */
static size_t utf8_bad_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

/* ---- local: parsing ---- */

typedef struct {
    cpd_csv *t;
    cpd_diags *d;
    int line;       /* line of the byte being fed */
    bool in_row;    /* a row has begun and not yet ended */
    int row_line;   /* where the current row began */
    int row_nl;     /* newlines inside the row's finished fields */
    int nfields;    /* fields seen in the current row */
    size_t first;   /* first cell of the current row */
    bool any_text;  /* the current row has a non-empty cell */
    int extra_col;  /* first field beyond the header holding text (1-based), or 0 */
    int utf8_bad;   /* invalid-UTF-8 reports so far */
    bool failed;    /* an error was added */
} csv_state;

static int header_cols(const csv_state *s) { return s->t->nrows ? s->t->rows[0].n : -1; }

static void report_utf8(csv_state *s, const char *f, size_t bad, int line)
{
    s->failed = true;
    if (++s->utf8_bad > MAX_UTF8_REPORTS)
        return;
    cpd_error(s->d, s->t->name, line + (int)count_nl(f, bad), s->nfields + 1,
              "not valid UTF-8 (is the file saved as Latin-1? save it as CSV UTF-8)");
}

/* libcsv field callback: checks the bytes, trims and keeps the cell. */
static void on_field(void *data, size_t n, void *user)
{
    csv_state *s = user;
    const char *f = data ? data : "";
    int line = s->row_line + s->row_nl;
    size_t bad = utf8_bad_at(f, n);
    if (bad < n)
        report_utf8(s, f, bad, line);
    s->row_nl += (int)count_nl(f, n);
    size_t a = 0, b = n;
    while (a < b && is_ws((unsigned char)f[a]))
        a++;
    while (b > a && is_ws((unsigned char)f[b - 1]))
        b--;
    int hc = header_cols(s);
    if (hc < 0 || s->nfields < hc)
        cell_push(s->t, arena_put(s->t, f + a, b - a), line + (int)count_nl(f, a));
    else if (b > a && !s->extra_col)
        s->extra_col = s->nfields + 1;
    if (b > a)
        s->any_text = true;
    s->nfields++;
}

static void row_reset(csv_state *s)
{
    s->in_row = false;
    s->row_nl = 0;
    s->nfields = 0;
    s->any_text = false;
    s->extra_col = 0;
    s->first = s->t->ncells;
}

/* libcsv row callback. A row of empty cells (",,," as spreadsheets save touched but empty
 * rows) counts as a blank line and is skipped. Fields past the header's last column are
 * dropped, with a warning only when one holds text: spreadsheets write empty ones. */
static void on_row(int c, void *user)
{
    (void)c;
    csv_state *s = user;
    cpd_csv *t = s->t;
    if (!s->any_text) {
        t->ncells = s->first;
        row_reset(s);
        return;
    }
    int hc = header_cols(s);
    if (s->extra_col)
        cpd_warn(s->d, t->name, s->row_line, s->extra_col,
                 "extra fields ignored (the row has %d fields, the header %d)", s->nfields, hc);
    row_push(t, (csv_row){s->first, (int)(t->ncells - s->first), s->row_line});
    row_reset(s);
}

static bool init_parser(struct csv_parser *p)
{
    return csv_init(p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) == 0;
}

/* A strict-mode error (a quote inside an unquoted field, or text after a closing quote):
 * report it, drop the row, and start again on the next line so later rows are still read. */
static size_t resync(csv_state *s, struct csv_parser *p, const char *text, size_t i, size_t len)
{
    s->failed = true;
    cpd_error(s->d, s->t->name, s->line, s->nfields + 1,
              "stray quote (a field with a \" in it must be quoted whole, with the \" doubled)");
    csv_free(p);
    if (!init_parser(p)) {
        cpd_error(s->d, s->t->name, 0, 0, "out of memory");
        return len;
    }
    s->t->ncells = s->first;
    row_reset(s);
    const char *nl = memchr(text + i, '\n', len - i);
    if (!nl)
        return len;
    s->line++;
    return (size_t)(nl - text) + 1;
}

/* Feeds libcsv one byte at a time: the line of each row's first byte is then exact, which a
 * bulk feed cannot tell. */
static void feed(csv_state *s, struct csv_parser *p, const char *text, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = (unsigned char)text[i];
        if (!s->in_row && !is_ws(c)) {
            s->in_row = true;
            s->row_line = s->line;
        }
        if (csv_parse(p, text + i, 1, on_field, on_row, s) != 1) {
            if (csv_error(p) != CSV_EPARSE) {
                s->failed = true;
                cpd_error(s->d, s->t->name, 0, 0, "out of memory");
                return;
            }
            i = resync(s, p, text, i, len);
            continue;
        }
        if (c == '\n')
            s->line++;
        i++;
    }
    if (csv_fini(p, on_field, on_row, s) != 0) {
        s->failed = true;
        cpd_error(s->d, s->t->name, s->row_line + s->row_nl, s->nfields + 1,
                  "quoted field never closed (a closing \" is missing)");
    }
}

static int nul_line(const char *text, size_t at) { return 1 + (int)count_nl(text, at); }

static bool only_ws(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_ws((unsigned char)s[i]))
            return false;
    return true;
}

/* ---- interface: reading ---- */

bool cpd_text_utf16(const char *text, size_t len, bool *bom)
{
    const unsigned char *u = (const unsigned char *)text;
    *bom = len >= 2 && (u[0] == 0xFF || u[0] == 0xFE) && (u[0] ^ u[1]) == 0x01;
    if (*bom)
        return true;
    size_t pairs = len / 2 < 32 ? len / 2 : 32;
    if (pairs < 2)
        return false;
    bool le = true, be = true; /* little-endian: the NUL after each character, else before */
    for (size_t i = 0; i < pairs; i++) {
        unsigned char a = u[2 * i], b = u[2 * i + 1];
        le = le && b == 0 && a != 0 && a < 0x80;
        be = be && a == 0 && b != 0 && b < 0x80;
    }
    return le || be;
}

/* A last row with fewer cells than the header and no line end after it is most likely a file
 * cut short (a copy or download stopped): said once, before what its empty cells cause. */
static void note_cut_short(const cpd_csv *t, const char *text, size_t len, cpd_diags *d)
{
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    if (t->nrows < 2 || len == 0 || text[len - 1] == '\n' || text[len - 1] == '\r')
        return;
    const csv_row *last = &t->rows[t->nrows - 1];
    if (last->n >= t->rows[0].n)
        return;
    cpd_diags_add(d, CPD_SEV_NOTE, t->name, last->line, 0,
                  "the last row has %d of %d columns and the file ends in it: the file looks cut "
                  "short (copy or export it again)", last->n, t->rows[0].n);
}

cpd_csv *cpd_csv_parse(const char *text, size_t len, const char *name, cpd_diags *d)
{
    if (!text) {
        text = "";
        len = 0;
    }
    bool bom;
    if (cpd_text_utf16(text, len, &bom)) {
        cpd_error(d, name, 0, 0, "UTF-16 file%s, expected UTF-8 CSV (save it as CSV UTF-8)",
                  bom ? "" : " (no byte-order mark)");
        return NULL;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        cpd_error(d, name, 0, 0, "binary file (NUL byte at line %d), expected UTF-8 CSV",
                  nul_line(text, (size_t)(nul - text)));
        return NULL;
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        text += 3;
        len -= 3;
    }
    if (only_ws(text, len)) {
        cpd_error(d, name, 0, 0, "empty file, expected a header row");
        return NULL;
    }
    cpd_csv *t = cpd_xcalloc(1, sizeof *t);
    t->name = cpd_strdup(name ? name : "");
    csv_state s = {.t = t, .d = d, .line = 1};
    struct csv_parser p;
    if (!init_parser(&p)) {
        cpd_error(d, name, 0, 0, "out of memory");
        cpd_csv_free(&t);
        return NULL;
    }
    feed(&s, &p, text, len);
    csv_free(&p);
    if (s.utf8_bad > MAX_UTF8_REPORTS)
        cpd_diags_add(d, CPD_SEV_NOTE, name, 0, 0, "%d more invalid UTF-8 fields not shown",
                      s.utf8_bad - MAX_UTF8_REPORTS);
    if (!s.failed && t->nrows == 0) {
        cpd_error(d, name, 0, 0, "empty file, expected a header row");
        s.failed = true;
    }
    if (!s.failed)
        note_cut_short(t, text, len, d);
    if (s.failed)
        cpd_csv_free(&t);
    return t;
}

cpd_csv *cpd_csv_read(const char *path, const char *name, cpd_diags *d)
{
    if (!name)
        name = path;
    size_t len;
    int err;
    char *text = cpd_io_slurp(path, &len, &err);
    if (!text) {
        cpd_error(d, name, 0, 0, "cannot open (%s)", strerror(err));
        return NULL;
    }
    if (err) {
        cpd_error(d, name, 0, 0, "cannot read (%s)", strerror(err));
        free(text);
        return NULL;
    }
    cpd_csv *t = cpd_csv_parse(text, len, name, d);
    free(text);
    return t;
}

void cpd_csv_free(cpd_csv **t)
{
    if (!t || !*t)
        return;
    free((*t)->name);
    free((*t)->arena);
    free((*t)->cells);
    free((*t)->rows);
    free(*t);
    *t = NULL;
}

const char *cpd_csv_name(const cpd_csv *t) { return t->name; }
int cpd_csv_ncols(const cpd_csv *t) { return t->nrows ? t->rows[0].n : 0; }
size_t cpd_csv_nrows(const cpd_csv *t) { return t->nrows ? t->nrows - 1 : 0; }

static const csv_cell *cell_at(const cpd_csv *t, size_t r, int col)
{
    if (r >= t->nrows || col < 0 || col >= t->rows[r].n)
        return NULL;
    return &t->cells[t->rows[r].first + (size_t)col];
}

const char *cpd_csv_header(const cpd_csv *t, int col)
{
    const csv_cell *c = cell_at(t, 0, col);
    return c ? t->arena + c->off : "";
}

const char *cpd_csv_cell(const cpd_csv *t, size_t row, int col)
{
    const csv_cell *c = cell_at(t, row + 1, col);
    return c ? t->arena + c->off : "";
}

int cpd_csv_line(const cpd_csv *t, size_t row)
{
    return row + 1 < t->nrows ? t->rows[row + 1].line : 0;
}

/* The line a cell is on, which for a row with a quoted newline can be after the row's first. */
static int cell_line(const cpd_csv *t, size_t row, int col)
{
    const csv_cell *c = cell_at(t, row + 1, col);
    return c ? c->line : cpd_csv_line(t, row);
}

int cpd_csv_col(const cpd_csv *t, const char *name)
{
    for (int i = 0; i < cpd_csv_ncols(t); i++)
        if (same_name(cpd_csv_header(t, i), name))
            return i;
    return -1;
}

/* ---- interface: binding columns ---- */

static int header_line(const cpd_csv *t) { return t->nrows ? t->rows[0].line : 1; }

/* "id, name, role" for the missing-column message. */
static char *header_list(const cpd_csv *t)
{
    size_t n = 1;
    for (int i = 0; i < cpd_csv_ncols(t); i++)
        n += strlen(cpd_csv_header(t, i)) + 2;
    char *s = cpd_xmalloc(n);
    s[0] = '\0';
    for (int i = 0; i < cpd_csv_ncols(t); i++) {
        if (i)
            strcat(s, ", ");
        strcat(s, cpd_csv_header(t, i));
    }
    return s;
}

static bool in_spec(const char *h, const cpd_csv_colspec *spec, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (same_name(h, spec[i].name))
            return true;
    return false;
}

static bool column_has_text(const cpd_csv *t, int col)
{
    for (size_t r = 0; r < cpd_csv_nrows(t); r++)
        if (*cpd_csv_cell(t, r, col))
            return true;
    return false;
}

/* A first row that names no column of spec while spec requires some, and holds a digit (an id,
 * a number: column names rarely do), is most likely data with the header row missing: one
 * error saying so, instead of a warning for each cell and an error for each column. */
static bool headerless(const cpd_csv *t, const cpd_csv_colspec *spec, size_t n, cpd_diags *d)
{
    bool required = false, digit = false;
    for (size_t i = 0; i < n; i++)
        required |= spec[i].required;
    for (int j = 0; j < cpd_csv_ncols(t); j++) {
        const char *h = cpd_csv_header(t, j);
        if (in_spec(h, spec, n))
            return false;
        digit |= strpbrk(h, "0123456789") != NULL;
    }
    if (!required || !digit)
        return false;
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(spec[i].name) + 2;
    char *want = cpd_xmalloc(len), *have = header_list(t);
    want[0] = '\0';
    for (size_t i = 0; i < n; i++)
        if (spec[i].required)
            strcat(strcat(want, *want ? ", " : ""), spec[i].name);
    size_t cut = 0; /* the row's first 8 cells are enough to recognise it */
    for (int j = 0; j < 8 && j < cpd_csv_ncols(t); j++)
        cut += strlen(cpd_csv_header(t, j)) + (j ? 2 : 0);
    bool more = cpd_csv_ncols(t) > 8;
    cpd_error(d, t->name, header_line(t), 0,
              "the first row names none of the columns (%.*s%s): is the header row missing? The "
              "file must start with the column names (%s, ...)",
              (int)cut, have, more ? ", …" : "", want);
    free(want);
    free(have);
    return true;
}

bool cpd_csv_bind(const cpd_csv *t, const cpd_csv_colspec *spec, size_t n, int *idx,
                  cpd_diags *d)
{
    bool ok = true;
    int line = header_line(t);
    if (headerless(t, spec, n, d)) {
        for (size_t i = 0; i < n; i++)
            idx[i] = -1;
        return false;
    }
    for (int j = 0; j < cpd_csv_ncols(t); j++) {
        const char *h = cpd_csv_header(t, j);
        if (!*h) {
            if (column_has_text(t, j))
                cpd_warn(d, t->name, line, j + 1, "column without a name ignored");
        } else if (cpd_csv_col(t, h) != j) {
            cpd_error(d, t->name, line, j + 1, "column '%s' appears twice", h);
            ok = false;
        } else if (!in_spec(h, spec, n)) {
            cpd_warn(d, t->name, line, j + 1, "unknown column '%s' ignored", h);
        }
    }
    for (size_t i = 0; i < n; i++) {
        idx[i] = cpd_csv_col(t, spec[i].name);
        if (idx[i] < 0 && spec[i].required) {
            char *list = header_list(t);
            cpd_error(d, t->name, line, 0, "missing column '%s' (header has: %s)", spec[i].name,
                      list);
            free(list);
            ok = false;
        }
    }
    return ok;
}

/* ---- interface: strict numbers ---- */

/* Only plain decimal notation: strtod alone would also take "nan", "inf" and hex. */
static bool decimal_chars(const char *s)
{
    bool digit = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = true;
        else if (!strchr("+-.eE", *s) && !is_ws((unsigned char)*s))
            return false;
    }
    return digit;
}

bool cpd_parse_double(const char *s, double *out)
{
    if (!s || !decimal_chars(s))
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || !only_ws(end, strlen(end)) || !isfinite(v))
        return false;
    if (errno == ERANGE && fabs(v) > 1.0)
        return false; /* overflow; an underflow to ~0 is fine */
    *out = v == 0 ? 0.0 : v; /* no -0 */
    return true;
}

bool cpd_parse_long(const char *s, long *out)
{
    if (!s)
        return false;
    while (is_ws((unsigned char)*s))
        s++;
    if (!((*s >= '0' && *s <= '9') ||
          ((*s == '-' || *s == '+') && s[1] >= '0' && s[1] <= '9')))
        return false;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno == ERANGE || !only_ws(end, strlen(end)))
        return false;
    *out = v;
    return true;
}

/* Writes v like the CSV writer does: up to 6 decimals, no trailing zeros, no "-0". */
static void fmt_num(char *buf, size_t len, double v)
{
    snprintf(buf, len, "%.6f", v);
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf);
        while (e > dot + 1 && e[-1] == '0')
            *--e = '\0';
        if (e == dot + 1)
            *dot = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

/* Bounds this wide are "no bound" in messages (e.g. hi = LONG_MAX or HUGE_VAL). */
#define UNBOUNDED 1e15

static void fmt_range(char *buf, size_t len, double lo, double hi)
{
    char a[400] = "", b[400] = "";
    bool has_lo = lo > -UNBOUNDED, has_hi = hi < UNBOUNDED;
    if (has_lo)
        fmt_num(a, sizeof a, lo);
    if (has_hi)
        fmt_num(b, sizeof b, hi);
    if (has_lo && has_hi)
        snprintf(buf, len, " from %s to %s", a, b);
    else if (has_lo)
        snprintf(buf, len, " of at least %s", a);
    else if (has_hi)
        snprintf(buf, len, " of at most %s", b);
    else
        buf[0] = '\0';
}

/* The cell as quoted in a message, cut short when long. */
static void fmt_got(char *buf, size_t len, const char *cell)
{
    if (strlen(cell) < 40) {
        snprintf(buf, len, "%s", cell);
        return;
    }
    int cut = 37;
    while (cut > 0 && ((unsigned char)cell[cut] & 0xC0) == 0x80)
        cut--; /* not inside a UTF-8 sequence */
    snprintf(buf, len, "%.*s...", cut, cell);
}

static bool bad_number(const cpd_csv *t, size_t row, int col, const char *what, const char *kind,
                       double lo, double hi, cpd_diags *d)
{
    const char *cell = cpd_csv_cell(t, row, col);
    int line = cell_line(t, row, col);
    if (!*cell) {
        cpd_error(d, t->name, line, col + 1, "%s is empty", what);
        return false;
    }
    char range[900], got[64];
    fmt_range(range, sizeof range, lo, hi);
    fmt_got(got, sizeof got, cell);
    cpd_error(d, t->name, line, col + 1, "%s must be %s%s (got '%s')", what, kind, range, got);
    return false;
}

bool cpd_csv_double(const cpd_csv *t, size_t row, int col, const char *what, double lo,
                    double hi, double *out, cpd_diags *d)
{
    double v;
    if (!cpd_parse_double(cpd_csv_cell(t, row, col), &v) || v < lo || v > hi)
        return bad_number(t, row, col, what, "a number", lo, hi, d);
    *out = v;
    return true;
}

bool cpd_csv_int(const cpd_csv *t, size_t row, int col, const char *what, long lo, long hi,
                 long *out, cpd_diags *d)
{
    long v;
    if (!cpd_parse_long(cpd_csv_cell(t, row, col), &v) || v < lo || v > hi)
        return bad_number(t, row, col, what, "a whole number", (double)lo, (double)hi, d);
    *out = v;
    return true;
}

bool cpd_csv_bool(const cpd_csv *t, size_t row, int col, const char *what, bool def, bool *out,
                  cpd_diags *d)
{
    static const char *const yes[] = {"yes", "true", "y", "1"};
    static const char *const no[] = {"no", "false", "n", "0"};
    const char *cell = cpd_csv_cell(t, row, col);
    if (!*cell) {
        *out = def;
        return true;
    }
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (same_name(cell, yes[i]) || same_name(cell, no[i])) {
            *out = same_name(cell, yes[i]);
            return true;
        }
    }
    char got[64];
    fmt_got(got, sizeof got, cell);
    cpd_error(d, t->name, cell_line(t, row, col), col + 1,
              "%s must be yes or no (also true/false, y/n, 1/0) (got '%s')", what, got);
    return false;
}

void cpd_csv_list(const cpd_csv *t, size_t row, int col, bool lower, cpd_strlist *l)
{
    const char *s = cpd_csv_cell(t, row, col);
    char *buf = cpd_xmalloc(strlen(s) + 1);
    while (*s) {
        size_t n = strcspn(s, ";");
        size_t a = 0, b = n;
        while (a < b && is_ws((unsigned char)s[a]))
            a++;
        while (b > a && is_ws((unsigned char)s[b - 1]))
            b--;
        if (b > a) {
            for (size_t i = a; i < b; i++)
                buf[i - a] = lower ? ascii_lower(s[i]) : s[i];
            buf[b - a] = '\0';
            cpd_strlist_add(l, buf);
        }
        s += n + (s[n] == ';');
    }
    free(buf);
}

/* ---- interface: writing ---- */

struct cpd_csvw {
    FILE *f;
    bool failed;
    bool row_begun; /* a cell was written on the current row */
};

cpd_csvw *cpd_csvw_open(FILE *f)
{
    cpd_csvw *w = cpd_xcalloc(1, sizeof *w);
    w->f = f;
    return w;
}

bool cpd_csvw_close(cpd_csvw **w)
{
    if (!w || !*w)
        return false;
    bool ok = !(*w)->failed && fflush((*w)->f) == 0 && !ferror((*w)->f);
    free(*w);
    *w = NULL;
    return ok;
}

static void put(cpd_csvw *w, const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, w->f) != n)
        w->failed = true;
}

static void sep(cpd_csvw *w)
{
    if (w->row_begun)
        put(w, ",", 1);
    w->row_begun = true;
}

void cpd_csvw_str(cpd_csvw *w, const char *s)
{
    if (!s)
        s = "";
    sep(w);
    /* A spreadsheet runs a cell starting with one of these as a formula; the ' makes it text. */
    bool neutral = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        put(w, "\"", 1);
    if (neutral)
        put(w, "'", 1);
    if (!quote) {
        put(w, s, strlen(s));
        return;
    }
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1)
        put(w, s, (size_t)(q - s + 1)), put(w, "\"", 1);
    put(w, s, strlen(s));
    put(w, "\"", 1);
}

void cpd_csvw_num(cpd_csvw *w, double v)
{
    sep(w);
    if (!isfinite(v))
        return; /* an empty cell rather than "nan" a spreadsheet would take as text */
    char buf[400];
    fmt_num(buf, sizeof buf, v);
    put(w, buf, strlen(buf));
}

void cpd_csvw_int(cpd_csvw *w, long v)
{
    sep(w);
    char buf[32];
    int n = snprintf(buf, sizeof buf, "%ld", v);
    put(w, buf, (size_t)n);
}

/* LF line ends: RFC 4180 says CRLF, but every spreadsheet reads LF, and plans stay
 * byte-identical across platforms and friendly to diff. */
void cpd_csvw_end_row(cpd_csvw *w)
{
    put(w, "\n", 1);
    w->row_begun = false;
}

void cpd_csvw_exact(cpd_csvw *w, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, sizeof buf, "%.17g", v);
    cpd_csvw_str(w, buf);
}

void cpd_csvw_list(cpd_csvw *w, const cpd_strlist *l)
{
    char *s = cpd_io_join_list(l, ";");
    cpd_csvw_str(w, s);
    free(s);
}

void cpd_csvw_header(cpd_csvw *w, const char *const *names)
{
    for (; names && *names; names++)
        cpd_csvw_str(w, *names);
    cpd_csvw_end_row(w);
}
