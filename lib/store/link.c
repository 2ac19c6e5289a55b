/* SPDX-License-Identifier: Apache-2.0 */
/*
 * link.c - the two queries scoring makes: record a candidate (idr__store_put) and find
 * every other candidate sharing an identifier with one (idr__store_link). Each lookup
 * is an index probe on a hash (identifiers_hash, bands_hash), so linking costs the
 * number of matches, not the size of the store.
 */
#include "store/store_int.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * Recording.
 * ---------------------------------------------------------------------------------- */
static void bind_hash(sqlite3_stmt *s, int i, bool has, const uint8_t *h, size_t n) {
    if (has) {
        sqlite3_bind_blob(s, i, h, (int)n, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(s, i);
    }
}

/* Step a bound insert to completion. */
static int step_done(idr_store *st, sqlite3_stmt *s, idr_error *err, const char *what) {
    int rc = sqlite3_step(s);
    idr__stmt_done(s);
    return rc == SQLITE_DONE ? IDR_OK : idr__sql_err(st, rc, err, what);
}

static int put_sig(idr_store *st,
                   sqlite3_int64 cand,
                   int kind,
                   uint64_t value,
                   const uint8_t (*bands)[IDR__BAND_HASH_BYTES],
                   size_t n_bands,
                   idr_error *err) {
    /* the value itself only sealed (XSalsa20-Poly1305 under a key derived from the
     * store's, random nonce): the bands find candidates, the value decides */
    uint8_t plain[8], sealed[IDR__SEALED_BYTES];
    for (int i = 0; i < 8; i++) {
        plain[i] = (uint8_t)(value >> (8 * i));
    }
    randombytes_buf(sealed, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(sealed + crypto_secretbox_NONCEBYTES, plain, sizeof plain,
                          sealed, st->keys.seal);
    idr__wipe(plain, sizeof plain);
    sqlite3_stmt *s = idr__stmt(st, IDR__Q_INSERT_SIG, err);
    if (!s) {
        return err->code;
    }
    sqlite3_bind_int64(s, 1, cand);
    sqlite3_bind_int(s, 2, kind);
    sqlite3_bind_blob(s, 3, sealed, sizeof sealed, SQLITE_TRANSIENT);
    int rc = step_done(st, s, err, "recording a signature");
    for (size_t b = 0; rc == IDR_OK && b < n_bands; b++) {
        if (!(s = idr__stmt(st, IDR__Q_INSERT_BAND, err))) {
            return err->code;
        }
        sqlite3_bind_int64(s, 1, cand);
        sqlite3_bind_int(s, 2, kind);
        sqlite3_bind_blob(s, 3, bands[b], IDR__BAND_HASH_BYTES, SQLITE_TRANSIENT);
        rc = step_done(st, s, err, "recording a signature band");
    }
    return rc;
}

static int put_locked(idr_store *st,
                      const idr_candidate *c,
                      const idr__idset *ids,
                      const idr__standalone *sa,
                      int64_t now,
                      idr_error *err) {
    sqlite3_stmt *s = idr__stmt(st, IDR__Q_DELETE_CAND, err);
    if (!s) {
        return err->code;
    }
    sqlite3_bind_text(s, 1, c->candidate_id, -1, SQLITE_STATIC);
    int rc = step_done(st, s, err, "replacing the candidate");
    if (rc != IDR_OK || !(s = idr__stmt(st, IDR__Q_INSERT_CAND, err))) {
        return rc != IDR_OK ? rc : err->code;
    }
    sqlite3_bind_text(s, 1, c->candidate_id, -1, SQLITE_STATIC);
    bind_hash(s, 2, ids->has_name, ids->name, sizeof ids->name);
    bind_hash(s, 3, ids->has_surname, ids->surname, sizeof ids->surname);
    bind_hash(s, 4, ids->has_dob, ids->dob, sizeof ids->dob);
    sqlite3_bind_int(s, 5, ids->eor);
    sqlite3_bind_int(s, 6, sa->score);
    sqlite3_bind_int(s, 7, sa->action);
    sqlite3_bind_text(s, 8, sa->fired ? sa->fired : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 9, now);
    if (c->as_of != IDR__TIME_NONE) {
        sqlite3_bind_int64(s, 10, c->as_of);
    } else {
        sqlite3_bind_null(s, 10);
    }
    if ((rc = step_done(st, s, err, "recording the candidate")) != IDR_OK) {
        return rc;
    }
    sqlite3_int64 cand = sqlite3_last_insert_rowid(st->db);
    for (size_t i = 0; i < ids->n; i++) {
        const idr__ident *e = &ids->v[i];
        if (!(s = idr__stmt(st, IDR__Q_INSERT_IDENT, err))) {
            return err->code;
        }
        sqlite3_bind_int64(s, 1, cand);
        sqlite3_bind_int(s, 2, (int)e->cls);
        sqlite3_bind_int(s, 3, e->role);
        sqlite3_bind_int64(s, 4, (sqlite3_int64)e->own_index);
        sqlite3_bind_int(s, 5, e->day);
        sqlite3_bind_blob(s, 6, e->hash, sizeof e->hash, SQLITE_TRANSIENT);
        if ((rc = step_done(st, s, err, "recording an identifier")) != IDR_OK) {
            return rc;
        }
    }
    const idr__strv *hh = &c->identity.household;
    for (size_t i = 0; i < hh->n; i++) {
        if (!hh->v[i]) {
            continue;
        }
        if (!(s = idr__stmt(st, IDR__Q_INSERT_HOUSEHOLD, err))) {
            return err->code;
        }
        sqlite3_bind_int64(s, 1, cand);
        sqlite3_bind_text(s, 2, hh->v[i], -1, SQLITE_STATIC);
        if ((rc = step_done(st, s, err, "recording the household")) != IDR_OK) {
            return rc;
        }
    }
    if (ids->has_photo) {
        rc = put_sig(st, cand, IDR__SIG_PHOTO, ids->photo,
                     (const uint8_t(*)[IDR__BAND_HASH_BYTES])ids->photo_bands,
                     IDR__PHOTO_BANDS, err);
    }
    if (rc == IDR_OK && ids->has_resume) {
        rc = put_sig(st, cand, IDR__SIG_RESUME, ids->resume,
                     (const uint8_t(*)[IDR__BAND_HASH_BYTES])ids->resume_bands,
                     IDR__RESUME_BANDS, err);
    }
    return rc;
}

/* IDR_STORE_BULK: the record is a savepoint inside the open group (opened here when
 * none is), so a failing record rolls back alone; the group is committed once it
 * holds IDR_STORE_GROUP_RECORDS records or is a second old. */
static int put_grouped(idr_store *st,
                       const idr_candidate *c,
                       const idr__idset *ids,
                       const idr__standalone *s,
                       int64_t now,
                       idr_error *err) {
    if (st->group_failed) {
        return idr__store_group_commit(st, err); /* says why nothing may be written */
    }
    if (!st->in_group) {
        int rc =
            idr__sql_exec(st, IDR__Q_BEGIN_WRITE, err, "starting a group of records");
        if (rc != IDR_OK) {
            return rc;
        }
        st->in_group = true;
        st->group_n = 0;
        clock_gettime(CLOCK_MONOTONIC, &st->group_t0);
    }
    int src = sqlite3_exec(st->db, "SAVEPOINT idr_record", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        return idr__sql_err(st, src, err, "starting to record");
    }
    int rc = put_locked(st, c, ids, s, now, err);
    if (rc != IDR_OK) {
        sqlite3_exec(st->db, "ROLLBACK TO idr_record; RELEASE idr_record", NULL, NULL,
                     NULL);
        return rc;
    }
    src = sqlite3_exec(st->db, "RELEASE idr_record", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        return idr__sql_err(st, src, err, "recording");
    }
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    double age = (double)(t.tv_sec - st->group_t0.tv_sec) +
                 (double)(t.tv_nsec - st->group_t0.tv_nsec) / 1e9;
    if (++st->group_n >= IDR_STORE_GROUP_RECORDS || age >= 1.0) {
        return idr__store_group_commit(st, err);
    }
    return IDR_OK;
}

int idr__store_put(idr_store *st,
                   const idr__alloc *al,
                   const idr_candidate *c,
                   const idr__enrichment *en,
                   const idr__standalone *s,
                   int64_t now,
                   idr_error *err) {
    if (!st || !c || !s) {
        return idr__err(err, IDR_EINVAL, NULL, "store, candidate and outcome are needed");
    }
    if (st->readonly) {
        return idr__err(err, IDR_EINVAL, NULL, "the store is open read-only");
    }
    if (!c->candidate_id) {
        return idr__err(err, IDR_EINVAL, "candidate_id",
                        "a candidate without candidate_id cannot be recorded");
    }
    idr__idset ids;
    if (idr__idset_build(&ids, al, &st->keys, c, en) != IDR_OK) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    idr_error local;
    if (!err) {
        err = &local;
    }
    pthread_mutex_lock(&st->mu);
    int rc = st->bulk ? put_grouped(st, c, &ids, s, now, err) : IDR_OK;
    if (!st->bulk) {
        rc = idr__sql_exec(st, IDR__Q_BEGIN_WRITE, err, "starting to record");
        if (rc == IDR_OK) {
            rc = put_locked(st, c, &ids, s, now, err);
            if (rc == IDR_OK) {
                rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing the record");
            }
            if (rc != IDR_OK) {
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            }
        }
    }
    pthread_mutex_unlock(&st->mu);
    idr__idset_free(&ids);
    return rc;
}

/* ------------------------------------------------------------------------------------
 * Linking.
 * ---------------------------------------------------------------------------------- */
typedef struct raw_link {
    idr__link_kind kind;
    sqlite3_int64 cand;
    size_t own_index;
    int32_t day;
    int distance;
} raw_link;

typedef struct raw_vec {
    const idr__alloc *al;
    raw_link *v;
    size_t n, cap;
} raw_vec;

static bool raw_push(raw_vec *r, raw_link l) {
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        raw_link *v = idr__realloc(r->al, r->v, cap * sizeof *v);
        if (!v) {
            return false;
        }
        r->v = v;
        r->cap = cap;
    }
    r->v[r->n++] = l;
    return true;
}

static idr__link_kind kind_of(const idr__ident *e) {
    switch (e->cls) {
    case IDR__IC_SSN:
        return IDR__LK_SSN;
    case IDR__IC_PHONE:
        return e->role == IDR__ROLE_OWN ? IDR__LK_PHONE : IDR__LK_REFERENCE_PHONE;
    case IDR__IC_EMAIL:
        return IDR__LK_EMAIL;
    case IDR__IC_ADDRESS:
        return e->role == IDR__ROLE_OWN ? IDR__LK_RESIDENCE : IDR__LK_SHIPPING;
    case IDR__IC_ACCOUNT:
        return IDR__LK_ACCOUNT;
    case IDR__IC_WALLET:
        return IDR__LK_WALLET;
    case IDR__IC_DOCUMENT:
        return IDR__LK_DOCUMENT;
    case IDR__IC_DEVICE:
        return IDR__LK_DEVICE;
    case IDR__IC_IP:
    case IDR__IC_COUNT:
    default:
        return IDR__LK_IP;
    }
}

static int cmp_i64(const void *a, const void *b) {
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;
    return (x > y) - (x < y);
}

static int cmp_raw_cand(const void *a, const void *b) {
    const raw_link *x = a, *y = b;
    return (x->cand > y->cand) - (x->cand < y->cand);
}

static int cmp_link(const void *a, const void *b) {
    const idr__link *x = a, *y = b;
    if (x->kind != y->kind) {
        return x->kind < y->kind ? -1 : 1;
    }
    int c = strcmp(x->other_id, y->other_id);
    if (c) {
        return c;
    }
    return (x->own_index > y->own_index) - (x->own_index < y->own_index);
}

/* Exact matches: one index probe per identifier. */
static int match_idents(idr_store *st,
                        const idr__idset *ids,
                        sqlite3_int64 self,
                        raw_vec *r,
                        idr_error *err) {
    for (size_t i = 0; i < ids->n; i++) {
        const idr__ident *e = &ids->v[i];
        sqlite3_stmt *s = idr__stmt(st, IDR__Q_MATCH_IDENT, err);
        if (!s) {
            return err->code;
        }
        sqlite3_bind_blob(s, 1, e->hash, sizeof e->hash, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, e->day);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            sqlite3_int64 cand = sqlite3_column_int64(s, 0);
            if (cand == self) {
                continue;
            }
            raw_link l = {kind_of(e), cand, e->own_index, e->day, 0};
            if (!raw_push(r, l)) {
                idr__stmt_done(s);
                return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
            }
        }
        idr__stmt_done(s);
        if (rc != SQLITE_DONE) {
            return idr__sql_err(st, rc, err, "looking up an identifier");
        }
    }
    return IDR_OK;
}

/* Near duplicates: candidates sharing a band, then the sealed value decides. */
static int match_sig(idr_store *st,
                     int kind,
                     uint64_t ours,
                     const uint8_t (*bands)[IDR__BAND_HASH_BYTES],
                     size_t n_bands,
                     int max_dist,
                     sqlite3_int64 self,
                     raw_vec *r,
                     idr_error *err) {
    sqlite3_int64 *cands = NULL;
    size_t n = 0, cap = 0;
    int rc = IDR_OK;
    for (size_t b = 0; b < n_bands && rc == IDR_OK; b++) {
        sqlite3_stmt *s = idr__stmt(st, IDR__Q_MATCH_BAND, err);
        if (!s) {
            rc = err->code;
            break;
        }
        sqlite3_bind_blob(s, 1, bands[b], IDR__BAND_HASH_BYTES, SQLITE_STATIC);
        sqlite3_bind_int(s, 2, kind);
        int src;
        while ((src = sqlite3_step(s)) == SQLITE_ROW) {
            sqlite3_int64 cand = sqlite3_column_int64(s, 0);
            if (cand == self) {
                continue;
            }
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                sqlite3_int64 *v = idr__realloc(r->al, cands, cap * sizeof *v);
                if (!v) {
                    rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
                    break;
                }
                cands = v;
            }
            // n == cap grew cands above.
            // NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
            cands[n++] = cand;
        }
        idr__stmt_done(s);
        if (rc == IDR_OK && src != SQLITE_DONE) {
            rc = idr__sql_err(st, src, err, "looking up a signature band");
        }
    }
    if (n > 1) {
        qsort(cands, n, sizeof *cands, cmp_i64);
    }
    for (size_t i = 0; i < n && rc == IDR_OK; i++) {
        if (i && cands[i] == cands[i - 1]) {
            continue;
        }
        sqlite3_stmt *s = idr__stmt(st, IDR__Q_SIG, err);
        if (!s) {
            rc = err->code;
            break;
        }
        sqlite3_bind_int64(s, 1, cands[i]);
        sqlite3_bind_int(s, 2, kind);
        int src = sqlite3_step(s);
        if (src == SQLITE_ROW) {
            const uint8_t *sealed = sqlite3_column_blob(s, 0);
            uint8_t plain[8];
            if (sealed && sqlite3_column_bytes(s, 0) == IDR__SEALED_BYTES &&
                crypto_secretbox_open_easy(plain, sealed + crypto_secretbox_NONCEBYTES,
                                           IDR__SEALED_BYTES -
                                               crypto_secretbox_NONCEBYTES,
                                           sealed, st->keys.seal) == 0) {
                uint64_t v = 0;
                for (int k = 0; k < 8; k++) {
                    v |= (uint64_t)plain[k] << (8 * k);
                }
                int d = __builtin_popcountll(v ^ ours);
                if (d <= max_dist) {
                    raw_link l = {kind == IDR__SIG_PHOTO ? IDR__LK_PHOTO : IDR__LK_RESUME,
                                  cands[i], 0, 0, d};
                    if (!raw_push(r, l)) {
                        rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
                    }
                }
                idr__wipe(plain, sizeof plain);
            } else {
                rc = idr__err(err, IDR_EDATA, NULL,
                              "store %s: a sealed signature does not open under this "
                              "store's key",
                              st->path);
            }
            src = SQLITE_DONE;
        }
        idr__stmt_done(s);
        if (rc == IDR_OK && src != SQLITE_DONE) {
            rc = idr__sql_err(st, src, err, "reading a signature");
        }
    }
    idr__free(r->al, cands);
    return rc;
}

static bool blob_eq(sqlite3_stmt *s, int col, bool has, const uint8_t *h) {
    const void *b = sqlite3_column_blob(s, col);
    return has && b && sqlite3_column_bytes(s, col) == IDR__ID_HASH_BYTES &&
           memcmp(b, h, IDR__ID_HASH_BYTES) == 0;
}

typedef struct other_info {
    const char *id;
    bool same_name, same_surname, same_dob, dob_differs, eor, household;
} other_info;

static int other_fetch(idr_store *st,
                       const idr_candidate *c,
                       const idr__idset *ids,
                       sqlite3_int64 cand,
                       idr__arena *a,
                       other_info *o,
                       idr_error *err) {
    memset(o, 0, sizeof *o);
    sqlite3_stmt *s = idr__stmt(st, IDR__Q_CAND_BY_ROWID, err);
    if (!s) {
        return err->code;
    }
    sqlite3_bind_int64(s, 1, cand);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        o->id = idr__arena_strdup(a, (const char *)sqlite3_column_text(s, 0));
        o->same_name = blob_eq(s, 1, ids->has_name, ids->name);
        o->same_surname = blob_eq(s, 2, ids->has_surname, ids->surname);
        o->same_dob = blob_eq(s, 3, ids->has_dob, ids->dob);
        o->dob_differs = ids->has_dob &&
                         sqlite3_column_bytes(s, 3) == IDR__ID_HASH_BYTES && !o->same_dob;
        o->eor = sqlite3_column_int(s, 4) != 0;
        src = SQLITE_DONE;
    }
    idr__stmt_done(s);
    if (src != SQLITE_DONE) {
        return idr__sql_err(st, src, err, "reading a linked candidate");
    }
    if (!o->id) {
        /* the row went away between the probe and here cannot happen inside one read
         * transaction; a NULL here is the arena failing */
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    const idr__strv *hh = &c->identity.household;
    for (size_t i = 0; i < hh->n && !o->household; i++) {
        o->household = hh->v[i] && strcmp(hh->v[i], o->id) == 0;
    }
    if (!o->household) {
        if (!(s = idr__stmt(st, IDR__Q_HOUSEHOLD, err))) {
            return err->code;
        }
        sqlite3_bind_int64(s, 1, cand);
        sqlite3_bind_text(s, 2, c->candidate_id, -1, SQLITE_STATIC);
        src = sqlite3_step(s);
        o->household = src == SQLITE_ROW;
        idr__stmt_done(s);
        if (src != SQLITE_ROW && src != SQLITE_DONE) {
            return idr__sql_err(st, src, err, "reading a household");
        }
    }
    return IDR_OK;
}

static int link_locked(idr_store *st,
                       const idr_candidate *c,
                       const idr__idset *ids,
                       idr__arena *a,
                       idr__links *out,
                       idr_error *err) {
    /* our own row, never linked to; and the referrer's recorded outcome */
    sqlite3_int64 self = 0;
    sqlite3_stmt *s = idr__stmt(st, IDR__Q_REFERRER, err);
    if (!s) {
        return err->code;
    }
    sqlite3_bind_text(s, 1, c->candidate_id ? c->candidate_id : "", -1, SQLITE_STATIC);
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        self = sqlite3_column_int64(s, 0);
        src = SQLITE_DONE;
    }
    idr__stmt_done(s);
    if (src != SQLITE_DONE) {
        return idr__sql_err(st, src, err, "looking up the candidate");
    }
    raw_vec r = {.al = idr__arena_allocator(a)};
    int rc = match_idents(st, ids, self, &r, err);
    if (rc == IDR_OK && ids->has_photo) {
        rc = match_sig(st, IDR__SIG_PHOTO, ids->photo,
                       (const uint8_t(*)[IDR__BAND_HASH_BYTES])ids->photo_bands,
                       IDR__PHOTO_BANDS, IDR__PHOTO_MAX_DIST, self, &r, err);
    }
    if (rc == IDR_OK && ids->has_resume) {
        rc = match_sig(st, IDR__SIG_RESUME, ids->resume,
                       (const uint8_t(*)[IDR__BAND_HASH_BYTES])ids->resume_bands,
                       IDR__RESUME_BANDS, IDR__RESUME_MAX_DIST, self, &r, err);
    }
    const char *ref = c->work_history.referred_by;
    if (rc == IDR_OK && ref && *ref) {
        out->referrer.id = idr__arena_strdup(a, ref);
        if (!(s = idr__stmt(st, IDR__Q_REFERRER, err))) {
            rc = err->code;
        } else {
            sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
            src = sqlite3_step(s);
            if (src == SQLITE_ROW) {
                sqlite3_int64 cand = sqlite3_column_int64(s, 0);
                out->referrer.found = true;
                out->referrer.score = sqlite3_column_int(s, 1);
                out->referrer.action = sqlite3_column_int(s, 2);
                const char *f = (const char *)sqlite3_column_text(s, 3);
                out->referrer.fired = idr__arena_strdup(a, f ? f : "");
                if (cand != self) {
                    raw_link l = {IDR__LK_REFERRER, cand, 0, 0, 0};
                    if (!raw_push(&r, l)) {
                        rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
                    }
                }
                src = SQLITE_DONE;
            }
            idr__stmt_done(s);
            if (rc == IDR_OK && src != SQLITE_DONE) {
                rc = idr__sql_err(st, src, err, "looking up the referrer");
            }
        }
    }
    /* one read per other candidate: group the raw links by candidate */
    idr__link *links = NULL;
    size_t n = 0;
    if (rc == IDR_OK && r.n) {
        qsort(r.v, r.n, sizeof *r.v, cmp_raw_cand);
        links = idr__calloc(r.al, r.n, sizeof *links);
        if (!links) {
            rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        }
        other_info o;
        for (size_t i = 0; i < r.n && rc == IDR_OK; i++) {
            if (i == 0 || r.v[i].cand != r.v[i - 1].cand) {
                rc = other_fetch(st, c, ids, r.v[i].cand, a, &o, err);
                if (rc != IDR_OK) {
                    break;
                }
            }
            idr__link *l = &links[n++];
            // r.n > 0 and rc == IDR_OK imply links was allocated.
            // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
            memset(l, 0, sizeof *l);
            l->kind = r.v[i].kind;
            l->other_id = o.id;
            l->own_index = r.v[i].own_index;
            l->day = r.v[i].day;
            l->distance = r.v[i].distance;
            l->same_name = o.same_name;
            l->same_surname = o.same_surname;
            l->same_dob = o.same_dob;
            l->dob_differs = o.dob_differs;
            l->other_eor = o.eor;
            l->declared_household = o.household;
        }
    }
    idr__free(r.al, r.v);
    if (rc == IDR_OK) {
        if (n > 1) {
            qsort(links, n, sizeof *links, cmp_link);
        }
        /* one link per (kind, other, own_index): an own phone that is another's phone
         * and reference phone is one link */
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            if (m && links[m - 1].kind == links[i].kind &&
                strcmp(links[m - 1].other_id, links[i].other_id) == 0 &&
                links[m - 1].own_index == links[i].own_index) {
                continue;
            }
            links[m++] = links[i];
        }
        for (size_t i = 0; i < m; i++) {
            out->n_by_kind[links[i].kind]++;
        }
        size_t keep = m < IDR__LINKS_MAX ? m : IDR__LINKS_MAX;
        idr__link *v = idr__arena_alloc(a, (keep ? keep : 1) * sizeof *v);
        if (!v || (ref && *ref && !out->referrer.id) ||
            (out->referrer.found && !out->referrer.fired)) {
            rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        } else {
            if (keep) {
                memcpy(v, links, keep * sizeof *v);
            }
            out->v = v;
            out->n = keep;
            out->omitted = m - keep;
        }
    }
    idr__free(r.al, links);
    return rc;
}

int idr__store_link(idr_store *st,
                    const idr_candidate *c,
                    const idr__enrichment *en,
                    idr__arena *a,
                    idr__links *out,
                    idr_error *err) {
    if (!st || !c || !a || !out) {
        return idr__err(err, IDR_EINVAL, NULL, "store, candidate and output are needed");
    }
    memset(out, 0, sizeof *out);
    idr__idset ids;
    if (idr__idset_build(&ids, idr__arena_allocator(a), &st->keys, c, en) != IDR_OK) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    idr_error local;
    if (!err) {
        err = &local;
    }
    pthread_mutex_lock(&st->mu);
    /* one read transaction: every lookup sees the same snapshot (in bulk mode the
     * open group is that transaction, and the links see its records) */
    bool own = !st->in_group;
    int rc = own ? idr__sql_exec(st, IDR__Q_BEGIN_READ, err, "starting to link") : IDR_OK;
    if (rc == IDR_OK) {
        rc = link_locked(st, c, &ids, a, out, err);
        if (own) {
            sqlite3_exec(st->db, rc == IDR_OK ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
        }
    }
    pthread_mutex_unlock(&st->mu);
    idr__idset_free(&ids);
    if (rc != IDR_OK) {
        memset(out, 0, sizeof *out);
    }
    return rc;
}
