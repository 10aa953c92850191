/* test_generate_inset.c — the training-day generator: reproducible, sized as documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpd_generate.h"

#include <stdlib.h>
#include <string.h>

static void assert_same(const cpd_inset *a, const cpd_inset *b)
{
    assert_int_equal(a->common->nstaff, b->common->nstaff);
    assert_int_equal(a->nworkshops, b->nworkshops);
    assert_int_equal(a->nprefs, b->nprefs);
    for (int w = 0; w < a->nworkshops; w++) {
        const cpd_workshop *x = &a->workshops[w], *y = &b->workshops[w];
        assert_string_equal(x->title, y->title);
        assert_int_equal(x->capacity, y->capacity);
        assert_int_equal(x->min_size, y->min_size);
        assert_int_equal(x->starts, y->starts);
        assert_int_equal(x->length, y->length);
        assert_int_equal(x->nfacilitators, y->nfacilitators);
        for (int i = 0; i < x->nfacilitators; i++)
            assert_int_equal(x->facilitators[i], y->facilitators[i]);
    }
    for (int i = 0; i < a->nprefs; i++) {
        assert_int_equal(a->prefs[i].staff, b->prefs[i].staff);
        assert_int_equal(a->prefs[i].nchoices, b->prefs[i].nchoices);
        assert_memory_equal(a->prefs[i].choices, b->prefs[i].choices,
                            (size_t)a->prefs[i].nchoices * sizeof(int));
    }
}

static void test_generate_inset__same_seed_same_day(void **state)
{
    (void)state;
    cpd_inset *a = cpd_generate_inset(200, 3, 14, 4, 5), *b = cpd_generate_inset(200, 3, 14, 4, 5);
    assert_same(a, b);
    cpd_inset *c = cpd_generate_inset(200, 3, 14, 4, 6);
    bool differ = c->nprefs != a->nprefs;
    for (int w = 0; w < a->nworkshops && !differ; w++)
        differ = a->workshops[w].capacity != c->workshops[w].capacity ||
                 a->workshops[w].starts != c->workshops[w].starts;
    assert_true(differ);
    cpd_inset_free(&a);
    cpd_inset_free(&b);
    cpd_inset_free(&c);
}

/* Seats per slot 105-130% of the staff (rounding and the two-slot runs push a little above
 * the aim), runs within the day, facilitators are staff and deliver one workshop each,
 * choices distinct and open to the person, about 5% with none. */
static void test_generate_inset__shape(void **state)
{
    (void)state;
    cpd_inset *p = cpd_generate_inset(600, 6, 24, 4, 9);
    int T = p->common->nstaff;
    assert_int_equal(p->params.nslots, 4);
    assert_int_equal(p->nworkshops, 24);
    int *fac = calloc((size_t)T, sizeof(int)), len2 = 0, mins = 0, aud = 0;
    for (int s = 1; s <= 4; s++) {
        int seats = 0;
        for (int w = 0; w < p->nworkshops; w++) {
            const cpd_workshop *k = &p->workshops[w];
            for (int q = 1; q <= s; q++)
                if ((k->starts >> (q - 1)) & 1u && s < q + k->length)
                    seats += k->capacity;
        }
        assert_true(seats >= T * 105 / 100);
        assert_true(seats <= T * 130 / 100);
    }
    for (int w = 0; w < p->nworkshops; w++) {
        const cpd_workshop *k = &p->workshops[w];
        assert_true(k->starts != 0 && k->starts < (1u << (4 - k->length + 1)));
        len2 += k->length == 2;
        mins += k->min_size > 0;
        aud += k->audience.n > 0;
        for (int i = 0; i < k->nfacilitators; i++) {
            assert_in_range(k->facilitators[i], 0, T - 1);
            assert_int_equal(fac[k->facilitators[i]]++, 0);
        }
    }
    assert_string_equal(p->workshops[1].title, "PREVENT duty");
    assert_string_equal(p->workshops[1].mandatory_for.items[0], "ect");
    assert_true(aud > 0);
    (void)len2;
    (void)mins;
    for (int i = 0; i < p->nprefs; i++) {
        const cpd_preference *pr = &p->prefs[i];
        assert_in_range(pr->nchoices, 1, 6);
        for (int a = 0; a < pr->nchoices; a++)
            for (int b = a + 1; b < pr->nchoices; b++)
                assert_int_not_equal(pr->choices[a], pr->choices[b]);
    }
    assert_in_range(T - p->nprefs, T / 100, T / 10);
    free(fac);
    cpd_inset_free(&p);
}

/* Every mandatory workshop seats all who must attend it, over its runs (seed 1 at 2,000 staff
 * once gave 97 ECTs a 76-seat PREVENT). */
static void test_generate_inset__mandatory_seated(void **state)
{
    (void)state;
    cpd_inset *p = cpd_generate_inset(2000, 40, 40, 4, 1);
    int checked = 0;
    for (int w = 0; w < p->nworkshops; w++) {
        const cpd_workshop *k = &p->workshops[w];
        if (k->mandatory_for.n == 0)
            continue;
        int must = 0;
        for (int t = 0; t < p->common->nstaff; t++)
            must += cpd_strlist_has(&k->mandatory_for, p->common->staff[t].role);
        assert_true(k->capacity * __builtin_popcount(k->starts) >= must);
        checked++;
    }
    assert_true(checked > 0);
    cpd_inset_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_inset__same_seed_same_day),
        cmocka_unit_test(test_generate_inset__shape),
        cmocka_unit_test(test_generate_inset__mandatory_seated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
