/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_pack.c - the default rule pack covers every indicator of the rule modules
 * owned here, with the weights docs/indicators.md documents, and its bands are the
 * published ones.
 */
#include "../rules_helpers.h"

TestSuite(rules_pack, .init = rh_setup, .fini = rh_teardown);

static cJSON *describe(void) {
    char *text = NULL;
    idr_error err;
    cr_assert_eq(idr_engine_describe_json(rh_engine, &text, &err), IDR_OK, "%s",
                 err.message);
    cJSON *d = cJSON_Parse(text);
    idr_free(text);
    cr_assert_not_null(d);
    return d;
}

static cJSON *find_id(cJSON *arr, const char *id) {
    cJSON *it;
    cJSON_ArrayForEach(it, arr) {
        if (strcmp(rh_str(it, "id") ? rh_str(it, "id") : "", id) == 0) {
            return it;
        }
    }
    return NULL;
}

Test(rules_pack, every_rules_indicator_has_its_documented_weight) {
    static const struct {
        const char *id;
        double points;
    } want[] = {
        {"ssn_invalid_structure", 25},
        {"ssn_holder_complaint", 50},
        {"doc_forgery_signs", 25},
        {"doc_photo_replaced", 25},
        {"id_stock_or_ai_photo", 12},
        {"doc_expired", 5},
        {"id_identity_combo_implausible", 12},
        {"id_rented_identity", 50},
        {"doc_refuses_inperson_notarized", 12},
        {"pay_prepay_pressure", 10},
        {"wf_off_platform_pressure", 5},
        {"wf_messaging_only", 3},
        {"adr_ship_not_id_address", 12},
        {"adr_late_change", 20},
        {"adr_forwarder_cmra", 20},
        {"adr_byod_insistence", 10},
        {"adr_device_geodrift", 25},
        {"int_camera_refusal", 12},
        {"int_deepfake_artifacts", 25},
        {"int_reading_answers", 10},
        {"int_location_smalltalk_fail", 10},
        {"int_screen_share_leak", 12},
        {"int_multiple_voices", 10},
        {"pay_crypto_request", 12},
        {"pay_third_party_account", 25},
        {"pay_frequent_changes", 12},
        {"wrk_github_aged_or_copied", 10},
        {"wrk_unverifiable_employers", 20},
        {"wrk_referral_chain", 12},
        {"ept_rmm_install", 25},
        {"ept_ip_kvm_or_sbc", 30},
        {"ept_unmanaged_device_login", 20},
        {"ssn_reused", 30},
        {"id_dup_contact_across_applicants", 25},
        {"id_multi_persona_photo", 25},
        {"adr_shared_by_hires", 25},
        {"pay_shared_account", 25},
        {"net_shared_egress", 20},
        {"wrk_resume_template_reuse", 20},
        {"wrk_profile_recent", 10},
        {"wrk_code_profile_recent", 5},
    };
    cJSON *d = describe();
    cJSON *inds = cJSON_GetObjectItemCaseSensitive(d, "indicators");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        cJSON *e = find_id(inds, want[i].id);
        cr_assert_not_null(e, "%s has no pack entry", want[i].id);
        cJSON *p = cJSON_GetObjectItemCaseSensitive(e, "points");
        cr_assert(cJSON_IsNumber(p) && p->valuedouble == want[i].points, "%s points",
                  want[i].id);
    }
    cJSON *combos = cJSON_GetObjectItemCaseSensitive(d, "combinations");
    cr_assert_not_null(find_id(combos, "combo_ship_forward_remote_access"));
    cr_assert_not_null(find_id(combos, "combo_crypto_third_party"));
    cr_assert_not_null(find_id(combos, "combo_synthetic_interview"));
    cr_assert_not_null(find_id(combos, "combo_crypto_prepay"));
    cr_assert_not_null(find_id(combos, "combo_anon_egress_unverifiable"));
    cr_assert_not_null(find_id(combos, "combo_new_persona_profiles"));
    cJSON *rs = cJSON_GetObjectItemCaseSensitive(d, "ruleset");
    cr_assert_str_eq(rh_str(rs, "id"), "idrisk-default");
    cr_assert_str_eq(rh_str(rs, "version"), "2026.12.1");
    cJSON_Delete(d);
}

/* The weighting contract: one medium sign stays low; two independent mediums or one
 * high reach medium; a critical sign escalates whatever the total. The records carry
 * a checked email so that a key family was evaluated (else the low-coverage floor
 * asks to verify whatever the points: docs/scoring.md). */
Test(rules_pack, weighting_contract) {
    cJSON *r = rh_score(J({
        "candidate_id" : "k1",
        "contacts" : {"emails" : [ {"address" : "a.b@example.org", "verified" : true} ]},
        "equipment" : {"byod_requested" : true}
    }));
    cr_assert_str_eq(rh_str(r, "band"), "low");
    cr_assert_str_eq(rh_str(r, "action"), "none");
    /* the same sign on a record where nothing key could be checked: floored */
    r = rh_score(J({"candidate_id" : "k1b", "equipment" : {"byod_requested" : true}}));
    cr_assert_str_eq(rh_str(r, "band"), "low");
    cr_assert_str_eq(rh_str(r, "action"), "verify");
    cr_assert_not_null(rh_reason(r, "cov_insufficient_data"));
    r = rh_score(J({
        "candidate_id" : "k2",
        "equipment" : {"byod_requested" : true},
        "workflow" : {"prepayment_pressure" : true}
    }));
    cr_assert_str_eq(rh_str(r, "band"), "medium");
    cr_assert_str_eq(rh_str(r, "action"), "verify");
    r = rh_score(
        J({"candidate_id" : "k3", "post_hire" : {"endpoint_findings" : ["teamviewer"]}}));
    cr_assert_str_eq(rh_str(r, "band"), "medium");
    r = rh_score(
        J({"candidate_id" : "k4", "post_hire" : {"identity_holder_complaint" : true}}));
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
}

/* Odd but valid records: empty strings, empty arrays and objects, extreme numbers and
 * dates. Every rule module must score them without crashing (run under ASan+UBSan in
 * the sanitizer build). */
Test(rules_pack, odd_records_score_without_crashing) {
    static const char *const records[] = {
        J({
            "candidate_id" : "o1",
            "identity" : {"full_name" : "", "ssn" : "000000000", "residence" : {}},
            "documents" : [
                {}, {"verification" : {}}, {"type" : "other", "expires" : "1900-01-01"}
            ],
            "equipment" : {"shipments" : [ {}, {"address" : {"line1" : ""}} ]},
            "interviews" : [ {}, {"video_issues" : []} ],
            "payment" : {
                "changes" : [ {}, {"at" : "1970-01-01T00:00:00Z"} ],
                "crypto_wallets" : [ {} ]
            },
            "work_history" : {
                "employers" : [ {} ],
                "education" : [ {} ],
                "profiles" : [ {"kind" : "github"} ]
            },
            "post_hire" : {
                "endpoint_findings" : [ "", " ", "-_-" ],
                "device_locations" : [ {} ],
                "unmanaged_device_logins" : 0
            }
        }),
        J({
            "candidate_id" : "o2",
            "as_of" : "2099-12-31T23:59:59Z",
            "identity" : {
                "full_name" : "Ünïcödé Näme",
                "residence" : {"lat" : 90, "lon" : 180, "country" : "US"}
            },
            "post_hire" : {
                "hired_at" : "2099-12-31",
                "device_locations" : [ {
                    "at" : "2099-12-31T00:00:00Z",
                    "lat" : -90,
                    "lon" : -180,
                    "country" : "AQ"
                } ]
            },
            "payment" : {
                "account_holder_name" : "Ünïcödé Näme",
                "payee_type" : "company",
                "payee_company" : {"formed_on" : "2099-12-31"}
            }
        }),
    };
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        cJSON *r = rh_score(records[i]);
        cr_assert_geq(rh_score_of(r), 0);
        cr_assert_leq(rh_score_of(r), 100);
    }
}
