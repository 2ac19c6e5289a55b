/*
 * geo.c - IP enrichment with libmaxminddb. Placeholder until issue 3 lands: no IP
 * database is opened, so the network indicators report "not evaluated".
 */
#include "internal.h"

int idr__geo_open(idr_engine *eng, idr__geo **out, const char **why) {
    (void)eng;
    *out = NULL;
    *why = "IP enrichment is not built into this version";
    return IDR_OK;
}

void idr__geo_close(idr__geo *g) {
    (void)g;
}

int idr__geo_enrich(idr__ctx *ctx) {
    (void)ctx;
    return IDR_OK;
}

int idr__residence_resolve(idr__ctx *ctx) {
    const idr__address *r = &ctx->c->identity.residence;
    if (r->present && !isnan(r->lat) && !isnan(r->lon)) {
        ctx->residence.known = true;
        ctx->residence.lat = r->lat;
        ctx->residence.lon = r->lon;
        ctx->residence.source = "caller";
    } else {
        ctx->residence_unresolved = "the residence has no coordinates";
    }
    return IDR_OK;
}

void idr__geo_enrichment_json(const idr__ctx *ctx, idr__jw *w) {
    (void)ctx;
    (void)w;
}

int idr_engine_lookup_ip(const idr_engine *eng, const char *ip, char **out, idr_error *err) {
    (void)eng;
    (void)ip;
    *out = NULL;
    return idr__err(err, IDR_EUNAVAILABLE, NULL, "no IP database is loaded");
}
