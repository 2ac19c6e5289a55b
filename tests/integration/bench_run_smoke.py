#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""bench_run_smoke: bench/run.py end to end on a small population (tests/bench.cmake).

Runs the benchmark command with --n 200 --no-callgrind and short latency and JSON
runs into a temporary directory, and checks that it exits 0 and writes a report with
a throughput row for the peer (when ../shared/bench/py_peer.py exists) and for every
`idrisk batch` run, the targets of issue 12, the engine build and latency lines and
the Python binding rows (memory and thread scaling). Numbers are not checked: this keeps the command working, it
judges no performance. Exit 77 without the fetched data.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True)
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--build", required=True)
    ap.add_argument("--data-dir", required=True)
    a = ap.parse_args()
    if not a.data_dir or not os.path.isdir(a.data_dir):
        print("bench_run_smoke: no data directory: skipped")
        return 77
    peer = os.path.normpath(os.path.join(a.source, "..", "shared", "bench", "py_peer.py"))
    with tempfile.TemporaryDirectory(prefix="idrisk-bench-smoke-") as tmp:
        out = os.path.join(tmp, "RESULTS.md")
        cmd = ["/usr/bin/python3", os.path.join(a.source, "bench", "run.py"),
               "--idrisk", a.idrisk, "--build", a.build, "--data-dir", a.data_dir,
               "--n", "200", "--no-callgrind", "--latency-calls", "1000", "--builds", "1",
               "--json-seconds", "0.1", "--python-n", "50,200", "--work", tmp,
               "--out", out, "--before", "", "--before-md", "", "--jobs", "2"]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=500)
        sys.stdout.write(r.stdout)
        if r.returncode != 0:
            print("FAIL: bench/run.py exited %d\n%s" % (r.returncode, r.stderr[-3000:]))
            return 1
        text = open(out).read()
    want = ["## Machine and versions", "## Throughput", "## Targets of issue 12",
            "| idrisk batch, no store, --jobs 1 | 200 |",
            "| idrisk batch, no store, --jobs 2 | 200 |",
            "| idrisk batch --db, --jobs 1 | 200 |",
            "| idrisk batch --db, --jobs 2 | 200 |",
            "engine build, verify_data off:", "engine build, verify_data full:",
            "score_json, 1000 warm calls", "`idrisk score --json ONE.json`",
            "| engine.score_iter | 200 |", "| engine.score_many | 50 |",
            "## Python binding thread scaling"]
    if os.path.exists(peer):
        want.append("| Python peer, 1 core | 200 |")
    if os.path.exists(os.path.join(a.build, "bench", "bench_json")):
        want.append("| cjson |")
    missing = [w for w in want if w not in text]
    if missing:
        print("FAIL: the report lacks: %s\n---\n%s" % (missing, text))
        return 1
    print("bench_run_smoke: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
