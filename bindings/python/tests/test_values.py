# SPDX-License-Identifier: Apache-2.0
"""Typed values at the binding's edges (issue 13): Band, Action and Severity as str
enums that leave the JSON unchanged, and datetime/date values in dict records written
in the contract's formats, with errors naming the JSON path."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import pickle
import types

import pytest

import idrisk

from conftest import EXAMPLES

UTC = dt.timezone.utc


# -- enums --------------------------------------------------------------------------


def test_enum_members_are_the_contract_strings():
    assert [m.value for m in idrisk.Band] == ["low", "medium", "high", "critical"]
    assert [m.value for m in idrisk.Action] == ["none", "verify", "escalate"]
    assert [m.value for m in idrisk.Severity] == ["low", "medium", "high", "critical"]
    for cls in (idrisk.Band, idrisk.Action, idrisk.Severity):
        assert issubclass(cls, str) and cls.__name__ in idrisk.__all__


def test_enums_behave_as_their_strings():
    band = idrisk.Band.HIGH
    assert band == "high" and "high" == band and band != "low"
    assert band in {"high"} and {"high": 1}[band] == 1 and hash(band) == hash("high")
    assert str(band) == "high" and f"{band}" == "high" and "%s" % band == "high"
    assert f"{band:>6}|" == "  high|" and "{}".format(idrisk.Action.VERIFY) == "verify"
    assert idrisk.Band("critical") is idrisk.Band.CRITICAL
    assert json.dumps({"b": band, "a": [idrisk.Action.NONE]}) == '{"b": "high", "a": ["none"]}'
    assert repr(band) == "<Band.HIGH: 'high'>"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_typed_fields_and_json_identity(engine, path):
    r = engine.score(path.read_bytes())
    assert isinstance(r.band, idrisk.Band) and isinstance(r.action, idrisk.Action)
    assert all(isinstance(x.severity, idrisk.Severity) for x in r.reasons)
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    # The parsed result written back is byte-identical to idr_result_to_json's text...
    assert json.dumps(r.to_dict(), **compact) == r.to_json()
    # ...and so is it with the typed values put in place of the strings.
    d = r.to_dict()
    d["band"], d["action"] = r.band, r.action
    for rd, reason in zip(d["reasons"], r.reasons):
        rd["severity"] = reason.severity
    assert json.dumps(d, **compact) == r.to_json()
    assert json.dumps(d) == json.dumps(r.to_dict())
    # The typed values match the JSON and survive pickling.
    assert (r.band, r.action) == (d["band"], d["action"])
    again = pickle.loads(pickle.dumps(r))
    assert again == r and again.band is r.band and again.action is r.action
    assert repr(r).endswith("band=%s action=%s>" % (r.band.value, r.action.value))


# -- datetime and date --------------------------------------------------------------


def comparable(result):
    d = result.to_dict()
    d.pop("evaluated_at", None)
    return json.dumps(d, sort_keys=True)


def record(**extra):
    rec = {"schema": "idrisk.candidate/1", "candidate_id": "dt-1"}
    rec.update(extra)
    return rec


def sessions(*ats):
    return {"sessions": [{"ip": "192.0.2.%d" % (i + 1), "at": at} for i, at in enumerate(ats)]}


def test_datetimes_and_dates_score_as_their_strings(engine):
    tokyo = dt.timezone(dt.timedelta(hours=9))
    typed = record(
        as_of=dt.datetime(2025, 6, 1, 12, 0, tzinfo=UTC),
        engagement={"start_date": dt.date(2025, 7, 1),
                    "offer_accepted_at": dt.datetime(2025, 5, 20, 18, 30, 15, tzinfo=tokyo)},
        identity={"date_of_birth": dt.date(1990, 2, 3)},
        network=sessions(dt.datetime(2025, 5, 31, 23, 0, tzinfo=tokyo),
                         dt.datetime(2025, 5, 31, 14, 0, 0, 250000, tzinfo=UTC)),
    )
    plain = record(
        as_of="2025-06-01T12:00:00Z",
        engagement={"start_date": "2025-07-01", "offer_accepted_at": "2025-05-20T09:30:15Z"},
        identity={"date_of_birth": "1990-02-03"},
        network=sessions("2025-05-31T14:00:00Z", "2025-05-31T14:00:00.250000Z"),
    )
    # what the library is handed (the binding's encoder, private) ...
    assert json.loads(idrisk._encode(typed)) == plain
    # ... and so what it makes of it
    assert comparable(engine.score(typed)) == comparable(engine.score(plain))
    # the same through parse() and the streaming calls
    assert engine.parse(typed).id == "dt-1"
    many = engine.score_many([typed, plain], workers=2)
    assert comparable(many[0]) == comparable(many[1])


def test_mapping_types_other_than_dict(engine):
    rec = types.MappingProxyType(record(identity=types.MappingProxyType({"full_name": "A B"})))
    assert engine.score(rec).candidate_id == "dt-1"


def test_naive_datetime_is_refused_with_its_path(engine):
    rec = record(network=sessions("2025-05-31T14:00:00Z", dt.datetime(2025, 5, 31, 9, 0)))
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.score(rec)
    assert isinstance(ei.value, ValueError)
    assert ei.value.field == "network.sessions[1].at"
    assert "time zone" in str(ei.value) and str(ei.value).startswith("network.sessions[1].at: ")


def test_date_where_an_instant_is_expected(engine):
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.score(record(as_of=dt.date(2025, 6, 1)))
    assert ei.value.field == "as_of"
    assert "a date was given where an instant is expected" in str(ei.value)


def test_datetime_where_a_date_is_expected(engine):
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.parse(record(identity={"date_of_birth": dt.datetime(1990, 2, 3, tzinfo=UTC)}))
    assert ei.value.field == "identity.date_of_birth"
    assert "value.date()" in str(ei.value)


@pytest.mark.parametrize(
    "value,kind",
    [
        ({1, 2}, "set"),
        (decimal.Decimal("1.5"), "Decimal"),
        (object(), "object"),
        (b"raw", "bytes"),
        (dt.time(9, 0), "time"),
    ],
)
def test_values_without_a_json_form_name_their_path(engine, value, kind):
    rec = record(network={"sessions": [{"ip": "192.0.2.1", "at": "2025-05-31T14:00:00Z"},
                                       {"ip": "192.0.2.2", "at": value}]})
    with pytest.raises(idrisk.InvalidTypeError) as ei:
        engine.score(rec)
    exc = ei.value
    assert isinstance(exc, idrisk.InvalidInputError)
    assert isinstance(exc, TypeError) and isinstance(exc, ValueError)
    assert exc.field == "network.sessions[1].at"
    assert kind in str(exc) and str(exc).startswith("network.sessions[1].at: ")


def test_other_unwritable_records(engine):
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.score(record(identity={"aliases": [float("nan")]}))
    assert ei.value.field == "identity.aliases[0]" and "finite" in str(ei.value)
    loop = record()
    loop["identity"] = {"aliases": [loop]}
    with pytest.raises(idrisk.InvalidInputError) as ei:
        engine.score(loop)
    assert ei.value.field == "identity.aliases[0]" and "circular" in str(ei.value)
    with pytest.raises(idrisk.InvalidTypeError) as ei:
        engine.score(record(identity={(1, 2): "x"}))
    assert ei.value.field == "identity" and "tuple" in str(ei.value)
    with pytest.raises(idrisk.InvalidTypeError, match="dict, a JSON str or JSON bytes"):
        engine.score(42)  # type: ignore[arg-type]


def test_value_errors_carry_the_record_place_in_a_stream(engine):
    recs = [record(candidate_id="v-0"),
            record(candidate_id="v-1", as_of=dt.datetime(2025, 1, 1)),
            record(candidate_id="v-2", identity={"aliases": [{1}]})]
    out = engine.score_many(recs, workers=2, return_exceptions=True)
    assert isinstance(out[0], idrisk.Result)
    assert (out[1].index, out[1].candidate_id, out[1].field) == (1, "v-1", "as_of")
    assert isinstance(out[2], idrisk.InvalidTypeError)
    assert (out[2].index, out[2].candidate_id, out[2].field) == (2, "v-2", "identity.aliases[0]")


@pytest.mark.parametrize(
    "cid", ["plain-1", 'q"uote\\back/slash', "ünïcødé-ид-候选人", "tab\there", "e\u2028x"]
)
def test_result_fields_match_the_json(engine, cid):
    """Result's candidate_id, score, band and action (from the C accessors) agree with
    the library's JSON, whatever characters the id holds."""
    r = engine.score(record(candidate_id=cid))
    d = json.loads(r.to_json())
    assert r.candidate_id == cid == d["candidate_id"]
    assert (r.score, r.band, r.action) == (d["score"], d["band"], d["action"])
