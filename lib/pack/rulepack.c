/* SPDX-License-Identifier: Apache-2.0 */
/*
 * rulepack.c - parse and validate a rule pack (format: docs/rulepack.md).
 *
 * The pack is the only place weights and words live, so validation is strict: an
 * unknown section or key, a missing required key, an unknown indicator, an undefined
 * source key or a detail {key} the indicator cannot fill is IDR_EDATA naming
 * "<section>.<key>" and the line. A pack that loads is one every result can explain.
 */
#include "pack/pack.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Growable array in the pack arena; the old copy is abandoned (packs are small). */
static void *grow(idr__arena *a, void *old, size_t n, size_t size) {
    if ((n & (n - 1)) != 0 && n != 0) {
        return old; /* capacity is the next power of two: still room */
    }
    size_t cap = n ? n * 2 : 4;
    void *p = idr__arena_alloc(a, cap * size);
    if (p && old) {
        memcpy(p, old, n * size);
    }
    return p;
}

typedef struct parser {
    idr__rulepack *p;
    const char *name;
    int line;
    char section[160]; /* "pack", "sources", or the entry id */
    enum { S_NONE, S_PACK, S_SOURCES, S_STEPS, S_IND, S_COMBO, S_EXPL } kind;
    idr__rule *rule;
    idr__combo *combo;
    idr__explanation *expl;
    int rule_line;
    unsigned seen;        /* bit per required key of the current entry */
    unsigned param_seen;  /* bit per parameter set in the current entry */
    double *param_values; /* the current rule's parameters, being filled */
    idr__indicator_lookup find;
    idr_error *err;
} parser;

static int perr(parser *ps, const char *key, const char *fmt, ...) IDR__PRINTF(3, 4);
static int perr(parser *ps, const char *key, const char *fmt, ...) {
    char field[256], msg[200];
    if (key) {
        snprintf(field, sizeof field, "%s.%s", ps->section, key);
    } else {
        snprintf(field, sizeof field, "%s", ps->section);
    }
    va_list ap;
    va_start(ap, fmt);
    // va_start is the line above (analyzer false positive).
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return idr__err(ps->err, IDR_EDATA, field, "%s:%d: %s: %s", ps->name, ps->line, field,
                    msg);
}

static char *trim(char *s) {
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    char *e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
        *--e = 0;
    }
    return s;
}

static bool parse_points(const char *v, double *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || end == v || *end || !(d >= 0 && d <= 100)) {
        return false;
    }
    *out = d;
    return true;
}

static bool parse_severity(const char *v, idr__severity *out) {
    static const char *const names[] = {"low", "medium", "high", "critical"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(v, names[i]) == 0) {
            *out = (idr__severity)i;
            return true;
        }
    }
    return false;
}

const char *idr__severity_name(idr__severity s) {
    switch (s) {
    case IDR__SEV_LOW:
        return "low";
    case IDR__SEV_MEDIUM:
        return "medium";
    case IDR__SEV_HIGH:
        return "high";
    case IDR__SEV_CRITICAL:
        return "critical";
    }
    return "low";
}

static const char *const categories[] = {
    "identity",  "ssn",      "document",    "network",   "phone",
    "email",     "payment",  "address",     "interview", "work_history",
    "post_hire", "workflow", "combination", NULL};

/* Split "a, b, c" into arena strings. */
static int
split_list(parser *ps, const char *key, char *v, char sep, const char ***out, size_t *n) {
    *out = NULL;
    *n = 0;
    char *save = NULL;
    char seps[2] = {sep, 0};
    for (char *t = strtok_r(v, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
        t = trim(t);
        if (!*t) {
            return perr(ps, key, "empty item in list");
        }
        const char **g = grow(ps->p->arena, (void *)*out, *n, sizeof(char *));
        if (!g) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        *out = g;
        if (!(g[*n] = idr__arena_strdup(ps->p->arena, t))) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        (*n)++;
    }
    if (*n == 0) {
        return perr(ps, key, "empty list");
    }
    return IDR_OK;
}

static int add_str(parser *ps, const char ***arr, size_t *n, const char *v) {
    const char **g = grow(ps->p->arena, (void *)*arr, *n, sizeof(char *));
    if (!g) {
        return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    *arr = g;
    if (!(g[*n] = idr__arena_strdup(ps->p->arena, v))) {
        return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    (*n)++;
    return IDR_OK;
}

/* The indicator `id` names: itself, or (a deprecated id) the one it was renamed to,
 * with a warning naming the new id. *out gets the id to use; NULL when unknown. */
static int
resolve_id(parser *ps, const char *id, const idr__indicator **ind, const char **out) {
    *ind = ps->find(id);
    *out = *ind ? (*ind)->id : NULL;
    if (!*ind || strcmp((*ind)->id, id) == 0) {
        return IDR_OK;
    }
    const char *w = idr__arena_printf(ps->p->arena,
                                      "%s:%d: %s is a deprecated indicator id: it was "
                                      "renamed %s; the old id is accepted until the "
                                      "next release",
                                      ps->name, ps->line, id, (*ind)->id);
    if (!w) {
        return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    return add_str(ps, &ps->p->warnings, &ps->p->n_warnings, w);
}

enum {
    K_CATEGORY = 1,
    K_SEVERITY = 2,
    K_POINTS = 4,
    K_TITLE = 8,
    K_DETAIL = 16,
    K_VERIFY = 32,
    K_BENIGN = 64,
    K_SOURCES = 128,
    K_BASIS = 256,
    K_STEPS = 512
};

static int finish_entry(parser *ps) {
    unsigned need = 0;
    if (ps->kind == S_IND) {
        need = K_CATEGORY | K_SEVERITY | K_POINTS | K_TITLE | K_DETAIL | K_VERIFY |
               K_BENIGN | K_SOURCES | K_BASIS;
    } else if (ps->kind == S_COMBO) {
        need =
            K_SEVERITY | K_POINTS | K_TITLE | K_DETAIL | K_VERIFY | K_BENIGN | K_SOURCES;
        if (ps->combo->n_groups < 2) {
            return perr(ps, "all", "a combination needs at least two 'all' groups");
        }
    } else if (ps->kind == S_EXPL) {
        static const char *const expl_names[] = {"kind", "suppresses", "note", "sources"};
        static const unsigned expl_bits[] = {K_CATEGORY, K_DETAIL, K_TITLE, K_SOURCES};
        for (int i = 0; i < 4; i++) {
            if (!(ps->seen & expl_bits[i])) {
                ps->line = ps->rule_line;
                return perr(ps, expl_names[i], "required key missing");
            }
        }
        return IDR_OK;
    } else if (ps->kind == S_PACK) {
        if (!ps->p->id || !ps->p->version) {
            return perr(ps, ps->p->id ? "version" : "id", "required key missing");
        }
        if (!(ps->p->band_medium > 0 && ps->p->band_medium < ps->p->band_high &&
              ps->p->band_high < ps->p->band_critical && ps->p->band_critical <= 100)) {
            return perr(ps, "band.medium",
                        "bands must satisfy 0 < medium < high < critical <= 100");
        }
        return IDR_OK;
    } else {
        return IDR_OK;
    }
    static const char *const names[] = {"category", "severity", "points",
                                        "title",    "detail",   "verify",
                                        "benign",   "sources",  "basis"};
    for (int i = 0; i < 9; i++) {
        if ((need & (1u << i)) && !(ps->seen & (1u << i))) {
            ps->line = ps->rule_line;
            return perr(ps, names[i], "required key missing");
        }
    }
    return IDR_OK;
}

static int begin_section(parser *ps, char *hdr) {
    int rc = finish_entry(ps);
    if (rc) {
        return rc;
    }
    ps->seen = 0;
    ps->rule = NULL;
    ps->combo = NULL;
    ps->expl = NULL;
    ps->rule_line = ps->line;
    char *sp = strchr(hdr, ' ');
    char *id = sp ? trim(sp + 1) : NULL;
    if (sp) {
        *sp = 0;
    }
    if (strcmp(hdr, "pack") == 0 && !id) {
        if (ps->p->id || ps->kind != S_NONE) {
            return perr(ps, NULL, "[pack] must come first, once");
        }
        ps->kind = S_PACK;
        snprintf(ps->section, sizeof ps->section, "pack");
        return IDR_OK;
    }
    if (ps->kind == S_NONE) {
        snprintf(ps->section, sizeof ps->section, "pack");
        return perr(ps, NULL, "the pack must start with a [pack] section");
    }
    if (strcmp(hdr, "sources") == 0 && !id) {
        if (ps->p->n_source_defs) {
            return perr(ps, NULL, "[sources] appears twice");
        }
        ps->kind = S_SOURCES;
        snprintf(ps->section, sizeof ps->section, "sources");
        return IDR_OK;
    }
    if (strcmp(hdr, "steps") == 0 && !id) {
        if (ps->p->n_step_defs) {
            return perr(ps, NULL, "[steps] appears twice");
        }
        ps->kind = S_STEPS;
        snprintf(ps->section, sizeof ps->section, "steps");
        return IDR_OK;
    }
    if (!id || !*id) {
        snprintf(ps->section, sizeof ps->section, "%s", hdr);
        return perr(ps, NULL, "unknown section or missing id");
    }
    snprintf(ps->section, sizeof ps->section, "%s", id);
    if (strcmp(hdr, "indicator") == 0) {
        const idr__indicator *ind;
        const char *now = NULL;
        int rc2 = resolve_id(ps, id, &ind, &now);
        if (rc2) {
            return rc2;
        }
        if (!ind) {
            return perr(ps, NULL, "no indicator with this id is implemented");
        }
        if (idr__rulepack_find(ps->p, now)) {
            return perr(ps, NULL, "indicator defined twice");
        }
        idr__rule *r = grow(ps->p->arena, ps->p->rules, ps->p->n_rules, sizeof *r);
        if (!r) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->p->rules = r;
        ps->rule = &r[ps->p->n_rules++];
        memset(ps->rule, 0, sizeof *ps->rule);
        if (!(ps->rule->id = idr__arena_strdup(ps->p->arena, now))) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->rule->ind = ind;
        ps->param_seen = 0;
        ps->param_values = NULL;
        if (ind->n_params > IDR__MAX_PARAMS) {
            return perr(ps, NULL, "indicator declares more than %d parameters",
                        IDR__MAX_PARAMS);
        }
        if (ind->n_params) {
            ps->param_values =
                idr__arena_alloc(ps->p->arena, ind->n_params * sizeof *ps->param_values);
            if (!ps->param_values) {
                return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
            }
            for (size_t k = 0; k < ind->n_params; k++) {
                ps->param_values[k] = ind->params[k].def;
            }
        }
        ps->rule->params = ps->param_values;
        ps->kind = S_IND;
        return IDR_OK;
    }
    if (strcmp(hdr, "combination") == 0) {
        for (size_t i = 0; i < ps->p->n_combos; i++) {
            if (strcmp(ps->p->combos[i].id, id) == 0) {
                return perr(ps, NULL, "combination defined twice");
            }
        }
        if (ps->find(id)) {
            return perr(ps, NULL, "a combination may not reuse an indicator id");
        }
        idr__combo *c = grow(ps->p->arena, ps->p->combos, ps->p->n_combos, sizeof *c);
        if (!c) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->p->combos = c;
        ps->combo = &c[ps->p->n_combos++];
        memset(ps->combo, 0, sizeof *ps->combo);
        if (!(ps->combo->id = idr__arena_strdup(ps->p->arena, id))) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->kind = S_COMBO;
        return IDR_OK;
    }
    if (strcmp(hdr, "explanation") == 0) {
        /* Matched against the record's accommodations, which the parser lower-cases. */
        for (const char *q = id; *q; q++) {
            if (!((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')) {
                return perr(ps, NULL,
                            "an explanation name is lower-case letters, digits and '_'");
            }
        }
        for (size_t i = 0; i < ps->p->n_explanations; i++) {
            if (strcmp(ps->p->explanations[i].name, id) == 0) {
                return perr(ps, NULL, "explanation defined twice");
            }
        }
        idr__explanation *x =
            grow(ps->p->arena, ps->p->explanations, ps->p->n_explanations, sizeof *x);
        if (!x) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->p->explanations = x;
        ps->expl = &x[ps->p->n_explanations++];
        memset(ps->expl, 0, sizeof *ps->expl);
        if (!(ps->expl->name = idr__arena_strdup(ps->p->arena, id))) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        ps->kind = S_EXPL;
        return IDR_OK;
    }
    snprintf(ps->section, sizeof ps->section, "%s", hdr);
    return perr(ps, NULL,
                "unknown section kind (expected pack, sources, indicator, combination "
                "or explanation)");
}

static int set_once(parser *ps, const char *key, unsigned bit) {
    if (ps->seen & bit) {
        return perr(ps, key, "key given twice");
    }
    ps->seen |= bit;
    return IDR_OK;
}

/* `param.<name> = <number>`: one of the indicator's declared parameters, once, a
 * finite decimal number inside the declared bounds. */
static int set_param(parser *ps, const char *key, const char *v) {
    const idr__indicator *ind = ps->rule->ind;
    const char *name = key + 6;
    for (size_t k = 0; k < ind->n_params; k++) {
        const idr__param *pm = &ind->params[k];
        if (strcmp(pm->name, name) != 0) {
            continue;
        }
        if (ps->param_seen & (1u << k)) {
            return perr(ps, key, "set twice");
        }
        ps->param_seen |= 1u << k;
        char *end;
        errno = 0;
        double d = strtod(v, &end);
        if (errno || end == v || *end || !isfinite(d)) {
            return perr(ps, key, "must be a decimal number, not \"%s\"", v);
        }
        if (d < pm->min || d > pm->max) {
            return perr(ps, key, "%s must be %g..%g (%s), not %g", pm->name, pm->min,
                        pm->max, pm->doc, d);
        }
        ps->param_values[k] = d;
        return IDR_OK;
    }
    return perr(ps, key, "%s has no parameter \"%s\"", ind->id, name);
}

static int entry_kv(parser *ps, const char *key, char *v) {
    idr__arena *a = ps->p->arena;
    idr__rule *r = ps->rule;
    idr__combo *c = ps->combo;
    int rc;
    if (r && strncmp(key, "param.", 6) == 0) {
        return set_param(ps, key, v);
    }
    if (strcmp(key, "severity") == 0) {
        idr__severity sev;
        if ((rc = set_once(ps, key, K_SEVERITY))) {
            return rc;
        }
        if (!parse_severity(v, &sev)) {
            return perr(ps, key, "must be low, medium, high or critical, not \"%s\"", v);
        }
        if (r) {
            r->severity = sev;
        } else {
            c->severity = sev;
        }
        return IDR_OK;
    }
    if (strcmp(key, "points") == 0) {
        double pts;
        if ((rc = set_once(ps, key, K_POINTS))) {
            return rc;
        }
        if (!parse_points(v, &pts)) {
            return perr(ps, key, "must be a number from 0 to 100, not \"%s\"", v);
        }
        if (r) {
            r->points = pts;
        } else {
            c->points = pts;
        }
        return IDR_OK;
    }
    if (strcmp(key, "title") == 0 || strcmp(key, "detail") == 0 ||
        strcmp(key, "verify") == 0) {
        unsigned bit = key[0] == 't' ? K_TITLE : key[0] == 'd' ? K_DETAIL : K_VERIFY;
        if ((rc = set_once(ps, key, bit))) {
            return rc;
        }
        if (!*v) {
            return perr(ps, key, "must not be empty");
        }
        const char *s = idr__arena_strdup(a, v);
        if (!s) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        const char **dst = bit == K_TITLE    ? (r ? &r->title : &c->title)
                           : bit == K_DETAIL ? (r ? &r->detail : &c->detail)
                                             : (r ? &r->verify : &c->verify);
        *dst = s;
        return IDR_OK;
    }
    if (strcmp(key, "benign") == 0) {
        ps->seen |= K_BENIGN;
        if (!*v) {
            return perr(ps, key, "must not be empty");
        }
        return r ? add_str(ps, &r->benign, &r->n_benign, v)
                 : add_str(ps, &c->benign, &c->n_benign, v);
    }
    if (strcmp(key, "sources") == 0) {
        if ((rc = set_once(ps, key, K_SOURCES))) {
            return rc;
        }
        return r ? split_list(ps, key, v, ',', &r->sources, &r->n_sources)
                 : split_list(ps, key, v, ',', &c->sources, &c->n_sources);
    }
    if (strcmp(key, "steps") == 0) {
        if ((rc = set_once(ps, key, K_STEPS))) {
            return rc;
        }
        return r ? split_list(ps, key, v, ',', &r->step_ids, &r->n_steps)
                 : split_list(ps, key, v, ',', &c->step_ids, &c->n_steps);
    }
    if (r && strcmp(key, "category") == 0) {
        if ((rc = set_once(ps, key, K_CATEGORY))) {
            return rc;
        }
        if (!idr__in_list(v, categories) || strcmp(v, "combination") == 0) {
            return perr(ps, key, "unknown category \"%s\"", v);
        }
        r->category = idr__arena_strdup(a, v);
        return r->category ? IDR_OK
                           : idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    if (r && strcmp(key, "basis") == 0) {
        if ((rc = set_once(ps, key, K_BASIS))) {
            return rc;
        }
        if (strcmp(v, "catalog") != 0 && strcmp(v, "project") != 0) {
            return perr(ps, key, "must be catalog or project, not \"%s\"", v);
        }
        r->basis = idr__arena_strdup(a, v);
        return r->basis ? IDR_OK : idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    if (r && strcmp(key, "note") == 0) {
        return IDR_OK;
    }
    if (c && strcmp(key, "all") == 0) {
        const char **ids;
        size_t n;
        if ((rc = split_list(ps, key, v, '|', &ids, &n))) {
            return rc;
        }
        for (size_t k = 0; k < n; k++) {
            const idr__indicator *ind;
            const char *now;
            if ((rc = resolve_id(ps, ids[k], &ind, &now))) {
                return rc;
            }
            ids[k] = now ? now : ids[k]; /* an unknown id is refused by validate() */
        }
        const char ***g = grow(a, (void *)c->groups, c->n_groups, sizeof *g);
        size_t *gl = grow(a, c->group_len, c->n_groups, sizeof *gl);
        if (!g || !gl) {
            return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
        }
        c->groups = g;
        c->group_len = gl;
        g[c->n_groups] = ids;
        gl[c->n_groups++] = n;
        return IDR_OK;
    }
    return perr(ps, key, "unknown key");
}

/* `[explanation NAME]`: kind, suppresses, note and sources, each once. */
static int expl_kv(parser *ps, const char *key, char *v) {
    idr__explanation *x = ps->expl;
    int rc;
    if (strcmp(key, "kind") == 0) {
        if ((rc = set_once(ps, key, K_CATEGORY))) {
            return rc;
        }
        if (strcmp(v, "accommodation") == 0) {
            x->label = "documented accommodation";
        } else if (strcmp(v, "declaration") == 0) {
            x->label = "declared explanation";
        } else {
            return perr(ps, key, "must be accommodation or declaration, not \"%s\"", v);
        }
        return IDR_OK;
    }
    if (strcmp(key, "suppresses") == 0) {
        if ((rc = set_once(ps, key, K_DETAIL))) {
            return rc;
        }
        x->line = ps->line;
        return split_list(ps, key, v, ',', &x->suppresses, &x->n_suppresses);
    }
    if (strcmp(key, "note") == 0) {
        if ((rc = set_once(ps, key, K_TITLE))) {
            return rc;
        }
        return *v ? IDR_OK : perr(ps, key, "must not be empty");
    }
    if (strcmp(key, "sources") == 0) {
        if ((rc = set_once(ps, key, K_SOURCES))) {
            return rc;
        }
        return split_list(ps, key, v, ',', &x->sources, &x->n_sources);
    }
    return perr(ps, key, "unknown key");
}

static int kv(parser *ps, char *key, char *v) {
    idr__arena *a = ps->p->arena;
    switch (ps->kind) {
    case S_PACK:
        if (strcmp(key, "id") == 0) {
            if (!(ps->p->id = idr__arena_strdup(a, v))) {
                return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
            }
        } else if (strcmp(key, "version") == 0) {
            if (!(ps->p->version = idr__arena_strdup(a, v))) {
                return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
            }
        } else if (strncmp(key, "band.", 5) == 0) {
            double d;
            if (!parse_points(v, &d)) {
                return perr(ps, key, "must be a number from 0 to 100");
            }
            if (strcmp(key + 5, "medium") == 0) {
                ps->p->band_medium = d;
            } else if (strcmp(key + 5, "high") == 0) {
                ps->p->band_high = d;
            } else if (strcmp(key + 5, "critical") == 0) {
                ps->p->band_critical = d;
            } else {
                return perr(ps, key, "unknown key");
            }
        } else {
            return perr(ps, key, "unknown key");
        }
        return IDR_OK;
    case S_SOURCES: {
        for (size_t i = 0; i < ps->p->n_source_defs; i++) {
            if (strcmp(ps->p->source_keys[i], key) == 0) {
                return perr(ps, key, "source defined twice");
            }
        }
        if (!*v) {
            return perr(ps, key, "a source needs its citation");
        }
        size_t n = ps->p->n_source_defs;
        int rc = add_str(ps, &ps->p->source_keys, &n, key);
        if (rc == IDR_OK) {
            n = ps->p->n_source_defs;
            rc = add_str(ps, &ps->p->source_texts, &n, v);
            ps->p->n_source_defs = n;
        }
        return rc;
    }
    case S_STEPS: {
        /* Keys are identifiers a result hands out (`verify_steps[].id`): the same
         * charset as indicator ids, so they are safe in any output. */
        for (const char *k = key; *k; k++) {
            if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_')) {
                return perr(ps, key, "a step key is lower case [a-z0-9_]");
            }
        }
        for (size_t i = 0; i < ps->p->n_step_defs; i++) {
            if (strcmp(ps->p->step_keys[i], key) == 0) {
                return perr(ps, key, "step defined twice");
            }
        }
        if (!*v) {
            return perr(ps, key, "a step needs its text");
        }
        size_t n = ps->p->n_step_defs;
        int rc = add_str(ps, &ps->p->step_keys, &n, key);
        if (rc == IDR_OK) {
            n = ps->p->n_step_defs;
            rc = add_str(ps, &ps->p->step_defs, &n, v);
            ps->p->n_step_defs = n;
        }
        return rc;
    }
    case S_IND:
    case S_COMBO:
        return entry_kv(ps, key, v);
    case S_EXPL:
        return expl_kv(ps, key, v);
    case S_NONE:
        break;
    }
    return perr(ps, key, "key outside any section");
}

static bool source_defined(const idr__rulepack *p, const char *k) {
    for (size_t i = 0; i < p->n_source_defs; i++) {
        if (strcmp(p->source_keys[i], k) == 0) {
            return true;
        }
    }
    return false;
}

/* Resolve an entry's `steps` keys to their [steps] texts; each must be defined, once. */
static int resolve_steps(parser *ps, const char **ids, size_t n, const char ***texts) {
    *texts = NULL;
    if (n == 0) {
        return IDR_OK;
    }
    const char **t = idr__arena_alloc(ps->p->arena, n * sizeof *t);
    if (!t) {
        return idr__err(ps->err, IDR_ENOMEM, NULL, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        t[k] = NULL;
        for (size_t i = 0; i < ps->p->n_step_defs; i++) {
            if (strcmp(ps->p->step_keys[i], ids[k]) == 0) {
                t[k] = ps->p->step_defs[i];
            }
        }
        if (!t[k]) {
            return perr(ps, "steps", "step \"%s\" is not defined in [steps]", ids[k]);
        }
        for (size_t j = 0; j < k; j++) {
            if (strcmp(ids[j], ids[k]) == 0) {
                return perr(ps, "steps", "step \"%s\" is listed twice", ids[k]);
            }
        }
    }
    *texts = t;
    return IDR_OK;
}

/* Every {key} in `tpl` must be in `keys` (NULL-terminated). */
static int check_template(parser *ps, const char *tpl, const char *const *keys) {
    for (const char *s = tpl; *s; s++) {
        if (s[0] == '{' && s[1] == '{') {
            s++;
            continue;
        }
        if (s[0] == '}' && s[1] == '}') {
            s++;
            continue;
        }
        if (*s == '}') {
            return perr(ps, "detail", "unbalanced '}' (write '}}' for a literal brace)");
        }
        if (*s != '{') {
            continue;
        }
        const char *e = strchr(s, '}');
        if (!e) {
            return perr(ps, "detail", "unterminated {key} in the template");
        }
        size_t n = (size_t)(e - s - 1);
        bool ok = false;
        for (const char *const *k = keys; k && *k; k++) {
            if (strlen(*k) == n && strncmp(*k, s + 1, n) == 0) {
                ok = true;
            }
        }
        if (!ok) {
            return perr(ps, "detail", "{%.*s} is not evidence of this entry", (int)n,
                        s + 1);
        }
        s = e;
    }
    return IDR_OK;
}

static int validate(parser *ps) {
    idr__rulepack *p = ps->p;
    static const char *const combo_keys[] = {"fired", NULL};
    if (!p->id) {
        snprintf(ps->section, sizeof ps->section, "pack");
        return perr(ps, NULL, "the pack has no [pack] section");
    }
    for (size_t i = 0; i < p->n_rules; i++) {
        idr__rule *r = &p->rules[i];
        snprintf(ps->section, sizeof ps->section, "%s", r->id);
        ps->line = 0;
        int rc = check_template(ps, r->detail, r->ind->evidence_keys);
        if (rc == IDR_OK) {
            rc = resolve_steps(ps, r->step_ids, r->n_steps, &r->step_texts);
        }
        if (rc) {
            return rc;
        }
        for (size_t k = 0; k < r->n_sources; k++) {
            if (!source_defined(p, r->sources[k])) {
                return perr(ps, "sources",
                            "source key \"%s\" is not defined in [sources]",
                            r->sources[k]);
            }
        }
    }
    for (size_t i = 0; i < p->n_combos; i++) {
        idr__combo *c = &p->combos[i];
        snprintf(ps->section, sizeof ps->section, "%s", c->id);
        int rc = check_template(ps, c->detail, combo_keys);
        if (rc == IDR_OK) {
            rc = resolve_steps(ps, c->step_ids, c->n_steps, &c->step_texts);
        }
        if (rc) {
            return rc;
        }
        for (size_t g = 0; g < c->n_groups; g++) {
            for (size_t k = 0; k < c->group_len[g]; k++) {
                if (!idr__rulepack_find(p, c->groups[g][k])) {
                    return perr(ps, "all", "\"%s\" is not an indicator of this pack",
                                c->groups[g][k]);
                }
            }
        }
        for (size_t k = 0; k < c->n_sources; k++) {
            if (!source_defined(p, c->sources[k])) {
                return perr(ps, "sources",
                            "source key \"%s\" is not defined in [sources]",
                            c->sources[k]);
            }
        }
    }
    for (size_t i = 0; i < p->n_explanations; i++) {
        const idr__explanation *x = &p->explanations[i];
        snprintf(ps->section, sizeof ps->section, "%s", x->name);
        ps->line = x->line;
        for (size_t k = 0; k < x->n_suppresses; k++) {
            if (!idr__rulepack_find(p, x->suppresses[k])) {
                return perr(ps, "suppresses", "\"%s\" is not an indicator of this pack",
                            x->suppresses[k]);
            }
        }
        for (size_t k = 0; k < x->n_sources; k++) {
            if (!source_defined(p, x->sources[k])) {
                return perr(ps, "sources",
                            "source key \"%s\" is not defined in [sources]",
                            x->sources[k]);
            }
        }
    }
    return IDR_OK;
}

int idr__rulepack_load(idr__rulepack **out,
                       const char *text,
                       size_t len,
                       const char *name,
                       idr__indicator_lookup find,
                       idr_error *err) {
    return idr__rulepack_load_al(out, NULL, text, len, name, find, err);
}

int idr__rulepack_load_al(idr__rulepack **out,
                          const idr__alloc *al,
                          const char *text,
                          size_t len,
                          const char *name,
                          idr__indicator_lookup find,
                          idr_error *err) {
    *out = NULL;
    if (!find) {
        return idr__err(err, IDR_EINVAL, NULL, "no indicator registry given");
    }
    idr__arena *a = idr__arena_new(al, (size_t)64 * 1024);
    idr__rulepack *p = a ? idr__arena_calloc(a, sizeof *p) : NULL;
    if (!p) {
        idr__arena_free(a);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    p->arena = a;
    idr__sha256_hex(text, len, p->sha256);
    parser ps = {
        .p = p, .name = name ? name : "rules", .find = find, .err = err, .kind = S_NONE};
    snprintf(ps.section, sizeof ps.section, "pack");
    int rc = IDR_OK;
    size_t pos = 0;
    char line[4096];
    while (pos < len && rc == IDR_OK) {
        size_t e = pos;
        while (e < len && text[e] != '\n') {
            e++;
        }
        ps.line++;
        size_t n = e - pos;
        if (n >= sizeof line) {
            rc = perr(&ps, NULL, "line longer than %zu bytes", sizeof line - 1);
            break;
        }
        memcpy(line, text + pos, n);
        line[n] = 0;
        pos = e + 1;
        if (memchr(line, 0, n)) {
            rc = perr(&ps, NULL, "NUL byte in the pack");
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#') {
            continue;
        }
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1]) {
                rc = perr(&ps, NULL, "malformed section header");
                break;
            }
            *close = 0;
            rc = begin_section(&ps, trim(s + 1));
            continue;
        }
        char *eq = strchr(s, '=');
        if (!eq) {
            rc = perr(&ps, NULL, "expected 'key = value'");
            break;
        }
        *eq = 0;
        char *key = trim(s);
        if (!*key) {
            rc = perr(&ps, NULL, "empty key");
            break;
        }
        rc = kv(&ps, key, trim(eq + 1));
    }
    if (rc == IDR_OK) {
        rc = finish_entry(&ps);
    }
    if (rc == IDR_OK) {
        rc = validate(&ps);
    }
    if (rc == IDR_OK && idr__arena_failed(a)) {
        rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory while loading the rule pack");
    }
    if (rc != IDR_OK) {
        idr__arena_free(a);
        return rc;
    }
    *out = p;
    return IDR_OK;
}

int idr__rulepack_load_file(idr__rulepack **out,
                            const char *path,
                            idr__indicator_lookup find,
                            idr_error *err) {
    return idr__rulepack_load_file_al(out, NULL, path, find, err);
}

int idr__rulepack_load_file_al(idr__rulepack **out,
                               const idr__alloc *al,
                               const char *path,
                               idr__indicator_lookup find,
                               idr_error *err) {
    *out = NULL;
    size_t len = 0;
    char *text = idr__read_file(al, path, (size_t)8 << 20, &len);
    if (!text) {
        int e = errno;
        if (e == EFBIG) {
            return idr__err(err, IDR_EDATA, "rules", "rule pack %s is larger than 8 MiB",
                            path);
        }
        return idr__err(err, e == ENOMEM ? IDR_ENOMEM : IDR_EIO, "rules",
                        "cannot read rule pack %s: %s", path, strerror(e));
    }
    const char *base = strrchr(path, '/');
    int rc = idr__rulepack_load_al(out, al, text, len, base ? base + 1 : path, find, err);
    idr__free(al, text);
    return rc;
}

void idr__rulepack_free(idr__rulepack *p) {
    if (p) {
        idr__arena_free(p->arena);
    }
}

const idr__rule *idr__rulepack_find(const idr__rulepack *p, const char *id) {
    for (size_t i = 0; i < p->n_rules; i++) {
        if (strcmp(p->rules[i].id, id) == 0) {
            return &p->rules[i];
        }
    }
    return NULL;
}
