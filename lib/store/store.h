/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store/store.h - the cross-candidate linkage store (docs/store.md).
 *
 * Layer 4 (between enrich and rules): includes enrich (and model, util below it). The
 * store is the one module that knows SQL: the schema, its migrations and every query
 * live in the .c files of lib/store behind this interface, so a second backend
 * (PostgreSQL, issue 14) replaces the .c files, not the callers. lib/core calls it; rules
 * never do: they read the links it puts into the enrichment (idr__enrichment.links).
 *
 * Identifiers are extracted and normalised here (ids.c), hashed under the store's key
 * (keyed BLAKE2b-256, lib/util/hash.c), and only the hashes are written.
 */
#ifndef IDRISK_STORE_H
#define IDRISK_STORE_H

#include "enrich/enrich.h"

/* What the store records about a candidate besides its identifiers: its score without
 * links (so that a referral from it can be judged), whether it declared an
 * employer-of-record engagement, and which indicators fired. */
typedef struct idr__standalone {
    int score;
    int action;        /* idr_action */
    const char *fired; /* fired indicator ids, comma-separated, sorted */
} idr__standalone;

/* The identifier key of the store (for parsing candidates "for the store"). */
const idr__id_key *idr__store_key(const idr_store *st);
bool idr__store_readonly(const idr_store *st);

/* Find every other candidate sharing an identifier with `c` (enriched as `en`) and
 * fill *out, allocating in `a` (the result's arena); the call's scratch comes from
 * `a`'s allocator (the engine's), so every allocation of linking is the caller's
 * (SQLite's own excepted, docs/memory.md). Deterministic: sorted by kind,
 * then candidate_id, then own_index. IDR_OK, or IDR_EIO / IDR_EBUSY / IDR_ENOMEM with
 * err set (then *out is unusable). */
int idr__store_link(idr_store *st,
                    const idr_candidate *c,
                    const idr__enrichment *en,
                    idr__arena *a,
                    idr__links *out,
                    idr_error *err);

/* Record `c` (enriched as `en`) with its standalone outcome `s`, replacing whatever
 * was stored under the same candidate_id, in one transaction. `now` is the time of
 * recording (seconds, UTC) for retention. Scratch comes from `al` (the engine's
 * allocator; NULL: the C library). Any failure rolls the transaction back: the store
 * keeps the candidate's previous record, or none. */
int idr__store_put(idr_store *st,
                   const idr__alloc *al,
                   const idr_candidate *c,
                   const idr__enrichment *en,
                   const idr__standalone *s,
                   int64_t now,
                   idr_error *err);

#endif /* IDRISK_STORE_H */
