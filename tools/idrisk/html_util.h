/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_util.h - what the two HTML pages of the CLI share: the batch report
 * (report.c, `idrisk batch --report`) and the candidate report (html.c, `idrisk score
 * --html`). Both are one self-contained file (inline CSS and SVG, no scripts, nothing
 * fetched from elsewhere) written atomically, with every string from a result or a
 * record written through the escaper: candidate ids, names and reason details are
 * attacker-controlled text. Private to tools/idrisk.
 */
#ifndef IDRISK_CLI_HTML_UTIL_H
#define IDRISK_CLI_HTML_UTIL_H

#include <stddef.h>
#include <stdio.h>

/* Bands and actions in the order of idr_band and idr_action (low = 0, none = 0);
 * a negative band or action is "unknown". */
#define CLI_HTML_BANDS          4
#define CLI_HTML_ACTIONS        3
#define CLI_HTML_UNKNOWN_COLOUR "#bcc3ca"
extern const char *const cli_html_band_names[CLI_HTML_BANDS];
extern const char *const cli_html_band_colours[CLI_HTML_BANDS];
extern const char *const cli_html_action_names[CLI_HTML_ACTIONS];
extern const char *const cli_html_action_colours[CLI_HTML_ACTIONS];

/* The style sheet both pages start from: palette, type, tables (class "t"), band chips
 * (class "band band-NAME"), charts, reason blocks and the print rules. A page may
 * append rules of its own after it. */
extern const char cli_html_css[];

/* Markup and trusted text (never a string from a result or a record). */
void cli_html_put(FILE *o, const char *s);
void cli_html_putf(FILE *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Untrusted text as HTML text or attribute content (inside double quotes): & < > " '
 * escaped, control characters dropped (tab and newline become a space, the others
 * '?'), invalid UTF-8 replaced by U+FFFD. At most `max_cp` code points (0 = all), a
 * cut marked by "…". NULL writes nothing. */
void cli_html_text_n(FILE *o, const char *s, size_t max_cp);
void cli_html_text(FILE *o, const char *s);

const char *cli_html_band_name(int band);   /* "unknown" when out of range */
const char *cli_html_band_colour(int band); /* CLI_HTML_UNKNOWN_COLOUR then */

/* <span class="band band-NAME">NAME</span> */
void cli_html_band_chip(FILE *o, int band);

/* Writes a page: `page` writes it to `o` and returns 0, or -1 when it ran out of
 * memory. */
typedef int (*cli_html_page_fn)(FILE *o, const void *ctx);

/* Write the page to `path` atomically: into "PATH.tmp" (created afresh with mode 0640,
 * never through a link planted under that name), flushed to disk, then renamed over
 * `path`. Returns 0; -1 on an I/O error (errno set; *at_temp true when the temporary
 * file could not be created); -2 when `page` failed (errno ENOMEM). On failure
 * nothing is left behind and an existing `path` is unchanged. */
int cli_html_write_file(const char *path,
                        cli_html_page_fn page,
                        const void *ctx,
                        int *at_temp);

#endif
