/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_names.c - pairs of names (any bytes, NULs and invalid UTF-8 included) through
 * the ICU name normaliser and comparison (lib/names) and the ICU domain confusable
 * check, and the same bytes through the mailbox normaliser and the resume-claim
 * patterns (lib/enrich/lists/lists.c). Checks the
 * contracts on every input: similarity in [0, 1] and symmetric, a name equal to itself
 * scores 1 when it has tokens, tokens NUL-terminated inside the buffer, edit distance
 * within its cap, a normalised mailbox that passes its own syntax check.
 * Corpus: tests/fuzz/corpus/names/.
 *
 * Input layout: the bytes up to the first '\n' (or all of them) are name A, the rest
 * name B. Built by tests/fuzz/CMakeLists.txt (IDR_BUILD_FUZZERS=ON, clang):
 *   build-fuzz/tests/fuzz/fuzz_names -max_total_time=300 tests/fuzz/corpus/names
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static idr_engine *eng;

static void init(void) {
    idr_config *cfg = NULL;
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_SOURCE_DATA_DIR, NULL) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, "/nonexistent", NULL) != IDR_OK ||
        idr_engine_new(&eng, cfg, NULL) != IDR_OK || !eng->mods.names ||
        !eng->mods.lists) {
        abort();
    }
    idr_config_free(cfg);
}

static void check_toks(const idr__name_toks *t) {
    if (t->n > IDR__NAME_MAX_TOKENS) {
        abort();
    }
    for (size_t i = 0; i < t->n; i++) {
        if ((size_t)t->off[i] + t->len[i] >= IDR__NAME_BUF ||
            t->buf[t->off[i] + t->len[i]] != '\0' || t->len[i] == 0 ||
            strlen(t->buf + t->off[i]) != t->len[i]) {
            abort();
        }
    }
}

/* Build the engine before the first input, so that its cost (the phone shim's PCRE2
 * compilation, ICU's data: seconds under ASan on a busy machine) does not count
 * against -timeout; the gcc corpus replay does not call this and builds it lazily. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    if (!eng) {
        init();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!eng) {
        init();
    }
    char *buf = malloc(size + 2);
    if (!buf) {
        return 0;
    }
    memcpy(buf, data, size);
    buf[size] = '\0';
    buf[size + 1] = '\0';
    char *nl = memchr(buf, '\n', size);
    char *a = buf, *b = nl ? nl + 1 : buf + size;
    if (nl) {
        *nl = '\0';
    }
    const idr__names *nm = eng->mods.names;

    idr__name_toks ta, tb;
    idr__name_tokenize(nm, a, &ta);
    idr__name_tokenize(nm, b, &tb);
    check_toks(&ta);
    check_toks(&tb);
    double s1 = idr__name_toks_similarity(nm, &ta, &tb);
    double s2 = idr__name_toks_similarity(nm, &tb, &ta);
    if (!(s1 >= 0.0 && s1 <= 1.0) || s1 != s2) {
        abort();
    }
    if (ta.n > 0 && idr__name_toks_similarity(nm, &ta, &ta) < 1.0 - 1e-9 && ta.n > 1) {
        /* a one-token name may be an initial (capped); any longer one matches itself
         * unless it is all initials */
        bool initials = true;
        for (size_t i = 0; i < ta.n; i++) {
            initials = initials && ta.initial[i];
        }
        if (!initials) {
            abort();
        }
    }
    double s3 = idr__names_similarity(NULL, a, b); /* the no-ICU fallback */
    if (!(s3 >= 0.0 && s3 <= 1.0)) {
        abort();
    }
    size_t la = strlen(a), lb = strlen(b);
    int d = idr__edit_distance(a, la, b, lb, 2);
    if (d < 0 || d > 3) {
        abort();
    }
    (void)idr__names_domain_confusable(nm, a, b); /* ICU spoof checker and IDNA */
    double jw = idr__jaro_winkler(a, la, b, lb);
    if (!(jw >= 0.0 && jw <= 1.0 + 1e-9)) {
        abort();
    }

    idr__arena *ar = idr__arena_new(NULL, 1024);
    if (ar) {
        const char *dom = NULL;
        char *n = idr__email_normalize(eng->mods.lists, ar, a, &dom);
        if (n && (!dom || !idr__lists_mailbox_syntax_ok(eng->mods.lists, n))) {
            abort();
        }
        idr__tech_claim claims[8];
        size_t nc = idr__lists_tech_claims(eng->mods.lists, ar, buf, claims, 8);
        for (size_t i = 0; i < nc; i++) {
            if (!claims[i].tech || !claims[i].quote) {
                abort();
            }
        }
        (void)idr__name_toks_text(ar, &ta);
        idr__arena_free(ar);
    }
    free(buf);
    return 0;
}
