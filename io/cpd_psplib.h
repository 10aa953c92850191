/* cpd_psplib.h — a single-mode RCPSP instance in PSPLIB's .sm format read as an onboarding
 * programme, so that project scheduling benchmarks run through the onboard job's model,
 * heuristic and engine: one joining school (the project), one activity per real job (the dummy
 * source and sink left out: the makespan objective needs neither), a job of d periods lasting d
 * half-days, each renewable resource of capacity c as c interchangeable people of one role
 * ("r1" .. "r4"), a job using u units needing "rK:u", successors as `after`. The programme's
 * days cover the file's horizon; starts may fall in any half-day (morning_starts false); the
 * objective is the makespan with the late, target and school-week weights at 0.
 *
 * Ownership: returns a programme the caller frees with cpd_onboard_free(&p), or NULL with an
 * error (file:line) in d. */
#ifndef CPD_PSPLIB_H
#define CPD_PSPLIB_H

#include "cpd_onboard.h"

cpd_onboard *cpd_psplib_read(const char *path, cpd_diags *d);

#endif
