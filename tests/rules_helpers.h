/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rules_helpers.h - shared helpers for the rule-module tests (tests/unit/test_rules_*.c).
 *
 * The tests go through the public API, as a user would: an engine built with the
 * repository's default rule pack, a candidate given as a JSON literal, and the result
 * read back from its JSON form (idrisk.result/1) with cJSON. J(...) turns a JSON text
 * written directly in C into a string literal, so test candidates need no escaping:
 *
 *     cJSON *r = rh_score(J({"candidate_id": "t", "identity": {"ssn": "666-12-3456"}}));
 *     cr_assert_not_null(rh_reason(r, "ssn_invalid_structure"));
 */
#ifndef IDRISK_TESTS_RULES_HELPERS_H
#define IDRISK_TESTS_RULES_HELPERS_H

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env_config.h"
#include "idrisk/idrisk.h"

#define J(...) #__VA_ARGS__

static idr_engine *rh_engine;
static cJSON *rh_last;

static inline void rh_setup(void) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK, "%s", err.message);
    int rc = idr_engine_new(&rh_engine, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s (%s)", err.message, err.field);
}

/* Write data/rules/default.pack with `line` inserted right after the header of
 * indicator `id` (NULL: the pack unchanged) to a new temporary file whose path goes to
 * `path` (at least 32 bytes). The caller unlinks it. For tests of pack overrides
 * (`param.<name> = <value>`). */
static inline void
rh_pack_variant(const char *id, const char *line, char *path, size_t cap) {
    FILE *in = fopen(IDR_TEST_SOURCE_DIR "/data/rules/default.pack", "rb");
    cr_assert_not_null(in);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    text[n] = '\0';
    cr_assert_geq(cap, (size_t)32);
    snprintf(path, cap, "/tmp/idrisk-pack-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *out = fdopen(fd, "w");
    cr_assert_not_null(out);
    if (id) {
        char head[128];
        snprintf(head, sizeof head, "[indicator %s]\n", id);
        const char *at = strstr(text, head);
        cr_assert_not_null(at, "default.pack has no entry %s", id);
        size_t cut = (size_t)(at - text) + strlen(head);
        fwrite(text, 1, cut, out);
        fprintf(out, "%s\n", line);
        fputs(text + cut, out);
    } else {
        fputs(text, out);
    }
    cr_assert_eq(fclose(out), 0);
}

/* An engine on rh_pack_variant(id, line); `data_dir` NULL: the environment's. */
static inline idr_engine *
rh_engine_variant(const char *data_dir, const char *id, const char *line) {
    char path[64];
    rh_pack_variant(id, line, path, sizeof path);
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, &err), IDR_OK, "%s",
                 err.message);
    if (data_dir) {
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data_dir, &err), IDR_OK,
                     "%s", err.message);
    }
    idr_engine *eng = NULL;
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    unlink(path);
    cr_assert_eq(rc, IDR_OK, "engine with %s: %s (%s)", line ? line : "the default pack",
                 err.message, err.field);
    return eng;
}

static inline void rh_teardown(void) {
    cJSON_Delete(rh_last);
    rh_last = NULL;
    idr_engine_free(rh_engine);
    rh_engine = NULL;
}

/* Score `json`; the parsed result stays valid until the next rh_score or teardown. */
static inline cJSON *rh_score(const char *json) {
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_score_json(rh_engine, json, strlen(json), &res, &err);
    cr_assert_eq(rc, IDR_OK, "score: %s (%s)", err.message, err.field);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    idr_result_free(res);
    cJSON_Delete(rh_last);
    rh_last = cJSON_Parse(text);
    idr_free(text);
    cr_assert_not_null(rh_last, "result JSON does not parse");
    return rh_last;
}

static inline cJSON *rh_find(cJSON *res, const char *arr, const char *id) {
    cJSON *a = cJSON_GetObjectItemCaseSensitive(res, arr);
    cJSON *it;
    cJSON_ArrayForEach(it, a) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(it, "id");
        if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0) {
            return it;
        }
    }
    return NULL;
}

/* The reason with this id, or NULL when it did not fire. */
static inline cJSON *rh_reason(cJSON *res, const char *id) {
    return rh_find(res, "reasons", id);
}

static inline const char *rh_str(cJSON *obj, const char *key) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The `by` of a suppression, or NULL. */
static inline const char *rh_suppressed(cJSON *res, const char *id) {
    cJSON *n = rh_find(res, "suppressed", id);
    return n ? rh_str(n, "by") : NULL;
}

/* The `why` of a not-evaluated note, or NULL. */
static inline const char *rh_not_evaluated(cJSON *res, const char *id) {
    cJSON *n = rh_find(res, "not_evaluated", id);
    return n ? rh_str(n, "why") : NULL;
}

static inline const char *rh_detail(cJSON *res, const char *id) {
    cJSON *r = rh_reason(res, id);
    return r ? rh_str(r, "detail") : NULL;
}

/* An evidence value of a fired reason as a string (numbers are printed). */
static inline const char *rh_ev(cJSON *res, const char *id, const char *key) {
    static char num[64];
    cJSON *r = rh_reason(res, id);
    cJSON *ev = r ? cJSON_GetObjectItemCaseSensitive(r, "evidence") : NULL;
    cJSON *v = ev ? cJSON_GetObjectItemCaseSensitive(ev, key) : NULL;
    if (cJSON_IsString(v)) {
        return v->valuestring;
    }
    if (cJSON_IsNumber(v)) {
        snprintf(num, sizeof num, "%g", v->valuedouble);
        return num;
    }
    return NULL;
}

/* Neither fired, suppressed nor not evaluated: evaluated and clean. */
static inline bool rh_clean(cJSON *res, const char *id) {
    return !rh_reason(res, id) && !rh_find(res, "suppressed", id) &&
           !rh_find(res, "not_evaluated", id);
}

static inline int rh_score_of(cJSON *res) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(res, "score");
    return cJSON_IsNumber(v) ? v->valueint : -1;
}

/* Assert `hay` contains `needle`, with both shown on failure. */
#define rh_assert_has(hay, needle)                                                       \
    do {                                                                                 \
        const char *h_ = (hay);                                                          \
        cr_assert(h_ != NULL && strstr(h_, (needle)) != NULL,                            \
                  "expected \"%s\" in \"%s\"", (needle), h_ ? h_ : "(null)");            \
    } while (0)

#endif /* IDRISK_TESTS_RULES_HELPERS_H */
