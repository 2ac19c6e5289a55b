/* SPDX-License-Identifier: Apache-2.0 */
/*
 * view.h - what a person reads about one scored candidate, gathered once from the
 * result (its accessors) and the engine (rule titles, source citations), and then
 * rendered as text on a terminal (text.c) or as a one-page HTML file (html.c). The two
 * renderers show the same content because they read the same view.
 *
 * The view adds no judgement of its own: it orders, merges and names what the result
 * already says. The one derived list is "Ask or verify": the verification steps of
 * every reason (the rule pack's `steps`), each listed once, in the order of the most
 * important reason that asks for it, with the reasons it serves. A reason without
 * pack steps contributes its whole `verify` text as one step.
 */
#ifndef IDRISK_CLI_VIEW_H
#define IDRISK_CLI_VIEW_H

#include <cjson/cJSON.h>
#include <idrisk/idrisk.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One merged verification step. `reasons` holds 0-based reason indexes, ascending. */
typedef struct cli_step {
    const char *id; /* pack step key, or NULL for a reason's whole verify text */
    const char *text;
    size_t *reasons;
    size_t n_reasons;
} cli_step;

/* A source key cited by at least one reason, with the pack's citation. */
typedef struct cli_source {
    const char *key;
    const char *title; /* NULL when the pack has no citation for the key */
} cli_source;

/* A group of identical sessions (same address and the same enrichment). */
typedef struct cli_session_group {
    const idr_session_info *s; /* the first of the group */
    size_t count;
} cli_session_group;

typedef struct cli_view {
    const idr_result *res;
    const char *name; /* identity.full_name of the record, NULL when absent */
    cli_step *steps;
    size_t n_steps;
    cli_source *sources; /* in order of first citation */
    size_t n_sources;
    cli_session_group *sessions;
    size_t n_sessions;
    cJSON *describe;   /* the engine's description: titles of suppressed indicators */
    cJSON *record;     /* the parsed input record (for the name), may be NULL */
    bool linked;       /* scored against a store: show the links */
    const char *pack;  /* "idrisk-default 2026.12.1" */
    const char *as_of; /* YYYY-MM-DDThh:mm:ssZ */
    char as_of_buf[32];
    char *pack_buf;
} cli_view;

/* Gather the view of `res`, scored by `eng` from the record `json` (may be NULL).
 * Returns 0, or -1 when out of memory (nothing to free then). */
int cli_view_build(cli_view *v,
                   const idr_engine *eng,
                   const idr_result *res,
                   const char *json,
                   size_t json_len,
                   bool linked);
void cli_view_free(cli_view *v);

/* The pack title of indicator or combination `id`, or NULL. */
const char *cli_view_title(const cli_view *v, const char *id);

/* A sentence saying what the action asks of the reader. */
const char *cli_view_action_text(idr_action a);

/* Options of the text report. */
typedef struct cli_text_opts {
    int width;    /* columns to wrap to */
    bool colour;  /* ANSI colours (a terminal, NO_COLOR unset) */
    bool verbose; /* also the not-evaluated list and the data used */
} cli_text_opts;

/* The readable report on `f`: first the screen that answers "what do I do with this
 * candidate" (score, band, action, coverage, one line per reason, the merged "Ask or
 * verify" list), then each reason in detail, what was cleared by context, links,
 * sessions, phones, emails, the source legend and (verbose) what was not evaluated
 * and the data used. Returns the number of lines of the first screen. */
int cli_print_text(FILE *f, const cli_view *v, const cli_text_opts *o);

/* `text` wrapped to o->width, continuation lines indented by `indent`. */
void cli_print_wrapped(FILE *f, const cli_text_opts *o, int indent, const char *text);

/* Write the one-page HTML report of the view to `path` atomically (a temporary file
 * renamed into place). Returns 0, or -1 with errno set. */
int cli_write_html(const char *path, const cli_view *v);

#endif
