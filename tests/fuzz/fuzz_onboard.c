/* fuzz_onboard.c — libFuzzer target: the onboard job's loader (cpd_load_onboard) and its checks
 * (cpd_onboard_check) on a folder made from the input (fuzz_util.h). */
#include "cpd_onboard_io.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"schools.csv",   "staff.csv",     "activities.csv",
                                        "scenario.json", "resources.csv", "travel.csv",
                                        "deployment.csv"};
    const char *dir = fuzz_write_folder(data, size, names, sizeof names / sizeof names[0]);
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_load_onboard(dir, d);
    if (p)
        cpd_onboard_check(p, d);
    cpd_onboard_free(&p);
    fuzz_diags_done(&d);
    return 0;
}
