/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_store.c - the linkage store's normalisers and hashing (lib/store/ids.c) on any
 * bytes, NULs and invalid UTF-8 included: the address key, the mailbox, wallet and
 * device normalisations, the resume SimHash, and the identifier set of a parsed record
 * (idr__idset_build). Nothing here opens a database: these are the functions that
 * decide whether two spellings of one identifier meet. Corpus:
 * tests/fuzz/corpus/store/, dictionary tests/fuzz/store.dict.
 *
 * Input layout: the whole input (cut at its first NUL) is a mailbox, a wallet address,
 * a device id, a resume text and a candidate record (JSON); the same bytes cut into
 * fields at NUL or newline bytes are an address: line1, line2, postal code, country
 * (its first two bytes mapped onto A-Z, as the parser only ever gives an ISO code;
 * "US" when the field is missing).
 *
 * Checked beyond "no crash, no leak, no UB", trapping on the first violation:
 * - address key: NUL-terminated, "CC|POSTAL|LINE" with exactly two '|', no longer than
 *   three bytes per input byte (a '#' becomes " # "); idempotent when the fields are
 *   valid UTF-8: the key's parts given back as an address give the same key. Invalid
 *   UTF-8 never reaches the normaliser (the candidate parser refuses it with
 *   IDR_EINVAL), so there only the bounds are checked;
 * - mailbox (with the rule pack's mailbox pattern, and with the built-in check used
 *   when the lists have none): no longer than the input, idempotent, passes
 *   the syntax check it was admitted by, its domain after the last '@';
 * - wallet: at most IDR__WALLET_MAX bytes, NUL-terminated at its length, idempotent;
 *   device: the trim is idempotent and inside the input;
 * - SimHash: deterministic, indexed exactly when the text has IDR__RESUME_MIN_TOKENS
 *   words, and blind to ASCII case and ASCII punctuation (the same value when letters
 *   are upper-cased or punctuation becomes spaces);
 * - identifier set of a record that parses: built twice, the same; every class in
 *   range, every role own or other, every index inside the record's lists.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "store/store_int.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "fuzz_store: invariant failed at line %d: %s\n", __LINE__,   \
                    #cond);                                                              \
            __builtin_trap();                                                            \
        }                                                                                \
    } while (0)

static idr_engine *eng;
static idr__store_keys keys;

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    idr_config *cfg = NULL;
    idr_error err;
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_SOURCE_DATA_DIR, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR,
                           IDR_SOURCE_DATA_DIR "/../tests/fixtures/maxmind",
                           &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK || !eng->mods.lists) {
        fprintf(stderr, "fuzz_store: cannot build the engine\n");
        abort();
    }
    idr_config_free(cfg);
    uint8_t key[IDR_STORE_KEY_BYTES];
    for (size_t i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(i * 7 + 1);
    }
    idr__store_keys_init(&keys, key);
    return 0;
}

/* Strict UTF-8 (RFC 3629), as the candidate parser checks strings. */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, min = 0x10000;
        } else {
            return 0;
        }
        if (i + len > n) {
            return 0;
        }
        unsigned cp = c & (0x7fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += len;
    }
    return 1;
}

static int valid_str(const char *s) {
    return !s || valid_utf8((const unsigned char *)s, strlen(s));
}

/* ---- addresses ---------------------------------------------------------------- */
static void check_address(const uint8_t *data, size_t size) {
    char *copy = malloc(size + 1);
    CHECK(copy != NULL);
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *field[4] = {NULL, NULL, NULL, NULL};
    size_t nf = 0;
    char *p = copy;
    field[nf++] = p;
    for (size_t i = 0; i < size && nf < 4; i++) {
        if (copy[i] == '\0' || copy[i] == '\n') {
            copy[i] = '\0';
            field[nf++] = copy + i + 1;
        }
    }
    idr__address ad;
    memset(&ad, 0, sizeof ad);
    ad.present = true;
    ad.line1 = field[0];
    ad.line2 = field[1];
    ad.postal_code = field[2];
    if (field[3] && strlen(field[3]) >= 2) {
        ad.country[0] = (char)('A' + (unsigned char)field[3][0] % 26);
        ad.country[1] = (char)('A' + (unsigned char)field[3][1] % 26);
    } else {
        memcpy(ad.country, "US", 3);
    }
    char *key = idr__address_key(NULL, &ad, NULL);
    if (key) {
        size_t in = strlen(ad.line1) + (ad.line2 ? strlen(ad.line2) : 0);
        size_t postal = ad.postal_code ? strlen(ad.postal_code) : 0;
        size_t n = strlen(key);
        CHECK(n <= 2 + 1 + postal + 1 + 3 * (in + 2));
        char *bar1 = strchr(key, '|');
        CHECK(bar1 == key + 2 && memcmp(key, ad.country, 2) == 0);
        char *bar2 = strchr(bar1 + 1, '|');
        CHECK(bar2 != NULL && strchr(bar2 + 1, '|') == NULL && bar2[1] != '\0');
        if (valid_str(ad.line1) && valid_str(ad.line2) && valid_str(ad.postal_code)) {
            /* idempotent: the key's parts as an address */
            char *again = strdup(key);
            CHECK(again != NULL);
            again[2] = '\0';
            again[bar2 - key] = '\0';
            idr__address back;
            memset(&back, 0, sizeof back);
            back.present = true;
            memcpy(back.country, again, 3);
            back.postal_code = again + 3;
            back.line1 = again + (bar2 - key) + 1;
            char *key2 = idr__address_key(NULL, &back, NULL);
            CHECK(key2 != NULL && strcmp(key, key2) == 0);
            free(key2);
            free(again);
        }
        free(key);
    }
    free(copy);
}

/* ---- mailboxes, wallets, devices ------------------------------------------------ */
static void check_email(const idr__lists *l, const char *s) {
    idr__arena *ar = idr__arena_new(NULL, 1024);
    CHECK(ar != NULL);
    const char *dom = NULL;
    char *n = idr__email_normalize(l, ar, s, &dom);
    if (n) {
        CHECK(strlen(n) <= strlen(s));
        CHECK(dom != NULL && dom > n && strrchr(n, '@') == dom - 1);
        CHECK(idr__lists_mailbox_syntax_ok(l, n));
        const char *dom2 = NULL;
        char *n2 = idr__email_normalize(l, ar, n, &dom2);
        CHECK(n2 != NULL && strcmp(n, n2) == 0);
    }
    idr__arena_free(ar);
}

static void check_wallet_device(const char *s) {
    char w[IDR__WALLET_MAX + 1];
    size_t n = idr__wallet_key(s, w);
    CHECK(n <= IDR__WALLET_MAX && w[n] == '\0' && strlen(w) == n);
    if (n) {
        char w2[IDR__WALLET_MAX + 1];
        CHECK(idr__wallet_key(w, w2) == n && memcmp(w, w2, n + 1) == 0);
    }
    size_t tn;
    const char *t = idr__id_trim(s, &tn);
    CHECK(t >= s && t + tn <= s + strlen(s));
    if (tn) {
        char *d = strndup(t, tn);
        CHECK(d != NULL);
        size_t tn2;
        const char *t2 = idr__id_trim(d, &tn2);
        CHECK(t2 == d && tn2 == tn);
        free(d);
    }
}

/* ---- SimHash -------------------------------------------------------------------- */
static int word_byte(unsigned char c) {
    return isalnum(c) || c >= 0x80;
}

static void check_simhash(const char *s) {
    uint64_t v = 0, v2 = 0;
    bool ix = false, ix2 = false;
    CHECK(idr__simhash(NULL, &keys, s, &v, &ix) == IDR_OK);
    CHECK(idr__simhash(NULL, &keys, s, &v2, &ix2) == IDR_OK);
    CHECK(ix == ix2 && (!ix || v == v2));
    size_t words = 0, len = strlen(s);
    for (size_t i = 0; i < len; i++) {
        if (word_byte((unsigned char)s[i]) &&
            (i == 0 || !word_byte((unsigned char)s[i - 1]))) {
            words++;
        }
    }
    CHECK(ix == (words >= IDR__RESUME_MIN_TOKENS));
    char *up = strdup(s), *sp = strdup(s);
    CHECK(up && sp);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            up[i] = (char)toupper(c);
            if (!isalnum(c)) {
                sp[i] = ' ';
            }
        }
    }
    CHECK(idr__simhash(NULL, &keys, up, &v2, &ix2) == IDR_OK && ix2 == ix &&
          (!ix || v2 == v));
    CHECK(idr__simhash(NULL, &keys, sp, &v2, &ix2) == IDR_OK && ix2 == ix &&
          (!ix || v2 == v));
    free(up);
    free(sp);
}

/* ---- the identifier set of a record ---------------------------------------------- */
static void check_idset(const uint8_t *data, size_t size) {
    idr_candidate *c = NULL;
    idr_error err;
    if (idr_candidate_from_json(&c, eng, (const char *)data, size, &err) != IDR_OK) {
        CHECK(c == NULL);
        return;
    }
    idr__idset a, b;
    CHECK(idr__idset_build(&a, NULL, &keys, c, NULL) == IDR_OK);
    CHECK(idr__idset_build(&b, NULL, &keys, c, NULL) == IDR_OK);
    CHECK(a.n == b.n && a.has_name == b.has_name && a.has_resume == b.has_resume &&
          a.has_photo == b.has_photo && a.has_dob == b.has_dob);
    size_t refs = 0;
    for (size_t e = 0; e < c->work_history.n_employers; e++) {
        refs += c->work_history.employers[e].n_references;
    }
    size_t most = c->contacts.n_phones + refs + c->contacts.n_emails + 1 +
                  c->equipment.n_shipments + 1 + c->payment.n_wallets + c->n_documents +
                  2 * c->n_sessions;
    CHECK(a.n <= most);
    for (size_t i = 0; i < a.n; i++) {
        const idr__ident *x = &a.v[i], *y = &b.v[i];
        CHECK(x->cls > 0 && x->cls < IDR__IC_COUNT);
        CHECK(x->role == IDR__ROLE_OWN || x->role == IDR__ROLE_OTHER);
        CHECK(x->cls == y->cls && x->role == y->role && x->own_index == y->own_index &&
              x->day == y->day && memcmp(x->hash, y->hash, sizeof x->hash) == 0);
        switch (x->cls) {
        case IDR__IC_PHONE:
            CHECK(x->own_index <
                  (x->role == IDR__ROLE_OWN ? c->contacts.n_phones : refs));
            break;
        case IDR__IC_WALLET:
            CHECK(x->own_index < c->payment.n_wallets);
            break;
        case IDR__IC_DOCUMENT:
            CHECK(x->own_index < c->n_documents);
            break;
        case IDR__IC_DEVICE:
        case IDR__IC_IP:
            CHECK(x->own_index < c->n_sessions);
            break;
        case IDR__IC_ADDRESS:
            CHECK(x->role == IDR__ROLE_OWN ? x->own_index == 0
                                           : x->own_index < c->equipment.n_shipments);
            break;
        default:
            break;
        }
    }
    CHECK(!a.has_resume || a.resume == b.resume);
    CHECK(!a.has_name || memcmp(a.name, b.name, sizeof a.name) == 0);
    idr__idset_free(&a);
    idr__idset_free(&b);
    idr_candidate_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!eng) {
        LLVMFuzzerInitialize(NULL, NULL);
    }
    char *s = malloc(size + 1);
    CHECK(s != NULL);
    memcpy(s, data, size);
    s[size] = '\0'; /* cut at the first NUL by the string functions */
    check_address(data, size);
    check_email(eng->mods.lists, s);
    check_email(NULL, s);
    check_wallet_device(s);
    check_simhash(s);
    check_idset(data, size);
    free(s);
    return 0;
}
