/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrich/lists/jurisdictions.h - the comprehensively sanctioned jurisdictions and the
 * networks held there, the DPRK's own among them (data/sanctioned_jurisdictions.tsv,
 * data/sanctioned_networks.tsv), and where a record's sessions, payout account, payee
 * company and shipments fall in them.
 *
 * A module of its own (modules->jur), independent of the IP databases: the payment and
 * address fields need no database, and the DPRK ranges are compared with the session
 * address itself. The location and ASN answers come from the IP module's facts
 * (en->ips), so idr__jurisdiction_enrich runs after idr__geo_enrich.
 */
#ifndef IDRISK_JURISDICTIONS_H
#define IDRISK_JURISDICTIONS_H

#include "enrich/enrich.h"

/* Load both files from ld->lists_dir. IDR_OK with *out NULL and the reason in *why
 * when neither file has a usable entry; a bad or duplicate line is an engine warning
 * naming the file and the line. Errors only for ENOMEM. */
int idr__jurisdictions_open(idr__loader *ld, idr__jurisdictions **out, const char **why);
void idr__jurisdictions_close(idr__jurisdictions *j);
/* Fill en->jur (needs en->ips). IDR_OK or IDR_ENOMEM. */
int idr__jurisdiction_enrich(idr__enrichment *en);

#endif /* IDRISK_JURISDICTIONS_H */
