/* cpd_generate.h — synthetic scenarios of a given size, reproducible from a seed (the same seed
 * gives the same scenario on every machine: the generator has its own PRNG).
 * Ownership: returns a scenario the caller frees with cpd_scenario_free(&s). */
#ifndef CPD_GENERATE_H
#define CPD_GENERATE_H

#include "cpd_inset.h"
#include "cpd_onboard.h"
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

/* Adds the trust's model onboarding programme to p as activities (ids such as coach_day,
 * marking_training, exec_visit; the table is in cpd_generate_onboard.c). Windows are clipped
 * to p's calendar; it assumes two training days at the start and twilights on Tuesdays and
 * Thursdays, as the generated and bundled scenarios set. */
void cpd_onboard_model_programme(cpd_onboard *p);

/* The calendar the model programme is written for: start Wednesday 2027-09-01, 20 days, no
 * closures, training days 1 and 2 September, twilights on Tuesdays and Thursdays (without
 * training days or twilights its all-staff trainings cannot be placed). Other settings are
 * left as they are. */
void cpd_onboard_model_calendar(cpd_onboard *p);

/* nschools schools joining the trust (nstaff staff among them, 20-60 each when nstaff allows,
 * one headteacher and one senior leader each) and a few existing trust schools that are not
 * joining, whose people form the pool: an LP and a DOL per joining school (two of each at
 * least, one in five on 4 days), as many OTs released two or three days a week, one SENCO and
 * one executive head, a third with a date or two away; travel from positions on a map; the
 * model programme on the model calendar, two schools within 20 minutes sharing a day. Caller
 * frees with cpd_onboard_free(&p). */
cpd_onboard *cpd_generate_onboard(int nstaff, int nschools, unsigned long seed);

#endif
