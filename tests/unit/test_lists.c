/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_lists.c - the curated-list loader (lib/enrich/lists/lists.c): fetched email-domain
 * lists with and without data, the curated TSV files and their source keys, the PCRE2
 * text patterns, and a module-less engine when nothing can be loaded.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PACK IDR_TEST_SOURCE_DIR "/data/rules/default.pack"

static void write_file(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* A small data directory laid out as tools/fetch.d/20-email-lists.sh writes it. */
static void make_data_dir(char *dir) {
    strcpy(dir, "/tmp/idr-lists-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char sub[512];
    snprintf(sub, sizeof sub, "%s/lists", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof sub, "%s/manifest.d", dir);
    mkdir(sub, 0700);
    write_file(dir, "lists/free-email-domains.txt",
               "gmail.com\noutlook.com\nyahoo.com\n");
    write_file(dir, "lists/disposable-email-domains.txt",
               "*.33mail.com\nmailinator.com\n");
    write_file(
        dir, "manifest.d/free-email-domains.json",
        "{\"name\": \"free-email-domains\", \"version\": \"9.9.9\", \"type\": "
        "\"email-domains\", \"license\": \"MIT\", \"build_date\": \"2026-01-02\"}");
}

static void remove_data_dir(const char *dir) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static idr_engine *engine(const char *data_dir, const char *lists_dir) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, PACK, &err), IDR_OK);
    if (data_dir) {
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data_dir, &err), IDR_OK);
    }
    if (lists_dir) {
        cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, lists_dir, &err), IDR_OK);
    }
    idr_engine *eng = NULL;
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s", err.message);
    return eng;
}

static const idr__data_entry *data_entry(const idr_engine *eng, const char *name) {
    for (size_t i = 0; i < eng->n_data; i++) {
        if (strcmp(eng->data[i].name, name) == 0) {
            return &eng->data[i];
        }
    }
    return NULL;
}

Test(lists, fetched_email_lists_load_with_their_manifest) {
    char dir[64];
    make_data_dir(dir);
    idr_engine *eng = engine(dir, IDR_TEST_SOURCE_DIR "/data");
    const idr__lists *l = eng->mods.lists;
    cr_assert_not_null(l);
    cr_assert(idr__lists_have_free(l) && idr__lists_have_disposable(l));
    cr_assert(idr__lists_is_free(l, "gmail.com"));
    cr_assert(!idr__lists_is_free(l, "acme.com"));
    cr_assert(idr__lists_is_disposable(l, "mailinator.com"));
    cr_assert(idr__lists_is_disposable(l, "x.y.33mail.com"), "wildcard subdomain");
    cr_assert(idr__lists_is_disposable(l, "33mail.com"));
    cr_assert(!idr__lists_is_disposable(l, "not33mail.com"));
    const idr__data_entry *d = data_entry(eng, "free-email-domains");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->version, "9.9.9");
    cr_assert_str_eq(d->build_date, "2026-01-02");
    d = data_entry(eng, "disposable-email-domains");
    cr_assert_not_null(d, "a list without manifest is still recorded");
    cr_assert_str_eq(d->version, "unknown (no manifest)");
    idr_engine_free(eng);
    remove_data_dir(dir);
}

Test(lists, without_fetched_data_curated_lists_still_load) {
    idr_engine *eng = engine("/nonexistent/idrisk-data", IDR_TEST_SOURCE_DIR "/data");
    cr_assert_not_null(eng->mods.lists);
    cr_assert(!idr__lists_have_free(eng->mods.lists));
    cr_assert(!idr__lists_is_free(eng->mods.lists, "gmail.com"));
    bool warned = false;
    for (size_t i = 0; i < eng->warnings.n; i++) {
        warned = warned || strstr(eng->warnings.v[i], "email domain lists not loaded");
    }
    cr_assert(warned);
    cr_assert_null(data_entry(eng, "free-email-domains"));
    cr_assert_not_null(data_entry(eng, "sanctions_sdn_itw"));
    idr_engine_free(eng);
}

Test(lists, nothing_to_load_leaves_the_module_out) {
    char dir[64];
    strcpy(dir, "/tmp/idr-empty-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    idr_engine *eng = engine(dir, dir);
    cr_assert_null(eng->mods.lists);
    cr_assert_not_null(eng->mods.lists_unavailable);
    cr_assert(strstr(eng->mods.lists_unavailable, "no curated list"));
    idr_engine_free(eng);
    rmdir(dir);
}

Test(lists, curated_entries_all_carry_known_source_keys) {
    idr_engine *eng = engine("/nonexistent", IDR_TEST_SOURCE_DIR "/data");
    size_t n = 0;
    const idr__watch_entry *w = idr__lists_watch(eng->mods.lists, &n);
    size_t sdn = 0, front = 0;
    for (size_t i = 0; i < n; i++) {
        sdn += w[i].list == IDR__WATCH_SANCTIONS;
        front += w[i].list == IDR__WATCH_FRONT;
        cr_assert(strcmp(w[i].kind, "person") == 0 || strcmp(w[i].kind, "entity") == 0,
                  "%s: kind %s", w[i].name, w[i].kind);
        /* every cited key is defined in the rule pack's [sources] */
        char keys[256];
        snprintf(keys, sizeof keys, "%s", w[i].sources);
        char *save = NULL;
        for (char *k = strtok_r(keys, ", ", &save); k; k = strtok_r(NULL, ", ", &save)) {
            bool known = false;
            for (size_t s = 0; s < eng->pack->n_source_defs; s++) {
                known = known || strcmp(eng->pack->source_keys[s], k) == 0;
            }
            cr_assert(known, "%s cites unknown source key %s", w[i].name, k);
        }
    }
    cr_assert_geq(sdn, 30);
    cr_assert_geq(front, 10);
    size_t n_tok = 0;
    cr_assert_geq(idr__watch_index_size(idr__lists_index(eng->mods.lists), &n_tok), n,
                  "every name indexed at engine build");
    cr_assert_gt(n_tok, 0);
    size_t nt = 0;
    const idr__tech *t = idr__lists_tech(eng->mods.lists, &nt);
    cr_assert_geq(nt, 40);
    for (size_t i = 0; i < nt; i++) {
        cr_assert(t[i].year >= 1990 && t[i].year <= 2026, "%s %d", t[i].name, t[i].year);
        cr_assert(t[i].source && *t[i].source);
    }
    idr_engine_free(eng);
}

Test(lists, tech_claims_are_found_by_pcre2) {
    idr_engine *eng = engine("/nonexistent", IDR_TEST_SOURCE_DIR "/data");
    idr__arena *a = idr__arena_new(NULL, 4096);
    idr__tech_claim c[8];
    size_t n = idr__lists_tech_claims(
        eng->mods.lists, a,
        "I have 12+ years of professional experience with Rust, 3 yrs in Go.\n"
        "2009 to 2011 - Backend at Initech (Node.js, Docker)\n"
        "Went to the store 5 years in a row.",
        c, 8);
    cr_assert_eq(n, 4);
    cr_assert_str_eq(c[0].tech->name, "Rust");
    cr_assert_eq(c[0].years, 12);
    cr_assert_str_eq(c[1].tech->name, "Go");
    cr_assert_eq(c[1].years, 3);
    cr_assert_str_eq(c[2].tech->name, "Node.js");
    cr_assert_eq(c[2].range_from, 2009);
    cr_assert_eq(c[2].range_to, 2011);
    cr_assert_str_eq(c[3].tech->name, "Docker");
    n = idr__lists_tech_claims(eng->mods.lists, a,
                               "15 years of experience with Rust, Go and Kubernetes; "
                               "hobbies: 3 years in France",
                               c, 8);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(c[2].tech->name, "Kubernetes");
    cr_assert_eq(c[2].years, 15);
    /* "Go" is also a word: a mere mention next to a date range is not a claim */
    n = idr__lists_tech_claims(eng->mods.lists, a, "2005-2007 Go-to-market lead", c, 8);
    cr_assert_eq(n, 0);
    idr__arena_free(a);
    idr_engine_free(eng);
}

Test(lists, mailbox_syntax) {
    idr_engine *eng = engine("/nonexistent", IDR_TEST_SOURCE_DIR "/data");
    const idr__lists *l = eng->mods.lists;
    cr_assert(idr__lists_mailbox_syntax_ok(l, "a.b-c+d@example.co.uk"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "a..b@example.com"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "ab@localhost"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "a b@example.com"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "a@b@example.com"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "a@-example.com"));
    cr_assert(!idr__lists_mailbox_syntax_ok(l, "\xff\xfe@example.com"));
    cr_assert(idr__lists_mailbox_syntax_ok(NULL, "a@example.com"), "plain fallback");
    idr_engine_free(eng);
}

Test(lists, real_fetched_lists_when_present) {
    const char *dir = getenv("IDRISK_DATA_DIR");
    char probe[1024];
    snprintf(probe, sizeof probe, "%s/lists/free-email-domains.txt", dir ? dir : "");
    if (!dir || access(probe, R_OK) != 0) {
        cr_skip_test(
            "no fetched email lists in IDRISK_DATA_DIR (run tools/fetch-data.sh)");
    }
    idr_engine *eng = engine(dir, IDR_TEST_SOURCE_DIR "/data");
    cr_assert(idr__lists_is_free(eng->mods.lists, "gmail.com"));
    cr_assert(idr__lists_is_free(eng->mods.lists, "protonmail.com"));
    cr_assert(idr__lists_is_disposable(eng->mods.lists, "mailinator.com"));
    cr_assert(!idr__lists_is_free(eng->mods.lists, "microsoft.com"));
    const idr__data_entry *d = data_entry(eng, "free-email-domains");
    cr_assert_not_null(d);
    cr_assert_str_eq(d->license, "MIT");
    idr_engine_free(eng);
}

Test(lists, indicators_say_not_evaluated_without_the_lists) {
    idr_engine *eng = engine("/nonexistent/idrisk-data", IDR_TEST_SOURCE_DIR "/data");
    static const char json[] =
        "{\"candidate_id\":\"n\",\"as_of\":\"2026-11-01T00:00:00Z\",\"contacts\":"
        "{\"emails\":[{\"address\":\"a@gmail.com\",\"first_seen\":\"2026-10-30\"}]},"
        "\"work_history\":{\"profiles\":[{\"kind\":\"github\",\"created_at\":"
        "\"2026-10-29\"}]}}";
    idr_result *res = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_engine_score_json(eng, json, sizeof json - 1, &res, &err), IDR_OK);
    char *text = NULL;
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    cr_assert(strstr(text, "\"eml_new_consumer_mailbox\"") != NULL);
    cr_assert(strstr(text, "free-mail domain list not loaded") != NULL, "%s", text);
    cr_assert(strstr(text, "\"domain_class\":null") != NULL,
              "no class without the lists");
    idr_free(text);
    idr_result_free(res);
    idr_engine_free(eng);
    /* with no list at all, every list-based indicator is not evaluated */
    char dir[64];
    strcpy(dir, "/tmp/idr-empty-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    eng = engine(dir, dir);
    cr_assert_eq(idr_engine_score_json(eng, json, sizeof json - 1, &res, &err), IDR_OK);
    cr_assert_eq(idr_result_to_json(res, &text, NULL, &err), IDR_OK);
    cr_assert(strstr(text, "no curated list found") != NULL, "%s", text);
    idr_free(text);
    idr_result_free(res);
    idr_engine_free(eng);
    rmdir(dir);
}
