/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_engine.h - one engine builder for the unit tests that need a particular data
 * directory or address ranges: the environment's defaults (env_config.h), the source
 * tree's default pack, then the given options. Fails the test on any error.
 */
#ifndef IDRISK_TESTS_TEST_ENGINE_H
#define IDRISK_TESTS_TEST_ENGINE_H

#include <criterion/criterion.h>
#include <string.h>

#include "env_config.h"
#include "idrisk/idrisk.h"

/* An engine on `data_dir`; `lists_dir`, `allow` and `relay` (a CIDR range each) are
 * set when not NULL. The caller frees it. */
static inline idr_engine *test_engine_with(const char *data_dir,
                                           const char *lists_dir,
                                           const char *allow,
                                           const char *relay) {
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(test_config_from_env(cfg, &err), IDR_OK, "%s", err.message);
    const struct {
        int key;
        const char *value;
    } opts[] = {
        {IDR_CFG_RULES_FILE, IDR_TEST_SOURCE_DIR "/data/rules/default.pack"},
        {IDR_CFG_DATA_DIR, data_dir},
        {IDR_CFG_LISTS_DIR, lists_dir},
        {IDR_CFG_ALLOW_CIDR, allow},
        {IDR_CFG_RELAY_CIDR, relay},
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        if (opts[i].value) {
            cr_assert_eq(idr_config_set_str(cfg, opts[i].key, opts[i].value, &err),
                         IDR_OK, "%s", err.message);
        }
    }
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    cr_assert_eq(rc, IDR_OK, "engine: %s (%s)", err.message, err.field);
    return eng;
}

#endif /* IDRISK_TESTS_TEST_ENGINE_H */
