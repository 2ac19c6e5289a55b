/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_coverage.c - result-v1 `coverage` and the low-coverage action floor
 * (docs/scoring.md "Coverage"): the counts add up, an empty record and a run without
 * databases never read as "none", the floor adds no points and never lowers an
 * action, and a checked clean hire stays "none".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../env_config.h"
#include "idrisk/idrisk.h"

#define AS_OF "\"as_of\":\"2026-03-01T12:00:00Z\""

static idr_engine *engine_on(const char *data_dir) {
    idr_config *cfg = NULL;
    idr_error err;
    idr_engine *eng = NULL;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    if (data_dir) {
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data_dir, &err), IDR_OK);
    }
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK);
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "%s", err.message);
    return eng;
}

/* An engine on the fetched data (IDRISK_DATA_DIR), or NULL when it is degraded. */
static idr_engine *full_engine(void) {
    idr_engine *eng = engine_on(NULL);
    char *d = NULL;
    idr_error err;
    cr_assert_eq(idr_engine_describe_json(eng, &d, &err), IDR_OK);
    bool degraded = strstr(d, "\"warnings\":[]") == NULL;
    idr_free(d);
    if (degraded) {
        idr_engine_free(eng);
        return NULL;
    }
    return eng;
}

static idr_result *score(const idr_engine *eng, const char *json, size_t len) {
    idr_result *res = NULL;
    idr_error err;
    int rc = idr_engine_score_json(eng, json, len, &res, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    return res;
}

static idr_result *score_s(const idr_engine *eng, const char *json) {
    return score(eng, json, strlen(json));
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    static char buf[1 << 20];
    *len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    return buf;
}

static const idr_reason *find(const idr_result *res, const char *id) {
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        if (strcmp(idr_result_reason(res, i)->id, id) == 0) {
            return idr_result_reason(res, i);
        }
    }
    return NULL;
}

static const idr_coverage_family *family(const idr_result *res, const char *name) {
    for (size_t i = 0; i < idr_result_coverage_family_count(res); i++) {
        if (strcmp(idr_result_coverage_family(res, i)->family, name) == 0) {
            return idr_result_coverage_family(res, i);
        }
    }
    return NULL;
}

/* The invariants every coverage holds. */
static void assert_consistent(const idr_result *res) {
    const idr_coverage *c = idr_result_coverage(res);
    size_t total = 0, evaluated = 0, fired = 0;
    for (size_t i = 0; i < idr_result_coverage_family_count(res); i++) {
        const idr_coverage_family *f = idr_result_coverage_family(res, i);
        cr_assert_eq(f->evaluated + f->not_evaluated, f->total, "%s", f->family);
        cr_assert_leq(f->fired + f->suppressed, f->evaluated, "%s", f->family);
        cr_assert_leq(f->needs_store, f->not_evaluated, "%s", f->family);
        total += f->total;
        evaluated += f->evaluated;
        fired += f->fired;
    }
    cr_assert_eq(total, c->total);
    cr_assert_eq(evaluated, c->evaluated);
    cr_assert_eq(fired, c->fired);
    cr_assert_eq(c->total, c->evaluated + c->not_evaluated);
    cr_assert_eq(c->not_evaluated >= idr_result_not_evaluated_count(res) ? 1 : 0, 1);
    /* The floor: low coverage is never "none", and it comes with its 0-point reason. */
    const idr_reason *cov = find(res, "cov_insufficient_data");
    cr_assert_eq(cov != NULL, c->low != 0);
    if (c->low) {
        cr_assert_neq(idr_result_action_code(res), IDR_ACTION_NONE);
        cr_assert_eq(cov->points, 0);
        cr_assert_str_eq(cov->category, "coverage");
        cr_assert_not_null(strstr(cov->title, "not a risk sign"));
        cr_assert_not_null(strstr(cov->detail, c->missing), "%s", cov->detail);
    }
    double sum = 0;
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        sum += idr_result_reason(res, i)->points;
    }
    cr_assert_eq(idr_result_score(res), (int)(sum > 100 ? 100 : sum + 0.5),
                 "the coverage reason adds no points");
}

Test(coverage, empty_record_is_verify_with_what_is_missing) {
    idr_engine *eng = engine_on(NULL);
    idr_result *res = score_s(eng, "{\"candidate_id\":\"x\"," AS_OF "}");
    assert_consistent(res);
    const idr_coverage *c = idr_result_coverage(res);
    cr_assert(c->low);
    cr_assert_eq(c->evaluated, 0);
    cr_assert_gt(c->total, 40);
    cr_assert_eq(idr_result_score(res), 0);
    cr_assert_str_eq(idr_result_band(res), "low");
    cr_assert_str_eq(idr_result_action(res), "verify");
    cr_assert_eq(idr_result_reason_count(res), 1);
    for (const char *const *k =
             (const char *const[]){"identity documents", "contacts", "work history",
                                   "network sessions", NULL};
         *k; k++) {
        cr_assert_not_null(strstr(c->missing, *k), "%s: %s", *k, c->missing);
    }
    const idr_coverage_family *doc = family(res, "document");
    cr_assert_not_null(doc);
    cr_assert(doc->key && doc->uncovered);
    const idr_coverage_family *pay = family(res, "payment");
    cr_assert_not_null(pay);
    cr_assert_not(pay->key, "payment is not a key family");
    /* the store-only indicators are counted as such */
    const idr_coverage_family *ssn = family(res, "ssn");
    cr_assert_geq(ssn->needs_store, 1);
    char *j = NULL;
    idr_error err;
    cr_assert_eq(idr_result_to_json(res, &j, NULL, &err), IDR_OK);
    cr_assert_not_null(strstr(j,
                              "\"coverage\":{\"low\":true,\"missing\":\"not evaluated: "
                              "identity documents"),
                       "%s", j);
    cr_assert_not_null(strstr(j,
                              "{\"family\":\"document\",\"key\":true,\"uncovered\":true,"
                              "\"total\":"));
    idr_free(j);
    idr_result_free(res);
    idr_engine_free(eng);
}

Test(coverage, no_databases_never_read_as_none) {
    idr_engine *eng = engine_on("/nonexistent");
    size_t len;
    char *text =
        slurp(IDR_TEST_SOURCE_DIR "/examples/candidates/clean-ordinary-hire.json", &len);
    idr_result *res = score(eng, text, len);
    assert_consistent(res);
    const idr_coverage *c = idr_result_coverage(res);
    cr_assert(c->low);
    cr_assert_eq(idr_result_score(res), 0, "missing data is not evidence");
    cr_assert_str_eq(idr_result_band(res), "low");
    cr_assert_str_eq(idr_result_action(res), "verify");
    cr_assert_not_null(strstr(c->missing, "data missing: "), "%s", c->missing);
    cr_assert_not_null(strstr(c->missing, "IP"), "%s", c->missing);
    idr_result_free(res);
    /* sessions on file and no IP database: said so, with the count */
    res = score_s(eng, "{\"candidate_id\":\"s\"," AS_OF ",\"network\":{\"sessions\":["
                       "{\"ip\":\"81.2.69.160\",\"at\":\"2026-02-02T15:00:00Z\"}]}}");
    assert_consistent(res);
    cr_assert_not_null(strstr(idr_result_coverage(res)->missing,
                              "network sessions but no IP database is loaded"),
                       "%s", idr_result_coverage(res)->missing);
    cr_assert(family(res, "network")->uncovered);
    idr_result_free(res);
    idr_engine_free(eng);
}

Test(coverage, floor_never_lowers_an_escalation) {
    idr_engine *eng = engine_on("/nonexistent");
    /* a critical sign on an otherwise empty record: escalate, not verify */
    idr_result *res = score_s(eng, "{\"candidate_id\":\"e\"," AS_OF
                                   ",\"identity\":{\"ssn\":\"123-45-6789\"},"
                                   "\"post_hire\":{\"identity_holder_complaint\":true}}");
    assert_consistent(res);
    cr_assert_not_null(find(res, "ssn_holder_complaint"));
    cr_assert(idr_result_coverage(res)->low);
    cr_assert_str_eq(idr_result_action(res), "escalate");
    idr_result_free(res);
    res =
        score_s(eng, "{\"candidate_id\":\"w\"," AS_OF
                     ",\"workflow\":{\"refused_in_person_i9\":true,"
                     "\"refused_notarization\":true,\"refused_background_check\":true}}");
    assert_consistent(res);
    cr_assert_geq(idr_result_action_code(res), IDR_ACTION_VERIFY);
    idr_result_free(res);
    idr_engine_free(eng);
}

Test(coverage, checked_clean_hire_stays_none) {
    idr_engine *eng = full_engine();
    if (!eng) {
        cr_skip_test("IDRISK_DATA_DIR holds no complete data directory");
    }
    size_t len;
    char *text =
        slurp(IDR_TEST_SOURCE_DIR "/examples/candidates/clean-ordinary-hire.json", &len);
    idr_result *res = score(eng, text, len);
    assert_consistent(res);
    const idr_coverage *c = idr_result_coverage(res);
    cr_assert_not(c->low, "%s", c->missing ? c->missing : "");
    cr_assert_str_eq(idr_result_action(res), "none");
    cr_assert_eq(idr_result_reason_count(res), 0);
    /* the absent network sessions are still said, without a floor */
    cr_assert_not_null(c->missing);
    cr_assert_not_null(strstr(c->missing, "network sessions"));
    const idr_coverage_family *doc = family(res, "document");
    cr_assert_eq(doc->evaluated, doc->total);
    idr_result_free(res);
    idr_engine_free(eng);
}

Test(coverage, one_key_family_is_enough_to_lift_the_floor) {
    idr_engine *eng = full_engine();
    if (!eng) {
        cr_skip_test("IDRISK_DATA_DIR holds no complete data directory");
    }
    idr_result *res = score_s(eng, "{\"candidate_id\":\"k\"," AS_OF
                                   ",\"contacts\":{\"emails\":[{\"address\":"
                                   "\"a.b@example.org\",\"verified\":true}]}}");
    assert_consistent(res);
    cr_assert_not(idr_result_coverage(res)->low);
    cr_assert_not(family(res, "email")->uncovered);
    idr_result_free(res);
    idr_engine_free(eng);
}

Test(coverage, null_result) {
    const idr_coverage *c = idr_result_coverage(NULL);
    cr_assert_not_null(c);
    cr_assert_eq(c->total, 0);
    cr_assert_eq(idr_result_coverage_family_count(NULL), 0);
    cr_assert_null(idr_result_coverage_family(NULL, 0));
}
