#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""CLI conventions and `idrisk validate` (docs/cli.md), with real CLI processes:

- -V and --version; -h after a command prints that command's help, -h alone the
  global one; --opt=value and `--`; unknown --color values and options a command does
  not take are usage errors (exit 2);
- -q silences warnings (score --json without databases, score --lenient, batch's
  summary) but not errors;
- JSON Lines given to `score -` is named as such (exit 2, the batch hint), not
  "malformed JSON";
- an error line names the field once: "idrisk: FILE: PATH: message";
- validate lists every problem of a record with its path (protected attributes too,
  array indices of the record even after earlier elements were dropped), exit 2 with
  a count; every example record is valid (exit 0); malformed JSON is one line with
  its line and column;
- --lenient maps "USA", "United States", "us", "2025-07" and a date-only instant,
  one warning each, leaves an unmappable country an error, and --fix-out writes a
  record that then scores without --lenient.

Usage: cli_validate.py --idrisk BIN --source ROOT [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

FAILS: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args: list[str], stdin: str | None = None, cwd: str | None = None):
    return subprocess.run(args, input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=cwd)


def write(path: str, text: str) -> str:
    with open(path, "w") as f:
        f.write(text)
    return path


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir")
    a = ap.parse_args()
    exe = os.path.abspath(a.idrisk)
    examples = sorted(glob.glob(os.path.join(a.source, "examples/candidates/*.json")))
    check(len(examples) >= 10, "examples/candidates holds the example records")

    with tempfile.TemporaryDirectory() as tmp:
        empty_dir = os.path.join(tmp, "empty-data")
        os.mkdir(empty_dir)
        data = ["--data-dir", a.data_dir or empty_dir]
        ok = write(os.path.join(tmp, "ok.json"),
                   '{"candidate_id":"c1","as_of":"2026-01-01T00:00:00Z"}')

        # --- version and help ---
        for v in (["-V"], ["--version"], ["version"]):
            p = run([exe] + v)
            check(p.returncode == 0 and p.stdout.startswith("idrisk "),
                  "%s prints the version (%d: %r)" % (v, p.returncode, p.stdout))
        p = run([exe, "-h"])
        check(p.returncode == 0 and "COMMAND" in p.stdout and "audit" in p.stdout,
              "idrisk -h prints the global help")
        p = run([exe, "score", "-h"])
        check(p.returncode == 0 and p.stdout.startswith("usage: idrisk score"),
              "score -h prints score's help: %r" % p.stdout[:60])
        check("--html" in p.stdout and "--lenient" in p.stdout and "audit" not in p.stdout,
              "score -h lists score's options only")
        p = run([exe, "batch", "--help"])
        check(p.returncode == 0 and p.stdout.startswith("usage: idrisk batch")
              and "--checkpoint-every" in p.stdout and "--html" not in p.stdout,
              "batch --help prints batch's help")
        p = run([exe, "--help", "store"])
        check(p.returncode == 0 and p.stdout.startswith("usage: idrisk store"),
              "--help before the command still helps with it")
        p = run([exe, "validate", "-h"])
        check(p.returncode == 0 and "--fix-out" in p.stdout, "validate -h")

        # --- option syntax ---
        p = run([exe, "score", "--json", "--data-dir=" + (a.data_dir or empty_dir),
                 "--color=never", ok])
        check(p.returncode == 0 and json.loads(p.stdout)["candidate_id"] == "c1",
              "--opt=value is accepted (%d: %s)" % (p.returncode, p.stderr))
        p = run([exe, "score", "--color=purple", ok])
        check(p.returncode == 2 and "--color" in p.stderr, "--color=purple is refused")
        p = run([exe, "validate", "--html", "x.html", ok])
        check(p.returncode == 2 and "--html does not apply to validate" in p.stderr,
              "--html is score's only")
        write(os.path.join(tmp, "-dash.json"), '{"candidate_id":"d"}')
        p = run([exe, "validate", "--", "-dash.json"], cwd=tmp)
        check(p.returncode == 0 and "-dash.json: valid" in p.stdout,
              "-- ends the options (%d: %s %s)" % (p.returncode, p.stdout, p.stderr))

        # --- -q ---
        p = run([exe, "score", "--json", "--data-dir", empty_dir, ok])
        check(p.returncode == 0 and "warning" in p.stderr,
              "without -q, missing databases are warned about: %r" % p.stderr)
        p = run([exe, "-q", "score", "--json", "--data-dir", empty_dir, ok])
        check(p.returncode == 0 and p.stderr == "" and p.stdout.startswith("{"),
              "-q silences the warnings: %r" % p.stderr)
        lines = "".join('{"candidate_id":"b%d"}\n' % i for i in range(3))
        p = run([exe, "batch", "--in", "-", "--data-dir", empty_dir, "--quiet"], stdin=lines)
        check(p.returncode == 0 and p.stderr == "" and len(p.stdout.splitlines()) == 3,
              "batch --quiet: results, no summary (%d: %r)" % (p.returncode, p.stderr))
        bad = write(os.path.join(tmp, "bad.json"),
                    '{"candidate_id":"c1","network":{"sessions":[{"ip":"999.1.1.1"}]}}')
        p = run([exe, "-q", "score", "--data-dir", empty_dir, bad])
        check(p.returncode == 2 and "network.sessions[0].ip" in p.stderr,
              "-q never hides an error")

        # --- field named once ---
        want = "idrisk: %s: network.sessions[0].ip: not an IPv4 or IPv6 address" % bad
        check(p.stderr.startswith(want), "error line is FILE: PATH: message: %r" % p.stderr)
        check(p.stderr.count("network.sessions[0].ip") == 1,
              "the field is named once: %r" % p.stderr)
        prot = write(os.path.join(tmp, "prot.json"),
                     '{"candidate_id":"c1","identity":{"nationality":"KP"}}')
        p = run([exe, "score", "--data-dir", empty_dir, prot])
        check(p.returncode == 2 and p.stderr.count("identity.nationality") == 1,
              "protected attribute named once: %r" % p.stderr)

        # --- JSON Lines where one record is expected ---
        p = run([exe, "score", "--data-dir", empty_dir, "-"], stdin=lines)
        check(p.returncode == 2, "JSON Lines to score - exits 2 (%d)" % p.returncode)
        check("holds 3 JSON records (JSON Lines?)" in p.stderr
              and "idrisk batch --in -" in p.stderr and "malformed" not in p.stderr,
              "JSON Lines is named, with the batch hint: %r" % p.stderr)
        p = run([exe, "score", "--data-dir", empty_dir, "-"],
                stdin='{"candidate_id":"a"}\n{"candidate_id":')
        check(p.returncode == 2 and "2 or more JSON records" in p.stderr,
              "a cut-short second record is still JSON Lines: %r" % p.stderr)
        p = run([exe, "score", "--data-dir", empty_dir, "-"], stdin='{"candidate_id":"a"} x')
        check(p.returncode == 2 and "malformed JSON" in p.stderr,
              "trailing garbage stays malformed JSON: %r" % p.stderr)
        p = run([exe, "score", "--json", "--data-dir", empty_dir, "-"],
                stdin=open(ok).read())
        check(p.returncode == 0, "score - reads one record from stdin")

        # --- validate: every problem ---
        multi = write(os.path.join(tmp, "multi.json"), json.dumps({
            "identity": {"nationality": "KP", "residence": {"country": "USA"},
                         "date_of_birth": "1990-13-01"},
            "network": {"sessions": [{"ip": "1.2.3.4"}, {"ip": "999.1.1.1"},
                                     {"at": "2025-01-01T00:00:00Z"},
                                     {"ip": "5.6.7.8", "at": "yesterday"}]},
            "contacts": {"emails": [42]},
        }))
        p = run([exe, "validate", multi])
        check(p.returncode == 2, "validate exits 2 on problems (%d)" % p.returncode)
        out = p.stdout.splitlines()
        paths = [ln.split(": ", 1)[0] for ln in out[:-1]]
        for want in ("identity.nationality", "identity.residence.country",
                     "identity.date_of_birth", "network.sessions[1].ip",
                     "network.sessions[2].ip", "network.sessions[3].at",
                     "contacts.emails[0]", "candidate_id"):
            check(want in paths, "validate lists %s: %r" % (want, out))
        check(len(paths) == len(set(paths)), "each path once: %r" % paths)
        check(out and re.match(r".*multi\.json: %d problems: " % len(paths), out[-1]),
              "a count at the end: %r" % out[-1:])
        check(all(": " in ln for ln in out), "one PATH: message a line")

        for ex in examples:
            p = run([exe, "validate", ex])
            check(p.returncode == 0 and p.stdout.strip().endswith(
                "valid idrisk.candidate/1 record"),
                "example %s validates (%d: %s)" % (os.path.basename(ex), p.returncode,
                                                   p.stdout))
        # Unknown members: listed as warnings (exit 0), the same ones the library
        # names in the result's warnings (validate finds them from the schema).
        unk = write(os.path.join(tmp, "unknown.json"), json.dumps({
            "candidate_id": "u", "foo": {"nested": 1},
            "identity": {"residence": {"country_code": "US", "country": "US"}},
            "contacts": {"emails": [{"address": "a@b.com", "primary": True}],
                         "phones": [{"number": "+12025550123", "ext": "1"}]},
            "network": {"sessions": [{"ip": "1.1.1.1", "zzz": 2}]},
            "equipment": {"shipments": [{"address": {"zip": "1"}}]},
            "work_history": {"employers": [{"name": "x",
                                            "references": [{"name": "r", "title": "t"}]}]},
            "payment": {"payee_company": {"name": "c", "vat": "1"}},
        }))
        p = run([exe, "validate", unk])
        mine = set(re.findall(r"^warning: (.*): unknown field, ignored$", p.stdout, re.M))
        check(p.returncode == 0 and "(8 unknown fields ignored)" in p.stdout,
              "unknown fields are warnings, not problems: %r" % p.stdout)
        p = run([exe, "score", "--json", "-q", "--data-dir", empty_dir, unk])
        lib = {m.group(1) for w in json.loads(p.stdout)["warnings"]
               for m in [re.match(r'unknown field "(.*)" ignored$', w)] if m}
        check(len(lib) == 8 and mine == lib,
              "validate's unknown fields are the library's: %r vs %r" % (mine, lib))
        p = run([exe, "validate", prot])
        check("warning:" not in p.stdout, "a protected name is a problem, not also unknown")

        trunc = write(os.path.join(tmp, "trunc.json"), '{"candidate_id":\n  "x", ')
        p = run([exe, "validate", trunc])
        check(p.returncode == 2 and "malformed JSON" in p.stdout and "line 2" in p.stdout
              and "1 problem:" in p.stdout,
              "malformed JSON is one problem with its line: %r" % p.stdout)
        p = run([exe, "validate", "-"], stdin=lines)
        check(p.returncode == 2 and "JSON Lines" in p.stderr, "validate names JSON Lines")

        # --- --lenient ---
        loose = {
            "candidate_id": "l1",
            "as_of": "2025-07",
            "identity": {"residence": {"country": "USA"}},
            "engagement": {"declared_work_country": "United States",
                           "offer_accepted_at": "2025-07-01"},
            "payment": {"account_country": "us"},
            "travel": [{"country": "Atlantis", "from": "2025-01-02"}],
        }
        lp = write(os.path.join(tmp, "loose.json"), json.dumps(loose))
        fixed = os.path.join(tmp, "fixed.json")
        p = run([exe, "validate", "--lenient", "--fix-out", fixed, lp])
        for want in ('identity.residence.country: "USA" -> "US"',
                     'engagement.declared_work_country: "United States" -> "US"',
                     'payment.account_country: "us" -> "US"',
                     'as_of: "2025-07" -> "2025-07-01T00:00:00Z"',
                     'engagement.offer_accepted_at: "2025-07-01" -> "2025-07-01T00:00:00Z"'):
            check(("lenient: " + want) in p.stderr, "lenient warns %s: %r" % (want, p.stderr))
        check(p.stderr.count("lenient: ") == 5, "one warning per mapped field: %r" % p.stderr)
        check(p.returncode == 2 and p.stdout.startswith("travel[0].country: ")
              and "1 problem:" in p.stdout,
              "an unmappable country stays an error: %r" % p.stdout)
        check(os.path.isfile(fixed), "--fix-out wrote %s" % fixed)
        fx = json.load(open(fixed)) if os.path.isfile(fixed) else dict(loose)
        fx.setdefault("travel", [{"country": "Atlantis"}])
        check(fx["identity"]["residence"]["country"] == "US"
              and fx["as_of"] == "2025-07-01T00:00:00Z"
              and fx["travel"][0]["country"] == "Atlantis",
              "--fix-out wrote the mapped record: %r" % fx)
        fx["travel"][0]["country"] = "GB"
        write(fixed, json.dumps(fx))
        p = run([exe, "score", "--json"] + data + [fixed])
        check(p.returncode == 0, "the fixed record scores without --lenient (%s)" % p.stderr)
        del loose["travel"]
        write(lp, json.dumps(loose))
        p = run([exe, "score", "--json", "--lenient"] + data + [lp])
        check(p.returncode == 0 and json.loads(p.stdout)["candidate_id"] == "l1"
              and p.stderr.count("lenient: ") == 5,
              "score --lenient maps, warns and scores (%d: %s)" % (p.returncode, p.stderr))
        p = run([exe, "score", "--json", "-q", "--lenient"] + data + [lp])
        check(p.returncode == 0 and "lenient" not in p.stderr, "-q silences lenient warnings")
        p = run([exe, "score", "--json"] + data + [lp])
        check(p.returncode == 2, "without --lenient the same record is refused")

    if FAILS:
        print("%d failed" % len(FAILS), file=sys.stderr)
        return 1
    print("cli_validate: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
