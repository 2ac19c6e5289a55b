/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mmdb.c - the MaxMind databases of the IP module: opening and identifying each .mmdb,
 * reading records on fixed paths, lookups, and idr__geo_check_file. The only file in
 * idrisk that includes maxminddb.h; the rest of the module sees an opaque idr__geo_db.
 *
 * Design
 *  - Each file is identified by its metadata database_type (MaxMind's published
 *    names), else by probing the keys of the first record reached in its search tree
 *    (the flat ip-location-db layouts carry types such as "city ipv4"). A file that
 *    fails to open, whose tree cannot be walked or whose record cannot be read is
 *    refused with the reason; an unrecognised type is refused too. Nothing a file
 *    contains can crash the loader: every MMDB_ status is checked.
 *  - Per lookup nothing is allocated apart from the copies of the strings kept in the
 *    result's arena: fields are read with MMDB_aget_value on fixed paths (never the
 *    entry-data lists, which allocate).
 *  - Answers are merged by group in file-name order: the first database that answers
 *    gives the whole location group (country..time zone), the first ASN/ISP database
 *    the AS number and names; anonymizer flags are OR-ed (a true from any database
 *    wins; an anonymizer database that has no record says "false").
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/geo/geo_internal.h"

#include <ctype.h>
#include <maxminddb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char *const idr__geo_kind_names[] = {
    "unknown",    "location",   "location",        "asn",     "isp",
    "anonymizer", "anonymizer", "connection_type", "ip_risk", "residential_proxy"};

struct idr__geo_db {
    const idr__alloc *al; /* this struct and its names */
    MMDB_s mmdb;
    geo_kind kind;
    char *file; /* file name in the data directory */
    char *name; /* file name without .mmdb */
};

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

/* Groups already answered for one address (first database wins per group). */
enum {
    G_LOC = 1u << 0,
    G_ASN = 1u << 1,
    G_ISP = 1u << 2,
    G_CONN = 1u << 3,
    G_PROV = 1u << 4
};

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
            get_num(e, PATH("location", "longitude"), &lon) &&
            idr__geo_valid_lat_lon(lat, lon)) {
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
            idr__geo_valid_lat_lon(lat, lon)) {
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
idr__ip idr__geo_unmap_ip(const idr__ip *ip) {
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
    idr__ip unmapped = idr__geo_unmap_ip(ip_in);
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
static int read_all(const idr__alloc *al, MMDB_entry_s *e, geo_kind kind) {
    idr__arena *a = idr__arena_new(al, 1024);
    if (!a) {
        return MMDB_OUT_OF_MEMORY_ERROR;
    }
    idr__ip_info info;
    unsigned got = 0;
    idr__geo_info_init(&info);
    read_record(kind, e, &info, a, &got);
    bool oom = idr__arena_failed(a);
    idr__arena_free(a);
    if (oom) {
        return MMDB_OUT_OF_MEMORY_ERROR;
    }
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
static int db_open(const char *path, idr__geo_db *db, char *why, size_t n) {
    int rc = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb);
    if (rc == MMDB_OUT_OF_MEMORY_ERROR) {
        return -1; /* `why` stays empty: out of memory, not a bad file */
    }
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
        rc = read_all(db->al, &e, k);
    } else if (rc == MMDB_SUCCESS) {
        db->kind = kind_from_type(db->mmdb.metadata.database_type);
    }
    if (rc != MMDB_SUCCESS) {
        if (rc != MMDB_OUT_OF_MEMORY_ERROR) {
            snprintf(why, n, "is corrupt (%s)", MMDB_strerror(rc));
        }
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
    idr__geo_db db;
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
    idr__arena *a = idr__arena_new(NULL, 1024);
    for (size_t i = 0; a && i < sizeof probes / sizeof probes[0]; i++) {
        idr__ip ip;
        MMDB_lookup_result_s res;
        if (!idr__parse_ip(probes[i], &ip) || db_lookup(&db.mmdb, &ip, &res) != 1) {
            continue;
        }
        for (int k = GEO_LOCATION; k <= GEO_RESPROXY; k++) {
            idr__ip_info info;
            unsigned got = 0;
            idr__geo_info_init(&info);
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
    return idr__geo_kind_names[k];
}

idr__geo_db *idr__geo_db_open(
    const idr__alloc *al, const char *path, const char *fname, char *why, size_t n) {
    if (n > 0) {
        why[0] = '\0';
    }
    idr__geo_db *db = idr__calloc(al, 1, sizeof *db);
    if (!db) {
        return NULL;
    }
    db->al = al;
    if (db_open(path, db, why, n) != 0) {
        idr__free(al, db);
        return NULL;
    }
    db->file = idr__strdup(al, fname);
    db->name = idr__strndup(al, fname, strlen(fname) - 5);
    if (!db->file || !db->name) {
        if (n > 0) {
            why[0] = '\0';
        }
        idr__geo_db_close(db);
        return NULL;
    }
    return db;
}

void idr__geo_db_close(idr__geo_db *db) {
    if (!db) {
        return;
    }
    MMDB_close(&db->mmdb);
    idr__free(db->al, db->file);
    idr__free(db->al, db->name);
    idr__free(db->al, db);
}

geo_kind idr__geo_db_kind(const idr__geo_db *db) {
    return db->kind;
}

const char *idr__geo_db_name(const idr__geo_db *db) {
    return db->name;
}

const char *idr__geo_db_type(const idr__geo_db *db) {
    return db->mmdb.metadata.database_type;
}

uint64_t idr__geo_db_build_epoch(const idr__geo_db *db) {
    return db->mmdb.metadata.build_epoch;
}

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
    case GEO_ANON:
    case GEO_ANON_PLUS:
    case GEO_RISK:
    case GEO_RESPROXY:
    case GEO_UNKNOWN:
    default:
        return false; /* anonymizer flags are OR-ed over every database */
    }
}

void idr__geo_lookup_dbs(const idr__geo *g,
                         const idr__ip *ip,
                         idr__ip_info *info,
                         idr__arena *a) {
    unsigned got = 0;
    for (size_t d = 0; d < g->n_dbs; d++) {
        const idr__geo_db *db = g->dbs[d];
        if (kind_done(db->kind, got)) {
            continue;
        }
        MMDB_lookup_result_s res;
        int r = db_lookup(&db->mmdb, ip, &res);
        if (r < 0) {
            continue;
        }
        if (r == 1) {
            info->looked_up = true;
        }
        read_record(db->kind, r == 1 ? &res.entry : NULL, info, a, &got);
    }
}

void idr__geo_db_query(const idr__geo_db *db,
                       const idr__ip *ip,
                       idr__ip_info *one,
                       idr__arena *a,
                       idr__geo_db_answer *ans) {
    MMDB_lookup_result_s res;
    memset(ans, 0, sizeof *ans);
    ans->prefix_len = -1;
    idr__geo_info_init(one);
    ans->found = db_lookup(&db->mmdb, ip, &res);
    if (ans->found < 0) {
        ans->skipped = ip->family == 6 && db->mmdb.metadata.ip_version == 4
                           ? "IPv6 address in an IPv4-only database"
                           : "lookup failed";
        return;
    }
    if (ans->found == 0) {
        return;
    }
    int prefix = res.netmask;
    if (ip->family == 4 && db->mmdb.metadata.ip_version == 6) {
        prefix -= 96;
    }
    ans->prefix_len = prefix >= 0 ? prefix : -1;
    unsigned got = 0;
    read_record(db->kind, &res.entry, one, a, &got);
    ans->has_risk =
        db->kind == GEO_RISK && get_num(&res.entry, PATH("ip_risk"), &ans->ip_risk);
}
