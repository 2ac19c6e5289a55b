/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_identity.c - id_identity_combo_implausible and id_rented_identity
 * (lib/rules/identity.c).
 */
#include "../rules_helpers.h"

TestSuite(rules_identity, .init = rh_setup, .fini = rh_teardown);

Test(rules_identity, three_way_mismatch_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "as_of" : "2025-06-01T00:00:00Z",
        "engagement" : {"type" : "contractor", "declared_work_country" : "IT"},
        "identity" : {"residence" : {"city" : "Bratislava", "country" : "SK"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "RS"} ]
    }));
    rh_assert_has(rh_ev(r, "id_identity_combo_implausible", "documents"),
                  "passport issued by RS");
    const char *d = rh_detail(r, "id_identity_combo_implausible");
    rh_assert_has(d, "(SK)");
    rh_assert_has(d, "(IT)");
}

Test(rules_identity, two_pieces_differing_is_normal_life) {
    /* An expatriate: home-country passport, lives and works in another country. */
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "engagement" : {"declared_work_country" : "DE"},
        "identity" : {"residence" : {"country" : "DE"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "IN"} ]
    }));
    cr_assert(rh_clean(r, "id_identity_combo_implausible"));
    /* Lives in one country, works for a team in another, documents from home. */
    r = rh_score(J({
        "candidate_id" : "i1",
        "engagement" : {"declared_work_country" : "US"},
        "identity" : {"residence" : {"country" : "CA"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "CA"} ]
    }));
    cr_assert(rh_clean(r, "id_identity_combo_implausible"));
}

Test(rules_identity, residence_permit_suppresses) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "engagement" : {"declared_work_country" : "IT"},
        "identity" : {"residence" : {"country" : "SK"}},
        "documents" : [
            {"type" : "passport", "issuing_country" : "RS"},
            {"type" : "residence_permit", "issuing_country" : "SK"}
        ]
    }));
    cr_assert_null(rh_reason(r, "id_identity_combo_implausible"));
    rh_assert_has(rh_suppressed(r, "id_identity_combo_implausible"),
                  "residence_permit issued by SK");
}

Test(rules_identity, approved_travel_and_eor_suppress) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "as_of" : "2025-06-10T00:00:00Z",
        "engagement" : {"declared_work_country" : "IT"},
        "identity" : {"residence" : {"country" : "SK"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "RS"} ],
        "travel" : [ {
            "from" : "2025-06-01",
            "to" : "2025-06-20",
            "country" : "RS",
            "approved" : true
        } ]
    }));
    rh_assert_has(rh_suppressed(r, "id_identity_combo_implausible"), "approved travel");
    r = rh_score(J({
        "candidate_id" : "i1",
        "engagement" : {
            "type" : "eor_contractor",
            "declared_work_country" : "IT",
            "staffing_firm" : "Example EOR Ltd"
        },
        "identity" : {"residence" : {"country" : "SK"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "RS"} ]
    }));
    rh_assert_has(rh_suppressed(r, "id_identity_combo_implausible"), "Example EOR Ltd");
}

Test(rules_identity, unapproved_travel_does_not_suppress) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "as_of" : "2025-06-10T00:00:00Z",
        "engagement" : {"declared_work_country" : "IT"},
        "identity" : {"residence" : {"country" : "SK"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "RS"} ],
        "travel" : [ {
            "from" : "2025-06-01",
            "to" : "2025-06-20",
            "country" : "RS",
            "approved" : false
        } ]
    }));
    cr_assert_not_null(rh_reason(r, "id_identity_combo_implausible"));
}

Test(rules_identity, missing_piece_is_not_evaluated) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "identity" : {"residence" : {"country" : "SK"}},
        "documents" : [ {"type" : "passport", "issuing_country" : "RS"} ]
    }));
    rh_assert_has(rh_not_evaluated(r, "id_identity_combo_implausible"),
                  "declared work country");
}

Test(rules_identity, rented_identity) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i2",
        "post_hire" : {"hired_at" : "2025-02-03", "different_person_suspected" : true}
    }));
    rh_assert_has(rh_detail(r, "id_rented_identity"), "2025-02-03");
    r = rh_score(
        J({"candidate_id" : "i2", "post_hire" : {"different_person_suspected" : false}}));
    cr_assert(rh_clean(r, "id_rented_identity"));
    r = rh_score(J({"candidate_id" : "i2"}));
    cr_assert_not_null(rh_not_evaluated(r, "id_rented_identity"));
}
