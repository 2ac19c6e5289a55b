/* SPDX-License-Identifier: Apache-2.0 */
/*
 * model/model.h - the candidate record, typed (idrisk.candidate/1), and the small value
 * types it is made of: tri-state booleans, dates and instants, countries, IP addresses
 * and CIDR ranges, distances.
 *
 * Layer 1: includes util only. A candidate is parsed once (lib/parse) into these
 * structs, every string and array living in the candidate's one arena.
 *
 * Absent values: strings NULL, tri-state booleans IDR__UNK, dates IDR__DATE_NONE,
 * instants IDR__TIME_NONE, numbers NAN, countries "" (empty), enums 0 (the *_NONE
 * member). A missing field never makes an indicator fire.
 */
#ifndef IDRISK_MODEL_H
#define IDRISK_MODEL_H

#include <math.h>

#include "util/util.h"

/* ====================================================================================
 * Small value types and their parsers (lib/model/values.c, lib/model/country.c). All
 * return true on success.
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
    /* candidate_ids of people the candidate declared as sharing the household (project
     * field, docs/store.md): links between them over addresses are suppressed */
    idr__strv household;
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
    const char *number_hash; /* keyed hash, hex (lib/util/hash.c); never the number */
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
    const char *account_id_hash; /* keyed hash, hex; never the id itself */
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
    uint8_t key_fp[16]; /* fingerprint of the key its identifier hashes were made with */
    unsigned has;       /* IDR__HAS_* */
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
    size_t max_sessions; /* network.sessions only */
} idr__limits;
extern const idr__limits idr__default_limits;

#endif /* IDRISK_MODEL_H */
