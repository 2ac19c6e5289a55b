/*
 * enrich/names/names.h - the name normaliser (ICU): tokens, similarity, nicknames,
 * confusable domains. The contracts of docs/names.md.
 */
#ifndef IDRISK_NAMES_H
#define IDRISK_NAMES_H

#include "enrich/enrich.h"

/* Open the ICU transliterator, spoof checker and nickname table. IDR_OK with *out NULL
 * and a reason in *why when ICU is unavailable; errors only for ENOMEM. */
int idr__names_open(idr__loader *ld, idr__names **out, const char **why);
void idr__names_close(idr__names *n);

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

#endif /* IDRISK_NAMES_H */
