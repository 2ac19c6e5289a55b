#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Rescore JSON Lines on a Dask cluster, linked against one shared store: the
command-line face of ``idrisk.dask.score_jsonl`` (docs/scaling.md).

  /usr/bin/python3 examples/dask/rescore.py --in hires.jsonl [--in more.jsonl] \\
      --out results.jsonl --db STORE --store-key KEYFILE \\
      (--scheduler tcp://HOST:8786 | --local-workers N) \\
      [--data-dir DIR] [--as-of T] [--blocksize MiB] [--restart]

STORE is a SQLite file path or a ``postgresql://`` URI; put the password in
``~/.pgpass`` or ``PGPASSWORD`` (libpq reads them), never in the URI on a command
line. KEYFILE must be readable (mode 0600) at the same path on every worker.

Exit status as ``idrisk batch``: 0 every record scored, 3 some records refused (see
the errors file), 2 bad usage or a work directory of another run, 1 anything else.
Rerunning the same command after a kill resumes from the partitions already done.
"""

from __future__ import annotations

import argparse
import sys

import idrisk
import idrisk.dask


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(
        prog="rescore.py", description="Index then score JSON Lines on a Dask cluster."
    )
    ap.add_argument("--in", dest="inputs", action="append", required=True, metavar="FILE")
    ap.add_argument("--out", required=True, metavar="RESULTS.jsonl")
    ap.add_argument("--errors", metavar="ERRORS.jsonl", help="default: RESULTS.jsonl.errors")
    ap.add_argument("--db", required=True, metavar="STORE", help="SQLite path or postgresql:// URI")
    ap.add_argument("--store-key", required=True, metavar="KEYFILE")
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler")
    where.add_argument("--local-workers", type=int, metavar="N", help="a LocalCluster here")
    ap.add_argument("--data-dir", metavar="DIR")
    ap.add_argument("--rules", metavar="FILE")
    ap.add_argument(
        "--as-of", metavar="T", help="date or RFC 3339 instant; default: the run's start"
    )
    ap.add_argument("--blocksize", type=float, default=16, metavar="MiB")
    ap.add_argument("--restart", action="store_true", help="discard a previous run's work")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.local_workers is not None and a.local_workers < 1:
        ap.error("--local-workers must be at least 1")
    if a.blocksize <= 0:
        ap.error("--blocksize must be positive")

    from distributed import Client, LocalCluster

    options = {k: v for k, v in (("data_dir", a.data_dir), ("rules", a.rules)) if v}
    cluster = None
    if a.scheduler:
        client = Client(a.scheduler)
    else:
        cluster = LocalCluster(n_workers=a.local_workers, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        s = idrisk.dask.score_jsonl(
            a.inputs,
            a.out,
            store=a.db,
            key_path=a.store_key,
            client=client,
            blocksize=max(1, int(a.blocksize * (1 << 20))),
            engine_options=options,
            as_of=a.as_of,
            resume=not a.restart,
            errors=a.errors,
        )
    except ValueError as e:
        print("rescore: %s" % e, file=sys.stderr)
        return 2
    except (idrisk.IdriskError, OSError) as e:
        print("rescore: %s" % e, file=sys.stderr)
        return 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    c = s.counts
    if not a.quiet:
        print(
            "rescore: %d records, %d scored, %d failed%s; bands: low %d, medium %d, "
            "high %d, critical %d; %d indexed, %d linked to others (%d links); "
            "%d partitions (%d indexed, %d scored by this run); as_of %s; %.1f s, "
            "%.0f records/s"
            % (
                s.records,
                c.get("scored", 0),
                c.get("failed", 0),
                " (see %s)" % s.errors if c.get("failed") else "",
                c.get("low", 0),
                c.get("medium", 0),
                c.get("high", 0),
                c.get("critical", 0),
                s.indexed,
                c.get("linked", 0),
                c.get("links", 0),
                s.partitions,
                s.indexed_partitions,
                s.scored_partitions,
                s.as_of,
                s.seconds,
                s.records / s.seconds if s.seconds > 0 else 0.0,
            ),
            file=sys.stderr,
        )
    return 3 if c.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
