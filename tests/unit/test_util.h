/* test_util.h — what the unit tests' fixtures share: a temporary folder made and removed, files
 * written into it and read back, its entries counted, and a diagnostic looked for.
 *
 * Static inline functions, so that each test binary (one tests/unit/test_*.c linked with
 * libcpd.a) takes what it uses and the Makefile needs nothing more. Include it after <cmocka.h>:
 * the helpers that cannot go on fail the test with cmocka's asserts.
 *
 * Ownership: tu_read returns a malloc'ed buffer the caller frees; a folder made by tu_mkdtemp is
 * the test's to remove with tu_rm_rf; a tu_fixture made by tu_setup is freed, folder and all, by
 * tu_teardown. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "cpd_err.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#if defined(__SANITIZE_ADDRESS__)
#define TU_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TU_SANITIZED 1
#endif
#endif
#ifndef TU_SANITIZED
#define TU_SANITIZED 0
#endif

/* Whether this run is many times slower than a plain one (ASan, or valgrind), so that a time
 * limit meant only as a safety cap is raised to stay one. */
static inline bool tu_slow_build(void) { return TU_SANITIZED || RUNNING_ON_VALGRIND; }

/* Makes a new folder /tmp/NAME-XXXXXX, its path into dir (len bytes); false when it cannot. */
static inline bool tu_mkdtemp(char *dir, size_t len, const char *name)
{
    int n = snprintf(dir, len, "/tmp/%s-XXXXXX", name);
    return n > 0 && (size_t)n < len && mkdtemp(dir) != NULL;
}

/* Removes path: a file, or a folder with everything in it. Links are removed, not followed. */
static inline void tu_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *dp = opendir(path);
    for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[1024];
        int n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        if (n > 0 && (size_t)n < sizeof sub)
            tu_rm_rf(sub);
    }
    if (dp)
        closedir(dp);
    rmdir(path);
}

/* Writes len bytes of text as DIR/NAME (replacing it). */
static inline void tu_put(const char *dir, const char *name, const char *text, size_t len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static inline void tu_put_text(const char *dir, const char *name, const char *text)
{
    tu_put(dir, name, text, strlen(text));
}

/* DIR/NAME's bytes, NUL-terminated (the file must exist); its length into *len unless NULL. */
static inline char *tu_read(const char *dir, const char *name, size_t *len)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    size_t cap = 4096, n = 0, got;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
        if ((n += got) == cap) {
            buf = realloc(buf, (cap *= 2) + 1);
            assert_non_null(buf);
        }
    }
    assert_int_equal(ferror(fp), 0);
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* DIR/NAME must hold exactly want. */
static inline void tu_assert_file(const char *dir, const char *name, const char *want)
{
    char *got = tu_read(dir, name, NULL);
    assert_string_equal(got, want);
    free(got);
}

/* A/NAME and B/NAME must hold the same bytes; returns how many. */
static inline size_t tu_assert_same_file(const char *a, const char *b, const char *name)
{
    size_t la, lb;
    char *x = tu_read(a, name, &la), *y = tu_read(b, name, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(x, y, la);
    free(x);
    free(y);
    return la;
}

/* Entries of a folder, "." and ".." left out; -1 when it cannot be opened. */
static inline int tu_entries(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(dp);
    return n;
}

/* The usual fixture: a folder of its own and the diagnostics a test collects. */
typedef struct {
    char dir[64];
    cpd_diags *d;
} tu_fixture;

/* A cmocka setup: a new tu_fixture in *state, its folder /tmp/NAME-XXXXXX holding the n files
 * given as {name, text} pairs. -1 (the test is not run) when the folder cannot be made. */
static inline int tu_setup(void **state, const char *name, const char *const (*files)[2], size_t n)
{
    tu_fixture *f = calloc(1, sizeof *f);
    if (!f || !tu_mkdtemp(f->dir, sizeof f->dir, name)) {
        free(f);
        return -1;
    }
    f->d = cpd_diags_new();
    for (size_t i = 0; i < n; i++)
        tu_put_text(f->dir, files[i][0], files[i][1]);
    *state = f;
    return 0;
}

/* The cmocka teardown of tu_setup. */
static inline int tu_teardown(void **state)
{
    tu_fixture *f = *state;
    tu_rm_rf(f->dir);
    cpd_diags_free(&f->d);
    free(f);
    return 0;
}

/* Whether some diagnostic of d, formatted ("FILE:LINE:COL: ..."), is text (exact) or holds it. */
static inline bool tu_find_diag(const cpd_diags *d, const char *text, bool exact)
{
    char buf[2048];
    for (size_t i = 0; i < cpd_diags_len(d); i++) {
        cpd_diag_format(cpd_diags_get(d, i), buf, sizeof buf);
        if (exact ? strcmp(buf, text) == 0 : strstr(buf, text) != NULL)
            return true;
    }
    return false;
}

static inline bool tu_has_diag(const cpd_diags *d, const char *text)
{
    return tu_find_diag(d, text, false);
}

#endif
