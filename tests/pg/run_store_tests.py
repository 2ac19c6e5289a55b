#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The store's C unit tests (tests/unit/test_store.c) against PostgreSQL: a throwaway
cluster, its URI in IDRISK_TEST_STORE_URI, the tests one at a time (each starts from
an empty database). Usage: run_store_tests.py TEST_STORE_BINARY."""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgtest  # noqa: E402

pgtest.require_postgres()
with pgtest.pgcluster.Cluster(fsync=False) as pg:
    env = dict(os.environ, IDRISK_TEST_STORE_URI=pg.uri)
    rc = subprocess.run([sys.argv[1], "--jobs", "1"] + sys.argv[2:], env=env).returncode
sys.exit(rc)
