/* cpd_strmap.h — a string -> int map (open addressing) for id look-ups while loading.
 * Ownership: the map copies its keys; cpd_strmap_free releases them. */
#ifndef CPD_STRMAP_H
#define CPD_STRMAP_H

#include <stddef.h>

typedef struct cpd_strmap cpd_strmap;

cpd_strmap *cpd_strmap_new(void);
void cpd_strmap_free(cpd_strmap **m);
/* Sets key -> value; returns the previous value, or -1 when the key is new. */
int cpd_strmap_put(cpd_strmap *m, const char *key, int value);
/* The value, or -1 when absent. */
int cpd_strmap_get(const cpd_strmap *m, const char *key);
size_t cpd_strmap_len(const cpd_strmap *m);

#endif
