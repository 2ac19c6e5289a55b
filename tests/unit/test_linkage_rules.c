/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_linkage_rules.c - the linkage indicators (ssn_reused,
 * id_dup_contact_across_applicants, id_multi_persona_photo, adr_shared_by_hires,
 * pay_shared_account, net_shared_egress, wrk_resume_template_reuse,
 * wrk_referral_chain) on links built by hand, scored through
 * idr__engine_score_with_links() with the default rule pack and the fetched data: what
 * the store would hand the rules, without a store.
 */
#include "../rules_helpers.h"
#include "../test_engine.h"
#include "internal.h"

TestSuite(linkage, .init = rh_setup, .fini = rh_teardown);

#define MAX_LINKS 300

/* A link to candidate `other` of kind `k`; the flags are set by the caller. */
static idr__link L(idr__link_kind k, const char *other) {
    idr__link l;
    memset(&l, 0, sizeof l);
    l.kind = k;
    l.other_id = other;
    return l;
}

/* Score `json` on `eng` with links `v[0..n)` (and the referrer, when not NULL); the
 * parsed result stays valid until the next call or teardown. *text_out (when not NULL)
 * gets the JSON text, freed by the caller with idr_free. */
static cJSON *score_on(idr_engine *eng,
                       const char *json,
                       const idr__link *v,
                       size_t n,
                       const idr__referrer *ref,
                       size_t omitted,
                       char **text_out) {
    idr__links links;
    memset(&links, 0, sizeof links);
    links.v = v;
    links.n = n;
    links.omitted = omitted;
    for (size_t i = 0; i < n; i++) {
        links.n_by_kind[v[i].kind]++;
    }
    if (omitted && n) {
        links.n_by_kind[v[0].kind] += omitted;
    }
    if (ref) {
        links.referrer = *ref;
    }
    idr_candidate *c = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_candidate_from_json(&c, eng, json, strlen(json), &err), IDR_OK,
                 "%s (%s)", err.message, err.field);
    idr_result *res = NULL;
    cr_assert_eq(idr__engine_score_with_links(eng, c, &links, &res, &err), IDR_OK, "%s",
                 err.message);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    idr_result_free(res);
    idr_candidate_free(c);
    cJSON_Delete(rh_last);
    rh_last = cJSON_Parse(text);
    cr_assert_not_null(rh_last);
    if (text_out) {
        *text_out = text;
    } else {
        idr_free(text);
    }
    return rh_last;
}

static cJSON *score_links(const char *json, const idr__link *v, size_t n) {
    return score_on(rh_engine, json, v, n, NULL, 0, NULL);
}

static const char *const LINKAGE[] = {
    "ssn_reused",
    "id_dup_contact_across_applicants",
    "id_multi_persona_photo",
    "adr_shared_by_hires",
    "pay_shared_account",
    "net_shared_egress",
    "wrk_resume_template_reuse",
    "wrk_referral_chain",
};

/* The linkage reasons and suppressed notes as one text: what a reviewer reads about
 * links (the other reasons quote the record's own addresses, as they should). */
static char *explained(cJSON *r) {
    cJSON *both = cJSON_CreateArray();
    for (size_t i = 0; i < sizeof LINKAGE / sizeof LINKAGE[0]; i++) {
        cJSON *a = rh_reason(r, LINKAGE[i]);
        cJSON *b = rh_find(r, "suppressed", LINKAGE[i]);
        if (a) {
            cJSON_AddItemToArray(both, cJSON_Duplicate(a, 1));
        }
        if (b) {
            cJSON_AddItemToArray(both, cJSON_Duplicate(b, 1));
        }
    }
    char *s = cJSON_PrintUnformatted(both);
    cJSON_Delete(both);
    return s;
}

#define EVERYTHING                                                                       \
    J({                                                                                  \
        "candidate_id" : "C-1",                                                          \
        "as_of" : "2025-06-01T00:00:00Z",                                                \
        "engagement" : {"type" : "contractor"},                                          \
        "identity" : {                                                                   \
            "full_name" : "Dana Whitfield",                                              \
            "date_of_birth" : "1990-04-02",                                              \
            "ssn" : "401-22-7788",                                                       \
            "photo_phash" : "c3a5f00ff00f1234",                                          \
            "residence" : {                                                              \
                "line1" : "12 Elm St",                                                   \
                "city" : "Atlanta",                                                      \
                "postal_code" : "30301",                                                 \
                "country" : "US"                                                         \
            }                                                                            \
        },                                                                               \
        "contacts" : {"emails" : ["dana.w@example.com"], "phones" : ["+14045550123"]},   \
        "network" : {                                                                    \
            "sessions" : [                                                               \
                {                                                                        \
                    "ip" : "81.2.69.142",                                                \
                    "at" : "2025-05-01T10:00:00Z",                                       \
                    "event" : "login"                                                    \
                },                                                                       \
                {                                                                        \
                    "ip" : "52.94.236.248",                                              \
                    "at" : "2025-05-02T10:00:00Z",                                       \
                    "event" : "login"                                                    \
                }                                                                        \
            ]                                                                            \
        },                                                                               \
        "payment" : {                                                                    \
            "method" : "bank_account",                                                   \
            "account_holder_name" : "Dana Whitfield",                                    \
            "account_id" : "GB29NWBK60161331926819",                                     \
            "crypto_wallets" : [ {"chain" : "ETH", "address" : "0xabc9876543210"} ]      \
        },                                                                               \
        "equipment" : {                                                                  \
            "shipments" : [ {                                                            \
                "address" : {                                                            \
                    "line1" : "9 Oak Ave",                                               \
                    "city" : "Nashville",                                                \
                    "postal_code" : "37201",                                             \
                    "country" : "US"                                                     \
                },                                                                       \
                "ship_date" : "2025-05-10"                                               \
            } ]                                                                          \
        },                                                                               \
        "work_history" : {                                                               \
            "resume_text" : "Senior engineer, ten years of Go and React.",               \
            "referred_by" : "C-900"                                                      \
        }                                                                                \
    })

/* ---- without a store ------------------------------------------------------------ */

Test(linkage, every_indicator_is_not_evaluated_without_a_store) {
    cJSON *r = rh_score(EVERYTHING);
    for (size_t i = 0; i < sizeof LINKAGE / sizeof LINKAGE[0]; i++) {
        rh_assert_has(rh_not_evaluated(r, LINKAGE[i]), "cross-candidate store");
        cr_assert_null(rh_reason(r, LINKAGE[i]));
    }
}

Test(linkage, with_a_store_and_no_links_every_indicator_is_clean_or_explained) {
    idr__referrer ref = {.found = true, .id = "C-900", .score = 5, .action = 0};
    cJSON *r = score_on(rh_engine, EVERYTHING, NULL, 0, &ref, 0, NULL);
    for (size_t i = 0; i < sizeof LINKAGE / sizeof LINKAGE[0]; i++) {
        cr_assert(rh_clean(r, LINKAGE[i]), "%s is not clean", LINKAGE[i]);
    }
    /* a record without the identifier: not evaluated, saying which */
    r = score_links(J({"candidate_id" : "C-2"}), NULL, 0);
    rh_assert_has(rh_not_evaluated(r, "ssn_reused"), "no SSN");
    rh_assert_has(rh_not_evaluated(r, "id_multi_persona_photo"), "photo");
    rh_assert_has(rh_not_evaluated(r, "adr_shared_by_hires"), "shipments");
    rh_assert_has(rh_not_evaluated(r, "pay_shared_account"), "payout account");
    rh_assert_has(rh_not_evaluated(r, "net_shared_egress"), "sessions");
    rh_assert_has(rh_not_evaluated(r, "wrk_resume_template_reuse"), "resume");
    rh_assert_has(rh_not_evaluated(r, "wrk_referral_chain"), "no referral on file");
    cr_assert(rh_clean(r, "id_dup_contact_across_applicants"));
}

/* ---- ssn_reused ------------------------------------------------------------------- */

Test(linkage, ssn_reused_fires_on_a_different_name) {
    idr__link v[] = {L(IDR__LK_SSN, "C-7"), L(IDR__LK_SSN, "C-8")};
    v[1].same_dob = true;
    cJSON *r = score_links(EVERYTHING, v, 2);
    cJSON *reason = rh_reason(r, "ssn_reused");
    cr_assert_not_null(reason);
    cr_assert_str_eq(rh_str(reason, "severity"), "high");
    cr_assert_str_eq(rh_ev(r, "ssn_reused", "count"), "2");
    cr_assert_str_eq(rh_ev(r, "ssn_reused", "others"), "C-7, C-8 (same date of birth)");
    rh_assert_has(rh_detail(r, "ssn_reused"), "2 other candidate(s)");
    rh_assert_has(rh_detail(r, "ssn_reused"), "C-7");
}

Test(linkage, ssn_reused_same_name_is_a_duplicate_application_not_reuse) {
    idr__link v[] = {L(IDR__LK_SSN, "C-7")};
    v[0].same_name = true;
    v[0].same_dob = true;
    cJSON *r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "ssn_reused"));
    rh_assert_has(rh_suppressed(r, "ssn_reused"),
                  "same name (possible duplicate application): C-7");
    /* the same name alone never fires, whatever the date of birth says */
    v[0].same_dob = false;
    r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "ssn_reused"));
    /* and is listed, not counted, beside a different-name link */
    idr__link w[] = {L(IDR__LK_SSN, "C-7"), L(IDR__LK_SSN, "C-9")};
    w[0].same_name = true;
    r = score_links(EVERYTHING, w, 2);
    cr_assert_str_eq(rh_ev(r, "ssn_reused", "count"), "1");
    rh_assert_has(rh_ev(r, "ssn_reused", "not_counted"), "duplicate application): C-7");
}

/* The same name with another date of birth on both records is two people: counted. */
Test(linkage, ssn_reused_same_name_other_date_of_birth_counts) {
    idr__link v[] = {L(IDR__LK_SSN, "C-7")};
    v[0].same_name = true;
    v[0].dob_differs = true;
    cJSON *r = score_links(EVERYTHING, v, 1);
    cr_assert_not_null(rh_reason(r, "ssn_reused"));
    cr_assert_str_eq(rh_ev(r, "ssn_reused", "others"),
                     "C-7 (same name, another date of birth)");
}

/* ---- id_dup_contact_across_applicants ------------------------------------------- */

Test(linkage, dup_contact_lists_the_others_by_kind) {
    idr__link v[] = {L(IDR__LK_PHONE, "C-102"), L(IDR__LK_PHONE, "C-103"),
                     L(IDR__LK_REFERENCE_PHONE, "C-210"), L(IDR__LK_DEVICE, "C-102"),
                     L(IDR__LK_SHIPPING, "C-300")};
    cJSON *r = score_links(EVERYTHING, v, 5);
    cr_assert_str_eq(rh_ev(r, "id_dup_contact_across_applicants", "shared"),
                     "phone: C-102, C-103; reference phone: C-210; device: C-102");
    cr_assert_str_eq(rh_ev(r, "id_dup_contact_across_applicants", "count"), "3");
    cr_assert_str_eq(rh_ev(r, "id_dup_contact_across_applicants", "kinds"),
                     "phone, reference phone, device");
    rh_assert_has(rh_detail(r, "id_dup_contact_across_applicants"),
                  "3 other candidate(s) under a different name (phone, reference phone, "
                  "device): phone: C-102");
}

Test(linkage, dup_contact_same_name_alone_does_not_fire) {
    idr__link v[] = {L(IDR__LK_EMAIL, "C-5")};
    v[0].same_name = true;
    cJSON *r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "id_dup_contact_across_applicants"));
    rh_assert_has(rh_suppressed(r, "id_dup_contact_across_applicants"),
                  "same name (possible duplicate application): C-5");
}

Test(linkage, residence_shared_with_a_declared_household_or_surname_is_suppressed) {
    idr__link v[] = {L(IDR__LK_RESIDENCE, "C-5"), L(IDR__LK_RESIDENCE, "C-6")};
    v[0].declared_household = true;
    v[1].same_surname = true;
    cJSON *r = score_links(EVERYTHING, v, 2);
    cr_assert_null(rh_reason(r, "id_dup_contact_across_applicants"));
    const char *by = rh_suppressed(r, "id_dup_contact_across_applicants");
    rh_assert_has(by, "declared household (identity.household): C-5");
    rh_assert_has(by, "same surname at the address (likely household): C-6");
    /* a shared surname is a household hint only at an address: over a phone it counts */
    idr__link w[] = {L(IDR__LK_PHONE, "C-6")};
    w[0].same_surname = true;
    r = score_links(EVERYTHING, w, 1);
    cr_assert_not_null(rh_reason(r, "id_dup_contact_across_applicants"));
}

/* ---- adr_shared_by_hires ---------------------------------------------------------- */

Test(linkage, shared_shipping_address_fires_with_the_shipment) {
    idr__link v[] = {L(IDR__LK_SHIPPING, "C-40"), L(IDR__LK_SHIPPING, "C-41"),
                     L(IDR__LK_SHIPPING, "C-40")};
    cJSON *r = score_links(EVERYTHING, v, 3);
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "count"), "2");
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "others"), "C-40, C-41");
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "shipments"),
                     "shipment 1 (2025-05-10)");
    /* a residence link is id_dup_contact_across_applicants', not this one's */
    idr__link w[] = {L(IDR__LK_RESIDENCE, "C-40")};
    r = score_links(EVERYTHING, w, 1);
    cr_assert(rh_clean(r, "adr_shared_by_hires"));
}

Test(linkage, shared_shipping_address_household_is_suppressed_naming_it) {
    idr__link v[] = {L(IDR__LK_SHIPPING, "C-40")};
    v[0].declared_household = true;
    cJSON *r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "adr_shared_by_hires"));
    rh_assert_has(rh_suppressed(r, "adr_shared_by_hires"),
                  "declared household (identity.household): C-40");
    v[0].declared_household = false;
    v[0].same_surname = true;
    r = score_links(EVERYTHING, v, 1);
    rh_assert_has(rh_suppressed(r, "adr_shared_by_hires"), "likely household");
    v[0].same_surname = false;
    v[0].same_name = true;
    r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "adr_shared_by_hires"));
}

Test(linkage, shared_shipping_address_min_others_parameter) {
    idr_engine *eng =
        rh_engine_variant(NULL, "adr_shared_by_hires", "param.min_others = 2");
    idr__link v[] = {L(IDR__LK_SHIPPING, "C-40"), L(IDR__LK_SHIPPING, "C-41")};
    cJSON *r = score_on(eng, EVERYTHING, v, 1, NULL, 0, NULL);
    cr_assert(rh_clean(r, "adr_shared_by_hires"));
    r = score_on(eng, EVERYTHING, v, 2, NULL, 0, NULL);
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "min"), "2");
    idr_engine_free(eng);
}

/* ---- pay_shared_account ------------------------------------------------------------ */

Test(linkage, shared_account_and_wallet_fire) {
    idr__link v[] = {L(IDR__LK_ACCOUNT, "C-50"), L(IDR__LK_WALLET, "C-51")};
    cJSON *r = score_links(EVERYTHING, v, 2);
    cr_assert_str_eq(rh_ev(r, "pay_shared_account", "shared"),
                     "payout account: C-50; crypto wallet: C-51");
    cr_assert_str_eq(rh_ev(r, "pay_shared_account", "count"), "2");
}

Test(linkage, shared_account_of_two_eor_contractors_is_the_firms) {
    const char *eor = J({
        "candidate_id" : "C-1",
        "engagement" : {"type" : "eor_contractor", "staffing_firm" : "Deel"},
        "identity" : {"full_name" : "Dana Whitfield"},
        "payment" : {"method" : "bank_account", "account_id" : "DE89370400440532013000"}
    });
    idr__link v[] = {L(IDR__LK_ACCOUNT, "C-50")};
    v[0].other_eor = true;
    cJSON *r = score_links(eor, v, 1);
    cr_assert_null(rh_reason(r, "pay_shared_account"));
    const char *by = rh_suppressed(r, "pay_shared_account");
    rh_assert_has(by, "employer-of-record engagement with Deel");
    rh_assert_has(by, "C-50");
    /* only one side declared: not explained */
    v[0].other_eor = false;
    r = score_links(eor, v, 1);
    cr_assert_not_null(rh_reason(r, "pay_shared_account"));
    /* the same name on both records: a duplicate application */
    v[0].same_name = true;
    r = score_links(eor, v, 1);
    cr_assert_null(rh_reason(r, "pay_shared_account"));
}

/* ---- net_shared_egress ------------------------------------------------------------- */

Test(linkage, shared_ip_on_a_home_network_fires_with_the_day) {
    idr__link v[] = {L(IDR__LK_IP, "C-60"), L(IDR__LK_IP, "C-61")};
    v[0].own_index = v[1].own_index = 0; /* 81.2.69.142, an ISP's address */
    v[0].day = v[1].day = 20209;         /* 2025-05-01 */
    cJSON *r = score_links(EVERYTHING, v, 2);
    cr_assert_str_eq(rh_ev(r, "net_shared_egress", "count"), "2");
    cr_assert_str_eq(rh_ev(r, "net_shared_egress", "days"), "2025-05-01");
    cr_assert_str_eq(rh_ev(r, "net_shared_egress", "others"),
                     "C-60 (2025-05-01), C-61 (2025-05-01)");
    rh_assert_has(rh_detail(r, "net_shared_egress"), "On 2025-05-01");
}

Test(linkage, shared_ip_on_hosting_is_context_only) {
    idr__link v[] = {L(IDR__LK_IP, "C-60")};
    v[0].own_index = 1; /* 52.94.236.248: AWS, a hosting network */
    v[0].day = 20210;   /* 2025-05-02 */
    cJSON *r = score_links(EVERYTHING, v, 1);
    cr_assert_null(rh_reason(r, "net_shared_egress"));
    const char *by = rh_suppressed(r, "net_shared_egress");
    rh_assert_has(by, "many unrelated users share");
    rh_assert_has(by, "C-60 (2025-05-02, hosting network)");
    /* beside a counted link it is context in the evidence */
    idr__link w[] = {L(IDR__LK_IP, "C-60"), L(IDR__LK_IP, "C-70")};
    w[0].own_index = 1;
    w[1].own_index = 0;
    r = score_links(EVERYTHING, w, 2);
    cr_assert_str_eq(rh_ev(r, "net_shared_egress", "count"), "1");
    rh_assert_has(rh_ev(r, "net_shared_egress", "context"), "C-60");
}

Test(linkage, shared_ip_allow_listed_household_or_same_name_is_not_counted) {
    idr_engine *eng = test_engine_with(NULL, NULL, "81.2.69.0/24", NULL);
    idr__link v[] = {L(IDR__LK_IP, "C-60")};
    cJSON *r = score_on(eng, EVERYTHING, v, 1, NULL, 0, NULL);
    cr_assert(rh_clean(r, "net_shared_egress"));
    idr_engine_free(eng);
    v[0].declared_household = true;
    r = score_links(EVERYTHING, v, 1);
    rh_assert_has(rh_suppressed(r, "net_shared_egress"), "declared household");
    v[0].declared_household = false;
    v[0].same_name = true;
    r = score_links(EVERYTHING, v, 1);
    rh_assert_has(rh_suppressed(r, "net_shared_egress"), "duplicate application");
    /* an own_index past the sessions is ignored, not read */
    v[0].same_name = false;
    v[0].own_index = 7;
    r = score_links(EVERYTHING, v, 1);
    cr_assert(rh_clean(r, "net_shared_egress"));
}

/* ---- id_multi_persona_photo and wrk_resume_template_reuse ------------------------ */

Test(linkage, photo_within_the_distance_fires_and_farther_does_not) {
    idr__link v[] = {L(IDR__LK_PHOTO, "C-80"), L(IDR__LK_PHOTO, "C-81"),
                     L(IDR__LK_PHOTO, "C-82")};
    v[0].distance = 3;
    v[1].distance = 1;
    v[2].distance = 5; /* past the bound: never counted */
    cJSON *r = score_links(EVERYTHING, v, 3);
    cr_assert_str_eq(rh_ev(r, "id_multi_persona_photo", "others"),
                     "C-80 (distance 3), C-81 (distance 1)");
    cr_assert_str_eq(rh_ev(r, "id_multi_persona_photo", "closest"), "1");
    cr_assert_str_eq(rh_ev(r, "id_multi_persona_photo", "count"), "2");
    v[1].same_name = true;
    v[0].same_name = true;
    r = score_links(EVERYTHING, v, 3);
    cr_assert_null(rh_reason(r, "id_multi_persona_photo"));
    rh_assert_has(rh_suppressed(r, "id_multi_persona_photo"), "duplicate application");
}

Test(linkage, photo_max_distance_parameter) {
    idr_engine *eng =
        rh_engine_variant(NULL, "id_multi_persona_photo", "param.max_distance = 1");
    idr__link v[] = {L(IDR__LK_PHOTO, "C-80")};
    v[0].distance = 2;
    cJSON *r = score_on(eng, EVERYTHING, v, 1, NULL, 0, NULL);
    cr_assert(rh_clean(r, "id_multi_persona_photo"));
    v[0].distance = 1;
    r = score_on(eng, EVERYTHING, v, 1, NULL, 0, NULL);
    cr_assert_not_null(rh_reason(r, "id_multi_persona_photo"));
    idr_engine_free(eng);
}

Test(linkage, resume_near_duplicate_fires_within_three_bits) {
    idr__link v[] = {L(IDR__LK_RESUME, "C-90"), L(IDR__LK_RESUME, "C-91")};
    v[0].distance = 3;
    v[1].distance = 4;
    cJSON *r = score_links(EVERYTHING, v, 2);
    cr_assert_str_eq(rh_ev(r, "wrk_resume_template_reuse", "others"),
                     "C-90 (distance 3)");
    rh_assert_has(rh_detail(r, "wrk_resume_template_reuse"), "3 of 64 bits");
    v[0].same_name = true;
    r = score_links(EVERYTHING, v, 2);
    cr_assert_null(rh_reason(r, "wrk_resume_template_reuse"));
    rh_assert_has(rh_suppressed(r, "wrk_resume_template_reuse"), "C-90");
}

/* ---- wrk_referral_chain ------------------------------------------------------------ */

Test(linkage, referral_by_a_flagged_referrer_fires) {
    idr__referrer ref = {.found = true,
                         .id = "C-900",
                         .score = 45,
                         .action = IDR_ACTION_VERIFY,
                         .fired = "adr_forwarder_cmra,pay_third_party_account"};
    cJSON *r = score_on(rh_engine, EVERYTHING, NULL, 0, &ref, 0, NULL);
    cJSON *reason = rh_reason(r, "wrk_referral_chain");
    cr_assert_not_null(reason);
    cr_assert_str_eq(rh_str(reason, "severity"), "medium");
    cr_assert_str_eq(rh_ev(r, "wrk_referral_chain", "referrer_fired"),
                     "adr_forwarder_cmra, pay_third_party_account");
    cr_assert_str_eq(
        rh_detail(r, "wrk_referral_chain"),
        "The candidate was referred by C-900, whose own record scored 45 "
        "(action verify) with: adr_forwarder_cmra, pay_third_party_account.");
    /* below the threshold (band.medium, 20): clean */
    ref.score = 19;
    r = score_on(rh_engine, EVERYTHING, NULL, 0, &ref, 0, NULL);
    cr_assert(rh_clean(r, "wrk_referral_chain"));
    ref.score = 20;
    r = score_on(rh_engine, EVERYTHING, NULL, 0, &ref, 0, NULL);
    cr_assert_not_null(rh_reason(r, "wrk_referral_chain"));
}

Test(linkage, referrer_not_in_the_store_is_not_evaluated) {
    idr__referrer ref = {.found = false, .id = "C-900"};
    cJSON *r = score_on(rh_engine, EVERYTHING, NULL, 0, &ref, 0, NULL);
    cr_assert_str_eq(rh_not_evaluated(r, "wrk_referral_chain"),
                     "referrer C-900 is not in the store");
}

/* ---- what every linkage reason shares ------------------------------------------- */

Test(linkage, evidence_never_holds_an_identifier_value) {
    idr__link v[] = {L(IDR__LK_SSN, "C-2"),      L(IDR__LK_PHONE, "C-3"),
                     L(IDR__LK_EMAIL, "C-4"),    L(IDR__LK_RESIDENCE, "C-5"),
                     L(IDR__LK_SHIPPING, "C-6"), L(IDR__LK_ACCOUNT, "C-7"),
                     L(IDR__LK_WALLET, "C-8"),   L(IDR__LK_IP, "C-9"),
                     L(IDR__LK_PHOTO, "C-10"),   L(IDR__LK_RESUME, "C-11")};
    cJSON *r = score_links(EVERYTHING, v, sizeof v / sizeof v[0]);
    const char *fired[] = {"ssn_reused",
                           "id_dup_contact_across_applicants",
                           "adr_shared_by_hires",
                           "pay_shared_account",
                           "net_shared_egress",
                           "id_multi_persona_photo",
                           "wrk_resume_template_reuse"};
    for (size_t i = 0; i < sizeof fired / sizeof fired[0]; i++) {
        cr_assert_not_null(rh_reason(r, fired[i]), "%s did not fire", fired[i]);
    }
    char *text = explained(r);
    static const char *const values[] = {
        "7788",   "401-22",     "401227788", "5550123",   "4045550123",  "dana.w",
        "Elm St", "Oak Ave",    "37201",     "30301",     "GB29",        "13319",
        "0xabc",  "9876543210", "81.2.69",   "c3a5f00ff", "Go and React"};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        cr_assert_null(strstr(text, values[i]), "\"%s\" appears in %s", values[i], text);
    }
    free(text);
}

Test(linkage, evidence_lists_are_bounded_and_the_count_is_complete) {
    static idr__link v[60];
    static char ids[60][16];
    for (size_t i = 0; i < 60; i++) {
        snprintf(ids[i], sizeof ids[i], "C-%03zu", i);
        v[i] = L(IDR__LK_SHIPPING, ids[i]);
    }
    cJSON *r = score_on(rh_engine, EVERYTHING, v, 60, NULL, 5, NULL);
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "count"), "60");
    rh_assert_has(rh_ev(r, "adr_shared_by_hires", "others"), "C-019, and 40 more");
    cr_assert_null(strstr(rh_ev(r, "adr_shared_by_hires", "others"), "C-020"));
    cr_assert_str_eq(rh_ev(r, "adr_shared_by_hires", "not_read"), "5");
}

Test(linkage, scoring_is_deterministic) {
    idr__link v[] = {L(IDR__LK_SSN, "C-2"), L(IDR__LK_PHONE, "C-3"),
                     L(IDR__LK_SHIPPING, "C-6"), L(IDR__LK_IP, "C-9"),
                     L(IDR__LK_RESUME, "C-11")};
    v[2].same_surname = true;
    idr__referrer ref = {.found = true, .id = "C-900", .score = 50, .fired = "x,y"};
    char *a = NULL, *b = NULL;
    score_on(rh_engine, EVERYTHING, v, 5, &ref, 0, &a);
    score_on(rh_engine, EVERYTHING, v, 5, &ref, 0, &b);
    /* evaluated_at is the only field allowed to differ: take it out of both */
    cJSON *ja = cJSON_Parse(a), *jb = cJSON_Parse(b);
    cr_assert(ja && jb);
    cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(ja, "evaluated_at"));
    cJSON_DeleteItemFromObjectCaseSensitive(ja, "evaluated_at");
    cJSON_DeleteItemFromObjectCaseSensitive(jb, "evaluated_at");
    char *ta = cJSON_PrintUnformatted(ja), *tb = cJSON_PrintUnformatted(jb);
    cr_assert_str_eq(ta, tb);
    cr_assert_not_null(rh_reason(ja, "ssn_reused"));
    free(ta);
    free(tb);
    cJSON_Delete(ja);
    cJSON_Delete(jb);
    idr_free(a);
    idr_free(b);
}

Test(linkage, linked_score_adds_the_points_of_the_reasons) {
    cJSON *r = score_links(EVERYTHING, NULL, 0);
    int base = rh_score_of(r);
    idr__link v[] = {L(IDR__LK_SSN, "C-2")};
    r = score_links(EVERYTHING, v, 1);
    cJSON *pts = cJSON_GetObjectItemCaseSensitive(rh_reason(r, "ssn_reused"), "points");
    cr_assert(cJSON_IsNumber(pts));
    int want = base + (int)pts->valuedouble;
    cr_assert_eq(rh_score_of(r), want > 100 ? 100 : want);
}

/* ---- out of memory ----------------------------------------------------------------- */

typedef struct failing {
    long count, fail_at, failed;
} failing;

static void *f_malloc(void *ctx, size_t n) {
    failing *f = ctx;
    if (f->fail_at && ++f->count >= f->fail_at) {
        f->failed++;
        return NULL;
    }
    return malloc(n);
}

static void *f_realloc(void *ctx, void *p, size_t n) {
    failing *f = ctx;
    if (f->fail_at && ++f->count >= f->fail_at) {
        f->failed++;
        return NULL;
    }
    return realloc(p, n);
}

static void f_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* Every allocation of a linked scoring run fails once (and every later one, as a full
 * heap): the call returns IDR_ENOMEM, never a result missing a reason. */
Test(linkage, out_of_memory_while_evaluating_links_is_reported) {
    failing f = {0, 0, 0};
    idr_allocator al = {f_malloc, f_realloc, f_free, &f};
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK);
    cr_assert_eq(idr_config_set_allocator(cfg, &al, &err), IDR_OK);
    idr_engine *eng = NULL;
    cr_assert_eq(idr_engine_new(&eng, cfg, &err), IDR_OK, "%s", err.message);
    idr_config_free(cfg);
    const char *json = EVERYTHING;
    idr_candidate *c = NULL;
    cr_assert_eq(idr_candidate_from_json(&c, eng, json, strlen(json), &err), IDR_OK);
    static idr__link v[40];
    static char ids[40][16];
    for (size_t i = 0; i < 40; i++) {
        snprintf(ids[i], sizeof ids[i], "C-%02zu", i);
        v[i] = L((idr__link_kind)(i % IDR__LK_REFERRER), ids[i]);
        v[i].same_surname = i % 3 == 0;
        v[i].distance = 1;
    }
    idr__links links;
    memset(&links, 0, sizeof links);
    links.v = v;
    links.n = 40;
    links.referrer = (idr__referrer){true, "C-900", 60, 1, "a,b,c"};
    long n = 1;
    for (;; n++) {
        f.count = 0;
        f.failed = 0;
        f.fail_at = n;
        idr_result *res = NULL;
        int rc = idr__engine_score_with_links(eng, c, &links, &res, &err);
        f.fail_at = 0;
        cr_assert(rc == IDR_OK || rc == IDR_ENOMEM, "allocation %ld: rc %d", n, rc);
        if (f.failed) {
            cr_assert_eq(rc, IDR_ENOMEM, "allocation %ld failed but the call succeeded",
                         n);
            cr_assert_null(res);
            continue;
        }
        cr_assert_eq(rc, IDR_OK);
        cr_assert_eq(idr_result_reason_count(res) > 5, true);
        idr_result_free(res);
        break;
    }
    cr_assert_gt(n, 1);
    idr_candidate_free(c);
    idr_engine_free(eng);
}
