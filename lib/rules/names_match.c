/*
 * names_match.c - the rules' name comparison over the engine's name normaliser.
 */
#include "enrich/names/names.h"
#include "rules/rule.h"

double idr__name_similarity(const idr__ctx *ctx, const char *a, const char *b) {
    return idr__names_similarity(ctx && ctx->mods ? ctx->mods->names : NULL, a, b);
}

bool idr__names_match(const idr__ctx *ctx, const char *a, const char *b) {
    return idr__name_similarity(ctx, a, b) >= IDR__NAME_MATCH;
}
