/*
 * enrich/lists/lists.h - the curated lists (data/: sanctions, front companies,
 * technology release years) and the fetched email-domain lists, with the matchers
 * over them (mailbox syntax and normalisation, technology claims).
 *
 * Uses the name normaliser (watch-list names are tokenised once at engine build), so
 * it includes enrich/names; names never includes lists.
 */
#ifndef IDRISK_LISTS_H
#define IDRISK_LISTS_H

#include "enrich/names/names.h"

/* Open the lists found in ld->data_dir and ld->lists_dir. IDR_OK with *out NULL and a
 * reason in *why when none is found; errors only for ENOMEM. */
int idr__lists_open(idr__loader *ld, idr__lists **out, const char **why);
void idr__lists_close(idr__lists *l);
/* Fill en->emails[] (normalised mailbox, domain, domain class, look-alike facts) and
 * en->rec's email facts: the references' addresses, the employers' domain forms,
 * whether the free-mail list is loaded. */
int idr__email_enrich(idr__enrichment *en);
/* Screen the record against the watch lists (lib/enrich/lists/screen.c): fills
 * en->rec.sanctions, fronts and front_domains. Needs en->emails, en->rec.ref_emails and
 * en->rec.names filled first. IDR_OK or IDR_ENOMEM. */
int idr__screen_enrich(idr__enrichment *en);
/* The technology claims of the resume text (en->rec.tech_claims, at most
 * IDR__TECH_CLAIMS_MAX) and whether the release-year table is loaded. */
int idr__claims_enrich(idr__enrichment *en);

/* ---- Curated lists (lib/enrich/lists/lists.c)
 * -------------------------------------------- */

/* idr__watch_list, idr__tech and idr__tech_claim are in enrich/enrich.h (the rules read
 * screening hits and claims). */

typedef struct idr__watch_entry {
    idr__watch_list list;
    const char *name;     /* as the source spells it */
    const char *kind;     /* "person" or "entity" */
    const char **names;   /* name followed by its aliases */
    idr__name_toks *toks; /* tokenised names (filled when the names module opens) */
    size_t n_names;
    const char **domains; /* lower case */
    size_t n_domains;
    const char **emails; /* lower case */
    size_t n_emails;
    const char **wallets; /* as listed (case kept: some chains are case-sensitive) */
    size_t n_wallets;
    const char *sources; /* source keys, comma-separated, e.g. "OFAC-Jul25a" */
    const char *program; /* OFAC program tags or the action, free text */
} idr__watch_entry;

/* Domain classes from the fetched npm lists (NULL list = not loaded). */
bool idr__lists_have_free(const idr__lists *l);
bool idr__lists_have_disposable(const idr__lists *l);
bool idr__lists_is_free(const idr__lists *l, const char *domain);
bool idr__lists_is_disposable(const idr__lists *l, const char *domain);

const idr__watch_entry *idr__lists_watch(const idr__lists *l, size_t *n);
const idr__tech *idr__lists_tech(const idr__lists *l, size_t *n);

/* Tokenise every watch-list name once (idr__modules_open calls it once both modules
 * are open), so screening compares against prepared tokens. */
void idr__lists_prepare_names(idr__lists *l, const idr__names *nm);

/* Mailbox syntax (PCRE2, JIT-compiled at engine build). NULL lists: a plain check. */
bool idr__lists_mailbox_syntax_ok(const idr__lists *l, const char *addr);

/* Find the claims in `text` (PCRE2); at most `max` are stored. Returns the count. */
size_t idr__lists_tech_claims(const idr__lists *l,
                              idr__arena *a,
                              const char *text,
                              idr__tech_claim *out,
                              size_t max);

/* Mailbox normalisation (docs/names.md "Emails"): lower case; for providers that
 * ignore them, dots (Gmail only) and "+tag" sub-addresses removed; googlemail.com
 * becomes gmail.com. Returns NULL for a syntactically invalid address. `domain_out`
 * (may be NULL) gets the domain part of the result. */
char *idr__email_normalize(const idr__lists *l,
                           idr__arena *a,
                           const char *addr,
                           const char **domain_out);

#endif /* IDRISK_LISTS_H */
