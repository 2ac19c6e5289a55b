/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_score.c - the whole pipeline through the public API: any bytes as a candidate
 * record scored by one engine with every database and list loaded
 * (idr_engine_score_json: parse, enrichment, the rule pack's indicators, the result),
 * then the result written as JSON and read back through every structured accessor of
 * include/idrisk/idrisk.h. Corpus: tests/fuzz/corpus/score/, dictionary
 * tests/fuzz/score.dict.
 *
 * Beyond "no crash, no leak, no UB" it checks the result's contract and traps on the
 * first violation: the score is 0..100; the band and action strings agree with their
 * codes and with each other (low: none, medium/high: verify, critical: escalate); the
 * JSON output is valid UTF-8, parses back (cJSON) and says the same score, band,
 * action and number of reasons, suppressed and not-evaluated entries as the
 * accessors; every reason has a non-empty id and a severity that agrees with its code;
 * every borrowed string the header promises is there. A failed score must be
 * IDR_EINVAL or IDR_ELIMIT (ENOMEM cannot happen under the fuzzer's RSS limit) with no
 * result and a NUL-terminated error naming what is wrong.
 *
 * The engine is built once (LLVMFuzzerInitialize): the data directory is
 * $IDRISK_TEST_DATA_DIR, else $IDRISK_DATA_DIR (fetched open data, see
 * tools/fetch-data.sh), the first of them that names a directory, else MaxMind's test
 * databases in the repository's tests/fixtures/maxmind; the lists directory is the
 * repository's data/ (IDR_SOURCE_DATA_DIR, which idrisk_internal defines). A harness may
 * read the environment; the library never does.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "idrisk/idrisk.h"

#ifndef IDR_SOURCE_DATA_DIR
    #error "fuzz_score.c needs IDR_SOURCE_DATA_DIR (link with idrisk_internal)"
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                      \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "fuzz_score: invariant failed at line %d: %s\n", __LINE__,   \
                    #cond);                                                              \
            __builtin_trap();                                                            \
        }                                                                                \
    } while (0)

/* A set, non-empty variable naming a directory (tests pass the data directory even
 * when nothing was fetched). */
static int is_dir(const char *path) {
    struct stat st;
    return path && path[0] && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static idr_engine *score_engine(void) {
    static idr_engine *eng;
    if (eng) {
        return eng;
    }
    const char *dir = getenv("IDRISK_TEST_DATA_DIR");
    if (!is_dir(dir)) {
        dir = getenv("IDRISK_DATA_DIR");
    }
    if (!is_dir(dir)) {
        dir = IDR_SOURCE_DATA_DIR "/../tests/fixtures/maxmind";
    }
    idr_config *cfg = NULL;
    idr_error err;
    if (idr_config_new(&cfg) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, dir, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_LISTS_DIR, IDR_SOURCE_DATA_DIR, &err) != IDR_OK ||
        idr_engine_new(&eng, cfg, &err) != IDR_OK) {
        fprintf(stderr, "fuzz_score: cannot build the engine over %s: %s\n", dir,
                err.message);
        abort();
    }
    idr_config_free(cfg);
    /* the description is part of the public surface too: it must parse */
    char *desc = NULL;
    CHECK(idr_engine_describe_json(eng, &desc, &err) == IDR_OK && desc);
    cJSON *d = cJSON_Parse(desc);
    CHECK(d != NULL);
    cJSON_Delete(d);
    idr_free(desc);
    return eng;
}

/* Strict UTF-8 (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
static int valid_utf8(const unsigned char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            len = 2, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, min = 0x10000;
        } else {
            return 0;
        }
        if (i + len > n) {
            return 0;
        }
        unsigned cp = c & (0x7fu >> len);
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3fu);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += len;
    }
    return 1;
}

static int nul_within(const char *s, size_t cap) {
    return memchr(s, '\0', cap) != NULL;
}

static const char *const band_names[] = {"low", "medium", "high", "critical"};
static const char *const action_names[] = {"none", "verify", "escalate"};
static const char *const severity_names[] = {"low", "medium", "high", "critical"};

/* Touch every byte of a borrowed string so that ASan sees a dangling one. */
static size_t touch(const char *s) {
    return s ? strlen(s) : 0;
}

static size_t json_array_len(const cJSON *root, const char *name) {
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, name);
    CHECK(cJSON_IsArray(a));
    return (size_t)cJSON_GetArraySize(a);
}

static void check_accessors(const idr_result *res) {
    int score = idr_result_score(res);
    CHECK(score >= 0 && score <= 100);
    idr_band band = idr_result_band_code(res);
    idr_action action = idr_result_action_code(res);
    CHECK((int)band >= IDR_BAND_LOW && band <= IDR_BAND_CRITICAL);
    CHECK((int)action >= IDR_ACTION_NONE && action <= IDR_ACTION_ESCALATE);
    CHECK(idr_result_band(res) && strcmp(idr_result_band(res), band_names[band]) == 0);
    CHECK(idr_result_action(res) &&
          strcmp(idr_result_action(res), action_names[action]) == 0);
    idr_action by_band = band == IDR_BAND_LOW        ? IDR_ACTION_NONE
                         : band == IDR_BAND_CRITICAL ? IDR_ACTION_ESCALATE
                                                     : IDR_ACTION_VERIFY;
    /* The band's action, raised to verify only by the low-coverage floor. */
    const idr_coverage *cov = idr_result_coverage(res);
    CHECK(action ==
          (cov->low && by_band == IDR_ACTION_NONE ? IDR_ACTION_VERIFY : by_band));
    CHECK(cov->evaluated + cov->not_evaluated == cov->total);
    CHECK(!cov->low || cov->missing);
    size_t fam_total = 0;
    for (size_t i = 0; i < idr_result_coverage_family_count(res); i++) {
        const idr_coverage_family *f = idr_result_coverage_family(res, i);
        CHECK(f && f->family && f->evaluated + f->not_evaluated == f->total);
        fam_total += f->total;
    }
    CHECK(fam_total == cov->total);
    CHECK(idr_result_candidate_id(res) && idr_result_candidate_id(res)[0]);
    CHECK(idr_result_evaluated_at(res) > 0);
    (void)idr_result_as_of(res);

    size_t nr = idr_result_reason_count(res);
    for (size_t i = 0; i < nr; i++) {
        const idr_reason *r = idr_result_reason(res, i);
        CHECK(r && r->id && r->id[0]);
        CHECK(r->category && r->title && r->detail && r->verify);
        CHECK((int)r->severity_code >= IDR_SEVERITY_LOW &&
              r->severity_code <= IDR_SEVERITY_CRITICAL);
        CHECK(r->severity && strcmp(r->severity, severity_names[r->severity_code]) == 0);
        CHECK(!isnan(r->points));
        touch(r->category), touch(r->title), touch(r->detail), touch(r->verify);
        for (size_t k = 0; k < r->n_benign; k++) {
            CHECK(r->benign[k]);
            touch(r->benign[k]);
        }
        for (size_t k = 0; k < r->n_sources; k++) {
            CHECK(r->sources[k] && r->sources[k][0]);
        }
        size_t ne = idr_result_evidence_count(res, i);
        for (size_t k = 0; k < ne; k++) {
            const idr_evidence *e = idr_result_evidence(res, i, k);
            CHECK(e && e->key && e->key[0]);
            switch (e->value.type) {
            case IDR_VALUE_STRING:
                CHECK(e->value.str);
                touch(e->value.str);
                break;
            case IDR_VALUE_BOOL:
                CHECK(e->value.boolean == 0 || e->value.boolean == 1);
                break;
            case IDR_VALUE_INT:
            case IDR_VALUE_NUMBER:
                break;
            default:
                CHECK(!"unknown evidence value type");
            }
        }
        CHECK(idr_result_evidence(res, i, ne) == NULL);
    }
    CHECK(idr_result_reason(res, nr) == NULL);
    CHECK(idr_result_evidence_count(res, nr) == 0);

    size_t ns = idr_result_suppressed_count(res);
    for (size_t i = 0; i < ns; i++) {
        const idr_suppressed *s = idr_result_suppressed(res, i);
        CHECK(s && s->id && s->id[0] && s->by);
        touch(s->by);
    }
    CHECK(idr_result_suppressed(res, ns) == NULL);

    size_t nn = idr_result_not_evaluated_count(res);
    for (size_t i = 0; i < nn; i++) {
        const idr_not_evaluated *n = idr_result_not_evaluated(res, i);
        CHECK(n && n->id && n->id[0] && n->why);
        touch(n->why);
    }
    CHECK(idr_result_not_evaluated(res, nn) == NULL);

    size_t nw = idr_result_warning_count(res);
    for (size_t i = 0; i < nw; i++) {
        CHECK(idr_result_warning(res, i));
        touch(idr_result_warning(res, i));
    }
    CHECK(idr_result_warning(res, nw) == NULL);

    size_t nip = idr_result_session_count(res);
    for (size_t i = 0; i < nip; i++) {
        const idr_session_info *s = idr_result_session(res, i);
        CHECK(s); /* a session may give no address: then nothing is looked up */
        CHECK(s->ip || !s->looked_up);
        CHECK(isnan(s->lat) == isnan(s->lon));
        CHECK(s->anonymizer_confidence >= -1 && s->anonymizer_confidence <= 100);
        const int tri[] = {s->is_anonymous,     s->is_vpn, s->is_hosting,
                           s->is_public_proxy,  s->is_tor, s->is_residential_proxy,
                           s->looked_up ? 1 : 0};
        for (size_t k = 0; k < sizeof tri / sizeof tri[0]; k++) {
            CHECK(tri[k] >= -1 && tri[k] <= 1);
        }
        touch(s->country), touch(s->region), touch(s->city), touch(s->postal_code);
        touch(s->timezone), touch(s->asn_org), touch(s->isp), touch(s->organization);
        touch(s->connection_type), touch(s->anonymizer_provider), touch(s->asn_class);
        touch(s->asn_class_source), touch(s->allow_listed), touch(s->relay);
    }
    CHECK(idr_result_session(res, nip) == NULL);

    for (int ref = 0; ref < 2; ref++) {
        size_t np =
            ref ? idr_result_reference_phone_count(res) : idr_result_phone_count(res);
        for (size_t i = 0; i < np; i++) {
            const idr_phone_info *p =
                ref ? idr_result_reference_phone(res, i) : idr_result_phone(res, i);
            CHECK(p); /* a phone entry may give no number: then nothing is parsed */
            CHECK(p->number || !p->parsed);
            CHECK(p->valid >= -1 && p->valid <= 1 && p->possible >= -1 &&
                  p->possible <= 1);
            CHECK(!p->e164 || p->e164[0] == '+');
            CHECK(p->parsed || p->error || !p->number);
            touch(p->parsed_with), touch(p->type), touch(p->type_source);
            touch(p->metadata_type), touch(p->region), touch(p->area), touch(p->carrier);
            touch(p->error), touch(p->employer), touch(p->reference);
        }
        CHECK((ref ? idr_result_reference_phone(res, np) : idr_result_phone(res, np)) ==
              NULL);
    }

    size_t nm = idr_result_email_count(res);
    for (size_t i = 0; i < nm; i++) {
        const idr_email_info *m = idr_result_email(res, i);
        CHECK(m); /* an email entry may give no address: then it is not valid */
        CHECK(m->address || !m->syntax_valid);
        CHECK(m->syntax_valid == 0 || m->syntax_valid == 1);
        CHECK(m->syntax_valid || (!m->normalized && !m->domain));
        touch(m->normalized), touch(m->domain), touch(m->domain_class);
    }
    CHECK(idr_result_email(res, nm) == NULL);

    const idr_residence_info *home = idr_result_residence(res);
    CHECK(home);
    CHECK(home->known ? !isnan(home->lat) && !isnan(home->lon) && home->source
                      : home->why != NULL);
    touch(home->label);

    const idr_ruleset_info *rs = idr_result_ruleset(res);
    CHECK(rs && rs->id && rs->version && rs->sha256);
    size_t nd = idr_result_data_count(res);
    for (size_t i = 0; i < nd; i++) {
        const idr_data_source *d = idr_result_data(res, i);
        CHECK(d && d->name && d->type);
    }
    CHECK(idr_result_data(res, nd) == NULL);
}

static void check_json(const idr_result *res) {
    char *out = NULL;
    size_t len = 0;
    idr_error err;
    CHECK(idr_result_to_json(res, &out, &len, &err) == IDR_OK && out);
    CHECK(strlen(out) == len);
    CHECK(valid_utf8((const unsigned char *)out, len));
    cJSON *root = cJSON_ParseWithLength(out, len);
    CHECK(root && cJSON_IsObject(root));
    const cJSON *score = cJSON_GetObjectItemCaseSensitive(root, "score");
    CHECK(cJSON_IsNumber(score) && score->valueint == idr_result_score(res));
    const cJSON *band = cJSON_GetObjectItemCaseSensitive(root, "band");
    CHECK(cJSON_IsString(band) && strcmp(band->valuestring, idr_result_band(res)) == 0);
    const cJSON *action = cJSON_GetObjectItemCaseSensitive(root, "action");
    CHECK(cJSON_IsString(action) &&
          strcmp(action->valuestring, idr_result_action(res)) == 0);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(root, "candidate_id");
    CHECK(cJSON_IsString(id) &&
          strcmp(id->valuestring, idr_result_candidate_id(res)) == 0);
    CHECK(json_array_len(root, "reasons") == idr_result_reason_count(res));
    CHECK(json_array_len(root, "suppressed") == idr_result_suppressed_count(res));
    CHECK(json_array_len(root, "not_evaluated") == idr_result_not_evaluated_count(res));
    CHECK(json_array_len(root, "warnings") == idr_result_warning_count(res));
    const cJSON *reason;
    cJSON_ArrayForEach(reason, cJSON_GetObjectItemCaseSensitive(root, "reasons")) {
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(reason, "id");
        CHECK(cJSON_IsString(rid) && rid->valuestring[0]);
    }
    cJSON_Delete(root);
    idr_free(out);
}

/* libFuzzer calls this before the first input: loading the fetched databases takes
 * seconds under ASan, which must not count against the first input's -timeout. The
 * corpus replay (tests/fuzz/replay.c) does not call it; the engine is then built by the
 * first input. */
int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    /* one record through every enrichment module: ICU opens its transliterators and
     * libphonenumber its geocoder on first use (a few hundred ms under ASan, once) */
    static const char warm[] =
        "{\"candidate_id\":\"warm\",\"identity\":{\"full_name\":\"\xe9\x87\x91 \xd0\x9a"
        "\xd0\xb8\xd0\xbc Jos\xc3\xa9\",\"aliases\":[\"\xea\xb9\x80 \xd9\x85\"]},"
        "\"contacts\":{\"emails\":[\"a@gmail.com\"],\"phones\":[{\"number\":\"+1 404 555 "
        "0123\"}]},\"network\":{\"sessions\":[{\"ip\":\"81.2.69.160\",\"at\":"
        "\"2025-05-06T09:15:00Z\"}]}}";
    idr_result *res = NULL;
    CHECK(idr_engine_score_json(score_engine(), warm, sizeof warm - 1, &res, NULL) ==
          IDR_OK);
    idr_result_free(res);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    idr_engine *eng = score_engine();
    idr_result *res = (idr_result *)&res; /* must be overwritten */
    idr_error err;
    memset(&err, 0xa5, sizeof err);
    int rc = idr_engine_score_json(eng, (const char *)data, size, &res, &err);
    if (rc != IDR_OK) {
        CHECK(rc == IDR_EINVAL || rc == IDR_ELIMIT);
        CHECK(res == NULL && err.code == rc);
        CHECK(nul_within(err.field, sizeof err.field));
        CHECK(nul_within(err.message, sizeof err.message) && err.message[0]);
        return 0;
    }
    CHECK(res != NULL);
    check_accessors(res);
    check_json(res);
    idr_result_free(res);
    return 0;
}
