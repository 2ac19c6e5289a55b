/* SPDX-License-Identifier: Apache-2.0 */
/*
 * audit.c - `idrisk audit`: per-group rates and impact ratios of a batch's results
 * (docs/audit.md).
 *
 *   idrisk audit --results RESULTS.jsonl --groups GROUPS.csv [--min-n N] [--json]
 *
 * The group labels live only in GROUPS.csv (a header row naming the columns
 * `candidate_id` and `group`, any order, other columns ignored), never in a candidate
 * record or a result: the engine cannot see them, and the audit only joins the two
 * files on candidate_id.
 *
 * The favourable outcome is action "none" (passed without a further step). Per group:
 * n, the shares sent to verify and to escalate, the share flagged (either), and for
 * two outcomes - flagged (verify or escalate) and escalated - the selection rate (the
 * share NOT so flagged), the impact ratio (selection rate over the highest selection
 * rate among the groups in the comparison: the four-fifths rule reads < 0.8 as
 * adverse impact; NYC Local Law 144's bias-audit layout) and the adverse-rate ratio
 * (the group's flag rate over the lowest one, which small rates make more telling).
 * A group with fewer than --min-n results (default 10) or under 2% of the matched
 * results is listed but left out of the comparison (LL144 allows leaving out
 * categories under 2%). Results without a group and group rows without a result are
 * counted and reported.
 *
 * Errors name FILE:LINE; a malformed file is bad input (exit 2), an unreadable one
 * exit 1.
 */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_DEFAULT_MIN_N 10
#define AUDIT_MIN_SHARE     0.02
#define FOUR_FIFTHS         0.8

/* ---- a string -> index map (open addressing, FNV-1a) ---------------------------- */
typedef struct strmap {
    char **keys;
    size_t *vals;
    size_t cap, n;
} strmap;

static uint64_t fnv(const char *s) {
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

/* The slot of `key`: its own, or the empty one where it would go. */
static size_t map_slot(const strmap *m, const char *key) {
    size_t i = (size_t)fnv(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) {
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

static bool map_grow(strmap *m) {
    size_t cap = m->cap ? m->cap * 2 : 1024;
    strmap g = {calloc(cap, sizeof *g.keys), calloc(cap, sizeof *g.vals), cap, m->n};
    if (!g.keys || !g.vals) {
        free(g.keys);
        free(g.vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (m->keys[i]) {
            size_t j = map_slot(&g, m->keys[i]);
            g.keys[j] = m->keys[i];
            g.vals[j] = m->vals[i];
        }
    }
    free(m->keys);
    free(m->vals);
    *m = g;
    return true;
}

/* The value of `key`, or NULL. */
static size_t *map_get(const strmap *m, const char *key) {
    if (!m->cap) {
        return NULL;
    }
    size_t i = map_slot(m, key);
    return m->keys[i] ? &m->vals[i] : NULL;
}

/* Insert `key` (copied) with `val`; -1 on ENOMEM. The key must be absent. */
static int map_put(strmap *m, const char *key, size_t val) {
    if ((m->n + 1) * 2 > m->cap && !map_grow(m)) {
        return -1;
    }
    size_t i = map_slot(m, key);
    m->keys[i] = strdup(key);
    if (!m->keys[i]) {
        return -1;
    }
    m->vals[i] = val;
    m->n++;
    return 0;
}

static void map_free(strmap *m) {
    for (size_t i = 0; i < m->cap; i++) {
        free(m->keys[i]);
    }
    free(m->keys);
    free(m->vals);
}

/* ---- the audit -------------------------------------------------------------------- */
typedef struct group {
    char *name;
    uint64_t n, verify, escalate, none;
    uint64_t rows;        /* rows of the groups file with this label */
    const char *excluded; /* why left out of the comparison, or NULL */
} group;

typedef struct audit {
    strmap ids;    /* candidate_id -> group index (groups file) */
    strmap gnames; /* group label -> group index */
    group *g;
    size_t n_g, cap_g;
    unsigned char *seen; /* per groups-file row: a result matched it */
    size_t n_rows;
    uint64_t results, matched, without_group;
    strmap result_ids; /* candidate_ids seen in the results (duplicates are errors) */
} audit;

static void audit_free(audit *a) {
    map_free(&a->ids);
    map_free(&a->gnames);
    map_free(&a->result_ids);
    for (size_t i = 0; i < a->n_g; i++) {
        free(a->g[i].name);
    }
    free(a->g);
    free(a->seen);
}

static int oom(void) {
    fprintf(stderr, "idrisk: audit: out of memory\n");
    return EXIT_FAIL;
}

/* Split one CSV line (RFC 4180: quoted fields, "" inside quotes) in place into at
 * most `max` fields. Returns the field count, or -1 for an unterminated quote. */
static int csv_split(char *line, char **f, int max) {
    int n = 0;
    char *p = line;
    for (;;) {
        char *out = p, *start = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (*p == '\0') {
                    return -1;
                }
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            if (*p != ',' && *p != '\0') {
                return -1;
            }
        } else {
            while (*p && *p != ',') {
                out++;
                p++;
            }
        }
        char end = *p;
        *out = '\0';
        if (n < max) {
            f[n] = start;
        }
        n++;
        if (end == '\0') {
            return n;
        }
        p++;
    }
}

static void chomp(char *s, ssize_t *len) {
    while (*len > 0 && (s[*len - 1] == '\n' || s[*len - 1] == '\r')) {
        s[--*len] = '\0';
    }
}

static int read_groups(audit *a, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "idrisk: audit: cannot open %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long ln = 0;
    int col_id = -1, col_group = -1, ncols = 0, ex = EXIT_SCORED;
    char *fld[64];
    while (ex == EXIT_SCORED && (len = getline(&line, &cap, f)) >= 0) {
        ln++;
        chomp(line, &len);
        if (ln == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
            memmove(line, line + 3, (size_t)len - 2); /* a UTF-8 byte order mark */
            len -= 3;
        }
        if (len == 0) {
            continue;
        }
        int n = csv_split(line, fld, 64);
        if (n < 0) {
            fprintf(stderr, "idrisk: audit: %s:%lu: unterminated quoted field\n", path,
                    ln);
            ex = EXIT_BADINPUT;
            break;
        }
        if (col_id < 0) { /* the header row */
            for (int i = 0; i < n && i < 64; i++) {
                if (strcmp(fld[i], "candidate_id") == 0) {
                    col_id = i;
                } else if (strcmp(fld[i], "group") == 0) {
                    col_group = i;
                }
            }
            if (col_id < 0 || col_group < 0) {
                fprintf(stderr,
                        "idrisk: audit: %s:%lu: the header row must name the columns "
                        "candidate_id and group\n",
                        path, ln);
                ex = EXIT_BADINPUT;
            }
            ncols = n;
            continue;
        }
        if (n != ncols) {
            fprintf(stderr, "idrisk: audit: %s:%lu: %d fields, the header has %d\n", path,
                    ln, n, ncols);
            ex = EXIT_BADINPUT;
            break;
        }
        const char *id = fld[col_id], *label = fld[col_group];
        if (!*id || !*label) {
            fprintf(stderr, "idrisk: audit: %s:%lu: empty %s\n", path, ln,
                    *id ? "group" : "candidate_id");
            ex = EXIT_BADINPUT;
            break;
        }
        if (map_get(&a->ids, id)) {
            fprintf(stderr, "idrisk: audit: %s:%lu: candidate_id %s is listed twice\n",
                    path, ln, id);
            ex = EXIT_BADINPUT;
            break;
        }
        size_t *gi = map_get(&a->gnames, label);
        if (!gi) {
            if (a->n_g == a->cap_g) {
                size_t nc = a->cap_g ? a->cap_g * 2 : 16;
                group *ng = realloc(a->g, nc * sizeof *ng);
                if (!ng) {
                    ex = oom();
                    break;
                }
                a->g = ng;
                a->cap_g = nc;
            }
            memset(&a->g[a->n_g], 0, sizeof *a->g);
            a->g[a->n_g].name = strdup(label);
            if (!a->g[a->n_g].name || map_put(&a->gnames, label, a->n_g) != 0) {
                free(a->g[a->n_g].name);
                ex = oom();
                break;
            }
            gi = map_get(&a->gnames, label);
            a->n_g++;
        }
        a->g[*gi].rows++;
        if (map_put(&a->ids, id, *gi) != 0) {
            ex = oom();
            break;
        }
        a->n_rows++;
    }
    if (ex == EXIT_SCORED && ferror(f)) {
        fprintf(stderr, "idrisk: audit: cannot read %s\n", path);
        ex = EXIT_FAIL;
    }
    if (ex == EXIT_SCORED && col_id < 0) {
        fprintf(stderr,
                "idrisk: audit: %s: empty (needs a header row candidate_id,group)\n",
                path);
        ex = EXIT_BADINPUT;
    }
    free(line);
    fclose(f);
    return ex;
}

static int read_results(audit *a, const char *path) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    if (!f) {
        fprintf(stderr, "idrisk: audit: cannot open %s: %s\n", path, strerror(errno));
        return EXIT_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long ln = 0;
    int ex = EXIT_SCORED;
    while (ex == EXIT_SCORED && (len = getline(&line, &cap, f)) >= 0) {
        ln++;
        chomp(line, &len);
        if (len == 0) {
            continue;
        }
        cJSON *r = cJSON_ParseWithLength(line, (size_t)len);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "candidate_id");
        const cJSON *act = cJSON_GetObjectItemCaseSensitive(r, "action");
        const char *bad = !r                     ? "not JSON"
                          : !cJSON_IsObject(r)   ? "not a JSON object"
                          : !cJSON_IsString(id)  ? "no candidate_id (a string)"
                          : !id->valuestring[0]  ? "empty candidate_id"
                          : !cJSON_IsString(act) ? "no action (a string)"
                                                 : NULL;
        int kind = -1;
        if (!bad) {
            const char *s = act->valuestring;
            kind = strcmp(s, "none") == 0       ? 0
                   : strcmp(s, "verify") == 0   ? 1
                   : strcmp(s, "escalate") == 0 ? 2
                                                : -1;
            bad = kind < 0 ? "action is not none, verify or escalate" : NULL;
        }
        if (bad) {
            fprintf(stderr, "idrisk: audit: %s:%lu: %s (an idrisk.result/1 line)\n", path,
                    ln, bad);
            cJSON_Delete(r);
            ex = EXIT_BADINPUT;
            break;
        }
        if (map_get(&a->result_ids, id->valuestring)) {
            fprintf(stderr, "idrisk: audit: %s:%lu: candidate_id %s has a result twice\n",
                    path, ln, id->valuestring);
            cJSON_Delete(r);
            ex = EXIT_BADINPUT;
            break;
        }
        if (map_put(&a->result_ids, id->valuestring, 0) != 0) {
            cJSON_Delete(r);
            ex = oom();
            break;
        }
        a->results++;
        size_t *gi = map_get(&a->ids, id->valuestring);
        if (!gi) {
            a->without_group++;
        } else {
            group *g = &a->g[*gi];
            a->matched++;
            g->n++;
            g->none += kind == 0;
            g->verify += kind == 1;
            g->escalate += kind == 2;
        }
        cJSON_Delete(r);
    }
    if (ex == EXIT_SCORED && ferror(f)) {
        fprintf(stderr, "idrisk: audit: cannot read %s\n", path);
        ex = EXIT_FAIL;
    }
    free(line);
    if (f != stdin) {
        fclose(f);
    }
    return ex;
}

static int cmp_group(const void *pa, const void *pb) {
    return strcmp(((const group *)pa)->name, ((const group *)pb)->name);
}

static double rate(uint64_t k, uint64_t n) {
    return n ? (double)k / (double)n : NAN;
}

/* One outcome's comparison: the reference (highest selection rate = lowest adverse
 * rate) among the groups not excluded. */
typedef struct outcome {
    const char *name;        /* "flagged" or "escalated" */
    const char *what;        /* for the text */
    const group *ref;        /* NULL when no group is in the comparison */
    double ref_sel, min_adv; /* the reference's selection rate, the lowest adverse */
} outcome;

static uint64_t adverse_count(const group *g, int which) {
    return which == 0 ? g->verify + g->escalate : g->escalate;
}

static outcome compare(const audit *a, int which) {
    outcome o = {which == 0 ? "flagged" : "escalated",
                 which == 0 ? "verify or escalate" : "escalate", NULL, NAN, NAN};
    for (size_t i = 0; i < a->n_g; i++) {
        const group *g = &a->g[i];
        if (g->excluded) {
            continue;
        }
        double adv = rate(adverse_count(g, which), g->n);
        if (!o.ref || adv < o.min_adv) { /* ties: the first by name */
            o.ref = g;
            o.min_adv = adv;
            o.ref_sel = 1.0 - adv;
        }
    }
    return o;
}

/* Impact ratio and adverse-rate ratio of `g`; NAN when undefined (the group is
 * excluded, or the reference selects nobody), an adverse ratio INFINITY when the
 * group is flagged and the reference never is. */
static void
ratios(const outcome *o, const group *g, int which, double *impact, double *adverse) {
    *impact = *adverse = NAN;
    if (g->excluded || !o->ref) {
        return;
    }
    double adv = rate(adverse_count(g, which), g->n);
    if (o->ref_sel > 0) {
        *impact = (1.0 - adv) / o->ref_sel;
    }
    if (o->min_adv > 0) {
        *adverse = adv / o->min_adv;
    } else if (adv == 0) {
        *adverse = 1.0; /* nobody flagged here either: the same as the reference */
    } else {
        *adverse = INFINITY; /* flagged here, nobody in the reference: JSON null */
    }
}

static void add_num_or_null(cJSON *o, const char *k, double v) {
    if (isnan(v) || isinf(v)) {
        cJSON_AddNullToObject(o, k);
    } else {
        /* six decimals (v >= 0): no libm for round() in the CLI */
        cJSON_AddNumberToObject(o, k, (double)(long long)(v * 1e6 + 0.5) / 1e6);
    }
}

static int print_json(const audit *a, const outcome *oc, long min_n) {
    cJSON *j = cJSON_CreateObject();
    if (!j) {
        return oom();
    }
    cJSON_AddStringToObject(j, "schema", "idrisk.audit/1");
    cJSON_AddNumberToObject(j, "results", (double)a->results);
    cJSON_AddNumberToObject(j, "matched", (double)a->matched);
    cJSON_AddNumberToObject(j, "results_without_group", (double)a->without_group);
    cJSON_AddNumberToObject(j, "group_rows", (double)a->n_rows);
    cJSON_AddNumberToObject(j, "group_rows_without_result",
                            (double)(a->n_rows - a->matched));
    cJSON_AddNumberToObject(j, "min_n", (double)min_n);
    cJSON_AddNumberToObject(j, "min_share", AUDIT_MIN_SHARE);
    cJSON_AddStringToObject(j, "favourable_outcome", "none");
    cJSON_AddNumberToObject(j, "four_fifths_threshold", FOUR_FIFTHS);
    cJSON *ref = cJSON_AddObjectToObject(j, "reference");
    for (int w = 0; w < 2; w++) {
        if (oc[w].ref) {
            cJSON_AddStringToObject(ref, oc[w].name, oc[w].ref->name);
        } else {
            cJSON_AddNullToObject(ref, oc[w].name);
        }
    }
    cJSON *arr = cJSON_AddArrayToObject(j, "groups");
    for (size_t i = 0; i < a->n_g; i++) {
        const group *g = &a->g[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, o);
        cJSON_AddStringToObject(o, "group", g->name);
        cJSON_AddNumberToObject(o, "n", (double)g->n);
        add_num_or_null(o, "share", rate(g->n, a->matched));
        cJSON_AddNumberToObject(o, "none", (double)g->none);
        cJSON_AddNumberToObject(o, "verify", (double)g->verify);
        cJSON_AddNumberToObject(o, "escalate", (double)g->escalate);
        add_num_or_null(o, "verify_rate", rate(g->verify, g->n));
        add_num_or_null(o, "escalate_rate", rate(g->escalate, g->n));
        add_num_or_null(o, "flag_rate", rate(g->verify + g->escalate, g->n));
        if (g->excluded) {
            cJSON_AddStringToObject(o, "excluded", g->excluded);
        } else {
            cJSON_AddNullToObject(o, "excluded");
        }
        for (int w = 0; w < 2; w++) {
            double imp, adv;
            ratios(&oc[w], g, w, &imp, &adv);
            cJSON *x = cJSON_AddObjectToObject(o, oc[w].name);
            add_num_or_null(x, "selection_rate",
                            g->n ? 1.0 - rate(adverse_count(g, w), g->n) : NAN);
            add_num_or_null(x, "impact_ratio", imp);
            add_num_or_null(x, "adverse_ratio", adv);
            if (isnan(imp)) {
                cJSON_AddNullToObject(x, "below_four_fifths");
            } else {
                cJSON_AddBoolToObject(x, "below_four_fifths", imp < FOUR_FIFTHS);
            }
        }
    }
    char *s = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    if (!s) {
        return oom();
    }
    puts(s);
    cJSON_free(s);
    return EXIT_SCORED;
}

static void fmt_ratio(char *buf, size_t cap, double v, const char *mark) {
    if (isnan(v)) {
        snprintf(buf, cap, "-");
    } else if (isinf(v)) {
        snprintf(buf, cap, "inf");
    } else {
        snprintf(buf, cap, "%.3f%s", v, mark);
    }
}

static void print_text(const audit *a, const outcome *oc, long min_n) {
    printf("Fairness audit (docs/audit.md): %llu results, %llu matched to a group, "
           "%zu groups\n",
           (unsigned long long)a->results, (unsigned long long)a->matched, a->n_g);
    printf("Unmatched: %llu results without a group, %llu group rows without a "
           "result\n",
           (unsigned long long)a->without_group,
           (unsigned long long)(a->n_rows - a->matched));
    printf("Favourable outcome: action none. Selection rate = share not flagged; impact "
           "ratio = selection rate / the reference group's (four-fifths rule: < %.2f "
           "is marked *).\n",
           FOUR_FIFTHS);
    printf("Groups with n < %ld or under %.0f%% of the matched results are listed but "
           "not compared.\n",
           min_n, AUDIT_MIN_SHARE * 100);
    printf("\n%-20s %7s %8s %9s %8s\n", "category", "n", "verify", "escalate", "flagged");
    for (size_t i = 0; i < a->n_g; i++) {
        const group *g = &a->g[i];
        printf("%-20s %7llu %7.1f%% %8.1f%% %7.1f%%%s%s\n", g->name,
               (unsigned long long)g->n, 100 * rate(g->verify, g->n),
               100 * rate(g->escalate, g->n), 100 * rate(g->verify + g->escalate, g->n),
               g->excluded ? "   not compared: " : "", g->excluded ? g->excluded : "");
    }
    for (int w = 0; w < 2; w++) {
        printf("\nOutcome: %s (%s). Reference (lowest %s rate): %s\n", oc[w].name,
               oc[w].what, oc[w].name, oc[w].ref ? oc[w].ref->name : "none");
        printf("%-20s %7s %15s %13s %14s\n", "category", "n", "selection rate",
               "impact ratio", "adverse ratio");
        for (size_t i = 0; i < a->n_g; i++) {
            const group *g = &a->g[i];
            double imp, adv;
            ratios(&oc[w], g, w, &imp, &adv);
            char ib[32], ab[32];
            fmt_ratio(ib, sizeof ib, imp, !isnan(imp) && imp < FOUR_FIFTHS ? "*" : "");
            fmt_ratio(ab, sizeof ab, adv, "");
            printf("%-20s %7llu %14.1f%% %13s %14s\n", g->name, (unsigned long long)g->n,
                   g->n ? 100 * (1.0 - rate(adverse_count(g, w), g->n)) : NAN, ib, ab);
        }
    }
}

int cli_cmd_audit(const cli_opts *o) {
    if (o->n_args != 1 || !o->results || !o->groups) {
        fprintf(stderr, "idrisk: audit needs --results RESULTS.jsonl and --groups "
                        "GROUPS.csv (and no other argument)\n");
        return EXIT_BADINPUT;
    }
    long min_n = o->min_n ? o->min_n : AUDIT_DEFAULT_MIN_N;
    audit a;
    memset(&a, 0, sizeof a);
    int ex = read_groups(&a, o->groups);
    if (ex == EXIT_SCORED) {
        ex = read_results(&a, o->results);
    }
    if (ex == EXIT_SCORED && a.matched == 0) {
        fprintf(stderr,
                "idrisk: audit: no result's candidate_id is in %s (%llu results, %zu "
                "group rows)\n",
                o->groups, (unsigned long long)a.results, a.n_rows);
        ex = EXIT_BADINPUT;
    }
    if (ex != EXIT_SCORED) {
        audit_free(&a);
        return ex;
    }
    /* Sorted by label; the maps are not used past this point. */
    qsort(a.g, a.n_g, sizeof *a.g, cmp_group);
    for (size_t i = 0; i < a.n_g; i++) {
        group *g = &a.g[i];
        if (g->n < (uint64_t)min_n) {
            g->excluded = "n below --min-n";
        } else if ((double)g->n < AUDIT_MIN_SHARE * (double)a.matched) {
            g->excluded = "under 2% of the matched results";
        }
    }
    outcome oc[2] = {compare(&a, 0), compare(&a, 1)};
    if (o->json) {
        ex = print_json(&a, oc, min_n);
    } else {
        print_text(&a, oc, min_n);
    }
    audit_free(&a);
    if (ex == EXIT_SCORED && fflush(stdout) != 0) {
        ex = EXIT_FAIL;
    }
    return ex;
}
