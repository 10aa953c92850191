/* cpd_rng.h — the generators' pseudo-random numbers: splitmix64, tiny and fast, the same
 * sequence from the same seed on every machine (no libc rand, no time), so a seed names one
 * scenario for good.
 *
 * Ownership: a cpd_rng is a plain value (its state); nothing to free. Seed it by value:
 * cpd_rng r = {seed}. */
#ifndef CPD_RNG_H
#define CPD_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t state;
} cpd_rng;

/* The next 64 random bits. */
uint64_t cpd_rng_next(cpd_rng *r);
/* Uniform in [0, 1), from the top 53 bits. */
double cpd_rng_unit(cpd_rng *r);
/* Uniform in [lo, hi] (lo <= hi). */
int cpd_rng_int(cpd_rng *r, int lo, int hi);
/* An index drawn with probability proportional to w[i] (w >= 0); -1 when every weight is 0. */
int cpd_rng_weighted(cpd_rng *r, const double *w, int n);
/* a[0..n-1] set to 0..n-1 in a random order (Fisher-Yates, drawing from the back). */
void cpd_rng_permutation(cpd_rng *r, int *a, int n);

#endif
