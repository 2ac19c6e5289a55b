/* SPDX-License-Identifier: Apache-2.0 */
/*
 * util/util.h - the bottom layer: errors, the arena, the output buffer and JSON writer,
 * strict UTF-8, whole-file reading, TSV splitting and SHA-256.
 *
 * Layer 0: includes only the public header and the C library. Nothing here knows what
 * a candidate, a rule or an engine is.
 */
#ifndef IDRISK_UTIL_H
#define IDRISK_UTIL_H

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
 * Errors (lib/util/error.c)
 * ================================================================================== */

/** Fill `err` (may be NULL) and return `code`. `field` may be NULL. */
int idr__err(idr_error *err, int code, const char *field, const char *fmt, ...)
    IDR__PRINTF(4, 5);

/* ====================================================================================
 * Allocation (lib/util/alloc.c): every heap allocation of the library goes through an
 * idr__alloc, the caller's idr_allocator (idr_config_set_allocator()). A NULL
 * allocator means the C library's malloc/realloc/free. The allocator must outlive
 * every block it handed out; owners keep a pointer to a copy that lives as long as they
 * do (an arena keeps its own, see idr__arena_allocator()).
 * ================================================================================== */
typedef idr_allocator idr__alloc;
void *idr__malloc(const idr__alloc *al, size_t n);
/** Zeroed `n * size` bytes; NULL when the product overflows or memory runs out. */
void *idr__calloc(const idr__alloc *al, size_t n, size_t size);
void *idr__realloc(const idr__alloc *al, void *p, size_t n);
void idr__free(const idr__alloc *al, void *p); /* NULL p is a no-op */
char *idr__strdup(const idr__alloc *al, const char *s);
char *idr__strndup(const idr__alloc *al, const char *s, size_t n);

/* ====================================================================================
 * Arena (lib/util/arena.c): bump allocator in growing blocks; one free releases all.
 * Allocations are 8-byte aligned. Returns NULL only when the allocator fails.
 * ================================================================================== */
typedef struct idr__arena idr__arena;
/** A new arena whose blocks come from `al` (NULL: the C library); the arena keeps a
 *  copy of *al, so the caller's struct need not outlive the call. */
idr__arena *idr__arena_new(const idr__alloc *al, size_t first_block);
/** The arena's copy of its allocator (NULL for the C library): valid as long as the
 *  arena, for owners that allocate beside their arena and free before it. */
const idr__alloc *idr__arena_allocator(const idr__arena *a);
void idr__arena_free(idr__arena *a);
void *idr__arena_alloc(idr__arena *a, size_t n); /* uninitialised */
/** True once any allocation from `a` has failed. Callers that build something large in
 *  an arena (a result) check it once at the end instead of after every call, so an
 *  out-of-memory anywhere becomes IDR_ENOMEM, never a silently shorter result. */
bool idr__arena_failed(const idr__arena *a);
void *idr__arena_calloc(idr__arena *a, size_t n); /* zeroed */
char *idr__arena_strndup(idr__arena *a, const char *s, size_t n);
char *idr__arena_strdup(idr__arena *a, const char *s); /* NULL in, NULL out */
/** Replace *s by a copy in `a` (NULL stays NULL). False only when out of memory. */
bool idr__arena_keep(idr__arena *a, const char **s);
/** The same, cut to at most `max` bytes on a UTF-8 boundary with U+2026 appended when
 *  it was longer: for text the caller sent that a result echoes (docs/input-limits.md
 *  "Output bounds"). */
bool idr__arena_keep_cut(idr__arena *a, const char **s, size_t max);
char *idr__arena_printf(idr__arena *a, const char *fmt, ...) IDR__PRINTF(2, 3);
char *idr__arena_vprintf(idr__arena *a, const char *fmt, va_list ap);

/* ====================================================================================
 * String buffer and JSON writer (lib/util/jsonw.c). Output only; input JSON is parsed
 * with cJSON. Keys are written in the order given, so output is deterministic.
 * ================================================================================== */
typedef struct idr__buf {
    char *p;
    size_t len, cap;
    bool oom; /* sticky: once set, appends are ignored and the caller reports ENOMEM */
    const idr__alloc *al; /* grows through this (NULL: the C library) */
} idr__buf;
void idr__buf_init(idr__buf *b, const idr__alloc *al);
void idr__buf_free(idr__buf *b);
void idr__buf_put(idr__buf *b, const char *s, size_t n);
void idr__buf_puts(idr__buf *b, const char *s);
void idr__buf_printf(idr__buf *b, const char *fmt, ...) IDR__PRINTF(2, 3);
/** Hand the buffer's NUL-terminated content to the caller, who frees it with idr_free()
 *  (the C library's free): built with a caller's allocator, the content is copied into
 *  a malloc'd block at the end. NULL when out of memory (the buffer is then freed). */
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
/** Bytes of `s` (`n` long) to keep so that at most `max` remain, cut on a UTF-8
 *  boundary (an invalid byte counts as one: the JSON writer replaces it later). */
size_t idr__utf8_cut(const char *s, size_t n, size_t max);
/** Escape `s` as a JSON string body (no quotes) into b. Invalid UTF-8 becomes U+FFFD. */
void idr__json_escape(idr__buf *b, const char *s, size_t n);

/* ====================================================================================
 * Files, TSV and hashing (lib/util/file.c, lib/util/hash.c)
 * ================================================================================== */
/* Read a whole file (lib/util/file.c): a NUL-terminated copy from `al` the caller
 * frees with idr__free(al, ...), its length in *len_out (may be NULL). NULL on failure
 * with errno set (ENOMEM when `al` fails, EFBIG when larger than `max` bytes). */
char *idr__read_file(const idr__alloc *al, const char *path, size_t max, size_t *len_out);
/* Split a TSV line in place at tabs into at most `max` fields (the last one keeps any
 * further tabs); returns the count. */
size_t idr__split_tabs(char *line, char **f, size_t max);

/* Hashing (lib/util/hash.c), all of it from libsodium. idr__crypto_init() must have
 * succeeded once (engine and store constructors call it; it is idempotent). */
int idr__crypto_init(void);
/* SHA-256 as lower-case hex: the rule-pack stamp and data-file verification. */
void idr__sha256_hex(const void *p, size_t n, char out[65]);
/* The SHA-256 of the file at `path` as lower-case hex, read in 64 KiB pieces (never the
 * whole file in memory), and its size in *size_out (may be NULL). 0, or -1 with errno
 * set (ENOMEM for the read buffer). */
int idr__sha256_file(const char *path, char out[65], uint64_t *size_out);

/* Identifier hashing: keyed BLAKE2b-256 under a 32-byte key (a store's key, or one
 * private to an engine). `fp` fingerprints the key, so that a candidate hashed under
 * one key is never matched against a store with another. */
#define IDR__ID_KEY_BYTES  32
#define IDR__ID_HASH_BYTES 32
typedef struct idr__id_key {
    uint8_t hash[IDR__ID_KEY_BYTES]; /* derived sub-key for identifier hashes */
    uint8_t fp[16];                  /* derived key fingerprint */
} idr__id_key;
void idr__id_key_init(idr__id_key *k, const uint8_t key[IDR__ID_KEY_BYTES]);
void idr__id_key_random(idr__id_key *k);
/* The keyed hash of `domain` (a fixed label such as "ssn"; separates kinds) and `msg`. */
void idr__id_hash(const idr__id_key *k,
                  const char *domain,
                  const void *msg,
                  size_t n,
                  uint8_t out[IDR__ID_HASH_BYTES]);
void idr__id_hash_hex(const idr__id_key *k,
                      const char *domain,
                      const void *msg,
                      size_t n,
                      char out[2 * IDR__ID_HASH_BYTES + 1]);
/* Overwrite memory that held an identifier (not optimised away). */
void idr__wipe(void *p, size_t n);

/** True when `name` is in the NULL-terminated `list` (exact byte comparison; NULL
 *  `name` is never in it). lib/util/str.c. */
bool idr__in_list(const char *name, const char *const *list);
/** FNV-1a (64 bits) of a NUL-terminated string: for in-memory hash sets, never for
 *  anything an attacker may choose collisions against at rest. lib/util/str.c. */
uint64_t idr__hash_str(const char *s);

#endif /* IDRISK_UTIL_H */
