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
    idr__cfg_cidrs allow, relay;
    idr__limits limits;
    idr__verify_mode verify; /* IDR_CFG_VERIFY_DATA */
};

#endif
