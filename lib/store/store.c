/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store.c - the linkage store's file: opening it and its key, the schema and its
 * forward migrations, the connection's settings and statement cache, deletion
 * (forget, purge) and statistics. docs/store.md describes the file and the choices.
 *
 * One SQLite connection per idr_store, used under the store's mutex, so one store may
 * be shared by threads; several processes share a file through SQLite's own locking
 * (WAL mode: readers never wait for the writer, writers queue for up to
 * IDR__STORE_BUSY_MS). Every write is one BEGIN IMMEDIATE transaction: it takes the
 * write lock before reading, so two writers never deadlock upgrading a read lock.
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

/* ------------------------------------------------------------------------------------
 * Schema. Version 1: candidates and their exact-match identifiers. Version 2 adds the
 * date-of-birth hash and the near-duplicate signatures (photo and resume: sealed
 * values and their band hashes). A new store is created at version 1 and migrated, so
 * the migration runs on every new store and cannot rot.
 * ---------------------------------------------------------------------------------- */
const char idr__store_schema_v1[] =
    "CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE candidates("
    " id INTEGER PRIMARY KEY,"
    " candidate_id TEXT NOT NULL UNIQUE,"
    " name_hash BLOB, surname_hash BLOB,"
    " eor INTEGER NOT NULL DEFAULT 0,"
    " score INTEGER NOT NULL, action INTEGER NOT NULL, fired TEXT NOT NULL,"
    " recorded_at INTEGER NOT NULL, as_of INTEGER);"
    "CREATE INDEX candidates_recorded ON candidates(recorded_at);"
    "CREATE TABLE identifiers("
    " cand INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,"
    " class INTEGER NOT NULL, role INTEGER NOT NULL, own_index INTEGER NOT NULL,"
    " day INTEGER NOT NULL DEFAULT 0, hash BLOB NOT NULL);"
    "CREATE INDEX identifiers_hash ON identifiers(hash, day, cand);"
    "CREATE INDEX identifiers_cand ON identifiers(cand);"
    "CREATE TABLE household("
    " cand INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,"
    " other TEXT NOT NULL);"
    "CREATE INDEX household_cand ON household(cand, other);";

static const char migrate_1_to_2[] =
    "ALTER TABLE candidates ADD COLUMN dob_hash BLOB;"
    "CREATE TABLE signatures("
    " cand INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,"
    " kind INTEGER NOT NULL, sealed BLOB NOT NULL, PRIMARY KEY(cand, kind)) WITHOUT "
    "ROWID;"
    "CREATE TABLE bands("
    " cand INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE,"
    " kind INTEGER NOT NULL, hash BLOB NOT NULL);"
    "CREATE INDEX bands_hash ON bands(hash, kind, cand);"
    "CREATE INDEX bands_cand ON bands(cand);";

/* Migration i takes a store from version i to i + 1. */
static const char *const migrations[] = {NULL, migrate_1_to_2};
_Static_assert(sizeof migrations / sizeof migrations[0] == IDR__STORE_SCHEMA,
               "one migration per version step");

#define STORE_FORMAT "idrisk.store"

static const char *const stmt_sql[IDR__Q_COUNT] = {
    [IDR__Q_BEGIN_READ] = "BEGIN",
    [IDR__Q_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [IDR__Q_COMMIT] = "COMMIT",
    [IDR__Q_ROLLBACK] = "ROLLBACK",
    [IDR__Q_DELETE_CAND] = "DELETE FROM candidates WHERE candidate_id = ?1",
    [IDR__Q_INSERT_CAND] = "INSERT INTO candidates(candidate_id, name_hash, surname_hash,"
                           " dob_hash, eor, score, action, fired, recorded_at, as_of)"
                           " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [IDR__Q_INSERT_IDENT] = "INSERT INTO identifiers(cand, class, role, own_index, day,"
                            " hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    [IDR__Q_INSERT_HOUSEHOLD] = "INSERT INTO household(cand, other) VALUES(?1, ?2)",
    [IDR__Q_INSERT_BAND] = "INSERT INTO bands(cand, kind, hash) VALUES(?1, ?2, ?3)",
    [IDR__Q_INSERT_SIG] = "INSERT INTO signatures(cand, kind, sealed) VALUES(?1, ?2, ?3)",
    [IDR__Q_MATCH_IDENT] = "SELECT cand FROM identifiers WHERE hash = ?1 AND day = ?2",
    [IDR__Q_MATCH_BAND] = "SELECT cand FROM bands WHERE hash = ?1 AND kind = ?2",
    [IDR__Q_CAND_BY_ROWID] = "SELECT candidate_id, name_hash, surname_hash, dob_hash, eor"
                             " FROM candidates WHERE id = ?1",
    [IDR__Q_SIG] = "SELECT sealed FROM signatures WHERE cand = ?1 AND kind = ?2",
    [IDR__Q_HOUSEHOLD] = "SELECT 1 FROM household WHERE cand = ?1 AND other = ?2",
    [IDR__Q_REFERRER] = "SELECT id, score, action, fired FROM candidates"
                        " WHERE candidate_id = ?1",
};

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
int idr__sql_err(idr_store *st, int rc, idr_error *err, const char *what) {
    int prim = rc & 0xff;
    int code = IDR_EIO;
    const char *hint = "";
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        code = IDR_EBUSY;
        hint = "another connection held the write lock for longer than the busy timeout";
    } else if (prim == SQLITE_NOMEM) {
        code = IDR_ENOMEM;
    } else if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT) {
        code = IDR_EDATA;
    }
    const char *msg = st && st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    if (*hint) {
        return idr__err(err, code, NULL, "store %s: %s: %s (%s of %u ms)",
                        st ? st->path : "?", what, msg, hint, st ? st->busy_ms : 0u);
    }
    return idr__err(err, code, NULL, "store %s: %s: %s", st ? st->path : "?", what, msg);
}

sqlite3_stmt *idr__stmt(idr_store *st, idr__stmt_id id, idr_error *err) {
    if (!st->stmt[id]) {
        int rc = sqlite3_prepare_v3(st->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &st->stmt[id], NULL);
        if (rc != SQLITE_OK) {
            idr__sql_err(st, rc, err, "preparing a statement");
            st->stmt[id] = NULL;
            return NULL;
        }
    }
    return st->stmt[id];
}

void idr__stmt_done(sqlite3_stmt *s) {
    if (s) {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    }
}

int idr__sql_exec(idr_store *st, idr__stmt_id id, idr_error *err, const char *what) {
    sqlite3_stmt *s = idr__stmt(st, id, err);
    if (!s) {
        return err ? err->code : IDR_EIO;
    }
    int rc = sqlite3_step(s);
    idr__stmt_done(s);
    return rc == SQLITE_DONE ? IDR_OK : idr__sql_err(st, rc, err, what);
}

static int exec_sql(idr_store *st, const char *sql, idr_error *err, const char *what) {
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? IDR_OK : idr__sql_err(st, rc, err, what);
}

/* One integer from `sql` (0 when no row). */
static int query_int(
    idr_store *st, const char *sql, long long *out, idr_error *err, const char *what) {
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
    }
    *out = 0;
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    int ret = rc == SQLITE_DONE ? IDR_OK : idr__sql_err(st, rc, err, what);
    sqlite3_finalize(s);
    return ret;
}

/* ------------------------------------------------------------------------------------
 * Opening.
 * ---------------------------------------------------------------------------------- */
static int not_a_store(idr_store *st, idr_error *err, const char *why) {
    return idr__err(err, IDR_EDATA, NULL, "%s is not an idrisk store (%s)", st->path,
                    why);
}

/* Create (version 0) and migrate to IDR__STORE_SCHEMA in one write transaction; the
 * version is read again under the write lock, as another process may have done it. */
static int upgrade(idr_store *st, bool create, idr_error *err) {
    int rc = idr__sql_exec(st, IDR__Q_BEGIN_WRITE, err, "starting the schema upgrade");
    if (rc != IDR_OK) {
        return rc;
    }
    long long v = 0, tables = 0;
    rc = query_int(st, "PRAGMA user_version", &v, err, "reading the schema version");
    if (rc == IDR_OK && v == 0) {
        rc = query_int(st, "SELECT count(*) FROM sqlite_master", &tables, err,
                       "reading the schema");
        if (rc == IDR_OK && (tables || !create)) {
            rc = not_a_store(st, err,
                             tables ? "tables of another application" : "empty database");
        }
        if (rc == IDR_OK) {
            rc = exec_sql(st, idr__store_schema_v1, err, "creating the schema");
        }
        sqlite3_stmt *s = NULL;
        if (rc == IDR_OK) {
            uint8_t check[IDR__ID_HASH_BYTES];
            idr__store_key_check(&st->keys, check);
            int src = sqlite3_prepare_v2(st->db,
                                         "INSERT INTO meta(k, v) VALUES('format', ?1),"
                                         " ('key_check', ?2)",
                                         -1, &s, NULL);
            if (src == SQLITE_OK) {
                sqlite3_bind_text(s, 1, STORE_FORMAT, -1, SQLITE_STATIC);
                sqlite3_bind_blob(s, 2, check, sizeof check, SQLITE_TRANSIENT);
                src = sqlite3_step(s);
            }
            if (src != SQLITE_DONE) {
                rc = idr__sql_err(st, src, err, "writing the store's key check");
            }
            sqlite3_finalize(s);
        }
        if (rc == IDR_OK) {
            rc = exec_sql(st, "PRAGMA user_version = 1", err, "setting the version");
            v = 1;
        }
    }
    for (; rc == IDR_OK && v >= 1 && v < IDR__STORE_SCHEMA; v++) {
        char set[64];
        snprintf(set, sizeof set, "PRAGMA user_version = %lld", v + 1);
        rc = exec_sql(st, migrations[v], err, "migrating the schema");
        if (rc == IDR_OK) {
            rc = exec_sql(st, set, err, "setting the version");
        }
    }
    if (rc == IDR_OK) {
        rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing the schema upgrade");
    }
    if (rc != IDR_OK) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

/* The meta table says this is a store, made with this key. */
static int check_meta(idr_store *st, idr_error *err) {
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT k, v FROM meta", -1, &s, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(s);
        return (rc & 0xff) == SQLITE_ERROR ? not_a_store(st, err, "no meta table")
                                           : idr__sql_err(st, rc, err, "reading meta");
    }
    bool format = false, key_seen = false, key_ok = false;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(s, 0);
        if (!k) {
            continue;
        }
        if (strcmp(k, "format") == 0) {
            const char *v = (const char *)sqlite3_column_text(s, 1);
            format = v && strcmp(v, STORE_FORMAT) == 0;
        } else if (strcmp(k, "key_check") == 0) {
            uint8_t check[IDR__ID_HASH_BYTES];
            idr__store_key_check(&st->keys, check);
            const void *b = sqlite3_column_blob(s, 1);
            key_seen = true;
            key_ok = b && sqlite3_column_bytes(s, 1) == (int)sizeof check &&
                     sodium_memcmp(b, check, sizeof check) == 0;
        }
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) {
        return idr__sql_err(st, rc, err, "reading meta");
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
    int oflags =
        (st->readonly ? SQLITE_OPEN_READONLY
                      : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) |
        SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(st->path, &st->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        int r = idr__err(err, (rc & 0xff) == SQLITE_NOMEM ? IDR_ENOMEM : IDR_EIO, NULL,
                         "cannot open the store %s: %s", st->path,
                         st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        return r;
    }
    sqlite3_extended_result_codes(st->db, 1);
    st->busy_ms = IDR__STORE_BUSY_MS;
    sqlite3_busy_timeout(st->db, IDR__STORE_BUSY_MS);
    /* Checked before anything is changed in the file: a database that is not ours
     * (or not a database) is refused untouched. */
    long long v = 0;
    rc = query_int(st, "PRAGMA user_version", &v, err, "reading the schema version");
    if (rc == IDR_EDATA) {
        return not_a_store(st, err, "not a SQLite database");
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
    /* synchronous=NORMAL in WAL mode: a commit is in the WAL when the call returns,
     * so it survives the process being killed at any moment (what batch resume relies
     * on); the WAL is fsynced at each checkpoint, and idr_store_sync() forces one, so
     * that the last commits also survive a power loss once it returns. FULL would
     * fsync every record: it bounded recording at a few hundred records per second.
     * temp_store=MEMORY keeps the statement journal of each grouped record's SAVEPOINT
     * in memory: on disk it was 75 pwrite calls per record (377,742 for 5,000 records,
     * now 10,499 in all, strace -c). */
    rc = exec_sql(st,
                  "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
                  "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA "
                  "temp_store = MEMORY; "
                  "PRAGMA mmap_size = 268435456",
                  err, "configuring the connection");
    if (rc != IDR_OK) {
        return rc;
    }
    if (!st->readonly) {
        long long tables = 0;
        if (v == 0 && (rc = query_int(st, "SELECT count(*) FROM sqlite_master", &tables,
                                      err, "reading the schema")) != IDR_OK) {
            return rc;
        }
        if (v == 0 && (tables || !create)) {
            return not_a_store(
                st, err, tables ? "tables of another application" : "empty database");
        }
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(s);
        }
        const char *mode =
            rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
        bool wal = mode && strcmp(mode, "wal") == 0;
        sqlite3_finalize(s);
        if (rc != SQLITE_ROW) {
            return idr__sql_err(st, rc, err, "switching to WAL mode");
        }
        if (!wal) {
            return idr__err(err, IDR_EIO, NULL,
                            "store %s: WAL mode is not available (journal mode %s)",
                            st->path, mode ? mode : "?");
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
    if (idr__crypto_init() != 0) {
        return idr__err(err, IDR_EIO, NULL, "libsodium could not be initialised");
    }
    idr_store *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    if (pthread_mutex_init(&st->mu, NULL) != 0) {
        free(st->path);
        free(st);
        return idr__err(err, IDR_ENOMEM, NULL, "cannot create the store's mutex");
    }
    st->readonly = flags & IDR_STORE_READONLY;
    st->bulk = flags & IDR_STORE_BULK;
    uint8_t key[IDR_STORE_KEY_BYTES];
    int rc = IDR_OK;
    if (given_key) {
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
            struct stat sb;
            /* A key is made only with a new store: an existing store whose key file is
             * gone cannot be read with a new one. */
            bool new_store = stat(path, &sb) != 0 ? errno == ENOENT : sb.st_size == 0;
            if (rc != IDR_OK && missing && (flags & IDR_STORE_CREATE) && new_store) {
                bool exists = false;
                rc = create_key_file(kp, &exists, err);
                if (rc == IDR_OK) {
                    rc = read_key_file(kp, key, &missing, err);
                }
            } else if (rc != IDR_OK && new_store && !(flags & IDR_STORE_CREATE)) {
                rc = idr__err(err, IDR_EIO, NULL,
                              "no store at %s (IDR_STORE_CREATE creates one)", path);
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
    idr__store_group_commit(st, NULL); /* a caller who must know calls idr_store_sync */
    for (size_t i = 0; i < IDR__Q_COUNT; i++) {
        sqlite3_finalize(st->stmt[i]);
    }
    sqlite3_close(st->db);
    pthread_mutex_destroy(&st->mu);
    free(st->path);
    idr__wipe(&st->keys, sizeof st->keys);
    free(st);
}

int idr_store_set_busy_timeout(idr_store *st, unsigned ms) {
    if (!st) {
        return IDR_EINVAL;
    }
    int v = ms > (unsigned)INT_MAX ? INT_MAX : (int)ms;
    pthread_mutex_lock(&st->mu);
    st->busy_ms = (unsigned)v;
    sqlite3_busy_timeout(st->db, v);
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
 * Deletion: one transaction, then the WAL is checkpointed into the database and
 * truncated, so that the deleted rows' pages (zeroed by secure_delete) are the only
 * copies left and no old page image with the candidate's hashes stays in the WAL.
 * ---------------------------------------------------------------------------------- */
static int checkpoint(idr_store *st, idr_error *err) {
    int rc =
        sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
    return rc == SQLITE_OK
               ? IDR_OK
               : idr__sql_err(st, rc, err,
                              "the rows are deleted, but the WAL could not be "
                              "checkpointed and truncated (retry the call)");
}

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
        /* PASSIVE: fsync the WAL, copy what no reader still needs, never wait for
         * readers. The WAL being synced is what makes every commit durable. */
        int rc = sqlite3_wal_checkpoint_v2(st->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                           NULL);
        if (rc != SQLITE_OK) {
            out = idr__sql_err(st, rc, err, "syncing the store to disk");
        }
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
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        st->group_failed = true;
    }
    return rc;
}

static int delete_where(idr_store *st,
                        const char *sql,
                        const char *id,
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
        sqlite3_stmt *s = NULL;
        int src = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
        if (src == SQLITE_OK) {
            if (id) {
                sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
            } else {
                sqlite3_bind_int64(s, 1, before);
            }
            src = sqlite3_step(s);
        }
        sqlite3_finalize(s);
        if (src != SQLITE_DONE) {
            rc = idr__sql_err(st, src, err, "deleting");
        } else {
            *n = (unsigned long long)sqlite3_changes64(st->db);
            rc = idr__sql_exec(st, IDR__Q_COMMIT, err, "committing the deletion");
        }
        if (rc != IDR_OK) {
            *n = 0;
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        }
    }
    if (rc == IDR_OK) {
        rc = checkpoint(st, err);
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
    int rc = delete_where(st, "DELETE FROM candidates WHERE candidate_id = ?1",
                          candidate_id, 0, &n, err);
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
    int rc = delete_where(st, "DELETE FROM candidates WHERE recorded_at < ?1", NULL,
                          before, &n, err);
    if (removed) {
        *removed = n;
    }
    return rc;
}

/* ------------------------------------------------------------------------------------
 * Statistics: counts only, never a value.
 * ---------------------------------------------------------------------------------- */
static int stats_locked(idr_store *st, idr__jw *w, idr_error *err) {
    long long v = 0, n = 0, pages = 0, page_size = 0;
    int rc = query_int(st, "PRAGMA user_version", &v, err, "reading the schema version");
    if (rc == IDR_OK) {
        rc = query_int(st, "SELECT count(*) FROM candidates", &n, err, "counting");
    }
    if (rc != IDR_OK) {
        return rc;
    }
    idr__jw_int(w, "schema_version", v);
    idr__jw_int(w, "candidates", n);
    long long by_class[IDR__IC_COUNT] = {0};
    sqlite3_stmt *s = NULL;
    int src = sqlite3_prepare_v2(
        st->db, "SELECT class, count(*) FROM identifiers GROUP BY class", -1, &s, NULL);
    while (src == SQLITE_OK && (src = sqlite3_step(s)) == SQLITE_ROW) {
        long long c = sqlite3_column_int64(s, 0);
        if (c > 0 && c < IDR__IC_COUNT) {
            by_class[c] = sqlite3_column_int64(s, 1);
        }
        src = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (src != SQLITE_DONE) {
        return idr__sql_err(st, src, err, "counting identifiers");
    }
    idr__jw_obj_begin(w, "identifiers");
    for (int c = 1; c < IDR__IC_COUNT; c++) {
        idr__jw_int(w, idr__id_class_name((idr__id_class)c), by_class[c]);
    }
    idr__jw_obj_end(w);
    long long photos = 0, resumes = 0;
    rc = query_int(st, "SELECT count(*) FROM signatures WHERE kind = 1", &photos, err,
                   "counting photos");
    if (rc == IDR_OK) {
        rc = query_int(st, "SELECT count(*) FROM signatures WHERE kind = 2", &resumes,
                       err, "counting resumes");
    }
    if (rc != IDR_OK) {
        return rc;
    }
    idr__jw_int(w, "photos", photos);
    idr__jw_int(w, "resumes", resumes);
    const char *ends[2][2] = {
        {"oldest_recorded_at", "SELECT min(recorded_at) FROM candidates"},
        {"newest_recorded_at", "SELECT max(recorded_at) FROM candidates"}};
    for (int i = 0; i < 2; i++) {
        long long t = 0;
        if ((rc = query_int(st, ends[i][1], &t, err, "reading recorded_at")) != IDR_OK) {
            return rc;
        }
        if (n == 0) {
            idr__jw_null(w, ends[i][0]);
        } else {
            char buf[21];
            idr__format_instant(t, buf);
            idr__jw_str(w, ends[i][0], buf);
        }
    }
    rc = query_int(st, "PRAGMA page_count", &pages, err, "reading the size");
    if (rc == IDR_OK) {
        rc = query_int(st, "PRAGMA page_size", &page_size, err, "reading the size");
    }
    if (rc == IDR_OK) {
        idr__jw_int(w, "file_bytes", pages * page_size);
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
            sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
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
