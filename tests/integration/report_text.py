#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The readable report of `idrisk score` (docs/report.md "The text report"), checked on
every example with real CLI processes against the same candidate's --json result:

- the first screen (up to the "-- Triage for a human reviewer" line) fits in 40 lines
  and holds the candidate id, the score/band/action line, one line per reason (every
  title, or a count of the ones left for the details) and the merged "Ask or verify"
  list: each step of every reason (`verify_steps`) once, none twice;
- lines fit 80 columns (a pipe), except a single word too long for any line (a URL);
- the suppressed section names indicators by their titles, never by id alone;
- every source a reason cites is in the legend with the pack's citation;
- identical sessions are printed once with a count;
- colour only on a terminal (a pseudo-terminal here), never with NO_COLOR set.

Usage: report_text.py --idrisk BIN --source ROOT --data-dir DIR
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import pty
import subprocess
import sys

FAILS: list[str] = []


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=120, env=env)


def folded(text: str) -> str:
    return " ".join(text.split())


def run_on_pty(args: list[str], env: dict) -> bytes:
    """Run with stdout on a pseudo-terminal; returns what it printed."""
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(args[0], args, env)
    chunks = []
    while True:
        try:
            b = os.read(fd, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    os.waitpid(pid, 0)
    return b"".join(chunks)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir", required=True)
    a = ap.parse_args()
    if not pathlib.Path(a.data_dir, "manifest.d").is_dir():
        print("SKIP: no fetched data in", a.data_dir)
        return 77
    exe = a.idrisk
    examples = sorted(pathlib.Path(a.source, "examples", "candidates").glob("*.json"))
    check(len(examples) >= 20, "examples found: %d" % len(examples))
    for ex in examples:
        name = ex.stem
        p = run([exe, "score", "--data-dir", a.data_dir, str(ex)])
        j = run([exe, "score", "--json", "--data-dir", a.data_dir, str(ex)])
        check(p.returncode == 0 and j.returncode == 0, f"{name}: exit {p.returncode}")
        if p.returncode or j.returncode:
            continue
        d = json.loads(j.stdout)
        lines = p.stdout.splitlines()
        check("\x1b" not in p.stdout, f"{name}: colour on a pipe")
        ends = [i for i, x in enumerate(lines) if x.startswith("-- Triage for a human reviewer")]
        check(len(ends) == 1, f"{name}: no end-of-first-screen line")
        if not ends:
            continue
        first = lines[: ends[0] + 1]
        check(len(first) <= 40, f"{name}: first screen is {len(first)} lines")
        head = [x for x in first if not x.startswith("WARNING") and not x.startswith(" " * 9)]
        check(head[0].startswith("Candidate " + d["candidate_id"]), f"{name}: {head[0]!r}")
        want = "Score %d/100   band %s   action %s" % (d["score"], d["band"], d["action"])
        check(want in first[1] or want in head[1], f"{name}: no {want!r} line")
        screen = folded("\n".join(first))
        more = [x for x in first if "more, each in detail below" in x]
        for r in d["reasons"]:
            check(r["title"] in screen or more, f"{name}: reason {r['id']} not on the first screen")
        # The merged steps: each reason's steps once.
        if "Ask or verify" in screen:
            ask = folded("\n".join(first[next(i for i, x in enumerate(first)
                                              if x.startswith("Ask or verify")):]))
            steps = {s["text"] for r in d["reasons"] for s in r["verify_steps"]}
            steps |= {r["verify"] for r in d["reasons"] if not r["verify_steps"]}
            cut = "more steps: see" in ask
            for s in steps:
                n = ask.count(s)
                check(n == 1 or (cut and n == 0), f"{name}: step printed {n} times: {s[:50]}")
        else:
            check(not d["reasons"], f"{name}: reasons but no Ask or verify list")
        for x in lines:
            words = x.split()
            check(len(x) <= 80 or len(x) - max(len(w) for w in words) <= 80,
                  f"{name}: line of {len(x)} columns: {x[:60]!r}")
        full = folded(p.stdout)
        if d["suppressed"]:
            sec = p.stdout.split("Cleared by context", 1)
            check(len(sec) == 2, f"{name}: suppressed but no Cleared by context section")
            if len(sec) == 2:
                body = sec[1].split("\n\n", 2)[1] if "\n\n" in sec[1] else sec[1]
                for s in d["suppressed"]:
                    check(s["id"] not in body, f"{name}: suppressed shown by id {s['id']}")
        legend = p.stdout.split("Sources cited above", 1)
        cited = {k for r in d["reasons"] for k in r["sources"]}
        if cited:
            check(len(legend) == 2, f"{name}: no source legend")
            if len(legend) == 2:
                keys = {x.split()[0] for x in legend[1].splitlines()
                        if x.startswith("  ") and not x.startswith("   ")}
                check(cited <= keys, f"{name}: legend lacks {sorted(cited - keys)}")
        sess = p.stdout.split("IP sessions (", 1)
        if len(sess) == 2:
            block = sess[1].split("\n\n", 1)[0].splitlines()[1:]
            firsts = [x for x in block if x.strip() and x.lstrip()[0].isdigit() and "x " in x]
            check(len(firsts) == len(set(firsts)), f"{name}: identical session lines")
            total = sum(int(x.split("x ", 1)[0]) for x in firsts)
            check(total == len(d["enrichment"]["ips"]), f"{name}: session counts {total}")
        check("reject" not in full.lower(), f"{name}: the word reject")

    # Colour: on a terminal, not with NO_COLOR.
    ex = str(pathlib.Path(a.source, "examples", "candidates", "laptop-farm-rescore.json"))
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    out = run_on_pty([exe, "score", "--data-dir", a.data_dir, ex], env)
    check(b"\x1b[" in out, "no colour on a terminal")
    env["NO_COLOR"] = "1"
    out = run_on_pty([exe, "score", "--data-dir", a.data_dir, ex], env)
    check(b"\x1b[" not in out and b"Score 100/100" in out, "colour despite NO_COLOR")

    out = run_on_pty([exe, "score", "--color=never", "--data-dir", a.data_dir, ex],
                     dict(env, NO_COLOR=""))
    check(b"\x1b[" not in out, "colour on a terminal with --color=never")
    p = run([exe, "score", "--color=always", "--data-dir", a.data_dir, ex])
    check("\x1b[" in p.stdout, "no colour with --color=always on a pipe")

    # --verbose adds the not-evaluated list and the data used, which are not there
    # without it.
    p = run([exe, "score", "--data-dir", a.data_dir, ex])
    v = run([exe, "score", "--verbose", "--data-dir", a.data_dir, ex])
    check("Not evaluated (" not in p.stdout and "Data used" not in p.stdout,
          "not-evaluated list without --verbose")
    check("Not evaluated (" in v.stdout and "Data used" in v.stdout,
          "--verbose lacks the not-evaluated list or the data used")
    check(v.stdout.startswith(p.stdout.split("--verbose adds", 1)[0]),
          "--verbose changes what comes before its lists")

    # A hostile record: escape sequences, a bell, C1 controls and line breaks in the id
    # and the name must not reach the terminal, nor start a line that looks like the
    # report's own.
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "hostile.json")
        with open(rec, "w") as f:
            json.dump({"candidate_id": "x\u001b[31mRED\n\u009bScore 0/100",
                       "identity": {"full_name": "A\u0007B\nScore 0/100   band low   action none"},
                       "as_of": "2026-03-01T12:00:00Z"}, f)
        p = subprocess.run([exe, "score", "--data-dir", a.data_dir, rec], capture_output=True,
                           timeout=120)
        check(p.returncode == 0, "hostile record scored")
        out = p.stdout
        for bad in (b"\x1b", b"\x07", b"\xc2\x9b"):
            check(bad not in out, "hostile record: %r reaches the terminal" % bad)
        check(not any(x.startswith(b"Score 0/100   band low   action none")
                      for x in out.splitlines()), "hostile record: a spoofed score line")

    if FAILS:
        print(f"{len(FAILS)} failure(s)", file=sys.stderr)
        return 1
    print(f"report_text: {len(examples)} examples OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
