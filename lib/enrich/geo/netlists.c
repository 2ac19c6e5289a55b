/* SPDX-License-Identifier: Apache-2.0 */
/*
 * netlists.c - the network lists of the IP module: data/asn_classes.tsv (hosting and
 * VPN networks by AS number), data/mobile_asns.tsv (mobile operators' networks),
 * data/astrill.tsv (the VPN-operator names the advisories
 * single out) and the configured allow/relay address ranges.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Curated lists live in the lists directory (falling back to the data directory, the
 * source tree's data/ for uninstalled builds, then the installed data directory). */
static char *read_list(const idr__loader *ld, const char *file, char *path, size_t n) {
    const char *dirs[] = {ld->lists_dir, ld->data_dir,
#ifdef IDR_SOURCE_DATA_DIR
                          IDR_SOURCE_DATA_DIR,
#endif
#ifdef IDR_DATA_INSTALL_DIR
                          IDR_DATA_INSTALL_DIR,
#endif
                          NULL};
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        if (!dirs[i]) {
            continue;
        }
        snprintf(path, n, "%s/%s", dirs[i], file);
        char *text = idr__read_file(ld->al, path, 16u << 20, NULL);
        if (text || errno == ENOMEM) {
            return text;
        }
    }
    errno = ENOENT;
    return NULL;
}

/* A curated list's version: "sha256:" and the first 12 hex digits of its bytes, so a
 * result names exactly which list content it used. */
static void list_version(const char *text, char out[20]) {
    char hex[65];
    idr__sha256_hex(text, strlen(text), hex);
    snprintf(out, 20, "sha256:%.12s", hex);
}

static int cmp_class(const void *a, const void *b) {
    uint32_t x = ((const asn_class *)a)->asn, y = ((const asn_class *)b)->asn;
    return x < y ? -1 : x > y;
}

/* After sorting: an ASN listed twice with different classes is named in a warning
 * (file and both lines) and dropped, so neither entry silently shadows the other; the
 * same class twice is harmless and the first line's entry is kept. */
static void drop_conflicting_classes(idr__loader *ld, idr__geo *g, const char *path) {
    size_t out = 0;
    for (size_t i = 0; i < g->n_classes;) {
        size_t j = i + 1;
        bool conflict = false;
        const asn_class *first = &g->classes[i];
        while (j < g->n_classes && g->classes[j].asn == g->classes[i].asn) {
            if (g->classes[j].line < first->line) {
                first = &g->classes[j];
            }
            conflict |= strcmp(g->classes[j].cls, g->classes[i].cls) != 0;
            j++;
        }
        if (conflict) {
            unsigned other = 0;
            for (size_t k = i; k < j; k++) {
                if (g->classes[k].line != first->line && !other) {
                    other = g->classes[k].line;
                }
            }
            idr__loader_warn(ld,
                             "%s: AS%u is listed on lines %u and %u with different "
                             "classes: neither is used",
                             path, (unsigned)first->asn, first->line, other);
        } else {
            g->classes[out++] = *first;
        }
        i = j;
    }
    g->n_classes = out;
}

/* Lines in `text` (an upper bound on its entries), for sizing a list once. */
static size_t line_count(const char *text) {
    size_t n = 1;
    for (const char *p = text; *p; p++) {
        n += *p == '\n';
    }
    return n;
}

/* asn_classes.tsv: ASN<TAB>class<TAB>organisation<TAB>source */
void idr__geo_load_asn_classes(idr__loader *ld, idr__geo *g) {
    char path[4096];
    char *text = read_list(ld, "asn_classes.tsv", path, sizeof path);
    if (!text && errno == ENOMEM) {
        ld->oom = true;
        return;
    }
    if (!text) {
        ld->oom |= idr__loader_warn(
            ld, "data/asn_classes.tsv not found: hosting/VPN networks are "
                "recognised only from anonymizer databases");
        return;
    }
    char version[20];
    list_version(text, version);
    size_t cap = line_count(text);
    g->classes = idr__calloc(g->al, cap, sizeof *g->classes);
    if (!g->classes) {
        ld->oom = true;
    }
    char *cur = text, *line;
    size_t lineno = 0;
    unsigned fileline = 0;
    while (g->classes && (line = idr__geo_next_line_n(&cur, &fileline)) != NULL &&
           g->n_classes < cap) {
        char *f[4];
        lineno++;
        char *end;
        unsigned long asn;
        if (idr__split_tabs(line, f, 4) != 4 || (asn = strtoul(f[0], &end, 10)) == 0 ||
            *end != '\0' || asn > UINT32_MAX || f[3][0] == '\0') {
            ld->oom |= idr__loader_warn(
                ld, "%s: entry %zu ignored (needs ASN, class, org, source)", path,
                lineno);
            continue;
        }
        asn_class c = {(uint32_t)asn, idr__arena_strdup(g->arena, f[1]),
                       idr__arena_strdup(g->arena, f[3]), fileline};
        g->classes[g->n_classes++] = c;
    }
    idr__free(ld->al, text);
    if (g->n_classes > 0) {
        // n_classes > 0 implies classes was allocated.
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        qsort(g->classes, g->n_classes, sizeof *g->classes, cmp_class);
        drop_conflicting_classes(ld, g, path);
        g->caps |= IDR__GEO_CAP_ASN_CLASSES;
        idr__data_entry d = {
            .name = "asn_classes",
            .type = "list",
            .version = version,
            .attribution = "idrisk curated hosting-ASN list; a source per entry "
                           "(data/asn_classes.tsv)",
        };
        ld->oom |= idr__loader_add_data(ld, &d) != IDR_OK;
    }
}

/* astrill.tsv: operator name<TAB>source (names matched case-insensitively against
 * provider_name, ASN organisation, ISP and organisation). */
void idr__geo_load_operators(idr__loader *ld, idr__geo *g) {
    char path[4096];
    char *text = read_list(ld, "astrill.tsv", path, sizeof path);
    if (!text) {
        ld->oom |= errno == ENOMEM;
        return;
    }
    char version[20];
    list_version(text, version);
    size_t cap = line_count(text);
    g->ops = idr__calloc(g->al, cap, sizeof *g->ops);
    if (!g->ops) {
        ld->oom = true;
    }
    char *cur = text, *line;
    unsigned fileline = 0;
    while (g->ops && (line = idr__geo_next_line_n(&cur, &fileline)) != NULL &&
           g->n_ops < cap) {
        char *f[2];
        if (idr__split_tabs(line, f, 2) != 2 || f[0][0] == '\0' || f[1][0] == '\0') {
            continue;
        }
        vpn_operator o = {idr__geo_norm_name(g->arena, f[0]),
                          idr__arena_strdup(g->arena, f[1]), fileline};
        /* a name listed twice: the first line's source would silently win */
        for (size_t k = 0; o.name && k < g->n_ops; k++) {
            if (strcmp(g->ops[k].name, o.name) == 0) {
                idr__loader_warn(ld,
                                 "%s: operator '%s' is listed again on line %u (first on "
                                 "line %u): the later entry is ignored",
                                 path, f[0], fileline, g->ops[k].line);
                o.name = NULL;
                break;
            }
        }
        if (o.name && o.name[0]) {
            g->ops[g->n_ops++] = o;
        }
    }
    idr__free(ld->al, text);
    if (g->n_ops > 0) {
        g->caps |= IDR__GEO_CAP_OPERATORS;
        idr__data_entry d = {
            .name = "astrill",
            .type = "list",
            .version = version,
            .attribution = "idrisk curated VPN-operator names with their advisories "
                           "(data/astrill.tsv)",
        };
        ld->oom |= idr__loader_add_data(ld, &d) != IDR_OK;
    }
}

const char *
idr__geo_operator_match(const idr__geo *g, const char *text, const char **source) {
    if (!g || !text || g->n_ops == 0) {
        return NULL;
    }
    char buf[512];
    size_t o = 0;
    bool sep = false;
    for (const char *p = text; *p && o + 2 < sizeof buf; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x80 || isalnum(ch)) {
            if (sep && o > 0) {
                buf[o++] = ' ';
            }
            sep = false;
            buf[o++] = (char)(ch < 0x80 ? tolower(ch) : ch);
        } else {
            sep = true;
        }
    }
    buf[o] = '\0';
    for (size_t i = 0; i < g->n_ops; i++) {
        if (strstr(buf, g->ops[i].name)) {
            if (source) {
                *source = g->ops[i].source;
            }
            return g->ops[i].name;
        }
    }
    return NULL;
}

/* Most specific configured range containing `ip` wins; on a tie an allow-list entry
 * wins over a relay entry (both suppress, the allow-list explains more). */
void idr__geo_apply_ranges(const idr__modules *eng,
                           const idr__ip *ip,
                           idr__ip_info *info) {
    int best = -1;
    for (size_t k = 0; k < eng->n_allow; k++) {
        if (idr__cidr_contains(&eng->allow[k], ip) && (int)eng->allow[k].prefix > best) {
            best = eng->allow[k].prefix;
            info->allow_listed = true;
            info->relay = false;
            info->allow_cidr = eng->allow_text ? eng->allow_text[k] : NULL;
        }
    }
    for (size_t k = 0; k < eng->n_relay; k++) {
        if (idr__cidr_contains(&eng->relay[k], ip) && (int)eng->relay[k].prefix > best) {
            best = eng->relay[k].prefix;
            info->allow_listed = false;
            info->relay = true;
            info->allow_cidr = eng->relay_text ? eng->relay_text[k] : NULL;
        }
    }
}

static int cmp_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* mobile_asns.tsv: ASN<TAB>organisation<TAB>source. A missing list is no warning: it
 * only tempers net_domestic_distance_mismatch, which says in its evidence when a far
 * session's network is not known to be a mobile carrier's. */
void idr__geo_load_mobile(idr__loader *ld, idr__geo *g) {
    char path[4096];
    char *text = read_list(ld, "mobile_asns.tsv", path, sizeof path);
    if (!text) {
        ld->oom |= errno == ENOMEM;
        return;
    }
    char version[20];
    list_version(text, version);
    size_t cap = line_count(text);
    g->mobile = idr__calloc(g->al, cap, sizeof *g->mobile);
    if (!g->mobile) {
        ld->oom = true;
    }
    char *cur = text, *line;
    size_t lineno = 0;
    unsigned fileline = 0;
    while (g->mobile && (line = idr__geo_next_line_n(&cur, &fileline)) != NULL &&
           g->n_mobile < cap) {
        char *f[3];
        char *end;
        unsigned long asn;
        lineno++;
        if (idr__split_tabs(line, f, 3) != 3 || (asn = strtoul(f[0], &end, 10)) == 0 ||
            *end != '\0' || asn > UINT32_MAX || f[2][0] == '\0') {
            ld->oom |= idr__loader_warn(
                ld, "%s: entry %zu ignored (needs ASN, organisation, source)", path,
                lineno);
            continue;
        }
        g->mobile[g->n_mobile++] = (uint32_t)asn;
    }
    idr__free(ld->al, text);
    if (g->n_mobile > 0) {
        // n_mobile > 0 implies mobile was allocated.
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        qsort(g->mobile, g->n_mobile, sizeof *g->mobile, cmp_u32);
        idr__data_entry d = {
            .name = "mobile_asns",
            .type = "list",
            .version = version,
            .attribution = "idrisk curated mobile-operator ASN list; a source per entry "
                           "(data/mobile_asns.tsv)",
        };
        ld->oom |= idr__loader_add_data(ld, &d) != IDR_OK;
    }
}

void idr__geo_classify_asn(const idr__geo *g, idr__ip_info *info) {
    if (info->asn && g->n_mobile) {
        info->mobile_carrier = bsearch(&info->asn, g->mobile, g->n_mobile,
                                       sizeof *g->mobile, cmp_u32) != NULL;
    }
    if (info->asn && g->n_classes) {
        asn_class key = {.asn = info->asn};
        const asn_class *c =
            bsearch(&key, g->classes, g->n_classes, sizeof key, cmp_class);
        if (c) {
            info->asn_class = c->cls;
            info->asn_class_source = c->source;
        }
    }
}

/* The list's match for `text`, or the built-in name when `builtin` occurs in it (the
 * indicator's own name for the operator, which needs no list). */
static idr__operator_match
operator_in(const idr__geo *g, const char *text, const char *builtin) {
    idr__operator_match m = {0};
    const char *src = NULL;
    const char *op = text ? idr__geo_operator_match(g, text, &src) : NULL;
    if (op) {
        m.name = op;
        m.source = src;
        m.text = text;
    } else if (text && builtin && strstr(text, builtin)) {
        m.name = builtin;
        m.text = text;
    }
    return m;
}

/* "astrill" is matched directly in vpn_client and provider_name, as the indicator has
 * always done (data/astrill.tsv says so); the list adds its other names to
 * provider_name and is the only source for the network's registered names. */
void idr__geo_match_operators(idr__enrichment *en) {
    static const char builtin[] = "astrill";
    const idr__geo *g = en->m->geo;
    const idr_candidate *c = en->c;
    for (size_t i = 0; en->net && i < c->n_sessions; i++) {
        idr__session_net *net = &en->net[i];
        const char *client = c->sessions[i].vpn_client; /* lower-cased by the parser */
        if (client && strstr(client, builtin)) {
            const char *src = NULL;
            net->client.name = builtin;
            net->client.text = client;
            net->client.source = idr__geo_operator_match(g, builtin, &src) ? src : NULL;
        }
        if (!en->ips) {
            continue;
        }
        const idr__ip_info *in = &en->ips[i];
        net->provider = operator_in(g, in->anon_provider, builtin);
        const char *names[] = {in->asn_org, in->isp, in->organization};
        for (size_t k = 0; k < 3 && !net->network.name; k++) {
            net->network = operator_in(g, names[k], NULL);
        }
    }
}
