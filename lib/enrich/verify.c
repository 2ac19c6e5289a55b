/* SPDX-License-Identifier: Apache-2.0 */
/*
 * verify.c - fetched data files against their manifests, at engine build, and the
 * stamps that let an engine skip the hash of a file already checked.
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
 *
 * Stamps. Hashing the ~235 MB of fetched data costs about a second per engine, paid by
 * every `idrisk score`. idr_data_verify() (`idrisk data verify`, and `idrisk data fetch`
 * at its end) hashes every file in full and, for each that matches, writes
 * manifest.d/NAME.stamp: the file's size, mtime and ctime in nanoseconds, inode and
 * device at that moment, and the sha256 it matched. In the default mode (stamp) an
 * engine stats the file and trusts it without reading it when all of that is unchanged
 * and the stamp's sha256 is the manifest's; anything else (no stamp, a stamp from an
 * older manifest, a file written, copied or replaced since: each changes the ctime or
 * the inode) falls back to the full hash. The engine never writes a stamp: the data
 * directory may be read-only and building an engine has no side effects. What a stamp
 * cannot see is damage that changes no metadata (bit rot under the file system): mode
 * full, or another `idrisk data verify`, is there for that.
 */
#define _POSIX_C_SOURCE 200809L

#include "enrich/enrich.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The manifest's sha256 (64 hex digits, lower-cased into `hex`), size (-1 when it has
 * none) and, when `file` is not NULL, its `file` (relative to the data directory,
 * copied into file[fn]; "" when absent or unusable). False when there is no manifest
 * or it names no usable sha256. */
static bool read_manifest(const idr__alloc *al,
                          const char *data_dir,
                          const char *name,
                          char hex[65],
                          long long *size,
                          char *file,
                          size_t fn) {
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
    if (ok && file) {
        /* a path inside the data directory: relative, no ".." component */
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "file");
        const char *v = cJSON_IsString(f) ? f->valuestring : "";
        bool inside = v[0] != '\0' && v[0] != '/' && strlen(v) < fn;
        for (const char *p = v; inside && (p = strstr(p, "..")) != NULL; p += 2) {
            inside = !((p == v || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'));
        }
        snprintf(file, fn, "%s", inside ? v : "");
    }
    cJSON_Delete(j);
    return ok;
}

/* ------------------------------------------------------------------------------------
 * Stamps
 * ---------------------------------------------------------------------------------- */

/* What a stamp records of a file. Times in nanoseconds since the epoch: two writes in
 * the same second still differ. */
typedef struct stamp {
    char sha256[65];
    long long size, mtime_ns, ctime_ns;
    unsigned long long inode, device;
} stamp;

static void identity_of(const struct stat *st, stamp *s) {
    s->size = (long long)st->st_size;
    s->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
    s->ctime_ns = (long long)st->st_ctim.tv_sec * 1000000000LL + st->st_ctim.tv_nsec;
    s->inode = (unsigned long long)st->st_ino;
    s->device = (unsigned long long)st->st_dev;
}

static bool same_identity(const stamp *a, const stamp *b) {
    return a->size == b->size && a->mtime_ns == b->mtime_ns &&
           a->ctime_ns == b->ctime_ns && a->inode == b->inode && a->device == b->device;
}

static const char STAMP_MAGIC[] = "idrisk-data-stamp 1";

static int stamp_path(char *out, size_t n, const char *data_dir, const char *name) {
    return snprintf(out, n, "%s/manifest.d/%s.stamp", data_dir, name) < (int)n ? 0 : -1;
}

/* Parse data_dir/manifest.d/<name>.stamp. False when it is absent or not exactly
 * what idr__stamp_write() writes (every field present and well-formed): such a stamp
 * is ignored and the file hashed. */
static bool
stamp_read(const idr__alloc *al, const char *data_dir, const char *name, stamp *s) {
    char path[4096];
    if (stamp_path(path, sizeof path, data_dir, name) != 0) {
        return false;
    }
    char *text = idr__read_file(al, path, 4096, NULL);
    if (!text) {
        return false;
    }
    enum { F_SHA = 1, F_SIZE = 2, F_MTIME = 4, F_CTIME = 8, F_INODE = 16, F_DEVICE = 32 };
    unsigned seen = 0;
    size_t ml = sizeof STAMP_MAGIC - 1;
    bool ok = strncmp(text, STAMP_MAGIC, ml) == 0 && text[ml] == '\n';
    for (char *line = text + ml + 1, *next; ok && *line; line = next) {
        next = strchr(line, '\n');
        if (!next) {
            ok = false; /* a stamp ends with a newline: a cut one is not used */
            break;
        }
        *next++ = '\0';
        char *v = strchr(line, ' ');
        if (!v) {
            ok = false;
            break;
        }
        *v++ = '\0';
        char *end = NULL;
        errno = 0;
        unsigned long long n = strtoull(v, &end, 10);
        bool num = v[0] >= '0' && v[0] <= '9' && *end == '\0' && errno == 0;
        if (strcmp(line, "file") == 0) {
            continue; /* for readers; the identity below names the file */
        } else if (strcmp(line, "sha256") == 0 && strlen(v) == 64 &&
                   strspn(v, "0123456789abcdef") == 64) {
            memcpy(s->sha256, v, 65);
            seen |= F_SHA;
        } else if (strcmp(line, "size") == 0 && num &&
                   n <= (unsigned long long)LLONG_MAX) {
            s->size = (long long)n;
            seen |= F_SIZE;
        } else if (strcmp(line, "mtime_ns") == 0 && num &&
                   n <= (unsigned long long)LLONG_MAX) {
            s->mtime_ns = (long long)n;
            seen |= F_MTIME;
        } else if (strcmp(line, "ctime_ns") == 0 && num &&
                   n <= (unsigned long long)LLONG_MAX) {
            s->ctime_ns = (long long)n;
            seen |= F_CTIME;
        } else if (strcmp(line, "inode") == 0 && num) {
            s->inode = n;
            seen |= F_INODE;
        } else if (strcmp(line, "device") == 0 && num) {
            s->device = n;
            seen |= F_DEVICE;
        } else {
            ok = false;
        }
    }
    idr__free(al, text);
    return ok && seen == (F_SHA | F_SIZE | F_MTIME | F_CTIME | F_INODE | F_DEVICE);
}

int idr__stamp_write(const char *data_dir,
                     const char *name,
                     const char *file,
                     const struct stat *st,
                     const char sha256[65]) {
    char path[4096], tmp[4096];
    if (stamp_path(path, sizeof path, data_dir, name) != 0 ||
        snprintf(tmp, sizeof tmp, "%s/manifest.d/.%s.stamp.XXXXXX", data_dir, name) >=
            (int)sizeof tmp) {
        errno = ENAMETOOLONG;
        return -1;
    }
    stamp s;
    identity_of(st, &s);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        return -1;
    }
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        unlink(tmp);
        errno = e;
        return -1;
    }
    fprintf(
        f,
        "%s\nfile %s\nsha256 %s\nsize %lld\nmtime_ns %lld\nctime_ns %lld\ninode %llu\n"
        "device %llu\n",
        STAMP_MAGIC, file, sha256, s.size, s.mtime_ns, s.ctime_ns, s.inode, s.device);
    /* on disk before the rename, so that a crash leaves the old stamp or the new one */
    int rc = fflush(f) == 0 && fsync(fileno(f)) == 0 ? 0 : -1;
    int e = errno;
    if (fclose(f) != 0 && rc == 0) {
        rc = -1;
        e = errno;
    }
    if (rc == 0 && (chmod(tmp, 0644) != 0 || rename(tmp, path) != 0)) {
        rc = -1;
        e = errno;
    }
    if (rc != 0) {
        unlink(tmp);
        errno = e;
    }
    return rc;
}

/* ------------------------------------------------------------------------------------
 * At engine build
 * ---------------------------------------------------------------------------------- */

bool idr__loader_verify(idr__loader *ld, const char *name, const char *path) {
    char want[65], got[65];
    long long want_size = -1;
    if (ld->verify == IDR__VERIFY_OFF || !ld->data_dir ||
        !read_manifest(ld->al, ld->data_dir, name, want, &want_size, NULL, 0)) {
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
    if (ld->verify == IDR__VERIFY_STAMP) {
        struct stat st;
        stamp now, s;
        if (stat(path, &st) != 0) {
            if (errno == ENOENT) {
                return true; /* absent: the module reports that itself */
            }
            /* the hash below reports why it cannot be read */
        } else if (S_ISREG(st.st_mode) && stamp_read(ld->al, ld->data_dir, name, &s) &&
                   strcmp(s.sha256, want) == 0) {
            identity_of(&st, &now);
            if (same_identity(&s, &now)) {
                ld->checked.trusted++;
                return true;
            }
        }
        /* no stamp, or a stale one: the full hash decides, silently when it matches */
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
    ld->checked.hashed++;
    ld->checked.hashed_bytes += size;
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

/* ------------------------------------------------------------------------------------
 * idr_data_verify: every manifest-named file in full, stamps for the good ones
 * ---------------------------------------------------------------------------------- */

/* A change made in the same tick of the file system's clock as the file's last one
 * leaves its ctime as it was. Hashing only once the clock has moved past the ctime by
 * more than the coarsest timestamp granularity in use (2 s: FAT; ext4 small inodes and
 * some network file systems have 1 s, others a jiffy) means every later write shows in
 * the ctime, so a stamp never covers a write it did not see. Returns false when the
 * ctime is so far in the future (a wrong clock) that waiting makes no sense: such a
 * file is checked but not stamped. */
static bool wait_past_ctime(const struct stat *st) {
    const long long margin = 2000000000LL;
    struct timespec now;
    if (clock_gettime(CLOCK_REALTIME, &now) != 0) {
        return false;
    }
    long long age =
        ((long long)now.tv_sec - (long long)st->st_ctim.tv_sec) * 1000000000LL +
        (now.tv_nsec - st->st_ctim.tv_nsec);
    if (age >= margin) {
        return true;
    }
    if (age < -margin) {
        return false;
    }
    long long wait = margin - age + 1000000LL;
    struct timespec d = {.tv_sec = (time_t)(wait / 1000000000LL),
                         .tv_nsec = (long)(wait % 1000000000LL)};
    while (nanosleep(&d, &d) != 0 && errno == EINTR) {
    }
    return true;
}

static bool unchanged(const struct stat *x, const struct stat *y, const struct stat *z) {
    stamp a, b, c;
    identity_of(x, &a);
    identity_of(y, &b);
    identity_of(z, &c);
    return same_identity(&a, &b) && same_identity(&b, &c);
}

static int is_manifest(const struct dirent *d) {
    size_t n = strlen(d->d_name);
    return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

/* Check one manifest's file; returns 1 when it is bad (damaged, missing, unreadable,
 * changed), 0 otherwise; *stamp_errno gets the errno of a stamp that could not be
 * written (left alone otherwise). */
static int verify_one(const char *data_dir,
                      const char *name,
                      idr_data_verify_fn report,
                      void *ctx,
                      int *stamp_errno) {
    char want[65], got[65], file[1024], path[4096], detail[512], sp[4096];
    long long want_size = -1;
    detail[0] = '\0';
    if (!read_manifest(NULL, data_dir, name, want, &want_size, file, sizeof file) ||
        !file[0]) {
        if (report) {
            report(ctx, name, "", "unverified",
                   "its manifest names no usable sha256 or file: the engine uses it "
                   "unverified");
        }
        return 0;
    }
    snprintf(path, sizeof path, "%s/%s", data_dir, file);
    const char *status = "ok";
    struct stat first, before, after;
    bool stampable = false;
    if (stat(path, &first) != 0) {
        status = errno == ENOENT ? "missing" : "unreadable";
        snprintf(detail, sizeof detail, "%s", strerror(errno));
    } else if (!S_ISREG(first.st_mode)) {
        status = "unreadable";
        snprintf(detail, sizeof detail, "not a regular file");
    } else {
        stampable = wait_past_ctime(&first);
        uint64_t size = 0;
        if (stat(path, &before) != 0 || idr__sha256_file(path, got, &size) != 0) {
            status = errno == ENOENT ? "missing" : "unreadable";
            snprintf(detail, sizeof detail, "%s", strerror(errno));
        } else if (strcmp(got, want) != 0) {
            status = "damaged";
            snprintf(detail, sizeof detail, "sha256 expected %s, found %s", want, got);
        } else if (stat(path, &after) != 0 || !unchanged(&first, &before, &after)) {
            /* written during the wait (whose guarantee then does not hold) or during
             * the hash */
            status = "changed";
            snprintf(detail, sizeof detail, "it changed while it was read; run again");
        } else if (!stampable) {
            snprintf(detail, sizeof detail,
                     "not stamped: its change time is in the future (check the clock)");
        } else if (idr__stamp_write(data_dir, name, file, &before, want) != 0) {
            *stamp_errno = errno;
            snprintf(detail, sizeof detail, "its stamp cannot be written (%s)",
                     strerror(errno));
        }
    }
    bool bad = strcmp(status, "ok") != 0;
    if (bad && stamp_path(sp, sizeof sp, data_dir, name) == 0) {
        /* a stamp left behind would let engines trust a file known to be bad if its
         * damage changed no metadata */
        (void)unlink(sp);
    }
    if (report) {
        report(ctx, name, path, status, detail);
    }
    return bad;
}

int idr_data_verify(const char *data_dir,
                    idr_data_verify_fn report,
                    void *ctx,
                    idr_error *err) {
    if (!data_dir || !*data_dir) {
        return idr__err(err, IDR_EINVAL, "data_dir", "no data directory given");
    }
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s/manifest.d", data_dir) >= (int)sizeof dir) {
        return idr__err(err, IDR_EINVAL, "data_dir",
                        "the data directory path is too long");
    }
    struct dirent **list = NULL;
    int n = scandir(dir, &list, is_manifest, alphasort);
    if (n < 0) {
        return idr__err(err, errno == ENOMEM ? IDR_ENOMEM : IDR_EIO, "data_dir",
                        "cannot read %s: %s", dir, strerror(errno));
    }
    int bad = 0, stamp_errno = 0;
    for (int i = 0; i < n; i++) {
        char name[256];
        size_t len = strlen(list[i]->d_name) - 5;
        if (len < sizeof name) {
            snprintf(name, sizeof name, "%.*s", (int)len, list[i]->d_name);
            bad += verify_one(data_dir, name, report, ctx, &stamp_errno);
        }
        free(list[i]); /* scandir's, the C library's */
    }
    free(list);
    if (bad) {
        return idr__err(err, IDR_EDATA, "data_dir",
                        "%d data file%s in %s do%s not match %s manifest%s", bad,
                        bad == 1 ? "" : "s", data_dir, bad == 1 ? "es" : "",
                        bad == 1 ? "its" : "their", bad == 1 ? "" : "s");
    }
    if (stamp_errno) {
        return idr__err(
            err, IDR_EIO, "data_dir",
            "the files match, but stamps cannot be written in %s (%s): engines "
            "will hash them in full",
            dir, strerror(stamp_errno));
    }
    return IDR_OK;
}
