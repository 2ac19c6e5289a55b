/* SPDX-License-Identifier: Apache-2.0 */
/*
 * match.c - the name keys the watch-list screening compares, and the token index that
 * keeps screening from comparing a name with every list entry (docs/sanctions.md).
 *
 * Both sides of a comparison start from the name normaliser's tokens (NFKC, Latin
 * transliteration, diacritics removed, case folded, punctuation a separator; the
 * common legal forms and "of"/"the" already dropped). On top of that:
 *  - an organisation key drops every further legal-form word (JSC, OOO, GmbH, FZE, FZCO,
 *    FZ-LLC, "Limited Liability", ...) and "and", spells out the abbreviations that
 *    companies write both ways ("IT"/"I.T." = "information technology", "Tech" =
 *    "technology", "Intl" = "international", "Mfg" = "manufacturing") and keeps no
 *    one-letter token (an initial identifies no company). Word order is kept, so that
 *    a joined form can be recognised ("Silver Star" / "Silverstar");
 *  - a person key is the tokens sorted: the same tokens in any order, nothing fuzzy
 *    (screen.c says why); the one allowance is a listed patronymic ("Vitaliy
 *    Sergeyevich Andreyev" is written "Vitaliy Andreyev" as often as not).
 * Two organisation keys match when their tokens, once a token of one side that is two
 * adjacent tokens of the other joined has been split, pair one to one (order free),
 * every pair at least ORG_TOKEN_FLOOR alike (Jaro-Winkler; tokens with digits must be
 * equal) and the mean at least IDR__SCREEN_MATCH; or when both keys joined without
 * spaces are the same string.
 *
 * The index maps every key token, and for organisations every two adjacent tokens
 * joined, to the list names that hold it. Screening looks a name's tokens up and
 * compares it only with the names found: those holding one of its rarer words; a word
 * held by more than IDR__INDEX_COMMON names ("trading", "korea" on a full SDN list) is
 * not used that way, and a name whose every word is that common is compared with the
 * names holding all of its words. At most IDR__INDEX_MAX_CANDIDATES names are compared.
 * A misspelt word is therefore found only through another word of the name: the price
 * of a cost that does not grow with the list.
 */
#include "enrich/lists/lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each token of one organisation name must match a token of the other this well: 0.8
 * lets "Traders" cover "Trading" (0.83) but not "Valley" cover "Alpine" (0.67).
 * Project choice, measured in docs/names.md. */
#define ORG_TOKEN_FLOOR 0.80

/* Legal forms and connectives an organisation key drops (beyond the normaliser's own
 * stop words). Sorted for bsearch. */
static const char *const org_drop[] = {
    "ag",   "and",       "bv",      "cjsc", "co",    "company", "corp", "corporation",
    "fz",   "fzc",       "fzco",    "fze",  "fzllc", "gmbh",    "inc",  "incorporated",
    "jsc",  "liability", "limited", "llc",  "llp",   "lp",      "ltd",  "nv",
    "oao",  "ojsc",      "ooo",     "pao",  "pjsc",  "plc",     "pte",  "pty",
    "sarl", "srl",       "the",     "zao",
};

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_sorted_words(const char *w, const char *const *v, size_t n) {
    return bsearch(&w, v, n, sizeof *v, cmp_cstr) != NULL;
}

/* Abbreviations spelled out (a word may become two). */
static const struct {
    const char *abbr, *full;
} org_abbr[] = {
    {"it", "information technology"}, {"tech", "technology"},
    {"technologies", "technology"},   {"intl", "international"},
    {"mfg", "manufacturing"},
};

static void key_push(idr__org_key *k, const char *s, size_t n) {
    if (k->n >= IDR__ORG_MAX_TOKENS || k->used + n + 1 > sizeof k->buf) {
        return;
    }
    k->off[k->n] = (uint16_t)k->used;
    k->len[k->n] = (uint8_t)n;
    memcpy(k->buf + k->used, s, n);
    k->buf[k->used + n] = '\0';
    k->used += n + 1;
    k->n++;
}

static void key_push_words(idr__org_key *k, const char *words) {
    while (*words) {
        size_t n = strcspn(words, " ");
        key_push(k, words, n);
        words += n;
        words += *words == ' ';
    }
}

void idr__org_key_from_toks(const idr__name_toks *t, idr__org_key *k) {
    memset(k, 0, sizeof *k);
    size_t kept = 0;
    for (size_t i = 0; i < t->n; i++) {
        const char *w = t->buf + t->off[i];
        size_t n = t->len[i];
        /* "I.T." tokenises as two initials */
        if (n == 1 && i + 1 < t->n && t->len[i + 1] == 1 && w[0] == 'i' &&
            t->buf[t->off[i + 1]] == 't') {
            key_push_words(k, "information technology");
            i++;
            kept++;
            continue;
        }
        if (n <= 1 || in_sorted_words(w, org_drop, sizeof org_drop / sizeof *org_drop)) {
            continue;
        }
        kept++;
        bool done = false;
        for (size_t a = 0; a < sizeof org_abbr / sizeof *org_abbr && !done; a++) {
            if (strcmp(w, org_abbr[a].abbr) == 0) {
                key_push_words(k, org_abbr[a].full);
                done = true;
            }
        }
        if (!done) {
            key_push(k, w, n);
        }
    }
    if (kept == 0) {
        /* a name that is nothing but legal forms or initials keeps its tokens */
        for (size_t i = 0; i < t->n; i++) {
            key_push(k, t->buf + t->off[i], t->len[i]);
        }
    }
}

void idr__person_key_from_toks(const idr__name_toks *t, idr__org_key *k) {
    memset(k, 0, sizeof *k);
    size_t idx[IDR__NAME_MAX_TOKENS];
    for (size_t i = 0; i < t->n; i++) {
        idx[i] = i;
    }
    /* insertion sort: at most IDR__NAME_MAX_TOKENS */
    for (size_t i = 1; i < t->n; i++) {
        for (size_t j = i;
             j > 0 && strcmp(t->buf + t->off[idx[j - 1]], t->buf + t->off[idx[j]]) > 0;
             j--) {
            size_t x = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = x;
        }
    }
    for (size_t i = 0; i < t->n; i++) {
        key_push(k, t->buf + t->off[idx[i]], t->len[idx[i]]);
    }
}

char *idr__org_key_pack(idr__arena *a, const idr__org_key *k) {
    char out[sizeof k->buf];
    size_t n = 0;
    for (size_t i = 0; i < k->n; i++) {
        if (i) {
            out[n++] = ' ';
        }
        memcpy(out + n, k->buf + k->off[i], k->len[i]);
        n += k->len[i];
    }
    return idr__arena_strndup(a, out, n);
}

void idr__org_key_unpack(const char *packed, idr__org_key *k) {
    memset(k, 0, sizeof *k);
    key_push_words(k, packed ? packed : "");
}

static const char *ktok(const idr__org_key *k, size_t i) {
    return k->buf + k->off[i];
}

static bool joined_equal(const idr__org_key *a, const idr__org_key *b) {
    size_t i = 0, j = 0, pi = 0, pj = 0;
    /* walk both token sequences as one string each */
    for (;;) {
        while (i < a->n && pi == a->len[i]) {
            i++;
            pi = 0;
        }
        while (j < b->n && pj == b->len[j]) {
            j++;
            pj = 0;
        }
        if (i == a->n || j == b->n) {
            return i == a->n && j == b->n;
        }
        if (ktok(a, i)[pi++] != ktok(b, j)[pj++]) {
            return false;
        }
    }
}

/* `x` with every token that is two adjacent tokens of `y` joined split into those two
 * (only when `y` does not hold the token itself). */
static void split_by(const idr__org_key *x, const idr__org_key *y, idr__org_key *out) {
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < x->n; i++) {
        const char *w = ktok(x, i);
        bool split = false;
        bool held = false;
        for (size_t j = 0; j < y->n && !held; j++) {
            held = strcmp(w, ktok(y, j)) == 0;
        }
        for (size_t j = 0; !held && !split && j + 1 < y->n; j++) {
            size_t l1 = y->len[j], l2 = y->len[j + 1];
            if (l1 + l2 == x->len[i] && memcmp(w, ktok(y, j), l1) == 0 &&
                memcmp(w + l1, ktok(y, j + 1), l2) == 0) {
                key_push(out, ktok(y, j), l1);
                key_push(out, ktok(y, j + 1), l2);
                split = true;
            }
        }
        if (!split) {
            key_push(out, w, x->len[i]);
        }
    }
}

static bool has_digit(const char *s) {
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            return true;
        }
    }
    return false;
}

static double tok_sim(const char *a, size_t la, const char *b, size_t lb) {
    if (la == lb && memcmp(a, b, la) == 0) {
        return 1.0;
    }
    if (has_digit(a) || has_digit(b)) {
        return 0.0; /* "53" is not "54": numbers are equal or not */
    }
    return idr__jaro_winkler(a, la, b, lb);
}

double idr__org_similarity(const idr__org_key *a0, const idr__org_key *b0) {
    if (a0->n == 0 || b0->n == 0) {
        return -1.0;
    }
    if (joined_equal(a0, b0)) {
        return 1.0;
    }
    idr__org_key a, b;
    split_by(a0, b0, &a);
    split_by(b0, a0, &b);
    if (a.n != b.n) {
        return -1.0; /* a company with a word the other lacks is another company */
    }
    /* best pairing, greedy on the highest similarity (n <= IDR__ORG_MAX_TOKENS) */
    bool used_a[IDR__ORG_MAX_TOKENS] = {false}, used_b[IDR__ORG_MAX_TOKENS] = {false};
    double sum = 0.0, min_pair = 1.0;
    for (size_t round = 0; round < a.n; round++) {
        double best = -1.0;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < a.n; i++) {
            for (size_t j = 0; !used_a[i] && j < b.n; j++) {
                if (used_b[j]) {
                    continue;
                }
                double s = tok_sim(ktok(&a, i), a.len[i], ktok(&b, j), b.len[j]);
                if (s > best) {
                    best = s;
                    bi = i;
                    bj = j;
                }
            }
        }
        used_a[bi] = used_b[bj] = true;
        sum += best;
        min_pair = best < min_pair ? best : min_pair;
    }
    double s = sum / (double)a.n;
    return s >= IDR__SCREEN_MATCH && min_pair >= ORG_TOKEN_FLOOR ? s : -1.0;
}

/* A Russian-style patronymic ("Sergeyevich", "Ivanovna") or a Turkic one ("oglu"):
 * routinely left out when a name is written, and not who the person is on its own. */
static bool is_patronymic(const char *w, size_t n) {
    static const char *const suffix[] = {"vich", "vna",  "ichna", "ogly",
                                         "oglu", "kyzy", NULL};
    for (size_t i = 0; n >= 7 && suffix[i]; i++) {
        size_t ls = strlen(suffix[i]);
        if (memcmp(w + n - ls, suffix[i], ls) == 0) {
            return true;
        }
    }
    return false;
}

bool idr__person_key_match(const idr__org_key *q, const idr__org_key *listed) {
    if (q->n == 0 || (q->n != listed->n && (q->n < 2 || q->n + 1 != listed->n))) {
        return false;
    }
    /* both sorted: merge, allowing one listed patronymic the query lacks */
    size_t i = 0, j = 0, skipped = 0;
    while (i < q->n && j < listed->n) {
        int c = strcmp(ktok(q, i), ktok(listed, j));
        if (c == 0) {
            i++;
            j++;
        } else if (c > 0 && skipped == 0 &&
                   is_patronymic(ktok(listed, j), listed->len[j])) {
            skipped++;
            j++;
        } else {
            return false;
        }
    }
    if (i < q->n) {
        return false;
    }
    for (; j < listed->n; j++) {
        if (skipped++ || !is_patronymic(ktok(listed, j), listed->len[j])) {
            return false;
        }
    }
    return true;
}

/* ---- Token index -------------------------------------------------------------- */

typedef struct posting {
    const char *tok; /* in the index arena */
    uint32_t name;   /* index into idx->names */
} posting;

typedef struct index_tok {
    const char *tok;
    uint32_t first, count; /* into ids[] */
} index_tok;

/* A listed identifier: kind letter, ':', value ("e:x@y.com", "d:y.com", "p:+7...",
 * "w:0xab..."), and its entry. */
typedef struct ident {
    const char *key;
    uint32_t entry;
} ident;

struct idr__watch_index {
    idr__watch_name *names;
    size_t n_names;
    index_tok *toks;
    size_t n_toks;
    uint32_t *ids;
    ident *idents; /* sorted by key */
    size_t n_idents;
};

static int cmp_ident(const void *x, const void *y) {
    const ident *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->entry > b->entry) - (a->entry < b->entry);
}

/* The identifier key of a value: hex (0x...) wallets compare case-insensitively (the
 * EIP-55 case is only a checksum); every other chain's encoding exactly. */
static const char *
ident_key(idr__arena *ar, char *buf, size_t cap, char kind, const char *v) {
    int n = snprintf(buf, cap, "%c:%s", kind, v);
    if (n < 0 || (size_t)n >= cap) {
        return NULL;
    }
    if (kind == 'w' && (strncmp(v, "0x", 2) == 0 || strncmp(v, "0X", 2) == 0)) {
        for (char *p = buf + 2; *p; p++) {
            *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        }
    }
    return ar ? idr__arena_strdup(ar, buf) : buf;
}

static int
build_idents(idr__arena *ar, idr__watch_index *x, const idr__watch_entry *w, size_t n_w) {
    size_t total = 0;
    for (size_t i = 0; i < n_w; i++) {
        total += w[i].n_emails + w[i].n_domains + w[i].n_wallets + w[i].n_phones;
    }
    x->idents = idr__arena_alloc(ar, (total + 1) * sizeof *x->idents);
    if (!x->idents) {
        return IDR_ENOMEM;
    }
    char buf[600];
    for (size_t i = 0; i < n_w; i++) {
        const struct {
            char kind;
            const char **v;
            size_t n;
        } sets[4] = {{'e', w[i].emails, w[i].n_emails},
                     {'d', w[i].domains, w[i].n_domains},
                     {'w', w[i].wallets, w[i].n_wallets},
                     {'p', w[i].phones, w[i].n_phones}};
        for (int s = 0; s < 4; s++) {
            for (size_t k = 0; k < sets[s].n; k++) {
                const char *key =
                    ident_key(ar, buf, sizeof buf, sets[s].kind, sets[s].v[k]);
                if (key) {
                    x->idents[x->n_idents++] = (ident){key, (uint32_t)i};
                }
            }
        }
    }
    qsort(x->idents, x->n_idents, sizeof *x->idents, cmp_ident);
    return idr__arena_failed(ar) ? IDR_ENOMEM : IDR_OK;
}

size_t idr__watch_index_ident(
    const idr__watch_index *x, char kind, const char *value, uint32_t *out, size_t max) {
    char buf[600];
    const char *key = x && value ? ident_key(NULL, buf, sizeof buf, kind, value) : NULL;
    if (!key || x->n_idents == 0) {
        return 0;
    }
    /* lower bound of key */
    size_t lo = 0, hi = x->n_idents;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(x->idents[mid].key, key) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    size_t n = 0;
    for (size_t i = lo; i < x->n_idents && n < max && strcmp(x->idents[i].key, key) == 0;
         i++) {
        if (n == 0 || out[n - 1] != x->idents[i].entry) {
            out[n++] = x->idents[i].entry;
        }
    }
    return n;
}

static int cmp_posting(const void *x, const void *y) {
    const posting *a = x, *b = y;
    int c = strcmp(a->tok, b->tok);
    return c ? c : (a->name > b->name) - (a->name < b->name);
}

/* Add key tokens (and, for organisations, adjacent pairs joined) of one name. */
static int add_postings(idr__arena *ar,
                        const idr__org_key *k,
                        bool org,
                        uint32_t name,
                        posting **v,
                        size_t *n,
                        size_t *cap,
                        const idr__alloc *al) {
    size_t need = *n + 2 * k->n + 1;
    if (need > *cap || !*v) {
        size_t c = *cap ? *cap : 1024;
        while (c < need) {
            c *= 2;
        }
        posting *nv = idr__realloc(al, *v, c * sizeof *nv);
        if (!nv) {
            return IDR_ENOMEM;
        }
        *v = nv;
        *cap = c;
    }
    for (size_t i = 0; i < k->n; i++) {
        const char *t = idr__arena_strndup(ar, ktok(k, i), k->len[i]);
        if (!t) {
            return IDR_ENOMEM;
        }
        (*v)[(*n)++] = (posting){t, name};
        if (org && i + 1 < k->n) {
            const char *j = idr__arena_printf(ar, "%s%s", ktok(k, i), ktok(k, i + 1));
            if (!j) {
                return IDR_ENOMEM;
            }
            (*v)[(*n)++] = (posting){j, name};
        }
    }
    return IDR_OK;
}

int idr__watch_index_build(idr__arena *ar,
                           const idr__alloc *al,
                           const idr__names *nm,
                           const idr__watch_entry *w,
                           size_t n_w,
                           idr__watch_index **out) {
    *out = NULL;
    size_t total = 0;
    for (size_t i = 0; i < n_w; i++) {
        total += w[i].n_names;
    }
    idr__watch_index *x = idr__arena_calloc(ar, sizeof *x);
    if (!x || !(x->names = idr__arena_calloc(ar, (total + 1) * sizeof *x->names))) {
        return IDR_ENOMEM;
    }
    posting *v = NULL;
    size_t n = 0, cap = 0;
    int rc = IDR_OK;
    idr__name_toks t;
    idr__org_key k;
    for (size_t i = 0; i < n_w && rc == IDR_OK; i++) {
        bool person = strcmp(w[i].kind, "person") == 0;
        for (size_t j = 0; j < w[i].n_names && rc == IDR_OK; j++) {
            idr__name_tokenize(nm, w[i].names[j], &t);
            if (person) {
                idr__person_key_from_toks(&t, &k);
            } else {
                idr__org_key_from_toks(&t, &k);
            }
            if (k.n == 0) {
                continue;
            }
            idr__watch_name *wn = &x->names[x->n_names];
            wn->entry = (uint32_t)i;
            wn->k = (uint32_t)j;
            wn->person = person;
            wn->key = idr__org_key_pack(ar, &k);
            if (!wn->key) {
                rc = IDR_ENOMEM;
                break;
            }
            rc = add_postings(ar, &k, !person, (uint32_t)x->n_names, &v, &n, &cap, al);
            x->n_names++;
        }
    }
    if (rc == IDR_OK && n) {
        qsort(v, n, sizeof *v, cmp_posting);
        x->ids = idr__arena_alloc(ar, n * sizeof *x->ids);
        x->toks = idr__arena_alloc(ar, n * sizeof *x->toks);
        if (!x->ids || !x->toks) {
            rc = IDR_ENOMEM;
        }
        size_t m = 0;
        for (size_t i = 0; rc == IDR_OK && i < n; i++) {
            if (i > 0 && strcmp(v[i].tok, v[i - 1].tok) == 0) {
                if (v[i].name == v[i - 1].name) {
                    continue; /* a name holding the token twice */
                }
                x->toks[x->n_toks - 1].count++;
            } else {
                x->toks[x->n_toks++] = (index_tok){v[i].tok, (uint32_t)m, 1};
            }
            x->ids[m++] = v[i].name;
        }
    }
    idr__free(al, v);
    if (rc == IDR_OK) {
        rc = build_idents(ar, x, w, n_w);
    }
    if (rc == IDR_OK) {
        *out = x;
    }
    return rc;
}

static int cmp_tok_key(const void *key, const void *elem) {
    return strcmp((const char *)key, ((const index_tok *)elem)->tok);
}

static const index_tok *find_tok(const idr__watch_index *x, const char *tok) {
    return x->n_toks ? bsearch(tok, x->toks, x->n_toks, sizeof *x->toks, cmp_tok_key)
                     : NULL;
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static bool in_postings(const idr__watch_index *x, const index_tok *t, uint32_t id) {
    const uint32_t *v = x->ids + t->first;
    size_t lo = 0, hi = t->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < id) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < t->count && v[lo] == id;
}

/* The candidates of one key, appended to out[*n..max). */
static void key_candidates(const idr__watch_index *x,
                           const idr__org_key *k,
                           uint32_t *out,
                           size_t *n,
                           size_t max) {
    /* the lookup words: every key token and every two adjacent ones joined */
    const index_tok *found[2 * IDR__ORG_MAX_TOKENS];
    bool single[2 * IDR__ORG_MAX_TOKENS];
    size_t nf = 0;
    char joined[sizeof k->buf];
    for (size_t i = 0; i < k->n; i++) {
        const index_tok *t = find_tok(x, ktok(k, i));
        if (t) {
            single[nf] = true;
            found[nf++] = t;
        }
        if (i + 1 < k->n && (size_t)k->len[i] + k->len[i + 1] < sizeof joined) {
            memcpy(joined, ktok(k, i), k->len[i]);
            memcpy(joined + k->len[i], ktok(k, i + 1), k->len[i + 1] + 1u);
            t = find_tok(x, joined);
            if (t) {
                single[nf] = false;
                found[nf++] = t;
            }
        }
    }
    bool any_rare = false;
    const index_tok *smallest = NULL;
    for (size_t i = 0; i < nf; i++) {
        any_rare |= found[i]->count <= IDR__INDEX_COMMON;
        if (single[i] && (!smallest || found[i]->count < smallest->count)) {
            smallest = found[i];
        }
    }
    if (any_rare) {
        /* the names holding one of the name's rarer words */
        for (size_t i = 0; i < nf; i++) {
            for (uint32_t j = 0;
                 found[i]->count <= IDR__INDEX_COMMON && j < found[i]->count && *n < max;
                 j++) {
                out[(*n)++] = x->ids[found[i]->first + j];
            }
        }
        return;
    }
    /* every word common ("Korea Trading"): the names holding all of them */
    for (uint32_t j = 0; smallest && j < smallest->count && *n < max; j++) {
        uint32_t id = x->ids[smallest->first + j];
        bool all = true;
        for (size_t i = 0; i < nf && all; i++) {
            all = !single[i] || found[i] == smallest || in_postings(x, found[i], id);
        }
        if (all) {
            out[(*n)++] = id;
        }
    }
}

size_t idr__watch_index_candidates(const idr__watch_index *x,
                                   const idr__org_key *const *keys,
                                   size_t n_keys,
                                   uint32_t *out,
                                   size_t max) {
    if (!x) {
        return 0;
    }
    size_t n = 0;
    for (size_t q = 0; q < n_keys; q++) {
        key_candidates(x, keys[q], out, &n, max);
    }
    qsort(out, n, sizeof *out, cmp_u32);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m == 0 || out[m - 1] != out[i]) {
            out[m++] = out[i];
        }
    }
    return m;
}

const idr__watch_name *idr__watch_index_name(const idr__watch_index *x, uint32_t id) {
    return x && id < x->n_names ? &x->names[id] : NULL;
}

size_t idr__watch_index_size(const idr__watch_index *x, size_t *n_tokens) {
    if (n_tokens) {
        *n_tokens = x ? x->n_toks : 0;
    }
    return x ? x->n_names : 0;
}
