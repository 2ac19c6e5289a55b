/*
 * core/result.h - the result's layout, shared by score.c and result.c only.
 */
#ifndef IDRISK_CORE_RESULT_H
#define IDRISK_CORE_RESULT_H

#include "core/engine.h"

typedef enum { IDR__EV_STR, IDR__EV_INT, IDR__EV_NUM, IDR__EV_BOOL } idr__ev_type;

typedef struct idr__evkv {
    const char *key;
    idr__ev_type t;
    const char *s;
    long long i;
    double d;
    bool b;
} idr__evkv;

struct idr__ev {
    idr__evkv *kv;
    size_t n, cap;
    idr__arena *arena;
};

typedef struct idr__hitrec {
    const idr__rule *rule;   /* NULL for a combination */
    const idr__combo *combo; /* NULL for an indicator */
    idr__ev ev;
    idr_reason pub;
} idr__hitrec;

typedef struct idr__note {
    const char *id, *text; /* suppressed: text = by; not evaluated: text = why */
} idr__note;

struct idr_result {
    idr__arena *arena;
    const idr_engine *eng;
    const char *candidate_id;
    int64_t as_of, evaluated_at;
    idr__hitrec **hits; /* sorted, most important first */
    size_t n_hits, cap_hits;
    idr__note *suppressed;
    size_t n_suppressed, cap_suppressed;
    idr__note *not_evaluated;
    size_t n_not_evaluated, cap_not_evaluated;
    const char **warnings;
    size_t n_warnings;
    const char *enrichment_json; /* pre-rendered object, written while the candidate
                                    is at hand */
    int score;
    const char *band, *action;
    bool oom;
};

#endif
