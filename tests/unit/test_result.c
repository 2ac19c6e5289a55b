/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_result.c - the result read as data through the public accessors: NULL results
 * and out-of-range indices, enum codes that agree with the strings, typed evidence,
 * notes, warnings, enrichment that outlives the candidate, and, for every example
 * candidate, every accessor agreeing member by member with the result's JSON form.
 */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "idrisk/idrisk.h"

static idr_engine *eng;

/* The defaults: the data and lists directories ctest puts in the environment, so the
 * enrichment is as rich as this machine's data allows. The JSON agreement tests hold
 * whatever is loaded. */
static void setup(void) {
    idr_error err;
    idr_config *cfg = NULL;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
}

static void teardown(void) {
    idr_engine_free(eng);
}

TestSuite(result, .init = setup, .fini = teardown);

#define AS_OF "\"as_of\":\"2026-03-01T12:00:00Z\""

static idr_result *score(const char *json) {
    idr_result *res = NULL;
    idr_error err;
    int rc = idr_engine_score_json(eng, json, strlen(json), &res, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    return res;
}

static size_t find(const idr_result *res, const char *id) {
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        if (strcmp(idr_result_reason(res, i)->id, id) == 0) {
            return i;
        }
    }
    cr_assert_fail("%s did not fire", id);
    return 0;
}

static const idr_evidence *evidence(const idr_result *res, size_t r, const char *key) {
    for (size_t i = 0; i < idr_result_evidence_count(res, r); i++) {
        if (strcmp(idr_result_evidence(res, r, i)->key, key) == 0) {
            return idr_result_evidence(res, r, i);
        }
    }
    return NULL;
}

/* ---- NULL and out of range ------------------------------------------------------ */

Test(result, null_result_answers_nothing) {
    cr_assert_eq(idr_result_band_code(NULL), IDR_BAND_LOW);
    cr_assert_eq(idr_result_action_code(NULL), IDR_ACTION_NONE);
    cr_assert_str_eq(idr_result_band(NULL), "low");
    cr_assert_str_eq(idr_result_action(NULL), "none");
    cr_assert_eq(idr_result_as_of(NULL), 0);
    cr_assert_eq(idr_result_evaluated_at(NULL), 0);
    cr_assert_eq(idr_result_evidence_count(NULL, 0), 0);
    cr_assert_null(idr_result_evidence(NULL, 0, 0));
    cr_assert_eq(idr_result_suppressed_count(NULL), 0);
    cr_assert_null(idr_result_suppressed(NULL, 0));
    cr_assert_eq(idr_result_not_evaluated_count(NULL), 0);
    cr_assert_null(idr_result_not_evaluated(NULL, 0));
    cr_assert_eq(idr_result_warning_count(NULL), 0);
    cr_assert_null(idr_result_warning(NULL, 0));
    cr_assert_eq(idr_result_session_count(NULL), 0);
    cr_assert_null(idr_result_session(NULL, 0));
    cr_assert_eq(idr_result_phone_count(NULL), 0);
    cr_assert_null(idr_result_phone(NULL, 0));
    cr_assert_eq(idr_result_reference_phone_count(NULL), 0);
    cr_assert_null(idr_result_reference_phone(NULL, 0));
    cr_assert_eq(idr_result_email_count(NULL), 0);
    cr_assert_null(idr_result_email(NULL, 0));
    cr_assert_null(idr_result_residence(NULL));
    cr_assert_null(idr_result_ruleset(NULL));
    cr_assert_eq(idr_result_data_count(NULL), 0);
    cr_assert_null(idr_result_data(NULL, 0));
}

Test(result, out_of_range_indices_give_null) {
    idr_result *res =
        score("{\"candidate_id\":\"o\"," AS_OF ",\"identity\":{\"ssn\":\"666-12-3456\"},"
              "\"contacts\":{\"emails\":[{\"address\":\"a@example.com\"}],"
              "\"phones\":[{\"number\":\"+14045550123\"}]},"
              "\"network\":{\"sessions\":[{\"ip\":\"8.8.8.8\"}]},"
              "\"bogus_field\":1}");
    size_t nr = idr_result_reason_count(res);
    cr_assert_gt(nr, 0);
    cr_assert_eq(idr_result_evidence_count(res, nr), 0);
    cr_assert_null(idr_result_evidence(res, nr, 0));
    cr_assert_null(idr_result_evidence(res, 0, idr_result_evidence_count(res, 0)));
    cr_assert_null(idr_result_evidence(res, (size_t)-1, 0));
    cr_assert_null(idr_result_suppressed(res, idr_result_suppressed_count(res)));
    cr_assert_null(idr_result_not_evaluated(res, idr_result_not_evaluated_count(res)));
    cr_assert_null(idr_result_warning(res, idr_result_warning_count(res)));
    cr_assert_eq(idr_result_session_count(res), 1);
    cr_assert_not_null(idr_result_session(res, 0));
    cr_assert_null(idr_result_session(res, 1));
    cr_assert_null(idr_result_phone(res, idr_result_phone_count(res)));
    cr_assert_null(
        idr_result_reference_phone(res, idr_result_reference_phone_count(res)));
    cr_assert_eq(idr_result_email_count(res), 1);
    cr_assert_null(idr_result_email(res, 1));
    cr_assert_null(idr_result_data(res, idr_result_data_count(res)));
    cr_assert_null(idr_result_data(res, (size_t)-1));
    idr_result_free(res);
}

/* ---- codes and strings ---------------------------------------------------------- */

static const char *const band_names[] = {"low", "medium", "high", "critical"};
static const char *const action_names[] = {"none", "verify", "escalate"};
static const char *const severity_names[] = {"low", "medium", "high", "critical"};

static void assert_codes_agree(const idr_result *res) {
    idr_band b = idr_result_band_code(res);
    idr_action a = idr_result_action_code(res);
    cr_assert(b >= IDR_BAND_LOW && b <= IDR_BAND_CRITICAL);
    cr_assert(a >= IDR_ACTION_NONE && a <= IDR_ACTION_ESCALATE);
    cr_assert_str_eq(idr_result_band(res), band_names[b]);
    cr_assert_str_eq(idr_result_action(res), action_names[a]);
    idr_action by_band = b == IDR_BAND_CRITICAL ? IDR_ACTION_ESCALATE
                         : b == IDR_BAND_LOW    ? IDR_ACTION_NONE
                                                : IDR_ACTION_VERIFY;
    /* The band's action, raised to verify by the low-coverage floor (docs/scoring.md),
     * never lowered. */
    bool low = idr_result_coverage(res)->low != 0;
    cr_assert_eq(a, low && by_band == IDR_ACTION_NONE ? IDR_ACTION_VERIFY : by_band);
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        const idr_reason *r = idr_result_reason(res, i);
        cr_assert(r->severity_code >= IDR_SEVERITY_LOW &&
                  r->severity_code <= IDR_SEVERITY_CRITICAL);
        cr_assert_str_eq(r->severity, severity_names[r->severity_code], "%s", r->id);
        if (r->severity_code == IDR_SEVERITY_CRITICAL) {
            cr_assert_eq(b, IDR_BAND_CRITICAL, "a critical reason forces band critical");
        }
        if (i > 0) {
            /* Most important first: points, then the severity code. */
            const idr_reason *p = idr_result_reason(res, i - 1);
            cr_assert(p->points > r->points ||
                      (p->points == r->points && p->severity_code >= r->severity_code));
        }
    }
}

Test(result, codes_agree_with_strings_across_bands) {
    const char *cases[] = {
        "{\"candidate_id\":\"l\"," AS_OF "}",
        "{\"candidate_id\":\"m\"," AS_OF ",\"identity\":{\"ssn\":\"666-12-3456\"}}",
        "{\"candidate_id\":\"c\"," AS_OF ",\"identity\":{\"ssn\":\"666-12-3456\"},"
        "\"payment\":{\"method\":\"crypto\",\"account_holder_name\":\"Someone Else\"},"
        "\"interviews\":[{\"mode\":\"video\",\"deepfake_suspected\":true,"
        "\"camera_on\":false}],\"workflow\":{\"refused_in_person_i9\":true}}",
    };
    bool seen[4] = {false};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idr_result *res = score(cases[i]);
        assert_codes_agree(res);
        seen[idr_result_band_code(res)] = true;
        idr_result_free(res);
    }
    cr_assert(seen[IDR_BAND_LOW]);
    cr_assert(seen[IDR_BAND_CRITICAL] || seen[IDR_BAND_HIGH] || seen[IDR_BAND_MEDIUM]);
}

/* ---- typed evidence, notes, warnings -------------------------------------------- */

Test(result, evidence_is_typed) {
    idr_result *res =
        score("{\"candidate_id\":\"e\"," AS_OF ",\"identity\":{\"ssn\":\"666-12-3456\"},"
              "\"documents\":[{\"type\":\"passport\",\"issuing_country\":\"US\","
              "\"verification\":{\"synthetic_face_score\":0.97}}],"
              "\"interviews\":[{\"mode\":\"video\",\"camera_on\":false},"
              "{\"mode\":\"video\",\"camera_on\":false}]}");
    size_t r = find(res, "ssn_invalid_structure");
    const idr_evidence *ev = evidence(res, r, "ssn_last4");
    cr_assert_not_null(ev);
    cr_assert_eq(ev->value.type, IDR_VALUE_STRING);
    cr_assert_str_eq(ev->value.str, "3456");

    r = find(res, "int_camera_refusal");
    ev = evidence(res, r, "count");
    cr_assert_not_null(ev);
    cr_assert_eq(ev->value.type, IDR_VALUE_INT);
    cr_assert_eq(ev->value.integer, 2);
    cr_assert_null(ev->value.str);

    r = find(res, "id_stock_or_ai_photo");
    ev = evidence(res, r, "highest_score");
    cr_assert_not_null(ev);
    cr_assert_eq(ev->value.type, IDR_VALUE_NUMBER);
    cr_assert_float_eq(ev->value.number, 0.97, 1e-9);
    idr_result_free(res);
}

Test(result, suppressed_not_evaluated_and_warnings) {
    idr_result *res = score("{\"candidate_id\":\"s\"," AS_OF
                            ",\"interviews\":[{\"mode\":\"video\",\"camera_on\":false}],"
                            "\"accommodations\":[\"camera_off\"],\"bogus_field\":1}");
    cr_assert_eq(idr_result_suppressed_count(res), 1);
    const idr_suppressed *s = idr_result_suppressed(res, 0);
    cr_assert_str_eq(s->id, "int_camera_refusal");
    cr_assert_not_null(strstr(s->by, "camera_off"), "%s", s->by);

    bool ssn = false;
    const char *prev = "";
    for (size_t i = 0; i < idr_result_not_evaluated_count(res); i++) {
        const idr_not_evaluated *ne = idr_result_not_evaluated(res, i);
        cr_assert_not_null(ne->why);
        cr_assert_geq(strcmp(ne->id, prev), 0, "sorted by id");
        prev = ne->id;
        if (strcmp(ne->id, "ssn_invalid_structure") == 0) {
            cr_assert_str_eq(ne->why, "no SSN on file");
            ssn = true;
        }
    }
    cr_assert(ssn);

    cr_assert_geq(idr_result_warning_count(res), 1);
    cr_assert_not_null(strstr(idr_result_warning(res, 0), "bogus_field"), "%s",
                       idr_result_warning(res, 0));
    idr_result_free(res);
}

/* ---- enrichment ----------------------------------------------------------------- */

Test(result, enrichment_outlives_the_candidate) {
    const char *json =
        "{\"candidate_id\":\"x\"," AS_OF
        ",\"identity\":{\"residence\":{\"country\":\"US\"}},"
        "\"contacts\":{\"emails\":[{\"address\":\"J.Doe+jobs@gmail.com\"}],"
        "\"phones\":[{\"number\":\"+14045550123\"}]},"
        "\"work_history\":{\"employers\":[{\"name\":\"Acme\","
        "\"references\":[{\"name\":\"Bo\",\"phone\":\"+14045550199\"}]}]},"
        "\"network\":{\"sessions\":[{\"ip\":\"8.8.8.8\"},{\"ip\":\"::1\"}]}}";
    idr_candidate *cand = NULL;
    idr_result *res = NULL;
    idr_error err;
    cr_assert_eq(idr_candidate_from_json(&cand, eng, json, strlen(json), &err), IDR_OK,
                 "%s", err.message);
    cr_assert_eq(idr_engine_score(eng, cand, &res, &err), IDR_OK, "%s", err.message);
    idr_candidate_free(cand); /* every string below must be the result's own copy */

    cr_assert_eq(idr_result_session_count(res), 2);
    cr_assert_str_eq(idr_result_session(res, 0)->ip, "8.8.8.8");
    cr_assert_str_eq(idr_result_session(res, 1)->ip, "::1");
    for (size_t i = 0; i < 2; i++) {
        const idr_session_info *s = idr_result_session(res, i);
        cr_assert(s->is_vpn >= -1 && s->is_vpn <= 1);
        cr_assert(s->is_tor >= -1 && s->is_tor <= 1);
        cr_assert_eq(isnan(s->lat), isnan(s->lon));
        cr_assert_null(s->allow_listed);
        cr_assert_null(s->relay);
    }
    const idr_session_info *lo = idr_result_session(res, 1);
    cr_assert_eq(lo->looked_up, 0, "a loopback address is in no database");
    cr_assert_null(lo->country);
    cr_assert(isnan(lo->distance_km));
    cr_assert_eq(lo->accuracy_km, -1);
    cr_assert_eq(lo->asn, 0);

    cr_assert_eq(idr_result_email_count(res), 1);
    const idr_email_info *em = idr_result_email(res, 0);
    cr_assert_str_eq(em->address, "J.Doe+jobs@gmail.com");
    cr_assert_eq(em->syntax_valid, 1);
    cr_assert_str_eq(em->normalized, "jdoe@gmail.com");
    cr_assert_str_eq(em->domain, "gmail.com");

    if (idr_features() & IDR_FEATURE_PHONE) {
        cr_assert_eq(idr_result_phone_count(res), 1);
        const idr_phone_info *ph = idr_result_phone(res, 0);
        cr_assert_str_eq(ph->number, "+14045550123");
        cr_assert_eq(ph->parsed, 1);
        cr_assert_str_eq(ph->e164, "+14045550123");
        cr_assert_str_eq(ph->region, "US");
        cr_assert_str_eq(ph->parsed_with, "US");
        cr_assert(ph->valid >= -1 && ph->valid <= 1);
        cr_assert_null(ph->employer);
        cr_assert_null(ph->reference);
        cr_assert_eq(idr_result_reference_phone_count(res), 1);
        const idr_phone_info *rp = idr_result_reference_phone(res, 0);
        cr_assert_str_eq(rp->number, "+14045550199");
        cr_assert_str_eq(rp->employer, "Acme");
        cr_assert_str_eq(rp->reference, "Bo");
    }

    const idr_residence_info *rz = idr_result_residence(res);
    cr_assert_not_null(rz);
    if (rz->known) {
        cr_assert(!isnan(rz->lat) && !isnan(rz->lon));
        cr_assert_not_null(rz->label);
        cr_assert_null(rz->why);
    } else {
        cr_assert(isnan(rz->lat));
        cr_assert_not_null(rz->why);
    }
    idr_result_free(res);
}

Test(result, ruleset_data_and_instants) {
    idr_result *res = score("{\"candidate_id\":\"r\"," AS_OF "}");
    const idr_ruleset_info *rs = idr_result_ruleset(res);
    cr_assert_not_null(rs);
    cr_assert_str_eq(rs->id, "idrisk-default");
    cr_assert_eq(strlen(rs->sha256), 64);
    cr_assert_eq(idr_result_as_of(res), 1772366400); /* 2026-03-01T12:00:00Z */
    cr_assert_geq(idr_result_evaluated_at(res), idr_result_as_of(res));
    for (size_t i = 0; i < idr_result_data_count(res); i++) {
        cr_assert_not_null(idr_result_data(res, i)->name);
        cr_assert_not_null(idr_result_data(res, i)->type);
    }
    idr_result_free(res);
}

/* ---- every accessor agrees with the JSON form ------------------------------------ */

static const cJSON *get(const cJSON *o, const char *k) {
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

static void str_agrees(const cJSON *o, const char *k, const char *v) {
    const cJSON *j = get(o, k);
    if (!v) {
        cr_assert(!j || cJSON_IsNull(j), "%s: JSON has a value, accessor NULL", k);
    } else {
        cr_assert(cJSON_IsString(j), "%s: accessor '%s', JSON has none", k, v);
        cr_assert_str_eq(j->valuestring, v, "%s", k);
    }
}

/* JSON numbers have 6 significant digits; compare to that precision. */
static void num_agrees(const cJSON *o, const char *k, double v) {
    const cJSON *j = get(o, k);
    if (isnan(v)) {
        cr_assert(!j || cJSON_IsNull(j), "%s", k);
    } else {
        cr_assert(cJSON_IsNumber(j), "%s", k);
        cr_assert_float_eq(j->valuedouble, v, fabs(v) * 1e-5 + 1e-9, "%s", k);
    }
}

static void tri_agrees(const cJSON *o, const char *k, int v) {
    const cJSON *j = get(o, k);
    if (v < 0) {
        cr_assert(!j || cJSON_IsNull(j), "%s", k);
    } else {
        cr_assert(cJSON_IsBool(j), "%s", k);
        cr_assert_eq(cJSON_IsTrue(j) ? 1 : 0, v, "%s", k);
    }
}

static void phone_agrees(const cJSON *o, const idr_phone_info *p) {
    str_agrees(o, "number", p->number);
    tri_agrees(o, "parsed", p->parsed);
    str_agrees(o, "parsed_with", p->parsed_with);
    str_agrees(o, "e164", p->e164);
    tri_agrees(o, "valid", p->valid);
    tri_agrees(o, "possible", p->possible);
    str_agrees(o, "type", p->type);
    str_agrees(o, "type_source", p->type_source);
    str_agrees(o, "metadata_type", p->metadata_type);
    str_agrees(o, "region", p->region);
    str_agrees(o, "area", p->area);
    str_agrees(o, "carrier", p->carrier);
    str_agrees(o, "error", p->error);
    str_agrees(o, "employer", p->employer);
    str_agrees(o, "reference", p->reference);
}

static void enrichment_agrees(const idr_result *res, const cJSON *e) {
    const cJSON *ips = get(e, "ips");
    cr_assert_eq((size_t)cJSON_GetArraySize(ips), idr_result_session_count(res));
    for (size_t i = 0; i < idr_result_session_count(res); i++) {
        const idr_session_info *s = idr_result_session(res, i);
        const cJSON *o = cJSON_GetArrayItem(ips, (int)i);
        str_agrees(o, "ip", s->ip);
        tri_agrees(o, "looked_up", s->looked_up);
        str_agrees(o, "country", s->country);
        str_agrees(o, "region", s->region);
        str_agrees(o, "city", s->city);
        str_agrees(o, "postal_code", s->postal_code);
        num_agrees(o, "lat", s->lat);
        num_agrees(o, "lon", s->lon);
        num_agrees(o, "accuracy_km", s->accuracy_km < 0 ? NAN : s->accuracy_km);
        str_agrees(o, "timezone", s->timezone);
        num_agrees(o, "asn", s->asn ? (double)s->asn : NAN);
        str_agrees(o, "asn_org", s->asn_org);
        str_agrees(o, "isp", s->isp);
        str_agrees(o, "organization", s->organization);
        str_agrees(o, "connection_type", s->connection_type);
        tri_agrees(o, "is_anonymous", s->is_anonymous);
        tri_agrees(o, "is_vpn", s->is_vpn);
        tri_agrees(o, "is_hosting", s->is_hosting);
        tri_agrees(o, "is_public_proxy", s->is_public_proxy);
        tri_agrees(o, "is_residential_proxy", s->is_residential_proxy);
        tri_agrees(o, "is_tor", s->is_tor);
        str_agrees(o, "anonymizer_provider", s->anonymizer_provider);
        num_agrees(o, "anonymizer_confidence",
                   s->anonymizer_confidence < 0 ? NAN : s->anonymizer_confidence);
        str_agrees(o, "asn_class", s->asn_class);
        str_agrees(o, "asn_class_source", s->asn_class_source);
        num_agrees(o, "distance_km", s->distance_km);
        str_agrees(o, "allow_listed", s->allow_listed);
        str_agrees(o, "relay", s->relay);
    }
    const cJSON *phones = get(e, "phones");
    cr_assert_eq((size_t)cJSON_GetArraySize(phones), idr_result_phone_count(res));
    for (size_t i = 0; i < idr_result_phone_count(res); i++) {
        phone_agrees(cJSON_GetArrayItem(phones, (int)i), idr_result_phone(res, i));
    }
    const cJSON *refs = get(e, "reference_phones");
    cr_assert_eq((size_t)cJSON_GetArraySize(refs), idr_result_reference_phone_count(res));
    for (size_t i = 0; i < idr_result_reference_phone_count(res); i++) {
        phone_agrees(cJSON_GetArrayItem(refs, (int)i),
                     idr_result_reference_phone(res, i));
    }
    const cJSON *emails = get(e, "emails");
    cr_assert_eq((size_t)cJSON_GetArraySize(emails), idr_result_email_count(res));
    for (size_t i = 0; i < idr_result_email_count(res); i++) {
        const idr_email_info *m = idr_result_email(res, i);
        const cJSON *o = cJSON_GetArrayItem(emails, (int)i);
        str_agrees(o, "address", m->address);
        tri_agrees(o, "syntax_valid", m->syntax_valid);
        str_agrees(o, "normalized", m->normalized);
        str_agrees(o, "domain", m->domain);
        str_agrees(o, "domain_class", m->domain_class);
    }
    const idr_residence_info *rz = idr_result_residence(res);
    const cJSON *o = get(e, "residence");
    tri_agrees(o, "known", rz->known);
    num_agrees(o, "lat", rz->lat);
    num_agrees(o, "lon", rz->lon);
    str_agrees(o, "source", rz->source);
    str_agrees(o, "label", rz->label);
    str_agrees(o, "why", rz->why);
}

static void result_agrees(const idr_result *res, const cJSON *d) {
    str_agrees(d, "candidate_id", idr_result_candidate_id(res));
    num_agrees(d, "score", idr_result_score(res));
    str_agrees(d, "band", idr_result_band(res));
    str_agrees(d, "action", idr_result_action(res));
    assert_codes_agree(res);
    const cJSON *reasons = get(d, "reasons");
    cr_assert_eq((size_t)cJSON_GetArraySize(reasons), idr_result_reason_count(res));
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        const cJSON *o = cJSON_GetArrayItem(reasons, (int)i);
        str_agrees(o, "id", idr_result_reason(res, i)->id);
        str_agrees(o, "severity",
                   severity_names[idr_result_reason(res, i)->severity_code]);
        const cJSON *ev = get(o, "evidence");
        cr_assert_eq((size_t)cJSON_GetArraySize(ev), idr_result_evidence_count(res, i));
        const cJSON *j = ev ? ev->child : NULL;
        for (size_t k = 0; k < idr_result_evidence_count(res, i); k++, j = j->next) {
            const idr_evidence *e = idr_result_evidence(res, i, k);
            cr_assert_str_eq(j->string, e->key);
            switch (e->value.type) {
            case IDR_VALUE_STRING:
                str_agrees(ev, e->key, e->value.str);
                break;
            case IDR_VALUE_INT:
                num_agrees(ev, e->key, (double)e->value.integer);
                break;
            case IDR_VALUE_NUMBER:
                num_agrees(ev, e->key, e->value.number);
                break;
            case IDR_VALUE_BOOL:
                tri_agrees(ev, e->key, e->value.boolean);
                break;
            }
        }
    }
    const cJSON *sup = get(d, "suppressed");
    cr_assert_eq((size_t)cJSON_GetArraySize(sup), idr_result_suppressed_count(res));
    for (size_t i = 0; i < idr_result_suppressed_count(res); i++) {
        str_agrees(cJSON_GetArrayItem(sup, (int)i), "id",
                   idr_result_suppressed(res, i)->id);
        str_agrees(cJSON_GetArrayItem(sup, (int)i), "by",
                   idr_result_suppressed(res, i)->by);
    }
    const cJSON *ne = get(d, "not_evaluated");
    cr_assert_eq((size_t)cJSON_GetArraySize(ne), idr_result_not_evaluated_count(res));
    for (size_t i = 0; i < idr_result_not_evaluated_count(res); i++) {
        const cJSON *o = cJSON_GetArrayItem(ne, (int)i);
        str_agrees(o, "id", idr_result_not_evaluated(res, i)->id);
        str_agrees(o, "why", idr_result_not_evaluated(res, i)->why);
    }
    const cJSON *w = get(d, "warnings");
    cr_assert_eq((size_t)cJSON_GetArraySize(w), idr_result_warning_count(res));
    for (size_t i = 0; i < idr_result_warning_count(res); i++) {
        cr_assert_str_eq(cJSON_GetArrayItem(w, (int)i)->valuestring,
                         idr_result_warning(res, i));
    }
    enrichment_agrees(res, get(d, "enrichment"));
    const cJSON *rs = get(d, "ruleset");
    str_agrees(rs, "id", idr_result_ruleset(res)->id);
    str_agrees(rs, "version", idr_result_ruleset(res)->version);
    str_agrees(rs, "sha256", idr_result_ruleset(res)->sha256);
    const cJSON *data = get(d, "data");
    cr_assert_eq((size_t)cJSON_GetArraySize(data), idr_result_data_count(res));
    for (size_t i = 0; i < idr_result_data_count(res); i++) {
        const cJSON *o = cJSON_GetArrayItem(data, (int)i);
        const idr_data_source *s = idr_result_data(res, i);
        str_agrees(o, "name", s->name);
        str_agrees(o, "type", s->type);
        str_agrees(o, "version", s->version);
        str_agrees(o, "build_date", s->build_date);
        str_agrees(o, "license", s->license);
        str_agrees(o, "attribution", s->attribution);
    }
}

/* Names held in the struct, not pointed to: Criterion may run each parameter in a fresh
 * process where pointers into this one mean nothing. */
typedef struct example {
    char name[64];
} example;

ParameterizedTestParameters(result, accessors_agree_with_json) {
    static example names[] = {
        {"approved-travel-london"},     {"camera-off-accommodation"},
        {"clean-ordinary-hire"},        {"crypto-third-party"},
        {"eor-contractor-payoneer"},    {"laptop-farm-rescore"},
        {"london-login-atlanta-claim"}, {"rented-identity"},
        {"single-signal-byod"},         {"synthetic-photo-deepfake"},
        {"verify-middle-band"},
    };
    return cr_make_param_array(example, names, sizeof names / sizeof names[0]);
}

ParameterizedTest(example *ex, result, accessors_agree_with_json) {
    char path[1024];
    snprintf(path, sizeof path, "%s/examples/candidates/%s.json", IDR_TEST_SOURCE_DIR,
             ex->name);
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    idr_result *res = NULL;
    idr_error err;
    cr_assert_eq(idr_engine_score_json(eng, buf, n, &res, &err), IDR_OK, "%s: %s",
                 ex->name, err.message);
    char *json = NULL;
    cr_assert_eq(idr_result_to_json(res, &json, NULL, &err), IDR_OK);
    cJSON *d = cJSON_Parse(json);
    idr_free(json);
    cr_assert_not_null(d);
    result_agrees(res, d);
    cJSON_Delete(d);
    idr_result_free(res);
}
