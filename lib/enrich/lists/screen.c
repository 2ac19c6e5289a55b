/* SPDX-License-Identifier: Apache-2.0 */
/*
 * screen.c - screening of one record against the watch lists, once per record, before
 * any rule runs: the sanctions list (data/sanctions_sdn_itw.tsv, OFAC SDN entries
 * relevant to DPRK IT workers) and the front-company list (data/front_companies.tsv,
 * fronts named in US actions). The hits are data on the enrichment
 * (idr__record_facts: sanctions, fronts, front_domains); pay_sanctions_match,
 * pay_front_company_match (lib/rules/payment.c) and eml_front_company_domain
 * (lib/rules/email.c) only report them.
 *
 * What is screened: the payee company, the account holder, the staffing firm or
 * employer of record, the employers on the resume (names); the payout wallets (exact
 * address); for sanctions also the candidate's and references' email addresses and
 * phones and the employers' domains (exact address, E.164 number, domain or
 * subdomain). The sanctions list is the curated file plus the user's full list when
 * configured (IDR_CFG_SANCTIONS_FILE, userlist.c). The candidate's own
 * name is not screened: in these schemes it is usually a stolen or rented identity of
 * a real person [P25].
 *
 * Name matching (docs/sanctions.md; the keys and the index are match.c's):
 *  - entities: organisation keys (legal forms, abbreviations, joined words), paired
 *    word for word in any order, every pair at least 0.80 alike and the mean at least
 *    IDR__SCREEN_MATCH, with the same number of words: two generic words in common
 *    ("Green ... Trading") cannot carry an unrelated distinctive word;
 *  - persons: the same tokens exactly, in any order, after normalisation (a listed
 *    patronymic may be missing). A fuzzy match of personal names across romanisations
 *    would make a name's origin move the score, which idrisk never allows; an exact
 *    hit is what a human must clear.
 * Only the list names the index finds through a shared word are compared, so the cost
 * per screened name does not grow with a full SDN list; identifiers (emails, domains,
 * wallets, phones as E.164) are binary-searched.
 */
#include "enrich/lists/lists.h"

#include <string.h>
#include <strings.h>

/* A growing array of hits in the enrichment arena. */
typedef struct hitv {
    idr__screen_hit *v;
    size_t n, cap;
} hitv;

typedef struct screener {
    idr__enrichment *en;
    const idr__watch_entry *w;
    size_t n_w;
    const idr__watch_index *x;
    hitv hits[3]; /* by idr__watch_list; [0] the front-company domains */
    int rc;
} screener;

static void push(screener *s, hitv *h, const idr__screen_hit *x) {
    if (h->n == h->cap) {
        size_t cap = h->cap ? 2 * h->cap : 4;
        idr__screen_hit *v = idr__arena_alloc(s->en->arena, cap * sizeof *v);
        if (!v) {
            s->rc = IDR_ENOMEM;
            return;
        }
        if (h->n) {
            memcpy(v, h->v, h->n * sizeof *v);
        }
        h->v = v;
        h->cap = cap;
    }
    h->v[h->n++] = *x;
}

static void add_hit(screener *s,
                    hitv *h,
                    const idr__watch_entry *e,
                    idr__screen_by by,
                    const char *field,
                    const char *value,
                    const char *matched,
                    double score) {
    idr__screen_hit x = {.list = e->list,
                         .by = by,
                         .field = field,
                         .value = value,
                         .matched = matched,
                         .score = score,
                         .entry = e->name,
                         .entry_kind = e->kind,
                         .sources = e->sources,
                         .program = e->program};
    push(s, h, &x);
}

/* Screen one name (tokens `x`) against both lists: only the list names the index finds
 * through a shared word are compared (match.c); each entry is reported once, with the
 * best of its names. */
static void
screen_name(screener *s, const char *field, const char *value, const idr__name_toks *x) {
    if (!value || !*value) {
        return;
    }
    s->en->rec.sanctions.checked++;
    s->en->rec.fronts.checked++;
    idr__org_key qo, qp, y;
    idr__org_key_from_toks(x, &qo);
    idr__person_key_from_toks(x, &qp);
    const idr__org_key *keys[2] = {&qo, &qp};
    uint32_t ids[IDR__INDEX_MAX_CANDIDATES];
    size_t n = idr__watch_index_candidates(s->x, keys, 2, ids, IDR__INDEX_MAX_CANDIDATES);
    for (size_t i = 0; i < n;) {
        const idr__watch_name *wn = idr__watch_index_name(s->x, ids[i]);
        uint32_t entry = wn->entry;
        double best = -1.0;
        const char *matched = NULL;
        /* ids are sorted and an entry's names are indexed together: one run per entry */
        for (; i < n && (wn = idr__watch_index_name(s->x, ids[i]))->entry == entry; i++) {
            idr__org_key_unpack(wn->key, &y);
            double sc = wn->person ? (idr__person_key_match(&qp, &y) ? 1.0 : -1.0)
                                   : idr__org_similarity(&qo, &y);
            if (sc > best) {
                best = sc;
                matched = s->w[entry].names[wn->k];
            }
        }
        if (best >= 0) {
            const idr__watch_entry *e = &s->w[entry];
            add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_NAME, field, value, matched,
                    best);
        }
    }
}

/* Entries listing identifier `value` of `kind` (match.c), of list `which`. */
static size_t
ident_hits(const screener *s, char kind, const char *value, uint32_t *out, size_t max) {
    return idr__watch_index_ident(s->x, kind, value, out, max);
}

/* The listed domain `dom` or a parent domain of it is listed: every label boundary is
 * looked up. */
static size_t domain_hits(const screener *s, const char *dom, uint32_t *out, size_t max) {
    size_t n = 0;
    for (const char *p = dom; p && *p && n < max;) {
        n += ident_hits(s, 'd', p, out + n, max - n);
        p = strchr(p, '.');
        p = p ? p + 1 : NULL;
    }
    return n;
}

#define IDENT_MAX 64

/* A normalised address (sanctions list only): listed, or on a listed domain. */
static void screen_email(screener *s, const char *field, const idr__email_info *em) {
    const char *norm = em->normalized, *dom = em->domain;
    if (!norm) {
        return;
    }
    s->en->rec.sanctions.checked++;
    uint32_t ids[2 * IDENT_MAX];
    size_t n = ident_hits(s, 'e', norm, ids, IDENT_MAX);
    n += domain_hits(s, dom, ids + n, IDENT_MAX);
    for (size_t i = 0; i < n; i++) {
        const idr__watch_entry *e = &s->w[ids[i]];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++) {
            seen = ids[j] == ids[i];
        }
        if (!seen && e->list == IDR__WATCH_SANCTIONS) {
            add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_EMAIL, field, norm, NULL,
                    1.0);
        }
    }
}

/* A domain (sanctions list only). */
static void screen_domain(screener *s, const char *field, const char *dom) {
    if (!dom || !*dom) {
        return;
    }
    s->en->rec.sanctions.checked++;
    uint32_t ids[IDENT_MAX];
    size_t n = domain_hits(s, dom, ids, IDENT_MAX);
    for (size_t i = 0; i < n; i++) {
        const idr__watch_entry *e = &s->w[ids[i]];
        if (e->list == IDR__WATCH_SANCTIONS) {
            add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_DOMAIN, field, dom, NULL,
                    1.0);
        }
    }
}

static void screen_wallet(screener *s, const char *chain, const char *addr) {
    if (!addr || !*addr) {
        return;
    }
    s->en->rec.sanctions.checked++;
    s->en->rec.fronts.checked++;
    uint32_t ids[IDENT_MAX];
    size_t n = ident_hits(s, 'w', addr, ids, IDENT_MAX);
    const char *field = NULL;
    for (size_t i = 0; i < n; i++) {
        const idr__watch_entry *e = &s->w[ids[i]];
        field = field ? field
                      : idr__arena_printf(s->en->arena, "%s wallet",
                                          chain ? chain : "payout");
        add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_WALLET, field, addr, NULL, 1.0);
    }
}

/* A phone number in E.164 (as the phone module parsed it) against listed numbers. */
static void screen_phone(screener *s, const char *field, const idr__phone_info *ph) {
    if (!ph || !ph->parsed || !ph->e164) {
        return;
    }
    s->en->rec.sanctions.checked++;
    uint32_t ids[IDENT_MAX];
    size_t n = ident_hits(s, 'p', ph->e164, ids, IDENT_MAX);
    for (size_t i = 0; i < n; i++) {
        const idr__watch_entry *e = &s->w[ids[i]];
        if (e->list == IDR__WATCH_SANCTIONS) {
            add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_PHONE, field, ph->e164, NULL,
                    1.0);
        }
    }
}

/* ---- Front-company domains (eml_front_company_domain) ---------------------------- */

static const idr__watch_entry *
front_domain(const screener *s, const char *dom, const char *email) {
    uint32_t ids[2 * IDENT_MAX];
    size_t n = dom ? domain_hits(s, dom, ids, IDENT_MAX) : 0;
    n += email ? ident_hits(s, 'e', email, ids + n, IDENT_MAX) : 0;
    for (size_t i = 0; i < n; i++) {
        if (s->w[ids[i]].list == IDR__WATCH_FRONT) {
            return &s->w[ids[i]];
        }
    }
    return NULL;
}

static void front_check(screener *s,
                        const char *where,
                        const char *dom,
                        const char *addr,
                        const char *shown) {
    if (!dom) {
        return;
    }
    s->en->rec.front_domains.checked++;
    const idr__watch_entry *e = front_domain(s, dom, addr);
    if (e) {
        add_hit(s, &s->hits[0], e, addr ? IDR__SCREEN_BY_EMAIL : IDR__SCREEN_BY_DOMAIN,
                where, shown, NULL, 1.0);
    }
}

/* Host of a URL ("https://www.x.com/a" -> "www.x.com"), lower case, in the arena. */
static const char *url_host(idr__arena *a, const char *url) {
    if (!url) {
        return NULL;
    }
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    size_t n = strcspn(p, "/:?#");
    char *h = idr__arena_strndup(a, p, n);
    for (char *q = h; q && *q; q++) {
        *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + 32 : *q);
    }
    return h && *h ? h : NULL;
}

static void screen_front_domains(screener *s) {
    const idr__enrichment *en = s->en;
    const idr_candidate *c = en->c;
    const idr__work_history *wh = &c->work_history;
    for (size_t i = 0; i < c->contacts.n_emails; i++) {
        front_check(s, "candidate email", en->emails[i].domain, en->emails[i].normalized,
                    en->emails[i].normalized);
    }
    size_t ref = 0;
    for (size_t i = 0; i < wh->n_employers; i++) {
        const idr__employer *emp = &wh->employers[i];
        front_check(s, "employer domain", emp->domain, NULL, emp->domain);
        for (size_t r = 0; r < emp->n_references; r++, ref++) {
            const idr__email_info *em = &en->rec.ref_emails[ref];
            front_check(s, "reference email", em->domain, em->normalized, em->normalized);
        }
    }
    for (size_t i = 0; i < wh->n_profiles; i++) {
        front_check(s, "profile website", url_host(en->arena, wh->profiles[i].url), NULL,
                    wh->profiles[i].url);
    }
}

/* ---- The record ------------------------------------------------------------------ */

int idr__screen_enrich(idr__enrichment *en) {
    idr__record_facts *rf = &en->rec;
    screener s = {.en = en};
    s.w = idr__lists_watch(en->m->lists, &s.n_w);
    s.x = idr__lists_index(en->m->lists);
    if (!en->m->lists) {
        return IDR_OK; /* the screening indicators need the lists: not evaluated */
    }
    for (size_t i = 0; i < s.n_w; i++) {
        rf->sanctions.listed |= s.w[i].list == IDR__WATCH_SANCTIONS;
        rf->fronts.listed |= s.w[i].list == IDR__WATCH_FRONT;
    }
    rf->front_domains.listed = rf->fronts.listed;
    const idr_candidate *c = en->c;
    const idr__payment *p = &c->payment;
    const idr__name_table *t = &rf->names;
    screen_name(&s, "payee company", p->payee_company_name, &t->company.toks);
    screen_name(&s, "account holder", p->account_holder_name, &t->holder.toks);
    screen_name(&s, "staffing firm", c->engagement.staffing_firm, &t->firm.toks);
    for (size_t i = 0; i < p->n_wallets; i++) {
        screen_wallet(&s, p->wallets[i].chain, p->wallets[i].address);
    }
    /* employer names are compared by no rule, so they are not in the name table: each
     * is tokenised here, once, and every one is screened (no cap) */
    const idr__work_history *wh = &c->work_history;
    for (size_t i = 0; s.n_w > 0 && i < wh->n_employers; i++) {
        const char *name = wh->employers[i].name;
        if (!name || !*name) {
            continue;
        }
        idr__name_toks x;
        idr__name_tokenize(en->m->names, name, &x);
        rf->names.n_tokenised++;
        screen_name(&s, "employer", name, &x);
    }
    /* emails and domains: the sanctions list only (the front-company list's domains
     * and addresses are eml_front_company_domain's, below) */
    size_t ref = 0;
    for (size_t i = 0; i < wh->n_employers; i++) {
        screen_domain(&s, "employer domain", wh->employers[i].domain);
        for (size_t r = 0; r < wh->employers[i].n_references; r++, ref++) {
            screen_email(&s, "reference email", &rf->ref_emails[ref]);
        }
    }
    for (size_t i = 0; i < c->contacts.n_emails; i++) {
        screen_email(&s, "candidate email", &en->emails[i]);
    }
    /* phones: the candidate's and the references' (E.164 from the phone module) */
    for (size_t i = 0; en->phones && i < c->contacts.n_phones; i++) {
        screen_phone(&s, "candidate phone", &en->phones[i]);
    }
    for (size_t i = 0; en->ref_phones && i < en->n_ref_phones; i++) {
        screen_phone(&s, "reference phone", &en->ref_phones[i]);
    }
    screen_front_domains(&s);
    rf->sanctions.hits = s.hits[IDR__WATCH_SANCTIONS].v;
    rf->sanctions.n_hits = s.hits[IDR__WATCH_SANCTIONS].n;
    rf->fronts.hits = s.hits[IDR__WATCH_FRONT].v;
    rf->fronts.n_hits = s.hits[IDR__WATCH_FRONT].n;
    rf->front_domains.hits = s.hits[0].v;
    rf->front_domains.n_hits = s.hits[0].n;
    return s.rc;
}
