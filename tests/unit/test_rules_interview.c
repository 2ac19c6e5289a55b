/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_interview.c - the interview family (lib/rules/interview.c).
 */
#include "../rules_helpers.h"

TestSuite(rules_interview, .init = rh_setup, .fini = rh_teardown);

Test(rules_interview, camera_off_fires_with_counts) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v1",
        "interviews" : [
            {"at" : "2025-03-03T15:00:00Z", "mode" : "video", "camera_on" : false},
            {"at" : "2025-03-05T15:00:00Z", "mode" : "video", "camera_on" : true},
            {"at" : "2025-03-07T15:00:00Z", "mode" : "phone"}
        ]
    }));
    const char *d = rh_detail(r, "int_camera_refusal");
    rh_assert_has(d, "1 of 2 video interview");
    rh_assert_has(d, "2025-03-03");
}

Test(rules_interview, accommodation_suppresses_camera) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v1",
        "accommodations" : ["camera_off"],
        "interviews" : [ {"mode" : "video", "camera_on" : false} ]
    }));
    cr_assert_null(rh_reason(r, "int_camera_refusal"));
    rh_assert_has(rh_suppressed(r, "int_camera_refusal"), "camera_off");
    r = rh_score(J({
        "candidate_id" : "v1",
        "accommodations" : ["text_only"],
        "interviews" : [ {"mode" : "video", "camera_on" : false} ]
    }));
    rh_assert_has(rh_suppressed(r, "int_camera_refusal"), "text_only");
}

Test(rules_interview, no_interviews_not_evaluated) {
    cJSON *r = rh_score(J({"candidate_id" : "v1"}));
    const char *ids[] = {"int_camera_refusal",    "int_deepfake_artifacts",
                         "int_reading_answers",   "int_location_smalltalk_fail",
                         "int_screen_share_leak", "int_multiple_voices"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        rh_assert_has(rh_not_evaluated(r, ids[i]), "no interviews");
    }
}

Test(rules_interview, connectivity_and_background_never_fire) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v2",
        "interviews" : [ {
            "mode" : "video",
            "camera_on" : true,
            "video_issues" : [ "lag", "frozen", "virtual_background" ],
            "liveness_challenge" : "passed",
            "deepfake_suspected" : false
        } ]
    }));
    cr_assert(rh_clean(r, "int_deepfake_artifacts"));
    cr_assert(rh_clean(r, "int_camera_refusal"));
}

Test(rules_interview, deepfake_signs_are_listed) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v2",
        "interviews" : [
            {
                "at" : "2025-03-03T15:00:00Z",
                "mode" : "video",
                "video_issues" : [ "lip_sync", "lag" ]
            },
            {
                "at" : "2025-03-09T15:00:00Z",
                "mode" : "video",
                "liveness_challenge" : "refused"
            }
        ]
    }));
    const char *s = rh_ev(r, "int_deepfake_artifacts", "signs");
    rh_assert_has(s, "lip-sync lag");
    rh_assert_has(s, "liveness challenge refused");
    cr_assert_str_eq(rh_ev(r, "int_deepfake_artifacts", "count"), "2");
}

Test(rules_interview, reading_and_inconsistency) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v3",
        "interviews" : [ {
            "mode" : "video",
            "reading_answers" : true,
            "resume_consistency" : "inconsistent"
        } ]
    }));
    const char *s = rh_ev(r, "int_reading_answers", "signs");
    rh_assert_has(s, "read answers");
    rh_assert_has(s, "inconsistent with the resume");
    r = rh_score(J({
        "candidate_id" : "v3",
        "interviews" : [ {
            "mode" : "video",
            "reading_answers" : false,
            "resume_consistency" : "consistent"
        } ]
    }));
    cr_assert(rh_clean(r, "int_reading_answers"));
}

Test(rules_interview, single_flags) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v4",
        "interviews" : [ {
            "at" : "2025-03-03T15:00:00Z",
            "mode" : "video",
            "location_questions" : "failed",
            "other_identities_seen" : true,
            "multiple_voices" : true
        } ]
    }));
    rh_assert_has(rh_detail(r, "int_location_smalltalk_fail"), "2025-03-03");
    cr_assert_not_null(rh_reason(r, "int_screen_share_leak"));
    cr_assert_not_null(rh_reason(r, "int_multiple_voices"));
    r = rh_score(J({
        "candidate_id" : "v4",
        "interviews" : [ {
            "mode" : "video",
            "location_questions" : "not_asked",
            "other_identities_seen" : false
        } ]
    }));
    rh_assert_has(rh_not_evaluated(r, "int_location_smalltalk_fail"), "not asked");
    cr_assert(rh_clean(r, "int_screen_share_leak"));
    cr_assert_not_null(rh_not_evaluated(r, "int_multiple_voices"));
}

Test(rules_interview, passed_and_false_flags_are_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v5",
        "interviews" : [
            {"mode" : "video", "location_questions" : "passed", "multiple_voices" : false}
        ]
    }));
    cr_assert(rh_clean(r, "int_location_smalltalk_fail"));
    cr_assert(rh_clean(r, "int_multiple_voices"));
}
