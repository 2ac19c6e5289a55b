#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# consumers.sh - build and run examples/minimal.c the two ways a C user would, against
# an installed idrisk:
#   1. gcc examples/minimal.c $(pkg-config --cflags --libs idrisk) -o a.out && ./a.out
#   2. a CMake project with find_package(idrisk) and idrisk::idrisk (tests/install/consumer)
# Usage:
#   consumers.sh --installed SOURCE_DIR          the system install (tools/run-tests.sh):
#                                                nothing set, so the dynamic loader must
#                                                find libidrisk.so.0 by itself (ldconfig)
#   consumers.sh --stage BUILD_DIR SOURCE_DIR    install BUILD_DIR into a temporary
#                                                prefix first (the ctest install_consumers)
set -eu
mode=$1
case $mode in
--installed) src=$2 ;;
--stage) build=$2 src=$3 ;;
*) echo "usage: consumers.sh --installed SRC | --stage BUILD SRC" >&2; exit 2 ;;
esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$mode" = --stage ]; then
    prefix=$tmp/prefix
    cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
        { cat "$tmp/install.log" >&2; exit 1; }
    libdir=$(dirname "$(find "$prefix" -name 'libidrisk.so.0' | head -n 1)")
    PKG_CONFIG_PATH=$libdir/pkgconfig
    export PKG_CONFIG_PATH
    CMAKE_PREFIX_PATH=$prefix
    export CMAKE_PREFIX_PATH
    # The layout beside the library: licence files, and the man pages when built.
    for f in share/doc/idrisk/LICENSE share/doc/idrisk/NOTICE include/idrisk/idrisk.h; do
        [ -f "$prefix/$f" ] || { echo "consumers: $f not installed" >&2; exit 1; }
    done
    if [ -f "$build/man/idrisk.1" ]; then
        for f in share/man/man1/idrisk.1 share/man/man3/idrisk.3; do
            [ -f "$prefix/$f" ] || { echo "consumers: $f not installed" >&2; exit 1; }
        done
    fi
    # A private prefix is not a loader directory: say where the library is.
    run() { LD_LIBRARY_PATH=$libdir "$@"; }
else
    run() { "$@"; }
fi

echo "== pkg-config: gcc examples/minimal.c \$(pkg-config --cflags --libs idrisk)"
# shellcheck disable=SC2046
gcc "$src/examples/minimal.c" $(pkg-config --cflags --libs idrisk) -o "$tmp/minimal"
run "$tmp/minimal" >"$tmp/out1"
grep -q '^c-1: score [0-9]*, band ' "$tmp/out1" || { cat "$tmp/out1" >&2; exit 1; }
head -n 1 "$tmp/out1"

echo "== CMake: find_package(idrisk), idrisk::idrisk"
cmake -S "$src/tests/install/consumer" -B "$tmp/cons" >"$tmp/cons.log" 2>&1 ||
    { cat "$tmp/cons.log" >&2; exit 1; }
cmake --build "$tmp/cons" >>"$tmp/cons.log" 2>&1 || { cat "$tmp/cons.log" >&2; exit 1; }
run "$tmp/cons/consumer" >"$tmp/out2"
cmp -s "$tmp/out1" "$tmp/out2" || { echo "consumers: the two builds disagree" >&2; exit 1; }
head -n 1 "$tmp/out2"
