/* SPDX-License-Identifier: Apache-2.0 */
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

typedef struct idr__watch_index idr__watch_index; /* lib/enrich/lists/match.c */

/* ---- Curated lists (lib/enrich/lists/lists.c)
 * -------------------------------------------- */

/* idr__watch_list, idr__tech and idr__tech_claim are in enrich/enrich.h (the rules read
 * screening hits and claims). */

typedef struct idr__watch_entry {
    idr__watch_list list;
    const char *name;   /* as the source spells it */
    const char *kind;   /* "person" or "entity" */
    const char **names; /* name followed by its aliases */
    size_t n_names;
    const char **domains; /* lower case */
    size_t n_domains;
    const char **emails; /* lower case */
    size_t n_emails;
    const char **wallets; /* as listed (case kept: some chains are case-sensitive) */
    size_t n_wallets;
    const char **phones; /* E.164, "+" and digits only */
    size_t n_phones;
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

/* Key and index every watch-list name once (idr__modules_open calls it once both
 * modules are open; `nm` NULL without ICU), so screening compares prepared keys of the
 * few names that share a word with the screened one. IDR_OK or IDR_ENOMEM. */
int idr__lists_prepare_names(idr__lists *l, const idr__names *nm);
/* For the user-list loader: room for `extra` more entries, then one appended (zeroed),
 * and the lists' arena. */
int idr__lists_reserve_watch(idr__lists *l, size_t extra);
idr__watch_entry *idr__lists_watch_append(idr__lists *l);
idr__arena *idr__lists_arena(idr__lists *l);
/* A listed phone number as E.164 ("+" and digits), or NULL when it is not one: "+" or
 * "00" then 7..15 digits, or 11..15 digits without (taken to carry a country code). */
const char *idr__phone_canon(idr__arena *a, const char *s);

/* The name index of the loaded watch lists (built by idr__lists_prepare_names; NULL
 * before or when it could not be built). */
const idr__watch_index *idr__lists_index(const idr__lists *l);

/* ---- Name keys and the token index (lib/enrich/lists/match.c) ------------------ */

#define IDR__ORG_MAX_TOKENS 16
/* A token held by more list names than this is not used to find candidates (unless it
 * is all a name has): it bounds the comparisons per screened name on a full list. */
#define IDR__INDEX_COMMON 256
/* At most this many list names are compared with one screened name. */
#define IDR__INDEX_MAX_CANDIDATES 2048

/* A name's comparison key: tokens in buf, NUL-terminated each. */
typedef struct idr__org_key {
    char buf[320];
    uint16_t off[IDR__ORG_MAX_TOKENS];
    uint8_t len[IDR__ORG_MAX_TOKENS];
    size_t n, used;
} idr__org_key;

/* Organisation key: legal forms and "and" dropped, abbreviations spelled out, initials
 * dropped, order kept (docs/sanctions.md). */
void idr__org_key_from_toks(const idr__name_toks *t, idr__org_key *k);
/* Person key: the tokens sorted. */
void idr__person_key_from_toks(const idr__name_toks *t, idr__org_key *k);
/* Tokens joined by single spaces (arena), and back. */
char *idr__org_key_pack(idr__arena *a, const idr__org_key *k);
void idr__org_key_unpack(const char *packed, idr__org_key *k);
/* Similarity of two organisation keys, or -1 when they do not match (the rule is in
 * match.c's header). Pure. */
double idr__org_similarity(const idr__org_key *a, const idr__org_key *b);
/* The same tokens (person keys are sorted), except that a listed patronymic (7+
 * letters ending -vich, -vna, -ichna, -ogly, -oglu, -kyzy) may be absent from a query
 * of at least two tokens. */
bool idr__person_key_match(const idr__org_key *q, const idr__org_key *listed);

/* One list name in the index. */
typedef struct idr__watch_name {
    uint32_t entry; /* index into the watch entries */
    uint32_t k;     /* index into the entry's names */
    bool person;
    const char *key; /* packed key */
} idr__watch_name;

/* Build the index of every name of `w` (memory in `ar`; `al` for scratch). */
int idr__watch_index_build(idr__arena *ar,
                           const idr__alloc *al,
                           const idr__names *nm,
                           const idr__watch_entry *w,
                           size_t n_w,
                           idr__watch_index **out);
/* The ids (sorted, unique, at most `max`) of the list names sharing a lookup word with
 * one of `keys`. */
size_t idr__watch_index_candidates(const idr__watch_index *x,
                                   const idr__org_key *const *keys,
                                   size_t n_keys,
                                   uint32_t *out,
                                   size_t max);
/* The entries (sorted, unique, at most `max`) listing an identifier exactly: `kind`
 * 'e' a normalised email, 'd' a domain, 'w' a wallet address, 'p' an E.164 phone. */
size_t idr__watch_index_ident(
    const idr__watch_index *x, char kind, const char *value, uint32_t *out, size_t max);
const idr__watch_name *idr__watch_index_name(const idr__watch_index *x, uint32_t id);
/* Number of names indexed; *n_tokens the distinct lookup words. */
size_t idr__watch_index_size(const idr__watch_index *x, size_t *n_tokens);

/* ---- Lists the user supplies (lib/enrich/lists/userlist.c) ---------------------- */

/* Load the sanctions list at `path` (IDR_CFG_SANCTIONS_FILE) in `format` ("auto",
 * "sdn-csv" or "ftm"; NULL is "auto") and append its entries to the watch list.
 * IDR_OK (bad lines are engine warnings naming file:line), IDR_EIO with *msg when the
 * file cannot be read, IDR_EDATA with *msg when nothing in it is usable, IDR_ENOMEM. */
int idr__lists_load_user(idr__loader *ld,
                         idr__lists *l,
                         const char *path,
                         const char *format,
                         const char **msg);

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
