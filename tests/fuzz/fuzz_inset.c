/* fuzz_inset.c — libFuzzer target: the inset job's loader (cpd_load_inset) and its checks
 * (cpd_inset_check) on a folder made from the input (fuzz_util.h). */
#include "cpd_inset_io.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"schools.csv",   "staff.csv",       "workshops.csv",
                                        "scenario.json", "preferences.csv", "pins.csv",
                                        "travel.csv"};
    const char *dir = fuzz_write_folder(data, size, names, sizeof names / sizeof names[0]);
    cpd_diags *d = cpd_diags_new();
    cpd_inset *p = cpd_load_inset(dir, d);
    if (p)
        cpd_inset_check(p, d);
    cpd_inset_free(&p);
    fuzz_diags_done(&d);
    return 0;
}
