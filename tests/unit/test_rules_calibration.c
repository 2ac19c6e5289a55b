/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_calibration.c - issue 11 items 3 and 4 through the public API with the
 * default pack: the post-hire identity mismatch forces escalate, the new combinations
 * reach their bands, graded face-match points, professional- and code-profile age,
 * resume years of use, and the pack's explanations (an accommodation moves a hit to
 * `suppressed`, never adds points, and a suppressed member completes no combination).
 */
#include <dirent.h>

#include "../rules_helpers.h"

TestSuite(calibration, .init = rh_setup, .fini = rh_teardown);

static double points_of(cJSON *r, const char *id) {
    cJSON *reason = rh_reason(r, id);
    cr_assert_not_null(reason, "%s did not fire", id);
    cJSON *p = cJSON_GetObjectItemCaseSensitive(reason, "points");
    cr_assert(cJSON_IsNumber(p));
    return p->valuedouble;
}

/* ---- Item 3: weights and combinations ------------------------------------------- */

Test(calibration, post_hire_identity_mismatch_forces_escalate) {
    cJSON *r = rh_score(J({
        "candidate_id" : "k1",
        "as_of" : "2026-03-01T00:00:00Z",
        "post_hire" : {"different_person_suspected" : true, "hired_at" : "2026-01-05"}
    }));
    cr_assert_str_eq(rh_str(rh_reason(r, "id_rented_identity"), "severity"), "critical");
    cr_assert_str_eq(rh_str(r, "band"), "critical");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    /* a recorded check that found the same person is clean */
    r = rh_score(
        J({"candidate_id" : "k1", "post_hire" : {"different_person_suspected" : false}}));
    cr_assert(rh_clean(r, "id_rented_identity"));
    /* nothing else on the record could be checked: the coverage floor, not a sign */
    cr_assert_str_eq(rh_str(r, "action"), "verify");
    cr_assert_eq(rh_score_of(r), 0);
    cr_assert_not_null(rh_reason(r, "cov_insufficient_data"));
}

Test(calibration, crypto_with_prepayment_pressure_reaches_high) {
    cJSON *r = rh_score(J({
        "candidate_id" : "k2",
        "payment" : {"method" : "crypto"},
        "workflow" : {"prepayment_pressure" : true}
    }));
    cr_assert_not_null(rh_reason(r, "pay_crypto_request"), "%s", cJSON_Print(r));
    cr_assert_not_null(rh_reason(r, "pay_prepay_pressure"));
    rh_assert_has(rh_detail(r, "combo_crypto_prepay"), "pay_crypto_request");
    cr_assert_geq(rh_score_of(r), 45);
    cr_assert_str_eq(rh_str(r, "band"), "high");
    /* either alone: no combination */
    r = rh_score(J({"candidate_id" : "k2", "payment" : {"method" : "crypto"}}));
    cr_assert_null(rh_reason(r, "combo_crypto_prepay"));
}

Test(calibration, vpn_egress_with_unverifiable_employers_reaches_high) {
    cJSON *r = rh_score(J({
        "candidate_id" : "k3",
        "network" : {"sessions" : [ {"ip" : "2001:218::1", "vpn_client" : "astrill"} ]},
        "work_history" :
            {"employers" : [ {"name" : "Quantum Apps LLC", "verified" : false} ]}
    }));
    cr_assert_not_null(rh_reason(r, "net_astrill_vpn"));
    cr_assert_not_null(rh_reason(r, "combo_anon_egress_unverifiable"));
    cr_assert_geq(rh_score_of(r), 45, "score %d", rh_score_of(r));
}

#define PERSONA_HISTORY                                                                  \
    "\"work_history\":{\"employers\":[{\"name\":\"Bluefin Systems\",\"start\":"          \
    "\"2016-02-01\",\"verified\":false}],\"profiles\":[{\"kind\":\"linkedin\","          \
    "\"handle\":\"jdoe-dev\",\"created_at\":\"2026-01-20\"},{\"kind\":\"github\","       \
    "\"handle\":\"jdoe-code\",\"created_at\":\"2026-02-01\"}]}"

Test(calibration, new_profiles_behind_an_unconfirmable_career_reach_high) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"k4\",\"as_of\":\"2026-03-01T00:00:00Z\"," PERSONA_HISTORY
        "}");
    cr_assert_str_eq(rh_ev(r, "wrk_profile_recent", "age_days"), "40");
    cr_assert_str_eq(rh_ev(r, "wrk_profile_recent", "claimed_years"), "10");
    rh_assert_has(rh_ev(r, "wrk_profile_recent", "claimed_from"),
                  "employment since 2016-02-01");
    cr_assert_str_eq(rh_ev(r, "wrk_code_profile_recent", "profile"), "jdoe-code");
    cr_assert_not_null(rh_reason(r, "combo_new_persona_profiles"));
    cr_assert_geq(rh_score_of(r), 45, "score %d", rh_score_of(r));
}

Test(calibration, profile_age_thresholds_and_absence) {
    /* an old profile, a short career, no profile date, no claimed experience */
    cJSON *r = rh_score(J({
        "candidate_id" : "k5",
        "as_of" : "2026-03-01T00:00:00Z",
        "work_history" : {
            "employers" : [ {"name" : "A", "start" : "2016-02-01"} ],
            "profiles" : [ {"kind" : "linkedin", "created_at" : "2025-10-01"} ]
        }
    }));
    cr_assert(rh_clean(r, "wrk_profile_recent"));
    rh_assert_has(rh_not_evaluated(r, "wrk_code_profile_recent"), "code-hosting");
    r = rh_score(J({
        "candidate_id" : "k5",
        "as_of" : "2026-03-01T00:00:00Z",
        "work_history" : {
            "employers" : [ {"name" : "A", "start" : "2024-06-01"} ],
            "profiles" : [ {"kind" : "linkedin", "created_at" : "2026-02-20"} ]
        }
    }));
    cr_assert(rh_clean(r, "wrk_profile_recent"), "under 3 claimed years");
    r = rh_score(J({
        "candidate_id" : "k5",
        "as_of" : "2026-03-01T00:00:00Z",
        "work_history" :
            {"profiles" : [ {"kind" : "linkedin", "created_at" : "2026-02-20"} ]}
    }));
    rh_assert_has(rh_not_evaluated(r, "wrk_profile_recent"), "no employer start date");
    /* a years claim of the resume counts as claimed experience */
    r = rh_score(J({
        "candidate_id" : "k5",
        "as_of" : "2026-03-01T00:00:00Z",
        "work_history" : {
            "resume_text" : "8 years of experience with Docker and Go.",
            "profiles" : [ {"kind" : "linkedin", "created_at" : "2026-02-20"} ]
        }
    }));
    cr_assert_str_eq(rh_ev(r, "wrk_profile_recent", "claimed_years"), "8");
}

/* ---- Graded face match ------------------------------------------------------------ */

static cJSON *face(double score, bool liveness_failed) {
    char buf[512];
    snprintf(buf, sizeof buf,
             "{\"candidate_id\":\"f\",\"documents\":[{\"type\":\"passport\","
             "\"verification\":{\"face_match_score\":%.2f%s}}]}",
             score, liveness_failed ? ",\"liveness_passed\":false" : "");
    return rh_score(buf);
}

Test(calibration, face_match_points_are_graded_not_a_cliff) {
    cr_assert(rh_clean(face(0.80, false), "doc_photo_replaced"));
    cr_assert_float_eq(points_of(face(0.79, false), "doc_photo_replaced"), 1.0, 1e-9);
    cr_assert_float_eq(points_of(face(0.65, false), "doc_photo_replaced"), 13.0, 1e-9);
    cr_assert_float_eq(points_of(face(0.50, false), "doc_photo_replaced"), 25.0, 1e-9);
    cr_assert_float_eq(points_of(face(0.20, false), "doc_photo_replaced"), 25.0, 1e-9);
    cJSON *r = face(0.65, false);
    rh_assert_has(rh_ev(r, "doc_photo_replaced", "grade"), "50% of the points");
    rh_assert_has(rh_detail(r, "doc_photo_replaced"), "face match 0.65");
    /* a provider finding earns all the points, whatever the score */
    cr_assert_float_eq(points_of(face(0.79, true), "doc_photo_replaced"), 25.0, 1e-9);
    /* monotone: a lower score never earns fewer points, and the reason's points are
     * what the score adds */
    double last = 0;
    for (int s = 79; s >= 0; s--) {
        cJSON *x = face(s / 100.0, false);
        double p = points_of(x, "doc_photo_replaced");
        cr_assert_geq(p, last, "score 0.%02d: %g < %g", s, p, last);
        cr_assert_eq(rh_score_of(x), (int)p);
        last = p;
    }
}

Test(calibration, face_match_cliff_comes_back_when_the_pack_asks) {
    idr_engine *eng =
        rh_engine_variant(NULL, "doc_photo_replaced", "param.face_match_full = 0.80");
    idr_engine_free(rh_engine);
    rh_engine = eng;
    cr_assert_float_eq(points_of(face(0.79, false), "doc_photo_replaced"), 25.0, 1e-9);
}

/* ---- Resume years of use ---------------------------------------------------------- */

static cJSON *resume(const char *text) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "candidate_id", "t");
    cJSON_AddStringToObject(o, "as_of", "2026-03-01T00:00:00Z");
    cJSON *wh = cJSON_AddObjectToObject(o, "work_history");
    cJSON_AddStringToObject(wh, "resume_text", text);
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    cJSON *r = rh_score(json);
    free(json);
    return r;
}

Test(calibration, single_year_use_before_release_fires) {
    cJSON *r = resume("Acme Corp: used Kubernetes in 2012 to run the billing services.");
    const char *c = rh_ev(r, "wrk_timeline_anachronism", "claims");
    rh_assert_has(c, "used in 2012, but Kubernetes was first released in 2014");
    cr_assert_str_eq(rh_ev(r, "wrk_timeline_anachronism", "claimed"), "2012");
    r = resume("Worked with React Native since 2011 on consumer apps");
    rh_assert_has(rh_ev(r, "wrk_timeline_anachronism", "claims"), "React Native");
    /* the same year as the release, and a later year, are clean */
    r = resume("Adopted Kubernetes in 2014; Docker since 2013; Flutter in 2019.");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
    /* the nearest year of the clause is the one paired */
    r = resume("Built the API in Java in 2009, moved it to Kubernetes in 2016");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
}

Test(calibration, role_block_names_a_technology_released_after_the_role) {
    cJSON *r = resume("Senior Engineer, Acme Corp (2011-2014)\n"
                      "- Built payment services in Python\n"
                      "- Moved deployments to Flutter and Kubernetes clusters\n"
                      "\n"
                      "Skills\n"
                      "Rust, Svelte, Deno\n");
    const char *c = rh_ev(r, "wrk_timeline_anachronism", "claims");
    rh_assert_has(c, "Acme Corp (2011-2014) / - Moved deployments");
    rh_assert_has(c, "Flutter was first released in 2017");
    cr_assert(strstr(c, "Kubernetes was") == NULL, "2014 is not before Kubernetes' 2014");
    cr_assert(strstr(c, "Svelte was") == NULL, "the skills section is not the role: %s",
              c);
    cr_assert_str_eq(rh_ev(r, "wrk_timeline_anachronism", "count"), "1");
    /* only bullets are the role's: a career summary sentence under the header is not */
    r = resume("Database Administrator, Copper Logistics, 2017-2018. Hardened backups.\n"
               "I have 5 years of experience with OpenTelemetry.\n"
               "Flutter apps for field staff\n");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
    /* a heading line without a blank line also ends the role */
    r = resume(
        "Developer, Beta Ltd 2008 - 2010\nWrote Java services\nSkills: Svelte, Vite\n");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
}

Test(calibration, release_table_is_sourced_and_extended) {
    FILE *f = fopen(IDR_TEST_SOURCE_DIR "/data/tech_release_years.tsv", "rb");
    cr_assert_not_null(f);
    char line[1024];
    size_t rows = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        size_t tabs = 0;
        for (char *p = line; *p; p++) {
            tabs += *p == '\t';
        }
        cr_assert_eq(tabs, 4, "not 5 columns: %s", line);
        char *src = strrchr(line, '\t') + 1;
        cr_assert_gt(strlen(src), 10, "no source: %s", line);
        rows++;
    }
    fclose(f);
    cr_assert_geq(rows, 100);
}

/* ---- Item 4: explanations --------------------------------------------------------- */

#define VOICES                                                                           \
    "\"interviews\":[{\"mode\":\"video\",\"at\":\"2026-02-02T15:00:00Z\",\"camera_on\":" \
    "true,\"multiple_voices\":true}]"

Test(calibration, relay_service_explains_a_second_voice) {
    cJSON *r = rh_score("{\"candidate_id\":\"e1\"," VOICES "}");
    cr_assert_not_null(rh_reason(r, "int_multiple_voices"));
    r = rh_score("{\"candidate_id\":\"e1\"," VOICES
                 ",\"accommodations\":[\"Relay_Service\"]}");
    cr_assert_null(rh_reason(r, "int_multiple_voices"));
    cr_assert_str_eq(rh_suppressed(r, "int_multiple_voices"),
                     "accommodation relay_service (documented accommodation)");
    cr_assert_eq(rh_score_of(r), 0);
}

Test(calibration, documented_relocation_explains_a_late_change) {
    const char *rec =
        "{\"candidate_id\":\"e2\",\"identity\":{\"residence\":{\"line1\":\"410 Peachtree "
        "St "
        "NE\",\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":\"30308\","
        "\"country\":"
        "\"US\"}},\"engagement\":{\"start_date\":\"2025-04-07\"},\"equipment\":{"
        "\"shipments\":[{\"requested_at\":\"2025-03-20T10:00:00Z\",\"address\":{"
        "\"line1\":"
        "\"410 Peachtree St NE\",\"postal_code\":\"30308\",\"country\":\"US\"}},{"
        "\"requested_at\":\"2025-04-03T22:10:00Z\",\"address\":{\"line1\":\"88 Harbor "
        "Way\",\"city\":\"Newark\",\"region\":\"NJ\",\"postal_code\":\"07105\","
        "\"country\":"
        "\"US\"}}]}";
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s}", rec, "");
    cr_assert_not_null(rh_reason(rh_score(buf), "adr_late_change"));
    snprintf(buf, sizeof buf, "%s%s}", rec,
             ",\"accommodations\":[\"documented_relocation\"]");
    cJSON *r = rh_score(buf);
    cr_assert_null(rh_reason(r, "adr_late_change"));
    rh_assert_has(rh_suppressed(r, "adr_late_change"),
                  "accommodation documented_relocation (declared explanation)");
}

Test(calibration, declared_night_shift_explains_night_sessions) {
    const char *rec =
        "{\"candidate_id\":\"e3\",\"identity\":{\"timezone\":\"America/New_York\"},"
        "\"network\":{\"sessions\":[{\"ip\":\"2001:218::1\",\"at\":\"2025-01-06T08:00:"
        "00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-07T07:30:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-08T09:10:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-09T06:00:00Z\"},"
        "{\"ip\":\"2001:218::1\",\"at\":\"2025-01-10T08:45:00Z\"}]}";
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s}", rec, "");
    cr_assert_not_null(rh_reason(rh_score(buf), "net_offhours_pattern"));
    snprintf(buf, sizeof buf, "%s%s}", rec, ",\"accommodations\":[\"night_shift\"]");
    cJSON *r = rh_score(buf);
    cr_assert_null(rh_reason(r, "net_offhours_pattern"));
    rh_assert_has(rh_suppressed(r, "net_offhours_pattern"), "night_shift");
}

Test(calibration, unknown_accommodation_is_accepted_and_suppresses_nothing) {
    cJSON *r = rh_score("{\"candidate_id\":\"e4\"," VOICES
                        ",\"accommodations\":[\"extra time for coding tests\"]}");
    cr_assert_not_null(rh_reason(r, "int_multiple_voices"));
    cr_assert_null(rh_suppressed(r, "int_multiple_voices"));
}

/* An engine on the default pack plus `extra` appended (a test combination). */
static void engine_with_appended(const char *extra) {
    FILE *in = fopen(IDR_TEST_SOURCE_DIR "/data/rules/default.pack", "rb");
    cr_assert_not_null(in);
    static char text[1 << 20];
    size_t n = fread(text, 1, sizeof text - 1, in);
    fclose(in);
    char path[] = "/tmp/idrisk-pack-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *out = fdopen(fd, "w");
    fwrite(text, 1, n, out);
    fputs(extra, out);
    cr_assert_eq(fclose(out), 0);
    idr_config *cfg = NULL;
    idr_error err;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, &err), IDR_OK);
    idr_engine_free(rh_engine);
    rh_engine = NULL;
    int rc = idr_engine_new(&rh_engine, cfg, &err);
    idr_config_free(cfg);
    unlink(path);
    cr_assert_eq(rc, IDR_OK, "%s", err.message);
}

Test(calibration, a_suppressed_member_completes_no_combination) {
    engine_with_appended("\n[combination combo_test_voices_screen]\n"
                         "all = int_multiple_voices\nall = int_screen_share_leak\n"
                         "severity = high\npoints = 30\ntitle = t\ndetail = {fired}\n"
                         "verify = v\nbenign = b\nsources = SEAL\n");
    const char *rec = "{\"candidate_id\":\"e5\",\"interviews\":[{\"mode\":\"video\","
                      "\"camera_on\":true,\"multiple_voices\":true,"
                      "\"other_identities_seen\":true}]";
    char buf[1024];
    snprintf(buf, sizeof buf, "%s%s}", rec, "");
    cJSON *r = rh_score(buf);
    cr_assert_not_null(rh_reason(r, "combo_test_voices_screen"));
    int without = rh_score_of(r);
    snprintf(buf, sizeof buf, "%s%s}", rec, ",\"accommodations\":[\"relay_service\"]");
    r = rh_score(buf);
    cr_assert_null(rh_reason(r, "combo_test_voices_screen"));
    cr_assert_not_null(rh_reason(r, "int_screen_share_leak"));
    cr_assert_lt(rh_score_of(r), without);
}

/* The explanation names of the default pack. */
static size_t pack_explanations(char names[][64], size_t max) {
    FILE *f = fopen(IDR_TEST_SOURCE_DIR "/data/rules/default.pack", "rb");
    cr_assert_not_null(f);
    char line[4096];
    size_t n = 0;
    while (fgets(line, sizeof line, f) && n < max) {
        if (sscanf(line, "[explanation %63[a-z0-9_]]", names[n]) == 1) {
            n++;
        }
    }
    fclose(f);
    return n;
}

static int score_with(cJSON *rec, const char *acc) {
    cJSON_DeleteItemFromObjectCaseSensitive(rec, "accommodations");
    if (acc) {
        cJSON *a = cJSON_AddArrayToObject(rec, "accommodations");
        cJSON_AddItemToArray(a, cJSON_CreateString(acc));
    }
    char *json = cJSON_PrintUnformatted(rec);
    int s = rh_score_of(rh_score(json));
    free(json);
    return s;
}

/* The property of item 4: for every example and every explanation of the pack, the
 * score with the explanation is at most the score without any. */
Test(calibration, no_accommodation_ever_raises_a_score) {
    char names[32][64];
    size_t nn = pack_explanations(names, 32);
    cr_assert_geq(nn, 7);
    DIR *d = opendir(IDR_TEST_SOURCE_DIR "/examples/candidates");
    cr_assert_not_null(d);
    struct dirent *e;
    size_t examples = 0;
    while ((e = readdir(d)) != NULL) {
        size_t l = strlen(e->d_name);
        if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0) {
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/examples/candidates/%s", IDR_TEST_SOURCE_DIR,
                 e->d_name);
        FILE *f = fopen(path, "rb");
        cr_assert_not_null(f);
        static char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        cJSON *rec = cJSON_Parse(buf);
        cr_assert_not_null(rec, "%s", path);
        int base = score_with(rec, NULL);
        for (size_t i = 0; i < nn; i++) {
            int s = score_with(rec, names[i]);
            cr_assert_leq(s, base, "%s with %s: %d > %d", e->d_name, names[i], s, base);
        }
        cJSON_Delete(rec);
        examples++;
    }
    closedir(d);
    cr_assert_geq(examples, 10);
}
