/* cpd_generate.h — synthetic scenarios of a given size, reproducible from a seed (the same seed
 * gives the same scenario on every machine: the generator has its own PRNG).
 * Ownership: returns a scenario the caller frees with cpd_scenario_free(&s). */
#ifndef CPD_GENERATE_H
#define CPD_GENERATE_H

#include "cpd_inset.h"
#include "cpd_scenario.h"

/* A trust of nschools schools, nstaff staff (about 15% ECT-free need levels spread as a
 * termly diagnostic would give them), coaches in proportion (about 6 per 100 staff), travel
 * times from school positions on a map, a previous term and a few pins. */
cpd_scenario *cpd_generate_deploy(int nstaff, int nschools, unsigned long seed);

/* A training day of nstaff staff across nschools schools, nworkshops workshops over nslots
 * slots, most offered in two or three slots, a few of length 2, some with min_size, audience and
 * mandatory_for (safeguarding for everyone new, PREVENT for ECTs), facilitators from the staff,
 * and ranked preferences (up to 6 choices, popular workshops more often, ~5% with none). */
cpd_inset *cpd_generate_inset(int nstaff, int nschools, int nworkshops, int nslots,
                              unsigned long seed);

#endif
