/* SPDX-License-Identifier: Apache-2.0 */
/*
 * links.c - names of the cross-candidate link kinds and the indicator each is evidence
 * for. The store (lib/store) finds the links; the rules (lib/rules) read them; the
 * result writes these names.
 */
#include "enrich/enrich.h"

static const struct {
    const char *name, *indicator;
} kinds[IDR__LK_COUNT] = {
    [IDR__LK_SSN] = {"ssn", "ssn_reused"},
    [IDR__LK_PHONE] = {"phone", "id_dup_contact_across_applicants"},
    [IDR__LK_REFERENCE_PHONE] = {"reference_phone", "id_dup_contact_across_applicants"},
    [IDR__LK_EMAIL] = {"email", "id_dup_contact_across_applicants"},
    [IDR__LK_RESIDENCE] = {"residence_address", "id_dup_contact_across_applicants"},
    [IDR__LK_SHIPPING] = {"shipping_address", "adr_shared_by_hires"},
    [IDR__LK_ACCOUNT] = {"payout_account", "pay_shared_account"},
    [IDR__LK_WALLET] = {"wallet", "pay_shared_account"},
    [IDR__LK_DOCUMENT] = {"document", "id_dup_contact_across_applicants"},
    [IDR__LK_DEVICE] = {"device", "id_dup_contact_across_applicants"},
    [IDR__LK_IP] = {"ip", "net_shared_egress"},
    [IDR__LK_PHOTO] = {"photo", "id_multi_persona_photo"},
    [IDR__LK_RESUME] = {"resume", "wrk_resume_template_reuse"},
    [IDR__LK_REFERRER] = {"referrer", "wrk_referral_chain"},
};

const char *idr__link_kind_name(idr__link_kind k) {
    return (unsigned)k < IDR__LK_COUNT ? kinds[k].name : "unknown";
}

const char *idr__link_kind_indicator(idr__link_kind k) {
    return (unsigned)k < IDR__LK_COUNT ? kinds[k].indicator : "unknown";
}
