/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.h - the batch report (`idrisk batch --report FILE.html`): one self-contained
 * HTML file (no network, no scripts from elsewhere) written from the batch's results.
 */
#ifndef IDRISK_CLI_REPORT_H
#define IDRISK_CLI_REPORT_H

/* Write the report for the results in `results_path` (idrisk.result/1 JSON Lines, one
 * result per line, as `idrisk batch --out` writes them) to `html_path`, atomically
 * (a temporary file renamed into place). `errors_path` (may be NULL) is the batch's
 * errors file (JSON Lines): the report counts the records that failed. Reads the
 * results file once, streaming; memory grows with the number of escalations and
 * links shown, not with the number of results. Returns 0, or -1 after printing one
 * line to stderr saying why. */
int idr_cli_report_write(const char *results_path,
                         const char *errors_path,
                         const char *html_path);

#endif
