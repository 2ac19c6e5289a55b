/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/result.h - the result's layout, shared by score.c and result.c only.
 */
#ifndef IDRISK_CORE_RESULT_H
#define IDRISK_CORE_RESULT_H

#include "core/engine.h"
#include "store/store.h"

struct idr_result {
    idr__arena *arena;
    const idr_engine *eng;
    const char *candidate_id;
    int64_t as_of, evaluated_at;
    idr__report rep; /* what the evaluators reported; hits sorted by finalize() */
    const char **warnings;
    size_t n_warnings;
    idr__enrichment_view enrichment; /* kept from the record's enrichment; rendered only
                                   by idr_result_to_json() */
    idr_ruleset_info ruleset;        /* borrowed from the engine's pack */
    bool linked;                     /* scored against a store: `links` is written */
    idr_link_info *links;            /* at most IDR__LINKS_MAX, sorted */
    size_t n_links, links_omitted;
    idr_coverage_family *coverage; /* one per family of the pack (score.c) */
    size_t n_coverage;
    idr_coverage cov;
    int score;
    idr_band band;
    idr_action action;
};

/* Score with the links given (borrowed for the call) instead of a store's: the rules'
 * view of a store, for tests of the linkage indicators (tests/unit). */
int idr__engine_score_with_links(const idr_engine *eng,
                                 const idr_candidate *cand,
                                 const idr__links *links,
                                 idr_result **out,
                                 idr_error *err);

#endif
