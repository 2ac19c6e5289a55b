#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check-man.sh MAN_DIR IDRISK - the generated man pages idrisk.1 and idrisk.3:
#  1. groff renders each with every warning enabled (-ww) and none is printed;
#  2. every command and every long option that `idrisk --help` lists appears in
#     idrisk(1): the help is a subset of the man page, so a new command or option
#     without documentation fails here (the page may document more than --help shows).
set -u
man_dir=$1
idrisk=$2
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for page in idrisk.1 idrisk.3; do
    f="$man_dir/$page"
    if [ ! -s "$f" ]; then
        echo "check-man: $f missing or empty" >&2
        fail=1
        continue
    fi
    if ! groff -man -Tutf8 -ww -z "$f" 2>"$tmp/warn" || [ -s "$tmp/warn" ]; then
        echo "check-man: groff warnings in $page:" >&2
        cat "$tmp/warn" >&2
        fail=1
    fi
done

# The page as plain text on one line: no hyphenation, no wrapping, single spaces.
groff -man -Tascii -rHY=0 -rLL=1000n -P-cbou "$man_dir/idrisk.1" 2>/dev/null |
    tr -s ' \n\t' '   ' >"$tmp/page.txt"
if [ ! -s "$tmp/page.txt" ]; then
    echo "check-man: idrisk.1 renders to nothing" >&2
    exit 1
fi

if ! "$idrisk" --help >"$tmp/help.txt" 2>&1; then
    echo "check-man: $idrisk --help failed" >&2
    exit 1
fi
# Commands: help lines indented by exactly two spaces that start with a lowercase word,
# with the second word too when it is a lowercase subcommand (store forget, lookup ip,
# data fetch); what follows is an argument (not a lowercase word: FILE, [--json],
# --in, (also) or the description column after two or more spaces, so prose such as
# "  options may come ..." is no command. Options: every --long-option in the help.
sed -E -n 's/^  ([a-z][a-z-]*)( [a-z][a-z-]*)?( +[^a-z ].*| {2,}.*)?$/\1\2/p' \
    "$tmp/help.txt" | sort -u >"$tmp/commands"
if [ ! -s "$tmp/commands" ]; then
    echo "check-man: no command found in idrisk --help; this test needs updating" >&2
    fail=1
fi
while IFS= read -r cmd; do
    case $cmd in
    *" "*) want=" $cmd " ;;       # "store forget" as two words of the page
    *) want=" $cmd" ;;             # a command word
    esac
    if ! grep -qF -- "$want" "$tmp/page.txt"; then
        echo "check-man: command '$cmd' (idrisk --help) is not in idrisk(1)" >&2
        fail=1
    fi
done <"$tmp/commands"
grep -o -- '--[a-z][a-z0-9-]*' "$tmp/help.txt" | sort -u >"$tmp/options"
while IFS= read -r opt; do
    if ! grep -qF -- "$opt" "$tmp/page.txt"; then
        echo "check-man: option '$opt' (idrisk --help) is not in idrisk(1)" >&2
        fail=1
    fi
done <"$tmp/options"
n_cmd=$(wc -l <"$tmp/commands")
n_opt=$(wc -l <"$tmp/options")
[ "$fail" -eq 0 ] && echo "check-man: both pages clean; $n_cmd commands and $n_opt options of --help documented"
exit "$fail"
