#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The library reads no environment variables (issue 8): the CLI and the bindings read
# IDRISK_DATA_DIR / IDRISK_LISTS_DIR and pass config options. Fails when a source file
# under lib/ mentions getenv (or secure_getenv), or when libidrisk.so imports either.
#   check_noenv.sh SOURCE_DIR LIBIDRISK_SO
set -eu
src=$1
lib=$2
fail=0
if grep -rn 'getenv' "$src/lib"; then
    echo "lib/ calls getenv: read the environment in the CLI or a binding instead"
    fail=1
fi
if nm -D --undefined-only "$lib" | awk '{print $NF}' | grep -E '^(secure_)?getenv(@|$)'; then
    echo "$lib imports getenv"
    fail=1
fi
if [ "$fail" -ne 0 ]; then
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
