/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_rules_shipping.c - the address family (lib/rules/shipping.c):
 * adr_ship_not_id_address, adr_late_change, adr_forwarder_cmra, adr_byod_insistence,
 * adr_device_geodrift.
 */
#include "../rules_helpers.h"

TestSuite(rules_shipping, .init = rh_setup, .fini = rh_teardown);

#define HOME                                                                             \
    "\"identity\":{\"full_name\":\"Dana Reyes\",\"residence\":{\"line1\":\"410 "         \
    "Peachtree "                                                                         \
    "St NE\",\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":\"30308\","          \
    "\"country\":\"US\",\"lat\":33.7712,\"lon\":-84.3857}}"

Test(rules_shipping, shipment_to_cmra_elsewhere) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"a1\"," HOME
                 ",\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"12 Elm "
                 "St\",\"city\":\"Dover\",\"region\":\"DE\",\"postal_code\":\"19901\","
                 "\"country\":\"US\",\"cmra\":true}}]}}");
    const char *d = rh_detail(r, "adr_ship_not_id_address");
    rh_assert_has(d, "12 Elm St, Dover, DE 19901, US (CMRA)");
    rh_assert_has(d, "Atlanta, GA, US");
    rh_assert_has(rh_ev(r, "adr_forwarder_cmra", "addresses"),
                  "commercial mail receiving agency");
}

Test(rules_shipping, same_address_differently_written_is_clean) {
    cJSON *r = rh_score("{\"candidate_id\":\"a1\"," HOME
                        ",\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"410 "
                        "PEACHTREE ST. NE\",\"postal_code\":\"30308\",\"country\":\"US\","
                        "\"cmra\":false,\"residential\":true},\"recipient_name\":\"Dana "
                        "Reyes\"}]}}");
    cr_assert(rh_clean(r, "adr_ship_not_id_address"));
    cr_assert(rh_clean(r, "adr_forwarder_cmra"));
}

Test(rules_shipping, other_recipient_only_with_a_different_address) {
    /* Home address, someone else's name: not this indicator's business. */
    cJSON *r = rh_score("{\"candidate_id\":\"a1\"," HOME
                        ",\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"410 "
                        "Peachtree St NE\",\"postal_code\":\"30308\",\"country\":\"US\"},"
                        "\"recipient_name\":\"Morgan Blake\"}]}}");
    cr_assert(rh_clean(r, "adr_ship_not_id_address"));
    /* Elsewhere and to someone else: both in the evidence. */
    r = rh_score("{\"candidate_id\":\"a1\"," HOME
                 ",\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"9 Example "
                 "Ct\",\"postal_code\":\"30030\",\"country\":\"US\"},"
                 "\"recipient_name\":\"Morgan Blake\"}]}}");
    rh_assert_has(rh_ev(r, "adr_ship_not_id_address", "recipient"), "Morgan Blake");
}

Test(rules_shipping, no_shipments_not_evaluated) {
    cJSON *r = rh_score("{\"candidate_id\":\"a1\"," HOME "}");
    rh_assert_has(rh_not_evaluated(r, "adr_ship_not_id_address"),
                  "no equipment shipments");
    cr_assert_not_null(rh_not_evaluated(r, "adr_late_change"));
    cr_assert_not_null(rh_not_evaluated(r, "adr_byod_insistence"));
    cr_assert_not_null(rh_not_evaluated(r, "adr_device_geodrift"));
}

Test(rules_shipping, shipment_during_approved_travel_is_suppressed) {
    cJSON *r = rh_score("{\"candidate_id\":\"a1\"," HOME
                        ",\"travel\":[{\"from\":\"2025-03-01\",\"to\":\"2025-03-30\","
                        "\"country\":\"GB\",\"approved\":true}],"
                        "\"equipment\":{\"shipments\":[{\"ship_date\":\"2025-03-05\","
                        "\"address\":{\"line1\":\"5 Example Road\",\"city\":\"London\","
                        "\"postal_code\":\"N1 9GU\",\"country\":\"GB\"}}]}}");
    cr_assert_null(rh_reason(r, "adr_ship_not_id_address"));
    rh_assert_has(rh_suppressed(r, "adr_ship_not_id_address"), "approved travel");
}

Test(rules_shipping, late_change_fires) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"a2\"," HOME
        ",\"engagement\":{\"start_date\":\"2025-04-07\"},"
        "\"equipment\":{\"shipments\":[{\"requested_at\":\"2025-03-20T10:00:00Z\","
        "\"address\":{\"line1\":\"410 Peachtree St NE\",\"postal_code\":\"30308\","
        "\"country\":\"US\"}},{\"requested_at\":\"2025-04-03T22:10:00Z\","
        "\"address\":{\"line1\":\"88 Harbor Way\",\"city\":\"Newark\",\"region\":\"NJ\","
        "\"postal_code\":\"07105\",\"country\":\"US\"}}]}}");
    cr_assert_str_eq(rh_ev(r, "adr_late_change", "days_before"), "4");
    rh_assert_has(rh_ev(r, "adr_late_change", "new_address"), "88 Harbor Way");
    rh_assert_has(rh_ev(r, "adr_late_change", "previous_address"), "an earlier shipment");
    rh_assert_has(rh_detail(r, "adr_late_change"), "start date 2025-04-07");
}

Test(rules_shipping, early_request_is_clean) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"a2\"," HOME
        ",\"engagement\":{\"start_date\":\"2025-04-07\"},"
        "\"equipment\":{\"shipments\":[{\"requested_at\":\"2025-03-01T10:00:00Z\","
        "\"address\":{\"line1\":\"88 Harbor Way\",\"postal_code\":\"07105\","
        "\"country\":\"US\"}}]}}");
    cr_assert(rh_clean(r, "adr_late_change"));
}

Test(rules_shipping, byod) {
    cJSON *r =
        rh_score(J({"candidate_id" : "a3", "equipment" : {"byod_requested" : true}}));
    cr_assert_not_null(rh_reason(r, "adr_byod_insistence"));
    r = rh_score(J({"candidate_id" : "a3", "equipment" : {"byod_requested" : false}}));
    cr_assert(rh_clean(r, "adr_byod_insistence"));
}

Test(rules_shipping, device_far_from_home_fires) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"a4\"," HOME
                 ",\"post_hire\":{\"device_locations\":[{\"at\":\"2025-05-02T15:00:"
                 "00Z\",\"lat\":33.80,\"lon\":-84.40,\"country\":\"US\"},{\"at\":"
                 "\"2025-05-03T15:00:00Z\",\"lat\":41.80,\"lon\":123.43,\"country\":"
                 "\"CN\"}]}}");
    cJSON *reason = rh_reason(r, "adr_device_geodrift");
    cr_assert_not_null(reason);
    rh_assert_has(rh_ev(r, "adr_device_geodrift", "location"), "CN");
    rh_assert_has(rh_ev(r, "adr_device_geodrift", "at"), "2025-05-03");
    cr_assert_str_eq(rh_ev(r, "adr_device_geodrift", "count"), "1");
}

Test(rules_shipping, device_near_home_is_clean_travel_suppresses) {
    cJSON *r =
        rh_score("{\"candidate_id\":\"a4\"," HOME
                 ",\"post_hire\":{\"device_locations\":[{\"at\":\"2025-05-02T15:00:"
                 "00Z\",\"lat\":33.95,\"lon\":-84.55,\"country\":\"US\"}]}}");
    cr_assert(rh_clean(r, "adr_device_geodrift"));
    r = rh_score(
        "{\"candidate_id\":\"a4\"," HOME
        ",\"travel\":[{\"from\":\"2025-05-01\",\"to\":\"2025-05-10\",\"country\":"
        "\"GB\",\"approved\":true}],\"post_hire\":{\"device_locations\":[{\"at\":"
        "\"2025-05-02T15:00:00Z\",\"lat\":51.5072,\"lon\":-0.1276,\"country\":"
        "\"GB\"}]}}");
    cr_assert_null(rh_reason(r, "adr_device_geodrift"));
    rh_assert_has(rh_suppressed(r, "adr_device_geodrift"),
                  "2025-05-01..2025-05-10 to GB");
}

Test(rules_shipping, cmra_unknown_is_not_evaluated_residential_false_fires) {
    cJSON *r = rh_score("{\"candidate_id\":\"a5\"," HOME "}");
    cr_assert(rh_clean(r, "adr_forwarder_cmra") == false);
    cr_assert_not_null(rh_not_evaluated(r, "adr_forwarder_cmra"));
    r = rh_score(J({
        "candidate_id" : "a5",
        "identity" : {
            "residence" :
                {"line1" : "1 Example Plaza", "country" : "US", "residential" : false}
        }
    }));
    rh_assert_has(rh_ev(r, "adr_forwarder_cmra", "addresses"),
                  "residence 1 Example Plaza, US is a non-residential delivery point");
}

Test(rules_shipping, late_change_during_approved_travel_is_suppressed) {
    cJSON *r = rh_score(
        "{\"candidate_id\":\"a6\"," HOME
        ",\"travel\":[{\"from\":\"2025-04-01\",\"to\":\"2025-04-20\",\"country\":\"CA\","
        "\"approved\":true}],\"equipment\":{\"shipments\":[{\"requested_at\":"
        "\"2025-04-03T10:00:00Z\",\"ship_date\":\"2025-04-06\",\"address\":{\"line1\":"
        "\"20 Example Street\",\"city\":\"Toronto\",\"postal_code\":\"M5V 1A1\","
        "\"country\":\"CA\"}}]}}");
    cr_assert_null(rh_reason(r, "adr_late_change"));
    rh_assert_has(rh_suppressed(r, "adr_late_change"), "approved travel");
}
