/*
 * verify.c - fetched data files against their manifests, at engine build.
 *
 * `idrisk data fetch` (tools/fetch-lib.sh) writes data_dir/manifest.d/NAME.json with
 * the sha256 (and, since this check, the size) of the file it installed. A file that
 * no longer matches (a flipped bit, a truncated copy, a hand edit) gives confident
 * wrong answers rather than errors, so it is not used: its module degrades as if the
 * file were absent and the engine warning says which file, what was expected and what
 * was found. A file without a manifest (MaxMind's test databases, a caller's own
 * .mmdb) is used unverified, as before. docs/data-integrity.md.
 *
 * Hashing reads the file once, in 64 KiB pieces (idr__sha256_file); the module then
 * opens it as before (a .mmdb is mapped by libmaxminddb). A file replaced between the
 * two is not caught: the check is against corruption at rest, not an attacker with
 * write access to the data directory.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/enrich.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The manifest's sha256 (64 hex digits, lower-cased into `hex`) and size (-1 when it
 * has none). False when there is no manifest or it names no usable sha256. */
static bool read_manifest(const idr__alloc *al,
                          const char *data_dir,
                          const char *name,
                          char hex[65],
                          long long *size) {
    char path[4096];
    if (snprintf(path, sizeof path, "%s/manifest.d/%s.json", data_dir, name) >=
        (int)sizeof path) {
        return false;
    }
    size_t len = 0;
    char *text = idr__read_file(al, path, 1u << 20, &len);
    if (!text) {
        return false;
    }
    cJSON *j = cJSON_ParseWithLength(text, len);
    idr__free(al, text);
    const cJSON *sum = cJSON_GetObjectItemCaseSensitive(j, "sha256");
    const cJSON *sz = cJSON_GetObjectItemCaseSensitive(j, "size");
    bool ok = cJSON_IsString(sum) && strlen(sum->valuestring) == 64 &&
              strspn(sum->valuestring, "0123456789abcdefABCDEF") == 64;
    if (ok) {
        for (int i = 0; i < 64; i++) {
            char c = sum->valuestring[i];
            hex[i] = (char)(c >= 'A' && c <= 'F' ? c - 'A' + 'a' : c);
        }
        hex[64] = '\0';
        *size =
            cJSON_IsNumber(sz) && sz->valuedouble >= 0 ? (long long)sz->valuedouble : -1;
    }
    cJSON_Delete(j);
    return ok;
}

bool idr__loader_verify(idr__loader *ld, const char *name, const char *path) {
    char want[65], got[65];
    long long want_size = -1;
    if (ld->verify == IDR__VERIFY_OFF || !ld->data_dir ||
        !read_manifest(ld->al, ld->data_dir, name, want, &want_size)) {
        return true; /* unverified: no manifest names it, or the caller opted out */
    }
    if (ld->verify == IDR__VERIFY_SIZE && want_size >= 0) {
        struct stat st;
        if (stat(path, &st) != 0) {
            return true; /* absent: the module reports that itself */
        }
        if ((long long)st.st_size == want_size) {
            return true;
        }
        (void)idr__loader_warn(ld,
                               "data file %s does not match its manifest (size expected "
                               "%lld bytes, found %lld): not used; run `idrisk data "
                               "fetch` again",
                               path, want_size, (long long)st.st_size);
        return false;
    }
    uint64_t size = 0;
    if (idr__sha256_file(path, got, &size) != 0) {
        if (errno == ENOENT) {
            return true; /* absent: the module reports that itself */
        }
        (void)idr__loader_warn(ld,
                               "data file %s cannot be read to check it against its "
                               "manifest (%s): not used",
                               path, strerror(errno));
        return false;
    }
    if (strcmp(want, got) == 0) {
        return true;
    }
    (void)idr__loader_warn(ld,
                           "data file %s does not match its manifest (sha256 expected "
                           "%s, found %s): not used; run `idrisk data fetch` "
                           "again",
                           path, want, got);
    return false;
}
