/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse/parse.h - candidate JSON in, a typed idr_candidate out.
 *
 * Layer 2: includes model (and util below it). The parser is the only code that reads
 * candidate JSON; it checks every key (protected attributes at any depth, duplicates,
 * depth, array lengths) before it extracts a single value, so nothing downstream ever
 * sees a record the contract refuses. Limits: docs/input-limits.md.
 */
#ifndef IDRISK_PARSE_H
#define IDRISK_PARSE_H

#include "model/model.h"

/** Parse `len` bytes of candidate JSON under `lim` (NULL: idr__default_limits).
 *  IDR_OK with *out set, or IDR_EINVAL / IDR_ELIMIT / IDR_ENOMEM with err->field
 *  holding the JSON path. */
int idr__candidate_parse(idr_candidate **out,
                         const idr__limits *lim,
                         const char *json,
                         size_t len,
                         idr_error *err);
/** idr__candidate_parse() with the candidate's memory (its arena and the parse's
 *  scratch) from `al` (NULL: the C library) and document and account numbers hashed
 *  under `key` (NULL: an all-zero key, for tests only; the engine passes its private
 *  key, a store its own). The JSON tree (cJSON's or simdjson's, json_simd.h) is the C
 *  library's; with a non-NULL `al` the tree is always cJSON's. The candidate keeps
 *  the key's fingerprint (c->key_fp). */
int idr__candidate_parse_al(idr_candidate **out,
                            const idr__alloc *al,
                            const idr__id_key *key,
                            const idr__limits *lim,
                            const char *json,
                            size_t len,
                            idr_error *err);

#endif /* IDRISK_PARSE_H */
