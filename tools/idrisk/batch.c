/* SPDX-License-Identifier: Apache-2.0 */
/*
 * batch.c - `idrisk batch`: score many candidate records (JSON Lines), resumably.
 *
 *   idrisk batch --in FILE.jsonl|- [--db STORE] [--out RESULTS.jsonl]
 *                [--errors ERRORS.jsonl] [--report REPORT.html] [--jobs N] [--as-of T]
 *                [--restart] [--checkpoint-every N]
 *
 * Phases. 0: fingerprint the input (SHA-256 of all of it, and its non-blank line count
 * for the progress display). 1, only with --db: index every record in the store
 * (idr_store_record), so that 2: scoring each record linked against the store (read
 * only) finds the same links whatever the input order. Without a store phase 2 scores
 * alone and the linkage indicators say "not evaluated" in every result.
 *
 * Pipeline. One reader thread cuts lines, N workers parse and score, and this thread
 * (the writer) takes the finished records strictly in input order from a ring of
 * WINDOW slots. The reader waits while the ring is full, so memory is bounded by the
 * window, never by the input. One engine and one store handle are shared: both are
 * thread-safe. In phase 1, two records with the same candidate_id are recorded in
 * input order (a worker waits for any earlier record with its id), so the store ends
 * holding the last one whatever --jobs is.
 *
 * Evaluation time. A record without its own `as_of` (absent or null) is evaluated at
 * --as-of, default the batch's start, fixed once and kept in the checkpoint: a resumed
 * batch uses the same instant and gives the same results. The instant is spliced into
 * the record's text (`{"as_of":"...",` in place of its opening brace), so the library
 * still sees the caller's bytes and names the caller's field paths.
 *
 * Checkpoint (RESULTS.jsonl.ckpt; only when --in and --out are regular files). After
 * fflush and fsync of the results and errors files, a JSON file is written to a temp
 * file, fsynced, renamed over the checkpoint and its directory fsynced. It holds what
 * must match for a resume to be the same batch (the input's size and SHA-256, a
 * SHA-256 of the engine's description and the configured CIDRs, the rule pack's
 * SHA-256 for people, the as_of used, the store and errors paths) and where to go on
 * (phase, next input line and its byte offset, the results and errors sizes at that
 * point, the counts so far). A rerun truncates the two files to those sizes and goes
 * on from that line, so after a kill -9 at any moment the rerun's files equal an
 * uninterrupted run's apart from `evaluated_at`. A checkpoint that says "done" makes a
 * rerun print the summary and exit without writing anything (except a missing
 * --report). A checkpoint from another batch is refused unless --restart.
 */
#include "cli.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The longest line read: the library's largest max_input_bytes. A longer line is
 * skipped to its newline (never held in memory) and reported as ELIMIT. */
#define LINE_MAX_BYTES (64u << 20)
/* Checkpoint at least this often (seconds), and every --checkpoint-every records. */
#define CHECKPOINT_SECONDS 1.0
#define CHECKPOINT_EVERY   1000
#define PROGRESS_SECONDS   0.25
#define CHECKPOINT_FORMAT  "idrisk.batch-checkpoint/2"
#define PATH_BYTES         4096

enum { PHASE_INDEX = 1, PHASE_SCORE = 2, PHASE_DONE = 3 };
static const char *const phase_names[] = {"", "index", "score", "done"};

/* Slot states, in the order a record goes through them. */
enum { S_FREE, S_READ, S_PARSED, S_DONE };

typedef struct slot {
    uint64_t line;    /* 1-based input line number */
    uint64_t end_off; /* input offset just past the line */
    char *text;       /* the record as read; NULL once processed or when too long */
    size_t len;
    bool too_long;
    int state;
    char *id;        /* candidate_id, when known */
    char *out, *err; /* the result line and the error line (with '\n') */
    size_t out_len, err_len;
    int band; /* idr_band of the result, -1 when the record failed */
    size_t n_links;
    bool low_coverage; /* the result's coverage.low */
    int fatal_rc;      /* not IDR_OK: the batch stops at this record */
    idr_error fatal;
} slot;

typedef struct counts {
    uint64_t indexed, index_failed;
    uint64_t read, scored, failed;
    uint64_t bands[4];
    uint64_t linked, links;
    uint64_t low_coverage; /* results with coverage.low (action floored at verify) */
} counts;

typedef struct ckpt {
    char input_hash[65]; /* BLAKE2b-256, hex */
    uint64_t input_size;
    char engine_sha256[65];
    char rules_sha256[65];
    char as_of[32];
    char store[PATH_BYTES]; /* absolute path, "" without a store */
    char errors[PATH_BYTES];
    int phase;
    uint64_t next_line, in_offset, out_bytes, err_bytes;
    counts c;
} ckpt;

typedef struct reader {
    FILE *f;
    char *buf;
    size_t pos, end;
    uint64_t offset; /* input offset of buf[pos] */
    uint64_t line;   /* number of the last line returned */
    bool error;
} reader;

typedef struct batch {
    const cli_opts *o;
    int64_t as_of; /* ck.as_of as an instant: for records without their own */
    idr_engine *eng;
    idr_store *st;
    ckpt ck;
    bool checkpointing;
    char ckpt_path[PATH_BYTES], errors_path[PATH_BYTES];
    FILE *in, *out, *errf;
    bool errors_to_stderr;
    uint64_t total; /* non-blank input lines, 0 when unknown */
    long jobs, every;
    bool progress;
    double t0, last_progress; /* t0: start of the phase */
    double t_start;           /* start of this run's work */
    uint64_t read_at_start;   /* counts.read when this run started */
    bool seekable;            /* a regular file or the spooled stdin */
    bool abandoned;           /* the reader thread was left running (see run_phase) */
    uint64_t done_this_run;

    /* The pipeline, guarded by mu. */
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done, cv_space, cv_order;
    slot *ring;
    size_t window;
    uint64_t n_read, n_claimed, n_committed;
    bool eof, stop;
    int phase;
    reader rd;
} batch;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void hex(const unsigned char *d, size_t n, char *out) {
    static const char digits_[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits_[d[i] >> 4];
        out[2 * i + 1] = digits_[d[i] & 15];
    }
    out[2 * n] = '\0';
}

static bool blank(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') {
            return false;
        }
    }
    return true;
}

/* `p` made absolute against the working directory (not resolved: the checkpoint
 * compares the paths the batch was given). */
static void absolute(const char *p, char out[PATH_BYTES]) {
    char cwd[PATH_BYTES];
    size_t n = strlen(p);
    if (p[0] == '/' || !getcwd(cwd, sizeof cwd) || strlen(cwd) + n + 2 > PATH_BYTES) {
        snprintf(out, PATH_BYTES, "%s", p);
        return;
    }
    size_t c = strlen(cwd);
    memcpy(out, cwd, c);
    out[c] = '/';
    memcpy(out + c + 1, p, n + 1);
}

/* ------------------------------------------------------------------------------------
 * Reading lines with their byte offsets.
 * ---------------------------------------------------------------------------------- */
#define READ_CHUNK (1u << 20)

/* The next line (without its newline) into *line, malloc'd; its end offset into
 * *end_off. Returns 1, 0 at the end of the input, -1 on a read error or no memory.
 * A line longer than LINE_MAX_BYTES comes back as *line NULL with *too_long set. */
static int
next_line(reader *r, char **line, size_t *len, bool *too_long, uint64_t *end_off) {
    char *acc = NULL;
    size_t n = 0, cap = 0;
    bool any = false;
    *too_long = false;
    for (;;) {
        if (r->pos == r->end) {
            r->pos = r->end = 0;
            size_t got = fread(r->buf, 1, READ_CHUNK, r->f);
            if (got == 0) {
                if (ferror(r->f)) {
                    r->error = true;
                    free(acc);
                    return -1;
                }
                if (!any) {
                    free(acc);
                    return 0;
                }
                break; /* a last line without a newline */
            }
            r->end = got;
        }
        any = true;
        char *nl = memchr(r->buf + r->pos, '\n', r->end - r->pos);
        size_t take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->end - r->pos;
        if (!*too_long && n + take > LINE_MAX_BYTES) {
            *too_long = true;
            free(acc);
            acc = NULL;
            n = cap = 0;
        }
        if (!*too_long && take) {
            if (n + take + 1 > cap) {
                size_t nc = cap ? cap : 4096;
                while (nc < n + take + 1) {
                    nc *= 2;
                }
                char *na = realloc(acc, nc);
                if (!na) {
                    free(acc);
                    return -1;
                }
                acc = na;
                cap = nc;
            }
            memcpy(acc + n, r->buf + r->pos, take);
            n += take;
        }
        r->pos += take + (nl ? 1 : 0);
        r->offset += take + (nl ? 1 : 0);
        if (nl) {
            break;
        }
    }
    if (!*too_long && !acc) {
        acc = malloc(1);
        if (!acc) {
            return -1;
        }
    }
    if (acc) {
        acc[n] = '\0';
    }
    r->line++;
    *line = acc;
    *len = n;
    *end_off = r->offset;
    return 1;
}

/* Phase 0: BLAKE2b-256 and size of the whole input, and its non-blank lines. BLAKE2b,
 * not SHA-256: libsodium's SHA-256 took a tenth of a batch's CPU on 5 KB records
 * (bench/RESULTS.md); the hash only tells one input from another. */
static int fingerprint(FILE *f, ckpt *ck, uint64_t *lines) {
    crypto_generichash_state h;
    if (crypto_generichash_init(&h, NULL, 0, 32) != 0) {
        return -1;
    }
    unsigned char *buf = malloc(READ_CHUNK);
    if (!buf) {
        return -1;
    }
    uint64_t size = 0, count = 0;
    bool content = false;
    size_t got;
    while ((got = fread(buf, 1, READ_CHUNK, f)) > 0) {
        crypto_generichash_update(&h, buf, got);
        size += got;
        for (size_t i = 0; i < got; i++) {
            unsigned char c = buf[i];
            if (c == '\n') {
                count += content;
                content = false;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                content = true;
            }
        }
    }
    count += content;
    free(buf);
    if (ferror(f)) {
        return -1;
    }
    unsigned char d[32];
    crypto_generichash_final(&h, d, sizeof d);
    hex(d, sizeof d, ck->input_hash);
    ck->input_size = size;
    *lines = count;
    return 0;
}

/* What makes two engines score alike: their whole description (rule pack, params,
 * databases and their versions, data and lists directories) and the configured CIDR
 * ranges, which the description does not show. Also fills the pack's SHA-256. */
static int engine_fingerprint(const batch *b, ckpt *ck) {
    char *d = NULL;
    idr_error err;
    if (idr_engine_describe_json(b->eng, &d, &err) != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return -1;
    }
    crypto_hash_sha256_state h;
    crypto_hash_sha256_init(&h);
    crypto_hash_sha256_update(&h, (const unsigned char *)d, strlen(d));
    for (int i = 0; i < b->o->n_allow; i++) {
        crypto_hash_sha256_update(&h, (const unsigned char *)"\nallow ", 7);
        crypto_hash_sha256_update(&h, (const unsigned char *)b->o->allow[i],
                                  strlen(b->o->allow[i]));
    }
    for (int i = 0; i < b->o->n_relay; i++) {
        crypto_hash_sha256_update(&h, (const unsigned char *)"\nrelay ", 7);
        crypto_hash_sha256_update(&h, (const unsigned char *)b->o->relay[i],
                                  strlen(b->o->relay[i]));
    }
    unsigned char dg[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&h, dg);
    hex(dg, sizeof dg, ck->engine_sha256);
    cJSON *j = cJSON_Parse(d);
    idr_free(d);
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(j, "ruleset");
    const cJSON *sha = cJSON_GetObjectItemCaseSensitive(rs, "sha256");
    snprintf(ck->rules_sha256, sizeof ck->rules_sha256, "%s",
             cJSON_IsString(sha) ? sha->valuestring : "");
    cJSON_Delete(j);
    return 0;
}

/* ------------------------------------------------------------------------------------
 * The checkpoint file.
 * ---------------------------------------------------------------------------------- */
static void counts_to_json(cJSON *o, const counts *c) {
    cJSON *j = cJSON_AddObjectToObject(o, "counts");
    cJSON_AddNumberToObject(j, "indexed", (double)c->indexed);
    cJSON_AddNumberToObject(j, "index_failed", (double)c->index_failed);
    cJSON_AddNumberToObject(j, "read", (double)c->read);
    cJSON_AddNumberToObject(j, "scored", (double)c->scored);
    cJSON_AddNumberToObject(j, "failed", (double)c->failed);
    cJSON_AddNumberToObject(j, "low", (double)c->bands[0]);
    cJSON_AddNumberToObject(j, "medium", (double)c->bands[1]);
    cJSON_AddNumberToObject(j, "high", (double)c->bands[2]);
    cJSON_AddNumberToObject(j, "critical", (double)c->bands[3]);
    cJSON_AddNumberToObject(j, "linked", (double)c->linked);
    cJSON_AddNumberToObject(j, "low_coverage", (double)c->low_coverage);
    cJSON_AddNumberToObject(j, "links", (double)c->links);
}

static bool num(const cJSON *o, const char *k, uint64_t *v) {
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(n) || n->valuedouble < 0) {
        return false;
    }
    *v = (uint64_t)n->valuedouble;
    return true;
}

static bool str(const cJSON *o, const char *k, char *out, size_t cap) {
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, k);
    if (cJSON_IsNull(s)) {
        out[0] = '\0';
        return true;
    }
    if (!cJSON_IsString(s) || strlen(s->valuestring) >= cap) {
        return false;
    }
    memcpy(out, s->valuestring, strlen(s->valuestring) + 1);
    return true;
}

/* Read a checkpoint. Returns 0, 1 when there is none, -1 when the file is not one, -2
 * when it is one of an earlier format. */
static int ckpt_load(const char *path, ckpt *ck) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return errno == ENOENT ? 1 : -1;
    }
    char buf[3 * PATH_BYTES + 4096];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    cJSON *j = cJSON_Parse(buf);
    const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(j, "format");
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(j, "input");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(j, "counts");
    char phase[16];
    memset(ck, 0, sizeof *ck);
    bool ok =
        cJSON_IsString(fmt) && strcmp(fmt->valuestring, CHECKPOINT_FORMAT) == 0 &&
        str(in, "blake2b", ck->input_hash, sizeof ck->input_hash) &&
        num(in, "size", &ck->input_size) &&
        str(j, "engine_sha256", ck->engine_sha256, sizeof ck->engine_sha256) &&
        str(j, "rules_sha256", ck->rules_sha256, sizeof ck->rules_sha256) &&
        str(j, "as_of", ck->as_of, sizeof ck->as_of) &&
        str(j, "store", ck->store, sizeof ck->store) &&
        str(j, "errors", ck->errors, sizeof ck->errors) &&
        str(j, "phase", phase, sizeof phase) && num(j, "next_line", &ck->next_line) &&
        num(j, "in_offset", &ck->in_offset) && num(j, "out_bytes", &ck->out_bytes) &&
        num(j, "errors_bytes", &ck->err_bytes) && num(c, "indexed", &ck->c.indexed) &&
        num(c, "index_failed", &ck->c.index_failed) && num(c, "read", &ck->c.read) &&
        num(c, "scored", &ck->c.scored) && num(c, "failed", &ck->c.failed) &&
        num(c, "low", &ck->c.bands[0]) && num(c, "medium", &ck->c.bands[1]) &&
        num(c, "high", &ck->c.bands[2]) && num(c, "critical", &ck->c.bands[3]) &&
        num(c, "linked", &ck->c.linked) && num(c, "links", &ck->c.links);
    /* Absent from a checkpoint written before coverage was counted: 0. */
    ok = ok && (!cJSON_GetObjectItemCaseSensitive(c, "low_coverage") ||
                num(c, "low_coverage", &ck->c.low_coverage));
    /* Format 1 hashed the input with SHA-256: it cannot vouch for this input. */
    bool older = !ok && cJSON_IsString(fmt) &&
                 strcmp(fmt->valuestring, "idrisk.batch-checkpoint/1") == 0;
    cJSON_Delete(j);
    if (older) {
        return -2;
    }
    for (int p = PHASE_INDEX; ok && p <= PHASE_DONE; p++) {
        if (strcmp(phase, phase_names[p]) == 0) {
            ck->phase = p;
        }
    }
    return ok && ck->phase ? 0 : -1;
}

static int fsync_dir_of(const char *path) {
    char dir[PATH_BYTES];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir) {
        slash[1] = '\0';
    } else if (slash) {
        *slash = '\0';
    } else {
        snprintf(dir, sizeof dir, ".");
    }
    int fd = open(dir, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Write the checkpoint atomically: temp file, fsync, rename, fsync of the directory. */
static int ckpt_save(const batch *b) {
    const ckpt *ck = &b->ck;
    cJSON *j = cJSON_CreateObject();
    cJSON_AddStringToObject(j, "format", CHECKPOINT_FORMAT);
    cJSON *in = cJSON_AddObjectToObject(j, "input");
    cJSON_AddStringToObject(in, "path", b->o->in);
    cJSON_AddNumberToObject(in, "size", (double)ck->input_size);
    cJSON_AddStringToObject(in, "blake2b", ck->input_hash);
    cJSON_AddStringToObject(j, "engine_sha256", ck->engine_sha256);
    cJSON_AddStringToObject(j, "rules_sha256", ck->rules_sha256);
    cJSON_AddStringToObject(j, "as_of", ck->as_of);
    if (ck->store[0]) {
        cJSON_AddStringToObject(j, "store", ck->store);
    } else {
        cJSON_AddNullToObject(j, "store");
    }
    cJSON_AddStringToObject(j, "errors", ck->errors);
    cJSON_AddStringToObject(j, "phase", phase_names[ck->phase]);
    cJSON_AddNumberToObject(j, "next_line", (double)ck->next_line);
    cJSON_AddNumberToObject(j, "in_offset", (double)ck->in_offset);
    cJSON_AddNumberToObject(j, "out_bytes", (double)ck->out_bytes);
    cJSON_AddNumberToObject(j, "errors_bytes", (double)ck->err_bytes);
    counts_to_json(j, &ck->c);
    char *text = cJSON_Print(j);
    cJSON_Delete(j);
    if (!text) {
        return -1;
    }
    char tmp[PATH_BYTES + 8];
    snprintf(tmp, sizeof tmp, "%s.tmp", b->ckpt_path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    size_t len = strlen(text);
    bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len &&
              write(fd, "\n", 1) == 1 && fsync(fd) == 0;
    if (fd >= 0) {
        ok = close(fd) == 0 && ok;
    }
    free(text);
    ok = ok && rename(tmp, b->ckpt_path) == 0 && fsync_dir_of(b->ckpt_path) == 0;
    if (!ok) {
        fprintf(stderr, "idrisk: cannot write the checkpoint %s: %s\n", b->ckpt_path,
                strerror(errno));
        return -1;
    }
    return 0;
}

/* Make everything written so far durable, then record it in the checkpoint. */
static int checkpoint(batch *b) {
    if (!b->checkpointing) {
        return 0;
    }
    if (fflush(b->out) != 0 || fsync(fileno(b->out)) != 0 ||
        (!b->errors_to_stderr && (fflush(b->errf) != 0 || fsync(fileno(b->errf)) != 0))) {
        fprintf(stderr, "idrisk: cannot write the results: %s\n", strerror(errno));
        return -1;
    }
    /* The checkpoint vouches for the records indexed so far: make them durable in
     * the store first (recording alone survives a kill, not a power loss). */
    idr_error err;
    if (b->st && idr_store_sync(b->st, &err) != IDR_OK) {
        fprintf(stderr, "idrisk: cannot sync the store: %s\n", err.message);
        return -1;
    }
    return ckpt_save(b);
}

/* ------------------------------------------------------------------------------------
 * Workers.
 * ---------------------------------------------------------------------------------- */

/* The record's text as the library gets it: with the batch's as_of when it has none
 * (absent or null), and its candidate_id into *id when it has one. A line that is not
 * a JSON object goes through unchanged: the library then names what is wrong.
 * Returns the text (s->text itself, or a malloc'd copy) or NULL without memory. */
/* The candidate_id of a record the library refused, for its error line: read only
 * then (a JSON parse of every record here was a fifth of a batch's CPU), and NULL when
 * the record is not a JSON object with a string candidate_id. */
static void id_of_refused(slot *s) {
    if (s->id) {
        return;
    }
    cJSON *j = cJSON_ParseWithLength(s->text, s->len);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "candidate_id");
    if (cJSON_IsObject(j) && cJSON_IsString(id)) {
        s->id = strdup(id->valuestring);
    }
    cJSON_Delete(j);
}

/* One line of the errors file: {"line", "candidate_id", "code", "field", "message"}. */
static void error_line(slot *s, int rc, const idr_error *err) {
    cJSON *j = cJSON_CreateObject();
    cJSON_AddNumberToObject(j, "line", (double)s->line);
    if (s->id) {
        cJSON_AddStringToObject(j, "candidate_id", s->id);
    } else {
        cJSON_AddNullToObject(j, "candidate_id");
    }
    cJSON_AddStringToObject(j, "code", cli_code_name(rc));
    if (err->field[0]) {
        cJSON_AddStringToObject(j, "field", err->field);
    } else {
        cJSON_AddNullToObject(j, "field");
    }
    cJSON_AddStringToObject(j, "message", err->message);
    char *t = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!t) {
        s->fatal_rc = IDR_ENOMEM;
        snprintf(s->fatal.message, sizeof s->fatal.message, "out of memory");
        return;
    }
    size_t n = strlen(t);
    s->err = malloc(n + 2);
    if (s->err) {
        memcpy(s->err, t, n);
        s->err[n] = '\n';
        s->err[n + 1] = '\0';
        s->err_len = n + 1;
    } else {
        s->fatal_rc = IDR_ENOMEM;
    }
    free(t);
}

static void fail_input(slot *s, int rc, const idr_error *err) {
    s->band = -1;
    if (rc == IDR_EINVAL || rc == IDR_ELIMIT) {
        error_line(s, rc, err);
    } else {
        s->fatal_rc = rc;
        s->fatal = *err;
    }
}

/* Phase 1 orders the recording of records that share a candidate_id: wait until
 * every earlier record in the window has its id known and none with the same id is
 * still unrecorded. Called and returns with mu held. */
static void wait_turn(batch *b, uint64_t seq, const char *id) {
    for (;;) {
        bool wait = false;
        for (uint64_t q = b->n_committed; q < seq && !wait; q++) {
            const slot *e = &b->ring[q % b->window];
            wait = e->state < S_PARSED ||
                   (e->state == S_PARSED && e->id && strcmp(e->id, id) == 0);
        }
        if (!wait || b->stop) {
            return;
        }
        pthread_cond_wait(&b->cv_order, &b->mu);
    }
}

static void process(batch *b, uint64_t seq, slot *s) {
    idr_error err;
    memset(&err, 0, sizeof err);
    s->band = -1;
    if (s->too_long) {
        snprintf(err.message, sizeof err.message,
                 "line %llu is longer than %u MiB, the largest record idrisk reads",
                 (unsigned long long)s->line, LINE_MAX_BYTES >> 20);
        if (b->phase == PHASE_SCORE) {
            fail_input(s, IDR_ELIMIT, &err);
        }
        pthread_mutex_lock(&b->mu);
        s->state = S_PARSED;
        pthread_cond_broadcast(&b->cv_order);
        pthread_mutex_unlock(&b->mu);
        return;
    }
    const char *text = s->text;
    size_t len = s->len;
    idr_candidate *c = NULL;
    idr_result *res = NULL;
    int rc;
    if (b->phase == PHASE_INDEX) {
        rc = idr_candidate_from_json_for_store(&c, b->eng, b->st, text, len, &err);
        if (rc == IDR_OK) {
            /* as if written into the record: the store keeps it */
            idr_candidate_set_default_as_of(c, b->as_of);
            free(s->id);
            const char *id = idr_candidate_id(c);
            s->id = id ? strdup(id) : NULL;
            if (id &&
                !s->id) { /* without its id the record could be recorded out of order */
                rc = IDR_ENOMEM;
                s->fatal_rc = rc;
                snprintf(s->fatal.message, sizeof s->fatal.message, "out of memory");
            }
        } else if (rc != IDR_EINVAL && rc != IDR_ELIMIT) {
            s->fatal_rc = rc;
            s->fatal = err;
        }
        pthread_mutex_lock(&b->mu);
        s->state = S_PARSED;
        pthread_cond_broadcast(&b->cv_order);
        if (rc == IDR_OK && s->id) {
            wait_turn(b, seq, s->id);
        }
        pthread_mutex_unlock(&b->mu);
        if (rc == IDR_OK) {
            /* The phase-1 failures are counted only: phase 2 parses the same text
             * again and writes the error line once. */
            rc = idr_store_record(b->st, b->eng, c, &err);
            if (rc != IDR_OK) {
                s->fatal_rc = rc;
                s->fatal = err;
            } else {
                s->band = 0;
            }
        }
    } else {
        rc = b->st ? idr_candidate_from_json_for_store(&c, b->eng, b->st, text, len, &err)
                   : idr_candidate_from_json(&c, b->eng, text, len, &err);
        if (rc == IDR_OK) {
            idr_candidate_set_default_as_of(c, b->as_of);
            rc = b->st ? idr_engine_score_linked(b->eng, b->st, c, 0, &res, &err)
                       : idr_engine_score(b->eng, c, &res, &err);
        } else if (rc == IDR_EINVAL || rc == IDR_ELIMIT) {
            id_of_refused(s);
        }
        if (rc != IDR_OK) {
            fail_input(s, rc, &err);
        } else {
            char *json = NULL;
            size_t jlen = 0;
            rc = idr_result_to_json(res, &json, &jlen, &err);
            if (rc == IDR_OK && (s->out = malloc(jlen + 1)) != NULL) {
                memcpy(s->out, json, jlen);
                s->out[jlen] = '\n';
                s->out_len = jlen + 1;
                s->band = (int)idr_result_band_code(res);
                s->n_links = idr_result_link_count(res);
                s->low_coverage = idr_result_coverage(res)->low != 0;
            } else {
                s->fatal_rc = rc != IDR_OK ? rc : IDR_ENOMEM;
                s->fatal = err;
            }
            idr_free(json);
        }
    }
    idr_result_free(res);
    idr_candidate_free(c);
    free(s->text);
    s->text = NULL;
}

static void *worker(void *arg) {
    batch *b = arg;
    pthread_mutex_lock(&b->mu);
    for (;;) {
        while (!b->stop && b->n_claimed == b->n_read && !b->eof) {
            pthread_cond_wait(&b->cv_work, &b->mu);
        }
        if (b->stop || b->n_claimed == b->n_read) {
            break;
        }
        uint64_t seq = b->n_claimed++;
        slot *s = &b->ring[seq % b->window];
        pthread_mutex_unlock(&b->mu);
        process(b, seq, s);
        pthread_mutex_lock(&b->mu);
        s->state = S_DONE;
        pthread_cond_broadcast(&b->cv_order);
        pthread_cond_signal(&b->cv_done);
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

static void *read_lines(void *arg) {
    batch *b = arg;
    for (;;) {
        char *line = NULL;
        size_t len = 0;
        bool too_long = false;
        uint64_t end_off = 0;
        int r = next_line(&b->rd, &line, &len, &too_long, &end_off);
        if (r <= 0) {
            break;
        }
        if (!too_long && blank(line, len)) {
            free(line);
            continue;
        }
        pthread_mutex_lock(&b->mu);
        while (!b->stop && b->n_read - b->n_committed >= b->window) {
            pthread_cond_wait(&b->cv_space, &b->mu);
        }
        if (b->stop) {
            pthread_mutex_unlock(&b->mu);
            free(line);
            break;
        }
        slot *s = &b->ring[b->n_read % b->window];
        memset(s, 0, sizeof *s);
        s->line = b->rd.line;
        s->end_off = end_off;
        s->text = line;
        s->len = len;
        s->too_long = too_long;
        s->state = S_READ;
        b->n_read++;
        pthread_cond_signal(&b->cv_work);
        pthread_mutex_unlock(&b->mu);
    }
    pthread_mutex_lock(&b->mu);
    b->eof = true;
    pthread_cond_broadcast(&b->cv_work);
    pthread_cond_signal(&b->cv_done);
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

/* ------------------------------------------------------------------------------------
 * The writer: in input order, to the files, the counts and the checkpoint.
 * ---------------------------------------------------------------------------------- */
static void fmt_duration(double s, char out[32]) {
    long t = (long)(s + 0.5);
    if (t >= 3600) {
        snprintf(out, 32, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    } else {
        snprintf(out, 32, "%ld:%02ld", t / 60, t % 60);
    }
}

static void show_progress(batch *b, bool force) {
    double t = now_s();
    if (!b->progress || (!force && t - b->last_progress < PROGRESS_SECONDS)) {
        return;
    }
    b->last_progress = t;
    uint64_t done =
        b->phase == PHASE_INDEX ? b->ck.c.indexed + b->ck.c.index_failed : b->ck.c.read;
    double rate = t > b->t0 ? (double)b->done_this_run / (t - b->t0) : 0;
    fprintf(stderr, "\r\033[K%s %llu", b->phase == PHASE_INDEX ? "indexing" : "scoring",
            (unsigned long long)done);
    if (b->total) {
        fprintf(stderr, "/%llu (%.0f%%)", (unsigned long long)b->total,
                100.0 * (double)done / (double)b->total);
    }
    fprintf(stderr, "  %.0f records/s", rate);
    if (b->total && rate > 0 && done <= b->total) {
        char eta[32];
        fmt_duration((double)(b->total - done) / rate, eta);
        fprintf(stderr, "  ETA %s", eta);
    }
    fflush(stderr);
}

static void clear_progress(const batch *b) {
    if (b->progress) {
        fputs("\r\033[K", stderr);
    }
}

/* Account for one finished record and write its lines. Returns 0 or -1 (I/O). */
static int commit(batch *b, slot *s) {
    counts *c = &b->ck.c;
    if (b->phase == PHASE_INDEX) {
        if (s->band >= 0) {
            c->indexed++;
        } else {
            c->index_failed++;
        }
    } else {
        c->read++;
        if (s->out) {
            if (fwrite(s->out, 1, s->out_len, b->out) != s->out_len) {
                return -1;
            }
            b->ck.out_bytes += s->out_len;
            c->scored++;
            c->bands[s->band & 3]++;
            c->linked += s->n_links > 0;
            c->links += s->n_links;
            c->low_coverage += s->low_coverage;
        } else {
            if (b->errors_to_stderr) {
                clear_progress(b);
            }
            if (fwrite(s->err, 1, s->err_len, b->errf) != s->err_len) {
                return -1;
            }
            b->ck.err_bytes += s->err_len;
            c->failed++;
        }
    }
    b->ck.next_line = s->line + 1;
    b->ck.in_offset = s->end_off;
    b->done_this_run++;
    return 0;
}

static void free_slot(slot *s) {
    free(s->text);
    free(s->id);
    free(s->out);
    free(s->err);
    memset(s, 0, sizeof *s);
}

/* Run one phase from the checkpoint's position to the end of the input. */
static int run_phase(batch *b) {
    b->phase = b->ck.phase;
    b->n_read = b->n_claimed = b->n_committed = 0;
    b->eof = b->stop = false;
    b->rd.pos = b->rd.end = 0;
    b->rd.offset = b->ck.in_offset;
    b->rd.line = b->ck.next_line - 1;
    b->rd.error = false;
    b->rd.f = b->in;
    if (b->seekable && fseeko(b->in, (off_t)b->ck.in_offset, SEEK_SET) != 0) {
        fprintf(stderr, "idrisk: cannot seek in %s: %s\n", b->o->in, strerror(errno));
        return EXIT_FAIL;
    }
    pthread_t rd, *ws = calloc((size_t)b->jobs, sizeof *ws);
    if (!ws || pthread_create(&rd, NULL, read_lines, b) != 0) {
        free(ws);
        fprintf(stderr, "idrisk: cannot start threads\n");
        return EXIT_FAIL;
    }
    long started = 0;
    while (started < b->jobs && pthread_create(&ws[started], NULL, worker, b) == 0) {
        started++;
    }
    int ex = EXIT_SCORED;
    if (started == 0) {
        fprintf(stderr, "idrisk: cannot start threads\n");
        ex = EXIT_FAIL;
    }
    double last_ckpt = now_s();
    uint64_t since_ckpt = 0;
    pthread_mutex_lock(&b->mu);
    while (ex == EXIT_SCORED) {
        slot *s = &b->ring[b->n_committed % b->window];
        while (!(b->n_committed < b->n_read && s->state == S_DONE) &&
               !(b->eof && b->n_committed == b->n_read)) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += (long)(PROGRESS_SECONDS * 1e9);
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&b->cv_done, &b->mu, &ts);
            pthread_mutex_unlock(&b->mu);
            show_progress(b, false);
            if (since_ckpt && now_s() - last_ckpt >= CHECKPOINT_SECONDS) {
                if (checkpoint(b) != 0) {
                    ex = EXIT_FAIL;
                }
                last_ckpt = now_s();
                since_ckpt = 0;
            }
            pthread_mutex_lock(&b->mu);
            if (ex != EXIT_SCORED) {
                break;
            }
        }
        if (ex != EXIT_SCORED || (b->eof && b->n_committed == b->n_read)) {
            break;
        }
        pthread_mutex_unlock(&b->mu);
        if (s->fatal_rc != IDR_OK) {
            clear_progress(b);
            fprintf(stderr, "idrisk: %s line %llu: %s\n", b->o->in,
                    (unsigned long long)s->line,
                    s->fatal.message[0] ? s->fatal.message : idr_strerror(s->fatal_rc));
            ex = EXIT_FAIL;
        } else if (commit(b, s) != 0) {
            clear_progress(b);
            fprintf(stderr, "idrisk: cannot write the results: %s\n", strerror(errno));
            ex = EXIT_FAIL;
        }
        since_ckpt++;
        if (ex == EXIT_SCORED && (since_ckpt >= (uint64_t)b->every ||
                                  now_s() - last_ckpt >= CHECKPOINT_SECONDS)) {
            if (checkpoint(b) != 0) {
                ex = EXIT_FAIL;
            }
            last_ckpt = now_s();
            since_ckpt = 0;
        }
        show_progress(b, false);
        pthread_mutex_lock(&b->mu);
        if (ex != EXIT_SCORED) {
            break;
        }
        free_slot(s);
        b->n_committed++;
        pthread_cond_signal(&b->cv_space);
    }
    b->stop = true;
    pthread_cond_broadcast(&b->cv_work);
    pthread_cond_broadcast(&b->cv_space);
    pthread_cond_broadcast(&b->cv_order);
    pthread_mutex_unlock(&b->mu);
    if (ex != EXIT_SCORED && !b->seekable) {
        /* The reader may be blocked reading a pipe that never ends: leave it, and
         * everything it may touch, to the process exit. */
        pthread_detach(rd);
        b->abandoned = true;
    } else {
        pthread_join(rd, NULL);
    }
    for (long i = 0; i < started; i++) {
        pthread_join(ws[i], NULL);
    }
    free(ws);
    for (size_t i = 0; i < b->window && !b->abandoned; i++) {
        free_slot(&b->ring[i]);
    }
    if (ex == EXIT_SCORED && b->rd.error) {
        fprintf(stderr, "idrisk: cannot read %s: %s\n", b->o->in, strerror(errno));
        ex = EXIT_FAIL;
    }
    /* What was committed before a failure is made durable and checkpointed, so a
     * rerun goes on from the record that failed. */
    if (ex != EXIT_SCORED) {
        (void)checkpoint(b);
    }
    return ex;
}

/* ------------------------------------------------------------------------------------
 * The command.
 * ---------------------------------------------------------------------------------- */
static void summary(const batch *b, bool already, uint64_t resumed_at) {
    const counts *c = &b->ck.c;
    clear_progress(b);
    if (b->o->quiet) {
        return; /* -q: the exit status and the files say it */
    }
    fprintf(stderr, "idrisk batch: %s%llu records, %llu scored, %llu failed",
            already ? "batch already complete: " : "", (unsigned long long)c->read,
            (unsigned long long)c->scored, (unsigned long long)c->failed);
    if (c->failed) {
        fprintf(stderr, " (see %s)", b->errors_to_stderr ? "above" : b->errors_path);
    }
    fprintf(stderr, "; bands: low %llu, medium %llu, high %llu, critical %llu",
            (unsigned long long)c->bands[0], (unsigned long long)c->bands[1],
            (unsigned long long)c->bands[2], (unsigned long long)c->bands[3]);
    if (c->low_coverage) {
        fprintf(stderr,
                "; %llu with low coverage (action at least verify: too little could "
                "be checked)",
                (unsigned long long)c->low_coverage);
    }
    if (b->ck.store[0]) {
        fprintf(stderr, "; %llu indexed, %llu linked to others (%llu links)",
                (unsigned long long)c->indexed, (unsigned long long)c->linked,
                (unsigned long long)c->links);
    } else {
        fprintf(stderr, "; no store (--db): linkage not evaluated");
    }
    if (!already) {
        double el = now_s() - b->t_start;
        uint64_t n = c->read - b->read_at_start;
        fprintf(stderr, "; %.1f s, %.0f records/s", el, el > 0 ? (double)n / el : 0.0);
    }
    if (resumed_at > 1) {
        fprintf(stderr, " (resumed at input line %llu)", (unsigned long long)resumed_at);
    }
    fputc('\n', stderr);
}

static int final_status(const batch *b) {
    return b->ck.c.failed ? EXIT_PARTIAL : EXIT_SCORED;
}

static int write_report(const batch *b, bool only_if_missing) {
    struct stat sb;
    if (!b->o->report || (only_if_missing && stat(b->o->report, &sb) == 0)) {
        return EXIT_SCORED;
    }
    return idr_cli_report_write(b->o->out, b->errors_to_stderr ? NULL : b->errors_path,
                                b->o->report) == 0
               ? EXIT_SCORED
               : EXIT_FAIL;
}

/* Why checkpoint `old` is not this batch's, or NULL when it is. */
static const char *mismatch(const ckpt *old, const ckpt *now, bool as_of_given) {
    if (old->input_size != now->input_size ||
        strcmp(old->input_hash, now->input_hash) != 0) {
        return "the input is not the same file content";
    }
    if (strcmp(old->engine_sha256, now->engine_sha256) != 0) {
        return "the engine differs (rule pack, databases, lists or CIDR options)";
    }
    if (as_of_given && strcmp(old->as_of, now->as_of) != 0) {
        return "--as-of differs";
    }
    if (strcmp(old->store, now->store) != 0) {
        return "the store (--db) differs";
    }
    if (strcmp(old->errors, now->errors) != 0) {
        return "the errors file differs";
    }
    return NULL;
}

/* Open `path` for writing at `size` bytes: truncated to it, positioned at its end. A
 * file shorter than `size` is refused: something else changed it. */
static FILE *open_at(const char *path, uint64_t size) {
    int fd = open(path, O_WRONLY | O_CREAT, 0644);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        fprintf(stderr, "idrisk: cannot open %s: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
        }
        return NULL;
    }
    if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size < size) {
        fprintf(stderr,
                "idrisk: %s is shorter than its checkpoint says (%llu < %llu bytes); "
                "rerun with --restart\n",
                path, (unsigned long long)sb.st_size, (unsigned long long)size);
        close(fd);
        return NULL;
    }
    if (S_ISREG(sb.st_mode) &&
        (ftruncate(fd, (off_t)size) != 0 || lseek(fd, 0, SEEK_END) < 0)) {
        fprintf(stderr, "idrisk: cannot truncate %s: %s\n", path, strerror(errno));
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
    }
    return f;
}

static bool same_file(const char *a, const char *b) {
    struct stat sa, sb;
    if (strcmp(a, b) == 0) {
        return true;
    }
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static int check_options(const cli_opts *o, int64_t *as_of) {
    if (o->n_args != 1) {
        fprintf(stderr, "idrisk: batch takes no argument (the input is --in FILE)\n");
        return EXIT_BADINPUT;
    }
    if (!o->in) {
        fprintf(stderr, "idrisk: batch needs --in FILE.jsonl (or --in - for stdin)\n");
        return EXIT_BADINPUT;
    }
    if (o->report && !o->out) {
        fprintf(stderr, "idrisk: --report needs --out RESULTS.jsonl (it is written "
                        "from the results file)\n");
        return EXIT_BADINPUT;
    }
    if (o->as_of && cli_parse_time(o->as_of, as_of) != 0) {
        fprintf(stderr,
                "idrisk: --as-of: '%s' is neither a date (YYYY-MM-DD) nor an RFC 3339 "
                "instant\n",
                o->as_of);
        return EXIT_BADINPUT;
    }
    const char *outs[] = {o->out, o->errors, o->report};
    for (int i = 0; i < 3; i++) {
        if (outs[i] && strcmp(o->in, "-") != 0 && same_file(o->in, outs[i])) {
            fprintf(stderr, "idrisk: %s is the input: the batch would overwrite it\n",
                    outs[i]);
            return EXIT_BADINPUT;
        }
        for (int k = i + 1; k < 3; k++) {
            if (outs[i] && outs[k] && same_file(outs[i], outs[k])) {
                fprintf(stderr, "idrisk: %s is given for two outputs\n", outs[i]);
                return EXIT_BADINPUT;
            }
        }
    }
    return EXIT_SCORED;
}

/* Open the input, fingerprint it when it is a regular file, and spool stdin to a
 * temporary file when the store needs two passes over it. */
static int open_input(batch *b) {
    const cli_opts *o = b->o;
    struct stat sb;
    b->in = strcmp(o->in, "-") == 0 ? stdin : fopen(o->in, "rb");
    if (!b->in) {
        fprintf(stderr, "idrisk: cannot open %s: %s\n", o->in, strerror(errno));
        return EXIT_FAIL;
    }
    bool regular = fstat(fileno(b->in), &sb) == 0 && S_ISREG(sb.st_mode);
    if (regular) {
        if (fingerprint(b->in, &b->ck, &b->total) != 0 ||
            fseeko(b->in, 0, SEEK_SET) != 0) {
            fprintf(stderr, "idrisk: cannot read %s: %s\n", o->in, strerror(errno));
            return EXIT_FAIL;
        }
        b->seekable = true;
        return EXIT_SCORED;
    }
    if (o->db) {
        FILE *tmp = tmpfile();
        char *buf = malloc(READ_CHUNK);
        size_t got;
        bool ok = tmp && buf;
        while (ok && (got = fread(buf, 1, READ_CHUNK, b->in)) > 0) {
            ok = fwrite(buf, 1, got, tmp) == got;
        }
        free(buf);
        ok = ok && !ferror(b->in) && fflush(tmp) == 0 && fseeko(tmp, 0, SEEK_SET) == 0;
        if (b->in != stdin) {
            fclose(b->in);
        }
        b->in = tmp;
        b->seekable = true;
        if (!ok) {
            fprintf(stderr, "idrisk: cannot spool %s to a temporary file\n", o->in);
            return EXIT_FAIL;
        }
    }
    return EXIT_SCORED;
}

/* Decide between a fresh batch, a resumed one and one already done, from the
 * checkpoint beside --out. Returns EXIT_SCORED to go on (*done false) or the status
 * to exit with. */
static int load_checkpoint(batch *b, bool *done) {
    const cli_opts *o = b->o;
    *done = false;
    if (!o->out) {
        return EXIT_SCORED;
    }
    snprintf(b->ckpt_path, sizeof b->ckpt_path, "%s.ckpt", o->out);
    ckpt old;
    int l = ckpt_load(b->ckpt_path, &old);
    const char *why = NULL;
    if (l == -1) {
        why = "it is not a batch checkpoint";
    } else if (l == -2) {
        why = "it was written by an earlier idrisk (checkpoint format 1)";
    } else if (l == 0 && !b->checkpointing) {
        why = "this run cannot resume (--in is not a regular file)";
    } else if (l == 0) {
        why = mismatch(&old, &b->ck, o->as_of != NULL);
        struct stat sb;
        if (!why && old.store[0] && old.phase != PHASE_DONE &&
            (old.phase == PHASE_SCORE || old.next_line > 1) &&
            stat(old.store, &sb) != 0) {
            /* Resuming would index only the rest into a new, empty store. */
            why = "the store it was indexing into is gone";
        }
        /* The checkpoint vouches for out_bytes of results (and err_bytes of errors):
         * if the files were removed or cut since, trusting it would skip records
         * (or, for a finished batch, report success with no results). */
        if (!why && (stat(o->out, &sb) != 0 || (uint64_t)sb.st_size < old.out_bytes)) {
            why = "the results file it vouches for is missing or shorter than recorded";
        }
        if (!why && !b->errors_to_stderr && old.err_bytes > 0 &&
            (stat(b->errors_path, &sb) != 0 || (uint64_t)sb.st_size < old.err_bytes)) {
            why = "the errors file it vouches for is missing or shorter than recorded";
        }
    }
    if (l == 1) {
        return EXIT_SCORED;
    }
    if (why && !o->restart) {
        fprintf(stderr,
                "idrisk: %s belongs to another batch: %s. Rerun with --restart to "
                "start this batch over (the results in %s are then replaced)\n",
                b->ckpt_path, why, o->out);
        return EXIT_BADINPUT;
    }
    if (why || o->restart) {
        if (unlink(b->ckpt_path) != 0 && errno != ENOENT) {
            fprintf(stderr, "idrisk: cannot remove %s: %s\n", b->ckpt_path,
                    strerror(errno));
            return EXIT_FAIL;
        }
        return EXIT_SCORED;
    }
    memcpy(b->ck.as_of, old.as_of, sizeof old.as_of);
    b->ck.phase = old.phase;
    b->ck.next_line = old.next_line;
    b->ck.in_offset = old.in_offset;
    b->ck.out_bytes = old.out_bytes;
    b->ck.err_bytes = old.err_bytes;
    b->ck.c = old.c;
    *done = old.phase == PHASE_DONE;
    return EXIT_SCORED;
}

static int open_outputs(batch *b) {
    const cli_opts *o = b->o;
    if (o->out) {
        b->out = open_at(o->out, b->ck.out_bytes);
        if (!b->out) {
            return EXIT_FAIL;
        }
        struct stat sb;
        b->checkpointing =
            b->checkpointing && fstat(fileno(b->out), &sb) == 0 && S_ISREG(sb.st_mode);
    } else {
        b->out = stdout;
        b->checkpointing = false;
    }
    if (b->errors_to_stderr) {
        b->errf = stderr;
    } else {
        b->errf = open_at(b->errors_path, b->ck.err_bytes);
        if (!b->errf) {
            return EXIT_FAIL;
        }
    }
    return EXIT_SCORED;
}

static void close_all(batch *b) {
    if (b->in && b->in != stdin) {
        fclose(b->in);
    }
    if (b->out && b->out != stdout) {
        fclose(b->out);
    }
    if (b->errf && b->errf != stderr) {
        fclose(b->errf);
    }
    idr_store_free(b->st);
    idr_engine_free(b->eng);
    free(b->ring);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv_work);
    pthread_cond_destroy(&b->cv_done);
    pthread_cond_destroy(&b->cv_space);
    pthread_cond_destroy(&b->cv_order);
    free(b->rd.buf);
}

static int run(batch *b) {
    const cli_opts *o = b->o;
    int64_t as_of = (int64_t)time(NULL);
    int ex = check_options(o, &as_of);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    cli_format_instant(as_of, b->ck.as_of);
    if (sodium_init() < 0) {
        fprintf(stderr, "idrisk: libsodium cannot start\n");
        return EXIT_FAIL;
    }
    ex = cli_build_engine(o, &b->eng);
    if (ex != EXIT_SCORED || engine_fingerprint(b, &b->ck) != 0) {
        return ex != EXIT_SCORED ? ex : EXIT_FAIL;
    }
    /* Before any progress line: every result of this run will carry low coverage. */
    if (!o->quiet) {
        cli_print_coverage_notes(stderr, "idrisk batch: warning: ", b->eng, NULL);
    }
    ex = open_input(b);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    struct stat sb;
    b->checkpointing = o->out && strcmp(o->in, "-") != 0 &&
                       fstat(fileno(b->in), &sb) == 0 && S_ISREG(sb.st_mode);
    if (o->db) {
        absolute(o->db, b->ck.store);
    }
    b->errors_to_stderr = !o->errors && !o->out;
    if (o->errors) {
        snprintf(b->errors_path, sizeof b->errors_path, "%s", o->errors);
    } else if (o->out) {
        snprintf(b->errors_path, sizeof b->errors_path, "%s.errors", o->out);
    }
    if (!b->errors_to_stderr) {
        absolute(b->errors_path, b->ck.errors);
    }
    b->ck.phase = o->db ? PHASE_INDEX : PHASE_SCORE;
    b->ck.next_line = 1;
    bool done;
    ex = load_checkpoint(b, &done);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    if (done) {
        summary(b, true, 0);
        ex = write_report(b, true);
        return ex != EXIT_SCORED ? ex : final_status(b);
    }
    uint64_t resumed_at = b->ck.next_line;
    uint64_t read_before = b->ck.c.read;
    /* The store first: a store that cannot be opened leaves the results as they were. */
    if (o->db) {
        ex = cli_open_store(o, IDR_STORE_CREATE | IDR_STORE_BULK, &b->st);
        if (ex != EXIT_SCORED) {
            return ex;
        }
    }
    ex = open_outputs(b);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    /* The first checkpoint fixes as_of before any record is scored. */
    if (checkpoint(b) != 0) {
        return EXIT_FAIL;
    }
    b->t0 = b->t_start = now_s();
    b->read_at_start = read_before;
    if (cli_parse_time(b->ck.as_of, &b->as_of) != 0) {
        fprintf(stderr, "idrisk: the checkpoint's as_of %s is not an instant\n",
                b->ck.as_of);
        return EXIT_FAIL;
    }
    while (b->ck.phase != PHASE_DONE) {
        ex = run_phase(b);
        if (ex != EXIT_SCORED) {
            summary(b, false, resumed_at);
            return ex;
        }
        if (b->ck.phase == PHASE_INDEX) {
            b->ck.phase = PHASE_SCORE;
            b->ck.next_line = 1;
            b->ck.in_offset = 0;
            b->done_this_run = 0;
            resumed_at = 1;
            b->t0 = now_s();
        } else {
            b->ck.phase = PHASE_DONE;
        }
        if (checkpoint(b) != 0) {
            return EXIT_FAIL;
        }
    }
    if (fflush(b->out) != 0 || (!b->errors_to_stderr && fflush(b->errf) != 0)) {
        fprintf(stderr, "idrisk: cannot write the results: %s\n", strerror(errno));
        return EXIT_FAIL;
    }
    summary(b, false, resumed_at);
    ex = write_report(b, false);
    return ex != EXIT_SCORED ? ex : final_status(b);
}

int cli_cmd_batch(const cli_opts *o) {
    batch *b = calloc(1, sizeof *b);
    if (!b) {
        fprintf(stderr, "idrisk: out of memory\n");
        return EXIT_FAIL;
    }
    b->o = o;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    b->jobs = o->jobs ? o->jobs : (cores > 0 ? cores : 1);
    b->every = o->checkpoint_every ? o->checkpoint_every : CHECKPOINT_EVERY;
    /* Enough slots that workers rarely wait for a slow record to be written. */
    b->window = (size_t)(4 * 64 * b->jobs);
    b->ring = calloc(b->window, sizeof *b->ring);
    b->rd.buf = malloc(READ_CHUNK);
    b->progress = isatty(STDERR_FILENO) == 1 && !o->quiet;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv_work, NULL);
    pthread_cond_init(&b->cv_done, NULL);
    pthread_cond_init(&b->cv_space, NULL);
    pthread_cond_init(&b->cv_order, NULL);
    int ex;
    if (!b->ring || !b->rd.buf) {
        fprintf(stderr, "idrisk: out of memory\n");
        ex = EXIT_FAIL;
    } else {
        ex = run(b);
    }
    if (b->abandoned) {
        fflush(NULL);
        return ex;
    }
    close_all(b);
    free(b);
    return ex;
}
