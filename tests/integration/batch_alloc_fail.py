#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""`idrisk batch --db` with failing allocations (issue 9 item 2, the batch step of the
allocation-failure loop). Runs the test-only build `idrisk_allocfail` (the CLI's own
sources with tests/alloc/cli_alloc.c: a counting allocator installed through
idr_config_set_allocator that fails the Nth library allocation after engine build and
every later one, like a full heap).

A reference run without failures counts the allocations a batch makes (T, about 1,600
for the 46 records). Then, for every N in 1..T (every allocation site of every record's
parse, link, record, score and JSON write fails once), the batch runs with the Nth
allocation failing and must:
  - end with exit 1 and "out of memory" on stderr (never a signal, never exit 0 or 3:
    a record that failed for lack of memory is not a bad record, and must not be
    checkpointed as done),
  - leave a results file of whole lines, each equal to the reference's line for the
    same record, in input order (nothing half-written, nothing out of order),
  - leave a store that passes PRAGMA integrity_check,
and a rerun without failures (for every RESUME_EVERY-th N, and every N whose run broke
a rule above) must resume and end with exactly the reference results (apart from
evaluated_at, fixed by --as-of) and an empty errors file. THREADED points spread over
1..T run with --jobs 2 too (the worker threads' failure paths)."""

import json
import os
import sqlite3
import subprocess

from batch_common import Checks, Cli, args, maxmind_data_dir, cases, stripped, tmpdir, write_jsonl

RESUME_EVERY = 8
THREADED = 12
MIN_TOTAL = 40


def records(source):
    """The golden cases, each followed by a twin under another candidate_id, so that
    the store finds a link of every kind a case has."""
    out = []
    for c in cases(source):
        out.append(c)
        twin = dict(c)
        twin["candidate_id"] = c["candidate_id"] + "-twin"
        out.append(twin)
    return out


def main():
    a = args()
    cli = Cli(a)
    cli.common = []
    t = Checks()
    with tmpdir() as d:
        cli.common = ["--data-dir", maxmind_data_dir(d, a.source)]
        inp = os.path.join(d, "in.jsonl")
        recs = records(a.source)
        write_jsonl(inp, recs)

        def run(tag, fail_at=None, jobs=1, fresh=True):
            out = os.path.join(d, tag + ".jsonl")
            err = os.path.join(d, tag + ".errors.jsonl")
            db = os.path.join(d, tag + ".db")
            if fresh:
                for p in (out, err, db, out + ".ckpt"):
                    if os.path.exists(p):
                        os.remove(p)
            env = dict(cli.env)
            env["IDRISK_TEST_ALLOC_REPORT"] = "1"
            env.pop("IDRISK_TEST_ALLOC_FAIL_AT", None)
            if fail_at:
                env["IDRISK_TEST_ALLOC_FAIL_AT"] = str(fail_at)
            argv = cli.argv("batch", "--in", inp, "--db", db, "--out", out,
                            "--errors", err, "--as-of", "2026-01-01T00:00:00Z",
                            "--jobs", str(jobs))
            p = subprocess.run(argv, capture_output=True, env=env)
            return p, out, err, db

        def count(p):
            for line in p.stderr.decode(errors="replace").splitlines():
                if line.startswith("alloc-test: count="):
                    return int(line.split("count=")[1].split()[0])
            return None

        p, ref_out, _, _ = run("ref")
        if not t.check(p.returncode == 0, "the reference batch: %d %s"
                       % (p.returncode, p.stderr[-400:])):
            t.finish()
        total = count(p)
        if not t.check(total and total > MIN_TOTAL, "no allocation count from the reference "
                       "run: %r" % p.stderr[-400:]):
            t.finish()
        ref = stripped(ref_out).splitlines(keepends=True)
        t.check(len(ref) == len(recs), "reference: %d lines for %d records"
                % (len(ref), len(recs)))
        print("reference batch: %d records, %d library allocations after engine build"
              % (len(recs), total), flush=True)

        points = [(n, 1) for n in range(1, total + 1)]
        threaded = [1 + int(total * (i + 0.5) / THREADED) for i in range(THREADED)]
        points += [(n, 2) for n in threaded]

        stopped = 0
        for k, (n, jobs) in enumerate(points):
            failed_before = t.failed
            tag = "fail-%d-j%d" % (n, jobs)
            what = "allocation %d of %d failing (--jobs %d)" % (n, total, jobs)
            p, out, err, db = run(tag, n, jobs)
            if not t.check(p.returncode >= 0, "%s: killed by signal %d: %s"
                           % (what, -p.returncode, p.stderr[-400:])):
                continue
            if p.returncode == 0:
                # threads may allocate less than the reference run (--jobs 2)
                t.check(jobs == 2 and stripped(out).splitlines(keepends=True) == ref,
                        "%s: exit 0 although an allocation failed: %s"
                        % (what, p.stderr[-300:]))
                continue
            stopped += 1
            t.check(p.returncode == 1 and b"out of memory" in p.stderr,
                    "%s: exit %d, stderr %r" % (what, p.returncode, p.stderr[-300:]))
            if os.path.exists(out):
                body = stripped(out)
                t.check(body == b"" or body.endswith(b"\n"), what + ": a partial line")
                lines = body.splitlines(keepends=True)
                t.check(lines == ref[:len(lines)],
                        what + ": the results written differ from the reference's")
            if os.path.exists(err):
                t.check(os.path.getsize(err) == 0,
                        "%s: records sent to the errors file: %r"
                        % (what, open(err, "rb").read()[:300]))
            if os.path.exists(db):
                con = sqlite3.connect(db)
                ic = con.execute("PRAGMA integrity_check").fetchall()
                con.close()
                t.check(ic == [("ok",)], "%s: store integrity_check %r" % (what, ic))
            if k % RESUME_EVERY and jobs == 1 and t.failed == failed_before:
                for f in (out, err, db, out + ".ckpt", db + "-wal", db + "-shm"):
                    if os.path.exists(f):
                        os.remove(f)
                continue
            p2, out, err, db = run(tag, None, 1, fresh=False)
            t.check(p2.returncode == 0, "%s: the resume failed: %d %s"
                    % (what, p2.returncode, p2.stderr[-400:]))
            t.check(stripped(out).splitlines(keepends=True) == ref,
                    what + ": the resumed results differ from the reference")
            t.check(not os.path.exists(err) or os.path.getsize(err) == 0,
                    what + ": the resume wrote errors")
            for f in (out, err, db, out + ".ckpt", db + "-wal", db + "-shm"):
                if os.path.exists(f):
                    os.remove(f)
        print("%d failure points, %d stopped the batch" % (len(points), stopped))
        t.check(stopped >= len(points) - THREADED,
                "only %d of %d failure points stopped the batch" % (stopped, len(points)))
    t.finish()


main()
