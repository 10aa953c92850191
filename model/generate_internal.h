/* generate_internal.h — what the generators (model/cpd_generate.c, cpd_generate_inset.c,
 * cpd_generate_onboard.c) share besides their random numbers (cpd_rng.h): people's names and
 * travel minutes from places on a map. Not for other layers.
 *
 * Ownership: nothing is returned that needs freeing. */
#ifndef GENERATE_INTERNAL_H
#define GENERATE_INTERNAL_H

#include "cpd_rng.h"
#include "cpd_scenario.h"

#include <stddef.h>

/* First names a generator draws from: the deploy generator the first GEN_FIRST_NAMES_DEPLOY
 * (the list grew after it; its seeds must keep giving the same scenarios), onboard all. */
enum { GEN_FIRST_NAMES_DEPLOY = 40, GEN_FIRST_NAMES = 48 };

/* "First Last" into buf: a first name of the first nfirst, then a last name, drawn from r. */
void gen_person_name(cpd_rng *r, int nfirst, char *buf, size_t len);

/* Sets every travel time of s (cpd_scenario_init_travel first) from its schools' places on a
 * square map km wide, x[i] and y[i] for school i, the trust's base in the middle: one way,
 * 5 minutes plus 1.5 a km as the crow flies, rounded to a whole minute. */
void gen_travel_from_map(cpd_scenario *s, const double *x, const double *y, double km);

#endif
