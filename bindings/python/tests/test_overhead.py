# SPDX-License-Identifier: Apache-2.0
"""Per-call overhead of Python over C, measured in CPU time of one thread (printed,
never asserted: timing on a shared CI machine is no verdict). The C side is bench_overhead.c, the same calls
Engine.score() makes, compiled here against the same header and library."""

from __future__ import annotations

import json
import pathlib
import shutil
import subprocess
import time

import pytest

import idrisk
from idrisk import _build

from conftest import data_dir, minimal

HERE = pathlib.Path(__file__).resolve().parent
ITER = 2000


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> str:
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        pytest.skip("no C compiler")
    inc, lib = _build.locate()
    exe = str(tmp_path_factory.mktemp("bench") / "bench_overhead")
    cmd = [cc, "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-O2", "-Wall", "-Wextra", "-Werror"]
    cmd += ["-I" + d for d in inc]
    cmd += [str(HERE.parent / "bench_overhead.c"), "-o", exe]
    cmd += ["-L" + d for d in lib] + ["-Wl,-rpath," + d for d in lib] + ["-lidrisk"]
    subprocess.run(cmd, check=True)
    return exe


def test_python_overhead_over_c(engine, bench, tmp_path, report):
    rec = json.dumps(minimal(contacts={"emails": ["pat@example.org"]})).encode()
    path = tmp_path / "rec.json"
    path.write_bytes(rec)
    data = data_dir() or str(tmp_path)
    eng = engine if data_dir() else idrisk.Engine(data_dir=data)
    c_us, py_us = [], []
    for _ in range(3):  # interleaved, best of three: the machine is shared
        out = subprocess.run(
            [bench, str(path), data, str(ITER)], check=True, capture_output=True, text=True
        ).stdout
        c_us.append(float(out))
        for _ in range(100):
            eng.score(rec)
        t0 = time.process_time()
        for _ in range(ITER):
            eng.score(rec)
        py_us.append((time.process_time() - t0) / ITER * 1e6)
    c, py = min(c_us), min(py_us)
    report(
        "per-call CPU time: C %.1f us, Python engine.score(bytes) %.1f us, overhead %.1f us (%.0f%%)"
        % (c, py, py - c, (py - c) / c * 100)
    )
    d = minimal(contacts={"emails": ["pat@example.org"]})
    t0 = time.process_time()
    for _ in range(ITER):
        eng.score(d)
    report("per-call CPU time: engine.score(dict) %.1f us" % ((time.process_time() - t0) / ITER * 1e6))
    t0 = time.process_time()
    for _ in range(ITER):
        eng.score(rec).reasons
    report("per-call CPU time: engine.score(bytes) + typed reasons %.1f us" % ((time.process_time() - t0) / ITER * 1e6))
    assert c > 0 and py > 0
