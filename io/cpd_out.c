/* cpd_out.c — a set of output files written under temporary names and put in place only when
 * every one of them was written without error, the whole set at once where the system allows. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE (Linux, glibc 2.28) */
#include "cpd_out.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

typedef struct {
    char *name;  /* as given: "deployment.csv" */
    char *path;  /* DIR/NAME */
    char *tmp;   /* DIR/.NAME.tmp.PID.N */
    FILE *f;
} out_file;

/* Where the files are written before commit. When stage is set, a fresh folder next to dir
 * (".NAME.new.PID.N") holds them under their own names, and commit swaps it with dir in one
 * rename (see cpd_outset_commit); else they are written into dir under temporary names. */
struct cpd_outset {
    char *dir;
    char *stage;
    out_file *files;
    size_t n, cap;
};

/* ---- local ---- */

static char *join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = cpd_xmalloc(n);
    snprintf(s, n, "%s/%s", a, b);
    return s;
}

/* mkdir -p: each missing ancestor is created; one that exists must be a folder. */
static bool make_dirs(const char *dir, cpd_diags *d)
{
    char *p = cpd_strdup(dir);
    bool ok = true;
    for (char *s = p + 1;; s++) {
        if (*s != '/' && *s != '\0')
            continue;
        char c = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            cpd_error(d, p, 0, 0, "cannot create the output folder (%s)", strerror(errno));
            ok = false;
            break;
        }
        *s = c;
        if (!c)
            break;
    }
    free(p);
    struct stat st;
    errno = 0;
    if (ok && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        int e = errno;
        cpd_error(d, dir, 0, 0, "cannot use as the output folder (%s)",
                  e ? strerror(e) : "not a folder");
        ok = false;
    }
    return ok;
}

/* Creates the temporary file with O_EXCL under a name nobody else uses: the pid keeps two
 * runs apart, the counter two attempts within one run. Mode 0666 so the umask decides, as
 * for any file a program writes. */
static FILE *open_tmp(const char *dir, const char *name, bool staged, char **tmp_out, int *err)
{
    static unsigned counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        char leaf[512];
        if (staged) /* a folder of our own: the file's own name, once */
            snprintf(leaf, sizeof leaf, "%s", name);
        else
            snprintf(leaf, sizeof leaf, ".%s.tmp.%ld.%u", name, (long)getpid(), counter++);
        char *tmp = join(dir, leaf);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0) {
            *err = errno;
            free(tmp);
            if (*err == EEXIST && !staged)
                continue;
            return NULL;
        }
        FILE *f = fdopen(fd, "w");
        if (!f) {
            *err = errno;
            close(fd);
            unlink(tmp);
            free(tmp);
            return NULL;
        }
        *tmp_out = tmp;
        return f;
    }
    *err = EEXIST;
    return NULL;
}

/* Flushes, syncs and closes one file; the FILE is gone afterwards whatever happened. Returns
 * 0, an errno, or -1 for a write that failed earlier with no errno left to tell why. */
static int finish_file(out_file *o)
{
    int err = 0;
    if (fflush(o->f) != 0 || ferror(o->f))
        err = errno ? errno : -1;
    else if (fsync(fileno(o->f)) != 0 && errno != EINVAL)
        err = errno;
    if (fclose(o->f) != 0 && !err)
        err = errno ? errno : -1;
    o->f = NULL;
    return err;
}

/* Removes every entry of a folder of plain files, then the folder. */
static void remove_stage(const char *stage)
{
    DIR *dp = opendir(stage);
    if (dp) {
        for (struct dirent *e; (e = readdir(dp)) != NULL;) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *p = join(stage, e->d_name);
            unlink(p);
            free(p);
        }
        closedir(dp);
    }
    rmdir(stage);
}

/* A fresh folder beside dir for the set, or NULL (the set is then written into dir itself) when
 * dir has no name of its own ("/", ".", "..") or its parent cannot take one. */
static char *make_stage(const char *dir)
{
    static unsigned counter;
    char *d = cpd_strdup(dir);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = '\0';
    char *slash = strrchr(d, '/');
    const char *base = slash ? slash + 1 : d;
    const char *parent = slash ? (slash == d ? "/" : d) : ".";
    if (slash && slash != d)
        *slash = '\0';
    char *stage = NULL;
    if (*base && strcmp(base, ".") != 0 && strcmp(base, "..") != 0) {
        char leaf[300];
        for (int attempt = 0; attempt < 100 && !stage; attempt++) {
            snprintf(leaf, sizeof leaf, ".%.200s.new.%ld.%u", base, (long)getpid(), counter++);
            stage = join(strcmp(parent, "/") == 0 ? "" : parent, leaf);
            if (mkdir(stage, 0700) != 0) {
                int e = errno;
                free(stage);
                stage = NULL;
                if (e != EEXIST)
                    break;
            }
        }
    }
    free(d);
    return stage;
}

static bool in_set(const cpd_outset *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->files[i].name, name) == 0)
            return true;
    return false;
}

/* Hard-links into the stage every file of dir the set does not replace, so the swapped-in
 * folder still holds them. False when dir holds anything else (a folder, a link) or a link
 * cannot be made: the set is then renamed in file by file. */
static bool carry_over(const cpd_outset *o)
{
    DIR *dp = opendir(o->dir);
    if (!dp)
        return errno == ENOENT;
    bool ok = true;
    for (struct dirent *e; ok && (e = readdir(dp)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 || in_set(o, e->d_name))
            continue;
        char *from = join(o->dir, e->d_name), *to = join(o->stage, e->d_name);
        struct stat st;
        ok = lstat(from, &st) == 0 && S_ISREG(st.st_mode) && link(from, to) == 0;
        free(from);
        free(to);
    }
    closedir(dp);
    return ok;
}

/* The whole set in one step: the stage, holding the new files and the carried-over ones, takes
 * dir's place (an exchange of the two names, or a plain rename when dir is gone); what dir held
 * is then removed. False when the system cannot do it: nothing has changed then. */
static bool swap_in(cpd_outset *o)
{
    struct stat st;
    if (lstat(o->dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) /* a link to the folder stays a link: file by file then */
            return false;
        (void)chmod(o->stage, st.st_mode & 07777);
        if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->dir, RENAME_EXCHANGE) != 0)
            return false;
    } else if (errno != ENOENT || rename(o->stage, o->dir) != 0) {
        return false;
    }
    for (size_t i = 0; i < o->n; i++) { /* in place now: none of them is to be removed */
        free(o->files[i].tmp);
        o->files[i].tmp = NULL;
    }
    return true;
}

static void drop_all(cpd_outset *o)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->files[i].f)
            fclose(o->files[i].f);
        if (o->files[i].tmp && !o->stage)
            unlink(o->files[i].tmp);
        free(o->files[i].name);
        free(o->files[i].path);
        free(o->files[i].tmp);
    }
    if (o->stage) {
        remove_stage(o->stage); /* the old folder after a swap, else the unused stage */
        free(o->stage);
    }
    free(o->files);
    free(o->dir);
    free(o);
}

/* A final name taken by a folder would make its rename fail after others were done. */
static bool target_ok(const out_file *f, cpd_diags *d)
{
    struct stat st;
    if (lstat(f->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        cpd_error(d, f->path, 0, 0, "cannot write the file (a folder has that name)");
        return false;
    }
    return true;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd); /* best effort: some file systems refuse it for folders */
        close(fd);
    }
}

/* The folder holding path, synced: a swap changed its entries. */
static void sync_parent(const char *path)
{
    char *p = cpd_strdup(path);
    char *slash = strrchr(p, '/');
    if (slash)
        slash[slash == p] = '\0';
    sync_dir(slash ? p : ".");
    free(p);
}

/* ---- interface ---- */

cpd_outset *cpd_outset_new(const char *dir, cpd_diags *d)
{
    if (!dir || !*dir) {
        cpd_error(d, NULL, 0, 0, "no output folder given");
        return NULL;
    }
    if (!make_dirs(dir, d))
        return NULL;
    cpd_outset *o = cpd_xcalloc(1, sizeof *o);
    o->dir = cpd_strdup(dir);
    o->stage = make_stage(dir);
    return o;
}

const char *cpd_outset_dir(const cpd_outset *o) { return o->dir; }

FILE *cpd_outset_open(cpd_outset *o, const char *name, cpd_diags *d)
{
    char *path = join(o->dir, name ? name : "");
    if (!name || !*name || strchr(name, '/') || strlen(name) > 255) {
        cpd_error(d, path, 0, 0, "not a plain file name");
        free(path);
        return NULL;
    }
    for (size_t i = 0; i < o->n; i++) {
        if (strcmp(o->files[i].name, name) == 0) {
            cpd_error(d, path, 0, 0, "opened twice in one output set");
            free(path);
            return NULL;
        }
    }
    char *tmp = NULL;
    int err = 0;
    FILE *f = open_tmp(o->stage ? o->stage : o->dir, name, o->stage != NULL, &tmp, &err);
    if (!f) {
        cpd_error(d, path, 0, 0, "cannot create the file (%s)", strerror(err));
        free(path);
        return NULL;
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 8;
        o->files = cpd_xrealloc(o->files, o->cap * sizeof *o->files);
    }
    o->files[o->n++] = (out_file){cpd_strdup(name), path, tmp, f};
    return f;
}

bool cpd_outset_commit(cpd_outset **op, cpd_diags *d)
{
    if (!op || !*op)
        return false;
    cpd_outset *o = *op;
    *op = NULL;
    bool ok = true;
    for (size_t i = 0; i < o->n; i++) {
        errno = 0;
        int err = finish_file(&o->files[i]);
        if (err) {
            cpd_error(d, o->files[i].path, 0, 0, "cannot write the file (%s)",
                      err > 0 ? strerror(err) : "a write failed");
            ok = false;
        }
    }
    for (size_t i = 0; ok && i < o->n; i++)
        ok = target_ok(&o->files[i], d);
    if (ok && o->stage && carry_over(o) && swap_in(o)) {
        sync_dir(o->dir);
        sync_parent(o->stage);
        drop_all(o);
        return true;
    }
    for (size_t i = 0; ok && i < o->n; i++) {
        if (rename(o->files[i].tmp, o->files[i].path) != 0) {
            cpd_error(d, o->files[i].path, 0, 0, "cannot put the file in place (%s)",
                      strerror(errno));
            ok = false;
            break;
        }
        free(o->files[i].tmp);
        o->files[i].tmp = NULL; /* in place: not a temporary to remove any more */
    }
    if (ok)
        sync_dir(o->dir);
    drop_all(o);
    return ok;
}

void cpd_outset_abort(cpd_outset **o)
{
    if (!o || !*o)
        return;
    drop_all(*o);
    *o = NULL;
}

bool cpd_outset_csv(cpd_outset *o, const char *name, const char *const *header,
                    cpd_csv_rows_fn rows, const void *ctx, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, name, d);
    if (!f)
        return false;
    cpd_csvw *w = cpd_csvw_open(f);
    cpd_csvw_header(w, header);
    rows(w, ctx);
    if (cpd_csvw_close(&w))
        return true;
    cpd_error(d, cpd_outset_dir(o), 0, 0, "writing %s failed: %s", name, strerror(errno));
    return false;
}

bool cpd_outset_finish(cpd_outset **o, bool ok, cpd_diags *d)
{
    if (!o || !*o)
        return false;
    if (!ok) {
        cpd_outset_abort(o);
        return false;
    }
    return cpd_outset_commit(o, d);
}

bool cpd_outset_text(cpd_outset *o, const char *name, const char *text, cpd_diags *d)
{
    FILE *f = cpd_outset_open(o, name, d);
    if (!f)
        return false;
    if (fputs(text, f) >= 0 && fputc('\n', f) != EOF && fflush(f) == 0)
        return true;
    cpd_error(d, cpd_outset_dir(o), 0, 0, "writing %s failed: %s", name, strerror(errno));
    return false;
}

bool cpd_outset_flushed(cpd_outset *o, FILE *f, const char *name, cpd_diags *d)
{
    if (fflush(f) == 0 && !ferror(f))
        return true;
    cpd_error(d, cpd_outset_dir(o), 0, 0, "writing %s failed: %s", name, strerror(errno));
    return false;
}

/* ---- report.html and the terminal ---- */

void cpd_html(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}

void cpd_html_td(FILE *f, const char *s)
{
    fputs("<td>", f);
    cpd_html(f, s);
    fputs("</td>", f);
}

void cpd_html_td_int(FILE *f, int x) { fprintf(f, "<td class=\"n\">%d</td>", x); }

void cpd_html_td_pct(FILE *f, double part, double whole)
{
    if (whole > 0)
        fprintf(f, "<td class=\"n\">%.1f%%</td>", 100 * part / whole);
    else
        fputs("<td class=\"n\">-</td>", f);
}

void cpd_put_name(FILE *out, const char *s, int width)
{
    int n = 0;
    const char *q = s;
    for (; *q; q++)
        if (((unsigned char)*q & 0xC0) != 0x80 && n++ == width)
            break;
    fprintf(out, "%.*s%*s", (int)(q - s), s, width - (n > width ? width : n), "");
}
