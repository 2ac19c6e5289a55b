/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.c - the batch report: one self-contained HTML page (inline CSS and SVG, no
 * scripts, no fonts, images or addresses from elsewhere) summarising a batch's results.
 *
 * Design. The results file is read once, one line at a time, and each line is parsed
 * on its own and dropped, so memory does not grow with the number of results. What is
 * kept:
 *   - counters: records, bands, actions, a ten-bucket score histogram, unreadable lines;
 *   - a table of reason ids (count of records each fired in, first title seen) and of
 *     error (code, field) pairs from the errors file; both are bounded;
 *   - the link graph: every candidate_id named by a link or carrying links (a node, with
 *     its band and score once its own line is read) and every linked pair with the set of
 *     link kinds seen between them (up to REPORT_MAX_EDGES pairs; later pairs still join
 *     clusters); this is what "memory grows with the links" means;
 *   - a fixed-size recall table of the band and score of candidates read before any
 *     link named them, so a ring's first member (scored before the others were
 *     recorded) is still coloured by its band;
 *   - the escalations (action "escalate") with their reasons, the REPORT_MAX_ESC highest
 *     scores only; the others are counted.
 * Clusters are the connected components of the link graph (union-find). Everything the
 * page shows is ordered by a total order over the input (counts, then ids, then line
 * numbers), and the circle layout uses a local sine, so the same input gives the same
 * bytes; the one exception is the generated time (SOURCE_DATE_EPOCH fixes it).
 *
 * Every string that comes from the results or the errors file is written through
 * cli_html_text(), which escapes HTML, drops control characters and replaces invalid
 * UTF-8: candidate ids and reason details are attacker-controlled text.
 */
#include "report.h"

#include "html_util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bounds; docs/report.md states them. */
#define REPORT_MAX_ESC         500         /* escalations shown with their reasons */
#define REPORT_MAX_CLUSTERS    50          /* clusters drawn and listed */
#define REPORT_MAX_DRAW_NODES  60          /* larger clusters are listed, not drawn */
#define REPORT_MAX_MEMBER_ROWS 300         /* member rows per cluster table */
#define REPORT_MAX_EDGE_ROWS   300         /* link rows per cluster table */
#define REPORT_TOP_REASONS     25          /* rows of the reason table */
#define REPORT_TOP_ERRORS      20          /* rows of the error table */
#define REPORT_MAX_KEYS        20000       /* distinct reason ids / error keys counted */
#define REPORT_MAX_NODES       2000000     /* candidates in the link graph */
#define REPORT_MAX_EDGES       1000000     /* linked pairs kept one by one */
#define REPORT_MAX_LINE        (64u << 20) /* longer lines are counted as unreadable */
#define REPORT_MAX_STR         4096        /* bytes kept of one stored reason text */
#define REPORT_MAX_KINDS       31          /* distinct link kinds; bit 31 is "other" */
#define REPORT_LABEL_CHARS     28          /* code points of a node label in a graph */
#define REPORT_RECALL_BITS     18          /* 2^18 recall slots, 16 bytes each */

/* In the order of the shared names and colours (html_util.h). */
enum { BAND_LOW, BAND_MEDIUM, BAND_HIGH, BAND_CRITICAL, BAND_N = CLI_HTML_BANDS };
enum { ACT_NONE, ACT_VERIFY, ACT_ESCALATE, ACT_N = CLI_HTML_ACTIONS };

/* ---- small containers ------------------------------------------------------------ */

/* A string -> index map (open addressing); the strings live in `keys`, in insertion
 * order, which is the only order anything is read back in: the slot layout never
 * reaches the page. The hash is FNV-1a from a per-run seed, so candidate ids chosen
 * to collide cannot be prepared in advance (the library's own string hash is
 * internal to it and not exported to the CLI). */
typedef struct {
    char **keys;
    size_t n, cap;   /* keys */
    uint32_t *slots; /* index + 1, 0 = empty */
    size_t nslots;
    uint64_t seed;
} strmap;

static uint64_t fnv1a_seeded(uint64_t seed, const char *s) {
    uint64_t h = 1469598103934665603ull ^ seed;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* Unseeded: the recall table's slots decide which band a huge batch forgets, and that
 * must be the same on every run. */
static uint64_t fnv1a(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

static void strmap_free(strmap *m) {
    for (size_t i = 0; i < m->n; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* Index of `key`, or -1 when absent. */
static long strmap_find(const strmap *m, const char *key) {
    if (!m->nslots)
        return -1;
    size_t mask = m->nslots - 1;
    for (size_t i = (size_t)fnv1a_seeded(m->seed, key) & mask;; i = (i + 1) & mask) {
        uint32_t s = m->slots[i];
        if (!s)
            return -1;
        if (strcmp(m->keys[s - 1], key) == 0)
            return (long)(s - 1);
    }
}

static int strmap_rehash(strmap *m, size_t nslots) {
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < m->n; k++) {
        size_t i = (size_t)fnv1a_seeded(m->seed, m->keys[k]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = (uint32_t)(k + 1);
    }
    free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 0;
}

/* Index of `key`, added when absent; -1 when out of memory. `*added` tells which. */
static long strmap_intern(strmap *m, const char *key, bool *added) {
    long f = strmap_find(m, key);
    *added = false;
    if (f >= 0)
        return f;
    if ((m->n + 1) * 2 > m->nslots && strmap_rehash(m, m->nslots ? m->nslots * 2 : 64))
        return -1;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        char **k = realloc(m->keys, cap * sizeof *k);
        if (!k)
            return -1;
        m->keys = k;
        m->cap = cap;
    }
    char *copy = strdup(key);
    if (!copy)
        return -1;
    m->keys[m->n] = copy;
    size_t i = (size_t)fnv1a_seeded(m->seed, key) & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = (uint32_t)(m->n + 1);
    *added = true;
    return (long)m->n++;
}

/* Growable array helper: makes room for one more element of `size` bytes. */
static int grow(void **arr, size_t *cap, size_t n, size_t size) {
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, c * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = c;
    return 0;
}

/* ---- what the report keeps ------------------------------------------------------- */

typedef struct {
    char *title; /* first title seen for the id */
    unsigned long count;
} counted;

typedef struct {
    int band; /* -1 until the candidate's own line is read */
    int score;
    uint32_t parent; /* union-find */
} node;

typedef struct {
    uint64_t key;   /* (lower node << 32) | higher node, + 1 so 0 marks empty */
    uint32_t kinds; /* bit per interned kind */
} edge;

/* The band of a candidate read before anything linked to it. A direct-mapped table of
 * fixed size (it does not grow with the results): a later collision overwrites the
 * entry, and that candidate's band then shows as unknown in the graph. */
typedef struct {
    uint64_t hash; /* 0 = empty */
    int16_t score;
    int8_t band;
} recall;

typedef struct {
    char *id, *title, *detail, *verify, *severity;
    char **benign;
    size_t nbenign;
    double points;
} esc_reason;

typedef struct {
    char *candidate_id;
    int score, band;
    unsigned long line;
    esc_reason *reasons;
    size_t nreasons;
} escalation;

typedef struct {
    unsigned long records, unreadable, no_band, no_action;
    unsigned long low_coverage; /* results with coverage.low (docs/scoring.md) */
    unsigned long bands[BAND_N], actions[ACT_N], hist[10];
    unsigned long failed, failed_unreadable;
    char *pack_id, *pack_version, *pack_sha, *engine_version;
    unsigned long other_pack, other_engine;

    strmap reason_ids;
    counted *reasons; /* parallel to reason_ids.keys */
    size_t reasons_cap;
    unsigned long reasons_dropped;

    strmap error_keys; /* "code\x1f" "field" */
    unsigned long *error_counts;
    size_t error_counts_cap;
    unsigned long errors_dropped;

    strmap node_ids;
    node *nodes;
    size_t nodes_cap;
    edge *edges; /* open-addressed set */
    size_t nedges, edges_slots;
    strmap kind_names;
    unsigned long links_dropped, edges_unkept;
    recall *recall; /* 1 << REPORT_RECALL_BITS slots */

    escalation *esc;
    size_t nesc;
    unsigned long esc_total;
} report;

/* ---- parsing helpers ------------------------------------------------------------- */

static const char *jstr(const cJSON *obj, const char *name) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static int name_index(const char *s, const char *const *names, int n) {
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

/* A copy of `s` cut to REPORT_MAX_STR bytes at a UTF-8 boundary; NULL stays NULL. */
static char *dup_bounded(const char *s, bool *oom) {
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > REPORT_MAX_STR) {
        n = REPORT_MAX_STR;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
    }
    char *d = malloc(n + 1);
    if (!d) {
        *oom = true;
        return NULL;
    }
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* Reads one line into *buf (without the newline). Returns 1 for a line, 0 at the end,
 * -1 on a read error. A line longer than REPORT_MAX_LINE is consumed and reported
 * through *too_long with an empty buffer. */
static int read_line(FILE *f, char **buf, size_t *cap, bool *too_long) {
    size_t n = 0;
    int c;
    *too_long = false;
    if (!*buf) {
        if (!(*buf = malloc(4096)))
            return -1;
        *cap = 4096;
    }
    /* The file is this thread's alone: no stdio lock per byte. */
    while ((c = getc_unlocked(f)) != EOF && c != '\n') {
        if (*too_long)
            continue;
        if (n + 2 > *cap) {
            size_t nc = *cap ? *cap * 2 : 4096;
            if (nc > REPORT_MAX_LINE + 2u)
                nc = REPORT_MAX_LINE + 2u;
            if (n + 2 > nc) {
                *too_long = true;
                n = 0;
                continue;
            }
            char *b = realloc(*buf, nc);
            if (!b)
                return -1;
            *buf = b;
            *cap = nc;
        }
        (*buf)[n++] = (char)c;
    }
    if (ferror(f))
        return -1;
    if (c == EOF && n == 0 && !*too_long)
        return 0;
    (*buf)[n] = '\0';
    return 1;
}

static bool blank(const char *s) {
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

/* ---- accumulating one result ----------------------------------------------------- */

static int count_reason(report *r, const char *id, const char *title) {
    long i = strmap_find(&r->reason_ids, id);
    if (i < 0) {
        if (r->reason_ids.n >= REPORT_MAX_KEYS) {
            r->reasons_dropped++;
            return 0;
        }
        bool added;
        i = strmap_intern(&r->reason_ids, id, &added);
        if (i < 0 ||
            grow((void **)&r->reasons, &r->reasons_cap, (size_t)i, sizeof *r->reasons))
            return -1;
        bool oom = false;
        r->reasons[i].title = dup_bounded(title, &oom);
        r->reasons[i].count = 0;
        if (oom)
            return -1;
    }
    r->reasons[i].count++;
    return 0;
}

static uint64_t mix64(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static uint64_t recall_hash(const char *id) {
    uint64_t h = mix64(fnv1a(id) ^ 0x9e3779b97f4a7c15ull);
    return h ? h : 1;
}

/* Node index of `id`, created when new (with the band recalled if its line was read
 * before); -1 out of memory, -2 full. */
static long node_of(report *r, const char *id) {
    long i = strmap_find(&r->node_ids, id);
    if (i >= 0)
        return i;
    if (r->node_ids.n >= REPORT_MAX_NODES)
        return -2;
    bool added;
    i = strmap_intern(&r->node_ids, id, &added);
    if (i < 0 || grow((void **)&r->nodes, &r->nodes_cap, (size_t)i, sizeof *r->nodes))
        return -1;
    r->nodes[i] = (node){.band = -1, .score = -1, .parent = (uint32_t)i};
    uint64_t h = recall_hash(id);
    const recall *rc = &r->recall[h & ((1u << REPORT_RECALL_BITS) - 1)];
    if (rc->hash == h) {
        r->nodes[i].band = rc->band;
        r->nodes[i].score = rc->score;
    }
    return i;
}

static uint32_t uf_find(node *nodes, uint32_t i) {
    while (nodes[i].parent != i) {
        nodes[i].parent = nodes[nodes[i].parent].parent;
        i = nodes[i].parent;
    }
    return i;
}

static edge *edge_slot(edge *set, size_t nslots, uint64_t key) {
    size_t mask = nslots - 1;
    for (size_t i = (size_t)mix64(key) & mask;; i = (i + 1) & mask)
        if (set[i].key == key || set[i].key == 0)
            return &set[i];
}

static int add_edge(report *r, uint32_t a, uint32_t b, uint32_t kinds) {
    if (a > b) {
        uint32_t t = a;
        a = b;
        b = t;
    }
    /* Union first: a pair beyond the edge bound still joins its clusters. */
    uint32_t ra = uf_find(r->nodes, a), rb = uf_find(r->nodes, b);
    if (ra != rb) /* the lower root wins, so the forest does not depend on the order */
        r->nodes[ra > rb ? ra : rb].parent = ra < rb ? ra : rb;
    uint64_t key = (((uint64_t)a << 32) | b) + 1;
    if (r->nedges >= REPORT_MAX_EDGES) {
        edge *e = edge_slot(r->edges, r->edges_slots, key);
        if (e->key)
            e->kinds |= kinds;
        else
            r->edges_unkept++;
        return 0;
    }
    if ((r->nedges + 1) * 2 > r->edges_slots) {
        size_t ns = r->edges_slots ? r->edges_slots * 2 : 256;
        edge *set = calloc(ns, sizeof *set);
        if (!set)
            return -1;
        for (size_t i = 0; i < r->edges_slots; i++)
            if (r->edges[i].key)
                *edge_slot(set, ns, r->edges[i].key) = r->edges[i];
        free(r->edges);
        r->edges = set;
        r->edges_slots = ns;
    }
    edge *e = edge_slot(r->edges, r->edges_slots, key);
    if (!e->key) {
        e->key = key;
        r->nedges++;
    }
    e->kinds |= kinds;
    return 0;
}

static uint32_t kind_bit(report *r, const char *kind, bool *oom) {
    if (!kind)
        kind = "unknown";
    long i = strmap_find(&r->kind_names, kind);
    if (i < 0) {
        if (r->kind_names.n >= REPORT_MAX_KINDS)
            return 1u << REPORT_MAX_KINDS;
        bool added;
        i = strmap_intern(&r->kind_names, kind, &added);
        if (i < 0) {
            *oom = true;
            return 0;
        }
    }
    return 1u << i;
}

static int
add_links(report *r, const char *cid, const cJSON *links, int band, int score) {
    long self = strmap_find(&r->node_ids, cid);
    if (self < 0 && cJSON_GetArraySize(links) > 0) {
        self = node_of(r, cid);
        if (self == -1)
            return -1;
        if (self == -2) {
            r->links_dropped += (unsigned long)cJSON_GetArraySize(links);
            return 0;
        }
    }
    if (self >= 0) {
        r->nodes[self].band = band;
        r->nodes[self].score = score;
    } else {
        uint64_t h = recall_hash(cid);
        r->recall[h & ((1u << REPORT_RECALL_BITS) - 1)] =
            (recall){.hash = h, .score = (int16_t)score, .band = (int8_t)band};
    }
    const cJSON *l;
    cJSON_ArrayForEach(l, links) {
        const char *other = jstr(l, "candidate_id");
        if (!other || strcmp(other, cid) == 0)
            continue;
        long o = node_of(r, other);
        if (o == -1)
            return -1;
        if (o == -2) {
            r->links_dropped++;
            continue;
        }
        bool oom = false;
        uint32_t bit = kind_bit(r, jstr(l, "kind"), &oom);
        if (oom || add_edge(r, (uint32_t)self, (uint32_t)o, bit))
            return -1;
    }
    return 0;
}

static void esc_free(escalation *e) {
    for (size_t i = 0; i < e->nreasons; i++) {
        esc_reason *x = &e->reasons[i];
        free(x->id), free(x->title), free(x->detail), free(x->verify), free(x->severity);
        for (size_t k = 0; k < x->nbenign; k++)
            free(x->benign[k]);
        free(x->benign);
    }
    free(e->reasons);
    free(e->candidate_id);
    memset(e, 0, sizeof *e);
}

/* Whether escalation a goes before b: higher score first, then the earlier line. */
static bool esc_before(int score_a, unsigned long line_a, const escalation *b) {
    return score_a != b->score ? score_a > b->score : line_a < b->line;
}

static int keep_escalation(report *r,
                           const char *cid,
                           int score,
                           int band,
                           unsigned long line,
                           const cJSON *reasons) {
    r->esc_total++;
    escalation *slot;
    if (r->nesc < REPORT_MAX_ESC) {
        if (!r->esc && !(r->esc = calloc(REPORT_MAX_ESC, sizeof *r->esc)))
            return -1;
        slot = &r->esc[r->nesc++];
    } else {
        size_t worst = 0;
        for (size_t i = 1; i < r->nesc; i++)
            if (esc_before(r->esc[worst].score, r->esc[worst].line, &r->esc[i]))
                worst = i;
        if (!esc_before(score, line, &r->esc[worst]))
            return 0;
        slot = &r->esc[worst];
        esc_free(slot);
    }
    bool oom = false;
    slot->candidate_id = dup_bounded(cid, &oom);
    slot->score = score;
    slot->band = band;
    slot->line = line;
    size_t n = (size_t)cJSON_GetArraySize(reasons);
    if (n) {
        slot->reasons = calloc(n, sizeof *slot->reasons);
        if (!slot->reasons)
            return -1;
    }
    const cJSON *x;
    cJSON_ArrayForEach(x, reasons) {
        esc_reason *d = &slot->reasons[slot->nreasons++];
        d->id = dup_bounded(jstr(x, "id"), &oom);
        d->title = dup_bounded(jstr(x, "title"), &oom);
        d->detail = dup_bounded(jstr(x, "detail"), &oom);
        d->verify = dup_bounded(jstr(x, "verify"), &oom);
        d->severity = dup_bounded(jstr(x, "severity"), &oom);
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(x, "points");
        d->points = cJSON_IsNumber(p) ? p->valuedouble : 0;
        const cJSON *be = cJSON_GetObjectItemCaseSensitive(x, "benign_explanations");
        size_t nb = (size_t)cJSON_GetArraySize(be);
        if (nb && !(d->benign = calloc(nb, sizeof *d->benign)))
            return -1;
        const cJSON *b;
        cJSON_ArrayForEach(b, be) {
            if (cJSON_IsString(b) && d->nbenign < nb)
                d->benign[d->nbenign++] = dup_bounded(b->valuestring, &oom);
        }
    }
    return oom ? -1 : 0;
}

/* Folds one parsed result into the report; -1 only when out of memory. */
static int add_result(report *r, const cJSON *res, unsigned long line) {
    const char *cid = jstr(res, "candidate_id");
    const cJSON *sc = cJSON_GetObjectItemCaseSensitive(res, "score");
    if (!cid || !cJSON_IsNumber(sc)) {
        r->unreadable++;
        return 0;
    }
    r->records++;
    double sd = sc->valuedouble;
    int score = sd < 0 ? 0 : sd > 100 ? 100 : (int)sd;
    r->hist[score >= 90 ? 9 : score / 10]++;
    int band = name_index(jstr(res, "band"), cli_html_band_names, BAND_N);
    int action = name_index(jstr(res, "action"), cli_html_action_names, ACT_N);
    if (band < 0)
        r->no_band++;
    else
        r->bands[band]++;
    if (action < 0)
        r->no_action++;
    else
        r->actions[action]++;
    r->low_coverage += cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(res, "coverage"), "low"));

    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(res, "ruleset");
    const char *sha = jstr(rs, "sha256"), *ev = jstr(res, "engine_version");
    bool oom = false;
    if (r->records == 1) {
        r->pack_id = dup_bounded(jstr(rs, "id"), &oom);
        r->pack_version = dup_bounded(jstr(rs, "version"), &oom);
        r->pack_sha = dup_bounded(sha, &oom);
        r->engine_version = dup_bounded(ev, &oom);
        if (oom)
            return -1;
    } else {
        if ((sha == NULL) != (r->pack_sha == NULL) ||
            (sha && strcmp(sha, r->pack_sha) != 0))
            r->other_pack++;
        if ((ev == NULL) != (r->engine_version == NULL) ||
            (ev && strcmp(ev, r->engine_version) != 0))
            r->other_engine++;
    }

    /* Each reason id counts once per record, so the share is a share of records. */
    const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(res, "reasons");
    if (!cJSON_IsArray(reasons))
        reasons = NULL;
    const cJSON *x;
    int k = 0;
    cJSON_ArrayForEach(x, reasons) {
        const char *id = jstr(x, "id");
        bool dup = false;
        const cJSON *y;
        int j = 0;
        cJSON_ArrayForEach(y, reasons) {
            if (j++ >= k)
                break;
            const char *yid = jstr(y, "id");
            if (id && yid && strcmp(id, yid) == 0)
                dup = true;
        }
        k++;
        if (id && !dup && count_reason(r, id, jstr(x, "title")))
            return -1;
    }

    const cJSON *links = cJSON_GetObjectItemCaseSensitive(res, "links");
    if (add_links(r, cid, cJSON_IsArray(links) ? links : NULL, band, score))
        return -1;
    if (action == ACT_ESCALATE && keep_escalation(r, cid, score, band, line, reasons))
        return -1;
    return 0;
}

static int add_error(report *r, const cJSON *e) {
    const char *code = jstr(e, "code"), *field = jstr(e, "field");
    r->failed++;
    char key[512];
    snprintf(key, sizeof key, "%s\x1f%s", code ? code : "", field ? field : "");
    long i = strmap_find(&r->error_keys, key);
    if (i < 0) {
        if (r->error_keys.n >= REPORT_MAX_KEYS) {
            r->errors_dropped++;
            return 0;
        }
        bool added;
        i = strmap_intern(&r->error_keys, key, &added);
        if (i < 0 || grow((void **)&r->error_counts, &r->error_counts_cap, (size_t)i,
                          sizeof *r->error_counts))
            return -1;
        r->error_counts[i] = 0;
    }
    r->error_counts[i]++;
    return 0;
}

/* Reads a JSON Lines file, handing each object to `fold`. Returns 0, -1 on read error
 * (errno set), -2 out of memory. */
static int read_jsonl(FILE *f,
                      report *r,
                      int (*fold)(report *, const cJSON *, unsigned long),
                      unsigned long *unreadable) {
    char *buf = NULL;
    size_t cap = 0;
    unsigned long line = 0;
    int rc, out = 0;
    bool too_long;
    while ((rc = read_line(f, &buf, &cap, &too_long)) == 1) {
        line++;
        if (too_long) {
            (*unreadable)++;
            continue;
        }
        if (blank(buf))
            continue;
        cJSON *j = cJSON_Parse(buf);
        if (!cJSON_IsObject(j)) {
            (*unreadable)++;
        } else if (fold(r, j, line)) {
            cJSON_Delete(j);
            out = -2;
            break;
        }
        cJSON_Delete(j);
    }
    if (rc < 0)
        out = errno == ENOMEM ? -2 : -1;
    free(buf);
    return out;
}

static int fold_result(report *r, const cJSON *j, unsigned long line) {
    return add_result(r, j, line);
}

static int fold_error(report *r, const cJSON *j, unsigned long line) {
    (void)line;
    return add_error(r, j);
}

static void report_free(report *r) {
    free(r->pack_id), free(r->pack_version), free(r->pack_sha), free(r->engine_version);
    for (size_t i = 0; i < r->reason_ids.n; i++)
        free(r->reasons[i].title);
    free(r->reasons);
    strmap_free(&r->reason_ids);
    free(r->error_counts);
    strmap_free(&r->error_keys);
    free(r->nodes);
    strmap_free(&r->node_ids);
    free(r->edges);
    free(r->recall);
    strmap_free(&r->kind_names);
    for (size_t i = 0; i < r->nesc; i++)
        esc_free(&r->esc[i]);
    free(r->esc);
}

/* ---- HTML output ----------------------------------------------------------------- */

/* The anchor of a candidate's section: "cand-" then the id with every byte outside
 * [A-Za-z0-9_-] written as ".XX" (hex), so it is a valid id and fragment as it stands;
 * `dup` > 0 appends "~dup" for a candidate that appears more than once. */
static void put_anchor(FILE *o, const char *id, int dup) {
    cli_html_put(o, "cand-");
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
            (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')
            fputc(*p, o);
        else
            cli_html_putf(o, ".%02X", *p);
    }
    if (dup)
        cli_html_putf(o, "~%d", dup);
}

static void put_num(FILE *o, double v) {
    if (v == (double)(long long)v)
        cli_html_putf(o, "%lld", (long long)v);
    else
        cli_html_putf(o, "%.2f", v);
}

static void put_share(FILE *o, unsigned long part, unsigned long whole) {
    if (!whole)
        cli_html_put(o, "&ndash;");
    else
        cli_html_putf(o, "%.1f&#8239;%%", 100.0 * (double)part / (double)whole);
}

/* A horizontal bar chart of labelled counts. */
static void put_hbars(FILE *o,
                      const char *title,
                      const char *const *labels,
                      const char *const *colours,
                      const unsigned long *counts,
                      int n) {
    unsigned long max = 1;
    for (int i = 0; i < n; i++)
        if (counts[i] > max)
            max = counts[i];
    const int left = 90, width = 460, bar = 24, gap = 10;
    int h = n * (bar + gap) + gap;
    cli_html_putf(o,
                  "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
                  "<title>%s</title>\n",
                  left + width + 90, h, left + width + 90, h, title);
    for (int i = 0; i < n; i++) {
        int y = gap + i * (bar + gap);
        double w = counts[i] ? (double)width * (double)counts[i] / (double)max : 0;
        if (counts[i] && w < 2)
            w = 2;
        cli_html_putf(o,
                      "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                      "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
                      "<text x=\"%.1f\" y=\"%d\">%lu</text>\n",
                      left - 8, y + bar / 2 + 4, labels[i], left, y, w, bar, colours[i],
                      left + w + 6, y + bar / 2 + 4, counts[i]);
    }
    cli_html_put(o, "</svg>\n");
}

static void put_histogram(FILE *o, const report *r) {
    unsigned long max = 1;
    for (int i = 0; i < 10; i++)
        if (r->hist[i] > max)
            max = r->hist[i];
    const int left = 60, top = 24, plot_h = 220, bw = 56, gap = 14;
    int plot_w = 10 * (bw + gap) + gap, wid = left + plot_w + 20, hei = top + plot_h + 56;
    cli_html_putf(o,
                  "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">"
                  "<title>Score histogram</title>\n",
                  wid, hei, wid, hei);
    int base = top + plot_h;
    cli_html_putf(o,
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5661\"/>"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5661\"/>\n",
                  left, top, left, base, left, base, left + plot_w, base);
    cli_html_putf(o,
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%lu</text>"
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
                  "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#4a5661\"/>\n",
                  left - 6, top + 4, max, left - 6, base + 4, left - 4, top, left, top);
    cli_html_putf(o,
                  "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" "
                  "text-anchor=\"middle\">records</text>\n",
                  top + plot_h / 2, top + plot_h / 2);
    for (int i = 0; i < 10; i++) {
        int x = left + gap + i * (bw + gap);
        double h = r->hist[i] ? (double)plot_h * (double)r->hist[i] / (double)max : 0;
        if (r->hist[i] && h < 2)
            h = 2;
        cli_html_putf(
            o,
            "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"#5b7fa6\"/>"
            "<text class=\"hc\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%lu</text>"
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d&#8211;%d</text>\n",
            x, base - h, bw, h, x + bw / 2, base - h - 5, r->hist[i], x + bw / 2,
            base + 18, i * 10, i == 9 ? 100 : i * 10 + 9);
    }
    cli_html_putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">score</text>\n",
                  left + plot_w / 2, base + 42);
    cli_html_put(o, "</svg>\n");
}

/* Sorting helpers; qsort is not stable, so every comparison ends in a unique key. */
static const report *sort_r;

static int cmp_reason(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const counted *cx = &sort_r->reasons[x], *cy = &sort_r->reasons[y];
    if (cx->count != cy->count)
        return cx->count > cy->count ? -1 : 1;
    return strcmp(sort_r->reason_ids.keys[x], sort_r->reason_ids.keys[y]);
}

static int cmp_error(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    unsigned long cx = sort_r->error_counts[x], cy = sort_r->error_counts[y];
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return strcmp(sort_r->error_keys.keys[x], sort_r->error_keys.keys[y]);
}

static int cmp_node_id(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return strcmp(sort_r->node_ids.keys[x], sort_r->node_ids.keys[y]);
}

static int cmp_esc(const void *a, const void *b) {
    const escalation *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Sine and cosine by Taylor series: the layout must not depend on which libm the
 * CLI links (it links none of its own), and must be the same everywhere. */
static void sincos_local(double t, double *s, double *c) {
    const double pi = 3.14159265358979323846;
    while (t > pi)
        t -= 2 * pi;
    while (t < -pi)
        t += 2 * pi;
    double term = t, sum = t;
    for (int k = 1; k < 14; k++) {
        term *= -t * t / ((2.0 * k) * (2.0 * k + 1));
        sum += term;
    }
    *s = sum;
    term = 1;
    double csum = 1;
    for (int k = 1; k < 14; k++) {
        term *= -t * t / ((2.0 * k - 1) * (2.0 * k));
        csum += term;
    }
    *c = csum;
}

typedef struct {
    uint32_t root;
    size_t size;
    uint32_t first; /* smallest member id, for a stable order among equal sizes */
} cluster;

static int cmp_cluster(const void *a, const void *b) {
    const cluster *x = a, *y = b;
    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return strcmp(sort_r->node_ids.keys[x->first], sort_r->node_ids.keys[y->first]);
}

static void put_kinds(FILE *o, const report *r, uint32_t kinds) {
    bool first = true;
    /* Kind names in alphabetical order, whatever order they were met in. */
    size_t nk = r->kind_names.n;
    size_t order[REPORT_MAX_KINDS];
    for (size_t i = 0; i < nk; i++)
        order[i] = i;
    for (size_t i = 1; i < nk; i++)
        for (size_t j = i; j > 0 && strcmp(r->kind_names.keys[order[j - 1]],
                                           r->kind_names.keys[order[j]]) > 0;
             j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    for (size_t i = 0; i < nk; i++) {
        if (kinds & (1u << order[i])) {
            if (!first)
                cli_html_put(o, ", ");
            cli_html_text(o, r->kind_names.keys[order[i]]);
            first = false;
        }
    }
    if (kinds & (1u << REPORT_MAX_KINDS))
        cli_html_put(o, first ? "other" : ", other");
}

/* Edges in the order of their (smaller id, larger id) names. */
static void edge_names(const edge *e, const char **lo, const char **hi) {
    const char *a = sort_r->node_ids.keys[(e->key - 1) >> 32],
               *b = sort_r->node_ids.keys[(e->key - 1) & 0xffffffffu];
    bool swap = strcmp(a, b) > 0;
    *lo = swap ? b : a;
    *hi = swap ? a : b;
}

static int cmp_edge(const void *a, const void *b) {
    const char *a1, *a2, *b1, *b2;
    edge_names(*(const edge *const *)a, &a1, &a2);
    edge_names(*(const edge *const *)b, &b1, &b2);
    int d = strcmp(a1, b1);
    return d ? d : strcmp(a2, b2);
}

/* Position of member i of n on a circle around (0, 0): the first member at the top,
 * the others clockwise in id order; a pair side by side. */
static void circle_pos(size_t i, size_t n, double rad, double *x, double *y) {
    const double pi = 3.14159265358979323846;
    double s, c;
    sincos_local((n == 2 ? pi : -pi / 2) + 2 * pi * (double)i / (double)n, &s, &c);
    *x = rad * c;
    *y = rad * s;
}

/* Member position of node `id` among the n sorted members (n is small when drawn). */
static size_t member_pos(const uint32_t *mem, size_t n, uint32_t id) {
    for (size_t i = 0; i < n; i++)
        if (mem[i] == id)
            return i;
    return 0;
}

/* One cluster as a graph: members on a circle, an edge per linked pair labelled with
 * its kinds, nodes filled with the band's colour. */
static void put_cluster_svg(FILE *o,
                            const report *r,
                            const uint32_t *mem,
                            size_t n,
                            const edge *const *ces,
                            size_t nce,
                            size_t no) {
    double rad = n <= 4 ? 110 : 19.0 * (double)n;
    double minx = 0, maxx = 0, miny = 0, maxy = 0;
    for (size_t i = 0; i < n; i++) {
        double x, y;
        circle_pos(i, n, rad, &x, &y);
        minx = x < minx ? x : minx, maxx = x > maxx ? x : maxx;
        miny = y < miny ? y : miny, maxy = y > maxy ? y : maxy;
    }
    /* Room for labels: beside the nodes left and right, above and below otherwise. */
    minx -= 200, maxx += 200, miny -= 34, maxy += 38;
    cli_html_putf(o,
                  "<svg width=\"%.0f\" height=\"%.0f\" viewBox=\"%.0f %.0f %.0f %.0f\" "
                  "role=\"img\"><title>Cluster %zu</title>\n",
                  maxx - minx, maxy - miny, minx, miny, maxx - minx, maxy - miny, no);
    for (size_t e = 0; e < nce; e++) {
        size_t ia = member_pos(mem, n, (uint32_t)((ces[e]->key - 1) >> 32)),
               ib = member_pos(mem, n, (uint32_t)((ces[e]->key - 1) & 0xffffffffu));
        if (ia > ib) {
            size_t t = ia;
            ia = ib;
            ib = t;
        }
        double xa, ya, xb, yb;
        circle_pos(ia, n, rad, &xa, &ya);
        circle_pos(ib, n, rad, &xb, &yb);
        /* Neighbours on the circle get their label midway; a chord's sits 30% of the
         * way from its lower member, so crossing chords do not share the centre. */
        double t = (ib - ia == 1 || ib - ia == n - 1) ? 0.5 : 0.3;
        cli_html_putf(
            o,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8795a3\" "
            "stroke-width=\"1.5\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
            "style=\"font-size:11px;fill:#37414b;paint-order:stroke;stroke:#fff;"
            "stroke-width:3px\">",
            xa, ya, xb, yb, xa + t * (xb - xa), ya + t * (yb - ya) + 4);
        put_kinds(o, r, ces[e]->kinds);
        cli_html_put(o, "</text>\n");
    }
    for (size_t i = 0; i < n; i++) {
        double x, y;
        circle_pos(i, n, rad, &x, &y);
        const node *nd = &r->nodes[mem[i]];
        const char *anchor = x < -1 ? "end" : x > 1 ? "start" : "middle";
        double lx = anchor[0] == 'e' ? x - 14 : anchor[0] == 's' ? x + 14 : x;
        double ly = anchor[0] == 'm' ? (y < 0 ? y - 15 : y + 25) : y + 4;
        cli_html_putf(
            o,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"%s\" stroke=\"#1d2329\">"
            "<title>",
            x, y, cli_html_band_colour(nd->band));
        cli_html_text(o, r->node_ids.keys[mem[i]]);
        cli_html_putf(o,
                      " (band %s)</title></circle><text x=\"%.1f\" y=\"%.1f\" "
                      "text-anchor=\"%s\">",
                      cli_html_band_name(nd->band), lx, ly, anchor);
        cli_html_text_n(o, r->node_ids.keys[mem[i]], REPORT_LABEL_CHARS);
        cli_html_put(o, "</text>\n");
    }
    cli_html_put(o, "</svg>\n");
}

static int put_clusters(FILE *o, report *r) {
    size_t nn = r->node_ids.n;
    /* Component sizes: count per root, then gather members sorted by id. */
    size_t *count = calloc(nn ? nn : 1, sizeof *count);
    if (!count)
        return -1;
    for (size_t i = 0; i < nn; i++)
        count[uf_find(r->nodes, (uint32_t)i)]++;
    size_t ncl = 0;
    for (size_t i = 0; i < nn; i++)
        if (count[i] >= 2)
            ncl++;
    cluster *cl = calloc(ncl ? ncl : 1, sizeof *cl);
    uint32_t *order = malloc((nn ? nn : 1) * sizeof *order);
    if (!cl || !order) {
        free(count), free(cl), free(order);
        return -1;
    }
    sort_r = r;
    for (size_t i = 0; i < nn; i++)
        order[i] = (uint32_t)i;
    qsort(order, nn, sizeof *order, cmp_node_id);
    /* The first member met in id order is the smallest id of its component. */
    size_t *slot = malloc((nn ? nn : 1) * sizeof *slot);
    if (!slot) {
        free(count), free(cl), free(order);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < nn; i++)
        slot[i] = SIZE_MAX;
    for (size_t i = 0; i < nn; i++) {
        uint32_t root = uf_find(r->nodes, order[i]);
        if (count[root] >= 2 && slot[root] == SIZE_MAX) {
            slot[root] = k;
            cl[k++] = (cluster){.root = root, .size = count[root], .first = order[i]};
        }
    }
    qsort(cl, ncl, sizeof *cl, cmp_cluster);

    size_t in_clusters = 0;
    for (size_t c = 0; c < ncl; c++)
        in_clusters += cl[c].size;
    cli_html_put(o, "<h2 id=\"clusters\">Linkage clusters</h2>\n");
    cli_html_putf(
        o,
        "<p>Candidates that share an identifier (the kind is named, never its value), "
        "grouped into connected clusters. %zu cluster%s of two or more candidates, "
        "%zu candidates in them, %zu distinct links.",
        ncl, ncl == 1 ? "" : "s", in_clusters, r->nedges);
    if (ncl > REPORT_MAX_CLUSTERS)
        cli_html_putf(o, " The %d largest are shown; %zu smaller ones are not.",
                      REPORT_MAX_CLUSTERS, ncl - REPORT_MAX_CLUSTERS);
    cli_html_put(o,
                 " Node colour is the candidate's band; grey means the band is not known "
                 "from this file (the candidate's own result line is not in it, or was "
                 "forgotten in a very large batch: docs/report.md).</p>\n");
    if (r->links_dropped)
        cli_html_putf(
            o,
            "<p class=\"note\">%lu links were not counted: the graph reached its limit "
            "of %d candidates.</p>\n",
            r->links_dropped, REPORT_MAX_NODES);

    if (r->edges_unkept)
        cli_html_putf(
            o,
            "<p class=\"note\">%lu links beyond the first %d linked pairs joined "
            "clusters but are not listed one by one.</p>\n",
            r->edges_unkept, REPORT_MAX_EDGES);

    /* Shown clusters get an index through `slot` (by root); members (already in id
     * order) and edges are bucketed per cluster in one pass each. */
    size_t shown = ncl < REPORT_MAX_CLUSTERS ? ncl : REPORT_MAX_CLUSTERS;
    for (size_t i = 0; i < nn; i++)
        slot[i] = SIZE_MAX;
    size_t *mstart = calloc(shown + 1, sizeof *mstart);
    size_t *estart = calloc(shown + 1, sizeof *estart);
    size_t *fill = calloc(shown + 1, sizeof *fill);
    uint32_t *mem = malloc((in_clusters ? in_clusters : 1) * sizeof *mem);
    size_t *pos = malloc((nn ? nn : 1) * sizeof *pos);
    const edge **ces = NULL;
    uint32_t *mkinds = NULL;
    size_t *mdeg = NULL;
    int rc = mstart && estart && fill && mem && pos ? 0 : -1;
    size_t biggest = 0;
    for (size_t c = 0; rc == 0 && c < shown; c++) {
        slot[cl[c].root] = c;
        mstart[c + 1] = mstart[c] + cl[c].size;
        biggest = cl[c].size > biggest ? cl[c].size : biggest;
    }
    for (size_t s = 0; rc == 0 && s < r->edges_slots; s++) {
        const edge *e = &r->edges[s];
        size_t c =
            e->key ? slot[uf_find(r->nodes, (uint32_t)((e->key - 1) >> 32))] : SIZE_MAX;
        if (c != SIZE_MAX)
            estart[c + 1]++;
    }
    for (size_t c = 0; rc == 0 && c < shown; c++)
        estart[c + 1] += estart[c];
    if (rc == 0) {
        ces = malloc((estart[shown] ? estart[shown] : 1) * sizeof *ces);
        mkinds = malloc((biggest ? biggest : 1) * sizeof *mkinds);
        mdeg = malloc((biggest ? biggest : 1) * sizeof *mdeg);
        rc = ces && mkinds && mdeg ? 0 : -1;
    }
    for (size_t i = 0; rc == 0 && i < nn; i++) {
        size_t c = slot[uf_find(r->nodes, order[i])];
        if (c != SIZE_MAX) {
            pos[order[i]] = fill[c];
            mem[mstart[c] + fill[c]++] = order[i];
        }
    }
    for (size_t c = 0; rc == 0 && c < shown; c++)
        fill[c] = 0;
    for (size_t s = 0; rc == 0 && s < r->edges_slots; s++) {
        const edge *e = &r->edges[s];
        size_t c =
            e->key ? slot[uf_find(r->nodes, (uint32_t)((e->key - 1) >> 32))] : SIZE_MAX;
        if (c != SIZE_MAX)
            ces[estart[c] + fill[c]++] = e;
    }

    for (size_t c = 0; rc == 0 && c < shown; c++) {
        const uint32_t *cm = mem + mstart[c];
        size_t n = cl[c].size;
        const edge **ce = ces + estart[c];
        size_t nce = estart[c + 1] - estart[c];
        if (nce)
            qsort(ce, nce, sizeof *ce, cmp_edge);
        memset(mkinds, 0, n * sizeof *mkinds);
        memset(mdeg, 0, n * sizeof *mdeg);
        for (size_t e = 0; e < nce; e++) {
            uint64_t key = ce[e]->key - 1;
            size_t pa = pos[key >> 32], pb = pos[key & 0xffffffffu];
            mkinds[pa] |= ce[e]->kinds, mdeg[pa]++;
            mkinds[pb] |= ce[e]->kinds, mdeg[pb]++;
        }
        cli_html_putf(
            o, "<h3 id=\"cluster-%zu\">Cluster %zu: %zu candidates, %zu link%s</h3>\n",
            c + 1, c + 1, n, nce, nce == 1 ? "" : "s");
        if (n <= REPORT_MAX_DRAW_NODES)
            put_cluster_svg(o, r, cm, n, ce, nce, c + 1);
        else
            cli_html_putf(
                o,
                "<p class=\"small\">Too many members to draw (%zu; at most %d are "
                "drawn); the tables list them.</p>\n",
                n, REPORT_MAX_DRAW_NODES);
        cli_html_put(
            o, "<table class=\"t\"><tr><th>candidate</th><th>band</th><th>score</th>"
               "<th>links in this cluster</th><th>shared kinds</th></tr>\n");
        for (size_t i = 0; i < n && i < REPORT_MAX_MEMBER_ROWS; i++) {
            const node *nd = &r->nodes[cm[i]];
            cli_html_put(o, "<tr><td class=\"mono\">");
            cli_html_text(o, r->node_ids.keys[cm[i]]);
            cli_html_put(o, "</td><td>");
            cli_html_band_chip(o, nd->band);
            cli_html_put(o, "</td><td class=\"n\">");
            if (nd->score >= 0)
                cli_html_putf(o, "%d", nd->score);
            else
                cli_html_put(o, "&ndash;");
            cli_html_putf(o, "</td><td class=\"n\">%zu</td><td>", mdeg[i]);
            put_kinds(o, r, mkinds[i]);
            cli_html_put(o, "</td></tr>\n");
        }
        cli_html_put(o, "</table>\n");
        if (n > REPORT_MAX_MEMBER_ROWS)
            cli_html_putf(o, "<p class=\"small\">and %zu more members.</p>\n",
                          n - REPORT_MAX_MEMBER_ROWS);
        cli_html_put(o, "<table class=\"t\"><tr><th>candidate</th><th>candidate</th>"
                        "<th>shared</th></tr>\n");
        for (size_t e = 0; e < nce && e < REPORT_MAX_EDGE_ROWS; e++) {
            const char *lo, *hi;
            edge_names(ce[e], &lo, &hi);
            cli_html_put(o, "<tr><td class=\"mono\">");
            cli_html_text(o, lo);
            cli_html_put(o, "</td><td class=\"mono\">");
            cli_html_text(o, hi);
            cli_html_put(o, "</td><td>");
            put_kinds(o, r, ce[e]->kinds);
            cli_html_put(o, "</td></tr>\n");
        }
        cli_html_put(o, "</table>\n");
        if (nce > REPORT_MAX_EDGE_ROWS)
            cli_html_putf(o, "<p class=\"small\">and %zu more links.</p>\n",
                          nce - REPORT_MAX_EDGE_ROWS);
    }
    free(mstart), free(estart), free(fill), free(mem), free(pos);
    free(ces), free(mkinds), free(mdeg);
    free(slot), free(count), free(cl), free(order);
    return rc;
}

static void put_header(FILE *o, const report *r, const char *generated) {
    cli_html_put(
        o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n"
           "<title>idrisk batch report</title>\n<style>\n");
    cli_html_put(o, cli_html_css);
    cli_html_put(o, "</style>\n</head>\n<body>\n<h1>idrisk batch report</h1>\n");
    cli_html_put(o,
                 "<p class=\"note\">This report is triage for human review: it lists "
                 "contradictions and failed verifications that deserve a reviewer's "
                 "attention. It is never a hiring decision and says nothing about who a "
                 "person is. It contains candidate ids and reason texts: handle it as "
                 "confidential.</p>\n");
    cli_html_put(o, "<table class=\"meta\">\n");
    cli_html_putf(o, "<tr><td>generated</td><td>%s</td></tr>\n", generated);
    cli_html_putf(o,
                  "<tr><td>records scored</td><td id=\"records-count\">%lu</td></tr>\n",
                  r->records);
    cli_html_putf(o, "<tr><td>failed records</td><td id=\"failed-count\">%lu</td></tr>\n",
                  r->failed);
    if (r->unreadable)
        cli_html_putf(o, "<tr><td>unreadable result lines</td><td>%lu</td></tr>\n",
                      r->unreadable);
    if (r->failed_unreadable)
        cli_html_putf(o, "<tr><td>unreadable error lines</td><td>%lu</td></tr>\n",
                      r->failed_unreadable);
    cli_html_put(o, "<tr><td>rule pack</td><td>");
    if (r->pack_id) {
        cli_html_text(o, r->pack_id);
        cli_html_put(o, " ");
        cli_html_text(o, r->pack_version);
        cli_html_put(o, " <span class=\"mono\">sha256 ");
        cli_html_text(o, r->pack_sha);
        cli_html_put(o, "</span>");
    } else {
        cli_html_put(o, "&ndash;");
    }
    cli_html_put(o, "</td></tr>\n<tr><td>engine version</td><td>");
    if (r->engine_version)
        cli_html_text(o, r->engine_version);
    else
        cli_html_put(o, "&ndash;");
    cli_html_put(o, "</td></tr>\n</table>\n");
    if (r->other_pack)
        cli_html_putf(
            o,
            "<p class=\"note\">%lu results were scored with a different rule pack than "
            "the first one; their scores are not comparable with the others.</p>\n",
            r->other_pack);
    if (r->other_engine)
        cli_html_putf(
            o,
            "<p class=\"note\">%lu results were scored by a different engine version "
            "than the first one.</p>\n",
            r->other_engine);
    if (r->unreadable)
        cli_html_putf(
            o,
            "<p class=\"note\">%lu line%s of the results file %s not results "
            "(not JSON, or without candidate_id and score) and %s not counted.</p>\n",
            r->unreadable, r->unreadable == 1 ? "" : "s",
            r->unreadable == 1 ? "was" : "were", r->unreadable == 1 ? "is" : "are");
}

static void put_counts(FILE *o, const report *r) {
    cli_html_put(o, "<h2 id=\"bands\">Bands and actions</h2>\n");
    cli_html_put(
        o, "<table class=\"t\"><tr><th>band</th><th>records</th><th>share</th></tr>\n");
    for (int b = 0; b < BAND_N; b++) {
        cli_html_put(o, "<tr><td>");
        cli_html_band_chip(o, b);
        cli_html_putf(o, "</td><td class=\"n\" id=\"band-%s\">%lu</td><td class=\"n\">",
                      cli_html_band_names[b], r->bands[b]);
        put_share(o, r->bands[b], r->records);
        cli_html_put(o, "</td></tr>\n");
    }
    if (r->no_band)
        cli_html_putf(
            o, "<tr><td>(none or unknown)</td><td class=\"n\">%lu</td><td></td></tr>\n",
            r->no_band);
    cli_html_put(o, "</table>\n");
    put_hbars(o, "Records per band", cli_html_band_names, cli_html_band_colours, r->bands,
              BAND_N);
    cli_html_put(
        o, "<table class=\"t\"><tr><th>action</th><th>records</th><th>share</th></tr>\n");
    for (int a = 0; a < ACT_N; a++) {
        cli_html_putf(o,
                      "<tr><td>%s</td><td class=\"n\" id=\"action-%s\">%lu</td>"
                      "<td class=\"n\">",
                      cli_html_action_names[a], cli_html_action_names[a], r->actions[a]);
        put_share(o, r->actions[a], r->records);
        cli_html_put(o, "</td></tr>\n");
    }
    if (r->no_action)
        cli_html_putf(
            o, "<tr><td>(none or unknown)</td><td class=\"n\">%lu</td><td></td></tr>\n",
            r->no_action);
    cli_html_put(o, "</table>\n");
    cli_html_put(
        o, "<p class=\"small\">none: no follow-up suggested; verify: ask for the listed "
           "verification steps; escalate: security or legal review.</p>\n");
    if (r->low_coverage) {
        /* Said beside the actions: these verifies are missing data, not risk signs. */
        cli_html_putf(
            o,
            "<p><strong>Low coverage:</strong> <span id=\"low-coverage\">%lu</span> "
            "result%s (",
            r->low_coverage, r->low_coverage == 1 ? "" : "s");
        put_share(o, r->low_coverage, r->records);
        cli_html_put(
            o, ") could not be checked enough for &#8220;nothing found&#8221; to mean "
               "anything (no key family evaluated, or a database missing); their action "
               "is at least verify with the reason cov_insufficient_data, which is not a "
               "risk sign.</p>\n");
    }
    put_hbars(o, "Records per action", cli_html_action_names, cli_html_action_colours,
              r->actions, ACT_N);

    cli_html_put(o, "<h2 id=\"scores\">Scores</h2>\n");
    cli_html_put(
        o,
        "<p>Records per score bucket (0&#8211;100, higher means more to check).</p>\n");
    put_histogram(o, r);
}

static int put_reasons(FILE *o, const report *r) {
    size_t n = r->reason_ids.n;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_r = r;
    qsort(idx, n, sizeof *idx, cmp_reason);
    cli_html_put(o, "<h2 id=\"reasons\">Most frequent reasons</h2>\n");
    cli_html_putf(
        o,
        "<p>%zu distinct indicator%s fired%s. Records: how many results list the "
        "indicator; share: of the records scored.</p>\n",
        n, n == 1 ? "" : "s",
        n > REPORT_TOP_REASONS ? "; the 25 most frequent are shown" : "");
    cli_html_put(o,
                 "<table class=\"t\"><tr><th>indicator</th><th>title</th><th>records</th>"
                 "<th>share</th></tr>\n");
    for (size_t i = 0; i < n && i < REPORT_TOP_REASONS; i++) {
        const counted *c = &r->reasons[idx[i]];
        cli_html_put(o, "<tr><td class=\"mono\">");
        cli_html_text(o, r->reason_ids.keys[idx[i]]);
        cli_html_put(o, "</td><td>");
        cli_html_text(o, c->title);
        cli_html_putf(o, "</td><td class=\"n\">%lu</td><td class=\"n\">", c->count);
        put_share(o, c->count, r->records);
        cli_html_put(o, "</td></tr>\n");
    }
    cli_html_put(o, "</table>\n");
    if (r->reasons_dropped)
        cli_html_putf(
            o,
            "<p class=\"small\">%lu reasons with ids beyond the first %d distinct "
            "ones were not counted.</p>\n",
            r->reasons_dropped, REPORT_MAX_KEYS);
    free(idx);
    return 0;
}

static int put_errors(FILE *o, const report *r, bool have_errors) {
    if (!have_errors)
        return 0;
    cli_html_put(o, "<h2 id=\"failed\">Failed records</h2>\n");
    if (!r->failed) {
        cli_html_put(o, "<p>No record failed.</p>\n");
        return 0;
    }
    size_t n = r->error_keys.n;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return -1;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_r = r;
    qsort(idx, n, sizeof *idx, cmp_error);
    cli_html_putf(
        o,
        "<p>%lu records could not be scored; the errors file names each one. Most "
        "frequent causes:</p>\n",
        r->failed);
    cli_html_put(
        o, "<table class=\"t\"><tr><th>code</th><th>field</th><th>records</th></tr>\n");
    for (size_t i = 0; i < n && i < REPORT_TOP_ERRORS; i++) {
        const char *key = r->error_keys.keys[idx[i]];
        const char *sep = strchr(key, '\x1f');
        char code[256];
        size_t cl = sep ? (size_t)(sep - key) : strlen(key);
        if (cl >= sizeof code)
            cl = sizeof code - 1;
        memcpy(code, key, cl);
        code[cl] = '\0';
        cli_html_put(o, "<tr><td class=\"mono\">");
        cli_html_text(o, code);
        cli_html_put(o, "</td><td class=\"mono\">");
        cli_html_text(o, sep ? sep + 1 : "");
        cli_html_putf(o, "</td><td class=\"n\">%lu</td></tr>\n", r->error_counts[idx[i]]);
    }
    cli_html_put(o, "</table>\n");
    free(idx);
    return 0;
}

static void put_reason_titles(FILE *o, const escalation *e, size_t max) {
    for (size_t i = 0; i < e->nreasons && i < max; i++) {
        if (i)
            cli_html_put(o, "<br>");
        cli_html_text(o, e->reasons[i].title ? e->reasons[i].title : e->reasons[i].id);
        cli_html_put(o, " (");
        put_num(o, e->reasons[i].points);
        cli_html_put(o, ")");
    }
    if (e->nreasons > max)
        cli_html_putf(o, "<br><span class=\"small\">and %zu more</span>",
                      e->nreasons - max);
}

/* How many escalations before i have the same candidate_id (0 for the first). */
static int dup_rank(const report *r, size_t i) {
    int d = 0;
    for (size_t j = 0; j < i; j++)
        if (strcmp(r->esc[j].candidate_id, r->esc[i].candidate_id) == 0)
            d++;
    return d;
}

static void put_escalations(FILE *o, report *r) {
    if (r->nesc)
        qsort(r->esc, r->nesc, sizeof *r->esc, cmp_esc);
    cli_html_put(o, "<h2 id=\"escalations\">Escalations</h2>\n");
    cli_html_putf(o, "<p>%lu record%s marked for escalation (security or legal review).",
                  r->esc_total, r->esc_total == 1 ? " was" : "s were");
    if (r->esc_total > r->nesc)
        cli_html_putf(
            o,
            " The %zu with the highest scores are shown (earlier lines first among "
            "equal scores); %lu are not.",
            r->nesc, r->esc_total - r->nesc);
    cli_html_put(o, "</p>\n");
    if (!r->nesc)
        return;
    int *dups = malloc(r->nesc * sizeof *dups);
    for (size_t i = 0; i < r->nesc; i++)
        if (dups)
            dups[i] = dup_rank(r, i);
    cli_html_put(o, "<table class=\"t\"><tr><th>candidate</th><th>score</th><th>band</th>"
                    "<th>top reasons (points)</th></tr>\n");
    for (size_t i = 0; i < r->nesc; i++) {
        const escalation *e = &r->esc[i];
        cli_html_put(o, "<tr><td class=\"mono\"><a href=\"#");
        put_anchor(o, e->candidate_id, dups ? dups[i] : 0);
        cli_html_put(o, "\">");
        cli_html_text(o, e->candidate_id);
        cli_html_putf(o, "</a></td><td class=\"n\">%d</td><td>", e->score);
        cli_html_band_chip(o, e->band);
        cli_html_put(o, "</td><td>");
        put_reason_titles(o, e, 3);
        cli_html_put(o, "</td></tr>\n");
    }
    cli_html_put(o, "</table>\n");
    for (size_t i = 0; i < r->nesc; i++) {
        const escalation *e = &r->esc[i];
        cli_html_put(o, "<section class=\"cand\" id=\"");
        put_anchor(o, e->candidate_id, dups ? dups[i] : 0);
        cli_html_put(o, "\">\n<h3>");
        cli_html_text(o, e->candidate_id);
        cli_html_putf(o, " &#8212; score %d ", e->score);
        cli_html_band_chip(o, e->band);
        cli_html_putf(o, "</h3>\n<p class=\"small\">result line %lu; %zu reason%s</p>\n",
                      e->line, e->nreasons, e->nreasons == 1 ? "" : "s");
        for (size_t k = 0; k < e->nreasons; k++) {
            const esc_reason *x = &e->reasons[k];
            cli_html_put(o, "<div class=\"reason\"><p><b>");
            cli_html_text(o, x->title ? x->title : x->id);
            cli_html_put(o, "</b> &#183; ");
            put_num(o, x->points);
            cli_html_put(o, " points");
            if (x->severity) {
                cli_html_put(o, " &#183; ");
                cli_html_text(o, x->severity);
            }
            cli_html_put(o, " &#183; <span class=\"mono\">");
            cli_html_text(o, x->id);
            cli_html_put(o, "</span></p>\n");
            if (x->detail) {
                cli_html_put(o, "<p>");
                cli_html_text(o, x->detail);
                cli_html_put(o, "</p>\n");
            }
            if (x->verify) {
                cli_html_put(o, "<p><i>Verify:</i> ");
                cli_html_text(o, x->verify);
                cli_html_put(o, "</p>\n");
            }
            if (x->nbenign) {
                cli_html_put(o, "<p><i>Benign explanations:</i></p><ul>\n");
                for (size_t b = 0; b < x->nbenign; b++) {
                    cli_html_put(o, "<li>");
                    cli_html_text(o, x->benign[b]);
                    cli_html_put(o, "</li>\n");
                }
                cli_html_put(o, "</ul>\n");
            }
            cli_html_put(o, "</div>\n");
        }
        cli_html_put(
            o, "<p class=\"small\"><a href=\"#escalations\">back to the table</a></p>\n"
               "</section>\n");
    }
    free(dups);
}

/* The generated time: SOURCE_DATE_EPOCH when set (reproducible builds' convention),
 * else now; always UTC. */
static void generated_time(char *out, size_t n) {
    time_t t = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (!errno && !*end && v >= 0)
            t = (time_t)v;
    }
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, n, "unknown");
}

static int write_page(FILE *o, report *r, bool have_errors) {
    char when[64];
    generated_time(when, sizeof when);
    put_header(o, r, when);
    cli_html_put(
        o, "<p class=\"small\">Sections: <a href=\"#bands\">bands and actions</a> "
           "&#183; <a href=\"#scores\">scores</a> &#183; <a href=\"#reasons\">reasons</a>"
           " &#183; <a href=\"#clusters\">linkage clusters</a> &#183; "
           "<a href=\"#escalations\">escalations</a></p>\n");
    put_counts(o, r);
    if (put_reasons(o, r) || put_errors(o, r, have_errors) || put_clusters(o, r))
        return -1;
    put_escalations(o, r);
    cli_html_put(
        o, "<p class=\"small\">Written by idrisk. Scores come from the rule pack named "
           "above; docs/report.md explains each section.</p>\n</body>\n</html>\n");
    return 0;
}

typedef struct {
    report *r;
    bool have_errors;
} page_ctx;

static int page_fn(FILE *o, const void *ctx) {
    const page_ctx *pc = ctx;
    return write_page(o, pc->r, pc->have_errors);
}

int idr_cli_report_write(const char *results_path,
                         const char *errors_path,
                         const char *html_path) {
    if (!results_path || !html_path) {
        fprintf(stderr, "idrisk: report: no results file or no output path given\n");
        return -1;
    }
    report r;
    memset(&r, 0, sizeof r);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t seed = mix64((uint64_t)(uintptr_t)&r ^ (uint64_t)ts.tv_nsec ^
                          ((uint64_t)ts.tv_sec << 20) ^ ((uint64_t)getpid() << 40));
    r.reason_ids.seed = seed;
    r.error_keys.seed = mix64(seed + 1);
    r.node_ids.seed = mix64(seed + 2);
    r.kind_names.seed = mix64(seed + 3);
    /* calloc'd pages stay untouched until a slot is written. */
    r.recall = calloc((size_t)1 << REPORT_RECALL_BITS, sizeof *r.recall);
    if (!r.recall) {
        fprintf(stderr, "idrisk: report: out of memory\n");
        return -1;
    }
    FILE *in = fopen(results_path, "r");
    if (!in) {
        fprintf(stderr, "idrisk: report: cannot open results %s: %s\n", results_path,
                strerror(errno));
        report_free(&r);
        return -1;
    }
    int rc = read_jsonl(in, &r, fold_result, &r.unreadable);
    int saved = errno;
    fclose(in);
    if (rc) {
        fprintf(stderr, "idrisk: report: reading %s: %s\n", results_path,
                rc == -2 ? "out of memory" : strerror(saved));
        report_free(&r);
        return -1;
    }
    if (errors_path) {
        FILE *ef = fopen(errors_path, "r");
        if (!ef) {
            fprintf(stderr, "idrisk: report: cannot open errors %s: %s\n", errors_path,
                    strerror(errno));
            report_free(&r);
            return -1;
        }
        rc = read_jsonl(ef, &r, fold_error, &r.failed_unreadable);
        saved = errno;
        fclose(ef);
        /* A line of the errors file that is not JSON is still a failed record. */
        r.failed += r.failed_unreadable;
        if (rc) {
            fprintf(stderr, "idrisk: report: reading %s: %s\n", errors_path,
                    rc == -2 ? "out of memory" : strerror(saved));
            report_free(&r);
            return -1;
        }
    }

    page_ctx pc = {&r, errors_path != NULL};
    int at_temp = 0;
    rc = cli_html_write_file(html_path, page_fn, &pc, &at_temp);
    if (rc) {
        fprintf(stderr, "idrisk: report: cannot write %s%s: %s\n", html_path,
                at_temp ? ".tmp" : "", rc == -2 ? "out of memory" : strerror(errno));
    }
    report_free(&r);
    return rc ? -1 : 0;
}
