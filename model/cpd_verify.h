/* cpd_verify.h — re-checking a written plan against the scenario, with code of its own: it
 * shares nothing with the formulation it checks, so a wrong model cannot vouch for itself.
 * Each breach is added to the cpd_diags as an error naming the people involved. */
#ifndef CPD_VERIFY_H
#define CPD_VERIFY_H

#include "cpd_deploy.h"
#include "cpd_inset.h"

/* Returns the number of breaches (0: the plan keeps every rule). Checks: every demand of the
 * scenario appears once, met or unmet; coach provides the service; subject fit; same-school
 * rules; hours incl. travel once per school within the coach's hours; max_coachees,
 * max_schools; pins; max_changes; the loads written agree with the rows. */
int cpd_verify_deploy(const cpd_scenario *s, const cpd_deploy_plan *p, cpd_diags *d);

/* Returns the number of breaches of an inset plan: everyone has exactly one thing per slot
 * (a place, facilitating, or a listed unmet row); a facilitator is not placed in a slot of a run
 * they deliver; capacity; no workshop twice; audience; mandatory workshops attended once (or
 * listed unmet); a length-2 workshop keeps the same people in both slots; cancelled runs hold
 * nobody and runs held meet min_size; pins; ranks written agree with the preferences. */
int cpd_verify_inset(const cpd_inset *p, const cpd_inset_plan *plan, cpd_diags *d);

#endif
