/* SPDX-License-Identifier: Apache-2.0 */
/*
 * extract.c - pass 2 of the candidate parser: typed values out of the cJSON tree,
 * through the field tables of fields.c.
 *
 * Runs only on a tree the key scan (keyscan.c) has accepted. Each known key is parsed
 * by its table entry's kind: strings (copied into the arena, optionally case-folded),
 * dates, instants, countries, tri-state booleans, bounded numbers, closed enums,
 * string vectors, nested objects and arrays of objects; K_SPECIAL entries go to their
 * special.c parser. Unknown keys become warnings; null means absent. The first bad
 * value fails the parse with its JSON path. See parse/parser.h for the whole contract.
 */
#include "parse/parser.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void ascii_case(char *s, bool upper) {
    for (; *s; s++) {
        if (upper && *s >= 'a' && *s <= 'z') {
            *s = (char)(*s - ('a' - 'A'));
        } else if (!upper && *s >= 'A' && *s <= 'Z') {
            *s = (char)(*s + ('a' - 'A'));
        }
    }
}

int idr__parse_copy_str(parser *p, const cJSON *v, const char **out, int fold) {
    char *s = idr__arena_strdup(p->a, v->valuestring);
    if (!s) {
        return idr__parse_nomem(p);
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
        return idr__parse_want(p, v, "a string");
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
    return idr__parse_fail(p, IDR_EINVAL, "unknown value \"%s\"; expected one of: %s",
                           quote(v->valuestring, q), list);
}

static int parse_strv(parser *p, const cJSON *v, idr__strv *out, bool lower) {
    if (!IS_ARRAY(v)) {
        return idr__parse_want(p, v, "an array of strings");
    }
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        n++;
    }
    const char **arr = idr__arena_alloc(p->a, (n ? n : 1) * sizeof *arr);
    if (!arr) {
        return idr__parse_nomem(p);
    }
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        if (!IS_STRING(e)) {
            size_t old = path_index(p, i);
            int rc = idr__parse_want(p, e, "a string");
            path_pop(p, old);
            return rc;
        }
        if (idr__parse_copy_str(p, e, &arr[i], lower ? -1 : 0) != IDR_OK) {
            return p->rc;
        }
    }
    out->v = arr;
    out->n = n;
    return IDR_OK;
}

static int parse_field(parser *p, const fspec *f, const cJSON *v, char *base);

static int parse_arr(parser *p, const fspec *f, const cJSON *v, char *base) {
    const ospec *es = f->aux;
    if (!IS_ARRAY(v)) {
        return idr__parse_want(p, v,
                               es->str_field ? "an array of strings or objects"
                                             : "an array of objects");
    }
    size_t n = 0;
    for (const cJSON *e = v->child; e; e = e->next) {
        n++;
    }
    char *arr = idr__arena_calloc(p->a, (n ? n : 1) * es->size);
    if (!arr) {
        return idr__parse_nomem(p);
    }
    size_t i = 0;
    for (const cJSON *e = v->child; e; e = e->next, i++) {
        char *el = arr + i * es->size;
        size_t old = path_index(p, i);
        int rc;
        if (es->str_field && IS_STRING(e)) {
            idr__parse_init_obj(es, el);
            rc = parse_field(p, &es->f[0], e, el);
        } else if (IS_OBJECT(e)) {
            idr__parse_init_obj(es, el);
            rc = idr__parse_obj(p, es, e, el);
        } else {
            rc = idr__parse_want(p, e,
                                 es->str_field ? "a string or an object" : "an object");
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
            return idr__parse_want(p, v, "a string");
        }
        return idr__parse_copy_str(p, v, (const char **)(void *)at,
                                   f->k == K_STR ? 0 : (f->k == K_STR_UPPER ? 1 : -1));
    case K_DATE: {
        int32_t d;
        if (!IS_STRING(v)) {
            return idr__parse_want(p, v, "a date string YYYY-MM-DD");
        }
        if (!idr__parse_date(v->valuestring, &d)) {
            return idr__parse_fail(p, IDR_EINVAL,
                                   "not a calendar date in the form YYYY-MM-DD");
        }
        memcpy(at, &d, sizeof d);
        return IDR_OK;
    }
    case K_INSTANT: {
        int64_t t;
        if (!IS_STRING(v)) {
            return idr__parse_want(p, v, "an RFC 3339 instant string");
        }
        if (!idr__parse_instant(v->valuestring, &t)) {
            return idr__parse_fail(
                p, IDR_EINVAL,
                "not an RFC 3339 instant like 2025-03-01T14:03:00Z (date, 'T', "
                "time, then 'Z' or an offset +hh:mm)");
        }
        memcpy(at, &t, sizeof t);
        return IDR_OK;
    }
    case K_COUNTRY:
        if (!IS_STRING(v)) {
            return idr__parse_want(p, v, "a country code string");
        }
        if (!idr__country_valid(v->valuestring)) {
            return idr__parse_fail(
                p, IDR_EINVAL,
                "not an assigned ISO 3166-1 alpha-2 country code in upper case "
                "(e.g. \"US\")");
        }
        memcpy(at, v->valuestring, 3);
        return IDR_OK;
    case K_TRI:
        if (!IS_BOOL(v)) {
            return idr__parse_want(p, v, "a boolean");
        }
        *(idr__tri *)at = IS_TRUE(v) ? 1 : 0;
        return IDR_OK;
    case K_NUM:
    case K_INT:
    case K_LLONG: {
        if (!IS_NUMBER(v)) {
            return idr__parse_want(p, v, f->k == K_NUM ? "a number" : "an integer");
        }
        double x = v->valuedouble;
        if (f->k != K_NUM && (!isfinite(x) || x != floor(x))) {
            return idr__parse_fail(p, IDR_EINVAL, "expected an integer");
        }
        if (!isfinite(x) || x < f->lo || x > f->hi) {
            return idr__parse_fail(p, IDR_EINVAL,
                                   "number out of range; expected %.15g..%.15g", f->lo,
                                   f->hi);
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
            return idr__parse_want(p, v, "an object");
        }
        return idr__parse_obj(p, f->aux, v, at);
    case K_ARR:
        return parse_arr(p, f, v, base);
    case K_SPECIAL:
        return ((special_fn)f->aux)(p, v, base, f);
    }
    return idr__parse_fail(p, IDR_EINTERNAL, "field table entry of unknown kind");
}

int idr__parse_obj(parser *p, const ospec *s, const cJSON *v, char *base) {
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
            if (idr__parse_warn(p, key) != IDR_OK) {
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
