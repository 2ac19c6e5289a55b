/* SPDX-License-Identifier: Apache-2.0 */
/*
 * engine.c - build, describe and free an engine.
 *
 * Everything that can be done once is done here: the rule pack is parsed and
 * validated, the databases are opened and the lists loaded. After idr_engine_new()
 * returns, nothing in the engine changes, which is what makes one engine safe to share
 * between scoring threads without locks.
 */
#include "core/engine.h"
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#ifndef IDR_DATA_INSTALL_DIR
    #define IDR_DATA_INSTALL_DIR "/usr/local/share/idrisk"
#endif

int idr_version_number(void) {
    return IDR_VERSION_NUMBER;
}

const char *idr_version_string(void) {
    return IDR_VERSION_STRING;
}

/* What this build contains, nothing more. */
unsigned idr_features(void) {
    return IDR_FEATURE_GEO | IDR_FEATURE_PHONE | IDR_FEATURE_NAMES | IDR_FEATURE_STORE;
}

static bool file_exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The curated lists and default pack: the configured directory, else the installed
 * one, else (for a build tree that was never installed) the source tree's data/. */
static const char *pick_lists_dir(idr__arena *a, const idr_config *cfg) {
    if (cfg->lists_dir) {
        return idr__arena_strdup(a, cfg->lists_dir);
    }
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/rules/default.pack", IDR_DATA_INSTALL_DIR);
    if (file_exists(probe)) {
        return IDR_DATA_INSTALL_DIR;
    }
#ifdef IDR_SOURCE_DATA_DIR
    return IDR_SOURCE_DATA_DIR;
#else
    return IDR_DATA_INSTALL_DIR;
#endif
}

static int copy_cidrs(idr_engine *eng,
                      const idr__cfg_cidrs *src,
                      const idr__cidr **cidr_out,
                      const char *const **text_out,
                      size_t *n) {
    *n = src->n;
    if (!src->n) {
        return IDR_OK;
    }
    idr__cidr *cidr = idr__arena_alloc(eng->arena, src->n * sizeof *cidr);
    const char **text = idr__arena_alloc(eng->arena, src->n * sizeof *text);
    if (!cidr || !text) {
        return IDR_ENOMEM;
    }
    memcpy(cidr, src->cidr, src->n * sizeof *cidr);
    for (size_t i = 0; i < src->n; i++) {
        text[i] = idr__arena_strdup(eng->arena, src->text[i]);
    }
    *cidr_out = cidr;
    *text_out = text;
    return IDR_OK;
}

/* One taxonomy: a rule's pack category must be its indicator's family (the file that
 * implements it and the id prefix), so an indicator can be found from its id. */
static int check_taxonomy(const idr__rulepack *p, idr_error *err) {
    for (size_t i = 0; i < p->n_rules; i++) {
        const idr__rule *r = &p->rules[i];
        const idr__family *f = idr__indicator_family(r->ind);
        if (f && strcmp(r->category, f->name) != 0) {
            char field[128];
            snprintf(field, sizeof field, "%s.category", r->id);
            return idr__err(err, IDR_EDATA, field,
                            "%s: category \"%s\" is not the indicator's family \"%s\" "
                            "(ids %s*, %s)",
                            field, r->category, f->name, f->prefix, f->file);
        }
    }
    return IDR_OK;
}

static const char *render(const idr_engine *eng,
                          void (*fn)(const idr_engine *, idr__jw *));
static void render_data_list(const idr_engine *eng, idr__jw *w);
static void render_ruleset(const idr_engine *eng, idr__jw *w);

int idr_engine_new(idr_engine **out, const idr_config *cfg, idr_error *err) {
    if (!out) {
        return idr__err(err, IDR_EINVAL, NULL, "out must not be NULL");
    }
    *out = NULL;
    if (idr__crypto_init() != 0) {
        return idr__err(err, IDR_EINTERNAL, NULL, "libsodium could not be initialised");
    }
    if (!cfg) {
        /* NULL means the defaults, which are exactly what a new config holds. */
        idr_config *defaults = NULL;
        if (idr_config_new(&defaults) != IDR_OK) {
            return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
        }
        int rc = idr_engine_new(out, defaults, err);
        idr_config_free(defaults);
        return rc;
    }
    idr__arena *a =
        idr__arena_new(cfg->has_alloc ? &cfg->alloc : NULL, (size_t)16 * 1024);
    idr_engine *eng = a ? idr__arena_calloc(a, sizeof *eng) : NULL;
    if (!eng) {
        idr__arena_free(a);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    eng->arena = a;
    eng->refs = idr__arena_alloc(a, sizeof *eng->refs);
    if (!eng->refs) {
        idr__arena_free(a);
        return idr__err(err, IDR_ENOMEM, NULL, "out of memory");
    }
    atomic_init(eng->refs, 1); /* the caller's */
    idr__id_key_random(&eng->id_key);
    eng->limits = cfg->limits;
    eng->data_dir =
        cfg->data_dir ? idr__arena_strdup(a, cfg->data_dir) : IDR_DATA_INSTALL_DIR;
    eng->lists_dir = pick_lists_dir(a, cfg);
    idr__modules *m = &eng->mods;
    int rc = copy_cidrs(eng, &cfg->allow, &m->allow, &m->allow_text, &m->n_allow);
    if (rc == IDR_OK) {
        rc = copy_cidrs(eng, &cfg->relay, &m->relay, &m->relay_text, &m->n_relay);
    }
    if (rc) {
        idr_engine_free(eng);
        return idr__err(err, rc, NULL, "out of memory");
    }

    if (cfg->rules_file) {
        rc = idr__rulepack_load_file_al(&eng->pack, idr__arena_allocator(a),
                                        cfg->rules_file, idr__indicator_find, err);
    } else {
        char path[4096];
        snprintf(path, sizeof path, "%s/rules/default.pack", eng->lists_dir);
        rc = idr__rulepack_load_file_al(&eng->pack, idr__arena_allocator(a), path,
                                        idr__indicator_find, err);
    }
    if (rc == IDR_OK) {
        rc = check_taxonomy(eng->pack, err);
    }
    if (rc) {
        idr_engine_free(eng);
        return rc;
    }

    /* Modules: a module with nothing to load leaves its handle NULL and says why; its
     * indicators then report "not evaluated" with that reason. The modules see only
     * the loader, never the engine. */
    idr__loader ld = {.arena = a,
                      .al = idr__arena_allocator(a),
                      .data_dir = eng->data_dir,
                      .lists_dir = eng->lists_dir,
                      .sanctions_file = cfg->sanctions_file,
                      .sanctions_format = cfg->sanctions_format,
                      .verify = cfg->verify};
    for (size_t i = 0; rc == IDR_OK && i < eng->pack->n_warnings; i++) {
        rc = idr__loader_warn(&ld, "rule pack: %s", eng->pack->warnings[i]);
    }
    if (rc == IDR_OK) {
        rc = idr__modules_open(m, &ld);
    }
    if (rc == IDR_OK && (ld.oom || idr__arena_failed(a))) {
        /* a copy or a list a module could not report itself */
        rc = IDR_ENOMEM;
    }
    eng->data = ld.data;
    eng->n_data = ld.n_data;
    eng->warnings = ld.warnings;
    if (rc == IDR_OK) {
        eng->ruleset_json = render(eng, render_ruleset);
        eng->data_json = render(eng, render_data_list);
        if (!eng->ruleset_json || !eng->data_json) {
            rc = IDR_ENOMEM;
        }
    }
    eng->checked = ld.checked;
    if (rc && ld.fail) {
        /* a list the caller named could not be used: say which and why (copied out of
         * the engine arena before it is freed) */
        char why[1024];
        snprintf(why, sizeof why, "%s", ld.fail);
        idr_engine_free(eng);
        return idr__err(err, rc, "sanctions_file", "%s", why);
    }
    if (rc) {
        idr_engine_free(eng);
        return idr__err(err, rc, NULL, "cannot build the engine: %s", idr_strerror(rc));
    }
    *out = eng;
    return IDR_OK;
}

static void engine_destroy(const idr_engine *ceng) {
    /* The last reference is gone: nobody else can see the engine any more. */
    idr_engine *eng = (idr_engine *)ceng;
    idr__modules_close(&eng->mods);
    idr__rulepack_free(eng->pack);
    idr__arena_free(eng->arena);
}

void idr__engine_retain(const idr_engine *eng) {
    /* Relaxed: whoever retains already holds a reference, so the count cannot be
     * reaching zero meanwhile. */
    atomic_fetch_add_explicit(eng->refs, 1, memory_order_relaxed);
}

void idr__engine_release(const idr_engine *eng) {
    /* acq_rel: the last releaser sees every other thread's reads of the engine done
     * before it destroys it. */
    if (eng && atomic_fetch_sub_explicit(eng->refs, 1, memory_order_acq_rel) == 1) {
        engine_destroy(eng);
    }
}

void idr_engine_free(idr_engine *eng) {
    idr__engine_release(eng); /* the caller's reference; results keep theirs */
}

static const char *needs_text(unsigned needs) {
    if (needs & IDR__NEED_STORE) {
        return "store";
    }
    if (needs & IDR__NEED_GEO) {
        return "geo";
    }
    if (needs & IDR__NEED_PHONE) {
        return "phone";
    }
    if (needs & IDR__NEED_LISTS) {
        return "lists";
    }
    if (needs & IDR__NEED_NAMES) {
        return "names";
    }
    return NULL;
}

static void write_strs(idr__jw *w, const char *key, const char *const *v, size_t n) {
    idr__jw_arr_begin(w, key);
    for (size_t i = 0; i < n; i++) {
        idr__jw_str(w, NULL, v[i]);
    }
    idr__jw_arr_end(w);
}

static void render_data_list(const idr_engine *eng, idr__jw *w) {
    idr__jw_arr_begin(w, NULL);
    for (size_t i = 0; i < eng->n_data; i++) {
        const idr__data_entry *d = &eng->data[i];
        idr__jw_obj_begin(w, NULL);
        idr__jw_str(w, "name", d->name);
        idr__jw_str(w, "type", d->type);
        idr__jw_str(w, "version", d->version);
        idr__jw_str(w, "build_date", d->build_date);
        if (d->license) {
            idr__jw_str(w, "license", d->license);
        }
        if (d->attribution) {
            idr__jw_str(w, "attribution", d->attribution);
        }
        idr__jw_obj_end(w);
    }
    idr__jw_arr_end(w);
}

static void render_ruleset(const idr_engine *eng, idr__jw *w) {
    idr__jw_obj_begin(w, NULL);
    idr__jw_str(w, "id", eng->pack->id);
    idr__jw_str(w, "version", eng->pack->version);
    idr__jw_str(w, "sha256", eng->pack->sha256);
    idr__jw_obj_end(w);
}

/* `render` into a string of the engine arena; NULL when out of memory. The buffer
 * grows through the engine's allocator; only the arena copy outlives the call. */
static const char *render(const idr_engine *eng,
                          void (*fn)(const idr_engine *, idr__jw *)) {
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(eng->arena));
    idr__jw w;
    idr__jw_init(&w, &b, false);
    fn(eng, &w);
    const char *out = !b.oom && b.p ? idr__arena_strndup(eng->arena, b.p, b.len) : NULL;
    idr__buf_free(&b);
    return out;
}

void idr__write_data_list(const idr_engine *eng, idr__jw *w) {
    idr__jw_raw(w, "data", eng->data_json);
}

void idr__write_ruleset(const idr_engine *eng, idr__jw *w) {
    idr__jw_raw(w, "ruleset", eng->ruleset_json);
}

int idr_engine_describe_json(const idr_engine *eng, char **out, idr_error *err) {
    if (!eng || !out) {
        return idr__err(err, IDR_EINVAL, NULL, "engine and out must not be NULL");
    }
    const idr__rulepack *p = eng->pack;
    idr__buf b;
    idr__buf_init(&b, idr__arena_allocator(eng->arena));
    idr__jw w;
    idr__jw_init(&w, &b, false);
    idr__jw_obj_begin(&w, NULL);
    idr__write_ruleset(eng, &w);
    idr__jw_num(&w, "band_medium", p->band_medium);
    idr__jw_num(&w, "band_high", p->band_high);
    idr__jw_num(&w, "band_critical", p->band_critical);
    idr__jw_arr_begin(&w, "indicators");
    for (size_t i = 0; i < p->n_rules; i++) {
        const idr__rule *r = &p->rules[i];
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "id", r->id);
        idr__jw_str(&w, "category", r->category);
        idr__jw_str(&w, "severity", idr__severity_name(r->severity));
        idr__jw_num(&w, "points", r->points);
        idr__jw_str(&w, "basis", r->basis);
        idr__jw_str(&w, "title", r->title);
        idr__jw_str(&w, "verify", r->verify);
        write_strs(&w, "steps", r->step_ids, r->n_steps);
        write_strs(&w, "sources", r->sources, r->n_sources);
        const char *need = needs_text(r->ind->needs);
        idr__jw_str(&w, "needs", need);
        idr__jw_arr_begin(&w, "params");
        for (size_t k = 0; k < r->ind->n_params; k++) {
            const idr__param *pm = &r->ind->params[k];
            idr__jw_obj_begin(&w, NULL);
            idr__jw_str(&w, "name", pm->name);
            idr__jw_num(&w, "value", r->params[k]);
            idr__jw_num(&w, "default", pm->def);
            idr__jw_num(&w, "min", pm->min);
            idr__jw_num(&w, "max", pm->max);
            idr__jw_str(&w, "doc", pm->doc);
            idr__jw_obj_end(&w);
        }
        idr__jw_arr_end(&w);
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    idr__jw_arr_begin(&w, "combinations");
    for (size_t i = 0; i < p->n_combos; i++) {
        const idr__combo *c = &p->combos[i];
        idr__jw_obj_begin(&w, NULL);
        idr__jw_str(&w, "id", c->id);
        idr__jw_str(&w, "severity", idr__severity_name(c->severity));
        idr__jw_num(&w, "points", c->points);
        idr__jw_str(&w, "title", c->title);
        idr__jw_arr_begin(&w, "all");
        for (size_t g = 0; g < c->n_groups; g++) {
            write_strs(&w, NULL, c->groups[g], c->group_len[g]);
        }
        idr__jw_arr_end(&w);
        idr__jw_str(&w, "verify", c->verify);
        write_strs(&w, "steps", c->step_ids, c->n_steps);
        write_strs(&w, "sources", c->sources, c->n_sources);
        idr__jw_obj_end(&w);
    }
    idr__jw_arr_end(&w);
    idr__jw_obj_begin(&w, "sources");
    for (size_t i = 0; i < p->n_source_defs; i++) {
        idr__jw_str(&w, p->source_keys[i], p->source_texts[i]);
    }
    idr__jw_obj_end(&w);
    idr__jw_obj_begin(&w, "steps");
    for (size_t i = 0; i < p->n_step_defs; i++) {
        idr__jw_str(&w, p->step_keys[i], p->step_defs[i]);
    }
    idr__jw_obj_end(&w);
    idr__write_data_list(eng, &w);
    write_strs(&w, "warnings", eng->warnings.v, eng->warnings.n);
    idr__jw_str(&w, "data_dir", eng->data_dir);
    idr__jw_str(&w, "lists_dir", eng->lists_dir);
    idr__jw_obj_end(&w);
    *out = idr__buf_take(&b, NULL);
    return *out ? IDR_OK : idr__err(err, IDR_ENOMEM, NULL, "out of memory");
}

int idr_candidate_from_json(idr_candidate **out,
                            const idr_engine *eng,
                            const char *json,
                            size_t len,
                            idr_error *err) {
    return idr__candidate_parse_al(
        out, eng ? idr__arena_allocator(eng->arena) : NULL, eng ? &eng->id_key : NULL,
        eng ? &eng->limits : &idr__default_limits, json, len, err);
}

int idr_engine_lookup_ip(const idr_engine *eng,
                         const char *ip,
                         char **out,
                         idr_error *err) {
    if (!eng) {
        if (out) {
            *out = NULL;
        }
        return idr__err(err, IDR_EINVAL, "ip", "engine must not be NULL");
    }
    return idr__geo_lookup_json(&eng->mods, ip, out, err);
}

int idr_engine_lookup_phone(const idr_engine *eng,
                            const char *number,
                            const char *country,
                            char **out,
                            idr_error *err) {
    if (!eng) {
        if (out) {
            *out = NULL;
        }
        return idr__err(err, IDR_EINVAL, NULL, "engine must not be NULL");
    }
    return idr__phone_lookup_json(&eng->mods, number, country, out, err);
}

int idr_data_build_indexes(const char *data_dir, idr_error *err) {
    if (!data_dir || !*data_dir) {
        return idr__err(err, IDR_EINVAL, "data_dir", "no data directory given");
    }
    if (idr__crypto_init() != 0) {
        return idr__err(err, IDR_EINTERNAL, NULL, "libsodium could not be initialised");
    }
    char why[4400];
    int rc = idr__geo_write_indexes(NULL, data_dir, why, sizeof why);
    if (rc != IDR_OK) {
        return idr__err(err, rc, "data_dir", "gazetteer index not written: %s", why);
    }
    return IDR_OK;
}
