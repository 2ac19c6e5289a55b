/* SPDX-License-Identifier: Apache-2.0 */
/*
 * pack/pack.h - the rule pack: every indicator's points, severity, texts and sources,
 * the combinations and the band thresholds (data/rules/default.pack, docs/rulepack.md).
 *
 * Layer 2: includes util only. The indicator descriptor is declared here because the
 * pack is checked against it (ids exist, templates use only evidence keys the
 * indicator reports); the descriptors themselves are defined by lib/rules, and the
 * scoring context they take is opaque at this layer.
 */
#ifndef IDRISK_PACK_H
#define IDRISK_PACK_H

#include "util/util.h"

/* ====================================================================================
 * Indicator descriptors (defined by lib/rules) and the rule pack (lib/pack/rulepack.c).
 * ================================================================================== */
typedef enum {
    IDR__SEV_LOW = 0,
    IDR__SEV_MEDIUM,
    IDR__SEV_HIGH,
    IDR__SEV_CRITICAL
} idr__severity;
const char *idr__severity_name(idr__severity s);

typedef struct idr__ctx idr__ctx;
typedef struct idr__indicator idr__indicator;
typedef void (*idr__eval_fn)(idr__ctx *ctx, const idr__indicator *ind);

/* What an indicator needs from the engine; when the engine lacks it the indicator is
 * reported "not evaluated" with the module's reason without running. */
enum {
    IDR__NEED_GEO = 1u << 0,   /* any IP database */
    IDR__NEED_PHONE = 1u << 1, /* libphonenumber */
    IDR__NEED_NAMES = 1u << 2, /* ICU normaliser */
    IDR__NEED_LISTS = 1u << 3, /* curated lists loaded from data/ */
    IDR__NEED_STORE = 1u << 4  /* cross-candidate store (not built yet) */
};

/* A threshold an indicator compares against: named, with a default and bounds, so that
 * tuning lives in the rule pack beside the points (`param.<name> = <number>` in the
 * indicator's entry; docs/rulepack.md "Parameters"). The default's source is cited
 * where the descriptor is defined. */
typedef struct idr__param {
    const char *name; /* lower case [a-z0-9_], e.g. "min_speed_kmh" */
    double def;       /* the value when the pack does not set it */
    double min, max;  /* a pack value outside [min, max] is refused (IDR_EDATA) */
    const char *doc;  /* one line: what it measures, with its unit */
} idr__param;

/* At most this many parameters per indicator. */
#define IDR__MAX_PARAMS 16

struct idr__indicator {
    const char *id;                   /* catalog id from indicators.md */
    const char *const *evidence_keys; /* NULL-terminated; what templates may use */
    idr__eval_fn eval;
    unsigned needs;           /* IDR__NEED_* */
    const idr__param *params; /* [n_params] thresholds, in the order rules index them */
    size_t n_params;
    /* Ids this indicator had before a rename, NULL-terminated (or NULL): a rule pack
     * may still name it by one of them for one release, with a warning naming the new
     * id (docs/rulepack.md "Renamed ids"). The lookup (idr__indicator_lookup) finds an
     * indicator by these too; the pack keeps only the new id. */
    const char *const *aliases;
};

/* How the pack loader finds the implementation of an indicator id: the engine hands it
 * lib/rules' registry (idr__indicator_find), so this layer never names the rules. */
typedef const idr__indicator *(*idr__indicator_lookup)(const char *id);

typedef struct idr__rule {
    const char *id;
    const char *category;
    idr__severity severity;
    double points;
    const char *title;
    const char *detail; /* template with {key} placeholders */
    const char *verify;
    const char **benign;
    size_t n_benign;
    const char **sources;
    size_t n_sources;
    const char *basis; /* "catalog" or "project" */
    /* The verification steps `verify` asks for ([steps] keys, most useful first) and
     * their texts, resolved at load; none when the entry has no `steps` key. */
    const char **step_ids, **step_texts;
    size_t n_steps;
    const idr__indicator *ind;
    const double *params; /* [ind->n_params]: the pack's values, else the defaults */
} idr__rule;

typedef struct idr__combo {
    const char *id;
    const char *title;
    const char *detail;
    const char *verify;
    idr__severity severity;
    double points;
    /* groups[g] is a set of indicator ids; the combination fires when every group has
     * at least one hit. */
    const char ***groups;
    size_t *group_len;
    size_t n_groups;
    const char **sources;
    size_t n_sources;
    const char **benign;
    size_t n_benign;
    const char **step_ids, **step_texts; /* as in idr__rule */
    size_t n_steps;
} idr__combo;

/* A documented accommodation or declared explanation (a string of the record's
 * `accommodations`) and the indicators it explains: when the record carries `name`,
 * each fired indicator in `suppresses` is moved to the result's `suppressed` list,
 * after the evaluators ran and before the combinations are counted, so an explanation
 * can only take points away (docs/rulepack.md "[explanation NAME]"). */
typedef struct idr__explanation {
    const char *name;  /* lower case, as the parser lower-cases accommodations */
    const char *label; /* "documented accommodation" or "declared explanation" */
    const char **suppresses;
    size_t n_suppresses;
    int line; /* of its `suppresses` key, for validation messages */
    const char **sources;
    size_t n_sources;
} idr__explanation;

typedef struct idr__rulepack {
    idr__arena *arena;
    const char *id, *version;
    char sha256[65];
    double band_medium, band_high, band_critical; /* score thresholds */
    idr__rule *rules;
    size_t n_rules;
    idr__combo *combos;
    size_t n_combos;
    idr__explanation *explanations;
    size_t n_explanations;
    const char **source_keys, **source_texts; /* [sources] section, in file order */
    size_t n_source_defs;
    const char **step_keys, **step_defs; /* [steps] section, in file order */
    size_t n_step_defs;
    /* Load warnings, in file order (a renamed id used: "<file>:<line>: ..."); the
     * engine makes them engine warnings. */
    const char **warnings;
    size_t n_warnings;
} idr__rulepack;

int idr__rulepack_load(idr__rulepack **out,
                       const char *text,
                       size_t len,
                       const char *name,
                       idr__indicator_lookup find,
                       idr_error *err);
int idr__rulepack_load_file(idr__rulepack **out,
                            const char *path,
                            idr__indicator_lookup find,
                            idr_error *err);
/* The same with the pack's memory (its arena, the file text) from `al` (NULL: the C
 * library); the pack keeps the allocator in its arena. */
int idr__rulepack_load_al(idr__rulepack **out,
                          const idr__alloc *al,
                          const char *text,
                          size_t len,
                          const char *name,
                          idr__indicator_lookup find,
                          idr_error *err);
int idr__rulepack_load_file_al(idr__rulepack **out,
                               const idr__alloc *al,
                               const char *path,
                               idr__indicator_lookup find,
                               idr_error *err);
void idr__rulepack_free(idr__rulepack *p);
const idr__rule *idr__rulepack_find(const idr__rulepack *p, const char *id);

#endif /* IDRISK_PACK_H */
