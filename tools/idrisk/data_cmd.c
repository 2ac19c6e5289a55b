/* SPDX-License-Identifier: Apache-2.0 */
/*
 * data_cmd.c - `idrisk data fetch|verify|index [--data-dir DIR]`: the fetched
 * databases.
 *
 *   idrisk data fetch    run the fetch script (tools/fetch-data.sh), then verify,
 *                        then index
 *   idrisk data verify   every manifest-named file hashed in full against its
 *                        manifest; a stamp written for each that matches
 *   idrisk data index    the gazetteer indexes engine build maps
 *                        (idr_data_build_indexes(), docs/geo.md)
 *
 * The directory is --data-dir, else IDRISK_DATA_DIR. verify prints one line per
 * manifest, `STATUS NAME PATH[: detail]` (STATUS as idr_data_verify() reports it: ok,
 * damaged, missing, unreadable, changed, unverified), and exits 0 when every file
 * matches and is stamped, 1 otherwise. The stamps let engines in the default verify
 * mode skip reading the files (docs/data-integrity.md); the library writes them, not
 * this front end, so that the format has one reader and one writer in one file
 * (lib/enrich/verify.c).
 */
#define _POSIX_C_SOURCE 200809L

#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef IDR_FETCH_SCRIPT_INSTALLED
    #define IDR_FETCH_SCRIPT_INSTALLED ""
#endif
#ifndef IDR_FETCH_SCRIPT_SOURCE
    #define IDR_FETCH_SCRIPT_SOURCE ""
#endif

static bool is_file(const char *p) {
    struct stat st;
    return p && *p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static void print_check(void *ctx,
                        const char *name,
                        const char *path,
                        const char *status,
                        const char *detail) {
    (void)ctx;
    printf("%-10s %-26s %s%s%s\n", status, name, path, *detail ? ": " : "", detail);
    fflush(stdout);
}

static int verify(const char *dir) {
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_data_verify(dir, print_check, NULL, &err);
    if (rc != IDR_OK) {
        fprintf(stderr, "idrisk: data verify: %s\n", err.message);
        return EXIT_FAIL;
    }
    fprintf(stderr,
            "idrisk: data verify: every file in %s matches its manifest; "
            "stamps written\n",
            dir);
    return EXIT_SCORED;
}

/* The gazetteer indexes engine build maps (idr_data_build_indexes). */
static int build_indexes(const char *dir) {
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_data_build_indexes(dir, &err) != IDR_OK) {
        fprintf(stderr, "idrisk: %s\n", err.message);
        return EXIT_FAIL;
    }
    return EXIT_SCORED;
}

static int fetch(const char *dir) {
    const char *script = getenv("IDRISK_FETCH_SCRIPT");
    if (!is_file(script)) {
        script = is_file(IDR_FETCH_SCRIPT_INSTALLED) ? IDR_FETCH_SCRIPT_INSTALLED
                                                     : IDR_FETCH_SCRIPT_SOURCE;
    }
    if (!is_file(script)) {
        fprintf(stderr, "idrisk: the fetch script is not installed\n");
        return EXIT_FAIL;
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
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        return EXIT_FAIL;
    }
    /* The script checked what it kept against the manifests with sha256sum; this
     * checks everything once more in the library and leaves the stamps that spare
     * every engine build the hash; then the indexes that spare it the parse. */
    int rc = verify(dir);
    return rc == EXIT_SCORED ? build_indexes(dir) : rc;
}

int cli_cmd_data(const cli_opts *o) {
    bool is_fetch = o->n_args == 2 && strcmp(o->args[1], "fetch") == 0;
    bool is_verify = o->n_args == 2 && strcmp(o->args[1], "verify") == 0;
    bool is_index = o->n_args == 2 && strcmp(o->args[1], "index") == 0;
    if (!is_fetch && !is_verify && !is_index) {
        fprintf(stderr, "idrisk: data fetch|verify|index [--data-dir DIR]\n");
        return EXIT_BADINPUT;
    }
    const char *dir = o->data_dir ? o->data_dir : getenv("IDRISK_DATA_DIR");
    if (!dir || !*dir) {
        fprintf(stderr, "idrisk: data %s needs --data-dir DIR or IDRISK_DATA_DIR\n",
                o->args[1]);
        return EXIT_BADINPUT;
    }
    return is_fetch ? fetch(dir) : is_verify ? verify(dir) : build_indexes(dir);
}
