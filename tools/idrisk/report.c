/*
 * report.c - placeholder: the batch report lands with issue 10 (report helper).
 */
#include "report.h"

#include <stdio.h>

int idr_cli_report_write(const char *results_path,
                         const char *errors_path,
                         const char *html_path) {
    (void)results_path, (void)errors_path, (void)html_path;
    fprintf(stderr, "idrisk: the batch report is not built yet\n");
    return -1;
}
