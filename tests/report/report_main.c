/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report_main.c - test driver for the batch report: calls idr_cli_report_write() the
 * way `idrisk batch --report` does, without a batch run.
 *   report_main RESULTS.jsonl ERRORS.jsonl|- OUT.html
 * Exit status 0 when the report was written, 1 otherwise (the report printed why).
 */
#include "report.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: report_main RESULTS.jsonl ERRORS.jsonl|- OUT.html\n");
        return 2;
    }
    const char *errors = strcmp(argv[2], "-") == 0 ? NULL : argv[2];
    return idr_cli_report_write(argv[1], errors, argv[3]) == 0 ? 0 : 1;
}
