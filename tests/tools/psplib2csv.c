/* psplib2csv.c — writes a PSPLIB single-mode .sm instance as an onboard scenario folder, for the
 * RCPSP benchmark (tests/bench/psplib.sh) and its checks:
 *   psplib2csv FILE.sm OUTDIR
 * `cpdplan onboard OUTDIR` then minimises the makespan; see io/cpd_psplib.h for the mapping.
 * Exit 0 when written, 2 on a bad file (the reason on stderr, file:line). */
#include "cpd_onboard_io.h"
#include "cpd_psplib.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: psplib2csv FILE.sm OUTDIR\n");
        return 2;
    }
    cpd_diags *d = cpd_diags_new();
    cpd_onboard *p = cpd_psplib_read(argv[1], d);
    bool ok = p && cpd_save_onboard(argv[2], p, d);
    cpd_diags_print(d, stderr);
    cpd_onboard_free(&p);
    cpd_diags_free(&d);
    return ok ? 0 : 2;
}
