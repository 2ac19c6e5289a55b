/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - what the commands of the idrisk front end share: the parsed command line,
 * the exit statuses, building the engine and opening the store from options, and the
 * time formats of --as-of and --before. Private to tools/idrisk.
 */
#ifndef IDRISK_CLI_H
#define IDRISK_CLI_H

#include <cjson/cJSON.h>
#include <idrisk/idrisk.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses (usage() and docs/batch.md list them). EXIT_PARTIAL is batch only: the
 * batch ran to its end but some records failed and went to the errors file. */
enum { EXIT_SCORED = 0, EXIT_FAIL = 1, EXIT_BADINPUT = 2, EXIT_PARTIAL = 3 };

/* Options that only some commands take: each command names the ones it accepts, so
 * `idrisk rules --record` is a usage error rather than silently ignored. */
enum {
    CLI_OPT_JSON = 1u << 0,
    CLI_OPT_COUNTRY = 1u << 1,
    CLI_OPT_DB = 1u << 2,
    CLI_OPT_RECORD = 1u << 3,
    CLI_OPT_IN = 1u << 4,
    CLI_OPT_OUT = 1u << 5,
    CLI_OPT_ERRORS = 1u << 6,
    CLI_OPT_REPORT = 1u << 7,
    CLI_OPT_JOBS = 1u << 8,
    CLI_OPT_AS_OF = 1u << 9,
    CLI_OPT_RESTART = 1u << 10,
    CLI_OPT_BEFORE = 1u << 11,
    CLI_OPT_CHECKPOINT = 1u << 12,
    CLI_OPT_RESULTS = 1u << 13,
    CLI_OPT_GROUPS = 1u << 14,
    CLI_OPT_MIN_N = 1u << 15,
    CLI_OPT_HTML = 1u << 16,
    CLI_OPT_VERBOSE = 1u << 17,
    CLI_OPT_COLOR = 1u << 18,
    CLI_OPT_LENIENT = 1u << 19,
    CLI_OPT_FIX_OUT = 1u << 20
};

/* --color: auto (colour only when stdout is a terminal and NO_COLOR is unset). */
enum { CLI_COLOR_AUTO = 0, CLI_COLOR_ALWAYS, CLI_COLOR_NEVER };

#define CLI_MAX_CIDRS 64
#define CLI_MAX_ARGS  8

typedef struct cli_opts {
    bool json, record, restart, require_data;
    bool quiet;          /* -q: no progress, notes or warnings on stderr; errors still */
    bool verbose;        /* score --verbose */
    bool lenient;        /* score, validate --lenient: map common export forms first */
    int color;           /* CLI_COLOR_* (score --color) */
    const char *html;    /* score --html FILE */
    const char *fix_out; /* validate --fix-out FILE: the record as --lenient mapped it */
    const char *data_dir, *rules, *country, *verify_data;
    const char *sanctions, *sanctions_format; /* --sanctions, --sanctions-format */
    const char *allow[CLI_MAX_CIDRS], *relay[CLI_MAX_CIDRS];
    int n_allow, n_relay;
    const char *db, *in, *out, *errors, *report, *as_of, *before;
    const char *results, *groups; /* audit */
    long min_n;                   /* audit --min-n; 0: not given */
    long jobs;                    /* 0: not given */
    long checkpoint_every;        /* 0: not given */
    unsigned seen;                /* CLI_OPT_* given on the command line */
    const char *args[CLI_MAX_ARGS];
    int n_args;
} cli_opts;

/* Build the engine from the shared options and the environment (IDRISK_DATA_DIR,
 * IDRISK_LISTS_DIR). Returns EXIT_SCORED, or the exit status after printing why. */
int cli_build_engine(const cli_opts *o, idr_engine **eng);
#ifdef IDR_CLI_TEST_ALLOC
/* The test-only build's counting allocator (tests/alloc/cli_alloc.c). */
int cli_test_alloc_install(idr_config *cfg);
void cli_test_alloc_arm(void);
#endif

/* The engine's warnings (a database missing or refused), as a cJSON array owned by
 * *doc (free it with cJSON_Delete); NULL when the engine cannot describe itself. With
 * --require-data, cli_build_engine() fails when there is any. */
const cJSON *cli_engine_warnings(const idr_engine *eng, cJSON **doc);

/* Print the engine's missing databases and the result's low coverage, one line each,
 * to `f` with `prefix` ("WARNING: " on the readable report, "idrisk: warning: " on
 * stderr beside --json). Returns the number of lines printed. */
int cli_print_coverage_notes(FILE *f,
                             const char *prefix,
                             const idr_engine *eng,
                             const idr_result *res);

/* Open the store named by --db with `flags` (IDR_STORE_*). Returns EXIT_SCORED, or
 * the exit status after printing why (a missing store opened without
 * IDR_STORE_CREATE says how to create one). */
int cli_open_store(const cli_opts *o, unsigned flags, idr_store **st);

/* The exit status for a library status: bad input (IDR_EINVAL, IDR_ELIMIT) is 2,
 * everything else 1. */
int cli_exit_for(int rc);

/* "EINVAL"-style name of a library status, for machine-read error lines. */
const char *cli_code_name(int rc);

/* Parse an RFC 3339 instant (2026-03-01T14:03:00Z, 2026-03-01T16:03:00.5+02:00) or a
 * date (2026-03-01, meaning its midnight UTC) into seconds since the epoch, UTC.
 * Fractions of a second are dropped. Returns 0, or -1 when `s` is neither. */
int cli_parse_time(const char *s, int64_t *out);

/* `t` as YYYY-MM-DDThh:mm:ssZ (the form results use). */
void cli_format_instant(int64_t t, char out[32]);

/* Read a whole file, or stdin for "-", into a malloc'd buffer (not NUL-terminated;
 * one spare byte allocated). NULL after printing why. */
char *cli_read_all(const char *path, size_t *len);

/* How a command names its input in messages: the path, or "stdin" for "-". */
const char *cli_input_name(const char *path);

/* Print a library error about input `where` as one line on stderr:
 * "idrisk: WHERE: PATH: message", naming the JSON path once (the parser's messages
 * start with it; a message that does not name its field gets it put in front). */
void cli_print_input_error(const char *where, const idr_error *err);

/* The message of `err` without its leading "PATH: " (what validate lists after its
 * own path column). Borrowed from `err`. */
const char *cli_error_text(const idr_error *err);

/* When `json` holds several JSON values one after the other (JSON Lines given to the
 * one-record command `cmd`), print the hint that says so and return true. */
bool cli_explain_json_lines(const char *cmd,
                            const char *where,
                            const char *json,
                            size_t len);

/* --lenient (lenient.c): rewrite the common export forms of `doc` in place (country
 * names, alpha-3 and lower-case codes to alpha-2; YYYY-MM and date-only values where
 * the contract wants an instant or a date), finding the fields from the contract's
 * JSON Schema. Each change is a "lenient: PATH: "old" -> "new"" line on `warn` (NULL:
 * silent). Returns the number of values changed, or -1 when out of memory. */
int cli_lenient_map(cJSON *doc, FILE *warn);

/* The members of `doc` that the contract's schema does not name (the library ignores
 * them with a warning): fn(ctx, PATH) for each, in document order. Returns how many,
 * or -1 when out of memory. */
int cli_unknown_fields(cJSON *doc, void (*fn)(void *ctx, const char *path), void *ctx);

/* --lenient on a record's text: when it is a JSON object and something was mapped,
 * *json (malloc'd) is replaced by the mapped record. Text that is not one JSON value,
 * or holds an escaped NUL (which cJSON would cut short), is left for the library to
 * refuse. Returns 0, or -1 after printing why (out of memory). */
int cli_lenient_text(char **json, size_t *len, const char *where, FILE *warn);

/* Print a JSON value as indented "key: value" lines (the readable form of lookups and
 * store stats). */
void cli_print_json_readable(const cJSON *v, int indent);

int cli_cmd_batch(const cli_opts *o);
int cli_cmd_store(const cli_opts *o);
int cli_cmd_audit(const cli_opts *o);
int cli_cmd_data(const cli_opts *o);
int cli_cmd_validate(const cli_opts *o);

#endif
