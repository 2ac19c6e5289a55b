/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_values.c - dates, instants, countries, IP addresses, CIDR ranges, distance and
 * plain name normalisation (lib/model/values.c, lib/model/country.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* ---- dates ---------------------------------------------------------------------- */

Test(values, date_valid) {
    int32_t d = 0;
    cr_assert(idr__parse_date("1970-01-01", &d));
    cr_assert_eq(d, 0);
    cr_assert(idr__parse_date("1970-01-02", &d));
    cr_assert_eq(d, 1);
    cr_assert(idr__parse_date("1969-12-31", &d));
    cr_assert_eq(d, -1);
    cr_assert(idr__parse_date("2000-03-01", &d));
    cr_assert_eq(d, 11017);
    cr_assert(idr__parse_date("2025-03-01", &d));
    cr_assert_eq(d, 20148);
}

Test(values, date_leap_years) {
    int32_t d;
    cr_assert(idr__parse_date("2000-02-29", &d));     /* divisible by 400 */
    cr_assert(idr__parse_date("2024-02-29", &d));     /* divisible by 4 */
    cr_assert_not(idr__parse_date("1900-02-29", &d)); /* century, not by 400 */
    cr_assert_not(idr__parse_date("2023-02-29", &d));
    cr_assert_not(idr__parse_date("2024-02-30", &d));
    cr_assert_not(idr__parse_date("2024-04-31", &d));
    cr_assert(idr__parse_date("2024-12-31", &d));
}

Test(values, date_rejects_bad_syntax) {
    const char *bad[] = {"",
                         "2025-1-01",
                         "2025-01-1",
                         "25-01-01",
                         "2025/01/01",
                         "2025-00-10",
                         "2025-13-01",
                         "2025-01-00",
                         "2025-01-32",
                         "2025-01-01 ",
                         " 2025-01-01",
                         "2025-01-01T00:00:00Z",
                         "２０２５-01-01",
                         "2025-0a-01",
                         "+2025-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 12345;
        cr_assert_not(idr__parse_date(bad[i], &d), "accepted \"%s\"", bad[i]);
        cr_assert_eq(d, 12345, "wrote output for \"%s\"", bad[i]);
    }
    int32_t d;
    cr_assert_not(idr__parse_date(NULL, &d));
}

Test(values, civil_round_trip) {
    for (int64_t z = -800000; z <= 800000; z += 37) {
        int y;
        unsigned m, d;
        idr__civil_from_days(z, &y, &m, &d);
        cr_assert(m >= 1 && m <= 12 && d >= 1 && d <= 31);
        cr_assert_eq(idr__days_from_civil(y, m, d), z, "day %lld", (long long)z);
    }
}

Test(values, format_date) {
    char buf[11];
    idr__format_date(0, buf);
    cr_assert_str_eq(buf, "1970-01-01");
    idr__format_date(20148, buf);
    cr_assert_str_eq(buf, "2025-03-01");
    idr__format_date(-1, buf);
    cr_assert_str_eq(buf, "1969-12-31");
    int32_t d;
    cr_assert(idr__parse_date("2024-02-29", &d));
    idr__format_date(d, buf);
    cr_assert_str_eq(buf, "2024-02-29");
}

/* ---- instants ------------------------------------------------------------------- */

Test(values, instant_valid_forms) {
    int64_t t;
    cr_assert(idr__parse_instant("1970-01-01T00:00:00Z", &t));
    cr_assert_eq(t, 0);
    cr_assert(idr__parse_instant("2025-03-01T14:03:00Z", &t));
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("2025-03-01t14:03:00z", &t)); /* RFC 3339 5.6 note */
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("2025-03-01T14:03:00.123456Z", &t)); /* truncated */
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("2025-03-01T09:03:00-05:00", &t));
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("2025-03-01T19:33:00+05:30", &t));
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("2025-03-01T14:03:00-00:00", &t));
    cr_assert_eq(t, 1740837780);
    cr_assert(idr__parse_instant("1969-12-31T23:59:59Z", &t));
    cr_assert_eq(t, -1);
}

Test(values, instant_leap_second_is_clamped) {
    int64_t t, u;
    cr_assert(idr__parse_instant("2016-12-31T23:59:60Z", &t));
    cr_assert(idr__parse_instant("2016-12-31T23:59:59Z", &u));
    cr_assert_eq(t, u);
    cr_assert_not(idr__parse_instant("2016-12-31T23:58:60Z", &t));
    cr_assert_not(idr__parse_instant("2016-12-31T23:59:61Z", &t));
}

Test(values, instant_rejects_bad_syntax) {
    const char *bad[] = {"",
                         "2025-03-01",
                         "2025-03-01T14:03Z",
                         "2025-03-01T14:03:00",
                         "2025-03-01 14:03:00Z",
                         "2025-03-01T24:00:00Z",
                         "2025-03-01T14:60:00Z",
                         "2025-03-01T14:03:00.Z",
                         "2025-03-01T14:03:00+0500",
                         "2025-03-01T14:03:00+05",
                         "2025-03-01T14:03:00+24:00",
                         "2025-03-01T14:03:00+05:60",
                         "2025-03-01T14:03:00ZZ",
                         "2025-03-01T14:03:00Z ",
                         "2025-02-30T14:03:00Z",
                         "2025-03-01T1:03:00Z"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t t = 42;
        cr_assert_not(idr__parse_instant(bad[i], &t), "accepted \"%s\"", bad[i]);
        cr_assert_eq(t, 42);
    }
    int64_t t;
    cr_assert_not(idr__parse_instant(NULL, &t));
}

Test(values, format_instant) {
    char buf[21];
    idr__format_instant(1740837780, buf);
    cr_assert_str_eq(buf, "2025-03-01T14:03:00Z");
    idr__format_instant(-1, buf);
    cr_assert_str_eq(buf, "1969-12-31T23:59:59Z");
    idr__format_instant(0, buf);
    cr_assert_str_eq(buf, "1970-01-01T00:00:00Z");
}

/* ---- countries ------------------------------------------------------------------ */

Test(values, country_codes) {
    cr_assert(idr__country_valid("US"));
    cr_assert(idr__country_valid("GB"));
    cr_assert(idr__country_valid("KP"));
    cr_assert(idr__country_valid("XK")); /* Kosovo, user-assigned but in use */
    cr_assert(idr__country_valid("AD"));
    cr_assert(idr__country_valid("ZW"));
    cr_assert_not(idr__country_valid("us"));
    cr_assert_not(idr__country_valid("Us"));
    cr_assert_not(idr__country_valid("UK")); /* reserved, not assigned */
    cr_assert_not(idr__country_valid("EU"));
    cr_assert_not(idr__country_valid("ZZ"));
    cr_assert_not(idr__country_valid("USA"));
    cr_assert_not(idr__country_valid("U"));
    cr_assert_not(idr__country_valid(""));
    cr_assert_not(idr__country_valid(NULL));
}

Test(values, country_names) {
    cr_assert_str_eq(idr__country_name("US"), "United States");
    cr_assert_str_eq(idr__country_name("KP"), "North Korea");
    cr_assert_str_eq(idr__country_name("XK"), "Kosovo");
    cr_assert_str_eq(idr__country_name("ZZ"), "ZZ"); /* unknown: the code itself */
}

/* Every code of the tz database's ISO 3166 table is assigned, and the table has the
 * same number of codes as ours (ours adds XK). */
Test(values, country_table_matches_tzdata) {
    FILE *f = fopen("/usr/share/zoneinfo/iso3166.tab", "r");
    if (!f) {
        cr_skip_test("no /usr/share/zoneinfo/iso3166.tab on this system");
    }
    char line[256];
    int n = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || strlen(line) < 3) {
            continue;
        }
        char cc[3] = {line[0], line[1], 0};
        cr_assert(idr__country_valid(cc), "tzdata code %s not accepted", cc);
        cr_assert_str_neq(idr__country_name(cc), cc, "no name for %s", cc);
        n++;
    }
    fclose(f);
    cr_assert_eq(n, 249);
    /* and nothing else: count every accepted two-letter code */
    int ours = 0;
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            char cc[3] = {a, b, 0};
            ours += idr__country_valid(cc);
        }
    }
    cr_assert_eq(ours, 250);
}

/* ---- IP addresses and ranges ---------------------------------------------------- */

Test(values, ip_v4_v6_mapped) {
    idr__ip ip;
    cr_assert(idr__parse_ip("203.0.113.7", &ip));
    cr_assert_eq(ip.family, 4);
    cr_assert_eq(ip.addr[0], 203);
    cr_assert_eq(ip.addr[3], 7);
    cr_assert(idr__parse_ip("2001:db8::1", &ip));
    cr_assert_eq(ip.family, 6);
    cr_assert_eq(ip.addr[0], 0x20);
    cr_assert_eq(ip.addr[15], 1);
    cr_assert(idr__parse_ip("::ffff:198.51.100.9", &ip));
    cr_assert_eq(ip.family, 4, "IPv4-mapped addresses are the IPv4 host");
    cr_assert_eq(ip.addr[0], 198);
    cr_assert_eq(ip.addr[3], 9);
    cr_assert(idr__parse_ip("::1", &ip));
    cr_assert_eq(ip.family, 6);
}

Test(values, ip_rejects) {
    const char *bad[] = {
        "",          "1.2.3",        "1.2.3.4.5",    "256.1.1.1",    " 1.2.3.4",
        "1.2.3.4 ",  "fe80::1%eth0", "fe80::1%1",    "2001:db8::g",  "1.2.3.4/32",
        "localhost", "01.2.3.4",     "::ffff:1.2.3", "2001:db8:::1", "[2001:db8::1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        idr__ip ip;
        cr_assert_not(idr__parse_ip(bad[i], &ip), "accepted \"%s\"", bad[i]);
    }
    idr__ip ip;
    cr_assert_not(idr__parse_ip(NULL, &ip));
}

Test(values, cidr_parse_and_contains) {
    idr__cidr c;
    idr__ip ip;
    cr_assert(idr__parse_cidr("10.0.0.0/8", &c));
    cr_assert_eq(c.prefix, 8);
    cr_assert(idr__parse_ip("10.200.3.4", &ip));
    cr_assert(idr__cidr_contains(&c, &ip));
    cr_assert(idr__parse_ip("11.0.0.1", &ip));
    cr_assert_not(idr__cidr_contains(&c, &ip));

    cr_assert(idr__parse_cidr("192.0.2.128/25", &c));
    cr_assert(idr__parse_ip("192.0.2.200", &ip));
    cr_assert(idr__cidr_contains(&c, &ip));
    cr_assert(idr__parse_ip("192.0.2.127", &ip));
    cr_assert_not(idr__cidr_contains(&c, &ip));

    cr_assert(idr__parse_cidr("2001:db8:abcd::/48", &c));
    cr_assert(idr__parse_ip("2001:db8:abcd:12::5", &ip));
    cr_assert(idr__cidr_contains(&c, &ip));
    cr_assert(idr__parse_ip("2001:db8:abce::5", &ip));
    cr_assert_not(idr__cidr_contains(&c, &ip));
    cr_assert(idr__parse_ip("10.0.0.1", &ip));
    cr_assert_not(idr__cidr_contains(&c, &ip), "family mismatch never matches");

    /* host bits cleared, bare address is a host range, /0 matches all of a family */
    cr_assert(idr__parse_cidr("10.1.2.3/8", &c));
    cr_assert_eq(c.net.addr[1], 0);
    cr_assert(idr__parse_cidr("198.51.100.9", &c));
    cr_assert_eq(c.prefix, 32);
    cr_assert(idr__parse_cidr("0.0.0.0/0", &c));
    cr_assert(idr__parse_ip("8.8.8.8", &ip));
    cr_assert(idr__cidr_contains(&c, &ip));

    /* IPv4-mapped range becomes the IPv4 range */
    cr_assert(idr__parse_cidr("::ffff:10.0.0.0/104", &c));
    cr_assert_eq(c.net.family, 4);
    cr_assert_eq(c.prefix, 8);
}

Test(values, cidr_rejects) {
    const char *bad[] = {"",
                         "10.0.0.0/33",
                         "10.0.0.0/",
                         "10.0.0.0/-1",
                         "10.0.0.0/8x",
                         "10.0.0.0/08",
                         "2001:db8::/129",
                         "/8",
                         "10.0.0/8",
                         "10.0.0.0 /8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        idr__cidr c;
        cr_assert_not(idr__parse_cidr(bad[i], &c), "accepted \"%s\"", bad[i]);
    }
}

/* ---- distance and names --------------------------------------------------------- */

Test(values, distance) {
    /* London (51.5074, -0.1278) to Paris (48.8566, 2.3522): 343.5 km on the sphere */
    double d = idr__distance_km(51.5074, -0.1278, 48.8566, 2.3522);
    cr_assert(d > 342.5 && d < 344.5, "got %f", d);
    cr_assert_float_eq(idr__distance_km(10, 20, 10, 20), 0.0, 1e-9);
    /* a quarter of the meridian: pi/2 * R */
    d = idr__distance_km(0, 0, 90, 0);
    cr_assert_float_eq(d, 6371.0088 * 3.14159265358979323846 / 2, 1e-6);
    /* antipodes */
    d = idr__distance_km(0, 0, 0, 180);
    cr_assert_float_eq(d, 6371.0088 * 3.14159265358979323846, 1e-6);
    cr_assert(isnan(idr__distance_km(NAN, 0, 0, 0)));
}

Test(values, norm_simple) {
    idr__arena *a = idr__arena_new(NULL, 1024);
    cr_assert_not_null(a);
    cr_assert_str_eq(idr__norm_simple(a, "  Dana   REYES "), "dana reyes");
    cr_assert_str_eq(idr__norm_simple(a, "O'Brien-Smith, J."), "o brien smith j");
    cr_assert_str_eq(idr__norm_simple(a, "742 Magnolia Row NE"), "742 magnolia row ne");
    cr_assert_str_eq(idr__norm_simple(a, "José  Ñúñez"),
                     "jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1"
                     "ez");
    cr_assert_str_eq(idr__norm_simple(a, "..."), "");
    cr_assert_null(idr__norm_simple(a, NULL));
    idr__arena_free(a);
}
