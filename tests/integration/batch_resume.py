# SPDX-License-Identifier: Apache-2.0
"""`idrisk batch` killed with SIGKILL at many points and rerun: the files it ends with
equal an uninterrupted run's apart from evaluated_at, every candidate exactly once.
Kill points: before the first checkpoint (engine still loading), after N results
reached the disk, and at fixed delays after the first checkpoint; also several kills
in a row, and a resumed run without --as-of keeping the first run's instant."""

import json
import os
import signal
import time

from batch_common import Checks, Cli, args, many, results, stripped, tmpdir, write_jsonl

N = 2000


def wait_for(pred, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.005)
    return False


def size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def kill_run(cli, argv, out, how, arg):
    """Start a batch, kill -9 it at the point `how` says, return the phase its
    checkpoint was in (None: none yet)."""
    proc = cli.start(*argv)
    ckpt = out + ".ckpt"
    if how == "delay":
        time.sleep(arg)
    elif how == "after_ckpt":
        wait_for(lambda: os.path.exists(ckpt) or proc.poll() is not None)
        time.sleep(arg)
    elif how == "bytes":
        wait_for(lambda: size(out) >= arg or proc.poll() is not None)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    try:
        return json.load(open(ckpt))["phase"]
    except (OSError, ValueError):
        return None


def main():
    a = args()
    cli = Cli(a)
    t = Checks()
    with tmpdir() as d:
        p = lambda name: os.path.join(d, name)
        write_jsonl(p("in.jsonl"), many(a.source, N, broken_every=250))
        fixed = ["--as-of", "2026-01-01T00:00:00Z"]
        ref = p("ref.jsonl")
        r = cli.run("batch", "--in", p("in.jsonl"), "--out", ref, "--jobs", "2", *fixed)
        t.check(r.returncode == 3, "reference run: exit %d, want 3" % r.returncode)
        ids = [x["candidate_id"] for x in results(ref)]
        t.check(len(ids) == N and len(set(ids)) == N, "reference run: not %d distinct results" % N)
        one_result = size(ref) // N

        mid_run = 0
        scenarios = [
            ("delay", 0.05), ("after_ckpt", 0.0), ("after_ckpt", 0.2), ("after_ckpt", 0.5),
            ("after_ckpt", 1.0), ("bytes", 1), ("bytes", one_result * N // 3),
            ("bytes", one_result * N * 9 // 10),
        ]
        for k, (how, arg) in enumerate(scenarios):
            out = p("k%d.jsonl" % k)
            jobs = "1" if k % 2 else "2"
            argv = ["batch", "--in", p("in.jsonl"), "--out", out, "--jobs", jobs,
                    "--checkpoint-every", "37" if k % 3 else "500", *fixed]
            phase = kill_run(cli, argv, out, how, arg)
            mid_run += phase in ("score", "index")
            print("kill at %s %s: checkpoint phase %s" % (how, arg, phase), flush=True)
            r = cli.run(*argv)
            what = "kill at %s %s (checkpoint phase %s)" % (how, arg, phase)
            t.check(r.returncode == 3, "%s: rerun exit %d, want 3" % (what, r.returncode))
            t.check(stripped(out) == stripped(ref), "%s: results differ from an uninterrupted run" % what)
            t.check(stripped(out + ".errors") == stripped(ref + ".errors"),
                    "%s: errors differ from an uninterrupted run" % what)
            got = [x["candidate_id"] for x in results(out)]
            t.check(got == ids, "%s: a candidate missing or twice" % what)
        t.check(mid_run >= 4, "only %d kills landed mid-batch: the test proves little" % mid_run)

        # Killed again and again, then finished.
        out = p("chain.jsonl")
        argv = ["batch", "--in", p("in.jsonl"), "--out", out, "--checkpoint-every", "50", *fixed]
        for frac in (0.1, 0.3, 0.5, 0.7):
            kill_run(cli, argv, out, "bytes", int(one_result * N * frac))
        r = cli.run(*argv)
        t.check(r.returncode == 3 and stripped(out) == stripped(ref),
                "after four kills: results differ from an uninterrupted run")

        # Without --as-of the first run's instant is kept by the resumed run.
        out = p("asof.jsonl")
        argv = ["batch", "--in", p("in.jsonl"), "--out", out, "--checkpoint-every", "50"]
        kill_run(cli, argv, out, "bytes", one_result * N // 2)
        first = json.load(open(out + ".ckpt"))["as_of"]
        time.sleep(1.1)
        r = cli.run(*argv)
        ck = json.load(open(out + ".ckpt"))
        spliced = {x["as_of"] for i, x in enumerate(results(out)) if i % 3 == 0}
        t.check(r.returncode == 3 and ck["as_of"] == first and spliced == {first},
                "resumed run did not keep the first run's as_of: %s vs %s" % (spliced, first))
    t.finish()


if __name__ == "__main__":
    main()
