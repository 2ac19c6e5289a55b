/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrich/geo/geo.h - the IP module: opening the .mmdb databases, the gazetteers and the
 * network lists; per-session enrichment; the claimed residence's coordinates;
 * capability bits for the network indicators, the curated VPN-operator name list, and
 * a self-contained database check used by the tests and the loader fuzzer. Does not
 * expose maxminddb.h (lib/enrich/geo/mmdb.c is the only file that includes it).
 */
#ifndef IDRISK_GEO_H
#define IDRISK_GEO_H

#include "enrich/enrich.h"

/* Open every database in ld->data_dir and the network lists. IDR_OK with *out NULL
 * and a reason in *why when there is nothing to load; errors only for ENOMEM. */
int idr__geo_open(idr__loader *ld, idr__geo **out, const char **why);
void idr__geo_close(idr__geo *g);
/* Fill en->ips[] (one per session) from every loaded database and the configured
 * allow/relay ranges, and the distance of each to en->residence; then the network facts
 * (en->net[], allocated in en->arena when NULL: operator matches and local time in the
 * claimed zone; en->claimed_zone, en->geo_caps, en->geo_loaded, en->geo_unavailable).
 * Runs with or without an open module (en->m->geo NULL). IDR_OK or IDR_ENOMEM. */
int idr__geo_enrich(idr__enrichment *en);
/* Coordinates of the claimed residence: the caller's, else the gazetteers'. */
int idr__residence_resolve(idr__enrichment *en);

/** Capability bits of `g` (IDR__GEO_CAP_* in enrich/enrich.h; 0 for NULL). */
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
