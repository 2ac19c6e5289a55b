/* SPDX-License-Identifier: Apache-2.0 */
/*
 * store_fixture.h - candidate records and helpers shared by the store's unit tests and
 * its helper programs: a temporary directory, an engine, and the JSON of a candidate
 * with a given id and identifiers.
 */
#ifndef IDRISK_TESTS_STORE_FIXTURE_H
#define IDRISK_TESTS_STORE_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A resume long enough to be indexed (about 130 words); %s is a name in it. */
#define STORE_RESUME_TEMPLATE                                                            \
    "Senior backend engineer with ten years of experience building distributed "         \
    "payment systems in Go and Java. Led the migration of a monolithic billing "         \
    "platform to event driven microservices on Kubernetes, cutting deployment time "     \
    "from days to minutes. Designed fraud detection pipelines processing forty "         \
    "million transactions per day with Kafka and Flink. Mentored a team of six "         \
    "engineers and introduced code review standards, trunk based development and "       \
    "automated canary releases. Built internal tooling for observability using "         \
    "Prometheus, Grafana and OpenTelemetry. Strong background in PostgreSQL "            \
    "performance tuning, schema design and zero downtime migrations. Previously "        \
    "worked on mobile banking backends, REST and gRPC API design, OAuth identity "       \
    "flows and PCI compliance audits. Contributor to open source projects in the "       \
    "cloud native ecosystem. Comfortable working remotely across time zones with "       \
    "asynchronous written communication. Contact %s for references."

#define STORE_RESUME_OTHER                                                               \
    "Registered nurse who moved into clinical data analysis. Six years on hospital "     \
    "wards in Ohio, then four years building reporting dashboards for patient flow "     \
    "and staffing with SQL Server, Power BI and a little Python. Ran the quality "       \
    "improvement committee for the cardiology unit and trained colleagues on the "       \
    "electronic health record rollout. Certified in Lean Six Sigma green belt. "         \
    "Looking for a remote analytics role in healthcare operations where I can keep "     \
    "working with clinicians on measurable outcomes and readable reports."

/* A resume of about 260 words: the template, then more; %s is a name in it. Two
 * resumes that differ only in that name are near duplicates (SimHash distance 0 to 3
 * for the names the tests use; a shorter text moves more bits per changed word, see
 * docs/store.md). */
#define STORE_RESUME_LONG                                                                \
    STORE_RESUME_TEMPLATE                                                                \
    " " STORE_RESUME_OTHER " Earlier roles include site reliability work for a "         \
    "regional internet provider, on call rotations, incident reviews written without "   \
    "blame, capacity planning for storage clusters and network upgrades across three "   \
    "data centres. Enjoys teaching, writing technical documentation, speaking at "       \
    "local meetups about database internals, and contributing patches to monitoring "    \
    "agents. Holds a degree in computer science and certificates in cloud "              \
    "architecture and security engineering."

/* printf into a malloc'd string. */
static inline char *store_fmt(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* A plain candidate whose every identifier derives from `i` (distinct for distinct
 * i), shaped like the integration cases: residence, two contacts, a shipment, a
 * document, an account and three sessions. */
static inline char *store_plain_candidate(const char *prefix, unsigned i) {
    return store_fmt(
        "{\"schema\":\"idrisk.candidate/1\",\"candidate_id\":\"%s-%u\","
        "\"as_of\":\"2025-03-20T12:00:00Z\","
        "\"engagement\":{\"type\":\"employee\",\"declared_work_country\":\"US\"},"
        "\"identity\":{\"full_name\":\"Person %u Example\",\"ssn\":\"%03u-%02u-%04u\","
        "\"residence\":{\"line1\":\"%u Oak Street\",\"city\":\"Atlanta\",\"region\":"
        "\"GA\",\"postal_code\":\"30308\",\"country\":\"US\"},"
        "\"timezone\":\"America/New_York\"},"
        "\"documents\":[{\"type\":\"passport\",\"issuing_country\":\"US\","
        "\"number\":\"P%08u\"}],"
        "\"contacts\":{\"emails\":[\"person.%u.%s@example.com\"],"
        "\"phones\":[{\"number\":\"+1 404 %03u %04u\",\"country_hint\":\"US\"}]},"
        "\"network\":{\"sessions\":["
        "{\"ip\":\"10.%u.%u.%u\",\"at\":\"2025-03-01T10:00:00Z\",\"device_id\":\"dev-%s-%"
        "u\"},"
        "{\"ip\":\"10.%u.%u.%u\",\"at\":\"2025-03-02T10:00:00Z\"},"
        "{\"ip\":\"10.%u.%u.%u\",\"at\":\"2025-03-03T10:00:00Z\"}]},"
        "\"payment\":{\"method\":\"bank_account\",\"account_id\":\"ACCT-%s-%u\"},"
        "\"equipment\":{\"shipments\":[{\"address\":{\"line1\":\"%u Oak Street\","
        "\"city\":\"Atlanta\",\"region\":\"GA\",\"postal_code\":\"30308\","
        "\"country\":\"US\"}}]}}",
        prefix, i, i, 100 + i % 800, 10 + i % 89, i % 10000, i, i, i, prefix,
        200 + i % 700, i % 10000, (i >> 16) & 255, (i >> 8) & 255, i & 255, prefix, i,
        (i >> 16) & 255, (i >> 8) & 255, i & 255, (i >> 16) & 255, (i >> 8) & 255,
        i & 255, prefix, i, i);
}

#endif /* IDRISK_TESTS_STORE_FIXTURE_H */
