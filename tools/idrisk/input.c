/* SPDX-License-Identifier: Apache-2.0 */
/*
 * input.c - reading one record and reporting what is wrong with it, shared by score
 * and validate: the whole-file read, the one-line error format that names the JSON
 * path once, and the hint for JSON Lines given where one record is expected.
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

char *cli_read_all(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "idrisk: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (n < cap - 1) {
            break;
        }
        /* Past 64 MiB the library's largest limit is exceeded anyway. */
        if (cap >= (64u << 20)) {
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    bool bad = ferror(f);
    if (f != stdin) {
        fclose(f);
    }
    if (!buf || bad) {
        fprintf(stderr, "idrisk: cannot read %s\n", cli_input_name(path));
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

const char *cli_input_name(const char *path) {
    return strcmp(path, "-") == 0 ? "stdin" : path;
}

/* Whether the parser's message already starts with "FIELD: " (it always does for the
 * record's paths; config and lookup errors name a bare option). */
static bool starts_with_field(const idr_error *err) {
    size_t n = strlen(err->field);
    return n && strncmp(err->message, err->field, n) == 0 && err->message[n] == ':' &&
           err->message[n + 1] == ' ';
}

const char *cli_error_text(const idr_error *err) {
    return starts_with_field(err) ? err->message + strlen(err->field) + 2 : err->message;
}

void cli_print_input_error(const char *where, const idr_error *err) {
    /* The parser's messages start with their path; a message that names its field
     * elsewhere ("a candidate without candidate_id cannot be recorded") stands as it
     * is; only a message that does not name it gets it put in front. */
    if (err->field[0] && !strstr(err->message, err->field)) {
        fprintf(stderr, "idrisk: %s: %s: %s\n", where, err->field, err->message);
    } else {
        fprintf(stderr, "idrisk: %s: %s\n", where, err->message);
    }
}

/* Skip JSON whitespace (and the NUL padding the parser also allows). */
static const char *skip_ws(const char *p, const char *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || !*p)) {
        p++;
    }
    return p;
}

bool cli_explain_json_lines(const char *cmd,
                            const char *where,
                            const char *json,
                            size_t len) {
    const char *p = json, *end = json + len;
    unsigned n = 0;
    bool complete = true;
    /* Count the values that parse one after the other; a second one that begins like
     * a record but is cut short still says "more than one record". */
    while ((p = skip_ws(p, end)) < end && n < 1000) {
        const char *next = NULL;
        cJSON *v = cJSON_ParseWithLengthOpts(p, (size_t)(end - p), &next, 0);
        cJSON_Delete(v);
        if (!v) {
            if (n > 0 && (*p == '{' || *p == '[')) {
                n++;
            }
            complete = false;
            break;
        }
        n++;
        p = next;
    }
    if (n < 2) {
        return false;
    }
    if (complete && p >= end) {
        fprintf(stderr,
                "idrisk: %s: holds %u JSON records (JSON Lines?); %s takes one record: "
                "use `idrisk batch --in %s`\n",
                where, n, cmd, strcmp(where, "stdin") == 0 ? "-" : where);
    } else {
        fprintf(stderr,
                "idrisk: %s: holds 2 or more JSON records (JSON Lines?); %s takes one "
                "record: use `idrisk batch --in %s`\n",
                where, cmd, strcmp(where, "stdin") == 0 ? "-" : where);
    }
    return true;
}
