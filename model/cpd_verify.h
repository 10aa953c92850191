/* cpd_verify.h — re-checking a written plan against the scenario, with code of its own: it
 * shares nothing with the formulation it checks, so a wrong model cannot vouch for itself.
 * Each breach is added to the cpd_diags as an error naming the people involved. */
#ifndef CPD_VERIFY_H
#define CPD_VERIFY_H

#include "cpd_deploy.h"
#include "cpd_inset.h"
#include "cpd_onboard.h"

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

/* Returns the number of breaches of an onboarding schedule, with its own count of the tasks
 * each activity makes per school: every task appears once (placed, or listed unmet); starts in
 * the horizon, whole-day tasks in a morning, never before the window, late ones listed unmet;
 * needs filled by distinct resources of their roles (the deployed coach when `coach`); a
 * resource in one task per period, at one school a day (unless within short_travel), within
 * its days a week and never on a date away; precedence; a person in one task per period;
 * the cover limit; all-staff training only on training days or in a twilight afternoon.
 * Each breach is an error naming the task (activity, school, staff, week, day) and the rule.
 *
 * Precedence, as checked: task j of activity A (school s, person t, week w) starts no earlier
 * than the end of every task i of each activity B in A's `after` at the same school, narrowed
 * to the same person when both are per-person and B's per holds t, and to the same week when
 * both repeat weekly; an unplaced i leaves j unplaced. */
int cpd_verify_onboard(const cpd_onboard *p, const cpd_onboard_plan *plan, cpd_diags *d);

#endif
