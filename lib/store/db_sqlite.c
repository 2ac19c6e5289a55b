/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db_sqlite.c - the store in a SQLite file (db.h): the schema in SQLite's dialect, the
 * connection's settings and its statement cache. docs/store.md describes the file.
 *
 * Several processes share a file through SQLite's own locking (WAL mode: readers never
 * wait for the writer, writers queue for up to the busy timeout). Every write is one
 * BEGIN IMMEDIATE transaction: it takes the write lock before reading, so two writers
 * never deadlock upgrading a read lock.
 */
#include "store/store_int.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char *const ddl[] = {idr__store_schema_v1, migrate_1_to_2};
_Static_assert(sizeof ddl / sizeof ddl[0] == IDR__STORE_SCHEMA,
               "one script per version step");

// Long statements are split over lines: each entry is one designated initializer.
// NOLINTBEGIN(bugprone-suspicious-missing-comma)
static const char *const stmt_sql[IDR__Q_COUNT] = {
    [IDR__Q_BEGIN_READ] = "BEGIN",
    [IDR__Q_BEGIN_WRITE] = "BEGIN IMMEDIATE",
    [IDR__Q_COMMIT] = "COMMIT",
    [IDR__Q_ROLLBACK] = "ROLLBACK",
    [IDR__Q_DELETE_CAND] = "DELETE FROM candidates WHERE candidate_id = ?1",
    [IDR__Q_INSERT_CAND] =
        "INSERT INTO candidates(candidate_id, name_hash, surname_hash,"
        " dob_hash, eor, score, action, fired, recorded_at, as_of)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
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
    [IDR__Q_DELETE_BEFORE] = "DELETE FROM candidates WHERE recorded_at < ?1",
    [IDR__Q_META_READ] = "SELECT k, v FROM meta",
    [IDR__Q_META_INSERT] =
        "INSERT INTO meta(k, v) VALUES('format', ?1), ('key_check', ?2)",
    [IDR__Q_COUNT_CAND] = "SELECT count(*) FROM candidates",
    [IDR__Q_COUNT_BY_CLASS] = "SELECT class, count(*) FROM identifiers GROUP BY class",
    [IDR__Q_COUNT_SIG] = "SELECT count(*) FROM signatures WHERE kind = ?1",
    [IDR__Q_MIN_RECORDED] = "SELECT min(recorded_at) FROM candidates",
    [IDR__Q_MAX_RECORDED] = "SELECT max(recorded_at) FROM candidates",
    [IDR__Q_SIZE] = "SELECT page_count * page_size FROM pragma_page_count(),"
                    " pragma_page_size()",
};
// NOLINTEND(bugprone-suspicious-missing-comma)

typedef struct lite_stmt {
    idr__dbs base;
    sqlite3_stmt *s;
    struct lite *db;
} lite_stmt;

typedef struct lite {
    sqlite3 *db;
    int last; /* the last failing result code */
    lite_stmt stmt[IDR__Q_COUNT];
} lite;

#define LITE(st) ((lite *)(st)->conn)

static int fail(lite *l, int rc) {
    l->last = rc;
    return IDR__DB_FAIL;
}

static int lite_err(idr_store *st, idr_error *err, const char *what) {
    lite *l = LITE(st);
    int rc = l ? l->last : SQLITE_ERROR;
    int prim = rc & 0xff;
    int code = IDR_EIO;
    const char *hint = "";
    st->retry = false;
    if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED) {
        code = IDR_EBUSY;
        hint = "another connection held the write lock for longer than the busy timeout";
    } else if (prim == SQLITE_NOMEM) {
        code = IDR_ENOMEM;
    } else if (prim == SQLITE_NOTADB || prim == SQLITE_CORRUPT) {
        code = IDR_EDATA;
    }
    const char *msg = l && l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc);
    if (*hint) {
        return idr__err(err, code, NULL, "store %s: %s: %s (%s of %u ms)", st->path, what,
                        msg, hint, st->busy_ms);
    }
    return idr__err(err, code, NULL, "store %s: %s: %s", st->path, what, msg);
}

static int lite_exec(idr_store *st, const char *sql) {
    int rc = sqlite3_exec(LITE(st)->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? IDR__DB_DONE : fail(LITE(st), rc);
}

static int exec_sql(idr_store *st, const char *sql, idr_error *err, const char *what) {
    return lite_exec(st, sql) == IDR__DB_DONE ? IDR_OK : lite_err(st, err, what);
}

/* One integer from `sql` (0 when no row). */
static int query_int(
    idr_store *st, const char *sql, long long *out, idr_error *err, const char *what) {
    lite *l = LITE(st);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(l->db, sql, -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
    }
    *out = 0;
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_DONE;
    }
    l->last = rc;
    int ret = rc == SQLITE_DONE ? IDR_OK : lite_err(st, err, what);
    sqlite3_finalize(s);
    return ret;
}

static int not_a_store(idr_store *st, idr_error *err, const char *why) {
    return idr__err(err, IDR_EDATA, NULL, "%s is not an idrisk store (%s)", st->path,
                    why);
}

static int lite_connect(idr_store *st, unsigned flags, idr_error *err) {
    if (st->conn) {
        return IDR_OK;
    }
    lite *l = calloc(1, sizeof *l);
    if (!l) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    st->conn = l;
    bool create = flags & IDR_STORE_CREATE;
    int oflags =
        (st->readonly ? SQLITE_OPEN_READONLY
                      : SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0)) |
        SQLITE_OPEN_NOMUTEX;
    int rc = sqlite3_open_v2(st->path, &l->db, oflags, NULL);
    if (rc != SQLITE_OK) {
        return idr__err(err, (rc & 0xff) == SQLITE_NOMEM ? IDR_ENOMEM : IDR_EIO, NULL,
                        "cannot open the store %s: %s", st->path,
                        l->db ? sqlite3_errmsg(l->db) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(l->db, 1);
    st->busy_ms = IDR__STORE_BUSY_MS;
    sqlite3_busy_timeout(l->db, IDR__STORE_BUSY_MS);
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
    /* synchronous=NORMAL in WAL mode: a commit is in the WAL when the call returns,
     * so it survives the process being killed at any moment (what batch resume relies
     * on); the WAL is fsynced at each checkpoint, and idr_store_sync() forces one, so
     * that the last commits also survive a power loss once it returns. FULL would
     * fsync every record: it bounded recording at a few hundred records per second.
     * temp_store=MEMORY keeps the statement journal of each grouped record's SAVEPOINT
     * in memory: on disk it was 75 pwrite calls per record (377,742 for 5,000 records,
     * now 10,499 in all, strace -c). */
    return exec_sql(st,
                    "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON; "
                    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA "
                    "temp_store = MEMORY; "
                    "PRAGMA mmap_size = 268435456",
                    err, "configuring the connection");
}

static void lite_close(idr_store *st) {
    lite *l = LITE(st);
    if (!l) {
        return;
    }
    for (size_t i = 0; i < IDR__Q_COUNT; i++) {
        sqlite3_finalize(l->stmt[i].s);
    }
    sqlite3_close(l->db);
    free(l);
    st->conn = NULL;
}

static int
lite_version(idr_store *st, long long *v, bool *foreign, bool *fresh, idr_error *err) {
    int rc = query_int(st, "PRAGMA user_version", v, err, "reading the schema version");
    long long tables = 0;
    if (rc == IDR_OK && *v == 0 && (foreign || fresh)) {
        rc = query_int(st, "SELECT count(*) FROM sqlite_master", &tables, err,
                       "reading the schema");
    }
    if (foreign) {
        *foreign = tables > 0;
    }
    if (fresh) {
        *fresh = *v == 0 && tables == 0;
    }
    return rc;
}

static int lite_set_version(idr_store *st, long long v, idr_error *err) {
    char set[64];
    snprintf(set, sizeof set, "PRAGMA user_version = %lld", v);
    return exec_sql(st, set, err, "setting the version");
}

static int lite_prepare_write(idr_store *st, idr_error *err) {
    lite *l = LITE(st);
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(l->db, "PRAGMA journal_mode = WAL", -1, &s, NULL);
    if (rc == SQLITE_OK) {
        rc = sqlite3_step(s);
    }
    const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
    bool wal = mode && strcmp(mode, "wal") == 0;
    int out = IDR_OK;
    if (rc != SQLITE_ROW) {
        l->last = rc;
        out = lite_err(st, err, "switching to WAL mode");
    } else if (!wal) {
        out = idr__err(err, IDR_EIO, NULL,
                       "store %s: WAL mode is not available (journal mode %s)", st->path,
                       mode ? mode : "?");
    }
    sqlite3_finalize(s);
    return out;
}

static int lite_begin_upgrade(idr_store *st, idr_error *err) {
    return idr__sql_exec(st, IDR__Q_BEGIN_WRITE, err, "starting the schema upgrade");
}

/* Deletion: the WAL is checkpointed into the database and truncated, so that the
 * deleted rows' pages (zeroed by secure_delete) are the only copies left and no old
 * page image with the candidate's hashes stays in the WAL. */
static int lite_after_delete(idr_store *st, idr_error *err) {
    int rc = sqlite3_wal_checkpoint_v2(LITE(st)->db, NULL, SQLITE_CHECKPOINT_TRUNCATE,
                                       NULL, NULL);
    if (rc == SQLITE_OK) {
        return IDR_OK;
    }
    fail(LITE(st), rc);
    return lite_err(st, err,
                    "the rows are deleted, but the WAL could not be "
                    "checkpointed and truncated (retry the call)");
}

static int lite_sync(idr_store *st, idr_error *err) {
    /* PASSIVE: fsync the WAL, copy what no reader still needs, never wait for
     * readers. The WAL being synced is what makes every commit durable. */
    int rc = sqlite3_wal_checkpoint_v2(LITE(st)->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       NULL, NULL);
    /* another connection's checkpoint running makes ours SQLITE_BUSY at once (the busy
     * handler is not called): wait for it, as a write waits for the lock */
    for (unsigned waited = 0; (rc & 0xff) == SQLITE_BUSY && waited < st->busy_ms;
         waited += 5) {
        sqlite3_sleep(5);
        rc = sqlite3_wal_checkpoint_v2(LITE(st)->db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                       NULL, NULL);
    }
    if (rc == SQLITE_OK) {
        return IDR_OK;
    }
    fail(LITE(st), rc);
    return lite_err(st, err, "syncing the store to disk");
}

static void lite_set_busy_timeout(idr_store *st, unsigned ms) {
    sqlite3_busy_timeout(LITE(st)->db, (int)ms);
}

static const idr__db_ops *ops_of(void);

static idr__dbs *lite_stmt_get(idr_store *st, idr__stmt_id id, idr_error *err) {
    lite *l = LITE(st);
    lite_stmt *ls = &l->stmt[id];
    if (!ls->s) {
        int rc = sqlite3_prepare_v3(l->db, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
                                    &ls->s, NULL);
        if (rc != SQLITE_OK) {
            l->last = rc;
            /* the meta table missing is a file that is not ours */
            if (id == IDR__Q_META_READ && (rc & 0xff) == SQLITE_ERROR) {
                not_a_store(st, err, "no meta table");
            } else {
                lite_err(st, err, "preparing a statement");
            }
            ls->s = NULL;
            return NULL;
        }
        ls->base.ops = ops_of();
        ls->db = l;
    }
    return &ls->base;
}

#define LS(x) ((lite_stmt *)(x))

static void lite_bind_int(idr__dbs *s, int i, int64_t v) {
    sqlite3_bind_int64(LS(s)->s, i, v);
}
static void lite_bind_text(idr__dbs *s, int i, const char *v) {
    sqlite3_bind_text(LS(s)->s, i, v, -1, SQLITE_STATIC);
}
static void lite_bind_blob(idr__dbs *s, int i, const void *p, size_t n) {
    sqlite3_bind_blob(LS(s)->s, i, p, (int)n, SQLITE_TRANSIENT);
}
static void lite_bind_null(idr__dbs *s, int i) {
    sqlite3_bind_null(LS(s)->s, i);
}
static int lite_step(idr__dbs *s) {
    int rc = sqlite3_step(LS(s)->s);
    if (rc == SQLITE_ROW) {
        return IDR__DB_ROW;
    }
    if (rc == SQLITE_DONE) {
        return IDR__DB_DONE;
    }
    return fail(LS(s)->db, rc);
}
static int64_t lite_col_int(idr__dbs *s, int c) {
    return sqlite3_column_int64(LS(s)->s, c);
}
static const char *lite_col_text(idr__dbs *s, int c) {
    return (const char *)sqlite3_column_text(LS(s)->s, c);
}
static const void *lite_col_blob(idr__dbs *s, int c, size_t *n) {
    const void *b = sqlite3_column_blob(LS(s)->s, c);
    *n = (size_t)sqlite3_column_bytes(LS(s)->s, c);
    return b;
}
static void lite_done(idr__dbs *s) {
    sqlite3_reset(LS(s)->s);
    sqlite3_clear_bindings(LS(s)->s);
}
static unsigned long long lite_changes(idr_store *st) {
    return (unsigned long long)sqlite3_changes64(LITE(st)->db);
}

const idr__db_ops idr__db_sqlite = {
    .name = "SQLite",
    .connect = lite_connect,
    .close = lite_close,
    .version = lite_version,
    .set_version = lite_set_version,
    .prepare_write = lite_prepare_write,
    .begin_upgrade = lite_begin_upgrade,
    .ddl = ddl,
    .after_delete = lite_after_delete,
    .sync = lite_sync,
    .set_busy_timeout = lite_set_busy_timeout,
    .stmt = lite_stmt_get,
    .bind_int = lite_bind_int,
    .bind_text = lite_bind_text,
    .bind_blob = lite_bind_blob,
    .bind_null = lite_bind_null,
    .step = lite_step,
    .col_int = lite_col_int,
    .col_text = lite_col_text,
    .col_blob = lite_col_blob,
    .done = lite_done,
    .exec = lite_exec,
    .changes = lite_changes,
    .err = lite_err,
};

static const idr__db_ops *ops_of(void) {
    return &idr__db_sqlite;
}
