/* deploy_knap.c — one coach's best set of demands at given values: a knapsack over the coach's
 * hours with a setup (the round trip, and its travel cost) per school worked in, with
 * max_schools and max_coachees kept exactly, solved by dynamic programming. The local search
 * uses it to re-plan one coach at a time against the rest of the plan.
 *
 * Hours are counted on a grid of `unit` hours, each figure rounded to the nearest step: the
 * result is a proposal that the caller checks against the true hours (dp_state_can_add). */
#include "deploy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct dp_knap {
    const dp_model *m;
    double unit;
    int *order;          /* per coach, its pairs by school then demand */
    double *F, *T;       /* states */
    unsigned char *take; /* per item x state */
    unsigned char *open; /* per group x state */
    int *items, *item_w, *group_of;
    double *item_r;
    size_t cap_z, cap_items;
};

typedef struct {
    int K, NP, NS; /* hour units 0..K, people 0..NP-1, schools 0..NS-1 (1: not tracked) */
    int Z;
} kdims;

static int at(const kdims *D, int s, int p, int k) { return (s * D->NP + p) * (D->K + 1) + k; }

static int units(const dp_knap *k, double hours) { return (int)floor(hours / k->unit + 0.5); }

typedef struct {
    int64_t key;
    int pair;
} kp;

static int cmp_kp(const void *a, const void *b)
{
    int64_t x = ((const kp *)a)->key, y = ((const kp *)b)->key;
    return (x > y) - (x < y);
}

static void sort_by_school(dp_knap *k)
{
    const dp_model *m = k->m;
    kp *v = cpd_xmalloc((size_t)m->npairs * sizeof(kp) + 1);
    for (int p = 0; p < m->npairs; p++)
        v[p] = (kp){(int64_t)m->pairs[p].school * (m->ndem + 1) + m->pairs[p].demand, p};
    for (int c = 0; c < m->nc; c++)
        qsort(v + m->cstart[c], (size_t)(m->cstart[c + 1] - m->cstart[c]), sizeof(kp), cmp_kp);
    for (int p = 0; p < m->npairs; p++)
        k->order[p] = v[p].pair;
    free(v);
}

/* The coach's pairs with a positive value, grouped by school. */
static int collect(dp_knap *k, int c, const double *r, int *ngroups)
{
    const dp_model *m = k->m;
    int n = 0, g = -1, last = -1;
    for (int i = m->cstart[c]; i < m->cstart[c + 1]; i++) {
        int p = k->order[i];
        if (!(r[p] > 0))
            continue;
        if (m->pairs[p].school != last) {
            g++;
            last = m->pairs[p].school;
        }
        k->items[n] = p;
        k->item_r[n] = r[p];
        k->item_w[n] = units(k, m->pairs[p].hours);
        k->group_of[n++] = g;
    }
    *ngroups = g + 1;
    return n;
}

static void grow(dp_knap *k, size_t z, size_t n)
{
    if (z > k->cap_z) {
        k->cap_z = z;
        k->F = cpd_xrealloc(k->F, z * sizeof(double));
        k->T = cpd_xrealloc(k->T, z * sizeof(double));
    }
    if (z * n > k->cap_items) {
        k->cap_items = z * n;
        k->take = cpd_xrealloc(k->take, z * n);
        k->open = cpd_xrealloc(k->open, z * n);
    }
}

/* One school: open it (one school more, its round trip and cost), then each item (one person
 * more). */
static void group(dp_knap *k, int c, const kdims *D, int first, int last, int gi)
{
    const dp_model *m = k->m;
    int school = m->pairs[k->items[first]].school, K = D->K;
    int su = units(k, dp_rt(m, c, school)), ds = D->NS > 1, dq = D->NP > 1;
    double tc = dp_tcost(m, c, school), *F = k->F, *T = k->T;
    for (int s = 0; s < D->NS; s++)
        for (int p = 0; p < D->NP; p++)
            for (int h = 0; h <= K; h++)
                T[at(D, s, p, h)] =
                    h >= su && s >= ds ? F[at(D, s - ds, p, h - su)] - tc : -HUGE_VAL;
    for (int i = first; i < last; i++) {
        unsigned char *tk = &k->take[(size_t)i * D->Z];
        int w = k->item_w[i];
        double r = k->item_r[i];
        memset(tk, 0, (size_t)D->Z);
        for (int s = 0; s < D->NS; s++)
            for (int p = D->NP - 1; p >= dq; p--) {
                double *to = &T[at(D, s, p, 0)], *from = &T[at(D, s, p - dq, 0)];
                unsigned char *t = &tk[at(D, s, p, 0)];
                for (int h = K; h >= w; h--)
                    if (from[h - w] + r > to[h]) {
                        to[h] = from[h - w] + r;
                        t[h] = 1;
                    }
            }
    }
    unsigned char *op = &k->open[(size_t)gi * D->Z];
    for (int z = 0; z < D->Z; z++) {
        op[z] = T[z] > F[z];
        if (op[z])
            F[z] = T[z];
    }
}

static int backtrack(const dp_knap *k, int c, const kdims *D, int n, int ngroups, int *out)
{
    const dp_model *m = k->m;
    int h = D->K, p = D->NP - 1, s = D->NS - 1, i = n - 1, nout = 0;
    for (int g = ngroups - 1; g >= 0; g--) {
        int first = i;
        while (first >= 0 && k->group_of[first] == g)
            first--;
        if (k->open[(size_t)g * D->Z + at(D, s, p, h)]) {
            for (int j = i; j > first; j--)
                if (k->take[(size_t)j * D->Z + at(D, s, p, h)]) {
                    out[nout++] = k->items[j];
                    h -= k->item_w[j];
                    p -= D->NP > 1;
                }
            h -= units(k, dp_rt(m, c, m->pairs[k->items[i]].school));
            s -= D->NS > 1;
        }
        i = first;
    }
    return nout;
}

/* ---- interface ---- */

dp_knap *dp_knap_new(const dp_model *m, double unit)
{
    dp_knap *k = cpd_xcalloc(1, sizeof *k);
    k->m = m;
    k->unit = unit;
    k->order = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    sort_by_school(k);
    size_t n = (size_t)m->npairs + 1;
    k->items = cpd_xmalloc(n * sizeof(int));
    k->item_w = cpd_xmalloc(n * sizeof(int));
    k->group_of = cpd_xmalloc(n * sizeof(int));
    k->item_r = cpd_xmalloc(n * sizeof(double));
    return k;
}

void dp_knap_free(dp_knap **kp_)
{
    if (!kp_ || !*kp_)
        return;
    dp_knap *k = *kp_;
    free(k->order);
    free(k->F);
    free(k->T);
    free(k->take);
    free(k->open);
    free(k->items);
    free(k->item_w);
    free(k->group_of);
    free(k->item_r);
    free(k);
    *kp_ = NULL;
}

int dp_knap_solve(dp_knap *k, int c, const double *r, int *out, double *value)
{
    const cpd_coach *co = &k->m->s->coaches[c];
    int ngroups, n = collect(k, c, r, &ngroups);
    *value = 0;
    int K = (int)floor(co->hours / k->unit + 1e-6);
    if (n == 0 || K < 0)
        return 0;
    kdims D = {.K = K, .NP = 1, .NS = 1};
    if (co->max_coachees > 0 && n > co->max_coachees)
        D.NP = co->max_coachees + 1;
    if (co->max_schools > 0 && ngroups > co->max_schools)
        D.NS = co->max_schools + 1;
    D.Z = D.NS * D.NP * (K + 1);
    grow(k, (size_t)D.Z, (size_t)n);
    for (int z = 0; z < D.Z; z++)
        k->F[z] = 0;
    for (int i = 0, g = 0; i < n; g++) {
        int last = i;
        while (last < n && k->group_of[last] == g)
            last++;
        group(k, c, &D, i, last, g);
        i = last;
    }
    *value = k->F[D.Z - 1];
    return backtrack(k, c, &D, n, ngroups, out);
}
