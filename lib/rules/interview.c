/* SPDX-License-Identifier: Apache-2.0 */
/*
 * interview.c - the "interview" family: what interviewers and interview tools recorded.
 *
 * Every input is a structured observation the caller recorded (interviews[]): idrisk
 * never analyses video, voice, language or accent. Connectivity symptoms ("lag",
 * "frozen") and a virtual background are never evidence here: they come from poor
 * connections and ordinary privacy choices. Documented accommodations ("camera_off",
 * "relay_service" ...) are applied by the rule pack's [explanation] entries, which
 * move the hits they explain to `suppressed`.
 *
 * One hit per indicator: all interviews showing the sign are gathered into the
 * evidence (how many, and on which dates).
 */
#include "rules/rule.h"

#include <string.h>

static const char *when(idr__ctx *ctx, const idr__interview *iv, size_t i) {
    if (iv->at == IDR__TIME_NONE) {
        return idr__arena_printf(ctx->arena, "interview #%zu", i + 1);
    }
    char d[21];
    idr__format_instant(iv->at, d);
    d[10] = '\0';
    return idr__arena_strdup(ctx->arena, d);
}

static bool have_interviews(idr__ctx *ctx, const idr__indicator *ind) {
    if (ctx->c->n_interviews == 0) {
        idr__not_evaluated(ctx, ind, "no interviews on file");
        return false;
    }
    return true;
}

/* Report a hit with the usual "signs" and "interviews"/"count" evidence. */
static void report(idr__ctx *ctx,
                   const idr__indicator *ind,
                   const char *signs,
                   const char *dates,
                   long long count) {
    idr__ev *ev = idr__hit(ctx, ind);
    if (signs) {
        idr__ev_str(ev, "signs", signs);
    }
    idr__ev_str(ev, "interviews", dates);
    idr__ev_int(ev, "count", count);
}

/* ---- int_camera_refusal [P23][SW24][KB4] ---------------------------------------- */
static const char *const camera_keys[] = {"interviews", "count", "video_count", NULL};

static void eval_camera(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_interviews(ctx, ind)) {
        return;
    }
    const char *dates = NULL;
    long long off = 0, video = 0;
    for (size_t i = 0; i < ctx->c->n_interviews; i++) {
        const idr__interview *iv = &ctx->c->interviews[i];
        if (iv->mode != IDR__MODE_VIDEO || iv->camera_on == IDR__UNK) {
            continue;
        }
        video++;
        if (iv->camera_on == 0) {
            off++;
            idr__list_add(ctx, ", ", &dates, when(ctx, iv, i));
        }
    }
    if (video == 0) {
        idr__not_evaluated(ctx, ind, "no video interview with camera status recorded");
        return;
    }
    if (off == 0) {
        return;
    }
    /* A documented accommodation (camera_off, text_only) explains the camera being
     * off [P23] (ADA): the pack's [explanation] entries suppress this hit after the
     * evaluators run (lib/rules/report.c, idr__report_explain). */
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "interviews", dates);
    idr__ev_int(ev, "count", off);
    idr__ev_int(ev, "video_count", video);
}

static const idr__indicator int_camera_refusal = {
    .id = "int_camera_refusal",
    .evidence_keys = camera_keys,
    .eval = eval_camera,
};

/* ---- int_deepfake_artifacts [P25][MSFT25][U42-25] ------------------------------- */
static const char *const signs_keys[] = {"signs", "interviews", "count", NULL};

static void eval_deepfake(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_interviews(ctx, ind)) {
        return;
    }
    const char *signs = NULL, *dates = NULL;
    long long n = 0;
    bool known = false;
    /* Which signs were seen, in a fixed order, whatever interview they came from. */
    bool lip = false, warp = false, failed = false, refused = false, suspected = false;
    for (size_t i = 0; i < ctx->c->n_interviews; i++) {
        const idr__interview *iv = &ctx->c->interviews[i];
        bool hit = false;
        known = known || iv->video_issues.n > 0 ||
                iv->liveness_challenge != IDR__LIVE_NONE ||
                iv->deepfake_suspected != IDR__UNK;
        for (size_t k = 0; k < iv->video_issues.n; k++) {
            if (strcmp(iv->video_issues.v[k], "lip_sync") == 0) {
                lip = hit = true;
            } else if (strcmp(iv->video_issues.v[k], "face_warp") == 0) {
                warp = hit = true;
            }
        }
        if (iv->liveness_challenge == IDR__LIVE_FAILED) {
            failed = hit = true;
        } else if (iv->liveness_challenge == IDR__LIVE_REFUSED) {
            refused = hit = true;
        }
        if (iv->deepfake_suspected == 1) {
            suspected = hit = true;
        }
        if (hit) {
            n++;
            idr__list_add(ctx, ", ", &dates, when(ctx, iv, i));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "no video-quality, liveness or deepfake observation "
                           "recorded");
        return;
    }
    if (n == 0) {
        return;
    }
    if (lip) {
        idr__list_add(ctx, ", ", &signs, "lip-sync lag");
    }
    if (warp) {
        idr__list_add(ctx, ", ", &signs, "face warping");
    }
    if (failed) {
        idr__list_add(ctx, ", ", &signs, "liveness challenge failed");
    }
    if (refused) {
        idr__list_add(ctx, ", ", &signs, "liveness challenge refused");
    }
    if (suspected) {
        idr__list_add(ctx, ", ", &signs, "interviewer suspected a deepfake");
    }
    report(ctx, ind, signs, dates, n);
}

static const idr__indicator int_deepfake_artifacts = {
    .id = "int_deepfake_artifacts",
    .evidence_keys = signs_keys,
    .eval = eval_deepfake,
};

/* ---- int_reading_answers [P23][BfV][CS25] --------------------------------------- */
static void eval_reading(idr__ctx *ctx, const idr__indicator *ind) {
    if (!have_interviews(ctx, ind)) {
        return;
    }
    const char *signs = NULL, *dates = NULL;
    long long n = 0;
    bool known = false, reading = false, inconsistent = false;
    for (size_t i = 0; i < ctx->c->n_interviews; i++) {
        const idr__interview *iv = &ctx->c->interviews[i];
        known = known || iv->reading_answers != IDR__UNK ||
                (iv->resume_consistency != IDR__RC_NONE &&
                 iv->resume_consistency != IDR__RC_NOT_ASSESSED);
        bool hit = false;
        if (iv->reading_answers == 1) {
            reading = hit = true;
        }
        if (iv->resume_consistency == IDR__RC_INCONSISTENT) {
            inconsistent = hit = true;
        }
        if (hit) {
            n++;
            idr__list_add(ctx, ", ", &dates, when(ctx, iv, i));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind,
                           "no answer-reading or resume-consistency observation "
                           "recorded");
        return;
    }
    if (n == 0) {
        return;
    }
    if (reading) {
        idr__list_add(ctx, ", ", &signs, "appeared to read answers");
    }
    if (inconsistent) {
        idr__list_add(ctx, ", ", &signs, "answers inconsistent with the resume");
    }
    report(ctx, ind, signs, dates, n);
}

static const idr__indicator int_reading_answers = {
    .id = "int_reading_answers",
    .evidence_keys = signs_keys,
    .eval = eval_reading,
};

/* ---- single-flag indicators ------------------------------------------------------ */
static const char *const dates_keys[] = {"interviews", "count", NULL};

typedef enum { FLAG_LOCATION, FLAG_OTHER_IDS, FLAG_VOICES } flag_kind;

/* 1 = sign seen, 0 = observed clean, -1 = not observed. */
static int flag_of(const idr__interview *iv, flag_kind k) {
    switch (k) {
    case FLAG_LOCATION:
        return iv->location_questions == IDR__LOCQ_FAILED   ? 1
               : iv->location_questions == IDR__LOCQ_PASSED ? 0
                                                            : -1;
    case FLAG_OTHER_IDS:
        return iv->other_identities_seen == IDR__UNK ? -1 : iv->other_identities_seen;
    case FLAG_VOICES:
        return iv->multiple_voices == IDR__UNK ? -1 : iv->multiple_voices;
    }
    return -1;
}

static void
eval_flag(idr__ctx *ctx, const idr__indicator *ind, flag_kind k, const char *absent) {
    if (!have_interviews(ctx, ind)) {
        return;
    }
    const char *dates = NULL;
    long long n = 0;
    bool known = false;
    for (size_t i = 0; i < ctx->c->n_interviews; i++) {
        int f = flag_of(&ctx->c->interviews[i], k);
        known = known || f >= 0;
        if (f == 1) {
            n++;
            idr__list_add(ctx, ", ", &dates, when(ctx, &ctx->c->interviews[i], i));
        }
    }
    if (!known) {
        idr__not_evaluated(ctx, ind, "%s", absent);
        return;
    }
    if (n > 0) {
        report(ctx, ind, NULL, dates, n);
    }
}

/* [SEAL][P25]: interviewer rubric only; language and accent are never scored. */
static void eval_location(idr__ctx *ctx, const idr__indicator *ind) {
    eval_flag(ctx, ind, FLAG_LOCATION, "location questions not asked or not recorded");
}

static const idr__indicator int_location_smalltalk_fail = {
    .id = "int_location_smalltalk_fail",
    .evidence_keys = dates_keys,
    .eval = eval_location,
};

/* [SEAL][CS25] */
static void eval_screen_share(idr__ctx *ctx, const idr__indicator *ind) {
    eval_flag(ctx, ind, FLAG_OTHER_IDS, "no screen-share observation recorded");
}

static const idr__indicator int_screen_share_leak = {
    .id = "int_screen_share_leak",
    .evidence_keys = dates_keys,
    .eval = eval_screen_share,
};

/* Project check refining ept_output_swings [SEAL] ("several people sharing one seat"). */
static void eval_voices(idr__ctx *ctx, const idr__indicator *ind) {
    eval_flag(ctx, ind, FLAG_VOICES, "no observation of other voices recorded");
}

static const idr__indicator int_multiple_voices = {
    .id = "int_multiple_voices",
    .evidence_keys = dates_keys,
    .eval = eval_voices,
};

static const idr__indicator *const indicators[] = {&int_camera_refusal,
                                                   &int_deepfake_artifacts,
                                                   &int_reading_answers,
                                                   &int_location_smalltalk_fail,
                                                   &int_screen_share_leak,
                                                   &int_multiple_voices,
                                                   NULL};

const idr__family idr__family_interview = {.name = "interview",
                                           .prefix = "int_",
                                           .file = "lib/rules/interview.c",
                                           .indicators = indicators};
