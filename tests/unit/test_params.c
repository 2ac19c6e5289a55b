/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_params.c - indicator parameters end to end (docs/rulepack.md "Parameters").
 *
 * For every threshold a rule file declares (`.params` in lib/rules/<family>.c), one
 * record whose outcome under the default pack is known, scored again with a copy of
 * data/rules/default.pack that sets the parameter in that indicator's entry: the
 * outcome must change. Then the engine description (what `idrisk rules --json`
 * prints) must list every indicator's parameters with value, default and bounds.
 */
#include <unistd.h>

#include "../rules_helpers.h"
#include "internal.h"

TestSuite(params, .init = rh_setup, .fini = rh_teardown);

/* ---- a pack variant: the default pack with one `param.<name> = <value>` line ------ */

/* An engine built from the default pack with `setting` in `id`'s entry. */
static idr_engine *engine_with(const char *id, const char *setting) {
    return rh_engine_variant(NULL, id, setting);
}

static cJSON *pk_last;

/* Score `json` with the default pack plus `setting` in `id`'s entry; the parsed
 * result stays valid until the next call. */
static cJSON *pack_score(const char *id, const char *setting, const char *json) {
    idr_engine *eng = engine_with(id, setting);
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_score_json(eng, json, strlen(json), &res, &err), IDR_OK,
                 "score: %s (%s)", err.message, err.field);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    idr_result_free(res);
    idr_engine_free(eng);
    cJSON_Delete(pk_last);
    pk_last = cJSON_Parse(text);
    idr_free(text);
    cr_assert_not_null(pk_last);
    return pk_last;
}

static void pk_free(void) {
    cJSON_Delete(pk_last);
    pk_last = NULL;
}

/* The default pack fires `id` on `json`; with `setting` it is evaluated and clean. */
static void fires_then_clean(const char *id, const char *setting, const char *json) {
    cr_assert_not_null(rh_reason(rh_score(json), id), "%s should fire by default", id);
    cJSON *r = pack_score(id, setting, json);
    cr_assert(rh_clean(r, id), "%s should be clean with %s", id, setting);
    pk_free();
}

/* The default pack leaves `id` evaluated and clean on `json`; with `setting` it fires.
 * Returns the overridden result (freed by pk_free). */
static cJSON *clean_then_fires(const char *id, const char *setting, const char *json) {
    cr_assert(rh_clean(rh_score(json), id), "%s should be clean by default", id);
    cJSON *r = pack_score(id, setting, json);
    cr_assert_not_null(rh_reason(r, id), "%s should fire with %s", id, setting);
    return r;
}

/* ---- document / identity --------------------------------------------------------- */

Test(params, face_match_min) {
    cJSON *r = clean_then_fires(
        "doc_photo_replaced", "param.face_match_min = 0.9", J({
            "candidate_id" : "p1",
            "documents" :
                [ {"type" : "passport", "verification" : {"face_match_score" : 0.85}} ]
        }));
    rh_assert_has(rh_ev(r, "doc_photo_replaced", "findings"),
                  "face match 0.85 (below 0.90)");
    pk_free();
}

Test(params, synthetic_face_min) {
    clean_then_fires(
        "id_stock_or_ai_photo", "param.synthetic_face_min = 0.5", J({
            "candidate_id" : "p2",
            "documents" : [
                {"type" : "national_id", "verification" : {"synthetic_face_score" : 0.55}}
            ]
        }));
    pk_free();
}

/* ---- phone ------------------------------------------------------------------------ */

Test(params, new_number_days) {
    cJSON *r = clean_then_fires(
        "phn_voip_nonfixed", "param.new_number_days = 45", J({
            "candidate_id" : "p3",
            "as_of" : "2026-11-20T12:00:00Z",
            "contacts" : {
                "phones" : [ {"number" : "+1 612 555 0123", "first_seen" : "2026-10-20"} ]
            }
        }));
    rh_assert_has(rh_detail(r, "phn_voip_nonfixed"),
                  "first seen 2026-10-20, 31 day(s) before the as-of date");
    pk_free();
}

Test(params, min_digits_compare) {
    /* "50123" cannot be parsed without a region: it is compared as its five digits,
     * which the default (7) refuses as too short to match reliably. */
    const char *json = J({
        "candidate_id" : "p4",
        "contacts" : {"phones" : ["+1 (612) 555-0123"]},
        "work_history" : {
            "employers" : [
                {"name" : "Acme", "references" : [ {"name" : "Jo", "phone" : "50123"} ]}
            ]
        }
    });
    cr_assert_null(rh_reason(rh_score(json), "phn_reference_is_candidate"));
    cJSON *r =
        pack_score("phn_reference_is_candidate", "param.min_digits_compare = 5", json);
    cr_assert_str_eq(rh_ev(r, "phn_reference_is_candidate", "references"),
                     "reference Jo (Acme)");
    pk_free();
}

/* ---- work_history ----------------------------------------------------------------- */

Test(params, aged_margin_days) {
    cJSON *r =
        clean_then_fires("wrk_github_aged_or_copied", "param.aged_margin_days = 20", J({
                             "candidate_id" : "p5",
                             "work_history" : {
                                 "profiles" : [ {
                                     "kind" : "github",
                                     "created_at" : "2024-11-02",
                                     "earliest_activity" : "2024-10-03"
                                 } ]
                             }
                         }));
    cr_assert_str_eq(rh_ev(r, "wrk_github_aged_or_copied", "days_before"), "30");
    pk_free();
}

Test(params, timeline_slack_years) {
    /* Rust (2012) is 14 years old on 2026-06-01: 15 years is within one year of slack. */
    clean_then_fires(
        "wrk_timeline_anachronism", "param.timeline_slack_years = 0", J({
            "candidate_id" : "p6",
            "as_of" : "2026-06-01T00:00:00Z",
            "work_history" : {"resume_text" : "15 years of experience with Rust."}
        }));
    pk_free();
}

/* ---- address ---------------------------------------------------------------------- */

#define HOME                                                                             \
    "\"identity\":{\"full_name\":\"Dana Reyes\",\"residence\":{\"line1\":\"410 "         \
    "Peachtree St NE\",\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":"          \
    "\"30308\",\"country\":\"US\",\"lat\":33.7712,\"lon\":-84.3857}}"

Test(params, late_change_days) {
    /* requested four days before the start date */
    fires_then_clean(
        "adr_late_change", "param.late_change_days = 3",
        "{\"candidate_id\":\"p7\"," HOME
        ",\"engagement\":{\"start_date\":\"2025-04-07\"},"
        "\"equipment\":{\"shipments\":[{\"requested_at\":\"2025-04-03T22:10:00Z\","
        "\"address\":{\"line1\":\"88 Harbor Way\",\"city\":\"Newark\",\"region\":\"NJ\","
        "\"postal_code\":\"07105\",\"country\":\"US\"}}]}}");
}

Test(params, geodrift_km) {
    /* Macon, GA: about 125 km from the Atlanta residence, same country */
    fires_then_clean("adr_device_geodrift", "param.geodrift_km = 150",
                     "{\"candidate_id\":\"p8\"," HOME
                     ",\"post_hire\":{\"device_locations\":[{\"at\":\"2025-05-02T15:00:"
                     "00Z\",\"lat\":32.84,\"lon\":-83.63,\"country\":\"US\"}]}}");
}

/* ---- payment ---------------------------------------------------------------------- */

Test(params, young_company_days) {
    /* formed 92 days before the evaluation */
    fires_then_clean("pay_third_party_account", "param.young_company_days = 60", J({
                         "candidate_id" : "p9",
                         "as_of" : "2025-06-01T00:00:00Z",
                         "identity" : {"full_name" : "Dana Reyes"},
                         "engagement" : {"type" : "contractor"},
                         "payment" : {
                             "payee_type" : "company",
                             "payee_company" :
                                 {"name" : "Hopeful Tech LLC", "formed_on" : "2025-03-01"}
                         }
                     }));
}

/* three changes within 73 days, no hire or start date */
#define THREE_CHANGES                                                                    \
    J({                                                                                  \
        "candidate_id" : "p10",                                                          \
        "payment" : {                                                                    \
            "changes" : [                                                                \
                {"at" : "2025-02-01T10:00:00Z", "field" : "account_id"},                 \
                {"at" : "2025-03-01T10:00:00Z", "field" : "bank_name"},                  \
                {"at" : "2025-04-15T10:00:00Z", "field" : "account_id"}                  \
            ]                                                                            \
        }                                                                                \
    })

Test(params, change_window_days) {
    rh_assert_has(rh_ev(rh_score(THREE_CHANGES), "pay_frequent_changes", "problem"),
                  "3 changes within 90 days");
    fires_then_clean("pay_frequent_changes", "param.change_window_days = 60",
                     THREE_CHANGES);
    cJSON *r = pack_score("pay_frequent_changes", "param.change_window_days = 120",
                          THREE_CHANGES);
    rh_assert_has(rh_ev(r, "pay_frequent_changes", "problem"),
                  "3 changes within 120 days");
    pk_free();
}

Test(params, change_window_count) {
    fires_then_clean("pay_frequent_changes", "param.change_window_count = 4",
                     THREE_CHANGES);
}

Test(params, early_change_days) {
    /* a change 11 days after the hire date */
    fires_then_clean(
        "pay_frequent_changes", "param.early_change_days = 10", J({
            "candidate_id" : "p11",
            "post_hire" : {"hired_at" : "2025-02-01"},
            "payment" :
                {"changes" : [ {"at" : "2025-02-12T10:00:00Z", "field" : "account_id"} ]}
        }));
}

/* ---- email ------------------------------------------------------------------------ */

/* a mailbox 12 days old and a profile 31 days old */
#define NEW_MAILBOX                                                                      \
    J({                                                                                  \
        "candidate_id" : "p12",                                                          \
        "as_of" : "2026-11-01T00:00:00Z",                                                \
        "contacts" : {                                                                   \
            "emails" :                                                                   \
                [ {"address" : "dev.pro@gmail.com", "first_seen" : "2026-10-20"} ]       \
        },                                                                               \
        "work_history" :                                                                 \
            {"profiles" : [ {"kind" : "linkedin", "created_at" : "2026-10-01"} ]}        \
    })

Test(params, new_mailbox_days) {
    fires_then_clean("eml_new_consumer_mailbox", "param.new_mailbox_days = 10",
                     NEW_MAILBOX);
}

Test(params, new_profile_days) {
    fires_then_clean("eml_new_consumer_mailbox", "param.new_profile_days = 30",
                     NEW_MAILBOX);
}

Test(params, lookalike_max_edits) {
    /* amce.com is one transposition from acme.com; 0 turns edit matching off */
    fires_then_clean(
        "eml_lookalike_employer_domain", "param.lookalike_max_edits = 0", J({
            "candidate_id" : "p13",
            "work_history" : {
                "employers" : [ {
                    "name" : "Acme Corp",
                    "domain" : "acme.com",
                    "references" : [ {"name" : "Pat", "email" : "pat@amce.com"} ]
                } ]
            }
        }));
}

/* ---- post_hire -------------------------------------------------------------------- */

Test(params, min_logins) {
    fires_then_clean(
        "ept_unmanaged_device_login", "param.min_logins = 5",
        J({"candidate_id" : "p14", "post_hire" : {"unmanaged_device_logins" : 3}}));
}

/* ---- a value outside the bounds is refused, naming the entry and key -------------- */

Test(params, out_of_bounds_refused_by_the_engine) {
    char path[64];
    rh_pack_variant("adr_late_change", "param.late_change_days = 400", path, sizeof path);
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, &err), IDR_OK);
    idr_engine *eng = NULL;
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    unlink(path);
    cr_assert_eq(rc, IDR_EDATA);
    cr_assert_null(eng);
    cr_assert_str_eq(err.field, "adr_late_change.param.late_change_days");
    cr_assert(strstr(err.message, "0..90") != NULL, "%s", err.message);
}

/* ---- the description lists every parameter ---------------------------------------- */

static const cJSON *find_param(const cJSON *ind, const char *name) {
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(ind, "params")) {
        if (strcmp(rh_str((cJSON *)p, "name"), name) == 0) {
            return p;
        }
    }
    return NULL;
}

static double num(const cJSON *o, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    cr_assert(cJSON_IsNumber(v), "%s is not a number", key);
    return v->valuedouble;
}

/* Every indicator of the description lists exactly its descriptor's parameters, each
 * with value, default, min, max and doc; returns the parsed description. */
static cJSON *describe_checked(idr_engine *eng) {
    char *text = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_describe_json(eng, &text, &err), IDR_OK, "%s", err.message);
    cJSON *d = cJSON_Parse(text);
    idr_free(text);
    cr_assert_not_null(d);
    size_t n_ind = 0, n_params = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "indicators")) {
        const char *id = rh_str((cJSON *)it, "id");
        const idr__indicator *ind = idr__indicator_find(id);
        cr_assert_not_null(ind, "%s", id);
        const cJSON *ps = cJSON_GetObjectItemCaseSensitive(it, "params");
        cr_assert(cJSON_IsArray(ps), "%s: no params array", id);
        cr_assert_eq((size_t)cJSON_GetArraySize(ps), ind->n_params, "%s", id);
        for (size_t k = 0; k < ind->n_params; k++) {
            const idr__param *pm = &ind->params[k];
            const cJSON *p = find_param(it, pm->name);
            cr_assert_not_null(p, "%s.param.%s not listed", id, pm->name);
            cr_assert_float_eq(num(p, "default"), pm->def, 1e-12);
            cr_assert_float_eq(num(p, "min"), pm->min, 1e-12);
            cr_assert_float_eq(num(p, "max"), pm->max, 1e-12);
            cr_assert(num(p, "value") >= pm->min && num(p, "value") <= pm->max);
            cr_assert(pm->min <= pm->def && pm->def <= pm->max, "%s.%s", id, pm->name);
            const char *doc = rh_str((cJSON *)p, "doc");
            cr_assert(doc && *doc, "%s.%s has no doc", id, pm->name);
            n_params++;
        }
        n_ind++;
    }
    cr_assert_gt(n_ind, 0);
    cr_assert_geq(n_params, 16, "only %zu parameters listed", n_params);
    return d;
}

static const cJSON *find_indicator(const cJSON *d, const char *id) {
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "indicators")) {
        if (strcmp(rh_str((cJSON *)it, "id"), id) == 0) {
            return it;
        }
    }
    return NULL;
}

Test(params, describe_lists_params_with_value_default_and_bounds) {
    cJSON *d = describe_checked(rh_engine);
    /* the default pack sets no parameter: every value is its default */
    const cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "indicators")) {
        const cJSON *p;
        cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(it, "params")) {
            cr_assert_float_eq(num(p, "value"), num(p, "default"), 1e-12, "%s.%s",
                               rh_str((cJSON *)it, "id"), rh_str((cJSON *)p, "name"));
        }
    }
    const cJSON *p = find_param(find_indicator(d, "adr_late_change"), "late_change_days");
    cr_assert_not_null(p);
    cr_assert_float_eq(num(p, "value"), 7, 1e-12);
    cr_assert_float_eq(num(p, "min"), 0, 1e-12);
    cr_assert_float_eq(num(p, "max"), 90, 1e-12);
    cJSON_Delete(d);

    idr_engine *eng = engine_with("adr_late_change", "param.late_change_days = 3");
    d = describe_checked(eng);
    p = find_param(find_indicator(d, "adr_late_change"), "late_change_days");
    cr_assert_float_eq(num(p, "value"), 3, 1e-12);
    cr_assert_float_eq(num(p, "default"), 7, 1e-12);
    cJSON_Delete(d);
    idr_engine_free(eng);
}
