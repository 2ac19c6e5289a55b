# SPDX-License-Identifier: Apache-2.0
"""The ATS webhook example (examples/webhook/receiver.py) answers on loopback."""

from __future__ import annotations

import copy
import importlib.util
import json
import threading
import urllib.error
import urllib.request

import pytest

import idrisk

from conftest import ROOT

SAMPLE = json.loads((ROOT / "examples" / "webhook" / "sample-application.json").read_text())


@pytest.fixture(scope="module")
def receiver():
    spec = importlib.util.spec_from_file_location(
        "receiver", ROOT / "examples" / "webhook" / "receiver.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def url(receiver, engine):
    server = receiver.make_server(engine, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield "http://127.0.0.1:%d" % server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def post(url, body, path="/webhooks/ats"):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(url + path, data=data, method="POST",
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def variant(**changes):
    """SAMPLE with dotted-path changes; a value of None deletes the key."""
    p = copy.deepcopy(SAMPLE)
    for path, value in changes.items():
        node = p
        parts = path.split("__")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is None:
            del node[parts[-1]]
        else:
            node[parts[-1]] = value
    return p


def test_sample_is_triaged(url, engine, receiver):
    status, body = post(url, SAMPLE)
    assert status == 200, body
    assert body["candidate_id"] == "cand_40417"
    assert body["application_id"] == "app_88213"
    assert body["action"] in ("none", "verify", "escalate")
    assert 0 <= body["score"] <= 100 and body["band"] in ("low", "medium", "high", "critical")
    for r in body["reasons"]:
        assert set(r) == {"id", "title", "detail", "verify"} and all(r.values())
    assert body["unmapped"] == []
    # the answer is the library's triage of the mapped record
    record, _ = receiver.to_candidate(SAMPLE)
    want = engine.score(record)
    assert (body["score"], body["band"], body["action"]) == (want.score, want.band, want.action)
    assert [r["id"] for r in body["reasons"]] == [r.id for r in want.reasons]


def test_sample_maps_every_field(receiver):
    record, mapper = receiver.to_candidate(SAMPLE)
    assert record["identity"]["residence"]["region"] == "GA"
    assert record["network"]["sessions"][0] == {
        "ip": "175.45.176.3",
        "event": "application",
        "at": "2025-03-01T14:03:00Z",
        "user_agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
    }
    assert record["work_history"]["employers"][0]["domain"] == "acme-analytics.example"
    assert record["engagement"]["type"] == "contractor"


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"application__candidate__gender": "female"}, "application.candidate.gender"),
        ({"application__candidate__eeo": {"race": "x"}}, "application.candidate.eeo"),
        ({"application__candidate__addresses__0__Nationality": "x"},
         "application.candidate.addresses[0].Nationality"),
        ({"application__answers": [{"q": "1", "native_language": "x"}]},
         "application.answers[0].native_language"),
    ],
)
def test_protected_attribute_is_refused(url, changes, field):
    status, body = post(url, variant(**changes))
    assert status == 422
    assert body["field"] == field and "protected" in body["error"]


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"event": "application.withdrawn"}, "event"),
        ({"event": None}, "event"),
        ({"application__candidate__id": None}, "application.candidate.id"),
        ({"application__source_ip": "175.45.176.999"}, "application.source_ip"),
        ({"application__candidate__employment_history__0__start_date": "2019-13-01"},
         "application.candidate.employment_history[0].start_date"),
        ({"application__job__employment_type": "volunteer"}, "application.job.employment_type"),
        ({"application__candidate__emails": "a@example.org"}, "application.candidate.emails"),
    ],
)
def test_bad_payload_names_the_field(url, changes, field):
    status, body = post(url, variant(**changes))
    assert status == 400, body
    assert body["field"] == field, body
    assert body["error"]


def test_unknown_payload_fields_are_listed(url):
    status, body = post(url, variant(application__candidate__shoe_size=44,
                                     application__candidate__addresses=[
                                         SAMPLE["application"]["candidate"]["addresses"][0],
                                         {"type": "mailing", "city": "Reno"}]))
    assert status == 200
    assert "application.candidate.shoe_size" in body["unmapped"]
    assert "application.candidate.addresses[1].city" in body["unmapped"]


def test_not_json_and_wrong_paths(url):
    assert post(url, b"{not json")[0] == 400
    assert post(url, b"[1,2]")[0] == 400
    assert post(url, SAMPLE, path="/elsewhere")[0] == 404
    with urllib.request.urlopen(url + "/healthz", timeout=10) as resp:
        assert json.loads(resp.read()) == {"ok": True, "idrisk": idrisk.__version__}


def test_concurrent_posts(url):
    results = []

    def work():
        results.append(post(url, SAMPLE))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 8
    assert all(s == 200 for s, _ in results)
    assert len({json.dumps(b, sort_keys=True) for _, b in results}) == 1
