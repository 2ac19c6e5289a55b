# SPDX-License-Identifier: Apache-2.0
"""score_iter/score_many/batch over many records (issue 13): the failing record's place
in its error, return_exceptions, the progress callback, and inputs that are streamed,
never materialised."""

from __future__ import annotations

import json
import pickle
import threading

import pytest

import idrisk

from conftest import EXAMPLES

N, BAD = 50, 23
BAD_PATH = "network.sessions[2].at"


def _session(ip: str, at: str) -> dict:
    return {"ip": ip, "at": at}


def fifty(bad_at: int = BAD) -> list:
    """50 records made from the examples, each with its own candidate_id and in turn a
    dict, JSON text and JSON bytes; the one at bad_at has a malformed instant."""
    base = [json.loads(p.read_bytes()) for p in EXAMPLES]
    out: list = []
    for i in range(N):
        rec = dict(base[i % len(base)])
        rec["candidate_id"] = "rx-%02d" % i
        if i == bad_at:
            rec["network"] = {
                "sessions": [
                    _session("192.0.2.1", "2025-03-01T10:00:00Z"),
                    _session("192.0.2.2", "2025-03-01T11:00:00Z"),
                    _session("192.0.2.3", "yesterday"),
                ]
            }
        out.append([rec, json.dumps(rec), json.dumps(rec).encode()][i % 3])
    return out


def _check_bad(exc: BaseException, index: int = BAD) -> None:
    assert isinstance(exc, idrisk.InvalidInputError)
    assert exc.index == index
    assert exc.candidate_id == "rx-%02d" % index
    assert exc.field == BAD_PATH
    text = str(exc)
    assert text.startswith("record %d (candidate_id 'rx-%02d'): " % (index, index)), text
    assert BAD_PATH in text


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_return_exceptions_keeps_order_and_places_the_error(engine, workers):
    out = list(engine.score_iter(fifty(), workers=workers, return_exceptions=True))
    assert len(out) == N
    for i, r in enumerate(out):
        if i == BAD:
            _check_bad(r)
        else:
            assert isinstance(r, idrisk.Result), (i, r)
            assert r.candidate_id == "rx-%02d" % i
    many = engine.score_many(fifty(), workers=workers, return_exceptions=True)
    assert [getattr(r, "candidate_id", None) for r in many] == [
        getattr(r, "candidate_id", None) for r in out
    ]
    _check_bad(many[BAD])


@pytest.mark.parametrize("workers", [1, 2])
def test_error_raised_after_the_results_before_it(engine, workers):
    got = []
    with pytest.raises(idrisk.InvalidInputError) as ei:
        for r in engine.score_iter(fifty(), workers=workers):
            got.append(r.candidate_id)
    assert got == ["rx-%02d" % i for i in range(BAD)]
    _check_bad(ei.value)
    with pytest.raises(ValueError) as ei2:  # InvalidInputError is a ValueError
        engine.score_many(fifty(), workers=workers)
    _check_bad(ei2.value)


def test_error_without_a_readable_candidate_id(engine):
    recs = [b'{"candidate_id": "ok-0"}', b"{", {"candidate_id": 7}, "[1]"]
    out = engine.score_many(recs, return_exceptions=True)
    assert isinstance(out[0], idrisk.Result)
    for i in (1, 2, 3):
        assert isinstance(out[i], idrisk.InvalidInputError), out[i]
        assert (out[i].index, out[i].candidate_id) == (i, None)
        assert str(out[i]).startswith("record %d: " % i)


def test_single_score_error_has_no_place(engine):
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.score(fifty()[BAD])
    assert (ei.value.index, ei.value.candidate_id) == (None, None)
    assert str(ei.value).startswith(BAD_PATH + ": ")


def test_annotated_error_pickles(engine):
    exc = engine.score_many(fifty(), return_exceptions=True)[BAD]
    again = pickle.loads(pickle.dumps(exc))
    assert type(again) is type(exc)
    assert (again.index, again.candidate_id, again.field, str(again)) == (
        exc.index,
        exc.candidate_id,
        exc.field,
        str(exc),
    )


def test_non_record_errors_are_not_swallowed(engine):
    def source():
        yield {"candidate_id": "g-0"}
        raise OSError("the export broke")

    it = engine.score_iter(source(), workers=2, return_exceptions=True)
    with pytest.raises(OSError, match="the export broke"):
        list(it)
    closed = idrisk.Engine()
    closed.close()
    with pytest.raises(ValueError, match="closed"):
        list(closed.score_iter([{"candidate_id": "x"}], return_exceptions=True))


def test_batch_names_the_failing_record(engine):
    with pytest.raises(idrisk.InvalidInputError) as ei:
        list(idrisk.batch(engine, fifty()))
    _check_bad(ei.value)


class Source:
    """A generator of records that counts how many were taken from it."""

    def __init__(self, n: int, bad_at: int = -1) -> None:
        self.taken = 0
        self.n = n
        self.bad_at = bad_at

    def __iter__(self):
        base = [json.loads(p.read_bytes()) for p in EXAMPLES]
        for i in range(self.n):
            self.taken += 1
            rec = dict(base[i % len(base)])
            rec["candidate_id"] = "gen-%d" % i
            if i == self.bad_at:
                rec["as_of"] = "soon"
            yield rec


@pytest.mark.parametrize("workers,window", [(1, None), (2, 3), (2, 10), (2, None)])
def test_generator_is_streamed_not_materialised(engine, workers, window):
    src = Source(300, bad_at=7)
    gen = iter(src)  # a one-shot generator: len() and a second pass are impossible
    it = engine.score_iter(gen, workers=workers, window=window, return_exceptions=True)
    bound = 1 if workers == 1 else (window or 32 * workers)
    assert src.taken == 0
    for k in range(1, 41):
        r = next(it)
        assert src.taken <= k - 1 + bound, (k, src.taken)
        if k - 1 == 7:
            assert isinstance(r, idrisk.InvalidInputError) and r.field == "as_of"
            assert (r.index, r.candidate_id) == (7, "gen-7")
        else:
            assert r.candidate_id == "gen-%d" % (k - 1)
    it.close()  # the caller stops early: nothing more is read
    assert src.taken <= 40 + bound
    assert src.taken < src.n


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_from_the_consuming_thread(engine, workers):
    calls = []
    me = threading.get_ident()

    def progress(done, total):
        calls.append((done, total, threading.get_ident() == me))

    records = fifty(bad_at=-1)[:25]
    it = engine.score_iter(records, workers=workers, progress=progress, progress_every=10)
    for k in range(1, 10):
        next(it)
    assert calls == []
    next(it)  # the 10th result: reported before it is handed over
    assert calls == [(10, 25, True)]
    rest = list(it)
    assert len(rest) == 15
    assert calls == [(10, 25, True), (20, 25, True), (25, 25, True)]


def test_progress_total_unknown_and_no_repeat_at_the_end(engine):
    calls = []
    gen = (r for r in fifty()[:20])
    out = engine.score_many(gen, progress=lambda d, t: calls.append((d, t)), progress_every=10)
    assert len(out) == 20
    assert calls == [(10, None), (20, None)]
    calls.clear()
    engine.score_many([], progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 0)]


def test_progress_counts_yielded_errors_and_stops_at_a_raised_one(engine):
    calls = []
    out = engine.score_many(
        fifty(), return_exceptions=True, progress=lambda d, t: calls.append(d)
    )
    assert len(out) == N and calls == [N]
    calls.clear()
    with pytest.raises(idrisk.InvalidInputError):
        engine.score_many(fifty(), progress=lambda d, t: calls.append(d), progress_every=5)
    assert calls == [5, 10, 15, 20]


def test_arguments_checked_at_the_call(engine):
    with pytest.raises(ValueError, match="progress_every"):
        engine.score_iter([], progress_every=0)
    with pytest.raises(TypeError):
        engine.score_many([], 1, None)  # window and the rest are keyword-only
