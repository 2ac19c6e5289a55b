#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# run-tests.sh - README command 2: install, build with -Werror, run every test (unit,
# golden, fuzz-corpus replay, Python), then again under ASan+UBSan, the shared-engine
# stress test under TSan, and check formatting. Exit status 0 only if all passed.
set -eu
cd "$(dirname "$0")/.."
sh tools/setup-debian.sh
DATA=${IDRISK_DATA_DIR:-$PWD/.idrisk-data}
export IDRISK_TEST_DATA_DIR="$DATA"
J=$(nproc)

echo "== format check (clang-format)"
format_ok=1
files=$(git ls-files '*.c' '*.h' '*.cc' 2>/dev/null || find lib include tools tests examples bench -name '*.[ch]' -o -name '*.cc')
# shellcheck disable=SC2086
clang-format --dry-run -Werror $files || format_ok=0

echo "== layering check (tools/check-layers.py)"
/usr/bin/python3 tools/check-layers.py

echo "== licence headers (tools/check-spdx.sh)"
sh tools/check-spdx.sh || [ $? -eq 77 ]

# Configuring writes build-ci/compile_commands.json, which clang-tidy reads.
cmake -S . -B build-ci -DIDR_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== static analysis (clang-tidy, cppcheck: tools/static-analysis.sh)"
sh tools/static-analysis.sh build-ci

echo "== build (-Wall -Wextra -Werror; the library also -Wconversion -Wswitch-enum)"
cmake --build build-ci -j"$J" >/dev/null
# Install the library, the CLI, the man pages and the Python package into /usr/local,
# so that `idrisk`, `man idrisk`, `pkg-config idrisk` (and programs linked with it) and
# `/usr/bin/python3 -c "import idrisk"` work after set-up. cmake --install runs ldconfig
# itself (cmake/ldconfig.cmake); running it here too covers an install that skipped it.
cmake --install build-ci >/dev/null
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

echo "== the install as its users see it"
# The issue's "done when": a C program built with pkg-config starts with nothing set
# (the loader finds libidrisk.so.0), and so does one built with find_package(idrisk).
sh tests/install/consumers.sh --installed "$PWD"
# pip knows the Python package, at the C library's version, and it imports from outside
# the source tree.
lib_version=$(pkg-config --modversion idrisk)
py_version=$(/usr/bin/python3 -m pip show idrisk 2>/dev/null | sed -n 's/^Version: //p')
if [ "$py_version" != "$lib_version" ]; then
    echo "== FAILED: pip show idrisk gives version '$py_version', the library is $lib_version"
    exit 1
fi
(cd / && /usr/bin/python3 -c 'import idrisk; print("python: idrisk", idrisk.__version__)')
if command -v man >/dev/null 2>&1 && [ -f build-ci/man/idrisk.1 ]; then
    if ! man -w 1 idrisk >/dev/null || ! man -w 3 idrisk >/dev/null; then
        echo "== FAILED: man cannot find idrisk(1) or idrisk(3) after install"
        exit 1
    fi
fi
if [ ! -f "$DATA/manifest.d/.complete" ]; then
    build-ci/idrisk data fetch --data-dir "$DATA"
    touch "$DATA/manifest.d/.complete"
fi

echo "== tests"
ctest --test-dir build-ci --output-on-failure -j"$J"

echo "== tests under AddressSanitizer + UndefinedBehaviorSanitizer"
cmake -S . -B build-asan -DIDR_WERROR=ON -DIDR_SANITIZE=address,undefined \
    -DCMAKE_BUILD_TYPE=Debug -DIDR_BUILD_BENCH=OFF >/dev/null
cmake --build build-asan -j"$J" >/dev/null
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan --output-on-failure -j"$J" -LE nosan
echo "== shared-engine and store thread tests under ThreadSanitizer"
cmake -S . -B build-tsan -DIDR_WERROR=ON -DIDR_SANITIZE=thread \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIDR_BUILD_BENCH=OFF >/dev/null
cmake --build build-tsan -j"$J" --target threads_stress store_threads >/dev/null
TSAN_OPTIONS=halt_on_error=1 ctest --test-dir build-tsan --output-on-failure \
    -R 'threads_stress|store_threads'

if [ "$format_ok" -ne 1 ]; then
    echo "== FAILED: clang-format check (run clang-format -i on the files above)"
    exit 1
fi
echo "== all tests passed"
