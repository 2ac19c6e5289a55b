/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse/parser.h - the candidate parser's private parts, for the files of lib/parse/.
 * lib/parse/
 *
 * Nothing outside lib/parse/ includes this file; the layer's public face is
 * parse/parse.h (idr__candidate_parse). Contract (docs/input-limits.md,
 * /work/shared/spec/candidate-v1.md):
 *  - The input is one JSON object. cJSON builds a tree; two passes run over it and the
 *    tree is freed before returning, so nothing in the candidate points into it.
 *  - Pass 1 (keyscan.c) looks at every node, known or not: protected attribute names
 *    as keys at any depth, duplicate keys, invalid UTF-8 in keys and strings, nesting
 *    deeper than max_depth, arrays (and objects) longer than max_array. A protected
 *    attribute wins over every other error, so the scan keeps looking for one after
 *    it has met anything else and reports the other error only when there is none.
 *  - Pass 2 (extract.c) walks the known fields through static field tables (fields.c):
 *    each entry names the key, its kind (date, country, enum ...) and where the value
 *    goes in the typed struct. The same tables give every struct its "absent"
 *    defaults. Values with their own grammar (schema, SSN, time zone, photo hash,
 *    hashed identifiers, IP) and the required-field checks are in special.c. Unknown
 *    keys become warnings in document order; a JSON null is the same as an absent
 *    field; every malformed value is IDR_EINVAL with its JSON path in err->field.
 *  - candidate.c holds the entry point, the parser state's error reporting and the
 *    malformed-JSON diagnosis.
 *  - Everything the candidate keeps lives in its one arena. The only mallocs are the
 *    arena's blocks and cJSON's own nodes.
 *  - Sensitive identifiers (documents[].number, payment.account_id) are reduced to
 *    SHA-256 hex before they reach the struct; error messages never echo them, nor
 *    the SSN.
 *
 * Functions shared between the files are idr__parse_*; the static library gives every
 * internal symbol to tests, so unprefixed names would leak into their namespace.
 */
#ifndef IDRISK_PARSE_PARSER_H
#define IDRISK_PARSE_PARSER_H

#include "parse/parse.h"

#include <cjson/cJSON.h>
#include <stddef.h>
#include <string.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

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
 * Parser state and paths
 * ================================================================================== */

/* One parse, on the caller's stack: nothing in it outlives idr__candidate_parse. */
typedef struct parser {
    idr_candidate *c;
    idr__arena *a;
    const idr__alloc *al; /* the engine's; the arena's and the scan's scratch */
    const idr__limits *lim;
    const idr__id_key *key; /* identifier hashing (never NULL during a parse) */
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
static inline size_t path_key(parser *p, const char *key) {
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

static inline size_t path_index(parser *p, size_t i) {
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

static inline void path_pop(parser *p, size_t old) {
    p->plen = old;
    p->path[old] = '\0';
}

/* ====================================================================================
 * Errors and warnings (candidate.c)
 * ================================================================================== */

/* Report an error at the current path and return its code (also left in p->rc). The
 * message starts with the path so that it stands on its own in a log line. */
int idr__parse_fail(parser *p, int code, const char *fmt, ...) IDR__PRINTF(3, 4);
/* IDR_ENOMEM, with no path: the record is not at fault. */
int idr__parse_nomem(parser *p);
/* Scan pass: remember the first ordinary error at the current path, keep looking for
 * protected keys (which win over it). */
void idr__parse_pend(parser *p, int code, const char *fmt, ...) IDR__PRINTF(3, 4);
/* Record `key` under the current path as an unknown field, in document order. */
int idr__parse_warn(parser *p, const char *key);
/* IDR_EINVAL "expected <what>, got <v's JSON type>" at the current path. */
int idr__parse_want(parser *p, const cJSON *v, const char *what);

/* ====================================================================================
 * Pass 1 (keyscan.c)
 * ================================================================================== */

/* Scan every node under `root`. A protected key fails at once (IDR_EINVAL); any other
 * error is left pending in p->pend_* for the caller to report. */
int idr__parse_scan(parser *p, const cJSON *root);

/* ====================================================================================
 * Field tables (fields.c)
 * ================================================================================== */

/* What a field holds, with the C type at its offset and its "absent" value. */
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

#define NO_OFF ((size_t)-1) /* no second offset (off2) / no presence flag */

typedef struct ospec ospec;
typedef struct fspec fspec;
/* A K_SPECIAL parser: store the non-null value `v` of field `f` into `base`. */
typedef int (*special_fn)(parser *p, const cJSON *v, char *base, const fspec *f);

/* One key of an object: offsets are relative to the object's struct. */
struct fspec {
    const char *name;
    kind k;
    size_t off, off2;
    const void *aux;
    double lo, hi, def;
    unsigned has; /* IDR__HAS_* bit set on the candidate when present */
};

/* One object (or array element) of the contract: its fields and checks. */
struct ospec {
    const fspec *f;
    size_t n;
    size_t size;           /* element size, for arrays */
    size_t present_off;    /* bool set when the object is present, or NO_OFF */
    const char *str_field; /* a plain string element means {str_field: string}; that
                              field must be the table's first entry */
    int (*check)(parser *p, char *base); /* required fields; path is the object's */
};

/* The record's shape: the top-level object, through which every table is reached. */
extern const ospec idr__parse_root;

/* Give every field of the object at `base` its "absent" value (the memory is zeroed
 * already: strings NULL, countries "", enums *_NONE, arrays empty). */
void idr__parse_init_obj(const ospec *s, char *base);

/* The candidate with every field absent (built once per process; see fields.c). */
const idr_candidate *idr__parse_blank(void);

/* ====================================================================================
 * Pass 2 (extract.c)
 * ================================================================================== */

/* Extract the members of the object `v` into `base` through the table `s`; unknown
 * keys become warnings. The path is the object's. */
int idr__parse_obj(parser *p, const ospec *s, const cJSON *v, char *base);
/* Copy a string value into the arena; fold > 0 upper-cases ASCII, < 0 lower-cases. */
int idr__parse_copy_str(parser *p, const cJSON *v, const char **out, int fold);

/* ====================================================================================
 * Special values and record checks (special.c), named by the field tables
 * ================================================================================== */

int idr__parse_sp_schema(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_candidate_id(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_ssn(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_timezone(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_phash(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_hashed(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_sp_ip(parser *p, const cJSON *v, char *base, const fspec *f);
int idr__parse_check_session(parser *p, char *base);
int idr__parse_check_root(parser *p, char *base);

#endif /* IDRISK_PARSE_PARSER_H */
