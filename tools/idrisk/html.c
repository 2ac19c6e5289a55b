/* SPDX-License-Identifier: Apache-2.0 */
/*
 * html.c - the one-page HTML report of `idrisk score --html FILE` (view.h), for
 * attaching to the applicant-tracking record. It shows what the terminal report
 * (text.c) shows, read from the same view: the answer first (score, band, action,
 * coverage), the merged "Ask or verify" steps, then each reason with its evidence as
 * a table, what context cleared, links, the enrichment (sessions, phones, emails), a
 * drawing of how far the sessions were from the claimed residence, and the legend of
 * the sources.
 *
 * One self-contained file: inline CSS and SVG, no scripts, nothing fetched. The only
 * addresses are the https links of the source legend, which a reader may follow and
 * the page never loads. Every string from the result or the record goes through
 * cli_html_text() (html_util.h). The page holds no time but the result's as_of, so
 * the same result gives the same bytes.
 */
#include "html_util.h"
#include "view.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Place rows drawn in the distance chart; the session table lists every group. */
#define HTML_MAX_PLACES    30
#define HTML_LABEL_CHARS   44      /* code points of a chart label */
#define HTML_NEAR_KM       100.0   /* "near the residence" in the chart */
#define HTML_MAX_KM        20038.0 /* half the equator: the farthest two points are */
#define HTML_CHART_W       900
#define HTML_CHART_LABEL_W 330
#define HTML_CHART_BAR_W   470
#define HTML_CHART_ROW     24
#define HTML_CHART_TOP     34

/* Rules the candidate page adds to the shared sheet. Printed, the page keeps a white
 * background: chips and the score lose their fill and keep a coloured border. */
static const char CAND_CSS[] =
    ".top{border:1px solid #d5dae0;border-radius:8px;padding:12px 18px;margin:0 0 8px}"
    ".top h1 .name{font-weight:normal;color:#4a5661}.top h1 .mono{font-size:inherit}\n"
    ".verdict{display:flex;flex-wrap:wrap;gap:10px 18px;align-items:center;margin:8px 0}"
    ".score{font-size:30px;font-weight:bold;padding:2px 14px;border:3px solid;"
    "border-radius:8px}.score small{font-size:15px;font-weight:normal}\n"
    ".verdict .band,.verdict .act{font-size:16px;padding:2px 12px}\n"
    ".act{display:inline-block;border-radius:9px;color:#fff}.act-none{background:#7a8793}"
    ".act-verify{background:#2f6fb5}.act-escalate{background:#b3162b}\n"
    ".lowcov{background:#fde8ea;border-left:4px solid #b3162b;padding:8px 12px;"
    "margin:10px 0;font-weight:bold}\n"
    "ol.steps li,ol.sum li{margin:3px 0}.refs{color:#4a5661;font-size:13px;"
    "white-space:nowrap}\n"
    ".reason{padding:2px 0 8px 12px;border-left-width:5px}.reason h3{margin:18px 0 4px}"
    ".reason .id{font-weight:normal}\n"
    ".sev-low{border-left-color:#3a8d4f}.sev-medium{border-left-color:#d9a400}"
    ".sev-high{border-left-color:#e06c1b}.sev-critical{border-left-color:#b3162b}\n"
    ".label{font-weight:bold}.reason ul{margin:2px 0 4px;padding-left:22px}\n"
    "table.t td.v{word-break:break-word;max-width:560px}table.t td.ip{word-break:normal;"
    "white-space:nowrap}\n"
    ".cols{columns:2 320px;column-gap:28px}.cols li{break-inside:avoid}\n"
    "dl.src dt{font-weight:bold;float:left;clear:left;width:120px}"
    "dl.src dd{margin:0 0 4px 130px}\n"
    "footer{margin-top:28px;border-top:1px solid #d5dae0;padding-top:6px}\n"
    "@media print{@page{margin:14mm 12mm}body{font-size:10.5pt;padding:0}"
    "h2{break-after:avoid}h3{break-after:avoid}"
    ".reason,table.t tr,ol li,svg,.top,dl.src dd{break-inside:avoid}"
    ".band,.act,.score{background:#fff!important;color:#1d2329!important;"
    "border:2px solid #7a8793;-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    ".band-low{border-color:#3a8d4f}.band-medium{border-color:#d9a400}"
    ".band-high{border-color:#e06c1b}.band-critical{border-color:#b3162b}"
    ".act-verify{border-color:#2f6fb5}.act-escalate{border-color:#b3162b}"
    ".lowcov,.note{background:#fff}table.t th{background:#fff}"
    "a{color:inherit;text-decoration:none}}\n";

static const char * or (const char *s, const char *dflt) {
    return s ? s : dflt;
}

static const char *jstr(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The class suffix of a severity: the band words name the severities too. */
static const char *sev_class(const char *severity) {
    for (int i = 0; i < CLI_HTML_BANDS; i++) {
        if (severity && strcmp(severity, cli_html_band_names[i]) == 0) {
            return cli_html_band_names[i];
        }
    }
    return "unknown";
}

/* A number the way the text report prints points: "30", "12.5". */
static void put_g(FILE *o, double v) {
    cli_html_putf(o, "%g", v);
}

static size_t source_index(const cli_view *v, const char *key) {
    for (size_t i = 0; i < v->n_sources; i++) {
        if (strcmp(v->sources[i].key, key) == 0) {
            return i;
        }
    }
    return v->n_sources;
}

/* ---- the header: the answer -------------------------------------------------------- */

static void put_header(FILE *o, const cli_view *v) {
    const idr_result *res = v->res;
    int band = (int)idr_result_band_code(res);
    int act = (int)idr_result_action_code(res);
    cli_html_put(o, "<header class=\"top\">\n<h1>Candidate <span class=\"mono\">");
    cli_html_text(o, idr_result_candidate_id(res));
    cli_html_put(o, "</span>");
    if (v->name) {
        cli_html_put(o, " <span class=\"name\">(");
        cli_html_text(o, v->name);
        cli_html_put(o, ")</span>");
    }
    cli_html_putf(o,
                  "</h1>\n<div class=\"verdict\"><span class=\"score\" id=\"score\" "
                  "style=\"border-color:%s\">%d<small>/100</small></span> "
                  "<span>band ",
                  cli_html_band_colour(band), idr_result_score(res));
    cli_html_band_chip(o, band);
    cli_html_putf(
        o,
        "</span> <span>action <span class=\"act act-%s\">%s</span></span>"
        "</div>\n<p><strong>",
        act >= 0 && act < CLI_HTML_ACTIONS ? cli_html_action_names[act] : "none",
        act >= 0 && act < CLI_HTML_ACTIONS ? cli_html_action_names[act] : "none");
    cli_html_text(o, cli_view_action_text(idr_result_action_code(res)));
    cli_html_put(o, "</strong></p>\n");
    const idr_coverage *c = idr_result_coverage(res);
    cli_html_putf(o,
                  "<p>Checked: %zu of %zu indicators (%zu need a store, %zu were "
                  "cleared by context).",
                  c->evaluated, c->total, c->needs_store, c->suppressed);
    if (c->missing && *c->missing) {
        const char *m = c->missing;
        static const char pre[] = "not evaluated: ";
        if (strncmp(m, pre, sizeof pre - 1) == 0) {
            m += sizeof pre - 1;
        }
        cli_html_put(o, " Not checked: ");
        cli_html_text(o, m);
        cli_html_put(o, ".");
    }
    cli_html_put(o, "</p>\n");
    if (c->low) {
        cli_html_put(o,
                     "<p class=\"lowcov\" id=\"low-coverage\">LOW COVERAGE: too little "
                     "could be checked for a low score to mean &#8220;nothing "
                     "found&#8221;; the action is at least verify.</p>\n");
    }
    cli_html_put(o, "<p class=\"note\">Triage for a human reviewer, not a hiring "
                    "decision. The page lists contradictions and failed verifications "
                    "worth a reviewer&#8217;s attention; it says nothing about who a "
                    "person is. Handle it as confidential.</p>\n</header>\n");
}

static void put_reason_refs(FILE *o, const cli_step *s) {
    cli_html_put(o, " <span class=\"refs\">[reason");
    cli_html_put(o, s->n_reasons == 1 ? " " : "s ");
    for (size_t k = 0; k < s->n_reasons; k++) {
        cli_html_putf(o, "%s<a href=\"#reason-%zu\">%zu</a>", k ? ", " : "",
                      s->reasons[k] + 1, s->reasons[k] + 1);
    }
    cli_html_put(o, "]</span>");
}

static void put_summary(FILE *o, const cli_view *v) {
    size_t n = idr_result_reason_count(v->res);
    if (n == 0) {
        cli_html_put(o, "<h2 id=\"summary\">Reasons</h2>\n<p>None fired.</p>\n");
    } else {
        cli_html_putf(o,
                      "<h2 id=\"summary\">Reasons (%zu), most important first</h2>\n"
                      "<ol class=\"sum\">\n",
                      n);
        for (size_t i = 0; i < n; i++) {
            const idr_reason *r = idr_result_reason(v->res, i);
            cli_html_putf(o, "<li><a href=\"#reason-%zu\">", i + 1);
            cli_html_text(o, r->title);
            cli_html_put(o, "</a> <span class=\"refs\">+");
            put_g(o, r->points);
            cli_html_put(o, ", ");
            cli_html_text(o, r->severity);
            cli_html_put(o, "</span></li>\n");
        }
        cli_html_put(o, "</ol>\n");
    }
    if (v->n_steps == 0) {
        return;
    }
    cli_html_put(o, "<h2 id=\"steps\">Ask or verify</h2>\n<p class=\"small\">Each step "
                    "once, in the order of the most important reason that asks for it; "
                    "the reasons it serves in brackets.</p>\n<ol class=\"steps\">\n");
    for (size_t i = 0; i < v->n_steps; i++) {
        cli_html_putf(o, "<li id=\"step-%zu\">", i + 1);
        cli_html_text(o, v->steps[i].text);
        put_reason_refs(o, &v->steps[i]);
        cli_html_put(o, "</li>\n");
    }
    cli_html_put(o, "</ol>\n");
}

/* ---- reasons ----------------------------------------------------------------------- */

static void put_value(FILE *o, const idr_value *val) {
    switch (val->type) {
    case IDR_VALUE_STRING:
        cli_html_text(o, val->str);
        break;
    case IDR_VALUE_INT:
        cli_html_putf(o, "%lld", val->integer);
        break;
    case IDR_VALUE_NUMBER:
        if (isfinite(val->number)) {
            cli_html_putf(o, "%.10g", val->number);
        } else {
            cli_html_put(o, "&ndash;");
        }
        break;
    case IDR_VALUE_BOOL:
        cli_html_put(o, val->boolean ? "yes" : "no");
        break;
    }
}

static void put_evidence(FILE *o, const cli_view *v, size_t i) {
    size_t n = idr_result_evidence_count(v->res, i);
    if (n == 0) {
        return;
    }
    cli_html_put(o, "<table class=\"t ev\"><tr><th>evidence</th><th>value</th></tr>\n");
    for (size_t k = 0; k < n; k++) {
        const idr_evidence *e = idr_result_evidence(v->res, i, k);
        if (!e) {
            continue;
        }
        cli_html_put(o, "<tr><td class=\"mono\">");
        cli_html_text(o, e->key);
        cli_html_put(o, "</td><td class=\"v\">");
        put_value(o, &e->value);
        cli_html_put(o, "</td></tr>\n");
    }
    cli_html_put(o, "</table>\n");
}

static void put_reasons(FILE *o, const cli_view *v) {
    size_t n = idr_result_reason_count(v->res);
    if (n == 0) {
        return;
    }
    cli_html_put(o, "<h2 id=\"details\">Reasons in detail</h2>\n");
    for (size_t i = 0; i < n; i++) {
        const idr_reason *r = idr_result_reason(v->res, i);
        cli_html_putf(o, "<section class=\"reason sev-%s\" id=\"reason-%zu\">\n<h3>%zu. ",
                      sev_class(r->severity), i + 1, i + 1);
        cli_html_text(o, r->title);
        cli_html_put(o, " <span class=\"refs\">[");
        cli_html_text(o, r->severity);
        cli_html_put(o, ", +");
        put_g(o, r->points);
        cli_html_put(o,
                     "]</span></h3>\n<p class=\"small\">indicator <span class=\"mono\">");
        cli_html_text(o, r->id);
        cli_html_put(o, "</span></p>\n<p>");
        cli_html_text(o, r->detail);
        cli_html_put(o, "</p>\n");
        if (r->verify) {
            cli_html_put(o, "<p><span class=\"label\">Verify:</span> ");
            cli_html_text(o, r->verify);
            bool first = true;
            for (size_t s = 0; s < v->n_steps; s++) {
                for (size_t k = 0; k < v->steps[s].n_reasons; k++) {
                    if (v->steps[s].reasons[k] == i) {
                        cli_html_putf(o, "%s<a href=\"#step-%zu\">%zu</a>",
                                      first ? " <span class=\"refs\">[steps " : ", ",
                                      s + 1, s + 1);
                        first = false;
                    }
                }
            }
            cli_html_put(o, first ? "</p>\n" : "]</span></p>\n");
        }
        if (r->n_benign > 0) {
            cli_html_put(o, "<p class=\"label\">Could also be:</p>\n<ul>\n");
            for (size_t k = 0; k < r->n_benign; k++) {
                cli_html_put(o, "<li>");
                cli_html_text(o, r->benign[k]);
                cli_html_put(o, "</li>\n");
            }
            cli_html_put(o, "</ul>\n");
        }
        put_evidence(o, v, i);
        if (r->n_sources > 0) {
            cli_html_put(o, "<p class=\"small\">Sources: ");
            for (size_t k = 0; k < r->n_sources; k++) {
                cli_html_putf(o, "%s<a href=\"#src-%zu\">", k ? ", " : "",
                              source_index(v, r->sources[k]) + 1);
                cli_html_text(o, r->sources[k]);
                cli_html_put(o, "</a>");
            }
            cli_html_put(o, "</p>\n");
        }
        cli_html_put(o, "</section>\n");
    }
}

static void put_suppressed(FILE *o, const cli_view *v) {
    size_t n = idr_result_suppressed_count(v->res);
    if (n == 0) {
        return;
    }
    cli_html_put(o,
                 "<h2 id=\"cleared\">Cleared by context</h2>\n<p class=\"small\">These "
                 "would have fired; the record explains them, so they add no "
                 "points.</p>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        const idr_suppressed *s = idr_result_suppressed(v->res, i);
        const char *t = cli_view_title(v, s->id);
        cli_html_put(o, "<li>");
        cli_html_text(o, t ? t : s->id);
        cli_html_put(o, ": cleared by ");
        cli_html_text(o, s->by);
        cli_html_put(o, ". <span class=\"small mono\">");
        cli_html_text(o, s->id);
        cli_html_put(o, "</span></li>\n");
    }
    cli_html_put(o, "</ul>\n");
}

static void put_links(FILE *o, const cli_view *v) {
    if (!v->linked) {
        return;
    }
    size_t n = idr_result_link_count(v->res);
    cli_html_putf(o, "<h2 id=\"links\">Linked candidates (%zu, from the store)</h2>\n",
                  n);
    if (n == 0) {
        cli_html_put(o, "<p>None: no other candidate in the store shares an "
                        "identifier.</p>\n");
        return;
    }
    cli_html_put(o, "<table class=\"t\"><tr><th>candidate</th><th>shares</th>"
                    "<th>reason</th></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const idr_link_info *l = idr_result_link(v->res, i);
        const char *t = cli_view_title(v, l->indicator);
        cli_html_put(o, "<tr><td class=\"mono\">");
        cli_html_text(o, l->candidate_id);
        cli_html_put(o, "</td><td>");
        cli_html_text(o, l->kind);
        cli_html_put(o, "</td><td>");
        cli_html_text(o, t ? t : l->indicator);
        cli_html_put(o, "</td></tr>\n");
    }
    cli_html_put(o, "</table>\n");
}

/* ---- where the sessions came from -------------------------------------------------- */

/* The anonymiser of a session in a word, or NULL. */
static const char *anonymiser(const idr_session_info *s) {
    return s->is_tor == 1                 ? "Tor"
           : s->is_vpn == 1               ? "VPN"
           : s->is_public_proxy == 1      ? "proxy"
           : s->is_residential_proxy == 1 ? "residential proxy"
           : s->is_hosting == 1           ? "hosting network"
           : s->is_anonymous == 1         ? "anonymiser"
                                          : NULL;
}

/* One bar of the chart: the session groups at the same place and distance with the
 * same anonymiser, counted together (addresses do not matter to the picture). */
typedef struct place {
    const idr_session_info *s;
    size_t count;
} place;

static bool same_str(const char *a, const char *b) {
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_place(const idr_session_info *a, const idr_session_info *b) {
    return same_str(a->city, b->city) && same_str(a->country, b->country) &&
           (isnan(a->distance_km) ? isnan(b->distance_km)
                                  : a->distance_km == b->distance_km) &&
           same_str(anonymiser(a), anonymiser(b));
}

static int cmp_str(const char *a, const char *b) {
    return strcmp(a ? a : "", b ? b : "");
}

/* Farthest first, unknown distances last, then the larger count, then the names: a
 * total order on what a bar shows, so the drawing does not depend on input order. */
static int cmp_place(const void *pa, const void *pb) {
    const place *a = pa, *b = pb;
    double da = a->s->distance_km, db = b->s->distance_km;
    if (isnan(da) != isnan(db)) {
        return isnan(da) ? 1 : -1;
    }
    if (!isnan(da) && da != db) {
        return da > db ? -1 : 1;
    }
    if (a->count != b->count) {
        return a->count > b->count ? -1 : 1;
    }
    int c = cmp_str(a->s->country, b->s->country);
    if (c == 0) {
        c = cmp_str(a->s->city, b->s->city);
    }
    return c ? c : cmp_str(anonymiser(a->s), anonymiser(b->s));
}

/* The claimed residence's country: the record's identity.residence.country, else the
 * ", XX" at the end of the residence label; upper case, or "" when neither. */
static void home_country(const cli_view *v, char out[3]) {
    out[0] = 0;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(v->record, "identity");
    const char *c = jstr(cJSON_GetObjectItemCaseSensitive(id, "residence"), "country");
    const idr_residence_info *r = idr_result_residence(v->res);
    if (!(c && strlen(c) == 2) && r && r->label) {
        size_t n = strlen(r->label);
        c = n >= 4 && r->label[n - 4] == ',' && r->label[n - 3] == ' ' ? r->label + n - 2
                                                                       : NULL;
    }
    if (c && strlen(c) == 2 && isalpha((unsigned char)c[0]) &&
        isalpha((unsigned char)c[1])) {
        out[0] = (char)toupper((unsigned char)c[0]);
        out[1] = (char)toupper((unsigned char)c[1]);
        out[2] = 0;
    }
}

enum { NEAR, DOMESTIC, ABROAD, UNKNOWN };
static const char *const place_colours[] = {"#3a8d4f", "#d9a400", "#b3162b", "#bcc3ca"};
static const char *const place_words[] = {"within 100 km", "same country, farther",
                                          "another country", "distance unknown"};

static int place_kind(const idr_session_info *s, const char *home) {
    if (isnan(s->distance_km)) {
        return UNKNOWN;
    }
    if (s->distance_km < HTML_NEAR_KM) {
        return NEAR;
    }
    if (home[0] && s->country && strcasecmp(s->country, home) == 0) {
        return DOMESTIC;
    }
    return ABROAD;
}

/* The natural logarithm of x >= 1, by halving into [1, 2) and the series of
 * 2 atanh((y - 1) / (y + 1)): plain arithmetic, so the drawing is the same bytes
 * whatever libm the tool runs with (and the CLI does not link libm). */
static double ln_local(double x) {
    static const double ln2 = 0.69314718055994530942;
    int k = 0;
    while (x >= 2.0) {
        x /= 2.0;
        k++;
    }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, term = z, sum = 0;
    for (int i = 1; i < 40; i += 2) {
        sum += term / i;
        term *= z2;
    }
    return 2.0 * sum + k * ln2;
}

/* x offset of `km` on the log scale of the bar area: log(1 + km), 0 km at 0. */
static double scale_x(double km) {
    if (km < 0) {
        km = 0;
    }
    if (km > HTML_MAX_KM) {
        km = HTML_MAX_KM;
    }
    return HTML_CHART_BAR_W * ln_local(1.0 + km) / ln_local(1.0 + HTML_MAX_KM);
}

static void put_place_label(FILE *o, const place *p) {
    const idr_session_info *s = p->s;
    char head[48];
    snprintf(head, sizeof head, "%zu\xC3\x97 ", p->count); /* "3× " */
    cli_html_put(o, head);
    /* The label is cut as a whole, so build it before escaping. */
    char buf[512];
    const char *anon = anonymiser(s);
    snprintf(buf, sizeof buf, "%s%s%s%s%s", or (s->city, ""), s->city ? ", " : "",
             or (s->country, "no geolocation"), anon ? " \xC2\xB7 " : "", or (anon, ""));
    cli_html_text_n(o, buf, HTML_LABEL_CHARS);
}

static int put_distance_chart(FILE *o, const cli_view *v) {
    if (v->n_sessions == 0) {
        return 0;
    }
    place *pl = calloc(v->n_sessions, sizeof *pl);
    if (!pl) {
        return -1;
    }
    size_t np = 0;
    for (size_t i = 0; i < v->n_sessions; i++) {
        size_t k = 0;
        while (k < np && !same_place(pl[k].s, v->sessions[i].s)) {
            k++;
        }
        if (k == np) {
            pl[np++] = (place){v->sessions[i].s, 0};
        }
        pl[k].count += v->sessions[i].count;
    }
    qsort(pl, np, sizeof *pl, cmp_place);
    char home[3];
    home_country(v, home);
    const idr_residence_info *r = idr_result_residence(v->res);
    size_t shown = np < HTML_MAX_PLACES ? np : HTML_MAX_PLACES;
    int x0 = HTML_CHART_LABEL_W;
    int h = HTML_CHART_TOP + (int)shown * HTML_CHART_ROW + 56;
    cli_html_put(o, "<h3 id=\"distance\">How far the sessions were from the claimed "
                    "residence</h3>\n<p class=\"small\">Origin: ");
    if (r && r->known) {
        cli_html_text(o, or (r->label, "the claimed residence"));
        cli_html_putf(o, " (%.3f, %.3f)", r->lat, r->lon);
    } else {
        cli_html_put(o, "the claimed residence has no coordinates");
        if (r && r->why) {
            cli_html_put(o, " (");
            cli_html_text(o, r->why);
            cli_html_put(o, ")");
        }
        cli_html_put(o, ", so no distance is known");
    }
    cli_html_put(o, ". One bar per place, length on a log scale of kilometres.</p>\n");
    cli_html_putf(o,
                  "<svg id=\"distance-chart\" width=\"%d\" height=\"%d\" "
                  "viewBox=\"0 0 %d %d\" role=\"img\"><title>Session distances from "
                  "the claimed residence</title>\n",
                  HTML_CHART_W, h, HTML_CHART_W, h);
    /* Axis: ticks at 0, 10, 100, 1,000 and 10,000 km, across every row. */
    static const double ticks[] = {0, 10, 100, 1000, 10000};
    static const char *const tick_words[] = {"0", "10 km", "100 km", "1,000 km",
                                             "10,000 km"};
    int y_end = HTML_CHART_TOP + (int)shown * HTML_CHART_ROW;
    for (size_t t = 0; t < sizeof ticks / sizeof *ticks; t++) {
        double x = x0 + scale_x(ticks[t]);
        cli_html_putf(o,
                      "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
                      "stroke=\"#d5dae0\"/><text x=\"%.1f\" y=\"%d\" "
                      "text-anchor=\"middle\">%s</text>\n",
                      x, HTML_CHART_TOP - 6, x, y_end, x, HTML_CHART_TOP - 12,
                      tick_words[t]);
    }
    cli_html_putf(o,
                  "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
                  "font-weight=\"bold\">residence &#8594;</text><line x1=\"%d\" "
                  "y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1d2329\" "
                  "stroke-width=\"2\"/>\n",
                  x0 - 8, HTML_CHART_TOP - 12, x0, HTML_CHART_TOP - 4, x0, y_end);
    for (size_t i = 0; i < shown; i++) {
        const idr_session_info *s = pl[i].s;
        int kind = place_kind(s, home);
        int y = HTML_CHART_TOP + (int)i * HTML_CHART_ROW;
        cli_html_putf(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", x0 - 8, y + 16);
        put_place_label(o, &pl[i]);
        cli_html_put(o, "</text>");
        if (kind == UNKNOWN) {
            cli_html_putf(o,
                          "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                          "fill=\"none\" stroke=\"%s\" stroke-dasharray=\"4 3\"/>"
                          "<text x=\"%d\" y=\"%d\">distance unknown</text>\n",
                          x0, y + 4, 60, HTML_CHART_ROW - 8, place_colours[kind], x0 + 68,
                          y + 16);
            continue;
        }
        double w = scale_x(s->distance_km);
        if (w < 3) {
            w = 3;
        }
        cli_html_putf(o,
                      "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
                      "fill=\"%s\"/><text x=\"%.1f\" y=\"%d\">%.0f km</text>\n",
                      x0, y + 4, w, HTML_CHART_ROW - 8, place_colours[kind], x0 + w + 6,
                      y + 16, s->distance_km);
    }
    /* The legend, one swatch per kind. */
    static const int legend_x[] = {8, 150, 340, 490};
    int ly = y_end + 20;
    for (int k = 0; k < 4; k++) {
        int lx = legend_x[k];
        cli_html_putf(o,
                      "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                      "<text x=\"%d\" y=\"%d\">%s</text>\n",
                      lx, ly, place_colours[k], lx + 17, ly + 11, place_words[k]);
    }
    if (shown < np) {
        cli_html_putf(o,
                      "<text x=\"8\" y=\"%d\">and %zu more places, nearer ones, in the "
                      "table below</text>\n",
                      ly + 32, np - shown);
    }
    cli_html_put(o, "</svg>\n");
    free(pl);
    return 0;
}

static void put_session_table(FILE *o, const cli_view *v) {
    cli_html_put(o, "<table class=\"t\"><tr><th>sessions</th><th>address</th>"
                    "<th>place</th><th>network</th><th>anonymiser</th><th>km from "
                    "residence</th><th>note</th></tr>\n");
    for (size_t i = 0; i < v->n_sessions; i++) {
        const idr_session_info *s = v->sessions[i].s;
        cli_html_putf(o, "<tr><td class=\"n\">%zu</td><td class=\"mono ip\">",
                      v->sessions[i].count);
        cli_html_text(o, or (s->ip, "?"));
        cli_html_put(o, "</td><td>");
        if (!s->country && !s->city) {
            cli_html_put(o, "no geolocation");
        }
        cli_html_text(o, s->city);
        cli_html_put(o, s->city && (s->region || s->country) ? ", " : "");
        cli_html_text(o, s->region);
        cli_html_put(o, s->region && s->country ? ", " : "");
        cli_html_text(o, s->country);
        cli_html_put(o, "</td><td>");
        if (s->asn) {
            cli_html_putf(o, "AS%lu ", (unsigned long)s->asn);
        }
        cli_html_text(o, s->asn_org);
        cli_html_put(o, "</td><td>");
        const char *a = anonymiser(s);
        cli_html_text(o, a ? a : "");
        if (s->anonymizer_provider) {
            cli_html_put(o, a ? " (" : "");
            cli_html_text(o, s->anonymizer_provider);
            cli_html_put(o, a ? ")" : "");
        }
        cli_html_put(o, "</td><td class=\"n\">");
        if (isnan(s->distance_km)) {
            cli_html_put(o, "&ndash;");
        } else {
            cli_html_putf(o, "%.0f", s->distance_km);
        }
        cli_html_put(o, "</td><td>");
        if (s->allow_listed) {
            cli_html_put(o, "allow-listed (");
            cli_html_text(o, s->allow_listed);
            cli_html_put(o, ")");
        }
        if (s->relay) {
            cli_html_put(o, s->allow_listed ? "; relay (" : "relay (");
            cli_html_text(o, s->relay);
            cli_html_put(o, ")");
        }
        cli_html_put(o, "</td></tr>\n");
    }
    cli_html_put(o, "</table>\n");
}

static int put_sessions(FILE *o, const cli_view *v) {
    if (v->n_sessions == 0) {
        return 0;
    }
    cli_html_putf(o, "<h2 id=\"sessions\">IP sessions (%zu, %zu distinct)</h2>\n",
                  idr_result_session_count(v->res), v->n_sessions);
    if (put_distance_chart(o, v) != 0) {
        return -1;
    }
    put_session_table(o, v);
    return 0;
}

static void put_phones_emails(FILE *o, const cli_view *v) {
    const idr_result *res = v->res;
    size_t n = idr_result_phone_count(res);
    if (n > 0) {
        cli_html_put(o, "<h2 id=\"phones\">Phones</h2>\n<table class=\"t\"><tr>"
                        "<th>number</th><th>E.164</th><th>valid</th><th>type</th>"
                        "<th>region</th><th>area</th><th>carrier</th></tr>\n");
        for (size_t i = 0; i < n; i++) {
            const idr_phone_info *p = idr_result_phone(res, i);
            cli_html_put(o, "<tr><td class=\"mono\">");
            cli_html_text(o, or (p->number, "?"));
            cli_html_put(o, "</td><td class=\"mono\">");
            cli_html_text(o, or (p->e164, ""));
            cli_html_putf(o, "</td><td>%s</td><td>",
                          p->valid == 1   ? "valid"
                          : p->valid == 0 ? "INVALID"
                                          : "not checked");
            cli_html_text(o, or (p->type, "unknown"));
            cli_html_put(o, "</td><td>");
            cli_html_text(o, or (p->region, ""));
            cli_html_put(o, "</td><td>");
            cli_html_text(o, or (p->area, ""));
            cli_html_put(o, "</td><td>");
            cli_html_text(o, or (p->carrier, ""));
            cli_html_put(o, "</td></tr>\n");
        }
        cli_html_put(o, "</table>\n");
    }
    n = idr_result_email_count(res);
    if (n > 0) {
        cli_html_put(o, "<h2 id=\"emails\">Emails</h2>\n<table class=\"t\"><tr>"
                        "<th>address</th><th>domain</th></tr>\n");
        for (size_t i = 0; i < n; i++) {
            const idr_email_info *e = idr_result_email(res, i);
            cli_html_put(o, "<tr><td class=\"mono\">");
            cli_html_text(o, or (e->address, "?"));
            cli_html_put(o, "</td><td>");
            cli_html_text(o, or (e->domain_class, "unclassified"));
            cli_html_put(o, "</td></tr>\n");
        }
        cli_html_put(o, "</table>\n");
    }
}

static void put_warnings(FILE *o, const cli_view *v) {
    size_t n = idr_result_warning_count(v->res);
    if (n == 0) {
        return;
    }
    cli_html_put(o, "<h2 id=\"warnings\">Warnings</h2>\n<ul>\n");
    for (size_t i = 0; i < n; i++) {
        cli_html_put(o, "<li>");
        cli_html_text(o, idr_result_warning(v->res, i));
        cli_html_put(o, "</li>\n");
    }
    cli_html_put(o, "</ul>\n");
}

/* ---- legend and the small print ---------------------------------------------------- */

/* An https address a citation holds, made a link: only the characters an address needs
 * (no quote, angle bracket or space can leave the attribute), and a trailing '.' ','
 * ';' or ')' is the sentence's, not the address's. Everything else is text. */
static void put_citation(FILE *o, const char *t) {
    while (*t) {
        const char *u = strstr(t, "https://");
        if (!u) {
            cli_html_text(o, t);
            return;
        }
        size_t n = 0;
        while (u[n] &&
               (isalnum((unsigned char)u[n]) || strchr("-._~:/?#@!$&*+=%", u[n]))) {
            n++;
        }
        while (n > 8 && strchr(".,;)", u[n - 1])) {
            n--;
        }
        char *pre = strndup(t, (size_t)(u - t));
        char *url = strndup(u, n);
        if (!pre || !url) {
            free(pre);
            free(url);
            cli_html_text(o, t);
            return;
        }
        cli_html_text(o, pre);
        cli_html_put(o, "<a href=\"");
        cli_html_text(o, url);
        cli_html_put(o, "\" rel=\"noreferrer\">");
        cli_html_text(o, url);
        cli_html_put(o, "</a>");
        free(pre);
        free(url);
        t = u + n;
    }
}

static void put_legend(FILE *o, const cli_view *v) {
    if (v->n_sources == 0) {
        return;
    }
    cli_html_put(o, "<h2 id=\"sources\">Sources cited above</h2>\n<dl class=\"src\">\n");
    for (size_t i = 0; i < v->n_sources; i++) {
        cli_html_putf(o, "<dt id=\"src-%zu\">", i + 1);
        cli_html_text(o, v->sources[i].key);
        cli_html_put(o, "</dt><dd>");
        if (v->sources[i].title) {
            put_citation(o, v->sources[i].title);
        } else {
            cli_html_put(o, "(no citation in the rule pack)");
        }
        cli_html_put(o, "</dd>\n");
    }
    cli_html_put(o, "</dl>\n");
}

static void put_small_print(FILE *o, const cli_view *v) {
    const idr_result *res = v->res;
    size_t n = idr_result_not_evaluated_count(res);
    if (n > 0) {
        cli_html_putf(o,
                      "<h2 id=\"not-evaluated\">Not evaluated (%zu)</h2>\n<p "
                      "class=\"small\">Missing data or database: not evidence either "
                      "way.</p>\n<ul class=\"cols small\">\n",
                      n);
        for (size_t i = 0; i < n; i++) {
            const idr_not_evaluated *ne = idr_result_not_evaluated(res, i);
            const char *t = cli_view_title(v, ne->id);
            cli_html_put(o, "<li>");
            cli_html_text(o, t ? t : ne->id);
            cli_html_put(o, ": ");
            cli_html_text(o, ne->why);
            cli_html_put(o, "</li>\n");
        }
        cli_html_put(o, "</ul>\n");
    }
    n = idr_result_data_count(res);
    if (n > 0) {
        cli_html_put(o, "<h2 id=\"data\">Data used</h2>\n<ul class=\"cols small\">\n");
        for (size_t i = 0; i < n; i++) {
            const idr_data_source *d = idr_result_data(res, i);
            cli_html_put(o, "<li><strong>");
            cli_html_text(o, d->name);
            cli_html_put(o, "</strong>: ");
            cli_html_text(o, d->type);
            cli_html_put(o, ", version ");
            cli_html_text(o, or (d->version, "?"));
            cli_html_put(o, ", built ");
            cli_html_text(o, or (d->build_date, "?"));
            if (d->attribution) {
                cli_html_put(o, ". ");
                cli_html_text(o, d->attribution);
            }
            cli_html_put(o, "</li>\n");
        }
        cli_html_put(o, "</ul>\n");
    }
}

static int page(FILE *o, const void *ctx) {
    const cli_view *v = ctx;
    const idr_result *res = v->res;
    cli_html_put(o,
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\">\n<meta name=\"referrer\" content=\"no-referrer\">\n"
                 "<title>idrisk: candidate ");
    cli_html_text(o, idr_result_candidate_id(res));
    cli_html_put(o, "</title>\n<style>\n");
    cli_html_put(o, cli_html_css);
    cli_html_put(o, CAND_CSS);
    cli_html_put(o, "</style>\n</head>\n<body>\n");
    put_header(o, v);
    put_summary(o, v);
    put_reasons(o, v);
    put_suppressed(o, v);
    put_links(o, v);
    if (put_sessions(o, v) != 0) {
        return -1;
    }
    put_phones_emails(o, v);
    put_warnings(o, v);
    put_legend(o, v);
    put_small_print(o, v);
    const idr_ruleset_info *rs = idr_result_ruleset(res);
    cli_html_put(o, "<footer class=\"small\">Rule pack ");
    cli_html_text(o, v->pack);
    cli_html_put(o, " <span class=\"mono\">sha256 ");
    cli_html_text(o, rs->sha256);
    cli_html_put(o, "</span>, engine ");
    cli_html_text(o, idr_version_string());
    cli_html_put(o, ", as of ");
    cli_html_text(o, v->as_of);
    cli_html_put(o, ". Written by <span class=\"mono\">idrisk score --html</span>; "
                    "docs/report.md explains each section.</footer>\n</body>\n</html>\n");
    return 0;
}

int cli_write_html(const char *path, const cli_view *v) {
    int at_temp = 0;
    return cli_html_write_file(path, page, v, &at_temp) == 0 ? 0 : -1;
}
