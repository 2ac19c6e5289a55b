# SPDX-License-Identifier: Apache-2.0
"""The cross-candidate store from Python: Store, Engine.score(store=, record=),
Result.links and the streaming idrisk.batch() helper.

Two groups:
- tests marked ``needs_store`` open real SQLite store files in a temporary directory;
- the rest (error mapping, argument handling, the streaming helper without a store,
  laziness) pass with or without the store.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest

import idrisk
from idrisk import _lib, errors

from conftest import minimal

needs_store = pytest.mark.needs_store


def person(cid: str, phone: str, **extra):
    rec = minimal(candidate_id=cid)
    rec["identity"] = {"full_name": "Person %s" % cid.upper()}
    rec["contacts"] = {"phones": [{"number": phone, "country_hint": "US"}]}
    rec.update(extra)
    return rec


def link_ids(result, kind=None):
    return sorted(x["candidate_id"] for x in result.links if kind is None or x["kind"] == kind)


# ---------------------------------------------------------------------------------
# Without the store
# ---------------------------------------------------------------------------------


def test_ebusy_maps_to_store_busy_error():
    assert errors.EBUSY == _lib.IDR_EBUSY
    e = errors.error_for(errors.EBUSY, "store", "locked by another connection")
    assert isinstance(e, idrisk.StoreBusyError)
    assert isinstance(e, idrisk.IdriskError) and isinstance(e, TimeoutError)
    assert e.code == errors.EBUSY and e.field == "store"
    assert str(e) == "store: locked by another connection"


def test_store_constants_match_the_header():
    assert _lib.IDR_STORE_KEY_BYTES == 32
    assert _lib.IDR_STORE_CREATE != _lib.IDR_STORE_READONLY


def test_record_needs_a_store(engine):
    with pytest.raises(ValueError, match="needs a store"):
        engine.score(minimal(), record=True)


def test_score_without_store_has_no_links(engine):
    r = engine.score(minimal())
    assert r.links == [] and r.links_omitted == 0
    # a fresh list each time: callers may modify it
    r.links.append({"x": "y"})
    assert r.links == []


def test_candidate_positional_only(engine):
    # `record` is the flag; the record itself is positional
    assert engine.score(minimal()).candidate_id == "py-test"
    with pytest.raises(TypeError):
        engine.score(candidate=minimal())  # type: ignore[call-arg]


def test_purge_time_conversions():
    from idrisk import _epoch_seconds as ep

    assert ep(0) == 0
    assert ep(1700000000.9) == 1700000000
    assert ep("1970-01-02") == 86400
    assert ep(dt.date(1970, 1, 2)) == 86400
    assert ep("1970-01-01T01:00:00Z") == 3600
    assert ep("1970-01-01T02:00:00+01:00") == 3600
    assert ep(dt.datetime(1970, 1, 1, 1)) == 3600  # naive = UTC
    with pytest.raises(idrisk.InvalidInputError) as info:
        ep("yesterday")
    assert info.value.field == "before"
    with pytest.raises(TypeError):
        ep(True)
    with pytest.raises(TypeError):
        ep([2025])  # type: ignore[arg-type]


def test_open_with_key_wants_bytes(tmp_path):
    with pytest.raises(TypeError):
        idrisk.Store.open_with_key(tmp_path / "s.db", "k" * 32, create=True)  # type: ignore[arg-type]


def test_batch_streams_a_generator(engine):
    consumed = []

    def gen():
        for i in range(5):
            consumed.append(i)
            yield minimal(candidate_id="g%d" % i)

    it = idrisk.batch(engine, gen())
    assert consumed == [], "nothing is read before the first result is asked for"
    first = next(it)
    assert first.candidate_id == "g0"
    assert consumed == [0], "the first result came after reading one record"
    assert next(it).candidate_id == "g1" and consumed == [0, 1]
    assert [r.candidate_id for r in it] == ["g2", "g3", "g4"]


def test_batch_reads_a_jsonl_path(engine, tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text(
        "\n".join(json.dumps(minimal(candidate_id="p%d" % i)) for i in range(3)) + "\n\n"
    )
    assert [r.candidate_id for r in idrisk.batch(engine, p)] == ["p0", "p1", "p2"]
    assert [r.candidate_id for r in idrisk.batch(engine, str(p))] == ["p0", "p1", "p2"]


def test_batch_error_propagates_with_field(engine):
    bad = {"schema": "idrisk.candidate/1"}
    it = idrisk.batch(engine, [minimal(candidate_id="ok"), bad])
    assert next(it).candidate_id == "ok"
    with pytest.raises(idrisk.InvalidInputError) as info:
        next(it)
    assert info.value.field == "candidate_id"


class _FakeStore:
    """Stands in for a Store only to check argument handling before any store call."""


def test_batch_index_first_refuses_one_shot_iterators(engine):
    gen = (minimal(candidate_id="x%d" % i) for i in range(3))
    with pytest.raises(TypeError, match="two passes"):
        idrisk.batch(engine, gen, store=_FakeStore())  # type: ignore[arg-type]
    assert next(gen)["candidate_id"] == "x0", "nothing was consumed"


# ---------------------------------------------------------------------------------
# Against real store files
# ---------------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path):
    with idrisk.Store(tmp_path / "links.db", create=True) as st:
        yield st


@needs_store
def test_features_report_the_store():
    assert idrisk.features()["store"] is True


@needs_store
def test_create_makes_a_private_key_file(tmp_path):
    path = tmp_path / "s.db"
    with pytest.raises(idrisk.IdriskError):
        idrisk.Store(path)  # missing and not create
    with idrisk.Store(path, create=True) as st:
        assert not st.closed
    key = tmp_path / "s.db.key"
    assert path.exists() and key.exists()
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE(os.stat(key).st_mode) & 0o077 == 0
    with idrisk.Store(path) as st:  # reopens with the same key
        assert st.stats()["candidates"] == 0
    st.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        st.stats()


@needs_store
def test_key_file_with_loose_permissions_is_refused(tmp_path):
    path = tmp_path / "s.db"
    idrisk.Store(path, create=True).close()
    os.chmod(tmp_path / "s.db.key", 0o644)
    with pytest.raises(idrisk.InvalidInputError):
        idrisk.Store(path)


@needs_store
def test_explicit_key_path_and_open_with_key(tmp_path):
    key = os.urandom(32)
    path = tmp_path / "k.db"
    with idrisk.Store.open_with_key(path, key, create=True) as st:
        assert st.stats()["candidates"] == 0
    with idrisk.Store.open_with_key(path, key) as st:
        assert st.stats()["candidates"] == 0
    with pytest.raises(idrisk.DataError):
        idrisk.Store.open_with_key(path, os.urandom(32))  # wrong key
    with pytest.raises(idrisk.InvalidInputError):
        idrisk.Store.open_with_key(tmp_path / "k2.db", b"short", create=True)
    kp = tmp_path / "elsewhere.key"
    idrisk.Store(tmp_path / "e.db", key_path=kp, create=True).close()
    assert kp.exists() and not (tmp_path / "e.db.key").exists()


@needs_store
def test_links_are_symmetric_for_a_shared_phone(engine, store):
    a = person("a", "+1 608 555 0117")
    b = person("b", "+1 (608) 555-0117")  # the same number, formatted differently
    ra = engine.score(a, store=store, record=True)
    assert ra.links == [], "nothing else is in the store yet"
    rb = engine.score(b, store=store, record=True)
    assert link_ids(rb, "phone") == ["a"]
    assert rb.links[0] == {"candidate_id": "a", "kind": "phone",
                           "indicator": "id_dup_contact_across_applicants"}  # fmt: skip
    ra2 = engine.score(a, store=store)  # linked, not recorded again
    assert link_ids(ra2, "phone") == ["b"]
    assert "id_dup_contact_across_applicants" in {x.id for x in ra2.reasons}
    assert "+1 608 555 0117" not in json.dumps(ra2.links), "kinds, never values"
    assert store.stats()["candidates"] == 2


@needs_store
def test_score_without_record_writes_nothing(engine, store):
    engine.score(person("a", "+1 608 555 0117"), store=store)
    assert store.stats()["candidates"] == 0
    assert engine.score(person("b", "+1 608 555 0117"), store=store).links == []


@needs_store
def test_parsed_candidate_for_store(engine, store):
    engine.score(person("a", "+1 608 555 0117"), store=store, record=True)
    with engine.parse(person("b", "+1 608 555 0117"), store=store) as cand:
        assert link_ids(engine.score(cand, store=store)) == ["a"]
    with engine.parse(person("c", "+1 608 555 0117")) as plain:
        with pytest.raises(ValueError, match="parse the candidate"):
            engine.score(plain, store=store)


@needs_store
def test_readonly_store_refuses_writes(engine, tmp_path):
    path = tmp_path / "ro.db"
    with idrisk.Store(path, create=True) as st:
        engine.score(person("a", "+1 608 555 0117"), store=st, record=True)
    with idrisk.Store(path, readonly=True) as ro:
        assert link_ids(engine.score(person("b", "+1 608 555 0117"), store=ro)) == ["a"]
        with pytest.raises(idrisk.InvalidInputError):
            engine.score(person("b", "+1 608 555 0117"), store=ro, record=True)
        with pytest.raises(idrisk.IdriskError):
            ro.forget("a")


@needs_store
def test_sync(engine, store):
    engine.score(person("a", "+1 608 555 0117"), store=store, record=True)
    store.sync()  # durable on disk; a second call is harmless
    store.sync()
    assert store.stats()["candidates"] == 1


@needs_store
def test_busy_store_raises_store_busy_error(engine, store):
    import sqlite3

    engine.score(person("a", "+1 608 555 0117"), store=store, record=True)
    store.sync()
    store.set_busy_timeout(0.1)
    other = sqlite3.connect(str(store.path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(errors.StoreBusyError, match="busy timeout"):
            engine.score(person("b", "+1 608 555 0118"), store=store, record=True)
        # a read does not wait for the writer
        assert link_ids(engine.score(person("c", "+1 608 555 0117"), store=store)) == ["a"]
    finally:
        other.execute("COMMIT")
        other.close()
    engine.score(person("b", "+1 608 555 0118"), store=store, record=True)
    assert store.stats()["candidates"] == 2
    with pytest.raises(ValueError):
        store.set_busy_timeout(-1)


@needs_store
def test_forget(engine, store):
    engine.score(person("a", "+1 608 555 0117"), store=store, record=True)
    engine.score(person("b", "+1 608 555 0117"), store=store, record=True)
    assert store.forget("b") is True
    assert store.forget("b") is False
    assert store.forget("never-recorded") is False
    assert engine.score(person("a", "+1 608 555 0117"), store=store).links == []
    assert store.stats()["candidates"] == 1


@needs_store
def test_purge(engine, store):
    for cid in ("a", "b", "c"):
        engine.score(person(cid, "+1 608 555 01%02d" % ord(cid)), store=store, record=True)
    assert store.purge("1970-01-02") == 0
    assert store.purge(dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)) == 0
    tomorrow = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    assert store.purge(tomorrow) == 3
    assert store.stats()["candidates"] == 0


@needs_store
def test_stats_counts_only(engine, store):
    engine.score(person("a", "+1 608 555 0117", identity={"full_name": "A A",
                 "ssn": "123-45-6789"}), store=store, record=True)  # fmt: skip
    s = store.stats()
    for key in ("schema_version", "candidates", "identifiers", "photos", "resumes",
                "oldest_recorded_at", "newest_recorded_at", "file_bytes"):  # fmt: skip
        assert key in s, key
    assert s["candidates"] == 1
    assert "6789" not in json.dumps(s) and "0117" not in json.dumps(s)


@needs_store
def test_batch_index_first_links_both_directions(engine, store):
    recs = [person("a", "+1 608 555 0117"), person("x", "+1 608 555 0199"),
            person("b", "+1 608 555 0117")]  # fmt: skip
    out = list(idrisk.batch(engine, recs, store=store))
    assert [r.candidate_id for r in out] == ["a", "x", "b"]
    assert link_ids(out[0]) == ["b"], "the first record links to a later one"
    assert link_ids(out[2]) == ["a"]
    assert out[1].links == []


@needs_store
def test_batch_index_first_from_a_path(engine, store, tmp_path):
    p = tmp_path / "in.jsonl"
    p.write_text("\n".join(json.dumps(person(c, "+1 608 555 0117")) for c in "abc") + "\n")
    out = list(idrisk.batch(engine, p, store=store))
    assert [link_ids(r) for r in out] == [["b", "c"], ["a", "c"], ["a", "b"]]


@needs_store
def test_batch_one_pass_with_a_generator_is_lazy(engine, store):
    consumed = []

    def gen():
        for cid in "abc":
            consumed.append(cid)
            yield person(cid, "+1 608 555 0117")

    it = idrisk.batch(engine, gen(), store=store, index_first=False)
    first = next(it)
    assert consumed == ["a"] and first.links == [], "only earlier records link"
    second = next(it)
    assert consumed == ["a", "b"] and link_ids(second) == ["a"]
    assert link_ids(next(it)) == ["a", "b"]
    assert store.stats()["candidates"] == 3
