/* SPDX-License-Identifier: Apache-2.0 */
/*
 * workflow.c - the "workflow" family (wf_): how the candidate steers the hiring
 * conversation.
 *
 *   wf_off_platform_pressure  pressure to move off the hiring platform was recorded
 *   wf_messaging_only         reachable only through messaging apps, or messaging apps
 *                             together with off-platform pressure
 *
 * The other workflow.* flags belong to the family of what they are about: refusals of
 * in-person or notarized identity steps are doc_refuses_inperson_notarized
 * (document.c), pressure to be paid in advance is pay_prepay_pressure (payment.c).
 *
 * These are structured flags from the caller's HR workflow (workflow.* and
 * contacts.messaging). idrisk does not infer them; it reports the ones set to true.
 * A flag the caller did not record is unknown and never fires.
 *
 * wf_messaging_only is deliberately narrow: preferring Telegram, WhatsApp or Signal is
 * ordinary (privacy, cost, habit) and never fires on its own. It fires only when the
 * messaging apps are the *only* way to reach the person (no email and no phone on
 * file) or come together with recorded pressure to move off the hiring platform.
 */
#include "rules/rule.h"

static const char *const no_keys[] = {NULL};

/* ---- wf_off_platform_pressure (project; refines pay_prepay_pressure, [G22]) ---- */
static void eval_off_platform(idr__ctx *ctx, const idr__indicator *ind) {
    idr__tri v = ctx->c->workflow.off_platform_pressure;
    if (v == IDR__UNK) {
        idr__not_evaluated(ctx, ind, "off-platform pressure not recorded");
        return;
    }
    if (v == 1) {
        idr__hit(ctx, ind);
    }
}

static const idr__indicator wf_off_platform_pressure = {
    .id = "wf_off_platform_pressure",
    .evidence_keys = no_keys,
    .eval = eval_off_platform,
};

/* ---- wf_messaging_only (project; refines phn_changing_contact, [G22]) ---------- */
static const char *const messaging_keys[] = {"channels", "context", NULL};

static void eval_messaging(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__contacts *ct = &ctx->c->contacts;
    if (!(ctx->c->has & IDR__HAS_CONTACTS)) {
        idr__not_evaluated(ctx, ind, "no contacts on file");
        return;
    }
    if (ct->messaging.n == 0) {
        return;
    }
    const char *context = NULL;
    if (ct->n_emails == 0 && ct->n_phones == 0) {
        context = "no email address or phone number on file";
    } else if (ctx->c->workflow.off_platform_pressure == 1) {
        context = "recorded pressure to move off the hiring platform";
    }
    if (context == NULL) {
        return; /* an app preference alone is not a signal */
    }
    const char *channels = NULL;
    for (size_t i = 0; i < ct->messaging.n; i++) {
        idr__list_add(ctx, ", ", &channels, ct->messaging.v[i]);
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "channels", channels);
    idr__ev_str(ev, "context", context);
}

static const idr__indicator wf_messaging_only = {
    .id = "wf_messaging_only",
    .evidence_keys = messaging_keys,
    .eval = eval_messaging,
};

static const idr__indicator *const indicators[] = {&wf_off_platform_pressure,
                                                   &wf_messaging_only, NULL};

const idr__family idr__family_workflow = {.name = "workflow",
                                          .prefix = "wf_",
                                          .file = "lib/rules/workflow.c",
                                          .indicators = indicators};
