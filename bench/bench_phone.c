/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_phone.c - per-call time of the phone path on one core. Prints numbers; asserts
 * nothing (performance is never a test verdict).
 *
 *   bench_phone [SECONDS_PER_CASE]     (default 1)
 *
 * Cases:
 *  - shim: one idr__phone_shim_lookup as scoring calls it (the shim's own parser and
 *    PCRE2 matcher for type, which also decides validity, possible length, E.164, the
 *    region, and the offline geocoder's description) over valid numbers of 12 regions;
 *  - shim-display: the same plus the international and national display forms (what
 *    `idrisk lookup phone` asks for);
 *  - shim-library: the scoring call with libphonenumber's own Parse, GetNumberType,
 *    GetRegionCodeForNumber, IsPossibleNumber and Format instead of the shim's parser
 *    and matcher (IDR__PHONE_LIBRARY), run under the same load for a fair comparison;
 *  - shim-invalid: the scoring call for numbers that parse but are not valid;
 *  - lookup: idr_engine_lookup_phone, i.e. the shim plus the JSON answer;
 *  - score: idr_engine_score_json of a candidate with two phones and one reference
 *    phone (the whole scoring run, for scale), engine built with the default pack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "enrich/phone/phone_shim.h"
#include "internal.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const valid_numbers[] = {
    "+1 612-555-0123",  "+1 415 555 0100",  "+44 20 7946 0000", "+44 56 1234 5678",
    "+49 30 123456",    "+91 98765 43210",  "+81 3-1234-5678",  "+33 1 23 45 67 89",
    "+86 10 1234 5678", "+1 800 555 1234",  "+61 2 9876 5432",  "+82 2-123-4567",
    "+55 11 2345-6789", "+7 495 123-45-67", "+49 1512 3456789", "+44 7911 123456"};
static const char *const invalid_numbers[] = {"+1 212 055 1234", "+44 7700 900123",
                                              "+44 20 1234", "+49 30 1"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

typedef int (*case_fn)(void *arg, size_t i);

/* The machine is shared and its load swings, so each case runs in ROUNDS rounds and
 * prints the best and the median round: the best is the least disturbed estimate. */
#define ROUNDS 7

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void run(const char *name, case_fn fn, void *arg, size_t n_inputs, double secs) {
    double per_call[ROUNDS];
    size_t total = 0;
    int failed = 0;
    for (int r = 0; r < ROUNDS; r++) {
        size_t calls = 0;
        double t0 = now_s(), t;
        do {
            for (size_t k = 0; k < 64; k++, calls++) {
                failed |= fn(arg, (total + calls) % n_inputs);
            }
            t = now_s();
        } while (t - t0 < secs / ROUNDS);
        per_call[r] = (t - t0) * 1e6 / (double)calls;
        total += calls;
    }
    qsort(per_call, ROUNDS, sizeof per_call[0], cmp_double);
    printf("%-14s %9zu calls  best %8.2f us/call  median %8.2f us/call%s\n", name, total,
           per_call[0], per_call[ROUNDS / 2], failed ? "  (some calls failed!)" : "");
}

static int case_shim(void *arg, size_t i) {
    idr__phone_fact f;
    const char *s = valid_numbers[i];
    return idr__phone_shim_lookup(arg, s, strlen(s), NULL, 0, &f) != IDR_OK || !f.valid;
}

static int case_shim_display(void *arg, size_t i) {
    idr__phone_fact f;
    const char *s = valid_numbers[i];
    return idr__phone_shim_lookup(arg, s, strlen(s), NULL, IDR__PHONE_DISPLAY, &f) !=
               IDR_OK ||
           !f.valid;
}

static int case_shim_library(void *arg, size_t i) {
    idr__phone_fact f;
    const char *s = valid_numbers[i];
    return idr__phone_shim_lookup(arg, s, strlen(s), NULL, IDR__PHONE_LIBRARY, &f) !=
               IDR_OK ||
           !f.valid;
}

static int case_shim_invalid(void *arg, size_t i) {
    idr__phone_fact f;
    const char *s = invalid_numbers[i];
    return idr__phone_shim_lookup(arg, s, strlen(s), NULL, 0, &f) != IDR_OK;
}

static int case_lookup(void *arg, size_t i) {
    char *out = NULL;
    int rc = idr_engine_lookup_phone(arg, valid_numbers[i], NULL, &out, NULL);
    idr_free(out);
    return rc != IDR_OK;
}

static const char candidate[] =
    "{\"candidate_id\":\"bench\",\"as_of\":\"2026-11-20T00:00:00Z\","
    "\"identity\":{\"residence\":{\"country\":\"US\",\"region\":\"GA\"}},"
    "\"contacts\":{\"phones\":[\"(612) 555-0123\",{\"number\":\"+44 56 1234 5678\","
    "\"first_seen\":\"2026-11-15\"}]},"
    "\"work_history\":{\"employers\":[{\"name\":\"Acme\",\"references\":[{\"name\":"
    "\"Jo\",\"phone\":\"612 555 0123\"}]}]}}";

static int case_score(void *arg, size_t i) {
    (void)i;
    idr_result *res = NULL;
    int rc = idr_engine_score_json(arg, candidate, sizeof candidate - 1, &res, NULL);
    idr_result_free(res);
    return rc != IDR_OK;
}

int main(int argc, char **argv) {
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (secs <= 0) {
        secs = 1.0;
    }
    char why[160] = "";
    idr__phone_shim *shim = NULL;
    double t0 = now_s();
    if (idr__phone_shim_new(&shim, why, sizeof why) != IDR_OK) {
        fprintf(stderr, "bench_phone: %s\n", why);
        return 1;
    }
    printf("shim start-up (PhoneNumberUtil + geocoder): %.1f ms\n", (now_s() - t0) * 1e3);
    /* First call per region loads that region's geocoder table: shown apart. */
    t0 = now_s();
    for (size_t i = 0; i < N(valid_numbers); i++) {
        case_shim(shim, i);
    }
    printf("first pass over %zu numbers (lazy geocoder tables): %.1f ms\n",
           N(valid_numbers), (now_s() - t0) * 1e3);
    run("shim", case_shim, shim, N(valid_numbers), secs);
    run("shim-display", case_shim_display, shim, N(valid_numbers), secs);
    run("shim-library", case_shim_library, shim, N(valid_numbers), secs);
    run("shim-invalid", case_shim_invalid, shim, N(invalid_numbers), secs);
    idr__phone_shim_free(shim);

    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                           IDR_BENCH_SOURCE_DIR "/data/rules/default.pack",
                           &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "bench_phone: engine: %s\n", err.message);
        idr_config_free(cfg);
        return 1;
    }
    idr_config_free(cfg);
    run("lookup", case_lookup, eng, N(valid_numbers), secs);
    run("score", case_score, eng, 1, secs);
    idr_engine_free(eng);
    return 0;
}
