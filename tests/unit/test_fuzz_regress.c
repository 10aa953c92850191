/* test_fuzz_regress.c — every input a fuzz target ever crashed on (tests/fuzz/regress/TARGET/),
 * replayed through the same target code, built with the ordinary compiler: `make test` runs it
 * plain, under ASan+UBSan and under valgrind, without clang or libFuzzer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_csv_one
#include "../fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_json_one
#include "../fuzz/fuzz_json.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_deploy_one
#include "../fuzz/fuzz_deploy.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_inset_one
#include "../fuzz/fuzz_inset.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_onboard_one
#include "../fuzz/fuzz_onboard.c"
#undef LLVMFuzzerTestOneInput

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*fuzz_fn)(const uint8_t *data, size_t size);

/* The folder of saved inputs: CPD_FUZZ_REGRESS, else as seen from the repository's root. */
static const char *regress_dir(void)
{
    const char *e = getenv("CPD_FUZZ_REGRESS");
    return e && *e ? e : "tests/fuzz/regress";
}

static uint8_t *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap)
            buf = realloc(buf, cap = cap ? 2 * cap : 4096);
        assert_non_null(buf);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Replays every file of regress/TARGET through fn; returns how many there were. */
static int replay(const char *target, fuzz_fn fn)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", regress_dir(), target);
    DIR *dp = opendir(dir);
    if (!dp)
        return 0;
    int n = 0;
    for (struct dirent *e; (e = readdir(dp)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        uint8_t *data = read_all(path, &len);
        assert_int_equal(fn(data, len), 0);
        free(data);
        n++;
    }
    closedir(dp);
    return n;
}

static void test_fuzz_regress__csv(void **state)
{
    (void)state;
    replay("csv", fuzz_csv_one);
}

static void test_fuzz_regress__json(void **state)
{
    (void)state;
    replay("json", fuzz_json_one);
}

static void test_fuzz_regress__deploy(void **state)
{
    (void)state;
    replay("deploy", fuzz_deploy_one);
}

static void test_fuzz_regress__inset(void **state)
{
    (void)state;
    replay("inset", fuzz_inset_one);
}

static void test_fuzz_regress__onboard(void **state)
{
    (void)state;
    replay("onboard", fuzz_onboard_one);
}

/* The harness itself on the seeds' shape: a bundled-like folder split by 0xFF loads whole. */
static void test_fuzz_regress__harness_splits_files(void **state)
{
    (void)state;
    static const char in[] = "id,name\nS1,Alder\n\xFFid,name,school,role\nT1,Ann,S1,teacher\n"
                             "\xFF\xFF{\"name\": \"x\"}";
    static const char *const names[] = {"schools.csv", "staff.csv", "coaches.csv",
                                        "scenario.json", "pins.csv"};
    const char *dir = fuzz_write_folder((const uint8_t *)in, sizeof in - 1, names, 5);
    char path[256];
    snprintf(path, sizeof path, "%s/coaches.csv", dir);
    size_t len;
    uint8_t *data = read_all(path, &len);
    assert_int_equal(len, 0); /* an empty piece: an empty file */
    free(data);
    snprintf(path, sizeof path, "%s/scenario.json", dir);
    data = read_all(path, &len);
    assert_int_equal(len, 13);
    assert_memory_equal(data, "{\"name\": \"x\"}", 13);
    free(data);
    snprintf(path, sizeof path, "%s/pins.csv", dir);
    assert_null(fopen(path, "rb")); /* past the last piece: absent */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fuzz_regress__harness_splits_files),
        cmocka_unit_test(test_fuzz_regress__csv),
        cmocka_unit_test(test_fuzz_regress__json),
        cmocka_unit_test(test_fuzz_regress__deploy),
        cmocka_unit_test(test_fuzz_regress__inset),
        cmocka_unit_test(test_fuzz_regress__onboard),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
