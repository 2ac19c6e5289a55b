/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lenient.c - `--lenient`: rewrite the forms real HR exports use into the contract's
 * before the library sees the record, one warning per value changed.
 *
 * Which fields are countries, dates and instants comes from the contract's JSON
 * Schema (data/schema/candidate-v1.schema.json, compiled in as cli_schema): a value
 * whose schema is the "country" definition (or the pattern ^[A-Z]{2}$) is a country,
 * "format": "date" a date and "format": "date-time" an instant. So a field added to
 * the contract is mapped without touching this file.
 *
 * Countries: a case-folded alpha-2 code ("us"), an ISO 3166-1 alpha-3 code ("USA")
 * or an English name ("United States", "Ivory Coast", "UK") becomes the alpha-2 code.
 * The codes and names are ICU's (uloc_getISOCountries, uloc_getISO3Country,
 * uloc_getDisplayCountry in English, and the English "short" and "variant" names of
 * ICU's region data), not a table of our own. Names are compared without case,
 * accents, punctuation or a leading "the"; a name two countries share maps to none.
 * Times, where an instant is wanted: "YYYY-MM" is the first of the month at midnight
 * UTC, a date its midnight UTC, and "YYYY-MM-DD hh:mm[:ss]" (a space, or no zone) is
 * taken as UTC. Where a date is wanted, an instant gives its own calendar date; a
 * bare "YYYY-MM" is not made a date, because an invented day (of a birth, of a
 * document's issue) would be a contradiction for the rules to find. Anything else is
 * left alone, so the library still names it as an error.
 */
#include "cli.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/udata.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ures.h>
#include <unicode/ustring.h>

extern const unsigned char cli_schema[];
extern const unsigned long cli_schema_len;

enum { K_COUNTRY = 1, K_DATE = 2, K_INSTANT = 4 };

/* ------------------------------------------------------------------------------------
 * Country names and codes from ICU.
 * ---------------------------------------------------------------------------------- */
typedef struct cname {
    char key[96]; /* normalised name or code */
    char a2[3];   /* "" when two countries share the key */
} cname;

typedef struct countries {
    cname *v;
    size_t n, cap;
    const char *const *codes; /* ICU's alpha-2 list, NULL-terminated */
} countries;

static bool is_code(const countries *cs, const char *a2) {
    for (size_t i = 0; cs->codes[i]; i++) {
        if (strcmp(cs->codes[i], a2) == 0) {
            return true;
        }
    }
    return false;
}

/* Fold a UTF-16 name to the comparison key: NFKD, marks dropped, letters and digits
 * lower-cased, "&" read as "and", everything else dropped, a leading "the" too. */
static void fold(const UChar *s, int32_t len, char out[96]) {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2 *nfkd = unorm2_getNFKDInstance(&st);
    UChar d[256];
    int32_t n = U_SUCCESS(st) ? unorm2_normalize(nfkd, s, len, d, 256, &st) : 0;
    if (U_FAILURE(st) || n > 256) {
        n = 0;
    }
    size_t w = 0;
    int32_t i = 0;
    /* "the " at the start: "The Gambia", "the Netherlands". */
    if (n > 4 && u_tolower(d[0]) == 't' && u_tolower(d[1]) == 'h' &&
        u_tolower(d[2]) == 'e' && d[3] == ' ') {
        i = 4;
    }
    for (; i < n && w + 4 < 96; i++) {
        UChar32 c = d[i];
        if (c == '&') {
            memcpy(out + w, "and", 3);
            w += 3;
        } else if (c < 128 && isalnum(c)) {
            out[w++] = (char)tolower(c);
        }
    }
    out[w] = '\0';
}

static void fold_utf8(const char *s, char out[96]) {
    UChar u[256];
    int32_t n = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8(u, 256, &n, s, -1, &st);
    if (U_FAILURE(st) || n > 256) {
        out[0] = '\0';
        return;
    }
    fold(u, n, out);
}

static int add(countries *cs, const char *key, const char *a2) {
    if (!key[0]) {
        return 0;
    }
    for (size_t i = 0; i < cs->n; i++) {
        if (strcmp(cs->v[i].key, key) == 0) {
            if (strcmp(cs->v[i].a2, a2) != 0) {
                cs->v[i].a2[0] = '\0'; /* ambiguous: map to neither */
            }
            return 0;
        }
    }
    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? 2 * cs->cap : 512;
        cname *v = realloc(cs->v, cap * sizeof *v);
        if (!v) {
            return -1;
        }
        cs->v = v;
        cs->cap = cap;
    }
    cname *e = &cs->v[cs->n++];
    snprintf(e->key, sizeof e->key, "%s", key);
    snprintf(e->a2, sizeof e->a2, "%s", a2);
    return 0;
}

/* The English alternative names ICU keeps beside the display names ("UK", "Ivory
 * Coast", "Czech Republic"). Missing tables are no error: fewer names map. */
static int add_alt_names(countries *cs, const char *table) {
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle *r =
        ures_open(U_ICUDATA_NAME U_TREE_SEPARATOR_STRING "region", "en", &st);
    UResourceBundle *t = U_SUCCESS(st) ? ures_getByKey(r, table, NULL, &st) : NULL;
    int rc = 0;
    while (rc == 0 && U_SUCCESS(st) && t && ures_hasNext(t)) {
        const char *code = NULL;
        int32_t len = 0;
        const UChar *s = ures_getNextString(t, &len, &code, &st);
        if (U_SUCCESS(st) && code && strlen(code) == 2 && is_code(cs, code)) {
            char key[96];
            fold(s, len, key);
            rc = add(cs, key, code);
        }
    }
    ures_close(t);
    ures_close(r);
    return rc;
}

static int countries_load(countries *cs) {
    memset(cs, 0, sizeof *cs);
    cs->codes = uloc_getISOCountries();
    for (size_t i = 0; cs->codes[i]; i++) {
        const char *a2 = cs->codes[i];
        char loc[8];
        snprintf(loc, sizeof loc, "_%s", a2);
        UErrorCode st = U_ZERO_ERROR;
        UChar name[128];
        int32_t n = uloc_getDisplayCountry(loc, "en", name, 128, &st);
        char key[96];
        if (U_SUCCESS(st) && n > 0 && n <= 128) {
            fold(name, n, key);
            if (add(cs, key, a2) != 0) {
                return -1;
            }
        }
        const char *a3 = uloc_getISO3Country(loc);
        if (a3 && strlen(a3) == 3) {
            snprintf(key, sizeof key, "%s", a3);
            for (char *k = key; *k; k++) {
                *k = (char)tolower((unsigned char)*k);
            }
            if (add(cs, key, a2) != 0) {
                return -1;
            }
        }
    }
    if (add_alt_names(cs, "Countries%short") != 0 ||
        add_alt_names(cs, "Countries%variant") != 0) {
        return -1;
    }
    return 0;
}

/* The alpha-2 code `s` stands for, or NULL. */
static const char *country_of(const countries *cs, const char *s) {
    size_t n = strlen(s);
    if (n == 2 && isalpha((unsigned char)s[0]) && isalpha((unsigned char)s[1])) {
        char up[3] = {(char)toupper((unsigned char)s[0]),
                      (char)toupper((unsigned char)s[1]), 0};
        for (size_t i = 0; cs->codes[i]; i++) {
            if (strcmp(cs->codes[i], up) == 0) {
                return cs->codes[i];
            }
        }
    }
    char key[96];
    fold_utf8(s, key);
    for (size_t i = 0; key[0] && i < cs->n; i++) {
        if (strcmp(cs->v[i].key, key) == 0) {
            return cs->v[i].a2[0] ? cs->v[i].a2 : NULL;
        }
    }
    return NULL;
}

/* ------------------------------------------------------------------------------------
 * Times.
 * ---------------------------------------------------------------------------------- */
static bool ndigits(const char *s, int n) {
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

/* The contract's form of time `s` for a field of kind `k` into out (unchanged: ""),
 * with a note on what was assumed. */
static void map_time(const char *s, int k, char out[40], const char **note) {
    size_t n = strlen(s);
    int64_t t;
    out[0] = '\0';
    *note = NULL;
    bool ym = n == 7 && ndigits(s, 4) && s[4] == '-' && ndigits(s + 5, 2);
    bool ymd = n >= 10 && ndigits(s, 4) && s[4] == '-' && ndigits(s + 5, 2) &&
               s[7] == '-' && ndigits(s + 8, 2);
    char cand[40];
    if (ym && k == K_INSTANT) {
        snprintf(cand, sizeof cand, "%.7s-01T00:00:00Z", s);
    } else if (ymd && n == 10) {
        if (k != K_INSTANT) {
            return; /* already a date */
        }
        snprintf(cand, sizeof cand, "%.10sT00:00:00Z", s);
    } else if (ymd && k == K_DATE && (s[10] == 'T' || s[10] == 't' || s[10] == ' ')) {
        snprintf(cand, sizeof cand, "%.10s", s);
        *note = "the instant's own date";
    } else if (ymd && k == K_INSTANT && n <= 32 && (s[10] == ' ' || s[10] == 'T')) {
        /* "2025-07-01 14:03:00", "2025-07-01T14:03": T, seconds and a zone added */
        const char *tm = s + 11;
        size_t tl = n - 11;
        bool hm = tl >= 5 && ndigits(tm, 2) && tm[2] == ':' && ndigits(tm + 3, 2);
        if (!hm) {
            return;
        }
        bool has_sec = tl >= 8 && tm[5] == ':' && ndigits(tm + 6, 2);
        const char *rest = tm + (has_sec ? 8 : 5);
        while (*rest == '.' || isdigit((unsigned char)*rest)) {
            rest++;
        }
        bool zone = *rest != '\0';
        snprintf(cand, sizeof cand, "%.10sT%.*s%s%s", s, (int)(rest - tm), tm,
                 has_sec ? "" : ":00", zone ? rest : "Z");
        if (!zone) {
            *note = "no zone: UTC assumed";
        }
    } else {
        return;
    }
    /* Only a real calendar instant is offered: "2025-13" stays for the library. */
    char check[40];
    snprintf(check, sizeof check, "%s", cand);
    if (cli_parse_time(check, &t) != 0 || strcmp(cand, s) == 0) {
        return;
    }
    snprintf(out, 40, "%s", cand);
}

/* ------------------------------------------------------------------------------------
 * The walk: the record beside its schema.
 * ---------------------------------------------------------------------------------- */
typedef struct walk {
    const cJSON *defs;
    countries cs;
    bool cs_loaded;
    bool map;   /* --lenient; else list the unknown members */
    FILE *warn; /* --lenient's warnings */
    void (*unknown)(void *ctx, const char *path);
    void *ctx;
    int changed;
    bool nomem;
    char path[512];
} walk;

/* `node` with a local "$ref" followed; *ref_name is the definition's name. */
static const cJSON *deref(const walk *w, const cJSON *node, const char **ref_name) {
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(node, "$ref");
    if (cJSON_IsString(r) && strncmp(r->valuestring, "#/$defs/", 8) == 0) {
        if (ref_name) {
            *ref_name = r->valuestring + 8;
        }
        const cJSON *d = cJSON_GetObjectItemCaseSensitive(w->defs, r->valuestring + 8);
        return d ? d : node;
    }
    return node;
}

static int kinds_of(const walk *w, const cJSON *node, int depth) {
    const char *ref = NULL;
    node = deref(w, node, &ref);
    if (!cJSON_IsObject(node) || depth > 8) {
        return 0;
    }
    int k = 0;
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(node, "format");
    const cJSON *pat = cJSON_GetObjectItemCaseSensitive(node, "pattern");
    if ((ref && strcmp(ref, "country") == 0) ||
        (cJSON_IsString(pat) && strcmp(pat->valuestring, "^[A-Z]{2}$") == 0)) {
        k |= K_COUNTRY;
    }
    if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "date") == 0) {
        k |= K_DATE;
    }
    if (cJSON_IsString(fmt) && strcmp(fmt->valuestring, "date-time") == 0) {
        k |= K_INSTANT;
    }
    static const char *const alts[] = {"anyOf", "oneOf", "allOf"};
    for (int a = 0; a < 3; a++) {
        const cJSON *alt;
        cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(node, alts[a])) {
            k |= kinds_of(w, alt, depth + 1);
        }
    }
    return k;
}

/* The schemas `node` gives for the member `key` (properties) or for array items
 * (key NULL), across anyOf/oneOf alternatives; at most `max`. */
static int children(const walk *w,
                    const cJSON *node,
                    const char *key,
                    const cJSON **out,
                    int n,
                    int max,
                    int depth) {
    node = deref(w, node, NULL);
    if (!cJSON_IsObject(node) || depth > 8) {
        return n;
    }
    const cJSON *c = key ? cJSON_GetObjectItemCaseSensitive(
                               cJSON_GetObjectItemCaseSensitive(node, "properties"), key)
                         : cJSON_GetObjectItemCaseSensitive(node, "items");
    if (cJSON_IsObject(c) && n < max) {
        out[n++] = c;
    }
    static const char *const alts[] = {"anyOf", "oneOf", "allOf"};
    for (int a = 0; a < 3; a++) {
        const cJSON *alt;
        cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(node, alts[a])) {
            n = children(w, alt, key, out, n, max, depth + 1);
        }
    }
    return n;
}

/* Whether `node` (or one of its alternatives) lists an object's properties: only
 * there is a member the schema does not name an unknown field. */
static bool has_properties(const walk *w, const cJSON *node, int depth) {
    node = deref(w, node, NULL);
    if (!cJSON_IsObject(node) || depth > 8) {
        return false;
    }
    if (cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(node, "properties"))) {
        return true;
    }
    static const char *const alts[] = {"anyOf", "oneOf", "allOf"};
    for (int a = 0; a < 3; a++) {
        const cJSON *alt;
        cJSON_ArrayForEach(alt, cJSON_GetObjectItemCaseSensitive(node, alts[a])) {
            if (has_properties(w, alt, depth + 1)) {
                return true;
            }
        }
    }
    return false;
}

static void map_string(walk *w, cJSON *v, int k) {
    char to[40];
    const char *note = NULL;
    to[0] = '\0';
    if (k & K_COUNTRY) {
        if (!w->cs_loaded) {
            w->cs_loaded = true;
            if (countries_load(&w->cs) != 0) {
                w->nomem = true;
                return;
            }
        }
        const char *a2 = country_of(&w->cs, v->valuestring);
        if (a2 && strcmp(a2, v->valuestring) != 0) {
            snprintf(to, sizeof to, "%s", a2);
        }
    } else if (k & (K_INSTANT | K_DATE)) {
        map_time(v->valuestring, k & K_INSTANT ? K_INSTANT : K_DATE, to, &note);
    }
    if (!to[0]) {
        return;
    }
    if (w->warn) {
        fprintf(w->warn, "idrisk: lenient: %s: \"%s\" -> \"%s\"%s%s%s\n", w->path,
                v->valuestring, to, note ? " (" : "", note ? note : "", note ? ")" : "");
    }
    if (!cJSON_SetValuestring(v, to)) {
        w->nomem = true;
        return;
    }
    w->changed++;
}

static void visit(walk *w, cJSON *v, const cJSON *const *schemas, int ns, int depth) {
    if (ns == 0 || depth > 32 || w->nomem) {
        return;
    }
    size_t plen = strlen(w->path);
    if (cJSON_IsString(v) && w->map) {
        int k = 0;
        for (int i = 0; i < ns; i++) {
            k |= kinds_of(w, schemas[i], 0);
        }
        if (k) {
            map_string(w, v, k);
        }
        return;
    }
    bool named = false; /* the object's schema names its members */
    for (int i = 0; !w->map && cJSON_IsObject(v) && i < ns && !named; i++) {
        named = has_properties(w, schemas[i], 0);
    }
    cJSON *c;
    size_t idx = 0;
    cJSON_ArrayForEach(c, v) {
        const cJSON *sub[16];
        int n = 0;
        for (int i = 0; i < ns; i++) {
            n = children(w, schemas[i], cJSON_IsObject(v) ? c->string : NULL, sub, n, 16,
                         0);
        }
        if (cJSON_IsObject(v)) {
            snprintf(w->path + plen, sizeof w->path - plen, "%s%s", plen ? "." : "",
                     c->string ? c->string : "");
        } else {
            snprintf(w->path + plen, sizeof w->path - plen, "[%zu]", idx);
        }
        if (named && n == 0) {
            w->changed++;
            w->unknown(w->ctx, w->path);
        } else {
            visit(w, c, sub, n, depth + 1);
        }
        w->path[plen] = '\0';
        idx++;
    }
}

/* Walk `doc` along the contract's schema with what `w` asks for (mapping, or reporting
 * unknown fields). Returns the count of changes or reports, -1 when out of memory. */
static int schema_walk(cJSON *doc, walk *w) {
    cJSON *schema =
        cJSON_ParseWithLength((const char *)cli_schema, (size_t)cli_schema_len);
    if (!schema) {
        return -1;
    }
    w->defs = cJSON_GetObjectItemCaseSensitive(schema, "$defs");
    const cJSON *root = schema;
    visit(w, doc, &root, 1, 0);
    free(w->cs.v);
    cJSON_Delete(schema);
    return w->nomem ? -1 : w->changed;
}

int cli_lenient_map(cJSON *doc, FILE *warn) {
    walk w;
    memset(&w, 0, sizeof w);
    w.warn = warn;
    w.map = true;
    return schema_walk(doc, &w);
}

int cli_unknown_fields(cJSON *doc, void (*fn)(void *ctx, const char *path), void *ctx) {
    walk w;
    memset(&w, 0, sizeof w);
    w.unknown = fn;
    w.ctx = ctx;
    return schema_walk(doc, &w);
}

int cli_lenient_text(char **json, size_t *len, const char *where, FILE *warn) {
    for (size_t i = 0; i + 5 < *len; i++) {
        if ((*json)[i] == '\\') {
            if ((*json)[i + 1] == 'u' && memcmp(*json + i + 2, "0000", 4) == 0) {
                return 0; /* the library refuses it; cJSON would cut the string */
            }
            i++;
        }
    }
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(*json, *len, &end, 0);
    /* One object and nothing after it: JSON Lines and the like stay as they are. */
    while (doc && end && end < *json + *len && (isspace((unsigned char)*end) || !*end)) {
        end++;
    }
    if (!cJSON_IsObject(doc) || end != *json + *len) {
        cJSON_Delete(doc);
        return 0;
    }
    int n = cli_lenient_map(doc, warn);
    char *text = n > 0 ? cJSON_PrintUnformatted(doc) : NULL;
    cJSON_Delete(doc);
    if (n < 0 || (n > 0 && !text)) {
        fprintf(stderr, "idrisk: %s: out of memory mapping the record (--lenient)\n",
                where);
        return -1;
    }
    if (text) {
        free(*json);
        *json = text;
        *len = strlen(text);
    }
    return 0;
}
