/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_config.c - configuration by name (idr_config_set_by_name, what the CLI and the
 * bindings call) with fuzzed (name, value) pairs, then an engine built from the
 * configuration and one small record scored with it. Corpus:
 * tests/fuzz/corpus/config/, dictionary tests/fuzz/config.dict.
 *
 * Input layout: fields separated by NUL or newline bytes; fields 1 and 2 are the first
 * pair's name and value, fields 3 and 4 the second's, and so on (at most MAX_PAIRS
 * pairs; an odd last field is a name with an empty value). Every call must answer
 * IDR_OK or IDR_EINVAL, a failure with a NUL-terminated error that names the option.
 *
 * When every pair was accepted the engine is built. The path options (data_dir, rules,
 * lists_dir) are exercised by the setter, but the engine must not read whatever file a
 * fuzzed path names (/dev/zero, a directory tree): before idr_engine_new the harness
 * sets them again to the repository's tiny flat fixture databases
 * (tests/fixtures/geo-flat), its data/ and the default rule pack, so the fuzzed CIDRs
 * and limits are what varies. With accepted values the build must succeed, and the
 * record (sessions on the fixtures' documentation ranges, checked against the fuzzed
 * allow and relay ranges) must score or be refused by the fuzzed limits.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idrisk/idrisk.h"

#ifndef IDR_SOURCE_DATA_DIR
    #error "fuzz_config.c needs IDR_SOURCE_DATA_DIR (link with idrisk_internal)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Project choice: a dozen pairs reach every option several times (repeatable CIDRs,
 * an option set twice) while one input stays one engine build. */
#define MAX_PAIRS 12

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "fuzz_config: invariant failed at line %d: %s\n", __LINE__,  \
                    #cond);                                                              \
            __builtin_trap();                                                            \
        }                                                                                \
    } while (0)

static const char record[] =
    "{\"candidate_id\":\"cfg\",\"as_of\":\"2025-05-15T12:00:00Z\","
    "\"identity\":{\"residence\":{\"country\":\"US\",\"city\":\"Atlanta\","
    "\"region\":\"GA\"}},"
    "\"network\":{\"sessions\":["
    "{\"ip\":\"192.0.2.10\",\"at\":\"2025-05-06T09:15:00Z\",\"event\":\"application\"},"
    "{\"ip\":\"198.51.100.7\",\"at\":\"2025-05-07T09:15:00Z\",\"event\":\"interview\"},"
    "{\"ip\":\"203.0.113.200\",\"at\":\"2025-05-08T09:15:00Z\",\"event\":\"login\"},"
    "{\"ip\":\"2001:db8::1\",\"at\":\"2025-05-09T09:15:00Z\",\"event\":\"login\"}]}}";

static idr_config *fixture_config(void) {
    idr_config *cfg = NULL;
    idr_error err;
    CHECK(idr_config_new(&cfg) == IDR_OK && cfg);
    CHECK(idr_config_set_by_name(cfg, "data_dir",
                                 IDR_SOURCE_DATA_DIR "/../tests/fixtures/geo-flat",
                                 &err) == IDR_OK);
    CHECK(idr_config_set_by_name(cfg, "lists_dir", IDR_SOURCE_DATA_DIR, &err) == IDR_OK);
    CHECK(idr_config_set_by_name(cfg, "rules", IDR_SOURCE_DATA_DIR "/rules/default.pack",
                                 &err) == IDR_OK);
    return cfg;
}

/* The first engine build initialises process-wide state of the libraries (ICU data,
 * libphonenumber's metadata singleton), which takes seconds under ASan: do it once
 * before the first input so that it does not count against -timeout. The corpus
 * replay does not call this. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    idr_config *cfg = fixture_config();
    idr_engine *eng = NULL;
    CHECK(idr_engine_new(&eng, cfg, NULL) == IDR_OK);
    idr_engine_free(eng);
    idr_config_free(cfg);
    return 0;
}

static int nul_within(const char *s, size_t cap) {
    return memchr(s, '\0', cap) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* a NUL-terminated copy in which every separator becomes a terminator */
    char *text = malloc(size + 1);
    if (!text) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    const char *field[2 * MAX_PAIRS];
    size_t nf = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && nf < 2 * MAX_PAIRS; i++) {
        if (i == size || text[i] == '\0' || text[i] == '\n') {
            text[i] = '\0';
            field[nf++] = text + start;
            start = i + 1;
        }
    }
    idr_config *cfg = NULL;
    CHECK(idr_config_new(&cfg) == IDR_OK && cfg);
    int all_ok = 1;
    for (size_t i = 0; i < nf; i += 2) {
        const char *name = field[i];
        const char *value = i + 1 < nf ? field[i + 1] : "";
        idr_error err;
        memset(&err, 0xa5, sizeof err);
        int rc = idr_config_set_by_name(cfg, name, value, &err);
        if (rc != IDR_OK) {
            CHECK(rc == IDR_EINVAL && err.code == rc);
            CHECK(nul_within(err.field, sizeof err.field));
            CHECK(nul_within(err.message, sizeof err.message) && err.message[0]);
            all_ok = 0;
        }
    }
    if (all_ok) {
        idr_error err;
        CHECK(idr_config_set_by_name(cfg, "data_dir",
                                     IDR_SOURCE_DATA_DIR "/../tests/fixtures/geo-flat",
                                     &err) == IDR_OK);
        CHECK(idr_config_set_by_name(cfg, "lists_dir", IDR_SOURCE_DATA_DIR, &err) ==
              IDR_OK);
        CHECK(idr_config_set_by_name(cfg, "rules",
                                     IDR_SOURCE_DATA_DIR "/rules/default.pack",
                                     &err) == IDR_OK);
        idr_engine *eng = NULL;
        int rc = idr_engine_new(&eng, cfg, &err);
        if (rc != IDR_OK) {
            fprintf(stderr, "fuzz_config: engine build failed: %s: %s\n", err.field,
                    err.message);
        }
        CHECK(rc == IDR_OK && eng);
        idr_result *res = NULL;
        rc = idr_engine_score_json(eng, record, sizeof record - 1, &res, &err);
        CHECK(rc == IDR_OK || rc == IDR_ELIMIT);
        CHECK((rc == IDR_OK) == (res != NULL));
        if (res) {
            char *out = NULL;
            CHECK(idr_result_to_json(res, &out, NULL, &err) == IDR_OK && out);
            idr_free(out);
        }
        /* results hold a reference: freeing the engine first must be safe */
        idr_engine_free(eng);
        idr_result_free(res);
    }
    idr_config_free(cfg);
    free(text);
    return 0;
}
