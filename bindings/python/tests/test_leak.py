# SPDX-License-Identifier: Apache-2.0
"""No memory leak over 100,000 calls: resident memory stays flat after a warm-up.

A leak of a C result, its JSON text or an error path would grow RSS by at least the
size of what leaks per call times 100,000 (a 7 KiB result: 700 MB); the tolerance below
allows for allocator noise only.
"""

from __future__ import annotations

import json
import os
import time

import idrisk

from conftest import minimal

PAGE = os.sysconf("SC_PAGE_SIZE")
CALLS = 100_000
WARMUP = 2_000
# Allocator noise after warm-up (arena growth, Python free lists); a 40-byte-per-call
# leak would already exceed it.
TOLERANCE = 4 * 1024 * 1024


def rss() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


def test_no_leak_over_100000_calls(engine, report):
    ok = json.dumps(minimal(contacts={"emails": ["pat@example.org"]})).encode()
    bad_json = b'{"candidate_id": "x", '
    protected = json.dumps(minimal(identity={"nationality": "x"})).encode()
    # Most calls are full scores (results with reasons, enrichment and data lists);
    # every 10th exercises an error path so its cleanup is covered too, and every 10th
    # goes through a parsed Candidate (its own C handle).
    def call(i):
        if i % 10 == 5:
            with engine.parse(ok) as cand:
                engine.score(cand)
            return
        if i % 10 == 3:
            try:
                engine.score(bad_json if i % 20 == 3 else protected)
            except idrisk.InvalidInputError:
                return
            raise AssertionError("bad input was accepted")
        r = engine.score(ok)
        if i % 100 == 0:
            assert r.reasons == () and r.not_evaluated  # parse the lazy views too

    for i in range(WARMUP):
        call(i)
    base = rss()
    samples = []
    t0 = time.perf_counter()
    for i in range(CALLS):
        call(i)
        if i % 10_000 == 9_999:
            samples.append(rss() - base)
    elapsed = time.perf_counter() - t0
    report(
        "leak check: %d calls in %.1f s, RSS growth after warm-up (KiB): %s"
        % (CALLS, elapsed, [s // 1024 for s in samples])
    )
    assert max(samples) <= TOLERANCE, samples
