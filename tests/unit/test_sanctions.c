/*
 * test_sanctions.c - sanctions and front-company screening (lib/enrich/lists/screen.c,
 * reported by lib/rules/payment.c)
 * through the public API: name hits and near misses with score and threshold in the
 * evidence, persons matched exactly only, exact wallet/email/domain matches (with a
 * test-only list), escalation, and the end-to-end case.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../rules_helpers.h"

static void engine_with_lists(const char *lists_dir) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, lists_dir, &err), IDR_OK);
    int rc = idr_engine_new(&rh_engine, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s", err.message);
}

static void setup(void) {
    engine_with_lists(IDR_TEST_SOURCE_DIR "/data");
}

TestSuite(sanctions, .init = setup, .fini = rh_teardown);

static cJSON *payee(const char *field, const char *name) {
    char json[512];
    if (strcmp(field, "company") == 0) {
        snprintf(json, sizeof json,
                 "{\"candidate_id\":\"s\",\"payment\":{\"payee_type\":\"company\","
                 "\"payee_company\":{\"name\":\"%s\"}}}",
                 name);
    } else if (strcmp(field, "holder") == 0) {
        snprintf(json, sizeof json,
                 "{\"candidate_id\":\"s\",\"payment\":{\"account_holder_name\":\"%s\"}}",
                 name);
    } else if (strcmp(field, "firm") == 0) {
        snprintf(json, sizeof json,
                 "{\"candidate_id\":\"s\",\"engagement\":{\"type\":\"agency\","
                 "\"staffing_firm\":\"%s\"}}",
                 name);
    } else {
        snprintf(json, sizeof json,
                 "{\"candidate_id\":\"s\",\"work_history\":{\"employers\":[{\"name\":"
                 "\"%s\"}]}}",
                 name);
    }
    return rh_score(json);
}

Test(sanctions, designated_company_fires_critical_and_escalates) {
    cJSON *r = payee("company", "GREEN ALPINE TRADING, L.L.C.");
    cJSON *reason = rh_reason(r, "pay_sanctions_match");
    cr_assert_not_null(reason);
    cr_assert_str_eq(rh_str(reason, "severity"), "critical");
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "entry"),
                     "Green Alpine Trading, LLC");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "score"), "1");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "threshold"), "0.88");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "sources"), "OFAC-Dec24");
    rh_assert_has(rh_detail(r, "pay_sanctions_match"), "payee company");
}

Test(sanctions, fuzzy_company_variants_fire_with_their_score) {
    cJSON *r = payee("firm", "Korea Sobaeksu Trading Company");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = payee("employer", "Chinyong Information Technology Cooperation Co");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"),
                       "OFAC's own spelling with a legal form");
    r = payee("employer", "Jinyong IT Cooperation Company");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"), "alias");
    r = payee("company", "Green Alpine Traders LLC");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    double score = atof(rh_ev(r, "pay_sanctions_match", "score"));
    cr_assert(score >= 0.88 && score < 1.0, "score %f", score);
}

Test(sanctions, near_misses_do_not_fire) {
    const char *names[] = {"Green Valley Trading LLC", "Fortuna Consulting Group",
                           "Alpine Green Energy", "Korea Trading Corp.",
                           "Osong Logistics GmbH"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cJSON *r = payee("company", names[i]);
        cr_assert(rh_clean(r, "pay_sanctions_match"), "%s fired", names[i]);
    }
}

Test(sanctions, persons_need_the_exact_name) {
    cJSON *r = payee("holder", "Se Un Kim");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"), "same tokens, other order");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "threshold"), "exact");
    r = payee("holder", "Kim Seun");
    cr_assert(rh_clean(r, "pay_sanctions_match"), "no fuzzy matching of personal names");
    r = payee("holder", "Kim Se Un Park");
    cr_assert(rh_clean(r, "pay_sanctions_match"));
    r = payee("holder", "Vitaliy Andreyev");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"),
                       "a listed patronymic may be left out");
    r = payee("holder", "ANDREYEV, Vitaliy Sergeyevich");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"), "the SDN's own form");
    r = payee("holder", "Vitaliy Sergeyevich");
    cr_assert(rh_clean(r, "pay_sanctions_match"), "only a patronymic may be missing");
    r = payee("holder", "Jong Song Ho");
    cr_assert(rh_clean(r, "pay_sanctions_match"), "Jong Song Hwa is another person");
    r = payee("holder", "Kim Sang Un");
    cr_assert(rh_clean(r, "pay_sanctions_match"),
              "two tokens of Kim Se Un, one of Kim Sang Man");
    r = payee("holder", "Виталий Андреев");
    cr_assert_null(rh_reason(r, "pay_sanctions_match"),
                   "Cyrillic transliterates to vitalij andreev, not the listed spelling");
}

Test(sanctions, front_company_is_high_not_critical) {
    cJSON *r = payee("employer", "Taggcar, Inc.");
    cJSON *reason = rh_reason(r, "pay_front_company_match");
    cr_assert_not_null(reason);
    cr_assert_str_eq(rh_str(reason, "severity"), "high");
    cr_assert(rh_clean(r, "pay_sanctions_match"));
    rh_assert_has(rh_ev(r, "pay_front_company_match", "sources"), "DOJ-Jan25");
    r = payee("employer", "Taggart Transcontinental");
    cr_assert(rh_clean(r, "pay_front_company_match"));
}

Test(sanctions, nothing_to_screen_is_not_evaluated) {
    cJSON *r = rh_score(J({"candidate_id" : "s0"}));
    cr_assert_not_null(rh_not_evaluated(r, "pay_sanctions_match"));
    cr_assert_not_null(rh_not_evaluated(r, "pay_front_company_match"));
}

/* A lists directory with a test-only sanctions entry carrying identifiers (the real
 * file lists none the sources name with certainty). */
Test(sanctions, exact_identifier_matches) {
    char dir[64];
    strcpy(dir, "/tmp/idr-sdn-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sanctions_sdn_itw.tsv", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("# test fixture, not real data\n"
          "Example Test Entity\tentity\t-\tdomain:sdn-test.example;email:"
          "pay@test.example;wallet:ETH:0xAbCdEf0123456789aBcDeF0123456789AbCdEf01;"
          "wallet:TRX:TTestAddressCaseMatters\tOFAC-Aug25\ttest fixture\n",
          f);
    fclose(f);
    rh_teardown();
    engine_with_lists(dir);
    cJSON *r = rh_score(J({
        "candidate_id" : "w",
        "payment" : {
            "crypto_wallets" : [ {
                "chain" : "ethereum",
                "address" : "0xabcdef0123456789abcdef0123456789abcdef01"
            } ]
        }
    }));
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "field"), "ethereum wallet");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "threshold"),
                     "exact identifier match");
    r = rh_score(J({
        "candidate_id" : "w",
        "payment" : {
            "crypto_wallets" :
                [ {"chain" : "tron", "address" : "TTESTADDRESSCASEMATTERS"} ]
        }
    }));
    cr_assert(rh_clean(r, "pay_sanctions_match"), "base58 addresses are case-sensitive");
    r = rh_score(
        J({"candidate_id" : "w", "contacts" : {"emails" : ["Pay@Test.Example"]}}));
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = rh_score(J({
        "candidate_id" : "w",
        "work_history" :
            {"employers" : [ {"name" : "Other", "domain" : "hr.sdn-test.example"} ]}
    }));
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "field"), "employer domain");
    cr_assert_not_null(rh_not_evaluated(r, "pay_front_company_match"),
                       "no front-company file in this lists directory");
    unlink(path);
    rmdir(dir);
}

/* The "done when": payee another person, reference on a look-alike domain,
 * payee company on the list -> escalate, every reason explained; names differing only by
 * order, accents or script are not flagged. */
Test(sanctions, end_to_end_escalation_and_no_false_name_flags) {
    cJSON *r = rh_score(J({
        "candidate_id" : "done-when",
        "identity" : {"full_name" : "José Núñez"},
        "documents" : [ {"type" : "passport", "full_name" : "NUNEZ, JOSE"} ],
        "payment" : {
            "method" : "bank_account",
            "account_holder_name" : "Morgan Blake",
            "payee_type" : "company",
            "payee_company" : {"name" : "Korea Saenal Trading Corporation"}
        },
        "work_history" : {
            "employers" : [ {
                "name" : "Acme Corp",
                "domain" : "acme.com",
                "references" : [ {"name" : "Pat Lee", "email" : "pat@acme-corp.co"} ]
            } ]
        }
    }));
    cr_assert_str_eq(rh_str(r, "action"), "escalate");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    cr_assert_not_null(rh_reason(r, "pay_third_party_account"));
    cr_assert(rh_clean(r, "id_cross_profile_mismatch"), "order and accents only");
    cJSON *it;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "reasons")) {
        cr_assert(rh_str(it, "detail") && !strstr(rh_str(it, "detail"), "unknown"),
                  "%s: %s", rh_str(it, "id"), rh_str(it, "detail"));
        cr_assert(rh_str(it, "verify") && *rh_str(it, "verify"));
    }
    /* the look-alike reference: a real typo-squat of acme.com */
    r = rh_score(J({
        "candidate_id" : "done-when-2",
        "work_history" : {
            "employers" : [ {
                "name" : "Acme Corp",
                "domain" : "acme.com",
                "references" : [ {"name" : "Pat Lee", "email" : "pat@acmee.com"} ]
            } ]
        }
    }));
    cr_assert_not_null(rh_reason(r, "eml_lookalike_employer_domain"));
}

/* Every curated designation by OFAC's full primary name (as its press release writes
 * it): each fires, names its own entry, at score 1. */
Test(sanctions, ofac_full_primary_names_all_match) {
    static const char *const names[] = {
        "Yanbian Silverstar Network Technology Co., Ltd.",
        "Volasys Silver Star",
        "Jong Song Hwa",
        "Chinyong Information Technology Cooperation Company",
        "Kim Sang Man",
        "Alis LLC",
        "Pioneer Bencont Star Real Estate",
        "Green Alpine Trading, LLC",
        "Lu Huaying",
        "Zhang Jian",
        "Department 53 of the Ministry of the People's Armed Forces",
        "Korea Osong Shipping Co",
        "Chonsurim Trading Corporation",
        "Liaoning China Trade Industry Co., Ltd.",
        "Jong In Chol",
        "Son Kyong Sik",
        "Song Kum Hyok",
        "Gayk Asatryan",
        "Asatryan LLC",
        "Fortuna LLC",
        "Korea Songkwang Trading General Corp.",
        "Korea Saenal Trading Corp.",
        "Korea Sobaeksu Trading Co.",
        "Kim Se Un",
        "Jo Kyong Hun",
        "Myong Chol Min",
        "Shenyang Geumpungri Network Technology Co., Ltd",
        "Korea Sinjin Trading Corporation",
        "Vitaliy Sergeyevich Andreyev",
        "Kim Ung Sun",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cJSON *r = payee("company", names[i]);
        cr_assert_not_null(rh_reason(r, "pay_sanctions_match"), "%s", names[i]);
        cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "entry"), names[i]);
        cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "score"), "1", "%s", names[i]);
        cr_assert_str_eq(rh_str(r, "action"), "escalate");
    }
}

/* The misses and the variants an analyst types: legal forms, IT / Information
 * Technology, joined and split words, capitals, punctuation, word order, a.k.a.s and
 * the Chinese name. */
Test(sanctions, organisation_name_variants_match) {
    static const struct {
        const char *name, *entry;
    } v[] = {
        {"Chinyong IT Cooperation Co.",
         "Chinyong Information Technology Cooperation Company"},
        {"CHINYONG I.T. COOPERATION COMPANY",
         "Chinyong Information Technology Cooperation Company"},
        {"Jinyong IT Cooperation Company",
         "Chinyong Information Technology Cooperation Company"},
        {"Volasys Silver Star", "Volasys Silver Star"},
        {"VOLASYS SILVERSTAR", "Volasys Silver Star"},
        {"Volasys Silverstar LLC", "Volasys Silver Star"},
        {"Silver Star Volasys", "Volasys Silver Star"},
        {"Silverstar, Volasys", "Volasys Silver Star"},
        {"Yanbian Silver Star Network Technology Co Ltd",
         "Yanbian Silverstar Network Technology Co., Ltd."},
        {"YANBIAN SILVERSTAR NETWORK TECH CO., LIMITED",
         "Yanbian Silverstar Network Technology Co., Ltd."},
        {"China Silver Star", "Yanbian Silverstar Network Technology Co., Ltd."},
        {"延边银星网络科技有限公司", "Yanbian Silverstar Network Technology Co., Ltd."},
        {"Green Alpine Trading FZ-LLC", "Green Alpine Trading, LLC"},
        {"Trading Green Alpine", "Green Alpine Trading, LLC"},
        {"Korea Sinjin Trading JSC", "Korea Sinjin Trading Corporation"},
        {"Shenyang Geumpungri Network Technologies Limited",
         "Shenyang Geumpungri Network Technology Co., Ltd"},
        {"Asatryan Limited Liability Company", "Asatryan LLC"},
        {"Chonsurim Trading Corp", "Chonsurim Trading Corporation"},
        {"Péoneer Bencont Star Real-Estate", "Pioneer Bencont Star Real Estate"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        cJSON *r = payee("company", v[i].name);
        cr_assert_not_null(rh_reason(r, "pay_sanctions_match"), "%s", v[i].name);
        cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "entry"), v[i].entry, "%s",
                         v[i].name);
    }
}

/* Near misses: a shared word or two, a different distinctive word, a person sharing a
 * token, a company that is a subset of a listed name. */
Test(sanctions, organisation_near_misses_do_not_match) {
    static const char *const names[] = {
        "Silver Star Realty LLC",
        "Green Alpine Ski Club",
        "Alis Consulting",
        "Silver Star",
        "Star Network Technology Co",
        "Yanbian Network Technology",
        "Information Technology Cooperation Company",
        "Korea Shipping Co",
        "Pioneer Real Estate",
        "Fortuna Capital LLC",
        "Volasys",
        "Department 54 of the Ministry of the People's Armed Forces",
        "Shenyang Network Technology Co., Ltd",
        "Trading Corporation",
        "Kim Chol",
        "Zhang Wei",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cJSON *r = payee("company", names[i]);
        cr_assert(rh_clean(r, "pay_sanctions_match"), "%s fired", names[i]);
    }
}

/* ---- A full list the user supplies (IDR_CFG_SANCTIONS_FILE) ---------------------- */

#define FIXTURES IDR_TEST_SOURCE_DIR "/tests/fixtures/sanctions"

static int engine_with_user_list(const char *file, const char *format, idr_error *err) {
    idr_config *cfg = NULL;
    memset(err, 0, sizeof *err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, err), IDR_OK, "%s", err->message);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", err),
                 IDR_OK);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", err),
        IDR_OK);
    cr_assert_eq(idr_config_set_by_name(cfg, "sanctions_file", file, err), IDR_OK, "%s",
                 err->message);
    if (format) {
        cr_assert_eq(idr_config_set_by_name(cfg, "sanctions_format", format, err), IDR_OK,
                     "%s", err->message);
    }
    rh_teardown();
    int rc = idr_engine_new(&rh_engine, cfg, err);
    idr_config_free(cfg);
    return rc;
}

/* The engine description's warnings joined, and its data entry for the user list. */
static char *engine_warnings(void) {
    char *js = NULL;
    idr_error err;
    cr_assert_eq(idr_engine_describe_json(rh_engine, &js, &err), IDR_OK);
    cJSON *d = cJSON_Parse(js);
    idr_free(js);
    static char buf[8192];
    buf[0] = '\0';
    cJSON *w;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(d, "warnings")) {
        strncat(buf, w->valuestring, sizeof buf - strlen(buf) - 2);
        strncat(buf, "\n", sizeof buf - strlen(buf) - 1);
    }
    bool listed = false;
    cJSON_ArrayForEach(w, cJSON_GetObjectItem(d, "data")) {
        const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(w, "name"));
        listed = listed || (n && strcmp(n, "sanctions_user") == 0);
    }
    cJSON_Delete(d);
    cr_assert(listed, "the user list is in the engine's data list");
    return buf;
}

Test(sanctions, sdn_csv_names_aliases_and_remark_identifiers) {
    idr_error err;
    cr_assert_eq(engine_with_user_list(FIXTURES "/sdn/sdn.csv", NULL, &err), IDR_OK, "%s",
                 err.message);
    char *warn = engine_warnings();
    rh_assert_has(warn, "sdn.csv:6");
    rh_assert_has(warn, "alt.csv:4");
    rh_assert_has(warn, "1 vessel and aircraft");
    /* an a.k.a. from alt.csv */
    cJSON *r = payee("company", "Fixture Traders Group Ltd");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "entry"),
                  "EXAMPLE FIXTURE TRADING LLC");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "sources"), "OFAC-SDN ent_num 90001");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "program"), "DPRK3");
    /* a quoted name with a comma and doubled quotes */
    r = payee("company", "Orchard Fixture Software OFS");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    /* "SURNAME, Given Patronymic" and an alt name */
    r = payee("holder", "Petr Fixturo");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = payee("holder", "Pyotr Fixturov");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    /* the curated subset stays in use: Volasys is on both */
    r = payee("company", "VOLASYS SILVERSTAR");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "count"), "2");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "matches"), "OFAC-Sep18");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "matches"), "ent_num 90003");
    /* the vessel is not loaded */
    r = payee("company", "Fixture Vessel");
    cr_assert(rh_clean(r, "pay_sanctions_match"));
    /* identifiers from the Remarks: email, website, wallet, phone */
    r = rh_score(
        J({"candidate_id" : "u", "contacts" : {"emails" : ["HR@fixture-sdn.example"]}}));
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "field"), "candidate email");
    r = rh_score(J({
        "candidate_id" : "u",
        "work_history" :
            {"employers" : [ {"name" : "X", "domain" : "jobs.fixture-sdn.example"} ]}
    }));
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "field"), "employer domain");
    r = rh_score(J({
        "candidate_id" : "u",
        "payment" : {
            "crypto_wallets" : [ {
                "chain" : "bitcoin",
                "address" : "bc1qfixture0000000000000000000000000000000"
            } ]
        }
    }));
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "field"), "bitcoin wallet");
    r = rh_score(J({
        "candidate_id" : "u",
        "contacts" : {"phones" : [ {"number" : "+7 (423) 200-00-00"} ]}
    }));
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "field"), "candidate phone");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "value"), "+74232000000");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "threshold"),
                     "exact identifier match");
    r = rh_score(J({
        "candidate_id" : "u",
        "contacts" : {"phones" : [ {"number" : "+7 423 200-00-01"} ]}
    }));
    cr_assert(rh_clean(r, "pay_sanctions_match"), "one digit off is another number");
}

Test(sanctions, sdn_directory_and_upper_case_names) {
    char dir[64];
    strcpy(dir, "/tmp/idr-sdnup-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    const char *names[3][2] = {
        {"sdn.csv", "SDN.CSV"}, {"alt.csv", "ALT.CSV"}, {"add.csv", "ADD.CSV"}};
    char src[512], dst[512];
    for (int i = 0; i < 3; i++) {
        snprintf(src, sizeof src, "%s/sdn/%s", FIXTURES, names[i][0]);
        snprintf(dst, sizeof dst, "%s/%s", dir, names[i][1]);
        FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
        cr_assert(in && out);
        int c;
        while ((c = fgetc(in)) != EOF) {
            fputc(c, out);
        }
        fclose(in);
        fclose(out);
    }
    idr_error err;
    cr_assert_eq(engine_with_user_list(dir, NULL, &err), IDR_OK, "%s", err.message);
    cJSON *r = payee("company", "China Silver Star Co");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "count"), "2",
                     "curated and ALT.CSV");
    for (int i = 0; i < 3; i++) {
        snprintf(dst, sizeof dst, "%s/%s", dir, names[i][1]);
        unlink(dst);
    }
    rmdir(dir);
}

Test(sanctions, ftm_entities_aliases_wallets_and_bad_lines) {
    idr_error err;
    cr_assert_eq(engine_with_user_list(FIXTURES "/entities.ftm.json", NULL, &err), IDR_OK,
                 "%s", err.message);
    char *warn = engine_warnings();
    rh_assert_has(warn, "entities.ftm.json:5: not JSON");
    rh_assert_has(warn, "entities.ftm.json:6: entity without a name");
    cJSON *r = payee("company", "Lantern Soft Fixture Inc.");
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "sources"), "OpenSanctions fx-org-1");
    r = payee("company", "Lantern");
    cr_assert(rh_clean(r, "pay_sanctions_match"), "weak aliases are not matched on");
    r = payee("holder", "Mira Olegovna Fixturova");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = payee("holder", "Mira Fixturova");
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = rh_score(J({
        "candidate_id" : "f",
        "payment" : {
            "crypto_wallets" :
                [ {"chain" : "tron", "address" : "TFixtureWalletAddress00000000001"} ]
        }
    }));
    rh_assert_has(rh_ev(r, "pay_sanctions_match", "entry"),
                  "Fixture Lantern Software Ltd");
    r = rh_score(J({
        "candidate_id" : "f",
        "contacts" : {"emails" : ["billing@lantern-fixture.example"]}
    }));
    cr_assert_not_null(rh_reason(r, "pay_sanctions_match"));
    r = rh_score(J({
        "candidate_id" : "f",
        "contacts" : {"phones" : [ {"number" : "+82 2-3456-7890"} ]}
    }));
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "field"), "candidate phone");
    r = payee("company", "Chinyong IT Cooperation Co.");
    cr_assert_str_eq(rh_ev(r, "pay_sanctions_match", "count"), "2");
}

Test(sanctions, unreadable_or_unusable_list_fails_the_build_naming_it) {
    idr_error err;
    cr_assert_eq(engine_with_user_list("/nonexistent/sdn.csv", NULL, &err), IDR_EIO);
    cr_assert_str_eq(err.field, "sanctions_file");
    rh_assert_has(err.message, "/nonexistent/sdn.csv");
    cr_assert_null(rh_engine);
    /* a file in the other format: nothing usable */
    cr_assert_eq(engine_with_user_list(FIXTURES "/README.md", "ftm", &err), IDR_EDATA);
    rh_assert_has(err.message, "no usable entry");
    cr_assert_null(rh_engine);
    idr_config *cfg = NULL;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_by_name(cfg, "sanctions_format", "xml", &err),
                 IDR_EINVAL);
    cr_assert_str_eq(err.field, "sanctions_format");
    idr_config_free(cfg);
}
