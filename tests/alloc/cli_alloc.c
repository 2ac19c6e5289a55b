/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli_alloc.c - the allocation-failure hook of the test-only CLI build
 * `idrisk_allocfail` (tests/alloc.cmake): the real `idrisk` sources compiled with
 * IDR_CLI_TEST_ALLOC, so that `idrisk batch` runs with a counting allocator installed
 * through idr_config_set_allocator (issue 9 item 2: "through ... the store and
 * batch"). Never part of the installed CLI.
 *
 * Environment (read by this test build only):
 *   IDRISK_TEST_ALLOC_FAIL_AT=N   fail the Nth library allocation counted after the
 *                                 engine was built, and every later one (a full heap)
 *   IDRISK_TEST_ALLOC_REPORT=1    print "alloc-test: count=C failed=F" on stderr at exit
 * Counting starts when the engine is built (cli_test_alloc_arm): engine build is
 * covered allocation by allocation by tests/alloc/alloc_fail.c; this build is about
 * what the batch does with a failure in the middle of its records.
 * Batch workers allocate concurrently, so the counters are atomic.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "idrisk/idrisk.h"

#include "cli.h"

static atomic_long alloc_count;
static atomic_long alloc_failed;
static atomic_bool armed;
static long fail_at;

static bool inject(void) {
    if (!atomic_load(&armed)) {
        return false;
    }
    long n = atomic_fetch_add(&alloc_count, 1) + 1;
    if (fail_at > 0 && n >= fail_at) {
        atomic_fetch_add(&alloc_failed, 1);
        return true;
    }
    return false;
}

static void *t_malloc(void *ctx, size_t n) {
    (void)ctx;
    return inject() ? NULL : malloc(n);
}

static void *t_realloc(void *ctx, void *p, size_t n) {
    (void)ctx;
    return inject() ? NULL : realloc(p, n);
}

static void t_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

static void report(void) {
    fprintf(stderr, "alloc-test: count=%ld failed=%ld\n", atomic_load(&alloc_count),
            atomic_load(&alloc_failed));
}

int cli_test_alloc_install(idr_config *cfg) {
    static const idr_allocator a = {
        .malloc = t_malloc, .realloc = t_realloc, .free = t_free, .ctx = NULL};
    const char *at = getenv("IDRISK_TEST_ALLOC_FAIL_AT");
    const char *rep = getenv("IDRISK_TEST_ALLOC_REPORT");
    fail_at = at ? strtol(at, NULL, 10) : 0;
    if (rep && *rep == '1') {
        atexit(report);
    }
    idr_error err;
    return idr_config_set_allocator(cfg, &a, &err);
}

void cli_test_alloc_arm(void) {
    atomic_store(&armed, true);
}
