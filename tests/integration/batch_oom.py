# SPDX-License-Identifier: Apache-2.0
"""`idrisk batch --db` run out of memory (issue 9 item 2): the real CLI under a sweep
of address-space limits (RLIMIT_AS, set in the child before exec: no LD_PRELOAD, no
mock), from one too low to build the engine up to one it completes under. Whatever
the limit, a run must either complete with the reference results, or stop with a
non-zero status and a message on stderr (never a signal: no crash, no abort), leaving
a results file of whole JSON lines only; and a rerun without the limit must then
complete (resuming from the checkpoint) with results equal to an unlimited run's apart
from evaluated_at, every candidate exactly once. Not run under the sanitizers: ASan
reserves terabytes of address space, so RLIMIT_AS cannot be used there."""

import json
import os
import resource
import subprocess

from batch_common import Checks, Cli, args, maxmind_data_dir, many, stripped, tmpdir, write_jsonl

N = 300
STEPS = 12


def limited(limit):
    def set_limit():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return set_limit


def main():
    a = args()
    cli = Cli(a)
    # the small MaxMind test databases: the engine is cheap to build on every run
    cli.common = []
    t = Checks()
    with tmpdir() as d:
        cli.common = ["--data-dir", maxmind_data_dir(d, a.source)]
        inp = os.path.join(d, "in.jsonl")
        write_jsonl(inp, many(a.source, N))
        fixed = ["--as-of", "2026-01-01T00:00:00Z", "--jobs", "2"]

        def run(tag, limit=None):
            out = os.path.join(d, tag + ".jsonl")
            argv = cli.argv("batch", "--in", inp, "--db", os.path.join(d, tag + ".db"),
                            "--out", out, *fixed)
            p = subprocess.run(argv, capture_output=True, env=cli.env,
                               preexec_fn=limited(limit) if limit else None)
            return p, out

        p, ref_out = run("ref")
        if not t.check(p.returncode == 0, "the unlimited batch: %d %s"
                       % (p.returncode, p.stderr[-400:])):
            t.finish()
        ref = stripped(ref_out)
        # the smallest limit it completes under, to a few MiB (bisection)
        lo, hi = 16 << 20, 4 << 30
        while hi - lo > (2 << 20):
            mid = (lo + hi) // 2
            p, _ = run("probe-%d" % mid, mid)
            if p.returncode == 0:
                hi = mid
            else:
                lo = mid
        print("completes with RLIMIT_AS >= %.1f MiB" % (hi / 1048576.0), flush=True)
        stopped = 0
        for i in range(STEPS + 1):
            limit = lo - (lo // 2) * (STEPS - i) // STEPS  # lo/2 .. lo, then hi
            if i == STEPS:
                limit = hi
            tag = "step-%d" % i
            p, out = run(tag, limit)
            what = "%s (RLIMIT_AS %.1f MiB)" % (tag, limit / 1048576.0)
            if p.returncode == 127:
                # the dynamic loader could not map the shared libraries: idrisk never
                # ran (and the loader's message may not fit either)
                continue
            t.check(p.returncode >= 0, "%s: killed by signal %d: %s"
                    % (what, -p.returncode, p.stderr[-400:]))
            if p.returncode == 0:
                t.check(stripped(out) == ref, what + ": completed with other results")
                continue
            stopped += 1
            t.check(p.returncode in (1, 3) and p.stderr.strip() != b"",
                    "%s: exit %d without a message" % (what, p.returncode))
            if os.path.exists(out):
                body = open(out, "rb").read()
                t.check(body == b"" or body.endswith(b"\n"), what + ": a partial line")
                for line in body.splitlines():
                    try:
                        json.loads(line)
                    except ValueError:
                        t.check(False, what + ": a line that is not JSON")
                        break
            p2, _ = run(tag)
            t.check(p2.returncode == 0, "%s: the rerun failed: %d %s"
                    % (what, p2.returncode, p2.stderr[-400:]))
            t.check(stripped(out) == ref, what + ": the rerun's results differ")
        t.check(stopped > 0, "no limit made the batch stop")
        print("%d of %d limits stopped the batch" % (stopped, STEPS + 1), flush=True)
    t.finish()


main()
