#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Records/s of batch rescoring with the linkage store, side by side on one population:
`idrisk batch --db` on SQLite and on PostgreSQL (--jobs 1 and 2), and idrisk.dask
(examples/dask/rescore.py, a LocalCluster of 2 worker processes) on SQLite and on
PostgreSQL. Each run starts from an empty store, so each indexes every record, then
scores every record linked (docs/scaling.md).

    /usr/bin/python3 bench/scale.py --idrisk build-rel/idrisk --python build-rel/python \\
        --data-dir DATA_DIR [--n 20000] [--seed 12] [--in FILE] [--repeat 1] \\
        [--blocksize MiB] [--no-pg] [--out RESULTS.md]

The PostgreSQL rows run when the library has the PostgreSQL backend, on a throwaway
cluster per run from tests/pg/pgcluster.py (started before the timing, stopped after).
Every Dask run's results are compared with the first `idrisk batch` run's (apart from
evaluated_at): a row whose results differ is marked, and the script exits 1.

Records/s: records over the whole command's wall time, engine builds, cluster start
and store creation included. "CPU s": user + system time of the command and every
process it waited for (os.wait4), so Dask's worker processes count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "pg"))

import run as benchrun  # noqa: E402  (machine(), run(), load())

AS_OF = "2026-03-01T00:00:00Z"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def normalized(path: str) -> list[bytes]:
    with open(path, "rb") as fh:
        return [re.sub(rb'"evaluated_at":"[^"]*"', b'"evaluated_at":""', x) for x in fh]


def pg_supported(env: dict) -> bool:
    """The library's PostgreSQL backend, asked through the binding (in a child: the
    binding is on --python's path, not necessarily this interpreter's)."""
    code = r"""
import idrisk, sys, tempfile
for k, v in idrisk.features().items():
    if "postgres" in k or k == "pg":
        sys.exit(0 if v else 1)
d = tempfile.mkdtemp()
try:
    idrisk.Store("postgresql:///x?host=" + d, key_path=d + "/k").close()
except idrisk.IdriskError as e:
    t = str(e).lower()
    ok = ("postgres" in t or "connect" in t) and "without" not in t and "no store at" not in t
    sys.exit(0 if ok and e.code != idrisk.errors.EUNAVAILABLE else 1)
"""
    return subprocess.run([sys.executable, "-c", code], env=env).returncode == 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--idrisk", default=os.path.join(ROOT, "build-rel", "idrisk"))
    ap.add_argument("--python", default=os.path.join(ROOT, "build-rel", "python"),
                    help="directory holding the built binding (PYTHONPATH)")
    ap.add_argument("--data-dir", default=os.environ.get("IDRISK_DATA_DIR"))
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--in", dest="inp", help="a population to use as it is")
    ap.add_argument("--repeat", type=int, default=1, help="runs per row; the fastest is kept")
    ap.add_argument("--blocksize", type=float, default=8.0, help="Dask partition size, MiB")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-pg", action="store_true")
    ap.add_argument("--work", help="directory for the runs (default: a temporary one)")
    ap.add_argument("--out", help="also write the table (markdown) to this file")
    a = ap.parse_args()
    if not a.data_dir:
        ap.error("--data-dir (or IDRISK_DATA_DIR) is needed")
    work = a.work or tempfile.mkdtemp(prefix="idrisk-scale-")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ)
    env["PYTHONPATH"] = a.python + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["IDRISK_DATA_DIR"] = a.data_dir
    env.setdefault("IDRISK_LISTS_DIR", os.path.join(ROOT, "data"))

    pop = a.inp
    if not pop:
        pop = os.path.join(work, "pop.jsonl")
        log("generating %d hires (seed %d)" % (a.n, a.seed))
        subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen-population.py"),
                        "--n", str(a.n), "--seed", str(a.seed), "--data-dir", a.data_dir,
                        "--out", pop, "--truth", os.path.join(work, "truth.json")],
                       check=True, capture_output=True)
    records = benchrun.count_lines(pop)
    mib = os.path.getsize(pop) / 1048576
    use_pg = not a.no_pg and pg_supported(env)
    import pgcluster

    if use_pg and not pgcluster.available():
        log("PostgreSQL is not installed: the PostgreSQL rows are left out")
        use_pg = False
    load0 = benchrun.load()

    def batch(tag: str, db: str, jobs: int, key: str | None = None) -> dict:
        out = os.path.join(work, tag + ".jsonl")
        cmd = [a.idrisk, "batch", "--in", pop, "--db", db, "--out", out, "--restart",
               "--as-of", AS_OF, "--data-dir", a.data_dir, "--jobs", str(jobs), "-q"]
        if key:
            cmd += ["--store-key", key]
        r = benchrun.run(cmd, out + ".log", env)
        r["out"] = out
        return r

    def dask(tag: str, db: str, key: str) -> dict:
        out = os.path.join(work, tag + ".jsonl")
        cmd = [sys.executable, os.path.join(ROOT, "examples", "dask", "rescore.py"),
               "--in", pop, "--out", out, "--db", db, "--store-key", key,
               "--local-workers", str(a.workers), "--data-dir", a.data_dir,
               "--as-of", AS_OF, "--blocksize", str(a.blocksize), "--restart"]
        r = benchrun.run(cmd, out + ".log", env)
        r["out"] = out
        m = re.search(r"; ([0-9.]+) s, [0-9]+ records/s", r["stderr"])
        r["inner_s"] = float(m.group(1)) if m else None
        return r

    def fresh_sqlite(tag: str) -> tuple[str, str]:
        db = os.path.join(work, tag + ".db")
        for suffix in ("", "-wal", "-shm", ".key"):
            if os.path.exists(db + suffix):
                os.unlink(db + suffix)
        return db, db + ".key"

    def with_pg(fn):
        def go() -> dict:
            with pgcluster.Cluster() as pg:
                return fn(pg.uri, os.path.join(pg.base, "store.key"))
        return go

    rows: list[tuple[str, dict]] = []
    plan = [
        ("idrisk batch --db SQLite --jobs 1",
         lambda: batch("sqlite-j1", fresh_sqlite("sqlite-j1")[0], 1)),
        ("idrisk batch --db SQLite --jobs 2",
         lambda: batch("sqlite-j2", fresh_sqlite("sqlite-j2")[0], 2)),
        ("idrisk.dask, %d workers, SQLite" % a.workers,
         lambda: dask("dask-sqlite", *fresh_sqlite("dask-sqlite"))),
    ]
    cli_help = subprocess.run([a.idrisk, "batch", "--help"], capture_output=True, text=True)
    if use_pg:
        if "--store-key" in cli_help.stdout + cli_help.stderr:
            plan.append(("idrisk batch --db PostgreSQL --jobs 1",
                         with_pg(lambda uri, key: batch("pg-j1", uri, 1, key))))
            plan.append(("idrisk batch --db PostgreSQL --jobs 2",
                         with_pg(lambda uri, key: batch("pg-j2", uri, 2, key))))
        plan.append(("idrisk.dask, %d workers, PostgreSQL" % a.workers,
                     with_pg(lambda uri, key: dask("dask-pg", uri, key))))
    ok = True
    reference = None
    for name, fn in plan:
        log("running: %s" % name)
        r = benchrun.fastest(a.repeat, fn)
        if r["rc"] != 0:
            log("%s failed (exit %d):\n%s" % (name, r["rc"], r["stderr"][-2000:]))
            ok = False
            r["same"] = "failed"
        else:
            got = normalized(r["out"])
            if reference is None:
                reference = got
                r["same"] = "reference"
            else:
                r["same"] = "yes" if got == reference else "NO"
                ok = ok and got == reference
        rows.append((name, r))

    m = benchrun.machine()
    lines = [
        "# Batch rescoring with the linkage store: records/s (bench/scale.py)",
        "",
        "%s; %d records (%.0f MiB, %s); %s" % (
            dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), records, mib,
            "--in %s" % a.inp if a.inp else "gen-population --n %d --seed %d" % (a.n, a.seed),
            "Dask partitions of %g MiB" % a.blocksize),
        "Machine: %s, %d cores, %.1f GiB RAM, %s, kernel %s; load average %s at the start, "
        "%s at the end" % (m["cpu"], m["cores"], m["ram_gib"], m["os"], m["kernel"], load0,
                           benchrun.load()),
        "",
        "| run | wall s | records/s | CPU s | records/CPU-s | results equal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, r in rows:
        if r["rc"] != 0:
            lines.append("| %s | - | - | - | - | failed (exit %d) |" % (name, r["rc"]))
            continue
        inner = ""
        if r.get("inner_s"):
            inner = " (%.0f/s without the cluster's start)" % (records / r["inner_s"])
        lines.append("| %s | %.1f | %.0f%s | %.1f | %.0f | %s |" % (
            name, r["wall_s"], records / r["wall_s"], inner, r["cpu_s"],
            records / r["cpu_s"] if r["cpu_s"] else 0, r["same"]))
    if not use_pg:
        lines.append("")
        lines.append("PostgreSQL rows left out: %s." % (
            "--no-pg" if a.no_pg else "the library has no PostgreSQL backend"))
    text = "\n".join(lines) + "\n"
    print(text)
    if a.out:
        with open(a.out, "w") as fh:
            fh.write(text)
    if not a.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
