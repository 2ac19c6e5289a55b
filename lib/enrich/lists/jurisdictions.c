/* SPDX-License-Identifier: Apache-2.0 */
/*
 * jurisdictions.c - data/sanctioned_jurisdictions.tsv and data/sanctioned_networks.tsv,
 * and
 * the record's fields that fall in them (jurisdictions.h).
 *
 * Matching is exact on purpose: a country code, an ISO 3166-2 region code, a whole
 * name (case and punctuation ignored), an AS number, an address inside a listed range.
 * A jurisdiction is a legal fact, so a near miss ("Krymsk", a town in Krasnodar Krai,
 * for "Krym") must never match.
 */
#include "enrich/lists/jurisdictions.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct jur_entry {
    const char *code;       /* "KP", "UA-43" */
    bool region;            /* an ISO 3166-2 region, matched by name */
    bool networks_only;     /* found only through sanctioned_networks.tsv (and whole
                               names in a free-text jurisdiction) */
    const char **countries; /* a region: the country codes it may be reported under */
    size_t n_countries;
    const char **names; /* normalised (norm()) */
    size_t n_names;
    const char *name; /* the first name as written, for evidence */
    const char *program, *source;
    unsigned line;
} jur_entry;

typedef struct sanc_net {
    bool prefix; /* a CIDR range, else an AS number */
    uint32_t asn;
    idr__cidr cidr;
    const jur_entry *jur; /* the jurisdiction it is held in */
    const char *text, *holder, *source;
    unsigned line;
} sanc_net;

struct idr__jurisdictions {
    const idr__alloc *al;
    idr__arena *arena;
    jur_entry *entries;
    size_t n_entries;
    sanc_net *nets;
    size_t n_nets;
};

/* Lower-case ASCII letters and digits, every other ASCII byte a separator, runs of
 * separators one space, no leading or trailing space; non-ASCII bytes are kept. */
static char *norm(idr__arena *a, const char *s) {
    size_t n = strlen(s);
    char *out = idr__arena_alloc(a, n + 1);
    if (!out) {
        return NULL;
    }
    size_t o = 0;
    bool sep = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80 || isalnum(*p)) {
            if (sep && o > 0) {
                out[o++] = ' ';
            }
            sep = false;
            out[o++] = (char)(*p < 0x80 ? tolower(*p) : *p);
        } else if (*p != '\'') { /* "Sevastopol'" = "Sevastopol" */
            sep = true;
        }
    }
    out[o] = '\0';
    return out;
}

/* Split `s` at ';' into trimmed, non-empty arena strings, normalised when `normed`. */
static size_t split(idr__arena *a, const char *s, const char ***out, bool normed) {
    size_t cap = 1;
    for (const char *p = s; *p; p++) {
        cap += *p == ';';
    }
    const char **v = idr__arena_calloc(a, cap * sizeof *v);
    *out = v;
    size_t n = 0;
    for (const char *p = s; v && p;) {
        const char *e = strchr(p, ';');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char *item = idr__arena_strndup(a, p, len);
        const char *t = item && normed ? norm(a, item) : item;
        if (t) {
            while (*t == ' ') {
                t++;
            }
            size_t tl = strlen(t);
            while (tl > 0 && t[tl - 1] == ' ') {
                tl--;
            }
            if (tl > 0) {
                v[n++] = idr__arena_strndup(a, t, tl);
            }
        }
        p = e ? e + 1 : NULL;
    }
    return n;
}

static const char *refreshed(idr__arena *a, const char *text) {
    const char *p = strstr(text, "# refreshed: ");
    if (!p) {
        return "unversioned";
    }
    p += strlen("# refreshed: ");
    return idr__arena_strndup(a, p, strcspn(p, "\r\n"));
}

/* The next line that is neither blank nor a comment, counting every line. */
static char *next_line(char **cur, unsigned *lineno) {
    while (*cur && **cur) {
        char *line = *cur;
        char *nl = strchr(line, '\n');
        *cur = nl ? nl + 1 : line + strlen(line);
        if (nl) {
            *nl = '\0';
        }
        (*lineno)++;
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\r') {
            line[len - 1] = '\0';
        }
        if (line[0] != '\0' && line[0] != '#') {
            return line;
        }
    }
    return NULL;
}

static bool is_code(const char *s) {
    size_t n = strlen(s);
    if (n < 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1])) {
        return false;
    }
    if (n == 2) {
        return true;
    }
    if (s[2] != '-' || n < 4 || n > 6) {
        return false;
    }
    for (size_t i = 3; i < n; i++) {
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return true;
}

static char *read_text(idr__loader *ld, const char *file, char *path, size_t n) {
    snprintf(path, n, "%s/%s", ld->lists_dir ? ld->lists_dir : ".", file);
    return idr__read_file(ld->al, path, (size_t)1 << 20, NULL);
}

static int
add_entry(idr__loader *ld, const char *name, const char *version, const char *what) {
    idr__data_entry d = {name, "list", version, version, "same as idrisk (curated)",
                         what};
    return idr__loader_add_data(ld, &d);
}

/* sanctioned_jurisdictions.tsv: code, kind, reported as, names, program, source. */
static int load_jurisdictions(idr__loader *ld, idr__jurisdictions *j) {
    char path[4096];
    char *text = read_text(ld, "sanctioned_jurisdictions.tsv", path, sizeof path);
    if (!text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    const char *version = refreshed(j->arena, text);
    size_t cap = 1;
    for (const char *p = text; *p; p++) {
        cap += *p == '\n';
    }
    j->entries = idr__arena_calloc(j->arena, cap * sizeof *j->entries);
    int rc = j->entries ? IDR_OK : IDR_ENOMEM;
    char *cur = text, *line;
    unsigned lineno = 0;
    while (rc == IDR_OK && (line = next_line(&cur, &lineno)) != NULL &&
           j->n_entries < cap) {
        char *f[7];
        size_t nf = idr__split_tabs(line, f, 7);
        bool region = nf == 6 && strcmp(f[1], "region") == 0;
        bool nets_only = nf == 6 && strcmp(f[1], "networks") == 0;
        if (nf != 6 || !is_code(f[0]) ||
            (strcmp(f[1], "country") != 0 && !region && !nets_only) ||
            (region || nets_only) != (strlen(f[0]) > 2) ||
            (region && strcmp(f[2], "-") == 0) || !*f[3] || !*f[4] || !*f[5] ||
            strcmp(f[5], "-") == 0) {
            rc = idr__loader_warn(ld,
                                  "%s: line %u ignored (needs code, kind "
                                  "country|region|networks, reported as, names, program, "
                                  "source; a region's code is ISO 3166-2 and names its "
                                  "countries)",
                                  path, lineno);
            continue;
        }
        const jur_entry *dup = NULL;
        for (size_t k = 0; k < j->n_entries && !dup; k++) {
            dup = strcmp(j->entries[k].code, f[0]) == 0 ? &j->entries[k] : NULL;
        }
        if (dup) {
            rc = idr__loader_warn(ld,
                                  "%s: %s is listed again on line %u (first on line "
                                  "%u): the later entry is ignored",
                                  path, f[0], lineno, dup->line);
            continue;
        }
        jur_entry *e = &j->entries[j->n_entries];
        e->code = idr__arena_strdup(j->arena, f[0]);
        e->region = region;
        e->networks_only = nets_only;
        e->n_countries = region ? split(j->arena, f[2], &e->countries, false) : 0;
        e->n_names = split(j->arena, f[3], &e->names, true);
        const char **raw = NULL;
        e->name = split(j->arena, f[3], &raw, false) ? raw[0] : e->code;
        e->program = idr__arena_strdup(j->arena, f[4]);
        e->source = idr__arena_strdup(j->arena, f[5]);
        e->line = lineno;
        if (idr__arena_failed(j->arena)) {
            rc = IDR_ENOMEM;
            break;
        }
        j->n_entries++;
    }
    idr__free(ld->al, text);
    if (rc == IDR_OK && j->n_entries) {
        rc = add_entry(ld, "sanctioned_jurisdictions", version,
                       "comprehensively sanctioned jurisdictions per OFAC, a source per "
                       "entry (data/sanctioned_jurisdictions.tsv)");
    }
    return rc;
}

/* sanctioned_networks.tsv: kind (asn|prefix), value, jurisdiction, holder, source. */
static int load_networks(idr__loader *ld, idr__jurisdictions *j) {
    char path[4096];
    char *text = read_text(ld, "sanctioned_networks.tsv", path, sizeof path);
    if (!text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    const char *version = refreshed(j->arena, text);
    size_t cap = 1;
    for (const char *p = text; *p; p++) {
        cap += *p == '\n';
    }
    j->nets = idr__arena_calloc(j->arena, cap * sizeof *j->nets);
    int rc = j->nets ? IDR_OK : IDR_ENOMEM;
    char *cur = text, *line;
    unsigned lineno = 0;
    while (rc == IDR_OK && (line = next_line(&cur, &lineno)) != NULL && j->n_nets < cap) {
        char *f[6];
        sanc_net n = {0};
        size_t nf = idr__split_tabs(line, f, 6);
        bool ok = nf == 5 && *f[3] && *f[4] && strcmp(f[4], "-") != 0;
        for (size_t k = 0; ok && k < j->n_entries && !n.jur; k++) {
            n.jur = strcmp(j->entries[k].code, f[2]) == 0 ? &j->entries[k] : NULL;
        }
        ok = ok && n.jur;
        if (ok && strcmp(f[0], "asn") == 0) {
            char *end;
            errno = 0;
            unsigned long v = strtoul(f[1], &end, 10);
            ok = isdigit((unsigned char)f[1][0]) && *end == '\0' && errno == 0 && v > 0 &&
                 v <= UINT32_MAX;
            n.asn = (uint32_t)v;
        } else if (ok && strcmp(f[0], "prefix") == 0) {
            n.prefix = true;
            ok = idr__parse_cidr(f[1], &n.cidr);
        } else {
            ok = false;
        }
        if (!ok) {
            rc = idr__loader_warn(ld,
                                  "%s: line %u ignored (needs kind asn|prefix, an AS "
                                  "number or a CIDR range, a jurisdiction code of "
                                  "sanctioned_jurisdictions.tsv, holder, source)",
                                  path, lineno);
            continue;
        }
        const sanc_net *dup = NULL;
        for (size_t k = 0; k < j->n_nets && !dup; k++) {
            const sanc_net *o = &j->nets[k];
            bool same =
                o->prefix == n.prefix &&
                (n.prefix ? o->cidr.prefix == n.cidr.prefix &&
                                memcmp(&o->cidr.net, &n.cidr.net, sizeof n.cidr.net) == 0
                          : o->asn == n.asn);
            dup = same ? o : NULL;
        }
        if (dup) {
            rc = idr__loader_warn(ld,
                                  "%s: %s %s is listed again on line %u (first on line "
                                  "%u): the later entry is ignored",
                                  path, f[0], f[1], lineno, dup->line);
            continue;
        }
        n.text = n.prefix ? idr__arena_strdup(j->arena, f[1])
                          : idr__arena_printf(j->arena, "AS%s", f[1]);
        n.holder = idr__arena_strdup(j->arena, f[3]);
        n.source = idr__arena_strdup(j->arena, f[4]);
        n.line = lineno;
        if (idr__arena_failed(j->arena)) {
            rc = IDR_ENOMEM;
            break;
        }
        j->nets[j->n_nets++] = n;
    }
    idr__free(ld->al, text);
    if (rc == IDR_OK && j->n_nets) {
        rc = add_entry(ld, "sanctioned_networks", version,
                       "networks the RIRs record as held in a sanctioned jurisdiction "
                       "(the DPRK's own), a source per entry "
                       "(data/sanctioned_networks.tsv)");
    }
    return rc;
}

int idr__jurisdictions_open(idr__loader *ld, idr__jurisdictions **out, const char **why) {
    *out = NULL;
    idr__jurisdictions *j = idr__calloc(ld->al, 1, sizeof *j);
    if (!j || !(j->arena = idr__arena_new(ld->al, (size_t)8 * 1024))) {
        idr__free(ld->al, j);
        return IDR_ENOMEM;
    }
    j->al = ld->al;
    int rc = load_jurisdictions(ld, j);
    if (rc == IDR_OK) {
        rc = load_networks(ld, j);
    }
    if (rc != IDR_OK) {
        idr__jurisdictions_close(j);
        return rc;
    }
    if (j->n_entries == 0 && j->n_nets == 0) {
        idr__jurisdictions_close(j);
        *why = idr__arena_printf(ld->arena,
                                 "neither sanctioned_jurisdictions.tsv nor "
                                 "sanctioned_networks.tsv has an entry in %s",
                                 ld->lists_dir ? ld->lists_dir : "(no lists directory)");
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    *out = j;
    return IDR_OK;
}

void idr__jurisdictions_close(idr__jurisdictions *j) {
    if (j) {
        idr__arena_free(j->arena);
        idr__free(j->al, j);
    }
}

/* ---- Matching ------------------------------------------------------------------- */

static const jur_entry *country_entry(const idr__jurisdictions *j, const char *cc) {
    for (size_t i = 0; cc && cc[0] && i < j->n_entries; i++) {
        if (!j->entries[i].region && strcmp(j->entries[i].code, cc) == 0) {
            return &j->entries[i];
        }
    }
    return NULL;
}

static bool has_name(const jur_entry *e, const char *normed) {
    for (size_t k = 0; normed && normed[0] && k < e->n_names; k++) {
        if (strcmp(e->names[k], normed) == 0) {
            return true;
        }
    }
    return false;
}

/* The region entry that `cc` and one of `texts` (a region or city name, any may be
 * NULL) name, or NULL. */
static const jur_entry *region_entry(const idr__jurisdictions *j,
                                     idr__arena *a,
                                     const char *cc,
                                     const char *const *texts,
                                     size_t n_texts,
                                     const char **matched) {
    for (size_t i = 0; cc && cc[0] && i < j->n_entries; i++) {
        const jur_entry *e = &j->entries[i];
        bool in = false;
        for (size_t k = 0; e->region && k < e->n_countries && !in; k++) {
            in = strcmp(e->countries[k], cc) == 0;
        }
        for (size_t t = 0; in && t < n_texts; t++) {
            if (texts[t] &&
                (strcmp(texts[t], e->code) == 0 || has_name(e, norm(a, texts[t])))) {
                *matched = texts[t];
                return e;
            }
        }
    }
    return NULL;
}

/* A free-text jurisdiction ("KP", "US-DE", "North Korea", "Crimea, Ukraine"): its
 * code when it starts with one, else a whole name of an entry. */
static const jur_entry *
text_entry(const idr__jurisdictions *j, idr__arena *a, const char *s) {
    if (!s || !*s) {
        return NULL;
    }
    size_t n = strlen(s);
    for (size_t i = 0; i < j->n_entries; i++) {
        const jur_entry *e = &j->entries[i];
        size_t cl = strlen(e->code);
        /* the code alone, or a country's ISO 3166-2 subdivision ("KP-01"); "KP
         * Holdings" or "UA" is not a code of the list */
        if (n >= cl && strncasecmp(s, e->code, cl) == 0 &&
            (n == cl || (!e->region && !e->networks_only && s[cl] == '-'))) {
            return e;
        }
    }
    const char *t = norm(a, s);
    for (size_t i = 0; t && i < j->n_entries; i++) {
        if (has_name(&j->entries[i], t)) {
            return &j->entries[i];
        }
    }
    /* "Crimea, Ukraine", "Pyongyang, North Korea": each comma-separated part */
    const char *comma = strchr(s, ',');
    if (comma) {
        char *head = idr__arena_strndup(a, s, (size_t)(comma - s));
        const jur_entry *e = NULL;
        if (head) {
            const char *h = norm(a, head), *tail = norm(a, comma + 1);
            for (size_t i = 0; !e && i < j->n_entries; i++) {
                if (has_name(&j->entries[i], h) || has_name(&j->entries[i], tail)) {
                    e = &j->entries[i];
                }
            }
        }
        return e;
    }
    return NULL;
}

static const char *place_of(idr__arena *a, const jur_entry *e) {
    return idr__arena_printf(a, "%s (%s)", e->code, e->name);
}

static const char *entry_basis(idr__arena *a, const jur_entry *e) {
    return idr__arena_printf(a,
                             "%s is comprehensively sanctioned: %s "
                             "(data/sanctioned_jurisdictions.tsv line %u)",
                             e->name, e->program, e->line);
}

static bool add_hit(idr__enrichment *en, size_t *cap, const idr__jur_hit *h) {
    idr__jur_facts *f = &en->jur;
    if (f->n_hits == *cap) {
        size_t nc = *cap ? 2 * *cap : 4;
        idr__jur_hit *v = idr__arena_alloc(en->arena, nc * sizeof *v);
        if (!v) {
            return false;
        }
        if (f->n_hits) {
            memcpy(v, f->hits, f->n_hits * sizeof *v);
        }
        f->hits = v;
        *cap = nc;
    }
    f->hits[f->n_hits++] = *h;
    return true;
}

/* A session: the listed ranges (the address itself), the listed AS numbers (the ASN
 * database's answer), then the location database's country and region. Every basis
 * that holds is given, then the program of each jurisdiction named, once. */
static bool
session_hit(idr__enrichment *en, const idr__jurisdictions *j, size_t i, size_t *cap) {
    const idr_candidate *c = en->c;
    const idr__session *s = &c->sessions[i];
    const idr__ip_info *in = en->ips ? &en->ips[i] : NULL;
    idr__arena *a = en->arena;
    const char *basis = NULL;
    const jur_entry *named[4] = {NULL};
    size_t n_named = 0;
    bool by_net = false;
    for (size_t k = 0; k <= j->n_nets; k++) {
        const jur_entry *x = NULL;
        const char *b = NULL;
        if (k < j->n_nets) {
            const sanc_net *n = &j->nets[k];
            bool hit = n->prefix ? s->ip.family && idr__cidr_contains(&n->cidr, &s->ip)
                                 : in && in->asn == n->asn;
            if (hit) {
                x = n->jur;
                by_net = true;
                b = idr__arena_printf(a,
                                      "%s is on %s, a network the registry records as "
                                      "held in %s by %s (data/sanctioned_networks.tsv "
                                      "line %u)",
                                      s->ip_text, n->text, x->name, n->holder, n->line);
            }
        } else if (in) {
            const char *matched = NULL;
            const char *texts[] = {in->region, in->city};
            x = country_entry(j, in->country);
            if (x) {
                b = idr__arena_printf(a, "the IP location database places %s in %s",
                                      s->ip_text, in->country);
            } else if ((x = region_entry(j, a, in->country, texts, 2, &matched))) {
                b = idr__arena_printf(a, "the IP location database places %s in %s, %s",
                                      s->ip_text, matched, in->country);
            }
        }
        if (!b) {
            continue;
        }
        basis = basis ? idr__arena_printf(a, "%s; %s", basis, b) : b;
        bool seen = false;
        for (size_t q = 0; q < n_named; q++) {
            seen |= named[q] == x;
        }
        if (!seen && n_named < sizeof named / sizeof named[0]) {
            named[n_named++] = x;
        }
    }
    if (!basis) {
        return true;
    }
    for (size_t q = 0; q < n_named; q++) {
        basis = idr__arena_printf(a, "%s; %s", basis, entry_basis(a, named[q]));
    }
    idr__jur_hit h = {
        .field = idr__arena_printf(a, "sessions[%zu].ip", i),
        .value = s->ip_text,
        .place = place_of(a, named[0]),
        .basis = basis,
        .session = (long)i,
        .by_location = !by_net,
    };
    return add_hit(en, cap, &h);
}

static bool field_hit(idr__enrichment *en,
                      size_t *cap,
                      const char *field,
                      const char *value,
                      const jur_entry *e,
                      const char *how) {
    idr__arena *a = en->arena;
    idr__jur_hit h = {
        .field = field,
        .value = value,
        .place = place_of(a, e),
        .basis = idr__arena_printf(a, "%s; %s", how, entry_basis(a, e)),
        .session = -1,
    };
    return add_hit(en, cap, &h);
}

int idr__jurisdiction_enrich(idr__enrichment *en) {
    const idr__jurisdictions *j = en->m->jur;
    const idr_candidate *c = en->c;
    memset(&en->jur, 0, sizeof en->jur);
    if (!j) {
        return IDR_OK;
    }
    en->jur.loaded = true;
    idr__arena *a = en->arena;
    size_t cap = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < c->n_sessions; i++) {
        if (c->sessions[i].ip.family == 0) {
            continue;
        }
        en->jur.sessions_checked++;
        ok = session_hit(en, j, i, &cap);
    }
    const idr__payment *p = &c->payment;
    en->jur.fields_checked += (size_t)(p->account_country[0] != 0) +
                              (size_t)(p->payee_company_jurisdiction != NULL);
    const jur_entry *e = country_entry(j, p->account_country);
    if (ok && e) {
        ok = field_hit(en, &cap, "payment.account_country", p->account_country, e,
                       "the payout account is held in this country");
    }
    e = text_entry(j, a, p->payee_company_jurisdiction);
    if (ok && e) {
        ok = field_hit(en, &cap, "payment.payee_company.jurisdiction",
                       p->payee_company_jurisdiction, e,
                       "the payee company is registered in this jurisdiction");
    }
    for (size_t i = 0; ok && i < c->equipment.n_shipments; i++) {
        const idr__address *ad = &c->equipment.shipments[i].address;
        const char *matched = ad->country;
        const char *texts[] = {ad->region, ad->city};
        en->jur.fields_checked += (size_t)(ad->country[0] || ad->region || ad->city);
        e = country_entry(j, ad->country);
        if (!e) {
            e = region_entry(j, a, ad->country, texts, 2, &matched);
        }
        if (e) {
            ok = field_hit(en, &cap,
                           idr__arena_printf(a, "equipment.shipments[%zu].address", i),
                           idr__arena_printf(a, "%s%s%s", matched,
                                             matched == ad->country ? "" : ", ",
                                             matched == ad->country ? "" : ad->country),
                           e, "equipment is to be shipped there");
        }
    }
    return ok && !idr__arena_failed(a) ? IDR_OK : IDR_ENOMEM;
}
