/*
 * candidate.c - parse and validate an `idrisk.candidate/1` record.
 *
 * Contract (docs/input-limits.md, /work/shared/spec/candidate-v1.md):
 *  - The input is one JSON object. cJSON builds a tree; two passes run over it and the
 *    tree is freed before returning, so nothing in the candidate points into it.
 *  - Pass 1 (scan) looks at every node, known or not: protected attribute names as
 *    keys at any depth, duplicate keys, invalid UTF-8 in keys and strings, nesting
 *    deeper than max_depth, arrays (and objects) longer than max_array. A protected
 *    attribute wins over every other error, so the scan keeps looking for one after
 *    it has met anything else and reports the other error only when there is none.
 *  - Pass 2 (extract) walks the known fields through static field tables: each entry
 *    names the key, its kind (date, country, enum ...) and where the value goes in the
 *    typed struct. The same tables give every struct its "absent" defaults. Unknown
 *    keys become warnings in document order; a JSON null is the same as an absent
 *    field; every malformed value is IDR_EINVAL with its JSON path in err->field.
 *  - Everything the candidate keeps lives in its one arena. The only mallocs are the
 *    arena's blocks and cJSON's own nodes.
 *  - Sensitive identifiers (documents[].number, payment.account_id) are reduced to
 *    SHA-256 hex before they reach the struct; error messages never echo them, nor
 *    the SSN.
 */
#include "parse/parse.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>

/* The shipped limits (also the config's defaults, see include/idrisk/idrisk.h):
 * 1 MiB is ~1000 times a typical record, depth 16 is well above the contract's
 * deepest path (work_history.employers[].references[] is depth 6), and 1000 array
 * entries exceed any real session log of one hiring process. */
const idr__limits idr__default_limits = {1u << 20, 16, 1000};

#define SCHEMA_ID "idrisk.candidate/1"
#define COUNT(a)  (sizeof(a) / sizeof((a)[0]))

/* cJSON's type tests are exported functions; these inline equivalents (same
 * definition: the low byte of `type`) keep a call per node off the hot path. */
#define JTYPE(v)     ((v)->type & 0xff)
#define IS_STRING(v) (JTYPE(v) == cJSON_String)
#define IS_NUMBER(v) (JTYPE(v) == cJSON_Number)
#define IS_BOOL(v)   (JTYPE(v) == cJSON_True || JTYPE(v) == cJSON_False)
#define IS_TRUE(v)   (JTYPE(v) == cJSON_True)
#define IS_OBJECT(v) (JTYPE(v) == cJSON_Object)
#define IS_ARRAY(v)  (JTYPE(v) == cJSON_Array)
#define IS_NULL(v)   (JTYPE(v) == cJSON_NULL)

/* ====================================================================================
 * Parser state, paths and errors
 * ================================================================================== */

typedef struct parser {
    idr_candidate *c;
    idr__arena *a;
    const idr__limits *lim;
    idr_error *err;
    int rc;         /* first error of the pass, IDR_OK until one happens */
    char path[256]; /* JSON path of the node being looked at */
    size_t plen;
    size_t warn_cap; /* capacity of c->warnings.v */
    /* scan pass: the first non-protected error, reported when no protected key is */
    int pend_rc;
    char pend_path[256];
    char pend_what[200];
} parser;

/* Append to the path, truncating (never overflowing) when a key is huge. Returns the
 * previous length for path_pop(). Hand-rolled rather than snprintf: every node of
 * every record passes through here. */
static size_t path_key(parser *p, const char *key) {
    size_t old = p->plen, room = sizeof p->path - 1 - p->plen;
    char *w = p->path + p->plen;
    if (p->plen && room) {
        *w++ = '.';
        room--;
    }
    size_t n = strlen(key);
    if (n > room) {
        n = room;
    }
    memcpy(w, key, n);
    w[n] = '\0';
    p->plen = (size_t)(w + n - p->path);
    return old;
}

static size_t path_index(parser *p, size_t i) {
    size_t old = p->plen;
    char tmp[24];
    size_t t = sizeof tmp;
    tmp[--t] = ']';
    do {
        tmp[--t] = (char)('0' + i % 10);
        i /= 10;
    } while (i);
    tmp[--t] = '[';
    size_t n = sizeof tmp - t, room = sizeof p->path - 1 - p->plen;
    if (n > room) {
        n = room;
    }
    memcpy(p->path + p->plen, tmp + t, n);
    p->plen += n;
    p->path[p->plen] = '\0';
    return old;
}

static void path_pop(parser *p, size_t old) {
    p->plen = old;
    p->path[old] = '\0';
}

/* Report an error at the current path. The message starts with the path so that it
 * stands on its own in a log line. */
static int fail(parser *p, int code, const char *fmt, ...) IDR__PRINTF(3, 4);
static int fail(parser *p, int code, const char *fmt, ...) {
    char what[200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    p->rc = idr__err(p->err, code, p->path, "%s: %s", p->plen ? p->path : "(top level)",
                     what);
    return p->rc;
}

static int nomem(parser *p) {
    p->rc = idr__err(p->err, IDR_ENOMEM, "", "out of memory while parsing the candidate");
    return p->rc;
}

/* Scan pass: remember the first ordinary error, keep looking for protected keys. */
static void pend(parser *p, int code, const char *fmt, ...) IDR__PRINTF(3, 4);
static void pend(parser *p, int code, const char *fmt, ...) {
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

static int warn(parser *p, const char *key) {
    idr_candidate *c = p->c;
    if (c->warnings.n == p->warn_cap) {
        size_t cap = p->warn_cap ? p->warn_cap * 2 : 8;
        const char **v = idr__arena_alloc(p->a, cap * sizeof *v);
        if (!v) {
            return nomem(p);
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
        return nomem(p);
    }
    c->warnings.v[c->warnings.n++] = w;
    return IDR_OK;
}

/* ====================================================================================
 * Pass 1: scan every node
 * ================================================================================== */

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
    char k[16];
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

static uint64_t key_hash(const char *s) {
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    }
    return h;
}

/* Duplicate keys of a large object (more than 32 members): an open-addressing set,
 * linear in the member count. */
static int find_duplicate(parser *p, const cJSON *obj, size_t n, const char **dup) {
    *dup = NULL;
    size_t cap = 16;
    while (cap < 2 * n) {
        cap *= 2;
    }
    const char **set = calloc(cap, sizeof *set);
    if (!set) {
        return nomem(p);
    }
    for (const cJSON *x = obj->child; x && !*dup; x = x->next) {
        size_t i = (size_t)key_hash(x->string) & (cap - 1);
        while (set[i]) {
            if (strcmp(set[i], x->string) == 0) {
                *dup = x->string;
                break;
            }
            i = (i + 1) & (cap - 1);
        }
        set[i] = x->string;
    }
    free(set);
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
            pend(p, IDR_EINVAL, "string is not valid UTF-8");
        }
        return IDR_OK;
    }
    bool obj = IS_OBJECT(node);
    if (!obj && !IS_ARRAY(node)) {
        return IDR_OK;
    }
    if (depth > p->lim->max_depth && p->pend_rc == IDR_OK) {
        path_from(p, at);
        pend(p, IDR_ELIMIT, "nesting is deeper than the limit of %d levels (max_depth)",
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
                return fail(p, IDR_EINVAL,
                            "\"%s\" is a protected attribute; idrisk refuses protected "
                            "attributes and never scores who a person is",
                            key);
            }
            if (!ascii && p->pend_rc == IDR_OK && !utf8_valid(key)) {
                path_from(p, &here);
                pend(p, IDR_EINVAL, "key is not valid UTF-8");
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
    if (n > p->lim->max_array && p->pend_rc == IDR_OK) {
        path_from(p, at);
        pend(p, IDR_ELIMIT, "%s has %zu %s, more than the limit of %zu (max_array)",
             obj ? "object" : "array", n, obj ? "members" : "elements",
             p->lim->max_array);
    }
    if (obj && n > 32 && !dup && p->pend_rc == IDR_OK &&
        find_duplicate(p, node, n, &dup) != IDR_OK) {
        return p->rc;
    }
    if (dup && p->pend_rc == IDR_OK) {
        seg here = {at, dup, 0};
        path_from(p, &here);
        pend(p, IDR_EINVAL, "duplicate key \"%s\" in one object", dup);
    }
    return IDR_OK;
}

/* ====================================================================================
 * Pass 2: field tables and extraction
 * ================================================================================== */

typedef enum {
    K_STR,        /* const char * */
    K_STR_LOWER,  /* const char *, ASCII lower-cased */
    K_STR_UPPER,  /* const char *, ASCII upper-cased */
    K_DATE,       /* int32_t days, IDR__DATE_NONE */
    K_INSTANT,    /* int64_t seconds, IDR__TIME_NONE */
    K_COUNTRY,    /* char[3], "" */
    K_TRI,        /* idr__tri, IDR__UNK */
    K_NUM,        /* double in [lo, hi], NAN */
    K_INT,        /* int, integral in [lo, hi], def when absent */
    K_LLONG,      /* long long, integral in [lo, hi], def when absent */
    K_ENUM,       /* enum (int) at off, its static name at off2 (or NO_OFF); aux names */
    K_STRV,       /* idr__strv */
    K_STRV_LOWER, /* idr__strv, ASCII lower-cased */
    K_OBJ,        /* nested object; aux ospec; its offsets are relative to base + off */
    K_ARR,        /* array of objects; aux ospec; pointer at off, count at off2 */
    K_SPECIAL     /* aux special_fn */
} kind;

#define NO_OFF ((size_t)-1)

typedef struct ospec ospec;
typedef struct fspec fspec;
typedef int (*special_fn)(parser *p, const cJSON *v, char *base, const fspec *f);

struct fspec {
    const char *name;
    kind k;
    size_t off, off2;
    const void *aux;
    double lo, hi, def;
    unsigned has; /* IDR__HAS_* bit set on the candidate when present */
};

struct ospec {
    const fspec *f;
    size_t n;
    size_t size;           /* element size, for arrays */
    size_t present_off;    /* bool set when the object is present, or NO_OFF */
    const char *str_field; /* a plain string element means {str_field: string}; that
                              field must be the table's first entry */
    int (*check)(parser *p, char *base); /* required fields; path is the object's */
};

/* Field-table shorthands. T is the struct the offsets are relative to. */
#define F(T, key, kd, m)                                                                 \
    { key, kd, offsetof(T, m), NO_OFF, NULL, 0, 0, 0, 0 }
#define FNUM(T, key, m, lo, hi)                                                          \
    { key, K_NUM, offsetof(T, m), NO_OFF, NULL, lo, hi, 0, 0 }
#define FINT(T, key, kd, m, lo, hi, def)                                                 \
    { key, kd, offsetof(T, m), NO_OFF, NULL, lo, hi, def, 0 }
#define FENUM(T, key, m, names)                                                          \
    { key, K_ENUM, offsetof(T, m), NO_OFF, names, 0, 0, 0, 0 }
#define FENUMN(T, key, m, nm, names)                                                     \
    { key, K_ENUM, offsetof(T, m), offsetof(T, nm), names, 0, 0, 0, 0 }
#define FOBJ(T, key, m, spec)                                                            \
    { key, K_OBJ, offsetof(T, m), NO_OFF, &spec, 0, 0, 0, 0 }
#define FOBJ0(key, spec)                                                                 \
    { key, K_OBJ, 0, NO_OFF, &spec, 0, 0, 0, 0 }
#define FARR(T, key, m, nm, spec)                                                        \
    { key, K_ARR, offsetof(T, m), offsetof(T, nm), &spec, 0, 0, 0, 0 }
#define FSPEC(T, key, m, m2, fn)                                                         \
    { key, K_SPECIAL, offsetof(T, m), m2, (const void *)fn, 0, 0, 0, 0 }
#define OSPEC(fields, T, present, strf, chk)                                             \
    { fields, COUNT(fields), sizeof(T), present, strf, chk }

/* Closed enums: the contract's spellings, in the order of the idr__* enum members
 * after *_NONE (value = index + 1). NULL-terminated. */
static const char *const eng_types[] = {"employee", "contractor", "eor_contractor",
                                        "agency", NULL};
static const char *const doc_types[] = {
    "passport",         "drivers_license", "state_id", "national_id",
    "residence_permit", "ssn_card",        "visa",     "work_permit",
    "diploma",          "other",           NULL};
static const char *const line_types[] = {"mobile",         "landline",  "fixed_voip",
                                         "non_fixed_voip", "toll_free", "prepaid",
                                         "unknown",        NULL};
static const char *const events[] = {
    "application", "interview", "assessment", "onboarding", "login", "other", NULL};
static const char *const pay_methods[] = {"bank_account", "paypal", "payoneer", "wise",
                                          "crypto",       "check",  "other",    NULL};
static const char *const payee_types[] = {"individual", "company", NULL};
static const char *const modes[] = {"video", "phone", "in_person", "chat", NULL};
static const char *const liveness[] = {"passed", "failed", "refused", "not_done", NULL};
static const char *const locq[] = {"passed", "failed", "not_asked", NULL};
static const char *const consistency[] = {"consistent", "inconsistent", "not_assessed",
                                          NULL};
static const char *const profile_kinds[] = {"github", "linkedin", "portfolio", "other",
                                            NULL};

_Static_assert(
    sizeof(idr__eng_type) == sizeof(int) && sizeof(idr__doc_type) == sizeof(int) &&
        sizeof(idr__line_type) == sizeof(int) && sizeof(idr__event) == sizeof(int) &&
        sizeof(idr__pay_method) == sizeof(int) &&
        sizeof(idr__payee_type) == sizeof(int) && sizeof(idr__mode) == sizeof(int) &&
        sizeof(idr__liveness) == sizeof(int) && sizeof(idr__locq) == sizeof(int) &&
        sizeof(idr__resume_consistency) == sizeof(int) &&
        sizeof(idr__profile_kind) == sizeof(int),
    "enum fields are stored as int");

static int sp_schema(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_candidate_id(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_ssn(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_timezone(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_phash(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_hashed(parser *p, const cJSON *v, char *base, const fspec *f);
static int sp_ip(parser *p, const cJSON *v, char *base, const fspec *f);
static int check_session(parser *p, char *base);
static int check_root(parser *p, char *base);

/* Address */
static const fspec address_f[] = {
    F(idr__address, "line1", K_STR, line1),
    F(idr__address, "line2", K_STR, line2),
    F(idr__address, "city", K_STR, city),
    F(idr__address, "region", K_STR, region),
    F(idr__address, "postal_code", K_STR, postal_code),
    F(idr__address, "country", K_COUNTRY, country),
    FNUM(idr__address, "lat", lat, -90, 90),
    FNUM(idr__address, "lon", lon, -180, 180),
    F(idr__address, "cmra", K_TRI, cmra),
    F(idr__address, "residential", K_TRI, residential),
};
static const ospec address_s =
    OSPEC(address_f, idr__address, offsetof(idr__address, present), NULL, NULL);

/* engagement */
static const fspec engagement_f[] = {
    FENUM(idr__engagement, "type", type, eng_types),
    F(idr__engagement, "declared_work_country", K_COUNTRY, declared_work_country),
    F(idr__engagement, "staffing_firm", K_STR, staffing_firm),
    F(idr__engagement, "role_title", K_STR, role_title),
    F(idr__engagement, "start_date", K_DATE, start_date),
    F(idr__engagement, "offer_accepted_at", K_INSTANT, offer_accepted_at),
};
static const ospec engagement_s =
    OSPEC(engagement_f, idr__engagement, NO_OFF, NULL, NULL);

/* identity */
static const fspec identity_f[] = {
    F(idr__identity, "full_name", K_STR, full_name),
    F(idr__identity, "aliases", K_STRV, aliases),
    F(idr__identity, "date_of_birth", K_DATE, date_of_birth),
    FSPEC(idr__identity, "ssn", ssn, NO_OFF, sp_ssn),
    FOBJ(idr__identity, "residence", residence, address_s),
    FSPEC(idr__identity, "timezone", timezone, NO_OFF, sp_timezone),
    FSPEC(idr__identity,
          "photo_phash",
          photo_phash,
          offsetof(idr__identity, has_phash),
          sp_phash),
};
static const ospec identity_s = OSPEC(identity_f, idr__identity, NO_OFF, NULL, NULL);

/* documents[] */
static const fspec verification_f[] = {
    F(idr__verification, "provider", K_STR, provider),
    F(idr__verification, "checked_at", K_INSTANT, checked_at),
    F(idr__verification, "authentic", K_TRI, authentic),
    F(idr__verification, "tamper_detected", K_TRI, tamper_detected),
    F(idr__verification, "photo_replaced", K_TRI, photo_replaced),
    F(idr__verification, "liveness_passed", K_TRI, liveness_passed),
    FNUM(idr__verification, "face_match_score", face_match_score, 0, 1),
    FNUM(idr__verification, "synthetic_face_score", synthetic_face_score, 0, 1),
    F(idr__verification, "issuer_record_match", K_TRI, issuer_record_match),
};
static const ospec verification_s = OSPEC(
    verification_f, idr__verification, offsetof(idr__verification, present), NULL, NULL);

static const fspec document_f[] = {
    FENUMN(idr__document, "type", type, type_name, doc_types),
    F(idr__document, "issuing_country", K_COUNTRY, issuing_country),
    F(idr__document, "issuing_region", K_STR, issuing_region),
    FSPEC(idr__document, "number", number_sha256, NO_OFF, sp_hashed),
    F(idr__document, "full_name", K_STR, full_name),
    F(idr__document, "date_of_birth", K_DATE, date_of_birth),
    F(idr__document, "issued", K_DATE, issued),
    F(idr__document, "expires", K_DATE, expires),
    FOBJ(idr__document, "verification", verification, verification_s),
};
static const ospec document_s = OSPEC(document_f, idr__document, NO_OFF, NULL, NULL);

/* contacts */
static const fspec email_f[] = {
    F(idr__email, "address", K_STR, address),
    F(idr__email, "first_seen", K_DATE, first_seen),
    F(idr__email, "verified", K_TRI, verified),
};
static const ospec email_s = OSPEC(email_f, idr__email, NO_OFF, "address", NULL);

static const fspec phone_f[] = {
    F(idr__phone, "number", K_STR, number),
    F(idr__phone, "country_hint", K_COUNTRY, country_hint),
    FENUMN(idr__phone, "line_type", line_type, line_type_name, line_types),
    F(idr__phone, "carrier", K_STR, carrier),
    F(idr__phone, "ported_at", K_DATE, ported_at),
    F(idr__phone, "first_seen", K_DATE, first_seen),
};
static const ospec phone_s = OSPEC(phone_f, idr__phone, NO_OFF, "number", NULL);

static const fspec contacts_f[] = {
    FARR(idr__contacts, "emails", emails, n_emails, email_s),
    FARR(idr__contacts, "phones", phones, n_phones, phone_s),
    F(idr__contacts, "messaging", K_STRV_LOWER, messaging),
};
static const ospec contacts_s = OSPEC(contacts_f, idr__contacts, NO_OFF, NULL, NULL);

/* network (its sessions live directly in the candidate) */
static const fspec session_f[] = {
    FSPEC(idr__session, "ip", ip_text, offsetof(idr__session, ip), sp_ip),
    F(idr__session, "at", K_INSTANT, at),
    FENUM(idr__session, "event", event, events),
    F(idr__session, "user_agent", K_STR, user_agent),
    F(idr__session, "device_id", K_STR, device_id),
    F(idr__session, "vpn_client", K_STR_LOWER, vpn_client),
    F(idr__session, "remote_access_tools", K_STRV_LOWER, remote_access_tools),
};
static const ospec session_s =
    OSPEC(session_f, idr__session, NO_OFF, NULL, check_session);

static const fspec network_f[] = {
    FARR(idr_candidate, "sessions", sessions, n_sessions, session_s),
};
static const ospec network_s = OSPEC(network_f, idr_candidate, NO_OFF, NULL, NULL);

/* payment */
static const fspec payee_company_f[] = {
    F(idr__payment, "name", K_STR, payee_company_name),
    F(idr__payment, "jurisdiction", K_STR, payee_company_jurisdiction),
    F(idr__payment, "formed_on", K_DATE, payee_company_formed_on),
};
static const ospec payee_company_s =
    OSPEC(payee_company_f, idr__payment, NO_OFF, NULL, NULL);

static const fspec wallet_f[] = {
    F(idr__wallet, "chain", K_STR, chain),
    F(idr__wallet, "address", K_STR, address),
};
static const ospec wallet_s = OSPEC(wallet_f, idr__wallet, NO_OFF, NULL, NULL);

static const fspec change_f[] = {
    F(idr__pay_change, "at", K_INSTANT, at),
    F(idr__pay_change, "field", K_STR, field),
};
static const ospec change_s = OSPEC(change_f, idr__pay_change, NO_OFF, NULL, NULL);

static const fspec payment_f[] = {
    FENUMN(idr__payment, "method", method, method_name, pay_methods),
    F(idr__payment, "account_holder_name", K_STR, account_holder_name),
    F(idr__payment, "account_country", K_COUNTRY, account_country),
    F(idr__payment, "bank_name", K_STR, bank_name),
    FSPEC(idr__payment, "account_id", account_id_sha256, NO_OFF, sp_hashed),
    FENUM(idr__payment, "payee_type", payee_type, payee_types),
    FOBJ0("payee_company", payee_company_s),
    FARR(idr__payment, "crypto_wallets", wallets, n_wallets, wallet_s),
    F(idr__payment, "currency", K_STR_UPPER, currency),
    FARR(idr__payment, "changes", changes, n_changes, change_s),
};
static const ospec payment_s = OSPEC(payment_f, idr__payment, NO_OFF, NULL, NULL);

/* equipment */
static const fspec shipment_f[] = {
    FOBJ(idr__shipment, "address", address, address_s),
    F(idr__shipment, "requested_at", K_INSTANT, requested_at),
    F(idr__shipment, "ship_date", K_DATE, ship_date),
    F(idr__shipment, "recipient_name", K_STR, recipient_name),
    F(idr__shipment, "reason", K_STR, reason),
};
static const ospec shipment_s = OSPEC(shipment_f, idr__shipment, NO_OFF, NULL, NULL);

static const fspec equipment_f[] = {
    FARR(idr__equipment, "shipments", shipments, n_shipments, shipment_s),
    F(idr__equipment, "byod_requested", K_TRI, byod_requested),
};
static const ospec equipment_s = OSPEC(equipment_f, idr__equipment, NO_OFF, NULL, NULL);

/* interviews[] */
static const fspec interview_f[] = {
    F(idr__interview, "at", K_INSTANT, at),
    FENUM(idr__interview, "mode", mode, modes),
    F(idr__interview, "camera_on", K_TRI, camera_on),
    F(idr__interview, "video_issues", K_STRV_LOWER, video_issues),
    FENUM(idr__interview, "liveness_challenge", liveness_challenge, liveness),
    F(idr__interview, "deepfake_suspected", K_TRI, deepfake_suspected),
    F(idr__interview, "reading_answers", K_TRI, reading_answers),
    FENUM(idr__interview, "location_questions", location_questions, locq),
    FENUM(idr__interview, "resume_consistency", resume_consistency, consistency),
    F(idr__interview, "multiple_voices", K_TRI, multiple_voices),
    F(idr__interview, "other_identities_seen", K_TRI, other_identities_seen),
    F(idr__interview, "notes", K_STR, notes),
};
static const ospec interview_s = OSPEC(interview_f, idr__interview, NO_OFF, NULL, NULL);

/* travel[] */
static const fspec travel_f[] = {
    F(idr__travel, "from", K_DATE, from),
    F(idr__travel, "to", K_DATE, to),
    F(idr__travel, "country", K_COUNTRY, country),
    F(idr__travel, "approved", K_TRI, approved),
};
static const ospec travel_s = OSPEC(travel_f, idr__travel, NO_OFF, NULL, NULL);

/* workflow */
static const fspec workflow_f[] = {
    F(idr__workflow, "refused_in_person_i9", K_TRI, refused_in_person_i9),
    F(idr__workflow, "refused_notarization", K_TRI, refused_notarization),
    F(idr__workflow, "refused_background_check", K_TRI, refused_background_check),
    F(idr__workflow, "refused_drug_test", K_TRI, refused_drug_test),
    F(idr__workflow, "prepayment_pressure", K_TRI, prepayment_pressure),
    F(idr__workflow, "off_platform_pressure", K_TRI, off_platform_pressure),
};
static const ospec workflow_s = OSPEC(workflow_f, idr__workflow, NO_OFF, NULL, NULL);

/* work_history */
static const fspec reference_f[] = {
    F(idr__reference, "name", K_STR, name),
    F(idr__reference, "email", K_STR, email),
    F(idr__reference, "phone", K_STR, phone),
};
static const ospec reference_s = OSPEC(reference_f, idr__reference, NO_OFF, NULL, NULL);

static const fspec employer_f[] = {
    F(idr__employer, "name", K_STR, name),
    F(idr__employer, "domain", K_STR_LOWER, domain),
    F(idr__employer, "start", K_DATE, start),
    F(idr__employer, "end", K_DATE, end),
    F(idr__employer, "verified", K_TRI, verified),
    FARR(idr__employer, "references", references, n_references, reference_s),
};
static const ospec employer_s = OSPEC(employer_f, idr__employer, NO_OFF, NULL, NULL);

static const fspec education_f[] = {
    F(idr__education, "institution", K_STR, institution),
    F(idr__education, "degree", K_STR, degree),
    /* 1900..2100: a graduation year outside it is a data-entry error, not a claim. */
    FINT(idr__education, "year", K_INT, year, 1900, 2100, 0),
    F(idr__education, "verified", K_TRI, verified),
};
static const ospec education_s = OSPEC(education_f, idr__education, NO_OFF, NULL, NULL);

static const fspec profile_f[] = {
    FENUMN(idr__profile, "kind", kind, kind_name, profile_kinds),
    F(idr__profile, "url", K_STR, url),
    F(idr__profile, "handle", K_STR, handle),
    F(idr__profile, "created_at", K_DATE, created_at),
    F(idr__profile, "earliest_activity", K_DATE, earliest_activity),
    /* 2^53: the largest integer a JSON number carries exactly. */
    FINT(idr__profile, "followers", K_LLONG, followers, 0, 9007199254740992.0, -1),
};
static const ospec profile_s = OSPEC(profile_f, idr__profile, NO_OFF, NULL, NULL);

static const fspec work_history_f[] = {
    F(idr__work_history, "resume_text", K_STR, resume_text),
    FARR(idr__work_history, "employers", employers, n_employers, employer_s),
    FARR(idr__work_history, "education", education, n_education, education_s),
    FARR(idr__work_history, "profiles", profiles, n_profiles, profile_s),
    F(idr__work_history, "referred_by", K_STR, referred_by),
};
static const ospec work_history_s =
    OSPEC(work_history_f, idr__work_history, NO_OFF, NULL, NULL);

/* post_hire */
static const fspec device_location_f[] = {
    F(idr__device_location, "at", K_INSTANT, at),
    FNUM(idr__device_location, "lat", lat, -90, 90),
    FNUM(idr__device_location, "lon", lon, -180, 180),
    F(idr__device_location, "country", K_COUNTRY, country),
};
static const ospec device_location_s =
    OSPEC(device_location_f, idr__device_location, NO_OFF, NULL, NULL);

static const fspec post_hire_f[] = {
    F(idr__post_hire, "hired_at", K_DATE, hired_at),
    F(idr__post_hire, "endpoint_findings", K_STRV_LOWER, endpoint_findings),
    FARR(idr__post_hire,
         "device_locations",
         device_locations,
         n_device_locations,
         device_location_s),
    FINT(idr__post_hire,
         "unmanaged_device_logins",
         K_LLONG,
         unmanaged_device_logins,
         0,
         9007199254740992.0,
         -1),
    F(idr__post_hire, "identity_holder_complaint", K_TRI, identity_holder_complaint),
    F(idr__post_hire, "different_person_suspected", K_TRI, different_person_suspected),
};
static const ospec post_hire_s = OSPEC(post_hire_f, idr__post_hire, NO_OFF, NULL, NULL);

/* top level */
#define SECTION(key, kd, m, spec, bit)                                                   \
    { key, kd, offsetof(idr_candidate, m), NO_OFF, &spec, 0, 0, 0, bit }
static const fspec root_f[] = {
    FSPEC(idr_candidate, "schema", candidate_id, NO_OFF, sp_schema),
    FSPEC(idr_candidate, "candidate_id", candidate_id, NO_OFF, sp_candidate_id),
    F(idr_candidate, "as_of", K_INSTANT, as_of),
    SECTION("engagement", K_OBJ, engagement, engagement_s, IDR__HAS_ENGAGEMENT),
    SECTION("identity", K_OBJ, identity, identity_s, IDR__HAS_IDENTITY),
    {"documents", K_ARR, offsetof(idr_candidate, documents),
     offsetof(idr_candidate, n_documents), &document_s, 0, 0, 0, IDR__HAS_DOCUMENTS},
    SECTION("contacts", K_OBJ, contacts, contacts_s, IDR__HAS_CONTACTS),
    {"network", K_OBJ, 0, NO_OFF, &network_s, 0, 0, 0, IDR__HAS_NETWORK},
    SECTION("payment", K_OBJ, payment, payment_s, IDR__HAS_PAYMENT),
    SECTION("equipment", K_OBJ, equipment, equipment_s, IDR__HAS_EQUIPMENT),
    {"interviews", K_ARR, offsetof(idr_candidate, interviews),
     offsetof(idr_candidate, n_interviews), &interview_s, 0, 0, 0, IDR__HAS_INTERVIEWS},
    {"accommodations", K_STRV_LOWER, offsetof(idr_candidate, accommodations), NO_OFF,
     NULL, 0, 0, 0, IDR__HAS_ACCOMMODATIONS},
    {"travel", K_ARR, offsetof(idr_candidate, travel), offsetof(idr_candidate, n_travel),
     &travel_s, 0, 0, 0, IDR__HAS_TRAVEL},
    SECTION("workflow", K_OBJ, workflow, workflow_s, IDR__HAS_WORKFLOW),
    SECTION("work_history", K_OBJ, work_history, work_history_s, IDR__HAS_WORK_HISTORY),
    SECTION("post_hire", K_OBJ, post_hire, post_hire_s, IDR__HAS_POST_HIRE),
};
static const ospec root_s = OSPEC(root_f, idr_candidate, NO_OFF, NULL, check_root);

/* ---- defaults ------------------------------------------------------------------- */

/* Give every field of the object at `base` its "absent" value (the memory is zeroed
 * already: strings NULL, countries "", enums *_NONE, arrays empty). */
static void init_obj(const ospec *s, char *base) {
    for (size_t i = 0; i < s->n; i++) {
        const fspec *f = &s->f[i];
        char *at = base + f->off;
        switch (f->k) {
        case K_DATE: {
            int32_t v = IDR__DATE_NONE;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_INSTANT: {
            int64_t v = IDR__TIME_NONE;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_TRI:
            *(idr__tri *)at = IDR__UNK;
            break;
        case K_NUM: {
            double v = NAN;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_INT: {
            int v = (int)f->def;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_LLONG: {
            long long v = (long long)f->def;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_OBJ:
            init_obj(f->aux, at);
            break;
        default:
            break;
        }
    }
}

/* The candidate with every field absent, built once: copying it is cheaper than
 * walking all the tables for every record. Immutable after pthread_once. */
static idr_candidate blank;
static pthread_once_t blank_once = PTHREAD_ONCE_INIT;

static void blank_init(void) {
    memset(&blank, 0, sizeof blank);
    init_obj(&root_s, (char *)&blank);
}

/* ---- value helpers -------------------------------------------------------------- */

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

static int want(parser *p, const cJSON *v, const char *what) {
    return fail(p, IDR_EINVAL, "expected %s, got %s", what, type_name(v));
}

static void ascii_case(char *s, bool upper) {
    for (; *s; s++) {
        if (upper && *s >= 'a' && *s <= 'z') {
            *s = (char)(*s - ('a' - 'A'));
        } else if (!upper && *s >= 'A' && *s <= 'Z') {
            *s = (char)(*s + ('a' - 'A'));
        }
    }
}

static int copy_str(parser *p, const cJSON *v, const char **out, int fold) {
    char *s = idr__arena_strdup(p->a, v->valuestring);
    if (!s) {
        return nomem(p);
    }
    if (fold) {
        ascii_case(s, fold > 0);
    }
    *out = s;
    return IDR_OK;
}

/* A short, printable rendering of a value for an error message (enums only: other
 * values may be personal data and are not echoed). */
static const char *quote(const char *s, char buf[40]) {
    size_t o = 0;
    for (; *s && o < 32; s++) {
        unsigned char ch = (unsigned char)*s;
        buf[o++] = ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\' ? (char)ch : '?';
    }
    if (*s) {
        memcpy(buf + o, "...", 3);
        o += 3;
    }
    buf[o] = '\0';
    return buf;
}

static int parse_enum(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "a string");
    }
    const char *const *names = f->aux;
    for (int i = 0; names[i]; i++) {
        if (strcmp(names[i], v->valuestring) == 0) {
            int val = i + 1;
            memcpy(base + f->off, &val, sizeof val);
            if (f->off2 != NO_OFF) {
                memcpy(base + f->off2, &names[i], sizeof names[i]);
            }
            return IDR_OK;
        }
    }
    char list[160];
    size_t o = 0;
    for (int i = 0; names[i] && o < sizeof list; i++) {
        int n = snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "", names[i]);
        o += n < 0 ? 0 : (size_t)n;
    }
    char q[40];
    return fail(p, IDR_EINVAL, "unknown value \"%s\"; expected one of: %s",
                quote(v->valuestring, q), list);
}

static int parse_strv(parser *p, const cJSON *v, idr__strv *out, bool lower) {
    if (!IS_ARRAY(v)) {
        return want(p, v, "an array of strings");
    }
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        n++;
    }
    const char **arr = idr__arena_alloc(p->a, (n ? n : 1) * sizeof *arr);
    if (!arr) {
        return nomem(p);
    }
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!IS_STRING(e)) {
            size_t old = path_index(p, i);
            int rc = want(p, e, "a string");
            path_pop(p, old);
            return rc;
        }
        if (copy_str(p, e, &arr[i], lower ? -1 : 0) != IDR_OK) {
            return p->rc;
        }
    }
    out->v = arr;
    out->n = n;
    return IDR_OK;
}

static int parse_obj(parser *p, const ospec *s, const cJSON *v, char *base);
static int parse_field(parser *p, const fspec *f, const cJSON *v, char *base);

static int parse_arr(parser *p, const fspec *f, const cJSON *v, char *base) {
    const ospec *es = f->aux;
    if (!IS_ARRAY(v)) {
        return want(p, v,
                    es->str_field ? "an array of strings or objects"
                                  : "an array of objects");
    }
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        n++;
    }
    char *arr = idr__arena_calloc(p->a, (n ? n : 1) * es->size);
    if (!arr) {
        return nomem(p);
    }
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char *el = arr + i * es->size;
        size_t old = path_index(p, i);
        int rc;
        if (es->str_field && IS_STRING(e)) {
            init_obj(es, el);
            rc = parse_field(p, &es->f[0], e, el);
        } else if (IS_OBJECT(e)) {
            init_obj(es, el);
            rc = parse_obj(p, es, e, el);
        } else {
            rc = want(p, e, es->str_field ? "a string or an object" : "an object");
        }
        path_pop(p, old);
        if (rc != IDR_OK) {
            return rc;
        }
    }
    memcpy(base + f->off, &arr, sizeof arr);
    memcpy(base + f->off2, &n, sizeof n);
    return IDR_OK;
}

static int parse_field(parser *p, const fspec *f, const cJSON *v, char *base) {
    char *at = base + f->off;
    switch (f->k) {
    case K_STR:
    case K_STR_LOWER:
    case K_STR_UPPER:
        if (!IS_STRING(v)) {
            return want(p, v, "a string");
        }
        return copy_str(p, v, (const char **)(void *)at,
                        f->k == K_STR ? 0 : (f->k == K_STR_UPPER ? 1 : -1));
    case K_DATE: {
        int32_t d;
        if (!IS_STRING(v)) {
            return want(p, v, "a date string YYYY-MM-DD");
        }
        if (!idr__parse_date(v->valuestring, &d)) {
            return fail(p, IDR_EINVAL, "not a calendar date in the form YYYY-MM-DD");
        }
        memcpy(at, &d, sizeof d);
        return IDR_OK;
    }
    case K_INSTANT: {
        int64_t t;
        if (!IS_STRING(v)) {
            return want(p, v, "an RFC 3339 instant string");
        }
        if (!idr__parse_instant(v->valuestring, &t)) {
            return fail(p, IDR_EINVAL,
                        "not an RFC 3339 instant like 2025-03-01T14:03:00Z (date, 'T', "
                        "time, then 'Z' or an offset +hh:mm)");
        }
        memcpy(at, &t, sizeof t);
        return IDR_OK;
    }
    case K_COUNTRY:
        if (!IS_STRING(v)) {
            return want(p, v, "a country code string");
        }
        if (!idr__country_valid(v->valuestring)) {
            return fail(p, IDR_EINVAL,
                        "not an assigned ISO 3166-1 alpha-2 country code in upper case "
                        "(e.g. \"US\")");
        }
        memcpy(at, v->valuestring, 3);
        return IDR_OK;
    case K_TRI:
        if (!IS_BOOL(v)) {
            return want(p, v, "a boolean");
        }
        *(idr__tri *)at = IS_TRUE(v) ? 1 : 0;
        return IDR_OK;
    case K_NUM:
    case K_INT:
    case K_LLONG: {
        if (!IS_NUMBER(v)) {
            return want(p, v, f->k == K_NUM ? "a number" : "an integer");
        }
        double x = v->valuedouble;
        if (f->k != K_NUM && (!isfinite(x) || x != floor(x))) {
            return fail(p, IDR_EINVAL, "expected an integer");
        }
        if (!isfinite(x) || x < f->lo || x > f->hi) {
            return fail(p, IDR_EINVAL, "number out of range; expected %.15g..%.15g",
                        f->lo, f->hi);
        }
        if (f->k == K_NUM) {
            memcpy(at, &x, sizeof x);
        } else if (f->k == K_INT) {
            int i = (int)x;
            memcpy(at, &i, sizeof i);
        } else {
            long long ll = (long long)x;
            memcpy(at, &ll, sizeof ll);
        }
        return IDR_OK;
    }
    case K_ENUM:
        return parse_enum(p, v, base, f);
    case K_STRV:
    case K_STRV_LOWER:
        return parse_strv(p, v, (idr__strv *)(void *)at, f->k == K_STRV_LOWER);
    case K_OBJ:
        if (!IS_OBJECT(v)) {
            return want(p, v, "an object");
        }
        return parse_obj(p, f->aux, v, at);
    case K_ARR:
        return parse_arr(p, f, v, base);
    case K_SPECIAL:
        return ((special_fn)f->aux)(p, v, base, f);
    }
    return fail(p, IDR_EINTERNAL, "field table entry of unknown kind");
}

static int parse_obj(parser *p, const ospec *s, const cJSON *v, char *base) {
    if (s->present_off != NO_OFF) {
        *(bool *)(base + s->present_off) = true;
    }
    for (const cJSON *m = v->child; m; m = m->next) {
        const char *key = m->string;
        const fspec *f = NULL;
        for (size_t i = 0; i < s->n; i++) {
            if (s->f[i].name[0] == key[0] && strcmp(s->f[i].name, key) == 0) {
                f = &s->f[i];
                break;
            }
        }
        if (!f) {
            if (warn(p, key) != IDR_OK) {
                return p->rc;
            }
            continue;
        }
        if (IS_NULL(m)) {
            continue; /* null = absent */
        }
        size_t old = path_key(p, key);
        int rc = parse_field(p, f, m, base);
        path_pop(p, old);
        if (rc != IDR_OK) {
            return rc;
        }
        p->c->has |= f->has;
    }
    return s->check ? s->check(p, base) : IDR_OK;
}

/* ---- special fields ------------------------------------------------------------- */

static int sp_schema(parser *p, const cJSON *v, char *base, const fspec *f) {
    (void)base;
    (void)f;
    if (!IS_STRING(v)) {
        return want(p, v, "the string \"" SCHEMA_ID "\"");
    }
    if (strcmp(v->valuestring, SCHEMA_ID) != 0) {
        return fail(p, IDR_EINVAL,
                    "unsupported schema; this version of idrisk reads \"" SCHEMA_ID "\"");
    }
    return IDR_OK;
}

static int sp_candidate_id(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "a non-empty string");
    }
    if (v->valuestring[0] == '\0') {
        return fail(p, IDR_EINVAL, "must not be empty");
    }
    return copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

/* US SSN: nine digits, dashes anywhere ignored ("123-45-6789", "123456789"). Kept as
 * the nine digits; the structural checks are the ssn rules' business. */
static int sp_ssn(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "a string of 9 digits");
    }
    char d[10];
    size_t n = 0;
    for (const char *s = v->valuestring; *s; s++) {
        if (*s == '-') {
            continue;
        }
        if (*s < '0' || *s > '9' || n == 9) {
            return fail(p, IDR_EINVAL, "expected 9 digits, with or without dashes");
        }
        d[n++] = *s;
    }
    if (n != 9) {
        return fail(p, IDR_EINVAL, "expected 9 digits, with or without dashes");
    }
    char *out = idr__arena_strndup(p->a, d, 9);
    if (!out) {
        return nomem(p);
    }
    memcpy(base + f->off, &out, sizeof out);
    return IDR_OK;
}

/*
 * Time zones. ICU answers "is this a system zone" with ucal_getCanonicalTimeZoneID,
 * but that call opens ICU's zone resource bundle each time (microseconds per record).
 * So the first lookup copies ICU's list of system zone ids into a sorted table, once
 * per process under pthread_once; after that the table is immutable and lookups are a
 * lock-free binary search, safe from any number of threads. The table is kept for the
 * life of the process. If ICU cannot enumerate its zones, every lookup falls back to
 * the direct ICU call.
 */
static const char **tz_ids;
static size_t tz_count;
static pthread_once_t tz_once = PTHREAD_ONCE_INIT;

static int cmp_cstr(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void tz_load(void) {
    UErrorCode st = U_ZERO_ERROR;
    UEnumeration *en = ucal_openTimeZones(&st);
    if (U_FAILURE(st) || !en) {
        return;
    }
    int32_t n = uenum_count(en, &st);
    const char **ids = U_SUCCESS(st) && n > 0 ? malloc((size_t)n * sizeof *ids) : NULL;
    size_t k = 0;
    const char *id;
    int32_t len;
    while (ids && k < (size_t)n && (id = uenum_next(en, &len, &st)) != NULL &&
           U_SUCCESS(st)) {
        char *copy = malloc((size_t)len + 1);
        if (!copy) {
            break;
        }
        memcpy(copy, id, (size_t)len);
        copy[len] = '\0';
        ids[k++] = copy;
    }
    uenum_close(en);
    if (!ids || k != (size_t)n) {
        for (size_t i = 0; ids && i < k; i++) {
            free((void *)ids[i]);
        }
        free(ids);
        return;
    }
    qsort(ids, k, sizeof *ids, cmp_cstr);
    tz_ids = ids;
    tz_count = k;
}

/* An IANA zone name ICU knows as a system zone ("America/Chicago", "Etc/UTC" and the
 * old links such as "US/Central"). Custom offsets ("GMT+5") are not IANA names. */
static bool tz_known(const char *s) {
    UChar id[64], canon[64];
    size_t n = strlen(s);
    if (n == 0 || n >= COUNT(id)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch <= 0x20 || ch >= 0x7f) {
            return false;
        }
        id[i] = ch;
    }
    pthread_once(&tz_once, tz_load);
    if (tz_ids) {
        return bsearch(&s, tz_ids, tz_count, sizeof *tz_ids, cmp_cstr) != NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    UBool system = 0;
    ucal_getCanonicalTimeZoneID(id, (int32_t)n, canon, (int32_t)COUNT(canon), &system,
                                &st);
    return U_SUCCESS(st) && system;
}

static int sp_timezone(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "an IANA time zone name");
    }
    if (!tz_known(v->valuestring)) {
        return fail(p, IDR_EINVAL,
                    "not a known IANA time zone name (e.g. \"America/Chicago\")");
    }
    return copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

static int sp_phash(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "a string of 16 hex digits");
    }
    const char *s = v->valuestring;
    uint64_t h = 0;
    size_t n = 0;
    for (; s[n]; n++) {
        char ch = s[n];
        unsigned d;
        if (ch >= '0' && ch <= '9') {
            d = (unsigned)(ch - '0');
        } else if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f') {
            d = (unsigned)((ch | 0x20) - 'a' + 10);
        } else {
            break;
        }
        if (n == 16) {
            break;
        }
        h = (h << 4) | d;
    }
    if (n != 16 || s[n] != '\0') {
        return fail(p, IDR_EINVAL, "expected exactly 16 hex digits (a 64-bit hash)");
    }
    memcpy(base + f->off, &h, sizeof h);
    *(bool *)(base + f->off2) = true;
    return IDR_OK;
}

/* Identifiers kept only as SHA-256 hex. Spaces, dashes and dots are dropped and ASCII
 * letters upper-cased first, so "de89 3704 0044" and "DE8937040044" hash the same:
 * the hash exists to notice one number reused across records, whatever the format. */
static int sp_hashed(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "a string");
    }
    const char *s = v->valuestring;
    size_t n = strlen(s);
    char small[256];
    char *buf = n < sizeof small ? small : idr__arena_alloc(p->a, n + 1);
    if (!buf) {
        return nomem(p);
    }
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '-' || ch == '.' || ch == '\t') {
            continue;
        }
        buf[o++] = (char)(ch >= 'a' && ch <= 'z' ? ch - ('a' - 'A') : ch);
    }
    if (o == 0) {
        return fail(p, IDR_EINVAL, "expected a non-empty identifier");
    }
    char *hex = idr__arena_alloc(p->a, 65);
    if (!hex) {
        return nomem(p);
    }
    idr__sha256_hex(buf, o, hex);
    memset(buf, 0, o); /* do not leave the identifier lying around */
    memcpy(base + f->off, &hex, sizeof hex);
    return IDR_OK;
}

static int sp_ip(parser *p, const cJSON *v, char *base, const fspec *f) {
    if (!IS_STRING(v)) {
        return want(p, v, "an IPv4 or IPv6 address string");
    }
    idr__ip ip;
    if (!idr__parse_ip(v->valuestring, &ip)) {
        return fail(p, IDR_EINVAL,
                    "not an IPv4 or IPv6 address (no zone id, no surrounding spaces)");
    }
    memcpy(base + f->off2, &ip, sizeof ip);
    return copy_str(p, v, (const char **)(void *)(base + f->off), 0);
}

static int check_session(parser *p, char *base) {
    const idr__session *s = (const idr__session *)(void *)base;
    if (!s->ip_text) {
        size_t old = path_key(p, "ip");
        fail(p, IDR_EINVAL, "required in every session");
        path_pop(p, old);
        return p->rc;
    }
    return IDR_OK;
}

static int check_root(parser *p, char *base) {
    const idr_candidate *c = (const idr_candidate *)(void *)base;
    if (!c->candidate_id) {
        path_key(p, "candidate_id");
        return fail(p, IDR_EINVAL, "required and missing");
    }
    return IDR_OK;
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
                fail(p, IDR_ELIMIT,
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

/* ====================================================================================
 * Entry points
 * ================================================================================== */

int idr__candidate_parse(idr_candidate **out,
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

    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root) {
        size_t upto =
            end && end >= json && end < json + len ? (size_t)(end - json) + 1 : len;
        if (!raw_depth_exceeded(&p, json, upto)) {
            malformed(&p, json, len, end);
        }
        return p.rc;
    }
    /* Only whitespace (and NUL padding) may follow the value. */
    for (const char *q = end; q && q < json + len; q++) {
        if (*q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\0') {
            cJSON_Delete(root);
            malformed(&p, json, len, q);
            return p.rc;
        }
    }
    if (!IS_OBJECT(root)) {
        const char *what = type_name(root); /* static text: fine after the delete */
        cJSON_Delete(root);
        return idr__err(err, IDR_EINVAL, "",
                        "the candidate record must be a JSON object, not %s", what);
    }

    if (scan(&p, root, 1, NULL) != IDR_OK) {
        cJSON_Delete(root);
        return p.rc;
    }
    if (p.pend_rc != IDR_OK) {
        cJSON_Delete(root);
        return idr__err(err, p.pend_rc, p.pend_path, "%s: %s",
                        p.pend_path[0] ? p.pend_path : "(top level)", p.pend_what);
    }

    /* A record of ~1 KB needs ~2 KB of arena; one first block covers it. */
    idr__arena *a = idr__arena_new(len < 1024 ? 4096 : 2 * len + 2048);
    idr_candidate *c = a ? idr__arena_alloc(a, sizeof *c) : NULL;
    if (!c) {
        idr__arena_free(a);
        cJSON_Delete(root);
        return idr__err(err, IDR_ENOMEM, "", "out of memory while parsing the candidate");
    }
    pthread_once(&blank_once, blank_init);
    *c = blank;
    c->arena = a;
    p.c = c;
    p.a = a;
    int rc = parse_obj(&p, &root_s, root, (char *)c);
    cJSON_Delete(root);
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
