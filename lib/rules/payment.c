/* SPDX-License-Identifier: Apache-2.0 */
/*
 * payment.c - the "payment" family: how the candidate wants to be paid.
 *
 * Payment brands are not signals. PayPal, Payoneer and Wise are mainstream services
 * that legitimate contractors use every day [GTIG25 lists them only as channels seen
 * in cases]; an account in the candidate's own name is never a hit. What counts is a
 * contradiction: money going to someone other than the person hired, to a company
 * with no history, or payment details that keep changing right after hire.
 *
 * Evidence carries names (they are what a reviewer checks), never an account number
 * or a full wallet address: the contract keeps account ids only hashed, and wallets
 * are reported by chain and count (a watch-list hit names the listed wallet).
 *
 * Nothing here looks anything up. Names are compared on the record's name table
 * (ctx->en->rec.names, tokenised once in enrichment; docs/names.md), and the
 * screening of payees, employers, wallets and addresses against the sanctions and
 * front-company lists runs once per record in lib/enrich/lists/screen.c: the
 * pay_sanctions_match and pay_front_company_match evaluators only report its hits.
 */
#include "rules/rule.h"

#include <string.h>

/* young_company_days (pay_third_party_account): a payee company younger than this at
 * the evaluation date has no trading history to check. The front companies in
 * [DOJ-Jan25] and [DOJ-Jun25] were set up to receive the scheme's payments; the
 * catalog's detection step is the registry formation date. About six months is a
 * project choice: long enough to cover a company formed for the engagement, short
 * enough that an established one-person consultancy is not flagged. */
enum { P_YOUNG_COMPANY_DAYS };
static const idr__param third_params[] = {
    [P_YOUNG_COMPANY_DAYS] = {.name = "young_company_days",
                              .def = 180,
                              .min = 0,
                              .max = 3650,
                              .doc = "days since formation under which a payee company "
                                     "counts as new"},
};

/* pay_frequent_changes: three or more changes (change_window_count) inside any 90-day
 * window (change_window_days), the window the catalog gives for the first months after
 * hire [P25][SW24]; or any change within 30 days (early_change_days) after the hire or
 * start date. 30 days is a project choice: the first payroll cycle, when a change
 * redirects the very first salary payments. */
enum { P_CHANGE_WINDOW_DAYS, P_CHANGE_WINDOW_COUNT, P_EARLY_CHANGE_DAYS };
static const idr__param changes_params[] = {
    [P_CHANGE_WINDOW_DAYS] = {.name = "change_window_days",
                              .def = 90,
                              .min = 1,
                              .max = 730,
                              .doc =
                                  "length in days of the window changes are counted in"},
    [P_CHANGE_WINDOW_COUNT] = {.name = "change_window_count",
                               .def = 3,
                               .min = 2,
                               .max = 100,
                               .doc = "changes inside one window that count as frequent"},
    [P_EARLY_CHANGE_DAYS] = {.name = "early_change_days",
                             .def = 30,
                             .min = 0,
                             .max = 365,
                             .doc = "days after the hire or start date within which any "
                                    "change counts"},
};

static bool have_payment(idr__ctx *ctx, const idr__indicator *ind) {
    if (!(ctx->c->has & IDR__HAS_PAYMENT)) {
        idr__not_evaluated(ctx, ind, "no payment details on file");
        return false;
    }
    return true;
}

/* ---- pay_crypto_request [G22][BfV][SEAL][OFSI] --------------------------------- */
/* Crypto-asset tickers, stablecoins first (USDT and USDC are the ones the cases name
 * [DOJ-Jun25]); the rest are the major chains' native assets. Upper case: the
 * contract upper-cases the currency. */
static const char *const crypto_tickers[] = {
    "USDT", "USDC", "DAI", "BUSD", "TUSD", "USDP", "PYUSD", "FDUSD", "USDE", "BTC",
    "ETH",  "XMR",  "TRX", "BNB",  "SOL",  "LTC",  "XRP",   "DOGE",  "TON",  NULL};

static bool is_crypto_ticker(const char *cur) {
    for (size_t i = 0; cur && crypto_tickers[i]; i++) {
        if (strcmp(cur, crypto_tickers[i]) == 0) {
            return true;
        }
    }
    return false;
}

static const char *const crypto_keys[] = {"asked", "method", "currency", "wallets", NULL};

static void eval_crypto(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_payment(ctx, ind)) {
        return;
    }
    const idr__payment *p = &ctx->c->payment;
    if (p->method == IDR__PAY_NONE && p->currency == NULL && p->n_wallets == 0) {
        idr__not_evaluated(ctx, ind, "no payment method, currency or wallet on file");
        return;
    }
    const char *asked = NULL;
    if (p->method == IDR__PAY_CRYPTO) {
        idr__list_add(ctx, ", ", &asked, "payment method crypto");
    }
    if (is_crypto_ticker(p->currency)) {
        idr__list_add(ctx, ", ", &asked,
                      idr__arena_printf(ctx->arena, "currency %s", p->currency));
    }
    const char *chains = NULL;
    for (size_t i = 0; i < p->n_wallets; i++) {
        idr__list_add(ctx, ", ", &chains,
                      p->wallets[i].chain ? p->wallets[i].chain : "unstated chain");
    }
    if (p->n_wallets > 0) {
        idr__list_add(ctx, ", ", &asked,
                      idr__arena_printf(ctx->arena, "%zu wallet%s (%s)", p->n_wallets,
                                        p->n_wallets == 1 ? "" : "s", chains));
    }
    if (asked == NULL) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "asked", asked);
    idr__ev_str(ev, "method", p->method_name ? p->method_name : "not stated");
    idr__ev_str(ev, "currency", p->currency ? p->currency : "not stated");
    idr__ev_int(ev, "wallets", (long long)p->n_wallets);
}

static const idr__indicator pay_crypto_request = {
    .id = "pay_crypto_request",
    .evidence_keys = crypto_keys,
    .eval = eval_crypto,
};

/* ---- pay_third_party_account [G22][DOJ-Jan25][DOJ-Jun25] ----------------------- */
static const char *const third_keys[] = {"problem", "payee", "candidate", NULL};

static bool is_candidate(const idr__ctx *ctx, const idr__name *name) {
    const idr__name_table *t = &ctx->en->rec.names;
    if (idr__name_match(ctx, name, &t->full_name)) {
        return true;
    }
    for (size_t i = 0; i < t->n_aliases; i++) {
        if (idr__name_match(ctx, name, &t->aliases[i])) {
            return true;
        }
    }
    return false;
}

static void eval_third_party(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_payment(ctx, ind)) {
        return;
    }
    const idr_candidate *c = ctx->c;
    const idr__payment *p = &c->payment;
    const char *holder = p->account_holder_name;
    const char *company = p->payee_company_name;
    bool is_company = p->payee_type == IDR__PAYEE_COMPANY || company != NULL;
    if (holder == NULL && !is_company) {
        idr__not_evaluated(ctx, ind, "no account holder or payee company on file");
        return;
    }
    if (c->identity.full_name == NULL && !is_company) {
        idr__not_evaluated(ctx, ind, "no candidate name on file to compare with");
        return;
    }
    const char *problem = NULL;
    const char *payee = holder ? holder : company;
    const idr__name_table *nt = &ctx->en->rec.names; /* the same names, tokenised */
    /* Pay routed to the employer of record or agency the engagement declares is that
     * arrangement working as declared, not a third party. */
    const char *firm = c->engagement.staffing_firm;
    bool declared = (c->engagement.type == IDR__ENG_EOR_CONTRACTOR ||
                     c->engagement.type == IDR__ENG_AGENCY) &&
                    firm != NULL &&
                    ((company && idr__name_match(ctx, &nt->company, &nt->firm)) ||
                     (holder && idr__name_match(ctx, &nt->holder, &nt->firm)));
    if (is_company) {
        const char *cname = company ? company : holder;
        if (p->payee_company_formed_on != IDR__DATE_NONE &&
            ctx->today - p->payee_company_formed_on <
                idr__param_of(ctx, P_YOUNG_COMPANY_DAYS)) {
            char d[11];
            idr__format_date(p->payee_company_formed_on, d);
            idr__list_add(
                ctx, ", ", &problem,
                idr__arena_printf(ctx->arena,
                                  "payee company %s formed %s, %ld days before "
                                  "the evaluation",
                                  cname ? cname : "(unnamed)", d,
                                  (long)(ctx->today - p->payee_company_formed_on)));
        }
        if (c->engagement.type == IDR__ENG_EMPLOYEE) {
            idr__list_add(ctx, ", ", &problem,
                          idr__arena_printf(ctx->arena,
                                            "an employee's pay is to go to company %s",
                                            cname ? cname : "(unnamed)"));
        }
        if (holder && cname &&
            !idr__name_match(ctx, &nt->holder, company ? &nt->company : &nt->holder) &&
            c->identity.full_name && !is_candidate(ctx, &nt->holder)) {
            idr__list_add(
                ctx, ", ", &problem,
                idr__arena_printf(ctx->arena,
                                  "account holder %s is neither the candidate nor "
                                  "the payee company",
                                  holder));
        }
    } else if (!is_candidate(ctx, &nt->holder)) {
        idr__list_add(ctx, ", ", &problem,
                      idr__arena_printf(
                          ctx->arena, "account holder %s is not the candidate", holder));
    }
    if (problem == NULL) {
        return;
    }
    if (declared) {
        idr__suppress(ctx, ind, "declared employer-of-record arrangement: %s",
                      c->engagement.staffing_firm);
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "problem", problem);
    idr__ev_str(ev, "payee", payee ? payee : "(unnamed)");
    idr__ev_str(ev, "candidate",
                c->identity.full_name ? c->identity.full_name : "name not on file");
}

static const idr__indicator pay_third_party_account = {
    .id = "pay_third_party_account",
    .evidence_keys = third_keys,
    .eval = eval_third_party,
    .params = third_params,
    .n_params = sizeof third_params / sizeof third_params[0],
};

/* ---- pay_frequent_changes [P25][SW24] ------------------------------------------- */
static const char *const changes_keys[] = {"problem", "count", "fields", NULL};

static int32_t day_of(int64_t t) {
    return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

static void eval_changes(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_payment(ctx, ind)) {
        return;
    }
    const idr_candidate *c = ctx->c;
    const idr__payment *p = &c->payment;
    size_t n = 0;
    for (size_t i = 0; i < p->n_changes; i++) {
        n += p->changes[i].at != IDR__TIME_NONE;
    }
    if (n == 0) {
        idr__not_evaluated(ctx, ind, "no dated payment changes on file");
        return;
    }
    /* Largest number of changes inside any window of change_window_days, anchored at
     * each change (O(n^2); n is bounded by max_array). */
    size_t best = 0;
    int64_t best_from = IDR__TIME_NONE;
    for (size_t i = 0; i < p->n_changes; i++) {
        int64_t a = p->changes[i].at;
        if (a == IDR__TIME_NONE) {
            continue;
        }
        size_t k = 0;
        for (size_t j = 0; j < p->n_changes; j++) {
            int64_t b = p->changes[j].at;
            if (b != IDR__TIME_NONE && b >= a &&
                b - a <= (int64_t)(idr__param_of(ctx, P_CHANGE_WINDOW_DAYS) * 86400)) {
                k++;
            }
        }
        if (k > best) {
            best = k;
            best_from = a;
        }
    }
    const char *problem = NULL;
    if (best >= idr__param_of(ctx, P_CHANGE_WINDOW_COUNT)) {
        char d[21];
        idr__format_instant(best_from, d);
        d[10] = '\0';
        idr__list_add(ctx, ", ", &problem,
                      idr__arena_printf(ctx->arena, "%zu changes within %g days from %s",
                                        best, idr__param_of(ctx, P_CHANGE_WINDOW_DAYS),
                                        d));
    }
    int32_t anchor = c->post_hire.hired_at != IDR__DATE_NONE ? c->post_hire.hired_at
                                                             : c->engagement.start_date;
    const char *anchor_name = c->post_hire.hired_at != IDR__DATE_NONE ? "hire" : "start";
    if (anchor != IDR__DATE_NONE) {
        for (size_t i = 0; i < p->n_changes; i++) {
            if (p->changes[i].at == IDR__TIME_NONE) {
                continue;
            }
            int32_t d = day_of(p->changes[i].at) - anchor;
            if (d >= 0 && d <= idr__param_of(ctx, P_EARLY_CHANGE_DAYS)) {
                idr__list_add(ctx, ", ", &problem,
                              idr__arena_printf(ctx->arena,
                                                "a change %d day%s after the %s date",
                                                (int)d, d == 1 ? "" : "s", anchor_name));
                break;
            }
        }
    }
    if (problem == NULL) {
        return;
    }
    const char *fields = NULL;
    for (size_t i = 0; i < p->n_changes; i++) {
        const char *f = p->changes[i].field ? p->changes[i].field : "unstated field";
        if (fields == NULL || strstr(fields, f) == NULL) {
            idr__list_add(ctx, ", ", &fields, f);
        }
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "problem", problem);
    idr__ev_int(ev, "count", (long long)n);
    idr__ev_str(ev, "fields", fields);
}

static const idr__indicator pay_frequent_changes = {
    .id = "pay_frequent_changes",
    .evidence_keys = changes_keys,
    .eval = eval_changes,
    .params = changes_params,
    .n_params = sizeof changes_params / sizeof changes_params[0],
};

/* ---- pay_prepay_pressure [P23][G22] --------------------------------------------- */
static const char *const prepay_keys[] = {NULL};

static void eval_prepay(idr__ctx *ctx, const idr__indicator *ind) {
    idr__tri v = ctx->c->workflow.prepayment_pressure;
    if (v == IDR__UNK) {
        idr__not_evaluated(ctx, ind, "prepayment pressure not recorded");
        return;
    }
    if (v == 1) {
        idr__hit(ctx, ind);
    }
}

static const idr__indicator pay_prepay_pressure = {
    .id = "pay_prepay_pressure",
    .evidence_keys = prepay_keys,
    .eval = eval_prepay,
};

/* ---- Screening: pay_sanctions_match [OFAC-*], pay_front_company_match ----------- */
/* The people and companies money would go to, screened against the curated lists
 * (data/sanctions_sdn_itw.tsv, OFAC SDN entries relevant to DPRK IT workers;
 * data/front_companies.tsv, fronts named in US actions). The screening itself (what
 * is screened, the name matching and its thresholds) is done once per record in
 * enrichment (lib/enrich/lists/screen.c, docs/names.md); these indicators report its
 * hits: the first in the evidence, every one in `matches`. The score, threshold and
 * the list entry's source are in the evidence. */
static const char *const screen_keys[] = {"field",     "value",      "entry",   "score",
                                          "threshold", "sources",    "program", "matches",
                                          "count",     "matched_by", NULL};

/* What matched: the name, or which listed identifier (exact). */
static const char *screen_by_text(idr__screen_by by) {
    switch (by) {
    case IDR__SCREEN_BY_NAME:
        return "name";
    case IDR__SCREEN_BY_EMAIL:
        return "email";
    case IDR__SCREEN_BY_DOMAIN:
        return "domain";
    case IDR__SCREEN_BY_WALLET:
        return "wallet";
    case IDR__SCREEN_BY_PHONE:
        return "phone";
    }
    return "name";
}

static const char *screen_text(idr__ctx *ctx, const idr__screen_hit *h) {
    return h->by != IDR__SCREEN_BY_NAME
               ? idr__arena_printf(ctx->arena, "%s %s is listed (%s) for %s [%s]",
                                   h->field, h->value, screen_by_text(h->by), h->entry,
                                   h->sources)
               : idr__arena_printf(ctx->arena,
                                   "%s \"%s\" matches \"%s\" (score %.2f >= %.2f) [%s]",
                                   h->field, h->value, h->matched, h->score,
                                   IDR__SCREEN_MATCH, h->sources);
}

static void report_screening(idr__ctx *ctx,
                             const idr__indicator *ind,
                             const idr__screening *s,
                             const char *list_file,
                             const char *list_name) {
    if (!s->listed) {
        idr__not_evaluated(ctx, ind, "%s %s not loaded", list_name, list_file);
        return;
    }
    if (s->checked == 0) {
        idr__not_evaluated(ctx, ind,
                           "no payee, account holder, staffing firm, employer, wallet or "
                           "email on file to screen");
        return;
    }
    if (s->n_hits == 0) {
        return;
    }
    const char *all = NULL;
    for (size_t i = 0; i < s->n_hits; i++) {
        const char *txt = screen_text(ctx, &s->hits[i]);
        all = all ? idr__arena_printf(ctx->arena, "%s; %s", all, txt) : txt;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    const idr__screen_hit *h = &s->hits[0];
    idr__ev_str(ev, "field", h->field);
    idr__ev_str(ev, "value", h->value);
    idr__ev_str(ev, "entry", h->entry);
    idr__ev_num(ev, "score", h->score);
    idr__ev_str(ev, "threshold",
                h->by != IDR__SCREEN_BY_NAME ? "exact identifier match"
                : strcmp(h->entry_kind, "person") == 0
                    ? "exact name match required for persons"
                    : idr__arena_printf(ctx->arena, "%.2f", IDR__SCREEN_MATCH));
    idr__ev_str(ev, "sources", h->sources);
    idr__ev_str(ev, "program", h->program);
    idr__ev_str(ev, "matches", all);
    idr__ev_int(ev, "count", (long long)s->n_hits);
    idr__ev_str(ev, "matched_by", screen_by_text(h->by));
}

static void eval_sanctions(idr__ctx *ctx, const idr__indicator *ind) {
    report_screening(ctx, ind, &ctx->en->rec.sanctions, "data/sanctions_sdn_itw.tsv",
                     "sanctions list");
}

static const idr__indicator pay_sanctions_match = {
    .id = "pay_sanctions_match",
    .evidence_keys = screen_keys,
    .eval = eval_sanctions,
    .needs = IDR__NEED_LISTS,
};

/* (project; refines pay_sanctions_match) */
static void eval_front(idr__ctx *ctx, const idr__indicator *ind) {
    report_screening(ctx, ind, &ctx->en->rec.fronts, "data/front_companies.tsv",
                     "front-company list");
}

static const idr__indicator pay_front_company_match = {
    .id = "pay_front_company_match",
    .evidence_keys = screen_keys,
    .eval = eval_front,
    .needs = IDR__NEED_LISTS,
};

/* ---- pay_shared_account [G22][P25] -------------------------------------------------
 * This record's payout account or a crypto wallet of it is another candidate's, under
 * a different name (the store compares account ids and wallet addresses by keyed
 * hash): one account collecting the pay of several workers. When both records declare
 * an employer-of-record or agency engagement, a shared bank account is that firm's
 * payout account working as declared and is suppressed, saying so; a wallet is never
 * an employer of record's. */
static const char *const shared_pay_keys[] = {"shared",      "kinds",    "count",
                                              "not_counted", "not_read", NULL};

static void eval_shared_account(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    const idr_candidate *c = ctx->c;
    if (c->payment.account_id_hash == NULL && c->payment.n_wallets == 0) {
        idr__not_evaluated(ctx, ind, "no payout account id or crypto wallet on file");
        return;
    }
    bool own_eor = c->engagement.type == IDR__ENG_EOR_CONTRACTOR ||
                   c->engagement.type == IDR__ENG_AGENCY;
    idr__others account = {0}, wallet = {0}, all = {0}, eor = {0};
    idr__link_cleared cleared = {0};
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *k = &l->v[i];
        if (k->kind != IDR__LK_ACCOUNT && k->kind != IDR__LK_WALLET) {
            continue;
        }
        idr__link_excl why = idr__link_classify(k, false);
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, k);
            continue;
        }
        if (k->kind == IDR__LK_ACCOUNT && own_eor && k->other_eor) {
            idr__others_add(ctx, &eor, k->other_id, NULL);
            continue;
        }
        idr__others_add(ctx, k->kind == IDR__LK_ACCOUNT ? &account : &wallet, k->other_id,
                        NULL);
        idr__others_add(ctx, &all, k->other_id, NULL);
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    const char *eor_text =
        eor.n ? idr__arena_printf(
                    ctx->arena,
                    "both records declare an employer-of-record engagement%s%s: the "
                    "shared account is the firm's payout account: %s",
                    c->engagement.staffing_firm ? " with " : "",
                    c->engagement.staffing_firm ? c->engagement.staffing_firm : "",
                    idr__others_text(&eor))
              : NULL;
    if (eor_text) {
        cl = cl ? idr__arena_printf(ctx->arena, "%s; %s", eor_text, cl) : eor_text;
    }
    if (all.n == 0) {
        if (cl) {
            idr__suppress(ctx, ind, "%s", cl);
        }
        return;
    }
    const idr__others *lists[] = {&account, &wallet};
    static const idr__link_kind lk[] = {IDR__LK_ACCOUNT, IDR__LK_WALLET};
    idr__report_shared_kinds(ctx, ind, l, lk, lists, 2, all.n, cl,
                             (1u << IDR__LK_ACCOUNT) | (1u << IDR__LK_WALLET));
}

static const idr__indicator pay_shared_account = {
    .id = "pay_shared_account",
    .evidence_keys = shared_pay_keys,
    .eval = eval_shared_account,
    .needs = IDR__NEED_STORE,
};

static const idr__indicator *const indicators[] = {
    &pay_prepay_pressure,     &pay_crypto_request,
    &pay_third_party_account, &pay_frequent_changes,
    &pay_sanctions_match,     &pay_front_company_match,
    &pay_shared_account,      NULL};

const idr__family idr__family_payment = {.name = "payment",
                                         .prefix = "pay_",
                                         .file = "lib/rules/payment.c",
                                         .indicators = indicators};
