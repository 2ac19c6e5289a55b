/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_ssn.c - ssn_invalid_structure and ssn_holder_complaint (lib/rules/ssn.c),
 * through the public API with the default rule pack.
 */
#include "../rules_helpers.h"

TestSuite(rules_ssn, .init = rh_setup, .fini = rh_teardown);

Test(rules_ssn, area_666_fires_with_masked_number) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "666-12-3456"}}));
    cr_assert_not_null(rh_reason(r, "ssn_invalid_structure"));
    rh_assert_has(rh_ev(r, "ssn_invalid_structure", "problems"), "area 666");
    cr_assert_str_eq(rh_ev(r, "ssn_invalid_structure", "ssn_masked"), "***-**-3456");
    rh_assert_has(rh_detail(r, "ssn_invalid_structure"), "***-**-3456");
}

Test(rules_ssn, evidence_never_holds_the_full_number) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "000-12-3456"}}));
    char *text = cJSON_PrintUnformatted(r);
    cr_assert_null(strstr(text, "000123456"));
    cr_assert_null(strstr(text, "000-12-3456"));
    free(text);
    rh_assert_has(rh_ev(r, "ssn_invalid_structure", "problems"), "area 000");
}

Test(rules_ssn, group_00_and_serial_0000_fire) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "123000000"}}));
    const char *p = rh_ev(r, "ssn_invalid_structure", "problems");
    rh_assert_has(p, "group 00");
    rh_assert_has(p, "serial 0000");
}

Test(rules_ssn, itin_range_is_named) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "912-70-1234"}}));
    rh_assert_has(rh_ev(r, "ssn_invalid_structure", "problems"), "ITIN range");
    /* 9xx outside the ITIN groups: invalid, but not called an ITIN */
    r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "912-10-1234"}}));
    const char *p = rh_ev(r, "ssn_invalid_structure", "problems");
    rh_assert_has(p, "area 9xx");
    cr_assert_null(strstr(p, "ITIN"));
}

Test(rules_ssn, voided_sample_number_fires) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "078-05-1120"}}));
    rh_assert_has(rh_ev(r, "ssn_invalid_structure", "problems"), "Woolworth");
}

Test(rules_ssn, ordinary_and_post_2011_areas_are_clean) {
    /* 773-899 were never assigned before randomization (June 2011) and are valid now. */
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "773-45-6701"}}));
    cr_assert(rh_clean(r, "ssn_invalid_structure"));
    r = rh_score(J({"candidate_id" : "s1", "identity" : {"ssn" : "401-22-7788"}}));
    cr_assert(rh_clean(r, "ssn_invalid_structure"));
}

Test(rules_ssn, absent_ssn_is_not_evaluated) {
    cJSON *r = rh_score(J({"candidate_id" : "s1", "identity" : {"full_name" : "A B"}}));
    rh_assert_has(rh_not_evaluated(r, "ssn_invalid_structure"), "no SSN");
}

Test(rules_ssn, holder_complaint_is_critical_and_escalates) {
    cJSON *r = rh_score(J({
        "candidate_id" : "s2",
        "identity" : {"ssn" : "401-22-7788"},
        "post_hire" : {"hired_at" : "2025-01-06", "identity_holder_complaint" : true}
    }));
    cJSON *reason = rh_reason(r, "ssn_holder_complaint");
    cr_assert_not_null(reason);
    cr_assert_str_eq(rh_str(reason, "severity"), "critical");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    rh_assert_has(rh_detail(r, "ssn_holder_complaint"), "7788");
    rh_assert_has(rh_detail(r, "ssn_holder_complaint"), "2025-01-06");
}

Test(rules_ssn, holder_complaint_false_is_clean_absent_not_evaluated) {
    cJSON *r = rh_score(
        J({"candidate_id" : "s2", "post_hire" : {"identity_holder_complaint" : false}}));
    cr_assert(rh_clean(r, "ssn_holder_complaint"));
    r = rh_score(J({"candidate_id" : "s2"}));
    cr_assert_not_null(rh_not_evaluated(r, "ssn_holder_complaint"));
}
