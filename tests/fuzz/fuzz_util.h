/* fuzz_util.h — what the libFuzzer targets share: one fuzz input split into the files of a
 * scenario folder, written into a fresh folder under /tmp that is removed after each run.
 *
 * The input is the files' contents in the order of names[], separated by the byte 0xFF (which
 * valid UTF-8 never holds, so the seeds are the bundled files joined). A file past the last
 * piece is not written at all (absent); an empty piece is an empty file. */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include "cpd_err.h"

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_SEP 0xFF

/* The folder, made once per process and emptied after every run. */
static char fuzz_dir[64];

static inline void fuzz_clear(void)
{
    DIR *dp = opendir(fuzz_dir);
    if (!dp)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(dp)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, e->d_name);
        if (unlink(path) != 0)
            rmdir(path);
    }
    closedir(dp);
}

static inline void fuzz_cleanup(void)
{
    fuzz_clear();
    rmdir(fuzz_dir);
}

/* Writes the pieces of data as names[0..n) into the folder and returns its path. */
static inline const char *fuzz_write_folder(const uint8_t *data, size_t size,
                                            const char *const *names, size_t n)
{
    if (!fuzz_dir[0]) {
        snprintf(fuzz_dir, sizeof fuzz_dir, "/tmp/cpd-fuzz.XXXXXX");
        if (!mkdtemp(fuzz_dir))
            abort();
        atexit(fuzz_cleanup);
    }
    fuzz_clear();
    size_t start = 0;
    for (size_t i = 0; i < n && start <= size; i++) {
        const uint8_t *sep = start < size ? memchr(data + start, FUZZ_SEP, size - start) : NULL;
        size_t end = sep ? (size_t)(sep - data) : size;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", fuzz_dir, names[i]);
        FILE *f = fopen(path, "wb");
        if (!f)
            abort();
        if (end > start && fwrite(data + start, 1, end - start, f) != end - start)
            abort();
        fclose(f);
        if (!sep)
            break;
        start = end + 1;
    }
    return fuzz_dir;
}

/* Formats every diagnostic the run gave (the formatter is under test too: names, lines and
 * cells from the input end up in it), then frees them. */
static inline void fuzz_diags_done(cpd_diags **d)
{
    char buf[512];
    for (size_t i = 0; i < cpd_diags_len(*d); i++)
        cpd_diag_format(cpd_diags_get(*d, i), buf, sizeof buf);
    cpd_diags_free(d);
}

#endif
