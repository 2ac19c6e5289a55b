#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-examples.sh - README command 1: install, build, fetch the open data (first run
# only) and print the report of every example candidate.
set -eu
cd "$(dirname "$0")/.."
sh tools/setup-debian.sh
BUILD=${IDRISK_BUILD_DIR:-build}
DATA=${IDRISK_DATA_DIR:-$PWD/.idrisk-data}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
# Install the library, the CLI and the Python package into /usr/local, so that
# `idrisk`, `pkg-config idrisk` and `/usr/bin/python3 -c "import idrisk"` work after set-up.
cmake --install "$BUILD" >/dev/null
/usr/bin/python3 bindings/python/idrisk/_build.py --install >/dev/null
if [ ! -f "$DATA/manifest.d/.complete" ]; then
    "$BUILD/idrisk" data fetch --data-dir "$DATA"
    touch "$DATA/manifest.d/.complete"
fi
status=0
for f in examples/candidates/*.json; do
    echo "=================================================================="
    echo "== $f"
    echo "=================================================================="
    "$BUILD/idrisk" score --data-dir "$DATA" "$f" || status=1
    echo
done
exit $status
