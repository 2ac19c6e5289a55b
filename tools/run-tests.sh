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

# Configuring writes build-ci/compile_commands.json, which clang-tidy reads.
cmake -S . -B build-ci -DIDR_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
echo "== static analysis (clang-tidy, cppcheck: tools/static-analysis.sh)"
sh tools/static-analysis.sh build-ci

echo "== build (-Wall -Wextra -Werror; the library also -Wconversion -Wswitch-enum)"
cmake --build build-ci -j"$J" >/dev/null
# Install the library, the CLI and the Python package into /usr/local, so that
# `idrisk`, `pkg-config idrisk` and `/usr/bin/python3 -c "import idrisk"` work after set-up.
cmake --install build-ci >/dev/null
/usr/bin/python3 bindings/python/idrisk/_build.py --install >/dev/null
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
