/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrich.c - the enrichment layer's entry points: the loader the engine hands the
 * modules, opening and closing them in their one dependency order, and enriching one
 * record with all of them.
 */
#include "enrich/enrich.h"
#include "enrich/geo/geo.h"
#include "enrich/lists/jurisdictions.h"
#include "enrich/lists/lists.h"
#include "enrich/names/names.h"
#include "enrich/phone/phone.h"

#include <string.h>

int idr__loader_add_data(idr__loader *ld, const idr__data_entry *d) {
    idr__data_entry *v = idr__arena_alloc(ld->arena, (ld->n_data + 1) * sizeof *v);
    if (!v) {
        return IDR_ENOMEM;
    }
    if (ld->n_data) {
        memcpy(v, ld->data, ld->n_data * sizeof *v);
    }
    idr__data_entry *e = &v[ld->n_data];
    e->name = idr__arena_strdup(ld->arena, d->name);
    e->type = idr__arena_strdup(ld->arena, d->type);
    e->version = idr__arena_strdup(ld->arena, d->version);
    e->build_date = idr__arena_strdup(ld->arena, d->build_date);
    e->license = idr__arena_strdup(ld->arena, d->license);
    e->attribution = idr__arena_strdup(ld->arena, d->attribution);
    ld->data = v;
    ld->n_data++;
    return IDR_OK;
}

int idr__loader_warn(idr__loader *ld, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = idr__arena_vprintf(ld->arena, fmt, ap);
    va_end(ap);
    const char **v = idr__arena_alloc(ld->arena, (ld->warnings.n + 1) * sizeof *v);
    if (!s || !v) {
        return IDR_ENOMEM;
    }
    if (ld->warnings.n) {
        memcpy(v, ld->warnings.v, ld->warnings.n * sizeof *v);
    }
    v[ld->warnings.n++] = s;
    ld->warnings.v = v;
    return IDR_OK;
}

int idr__modules_open(idr__modules *m, idr__loader *ld) {
    /* The order is the `data` order of every result: lists, jurisdictions, names,
     * geo, phone. The
     * lists need the name normaliser only to tokenise their names, which is done once
     * both are open, so neither module opens the other. */
    const char *why = NULL;
    int rc;
    if ((rc = idr__lists_open(ld, &m->lists, &why)) == IDR_OK && !m->lists) {
        m->lists_unavailable = why;
    }
    if (rc == IDR_OK && (rc = idr__jurisdictions_open(ld, &m->jur, &why)) == IDR_OK &&
        !m->jur) {
        m->jur_unavailable = why;
    }
    if (rc == IDR_OK && (rc = idr__names_open(ld, &m->names, &why)) == IDR_OK &&
        !m->names) {
        m->names_unavailable = why;
    }
    if (rc == IDR_OK && m->lists) {
        rc = idr__lists_prepare_names(m->lists, m->names);
    }
    if (rc == IDR_OK && (rc = idr__geo_open(ld, &m->geo, &why)) == IDR_OK && !m->geo) {
        m->geo_unavailable = why;
        rc = idr__loader_warn(ld, "IP enrichment not evaluated: %s", why);
    }
    if (rc == IDR_OK && (rc = idr__phone_open(ld, &m->phone, &why)) == IDR_OK &&
        !m->phone) {
        m->phone_unavailable = why;
        rc = idr__loader_warn(ld, "phone enrichment not evaluated: %s", why);
    }
    return rc;
}

void idr__modules_close(idr__modules *m) {
    if (!m) {
        return;
    }
    idr__phone_close(m->phone);
    idr__geo_close(m->geo);
    idr__names_close(m->names);
    idr__lists_close(m->lists);
    idr__jurisdictions_close(m->jur);
    m->jur = NULL;
    m->phone = NULL;
    m->geo = NULL;
    m->names = NULL;
    m->lists = NULL;
}

int idr__enrich(const idr__modules *m,
                const idr_candidate *c,
                idr__arena *a,
                idr__enrichment *en) {
    memset(en, 0, sizeof *en);
    en->m = m;
    en->c = c;
    en->arena = a;
    en->ips = idr__arena_calloc(a, (c->n_sessions + 1) * sizeof *en->ips);
    en->phones = idr__arena_calloc(a, (c->contacts.n_phones + 1) * sizeof *en->phones);
    en->emails = idr__arena_calloc(a, (c->contacts.n_emails + 1) * sizeof *en->emails);
    if (!en->ips || !en->phones || !en->emails) {
        return IDR_ENOMEM;
    }
    for (size_t i = 0; i < c->n_sessions; i++) {
        en->ips[i].lat = en->ips[i].lon = en->ips[i].distance_km = NAN;
        en->ips[i].accuracy_km = en->ips[i].anon_confidence = -1;
        en->ips[i].is_anonymous = en->ips[i].is_vpn = en->ips[i].is_hosting =
            en->ips[i].is_public_proxy = en->ips[i].is_residential_proxy =
                en->ips[i].is_tor = IDR__UNK;
    }
    for (size_t i = 0; i < c->contacts.n_phones; i++) {
        en->phones[i].valid = en->phones[i].possible = IDR__UNK;
    }
    int rc = idr__residence_resolve(en);
    if (rc == IDR_OK) {
        rc = idr__geo_enrich(en);
    }
    if (rc == IDR_OK) {
        rc = idr__jurisdiction_enrich(en);
    }
    if (rc == IDR_OK) {
        rc = idr__phone_enrich(en);
    }
    if (rc == IDR_OK) {
        rc = idr__email_enrich(en);
    }
    /* names before screening: the screening reads the name table's tokens */
    if (rc == IDR_OK) {
        rc = idr__names_enrich(en);
    }
    if (rc == IDR_OK) {
        rc = idr__screen_enrich(en);
    }
    if (rc == IDR_OK) {
        rc = idr__claims_enrich(en);
    }
    return rc;
}
