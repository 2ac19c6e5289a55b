# SPDX-License-Identifier: Apache-2.0
"""engine.score_iter: the streaming form of score_many (issue 12).

The same results as score_many, in input order, records read only as results are
taken (a bounded window in flight with workers), errors in order, and peak RSS that
does not grow with the number of records (measured in child processes: a memory bound,
never a timing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import idrisk

from conftest import EXAMPLES


def _comparable(results):
    """The results without evaluated_at, which is the time of each call."""
    out = []
    for r in results:
        d = r.to_dict()
        d.pop("evaluated_at", None)
        out.append(json.dumps(d, sort_keys=True))
    return out


def test_score_iter_equals_score_many(engine):
    records = [p.read_bytes() for p in EXAMPLES] * 3
    many = engine.score_many(records)
    serial = list(engine.score_iter(records))
    pooled = list(engine.score_iter(iter(records), workers=3, window=2))
    wide = list(engine.score_iter(records, workers=2, window=100))
    want = _comparable(many)
    assert len(want) == len(records)
    assert _comparable(serial) == want
    assert _comparable(pooled) == want
    assert _comparable(wide) == want
    assert [r.candidate_id for r in pooled] == [r.candidate_id for r in many]


class _Counting:
    """An iterator over records that counts how many were taken."""

    def __init__(self, records):
        self._it = iter(records)
        self.taken = 0

    def __iter__(self):
        return self

    def __next__(self):
        rec = next(self._it)
        self.taken += 1
        return rec


@pytest.mark.parametrize("workers,window", [(1, None), (2, 3), (3, None)])
def test_score_iter_reads_ahead_only_its_window(engine, workers, window):
    records = [p.read_bytes() for p in EXAMPLES] * 20
    src = _Counting(records)
    it = engine.score_iter(src, workers=workers, window=window)
    assert src.taken == 0  # nothing read before the first result is asked for
    bound = 1 if workers == 1 else (window or 32 * workers)
    for k in range(1, 6):
        next(it)
        assert src.taken <= k - 1 + bound, (k, src.taken)
    rest = list(it)
    assert src.taken == len(records) and len(rest) == len(records) - 5


@pytest.mark.parametrize("workers", [1, 2])
def test_score_iter_error_in_order(engine, workers):
    good = [p.read_bytes() for p in EXAMPLES][:2]
    it = engine.score_iter(good + [b"{"] + good, workers=workers)
    got = [next(it), next(it)]
    assert [r.candidate_id for r in got] == [json.loads(g)["candidate_id"] for g in good]
    with pytest.raises(idrisk.InvalidInputError):
        next(it)


def test_score_iter_checks_arguments_at_the_call(engine):
    with pytest.raises(ValueError, match="workers"):
        engine.score_iter([], workers=0)
    with pytest.raises(ValueError, match="window"):
        engine.score_iter([], workers=2, window=0)
    assert list(engine.score_iter([], workers=2)) == []


# A child process scores N records made from the examples (each with its own
# candidate_id), taking results one at a time (iter) or as one list (many), and prints
# its peak RSS in KiB.
CHILD = textwrap.dedent(
    """
    import json, resource, sys
    import idrisk
    mode, n, workers, paths = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    base = [json.loads(open(p, "rb").read()) for p in paths]
    def records():
        for i in range(n):
            rec = dict(base[i % len(base)])
            rec["candidate_id"] = "stream-%06d" % i
            yield json.dumps(rec).encode()
    with idrisk.Engine() as eng:
        if mode == "iter":
            done = sum(1 for _ in eng.score_iter(records(), workers=workers))
        else:
            done = len(eng.score_many(records(), workers=workers))
    assert done == n, done
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    """
)

SMALL, LARGE = 4_000, 16_000
# What 12,000 more results would hold if kept (several KiB each: tens of MiB) against
# allocator noise; the score_many control shows the measurement sees such growth.
GROWTH_LIMIT_KB = 24 * 1024


def _peak_rss_kb(mode: str, n: int, workers: int) -> int:
    paths = [str(p) for p in EXAMPLES]
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(n), str(workers)] + paths,
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return int(out.stdout.strip().splitlines()[-1])


def test_score_iter_rss_flat_in_n(report):
    small = _peak_rss_kb("iter", SMALL, 2)
    large = _peak_rss_kb("iter", LARGE, 2)
    many_small = _peak_rss_kb("many", SMALL, 1)
    many_large = _peak_rss_kb("many", LARGE, 1)
    report(
        "score_iter peak RSS: %d KiB at %d records, %d KiB at %d; score_many: %d KiB, %d KiB"
        % (small, SMALL, large, LARGE, many_small, many_large)
    )
    assert large - small < GROWTH_LIMIT_KB, (small, large)
    # the control: holding every result grows well past the limit
    assert many_large - many_small > GROWTH_LIMIT_KB, (many_small, many_large)
