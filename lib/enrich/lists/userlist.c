/* SPDX-License-Identifier: Apache-2.0 */
/*
 * userlist.c - a full sanctions list the user supplies (IDR_CFG_SANCTIONS_FILE,
 * docs/sanctions.md), loaded beside the curated subset when the engine is built:
 *  - OFAC's SDN CSV files, legacy layout, no header line, "-0-" for an empty field:
 *      sdn.csv  ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
 *               Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 *      alt.csv  ent_num, alt_num, alt_type, alt_name, alt_remarks
 *      add.csv  ent_num, add_num, address, city/state/zip, country, add_remarks
 *    The path names sdn.csv (alt.csv and add.csv are read from beside it, in the same
 *    letter case) or the directory holding them. Emails, websites, digital-currency
 *    addresses and phone numbers are read from the Remarks ("Email Address x@y.com;
 *    Digital Currency Address - XBT 1abc...; Phone Number +7..."). Vessels and
 *    aircraft are not loaded: no payee, employer or staffing firm is screened as one.
 *  - the OpenSanctions FollowTheMoney export (entities.ftm.json): one JSON entity per
 *    line; Person, Organization, Company and LegalEntity (and PublicBody) become
 *    entries with their `name` and `alias` values, `email`, `phone` and `website`;
 *    a CryptoWallet's `publicKey` is listed on each of its `holder` entities.
 *    `weakAlias` values are not loaded: OpenSanctions marks them as too short or
 *    generic to match on.
 * A line that cannot be used is skipped with an engine warning naming file:line (the
 * first BAD_LINE_WARNINGS of them, then a count); a file that cannot be read fails the
 * engine build naming it.
 */
#include "enrich/lists/lists.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Largest list file read (the whole file is read, then freed once loaded). */
#define USER_LIST_MAX     ((size_t)1 << 30)
#define BAD_LINE_WARNINGS 20

typedef struct loader {
    idr__loader *ld;
    idr__lists *l;
    idr__arena *a;
    const char *file;
    size_t bad;
    int rc;
} loader;

static void bad_line(loader *u, const char *file, size_t line, const char *why) {
    u->bad++;
    if (u->bad <= BAD_LINE_WARNINGS && u->rc == IDR_OK) {
        u->rc = idr__loader_warn(u->ld, "sanctions list %s:%zu: %s; line skipped", file,
                                 line, why);
    }
}

static void bad_summary(loader *u) {
    if (u->bad > BAD_LINE_WARNINGS && u->rc == IDR_OK) {
        u->rc = idr__loader_warn(u->ld, "sanctions list %s: %zu more bad lines skipped",
                                 u->file, u->bad - BAD_LINE_WARNINGS);
    }
}

static char *trim(char *s) {
    while (*s && isspace((unsigned char)*s)) {
        s++;
    }
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1])) {
        *--e = '\0';
    }
    return s;
}

static bool is_null(const char *s) {
    return !s || !*s || strcmp(s, "-0-") == 0;
}

static void lower(char *s) {
    for (; s && *s; s++) {
        *s = (char)tolower((unsigned char)*s);
    }
}

/* A website as a domain: scheme, "www." and path dropped, lower case. */
static char *web_domain(idr__arena *a, const char *url) {
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    if (strncasecmp(p, "www.", 4) == 0) {
        p += 4;
    }
    size_t n = strcspn(p, "/:?# ");
    char *d = n ? idr__arena_strndup(a, p, n) : NULL;
    lower(d);
    return d && strchr(d, '.') ? d : NULL;
}

/* A growing string vector in the lists' arena. */
typedef struct strvec {
    const char **v;
    size_t n, cap;
} strvec;

static int sv_push(idr__arena *a, strvec *s, const char *x) {
    if (!x) {
        return IDR_ENOMEM;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        const char **v = idr__arena_alloc(a, (cap + 1) * sizeof *v);
        if (!v) {
            return IDR_ENOMEM;
        }
        if (s->n) {
            memcpy(v, s->v, s->n * sizeof *v);
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
    s->v[s->n] = NULL;
    return IDR_OK;
}

typedef struct idents {
    strvec emails, domains, wallets, phones;
} idents;

static void set_idents(idr__watch_entry *e, const idents *d) {
    e->emails = d->emails.v;
    e->n_emails = d->emails.n;
    e->domains = d->domains.v;
    e->n_domains = d->domains.n;
    e->wallets = d->wallets.v;
    e->n_wallets = d->wallets.n;
    e->phones = d->phones.v;
    e->n_phones = d->phones.n;
}

/* ---- OFAC SDN CSV ----------------------------------------------------------------- */

/* One CSV record from *pp (fields split in place; quotes removed, "" unescaped; a
 * quoted field may hold commas and line breaks). Returns the field count, 0 at the end;
 * *lines gets the number of line breaks consumed. */
static size_t csv_record(char **pp, char **f, size_t max, size_t *lines) {
    char *p = *pp;
    *lines = 0;
    if (!*p) {
        return 0;
    }
    size_t n = 0;
    for (;;) {
        char *out = p, *start = p;
        if (*p == '"') {
            p++;
            for (;;) {
                if (!*p) {
                    break;
                }
                if (*p == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *lines += *p == '\n';
                    *out++ = *p++;
                }
            }
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                p++; /* text after the closing quote: dropped */
            }
        } else {
            while (*p && *p != ',' && *p != '\n' && *p != '\r') {
                out++;
                p++;
            }
        }
        char sep = *p;
        *out = '\0';
        if (n < max) {
            f[n] = start;
        }
        n++;
        if (sep == ',') {
            p++;
            continue;
        }
        /* the terminator may just have been overwritten (out == p): go by `sep` */
        if (sep == '\r') {
            p++;
            p += *p == '\n';
        } else if (sep == '\n') {
            p++;
        }
        (*lines)++;
        break;
    }
    *pp = p;
    return n;
}

typedef struct alt {
    long ent;
    const char *name;
} alt;

static int cmp_alt(const void *x, const void *y) {
    const alt *a = x, *b = y;
    return (a->ent > b->ent) - (a->ent < b->ent);
}

static bool parse_ent(const char *s, long *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *trim(end) || v <= 0) {
        return false;
    }
    *out = v;
    return true;
}

/* The identifiers of an SDN Remarks field. */
static int sdn_remarks(idr__arena *a, char *rem, idents *d) {
    int rc = IDR_OK;
    char *save = NULL;
    for (char *part = strtok_r(rem, ";", &save); part && rc == IDR_OK;
         part = strtok_r(NULL, ";", &save)) {
        char *p = trim(part);
        if (strncmp(p, "alt. ", 5) == 0) {
            p = trim(p + 5);
        }
        if (strncmp(p, "Email Address ", 14) == 0) {
            char *v = idr__arena_strdup(a, trim(p + 14));
            lower(v);
            rc = sv_push(a, &d->emails, v);
        } else if (strncmp(p, "Website ", 8) == 0) {
            char *v = web_domain(a, trim(p + 8));
            rc = v ? sv_push(a, &d->domains, v) : IDR_OK;
        } else if (strncmp(p, "Digital Currency Address - ", 27) == 0) {
            char *q = p + 27;
            q += strcspn(q, " "); /* the currency code */
            q = trim(q);
            size_t n = strcspn(q, " ");
            rc = n ? sv_push(a, &d->wallets, idr__arena_strndup(a, q, n)) : IDR_OK;
        } else if (strncmp(p, "Phone Number ", 13) == 0) {
            const char *ph = idr__phone_canon(a, trim(p + 13));
            rc = ph ? sv_push(a, &d->phones, ph) : IDR_OK;
        }
    }
    return rc;
}

/* `dir`/`name` in the letter case of sdn.csv's own name. */
static const char *sibling(idr__arena *a, const char *sdn, const char *lower_name) {
    const char *slash = strrchr(sdn, '/');
    const char *base = slash ? slash + 1 : sdn;
    bool upper = base[0] >= 'A' && base[0] <= 'Z';
    char nm[16];
    snprintf(nm, sizeof nm, "%s", lower_name);
    for (char *p = nm; upper && *p; p++) {
        *p = (char)toupper((unsigned char)*p);
    }
    return idr__arena_printf(a, "%.*s%s", (int)(base - sdn), sdn, nm);
}

static int read_list_file(loader *u, const char *path, char **text, const char **msg) {
    size_t len = 0;
    *text = idr__read_file(u->ld->al, path, USER_LIST_MAX, &len);
    if (*text) {
        return IDR_OK;
    }
    if (errno == ENOMEM) {
        return IDR_ENOMEM;
    }
    *msg = idr__arena_printf(u->ld->arena, "sanctions_file: cannot read %s: %s", path,
                             errno == EFBIG ? "larger than 1 GiB" : strerror(errno));
    return IDR_EIO;
}

static int load_sdn(loader *u, const char *sdn_path, size_t *loaded, const char **msg) {
    idr__arena *a = u->a;
    const char *alt_path = sibling(u->ld->arena, sdn_path, "alt.csv");
    const char *add_path = sibling(u->ld->arena, sdn_path, "add.csv");
    if (!alt_path || !add_path) {
        return IDR_ENOMEM;
    }
    char *sdn = NULL, *alts = NULL, *adds = NULL;
    int rc = read_list_file(u, sdn_path, &sdn, msg);
    if (rc != IDR_OK) {
        return rc;
    }
    /* alt.csv and add.csv are optional: without them, primary names only */
    const char *m2 = NULL;
    rc = read_list_file(u, alt_path, &alts, &m2);
    if (rc == IDR_EIO) {
        rc = idr__loader_warn(u->ld,
                              "sanctions list: %s not read (%s): primary names only",
                              alt_path, m2 ? m2 : "");
    }
    if (rc == IDR_OK && read_list_file(u, add_path, &adds, &m2) == IDR_ENOMEM) {
        rc = IDR_ENOMEM;
    }
    /* aliases by ent_num */
    alt *av = NULL;
    size_t na = 0, cap_a = 0;
    char *f[12];
    size_t lines = 0, line = 1;
    char *p = alts;
    size_t nf;
    while (rc == IDR_OK && p && (nf = csv_record(&p, f, 5, &lines)) > 0) {
        size_t at = line;
        line += lines;
        if (nf == 1 && (!*trim(f[0]) || f[0][0] == 0x1a)) {
            continue; /* a blank line or the DOS end-of-file mark */
        }
        long ent;
        if (nf != 5 || !parse_ent(f[0], &ent)) {
            bad_line(u, alt_path, at, "not an alt.csv record (5 fields, ent_num first)");
            continue;
        }
        if (is_null(trim(f[3]))) {
            continue;
        }
        if (na == cap_a) {
            cap_a = cap_a ? 2 * cap_a : 1024;
            alt *nv = idr__realloc(u->ld->al, av, cap_a * sizeof *nv);
            if (!nv) {
                rc = IDR_ENOMEM;
                break;
            }
            av = nv;
        }
        av[na].ent = ent;
        av[na].name = idr__arena_strdup(a, trim(f[3]));
        rc = av[na].name ? IDR_OK : IDR_ENOMEM;
        na++;
    }
    if (na) {
        qsort(av, na, sizeof *av, cmp_alt);
    }
    /* add.csv: checked for its layout; addresses are not screened */
    line = 1;
    p = adds;
    while (rc == IDR_OK && p && (nf = csv_record(&p, f, 6, &lines)) > 0) {
        size_t at = line;
        line += lines;
        long ent;
        if (nf == 1 && (!*trim(f[0]) || f[0][0] == 0x1a)) {
            continue;
        }
        if (nf != 6 || !parse_ent(f[0], &ent)) {
            bad_line(u, add_path, at, "not an add.csv record (6 fields, ent_num first)");
        }
    }
    /* entries */
    size_t records = 1;
    for (const char *q = sdn; rc == IDR_OK && *q; q++) {
        records += *q == '\n';
    }
    if (rc == IDR_OK) {
        rc = idr__lists_reserve_watch(u->l, records);
    }
    line = 1;
    p = sdn;
    size_t skipped_vessels = 0;
    while (rc == IDR_OK && (nf = csv_record(&p, f, 12, &lines)) > 0) {
        size_t at = line;
        line += lines;
        if (nf == 1 && (!*trim(f[0]) || f[0][0] == 0x1a)) {
            continue;
        }
        long ent;
        if (nf != 12 || !parse_ent(f[0], &ent)) {
            bad_line(u, sdn_path, at, "not an sdn.csv record (12 fields, ent_num first)");
            continue;
        }
        char *name = trim(f[1]), *type = trim(f[2]);
        if (is_null(name)) {
            bad_line(u, sdn_path, at, "no SDN_Name");
            continue;
        }
        if (strcmp(type, "vessel") == 0 || strcmp(type, "aircraft") == 0) {
            skipped_vessels++;
            continue;
        }
        idr__watch_entry *e = idr__lists_watch_append(u->l);
        e->list = IDR__WATCH_SANCTIONS;
        e->name = idr__arena_strdup(a, name);
        e->kind = strcmp(type, "individual") == 0 ? "person" : "entity";
        e->sources = idr__arena_printf(a, "OFAC-SDN ent_num %ld (user list)", ent);
        e->program = is_null(trim(f[3])) ? "OFAC SDN"
                                         : idr__arena_printf(a, "OFAC SDN [%s]", f[3]);
        strvec names = {0};
        rc = sv_push(a, &names, e->name);
        alt key = {ent, NULL};
        alt *hit = na ? bsearch(&key, av, na, sizeof *av, cmp_alt) : NULL;
        while (hit && hit > av && hit[-1].ent == ent) {
            hit--;
        }
        for (; rc == IDR_OK && hit && hit < av + na && hit->ent == ent; hit++) {
            rc = sv_push(a, &names, hit->name);
        }
        e->names = names.v;
        e->n_names = names.n;
        idents d = {0};
        if (rc == IDR_OK && !is_null(trim(f[11]))) {
            rc = sdn_remarks(a, f[11], &d);
        }
        set_idents(e, &d);
        (*loaded)++;
    }
    if (rc == IDR_OK && skipped_vessels) {
        rc = idr__loader_warn(u->ld,
                              "sanctions list %s: %zu vessel and aircraft entries not "
                              "loaded (no record field is screened as one)",
                              sdn_path, skipped_vessels);
    }
    idr__free(u->ld->al, av);
    idr__free(u->ld->al, sdn);
    idr__free(u->ld->al, alts);
    idr__free(u->ld->al, adds);
    return rc;
}

/* ---- OpenSanctions FollowTheMoney ----------------------------------------------- */

typedef struct ftm_id {
    const char *id;
    uint32_t entry; /* index among the watch entries */
} ftm_id;

typedef struct ftm_wallet {
    const char *holder, *address;
} ftm_wallet;

static int cmp_ftm_id(const void *x, const void *y) {
    return strcmp(((const ftm_id *)x)->id, ((const ftm_id *)y)->id);
}

static cJSON *prop(const cJSON *props, const char *k) {
    cJSON *v = cJSON_GetObjectItemCaseSensitive(props, k);
    return cJSON_IsArray(v) ? v : NULL;
}

static int push_strings(idr__arena *a, const cJSON *arr, strvec *out, int how) {
    const cJSON *it;
    int rc = IDR_OK;
    cJSON_ArrayForEach(it, arr) {
        if (!cJSON_IsString(it) || !it->valuestring[0] || rc != IDR_OK) {
            continue;
        }
        const char *v = it->valuestring;
        if (how == 'e') {
            char *x = idr__arena_strdup(a, v);
            lower(x);
            rc = sv_push(a, out, x);
        } else if (how == 'p') {
            const char *x = idr__phone_canon(a, v);
            rc = x ? sv_push(a, out, x) : IDR_OK;
        } else if (how == 'd') {
            char *x = web_domain(a, v);
            rc = x ? sv_push(a, out, x) : IDR_OK;
        } else {
            rc = sv_push(a, out, idr__arena_strdup(a, v));
        }
    }
    return rc;
}

static bool is_party(const char *schema) {
    static const char *const v[] = {"Person",      "Organization", "Company",
                                    "LegalEntity", "PublicBody",   NULL};
    for (size_t i = 0; v[i]; i++) {
        if (strcmp(schema, v[i]) == 0) {
            return true;
        }
    }
    return false;
}

static int load_ftm(loader *u, const char *path, size_t *loaded, const char **msg) {
    idr__arena *a = u->a;
    const idr__alloc *al = u->ld->al;
    char *text = NULL;
    int rc = read_list_file(u, path, &text, msg);
    if (rc != IDR_OK) {
        return rc;
    }
    size_t lines = 1;
    for (const char *q = text; *q; q++) {
        lines += *q == '\n';
    }
    rc = idr__lists_reserve_watch(u->l, lines);
    size_t first = 0;
    idr__lists_watch(u->l, &first);
    ftm_id *ids = NULL;
    size_t n_ids = 0;
    ftm_wallet *wal = NULL;
    size_t n_wal = 0, cap_wal = 0;
    if (rc == IDR_OK && !(ids = idr__malloc(al, lines * sizeof *ids))) {
        rc = IDR_ENOMEM;
    }
    char *save = NULL;
    size_t line = 0;
    char *p = text;
    while (rc == IDR_OK && p && *p) {
        char *nl = strchr(p, '\n');
        if (nl) {
            *nl = '\0';
        }
        char *ln = trim(p);
        line++;
        p = nl ? nl + 1 : NULL;
        if (!*ln) {
            continue;
        }
        cJSON *j = cJSON_Parse(ln);
        cJSON *schema = j ? cJSON_GetObjectItemCaseSensitive(j, "schema") : NULL;
        cJSON *id = j ? cJSON_GetObjectItemCaseSensitive(j, "id") : NULL;
        cJSON *props = j ? cJSON_GetObjectItemCaseSensitive(j, "properties") : NULL;
        if (!schema || !id || !props || !cJSON_IsString(schema) || !cJSON_IsString(id) ||
            !cJSON_IsObject(props)) {
            bad_line(u, path, line,
                     j ? "not a FollowTheMoney entity (id, schema, properties)"
                       : "not JSON");
            cJSON_Delete(j);
            continue;
        }
        const char *sch = schema->valuestring;
        if (strcmp(sch, "CryptoWallet") == 0) {
            cJSON *keys = prop(props, "publicKey"), *holders = prop(props, "holder");
            const cJSON *k, *h;
            cJSON_ArrayForEach(k, keys) {
                cJSON_ArrayForEach(h, holders) {
                    if (!cJSON_IsString(k) || !cJSON_IsString(h) || rc != IDR_OK) {
                        continue;
                    }
                    if (n_wal == cap_wal) {
                        cap_wal = cap_wal ? 2 * cap_wal : 256;
                        ftm_wallet *nv = idr__realloc(al, wal, cap_wal * sizeof *nv);
                        if (!nv) {
                            rc = IDR_ENOMEM;
                            continue;
                        }
                        wal = nv;
                    }
                    wal[n_wal].holder = idr__arena_strdup(a, h->valuestring);
                    wal[n_wal].address = idr__arena_strdup(a, k->valuestring);
                    n_wal++;
                }
            }
            cJSON_Delete(j);
            continue;
        }
        if (!is_party(sch)) {
            cJSON_Delete(j);
            continue; /* addresses, sanctions, ownership ...: not screened */
        }
        strvec names = {0};
        rc = push_strings(a, prop(props, "name"), &names, 0);
        if (rc == IDR_OK) {
            rc = push_strings(a, prop(props, "alias"), &names, 0);
        }
        if (rc == IDR_OK && names.n == 0) {
            bad_line(u, path, line, "entity without a name");
            cJSON_Delete(j);
            continue;
        }
        idents d = {0};
        if (rc == IDR_OK) {
            rc = push_strings(a, prop(props, "email"), &d.emails, 'e');
        }
        if (rc == IDR_OK) {
            rc = push_strings(a, prop(props, "phone"), &d.phones, 'p');
        }
        if (rc == IDR_OK) {
            rc = push_strings(a, prop(props, "website"), &d.domains, 'd');
        }
        cJSON *ds = cJSON_GetObjectItemCaseSensitive(j, "datasets");
        cJSON *ds0 = cJSON_IsArray(ds) ? cJSON_GetArrayItem(ds, 0) : NULL;
        if (rc == IDR_OK) {
            idr__watch_entry *e = idr__lists_watch_append(u->l);
            e->list = IDR__WATCH_SANCTIONS;
            e->name = names.v[0];
            e->names = names.v;
            e->n_names = names.n;
            e->kind = strcmp(sch, "Person") == 0 ? "person" : "entity";
            e->sources =
                idr__arena_printf(a, "OpenSanctions %s (user list)", id->valuestring);
            e->program =
                ds0 && cJSON_IsString(ds0)
                    ? idr__arena_printf(a, "OpenSanctions [%s]", ds0->valuestring)
                    : "OpenSanctions";
            set_idents(e, &d);
            ids[n_ids].id = idr__arena_strdup(a, id->valuestring);
            ids[n_ids].entry = (uint32_t)(first + *loaded);
            n_ids++;
            (*loaded)++;
        }
        cJSON_Delete(j);
    }
    (void)save;
    /* wallets onto their holders */
    if (rc == IDR_OK && n_ids) {
        qsort(ids, n_ids, sizeof *ids, cmp_ftm_id);
        size_t n_w = 0;
        idr__watch_entry *w = (idr__watch_entry *)idr__lists_watch(u->l, &n_w);
        for (size_t i = 0; rc == IDR_OK && i < n_wal; i++) {
            ftm_id key = {wal[i].holder, 0};
            ftm_id *h =
                wal[i].holder ? bsearch(&key, ids, n_ids, sizeof *ids, cmp_ftm_id) : NULL;
            if (!h) {
                continue; /* a wallet whose holder is not a loaded party */
            }
            idr__watch_entry *e = &w[h->entry];
            strvec sv = {(const char **)e->wallets, e->n_wallets, e->n_wallets};
            rc = sv_push(a, &sv, wal[i].address);
            e->wallets = sv.v;
            e->n_wallets = sv.n;
        }
    }
    idr__free(al, ids);
    idr__free(al, wal);
    idr__free(al, text);
    return rc;
}

/* ---- Entry point -------------------------------------------------------------- */

/* "ftm" when the first non-blank byte is '{', else "sdn-csv". */
static const char *detect(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        return "sdn-csv"; /* the read then reports the error */
    }
    int c;
    while ((c = fgetc(f)) != EOF && isspace(c)) {
    }
    fclose(f);
    return c == '{' ? "ftm" : "sdn-csv";
}

int idr__lists_load_user(idr__loader *ld,
                         idr__lists *l,
                         const char *path,
                         const char *format,
                         const char **msg) {
    *msg = NULL;
    loader u = {.ld = ld, .l = l, .a = idr__lists_arena(l), .file = path};
    struct stat st;
    const char *file = path;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* a directory: its sdn.csv (or SDN.CSV) */
        file = idr__arena_printf(ld->arena, "%s/sdn.csv", path);
        if (file && stat(file, &st) != 0) {
            file = idr__arena_printf(ld->arena, "%s/SDN.CSV", path);
        }
        if (!file) {
            return IDR_ENOMEM;
        }
        if (!format || strcmp(format, "auto") == 0) {
            format = "sdn-csv";
        }
    }
    if (!format || strcmp(format, "auto") == 0) {
        format = detect(file);
    }
    u.file = file;
    size_t loaded = 0;
    int rc;
    if (strcmp(format, "sdn-csv") == 0) {
        rc = load_sdn(&u, file, &loaded, msg);
    } else if (strcmp(format, "ftm") == 0) {
        rc = load_ftm(&u, file, &loaded, msg);
    } else {
        *msg = idr__arena_printf(ld->arena,
                                 "sanctions_format must be \"auto\", \"sdn-csv\" or "
                                 "\"ftm\", not \"%s\"",
                                 format);
        return IDR_EINVAL;
    }
    if (rc == IDR_OK) {
        rc = u.rc;
    }
    if (rc == IDR_OK) {
        bad_summary(&u);
        rc = u.rc;
    }
    if (rc == IDR_OK && loaded == 0) {
        *msg = idr__arena_printf(
            ld->arena, "sanctions_file: no usable entry in %s (format %s)", file, format);
        return IDR_EDATA;
    }
    if (rc == IDR_OK) {
        idr__data_entry d = {
            "sanctions_user",
            strcmp(format, "ftm") == 0 ? "OpenSanctions FollowTheMoney" : "OFAC SDN CSV",
            idr__arena_printf(ld->arena, "%zu entr%s", loaded, loaded == 1 ? "y" : "ies"),
            NULL,
            "as supplied by the user",
            file};
        rc = idr__loader_add_data(ld, &d);
    }
    if (rc == IDR_OK && idr__arena_failed(u.a)) {
        rc = IDR_ENOMEM;
    }
    return rc;
}
