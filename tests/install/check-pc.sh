#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-pc.sh IDRISK_PC LIBIDRISK_SO - the generated idrisk.pc tells the truth:
#  - no Requires or Requires.private (the public header needs no other package, and
#    pkg-config would demand each listed package's .pc just to print --cflags);
#  - Libs is -L... -lidrisk only: a program linking the shared library needs nothing else;
#  - Libs.private lists exactly the libraries libidrisk.so records as DT_NEEDED, apart
#    from the C runtime (libc, libgcc_s, the loader).
set -u
pc=$1
so=$2
fail=0
field() { sed -n "s/^$1:[[:space:]]*//p" "$pc"; }

if grep -q '^Requires' "$pc"; then
    echo "check-pc: $pc has a Requires line: $(grep '^Requires' "$pc")" >&2
    fail=1
fi
libs=$(field Libs | tr ' ' '\n' | grep -v '^-L' | grep -v '^$' | tr '\n' ' ')
if [ "$libs" != "-lidrisk " ]; then
    echo "check-pc: Libs should be -L\${libdir} -lidrisk, is: $(field Libs)" >&2
    fail=1
fi
field Libs.private | tr ' ' '\n' | sed -n 's/^-l//p' | sort -u >"${TMPDIR:-/tmp}/pc.$$"
readelf -d "$so" | sed -n 's/.*(NEEDED).*\[lib\(.*\)\.so.*\]/\1/p' |
    grep -v -x -e c -e gcc_s -e 'ld-linux.*' | sort -u >"${TMPDIR:-/tmp}/needed.$$"
if ! cmp -s "${TMPDIR:-/tmp}/pc.$$" "${TMPDIR:-/tmp}/needed.$$"; then
    echo "check-pc: Libs.private differs from readelf -d $so (< .pc, > NEEDED):" >&2
    diff "${TMPDIR:-/tmp}/pc.$$" "${TMPDIR:-/tmp}/needed.$$" >&2
    fail=1
fi
rm -f "${TMPDIR:-/tmp}/pc.$$" "${TMPDIR:-/tmp}/needed.$$"
[ "$fail" -eq 0 ] && echo "check-pc: $pc matches $so"
exit "$fail"
