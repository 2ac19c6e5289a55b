/* SPDX-License-Identifier: Apache-2.0 */
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

/* idr__name_toks, its limits and idr__name_toks_similarity() are in enrich/enrich.h
 * (the rules compare prepared tokens). */

/* Normalise `s` into tokens: NFKC, transliteration to Latin, diacritics removed, case
 * folded, apostrophes dropped, every other non-letter/digit a separator, honorifics and
 * legal-form words (Mr, Jr, LLC, Inc, Co, Ltd ...) removed unless nothing else is left.
 * `nm` may be NULL (ICU unavailable): ASCII is handled the same way, other bytes are
 * kept as they are (idr__norm_simple). Never fails; NULL gives no tokens. */
void idr__name_tokenize(const idr__names *nm, const char *s, idr__name_toks *out);
/* The same through the ICU transliterator whatever the input: no ASCII fast path, no
 * names_translit.tsv. For the tests that hold those two to ICU's answer. */
void idr__name_tokenize_icu(const idr__names *nm, const char *s, idr__name_toks *out);

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

/* True when domain `dom` (ASCII, punycode or Unicode) is visually confusable with
 * `real` according to ICU's spoof checker (Unicode confusables data, UTS #39), e.g.
 * "аcme.com" with a Cyrillic "а", or "acrne.com" for "acme.com". False without ICU. */
bool idr__names_domain_confusable(const idr__names *nm,
                                  const char *dom,
                                  const char *real);

/* The look-alike comparison form of domain `dom` (strings in `a`): its Unicode form
 * (punycode labels decoded when `decode`, as idr__names_domain_confusable() does for
 * its first argument) and that form's UTS #39 skeleton. Without ICU's spoof checker
 * both stay NULL. IDR_OK or IDR_ENOMEM. */
int idr__names_domain_form(const idr__names *nm,
                           idr__arena *a,
                           const char *dom,
                           bool decode,
                           idr__domain_form *out);

/* Fill en->rec.names: every name a rule compares, tokenised once (the table and its
 * cap are in enrich/enrich.h). IDR_OK or IDR_ENOMEM. */
int idr__names_enrich(idr__enrichment *en);

/* True when the nickname table puts the two (normalised) tokens in one group. */
bool idr__names_nickname(const idr__names *nm, const char *x, const char *y);

/* Number of nickname groups loaded (0 without the table), for tests and describe. */
size_t idr__names_nickname_groups(const idr__names *nm);

#endif /* IDRISK_NAMES_H */
