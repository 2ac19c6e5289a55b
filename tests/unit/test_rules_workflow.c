/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_workflow.c - doc_refuses_inperson_notarized, pay_prepay_pressure,
 * wf_off_platform_pressure and wf_messaging_only (lib/rules/workflow.c).
 */
#include "../rules_helpers.h"

TestSuite(rules_workflow, .init = rh_setup, .fini = rh_teardown);

Test(rules_workflow, refusals_are_listed) {
    cJSON *r = rh_score(J({
        "candidate_id" : "w1",
        "workflow" : {
            "refused_in_person_i9" : true,
            "refused_drug_test" : true,
            "refused_notarization" : false
        }
    }));
    const char *v = rh_ev(r, "doc_refuses_inperson_notarized", "refused");
    rh_assert_has(v, "in-person I-9");
    rh_assert_has(v, "drug test");
    cr_assert_null(strstr(v, "notarized"));
    cr_assert_str_eq(rh_ev(r, "doc_refuses_inperson_notarized", "count"), "2");
}

Test(rules_workflow, no_refusal_is_clean_and_absent_not_evaluated) {
    cJSON *r = rh_score(
        J({"candidate_id" : "w1", "workflow" : {"refused_in_person_i9" : false}}));
    cr_assert(rh_clean(r, "doc_refuses_inperson_notarized"));
    r = rh_score(J({"candidate_id" : "w1"}));
    cr_assert_not_null(rh_not_evaluated(r, "doc_refuses_inperson_notarized"));
    cr_assert_not_null(rh_not_evaluated(r, "pay_prepay_pressure"));
    cr_assert_not_null(rh_not_evaluated(r, "wf_off_platform_pressure"));
    cr_assert_not_null(rh_not_evaluated(r, "wf_messaging_only"));
}

Test(rules_workflow, pressure_flags) {
    cJSON *r = rh_score(J({
        "candidate_id" : "w2",
        "workflow" : {"prepayment_pressure" : true, "off_platform_pressure" : false}
    }));
    cr_assert_not_null(rh_reason(r, "pay_prepay_pressure"));
    cr_assert(rh_clean(r, "wf_off_platform_pressure"));
    r = rh_score(
        J({"candidate_id" : "w2", "workflow" : {"off_platform_pressure" : true}}));
    cr_assert_not_null(rh_reason(r, "wf_off_platform_pressure"));
}

Test(rules_workflow, messaging_preference_alone_never_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "w3",
        "contacts" :
            {"emails" : ["ana@example.com"], "messaging" : [ "telegram", "signal" ]}
    }));
    cr_assert(rh_clean(r, "wf_messaging_only"));
}

Test(rules_workflow, messaging_only_contact_fires) {
    cJSON *r =
        rh_score(J({"candidate_id" : "w3", "contacts" : {"messaging" : ["telegram"]}}));
    rh_assert_has(rh_detail(r, "wf_messaging_only"), "telegram");
    rh_assert_has(rh_ev(r, "wf_messaging_only", "context"), "no email address or phone");
    r = rh_score(J({
        "candidate_id" : "w3",
        "contacts" : {"emails" : ["ana@example.com"], "messaging" : ["whatsapp"]},
        "workflow" : {"off_platform_pressure" : true}
    }));
    rh_assert_has(rh_ev(r, "wf_messaging_only", "context"), "off the hiring platform");
}

Test(rules_workflow, prepayment_false_is_clean) {
    cJSON *r = rh_score(
        J({"candidate_id" : "w4", "workflow" : {"prepayment_pressure" : false}}));
    cr_assert(rh_clean(r, "pay_prepay_pressure"));
}
