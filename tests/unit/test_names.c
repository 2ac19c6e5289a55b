/*
 * test_names.c - the ICU name normaliser and similarity (lib/names): pairs that must
 * match (order, script, accents, nicknames, middle names, initials, hyphens) and pairs
 * that must not, the no-ICU fallback, the measures, and concurrent use.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <string.h>

#include "../env_config.h"
#include "internal.h"

static idr_engine *eng;

static void setup(void) {
    idr_config *cfg = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_TEST_SOURCE_DIR "/data", &err),
        IDR_OK);
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s", err.message);
    cr_assert_not_null(eng->mods.names, "ICU names module: %s",
                       eng->mods.names_unavailable ? eng->mods.names_unavailable : "?");
}

static void teardown(void) {
    idr_engine_free(eng);
    eng = NULL;
}

TestSuite(names, .init = setup, .fini = teardown);

static double sim(const char *a, const char *b) {
    return idr__names_similarity(eng->mods.names, a, b);
}

#define assert_match(a, b)                                                               \
    do {                                                                                 \
        double s_ = sim(a, b);                                                           \
        cr_assert(s_ >= IDR__NAME_MATCH, "\"%s\" vs \"%s\": %.3f < %.2f", a, b, s_,      \
                  IDR__NAME_MATCH);                                                      \
        cr_assert(sim(b, a) == s_, "not symmetric for \"%s\" / \"%s\"", a, b);           \
    } while (0)

#define assert_no_match(a, b)                                                            \
    do {                                                                                 \
        double s_ = sim(a, b);                                                           \
        cr_assert(s_ < IDR__NAME_MATCH, "\"%s\" vs \"%s\": %.3f >= %.2f", a, b, s_,      \
                  IDR__NAME_MATCH);                                                      \
    } while (0)

Test(names, reordered_and_punctuated) {
    cr_assert_float_eq(sim("John Smith", "Smith, John"), 1.0, 1e-9);
    assert_match("SMITH John", "john smith");
    assert_match("Kim Se Un", "Se-Un Kim");
}

Test(names, transliterated_scripts) {
    assert_match("Александр Иванов", "Aleksandr Ivanov");
    assert_match("Александр Иванов", "Alexander Ivanov");
    assert_match("Ольга Ильина", "Olga Ilina");
    assert_match("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos");
    assert_match("金世云", "Jin Shi Yun");
}

Test(names, accents_and_compatibility_forms) {
    cr_assert_float_eq(sim("José Núñez", "Jose Nunez"), 1.0, 1e-9);
    assert_match("Zoë Müller", "Zoe Muller");
    assert_match("Øystein Ærø", "Oystein Aero");
    assert_match("ＪＯＨＮ ＳＭＩＴＨ", "John Smith"); /* full-width, NFKC */
    assert_match("Straße", "Strasse");
}

Test(names, nicknames_middle_names_initials_hyphens) {
    assert_match("Bob Smith", "Robert Smith");
    assert_match("Bill Turner", "William Turner");
    assert_match("John Michael Smith", "John Smith");
    assert_match("J. Smith", "John Smith");
    assert_match("Mary-Jane Watson", "Mary Jane Watson");
    assert_match("Mary-Jane Watson", "Maryjane Watson");
    assert_match("Mary-Jane Watson", "Mary Watson");
    assert_match("Sean O'Brien", "Sean OBrien");
    assert_match("Dr. Jane Doe Jr.", "Jane Doe");
    cr_assert(idr__names_nickname(eng->mods.names, "bob", "robert"));
    cr_assert(!idr__names_nickname(eng->mods.names, "bob", "william"));
    cr_assert_gt(idr__names_nickname_groups(eng->mods.names), 40);
}

Test(names, different_people_do_not_match) {
    assert_no_match("Dana Reyes", "Morgan Blake");
    assert_no_match("Dana Reyes", "Dana Blake");
    assert_no_match("John Smith", "Jane Smith");
    assert_no_match("John Smith", "John Paul Jones");
    assert_no_match("Smith", "John Smith");        /* one shared token is not enough */
    assert_no_match("J. S.", "John Smith");        /* initials alone */
    assert_no_match("Bob Smith", "William Smith"); /* a nickname of someone else */
    assert_no_match("Александр Иванов", "Ivan Petrov");
}

Test(names, empty_and_null) {
    cr_assert_eq(sim(NULL, "John"), 0.0);
    cr_assert_eq(sim("", "John"), 0.0);
    cr_assert_eq(sim("...", "John"), 0.0);
    cr_assert_eq(sim("---", "+++"), 0.0);
}

Test(names, invalid_utf8_does_not_crash) {
    const char bad[] = {'J', 'o', (char)0xC3, 'n', ' ', (char)0xFF, (char)0xFE, 'S', 0};
    double s = sim(bad, "John Smith");
    cr_assert(s >= 0.0 && s <= 1.0);
    char big[4096];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    s = sim(big, big);
    cr_assert(s >= 0.0 && s <= 1.0);
}

Test(names, fallback_without_icu) {
    /* The plain path: ASCII behaves the same, other scripts are not transliterated. */
    cr_assert_float_eq(idr__names_similarity(NULL, "Smith, John", "john smith"), 1.0,
                       1e-9);
    cr_assert_lt(idr__names_similarity(NULL, "Александр Иванов", "Aleksandr Ivanov"),
                 IDR__NAME_MATCH);
    cr_assert(!idr__names_nickname(NULL, "bob", "robert"));
}

Test(names, tokens_drop_legal_forms_and_honorifics) {
    idr__name_toks t;
    idr__name_tokenize(eng->mods.names, "Green Alpine Trading L.L.C.", &t);
    cr_assert_eq(t.n, 3);
    idr__name_tokenize(eng->mods.names, "Mr. Taggcar Inc.", &t);
    cr_assert_eq(t.n, 1);
    cr_assert_str_eq(t.buf + t.off[0], "taggcar");
    idr__name_tokenize(eng->mods.names, "LLC", &t); /* nothing else left: kept */
    cr_assert_eq(t.n, 1);
}

Test(names, jaro_winkler_and_edit_distance) {
    cr_assert_float_eq(idr__jaro_winkler("martha", 6, "marhta", 6), 0.9611, 1e-3);
    cr_assert_float_eq(idr__jaro_winkler("dwayne", 6, "duane", 5), 0.84, 1e-3);
    cr_assert_eq(idr__jaro_winkler("abc", 3, "xyz", 3), 0.0);
    cr_assert_eq(idr__edit_distance("acme.com", 8, "acme.com", 8, 2), 0);
    cr_assert_eq(idr__edit_distance("acme.com", 8, "amce.com", 8, 2), 1); /* swap */
    cr_assert_eq(idr__edit_distance("acme.com", 8, "acme.co", 7, 2), 1);
    cr_assert_eq(idr__edit_distance("acme.com", 8, "globex.com", 10, 2), 3);
}

static void *worker(void *arg) {
    (void)arg;
    for (int i = 0; i < 200; i++) {
        if (sim("Александр Иванов", "Alexander Ivanov") < IDR__NAME_MATCH ||
            sim("Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos") < IDR__NAME_MATCH) {
            return (void *)1;
        }
    }
    return NULL;
}

Test(names, concurrent_use_beyond_the_pool) {
    /* more threads than pooled transliterators: the overflow path clones */
    pthread_t th[8];
    for (int i = 0; i < 8; i++) {
        cr_assert_eq(pthread_create(&th[i], NULL, worker, NULL), 0);
    }
    for (int i = 0; i < 8; i++) {
        void *r = NULL;
        pthread_join(th[i], &r);
        cr_assert_null(r, "thread %d saw a wrong similarity", i);
    }
}
