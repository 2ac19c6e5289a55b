/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/engine.h - the engine: a rule pack, the opened enrichment modules and what they
 * loaded, and the parse limits. Built once by engine.c, then immutable and shared by
 * every scoring thread.
 *
 * Layer 5 (the top): may include every layer below. Nothing below includes it.
 */
#ifndef IDRISK_CORE_ENGINE_H
#define IDRISK_CORE_ENGINE_H

#include <stdatomic.h>

#include "parse/parse.h"
#include "rules/rule.h"

struct idr_engine {
    idr__arena *arena;
    /* References: the caller's (dropped by idr_engine_free) plus one per live result.
     * The only mutable part of a built engine, reached through a pointer so that a
     * const engine can be retained; lives in the engine arena. */
    atomic_size_t *refs;
    idr__rulepack *pack;
    idr__limits limits;
    const char *data_dir, *lists_dir;
    idr__modules mods;     /* each module NULL when unavailable, with the reason */
    idr__data_entry *data; /* databases and lists in use, in load order */
    size_t n_data;
    idr__strv warnings;
    idr__verify_count checked; /* what the data checks did at build (tests read it) */
    /* Hashes document and account numbers of candidates parsed without a store: random
     * per engine, so those hashes mean nothing outside the process (a store links
     * under its own key, idr_candidate_from_json_for_store). */
    idr__id_key id_key;
    /* The `ruleset` object and the `data` list as JSON, rendered once at build: every
     * result carries them unchanged, and rebuilding them was a quarter of a result's
     * rendering (bench/RESULTS.md). */
    const char *ruleset_json, *data_json;
};

/* Results borrow rule texts, the data list and warnings from their engine, so each
 * holds a reference: retain when a result is made, release when it is freed. The
 * engine is destroyed when the last reference goes (any thread). */
void idr__engine_retain(const idr_engine *eng);
void idr__engine_release(const idr_engine *eng);

/* Result/describe writers shared by engine.c and result.c. */
void idr__write_data_list(const idr_engine *eng, idr__jw *w);
void idr__write_ruleset(const idr_engine *eng, idr__jw *w);

#endif /* IDRISK_CORE_ENGINE_H */
