/* SPDX-License-Identifier: Apache-2.0 */
/*
 * db_pg.c - the store in a PostgreSQL database through libpq (db.h): the same schema
 * (version numbers, migrations) in PostgreSQL's dialect, in its own schema `idrisk` so
 * that an application's database can host it. docs/store.md, "PostgreSQL".
 *
 * One connection per idr_store, used under the store's mutex. Statements are prepared
 * once per connection (PQprepare) and run with PQexecPrepared: identifiers and
 * signatures go as binary bytea parameters, integers and text as text, and every
 * result comes back binary (bytea without hex decoding; integers big-endian).
 *
 * Concurrency: a record is written in one READ COMMITTED transaction, delete by
 * candidate_id then insert; the unique constraint on candidate_id makes two writers of
 * the same candidate collide instead of both inserting, and the collision (23505), a
 * serialization failure (40001) or a deadlock (40P01) is reported as a conflict that
 * link.c retries. Linking reads in one REPEATABLE READ READ ONLY transaction: every
 * lookup of one candidate sees the same snapshot, as with SQLite.
 */
#include "store/store_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------------------
 * Schema: db_sqlite.c's, in PostgreSQL's types (BYTEA, BIGINT identity), every table
 * qualified with the schema `idrisk`.
 * ---------------------------------------------------------------------------------- */
static const char schema_v1[] =
    "CREATE TABLE idrisk.meta(k TEXT PRIMARY KEY, v BYTEA NOT NULL);"
    "CREATE TABLE idrisk.candidates("
    " id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
    " candidate_id TEXT NOT NULL UNIQUE,"
    " name_hash BYTEA, surname_hash BYTEA,"
    " eor INTEGER NOT NULL DEFAULT 0,"
    " score INTEGER NOT NULL, action INTEGER NOT NULL, fired TEXT NOT NULL,"
    " recorded_at BIGINT NOT NULL, as_of BIGINT);"
    "CREATE INDEX candidates_recorded ON idrisk.candidates(recorded_at);"
    "CREATE TABLE idrisk.identifiers("
    " cand BIGINT NOT NULL REFERENCES idrisk.candidates(id) ON DELETE CASCADE,"
    " class INTEGER NOT NULL, role INTEGER NOT NULL, own_index BIGINT NOT NULL,"
    " day INTEGER NOT NULL DEFAULT 0, hash BYTEA NOT NULL);"
    "CREATE INDEX identifiers_hash ON idrisk.identifiers(hash, day, cand);"
    "CREATE INDEX identifiers_cand ON idrisk.identifiers(cand);"
    "CREATE TABLE idrisk.household("
    " cand BIGINT NOT NULL REFERENCES idrisk.candidates(id) ON DELETE CASCADE,"
    " other TEXT NOT NULL);"
    "CREATE INDEX household_cand ON idrisk.household(cand, other);";

static const char migrate_1_to_2[] =
    "ALTER TABLE idrisk.candidates ADD COLUMN dob_hash BYTEA;"
    "CREATE TABLE idrisk.signatures("
    " cand BIGINT NOT NULL REFERENCES idrisk.candidates(id) ON DELETE CASCADE,"
    " kind INTEGER NOT NULL, sealed BYTEA NOT NULL, PRIMARY KEY(cand, kind));"
    "CREATE TABLE idrisk.bands("
    " cand BIGINT NOT NULL REFERENCES idrisk.candidates(id) ON DELETE CASCADE,"
    " kind INTEGER NOT NULL, hash BYTEA NOT NULL);"
    "CREATE INDEX bands_hash ON idrisk.bands(hash, kind, cand);"
    "CREATE INDEX bands_cand ON idrisk.bands(cand);";

static const char *const ddl[] = {schema_v1, migrate_1_to_2};
_Static_assert(sizeof ddl / sizeof ddl[0] == IDR__STORE_SCHEMA,
               "one script per version step");

/* Taken (for the transaction) by every connection creating or migrating the schema,
 * so that concurrent first opens run one after the other: "idrisk" in ASCII. */
#define UPGRADE_LOCK "108170012616811"

static const char *const stmt_sql[IDR__Q_COUNT] = {
    [IDR__Q_BEGIN_READ] = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
    [IDR__Q_BEGIN_WRITE] = "BEGIN",
    [IDR__Q_COMMIT] = "COMMIT",
    [IDR__Q_ROLLBACK] = "ROLLBACK",
    [IDR__Q_DELETE_CAND] = "DELETE FROM idrisk.candidates WHERE candidate_id = $1",
    [IDR__Q_INSERT_CAND] =
        "INSERT INTO idrisk.candidates(candidate_id, name_hash,"
        " surname_hash, dob_hash, eor, score, action, fired,"
        " recorded_at, as_of)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    [IDR__Q_INSERT_IDENT] = "INSERT INTO idrisk.identifiers(cand, class, role, own_index,"
                            " day, hash) VALUES($1, $2, $3, $4, $5, $6)",
    [IDR__Q_INSERT_HOUSEHOLD] =
        "INSERT INTO idrisk.household(cand, other) VALUES($1, $2)",
    [IDR__Q_INSERT_BAND] =
        "INSERT INTO idrisk.bands(cand, kind, hash) VALUES($1, $2, $3)",
    [IDR__Q_INSERT_SIG] = "INSERT INTO idrisk.signatures(cand, kind, sealed)"
                          " VALUES($1, $2, $3)",
    [IDR__Q_MATCH_IDENT] =
        "SELECT cand FROM idrisk.identifiers WHERE hash = $1 AND day = $2",
    [IDR__Q_MATCH_BAND] = "SELECT cand FROM idrisk.bands WHERE hash = $1 AND kind = $2",
    [IDR__Q_CAND_BY_ROWID] = "SELECT candidate_id, name_hash, surname_hash, dob_hash, eor"
                             " FROM idrisk.candidates WHERE id = $1",
    [IDR__Q_SIG] = "SELECT sealed FROM idrisk.signatures WHERE cand = $1 AND kind = $2",
    [IDR__Q_HOUSEHOLD] = "SELECT 1 FROM idrisk.household WHERE cand = $1 AND other = $2",
    [IDR__Q_REFERRER] = "SELECT id, score, action, fired FROM idrisk.candidates"
                        " WHERE candidate_id = $1",
    [IDR__Q_DELETE_BEFORE] = "DELETE FROM idrisk.candidates WHERE recorded_at < $1",
    [IDR__Q_META_READ] = "SELECT k, v FROM idrisk.meta",
    [IDR__Q_META_INSERT] = "INSERT INTO idrisk.meta(k, v) VALUES('format', $1::bytea),"
                           " ('key_check', $2::bytea)",
    [IDR__Q_COUNT_CAND] = "SELECT count(*) FROM idrisk.candidates",
    [IDR__Q_COUNT_BY_CLASS] =
        "SELECT class, count(*) FROM idrisk.identifiers GROUP BY class",
    [IDR__Q_COUNT_SIG] = "SELECT count(*) FROM idrisk.signatures WHERE kind = $1",
    [IDR__Q_MIN_RECORDED] = "SELECT min(recorded_at) FROM idrisk.candidates",
    [IDR__Q_MAX_RECORDED] = "SELECT max(recorded_at) FROM idrisk.candidates",
    /* every table of the schema with its indexes and TOAST */
    [IDR__Q_SIZE] = "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint"
                    " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    " WHERE n.nspname = 'idrisk' AND c.relkind = 'r'",
};

#define MAX_PARAMS 10

typedef struct pg_stmt {
    idr__dbs base;
    struct pgc *c;
    idr__stmt_id id;
    bool prepared, ran;
    int n_params;
    const char *values[MAX_PARAMS];
    int lengths[MAX_PARAMS], formats[MAX_PARAMS];
    char ints[MAX_PARAMS][24];
    PGresult *res;
    int row, n_rows;
} pg_stmt;

typedef struct pgc {
    PGconn *conn;
    /* the last failure */
    int code;
    bool retry;
    char msg[512];
    unsigned long long changes;
    int queued; /* inserts sent in pipeline mode, their results not read yet */
    pg_stmt stmt[IDR__Q_COUNT];
} pgc;

#define PGC(st) ((pgc *)(st)->conn)

static void set_msg(pgc *c, const char *m) {
    snprintf(c->msg, sizeof c->msg, "%s", m && *m ? m : "unknown error");
    size_t n = strlen(c->msg);
    while (n && (c->msg[n - 1] == '\n' || c->msg[n - 1] == ' ')) {
        c->msg[--n] = '\0';
    }
}

/* Keep the failure of `res` (NULL: of the connection) for pg_err. */
static int fail(pgc *c, const PGresult *res) {
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    set_msg(c, m ? m : PQerrorMessage(c->conn));
    c->code = IDR_EIO;
    c->retry = false;
    if (state) {
        if (!strcmp(state, "23505") || !strcmp(state, "40001") ||
            !strcmp(state, "40P01")) {
            c->code = IDR_EBUSY;
            c->retry = true;
        } else if (!strcmp(state, "55P03") || !strcmp(state, "57014")) {
            c->code = IDR_EBUSY; /* lock_timeout, statement_timeout */
        } else if (!strncmp(state, "53", 2)) {
            c->code = !strcmp(state, "53200") ? IDR_ENOMEM : IDR_EIO;
        } else if (!strncmp(state, "22", 2) || !strcmp(state, "XX001") ||
                   !strcmp(state, "XX002")) {
            c->code = IDR_EDATA;
        }
    }
    return IDR__DB_FAIL;
}

static int pg_err(idr_store *st, idr_error *err, const char *what) {
    pgc *c = PGC(st);
    st->retry = c && c->retry;
    return idr__err(err, c ? c->code : IDR_EIO, NULL, "store %s: %s: %s", st->path, what,
                    c ? c->msg : "not connected");
}

/* Run SQL through the simple protocol (several statements allowed); a COMMIT of an
 * aborted transaction, which PostgreSQL answers with ROLLBACK, is a failure. */
/* The inserts whose results nobody reads (a record's identifiers, bands, signatures,
 * household) are sent in libpq's pipeline mode and their results read here, at the
 * next statement that needs an answer (the savepoint's RELEASE, the COMMIT): one round
 * trip for a record's twenty-odd rows instead of one each. The first failure among
 * them is the failure of that statement. */
static int flush(pgc *c) {
    if (!c->queued) {
        return IDR__DB_DONE;
    }
    int out = IDR__DB_DONE, nulls = 0;
    c->queued = 0;
    if (!PQpipelineSync(c->conn)) {
        out = fail(c, NULL);
    }
    while (out == IDR__DB_DONE || PQstatus(c->conn) == CONNECTION_OK) {
        PGresult *r = PQgetResult(c->conn);
        if (!r) {
            /* one NULL ends each query's results; two in a row: nothing more is
             * coming (a broken connection, a sync that was not sent) */
            if (++nulls > 1) {
                if (out == IDR__DB_DONE) {
                    out = fail(c, NULL);
                }
                break;
            }
            continue;
        }
        nulls = 0;
        ExecStatusType t = PQresultStatus(r);
        if (t == PGRES_PIPELINE_SYNC) {
            PQclear(r);
            break;
        }
        if (t == PGRES_FATAL_ERROR && out == IDR__DB_DONE) {
            out = fail(c, r);
        }
        PQclear(r);
    }
    PQexitPipelineMode(c->conn);
    return out;
}

static int pg_exec_conn(pgc *c, const char *sql) {
    if (flush(c) != IDR__DB_DONE) {
        return IDR__DB_FAIL;
    }
    PGresult *r = PQexec(c->conn, sql);
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    int out = IDR__DB_DONE;
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
        out = fail(c, r);
    } else if (strncmp(sql, "COMMIT", 6) == 0 &&
               strcmp(PQcmdStatus(r), "ROLLBACK") == 0) {
        set_msg(c, "the transaction was aborted: COMMIT rolled it back");
        c->code = IDR_EIO;
        c->retry = false;
        out = IDR__DB_FAIL;
    } else {
        c->changes = strtoull(PQcmdTuples(r), NULL, 10);
    }
    PQclear(r);
    return out;
}

static int pg_exec(idr_store *st, const char *sql) {
    return pg_exec_conn(PGC(st), sql);
}

/* One value of `sql` as text (NULL: SQL NULL or no row), copied to buf. */
static int query_text(idr_store *st,
                      const char *sql,
                      char *buf,
                      size_t n,
                      bool *null,
                      idr_error *err,
                      const char *what) {
    pgc *c = PGC(st);
    *null = true;
    if (flush(c) != IDR__DB_DONE) {
        return pg_err(st, err, what);
    }
    PGresult *r = PQexec(c->conn, sql);
    int rc = IDR_OK;
    if (!r || PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail(c, r);
        rc = pg_err(st, err, what);
    } else if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) {
        *null = false;
        snprintf(buf, n, "%s", PQgetvalue(r, 0, 0));
    }
    PQclear(r);
    return rc;
}

static void quiet(void *arg, const char *message) {
    (void)arg; /* NOTICEs (CREATE SCHEMA IF NOT EXISTS...) are not the caller's */
    (void)message;
}

static int pg_connect(idr_store *st, unsigned flags, idr_error *err) {
    (void)flags;
    if (st->conn) {
        return IDR_OK;
    }
    pgc *c = calloc(1, sizeof *c);
    if (!c) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    st->conn = c;
    /* the URI as given: libpq fills what it leaves out from PG* variables and
     * ~/.pgpass (PGPASSFILE) */
    c->conn = PQconnectdb(st->conninfo);
    idr__wipe(st->conninfo, strlen(st->conninfo));
    free(st->conninfo);
    st->conninfo = NULL;
    if (!c->conn) {
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    if (PQstatus(c->conn) != CONNECTION_OK) {
        set_msg(c, PQerrorMessage(c->conn));
        return idr__err(err, IDR_EIO, NULL, "cannot connect to the store %s: %s",
                        st->path, c->msg);
    }
    PQsetNoticeProcessor(c->conn, quiet, NULL);
    st->busy_ms = IDR__STORE_BUSY_MS;
    char set[160];
    snprintf(set, sizeof set,
             "SET lock_timeout = %u; SET default_transaction_read_only = %s; "
             "SET client_min_messages = warning",
             st->busy_ms, st->readonly ? "on" : "off");
    return pg_exec(st, set) == IDR__DB_DONE
               ? IDR_OK
               : pg_err(st, err, "configuring the connection");
}

static void pg_close(idr_store *st) {
    pgc *c = PGC(st);
    if (!c) {
        return;
    }
    for (size_t i = 0; i < IDR__Q_COUNT; i++) {
        PQclear(c->stmt[i].res);
    }
    PQfinish(c->conn);
    free(c);
    st->conn = NULL;
}

static int
pg_version(idr_store *st, long long *v, bool *foreign, bool *fresh, idr_error *err) {
    char buf[64];
    bool null = true;
    *v = 0;
    /* 'm': our meta table; 't': tables in the schema; 'n': the schema */
    int rc =
        query_text(st,
                   "SELECT CASE WHEN to_regclass('idrisk.meta') IS NOT NULL THEN 'm'"
                   " WHEN EXISTS(SELECT 1 FROM pg_tables WHERE schemaname = 'idrisk')"
                   " THEN 't' WHEN EXISTS(SELECT 1 FROM pg_namespace WHERE nspname ="
                   " 'idrisk') THEN 'n' ELSE '' END",
                   buf, sizeof buf, &null, err, "reading the schema version");
    if (rc != IDR_OK) {
        return rc;
    }
    char what = null ? '\0' : buf[0];
    if (what == 'm') {
        rc = query_text(st,
                        "SELECT convert_from(v, 'UTF8') FROM idrisk.meta"
                        " WHERE k = 'schema_version'",
                        buf, sizeof buf, &null, err, "reading the schema version");
        if (rc == IDR_OK && !null) {
            *v = strtoll(buf, NULL, 10);
        }
    }
    if (foreign) {
        *foreign = what == 't' || (what == 'm' && *v == 0);
    }
    if (fresh) {
        *fresh = what == '\0';
    }
    return rc;
}

static int pg_set_version(idr_store *st, long long v, idr_error *err) {
    char sql[200];
    snprintf(sql, sizeof sql,
             "INSERT INTO idrisk.meta(k, v) VALUES('schema_version', convert_to('%lld',"
             " 'UTF8')) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
             v);
    return pg_exec(st, sql) == IDR__DB_DONE ? IDR_OK
                                            : pg_err(st, err, "setting the version");
}

static int pg_nothing(idr_store *st, idr_error *err) {
    (void)st;
    (void)err;
    return IDR_OK;
}

static int pg_begin_upgrade(idr_store *st, idr_error *err) {
    int rc = pg_exec(st, "BEGIN; SELECT pg_advisory_xact_lock(" UPGRADE_LOCK ");"
                         " CREATE SCHEMA IF NOT EXISTS idrisk");
    return rc == IDR__DB_DONE ? IDR_OK : pg_err(st, err, "starting the schema upgrade");
}

static void pg_set_busy_timeout(idr_store *st, unsigned ms) {
    char set[64];
    snprintf(set, sizeof set, "SET lock_timeout = %u", ms);
    pg_exec(st, set);
}

static const idr__db_ops *ops_of(void);

/* The number of parameters of `sql`: its highest $n. */
static int count_params(const char *sql) {
    int n = 0;
    for (const char *p = strchr(sql, '$'); p; p = strchr(p + 1, '$')) {
        int k = (int)strtol(p + 1, NULL, 10);
        n = k > n ? k : n;
    }
    return n;
}

static idr__dbs *pg_stmt_get(idr_store *st, idr__stmt_id id, idr_error *err) {
    pgc *c = PGC(st);
    pg_stmt *s = &c->stmt[id];
    /* transaction control goes through the simple protocol (pg_exec) */
    bool simple = id <= IDR__Q_ROLLBACK;
    if (!s->prepared) {
        s->base.ops = ops_of();
        s->c = c;
        s->id = id;
        s->n_params = count_params(stmt_sql[id]);
        if (!simple && flush(c) != IDR__DB_DONE) {
            pg_err(st, err, "writing");
            return NULL;
        }
        if (!simple) {
            char name[16];
            snprintf(name, sizeof name, "idr_q%d", (int)id);
            PGresult *r = PQprepare(c->conn, name, stmt_sql[id], s->n_params, NULL);
            if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
                fail(c, r);
                PQclear(r);
                pg_err(st, err, "preparing a statement");
                return NULL;
            }
            PQclear(r);
        }
        s->prepared = true;
    }
    return &s->base;
}

#define PS(x) ((pg_stmt *)(x))

static void pg_bind_int(idr__dbs *b, int i, int64_t v) {
    pg_stmt *s = PS(b);
    snprintf(s->ints[i - 1], sizeof s->ints[i - 1], "%lld", (long long)v);
    s->values[i - 1] = s->ints[i - 1];
    s->formats[i - 1] = 0;
}
static void pg_bind_text(idr__dbs *b, int i, const char *v) {
    PS(b)->values[i - 1] = v;
    PS(b)->formats[i - 1] = 0;
}
static void pg_bind_blob(idr__dbs *b, int i, const void *p, size_t n) {
    PS(b)->values[i - 1] = p;
    PS(b)->lengths[i - 1] = (int)n;
    PS(b)->formats[i - 1] = 1;
}
static void pg_bind_null(idr__dbs *b, int i) {
    PS(b)->values[i - 1] = NULL;
}

/* The statements sent in pipeline mode (flush): inserts without a result to read. */
static bool deferred(idr__stmt_id id) {
    return id == IDR__Q_INSERT_IDENT || id == IDR__Q_INSERT_HOUSEHOLD ||
           id == IDR__Q_INSERT_BAND || id == IDR__Q_INSERT_SIG;
}

static int pg_step(idr__dbs *b) {
    pg_stmt *s = PS(b);
    pgc *c = s->c;
    if (!s->ran) {
        s->ran = true;
        if (s->id <= IDR__Q_ROLLBACK) {
            return pg_exec_conn(c, stmt_sql[s->id]);
        }
        char name[16];
        snprintf(name, sizeof name, "idr_q%d", (int)s->id);
        if (deferred(s->id) && (c->queued || PQenterPipelineMode(c->conn))) {
            if (!PQsendQueryPrepared(c->conn, name, s->n_params, s->values, s->lengths,
                                     s->formats, 1)) {
                c->queued++; /* flush reads what was sent before and leaves the mode */
                int r = fail(c, NULL);
                flush(c);
                return r;
            }
            c->queued++;
            return IDR__DB_DONE;
        }
        if (flush(c) != IDR__DB_DONE) {
            return IDR__DB_FAIL;
        }
        s->res = PQexecPrepared(c->conn, name, s->n_params, s->values, s->lengths,
                                s->formats, 1);
        ExecStatusType t = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
        if (t != PGRES_COMMAND_OK && t != PGRES_TUPLES_OK) {
            return fail(c, s->res);
        }
        c->changes = strtoull(PQcmdTuples(s->res), NULL, 10);
        s->n_rows = PQntuples(s->res);
        s->row = -1;
    }
    if (!s->res) {
        return IDR__DB_DONE;
    }
    return ++s->row < s->n_rows ? IDR__DB_ROW : IDR__DB_DONE;
}

static int64_t pg_col_int(idr__dbs *b, int col) {
    pg_stmt *s = PS(b);
    if (PQgetisnull(s->res, s->row, col)) {
        return 0;
    }
    const unsigned char *p = (const unsigned char *)PQgetvalue(s->res, s->row, col);
    int n = PQgetlength(s->res, s->row, col);
    uint64_t v = 0;
    for (int i = 0; i < n && i < 8; i++) {
        v = v << 8 | p[i];
    }
    /* sign-extend int2 and int4 */
    if (n == 4) {
        return (int32_t)(uint32_t)v;
    }
    if (n == 2) {
        return (int16_t)(uint16_t)v;
    }
    return (int64_t)v;
}
static const char *pg_col_text(idr__dbs *b, int col) {
    pg_stmt *s = PS(b);
    return PQgetisnull(s->res, s->row, col) ? NULL : PQgetvalue(s->res, s->row, col);
}
static const void *pg_col_blob(idr__dbs *b, int col, size_t *n) {
    pg_stmt *s = PS(b);
    if (PQgetisnull(s->res, s->row, col)) {
        *n = 0;
        return NULL;
    }
    *n = (size_t)PQgetlength(s->res, s->row, col);
    return PQgetvalue(s->res, s->row, col);
}
static void pg_done(idr__dbs *b) {
    pg_stmt *s = PS(b);
    PQclear(s->res);
    s->res = NULL;
    s->ran = false;
    for (int i = 0; i < MAX_PARAMS; i++) {
        s->values[i] = NULL;
        s->lengths[i] = 0;
        s->formats[i] = 0;
    }
}
static unsigned long long pg_changes(idr_store *st) {
    return PGC(st)->changes;
}

const idr__db_ops idr__db_pg = {
    .name = "PostgreSQL",
    .connect = pg_connect,
    .close = pg_close,
    .version = pg_version,
    .set_version = pg_set_version,
    .prepare_write = pg_nothing,
    .begin_upgrade = pg_begin_upgrade,
    .ddl = ddl,
    /* dead row versions stay until VACUUM (docs/store.md) */
    .after_delete = pg_nothing,
    /* a commit returns once it is durable (synchronous_commit) */
    .sync = pg_nothing,
    .set_busy_timeout = pg_set_busy_timeout,
    .stmt = pg_stmt_get,
    .bind_int = pg_bind_int,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .col_int = pg_col_int,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .done = pg_done,
    .exec = pg_exec,
    .changes = pg_changes,
    .err = pg_err,
};

static const idr__db_ops *ops_of(void) {
    return &idr__db_pg;
}
