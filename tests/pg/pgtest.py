# SPDX-License-Identifier: Apache-2.0
"""Shared by the PostgreSQL store tests (tests/pg.cmake): arguments, the cluster or a
clear failure, running the CLI, and reading result lines.

A machine without PostgreSQL fails these tests (CI installs it with
tools/setup-debian.sh); IDRISK_ALLOW_SKIP_PG=1 turns that into a skip (exit 77)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pgcluster  # noqa: E402


def fail(msg: str) -> None:
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def require_postgres() -> None:
    if pgcluster.available():
        return
    msg = ("PostgreSQL (initdb, pg_ctl; Debian package postgresql) is not installed: "
           "run tools/setup-debian.sh")
    if os.environ.get("IDRISK_ALLOW_SKIP_PG") == "1":
        print("SKIP: " + msg, file=sys.stderr)
        sys.exit(77)
    fail(msg)


def args(extra: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True, help="the idrisk executable")
    p.add_argument("--data-dir", required=True)
    p.add_argument("--source-dir", required=True)
    for a in extra or []:
        p.add_argument(a)
    return p.parse_args()


def cli(a: argparse.Namespace, *argv: str, check: bool = True,
        **kw) -> subprocess.CompletedProcess:
    cmd = [a.cli, "--data-dir", a.data_dir] + list(argv)
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        fail("%s: exit %d\n%s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def popen(a: argparse.Namespace, *argv: str) -> subprocess.Popen:
    return subprocess.Popen([a.cli, "--data-dir", a.data_dir] + list(argv),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def population(a: argparse.Namespace, out: str, n: int, seed: int) -> None:
    subprocess.run(["/usr/bin/python3", os.path.join(a.source_dir, "tools",
                                                     "gen-population.py"),
                    "--n", str(n), "--seed", str(seed), "--data-dir", a.data_dir,
                    "--out", out, "--truth", out + ".truth.json"], check=True,
                   capture_output=True)


def results(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def without_time(r: dict) -> str:
    r = dict(r)
    r.pop("evaluated_at", None)
    return json.dumps(r, sort_keys=True)


def link_set(rs: list[dict]) -> set[tuple[str, str, str]]:
    return {(r["candidate_id"], ln["candidate_id"], ln["kind"])
            for r in rs for ln in r.get("links") or ()}


def make_key(path: str) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(os.urandom(32))
