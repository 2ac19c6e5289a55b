/* SPDX-License-Identifier: Apache-2.0 */
/*
 * post_hire.c - the "post_hire" family: what endpoint and identity tooling saw on the
 * issued device after hire (for rescoring past hires).
 *
 * Laptop farms keep issued laptops in a facilitator's home and operate them remotely,
 * through remote-access software or an IP-KVM [MAND24][DOJ-Knoot][DOJ-Chap25]. The
 * names below are the ones the sources name. They are matched against
 * post_hire.endpoint_findings and network.sessions[].remote_access_tools after
 * normalisation (case, "-", "_" and spaces ignored), so "Chrome Remote Desktop" and
 * "chrome_remote_desktop" are the same tool.
 *
 * The table is the code's only copy; data/remote_access_tools.tsv documents the same
 * entries for readers and tests/unit/test_rules_post_hire.c checks the two agree
 * (through idr__remote_access_tool_at below).
 */
#include "rules/rule.h"

#include <string.h>

typedef struct {
    const char *name; /* contract spelling, lower case */
    const char *kind; /* "software" (ept_rmm_install) or "hardware" (ept_ip_kvm_or_sbc) */
    const char *label; /* for the detail text */
    const char *sources;
} remote_tool;

static const remote_tool tools[] = {
    /* Remote-desktop software. AnyDesk and TeamViewer on suspect laptops [MSFT25][SW24]
     * [MPOD25]; Chrome Remote Desktop [SW24][MAND24]; RustDesk, GoTo and LogMeIn
     * products in Mandiant's list of tools seen [MAND24]. */
    {"anydesk", "software", "AnyDesk", "MSFT25,SW24,MPOD25"},
    {"teamviewer", "software", "TeamViewer", "MSFT25,SW24,MPOD25"},
    {"chrome_remote_desktop", "software", "Chrome Remote Desktop", "SW24,MAND24"},
    {"rustdesk", "software", "RustDesk", "MAND24"},
    {"goto_resolve", "software", "GoTo Resolve", "MAND24"},
    {"gotoremote", "software", "GoToRemote", "MAND24"},
    {"logmein", "software", "LogMeIn", "MAND24"},
    {"gotomeeting", "software", "GoToMeeting", "MAND24"},
    /* Hardware. IP-KVMs (PiKVM and TinyPilot class; Mandiant advises questioning any
     * IP-based KVM) and mouse jigglers [MAND24]; a Raspberry Pi attached to the
     * laptop [KB4]. */
    {"pikvm", "hardware", "PiKVM", "MAND24"},
    {"tinypilot", "hardware", "TinyPilot", "MAND24"},
    {"ip_kvm", "hardware", "an IP-KVM", "MAND24"},
    {"raspberry_pi", "hardware", "a Raspberry Pi", "KB4"},
    {"mouse_jiggler", "hardware", "a mouse jiggler", "MAND24"},
};

#define N_TOOLS (sizeof tools / sizeof tools[0])

/* Test hook: entry `i` of the table (its name; kind and sources through the out
 * parameters), or NULL past the end. Declared here, not in internal.h, because only
 * the table/TSV agreement test uses it. */
const char *idr__remote_access_tool_at(size_t i, const char **kind, const char **sources);

const char *
idr__remote_access_tool_at(size_t i, const char **kind, const char **sources) {
    if (i >= N_TOOLS) {
        return NULL;
    }
    if (kind) {
        *kind = tools[i].kind;
    }
    if (sources) {
        *sources = tools[i].sources;
    }
    return tools[i].name;
}

static const remote_tool *find_tool(idr__ctx *ctx, const char *finding) {
    const char *f = idr__norm_simple(ctx->arena, finding);
    if (f == NULL) {
        return NULL;
    }
    for (size_t i = 0; i < N_TOOLS; i++) {
        const char *n = idr__norm_simple(ctx->arena, tools[i].name);
        if (n && strcmp(f, n) == 0) {
            return &tools[i];
        }
        /* "goto resolve" and "gotoresolve" both occur in inventories. */
        size_t a = 0, b = 0;
        while (f[a] && n && n[b]) {
            if (f[a] == ' ') {
                a++;
                continue;
            }
            if (n[b] == ' ') {
                b++;
                continue;
            }
            if (f[a] != n[b]) {
                break;
            }
            a++;
            b++;
        }
        while (f[a] == ' ') {
            a++;
        }
        while (n && n[b] == ' ') {
            b++;
        }
        if (n && !f[a] && !n[b]) {
            return &tools[i];
        }
    }
    return NULL;
}

/* Gather the tools of `kind`; false when no inventory data is on file at all. */
static bool
gather(idr__ctx *ctx, const char *kind, const char **found, const char **where) {
    const idr_candidate *c = ctx->c;
    bool known = c->post_hire.endpoint_findings.n > 0;
    for (size_t i = 0; i < c->post_hire.endpoint_findings.n; i++) {
        const remote_tool *t = find_tool(ctx, c->post_hire.endpoint_findings.v[i]);
        if (t && strcmp(t->kind, kind) == 0) {
            idr__list_add_unique(ctx, ", ", found, t->label);
            idr__list_add_unique(ctx, ", ", where, "endpoint inventory");
        }
    }
    for (size_t s = 0; s < c->n_sessions; s++) {
        const idr__session *se = &c->sessions[s];
        known = known || se->remote_access_tools.n > 0;
        for (size_t i = 0; i < se->remote_access_tools.n; i++) {
            const remote_tool *t = find_tool(ctx, se->remote_access_tools.v[i]);
            if (t && strcmp(t->kind, kind) == 0) {
                idr__list_add_unique(ctx, ", ", found, t->label);
                if (se->at != IDR__TIME_NONE) {
                    char d[21];
                    idr__format_instant(se->at, d);
                    idr__list_add_unique(ctx, ", ", where,
                                         idr__arena_printf(ctx->arena, "session %s", d));
                } else {
                    idr__list_add_unique(
                        ctx, ", ", where,
                        idr__arena_printf(ctx->arena, "session from %s",
                                          se->ip_text ? se->ip_text : "?"));
                }
            }
        }
    }
    return known;
}

static const char *const tool_keys[] = {"tools", "where", NULL};

static void eval_tools(idr__ctx *ctx, const idr__indicator *ind, const char *kind) {
    const char *found = NULL, *where = NULL;
    if (!gather(ctx, kind, &found, &where)) {
        idr__not_evaluated(ctx, ind,
                           "no endpoint inventory or session tool data on file");
        return;
    }
    if (found == NULL) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_str(ev, "tools", found);
    idr__ev_str(ev, "where", where);
}

/* ---- ept_rmm_install [MAND24][SW24][MSFT25][DOJ-Knoot] ------------------------- */
static void eval_rmm(idr__ctx *ctx, const idr__indicator *ind) {
    eval_tools(ctx, ind, "software");
}

static const idr__indicator ept_rmm_install = {
    .id = "ept_rmm_install",
    .evidence_keys = tool_keys,
    .eval = eval_rmm,
};

/* ---- ept_ip_kvm_or_sbc [MAND24][KB4] -------------------------------------------- */
static void eval_kvm(idr__ctx *ctx, const idr__indicator *ind) {
    eval_tools(ctx, ind, "hardware");
}

static const idr__indicator ept_ip_kvm_or_sbc = {
    .id = "ept_ip_kvm_or_sbc",
    .evidence_keys = tool_keys,
    .eval = eval_kvm,
};

/* ---- ept_unmanaged_device_login [LVB26][P25] ------------------------------------ */
static const char *const unmanaged_keys[] = {"logins", NULL};

/* min_logins: this many logins from a device the organisation does not manage fire.
 * [LVB26][P25] treat any sign-in from an unmanaged device to a hired worker's account
 * as the signal, so the default is 1; an organisation whose identity provider also
 * counts sanctioned personal devices can raise it. */
enum { P_MIN_LOGINS };
static const idr__param unmanaged_params[] = {
    [P_MIN_LOGINS] = {.name = "min_logins",
                      .def = 1,
                      .min = 1,
                      .max = 1000,
                      .doc = "unmanaged-device logins from which the indicator fires"},
};

static void eval_unmanaged(idr__ctx *ctx, const idr__indicator *ind) {
    long long n = ctx->c->post_hire.unmanaged_device_logins;
    if (n < 0) {
        idr__not_evaluated(ctx, ind, "no unmanaged-device login count on file");
        return;
    }
    if (n < idr__param_of(ctx, P_MIN_LOGINS)) {
        return;
    }
    idr__ev *ev = idr__hit(ctx, ind);
    idr__ev_int(ev, "logins", n);
}

static const idr__indicator ept_unmanaged_device_login = {
    .id = "ept_unmanaged_device_login",
    .evidence_keys = unmanaged_keys,
    .eval = eval_unmanaged,
    .params = unmanaged_params,
    .n_params = sizeof unmanaged_params / sizeof unmanaged_params[0],
};

static const idr__indicator *const indicators[] = {&ept_rmm_install, &ept_ip_kvm_or_sbc,
                                                   &ept_unmanaged_device_login, NULL};

const idr__family idr__family_post_hire = {.name = "post_hire",
                                           .prefix = "ept_",
                                           .file = "lib/rules/post_hire.c",
                                           .indicators = indicators};
