/* fuzz_csv.c — libFuzzer target: the CSV reader (cpd_csv_parse) on any bytes, then every cell
 * read back through the strict parsers and the list splitter, as the loaders read them. */
#include "cpd_csv.h"
#include "fuzz_util.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cpd_diags *d = cpd_diags_new();
    cpd_csv *t = cpd_csv_parse((const char *)data, size, "fuzz.csv", d);
    if (t) {
        static const cpd_csv_colspec spec[] = {{"id", true}, {"name", false}, {"hours", false}};
        int idx[3];
        cpd_csv_bind(t, spec, 3, idx, d);
        int nc = cpd_csv_ncols(t);
        for (size_t r = 0; r < cpd_csv_nrows(t) && r < 64; r++) {
            (void)cpd_csv_line(t, r);
            for (int c = 0; c < nc + 1 && c < 16; c++) {
                double x;
                long l;
                bool b;
                cpd_strlist li = {0};
                cpd_csv_double(t, r, c, "x", -1e9, 1e9, &x, d);
                cpd_csv_int(t, r, c, "n", -100000, 100000, &l, d);
                cpd_csv_bool(t, r, c, "b", false, &b, d);
                cpd_csv_list(t, r, c, (c & 1) != 0, &li);
                cpd_strlist_clear(&li);
            }
        }
        cpd_csv_free(&t);
    }
    fuzz_diags_done(&d);
    return 0;
}
