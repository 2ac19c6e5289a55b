/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store/store_int.h - what the .c files of lib/store share and nothing outside them
 * needs: the store handle, its cached statements, the identifier set of one record
 * (ids.c) and the schema constants (store.c). Tests include it to build old schemas
 * and to compute the hashes they look for in the files.
 */
#ifndef IDRISK_STORE_INT_H
#define IDRISK_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <time.h>

#include "store/store.h"

/* The schema version this library writes; older stores are migrated forward on open
 * (store.c). */
#define IDR__STORE_SCHEMA 2

/* Waited for a lock held by another connection before IDR_EBUSY (docs/store.md). */
#define IDR__STORE_BUSY_MS 60000

/* The DDL of schema version 1, kept so that every store (new ones too) is created at
 * version 1 and migrated: one path, tested from both ends. */
extern const char idr__store_schema_v1[];

/* Identifier classes: the stored `class` column, and the hash domain of each. The
 * class hash is what two candidates must share; the role says which of our fields it
 * came from and so the link kind. */
typedef enum idr__id_class {
    IDR__IC_SSN = 1,
    IDR__IC_PHONE,
    IDR__IC_EMAIL,
    IDR__IC_ADDRESS,
    IDR__IC_ACCOUNT,
    IDR__IC_WALLET,
    IDR__IC_DOCUMENT,
    IDR__IC_DEVICE,
    IDR__IC_IP,
    IDR__IC_COUNT
} idr__id_class;

/* 0: the candidate's own (phone, email), the residence; 1: a reference's (phone,
 * email), a shipment address. */
enum { IDR__ROLE_OWN = 0, IDR__ROLE_OTHER = 1 };

const char *idr__id_class_name(idr__id_class c);

/* Near-duplicate signatures. */
enum { IDR__SIG_PHOTO = 1, IDR__SIG_RESUME = 2 };
#define IDR__PHOTO_BANDS       5 /* 13,13,13,13,12 bits: distance <= 4 shares a band */
#define IDR__PHOTO_MAX_DIST    4
#define IDR__RESUME_BANDS      4 /* 16 bits each: distance <= 3 shares a band */
#define IDR__RESUME_MAX_DIST   3
#define IDR__RESUME_MIN_TOKENS 40
#define IDR__BAND_HASH_BYTES   8
/* A sealed 64-bit value: nonce, then crypto_secretbox_easy's MAC and ciphertext. */
#define IDR__SEALED_BYTES (24 + 16 + 8)

typedef struct idr__ident {
    idr__id_class cls;
    int role;
    size_t own_index;
    int32_t day; /* IP: UTC day; else 0 */
    uint8_t hash[IDR__ID_HASH_BYTES];
} idr__ident;

/* Everything the store keeps or looks up about one record, hashed (ids.c). */
typedef struct idr__idset {
    const idr__alloc *al; /* the caller's (the engine's) allocator: per-call scratch */
    idr__ident *v;
    size_t n, cap;
    bool oom;
    bool has_name, has_surname, has_dob;
    uint8_t name[IDR__ID_HASH_BYTES], surname[IDR__ID_HASH_BYTES],
        dob[IDR__ID_HASH_BYTES];
    bool eor;
    bool has_photo;
    uint64_t photo;
    bool has_resume;
    uint64_t resume; /* SimHash */
    uint8_t photo_bands[IDR__PHOTO_BANDS][IDR__BAND_HASH_BYTES];
    uint8_t resume_bands[IDR__RESUME_BANDS][IDR__BAND_HASH_BYTES];
} idr__idset;

/* The keys a store derives from its 32-byte key (store.c). */
typedef struct idr__store_keys {
    idr__id_key id;      /* identifier hashes (and the candidate key fingerprint) */
    uint8_t seal[32];    /* crypto_secretbox key for photo and resume values */
    uint8_t shingle[16]; /* crypto_shorthash key for resume shingles */
} idr__store_keys;

void idr__store_keys_init(idr__store_keys *k, const uint8_t key[IDR_STORE_KEY_BYTES]);
/* The key check value kept in the store's meta table. */
void idr__store_key_check(const idr__store_keys *k, uint8_t out[IDR__ID_HASH_BYTES]);

/* Extract, normalise and hash every identifier of `c` (enriched as `en`). The set's
 * memory comes from `al` (the engine's allocator, NULL: the C library) and is kept in
 * the set; free it with idr__idset_free. IDR_OK or IDR_ENOMEM (never a shorter set). */
int idr__idset_build(idr__idset *s,
                     const idr__alloc *al,
                     const idr__store_keys *k,
                     const idr_candidate *c,
                     const idr__enrichment *en);
void idr__idset_free(idr__idset *s);

/* Normalisations (ids.c), exposed for tests: the address key (NULL when the address is
 * not indexed, or when out of memory: then *oom, if given, is true) and the SimHash of
 * a text (false when it has too few tokens). Both allocate from `al` (NULL: the C
 * library); the address key is freed with idr__free(al, ...); the SimHash is IDR_OK or
 * IDR_ENOMEM. */
char *idr__address_key(const idr__alloc *al, const idr__address *ad, bool *oom);
int idr__simhash(const idr__alloc *al,
                 const idr__store_keys *k,
                 const char *text,
                 uint64_t *out,
                 bool *indexed);
/* The identifier normalisations of idr__idset_build, exposed for tests and the
 * fuzzer: `s` without leading and trailing white space (its length in *n; the device
 * id's whole normalisation), and a wallet address trimmed, 0x-hex lower-cased, written
 * NUL-terminated to `out`; its length, 0 when it is not indexed (empty or longer than
 * IDR__WALLET_MAX). */
#define IDR__WALLET_MAX 256
const char *idr__id_trim(const char *s, size_t *n);
size_t idr__wallet_key(const char *a, char out[IDR__WALLET_MAX + 1]);
/* The band hashes of a signature: `n` bands of `bits` (the last band takes the rest). */
void idr__sig_bands(const idr__store_keys *k,
                    int kind,
                    uint64_t v,
                    uint8_t out[][IDR__BAND_HASH_BYTES],
                    size_t n);

/* Cached statements, prepared on first use on the store's connection. */
typedef enum idr__stmt_id {
    IDR__Q_BEGIN_READ,
    IDR__Q_BEGIN_WRITE,
    IDR__Q_COMMIT,
    IDR__Q_ROLLBACK,
    IDR__Q_DELETE_CAND,
    IDR__Q_INSERT_CAND,
    IDR__Q_INSERT_IDENT,
    IDR__Q_INSERT_HOUSEHOLD,
    IDR__Q_INSERT_BAND,
    IDR__Q_INSERT_SIG,
    IDR__Q_MATCH_IDENT,
    IDR__Q_MATCH_BAND,
    IDR__Q_CAND_BY_ROWID,
    IDR__Q_SIG,
    IDR__Q_HOUSEHOLD,
    IDR__Q_REFERRER,
    IDR__Q_COUNT
} idr__stmt_id;

struct idr_store {
    pthread_mutex_t mu; /* one connection, one caller at a time */
    sqlite3 *db;
    char *path;
    bool readonly;
    unsigned busy_ms; /* the busy timeout in force (for the IDR_EBUSY message) */
    idr__store_keys keys;
    sqlite3_stmt *stmt[IDR__Q_COUNT];
    /* IDR_STORE_BULK: records share one write transaction (a "group") until it is
     * committed; each record is a savepoint inside it, so a failed record rolls back
     * alone. group_failed is sticky: a failed group commit lost records that were
     * reported recorded, so nothing more may be written on this handle. */
    bool bulk, in_group, group_failed;
    unsigned group_n;
    struct timespec group_t0;
};

/* Commit the open group, if any (call with st->mu held). IDR_OK when none is open. */
int idr__store_group_commit(idr_store *st, idr_error *err);

/* The statement `id`, prepared on first use; NULL with err set. Call with st->mu held;
 * reset it (idr__stmt_done) after use. */
sqlite3_stmt *idr__stmt(idr_store *st, idr__stmt_id id, idr_error *err);
void idr__stmt_done(sqlite3_stmt *s);
/* Map a SQLite result code to an idrisk error (EBUSY, ENOMEM, EDATA, else EIO), with
 * the connection's message and `what` in err. */
int idr__sql_err(idr_store *st, int rc, idr_error *err, const char *what);
/* Run a cached no-result statement (BEGIN, COMMIT...). */
int idr__sql_exec(idr_store *st, idr__stmt_id id, idr_error *err, const char *what);

#endif /* IDRISK_STORE_INT_H */
