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
