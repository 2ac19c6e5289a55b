# SPDX-License-Identifier: Apache-2.0
"""Crash safety of `idrisk batch --db`: one batch over a generated population (with a
few malformed lines) is killed with SIGKILL at twenty seeded random moments, spread
over the indexing and the scoring phase, each time resumed with the same command, and
at last run to its end. Its files must equal an uninterrupted run's (results apart
from evaluated_at, every record exactly once; errors file identical), and the store
must stay consistent: PRAGMA integrity_check says "ok" after every kill and at the
end (the store file opened read-only by Python's sqlite3), and at the end it holds
exactly one candidate per valid input record.

--checkpoint-every is small, so that kills land between checkpoints and while one is
being written (results fsync, store sync, checkpoint rename). The seed (--seed, or
IDRISK_CRASH_SEED) makes the kill points reproducible; it is printed on failure."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from batch_common import Checks, Cli, args, results, stripped, tmpdir

N = 1500
KILLS = 20
EVERY = "7"
MALFORMED = [
    '{"candidate_id":"broken-truncated",',
    "not json at all",
    '{"schema":"idrisk.candidate/1","candidate_id":"broken-as-of","as_of":"yesterday"}',
    "[1,2,3]",
    '{"schema":"idrisk.candidate/1"}',
]


def progress(ckpt):
    """(phase, next_line) of a checkpoint file, or (None, 0)."""
    try:
        ck = json.load(open(ckpt))
        return ck["phase"], ck["next_line"]
    except (OSError, ValueError, KeyError):
        return None, 0


def integrity(db):
    """PRAGMA integrity_check of the store file, opened read-only; "missing" when the
    kill came before the store was created."""
    if not os.path.exists(db):
        return "missing"
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=30)
    try:
        return "\n".join(r[0] for r in con.execute("PRAGMA integrity_check"))
    finally:
        con.close()


def candidates(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        total, distinct = con.execute(
            "SELECT count(*), count(DISTINCT candidate_id) FROM candidates").fetchone()
        return total, distinct
    finally:
        con.close()


def main():
    a = args()
    seed = int(os.environ.get("IDRISK_CRASH_SEED", "20260912"))
    if not a.data_dir or not os.path.isdir(a.data_dir):
        print("SKIP: tools/gen-population.py needs the fetched data (--data-dir)")
        sys.exit(77)
    cli = Cli(a)
    t = Checks()
    rng = random.Random(seed)
    with tmpdir() as d:
        p = lambda name: os.path.join(d, name)
        gen = subprocess.run(
            ["/usr/bin/python3", os.path.join(a.source, "tools/gen-population.py"), "--n", str(N),
             "--seed", str(seed % 1000), "--data-dir", a.data_dir, "--out", p("pop.jsonl"),
             "--truth", p("truth.json")], capture_output=True)
        if not t.check(gen.returncode == 0, "gen-population: %s" % gen.stderr[-500:]):
            t.finish()
        lines = open(p("pop.jsonl")).read().splitlines()
        for bad in MALFORMED:
            lines.insert(rng.randrange(len(lines) + 1), bad)
        with open(p("in.jsonl"), "w") as f:
            f.write("\n".join(lines) + "\n")
        total_lines = len(lines)

        fixed = ["--as-of", "2026-01-01T00:00:00Z"]
        ref, ref_db = p("ref.jsonl"), p("ref.db")
        t0 = time.monotonic()
        r = cli.run("batch", "--in", p("in.jsonl"), "--db", ref_db, "--out", ref, *fixed)
        ref_secs = time.monotonic() - t0
        t.check(r.returncode == 3, "reference run: exit %d, want 3 (%s)" % (r.returncode, r.stderr[-300:]))
        ids = [x["candidate_id"] for x in results(ref)]
        errors = results(ref + ".errors") if os.path.exists(ref + ".errors") else []
        t.check(len(ids) == N and len(set(ids)) == N, "reference run: %d results, want %d distinct" % (len(ids), N))
        t.check(len(errors) == len(MALFORMED), "reference run: %d errors, want %d" % (len(errors), len(MALFORMED)))
        print("reference run: %.1f s, %d results, %d errors" % (ref_secs, len(ids), len(errors)), flush=True)

        # Kill points: half in each phase, each a seeded line number of that phase plus
        # a seeded extra delay (0-40 ms) after the checkpoint passed it, so that the
        # kill falls anywhere in a checkpoint interval, including inside one. Every
        # fifth kill instead comes at a random delay after the process started
        # (engine load, resume, truncation).
        points = sorted(("index", rng.randrange(1, total_lines)) for _ in range(KILLS // 2))
        points += sorted(("score", rng.randrange(1, total_lines)) for _ in range(KILLS - KILLS // 2))
        out, db = p("crash.jsonl"), p("crash.db")
        ckpt = out + ".ckpt"
        argv = ["batch", "--in", p("in.jsonl"), "--db", db, "--out", out, "--checkpoint-every", EVERY, *fixed]
        landed = {"index": 0, "score": 0, None: 0, "done": 0}
        t0 = time.monotonic()
        for k, (phase, line) in enumerate(points):
            extra = rng.uniform(0.0, 0.04)
            early = k % 5 == 0
            early_delay = rng.uniform(0.0, 0.6)
            proc = cli.start(*argv)
            if early:
                time.sleep(early_delay)
            else:
                end = time.monotonic() + 120
                order = {"index": 1, "score": 2, "done": 3}
                while time.monotonic() < end and proc.poll() is None:
                    ph, nl = progress(ckpt)
                    if ph and (order[ph] > order[phase] or (ph == phase and nl >= line)):
                        break
                    time.sleep(0.002)
                time.sleep(extra)
            exited = proc.poll()
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            ph, nl = progress(ckpt)
            landed[ph] += exited is None
            what = "kill %d (target %s line %d%s): checkpoint %s line %d%s" % (
                k + 1, phase, line, ", early %.2f s" % early_delay if early else "", ph, nl,
                ", process had already exited" if exited is not None else "")
            print(what, flush=True)
            ic = integrity(db)
            t.check(ic in ("ok", "missing"), "%s: integrity_check says %r" % (what, ic[:300]))
        kills_secs = time.monotonic() - t0
        r = cli.run(*argv)
        t.check(r.returncode == 3, "final run: exit %d, want 3 (%s)" % (r.returncode, r.stderr[-300:]))
        t.check(os.path.exists(out) and stripped(out) == stripped(ref),
                "results differ from an uninterrupted run (seed %d)" % seed)
        got = [x["candidate_id"] for x in results(out)] if os.path.exists(out) else []
        t.check(got == ids, "a record missing, twice or out of order (%d results, %d distinct)"
                % (len(got), len(set(got))))
        t.check(os.path.exists(out + ".errors") and stripped(out + ".errors") == stripped(ref + ".errors"),
                "errors file differs from an uninterrupted run (seed %d)" % seed)
        ic = integrity(db)
        t.check(ic == "ok", "final store: integrity_check says %r" % ic[:300])
        if ic == "ok":
            total, distinct = candidates(db)
            t.check(total == N and distinct == N,
                    "final store: %d candidates (%d distinct), want %d" % (total, distinct, N))
            t.check(candidates(ref_db) == (N, N), "reference store: not %d candidates" % N)
        # The kills must have landed in both phases for the test to prove anything.
        t.check(landed["index"] >= 3 and landed["score"] >= 3,
                "kills landed index %d, score %d times: too few mid-phase" % (landed["index"], landed["score"]))
        print("seed %d: %d kills (checkpoint phase at kill: %s) in %.1f s; reference %.1f s"
              % (seed, KILLS, landed, kills_secs, ref_secs))
    t.finish()


if __name__ == "__main__":
    main()
