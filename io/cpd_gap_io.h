/* cpd_gap_io.h — OR-Library generalized assignment files (gap1..gap12, gapa..gapd): a stream of
 * whitespace-separated integers: the number of instances, then per instance m n, the m x n
 * values (or costs), the m x n loads and the m capacities.
 *
 * Ownership: cpd_gap_read returns an array of instances the caller frees with
 * cpd_gap_list_free(&list, n). */
#ifndef CPD_GAP_IO_H
#define CPD_GAP_IO_H

#include "cpd_err.h"
#include "cpd_gap.h"

/* Reads every instance of path, each posed in sense. Returns CPD_OK with *out and *n set, or
 * CPD_EINPUT with a message naming the file, line and column (nothing returned). */
cpd_code cpd_gap_read(const char *path, cpd_sense sense, cpd_gap ***out, int *n, cpd_diags *d);
void cpd_gap_list_free(cpd_gap ***list, int n);

#endif
