# SPDX-License-Identifier: Apache-2.0
"""Same candidate, rule pack and data: the same result apart from evaluated_at; and the
binding gives what the CLI gives."""

from __future__ import annotations

import json
import subprocess

import pytest

import idrisk

from conftest import EXAMPLES, data_dir


def without_time(text: str) -> str:
    d = json.loads(text)
    assert "evaluated_at" in d
    d.pop("evaluated_at")
    return json.dumps(d, sort_keys=True)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_same_input_same_result(engine, path):
    raw = path.read_bytes()
    first = engine.score(raw)
    for again in (engine.score(raw), engine.score(json.loads(raw)), engine.score(raw.decode())):
        assert without_time(again.to_json()) == without_time(first.to_json())
        assert (again.score, again.band, again.action) == (first.score, first.band, first.action)


def test_same_result_from_a_second_engine(engine):
    other = idrisk.Engine(data_dir=data_dir())
    try:
        for path in EXAMPLES:
            raw = path.read_bytes()
            assert without_time(other.score(raw).to_json()) == without_time(
                engine.score(raw).to_json()
            )
    finally:
        other.close()


def test_examples_exist():
    assert len(EXAMPLES) >= 5, "examples/candidates/*.json went missing"


def cli_score(cli: str, path) -> dict:
    cmd = [cli, "score", "--json", str(path)]
    if data_dir():
        cmd[2:2] = ["--data-dir", data_dir()]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_score_like_the_cli(engine, cli, path):
    want = cli_score(cli, path)
    got = engine.score(path.read_bytes())
    assert (got.score, got.band, got.action) == (want["score"], want["band"], want["action"])
    assert [(r.id, r.points) for r in got.reasons] == [
        (r["id"], r["points"]) for r in want["reasons"]
    ]
    assert [s.id for s in got.suppressed] == [s["id"] for s in want["suppressed"]]
    assert without_time(got.to_json()) == without_time(json.dumps(want))


def test_cli_and_binding_agree_on_bad_input(engine, cli, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"candidate_id": "x", "identity": {"nationality": "KP"}}))
    p = subprocess.run(
        [cli, "score", "--json", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert p.returncode == 2
    with pytest.raises(idrisk.InvalidInputError) as info:
        engine.score(bad.read_bytes())
    assert info.value.field == "identity.nationality"
    assert "identity.nationality" in p.stderr
