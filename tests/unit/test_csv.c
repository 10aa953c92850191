/* test_csv.c — the CSV reader's edge cases, strict cell parsing, and the spreadsheet-safe writer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_csv.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---- helpers ---- */

typedef struct {
    cpd_diags *d;
    cpd_csv *t;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->d = cpd_diags_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cpd_csv_free(&f->t);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

static cpd_csv *parse(fixture *f, const char *text)
{
    cpd_csv_free(&f->t);
    f->t = cpd_csv_parse(text, strlen(text), "t.csv", f->d);
    return f->t;
}

static cpd_csv *parse_n(fixture *f, const char *text, size_t n)
{
    cpd_csv_free(&f->t);
    f->t = cpd_csv_parse(text, n, "t.csv", f->d);
    return f->t;
}

/* The i-th diagnostic as it would be printed. */
static const char *diag(fixture *f, size_t i)
{
    static char buf[1024];
    const cpd_diag *g = cpd_diags_get(f->d, i);
    if (!g)
        return "(none)";
    cpd_diag_format(g, buf, sizeof buf);
    return buf;
}

/* ---- reading ---- */

static void test_csv__basic(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\nS1,Oak\nS2,Elm\n"));
    assert_int_equal(cpd_csv_ncols(f->t), 2);
    assert_int_equal(cpd_csv_nrows(f->t), 2);
    assert_string_equal(cpd_csv_header(f->t, 1), "name");
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "Elm");
    assert_int_equal(cpd_csv_line(f->t, 0), 2);
    assert_int_equal(cpd_csv_line(f->t, 1), 3);
    assert_string_equal(cpd_csv_name(f->t), "t.csv");
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_csv__bom_skipped(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "\xEF\xBB\xBFid,name\nS1,Oak\n"));
    assert_string_equal(cpd_csv_header(f->t, 0), "id");
    assert_int_equal(cpd_csv_col(f->t, "id"), 0);
    assert_int_equal(cpd_csv_line(f->t, 0), 2);
}

static void test_csv__crlf(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\r\nS1,Oak\r\nS2,Elm\r\n"));
    assert_int_equal(cpd_csv_nrows(f->t), 2);
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "Oak");
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "Elm");
    assert_int_equal(cpd_csv_line(f->t, 1), 3);
}

static void test_csv__no_final_newline(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\nS1,Oak"));
    assert_int_equal(cpd_csv_nrows(f->t), 1);
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "Oak");
}

/* A short last row with no line end is a file cut short: one note; a full one, or a short one
 * with its line end, is none. */
static void test_csv__cut_short_noted(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name,role\nT1,Ann,lp\nT2,B"));
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:3: note: the last row has 2 of 3 columns and the file "
                                    "ends in it: the file looks cut short (copy or export it again)");
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "B");
    assert_non_null(parse(f, "id,name,role\nT1,Ann,lp\nT2,B\n"));
    assert_non_null(parse(f, "id,name,role\nT1,Ann,lp\nT2,Bo,dol"));
    assert_int_equal(cpd_diags_len(f->d), 1); /* nothing more */
}

static void test_csv__quoted_comma(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\nS1,\"Oak, Upper\"\n"));
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "Oak, Upper");
    assert_int_equal(cpd_csv_ncols(f->t), 2);
}

static void test_csv__quoted_newline_keeps_lines(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,note\nA,\"two\nlines\"\nB,x\r\nC,\"three\r\nmore\r\nlines\"\n\nD,y\n"));
    assert_int_equal(cpd_csv_nrows(f->t), 4);
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "two\nlines");
    assert_string_equal(cpd_csv_cell(f->t, 2, 1), "three\r\nmore\r\nlines");
    assert_int_equal(cpd_csv_line(f->t, 0), 2);
    assert_int_equal(cpd_csv_line(f->t, 1), 4);
    assert_int_equal(cpd_csv_line(f->t, 2), 5);
    assert_int_equal(cpd_csv_line(f->t, 3), 9);
}

static void test_csv__doubled_quotes(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\nS1,\"The \"\"Oak\"\" school\"\nS2,\"\"\n"));
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "The \"Oak\" school");
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "");
}

static void test_csv__cells_trimmed(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id , name\n  S1 ,\"  Oak \"\t\n"));
    assert_string_equal(cpd_csv_header(f->t, 0), "id");
    assert_string_equal(cpd_csv_cell(f->t, 0, 0), "S1");
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "Oak");
}

static void test_csv__header_any_case_and_order(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, " Name ,ROLE,iD\nAnn,teacher,T1\n"));
    const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}, {"role", true}};
    int idx[3];
    assert_true(cpd_csv_bind(f->t, spec, 3, idx, f->d));
    assert_int_equal(idx[0], 2);
    assert_int_equal(idx[1], 0);
    assert_int_equal(idx[2], 1);
    assert_string_equal(cpd_csv_cell(f->t, 0, idx[0]), "T1");
    assert_int_equal(cpd_csv_col(f->t, "Role"), 1);
    assert_int_equal(cpd_csv_col(f->t, "email"), -1);
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_csv__missing_column(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name,role\nC1,Ann,lp\n"));
    const cpd_csv_colspec spec[] = {
        {"id", true}, {"hours", true}, {"subjects", false}, {"name", true}, {"role", true}};
    int idx[5];
    assert_false(cpd_csv_bind(f->t, spec, 5, idx, f->d));
    assert_int_equal(idx[1], -1);
    assert_int_equal(idx[2], -1); /* optional and missing: no message */
    assert_int_equal(idx[4], 2);
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:1: missing column 'hours' (header has: id, name, role)");
}

static void test_csv__unknown_column_warns(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,email,name\nC1,a@b,Ann\n"));
    const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}};
    int idx[2];
    assert_true(cpd_csv_bind(f->t, spec, 2, idx, f->d));
    assert_int_equal(cpd_diags_errors(f->d), 0);
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:1:2: warning: unknown column 'email' ignored");
}

static void test_csv__duplicate_column(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name,ID\nC1,Ann,C2\n"));
    const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}};
    int idx[2];
    assert_false(cpd_csv_bind(f->t, spec, 2, idx, f->d));
    assert_int_equal(cpd_diags_errors(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:1:3: column 'ID' appears twice");
}

static void test_csv__short_rows_give_empty(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name,role\nT1\nT2,Bo\n"));
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "");
    assert_string_equal(cpd_csv_cell(f->t, 0, 2), "");
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "Bo");
    assert_string_equal(cpd_csv_cell(f->t, 1, 2), "");
    /* Out of range in any direction is "" too, never a crash. */
    assert_string_equal(cpd_csv_cell(f->t, 9, 0), "");
    assert_string_equal(cpd_csv_cell(f->t, 0, -1), "");
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_csv__extra_fields_warn(void **state)
{
    fixture *f = *state;
    /* Empty trailing fields, as spreadsheets write them, give no warning. */
    assert_non_null(parse(f, "id,name\nT1,Ann,,\nT2,Bo,x,y\nT3,Cy, ,\n"));
    assert_int_equal(cpd_csv_nrows(f->t), 3);
    assert_string_equal(cpd_csv_cell(f->t, 1, 1), "Bo");
    assert_string_equal(cpd_csv_cell(f->t, 1, 2), "");
    assert_int_equal(cpd_diags_errors(f->d), 0);
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0),
                        "t.csv:3:3: warning: extra fields ignored (the row has 4 fields, the header 2)");
}

static void test_csv__nameless_columns(void **state)
{
    fixture *f = *state;
    /* Two nameless columns are not "the same column twice"; only one holding text is worth
     * a warning. */
    assert_non_null(parse(f, "id,,name,\nT1,,Ann,\nT2,x,Bo,\n"));
    const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}};
    int idx[2];
    assert_true(cpd_csv_bind(f->t, spec, 2, idx, f->d));
    assert_int_equal(idx[1], 2);
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:1:2: warning: column without a name ignored");
}

static void test_csv__blank_lines_skipped(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "\n\nid,name\n\nT1,Ann\n   \n,\n\r\nT2,Bo\n\n"));
    assert_int_equal(cpd_csv_nrows(f->t), 2);
    assert_int_equal(cpd_csv_line(f->t, 0), 5);
    assert_int_equal(cpd_csv_line(f->t, 1), 9);
    assert_string_equal(cpd_csv_cell(f->t, 1, 0), "T2");
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_csv__header_only(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\n"));
    assert_int_equal(cpd_csv_nrows(f->t), 0);
    assert_int_equal(cpd_csv_ncols(f->t), 2);
}

static void test_csv__empty_file(void **state)
{
    fixture *f = *state;
    const char *const empties[] = {"", "\xEF\xBB\xBF", "\n\r\n  \n", ",,\n,\n"};
    for (size_t i = 0; i < sizeof empties / sizeof *empties; i++) {
        cpd_diags_free(&f->d);
        f->d = cpd_diags_new();
        assert_null(parse(f, empties[i]));
        assert_int_equal(cpd_diags_len(f->d), 1);
        assert_string_equal(diag(f, 0), "t.csv: empty file, expected a header row");
    }
}

static void test_csv__binary_file(void **state)
{
    fixture *f = *state;
    static const char bin[] = "id,name\nT1,A\n\x01\x02\0\x03";
    assert_null(parse_n(f, bin, sizeof bin - 1));
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv: binary file (NUL byte at line 3), expected UTF-8 CSV");
}

static void test_csv__utf16_file(void **state)
{
    fixture *f = *state;
    static const char le[] = "\xFF\xFEi\0d\0\n\0";
    assert_null(parse_n(f, le, sizeof le - 1));
    assert_string_equal(diag(f, 0), "t.csv: UTF-16 file, expected UTF-8 CSV (save it as CSV UTF-8)");
    static const char be[] = "\xFE\xFF\0i\0d\0\n";
    assert_null(parse_n(f, be, sizeof be - 1));
    assert_int_equal(cpd_diags_len(f->d), 2);
}

/* A file without its header row: one error naming the first row and the columns wanted; a
 * header of wrong names (no digits) still gets the missing-column errors. */
static void test_csv__header_row_missing(void **state)
{
    fixture *f = *state;
    static const cpd_csv_colspec spec[] = {{"id", true}, {"name", true}, {"hours", false}};
    int idx[3] = {7, 7, 7};
    assert_non_null(parse(f, "T1,Ann Lee,3\nT2,Bob,4\n"));
    assert_false(cpd_csv_bind(f->t, spec, 3, idx, f->d));
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:1: the first row names none of the columns (T1, Ann "
                                    "Lee, 3): is the header row missing? The file must start "
                                    "with the column names (id, name, ...)");
    assert_int_equal(idx[0], -1);
    assert_int_equal(idx[2], -1);
    cpd_csv_free(&f->t);
    assert_non_null(parse(f, "code,title\nT1,Ann\n"));
    assert_false(cpd_csv_bind(f->t, spec, 3, idx, f->d));
    assert_string_equal(diag(f, 3), "t.csv:1: missing column 'id' (header has: code, title)");
    cpd_csv_free(&f->t);
    /* a long first row is shown by its first eight cells */
    assert_non_null(parse(f, "1,2,3,4,5,6,7,8,9,10\n"));
    assert_false(cpd_csv_bind(f->t, spec, 3, idx, f->d));
    assert_string_equal(diag(f, 5), "t.csv:1: the first row names none of the columns (1, 2, 3, "
                                    "4, 5, 6, 7, 8, …): is the header row missing? The file must "
                                    "start with the column names (id, name, ...)");
}

/* UTF-16 without a byte-order mark (Windows "Unicode text"): said so, not "binary file". */
static void test_csv__utf16_without_bom(void **state)
{
    fixture *f = *state;
    static const char le[] = "i\0d\0,\0n\0a\0m\0e\0\n\0";
    assert_null(parse_n(f, le, sizeof le - 1));
    assert_string_equal(diag(f, 0), "t.csv: UTF-16 file (no byte-order mark), expected UTF-8 CSV "
                                    "(save it as CSV UTF-8)");
    static const char be[] = "\0i\0d\0\n";
    assert_null(parse_n(f, be, sizeof be - 1));
    assert_int_equal(cpd_diags_len(f->d), 2);
    bool bom = true;
    assert_false(cpd_text_utf16("id,name\n", 8, &bom));
    assert_false(bom);
    assert_false(cpd_text_utf16("a\0", 2, &bom)); /* too short to tell */
    assert_true(cpd_text_utf16("\xFF\xFE", 2, &bom));
    assert_true(bom);
}

static void test_csv__invalid_utf8(void **state)
{
    fixture *f = *state;
    /* "Zoë" and "Müller" saved as Latin-1. */
    assert_null(parse(f, "id,name\nT1,Ann\nT2,Zo\xEB\nT3,\"x\ny\xFC\"\nT4,\xC3\xA9t\xC3\xA9\n"));
    assert_int_equal(cpd_diags_errors(f->d), 2);
    assert_string_equal(diag(f, 0), "t.csv:3:2: not valid UTF-8 (is the file saved as Latin-1? "
                                    "save it as CSV UTF-8)");
    assert_string_equal(diag(f, 1), "t.csv:5:2: not valid UTF-8 (is the file saved as Latin-1? "
                                    "save it as CSV UTF-8)");
}

static void test_csv__utf8_valid_and_overlong(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,name\nT1,\xC3\xA9l\xC3\xA8ve \xE2\x82\xAC \xF0\x9F\x98\x80\n"));
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "\xC3\xA9l\xC3\xA8ve \xE2\x82\xAC \xF0\x9F\x98\x80");
    /* An overlong '/' and a UTF-16 surrogate are not UTF-8. */
    assert_null(parse(f, "id,name\nT1,\xC0\xAF\nT2,\xED\xA0\x80\n"));
    assert_int_equal(cpd_diags_errors(f->d), 2);
    assert_string_equal(diag(f, 1), "t.csv:3:2: not valid UTF-8 (is the file saved as Latin-1? "
                                    "save it as CSV UTF-8)");
}

static void test_csv__utf8_reports_capped(void **state)
{
    fixture *f = *state;
    char text[4096] = "id,name\n";
    for (int i = 0; i < 30; i++)
        strcat(text, "T,Zo\xEB\n");
    assert_null(parse(f, text));
    assert_int_equal(cpd_diags_errors(f->d), 10);
    assert_int_equal(cpd_diags_len(f->d), 11);
    assert_string_equal(diag(f, 10), "t.csv: note: 20 more invalid UTF-8 fields not shown");
}

static void test_csv__unterminated_quote(void **state)
{
    fixture *f = *state;
    assert_null(parse(f, "id,name\nT1,Ann\nT2,\"Bo\nT3,Cy\n"));
    assert_int_equal(cpd_diags_len(f->d), 1);
    assert_string_equal(diag(f, 0), "t.csv:3:2: quoted field never closed (a closing \" is missing)");
}

static void test_csv__stray_quote(void **state)
{
    fixture *f = *state;
    assert_null(parse(f, "id,name\nT1,12\" screen\nT2,\"Bo\"x\nT3,Cy\n"));
    assert_int_equal(cpd_diags_errors(f->d), 2);
    assert_string_equal(diag(f, 0), "t.csv:2:2: stray quote (a field with a \" in it must be "
                                    "quoted whole, with the \" doubled)");
    assert_string_equal(diag(f, 1), "t.csv:3:2: stray quote (a field with a \" in it must be "
                                    "quoted whole, with the \" doubled)");
}

static void test_csv__read_file(void **state)
{
    fixture *f = *state;
    char dir[] = "/tmp/test_csv.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/staff.csv", dir);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs("\xEF\xBB\xBFid,name\r\nT1,Ann\r\n", fp);
    assert_int_equal(fclose(fp), 0);
    f->t = cpd_csv_read(path, "trust/staff.csv", f->d);
    assert_non_null(f->t);
    assert_string_equal(cpd_csv_cell(f->t, 0, 1), "Ann");
    assert_string_equal(cpd_csv_name(f->t), "trust/staff.csv");
    unlink(path);

    /* A missing file and a folder are errors naming the file. */
    assert_null(cpd_csv_read(path, "trust/staff.csv", f->d));
    assert_string_equal(diag(f, 0), "trust/staff.csv: cannot open (No such file or directory)");
    assert_null(cpd_csv_read(dir, "trust", f->d));
    assert_string_equal(diag(f, 1), "trust: cannot read (Is a directory)");
    rmdir(dir);
}

/* 2,000 rows must take milliseconds: a quadratic step would show here. */
static void test_csv__large_file_fast(void **state)
{
    fixture *f = *state;
    size_t cap = 4000 * 120, n = 0;
    char *text = malloc(cap);
    n += (size_t)sprintf(text, "id,name,school,role,subjects,need,focus\n");
    for (int i = 0; i < 4000; i++)
        n += (size_t)sprintf(text + n, "T%04d,\"Teacher %d\",SCH%d,teacher,maths;science,light,"
                             "behaviour;questioning\n", i, i, i % 40);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    assert_non_null(parse_n(f, text, n));
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ms = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
    assert_int_equal(cpd_csv_nrows(f->t), 4000);
    assert_int_equal(cpd_csv_line(f->t, 3999), 4001);
    assert_string_equal(cpd_csv_cell(f->t, 3999, 1), "Teacher 3999");
    assert_true(ms < 500.0);
    free(text);
}

/* ---- strict cells ---- */

static void test_csv__strict_double(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,hours\nA, 2.5 \nB,2.5x\nC,\nD,nan\nE,1e999\nF,81\nG,-0\nH,0x10\n"
                             "I,ten\nJ,1e1\n"));
    double v = -1;
    assert_true(cpd_csv_double(f->t, 0, 1, "hours", 0, 80, &v, f->d));
    assert_true(v == 2.5);
    assert_true(cpd_csv_double(f->t, 6, 1, "hours", 0, 80, &v, f->d));
    assert_true(v == 0.0);
    assert_true(cpd_csv_double(f->t, 9, 1, "hours", 0, 80, &v, f->d));
    assert_true(v == 10.0);
    assert_int_equal(cpd_diags_len(f->d), 0);

    static const struct {
        size_t row;
        const char *msg;
    } bad[] = {
        {1, "t.csv:3:2: hours must be a number from 0 to 80 (got '2.5x')"},
        {2, "t.csv:4:2: hours is empty"},
        {3, "t.csv:5:2: hours must be a number from 0 to 80 (got 'nan')"},
        {4, "t.csv:6:2: hours must be a number from 0 to 80 (got '1e999')"},
        {5, "t.csv:7:2: hours must be a number from 0 to 80 (got '81')"},
        {7, "t.csv:9:2: hours must be a number from 0 to 80 (got '0x10')"},
        {8, "t.csv:10:2: hours must be a number from 0 to 80 (got 'ten')"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        v = 42;
        assert_false(cpd_csv_double(f->t, bad[i].row, 1, "hours", 0, 80, &v, f->d));
        assert_true(v == 42); /* untouched on failure */
        assert_string_equal(diag(f, i), bad[i].msg);
    }
}

static void test_csv__strict_double_ranges_in_messages(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "x\n-1\n"));
    double v;
    assert_false(cpd_csv_double(f->t, 0, 0, "minutes", 0, 1e300, &v, f->d));
    assert_false(cpd_csv_double(f->t, 0, 0, "weight", 0.25, 1.5, &v, f->d));
    assert_true(cpd_csv_double(f->t, 0, 0, "delta", -HUGE_VAL, HUGE_VAL, &v, f->d));
    assert_non_null(parse(f, "x\n\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                             "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                             "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\n"));
    long k;
    assert_false(cpd_csv_int(f->t, 0, 0, "size", LONG_MIN, LONG_MAX, &k, f->d));
    /* A long cell is cut short in the message, never inside a UTF-8 character. */
    assert_string_equal(diag(f, 2), "t.csv:2:1: size must be a whole number (got '"
                                     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                                     "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                                     "\xC3\xA9\xC3\xA9...')");
    assert_string_equal(diag(f, 0), "t.csv:2:1: minutes must be a number of at least 0 (got '-1')");
    assert_string_equal(diag(f, 1), "t.csv:2:1: weight must be a number from 0.25 to 1.5 (got '-1')");
}

static void test_csv__strict_int(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,max\nA, 7 \nB,2.5\nC,\nD,51\nE,+3\nF,99999999999999999999\nG,7 7\n"));
    long v = -1;
    assert_true(cpd_csv_int(f->t, 0, 1, "max_coachees", 1, 50, &v, f->d));
    assert_int_equal(v, 7);
    assert_true(cpd_csv_int(f->t, 4, 1, "max_coachees", 1, 50, &v, f->d));
    assert_int_equal(v, 3);
    assert_false(cpd_csv_int(f->t, 1, 1, "max_coachees", 1, 50, &v, f->d));
    assert_false(cpd_csv_int(f->t, 2, 1, "max_coachees", 1, 50, &v, f->d));
    assert_false(cpd_csv_int(f->t, 3, 1, "max_coachees", 1, 50, &v, f->d));
    assert_false(cpd_csv_int(f->t, 5, 1, "max_coachees", 1, 50, &v, f->d));
    assert_false(cpd_csv_int(f->t, 6, 1, "max_coachees", 1, 50, &v, f->d));
    assert_int_equal(v, 3);
    assert_string_equal(diag(f, 0),
                        "t.csv:3:2: max_coachees must be a whole number from 1 to 50 (got '2.5')");
    assert_string_equal(diag(f, 1), "t.csv:4:2: max_coachees is empty");
    assert_string_equal(diag(f, 2),
                        "t.csv:5:2: max_coachees must be a whole number from 1 to 50 (got '51')");
    assert_string_equal(diag(f, 3), "t.csv:7:2: max_coachees must be a whole number from 1 to 50 "
                                    "(got '99999999999999999999')");
    assert_string_equal(diag(f, 4),
                        "t.csv:8:2: max_coachees must be a whole number from 1 to 50 (got '7 7')");
}

static void test_csv__cell_line_after_quoted_newline(void **state)
{
    fixture *f = *state;
    /* The bad number is on line 3, though its row starts on line 2. */
    assert_non_null(parse(f, "id,note,hours\nA,\"long\nnote\",x\n"));
    double v;
    assert_false(cpd_csv_double(f->t, 0, 2, "hours", 0, 80, &v, f->d));
    assert_string_equal(diag(f, 0), "t.csv:3:3: hours must be a number from 0 to 80 (got 'x')");
}

static void test_csv__parse_plain_strings(void **state)
{
    (void)state;
    double x;
    long n;
    assert_true(cpd_parse_double("3", &x) && x == 3.0);
    assert_true(cpd_parse_double("-1.25e2", &x) && x == -125.0);
    assert_true(cpd_parse_double(".5", &x) && x == 0.5);
    static const char *const bad_d[] = {"", " ", "inf", "-infinity", "NaN", "1,5", "1.5.2",
                                        "e5", "--1", "0x1p3", "1e99999"};
    for (size_t i = 0; i < sizeof bad_d / sizeof *bad_d; i++)
        assert_false(cpd_parse_double(bad_d[i], &x));
    assert_false(cpd_parse_double(NULL, &x));
    assert_true(cpd_parse_long("-12", &n) && n == -12);
    static const char *const bad_l[] = {"", "1.0", "1e3", "12a", "- 1", "0x10", "+"};
    for (size_t i = 0; i < sizeof bad_l / sizeof *bad_l; i++)
        assert_false(cpd_parse_long(bad_l[i], &n));
}

static void test_csv__bools(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "v\nYes\nno\nTRUE\nfalse\ny\nN\n1\n0\n,\nmaybe\n"));
    /* The "," row is blank and skipped; use a short row for the empty cell instead. */
    static const bool want[] = {true, false, true, false, true, false, true, false};
    for (size_t i = 0; i < 8; i++) {
        bool b = !want[i];
        assert_true(cpd_csv_bool(f->t, i, 0, "joining", false, &b, f->d));
        assert_int_equal(b, want[i]);
    }
    bool b = false;
    assert_false(cpd_csv_bool(f->t, 8, 0, "joining", false, &b, f->d));
    assert_string_equal(diag(f, 0), "t.csv:11:1: joining must be yes or no (also true/false, y/n, "
                                    "1/0) (got 'maybe')");
    assert_non_null(parse(f, "id,joining\nS1\nS2,\n"));
    b = false;
    assert_true(cpd_csv_bool(f->t, 0, 1, "joining", true, &b, f->d));
    assert_true(b);
    b = true;
    assert_true(cpd_csv_bool(f->t, 1, 1, "joining", false, &b, f->d));
    assert_false(b);
}

static void test_csv__lists(void **state)
{
    fixture *f = *state;
    assert_non_null(parse(f, "id,subjects\nA, Maths ; ;Science;;  \nB,\nC,PE\n"));
    cpd_strlist l = {0};
    cpd_csv_list(f->t, 0, 1, true, &l);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0], "maths");
    assert_string_equal(l.items[1], "science");
    cpd_strlist_clear(&l);
    cpd_csv_list(f->t, 0, 1, false, &l);
    assert_string_equal(l.items[0], "Maths");
    cpd_strlist_clear(&l);
    cpd_csv_list(f->t, 1, 1, true, &l);
    assert_int_equal(l.n, 0);
    cpd_csv_list(f->t, 2, 1, true, &l);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.items[0], "pe");
    cpd_strlist_clear(&l);
}

/* ---- writing ---- */

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
    cpd_csvw *w;
} memout;

static void mem_open(memout *m)
{
    m->f = open_memstream(&m->buf, &m->len);
    assert_non_null(m->f);
    m->w = cpd_csvw_open(m->f);
}

static void mem_close(memout *m)
{
    assert_true(cpd_csvw_close(&m->w));
    assert_null(m->w);
    assert_int_equal(fclose(m->f), 0);
}

static void test_csv__writer_quoting(void **state)
{
    (void)state;
    memout m = {0};
    mem_open(&m);
    static const char *const head[] = {"name", "note", NULL};
    cpd_csvw_header(m.w, head);
    cpd_csvw_str(m.w, "Oak, Upper");
    cpd_csvw_str(m.w, "say \"hi\"");
    cpd_csvw_str(m.w, "two\nlines");
    cpd_csvw_str(m.w, "cr\rhere");
    cpd_csvw_str(m.w, NULL);
    cpd_csvw_str(m.w, "plain");
    cpd_csvw_end_row(m.w);
    mem_close(&m);
    assert_string_equal(m.buf, "name,note\n\"Oak, Upper\",\"say \"\"hi\"\"\",\"two\nlines\","
                               "\"cr\rhere\",,plain\n");
    free(m.buf);
}

static void test_csv__writer_neutralises_formulas(void **state)
{
    (void)state;
    memout m = {0};
    mem_open(&m);
    cpd_csvw_str(m.w, "=SUM(A1)");
    cpd_csvw_str(m.w, "-5");
    cpd_csvw_str(m.w, "+44 1234");
    cpd_csvw_str(m.w, "@cmd");
    cpd_csvw_str(m.w, "\tx");
    cpd_csvw_str(m.w, "=1,2");
    cpd_csvw_str(m.w, "a=b");
    cpd_csvw_num(m.w, -7);
    cpd_csvw_int(m.w, -3);
    cpd_csvw_end_row(m.w);
    mem_close(&m);
    assert_string_equal(m.buf, "'=SUM(A1),'-5,'+44 1234,'@cmd,'\tx,\"'=1,2\",a=b,-7,-3\n");
    free(m.buf);
}

static void test_csv__writer_numbers(void **state)
{
    (void)state;
    memout m = {0};
    mem_open(&m);
    static const double v[] = {2.5, 3, 0.1 + 0.2, -0.0, -1e-9, 1.0 / 3, 1234567.125, 1e15, -2.75};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++)
        cpd_csvw_num(m.w, v[i]);
    cpd_csvw_num(m.w, NAN);
    cpd_csvw_end_row(m.w);
    mem_close(&m);
    assert_string_equal(m.buf, "2.5,3,0.3,0,0,0.333333,1234567.125,1000000000000000,-2.75,\n");
    free(m.buf);
}

static void test_csv__writer_round_trip(void **state)
{
    fixture *f = *state;
    static const char *const cells[] = {"Oak, Upper", "say \"hi\"", "two\nlines", "plain",
                                        "Zoë", "x;y"};
    memout m = {0};
    mem_open(&m);
    static const char *const head[] = {"a", "b", "c", "d", "e", "f", "n", NULL};
    cpd_csvw_header(m.w, head);
    for (int r = 0; r < 3; r++) {
        for (size_t i = 0; i < 6; i++)
            cpd_csvw_str(m.w, cells[i]);
        cpd_csvw_num(m.w, r * 1.5);
        cpd_csvw_end_row(m.w);
    }
    mem_close(&m);
    assert_non_null(parse_n(f, m.buf, m.len));
    assert_int_equal(cpd_csv_ncols(f->t), 7);
    assert_int_equal(cpd_csv_nrows(f->t), 3);
    for (size_t r = 0; r < 3; r++) {
        for (int i = 0; i < 6; i++)
            assert_string_equal(cpd_csv_cell(f->t, r, i), cells[i]);
        double x;
        assert_true(cpd_csv_double(f->t, r, 6, "n", 0, 10, &x, f->d));
        assert_true(x == (double)r * 1.5);
    }
    assert_int_equal(cpd_csv_line(f->t, 1), 4); /* each row holds one quoted newline */
    assert_int_equal(cpd_diags_len(f->d), 0);
    free(m.buf);
}

static void test_csv__writer_reports_write_error(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    assert_non_null(fp);
    cpd_csvw *w = cpd_csvw_open(fp);
    for (int i = 0; i < 10000; i++)
        cpd_csvw_str(w, "some text that fills the buffer");
    cpd_csvw_end_row(w);
    assert_false(cpd_csvw_close(&w));
    assert_null(w);
    fclose(fp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(test_csv__##name, setup, teardown)
        T(basic),
        T(bom_skipped),
        T(crlf),
        T(no_final_newline),
        T(cut_short_noted),
        T(quoted_comma),
        T(quoted_newline_keeps_lines),
        T(doubled_quotes),
        T(cells_trimmed),
        T(header_any_case_and_order),
        T(missing_column),
        T(unknown_column_warns),
        T(duplicate_column),
        T(short_rows_give_empty),
        T(extra_fields_warn),
        T(nameless_columns),
        T(blank_lines_skipped),
        T(header_only),
        T(empty_file),
        T(binary_file),
        T(utf16_file),
        T(utf16_without_bom),
        T(header_row_missing),
        T(invalid_utf8),
        T(utf8_valid_and_overlong),
        T(utf8_reports_capped),
        T(unterminated_quote),
        T(stray_quote),
        T(read_file),
        T(large_file_fast),
        T(strict_double),
        T(strict_double_ranges_in_messages),
        T(strict_int),
        T(cell_line_after_quoted_newline),
        T(parse_plain_strings),
        T(bools),
        T(lists),
        T(writer_quoting),
        T(writer_neutralises_formulas),
        T(writer_numbers),
        T(writer_round_trip),
        T(writer_reports_write_error),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
