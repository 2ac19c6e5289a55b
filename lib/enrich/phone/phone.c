/* SPDX-License-Identifier: Apache-2.0 */
/*
 * phone.c - phone enrichment: what libphonenumber's metadata and offline geocoder say
 * about the candidate's numbers and the references' numbers
 * (lib/enrich/phone/phone_shim.cc does the C++ calls; see docs/phone.md).
 *
 * Sources of truth, strongest first:
 *  1. A carrier lookup the caller ran (the Phone fields `line_type`, `carrier`,
 *     `ported_at`, `first_seen` of the candidate record): it knows the live line, so its
 *     `line_type` wins over the metadata guess and `type_source` says
 *     "carrier_lookup".
 *  2. libphonenumber's metadata: validity and type by number range, the region, and the
 *     offline geocoder's place name. Ranges say what a number was allocated as, not what
 *     it is now (numbers are ported), so `type_source` says "libphonenumber".
 * Carrier names: libphonenumber's carrier mapper is not in Debian's build, and for NANP
 * numbers (+1) prefixes map to places, not carriers (number portability), so idrisk
 * never guesses a carrier; `carrier` is only what the caller's lookup said, and is
 * labelled low confidence.
 *
 * Parse hint: the phone's `country_hint`, else the claimed residence country (a
 * national number is most likely from where the person says they live). Reference
 * numbers are parsed with the residence country too.
 */
#include "enrich/phone/phone.h"
#include "enrich/phone/phone_shim.h"

#include <string.h>

struct idr__phonedb {
    idr__phone_shim *shim;
};

/* The one text that goes with any carrier name idrisk shows. */
#define CARRIER_NOTE                                                                     \
    "low confidence: libphonenumber's carrier data is not in this build and number "     \
    "prefixes map to places, not carriers (NANP numbers move between carriers when "     \
    "ported); only a carrier lookup service knows the current carrier"

/* At most this many numbers (candidate's first, then references') are looked up per
 * record; the rest are listed as not looked up. Each lookup costs tens of
 * microseconds (docs/phone.md), real records carry a handful of numbers, and a 1 MiB
 * hostile record could otherwise carry tens of thousands. */
#define MAX_LOOKUPS  256
#define SKIPPED_TEXT "not looked up: the record has more than 256 phone numbers"

/* libphonenumber's type names as static strings (the fact buffers are on the stack). */
static const char *const metadata_types[] = {
    "mobile",      "fixed_line",      "fixed_line_or_mobile",
    "voip",        "toll_free",       "premium_rate",
    "shared_cost", "personal_number", "pager",
    "uan",         "voicemail",       "unknown",
    NULL};

static const char *intern_type(const char *t) {
    for (size_t i = 0; metadata_types[i]; i++) {
        if (strcmp(metadata_types[i], t) == 0) {
            return metadata_types[i];
        }
    }
    return "unknown";
}

int idr__phone_open(idr__loader *ld, idr__phonedb **out, const char **why) {
    *out = NULL;
    idr__phonedb *p = idr__arena_calloc(ld->arena, sizeof *p);
    if (!p) {
        return IDR_ENOMEM;
    }
    char reason[160] = "";
    int rc = idr__phone_shim_new(&p->shim, reason, sizeof reason);
    if (rc == IDR_ENOMEM) {
        return rc;
    }
    if (rc != IDR_OK) {
        *why = idr__arena_strdup(ld->arena,
                                 reason[0] ? reason : "libphonenumber failed to start");
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    const idr__data_entry d = {
        .name = "libphonenumber",
        .type = "phone number metadata and offline geocoder",
        /* The shared library's soname series (libphonenumber.so.8.12); the C++ API has
         * no runtime version call. */
        .version = "8.12",
        .build_date = NULL,
        .license = "Apache-2.0",
        .attribution = "Google libphonenumber (Debian packages libphonenumber8 and its "
                       "libgeocoding); no carrier data",
    };
    rc = idr__loader_add_data(ld, &d);
    if (rc != IDR_OK) {
        idr__phone_shim_free(p->shim);
        return rc;
    }
    *out = p;
    return IDR_OK;
}

void idr__phone_close(idr__phonedb *p) {
    if (p) {
        idr__phone_shim_free(p->shim);
        p->shim = NULL;
    }
}

/* A line type the caller's carrier lookup decided (anything but absent/unknown). */
static bool lookup_decides(const idr__phone *ph) {
    return ph && ph->line_type != IDR__LINE_NONE && ph->line_type != IDR__LINE_UNKNOWN &&
           ph->line_type_name;
}

/* Fill one entry. `ph` is the candidate's Phone (NULL for a reference number). Only
 * ENOMEM is an error; a number libphonenumber rejects is an unparsed entry. */
static int fill(const idr__phonedb *db,
                idr__arena *a,
                const char *number,
                const char *hint,
                const idr__phone *ph,
                size_t *budget,
                idr__phone_info *out) {
    out->valid = out->possible = IDR__UNK;
    out->hint = hint && hint[0] ? hint : NULL;
    if (lookup_decides(ph)) {
        out->type = ph->line_type_name;
        out->type_source = "carrier_lookup";
    }
    if (ph && ph->carrier) {
        out->carrier = ph->carrier;
    }
    if (!number || *budget == 0) {
        return IDR_OK;
    }
    --*budget;
    idr__phone_fact f;
    int rc = idr__phone_shim_lookup(db->shim, number, strlen(number), out->hint, 0, &f);
    if (rc == IDR_ENOMEM) {
        return rc;
    }
    if (rc != IDR_OK) {
        out->error = idr__arena_strdup(a, f.error);
        return out->error ? IDR_OK : IDR_ENOMEM;
    }
    out->parsed = true;
    out->valid = f.valid ? 1 : 0;
    out->possible = f.possible ? 1 : 0;
    out->e164 = idr__arena_strdup(a, f.e164);
    out->metadata_type = intern_type(f.type);
    out->region = f.region[0] ? idr__arena_strdup(a, f.region) : NULL;
    out->area = f.area[0] ? idr__arena_strdup(a, f.area) : NULL;
    if (!out->e164 || (f.region[0] && !out->region) || (f.area[0] && !out->area)) {
        return IDR_ENOMEM;
    }
    if (!out->type) {
        out->type = out->metadata_type;
        out->type_source = "libphonenumber";
    }
    return IDR_OK;
}

int idr__phone_enrich(idr__enrichment *ctx) {
    const idr_candidate *c = ctx->c;
    const idr__work_history *wh = &c->work_history;
    size_t n_ref = 0;
    for (size_t e = 0; e < wh->n_employers; e++) {
        n_ref += wh->employers[e].n_references;
    }
    ctx->ref_phones =
        idr__arena_calloc(ctx->arena, (n_ref + 1) * sizeof *ctx->ref_phones);
    if (!ctx->ref_phones) {
        return IDR_ENOMEM;
    }
    ctx->n_ref_phones = n_ref;
    for (size_t i = 0; i < n_ref; i++) {
        ctx->ref_phones[i].valid = ctx->ref_phones[i].possible = IDR__UNK;
    }
    const idr__phonedb *db = ctx->m->phone;
    if (!db) {
        return IDR_OK;
    }
    const char *home =
        c->identity.residence.country[0] ? c->identity.residence.country : NULL;
    size_t budget = MAX_LOOKUPS;
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        const idr__phone *ph = &c->contacts.phones[i];
        const char *hint = ph->country_hint[0] ? ph->country_hint : home;
        int rc = fill(db, ctx->arena, ph->number, hint, ph, &budget, &ctx->phones[i]);
        if (rc != IDR_OK) {
            return rc;
        }
    }
    size_t k = 0;
    for (size_t e = 0; e < wh->n_employers; e++) {
        for (size_t r = 0; r < wh->employers[e].n_references; r++, k++) {
            int rc = fill(db, ctx->arena, wh->employers[e].references[r].phone, home,
                          NULL, &budget, &ctx->ref_phones[k]);
            if (rc != IDR_OK) {
                return rc;
            }
        }
    }
    return IDR_OK;
}

static void tri(idr__jw *w, const char *key, idr__tri v) {
    if (v == IDR__UNK) {
        idr__jw_null(w, key);
    } else {
        idr__jw_bool(w, key, v == 1);
    }
}

/* The members every phone object shares (enrichment and references). */
static void info_members(idr__jw *w, const char *number, const idr__phone_info *in) {
    idr__jw_str(w, "number", number);
    idr__jw_bool(w, "parsed", in->parsed);
    idr__jw_str(w, "parsed_with", in->hint);
    idr__jw_str(w, "e164", in->e164);
    tri(w, "valid", in->valid);
    tri(w, "possible", in->possible);
    idr__jw_str(w, "type", in->type);
    idr__jw_str(w, "type_source", in->type_source);
    idr__jw_str(w, "metadata_type", in->metadata_type);
    idr__jw_str(w, "region", in->region);
    idr__jw_str(w, "area", in->area);
    idr__jw_str(w, "carrier", in->carrier);
    if (in->carrier) {
        idr__jw_str(w, "carrier_source", "carrier_lookup");
        idr__jw_str(w, "carrier_confidence", "low");
    }
    if (in->error) {
        idr__jw_str(w, "error", in->error);
    } else if (number && !in->parsed) {
        idr__jw_str(w, "error", SKIPPED_TEXT);
    }
}

static int tri_int(idr__tri t) {
    return t == IDR__UNK ? -1 : t == 1;
}

/* Copy one number's facts and the candidate's texts into `a`, and fill the public
 * form. `employer` and `reference` are NULL for the candidate's own phones. */
static bool keep_phone(idr__arena *a,
                       idr__phone_entry *en,
                       const char *number,
                       const char *employer,
                       const char *reference) {
    idr__phone_info *in = &en->info;
    if (!idr__arena_keep_cut(a, &number, IDR__VIEW_TEXT_MAX) ||
        !idr__arena_keep_cut(a, &employer, IDR__VIEW_TEXT_MAX) ||
        !idr__arena_keep_cut(a, &reference, IDR__VIEW_TEXT_MAX) ||
        !idr__arena_keep(a, &in->e164) || !idr__arena_keep(a, &in->type) ||
        !idr__arena_keep(a, &in->region) || !idr__arena_keep(a, &in->area) ||
        !idr__arena_keep(a, &in->carrier) || !idr__arena_keep(a, &in->type_source) ||
        !idr__arena_keep(a, &in->error) || !idr__arena_keep(a, &in->metadata_type) ||
        !idr__arena_keep(a, &in->hint)) {
        return false;
    }
    idr_phone_info *p = &en->pub;
    p->number = number;
    p->parsed = in->parsed;
    p->parsed_with = in->hint;
    p->e164 = in->e164;
    p->valid = tri_int(in->valid);
    p->possible = tri_int(in->possible);
    p->type = in->type;
    p->type_source = in->type_source;
    p->metadata_type = in->metadata_type;
    p->region = in->region;
    p->area = in->area;
    p->carrier = in->carrier;
    p->error = in->error ? in->error : number && !in->parsed ? SKIPPED_TEXT : NULL;
    p->employer = employer;
    p->reference = reference;
    return true;
}

int idr__phone_enrichment_keep(const idr__enrichment *ctx,
                               idr__arena *a,
                               idr__enrichment_view *e) {
    const idr_candidate *c = ctx->c;
    e->has_phones = ctx->m->phone && ctx->phones;
    if (!e->has_phones) {
        return IDR_OK;
    }
    size_t n = c->contacts.n_phones;
    if (n > IDR__VIEW_MAX_PHONES) {
        e->n_phones_omitted = n - IDR__VIEW_MAX_PHONES;
        n = IDR__VIEW_MAX_PHONES;
    }
    e->phones = idr__arena_calloc(a, (n + 1) * sizeof *e->phones);
    if (!e->phones) {
        return IDR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        e->phones[i].info = ctx->phones[i];
        if (!keep_phone(a, &e->phones[i], c->contacts.phones[i].number, NULL, NULL)) {
            return IDR_ENOMEM;
        }
    }
    e->n_phones = n;
    e->has_ref_phones = ctx->ref_phones != NULL;
    if (!e->has_ref_phones) {
        return IDR_OK;
    }
    /* Only the references that give a phone; ctx->ref_phones has one per reference. */
    size_t cap = ctx->n_ref_phones < IDR__VIEW_MAX_PHONES ? ctx->n_ref_phones
                                                          : IDR__VIEW_MAX_PHONES;
    e->ref_phones = idr__arena_calloc(a, (cap + 1) * sizeof *e->ref_phones);
    if (!e->ref_phones) {
        return IDR_ENOMEM;
    }
    size_t k = 0;
    const idr__work_history *wh = &c->work_history;
    for (size_t i = 0; i < wh->n_employers; i++) {
        const idr__employer *emp = &wh->employers[i];
        for (size_t r = 0; r < emp->n_references; r++, k++) {
            const idr__reference *ref = &emp->references[r];
            if (!ref->phone) {
                continue;
            }
            if (e->n_ref_phones == cap) {
                e->n_ref_phones_omitted++;
                continue;
            }
            idr__phone_entry *en = &e->ref_phones[e->n_ref_phones];
            en->info = ctx->ref_phones[k];
            if (!keep_phone(a, en, ref->phone, emp->name, ref->name)) {
                return IDR_ENOMEM;
            }
            e->n_ref_phones++;
        }
    }
    return IDR_OK;
}

void idr__phone_enrichment_json(const idr__enrichment_view *e, idr__jw *w) {
    if (!e->has_phones) {
        return;
    }
    idr__jw_arr_begin(w, "phones");
    for (size_t i = 0; i < e->n_phones; i++) {
        idr__jw_obj_begin(w, NULL);
        info_members(w, e->phones[i].pub.number, &e->phones[i].info);
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
    if (e->n_phones_omitted) {
        idr__jw_int(w, "phones_omitted", (long long)e->n_phones_omitted);
    }
    if (!e->has_ref_phones) {
        return;
    }
    idr__jw_arr_begin(w, "reference_phones");
    for (size_t i = 0; i < e->n_ref_phones; i++) {
        const idr__phone_entry *en = &e->ref_phones[i];
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "employer", en->pub.employer);
        idr__jw_str(w, "reference", en->pub.reference);
        info_members(w, en->pub.number, &en->info);
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
    if (e->n_ref_phones_omitted) {
        idr__jw_int(w, "reference_phones_omitted", (long long)e->n_ref_phones_omitted);
    }
}

int idr__phone_lookup_json(const idr__modules *eng,
                           const char *number,
                           const char *country,
                           char **out,
                           idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, NULL, "out must not be NULL");
    }
    *out = NULL;
    if (!eng) {
        return idr__err(err, IDR_EINVAL, NULL, "engine must not be NULL");
    }
    if (!number || !number[0]) {
        return idr__err(err, IDR_EINVAL, "number", "number: no phone number given");
    }
    if (country && country[0] && !idr__phone_shim_region_supported(country)) {
        return idr__err(err, IDR_EINVAL, "country",
                        "country: '%.8s' is not a region libphonenumber knows (give an "
                        "ISO 3166-1 alpha-2 code such as US or GB)",
                        country);
    }
    if (!eng->phone) {
        return idr__err(err, IDR_EUNAVAILABLE, NULL, "phone lookup unavailable: %s",
                        eng->phone_unavailable ? eng->phone_unavailable
                                               : "phone support is not built in");
    }
    idr__phone_fact f;
    int rc = idr__phone_shim_lookup(eng->phone->shim, number, strlen(number), country,
                                    IDR__PHONE_DISPLAY, &f);
    if (rc == IDR_EINVAL) {
        return idr__err(err, IDR_EINVAL, "number", "number: '%.64s' %s", number, f.error);
    }
    if (rc != IDR_OK) {
        return idr__err(err, rc, "number", "number: %s", f.error);
    }
    idr__buf b;
    idr__buf_init(&b, NULL); /* engine-free lookup: the C library's */
    idr__jw w;
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    idr__jw_str(&w, "input", number);
    if (country && country[0]) {
        char cc[3] = {(char)(country[0] & ~0x20), (char)(country[1] & ~0x20), 0};
        idr__jw_str(&w, "country_hint", cc);
    } else {
        idr__jw_null(&w, "country_hint");
    }
    idr__jw_str(&w, "e164", f.e164);
    idr__jw_str(&w, "international", f.international);
    idr__jw_str(&w, "national", f.national);
    idr__jw_int(&w, "country_code", f.country_code);
    idr__jw_bool(&w, "valid", f.valid);
    idr__jw_bool(&w, "possible", f.possible);
    idr__jw_str(&w, "type", intern_type(f.type));
    idr__jw_str(&w, "region", f.region[0] ? f.region : NULL);
    idr__jw_str(&w, "region_name", f.region[0] ? idr__country_name(f.region) : NULL);
    idr__jw_str(&w, "area", f.area[0] ? f.area : NULL);
    idr__jw_null(&w, "carrier");
    idr__jw_str(&w, "carrier_note", CARRIER_NOTE);
    idr__jw_str(&w, "source", "libphonenumber 8.12 metadata and offline geocoder");
    idr__jw_obj_end(&w);
    if (b.oom) {
        idr__buf_free(&b);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    *out = idr__buf_take(&b, NULL);
    if (!*out) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    return IDR_OK;
}
