/*
 * names.h - the name normaliser and the curated lists, as seen by the modules that use
 * them (lib/names, lib/core/lists.c, lib/rules/email.c, lib/rules/sanctions.c).
 * Not installed; the contracts of docs/names.md.
 */
#ifndef IDRISK_NAMES_H
#define IDRISK_NAMES_H

#include "internal.h"

/* ---- Normalised names ----------------------------------------------------------- */

/* At most this many tokens of a name take part in a comparison (the rest are dropped:
 * no real person or company name the lists hold has more), and the normalised text is
 * cut at IDR__NAME_BUF bytes. Inputs longer than IDR__NAME_MAX_INPUT bytes are cut
 * before normalisation. The limits keep a comparison allocation-free and bounded. */
#define IDR__NAME_MAX_TOKENS 8
#define IDR__NAME_BUF        256
#define IDR__NAME_MAX_INPUT  512

typedef struct idr__name_toks {
    char buf[IDR__NAME_BUF]; /* tokens, each NUL-terminated */
    uint8_t off[IDR__NAME_MAX_TOKENS];
    uint8_t len[IDR__NAME_MAX_TOKENS];
    bool initial[IDR__NAME_MAX_TOKENS]; /* a one-letter token ("J." in "J. Smith") */
    int16_t nick[IDR__NAME_MAX_TOKENS]; /* first nickname-table row of the token, or -1 */
    size_t n;
} idr__name_toks;

/* Normalise `s` into tokens: NFKC, transliteration to Latin, diacritics removed, case
 * folded, apostrophes dropped, every other non-letter/digit a separator, honorifics and
 * legal-form words (Mr, Jr, LLC, Inc, Co, Ltd ...) removed unless nothing else is left.
 * `nm` may be NULL (ICU unavailable): ASCII is handled the same way, other bytes are
 * kept as they are (idr__norm_simple). Never fails; NULL gives no tokens. */
void idr__name_tokenize(const idr__names *nm, const char *s, idr__name_toks *out);

/* Similarity in 0..1 of two tokenised names (the measure of docs/names.md). */
double idr__name_toks_similarity(const idr__names *nm,
                                 const idr__name_toks *a,
                                 const idr__name_toks *b);

/* The same, also giving the smallest token similarity of the best pairing (how well
 * the worst-matching token of the shorter name is covered), for screening. */
double idr__name_toks_similarity_ex(const idr__names *nm,
                                    const idr__name_toks *a,
                                    const idr__name_toks *b,
                                    double *min_pair);

/* Both steps; the engine-free form of idr__name_similarity(). Thread-safe. */
double idr__names_similarity(const idr__names *nm, const char *a, const char *b);

/* The normalised tokens joined by single spaces, in the arena (for evidence). */
char *idr__name_toks_text(idr__arena *a, const idr__name_toks *t);

/* Jaro-Winkler similarity of two byte strings (prefix scale 0.1, prefix up to 4). */
double idr__jaro_winkler(const char *s, size_t ls, const char *t, size_t lt);

/* Restricted Damerau-Levenshtein (optimal string alignment) distance, or `cap` + 1
 * when it exceeds `cap` (strings longer than 255 bytes always give cap + 1). */
int idr__edit_distance(const char *s, size_t ls, const char *t, size_t lt, int cap);

/* True when domain `dom` (ASCII, punycode or Unicode) is visually confusable with
 * `real` according to ICU's spoof checker (Unicode confusables data, UTS #39), e.g.
 * "аcme.com" with a Cyrillic "а", or "acrne.com" for "acme.com". False without ICU. */
bool idr__names_domain_confusable(const idr__names *nm,
                                  const char *dom,
                                  const char *real);

/* True when the nickname table puts the two (normalised) tokens in one group. */
bool idr__names_nickname(const idr__names *nm, const char *x, const char *y);

/* Number of nickname groups loaded (0 without the table), for tests and describe. */
size_t idr__names_nickname_groups(const idr__names *nm);

/* ---- Curated lists (lib/core/lists.c) -------------------------------------------- */

typedef enum {
    IDR__WATCH_SANCTIONS = 1, /* data/sanctions_sdn_itw.tsv: OFAC SDN designations */
    IDR__WATCH_FRONT          /* data/front_companies.tsv: fronts named in US actions */
} idr__watch_list;

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

typedef struct idr__tech {
    const char *name;  /* as printed, e.g. "Rust" */
    const char *lower; /* lower case, for matching */
    int year;          /* first public release */
    bool claim_only;   /* counts only in an explicit "N years with" claim */
    const char *source;
} idr__tech;

/* Domain classes from the fetched npm lists (NULL list = not loaded). */
bool idr__lists_have_free(const idr__lists *l);
bool idr__lists_have_disposable(const idr__lists *l);
bool idr__lists_is_free(const idr__lists *l, const char *domain);
bool idr__lists_is_disposable(const idr__lists *l, const char *domain);

const idr__watch_entry *idr__lists_watch(const idr__lists *l, size_t *n);
const idr__tech *idr__lists_tech(const idr__lists *l, size_t *n);

/* Tokenise every watch-list name once (called by idr__names_open, which runs after
 * idr__lists_open), so screening compares against prepared tokens. */
void idr__lists_prepare_names(idr__lists *l, const idr__names *nm);

/* Mailbox syntax (PCRE2, JIT-compiled at engine build). NULL lists: a plain check. */
bool idr__lists_mailbox_syntax_ok(const idr__lists *l, const char *addr);

/* A technology-experience claim found in resume text. */
typedef struct idr__tech_claim {
    const idr__tech *tech;
    int years;      /* "N years with T"; 0 when the claim is a date range */
    int range_from; /* "2012-2014 ... T"; 0 when the claim is a years claim */
    int range_to;
    const char *quote; /* the claim as written (arena) */
} idr__tech_claim;

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

#endif /* IDRISK_NAMES_H */
