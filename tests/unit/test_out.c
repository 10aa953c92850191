/* test_out.c — output sets: every file appears on commit, none on abort or failure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "cpd_out.h"
#include "test_util.h"

#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- helpers ---- */

typedef tu_fixture fixture;

static int setup(void **state) { return tu_setup(state, "test_out", NULL, 0); }

static const char *path(fixture *f, const char *rel)
{
    static char buf[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", f->dir, rel);
    return buf[k];
}

/* Entries of a folder, "." and ".." left out; the names joined by spaces in sorted order. */
static int list_dir(const char *dir, char *names, size_t len)
{
    char *all[64];
    int n = 0;
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    for (struct dirent *e; (e = readdir(dp)) != NULL;)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && n < 64)
            all[n++] = strdup(e->d_name);
    closedir(dp);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(all[j - 1], all[j]) > 0; j--) {
            char *t = all[j];
            all[j] = all[j - 1];
            all[j - 1] = t;
        }
    names[0] = '\0';
    for (int i = 0; i < n; i++) {
        if (i)
            strncat(names, " ", len - strlen(names) - 1);
        strncat(names, all[i], len - strlen(names) - 1);
        free(all[i]);
    }
    return n;
}

static const char *diag(fixture *f, size_t i)
{
    static char buf[1024];
    const cpd_diag *g = cpd_diags_get(f->d, i);
    if (!g)
        return "(none)";
    cpd_diag_format(g, buf, sizeof buf);
    return buf;
}

/* ---- tests ---- */

static void test_out__commit_writes_every_file(void **state)
{
    fixture *f = *state;
    const char *dir = path(f, "a/b/out");
    cpd_outset *o = cpd_outset_new(dir, f->d);
    assert_non_null(o);
    assert_string_equal(cpd_outset_dir(o), dir);
    FILE *x = cpd_outset_open(o, "deployment.csv", f->d);
    FILE *y = cpd_outset_open(o, "summary.json", f->d);
    assert_non_null(x);
    assert_non_null(y);
    fputs("teacher,coach\nT1,C1\n", x);
    fputs("{}\n", y);
    char names[1024];
    assert_true(cpd_outset_commit(&o, f->d));
    assert_null(o);
    assert_int_equal(list_dir(dir, names, sizeof names), 2);
    assert_string_equal(names, "deployment.csv summary.json");
    tu_assert_file(f->dir, "a/b/out/deployment.csv", "teacher,coach\nT1,C1\n");
    tu_assert_file(f->dir, "a/b/out/summary.json", "{}\n");
    assert_int_equal(cpd_diags_len(f->d), 0);
}

static void test_out__temp_names_hidden_until_commit(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    assert_non_null(o);
    FILE *x = cpd_outset_open(o, "plan.csv", f->d);
    assert_non_null(x);
    char names[1024];
    /* staged in a folder beside the out folder: nothing in it until commit */
    assert_int_equal(list_dir(f->dir, names, sizeof names), 0);
    assert_true(cpd_outset_commit(&o, f->d));
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
    assert_string_equal(names, "plan.csv");
}

static void test_out__abort_leaves_nothing(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    assert_non_null(o);
    fputs("x\n", cpd_outset_open(o, "one.csv", f->d));
    fputs("y\n", cpd_outset_open(o, "two.csv", f->d));
    cpd_outset_abort(&o);
    assert_null(o);
    char names[1024];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 0);
    cpd_outset_abort(&o); /* a second abort on NULL is harmless */
}

static void test_out__old_file_replaced_only_on_commit(void **state)
{
    fixture *f = *state;
    tu_put_text(f->dir, "plan.csv", "old\n");
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    FILE *x = cpd_outset_open(o, "plan.csv", f->d);
    fputs("new\n", x);
    fflush(x);
    tu_assert_file(f->dir, "plan.csv", "old\n");
    assert_true(cpd_outset_commit(&o, f->d));
    tu_assert_file(f->dir, "plan.csv", "new\n");

    /* An aborted set leaves the old file as it was. */
    o = cpd_outset_new(f->dir, f->d);
    fputs("newer\n", cpd_outset_open(o, "plan.csv", f->d));
    cpd_outset_abort(&o);
    tu_assert_file(f->dir, "plan.csv", "new\n");
}

static void test_out__folder_under_a_file_fails(void **state)
{
    fixture *f = *state;
    tu_put_text(f->dir, "file", "x");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/sub", path(f, "file"));
    assert_null(cpd_outset_new(dir, f->d));
    assert_int_equal(cpd_diags_errors(f->d), 1);
    char want[600];
    snprintf(want, sizeof want, "%s: cannot create the output folder (Not a directory)", dir);
    assert_string_equal(diag(f, 0), want);
    /* The output folder itself being a file. */
    assert_null(cpd_outset_new(path(f, "file"), f->d));
    snprintf(want, sizeof want, "%s: cannot use as the output folder (not a folder)",
             path(f, "file"));
    assert_string_equal(diag(f, 1), want);
    assert_null(cpd_outset_new("", f->d));
    assert_string_equal(diag(f, 2), "no output folder given");
}

/* The set is staged beside the out folder, so a folder removed meanwhile is simply made again
 * by the commit. */
static void test_out__folder_removed_before_commit(void **state)
{
    fixture *f = *state;
    const char *dir = path(f, "gone");
    cpd_outset *o = cpd_outset_new(dir, f->d);
    assert_non_null(o);
    assert_int_equal(rmdir(dir), 0);
    fputs("p\n", cpd_outset_open(o, "plan.csv", f->d));
    assert_true(cpd_outset_commit(&o, f->d));
    tu_assert_file(dir, "plan.csv", "p\n");
    char names[1024];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
    assert_string_equal(names, "gone");
}

/* The whole set is swapped in at once: files of the folder the set does not write stay as they
 * were, the replaced ones change, and no staging folder is left beside it. */
static void test_out__swap_keeps_other_files(void **state)
{
    fixture *f = *state;
    const char *dir = path(f, "out");
    assert_int_equal(mkdir(dir, 0755), 0);
    tu_put_text(dir, "plan.csv", "old\n");
    tu_put_text(dir, "notes.txt", "mine\n");
    cpd_outset *o = cpd_outset_new(dir, f->d);
    fputs("new\n", cpd_outset_open(o, "plan.csv", f->d));
    fputs("b\n", cpd_outset_open(o, "b.csv", f->d));
    char names[1024];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 2); /* out and the stage */
    assert_true(cpd_outset_commit(&o, f->d));
    assert_int_equal(list_dir(dir, names, sizeof names), 3);
    assert_string_equal(names, "b.csv notes.txt plan.csv");
    tu_assert_file(dir, "plan.csv", "new\n");
    tu_assert_file(dir, "notes.txt", "mine\n");
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
    assert_string_equal(names, "out");
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
}

/* A folder inside the out folder cannot be carried over by a link: the files are then renamed
 * in one by one, and the folder stays. */
static void test_out__subfolder_falls_back_to_renames(void **state)
{
    fixture *f = *state;
    const char *dir = path(f, "out");
    assert_int_equal(mkdir(dir, 0777), 0);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    assert_int_equal(mkdir(sub, 0777), 0);
    cpd_outset *o = cpd_outset_new(dir, f->d);
    fputs("a\n", cpd_outset_open(o, "a.csv", f->d));
    assert_true(cpd_outset_commit(&o, f->d));
    char names[1024];
    assert_int_equal(list_dir(dir, names, sizeof names), 2);
    assert_string_equal(names, "a.csv sub");
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
}

static void test_out__abort_removes_the_stage(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(path(f, "out"), f->d);
    fputs("a\n", cpd_outset_open(o, "a.csv", f->d));
    cpd_outset_abort(&o);
    char names[1024];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
    assert_string_equal(names, "out");
}

static void test_out__bad_names_refused(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    assert_null(cpd_outset_open(o, "a/b.csv", f->d));
    assert_null(cpd_outset_open(o, "", f->d));
    assert_non_null(cpd_outset_open(o, "plan.csv", f->d));
    assert_null(cpd_outset_open(o, "plan.csv", f->d));
    assert_int_equal(cpd_diags_errors(f->d), 3);
    char want[600];
    snprintf(want, sizeof want, "%s: opened twice in one output set", path(f, "plan.csv"));
    assert_string_equal(diag(f, 2), want);
    cpd_outset_abort(&o);
}

/* A file that cannot be written whole (here the file-size limit) fails the commit: no file of
 * the set appears and no temporary is left behind. */
static void test_out__write_failure_writes_nothing(void **state)
{
    fixture *f = *state;
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    fputs("small\n", cpd_outset_open(o, "a.csv", f->d));
    FILE *big = cpd_outset_open(o, "b.csv", f->d);
    lim = old;
    lim.rlim_cur = 1000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", big);
    bool ok = cpd_outset_commit(&o, f->d);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, prev);
    assert_false(ok);
    assert_null(o);
    char names[1024], want[600];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 0);
    assert_int_equal(cpd_diags_errors(f->d), 1);
    snprintf(want, sizeof want, "%s: cannot write the file (File too large)", path(f, "b.csv"));
    assert_string_equal(diag(f, 0), want);
}

/* A folder where a file should go is found before any file is renamed. */
static void test_out__target_is_folder_fails_before_renaming(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(f->dir, f->d);
    fputs("a\n", cpd_outset_open(o, "a.csv", f->d));
    fputs("b\n", cpd_outset_open(o, "b.csv", f->d));
    assert_int_equal(mkdir(path(f, "b.csv"), 0777), 0);
    assert_false(cpd_outset_commit(&o, f->d));
    char names[1024], want[600];
    assert_int_equal(list_dir(f->dir, names, sizeof names), 1);
    assert_string_equal(names, "b.csv");
    snprintf(want, sizeof want, "%s: cannot write the file (a folder has that name)",
             path(f, "b.csv"));
    assert_string_equal(diag(f, 0), want);
}

static void test_out__empty_set_commits(void **state)
{
    fixture *f = *state;
    cpd_outset *o = cpd_outset_new(path(f, "new"), f->d);
    assert_true(cpd_outset_commit(&o, f->d));
    struct stat st;
    assert_int_equal(stat(path(f, "new"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_false(cpd_outset_commit(&o, f->d)); /* NULL set */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(test_out__##name, setup, tu_teardown)
        T(commit_writes_every_file),
        T(temp_names_hidden_until_commit),
        T(abort_leaves_nothing),
        T(old_file_replaced_only_on_commit),
        T(folder_under_a_file_fails),
        T(folder_removed_before_commit),
        T(swap_keeps_other_files),
        T(subfolder_falls_back_to_renames),
        T(abort_removes_the_stage),
        T(bad_names_refused),
        T(write_failure_writes_nothing),
        T(target_is_folder_fails_before_renaming),
        T(empty_set_commits),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
