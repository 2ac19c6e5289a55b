/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ssn.c - the "ssn" indicator family.
 *
 * ssn_invalid_structure checks the one thing about a US Social Security number that
 * can be checked offline and stays true forever: numbers the SSA never issues. The
 * area number (first three digits) carries no geographic meaning for numbers issued
 * since SSA randomization on 25 June 2011 [SSA], so no state/area plausibility check is
 * made here (docs/ssn.md explains why). Whether a valid-looking number belongs to the
 * person is a question for SSA's consent-based verification, not for this file.
 *
 * ssn_holder_complaint is the post-hire case flag an HR or payroll team sets when the
 * real holder of the identity reports misuse [MPOD25][DOJ-Chap25].
 *
 * ssn_reused [DOJ-Chap25][OFAC-Jul25a] reads the cross-candidate links: the same SSN
 * on a differently named candidate's record (rules/rule.h "Cross-candidate links").
 *
 * Evidence never carries the SSN itself: only its last four digits, or the masked form
 * "***-**-1234" (ssn_reused names only the other candidate_ids).
 */
#include "rules/rule.h"

#include <string.h>

/* Numbers that are structurally valid but were voided because they were printed on
 * sample material and then used by the public. Each entry names its source. */
typedef struct {
    const char *digits;
    const char *reason;
} known_invalid;

static const known_invalid known_invalid_ssns[] = {
    /* SSA history, "Social Security Cards Issued by Woolworth"
     * (https://www.ssa.gov/history/ssn/misused.html): the sample card in Woolworth
     * wallets (1938) carried 078-05-1120; SSA voided the number after thousands of
     * people used it as their own. */
    {"078051120", "the sample number printed on Woolworth wallet cards (voided by SSA)"},
    /* Same SSA history page: 219-09-9999 appeared on a sample card in an SSA pamphlet
     * (1940) and was also used by the public; SSA voided it. */
    {"219099999", "the sample number printed in an SSA pamphlet (voided by SSA)"},
};

/* IRS ITINs start with 9 and use these group (4th-5th digit) ranges; an ITIN given
 * where an SSN is asked for is a different document, not an SSN [SSA]. Ranges from
 * the IRS ITIN format description: 50-65, 70-88, 90-92, 94-99. */
static bool itin_group(int g) {
    return (g >= 50 && g <= 65) || (g >= 70 && g <= 88) || (g >= 90 && g <= 92) ||
           (g >= 94 && g <= 99);
}

static int digits_value(const char *s, size_t n) {
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static bool nine_digits(const char *s) {
    if (s == NULL || strlen(s) != 9) {
        return false;
    }
    for (size_t i = 0; i < 9; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

static const char *const invalid_keys[] = {"ssn_masked", "ssn_last4", "problems", NULL};

static void eval_invalid_structure(idr__ctx *ctx, const idr__indicator *ind) {
    const char *ssn = ctx->c->identity.ssn;
    if (ssn == NULL) {
        idr__not_evaluated(ctx, ind, "no SSN on file");
        return;
    }
    if (!nine_digits(ssn)) {
        idr__not_evaluated(ctx, ind, "the SSN on file is not nine digits");
        return;
    }
    int area = digits_value(ssn, 3);
    int group = digits_value(ssn + 3, 2);
    int serial = digits_value(ssn + 5, 4);

    /* Up to five problems, each a short phrase; joined with "; ". */
    const char *problems[5];
    size_t n = 0;
    if (area == 0) {
        problems[n++] = "area 000 is never issued";
    } else if (area == 666) {
        problems[n++] = "area 666 is never issued";
    } else if (area >= 900) {
        problems[n++] = itin_group(group)
                            ? "area 9xx is never issued as an SSN (ITIN range: this "
                              "looks like an IRS taxpayer number)"
                            : "area 9xx is never issued as an SSN";
    }
    if (group == 0) {
        problems[n++] = "group 00 is never issued";
    }
    if (serial == 0) {
        problems[n++] = "serial 0000 is never issued";
    }
    for (size_t i = 0; i < sizeof known_invalid_ssns / sizeof known_invalid_ssns[0];
         i++) {
        if (strcmp(ssn, known_invalid_ssns[i].digits) == 0) {
            problems[n++] = known_invalid_ssns[i].reason;
        }
    }
    if (n == 0) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_strf(ev, "ssn_masked", "***-**-%s", ssn + 5);
    idr__ev_str(ev, "ssn_last4", ssn + 5);
    char *joined = idr__arena_strdup(ctx->arena, problems[0]);
    for (size_t i = 1; i < n && joined != NULL; i++) {
        joined = idr__arena_printf(ctx->arena, "%s; %s", joined, problems[i]);
    }
    idr__ev_str(ev, "problems", joined);
}

static const idr__indicator ssn_invalid_structure = {
    .id = "ssn_invalid_structure",
    .evidence_keys = invalid_keys,
    .eval = eval_invalid_structure,
};

static const char *const complaint_keys[] = {"hired_at", "ssn_last4", NULL};

static void eval_holder_complaint(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__post_hire *ph = &ctx->c->post_hire;
    if (ph->identity_holder_complaint == IDR__UNK) {
        idr__not_evaluated(ctx, ind, "no identity-holder complaint status on file");
        return;
    }
    if (ph->identity_holder_complaint != 1) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    if (ph->hired_at != IDR__DATE_NONE) {
        char d[11];
        idr__format_date(ph->hired_at, d);
        idr__ev_str(ev, "hired_at", d);
    } else {
        idr__ev_str(ev, "hired_at", "date not on file");
    }
    const char *ssn = ctx->c->identity.ssn;
    idr__ev_str(ev, "ssn_last4", nine_digits(ssn) ? ssn + 5 : "not on file");
}

static const idr__indicator ssn_holder_complaint = {
    .id = "ssn_holder_complaint",
    .evidence_keys = complaint_keys,
    .eval = eval_holder_complaint,
};

/* ---- ssn_reused [DOJ-Chap25][OFAC-Jul25a] ------------------------------------------
 * The same SSN (compared by keyed hash in the store) on another candidate's record
 * under a different name, or under the same name with another date of birth (the
 * catalog's "different names/DOBs"): one number, two people. The same name with the
 * same or an unknown date of birth is a duplicate application, not reuse, and never
 * fires: it is listed (suppressed when it is all there is). Only a date of birth on
 * both records that differs counts (dob_differs), so an absent date never fires. */
static const char *const reused_keys[] = {"others", "count", "not_counted", "not_read",
                                          NULL};

static void eval_reused(idr__ctx *ctx, const idr__indicator *ind) {
    const idr__links *l = idr__links_of(ctx, ind);
    if (!l) {
        return;
    }
    if (ctx->c->identity.ssn == NULL) {
        idr__not_evaluated(ctx, ind, "no SSN on file");
        return;
    }
    idr__others others = {0};
    idr__link_cleared cleared = {0};
    for (size_t i = 0; i < l->n; i++) {
        const idr__link *k = &l->v[i];
        if (k->kind != IDR__LK_SSN) {
            continue;
        }
        idr__link_excl why = idr__link_classify(k, false);
        if (why == IDR__LX_SAME_NAME && k->dob_differs) {
            idr__others_add(ctx, &others, k->other_id,
                            idr__arena_printf(ctx->arena,
                                              "%s (same name, another date of birth)",
                                              k->other_id));
            continue;
        }
        if (why != IDR__LX_COUNTS) {
            idr__link_cleared_add(ctx, &cleared, why, k);
            continue;
        }
        idr__others_add(
            ctx, &others, k->other_id,
            k->same_dob
                ? idr__arena_printf(ctx->arena, "%s (same date of birth)", k->other_id)
                : NULL);
    }
    const char *cl = idr__link_cleared_text(ctx, &cleared);
    if (others.n == 0) {
        if (cl) {
            idr__suppress(ctx, ind, "%s", cl);
        }
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "others", others.list);
    idr__ev_int(ev, "count", (long long)others.n);
    idr__ev_str(ev, "not_counted", cl ? cl : "none");
    idr__ev_int(ev, "not_read", (long long)idr__links_not_read(l, 1u << IDR__LK_SSN));
}

static const idr__indicator ssn_reused = {
    .id = "ssn_reused",
    .evidence_keys = reused_keys,
    .eval = eval_reused,
    .needs = IDR__NEED_STORE,
};

static const idr__indicator *const indicators[] = {
    &ssn_invalid_structure, &ssn_holder_complaint, &ssn_reused, NULL};

const idr__family idr__family_ssn = {
    .name = "ssn", .prefix = "ssn_", .file = "lib/rules/ssn.c", .indicators = indicators};
