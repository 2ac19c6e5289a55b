#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The same population scored by `idrisk batch --db` into a SQLite file and into a
PostgreSQL store, with the same key file, gives the same result lines apart from
evaluated_at; `store stats` of both count the same."""

import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtest  # noqa: E402

a = pgtest.args()
pgtest.require_postgres()
tmp = tempfile.mkdtemp(prefix="idrisk-pg-eq-")
try:
    pop = os.path.join(tmp, "pop.jsonl")
    pgtest.population(a, pop, 2000, 7)
    key = os.path.join(tmp, "store.key")
    pgtest.make_key(key)
    db = os.path.join(tmp, "store.db")
    pgtest.cli(a, "batch", "--in", pop, "--db", db, "--store-key", key, "--out",
               os.path.join(tmp, "lite.jsonl"), "-q")
    with pgtest.pgcluster.Cluster(fsync=False) as pg:
        pgtest.cli(a, "batch", "--in", pop, "--db", pg.uri, "--store-key", key, "--out",
                   os.path.join(tmp, "pg.jsonl"), "-q")
        stats_pg = json.loads(pgtest.cli(a, "store", "stats", "--json", "--db", pg.uri,
                                         "--store-key", key).stdout)
    stats_lite = json.loads(pgtest.cli(a, "store", "stats", "--json", "--db", db,
                                       "--store-key", key).stdout)
    lite = pgtest.results(os.path.join(tmp, "lite.jsonl"))
    pgr = pgtest.results(os.path.join(tmp, "pg.jsonl"))
    if len(lite) != 2000 or len(pgr) != 2000:
        pgtest.fail("%d and %d results, expected 2000 each" % (len(lite), len(pgr)))
    for i, (x, y) in enumerate(zip(lite, pgr)):
        if pgtest.without_time(x) != pgtest.without_time(y):
            pgtest.fail("line %d differs:\nSQLite     %s\nPostgreSQL %s"
                        % (i + 1, pgtest.without_time(x), pgtest.without_time(y)))
    links = pgtest.link_set(lite)
    if not links:
        pgtest.fail("no links at all: the population's rings were not linked")
    for k in ("schema_version", "candidates", "identifiers", "photos", "resumes"):
        if stats_lite[k] != stats_pg[k]:
            pgtest.fail("stats %s: SQLite %s, PostgreSQL %s" % (k, stats_lite[k],
                                                                stats_pg[k]))
    print("ok: 2000 identical results, %d links; stats %s" % (
        len(links), json.dumps({k: stats_pg[k] for k in ("candidates", "photos")})))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
