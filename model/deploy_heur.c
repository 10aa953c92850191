/* deploy_heur.c — the deploy job's own plan: a greedy construction by need (travel hours
 * priced, a few starts), a local search (ejection chains, reassignment, swaps, closing a school)
 * and a repair for --max-changes; also the rounding of an LP relaxation (GLPK's at its nodes, or
 * the Lagrangian's averaged relaxed plans). Moves are tried on a dp_state and undone through its
 * journal when they do not pay. */
#include "deploy_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LS_PASSES 40    /* local search passes at most (each is one sweep of every move) */
#define LP_LS_PASSES 4  /* a shorter search after rounding an LP, called at many nodes */
#define GAIN_EPS 1e-7   /* a move must gain this much: no cycling on rounding noise */
#define EJECT_DEPTH 2   /* an unmet demand may push others out, which may push others in turn */
#define SMALL_MODEL 5000 /* pairs: up to this, every start of the construction is tried */
#define BRANCH 4        /* coaches looked at more deeply for each demand placed by ejection */

/* ---- local: moves ---- */

static bool late(const dp_model *m) { return m->deadline < HUGE_VAL && dp_now() > m->deadline; }

static size_t cs(const dp_model *m, int c, int school) { return (size_t)c * m->ns + school; }

/* A move may not break more of last term's pairs than allowed (or, before the repair, more
 * than it already does). */
static bool changes_ok(const dp_state *st, int kept_before)
{
    const dp_model *m = st->m;
    return !m->changes_limited || st->kept >= m->need_kept || st->kept >= kept_before;
}

/* The best pair to give demand d to (coach other than skip), or -1; *gain its marginal value. */
static int best_insert(const dp_state *st, int d, int skip, double *gain)
{
    const dp_model *m = st->m;
    int best = -1;
    *gain = -HUGE_VAL;
    for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++) {
        int p = m->dpairs[k];
        if (m->pairs[p].coach == skip || !dp_state_can_add(st, p))
            continue;
        double g = dp_state_gain(st, p);
        if (g > *gain) {
            *gain = g;
            best = p;
        }
    }
    return best;
}

static void add_must_pins(dp_state *st)
{
    const dp_model *m = st->m;
    for (int d = 0; d < m->ndem; d++)
        if (m->must[d] >= 0 && st->assign[d] < 0)
            dp_state_add(st, dp_find_pair(m, m->must[d], d));
}

/* Sorting by a key, largest first, ties by index (qsort has no context argument in C11). */
typedef struct {
    double key;
    int idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorts idx[0..n) by key[idx] decreasing, ties by index. */
static void sort_by_key(int *idx, int n, const double *key, const dp_model *m)
{
    keyed *k = cpd_xmalloc((size_t)n * sizeof(keyed) + 1);
    for (int i = 0; i < n; i++)
        k[i] = (keyed){key ? key[idx[i]] : m->dem[idx[i]].weight, idx[i]};
    qsort(k, (size_t)n, sizeof(keyed), cmp_keyed);
    for (int i = 0; i < n; i++)
        idx[i] = k[i].idx;
    free(k);
}

/* Demands by decreasing weight, ties by index. */
static int *by_weight(const dp_model *m)
{
    int *order = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    for (int d = 0; d < m->ndem; d++)
        order[d] = d;
    sort_by_key(order, m->ndem, NULL, m);
    return order;
}

/* Each unmet demand, by need, to the coach with the best marginal value, if positive. */
/* The pair for d that maximises its marginal value less price * the round-trip hours it adds
 * (hours spent travelling are hours not spent coaching), with *gain its true marginal value. */
static int best_insert_priced(const dp_state *st, int d, double price, double *gain)
{
    const dp_model *m = st->m;
    int best = -1;
    double best_score = -HUGE_VAL;
    *gain = -HUGE_VAL;
    for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++) {
        int p = m->dpairs[k];
        if (!dp_state_can_add(st, p))
            continue;
        const dp_pair *q = &m->pairs[p];
        double g = dp_state_gain(st, p);
        bool new_school = st->nat[cs(m, q->coach, q->school)] == 0;
        double score = g - (new_school ? price * dp_rt(m, q->coach, q->school) : 0);
        if (score > best_score) {
            best_score = score;
            *gain = g;
            best = p;
        }
    }
    return best;
}

static void greedy_fill(dp_state *st, const int *order, double price)
{
    const dp_model *m = st->m;
    for (int i = 0; i < m->ndem; i++) {
        int d = order[i];
        double g;
        if (st->assign[d] >= 0)
            continue;
        int kept = st->kept;
        int p = best_insert_priced(st, d, price, &g);
        if (p >= 0 && g > GAIN_EPS) {
            dp_state_add(st, p);
            if (!changes_ok(st, kept))
                dp_state_undo(st, 0);
        }
        dp_state_commit(st);
    }
}

#define EJECT_MAX 8 /* demands ejected from one coach to make room, at most */

/* Whether pair q may be ejected: not pinned and, while max_changes is tight, not one of last
 * term's pairs. */
static bool ejectable(const dp_state *st, int q)
{
    const dp_model *m = st->m;
    if (m->pairs[q].must)
        return false;
    return !(m->pairs[q].prev && m->changes_limited && st->kept <= m->need_kept);
}

/* The next demand to eject from p's coach: the one serving p's teacher in another role, else
 * the least valuable per hour (per person when hours are not what is short). */
static int next_to_eject(const dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *pp = &m->pairs[p];
    int c = pp->coach, t = m->dem[pp->demand].teacher, worst = -1;
    double worst_key = HUGE_VAL;
    bool hours_short = st->used[c] + pp->hours > m->s->coaches[c].hours + DP_EPS;
    int n;
    const int *a = dp_state_assigned(st, c, &n);
    for (int i = 0; i < n; i++) {
        int q = a[i], d = m->pairs[q].demand;
        if (!ejectable(st, q))
            continue;
        if (m->dem[d].teacher == t)
            return q;
        double key = m->pairs[q].value / (hours_short ? fmax(m->pairs[q].hours, 1e-3) : 1);
        if (key < worst_key) {
            worst_key = key;
            worst = q;
        }
    }
    return worst;
}

static double place(dp_state *st, int d, int skip, int depth);

/* Puts pair p in, ejecting its coach's cheapest demands until it fits, then places each
 * ejected demand elsewhere (depth - 1 further ejections). The gain, or -HUGE_VAL when p cannot
 * be made to fit. Leaves the state changed. */
static double insert_ejecting(dp_state *st, int p, int depth)
{
    int ejected[EJECT_MAX], n = 0;
    double g = 0;
    while (!dp_state_can_add(st, p)) {
        int q = n < EJECT_MAX ? next_to_eject(st, p) : -1;
        if (q < 0)
            return -HUGE_VAL;
        ejected[n++] = st->m->pairs[q].demand;
        g += dp_state_remove(st, st->m->pairs[q].demand);
    }
    g += dp_state_add(st, p);
    for (int i = 0; i < n; i++)
        g += place(st, ejected[i], st->m->pairs[p].coach, depth - 1);
    return g;
}

/* The BRANCH pairs of d (coach other than skip) with the best gain when room is made by
 * ejection alone (the ejected left unmet): the candidates worth a deeper look. */
static int shortlist(dp_state *st, int d, int skip, int *best)
{
    const dp_model *m = st->m;
    double score[BRANCH];
    int n = 0;
    for (int k = m->dstart[d]; k < m->dstart[d + 1]; k++) {
        int p = m->dpairs[k];
        if (m->pairs[p].coach == skip)
            continue;
        int at = dp_state_mark(st);
        double g = insert_ejecting(st, p, 0);
        dp_state_undo(st, at);
        if (g == -HUGE_VAL || (n == BRANCH && g <= score[n - 1]))
            continue;
        int i = n < BRANCH ? n++ : n - 1;
        for (; i > 0 && score[i - 1] < g; i--) {
            score[i] = score[i - 1];
            best[i] = best[i - 1];
        }
        score[i] = g;
        best[i] = p;
    }
    return n;
}

/* Places unassigned demand d with a coach other than skip: directly (depth 0), or by making
 * room (depth > 0: the ejected are placed with depth - 1; depth < 0: left unmet). Applies the
 * best option found and returns its gain (0: d left unassigned). */
static double place(dp_state *st, int d, int skip, int depth)
{
    double g;
    if (depth < 0)
        return 0;
    if (depth == 0) {
        int direct = best_insert(st, d, skip, &g);
        return direct < 0 || g <= 0 ? 0 : dp_state_add(st, direct);
    }
    int cand[BRANCH], n = shortlist(st, d, skip, cand), best = -1;
    double best_g = 0;
    for (int i = 0; i < n; i++) {
        int at = dp_state_mark(st);
        double gp = insert_ejecting(st, cand[i], depth);
        if (gp > best_g + GAIN_EPS) {
            best_g = gp;
            best = cand[i];
        }
        dp_state_undo(st, at);
    }
    return best < 0 ? 0 : insert_ejecting(st, best, depth);
}

/* Every unmet demand, by need: straight in if a coach has room, else by ejection. */
static bool insert_pass(dp_state *st, const int *order)
{
    const dp_model *m = st->m;
    bool improved = false;
    for (int i = 0; i < m->ndem; i++) {
        int d = order[i];
        if (st->assign[d] >= 0)
            continue;
        double g;
        int kept = st->kept;
        int p = best_insert(st, d, -1, &g);
        if (p >= 0 && g > GAIN_EPS) {
            dp_state_add(st, p);
            if (changes_ok(st, kept)) {
                dp_state_commit(st);
                improved = true;
                continue;
            }
            dp_state_undo(st, 0);
        }
        if (dp_state_unchanged(st, d))
            continue;
        double before = st->obj;
        place(st, d, -1, EJECT_DEPTH);
        if (st->obj > before + GAIN_EPS && changes_ok(st, kept)) {
            improved = true;
        } else {
            dp_state_undo(st, 0);
            dp_state_mark_tried(st, d);
        }
        dp_state_commit(st);
    }
    return improved;
}

/* Each met demand to a better coach, or dropped when it costs more than it is worth. */
static bool reassign_pass(dp_state *st)
{
    const dp_model *m = st->m;
    bool improved = false;
    for (int d = 0; d < m->ndem; d++) {
        int p = st->assign[d];
        if (p < 0 || m->pairs[p].must)
            continue;
        int kept = st->kept;
        double g = dp_state_remove(st, d), g2;
        int r = best_insert(st, d, m->pairs[p].coach, &g2);
        if (r >= 0 && g2 > 0) {
            g += g2;
            dp_state_add(st, r);
        }
        if (g > GAIN_EPS && changes_ok(st, kept))
            improved = true;
        else
            dp_state_undo(st, 0);
        dp_state_commit(st);
    }
    return improved;
}

/* d1 (at c1) and d2 (at c2) exchange coaches; true when that pays (and is then kept). */
static bool try_swap(dp_state *st, int d1, int q, int p2)
{
    const dp_model *m = st->m;
    int kept = st->kept;
    int d2 = m->pairs[p2].demand;
    int r = dp_find_pair(m, m->pairs[st->assign[d1]].coach, d2);
    if (r < 0)
        return false;
    double g = dp_state_remove(st, d1) + dp_state_remove(st, d2);
    bool done = false;
    if (dp_state_can_add(st, q)) {
        g += dp_state_add(st, q);
        if (dp_state_can_add(st, r)) {
            g += dp_state_add(st, r);
            done = g > GAIN_EPS && changes_ok(st, kept);
        }
    }
    if (!done)
        dp_state_undo(st, 0);
    dp_state_commit(st);
    return done;
}

static bool swap_pass(dp_state *st)
{
    const dp_model *m = st->m;
    bool improved = false;
    for (int d1 = 0; d1 < m->ndem; d1++) {
        bool moved = false;
        for (int k = m->dstart[d1]; k < m->dstart[d1 + 1] && !moved; k++) {
            int p1 = st->assign[d1], q = m->dpairs[k];
            if (p1 < 0 || m->pairs[p1].must)
                break;
            int c2 = m->pairs[q].coach;
            if (c2 == m->pairs[p1].coach)
                continue;
            int n;
            const int *a = dp_state_assigned(st, c2, &n);
            int *buf = dp_state_scratch(st);
            memcpy(buf, a, (size_t)n * sizeof(int)); /* a tried swap reorders the list */
            for (int i = 0; i < n && !moved; i++)
                if (!m->pairs[buf[i]].must)
                    moved = try_swap(st, d1, q, buf[i]);
        }
        improved |= moved;
    }
    return improved;
}

/* Coach c's unmet-demand pairs, most valuable first, while they fit and pay. */
static void fill_coach(dp_state *st, int c, const int *by_value)
{
    const dp_model *m = st->m;
    for (int k = m->cstart[c]; k < m->cstart[c + 1]; k++) {
        int q = by_value[k];
        if (st->assign[m->pairs[q].demand] < 0 && dp_state_can_add(st, q) && dp_state_gain(st, q) > 0)
            dp_state_add(st, q);
    }
}

/* Coach c stops going to school s (its round trip freed): the coachees there go to other
 * coaches (making room by one ejection), and c's freed hours take unmet demands. */
static bool try_close(dp_state *st, int c, int school, const int *by_value)
{
    const dp_model *m = st->m;
    int n, moved[EJECT_MAX], nm = 0, kept = st->kept;
    const int *a = dp_state_assigned(st, c, &n);
    for (int i = 0; i < n; i++) {
        int q = a[i];
        if (m->pairs[q].school != school)
            continue;
        if (m->pairs[q].must || nm == EJECT_MAX)
            return false;
        moved[nm++] = m->pairs[q].demand;
    }
    double before = st->obj;
    for (int i = 0; i < nm; i++)
        dp_state_remove(st, moved[i]);
    for (int i = 0; i < nm; i++)
        place(st, moved[i], c, 1);
    fill_coach(st, c, by_value);
    bool done = st->obj > before + GAIN_EPS && changes_ok(st, kept);
    if (!done)
        dp_state_undo(st, 0);
    dp_state_commit(st);
    return done;
}

static bool close_pass(dp_state *st, const int *by_value)
{
    const dp_model *m = st->m;
    bool improved = false;
    for (int c = 0; c < m->nc; c++)
        for (int k = 0; k < m->ns; k++)
            if (st->nat[cs(m, c, k)] > 0 && dp_rt(m, c, k) > 0)
                improved |= try_close(st, c, k, by_value);
    return improved;
}

/* Each coach's pairs, most valuable first (ties by index). */
static int *pairs_by_value(const dp_model *m)
{
    int *order = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1);
    double *val = cpd_xmalloc((size_t)m->npairs * sizeof(double) + 1);
    for (int p = 0; p < m->npairs; p++) {
        order[p] = p;
        val[p] = m->pairs[p].value;
    }
    for (int c = 0; c < m->nc; c++)
        sort_by_key(order + m->cstart[c], m->cstart[c + 1] - m->cstart[c], val, m);
    free(val);
    return order;
}

/* ---- local: re-planning one coach ---- */

#define KNAP_UNIT (1.0 / 30) /* hours: two minutes at the finest (the exact grid when coarser) */
#define MUST_VALUE 1e7       /* a must pin's worth to the knapsack: always taken */

typedef struct {
    dp_knap *k;
    double *r;     /* per pair: its worth to its coach's knapsack */
    int *out, *had, *others;
    const int *by_value;
} replan;

/* What pair p is worth to its coach's knapsack: its value, less what taking its demand from
 * another coach loses there (that pair's value, less the round trip it alone pays for); 0
 * (left out) when that pair may not move. */
static double replan_value(const dp_state *st, int p)
{
    const dp_model *m = st->m;
    const dp_pair *q = &m->pairs[p];
    int a = st->assign[q->demand];
    if (q->must)
        return MUST_VALUE;
    if (a < 0 || a == p)
        return q->value;
    if (!ejectable(st, a))
        return 0;
    const dp_pair *o = &m->pairs[a];
    bool alone = st->nat[cs(m, o->coach, o->school)] == 1;
    return q->value - o->value + (alone ? dp_tcost(m, o->coach, o->school) : 0);
}

/* Coach c's value now in the knapsack's terms: its pairs less its schools' travel cost. */
static double coach_value(const dp_state *st, int c)
{
    const dp_model *m = st->m;
    int n;
    const int *a = dp_state_assigned(st, c, &n);
    double v = 0;
    for (int i = 0; i < n; i++)
        v += m->pairs[a[i]].must ? MUST_VALUE : m->pairs[a[i]].value;
    for (int k = 0; k < m->ns; k++)
        v -= st->nat[cs(m, c, k)] > 0 ? dp_tcost(m, c, k) : 0;
    return v;
}

/* Gives coach c the knapsack's best set against the rest of the plan: its demands that leave
 * go elsewhere if they can, demands taken from other coaches free their hours for unmet ones.
 * Kept when the plan gains. */
static bool replan_coach(dp_state *st, replan *R, int c)
{
    const dp_model *m = st->m;
    for (int p = m->cstart[c]; p < m->cstart[c + 1]; p++)
        R->r[p] = replan_value(st, p);
    double v;
    int n = dp_knap_solve(R->k, c, R->r, R->out, &v);
    if (v <= coach_value(st, c) + GAIN_EPS)
        return false;
    int kept = st->kept, nhad, nothers = 0;
    double before = st->obj;
    const int *a = dp_state_assigned(st, c, &nhad);
    memcpy(R->had, a, (size_t)nhad * sizeof(int));
    for (int i = 0; i < nhad; i++)
        if (!m->pairs[R->had[i]].must)
            dp_state_remove(st, m->pairs[R->had[i]].demand);
    for (int i = 0; i < n; i++) {
        int p = R->out[i], d = m->pairs[p].demand;
        if (st->assign[d] == p)
            continue;
        if (st->assign[d] >= 0) {
            R->others[nothers++] = m->pairs[st->assign[d]].coach;
            dp_state_remove(st, d);
        }
        if (dp_state_can_add(st, p))
            dp_state_add(st, p);
    }
    for (int i = 0; i < nhad; i++)
        if (st->assign[m->pairs[R->had[i]].demand] < 0)
            place(st, m->pairs[R->had[i]].demand, c, 0);
    for (int i = 0; i < nothers; i++)
        fill_coach(st, R->others[i], R->by_value);
    fill_coach(st, c, R->by_value);
    bool done = st->obj > before + GAIN_EPS && changes_ok(st, kept);
    if (!done)
        dp_state_undo(st, 0);
    dp_state_commit(st);
    return done;
}

static bool replan_pass(dp_state *st, replan *R)
{
    bool improved = false;
    for (int c = 0; c < st->m->nc && !late(st->m); c++)
        improved |= replan_coach(st, R, c);
    return improved;
}

static void replan_init(replan *R, const dp_model *m, const int *by_value)
{
    size_t n = (size_t)m->npairs + 1;
    *R = (replan){.k = dp_knap_new(m, fmax(KNAP_UNIT, dp_exact_unit(m))), .r = cpd_xmalloc(n * sizeof(double)),
                  .out = cpd_xmalloc(n * sizeof(int)), .had = cpd_xmalloc(n * sizeof(int)),
                  .others = cpd_xmalloc(n * sizeof(int)), .by_value = by_value};
}

static void replan_free(replan *R)
{
    dp_knap_free(&R->k);
    free(R->r);
    free(R->out);
    free(R->had);
    free(R->others);
}

/* The moves, pass after pass, until none pays; with replanning, each coach is then re-planned
 * whole by its knapsack, and the passes go on while that pays. */
static void local_search(dp_state *st, const int *order, int passes, bool with_replan)
{
    int *by_value = pairs_by_value(st->m);
    replan R;
    if (with_replan)
        replan_init(&R, st->m, by_value);
    for (int i = 0; i < passes && !late(st->m); i++) {
        bool a = insert_pass(st, order);
        bool b = reassign_pass(st);
        bool c = swap_pass(st);
        bool d = close_pass(st, by_value);
        bool e = !a && !b && !c && !d && with_replan && replan_pass(st, &R);
        dp_state_refresh(st);
        if (!a && !b && !c && !d && !e)
            break;
    }
    if (with_replan)
        replan_free(&R);
    free(by_value);
}

/* ---- local: the max_changes repair ---- */

/* Makes room at c for pair p by ejecting c's lowest-valued demands that are neither pinned nor
 * last term's, then re-places them where they fit best. False when no room can be made. */
static bool make_room(dp_state *st, int p)
{
    const dp_model *m = st->m;
    int c = m->pairs[p].coach;
    int ejected[64], ne = 0;
    while (!dp_state_can_add(st, p) && ne < 64) {
        int worst = -1, n;
        const int *a = dp_state_assigned(st, c, &n);
        for (int i = 0; i < n; i++) {
            const dp_pair *q = &m->pairs[a[i]];
            if (q->must || q->prev)
                continue;
            /* the least valuable; ties by pair index, as the list's order varies */
            double wv = worst < 0 ? HUGE_VAL : m->pairs[worst].value;
            if (q->value < wv || (q->value == wv && a[i] < worst))
                worst = a[i];
        }
        if (worst < 0)
            return false;
        ejected[ne++] = m->pairs[worst].demand;
        dp_state_remove(st, m->pairs[worst].demand);
    }
    if (!dp_state_can_add(st, p))
        return false;
    dp_state_add(st, p);
    for (int i = 0; i < ne; i++) {
        double g;
        int r = best_insert(st, ejected[i], c, &g);
        if (r >= 0 && g > 0)
            dp_state_add(st, r);
    }
    return true;
}

/* Restores pair p of P (its demand leaves its current coach); the change of objective, or
 * -HUGE_VAL when it cannot be done. Leaves the state changed: the caller undoes or commits. */
static double restore(dp_state *st, int p)
{
    int d = st->m->pairs[p].demand;
    double before = st->obj;
    if (st->assign[d] >= 0)
        dp_state_remove(st, d);
    if (!make_room(st, p))
        return -HUGE_VAL;
    return st->obj - before;
}

/* While more pairs of P are broken than allowed, restores the one that costs least. */
static bool repair_changes(dp_state *st)
{
    const dp_model *m = st->m;
    while (m->changes_limited && st->kept < m->need_kept) {
        int best = -1;
        double best_g = -HUGE_VAL;
        for (int p = 0; p < m->npairs; p++) {
            int d = m->pairs[p].demand;
            if (!m->pairs[p].prev || st->assign[d] == p ||
                (st->assign[d] >= 0 && m->pairs[st->assign[d]].prev))
                continue;
            double g = restore(st, p);
            if (g > best_g) {
                best_g = g;
                best = p;
            }
            dp_state_undo(st, 0);
        }
        if (best < 0 || best_g == -HUGE_VAL)
            return false;
        restore(st, best);
        dp_state_commit(st);
    }
    return true;
}

/* ---- interface: heuristics ---- */

/* One construction with travel hours priced at price, then the search and the repair. */
static bool construct(dp_state *st, const int *order, double price)
{
    dp_state_clear(st);
    add_must_pins(st);
    dp_state_commit(st);
    greedy_fill(st, order, price);
    local_search(st, order, LS_PASSES, false);
    if (st->m->changes_limited && st->kept < st->m->need_kept) {
        repair_changes(st);
        local_search(st, order, LS_PASSES, false);
    }
    dp_state_refresh(st);
    return dp_state_feasible(st);
}

bool dp_heuristic(dp_state *st)
{
    /* Travel hours priced at a few levels, each a fresh start; small models try them all. */
    static const double prices[] = {50, 200, 0, 100, 400};
    size_t starts = st->m->npairs <= SMALL_MODEL ? sizeof prices / sizeof prices[0] : 2;
    int *order = by_weight(st->m);
    dp_state *best = dp_state_new(st->m);
    bool best_ok = false;
    for (size_t i = 0; i < starts; i++) {
        bool ok = construct(st, order, prices[i]);
        if ((ok && !best_ok) || (ok == best_ok && st->obj > best->obj + GAIN_EPS)) {
            dp_state_copy(best, st);
            best_ok = ok;
        }
    }
    dp_state_copy(st, best);
    dp_state_free(&best);
    free(order);
    /* Re-planning whole coaches pays most on the best start only. */
    return best_ok ? dp_polish(st) : false;
}

bool dp_heuristic_from_lp(dp_state *st, const double *lpx, bool thorough)
{
    int passes = thorough ? LS_PASSES : LP_LS_PASSES;
    const dp_model *m = st->m;
    int *order = by_weight(m);
    int *cand = cpd_xmalloc((size_t)m->npairs * sizeof(int) + 1), n = 0;
    for (int p = 0; p < m->npairs; p++)
        if (lpx[p] > 0.5)
            cand[n++] = p;
    sort_by_key(cand, n, lpx, m);
    dp_state_clear(st);
    add_must_pins(st);
    for (int i = 0; i < n; i++)
        if (dp_state_can_add(st, cand[i]))
            dp_state_add(st, cand[i]);
    dp_state_commit(st);
    greedy_fill(st, order, 0);
    local_search(st, order, passes, thorough);
    if (m->changes_limited && st->kept < m->need_kept) {
        repair_changes(st);
        local_search(st, order, passes, thorough);
    }
    dp_state_refresh(st);
    free(cand);
    free(order);
    return dp_state_feasible(st);
}

bool dp_polish(dp_state *st)
{
    int *order = by_weight(st->m);
    local_search(st, order, LS_PASSES, true);
    if (st->m->changes_limited && st->kept < st->m->need_kept) {
        repair_changes(st);
        local_search(st, order, LS_PASSES, true);
    }
    dp_state_refresh(st);
    free(order);
    return dp_state_feasible(st);
}

/* ---- ruin and recreate ---- */

#define RUIN_COACHES 6 /* coaches emptied at once, at most */

/* A deterministic generator: the same plan, seed and count give the same search. */
static unsigned next_rand(uint64_t *x, unsigned n)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((*x >> 33) % n);
}

/* The coaches (up to RUIN_COACHES) who work at the school of a random pair of coach c: they
 * compete for the same teachers, so re-planning them together can undo what one move cannot. */
static int pick_ruined(const dp_state *st, uint64_t *rng, int *who)
{
    const dp_model *m = st->m;
    int c = (int)next_rand(rng, (unsigned)m->nc), n;
    const int *a = dp_state_assigned(st, c, &n);
    if (n == 0)
        return 0;
    int school = m->pairs[a[next_rand(rng, (unsigned)n)]].school, k = 0;
    who[k++] = c;
    for (int j = 0; j < m->nc && k < RUIN_COACHES; j++) {
        int o = (c + 1 + j) % m->nc;
        if (o != c && st->nat[cs(m, o, school)] > 0)
            who[k++] = o;
    }
    return k;
}

bool dp_ruin_recreate(dp_state *st, int iters, uint64_t seed)
{
    const dp_model *m = st->m;
    int *by_value = pairs_by_value(m), who[RUIN_COACHES];
    dp_state *backup = dp_state_new(m);
    int *freed = cpd_xmalloc((size_t)m->ndem * sizeof(int) + 1);
    replan R;
    replan_init(&R, m, by_value);
    uint64_t rng = seed;
    for (int it = 0; it < iters && !late(m); it++) {
        int k = pick_ruined(st, &rng, who);
        if (k == 0)
            continue;
        dp_state_copy(backup, st);
        int kept = st->kept, nfreed = 0;
        for (int i = 0; i < k; i++) {
            int n;
            const int *a = dp_state_assigned(st, who[i], &n);
            memcpy(R.had, a, (size_t)n * sizeof(int));
            for (int j = 0; j < n; j++)
                if (!m->pairs[R.had[j]].must) {
                    freed[nfreed++] = m->pairs[R.had[j]].demand;
                    dp_state_remove(st, m->pairs[R.had[j]].demand);
                }
        }
        dp_state_commit(st);
        for (int i = k - 1; i >= 0; i--)
            replan_coach(st, &R, who[i]);
        /* the demands the re-planned coaches did not take back: elsewhere, making room */
        for (int i = 0; i < nfreed; i++)
            if (st->assign[freed[i]] < 0)
                place(st, freed[i], -1, 1);
        dp_state_commit(st);
        dp_state_refresh(st);
        if (st->obj <= backup->obj + GAIN_EPS || !changes_ok(st, kept))
            dp_state_copy(st, backup);
    }
    replan_free(&R);
    dp_state_free(&backup);
    free(freed);
    free(by_value);
    return dp_state_feasible(st);
}
