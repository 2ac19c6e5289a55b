# SPDX-License-Identifier: Apache-2.0
"""idrisk.dask against the real services: a Dask LocalCluster of two worker processes,
a SQLite store file and (when the library has the PostgreSQL backend) a throwaway
PostgreSQL cluster from tests/pg/pgcluster.py.

What it shows, on 2,000 generated hires (tools/gen-population.py --n 2000 --seed 7,
rings sharing identifiers) with refused records and candidate_ids repeated across
partitions inserted:
- the Dask run equals the single-process ``idrisk batch --db`` run: results identical
  apart from evaluated_at, errors file byte-identical (line numbers included);
- a run stopped after some partitions and rerun gives the same final output, keeps the
  first run's as_of, and does not redo the partitions already done;
- repeated candidate_ids end as idrisk batch leaves them whatever the schedule;
- examples/dask/rescore.py works end to end (exit status, rerun, another run refused);
- the same through PostgreSQL.

Run by ctest `python_dask` (tests/python.cmake), which sets IDRISK_CLI, IDRISK_DATA_DIR,
IDRISK_LISTS_DIR and PYTHONPATH to the build tree's binding.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

import idrisk
import idrisk.dask as idask

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "pg"))

AS_OF = "2026-03-01T00:00:00Z"
BLOCKSIZE = 1 << 20  # about ten partitions of the 10 MB population


def cli() -> str:
    path = os.environ.get("IDRISK_CLI")
    if not path:
        pytest.fail("IDRISK_CLI is not set (run through ctest)")
    return path


def data_dir() -> str:
    d = os.environ.get("IDRISK_DATA_DIR")
    if not d or not os.path.isdir(d):
        pytest.fail("IDRISK_DATA_DIR is not set to the fetched databases")
    return d


def normalized(path) -> list[bytes]:
    with open(path, "rb") as fh:
        return [re.sub(rb'"evaluated_at":"[^"]*"', b'"evaluated_at":""', line) for line in fh]


def run_batch(inp, out, db, as_of, extra=()) -> subprocess.CompletedProcess:
    p = subprocess.run(
        [cli(), "batch", "--in", str(inp), "--db", db, "--out", str(out), "--as-of", as_of,
         "--data-dir", data_dir(), "--jobs", "1", "-q", *extra],
        capture_output=True, text=True,
    )
    assert p.returncode == 3, p.stderr  # 3: ran to its end, some records refused
    return p


@pytest.fixture(scope="module")
def population(tmp_path_factory) -> pathlib.Path:
    """The population with refused records and repeated candidate_ids inserted."""
    d = tmp_path_factory.mktemp("pop")
    raw = d / "raw.jsonl"
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen-population.py"), "--n", "2000",
         "--seed", "7", "--data-dir", data_dir(), "--out", str(raw),
         "--truth", str(d / "truth.json")],
        check=True, capture_output=True,
    )
    lines = raw.read_bytes().split(b"\n")[:-1]
    out = list(lines)
    out.insert(100, b'{"candidate_id":"bad-1","identity":{"nationality":"KP"}}')
    out.insert(700, b"not json at all")
    out.insert(1200, b"   ")
    out.insert(1201, b'{"candidate_id": 5}')
    # The same candidate_id again, later in the input (another partition), now with
    # the phone of hire 50: the store must keep this later record (hire 50 then links
    # to it), as idrisk batch does.
    def phone(i):
        return json.loads(lines[i])["contacts"]["phones"][0]["number"]

    d3 = json.loads(lines[3])
    d3["contacts"]["phones"][0]["number"] = phone(50)
    out.append(json.dumps(d3).encode())
    # ... and one first seen early with the phone of hire 60, then again as generated
    # much later: the early one must not be what the store keeps (no link for 60).
    d15 = json.loads(lines[1500])
    d15["contacts"]["phones"][0]["number"] = phone(60)
    out.insert(10, json.dumps(d15).encode())
    path = d / "pop.jsonl"
    path.write_bytes(b"\n".join(out) + b"\n")
    return path


@pytest.fixture(scope="module")
def client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                      dashboard_address=None) as lc, Client(lc) as c:
        yield c


@pytest.fixture(scope="module")
def reference(population, tmp_path_factory) -> pathlib.Path:
    d = tmp_path_factory.mktemp("ref")
    run_batch(population, d / "ref.jsonl", str(d / "ref.db"), AS_OF)
    return d / "ref.jsonl"


def options():
    return {"data_dir": data_dir()}


def assert_same(reference, out) -> None:
    ref, got = normalized(reference), normalized(out)
    assert len(got) == len(ref) == 2002
    assert got == ref
    # byte for byte, line numbers included
    assert pathlib.Path(str(out) + ".errors").read_bytes() == \
        pathlib.Path(str(reference) + ".errors").read_bytes()


def test_plan_cuts_whole_lines(population):
    parts = idask.plan([population], BLOCKSIZE)
    data = population.read_bytes()
    assert len(parts) >= 8
    assert parts[0].start == 0 and parts[-1].end == len(data)
    for a, b in zip(parts, parts[1:]):
        assert a.end == b.start and data[a.end - 1:a.end] == b"\n"
    assert idask.plan([population], BLOCKSIZE) == parts


def test_dask_equals_batch_sqlite(population, client, reference, tmp_path):
    out = tmp_path / "dask.jsonl"
    s = idask.score_jsonl(population, out, store=str(tmp_path / "s.db"), client=client,
                          blocksize=BLOCKSIZE, engine_options=options(), as_of=AS_OF)
    assert s.complete and s.partitions >= 8
    assert s.indexed_partitions == s.scored_partitions == s.partitions
    assert s.counts["scored"] == 2002 and s.counts["failed"] == 3
    assert s.counts["linked"] > 0  # the rings link
    assert s.rerecorded >= 2  # both repeated candidate_ids recorded from their last line
    assert_same(reference, out)
    errs = [json.loads(x) for x in (tmp_path / "dask.jsonl.errors").read_text().splitlines()]
    assert [(e["line"], e["candidate_id"], e["field"]) for e in errs] == [
        (102, "bad-1", "identity.nationality"),
        (702, None, None),
        (1203, None, "candidate_id"),
    ]


def test_resume(population, client, tmp_path):
    out = tmp_path / "r.jsonl"
    store = str(tmp_path / "r.db")
    kw = dict(store=store, client=client, blocksize=BLOCKSIZE, engine_options=options())
    # "killed" after three partitions were indexed; as_of: the run's start
    s1 = idask.score_jsonl(population, out, stop_after=("index", 3), **kw)
    assert not s1.complete and s1.indexed_partitions == 3 and not out.exists()
    n = s1.partitions
    # rerun: the three are not indexed again; "killed" after four partitions scored
    s2 = idask.score_jsonl(population, out, stop_after=("score", 4), **kw)
    assert s2.as_of == s1.as_of  # kept in the manifest
    assert s2.indexed_partitions == n - 3 and s2.scored_partitions == 4
    assert not out.exists()
    # one finished partition's results lost: it alone is done again
    (tmp_path / "r.jsonl.parts" / "score" / "p000001.jsonl").unlink()
    s3 = idask.score_jsonl(population, out, **kw)
    assert s3.complete and s3.indexed_partitions == 0 and s3.scored_partitions == n - 3
    # complete: a rerun redoes nothing and writes the same
    first = out.read_bytes()
    s4 = idask.score_jsonl(population, out, **kw)
    assert s4.indexed_partitions == s4.scored_partitions == 0
    assert out.read_bytes() == first
    # equal to an uninterrupted single-process run at the same instant
    ref = tmp_path / "ref.jsonl"
    run_batch(population, ref, str(tmp_path / "ref.db"), s1.as_of)
    assert_same(ref, out)
    # another as_of is another run: refused, not mixed in
    with pytest.raises(ValueError, match="another run: as_of differs"):
        idask.score_jsonl(population, out, as_of="2020-01-01", **kw)
    # a store deleted since partitions were indexed into it: refused
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(store + suffix):
            os.unlink(store + suffix)
    with pytest.raises(ValueError, match="indexing into is gone"):
        idask.score_jsonl(population, out, **kw)


class _Done:
    def __init__(self, value):
        self.value = value

    def release(self):
        pass


class ReversedClient:
    """Runs every phase's partitions in this process, last partition first: the
    schedule under which the store would keep an earlier record of a repeated
    candidate_id if nothing put the later one back."""

    def map(self, fn, *iterables, pure=True):
        calls = list(zip(*iterables))
        done = {i: _Done(fn(*calls[i])) for i in reversed(range(len(calls)))}
        return [done[i] for i in range(len(calls))]

    def gather(self, futures):
        return [f.value for f in futures]

    def run(self, fn, *args):
        return {"local": fn(*args)}


def test_repeated_ids_whatever_the_schedule(population, reference, tmp_path):
    out = tmp_path / "rev.jsonl"
    s = idask.score_jsonl(population, out, store=str(tmp_path / "rev.db"),
                          client=ReversedClient(), blocksize=BLOCKSIZE,
                          engine_options=options(), as_of=AS_OF)
    assert s.complete and s.rerecorded == 2
    assert_same(reference, out)


def test_a_changed_input_is_refused(population, client, tmp_path):
    inp = tmp_path / "in.jsonl"
    inp.write_bytes(population.read_bytes())
    out = tmp_path / "c.jsonl"
    kw = dict(store=str(tmp_path / "c.db"), client=client, blocksize=BLOCKSIZE,
              engine_options=options(), as_of=AS_OF)
    idask.score_jsonl(inp, out, stop_after=("index", 2), **kw)
    data = bytearray(inp.read_bytes())
    i = data.index(b'"candidate_id":"pop-0000')  # same size, other bytes
    data[i + 17:i + 20] = b"pox"
    inp.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="changed since they were indexed"):
        idask.score_jsonl(inp, out, **kw)


def test_rescore_command(population, tmp_path):
    """examples/dask/rescore.py: exit 3 with refused records, the summary line, and a
    rerun that does nothing again."""
    inp = tmp_path / "small.jsonl"
    inp.write_bytes(b"".join(population.read_bytes().splitlines(keepends=True)[95:260]))
    out = tmp_path / "small-out.jsonl"
    cmd = [sys.executable, str(ROOT / "examples" / "dask" / "rescore.py"), "--in", str(inp),
           "--out", str(out), "--db", str(tmp_path / "small.db"), "--store-key",
           str(tmp_path / "small.db.key"), "--local-workers", "2", "--data-dir", data_dir(),
           "--as-of", AS_OF, "--blocksize", "0.2"]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert p.returncode == 3, p.stderr
    assert "165 records, 164 scored, 1 failed" in p.stderr
    assert len(out.read_bytes().splitlines()) == 164
    err = json.loads((tmp_path / "small-out.jsonl.errors").read_text())
    assert (err["line"], err["candidate_id"]) == (7, "bad-1")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert p.returncode == 3 and "(0 indexed, 0 scored by this run)" in p.stderr, p.stderr
    p = subprocess.run(cmd[:-4] + ["--blocksize", "1"], capture_output=True, text=True)
    assert p.returncode == 2 and "belongs to another run" in p.stderr


def test_redact():
    assert idask.redact("/var/lib/s.db") == "/var/lib/s.db"
    assert idask.redact("postgresql://u:secret@db/x?sslmode=require&password=p") == \
        "postgresql://u@db/x?sslmode=require"


# ---------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------


def pg_supported() -> bool:
    """Whether this library has the PostgreSQL backend. A build without it fails the
    PostgreSQL test unless IDRISK_ALLOW_SKIP_PG=1 (the README's set-up installs
    libpq-dev, so CI always has it)."""
    if idrisk.features()["postgresql"]:
        return True
    assert os.environ.get("IDRISK_ALLOW_SKIP_PG") == "1", \
        "libidrisk was built without PostgreSQL support (tools/setup-debian.sh installs libpq-dev)"
    return False


def test_dask_equals_batch_postgresql(population, client, reference, tmp_path):
    import pgcluster

    if not pg_supported():
        pytest.skip("libidrisk built without PostgreSQL support")
    assert pgcluster.available(), "PostgreSQL is not installed (tools/setup-debian.sh)"
    key = tmp_path / "pg.key"
    with pgcluster.Cluster() as pg:
        out = tmp_path / "pg.jsonl"
        s = idask.score_jsonl(population, out, store=pg.uri, key_path=key, client=client,
                              blocksize=BLOCKSIZE, engine_options=options(), as_of=AS_OF)
        assert s.complete and s.indexed_partitions == s.partitions
        # the manifest never holds more of the location than redact() leaves
        manifest = json.loads((tmp_path / "pg.jsonl.parts" / "manifest.json").read_text())
        assert manifest["store"] == idask.redact(pg.uri)
        assert_same(reference, out)
        # the single-process batch on the same PostgreSQL store (recording again
        # replaces each record by itself) gives the same
        ref = tmp_path / "pgref.jsonl"
        run_batch(population, ref, pg.uri, AS_OF, ["--store-key", str(key)])
        assert_same(ref, out)
