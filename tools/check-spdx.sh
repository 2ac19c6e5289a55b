#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-spdx.sh - every source file git tracks under the code directories must name its
# licence in its first comment line (the line after a shebang, if there is one):
#   /* SPDX-License-Identifier: Apache-2.0 */   (C, C++, headers)
#   # SPDX-License-Identifier: Apache-2.0       (Python, shell, Perl, CMake)
# Data files, JSON, corpora and markdown are left out. Exit 1 naming each file that
# lacks the line; `--fix` inserts it instead (for new files).
set -eu
cd "$(dirname "$0")/.."
ID="SPDX-License-Identifier: Apache-2.0"
fix=0
[ "${1:-}" = "--fix" ] && fix=1

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "check-spdx: not a git checkout, nothing to check" >&2
    exit 77
fi
files=$(git ls-files -- lib include tools tests bench bindings examples cmake |
    grep -E '(\.(c|h|cc|py|sh|pl|cmake)|\.h\.in|\.cmake\.in|(^|/)CMakeLists\.txt)$' |
    grep -v -e '/corpus/' -e '/fixtures/' || true)
missing=0
for f in $files; do
    [ -f "$f" ] || continue # deleted in the work tree, not yet in the index
    first=$(sed -n 1p "$f")
    case $first in
    '#!'*) line=$(sed -n 2p "$f"); at=2 ;;
    *) line=$first; at=1 ;;
    esac
    case $line in *"$ID"*) continue ;; esac
    if [ "$fix" -eq 1 ]; then
        case $f in
        *.c | *.h | *.cc | *.h.in) hdr="/* $ID */" ;;
        *) hdr="# $ID" ;;
        esac
        if [ "$at" -eq 2 ]; then
            sed -i "1a\\$hdr" "$f"
        else
            sed -i "1i\\$hdr" "$f"
        fi
        echo "check-spdx: added the header to $f"
    else
        echo "check-spdx: $f: no '$ID' in its first comment line" >&2
        missing=$((missing + 1))
    fi
done
if [ "$missing" -ne 0 ]; then
    echo "check-spdx: $missing file(s) without the licence header (sh tools/check-spdx.sh --fix)" >&2
    exit 1
fi
