/* SPDX-License-Identifier: Apache-2.0 */
/*
 * names.c - person and company name comparison with ICU (docs/names.md).
 *
 * Normalisation: UTF-8 (invalid sequences become U+FFFD) -> ICU transliterator
 * "NFKC; Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC" -> full case
 * folding -> tokens of letters and digits. Apostrophes join ("O'Brien" = "OBrien",
 * the Cyrillic soft sign's transliteration "ol'ga" = "olga"); every other non-letter
 * is a separator, so hyphenated names become two tokens. Honorifics, generational
 * suffixes and legal-form words are dropped (the comparison is about the name).
 *
 * Similarity: tokens of the shorter name are paired one-to-one with tokens of the
 * longer name so that the sum of token similarities is largest (exact 1, nickname
 * pair 0.95, initial against a name starting with it 0.9, otherwise Jaro-Winkler);
 * the name similarity is that sum over the number of tokens of the shorter name.
 * Extra tokens of the longer name (middle names, a second surname) cost nothing.
 * Two guards keep the measure from matching on too little: a name made only of
 * initials matches nothing better than 0.5, and a one-token name against a name of
 * two or more tokens is scaled by 0.85, below the match threshold, so a shared
 * surname alone never makes two people the same.
 *
 * Threads: an ICU transliterator must not be used by two threads at once. The engine
 * keeps a pool of IDR__NAMES_POOL clones, each guarded by an atomic flag; a call takes
 * a free one, and when all are busy clones a private one from a prototype that is never
 * used to transliterate (cloning under a mutex). Names that are pure ASCII never touch
 * ICU at all: for ASCII, NFKC and transliteration are the identity and case folding is
 * tolower(), so the fast path gives the same tokens (test names.ascii_fast_path_*).
 *
 * Engine build cost: creating the transliterator takes about 15 ms, and its first use
 * on a script loads that script's rules (Han-Latin alone about 90 ms, once per
 * process). The prototype and the pool are therefore made on the first non-ASCII name
 * (under clone_lock, published through tr_state), not at engine build, and the
 * non-ASCII names of the curated lists are looked up in data/names_translit.tsv: ICU's
 * own output for them, used only when the file names the running ICU version and
 * checked against ICU by test names.translit_table_agrees_with_icu.
 */
#include "enrich/names/names.h"

#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uidna.h>
#include <unicode/ures.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>
#include <unicode/uvernum.h>

#define IDR__NAMES_POOL 4

/* The token similarity an exact match, a nickname pair and an initial get. A nickname
 * is the same given name in another form ("Bob" for "Robert"), slightly below an exact
 * match so that the score shows the difference; an initial is consistent with the
 * name but identifies less, so it counts less again. Project choices, measured in
 * docs/names.md. */
#define SIM_NICKNAME 0.95
#define SIM_INITIAL  0.90
/* A name of initials only ("J. S.") identifies nobody: capped well below a match. */
#define INITIALS_ONLY_CAP 0.5
/* One token against two or more: a shared surname or given name alone is not the same
 * person. 0.85 keeps even an exact shared token below IDR__NAME_MATCH (0.88). */
#define SINGLE_TOKEN_SCALE 0.85

/* One line of data/names_translit.tsv: a name and ICU's transliteration of it. */
typedef struct translit_pair {
    const char *in, *out;
    size_t in_len;
} translit_pair;

typedef struct nick_pair {
    const char *name;
    unsigned group;
} nick_pair;

struct idr__names {
    const idr__alloc *al;   /* the engine's: this struct and the nickname table */
    UTransliterator *proto; /* cloned from, never used to transliterate */
    UTransliterator *pool[IDR__NAMES_POOL];
    atomic_flag busy[IDR__NAMES_POOL];
    pthread_mutex_t clone_lock; /* also guards the lazy creation of proto and pool */
    atomic_int tr_state;        /* 0 not made yet, 1 made, -1 creation failed */
    translit_pair *tl;          /* names_translit.tsv, sorted by input */
    size_t n_tl;
    char *tl_text;        /* the file's bytes, which tl[] point into */
    USpoofChecker *spoof; /* confusable check; const use is thread-safe */
    UIDNA *idna;          /* punycode to Unicode; const use is thread-safe */
    nick_pair *nick;      /* sorted by name, then group */
    size_t n_nick;
    size_t n_groups;
    char *nick_text; /* the table's bytes, which nick[].name point into */
};

static const nick_pair *nick_first(const idr__names *nm, const char *name);

static const char TRANSLIT_ID[] =
    "NFKC; Any-Latin; Latin-ASCII; NFD; [:Nonspacing Mark:] Remove; NFC";

/* Words that say what kind of person or company, not which: honorifics, generational
 * suffixes and legal forms. Sorted for bsearch. */
static const char *const stop_words[] = {
    "co",  "company", "corp",    "corporation", "dr",   "gmbh", "ii",   "iii",
    "inc", "jr",      "limited", "llc",         "llp",  "ltd",  "miss", "mr",
    "mrs", "ms",      "of",      "plc",         "prof", "sr",   "the",
};

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_stop_word(const char *w) {
    return bsearch(&w, stop_words, sizeof stop_words / sizeof stop_words[0],
                   sizeof stop_words[0], cmp_cstr) != NULL;
}

/* ---- Token building ---------------------------------------------------------------- */

typedef struct tok_builder {
    idr__name_toks *t;
    size_t used; /* bytes of t->buf in use */
    bool open;   /* a token is being written */
} tok_builder;

static void tb_init(tok_builder *b, idr__name_toks *t) {
    memset(t, 0, sizeof *t);
    b->t = t;
    b->used = 0;
    b->open = false;
}

static void tb_end(tok_builder *b) {
    if (!b->open) {
        return;
    }
    idr__name_toks *t = b->t;
    t->buf[b->used++] = '\0';
    t->len[t->n] = (uint8_t)(b->used - 1 - t->off[t->n]);
    t->n++;
    b->open = false;
}

/* Append bytes of one character to the current token (starting one if needed). */
static void tb_put(tok_builder *b, const char *p, size_t n) {
    idr__name_toks *t = b->t;
    if (!b->open) {
        if (t->n >= IDR__NAME_MAX_TOKENS || b->used + 2 > IDR__NAME_BUF) {
            return;
        }
        t->off[t->n] = (uint8_t)b->used;
        b->open = true;
    }
    /* keep room for this token's NUL; a token that does not fit is cut */
    if (b->used + n + 1 > IDR__NAME_BUF || b->used + n - t->off[t->n] > 200) {
        return;
    }
    memcpy(t->buf + b->used, p, n);
    b->used += n;
}

/* Drop stop words unless that would leave nothing; mark one-letter tokens. */
/* Legal forms written with dots between the letters ("L.L.C.") tokenise as three
 * initials; they are legal forms all the same. */
static const char *const dotted_forms[] = {"inc", "llc", "llp", "ltd", "plc", NULL};

static void tb_finish(tok_builder *b) {
    tb_end(b);
    idr__name_toks *t = b->t;
    bool drop[IDR__NAME_MAX_TOKENS] = {false};
    for (size_t i = 0; i + 2 < t->n; i++) {
        if (t->len[i] != 1 || t->len[i + 1] != 1 || t->len[i + 2] != 1) {
            continue;
        }
        char w[4] = {t->buf[t->off[i]], t->buf[t->off[i + 1]], t->buf[t->off[i + 2]], 0};
        for (size_t k = 0; dotted_forms[k]; k++) {
            if (strcmp(w, dotted_forms[k]) == 0) {
                drop[i] = drop[i + 1] = drop[i + 2] = true;
            }
        }
    }
    size_t keep = 0;
    for (size_t i = 0; i < t->n; i++) {
        drop[i] = drop[i] || is_stop_word(t->buf + t->off[i]);
        keep += !drop[i];
    }
    if (keep > 0 && keep < t->n) {
        size_t j = 0;
        for (size_t i = 0; i < t->n; i++) {
            if (!drop[i]) {
                t->off[j] = t->off[i];
                t->len[j] = t->len[i];
                j++;
            }
        }
        t->n = j;
    }
    for (size_t i = 0; i < t->n; i++) {
        t->initial[i] = t->len[i] == 1;
    }
}

static bool is_apostrophe(uint32_t c) {
    /* ' and the typographic and modifier apostrophes; U+02B9 is what Any-Latin gives
     * for the Cyrillic soft sign before Latin-ASCII turns it into ' */
    return c == 0x27 || c == 0x60 || c == 0xB4 || c == 0x2018 || c == 0x2019 ||
           c == 0x02BC || c == 0x02B9 || c == 0x02BB;
}

static void tokenize_ascii(const char *s, size_t n, idr__name_toks *out) {
    tok_builder b;
    tb_init(&b, out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            char lc = (char)tolower(c);
            tb_put(&b, &lc, 1);
        } else if (!is_apostrophe(c)) {
            tb_end(&b);
        }
    }
    tb_finish(&b);
}

/* ICU unavailable, non-ASCII input: the plain normalisation, split on its spaces. */
static void tokenize_plain(const char *s, size_t n, idr__name_toks *out) {
    tok_builder b;
    tb_init(&b, out);
    /* The C library's: the caller's allocator is not in reach here, and this runs only
     * in builds whose ICU lacks the transliterator. */
    idr__arena *a = idr__arena_new(NULL, 1024);
    char *cut = a ? idr__arena_strndup(a, s, n) : NULL;
    /* drop apostrophes first so that they join, as on the ICU path */
    if (cut) {
        char *w = cut;
        for (char *r = cut; *r; r++) {
            if (*r != '\'' && *r != '`') {
                *w++ = *r;
            }
        }
        *w = '\0';
    }
    const char *norm = cut ? idr__norm_simple(a, cut) : NULL;
    for (const char *p = norm; p && *p; p++) {
        if (*p == ' ') {
            tb_end(&b);
        } else {
            tb_put(&b, p, 1);
        }
    }
    tb_finish(&b);
    idr__arena_free(a);
}

static UTransliterator *open_proto(void) {
    UChar id[sizeof TRANSLIT_ID];
    u_uastrcpy(id, TRANSLIT_ID);
    UParseError pe;
    UErrorCode st = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, &pe, &st);
    if (U_FAILURE(st)) {
        if (t) {
            utrans_close(t);
        }
        return NULL;
    }
    return t;
}

/* Make the prototype and the pool on first use. Double-checked: tr_state is published
 * with release order after proto and pool are complete, so a thread that reads 1 with
 * acquire order sees them; creation itself runs under clone_lock, once. */
static bool ensure_translit(idr__names *nm) {
    int s = atomic_load_explicit(&nm->tr_state, memory_order_acquire);
    if (s != 0) {
        return s > 0;
    }
    pthread_mutex_lock(&nm->clone_lock);
    s = atomic_load_explicit(&nm->tr_state, memory_order_relaxed);
    if (s == 0) {
        UErrorCode st = U_ZERO_ERROR;
        nm->proto = open_proto();
        st = nm->proto ? U_ZERO_ERROR : U_MISSING_RESOURCE_ERROR;
        for (int i = 0; i < IDR__NAMES_POOL && U_SUCCESS(st); i++) {
            nm->pool[i] = utrans_clone(nm->proto, &st);
        }
        s = U_SUCCESS(st) ? 1 : -1;
        atomic_store_explicit(&nm->tr_state, s, memory_order_release);
    }
    pthread_mutex_unlock(&nm->clone_lock);
    return s > 0;
}

static UTransliterator *acquire(const idr__names *cnm, int *slot) {
    /* the pool flags and the lazily made transliterators are the only mutable part */
    idr__names *nm = (idr__names *)cnm;
    *slot = -1;
    if (!ensure_translit(nm)) {
        return NULL;
    }
    for (int i = 0; i < IDR__NAMES_POOL; i++) {
        if (!atomic_flag_test_and_set_explicit(&nm->busy[i], memory_order_acquire)) {
            *slot = i;
            return nm->pool[i];
        }
    }
    UErrorCode st = U_ZERO_ERROR;
    pthread_mutex_lock(&nm->clone_lock);
    UTransliterator *t = utrans_clone(nm->proto, &st);
    pthread_mutex_unlock(&nm->clone_lock);
    if (U_FAILURE(st)) {
        utrans_close(t);
        return NULL;
    }
    return t;
}

static void release(const idr__names *cnm, UTransliterator *t, int slot) {
    idr__names *nm = (idr__names *)cnm;
    if (slot >= 0) {
        atomic_flag_clear_explicit(&nm->busy[slot], memory_order_release);
    } else {
        utrans_close(t);
    }
}

/* Capacity for the transliterated text: Han and Hangul grow several-fold. */
#define WORK_CAP (IDR__NAME_MAX_INPUT * 4)

static int cmp_translit(const void *a, const void *b) {
    const translit_pair *x = a, *y = b;
    size_t n = x->in_len < y->in_len ? x->in_len : y->in_len;
    int c = memcmp(x->in, y->in, n);
    return c ? c : (x->in_len > y->in_len) - (x->in_len < y->in_len);
}

/* ICU's transliteration of the n bytes at s from names_translit.tsv, or NULL. */
static const char *translit_known(const idr__names *nm, const char *s, size_t n) {
    if (!nm->n_tl) {
        return NULL;
    }
    translit_pair key = {s, NULL, n};
    const translit_pair *p = bsearch(&key, nm->tl, nm->n_tl, sizeof key, cmp_translit);
    return p ? p->out : NULL;
}

static void tokenize_icu(
    const idr__names *nm, const char *s, size_t n, bool force_icu, idr__name_toks *out) {
    UChar src[IDR__NAME_MAX_INPUT + 1];
    UChar work[WORK_CAP];
    UChar fold[WORK_CAP];
    UErrorCode st = U_ZERO_ERROR;
    int32_t len = 0;
    u_strFromUTF8WithSub(src, IDR__NAME_MAX_INPUT, &len, s, (int32_t)n, 0xFFFD, NULL,
                         &st);
    if (U_FAILURE(st) && st != U_BUFFER_OVERFLOW_ERROR) {
        tokenize_plain(s, n, out);
        return;
    }
    if (len > IDR__NAME_MAX_INPUT) {
        len = IDR__NAME_MAX_INPUT;
    }
    memcpy(work, src, (size_t)len * sizeof(UChar));
    int32_t wlen = len, limit = len;
    const char *known =
        len < IDR__NAME_MAX_INPUT && !force_icu ? translit_known(nm, s, n) : NULL;
    UTransliterator *tr = NULL;
    st = U_ZERO_ERROR;
    if (known) {
        u_strFromUTF8(work, WORK_CAP, &wlen, known, -1, &st);
    } else {
        int slot = -1;
        tr = acquire(nm, &slot);
        if (tr) {
            utrans_transUChars(tr, work, &wlen, WORK_CAP, 0, &limit, &st);
            release(nm, tr, slot);
        }
    }
    if ((!known && !tr) || U_FAILURE(st) || wlen > WORK_CAP) {
        /* too long once transliterated, or no transliterator: fold the input as is */
        memcpy(work, src, (size_t)len * sizeof(UChar));
        wlen = len;
    }
    st = U_ZERO_ERROR;
    int32_t flen = u_strFoldCase(fold, WORK_CAP, work, wlen, U_FOLD_CASE_DEFAULT, &st);
    if (U_FAILURE(st) || flen > WORK_CAP) {
        flen = 0;
    }
    tok_builder b;
    tb_init(&b, out);
    for (int32_t i = 0; i < flen;) {
        UChar32 c;
#pragma GCC diagnostic push /* ICU's macros mix UChar32 and uint32_t internally */
#pragma GCC diagnostic ignored "-Wsign-conversion"
        U16_NEXT(fold, i, flen, c);
#pragma GCC diagnostic pop
        if (is_apostrophe((uint32_t)c)) {
            continue;
        }
        int8_t type = (int8_t)u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK ||
            type == U_COMBINING_SPACING_MARK) {
            continue; /* marks left after transliteration belong to their letter */
        }
        if (!u_isalnum(c) || c == 0xFFFD) {
            tb_end(&b);
            continue;
        }
        char u8[4];
        int32_t k = 0;
        UBool err = 0;
#pragma GCC diagnostic push /* ICU's macros mix UChar32 and uint32_t internally */
#pragma GCC diagnostic ignored "-Wsign-conversion"
        U8_APPEND((uint8_t *)u8, k, 4, c, err);
#pragma GCC diagnostic pop
        if (!err) {
            tb_put(&b, u8, (size_t)k);
        }
    }
    tb_finish(&b);
}

static void nick_rows(const idr__names *nm, idr__name_toks *out);

void idr__name_tokenize(const idr__names *nm, const char *s, idr__name_toks *out) {
    if (!s) {
        memset(out, 0, sizeof *out);
        return;
    }
    size_t n = strnlen(s, IDR__NAME_MAX_INPUT);
    bool ascii = true;
    for (size_t i = 0; i < n && ascii; i++) {
        ascii = (unsigned char)s[i] < 0x80;
    }
    if (ascii) {
        tokenize_ascii(s, n, out);
    } else if (nm) {
        tokenize_icu(nm, s, n, false, out);
    } else {
        tokenize_plain(s, n, out);
    }
    nick_rows(nm, out);
}

void idr__name_tokenize_icu(const idr__names *nm, const char *s, idr__name_toks *out) {
    if (!s || !nm) {
        idr__name_tokenize(nm, s, out);
        return;
    }
    tokenize_icu(nm, s, strnlen(s, IDR__NAME_MAX_INPUT), true, out);
    nick_rows(nm, out);
}

static void nick_rows(const idr__names *nm, idr__name_toks *out) {
    /* look each token up in the nickname table once, not once per pair compared */
    for (size_t i = 0; i < out->n; i++) {
        const nick_pair *p =
            nm && nm->n_nick ? nick_first(nm, out->buf + out->off[i]) : NULL;
        out->nick[i] = p && p - nm->nick <= INT16_MAX ? (int16_t)(p - nm->nick) : -1;
    }
}

char *idr__name_toks_text(idr__arena *a, const idr__name_toks *t) {
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(a));
    for (size_t i = 0; i < t->n; i++) {
        if (i) {
            idr__buf_put(&b, " ", 1);
        }
        idr__buf_put(&b, t->buf + t->off[i], t->len[i]);
    }
    char *r = idr__arena_strndup(a, b.p ? b.p : "", b.len);
    idr__buf_free(&b);
    return r;
}

/* ---- Measures ---------------------------------------------------------------------- */

double idr__jaro_winkler(const char *s, size_t ls, const char *t, size_t lt) {
    if (ls == 0 || lt == 0) {
        return ls == lt ? 1.0 : 0.0;
    }
    if (ls > 255) {
        ls = 255;
    }
    if (lt > 255) {
        lt = 255;
    }
    size_t window = (ls > lt ? ls : lt) / 2;
    window = window > 0 ? window - 1 : 0;
    bool ms[255] = {false}, mt[255] = {false};
    size_t m = 0;
    for (size_t i = 0; i < ls; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < lt ? i + window + 1 : lt;
        for (size_t j = lo; j < hi; j++) {
            if (!mt[j] && s[i] == t[j]) {
                ms[i] = mt[j] = true;
                m++;
                break;
            }
        }
    }
    if (m == 0) {
        return 0.0;
    }
    size_t trans = 0;
    for (size_t i = 0, j = 0; i < ls; i++) {
        if (!ms[i]) {
            continue;
        }
        while (!mt[j]) {
            j++;
        }
        if (s[i] != t[j]) {
            trans++;
        }
        j++;
    }
    double md = (double)m;
    double jaro =
        (md / (double)ls + md / (double)lt + (md - (double)trans / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < ls && prefix < lt && s[prefix] == t[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

int idr__edit_distance(const char *s, size_t ls, const char *t, size_t lt, int cap) {
    if (ls > 255 || lt > 255) {
        return cap + 1;
    }
    size_t diff = ls > lt ? ls - lt : lt - ls;
    if (diff > (size_t)cap) {
        return cap + 1;
    }
    /* three rows of the optimal-string-alignment table */
    int rows[3][256];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lt; j++) {
        prev[j] = (int)j;
    }
    for (size_t i = 1; i <= ls; i++) {
        cur[0] = (int)i;
        int best = cur[0];
        for (size_t j = 1; j <= lt; j++) {
            int cost = s[i - 1] == t[j - 1] ? 0 : 1;
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) {
                v = cur[j - 1] + 1;
            }
            if (prev[j - 1] + cost < v) {
                v = prev[j - 1] + cost;
            }
            if (i > 1 && j > 1 && s[i - 1] == t[j - 2] && s[i - 2] == t[j - 1] &&
                pp[j - 2] + 1 < v) {
                v = pp[j - 2] + 1;
            }
            cur[j] = v;
            if (v < best) {
                best = v;
            }
        }
        if (best > cap) {
            return cap + 1;
        }
        int *tmp = pp;
        pp = prev;
        prev = cur;
        cur = tmp;
    }
    return prev[lt] > cap ? cap + 1 : prev[lt];
}

static int cmp_nick(const void *a, const void *b) {
    const nick_pair *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->group > y->group) - (x->group < y->group);
}

/* First entry of `name` in the sorted table, or NULL. */
static const nick_pair *nick_first(const idr__names *nm, const char *name) {
    size_t lo = 0, hi = nm->n_nick;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(nm->nick[mid].name, name) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < nm->n_nick && strcmp(nm->nick[lo].name, name) == 0 ? &nm->nick[lo] : NULL;
}

bool idr__names_nickname(const idr__names *nm, const char *x, const char *y) {
    if (!nm || !nm->n_nick) {
        return false;
    }
    const nick_pair *a = nick_first(nm, x), *b = nick_first(nm, y);
    const nick_pair *end = nm->nick + nm->n_nick;
    while (a && b && a < end && b < end && strcmp(a->name, x) == 0 &&
           strcmp(b->name, y) == 0) {
        if (a->group == b->group) {
            return true;
        }
        if (a->group < b->group) {
            a++;
        } else {
            b++;
        }
    }
    return false;
}

/* Two tokens whose first table rows are ra and rb share a group (rows of one name are
 * consecutive, sorted by group). */
static bool nicknames(const idr__names *nm, int16_t ra, int16_t rb) {
    if (!nm || ra < 0 || rb < 0) {
        return false;
    }
    const nick_pair *a = &nm->nick[ra], *b = &nm->nick[rb];
    const nick_pair *end = nm->nick + nm->n_nick;
    const char *x = a->name, *y = b->name;
    while (a < end && b < end && strcmp(a->name, x) == 0 && strcmp(b->name, y) == 0) {
        if (a->group == b->group) {
            return true;
        }
        if (a->group < b->group) {
            a++;
        } else {
            b++;
        }
    }
    return false;
}

size_t idr__names_nickname_groups(const idr__names *nm) {
    return nm ? nm->n_groups : 0;
}

static double tok_sim(const idr__names *nm,
                      const idr__name_toks *a,
                      size_t i,
                      const idr__name_toks *b,
                      size_t j) {
    const char *x = a->buf + a->off[i], *y = b->buf + b->off[j];
    size_t lx = a->len[i], ly = b->len[j];
    if (lx == ly && memcmp(x, y, lx) == 0) {
        return 1.0;
    }
    if (a->initial[i] || b->initial[j]) {
        /* an initial is consistent with any name starting with that letter */
        return x[0] == y[0] ? SIM_INITIAL : 0.0;
    }
    if (a->nick[i] >= 0 && b->nick[j] >= 0 && nicknames(nm, a->nick[i], b->nick[j])) {
        return SIM_NICKNAME;
    }
    return idr__jaro_winkler(x, lx, y, ly);
}

static bool all_initials(const idr__name_toks *t) {
    for (size_t i = 0; i < t->n; i++) {
        if (!t->initial[i]) {
            return false;
        }
    }
    return true;
}

double idr__name_toks_similarity_ex(const idr__names *nm,
                                    const idr__name_toks *a,
                                    const idr__name_toks *b,
                                    double *min_pair) {
    if (min_pair) {
        *min_pair = 0.0;
    }
    if (a->n == 0 || b->n == 0) {
        return 0.0;
    }
    /* a is the shorter name; between names of equal length the order is fixed by
     * their bytes, so that (a, b) and (b, a) run the same arithmetic and the measure is
     * exactly symmetric (Jaro's greedy matching and float sums depend on order) */
    if (a->n > b->n || (a->n == b->n && memcmp(a, b, sizeof *a) > 0)) {
        const idr__name_toks *t = a;
        a = b;
        b = t;
    }
    double sim[IDR__NAME_MAX_TOKENS][IDR__NAME_MAX_TOKENS];
    for (size_t i = 0; i < a->n; i++) {
        for (size_t j = 0; j < b->n; j++) {
            sim[i][j] = tok_sim(nm, a, i, b, j);
        }
    }
    /* Best one-to-one pairing: dp[mask] is the best sum pairing the first
     * popcount(mask) tokens of `a` with the tokens of `b` in `mask`; pick[mask] is the
     * token of `b` the last step paired, to walk the pairing back. */
    double dp[1u << IDR__NAME_MAX_TOKENS];
    uint8_t pick[1u << IDR__NAME_MAX_TOKENS];
    unsigned full = 1u << b->n;
    for (unsigned m = 0; m < full; m++) {
        dp[m] = -1.0;
        pick[m] = 0;
    }
    dp[0] = 0.0;
    double best = -1.0;
    unsigned best_mask = 0;
    for (unsigned m = 0; m < full; m++) {
        if (dp[m] < 0) {
            continue;
        }
        unsigned i = (unsigned)__builtin_popcount(m);
        if (i == a->n) {
            if (dp[m] > best) {
                best = dp[m];
                best_mask = m;
            }
            continue;
        }
        for (unsigned j = 0; j < b->n; j++) {
            if (!(m & (1u << j))) {
                double v = dp[m] + sim[i][j];
                if (v > dp[m | (1u << j)]) {
                    dp[m | (1u << j)] = v;
                    pick[m | (1u << j)] = (uint8_t)j;
                }
            }
        }
    }
    if (min_pair) {
        double mn = 1.0;
        unsigned m = best_mask;
        for (size_t i = a->n; i-- > 0;) {
            unsigned j = pick[m];
            if (sim[i][j] < mn) {
                mn = sim[i][j];
            }
            m &= ~(1u << j);
        }
        *min_pair = mn;
    }
    double s = best / (double)a->n;
    if (all_initials(a) || all_initials(b)) {
        s = s < INITIALS_ONLY_CAP ? s : INITIALS_ONLY_CAP;
    }
    if (a->n == 1 && b->n >= 2) {
        s *= SINGLE_TOKEN_SCALE;
    }
    return s;
}

double idr__name_toks_similarity(const idr__names *nm,
                                 const idr__name_toks *a,
                                 const idr__name_toks *b) {
    return idr__name_toks_similarity_ex(nm, a, b, NULL);
}

double idr__names_similarity(const idr__names *nm, const char *a, const char *b) {
    if (!a || !b || !*a || !*b) {
        return 0.0;
    }
    idr__name_toks x, y;
    idr__name_tokenize(nm, a, &x);
    idr__name_tokenize(nm, b, &y);
    return idr__name_toks_similarity(nm, &x, &y);
}

/* ---- Domains ------------------------------------------------------------------------
 */

bool idr__names_domain_confusable(const idr__names *nm,
                                  const char *dom,
                                  const char *real) {
    if (!nm || !nm->spoof || !dom || !real || strcmp(dom, real) == 0) {
        return false;
    }
    /* punycode labels ("xn--...") are compared as the Unicode they stand for */
    char uni[512];
    const char *d = dom;
    UErrorCode st = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    if (nm->idna) {
        int32_t n = uidna_nameToUnicodeUTF8(nm->idna, dom, -1, uni,
                                            (int32_t)sizeof uni - 1, &info, &st);
        if (U_SUCCESS(st) && !info.errors && n > 0 && n < (int32_t)sizeof uni) {
            uni[n] = '\0';
            d = uni;
        }
    }
    if (strcmp(d, real) == 0) {
        return true; /* an encoded form of the same name is not what the employer uses */
    }
    st = U_ZERO_ERROR;
    int32_t r = uspoof_areConfusableUTF8(nm->spoof, d, -1, real, -1, &st);
    return U_SUCCESS(st) && r != 0;
}

int idr__names_domain_form(const idr__names *nm,
                           idr__arena *a,
                           const char *dom,
                           bool decode,
                           idr__domain_form *out) {
    memset(out, 0, sizeof *out);
    if (!nm || !nm->spoof || !dom) {
        return IDR_OK;
    }
    /* the same decoding as idr__names_domain_confusable() */
    char uni[512];
    const char *d = dom;
    UErrorCode st = U_ZERO_ERROR;
    UIDNAInfo info = UIDNA_INFO_INITIALIZER;
    if (decode && nm->idna) {
        int32_t n = uidna_nameToUnicodeUTF8(nm->idna, dom, -1, uni,
                                            (int32_t)sizeof uni - 1, &info, &st);
        if (U_SUCCESS(st) && !info.errors && n > 0 && n < (int32_t)sizeof uni) {
            uni[n] = '\0';
            d = uni;
        }
    }
    out->unicode = idr__arena_strdup(a, d);
    if (!out->unicode) {
        return IDR_ENOMEM;
    }
    /* uspoof_areConfusable() with every USPOOF_CONFUSABLE check on answers "confusable"
     * exactly when the two skeletons are equal (UTS #39 section 4), so a skeleton per
     * domain replaces a spoof check per pair. */
    char buf[256];
    st = U_ZERO_ERROR;
    int32_t n =
        uspoof_getSkeletonUTF8(nm->spoof, 0, d, -1, buf, (int32_t)sizeof buf, &st);
    if (U_SUCCESS(st) && st != U_STRING_NOT_TERMINATED_WARNING) {
        out->skeleton = idr__arena_strndup(a, buf, (size_t)n);
        return out->skeleton ? IDR_OK : IDR_ENOMEM;
    }
    if ((st != U_BUFFER_OVERFLOW_ERROR && st != U_STRING_NOT_TERMINATED_WARNING) ||
        n < 0) {
        return IDR_OK; /* no skeleton: confusable with nothing, as the pair check */
    }
    char *big = idr__arena_alloc(a, (size_t)n + 1);
    if (!big) {
        return IDR_ENOMEM;
    }
    st = U_ZERO_ERROR;
    int32_t m = uspoof_getSkeletonUTF8(nm->spoof, 0, d, -1, big, n + 1, &st);
    if (U_SUCCESS(st) && m == n) {
        big[n] = '\0';
        out->skeleton = big;
    }
    return IDR_OK;
}

bool idr__domain_confusable(const char *dom,
                            const idr__domain_form *df,
                            const char *real,
                            const idr__domain_form *rf) {
    if (!dom || !real || !df || !df->unicode || strcmp(dom, real) == 0) {
        return false;
    }
    if (strcmp(df->unicode, real) == 0) {
        return true; /* an encoded form of the same name is not what the employer uses */
    }
    return rf && df->skeleton && rf->skeleton && strcmp(df->skeleton, rf->skeleton) == 0;
}

/* ---- Lifecycle --------------------------------------------------------------------- */

static void add_form(idr__names *nm, char *p, unsigned group, size_t cap) {
    while (*p == ' ') {
        p++;
    }
    char *e = p + strlen(p);
    while (e > p && (e[-1] == ' ' || e[-1] == '\r')) {
        *--e = '\0';
    }
    for (char *q = p; *q; q++) {
        *q = (char)tolower((unsigned char)*q);
    }
    if (*p && nm->n_nick < cap) {
        nm->nick[nm->n_nick].name = p;
        nm->nick[nm->n_nick].group = group;
        nm->n_nick++;
    }
}

/* data/nicknames.tsv: "name<TAB>other forms, comma-separated<TAB>source". Each line is
 * one group; a form may sit in several groups ("al": Albert, Alan, Alfred). Names are
 * stored as the ASCII normaliser would give them. */
static int load_nicknames(idr__loader *ld, idr__names *nm) {
    char path[4096];
    snprintf(path, sizeof path, "%s/nicknames.tsv", ld->lists_dir ? ld->lists_dir : ".");
    size_t len = 0;
    char *text = idr__read_file(ld->al, path, (size_t)16 << 20, &len);
    if (!text && errno == ENOMEM) {
        return IDR_ENOMEM;
    }
    if (!text) {
        return idr__loader_warn(ld, "nickname table %s not loaded: %s", path,
                                strerror(errno));
    }
    nm->nick_text = text;
    char ver[32] = "unversioned";
    const char *rf = strstr(text, "# refreshed: ");
    if (rf) {
        rf += strlen("# refreshed: ");
        snprintf(ver, sizeof ver, "%.*s", (int)strcspn(rf, "\r\n"), rf);
    }
    size_t cap = 0;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == ',' || text[i] == '\t' || text[i] == '\n';
    }
    nm->nick = idr__calloc(nm->al, cap + 1, sizeof *nm->nick);
    if (!nm->nick) {
        return IDR_ENOMEM;
    }
    unsigned group = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\r' || line[0] == '\0') {
            continue;
        }
        char *tab1 = strchr(line, '\t');
        char *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab1 || !tab2 || tab2[1] == '\0') {
            continue; /* every entry must carry its source */
        }
        *tab1 = *tab2 = '\0';
        group++;
        add_form(nm, line, group, cap);
        char *save2 = NULL;
        for (char *f = strtok_r(tab1 + 1, ",", &save2); f;
             f = strtok_r(NULL, ",", &save2)) {
            add_form(nm, f, group, cap);
        }
    }
    nm->n_groups = group;
    qsort(nm->nick, nm->n_nick, sizeof *nm->nick, cmp_nick);
    char what[96];
    snprintf(what, sizeof what,
             "common English given names and their short forms, %u groups (see "
             "data/README.md)",
             group);
    idr__data_entry d = {"nicknames", "list", ver, ver, "same as idrisk (curated)", what};
    return idr__loader_add_data(ld, &d);
}

/* data/names_translit.tsv: "# icu: VERSION", then "name<TAB>ICU's transliteration".
 * Used only when VERSION is the running ICU's; otherwise (or when absent) every
 * non-ASCII name goes through the transliterator, which gives the same tokens, only
 * later. A line without a tab is skipped. */
static int load_translit(idr__loader *ld, idr__names *nm) {
    char path[4096];
    snprintf(path, sizeof path, "%s/names_translit.tsv",
             ld->lists_dir ? ld->lists_dir : ".");
    size_t len = 0;
    char *text = idr__read_file(ld->al, path, (size_t)4 << 20, &len);
    if (!text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    const char *v = strstr(text, "# icu: ");
    size_t vl = strlen(U_ICU_VERSION);
    if (!v || strncmp(v + 7, U_ICU_VERSION, vl) != 0 ||
        (v[7 + vl] != '\n' && v[7 + vl] != '\r')) {
        idr__free(ld->al, text);
        return IDR_OK;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    nm->tl = idr__calloc(nm->al, cap, sizeof *nm->tl);
    if (!nm->tl) {
        idr__free(ld->al, text);
        return IDR_ENOMEM;
    }
    nm->tl_text = text;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && nm->n_tl < cap;
         line = strtok_r(NULL, "\n", &save)) {
        line[strcspn(line, "\r")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab) {
            continue;
        }
        *tab = '\0';
        nm->tl[nm->n_tl++] = (translit_pair){line, tab + 1, (size_t)(tab - line)};
    }
    qsort(nm->tl, nm->n_tl, sizeof *nm->tl, cmp_translit);
    return IDR_OK;
}

/* Whether this ICU has the transliteration rules Any-Latin is made from: the bundle of
 * rule-based transform ids in its translit tree (about 10k instructions, where asking
 * the transliterator registry costs 137M). Without them a non-ASCII name could only be
 * folded as written and would be compared wrongly, so the module is unavailable. */
static bool icu_has_translit(UErrorCode *why) {
    UErrorCode st = U_ZERO_ERROR;
    UResourceBundle *rb = ures_openDirect(U_ICUDATA_NAME "-translit", "root", &st);
    UResourceBundle *ids =
        U_SUCCESS(st) ? ures_getByKey(rb, "RuleBasedTransliteratorIDs", NULL, &st) : NULL;
    UResourceBundle *han =
        U_SUCCESS(st) ? ures_getByKey(ids, "Han-Latin", NULL, &st) : NULL;
    ures_close(han);
    ures_close(ids);
    ures_close(rb);
    *why = st;
    return U_SUCCESS(st);
}

int idr__names_open(idr__loader *ld, idr__names **out, const char **why) {
    *out = NULL;
    *why = NULL;
    UErrorCode tst = U_ZERO_ERROR;
    if (!icu_has_translit(&tst)) {
        *why = idr__arena_printf(ld->arena,
                                 "ICU has no transliteration rules (%s): names in other "
                                 "scripts cannot be compared",
                                 u_errorName(tst));
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    idr__names *nm = idr__calloc(ld->al, 1, sizeof *nm);
    if (!nm) {
        return IDR_ENOMEM;
    }
    nm->al = ld->al;
    pthread_mutex_init(&nm->clone_lock, NULL);
    for (int i = 0; i < IDR__NAMES_POOL; i++) {
        atomic_flag_clear(&nm->busy[i]);
    }
    atomic_init(&nm->tr_state, 0);
    /* The transliterator is made on first use (ensure_translit), not here: even asking
     * ICU's registry which transforms it has costs about as much as making one;
     * icu_has_translit() above checked that its rules are there. */
    UErrorCode st = U_ZERO_ERROR;
    nm->spoof = uspoof_open(&st);
    if (U_SUCCESS(st)) {
        uspoof_setChecks(nm->spoof, USPOOF_CONFUSABLE, &st);
    }
    UErrorCode st2 = U_ZERO_ERROR;
    nm->idna = uidna_openUTS46(UIDNA_DEFAULT, &st2);
    if (U_FAILURE(st) || U_FAILURE(st2)) {
        /* the confusable check is optional: without it only the ASCII look-alike map
         * of the email rules applies */
        if (nm->spoof) {
            uspoof_close(nm->spoof);
        }
        if (nm->idna) {
            uidna_close(nm->idna);
        }
        nm->spoof = NULL;
        nm->idna = NULL;
    }
    int rc = load_nicknames(ld, nm);
    if (rc == IDR_OK) {
        rc = load_translit(ld, nm);
    }
    if (rc != IDR_OK) {
        idr__names_close(nm);
        return rc;
    }
    idr__data_entry d = {"icu",
                         "library",
                         U_ICU_VERSION,
                         NULL,
                         "Unicode-DFS-2016",
                         "ICU transliteration and case folding (Unicode, Inc.)"};
    if ((rc = idr__loader_add_data(ld, &d)) != IDR_OK) {
        idr__names_close(nm);
        return rc;
    }
    *out = nm;
    return IDR_OK;
}

void idr__names_close(idr__names *nm) {
    if (!nm) {
        return;
    }
    for (int i = 0; i < IDR__NAMES_POOL; i++) {
        if (nm->pool[i]) {
            utrans_close(nm->pool[i]);
        }
    }
    if (nm->proto) {
        utrans_close(nm->proto);
    }
    if (nm->spoof) {
        uspoof_close(nm->spoof);
    }
    if (nm->idna) {
        uidna_close(nm->idna);
    }
    pthread_mutex_destroy(&nm->clone_lock);
    idr__free(nm->al, nm->nick);
    idr__free(nm->al, nm->nick_text);
    idr__free(nm->al, nm->tl);
    idr__free(nm->al, nm->tl_text);
    idr__free(nm->al, nm);
}
