/*
 * names.c - name comparison. Placeholder until issue 4 lands the ICU normaliser:
 * names are compared after idr__norm_simple() with sorted tokens.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int idr__names_open(idr_engine *eng, idr__names **out, const char **why) {
    (void)eng;
    *out = NULL;
    *why = "ICU name normalisation is not built into this version";
    return IDR_OK;
}

void idr__names_close(idr__names *n) {
    (void)n;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Tokens of the simple normalisation, sorted and joined, so order does not matter. */
static char *sorted_tokens(idr__arena *a, const char *s) {
    char *n = idr__norm_simple(a, s);
    if (!n) {
        return NULL;
    }
    const char *tok[32];
    size_t nt = 0;
    for (char *p = strtok(n, " "); p && nt < 32; p = strtok(NULL, " ")) {
        tok[nt++] = p;
    }
    qsort(tok, nt, sizeof tok[0], cmp_str);
    size_t len = 0;
    for (size_t i = 0; i < nt; i++) {
        len += strlen(tok[i]) + 1;
    }
    char *out = idr__arena_alloc(a, len + 1);
    if (!out) {
        return NULL;
    }
    out[0] = 0;
    for (size_t i = 0; i < nt; i++) {
        if (i) {
            strcat(out, " ");
        }
        strcat(out, tok[i]);
    }
    return out;
}

double idr__name_similarity(const idr__ctx *ctx, const char *a, const char *b) {
    if (!a || !b || !*a || !*b) {
        return 0.0;
    }
    char *x = sorted_tokens(ctx->arena, a), *y = sorted_tokens(ctx->arena, b);
    if (!x || !y || !*x) {
        return 0.0;
    }
    return strcmp(x, y) == 0 ? 1.0 : 0.0;
}

bool idr__names_match(const idr__ctx *ctx, const char *a, const char *b) {
    return idr__name_similarity(ctx, a, b) >= IDR__NAME_MATCH;
}
