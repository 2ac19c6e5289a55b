/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_document.c - doc_forgery_signs, doc_photo_replaced, id_stock_or_ai_photo
 * and doc_expired (lib/rules/document.c).
 */
#include "../rules_helpers.h"

TestSuite(rules_document, .init = rh_setup, .fini = rh_teardown);

Test(rules_document, forgery_names_provider_and_type) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d1",
        "as_of" : "2025-06-01T00:00:00Z",
        "documents" : [ {
            "type" : "drivers_license",
            "issuing_country" : "US",
            "verification" : {
                "provider" : "ExampleVerify",
                "authentic" : false,
                "tamper_detected" : true
            }
        } ]
    }));
    const char *f = rh_ev(r, "doc_forgery_signs", "findings");
    rh_assert_has(f, "drivers_license (US, ExampleVerify)");
    rh_assert_has(f, "not authentic");
    rh_assert_has(f, "tampering detected");
    rh_assert_has(rh_detail(r, "doc_forgery_signs"), "ExampleVerify");
}

Test(rules_document, issuer_record_mismatch_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d1",
        "documents" : [ {
            "type" : "passport",
            "issuing_country" : "GB",
            "verification" : {"issuer_record_match" : false}
        } ]
    }));
    rh_assert_has(rh_ev(r, "doc_forgery_signs", "findings"), "issuer's records");
}

Test(rules_document, passing_verification_is_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d1",
        "as_of" : "2025-06-01T00:00:00Z",
        "documents" : [ {
            "type" : "passport",
            "issuing_country" : "GB",
            "expires" : "2030-01-01",
            "verification" : {
                "provider" : "ExampleVerify",
                "authentic" : true,
                "tamper_detected" : false,
                "photo_replaced" : false,
                "liveness_passed" : true,
                "face_match_score" : 0.97,
                "synthetic_face_score" : 0.05,
                "issuer_record_match" : true
            }
        } ]
    }));
    cr_assert(rh_clean(r, "doc_forgery_signs"));
    cr_assert(rh_clean(r, "doc_photo_replaced"));
    cr_assert(rh_clean(r, "id_stock_or_ai_photo"));
    cr_assert(rh_clean(r, "doc_expired"));
}

Test(rules_document, no_documents_is_not_evaluated) {
    cJSON *r = rh_score(J({"candidate_id" : "d1"}));
    rh_assert_has(rh_not_evaluated(r, "doc_forgery_signs"), "no documents");
    rh_assert_has(rh_not_evaluated(r, "doc_photo_replaced"), "no documents");
    cr_assert_not_null(rh_not_evaluated(r, "id_stock_or_ai_photo"));
    cr_assert_not_null(rh_not_evaluated(r, "doc_expired"));
    r = rh_score(J({
        "candidate_id" : "d1",
        "documents" : [ {"type" : "passport", "issuing_country" : "GB"} ]
    }));
    rh_assert_has(rh_not_evaluated(r, "doc_forgery_signs"), "verification");
}

Test(rules_document, photo_replaced_and_low_face_match) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d2",
        "documents" : [ {
            "type" : "passport",
            "issuing_country" : "GB",
            "verification" : {
                "provider" : "ExampleVerify",
                "liveness_passed" : false,
                "face_match_score" : 0.41
            }
        } ]
    }));
    const char *f = rh_ev(r, "doc_photo_replaced", "findings");
    rh_assert_has(f, "liveness check failed");
    rh_assert_has(f, "face match 0.41");
    cr_assert_str_eq(rh_ev(r, "doc_photo_replaced", "lowest_face_match"), "0.41");
}

Test(rules_document, face_match_at_threshold_is_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d2",
        "documents" :
            [ {"type" : "passport", "verification" : {"face_match_score" : 0.80}} ]
    }));
    cr_assert(rh_clean(r, "doc_photo_replaced"));
}

Test(rules_document, synthetic_face_threshold) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d3",
        "documents" : [ {
            "type" : "national_id",
            "issuing_country" : "PL",
            "verification" : {"provider" : "ExampleVerify", "synthetic_face_score" : 0.91}
        } ]
    }));
    rh_assert_has(rh_ev(r, "id_stock_or_ai_photo", "findings"), "0.91");
    rh_assert_has(rh_detail(r, "id_stock_or_ai_photo"),
                  "national_id (PL, ExampleVerify)");
    r = rh_score(J({
        "candidate_id" : "d3",
        "documents" :
            [ {"type" : "national_id", "verification" : {"synthetic_face_score" : 0.55}} ]
    }));
    cr_assert(rh_clean(r, "id_stock_or_ai_photo"));
}

Test(rules_document, expired_document_fires_with_dates) {
    cJSON *r = rh_score(J({
        "candidate_id" : "d4",
        "as_of" : "2025-06-01T00:00:00Z",
        "documents" : [
            {"type" : "passport", "issuing_country" : "CA", "expires" : "2024-12-31"},
            {"type" : "diploma", "expires" : "2001-01-01"}
        ]
    }));
    rh_assert_has(rh_ev(r, "doc_expired", "documents"),
                  "passport (CA) expired 2024-12-31");
    cr_assert_str_eq(rh_ev(r, "doc_expired", "count"), "1");
    rh_assert_has(rh_detail(r, "doc_expired"), "2025-06-01");
}
