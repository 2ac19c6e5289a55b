/* SPDX-License-Identifier: Apache-2.0 */
/*
 * internal.h - every internal layer at once, for tests, fuzzers and benchmarks only.
 *
 * The library's own files never include this: each includes the header of its own
 * layer, which includes only the layers below it (tools/check-layers.sh, run in CI):
 *
 *   util  <  model  <  parse, pack  <  enrich  <  rules  <  core
 *
 * docs/architecture.md describes the layers and what each may include.
 */
#ifndef IDRISK_INTERNAL_H
#define IDRISK_INTERNAL_H

#include "core/engine.h"
#include "core/result.h"
#include "enrich/geo/geo.h"
#include "enrich/lists/lists.h"
#include "enrich/names/names.h"
#include "enrich/phone/phone.h"

#endif /* IDRISK_INTERNAL_H */
