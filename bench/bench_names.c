/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_names.c - per-call time of the name path on one core. Prints numbers; asserts
 * nothing (performance is never a test verdict). Times are the thread's CPU time, so
 * a busy machine inflates them less than wall-clock time would.
 *
 *   bench_names [SECONDS_PER_CASE]     (default 1)
 *
 * Cases (each call = tokenise both names + compare, idr__names_similarity):
 *  - ascii: ASCII pairs (reordered, initials, nicknames, different people): the fast
 *    path that never touches ICU;
 *  - latin-accents: Latin script with diacritics (ICU transliterator);
 *  - other-scripts: Cyrillic, Greek and Han against their Latin forms;
 *  - prepared: two already tokenised names (what sanctions screening does per list
 *    entry);
 *  - screen: idr_engine_score_json of a candidate with a payee company, a staffing
 *    firm and two employers screened against both curated lists (whole scoring run).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "internal.h"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts); /* CPU time: the machine may be shared */
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const ascii[][2] = {
    {"John Michael Smith", "Smith, John"},
    {"J. Smith", "John Smith"},
    {"Bob Smith", "Robert Smith"},
    {"Dana Reyes", "Morgan Blake"},
    {"Mary-Jane Watson", "Maryjane Watson"},
    {"Green Alpine Trading LLC", "Green Alpine Traders"}};
static const char *const accents[][2] = {{"José Núñez", "Jose Nunez"},
                                         {"Zoë Müller-Lüdenscheidt", "Zoe Muller"},
                                         {"Øystein Ærø", "Oystein Aero"}};
static const char *const scripts[][2] = {{"Александр Иванов", "Aleksandr Ivanov"},
                                         {"Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"},
                                         {"金世云", "Jin Shi Yun"}};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static idr_engine *eng;

static void
run_pairs(const char *name, const char *const (*pairs)[2], size_t n, double secs) {
    size_t calls = 0;
    volatile double sink = 0;
    double t0 = now_s(), t;
    do {
        for (size_t k = 0; k < 64; k++, calls++) {
            const char *const *p = pairs[calls % n];
            sink += idr__names_similarity(eng->mods.names, p[0], p[1]);
        }
        t = now_s();
    } while (t - t0 < secs);
    (void)sink;
    printf("%-16s %10zu calls  %8.3f us/call\n", name, calls,
           (t - t0) * 1e6 / (double)calls);
}

static void run_prepared(double secs) {
    idr__name_toks a, b;
    idr__name_tokenize(eng->mods.names, "Korea Sobaeksu Trading Company", &a);
    idr__name_tokenize(eng->mods.names, "Korea Sobaeksu Trading Co.", &b);
    size_t calls = 0;
    volatile double sink = 0;
    double t0 = now_s(), t;
    do {
        for (size_t k = 0; k < 256; k++, calls++) {
            sink += idr__name_toks_similarity(eng->mods.names, &a, &b);
        }
        t = now_s();
    } while (t - t0 < secs);
    (void)sink;
    printf("%-16s %10zu calls  %8.3f us/call\n", "prepared", calls,
           (t - t0) * 1e6 / (double)calls);
}

static void run_screen(double secs) {
    static const char json[] =
        "{\"candidate_id\":\"b\",\"engagement\":{\"type\":\"agency\",\"staffing_firm\":"
        "\"Bright Staffing Partners\"},\"payment\":{\"payee_type\":\"company\","
        "\"payee_company\":{\"name\":\"Blue Harbor Consulting LLC\"},"
        "\"account_holder_name\":\"Dana Reyes\"},\"identity\":{\"full_name\":\"Dana "
        "Reyes\"},\"work_history\":{\"employers\":[{\"name\":\"Initech\",\"domain\":"
        "\"initech.com\"},{\"name\":\"Globex Corporation\",\"domain\":\"globex.com\"}]}}";
    size_t calls = 0;
    double t0 = now_s(), t;
    do {
        idr_result *res = NULL;
        if (idr_engine_score_json(eng, json, sizeof json - 1, &res, NULL) != IDR_OK) {
            printf("screen: scoring failed\n");
            return;
        }
        idr_result_free(res);
        calls++;
        t = now_s();
    } while (t - t0 < secs);
    printf("%-16s %10zu calls  %8.3f us/call\n", "screen (score)", calls,
           (t - t0) * 1e6 / (double)calls);
}

int main(int argc, char **argv) {
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    if (secs <= 0) {
        secs = 1.0;
    }
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_BENCH_SOURCE_DIR "/data", &err) ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "bench_names: engine: %s\n", err.message);
        return 1;
    }
    idr_config_free(cfg);
    if (!eng->mods.names) {
        fprintf(stderr, "bench_names: ICU unavailable: %s\n",
                eng->mods.names_unavailable);
        return 1;
    }
    run_pairs("ascii", ascii, N(ascii), secs);
    run_pairs("latin-accents", accents, N(accents), secs);
    run_pairs("other-scripts", scripts, N(scripts), secs);
    run_prepared(secs);
    run_screen(secs);
    idr_engine_free(eng);
    return 0;
}
