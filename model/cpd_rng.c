/* cpd_rng.c — splitmix64 and the draws the generators make from it. */
#include "cpd_rng.h"

uint64_t cpd_rng_next(cpd_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

double cpd_rng_unit(cpd_rng *r)
{
    return (double)(cpd_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

int cpd_rng_int(cpd_rng *r, int lo, int hi)
{
    return lo + (int)(cpd_rng_next(r) % (uint64_t)(hi - lo + 1));
}

int cpd_rng_weighted(cpd_rng *r, const double *w, int n)
{
    double total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    if (total <= 0)
        return -1;
    double x = cpd_rng_unit(r) * total;
    int last = -1;
    for (int i = 0; i < n; i++) {
        if (w[i] <= 0)
            continue;
        last = i;
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return last; /* rounding left x at or past the last weight */
}

void cpd_rng_permutation(cpd_rng *r, int *a, int n)
{
    for (int i = 0; i < n; i++)
        a[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = cpd_rng_int(r, 0, i), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
