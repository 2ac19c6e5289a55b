/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_scoring.c - the scoring contract through the public API, with the default pack:
 * bounds, bands and actions, monotonicity, critical forcing escalate, combinations,
 * ordering, suppression, "not evaluated" on absence, and determinism.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idrisk/idrisk.h"

static idr_engine *eng;

static void setup(void) {
    idr_config *cfg = NULL;
    idr_error err;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    /* No databases: these tests are about the core, not enrichment. */
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, "/nonexistent", &err), IDR_OK);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_OK, "%s (%s)", err.message,
                 err.field);
    idr_config_free(cfg);
}

static void teardown(void) {
    idr_engine_free(eng);
}

TestSuite(scoring, .init = setup, .fini = teardown);

static idr_result *score(const char *json) {
    idr_result *res = NULL;
    idr_error err;
    int rc = idr_engine_score_json(eng, json, strlen(json), &res, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    return res;
}

static const idr_reason *find(const idr_result *res, const char *id) {
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        if (strcmp(idr_result_reason(res, i)->id, id) == 0) {
            return idr_result_reason(res, i);
        }
    }
    return NULL;
}

static char *json_of(const idr_result *res) {
    char *out = NULL;
    idr_error err;
    cr_assert_eq(idr_result_to_json(res, &out, NULL, &err), IDR_OK);
    return out;
}

#define AS_OF "\"as_of\":\"2026-03-01T12:00:00Z\""

/* An empty record scores 0, band low, but never reads as "none": coverage is low, so
 * the action is verify with the 0-point coverage reason (docs/scoring.md). */
Test(scoring, empty_record_is_low_verify_and_lists_not_evaluated) {
    idr_result *res = score("{\"candidate_id\":\"c0\"," AS_OF "}");
    cr_assert_eq(idr_result_score(res), 0);
    cr_assert_str_eq(idr_result_band(res), "low");
    cr_assert_str_eq(idr_result_action(res), "verify");
    cr_assert_eq(idr_result_reason_count(res), 1);
    cr_assert_str_eq(idr_result_reason(res, 0)->id, "cov_insufficient_data");
    cr_assert_eq(idr_result_reason(res, 0)->points, 0);
    char *j = json_of(res);
    cr_assert(strstr(j, "\"not_evaluated\":[{\"id\":") != NULL, "%s", j);
    cr_assert(strstr(j, "\"schema\":\"idrisk.result/1\"") != NULL);
    cr_assert(strstr(j, "\"ruleset\":{\"id\":\"idrisk-default\"") != NULL);
    cr_assert(strstr(j, "reject") == NULL);
    idr_free(j);
    idr_result_free(res);
}

Test(scoring, critical_indicator_forces_escalate) {
    idr_result *res = score("{\"candidate_id\":\"c1\"," AS_OF
                            ",\"post_hire\":{\"identity_holder_complaint\":true}}");
    const idr_reason *r = find(res, "ssn_holder_complaint");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->severity, "critical");
    cr_assert_str_eq(idr_result_action(res), "escalate");
    cr_assert_str_eq(idr_result_band(res), "critical");
    idr_result_free(res);
}

static const char *ship_rmm =
    "{\"candidate_id\":\"c2\"," AS_OF
    ",\"identity\":{\"full_name\":\"Ann Lee\",\"residence\":{\"line1\":\"1 Main St\","
    "\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":\"30303\",\"country\":\"US\"}"
    "},"
    "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"9 Dock "
    "Rd\",\"city\":\"Dover\","
    "\"region\":\"DE\",\"postal_code\":\"19901\",\"country\":\"US\",\"cmra\":true},"
    "\"requested_at\":\"2026-01-10T00:00:00Z\",\"ship_date\":\"2026-01-12\"}]},"
    "\"post_hire\":{\"hired_at\":\"2026-01-05\",\"endpoint_findings\":[\"anydesk\"]}}";

Test(scoring, combination_adds_points_and_names_members) {
    idr_result *res = score(ship_rmm);
    const idr_reason *c = find(res, "combo_ship_forward_remote_access");
    cr_assert_not_null(c, "combination did not fire");
    cr_assert_str_eq(c->category, "combination");
    cr_assert(strstr(c->detail, "ept_rmm_install") != NULL, "%s", c->detail);
    double sum = 0;
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        sum += idr_result_reason(res, i)->points;
    }
    int want = sum > 100 ? 100 : (int)(sum + 0.5);
    cr_assert_eq(idr_result_score(res), want, "score is the capped sum of the points");
    idr_result_free(res);
}

Test(scoring, reasons_are_ordered_by_importance) {
    idr_result *res = score(ship_rmm);
    for (size_t i = 1; i < idr_result_reason_count(res); i++) {
        const idr_reason *a = idr_result_reason(res, i - 1),
                         *b = idr_result_reason(res, i);
        cr_assert(a->points > b->points ||
                      (a->points == b->points && strcmp(a->id, b->id) < 0) ||
                      (a->points == b->points && strcmp(a->severity, b->severity) != 0),
                  "%s (%g) before %s (%g)", a->id, a->points, b->id, b->points);
    }
    cr_assert_null(idr_result_reason(res, 1000));
    idr_result_free(res);
}

Test(scoring, adding_evidence_never_lowers_the_score) {
    static const char *const extra[] = {
        ",\"workflow\":{\"refused_in_person_i9\":true}",
        ",\"payment\":{\"method\":\"crypto\",\"account_holder_name\":\"Someone Else\"}",
        ",\"interviews\":[{\"mode\":\"video\",\"deepfake_suspected\":true}]",
        ",\"accommodations\":[\"camera_off\"]",
    };
    const char *base =
        "{\"candidate_id\":\"m\"," AS_OF
        ",\"identity\":{\"full_name\":\"Ann Lee\",\"ssn\":\"666-12-3456\"}";
    char json[4096];
    snprintf(json, sizeof json, "%s}", base);
    idr_result *prev = score(json);
    int last = idr_result_score(prev);
    idr_result_free(prev);
    size_t used = strlen(base);
    char acc[2048];
    memcpy(acc, base, used + 1);
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        strcat(acc, extra[i]);
        snprintf(json, sizeof json, "%s}", acc);
        idr_result *res = score(json);
        cr_assert_geq(idr_result_score(res), last, "step %zu lowered the score", i);
        cr_assert_leq(idr_result_score(res), 100);
        last = idr_result_score(res);
        idr_result_free(res);
    }
}

Test(scoring, accommodation_suppresses_camera_refusal_and_says_so) {
    const char *off = "{\"candidate_id\":\"a\"," AS_OF
                      ",\"interviews\":[{\"mode\":\"video\",\"camera_on\":false}]";
    char json[512];
    snprintf(json, sizeof json, "%s}", off);
    idr_result *res = score(json);
    cr_assert_not_null(find(res, "int_camera_refusal"));
    idr_result_free(res);
    snprintf(json, sizeof json, "%s,\"accommodations\":[\"camera_off\"]}", off);
    res = score(json);
    cr_assert_null(find(res, "int_camera_refusal"));
    char *j = json_of(res);
    cr_assert(strstr(j, "\"suppressed\":[{\"id\":\"int_camera_refusal\",\"by\":") != NULL,
              "%s", j);
    idr_free(j);
    idr_result_free(res);
}

Test(scoring, same_input_same_bytes_apart_from_evaluated_at) {
    idr_result *a = score(ship_rmm), *b = score(ship_rmm);
    char *ja = json_of(a), *jb = json_of(b);
    char *ea = strstr(ja, "\"evaluated_at\""), *eb = strstr(jb, "\"evaluated_at\"");
    cr_assert_not_null(ea);
    cr_assert_eq(ea - ja, eb - jb);
    cr_assert(memcmp(ja, jb, (size_t)(ea - ja)) == 0);
    idr_free(ja);
    idr_free(jb);
    idr_result_free(a);
    idr_result_free(b);
}

Test(scoring, bad_input_is_einval_with_path_and_no_result) {
    idr_result *res = (idr_result *)1;
    idr_error err;
    const char *j =
        "{\"candidate_id\":\"x\",\"documents\":[{},{\"expires\":\"2026-02-30\"}]}";
    cr_assert_eq(idr_engine_score_json(eng, j, strlen(j), &res, &err), IDR_EINVAL);
    cr_assert_null(res);
    cr_assert_str_eq(err.field, "documents[1].expires");
    const char *p = "{\"candidate_id\":\"x\",\"work_history\":{\"employers\":[{\"x\":"
                    "{\"ethnicity\":\"a\"}}]}}";
    cr_assert_eq(idr_engine_score_json(eng, p, strlen(p), &res, &err), IDR_EINVAL);
    cr_assert(strstr(err.field, "ethnicity") != NULL, "%s", err.field);
}

Test(scoring, describe_lists_every_rule_and_the_stamp) {
    char *d = NULL;
    idr_error err;
    cr_assert_eq(idr_engine_describe_json(eng, &d, &err), IDR_OK);
    cr_assert(strstr(d, "\"ssn_invalid_structure\"") != NULL);
    cr_assert(strstr(d, "\"sha256\":\"") != NULL);
    idr_free(d);
}
