# SPDX-License-Identifier: Apache-2.0
"""Shared pieces of the `idrisk batch` integration tests (batch_cli.py,
batch_resume.py, batch_store.py): the inputs they build from the golden cases, running
the real CLI, and comparing results apart from `evaluated_at`."""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

EVALUATED_AT = re.compile(rb'"evaluated_at":"[^"]*"')


class Checks:
    """Counts failed checks; every check prints what went wrong."""

    def __init__(self):
        self.failed = 0
        self.passed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print("FAIL " + what, flush=True)
        return ok

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def args():
    p = argparse.ArgumentParser()
    p.add_argument("--idrisk", required=True)
    p.add_argument("--source", required=True)
    p.add_argument("--data-dir")
    return p.parse_args()


def cases(source):
    """The golden cases' candidate records, in a stable order."""
    files = sorted(glob.glob(os.path.join(source, "tests/integration/cases/*/candidate.json")))
    return [json.load(open(f)) for f in files]


def write_jsonl(path, records):
    """Write records (dicts, or str lines written as they are) one per line."""
    with open(path, "w") as f:
        for r in records:
            f.write(r if isinstance(r, str) else json.dumps(r, separators=(",", ":")))
            f.write("\n")


def many(source, n, drop_as_of_every=3, broken_every=0):
    """n records made from the cases by rewriting candidate_id (unique); every
    drop_as_of_every-th loses its as_of; every broken_every-th line is followed by a
    malformed one."""
    base = cases(source)
    out = []
    for i in range(n):
        c = dict(base[i % len(base)])
        c["candidate_id"] = "%s-%05d" % (c["candidate_id"], i)
        if drop_as_of_every and i % drop_as_of_every == 0:
            c.pop("as_of", None)
        out.append(c)
        if broken_every and i % broken_every == broken_every - 1:
            out.append('{"candidate_id":"broken-%d",' % i)
    return out


class Cli:
    def __init__(self, a):
        self.exe = a.idrisk
        self.common = []
        if a.data_dir and os.path.isdir(a.data_dir):
            # Size checks only: every run builds an engine, and the golden tests
            # already hash the data.
            self.common = ["--data-dir", a.data_dir, "--verify-data", "size"]
        self.env = dict(os.environ)
        self.env["IDRISK_LISTS_DIR"] = os.path.join(a.source, "data")

    def argv(self, *argv):
        return [self.exe] + list(argv) + self.common

    def run(self, *argv, stdin=None):
        return subprocess.run(self.argv(*argv), input=stdin, capture_output=True,
                              env=self.env)

    def start(self, *argv):
        return subprocess.Popen(self.argv(*argv), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=self.env)


def stripped(path):
    """A results file with every evaluated_at value removed (the one member that
    differs between runs)."""
    with open(path, "rb") as f:
        return EVALUATED_AT.sub(b'"evaluated_at":""', f.read())


def results(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def maxmind_data_dir(d, source):
    """A data directory in `d` holding links to MaxMind's small test databases
    (tests/fixtures/maxmind): an engine that is cheap to build on every run."""
    data = os.path.join(d, "data")
    os.mkdir(data)
    fix = os.path.join(os.path.abspath(source), "tests/fixtures/maxmind")
    for f in os.listdir(fix):
        if f.endswith(".mmdb"):
            os.symlink(os.path.join(fix, f), os.path.join(data, f))
    return data


def tmpdir():
    return tempfile.TemporaryDirectory(prefix="idrisk-batch-")
