/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_phone.c - phone strings (any bytes, NULs and invalid UTF-8 included) with a
 * random region hint through the libphonenumber shim (lib/enrich/phone/phone_shim.h):
 * parse, validity, type, region and the offline geocoder. Checks the shim's contract on
 * every input: a known status, NUL-terminated fields, an E.164 form of '+' and digits, a
 * type from the documented list. Corpus: tests/fuzz/corpus/phone/.
 *
 * Input layout: byte 0 picks the hint (an entry of `hints`, or the raw bytes 1..2 as
 * a two-byte hint when beyond the table); the rest is the number. When byte 0 has its
 * top bit set, the rest is instead read as a recipe for a phone-shaped string (each
 * byte a digit or a separator/prefix token): libphonenumber is not instrumented, so
 * coverage cannot steer raw bytes into its deeper paths, and this mode goes there
 * directly. When byte 0 is 0x60..0x7f (and the harness is built by the project,
 * which defines IDR_SOURCE_DATA_DIR), the rest becomes two numbers of a candidate record
 * (its phone, with a carrier-lookup line type and dates picked by byte 0, and a
 * reference's phone, or the same number again) scored by an engine with the default
 * rule pack: the enrichment, the four phone indicators and the result JSON.
 *
 * Built by tests/fuzz/CMakeLists.txt when present (IDR_BUILD_FUZZERS=ON), or by hand
 * (the link needs clang++ for UBSan's C++ runtime):
 *   F="-g -O1 -Iinclude -Ilib -I<build>/include"
 *   clang++ -std=c++17 $F -fsanitize=fuzzer-no-link,address,undefined \
 *       -c lib/enrich/phone/phone_shim.cc -o shim.o
 *   clang -std=c11 $F -fsanitize=fuzzer-no-link,address,undefined \
 *       -c tests/fuzz/fuzz_phone.c -o fuzz_phone.o
 *   clang++ -fsanitize=fuzzer,address,undefined fuzz_phone.o shim.o \
 *       -lgeocoding -lphonenumber -licuuc -lpcre2-8 -o fuzz_phone
 *   ./fuzz_phone -max_total_time=300 CORPUS_DIR tests/fuzz/corpus/phone
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "enrich/phone/phone_shim.h"
#include "idrisk/idrisk.h"
#ifdef IDR_SOURCE_DATA_DIR
    #include "internal.h"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const hints[] = {NULL, "",   "US", "GB", "DE",  "IN", "JP",
                                    "CA", "FR", "CN", "KR", "RU",  "BR", "AU",
                                    "ZZ", "us", "XK", "AC", "001", "U"};
#define N_HINTS (sizeof hints / sizeof hints[0])

static const char *const types[] = {
    "mobile",       "fixed_line",  "fixed_line_or_mobile", "voip",  "toll_free",
    "premium_rate", "shared_cost", "personal_number",      "pager", "uan",
    "voicemail",    "unknown"};

static const char *const tokens[] = {"+",
                                     "00",
                                     "011",
                                     " ",
                                     "-",
                                     ".",
                                     "(",
                                     ")",
                                     "/",
                                     "ext. ",
                                     "x",
                                     "#",
                                     "*",
                                     "tel:",
                                     ";phone-context=",
                                     "+1",
                                     "+44",
                                     "+49",
                                     "+91",
                                     "+81",
                                     "+86",
                                     "+7",
                                     "\xef\xbc\x95",
                                     "0"};

/* A phone-shaped string from `data`: bytes below 200 are digits, the others tokens. */
static size_t recipe(const uint8_t *data, size_t size, char *out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < size; i++) {
        const char *t;
        char d[2] = {0, 0};
        if (data[i] < 200) {
            d[0] = (char)('0' + data[i] % 10);
            t = d;
        } else {
            t = tokens[(data[i] - 200) % (sizeof tokens / sizeof tokens[0])];
        }
        size_t l = strlen(t);
        if (n + l >= cap) {
            break;
        }
        memcpy(out + n, t, l);
        n += l;
    }
    return n;
}

static void check_terminated(const char *s, size_t cap) {
    if (memchr(s, '\0', cap) == NULL) {
        abort();
    }
}

static idr__phone_shim *shim;

/* The shim's parser and PCRE2 matcher must answer exactly what libphonenumber's Parse
 * and matcher answer: the same status and error, or the same facts. */
static void same_as_library(
    const char *num, size_t n, const char *hint, int rc, const idr__phone_fact *f) {
    idr__phone_fact lib;
    int lrc = idr__phone_shim_lookup(shim, num, n, hint,
                                     IDR__PHONE_DISPLAY | IDR__PHONE_LIBRARY, &lib);
    if (lrc != rc || strcmp(lib.error, f->error) != 0) {
        abort();
    }
    if (rc == IDR_OK &&
        (lib.valid != f->valid || lib.possible != f->possible ||
         lib.country_code != f->country_code || strcmp(lib.type, f->type) != 0 ||
         strcmp(lib.region, f->region) != 0 || strcmp(lib.e164, f->e164) != 0 ||
         strcmp(lib.international, f->international) != 0 ||
         strcmp(lib.national, f->national) != 0 || strcmp(lib.area, f->area) != 0)) {
        abort();
    }
}

#ifdef IDR_SOURCE_DATA_DIR
static idr_engine *score_engine(void) {
    static idr_engine *eng;
    if (!eng) {
        idr_config *cfg = NULL;
        if (idr_config_new(&cfg) != IDR_OK ||
            idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                               IDR_SOURCE_DATA_DIR "/rules/default.pack",
                               NULL) != IDR_OK ||
            idr_engine_new(&eng, cfg, NULL) != IDR_OK) {
            abort();
        }
        idr_config_free(cfg);
    }
    return eng;
}

static void put_str(idr__buf *b, const uint8_t *p, size_t n) {
    idr__buf_puts(b, "\"");
    idr__json_escape(b, (const char *)p, n);
    idr__buf_puts(b, "\"");
}

/* Score a record around two fuzzed numbers. */
static void score_mode(uint8_t sel, const uint8_t *data, size_t size) {
    static const char *const line_types[] = {NULL,         "mobile",         "landline",
                                             "fixed_voip", "non_fixed_voip", "prepaid",
                                             "toll_free",  "unknown"};
    static const char *const homes[] = {"US", "GB", "DE", "IN"};
    size_t half = size / 2;
    idr__buf b;
    idr__buf_init(&b, NULL);
    idr__buf_printf(&b,
                    "{\"candidate_id\":\"f\",\"as_of\":\"2026-11-20T00:00:00Z\","
                    "\"engagement\":{\"declared_work_country\":\"%s\"},"
                    "\"identity\":{\"residence\":{\"country\":\"%s\",\"region\":"
                    "\"%s\"}},\"contacts\":{\"phones\":[{\"number\":",
                    sel & 0x10 ? "GB" : "US", homes[sel & 3],
                    sel & 0x4 ? "GA" : "Georgia");
    put_str(&b, data, half);
    if (line_types[(sel >> 2) & 7]) {
        idr__buf_printf(&b, ",\"line_type\":\"%s\"", line_types[(sel >> 2) & 7]);
    }
    idr__buf_puts(&b, ",\"first_seen\":\"2026-11-10\",\"ported_at\":\"2025-01-01\"}]},"
                      "\"work_history\":{\"employers\":[{\"name\":\"A\",\"references\":"
                      "[{\"name\":\"R\",\"phone\":");
    if (sel & 0x8) {
        put_str(&b, data, half);
    } else {
        put_str(&b, data + half, size - half);
    }
    idr__buf_puts(&b, "}]}]}}");
    if (b.oom) {
        abort();
    }
    idr_result *res = NULL;
    idr_error err;
    int rc = idr_engine_score_json(score_engine(), b.p, b.len, &res, &err);
    if (rc == IDR_OK) {
        char *out = NULL;
        if (idr_result_to_json(res, &out, NULL, &err) != IDR_OK || !out) {
            abort();
        }
        idr_free(out);
    } else if (rc != IDR_EINVAL && rc != IDR_ELIMIT) {
        abort();
    }
    idr_result_free(res);
    idr__buf_free(&b);
}
#endif

/* Build the engine before the first input, so that its cost (the phone shim's PCRE2
 * compilation, ICU's data: seconds under ASan on a busy machine) does not count
 * against -timeout; the gcc corpus replay does not call this and builds it lazily. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!shim && idr__phone_shim_new(&shim, NULL, 0) != IDR_OK) {
        abort();
    }
#ifdef IDR_SOURCE_DATA_DIR
    (void)score_engine();
#endif
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!shim && idr__phone_shim_new(&shim, NULL, 0) != IDR_OK) {
        abort();
    }
    if (size < 1) {
        return 0;
    }
#ifdef IDR_SOURCE_DATA_DIR
    if (data[0] >= 0x60 && data[0] <= 0x7f) {
        score_mode(data[0], data + 1, size - 1);
        return 0;
    }
#endif
    char raw_hint[3] = {0, 0, 0};
    const char *hint;
    size_t skip = 1;
    char built[IDR__PHONE_MAX_INPUT + 8];
    if (data[0] & 0x80) {
        hint = hints[(data[0] & 0x7f) % N_HINTS];
        size_t n = recipe(data + 1, size - 1, built, sizeof built);
        idr__phone_fact g;
        int grc = idr__phone_shim_lookup(shim, built, n, hint, IDR__PHONE_DISPLAY, &g);
        if (grc != IDR_OK && grc != IDR_EINVAL) {
            abort();
        }
        if (grc == IDR_OK && (!g.parsed || g.e164[0] != '+' || (!g.valid && g.area[0]))) {
            abort();
        }
        if (grc == IDR_OK || grc == IDR_EINVAL) {
            same_as_library(built, n, hint, grc, &g);
        }
        return 0;
    }
    if (data[0] < N_HINTS) {
        hint = hints[data[0]];
    } else {
        if (size >= 3) {
            raw_hint[0] = (char)data[1];
            raw_hint[1] = (char)data[2];
            skip = 3;
        }
        hint = raw_hint;
    }
    if (size < skip) {
        return 0;
    }
    idr__phone_fact f;
    int rc = idr__phone_shim_lookup(shim, (const char *)data + skip, size - skip, hint,
                                    IDR__PHONE_DISPLAY, &f);
    if (rc != IDR_OK && rc != IDR_EINVAL) {
        abort(); /* ENOMEM cannot happen here; EINTERNAL means an exception escaped */
    }
    check_terminated(f.e164, sizeof f.e164);
    check_terminated(f.international, sizeof f.international);
    check_terminated(f.national, sizeof f.national);
    check_terminated(f.type, sizeof f.type);
    check_terminated(f.region, sizeof f.region);
    check_terminated(f.area, sizeof f.area);
    check_terminated(f.error, sizeof f.error);
    if (rc == IDR_EINVAL) {
        if (f.parsed || !f.error[0]) {
            abort();
        }
        same_as_library((const char *)data + skip, size - skip, hint, rc, &f);
        return 0;
    }
    if (!f.parsed || f.e164[0] != '+' || !f.e164[1]) {
        abort();
    }
    for (const char *p = f.e164 + 1; *p; p++) {
        if (*p < '0' || *p > '9') {
            abort();
        }
    }
    int known = 0;
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        known |= strcmp(f.type, types[i]) == 0;
    }
    if (!known || (f.valid && !f.possible) || (!f.valid && f.area[0])) {
        abort();
    }
    same_as_library((const char *)data + skip, size - skip, hint, rc, &f);
    return 0;
}
