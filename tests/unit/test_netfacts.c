/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_netfacts.c - the network facts enrichment computes once per record for the
 * network indicators (lib/enrich/geo: localtime.c, netlists.c): each session's local
 * time in the claimed zone across daylight-saving changes, the claimed zone's canonical
 * id or why it cannot be used, the VPN-operator matches, and what the loaded data can
 * answer. Engines come from the public API; the enrichment is run directly.
 */
#define _POSIX_C_SOURCE 200809L
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../env_config.h"
#include "../test_engine.h"
#include "internal.h"

#define FIX IDR_TEST_SOURCE_DIR "/tests/fixtures"

static idr_engine *engine_for(const char *data_dir, const char *lists_dir) {
    return test_engine_with(data_dir, lists_dir, NULL, NULL);
}

/* One record enriched by `eng`; everything lives in *arena (free it after). */
typedef struct enriched {
    idr_candidate *cand;
    idr__arena *arena;
    idr__enrichment en;
} enriched;

/* `zone`, when not NULL, replaces identity.timezone after parsing: the parser refuses
 * zones ICU does not know, but enrichment must still explain them to a caller that
 * builds candidates otherwise. */
static void
enrich_zone(const idr_engine *eng, const char *json, const char *zone, enriched *out) {
    idr_error err;
    memset(&err, 0, sizeof err);
    memset(out, 0, sizeof *out);
    cr_assert_eq(idr_candidate_from_json(&out->cand, eng, json, strlen(json), &err),
                 IDR_OK, "%s (%s)", err.message, err.field);
    if (zone) {
        out->cand->identity.timezone = zone;
    }
    out->arena = idr__arena_new(NULL, 4096);
    cr_assert_not_null(out->arena);
    cr_assert_eq(idr__enrich(&eng->mods, out->cand, out->arena, &out->en), IDR_OK);
}

static void enrich(const idr_engine *eng, const char *json, enriched *out) {
    enrich_zone(eng, json, NULL, out);
}

static void release(enriched *e) {
    idr__arena_free(e->arena);
    idr_candidate_free(e->cand);
}

/* 2025-03-09 02:00 PST -> 03:00 PDT and 2025-11-02 02:00 PDT -> 01:00 PST, a Sunday
 * each time: the same UTC hour gives a different local hour across each change. */
Test(netfacts, local_time_across_daylight_saving_in_los_angeles) {
    idr_engine *eng = engine_for(FIX "/maxmind", NULL);
    enriched e;
    enrich(eng,
           "{\"candidate_id\":\"t\",\"identity\":{\"timezone\":\"America/Los_Angeles\"},"
           "\"network\":{\"sessions\":["
           "{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-09T09:30:00Z\"},"
           "{\"ip\":\"81.2.69.142\",\"at\":\"2025-03-09T10:30:00Z\"},"
           "{\"ip\":\"81.2.69.142\",\"at\":\"2025-11-02T08:30:00Z\"},"
           "{\"ip\":\"81.2.69.142\",\"at\":\"2025-11-02T09:45:00Z\"},"
           "{\"ip\":\"81.2.69.142\",\"at\":\"2025-11-05T20:15:00Z\"},"
           "{\"ip\":\"81.2.69.142\"}]}}",
           &e);
    static const struct {
        int hour, minute, weekday, offset;
        bool dst;
    } want[] = {
        {1, 30, 0, -480, false}, /* 01:30 PST, just before the spring change */
        {3, 30, 0, -420, true},  /* 03:30 PDT: 02:xx never happened */
        {1, 30, 0, -420, true},  /* 01:30 PDT, the first 01:30 of the autumn change */
        {1, 45, 0, -480, false}, /* 01:45 PST, the second time round */
        {12, 15, 3, -480, false} /* Wednesday noon */
    };
    cr_assert_str_eq(e.en.claimed_zone, "America/Los_Angeles");
    cr_assert_null(e.en.claimed_zone_unusable);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const idr__local_time *lt = &e.en.net[i].local;
        cr_assert(lt->known, "session %zu", i);
        cr_expect_eq(lt->hour, want[i].hour, "session %zu hour %d", i, lt->hour);
        cr_expect_eq(lt->minute, want[i].minute, "session %zu", i);
        cr_expect_eq(lt->weekday, want[i].weekday, "session %zu", i);
        cr_expect_eq(lt->utc_offset_min, want[i].offset, "session %zu offset %d", i,
                     lt->utc_offset_min);
        cr_expect_eq(lt->dst, want[i].dst, "session %zu", i);
    }
    cr_assert_not(e.en.net[5].local.known, "a session without a time has no local time");
    release(&e);
    idr_engine_free(eng);
}

Test(netfacts, claimed_zone_alias_is_canonical_and_unknown_zone_has_a_reason) {
    idr_engine *eng = engine_for(FIX "/maxmind", NULL);
    enriched e;
    enrich(eng,
           "{\"candidate_id\":\"t\",\"identity\":{\"timezone\":\"US/Pacific\"},"
           "\"network\":{\"sessions\":[{\"ip\":\"81.2.69.142\",\"at\":"
           "\"2025-01-06T08:00:00Z\"}]}}",
           &e);
    cr_assert_str_eq(e.en.claimed_zone, "America/Los_Angeles");
    cr_assert_eq(e.en.net[0].local.hour, 0);
    release(&e);
    enrich_zone(eng,
                "{\"candidate_id\":\"t\",\"network\":{\"sessions\":[{\"ip\":"
                "\"81.2.69.142\",\"at\":\"2025-01-06T08:00:00Z\"}]}}",
                "Mars/Olympus_Mons", &e);
    cr_assert_null(e.en.claimed_zone);
    cr_assert_not_null(strstr(e.en.claimed_zone_unusable, "not a known IANA zone"), "%s",
                       e.en.claimed_zone_unusable);
    cr_assert_not(e.en.net[0].local.known);
    release(&e);
    enrich(eng, "{\"candidate_id\":\"t\"}", &e);
    cr_assert_null(e.en.claimed_zone);
    cr_assert_null(e.en.claimed_zone_unusable, "no zone claimed: nothing to explain");
    release(&e);
    idr_engine_free(eng);
}

Test(netfacts, operator_from_vpn_client_with_its_source_line) {
    idr_engine *eng = engine_for(FIX "/maxmind", NULL);
    enriched e;
    enrich(eng,
           "{\"candidate_id\":\"t\",\"network\":{\"sessions\":["
           "{\"ip\":\"2001:218::1\",\"vpn_client\":\"Astrill VPN 3.9\"},"
           "{\"ip\":\"2001:218::1\",\"vpn_client\":\"OpenVPN\"}]}}",
           &e);
    const idr__operator_match *m = &e.en.net[0].client;
    cr_assert_str_eq(m->name, "astrill");
    cr_assert_str_eq(m->text, "astrill vpn 3.9", "vpn_client is lower-cased");
    cr_assert_not_null(m->source);
    cr_assert_not_null(strstr(m->source, "[LVB26]"), "%s", m->source);
    cr_assert_null(e.en.net[1].client.name);
    cr_assert_null(e.en.net[0].provider.name);
    cr_assert_null(e.en.net[0].network.name);
    release(&e);
    idr_engine_free(eng);
}

Test(netfacts, operator_from_the_list_in_provider_name) {
    /* A lists directory whose operator list names "foo", the provider_name MaxMind's
     * Anonymous Plus test database gives 1.2.0.1. */
    char dir[] = "/tmp/idrisk-netfacts-XXXXXX", path[128];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/astrill.tsv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("# test list\nFoo\ta test source line\n", f);
    fclose(f);
    idr_engine *eng = engine_for(FIX "/maxmind", dir);
    unlink(path);
    rmdir(dir);
    enriched e;
    enrich(eng,
           "{\"candidate_id\":\"t\",\"network\":{\"sessions\":[{\"ip\":\"1.2.0.1\"}]}}",
           &e);
    const idr__operator_match *m = &e.en.net[0].provider;
    cr_assert_str_eq(m->name, "foo");
    cr_assert_str_eq(m->source, "a test source line");
    cr_assert_str_eq(m->text, "foo");
    cr_assert_null(e.en.net[0].client.name);
    release(&e);
    idr_engine_free(eng);
}

Test(netfacts, caps_say_what_the_loaded_data_can_answer) {
    idr_engine *eng = engine_for(FIX "/maxmind", NULL);
    enriched e;
    enrich(eng, "{\"candidate_id\":\"t\"}", &e);
    cr_assert(e.en.geo_loaded);
    cr_assert_null(e.en.geo_unavailable);
    unsigned want = IDR__GEO_CAP_LOCATION | IDR__GEO_CAP_ASN | IDR__GEO_CAP_ANON |
                    IDR__GEO_CAP_ASN_CLASSES | IDR__GEO_CAP_OPERATORS;
    cr_assert_eq(e.en.geo_caps, want, "caps %#x", e.en.geo_caps);
    cr_assert_eq(e.en.geo_caps, idr__geo_caps(eng->mods.geo), "a copy of the module's");
    release(&e);
    idr_engine_free(eng);

    eng = engine_for(FIX "/no-such-dir", NULL);
    enrich(eng,
           "{\"candidate_id\":\"t\",\"network\":{\"sessions\":[{\"ip\":\"1.2.0.1\","
           "\"vpn_client\":\"astrill\"}]}}",
           &e);
    cr_assert_not(e.en.geo_loaded);
    cr_assert_eq(e.en.geo_caps, 0u);
    cr_assert_not_null(strstr(e.en.geo_unavailable, "cannot be read"), "%s",
                       e.en.geo_unavailable);
    cr_assert_str_eq(e.en.net[0].client.name, "astrill", "needs no database");
    cr_assert_null(e.en.net[0].client.source, "no list loaded");
    release(&e);
    idr_engine_free(eng);
}
