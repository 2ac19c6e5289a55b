/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html_util.c - the HTML primitives the batch and candidate reports share
 * (html_util.h).
 */
#include "html_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *const cli_html_band_names[CLI_HTML_BANDS] = {"low", "medium", "high",
                                                         "critical"};
const char *const cli_html_band_colours[CLI_HTML_BANDS] = {"#3a8d4f", "#d9a400",
                                                           "#e06c1b", "#b3162b"};
const char *const cli_html_action_names[CLI_HTML_ACTIONS] = {"none", "verify",
                                                             "escalate"};
const char *const cli_html_action_colours[CLI_HTML_ACTIONS] = {"#7a8793", "#2f6fb5",
                                                               "#b3162b"};

const char cli_html_css[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',"
    "sans-serif;color:#1d2329;background:#fff;margin:0 auto;padding:24px 32px;"
    "max-width:1180px}\n"
    "h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;"
    "border-bottom:2px solid #dfe3e8;padding-bottom:4px}h3{font-size:16px;"
    "margin:22px 0 6px}\n"
    ".note{background:#fff6d6;border-left:4px solid #d9a400;padding:8px 12px;"
    "margin:12px 0}\n"
    ".meta{color:#4a5661}.meta td{padding:1px 14px 1px 0}.mono{font-family:"
    "ui-monospace,'DejaVu Sans Mono',monospace;font-size:13px;word-break:break-all}\n"
    "table.t{border-collapse:collapse;margin:8px 0 14px}table.t th,table.t td{border:1px "
    "solid #d5dae0;padding:4px 9px;text-align:left;vertical-align:top}table.t th{"
    "background:#eef1f4}table.t "
    "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".band{display:inline-block;padding:0 7px;border-radius:9px;color:#fff;font-size:"
    "13px}\n"
    ".band-low{background:#3a8d4f}.band-medium{background:#d9a400;color:#1d2329}"
    ".band-high{background:#e06c1b}.band-critical{background:#b3162b}"
    ".band-unknown{background:#bcc3ca;color:#1d2329}\n"
    "svg{display:block;margin:8px 0 14px;max-width:100%;height:auto}"
    "svg text{font:12px system-ui,'DejaVu Sans',sans-serif;fill:#1d2329}\n"
    ".cand{border:1px solid #d5dae0;border-radius:6px;padding:6px 14px;margin:14px 0}"
    ".reason{margin:10px 0;padding-left:10px;border-left:3px solid #d5dae0}"
    ".reason p{margin:2px 0}.small{font-size:13px;color:#4a5661}\n"
    "@media print{body{max-width:none}.cand{break-inside:avoid}}\n";

void cli_html_put(FILE *o, const char *s) {
    fputs(s, o);
}

void cli_html_putf(FILE *o, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    // clang-tidy 14 loses va_start here (tools/static-analysis.sh).
    // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
    vfprintf(o, fmt, ap);
    va_end(ap);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not valid. */
static int utf8_len(const unsigned char *s) {
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    int n = c >= 0xF0 && c <= 0xF4 ? 4
            : c >= 0xE0            ? (c <= 0xEF ? 3 : 0)
            : c >= 0xC2            ? 2
                                   : 0;
    if (!n)
        return 0;
    for (int i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (n == 3 && ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F)))
        return 0; /* overlong, surrogate */
    if (n == 4 && ((c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F)))
        return 0;
    return n;
}

/* Writes at most `max_cp` code points of `s` (0 = all) as HTML text or attribute
 * content; "…" marks a cut. NULL writes nothing. */
void cli_html_text_n(FILE *o, const char *s, size_t max_cp) {
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t cp = 0;
    while (*p) {
        if (max_cp && cp == max_cp) {
            cli_html_put(o, "\xE2\x80\xA6");
            return;
        }
        cp++;
        switch (*p) {
        case '&':
            cli_html_put(o, "&amp;"), p++;
            continue;
        case '<':
            cli_html_put(o, "&lt;"), p++;
            continue;
        case '>':
            cli_html_put(o, "&gt;"), p++;
            continue;
        case '"':
            cli_html_put(o, "&quot;"), p++;
            continue;
        case '\'':
            cli_html_put(o, "&#39;"), p++;
            continue;
        default:
            break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            fputc(*p == '\t' || *p == '\n' ? ' ' : '?', o);
            p++;
            continue;
        }
        int n = utf8_len(p);
        if (!n) {
            cli_html_put(o, "\xEF\xBF\xBD");
            p++;
            continue;
        }
        fwrite(p, 1, (size_t)n, o);
        p += n;
    }
}

void cli_html_text(FILE *o, const char *s) {
    cli_html_text_n(o, s, 0);
}

const char *cli_html_band_name(int band) {
    return band >= 0 && band < CLI_HTML_BANDS ? cli_html_band_names[band] : "unknown";
}

const char *cli_html_band_colour(int band) {
    return band >= 0 && band < CLI_HTML_BANDS ? cli_html_band_colours[band]
                                              : CLI_HTML_UNKNOWN_COLOUR;
}

void cli_html_band_chip(FILE *o, int band) {
    cli_html_putf(o, "<span class=\"band band-%s\">%s</span>", cli_html_band_name(band),
                  cli_html_band_name(band));
}

int cli_html_write_file(const char *path,
                        cli_html_page_fn page,
                        const void *ctx,
                        int *at_temp) {
    *at_temp = 0;
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 5);
    if (!tmp) {
        errno = ENOMEM;
        return -2;
    }
    snprintf(tmp, plen + 5, "%s.tmp", path);
    /* A stale temporary file (an earlier run that died) is replaced; O_EXCL never
     * writes through a link planted under that name. */
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    FILE *o = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!o) {
        int saved = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        *at_temp = 1;
        errno = saved;
        return -1;
    }
    int rc = 0;
    errno = 0;
    if (page(o, ctx) != 0) {
        rc = -2;
        errno = ENOMEM;
    } else if (fflush(o) || ferror(o) || fsync(fileno(o))) {
        rc = -1;
        errno = errno ? errno : EIO;
    }
    int saved = errno;
    if (fclose(o) && !rc) {
        rc = -1;
        saved = errno;
    }
    if (!rc && rename(tmp, path)) {
        rc = -1;
        saved = errno;
    }
    if (rc) {
        unlink(tmp);
    }
    free(tmp);
    errno = saved;
    return rc;
}
