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
    CLI_OPT_MIN_N = 1u << 15
};

#define CLI_MAX_CIDRS 64
#define CLI_MAX_ARGS  8

typedef struct cli_opts {
    bool json, record, restart, require_data;
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

/* Print a JSON value as indented "key: value" lines (the readable form of lookups and
 * store stats). */
void cli_print_json_readable(const cJSON *v, int indent);

int cli_cmd_batch(const cli_opts *o);
int cli_cmd_store(const cli_opts *o);
int cli_cmd_audit(const cli_opts *o);
int cli_cmd_data(const cli_opts *o);

#endif
