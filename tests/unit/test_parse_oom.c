/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_parse_oom.c - out of memory inside cJSON is IDR_ENOMEM, never "malformed JSON"
 * (lib/parse/candidate.c, json_well_formed). cJSON cannot take our allocator, so the
 * parser tells the two apart after the fact with an allocation-free syntax check; a
 * batch would otherwise file a valid record as an input error and move on.
 *  - malformed inputs (the committed fuzz corpus and hand-picked edge cases where a
 *    loose check would disagree with cJSON) stay IDR_EINVAL / IDR_ELIMIT;
 *  - a valid record parsed under an address-space limit too small for cJSON's tree is
 *    IDR_ENOMEM (skipped under AddressSanitizer, which needs its own huge mappings).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "internal.h"

static int parse_rc(const char *s, size_t n) {
    idr_candidate *c = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr__candidate_parse(&c, NULL, s, n, &err);
    idr_candidate_free(c);
    return rc;
}

Test(parse_oom, malformed_is_never_out_of_memory) {
    static const char *const bad[] = {
        "",
        "{",
        "{\"candidate_id\":\"x\",}",
        "{\"candidate_id\" \"x\"}",
        "{\"candidate_id\":\"x\"]",
        "{\"candidate_id\":\"\\ud800\"}",        /* lone high surrogate */
        "{\"candidate_id\":\"\\udc00\"}",        /* lone low surrogate */
        "{\"candidate_id\":\"\\ud800\\u0041\"}", /* high surrogate, then no low */
        "{\"candidate_id\":\"\\x\"}",
        "{\"candidate_id\":\"\\u12g4\"}",
        "{\"candidate_id\":01}",
        "{\"candidate_id\":1.}",
        "{\"candidate_id\":-}",
        "{\"candidate_id\":1e}",
        "{\"candidate_id\":tru}",
        "{\"candidate_id\":nul}",
        "[1,]",
        "{\"a\":[1 2]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse_rc(bad[i], strlen(bad[i]));
        cr_expect_neq(rc, IDR_OK, "accepted: %s", bad[i]);
        cr_expect_neq(rc, IDR_ENOMEM, "malformed reported as out of memory: %s", bad[i]);
    }
    /* every committed fuzz input: whatever its verdict, never ENOMEM with memory */
    const char *dir = IDR_TEST_SOURCE_DIR "/tests/fuzz/corpus/candidate_json";
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    size_t seen = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f) {
            continue;
        }
        static char buf[1 << 20];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        cr_expect_neq(parse_rc(buf, n), IDR_ENOMEM, "%s", path);
        seen++;
    }
    closedir(d);
    cr_expect_gt(seen, 10);
}

#if defined(__SANITIZE_ADDRESS__)
    #define UNDER_ASAN 1
#elif defined(__has_feature)
    #if __has_feature(address_sanitizer)
        #define UNDER_ASAN 1
    #endif
#endif

Test(parse_oom, valid_record_without_memory_is_enomem) {
#ifdef UNDER_ASAN
    cr_skip("AddressSanitizer reserves more address space than the limit allows");
#else
    /* 400,000 one-letter aliases: about 2.4 MB of text, tens of MB as a cJSON tree.
     * The array is longer than max_array, but cJSON builds the tree before any limit
     * is looked at, so the parse runs out of memory first. */
    size_t n_items = 400000;
    size_t cap = 64 + n_items * 4;
    char *json = malloc(cap);
    cr_assert_not_null(json);
    size_t len = (size_t)snprintf(json, cap,
                                  "{\"candidate_id\":\"x\",\"identity\":{\"aliases\":[");
    for (size_t i = 0; i < n_items; i++) {
        memcpy(json + len, i ? ",\"a\"" : "\"a\"", i ? 4 : 3);
        len += i ? 4 : 3;
    }
    memcpy(json + len, "]}}", 3);
    len += 3;
    /* the limit: what the process maps now, plus 12 MiB */
    FILE *f = fopen("/proc/self/statm", "r");
    cr_assert_not_null(f);
    unsigned long pages = 0;
    cr_assert_eq(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    rlim_t now = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE);
    struct rlimit rl = {now + (12u << 20), now + (12u << 20)};
    cr_assert_eq(setrlimit(RLIMIT_AS, &rl), 0);
    idr_candidate *c = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr__candidate_parse(&c, NULL, json, len, &err);
    cr_expect_eq(rc, IDR_ENOMEM, "got %d: %s", rc, err.message);
    /* cJSON's failure, told apart (our own allocations come after the tree) */
    cr_expect(strstr(err.message, "reading the candidate JSON") != NULL, "%s",
              err.message);
    idr_candidate_free(c);
    free(json);
#endif
}
