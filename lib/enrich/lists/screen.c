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
 * the employers' domains (exact address, domain or subdomain). The candidate's own
 * name is not screened: in these schemes it is usually a stolen or rented identity of
 * a real person [P25].
 *
 * Name matching (docs/names.md):
 *  - entities: the name normaliser's similarity (legal forms such as LLC, Inc., Co.
 *    ignored), spread over the longer name's words, at least IDR__SCREEN_MATCH, and
 *    every token of the shorter name covered by a token of the other at least
 *    SCREEN_TOKEN_FLOOR, so that two generic words in common ("Green ... Trading")
 *    cannot carry an unrelated distinctive word;
 *  - persons: the same tokens exactly, in any order, after normalisation. A fuzzy match
 *    of personal names across romanisations would make a name's origin move the
 *    score, which idrisk never allows; an exact hit is what a human must clear.
 */
#include "enrich/lists/lists.h"

#include <string.h>
#include <strings.h>

/* Each token of the shorter name must match a token of the other this well: 0.8 lets
 * "Tech" cover "Technologies" and "Traders" cover "Trading" (Jaro-Winkler 0.87, 0.83)
 * but not "Valley" cover "Alpine" (0.67). Project choice, measured in docs/names.md. */
#define SCREEN_TOKEN_FLOOR 0.80

/* A growing array of hits in the enrichment arena. */
typedef struct hitv {
    idr__screen_hit *v;
    size_t n, cap;
} hitv;

typedef struct screener {
    idr__enrichment *en;
    const idr__watch_entry *w;
    size_t n_w;
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

/* Company names are screened without one-letter tokens: an initial matches any word
 * with that first letter, which identifies a person's given name but no company. */
static void drop_initials(idr__name_toks *t) {
    size_t j = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->initial[i]) {
            t->off[j] = t->off[i];
            t->len[j] = t->len[i];
            t->initial[j] = false;
            t->nick[j] = t->nick[i];
            j++;
        }
    }
    if (j > 0) {
        t->n = j;
    }
}

/* Similarity of a screened name with one list name, or -1 when it is not a match. */
static double name_score(const idr__names *nm,
                         const idr__watch_entry *e,
                         size_t k,
                         const idr__name_toks *x) {
    idr__name_toks tmp;
    const idr__name_toks *y = e->toks ? &e->toks[k] : NULL;
    if (!y) {
        idr__name_tokenize(nm, e->names[k], &tmp);
        y = &tmp;
    }
    if (x->n == 0 || y->n == 0) {
        return -1.0;
    }
    if (strcmp(e->kind, "person") == 0) {
        if (x->n != y->n) {
            return -1.0;
        }
        double s = idr__name_toks_similarity(nm, x, y);
        return x->n == y->n && s >= 1.0 ? 1.0 : -1.0;
    }
    idr__name_toks xe = *x, ye = *y;
    drop_initials(&xe);
    drop_initials(&ye);
    if (xe.n != ye.n) {
        /* the spread below caps such a pair at 7/8 = 0.875 < IDR__SCREEN_MATCH: skip the
         * comparison (most list entries end here) */
        return -1.0;
    }
    double min_pair = 0.0;
    double s = idr__name_toks_similarity_ex(nm, &xe, &ye, &min_pair);
    /* Unlike person names (where a missing middle name is normal), a company name
     * with words the other lacks is another company: "Korea Trading" is not "Korea
     * Sinjin Trading". The pairing's sum is spread over the longer name's words. */
    size_t lo = xe.n < ye.n ? xe.n : ye.n, hi = xe.n < ye.n ? ye.n : xe.n;
    s = s * (double)lo / (double)hi;
    return s >= IDR__SCREEN_MATCH && min_pair >= SCREEN_TOKEN_FLOOR ? s : -1.0;
}

/* Screen one name (tokens `x`) against both lists. */
static void
screen_name(screener *s, const char *field, const char *value, const idr__name_toks *x) {
    if (!value || !*value) {
        return;
    }
    s->en->rec.sanctions.checked++;
    s->en->rec.fronts.checked++;
    const idr__names *nm = s->en->m->names;
    for (size_t i = 0; i < s->n_w; i++) {
        const idr__watch_entry *e = &s->w[i];
        double best = -1.0;
        const char *matched = NULL;
        for (size_t k = 0; k < e->n_names; k++) {
            double sc = name_score(nm, e, k, x);
            if (sc > best) {
                best = sc;
                matched = e->names[k];
            }
        }
        if (best >= 0) {
            add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_NAME, field, value, matched,
                    best);
        }
    }
}

static bool dom_match(const char *d, const char *listed) {
    size_t ld = strlen(d), lp = strlen(listed);
    return strcmp(d, listed) == 0 ||
           (ld > lp && d[ld - lp - 1] == '.' && strcmp(d + ld - lp, listed) == 0);
}

/* A normalised address (sanctions list only). */
static void screen_email(screener *s, const char *field, const idr__email_info *em) {
    const char *norm = em->normalized, *dom = em->domain;
    if (!norm) {
        return;
    }
    s->en->rec.sanctions.checked++;
    for (size_t i = 0; i < s->n_w; i++) {
        const idr__watch_entry *e = &s->w[i];
        if (e->list != IDR__WATCH_SANCTIONS) {
            continue;
        }
        bool hit = false;
        for (size_t k = 0; k < e->n_emails && !hit; k++) {
            hit = strcmp(norm, e->emails[k]) == 0;
        }
        for (size_t k = 0; k < e->n_domains && !hit; k++) {
            hit = dom_match(dom, e->domains[k]);
        }
        if (hit) {
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
    for (size_t i = 0; i < s->n_w; i++) {
        const idr__watch_entry *e = &s->w[i];
        for (size_t k = 0; e->list == IDR__WATCH_SANCTIONS && k < e->n_domains; k++) {
            if (dom_match(dom, e->domains[k])) {
                add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_DOMAIN, field, dom, NULL,
                        1.0);
                break;
            }
        }
    }
}

/* Wallet addresses: hex (0x...) addresses are case-insensitive (EIP-55 case is only a
 * checksum); every other chain's encoding is compared exactly. */
static bool wallet_eq(const char *a, const char *b) {
    if (strncmp(a, "0x", 2) == 0 || strncmp(a, "0X", 2) == 0) {
        return strcasecmp(a, b) == 0;
    }
    return strcmp(a, b) == 0;
}

static void screen_wallet(screener *s, const char *chain, const char *addr) {
    if (!addr || !*addr) {
        return;
    }
    s->en->rec.sanctions.checked++;
    s->en->rec.fronts.checked++;
    const char *field = NULL;
    for (size_t i = 0; i < s->n_w; i++) {
        const idr__watch_entry *e = &s->w[i];
        for (size_t k = 0; k < e->n_wallets; k++) {
            if (wallet_eq(addr, e->wallets[k])) {
                field = field ? field
                              : idr__arena_printf(s->en->arena, "%s wallet",
                                                  chain ? chain : "payout");
                add_hit(s, &s->hits[e->list], e, IDR__SCREEN_BY_WALLET, field, addr, NULL,
                        1.0);
                break;
            }
        }
    }
}

/* ---- Front-company domains (eml_front_company_domain) ---------------------------- */

static const idr__watch_entry *
front_domain(const screener *s, const char *dom, const char *email) {
    for (size_t i = 0; dom && i < s->n_w; i++) {
        const idr__watch_entry *e = &s->w[i];
        if (e->list != IDR__WATCH_FRONT) {
            continue;
        }
        for (size_t k = 0; k < e->n_domains; k++) {
            if (dom_match(dom, e->domains[k])) {
                return e;
            }
        }
        for (size_t k = 0; email && k < e->n_emails; k++) {
            if (strcmp(email, e->emails[k]) == 0) {
                return e;
            }
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
    screen_front_domains(&s);
    rf->sanctions.hits = s.hits[IDR__WATCH_SANCTIONS].v;
    rf->sanctions.n_hits = s.hits[IDR__WATCH_SANCTIONS].n;
    rf->fronts.hits = s.hits[IDR__WATCH_FRONT].v;
    rf->fronts.n_hits = s.hits[IDR__WATCH_FRONT].n;
    rf->front_domains.hits = s.hits[0].v;
    rf->front_domains.n_hits = s.hits[0].n;
    return s.rc;
}
