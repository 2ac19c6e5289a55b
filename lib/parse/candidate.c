/* SPDX-License-Identifier: Apache-2.0 */
/*
 * candidate.c - parse and validate an `idrisk.candidate/1` record: the entry point.
 *
 * idr__candidate_parse checks the size, refuses escaped NULs, takes the tree from the
 * simdjson shim (json_simd.h) or else lets cJSON build it (diagnosing malformed JSON and
 * cJSON's own nesting limit here), then runs the
 * key scan (keyscan.c) and the extraction (extract.c) into a fresh arena. This file
 * also holds the parser's error reporting: fail, pend, warn, want. The contract and
 * the map of the other files are in parse/parser.h.
 */
#include "parse/json_simd.h"
#include "parse/parser.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The shipped limits (also the config's defaults, see include/idrisk/idrisk.h):
 * 1 MiB is ~1000 times a typical record, depth 16 is well above the contract's
 * deepest path (work_history.employers[].references[] is depth 6), and 1000 array
 * entries exceed any real session log of one hiring process. */
/* 8 MiB holds a 24-month login history of 20,000 sessions with user agents
 * (docs/input-limits.md); every other array stays at 1,000 entries. */
const idr__limits idr__default_limits = {.max_input_bytes = 8u << 20,
                                         .max_depth = 16,
                                         .max_array = 1000,
                                         .max_sessions = 20000};

/* ====================================================================================
 * Errors and warnings
 * ================================================================================== */

/* Report an error at the current path. The message starts with the path so that it
 * stands on its own in a log line. */
int idr__parse_fail(parser *p, int code, const char *fmt, ...) {
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    p->rc = idr__err(p->err, code, p->path, "%s: %s", p->plen ? p->path : "(top level)",
                     what);
    return p->rc;
}

int idr__parse_nomem(parser *p) {
    p->rc = idr__err(p->err, IDR_ENOMEM, "", "out of memory while parsing the candidate");
    return p->rc;
}

/* Scan pass: remember the first ordinary error, keep looking for protected keys. */
void idr__parse_pend(parser *p, int code, const char *fmt, ...) {
    if (p->pend_rc != IDR_OK) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->pend_what, sizeof p->pend_what, fmt, ap);
    va_end(ap);
    p->pend_rc = code;
    memcpy(p->pend_path, p->path, p->plen + 1);
}

int idr__parse_warn(parser *p, const char *key) {
    idr_candidate *c = p->c;
    if (c->warnings.n == p->warn_cap) {
        size_t cap = p->warn_cap ? p->warn_cap * 2 : 8;
        const char **v = idr__arena_alloc(p->a, cap * sizeof *v);
        if (!v) {
            return idr__parse_nomem(p);
        }
        if (c->warnings.n) {
            memcpy(v, c->warnings.v, c->warnings.n * sizeof *v);
        }
        c->warnings.v = v;
        p->warn_cap = cap;
    }
    const char *w = idr__arena_printf(p->a, "unknown field \"%s%s%s\" ignored", p->path,
                                      p->plen ? "." : "", key);
    if (!w) {
        return idr__parse_nomem(p);
    }
    c->warnings.v[c->warnings.n++] = w;
    return IDR_OK;
}

static const char *type_name(const cJSON *v) {
    if (IS_STRING(v)) {
        return "a string";
    }
    if (IS_NUMBER(v)) {
        return "a number";
    }
    if (IS_BOOL(v)) {
        return "a boolean";
    }
    if (IS_OBJECT(v)) {
        return "an object";
    }
    if (IS_ARRAY(v)) {
        return "an array";
    }
    return "null";
}

int idr__parse_want(parser *p, const cJSON *v, const char *what) {
    return idr__parse_fail(p, IDR_EINVAL, "expected %s, got %s", what, type_name(v));
}

/* ====================================================================================
 * Malformed JSON: where, and whether it was really the nesting limit
 * ================================================================================== */

/*
 * cJSON refuses nesting beyond its own compile-time limit (CJSON_NESTING_LIMIT, 1000)
 * with a plain parse failure. So when parsing fails, this scan walks the raw text up to
 * the failure point tracking containers; if nesting went past max_depth it reports
 * IDR_ELIMIT with the path, as the tree scan does for shallower excess.
 */
typedef struct frame {
    bool obj;
    size_t index;
    const char *key;
    size_t key_len;
} frame;

static bool raw_depth_exceeded(parser *p, const char *s, size_t len) {
    frame st[65];
    int max = p->lim->max_depth < 64 ? p->lim->max_depth : 64;
    int depth = 0;
    bool expect_key = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == '"') {
            size_t start = ++i;
            while (i < len && s[i] != '"') {
                i += s[i] == '\\' ? 2 : 1;
            }
            if (depth > 0 && st[depth - 1].obj && expect_key) {
                st[depth - 1].key = s + start;
                st[depth - 1].key_len = (i < len ? i : len) - start;
                expect_key = false;
            }
            continue;
        }
        if (ch == '{' || ch == '[') {
            if (depth == max + 1) {
                break;
            }
            st[depth].obj = ch == '{';
            st[depth].index = 0;
            st[depth].key = NULL;
            st[depth].key_len = 0;
            depth++;
            expect_key = ch == '{';
            if (depth > max) {
                /* Build the path of the container that went too deep. */
                p->plen = 0;
                p->path[0] = '\0';
                for (int d = 0; d < depth - 1; d++) {
                    if (st[d].obj) {
                        char k[64];
                        size_t kl =
                            st[d].key_len < sizeof k - 1 ? st[d].key_len : sizeof k - 1;
                        memcpy(k, st[d].key ? st[d].key : "", kl);
                        k[kl] = '\0';
                        path_key(p, k);
                    } else {
                        path_index(p, st[d].index);
                    }
                }
                idr__parse_fail(
                    p, IDR_ELIMIT,
                    "nesting is deeper than the limit of %d levels (max_depth)",
                    p->lim->max_depth);
                return true;
            }
        } else if (ch == '}' || ch == ']') {
            if (depth > 0) {
                depth--;
            }
            expect_key = false;
        } else if (ch == ',' && depth > 0) {
            st[depth - 1].index++;
            expect_key = st[depth - 1].obj;
        }
    }
    return false;
}

/* cJSON answers NULL both for malformed text and for its own failed allocations, and
 * it cannot be given our allocator without process-global hooks. So when it fails,
 * this check decides which it was: true when `s` is one well-formed JSON value (RFC
 * 8259, as strict as cJSON: no lone UTF-16 surrogate in a \u escape) followed only by
 * whitespace or NUL padding, nested at most IDR__JSON_CHECK_DEPTH deep. Iterative and
 * allocation-free, so it works when memory is gone. Without it a valid record that
 * met an out-of-memory would be reported as "malformed JSON", and a batch would put it
 * in its errors file and move on: silent loss (issue 9). */
#define IDR__JSON_CHECK_DEPTH 64

static bool json_string_ok(const char *s, size_t len, size_t *i) {
    for ((*i)++; *i < len; (*i)++) {
        unsigned char c = (unsigned char)s[*i];
        if (c == '"') {
            (*i)++;
            return true;
        }
        /* raw control characters: accepted, as cJSON accepts them */
        if (c != '\\') {
            continue;
        }
        if (++*i >= len) {
            return false;
        }
        c = (unsigned char)s[*i];
        if (c != 'u') {
            if (!strchr("\"\\/bfnrt", c) || c == 0) {
                return false;
            }
            continue;
        }
        unsigned cp = 0;
        for (int k = 0; k < 4; k++) {
            if (++*i >= len || !isxdigit((unsigned char)s[*i])) {
                return false;
            }
            char h = s[*i];
            cp = cp * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
        }
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return false; /* a low surrogate first */
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) { /* must be followed by a low surrogate */
            if (*i + 6 >= len || s[*i + 1] != '\\' || s[*i + 2] != 'u') {
                return false;
            }
            unsigned lo = 0;
            for (int k = 3; k <= 6; k++) {
                char h = s[*i + (size_t)k];
                if (!isxdigit((unsigned char)h)) {
                    return false;
                }
                lo = lo * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
            }
            if (lo < 0xDC00 || lo > 0xDFFF) {
                return false;
            }
            *i += 6;
        }
    }
    return false;
}

static bool json_number_ok(const char *s, size_t len, size_t *i) {
    size_t j = *i;
    if (j < len && s[j] == '-') {
        j++;
    }
    if (j < len && s[j] == '0') {
        j++;
    } else if (j < len && s[j] >= '1' && s[j] <= '9') {
        while (j < len && isdigit((unsigned char)s[j])) {
            j++;
        }
    } else {
        return false;
    }
    if (j < len && s[j] == '.') {
        if (++j >= len || !isdigit((unsigned char)s[j])) {
            return false;
        }
        while (j < len && isdigit((unsigned char)s[j])) {
            j++;
        }
    }
    if (j < len && (s[j] == 'e' || s[j] == 'E')) {
        j++;
        if (j < len && (s[j] == '+' || s[j] == '-')) {
            j++;
        }
        if (j >= len || !isdigit((unsigned char)s[j])) {
            return false;
        }
        while (j < len && isdigit((unsigned char)s[j])) {
            j++;
        }
    }
    *i = j;
    return true;
}

static bool json_well_formed(const char *s, size_t len) {
    bool obj[IDR__JSON_CHECK_DEPTH];
    size_t depth = 0, i = 0;
    enum { VALUE, VALUE_OR_CLOSE, KEY, KEY_OR_CLOSE, AFTER } state = VALUE;
    for (;;) {
        while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
            i++;
        }
        if (state == AFTER) {
            if (depth == 0) {
                while (i < len && (s[i] == '\0' || s[i] == ' ' || s[i] == '\t' ||
                                   s[i] == '\n' || s[i] == '\r')) {
                    i++;
                }
                return i == len;
            }
            if (i >= len) {
                return false;
            }
            if (s[i] == ',') {
                i++;
                state = obj[depth - 1] ? KEY : VALUE;
            } else if (s[i] == (obj[depth - 1] ? '}' : ']')) {
                i++;
                depth--;
            } else {
                return false;
            }
            continue;
        }
        if (i >= len) {
            return false;
        }
        char c = s[i];
        if ((state == KEY_OR_CLOSE && c == '}') ||
            (state == VALUE_OR_CLOSE && c == ']')) {
            i++;
            depth--;
            state = AFTER;
            continue;
        }
        if (state == KEY || state == KEY_OR_CLOSE) {
            if (c != '"' || !json_string_ok(s, len, &i)) {
                return false;
            }
            while (i < len &&
                   (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) {
                i++;
            }
            if (i >= len || s[i] != ':') {
                return false;
            }
            i++;
            state = VALUE;
            continue;
        }
        if (c == '{' || c == '[') {
            if (depth == IDR__JSON_CHECK_DEPTH) {
                return false;
            }
            obj[depth++] = c == '{';
            i++;
            state = c == '{' ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
            continue;
        }
        bool ok;
        if (c == '"') {
            ok = json_string_ok(s, len, &i);
        } else if (c == '-' || isdigit((unsigned char)c)) {
            ok = json_number_ok(s, len, &i);
        } else {
            static const char *const lit[] = {"true", "false", "null"};
            ok = false;
            for (size_t k = 0; k < 3 && !ok; k++) {
                size_t n = strlen(lit[k]);
                if (len - i >= n && memcmp(s + i, lit[k], n) == 0) {
                    i += n;
                    ok = true;
                }
            }
        }
        if (!ok) {
            return false;
        }
        state = AFTER;
    }
}

static void malformed(parser *p, const char *json, size_t len, const char *at) {
    size_t off = at && at >= json && at <= json + len ? (size_t)(at - json) : len;
    size_t line = 1, col = 1;
    for (size_t i = 0; i < off; i++) {
        if (json[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    p->rc = idr__err(p->err, IDR_EINVAL, "",
                     "malformed JSON at byte %zu (line %zu, column %zu)", off, line, col);
}

/* A tree from the simdjson shim lives in its arena; cJSON's own is freed node by node. */
static void drop_tree(cJSON *root, idr__arena *tree) {
    if (tree) {
        idr__arena_free(tree);
    } else {
        cJSON_Delete(root);
    }
}

/* ====================================================================================
 * Entry points
 * ================================================================================== */

int idr__candidate_parse(idr_candidate **out,
                         const idr__limits *lim,
                         const char *json,
                         size_t len,
                         idr_error *err) {
    return idr__candidate_parse_al(out, NULL, NULL, lim, json, len, err);
}

int idr__candidate_parse_al(idr_candidate **out,
                            const idr__alloc *al,
                            const idr__id_key *key,
                            const idr__limits *lim,
                            const char *json,
                            size_t len,
                            idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, "", "idr__candidate_parse: out is NULL");
    }
    *out = NULL;
    if (!lim) {
        lim = &idr__default_limits;
    }
    if (!json) {
        return idr__err(err, IDR_EINVAL, "", "candidate JSON is NULL");
    }
    if (len > lim->max_input_bytes) {
        return idr__err(err, IDR_ELIMIT, "",
                        "candidate JSON is %zu bytes, more than the limit of %zu "
                        "(max_input_bytes)",
                        len, lim->max_input_bytes);
    }
    parser p;
    memset(&p, 0, sizeof p);
    p.lim = lim;
    p.al = al;
    idr__id_key zero_key;
    if (!key) {
        uint8_t z[IDR__ID_KEY_BYTES] = {0};
        idr__crypto_init();
        idr__id_key_init(&zero_key, z);
        key = &zero_key;
    }
    p.key = key;
    p.err = err;

    /* cJSON ends a string at an escaped NUL (\u0000) and keeps the rest of the record,
     * which would silently shorten a value: refuse such input instead. An escaped
     * backslash consumes its pair, so "\\u0000" (a literal backslash) is not matched. */
    for (size_t i = 0; i + 1 < len; i++) {
        if (json[i] != '\\') {
            continue;
        }
        if (json[i + 1] == 'u' && i + 5 < len && memcmp(json + i + 2, "0000", 4) == 0) {
            return idr__err(err, IDR_EINVAL, "",
                            "candidate JSON contains an escaped NUL character (\\u0000) "
                            "at byte %zu; strings may not contain NUL",
                            i);
        }
        i++;
    }

    /* simdjson first when the caller uses the C library's allocator (simdjson allocates
     * with operator new, beyond a custom allocator's reach and its failure tests); the
     * shim answers NULL for anything cJSON might read differently, and cJSON then
     * parses and words every error exactly as before (json_simd.h). */
    const char *end = NULL;
    cJSON *root = NULL;
    idr__arena *tree = NULL;
    if (!al && idr__json_simd_available() && idr__json_simd_text_ok(json, len)) {
        tree = idr__arena_new(NULL, 4 * len + 4096);
        root = idr__json_simd_parse(tree, json, len);
        if (root) {
            end = json + len; /* simdjson accepts trailing whitespace only */
        } else {
            idr__arena_free(tree);
            tree = NULL;
        }
    }
    if (!root) {
        root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    }
    if (!root) {
        size_t upto =
            end && end >= json && end < json + len ? (size_t)(end - json) + 1 : len;
        if (!raw_depth_exceeded(&p, json, upto)) {
            if (json_well_formed(json, len)) {
                return idr__err(err, IDR_ENOMEM, "",
                                "out of memory while reading the candidate JSON");
            }
            malformed(&p, json, len, end);
        }
        return p.rc;
    }
    /* Only whitespace (and NUL padding) may follow the value. */
    for (const char *q = end; q && q < json + len; q++) {
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\0') {
            drop_tree(root, tree);
            malformed(&p, json, len, q);
            return p.rc;
        }
    }
    if (!IS_OBJECT(root)) {
        const char *what = type_name(root); /* static text: fine after the delete */
        drop_tree(root, tree);
        return idr__err(err, IDR_EINVAL, "",
                        "the candidate record must be a JSON object, not %s", what);
    }

    if (idr__parse_scan(&p, root) != IDR_OK) {
        drop_tree(root, tree);
        return p.rc;
    }
    if (p.pend_rc != IDR_OK) {
        drop_tree(root, tree);
        return idr__err(err, p.pend_rc, p.pend_path, "%s: %s",
                        p.pend_path[0] ? p.pend_path : "(top level)", p.pend_what);
    }

    /* A record of ~1 KB needs ~2 KB of arena; one first block covers it. */
    idr__arena *a = idr__arena_new(al, len < 1024 ? 4096 : 2 * len + 2048);
    idr_candidate *c = a ? idr__arena_alloc(a, sizeof *c) : NULL;
    if (!c) {
        idr__arena_free(a);
        drop_tree(root, tree);
        return idr__err(err, IDR_ENOMEM, "", "out of memory while parsing the candidate");
    }
    *c = *idr__parse_blank();
    c->arena = a;
    memcpy(c->key_fp, key->fp, sizeof c->key_fp);
    p.c = c;
    p.a = a;
    int rc = idr__parse_obj(&p, &idr__parse_root, root, (char *)c);
    drop_tree(root, tree);
    if (rc != IDR_OK) {
        idr__arena_free(a);
        return rc;
    }
    *out = c;
    return IDR_OK;
}

void idr_candidate_free(idr_candidate *cand) {
    if (cand) {
        idr__arena_free(cand->arena);
    }
}

const char *idr_candidate_id(const idr_candidate *cand) {
    return cand ? cand->candidate_id : NULL;
}

void idr_candidate_set_default_as_of(idr_candidate *cand, int64_t as_of) {
    if (cand && cand->as_of == IDR__TIME_NONE && as_of != IDR__TIME_NONE) {
        cand->as_of = as_of;
    }
}
