/*
 * phone.c - phone enrichment. Placeholder until issue 4 lands: libphonenumber is not
 * wired, so the phone indicators report "not evaluated".
 */
#include "internal.h"

int idr__phone_open(idr_engine *eng, idr__phonedb **out, const char **why) {
    (void)eng;
    *out = NULL;
    *why = "phone enrichment is not built into this version";
    return IDR_OK;
}

void idr__phone_close(idr__phonedb *p) {
    (void)p;
}

int idr__phone_enrich(idr__ctx *ctx) {
    (void)ctx;
    return IDR_OK;
}

void idr__phone_enrichment_json(const idr__ctx *ctx, idr__jw *w) {
    (void)ctx;
    (void)w;
}

int idr_engine_lookup_phone(const idr_engine *eng,
                            const char *number,
                            const char *country,
                            char **out,
                            idr_error *err) {
    (void)eng;
    (void)number;
    (void)country;
    *out = NULL;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "phone support is not built in");
}
