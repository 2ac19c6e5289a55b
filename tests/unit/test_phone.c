/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_phone.c - phone enrichment, `idr_engine_lookup_phone` and the phone indicators
 * through the public API, on libphonenumber's real metadata and offline geocoder
 * (Debian 8.12). The engine uses the repository's default rule pack.
 */
#include "../rules_helpers.h"
#include "internal.h" /* IDR__VIEW_MAX_PHONES */

TestSuite(phone, .init = rh_setup, .fini = rh_teardown);

/* ---- lookup ------------------------------------------------------------------- */

static cJSON *lookup(const char *number, const char *country) {
    char *out = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_lookup_phone(rh_engine, number, country, &out, &err);
    cr_assert_eq(rc, IDR_OK, "lookup %s: %s", number, err.message);
    cJSON_Delete(rh_last);
    rh_last = cJSON_Parse(out);
    idr_free(out);
    cr_assert_not_null(rh_last);
    return rh_last;
}

Test(phone, lookup_nanp_number_geocodes_to_its_state) {
    cJSON *j = lookup("+1 612-555-0123", NULL);
    cr_assert_str_eq(rh_str(j, "e164"), "+16125550123");
    cr_assert_str_eq(rh_str(j, "region"), "US");
    cr_assert_str_eq(rh_str(j, "area"), "Minnesota");
    cr_assert_str_eq(rh_str(j, "type"), "fixed_line_or_mobile");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "valid")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "carrier")));
    rh_assert_has(rh_str(j, "carrier_note"), "map to places, not carriers");
}

Test(phone, lookup_national_number_with_country) {
    cJSON *j = lookup("020 7946 0000", "gb");
    cr_assert_str_eq(rh_str(j, "e164"), "+442079460000");
    cr_assert_str_eq(rh_str(j, "country_hint"), "GB");
    cr_assert_str_eq(rh_str(j, "area"), "London");
    cr_assert_str_eq(rh_str(j, "type"), "fixed_line");
    cr_assert_str_eq(rh_str(j, "national"), "020 7946 0000");
}

Test(phone, lookup_invalid_number_is_answered) {
    cJSON *j = lookup("+1 212 055 1234", NULL);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "valid")));
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "possible")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "area")));
}

Test(phone, lookup_errors_name_the_field) {
    char *out = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_lookup_phone(rh_engine, "hello", NULL, &out, &err),
                 IDR_EINVAL);
    cr_assert_null(out);
    cr_assert_str_eq(err.field, "number");
    rh_assert_has(err.message, "not a phone number");
    cr_assert_eq(idr_engine_lookup_phone(rh_engine, "020 7946 0000", "QQ", &out, &err),
                 IDR_EINVAL);
    cr_assert_str_eq(err.field, "country");
    cr_assert_eq(idr_engine_lookup_phone(rh_engine, "020 7946 0000", NULL, &out, &err),
                 IDR_EINVAL);
    rh_assert_has(err.message, "country calling code");
    cr_assert_eq(idr_engine_lookup_phone(rh_engine, "", NULL, &out, &err), IDR_EINVAL);
    cr_assert_eq(idr_engine_lookup_phone(rh_engine, "+1", NULL, NULL, &err), IDR_EINVAL);
}

/* ---- enrichment ----------------------------------------------------------------- */

static cJSON *enriched_phone(cJSON *res, const char *arr, int i) {
    cJSON *en = cJSON_GetObjectItem(res, "enrichment");
    cJSON *a = en ? cJSON_GetObjectItem(en, arr) : NULL;
    cJSON *p = a ? cJSON_GetArrayItem(a, i) : NULL;
    cr_assert_not_null(p, "enrichment.%s[%d] missing", arr, i);
    return p;
}

Test(phone, enrichment_uses_residence_country_as_hint) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p1",
        "identity" : {"residence" : {"country" : "DE", "city" : "Berlin"}},
        "contacts" : {"phones" : [ "030 123456", {"number" : "+81 3-1234-5678"} ]}
    }));
    cJSON *p = enriched_phone(r, "phones", 0);
    cr_assert_str_eq(rh_str(p, "e164"), "+4930123456");
    cr_assert_str_eq(rh_str(p, "parsed_with"), "DE");
    cr_assert_str_eq(rh_str(p, "area"), "Berlin");
    cr_assert_str_eq(rh_str(p, "type_source"), "libphonenumber");
    p = enriched_phone(r, "phones", 1);
    cr_assert_str_eq(rh_str(p, "region"), "JP");
    cr_assert_str_eq(rh_str(p, "area"), "Tokyo");
}

Test(phone, country_hint_beats_residence) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p2",
        "identity" : {"residence" : {"country" : "US"}},
        "contacts" : {"phones" : [ {"number" : "020 7946 0000", "country_hint" : "GB"} ]}
    }));
    cJSON *p = enriched_phone(r, "phones", 0);
    cr_assert_str_eq(rh_str(p, "e164"), "+442079460000");
    cr_assert_str_eq(rh_str(p, "parsed_with"), "GB");
}

Test(phone, carrier_lookup_line_type_wins) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p3",
        "identity" : {"residence" : {"country" : "GB"}},
        "contacts" : {
            "phones" : [ {
                "number" : "+44 56 1234 5678",
                "line_type" : "mobile",
                "carrier" : "Example Mobile"
            } ]
        }
    }));
    cJSON *p = enriched_phone(r, "phones", 0);
    cr_assert_str_eq(rh_str(p, "type"), "mobile");
    cr_assert_str_eq(rh_str(p, "type_source"), "carrier_lookup");
    cr_assert_str_eq(rh_str(p, "metadata_type"), "voip");
    cr_assert_str_eq(rh_str(p, "carrier"), "Example Mobile");
    cr_assert_str_eq(rh_str(p, "carrier_confidence"), "low");
    cr_assert(rh_clean(r, "phn_voip_nonfixed"));
}

Test(phone, reference_phones_are_enriched_in_order) {
    cJSON *r = rh_score(J({
        "candidate_id" : "p4",
        "identity" : {"residence" : {"country" : "US"}},
        "work_history" : {
            "employers" : [
                {
                    "name" : "Acme",
                    "references" :
                        [ {"name" : "A"}, {"name" : "B", "phone" : "(415) 555-0100"} ]
                },
                {
                    "name" : "Beta",
                    "references" : [ {"name" : "C", "phone" : "+44 56 1234 5678"} ]
                }
            ]
        }
    }));
    cJSON *p = enriched_phone(r, "reference_phones", 0);
    cr_assert_str_eq(rh_str(p, "reference"), "B");
    cr_assert_str_eq(rh_str(p, "area"), "San Francisco, CA");
    p = enriched_phone(r, "reference_phones", 1);
    cr_assert_str_eq(rh_str(p, "employer"), "Beta");
    cr_assert_str_eq(rh_str(p, "type"), "voip");
}

/* ---- phn_voip_nonfixed --------------------------------------------------------- */

Test(phone, voip_from_metadata_says_it_is_weaker) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v1",
        "identity" : {"residence" : {"country" : "GB"}},
        "contacts" : {"phones" : ["+44 56 1234 5678"]}
    }));
    cr_assert_not_null(rh_reason(r, "phn_voip_nonfixed"));
    cr_assert_str_eq(rh_ev(r, "phn_voip_nonfixed", "source"),
                     "libphonenumber metadata only");
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"), "+445612345678 (candidate)");
}

Test(phone, voip_from_carrier_lookup) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v2",
        "contacts" : {
            "phones" : [ {"number" : "+1 612 555 0123", "line_type" : "non_fixed_voip"} ]
        }
    }));
    cr_assert_str_eq(rh_ev(r, "phn_voip_nonfixed", "source"), "carrier lookup");
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"),
                  "non-fixed VoIP line per the carrier");
    r = rh_score(J({
        "candidate_id" : "v2b",
        "contacts" :
            {"phones" : [ {"number" : "+1 612 555 0123", "line_type" : "prepaid"} ]}
    }));
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"), "prepaid line");
}

Test(phone, fixed_voip_and_landline_are_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v3",
        "contacts" : {
            "phones" : [
                {"number" : "+44 56 1234 5678", "line_type" : "fixed_voip"},
                {"number" : "+1 612 555 0123", "line_type" : "landline"}
            ]
        }
    }));
    cr_assert(rh_clean(r, "phn_voip_nonfixed"));
}

Test(phone, newly_seen_or_ported_number) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v4",
        "as_of" : "2026-11-20T12:00:00Z",
        "contacts" :
            {"phones" : [ {"number" : "+1 612 555 0123", "first_seen" : "2026-11-10"} ]}
    }));
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"),
                  "first seen 2026-11-10, 10 day(s) before the as-of date");
    r = rh_score(J({
        "candidate_id" : "v5",
        "as_of" : "2026-11-20T12:00:00Z",
        "network" : {
            "sessions" : [ {
                "ip" : "192.0.2.1",
                "at" : "2026-10-01T10:00:00Z",
                "event" : "application"
            } ]
        },
        "contacts" :
            {"phones" : [ {"number" : "+1 612 555 0123", "ported_at" : "2026-09-20"} ]}
    }));
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"),
                  "ported 2026-09-20, 11 day(s) before the application (2026-10-01)");
    /* 31 days is not new. */
    r = rh_score(J({
        "candidate_id" : "v6",
        "as_of" : "2026-11-20T12:00:00Z",
        "contacts" :
            {"phones" : [ {"number" : "+1 612 555 0123", "first_seen" : "2026-10-20"} ]}
    }));
    cr_assert(rh_clean(r, "phn_voip_nonfixed"));
}

Test(phone, reference_on_voip_range) {
    cJSON *r = rh_score(J({
        "candidate_id" : "v7",
        "contacts" : {"phones" : ["+1 612 555 0123"]},
        "work_history" : {
            "employers" : [ {
                "name" : "Acme",
                "references" : [ {"name" : "Pat", "phone" : "+44 56 1234 5678"} ]
            } ]
        }
    }));
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"), "reference Pat (Acme)");
}

Test(phone, no_phones_not_evaluated) {
    cJSON *r = rh_score(J({"candidate_id" : "v8"}));
    cr_assert_not_null(rh_not_evaluated(r, "phn_voip_nonfixed"));
    cr_assert_not_null(rh_not_evaluated(r, "phn_invalid_number"));
    cr_assert_not_null(rh_not_evaluated(r, "phn_region_mismatch"));
    cr_assert_not_null(rh_not_evaluated(r, "phn_reference_is_candidate"));
}

/* ---- phn_invalid_number -------------------------------------------------------- */

Test(phone, invalid_number_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i1",
        "contacts" : {"phones" : [ "+1 212 055 1234", "not a number", "+1 612 555 0123" ]}
    }));
    cr_assert_str_eq(rh_ev(r, "phn_invalid_number", "count"), "2");
    rh_assert_has(rh_detail(r, "phn_invalid_number"), "+12120551234 (candidate)");
    rh_assert_has(rh_detail(r, "phn_invalid_number"), "not a phone number");
}

Test(phone, invalid_number_cleared_by_live_line) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i2",
        "contacts" :
            {"phones" : [ {"number" : "+1 212 055 1234", "line_type" : "mobile"} ]}
    }));
    cr_assert_null(rh_reason(r, "phn_invalid_number"));
    rh_assert_has(rh_suppressed(r, "phn_invalid_number"), "live mobile line");
}

Test(phone, valid_numbers_are_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "i3",
        "identity" : {"residence" : {"country" : "IN"}},
        "contacts" : {"phones" : ["98765 43210"]}
    }));
    cr_assert(rh_clean(r, "phn_invalid_number"));
}

/* ---- phn_region_mismatch ------------------------------------------------------- */

Test(phone, nanp_state_mismatch) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r1",
        "identity" :
            {"residence" : {"country" : "US", "region" : "GA", "city" : "Atlanta"}},
        "contacts" : {"phones" : ["(612) 555-0123"]}
    }));
    rh_assert_has(rh_detail(r, "phn_region_mismatch"), "geocoded to Minnesota (MN)");
    cr_assert_str_eq(rh_ev(r, "phn_region_mismatch", "residence"), "GA, US");
}

Test(phone, nanp_state_names_and_codes_agree) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r2",
        "identity" : {"residence" : {"country" : "US", "region" : "Georgia"}},
        "contacts" : {"phones" : ["+1 404 555 0123"]}
    }));
    cr_assert(rh_clean(r, "phn_region_mismatch"));
    r = rh_score(J({
        "candidate_id" : "r3",
        "identity" : {"residence" : {"country" : "US", "region" : "ca"}},
        "contacts" : {"phones" : ["+1 415 555 0100"]}
    }));
    cr_assert(rh_clean(r, "phn_region_mismatch"));
}

Test(phone, country_mismatch) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r4",
        "identity" : {"residence" : {"country" : "US", "region" : "GA"}},
        "contacts" : {"phones" : ["+44 20 7946 0000"]}
    }));
    rh_assert_has(rh_detail(r, "phn_region_mismatch"), "is a GB number (London)");
}

Test(phone, declared_work_country_clears) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r5",
        "engagement" : {"type" : "eor_contractor", "declared_work_country" : "GB"},
        "identity" : {"residence" : {"country" : "US"}},
        "contacts" : {"phones" : ["+44 20 7946 0000"]}
    }));
    cr_assert_null(rh_reason(r, "phn_region_mismatch"));
    rh_assert_has(rh_suppressed(r, "phn_region_mismatch"), "declared work country");
}

Test(phone, mobile_line_clears_state_mismatch) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r6",
        "identity" : {"residence" : {"country" : "US", "region" : "GA"}},
        "contacts" :
            {"phones" : [ {"number" : "(612) 555-0123", "line_type" : "mobile"} ]}
    }));
    cr_assert_null(rh_reason(r, "phn_region_mismatch"));
    rh_assert_has(rh_suppressed(r, "phn_region_mismatch"), "keep their area code");
}

Test(phone, us_territory_counts_as_us) {
    cJSON *r = rh_score(J({
        "candidate_id" : "r7",
        "identity" : {"residence" : {"country" : "US", "region" : "PR"}},
        "contacts" : {"phones" : ["+1 787 555 1234"]}
    }));
    cr_assert(rh_clean(r, "phn_region_mismatch"));
}

Test(phone, crown_dependency_counts_as_gb) {
    /* +44 7911 12xxxx is a Guernsey mobile range in the metadata. */
    cJSON *r = rh_score(J({
        "candidate_id" : "r9",
        "identity" : {"residence" : {"country" : "GB"}},
        "contacts" : {"phones" : ["+44 7911 123456"]}
    }));
    cJSON *p = enriched_phone(r, "phones", 0);
    cr_assert_str_eq(rh_str(p, "region"), "GG");
    cr_assert(rh_clean(r, "phn_region_mismatch"));
}

Test(phone, no_residence_not_evaluated) {
    cJSON *r = rh_score(
        J({"candidate_id" : "r8", "contacts" : {"phones" : ["+44 20 7946 0000"]}}));
    rh_assert_has(rh_not_evaluated(r, "phn_region_mismatch"), "no residence country");
}

/* ---- phn_reference_is_candidate ------------------------------------------------- */

Test(phone, reference_gives_candidates_number) {
    cJSON *r = rh_score(J({
        "candidate_id" : "s1",
        "identity" : {"residence" : {"country" : "US"}},
        "contacts" : {"phones" : ["+1 (612) 555-0123"]},
        "work_history" : {
            "employers" : [
                {
                    "name" : "Acme",
                    "references" : [ {"name" : "Jo Roe", "phone" : "612.555.0123"} ]
                },
                {
                    "name" : "Beta",
                    "references" : [ {"name" : "Al Poe", "phone" : "+1 415 555 0100"} ]
                }
            ]
        }
    }));
    cr_assert_str_eq(rh_ev(r, "phn_reference_is_candidate", "number"), "+16125550123");
    cr_assert_str_eq(rh_ev(r, "phn_reference_is_candidate", "references"),
                     "reference Jo Roe (Acme)");
    cr_assert_str_eq(rh_ev(r, "phn_reference_is_candidate", "count"), "1");
}

Test(phone, distinct_reference_numbers_are_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "s2",
        "identity" : {"residence" : {"country" : "US"}},
        "contacts" : {"phones" : ["+1 612 555 0123"]},
        "work_history" : {
            "employers" : [ {
                "name" : "Beta",
                "references" : [ {"name" : "Al", "phone" : "+1 612 555 0124"} ]
            } ]
        }
    }));
    cr_assert(rh_clean(r, "phn_reference_is_candidate"));
    r = rh_score(
        J({"candidate_id" : "s3", "contacts" : {"phones" : ["+1 612 555 0123"]}}));
    cr_assert_not_null(rh_not_evaluated(r, "phn_reference_is_candidate"));
}

/* ---- many numbers ----------------------------------------------------------------- */

Test(phone, many_numbers_are_bounded) {
    /* 600 references: the first 255 get looked up (the candidate's number takes one of
     * the 256 lookups), the rest are listed as not looked up and, being given as digits
     * only, are still compared with the candidate's number. */
    size_t cap = 64 * 1024, n = 0;
    char *json = malloc(cap);
    cr_assert_not_null(json);
    n += (size_t)snprintf(json + n, cap - n,
                          "{\"candidate_id\":\"m1\",\"identity\":{\"residence\":"
                          "{\"country\":\"US\"}},\"contacts\":{\"phones\":[\"+1 612 555 "
                          "0123\"]},\"work_history\":{\"employers\":[{\"name\":\"Acme\","
                          "\"references\":[");
    for (int i = 0; i < 600; i++) {
        n += (size_t)snprintf(json + n, cap - n, "%s{\"name\":\"R%d\",\"phone\":\"%s\"}",
                              i ? "," : "", i, i % 2 ? "6125550123" : "+1 212 055 1234");
    }
    n += (size_t)snprintf(json + n, cap - n, "]}]}}");
    cr_assert_lt(n, cap);
    cJSON *r = rh_score(json);
    free(json);
    cr_assert_str_eq(rh_ev(r, "phn_reference_is_candidate", "count"), "300");
    rh_assert_has(rh_ev(r, "phn_reference_is_candidate", "references"), "and 290 more");
    /* Only looked-up references can be invalid: 128 of the 255 looked up. */
    cr_assert_str_eq(rh_ev(r, "phn_invalid_number", "count"), "128");
    rh_assert_has(rh_detail(r, "phn_invalid_number"), "and 118 more");
    /* The result keeps the first IDR__VIEW_MAX_PHONES references' phones and counts
     * the rest (docs/input-limits.md "Output bounds"). */
    cJSON *p = enriched_phone(r, "reference_phones", IDR__VIEW_MAX_PHONES - 1);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(p, "parsed")));
    cJSON *en = cJSON_GetObjectItem(r, "enrichment");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(en, "reference_phones")),
                 IDR__VIEW_MAX_PHONES);
    cJSON *om = cJSON_GetObjectItem(en, "reference_phones_omitted");
    cr_assert(cJSON_IsNumber(om));
    cr_assert_eq(om->valueint, 600 - IDR__VIEW_MAX_PHONES);
}
