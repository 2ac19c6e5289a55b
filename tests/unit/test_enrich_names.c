/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_enrich_names.c - what enrichment prepares for the name, email and list rules
 * (enrich/enrich.h idr__record_facts): the name table (each name tokenised once, the
 * per-kind cap), the watch-list screening hits, the email domains' confusable forms
 * and the technology claims.
 */
#include "../rules_helpers.h"
#include "internal.h"

TestSuite(enrich_names, .init = rh_setup, .fini = rh_teardown);

static idr_candidate *cand;
static idr__arena *arena;

/* Parse `json` and enrich it with the test engine's modules. */
static const idr__enrichment *enrich(const char *json, idr__enrichment *en) {
    idr_error err;
    memset(&err, 0, sizeof err);
    idr_candidate_free(cand);
    cand = NULL;
    cr_assert_eq(idr_candidate_from_json(&cand, rh_engine, json, strlen(json), &err),
                 IDR_OK, "%s", err.message);
    if (!arena) {
        arena = idr__arena_new(NULL, 1 << 16);
    }
    cr_assert_eq(idr__enrich(&rh_engine->mods, cand, arena, en), IDR_OK);
    return en;
}

static void done(void) {
    idr_candidate_free(cand);
    cand = NULL;
    idr__arena_free(arena);
    arena = NULL;
}

Test(enrich_names, table_has_one_tokenised_entry_per_name, .fini = done) {
    idr__enrichment en;
    enrich(J({
               "candidate_id" : "n",
               "identity" : {
                   "full_name" : "Aleksandr Ivanov",
                   "aliases" : [ "Александр Иванов", "Sasha Ivanov" ]
               },
               "documents" : [
                   {"type" : "passport", "full_name" : "IVANOV, Aleksandr"},
                   {"type" : "drivers_license"}
               ],
               "equipment" : {"shipments" : [ {"recipient_name" : "A. Ivanov"} ]},
               "payment" : {
                   "account_holder_name" : "Aleksandr Ivanov",
                   "payee_company" : {"name" : "Ivanov Consulting LLC"}
               },
               "engagement" : {"type" : "agency", "staffing_firm" : "Example Staffing"},
               "work_history" :
                   {"employers" : [ {"name" : "Initech"}, {"name" : "Globex"} ]}
           }),
           &en);
    const idr__name_table *t = &en.rec.names;
    cr_assert_str_eq(t->full_name.text, "Aleksandr Ivanov");
    cr_assert_eq(t->n_aliases, 2);
    cr_assert_eq(t->more_aliases, 0);
    cr_assert_eq(t->n_documents, 2);
    cr_assert_str_eq(t->documents[0].text, "IVANOV, Aleksandr");
    cr_assert_null(t->documents[1].text);
    cr_assert_eq(t->documents[1].toks.n, 0);
    cr_assert_eq(t->n_recipients, 1);
    cr_assert_str_eq(t->holder.text, "Aleksandr Ivanov");
    cr_assert_str_eq(t->firm.text, "Example Staffing");
    /* 1 full name + 2 aliases + 1 document name + 1 recipient + holder, company, firm,
     * and the 2 employers the screening tokenises: each once */
    size_t lists = rh_engine->mods.lists ? 2 : 0;
    cr_assert_eq(t->n_tokenised, 8 + lists, "%zu", t->n_tokenised);
    /* the prepared tokens are the string comparison's, to the last bit */
    const idr__names *nm = rh_engine->mods.names;
    const idr__name *all[] = {&t->full_name,    &t->aliases[0],   &t->aliases[1],
                              &t->documents[0], &t->documents[1], &t->recipients[0],
                              &t->holder,       &t->company,      &t->firm};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        for (size_t j = 0; j < sizeof all / sizeof all[0]; j++) {
            double want = idr__names_similarity(nm, all[i]->text, all[j]->text);
            double got = idr__name_toks_similarity(nm, &all[i]->toks, &all[j]->toks);
            cr_assert(memcmp(&want, &got, sizeof want) == 0, "%zu %zu: %.17g vs %.17g", i,
                      j, want, got);
        }
    }
}

Test(enrich_names, table_is_capped_per_kind, .fini = done) {
    idr__buf b;
    idr__buf_init(&b, NULL);
    idr__buf_puts(&b,
                  "{\"candidate_id\":\"cap\",\"identity\":{\"full_name\":\"Jo Bloggs\","
                  "\"aliases\":[");
    for (int i = 0; i < IDR__NAMES_PER_KIND + 36; i++) {
        idr__buf_printf(&b, "%s\"Alias Number%d\"", i ? "," : "", i);
    }
    idr__buf_puts(&b, "]},\"documents\":[");
    for (int i = 0; i < IDR__NAMES_PER_KIND + 6; i++) {
        idr__buf_printf(&b, "%s{\"type\":\"passport\",\"full_name\":\"Doc Name%d\"}",
                        i ? "," : "", i);
    }
    idr__buf_puts(&b, "]}");
    idr__enrichment en;
    enrich(b.p, &en);
    idr__buf_free(&b);
    const idr__name_table *t = &en.rec.names;
    cr_assert_eq(t->n_aliases, IDR__NAMES_PER_KIND);
    cr_assert_eq(t->more_aliases, 36);
    cr_assert_eq(t->n_documents, IDR__NAMES_PER_KIND);
    cr_assert_eq(t->more_documents, 6);
    cr_assert_str_eq(t->aliases[IDR__NAMES_PER_KIND - 1].text, "Alias Number63");
    cr_assert_eq(t->n_tokenised, 1 + 2 * IDR__NAMES_PER_KIND);
}

Test(enrich_names, screening_hits_are_on_the_enrichment, .fini = done) {
    if (!rh_engine->mods.lists) {
        cr_skip_test("curated lists not loaded");
    }
    idr__enrichment en;
    enrich(J({
               "candidate_id" : "s",
               "payment" : {
                   "payee_type" : "company",
                   "payee_company" : {"name" : "GREEN ALPINE TRADING, L.L.C."},
                   "crypto_wallets" : [ {"chain" : "ETH", "address" : "0xabc"} ]
               },
               "work_history" :
                   {"employers" : [ {"name" : "Taggcar Inc", "domain" : "x.com"} ]}
           }),
           &en);
    const idr__screening *s = &en.rec.sanctions;
    cr_assert(s->listed);
    /* payee company, wallet, employer name, employer domain */
    cr_assert_eq(s->checked, 4, "%zu", s->checked);
    cr_assert_eq(s->n_hits, 1);
    cr_assert_eq(s->hits[0].list, IDR__WATCH_SANCTIONS);
    cr_assert_eq(s->hits[0].by, IDR__SCREEN_BY_NAME);
    cr_assert_str_eq(s->hits[0].field, "payee company");
    cr_assert_str_eq(s->hits[0].value, "GREEN ALPINE TRADING, L.L.C.");
    cr_assert_str_eq(s->hits[0].entry, "Green Alpine Trading, LLC");
    cr_assert_str_eq(s->hits[0].entry_kind, "entity");
    cr_assert_float_eq(s->hits[0].score, 1.0, 1e-12);
    const idr__screening *f = &en.rec.fronts;
    cr_assert(f->listed);
    cr_assert_eq(f->checked, 3, "names and wallets only");
    cr_assert_eq(f->n_hits, 1);
    cr_assert_str_eq(f->hits[0].field, "employer");
    cr_assert_str_eq(f->hits[0].entry, "Taggcar Inc.");
    cr_assert_eq(en.rec.front_domains.checked, 1, "the employer domain");
    cr_assert_eq(en.rec.front_domains.n_hits, 0);

    enrich(J({"candidate_id" : "clean", "identity" : {"full_name" : "Jo Bloggs"}}), &en);
    cr_assert_eq(en.rec.sanctions.checked, 0);
    cr_assert_eq(en.rec.sanctions.n_hits, 0);
    cr_assert_eq(en.rec.fronts.n_hits, 0);
}

Test(enrich_names, domain_forms_agree_with_the_spoof_check) {
    const idr__names *nm = rh_engine->mods.names;
    if (!nm) {
        cr_skip_test("ICU names module unavailable");
    }
    idr__arena *a = idr__arena_new(NULL, 4096);
    const char *doms[] = {"acme.com",
                          "acrne.com",
                          "аcme.com",
                          "xn--cme-5cd.com",
                          "xn--invalid--.com",
                          "globex.com",
                          "ACME.com",
                          "acme.co",
                          "αcme.com",
                          "acme.com.evil",
                          "exаmple.org",
                          "example.org",
                          "раураl.com",
                          "paypal.com",
                          "",
                          "a"};
    size_t n = sizeof doms / sizeof doms[0];
    for (size_t i = 0; i < n; i++) {
        idr__domain_form df;
        cr_assert_eq(idr__names_domain_form(nm, a, doms[i], true, &df), IDR_OK);
        for (size_t j = 0; j < n; j++) {
            idr__domain_form rf;
            cr_assert_eq(idr__names_domain_form(nm, a, doms[j], false, &rf), IDR_OK);
            bool want = idr__names_domain_confusable(nm, doms[i], doms[j]);
            bool got = idr__domain_confusable(doms[i], &df, doms[j], &rf);
            cr_assert_eq(want, got, "%s vs %s", doms[i], doms[j]);
        }
    }
    idr__domain_form none;
    cr_assert_eq(idr__names_domain_form(NULL, a, "acrne.com", true, &none), IDR_OK);
    cr_assert_null(none.unicode);
    cr_assert(!idr__domain_confusable("acrne.com", &none, "acme.com", &none));
    idr__arena_free(a);
}

Test(enrich_names, emails_and_claims_are_prepared, .fini = done) {
    idr__enrichment en;
    enrich(
        J({
            "candidate_id" : "e",
            "contacts" : {"emails" : [ {"address" : "Pat.Lee+jobs@Gmail.com"} ]},
            "work_history" : {
                "resume_text" : "12 years of experience with Rust.",
                "employers" : [
                    {
                        "name" : "Acme",
                        "domain" : "acme.com",
                        "references" :
                            [ {"email" : "ref@acrne.com"}, {"email" : "x@аcme.com"} ]
                    },
                    {"name" : "Globex",
                     "references" : [ {"email" : "bob@globex.com"} ]}
                ]
            }
        }),
        &en);
    cr_assert_eq(en.rec.n_ref_emails, 3);
    cr_assert_str_eq(en.rec.ref_emails[0].normalized, "ref@acrne.com");
    cr_assert_str_eq(en.rec.ref_emails[0].domain, "acrne.com");
    cr_assert_null(en.rec.ref_emails[1].normalized, "non-ASCII domain fails the syntax");
    cr_assert_str_eq(en.rec.ref_emails[1].idn_domain, "аcme.com");
    cr_assert_str_eq(en.rec.ref_emails[2].domain, "globex.com");
    if (rh_engine->mods.names) {
        cr_assert(idr__domain_confusable("аcme.com", &en.rec.ref_emails[1].form,
                                         "acme.com", &en.rec.employer_domains[0]));
    }
    if (rh_engine->mods.lists) {
        cr_assert(en.rec.have_tech);
        cr_assert_eq(en.rec.n_tech_claims, 1);
        cr_assert_str_eq(en.rec.tech_claims[0].tech->name, "Rust");
        cr_assert_eq(en.rec.tech_claims[0].years, 12);
    }
}
