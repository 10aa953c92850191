/* cpd_generate.h — synthetic scenarios of a given size, reproducible from a seed (the same seed
 * gives the same scenario on every machine: the generator has its own PRNG).
 * Ownership: returns a scenario the caller frees with cpd_scenario_free(&s). */
#ifndef CPD_GENERATE_H
#define CPD_GENERATE_H

#include "cpd_scenario.h"

/* A trust of nschools schools, nstaff staff (about 15% ECT-free need levels spread as a
 * termly diagnostic would give them), coaches in proportion (about 6 per 100 staff), travel
 * times from school positions on a map, a previous term and a few pins. */
cpd_scenario *cpd_generate_deploy(int nstaff, int nschools, unsigned long seed);

#endif
