/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_names.c - the ICU name normaliser and similarity (lib/names): pairs that must
 * match (order, script, accents, nicknames, middle names, initials, hyphens) and pairs
 * that must not, the no-ICU fallback, the measures, and concurrent use.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
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

static bool same_toks(const idr__name_toks *a, const idr__name_toks *b) {
    if (a->n != b->n) {
        return false;
    }
    for (size_t i = 0; i < a->n; i++) {
        if (a->len[i] != b->len[i] || a->initial[i] != b->initial[i] ||
            a->nick[i] != b->nick[i] ||
            memcmp(a->buf + a->off[i], b->buf + b->off[i], a->len[i]) != 0) {
            return false;
        }
    }
    return true;
}

static char *toks_str(const idr__name_toks *t, char *out, size_t cap) {
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->n && o + 1 < cap; i++) {
        o += (size_t)snprintf(out + o, cap - o, "%s[%s]", i ? " " : "",
                              t->buf + t->off[i]);
    }
    return out;
}

/* The ASCII fast path (no ICU) must give exactly the transliterator's tokens. Every
 * printable and control byte, in random strings, plus the name-like shapes the
 * generator and the examples use. */
Test(names, ascii_fast_path_agrees_with_icu) {
    static const char *const fixed[] = {
        "John Smith",
        "Smith, John",
        "O'Brien",
        "Mary-Jane  Watson",
        "Dr. Jane Doe Jr.",
        "Green Alpine L.L.C.",
        "A1B2 c3",
        "`tick' quote`",
        "\t\x01\x7f tab",
        "MiXeD CaSe 0123456789",
        "___",
        "a.b.c.d.e.f.g.h.i.j.k.l.m.n",
    };
    idr__name_toks a, b;
    char sa[512], sb[512];
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        idr__name_tokenize(eng->mods.names, fixed[i], &a);
        idr__name_tokenize_icu(eng->mods.names, fixed[i], &b);
        cr_assert(same_toks(&a, &b), "\"%s\": fast %s, ICU %s", fixed[i],
                  toks_str(&a, sa, sizeof sa), toks_str(&b, sb, sizeof sb));
    }
    uint64_t x = 0x9e3779b97f4a7c15u;
    char s[96];
    for (int k = 0; k < 20000; k++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        size_t len = 1 + (size_t)(x % (sizeof s - 1));
        for (size_t i = 0; i < len; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            /* half letters and spaces (name-like), half any byte 1..127 */
            unsigned r = (unsigned)(x >> 32);
            s[i] = (r & 1) ? " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-'"
                                 [(r >> 1) % 56]
                           : (char)(1 + (r >> 1) % 127);
        }
        s[len] = '\0';
        idr__name_tokenize(eng->mods.names, s, &a);
        idr__name_tokenize_icu(eng->mods.names, s, &b);
        cr_assert(same_toks(&a, &b), "string %d: fast %s, ICU %s", k,
                  toks_str(&a, sa, sizeof sa), toks_str(&b, sb, sizeof sb));
    }
}

/* data/names_translit.tsv is derived data: each line must be what the transliterator
 * gives today, the tokens through the table must equal the tokens through ICU, and
 * every non-ASCII name of the curated watch lists must have its line. */
Test(names, translit_table_agrees_with_icu) {
    FILE *f = fopen(IDR_TEST_SOURCE_DIR "/data/names_translit.tsv", "r");
    cr_assert_not_null(f);
    char line[2048];
    size_t used = 0;
    idr__name_toks a, b;
    char sa[512], sb[512];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab) {
            continue;
        }
        *tab = '\0';
        idr__name_tokenize(eng->mods.names, line, &a);
        idr__name_tokenize_icu(eng->mods.names, line, &b);
        cr_assert(same_toks(&a, &b), "\"%s\": table %s, ICU %s", line,
                  toks_str(&a, sa, sizeof sa), toks_str(&b, sb, sizeof sb));
        /* the stored text itself, tokenised as ASCII, is what ICU's output gives */
        idr__name_tokenize(eng->mods.names, tab + 1, &a);
        cr_assert(same_toks(&a, &b), "\"%s\": stored \"%s\" is stale", line, tab + 1);
        used++;
    }
    fclose(f);
    cr_assert_gt(used, 0);
    static const char *const lists[] = {IDR_TEST_SOURCE_DIR "/data/sanctions_sdn_itw.tsv",
                                        IDR_TEST_SOURCE_DIR "/data/front_companies.tsv"};
    for (size_t k = 0; k < 2; k++) {
        f = fopen(lists[k], "r");
        cr_assert_not_null(f);
        while (fgets(line, sizeof line, f)) {
            if (line[0] == '#') {
                continue;
            }
            /* columns 1 and 3: the name and its aliases (';' or ',' separated) */
            char *col[4] = {line, NULL, NULL, NULL};
            for (int c = 1; c < 4 && col[c - 1]; c++) {
                char *t = strchr(col[c - 1], '\t');
                col[c] = t ? t + 1 : NULL;
                if (t) {
                    *t = '\0';
                }
            }
            for (int c = 0; c < 3; c += 2) {
                char *save = NULL;
                for (char *nm = col[c] ? strtok_r(col[c], ";,", &save) : NULL; nm;
                     nm = strtok_r(NULL, ";,", &save)) {
                    while (*nm == ' ') {
                        nm++;
                    }
                    bool ascii = true;
                    for (const char *p = nm; *p; p++) {
                        ascii = ascii && (unsigned char)*p < 0x80;
                    }
                    if (ascii) {
                        continue;
                    }
                    char cmd[1024];
                    snprintf(cmd, sizeof cmd, "%s\t", nm);
                    FILE *t = fopen(IDR_TEST_SOURCE_DIR "/data/names_translit.tsv", "r");
                    bool found = false;
                    char l2[2048];
                    while (t && !found && fgets(l2, sizeof l2, t)) {
                        found = strncmp(l2, cmd, strlen(cmd)) == 0;
                    }
                    if (t) {
                        fclose(t);
                    }
                    cr_assert(found, "%s: \"%s\" has no line in data/names_translit.tsv",
                              lists[k], nm);
                }
            }
        }
        fclose(f);
    }
}
