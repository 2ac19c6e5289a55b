/*
 * idrisk - command-line front end of the idrisk library.
 *
 *   idrisk score [--json] FILE|-        score one candidate record
 *   idrisk rules [--json]               list the indicators of the loaded rule pack
 *   idrisk lookup ip ADDR [--json]      what every loaded IP database says
 *   idrisk lookup phone NUMBER [--country CC] [--json]
 *   idrisk data fetch                   fetch the open databases into the data dir
 *   idrisk version
 * Shared options: --data-dir DIR, --rules FILE, --allow-cidr CIDR, --relay-cidr CIDR,
 * --verify-data full|size|off.
 * Environment: IDRISK_DATA_DIR (when no --data-dir) and IDRISK_LISTS_DIR; the library
 * itself reads no environment, so this front end turns them into config options.
 *
 * Exit status: 0 when the command did its job (a candidate scored, whatever the score),
 * 2 for bad input (the message names the field), 1 for anything else. The readable
 * report reads the result through the library's accessors, the same data the JSON form
 * is written from, and it is printed only once the whole result exists: never a
 * partial result. cJSON only serves the readable forms of `rules` and `lookup`.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <idrisk/idrisk.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IDR_FETCH_SCRIPT_INSTALLED
    #define IDR_FETCH_SCRIPT_INSTALLED ""
#endif
#ifndef IDR_FETCH_SCRIPT_SOURCE
    #define IDR_FETCH_SCRIPT_SOURCE ""
#endif

enum { EXIT_SCORED = 0, EXIT_FAIL = 1, EXIT_BADINPUT = 2 };

typedef struct opts {
    bool json;
    const char *data_dir, *rules, *country, *verify_data;
    const char *allow[64], *relay[64];
    int n_allow, n_relay;
    const char *args[8];
    int n_args;
} opts;

static void usage(FILE *f) {
    fputs("usage: idrisk [options] COMMAND ...\n"
          "  score [--json] FILE|-           score one candidate record (JSON)\n"
          "  rules [--json]                  list the rule pack's indicators\n"
          "  lookup ip ADDR [--json]         what the IP databases say about ADDR\n"
          "  lookup phone NUMBER [--country CC] [--json]\n"
          "  data fetch                      fetch the open databases (npm registry)\n"
          "  version\n"
          "options: --data-dir DIR  --rules FILE  --allow-cidr CIDR  --relay-cidr CIDR\n"
          "         --verify-data full|size|off (fetched files against their manifests; "
          "default full)\n"
          "environment: IDRISK_DATA_DIR (default of --data-dir), IDRISK_LISTS_DIR (rule "
          "pack and lists)\n"
          "exit status: 0 done, 2 bad input (the field is named), 1 other failure\n",
          f);
}

static int parse_args(int argc, char **argv, opts *o) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(EXIT_SCORED);
        }
        if (strcmp(a, "--data-dir") == 0) {
            slot = &o->data_dir;
        } else if (strcmp(a, "--rules") == 0) {
            slot = &o->rules;
        } else if (strcmp(a, "--verify-data") == 0) {
            slot = &o->verify_data;
        } else if (strcmp(a, "--country") == 0) {
            slot = &o->country;
        } else if (strcmp(a, "--allow-cidr") == 0 && o->n_allow < 64) {
            slot = &o->allow[o->n_allow++];
        } else if (strcmp(a, "--relay-cidr") == 0 && o->n_relay < 64) {
            slot = &o->relay[o->n_relay++];
        }
        if (slot) {
            if (i + 1 >= argc) {
                fprintf(stderr, "idrisk: %s needs a value\n", a);
                return -1;
            }
            *slot = argv[++i];
            continue;
        }
        if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "idrisk: unknown option %s\n", a);
            return -1;
        }
        if (o->n_args == 8) {
            fprintf(stderr, "idrisk: too many arguments\n");
            return -1;
        }
        o->args[o->n_args++] = a;
    }
    return 0;
}

static int build_engine(const opts *o, idr_engine **eng) {
    idr_config *cfg = NULL;
    idr_error err;
    if (idr_config_new(&cfg) != IDR_OK) {
        fprintf(stderr, "idrisk: out of memory\n");
        return EXIT_FAIL;
    }
    /* The library reads no environment: the CLI applies IDRISK_DATA_DIR and
     * IDRISK_LISTS_DIR itself; an empty variable counts as unset and --data-dir wins. */
    const char *env_data = getenv("IDRISK_DATA_DIR");
    const char *env_lists = getenv("IDRISK_LISTS_DIR");
    int rc = IDR_OK;
    if (o->data_dir) {
        rc = idr_config_set_str(cfg, IDR_CFG_DATA_DIR, o->data_dir, &err);
    } else if (env_data && *env_data) {
        rc = idr_config_set_str(cfg, IDR_CFG_DATA_DIR, env_data, &err);
    }
    if (rc == IDR_OK && env_lists && *env_lists) {
        rc = idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, env_lists, &err);
    }
    if (rc == IDR_OK && o->verify_data) {
        rc = idr_config_set_by_name(cfg, "verify_data", o->verify_data, &err);
    }
    if (rc == IDR_OK && o->rules) {
        rc = idr_config_set_str(cfg, IDR_CFG_RULES_FILE, o->rules, &err);
    }
    for (int i = 0; rc == IDR_OK && i < o->n_allow; i++) {
        rc = idr_config_set_str(cfg, IDR_CFG_ALLOW_CIDR, o->allow[i], &err);
    }
    for (int i = 0; rc == IDR_OK && i < o->n_relay; i++) {
        rc = idr_config_set_str(cfg, IDR_CFG_RELAY_CIDR, o->relay[i], &err);
    }
    if (rc == IDR_OK) {
        rc = idr_engine_new(eng, cfg, &err);
    }
    idr_config_free(cfg);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return rc == IDR_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
    }
    return EXIT_SCORED;
}

static char *read_all(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "idrisk: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            break;
        }
        /* Past 64 MiB the library's largest limit is exceeded anyway. */
        if (cap >= (64u << 20)) {
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    bool bad = ferror(f);
    if (f != stdin) {
        fclose(f);
    }
    if (!buf || bad) {
        fprintf(stderr, "idrisk: cannot read %s\n", path);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void print_wrapped(const char *prefix, const char *text) {
    printf("%s%s\n", prefix, text ? text : "");
}

static const char * or (const char *s, const char *dflt) {
    return s ? s : dflt;
}

/* YYYY-MM-DDThh:mm:ssZ, as the JSON form writes instants. */
static void format_instant(int64_t t, char out[80]) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, 80, "?");
        return;
    }
    snprintf(out, 80, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void print_enrichment(const idr_result *res) {
    if (idr_result_session_count(res) > 0) {
        printf("\nIP sessions:\n");
        for (size_t i = 0; i < idr_result_session_count(res); i++) {
            const idr_session_info *s = idr_result_session(res, i);
            printf("  %-39s %s%s%s ", or (s->ip, "?"), or (s->city, ""),
                   s->city ? ", " : "", or (s->country, "(no geolocation)"));
            if (s->asn) {
                printf(" AS%lu %s", (unsigned long)s->asn, or (s->asn_org, ""));
            }
            if (!isnan(s->distance_km)) {
                printf(" - %.0f km from the claimed residence", s->distance_km);
            }
            printf("\n");
        }
    }
    if (idr_result_phone_count(res) > 0) {
        printf("\nPhones:\n");
        for (size_t i = 0; i < idr_result_phone_count(res); i++) {
            const idr_phone_info *p = idr_result_phone(res, i);
            printf("  %-20s %s, type %s, region %s%s%s\n",
                   or (p->e164, or (p->number, "?")),
                   p->valid == 1   ? "valid"
                   : p->valid == 0 ? "INVALID"
                                   : "unchecked",
                   or (p->type, "unknown"), or (p->region, "?"), p->area ? ", " : "",
                   or (p->area, ""));
        }
    }
    if (idr_result_email_count(res) > 0) {
        printf("\nEmails:\n");
        for (size_t i = 0; i < idr_result_email_count(res); i++) {
            const idr_email_info *e = idr_result_email(res, i);
            printf("  %-40s %s\n", or (e->address, "?"),
                   or (e->domain_class, "unclassified"));
        }
    }
}

static void print_report(const idr_result *res) {
    printf("Candidate %s\n", idr_result_candidate_id(res));
    printf("Score %d/100   band %s   action %s\n", idr_result_score(res),
           idr_result_band(res), idr_result_action(res));
    printf("This is triage for a human reviewer, not a hiring decision.\n");
    size_t n = idr_result_reason_count(res);
    printf("\nReasons (%zu):\n", n);
    if (n == 0) {
        printf("  none fired\n");
    }
    for (size_t i = 0; i < n; i++) {
        const idr_reason *r = idr_result_reason(res, i);
        printf("\n%2zu. [%s, +%g] %s (%s)\n", i + 1, r->severity, r->points, r->title,
               r->id);
        print_wrapped("    ", r->detail);
        print_wrapped("    Verify: ", r->verify);
        if (r->n_benign > 0) {
            printf("    Could also be:\n");
            for (size_t k = 0; k < r->n_benign; k++) {
                printf("      - %s\n", r->benign[k]);
            }
        }
        printf("    Sources:");
        for (size_t k = 0; k < r->n_sources; k++) {
            printf(" %s", r->sources[k]);
        }
        printf("\n");
    }
    if (idr_result_suppressed_count(res) > 0) {
        printf("\nSuppressed (would have fired, explained by context):\n");
        for (size_t i = 0; i < idr_result_suppressed_count(res); i++) {
            const idr_suppressed *s = idr_result_suppressed(res, i);
            printf("  - %s: %s\n", s->id, s->by);
        }
    }
    print_enrichment(res);
    if (idr_result_not_evaluated_count(res) > 0) {
        printf("\nNot evaluated:\n");
        for (size_t i = 0; i < idr_result_not_evaluated_count(res); i++) {
            const idr_not_evaluated *ne = idr_result_not_evaluated(res, i);
            printf("  - %s: %s\n", ne->id, ne->why);
        }
    }
    if (idr_result_warning_count(res) > 0) {
        printf("\nWarnings:\n");
        for (size_t i = 0; i < idr_result_warning_count(res); i++) {
            printf("  - %s\n", idr_result_warning(res, i));
        }
    }
    if (idr_result_data_count(res) > 0) {
        printf("\nData used:\n");
        for (size_t i = 0; i < idr_result_data_count(res); i++) {
            const idr_data_source *d = idr_result_data(res, i);
            printf("  - %s (%s, version %s, built %s)%s%s\n", d->name, d->type,
                   or (d->version, "?"), or (d->build_date, "?"),
                   d->attribution ? ": " : "", or (d->attribution, ""));
        }
    }
    const idr_ruleset_info *rs = idr_result_ruleset(res);
    char as_of[80];
    format_instant(idr_result_as_of(res), as_of);
    printf("\nRule pack %s %s (sha256 %.12s...), engine %s, as of %s\n", rs->id,
           rs->version, rs->sha256, idr_version_string(), as_of);
}

static int cmd_score(const opts *o) {
    if (o->n_args != 2) {
        fprintf(stderr, "idrisk: score needs one FILE (or - for stdin)\n");
        return EXIT_BADINPUT;
    }
    size_t len;
    char *json = read_all(o->args[1], &len);
    if (!json) {
        return EXIT_FAIL;
    }
    idr_engine *eng = NULL;
    int ex = build_engine(o, &eng);
    if (ex != EXIT_SCORED) {
        free(json);
        return ex;
    }
    idr_result *res = NULL;
    idr_error err;
    int rc = idr_engine_score_json(eng, json, len, &res, &err);
    free(json);
    if (rc != IDR_OK) {
        if (err.field[0]) {
            fprintf(stderr, "idrisk: %s: %s (field: %s)\n", o->args[1], err.message,
                    err.field);
        } else {
            fprintf(stderr, "idrisk: %s: %s\n", o->args[1], err.message);
        }
        idr_engine_free(eng);
        return rc == IDR_EINVAL || rc == IDR_ELIMIT ? EXIT_BADINPUT : EXIT_FAIL;
    }
    if (o->json) {
        char *out = NULL;
        size_t olen = 0;
        rc = idr_result_to_json(res, &out, &olen, &err);
        if (rc == IDR_OK) {
            fwrite(out, 1, olen, stdout);
            fputc('\n', stdout);
        } else {
            fprintf(stderr, "idrisk: %s\n", err.message);
        }
        idr_free(out);
    } else {
        print_report(res);
    }
    /* The result borrows the rule texts and data list from the engine: free it first. */
    idr_result_free(res);
    idr_engine_free(eng);
    if (rc != IDR_OK) {
        return EXIT_FAIL;
    }
    return fflush(stdout) == 0 ? EXIT_SCORED : EXIT_FAIL;
}

static int cmd_rules(const opts *o) {
    idr_engine *eng = NULL;
    int ex = build_engine(o, &eng);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    char *out = NULL;
    idr_error err;
    int rc = idr_engine_describe_json(eng, &out, &err);
    idr_engine_free(eng);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return EXIT_FAIL;
    }
    if (o->json) {
        puts(out);
        idr_free(out);
        return EXIT_SCORED;
    }
    cJSON *d = cJSON_Parse(out);
    idr_free(out);
    if (!d) {
        return EXIT_FAIL;
    }
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(d, "ruleset");
    printf("Rule pack %s %s (sha256 %s)\n", jstr(rs, "id"), jstr(rs, "version"),
           jstr(rs, "sha256"));
    printf("Bands: medium >= %g, high >= %g, critical >= %g (or any critical reason)\n\n",
           cJSON_GetObjectItemCaseSensitive(d, "band_medium")->valuedouble,
           cJSON_GetObjectItemCaseSensitive(d, "band_high")->valuedouble,
           cJSON_GetObjectItemCaseSensitive(d, "band_critical")->valuedouble);
    printf("%-34s %-12s %-8s %6s  %s\n", "indicator", "category", "severity", "points",
           "sources");
    const cJSON *it, *s;
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "indicators")) {
        printf("%-34s %-12s %-8s %6g ", jstr(it, "id"), jstr(it, "category"),
               jstr(it, "severity"),
               cJSON_GetObjectItemCaseSensitive(it, "points")->valuedouble);
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(it, "sources")) {
            printf(" %s", s->valuestring);
        }
        if (jstr(it, "needs")) {
            printf("  (needs %s)", jstr(it, "needs"));
        }
        printf("\n");
    }
    printf("\ncombinations:\n");
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(d, "combinations")) {
        printf("%-34s %-12s %-8s %6g ", jstr(it, "id"), "combination",
               jstr(it, "severity"),
               cJSON_GetObjectItemCaseSensitive(it, "points")->valuedouble);
        cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(it, "sources")) {
            printf(" %s", s->valuestring);
        }
        printf("\n");
    }
    cJSON_Delete(d);
    return EXIT_SCORED;
}

static void print_json_readable(const cJSON *v, int indent) {
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        printf("%*s%s%s", indent, "", it->string ? it->string : "-",
               it->string ? ": " : " ");
        if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
            printf("\n");
            print_json_readable(it, indent + 2);
        } else if (cJSON_IsString(it)) {
            printf("%s\n", it->valuestring);
        } else if (cJSON_IsNumber(it)) {
            printf("%.10g\n", it->valuedouble);
        } else if (cJSON_IsBool(it)) {
            printf("%s\n", cJSON_IsTrue(it) ? "true" : "false");
        } else {
            printf("null\n");
        }
    }
}

static int cmd_lookup(const opts *o) {
    if (o->n_args != 3 ||
        (strcmp(o->args[1], "ip") != 0 && strcmp(o->args[1], "phone") != 0)) {
        fprintf(stderr, "idrisk: lookup ip ADDR | lookup phone NUMBER [--country CC]\n");
        return EXIT_BADINPUT;
    }
    idr_engine *eng = NULL;
    int ex = build_engine(o, &eng);
    if (ex != EXIT_SCORED) {
        return ex;
    }
    char *out = NULL;
    idr_error err;
    int rc = strcmp(o->args[1], "ip") == 0
                 ? idr_engine_lookup_ip(eng, o->args[2], &out, &err)
                 : idr_engine_lookup_phone(eng, o->args[2], o->country, &out, &err);
    idr_engine_free(eng);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return rc == IDR_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
    }
    cJSON *d = o->json ? NULL : cJSON_Parse(out);
    if (d) {
        print_json_readable(d, 0);
        cJSON_Delete(d);
    } else {
        puts(out);
    }
    idr_free(out);
    return EXIT_SCORED;
}

static bool is_file(const char *p) {
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int cmd_data(const opts *o) {
    if (o->n_args != 2 || strcmp(o->args[1], "fetch") != 0) {
        fprintf(stderr, "idrisk: data fetch\n");
        return EXIT_BADINPUT;
    }
    const char *script = getenv("IDRISK_FETCH_SCRIPT");
    if (!is_file(script)) {
        script = is_file(IDR_FETCH_SCRIPT_INSTALLED) ? IDR_FETCH_SCRIPT_INSTALLED
                                                     : IDR_FETCH_SCRIPT_SOURCE;
    }
    if (!is_file(script)) {
        fprintf(stderr, "idrisk: the fetch script is not installed\n");
        return EXIT_FAIL;
    }
    const char *dir = o->data_dir ? o->data_dir : getenv("IDRISK_DATA_DIR");
    if (!dir || !*dir) {
        fprintf(stderr, "idrisk: data fetch needs --data-dir DIR or IDRISK_DATA_DIR\n");
        return EXIT_BADINPUT;
    }
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", script, dir, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        fprintf(stderr, "idrisk: cannot run %s\n", script);
        return EXIT_FAIL;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? EXIT_SCORED : EXIT_FAIL;
}

int main(int argc, char **argv) {
    opts o;
    if (parse_args(argc, argv, &o) != 0) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    if (o.n_args == 0) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    const char *cmd = o.args[0];
    if (strcmp(cmd, "score") == 0) {
        return cmd_score(&o);
    }
    if (strcmp(cmd, "rules") == 0) {
        return cmd_rules(&o);
    }
    if (strcmp(cmd, "lookup") == 0) {
        return cmd_lookup(&o);
    }
    if (strcmp(cmd, "data") == 0) {
        return cmd_data(&o);
    }
    if (strcmp(cmd, "version") == 0) {
        printf("idrisk %s (header %s)\n", idr_version_string(), IDR_VERSION_STRING);
        return EXIT_SCORED;
    }
    fprintf(stderr, "idrisk: unknown command %s\n", cmd);
    usage(stderr);
    return EXIT_BADINPUT;
}
