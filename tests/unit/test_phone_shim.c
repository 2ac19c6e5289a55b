/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_phone_shim.c - the C shim over libphonenumber (lib/enrich/phone/phone_shim.h), on
 * the real metadata and offline geocoder of Debian's libphonenumber 8.12. No mocks: every
 * expected value is what the library's own data says (checked against the Python port
 * of the same version, python3-phonenumbers 8.12.57).
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "enrich/phone/phone_shim.h"
#include "idrisk/idrisk.h"

static idr__phone_shim *shim;

static void setup(void) {
    char why[160] = "";
    cr_assert_eq(idr__phone_shim_new(&shim, why, sizeof why), IDR_OK, "%s", why);
}

static void teardown(void) {
    idr__phone_shim_free(shim);
    shim = NULL;
}

TestSuite(phone_shim, .init = setup, .fini = teardown);

static idr__phone_fact look(const char *number, const char *region, int want_rc) {
    idr__phone_fact f;
    int rc = idr__phone_shim_lookup(shim, number, strlen(number), region,
                                    IDR__PHONE_DISPLAY, &f);
    cr_assert_eq(rc, want_rc, "%s (%s): rc %d, error '%s'", number, region ? region : "-",
                 rc, f.error);
    return f;
}

Test(phone_shim, us_number_geocodes_to_minnesota) {
    idr__phone_fact f = look("+1 612-555-0123", NULL, IDR_OK);
    cr_assert(f.parsed && f.valid && f.possible);
    cr_assert_str_eq(f.e164, "+16125550123");
    cr_assert_str_eq(f.international, "+1 612-555-0123");
    cr_assert_str_eq(f.national, "(612) 555-0123");
    cr_assert_eq(f.country_code, 1);
    cr_assert_str_eq(f.type, "fixed_line_or_mobile");
    cr_assert_str_eq(f.region, "US");
    cr_assert_str_eq(f.area, "Minnesota");
}

Test(phone_shim, nanp_city_level_and_canada) {
    idr__phone_fact f = look("+1 415 555 0100", NULL, IDR_OK);
    cr_assert_str_eq(f.area, "San Francisco, CA");
    f = look("(613) 555-0100", "CA", IDR_OK);
    cr_assert_str_eq(f.region, "CA");
    cr_assert_str_eq(f.area, "Ontario");
}

Test(phone_shim, gb_fixed_line_parsed_with_hint) {
    idr__phone_fact f = look("020 7946 0000", "GB", IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.e164, "+442079460000");
    cr_assert_str_eq(f.type, "fixed_line");
    cr_assert_str_eq(f.region, "GB");
    cr_assert_str_eq(f.area, "London");
}

Test(phone_shim, hint_is_case_insensitive) {
    idr__phone_fact f = look("020 7946 0000", "gb", IDR_OK);
    cr_assert_str_eq(f.e164, "+442079460000");
}

Test(phone_shim, de_national_number_with_hint) {
    idr__phone_fact f = look("030 123456", "DE", IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.e164, "+4930123456");
    cr_assert_str_eq(f.type, "fixed_line");
    cr_assert_str_eq(f.area, "Berlin");
}

Test(phone_shim, de_personal_number) {
    idr__phone_fact f = look("+49 700 12345678", NULL, IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.type, "personal_number");
}

Test(phone_shim, in_mobile) {
    idr__phone_fact f = look("+91 98765 43210", NULL, IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.type, "mobile");
    cr_assert_str_eq(f.region, "IN");
    cr_assert_str_eq(f.area, "India");
}

Test(phone_shim, jp_fixed_and_mobile) {
    idr__phone_fact f = look("+81 3-1234-5678", NULL, IDR_OK);
    cr_assert_str_eq(f.type, "fixed_line");
    cr_assert_str_eq(f.area, "Tokyo");
    f = look("090-1234-5678", "JP", IDR_OK);
    cr_assert_str_eq(f.type, "mobile");
    cr_assert_str_eq(f.e164, "+819012345678");
}

Test(phone_shim, gb_voip_range) {
    idr__phone_fact f = look("+44 56 1234 5678", NULL, IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.type, "voip");
    cr_assert_str_eq(f.region, "GB");
    /* A non-geographic range is described by its country only. */
    cr_assert_str_eq(f.area, "United Kingdom");
}

Test(phone_shim, toll_free_and_premium) {
    idr__phone_fact f = look("+1 800 555 1234", NULL, IDR_OK);
    cr_assert(f.valid);
    cr_assert_str_eq(f.type, "toll_free");
    cr_assert_str_eq(f.region, "US");
    cr_assert_str_eq(f.area, "United States");
    f = look("+1 900 555 0100", NULL, IDR_OK);
    cr_assert_str_eq(f.type, "premium_rate");
    f = look("+44 870 123 4567", NULL, IDR_OK);
    cr_assert_str_eq(f.type, "premium_rate");
}

Test(phone_shim, invalid_but_possible) {
    /* NANP exchanges never start with 0. */
    idr__phone_fact f = look("+1 212 055 1234", NULL, IDR_OK);
    cr_assert(f.parsed);
    cr_assert_eq(f.valid, 0);
    cr_assert_eq(f.possible, 1);
    cr_assert_str_eq(f.type, "unknown");
    /* Not valid: the region is that of the calling code; no geocoding. */
    cr_assert_str_eq(f.region, "US");
    cr_assert_str_eq(f.area, "");
    /* Ofcom's drama range 07700 900xxx is not allocated to a network. */
    f = look("+44 7700 900123", NULL, IDR_OK);
    cr_assert_eq(f.valid, 0);
}

Test(phone_shim, parse_failures_say_why) {
    idr__phone_fact f = look("hello", NULL, IDR_EINVAL);
    cr_assert_eq(f.parsed, 0);
    cr_assert_str_eq(f.error, "not a phone number");
    f = look("+49 1", NULL, IDR_EINVAL);
    cr_assert_str_eq(f.error, "too short to be a phone number");
    f = look("020 7946 0000", NULL, IDR_EINVAL);
    cr_assert(strstr(f.error, "country calling code") != NULL, "%s", f.error);
    /* A bad hint is treated as no hint, not as an error of its own. */
    f = look("020 7946 0000", "G1", IDR_EINVAL);
    f = look("+44 20 7946 0000", "not-a-region", IDR_OK);
    cr_assert_str_eq(f.region, "GB");
}

Test(phone_shim, hostile_input) {
    char big[4096];
    memset(big, '9', sizeof big);
    idr__phone_fact f;
    cr_assert_eq(idr__phone_shim_lookup(shim, big, sizeof big, "US", 0, &f), IDR_EINVAL);
    cr_assert_str_eq(f.error, "too long to be a phone number");
    const char nul[] = "+1 612\0 555 0123";
    cr_assert_neq(idr__phone_shim_lookup(shim, nul, sizeof nul - 1, NULL, 0, &f),
                  IDR_EINTERNAL);
    const char bad_utf8[] = "+44 \xff\xfe 20 7946 0000";
    cr_assert_neq(
        idr__phone_shim_lookup(shim, bad_utf8, sizeof bad_utf8 - 1, NULL, 0, &f),
        IDR_EINTERNAL);
    cr_assert_eq(idr__phone_shim_lookup(shim, NULL, 0, NULL, 0, &f), IDR_EINVAL);
}

Test(phone_shim, display_forms_only_on_request) {
    idr__phone_fact f;
    cr_assert_eq(idr__phone_shim_lookup(shim, "+16125550123", 12, NULL, 0, &f), IDR_OK);
    cr_assert_str_eq(f.e164, "+16125550123");
    cr_assert_str_eq(f.international, "");
    cr_assert_str_eq(f.national, "");
    cr_assert_str_eq(f.area, "Minnesota");
    cr_assert_eq(f.valid, 1);
}

/* The PCRE2 fast path gives what libphonenumber's own matcher gives, on numbers from
 * every calling code: random digits (mostly invalid, exercising the region choice
 * among shared codes) and prefixes of real ranges (mostly valid). */
static void compare_paths(const char *num, size_t *n_valid) {
    idr__phone_fact a, b;
    int ra = idr__phone_shim_lookup(shim, num, strlen(num), NULL, 0, &a);
    int rb = idr__phone_shim_lookup(shim, num, strlen(num), NULL, IDR__PHONE_LIBRARY, &b);
    cr_assert_eq(ra, rb, "%s", num);
    cr_assert_str_eq(a.error, b.error, "%s", num);
    cr_assert_str_eq(a.e164, b.e164, "%s", num);
    cr_assert_eq(a.possible, b.possible, "%s", num);
    cr_assert_eq(a.valid, b.valid, "%s: valid fast %d library %d", num, a.valid, b.valid);
    cr_assert_str_eq(a.type, b.type, "%s", num);
    cr_assert_str_eq(a.region, b.region, "%s", num);
    cr_assert_str_eq(a.area, b.area, "%s", num);
    *n_valid += (size_t)a.valid;
}

Test(phone_shim, fast_path_agrees_with_library, .timeout = 120) {
    cr_assert(idr__phone_shim_fast(shim), "the PCRE2 fast path did not start");
    static const char *const prefixes[] = {
        "+1212", "+1340",  "+1416", "+1441",    "+1649",   "+1787",   "+1876",   "+7495",
        "+7727", "+7700",  "+4420", "+447",     "+441481", "+441534", "+441624", "+4479",
        "+3906", "+39347", "+61",   "+6189164", "+262269", "+262639", "+590590", "+599",
        "+358",  "+35818", "+47",   "+4779",    "+212",    "+290",    "+800",    "+808",
        "+870",  "+881",   "+882",  "+883",     "+888",    "+979",    "+91",     "+86",
        "+81",   "+49",    "+33",   "+55",      "+52",     "+234"};
    char num[40];
    size_t n_valid = 0, n = 0;
    uint32_t x = 12345;
    for (int i = 0; i < 6000; i++, n++) {
        x = x * 1103515245u + 12345u;
        int len = 4 + (int)((x >> 16) % 11);
        const char *pre = prefixes[(x >> 8) % (sizeof prefixes / sizeof prefixes[0])];
        size_t k = (size_t)snprintf(num, sizeof num, "%s", pre);
        if (i % 2) { /* a random calling code instead */
            k = (size_t)snprintf(num, sizeof num, "+%u", 1 + (x >> 4) % 999);
        }
        for (int d = 0; d < len && k < sizeof num - 1; d++) {
            x = x * 1103515245u + 12345u;
            num[k++] = (char)('0' + (x >> 16) % 10);
        }
        num[k] = '\0';
        compare_paths(num, &n_valid);
    }
    cr_log_info("fast path: %zu numbers, %zu valid, no difference", n, n_valid);
    cr_assert_gt(n_valid, 300, "too few valid numbers to mean anything: %zu", n_valid);
}

/* Which inputs the shim's own parser reads (tests/phone/phone_agree.cc checks that it
 * reads them as libphonenumber does) and which it leaves to the library. */
Test(phone_shim, own_parser_reads_common_forms) {
    static const struct {
        const char *number, *hint;
        int fast;
        const char *e164;
    } cases[] = {
        {"+1 (612) 555-0123", NULL, 1, "+16125550123"},
        {"+44 (0)20 7946 0000", NULL, 1, "+442079460000"}, /* national prefix dropped */
        {"+39 06 1234 5678", NULL, 1, "+390612345678"},    /* Italian leading zero */
        {"020 7946 0000", "GB", 1, "+442079460000"},
        {"011 15-2345-6789", "AR", 1, "+5491123456789"},  /* transform rule 9$1 */
        {"00 44 20 7946 0000", "DE", 0, "+442079460000"}, /* IDD prefix: library */
        {"+1 612 555 0123 ext. 7", NULL, 0, "+16125550123"},
        {"tel:+16125550123", NULL, 0, "+16125550123"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idr__phone_fact f;
        cr_assert_eq(idr__phone_shim_lookup(shim, cases[i].number,
                                            strlen(cases[i].number), cases[i].hint, 0,
                                            &f),
                     IDR_OK, "%s: %s", cases[i].number, f.error);
        cr_assert_eq(f.fast_parse, cases[i].fast, "%s", cases[i].number);
        cr_assert_str_eq(f.e164, cases[i].e164, "%s", cases[i].number);
    }
}

Test(phone_shim, region_supported) {
    cr_assert(idr__phone_shim_region_supported("US"));
    cr_assert(idr__phone_shim_region_supported("gb"));
    cr_assert_not(idr__phone_shim_region_supported("ZZ"));
    cr_assert_not(idr__phone_shim_region_supported("U"));
    cr_assert_not(idr__phone_shim_region_supported("USA"));
    cr_assert_not(idr__phone_shim_region_supported(NULL));
}

/* One shim, many threads: geocoder tables load lazily under the library's own mutex. */
static void *worker(void *arg) {
    const char *const numbers[] = {"+16125550123", "+442079460000", "+81312345678",
                                   "+4930123456", "+14155550100"};
    const char *const areas[] = {"Minnesota", "London", "Tokyo", "Berlin",
                                 "San Francisco, CA"};
    long bad = 0;
    for (int i = 0; i < 400; i++) {
        int k = (i + (int)(long)arg) % 5;
        idr__phone_fact f;
        if (idr__phone_shim_lookup(shim, numbers[k], strlen(numbers[k]), NULL, 0, &f) !=
                IDR_OK ||
            strcmp(f.area, areas[k]) != 0) {
            bad++;
        }
    }
    return (void *)bad;
}

Test(phone_shim, shared_between_threads) {
    pthread_t t[4];
    for (long i = 0; i < 4; i++) {
        cr_assert_eq(pthread_create(&t[i], NULL, worker, (void *)i), 0);
    }
    for (int i = 0; i < 4; i++) {
        void *bad = NULL;
        pthread_join(t[i], &bad);
        cr_assert_eq((long)bad, 0);
    }
}
