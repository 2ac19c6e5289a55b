/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_mmdb_load.c - arbitrary bytes as a .mmdb file through idrisk's database loader
 * (idr__geo_check_file: MMDB_open, identification, the search-tree walk, the record
 * reads enrichment does, and lookups at fixed addresses). A corrupt file must give a
 * reason, never a crash. Corpus: tests/fuzz/corpus/mmdb_load/ (MaxMind's test
 * databases including the broken ones, and the project's flat fixtures).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "enrich/geo/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[] = "/tmp/idrisk-fuzz-mmdb-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return 0;
    }
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            break;
        }
        off += (size_t)w;
    }
    close(fd);
    char why[256];
    const char *kind = idr__geo_check_file(path, why, sizeof why);
    if (!kind && why[0] == '\0') {
        abort(); /* a rejected file must come with a reason */
    }
    unlink(path);
    return 0;
}
