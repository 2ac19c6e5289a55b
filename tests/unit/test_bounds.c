/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_bounds.c - hostile records inside the input limits give bounded results
 * (docs/input-limits.md "Output bounds"): every evidence list shows at most
 * IDR__LIST_MAX_ITEMS items and says how many more there were, every evidence string is
 * at most IDR__EVIDENCE_MAX bytes (plus the U+2026 that marks a cut), and the result's
 * size does not grow with the number of repeated items. Bounds are asserted on sizes and
 * counts, never on time.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "../sbuf.h"
#include "internal.h"

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
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_OK, "%s", err.message);
    idr_config_free(cfg);
}

static void teardown(void) {
    idr_engine_free(eng);
}

TestSuite(bounds, .init = setup, .fini = teardown);

/* A ~3 KB name: "Aaron Bartholomew Bartholomew ... Smith". */
static void long_name(char *out, size_t n) {
    size_t k = (size_t)snprintf(out, n, "Aaron");
    while (k + 20 < n && k < 3000) {
        k += (size_t)snprintf(out + k, n - k, " Bartholomew");
    }
    snprintf(out + k, n - k, " Smith");
}

static cJSON *score(const sbuf *b, size_t *json_len) {
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_score_json(eng, b->p, b->len, &res, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, json_len, &err), IDR_OK);
    idr_result_free(res);
    cJSON *j = cJSON_Parse(text);
    idr_free(text);
    cr_assert_not_null(j);
    return j;
}

/* Every evidence string is bounded; returns how many ended in "and K more". */
static int check_evidence(cJSON *res) {
    int capped = 0;
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(res, "reasons")) {
        cJSON *v;
        cJSON_ArrayForEach(v, cJSON_GetObjectItem(r, "evidence")) {
            if (!cJSON_IsString(v)) {
                continue;
            }
            cr_expect_leq(strlen(v->valuestring), (size_t)IDR__EVIDENCE_MAX + 3,
                          "%s.%s is %zu bytes", cJSON_GetObjectItem(r, "id")->valuestring,
                          v->string, strlen(v->valuestring));
            const char *more = strstr(v->valuestring, "and ");
            if (more && strstr(more, " more") && strlen(more) < 24) {
                capped++;
            }
        }
        cJSON *d = cJSON_GetObjectItem(r, "detail");
        cr_expect_leq(strlen(d->valuestring), (size_t)4 * (IDR__EVIDENCE_MAX + 3));
    }
    return capped;
}

/* The reproducer: a 3 KB full name and 1,000 shipments to commercial
 * mail-receiving agencies under other names. It used to yield a 6.2 MB result. */
Test(bounds, thousand_shipments_and_a_long_name) {
    static char name[3200];
    long_name(name, sizeof name);
    sbuf b = {0};
    put(&b,
        "{\"candidate_id\":\"hostile-ships\",\"as_of\":\"2025-03-01T00:00:00Z\","
        "\"engagement\":{\"start_date\":\"2025-02-03\"},\"identity\":{\"full_name\":\"%"
        "s\","
        "\"residence\":{\"line1\":\"1 Oak St\",\"city\":\"Atlanta\",\"region\":\"GA\","
        "\"postal_code\":\"30308\",\"country\":\"US\"}},\"equipment\":{\"shipments\":[",
        name);
    for (int i = 0; i < 1000; i++) {
        put(&b,
            "%s{\"address\":{\"line1\":\"%d Main "
            "St\",\"city\":\"Dover\",\"region\":\"DE\","
            "\"postal_code\":\"19901\",\"country\":\"US\",\"cmra\":true},"
            "\"requested_at\":\"2025-01-29T23:40:00Z\",\"ship_date\":\"2025-01-31\","
            "\"recipient_name\":\"Person %d %.200s\"}",
            i ? "," : "", i, i, name);
    }
    put(&b, "]}}");
    size_t len = 0;
    cJSON *res = score(&b, &len);
    cr_expect_lt(len, (size_t)64 * 1024, "result is %zu bytes", len);
    cr_expect_geq(check_evidence(res), 2, "the long lists say how many more there were");
    cJSON *cmra = NULL, *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(res, "reasons")) {
        if (strcmp(cJSON_GetObjectItem(r, "id")->valuestring, "adr_forwarder_cmra") ==
            0) {
            cmra = r;
        }
    }
    cr_assert_not_null(cmra);
    const char *addrs =
        cJSON_GetObjectItem(cJSON_GetObjectItem(cmra, "evidence"), "addresses")
            ->valuestring;
    cr_expect(strstr(addrs, "; and 980 more") != NULL, "%s", addrs);
    cJSON_Delete(res);
    free(b.p);
}

/* Repeated items in a unique list are counted once, shown or not. */
Test(bounds, unique_lists_count_each_item_once) {
    sbuf b = {0};
    put(&b, "{\"candidate_id\":\"hostile-tools\",\"as_of\":\"2025-03-01T00:00:00Z\","
            "\"post_hire\":{\"hired_at\":\"2025-01-02\",\"endpoint_findings\":[");
    for (int i = 0; i < 900; i++) {
        put(&b, "%s\"anydesk\"", i ? "," : "");
    }
    put(&b, "]}}");
    size_t len = 0;
    cJSON *res = score(&b, &len);
    cr_expect_lt(len, (size_t)32 * 1024, "result is %zu bytes", len);
    check_evidence(res);
    cJSON_Delete(res);
    free(b.p);
}

/* A 24-month login history: 20,000 sessions, every one from another address through a
 * VPN client. Accepted under the default limits (max_sessions), scored, and the result
 * keeps the first IDR__VIEW_MAX_SESSIONS sessions' enrichment and says how many more
 * there were. */
Test(bounds, twenty_thousand_sessions) {
    sbuf b = {0};
    put(&b, "{\"candidate_id\":\"hostile-20k\",\"as_of\":\"2026-01-01T00:00:00Z\","
            "\"identity\":{\"full_name\":\"Pat Q\",\"timezone\":\"America/Los_Angeles\","
            "\"residence\":{\"city\":\"Austin\",\"region\":\"TX\",\"country\":\"US\"}},"
            "\"network\":{\"sessions\":[");
    for (int i = 0; i < 20000; i++) {
        put(&b,
            "%s{\"ip\":\"%d.%d.%d.7\",\"at\":\"2025-%02d-%02dT%02d:%02d:00Z\","
            "\"event\":\"login\",\"vpn_client\":\"astrill\"}",
            i ? "," : "", 5 + i % 200, (i / 200) % 250, i % 250 + 1, 1 + (i / 560) % 12,
            1 + (i / 20) % 28, i % 24, i % 60);
    }
    put(&b, "]}}");
    /* the default limits take it: parse with the defaults, not the suite's engine */
    idr_candidate *c = NULL;
    idr_error err;
    cr_assert_eq(idr__candidate_parse(&c, NULL, b.p, b.len, &err), IDR_OK, "%s",
                 err.message);
    cr_assert_eq(c->n_sessions, 20000);
    idr_candidate_free(c);
    size_t len = 0;
    cJSON *res = score(&b, &len);
    cr_expect_lt(len, (size_t)160 * 1024, "result is %zu bytes", len);
    check_evidence(res);
    cJSON *enr = cJSON_GetObjectItem(res, "enrichment");
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(enr, "ips")),
                 IDR__VIEW_MAX_SESSIONS);
    cJSON *omitted = cJSON_GetObjectItem(enr, "ips_omitted");
    cr_assert(cJSON_IsNumber(omitted));
    cr_expect_eq(omitted->valueint, 20000 - IDR__VIEW_MAX_SESSIONS);
    cJSON_Delete(res);
    free(b.p);
}

/* The worst shape bench/worst_record.py found before the view was bounded: 1,000 phones,
 * 1,000 emails and 1,000 employers with 5 references each, every name long (a 4.2 MB
 * result from a 3.7 MB record). The enrichment keeps the first IDR__VIEW_MAX_PHONES
 * phones and references' phones and IDR__VIEW_MAX_EMAILS emails, says how many were
 * left out, cuts every echoed text to IDR__VIEW_TEXT_MAX bytes, and the indicators
 * still see every entry. */
Test(bounds, thousands_of_contacts_and_references) {
    static char name[3200];
    long_name(name, sizeof name);
    sbuf b = {0};
    put(&b, "{\"candidate_id\":\"hostile-contacts\",\"as_of\":\"2026-01-01T00:00:00Z\","
            "\"contacts\":{\"phones\":[");
    for (int i = 0; i < 1000; i++) {
        put(&b, "%s{\"number\":\"+1 %03d 555 %04d\",\"line_type\":\"non_fixed_voip\"}",
            i ? "," : "", 200 + i % 700, i);
    }
    put(&b, "],\"emails\":[");
    for (int i = 0; i < 1000; i++) {
        put(&b, "%s\"someone.%d.%.150s@mail%d.example\"", i ? "," : "", i,
            "first.middle.last.department.team.first.middle.last.department.team.first."
            "middle.last.department.team.first.middle.last.department.team.first.mid",
            i);
    }
    put(&b, "]},\"work_history\":{\"employers\":[");
    for (int i = 0; i < 1000; i++) {
        put(&b, "%s{\"name\":\"Employer %d %.500s\",\"verified\":false,\"references\":[",
            i ? "," : "", i, name);
        for (int j = 0; j < 5; j++) {
            put(&b, "%s{\"name\":\"Ref %d %.300s\",\"phone\":\"+1 206 555 %04d\"}",
                j ? "," : "", j, name, (i * 7 + j) % 10000);
        }
        put(&b, "]}");
    }
    put(&b, "]}}");
    size_t len = 0;
    cJSON *res = score(&b, &len);
    cr_expect_lt(len, (size_t)400 * 1024, "result is %zu bytes", len);
    check_evidence(res);
    cJSON *enr = cJSON_GetObjectItem(res, "enrichment");
    const struct {
        const char *list, *omitted;
        int kept, total;
    } want[] = {
        {"phones", "phones_omitted", IDR__VIEW_MAX_PHONES, 1000},
        {"reference_phones", "reference_phones_omitted", IDR__VIEW_MAX_PHONES, 5000},
        {"emails", "emails_omitted", IDR__VIEW_MAX_EMAILS, 1000}};
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        cJSON *arr = cJSON_GetObjectItem(enr, want[k].list);
        cr_expect_eq(cJSON_GetArraySize(arr), want[k].kept, "%s", want[k].list);
        cJSON *om = cJSON_GetObjectItem(enr, want[k].omitted);
        cr_assert(cJSON_IsNumber(om), "%s", want[k].omitted);
        cr_expect_eq(om->valueint, want[k].total - want[k].kept, "%s", want[k].omitted);
        cJSON *e;
        cJSON_ArrayForEach(e, arr) {
            cJSON *s;
            cJSON_ArrayForEach(s, e) {
                if (cJSON_IsString(s)) {
                    cr_expect_leq(strlen(s->valuestring), (size_t)IDR__VIEW_TEXT_MAX + 3,
                                  "%s.%s is %zu bytes", want[k].list, s->string,
                                  strlen(s->valuestring));
                }
            }
        }
    }
    /* the indicators still count every phone */
    bool voip = false;
    cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItem(res, "reasons")) {
        if (strcmp(cJSON_GetObjectItem(r, "id")->valuestring, "phn_voip_nonfixed") == 0) {
            cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "evidence"), "count");
            voip = cJSON_IsNumber(n) && n->valueint == 1000;
        }
    }
    cr_expect(voip, "phn_voip_nonfixed counts all 1,000 phones");
    cJSON_Delete(res);
    free(b.p);
}
