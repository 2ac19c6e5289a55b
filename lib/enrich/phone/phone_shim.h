/* SPDX-License-Identifier: Apache-2.0 */
/*
 * phone_shim.h - a C interface over Google's libphonenumber (C++), implemented in
 * phone_shim.cc, the only C++ file in the tree.
 *
 * Contract
 *  - No C++ type crosses this boundary: results are written into the caller's fixed-size
 *    struct; every text field is NUL-terminated (truncated if ever longer, which the
 *    sizes below rule out for libphonenumber's own output).
 *  - Every entry point catches every exception (catch (...)) and turns it into a status:
 *    IDR_OK, IDR_EINVAL (the number could not be parsed; `error` says why),
 *    IDR_ENOMEM (std::bad_alloc) or IDR_EINTERNAL (any other exception).
 *  - Threads: PhoneNumberUtil::GetInstance() is a thread-safe singleton whose methods
 *    are const and reentrant. The offline geocoder loads its per-prefix tables lazily
 *    under its own absl::Mutex (phonenumber_offline_geocoder.h: `available_maps_` is
 *    ABSL_GUARDED_BY(mu_)), so one idr__phone_shim may be used by many threads at once.
 */
#ifndef IDRISK_PHONE_SHIM_H
#define IDRISK_PHONE_SHIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The longest input passed to the parser. libphonenumber itself refuses more than 250
 * characters (kMaxInputStringLength); longer input is refused here with the same
 * TOO_LONG answer, before any copy is made. */
#define IDR__PHONE_MAX_INPUT 250

typedef struct idr__phone_shim idr__phone_shim;

typedef struct idr__phone_fact {
    int parsed;       /* 1 when libphonenumber parsed the input */
    int fast_parse;   /* 1 when the shim's own parser read it (same answer; tests) */
    int valid;        /* IsValidNumber: the number matches a range in the metadata */
    int possible;     /* IsPossibleNumber: only the length fits */
    int country_code; /* calling code, e.g. 44; 0 when not parsed */
    char e164[24];    /* "+442079460000" (at most 1 + 3 + 17 digits) */
    char international[48]; /* "+44 20 7946 0000" (IDR__PHONE_DISPLAY only) */
    char national[48];      /* "020 7946 0000" (IDR__PHONE_DISPLAY only) */
    char type[24];          /* see idr__phone_shim_lookup */
    char region[4];         /* ISO 3166-1 alpha-2 from the metadata, "" when none */
    /* The offline geocoder's English description of a valid number: a place for
     * geographic ranges ("Minnesota", "London"), the country name for the others
     * (VoIP, toll-free); "" for an invalid number. */
    char area[160];
    char error[96]; /* why the parse failed, when !parsed */
} idr__phone_fact;

/** Create the shim: the PhoneNumberUtil singleton and one offline geocoder.
 *  IDR_OK, IDR_ENOMEM or IDR_EINTERNAL (with a reason in why[0..why_len)). */
int idr__phone_shim_new(idr__phone_shim **out, char *why, size_t why_len);
void idr__phone_shim_free(idr__phone_shim *s);

/**
 * Everything the metadata says about `number` (`len` bytes, any bytes allowed), parsed
 * with `region` (ISO alpha-2, upper or lower case; NULL or "" for none) for national
 * numbers. `type` is one of: mobile, fixed_line, fixed_line_or_mobile, voip,
 * toll_free, premium_rate, shared_cost, personal_number, pager, uan, voicemail,
 * unknown. `region` of the result is the region the metadata assigns to a valid
 * number, else the main region of its calling code ("" for non-geographic codes).
 * Returns IDR_OK when parsed, IDR_EINVAL when not (fact->error set), IDR_ENOMEM,
 * IDR_EINTERNAL.
 */
int idr__phone_shim_lookup(const idr__phone_shim *s,
                           const char *number,
                           size_t len,
                           const char *region,
                           unsigned flags,
                           idr__phone_fact *fact);

/* Flags of idr__phone_shim_lookup. Formatting for display costs about as much as
 * the parse (ICU regular expressions inside libphonenumber), so the scoring path asks
 * only for E.164 and the lookup command for the display forms too. */
#define IDR__PHONE_DISPLAY 0x1u /* fill `international` and `national` */
/* Parse and decide type, validity, possibility and region with libphonenumber's own
 * Parse, GetNumberType, GetRegionCodeForNumber and IsPossibleNumber instead of the
 * shim's parser and PCRE2 matcher over the same metadata (for verification; results
 * are identical, see phone_shim.cc). */
#define IDR__PHONE_LIBRARY 0x2u

/** Whether the shim's parser and PCRE2 matcher are on (it turns itself off if the
 * metadata cannot be read or a pattern does not compile). */
int idr__phone_shim_fast(const idr__phone_shim *s);

/** Whether libphonenumber knows `region` (two letters). Thread-safe. */
int idr__phone_shim_region_supported(const char *region);

/** The name a fact's `type` uses for libphonenumber's PhoneNumberType `type` (given as
 *  its int value): "mobile", "voip", ..., "unknown". For tests/phone/phone_agree.cc,
 *  which compares the shim with the library in these names. */
const char *idr__phone_shim_type_name(int type);

#ifdef __cplusplus
}
#endif

#endif /* IDRISK_PHONE_SHIM_H */
