# SPDX-License-Identifier: Apache-2.0
"""The Python API: construction, inputs, typed results, lifetime."""

from __future__ import annotations

import gc
import json
import pathlib
import pickle

import pytest

import idrisk
from idrisk import _ffi, _lib

from conftest import EXAMPLES, data_dir, minimal


def test_version_matches_library():
    assert idrisk.LIBRARY_VERSION == _lib.idr_version_number()
    assert idrisk.COMPILED_VERSION == _lib.IDR_VERSION_NUMBER
    major, minor, patch = (int(x) for x in idrisk.__version__.split("."))
    assert idrisk.LIBRARY_VERSION == major * 10000 + minor * 100 + patch


def test_version_check_refuses_mismatch():
    idrisk._check_version(10203, 10203)
    idrisk._check_version(10203, 10301)  # newer minor library: compatible
    with pytest.raises(ImportError, match="rebuild"):
        idrisk._check_version(10203, 20000)
    with pytest.raises(ImportError, match="rebuild"):
        idrisk._check_version(10203, 10202)


def test_features_and_strerror():
    f = idrisk.features()
    assert set(f) == {"geo", "phone", "names", "store", "postgresql"}
    assert all(isinstance(v, bool) for v in f.values())
    # What this build has; the store bit is checked by test_store.py (needs_store), the
    # PostgreSQL bit by the pg and dask tests (the README's set-up builds with libpq).
    assert {k: v for k, v in f.items() if k not in ("store", "postgresql")} == {
        "geo": True, "phone": True, "names": True}  # fmt: skip
    assert idrisk.strerror(0) != idrisk.strerror(-1)
    assert idrisk.strerror(12345) == "unknown error"


def test_error_constants_match_header():
    e = idrisk.errors
    assert (e.OK, e.EINVAL, e.ENOMEM, e.EIO, e.EDATA, e.EUNAVAILABLE, e.ELIMIT, e.EINTERNAL) == (
        _lib.IDR_OK,
        _lib.IDR_EINVAL,
        _lib.IDR_ENOMEM,
        _lib.IDR_EIO,
        _lib.IDR_EDATA,
        _lib.IDR_EUNAVAILABLE,
        _lib.IDR_ELIMIT,
        _lib.IDR_EINTERNAL,
    )


def test_error_struct_layout_matches_header():
    assert _ffi.sizeof("idr_error") == 4 + 128 + 256 + 124


@pytest.mark.parametrize("kind", ["dict", "str", "bytes", "bytearray", "memoryview"])
def test_score_accepts_dict_str_bytes(engine, kind):
    rec = minimal(contacts={"emails": ["pat@example.org"]})
    text = json.dumps(rec)
    arg = {
        "dict": rec,
        "str": text,
        "bytes": text.encode(),
        "bytearray": bytearray(text.encode()),
        "memoryview": memoryview(text.encode()),
    }[kind]
    r = engine.score(arg)
    assert r.candidate_id == "py-test"
    assert r.to_dict()["candidate_id"] == "py-test"


@pytest.mark.parametrize("bad", [None, 42, ["candidate_id"], object()])
def test_score_rejects_other_types(engine, bad):
    with pytest.raises(TypeError, match="dict, a JSON str or JSON bytes"):
        engine.score(bad)


def test_non_ascii_record_round_trips(engine):
    r = engine.score(minimal(candidate_id="kandidat-Jürgen-李"))
    assert r.candidate_id == "kandidat-Jürgen-李"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_result_is_typed_and_consistent(engine, path):
    r = engine.score(path.read_bytes())
    d = r.to_dict()
    assert d["schema"] == "idrisk.result/1"
    assert (r.score, r.band, r.action, r.candidate_id) == (
        d["score"],
        d["band"],
        d["action"],
        d["candidate_id"],
    )
    assert isinstance(r.score, int) and 0 <= r.score <= 100
    assert r.band in ("low", "medium", "high", "critical")
    assert r.action in ("none", "verify", "escalate")
    assert [x.id for x in r.reasons] == [x["id"] for x in d["reasons"]]
    for reason, raw in zip(r.reasons, d["reasons"]):
        assert isinstance(reason, idrisk.Reason)
        assert reason.points == raw["points"]
        # Every reason adds points except the coverage note (an action floor).
        assert reason.points > 0 or reason.id == "cov_insufficient_data"
        assert reason.severity in ("low", "medium", "high", "critical")
        assert reason.title and reason.detail and reason.verify
        assert reason.sources and all(isinstance(s, str) for s in reason.sources)
        assert isinstance(reason.benign_explanations, tuple)
        assert reason.evidence == raw["evidence"]
        assert reason.category == raw["category"]
    assert [(s.id, s.by) for s in r.suppressed] == [(s["id"], s["by"]) for s in d["suppressed"]]
    assert [(n.id, n.why) for n in r.not_evaluated] == [
        (n["id"], n["why"]) for n in d["not_evaluated"]
    ]
    assert r.enrichment == d["enrichment"]
    assert list(r.warnings) == d["warnings"]
    assert r.ruleset == idrisk.Ruleset(**d["ruleset"])
    assert list(r.data) == d["data"]
    assert r.engine_version == idrisk.__version__
    assert r.evaluated_at == d["evaluated_at"]
    cov = r.coverage
    assert isinstance(cov, idrisk.Coverage)
    assert (cov.low, cov.missing, cov.total, cov.evaluated) == (
        d["coverage"]["low"],
        d["coverage"]["missing"],
        d["coverage"]["total"],
        d["coverage"]["evaluated"],
    )
    assert [f.family for f in cov.families] == [
        f["family"] for f in d["coverage"]["families"]
    ]
    assert sum(f.total for f in cov.families) == cov.total
    assert all(f.evaluated + f.not_evaluated == f.total for f in cov.families)
    assert json.loads(r.to_json()) == d


def test_coverage_of_an_empty_record(engine):
    """An empty record never reads as "nothing found": coverage is low, the action
    is verify and the 0-point reason says what is missing."""
    r = engine.score({"candidate_id": "x"})
    assert r.score == 0 and r.band == "low" and r.action == "verify"
    assert r.coverage.low and r.coverage.evaluated == 0
    assert "identity documents" in r.coverage.missing
    assert {f.family for f in r.coverage.families if f.key} >= {"document", "network"}
    (cov,) = [x for x in r.reasons if x.id == "cov_insufficient_data"]
    assert cov.points == 0 and "not a risk sign" in cov.title
    assert r.coverage.missing in cov.detail


def test_coverage_of_a_checked_clean_hire(engine):
    path = [p for p in EXAMPLES if p.stem == "clean-ordinary-hire"][0]
    r = engine.score(path.read_bytes())
    if data_dir() is None:
        pytest.skip("no data directory: the engine is degraded, coverage is low")
    assert not r.coverage.low and r.action == "none" and not r.reasons
    doc = [f for f in r.coverage.families if f.family == "document"][0]
    assert doc.key and doc.evaluated == doc.total > 0


def test_examples_cover_reasons_and_suppression(engine):
    results = [engine.score(p.read_bytes()) for p in EXAMPLES]
    assert any(r.reasons for r in results), "no example fired any indicator"
    assert any(r.suppressed for r in results), "no example showed a suppression"
    assert "reject" not in {r.action for r in results}


def test_result_is_immutable_and_picklable(engine):
    r = engine.score(minimal())
    with pytest.raises(AttributeError):
        r.score = 0
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and hash(r2) == hash(r)
    assert r2.to_json() == r.to_json() and r2.score == r.score
    with r as same:
        assert same is r
    assert "score=" in repr(r)


def test_to_dict_is_a_fresh_copy(engine):
    r = engine.score(minimal())
    d = r.to_dict()
    d["score"] = 999
    assert r.to_dict()["score"] == r.score


def test_unknown_field_is_a_warning(engine):
    r = engine.score(minimal(favourite_colour="teal"))
    assert any("favourite_colour" in w for w in r.warnings)


def test_engine_context_manager_and_close():
    with idrisk.Engine(data_dir=data_dir()) as eng:
        r = eng.score(minimal())
        assert not eng.closed
    assert eng.closed
    with pytest.raises(ValueError, match="closed"):
        eng.score(minimal())
    with pytest.raises(ValueError, match="closed"):
        eng.describe()
    eng.close()  # idempotent
    # a result holds no C memory and outlives its engine
    assert r.score == 0 and r.to_dict()["candidate_id"] == "py-test"


def test_engine_freed_by_garbage_collection():
    eng = idrisk.Engine(data_dir=data_dir())
    r = eng.score(minimal())
    del eng
    gc.collect()
    # an empty record: only the coverage note (docs/scoring.md), readable after the GC
    assert [x.id for x in r.reasons] == ["cov_insufficient_data"]
    assert r.coverage.low


def test_engine_options_by_name(tmp_path):
    eng = idrisk.Engine(
        data_dir=pathlib.Path(data_dir() or tmp_path),
        allow_cidr=["10.0.0.0/8", "2001:db8::/32"],
        relay_cidr="172.16.0.0/12",
        max_input_bytes=4096,
        max_depth=8,
        max_array=50,
    )
    assert eng.score(minimal()).score == 0
    eng.close()


def test_describe(engine):
    d = engine.describe()
    assert {"ruleset", "indicators", "warnings"} <= set(d)
    assert engine.ruleset.sha256 == d["ruleset"]["sha256"]
    assert len(engine.ruleset.sha256) == 64
    assert isinstance(engine.warnings, tuple)
    d["ruleset"] = None  # a copy: the engine's description is unchanged
    assert engine.describe()["ruleset"] is not None


def test_result_ruleset_matches_engine(engine):
    assert engine.score(minimal()).ruleset == engine.ruleset


def test_lookup_ip(engine, has_ip_db):
    if not has_ip_db:
        with pytest.raises(idrisk.UnavailableError):
            engine.lookup_ip("8.8.8.8")
        return
    out = engine.lookup_ip("8.8.8.8")
    assert out["ip"] == "8.8.8.8"
    assert out["merged"]["country"] == "US"


def test_lookup_phone(engine):
    if not idrisk.features()["phone"]:
        with pytest.raises(idrisk.UnavailableError):
            engine.lookup_phone("+14155552671")
        return
    out = engine.lookup_phone("+14155552671")
    assert out["valid"] is True and out["region"] == "US"
    national = engine.lookup_phone("020 7946 0018", "GB")
    assert national["country_code"] == 44


def test_no_global_state_between_engines(tmp_path):
    a = idrisk.Engine(data_dir=data_dir() or str(tmp_path))
    b = idrisk.Engine(data_dir=str(tmp_path), max_array=1)
    rec = minimal(contacts={"emails": ["a@example.org", "b@example.org"]})
    assert a.score(rec).candidate_id == "py-test"
    with pytest.raises(idrisk.LimitError):
        b.score(rec)
    a.close()
    b.close()


def test_parse_then_score(engine):
    for path in EXAMPLES:
        raw = path.read_bytes()
        with engine.parse(raw) as cand:
            assert cand.id == json.loads(raw)["candidate_id"]
            a, b = engine.score(cand), engine.score(cand)
            direct = engine.score(raw)
        assert cand.closed
        for r in (a, b):
            assert (r.score, r.band, r.action) == (direct.score, direct.band, direct.action)
            assert [x.id for x in r.reasons] == [x.id for x in direct.reasons]
    with pytest.raises(ValueError, match="closed"):
        engine.score(cand)
    cand.close()  # idempotent


def test_parse_reports_the_same_errors(engine):
    with pytest.raises(idrisk.InvalidInputError) as info:
        engine.parse(minimal(identity={"gender": "x"}))
    assert info.value.field == "identity.gender"


def test_candidate_outlives_its_engine_and_scores_elsewhere(engine):
    other = idrisk.Engine(data_dir=data_dir())
    cand = other.parse(minimal())
    other.close()
    assert engine.score(cand).candidate_id == "py-test"
    assert "py-test" in repr(cand)
    del cand
    gc.collect()


def test_missing_data_degrades_to_not_evaluated(tmp_path):
    eng = idrisk.Engine(data_dir=str(tmp_path / "absent"))
    assert any("IP enrichment not evaluated" in w for w in eng.warnings)
    r = eng.score(minimal(network={"sessions": [{"ip": "175.45.176.3", "at": "2025-03-01T14:03:00Z"}]},
                          identity={"residence": {"city": "Atlanta", "country": "US"}}))
    skipped = {n.id for n in r.not_evaluated}
    assert any(i.startswith("net_") for i in skipped), skipped
    # Only the DPRK's own range fires without databases: it is matched on the address.
    fired = {x.id for x in r.reasons if x.id.startswith("net_")}
    assert fired == {"net_sanctioned_jurisdiction"}, fired
    with pytest.raises(idrisk.UnavailableError):
        eng.lookup_ip("175.45.176.3")
    eng.close()


def test_module_docstring_example_runs():
    import doctest

    failures, tried = doctest.testmod(idrisk, verbose=False)
    assert tried >= 2 and failures == 0


def test_reason_verify_steps_match_the_json(engine, root):
    """Each reason's shared verification steps (the pack's [steps]) come through as
    (id, text) pairs, the same as the JSON's verify_steps; one id, one text."""
    rec = (root / "examples" / "candidates" / "laptop-farm-rescore.json").read_text()
    res = engine.score(rec)
    doc = json.loads(res.to_json())
    assert res.reasons, "the laptop-farm example fires reasons"
    texts: dict[str, str] = {}
    for r, d in zip(res.reasons, doc["reasons"]):
        assert r.verify_steps == tuple((s["id"], s["text"]) for s in d["verify_steps"])
        assert r.verify_steps, f"{r.id} has no steps"
        for sid, text in r.verify_steps:
            assert texts.setdefault(sid, text) == text
