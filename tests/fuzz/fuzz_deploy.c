/* fuzz_deploy.c — libFuzzer target: the deploy job's scenario loader (cpd_load_deploy) and its
 * checks (cpd_deploy_check) on a folder made from the input (fuzz_util.h). */
#include "cpd_deploy.h"
#include "cpd_load.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"schools.csv", "staff.csv",    "coaches.csv", "travel.csv",
                                        "scenario.json", "previous.csv", "pins.csv"};
    const char *dir = fuzz_write_folder(data, size, names, sizeof names / sizeof names[0]);
    cpd_diags *d = cpd_diags_new();
    cpd_scenario *s = cpd_load_deploy(dir, d);
    if (s)
        cpd_deploy_check(s, d);
    cpd_scenario_free(&s);
    fuzz_diags_done(&d);
    return 0;
}
