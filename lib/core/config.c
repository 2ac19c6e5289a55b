/* SPDX-License-Identifier: Apache-2.0 */
/*
 * config.c - engine configuration: typed setters keyed by frozen integers, plus a
 * by-name setter for command lines and bindings. Bad values fail at set time, so an
 * engine is never built from a config that cannot work. A new config holds the
 * compiled-in defaults only; the library never reads the environment.
 */
#include "core/config.h"
#include "core/engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int idr_config_new(idr_config **out) {
    *out = NULL;
    idr__arena *a = idr__arena_new(NULL, 4096);
    idr_config *c = a ? idr__arena_calloc(a, sizeof *c) : NULL;
    if (!c) {
        idr__arena_free(a);
        return IDR_ENOMEM;
    }
    c->arena = a;
    c->limits = idr__default_limits;
    /* No environment here: the library uses only what the config says. The CLI and
     * the bindings read IDRISK_DATA_DIR / IDRISK_LISTS_DIR and set the options. */
    *out = c;
    return IDR_OK;
}

int idr_config_set_allocator(idr_config *cfg, const idr_allocator *a, idr_error *err) {
    if (!cfg) {
        return idr__err(err, IDR_EINVAL, NULL, "config must not be NULL");
    }
    if (a && (!a->malloc || !a->realloc || !a->free)) {
        return idr__err(err, IDR_EINVAL, "allocator",
                        "allocator: malloc, realloc and free must all be set");
    }
    cfg->has_alloc = a != NULL;
    if (a) {
        cfg->alloc = *a;
    }
    return IDR_OK;
}

void idr_config_free(idr_config *cfg) {
    if (cfg) {
        idr__arena_free(cfg->arena);
    }
}

static int add_cidr(idr_config *cfg,
                    idr__cfg_cidrs *set,
                    const char *name,
                    const char *v,
                    idr_error *err) {
    idr__cidr c;
    if (!idr__parse_cidr(v, &c)) {
        return idr__err(err, IDR_EINVAL, name,
                        "%s: \"%s\" is not an IPv4 or IPv6 CIDR range (e.g. 10.8.0.0/16)",
                        name, v);
    }
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 8;
        idr__cidr *nc = idr__arena_alloc(cfg->arena, cap * sizeof *nc);
        const char **nt = idr__arena_alloc(cfg->arena, cap * sizeof *nt);
        if (!nc || !nt) {
            return idr__err(err, IDR_ENOMEM, name, "out of memory");
        }
        if (set->n) {
            memcpy(nc, set->cidr, set->n * sizeof *nc);
            memcpy(nt, set->text, set->n * sizeof *nt);
        }
        set->cidr = nc;
        set->text = nt;
        set->cap = cap;
    }
    set->text[set->n] = idr__arena_strdup(cfg->arena, v);
    if (!set->text[set->n]) {
        return idr__err(err, IDR_ENOMEM, name, "out of memory");
    }
    set->cidr[set->n++] = c;
    return IDR_OK;
}

int idr_config_set_str(idr_config *cfg, int key, const char *value, idr_error *err) {
    if (!cfg || !value) {
        return idr__err(err, IDR_EINVAL, NULL, "config and value must not be NULL");
    }
    const char **dst = NULL;
    const char *name = NULL;
    switch (key) {
    case IDR_CFG_DATA_DIR:
        dst = &cfg->data_dir;
        name = "data_dir";
        break;
    case IDR_CFG_RULES_FILE:
        dst = &cfg->rules_file;
        name = "rules";
        break;
    case IDR_CFG_LISTS_DIR:
        dst = &cfg->lists_dir;
        name = "lists_dir";
        break;
    case IDR_CFG_VERIFY_DATA:
        if (strcmp(value, "stamp") == 0) {
            cfg->verify = IDR__VERIFY_STAMP;
        } else if (strcmp(value, "full") == 0) {
            cfg->verify = IDR__VERIFY_FULL;
        } else if (strcmp(value, "size") == 0) {
            cfg->verify = IDR__VERIFY_SIZE;
        } else if (strcmp(value, "off") == 0) {
            cfg->verify = IDR__VERIFY_OFF;
        } else {
            return idr__err(err, IDR_EINVAL, "verify_data",
                            "verify_data must be \"stamp\", \"full\", \"size\" or "
                            "\"off\", not \"%s\"",
                            value);
        }
        return IDR_OK;
    case IDR_CFG_SANCTIONS_FILE:
        dst = &cfg->sanctions_file;
        name = "sanctions_file";
        break;
    case IDR_CFG_SANCTIONS_FORMAT:
        if (strcmp(value, "auto") != 0 && strcmp(value, "sdn-csv") != 0 &&
            strcmp(value, "ftm") != 0) {
            return idr__err(err, IDR_EINVAL, "sanctions_format",
                            "sanctions_format must be \"auto\", \"sdn-csv\" or "
                            "\"ftm\", not \"%s\"",
                            value);
        }
        dst = &cfg->sanctions_format;
        name = "sanctions_format";
        break;
    case IDR_CFG_ALLOW_CIDR:
        return add_cidr(cfg, &cfg->allow, "allow_cidr", value, err);
    case IDR_CFG_RELAY_CIDR:
        return add_cidr(cfg, &cfg->relay, "relay_cidr", value, err);
    default:
        return idr__err(err, IDR_EINVAL, NULL, "option %d is not a string option", key);
    }
    if (!*value) {
        return idr__err(err, IDR_EINVAL, name, "%s must not be empty", name);
    }
    *dst = idr__arena_strdup(cfg->arena, value);
    return *dst ? IDR_OK : idr__err(err, IDR_ENOMEM, name, "out of memory");
}

int idr_config_set_int(idr_config *cfg, int key, long long value, idr_error *err) {
    if (!cfg) {
        return idr__err(err, IDR_EINVAL, NULL, "config must not be NULL");
    }
    switch (key) {
    case IDR_CFG_MAX_INPUT_BYTES:
        if (value < 1024 || value > (64LL << 20)) {
            return idr__err(err, IDR_EINVAL, "max_input_bytes",
                            "max_input_bytes must be 1024..67108864, not %lld", value);
        }
        cfg->limits.max_input_bytes = (size_t)value;
        return IDR_OK;
    case IDR_CFG_MAX_DEPTH:
        if (value < 4 || value > 64) {
            return idr__err(err, IDR_EINVAL, "max_depth",
                            "max_depth must be 4..64, not %lld", value);
        }
        cfg->limits.max_depth = (int)value;
        return IDR_OK;
    case IDR_CFG_MAX_ARRAY:
        if (value < 1 || value > 100000) {
            return idr__err(err, IDR_EINVAL, "max_array",
                            "max_array must be 1..100000, not %lld", value);
        }
        cfg->limits.max_array = (size_t)value;
        return IDR_OK;
    case IDR_CFG_MAX_SESSIONS:
        if (value < 1 || value > 1000000) {
            return idr__err(err, IDR_EINVAL, "max_sessions",
                            "max_sessions must be 1..1000000, not %lld", value);
        }
        cfg->limits.max_sessions = (size_t)value;
        return IDR_OK;
    default:
        return idr__err(err, IDR_EINVAL, NULL, "option %d is not an integer option", key);
    }
}

static const struct {
    const char *name;
    int key;
    bool is_int;
} options[] = {
    {"data_dir", IDR_CFG_DATA_DIR, false},
    {"rules", IDR_CFG_RULES_FILE, false},
    {"allow_cidr", IDR_CFG_ALLOW_CIDR, false},
    {"relay_cidr", IDR_CFG_RELAY_CIDR, false},
    {"max_input_bytes", IDR_CFG_MAX_INPUT_BYTES, true},
    {"max_depth", IDR_CFG_MAX_DEPTH, true},
    {"max_array", IDR_CFG_MAX_ARRAY, true},
    {"max_sessions", IDR_CFG_MAX_SESSIONS, true},
    {"lists_dir", IDR_CFG_LISTS_DIR, false},
    {"verify_data", IDR_CFG_VERIFY_DATA, false},
    {"sanctions_file", IDR_CFG_SANCTIONS_FILE, false},
    {"sanctions_format", IDR_CFG_SANCTIONS_FORMAT, false},
};

int idr_config_set_by_name(idr_config *cfg,
                           const char *name,
                           const char *value,
                           idr_error *err) {
    if (!cfg || !name || !value) {
        return idr__err(err, IDR_EINVAL, NULL, "config, name and value must not be NULL");
    }
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        if (strcmp(options[i].name, name) != 0) {
            continue;
        }
        if (!options[i].is_int) {
            return idr_config_set_str(cfg, options[i].key, value, err);
        }
        char *end;
        errno = 0;
        long long v = strtoll(value, &end, 10);
        if (errno || end == value || *end) {
            return idr__err(err, IDR_EINVAL, name,
                            "%s must be a decimal integer, not \"%s\"", name, value);
        }
        return idr_config_set_int(cfg, options[i].key, v, err);
    }
    return idr__err(err, IDR_EINVAL, name, "unknown option \"%s\"", name);
}
