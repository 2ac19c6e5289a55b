/* SPDX-License-Identifier: Apache-2.0 */
/*
 * env_config.h - the environment defaults for test and bench programs.
 *
 * The library reads no environment (issue 8): the CLI and the Python binding turn
 * IDRISK_DATA_DIR and IDRISK_LISTS_DIR into config options, and so do the test and
 * bench programs that build engines, through this helper. Call it right after
 * idr_config_new(): options set afterwards override what it set, as before. The CMake
 * test definitions set the two variables (the fetched data and the source data/).
 */
#ifndef IDRISK_TESTS_ENV_CONFIG_H
#define IDRISK_TESTS_ENV_CONFIG_H

#include <stdlib.h>

#include "idrisk/idrisk.h"

/* Set data_dir from IDRISK_DATA_DIR and lists_dir from IDRISK_LISTS_DIR when they are
 * set and non-empty, and verify_data from IDRISK_VERIFY_DATA, "off" when unset: the
 * unit tests build hundreds of engines over the same fetched data and hashing it
 * (about 1 s per engine) would multiply the suite's time; the golden test (through
 * the CLI) and test_datafaults verify. @return IDR_OK or the failing setter's status. */
static inline int test_config_from_env(idr_config *cfg, idr_error *err) {
    const char *verify = getenv("IDRISK_VERIFY_DATA");
    int vrc = idr_config_set_by_name(cfg, "verify_data",
                                     verify && *verify ? verify : "off", err);
    if (vrc != IDR_OK) {
        return vrc;
    }
    static const struct {
        const char *var;
        int key;
    } vars[] = {
        {"IDRISK_DATA_DIR", IDR_CFG_DATA_DIR},
        {"IDRISK_LISTS_DIR", IDR_CFG_LISTS_DIR},
    };
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i].var);
        if (v && *v) {
            int rc = idr_config_set_str(cfg, vars[i].key, v, err);
            if (rc != IDR_OK) {
                return rc;
            }
        }
    }
    return IDR_OK;
}

#endif /* IDRISK_TESTS_ENV_CONFIG_H */
