/* SPDX-License-Identifier: Apache-2.0 */
/*
 * enrich/phone/phone.h - the phone module: libphonenumber's metadata through the C++
 * shim (phone_shim.h), per-number enrichment of the candidate's and references'
 * phones.
 */
#ifndef IDRISK_PHONE_H
#define IDRISK_PHONE_H

#include "enrich/enrich.h"

/* Open the shim. IDR_OK with *out NULL and a reason in *why when libphonenumber is
 * unusable; errors only for ENOMEM. */
int idr__phone_open(idr__loader *ld, idr__phonedb **out, const char **why);
void idr__phone_close(idr__phonedb *p);
/* Fill en->phones[] and en->ref_phones[]. */
int idr__phone_enrich(idr__enrichment *en);

#endif /* IDRISK_PHONE_H */
