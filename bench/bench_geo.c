/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_geo.c - IP enrichment throughput on one core over real databases: the same
 * path scoring uses (idr__geo_enrich: every loaded .mmdb queried per address, strings
 * copied into the result arena), over pseudo-random public IPv4 and IPv6 addresses.
 * Prints numbers; asserts nothing.
 *
 *   bench_geo [DATA_DIR] [SECONDS]
 * DATA_DIR defaults to $IDRISK_DATA_DIR (e.g. after `idrisk data fetch`: DB-IP Lite
 * city IPv4+IPv6 and the ip-location-db ASN database).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/env_config.h"
#include "internal.h"

#define BATCH 4096

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time of this process: on a shared machine it, not wall time, says what one
 * core does. */
static double cpu_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* A random IPv4 address in 1.0.0.0-223.255.255.255 (unicast), or an IPv6 address in
 * 2000::/4 where most allocated space is. */
static void random_ip(idr__ip *ip, bool v6) {
    memset(ip, 0, sizeof *ip);
    uint64_t r = rng();
    if (!v6) {
        ip->family = 4;
        ip->addr[0] = (uint8_t)(1 + r % 223);
        ip->addr[1] = (uint8_t)(r >> 8);
        ip->addr[2] = (uint8_t)(r >> 16);
        ip->addr[3] = (uint8_t)(r >> 24);
    } else {
        ip->family = 6;
        uint64_t s = rng();
        ip->addr[0] = (uint8_t)(0x20 | ((r >> 4) & 0x0f));
        for (int i = 1; i < 8; i++) {
            ip->addr[i] = (uint8_t)(r >> (8 * i));
        }
        for (int i = 8; i < 16; i++) {
            ip->addr[i] = (uint8_t)(s >> (8 * (i - 8)));
        }
    }
}

static void run(idr_engine *eng, bool v6, double seconds) {
    static idr__session sessions[BATCH];
    static idr__ip_info infos[BATCH];
    idr_candidate cand;
    memset(&cand, 0, sizeof cand);
    memset(sessions, 0, sizeof sessions);
    for (size_t i = 0; i < BATCH; i++) {
        random_ip(&sessions[i].ip, v6);
        sessions[i].ip_text = "bench";
        sessions[i].at = IDR__TIME_NONE;
    }
    cand.sessions = sessions;
    cand.n_sessions = BATCH;
    size_t n = 0, found = 0;
    double c0 = cpu_s();
    double t0 = now_s(), t = t0;
    while (t - t0 < seconds) {
        idr__arena *a = idr__arena_new(NULL, 1u << 20);
        idr__enrichment ctx;
        memset(&ctx, 0, sizeof ctx);
        ctx.m = &eng->mods;
        ctx.c = &cand;
        ctx.arena = a;
        ctx.ips = infos;
        if (!a || idr__geo_enrich(&ctx) != IDR_OK) {
            fprintf(stderr, "bench_geo: enrichment failed\n");
            exit(1);
        }
        for (size_t i = 0; i < BATCH; i++) {
            found += infos[i].looked_up;
        }
        idr__arena_free(a);
        n += BATCH;
        t = now_s();
    }
    double secs = t - t0, cpu = cpu_s() - c0;
    printf("%s: %zu addresses in %.2f s wall, %.2f s CPU = %.0f addresses per CPU second "
           "(%.2f us each; %.0f/s wall; %.1f%% found in at least one database)\n",
           v6 ? "IPv6" : "IPv4", n, secs, cpu, (double)n / cpu, cpu / (double)n * 1e6,
           (double)n / secs, 100.0 * (double)found / (double)n);
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : getenv("IDRISK_DATA_DIR");
    double seconds = argc > 2 ? atof(argv[2]) : 3.0;
    if (!data) {
        fprintf(stderr, "usage: bench_geo DATA_DIR [SECONDS] (or set IDRISK_DATA_DIR)\n");
        return 2;
    }
    idr_config *cfg = NULL;
    idr_engine *eng = NULL;
    idr_error err;
    memset(&err, 0, sizeof err);
    if (idr_config_new(&cfg) != IDR_OK || test_config_from_env(cfg, &err) != IDR_OK ||
        idr_config_set_str(cfg, IDR_CFG_DATA_DIR, data, &err) != IDR_OK) {
        fprintf(stderr, "bench_geo: %s\n", err.message);
        return 1;
    }
    double t0 = now_s();
    int rc = idr_engine_new(&eng, cfg, &err);
    double t_open = now_s() - t0;
    idr_config_free(cfg);
    if (rc != IDR_OK) {
        fprintf(stderr, "bench_geo: %s\n", err.message);
        return 1;
    }
    if (!eng->mods.geo) {
        fprintf(stderr, "bench_geo: no IP database in %s: %s\n", data,
                eng->mods.geo_unavailable ? eng->mods.geo_unavailable : "");
        idr_engine_free(eng);
        return 1;
    }
    printf("engine build with databases and gazetteer: %.3f s\n", t_open);
    for (size_t i = 0; i < eng->n_data; i++) {
        printf("  %s (%s) version %s\n", eng->data[i].name, eng->data[i].type,
               eng->data[i].version ? eng->data[i].version : "-");
    }
    run(eng, false, seconds);
    run(eng, true, seconds);
    idr_engine_free(eng);
    return 0;
}
