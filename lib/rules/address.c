/* SPDX-License-Identifier: Apache-2.0 */
/*
 * address.c - the "address" family: where company equipment goes and where it ends up.
 *
 * Laptop farms work because issued laptops are sent somewhere other than the hired
 * person's home: a facilitator's house, a mail-receiving agency, a forwarder
 * [G22][P24][DOJ-Chap25]. These indicators compare addresses *with each other* (the
 * claimed residence, the shipment addresses, the device's reported location); they
 * never score a neighbourhood, a ZIP code or a country as such.
 *
 * Address comparison: two addresses are the same delivery point when their normalised
 * first line (idr__norm_simple: lower case, punctuation collapsed), normalised postal
 * code and country agree. That is cruder than USPS CASS standardisation ("Street" vs
 * "St" differ), so the detail always shows both addresses for a human to judge. A
 * recipient other than the candidate is reported with a differing shipment, never on
 * its own.
 */
#include "rules/rule.h"

#include <string.h>

/* late_change_days (adr_late_change): a shipment requested this many days or fewer
 * before its ship date (or the start date) counts as a late change. [SW24][NYDFS][P24]
 * describe delivery addresses changed shortly before start without a number; one
 * working week is a project choice that covers "the week before start" and leaves
 * earlier relocations alone. */
enum { P_LATE_CHANGE_DAYS };
static const idr__param late_params[] = {
    [P_LATE_CHANGE_DAYS] = {.name = "late_change_days",
                            .def = 7,
                            .min = 0,
                            .max = 90,
                            .doc = "days before the ship or start date within which a "
                                   "new shipment address counts as late"},
};

/* geodrift_km (adr_device_geodrift): a device location farther than this from the
 * claimed residence counts as drift. [NYDFS][P24] give no distance. Project choice:
 * 100 km is beyond a metro area and beyond the error of Wi-Fi/IP-based device
 * geolocation (city level, tens of km), so commuting, a coworking space or a weekend
 * nearby never fires. */
enum { P_GEODRIFT_KM };
static const idr__param drift_params[] = {
    [P_GEODRIFT_KM] = {.name = "geodrift_km",
                       .def = 100.0,
                       .min = 10.0,
                       .max = 20000.0,
                       .doc = "km from the residence beyond which a device location "
                              "counts as drift"},
};

/* "12 Elm St, Dover, DE 19901, US" from whatever parts are present. */
static const char *fmt_address(idr__ctx *ctx, const idr__address *a, bool with_street) {
    const char *out = NULL;
    const char *sep = "";
    if (with_street && a->line1) {
        out = idr__arena_printf(ctx->arena, "%s", a->line1);
        sep = ", ";
    }
    if (a->city) {
        out = idr__arena_printf(ctx->arena, "%s%s%s", out ? out : "", sep, a->city);
        sep = ", ";
    }
    if (a->region && (with_street && a->postal_code)) {
        out = idr__arena_printf(ctx->arena, "%s%s%s %s", out ? out : "", sep, a->region,
                                a->postal_code);
        sep = ", ";
    } else if (a->region) {
        out = idr__arena_printf(ctx->arena, "%s%s%s", out ? out : "", sep, a->region);
        sep = ", ";
    } else if (with_street && a->postal_code) {
        out =
            idr__arena_printf(ctx->arena, "%s%s%s", out ? out : "", sep, a->postal_code);
        sep = ", ";
    }
    if (a->country[0]) {
        out = idr__arena_printf(ctx->arena, "%s%s%s", out ? out : "", sep, a->country);
    }
    return out ? out : "address without details";
}

/* Comparable only when the street line is known. */
static bool comparable(const idr__address *a) {
    return a->present && a->line1 != NULL;
}

static bool same_point(idr__ctx *ctx, const idr__address *a, const idr__address *b) {
    const char *l1 = idr__norm_simple(ctx->arena, a->line1);
    const char *l2 = idr__norm_simple(ctx->arena, b->line1);
    if (l1 == NULL || l2 == NULL || strcmp(l1, l2) != 0) {
        return false;
    }
    if (a->postal_code && b->postal_code) {
        const char *p1 = idr__norm_simple(ctx->arena, a->postal_code);
        const char *p2 = idr__norm_simple(ctx->arena, b->postal_code);
        if (p1 == NULL || p2 == NULL || strcmp(p1, p2) != 0) {
            return false;
        }
    }
    if (a->country[0] && b->country[0] && strcmp(a->country, b->country) != 0) {
        return false;
    }
    return true;
}

static const char *flags_suffix(const idr__address *a) {
    if (a->cmra == 1) {
        return " (CMRA)";
    }
    if (a->residential == 0) {
        return " (non-residential)";
    }
    return "";
}

/* Approved travel covering `day` to `country` (country may be empty: any). */
static const idr__travel *
travel_explains(const idr__ctx *ctx, int32_t day, const char *country) {
    if (day == IDR__DATE_NONE) {
        return NULL;
    }
    const idr__travel *t = idr__travel_covering(ctx, day);
    if (t == NULL) {
        return NULL;
    }
    if (country[0] && t->country[0] && strcmp(country, t->country) != 0) {
        return NULL;
    }
    return t;
}

static const char *travel_text(idr__ctx *ctx, const idr__travel *t) {
    char a[11], b[11];
    idr__format_date(t->from, a);
    idr__format_date(t->to, b);
    return idr__arena_printf(ctx->arena, "approved travel %s..%s to %s", a, b,
                             t->country[0] ? t->country : "an unstated country");
}

static int32_t day_of(int64_t t) {
    if (t == IDR__TIME_NONE) {
        return IDR__DATE_NONE;
    }
    return (int32_t)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
}

/* ---- adr_ship_not_id_address [G22][P24][U42-24] -------------------------------- */
static const char *const ship_keys[] = {"ship_address", "residence", "count", "recipient",
                                        NULL};

static void eval_ship_not_id(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const idr__address *home = &c->identity.residence;
    if (c->equipment.n_shipments == 0) {
        idr__not_evaluated(ctx, ind, "no equipment shipments on file");
        return;
    }
    if (!comparable(home)) {
        idr__not_evaluated(ctx, ind,
                           "no residence street address on file to compare with");
        return;
    }
    const char *first = NULL;
    const char *recipients = NULL;
    const char *cleared = NULL;
    long long count = 0;
    bool any_comparable = false;
    for (size_t i = 0; i < c->equipment.n_shipments; i++) {
        const idr__shipment *s = &c->equipment.shipments[i];
        const char *rcpt = NULL;
        /* names tokenised once in enrichment; a recipient past the table's cap
         * (docs/names.md) is not compared */
        const idr__name_table *nt = &ctx->en->rec.names;
        if (s->recipient_name && c->identity.full_name && i < nt->n_recipients &&
            !idr__name_match(ctx, &nt->recipients[i], &nt->full_name)) {
            bool alias = false;
            for (size_t k = 0; k < nt->n_aliases; k++) {
                alias =
                    alias || idr__name_match(ctx, &nt->recipients[i], &nt->aliases[k]);
            }
            if (!alias) {
                rcpt = s->recipient_name;
            }
        }
        bool differs = false;
        if (comparable(&s->address)) {
            any_comparable = true;
            differs = !same_point(ctx, &s->address, home);
        }
        /* A parcel to the home addressed to someone else (a spouse, a flatmate) is not
         * a different delivery point; the recipient only adds to the evidence of a
         * shipment that goes elsewhere. (Name conflicts across records are the names
         * family's id_cross_profile_mismatch; counting them here too would score one
         * fact twice.) */
        if (!differs) {
            continue;
        }
        const idr__travel *t = travel_explains(ctx, s->ship_date, s->address.country);
        if (t != NULL && rcpt == NULL) {
            idr__list_add(ctx, "; ", &cleared, travel_text(ctx, t));
            continue;
        }
        count++;
        if (first == NULL) {
            first =
                idr__arena_printf(ctx->arena, "%s%s", fmt_address(ctx, &s->address, true),
                                  flags_suffix(&s->address));
        }
        if (rcpt) {
            idr__list_add(ctx, "; ", &recipients, rcpt);
        }
    }
    if (!any_comparable) {
        idr__not_evaluated(ctx, ind, "no shipment has a street address to compare");
        return;
    }
    if (count == 0) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "ship_address", first);
    idr__ev_str(ev, "residence", fmt_address(ctx, home, false));
    idr__ev_int(ev, "count", count);
    idr__ev_str(ev, "recipient",
                recipients ? idr__arena_printf(ctx->arena, "addressed to %s", recipients)
                           : "addressed to the candidate");
}

static const idr__indicator adr_ship_not_id_address = {
    .id = "adr_ship_not_id_address",
    .evidence_keys = ship_keys,
    .eval = eval_ship_not_id,
};

/* ---- adr_late_change [SW24][NYDFS][P24] ----------------------------------------- */
static const char *const late_keys[] = {"requested_at", "deadline",         "days_before",
                                        "new_address",  "previous_address", NULL};

static void eval_late_change(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    if (c->equipment.n_shipments == 0) {
        idr__not_evaluated(ctx, ind, "no equipment shipments on file");
        return;
    }
    bool timed = false;
    for (size_t i = 0; i < c->equipment.n_shipments; i++) {
        const idr__shipment *s = &c->equipment.shipments[i];
        int32_t deadline =
            s->ship_date != IDR__DATE_NONE ? s->ship_date : c->engagement.start_date;
        if (s->requested_at == IDR__TIME_NONE || deadline == IDR__DATE_NONE) {
            continue;
        }
        timed = true;
        int32_t req = day_of(s->requested_at);
        int32_t before = deadline - req;
        if (before < 0 || before > idr__param_of(ctx, P_LATE_CHANGE_DAYS) ||
            !comparable(&s->address)) {
            continue;
        }
        /* Compare with the latest earlier-requested shipment, else the residence. */
        const idr__address *prev = NULL;
        int64_t prev_at = IDR__TIME_NONE;
        for (size_t j = 0; j < c->equipment.n_shipments; j++) {
            const idr__shipment *o = &c->equipment.shipments[j];
            if (j == i || o->requested_at == IDR__TIME_NONE ||
                o->requested_at >= s->requested_at || !comparable(&o->address)) {
                continue;
            }
            if (prev == NULL || o->requested_at > prev_at) {
                prev = &o->address;
                prev_at = o->requested_at;
            }
        }
        bool prev_is_home = false;
        if (prev == NULL && comparable(&c->identity.residence)) {
            prev = &c->identity.residence;
            prev_is_home = true;
        }
        if (prev == NULL || same_point(ctx, &s->address, prev)) {
            continue;
        }
        if (travel_explains(ctx, s->ship_date, s->address.country) != NULL) {
            idr__suppress(
                ctx, ind, "%s",
                travel_text(ctx, travel_explains(ctx, s->ship_date, s->address.country)));
            return;
        }
        idr__ev *ev = idr__hit(ctx, ind);
        char at[21], dl[11];
        idr__format_instant(s->requested_at, at);
        idr__format_date(deadline, dl);
        idr__ev_str(ev, "requested_at", at);
        idr__ev_str(ev, "deadline",
                    idr__arena_printf(
                        ctx->arena, "%s %s",
                        s->ship_date != IDR__DATE_NONE ? "ship date" : "start date", dl));
        idr__ev_int(ev, "days_before", before);
        idr__ev_str(ev, "new_address",
                    idr__arena_printf(ctx->arena, "%s%s",
                                      fmt_address(ctx, &s->address, true),
                                      flags_suffix(&s->address)));
        idr__ev_str(ev, "previous_address",
                    idr__arena_printf(
                        ctx->arena, "%s (%s)", fmt_address(ctx, prev, !prev_is_home),
                        prev_is_home ? "the residence" : "an earlier shipment"));
        return;
    }
    if (!timed) {
        idr__not_evaluated(
            ctx, ind, "no shipment has both a request time and a ship or start date");
    }
}

static const idr__indicator adr_late_change = {
    .id = "adr_late_change",
    .evidence_keys = late_keys,
    .eval = eval_late_change,
    .params = late_params,
    .n_params = sizeof late_params / sizeof late_params[0],
};

/* ---- adr_forwarder_cmra [P23][P24] ---------------------------------------------- */
static const char *const cmra_keys[] = {"addresses", "count", NULL};

static void eval_cmra(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    bool known = false;
    const char *list = NULL;
    long long n = 0;
    for (size_t i = 0; i <= c->equipment.n_shipments; i++) {
        const idr__address *a = i == c->equipment.n_shipments
                                    ? &c->identity.residence
                                    : &c->equipment.shipments[i].address;
        const char *role = i == c->equipment.n_shipments ? "residence" : "shipment";
        if (!a->present) {
            continue;
        }
        known = known || a->cmra != IDR__UNK || a->residential != IDR__UNK;
        const char *what = a->cmra == 1          ? "commercial mail receiving agency"
                           : a->residential == 0 ? "non-residential delivery point"
                                                 : NULL;
        if (what) {
            n++;
            idr__list_add(ctx, "; ", &list,
                          idr__arena_printf(ctx->arena, "%s %s is a %s", role,
                                            fmt_address(ctx, a, true), what));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "no address verification (CMRA or residential flag) on file");
        return;
    }
    if (n == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "addresses", list);
    idr__ev_int(ev, "count", n);
}

static const idr__indicator adr_forwarder_cmra = {
    .id = "adr_forwarder_cmra",
    .evidence_keys = cmra_keys,
    .eval = eval_cmra,
};

/* ---- adr_byod_insistence [SW24][GTIG25] ----------------------------------------- */
static const char *const no_keys[] = {NULL};

static void eval_byod(idr__ctx *ctx, const idr__indicator *ind) {
    idr__tri v = ctx->c->equipment.byod_requested;
    if (v == IDR__UNK) {
        idr__not_evaluated(ctx, ind, "no device preference recorded");
        return;
    }
    if (v == 1) {
        idr__hit(ctx, ind);
    }
}

static const idr__indicator adr_byod_insistence = {
    .id = "adr_byod_insistence",
    .evidence_keys = no_keys,
    .eval = eval_byod,
};

/* ---- adr_device_geodrift [NYDFS][P24][DOJ-Chap25] ------------------------------- */
static const char *const drift_keys[] = {"location",  "at",    "distance",
                                         "residence", "count", NULL};

static void eval_geodrift(idr__ctx *ctx, const idr__indicator *ind) {
    const idr_candidate *c = ctx->c;
    const idr__post_hire *ph = &c->post_hire;
    const char *home_cc = c->identity.residence.country;
    if (ph->n_device_locations == 0) {
        idr__not_evaluated(ctx, ind, "no device locations on file");
        return;
    }
    if (!ctx->en->residence.known && !home_cc[0]) {
        idr__not_evaluated(ctx, ind,
                           "the residence has neither coordinates nor a country");
        return;
    }
    long long n = 0;
    const idr__device_location *worst = NULL;
    double worst_km = -1.0;
    bool worst_country = false;
    const char *cleared = NULL;
    for (size_t i = 0; i < ph->n_device_locations; i++) {
        const idr__device_location *d = &ph->device_locations[i];
        bool other_country =
            home_cc[0] && d->country[0] && strcmp(home_cc, d->country) != 0;
        double km = NAN;
        if (ctx->en->residence.known && !isnan(d->lat) && !isnan(d->lon)) {
            km = idr__distance_km(ctx->en->residence.lat, ctx->en->residence.lon, d->lat,
                                  d->lon);
        }
        bool far = !isnan(km) && km > idr__param_of(ctx, P_GEODRIFT_KM);
        if (!other_country && !far) {
            continue;
        }
        const idr__travel *t = travel_explains(ctx, day_of(d->at), d->country);
        if (t != NULL) {
            idr__list_add(ctx, "; ", &cleared, travel_text(ctx, t));
            continue;
        }
        n++;
        double rank = isnan(km) ? 0.0 : km;
        if (worst == NULL || rank > worst_km || (other_country && !worst_country)) {
            worst = d;
            worst_km = rank;
            worst_country = other_country;
        }
    }
    if (n == 0) {
        if (cleared) {
            idr__suppress(ctx, ind, "%s", cleared);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    if (!isnan(worst->lat) && !isnan(worst->lon)) {
        idr__ev_strf(ev, "location", "%.3f, %.3f%s%s", worst->lat, worst->lon,
                     worst->country[0] ? " in " : "", worst->country);
    } else {
        idr__ev_str(ev, "location", worst->country);
    }
    if (worst->at != IDR__TIME_NONE) {
        char at[21];
        idr__format_instant(worst->at, at);
        idr__ev_str(ev, "at", at);
    } else {
        idr__ev_str(ev, "at", "an unrecorded time");
    }
    if (worst_km > 0) {
        idr__ev_strf(ev, "distance", "%.0f km from the residence", worst_km);
    } else {
        idr__ev_strf(ev, "distance", "outside the residence country %s", home_cc);
    }
    idr__ev_str(ev, "residence",
                ctx->en->residence.known && ctx->en->residence.label
                    ? ctx->en->residence.label
                    : fmt_address(ctx, &c->identity.residence, false));
    idr__ev_int(ev, "count", n);
}

static const idr__indicator adr_device_geodrift = {
    .id = "adr_device_geodrift",
    .evidence_keys = drift_keys,
    .eval = eval_geodrift,
    .params = drift_params,
    .n_params = sizeof drift_params / sizeof drift_params[0],
};

/* ---- adr_shared_by_hires [DOJ-Chap25][DOJ-Knoot][DOJ-Jun25] ------------------------
 * A shipment address of this record is another candidate's shipping or residence
 * address (the store compares normalised addresses by keyed hash), and that candidate
 * has a different name: the laptop-farm pattern of the facilitator cases, where one
 * house received the laptops of many differently named hires. A declared household,
 * or the same surname at the address, is a family and is not counted.
 * min_others: one differently named other candidate is enough by default; the cases
 * describe dozens of laptops at one address, and a pool with many shared mailrooms
 * (a campus, a coworking space) may raise it. */
enum { P_MIN_OTHERS };
static const idr__param shared_params[] = {
    [P_MIN_OTHERS] = {.name = "min_others",
                      .def = 1,
                      .min = 1,
                      .max = 100,
                      .doc = "differently named other candidates at one of the "
                             "shipment addresses at least which it fires"},
};

static const char *const shared_keys[] = {"others",      "count",    "shipments", "min",
                                          "not_counted", "not_read", NULL};

static void eval_shared_by_hires(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    const idr_candidate *c = ctx->c;
    if (c->equipment.n_shipments == 0) {
        idr__not_evaluated(ctx, ind, "no equipment shipments on file");
        return;
    }
    idr__others others = {0}, shipments = {0};
    idr__link_cleared cleared = {0};
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *k = &l->v[i];
        if (k->kind != IDR__LK_SHIPPING) {
            continue;
        }
        idr__link_excl why = idr__link_classify(k, true);
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, k);
            continue;
        }
        idr__others_add(ctx, &others, k->other_id, NULL);
        if (k->own_index < c->equipment.n_shipments) {
            const idr__shipment *s = &c->equipment.shipments[k->own_index];
            const char *n = idr__arena_printf(ctx->arena, "%zu", k->own_index + 1);
            const char *d =
                s->ship_date != IDR__DATE_NONE ? idr__date_text(ctx, s->ship_date) : NULL;
            idr__others_add(ctx, &shipments, n,
                            d ? idr__arena_printf(ctx->arena, "shipment %s (%s)", n, d)
                              : idr__arena_printf(ctx->arena, "shipment %s", n ? n : ""));
        }
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    double min = idr__param_of(ctx, P_MIN_OTHERS);
    if (others.n == 0 || (double)others.n < min) {
        if (cl) {
            idr__suppress(ctx, ind, "%s", cl);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "others", others.list);
    idr__ev_int(ev, "count", (long long)others.n);
    idr__ev_str(ev, "shipments", shipments.list ? shipments.list : "a shipment");
    idr__ev_int(ev, "min", (long long)min);
    idr__ev_str(ev, "not_counted", cl ? cl : "none");
    idr__ev_int(ev, "not_read",
                (long long)idr__links_not_read(l, 1u << IDR__LK_SHIPPING));
}

static const idr__indicator adr_shared_by_hires = {
    .id = "adr_shared_by_hires",
    .evidence_keys = shared_keys,
    .eval = eval_shared_by_hires,
    .needs = IDR__NEED_STORE,
    .params = shared_params,
    .n_params = sizeof shared_params / sizeof shared_params[0],
};

static const idr__indicator *const indicators[] = {&adr_ship_not_id_address,
                                                   &adr_forwarder_cmra,
                                                   &adr_late_change,
                                                   &adr_byod_insistence,
                                                   &adr_device_geodrift,
                                                   &adr_shared_by_hires,
                                                   NULL};

const idr__family idr__family_address = {.name = "address",
                                         .prefix = "adr_",
                                         .file = "lib/rules/address.c",
                                         .indicators = indicators};
