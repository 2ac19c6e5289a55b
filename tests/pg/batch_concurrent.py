#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Two `idrisk batch` processes write one PostgreSQL store at once, each half of a
population whose rings are split between the halves (odd and even lines), so that
records sharing identifiers are recorded by different processes. Afterwards the store
counts every record, and every record rescored read-only against it (the Python
binding, one Store opened readonly) has exactly the links that a single-process SQLite
run gives: no record and no link lost."""

import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtest  # noqa: E402

a = pgtest.args()
pgtest.require_postgres()
import idrisk  # noqa: E402  (PYTHONPATH: the build tree's binding)

N = 2000
tmp = tempfile.mkdtemp(prefix="idrisk-pg-conc-")
try:
    pop = os.path.join(tmp, "pop.jsonl")
    pgtest.population(a, pop, N, 7)
    with open(pop, encoding="utf-8") as f:
        lines = [ln for ln in f if ln.strip()]
    halves = []
    for h in range(2):
        p = os.path.join(tmp, "half%d.jsonl" % h)
        with open(p, "w", encoding="utf-8") as f:
            f.writelines(lines[h::2])
        halves.append(p)
    key = os.path.join(tmp, "store.key")
    pgtest.make_key(key)
    db = os.path.join(tmp, "store.db")
    pgtest.cli(a, "batch", "--in", pop, "--db", db, "--store-key", key, "--out",
               os.path.join(tmp, "lite.jsonl"), "-q")
    lite = pgtest.results(os.path.join(tmp, "lite.jsonl"))
    want = pgtest.link_set(lite)
    if not want:
        pgtest.fail("the SQLite run found no links: the population has no rings")
    # rings split between the halves: some links join records of different halves
    half_of = {r["candidate_id"]: i % 2 for i, r in enumerate(lite)}
    across = {x for x in want if half_of[x[0]] != half_of[x[1]]}
    if not across:
        pgtest.fail("no link joins the two halves: the test would not test anything")
    with pgtest.pgcluster.Cluster(fsync=False) as pg:
        # the store created first, so that both batches find it (either may win the
        # race otherwise, which the library also handles, but not what this tests)
        procs = [pgtest.popen(a, "batch", "--in", halves[h], "--db", pg.uri,
                              "--store-key", key, "--out",
                              os.path.join(tmp, "out%d.jsonl" % h), "--jobs", "1", "-q")
                 for h in range(2)]
        for h, p in enumerate(procs):
            _, err = p.communicate(timeout=600)
            if p.returncode != 0:
                pgtest.fail("batch of half %d: exit %d\n%s" % (h, p.returncode, err))
        stats = pgtest.cli(a, "store", "stats", "--json", "--db", pg.uri, "--store-key",
                           key).stdout
        import json
        n = json.loads(stats)["candidates"]
        if n != N:
            pgtest.fail("the store counts %d candidates, expected %d" % (n, N))
        eng = idrisk.Engine(data_dir=a.data_dir,
                            lists_dir=os.path.join(a.source_dir, "data"))
        got = []
        with idrisk.Store(pg.uri, key_path=key, readonly=True) as st:
            for ln in lines:
                res = eng.score(eng.parse(ln, store=st), store=st)
                got.append({"candidate_id": res.candidate_id, "links": res.links,
                            "score": res.score})
    have = pgtest.link_set(got)
    if have != want:
        pgtest.fail("links differ: %d lost %s, %d extra %s" % (
            len(want - have), sorted(want - have)[:5], len(have - want),
            sorted(have - want)[:5]))
    for x, y in zip(lite, got):
        if x["score"] != y["score"]:
            pgtest.fail("%s: score %s through SQLite, %s rescored against PostgreSQL"
                        % (x["candidate_id"], x["score"], y["score"]))
    print("ok: %d candidates, %d links (%d across the halves), none lost" % (
        n, len(have), len(across)))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
