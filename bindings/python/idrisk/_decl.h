/* SPDX-License-Identifier: Apache-2.0 */
/*
 * _decl.h - the declarations of include/idrisk/idrisk.h that the Python binding uses,
 * in the subset of C that cffi's cdef() parses (no IDR_API / IDR_NODISCARD macros).
 *
 * This is not a second source of truth: _build.py compiles the generated module with
 * `#include <idrisk/idrisk.h>`, so every prototype and struct below is checked by the C
 * compiler against the real header (incompatible pointer or integer conversions are
 * errors, see _build.py), and cffi checks the struct layouts again at import. Constants
 * written as `...` take their value from the real header.
 *
 * Kept in cdef-friendly layout (one declaration a line) rather than clang-format's.
 */
/* clang-format off */

#define IDR_OK ...
#define IDR_EINVAL ...
#define IDR_ENOMEM ...
#define IDR_EIO ...
#define IDR_EDATA ...
#define IDR_EUNAVAILABLE ...
#define IDR_ELIMIT ...
#define IDR_EINTERNAL ...
#define IDR_EBUSY ...

#define IDR_VERSION_NUMBER ...

#define IDR_FEATURE_GEO ...
#define IDR_FEATURE_PHONE ...
#define IDR_FEATURE_NAMES ...
#define IDR_FEATURE_STORE ...
#define IDR_FEATURE_POSTGRESQL ...

#define IDR_CFG_DATA_DIR ...
#define IDR_CFG_RULES_FILE ...
#define IDR_CFG_ALLOW_CIDR ...
#define IDR_CFG_RELAY_CIDR ...
#define IDR_CFG_MAX_INPUT_BYTES ...
#define IDR_CFG_MAX_DEPTH ...
#define IDR_CFG_MAX_ARRAY ...
#define IDR_CFG_LISTS_DIR ...
#define IDR_CFG_MAX_SESSIONS ...
#define IDR_CFG_VERIFY_DATA ...
#define IDR_CFG_SANCTIONS_FILE ...
#define IDR_CFG_SANCTIONS_FORMAT ...

const char *idr_strerror(int code);

typedef struct idr_error {
    int code;
    char field[128];
    char message[256];
    unsigned char reserved[124];
} idr_error;

int idr_version_number(void);
const char *idr_version_string(void);
unsigned idr_features(void);
void idr_free(void *ptr);

typedef struct idr_config idr_config;
int idr_config_new(idr_config **out);
void idr_config_free(idr_config *cfg);
int idr_config_set_str(idr_config *cfg, int key, const char *value, idr_error *err);
int idr_config_set_int(idr_config *cfg, int key, long long value, idr_error *err);
int idr_config_set_by_name(idr_config *cfg,
                           const char *name,
                           const char *value,
                           idr_error *err);

typedef struct idr_engine idr_engine;
int idr_engine_new(idr_engine **out, const idr_config *cfg, idr_error *err);
void idr_engine_free(idr_engine *eng);
int idr_engine_describe_json(const idr_engine *eng, char **out, idr_error *err);

typedef struct idr_candidate idr_candidate;
int idr_candidate_from_json(idr_candidate **out,
                            const idr_engine *eng,
                            const char *json,
                            size_t len,
                            idr_error *err);
void idr_candidate_free(idr_candidate *cand);
const char *idr_candidate_id(const idr_candidate *cand);
void idr_candidate_set_default_as_of(idr_candidate *cand, int64_t as_of);

typedef struct idr_result idr_result;
int idr_engine_score(const idr_engine *eng,
                     const idr_candidate *cand,
                     idr_result **out,
                     idr_error *err);
int idr_engine_score_json(const idr_engine *eng,
                          const char *json,
                          size_t len,
                          idr_result **out,
                          idr_error *err);
void idr_result_free(idr_result *res);
int idr_result_score(const idr_result *res);
const char *idr_result_band(const idr_result *res);
const char *idr_result_action(const idr_result *res);
const char *idr_result_candidate_id(const idr_result *res);

typedef enum idr_severity {
    IDR_SEVERITY_LOW = 0,
    IDR_SEVERITY_MEDIUM = 1,
    IDR_SEVERITY_HIGH = 2,
    IDR_SEVERITY_CRITICAL = 3
} idr_severity;

typedef struct idr_reason {
    const char *id;
    const char *category;
    const char *severity;
    double points;
    const char *title;
    const char *detail;
    const char *verify;
    size_t n_benign;
    const char *const *benign;
    size_t n_sources;
    const char *const *sources;
    idr_severity severity_code;
} idr_reason;

size_t idr_result_reason_count(const idr_result *res);
const idr_reason *idr_result_reason(const idr_result *res, size_t i);
int idr_result_to_json(const idr_result *res, char **out, size_t *len_out, idr_error *err);

int idr_engine_lookup_ip(const idr_engine *eng, const char *ip, char **out, idr_error *err);
int idr_engine_lookup_phone(const idr_engine *eng,
                            const char *number,
                            const char *country,
                            char **out,
                            idr_error *err);

/* The cross-candidate linkage store. */
#define IDR_STORE_CREATE ...
#define IDR_STORE_READONLY ...
#define IDR_STORE_BULK ...
#define IDR_STORE_KEY_BYTES ...
#define IDR_SCORE_RECORD ...

typedef struct idr_store idr_store;
int idr_store_open(idr_store **out, const char *path, const char *key_path, unsigned flags, idr_error *err);
int idr_store_open_with_key(idr_store **out, const char *path, const unsigned char *key, size_t key_len, unsigned flags, idr_error *err);
void idr_store_free(idr_store *st);
int idr_candidate_from_json_for_store(idr_candidate **out, const idr_engine *eng, idr_store *st, const char *json, size_t len, idr_error *err);
int idr_engine_score_linked(const idr_engine *eng, idr_store *st, const idr_candidate *cand, unsigned flags, idr_result **out, idr_error *err);
int idr_engine_score_json_linked(const idr_engine *eng, idr_store *st, const char *json, size_t len, unsigned flags, idr_result **out, idr_error *err);
int idr_store_record(idr_store *st, const idr_engine *eng, const idr_candidate *cand, idr_error *err);
int idr_store_sync(idr_store *st, idr_error *err);
int idr_store_set_busy_timeout(idr_store *st, unsigned ms);
int idr_store_forget(idr_store *st, const char *candidate_id, int *found, idr_error *err);
int idr_store_purge(idr_store *st, int64_t before, unsigned long long *removed, idr_error *err);
int idr_store_stats_json(idr_store *st, char **out, idr_error *err);

typedef struct idr_link_info {
    const char *candidate_id;
    const char *kind;
    const char *indicator;
} idr_link_info;
size_t idr_result_link_count(const idr_result *res);
const idr_link_info *idr_result_link(const idr_result *res, size_t i);
