/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_post_hire.c - ept_rmm_install, ept_ip_kvm_or_sbc and
 * ept_unmanaged_device_login (lib/rules/post_hire.c), the table/TSV agreement, and the
 * laptop-farm combination.
 */
#include "../rules_helpers.h"

/* Test hook defined in lib/rules/post_hire.c. */
const char *idr__remote_access_tool_at(size_t i, const char **kind, const char **sources);

TestSuite(rules_post_hire, .init = rh_setup, .fini = rh_teardown);

Test(rules_post_hire, rmm_from_inventory_and_session) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e1",
        "network" : {
            "sessions" : [ {
                "ip" : "192.0.2.10",
                "at" : "2025-05-02T14:00:00Z",
                "remote_access_tools" : ["Chrome Remote Desktop"]
            } ]
        },
        "post_hire" : {"endpoint_findings" : [ "anydesk", "slack" ]}
    }));
    const char *t = rh_ev(r, "ept_rmm_install", "tools");
    rh_assert_has(t, "AnyDesk");
    rh_assert_has(t, "Chrome Remote Desktop");
    const char *w = rh_ev(r, "ept_rmm_install", "where");
    rh_assert_has(w, "endpoint inventory");
    rh_assert_has(w, "session 2025-05-02T14:00:00Z");
    cr_assert(rh_clean(r, "ept_ip_kvm_or_sbc"));
}

Test(rules_post_hire, hardware_fires_separately) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e2",
        "post_hire" : {"endpoint_findings" : [ "pikvm", "mouse_jiggler" ]}
    }));
    const char *t = rh_ev(r, "ept_ip_kvm_or_sbc", "tools");
    rh_assert_has(t, "PiKVM");
    rh_assert_has(t, "a mouse jiggler");
    cr_assert(rh_clean(r, "ept_rmm_install"));
}

Test(rules_post_hire, unknown_tools_are_clean_absent_not_evaluated) {
    cJSON *r = rh_score(J({
        "candidate_id" : "e3",
        "post_hire" : {"endpoint_findings" : [ "zoom", "vscode" ]}
    }));
    cr_assert(rh_clean(r, "ept_rmm_install"));
    cr_assert(rh_clean(r, "ept_ip_kvm_or_sbc"));
    r = rh_score(J({"candidate_id" : "e3"}));
    cr_assert_not_null(rh_not_evaluated(r, "ept_rmm_install"));
    cr_assert_not_null(rh_not_evaluated(r, "ept_ip_kvm_or_sbc"));
    cr_assert_not_null(rh_not_evaluated(r, "ept_unmanaged_device_login"));
}

Test(rules_post_hire, unmanaged_logins) {
    cJSON *r = rh_score(
        J({"candidate_id" : "e4", "post_hire" : {"unmanaged_device_logins" : 3}}));
    rh_assert_has(rh_detail(r, "ept_unmanaged_device_login"), "3 time(s)");
    r = rh_score(
        J({"candidate_id" : "e4", "post_hire" : {"unmanaged_device_logins" : 0}}));
    cr_assert(rh_clean(r, "ept_unmanaged_device_login"));
}

Test(rules_post_hire, laptop_farm_combination) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"e5\",\"identity\":{\"residence\":{\"line1\":\"410 Peachtree "
        "St "
        "NE\",\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":\"30308\","
        "\"country\":"
        "\"US\"}},\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"12 Elm St\","
        "\"city\":\"Dover\",\"region\":\"DE\",\"postal_code\":\"19901\",\"country\":"
        "\"US\","
        "\"cmra\":true}}]},\"post_hire\":{\"endpoint_findings\":[\"rustdesk\"]}}");
    cr_assert_not_null(rh_reason(r, "combo_ship_forward_remote_access"));
    cr_assert_geq(rh_score_of(r), 70);
}

/* Every tool of the code's table is in data/remote_access_tools.tsv with the same kind
 * and sources, and the file has no entry the code lacks. */
Test(rules_post_hire, table_and_tsv_agree) {
    FILE *f = fopen(IDR_TEST_SOURCE_DIR "/data/remote_access_tools.tsv", "r");
    cr_assert_not_null(f);
    char line[512];
    size_t rows = 0;
    bool header = false;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n') {
            continue;
        }
        line[strcspn(line, "\r\n")] = '\0';
        if (!header) {
            header = true; /* column names */
            continue;
        }
        char *name = strtok(line, "\t");
        char *kind = strtok(NULL, "\t");
        char *label = strtok(NULL, "\t");
        char *sources = strtok(NULL, "\t");
        cr_assert(name && kind && label && sources, "short TSV row %zu", rows + 1);
        const char *k = NULL, *s = NULL, *n = NULL;
        size_t i = 0;
        for (; (n = idr__remote_access_tool_at(i, &k, &s)) != NULL; i++) {
            if (strcmp(n, name) == 0) {
                break;
            }
        }
        cr_assert_not_null(n, "TSV tool %s is not in lib/rules/post_hire.c", name);
        cr_assert_str_eq(k, kind, "kind of %s", name);
        cr_assert_str_eq(s, sources, "sources of %s", name);
        rows++;
    }
    fclose(f);
    size_t n_code = 0;
    while (idr__remote_access_tool_at(n_code, NULL, NULL)) {
        n_code++;
    }
    cr_assert_eq(rows, n_code, "TSV has %zu tools, the code %zu", rows, n_code);
}
