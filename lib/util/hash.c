/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hash.c - every hash idrisk computes, from libsodium: SHA-256 for the rule-pack stamp
 * and data-file verification (the manifests of `idrisk data fetch` record SHA-256), and
 * keyed BLAKE2b-256 for identifiers (document and account numbers in the candidate
 * model, every identifier the store keeps). Nothing here is hand-written cryptography.
 */
#include "util/util.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int idr__crypto_init(void) {
    /* sodium_init() is thread-safe and idempotent (libsodium documents it so); it picks
     * the fastest implementation for the CPU and opens the random source. */
    return sodium_init() < 0 ? -1 : 0;
}

static void to_hex(const uint8_t d[32], char out[65]) {
    sodium_bin2hex(out, 65, d, 32);
}

void idr__sha256_hex(const void *p, size_t n, char out[65]) {
    uint8_t d[32];
    crypto_hash_sha256(d, p, n);
    to_hex(d, out);
}

/* The read buffer: one allocation, kept in its own function so that an allocator hook
 * replaces it in one place. 64 KiB: large enough that the cost is the hashing, small
 * enough for any thread. */
enum { FILE_BUF = 64 * 1024 };

int idr__sha256_file(const char *path, char out[65], uint64_t *size_out) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return -1;
    }
    uint8_t *buf = malloc(FILE_BUF);
    if (!buf) {
        fclose(f);
        errno = ENOMEM;
        return -1;
    }
    crypto_hash_sha256_state s;
    crypto_hash_sha256_init(&s);
    uint64_t total = 0;
    size_t n;
    while ((n = fread(buf, 1, FILE_BUF, f)) > 0) {
        crypto_hash_sha256_update(&s, buf, n);
        total += n;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    free(buf);
    fclose(f);
    if (err) {
        errno = err;
        return -1;
    }
    uint8_t d[32];
    crypto_hash_sha256_final(&s, d);
    to_hex(d, out);
    if (size_out) {
        *size_out = total;
    }
    return 0;
}

void idr__id_key_init(idr__id_key *k, const uint8_t key[IDR__ID_KEY_BYTES]) {
    /* Sub-keys, so that one store key never serves two purposes: 1 hashes identifiers,
     * 2 is the fingerprint that tells a store which key hashed a candidate. */
    static const char ctx[crypto_kdf_CONTEXTBYTES] = {'i', 'd', 'r', 'i',
                                                      's', 'k', 'i', 'd'};
    crypto_kdf_derive_from_key(k->hash, sizeof k->hash, 1, ctx, key);
    uint8_t fp[crypto_kdf_BYTES_MIN];
    crypto_kdf_derive_from_key(fp, sizeof fp, 2, ctx, key);
    memcpy(k->fp, fp, sizeof k->fp);
    sodium_memzero(fp, sizeof fp);
}

void idr__id_key_random(idr__id_key *k) {
    uint8_t key[IDR__ID_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    idr__id_key_init(k, key);
    sodium_memzero(key, sizeof key);
}

void idr__id_hash(const idr__id_key *k,
                  const char *domain,
                  const void *msg,
                  size_t n,
                  uint8_t out[IDR__ID_HASH_BYTES]) {
    crypto_generichash_state s;
    crypto_generichash_init(&s, k->hash, sizeof k->hash, IDR__ID_HASH_BYTES);
    /* The domain and a NUL first: an SSN and a phone with the same digits never
     * collide. */
    crypto_generichash_update(&s, (const unsigned char *)domain, strlen(domain) + 1);
    crypto_generichash_update(&s, msg, n);
    crypto_generichash_final(&s, out, IDR__ID_HASH_BYTES);
}

void idr__id_hash_hex(const idr__id_key *k,
                      const char *domain,
                      const void *msg,
                      size_t n,
                      char out[2 * IDR__ID_HASH_BYTES + 1]) {
    uint8_t d[IDR__ID_HASH_BYTES];
    idr__id_hash(k, domain, msg, n, d);
    sodium_bin2hex(out, 2 * IDR__ID_HASH_BYTES + 1, d, sizeof d);
}

void idr__wipe(void *p, size_t n) {
    sodium_memzero(p, n);
}
