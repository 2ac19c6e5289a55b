#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-examples.sh - README command 1: install, build, fetch the open data (first run
# only) and print the first screen of the report of every example candidate.
set -eu
cd "$(dirname "$0")/.."
sh tools/setup-debian.sh
BUILD=${IDRISK_BUILD_DIR:-build}
DATA=${IDRISK_DATA_DIR:-$PWD/.idrisk-data}
cmake -S . -B "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
# Install the library, the CLI, the man pages and the Python package into /usr/local,
# so that `idrisk`, `man idrisk`, `pkg-config idrisk` (and programs linked with it) and
# `/usr/bin/python3 -c "import idrisk"` work after set-up. cmake --install runs ldconfig
# itself (cmake/ldconfig.cmake); running it here too covers an install that skipped it.
cmake --install "$BUILD" >/dev/null
if [ "$(id -u)" -eq 0 ]; then ldconfig; fi
# The Python package, built by pip against the installed library so that it has metadata
# (`pip show idrisk`, `pip uninstall idrisk`). A copy that an earlier set-up put there
# without metadata is removed first: pip would not own its files, and its extension
# (_native.cpython-*.so) would shadow the new one (_native.abi3.so).
site=$(/usr/bin/python3 -c 'import sysconfig; print(sysconfig.get_path("purelib"))')
if [ -d "$site/idrisk" ] && ! ls -d "$site"/idrisk-*.dist-info >/dev/null 2>&1; then
    rm -rf "$site/idrisk"
fi
/usr/bin/python3 -m pip install --no-build-isolation --no-deps --break-system-packages \
    --root-user-action=ignore --quiet ./bindings/python
if [ ! -f "$DATA/manifest.d/.complete" ]; then
    "$BUILD/idrisk" data fetch --data-dir "$DATA"
    touch "$DATA/manifest.d/.complete"
fi
# Each example's first screen (what to do with the candidate, the reasons, what to ask
# or verify); the details follow it in `idrisk score FILE`, and `--html` makes a page.
status=0
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for f in examples/candidates/*.json; do
    echo "=================================================================="
    echo "== $f"
    echo "=================================================================="
    if "$BUILD/idrisk" score --data-dir "$DATA" "$f" >"$out"; then
        sed '/^-- Triage for a human reviewer/q' "$out"
        echo "   (details: idrisk score $f; one printable page: idrisk score --html FILE.html $f)"
    else
        status=1
    fi
    echo
done
exit $status
