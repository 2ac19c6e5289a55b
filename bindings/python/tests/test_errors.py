# SPDX-License-Identifier: Apache-2.0
"""Every error path: the right exception class, code, field and message."""

from __future__ import annotations

import json
import pickle

import pytest

import idrisk
from idrisk import errors

from conftest import ROOT, data_dir, minimal

PROTECTED = [
    "nationality",
    "citizenship",
    "national_origin",
    "ethnicity",
    "race",
    "religion",
    "sex",
    "gender",
    "birthplace",
    "place_of_birth",
    "native_language",
    "language",
    "accent",
    "age",
    "disability",
    "marital_status",
]


def raises_input(engine, record, field=None, cls=idrisk.InvalidInputError):
    with pytest.raises(cls) as info:
        engine.score(record)
    e = info.value
    assert isinstance(e, idrisk.IdriskError) and isinstance(e, ValueError)
    assert e.code == {idrisk.InvalidInputError: errors.EINVAL, idrisk.LimitError: errors.ELIMIT}[cls]
    assert e.message, "an error must say what is wrong"
    if field is not None:
        assert e.field == field, (e.field, e.message)
        assert field in str(e)
    return e


@pytest.mark.parametrize(
    "text",
    [b"", b"{", b"[]", b'"candidate"', b"{\"candidate_id\": \"a\",}", b"\xff\xfe{}", b"null"],
    ids=["empty", "truncated", "array", "string", "trailing-comma", "bad-utf8", "null"],
)
def test_malformed_json(engine, text):
    raises_input(engine, text)


def test_missing_candidate_id(engine):
    raises_input(engine, {"schema": "idrisk.candidate/1"}, "candidate_id")


def test_wrong_type_names_the_field(engine):
    raises_input(engine, {"candidate_id": 7}, "candidate_id")


def test_wrong_schema(engine):
    raises_input(engine, minimal(schema="idrisk.candidate/9"), "schema")


def test_bad_ip_names_the_json_path(engine):
    rec = minimal(
        network={
            "sessions": [
                {"ip": "203.0.113.9", "at": "2025-03-01T14:03:00Z"},
                {"ip": "203.0.113.999", "at": "2025-03-01T14:05:00Z"},
            ]
        }
    )
    raises_input(engine, rec, "network.sessions[1].ip")


def test_bad_date_names_the_json_path(engine):
    rec = minimal(identity={"date_of_birth": "1990-02-30"})
    raises_input(engine, rec, "identity.date_of_birth")


@pytest.mark.parametrize("attr", PROTECTED)
def test_protected_attribute_top_level(engine, attr):
    raises_input(engine, minimal(**{attr: "x"}), attr)


@pytest.mark.parametrize("attr", ["nationality", "ethnicity", "native_language"])
def test_protected_attribute_nested(engine, attr):
    rec = minimal(identity={"full_name": "Pat Doe", attr: "x"})
    raises_input(engine, rec, "identity." + attr)
    rec = minimal(work_history={"employers": [{"name": "Acme"}, {"name": "B", attr: "y"}]})
    raises_input(engine, rec, "work_history.employers[1]." + attr)


def test_input_size_limit():
    eng = idrisk.Engine(data_dir=data_dir(), max_input_bytes=1024)
    rec = minimal(work_history={"resume_text": "x" * 2000})
    e = raises_input(eng, rec, cls=idrisk.LimitError)
    assert isinstance(e, ValueError)
    assert eng.score(minimal()).candidate_id == "py-test"
    eng.close()


def test_depth_limit():
    eng = idrisk.Engine(data_dir=data_dir(), max_depth=4)
    rec = minimal(identity={"residence": {"line1": {"a": {"b": {"c": 1}}}}})
    raises_input(eng, rec, cls=idrisk.LimitError)
    eng.close()


def test_array_limit_names_the_array():
    # max_array also bounds object members: 3 keeps the 3-member top level legal.
    eng = idrisk.Engine(data_dir=data_dir(), max_array=3)
    rec = minimal(contacts={"emails": ["a@example.org", "b@example.org", "c@example.org", "d@example.org"]})
    e = raises_input(eng, rec, cls=idrisk.LimitError)
    assert e.field.startswith("contacts.emails"), e.field
    eng.close()


@pytest.mark.parametrize(
    "options,field",
    [
        ({"no_such_option": "1"}, "no_such_option"),
        ({"max_depth": 2}, "max_depth"),
        ({"max_depth": "deep"}, "max_depth"),
        ({"max_array": 0}, "max_array"),
        ({"max_input_bytes": 10}, "max_input_bytes"),
        ({"allow_cidr": "10.0.0.0/33"}, "allow_cidr"),
        ({"relay_cidr": ["192.0.2.0/24", "not-a-range"]}, "relay_cidr"),
        ({"max_depth": True}, "max_depth"),
    ],
)
def test_bad_config_option(options, field):
    with pytest.raises(idrisk.InvalidInputError) as info:
        idrisk.Engine(**options)
    assert info.value.code == errors.EINVAL
    assert info.value.field == field
    assert isinstance(info.value, ValueError)


def test_missing_rules_file(tmp_path):
    with pytest.raises(idrisk.IdriskError) as info:
        idrisk.Engine(data_dir=str(tmp_path), rules=str(tmp_path / "nope.pack"))
    e = info.value
    assert isinstance(e, idrisk.IdriskIOError) and isinstance(e, OSError)
    assert e.code == errors.EIO
    assert "nope.pack" in str(e)


def test_corrupt_rules_file_names_entry_and_key(tmp_path):
    pack = (ROOT / "data" / "rules" / "default.pack").read_text(encoding="utf-8")
    start = pack.index("[indicator ssn_invalid_structure]")
    at = pack.index("points = ", start)
    end = pack.index("\n", at)
    bad = tmp_path / "bad.pack"
    bad.write_text(pack[:at] + "points = -5" + pack[end:], encoding="utf-8")
    with pytest.raises(idrisk.DataError) as info:
        idrisk.Engine(data_dir=str(tmp_path), rules=str(bad))
    assert info.value.code == errors.EDATA
    assert info.value.field == "ssn_invalid_structure.points"
    assert not isinstance(info.value, ValueError)


def test_custom_rules_file_is_used(tmp_path):
    pack = ROOT / "data" / "rules" / "default.pack"
    eng = idrisk.Engine(data_dir=str(tmp_path), rules=pack)
    assert eng.ruleset.id == "idrisk-default"
    eng.close()


def test_bad_ip_lookup(engine, has_ip_db):
    cls = idrisk.InvalidInputError if has_ip_db else idrisk.IdriskError
    with pytest.raises(cls):
        engine.lookup_ip("300.1.2.3")


def test_error_classes():
    for code, cls, builtin in [
        (errors.EINVAL, idrisk.InvalidInputError, ValueError),
        (errors.ELIMIT, idrisk.LimitError, ValueError),
        (errors.EIO, idrisk.IdriskIOError, OSError),
        (errors.ENOMEM, idrisk.IdriskMemoryError, MemoryError),
        (errors.EINTERNAL, idrisk.InternalError, RuntimeError),
        (errors.EDATA, idrisk.DataError, idrisk.IdriskError),
        (errors.EUNAVAILABLE, idrisk.UnavailableError, idrisk.IdriskError),
    ]:
        e = errors.error_for(code, "a.b[1]", "a.b[1] is wrong")
        assert type(e) is cls and isinstance(e, builtin)
        assert (e.code, e.field, e.message) == (code, "a.b[1]", "a.b[1] is wrong")
        assert str(e) == "a.b[1] is wrong"
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is cls and (back.code, back.field, back.message) == (e.code, e.field, e.message)
    assert type(errors.error_for(-99, "", "x")) is idrisk.IdriskError
    assert str(errors.error_for(errors.EINVAL, "f", "bad")) == "f: bad"


def test_json_errors_do_not_poison_the_engine(engine):
    for _ in range(3):
        with pytest.raises(ValueError):
            engine.score(b"{")
    assert engine.score(json.dumps(minimal())).score == 0
