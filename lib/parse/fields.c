/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fields.c - the shape of an `idrisk.candidate/1` record as data: one field table per
 * object of the contract, and the "absent" value of every field.
 *
 * Each fspec names a key, its kind and where its value goes (offsets into the typed
 * struct of lib/model/model.h); each ospec gathers one object's fields. Pass 2
 * (extract.c) walks these tables, so adding a field of the contract is a line here
 * plus the member in model.h. Values with their own grammar point to a special.c
 * parser (K_SPECIAL). The same tables give every struct its defaults (init_obj).
 */
#include "parse/parser.h"

#include <math.h>
#include <pthread.h>
#include <string.h>

/* Field-table shorthands. T is the struct the offsets are relative to. */
#define F(T, key, kd, m)                                                                 \
    { key, kd, offsetof(T, m), NO_OFF, NULL, 0, 0, 0, 0 }
#define FNUM(T, key, m, lo, hi)                                                          \
    { key, K_NUM, offsetof(T, m), NO_OFF, NULL, lo, hi, 0, 0 }
#define FINT(T, key, kd, m, lo, hi, def)                                                 \
    { key, kd, offsetof(T, m), NO_OFF, NULL, lo, hi, def, 0 }
#define FENUM(T, key, m, names)                                                          \
    { key, K_ENUM, offsetof(T, m), NO_OFF, names, 0, 0, 0, 0 }
#define FENUMN(T, key, m, nm, names)                                                     \
    { key, K_ENUM, offsetof(T, m), offsetof(T, nm), names, 0, 0, 0, 0 }
#define FOBJ(T, key, m, spec)                                                            \
    { key, K_OBJ, offsetof(T, m), NO_OFF, &(spec), 0, 0, 0, 0 }
#define FOBJ0(key, spec)                                                                 \
    { key, K_OBJ, 0, NO_OFF, &(spec), 0, 0, 0, 0 }
#define FARR(T, key, m, nm, spec)                                                        \
    { key, K_ARR, offsetof(T, m), offsetof(T, nm), &(spec), 0, 0, 0, 0 }
#define FSPEC(T, key, m, m2, fn)                                                         \
    { key, K_SPECIAL, offsetof(T, m), m2, (const void *)(fn), 0, 0, 0, 0 }
#define OSPEC(fields, T, present, strf, chk)                                             \
    { fields, COUNT(fields), sizeof(T), present, strf, chk }

/* Closed enums: the contract's spellings, in the order of the idr__* enum members
 * after *_NONE (value = index + 1). NULL-terminated. */
static const char *const eng_types[] = {"employee", "contractor", "eor_contractor",
                                        "agency", NULL};
static const char *const doc_types[] = {
    "passport",         "drivers_license", "state_id", "national_id",
    "residence_permit", "ssn_card",        "visa",     "work_permit",
    "diploma",          "other",           NULL};
static const char *const line_types[] = {"mobile",         "landline",  "fixed_voip",
                                         "non_fixed_voip", "toll_free", "prepaid",
                                         "unknown",        NULL};
static const char *const events[] = {
    "application", "interview", "assessment", "onboarding", "login", "other", NULL};
static const char *const pay_methods[] = {"bank_account", "paypal", "payoneer", "wise",
                                          "crypto",       "check",  "other",    NULL};
static const char *const payee_types[] = {"individual", "company", NULL};
static const char *const modes[] = {"video", "phone", "in_person", "chat", NULL};
static const char *const liveness[] = {"passed", "failed", "refused", "not_done", NULL};
static const char *const locq[] = {"passed", "failed", "not_asked", NULL};
static const char *const consistency[] = {"consistent", "inconsistent", "not_assessed",
                                          NULL};
static const char *const profile_kinds[] = {"github", "linkedin", "portfolio", "other",
                                            NULL};

_Static_assert(
    sizeof(idr__eng_type) == sizeof(int) && sizeof(idr__doc_type) == sizeof(int) &&
        sizeof(idr__line_type) == sizeof(int) && sizeof(idr__event) == sizeof(int) &&
        sizeof(idr__pay_method) == sizeof(int) &&
        sizeof(idr__payee_type) == sizeof(int) && sizeof(idr__mode) == sizeof(int) &&
        sizeof(idr__liveness) == sizeof(int) && sizeof(idr__locq) == sizeof(int) &&
        sizeof(idr__resume_consistency) == sizeof(int) &&
        sizeof(idr__profile_kind) == sizeof(int),
    "enum fields are stored as int");

/* Address */
static const fspec address_f[] = {
    F(idr__address, "line1", K_STR, line1),
    F(idr__address, "line2", K_STR, line2),
    F(idr__address, "city", K_STR, city),
    F(idr__address, "region", K_STR, region),
    F(idr__address, "postal_code", K_STR, postal_code),
    F(idr__address, "country", K_COUNTRY, country),
    FNUM(idr__address, "lat", lat, -90, 90),
    FNUM(idr__address, "lon", lon, -180, 180),
    F(idr__address, "cmra", K_TRI, cmra),
    F(idr__address, "residential", K_TRI, residential),
};
static const ospec address_s =
    OSPEC(address_f, idr__address, offsetof(idr__address, present), NULL, NULL);

/* engagement */
static const fspec engagement_f[] = {
    FENUM(idr__engagement, "type", type, eng_types),
    F(idr__engagement, "declared_work_country", K_COUNTRY, declared_work_country),
    F(idr__engagement, "staffing_firm", K_STR, staffing_firm),
    F(idr__engagement, "role_title", K_STR, role_title),
    F(idr__engagement, "start_date", K_DATE, start_date),
    F(idr__engagement, "offer_accepted_at", K_INSTANT, offer_accepted_at),
};
static const ospec engagement_s =
    OSPEC(engagement_f, idr__engagement, NO_OFF, NULL, NULL);

/* identity */
static const fspec identity_f[] = {
    F(idr__identity, "full_name", K_STR, full_name),
    F(idr__identity, "aliases", K_STRV, aliases),
    F(idr__identity, "household", K_STRV, household),
    F(idr__identity, "date_of_birth", K_DATE, date_of_birth),
    FSPEC(idr__identity, "ssn", ssn, NO_OFF, idr__parse_sp_ssn),
    FOBJ(idr__identity, "residence", residence, address_s),
    FSPEC(idr__identity, "timezone", timezone, NO_OFF, idr__parse_sp_timezone),
    FSPEC(idr__identity,
          "photo_phash",
          photo_phash,
          offsetof(idr__identity, has_phash),
          idr__parse_sp_phash),
};
static const ospec identity_s = OSPEC(identity_f, idr__identity, NO_OFF, NULL, NULL);

/* documents[] */
static const fspec verification_f[] = {
    F(idr__verification, "provider", K_STR, provider),
    F(idr__verification, "checked_at", K_INSTANT, checked_at),
    F(idr__verification, "authentic", K_TRI, authentic),
    F(idr__verification, "tamper_detected", K_TRI, tamper_detected),
    F(idr__verification, "photo_replaced", K_TRI, photo_replaced),
    F(idr__verification, "liveness_passed", K_TRI, liveness_passed),
    FNUM(idr__verification, "face_match_score", face_match_score, 0, 1),
    FNUM(idr__verification, "synthetic_face_score", synthetic_face_score, 0, 1),
    F(idr__verification, "issuer_record_match", K_TRI, issuer_record_match),
};
static const ospec verification_s = OSPEC(
    verification_f, idr__verification, offsetof(idr__verification, present), NULL, NULL);

static const fspec document_f[] = {
    FENUMN(idr__document, "type", type, type_name, doc_types),
    F(idr__document, "issuing_country", K_COUNTRY, issuing_country),
    F(idr__document, "issuing_region", K_STR, issuing_region),
    FSPEC(idr__document, "number", number_hash, NO_OFF, idr__parse_sp_hashed),
    F(idr__document, "full_name", K_STR, full_name),
    F(idr__document, "date_of_birth", K_DATE, date_of_birth),
    F(idr__document, "issued", K_DATE, issued),
    F(idr__document, "expires", K_DATE, expires),
    FOBJ(idr__document, "verification", verification, verification_s),
};
static const ospec document_s = OSPEC(document_f, idr__document, NO_OFF, NULL, NULL);

/* contacts */
static const fspec email_f[] = {
    F(idr__email, "address", K_STR, address),
    F(idr__email, "first_seen", K_DATE, first_seen),
    F(idr__email, "verified", K_TRI, verified),
};
static const ospec email_s = OSPEC(email_f, idr__email, NO_OFF, "address", NULL);

static const fspec phone_f[] = {
    F(idr__phone, "number", K_STR, number),
    F(idr__phone, "country_hint", K_COUNTRY, country_hint),
    FENUMN(idr__phone, "line_type", line_type, line_type_name, line_types),
    F(idr__phone, "carrier", K_STR, carrier),
    F(idr__phone, "ported_at", K_DATE, ported_at),
    F(idr__phone, "first_seen", K_DATE, first_seen),
};
static const ospec phone_s = OSPEC(phone_f, idr__phone, NO_OFF, "number", NULL);

static const fspec contacts_f[] = {
    FARR(idr__contacts, "emails", emails, n_emails, email_s),
    FARR(idr__contacts, "phones", phones, n_phones, phone_s),
    F(idr__contacts, "messaging", K_STRV_LOWER, messaging),
};
static const ospec contacts_s = OSPEC(contacts_f, idr__contacts, NO_OFF, NULL, NULL);

/* network (its sessions live directly in the candidate) */
static const fspec session_f[] = {
    FSPEC(idr__session, "ip", ip_text, offsetof(idr__session, ip), idr__parse_sp_ip),
    F(idr__session, "at", K_INSTANT, at),
    FENUM(idr__session, "event", event, events),
    F(idr__session, "user_agent", K_STR, user_agent),
    F(idr__session, "device_id", K_STR, device_id),
    F(idr__session, "vpn_client", K_STR_LOWER, vpn_client),
    F(idr__session, "remote_access_tools", K_STRV_LOWER, remote_access_tools),
};
static const ospec session_s =
    OSPEC(session_f, idr__session, NO_OFF, NULL, idr__parse_check_session);

static const fspec network_f[] = {
    FARR(idr_candidate, "sessions", sessions, n_sessions, session_s),
};
static const ospec network_s = OSPEC(network_f, idr_candidate, NO_OFF, NULL, NULL);

/* payment */
static const fspec payee_company_f[] = {
    F(idr__payment, "name", K_STR, payee_company_name),
    F(idr__payment, "jurisdiction", K_STR, payee_company_jurisdiction),
    F(idr__payment, "formed_on", K_DATE, payee_company_formed_on),
};
static const ospec payee_company_s =
    OSPEC(payee_company_f, idr__payment, NO_OFF, NULL, NULL);

static const fspec wallet_f[] = {
    F(idr__wallet, "chain", K_STR, chain),
    F(idr__wallet, "address", K_STR, address),
};
static const ospec wallet_s = OSPEC(wallet_f, idr__wallet, NO_OFF, NULL, NULL);

static const fspec change_f[] = {
    F(idr__pay_change, "at", K_INSTANT, at),
    F(idr__pay_change, "field", K_STR, field),
};
static const ospec change_s = OSPEC(change_f, idr__pay_change, NO_OFF, NULL, NULL);

static const fspec payment_f[] = {
    FENUMN(idr__payment, "method", method, method_name, pay_methods),
    F(idr__payment, "account_holder_name", K_STR, account_holder_name),
    F(idr__payment, "account_country", K_COUNTRY, account_country),
    F(idr__payment, "bank_name", K_STR, bank_name),
    FSPEC(idr__payment, "account_id", account_id_hash, NO_OFF, idr__parse_sp_hashed),
    FENUM(idr__payment, "payee_type", payee_type, payee_types),
    FOBJ0("payee_company", payee_company_s),
    FARR(idr__payment, "crypto_wallets", wallets, n_wallets, wallet_s),
    F(idr__payment, "currency", K_STR_UPPER, currency),
    FARR(idr__payment, "changes", changes, n_changes, change_s),
};
static const ospec payment_s = OSPEC(payment_f, idr__payment, NO_OFF, NULL, NULL);

/* equipment */
static const fspec shipment_f[] = {
    FOBJ(idr__shipment, "address", address, address_s),
    F(idr__shipment, "requested_at", K_INSTANT, requested_at),
    F(idr__shipment, "ship_date", K_DATE, ship_date),
    F(idr__shipment, "recipient_name", K_STR, recipient_name),
    F(idr__shipment, "reason", K_STR, reason),
};
static const ospec shipment_s = OSPEC(shipment_f, idr__shipment, NO_OFF, NULL, NULL);

static const fspec equipment_f[] = {
    FARR(idr__equipment, "shipments", shipments, n_shipments, shipment_s),
    F(idr__equipment, "byod_requested", K_TRI, byod_requested),
};
static const ospec equipment_s = OSPEC(equipment_f, idr__equipment, NO_OFF, NULL, NULL);

/* interviews[] */
static const fspec interview_f[] = {
    F(idr__interview, "at", K_INSTANT, at),
    FENUM(idr__interview, "mode", mode, modes),
    F(idr__interview, "camera_on", K_TRI, camera_on),
    F(idr__interview, "video_issues", K_STRV_LOWER, video_issues),
    FENUM(idr__interview, "liveness_challenge", liveness_challenge, liveness),
    F(idr__interview, "deepfake_suspected", K_TRI, deepfake_suspected),
    F(idr__interview, "reading_answers", K_TRI, reading_answers),
    FENUM(idr__interview, "location_questions", location_questions, locq),
    FENUM(idr__interview, "resume_consistency", resume_consistency, consistency),
    F(idr__interview, "multiple_voices", K_TRI, multiple_voices),
    F(idr__interview, "other_identities_seen", K_TRI, other_identities_seen),
    F(idr__interview, "notes", K_STR, notes),
};
static const ospec interview_s = OSPEC(interview_f, idr__interview, NO_OFF, NULL, NULL);

/* travel[] */
static const fspec travel_f[] = {
    F(idr__travel, "from", K_DATE, from),
    F(idr__travel, "to", K_DATE, to),
    F(idr__travel, "country", K_COUNTRY, country),
    F(idr__travel, "approved", K_TRI, approved),
};
static const ospec travel_s = OSPEC(travel_f, idr__travel, NO_OFF, NULL, NULL);

/* workflow */
static const fspec workflow_f[] = {
    F(idr__workflow, "refused_in_person_i9", K_TRI, refused_in_person_i9),
    F(idr__workflow, "refused_notarization", K_TRI, refused_notarization),
    F(idr__workflow, "refused_background_check", K_TRI, refused_background_check),
    F(idr__workflow, "refused_drug_test", K_TRI, refused_drug_test),
    F(idr__workflow, "prepayment_pressure", K_TRI, prepayment_pressure),
    F(idr__workflow, "off_platform_pressure", K_TRI, off_platform_pressure),
};
static const ospec workflow_s = OSPEC(workflow_f, idr__workflow, NO_OFF, NULL, NULL);

/* work_history */
static const fspec reference_f[] = {
    F(idr__reference, "name", K_STR, name),
    F(idr__reference, "email", K_STR, email),
    F(idr__reference, "phone", K_STR, phone),
};
static const ospec reference_s = OSPEC(reference_f, idr__reference, NO_OFF, NULL, NULL);

static const fspec employer_f[] = {
    F(idr__employer, "name", K_STR, name),
    F(idr__employer, "domain", K_STR_LOWER, domain),
    F(idr__employer, "start", K_DATE, start),
    F(idr__employer, "end", K_DATE, end),
    F(idr__employer, "verified", K_TRI, verified),
    FARR(idr__employer, "references", references, n_references, reference_s),
};
static const ospec employer_s = OSPEC(employer_f, idr__employer, NO_OFF, NULL, NULL);

static const fspec education_f[] = {
    F(idr__education, "institution", K_STR, institution),
    F(idr__education, "degree", K_STR, degree),
    /* 1900..2100: a graduation year outside it is a data-entry error, not a claim. */
    FINT(idr__education, "year", K_INT, year, 1900, 2100, 0),
    F(idr__education, "verified", K_TRI, verified),
};
static const ospec education_s = OSPEC(education_f, idr__education, NO_OFF, NULL, NULL);

static const fspec profile_f[] = {
    FENUMN(idr__profile, "kind", kind, kind_name, profile_kinds),
    F(idr__profile, "url", K_STR, url),
    F(idr__profile, "handle", K_STR, handle),
    F(idr__profile, "created_at", K_DATE, created_at),
    F(idr__profile, "earliest_activity", K_DATE, earliest_activity),
    /* 2^53: the largest integer a JSON number carries exactly. */
    FINT(idr__profile, "followers", K_LLONG, followers, 0, 9007199254740992.0, -1),
};
static const ospec profile_s = OSPEC(profile_f, idr__profile, NO_OFF, NULL, NULL);

static const fspec work_history_f[] = {
    F(idr__work_history, "resume_text", K_STR, resume_text),
    FARR(idr__work_history, "employers", employers, n_employers, employer_s),
    FARR(idr__work_history, "education", education, n_education, education_s),
    FARR(idr__work_history, "profiles", profiles, n_profiles, profile_s),
    F(idr__work_history, "referred_by", K_STR, referred_by),
};
static const ospec work_history_s =
    OSPEC(work_history_f, idr__work_history, NO_OFF, NULL, NULL);

/* post_hire */
static const fspec device_location_f[] = {
    F(idr__device_location, "at", K_INSTANT, at),
    FNUM(idr__device_location, "lat", lat, -90, 90),
    FNUM(idr__device_location, "lon", lon, -180, 180),
    F(idr__device_location, "country", K_COUNTRY, country),
};
static const ospec device_location_s =
    OSPEC(device_location_f, idr__device_location, NO_OFF, NULL, NULL);

static const fspec post_hire_f[] = {
    F(idr__post_hire, "hired_at", K_DATE, hired_at),
    F(idr__post_hire, "endpoint_findings", K_STRV_LOWER, endpoint_findings),
    FARR(idr__post_hire,
         "device_locations",
         device_locations,
         n_device_locations,
         device_location_s),
    FINT(idr__post_hire,
         "unmanaged_device_logins",
         K_LLONG,
         unmanaged_device_logins,
         0,
         9007199254740992.0,
         -1),
    F(idr__post_hire, "identity_holder_complaint", K_TRI, identity_holder_complaint),
    F(idr__post_hire, "different_person_suspected", K_TRI, different_person_suspected),
};
static const ospec post_hire_s = OSPEC(post_hire_f, idr__post_hire, NO_OFF, NULL, NULL);

/* top level */
#define SECTION(key, kd, m, spec, bit)                                                   \
    { key, kd, offsetof(idr_candidate, m), NO_OFF, &(spec), 0, 0, 0, bit }
static const fspec root_f[] = {
    FSPEC(idr_candidate, "schema", candidate_id, NO_OFF, idr__parse_sp_schema),
    FSPEC(
        idr_candidate, "candidate_id", candidate_id, NO_OFF, idr__parse_sp_candidate_id),
    F(idr_candidate, "as_of", K_INSTANT, as_of),
    SECTION("engagement", K_OBJ, engagement, engagement_s, IDR__HAS_ENGAGEMENT),
    SECTION("identity", K_OBJ, identity, identity_s, IDR__HAS_IDENTITY),
    {"documents", K_ARR, offsetof(idr_candidate, documents),
     offsetof(idr_candidate, n_documents), &document_s, 0, 0, 0, IDR__HAS_DOCUMENTS},
    SECTION("contacts", K_OBJ, contacts, contacts_s, IDR__HAS_CONTACTS),
    {"network", K_OBJ, 0, NO_OFF, &network_s, 0, 0, 0, IDR__HAS_NETWORK},
    SECTION("payment", K_OBJ, payment, payment_s, IDR__HAS_PAYMENT),
    SECTION("equipment", K_OBJ, equipment, equipment_s, IDR__HAS_EQUIPMENT),
    {"interviews", K_ARR, offsetof(idr_candidate, interviews),
     offsetof(idr_candidate, n_interviews), &interview_s, 0, 0, 0, IDR__HAS_INTERVIEWS},
    {"accommodations", K_STRV_LOWER, offsetof(idr_candidate, accommodations), NO_OFF,
     NULL, 0, 0, 0, IDR__HAS_ACCOMMODATIONS},
    {"travel", K_ARR, offsetof(idr_candidate, travel), offsetof(idr_candidate, n_travel),
     &travel_s, 0, 0, 0, IDR__HAS_TRAVEL},
    SECTION("workflow", K_OBJ, workflow, workflow_s, IDR__HAS_WORKFLOW),
    SECTION("work_history", K_OBJ, work_history, work_history_s, IDR__HAS_WORK_HISTORY),
    SECTION("post_hire", K_OBJ, post_hire, post_hire_s, IDR__HAS_POST_HIRE),
};
const ospec idr__parse_root =
    OSPEC(root_f, idr_candidate, NO_OFF, NULL, idr__parse_check_root);

/* ---- defaults ------------------------------------------------------------------- */

void idr__parse_init_obj(const ospec *s, char *base) {
    for (size_t i = 0; i < s->n; i++) {
        const fspec *f = &s->f[i];
        char *at = base + f->off;
        switch (f->k) {
        case K_DATE: {
            int32_t v = IDR__DATE_NONE;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_INSTANT: {
            int64_t v = IDR__TIME_NONE;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_TRI:
            *(idr__tri *)at = IDR__UNK;
            break;
        case K_NUM: {
            double v = NAN;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_INT: {
            int v = (int)f->def;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_LLONG: {
            long long v = (long long)f->def;
            memcpy(at, &v, sizeof v);
            break;
        }
        case K_OBJ:
            idr__parse_init_obj(f->aux, at);
            break;
        case K_STR: /* the rest start all-zero: NULL, empty or count 0 */
        case K_STR_LOWER:
        case K_STR_UPPER:
        case K_COUNTRY:
        case K_ENUM:
        case K_STRV:
        case K_STRV_LOWER:
        case K_ARR:
        case K_SPECIAL:
        default:
            break;
        }
    }
}

/*
 * The candidate with every field absent, built once: copying it is cheaper than
 * walking all the tables for every record.
 *
 * Process-wide, not per engine: it is computed from the field tables alone, which are
 * compile-time constants, so every engine (whatever its config, limits or data) would
 * build the same bytes. Thread safety: blank_init writes it exactly once under
 * pthread_once, which orders that write before every return from pthread_once on any
 * thread; nothing writes it afterwards, so concurrent parses copy it without a lock.
 * It holds no pointer (strings NULL, arrays empty), so nothing it owns needs freeing.
 *
 * Not a compile-time initialiser on purpose: the tables are the one statement of which
 * fields have a non-zero "absent" value (dates, instants, tri-states, NaN numbers, -1
 * counts, in nested objects). A hand-written initialiser would repeat two dozen of
 * them, and a field added to a table but forgotten there would silently read as 0
 * (1970-01-01, "false") instead of absent.
 */
static idr_candidate blank;
static pthread_once_t blank_once = PTHREAD_ONCE_INIT;

static void blank_init(void) {
    memset(&blank, 0, sizeof blank);
    idr__parse_init_obj(&idr__parse_root, (char *)&blank);
}

const idr_candidate *idr__parse_blank(void) {
    pthread_once(&blank_once, blank_init);
    return &blank;
}
