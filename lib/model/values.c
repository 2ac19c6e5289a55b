/* SPDX-License-Identifier: Apache-2.0 */
/*
 * values.c - the small value types of the candidate contract: calendar dates, RFC 3339
 * instants, IP addresses and CIDR ranges, great-circle distance, plain name
 * normalisation.
 *
 * Every parser is strict and total: it accepts exactly the documented syntax, never
 * reads past the terminating NUL and reports failure instead of guessing. Callers turn
 * a failure into an error naming the JSON path, so a typo is never silently ignored.
 *
 * Dates are days since 1970-01-01 and instants seconds since 1970-01-01T00:00:00Z,
 * both in the proleptic Gregorian calendar, computed with the usual era-based
 * civil-calendar arithmetic (400-year eras of 146097 days), which is exact for every
 * year this code accepts (0000..9999) and needs no time-zone database or libc state.
 */
#include "model/model.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* ----------------------------------------------------------------------------------
 * Calendar
 * -------------------------------------------------------------------------------- */

int64_t idr__days_from_civil(int64_t y, unsigned m, unsigned d) {
    /* Shift the year to start in March so the leap day is the last day of the year. */
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;                         /* [0, 399] */
    const int64_t mp = (int64_t)(m > 2 ? m - 3 : m + 9);       /* March = 0 */
    const int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;   /* [0, 365] */
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* [0, 146096] */
    return era * 146097 + doe - 719468; /* 719468: days from 0000-03-01 to 1970-01-01 */
}

void idr__civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d) {
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097; /* [0, 146096] */
    const int64_t yoe =
        (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;   /* [0,399] */
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100); /* [0, 365] */
    const int64_t mp = (5 * doy + 2) / 153;                      /* [0, 11] */
    const unsigned dd = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    const unsigned mm = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

static bool is_leap(int64_t y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m) {
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29u : len[m - 1];
}

/* Exactly `n` ASCII digits at s (stops at a NUL, which is not a digit). */
static bool digits(const char *s, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD" at s (no terminator check); days since the epoch. */
static bool parse_ymd(const char *s, int64_t *days) {
    int y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d)) {
        return false;
    }
    if (m < 1 || m > 12 || d < 1 || (unsigned)d > month_days(y, (unsigned)m)) {
        return false;
    }
    *days = idr__days_from_civil(y, (unsigned)m, (unsigned)d);
    return true;
}

bool idr__parse_date(const char *s, int32_t *days_out) {
    int64_t days;
    if (!s || !parse_ymd(s, &days) || s[10] != '\0') {
        return false;
    }
    *days_out = (int32_t)days; /* years 0000..9999 stay within +-3.7 million days */
    return true;
}

/*
 * RFC 3339 section 5.6 date-time: full-date "T" full-time, where full-time is
 * hh:mm:ss, an optional fraction (any number of digits, truncated: the contract works
 * in whole seconds) and "Z" or a numeric offset +hh:mm / -hh:mm. As the RFC allows,
 * "t" and "z" may be lower case. The space separator of the RFC's note is not taken.
 *
 * A leap second (ss = 60) is accepted only where one can occur, in the last minute of
 * an hour (mm = 59 in local time, which covers every UTC offset in whole hours and the
 * usual half and quarter hours since the offsets' minutes shift it), and is clamped to
 * ss = 59: POSIX time has no leap seconds and a one-second error cannot matter to
 * indicators measured in days.
 */
bool idr__parse_instant(const char *s, int64_t *t_out) {
    int64_t days;
    int hh, mi, ss;
    if (!s || !parse_ymd(s, &days) || (s[10] != 'T' && s[10] != 't') ||
        !digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mi) ||
        s[16] != ':' || !digits(s + 17, 2, &ss)) {
        return false;
    }
    if (hh > 23 || mi > 59 || ss > 60 || (ss == 60 && mi != 59)) {
        return false;
    }
    if (ss == 60) {
        ss = 59;
    }
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9') {
            return false;
        }
        while (*p >= '0' && *p <= '9') {
            p++;
        }
    }
    int offset = 0; /* seconds east of UTC */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
            om > 59) {
            return false;
        }
        offset = (oh * 60 + om) * 60;
        if (*p == '-') {
            offset = -offset;
        }
        p += 6;
    } else {
        return false;
    }
    if (*p != '\0') {
        return false;
    }
    *t_out = days * 86400 + (int64_t)hh * 3600 + (int64_t)mi * 60 + ss - offset;
    return true;
}

/* Write `v` (0..10^n - 1) as n zero-padded digits. */
static void put_digits(char *out, unsigned v, int n) {
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

static void format_ymd(int64_t days, char *out) {
    int y;
    unsigned m, d;
    idr__civil_from_days(days, &y, &m, &d);
    /* Years outside 0000..9999 cannot be written in this fixed form; clamp them so
     * the output stays 10 characters (no accepted input produces them). */
    if (y < 0) {
        y = 0;
    } else if (y > 9999) {
        y = 9999;
    }
    put_digits(out, (unsigned)y, 4);
    out[4] = '-';
    put_digits(out + 5, m, 2);
    out[7] = '-';
    put_digits(out + 8, d, 2);
}

void idr__format_date(int32_t days, char out[11]) {
    format_ymd(days, out);
    out[10] = '\0';
}

void idr__format_instant(int64_t t, char out[21]) {
    /* Floor division so instants before 1970 land on the right day. */
    int64_t days = t / 86400;
    int64_t sec = t % 86400;
    if (sec < 0) {
        sec += 86400;
        days -= 1;
    }
    format_ymd(days, out);
    out[10] = 'T';
    put_digits(out + 11, (unsigned)(sec / 3600), 2);
    out[13] = ':';
    put_digits(out + 14, (unsigned)(sec / 60 % 60), 2);
    out[16] = ':';
    put_digits(out + 17, (unsigned)(sec % 60), 2);
    out[19] = 'Z';
    out[20] = '\0';
}

/* ----------------------------------------------------------------------------------
 * IP addresses
 * -------------------------------------------------------------------------------- */

static const uint8_t v4_mapped_prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

/*
 * inet_pton does the syntax: dotted quad for IPv4 (no leading zeros, no shorthand
 * forms such as "10.1"), RFC 4291 text for IPv6 including the embedded-IPv4 tail.
 * Anything else is refused before it gets there: zone ids ("fe80::1%eth0") have no
 * meaning off the host that wrote them, and surrounding spaces mean the caller's
 * export is broken, which the caller should hear about.
 */
static bool parse_ip_raw(const char *s, size_t n, idr__ip *out) {
    char buf[64];
    if (n == 0 || n >= sizeof buf) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    memset(out, 0, sizeof *out);
    if (memchr(buf, ':', n) == NULL) {
        if (inet_pton(AF_INET, buf, out->addr) != 1) {
            return false;
        }
        out->family = 4;
        return true;
    }
    if (memchr(buf, '%', n) != NULL || inet_pton(AF_INET6, buf, out->addr) != 1) {
        return false;
    }
    out->family = 6;
    return true;
}

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the IPv4 host a.b.c.d, which is
 * what a dual-stack server logs for IPv4 clients; geolocation and allow-lists treat it
 * as that IPv4 address. */
static void unmap(idr__ip *ip) {
    if (ip->family == 6 && memcmp(ip->addr, v4_mapped_prefix, 12) == 0) {
        uint8_t v4[4];
        memcpy(v4, ip->addr + 12, 4);
        memset(ip->addr, 0, sizeof ip->addr);
        memcpy(ip->addr, v4, 4);
        ip->family = 4;
    }
}

bool idr__parse_ip(const char *s, idr__ip *out) {
    if (!s || !parse_ip_raw(s, strlen(s), out)) {
        return false;
    }
    unmap(out);
    return true;
}

/*
 * "address/prefix" or a bare address (a single host: /32 or /128). Host bits below
 * the prefix are cleared rather than refused ("10.1.2.3/8" is 10.0.0.0/8) because
 * VPN vendors publish ranges both ways. An IPv4-mapped range with a prefix of at
 * least 96 becomes the IPv4 range, matching what idr__parse_ip does to addresses.
 */
bool idr__parse_cidr(const char *s, idr__cidr *out) {
    if (!s) {
        return false;
    }
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    idr__ip ip;
    if (!parse_ip_raw(s, alen, &ip)) {
        return false;
    }
    unsigned max = ip.family == 4 ? 32u : 128u;
    unsigned prefix = max;
    if (slash) {
        const char *p = slash + 1;
        if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] != '\0')) {
            return false;
        }
        prefix = 0;
        while (*p >= '0' && *p <= '9') {
            prefix = prefix * 10 + (unsigned)(*p - '0');
            if (prefix > max) {
                return false;
            }
            p++;
        }
        if (*p != '\0') {
            return false;
        }
    }
    if (ip.family == 6 && prefix >= 96 && memcmp(ip.addr, v4_mapped_prefix, 12) == 0) {
        unmap(&ip);
        prefix -= 96;
        max = 32;
    }
    for (unsigned bit = prefix; bit < max; bit++) {
        ip.addr[bit / 8] &= (uint8_t) ~(0x80u >> (bit % 8));
    }
    out->net = ip;
    out->prefix = (uint8_t)prefix;
    return true;
}

bool idr__cidr_contains(const idr__cidr *c, const idr__ip *ip) {
    if (!c || !ip || c->net.family == 0 || c->net.family != ip->family) {
        return false;
    }
    unsigned full = c->prefix / 8u, rest = c->prefix % 8u;
    if (memcmp(c->net.addr, ip->addr, full) != 0) {
        return false;
    }
    if (rest == 0) {
        return true;
    }
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (c->net.addr[full] & mask) == (ip->addr[full] & mask);
}

/* ----------------------------------------------------------------------------------
 * Distance and names
 * -------------------------------------------------------------------------------- */

double idr__distance_km(double lat1, double lon1, double lat2, double lon2) {
    /* 6371.0088 km: the IUGG mean Earth radius (R1 = (2a + b) / 3). The haversine
     * form is well conditioned for the short distances that matter here; its
     * ellipsoid error (up to ~0.5%) is far below the accuracy of IP geolocation. */
    const double r = 6371.0088;
    const double rad = 3.14159265358979323846 / 180.0;
    if (isnan(lat1) || isnan(lon1) || isnan(lat2) || isnan(lon2)) {
        return NAN;
    }
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    if (a > 1.0) {
        a = 1.0; /* rounding at antipodes */
    }
    return 2.0 * r * asin(sqrt(a));
}

char *idr__norm_simple(idr__arena *a, const char *s) {
    if (!s) {
        return NULL;
    }
    size_t n = strlen(s);
    char *out = idr__arena_alloc(a, n + 1);
    if (!out) {
        return NULL;
    }
    size_t o = 0;
    bool gap = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80 &&
            !((ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'))) {
            gap = o > 0; /* leading separators vanish; inner runs become one space */
            continue;
        }
        if (gap) {
            out[o++] = ' ';
            gap = false;
        }
        out[o++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
    }
    out[o] = '\0';
    return out;
}
