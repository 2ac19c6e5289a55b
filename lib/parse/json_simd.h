/* SPDX-License-Identifier: Apache-2.0 */
/*
 * parse/json_simd.h - simdjson's DOM parser behind a C boundary, answering a cJSON tree.
 *
 * The candidate parser reads a cJSON tree. simdjson builds its DOM about five times
 * faster than cJSON_Parse (bench/bench_json.cc); this shim converts that DOM into cJSON
 * nodes allocated in an arena, so the rest of the parser (key scan, fields, extraction)
 * is unchanged. The tree must equal the one cJSON 1.7 would build node for node (type,
 * key, string bytes, valuedouble bits, valueint, order, prev/next links): whenever the
 * shim cannot promise that, it answers NULL and the caller parses with cJSON, whose
 * verdict and error messages are the reference (docs/input-limits.md, "Which parser").
 */
#ifndef IDRISK_PARSE_JSON_SIMD_H
#define IDRISK_PARSE_JSON_SIMD_H

#include <stddef.h>

#include <cjson/cJSON.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "util/util.h"

/** Parse `len` bytes of `json` with simdjson into cJSON nodes allocated in `a` (never
 *  freed one by one: free the arena). NULL, with nothing to undo but the arena, when
 *  the caller must use cJSON instead: any simdjson error (malformed text, invalid UTF-8,
 *  numbers out of range, depth), a string or key holding a NUL byte, nesting deeper
 *  than IDR__SIMD_MAX_DEPTH, an exhausted arena or a failed allocation inside simdjson
 *  (which allocates with operator new, outside the library's allocator). The caller
 *  also screens the raw text for inputs the DOM cannot tell apart (see
 *  idr__json_simd_text_ok()). Always NULL in a build without simdjson. */
cJSON *idr__json_simd_parse(idr__arena *a, const char *json, size_t len);

/** Nesting (objects and arrays) above which the shim gives up; far above every
 *  max_depth the limits allow and below cJSON's own CJSON_NESTING_LIMIT (1000), so a
 *  record cJSON refuses for depth is never accepted here. */
#define IDR__SIMD_MAX_DEPTH 256

/** The text-level screen: false when `json` holds something the DOM loses and cJSON
 *  keeps: a negative zero integer ("-0", cJSON's valuedouble is -0.0, simdjson's DOM
 *  holds int64 0) or a run of 60+ number characters (cJSON reads at most 63 characters
 *  of a number literal). Conservative: a match inside a string only costs the faster
 *  path. */
int idr__json_simd_text_ok(const char *json, size_t len);

/** 1 when this build contains the simdjson path. */
int idr__json_simd_available(void);

#ifdef __cplusplus
}
#endif

#endif /* IDRISK_PARSE_JSON_SIMD_H */
