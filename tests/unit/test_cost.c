/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cost.c - the cost of scoring grows linearly with a hostile record
 * (docs/input-limits.md, issue 9 item 1). Measured in allocations and in peak live
 * bytes through the allocator hook (idr_config_set_allocator), never in seconds: the
 * same record shape at n and 4n items must cost at most about 4 times as much, plus a
 * constant. A quadratic step (re-printing a list on every append, comparing every name
 * with every other) would cost 16 times as much and fail.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "../sbuf.h"
#include "internal.h"

/* A counting allocator. Blocks carry their size in a header so that `free` and
 * `realloc` keep the live-byte count exact. */
typedef struct counter {
    size_t allocs, live, peak;
} counter;

typedef union hdr {
    size_t n;
    max_align_t align;
} hdr;

static void note(counter *c, size_t add, size_t sub) {
    c->live = c->live + add - sub;
    if (c->live > c->peak) {
        c->peak = c->live;
    }
}

static void *c_malloc(void *ctx, size_t n) {
    counter *c = ctx;
    hdr *h = malloc(sizeof *h + n);
    if (!h) {
        return NULL;
    }
    h->n = n;
    c->allocs++;
    note(c, n, 0);
    return h + 1;
}

static void *c_realloc(void *ctx, void *p, size_t n) {
    if (!p) {
        return c_malloc(ctx, n);
    }
    counter *c = ctx;
    hdr *old = (hdr *)p - 1;
    size_t was = old->n;
    hdr *h = realloc(old, sizeof *h + n);
    if (!h) {
        return NULL;
    }
    h->n = n;
    c->allocs++;
    note(c, n, was);
    return h + 1;
}

static void c_free(void *ctx, void *p) {
    counter *c = ctx;
    hdr *h = (hdr *)p - 1;
    note(c, 0, h->n);
    free(h);
}

static counter cnt;
static idr_engine *eng;

static void setup(void) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    cr_assert_eq(idr_config_set_int(cfg, IDR_CFG_MAX_INPUT_BYTES, 8 << 20, &err), IDR_OK);
    idr_allocator a = {c_malloc, c_realloc, c_free, &cnt};
    cr_assert_eq(idr_config_set_allocator(cfg, &a, &err), IDR_OK);
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_OK, "%s", err.message);
    idr_config_free(cfg);
}

static void teardown(void) {
    idr_engine_free(eng);
}

TestSuite(cost, .init = setup, .fini = teardown);

/* Allocations and peak live bytes of parse + score + JSON of one record. */
static counter cost_of(const sbuf *b) {
    memset(&cnt, 0, sizeof cnt); /* counts this record only, from zero */
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_score_json(eng, b->p, b->len, &res, &err), IDR_OK, "%s (%s)",
                 err.message, err.field);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    idr_free(text);
    idr_result_free(res);
    counter c = cnt;
    cr_assert_eq(cnt.live, 0, "scoring leaves nothing live (%zu bytes)", cnt.live);
    return c;
}

/* Shipments under other names, each with a long recipient name, to agencies: every
 * name is compared with the full name and the aliases, every address listed. */
static void shipments(sbuf *b, int n) {
    put(b,
        "{\"candidate_id\":\"cost-ships\",\"as_of\":\"2025-03-01T00:00:00Z\","
        "\"identity\":{\"full_name\":\"Aaron Bartholomew Smith\",\"aliases\":["
        "\"A. B. Smith\",\"Ron Smith\"],"
        "\"residence\":{\"line1\":\"1 Oak St\",\"city\":\"Atlanta\",\"region\":\"GA\","
        "\"postal_code\":\"30308\",\"country\":\"US\"}},\"equipment\":{\"shipments\":[");
    for (int i = 0; i < n; i++) {
        put(b,
            "%s{\"address\":{\"line1\":\"%d Main St\",\"city\":\"Dover\","
            "\"region\":\"DE\",\"postal_code\":\"19901\",\"country\":\"US\","
            "\"cmra\":true},\"requested_at\":\"2025-01-29T23:40:00Z\","
            "\"ship_date\":\"2025-01-31\",\"recipient_name\":\"Zoë Person %d "
            "Bartholomew Müller-Lüdenscheidt\"}",
            i ? "," : "", i, i);
    }
    put(b, "]}}");
}

/* Logins from ever new addresses through a VPN client. */
static void sessions(sbuf *b, int n) {
    put(b, "{\"candidate_id\":\"cost-sessions\",\"as_of\":\"2026-01-01T00:00:00Z\","
           "\"identity\":{\"full_name\":\"Pat Q\",\"timezone\":\"America/Los_Angeles\","
           "\"residence\":{\"city\":\"Austin\",\"region\":\"TX\",\"country\":\"US\"}},"
           "\"network\":{\"sessions\":[");
    for (int i = 0; i < n; i++) {
        put(b,
            "%s{\"ip\":\"%d.%d.%d.7\",\"at\":\"2025-%02d-%02dT%02d:%02d:00Z\","
            "\"event\":\"login\",\"vpn_client\":\"astrill\",\"device_id\":\"d%d\"}",
            i ? "," : "", 5 + i % 200, (i / 200) % 250, i % 250 + 1, 1 + (i / 560) % 12,
            1 + (i / 20) % 28, i % 24, i % 60, i % 7);
    }
    put(b, "]}}");
}

/* Employers, each with references (phones and emails are enriched one by one). */
static void employers(sbuf *b, int n) {
    put(b, "{\"candidate_id\":\"cost-employers\",\"as_of\":\"2025-03-01T00:00:00Z\","
           "\"identity\":{\"full_name\":\"Pat Q\"},\"work_history\":{\"employers\":[");
    for (int i = 0; i < n; i++) {
        put(b,
            "%s{\"name\":\"Firm %d\",\"domain\":\"firm%d.example\",\"start\":"
            "\"2019-01-01\",\"end\":\"2020-01-01\",\"verified\":false,\"references\":"
            "[{\"name\":\"Ref %d\",\"email\":\"ref%d@firm%d.example\",\"phone\":"
            "\"+1 404 555 %04d\"}]}",
            i ? "," : "", i, i, i, i, i, i % 10000);
    }
    put(b, "]}}");
}

/* cost(4n) <= 4 * cost(n) * slack + a constant: linear, with room for a log factor
 * (sorting) and the fixed per-record work (the constant). */
static void expect_linear(const char *what, void (*make)(sbuf *, int), int n) {
    sbuf small = {0}, big = {0};
    make(&small, n);
    make(&big, 4 * n);
    counter a = cost_of(&small), z = cost_of(&big);
    double ra = (double)z.allocs / (double)a.allocs;
    double rp = (double)z.peak / (double)a.peak;
    double rin = (double)big.len / (double)small.len;
    cr_log_info("%s: input x%.2f, allocations %zu -> %zu (x%.2f), peak %zu -> %zu bytes "
                "(x%.2f)",
                what, rin, a.allocs, z.allocs, ra, a.peak, z.peak, rp);
    cr_expect_leq(ra, 5.0, "%s: allocations grew x%.2f for x%.2f input", what, ra, rin);
    cr_expect_leq(rp, 5.0, "%s: peak memory grew x%.2f for x%.2f input", what, rp, rin);
    /* memory a small multiple of the input */
    cr_expect_leq(z.peak, 64 * big.len + (4u << 20), "%s: peak %zu for %zu input bytes",
                  what, z.peak, big.len);
    free(small.p);
    free(big.p);
}

Test(cost, shipments_linear) {
    expect_linear("shipments", shipments, 250);
}

Test(cost, sessions_linear) {
    expect_linear("sessions", sessions, 2500);
}

Test(cost, references_linear) {
    expect_linear("employers", employers, 200);
}
