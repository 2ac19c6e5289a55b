/* SPDX-License-Identifier: Apache-2.0 */
/* minimal.c - score one candidate record with idrisk's defaults and print the triage. */
#include <idrisk/idrisk.h>
#include <stdio.h>
#include <string.h>

int main(void) {
    const char *json = "{\"candidate_id\":\"c-1\",\"as_of\":\"2026-01-15T12:00:00Z\","
                       "\"post_hire\":{\"endpoint_findings\":[\"anydesk\",\"pikvm\"]}}";
    idr_engine *eng = NULL;
    idr_result *res = NULL;
    idr_error err;
    if (idr_engine_new(&eng, NULL, &err) != IDR_OK) {
        fprintf(stderr, "engine: %s\n", err.message);
        return 1;
    }
    if (idr_engine_score_json(eng, json, strlen(json), &res, &err) != IDR_OK) {
        fprintf(stderr, "score: %s (%s)\n", err.message, err.field);
        idr_engine_free(eng);
        return 2;
    }
    printf("%s: score %d, band %s, action %s\n", idr_result_candidate_id(res),
           idr_result_score(res), idr_result_band(res), idr_result_action(res));
    for (size_t i = 0; i < idr_result_reason_count(res); i++) {
        const idr_reason *r = idr_result_reason(res, i);
        printf("  +%g %s: %s\n    verify: %s\n", r->points, r->id, r->detail, r->verify);
    }
    idr_result_free(res);
    idr_engine_free(eng);
    return 0;
}
