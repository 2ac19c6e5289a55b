#!/bin/sh
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
# attribution, build_date, sha256, file, source}; an output whose manifest already
# names the pinned version is skipped, and the tarballs are cached in DATA_DIR/.cache/npm.
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

# have NAME VERSION FILE: true when FILE exists and its manifest names VERSION.
have() {
    [ -s "$3" ] && [ -f "$MANIFESTS/$1.json" ] &&
        grep -q "\"version\": \"$2\"" "$MANIFESTS/$1.json"
}

# tarball PKG VERSION: path of the cached npm tarball, fetched with `npm pack` once.
tarball() {
    base=$(printf '%s-%s.tgz' "$1" "$2" | sed 's|^@||; s|/|-|g')
    if [ ! -s "$CACHE/$base" ]; then
        log "npm pack $1@$2"
        (cd "$CACHE" && npm pack --silent "$1@$2" >/dev/null)
    fi
    [ -s "$CACHE/$base" ] || { log "npm pack $1@$2 produced no $base"; exit 1; }
    echo "$CACHE/$base"
}

# manifest NAME VERSION TYPE LICENSE ATTRIBUTION BUILD_DATE FILE SOURCE
manifest() {
    sum=$(sha256sum "$7" | cut -d' ' -f1)
    tmp="$MANIFESTS/.$1.json.tmp"
    {
        printf '{\n'
        printf '  "name": "%s",\n' "$1"
        printf '  "version": "%s",\n' "$2"
        printf '  "type": "%s",\n' "$3"
        printf '  "license": "%s",\n' "$4"
        printf '  "attribution": "%s",\n' "$5"
        printf '  "build_date": "%s",\n' "$6"
        printf '  "sha256": "%s",\n' "$sum"
        printf '  "file": "%s",\n' "${7#"$DATA_DIR"/}"
        printf '  "source": "%s"\n' "$8"
        printf '}\n'
    } >"$tmp"
    mv "$tmp" "$MANIFESTS/$1.json"
}

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
