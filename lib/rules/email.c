/* SPDX-License-Identifier: Apache-2.0 */
/*
 * email.c - the "email" family: mailboxes and domains.
 *
 * Nothing here looks at who the person is. A free mailbox is not a signal by itself;
 * only a brand-new one together with a brand-new profile is [Nisos][MSFT25].
 *
 * Nothing here looks anything up either: enrichment prepares, once per record, every
 * address's normalised mailbox, domain, domain class and free-mail verdict (the
 * candidate's in ctx->en->emails, the references' in ctx->en->rec.ref_emails), the
 * forms the ICU confusable check compares (idr__domain_confusable), and the
 * front-company domain matches (ctx->en->rec.front_domains, lib/enrich/lists/
 * screen.c). The look-alike arithmetic (edits, the ASCII look-alike map) stays here
 * with its threshold.
 */
#include "rules/rule.h"

#include <stdio.h>
#include <string.h>

/* ---- eml_new_consumer_mailbox [Nisos][MSFT25] ------------------------------------ */
/* "Fresh" is a project choice made from the catalog's wording (a consumer mailbox
 * "with no history", paired with a "brand-new" profile [Nisos][MSFT25]): a mailbox
 * first seen less than 30 days (new_mailbox_days) before the evaluation was made for
 * this job search, and a profile created less than 60 days (new_profile_days) before
 * was made for the same one (profiles are usually set up a little before the
 * applications start). Both must hold: either alone is ordinary. */
enum { P_NEW_MAILBOX_DAYS, P_NEW_PROFILE_DAYS };
static const idr__param newmb_params[] = {
    [P_NEW_MAILBOX_DAYS] = {.name = "new_mailbox_days",
                            .def = 30,
                            .min = 1,
                            .max = 365,
                            .doc = "age in days under which a consumer mailbox is new"},
    [P_NEW_PROFILE_DAYS] = {.name = "new_profile_days",
                            .def = 60,
                            .min = 1,
                            .max = 365,
                            .doc = "age in days under which a public profile is new"},
};

static const char *const newmb_keys[] = {
    "mailbox", "mailbox_class",   "first_seen",       "mailbox_age_days",
    "profile", "profile_created", "profile_age_days", NULL};

static void eval_new_mailbox(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__contacts *ct = &ctx->c->contacts;
    if (ct->n_emails == 0) {
        idr__not_evaluated(ctx, ind, "no email address on file");
        return;
    }
    if (!ctx->en->rec.have_free_list) {
        idr__not_evaluated(ctx, ind,
                           "free-mail domain list not loaded (run `idrisk data fetch`)");
        return;
    }
    /* the newest consumer mailbox with a first-seen date */
    size_t mb = SIZE_MAX;
    bool consumer_undated = false;
    for (size_t i = 0; i < ct->n_emails; i++) {
        const idr__email_info *e = &ctx->en->emails[i];
        if (!e->domain_class || strcmp(e->domain_class, "other") == 0) {
            continue;
        }
        if (ct->emails[i].first_seen == IDR__DATE_NONE) {
            consumer_undated = true;
            continue;
        }
        if (mb == SIZE_MAX || ct->emails[i].first_seen > ct->emails[mb].first_seen) {
            mb = i;
        }
    }
    if (mb == SIZE_MAX) {
        if (consumer_undated) {
            idr__not_evaluated(ctx, ind, "no first_seen date for the consumer mailbox");
        }
        return; /* no consumer mailbox: clean */
    }
    int32_t mb_age = ctx->today - ct->emails[mb].first_seen;
    if (mb_age >= idr__param_of(ctx, P_NEW_MAILBOX_DAYS) || mb_age < 0) {
        return;
    }
    const idr__work_history *wh = &ctx->c->work_history;
    size_t pr = SIZE_MAX;
    for (size_t i = 0; i < wh->n_profiles; i++) {
        if (wh->profiles[i].created_at == IDR__DATE_NONE) {
            continue;
        }
        if (pr == SIZE_MAX || wh->profiles[i].created_at > wh->profiles[pr].created_at) {
            pr = i;
        }
    }
    if (pr == SIZE_MAX) {
        idr__not_evaluated(ctx, ind,
                           "new consumer mailbox, but no profile creation date to pair "
                           "it with");
        return;
    }
    int32_t pr_age = ctx->today - wh->profiles[pr].created_at;
    if (pr_age >= idr__param_of(ctx, P_NEW_PROFILE_DAYS) || pr_age < 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "mailbox", ctx->en->emails[mb].normalized);
    idr__ev_str(ev, "mailbox_class", ctx->en->emails[mb].domain_class);
    idr__ev_str(ev, "first_seen", idr__date_text(ctx, ct->emails[mb].first_seen));
    idr__ev_int(ev, "mailbox_age_days", mb_age);
    idr__ev_str(ev, "profile",
                wh->profiles[pr].kind_name ? wh->profiles[pr].kind_name : "profile");
    idr__ev_str(ev, "profile_created", idr__date_text(ctx, wh->profiles[pr].created_at));
    idr__ev_int(ev, "profile_age_days", pr_age);
}

static const idr__indicator eml_new_consumer_mailbox = {
    .id = "eml_new_consumer_mailbox",
    .evidence_keys = newmb_keys,
    .eval = eval_new_mailbox,
    .needs = IDR__NEED_LISTS,
    .params = newmb_params,
    .n_params = sizeof newmb_params / sizeof newmb_params[0],
};

/* ---- eml_lookalike_employer_domain [G22][DOJ-Oct23][DOJ-Jun25] ------------------- */
/* A look-alike is one or two edits away (lookalike_max_edits: insert, delete,
 * substitute or swap two neighbours: the typo-squats the seized domains used
 * [DOJ-Oct23]), or the same domain after mapping characters that read alike (0/o,
 * 1/l/i, rn/m, vv/w, cl/d). Three edits would already pair unrelated short domains
 * (abc.com / xyz.com). */
enum { P_LOOKALIKE_MAX_EDITS };
static const idr__param lookalike_params[] = {
    [P_LOOKALIKE_MAX_EDITS] = {.name = "lookalike_max_edits",
                               .def = 2,
                               .min = 0,
                               .max = 3,
                               .doc = "most character edits (whole number) between a "
                                      "look-alike and the real domain; 0 turns edit "
                                      "matching off"},
};

/* The ASCII "skeleton" of a domain: confusable characters mapped to one form. */
static char *skeleton(idr__arena *a, const char *d) {
    size_t n = strlen(d);
    char *s = idr__arena_alloc(a, n + 1);
    if (!s) {
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = d[i];
        if (c == 'r' && d[i + 1] == 'n') {
            s[k++] = 'm';
            i++;
        } else if (c == 'v' && d[i + 1] == 'v') {
            s[k++] = 'w';
            i++;
        } else if (c == 'c' && d[i + 1] == 'l') {
            s[k++] = 'd';
            i++;
        } else if (c == '0') {
            s[k++] = 'o';
        } else if (c == '1' || c == 'i') {
            s[k++] = 'l';
        } else if (c == '5') {
            s[k++] = 's';
        } else {
            s[k++] = c;
        }
    }
    s[k] = '\0';
    return s;
}

static bool same_or_sub(const char *d, const char *parent) {
    size_t ld = strlen(d), lp = strlen(parent);
    return strcmp(d, parent) == 0 ||
           (ld > lp && d[ld - lp - 1] == '.' && strcmp(d + ld - lp, parent) == 0);
}

/* How `dom` imitates `real`, or NULL when it does not. `df` and `rf` are their forms
 * for ICU's confusable check, prepared in enrichment (idr__domain_confusable). */
static const char *lookalike(idr__ctx *ctx,
                             const char *dom,
                             const idr__domain_form *df,
                             const char *real,
                             const idr__domain_form *rf) {
    if (!dom || !real || !*real || same_or_sub(dom, real)) {
        return NULL;
    }
    bool intl = strncmp(dom, "xn--", 4) == 0 || strstr(dom, ".xn--") != NULL;
    for (const char *p = dom; *p && !intl; p++) {
        intl = (unsigned char)*p >= 0x80;
    }
    if (intl && idr__domain_confusable(dom, df, real, rf)) {
        return idr__arena_printf(
            ctx->arena, "Unicode look-alike characters of %s (ICU confusables)", real);
    }
    int max_edits = (int)idr__param_of(ctx, P_LOOKALIKE_MAX_EDITS);
    int d = idr__edit_distance(dom, strlen(dom), real, strlen(real), max_edits);
    if (d >= 1 && d <= max_edits) {
        return idr__arena_printf(ctx->arena, "%d character edit%s from %s", d,
                                 d == 1 ? "" : "s", real);
    }
    const char *s1 = skeleton(ctx->arena, dom), *s2 = skeleton(ctx->arena, real);
    if (s1 && s2 && strcmp(s1, s2) == 0) {
        return idr__arena_printf(ctx->arena, "look-alike characters of %s", real);
    }
    if (idr__domain_confusable(dom, df, real, rf)) {
        return idr__arena_printf(
            ctx->arena, "Unicode look-alike characters of %s (ICU confusables)", real);
    }
    return NULL;
}

static const char *const lookalike_keys[] = {
    "problem", "email", "employer", "employer_domain", "method", "count", NULL};

static void eval_lookalike(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__work_history *wh = &ctx->c->work_history;
    const idr__record_facts *rf = &ctx->en->rec;
    size_t with_domain = 0, ref_emails = 0;
    for (size_t i = 0; i < wh->n_employers; i++) {
        with_domain += wh->employers[i].domain && *wh->employers[i].domain;
        for (size_t r = 0; r < wh->employers[i].n_references; r++) {
            ref_emails += wh->employers[i].references[r].email != NULL;
        }
    }
    if (with_domain == 0) {
        idr__not_evaluated(ctx, ind, "no employer domain on file");
        return;
    }
    if (ref_emails == 0 && ctx->c->contacts.n_emails == 0) {
        idr__not_evaluated(ctx, ind, "no reference or candidate email on file");
        return;
    }
    const char *problems = NULL;
    const idr__employer *first_emp = NULL;
    const char *first_email = NULL, *first_method = NULL;
    long long count = 0;
    size_t ref = 0; /* index of the employer's first reference in rf->ref_emails */
    for (size_t i = 0; i < wh->n_employers; i++) {
        const idr__employer *emp = &wh->employers[i];
        const idr__email_info *refs = &rf->ref_emails[ref];
        ref += emp->n_references;
        if (!emp->domain || !*emp->domain) {
            continue;
        }
        const idr__domain_form *real = &rf->employer_domains[i];
        /* references given for this employer */
        for (size_t r = 0; r < emp->n_references; r++) {
            const idr__email_info *em = &refs[r];
            const char *norm = em->normalized, *dom = em->domain;
            if (!norm) {
                /* an internationalised domain fails the ASCII syntax check but is
                 * exactly where homoglyphs hide: compare its domain part as written */
                dom = em->idn_domain;
                norm = emp->references[r].email;
                if (!dom) {
                    continue;
                }
            }
            const char *how = lookalike(ctx, dom, &em->form, emp->domain, real);
            if (!how && em->is_free) {
                how = idr__arena_printf(
                    ctx->arena, "free mailbox although the employer has %s", emp->domain);
            }
            if (!how) {
                continue;
            }
            count++;
            idr__list_add(ctx, "; ", &problems,
                          idr__arena_printf(ctx->arena, "reference %s for %s: %s", norm,
                                            emp->name ? emp->name : emp->domain, how));
            if (!first_emp) {
                first_emp = emp;
                first_email = norm;
                first_method = how;
            }
        }
        /* the candidate's own addresses posing as this employer's */
        for (size_t k = 0; k < ctx->c->contacts.n_emails; k++) {
            const idr__email_info *em = &ctx->en->emails[k];
            const char *how = lookalike(ctx, em->domain, &em->form, emp->domain, real);
            if (!how || em->is_free) {
                continue; /* a free mailbox of the candidate's own is ordinary */
            }
            count++;
            idr__list_add(ctx, "; ", &problems,
                          idr__arena_printf(ctx->arena, "candidate address %s: %s",
                                            em->normalized, how));
            if (!first_emp) {
                first_emp = emp;
                first_email = em->normalized;
                first_method = how;
            }
        }
    }
    if (!first_emp) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "problem", problems);
    idr__ev_str(ev, "email", first_email);
    idr__ev_str(ev, "employer", first_emp->name ? first_emp->name : first_emp->domain);
    idr__ev_str(ev, "employer_domain", first_emp->domain);
    idr__ev_str(ev, "method", first_method);
    idr__ev_int(ev, "count", count);
}

static const idr__indicator eml_lookalike_employer_domain = {
    .id = "eml_lookalike_employer_domain",
    .evidence_keys = lookalike_keys,
    .eval = eval_lookalike,
    .params = lookalike_params,
    .n_params = sizeof lookalike_params / sizeof lookalike_params[0],
};

/* ---- eml_front_company_domain (project) ------------------------------------------ */
/* An address or website on a domain a US action names for a DPRK IT-worker front
 * company (data/front_companies.tsv). Exact domain or subdomain match only. */
static const char *const front_keys[] = {"where", "value", "company", "sources", NULL};

static void eval_front_domain(idr__ctx *ctx, const idr__indicator *ind) {
    /* matched in enrichment (lib/enrich/lists/screen.c): the candidate's addresses,
     * each employer's domain and its references' addresses, the profile websites */
    const idr__screening *s = &ctx->en->rec.front_domains;
    if (s->checked == 0) {
        idr__not_evaluated(ctx, ind, "no email, employer domain or website on file");
        return;
    }
    if (s->n_hits == 0) {
        return;
    }
    const idr__screen_hit *h = &s->hits[0];
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "where", h->field);
    idr__ev_str(ev, "value", h->value);
    idr__ev_str(ev, "company", h->entry);
    idr__ev_str(ev, "sources", h->sources);
}

static const idr__indicator eml_front_company_domain = {
    .id = "eml_front_company_domain",
    .evidence_keys = front_keys,
    .eval = eval_front_domain,
    .needs = IDR__NEED_LISTS,
};

static const idr__indicator *const indicators[] = {&eml_new_consumer_mailbox,
                                                   &eml_lookalike_employer_domain,
                                                   &eml_front_company_domain, NULL};

const idr__family idr__family_email = {.name = "email",
                                       .prefix = "eml_",
                                       .file = "lib/rules/email.c",
                                       .indicators = indicators};
