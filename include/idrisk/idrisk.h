/*
 * idrisk.h - identity-fraud triage for remote hires.
 *
 * This header is the manual. Anything it does not declare is private.
 *
 * idrisk reads a candidate record (the JSON contract `idrisk.candidate/1`), enriches it
 * with local databases (IP geolocation, phone metadata, curated lists), applies the
 * published DPRK IT-worker indicators and returns an explained triage result
 * (`idrisk.result/1`): a score, a band, an action (`none`, `verify`, `escalate`) and
 * every reason with its actual values, the step to verify it, benign explanations and
 * the advisories behind it. It never says "reject": a human decides.
 *
 * Conventions
 *  - Every call that can fail returns an int status: IDR_OK (0) or a negative IDR_E*
 *    code; idr_strerror() gives static text for it.
 *  - Detail goes into a caller-owned idr_error. Every `err` parameter may be NULL.
 *    There is no global or thread-local "last error".
 *  - Objects are opaque. Each has a constructor that writes it through `**out` and a
 *    matching `_free`; every `_free(NULL)` is a harmless no-op.
 *  - Pointers returned as a function's value are borrowed from their parent object and
 *    live as long as it. Memory returned through `char **out` belongs to the caller,
 *    who releases it with idr_free(). A result keeps its engine alive (see
 *    idr_engine_free()), so engine and results may be freed in either order.
 *  - Strings are UTF-8 and NUL-terminated unless a length is passed beside them.
 *  - The library never reads environment variables: everything comes from the config.
 *
 * Threads
 *  There is no global mutable state and no init call. A built idr_engine is immutable:
 *  any number of threads may call idr_engine_score() and the lookup calls on one engine
 *  at once. Configs, candidates and results are single-threaded objects (one thread at a
 *  time; handing them between threads is fine).
 */
#ifndef IDRISK_H
#define IDRISK_H

#include <stddef.h>
#include <stdint.h>

#include "idrisk/export.h"
#include "idrisk/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------
 * Status codes. Values are frozen: they are never renumbered or reused.
 * ---------------------------------------------------------------------------------- */
#define IDR_OK 0
/** Bad input: a malformed candidate field, a bad option value, a bad rule pack. */
#define IDR_EINVAL (-1)
/** An allocation failed. */
#define IDR_ENOMEM (-2)
/** A file could not be read or written. */
#define IDR_EIO (-3)
/** A data file (rule pack, list, database) is present but corrupt or inconsistent. */
#define IDR_EDATA (-4)
/** The feature or database needed for the call is not available in this engine. */
#define IDR_EUNAVAILABLE (-5)
/** Input exceeds a documented limit (size, nesting depth, array length). */
#define IDR_ELIMIT (-6)
/** A bug in idrisk. Please report it. */
#define IDR_EINTERNAL (-7)

/**
 * Static English text for a status code. Never NULL; unknown codes give
 * "unknown error". Thread-safe.
 * @since 0.1.0
 */
IDR_API const char *idr_strerror(int code);

/**
 * Error detail, owned by the caller (on the stack is fine). Filled by a failing call,
 * untouched by a successful one. The size is fixed; `reserved` keeps room for growth.
 *  - `code`: the status the call returned.
 *  - `field`: the JSON path of the failing field for input errors
 *    (e.g. `network.sessions[3].ip`), the rule-pack entry and key for pack errors
 *    (e.g. `ssn_invalid_structure.points`), the option name for config errors;
 *    empty when no field applies.
 *  - `message`: one sentence saying what is wrong, naming the field again.
 * @since 0.1.0
 */
typedef struct idr_error {
    int code;
    char field[128];
    char message[256];
    unsigned char reserved[124];
} idr_error;

/** Version of the library actually linked (compare with IDR_VERSION_NUMBER). */
IDR_API int idr_version_number(void);
/** Version string of the library actually linked, e.g. "0.1.0". */
IDR_API const char *idr_version_string(void);

/** Features compiled into this build (bit mask of IDR_FEATURE_*). A bit is set only
 *  when the build really contains the feature; this version reports
 *  IDR_FEATURE_GEO | IDR_FEATURE_PHONE | IDR_FEATURE_NAMES. */
#define IDR_FEATURE_GEO   0x1u /* libmaxminddb IP enrichment */
#define IDR_FEATURE_PHONE 0x2u /* libphonenumber phone enrichment */
#define IDR_FEATURE_NAMES 0x4u /* ICU name normalisation */
/* Reserved for the cross-candidate store, which is not built yet: never set by this
 * version. The value is frozen so that callers can test for it today. */
#define IDR_FEATURE_STORE 0x8u
IDR_API unsigned idr_features(void);

/** Release memory that idrisk returned through a `char **out` parameter. NULL is ok. */
IDR_API void idr_free(void *ptr);

/* ------------------------------------------------------------------------------------
 * Configuration: how to build an engine. Single-threaded; copied by idr_engine_new(),
 * so it may be changed or freed afterwards.
 * ---------------------------------------------------------------------------------- */
typedef struct idr_config idr_config;

/* Option keys. Values are frozen. The name in quotes is the key for
 * idr_config_set_by_name() and the CLI. */
/** "data_dir" (string): directory with .mmdb databases and fetched lists. Default: the
 *  installed data directory. The library never reads the environment; the CLI and the
 *  Python binding set this option from IDRISK_DATA_DIR when it is set. */
#define IDR_CFG_DATA_DIR 1
/** "rules" (string): path of a rule pack to load instead of the default pack. */
#define IDR_CFG_RULES_FILE 2
/** "allow_cidr" (string, repeatable): a corporate VPN range (IPv4 or IPv6 CIDR). Sessions
 *  from it are not network-indicator evidence; the result lists them as suppressed. */
#define IDR_CFG_ALLOW_CIDR 3
/** "relay_cidr" (string, repeatable): benign relay egress (e.g. iCloud Private Relay);
 *  suppresses the anonymiser and location indicators for sessions from it. */
#define IDR_CFG_RELAY_CIDR 4
/** "max_input_bytes" (int, 1 KiB..64 MiB, default 1 MiB): largest candidate JSON. */
#define IDR_CFG_MAX_INPUT_BYTES 5
/** "max_depth" (int, 4..64, default 16): deepest JSON nesting accepted. */
#define IDR_CFG_MAX_DEPTH 6
/** "max_array" (int, 1..100000, default 1000): longest array accepted. */
#define IDR_CFG_MAX_ARRAY 7
/** "lists_dir" (string): directory of the rule pack and curated lists (the repo's
 *  data/). Default: the installed data directory, else (a build tree never installed)
 *  the source data/. The library never reads the environment; the CLI and the Python
 *  binding set this option from IDRISK_LISTS_DIR when it is set. */
#define IDR_CFG_LISTS_DIR 8

/** Create a configuration with the compiled-in defaults (no environment variables are
 *  consulted). @return IDR_OK or IDR_ENOMEM. */
IDR_API IDR_NODISCARD int idr_config_new(idr_config **out);
/** Free a configuration. NULL is a no-op. */
IDR_API void idr_config_free(idr_config *cfg);
/** Set a string option (IDR_CFG_DATA_DIR, _RULES_FILE, _ALLOW_CIDR, _RELAY_CIDR,
 *  _LISTS_DIR). The value is copied. A bad value fails here with IDR_EINVAL naming the
 *  option; the repeatable options add one entry per call. */
IDR_API int
idr_config_set_str(idr_config *cfg, int key, const char *value, idr_error *err);
/** Set an integer option (IDR_CFG_MAX_*). Out-of-range values fail with IDR_EINVAL. */
IDR_API int idr_config_set_int(idr_config *cfg, int key, long long value, idr_error *err);
/** Set an option by its quoted name from a string value (integers in decimal). Meant
 *  for command lines and bindings. Unknown names fail with IDR_EINVAL. */
IDR_API int idr_config_set_by_name(idr_config *cfg,
                                   const char *name,
                                   const char *value,
                                   idr_error *err);

/* ------------------------------------------------------------------------------------
 * Engine: rule pack, databases and lists, loaded and checked once. Immutable and
 * thread-safe once built.
 * ---------------------------------------------------------------------------------- */
typedef struct idr_engine idr_engine;

/**
 * Build an engine from `cfg` (NULL: all defaults). Loads and validates the rule pack
 * (a bad pack fails with IDR_EDATA naming the entry and key in err->field), opens every
 * database in the data directory and the curated lists. A missing or corrupt database
 * is not an error: the indicators that need it report "not evaluated" and the engine's
 * warnings say why.
 * @return IDR_OK, IDR_EINVAL, IDR_EIO, IDR_EDATA or IDR_ENOMEM.
 */
IDR_API IDR_NODISCARD int
idr_engine_new(idr_engine **out, const idr_config *cfg, idr_error *err);
/**
 * Drop the caller's reference to an engine. NULL is a no-op.
 * An engine is reference-counted by its results: each result made by
 * idr_engine_score() holds a reference, because it borrows the engine's rule texts,
 * data list and warnings. The engine is destroyed when its last reference goes, so
 * results stay fully usable after idr_engine_free() and may be freed afterwards, on
 * any thread (the count is atomic). After this call the caller must not use `eng`
 * again, and no call may be running on it: a call in progress holds no reference.
 */
IDR_API void idr_engine_free(idr_engine *eng);

/**
 * Describe the engine as JSON: `{"ruleset":{id,version,sha256}, "indicators":[...],
 * "combinations":[...], "data":[...], "warnings":[...]}`. The caller frees *out with
 * idr_free(). Thread-safe.
 */
IDR_API int idr_engine_describe_json(const idr_engine *eng, char **out, idr_error *err);

/* ------------------------------------------------------------------------------------
 * Candidate: one parsed, validated candidate record.
 * ---------------------------------------------------------------------------------- */
typedef struct idr_candidate idr_candidate;

/**
 * Parse a candidate record (`idrisk.candidate/1` JSON, `len` bytes, no NUL needed).
 * Limits come from `eng`'s configuration (NULL: the defaults). Errors:
 *  - IDR_EINVAL: malformed JSON, a malformed value, or a protected attribute at any
 *    depth; err->field holds the JSON path (e.g. `network.sessions[3].ip`).
 *  - IDR_ELIMIT: input larger than max_input_bytes, deeper than max_depth, or an array
 *    longer than max_array; err->field names where.
 * Unknown fields are not errors: they become warnings of the result.
 */
IDR_API IDR_NODISCARD int idr_candidate_from_json(idr_candidate **out,
                                                  const idr_engine *eng,
                                                  const char *json,
                                                  size_t len,
                                                  idr_error *err);
/** Free a candidate. NULL is a no-op. */
IDR_API void idr_candidate_free(idr_candidate *cand);
/** The candidate's `candidate_id`. Borrowed. */
IDR_API const char *idr_candidate_id(const idr_candidate *cand);

/* ------------------------------------------------------------------------------------
 * Scoring and results.
 * ---------------------------------------------------------------------------------- */
typedef struct idr_result idr_result;

/**
 * Score a candidate. Thread-safe: many threads may score on one engine at once; the
 * candidate must not be used by another thread during the call.
 * Same candidate, same rule pack, same data: the same result, apart from evaluated_at.
 * @return IDR_OK or IDR_ENOMEM (the result is then NULL).
 */
IDR_API IDR_NODISCARD int idr_engine_score(const idr_engine *eng,
                                           const idr_candidate *cand,
                                           idr_result **out,
                                           idr_error *err);

/**
 * Parse and score in one call (what the CLI, batch mode and bindings use). Same errors
 * as idr_candidate_from_json() and idr_engine_score(). Thread-safe.
 */
IDR_API IDR_NODISCARD int idr_engine_score_json(const idr_engine *eng,
                                                const char *json,
                                                size_t len,
                                                idr_result **out,
                                                idr_error *err);

/** Free a result. NULL is a no-op. Releases the result's reference to its engine,
 *  destroying the engine if idr_engine_free() was already called and this was its
 *  last result. May be called on any thread. */
IDR_API void idr_result_free(idr_result *res);
/** The score, 0..100. Higher means more risk; adding evidence never lowers it. */
IDR_API int idr_result_score(const idr_result *res);
/** "low", "medium", "high" or "critical". Static string. */
IDR_API const char *idr_result_band(const idr_result *res);
/** "none", "verify" or "escalate". Never "reject". Static string. */
IDR_API const char *idr_result_action(const idr_result *res);
/** The candidate_id the result is about. Borrowed. */
IDR_API const char *idr_result_candidate_id(const idr_result *res);

/**
 * One reason: an indicator that fired. Handed out only as a pointer owned by the
 * result, so fields may be appended in later versions.
 */
typedef struct idr_reason {
    const char *id;       /* catalog indicator id, e.g. "adr_forwarder_cmra" */
    const char *category; /* e.g. "address" */
    const char *severity; /* "low", "medium", "high", "critical" */
    double points;        /* contribution to the score */
    const char *title;
    const char *detail; /* one sentence with the actual values */
    const char *verify; /* suggested verification step */
    size_t n_benign;
    const char *const *benign; /* benign explanations */
    size_t n_sources;
    const char *const *sources; /* source keys of the advisories behind it */
} idr_reason;

/** Number of reasons, most important first. */
IDR_API size_t idr_result_reason_count(const idr_result *res);
/** Reason `i` (0-based) or NULL if out of range. Borrowed from the result. */
IDR_API const idr_reason *idr_result_reason(const idr_result *res, size_t i);

/**
 * The result as `idrisk.result/1` JSON (one object, no trailing newline). The caller
 * frees *out with idr_free(); *len_out (may be NULL) receives its length.
 * Deterministic: byte-identical for the same inputs apart from `evaluated_at`.
 */
IDR_API int
idr_result_to_json(const idr_result *res, char **out, size_t *len_out, idr_error *err);

/* ------------------------------------------------------------------------------------
 * Lookups: what the engine's databases say, for `idrisk lookup`.
 * ---------------------------------------------------------------------------------- */

/**
 * Everything every loaded IP database says about `ip` (IPv4 or IPv6 text), as JSON.
 * The caller frees *out with idr_free(). IDR_EINVAL for a malformed address,
 * IDR_EUNAVAILABLE when no IP database is loaded. Thread-safe.
 */
IDR_API int
idr_engine_lookup_ip(const idr_engine *eng, const char *ip, char **out, idr_error *err);

/**
 * Everything libphonenumber's metadata says about `number`, parsed with `country`
 * (ISO 3166-1 alpha-2, may be NULL) for national numbers, as JSON. The caller frees
 * *out with idr_free(). IDR_EUNAVAILABLE in builds without phone support. Thread-safe.
 */
IDR_API int idr_engine_lookup_phone(const idr_engine *eng,
                                    const char *number,
                                    const char *country,
                                    char **out,
                                    idr_error *err);

#ifdef __cplusplus
}
#endif

#endif /* IDRISK_H */
