/* SPDX-License-Identifier: Apache-2.0 */
/*
 * keyscan.c - pass 1 of the candidate parser: every node, known or not, before any
 * value is extracted.
 *
 * Protected attribute names as keys at any depth (folded, so no spelling slips past),
 * duplicate keys, invalid UTF-8 in keys and strings, nesting deeper than max_depth,
 * arrays and objects longer than max_array. A protected attribute fails at once; any
 * other error is only remembered (idr__parse_pend) so that a protected key later in
 * the document still wins. See parse/parser.h for the whole contract.
 */
#include "parse/parser.h"

#include <stdlib.h>
#include <string.h>

/*
 * The protected attributes of the contract: nationality, citizenship, national_origin,
 * ethnicity, race, religion, sex, gender, birthplace, place_of_birth, native_language,
 * language, accent, age, disability, marital_status. A key matches when, with ASCII
 * letters folded to lower case and '_', '-', '.' and spaces dropped, it equals one of
 * them, so "placeOfBirth", "Place-Of-Birth" and "place_of_birth" are all refused: a
 * caller cannot slip one past by spelling it differently. Listed folded, by length,
 * so a key is compared with at most two names.
 */
static const char *const protected_by_len[15][2] = {
    [3] = {"sex", "age"},
    [4] = {"race", NULL},
    [6] = {"gender", "accent"},
    [8] = {"religion", "language"},
    [9] = {"ethnicity", NULL},
    [10] = {"birthplace", "disability"},
    [11] = {"nationality", "citizenship"},
    [12] = {"placeofbirth", NULL},
    [13] = {"maritalstatus", NULL},
    [14] = {"nationalorigin", "nativelanguage"},
};

/* One pass over a key (keys are many and short): a hash for the duplicate check
 * (shift-xor: cheap, and only a prefilter before an exact comparison), whether it
 * is a protected attribute name, and whether it is plain ASCII (anything else still
 * has to pass the UTF-8 check). */
static uint64_t key_check(const char *key, bool *protected_name, bool *ascii) {
    uint64_t h = 0;
    unsigned char high = 0;
    char k[16] = {0};
    size_t n = 0;
    for (const unsigned char *s = (const unsigned char *)key; *s; s++) {
        unsigned char ch = *s;
        h = ((h << 7) | (h >> 57)) ^ ch;
        high |= ch;
        if (ch == '_' || ch == '-' || ch == ' ' || ch == '.') {
            continue;
        }
        if (n < sizeof k) {
            k[n] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
        }
        n++;
    }
    *ascii = high < 0x80;
    *protected_name = false;
    if (n < COUNT(protected_by_len)) {
        for (int i = 0; i < 2 && protected_by_len[n][i]; i++) {
            if (memcmp(protected_by_len[n][i], k, n) == 0) {
                *protected_name = true;
            }
        }
    }
    return h ^ (h >> 29) ^ (h >> 41);
}

/* Strict UTF-8 (RFC 3629), with the same rules as the JSON writer's. */
static bool utf8_valid(const char *str) {
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        if (*s < 0x80) {
            s++;
            continue;
        }
        size_t k = idr__utf8_seq(s, 4);
        if (k == 0) {
            return false;
        }
        s += k;
    }
    return true;
}

/* Duplicate keys of a large object (more than 32 members): an open-addressing set,
 * linear in the member count. */
static int find_duplicate(parser *p, const cJSON *obj, size_t n, const char **dup) {
    *dup = NULL;
    size_t cap = 16;
    while (cap < 2 * n) {
        cap *= 2;
    }
    const char **set = idr__calloc(p->al, cap, sizeof *set);
    if (!set) {
        return idr__parse_nomem(p);
    }
    for (const cJSON *x = obj->child; x && !*dup; x = x->next) {
        size_t i = (size_t)idr__hash_str(x->string) & (cap - 1);
        while (set[i]) {
            if (strcmp(set[i], x->string) == 0) {
                *dup = x->string;
                break;
            }
            i = (i + 1) & (cap - 1);
        }
        set[i] = x->string;
    }
    idr__free(p->al, set);
    return IDR_OK;
}

/* The scan pass builds no path while it walks: each level knows its parent's segment
 * and the text is assembled only when something is reported. */
typedef struct seg {
    const struct seg *up;
    const char *key; /* NULL: array element `index` */
    size_t index;
} seg;

static void path_from(parser *p, const seg *s) {
    if (!s) {
        p->plen = 0;
        p->path[0] = '\0';
        return;
    }
    path_from(p, s->up);
    if (s->key) {
        path_key(p, s->key);
    } else {
        path_index(p, s->index);
    }
}

static int scan(parser *p, const cJSON *node, int depth, const seg *at) {
    if (IS_STRING(node)) {
        if (p->pend_rc == IDR_OK && !utf8_valid(node->valuestring)) {
            path_from(p, at);
            idr__parse_pend(p, IDR_EINVAL, "string is not valid UTF-8");
        }
        return IDR_OK;
    }
    bool obj = IS_OBJECT(node);
    if (!obj && !IS_ARRAY(node)) {
        return IDR_OK;
    }
    if (depth > p->lim->max_depth && p->pend_rc == IDR_OK) {
        path_from(p, at);
        idr__parse_pend(p, IDR_ELIMIT,
                        "nesting is deeper than the limit of %d levels (max_depth)",
                        p->lim->max_depth);
    }
    /* Duplicate keys: a 64-bit Bloom mask of the key hashes finds candidates in one
     * pass; only a hit is compared exactly, against the earlier keys with the same
     * hash. Objects too large for the local table go through find_duplicate(). */
    uint64_t hashes[32], bloom = 0;
    const char *dup = NULL;
    size_t i = 0;
    for (const cJSON *ch = node->child; ch; ch = ch->next, i++) {
        seg here = {at, obj ? ch->string : NULL, i};
        if (obj) {
            const char *key = ch->string;
            bool prot, ascii;
            uint64_t h = key_check(key, &prot, &ascii);
            if (prot) {
                path_from(p, &here);
                return idr__parse_fail(
                    p, IDR_EINVAL,
                    "\"%s\" is a protected attribute; idrisk refuses protected "
                    "attributes and never scores who a person is",
                    key);
            }
            if (!ascii && p->pend_rc == IDR_OK && !utf8_valid(key)) {
                path_from(p, &here);
                idr__parse_pend(p, IDR_EINVAL, "key is not valid UTF-8");
            }
            if (i < 32 && !dup) {
                uint64_t bit = (uint64_t)1 << (h & 63);
                if (bloom & bit) {
                    size_t j = 0;
                    for (const cJSON *q = node->child; j < i; q = q->next, j++) {
                        if (hashes[j] == h && strcmp(q->string, key) == 0) {
                            dup = key;
                            break;
                        }
                    }
                }
                bloom |= bit;
                hashes[i] = h;
            }
        }
        int rc = scan(p, ch, depth + 1, &here);
        if (rc != IDR_OK) {
            return rc;
        }
    }
    size_t n = i;
    /* network.sessions has its own limit: a 24-month login history is tens of
     * thousands of sessions, and every rule over sessions is near-linear in them
     * (docs/input-limits.md). Every other array keeps max_array. */
    bool sessions = !obj && at && at->key && strcmp(at->key, "sessions") == 0 && at->up &&
                    at->up->key && strcmp(at->up->key, "network") == 0 && !at->up->up;
    size_t max = sessions ? p->lim->max_sessions : p->lim->max_array;
    if (n > max && p->pend_rc == IDR_OK) {
        path_from(p, at);
        idr__parse_pend(p, IDR_ELIMIT, "%s has %zu %s, more than the limit of %zu (%s)",
                        obj ? "object" : "array", n, obj ? "members" : "elements", max,
                        sessions ? "max_sessions" : "max_array");
    }
    if (obj && n > 32 && !dup && p->pend_rc == IDR_OK &&
        find_duplicate(p, node, n, &dup) != IDR_OK) {
        return p->rc;
    }
    if (dup && p->pend_rc == IDR_OK) {
        seg here = {at, dup, 0};
        path_from(p, &here);
        idr__parse_pend(p, IDR_EINVAL, "duplicate key \"%s\" in one object", dup);
    }
    return IDR_OK;
}

int idr__parse_scan(parser *p, const cJSON *root) {
    return scan(p, root, 1, NULL);
}
