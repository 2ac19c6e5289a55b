/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_candidate.c - the candidate-record parser (lib/parse/): every field
 * lands in the typed struct, every kind of bad input is an error naming its JSON path,
 * protected attributes are refused at any depth, unknown fields become warnings, the
 * limits hold, sensitive numbers are only kept hashed.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#ifndef IDR_TEST_SOURCE_DIR
    #define IDR_TEST_SOURCE_DIR "."
#endif

/* What the parser stores for an identifier parsed without a key (idr__candidate_parse):
 * the keyed hash under the all-zero test key, with the field's JSON name as domain. */
static void zero_key_hash(const char *domain, const char *norm, char hex[65]) {
    uint8_t z[IDR__ID_KEY_BYTES] = {0};
    idr__id_key k;
    cr_assert_eq(idr__crypto_init(), 0);
    idr__id_key_init(&k, z);
    idr__id_hash_hex(&k, domain, norm, strlen(norm), hex);
}

static char *slurp(const char *path, size_t *len) {
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_not_null(buf);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static int
parse_lim(const char *json, const idr__limits *lim, idr_candidate **c, idr_error *err) {
    memset(err, 0, sizeof *err);
    *c = NULL;
    return idr__candidate_parse(c, lim, json, strlen(json), err);
}

static int parse(const char *json, idr_candidate **c, idr_error *err) {
    return parse_lim(json, &idr__default_limits, c, err);
}

/* Parse must fail with `code` naming `field`; the message must name it too. */
static void expect_error(const char *json, int code, const char *field) {
    idr_candidate *c = (idr_candidate *)1;
    idr_error err;
    int rc = parse(json, &c, &err);
    cr_assert_eq(rc, code, "for %s: expected %d, got %d (%s: %s)", json, code, rc,
                 err.field, err.message);
    cr_assert_null(c, "no candidate on error");
    cr_assert_eq(err.code, code);
    cr_assert_str_eq(err.field, field, "for %s: field \"%s\", message: %s", json,
                     err.field, err.message);
    if (field[0]) {
        cr_assert(strstr(err.message, field) != NULL, "message \"%s\" does not name %s",
                  err.message, field);
    }
}

static idr_candidate *parse_ok(const char *json) {
    idr_candidate *c = NULL;
    idr_error err;
    int rc = parse(json, &c, &err);
    cr_assert_eq(rc, IDR_OK, "for %s: %s: %s", json, err.field, err.message);
    cr_assert_not_null(c);
    return c;
}

/* ---- valid records -------------------------------------------------------------- */

Test(candidate, minimal_record_defaults) {
    idr_candidate *c = parse_ok("{\"candidate_id\":\"m-1\"}");
    cr_assert_str_eq(idr_candidate_id(c), "m-1");
    cr_assert_eq(c->has, 0u);
    cr_assert_eq(c->as_of, IDR__TIME_NONE);
    cr_assert_eq(c->engagement.type, IDR__ENG_NONE);
    cr_assert_eq(c->engagement.start_date, IDR__DATE_NONE);
    cr_assert_eq(c->engagement.offer_accepted_at, IDR__TIME_NONE);
    cr_assert_str_eq(c->engagement.declared_work_country, "");
    cr_assert_null(c->identity.full_name);
    cr_assert_eq(c->identity.date_of_birth, IDR__DATE_NONE);
    cr_assert_not(c->identity.residence.present);
    cr_assert(isnan(c->identity.residence.lat));
    cr_assert_eq(c->identity.residence.cmra, IDR__UNK);
    cr_assert_not(c->identity.has_phash);
    cr_assert_eq(c->n_documents, 0);
    cr_assert_eq(c->n_sessions, 0);
    cr_assert_eq(c->payment.payee_company_formed_on, IDR__DATE_NONE);
    cr_assert_eq(c->equipment.byod_requested, IDR__UNK);
    cr_assert_eq(c->workflow.refused_in_person_i9, IDR__UNK);
    cr_assert_eq(c->post_hire.unmanaged_device_logins, -1);
    cr_assert_eq(c->post_hire.hired_at, IDR__DATE_NONE);
    cr_assert_eq(c->warnings.n, 0);
    idr_candidate_free(c);
}

Test(candidate, minimal_fixture_file) {
    size_t len;
    char *json =
        slurp(IDR_TEST_SOURCE_DIR "/tests/fixtures/candidate_minimal.json", &len);
    idr_candidate *c = NULL;
    idr_error err;
    cr_assert_eq(idr_candidate_from_json(&c, NULL, json, len, &err), IDR_OK, "%s",
                 err.message);
    cr_assert_str_eq(idr_candidate_id(c), "minimal-0001");
    idr_candidate_free(c);
    free(json);
}

Test(candidate, full_record_round_trip) {
    size_t len;
    char *json =
        slurp(IDR_TEST_SOURCE_DIR "/tests/fuzz/corpus/candidate_json/full.json", &len);
    idr_candidate *c = NULL;
    idr_error err;
    int rc = idr_candidate_from_json(&c, NULL, json, len, &err);
    cr_assert_eq(rc, IDR_OK, "%s: %s", err.field, err.message);
    free(json); /* nothing may point into the input */

    cr_assert_str_eq(c->candidate_id, "cand-full-0001");
    cr_assert_eq(c->as_of, 1742472000);
    cr_assert_eq(c->has, 0x1fffu, "every section present");
    cr_assert_eq(c->warnings.n, 0);

    const idr__engagement *e = &c->engagement;
    cr_assert_eq(e->type, IDR__ENG_EOR_CONTRACTOR);
    cr_assert_str_eq(e->declared_work_country, "US");
    cr_assert_str_eq(e->staffing_firm, "Acme Staffing");
    cr_assert_str_eq(e->role_title, "Backend engineer");
    int32_t d;
    cr_assert(idr__parse_date("2025-02-03", &d));
    cr_assert_eq(e->start_date, d);
    cr_assert_eq(e->offer_accepted_at, 1736544600); /* 21:30Z */

    const idr__identity *id = &c->identity;
    cr_assert_str_eq(id->full_name, "Dana Reyes");
    cr_assert_eq(id->aliases.n, 2);
    cr_assert_str_eq(id->aliases.v[1], "D. Reyes");
    cr_assert(idr__parse_date("1990-07-14", &d));
    cr_assert_eq(id->date_of_birth, d);
    cr_assert_str_eq(id->ssn, "123456789");
    cr_assert(id->residence.present);
    cr_assert_str_eq(id->residence.line2, "Apt 2");
    cr_assert_str_eq(id->residence.country, "US");
    cr_assert_float_eq(id->residence.lat, 33.7712, 1e-9);
    cr_assert_float_eq(id->residence.lon, -84.3857, 1e-9);
    cr_assert_eq(id->residence.cmra, 0);
    cr_assert_eq(id->residence.residential, 1);
    cr_assert_str_eq(id->timezone, "America/New_York");
    cr_assert(id->has_phash);
    cr_assert_eq(id->photo_phash, 0xf0e1d2c3b4a59687ull);

    cr_assert_eq(c->n_documents, 2);
    const idr__document *doc = &c->documents[0];
    cr_assert_eq(doc->type, IDR__DOC_PASSPORT);
    cr_assert_str_eq(doc->type_name, "passport");
    cr_assert_str_eq(doc->issuing_country, "US");
    char hex[65];
    zero_key_hash("number", "X1234567", hex); /* dashes dropped, upper-cased */
    cr_assert_str_eq(doc->number_hash, hex);
    cr_assert(doc->verification.present);
    cr_assert_str_eq(doc->verification.provider, "idv-co");
    cr_assert_eq(doc->verification.authentic, 1);
    cr_assert_eq(doc->verification.tamper_detected, 0);
    cr_assert_float_eq(doc->verification.face_match_score, 0.93, 1e-12);
    cr_assert_float_eq(doc->verification.synthetic_face_score, 0.04, 1e-12);
    cr_assert_eq(doc->verification.issuer_record_match, 1);
    cr_assert_eq(c->documents[1].type, IDR__DOC_DRIVERS_LICENSE);
    cr_assert_str_eq(c->documents[1].issuing_region, "GA");
    cr_assert_null(c->documents[1].number_hash);
    cr_assert_not(c->documents[1].verification.present);
    cr_assert(isnan(c->documents[1].verification.face_match_score));

    const idr__contacts *ct = &c->contacts;
    cr_assert_eq(ct->n_emails, 2);
    cr_assert_str_eq(ct->emails[0].address, "dana.reyes@example.com");
    cr_assert_eq(ct->emails[0].first_seen, IDR__DATE_NONE);
    cr_assert_eq(ct->emails[0].verified, IDR__UNK);
    cr_assert_str_eq(ct->emails[1].address, "d.reyes@example.org");
    cr_assert_eq(ct->emails[1].verified, 1);
    cr_assert_eq(ct->n_phones, 2);
    cr_assert_str_eq(ct->phones[0].number, "+1 404 555 0142");
    cr_assert_eq(ct->phones[0].line_type, IDR__LINE_NONE);
    cr_assert_str_eq(ct->phones[1].country_hint, "US");
    cr_assert_eq(ct->phones[1].line_type, IDR__LINE_NON_FIXED_VOIP);
    cr_assert_str_eq(ct->phones[1].line_type_name, "non_fixed_voip");
    cr_assert_str_eq(ct->phones[1].carrier, "Example Voice");
    cr_assert_neq(ct->phones[1].ported_at, IDR__DATE_NONE);
    cr_assert_eq(ct->messaging.n, 2);
    cr_assert_str_eq(ct->messaging.v[0], "telegram");

    cr_assert_eq(c->n_sessions, 2);
    cr_assert_str_eq(c->sessions[0].ip_text, "203.0.113.7");
    cr_assert_eq(c->sessions[0].ip.family, 4);
    cr_assert_eq(c->sessions[0].event, IDR__EV_APPLICATION);
    cr_assert_str_eq(c->sessions[0].device_id, "dev-1");
    cr_assert_eq(c->sessions[1].ip.family, 6);
    cr_assert_eq(c->sessions[1].event, IDR__EV_INTERVIEW);
    cr_assert_str_eq(c->sessions[1].vpn_client, "astrill");
    cr_assert_eq(c->sessions[1].remote_access_tools.n, 2);
    cr_assert_str_eq(c->sessions[1].remote_access_tools.v[0], "anydesk");

    const idr__payment *pay = &c->payment;
    cr_assert_eq(pay->method, IDR__PAY_PAYONEER);
    cr_assert_str_eq(pay->method_name, "payoneer");
    cr_assert_str_eq(pay->account_country, "US");
    zero_key_hash("account_id", "DE89370400440532013000", hex);
    cr_assert_str_eq(pay->account_id_hash, hex);
    cr_assert_eq(pay->payee_type, IDR__PAYEE_COMPANY);
    cr_assert_str_eq(pay->payee_company_name, "Reyes Dev LLC");
    cr_assert_str_eq(pay->payee_company_jurisdiction, "US-DE");
    cr_assert_neq(pay->payee_company_formed_on, IDR__DATE_NONE);
    cr_assert_eq(pay->n_wallets, 1);
    cr_assert_str_eq(pay->wallets[0].chain, "tron");
    cr_assert_str_eq(pay->currency, "USDT");
    cr_assert_eq(pay->n_changes, 1);
    cr_assert_str_eq(pay->changes[0].field, "account_id");

    cr_assert_eq(c->equipment.n_shipments, 1);
    cr_assert(c->equipment.shipments[0].address.present);
    cr_assert_eq(c->equipment.shipments[0].address.cmra, 1);
    cr_assert_eq(c->equipment.shipments[0].address.residential, IDR__UNK);
    cr_assert_str_eq(c->equipment.shipments[0].recipient_name, "J. Halvorsen");
    cr_assert_eq(c->equipment.byod_requested, 1);

    cr_assert_eq(c->n_interviews, 1);
    const idr__interview *iv = &c->interviews[0];
    cr_assert_eq(iv->mode, IDR__MODE_VIDEO);
    cr_assert_eq(iv->camera_on, 0);
    cr_assert_eq(iv->video_issues.n, 2);
    cr_assert_str_eq(iv->video_issues.v[0], "lag");
    cr_assert_eq(iv->liveness_challenge, IDR__LIVE_REFUSED);
    cr_assert_eq(iv->location_questions, IDR__LOCQ_FAILED);
    cr_assert_eq(iv->resume_consistency, IDR__RC_INCONSISTENT);
    cr_assert_eq(iv->other_identities_seen, 1);
    cr_assert_str_eq(iv->notes, "asked to keep camera off");

    cr_assert_eq(c->accommodations.n, 1);
    cr_assert_str_eq(c->accommodations.v[0], "camera_off");
    cr_assert_eq(c->n_travel, 1);
    cr_assert_str_eq(c->travel[0].country, "GB");
    cr_assert_eq(c->travel[0].approved, 1);
    cr_assert_eq(c->travel[0].to - c->travel[0].from, 19);

    cr_assert_eq(c->workflow.refused_in_person_i9, 1);
    cr_assert_eq(c->workflow.refused_notarization, 0);
    cr_assert_eq(c->workflow.prepayment_pressure, 1);

    const idr__work_history *wh = &c->work_history;
    cr_assert_str_eq(wh->resume_text, "Senior engineer.");
    cr_assert_eq(wh->n_employers, 1);
    cr_assert_str_eq(wh->employers[0].domain, "globex.com");
    cr_assert_eq(wh->employers[0].verified, IDR__UNK, "null is absent");
    cr_assert_eq(wh->employers[0].n_references, 1);
    cr_assert_str_eq(wh->employers[0].references[0].phone, "+1 212 555 0100");
    cr_assert_eq(wh->n_education, 1);
    cr_assert_eq(wh->education[0].year, 2012);
    cr_assert_eq(wh->education[0].verified, 0);
    cr_assert_eq(wh->n_profiles, 1);
    cr_assert_eq(wh->profiles[0].kind, IDR__PROF_GITHUB);
    cr_assert_str_eq(wh->profiles[0].kind_name, "github");
    cr_assert_eq(wh->profiles[0].followers, 3);
    cr_assert_str_eq(wh->referred_by, "cand-0042");

    const idr__post_hire *ph = &c->post_hire;
    cr_assert_neq(ph->hired_at, IDR__DATE_NONE);
    cr_assert_eq(ph->endpoint_findings.n, 2);
    cr_assert_str_eq(ph->endpoint_findings.v[0], "pikvm");
    cr_assert_eq(ph->n_device_locations, 1);
    cr_assert_float_eq(ph->device_locations[0].lon, -75.524, 1e-9);
    cr_assert_str_eq(ph->device_locations[0].country, "US");
    cr_assert_eq(ph->unmanaged_device_logins, 2);
    cr_assert_eq(ph->identity_holder_complaint, 0);
    cr_assert_eq(ph->different_person_suspected, 1);
    idr_candidate_free(c);
}

/* Every example record of the project parses. */
Test(candidate, examples_parse) {
    const char *dir = IDR_TEST_SOURCE_DIR "/examples/candidates";
    DIR *d = opendir(dir);
    if (!d) {
        cr_skip_test("no examples directory");
    }
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".json") != 0) {
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len;
        char *json = slurp(path, &len);
        idr_candidate *c = NULL;
        idr_error err;
        int rc = idr__candidate_parse(&c, &idr__default_limits, json, len, &err);
        cr_assert_eq(rc, IDR_OK, "%s: %s", de->d_name, err.message);
        idr_candidate_free(c);
        free(json);
        n++;
    }
    closedir(d);
    cr_assert_gt(n, 0);
}

Test(candidate, public_api_edges) {
    idr_candidate_free(NULL);
    cr_assert_eq(idr__candidate_parse(NULL, NULL, "{}", 2, NULL), IDR_EINVAL);
    {
        /* callers that count the terminator: trailing NULs are tolerated */
        idr_candidate *t = NULL;
        cr_assert_eq(
            idr__candidate_parse(&t, NULL, "{\"candidate_id\":\"t\"}\0", 21, NULL),
            IDR_OK);
        idr_candidate_free(t);
    }
    cr_assert_null(idr_candidate_id(NULL));
    idr_candidate *c = NULL;
    idr_error err;
    const char *j = "{\"candidate_id\":\"p\"} \n\t";
    cr_assert_eq(idr_candidate_from_json(&c, NULL, j, strlen(j), &err), IDR_OK);
    idr_candidate_free(c);
    /* the buffer need not be NUL-terminated: only len bytes are read */
    char buf[32];
    memcpy(buf, "{\"candidate_id\":\"q\"}XXXXXXXXXXX", 32);
    cr_assert_eq(idr_candidate_from_json(&c, NULL, buf, 20, NULL), IDR_OK);
    cr_assert_str_eq(idr_candidate_id(c), "q");
    idr_candidate_free(c);
    cr_assert_eq(idr_candidate_from_json(&c, NULL, NULL, 0, &err), IDR_EINVAL);
}

/* ---- contacts forms ------------------------------------------------------------- */

Test(candidate, emails_and_phones_string_and_object) {
    idr_candidate *c = parse_ok(
        "{\"candidate_id\":\"x\",\"contacts\":{\"emails\":[\"a@b.c\",{\"address\":\"d@e."
        "f\","
        "\"first_seen\":\"2024-01-02\"}],\"phones\":[{\"number\":\"+44 20 7946 0000\","
        "\"line_type\":\"landline\"},\"+1 202 555 0100\"]}}");
    cr_assert_eq(c->contacts.n_emails, 2);
    cr_assert_str_eq(c->contacts.emails[0].address, "a@b.c");
    cr_assert_eq(c->contacts.emails[0].verified, IDR__UNK);
    cr_assert_str_eq(c->contacts.emails[1].address, "d@e.f");
    cr_assert_neq(c->contacts.emails[1].first_seen, IDR__DATE_NONE);
    cr_assert_eq(c->contacts.n_phones, 2);
    cr_assert_eq(c->contacts.phones[0].line_type, IDR__LINE_LANDLINE);
    cr_assert_str_eq(c->contacts.phones[1].number, "+1 202 555 0100");
    cr_assert_eq(c->contacts.phones[1].first_seen, IDR__DATE_NONE);
    cr_assert_eq(c->has, (unsigned)IDR__HAS_CONTACTS);
    idr_candidate_free(c);

    expect_error("{\"candidate_id\":\"x\",\"contacts\":{\"emails\":[1]}}", IDR_EINVAL,
                 "contacts.emails[0]");
    expect_error("{\"candidate_id\":\"x\",\"contacts\":{\"phones\":\"+1 202\"}}",
                 IDR_EINVAL, "contacts.phones");
}

/* ---- null, open lists, hashing -------------------------------------------------- */

Test(candidate, null_is_absent) {
    idr_candidate *c =
        parse_ok("{\"schema\":null,\"candidate_id\":\"x\",\"as_of\":null,\"identity\":"
                 "null,\"payment\":{\"method\":"
                 "null,\"account_id\":null},\"documents\":[{\"type\":null,"
                 "\"verification\":null}]}");
    cr_assert_eq(c->as_of, IDR__TIME_NONE);
    cr_assert_eq(c->has & IDR__HAS_IDENTITY, 0u);
    cr_assert(c->has & IDR__HAS_PAYMENT);
    cr_assert_eq(c->payment.method, IDR__PAY_NONE);
    cr_assert_null(c->payment.account_id_hash);
    cr_assert_eq(c->n_documents, 1);
    cr_assert_eq(c->documents[0].type, IDR__DOC_NONE);
    cr_assert_not(c->documents[0].verification.present);
    idr_candidate_free(c);
}

Test(candidate, open_lists_lower_cased_and_kept) {
    idr_candidate *c = parse_ok(
        "{\"candidate_id\":\"x\",\"contacts\":{\"messaging\":[\"WhatsApp\",\"Matrix\"]},"
        "\"accommodations\":[\"Text_Only\",\"something_new\"],\"post_hire\":{"
        "\"endpoint_findings\":[\"IP_KVM\",\"Brand New Tool\"]},\"interviews\":[{"
        "\"video_issues\":[\"Face_Warp\",\"pixelation\"]}]}");
    cr_assert_str_eq(c->contacts.messaging.v[1], "matrix");
    cr_assert_str_eq(c->accommodations.v[0], "text_only");
    cr_assert_str_eq(c->accommodations.v[1], "something_new");
    cr_assert_str_eq(c->post_hire.endpoint_findings.v[1], "brand new tool");
    cr_assert_str_eq(c->interviews[0].video_issues.v[1], "pixelation");
    idr_candidate_free(c);
    expect_error("{\"candidate_id\":\"x\",\"accommodations\":[\"ok\",7]}", IDR_EINVAL,
                 "accommodations[1]");
    expect_error("{\"candidate_id\":\"x\",\"accommodations\":\"camera_off\"}", IDR_EINVAL,
                 "accommodations");
}

Test(candidate, sensitive_numbers_only_hashed) {
    const char *json =
        "{\"candidate_id\":\"x\",\"documents\":[{\"number\":\"P 998877-66\"}],"
        "\"payment\":{\"account_id\":\"acct-00042\"}}";
    idr_candidate *c = parse_ok(json);
    char hex[65];
    zero_key_hash("number", "P99887766", hex);
    cr_assert_str_eq(c->documents[0].number_hash, hex);
    zero_key_hash("account_id", "ACCT00042", hex);
    cr_assert_str_eq(c->payment.account_id_hash, hex);
    cr_assert_eq(strlen(c->payment.account_id_hash), 64);
    idr_candidate_free(c);
    /* same number, other spelling: same hash */
    idr_candidate *c2 =
        parse_ok("{\"candidate_id\":\"y\",\"documents\":[{\"number\":\"p99887766\"}]}");
    zero_key_hash("number", "P99887766", hex);
    cr_assert_str_eq(c2->documents[0].number_hash, hex);
    idr_candidate_free(c2);
    expect_error("{\"candidate_id\":\"x\",\"documents\":[{\"number\":\" - \"}]}",
                 IDR_EINVAL, "documents[0].number");
    expect_error("{\"candidate_id\":\"x\",\"payment\":{\"account_id\":12345}}",
                 IDR_EINVAL, "payment.account_id");
}

/* An error about a sensitive value never echoes it. */
Test(candidate, errors_do_not_echo_sensitive_values) {
    idr_candidate *c;
    idr_error err;
    cr_assert_eq(parse("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"123-45-678X\"}}",
                       &c, &err),
                 IDR_EINVAL);
    cr_assert_null(strstr(err.message, "678"));
}

/* ---- required fields, top level, syntax ----------------------------------------- */

Test(candidate, candidate_id_required) {
    expect_error("{}", IDR_EINVAL, "candidate_id");
    expect_error("{\"schema\":\"idrisk.candidate/1\"}", IDR_EINVAL, "candidate_id");
    expect_error("{\"candidate_id\":\"\"}", IDR_EINVAL, "candidate_id");
    expect_error("{\"candidate_id\":42}", IDR_EINVAL, "candidate_id");
    expect_error("{\"candidate_id\":null}", IDR_EINVAL, "candidate_id");
}

Test(candidate, schema_must_match) {
    expect_error("{\"schema\":\"idrisk.candidate/2\",\"candidate_id\":\"x\"}", IDR_EINVAL,
                 "schema");
    expect_error("{\"schema\":1,\"candidate_id\":\"x\"}", IDR_EINVAL, "schema");
}

Test(candidate, top_level_must_be_object) {
    expect_error("[{\"candidate_id\":\"x\"}]", IDR_EINVAL, "");
    expect_error("\"x\"", IDR_EINVAL, "");
    expect_error("null", IDR_EINVAL, "");
}

Test(candidate, malformed_json) {
    expect_error("", IDR_EINVAL, "");
    expect_error("{\"candidate_id\":\"x\"", IDR_EINVAL, "");
    expect_error("{\"candidate_id\":\"x\",}", IDR_EINVAL, "");
    expect_error("{\"candidate_id\":'x'}", IDR_EINVAL, "");
    expect_error("{\"candidate_id\":\"x\"} {}", IDR_EINVAL, "");
    idr_candidate *c;
    idr_error err;
    parse("{\n\"candidate_id\":\n  nope}", &c, &err);
    cr_assert(strstr(err.message, "line 3") != NULL, "%s", err.message);
}

/* ---- wrong types ---------------------------------------------------------------- */

Test(candidate, wrong_types) {
    expect_error("{\"candidate_id\":\"x\",\"identity\":[]}", IDR_EINVAL, "identity");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"full_name\":5}}", IDR_EINVAL,
                 "identity.full_name");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"aliases\":[\"a\",null]}}",
                 IDR_EINVAL, "identity.aliases[1]");
    expect_error("{\"candidate_id\":\"x\",\"documents\":{}}", IDR_EINVAL, "documents");
    expect_error("{\"candidate_id\":\"x\",\"documents\":[{},3]}", IDR_EINVAL,
                 "documents[1]");
    expect_error("{\"candidate_id\":\"x\",\"workflow\":{\"refused_drug_test\":\"yes\"}}",
                 IDR_EINVAL, "workflow.refused_drug_test");
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"residence\":{\"lat\":\"33.1\"}}}",
        IDR_EINVAL, "identity.residence.lat");
    expect_error("{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":\"1.2.3.4\","
                 "\"remote_access_tools\":\"anydesk\"}]}}",
                 IDR_EINVAL, "network.sessions[0].remote_access_tools");
    expect_error("{\"candidate_id\":\"x\",\"work_history\":{\"employers\":[{"
                 "\"references\":[{\"name\":"
                 "[]}]}]}}",
                 IDR_EINVAL, "work_history.employers[0].references[0].name");
    expect_error("{\"candidate_id\":\"x\",\"payment\":{\"payee_company\":\"LLC\"}}",
                 IDR_EINVAL, "payment.payee_company");
}

/* ---- dates, instants, IPs, countries, zones ------------------------------------- */

Test(candidate, bad_dates_and_instants) {
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"date_of_birth\":\"1990-02-30\"}}",
        IDR_EINVAL, "identity.date_of_birth");
    expect_error("{\"candidate_id\":\"x\",\"travel\":[{\"from\":\"2025-3-1\"}]}",
                 IDR_EINVAL, "travel[0].from");
    expect_error("{\"candidate_id\":\"x\",\"documents\":[{\"expires\":20290430}]}",
                 IDR_EINVAL, "documents[0].expires");
    expect_error("{\"candidate_id\":\"x\",\"as_of\":\"2025-03-01 14:00:00Z\"}",
                 IDR_EINVAL, "as_of");
    expect_error("{\"candidate_id\":\"x\",\"as_of\":\"2025-03-01T14:00:00\"}", IDR_EINVAL,
                 "as_of");
    expect_error(
        "{\"candidate_id\":\"x\",\"documents\":[{\"verification\":{\"checked_at\":"
        "\"yesterday\"}}]}",
        IDR_EINVAL, "documents[0].verification.checked_at");
    expect_error("{\"candidate_id\":\"x\",\"payment\":{\"payee_company\":{\"formed_on\":"
                 "\"2024-13-01\"}}}",
                 IDR_EINVAL, "payment.payee_company.formed_on");
}

Test(candidate, bad_ips) {
    expect_error(
        "{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":\"1.1.1.1\"},"
        "{\"ip\":\"::1\"},{\"ip\":\"10.0.0.1\"},{\"ip\":\"1.2.3\"}]}}",
        IDR_EINVAL, "network.sessions[3].ip");
    expect_error(
        "{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":\"fe80::1%eth0\"}]"
        "}}",
        IDR_EINVAL, "network.sessions[0].ip");
    expect_error(
        "{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":\" 1.2.3.4\"}]}}",
        IDR_EINVAL, "network.sessions[0].ip");
    expect_error("{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"at\":"
                 "\"2025-01-01T00:00:00Z\"}]}}",
                 IDR_EINVAL, "network.sessions[0].ip");
    expect_error("{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":null}]}}",
                 IDR_EINVAL, "network.sessions[0].ip");
    idr_candidate *c =
        parse_ok("{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":"
                 "\"::ffff:203.0.113.9\"}]}}");
    cr_assert_eq(c->sessions[0].ip.family, 4);
    cr_assert_str_eq(c->sessions[0].ip_text, "::ffff:203.0.113.9");
    idr_candidate_free(c);
}

Test(candidate, bad_countries) {
    expect_error(
        "{\"candidate_id\":\"x\",\"engagement\":{\"declared_work_country\":\"us\"}}",
        IDR_EINVAL, "engagement.declared_work_country");
    expect_error("{\"candidate_id\":\"x\",\"payment\":{\"account_country\":\"ZZ\"}}",
                 IDR_EINVAL, "payment.account_country");
    expect_error("{\"candidate_id\":\"x\",\"travel\":[{\"country\":\"USA\"}]}",
                 IDR_EINVAL, "travel[0].country");
    expect_error(
        "{\"candidate_id\":\"x\",\"contacts\":{\"phones\":[{\"country_hint\":\"UK\"}]"
        "}}",
        IDR_EINVAL, "contacts.phones[0].country_hint");
    expect_error(
        "{\"candidate_id\":\"x\",\"post_hire\":{\"device_locations\":[{\"country\":"
        "1}]}}",
        IDR_EINVAL, "post_hire.device_locations[0].country");
}

Test(candidate, timezone_checked_with_icu) {
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"timezone\":\"Mars/Olympus\"}}",
                 IDR_EINVAL, "identity.timezone");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"timezone\":\"GMT+05:00\"}}",
                 IDR_EINVAL, "identity.timezone");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"timezone\":\"\"}}", IDR_EINVAL,
                 "identity.timezone");
    idr_candidate *c =
        parse_ok("{\"candidate_id\":\"x\",\"identity\":{\"timezone\":\"Asia/Kolkata\"}}");
    cr_assert_str_eq(c->identity.timezone, "Asia/Kolkata");
    idr_candidate_free(c);
    c = parse_ok("{\"candidate_id\":\"x\",\"identity\":{\"timezone\":\"Etc/UTC\"}}");
    idr_candidate_free(c);
}

/* ---- numbers -------------------------------------------------------------------- */

Test(candidate, out_of_range_numbers) {
    expect_error("{\"candidate_id\":\"x\",\"documents\":[{\"verification\":{"
                 "\"face_match_score\":1.5}}]}",
                 IDR_EINVAL, "documents[0].verification.face_match_score");
    expect_error("{\"candidate_id\":\"x\",\"documents\":[{\"verification\":{"
                 "\"synthetic_face_score\":-0.1}}]}",
                 IDR_EINVAL, "documents[0].verification.synthetic_face_score");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"residence\":{\"lat\":90.5}}}",
                 IDR_EINVAL, "identity.residence.lat");
    expect_error("{\"candidate_id\":\"x\",\"equipment\":{\"shipments\":[{\"address\":{"
                 "\"lon\":-180.01}}]}}",
                 IDR_EINVAL, "equipment.shipments[0].address.lon");
    expect_error("{\"candidate_id\":\"x\",\"post_hire\":{\"device_locations\":[{\"lat\":"
                 "1e400}]}}",
                 IDR_EINVAL, "post_hire.device_locations[0].lat");
    expect_error(
        "{\"candidate_id\":\"x\",\"work_history\":{\"profiles\":[{\"followers\":-1}]"
        "}}",
        IDR_EINVAL, "work_history.profiles[0].followers");
    expect_error(
        "{\"candidate_id\":\"x\",\"work_history\":{\"profiles\":[{\"followers\":2.5}"
        "]}}",
        IDR_EINVAL, "work_history.profiles[0].followers");
    expect_error(
        "{\"candidate_id\":\"x\",\"post_hire\":{\"unmanaged_device_logins\":-3}}",
        IDR_EINVAL, "post_hire.unmanaged_device_logins");
    expect_error(
        "{\"candidate_id\":\"x\",\"work_history\":{\"education\":[{\"year\":1899}]}}",
        IDR_EINVAL, "work_history.education[0].year");
    expect_error(
        "{\"candidate_id\":\"x\",\"work_history\":{\"education\":[{\"year\":2101}]}}",
        IDR_EINVAL, "work_history.education[0].year");
    idr_candidate *c = parse_ok("{\"candidate_id\":\"x\",\"documents\":[{"
                                "\"verification\":{\"face_match_score\":0,"
                                "\"synthetic_face_score\":1}}],\"identity\":{"
                                "\"residence\":{\"lat\":-90,\"lon\":180}},"
                                "\"work_history\":{\"education\":[{\"year\":1900}],"
                                "\"profiles\":[{\"followers\":0}]},"
                                "\"post_hire\":{\"unmanaged_device_logins\":0}}");
    cr_assert_float_eq(c->documents[0].verification.synthetic_face_score, 1.0, 0);
    cr_assert_eq(c->work_history.education[0].year, 1900);
    cr_assert_eq(c->work_history.profiles[0].followers, 0);
    cr_assert_eq(c->post_hire.unmanaged_device_logins, 0);
    idr_candidate_free(c);
}

/* ---- SSN, phash ----------------------------------------------------------------- */

Test(candidate, ssn_forms) {
    idr_candidate *c =
        parse_ok("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"078051120\"}}");
    cr_assert_str_eq(c->identity.ssn, "078051120");
    idr_candidate_free(c);
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"12345678\"}}",
                 IDR_EINVAL, "identity.ssn");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"1234567890\"}}",
                 IDR_EINVAL, "identity.ssn");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"123 45 6789\"}}",
                 IDR_EINVAL, "identity.ssn");
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"ssn\":123456789}}", IDR_EINVAL,
                 "identity.ssn");
}

Test(candidate, photo_phash) {
    expect_error("{\"candidate_id\":\"x\",\"identity\":{\"photo_phash\":\"abc\"}}",
                 IDR_EINVAL, "identity.photo_phash");
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"photo_phash\":\"0123456789abcdefa\""
        "}}",
        IDR_EINVAL, "identity.photo_phash");
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"photo_phash\":\"0123456789abcdeg\"}"
        "}",
        IDR_EINVAL, "identity.photo_phash");
    idr_candidate *c = parse_ok(
        "{\"candidate_id\":\"x\",\"identity\":{\"photo_phash\":\"0000000000000001\"}}");
    cr_assert(c->identity.has_phash);
    cr_assert_eq(c->identity.photo_phash, 1u);
    idr_candidate_free(c);
}

/* ---- closed enums --------------------------------------------------------------- */

Test(candidate, closed_enums_reject_unknown_values) {
    static const struct {
        const char *json, *field;
    } cases[] = {
        {"{\"candidate_id\":\"x\",\"engagement\":{\"type\":\"intern\"}}",
         "engagement.type"},
        {"{\"candidate_id\":\"x\",\"documents\":[{\"type\":\"library_card\"}]}",
         "documents[0].type"},
        {"{\"candidate_id\":\"x\",\"contacts\":{\"phones\":[{\"line_type\":\"satellite\"}"
         "]}}",
         "contacts.phones[0].line_type"},
        {"{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":\"1.2.3.4\","
         "\"event\":"
         "\"party\"}]}}",
         "network.sessions[0].event"},
        {"{\"candidate_id\":\"x\",\"payment\":{\"method\":\"venmo\"}}", "payment.method"},
        {"{\"candidate_id\":\"x\",\"payment\":{\"payee_type\":\"trust\"}}",
         "payment.payee_type"},
        {"{\"candidate_id\":\"x\",\"interviews\":[{\"mode\":\"hologram\"}]}",
         "interviews[0].mode"},
        {"{\"candidate_id\":\"x\",\"interviews\":[{\"liveness_challenge\":\"maybe\"}]}",
         "interviews[0].liveness_challenge"},
        {"{\"candidate_id\":\"x\",\"interviews\":[{\"location_questions\":\"skipped\"}]}",
         "interviews[0].location_questions"},
        {"{\"candidate_id\":\"x\",\"interviews\":[{\"resume_consistency\":\"meh\"}]}",
         "interviews[0].resume_consistency"},
        {"{\"candidate_id\":\"x\",\"work_history\":{\"profiles\":[{\"kind\":\"myspace\"}]"
         "}}",
         "work_history.profiles[0].kind"},
        {"{\"candidate_id\":\"x\",\"documents\":[{\"type\":\"Passport\"}]}",
         "documents[0].type"},
        {"{\"candidate_id\":\"x\",\"payment\":{\"method\":3}}", "payment.method"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_error(cases[i].json, IDR_EINVAL, cases[i].field);
    }
    /* the message lists the allowed values */
    idr_candidate *c;
    idr_error err;
    parse(cases[4].json, &c, &err);
    cr_assert(strstr(err.message, "bank_account") && strstr(err.message, "venmo"), "%s",
              err.message);
}

/* ---- UTF-8 and duplicate keys --------------------------------------------------- */

Test(candidate, invalid_utf8) {
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"full_name\":\"Dana \xff Reyes\"}}",
        IDR_EINVAL, "identity.full_name");
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"aliases\":[\"ok\",\"\xc0\xaf\"]}}",
        IDR_EINVAL, "identity.aliases[1]"); /* overlong */
    expect_error("{\"candidate_id\":\"x\",\"notes\":\"\xed\xa0\x80\"}", IDR_EINVAL,
                 "notes"); /* surrogate, in an unknown field */
    expect_error("{\"candidate_id\":\"x\",\"k\xe2\x82\":1}", IDR_EINVAL,
                 "k\xe2\x82"); /* truncated sequence in a key */
    idr_candidate *c = parse_ok("{\"candidate_id\":\"x\",\"identity\":{\"full_name\":"
                                "\"José Ñúñez 李 \xf0\x9f\x98\x80\"}"
                                "}");
    idr_candidate_free(c);
}

Test(candidate, duplicate_keys) {
    expect_error("{\"candidate_id\":\"x\",\"candidate_id\":\"y\"}", IDR_EINVAL,
                 "candidate_id");
    expect_error(
        "{\"candidate_id\":\"x\",\"identity\":{\"ssn\":\"123456789\",\"full_name\":"
        "\"a\",\"ssn\":\"987654321\"}}",
        IDR_EINVAL, "identity.ssn");
    /* a large object takes the hashed path */
    char json[2048];
    size_t o = (size_t)snprintf(json, sizeof json, "{\"candidate_id\":\"x\",\"extra\":{");
    for (int i = 0; i < 40; i++) {
        o += (size_t)snprintf(json + o, sizeof json - o, "\"k%d\":%d,", i, i);
    }
    snprintf(json + o, sizeof json - o, "\"k17\":0}}");
    expect_error(json, IDR_EINVAL, "extra.k17");
}

/* ---- protected attributes ------------------------------------------------------- */

Test(candidate, protected_attributes_refused_at_any_depth) {
    static const struct {
        const char *json, *field;
    } cases[] = {
        {"{\"candidate_id\":\"x\",\"nationality\":\"KP\"}", "nationality"},
        {"{\"candidate_id\":\"x\",\"identity\":{\"citizenship\":\"US\"}}",
         "identity.citizenship"},
        {"{\"candidate_id\":\"x\",\"identity\":{\"residence\":{\"ethnicity\":\"x\"}}}",
         "identity.residence.ethnicity"},
        {"{\"candidate_id\":\"x\",\"documents\":[{},{\"place_of_birth\":\"x\"}]}",
         "documents[1].place_of_birth"},
        {"{\"candidate_id\":\"x\",\"custom\":{\"deep\":[{\"religion\":null}]}}",
         "custom.deep[0].religion"},
        {"{\"candidate_id\":\"x\",\"interviews\":[{\"accent\":\"x\"}]}",
         "interviews[0].accent"},
        {"{\"candidate_id\":\"x\",\"identity\":{\"Native-Language\":\"x\"}}",
         "identity.Native-Language"},
        {"{\"candidate_id\":\"x\",\"identity\":{\"maritalStatus\":\"x\"}}",
         "identity.maritalStatus"},
        {"{\"candidate_id\":\"x\",\"AGE\":30}", "AGE"},
        {"{\"candidate_id\":\"x\",\"x\":{\"sex\":1,\"gender\":2}}", "x.sex"},
        {"{\"candidate_id\":\"x\",\"race\":1}", "race"},
        {"{\"candidate_id\":\"x\",\"_Gender_\":1}", "_Gender_"},
        {"{\"candidate_id\":\"x\",\"a\":[[{\"native language\":1}]]}",
         "a[0][0].native language"},
        {"{\"candidate_id\":\"x\",\"disability\":1}", "disability"},
        {"{\"candidate_id\":\"x\",\"birthplace\":1}", "birthplace"},
        {"{\"candidate_id\":\"x\",\"national_origin\":1}", "national_origin"},
        {"{\"candidate_id\":\"x\",\"language\":1}", "language"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_error(cases[i].json, IDR_EINVAL, cases[i].field);
        idr_candidate *c;
        idr_error err;
        parse(cases[i].json, &c, &err);
        cr_assert(strstr(err.message, "protected attribute") != NULL, "%s", err.message);
    }
    /* values are not keys: a string that says "nationality" is fine */
    idr_candidate *c = parse_ok(
        "{\"candidate_id\":\"x\",\"work_history\":{\"resume_text\":\"nationality: "
        "n/a\"},\"ages\":1,\"languages_spoken\":2}");
    cr_assert_eq(c->warnings.n, 2);
    idr_candidate_free(c);
}

Test(candidate, protected_attribute_wins_over_other_errors) {
    /* a bad date, a duplicate, bad UTF-8, too deep and a missing id all come first in
     * document order; the protected attribute is still what is reported */
    expect_error("{\"identity\":{\"date_of_birth\":\"bad\",\"full_name\":\"\xff\"},"
                 "\"a\":1,\"a\":2,\"z\":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]],"
                 "\"late\":{\"gender\":\"x\"}}",
                 IDR_EINVAL, "late.gender");
    idr_candidate *c = (idr_candidate *)1;
    idr_error err;
    char big[3000];
    size_t o = (size_t)snprintf(big, sizeof big, "{\"candidate_id\":\"x\",\"a\":[");
    for (int i = 0; i < 1100; i++) {
        big[o++] = '1';
        big[o++] = ',';
    }
    o += (size_t)snprintf(big + o, sizeof big - o, "2],\"religion\":1}");
    cr_assert_eq(parse(big, &c, &err), IDR_EINVAL, "protected wins over the array limit");
    cr_assert_str_eq(err.field, "religion");
}

/* ---- unknown fields ------------------------------------------------------------- */

Test(candidate, unknown_fields_warn_in_document_order) {
    idr_candidate *c = parse_ok(
        "{\"zeta\":1,\"candidate_id\":\"x\",\"identity\":{\"favourite_color\":\"blue\","
        "\"full_name\":\"A\",\"residence\":{\"plus4\":\"1234\"}},\"network\":{"
        "\"sessions\":"
        "[{\"ip\":\"1.2.3.4\",\"isp\":\"x\"}]},\"alpha\":{\"nested\":{\"x\":1}}}");
    cr_assert_eq(c->warnings.n, 5);
    cr_assert_str_eq(c->warnings.v[0], "unknown field \"zeta\" ignored");
    cr_assert_str_eq(c->warnings.v[1],
                     "unknown field \"identity.favourite_color\" ignored");
    cr_assert_str_eq(c->warnings.v[2],
                     "unknown field \"identity.residence.plus4\" ignored");
    cr_assert_str_eq(c->warnings.v[3],
                     "unknown field \"network.sessions[0].isp\" ignored");
    cr_assert_str_eq(c->warnings.v[4], "unknown field \"alpha\" ignored");
    cr_assert_str_eq(c->identity.full_name, "A");
    idr_candidate_free(c);
    /* many warnings grow the list */
    char json[4096];
    size_t o = (size_t)snprintf(json, sizeof json, "{\"candidate_id\":\"x\"");
    for (int i = 0; i < 100; i++) {
        o += (size_t)snprintf(json + o, sizeof json - o, ",\"u%d\":%d", i, i);
    }
    snprintf(json + o, sizeof json - o, "}");
    c = parse_ok(json);
    cr_assert_eq(c->warnings.n, 100);
    cr_assert_str_eq(c->warnings.v[99], "unknown field \"u99\" ignored");
    idr_candidate_free(c);
}

/* ---- limits --------------------------------------------------------------------- */

Test(candidate, limit_input_bytes) {
    idr__limits lim = {64, 16, 1000, 1000};
    idr_candidate *c;
    idr_error err;
    const char *json =
        "{\"candidate_id\":\"x\",\"identity\":{\"full_name\":\"a long enough "
        "name to pass 64 bytes\"}}";
    cr_assert_eq(parse_lim(json, &lim, &c, &err), IDR_ELIMIT);
    cr_assert_str_eq(err.field, "");
    cr_assert(strstr(err.message, "max_input_bytes") != NULL);
    cr_assert_eq(parse_lim("{\"candidate_id\":\"x\"}", &lim, &c, &err), IDR_OK);
    idr_candidate_free(c);
}

Test(candidate, limit_depth) {
    /* depth counts containers: the record is 1, identity 2, residence 3 */
    idr__limits lim = {1 << 20, 2, 1000, 1000};
    idr_candidate *c;
    idr_error err;
    cr_assert_eq(parse_lim("{\"candidate_id\":\"x\",\"identity\":{\"residence\":{}}}",
                           &lim, &c, &err),
                 IDR_ELIMIT);
    cr_assert_str_eq(err.field, "identity.residence");
    cr_assert(strstr(err.message, "max_depth") != NULL);
    cr_assert_eq(parse_lim("{\"candidate_id\":\"x\",\"identity\":{}}", &lim, &c, &err),
                 IDR_OK);
    idr_candidate_free(c);

    /* default limit 16, in an unknown field */
    char json[256];
    size_t o = (size_t)snprintf(json, sizeof json, "{\"candidate_id\":\"x\",\"deep\":");
    for (int i = 0; i < 17; i++) {
        json[o++] = '[';
    }
    for (int i = 0; i < 17; i++) {
        json[o++] = ']';
    }
    snprintf(json + o, sizeof json - o, "}");
    expect_error(json, IDR_ELIMIT, "deep[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
}

/* Deeper than cJSON's own nesting limit: still IDR_ELIMIT with a path, no crash. */
Test(candidate, limit_depth_beyond_cjson) {
    size_t n = 5000;
    char *json = malloc(2 * n + 64);
    size_t o = (size_t)sprintf(json, "{\"candidate_id\":\"x\",\"a\":{\"b\":");
    for (size_t i = 0; i < n; i++) {
        json[o++] = '[';
    }
    for (size_t i = 0; i < n; i++) {
        json[o++] = ']';
    }
    strcpy(json + o, "}}");
    idr_candidate *c;
    idr_error err;
    cr_assert_eq(parse(json, &c, &err), IDR_ELIMIT, "%s", err.message);
    cr_assert_str_eq(err.field, "a.b[0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
    free(json);
}

Test(candidate, limit_array_length) {
    idr__limits lim = {1 << 20, 16, 3, 3};
    idr_candidate *c;
    idr_error err;
    cr_assert_eq(
        parse_lim("{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":"
                  "\"1.1.1.1\"},{\"ip\":\"1.1.1.2\"},{\"ip\":\"1.1.1.3\"},{\"ip\":"
                  "\"1.1.1.4\"}]}}",
                  &lim, &c, &err),
        IDR_ELIMIT);
    cr_assert_str_eq(err.field, "network.sessions");
    cr_assert(strstr(err.message, "max_sessions") != NULL, "%s", err.message);
    cr_assert_eq(
        parse_lim("{\"candidate_id\":\"x\",\"u\":{\"v\":[1,2,3,4]}}", &lim, &c, &err),
        IDR_ELIMIT);
    cr_assert_str_eq(err.field, "u.v");
    /* objects with more members than max_array are refused too */
    cr_assert_eq(
        parse_lim("{\"candidate_id\":\"x\",\"u\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4}}",
                  &lim, &c, &err),
        IDR_ELIMIT);
    cr_assert_str_eq(err.field, "u");
    cr_assert_eq(parse_lim("{\"candidate_id\":\"x\",\"u\":[1,2,3]}", &lim, &c, &err),
                 IDR_OK);
    idr_candidate_free(c);
}

/* The engine's configured limits are the ones used. */
Test(candidate, engine_limits_apply) {
    idr_engine eng;
    memset(&eng, 0, sizeof eng);
    eng.limits = (idr__limits){1 << 20, 16, 2, 2};
    idr_candidate *c;
    idr_error err;
    const char *json = "{\"candidate_id\":\"x\",\"accommodations\":[\"a\",\"b\",\"c\"]}";
    cr_assert_eq(idr_candidate_from_json(&c, &eng, json, strlen(json), &err), IDR_ELIMIT);
    cr_assert_str_eq(err.field, "accommodations");
    cr_assert_eq(idr_candidate_from_json(&c, NULL, json, strlen(json), &err), IDR_OK);
    idr_candidate_free(c);
}

/* cJSON would cut a string at an escaped NUL and keep going: silent loss, so the
 * record is refused; a literal backslash followed by "u0000" text is fine. */
Test(candidate, escaped_nul_is_refused_not_truncated) {
    idr_candidate *c = NULL;
    idr_error err;
    const char *bad = "{\"candidate_id\":\"a\\u0000b\"}";
    cr_assert_eq(idr__candidate_parse(&c, NULL, bad, strlen(bad), &err), IDR_EINVAL);
    cr_assert_null(c);
    cr_assert(strstr(err.message, "NUL") != NULL, "%s", err.message);
    const char *ok = "{\"candidate_id\":\"a\\\\u0000b\"}";
    cr_assert_eq(idr__candidate_parse(&c, NULL, ok, strlen(ok), &err), IDR_OK, "%s",
                 err.message);
    cr_assert_str_eq(c->candidate_id, "a\\u0000b");
    idr_candidate_free(c);
}

/* network.sessions has its own limit: a long login history passes max_array. */
Test(candidate, limit_sessions_separate_from_array) {
    idr__limits lim = {1 << 20, 16, 2, 5};
    idr_candidate *c = NULL;
    idr_error err;
    const char *four = "{\"candidate_id\":\"x\",\"network\":{\"sessions\":[{\"ip\":"
                       "\"1.1.1.1\"},{\"ip\":\"1.1.1.2\"},{\"ip\":\"1.1.1.3\"},{\"ip\":"
                       "\"1.1.1.4\"}]}}";
    cr_assert_eq(parse_lim(four, &lim, &c, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(c->n_sessions, 4);
    idr_candidate_free(c);
    /* the same array name elsewhere keeps max_array */
    cr_assert_eq(parse_lim("{\"candidate_id\":\"x\",\"u\":{\"sessions\":[1,2,3]}}", &lim,
                           &c, &err),
                 IDR_ELIMIT);
    cr_assert_str_eq(err.field, "u.sessions");
    cr_assert(strstr(err.message, "(max_array)") != NULL, "%s", err.message);
    /* the defaults take a 24-month login history */
    cr_assert_eq(idr__default_limits.max_sessions, 20000);
    cr_assert_geq(idr__default_limits.max_input_bytes, (size_t)20000 * 200);
}

/* idr_candidate_set_default_as_of: fills an absent or null as_of, keeps a record's
 * own, and is what writing "as_of" into the record would give. */
Test(candidate, default_as_of_fills_only_what_the_record_left_out) {
    const int64_t t = 1764547200; /* 2025-12-01T00:00:00Z */
    static const char *const absent = "{\"candidate_id\":\"a\"}";
    static const char *const null_ = "{\"candidate_id\":\"n\",\"as_of\":null}";
    static const char *const own =
        "{\"candidate_id\":\"o\",\"as_of\":\"2024-03-01T00:00:00Z\"}";
    static const char *const written =
        "{\"candidate_id\":\"a\",\"as_of\":\"2025-12-01T00:00:00Z\"}";
    idr_candidate_set_default_as_of(NULL, t);
    idr_candidate *c = NULL, *w = NULL;
    cr_assert_eq(idr_candidate_from_json(&c, NULL, absent, strlen(absent), NULL), IDR_OK);
    cr_assert_eq(idr_candidate_from_json(&w, NULL, written, strlen(written), NULL),
                 IDR_OK);
    idr_candidate_set_default_as_of(c, t);
    cr_assert_eq(c->as_of, t);
    cr_assert_eq(c->as_of, w->as_of);
    idr_candidate_free(c);
    idr_candidate_free(w);
    cr_assert_eq(idr_candidate_from_json(&c, NULL, null_, strlen(null_), NULL), IDR_OK);
    idr_candidate_set_default_as_of(c, t);
    cr_assert_eq(c->as_of, t);
    idr_candidate_free(c);
    cr_assert_eq(idr_candidate_from_json(&c, NULL, own, strlen(own), NULL), IDR_OK);
    int64_t before = c->as_of;
    idr_candidate_set_default_as_of(c, t);
    cr_assert_eq(c->as_of, before);
    cr_assert_neq(before, t);
    idr_candidate_free(c);
}
