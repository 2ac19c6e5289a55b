#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# CLI contract: exit status 0 when scored, 2 for bad input with the field path on
# stderr, 1 for other failures; --json prints one object; nothing partial on failure.
set -u
IDRISK=$1
ROOT=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
check() { # name expected-status actual-status
    if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL $1: exit $3, want $2"; fail=$((fail + 1)); fi
}
printf '{"candidate_id":"c1","as_of":"2026-01-01T00:00:00Z"}' >"$T/ok.json"
"$IDRISK" score "$T/ok.json" >"$T/out" 2>"$T/err"; check score_ok 0 $?
"$IDRISK" score --json "$T/ok.json" >"$T/out" 2>"$T/err"; check score_json 0 $?
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="idrisk.result/1"' "$T/out" || { echo "FAIL score_json: not one result object"; fail=$((fail + 1)); }
printf '{"candidate_id":"c1","network":{"sessions":[{"ip":"1.2.3.4"},{"ip":"999.1.1.1"}]}}' >"$T/bad.json"
"$IDRISK" score --json "$T/bad.json" >"$T/out" 2>"$T/err"; check bad_ip 2 $?
grep -q 'network.sessions\[1\].ip' "$T/err" || { echo "FAIL bad_ip: field path not on stderr: $(cat "$T/err")"; fail=$((fail + 1)); }
[ -s "$T/out" ] && { echo "FAIL bad_ip: printed a result on bad input"; fail=$((fail + 1)); }
printf '{"candidate_id":"c1","identity":{"nationality":"XX"}}' >"$T/prot.json"
"$IDRISK" score "$T/prot.json" >"$T/out" 2>"$T/err"; check protected 2 $?
grep -q 'identity.nationality' "$T/err" || { echo "FAIL protected: field not named"; fail=$((fail + 1)); }
printf '{"candidate_id":' >"$T/trunc.json"
"$IDRISK" score "$T/trunc.json" >"$T/out" 2>"$T/err"; check truncated_json 2 $?
"$IDRISK" score "$T/missing.json" >"$T/out" 2>"$T/err"; check missing_file 1 $?
"$IDRISK" score --rules "$T/missing.pack" "$T/ok.json" >"$T/out" 2>"$T/err"; check missing_rules 1 $?
"$IDRISK" score --sanctions "$T/missing-sdn.csv" "$T/ok.json" >"$T/out" 2>"$T/err"; check missing_sanctions 1 $?
grep -q 'missing-sdn.csv' "$T/err" || { echo "FAIL missing_sanctions: file not named: $(cat "$T/err")"; fail=$((fail + 1)); }
"$IDRISK" score --sanctions-format xml "$T/ok.json" >"$T/out" 2>"$T/err"; check bad_sanctions_format 2 $?
grep -q 'sanctions_format' "$T/err" || { echo "FAIL bad_sanctions_format: option not named: $(cat "$T/err")"; fail=$((fail + 1)); }
"$IDRISK" score --json --sanctions "$ROOT/tests/fixtures/sanctions/sdn/sdn.csv" "$T/ok.json" >"$T/out" 2>"$T/err"; check sanctions_file 0 $?
grep -q 'sanctions_user' "$T/out" || { echo "FAIL sanctions_file: the user list is not in the result's data"; fail=$((fail + 1)); }
printf '[pack]\nid = x\nversion = 1\nband.medium = 20\nband.high = 45\nband.critical = 70\n[sources]\nG22 = g\n[indicator ssn_invalid_structure]\ncategory = ssn\nseverity = loud\n' >"$T/bad.pack"
"$IDRISK" score --rules "$T/bad.pack" "$T/ok.json" >"$T/out" 2>"$T/err"; check bad_rules 1 $?
grep -q 'ssn_invalid_structure.severity' "$T/err" || { echo "FAIL bad_rules: entry.key not named: $(cat "$T/err")"; fail=$((fail + 1)); }
"$IDRISK" score < /dev/null >"$T/out" 2>"$T/err"; check score_no_file 2 $?
"$IDRISK" frobnicate >"$T/out" 2>"$T/err"; check unknown_command 2 $?
# data index: the gazetteer indexes beside their TSV files; a bad sub-command is usage
mkdir -p "$T/dd/gazetteer"
printf 'US\tGA\tGeorgia\tAtlanta\t33.749\t-84.38798\n' >"$T/dd/gazetteer/cities.tsv"
"$IDRISK" data index --data-dir "$T/dd" >"$T/out" 2>"$T/err"; check data_index 0 $?
[ -s "$T/dd/gazetteer/cities.idx" ] || { echo "FAIL data_index: no cities.idx"; fail=$((fail + 1)); }
[ -e "$T/dd/gazetteer/us-zips.idx" ] && { echo "FAIL data_index: us-zips.idx without its TSV"; fail=$((fail + 1)); }
"$IDRISK" data frob --data-dir "$T/dd" >"$T/out" 2>"$T/err"; check data_bad_subcommand 2 $?
"$IDRISK" rules >"$T/out" 2>"$T/err"; check rules 0 $?
grep -q 'ssn_invalid_structure' "$T/out" || { echo "FAIL rules: indicator missing from listing"; fail=$((fail + 1)); }
"$IDRISK" rules --json >"$T/out" 2>"$T/err"; check rules_json 0 $?
/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
for ind in d["indicators"]:
    for p in ind["params"]:
        assert set(p) == {"name", "value", "default", "min", "max", "doc"}, p
        assert p["min"] <= p["value"] <= p["max"], p
late = {i["id"]: i for i in d["indicators"]}["adr_late_change"]["params"]
assert late == [{"name": "late_change_days", "value": 7, "default": 7, "min": 0, "max": 90, "doc": late[0]["doc"]}], late
' "$T/out" || { echo "FAIL rules_json: params not listed with value, default and bounds"; fail=$((fail + 1)); }
"$IDRISK" score - <"$T/ok.json" >"$T/out" 2>"$T/err"; check stdin 0 $?
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
