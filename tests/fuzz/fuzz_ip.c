/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ip.c - IP address text through idr__parse_ip and, when it parses, a lookup in
 * every database of an engine built once over MaxMind's test databases (the JSON
 * answer of idr_engine_lookup_ip: the whole enrichment read path). Corpus:
 * tests/fuzz/corpus/ip/.
 *
 * The data directory is $IDRISK_FUZZ_DATA_DIR, else the repository's
 * tests/fixtures/maxmind (found from IDR_SOURCE_DATA_DIR, which idrisk_internal sets).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static idr_engine *fuzz_engine(void) {
    static idr_engine *eng;
    static int tried;
    if (tried) {
        return eng;
    }
    tried = 1;
    const char *dir = getenv("IDRISK_FUZZ_DATA_DIR");
    idr_config *cfg = NULL;
    if (idr_config_new(&cfg) != IDR_OK) {
        return NULL;
    }
#ifdef IDR_SOURCE_DATA_DIR
    if (!dir) {
        dir = IDR_SOURCE_DATA_DIR "/../tests/fixtures/maxmind";
    }
    (void)idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                             IDR_SOURCE_DATA_DIR "/rules/default.pack", NULL);
#endif
    if (dir) {
        (void)idr_config_set_str(cfg, IDR_CFG_DATA_DIR, dir, NULL);
    }
    if (idr_engine_new(&eng, cfg, NULL) != IDR_OK) {
        eng = NULL;
    }
    idr_config_free(cfg);
    return eng;
}

/* Build the engine before the first input, so that its cost (the phone shim's PCRE2
 * compilation, ICU's data: seconds under ASan on a busy machine) does not count
 * against -timeout; the gcc corpus replay does not call this and builds it lazily. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    (void)fuzz_engine();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char text[256];
    if (size >= sizeof text) {
        size = sizeof text - 1;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    idr__ip ip;
    if (!idr__parse_ip(text, &ip)) {
        return 0;
    }
    if (ip.family != 4 && ip.family != 6) {
        abort(); /* a successful parse must say which family */
    }
    idr_engine *eng = fuzz_engine();
    if (eng) {
        char *out = NULL;
        if (idr_engine_lookup_ip(eng, text, &out, NULL) == IDR_OK && !out) {
            abort();
        }
        idr_free(out);
    }
    return 0;
}
