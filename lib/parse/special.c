/* SPDX-License-Identifier: Apache-2.0 */
/*
 * special.c - candidate values with a grammar of their own, and the record checks.
 *
 * The field tables (fields.c) point K_SPECIAL entries here: the schema id, the
 * candidate id, the US SSN, the IANA time zone (checked against ICU's system zones),
 * the 64-bit photo hash, identifiers kept only as SHA-256 hex (document numbers,
 * payment account ids: never echoed in an error), and session IPs. The ospec checks
 * for required fields (every session's ip, the record's candidate_id) are here too.
 */
#include "parse/parser.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>

#define SCHEMA_ID "idrisk.candidate/1"

int idr__parse_sp_schema(parser *p, const cJSON *v, char *base, const fspec *f) {
    (void)base;
    (void)f;
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "the string \"" SCHEMA_ID "\"");
    }
    if (strcmp(v->valuestring, SCHEMA_ID) != 0) {
        return idr__parse_fail(
            p, IDR_EINVAL,
            "unsupported schema; this version of idrisk reads \"" SCHEMA_ID "\"");
    }
    return IDR_OK;
}

int idr__parse_sp_candidate_id(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "a non-empty string");
    }
    if (v->valuestring[0] == '\0') {
        return idr__parse_fail(p, IDR_EINVAL, "must not be empty");
    }
    return idr__parse_copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

/* US SSN: nine digits, dashes anywhere ignored ("123-45-6789", "123456789"). Kept as
 * the nine digits; the structural checks are the ssn rules' business. */
int idr__parse_sp_ssn(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "a string of 9 digits");
    }
    char d[10];
    size_t n = 0;
    for (const char *s = v->valuestring; *s; s++) {
        if (*s == '-') {
            continue;
        }
        if (*s < '0' || *s > '9' || n == 9) {
            return idr__parse_fail(p, IDR_EINVAL,
                                   "expected 9 digits, with or without dashes");
        }
        d[n++] = *s;
    }
    if (n != 9) {
        return idr__parse_fail(p, IDR_EINVAL,
                               "expected 9 digits, with or without dashes");
    }
    char *out = idr__arena_strndup(p->a, d, 9);
    if (!out) {
        return idr__parse_nomem(p);
    }
    memcpy(base + f->off, &out, sizeof out);
    return IDR_OK;
}

/*
 * Time zones. ICU answers "is this a system zone" with ucal_getCanonicalTimeZoneID,
 * but that call opens ICU's zone resource bundle each time (microseconds per record).
 * So the first lookup copies ICU's list of system zone ids into a sorted table, once
 * per process under pthread_once; after that the table is immutable and lookups are a
 * lock-free binary search, safe from any number of threads: tz_load writes tz_ids and
 * tz_count only inside pthread_once, which orders those writes before every return from
 * pthread_once on any thread, and nothing writes them afterwards. The table is kept
 * for the life of the process (the strings stay reachable through tz_ids). If ICU
 * cannot enumerate its zones, tz_ids stays NULL and every lookup falls back to the
 * direct ICU call.
 *
 * Process-wide rather than per engine: the set of system zones is a property of the
 * ICU data linked into the process, not of an engine's config or data directory, so
 * every engine would build the same table; the parser also runs without an engine.
 */
static const char **tz_ids;
static size_t tz_count;
static pthread_once_t tz_once = PTHREAD_ONCE_INIT;

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Process-wide and built once (whichever engine asks first), so the C library's
 * allocator, not any engine's. */
static void tz_load(void) {
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *en = ucal_openTimeZones(&st);
    if (U_FAILURE(st) || !en) {
        return;
    }
    int32_t n = uenum_count(en, &st);
    const char **ids = U_SUCCESS(st) && n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
    size_t k = 0;
    const char *id;
    int32_t len;
    while (ids && k < (size_t)n && (id = uenum_next(en, &len, &st)) != NULL &&
           U_SUCCESS(st)) {
        char *copy = malloc((size_t)len + 1);
        if (!copy) {
            break;
        }
        memcpy(copy, id, (size_t)len);
        copy[len] = '\0';
        ids[k++] = copy;
    }
    uenum_close(en);
    if (!ids || k != (size_t)n) {
        for (size_t i = 0; ids && i < k; i++) {
            free((void *)ids[i]);
        }
        free(ids);
        return;
    }
    qsort(ids, k, sizeof *ids, cmp_cstr);
    tz_ids = ids;
    tz_count = k;
}

/* An IANA zone name ICU knows as a system zone ("America/Chicago", "Etc/UTC" and the
 * old links such as "US/Central"). Custom offsets ("GMT+5") are not IANA names. */
static bool tz_known(const char *s) {
    UChar id[64], canon[64];
    size_t n = strlen(s);
    if (n == 0 || n >= COUNT(id)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= 0x20 || ch >= 0x7f) {
            return false;
        }
        id[i] = ch;
    }
    pthread_once(&tz_once, tz_load);
    if (tz_ids) {
        return bsearch(&s, tz_ids, tz_count, sizeof *tz_ids, cmp_cstr) != NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    UBool system = 0;
    ucal_getCanonicalTimeZoneID(id, (int32_t)n, canon, (int32_t)COUNT(canon), &system,
                                &st);
    return U_SUCCESS(st) && system;
}

int idr__parse_sp_timezone(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "an IANA time zone name");
    }
    if (!tz_known(v->valuestring)) {
        return idr__parse_fail(
            p, IDR_EINVAL, "not a known IANA time zone name (e.g. \"America/Chicago\")");
    }
    return idr__parse_copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

int idr__parse_sp_phash(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "a string of 16 hex digits");
    }
    const char *s = v->valuestring;
    uint64_t h = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        unsigned d;
        if (ch >= '0' && ch <= '9') {
            d = (unsigned)(ch - '0');
        } else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f') {
            d = (unsigned)((ch | 0x20) - 'a' + 10);
        } else {
            break;
        }
        if (n == 16) {
            break;
        }
        h = (h << 4) | d;
    }
    if (n != 16 || s[n] != '\0') {
        return idr__parse_fail(p, IDR_EINVAL,
                               "expected exactly 16 hex digits (a 64-bit hash)");
    }
    memcpy(base + f->off, &h, sizeof h);
    *(bool *)(base + f->off2) = true;
    return IDR_OK;
}

/* Identifiers kept only as keyed hashes (BLAKE2b-256, hex) under the parse's key: a
 * store's key (idr_candidate_from_json_for_store), else one private to the engine.
 * Spaces, dashes and dots are dropped and ASCII letters upper-cased first, so
 * "de89 3704 0044" and "DE8937040044" hash the same: the hash exists to notice one
 * number reused across records, whatever the format. The field's JSON name is the
 * hash domain, so a document number and an account id never collide. */
int idr__parse_sp_hashed(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "a string");
    }
    const char *s = v->valuestring;
    size_t n = strlen(s);
    char small[256];
    char *buf = n < sizeof small ? small : idr__arena_alloc(p->a, n + 1);
    if (!buf) {
        return idr__parse_nomem(p);
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '-' || ch == '.' || ch == '\t') {
            continue;
        }
        buf[o++] = (char)(ch >= 'a' && ch <= 'z' ? ch - ('a' - 'A') : ch);
    }
    if (o == 0) {
        return idr__parse_fail(p, IDR_EINVAL, "expected a non-empty identifier");
    }
    char *hex = idr__arena_alloc(p->a, 65);
    if (!hex) {
        return idr__parse_nomem(p);
    }
    idr__id_hash_hex(p->key, f->name, buf, o, hex);
    idr__wipe(buf, o); /* do not leave the identifier lying around */
    memcpy(base + f->off, &hex, sizeof hex);
    return IDR_OK;
}

int idr__parse_sp_ip(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return idr__parse_want(p, v, "an IPv4 or IPv6 address string");
    }
    idr__ip ip;
    if (!idr__parse_ip(v->valuestring, &ip)) {
        return idr__parse_fail(
            p, IDR_EINVAL,
            "not an IPv4 or IPv6 address (no zone id, no surrounding spaces)");
    }
    memcpy(base + f->off2, &ip, sizeof ip);
    return idr__parse_copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

int idr__parse_check_session(parser *p, char *base) {
    const idr__session *s = (const idr__session *)(void *)base;
    if (!s->ip_text) {
        size_t old = path_key(p, "ip");
        idr__parse_fail(p, IDR_EINVAL, "required in every session");
        path_pop(p, old);
        return p->rc;
    }
    return IDR_OK;
}

int idr__parse_check_root(parser *p, char *base) {
    const idr_candidate *c = (const idr_candidate *)(void *)base;
    if (!c->candidate_id) {
        path_key(p, "candidate_id");
        return idr__parse_fail(p, IDR_EINVAL, "required and missing");
    }
    return IDR_OK;
}
