#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""py_threads.py - thread scaling of the Python binding (bench/run.py runs it).

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/py_threads.py RECORDS.jsonl N \
        DATA_DIR [WORKERS,...] [REPEAT]

Reads the first N non-blank lines of RECORDS.jsonl into memory once (so reading the
file is not measured and every run scores the same bytes), scores them once to warm
up, then runs engine.score_iter(records, workers=W) for each W (default 1,2) in turn,
REPEAT rounds (default 3), keeping the fastest run of each W. Prints one line per W:
    py_threads workers=2 n=2000 seconds=... records_s=... cpus_busy=... cpu_us=...
        speedup=...
cpus_busy is the process's CPU seconds per wall second in that run (above 1 means
threads scored at once), cpu_us its CPU time per record (what threading costs on top
of scoring, whatever the load), speedup records_s over that of the first W. Wall-clock
numbers of a shared machine: compare runs on the same, otherwise idle, machine.
"""
import itertools
import sys
import time

import idrisk


def main():
    path, n, data_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    workers = [int(w) for w in (sys.argv[4] if len(sys.argv) > 4 else "1,2").split(",")]
    repeat = int(sys.argv[5]) if len(sys.argv) > 5 else 3
    with open(path, "rb") as fh:
        records = list(itertools.islice((ln for ln in fh if ln.strip()), n))
    if not records:
        raise SystemExit("py_threads: no records in %s" % path)
    eng = idrisk.Engine(data_dir=data_dir, verify_data="off")
    for _ in eng.score_iter(records):  # warm caches and the allocator
        pass
    # Rounds alternate the worker counts, so that each sees the same spells of load
    # from the rest of the machine; the fastest run of each is kept.
    best = {}
    for _ in range(repeat):
        for w in workers:
            t0, c0 = time.perf_counter(), time.process_time()
            done = sum(1 for _ in eng.score_iter(records, workers=w))
            t, c = time.perf_counter() - t0, time.process_time() - c0
            assert done == len(records), done
            if w not in best or t < best[w][0]:
                best[w] = (t, c)
    base = None
    for w in workers:
        t, c = best[w]
        rps = len(records) / t
        base = base or rps
        print("py_threads workers=%d n=%d seconds=%.3f records_s=%.0f cpus_busy=%.2f "
              "cpu_us=%.1f speedup=%.2f"
              % (w, len(records), t, rps, c / t, c / len(records) * 1e6, rps / base),
              flush=True)
    eng.close()


if __name__ == "__main__":
    main()
