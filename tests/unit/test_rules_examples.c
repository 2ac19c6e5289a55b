/*
 * test_rules_examples.c - every example in examples/candidates/ scores as its README
 * says: band, action, the reasons that must fire and the ones that must be suppressed.
 * Legitimate-but-unusual records must stay in the "low" band.
 */
#include "../rules_helpers.h"

TestSuite(rules_examples, .init = rh_setup, .fini = rh_teardown);

static cJSON *score_file(const char *name) {
    char path[512];
    snprintf(path, sizeof path, "%s/examples/candidates/%s", IDR_TEST_SOURCE_DIR, name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return rh_score(buf);
}

static void expect(cJSON *r, const char *band, const char *action) {
    cr_assert_str_eq(rh_str(r, "band"), band, "band (score %d)", rh_score_of(r));
    cr_assert_str_eq(rh_str(r, "action"), action);
}

Test(rules_examples, laptop_farm_rescore_escalates) {
    cJSON *r = score_file("laptop-farm-rescore.json");
    expect(r, "critical", "escalate");
    const char *ids[] = {
        "adr_ship_not_id_address",    "adr_late_change",
        "adr_forwarder_cmra",         "ept_rmm_install",
        "ept_ip_kvm_or_sbc",          "adr_device_geodrift",
        "ept_unmanaged_device_login", "combo_ship_forward_remote_access"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        cr_assert_not_null(rh_reason(r, ids[i]), "%s did not fire", ids[i]);
    }
    rh_assert_has(rh_detail(r, "adr_ship_not_id_address"),
                  "12 Elm St Ste 300, Dover, DE 19901, US (CMRA)");
    rh_assert_has(rh_detail(r, "adr_ship_not_id_address"), "Atlanta, GA, US");
}

Test(rules_examples, rented_identity_escalates) {
    cJSON *r = score_file("rented-identity.json");
    expect(r, "critical", "escalate");
    cr_assert_not_null(rh_reason(r, "ssn_holder_complaint"));
    cr_assert_not_null(rh_reason(r, "id_rented_identity"));
    cr_assert_not_null(rh_reason(r, "doc_photo_replaced"));
}

Test(rules_examples, crypto_third_party) {
    cJSON *r = score_file("crypto-third-party.json");
    cr_assert_geq(rh_score_of(r), 45);
    cr_assert_not_null(rh_reason(r, "combo_crypto_third_party"));
    rh_assert_has(rh_detail(r, "pay_third_party_account"), "Northwind Digital Services");
}

Test(rules_examples, ofac_primary_name_payee_escalates) {
    cJSON *r = score_file("ofac-primary-name-payee.json");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    cr_assert_eq(rh_score_of(r), 100);
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "entry"),
                  "Chinyong Information Technology Cooperation Company");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "matches"), "Volasys Silver Star");
    cr_assert_not_null(rh_reason(r, "pay_front_company_match"));
}

Test(rules_examples, approved_travel_stays_low) {
    cJSON *r = score_file("approved-travel-london.json");
    expect(r, "low", "none");
    rh_assert_has(rh_suppressed(r, "adr_device_geodrift"), "approved travel");
}

Test(rules_examples, camera_accommodation_stays_low) {
    cJSON *r = score_file("camera-off-accommodation.json");
    expect(r, "low", "none");
    rh_assert_has(rh_suppressed(r, "int_camera_refusal"), "camera_off");
}

Test(rules_examples, eor_contractor_stays_low) {
    cJSON *r = score_file("eor-contractor-payoneer.json");
    expect(r, "low", "none");
    cr_assert_null(rh_reason(r, "pay_third_party_account"));
    cr_assert_null(rh_reason(r, "id_identity_combo_implausible"));
    cr_assert_null(rh_reason(r, "wf_messaging_only"));
}

Test(rules_examples, clean_hire_scores_zero) {
    cJSON *r = score_file("clean-ordinary-hire.json");
    expect(r, "low", "none");
    cJSON *reasons = cJSON_GetObjectItemCaseSensitive(r, "reasons");
    cJSON *first = cJSON_GetArrayItem(reasons, 0);
    cr_assert_eq(cJSON_GetArraySize(reasons), 0, "unexpected reason %s",
                 first ? rh_str(first, "id") : "");
}

Test(rules_examples, synthetic_persona_escalates) {
    cJSON *r = score_file("synthetic-photo-deepfake.json");
    expect(r, "critical", "escalate");
    cr_assert_not_null(rh_reason(r, "combo_synthetic_interview"));
    cr_assert_not_null(rh_reason(r, "id_stock_or_ai_photo"));
}

Test(rules_examples, single_medium_sign_is_listed_without_action) {
    cJSON *r = score_file("single-signal-byod.json");
    expect(r, "low", "none");
    cr_assert_not_null(rh_reason(r, "adr_byod_insistence"));
}

Test(rules_examples, two_independent_signs_ask_to_verify) {
    cJSON *r = score_file("verify-middle-band.json");
    expect(r, "medium", "verify");
    cr_assert_eq(rh_score_of(r), 32);
}
