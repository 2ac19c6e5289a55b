/* SPDX-License-Identifier: Apache-2.0 */
/*
 * text.c - the readable report of `idrisk score` (view.h). Everything is wrapped to the
 * terminal's width; colour only marks the band and headings, and nothing depends on
 * it (NO_COLOR, a pipe or --color=never print the same words).
 */
#include "view.h"

#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first screen answers "what do I do with this candidate" in at most this many
 * lines (a terminal's height): at most FIRST_SCREEN_REASONS reason lines, then as
 * many merged steps as fit. */
#define FIRST_SCREEN_LINES   40
#define FIRST_SCREEN_REASONS 10

typedef struct out {
    FILE *f;
    const cli_text_opts *o;
    int lines; /* printed so far */
} out;

static const char *sgr(const out *w, const char *code) {
    return w->o->colour ? code : "";
}
#define BOLD(w)  sgr(w, "\033[1m")
#define RESET(w) sgr(w, "\033[0m")
#define DIM(w)   sgr(w, "\033[2m")

static const char *band_sgr(const out *w, idr_band b) {
    switch (b) {
    case IDR_BAND_LOW:
        return sgr(w, "\033[32m");
    case IDR_BAND_MEDIUM:
        return sgr(w, "\033[33m");
    case IDR_BAND_HIGH:
        return sgr(w, "\033[31m");
    case IDR_BAND_CRITICAL:
        return sgr(w, "\033[1;31m");
    }
    return "";
}

/* Code points in the first `n` bytes of `s` (continuation bytes do not count). */
static int cols(const char *s, size_t n) {
    int c = 0;
    for (size_t i = 0; i < n; i++) {
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    return c;
}

static void nl(out *w) {
    fputc('\n', w->f);
    w->lines++;
}

/* Write `n` bytes of record-derived text with every control character (C0, DEL, and
 * the C1 range U+0080..U+009F) replaced by U+FFFD: a candidate id or a name may hold
 * ESC sequences, and a report must never drive the reader's terminal. Returns the
 * columns written. */
static int put_clean(FILE *f, const char *s, size_t n) {
    static const char repl[] = "\xEF\xBF\xBD";
    int c = 0;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        size_t bad = 0;
        if (b < 0x20 || b == 0x7f) {
            bad = 1;
        } else if (b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            bad = 2;
        }
        if (bad) {
            fwrite(s + start, 1, i - start, f);
            c += cols(s + start, i - start);
            fwrite(repl, 1, sizeof repl - 1, f);
            c++;
            i += bad - 1;
            start = i + 1;
        }
    }
    fwrite(s + start, 1, n - start, f);
    return c + cols(s + start, n - start);
}

/* White space between words: a record's own line breaks and tabs are spaces here, so a
 * value cannot start a line that looks like the report's own. */
static bool is_space(char ch) {
    return ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\v' ||
           ch == '\f';
}

/* Print `text` after `first` (already counted as `first_cols` columns on the current
 * line), breaking at spaces so that no line passes the width; continuation lines start
 * with `indent` spaces. A word longer than a line is printed whole on its own line
 * rather than cut. Ends the line. */
static void wrap(out *w, int first_cols, int indent, const char *text) {
    int width = w->o->width;
    int col = first_cols;
    const char *p = text ? text : "";
    bool line_empty = true;
    while (*p) {
        while (is_space(*p)) {
            p++;
        }
        if (!*p) {
            break;
        }
        size_t wl = 0;
        while (p[wl] && !is_space(p[wl])) {
            wl++;
        }
        int wc = cols(p, wl);
        if (!line_empty && col + 1 + wc > width) {
            nl(w);
            fprintf(w->f, "%*s", indent, "");
            col = indent;
            line_empty = true;
        }
        if (!line_empty) {
            fputc(' ', w->f);
            col++;
        }
        put_clean(w->f, p, wl);
        col += wc;
        line_empty = false;
        p += wl;
    }
    nl(w);
}

/* "label text" with the text wrapped under itself. */
static void item(out *w, int indent, const char *label, const char *text) {
    fprintf(w->f, "%*s", indent, "");
    int c = indent + put_clean(w->f, label, strlen(label));
    wrap(w, c, c, text);
}

static void heading(out *w, const char *h) {
    nl(w);
    fprintf(w->f, "%s%s%s", BOLD(w), h, RESET(w));
    nl(w);
}

/* Lines `item(.., indent, label, text)` would take. */
static int
measure(const cli_text_opts *o, int indent, const char *label, const char *text) {
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m) {
        return 1;
    }
    out w = {m, o, 0};
    item(&w, indent, label, text);
    fclose(m);
    free(buf);
    return w.lines;
}

static void reason_refs(char *buf, size_t cap, const cli_step *s) {
    size_t used = 0;
    buf[0] = 0;
    for (size_t i = 0; i < s->n_reasons && used + 8 < cap; i++) {
        used += (size_t)snprintf(buf + used, cap - used, "%s%zu", i ? ", " : "",
                                 s->reasons[i] + 1);
    }
}

static void first_screen(out *w, const cli_view *v) {
    const idr_result *res = v->res;
    fprintf(w->f, "%sCandidate ", BOLD(w));
    const char *id = idr_result_candidate_id(res);
    put_clean(w->f, id, strlen(id));
    fprintf(w->f, "%s", RESET(w));
    if (v->name) {
        fputs(" (", w->f);
        put_clean(w->f, v->name, strlen(v->name));
        fputc(')', w->f);
    }
    nl(w);
    idr_band band = idr_result_band_code(res);
    fprintf(w->f, "Score %s%d/100%s   band %s%s%s   action %s%s%s", band_sgr(w, band),
            idr_result_score(res), RESET(w), band_sgr(w, band), idr_result_band(res),
            RESET(w), BOLD(w), idr_result_action(res), RESET(w));
    nl(w);
    wrap(w, 0, 0, cli_view_action_text(idr_result_action_code(res)));
    const idr_coverage *c = idr_result_coverage(res);
    char cov[160];
    snprintf(cov, sizeof cov, "%zu of %zu indicators (%zu need a store).", c->evaluated,
             c->total, c->needs_store);
    item(w, 0, "Checked: ", cov);
    if (c->low) {
        item(w, 0, "LOW COVERAGE: ",
             "too little could be checked for a low score to mean \"nothing found\"; "
             "the action is at least verify.");
    } else if (c->missing && *c->missing) {
        /* The library says "not evaluated: a, b"; the report's word is "checked". */
        const char *m = c->missing;
        static const char pre[] = "not evaluated: ";
        if (strncmp(m, pre, sizeof pre - 1) == 0) {
            m += sizeof pre - 1;
        }
        item(w, 2, "not checked: ", m);
    }
    size_t n = idr_result_reason_count(res);
    nl(w);
    if (n == 0) {
        fprintf(w->f, "%sReasons:%s none fired.", BOLD(w), RESET(w));
        nl(w);
    } else {
        fprintf(w->f, "%sReasons (%zu), most important first:%s", BOLD(w), n, RESET(w));
        nl(w);
    }
    size_t shown = n <= FIRST_SCREEN_REASONS ? n : FIRST_SCREEN_REASONS - 1;
    for (size_t i = 0; i < shown; i++) {
        const idr_reason *r = idr_result_reason(res, i);
        char label[64];
        snprintf(label, sizeof label, "%2zu. +%-3g %-8s ", i + 1, r->points, r->severity);
        item(w, 1, label, r->title);
    }
    if (shown < n) {
        char more[96];
        snprintf(more, sizeof more, "... and %zu more, each in detail below.", n - shown);
        item(w, 5, "", more);
    }
    if (v->n_steps > 0) {
        nl(w);
        fprintf(w->f,
                "%sAsk or verify%s (the reasons each step serves in brackets):", BOLD(w),
                RESET(w));
        nl(w);
        for (size_t i = 0; i < v->n_steps; i++) {
            char refs[96], label[32], text[2048];
            reason_refs(refs, sizeof refs, &v->steps[i]);
            snprintf(label, sizeof label, "%2zu. ", i + 1);
            snprintf(text, sizeof text, "%s [%s]", v->steps[i].text, refs);
            /* The screen keeps one line for "more steps" and one for the closing
             * line; a step that does not fit is left to the details below. */
            int need = measure(w->o, 1, label, text);
            bool last = i + 1 == v->n_steps;
            if (w->lines + need + (last ? 0 : 1) + 1 > FIRST_SCREEN_LINES) {
                char more[128];
                snprintf(
                    more, sizeof more,
                    "... and %zu more steps: see \"Verify\" under each reason below.",
                    v->n_steps - i);
                item(w, 5, "", more);
                break;
            }
            item(w, 1, label, text);
        }
    }
    fprintf(w->f, "%s-- Triage for a human reviewer, not a hiring decision.%s", DIM(w),
            RESET(w));
    nl(w);
}

static void reasons_detail(out *w, const cli_view *v) {
    size_t n = idr_result_reason_count(v->res);
    if (n == 0) {
        return;
    }
    heading(w, "Reasons in detail");
    for (size_t i = 0; i < n; i++) {
        const idr_reason *r = idr_result_reason(v->res, i);
        char label[96];
        nl(w);
        snprintf(label, sizeof label, "%2zu. [%s, +%g] ", i + 1, r->severity, r->points);
        char title[512];
        snprintf(title, sizeof title, "%s (%s)", r->title, r->id);
        item(w, 0, label, title);
        item(w, 4, "", r->detail);
        item(w, 4, "Verify: ", r->verify);
        if (r->n_benign > 0) {
            fprintf(w->f, "    Could also be:");
            nl(w);
            for (size_t k = 0; k < r->n_benign; k++) {
                item(w, 6, "- ", r->benign[k]);
            }
        }
        char src[512];
        size_t used = 0;
        src[0] = 0;
        for (size_t k = 0; k < r->n_sources && used + 2 < sizeof src; k++) {
            used += (size_t)snprintf(src + used, sizeof src - used, "%s%s", k ? ", " : "",
                                     r->sources[k]);
        }
        item(w, 4, "Sources: ", src);
    }
}

static void suppressed(out *w, const cli_view *v) {
    size_t n = idr_result_suppressed_count(v->res);
    if (n == 0) {
        return;
    }
    heading(w, "Cleared by context (would have fired; explained, so no points)");
    for (size_t i = 0; i < n; i++) {
        const idr_suppressed *s = idr_result_suppressed(v->res, i);
        const char *t = cli_view_title(v, s->id);
        char text[1024];
        snprintf(text, sizeof text, "%s: cleared by %s.", t ? t : s->id, s->by);
        item(w, 2, "- ", text);
    }
}

static void links(out *w, const cli_view *v) {
    if (!v->linked) {
        return;
    }
    size_t n = idr_result_link_count(v->res);
    char h[96];
    snprintf(h, sizeof h, "Linked candidates (%zu, from the store)", n);
    heading(w, h);
    if (n == 0) {
        item(w, 2, "", "none: no other candidate in the store shares an identifier");
    }
    for (size_t i = 0; i < n; i++) {
        const idr_link_info *l = idr_result_link(v->res, i);
        char text[512];
        const char *t = cli_view_title(v, l->indicator);
        snprintf(text, sizeof text, "shares a %s (%s)", l->kind, t ? t : l->indicator);
        char label[160];
        snprintf(label, sizeof label, "- %s ", l->candidate_id);
        item(w, 2, label, text);
    }
}

static const char * or (const char *s, const char *dflt) {
    return s ? s : dflt;
}

static void sessions(out *w, const cli_view *v) {
    if (v->n_sessions == 0) {
        return;
    }
    char h[96];
    snprintf(h, sizeof h, "IP sessions (%zu, %zu distinct)",
             idr_result_session_count(v->res), v->n_sessions);
    heading(w, h);
    for (size_t i = 0; i < v->n_sessions; i++) {
        const idr_session_info *s = v->sessions[i].s;
        char text[1024], label[96];
        int k = snprintf(text, sizeof text, "%s%s%s", or (s->city, ""),
                         s->city ? ", " : "", or (s->country, "(no geolocation)"));
        if (s->asn && k > 0 && (size_t)k < sizeof text) {
            k += snprintf(text + k, sizeof text - (size_t)k, "; AS%lu %s",
                          (unsigned long)s->asn, or (s->asn_org, ""));
        }
        if (s->anonymizer_provider && k > 0 && (size_t)k < sizeof text) {
            k += snprintf(text + k, sizeof text - (size_t)k, "; anonymiser %s",
                          s->anonymizer_provider);
        } else if ((s->is_vpn == 1 || s->is_hosting == 1 || s->is_tor == 1) && k > 0 &&
                   (size_t)k < sizeof text) {
            k += snprintf(text + k, sizeof text - (size_t)k, "; %s",
                          s->is_tor == 1   ? "Tor"
                          : s->is_vpn == 1 ? "VPN"
                                           : "hosting network");
        }
        if (!isnan(s->distance_km) && k > 0 && (size_t)k < sizeof text) {
            k += snprintf(text + k, sizeof text - (size_t)k,
                          "; %.0f km from the claimed residence", s->distance_km);
        }
        if (s->allow_listed && k > 0 && (size_t)k < sizeof text) {
            snprintf(text + k, sizeof text - (size_t)k, "; allow-listed (%s)",
                     s->allow_listed);
        }
        snprintf(label, sizeof label, "%4zux %s  ", v->sessions[i].count,
                 or (s->ip, "?"));
        item(w, 1, label, text);
    }
}

static void phones_emails(out *w, const cli_view *v) {
    const idr_result *res = v->res;
    if (idr_result_phone_count(res) > 0) {
        heading(w, "Phones");
        for (size_t i = 0; i < idr_result_phone_count(res); i++) {
            const idr_phone_info *p = idr_result_phone(res, i);
            char text[512], label[64];
            snprintf(text, sizeof text, "%s, type %s, region %s%s%s",
                     p->valid == 1   ? "valid"
                     : p->valid == 0 ? "INVALID"
                                     : "not checked",
                     or (p->type, "unknown"), or (p->region, "?"), p->area ? ", " : "",
                     or (p->area, ""));
            snprintf(label, sizeof label, "- %s: ", or (p->e164, or (p->number, "?")));
            item(w, 2, label, text);
        }
    }
    if (idr_result_email_count(res) > 0) {
        heading(w, "Emails");
        for (size_t i = 0; i < idr_result_email_count(res); i++) {
            const idr_email_info *e = idr_result_email(res, i);
            char label[320];
            snprintf(label, sizeof label, "- %s: ", or (e->address, "?"));
            item(w, 2, label, or (e->domain_class, "unclassified"));
        }
    }
}

static void legend(out *w, const cli_view *v) {
    if (v->n_sources == 0) {
        return;
    }
    heading(w, "Sources cited above");
    for (size_t i = 0; i < v->n_sources; i++) {
        char label[64];
        snprintf(label, sizeof label, "%-10s ", v->sources[i].key);
        item(w, 2, label, or (v->sources[i].title, "(no citation in the rule pack)"));
    }
}

static void warnings(out *w, const cli_view *v) {
    size_t n = idr_result_warning_count(v->res);
    if (n == 0) {
        return;
    }
    heading(w, "Warnings");
    for (size_t i = 0; i < n; i++) {
        item(w, 2, "- ", idr_result_warning(v->res, i));
    }
}

static void verbose_lists(out *w, const cli_view *v) {
    const idr_result *res = v->res;
    size_t n = idr_result_not_evaluated_count(res);
    if (!w->o->verbose) {
        if (n > 0 || idr_result_data_count(res) > 0) {
            nl(w);
            item(w, 0, "",
                 "--verbose adds the indicators that could not be evaluated and why, "
                 "and every database and list used.");
        }
        return;
    }
    if (n > 0) {
        heading(w, "Not evaluated (missing data or database; not evidence either way)");
        for (size_t i = 0; i < n; i++) {
            const idr_not_evaluated *ne = idr_result_not_evaluated(res, i);
            const char *t = cli_view_title(v, ne->id);
            char label[256];
            snprintf(label, sizeof label, "- %s: ", t ? t : ne->id);
            item(w, 2, label, ne->why);
        }
    }
    if (idr_result_data_count(res) > 0) {
        heading(w, "Data used");
        for (size_t i = 0; i < idr_result_data_count(res); i++) {
            const idr_data_source *d = idr_result_data(res, i);
            char text[1024], label[160];
            snprintf(text, sizeof text, "%s, version %s, built %s%s%s", d->type,
                     or (d->version, "?"), or (d->build_date, "?"),
                     d->attribution ? ". " : "", or (d->attribution, ""));
            snprintf(label, sizeof label, "- %s: ", d->name);
            item(w, 2, label, text);
        }
    }
}

int cli_print_text(FILE *f, const cli_view *v, const cli_text_opts *o) {
    out w = {f, o, 0};
    first_screen(&w, v);
    int first = w.lines;
    reasons_detail(&w, v);
    suppressed(&w, v);
    links(&w, v);
    sessions(&w, v);
    phones_emails(&w, v);
    warnings(&w, v);
    legend(&w, v);
    verbose_lists(&w, v);
    nl(&w);
    char foot[256];
    const idr_ruleset_info *rs = idr_result_ruleset(v->res);
    snprintf(foot, sizeof foot, "Rule pack %s (sha256 %.12s...), engine %s, as of %s.",
             v->pack, rs->sha256, idr_version_string(), v->as_of);
    item(&w, 0, "", foot);
    return first;
}

void cli_print_wrapped(FILE *f, const cli_text_opts *o, int indent, const char *text) {
    out w = {f, o, 0};
    wrap(&w, 0, indent, text);
}
