#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Records/s of `idrisk batch --db` through the SQLite store and through the PostgreSQL
store (a throwaway cluster, tests/pg/pgcluster.py), on one generated population, at
--jobs 1 and 2, printed side by side (bench/README.md, docs/store.md "PostgreSQL").

    bench/store_backends.py --idrisk build-rel/idrisk --data-dir DATA_DIR [--n 20000]

Each run starts from an empty store (a new file; a dropped `idrisk` schema) with the
same key, and covers both phases of a linked batch (index, then score). The cluster
runs with fsync on (the default), like a server would."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "pg"))
import pgcluster  # noqa: E402


def run(cmd: list[str], env: dict[str, str]) -> float:
    t = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    dt = time.monotonic() - t
    if p.returncode != 0:
        sys.exit("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return dt


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--idrisk", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--in", dest="inp", help="a population file to use as it is")
    ap.add_argument("--jobs", default="1,2")
    a = ap.parse_args()
    src = os.path.join(HERE, "..")
    env = dict(os.environ, IDRISK_LISTS_DIR=os.environ.get(
        "IDRISK_LISTS_DIR", os.path.join(src, "data")))
    tmp = tempfile.mkdtemp(prefix="idrisk-bench-store-")
    try:
        pop = a.inp
        if not pop:
            pop = os.path.join(tmp, "pop.jsonl")
            subprocess.run(["/usr/bin/python3", os.path.join(src, "tools",
                                                             "gen-population.py"),
                            "--n", str(a.n), "--seed", str(a.seed), "--data-dir",
                            a.data_dir, "--out", pop, "--truth", pop + ".truth"],
                           check=True, capture_output=True)
        with open(pop, "rb") as f:
            n = sum(1 for line in f if line.strip())
        key = os.path.join(tmp, "store.key")
        with open(os.open(key, os.O_CREAT | os.O_WRONLY, 0o600), "wb") as f:
            f.write(os.urandom(32))
        rows = []
        with pgcluster.Cluster() as pg:
            for jobs in a.jobs.split(","):
                for backend in ("SQLite", "PostgreSQL"):
                    if backend == "SQLite":
                        db = os.path.join(tmp, "store-%s.db" % jobs)
                    else:
                        pg.psql("DROP SCHEMA IF EXISTS idrisk CASCADE")
                        db = pg.uri
                    out = os.path.join(tmp, "out.jsonl")
                    dt = run([a.idrisk, "--data-dir", a.data_dir, "batch", "--in", pop,
                              "--db", db, "--store-key", key, "--out", out, "--jobs",
                              jobs, "--restart", "-q"], env)
                    os.unlink(out)
                    rows.append((backend, jobs, dt))
        print("%d records (index and score phases), %s" % (n, os.path.basename(pop)))
        print("| store | --jobs | seconds | records/s |")
        print("|---|---|---|---|")
        for backend, jobs, dt in rows:
            print("| %s | %s | %.1f | %s |" % (backend, jobs, dt,
                                               format(int(n / dt), ",")))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
