/*
 * sanctions.c - the "sanctions" family: screening of the people and companies money
 * would go to against the curated lists (data/sanctions_sdn_itw.tsv, OFAC SDN entries
 * relevant to DPRK IT workers; data/front_companies.tsv, fronts named in US actions).
 *
 * What is screened: the payee company, the account holder, the staffing firm or
 * employer of record, the employers on the resume (names); the payout wallets (exact
 * address); the candidate's and references' email addresses and the employers' domains
 * (exact address, domain or subdomain). The candidate's own name is not screened: in
 * these schemes it is usually a stolen or rented identity of a real person [P25].
 *
 * Name matching (docs/names.md):
 *  - entities: the ICU normaliser's similarity (legal forms such as LLC, Inc., Co.
 *    ignored), spread over the longer name's words, at least SCREEN_MATCH, and every
 * token of the shorter name covered by a token of the other at least SCREEN_TOKEN_FLOOR,
 * so that two generic words in common ("Green ... Trading") cannot carry an unrelated
 * distinctive word;
 *  - persons: the same tokens exactly, in any order, after normalisation. A fuzzy match
 *    of personal names across romanisations would make a name's origin move the
 *    score, which idrisk never allows; an exact hit is what a human must clear.
 * The score, threshold and the list entry's source are in the evidence.
 */
#include "enrich/lists/lists.h"
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The same threshold as every other name comparison (IDR__NAME_MATCH, 0.88): measured
 * in docs/names.md, it accepts transliteration and spelling variants of one name and
 * rejects different names sharing a word. */
#define SCREEN_MATCH IDR__NAME_MATCH
/* Each token of the shorter name must match a token of the other this well: 0.8 lets
 * "Tech" cover "Technologies" and "Traders" cover "Trading" (Jaro-Winkler 0.87, 0.83)
 * but not "Valley" cover "Alpine" (0.67). Project choice, measured in docs/names.md. */
#define SCREEN_TOKEN_FLOOR 0.80

typedef struct screen_hit {
    const idr__watch_entry *e;
    const char *field, *value, *matched;
    double score; /* 1 for exact identifier matches */
    bool exact_id;
} screen_hit;

typedef struct screen {
    idr__ctx *ctx;
    idr__watch_list list;
    screen_hit first;
    bool have;
    const char *all; /* every hit, for the evidence */
    long long count;
    size_t checked;
} screen;

static void add_hit(screen *s,
                    const idr__watch_entry *e,
                    const char *field,
                    const char *value,
                    const char *matched,
                    double score,
                    bool exact) {
    const char *txt =
        exact ? idr__arena_printf(s->ctx->arena, "%s %s is listed for %s [%s]", field,
                                  value, e->name, e->sources)
              : idr__arena_printf(s->ctx->arena,
                                  "%s \"%s\" matches \"%s\" (score %.2f >= %.2f) [%s]",
                                  field, value, matched, score, SCREEN_MATCH, e->sources);
    s->all = s->all ? idr__arena_printf(s->ctx->arena, "%s; %s", s->all, txt) : txt;
    s->count++;
    if (!s->have) {
        s->first = (screen_hit){e, field, value, matched, score, exact};
        s->have = true;
    }
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
        /* the spread below caps such a pair at 7/8 = 0.875 < SCREEN_MATCH: skip the
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
    return s >= SCREEN_MATCH && min_pair >= SCREEN_TOKEN_FLOOR ? s : -1.0;
}

static void screen_name(screen *s, const char *field, const char *value) {
    if (!value || !*value) {
        return;
    }
    s->checked++;
    const idr__names *nm = s->ctx->mods->names;
    idr__name_toks x;
    idr__name_tokenize(nm, value, &x);
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(s->ctx->mods->lists, &n);
    for (size_t i = 0; i < n; i++) {
        if (w[i].list != s->list) {
            continue;
        }
        double best = -1.0;
        const char *matched = NULL;
        for (size_t k = 0; k < w[i].n_names; k++) {
            double sc = name_score(nm, &w[i], k, &x);
            if (sc > best) {
                best = sc;
                matched = w[i].names[k];
            }
        }
        if (best >= 0) {
            add_hit(s, &w[i], field, value, matched, best, false);
        }
    }
}

static bool dom_match(const char *d, const char *listed) {
    size_t ld = strlen(d), lp = strlen(listed);
    return strcmp(d, listed) == 0 ||
           (ld > lp && d[ld - lp - 1] == '.' && strcmp(d + ld - lp, listed) == 0);
}

static void screen_email(screen *s, const char *field, const char *addr) {
    const char *dom = NULL;
    const char *norm =
        idr__email_normalize(s->ctx->mods->lists, s->ctx->arena, addr, &dom);
    if (!norm) {
        return;
    }
    s->checked++;
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(s->ctx->mods->lists, &n);
    for (size_t i = 0; i < n; i++) {
        if (w[i].list != s->list) {
            continue;
        }
        bool hit = false;
        for (size_t k = 0; k < w[i].n_emails && !hit; k++) {
            hit = strcmp(norm, w[i].emails[k]) == 0;
        }
        for (size_t k = 0; k < w[i].n_domains && !hit; k++) {
            hit = dom_match(dom, w[i].domains[k]);
        }
        if (hit) {
            add_hit(s, &w[i], field, norm, NULL, 1.0, true);
        }
    }
}

static void screen_domain(screen *s, const char *field, const char *dom) {
    if (!dom || !*dom) {
        return;
    }
    s->checked++;
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(s->ctx->mods->lists, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; w[i].list == s->list && k < w[i].n_domains; k++) {
            if (dom_match(dom, w[i].domains[k])) {
                add_hit(s, &w[i], field, dom, NULL, 1.0, true);
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

static void screen_wallet(screen *s, const char *chain, const char *addr) {
    if (!addr || !*addr) {
        return;
    }
    s->checked++;
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(s->ctx->mods->lists, &n);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; w[i].list == s->list && k < w[i].n_wallets; k++) {
            if (wallet_eq(addr, w[i].wallets[k])) {
                add_hit(s, &w[i],
                        idr__arena_printf(s->ctx->arena, "%s wallet",
                                          chain ? chain : "payout"),
                        addr, NULL, 1.0, true);
                break;
            }
        }
    }
}

static void run_screen(screen *s) {
    const idr_candidate *c = s->ctx->c;
    const idr__payment *p = &c->payment;
    screen_name(s, "payee company", p->payee_company_name);
    screen_name(s, "account holder", p->account_holder_name);
    screen_name(s, "staffing firm", c->engagement.staffing_firm);
    for (size_t i = 0; i < p->n_wallets; i++) {
        screen_wallet(s, p->wallets[i].chain, p->wallets[i].address);
    }
    const idr__work_history *wh = &c->work_history;
    for (size_t i = 0; i < wh->n_employers; i++) {
        screen_name(s, "employer", wh->employers[i].name);
    }
    if (s->list == IDR__WATCH_FRONT) {
        return; /* front-company domains and addresses: eml_front_company_domain */
    }
    for (size_t i = 0; i < wh->n_employers; i++) {
        screen_domain(s, "employer domain", wh->employers[i].domain);
        for (size_t r = 0; r < wh->employers[i].n_references; r++) {
            screen_email(s, "reference email", wh->employers[i].references[r].email);
        }
    }
    for (size_t i = 0; i < c->contacts.n_emails; i++) {
        screen_email(s, "candidate email", c->contacts.emails[i].address);
    }
}

static const char *const screen_keys[] = {"field",     "value",   "entry",   "score",
                                          "threshold", "sources", "program", "matches",
                                          "count",     NULL};

static void report(screen *s, const idr__indicator *ind) {
    if (s->checked == 0) {
        idr__not_evaluated(s->ctx, ind,
                           "no payee, account holder, staffing firm, employer, wallet or "
                           "email on file to screen");
        return;
    }
    if (!s->have) {
        return;
    }
    idr__ev *ev = idr__hit(s->ctx, ind);
    const screen_hit *h = &s->first;
    idr__ev_str(ev, "field", h->field);
    idr__ev_str(ev, "value", h->value);
    idr__ev_str(ev, "entry", h->e->name);
    idr__ev_num(ev, "score", h->score);
    idr__ev_str(ev, "threshold",
                h->exact_id ? "exact identifier match"
                : strcmp(h->e->kind, "person") == 0
                    ? "exact name match required for persons"
                    : idr__arena_printf(s->ctx->arena, "%.2f", SCREEN_MATCH));
    idr__ev_str(ev, "sources", h->e->sources);
    idr__ev_str(ev, "program", h->e->program);
    idr__ev_str(ev, "matches", s->all);
    idr__ev_int(ev, "count", s->count);
}

/* ---- pay_sanctions_match [OFAC-*] ------------------------------------------------ */
static void eval_sanctions(idr__ctx *ctx, const idr__indicator *ind) {
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(ctx->mods->lists, &n);
    bool any = false;
    for (size_t i = 0; i < n && !any; i++) {
        any = w[i].list == IDR__WATCH_SANCTIONS;
    }
    if (!any) {
        idr__not_evaluated(ctx, ind,
                           "sanctions list data/sanctions_sdn_itw.tsv not loaded");
        return;
    }
    screen s = {.ctx = ctx, .list = IDR__WATCH_SANCTIONS};
    run_screen(&s);
    report(&s, ind);
}

static const idr__indicator pay_sanctions_match = {
    .id = "pay_sanctions_match",
    .evidence_keys = screen_keys,
    .eval = eval_sanctions,
    .needs = IDR__NEED_LISTS,
};

/* ---- pay_front_company_match (project; refines pay_sanctions_match) -------------- */
static void eval_front(idr__ctx *ctx, const idr__indicator *ind) {
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(ctx->mods->lists, &n);
    bool any = false;
    for (size_t i = 0; i < n && !any; i++) {
        any = w[i].list == IDR__WATCH_FRONT;
    }
    if (!any) {
        idr__not_evaluated(ctx, ind,
                           "front-company list data/front_companies.tsv not loaded");
        return;
    }
    screen s = {.ctx = ctx, .list = IDR__WATCH_FRONT};
    run_screen(&s);
    report(&s, ind);
}

static const idr__indicator pay_front_company_match = {
    .id = "pay_front_company_match",
    .evidence_keys = screen_keys,
    .eval = eval_front,
    .needs = IDR__NEED_LISTS,
};

static const idr__indicator *const indicators[] = {&pay_sanctions_match,
                                                   &pay_front_company_match, NULL};

const idr__family idr__family_sanctions = {.name = "payment",
                                           .prefix = "pay_",
                                           .file = "lib/rules/sanctions.c",
                                           .indicators = indicators};
