/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_email.c - mailbox normalisation, the email enrichment and the email-family
 * indicators (lib/rules/email.c) through the public API: new consumer mailbox,
 * look-alike employer domains, front-company domains, cross-profile name conflicts and
 * resume timeline anachronisms.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../rules_helpers.h"
#include "internal.h"

static char data_dir[64];

static void write_file(const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", data_dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* An engine with a small fetched-list fixture (free and disposable domains). */
static void setup(void) {
    strcpy(data_dir, "/tmp/idr-email-XXXXXX");
    cr_assert_not_null(mkdtemp(data_dir));
    char sub[512];
    snprintf(sub, sizeof sub, "%s/lists", data_dir);
    mkdir(sub, 0700);
    write_file("lists/free-email-domains.txt", "gmail.com\nhotmail.com\nyahoo.com\n");
    write_file("lists/disposable-email-domains.txt", "mailinator.com\n");
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE,
                                    IDR_TEST_SOURCE_DIR "/data/rules/default.pack", &err),
                 IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data_dir, &err), IDR_OK);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    int rc = idr_engine_new(&rh_engine, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s", err.message);
}

static void teardown(void) {
    rh_teardown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(email, .init = setup, .fini = teardown);

static const char *norm(const char *addr) {
    static idr__arena *a;
    if (!a) {
        a = idr__arena_new(NULL, 1024);
    }
    return idr__email_normalize(rh_engine->mods.lists, a, addr, NULL);
}

Test(email, normalisation_follows_the_provider) {
    cr_assert_str_eq(norm("John.Smith+jobs@Gmail.com"), "johnsmith@gmail.com");
    cr_assert_str_eq(norm("j.o.h.n@googlemail.com"), "john@gmail.com");
    cr_assert_str_eq(norm(" Jane+x@outlook.com "), "jane@outlook.com");
    cr_assert_str_eq(norm("jane.doe@outlook.com"), "jane.doe@outlook.com",
                     "only Gmail ignores dots");
    cr_assert_str_eq(norm("a.b+c@acme.com"), "a.b+c@acme.com",
                     "unknown providers keep sub-addresses");
    cr_assert_null(norm("not an address"));
    cr_assert_null(norm("a@b"));
    cr_assert_null(norm(NULL));
}

/* found by fuzz_store: cutting "+x" after a dot left "a.@", which is no mailbox */
Test(email, normalisation_is_idempotent_and_stays_a_mailbox) {
    cr_assert_str_eq(norm("A.+x@Outlook.com"), "a.+x@outlook.com",
                     "a cut that leaves a trailing dot is not made");
    cr_assert_str_eq(norm("a.+x@gmail.com"), "a@gmail.com", "Gmail drops the dot too");
    const char *in[] = {"A.+x@Outlook.com", "John.Smith+jobs@Gmail.com", "x@acme.com"};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
        const char *once = norm(in[i]);
        cr_assert_not_null(once);
        cr_assert(idr__lists_mailbox_syntax_ok(rh_engine->mods.lists, once), "%s", once);
        cr_assert_str_eq(norm(once), once);
    }
}

Test(email, enrichment_classifies_domains) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e1",
        "contacts" :
            {"emails" : [ "A.B@gmail.com", "x@mailinator.com", "ceo@acme.com", "bad" ]}
    }));
    cJSON *em = cJSON_GetObjectItem(cJSON_GetObjectItem(r, "enrichment"), "emails");
    cr_assert_eq(cJSON_GetArraySize(em), 4);
    cr_assert_str_eq(rh_str(cJSON_GetArrayItem(em, 0), "domain_class"), "free");
    cr_assert_str_eq(rh_str(cJSON_GetArrayItem(em, 0), "normalized"), "ab@gmail.com");
    cr_assert_str_eq(rh_str(cJSON_GetArrayItem(em, 1), "domain_class"), "disposable");
    cr_assert_str_eq(rh_str(cJSON_GetArrayItem(em, 2), "domain_class"), "other");
    cr_assert(
        cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(em, 3), "syntax_valid")));
}

Test(email, new_mailbox_with_new_profile_fires) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e2",
        "as_of" : "2026-11-01T00:00:00Z",
        "contacts" : {
            "emails" : [ {"address" : "dev.pro@gmail.com", "first_seen" : "2026-10-20"} ]
        },
        "work_history" :
            {"profiles" : [ {"kind" : "linkedin", "created_at" : "2026-10-01"} ]}
    }));
    cr_assert_str_eq(rh_ev(r, "eml_new_consumer_mailbox", "mailbox_age_days"), "12");
    rh_assert_has(rh_detail(r, "eml_new_consumer_mailbox"), "devpro@gmail.com");
    rh_assert_has(rh_detail(r, "eml_new_consumer_mailbox"), "linkedin");
}

Test(email, old_mailbox_or_old_profile_is_clean) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e3",
        "as_of" : "2026-11-01T00:00:00Z",
        "contacts" :
            {"emails" : [ {"address" : "dev@gmail.com", "first_seen" : "2019-01-01"} ]},
        "work_history" :
            {"profiles" : [ {"kind" : "linkedin", "created_at" : "2026-10-01"} ]}
    }));
    cr_assert(rh_clean(r, "eml_new_consumer_mailbox"));
    r = rh_score(J({
        "candidate_id" : "e3",
        "as_of" : "2026-11-01T00:00:00Z",
        "contacts" :
            {"emails" : [ {"address" : "dev@gmail.com", "first_seen" : "2026-10-25"} ]},
        "work_history" :
            {"profiles" : [ {"kind" : "github", "created_at" : "2015-03-01"} ]}
    }));
    cr_assert(rh_clean(r, "eml_new_consumer_mailbox"));
    /* a new company mailbox is not a consumer mailbox */
    r = rh_score(J({
        "candidate_id" : "e3",
        "as_of" : "2026-11-01T00:00:00Z",
        "contacts" :
            {"emails" : [ {"address" : "dev@acme.com", "first_seen" : "2026-10-25"} ]},
        "work_history" :
            {"profiles" : [ {"kind" : "github", "created_at" : "2026-10-20"} ]}
    }));
    cr_assert(rh_clean(r, "eml_new_consumer_mailbox"));
    r = rh_score(J({
        "candidate_id" : "e3",
        "as_of" : "2026-11-01T00:00:00Z",
        "contacts" :
            {"emails" : [ {"address" : "dev@gmail.com", "first_seen" : "2026-10-25"} ]}
    }));
    cr_assert_not_null(rh_not_evaluated(r, "eml_new_consumer_mailbox"));
}

#define REF_CANDIDATE(ref_email)                                                         \
    "{\"candidate_id\":\"e4\",\"work_history\":{\"employers\":[{\"name\":\"Acme "        \
    "Corp\",\"domain\":\"acme.com\",\"references\":[{\"name\":\"Pat "                    \
    "Lee\",\"email\":\"" ref_email "\"}]}]}}"

Test(email, lookalike_domains_fire) {
    const char *bad[] = {REF_CANDIDATE("pat@acme.co"), REF_CANDIDATE("pat@amce.com"),
                         REF_CANDIDATE("pat@acrne.com"),
                         REF_CANDIDATE("pat@acme-inc.com"),
                         REF_CANDIDATE("pat@gmail.com")};
    const char *how[] = {"edit", "edit", "edit", "free", "free"};
    for (size_t i = 0; i < 5; i++) {
        cJSON *r = rh_score(bad[i]);
        if (i == 3) {
            /* five edits away and no confusable: not a look-alike */
            cr_assert(rh_clean(r, "eml_lookalike_employer_domain"), "%s", bad[i]);
            continue;
        }
        rh_assert_has(rh_ev(r, "eml_lookalike_employer_domain", "method"), how[i]);
        rh_assert_has(rh_detail(r, "eml_lookalike_employer_domain"), "acme.com");
    }
    cJSON *r = rh_score(J({
        "candidate_id" : "e4",
        "work_history" : {
            "employers" : [ {
                "name" : "Globex",
                "domain" : "globex-systems.com",
                "references" : [ {"email" : "hr@g1obex-systems.com"} ]
            } ]
        }
    }));
    rh_assert_has(rh_ev(r, "eml_lookalike_employer_domain", "method"), "edit");
    r = rh_score(J({
        "candidate_id" : "e4",
        "work_history" : {
            "employers" : [ {
                "name" : "Globex",
                "domain" : "globexsystems.com",
                "references" : [ {"email" : "hr@gl0bexsystern5.com"} ]
            } ]
        }
    }));
    rh_assert_has(rh_ev(r, "eml_lookalike_employer_domain", "method"),
                  "look-alike characters");
}

Test(email, unicode_homoglyph_domains_fire) {
    /* Cyrillic "а" (U+0430) for Latin "a", written out and as punycode */
    cJSON *r = rh_score(REF_CANDIDATE("pat@\xd0\xb0"
                                      "cme.com"));
    rh_assert_has(rh_ev(r, "eml_lookalike_employer_domain", "method"), "ICU confusables");
    r = rh_score(REF_CANDIDATE("pat@xn--cme-5cd.com"));
    rh_assert_has(rh_ev(r, "eml_lookalike_employer_domain", "method"), "ICU confusables");
    cr_assert(
        idr__names_domain_confusable(rh_engine->mods.names, "acrne.com", "acme.com"));
    cr_assert(
        !idr__names_domain_confusable(rh_engine->mods.names, "globex.com", "acme.com"));
    cr_assert(!idr__names_domain_confusable(NULL, "acrne.com", "acme.com"));
}

Test(email, genuine_and_unrelated_domains_are_clean) {
    cJSON *r = rh_score(REF_CANDIDATE("pat@acme.com"));
    cr_assert(rh_clean(r, "eml_lookalike_employer_domain"));
    r = rh_score(REF_CANDIDATE("pat@mail.acme.com"));
    cr_assert(rh_clean(r, "eml_lookalike_employer_domain"));
    r = rh_score(REF_CANDIDATE("pat@initech.com"));
    cr_assert(rh_clean(r, "eml_lookalike_employer_domain"));
    r = rh_score(
        J({"candidate_id" : "e5", "work_history" : {"employers" : [ {"name" : "A"} ]}}));
    rh_assert_has(rh_not_evaluated(r, "eml_lookalike_employer_domain"),
                  "no employer domain");
}

Test(email, front_company_domain_fires_exactly) {
    cJSON *r = rh_score(REF_CANDIDATE("recruiter@blocknovas.com"));
    rh_assert_has(rh_detail(r, "eml_front_company_domain"), "BlockNovas LLC");
    rh_assert_has(rh_ev(r, "eml_front_company_domain", "sources"), "SP25");
    r = rh_score(REF_CANDIDATE("recruiter@blocknovas.org"));
    cr_assert(rh_clean(r, "eml_front_company_domain"));
    r = rh_score(J({
        "candidate_id" : "e6",
        "work_history" : {
            "profiles" :
                [ {"kind" : "portfolio", "url" : "https://www.BlockNovas.com/team"} ]
        }
    }));
    rh_assert_has(rh_ev(r, "eml_front_company_domain", "where"), "profile website");
}

Test(email, cross_profile_names_in_other_scripts_are_not_conflicts) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e7",
        "identity" : {"full_name" : "Aleksandr Ivanov", "date_of_birth" : "1991-02-03"},
        "documents" : [
            {
                "type" : "passport",
                "full_name" : "ИВАНОВ Александр",
                "date_of_birth" : "1991-02-03"
            },
            {"type" : "drivers_license", "full_name" : "Alexander M. Ivanov"}
        ],
        "equipment" : {"shipments" : [ {"recipient_name" : "Alex Ivanov"} ]}
    }));
    cr_assert(rh_clean(r, "id_cross_profile_mismatch"));
}

Test(email, cross_profile_real_conflicts_fire_with_both_values) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e8",
        "identity" : {
            "full_name" : "Dana Reyes",
            "aliases" : ["Dana Blake"],
            "date_of_birth" : "1990-04-02"
        },
        "documents" : [ {
            "type" : "passport",
            "full_name" : "Morgan Li",
            "date_of_birth" : "1990-04-02"
        } ]
    }));
    const char *d = rh_detail(r, "id_cross_profile_mismatch");
    rh_assert_has(d, "Morgan Li");
    rh_assert_has(d, "Dana Reyes");
    r = rh_score(J({
        "candidate_id" : "e8",
        "identity" : {"full_name" : "Dana Reyes", "date_of_birth" : "1990-04-02"},
        "documents" : [ {
            "type" : "passport",
            "full_name" : "Reyes Dana",
            "date_of_birth" : "1991-04-02"
        } ],
        "equipment" : {"shipments" : [ {"recipient_name" : "Chris Wong"} ]}
    }));
    d = rh_detail(r, "id_cross_profile_mismatch");
    rh_assert_has(d, "1991-04-02");
    rh_assert_has(d, "Chris Wong");
    cr_assert_str_eq(rh_ev(r, "id_cross_profile_mismatch", "count"), "2");
    /* a married name on file as an alias clears the document */
    r = rh_score(J({
        "candidate_id" : "e8",
        "identity" : {"full_name" : "Dana Reyes", "aliases" : ["Dana Blake"]},
        "documents" : [ {"type" : "passport", "full_name" : "Dana Blake"} ]
    }));
    cr_assert(rh_clean(r, "id_cross_profile_mismatch"));
    r = rh_score(J({"candidate_id" : "e8", "identity" : {"full_name" : "Dana Reyes"}}));
    cr_assert_not_null(rh_not_evaluated(r, "id_cross_profile_mismatch"));
}

/* A candidate whose resume is `text` ('\n' written as a JSON escape), as of mid-2026. */
static cJSON *score_resume(const char *text) {
    char json[1024];
    char body[600];
    size_t k = 0;
    for (const char *p = text; *p && k + 3 < sizeof body; p++) {
        if (*p == '\n') {
            body[k++] = '\\';
            body[k++] = 'n';
        } else {
            body[k++] = *p;
        }
    }
    body[k] = '\0';
    snprintf(json, sizeof json,
             "{\"candidate_id\":\"e9\",\"as_of\":\"2026-06-01T00:00:00Z\","
             "\"work_history\":{\"resume_text\":\"%s\"}}",
             body);
    return rh_score(json);
}

Test(email, timeline_anachronisms) {
    cJSON *r =
        score_resume("Lead engineer with 17 years of experience with Rust and Go.");
    rh_assert_has(rh_detail(r, "wrk_timeline_anachronism"),
                  "Rust was first released in 2012");
    cr_assert_str_eq(rh_ev(r, "wrk_timeline_anachronism", "released"), "2012");
    /* Swift is claim-only (also a word); Kotlin (2011) was public before 2012 ended */
    r = score_resume("2010 - 2012: Mobile developer, Swift and Kotlin apps\n"
                     "2015-2018 React Native");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
    r = score_resume("2009 - 2011 Platform team: Kubernetes migration");
    rh_assert_has(rh_ev(r, "wrk_timeline_anachronism", "claimed"), "2009-2011");
    r = score_resume("8 years of experience with TypeScript and 10 years in Python.");
    cr_assert(rh_clean(r, "wrk_timeline_anachronism"));
    r = rh_score(J({"candidate_id" : "e9"}));
    rh_assert_has(rh_not_evaluated(r, "wrk_timeline_anachronism"), "no resume text");
}
