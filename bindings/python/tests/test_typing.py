# SPDX-License-Identifier: Apache-2.0
"""The package's type hints hold under mypy --strict (when Debian's python3-mypy is
installed; the binding itself does not need it)."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

import idrisk

PKG = pathlib.Path(idrisk.__file__).resolve().parent
SRC = pathlib.Path(__file__).resolve().parents[1]


def test_py_typed_marker_ships():
    assert (PKG / "py.typed").exists()
    assert (PKG / "_native.pyi").exists()


def test_mypy_strict(tmp_path):
    pytest.importorskip("mypy", reason="python3-mypy is not installed")
    p = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(SRC / "pyproject.toml"),
         "--cache-dir", str(tmp_path), str(SRC / "idrisk")],
        capture_output=True, text=True, timeout=300,
    )
    assert p.returncode == 0, p.stdout + p.stderr
