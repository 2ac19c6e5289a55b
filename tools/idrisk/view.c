/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view.c - gather what the reader's reports show about one result (view.h).
 */
#include "view.h"

#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool same(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* Two sessions read the same when everything the reports print of them agrees. */
static bool same_session(const idr_session_info *a, const idr_session_info *b) {
    return same(a->ip, b->ip) && same(a->city, b->city) && same(a->country, b->country) &&
           a->asn == b->asn && same(a->asn_org, b->asn_org) &&
           (isnan(a->distance_km) ? isnan(b->distance_km)
                                  : a->distance_km == b->distance_km) &&
           a->is_vpn == b->is_vpn && a->is_hosting == b->is_hosting &&
           a->is_tor == b->is_tor && a->is_public_proxy == b->is_public_proxy &&
           same(a->anonymizer_provider, b->anonymizer_provider) &&
           same(a->allow_listed, b->allow_listed) && same(a->relay, b->relay);
}

static int
add_step(cli_view *v, size_t *cap, const char *id, const char *text, size_t reason) {
    for (size_t i = 0; i < v->n_steps; i++) {
        cli_step *s = &v->steps[i];
        if (id ? same(s->id, id) : (!s->id && strcmp(s->text, text) == 0)) {
            if (s->reasons[s->n_reasons - 1] != reason) {
                size_t *r = realloc(s->reasons, (s->n_reasons + 1) * sizeof *r);
                if (!r) {
                    return -1;
                }
                s->reasons = r;
                s->reasons[s->n_reasons++] = reason;
            }
            return 0;
        }
    }
    if (v->n_steps == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        cli_step *ns = realloc(v->steps, nc * sizeof *ns);
        if (!ns) {
            return -1;
        }
        v->steps = ns;
        *cap = nc;
    }
    size_t *r = malloc(sizeof *r);
    if (!r) {
        return -1;
    }
    r[0] = reason;
    v->steps[v->n_steps++] = (cli_step){id, text, r, 1};
    return 0;
}

static int add_source(cli_view *v, size_t *cap, const char *key, const cJSON *titles) {
    for (size_t i = 0; i < v->n_sources; i++) {
        if (strcmp(v->sources[i].key, key) == 0) {
            return 0;
        }
    }
    if (v->n_sources == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        cli_source *ns = realloc(v->sources, nc * sizeof *ns);
        if (!ns) {
            return -1;
        }
        v->sources = ns;
        *cap = nc;
    }
    v->sources[v->n_sources++] = (cli_source){key, jstr(titles, key)};
    return 0;
}

static int group_sessions(cli_view *v) {
    size_t n = idr_result_session_count(v->res);
    if (n == 0) {
        return 0;
    }
    v->sessions = calloc(n, sizeof *v->sessions);
    if (!v->sessions) {
        return -1;
    }
    /* Quadratic in the distinct sessions, which the input limits bound (docs/
     * input-limits.md); first-seen order keeps the record's own order. */
    for (size_t i = 0; i < n; i++) {
        const idr_session_info *s = idr_result_session(v->res, i);
        size_t g = 0;
        while (g < v->n_sessions && !same_session(v->sessions[g].s, s)) {
            g++;
        }
        if (g == v->n_sessions) {
            v->sessions[v->n_sessions++] = (cli_session_group){s, 0};
        }
        v->sessions[g].count++;
    }
    return 0;
}

int cli_view_build(cli_view *v,
                   const idr_engine *eng,
                   const idr_result *res,
                   const char *json,
                   size_t json_len,
                   bool linked) {
    memset(v, 0, sizeof *v);
    v->res = res;
    v->linked = linked;
    char *desc = NULL;
    idr_error err;
    if (idr_engine_describe_json(eng, &desc, &err) == IDR_OK) {
        v->describe = cJSON_Parse(desc);
    }
    idr_free(desc);
    if (json) {
        v->record = cJSON_ParseWithLength(json, json_len);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(v->record, "identity");
        v->name = jstr(id, "full_name");
    }
    const cJSON *titles = cJSON_GetObjectItemCaseSensitive(v->describe, "sources");
    size_t cap_steps = 0, cap_src = 0;
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        const idr_reason *r = idr_result_reason(res, i);
        if (r->n_steps == 0 && r->verify &&
            add_step(v, &cap_steps, NULL, r->verify, i) != 0) {
            goto oom;
        }
        for (size_t k = 0; k < r->n_steps; k++) {
            if (add_step(v, &cap_steps, r->step_ids[k], r->steps[k], i) != 0) {
                goto oom;
            }
        }
        for (size_t k = 0; k < r->n_sources; k++) {
            if (add_source(v, &cap_src, r->sources[k], titles) != 0) {
                goto oom;
            }
        }
    }
    if (group_sessions(v) != 0) {
        goto oom;
    }
    const idr_ruleset_info *rs = idr_result_ruleset(res);
    size_t plen = strlen(rs->id) + strlen(rs->version) + 2;
    v->pack_buf = malloc(plen);
    if (!v->pack_buf) {
        goto oom;
    }
    snprintf(v->pack_buf, plen, "%s %s", rs->id, rs->version);
    v->pack = v->pack_buf;
    cli_format_instant(idr_result_as_of(res), v->as_of_buf);
    v->as_of = v->as_of_buf;
    return 0;
oom:
    cli_view_free(v);
    return -1;
}

void cli_view_free(cli_view *v) {
    if (!v) {
        return;
    }
    for (size_t i = 0; i < v->n_steps; i++) {
        free(v->steps[i].reasons);
    }
    free(v->steps);
    free(v->sources);
    free(v->sessions);
    free(v->pack_buf);
    cJSON_Delete(v->describe);
    cJSON_Delete(v->record);
    memset(v, 0, sizeof *v);
}

const char *cli_view_title(const cli_view *v, const char *id) {
    static const char *const lists[] = {"indicators", "combinations"};
    for (int l = 0; l < 2; l++) {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(v->describe, lists[l]);
        const cJSON *e;
        cJSON_ArrayForEach(e, arr) {
            const char *eid = jstr(e, "id");
            if (eid && strcmp(eid, id) == 0) {
                return jstr(e, "title");
            }
        }
    }
    return NULL;
}

const char *cli_view_action_text(idr_action a) {
    switch (a) {
    case IDR_ACTION_NONE:
        return "No action needed: nothing here asks for a step before going on.";
    case IDR_ACTION_VERIFY:
        return "Verify: take the steps under \"Ask or verify\" before going on.";
    case IDR_ACTION_ESCALATE:
        return "Escalate: hand this to security or legal review before any further "
               "step; the steps under \"Ask or verify\" are for them.";
    }
    return "";
}
