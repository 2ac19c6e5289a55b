#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""population_run.py - the acceptance run of issue 10 on a large generated population.

    /usr/bin/python3 bench/population_run.py --idrisk build/idrisk --data-dir DIR \
        [--n 100000] [--work DIR]

1. tests/integration/population_store.py --n N: generates N hires with planted rings,
   runs `idrisk batch --db` and checks that every ring member is linked and flagged and
   no clean hire is linked (prints its own timings).
2. The same input without a store (`idrisk batch` alone): records/s side by side.
3. The store's size per 1,000 candidates (`idrisk store stats --json`).
4. Progress: a batch run with stderr on a pseudo-terminal shows progress lines.
5. SIGKILL and resume: a fresh batch into a new store is killed with SIGKILL during
   indexing and twice during scoring, rerun each time, then compared with the
   uninterrupted results of step 1 (byte-identical apart from `evaluated_at`, every
   record exactly once); rerunning the finished batch changes no file.
Prints numbers; exits 1 when a check fails. Not part of ctest (minutes at 100,000).
"""
import argparse
import hashlib
import json
import os
import pty
import re
import signal
import subprocess
import sys
import time

EVAL = re.compile(rb'"evaluated_at":"[^"]*"')


def strip(path):
    with open(path, "rb") as f:
        return [EVAL.sub(b'"evaluated_at":""', line) for line in f]


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--work", default="/tmp/idrisk-population")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # the rule pack and lists of this tree, not an older installed copy
    os.environ.setdefault("IDRISK_LISTS_DIR", os.path.join(root, "data"))
    os.makedirs(a.work, exist_ok=True)
    ok = True
    W = lambda f: os.path.join(a.work, f)

    print("== 1. population with rings, idrisk batch --db (tests/integration/population_store.py)")
    r = subprocess.run([sys.executable, os.path.join(root, "tests/integration/population_store.py"),
                        "--idrisk", a.idrisk, "--source-root", root, "--data-dir", a.data_dir,
                        "--n", str(a.n), "--keep", a.work])
    ok &= r.returncode == 0
    pop, ref = W("pop.jsonl"), W("results.jsonl")

    print("== 2. the same input without a store")
    for f in ("nostore.jsonl", "nostore.jsonl.ckpt", "nostore.jsonl.errors"):
        if os.path.exists(W(f)):
            os.unlink(W(f))
    t0 = time.monotonic()
    r = subprocess.run([a.idrisk, "batch", "--in", pop, "--out", W("nostore.jsonl"),
                        "--data-dir", a.data_dir], capture_output=True, text=True)
    t = time.monotonic() - t0
    print("without store: exit %d, %d records in %.1f s = %.0f records/s" % (r.returncode, a.n, t, a.n / t))
    print("  " + r.stderr.strip().splitlines()[-1])

    print("== 3. store size")
    r = subprocess.run([a.idrisk, "store", "stats", "--db", W("store.db"), "--json"],
                       capture_output=True, text=True)
    st = json.loads(r.stdout)
    wal = os.path.getsize(W("store.db-wal")) if os.path.exists(W("store.db-wal")) else 0
    print("store: %d candidates, file %d bytes (+ WAL %d) = %.2f MB per 1,000 candidates"
          % (st["candidates"], st["file_bytes"], wal, st["file_bytes"] / st["candidates"] * 1000 / 1e6))
    print("  identifiers: %s" % json.dumps(st.get("identifiers")))

    print("== 4. progress on a terminal (first 3,000 records, no store)")
    head = W("head.jsonl")
    with open(pop, "rb") as f, open(head, "wb") as g:
        for i, line in enumerate(f):
            if i >= 3000:
                break
            g.write(line)
    for f in ("head-out.jsonl", "head-out.jsonl.ckpt", "head-out.jsonl.errors"):
        if os.path.exists(W(f)):
            os.unlink(W(f))
    master, slave = pty.openpty()
    p = subprocess.Popen([a.idrisk, "batch", "--in", head, "--out", W("head-out.jsonl"),
                          "--jobs", "1", "--data-dir", a.data_dir], stderr=slave)
    os.close(slave)
    buf = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        buf += chunk
    p.wait()
    frames = [x for x in re.split(rb"[\r\n]", buf) if x.strip()]
    print("progress frames seen: %d; e.g. %r" % (len(frames), frames[len(frames) // 2][:120] if frames else b""))
    print("  last line: %r" % (frames[-1][:200] if frames else b""))
    ok &= len(frames) >= 2

    print("== 5. SIGKILL and resume")
    for f in os.listdir(a.work):
        if f.startswith(("kill.db", "kill-out.jsonl")):
            os.unlink(W(f))
    cmd = [a.idrisk, "batch", "--in", pop, "--db", W("kill.db"), "--out", W("kill-out.jsonl"),
           "--data-dir", a.data_dir]
    # as_of must match the reference run: population records carry their own as_of?
    kills = []
    for when in (8.0, None, None):
        p = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
        if when is None:
            # wait until phase 2 has written some results, then kill at a random point
            while p.poll() is None and (not os.path.exists(W("kill-out.jsonl")) or
                                        os.path.getsize(W("kill-out.jsonl")) < (5 + 20 * len(kills)) * 10**6):
                time.sleep(0.2)
        else:
            time.sleep(when)
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            p.wait()
            size = os.path.getsize(W("kill-out.jsonl")) if os.path.exists(W("kill-out.jsonl")) else 0
            ck = json.load(open(W("kill-out.jsonl.ckpt"))) if os.path.exists(W("kill-out.jsonl.ckpt")) else {}
            kills.append((ck.get("phase"), ck.get("next_line"), size))
            print("killed: checkpoint phase %s at line %s, results file %d bytes" % kills[-1])
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True)
    print("final resume: exit %d in %.1f s: %s" % (r.returncode, time.monotonic() - t0,
                                                  r.stderr.strip().splitlines()[-1] if r.stderr else ""))
    got, want = strip(W("kill-out.jsonl")), strip(ref)
    ids = [json.loads(x)["candidate_id"] for x in got]
    same = got == want
    once = len(ids) == len(set(ids)) == a.n
    print("after %d kills: %d result lines, each candidate once: %s, identical to the "
          "uninterrupted run apart from evaluated_at: %s" % (len(kills), len(got), once, same))
    ok &= same and once and len(kills) >= 2
    before = {f: sha(W(f)) for f in ("kill-out.jsonl", "kill-out.jsonl.ckpt")}
    r = subprocess.run(cmd, capture_output=True, text=True)
    unchanged = before == {f: sha(W(f)) for f in before}
    print("rerun of the finished batch: exit %d, files unchanged: %s" % (r.returncode, unchanged))
    ok &= unchanged
    print("== %s" % ("all checks passed" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
