/* inset_data.c — the inset's runs and, per person and workshop, who may attend, at what rank and
 * value, what is mandatory or pinned, and when facilitators are busy. */
#include "inset_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Outside places are worth outside_value plus up to SPREAD, more for workshops fewer people
 * chose: people with no preferences go where there is room rather than all to one workshop. */
#define SPREAD 0.01

/* ---- local ---- */

static bool has_role(const cpd_strlist *l, const char *role)
{
    for (int i = 0; i < l->n; i++)
        if (role && strcasecmp(l->items[i], role) == 0)
            return true;
    return false;
}

/* Runs (w, s) for each start bit of w whose slots fit in the day, by workshop then start. */
static void make_runs(is_model *m)
{
    const cpd_inset *p = m->p;
    m->runs = cpd_xmalloc((size_t)(p->nworkshops * IS_MAX_SLOTS) * sizeof(is_run) + 1);
    for (int w = 0; w < p->nworkshops; w++) {
        const cpd_workshop *k = &p->workshops[w];
        int len = k->length > 0 ? k->length : 1;
        for (int s = 1; s <= m->S && s <= IS_MAX_SLOTS; s++)
            if ((k->starts >> (s - 1)) & 1u && s + len - 1 <= m->S)
                m->runs[m->nruns++] = (is_run){w, s, len, k->capacity, k->min_size};
    }
}

static bool is_facilitator(const cpd_workshop *k, int t)
{
    for (int i = 0; i < k->nfacilitators; i++)
        if (k->facilitators[i] == t)
            return true;
    return false;
}

static void read_prefs(is_model *m)
{
    const cpd_inset *p = m->p;
    for (int i = 0; i < p->nprefs; i++) {
        const cpd_preference *pr = &p->prefs[i];
        if (pr->staff < 0 || pr->staff >= m->T)
            continue;
        if (pr->nchoices > m->K)
            m->K = pr->nchoices;
        for (int c = 0; c < pr->nchoices; c++) {
            int w = pr->choices[c];
            if (w >= 0 && w < m->W && m->rank[is_tw(m, pr->staff, w)] == 0)
                m->rank[is_tw(m, pr->staff, w)] = c + 1;
        }
    }
}

static void read_eligibility(is_model *m)
{
    const cpd_inset *p = m->p;
    for (int t = 0; t < m->T; t++) {
        const char *role = p->common->staff[t].role;
        for (int w = 0; w < m->W; w++) {
            const cpd_workshop *k = &p->workshops[w];
            bool ok = (k->audience.n == 0 || has_role(&k->audience, role)) && !is_facilitator(k, t);
            m->ok[is_tw(m, t, w)] = ok;
            m->mand[is_tw(m, t, w)] = ok && has_role(&k->mandatory_for, role);
            m->pin[is_tw(m, t, w)] = -1;
        }
    }
    for (int i = 0; i < p->npins; i++) {
        const cpd_inset_pin *q = &p->pins[i];
        if (q->staff < 0 || q->staff >= m->T || q->workshop < 0 || q->workshop >= m->W)
            continue;
        size_t k = is_tw(m, q->staff, q->workshop);
        if (!q->must)
            m->ok[k] = m->mand[k] = 0;
        else if (m->pin[k] < 0 || q->slot > 0)
            m->pin[k] = q->slot;
    }
    for (int i = 0; i < p->npins; i++) /* a never pin beats a must pin: check reports it */
        if (!p->pins[i].must && p->pins[i].staff >= 0 && p->pins[i].staff < m->T &&
            p->pins[i].workshop >= 0 && p->pins[i].workshop < m->W)
            m->pin[is_tw(m, p->pins[i].staff, p->pins[i].workshop)] = -1;
}

/* Per-slot values: (K - r + 1)^p for rank r, else outside_value + spread. */
static void read_values(is_model *m)
{
    const cpd_inset_params *pa = &m->p->params;
    int *pop = cpd_xcalloc((size_t)m->W + 1, sizeof(int));
    int maxpop = 1;
    for (size_t i = 0; i < (size_t)m->T * m->W; i++)
        if (m->rank[i] > 0 && ++pop[i % (size_t)m->W] > maxpop)
            maxpop = pop[i % (size_t)m->W];
    m->vmax = fmax(1, pa->outside_value + SPREAD);
    for (int t = 0; t < m->T; t++)
        for (int w = 0; w < m->W; w++) {
            size_t k = is_tw(m, t, w);
            int r = m->rank[k];
            m->val[k] = r > 0 ? pow(m->K - r + 1, pa->rank_power)
                              : pa->outside_value + SPREAD * (1.0 - (double)pop[w] / maxpop);
            m->vmax = fmax(m->vmax, m->val[k]);
            if (m->ok[k] && r > 0)
                m->nchoices[t]++;
            m->nmand[t] += m->mand[k];
        }
    free(pop);
    /* An unplaced slot must cost more than any reshuffle of places it could pay for. */
    m->U = 10.0 * m->S * (m->vmax + 1);
    m->M = m->U / 2;
}

static void read_facilitators(is_model *m)
{
    const cpd_inset *p = m->p;
    int *cnt = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int r = 0; r < m->nruns; r++) {
        const cpd_workshop *k = &p->workshops[m->runs[r].workshop];
        for (int i = 0; i < k->nfacilitators; i++)
            if (k->facilitators[i] >= 0 && k->facilitators[i] < m->T)
                cnt[k->facilitators[i]]++;
    }
    m->fstart = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    for (int t = 0; t < m->T; t++)
        m->fstart[t + 1] = m->fstart[t] + cnt[t];
    m->fruns = cpd_xmalloc((size_t)m->fstart[m->T] * sizeof(int) + 1);
    memset(cnt, 0, (size_t)m->T * sizeof(int));
    for (int r = 0; r < m->nruns; r++) {
        const is_run *u = &m->runs[r];
        const cpd_workshop *k = &p->workshops[u->workshop];
        for (int i = 0; i < k->nfacilitators; i++) {
            int t = k->facilitators[i];
            if (t < 0 || t >= m->T)
                continue;
            m->fruns[m->fstart[t] + cnt[t]++] = r;
            for (int s = u->start; s < u->start + u->len && u->min <= 0; s++)
                m->fixed_busy[(size_t)t * m->S + s - 1]++;
        }
    }
    free(cnt);
}

/* rmin[t]: the smallest r whose top-r choices (that t may attend) fill the slots t is free. */
static void read_rmin(is_model *m)
{
    for (int t = 0; t < m->T; t++) {
        int need = 0, have = 0;
        for (int s = 0; s < m->S; s++)
            need += m->fixed_busy[(size_t)t * m->S + s] == 0;
        m->rmin[t] = m->K + 1;
        for (int r = 1; r <= m->K && need > 0; r++) {
            for (int w = 0; w < m->W; w++) {
                size_t k = is_tw(m, t, w);
                if (m->rank[k] != r || !m->ok[k])
                    continue;
                const cpd_workshop *ws = &m->p->workshops[w];
                have += ws->length > 0 ? ws->length : 1;
            }
            if (have >= need) {
                m->rmin[t] = r;
                break;
            }
        }
    }
}

/* ---- interface ---- */

size_t is_tw(const is_model *m, int t, int w) { return (size_t)t * m->W + w; }

bool is_run_covers(const is_run *r, int s) { return s >= r->start && s < r->start + r->len; }

int is_run_covering(const is_model *m, int w, int s)
{
    for (int r = 0; r < m->nruns; r++)
        if (m->runs[r].workshop == w && is_run_covers(&m->runs[r], s))
            return r;
    return -1;
}

bool is_allowed(const is_model *m, int t, int w)
{
    size_t k = is_tw(m, t, w);
    if (!m->ok[k])
        return false;
    if (m->nchoices[t] == 0 || m->R > m->K || m->pin[k] >= 0 || m->mand[k])
        return true;
    int lim = m->R > m->rmin[t] ? m->R : m->rmin[t];
    int r = m->rank[k] > 0 ? m->rank[k] : m->K + 1;
    return r <= lim;
}

double is_score(const is_model *m, int t, int r)
{
    size_t k = is_tw(m, t, m->runs[r].workshop);
    return m->runs[r].len * m->val[k] + (m->mand[k] ? m->M : 0);
}

void is_slot_count(const is_model *m, int s, int *people, int *seats)
{
    *people = *seats = 0;
    for (int t = 0; t < m->T; t++)
        *people += m->fixed_busy[(size_t)t * m->S + s - 1] == 0;
    for (int r = 0; r < m->nruns; r++)
        if (is_run_covers(&m->runs[r], s))
            *seats += m->runs[r].cap;
}

void is_model_build(const cpd_inset *p, is_model *m)
{
    *m = (is_model){.p = p, .S = p->params.nslots, .T = p->common->nstaff, .W = p->nworkshops};
    if (m->S > IS_MAX_SLOTS)
        m->S = IS_MAX_SLOTS;
    if (m->S < 1)
        m->S = 1;
    size_t tw = (size_t)m->T * m->W + 1, ts = (size_t)m->T * m->S + 1;
    m->rank = cpd_xcalloc(tw, sizeof(int));
    m->ok = cpd_xcalloc(tw, 1);
    m->mand = cpd_xcalloc(tw, 1);
    m->pin = cpd_xcalloc(tw, sizeof(int));
    m->val = cpd_xcalloc(tw, sizeof(double));
    m->nmand = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->nchoices = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->rmin = cpd_xcalloc((size_t)m->T + 1, sizeof(int));
    m->fixed_busy = cpd_xcalloc(ts, sizeof(int));
    make_runs(m);
    read_prefs(m);
    read_eligibility(m);
    read_values(m);
    read_facilitators(m);
    read_rmin(m);
    m->R = m->K + 1;
}

void is_model_free(is_model *m)
{
    free(m->runs);
    free(m->rank);
    free(m->ok);
    free(m->mand);
    free(m->pin);
    free(m->val);
    free(m->nmand);
    free(m->nchoices);
    free(m->rmin);
    free(m->fixed_busy);
    free(m->fstart);
    free(m->fruns);
    *m = (is_model){0};
}
