/* cpd_strmap.c — FNV-1a hashing with linear probing; grows at half full. */
#include "cpd_strmap.h"

#include "cpd_err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;
    int value;
} slot;

struct cpd_strmap {
    slot *slots;
    size_t cap, len;
};

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

cpd_strmap *cpd_strmap_new(void)
{
    cpd_strmap *m = cpd_xcalloc(1, sizeof *m);
    m->cap = 16;
    m->slots = cpd_xcalloc(m->cap, sizeof(slot));
    return m;
}

void cpd_strmap_free(cpd_strmap **m)
{
    if (!m || !*m)
        return;
    for (size_t i = 0; i < (*m)->cap; i++)
        free((*m)->slots[i].key);
    free((*m)->slots);
    free(*m);
    *m = NULL;
}

static slot *find(const cpd_strmap *m, const char *key)
{
    size_t i = (size_t)(hash(key) & (m->cap - 1));
    while (m->slots[i].key && strcmp(m->slots[i].key, key) != 0)
        i = (i + 1) & (m->cap - 1);
    return &m->slots[i];
}

static void grow(cpd_strmap *m)
{
    slot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap *= 2;
    m->slots = cpd_xcalloc(m->cap, sizeof(slot));
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key) = old[i];
    free(old);
}

int cpd_strmap_put(cpd_strmap *m, const char *key, int value)
{
    if (2 * (m->len + 1) > m->cap)
        grow(m);
    slot *s = find(m, key);
    if (s->key) {
        int prev = s->value;
        s->value = value;
        return prev;
    }
    s->key = cpd_strdup(key);
    s->value = value;
    m->len++;
    return -1;
}

int cpd_strmap_get(const cpd_strmap *m, const char *key)
{
    const slot *s = find(m, key);
    return s->key ? s->value : -1;
}

size_t cpd_strmap_len(const cpd_strmap *m) { return m->len; }
