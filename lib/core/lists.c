/*
 * lists.c - curated lists under data/. Placeholder until issue 4 lands the list
 * loader: no list is loaded, so list-based indicators report "not evaluated".
 */
#include "internal.h"

int idr__lists_open(idr_engine *eng, idr__lists **out, const char **why) {
    (void)eng;
    *out = NULL;
    *why = "curated lists are not built into this version";
    return IDR_OK;
}

void idr__lists_close(idr__lists *l) {
    (void)l;
}

int idr__email_enrich(idr__ctx *ctx) {
    (void)ctx;
    return IDR_OK;
}

void idr__email_enrichment_json(const idr__ctx *ctx, idr__jw *w) {
    (void)ctx;
    (void)w;
}
