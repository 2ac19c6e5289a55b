/* SPDX-License-Identifier: Apache-2.0 */
/*
 * geo.c - the IP module's entry points: opening and closing it (every *.mmdb in the
 * data directory, then the gazetteers and the network lists), enriching one record,
 * the `enrichment` JSON of a result and the idr_engine_lookup_ip answer. The module's
 * other files are listed in geo_internal.h; none of this file touches maxminddb.h.
 *
 * Design
 *  - At engine build, every *.mmdb in the data directory is opened (MMDB_MODE_MMAP,
 *    mmdb.c), in byte order of the file name so the answer never depends on readdir
 *    order. A file that cannot be used is an engine warning naming the file.
 *  - Per record, each session's address is checked against the configured ranges,
 *    looked up in every database (groups merged in file-name order, mmdb.c) and
 *    classified by data/asn_classes.tsv (netlists.c); its distance to the claimed
 *    residence follows once that is resolved (gazetteer.c). Then the facts the network
 *    indicators need and nothing else computes: which VPN operator a session names
 *    (netlists.c) and its local time in the claimed zone (localtime.c), with what the
 *    loaded data can answer (en->geo_caps) copied beside them.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo_internal.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ====================================================================================
 * Small helpers shared by the module's files
 * ================================================================================== */

size_t idr__geo_norm_into(char *out, const char *s) {
    size_t o = 0;
    bool sep = false;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char ch = *p;
        if (ch >= 0x80 || isalnum(ch)) {
            if (sep && o > 0) {
                out[o++] = ' ';
            }
            sep = false;
            out[o++] = (char)(ch < 0x80 ? tolower(ch) : ch);
        } else {
            sep = true;
        }
    }
    out[o] = '\0';
    return o;
}

char *idr__geo_norm_name(idr__arena *a, const char *s) {
    char *out = idr__arena_alloc(a, strlen(s) + 1);
    if (out) {
        idr__geo_norm_into(out, s);
    }
    return out;
}

static void epoch_date(uint64_t epoch, char out[11]) {
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0) {
        snprintf(out, 11, "unknown");
    }
}

void idr__geo_info_init(idr__ip_info *info) {
    memset(info, 0, sizeof *info);
    info->lat = info->lon = NAN;
    info->accuracy_km = -1;
    info->is_anonymous = info->is_vpn = info->is_hosting = info->is_public_proxy =
        info->is_residential_proxy = info->is_tor = IDR__UNK;
    info->anon_confidence = -1;
    info->distance_km = NAN;
}

static const char *mf_str(cJSON *root, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void idr__geo_manifest_load(const char *data_dir,
                            const char *name,
                            idr__geo_manifest *m) {
    memset(m, 0, sizeof *m);
    m->size = -1;
    char path[4096];
    if (snprintf(path, sizeof path, "%s/manifest.d/%s.json", data_dir, name) >=
        (int)sizeof path) {
        return;
    }
    /* Read with the C library: the manifest is optional and gives only version
     * texts, and cJSON's tree is the C library's anyway. */
    char *text = idr__read_file(NULL, path, 1 << 20, NULL);
    if (!text) {
        return;
    }
    m->root = cJSON_Parse(text);
    idr__free(NULL, text);
    if (m->root) {
        m->version = mf_str(m->root, "version");
        m->license = mf_str(m->root, "license");
        m->attribution = mf_str(m->root, "attribution");
        m->build_date = mf_str(m->root, "build_date");
        m->type = mf_str(m->root, "type");
        m->sha256 = mf_str(m->root, "sha256");
        const cJSON *sz = cJSON_GetObjectItemCaseSensitive(m->root, "size");
        m->size =
            cJSON_IsNumber(sz) && sz->valuedouble >= 0 ? (long long)sz->valuedouble : -1;
    }
}

void idr__geo_manifest_free(idr__geo_manifest *m) {
    cJSON_Delete(m->root);
    m->root = NULL;
}

char *idr__geo_next_line(char **cursor) {
    while (*cursor && **cursor) {
        char *line = *cursor;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            *cursor = nl + 1;
        } else {
            *cursor = line + strlen(line);
        }
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

char *idr__geo_next_line_n(char **cur, unsigned *lineno) {
    while (*cur && **cur) {
        char *line = *cur;
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            *cur = nl + 1;
        } else {
            *cur = line + strlen(line);
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

/* ====================================================================================
 * Engine lifecycle
 * ================================================================================== */

static int mmdb_filter(const struct dirent *d) {
    size_t n = strlen(d->d_name);
    return n > 5 && d->d_name[0] != '.' && strcmp(d->d_name + n - 5, ".mmdb") == 0;
}

static int name_cmp(const struct dirent **a, const struct dirent **b) {
    return strcmp((*a)->d_name, (*b)->d_name);
}

void idr__geo_close(idr__geo *g) {
    if (!g) {
        return;
    }
    for (size_t i = 0; i < g->n_dbs; i++) {
        // n_dbs > 0 implies dbs was allocated.
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
        idr__geo_db_close(g->dbs[i]);
    }
    idr__free(g->al, g->dbs);
    idr__geo_free_gazetteers(g);
    idr__free(g->al, g->classes);
    idr__free(g->al, g->ops);
    idr__free(g->al, g->mobile);
    idr__arena_free(g->arena);
    idr__free(g->al, g);
}

int idr__geo_open(idr__loader *ld, idr__geo **out, const char **why) {
    *out = NULL;
    *why = NULL;
    if (!ld->data_dir || !ld->data_dir[0]) {
        *why = "no data directory is configured (set IDRISK_DATA_DIR or --data-dir, "
               "then run `idrisk data fetch`)";
        return IDR_OK;
    }
    idr__geo *g = idr__calloc(ld->al, 1, sizeof *g);
    if (!g || !(g->arena = idr__arena_new(ld->al, 1u << 16))) {
        idr__free(ld->al, g);
        return IDR_ENOMEM;
    }
    g->al = ld->al;
    struct dirent **list = NULL;
    int n = scandir(ld->data_dir, &list, mmdb_filter, name_cmp);
    if (n < 0 && errno == ENOMEM) {
        idr__geo_close(g); /* scandir's own allocation failed */
        return IDR_ENOMEM;
    }
    if (n < 0) {
        const char *e = strerror(errno);
        idr__geo_close(g);
        *why = idr__arena_printf(ld->arena,
                                 "the data directory %s cannot be read (%s); run `idrisk "
                                 "data fetch` or set --data-dir",
                                 ld->data_dir, e);
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    // An array of pointers: sizeof of one element is a pointer size.
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    g->dbs = idr__calloc(g->al, n > 0 ? (size_t)n : 1, sizeof *g->dbs);
    if (!g->dbs) {
        for (int i = 0; i < n; i++) {
            free(list[i]);
        }
        free(list);
        idr__geo_close(g);
        return IDR_ENOMEM;
    }
    for (int i = 0; i < n; i++) {
        char path[4096], msg[256];
        const char *fname = list[i]->d_name;
        if (snprintf(path, sizeof path, "%s/%s", ld->data_dir, fname) >=
            (int)sizeof path) {
            free(list[i]);
            continue;
        }
        /* The manifest is named after the file without .mmdb (tools/fetch.d). */
        char mname[256];
        snprintf(mname, sizeof mname, "%.*s", (int)(strlen(fname) - 5), fname);
        if (!idr__loader_verify(ld, mname, path)) {
            free(list[i]); /* scandir's, the C library's */
            continue;
        }
        idr__geo_db *db = idr__geo_db_open(g->al, path, fname, msg, sizeof msg);
        free(list[i]); /* scandir's, the C library's */
        if (!db && !msg[0]) {
            for (int j = i + 1; j < n; j++) {
                free(list[j]);
            }
            free(list);
            idr__geo_close(g);
            return IDR_ENOMEM;
        }
        if (!db) {
            if (idr__loader_warn(ld, "IP database %s %s; it is not used", path, msg)) {
                ld->oom = true;
            }
            continue;
        }
        g->dbs[g->n_dbs++] = db;
        geo_kind kind = idr__geo_db_kind(db);
        const char *name = idr__geo_db_name(db);
        switch (kind) {
        case GEO_LOCATION:
        case GEO_FLAT_LOCATION:
            g->caps |= IDR__GEO_CAP_LOCATION;
            break;
        case GEO_ASN:
        case GEO_ISP:
            g->caps |= IDR__GEO_CAP_ASN;
            break;
        case GEO_ANON:
        case GEO_ANON_PLUS:
        case GEO_RISK:
        case GEO_RESPROXY:
            g->caps |= IDR__GEO_CAP_ANON;
            break;
        case GEO_CONNECTION: /* connection type is part of no capability */
        case GEO_UNKNOWN:
        default:
            break;
        }
        char date[11];
        epoch_date(idr__geo_db_build_epoch(db), date);
        idr__geo_manifest m;
        idr__geo_manifest_load(ld->data_dir, name, &m);
        idr__data_entry d = {
            .name = name,
            .type = idr__geo_kind_names[kind],
            .version = m.version ? m.version : date,
            .build_date = date,
            .license = m.license,
            .attribution = m.attribution,
        };
        int rc = idr__loader_add_data(ld, &d);
        idr__geo_manifest_free(&m);
        if (rc != IDR_OK) {
            for (int j = i + 1; j < n; j++) {
                free(list[j]);
            }
            free(list);
            idr__geo_close(g);
            return rc;
        }
    }
    free(list);
    if (g->n_dbs == 0) {
        idr__geo_close(g);
        *why = "no IP database (.mmdb) could be loaded from the data directory (run "
               "`idrisk data fetch`)";
        return IDR_OK;
    }
    idr__geo_load_zips(ld, g);
    idr__geo_load_cities(ld, g);
    idr__geo_load_asn_classes(ld, g);
    idr__geo_load_operators(ld, g);
    idr__geo_load_mobile(ld, g);
    if (!(g->caps & IDR__GEO_CAP_LOCATION) &&
        idr__loader_warn(ld, "no IP location database is loaded: location indicators "
                             "are not evaluated")) {
        ld->oom = true;
    }
    if (ld->oom || idr__arena_failed(g->arena)) {
        idr__geo_close(g);
        return IDR_ENOMEM;
    }
    *out = g;
    return IDR_OK;
}

unsigned idr__geo_caps(const idr__geo *g) {
    return g ? g->caps : 0;
}

/* ====================================================================================
 * Enrichment
 * ================================================================================== */

static void
lookup_all(const idr__geo *g, const idr__ip *ip, idr__ip_info *info, idr__arena *a) {
    idr__geo_lookup_dbs(g, ip, info, a);
    idr__geo_classify_asn(g, info);
}

int idr__geo_enrich(idr__enrichment *en) {
    const idr_candidate *c = en->c;
    const idr__geo *g = en->m->geo;
    en->geo_loaded = g != NULL;
    en->geo_unavailable = g ? NULL : en->m->geo_unavailable;
    en->geo_caps = idr__geo_caps(g);
    if (!en->net) {
        en->net = idr__arena_calloc(en->arena, (c->n_sessions + 1) * sizeof *en->net);
        if (!en->net) {
            return IDR_ENOMEM;
        }
    }
    for (size_t i = 0; en->ips && i < c->n_sessions; i++) {
        idr__ip_info *info = &en->ips[i];
        idr__geo_info_init(info);
        const idr__ip *ip = &c->sessions[i].ip;
        if (ip->family == 0) {
            continue;
        }
        idr__geo_apply_ranges(en->m, ip, info);
        if (g) {
            lookup_all(g, ip, info, en->arena);
        }
    }
    idr__geo_fill_distances(en);
    idr__geo_match_operators(en);
    return idr__geo_local_times(en);
}

/* ====================================================================================
 * JSON
 * ================================================================================== */

static void tri_json(idr__jw *w, const char *key, idr__tri t) {
    if (t != IDR__UNK) {
        idr__jw_bool(w, key, t == 1);
    }
}

/* The fields of one idr__ip_info that are known (absent ones are left out). */
static void info_json(idr__jw *w, const idr__ip_info *info) {
    if (info->country[0]) {
        idr__jw_str(w, "country", info->country);
    }
    if (info->region) {
        idr__jw_str(w, "region", info->region);
    }
    if (info->city) {
        idr__jw_str(w, "city", info->city);
    }
    if (info->postal_code) {
        idr__jw_str(w, "postal_code", info->postal_code);
    }
    if (!isnan(info->lat)) {
        idr__jw_num(w, "lat", info->lat);
        idr__jw_num(w, "lon", info->lon);
    }
    if (info->accuracy_km >= 0) {
        idr__jw_int(w, "accuracy_km", info->accuracy_km);
    }
    if (info->timezone) {
        idr__jw_str(w, "timezone", info->timezone);
    }
    if (info->asn) {
        idr__jw_int(w, "asn", info->asn);
    }
    if (info->asn_org) {
        idr__jw_str(w, "asn_org", info->asn_org);
    }
    if (info->isp) {
        idr__jw_str(w, "isp", info->isp);
    }
    if (info->organization) {
        idr__jw_str(w, "organization", info->organization);
    }
    if (info->connection_type) {
        idr__jw_str(w, "connection_type", info->connection_type);
    }
    tri_json(w, "is_anonymous", info->is_anonymous);
    tri_json(w, "is_vpn", info->is_vpn);
    tri_json(w, "is_hosting", info->is_hosting);
    tri_json(w, "is_public_proxy", info->is_public_proxy);
    tri_json(w, "is_residential_proxy", info->is_residential_proxy);
    tri_json(w, "is_tor", info->is_tor);
    if (info->anon_provider) {
        idr__jw_str(w, "anonymizer_provider", info->anon_provider);
    }
    if (info->anon_confidence >= 0) {
        idr__jw_int(w, "anonymizer_confidence", info->anon_confidence);
    }
    if (info->asn_class) {
        idr__jw_str(w, "asn_class", info->asn_class);
        idr__jw_str(w, "asn_class_source", info->asn_class_source);
    }
}

static int tri_int(idr__tri t) {
    return t == IDR__UNK ? -1 : t == 1;
}

/* Copy one session's facts and its address text into `a`, and fill the public form. */
static bool keep_ip(idr__arena *a, idr__ip_entry *en, const char *ip) {
    idr__ip_info *in = &en->info;
    if (!idr__arena_keep(a, &ip) || !idr__arena_keep(a, &in->allow_cidr) ||
        !idr__arena_keep(a, &in->region) || !idr__arena_keep(a, &in->city) ||
        !idr__arena_keep(a, &in->timezone) || !idr__arena_keep(a, &in->postal_code) ||
        !idr__arena_keep(a, &in->asn_org) || !idr__arena_keep(a, &in->isp) ||
        !idr__arena_keep(a, &in->organization) ||
        !idr__arena_keep(a, &in->anon_provider) ||
        !idr__arena_keep(a, &in->connection_type) ||
        !idr__arena_keep(a, &in->asn_class) ||
        !idr__arena_keep(a, &in->asn_class_source)) {
        return false;
    }
    idr_session_info *p = &en->pub;
    p->ip = ip;
    p->looked_up = in->looked_up;
    p->country = in->country[0] ? in->country : NULL;
    p->region = in->region;
    p->city = in->city;
    p->postal_code = in->postal_code;
    p->lat = in->lat;
    p->lon = in->lon;
    p->accuracy_km = in->accuracy_km;
    p->timezone = in->timezone;
    p->asn = in->asn;
    p->asn_org = in->asn_org;
    p->isp = in->isp;
    p->organization = in->organization;
    p->connection_type = in->connection_type;
    p->is_anonymous = tri_int(in->is_anonymous);
    p->is_vpn = tri_int(in->is_vpn);
    p->is_hosting = tri_int(in->is_hosting);
    p->is_public_proxy = tri_int(in->is_public_proxy);
    p->is_residential_proxy = tri_int(in->is_residential_proxy);
    p->is_tor = tri_int(in->is_tor);
    p->anonymizer_provider = in->anon_provider;
    p->anonymizer_confidence = in->anon_confidence;
    p->asn_class = in->asn_class;
    p->asn_class_source = in->asn_class ? in->asn_class_source : NULL;
    /* Rounded as the JSON writes it, so both forms give the same number. */
    p->distance_km = isnan(in->distance_km) ? NAN : round(in->distance_km);
    p->allow_listed = in->allow_listed ? (in->allow_cidr ? in->allow_cidr : "") : NULL;
    p->relay = in->relay ? (in->allow_cidr ? in->allow_cidr : "") : NULL;
    return true;
}

int idr__geo_enrichment_keep(const idr__enrichment *ctx,
                             idr__arena *a,
                             idr__enrichment_view *e) {
    const idr_candidate *c = ctx->c;
    size_t n = ctx->ips ? c->n_sessions : 0;
    if (n > IDR__VIEW_MAX_SESSIONS) {
        e->n_ips_omitted = n - IDR__VIEW_MAX_SESSIONS;
        n = IDR__VIEW_MAX_SESSIONS;
    }
    e->ips = idr__arena_calloc(a, (n + 1) * sizeof *e->ips);
    if (!e->ips) {
        return IDR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        e->ips[i].info = ctx->ips[i];
        if (!keep_ip(a, &e->ips[i], c->sessions[i].ip_text)) {
            return IDR_ENOMEM;
        }
    }
    e->n_ips = n;
    e->residence = ctx->residence;
    e->residence_unresolved = ctx->residence_unresolved;
    idr__geo_point *r = &e->residence;
    if (!idr__arena_keep(a, &r->source) ||
        !idr__arena_keep_cut(a, &r->label, IDR__VIEW_TEXT_MAX) ||
        !idr__arena_keep_cut(a, &e->residence_unresolved, IDR__VIEW_TEXT_MAX)) {
        return IDR_ENOMEM;
    }
    idr_residence_info *p = &e->residence_pub;
    p->known = r->known;
    p->lat = r->known ? r->lat : NAN;
    p->lon = r->known ? r->lon : NAN;
    p->source = r->known ? r->source : NULL;
    p->label = r->known ? r->label : NULL;
    p->why = r->known ? NULL : e->residence_unresolved;
    return IDR_OK;
}

void idr__geo_enrichment_json(const idr__enrichment_view *e, idr__jw *w) {
    idr__jw_arr_begin(w, "ips");
    for (size_t i = 0; i < e->n_ips; i++) {
        const idr__ip_info *info = &e->ips[i].info;
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "ip", e->ips[i].pub.ip);
        idr__jw_bool(w, "looked_up", info->looked_up);
        info_json(w, info);
        if (!isnan(info->distance_km)) {
            idr__jw_num(w, "distance_km", round(info->distance_km));
        }
        if (info->allow_listed) {
            idr__jw_str(w, "allow_listed", info->allow_cidr ? info->allow_cidr : "");
        }
        if (info->relay) {
            idr__jw_str(w, "relay", info->allow_cidr ? info->allow_cidr : "");
        }
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
    if (e->n_ips_omitted) {
        idr__jw_int(w, "ips_omitted", (long long)e->n_ips_omitted);
    }
    idr__jw_obj_begin(w, "residence");
    idr__jw_bool(w, "known", e->residence.known);
    if (e->residence.known) {
        idr__jw_num(w, "lat", e->residence.lat);
        idr__jw_num(w, "lon", e->residence.lon);
        idr__jw_str(w, "source", e->residence.source);
        idr__jw_str(w, "label", e->residence.label);
    } else {
        idr__jw_str(w, "why", e->residence_unresolved);
    }
    idr__jw_obj_end(w);
}

int idr__geo_lookup_json(const idr__modules *eng,
                         const char *ip,
                         char **out,
                         idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, "out", "out must not be NULL");
    }
    *out = NULL;
    idr__ip addr;
    if (!eng || !ip || !idr__parse_ip(ip, &addr)) {
        return idr__err(err, IDR_EINVAL, "ip", "ip is not an IPv4 or IPv6 address");
    }
    addr = idr__geo_unmap_ip(&addr);
    const idr__geo *g = eng->geo;
    if (!g) {
        return idr__err(err, IDR_EUNAVAILABLE, NULL, "no IP database is loaded: %s",
                        eng->geo_unavailable ? eng->geo_unavailable : "unknown reason");
    }
    idr__arena *a = idr__arena_new(g->al, 4096);
    if (!a) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    idr__buf b;
    idr__jw w;
    idr__buf_init(&b, g->al);
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "ip", ip);
    idr__ip_info merged;
    idr__geo_info_init(&merged);
    idr__geo_apply_ranges(eng, &addr, &merged);
    lookup_all(g, &addr, &merged, a);
    idr__jw_obj_begin(&w, "merged");
    idr__jw_bool(&w, "found", merged.looked_up);
    info_json(&w, &merged);
    if (merged.allow_listed) {
        idr__jw_str(&w, "allow_listed", merged.allow_cidr);
    }
    if (merged.relay) {
        idr__jw_str(&w, "relay", merged.allow_cidr);
    }
    idr__jw_obj_end(&w);
    idr__jw_arr_begin(&w, "databases");
    for (size_t d = 0; d < g->n_dbs; d++) {
        const idr__geo_db *db = g->dbs[d];
        idr__ip_info one;
        idr__geo_db_answer ans;
        idr__geo_db_query(db, &addr, &one, a, &ans);
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "name", idr__geo_db_name(db));
        idr__jw_str(&w, "type", idr__geo_kind_names[idr__geo_db_kind(db)]);
        idr__jw_str(&w, "database_type", idr__geo_db_type(db));
        if (ans.found < 0) {
            idr__jw_str(&w, "skipped", ans.skipped);
            idr__jw_obj_end(&w);
            continue;
        }
        idr__jw_bool(&w, "found", ans.found == 1);
        if (ans.found == 1) {
            if (ans.prefix_len >= 0) {
                idr__jw_int(&w, "prefix_len", ans.prefix_len);
            }
            info_json(&w, &one);
            if (ans.has_risk) {
                idr__jw_num(&w, "ip_risk", ans.ip_risk);
            }
        }
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    idr__jw_obj_end(&w);
    bool arena_oom = idr__arena_failed(a); /* a looked-up string not copied */
    idr__arena_free(a);
    if (b.oom || arena_oom) {
        idr__buf_free(&b);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    *out = idr__buf_take(&b, NULL);
    return *out ? IDR_OK : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
}
