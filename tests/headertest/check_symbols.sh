#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The shared library exports exactly the symbols listed in docs/symbols.txt (curl and
# jansson practice): nothing internal leaks, nothing public goes missing.
set -eu
lib=$1
list=$2
got=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBR]$/ {print $3}' | sort)
want=$(grep -v '^#' "$list" | awk 'NF {print $1}' | sort)
if [ "$got" != "$want" ]; then
    echo "exported symbols differ from $list:"
    printf '%s\n' "$want" >/tmp/idr_sym_want.$$
    printf '%s\n' "$got" >/tmp/idr_sym_got.$$
    diff /tmp/idr_sym_want.$$ /tmp/idr_sym_got.$$ || true
    rm -f /tmp/idr_sym_want.$$ /tmp/idr_sym_got.$$
    echo "0 passed, 1 failed"
    exit 1
fi
echo "1 passed, 0 failed"
