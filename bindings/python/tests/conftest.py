# SPDX-License-Identifier: Apache-2.0
"""Shared fixtures for the idrisk binding tests.

Environment (set by tests/python.cmake; all optional for a manual run):
  IDRISK_DATA_DIR   fetched databases; without them network/phone lookups are skipped
  IDRISK_CLI        the `idrisk` command-line tool, for the CLI parity tests
"""

from __future__ import annotations

import os
import pathlib
import shutil

import pytest

import idrisk

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples" / "candidates").glob("*.json"))


def data_dir() -> str | None:
    d = os.environ.get("IDRISK_DATA_DIR")
    return d if d and os.path.isdir(d) else None


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def engine():
    with idrisk.Engine(data_dir=data_dir()) as eng:
        yield eng


@pytest.fixture(scope="session")
def cli() -> str:
    path = os.environ.get("IDRISK_CLI") or shutil.which("idrisk")
    if not path:
        pytest.skip("IDRISK_CLI is not set and no idrisk on PATH")
    return path


@pytest.fixture(scope="session")
def has_ip_db(engine) -> bool:
    try:
        engine.lookup_ip("192.0.2.1")
    except idrisk.UnavailableError:
        return False
    return True


def minimal(**extra):
    rec = {"schema": "idrisk.candidate/1", "candidate_id": "py-test"}
    rec.update(extra)
    return rec


@pytest.fixture
def report(request):
    """Print a measurement line in the test run's output, even under -q and capture
    (ctest logs show it); measurements are printed, never asserted."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")

    def write(line: str) -> None:
        if reporter is None or capture is None:
            print(line)
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line("\n" + line)

    return write


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_store: uses a real SQLite linkage store file in a temporary directory "
        "(deselect with -m 'not needs_store')",
    )
