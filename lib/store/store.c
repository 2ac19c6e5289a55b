/*
 * store.c - placeholder until the SQLite store lands (issue 10, in progress): every
 * entry point fails with IDR_EUNAVAILABLE, so nothing can mistake it for a store.
 */
#include "store/store.h"

struct idr_store {
    idr__id_key key;
    bool readonly;
};

const idr__id_key *idr__store_key(const idr_store *st) {
    return &st->key;
}

bool idr__store_readonly(const idr_store *st) {
    return st->readonly;
}

int idr__store_link(idr_store *st,
                    const idr_candidate *c,
                    const idr__enrichment *en,
                    idr__arena *a,
                    idr__links *out,
                    idr_error *err) {
    (void)st, (void)c, (void)en, (void)a, (void)out;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

int idr__store_put(idr_store *st,
                   const idr_candidate *c,
                   const idr__enrichment *en,
                   const idr__standalone *s,
                   int64_t now,
                   idr_error *err) {
    (void)st, (void)c, (void)en, (void)s, (void)now;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

int idr_store_open(idr_store **out,
                   const char *path,
                   const char *key_path,
                   unsigned flags,
                   idr_error *err) {
    (void)path, (void)key_path, (void)flags;
    if (out) {
        *out = NULL;
    }
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

int idr_store_open_with_key(idr_store **out,
                            const char *path,
                            const unsigned char *key,
                            size_t key_len,
                            unsigned flags,
                            idr_error *err) {
    (void)path, (void)key, (void)key_len, (void)flags;
    if (out) {
        *out = NULL;
    }
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

void idr_store_free(idr_store *st) {
    (void)st;
}

int idr_store_forget(idr_store *st,
                     const char *candidate_id,
                     int *found,
                     idr_error *err) {
    (void)st, (void)candidate_id, (void)found;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

int idr_store_purge(idr_store *st,
                    int64_t before,
                    unsigned long long *removed,
                    idr_error *err) {
    (void)st, (void)before, (void)removed;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}

int idr_store_stats_json(idr_store *st, char **out, idr_error *err) {
    (void)st, (void)out;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "store not built");
}
