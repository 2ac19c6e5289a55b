/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - the linkage store's file: opening it and its key, the schema and its
 * forward migrations, the connection's settings and statement cache, deletion
 * (forget, purge) and statistics. docs/store.md describes the file and the choices.
 *
 * One database connection per idr_store (db.h: SQLite or PostgreSQL), used under the
 * store's mutex, so one store may be shared by threads; several processes (and, with
 * PostgreSQL, hosts) share a store through the database's own locking.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STORE_FORMAT "idrisk.store"

/* ------------------------------------------------------------------------------------
 * Keys.
 * ---------------------------------------------------------------------------------- */
void idr__store_keys_init(idr__store_keys *k, const uint8_t key[IDR_STORE_KEY_BYTES]) {
    /* The identifier key (and the candidates' key fingerprint) is the one
     * idr__id_key_init derives, so that candidates parsed for the store hash their
     * document and account numbers under it; the sealing key is derived under the
     * store's own context so that no key serves two purposes. The shingle key is fixed
     * (derived from a label, not from the store key): a resume's SimHash is then the
     * same in every store, so the near-duplicate threshold behaves the same everywhere,
     * and it is never at rest unsealed. */
    idr__id_key_init(&k->id, key);
    static const char ctx[crypto_kdf_CONTEXTBYTES] = {'i', 'd', 'r', 's',
                                                      't', 'o', 'r', 'e'};
    crypto_kdf_derive_from_key(k->seal, sizeof k->seal, 1, ctx, key);
    static const char label[] = "idrisk resume shingles v1";
    crypto_generichash(k->shingle, sizeof k->shingle, (const unsigned char *)label,
                       sizeof label - 1, NULL, 0);
}

void idr__store_key_check(const idr__store_keys *k, uint8_t out[IDR__ID_HASH_BYTES]) {
    idr__id_hash(&k->id, "key-check", STORE_FORMAT, strlen(STORE_FORMAT), out);
}

/* Create the key file: 32 random bytes, mode 0600, never over an existing file.
 * IDR_OK; EEXIST in *exists when another process created it first. */
static int create_key_file(const char *kp, bool *exists, idr_error *err) {
    *exists = false;
    int fd = open(kp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) {
            *exists = true;
            return IDR_OK;
        }
        return idr__err(err, IDR_EIO, NULL, "cannot create the key file %s: %s", kp,
                        strerror(errno));
    }
    uint8_t key[IDR_STORE_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    ssize_t w = write(fd, key, sizeof key);
    int e = w == (ssize_t)sizeof key ? 0 : (w < 0 ? errno : EIO);
    if (!e && fsync(fd) != 0) {
        e = errno;
    }
    idr__wipe(key, sizeof key);
    if (close(fd) != 0 && !e) {
        e = errno;
    }
    if (e) {
        unlink(kp);
        return idr__err(err, IDR_EIO, NULL, "cannot write the key file %s: %s", kp,
                        strerror(e));
    }
    return IDR_OK;
}

/* Read the key file; refuse one readable or writable by group or others, or of the
 * wrong size. ENOENT in *missing when there is none. */
static int read_key_file(const char *kp,
                         uint8_t key[IDR_STORE_KEY_BYTES],
                         bool *missing,
                         idr_error *err) {
    *missing = false;
    int fd = open(kp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT) {
            *missing = true;
        }
        return idr__err(err, IDR_EIO, NULL, "cannot open the key file %s: %s", kp,
                        strerror(errno));
    }
    struct stat sb;
    int rc = IDR_OK;
    if (fstat(fd, &sb) != 0) {
        rc = idr__err(err, IDR_EIO, NULL, "cannot stat the key file %s: %s", kp,
                      strerror(errno));
    } else if (!S_ISREG(sb.st_mode)) {
        rc = idr__err(err, IDR_EINVAL, NULL, "the key file %s is not a regular file", kp);
    } else if (sb.st_mode & 077) {
        rc = idr__err(err, IDR_EINVAL, NULL,
                      "the key file %s is accessible by group or others (mode %03o): "
                      "make it 0600 (chmod 600)",
                      kp, (unsigned)(sb.st_mode & 0777));
    } else if (sb.st_size != IDR_STORE_KEY_BYTES) {
        rc = idr__err(err, IDR_EINVAL, NULL,
                      "the key file %s has %lld bytes; a store key is %d bytes", kp,
                      (long long)sb.st_size, IDR_STORE_KEY_BYTES);
    } else {
        size_t got = 0;
        while (got < IDR_STORE_KEY_BYTES) {
            ssize_t r = read(fd, key + got, IDR_STORE_KEY_BYTES - got);
            if (r < 0 && errno == EINTR) {
                continue;
            }
            if (r <= 0) {
                rc = idr__err(err, IDR_EIO, NULL, "cannot read the key file %s: %s", kp,
                              r < 0 ? strerror(errno) : "short file");
                break;
            }
            got += (size_t)r;
        }
    }
    close(fd);
    return rc;
}

/* ------------------------------------------------------------------------------------
 * SQL helpers.
 * ---------------------------------------------------------------------------------- */
int idr__sql_exec(idr_store *st, idr__stmt_id id, idr_error *err, const char *what) {
    idr__dbs *s = idr__stmt(st, id, err);
    if (!s) {
        return err ? err->code : IDR_EIO;
    }
    int rc = idr__step(s);
    idr__stmt_done(s);
    return rc == IDR__DB_DONE ? IDR_OK : idr__sql_err(st, err, what);
}

int idr__sql_script(idr_store *st, const char *sql, idr_error *err, const char *what) {
    return st->db->exec(st, sql) == IDR__DB_DONE ? IDR_OK : idr__sql_err(st, err, what);
}

/* One integer from the statement `id`, bound to `arg` when it is >= 0 (0 when no row
 * or NULL). */
static int query_int(idr_store *st,
                     idr__stmt_id id,
                     long long arg,
                     long long *out,
                     idr_error *err,
                     const char *what) {
    *out = 0;
    idr__dbs *s = idr__stmt(st, id, err);
    if (!s) {
        return err ? err->code : IDR_EIO;
    }
    if (arg >= 0) {
        idr__bind_int(s, 1, arg);
    }
    int rc = idr__step(s);
    if (rc == IDR__DB_ROW) {
        *out = idr__col_int(s, 0);
        rc = IDR__DB_DONE;
    }
    idr__stmt_done(s);
    return rc == IDR__DB_DONE ? IDR_OK : idr__sql_err(st, err, what);
}

/* ------------------------------------------------------------------------------------
 * Opening.
 * ---------------------------------------------------------------------------------- */
static int not_a_store(idr_store *st, idr_error *err, const char *why) {
    return idr__err(err, IDR_EDATA, NULL, "%s is not an idrisk store (%s)", st->path,
                    why);
}

/* Create (version 0) and migrate to IDR__STORE_SCHEMA in one write transaction; the
 * version is read again under the backend's upgrade lock, as another process may have
 * done it. */
static int upgrade(idr_store *st, bool create, idr_error *err) {
    int rc = st->db->begin_upgrade(st, err);
    if (rc != IDR_OK) {
        return rc;
    }
    long long v = 0;
    bool foreign = false;
    rc = st->db->version(st, &v, &foreign, NULL, err);
    if (rc == IDR_OK && v == 0) {
        if (foreign || !create) {
            rc = not_a_store(
                st, err, foreign ? "tables of another application" : "empty database");
        }
        if (rc == IDR_OK) {
            rc = idr__sql_script(st, st->db->ddl[0], err, "creating the schema");
        }
        idr__dbs *s = rc == IDR_OK ? idr__stmt(st, IDR__Q_META_INSERT, err) : NULL;
        if (rc == IDR_OK && !s) {
            rc = err ? err->code : IDR_EIO;
        } else if (s) {
            uint8_t check[IDR__ID_HASH_BYTES];
            idr__store_key_check(&st->keys, check);
            idr__bind_text(s, 1, STORE_FORMAT);
            idr__bind_blob(s, 2, check, sizeof check);
            int src = idr__step(s);
            idr__stmt_done(s);
            if (src != IDR__DB_DONE) {
                rc = idr__sql_err(st, err, "writing the store's key check");
            }
        }
        if (rc == IDR_OK) {
            rc = st->db->set_version(st, 1, err);
            v = 1;
        }
    }
    for (; rc == IDR_OK && v >= 1 && v < IDR__STORE_SCHEMA; v++) {
        rc = idr__sql_script(st, st->db->ddl[v], err, "migrating the schema");
        if (rc == IDR_OK) {
            rc = st->db->set_version(st, v + 1, err);
        }
    }
    if (rc == IDR_OK) {
        rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing the schema upgrade");
    }
    if (rc != IDR_OK) {
        st->db->exec(st, "ROLLBACK");
    }
    return rc;
}

/* The meta table says this is a store, made with this key. */
static int check_meta(idr_store *st, idr_error *err) {
    idr__dbs *s = idr__stmt(st, IDR__Q_META_READ, err);
    if (!s) {
        return err ? err->code : IDR_EIO;
    }
    bool format = false, key_seen = false, key_ok = false;
    int rc;
    while ((rc = idr__step(s)) == IDR__DB_ROW) {
        const char *k = idr__col_text(s, 0);
        if (!k) {
            continue;
        }
        size_t n = 0;
        const void *b = idr__col_blob(s, 1, &n);
        if (strcmp(k, "format") == 0) {
            format = b && n == strlen(STORE_FORMAT) && memcmp(b, STORE_FORMAT, n) == 0;
        } else if (strcmp(k, "key_check") == 0) {
            uint8_t check[IDR__ID_HASH_BYTES];
            idr__store_key_check(&st->keys, check);
            key_seen = true;
            key_ok = b && n == sizeof check && sodium_memcmp(b, check, sizeof check) == 0;
        }
    }
    idr__stmt_done(s);
    if (rc != IDR__DB_DONE) {
        return idr__sql_err(st, err, "reading meta");
    }
    if (!format || !key_seen) {
        return not_a_store(st, err, "no idrisk format mark");
    }
    if (!key_ok) {
        return idr__err(err, IDR_EDATA, NULL,
                        "the key does not match this store (%s): it was created with "
                        "another key",
                        st->path);
    }
    return IDR_OK;
}

static int open_db(idr_store *st, unsigned flags, idr_error *err) {
    bool create = flags & IDR_STORE_CREATE;
    int rc = st->db->connect(st, flags, err);
    long long v = 0;
    bool foreign = false;
    if (rc == IDR_OK) {
        rc = st->db->version(st, &v, st->readonly ? NULL : &foreign, NULL, err);
    }
    if (rc != IDR_OK) {
        return rc;
    }
    if (v > IDR__STORE_SCHEMA) {
        return idr__err(err, IDR_EDATA, NULL,
                        "the store %s has a newer schema (version %lld) than this "
                        "library knows (%d): upgrade idrisk",
                        st->path, v, IDR__STORE_SCHEMA);
    }
    if (!st->readonly) {
        if (v == 0 && (foreign || !create)) {
            return not_a_store(
                st, err, foreign ? "tables of another application" : "empty database");
        }
        if ((rc = st->db->prepare_write(st, err)) != IDR_OK) {
            return rc;
        }
        if (v < IDR__STORE_SCHEMA && (rc = upgrade(st, create, err)) != IDR_OK) {
            return rc;
        }
    } else if (v < IDR__STORE_SCHEMA) {
        return v == 0 ? not_a_store(st, err, "empty database")
                      : idr__err(err, IDR_EDATA, NULL,
                                 "the store %s has schema version %lld: open it once "
                                 "without IDR_STORE_READONLY to migrate it to %d",
                                 st->path, v, IDR__STORE_SCHEMA);
    }
    return check_meta(st, err);
}

bool idr__db_is_uri(const char *path) {
    return path && (strncmp(path, "postgresql://", 13) == 0 ||
                    strncmp(path, "postgres://", 11) == 0);
}

/* The URI as messages may show it: the password of its user-info part and any
 * password= parameter left out. NULL when out of memory. */
static char *uri_shown(const char *uri) {
    size_t n = strlen(uri);
    char *out = malloc(n + 1);
    if (!out) {
        return NULL;
    }
    const char *p = strstr(uri, "://");
    size_t o = 0, i = 0;
    if (p) {
        size_t auth = (size_t)(p - uri) + 3;
        size_t end = auth + strcspn(uri + auth, "/?");
        const char *at = memchr(uri + auth, '@', end - auth);
        const char *colon =
            at ? memchr(uri + auth, ':', (size_t)(at - uri) - auth) : NULL;
        if (colon) {
            memcpy(out, uri, (size_t)(colon - uri));
            o = (size_t)(colon - uri);
            i = (size_t)(at - uri);
        }
    }
    /* the query: copy every parameter but password= */
    bool in_query = false;
    while (i < n) {
        char ch = uri[i];
        out[o++] = ch;
        i++;
        if ((!in_query && ch == '?') || (in_query && ch == '&')) {
            in_query = true;
            while (strncmp(uri + i, "password=", 9) == 0) {
                i += strcspn(uri + i, "&");
                i += uri[i] == '&';
            }
        }
    }
    out[o] = '\0';
    return out;
}

/* The PostgreSQL backend, NULL when built without libpq. */
static const idr__db_ops *pg_ops(void) {
#ifdef IDR_HAVE_LIBPQ
    return &idr__db_pg;
#else
    return NULL;
#endif
}

static int open_impl(idr_store **out,
                     const char *path,
                     const char *key_path,
                     const unsigned char *given_key,
                     unsigned flags,
                     idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, NULL, "out must not be NULL");
    }
    *out = NULL;
    if (!path || !*path) {
        return idr__err(err, IDR_EINVAL, NULL, "the store path must not be empty");
    }
    if (flags & ~(IDR_STORE_CREATE | IDR_STORE_READONLY | IDR_STORE_BULK)) {
        return idr__err(err, IDR_EINVAL, NULL, "unknown store flags 0x%x", flags);
    }
    if ((flags & IDR_STORE_READONLY) && (flags & (IDR_STORE_CREATE | IDR_STORE_BULK))) {
        return idr__err(
            err, IDR_EINVAL, NULL,
            "IDR_STORE_READONLY excludes IDR_STORE_CREATE and IDR_STORE_BULK");
    }
    bool pg = idr__db_is_uri(path);
    const idr__db_ops *ops = pg ? pg_ops() : &idr__db_sqlite;
    if (!ops) {
        return idr__err(
            err, IDR_EINVAL, NULL,
            "the store is a PostgreSQL URI, but this idrisk was built without "
            "PostgreSQL support (libpq)");
    }
    if (pg && !given_key && !key_path) {
        return idr__err(err, IDR_EINVAL, "key_path",
                        "a PostgreSQL store needs key_path (or idr_store_open_with_key): "
                        "its key never goes into the database");
    }
    if (idr__crypto_init() != 0) {
        return idr__err(err, IDR_EIO, NULL, "libsodium could not be initialised");
    }
    idr_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = pg ? uri_shown(path) : strdup(path)) ||
        (pg && !(st->conninfo = strdup(path)))) {
        if (st) {
            free(st->path);
        }
        free(st);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    if (pthread_mutex_init(&st->mu, NULL) != 0) {
        free(st->path);
        free(st->conninfo);
        free(st);
        return idr__err(err, IDR_ENOMEM, NULL, "cannot create the store's mutex");
    }
    st->db = ops;
    st->readonly = flags & IDR_STORE_READONLY;
    st->bulk = flags & IDR_STORE_BULK;
    uint8_t key[IDR_STORE_KEY_BYTES];
    int rc = IDR_OK;
    /* A key is made only with a new store: an existing store whose key file is gone
     * cannot be read with a new one. A file is new when missing or empty; a server's
     * store when its database has no idrisk schema yet (asked once connected). */
    bool new_store = false;
    if (pg && !given_key) {
        rc = st->db->connect(st, flags, err);
        if (rc == IDR_OK) {
            long long v = 0;
            rc = st->db->version(st, &v, NULL, &new_store, err);
        }
    } else if (!given_key) {
        struct stat sb;
        new_store = stat(path, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
    }
    if (rc != IDR_OK) {
        /* connecting failed: err says why */
    } else if (given_key) {
        memcpy(key, given_key, sizeof key);
    } else {
        char *kp = NULL;
        if (key_path) {
            kp = strdup(key_path);
        } else {
            size_t n = strlen(path);
            if ((kp = malloc(n + sizeof ".key")) != NULL) {
                memcpy(kp, path, n);
                memcpy(kp + n, ".key", sizeof ".key");
            }
        }
        if (!kp) {
            rc = idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        } else {
            bool missing = false;
            idr_error first;
            rc = read_key_file(kp, key, &missing, &first);
            if (rc != IDR_OK && missing && (flags & IDR_STORE_CREATE) && new_store) {
                bool exists = false;
                rc = create_key_file(kp, &exists, err);
                if (rc == IDR_OK) {
                    rc = read_key_file(kp, key, &missing, err);
                }
            } else if (rc != IDR_OK && new_store && !(flags & IDR_STORE_CREATE)) {
                rc = idr__err(err, IDR_EIO, NULL,
                              "no store at %s (IDR_STORE_CREATE creates one)", st->path);
            } else if (rc != IDR_OK && err) {
                *err = first;
            }
            free(kp);
        }
    }
    if (rc == IDR_OK) {
        idr__store_keys_init(&st->keys, key);
        rc = open_db(st, flags, err);
    }
    idr__wipe(key, sizeof key);
    if (rc != IDR_OK) {
        idr_store_free(st);
        return rc;
    }
    *out = st;
    return IDR_OK;
}

int idr_store_open(idr_store **out,
                   const char *path,
                   const char *key_path,
                   unsigned flags,
                   idr_error *err) {
    return open_impl(out, path, key_path, NULL, flags, err);
}

int idr_store_open_with_key(idr_store **out,
                            const char *path,
                            const unsigned char *key,
                            size_t key_len,
                            unsigned flags,
                            idr_error *err) {
    if (out) {
        *out = NULL;
    }
    if (!key || key_len != IDR_STORE_KEY_BYTES) {
        return idr__err(err, IDR_EINVAL, NULL, "a store key is %d bytes (got %zu)",
                        IDR_STORE_KEY_BYTES, key ? key_len : (size_t)0);
    }
    return open_impl(out, path, NULL, key, flags, err);
}

void idr_store_free(idr_store *st) {
    if (!st) {
        return;
    }
    if (st->conn) {
        idr__store_group_commit(st,
                                NULL); /* a caller who must know calls idr_store_sync */
        st->db->close(st);
    }
    pthread_mutex_destroy(&st->mu);
    free(st->path);
    if (st->conninfo) {
        idr__wipe(st->conninfo, strlen(st->conninfo));
        free(st->conninfo);
    }
    idr__wipe(&st->keys, sizeof st->keys);
    free(st);
}

int idr_store_set_busy_timeout(idr_store *st, unsigned ms) {
    if (!st) {
        return IDR_EINVAL;
    }
    unsigned v = ms > (unsigned)INT_MAX ? (unsigned)INT_MAX : ms;
    pthread_mutex_lock(&st->mu);
    st->busy_ms = v;
    st->db->set_busy_timeout(st, v);
    pthread_mutex_unlock(&st->mu);
    return IDR_OK;
}

const idr__id_key *idr__store_key(const idr_store *st) {
    return &st->keys.id;
}

bool idr__store_readonly(const idr_store *st) {
    return st->readonly;
}

/* ------------------------------------------------------------------------------------
 * Deletion: one transaction, then what the backend does to leave no old copy
 * (docs/store.md: SQLite checkpoints and truncates its WAL; PostgreSQL keeps dead row
 * versions until VACUUM).
 * ---------------------------------------------------------------------------------- */
int idr_store_sync(idr_store *st, idr_error *err) {
    if (!st) {
        return idr__err(err, IDR_EINVAL, NULL, "store must not be NULL");
    }
    if (st->readonly) {
        return IDR_OK; /* nothing of ours to make durable */
    }
    pthread_mutex_lock(&st->mu);
    int out = idr__store_group_commit(st, err);
    if (out == IDR_OK) {
        out = st->db->sync(st, err);
    }
    pthread_mutex_unlock(&st->mu);
    return out;
}

int idr__store_group_commit(idr_store *st, idr_error *err) {
    if (st->group_failed) {
        return idr__err(err, IDR_EIO, NULL,
                        "an earlier grouped commit of this store failed: the records "
                        "since the last idr_store_sync() are lost; reopen the store and "
                        "record them again");
    }
    if (!st->in_group) {
        return IDR_OK;
    }
    st->in_group = false;
    int rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing a group of records");
    if (rc != IDR_OK) {
        st->db->exec(st, "ROLLBACK");
        st->group_failed = true;
    }
    return rc;
}

static int delete_where(idr_store *st,
                        idr__stmt_id id,
                        const char *cid,
                        int64_t before,
                        unsigned long long *n,
                        idr_error *err) {
    *n = 0;
    if (st->readonly) {
        return idr__err(err, IDR_EINVAL, NULL, "the store is open read-only");
    }
    pthread_mutex_lock(&st->mu);
    int rc = idr__store_group_commit(st, err);
    if (rc == IDR_OK) {
        rc = idr__sql_exec(st, IDR__Q_BEGIN_WRITE, err, "starting the deletion");
    }
    if (rc == IDR_OK) {
        idr__dbs *s = idr__stmt(st, id, err);
        if (!s) {
            rc = err ? err->code : IDR_EIO;
        } else {
            if (cid) {
                idr__bind_text(s, 1, cid);
            } else {
                idr__bind_int(s, 1, before);
            }
            int src = idr__step(s);
            idr__stmt_done(s);
            if (src != IDR__DB_DONE) {
                rc = idr__sql_err(st, err, "deleting");
            } else {
                *n = st->db->changes(st);
                rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing the deletion");
            }
        }
        if (rc != IDR_OK) {
            *n = 0;
            st->db->exec(st, "ROLLBACK");
        }
    }
    if (rc == IDR_OK) {
        rc = st->db->after_delete(st, err);
    }
    pthread_mutex_unlock(&st->mu);
    return rc;
}

int idr_store_forget(idr_store *st,
                     const char *candidate_id,
                     int *found,
                     idr_error *err) {
    if (found) {
        *found = 0;
    }
    if (!st || !candidate_id) {
        return idr__err(err, IDR_EINVAL, NULL, "store and candidate_id must not be NULL");
    }
    unsigned long long n = 0;
    int rc = delete_where(st, IDR__Q_DELETE_CAND, candidate_id, 0, &n, err);
    if (found) {
        *found = n > 0;
    }
    return rc;
}

int idr_store_purge(idr_store *st,
                    int64_t before,
                    unsigned long long *removed,
                    idr_error *err) {
    if (removed) {
        *removed = 0;
    }
    if (!st) {
        return idr__err(err, IDR_EINVAL, NULL, "store must not be NULL");
    }
    unsigned long long n = 0;
    int rc = delete_where(st, IDR__Q_DELETE_BEFORE, NULL, before, &n, err);
    if (removed) {
        *removed = n;
    }
    return rc;
}

/* ------------------------------------------------------------------------------------
 * Statistics: counts only, never a value.
 * ---------------------------------------------------------------------------------- */
static int stats_locked(idr_store *st, idr__jw *w, idr_error *err) {
    long long v = 0, n = 0, bytes = 0;
    int rc = st->db->version(st, &v, NULL, NULL, err);
    if (rc == IDR_OK) {
        rc = query_int(st, IDR__Q_COUNT_CAND, -1, &n, err, "counting");
    }
    if (rc != IDR_OK) {
        return rc;
    }
    idr__jw_int(w, "schema_version", v);
    idr__jw_int(w, "candidates", n);
    long long by_class[IDR__IC_COUNT] = {0};
    idr__dbs *s = idr__stmt(st, IDR__Q_COUNT_BY_CLASS, err);
    if (!s) {
        return err ? err->code : IDR_EIO;
    }
    int src;
    while ((src = idr__step(s)) == IDR__DB_ROW) {
        long long c = idr__col_int(s, 0);
        if (c > 0 && c < IDR__IC_COUNT) {
            by_class[c] = idr__col_int(s, 1);
        }
    }
    idr__stmt_done(s);
    if (src != IDR__DB_DONE) {
        return idr__sql_err(st, err, "counting identifiers");
    }
    idr__jw_obj_begin(w, "identifiers");
    for (int c = 1; c < IDR__IC_COUNT; c++) {
        idr__jw_int(w, idr__id_class_name((idr__id_class)c), by_class[c]);
    }
    idr__jw_obj_end(w);
    long long photos = 0, resumes = 0;
    rc = query_int(st, IDR__Q_COUNT_SIG, IDR__SIG_PHOTO, &photos, err, "counting photos");
    if (rc == IDR_OK) {
        rc = query_int(st, IDR__Q_COUNT_SIG, IDR__SIG_RESUME, &resumes, err,
                       "counting resumes");
    }
    if (rc != IDR_OK) {
        return rc;
    }
    idr__jw_int(w, "photos", photos);
    idr__jw_int(w, "resumes", resumes);
    const struct {
        const char *key;
        idr__stmt_id q;
    } ends[2] = {{"oldest_recorded_at", IDR__Q_MIN_RECORDED},
                 {"newest_recorded_at", IDR__Q_MAX_RECORDED}};
    for (int i = 0; i < 2; i++) {
        long long t = 0;
        if ((rc = query_int(st, ends[i].q, -1, &t, err, "reading recorded_at")) !=
            IDR_OK) {
            return rc;
        }
        if (n == 0) {
            idr__jw_null(w, ends[i].key);
        } else {
            char buf[21];
            idr__format_instant(t, buf);
            idr__jw_str(w, ends[i].key, buf);
        }
    }
    rc = query_int(st, IDR__Q_SIZE, -1, &bytes, err, "reading the size");
    if (rc == IDR_OK) {
        idr__jw_int(w, "file_bytes", bytes);
    }
    return rc;
}

int idr_store_stats_json(idr_store *st, char **out, idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, NULL, "out must not be NULL");
    }
    *out = NULL;
    if (!st) {
        return idr__err(err, IDR_EINVAL, NULL, "store must not be NULL");
    }
    idr__buf b;
    idr__buf_init(&b, NULL);
    idr__jw w;
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    pthread_mutex_lock(&st->mu);
    /* one read transaction: the counts are of one snapshot (the open group's, which
     * already is one transaction, in bulk mode) */
    int rc = st->in_group ? IDR_OK
                          : idr__sql_exec(st, IDR__Q_BEGIN_READ, err, "starting a read");
    if (rc == IDR_OK) {
        rc = stats_locked(st, &w, err);
        if (!st->in_group) {
            st->db->exec(st, rc == IDR_OK ? "COMMIT" : "ROLLBACK");
        }
    }
    pthread_mutex_unlock(&st->mu);
    idr__jw_obj_end(&w);
    if (rc != IDR_OK) {
        idr__buf_free(&b);
        return rc;
    }
    *out = idr__buf_take(&b, NULL);
    return *out ? IDR_OK : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
}
