/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json_simd.c - the simdjson parse path changes no result and no error
 * (lib/parse/json_simd.cc; the comparison is tests/json_tree_diff.h).
 *
 * Every input goes through both paths: the tree the shim builds must equal cJSON's
 * node for node, and the whole parse outcome (status, error field and message) must
 * equal the cJSON-only path's. Inputs: the committed candidate_json fuzz corpus, the
 * example candidates, a generated population (IDR_SIMD_POPULATION, written by the
 * json_simd_population fixture; tests/json_simd.cmake) and hand-written edge cases.
 * The corpus and population checks also require that the fast path really runs.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../json_tree_diff.h"

static size_t read_all(const char *path, char **out) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    size_t cap = 1 << 16, n = 0;
    char *b = malloc(cap);
    size_t k;
    while ((k = fread(b + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap) {
            cap *= 2;
            b = realloc(b, cap);
        }
    }
    fclose(f);
    *out = b;
    return n;
}

/* Checks every regular file of `dir`; returns how many the shim parsed. */
static size_t check_dir(const char *dir, const char *suffix, size_t *files) {
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "%s", dir);
    size_t used = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (e->d_name[0] == '.' ||
            (suffix &&
             (l < strlen(suffix) || strcmp(e->d_name + l - strlen(suffix), suffix)))) {
            continue;
        }
        char path[1024], why[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        char *buf;
        size_t n = read_all(path, &buf);
        int r = jtd_check(buf, n, why, sizeof why);
        cr_expect_geq(r, 0, "%s: %s", path, why);
        used += r > 0;
        ++*files;
        free(buf);
    }
    closedir(d);
    return used;
}

Test(json_simd, fuzz_corpus) {
    size_t files = 0;
    size_t used =
        check_dir(IDR_TEST_SOURCE_DIR "/tests/fuzz/corpus/candidate_json", NULL, &files);
    cr_expect_gt(files, 10);
    if (idr__json_simd_available()) {
        cr_expect_gt(used, 0, "the simdjson path never ran");
    }
}

Test(json_simd, example_candidates) {
    size_t files = 0;
    size_t used = check_dir(IDR_TEST_SOURCE_DIR "/examples/candidates", ".json", &files);
    cr_expect_gt(files, 5);
    if (idr__json_simd_available()) {
        cr_expect_eq(used, files, "every example should take the simdjson path");
    }
}

Test(json_simd, population) {
    const char *path = getenv("IDR_SIMD_POPULATION");
    if (!path || !*path) {
        cr_skip_test("IDR_SIMD_POPULATION not set (no fetched data to generate it)");
    }
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *line = NULL;
    size_t cap = 0, lines = 0, used = 0;
    ssize_t n;
    char why[512];
    while (lines < 2000 && (n = getline(&line, &cap, f)) > 0) {
        int r = jtd_check(line, (size_t)n, why, sizeof why);
        cr_expect_geq(r, 0, "line %zu: %s", lines + 1, why);
        used += r > 0;
        lines++;
    }
    free(line);
    fclose(f);
    cr_expect_eq(lines, 2000);
    if (idr__json_simd_available()) {
        cr_expect_eq(used, lines, "every generated record should take the simdjson path");
    }
}

#define REC(v) "{\"candidate_id\":\"c1\",\"x\":" v "}"

Test(json_simd, edge_cases) {
    static const struct {
        const char *s;
        size_t n; /* 0: strlen */
    } cases[] = {
        {"{}", 0},
        {"  {\"candidate_id\":\"c1\"}  \n", 0},
        {"{\"candidate_id\":\"c1\",\"candidate_id\":\"c2\"}", 0}, /* duplicate key */
        {"{\"candidate_id\":\"c1\",\"a\":{\"b\":1,\"b\":2,\"a\":[3,3]}}", 0},
        {REC("1e400"), 0},
        {REC("-1e400"), 0},
        {REC("-0"), 0},
        {REC("[-0,0,-0.0,0.0,-0e0,-0E-0]"), 0},
        {REC("1e-400"), 0},
        {REC("4.9e-324"), 0},
        {REC("2.4703282292062328e-324"), 0},
        {REC("1.7976931348623157e308"), 0},
        {REC("18446744073709551615"), 0},
        {REC("18446744073709551616"), 0},
        {REC("-9223372036854775808"), 0},
        {REC("-9223372036854775809"), 0},
        {REC("9223372036854775807"), 0},
        {REC("9007199254740993"), 0},
        {REC("[2147483647,2147483648,-2147483648,-2147483649,2147483647.5,-2147483648."
             "5]"),
         0},
        {REC("0.1"), 0},
        {REC("1.00000000000000011102230246251565404236316680908203125"), 0},
        {REC("1.000000000000000111022302462515654042363166809082031251"), 0},
        {REC("123456789012345678901234567890123456789012345678901234567890123"), 0},
        {REC("1e0000000000000000000000000000000000000000000000000000000000000001"), 0},
        {REC("[true,false,null]"), 0},
        {REC("\"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\""), 0},
        {REC("\"\\ud800\""), 0},          /* lone high surrogate */
        {REC("\"\\udc00\""), 0},          /* lone low surrogate */
        {REC("\"\\ud800\\u0041\""), 0},   /* high surrogate, no low */
        {REC("\"\xed\xa0\x80\""), 0},     /* raw surrogate (invalid UTF-8) */
        {REC("\"\xc0\xaf\""), 0},         /* overlong encoding */
        {REC("\"\xff\xfe\""), 0},         /* invalid UTF-8 */
        {REC("\"\xf4\x90\x80\x80\""), 0}, /* above U+10FFFF */
        {REC("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""), 0},
        {REC("\"a\\u0000b\""), 0},   /* escaped NUL: refused before */
        {REC("\"a\\\\u0000b\""), 0}, /* escaped backslash, then text */
        {"{\"candidate_id\":\"c1\",\"x\":\"a\0b\"}",
         sizeof "{\"candidate_id\":\"c1\",\"x\":\"a\0b\"}" - 1}, /* raw NUL in a string */
        {REC("\"tab\there\""), 0},                    /* raw control character */
        {"\xef\xbb\xbf{\"candidate_id\":\"c1\"}", 0}, /* BOM */
        {"{\"candidate_id\":\"c1\"} x", 0},           /* trailing garbage */
        {"{\"candidate_id\":\"c1\"}\0\0\0",
         sizeof "{\"candidate_id\":\"c1\"}\0\0\0" - 1}, /* trailing NULs */
        {"{\"candidate_id\":\"c1\"}{}", 0},
        {"{\"candidate_id\":\"c1\",}", 0},
        {"{\"candidate_id\":\"c1\"", 0},
        {"{\"candidate_id\":01}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":1.}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":+1}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":.5}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":\v1}", 0}, /* cJSON-only whitespace */
        {"[1,2,3]", 0},
        {"\"just a string\"", 0},
        {"42", 0},
        {"null", 0},
        {"", 0},
        {"{\"\":\"empty key\",\"candidate_id\":\"c1\"}", 0},
        {"{\"candidate_id\":\"c1\",\"ssn\":\"x\"}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":{\"race\":[1]}}", 0},
        {"{\"candidate_id\":\"c1\",\"x\":[],\"y\":{},\"z\":[[],{}]}", 0},
    };
    char why[512];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s);
        cr_expect_geq(jtd_check(cases[i].s, n, why, sizeof why), 0, "case %zu: %s", i,
                      why);
    }
    /* a plain record takes the fast path, -0 does not */
    if (idr__json_simd_available()) {
        cr_expect_eq(jtd_check(REC("[1,2.5,\"s\",true]"),
                               strlen(REC("[1,2.5,\"s\",true]")), why, sizeof why),
                     1);
        cr_expect_eq(jtd_check(REC("-0"), strlen(REC("-0")), why, sizeof why), 0);
        /* negative zero doubles are simdjson's to parse, and must come out -0.0 */
        const char *negz = REC("[-0.0,-0e0,-0E-0,-0.0e5,0,0.0]");
        cr_expect_eq(jtd_check(negz, strlen(negz), why, sizeof why), 1, "%s", why);
        const char *bigs =
            REC("[1e308,-1e308,1e-320,9007199254740993,18446744073709551615]");
        cr_expect_eq(jtd_check(bigs, strlen(bigs), why, sizeof why), 1, "%s", why);
    }
}

/* Nesting around the limits: max_depth (16), the shim's own bound and cJSON's 1000. */
Test(json_simd, deep_nesting) {
    static const int depths[] = {1,   15,  16,  17,   18,   100, 255,
                                 256, 257, 999, 1000, 1001, 1100};
    char why[512];
    for (size_t k = 0; k < sizeof depths / sizeof depths[0]; k++) {
        int d = depths[k];
        for (int obj = 0; obj < 2; obj++) {
            size_t cap = (size_t)d * 8 + 64, n = 0;
            char *s = malloc(cap);
            n += (size_t)sprintf(s, "{\"candidate_id\":\"c1\",\"x\":");
            for (int i = 0; i < d; i++) {
                n += (size_t)sprintf(s + n, obj ? "{\"k\":" : "[");
            }
            s[n++] = '1';
            for (int i = 0; i < d; i++) {
                s[n++] = obj ? '}' : ']';
            }
            s[n++] = '}';
            cr_expect_geq(jtd_check(s, n, why, sizeof why), 0, "depth %d obj %d: %s", d,
                          obj, why);
            free(s);
        }
    }
}

/* Long strings and many members: arena growth beyond the first block. */
Test(json_simd, long_strings) {
    size_t big = 300000;
    char *s = malloc(big + 64);
    size_t n = (size_t)sprintf(s, "{\"candidate_id\":\"c1\",\"x\":\"");
    for (size_t i = 0; i < big; i++) {
        s[n++] = (char)('a' + i % 26);
    }
    n += (size_t)sprintf(s + n, "\"}");
    char why[512];
    cr_expect_geq(jtd_check(s, n, why, sizeof why), 0, "%s", why);
    free(s);
    size_t m = 20000;
    s = malloc(m * 12 + 64);
    n = (size_t)sprintf(s, "{\"candidate_id\":\"c1\",\"x\":[");
    for (size_t i = 0; i < m; i++) {
        n += (size_t)sprintf(s + n, "%s%zu.5", i ? "," : "", i);
    }
    n += (size_t)sprintf(s + n, "]}");
    cr_expect_geq(jtd_check(s, n, why, sizeof why), 0, "%s", why);
    free(s);
}

/* The text screen (idr__json_simd_text_ok samples every 30th byte) against a plain
 * byte-by-byte reading of its contract, for number runs around 60 at every offset. */
static int naive_text_ok(const char *s, size_t n) {
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        if (strchr("0123456789+-eE.", s[i]) && s[i]) {
            if (++run >= 60) {
                return 0;
            }
        } else {
            run = 0;
        }
        if (s[i] == '-' && i + 1 < n && s[i + 1] == '0' &&
            (i + 2 >= n || !strchr(".eE", s[i + 2]) || !s[i + 2]) &&
            (i == 0 || (s[i - 1] && strchr(":,[ \t\n\r", s[i - 1])))) {
            return 0;
        }
    }
    return 1;
}

Test(json_simd, text_screen) {
    char s[400];
    for (size_t run = 1; run <= 130; run++) {
        for (size_t off = 0; off < 70; off++) {
            size_t n = 0;
            for (size_t i = 0; i < off; i++) {
                s[n++] = 'a';
            }
            for (size_t i = 0; i < run; i++) {
                s[n++] = "12.e+5-"[i % 7];
            }
            for (size_t tail = 0; tail < 3 && n < sizeof s; tail++) {
                s[n++] = 'x';
            }
            cr_expect_eq(idr__json_simd_text_ok(s, n), naive_text_ok(s, n),
                         "run %zu off %zu", run, off);
            cr_expect_eq(idr__json_simd_text_ok(s, off + run),
                         naive_text_ok(s, off + run), "run %zu off %zu at the end", run,
                         off);
        }
    }
    static const char *const minus[] = {
        "-0",   ":-0",  ", -0}", "[-0]", "-0.5", "-0e1", "a-0", "1-0", "\"2024-01-02\"",
        ":-0E", ":-01", "x:-0",  "\t-0", "-",    "0-"};
    for (size_t i = 0; i < sizeof minus / sizeof minus[0]; i++) {
        cr_expect_eq(idr__json_simd_text_ok(minus[i], strlen(minus[i])),
                     naive_text_ok(minus[i], strlen(minus[i])), "%s", minus[i]);
    }
}
