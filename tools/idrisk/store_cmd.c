/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_cmd.c - `idrisk store forget|purge|stats --db STORE`: deletion requests,
 * retention and a look at what a cross-candidate store holds.
 *
 *   idrisk store forget ID --db STORE          delete everything held about ID
 *   idrisk store purge --before DATE --db STORE delete what was recorded before DATE
 *   idrisk store stats [--json] --db STORE     counts only, never an identifier
 *
 * None of them creates a store: forgetting in, purging or describing a store that
 * does not exist is an error (exit 1) rather than a new empty file. Forgetting an ID
 * the store does not hold succeeds (exit 0) and says so: a deletion request is met
 * either way.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* Each subcommand's arguments are checked before the store is opened, so a usage
 * error says so (exit 2) whatever state the store is in. */
static int check_forget(const cli_opts *o) {
    if (o->n_args != 3 || !o->args[2][0]) {
        fprintf(stderr, "idrisk: store forget needs one candidate ID\n");
        return EXIT_BADINPUT;
    }
    return EXIT_SCORED;
}

static int check_purge(const cli_opts *o) {
    int64_t before;
    if (o->n_args != 2 || !o->before) {
        fprintf(stderr, "idrisk: store purge needs --before DATE\n");
        return EXIT_BADINPUT;
    }
    if (cli_parse_time(o->before, &before) != 0) {
        fprintf(stderr,
                "idrisk: --before: '%s' is neither a date (YYYY-MM-DD) nor an RFC 3339 "
                "instant\n",
                o->before);
        return EXIT_BADINPUT;
    }
    return EXIT_SCORED;
}

static int check_stats(const cli_opts *o) {
    if (o->n_args != 2) {
        fprintf(stderr, "idrisk: store stats takes no argument\n");
        return EXIT_BADINPUT;
    }
    return EXIT_SCORED;
}

static int store_forget(const cli_opts *o, idr_store *st) {
    int found = 0;
    idr_error err;
    int rc = idr_store_forget(st, o->args[2], &found, &err);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: store %s: %s\n", o->db, err.message);
        return cli_exit_for(rc);
    }
    printf(found ? "forgot %s: nothing about it remains in %s\n"
                 : "%s was not in %s: nothing to forget\n",
           o->args[2], o->db);
    return EXIT_SCORED;
}

static int store_purge(const cli_opts *o, idr_store *st) {
    int64_t before = 0;
    (void)cli_parse_time(o->before, &before); /* checked by check_purge() */
    unsigned long long removed = 0;
    idr_error err;
    int rc = idr_store_purge(st, before, &removed, &err);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: store %s: %s\n", o->db, err.message);
        return cli_exit_for(rc);
    }
    char when[32];
    cli_format_instant(before, when);
    printf("removed %llu candidate%s recorded before %s from %s\n", removed,
           removed == 1 ? "" : "s", when, o->db);
    return EXIT_SCORED;
}

static int store_stats(const cli_opts *o, idr_store *st) {
    char *out = NULL;
    idr_error err;
    int rc = idr_store_stats_json(st, &out, &err);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: store %s: %s\n", o->db, err.message);
        return cli_exit_for(rc);
    }
    cJSON *d = o->json ? NULL : cJSON_Parse(out);
    if (d) {
        cli_print_json_readable(d, 0);
        cJSON_Delete(d);
    } else {
        puts(out);
    }
    idr_free(out);
    return fflush(stdout) == 0 ? EXIT_SCORED : EXIT_FAIL;
}

int cli_cmd_store(const cli_opts *o) {
    static const struct {
        const char *name;
        int (*check)(const cli_opts *);
        int (*run)(const cli_opts *, idr_store *);
        unsigned flags;
    } subs[] = {{"forget", check_forget, store_forget, 0},
                {"purge", check_purge, store_purge, 0},
                {"stats", check_stats, store_stats, IDR_STORE_READONLY}};
    if (o->n_args < 2) {
        fprintf(stderr, "idrisk: store forget ID | purge --before DATE | stats, each "
                        "with --db STORE\n");
        return EXIT_BADINPUT;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        if (strcmp(o->args[1], subs[i].name) != 0) {
            continue;
        }
        if (!o->db) {
            fprintf(stderr, "idrisk: store %s needs --db STORE\n", subs[i].name);
            return EXIT_BADINPUT;
        }
        if (o->before && subs[i].run != store_purge) {
            fprintf(stderr, "idrisk: --before only applies to store purge\n");
            return EXIT_BADINPUT;
        }
        if (o->json && subs[i].run != store_stats) {
            fprintf(stderr, "idrisk: --json only applies to store stats\n");
            return EXIT_BADINPUT;
        }
        int ex = subs[i].check(o);
        if (ex != EXIT_SCORED) {
            return ex;
        }
        idr_store *st = NULL;
        ex = cli_open_store(o, subs[i].flags, &st);
        if (ex != EXIT_SCORED) {
            return ex;
        }
        ex = subs[i].run(o, st);
        idr_store_free(st);
        return ex;
    }
    fprintf(stderr, "idrisk: unknown store command %s (forget, purge, stats)\n",
            o->args[1]);
    return EXIT_BADINPUT;
}
