#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""py_rss.py - peak RSS of the Python binding scoring N records (bench/run.py runs it).

    PYTHONPATH=BUILD/python /usr/bin/python3 bench/py_rss.py MODE RECORDS.jsonl N \
        DATA_DIR [WORKERS]

MODE is "iter" (engine.score_iter: results consumed one at a time, the records read
lazily from the file) or "many" (engine.score_many: every result in one list). The
first N non-blank lines of RECORDS.jsonl are scored (cycling when the file is
shorter). Prints one line:
    py mode=iter n=4000 workers=1 maxrss_kb=... seconds=... records_s=...
"""
import itertools
import resource
import sys
import time

import idrisk


def records(path, n):
    def lines():
        while True:
            with open(path, "rb") as fh:
                got = False
                for line in fh:
                    if line.strip():
                        got = True
                        yield line
                if not got:
                    raise SystemExit("py_rss: no records in %s" % path)

    return itertools.islice(lines(), n)


def main():
    mode, path, n, data_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    workers = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    eng = idrisk.Engine(data_dir=data_dir, verify_data="off")
    t0 = time.monotonic()
    done = 0
    if mode == "iter":
        for _ in eng.score_iter(records(path, n), workers=workers):
            done += 1
    elif mode == "many":
        done = len(eng.score_many(records(path, n), workers=workers))
    else:
        raise SystemExit("py_rss: MODE is iter or many")
    t = time.monotonic() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("py mode=%s n=%d workers=%d maxrss_kb=%d seconds=%.2f records_s=%.0f"
          % (mode, done, workers, rss, t, done / t if t > 0 else 0))


if __name__ == "__main__":
    main()
