#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# setup-debian.sh - install what idrisk needs to build, run and test on Debian 12.
# Idempotent; run as root (or with sudo). Packages only from Debian's archive; data
# packages come later from the npm registry (tools/fetch-data.sh).
set -eu
PKGS="build-essential cmake pkg-config git ca-certificates curl clang clang-format clang-tidy cppcheck
libclang-rt-14-dev libcjson-dev libsimdjson-dev libmaxminddb-dev libphonenumber-dev libicu-dev
libpcre2-dev libsodium-dev libsqlite3-dev sqlite3 libpq-dev postgresql libcriterion-dev libprotobuf-dev libboost-dev
libmaxmind-db-writer-perl python3 python3-cffi python3-pytest python3-setuptools python3-pip
python3-dev python3-distributed python3-jsonschema python3-mypy chromium python3-pil fonts-dejavu-core
nodejs npm go-md2man groff-base man-db"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
# npm from Debian conflicts with a Node.js that already ships its own npm: skip both
# when a working npm is on PATH.
if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' | grep -vx -e nodejs -e npm | tr '\n' ' ')
fi
if [ -n "$(echo "$missing" | tr -d ' ')" ]; then
    echo "setup: installing$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
