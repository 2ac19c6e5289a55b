# SPDX-License-Identifier: Apache-2.0
"""Threads sharing one engine score in parallel (cffi releases the GIL around C calls)."""

from __future__ import annotations

import threading
import time

import pytest

import idrisk
from idrisk import _build

from conftest import EXAMPLES, data_dir


def run_threads(engine, records, n_threads, rounds):
    out: list[list[str]] = [[] for _ in range(n_threads)]
    errors: list[BaseException] = []
    start = threading.Barrier(n_threads + 1)

    def work(k):
        try:
            start.wait()
            for _ in range(rounds):
                for rec in records:
                    r = engine.score(rec)
                    out[k].append("%s %d %s %s %s" % (
                        r.candidate_id, r.score, r.band, r.action,
                        ",".join(x.id for x in r.reasons)))
        except BaseException as exc:  # reported below, never swallowed
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(n_threads)]
    for t in threads:
        t.start()
    start.wait()
    t0, c0 = time.perf_counter(), time.process_time()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    run_threads.cpu_per_wall = (time.process_time() - c0) / elapsed  # type: ignore[attr-defined]
    assert not errors, errors
    return out, elapsed


def test_threads_share_one_engine(engine, report):
    records = [p.read_bytes() for p in EXAMPLES]
    expected = [
        "%s %d %s %s %s" % (r.candidate_id, r.score, r.band, r.action, ",".join(x.id for x in r.reasons))
        for r in (engine.score(rec) for rec in records)
    ]
    rounds = 6
    one, t1 = run_threads(engine, records, 1, rounds * 2)
    cpu1 = run_threads.cpu_per_wall
    two, t2 = run_threads(engine, records, 2, rounds)
    cpu2 = run_threads.cpu_per_wall
    four, _ = run_threads(engine, records, 4, 2)
    for chunk in one + two + four:
        assert len(chunk) % len(records) == 0
        for i, line in enumerate(chunk):
            assert line == expected[i % len(records)]
    calls = rounds * 2 * len(records)
    # CPU seconds per wall second above 1 means two threads ran Python's C calls at
    # once, which a GIL held across the C call would not allow.
    report(
        "thread scaling: 1 thread %.0f scores/s (%.2f CPUs busy), 2 threads %.0f scores/s "
        "(%.2f CPUs busy), x%.2f" % (calls / t1, cpu1, calls / t2, cpu2, t1 / t2)
    )


@pytest.mark.parametrize(
    "call",
    [
        "idr_engine_score_json",
        "idr_result_to_json",
        "idr_engine_new",
        "idr_engine_describe_json",
        "idr_engine_lookup_ip",
        "idr_engine_lookup_phone",
    ],
)
def test_c_calls_run_without_the_gil(tmp_path, call):
    """The generated wrapper of every slow call drops the GIL around the C call."""
    try:
        builder = _build.make_builder()
    except SystemExit as exc:
        pytest.skip(str(exc))
    src = tmp_path / "gen.c"
    builder.emit_c_code(str(src))
    text = src.read_text()
    wrapper = text[text.index("_cffi_f_%s(PyObject *self" % call):]
    wrapper = wrapper[: wrapper.index("\n}\n")]
    begin = wrapper.index("Py_BEGIN_ALLOW_THREADS")
    inside = wrapper.index("result = %s(" % call)
    end = wrapper.index("Py_END_ALLOW_THREADS")
    assert begin < inside < end


def test_close_waits_for_running_calls():
    eng = idrisk.Engine(data_dir=data_dir())
    rec = max((p.read_bytes() for p in EXAMPLES), key=len)
    failures: list[BaseException] = []
    done = []

    def work():
        try:
            while True:
                eng.score(rec)
                done.append(1)
        except ValueError as exc:  # "the engine is closed": the expected way out
            if "closed" not in str(exc):
                failures.append(exc)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    while len(done) < 10:
        time.sleep(0.01)
    eng.close()
    for t in threads:
        t.join(timeout=60)
    assert not failures, failures
    assert eng.closed and eng._ptr is None


def test_score_many_keeps_order_on_threads(engine):
    records = [p.read_bytes() for p in EXAMPLES] * 3
    serial = engine.score_many(records)
    pooled = engine.score_many(records, workers=3)
    assert [r.candidate_id for r in pooled] == [r.candidate_id for r in serial]
    assert [(r.score, r.action) for r in pooled] == [(r.score, r.action) for r in serial]
    with pytest.raises(idrisk.InvalidInputError):
        engine.score_many(records[:2] + [b"{"], workers=2)
    with pytest.raises(ValueError, match="workers"):
        engine.score_many(records, workers=0)


def _until_closed(call, done, failures):
    """Call `call()` until it raises; the only acceptable way out is the binding's
    ValueError saying the engine or store is closed. Anything else (another exception;
    a crash would end the whole test run) is recorded in `failures`."""
    try:
        while True:
            call()
            done.append(1)
    except ValueError as exc:
        if "closed" not in str(exc):
            failures.append(exc)
    except BaseException as exc:
        failures.append(exc)


def _linked_record(k: int, i: int) -> dict:
    # Threads share the phone of the same i, so linked scoring has links to find.
    return {
        "schema": "idrisk.candidate/1",
        "candidate_id": "thr-%d-%d" % (k, i),
        "as_of": "2025-08-12T12:00:00Z",
        "identity": {"full_name": "Thread %d Person %d" % (k, i)},
        "contacts": {"phones": [{"number": "+1 608 555 %04d" % (i % 50), "country_hint": "US"}],
                     "emails": [{"address": "thr-%d-%d@example.com" % (k, i), "verified": True}]},
    }


def _store_workers(eng, st, n_threads):
    """Thread bodies mixing every call that enters both the engine and the store:
    score linked (with and without record), parse + record, forget, stats."""

    def make(k):
        i = [0]

        def call():
            i[0] += 1
            rec = _linked_record(k, i[0])
            mode = (i[0] + k) % 4
            if mode == 0:
                r = eng.score(rec, store=st, record=True)
                assert r.candidate_id == rec["candidate_id"]
                assert all(l["candidate_id"] != rec["candidate_id"] for l in r.links)
            elif mode == 1:
                with eng.parse(rec, store=st) as cand:
                    st.record(eng, cand)
                    r = eng.score(cand, store=st)
                assert 0 <= r.score <= 100 and r.action in ("none", "verify", "escalate")
            elif mode == 2:
                eng.score(rec, store=st)
                st.stats()
            else:
                st.record(eng, rec)
                assert st.forget(rec["candidate_id"]) is True

        return call

    return [make(k) for k in range(n_threads)]


@pytest.mark.parametrize("which", ["engine", "store"])
def test_close_while_threads_use_engine_and_store(tmp_path, which):
    """Six threads score, record and forget on one Engine and one Store while the main
    thread closes one of them: every call returns or raises the closed error, nothing
    crashes, and the C object is freed once the last call has left."""
    eng = idrisk.Engine(data_dir=data_dir())
    st = idrisk.Store(tmp_path / "t.db", create=True)
    failures: list[BaseException] = []
    done: list[int] = []
    threads = [threading.Thread(target=_until_closed, args=(c, done, failures))
               for c in _store_workers(eng, st, 6)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 60
    while len(done) < 30 and not failures and time.monotonic() < deadline:
        time.sleep(0.01)
    victim = eng if which == "engine" else st
    victim.close()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert not failures, failures
    assert len(done) >= 30
    assert victim.closed and victim._ptr is None
    # The other one still works and is consistent.
    if which == "engine":
        assert st.stats()["candidates"] >= 1
    else:
        assert eng.score(_linked_record(99, 1)).candidate_id == "thr-99-1"
    eng.close()
    st.close()
    with pytest.raises(ValueError, match="closed"):
        eng.score(_linked_record(99, 2))
    with pytest.raises(ValueError, match="closed"):
        st.stats()


def test_close_races_every_phase_of_a_call(tmp_path):
    """Many short rounds, closing after a random number of calls, so the close lands
    at every point of a call (entering, in C, converting, leaving)."""
    import random

    rng = random.Random(9)
    for round_ in range(4):
        eng = idrisk.Engine(data_dir=data_dir())
        st = idrisk.Store(tmp_path / ("r%d.db" % round_), create=True)
        failures: list[BaseException] = []
        done: list[int] = []
        threads = [threading.Thread(target=_until_closed, args=(c, done, failures))
                   for c in _store_workers(eng, st, 4)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.0, 0.05))
        (eng if round_ % 2 else st).close()
        (st if round_ % 2 else eng).close()
        for t in threads:
            t.join(timeout=60)
        assert not failures, failures
        assert eng._ptr is None and st._ptr is None
