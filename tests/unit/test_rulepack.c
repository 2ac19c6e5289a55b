/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rulepack.c - the rule pack parser: a valid pack loads with its stamp, and every
 * kind of mistake is IDR_EDATA naming "<entry>.<key>".
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define HEAD                                                                             \
    "[pack]\nid = test\nversion = 1.0\nband.medium = 20\nband.high = 45\n"               \
    "band.critical = 70\n[sources]\nSSA = SSA randomization FAQ\nMSFT25 = Jasper "       \
    "Sleet\n"
#define SSN_ENTRY                                                                        \
    "[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = high\npoints = 25\n"  \
    "basis = catalog\ntitle = SSN cannot exist\n"                                        \
    "detail = SSN ending {ssn_last4}: {problems}\nverify = Ask for the card\n"           \
    "benign = A typo\nbenign = A transposed digit\nsources = SSA\n"
#define CPL_ENTRY                                                                        \
    "[indicator ssn_holder_complaint]\ncategory = ssn\nseverity = critical\npoints = "   \
    "60\n"                                                                               \
    "basis = catalog\ntitle = Holder complaint\ndetail = Complaint since {hired_at}\n"   \
    "verify = Call legal\nbenign = Payroll error\nsources = SSA\n"

#define EXPL_ENTRY                                                                       \
    "[explanation relay_service]\nkind = accommodation\n"                                \
    "suppresses = ssn_invalid_structure, ssn_holder_complaint\nnote = A relay "          \
    "operator\nsources = SSA\n"

static int load(const char *text, idr__rulepack **p, idr_error *err) {
    return idr__rulepack_load(p, text, strlen(text), "test.pack", idr__indicator_find,
                              err);
}

Test(rulepack, valid_pack_loads_and_is_stamped) {
    idr__rulepack *p = NULL;
    idr_error err;
    const char *text =
        HEAD SSN_ENTRY CPL_ENTRY "[combination combo_x]\nall = "
                                 "ssn_invalid_structure\nall = ssn_holder_complaint | "
                                 "ssn_invalid_structure\nseverity = high\npoints = "
                                 "10\ntitle = t\ndetail = {fired}\n"
                                 "verify = v\nbenign = b\nsources = SSA, MSFT25\n";
    cr_assert_eq(load(text, &p, &err), IDR_OK, "%s", err.message);
    cr_assert_str_eq(p->id, "test");
    cr_assert_eq(p->n_rules, 2);
    cr_assert_eq(p->rules[0].n_benign, 2);
    cr_assert_eq(p->rules[0].severity, IDR__SEV_HIGH);
    cr_assert_float_eq(p->rules[1].points, 60.0, 1e-9);
    cr_assert_eq(p->n_combos, 1);
    cr_assert_eq(p->combos[0].n_groups, 2);
    cr_assert_eq(p->combos[0].group_len[1], 2);
    cr_assert_eq(p->combos[0].n_sources, 2);
    char want[65];
    idr__sha256_hex(text, strlen(text), want);
    cr_assert_str_eq(p->sha256, want);
    cr_assert_not_null(idr__rulepack_find(p, "ssn_holder_complaint"));
    cr_assert_null(idr__rulepack_find(p, "nope"));
    idr__rulepack_free(p);
}

typedef struct bad_case {
    const char *text;
    const char *field;
} bad_case;

static const bad_case bad_cases[] = {
    {"[sources]\nSSA = x\n", "pack"},
    {HEAD "[indicator no_such_indicator]\n", "no_such_indicator"},
    {HEAD "[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = loud\n",
     "ssn_invalid_structure.severity"},
    {HEAD "[indicator ssn_invalid_structure]\npoints = 101\n",
     "ssn_invalid_structure.points"},
    {HEAD "[indicator ssn_invalid_structure]\npoints = ten\n",
     "ssn_invalid_structure.points"},
    {HEAD "[indicator ssn_invalid_structure]\ncategory = astrology\n",
     "ssn_invalid_structure.category"},
    {HEAD "[indicator ssn_invalid_structure]\ncolour = red\n",
     "ssn_invalid_structure.colour"},
    {HEAD "[indicator ssn_invalid_structure]\nbasis = hunch\n",
     "ssn_invalid_structure.basis"},
    {HEAD "[indicator ssn_invalid_structure]\ncategory = ssn\ncategory = ssn\n",
     "ssn_invalid_structure.category"},
    /* missing verify */
    {HEAD
     "[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = high\npoints = 1\n"
     "basis = catalog\ntitle = t\ndetail = d\nbenign = b\nsources = SSA\n",
     "ssn_invalid_structure.verify"},
    /* a placeholder the indicator cannot fill */
    {HEAD
     "[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = high\npoints = 1\n"
     "basis = catalog\ntitle = t\ndetail = {full_ssn}\nverify = v\nbenign = b\n"
     "sources = SSA\n",
     "ssn_invalid_structure.detail"},
    /* an undefined source key */
    {HEAD
     "[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = high\npoints = 1\n"
     "basis = catalog\ntitle = t\ndetail = d\nverify = v\nbenign = b\n"
     "sources = SSA, XYZ99\n",
     "ssn_invalid_structure.sources"},
    {HEAD SSN_ENTRY SSN_ENTRY, "ssn_invalid_structure"},
    {HEAD SSN_ENTRY
     "[combination combo_y]\nall = ssn_invalid_structure\nseverity = low\n"
     "points = 1\ntitle = t\ndetail = d\nverify = v\nbenign = b\nsources = SSA\n",
     "combo_y.all"},
    {HEAD SSN_ENTRY "[combination combo_y]\nall = ssn_invalid_structure\n"
                    "all = ssn_holder_complaint\nseverity = low\npoints = 1\ntitle = t\n"
                    "detail = d\nverify = v\nbenign = b\nsources = SSA\n",
     "combo_y.all"},
    {"[pack]\nid = x\nversion = 1\nband.medium = 50\nband.high = 45\nband.critical = "
     "70\n",
     "pack.band.medium"},
    {HEAD "just some words\n", "sources"},
    /* explanations: an unknown kind, a missing note, a name that is not lower case,
     * twice the same name, an undefined source, a key that does not exist */
    {HEAD SSN_ENTRY "[explanation relay]\nkind = excuse\n", "relay.kind"},
    {HEAD SSN_ENTRY "[explanation relay]\nkind = accommodation\n"
                    "suppresses = ssn_invalid_structure\nsources = SSA\n",
     "relay.note"},
    {HEAD SSN_ENTRY "[explanation Relay]\n", "Relay"},
    {HEAD SSN_ENTRY EXPL_ENTRY EXPL_ENTRY, "relay_service"},
    {HEAD SSN_ENTRY "[explanation relay]\nkind = accommodation\n"
                    "suppresses = ssn_invalid_structure\nnote = n\nsources = NOPE\n",
     "relay.sources"},
    {HEAD SSN_ENTRY "[explanation relay]\npoints = 5\n", "relay.points"},
    {HEAD "[weird thing]\n", "weird"},
    /* verification steps: an undefined key, a key listed twice, a bad key, twice the
     * same step, a step without text, `steps` given twice */
    {HEAD "[steps]\nlive = Hold a live call\n" SSN_ENTRY "steps = live, nope\n",
     "ssn_invalid_structure.steps"},
    {HEAD "[steps]\nlive = Hold a live call\n" SSN_ENTRY "steps = live, live\n",
     "ssn_invalid_structure.steps"},
    {HEAD "[steps]\nLive Call = x\n", "steps.Live Call"},
    {HEAD "[steps]\nlive = a\nlive = b\n", "steps.live"},
    {HEAD "[steps]\nlive =\n", "steps.live"},
    {HEAD "[steps]\nlive = a\n" SSN_ENTRY "steps = live\nsteps = live\n",
     "ssn_invalid_structure.steps"},
};

/* `steps` resolve to the [steps] texts in the entry's order; an entry without them
 * has none (packs written before [steps] keep loading). */
Test(rulepack, steps_resolve_to_their_texts) {
    idr__rulepack *p = NULL;
    idr_error err;
    const char *text =
        HEAD "[steps]\nlive = Hold a live call\ncard = See the card\n" SSN_ENTRY
             "steps = card, live\n" CPL_ENTRY;
    cr_assert_eq(load(text, &p, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(p->n_step_defs, 2);
    const idr__rule *r = idr__rulepack_find(p, "ssn_invalid_structure");
    cr_assert_eq(r->n_steps, 2);
    cr_assert_str_eq(r->step_ids[0], "card");
    cr_assert_str_eq(r->step_texts[0], "See the card");
    cr_assert_str_eq(r->step_texts[1], "Hold a live call");
    cr_assert_eq(idr__rulepack_find(p, "ssn_holder_complaint")->n_steps, 0);
    idr__rulepack_free(p);
}

Test(rulepack, bad_packs_name_the_field) {
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        idr__rulepack *p = NULL;
        idr_error err;
        int rc = load(c->text, &p, &err);
        cr_assert_eq(rc, IDR_EDATA, "case %zu: expected EDATA, got %d (%s)", i, rc,
                     err.message);
        cr_assert_null(p);
        cr_assert_eq(err.code, IDR_EDATA);
        cr_assert(strncmp(err.field, c->field, strlen(c->field)) == 0,
                  "case %zu: field \"%s\", want \"%s\"", i, err.field, c->field);
        cr_assert(strstr(err.message, "test.pack:") != NULL, "no file:line in \"%s\"",
                  err.message);
    }
}

Test(rulepack, explanation_loads_with_its_label) {
    idr__rulepack *p = NULL;
    idr_error err;
    const char *text = HEAD SSN_ENTRY CPL_ENTRY EXPL_ENTRY
        "[explanation night_shift]\nkind = declaration\nsuppresses = "
        "ssn_holder_complaint\nnote = n\nsources = SSA, MSFT25\n";
    cr_assert_eq(load(text, &p, &err), IDR_OK, "%s", err.message);
    cr_assert_eq(p->n_explanations, 2);
    cr_assert_str_eq(p->explanations[0].name, "relay_service");
    cr_assert_str_eq(p->explanations[0].label, "documented accommodation");
    cr_assert_eq(p->explanations[0].n_suppresses, 2);
    cr_assert_str_eq(p->explanations[0].suppresses[1], "ssn_holder_complaint");
    cr_assert_str_eq(p->explanations[1].label, "declared explanation");
    idr__rulepack_free(p);
}

/* An id the pack does not define: the error names the explanation's `suppresses` and
 * the file:line where it is written (an explanation may name an indicator defined
 * further down, so the check runs once the whole pack is read). */
Test(rulepack, explanation_of_an_unknown_indicator_names_file_and_line) {
    idr__rulepack *p = NULL;
    idr_error err;
    const char *text = HEAD SSN_ENTRY
        "[explanation relay_service]\nkind = accommodation\nnote = n\n"
        "suppresses = ssn_invalid_structure, int_multiple_voicez\nsources = SSA\n";
    /* HEAD is 9 lines, SSN_ENTRY 11: the suppresses line is line 24 */
    cr_assert_eq(load(text, &p, &err), IDR_EDATA);
    cr_assert_null(p);
    cr_assert_str_eq(err.field, "relay_service.suppresses");
    cr_assert(strstr(err.message, "test.pack:24:") != NULL, "%s", err.message);
    cr_assert(strstr(err.message, "int_multiple_voicez") != NULL, "%s", err.message);
}

Test(rulepack, missing_file_is_eio) {
    idr__rulepack *p = NULL;
    idr_error err;
    cr_assert_eq(
        idr__rulepack_load_file(&p, "/nonexistent/x.pack", idr__indicator_find, &err),
        IDR_EIO);
    cr_assert_str_eq(err.field, "rules");
}

Test(rulepack, default_pack_is_valid) {
    idr__rulepack *p = NULL;
    idr_error err;
    int rc = idr__rulepack_load_file(&p, IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                                     idr__indicator_find, &err);
    cr_assert_eq(rc, IDR_OK, "%s (%s)", err.message, err.field);
    cr_assert_gt(p->n_rules, 20);
    /* Every entry of the default pack names its verification steps, so the report's
     * merged "Ask or verify" list covers every reason. */
    for (size_t i = 0; i < p->n_rules; i++) {
        cr_expect_gt(p->rules[i].n_steps, 0, "%s has no steps", p->rules[i].id);
    }
    for (size_t i = 0; i < p->n_combos; i++) {
        cr_expect_gt(p->combos[i].n_steps, 0, "%s has no steps", p->combos[i].id);
    }
    /* Every implemented indicator is in the default pack: an indicator without weights
     * would silently never run. */
    const idr__indicator *ind;
    for (size_t i = 0; (ind = idr__indicator_at(i)) != NULL; i++) {
        cr_expect_not_null(idr__rulepack_find(p, ind->id),
                           "%s has no entry in default.pack", ind->id);
    }
    idr__rulepack_free(p);
}

Test(registry, indicator_ids_are_unique) {
    const idr__indicator *a, *b;
    for (size_t i = 0; (a = idr__indicator_at(i)) != NULL; i++) {
        cr_assert_not_null(a->eval, "%s has no evaluator", a->id);
        for (size_t j = i + 1; (b = idr__indicator_at(j)) != NULL; j++) {
            cr_assert_str_neq(a->id, b->id);
        }
    }
}

/* One taxonomy: every id carries its family's prefix, and the default pack gives each
 * indicator its family as category (the engine refuses a pack that does not). */
Test(registry, family_prefix_and_category_agree) {
    idr__rulepack *p = NULL;
    idr_error err;
    cr_assert_eq(idr__rulepack_load_file(&p,
                                         IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                                         idr__indicator_find, &err),
                 IDR_OK, "%s", err.message);
    const idr__indicator *ind;
    for (size_t i = 0; (ind = idr__indicator_at(i)) != NULL; i++) {
        const idr__family *f = idr__indicator_family(ind);
        cr_assert_not_null(f, "%s has no family", ind->id);
        cr_expect_eq(strncmp(ind->id, f->prefix, strlen(f->prefix)), 0,
                     "%s is in family %s (%s) but lacks its prefix %s", ind->id, f->name,
                     f->file, f->prefix);
        const idr__rule *r = idr__rulepack_find(p, ind->id);
        if (r) {
            cr_expect_str_eq(r->category, f->name, "%s: pack category %s, family %s",
                             ind->id, r->category, f->name);
        }
    }
    idr__rulepack_free(p);
}

/* The default pack is laid out by family: each "# Family: <name> (<file>...)" block
 * names a registered family and its file, and holds only that family's indicators;
 * every indicator entry sits in such a block (docs/adding-an-indicator.md). */
Test(registry, default_pack_blocks_hold_their_family) {
    size_t len = 0;
    char *text = idr__read_file(NULL, IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                                (size_t)8 << 20, &len);
    cr_assert_not_null(text);
    char block[64] = "", file[128] = "";
    size_t n_entries = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "# Family: ", 10) == 0) {
            cr_assert_eq(sscanf(line + 10, "%63s (%127[^;)]", block, file), 2, "%s",
                         line);
            bool known = false;
            const idr__indicator *ind;
            for (size_t i = 0; (ind = idr__indicator_at(i)) != NULL; i++) {
                const idr__family *f = idr__indicator_family(ind);
                known =
                    known || (strcmp(f->name, block) == 0 && strcmp(f->file, file) == 0);
            }
            cr_expect(known, "\"%s\": no family %s lives in %s", line, block, file);
        } else if (strncmp(line, "# Combinations", 14) == 0) {
            block[0] = '\0';
        } else if (strncmp(line, "[indicator ", 11) == 0) {
            char id[128];
            cr_assert_eq(sscanf(line + 11, "%127[^]]", id), 1);
            const idr__indicator *ind = idr__indicator_find(id);
            cr_assert_not_null(ind, "%s", id);
            const idr__family *f = idr__indicator_family(ind);
            cr_expect_str_eq(block, f->name, "%s sits in the block of family \"%s\"", id,
                             block);
            n_entries++;
        }
    }
    cr_assert_gt(n_entries, 0);
    free(text);
}

Test(registry, engine_refuses_a_category_that_is_not_the_family) {
    size_t len = 0;
    char *text = idr__read_file(NULL, IDR_TEST_SOURCE_DIR "/data/rules/default.pack",
                                (size_t)8 << 20, &len);
    cr_assert_not_null(text);
    const char *from = "[indicator doc_expired]\ncategory = document";
    char *at = strstr(text, from);
    cr_assert_not_null(at, "default.pack changed: update this test");
    size_t head = (size_t)(at - text) + strlen("[indicator doc_expired]\ncategory = ");
    char path[] = "/tmp/idrisk-taxonomy-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fwrite(text, 1, head, f);
    fputs("workflow", f);
    fputs(at + strlen(from), f);
    fclose(f);
    free(text);
    idr_config *cfg = NULL;
    cr_assert_eq(idr_config_new(&cfg), IDR_OK);
    cr_assert_eq(idr_config_set_str(cfg, IDR_CFG_RULES_FILE, path, NULL), IDR_OK);
    idr_engine *eng = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    int rc = idr_engine_new(&eng, cfg, &err);
    idr_config_free(cfg);
    unlink(path);
    cr_assert_eq(rc, IDR_EDATA);
    cr_assert_null(eng);
    cr_assert_str_eq(err.field, "doc_expired.category");
    cr_assert(strstr(err.message, "lib/rules/document.c") != NULL, "%s", err.message);
}

/* ---- parameters: a fake indicator with two thresholds, found by a test lookup ---- */
static void eval_nothing(idr__ctx *ctx, const idr__indicator *ind) {
    (void)ctx;
    (void)ind;
}
static const char *const no_keys[] = {NULL};
static const idr__param tst_params[] = {
    {.name = "min_days", .def = 30, .min = 1, .max = 365, .doc = "days"},
    {.name = "max_ratio", .def = 0.5, .min = 0, .max = 1, .doc = "a fraction"},
};
static const idr__indicator tst_param = {.id = "ssn_param_test",
                                         .evidence_keys = no_keys,
                                         .eval = eval_nothing,
                                         .params = tst_params,
                                         .n_params = 2};
static const idr__indicator *find_test(const char *id) {
    return strcmp(id, "ssn_param_test") == 0 ? &tst_param : idr__indicator_find(id);
}
#define PARAM_ENTRY(extra)                                                               \
    "[indicator ssn_param_test]\ncategory = ssn\nseverity = low\npoints = 1\n"           \
    "basis = project\ntitle = t\ndetail = d\nverify = v\nbenign = b\nsources = "         \
    "SSA\n" extra

static int load_p(const char *text, idr__rulepack **p, idr_error *err) {
    memset(err, 0, sizeof *err);
    return idr__rulepack_load(p, text, strlen(text), "test.pack", find_test, err);
}

Test(rulepack, params_default_and_override) {
    idr__rulepack *p = NULL;
    idr_error err;
    cr_assert_eq(load_p(HEAD PARAM_ENTRY(""), &p, &err), IDR_OK, "%s", err.message);
    cr_assert_float_eq(p->rules[0].params[0], 30.0, 1e-9);
    cr_assert_float_eq(p->rules[0].params[1], 0.5, 1e-9);
    idr__rulepack_free(p);
    cr_assert_eq(load_p(HEAD PARAM_ENTRY("param.max_ratio = 0.25\n"), &p, &err), IDR_OK,
                 "%s", err.message);
    cr_assert_float_eq(p->rules[0].params[0], 30.0, 1e-9);
    cr_assert_float_eq(p->rules[0].params[1], 0.25, 1e-9);
    idr__rulepack_free(p);
}

Test(rulepack, params_refused_with_their_key) {
    static const struct {
        const char *extra, *field, *says;
    } bad[] = {
        {"param.min_days = 0\n", "ssn_param_test.param.min_days", "1..365"},
        {"param.min_days = 400\n", "ssn_param_test.param.min_days", "not 400"},
        {"param.min_days = ten\n", "ssn_param_test.param.min_days", "decimal number"},
        {"param.min_days = nan\n", "ssn_param_test.param.min_days", "decimal number"},
        {"param.min_days = 5\nparam.min_days = 6\n", "ssn_param_test.param.min_days",
         "twice"},
        {"param.nope = 1\n", "ssn_param_test.param.nope", "no parameter"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        idr__rulepack *p = NULL;
        idr_error err;
        char text[2048];
        snprintf(text, sizeof text, "%s%s", HEAD PARAM_ENTRY(""), bad[i].extra);
        cr_expect_eq(load_p(text, &p, &err), IDR_EDATA, "case %zu", i);
        cr_expect_str_eq(err.field, bad[i].field, "case %zu", i);
        cr_expect(strstr(err.message, bad[i].says) != NULL, "case %zu: %s", i,
                  err.message);
        cr_expect_null(p);
    }
}
