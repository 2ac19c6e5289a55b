/* SPDX-License-Identifier: Apache-2.0 */
/*
 * registry.c - the list of indicator families. An indicator is found by its catalog id;
 * ids are unique across families (checked by tests/unit/test_registry.c).
 */
#include "rules/rule.h"
#include <string.h>

extern const idr__family idr__family_ssn;
extern const idr__family idr__family_document;
extern const idr__family idr__family_identity;
extern const idr__family idr__family_workflow;
extern const idr__family idr__family_address;
extern const idr__family idr__family_interview;
extern const idr__family idr__family_payment;
extern const idr__family idr__family_work_history;
extern const idr__family idr__family_post_hire;
extern const idr__family idr__family_network;
extern const idr__family idr__family_phone;
extern const idr__family idr__family_email;

static const idr__family *const families[] = {
    &idr__family_ssn,      &idr__family_document,     &idr__family_identity,
    &idr__family_workflow, &idr__family_address,      &idr__family_interview,
    &idr__family_payment,  &idr__family_work_history, &idr__family_post_hire,
    &idr__family_network,  &idr__family_phone,        &idr__family_email,
};

const idr__indicator *idr__indicator_at(size_t i) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        const idr__indicator *const *p = families[f]->indicators;
        for (; *p; p++) {
            if (i == 0) {
                return *p;
            }
            i--;
        }
    }
    return NULL;
}

const idr__indicator *idr__indicator_find(const char *id) {
    const idr__indicator *ind;
    for (size_t i = 0; (ind = idr__indicator_at(i)) != NULL; i++) {
        if (strcmp(ind->id, id) == 0) {
            return ind;
        }
    }
    /* a deprecated id: the pack loader warns and uses the new one */
    for (size_t i = 0; (ind = idr__indicator_at(i)) != NULL; i++) {
        for (const char *const *a = ind->aliases; a && *a; a++) {
            if (strcmp(*a, id) == 0) {
                return ind;
            }
        }
    }
    return NULL;
}

const idr__family *idr__indicator_family(const idr__indicator *ind) {
    for (size_t f = 0; f < sizeof families / sizeof families[0]; f++) {
        for (const idr__indicator *const *p = families[f]->indicators; *p; p++) {
            if (*p == ind) {
                return families[f];
            }
        }
    }
    return NULL;
}
