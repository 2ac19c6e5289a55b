/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_core.c - arena, buffer, JSON writer, SHA-256, config and error texts.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

Test(arena, allocations_are_aligned_and_survive_growth) {
    idr__arena *a = idr__arena_new(NULL, 1024);
    cr_assert_not_null(a);
    char *first = idr__arena_strdup(a, "first");
    for (int i = 0; i < 10000; i++) {
        void *p = idr__arena_alloc(a, (size_t)(i % 97) + 1);
        cr_assert_not_null(p);
        cr_assert_eq((uintptr_t)p % 8, 0);
    }
    char *big = idr__arena_alloc(a, 1 << 20);
    cr_assert_not_null(big);
    memset(big, 'x', 1 << 20);
    cr_assert_str_eq(first, "first");
    cr_assert_str_eq(idr__arena_printf(a, "%d-%s", 42, "x"), "42-x");
    cr_assert_null(idr__arena_strdup(a, NULL));
    idr__arena_free(a);
    idr__arena_free(NULL);
}

Test(jsonw, escapes_and_keeps_order) {
    idr__buf b;
    idr__buf_init(&b, NULL);
    idr__jw w;
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "z", "quote\" back\\ nl\n tab\t ctl\x01");
    idr__jw_int(&w, "a", -7);
    idr__jw_num(&w, "n", 6760.25);
    idr__jw_num(&w, "i", 3.0);
    idr__jw_num(&w, "nan", NAN);
    idr__jw_bool(&w, "t", true);
    idr__jw_str(&w, "null", NULL);
    idr__jw_arr_begin(&w, "arr");
    idr__jw_str(&w, NULL, "caf\xc3\xa9");
    idr__jw_str(&w, NULL, "bad\xff");
    idr__jw_arr_end(&w);
    idr__jw_raw(&w, "raw", "{\"k\":1}");
    idr__jw_obj_end(&w);
    size_t len;
    char *s = idr__buf_take(&b, &len);
    cr_assert_str_eq(s,
                     "{\"z\":\"quote\\\" back\\\\ nl\\n tab\\t ctl\\u0001\",\"a\":-7,"
                     "\"n\":6760.25,\"i\":3,\"nan\":null,\"t\":true,\"null\":null,"
                     "\"arr\":[\"caf\xc3\xa9\",\"bad\xef\xbf\xbd\"],\"raw\":{\"k\":1}}");
    cr_assert_eq(len, strlen(s));
    free(s);
}

/* The integer writer and the escaper's fast path agree with printf and with the
 * byte-by-byte rules at their edges. */
Test(jsonw, integers_and_plain_runs_at_their_edges) {
    static const long long ints[] = {0,   1,         -1,        9,         10,
                                     -10, 123456789, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        idr__buf b;
        idr__buf_init(&b, NULL);
        idr__jw w;
        idr__jw_init(&w, &b, false);
        idr__jw_arr_begin(&w, NULL);
        idr__jw_int(&w, NULL, ints[i]);
        idr__jw_num(&w, NULL, (double)(ints[i] % 1000000000LL));
        idr__jw_arr_end(&w);
        char *s = idr__buf_take(&b, NULL);
        char want[64];
        snprintf(want, sizeof want, "[%lld,%lld]", ints[i], ints[i] % 1000000000LL);
        cr_assert_str_eq(s, want);
        free(s);
    }
    /* every byte value alone, then inside a plain run: the same escape either way */
    for (int c = 1; c < 256; c++) {
        char one[2] = {(char)c, 0}, run[8] = {'a', 'b', (char)c, 'c', 'd', 0};
        idr__buf b1, b2;
        idr__buf_init(&b1, NULL);
        idr__buf_init(&b2, NULL);
        idr__json_escape(&b1, one, 1);
        idr__json_escape(&b2, run, 5);
        char *s1 = idr__buf_take(&b1, NULL), *s2 = idr__buf_take(&b2, NULL);
        char want[64];
        snprintf(want, sizeof want, "ab%scd", s1);
        cr_assert_str_eq(s2, want, "byte 0x%02x", c);
        bool plain = c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
        cr_assert_eq(strcmp(s1, one) == 0, plain, "byte 0x%02x", c);
        free(s1);
        free(s2);
    }
}

/* The escaper tests eight bytes at a time: a byte needing care at every position of
 * a word, and after a plain word, is still found. */
Test(jsonw, special_byte_at_every_word_position) {
    static const unsigned char specials[] = {0x00, 0x01, 0x0a, 0x1f, '"', '\\',
                                             0x7f, 0x80, 0xbf, 0xc3, 0xff};
    for (size_t k = 0; k < sizeof specials; k++) {
        char one[2] = {(char)specials[k], 0};
        idr__buf b1;
        idr__buf_init(&b1, NULL);
        idr__json_escape(&b1, one, 1);
        char *esc = idr__buf_take(&b1, NULL);
        for (size_t pos = 0; pos < 24; pos++) {
            char run[32];
            memset(run, 'a', 24);
            run[24] = 0;
            run[pos] = (char)specials[k];
            idr__buf b;
            idr__buf_init(&b, NULL);
            idr__json_escape(&b, run, 24);
            char *got = idr__buf_take(&b, NULL);
            char want[64];
            snprintf(want, sizeof want, "%.*s%s%.*s", (int)pos, run, esc, (int)(23 - pos),
                     run + pos + 1);
            cr_assert_str_eq(got, want, "byte 0x%02x at %zu", specials[k], pos);
            free(got);
        }
        free(esc);
    }
}

Test(sha256, known_vectors) {
    char hex[65];
    idr__sha256_hex("", 0, hex);
    cr_assert_str_eq(hex,
                     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    idr__sha256_hex("abc", 3, hex);
    cr_assert_str_eq(hex,
                     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    idr__sha256_hex(m, strlen(m), hex);
    cr_assert_str_eq(hex,
                     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

Test(idhash, keyed_domain_separated_and_stable) {
    cr_assert_eq(idr__crypto_init(), 0);
    uint8_t k1[IDR__ID_KEY_BYTES] = {1}, k2[IDR__ID_KEY_BYTES] = {2};
    idr__id_key a, a2, b;
    idr__id_key_init(&a, k1);
    idr__id_key_init(&a2, k1);
    idr__id_key_init(&b, k2);
    char h1[65], h2[65], h3[65], h4[65];
    idr__id_hash_hex(&a, "ssn", "123456789", 9, h1);
    idr__id_hash_hex(&a2, "ssn", "123456789", 9, h2);
    idr__id_hash_hex(&b, "ssn", "123456789", 9, h3);
    idr__id_hash_hex(&a, "phone", "123456789", 9, h4);
    cr_assert_str_eq(h1, h2, "same key, same input: same hash");
    cr_assert_str_neq(h1, h3, "another key gives another hash");
    cr_assert_str_neq(h1, h4, "the domain separates kinds with the same digits");
    cr_assert_eq(memcmp(a.fp, a2.fp, sizeof a.fp), 0);
    cr_assert_neq(memcmp(a.fp, b.fp, sizeof a.fp), 0);
    /* the sub-key is not the key itself */
    cr_assert_neq(memcmp(a.hash, k1, sizeof k1), 0);
}

Test(config, bad_values_fail_at_set_time) {
    idr_config *cfg = NULL;
    idr_error err;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_ALLOW_CIDR, "10.0.0.0/33", &err),
                 IDR_EINVAL);
    cr_assert_str_eq(err.field, "allow_cidr");
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_ALLOW_CIDR, "10.8.0.0/16", &err),
                 IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RELAY_CIDR, "2a02:26f7::/32", &err),
                 IDR_OK);
    cr_assert_eq(idr_config_set_int(cfg, IDR_CFG_MAX_DEPTH, 2, &err), IDR_EINVAL);
    cr_assert_str_eq(err.field, "max_depth");
    cr_assert_eq(idr_config_set_by_name(cfg, "max_array", "12x", &err), IDR_EINVAL);
    cr_assert_str_eq(err.field, "max_array");
    cr_assert_eq(idr_config_set_by_name(cfg, "max_array", "50", &err), IDR_OK);
    cr_assert_eq(idr_config_set_by_name(cfg, "colour", "red", &err), IDR_EINVAL);
    cr_assert_str_eq(err.field, "colour");
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, "", &err), IDR_EINVAL);
    cr_assert_eq(idr_config_set_str(cfg, 999, "x", &err), IDR_EINVAL);
    idr_config_free(cfg);
    idr_config_free(NULL);
}

/* idr_features() reports what this build has: geo, phone, names and the store, and
 * the PostgreSQL backend when built with libpq (the README's set-up always has it;
 * tests/pg and python_dask fail when it is missing), nothing else. */
Test(api, features_report_what_was_built) {
    unsigned f = idr_features();
    cr_assert_eq(f & ~IDR_FEATURE_POSTGRESQL,
                 IDR_FEATURE_GEO | IDR_FEATURE_PHONE | IDR_FEATURE_NAMES |
                     IDR_FEATURE_STORE,
                 "0x%x", f);
}

Test(errors, every_code_has_text) {
    for (int c = IDR_OK; c >= IDR_EINTERNAL; c--) {
        cr_assert_str_neq(idr_strerror(c), "unknown error");
    }
    cr_assert_str_eq(idr_strerror(-999), "unknown error");
    cr_assert_eq(idr_version_number(), IDR_VERSION_NUMBER);
    cr_assert_str_eq(idr_version_string(), IDR_VERSION_STRING);
}

Test(engine, bad_rules_file_names_entry_and_key) {
    char path[] = "/tmp/idr_test_pack_XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    const char *text = "[pack]\nid = t\nversion = 1\nband.medium = 20\nband.high = 45\n"
                       "band.critical = 70\n[sources]\nSSA = s\n"
                       "[indicator ssn_invalid_structure]\npoints = lots\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, &err), IDR_OK);
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_EDATA);
    cr_assert_null(eng);
    cr_assert_str_eq(err.field, "ssn_invalid_structure.points");
    idr_config_free(cfg);
    unlink(path);
    idr_engine_free(NULL);
}
