/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/config.h - the config's layout, shared by config.c and engine.c only.
 */
#ifndef IDRISK_CORE_CONFIG_H
#define IDRISK_CORE_CONFIG_H

#include "core/engine.h"

typedef struct idr__cfg_cidrs {
    idr__cidr *cidr;
    const char **text;
    size_t n, cap;
} idr__cfg_cidrs;

struct idr_config {
    idr__arena *arena;
    const char *data_dir, *rules_file, *lists_dir;
    const char *sanctions_file, *sanctions_format; /* IDR_CFG_SANCTIONS_* */
    idr__cfg_cidrs allow, relay;
    idr__limits limits;
    idr__alloc alloc; /* the engine's allocator when has_alloc (the config's own arena
                         is always the C library's: it exists before the hook is set) */
    bool has_alloc;
    idr__verify_mode verify; /* IDR_CFG_VERIFY_DATA */
};

#endif
