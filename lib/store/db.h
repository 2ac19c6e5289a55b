/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store/db.h - the store's database interface: what store.c and link.c ask of a SQL
 * database, and nothing more. Two backends implement it: db_sqlite.c (a file) and
 * db_pg.c (a PostgreSQL server through libpq); they are the only files that call
 * either library. Statements are named by id (idr__stmt_id); each backend holds the
 * SQL of every id in its own dialect, prepared once per connection.
 *
 * Every function is called with the store's mutex held (one connection, one caller).
 */
#ifndef IDRISK_STORE_DB_H
#define IDRISK_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idrisk/idrisk.h"

typedef struct idr_store idr_store;

/* The statements of the store, in the dialect of each backend. */
typedef enum idr__stmt_id {
    IDR__Q_BEGIN_READ,  /* a read transaction: one snapshot (PG: REPEATABLE READ) */
    IDR__Q_BEGIN_WRITE, /* a write transaction (SQLite: the write lock at once) */
    IDR__Q_COMMIT,
    IDR__Q_ROLLBACK,
    IDR__Q_DELETE_CAND,
    IDR__Q_INSERT_CAND, /* RETURNING id: one row */
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
    IDR__Q_DELETE_BEFORE,
    IDR__Q_META_READ,   /* k, v */
    IDR__Q_META_INSERT, /* format ?1, key check ?2 */
    IDR__Q_COUNT_CAND,
    IDR__Q_COUNT_BY_CLASS, /* class, count */
    IDR__Q_COUNT_SIG,      /* of kind ?1 */
    IDR__Q_MIN_RECORDED,
    IDR__Q_MAX_RECORDED,
    IDR__Q_SIZE, /* bytes */
    IDR__Q_COUNT
} idr__stmt_id;

/* A statement in use (backend-defined behind this first member). */
typedef struct idr__dbs {
    const struct idr__db_ops *ops;
} idr__dbs;

/* step: a row is ready, or the statement is done; IDR__DB_FAIL: the backend keeps
 * the failure for idr__db_err. */
enum { IDR__DB_DONE = 0, IDR__DB_ROW = 1, IDR__DB_FAIL = -1 };

typedef struct idr__db_ops {
    const char *name; /* "SQLite", "PostgreSQL" */
    /* Connect (idempotent) and configure the connection for `flags`. */
    int (*connect)(idr_store *st, unsigned flags, idr_error *err);
    void (*close)(idr_store *st);
    /* The schema version (0: none); *foreign (may be NULL): tables that are not a
     * store's where the store would be; *fresh (may be NULL): nothing of ours there
     * yet (a new store, for the key file). */
    int (*version)(
        idr_store *st, long long *v, bool *foreign, bool *fresh, idr_error *err);
    int (*set_version)(idr_store *st, long long v, idr_error *err);
    /* What a writer needs before the schema is touched (SQLite: WAL mode). */
    int (*prepare_write)(idr_store *st, idr_error *err);
    /* Open the transaction creating or migrating the schema, serialised with every
     * other connection doing the same. */
    int (*begin_upgrade)(idr_store *st, idr_error *err);
    /* ddl[0] creates version 1; ddl[i] takes version i to i + 1. */
    const char *const *ddl;
    /* After a deletion's commit (SQLite: checkpoint and truncate the WAL). */
    int (*after_delete)(idr_store *st, idr_error *err);
    /* Make the commits durable (idr_store_sync). */
    int (*sync)(idr_store *st, idr_error *err);
    void (*set_busy_timeout)(idr_store *st, unsigned ms);
    /* The cached statement `id`, bindings cleared; NULL with err set. */
    idr__dbs *(*stmt)(idr_store *st, idr__stmt_id id, idr_error *err);
    void (*bind_int)(idr__dbs *s, int i, int64_t v);
    void (*bind_text)(idr__dbs *s, int i, const char *v);
    void (*bind_blob)(idr__dbs *s, int i, const void *p, size_t n);
    void (*bind_null)(idr__dbs *s, int i);
    int (*step)(idr__dbs *s);
    int64_t (*col_int)(idr__dbs *s, int c);
    const char *(*col_text)(idr__dbs *s, int c); /* NULL for SQL NULL */
    const void *(*col_blob)(idr__dbs *s, int c, size_t *n);
    void (*done)(idr__dbs *s); /* reset after use (NULL: nothing) */
    /* Run SQL without a result (a savepoint, a DDL script): IDR__DB_DONE or FAIL. */
    int (*exec)(idr_store *st, const char *sql);
    unsigned long long (*changes)(idr_store *st);
    /* The last failure as an idrisk error (EBUSY, ENOMEM, EDATA, else EIO) with the
     * backend's message and `what`; *retry in the store: the failure is a conflict
     * with another writer that a new attempt may not meet. */
    int (*err)(idr_store *st, idr_error *err, const char *what);
} idr__db_ops;

extern const idr__db_ops idr__db_sqlite;
#ifdef IDR_HAVE_LIBPQ
extern const idr__db_ops idr__db_pg;
#endif

static inline void idr__bind_int(idr__dbs *s, int i, int64_t v) {
    s->ops->bind_int(s, i, v);
}
static inline void idr__bind_text(idr__dbs *s, int i, const char *v) {
    s->ops->bind_text(s, i, v);
}
static inline void idr__bind_blob(idr__dbs *s, int i, const void *p, size_t n) {
    s->ops->bind_blob(s, i, p, n);
}
static inline void idr__bind_null(idr__dbs *s, int i) {
    s->ops->bind_null(s, i);
}
static inline int idr__step(idr__dbs *s) {
    return s->ops->step(s);
}
static inline int64_t idr__col_int(idr__dbs *s, int c) {
    return s->ops->col_int(s, c);
}
static inline const char *idr__col_text(idr__dbs *s, int c) {
    return s->ops->col_text(s, c);
}
static inline const void *idr__col_blob(idr__dbs *s, int c, size_t *n) {
    return s->ops->col_blob(s, c, n);
}
static inline void idr__stmt_done(idr__dbs *s) {
    if (s) {
        s->ops->done(s);
    }
}

/* Whether `path` names a PostgreSQL server (postgresql:// or postgres://). */
bool idr__db_is_uri(const char *path);

#endif /* IDRISK_STORE_DB_H */
