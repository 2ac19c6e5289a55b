/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_work_history.c - wrk_github_aged_or_copied, wrk_unverifiable_employers and
 * wrk_referral_chain (lib/rules/work_history.c).
 */
#include "../rules_helpers.h"

TestSuite(rules_work_history, .init = rh_setup, .fini = rh_teardown);

Test(rules_work_history, github_history_older_than_account) {
    cJSON *r = rh_score(J({
        "candidate_id" : "h1",
        "work_history" : {
            "profiles" : [ {
                "kind" : "github",
                "handle" : "example-dev",
                "created_at" : "2024-11-02",
                "earliest_activity" : "2019-04-10"
            } ]
        }
    }));
    const char *d = rh_detail(r, "wrk_github_aged_or_copied");
    rh_assert_has(d, "example-dev");
    rh_assert_has(d, "2019-04-10");
    rh_assert_has(d, "2024-11-02");
}

Test(rules_work_history, small_gap_is_clean_missing_dates_not_evaluated) {
    cJSON *r = rh_score(J({
        "candidate_id" : "h1",
        "work_history" : {
            "profiles" : [ {
                "kind" : "github",
                "created_at" : "2024-11-02",
                "earliest_activity" : "2024-10-30"
            } ]
        }
    }));
    cr_assert(rh_clean(r, "wrk_github_aged_or_copied"));
    r = rh_score(J({
        "candidate_id" : "h1",
        "work_history" :
            {"profiles" : [ {"kind" : "linkedin", "created_at" : "2024-11-02"} ]}
    }));
    cr_assert_not_null(rh_not_evaluated(r, "wrk_github_aged_or_copied"));
}

Test(rules_work_history, unverified_employers_and_schools) {
    cJSON *r = rh_score(J({
        "candidate_id" : "h2",
        "work_history" : {
            "employers" : [
                {"name" : "Example Systems", "verified" : false},
                {"name" : "Sample Corp", "verified" : true},
                {"name" : "Unchecked Ltd", "verified" : null}
            ],
            "education" : [ {"institution" : "Example University", "verified" : false} ]
        }
    }));
    const char *d = rh_detail(r, "wrk_unverifiable_employers");
    rh_assert_has(d, "employer Example Systems");
    rh_assert_has(d, "school Example University");
    rh_assert_has(d, "2 of 3 checked");
    cr_assert_null(strstr(d, "Unchecked"));
}

Test(rules_work_history, unchecked_is_not_evaluated) {
    cJSON *r = rh_score(J({
        "candidate_id" : "h2",
        "work_history" : {"employers" : [ {"name" : "Unchecked Ltd", "verified" : null} ]}
    }));
    cr_assert_not_null(rh_not_evaluated(r, "wrk_unverifiable_employers"));
    r = rh_score(J({
        "candidate_id" : "h2",
        "work_history" : {"employers" : [ {"name" : "Sample Corp", "verified" : true} ]}
    }));
    cr_assert(rh_clean(r, "wrk_unverifiable_employers"));
}

Test(rules_work_history, referral_chain_needs_the_store) {
    cJSON *r =
        rh_score(J({"candidate_id" : "h3", "work_history" : {"referred_by" : "c-1001"}}));
    cr_assert_null(rh_reason(r, "wrk_referral_chain"));
    rh_assert_has(rh_not_evaluated(r, "wrk_referral_chain"), "cross-candidate store");
}
