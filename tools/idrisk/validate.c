/* SPDX-License-Identifier: Apache-2.0 */
/*
 * validate.c - `idrisk validate [--lenient [--fix-out FILE]] FILE|-`: every problem of
 * one candidate record, "PATH: message" a line, then their count.
 *
 * The library's parser stops at its first error, and it is the judge of the contract:
 * so this asks it again and again. After each error at PATH the offending value is
 * removed from a cJSON copy of the record (an object member deleted, an array element
 * deleted, with the later elements' original indices kept for the report), the copy
 * is written out and parsed again, until the parser accepts it, 100 problems are
 * listed, or nothing more can be removed. A missing required value cannot be removed:
 * its parent goes instead (a session without an ip), or at the top level a stand-in
 * candidate_id is put in. Each path is reported once; what the parser says later at a
 * path already reported (the stand-in, the parent of a missing value) is a follow-up.
 * Errors without a path (malformed JSON, a record that is not an object, the size
 * limit) end the list: nothing after them can be checked.
 *
 * Members the contract's schema does not name are listed after the problems as
 * "warning: PATH: unknown field, ignored" (the library ignores them with a warning in
 * the result): no problem, but often why a value seems to be missing.
 *
 * Parsing needs no engine (the limits are the defaults, which the CLI never changes),
 * so validate reads no database and is fast.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_PROBLEMS 100
#define MAX_ROUNDS   400
#define MAX_SEGS     64

static const char stand_in_id[] = "idrisk-validate-stand-in";

/* Array elements deleted so far, per array, as original indices in ascending order:
 * the parser numbers the copy's elements, the report the record's. */
typedef struct gone {
    const cJSON *arr;
    size_t *idx;
    size_t n, cap;
} gone;

typedef struct state {
    gone *g;
    size_t n_g, cap_g;
    char **seen; /* paths reported (original indices) */
    size_t n_seen;
    int problems;
    int unknown; /* unknown members listed */
    bool nomem;
} state;

static gone *gone_of(state *s, const cJSON *arr, bool create) {
    for (size_t i = 0; i < s->n_g; i++) {
        if (s->g[i].arr == arr) {
            return &s->g[i];
        }
    }
    if (!create) {
        return NULL;
    }
    if (s->n_g == s->cap_g) {
        size_t cap = s->cap_g ? 2 * s->cap_g : 8;
        gone *g = realloc(s->g, cap * sizeof *g);
        if (!g) {
            s->nomem = true;
            return NULL;
        }
        s->g = g;
        s->cap_g = cap;
    }
    gone *g = &s->g[s->n_g++];
    memset(g, 0, sizeof *g);
    g->arr = arr;
    return g;
}

/* The record's index of the copy's element `cur` of `arr`. */
static size_t original_index(state *s, const cJSON *arr, size_t cur) {
    const gone *g = gone_of(s, arr, false);
    size_t orig = cur;
    for (size_t i = 0; g && i < g->n; i++) {
        if (g->idx[i] <= orig) {
            orig++;
        }
    }
    return orig;
}

static void delete_element(state *s, cJSON *arr, size_t cur) {
    size_t orig = original_index(s, arr, cur);
    gone *g = gone_of(s, arr, true);
    if (!g) {
        return;
    }
    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 8;
        size_t *v = realloc(g->idx, cap * sizeof *v);
        if (!v) {
            s->nomem = true;
            return;
        }
        g->idx = v;
        g->cap = cap;
    }
    size_t at = g->n;
    while (at > 0 && g->idx[at - 1] > orig) {
        g->idx[at] = g->idx[at - 1];
        at--;
    }
    g->idx[at] = orig;
    g->n++;
    cJSON_DeleteItemFromArray(arr, (int)cur);
}

/* A parser path resolved in the copy: nodes[0] is the root, nodes[i + 1] the value
 * segment i names (NULL for a member that is not there, only possible last). */
typedef struct where {
    cJSON *nodes[MAX_SEGS + 1];
    const char *key[MAX_SEGS]; /* member name, or NULL for an array index */
    size_t index[MAX_SEGS];
    int n;
    char shown[512]; /* the path with the record's indices */
} where;

/*
 * Resolve "a.b[3].c" against the copy. Member names are not escaped in the library's
 * paths and may hold '.' or '[', so each step takes the longest member name of the
 * object that the rest of the path starts with. Returns false when the path leads
 * nowhere (it was cut short at 255 bytes, or names a member inside a missing one).
 */
static bool resolve(state *s, cJSON *root, const char *path, where *w) {
    memset(w, 0, sizeof *w);
    w->nodes[0] = root;
    const char *p = path;
    size_t sl = 0;
    while (*p) {
        cJSON *cur = w->nodes[w->n];
        if (w->n == MAX_SEGS || !cur) {
            return false;
        }
        if (*p == '[') {
            char *end = NULL;
            unsigned long i = strtoul(p + 1, &end, 10);
            if (!cJSON_IsArray(cur) || !end || *end != ']' ||
                i >= (unsigned long)cJSON_GetArraySize(cur)) {
                return false;
            }
            w->key[w->n] = NULL;
            w->index[w->n] = i;
            sl += (size_t)snprintf(w->shown + sl, sizeof w->shown - sl, "[%zu]",
                                   original_index(s, cur, i));
            w->nodes[++w->n] = cJSON_GetArrayItem(cur, (int)i);
            p = end + 1;
        } else {
            if (*p == '.' && w->n > 0) {
                p++;
            }
            if (!cJSON_IsObject(cur)) {
                return false;
            }
            cJSON *best = NULL;
            size_t best_len = 0;
            cJSON *m;
            cJSON_ArrayForEach(m, cur) {
                size_t kl = m->string ? strlen(m->string) : 0;
                if (kl > best_len && strncmp(p, m->string, kl) == 0 &&
                    (p[kl] == '\0' || p[kl] == '.' || p[kl] == '[')) {
                    best = m;
                    best_len = kl;
                }
            }
            size_t kl = best ? best_len : strcspn(p, ".[");
            if (!best && p[kl] != '\0') {
                return false; /* a member inside a missing one */
            }
            w->key[w->n] = best ? best->string : p;
            sl += (size_t)snprintf(w->shown + sl, sizeof w->shown - sl, "%s%.*s",
                                   sl ? "." : "", (int)kl, p);
            w->nodes[++w->n] = best;
            p += kl;
        }
        if (sl >= sizeof w->shown) {
            return false;
        }
    }
    return w->n > 0;
}

/* Remove the value of segment `i` (0-based) of `w` from its container. */
static void remove_at(state *s, where *w, int i) {
    cJSON *parent = w->nodes[i];
    if (w->key[i]) {
        cJSON *m = w->nodes[i + 1];
        if (m) {
            cJSON_Delete(cJSON_DetachItemViaPointer(parent, m));
        }
    } else {
        delete_element(s, parent, w->index[i]);
    }
}

static bool seen(const state *s, const char *path) {
    for (size_t i = 0; i < s->n_seen; i++) {
        if (strcmp(s->seen[i], path) == 0) {
            return true;
        }
    }
    return false;
}

static void report(state *s, const char *path, const char *text) {
    char **v = realloc(s->seen, (s->n_seen + 1) * sizeof *v);
    if (v) {
        s->seen = v;
    }
    char *d = v ? strdup(path) : NULL;
    if (!d) {
        s->nomem = true;
        return;
    }
    s->seen[s->n_seen++] = d;
    printf("%s: %s\n", path[0] ? path : "(top level)", text);
    s->problems++;
}

/* One round after the parser refused the copy: report, then make the copy smaller.
 * Returns false when the list must end. */
static bool step(state *s, cJSON *doc, const idr_error *err) {
    const char *text = cli_error_text(err);
    if (!err->field[0]) {
        report(s, "", text);
        return false;
    }
    where w;
    if (!resolve(s, doc, err->field, &w)) {
        if (!seen(s, err->field)) {
            report(s, err->field, text);
        }
        return false;
    }
    if (!seen(s, w.shown)) {
        report(s, w.shown, text);
    }
    cJSON *v = w.nodes[w.n];
    if (v && !cJSON_IsNull(v)) {
        remove_at(s, &w, w.n - 1);
        return true;
    }
    /* Missing or null where a value is required. */
    if (w.n >= 2) {
        remove_at(s, &w, w.n - 2);
        return true;
    }
    cJSON *root = w.nodes[0];
    cJSON *cur = cJSON_GetObjectItemCaseSensitive(root, w.key[0]);
    if (cJSON_IsString(cur) && strcmp(cur->valuestring, stand_in_id) == 0) {
        return false; /* the stand-in itself is refused: nothing more to learn */
    }
    cJSON *ph = cJSON_CreateString(stand_in_id);
    if (!ph || (cur ? !cJSON_ReplaceItemViaPointer(root, cur, ph)
                    : !cJSON_AddItemToObject(root, w.key[0], ph))) {
        s->nomem = true;
        return false;
    }
    return true;
}

/* An unknown member that is not already a problem (a protected name is both). */
static void unknown_field(void *ctx, const char *path) {
    state *s = ctx;
    if (!seen(s, path)) {
        printf("warning: %s: unknown field, ignored\n", path);
        s->unknown++;
    }
}

static int write_fixed(const cli_opts *o, const cJSON *doc) {
    char *text = cJSON_Print(doc);
    if (!text) {
        fprintf(stderr, "idrisk: out of memory\n");
        return EXIT_FAIL;
    }
    bool to_stdout = strcmp(o->fix_out, "-") == 0;
    FILE *f = to_stdout ? stdout : fopen(o->fix_out, "w");
    int ex = EXIT_SCORED;
    if (!f || fputs(text, f) < 0 || fputc('\n', f) == EOF ||
        (!to_stdout && fclose(f) != 0)) {
        fprintf(stderr, "idrisk: cannot write %s\n", o->fix_out);
        ex = EXIT_FAIL;
    }
    free(text);
    return ex;
}

int cli_cmd_validate(const cli_opts *o) {
    if (o->n_args != 2) {
        fprintf(stderr, "idrisk: validate needs one FILE (or - for stdin)\n");
        return EXIT_BADINPUT;
    }
    if (o->fix_out && !o->lenient) {
        fprintf(stderr, "idrisk: --fix-out needs --lenient (it writes the mapped "
                        "record)\n");
        return EXIT_BADINPUT;
    }
    size_t len;
    char *json = cli_read_all(o->args[1], &len);
    if (!json) {
        return EXIT_FAIL;
    }
    const char *name = cli_input_name(o->args[1]);
    FILE *warn = o->quiet ? NULL : stderr;
    if (o->lenient && cli_lenient_text(&json, &len, name, warn) != 0) {
        free(json);
        return EXIT_FAIL;
    }
    state s;
    memset(&s, 0, sizeof s);
    idr_candidate *cand = NULL;
    idr_error err;
    int rc = idr_candidate_from_json(&cand, NULL, json, len, &err);
    idr_candidate_free(cand);
    cJSON *doc = NULL;
    int ex = EXIT_SCORED;
    if (rc != IDR_OK && !err.field[0]) {
        /* Nothing to take apart: one line, with the JSON Lines hint when it fits. */
        if (!cli_explain_json_lines("validate", name, json, len)) {
            report(&s, "", err.message);
        } else {
            s.problems++;
        }
    } else if (rc != IDR_OK) {
        doc = cJSON_ParseWithLength(json, len);
        if (!doc) {
            report(&s, err.field, cli_error_text(&err));
        }
        for (int round = 0; doc && rc != IDR_OK && round < MAX_ROUNDS; round++) {
            if (s.problems >= MAX_PROBLEMS) {
                printf("(stopped after %d problems)\n", MAX_PROBLEMS);
                break;
            }
            if (rc == IDR_ENOMEM || rc == IDR_EINTERNAL || !step(&s, doc, &err) ||
                s.nomem) {
                break;
            }
            char *text = cJSON_PrintUnformatted(doc);
            if (!text) {
                s.nomem = true;
                break;
            }
            rc = idr_candidate_from_json(&cand, NULL, text, strlen(text), &err);
            idr_candidate_free(cand);
            cand = NULL;
            free(text);
        }
    }
    /* Unknown members are no problem, but often the reason a value "is missing". */
    cJSON *whole = rc == IDR_ENOMEM || s.nomem ? NULL : cJSON_ParseWithLength(json, len);
    if (cJSON_IsObject(whole)) {
        s.nomem |= cli_unknown_fields(whole, unknown_field, &s) < 0;
    }
    cJSON_Delete(whole);
    int unknown = s.unknown;
    char note[64] = "";
    if (unknown > 0) {
        snprintf(note, sizeof note, " (%d unknown field%s ignored)", unknown,
                 unknown == 1 ? "" : "s");
    }
    if (rc == IDR_ENOMEM || s.nomem) {
        fprintf(stderr, "idrisk: %s: out of memory\n", name);
        ex = EXIT_FAIL;
    } else if (s.problems) {
        printf("%s: %d problem%s: not a valid idrisk.candidate/1 record%s\n", name,
               s.problems, s.problems == 1 ? "" : "s", note);
        ex = EXIT_BADINPUT;
    } else if (!o->quiet || unknown > 0) {
        printf("%s: valid idrisk.candidate/1 record%s\n", name, note);
    }
    if (ex != EXIT_FAIL && o->fix_out) {
        cJSON *fixed = cJSON_ParseWithLength(json, len);
        if (fixed) {
            int wx = write_fixed(o, fixed);
            ex = wx != EXIT_SCORED ? wx : ex;
        } else {
            fprintf(stderr,
                    "idrisk: --fix-out: %s is not one JSON record, nothing "
                    "written\n",
                    name);
        }
        cJSON_Delete(fixed);
    }
    cJSON_Delete(doc);
    for (size_t i = 0; i < s.n_g; i++) {
        free(s.g[i].idx);
    }
    free(s.g);
    for (size_t i = 0; i < s.n_seen; i++) {
        free(s.seen[i]);
    }
    free(s.seen);
    free(json);
    if (ex != EXIT_FAIL && fflush(stdout) != 0) {
        ex = EXIT_FAIL;
    }
    return ex;
}
